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
from dataclasses import dataclass, field
from pathlib import Path

from .gitsource import Repository, _git
from .history import Commit, FileChange, History, Replay, Unavailable, risk_paths
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
        return Unavailable("the project is not in a git work tree")
    if lines[1].strip() == "true":
        return Unavailable(f"the git clone is shallow, its history is cut short; {FIX_SHALLOW}")
    if result.returncode != 0 or len(lines) < 3:
        return Unavailable("the git repository has no commits yet")
    return Head(Repository(Path(lines[0]).resolve()), lines[2].strip())


def parse_log(output: bytes, folder: str) -> list[Commit]:
    """Commits of ``git log --raw -z`` with LOG_FORMAT; paths relative to ``folder``."""
    tokens = output.split(b"\0")
    commits: list[Commit] = []
    position = 0
    while position < len(tokens):
        token = tokens[position].lstrip(b"\n")
        if not token.startswith(b"\x01"):
            position += 1
            continue
        commit_id = token[1:].decode("ascii")
        timestamp = int(tokens[position + 1])
        author = tokens[position + 2].decode("utf-8", "replace")
        position += 3
        files: list[FileChange] = []
        # Each changed file: ":old-mode new-mode old-id new-id status", then its path.
        while position + 1 < len(tokens) and tokens[position].lstrip(b"\n").startswith(b":"):
            meta = tokens[position].lstrip(b"\n")[1:].decode("ascii").split()
            path = tokens[position + 1].decode("utf-8", "surrogateescape")
            position += 2
            new_mode, new_id, status = meta[1], meta[3], meta[4]
            files.append(FileChange(path, new_id if status != "D" and new_mode in FILE_MODES else None))
        commits.append(Commit(commit_id, timestamp, author, risk_paths(files, folder)))
    return commits


def read_log(repository: Repository, head: str, folder: str) -> list[Commit]:
    """Every first-parent commit up to ``head`` that touched ``folder``, oldest first."""
    result = _git(
        repository.root,
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
        head,
        "--",
        folder or ".",
    )
    if result.returncode != 0:
        return []
    return parse_log(result.stdout, folder)


@dataclass
class HistoryReader:
    """Reads the history for a build; kept across ``mkdocs serve`` rebuilds.

    The same HEAD gives the same history without reading anything; a new commit
    lists the commits again (one quick git process) but reads and parses only
    the files that no earlier build saw.
    """

    model: Model | None = None
    replay: Replay | None = None
    last: tuple[str, str, History] | None = field(default=None, repr=False)
    """(folder, HEAD, history) of the last read."""

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
        commits = read_log(head.repository, head.commit, folder)

        def read_blobs(ids: list[str]) -> dict[str, bytes]:
            contents = head.repository.read_objects(ids)
            return {blob: data for blob, data in zip(ids, contents, strict=True) if data is not None}

        history = self.replay.run(commits, read_blobs)
        self.last = (folder, head.commit, history)
        return history


def commits_after(repository: Repository, since: str, until: str) -> frozenset[str]:
    """The commits reachable from ``until`` but not from ``since`` (both commit ids)."""
    result = _git(repository.root, "rev-list", f"{since}..{until}")
    return frozenset(result.stdout.decode("ascii").split()) if result.returncode == 0 else frozenset()


def commit_date(repository: Repository, commit: str) -> dt.date:
    """The committer date of ``commit``, in UTC."""
    result = _git(repository.root, "show", "-s", "--format=%ct", commit)
    stamp = result.stdout.decode("ascii").strip()
    return dt.datetime.fromtimestamp(int(stamp) if stamp.isdigit() else 0, dt.timezone.utc).date()
