"""The history of the risks folder read from git: three git processes, however long the history.

``git rev-parse`` finds the repository, its HEAD and whether the clone is shallow;
one ``git log`` lists every commit that touched the folder with the blob id of
each file it changed; one ``git cat-file --batch`` reads the blobs not read
before. The commits are replayed by ``history.py``.

Merges: the history followed is the first-parent chain of HEAD (the branch as it
was built, commit after commit). A merged pull request is one commit of that
chain, the merge, with everything the pull request changed; a squash or rebase
merge puts the pull request's own commits on the chain.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .front_entries import EntryCache
from .gitsource import GitError, Repository, _git
from .history import Commit, FileChange, History, Replay, Unavailable, risk_paths, utc_date
from .model import Model

LOG_FORMAT = "%x01%H%x00%ct%x00%aN"
# Files that are not plain files in git (symbolic links, submodules) are not risk files of the history.
FILE_MODES = frozenset({"100644", "100755"})
FIX_SHALLOW = "fetch the whole history (with actions/checkout: 'fetch-depth: 0')"


@dataclass(frozen=True)
class Head:
    repository: Repository
    commit: str


def find_head(folder: Path, revision: str = "HEAD") -> Head | Unavailable:
    """The repository holding ``folder`` and the commit of ``revision`` (a commit id or HEAD),
    or why there is no history to read."""
    try:
        result = _git(folder, "rev-parse", "--show-toplevel", "--is-shallow-repository", revision)
    except Exception as error:  # git missing or stuck: the build goes on without history
        return Unavailable(f"git cannot be run ({error})")
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 2:
        return Unavailable("the project is not in a git work tree; build from a git clone to publish its history")
    if lines[1].strip() == "true":
        return Unavailable(f"the git clone is shallow, its history is cut short; {FIX_SHALLOW}")
    if result.returncode != 0 or len(lines) < 3:
        return Unavailable("the git repository has no commits yet")
    return Head(Repository(Path(lines[0]).resolve()), lines[2].strip())


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of ``git log -z`` as they arrive."""
    pending = b""
    read = getattr(stream, "read1", stream.read)  # read1: what the pipe holds, without waiting for more
    while chunk := read(1 << 16):
        *complete, pending = (pending + chunk).split(b"\0")
        yield from complete
    if pending:
        yield pending


def iter_log(tokens: Iterable[bytes], folder: str) -> Iterator[Commit]:
    """Commits of ``git log --raw -z`` with LOG_FORMAT; paths relative to ``folder``."""
    stream = iter(tokens)
    token = next(stream, None)
    while token is not None:
        token = token.lstrip(b"\n")
        if not token.startswith(b"\x01"):
            token = next(stream, None)
            continue
        commit_id = token[1:].decode("ascii")
        timestamp = int(next(stream))
        author = next(stream).decode("utf-8", "replace")
        files: list[FileChange] = []
        # Each changed file: ":old-mode new-mode old-id new-id status", then its path.
        token = next(stream, None)
        while token is not None and token.lstrip(b"\n").startswith(b":"):
            meta = token.lstrip(b"\n")[1:].decode("ascii").split()
            path = next(stream).decode("utf-8", "surrogateescape")
            new_mode, new_id, status = meta[1], meta[3], meta[4]
            files.append(FileChange(path, new_id if status != "D" and new_mode in FILE_MODES else None))
            token = next(stream, None)
        yield Commit(commit_id, timestamp, author, risk_paths(files, folder))


def parse_log(output: bytes, folder: str) -> list[Commit]:
    return list(iter_log(output.split(b"\0"), folder))


def _log_command(revisions: str, folder: str) -> list[str]:
    return [
        "git",
        "-c",
        "log.showSignature=false",
        "--literal-pathspecs",
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--raw",
        "-z",
        "--no-renames",  # renames are followed by risk id, whatever git's similarity guess says
        "--no-abbrev",
        f"--format={LOG_FORMAT}",
        revisions,
        "--",
        folder or ".",
    ]


_FOUND = re.compile(rb"([0-9a-f]+) blob ([0-9]+)")


