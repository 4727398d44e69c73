"""Finding risk files and splitting them into front matter (with key lines) and body."""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .defaults import MAX_FILE_SIZE
from .diagnostics import Diagnostic

# Bounds on the YAML node graph with aliases expanded: a "billion laughs" file is
# refused after this many nodes instead of being constructed.
MAX_YAML_NODES = 10_000
MAX_YAML_DEPTH = 64


class _TooDeep(yaml.MarkedYAMLError):
    pass


class PureSafeLoader(yaml.SafeLoader):
    """The pure-Python loader, stopped at ``MAX_YAML_DEPTH`` while it composes.

    Its composer recurses once per level: 100,000 '[' took a second to end in a
    RecursionError. (libyaml stops at 1,000 levels by itself.)
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(problem=f"nested more than {MAX_YAML_DEPTH} levels deep", problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# The C loader is many times faster; the pure-Python one gives the same results.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", PureSafeLoader)
SKIPPED_NAMES = frozenset({"readme.md", "index.md"})


@dataclass(frozen=True)
class SourceFile:
    """A risk file to read: its path for messages and its absolute path on disk."""

    display_path: str
    abs_path: str
    """Its path on disk, as a plain string: in a large register, Path objects cost more than the reading."""


class FrontMatterValue(NamedTuple):
    """One top-level key of the front matter."""

    value: Any
    line: int
    # YAML's source text for a plain scalar (so ``title: 1984`` keeps "1984"); None otherwise.
    source_text: str | None
    # For a list: the source text of each item that is a plain scalar (so ``[On, 007]`` keeps
    # "On" and "007"), None for the others.
    item_texts: tuple[str | None, ...] = ()

    def items(self) -> list[FrontMatterValue]:
        """A list's items, each with its own source text, as if each were the key's value."""
        texts = self.item_texts or (None,) * len(self.value)
        return [FrontMatterValue(item, self.line, text) for item, text in zip(self.value, texts, strict=True)]


@dataclass(frozen=True)
class ParsedFile:
    path: str
    fields: dict[str, FrontMatterValue]
    body: str


def is_hidden_name(name: str) -> bool:
    """A file or folder name the discovery skips with everything below it."""
    return name.startswith(("_", "."))


def is_risk_path(relative: str) -> bool:
    """The discovery rules, for a path below ``risks_dir`` with forward slashes (on disk and in git).

    A risk file ends in ``.md`` (any case), is not README or index, and neither it nor a
    folder above it (below ``risks_dir``) has a name starting with ``_`` or ``.``.
    """
    *folders, filename = relative.split("/")
    folded = filename.lower()
    return (
        folded.endswith(".md")
        and folded not in SKIPPED_NAMES
        and not any(is_hidden_name(name) for name in (*folders, filename))
    )


def too_large(path: str, size: int, max_size: int) -> Diagnostic | None:
    if size <= max_size:
        return None
    return Diagnostic(
        path,
        1,
        "error",
        f"file is {size:,} bytes, over the limit of {max_size:,} bytes (max_file_size)",
        "file-too-large",
    )


def discover(risks_dir: Path, base_dir: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every risk file below ``risks_dir``, sorted by path.

    Names starting with ``_`` or ``.`` and README/index files are skipped; a link
    leading outside ``risks_dir`` is not followed and is reported instead.
    """
    root = risks_dir.resolve()
    found: list[SourceFile] = []
    problems: list[Diagnostic] = []

    def unreadable_folder(error: OSError) -> None:
        # os.walk skips a folder it cannot list; say so instead of losing its risks silently.
        folder = display_path(Path(error.filename or risks_dir), base_dir)
        problems.append(Diagnostic(folder, 1, "error", f"cannot read folder: {error.strerror or error}", "unreadable"))

    for directory, subdirs, filenames in os.walk(risks_dir, followlinks=False, onerror=unreadable_folder):
        # Below a hidden folder no path is a risk path: not worth walking.
        subdirs[:] = [d for d in subdirs if not is_hidden_name(d)]
        for name in subdirs:
            # os.walk does not descend into linked folders; one leading outside is worth a word.
            linked = Path(directory, name)
            if linked.is_symlink() and not linked.resolve().is_relative_to(root):
                problems.append(
                    Diagnostic(
                        display_path(linked, base_dir),
                        1,
                        "warning",
                        "symbolic link leads outside the risks folder; not followed",
                        "symlink-outside",
                    )
                )
        folder = display_path(Path(directory), base_dir)
        below = Path(os.path.relpath(directory, risks_dir)).as_posix()
        for filename in filenames:
            if not is_risk_path(filename if below == "." else f"{below}/{filename}"):
                continue
            path = os.path.join(directory, filename)
            display = filename if folder == "." else f"{folder}/{filename}"
            if os.path.islink(path):
                target = Path(path).resolve()
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


