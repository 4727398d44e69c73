"""Safe rendering of user text: inline Markdown to HTML, plain text, and heading Markdown.

Risk fields are inline Markdown written by many authors. They are rendered with
markdown-it-py with raw HTML disabled, so ``<script>`` shows as text, and the
result goes into raw HTML that MkDocs passes through unchanged: a ``|`` or a
line break in a value can never split a table cell.
"""

from __future__ import annotations

import html
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt

_INLINE = MarkdownIt("commonmark", {"html": False})
# Python-Markdown's backslash-escapable characters.
_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def one_line(text: str) -> str:
    """Collapse line breaks and runs of white space; drop control characters."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n\r")
    return " ".join(cleaned.split())


@lru_cache(maxsize=4096)
def inline_html(text: str) -> str:
    """Inline Markdown (emphasis, code, links) as HTML; raw HTML is escaped."""
    rendered: str = _INLINE.renderInline(one_line(text))
    return rendered.strip()


@lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """The text a reader sees, without Markdown syntax: for headings, tooltips, chart labels."""
    tokens = _INLINE.parseInline(one_line(text))
    parts: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return one_line("".join(parts))


def markdown_text(text: str) -> str:
    """Literal text escaped so that Python-Markdown shows it as written, on one line."""
    return "".join(_HTML_SPECIAL.get(ch) or ("\\" + ch if ch in _ESCAPABLE else ch) for ch in one_line(text))


def heading_markdown(text: str) -> str:
    """An inline-Markdown value as plain, escaped text for a Markdown heading."""
    return markdown_text(plain_text(text))


def escape(text: str) -> str:
    """HTML-escape plain text (quotes included, so it is safe in attributes too)."""
    return html.escape(text, quote=True)
