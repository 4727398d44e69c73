"""Fitting a risk's Markdown body under a generated heading, using markdown-it-py's parse."""

from __future__ import annotations

from markdown_it import MarkdownIt

_BLOCKS = MarkdownIt("commonmark")


def could_hold_level_one_heading(body: str) -> bool:
    """Cheap, conservative test before a parse: an h1 needs a '# ' line or a '=' underline."""
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped.startswith("=") or stripped == "#" or stripped.startswith(("# ", "#\t")):
            return True
    return False


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
