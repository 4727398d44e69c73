"""The fast paths that make a large register cheap give exactly what the slow, general paths give.

- The front-matter reader (simple_yaml) agrees with PyYAML, or steps aside.
- Inline Markdown without syntax characters skips markdown-it with the same result.
"""

from __future__ import annotations

import html
import time
import unicodedata
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mkdocs_risk_register import simple_yaml
from mkdocs_risk_register.loader import MAX_YAML_NODES, parse_front_matter, split_front_matter
from mkdocs_risk_register.views.text import escape, inline_html, markdown_text, one_line, plain_text
from tests.helpers import REPO

SCALARS = [
    "plain words",
    "1984",
    "3.5",
    "on",
    "Yes",
    "no",
    "~",
    "null",
    "",
    "2026-02-08",
    "2026-02-30",
    "2026-02-08 10:30:00",
    "1:30",
    "0x1F",
    "017",
    "1_000",
    ".inf",
    ".NaN",
    "+12",
    "a: b",
    "a #b",
    "a#b",
    "#x",
    "-5",
    "- x",
    "-",
    "x:",
    "http://example.com/a?b=c",
    "Don't panic",
    "a  b",
    "<<",
    "=",
    "été ünïcödé",
    "a\u2028b",
    "a\tb",
    "a\x85b",
    "tab\t",
    'say "hi"',
    "[a, b]",
    "[0.70, 0.85]",
    '["#34", "#32"]',
    "[ 'it''s' , x ]",
    "[]",
    "[a,, b]",
    "[a, b,]",
    "[a: b]",
    "[[a]]",
    "[-1, 2]",
    "[2026-02-30]",
    "['a, b']",
    '"quoted"',
    '"with \\"escape\\""',
    '"trailing" # comment',
    '"unclosed',
    "'single'",
    "'it''s'",
    "'bad' tail",
    "'multi",
    '"multi',
    "'multi it''s",
    "{a: 1}",
    "&anchor x",
    "*alias",
    "!tag x",
    "|",
    ">",
    "%x",
    "@x",
    "`x`",
    "?x",
    "value # comment",
    "True",
    "1e3",
    "1.0e+3",
]
CONTINUATIONS = [
    "  more text",
    "  more: text",
    "  # comment",
    "  - item",
    "   deeper",
    "",
    "  2026",
    "  **bold** text",
    "  *x",
    "  &x",
    "  [a]",
    "  'q'",
    '  "q"',
    "  {a}",
    "  !x",
    "  |",
    "  >",
    "  %x",
    "  @x",
    "  `x`",
    "  text:",
    "  a #b",
    "  a#b",
    "  ---",
    "  ...",
    "  ? x",
    "  line'",
    '  line"',
    "  it''s'",
    "  end' tail",
    "  a 'b' c",
    "  'q",
]
ITEMS = ["- a", "- 2026-02-30", "  - a", "- [a]", "- 'q'", '- "#1"', "- a: b", "-", "- 1.5", "  more"]
KEYS = ["id", "title", "chart", "related", "reviewed", "x-y", "on", "k_2", "Key"]


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["key", "key", "key", "blank", "comment", "odd"]))
        if kind == "blank":
            lines.append(draw(st.sampled_from(["", "  "])))
        elif kind == "comment":
            lines.append("# a comment")
        elif kind == "odd":
            lines.append(draw(st.sampled_from(["  indented: x", "no colon", "key:value", "key : v", "- top item"])))
        else:
            key = draw(st.sampled_from(KEYS))
            value = draw(st.sampled_from(SCALARS))
            spaces = draw(st.sampled_from([" ", "  ", " "]))
            lines.append(f"{key}:{spaces}{value}".rstrip(" ") if value else f"{key}:")
            if not value or draw(st.booleans()):
                follow = ITEMS if not value else CONTINUATIONS
                lines.extend(draw(st.lists(st.sampled_from(follow), max_size=3)))
    return "\n".join(lines)


def _typed(value: Any) -> Any:
    """Values with their types, so that 1 and True or 1 and 1.0 differ."""
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, repr(value))


def _comparable(result: Any) -> Any:
    if not isinstance(result, tuple):
        return result
    fields, warnings = result
    return {key: (_typed(f.value), f.line, f.source_text) for key, f in fields.items()}, warnings


def _with_pyyaml_only(front: str) -> Any:
    with mock.patch.object(simple_yaml, "parse", return_value=None):
        return parse_front_matter("r.md", front)


