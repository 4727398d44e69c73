"""How long an author waits under ``mkdocs serve`` between saving a risk file and seeing the change.

For a register of N generated risks (default 1,000), the script starts
``mkdocs serve`` on 127.0.0.1, once with ``--dirty`` and once without. In each
server it edits one risk's title several times; after each save it polls the
risk's page and the register page until both show the new title, and records
the time from the save. With ``--dirty`` it also reads which pages MkDocs
rebuilt (``mkdocs serve -v`` logs "Building page ...").

    .venv/bin/python benchmarks/serve_bench.py --risks 1000 --edits 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import EPOCH, make_plugin_project
from generate import risk_id

POLL = 0.02
SITE_DIR = re.compile(r"Config value 'site_dir' = '([^']+)'")


def rewritten_pages(site_dir: Path, since: float) -> list[str]:
    """HTML pages of the served site written at or after ``since`` (a time.time() value)."""
    pages = []
    for path in site_dir.rglob("*.html"):
        try:
            if path.stat().st_mtime >= since:
                pages.append(path.relative_to(site_dir).as_posix())
        except FileNotFoundError:  # removed by a rebuild meanwhile
            continue
    return sorted(pages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_until(check: object, timeout: float, what: str) -> float:
    """Seconds until ``check()`` is true, polling every POLL seconds."""
    assert callable(check)
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(POLL)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def find_risk_file(risks_dir: Path, number: int, count: int) -> Path:
    return next(risks_dir.rglob(f"{risk_id(number, count)}.md"))


def run_server(root: Path, count: int, edits: int, dirty: bool, start_timeout: float) -> dict[str, object]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = root / ("serve-dirty.log" if dirty else "serve.log")
    command = [sys.executable, "-m", "mkdocs", "serve", "-v", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    if dirty:
        command.append("--dirty")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    number = count // 2 or 1
    path = find_risk_file(root / "risks", number, count)
    original = path.read_text(encoding="utf-8")
    page_url = f"{base}risk-register/{risk_id(number, count)}/"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    latencies: list[float] = []
    rebuilt: list[str] = []
    try:
        first = wait_until(lambda: fetch(page_url) is not None, start_timeout, "the first build")
        time.sleep(2)  # let the server settle after its first build
        for edit in range(1, edits + 1):
            marker = f"Edited title {edit} {time.time_ns()}"
            text = re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M)
            saved_at = time.time()
            start = time.perf_counter()
            path.write_text(text, encoding="utf-8")

            def shows_everywhere(marker: str = marker) -> bool:
                page, register = fetch(page_url), fetch(f"{base}risk-register/")
                return page is not None and marker in page and register is not None and marker in register

            wait_until(shows_everywhere, start_timeout, f"edit {edit} to show")
            latencies.append(time.perf_counter() - start)
            time.sleep(1.5)  # the rebuild is over; the next save is a new change
            match = SITE_DIR.search(log_path.read_text(encoding="utf-8", errors="replace"))
            rebuilt = rewritten_pages(Path(match.group(1)), saved_at) if match else ["(site folder not in the log)"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        path.write_text(original, encoding="utf-8")
    return {"first_build_s": first, "latencies": latencies, "rebuilt": rebuilt}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5, help="saves measured in each server (default 5)")
    parser.add_argument("--theme", default="material")
    parser.add_argument("--start-timeout", type=float, default=600.0)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="risk-serve-bench-"))
    root = work / f"serve{args.risks}"
    shutil.rmtree(root, ignore_errors=True)
    make_plugin_project(root, args.risks, args.theme, {})
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(f"mkdocs serve, {args.risks} risks, theme {args.theme}, {args.edits} saves of one risk file per server")
    for dirty in (True, False):
        result = run_server(root, args.risks, args.edits, dirty, args.start_timeout)
        latencies = result["latencies"]
        assert isinstance(latencies, list)
        label = "serve --dirty" if dirty else "serve (full rebuilds)"
        print(
            f"{label:>22}: save to served page: median {statistics.median(latencies):.2f} s, "
            f"max {max(latencies):.2f} s (each: {', '.join(f'{x:.2f}' for x in latencies)}); "
            f"first build {result['first_build_s']:.1f} s"
        )
        rebuilt = result["rebuilt"]
        assert isinstance(rebuilt, list)
        print(f"{'':>22}  pages rebuilt by the last save: {len(rebuilt)}: {', '.join(rebuilt[:12])}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
