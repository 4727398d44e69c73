"""Risk files and mkdocs.yml read at a git revision, straight from the object store.

Nothing is checked out and the working tree is never touched: ``git ls-tree``
lists the files of a revision and one ``git cat-file --batch`` process reads all
of them, whatever their number.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .loader import is_risk_path, too_large
from .register import Register, assemble, check_file
from .settings import Settings, UsageError, parse_settings

SYMLINK_MODE = "120000"
# The header `git cat-file --batch` writes before an object it found: id, type, size.
_FOUND = re.compile(rb"[0-9a-f]{40,64} [a-z]+ ([0-9]+)")


class GitError(UsageError):
    """git could not answer (not a repository, unknown revision, git missing): one line for the user."""


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    kind: str
    object_id: str
    size: int
    path: str
    """Relative to the repository root, with forward slashes."""


# Variables that name a repository's files: git reads a relative one from its own working folder.
_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


@functools.cache
def _repository_variables() -> tuple[tuple[str, str], ...]:
    """GIT_DIR and its kin as they apply where the command was started.

    git runs hooks with GIT_DIR (in a linked worktree) or GIT_INDEX_FILE set, and a user may set GIT_DIR
    themselves. git is run here from other folders (the risks folder): a relative path would lead
    elsewhere, and a GIT_DIR without GIT_WORK_TREE would make that folder the top of the work tree.
    So each is made absolute, and the work tree is the one git finds from the starting folder.
    """
    if not any(name in os.environ for name in _PATH_VARIABLES):
        return ()
    start = os.getcwd()
    fixed = {
        name: os.path.abspath(os.path.join(start, os.environ[name])) for name in _PATH_VARIABLES if os.environ.get(name)
    }
    if "GIT_DIR" in fixed and "GIT_WORK_TREE" not in fixed:
        try:
            found = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, check=False, timeout=60
            )
        except (OSError, subprocess.SubprocessError):
            found = None
        top = found.stdout.decode("utf-8", "surrogateescape").strip() if found and found.returncode == 0 else ""
        if top:
            fixed["GIT_WORK_TREE"] = top
    return tuple(fixed.items())


def git_environment() -> dict[str, str]:
    """The environment git runs in: no pager, no prompt (either would hang a CI job), and the
    repository variables made to hold wherever git is started."""
    return {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", **dict(_repository_variables())}


def _git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = git_environment()
    try:
        return subprocess.run(
            ["git", *args], cwd=root, input=data, capture_output=True, env=env, check=False, timeout=600
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish in time") from None


def _first_line(output: bytes) -> str:
    lines = output.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


@dataclass(frozen=True)
class Repository:
    root: Path

    @classmethod
    def containing(cls, path: Path) -> Repository:
        """The repository whose work tree holds ``path``."""
        if not path.is_dir():
            raise GitError(f"{path} is not a folder")
        result = _git(path, "rev-parse", "--show-toplevel")
        if result.returncode != 0:
            reason = _first_line(result.stderr)
            if "not a git repository" in reason:
                raise GitError(f"{path} is not inside a git repository")
            raise GitError(f"git cannot use {path}: {reason}")  # "dubious ownership" and the like
        return cls(Path(result.stdout.decode("utf-8", "surrogateescape").strip()).resolve())

    def commit(self, revision: str) -> str:
        """The commit a revision names (a branch, tag, sha, ``HEAD~2``...)."""
        if not revision or revision.startswith("-"):
            raise GitError(f"invalid revision '{revision}'")
        result = _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}")
        if result.returncode != 0:
            if revision == "HEAD":  # HEAD of a repository always names a commit once there is one
                raise GitError(f"the git repository {self.root} has no commits yet")
            raise GitError(f"unknown revision '{revision}': no such commit, branch or tag in {self.root}")
        return result.stdout.decode("ascii").strip()

    def list_tree(self, commit: str, folder: str) -> list[TreeEntry]:
        """Every file below ``folder`` (relative to the root; empty for all) at ``commit``."""
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]
        if folder:
            args += ["--", folder.rstrip("/") + "/"]
        result = _git(self.root, *args)
        if result.returncode != 0:
            raise GitError(f"cannot list files at {commit[:12]}: {_first_line(result.stderr)}")
        entries = []
        for record in result.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, object_id, size = meta.decode("ascii").split()
            path = raw_path.decode("utf-8", "surrogateescape")
            entries.append(TreeEntry(mode, kind, object_id, int(size) if size.isdigit() else 0, path))
        return entries

    def read_objects(self, names: list[str]) -> list[bytes | None]:
        """Contents of objects (ids or ``commit:path``), None for a missing one: one git process for all."""
        if not names:
            return []
        if any("\n" in name for name in names):
            raise GitError("object names cannot hold line breaks")
        request = "".join(name + "\n" for name in names).encode("utf-8", "surrogateescape")
        result = _git(self.root, "cat-file", "--batch", data=request)
        if result.returncode != 0:
            raise GitError(f"cannot read files: {_first_line(result.stderr)}")
        out = result.stdout
        contents: list[bytes | None] = []
        position = 0
        for _ in names:
            end = out.index(b"\n", position)
            # "<id> <type> <size>" for an object found; "<name> missing" (or "ambiguous") otherwise,
            # where the name is ours and may hold spaces: only the first form is ever split.
            found = _FOUND.fullmatch(out[position:end])
            position = end + 1
            if found is None:
                contents.append(None)
                continue
            size = int(found[1])
            contents.append(out[position : position + size])
            position += size + 1  # the content is followed by a newline
        return contents

    def read_text(self, commit: str, path: str) -> str | None:
        (data,) = self.read_objects([f"{commit}:{path}"])
        if data is None:
            return None
        return data.decode("utf-8-sig", "replace")

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the root with forward slashes; None when it lies outside."""
        relative = Path(os.path.relpath(path, self.root)).as_posix()
        if relative == ".":
            return ""
        return None if relative == ".." or relative.startswith("../") else relative


