"""Fitting a risk's Markdown body under a generated heading, using markdown-it-py's parse."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.htmlparser import HTMLExtractor
from markdown_it import MarkdownIt

_BLOCKS = MarkdownIt("commonmark")
_SENTINEL = "risk-register-end-of-body"
# How an unfinished construct at the end of a body is ended, by how it starts.
_UNFINISHED = (("<!--", "-->"), ("<![", "]]>"), ("<?", "?>"), ("<!", ">"), ("<", '">'))
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


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


def self_contained(body: str) -> str:
    """A body that leaves no code fence, comment or raw HTML block open for what follows it on a page.

    The top-risks page puts several bodies one after another. Python-Markdown takes
    everything after an unclosed ``<div>`` (or ``<pre>``, ``<?php``, ...) as raw
    HTML up to the end of the page, an unclosed ``<!--`` or code fence ends at the
    next body's ``-->`` or fence: the next risks' headings would vanish.
    """
    return close_raw_html(close_fences(body))


def close_fences(body: str) -> str:
    """The body with a closing line added for a code fence it leaves open."""
    _, still_open = _fences(body.split("\n"))
    return body if still_open is None else body.rstrip("\n") + "\n" + still_open + "\n"


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _fences(lines: list[str]) -> tuple[set[int], str | None]:
    """Indexes of the lines in closed code fences, and the closing line an open fence needs.

    Read line by line, as Python-Markdown's fence extensions do (they look for
    fences before anything else, even inside raw HTML).
    """
    inside: set[int] = set()
    opening: tuple[int, str, str] | None = None  # line index, indent, marker
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if opening is None:
            if not (marker[0] == "`" and "`" in line[match.end() :]):  # backticks after ``` make no fence
                opening = (index, line[: match.start(1)], marker)
        elif marker[0] == opening[2][0] and len(marker) >= len(opening[2]) and not line[match.end() :].strip():
            inside.update(range(opening[0], index + 1))
            opening = None
    return inside, None if opening is None else opening[1] + opening[2]


def close_raw_html(body: str) -> str:
    """The body with what its raw HTML leaves open closed, as Python-Markdown's own HTML
    block parser sees it; when closing is not enough, its ``<`` are escaped."""
    if "<" not in body:
        return body
    text = _without_code(body)
    # An unclosed '<!--' shows as text on the risk's own page: keep it text here too.
    last_close = max((m.end() for m in _COMMENT_CLOSE.finditer(text)), default=0)
    for opening in reversed([m.start() for m in re.finditer("<!--", text[last_close:])]):
        at = last_close + opening
        body, text = body[:at] + "&lt;" + body[at + 1 :], text[:at] + "&lt;" + text[at + 1 :]
    closed, closed_text = body, text
    for _ in range(3):  # closing one construct can reveal another
        closing = _closing(closed_text)
        if not closing:
            break
        closed = closed.rstrip("\n") + "\n" + closing + "\n"
        closed_text = closed_text.rstrip("\n") + "\n" + closing + "\n"
    if _closing(closed_text) or _runs_on(closed_text):
        return body.replace("<", "&lt;")
    # Inline raw HTML passes through: a browser reads everything after an unclosed
    # <script>, <style>, <textarea>, ... as that element's text.
    for name in _RAW_TEXT_ELEMENTS:
        openings = list(re.finditer(rf"<{name}(?=[\s/>])", closed_text, re.IGNORECASE))
        if openings and not re.search(rf"</{name}\s*>", closed_text[openings[-1].end() :], re.IGNORECASE):
            closed = closed.rstrip("\n") + f"</{name}>\n"
    return closed


# Elements whose content a browser reads as text up to their end tag.
_RAW_TEXT_ELEMENTS = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")


# Python-Markdown's end of a comment.
_COMMENT_CLOSE = re.compile(r"--!?>")


def _without_code(body: str) -> str:
    """The body with its code blocks blanked (same length): Python-Markdown sets code
    aside before it looks for raw HTML, so a ``<div>`` in code opens nothing."""
    if "```" not in body and "~~~" not in body and "    " not in body and "\t" not in body:
        return body
    lines = body.split("\n")
    code, _ = _fences(lines)
    for token in _BLOCKS.parse(body):
        if token.type == "code_block" and token.map:
            code.update(range(*token.map))
    return "\n".join(" " * len(line) if index in code else line for index, line in enumerate(lines))


def _html_blocks(text: str) -> HTMLExtractor:
    """Python-Markdown's own raw HTML block parser, fed ``text`` (and not closed)."""
    extractor = HTMLExtractor(Markdown())
    extractor.feed(text)
    return extractor


def _runs_on(text: str) -> bool:
    """Whether Python-Markdown would take what follows ``text`` as part of a raw HTML block."""
    extractor = _html_blocks(text + "\n\n" + _SENTINEL + "\n")
    extractor.close()
    return _SENTINEL not in "".join(extractor.cleandoc)


def _closing(text: str) -> str:
    """What ends the construct left open at the end of ``text``, then its open block tags."""
    extractor = _html_blocks(text)
    pending = ""
    if extractor.cdata_elem:  # inside <script> or <style>
        pending = f"</{extractor.cdata_elem}>"
    elif re.match(r"<[!?/A-Za-z]", extractor.rawdata):  # a declaration, tag, ... not finished
        pending = next(end for start, end in _UNFINISHED if extractor.rawdata.startswith(start))
    tags = [tag for tag in extractor.stack if tag not in _VOID_TAGS] if extractor.inraw else []
    if extractor.cdata_elem and tags and tags[-1] == extractor.cdata_elem:
        tags.pop()  # closed by ``pending`` already
    return pending + "".join(f"</{tag}>" for tag in reversed(tags))
