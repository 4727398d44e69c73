"""The fast paths that make a large register cheap give exactly what the slow, general paths give.

Inline Markdown without syntax characters skips markdown-it with the same result. The history reads
each version of a risk file from front-matter entries parsed for other versions, with the same result
as parsing the version whole.
"""

from __future__ import annotations

import html
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mkdocs_risk_register import model_from_settings
from mkdocs_risk_register.front_entries import EntryCache
from mkdocs_risk_register.history import read_snapshot
from mkdocs_risk_register.loader import parse_file
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


# Versions of front matter: each key with values that change from version to version and values that
# YAML reads across lines (quotes, brackets, block scalars, continued plain text), in any order, with
# lines that no entry can vouch for (anchors, comments, odd keys, odd line breaks, a key given twice).
KEY_VALUES = {
    "id": ["RSK-1", "RSK-2", "[RSK-1"],
    "title": [
        "Tenant data leak",
        "'quoted across\n  two lines'",
        '"never closed',
        "|+\n  kept with its blank lines\n",
        ">\n  folded\n  text",
        "plain\n  continued",
        "",
        "x # a comment",
        "a\u2028status: Closed",
    ],
    "category": ["Technical", "Operational"],
    "probability": ["High", "Low", "3"],
    "impact": ["Medium", "High"],
    "owner": ["Team", "\n- Alice\n- Bob", "[Alice, Bob]", "&a Team", "*a"],
    "status": ["Open", "Closed", "|\n  Open"],
    "reviewed": ["2026-01-06", "2026-02-30"],
    "residual": ["{probability: Low, impact: Low}", "\n  probability: Low\n  impact: Low"],
    "treatment": ["mitigate", "accept"],
    "related": ["\n- RSK-2", "\n  - RSK-2"],
    "mitigation": ["one\ntwo", "one\n\n  two"],
}
ODD_LINES = [
    "  indented: line",
    "# a comment",
    "",
    "-dash: key",
    "? complex\n: key",
    "<<: {title: merged}",
    "\ttab: key",
    "--- not a fence",
    "2024: a number key",
    "owner: again",
    "title: x\u2028",
]
REQUIRED = ("id", "title", "category", "probability", "impact", "owner", "status")
ENTRIES = st.tuples(
    *(
        st.sampled_from([*([] if key in REQUIRED else [None]), *(f"{key}: {value}" for value in values)])
        for key, values in KEY_VALUES.items()
    )
)
FRONTS = st.tuples(ENTRIES, st.lists(st.sampled_from(ODD_LINES), max_size=2), st.randoms(use_true_random=False)).map(
    lambda drawn: "\n".join(drawn[2].sample(lines := [e for e in (*drawn[0], *drawn[1]) if e is not None], len(lines)))
)
DEFAULT_MODEL = model_from_settings({})


@settings(max_examples=1500, deadline=None)
@given(st.lists(FRONTS, min_size=1, max_size=6))
def test_versions_read_from_cached_entries_agree_with_the_whole_parse(fronts: list[str]) -> None:
    # One cache for all versions, as for the versions of a history: entries parsed for one serve the next.
    entries = EntryCache()
    for front in fronts:
        data = f"---\n{front}\n---\nBody\n".encode()
        assert read_snapshot("RSK-1.md", data, DEFAULT_MODEL, entries) == read_snapshot("RSK-1.md", data, DEFAULT_MODEL)
        fast = entries.parse_file("RSK-1.md", data)
        if fast is not None:  # the values only: lines count from each entry
            whole, _ = parse_file("RSK-1.md", data)
            assert whole is not None
            assert [(key, v.value, v.source_text, v.item_texts) for key, v in fast.fields.items()] == [
                (key, v.value, v.source_text, v.item_texts) for key, v in whole.fields.items()
            ]
            assert fast.body == whole.body


def test_cached_entries_read_the_usual_risk_file_and_leave_the_rest_to_the_whole_parse() -> None:
    entries = EntryCache()
    usual = "---\nid: RSK-1\ntitle: Tenant data leak\nowner:\n- Alice\n- Bob\nstatus: Open\n---\nBody\n"
    parsed = entries.parse_file("RSK-1.md", usual.encode())
    assert parsed is not None and parsed.fields["owner"].value == ["Alice", "Bob"]
    # Read again with a new status: three of its four entries were parsed for the first version.
    assert len(entries.entries) == 4
    assert entries.parse_file("RSK-1.md", usual.replace("Open", "Closed").encode()) is not None
    assert len(entries.entries) == 5
    for front in (
        "id: RSK-1\nowner: &team Alice\nchampion: *team",  # an alias across entries
        "# a comment first\nid: RSK-1",  # a line at column 0 that is no plain key
        "title: 'open\nid: RSK-1'",  # a quote across entries
    ):
        assert entries.parse_file("RSK-1.md", f"---\n{front}\n---\n".encode()) is None, front


def test_entries_new_in_one_version_are_cached_only_as_the_key_at_their_first_line() -> None:
    # Read together, "t: 'x" swallows "y: z'" into its quote and a line separator (U+2028, a line break
    # to YAML) gives the last entry two keys: three keys for three entries, but not one on each's line.
    entries = EntryCache()
    first = "---\nt: 'x\ny: z'\na: 1\u2028b: 2\n---\n".encode()
    assert entries.parse_file("RSK-1.md", first) is None  # "t: 'x" alone is not YAML: the whole parse reads it
    # So "y: z'" is not cached as the key a: on its own it is y, a plain text with a quote in it.
    later = b"---\nid: RSK-1\ny: z'\n---\n"
    parsed, whole = entries.parse_file("RSK-1.md", later), parse_file("RSK-1.md", later)[0]
    assert parsed is not None and whole is not None
    assert {key: value.value for key, value in parsed.fields.items()} == {"id": "RSK-1", "y": "z'"}
    assert {key: value.value for key, value in whole.fields.items()} == {"id": "RSK-1", "y": "z'"}


def test_a_version_too_large_only_as_a_whole_is_not_a_risk_read_from_cached_entries() -> None:
    # Each of k1 and k2 expands to 1 + 1 + 101 + 59 x 101 = 6,062 values with its aliases (key, list, the
    # anchored list of 100 and its 59 copies): under the limit of 10,000 alone, over it together.
    def expanding(key: str) -> str:
        return f"{key}: [&{key} [{', '.join(['1'] * 100)}], {', '.join([f'*{key}'] * 59)}]"

    front = "\n".join(["id: RSK-1", "title: T", "category: C", "probability: Low", "impact: Low", "owner: O"])
    # Without aliases: k1 and k2 hold 1 + 1 + 5,001 values each, 10,007 with the rest of the file.
    long_lists = f"k1: [{', '.join(['1'] * 5001)}]\nk2: [{', '.join(['1'] * 5001)}]"
    for extra in (f"{expanding('k1')}\n{expanding('k2')}", long_lists):
        data = f"---\n{front}\nstatus: Open\n{extra}\n---\n".encode()
        read = read_snapshot("RSK-1.md", data, DEFAULT_MODEL, EntryCache())
        assert read == "front matter is too large: more than 10,000 values once aliases are expanded [yaml-error]"