def read_history(repository: Repository, revisions: str, folder: str, replay: Replay) -> list[Commit]:
    """The commits of ``revisions`` that touched ``folder``, oldest first, with every blob they
    bring that ``replay`` has not seen added to it.

    ``git log`` and ``git cat-file --batch`` run side by side: a thread reads the log and asks
    for each new blob as soon as a commit names it, while this thread parses the blobs as
    they come, so that git's work and Python's overlap on a machine with two cores.
    """
    env = {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    # Kept for this read only: thousands of versions share their entries, the few of a later read hardly.
    entries = EntryCache()
    commits: list[Commit] = []
    first_path: dict[str, str] = {}
    failure: list[BaseException] = []
    with (
        subprocess.Popen(_log_command(revisions, folder), cwd=repository.root, stdout=subprocess.PIPE, env=env) as log,
        subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=repository.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        ) as cat,
    ):
        assert log.stdout is not None and cat.stdin is not None and cat.stdout is not None
        requests, log_out = cat.stdin, log.stdout

        def ask() -> None:
            try:
                for commit in iter_log(_tokens(log_out), folder):
                    commits.append(commit)
                    for change in commit.files:
                        blob = change.blob
                        if blob is not None and blob not in first_path and blob not in replay.snapshots:
                            first_path[blob] = change.path
                            requests.write(blob.encode("ascii") + b"\n")
                    requests.flush()
            except BaseException as error:  # handed to the reading thread, which raises it
                failure.append(error)
            finally:
                requests.close()

        asking = threading.Thread(target=ask, name="git-log", daemon=True)
        asking.start()
        answers = cat.stdout
        while header := answers.readline():
            found = _FOUND.fullmatch(header.rstrip(b"\n"))
            blob = header.split(b" ", 1)[0].decode("ascii", "replace")
            data = None
            if found is not None:
                data = answers.read(int(found[2]) + 1)[:-1]  # the content is followed by a newline
            if blob in first_path:
                replay.add(blob, first_path[blob], data, entries)
        asking.join()
    if failure:
        raise failure[0]
    if log.returncode != 0:
        raise GitError(f"git log failed with status {log.returncode}")
    for blob, path in first_path.items():  # asked for but never answered: reported as unreadable
        if blob not in replay.snapshots:
            replay.add(blob, path, None)
    return commits


def extends(repository: Repository, old: str, new: str) -> bool:
    """Whether ``old`` is on the first-parent chain of ``new``: then the commits after it are all that is new."""
    result = _git(repository.root, "rev-list", "--first-parent", "--parents", f"{old}..{new}")
    lines = result.stdout.decode("ascii").split("\n")
    listed = [line.split() for line in lines if line]
    return result.returncode == 0 and bool(listed) and len(listed[-1]) > 1 and listed[-1][1] == old


@dataclass
class HistoryReader:
    """Reads the history for a build; kept across ``mkdocs serve`` rebuilds.

    The same HEAD gives the same history with one ``git rev-parse``. After new
    commits on the branch, only those are listed, read and replayed; any other
    move of HEAD (a checkout, a rebase) lists the history again, though the blobs
    read before are not read again.
    """

    model: Model | None = None
    replay: Replay | None = None
    last: tuple[str, str, History] | None = field(default=None, repr=False)
    """(folder, HEAD, history) of the last read."""
    keep: bool = True
    """Whether to keep what a later read reuses (the blobs read and the replay's state), as under
    ``mkdocs serve``; a single build lets it go, so that Python's garbage collector does not walk
    tens of thousands of objects again and again for the rest of the build."""

    def read(self, risks_dir: Path, model: Model, revision: str = "HEAD") -> History | Unavailable:
        """The history up to ``revision`` (HEAD, or a commit id the caller resolved)."""
        head = find_head(risks_dir, revision)
        if isinstance(head, Unavailable):
            return head
        folder = head.repository.relative(risks_dir.resolve())
        if folder is None:
            return Unavailable("the risks folder is outside the git work tree")
        if self.replay is None or model != self.model:
            self.model, self.replay, self.last = model, Replay(model), None
        if self.last is not None and self.last[:2] == (folder, head.commit):
            return self.last[2]
        repository = head.repository
        try:
            if self.last is not None and self.last[0] == folder and extends(repository, self.last[1], head.commit):
                commits = read_history(repository, f"{self.last[1]}..{head.commit}", folder, self.replay)
                history = self.replay.replay(commits, fresh=False)
            else:
                commits = read_history(repository, head.commit, folder, self.replay)
                history = self.replay.replay(commits, fresh=True)
        except (GitError, OSError) as error:
            self.last = None
            return Unavailable(f"git could not read the history ({error})")
        self.last = (folder, head.commit, history)
        if not self.keep:
            self.replay = None
        return history


def commits_after(repository: Repository, since: str, until: str) -> frozenset[str]:
    """The commits reachable from ``until`` but not from ``since`` (both commit ids)."""
    result = _git(repository.root, "rev-list", f"{since}..{until}")
    return frozenset(result.stdout.decode("ascii").split()) if result.returncode == 0 else frozenset()


def commit_date(repository: Repository, commit: str) -> dt.date:
    """The committer date of ``commit``, in UTC."""
    result = _git(repository.root, "show", "-s", "--format=%ct", commit)
    stamp = result.stdout.decode("ascii").strip()
    return utc_date(int(stamp) if stamp.lstrip("-").isdigit() else 0)
