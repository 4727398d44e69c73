"""Fitting a risk's Markdown body under a generated heading, using markdown-it-py's parse."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_BLOCKS = MarkdownIt("commonmark")
# A line that, white space aside, starts with "=" (a setext underline) or is "#" or starts with "# ".
_CANDIDATE_LINE = r"[^\S\n]*(?:=|#(?:[ \t]|[^\S\n]*(?:\n|\Z)))"
_FIRST_LINE = re.compile(_CANDIDATE_LINE)
# Led by a literal line break, which the regular expression engine scans for quickly (a
# MULTILINE "^" is tried at every character: five times slower on a 2 KB body).
_LATER_LINE = re.compile(r"\n" + _CANDIDATE_LINE)


def could_hold_level_one_heading(body: str) -> bool:
    """Cheap, conservative test before a parse: an h1 needs a '# ' line or a '=' underline."""
    return _FIRST_LINE.match(body) is not None or _LATER_LINE.search(body) is not None


def shift_headings(body: str, min_level: int) -> str:
    """Demote the body's top-level headings so the highest becomes ``min_level`` (at most h6).

    ATX headings get more ``#``; setext headings are rewritten as ATX ones. Only
    headings markdown-it-py recognises are touched, never lines inside code blocks.
    """
    if not body.strip():
        return body
    tokens = _BLOCKS.parse(body)
    headings = [t for t in tokens if t.type == "heading_open" and t.level == 0 and t.map]
    if not headings:
        return body
    shift = min_level - min(int(t.tag[1]) for t in headings)
    if shift <= 0:
        return body
    lines = body.split("\n")
    # Rewrite from the end so earlier line numbers stay valid when setext headings shrink.
    for token in reversed(headings):
        assert token.map is not None
        start, end = token.map
        level = min(6, int(token.tag[1]) + shift)
        if token.markup.startswith("#"):
            stripped = lines[start].lstrip(" ")
            lines[start] = "#" * level + stripped[len(token.markup) :]
        else:  # setext: content lines, then the underline
            content = " ".join(line.strip() for line in lines[start : end - 1])
            lines[start:end] = ["#" * level + " " + content]
    return "\n".join(lines)
