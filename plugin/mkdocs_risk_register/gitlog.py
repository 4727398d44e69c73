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

import dataclasses
import datetime as dt
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .defaults import MAX_FILE_SIZE
from .front_entries import EntryCache
from .gitsource import GitError, Repository, _first_line, _git, git_environment
from .history import Commit, FileChange, History, Replay, Unavailable, risk_paths, utc_date
from .loader import is_risk_path
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
        reason = _first_line(result.stderr)
        if "not a git repository" in reason or not result.stderr.strip():
            return Unavailable("the project is not in a git work tree; build from a git clone to publish its history")
        # "detected dubious ownership" (a CI container's checkout owned by another user) and the like,
        # with the command git offers as the fix.
        offered = [line.strip() for line in result.stderr.decode("utf-8", "replace").splitlines()]
        fix = next((line for line in offered if line.startswith("git config ")), None)
        return Unavailable(f"git cannot use the repository: {reason}" + (f"; to trust it: {fix}" if fix else ""))
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


def _timestamp(field: bytes) -> int:
    """A commit's ``%ct``: git prints nothing for a date it cannot read (before 1970, an overflow), which
    it shows itself as 1970-01-01."""
    text = field.strip()
    return int(text) if text.lstrip(b"-").isdigit() else 0


def _author(field: bytes) -> str:
    """A commit's author as git prints it: UTF-8, or the bytes a commit without an encoding header was
    written in (old histories, often Latin-1), shown as Latin-1 rather than as replacement characters."""
    try:
        return field.decode("utf-8")
    except UnicodeDecodeError:
        return field.decode("latin-1")


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
        timestamp = _timestamp(next(stream))
        author = _author(next(stream))
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


def _skip(stream: IO[bytes], size: int) -> None:
    """Reads past ``size`` bytes of ``stream`` a block at a time."""
    while size > 0:
        block = stream.read(min(size, 1 << 20))
        if not block:
            return
        size -= len(block)


def read_history(repository: Repository, revisions: str, folder: str, replay: Replay) -> list[Commit]:
    """The commits of ``revisions`` that touched ``folder``, oldest first, with every blob they
    bring that ``replay`` has not seen added to it.

    ``git log`` and ``git cat-file --batch`` run side by side: a thread reads the log and asks
    for each new blob as soon as a commit names it, while this thread parses the blobs as
    they come, so that git's work and Python's overlap on a machine with two cores.
    """
    env = git_environment()
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
            path = first_path.get(blob)
            if found is None:
                if path is not None:
                    replay.add(blob, path, None)
                continue
            size = int(found[2])
            if size > replay.max_file_size:
                # Past the limit, as on disk (file-too-large): neither held in memory nor parsed.
                _skip(answers, size + 1)
                if path is not None:
                    replay.refuse(blob, path, size)
                continue
            data = answers.read(size + 1)[:-1]  # the content is followed by a newline
            if path is not None:
                replay.add(blob, path, data, entries)
        asking.join()
    if log.returncode != 0:
        raise GitError(f"git log failed with status {log.returncode}")
    if failure:
        error = failure[0]
        if isinstance(error, ValueError | IndexError | RuntimeError):  # git's output cut short or not as asked
            raise GitError(f"unexpected output from git log ({error})") from error
        raise error
    for blob, path in first_path.items():  # asked for but never answered: reported as unreadable
        if blob not in replay.snapshots:
            replay.add(blob, path, None)
    return commits


MAX_MOVES = 20
"""How many moves of the risks folder the history follows back."""


