"""Running the installed ``risk-register`` console script, and real git repositories to run it on."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import FIXED_EPOCH

# The console script that `pip install` put beside the interpreter running the tests.
SCRIPT = Path(sys.executable).parent / "risk-register"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    # The user's own git configuration (hooks, signing, default branch) stays out of the tests.
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    assert SCRIPT.is_file(), f"console script not installed at {SCRIPT}"
    # Outside a GitHub Actions job, as a user's terminal is, even when the tests run in one.
    environment = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "GITHUB_ACTIONS": "", **GIT_ENV, **(env or {})}
    result = subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    return Run(result.returncode, result.stdout, result.stderr)


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=True,
    )
    return result.stdout


def init_repo(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")


def commit_all(root: Path, message: str, tag: str | None = None, *, date: str | None = None, author: str = "") -> str:
    """Commit everything; ``date`` (ISO 8601) fixes both the author and committer dates."""
    git(root, "add", "-A")
    options = [f"--date={date}"] if date else []
    if author:
        options.append(f"--author={author} <{author.lower().replace(' ', '.')}@example.com>")
    environment = {"GIT_COMMITTER_DATE": date} if date else {}
    git(root, "commit", "-q", "--allow-empty", "-m", message, *options, env=environment)
    if tag:
        git(root, "tag", tag)
    return git(root, "rev-parse", "HEAD").strip()