def read_source(source: SourceFile, max_size: int = MAX_FILE_SIZE) -> bytes | Diagnostic:
    try:
        with open(source.abs_path, "rb") as handle:
            refused = too_large(source.display_path, os.fstat(handle.fileno()).st_size, max_size)
            if refused is not None:
                return refused
            return handle.read()
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


# A line that closes the front matter (decoded text has "\n" line breaks only).
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_front_matter(path: str, text: str) -> tuple[str, str] | Diagnostic:
    """(front matter, body) of a file whose first line is ``---``."""
    first_end = text.find("\n")
    if not _is_fence(text if first_end < 0 else text[:first_end], "---"):
        return Diagnostic(path, 1, "error", "no front matter: the file must start with a '---' line", "no-front-matter")
    closing = _CLOSING_FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        return Diagnostic(
            path, 1, "error", "front matter is never closed: add a '---' line after it", "no-front-matter"
        )
    front = text[first_end + 1 : closing.start() - 1]  # without the line break before the fence
    body = text[closing.end() + 1 :]  # after the fence's own line break, if any
    return front, body


def _count_nodes(root: yaml.Node) -> tuple[str, yaml.Node] | None:
    """Walk the node graph as construction would; say why it is too large, and where, if it is.

    Too many values points at the top-level key whose value expands them; too deep, at the
    node past the limit.
    """
    count = 0
    stack: list[tuple[yaml.Node, int, yaml.Node]] = [(root, 1, root)]
    while stack:
        node, depth, top = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            return f"more than {MAX_YAML_NODES:,} values once aliases are expanded", top
        if depth > MAX_YAML_DEPTH:
            return f"nested more than {MAX_YAML_DEPTH} levels deep", node
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1, child if depth == 1 else top) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                # The key goes on top: it is looked at first, as the composer reads it first.
                stack.append((value, depth + 1, key if depth == 1 else top))
                stack.append((key, depth + 1, key if depth == 1 else top))
    return None


