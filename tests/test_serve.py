"""`mkdocs serve` end to end: an author edits, breaks and fixes a risk file while the server runs.

Each test starts the real server on a free loopback port with a small register,
polls the served pages over HTTP and reads the server's log. Every wait is
bounded; the server is stopped whatever happens.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import FIXED_EPOCH, risk_file, write_project

# Generous bounds for a busy CI machine; a rebuild of this small site takes well under a second.
START_TIMEOUT = 30.0
CHANGE_TIMEOUT = 20.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of a page; (0, "") while nothing answers."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = CHANGE_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped (exit {self.process.returncode}) waiting for {what}:\n{self.log}")
            if check():
                return
            time.sleep(0.2)
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; server log:\n{self.log}")

    def page_shows(self, path: str, text: str) -> bool:
        status, body = self.get(path)
        return status == 200 and text in body


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(root: Path, *extra: str) -> Iterator[Server]:
    port = free_port()
    log_path = root / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    with log_path.open("wb") as log:
        process = subprocess.Popen([*command, *extra], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    server = Server(process, port, log_path)
    try:
        server.wait_for("the first build to be served", lambda: server.get("")[0] == 200, START_TIMEOUT)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _risks() -> dict[str, str]:
    return {
        f"RSK-{n}.md": risk_file(f"RSK-{n}", title=f"Original title {n}", body="## Description\n\nSome text.\n")
        for n in range(1, 6)
    }


def _save(path: Path, text: str) -> None:
    """Write as an editor saves: the whole file, with a fresh modification time."""
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("mode", [[], ["--dirty"]], ids=["full-rebuilds", "dirty"])
def test_edit_break_and_fix_a_risk_while_serving(tmp_path: Path, mode: list[str]) -> None:
    root = write_project(tmp_path, _risks())
    risk_path = root / "risks" / "RSK-3.md"
    with serving(root, *mode) as server:
        assert server.page_shows("risk-register/RSK-3/", "Original title 3")

        # 1. A new title is served, on the risk's page and in the register table.
        _save(risk_path, risk_file("RSK-3", title="Renamed while serving", body="## Description\n\nEdited.\n"))
        server.wait_for("the new title", lambda: server.page_shows("risk-register/RSK-3/", "Renamed while serving"))
        assert server.page_shows("risk-register/", "Renamed while serving")

        # 2. A broken file: the server keeps serving, the register lists the file as left out,
        #    and the log carries the diagnostic in the contract's format.
        _save(risk_path, "---\nid: RSK-3\ntitle: [unclosed\n---\nbody\n")
        diagnostic = re.compile(r"risks/RSK-3\.md:\d+: error: .+ \[yaml-error\]")
        server.wait_for("the diagnostic in the log", lambda: diagnostic.search(server.log) is not None)
        server.wait_for(
            "the register page to list the broken file",
            lambda: server.page_shows("risk-register/", "Files left out of the register"),
        )
        status, home = server.get("")
        assert status == 200 and "Home" in home
        assert server.process.poll() is None

        # 3. Fixed again: the risk is back, and the register has no problems left.
        _save(risk_path, risk_file("RSK-3", title="Fixed and back", body="## Description\n\nFixed.\n"))
        server.wait_for("the fixed risk page", lambda: server.page_shows("risk-register/RSK-3/", "Fixed and back"))
        server.wait_for(
            "the register page without problems",
            lambda: (
                server.page_shows("risk-register/", "Fixed and back")
                and "Files left out of the register" not in server.get("risk-register/")[1]
            ),
        )
    assert "Traceback" not in server.log


def test_a_page_with_a_view_is_rebuilt_when_its_risk_is_saved_under_dirty(tmp_path: Path) -> None:
    root = write_project(tmp_path, _risks())
    (root / "docs" / "index.md").write_text(
        "# Home\n\n/// risk-table\n    filter: {ids: RSK-3}\n    columns: [ID, Risk]\n///\n\nSee <risk:RSK-2>.\n",
        encoding="utf-8",
    )
    with serving(root, "--dirty") as server:
        assert server.page_shows("", "Original title 3") and server.page_shows("", "Original title 2")
        # MkDocs' --dirty rebuilds a page when its own file changed; this one shows RSK-3 and RSK-2.
        time.sleep(1.1)  # a later modification time than the first build's pages, at any clock resolution
        _save(root / "risks" / "RSK-3.md", risk_file("RSK-3", title="Saved while serving"))
        server.wait_for("the embedded table's new title", lambda: server.page_shows("", "Saved while serving"))
        _save(root / "risks" / "RSK-2.md", risk_file("RSK-2", title="Referenced, renamed"))
        server.wait_for("the reference's new title", lambda: server.page_shows("", "Referenced, renamed"))
    assert "Traceback" not in server.log
