"""Safe rendering of user text: inline Markdown to HTML, plain text, and heading Markdown.

Risk fields are inline Markdown written by many authors. They are rendered with
markdown-it-py with raw HTML disabled, so ``<script>`` shows as text, and the
result goes into raw HTML that MkDocs passes through unchanged: a ``|`` or a
line break in a value can never split a table cell.
"""

from __future__ import annotations

import html
import re
import string
from functools import lru_cache

from markdown_it import MarkdownIt

from ..words import Words, isolated

_INLINE = MarkdownIt("commonmark", {"html": False})
# Python-Markdown's backslash-escapable characters, and the three that markdown_text writes as entities.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!&<>]")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Unicode's Cc category (C0 and C1 controls), tab, line feed and carriage return aside.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Every character that can start inline syntax for commonmark's inline rules (escape, code,
# emphasis, links, images, autolinks, entities); text without any is plain text to markdown-it.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<&]")


def one_line(text: str) -> str:
    """Collapse line breaks and runs of white space; drop control characters."""
    return " ".join(CONTROL.sub("", text).split())


def has_control(text: str) -> bool:
    """Whether ``text`` holds a line break or a control character."""
    return "\n" in text or "\r" in text or CONTROL.search(text) is not None


def flat(text: str) -> str:
    """Line breaks as spaces, control characters dropped; the rest as written (for text beside other text)."""
    return CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")


def _markdown_it_escape(text: str) -> str:
    """What markdown-it writes for plain text: &, <, > and " escaped, ' kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# A risk's title and actions appear on several pages, so their renderings are cached; values
# longer than this (rare, up to the file size limit) are rendered each time instead of held.
_CACHED_LENGTH = 1000
_CACHE_SIZE = 65536


def inline_html(text: str) -> str:
    """Inline Markdown (emphasis, code, links) as HTML; raw HTML is escaped."""
    return _cached_inline_html(text) if len(text) <= _CACHED_LENGTH else _inline_html(text)


def _inline_html(text: str) -> str:
    line = one_line(text)
    if not _INLINE_SYNTAX.search(line):
        # Most values hold no syntax: skip the parse (tens of µs a value, thousands of values).
        return _markdown_it_escape(line)
    rendered: str = _INLINE.renderInline(line)
    return rendered.strip()


_cached_inline_html = lru_cache(maxsize=_CACHE_SIZE)(_inline_html)


def plain_text(text: str) -> str:
    """The text a reader sees, without Markdown syntax: for headings, tooltips, chart labels."""
    return _cached_plain_text(text) if len(text) <= _CACHED_LENGTH else _plain_text(text)


def _plain_text(text: str) -> str:
    line = one_line(text)
    if not _INLINE_SYNTAX.search(line):
        return line
    tokens = _INLINE.parseInline(line)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return one_line("".join(parts))


_cached_plain_text = lru_cache(maxsize=_CACHE_SIZE)(_plain_text)


def _markdown_escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _HTML_SPECIAL.get(ch) or "\\" + ch


def markdown_text(text: str) -> str:
    """Literal text escaped so that Python-Markdown shows it as written, on one line."""
    return _MARKDOWN_SPECIAL.sub(_markdown_escape, one_line(text))


# What can make plain text read as Markdown or HTML: inline syntax anywhere (escapes, code, emphasis, links,
# attribute lists, raw HTML, entities, a heading's closing hashes), and block syntax at the start of a line
# (a list item, a quote). Text without any is written as it is, so the pages keep their Markdown as it was.
_INLINE_MARKUP = re.compile(r"[\\`*_{}\[\]<>&#]")
# A list item's or a quote's mark: "-", "+" or ">", or digits and "." or ")", then a space or the end.
_BLOCK_START = re.compile(r"^(\s*\d*)([-+>.)])(?=\s|$)")


def _escape_block_start(text: str) -> str:
    """``text`` with the mark that would make its line a list item or a quote escaped (``8\\. März``)."""
    match = _BLOCK_START.match(text)
    if match is None or (match.group(2) in ".)") != any(c.isdigit() for c in match.group(1)):
        return text  # "-", "+" and ">" start a block alone, "." and ")" only after digits
    return f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}"


def literal_markdown(text: str, *, line_start: bool = True) -> str:
    """A catalogue entry (or a ``labels`` value: plain text) as Markdown that shows it as written.

    Like :func:`markdown_text`, but its spaces are kept (a piece of a sentence may begin or end with one);
    ``line_start``: whether the text begins a line, where a list's or a quote's mark would count."""
    text = flat(text)
    if _INLINE_MARKUP.search(text):
        return _MARKDOWN_SPECIAL.sub(_markdown_escape, text)
    return _escape_block_start(text) if line_start else text


def heading_markdown(text: str) -> str:
    """An inline-Markdown value as plain, escaped text for a Markdown heading."""
    return markdown_text(plain_text(text))


# Characters beyond Latin-1 that the generated pages themselves use, as character references: one
# such character makes Python store a whole page at two bytes a character, and MkDocs keeps every
# page in memory until the build ends.
EM_DASH = "&#8212;"
RIGHT_ARROW = "&#8594;"
_WIDE_SCAFFOLDING = str.maketrans({"\u2013": "&#8211;", "\u2014": EM_DASH, "\u2192": RIGHT_ARROW})


def narrow(html: str) -> str:
    """``html`` with the en dash, em dash and arrow as character references (short strings only)."""
    return html.translate(_WIDE_SCAFFOLDING)


def escape(text: str) -> str:
    """HTML-escape plain text (quotes included, so it is safe in attributes too)."""
    # Most values (names, levels, ids) have nothing to escape: five substring tests (faster
    # than a regular expression's search) skip the five replaces.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def markdown_words(words: Words, key: str, count: int | None = None, /, **markdown: object) -> str:
    """A catalogue entry as Markdown: its text escaped (:func:`literal_markdown`), then its placeholders
    filled with ``markdown`` (ready Markdown: links, escaped values) and ``count``."""
    values = markdown if count is None else {"count": count, **markdown}
    parts: list[str] = []
    for text, name, _, _ in string.Formatter().parse(words.form(key, count)):
        parts.append(literal_markdown(text, line_start=not any(parts)))
        if name is not None:
            value = values[name]
            shown = isolated(value) if isinstance(value, str) else str(value)
            parts.append(shown if any(parts) else _escape_block_start(shown))
    return "".join(parts)


def html_words(words: Words, key: str, count: int | None = None, /, **html: object) -> str:
    """A catalogue entry as HTML: its text escaped, then its placeholders filled with ``html`` (ready HTML:
    links, code) and ``count``. An entry comes from the configuration too (``labels``): never trusted as HTML."""
    values = html if count is None else {"count": count, **html}
    return escape(words.form(key, count)).format_map(values)
