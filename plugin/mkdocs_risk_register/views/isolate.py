"""Keeping a risk's body to itself on a page that puts several bodies one after another.

Python-Markdown takes everything after an unclosed ``<div>`` (or ``<pre>``,
``<?php``, ...) as raw HTML up to the end of the page; an unclosed ``<!--`` or
code fence ends at the next body's ``-->`` or fence; a browser reads everything
after an unclosed ``<script>`` as script. On the top-risks page, the next risks'
headings would vanish. A body is therefore tried as written, then with what it
leaves open closed, then with its markup made inert, then as a code block: the
first that Python-Markdown renders with a heading right after it intact is used.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from markdown import Markdown
from markdown.htmlparser import HTMLExtractor

_SENTINEL = "risk-register-end-of-body"
# What later bodies may hold, after the heading that must survive: every closer a body could pair with
# (a ';' too: Python's HTML parser leaves '&#' unread until a ';' follows, then reads on).
_LATER = "\n\n".join(
    ["a; b &amp; c > d", "-->", "?>", "]]>", '">', "'>", "</div>", "</pre>", "</script>", "</style>"]
    + [char * length for char in "`~" for length in range(3, 13)]
)
# Elements whose content a browser reads as text up to their end tag.
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# How an unfinished construct at the end of a body is ended, by how it starts.
_UNFINISHED = (("<!--", "-->"), ("<![", "]]>"), ("<?", "?>"), ("<!", ">"), ("<", '">'))
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_MAY_RUN_ON = re.compile(r"<|```|~~~")


def self_contained(body: str) -> str:
    """The body, or the least changed version of it that leaves nothing open for what follows."""
    if not _MAY_RUN_ON.search(body):
        return body
    for candidate in (body, _closed(body), _inert(body)):
        if _stands_alone(candidate):
            return candidate
    return _as_code(body)


def _closed(body: str) -> str:
    """The body with a closing line for an open fence, an unclosed ``<!--`` shown as text (as on
    the risk's own page) and closing tags for what its raw HTML leaves open."""
    lines = body.rstrip("\n").split("\n")
    still_open = _open_fence(lines)
    if still_open is not None:
        lines.append(still_open)
    text = "\n".join(lines)
    last_close = max((m.end() for m in re.finditer(r"--!?>", text)), default=0)
    text = text[:last_close] + text[last_close:].replace("<!--", "&lt;!--")
    for _ in range(3):  # closing one construct can reveal another
        closing = _html_closing(text)
        if not closing:
            break
        text += "\n" + closing
    for name in _RAW_TEXT:
        openings = list(re.finditer(rf"<{name}(?=[\s/>])", text, re.IGNORECASE))
        if openings and not re.search(rf"</{name}\s*>", text[openings[-1].end() :], re.IGNORECASE):
            text += f"\n</{name}>"
    return text + "\n"


def _open_fence(lines: list[str]) -> str | None:
    """The closing line a code fence left open needs, reading fences line by line."""
    opening: tuple[str, str] | None = None  # indent, marker
    for line in lines:
        match = _FENCE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if opening is None:
            if not (marker[0] == "`" and "`" in line[match.end() :]):  # backticks after ``` make no fence
                opening = (line[: match.start(1)], marker)
        elif marker == opening[1] and not line[match.end() :].strip():
            opening = None
    return None if opening is None else opening[0] + opening[1]


def _html_closing(text: str) -> str:
    """What ends the construct Python-Markdown's HTML block parser is left in, then its open tags."""
    extractor = HTMLExtractor(Markdown())
    extractor.feed(text)
    pending = ""
    if extractor.cdata_elem:  # inside <script> or <style>
        pending = f"</{extractor.cdata_elem}>"
    elif re.match(r"<[!?/A-Za-z]", extractor.rawdata):  # a declaration, tag, ... not finished
        pending = next(end for start, end in _UNFINISHED if extractor.rawdata.startswith(start))
    tags = [tag for tag in extractor.stack if tag not in _VOID_TAGS] if extractor.inraw else []
    if extractor.cdata_elem and tags and tags[-1] == extractor.cdata_elem:
        tags.pop()  # closed by ``pending`` already
    return pending + "".join(f"</{tag}>" for tag in reversed(tags))


def _inert(body: str) -> str:
    """The body with its raw HTML shown as text and its fences made plain lines."""
    lines = body.replace("<", "&lt;").split("\n")
    return "\n".join("\u200b" + line if _FENCE.match(line) else line for line in lines)


def _as_code(body: str) -> str:
    """The body as one fenced code block, longer than any run of backticks in it."""
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    return f"{fence}text\n{body}\n{fence}\n"


@lru_cache(maxsize=1)
def _renderers() -> tuple[Markdown, ...]:
    """Python-Markdown with each fence extension a site is likely to use."""
    found = []
    for extension in ("fenced_code", "pymdownx.superfences"):
        try:
            found.append(Markdown(extensions=[extension]))
        except ImportError:  # pymdownx is installed with Material, not with this plugin
            continue
    return tuple(found)


class _Headings(HTMLParser):
    """Level-2 headings as a browser sees them (script and style content is not markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._open = True
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found[-1] += data


def _stands_alone(body: str) -> bool:
    """Whether a heading right after the body comes out as a heading, whatever follows it."""
    page = body.rstrip("\n") + f"\n\n## {_SENTINEL}\n\n" + _LATER + "\n"
    for renderer in _renderers():
        html = renderer.reset().convert(page)
        headings = _Headings()
        headings.feed(html)
        headings.close()
        if _SENTINEL not in headings.found:
            return False
        before = html[: html.find(f">{_SENTINEL}<")]
        if re.search(r"<plaintext(?=[\s/>])", before, re.IGNORECASE):  # nothing ever ends it
            return False
        for name in _RAW_TEXT:
            openings = list(re.finditer(rf"<{name}(?=[\s/>])", before, re.IGNORECASE))
            if openings and not re.search(rf"</{name}\s*>", before[openings[-1].end() :], re.IGNORECASE):
                return False
    return True
