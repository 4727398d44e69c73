"""The fast paths that make a large register cheap give exactly what the slow, general paths give.

Inline Markdown without syntax characters skips markdown-it with the same result.
"""

from __future__ import annotations

import html
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mkdocs_risk_register.views.text import escape, inline_html, markdown_text, one_line, plain_text

# Reference implementations: the plain, slow definitions the fast code must match.
MARKDOWN_IT = MarkdownIt("commonmark", {"html": False})


def slow_one_line(text: str) -> str:
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n\r")
    return " ".join(cleaned.split())


def slow_plain_text(text: str) -> str:
    parts = []
    for token in MARKDOWN_IT.parseInline(slow_one_line(text)):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return slow_one_line("".join(parts))


def slow_markdown_text(text: str) -> str:
    special = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(special.get(ch) or ("\\" + ch if ch in "\\`*_{}[]()#+-.!" else ch) for ch in slow_one_line(text))


# Every ASCII character, controls, NBSP, NEL, the line separators and a few letters beyond ASCII.
TEXT_ALPHABET = st.sampled_from([chr(c) for c in range(128)] + ["\x85", "\xa0", "\u2028", "\u2029", "é", "→", "𝔸"])
TEXTS = st.one_of(
    st.text(TEXT_ALPHABET, max_size=40),
    st.lists(st.sampled_from(["word", " ", "`code`", "**b**", "_i_", "[l](u)", "<x>", "&amp;", "\\*", '"q"', "'"])).map(
        "".join
    ),
)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_inline_text_fast_paths_agree_with_markdown_it(text: str) -> None:
    assert one_line(text) == slow_one_line(text)
    assert inline_html(text) == MARKDOWN_IT.renderInline(slow_one_line(text)).strip()
    assert plain_text(text) == slow_plain_text(text)
    assert markdown_text(text) == slow_markdown_text(text)
    assert escape(text) == html.escape(text, quote=True)


def test_inline_html_by_hand() -> None:
    assert inline_html('Plain "quoted" <b> & it\'s') == "Plain &quot;quoted&quot; &lt;b&gt; &amp; it's"
    assert inline_html("Use `tsvector`\nsearch") == "Use <code>tsvector</code> search"
    assert plain_text("**Bold** and `code`") == "Bold and code"