def risks_source(repo: Repository, commit: str, risks_dir: Path, revision: str) -> tuple[Repository, str]:
    """The repository and commit that hold the risks folder at ``commit`` of the project's repository:
    those, or, when the risks folder is (in) a submodule, the submodule and the commit the project
    recorded for it there (``revision`` names ``commit`` in messages)."""
    try:
        inner = Repository.containing(risks_dir)
    except GitError:
        return repo, commit
    path = repo.relative(inner.root)
    if inner.root == repo.root or not path:
        return repo, commit
    listed = _git(repo.root, "ls-tree", "-z", commit, "--", path)
    meta = listed.stdout.split(b"\t", 1)[0].decode("ascii", "replace").split()
    if listed.returncode != 0 or len(meta) != 3 or meta[1] != "commit":
        return repo, commit  # not a submodule at that revision: its own folder, if any
    try:
        return inner, inner.commit(meta[2])
    except GitError:
        raise GitError(
            f"{revision} records commit {meta[2][:12]} of the submodule {path}/, which the submodule "
            "does not have; fetch it (git submodule update)"
        ) from None


def settings_at(repo: Repository, commit: str, config_path: Path) -> Settings | list[Diagnostic] | None:
    """The settings of mkdocs.yml as it was at ``commit``; None when that file (or the plugin) was not there."""
    config_rel = repo.relative(config_path)
    if config_rel is None:
        return None
    text = repo.read_text(commit, config_rel)
    if text is None:
        return None

    def read(path: Path) -> str | None:
        # A file INHERITed, from the same revision; one outside the repository is not there.
        relative = repo.relative(path)
        return repo.read_text(commit, relative) if relative else None

    try:
        return parse_settings(text, config_path, read)
    except UsageError:
        return None


def register_at(repo: Repository, commit: str, settings: Settings, build_date: dt.date) -> Register | None:
    """The register built from the risk files at ``commit``; None when the risks folder is not there."""
    entries: list[TreeEntry] = []
    folder = None
    # The folder as mkdocs.yml names it; where it leads when that is a symbolic link (to a folder
    # of the same repository), which git stores as a link, not as the folder.
    for path in dict.fromkeys((settings.risks_dir, settings.risks_dir.resolve())):
        folder = repo.relative(path)
        entries = repo.list_tree(commit, folder) if folder is not None else []
        if entries:
            break
    if not entries or folder is None:
        return None
    prefix = folder + "/" if folder else ""
    blobs = {entry.path: entry for entry in entries if entry.kind == "blob"}

    def display(path: str) -> str:
        # As on disk: below the risks folder as mkdocs.yml names it.
        return Path(os.path.relpath(settings.risks_dir / path[len(prefix) :], settings.base_dir)).as_posix()

    problems: list[Diagnostic] = []
    wanted = [(display(e.path), e) for e in blobs.values() if is_risk_path(e.path[len(prefix) :])]

    # A symbolic link's blob is its target path: followed only to a file inside the risks
    # folder of the same tree, as discovery does on disk.
    links = [(shown, entry) for shown, entry in wanted if entry.mode == SYMLINK_MODE]
    targets = repo.read_objects([entry.object_id for _, entry in links])
    resolved: dict[str, TreeEntry] = {}
    for (shown, entry), target in zip(links, targets, strict=True):
        target_path = posixpath.normpath(
            posixpath.join(posixpath.dirname(entry.path), (target or b"").decode("utf-8", "surrogateescape"))
        )
        final = blobs.get(target_path)
        if final is None or final.mode == SYMLINK_MODE or not target_path.startswith(prefix):
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    "warning",
                    "symbolic link leads outside the risks folder; not followed",
                    "symlink-outside",
                )
            )
            continue
        resolved[shown] = final

    readable: list[tuple[str, TreeEntry]] = []
    results: list[tuple[str, bytes | Diagnostic]] = []
    for shown, entry in wanted:
        actual = resolved.get(shown, entry) if entry.mode == SYMLINK_MODE else entry
        if actual.mode == SYMLINK_MODE:
            continue
        refused = too_large(shown, actual.size, settings.max_file_size)
        if refused is not None:
            results.append((shown, refused))
        else:
            readable.append((shown, actual))
    contents = repo.read_objects([entry.object_id for _, entry in readable])
    for (shown, _), data in zip(readable, contents, strict=True):
        results.append(
            (shown, data if data is not None else Diagnostic(shown, 1, "error", "cannot read file", "unreadable"))
        )
    checked = [(shown, check_file(shown, data, settings.model)) for shown, data in results]
    return assemble(checked, settings.model, build_date, problems)