def moved_from(repository: Repository, commit: str, folder: str) -> str | None:
    """The folder that ``commit`` moved the risk files of ``folder`` from, if it moved them (``git mv
    risks register``, or the project moved into a subfolder): the one most of its renames into ``folder``
    come from, with the same path below it. None when the files were new, or at the first commit."""
    result = _git(repository.root, "diff-tree", "-r", "-z", "-M", "--diff-filter=R", "--raw", f"{commit}^1", commit)
    if result.returncode != 0:
        return None
    fields = result.stdout.split(b"\0")
    prefix = folder + "/"
    votes: dict[str, int] = {}
    for index, meta in enumerate(fields):
        if not meta.lstrip(b"\n").startswith(b":") or index + 2 >= len(fields):
            continue
        old, new = (name.decode("utf-8", "surrogateescape") for name in fields[index + 1 : index + 3])
        relative = new[len(prefix) :] if new.startswith(prefix) else ""
        if not is_risk_path(relative) or not old.endswith("/" + relative):
            continue
        source = old[: -len(relative) - 1]
        if source != folder and not source.startswith(prefix):  # a folder inside it is already in its history
            votes[source] = votes.get(source, 0) + 1
    return max(sorted(votes), key=votes.__getitem__) if votes else None


def whole_history(repository: Repository, head: str, folder: str, replay: Replay) -> list[Commit]:
    """The commits of ``folder`` up to ``head``, oldest first, and, when a commit moved the risk files
    there from another folder, the commits of that folder before it (and so on, up to MAX_MOVES times).

    At a move, every file of the old folder leaves and the files of the new one arrive, in one commit:
    a risk whose file kept its path below the folder (or moved with it) keeps its history.
    """
    commits = read_history(repository, head, folder, replay)
    for _ in range(MAX_MOVES):
        move = next((index for index, commit in enumerate(commits) if commit.files), None)
        source = moved_from(repository, commits[move].id, folder) if move is not None else None
        if move is None or source is None:
            break
        arrival = commits[move]
        before = read_history(repository, arrival.id, source, replay)
        if before and before[-1].id == arrival.id:
            before.pop()  # what the move did in the old folder: all its files leave, below
        live: dict[str, None] = {}
        for commit in before:
            for change in commit.files:
                if change.blob is None:
                    live.pop(change.path, None)
                else:
                    live[change.path] = None
        leaving = tuple(FileChange(path, None) for path in live)
        commits = [*before, dataclasses.replace(arrival, files=leaving + arrival.files), *commits[move + 1 :]]
        folder = source
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

    def read(
        self, risks_dir: Path, model: Model, revision: str = "HEAD", max_file_size: int = MAX_FILE_SIZE
    ) -> History | Unavailable:
        """The history up to ``revision`` (HEAD, or a commit id the caller resolved); file versions
        over ``max_file_size`` are not read, as on disk."""
        head = find_head(risks_dir, revision)
        if isinstance(head, Unavailable):
            return head
        folder = head.repository.relative(risks_dir.resolve())
        if folder is None:
            return Unavailable("the risks folder is outside the git work tree")
        if self.replay is None or model != self.model or max_file_size != self.replay.max_file_size:
            self.model, self.replay, self.last = model, Replay(model, max_file_size=max_file_size), None
        if self.last is not None and self.last[:2] == (folder, head.commit):
            return self.last[2]
        repository = head.repository
        try:
            if self.last is not None and self.last[0] == folder and extends(repository, self.last[1], head.commit):
                commits = read_history(repository, f"{self.last[1]}..{head.commit}", folder, self.replay)
                history = self.replay.replay(commits, fresh=False)
            else:
                commits = whole_history(repository, head.commit, folder, self.replay)
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


def is_ancestor(repository: Repository, ancestor: str, descendant: str) -> bool:
    """Whether commit ``ancestor`` is reachable from commit ``descendant``."""
    return _git(repository.root, "merge-base", "--is-ancestor", ancestor, descendant).returncode == 0


def commit_date(repository: Repository, commit: str) -> dt.date:
    """The committer date of ``commit``, in UTC."""
    result = _git(repository.root, "show", "-s", "--format=%ct", commit)
    stamp = result.stdout.decode("ascii").strip()
    return utc_date(int(stamp) if stamp.lstrip("-").isdigit() else 0)