# YAML 1.1 also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR; a file's lines do not.
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Lines:
    """File line numbers (the opening ``---`` is line 1) of YAML marks in the front matter."""

    def __init__(self, front: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", front)] if _YAML_ONLY_BREAKS.search(front) else None

    def of(self, mark: yaml.Mark | None) -> int:
        if mark is None:
            return 2
        if self.newlines is None:
            return mark.line + 2
        return bisect.bisect_left(self.newlines, mark.index) + 2


def _reader_error(path: str, front: str, error: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML refuses (a control character): its line, and what to do."""
    index = max(front.find(chr(error.character)), 0) if isinstance(error.character, int) else 0
    return Diagnostic(
        path,
        front.count("\n", 0, index) + 2,
        "error",
        f"front matter holds the control character U+{error.character:04X}, which YAML does not allow; "
        "delete it, or write it as an escape inside a double-quoted string",
        "yaml-error",
    )


def _plain_text(node: yaml.Node) -> str | None:
    """The text of a plain (unquoted) scalar as written, which YAML may read as a number, boolean or date."""
    return node.value if isinstance(node, yaml.ScalarNode) and not node.style else None


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        # An impossible timestamp such as 2026-02-30, or an int of more digits than Python
        # converts: keep the text, validation judges it.
        return _plain_text(node)


def _value(loader: yaml.SafeLoader, node: yaml.Node, line: int) -> FrontMatterValue:
    """A top-level value with the source text of its plain scalars, itself or (for a list) its items."""
    if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        items = [_construct(loader, item) for item in node.value]
        return FrontMatterValue(items, line, None, tuple(_plain_text(item) for item in node.value))
    return FrontMatterValue(_construct(loader, node), line, _plain_text(node))


_KEY_AND_VALUE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*): +\S")
_SYNTAX_STARTS = {
    "[": "a list",
    "{": "a mapping",
    "*": "an alias",  # `title: *Draft* plan`: emphasis to the author
    "&": "an anchor",
    "!": "a tag",
    "|": "a block of text",
    ">": "a block of text",
    "@": "reserved syntax",
    "`": "reserved syntax",
    "%": "a directive",
}
_CLOSERS = {"[": "]", "{": "}"}
_HINT_VALUE_LIMIT = 60


def quoting_hint(line_text: str) -> str:
    """Advice for a ``key: value`` line whose value YAML reads as syntax, or "" for any other line."""
    match = _KEY_AND_VALUE.match(line_text)
    if match is None:
        return ""
    key, value = match.group(1), line_text[match.end() - 1 :].split(" #", 1)[0].rstrip(" ")  # without a comment
    plain = '"' not in value and "\\" not in value and len(value) <= _HINT_VALUE_LIMIT
    quoted = f'{key}: "{value}"' if plain else f'{key}: "..."'
    if value[0] in _SYNTAX_STARTS and not (value[0] in "[{" and value[-1] in "]}"):
        closer = _CLOSERS.get(value[0])
        close = f"close it with '{closer}', or " if closer and closer not in value else ""
        read_as = _SYNTAX_STARTS[value[0]]
        return f"a value that starts with '{value[0]}' is read as {read_as} ({close}quote the text: {quoted})"
    if value[0] not in "\"'" and (": " in value or value.endswith(":")):
        return f"a ':' followed by a space or the line's end starts a new key (quote the text: {quoted})"
    return ""


def parse_front_matter(path: str, front: str) -> tuple[dict[str, FrontMatterValue], list[Diagnostic]] | Diagnostic:
    """Parse YAML front matter, keeping the file line of every top-level key.

    Line numbers count the opening ``---`` as line 1, so YAML's line 0 is line 2.
    """
    lines = _Lines(front)
    try:
        loader = SafeLoader(front)  # the pure-Python reader checks every character here
    except yaml.reader.ReaderError as error:
        return _reader_error(path, front, error)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, []
        too_large = _count_nodes(root)
        if too_large:
            reason, node = too_large
            return Diagnostic(
                path, lines.of(node.start_mark), "error", f"front matter is too large: {reason}", "yaml-error"
            )
        if not isinstance(root, yaml.MappingNode):
            return Diagnostic(
                path,
                lines.of(root.start_mark),
                "error",
                "front matter must be a mapping of keys to values",
                "yaml-error",
            )
        fields: dict[str, FrontMatterValue] = {}
        warnings: list[Diagnostic] = []
        for key_node, value_node in root.value:
            line = lines.of(key_node.start_mark)
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
            fields[key] = _value(loader, value_node, line)
        return fields, warnings
    except yaml.reader.ReaderError as error:  # the C reader checks characters as it goes
        return _reader_error(path, front, error)
    except _TooDeep as error:
        return Diagnostic(
            path, lines.of(error.problem_mark), "error", f"front matter is too large: {error.problem}", "yaml-error"
        )
    except yaml.MarkedYAMLError as error:
        line = lines.of(error.problem_mark or error.context_mark)
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        source_lines = front.split("\n")
        if 2 <= line <= len(source_lines) + 1 and "\t" in source_lines[line - 2]:
            message += " (the line holds a tab: YAML indents with spaces only)"
        elif error.context == "while scanning a quoted scalar" and error.context_mark is not None:
            message += f" (the quote opened on line {lines.of(error.context_mark)} is not closed)"
        else:
            # The usual cause: a value that is text to its author but YAML syntax to the parser.
            marked = (line, lines.of(error.context_mark) if error.context_mark else line)
            for hint in (quoting_hint(source_lines[n - 2]) for n in marked if 2 <= n <= len(source_lines) + 1):
                if hint:
                    message += f"; {hint}"
                    break
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
    front, body = split
    parsed = parse_front_matter(path, front)
    if isinstance(parsed, Diagnostic):
        return None, [parsed]
    fields, warnings = parsed
    return ParsedFile(path, fields, body), warnings


def iter_sources(sources: list[SourceFile], max_size: int) -> Iterator[tuple[str, bytes | Diagnostic]]:
    for source in sources:
        yield source.display_path, read_source(source, max_size)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def front_matter_date(value: object) -> dt.date | None:
    """A front-matter value as a date: a YAML date, or the text YYYY-MM-DD of a real day; else None."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
