"""``risk-register render``: the generated pages and data as plain files, for hosts that cannot generate pages.

Zensical (and any other Python-Markdown site generator) runs no MkDocs plugin, so the register's pages are
written into the docs folder instead. The contract: a second run changes no byte (unchanged files are not
rewritten, so their times stay); only files this command wrote earlier are ever removed, and only when their
risk is gone and nobody changed them since; no other file is touched. What it wrote is kept in a small manifest
in the output folder, :data:`MANIFEST`.

A file in the way that render did not write (a hand-written page, a symbolic link, a folder) stops the whole
run before anything is written: render never writes through a link nor over someone else's file.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .views.site_files import GeneratedSite

MANIFEST = ".risk-register-render.json"
"""Beside the pages it lists: which files render wrote, with a hash of what it wrote."""
ASSETS = ("risk-register.css", "risk-register.js")
ASSETS_DIR = "assets"
_MANIFEST_KIND = "risk-register render"


from .markdown import Site, expand_views  # noqa: E402


def asset_files() -> dict[str, str]:
    """The table's script and the chart's styles, as the plugin adds them: path below the prefix -> text."""
    folder = resources.files("mkdocs_risk_register").joinpath("assets")
    return {f"{ASSETS_DIR}/{name}": folder.joinpath(name).read_text(encoding="utf-8") for name in ASSETS}


def rendered_files(site: GeneratedSite) -> dict[str, bytes]:
    """Every file of the register below its prefix folder: relative path -> bytes (UTF-8, LF)."""
    prefix = site.layout.src("")
    files: dict[str, str] = {}
    views = Site.of(site)
    for src_path, content in site.all_files():
        # The pages as plain files: their views drawn now, for a host that runs neither plugin nor extension.
        page = expand_views(content, views, src_path) if src_path.endswith(".md") else content
        files[src_path[len(prefix) :] if prefix else src_path] = page
    files.update(asset_files())
    return {path: text.encode("utf-8") for path, text in sorted(files.items())}


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def safe_relative(path: str) -> bool:
    """A plain relative path that stays inside its folder: no ``..``, no root, no empty or dot parts."""
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return all(part not in ("", ".", "..") for part in parts) and posixpath.normpath(path) == path


@dataclass(frozen=True)
class Conflict:
    path: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """What a run would do in ``out_dir``; :func:`apply` carries it out."""

    out_dir: Path
    wanted: Mapping[str, bytes]
    writes: tuple[str, ...]
    """New files, and files render wrote before whose content changes."""
    removals: tuple[str, ...]
    """Files render wrote for risks that are gone, unchanged since."""
    kept: tuple[str, ...]
    """Files render wrote for risks that are gone but someone changed since: left alone."""
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...] = ()
    manifest: bytes = b""
    manifest_changed: bool = False
    unchanged: int = 0

    @property
    def up_to_date(self) -> bool:
        """The pages and data on disk are what render writes (the manifest is bookkeeping, not site content)."""
        return not (self.writes or self.removals or self.conflicts)

    @property
    def differences(self) -> list[str]:
        """What ``--check`` lists: every file whose content on disk differs from what render writes."""
        return sorted({*self.writes, *self.removals, *(c.path for c in self.conflicts)})


def manifest_text(wanted: Mapping[str, bytes]) -> bytes:
    data = {"written_by": _MANIFEST_KIND, "files": {path: _digest(content) for path, content in sorted(wanted.items())}}
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _read_manifest(path: Path) -> tuple[dict[str, str], list[str]]:
    """The files a previous run wrote, with their hashes; entries that are not safe paths are ignored."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return {}, []
    if not stat.S_ISREG(info.st_mode):
        return {}, [f"{MANIFEST} is not a regular file; it is ignored"]
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}, [f"{MANIFEST} cannot be read; nothing is removed this time, and it is written anew"]
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}, [f"{MANIFEST} lists no files; nothing is removed this time, and it is written anew"]
    listed = {key: value for key, value in files.items() if isinstance(value, str) and safe_relative(str(key))}
    notes = [f"{MANIFEST} names paths outside its folder; they are ignored"] if len(listed) < len(files) else []
    return listed, notes