@settings(max_examples=1500, deadline=None)
@given(front_matters())
def test_fast_reader_agrees_with_pyyaml(front: str) -> None:
    fast = simple_yaml.parse(front, MAX_YAML_NODES)
    if fast is not None:
        assert _comparable(parse_front_matter("r.md", front)) == _comparable(_with_pyyaml_only(front))


WORDS = st.sampled_from(["risk", "`code`", "**bold**", "(#34);", "a:b", "it's", '"q"', "#1", "-", "é", "1984", "on"])
DUMPED_VALUES = st.one_of(
    st.lists(WORDS, min_size=1, max_size=30).map(" ".join),
    st.integers(-5, 5000),
    st.dates(),
    st.booleans(),
    st.lists(st.one_of(WORDS, st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 2))), max_size=3),
)


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), DUMPED_VALUES, max_size=8))
def test_front_matter_written_by_yaml_dump_reads_the_same(front: dict[str, Any]) -> None:
    """Tools that write risk files with yaml.safe_dump (long values folded, some quoted) take the fast path."""
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    fast = simple_yaml.parse(text, MAX_YAML_NODES)
    if fast is not None:
        assert _comparable(parse_front_matter("r.md", text)) == _comparable(_with_pyyaml_only(text))


def test_folded_quoted_values_take_the_fast_path() -> None:
    text = yaml.safe_dump({"mitigation": "`tsvector` " + "word " * 30 + "it's (#3)"}, width=40)
    assert "\n  " in text  # folded onto indented lines
    entries = simple_yaml.parse(text, MAX_YAML_NODES)
    assert entries == [("mitigation", "`tsvector` " + "word " * 30 + "it's (#3)", 2, None)]


def test_fast_reader_reads_every_example_risk() -> None:
    """The example register's files are all plain front matter: none of them pays for PyYAML's nodes."""
    for path in sorted((REPO / "risks").glob("*.md")):
        split = split_front_matter(path.name, path.read_text(encoding="utf-8"))
        assert isinstance(split, tuple)
        assert simple_yaml.parse(split[0], MAX_YAML_NODES) is not None, path.name


def test_examples_read_the_same_both_ways() -> None:
    for path in sorted((REPO / "risks").glob("*.md")):
        split = split_front_matter(path.name, path.read_text(encoding="utf-8"))
        assert isinstance(split, tuple)
        fast = parse_front_matter(path.name, split[0])
        assert _comparable(fast) == _comparable(_with_pyyaml_only(split[0]))


def test_values_by_hand() -> None:
    front = (
        "id: RSK-7\n"
        "title: 1984\n"
        "status: On\n"
        'related: ["#34", x]\n'
        "chart: [0.70, 0.85]\n"
        "reviewed: 2026-02-30\n"
        "owner:\n"
        "- Data Team\n"
        "- 'Ops'\n"
        "mitigation: first line\n"
        "  second line\n"
        "score:\n"
        "id: RSK-8\n"
    )
    result = parse_front_matter("r.md", front)
    assert isinstance(result, tuple)
    fields, warnings = result
    assert (fields["title"].value, fields["title"].source_text) == (1984, "1984")
    assert (fields["status"].value, fields["status"].source_text) == (True, "On")
    assert fields["related"].value == ["#34", "x"]
    assert fields["chart"].value == [0.7, 0.85]
    assert fields["reviewed"].value == "2026-02-30"
    assert fields["owner"].value == ["Data Team", "Ops"]
    assert fields["owner"].line == 8
    assert fields["mitigation"].value == "first line second line"
    assert (fields["score"].value, fields["score"].line) == (None, 13)
    assert fields["id"].value == "RSK-8"
    assert [w.line for w in warnings] == [14]


def test_odd_shapes_step_aside(tmp_path: Path) -> None:
    for front in ("a: &x 1\nb: *x\n", "a:\n  b: 1\n", "a: |\n  text\n", "a: 'x'  # c\n", "\ta: 1\n"):
        assert simple_yaml.parse(front, MAX_YAML_NODES) is None, front


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


def test_long_lines_are_read_in_linear_time() -> None:
    """A hostile file of long runs of spaces must not make the reader backtrack for minutes."""
    spaces = " " * 200_000
    cases = [
        f"key: a{spaces}b",
        f"key:{spaces}",
        f"- {spaces}x",
        f"k: [{spaces}a",
        f"k: '{spaces}",
        f"{spaces}x",
        "a: b\n" * 20_000,
        "a:\n" + "- x\n" * 20_000,
    ]
    start = time.perf_counter()
    for front in cases:
        parse_front_matter("r.md", front)
    # Linear reading takes a few hundredths of a second here; quadratic backtracking, hours.
    assert time.perf_counter() - start < 5
