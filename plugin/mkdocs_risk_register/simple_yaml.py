"""A fast path for the plain front matter nearly every risk file has.

PyYAML builds a node (with marks) for every value before constructing it, which
costs about 150 µs per risk file even with libyaml: most of a 10,000-risk
build's own time. This module reads the common shapes itself:

    key: plain text, possibly folded
      onto indented lines
    key: "double-quoted without escapes"
    key: 'single-quoted, possibly folded
      onto indented lines'
    key: [flow, "list", 0.5]
    key:
    - block list item

and resolves and constructs plain scalars with PyYAML's own resolver and
constructors, so values are exactly what PyYAML gives. Anything else (tabs,
anchors, tags, escapes, comments after values, nested collections, blank lines
inside values, ...) returns None and the caller uses PyYAML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

Entry = tuple[str, Any, int, "str | None"]
"""(key, value, line in the file, source text of a plain scalar value)."""

# PyYAML's implicit resolvers by first character, as Resolver.resolve reads them (it has no wildcard ones).
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))

# Characters YAML reads as something other than ordinary text, or that this reader leaves to PyYAML:
# tabs, carriage returns, NEL and the Unicode line separators, the BOM, C0/C1 controls.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# One key: blank and comment lines before it, its line (nothing after the colon, or spaces and
# the value's first line), then every following line that starts with a space or "-" (folded
# text, list items, blanks). Greedy and unambiguous, so matching stays linear in the text.
_ENTRY = re.compile(r"((?:#[^\n]*\n| *\n)*)([A-Za-z][A-Za-z0-9_-]*):(?: +(\S[^\n]*)| *)\n((?:[ -][^\n]*\n)*)")
# What may follow the last key: blank and comment lines.
_TAIL = re.compile(r"(?:#[^\n]*\n| *\n)*")
_QUOTES = frozenset("\"'")
# Indicators that may start something other than a plain scalar.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_ITEM = re.compile(r"( *)- +(\S.*)")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_FLOW_PLAIN = re.compile(r"[^\s,\[\]{}#:&*!|>'\"%@`?-][^,\[\]{}#:]*")


def _plain_ok(text: str) -> bool:
    """A one-line chunk of a block plain scalar that PyYAML reads as plain text, unchanged."""
    return bool(text) and text[0] not in _INDICATORS and _continuation_ok(text)


def _continuation_ok(text: str) -> bool:
    """A further line of a plain scalar: indicators are text there, but comments and ': ' are not."""
    return text[0] != "#" and ": " not in text and " #" not in text and text[-1] != ":"


@lru_cache(maxsize=4096)
def _construct(text: str) -> tuple[Any, bool]:
    """(value, ok) of a plain scalar as PyYAML resolves and constructs it; not ok for exotic tags.

    Cached: categories, levels, statuses and owners repeat across a register, and
    every value constructed here (str, int, float, bool, None, dates) is immutable.
    """
    tag = _STR_TAG
    for candidate, pattern in _IMPLICIT.get(text[0], ()):
        if pattern.match(text):
            tag = candidate
            break
    if tag == _STR_TAG:
        return text, True
    if tag not in _SCALAR_TAGS:
        return None, False
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text)), True


def _scalar(text: str) -> tuple[Any, str | None, bool]:
    """(value, plain source text, ok) of a one-line scalar item (quoted or plain)."""
    if text[0] == '"':
        match = _DOUBLE.fullmatch(text)
        return (match.group(1), None, True) if match else (None, None, False)
    if text[0] == "'":
        match = _SINGLE.fullmatch(text)
        return (match.group(1).replace("''", "'"), None, True) if match else (None, None, False)
    if not _plain_ok(text):
        return None, None, False
    value, ok = _construct(text)
    return value, text, ok


def _flow_list(text: str) -> tuple[list[Any], bool]:
    inner = text[1:-1].strip(" ")
    if not inner:
        return [], True
    items: list[Any] = []
    for piece in inner.split(","):
        item = piece.strip(" ")
        if not item:
            return [], False
        if item[0] in "\"'":
            value, _, ok = _scalar(item)
        elif _FLOW_PLAIN.fullmatch(item):
            value, ok = _construct(item)
        else:
            ok = False
        if not ok:
            return [], False
        items.append(value)
    return items, True


def _value(first: str | None, rest: list[str]) -> tuple[Any, str | None] | None:
    """(value, plain source text) of one key from its first line and the indented or "- " lines after it.

    None when the shape is one this reader leaves to PyYAML.
    """
    index = 0
    value: Any = None
    source: str | None = None
    try:
        if first is None:
            items: list[str] = []
            indent: str | None = None
            while index < len(rest) and (item := _ITEM.fullmatch(rest[index].rstrip(" "))):
                if indent is not None and item.group(1) != indent:
                    return None
                indent = item.group(1)
                items.append(item.group(2))
                index += 1
            if not items:
                source = ""
            else:
                value = []
                for item_text in items:
                    item_value, _, ok = _scalar(item_text)
                    if not ok:
                        return None
                    value.append(item_value)
        elif first[0] in _QUOTES:
            value, source, ok = _scalar(first)
            # A quoted value folded onto indented lines (as yaml.safe_dump writes long ones).
            while not ok and index < len(rest) and rest[index][:1] == " " and rest[index].strip(" "):
                first += " " + rest[index].strip(" ")
                index += 1
                value, source, ok = _scalar(first)
            if not ok:
                return None
        elif first[0] == "[":
            if first[-1] != "]":
                return None
            value, ok = _flow_list(first)
            if not ok:
                return None
        else:
            if not _plain_ok(first):
                return None
            # Further lines of a plain value are indented; they fold into one line.
            while index < len(rest) and rest[index][:1] == " " and (chunk := rest[index].strip(" ")):
                if not _continuation_ok(chunk):
                    return None
                first += " " + chunk
                index += 1
            source = first
            if first[0] in _IMPLICIT:
                value, ok = _construct(first)
                if not ok:
                    return None
            else:
                value = first  # no implicit type starts with this character: a string
    except (ValueError, OverflowError):
        # An impossible timestamp such as 2026-02-30: PyYAML's caller keeps the text (or nothing).
        value = source
    # Whatever follows the value before the next key must be blank: an indented line or a
    # "- " item left over is something this reader does not know.
    if any(line.strip(" ") for line in rest[index:]):
        return None
    return value, source


def parse(front: str, max_nodes: int) -> list[Entry] | None:
    """The top-level entries of ``front``, in order (duplicates kept), or None to use PyYAML.

    Line numbers count the opening ``---`` as line 1. A value that cannot be
    constructed (2026-02-30) is its plain source text, or None, as the caller
    does with PyYAML's.
    """
    if _UNUSUAL.search(front):
        return None
    text = front + "\n"
    entries: list[Entry] = []
    nodes = 1
    line = 2
    position = 0
    end = len(text)
    # Matched at each position in turn, never searched for: a search would rescan long lines.
    while position < end and (match := _ENTRY.match(text, position)) is not None:
        position = match.end()
        skipped, key, first, rest = match.groups()
        if skipped:
            line += skipped.count("\n")
        if first is not None:
            first = first.rstrip(" ")
        if not rest and first is not None and _plain_ok(first):
            # The common case, a one-line plain value, without the general path's calls.
            source: str | None = first
            if first[0] in _IMPLICIT:
                try:
                    value, ok = _construct(first)
                except (ValueError, OverflowError):
                    value, ok = first, True
                if not ok:
                    return None
            else:
                value = first
            lines = 1
        else:
            rest_lines = rest.split("\n")[:-1]
            read = _value(first, rest_lines)
            if read is None:
                return None
            value, source = read
            lines = 1 + len(rest_lines)
        nodes += 2 + (len(value) if isinstance(value, list) else 0)
        if nodes > max_nodes:
            return None
        entries.append((key, value, line, source))
        line += lines
    if _TAIL.fullmatch(text, position) is None:
        return None
    return entries
