"""A risk field's inline Markdown as elements of the page's element tree.

Titles, mitigations and contingencies are parsed by markdown-it-py with raw
HTML off (``<script>`` stays text, ``javascript:`` links stay text), as before;
what changes is the output: elements, not an HTML string. Put into the page's
tree, a field's links are seen by the host like any link of the page body:
MkDocs rewrites ``guide.md`` to the page's URL and ``--strict`` reports a link
to a missing page. Text is an ``AtomicString``, so Python-Markdown does not
parse it a second time; the serializer escapes it.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from urllib.parse import urlsplit

from markdown.util import AtomicString
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .text import flat, one_line

_INLINE = MarkdownIt("commonmark", {"html": False})
# Every character that can start inline syntax for commonmark (see text.py): without one, a value is text.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<&]")
_TAGS = {"em_open": "em", "strong_open": "strong", "s_open": "del"}

Relocate = Callable[[str], str]
"""Turns a link as written in a risk file into the link from the page that shows it."""


def append_text(parent: etree.Element, text: str) -> None:
    """Add plain text at the end of ``parent``'s content (after its last child, if any).

    Line breaks become spaces and control characters go: a value shows on one line.
    """
    text = flat(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = AtomicString((last.tail or "") + text)
    else:
        parent.text = AtomicString((parent.text or "") + text)


def append_inline(parent: etree.Element, value: str, relocate: Relocate | None = None) -> None:
    """Append a field's inline Markdown, on one line, to ``parent``."""
    line = one_line(value)
    if not _INLINE_SYNTAX.search(line):  # most values: plain text, no parse
        append_text(parent, line)
        return
    tokens = _INLINE.parseInline(line)
    children = tokens[0].children if tokens else None
    _build(parent, children or [], relocate)


def _build(parent: etree.Element, tokens: list[Token], relocate: Relocate | None) -> None:
    stack = [parent]
    for token in tokens:
        current = stack[-1]
        kind = token.type
        if kind in ("text", "text_special"):
            append_text(current, token.content)
        elif kind in ("softbreak", "hardbreak"):
            append_text(current, " ")
        elif kind == "code_inline":
            code = etree.SubElement(current, "code")
            code.text = AtomicString(token.content)
        elif kind in _TAGS:
            stack.append(etree.SubElement(current, _TAGS[kind]))
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            anchor = etree.SubElement(current, "a", {"href": relocate(href) if relocate else href})
            if token.attrs.get("title"):
                anchor.set("title", str(token.attrs["title"]))
            stack.append(anchor)
        elif kind == "image":
            src = str(token.attrs.get("src", ""))
            image = etree.SubElement(current, "img", {"src": relocate(src) if relocate else src})
            image.set("alt", "".join(child.content for child in token.children or []))
            if token.attrs.get("title"):
                image.set("title", str(token.attrs["title"]))
        elif kind.endswith("_close") and len(stack) > 1:
            stack.pop()


def relocator(from_dir: str, to_dir: str) -> Relocate | None:
    """Relative links written from ``from_dir`` (the register's pages), rewritten for a page in ``to_dir``.

    None when both are the same folder: links stay as written.
    """
    if from_dir == to_dir:
        return None

    def relocate(href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
            return href  # absolute, external, or only a #fragment / ?query on the same page
        target = posixpath.normpath(posixpath.join(from_dir, parts.path))
        moved = posixpath.relpath(target, to_dir or ".")
        if parts.path.endswith("/") and not moved.endswith("/"):
            moved += "/"
        return moved + href[len(parts.path) :]

    return relocate