def _in_the_way(out_dir: Path, path: str) -> str | None:
    """Why a folder on the way to ``path`` cannot be used: a link or a file where a folder should be."""
    current = out_dir
    for part in path.split("/")[:-1]:
        current = current / part
        try:
            info = current.lstat()
        except FileNotFoundError:
            return None  # created on write
        if stat.S_ISLNK(info.st_mode):
            return f"{current.relative_to(out_dir).as_posix()} is a symbolic link; render writes nothing through one"
        if not stat.S_ISDIR(info.st_mode):
            return f"{current.relative_to(out_dir).as_posix()} is a file where render needs a folder"
    return None


def plan(out_dir: Path, wanted: Mapping[str, bytes]) -> Plan:
    """Compare ``wanted`` (relative path -> bytes) with ``out_dir`` and its manifest; reads, never writes."""
    for path in wanted:
        if not safe_relative(path) or path == MANIFEST:
            raise ValueError(f"render would write outside its folder: {path!r}")
    if out_dir.exists() and not out_dir.is_dir():
        return Plan(out_dir, wanted, (), (), (), (Conflict(".", "the output path is a file, not a folder"),))
    previous, notes = _read_manifest(out_dir / MANIFEST)
    writes: list[str] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for path, content in wanted.items():
        blocked = _in_the_way(out_dir, path)
        if blocked is not None:
            conflicts.append(Conflict(path, blocked))
            continue
        target = out_dir / path
        try:
            info = target.lstat()
        except FileNotFoundError:
            writes.append(path)
            continue
        if stat.S_ISLNK(info.st_mode):
            conflicts.append(Conflict(path, "is a symbolic link; render writes nothing through one"))
        elif not stat.S_ISREG(info.st_mode):
            conflicts.append(Conflict(path, "is not a regular file"))
        elif info.st_size == len(content) and target.read_bytes() == content:
            unchanged += 1
        elif path in previous:
            writes.append(path)
        else:
            conflicts.append(Conflict(path, "exists and was not written by render; move it, or render elsewhere"))
    removals: list[str] = []
    kept: list[str] = []
    for path, digest in sorted(previous.items()):
        if path in wanted or _in_the_way(out_dir, path) is not None:
            continue
        target = out_dir / path
        try:
            info = target.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # render wrote a regular file there; whatever is there now is someone else's
        if _digest(target.read_bytes()) == digest:
            removals.append(path)
        else:
            kept.append(path)
    manifest = manifest_text(wanted)
    manifest_path = out_dir / MANIFEST
    manifest_changed = True
    try:
        info = manifest_path.lstat()
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            conflicts.append(Conflict(MANIFEST, "is not a regular file; render writes nothing through it"))
        else:
            manifest_changed = manifest_path.read_bytes() != manifest
    except FileNotFoundError:
        pass
    return Plan(
        out_dir,
        wanted,
        tuple(sorted(writes)),
        tuple(removals),
        tuple(kept),
        tuple(conflicts),
        tuple(notes),
        manifest,
        manifest_changed,
        unchanged,
    )


def _write_file(target: Path, content: bytes) -> None:
    """Write through a temporary file beside ``target`` and rename it over: never a half-written page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".risk-register-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Applied:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def apply(result: Plan) -> Applied:
    """Carry out a plan without conflicts: write what changed, remove what is stale, then the manifest."""
    if result.conflicts:
        raise ValueError("a plan with conflicts is not applied")
    applied = Applied()
    for path in result.writes:
        _write_file(result.out_dir / path, result.wanted[path])
        applied.written.append(path)
    for path in result.removals:
        (result.out_dir / path).unlink(missing_ok=True)
        applied.removed.append(path)
    if result.manifest_changed:
        _write_file(result.out_dir / MANIFEST, result.manifest)
    return applied


def describe(paths: Iterable[str], out_dir: Path, base_dir: Path) -> list[str]:
    """Paths for messages: relative to the folder of mkdocs.yml where they lie below it."""
    shown = []
    for path in paths:
        full = out_dir / path
        try:
            shown.append(full.relative_to(base_dir).as_posix())
        except ValueError:
            shown.append(full.as_posix())
    return shown
