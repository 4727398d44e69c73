"""Finding risk files and splitting them into front matter (with key lines) and body."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic

# The C loader is many times faster; the pure-Python one gives the same results.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
# Bounds on the YAML node graph with aliases expanded: a "billion laughs" file is
# refused after this many nodes instead of being constructed.
MAX_YAML_NODES = 10_000
MAX_YAML_DEPTH = 64
SKIPPED_NAMES = frozenset({"readme.md", "index.md"})


@dataclass(frozen=True)
class SourceFile:
    """A risk file to read: its path for messages and its absolute path on disk."""

    display_path: str
    abs_path: Path


@dataclass(frozen=True)
class FrontMatterValue:
    """One top-level key of the front matter."""

    value: Any
    line: int
    # YAML's source text for a plain scalar (so ``title: 1984`` keeps "1984"); None otherwise.
    source_text: str | None


@dataclass(frozen=True)
class ParsedFile:
    path: str
    fields: dict[str, FrontMatterValue]
    body: str
    body_line: int


def discover(risks_dir: Path, base_dir: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every risk file below ``risks_dir``, sorted by path.

    Names starting with ``_`` or ``.`` and README/index files are skipped; a link
    leading outside ``risks_dir`` is not followed and is reported instead.
    """
    root = risks_dir.resolve()
    found: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for directory, subdirs, filenames in os.walk(risks_dir, followlinks=False):
        subdirs[:] = [d for d in subdirs if not d.startswith(("_", "."))]
        for filename in filenames:
            if filename.startswith(("_", ".")) or not filename.lower().endswith(".md"):
                continue
            if filename.lower() in SKIPPED_NAMES:
                continue
            path = Path(directory, filename)
            display = display_path(path, base_dir)
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root) or not target.is_file():
                    problems.append(
                        Diagnostic(
                            display,
                            1,
                            "warning",
                            "symbolic link leads outside the risks folder; not followed",
                            "symlink-outside",
                        )
                    )
                    continue
            found.append(SourceFile(display, path))
    found.sort(key=lambda source: source.display_path)
    return found, problems


def display_path(path: Path, base_dir: Path) -> str:
    """A path relative to the folder holding mkdocs.yml, with forward slashes."""
    try:
        return Path(os.path.relpath(path, base_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def read_source(source: SourceFile, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes | Diagnostic:
    try:
        size = source.abs_path.stat().st_size
        if size > max_size:
            return Diagnostic(
                source.display_path,
                1,
                "error",
                f"file is {size:,} bytes, over the limit of {max_size:,} bytes (max_file_size)",
                "file-too-large",
            )
        return source.abs_path.read_bytes()
    except OSError as error:
        return Diagnostic(source.display_path, 1, "error", f"cannot read file: {error.strerror or error}", "unreadable")


def decode(path: str, data: bytes) -> str | Diagnostic:
    """UTF-8 text with a BOM removed and CRLF or CR line endings made LF."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        return Diagnostic(
            path,
            line,
            "error",
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); save the file as UTF-8",
            "encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_fence(line: str, *markers: str) -> bool:
    return line.rstrip(" \t") in markers


def split_front_matter(path: str, text: str) -> tuple[str, str, int] | Diagnostic:
    """(front matter, body, first body line) of a file whose first line is ``---``."""
    lines = text.split("\n")
    if not lines or not _is_fence(lines[0], "---"):
        return Diagnostic(path, 1, "error", "no front matter: the file must start with a '---' line", "no-front-matter")
    for index in range(1, len(lines)):
        if _is_fence(lines[index], "---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return Diagnostic(path, 1, "error", "front matter is never closed: add a '---' line after it", "no-front-matter")


def _count_nodes(root: yaml.Node) -> str | None:
    """Walk the node graph as construction would; say why it is too large, if it is."""
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            return f"more than {MAX_YAML_NODES:,} values once aliases are expanded"
        if depth > MAX_YAML_DEPTH:
            return f"nested more than {MAX_YAML_DEPTH} levels deep"
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return None


def parse_front_matter(path: str, front: str) -> tuple[dict[str, FrontMatterValue], list[Diagnostic]] | Diagnostic:
    """Parse YAML front matter, keeping the file line of every top-level key.

    Line numbers count the opening ``---`` as line 1, so YAML's line 0 is line 2.
    """
    loader = SafeLoader(front)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, []
        too_large = _count_nodes(root)
        if too_large:
            return Diagnostic(
                path, root.start_mark.line + 2, "error", f"front matter is too large: {too_large}", "yaml-error"
            )
        if not isinstance(root, yaml.MappingNode):
            return Diagnostic(
                path,
                root.start_mark.line + 2,
                "error",
                "front matter must be a mapping of keys to values",
                "yaml-error",
            )
        fields: dict[str, FrontMatterValue] = {}
        warnings: list[Diagnostic] = []
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 2
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(loader.construct_object(key_node))
            if key in fields:
                warnings.append(
                    Diagnostic(
                        path,
                        line,
                        "warning",
                        f"key '{key}' is given twice; the value on line {line} is used",
                        "duplicate-key",
                    )
                )
            source_text = value_node.value if isinstance(value_node, yaml.ScalarNode) and not value_node.style else None
            try:
                value = loader.construct_object(value_node, deep=True)
            except (ValueError, OverflowError):
                # An impossible timestamp such as 2026-02-30: keep the text, validation judges it.
                value = source_text
            fields[key] = FrontMatterValue(value, line, source_text)
        return fields, warnings
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 2
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        return Diagnostic(path, line, "error", f"front matter is not valid YAML: {message}", "yaml-error")
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as error:
        return Diagnostic(path, 2, "error", f"front matter is not valid YAML: {error}", "yaml-error")
    finally:
        loader.dispose()


def parse_file(path: str, data: bytes) -> tuple[ParsedFile | None, list[Diagnostic]]:
    """Bytes of a risk file to a :class:`ParsedFile`, or the diagnostics that stop it."""
    text = decode(path, data)
    if isinstance(text, Diagnostic):
        return None, [text]
    split = split_front_matter(path, text)
    if isinstance(split, Diagnostic):
        return None, [split]
    front, body, body_line = split
    parsed = parse_front_matter(path, front)
    if isinstance(parsed, Diagnostic):
        return None, [parsed]
    fields, warnings = parsed
    return ParsedFile(path, fields, body, body_line), warnings


def iter_sources(sources: list[SourceFile], max_size: int) -> Iterator[tuple[str, bytes | Diagnostic]]:
    for source in sources:
        yield source.display_path, read_source(source, max_size)
