"""Property-based tests: whatever a risk file or the configuration holds, nothing crashes,
no page breaks, no markup leaks into the site, and the chart stays valid Mermaid.

The budget is fixed and seeded (``derandomize``) so that CI is repeatable and quick:
``RISK_REGISTER_EXAMPLES`` examples (default 150) for each in-process property, and a
tenth of that (at least 6) for the property that runs a real ``mkdocs build``. Set
``RISK_REGISTER_EXAMPLES=5000`` for a longer run. The number of generated cases that ran
is printed in the test summary (see ``pytest_terminal_summary`` in conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mkdocs_risk_register.diagnostics import ConfigError, Diagnostic
from mkdocs_risk_register.markdown import Site, convert
from mkdocs_risk_register.model import Model, model_from_settings
from mkdocs_risk_register.register import Register, assemble, check_file
from mkdocs_risk_register.risk import Risk
from mkdocs_risk_register.spreadsheet import restore
from mkdocs_risk_register.views.site import SiteLayout
from mkdocs_risk_register.views.site_files import GeneratedSite, RenderOptions, generate_site
from tests import reference
from tests.helpers import EXTRA_CODES, REPO, SPEC_CODES, build, example_model, html_tables

EXAMPLES = int(os.environ.get("RISK_REGISTER_EXAMPLES", "150"))
BUILD_EXAMPLES = max(6, EXAMPLES // 10)
BUILD_DATE = dt.date(2026, 3, 1)
PROPERTY_SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# A real build per example: a failure is reported as found, without minutes of shrinking.
BUILD_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=BUILD_EXAMPLES, phases=[Phase.generate])

REQUIRED_KEYS = ("id", "title", "category", "probability", "impact", "owner", "status")
COLUMNS = reference.register_header()
CSV_COLUMNS = [*COLUMNS, "Band", "Reviewed", "Next review", "Overdue"]  # the contract's order
# File-level codes: configuration codes never come from a risk file.
RULE_CODES = {*SPEC_CODES, *EXTRA_CODES} - {"config-error", "config-warning"}

# --- generated input -----------------------------------------------------------------

# Pieces that have broken parsers, tables, charts and pages before: markup, Markdown and
# Mermaid syntax, YAML indicators, right-to-left and invisible characters, emoji, controls.
SNIPPETS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<x-evil>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>*{}</style>",
    "</td></tr></table>",
    "<b>",
    "|",
    "||",
    "\\|",
    "`",
    "``",
    "*",
    "**",
    "_",
    "[x](javascript:alert(1))",
    "[x](https://example.com/a?b=1&c=2)",
    "<https://example.com>",
    "<!--",
    "-->",
    "&amp;",
    "&",
    '"',
    "'",
    "#",
    ";",
    ":",
    "%%",
    "%%{init: {}}%%",
    "[0.5, 0.5]",
    "-->",
    "--",
    "{: onclick=alert(1) }",
    "{{ page }}",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x02wzxhzdk:0\x03",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u202e",
    "\u200b",
    "\ufeff",
    "مرحبا بالعالم",
    "שלום",
    "😀",
    "👩‍👩‍👧",
    "é",
    "ß",
    "İ",
    "Σ",
    "RSK-1",
    "High",
    "null",
    "~",
    "yes",
    "1e9",
    "0x1F",
    "2026-02-30",
    "- ",
    "? ",
    "!!python/object:os.system",
    "&a ",
    "*a",
    "---",
    "...",
    " ",
)
LONG = st.sampled_from((1_000, 10_000)).map(lambda n: "long " * n)
pieces = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12))
hostile_text = st.one_of(st.lists(pieces, max_size=7).map("".join), LONG)
# A stricter alphabet for checks of the visible text: no Markdown syntax, only markup.
markup_text = st.lists(
    st.one_of(
        st.sampled_from(("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</td>", "<b>", "<", ">")),
        st.text(alphabet="abc XYZ/=\"'<>", max_size=10),
    ),
    min_size=1,
    max_size=5,
).map("".join)

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    hostile_text,
    st.dates(),
    st.datetimes(timezones=st.sampled_from((None, dt.timezone.utc))),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()), children, max_size=4),
    ),
    max_leaves=10,
)

BODY_SNIPPETS = (
    "## Description\n",
    "# Heading\n",
    "Heading\n=======\n",
    "Sub\n---\n",
    "```\n",
    "~~~\n",
    "```mermaid\n",
    "<div>\n",
    "<div markdown>\n",
    "</div>\n",
    "<section>\n",
    "<!--\n",
    "-->\n",
    "<script>\n",
    "<style>\n",
    "<pre>\n",
    "<table>\n",
    "<p>\n",
    "<?php\n",
    "<![CDATA[\n",
    "| a | b |\n|---|---|\n",
    "    indented code\n",
    "> quote\n",
    "- item\n",
    "1. item\n",
    "!!! note\n",
    "[link](javascript:alert(1))\n",
    "{{ page.title }}\n",
    "---\n",
    "...\n",
    "\n",
    "\x02wzxhzdk:0\x03",
    "\x00",
    "&#0;",
)
bodies = st.lists(st.one_of(st.sampled_from(BODY_SNIPPETS), pieces), max_size=12).map("".join)
body_snippet_lists = st.lists(st.sampled_from(BODY_SNIPPETS), max_size=10).map("".join)


def case_variants(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from((name, name.upper(), name.lower(), name.swapcase(), f" {name} "))


def names(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Level, status or category names: hostile text, unique as the model compares them."""
    name = st.one_of(hostile_text, st.sampled_from(("Low", "High", "Open", "Closed", "RSK-1"))).filter(
        lambda text: bool(text.strip()) and len(text) < 200
    )
    return st.lists(name, min_size=min_size, max_size=max_size, unique_by=lambda text: text.strip().casefold())


@st.composite
def model_settings(draw: st.DrawFn) -> dict[str, Any]:
    """Plugin settings: the defaults, hostile names and labels, and now and then nonsense."""
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["probability"] = [{"name": n, "description": draw(hostile_text)} for n in draw(names(1, 4))]
        out["impact"] = [{"name": n} for n in draw(names(1, 4))]
        out["scoring"] = draw(st.sampled_from(("product", "sum")))
        out["bands"] = [{"name": draw(hostile_text.filter(str.strip)), "min": 0, "action": draw(hostile_text)}]
        statuses = draw(names(1, 4))
        out["statuses"] = [{"name": n, "active": draw(st.booleans())} for n in statuses]
        out["chart"] = {"title": draw(hostile_text), "quadrants": [draw(hostile_text) for _ in range(4)]}
        out["categories"] = draw(st.one_of(st.just([]), names(1, 3)))
        out["monitoring"] = [{"frequency": draw(hostile_text), "activity": draw(hostile_text)}]
    out["id_pattern"] = draw(st.sampled_from((r"^[A-Z][A-Z0-9]*-[0-9]+$", ".+", "(?s).+", r"\S+")))
    out["top"] = draw(st.integers(0, 6))
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.sampled_from(sorted(out)))] = draw(yaml_values)
    return out


def level_value(scale_names: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(scale_names).flatmap(case_variants), yaml_values)


@st.composite
def front_matter(draw: st.DrawFn, model: Model, index: int) -> dict[Any, Any]:
    """Mostly plausible front matter, with any key missing, mistyped or hostile."""
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "id": st.one_of(st.just(f"RSK-{index}"), st.sampled_from(("RSK-1", "RSK-01"))),
        "title": hostile_text,
        "category": st.sampled_from(model.categories).flatmap(case_variants) if model.categories else hostile_text,
        "probability": st.sampled_from(model.probability.names).flatmap(case_variants),
        "impact": st.sampled_from(model.impact.names).flatmap(case_variants),
        "owner": st.one_of(hostile_text, st.lists(hostile_text, max_size=3)),
        "status": st.sampled_from([s.name for s in model.statuses]).flatmap(case_variants),
        "mitigation": hostile_text,
        "contingency": hostile_text,
        "chart": st.one_of(
            st.lists(st.floats(0, 1), min_size=2, max_size=2),
            st.lists(st.sampled_from((0, 1, 0.0005, 0.9995, 0.999999, 1e-9)), min_size=2, max_size=2),
        ),
        "score": st.integers(-3, 12),
        "reviewed": st.one_of(st.dates(), st.dates().map(dt.date.isoformat)),
        "related": st.lists(st.one_of(st.sampled_from(("#12", "https://example.com/<x>", "#0")), hostile_text)),
    }
    fields: dict[Any, Any] = {}
    # Half the files keep every required key plausible, so that many risks reach the pages.
    chaos = draw(st.booleans())
    for key, good in plausible.items():
        roll = draw(st.integers(0, 19))
        if chaos or key not in REQUIRED_KEYS:
            if roll < 2:
                continue  # missing
            if roll < 4:
                fields[key] = draw(yaml_values)
                continue
        # Any text is an id when id_pattern allows it.
        fields[key] = draw(hostile_text) if key == "id" and roll >= 14 else draw(good)
    if draw(st.integers(0, 4)) == 0:
        fields.update(draw(st.dictionaries(st.one_of(hostile_text, st.integers()), yaml_values, max_size=3)))
    return fields


raw_yaml = st.lists(
    st.sampled_from([*"ab:-[]{},&*!|>'\"%@`#?\t\n \\.0", "id:", "\n  ", "&a", "*a", "!!str"]), max_size=40
).map("".join)


@st.composite
def risk_file_bytes(draw: st.DrawFn, model: Model, index: int) -> bytes:
    """A whole file: front matter (dumped or raw YAML), body, then an encoding mishap or not."""
    kind = draw(st.integers(0, 9))
    body = draw(bodies)
    if kind == 0:
        text = draw(hostile_text) + body  # no front matter at all
    elif kind == 1:
        text = "---\n" + draw(raw_yaml) + "\n---\n" + body
    else:
        front = draw(front_matter(model, index))
        dumped = yaml.dump(
            front,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),  # the C emitter: long values stay quick
            allow_unicode=draw(st.booleans()),
            default_flow_style=draw(st.sampled_from((False, None, True))),
            sort_keys=False,
        )
        if kind == 2:
            dumped += draw(raw_yaml)
        text = "---\n" + dumped + draw(st.sampled_from(("---", "...", "---  "))) + "\n" + body
    data = text.encode("utf-8", "surrogatepass")
    mishap = draw(st.sampled_from(("none", "none", "none", "crlf", "cr", "bom", "bad-byte", "utf-16", "tabs")))
    if mishap == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif mishap == "cr":
        data = data.replace(b"\n", b"\r")
    elif mishap == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mishap == "bad-byte":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe9"))) + data[at:]
    elif mishap == "utf-16":
        data = text.encode("utf-16")
    elif mishap == "tabs":
        data = data.replace(b"\n  ", b"\n\t")
    return data


@st.composite
def risk_files(draw: st.DrawFn, model: Model, *, max_files: int = 5) -> dict[str, bytes]:
    """Risk files: path below risks/ -> bytes."""
    files = {}
    for index in range(1, draw(st.integers(1, max_files)) + 1):
        folder = draw(st.sampled_from(("", "sub/", "Ünïcode dir/")))
        files[f"{folder}r{index}.md"] = draw(risk_file_bytes(model, index))
    return files


@st.composite
def projects(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Settings and risk files; no files when the scoring model refuses the settings."""
    raw_settings = draw(model_settings())
    try:
        model = model_from_settings(raw_settings)
    except ConfigError:
        return raw_settings, {}
    return raw_settings, draw(risk_files(model))


# --- what a reader sees ---------------------------------------------------------------


def shown(text: str) -> str:
    """Text as the contract promises to show it on one line: line breaks and tabs become spaces,
    other control characters are dropped, runs of white space collapse."""
    return " ".join("".join(ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) != "Cc").split())


MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.superfences"]


def to_html(site: GeneratedSite, src_uri: str) -> str:
    """A generated page through Python-Markdown with the extensions the example site uses, and the views'."""
    text = site.render_risk_page(src_uri) if src_uri in site.risk_pages else site.pages[src_uri]
    html, problems = convert(text, Site.of(site), src_uri, extensions=MARKDOWN_EXTENSIONS)
    assert problems == []
    return html


# What the register's tables hold: their own HTML and what inline Markdown renders.
ALLOWED_TAGS = {
    "a",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "img",
    "li",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
SAFE_URL = re.compile(r"^(?:https?://|mailto:|#|\.\./|\./|[A-Za-z0-9._~%/-]*(?:[?#]|$))", re.IGNORECASE)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# Elements the generated input holds as raw HTML; none of them may come out as an element.
INJECTED_TAGS = {"script", "x-evil", "iframe", "style", "b"}


def unsafe_markup(fragment: str, *, allowed: set[str] | None = None) -> list[str]:
    """Injected elements, event handlers and unsafe URLs in ``fragment``; with ``allowed``,
    any element outside that set too (for fragments the register writes in full)."""
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if tag in INJECTED_TAGS or (allowed is not None and tag not in allowed):
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name == "style" and allowed is not None):
                found.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and not SAFE_URL.match(value or ""):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def visible_text(fragment: str) -> str:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.text).split())


class _Headings(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag = tag
        self.headings: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self._open = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.headings[-1] += data


def headings(page_html: str, tag: str = "h2") -> list[str]:
    parser = _Headings(tag)
    parser.feed(page_html)
    parser.close()
    return [" ".join(text.split()) for text in parser.headings]


def in_order(found: list[str], prefixes: list[str]) -> bool:
    """Whether ``found`` holds, in this order, one entry starting with each of ``prefixes``."""
    position = 0
    for prefix in prefixes:
        position = next((i for i in range(position, len(found)) if found[i].startswith(prefix)), -1) + 1
        if position == 0:
            return False
    return True


def register_table_html(page_html: str) -> str:
    match = re.search(r"<table data-risk-register-table[^>]*>.*?</table>", page_html, re.DOTALL)
    assert match, "no register table on the register page"
    return match.group(0)


MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)


def mermaid_source(page: str) -> str:
    match = MERMAID_BLOCK.search(page)
    assert match, "no Mermaid chart on the register page"
    return html.unescape(match.group(1))


# --- the checks ------------------------------------------------------------------------


@dataclass
class ChartCase:
    """A chart source and what Mermaid must read from it."""

    source: str
    title: str
    quadrants: list[str]
    axes: dict[str, str]
    points: list[tuple[str, float | None, float | None, tuple[float, float, float, float]]]
    """label, explicit x and y (None when placed), and the level cell (x0, x1, y0, y1)."""


class Collected:
    """Charts gathered while Hypothesis runs, for one Mermaid batch afterwards."""

    def __init__(self) -> None:
        self.charts: list[ChartCase] = []
        self.cases = 0

    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing case
        return f"Collected({self.cases} cases)"


def mermaid_label(text: str) -> str:
    return canonical(shown(text))


# Mermaid swaps its own entity syntax (#35; #quot;) for placeholders while it parses.
_MERMAID_ENTITY = re.compile(r"\ufb02\u00b0(\u00b0)?(\w+)\u00b6\u00df")


def canonical(text: str | None) -> str | None:
    """A label compared as a reader sees it: Mermaid's entity placeholders read back, the
    double quotes a quoted label cannot hold shown as single quotes, '%%' (a comment to
    Mermaid) broken as '% %', and no space around."""
    if text is None:
        return None
    text = _MERMAID_ENTITY.sub(lambda m: f"#{m.group(2)};", text).replace('"', "'")
    return re.sub(r"%\s*(?=%)", "% ", text).strip()


def axis_end(name: str) -> str:
    """A level's name at an axis' end: at most 20 characters, a longer one cut with an ellipsis."""
    text = shown(name)
    return text if len(text) <= 20 else text[:19].rstrip() + "…"


def expected_chart(source: str, register: Register) -> ChartCase:
    model = register.model
    prob, imp = model.probability, model.impact
    points = []
    for risk in register.risks:
        if not risk.active:
            continue
        p, i = risk.probability.value, risk.impact.value
        cell = ((p - 1) / len(prob.levels), p / len(prob.levels), (i - 1) / len(imp.levels), i / len(imp.levels))
        x, y = risk.chart if risk.chart is not None else (None, None)
        points.append((mermaid_label(risk.id), x, y, cell))
    axes = {
        "x-left": mermaid_label(axis_end(prob.levels[0].name) + " Probability"),
        "x-right": mermaid_label(axis_end(prob.levels[-1].name) + " Probability"),
        "y-bottom": mermaid_label(axis_end(imp.levels[0].name) + " Impact"),
        "y-top": mermaid_label(axis_end(imp.levels[-1].name) + " Impact"),
    }
    return ChartCase(source, shown(model.chart_title), [mermaid_label(q) for q in model.quadrants], axes, points)


BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def check_diagnostics(problems: tuple[Diagnostic, ...], files: dict[str, bytes]) -> None:
    for problem in problems:
        line = problem.format()
        assert len(line.splitlines()) == 1, f"diagnostic spans lines: {line!r}"
        assert not any(
            unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in BIDI_CONTROLS for ch in line
        ), f"control character in {line!r}"
        assert problem.code in RULE_CODES, line
        assert line.endswith(f" [{problem.code}]"), line
        assert problem.path in files, line
        text = files[problem.path].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        assert 1 <= problem.line <= text.count(b"\n") + 1, f"line out of the file: {line}"


def check_register_table(page_html: str, risks: tuple[Risk, ...] | list[Any]) -> None:
    table_html = register_table_html(page_html)
    rows = html_tables(table_html)[0]
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == len(risks)
    for row in rows:
        assert len(row) == len(COLUMNS), row
    assert unsafe_markup(table_html, allowed=ALLOWED_TAGS) == []


def check_in_process(raw_settings: dict[str, Any], files: dict[str, bytes], layout: SiteLayout) -> Register | None:
    """Load, validate and render in-process; assert every property on the result."""
    try:
        model = model_from_settings(raw_settings)
    except ConfigError as error:
        refused = error.format()  # the one line a user sees
    else:
        refused = None
    if refused is not None:
        assert len(refused.splitlines()) == 1
        assert refused.endswith("[config-error]")
        return None
    results = [(f"risks/{name}", check_file(f"risks/{name}", data, model)) for name, data in sorted(files.items())]
    register = assemble(results, model, BUILD_DATE)
    by_path = {f"risks/{name}": data for name, data in files.items()}
    check_diagnostics(register.problems, by_path)
    kept = {risk.source for risk in register.risks}
    for path in by_path:
        # Never dropped silently: a file is a risk, or it is listed as left out with an error.
        if path not in kept:
            assert path in register.left_out
            assert any(p.path == path and p.severity == "error" for p in register.problems), path

    site = generate_site(register, layout, RenderOptions(issue_url="https://example.com/issues/{number}"))
    generated = dict(site.all_files())
    for path in generated:  # file systems refuse names over 255 bytes
        assert all(len(part.encode()) <= 120 for part in path.split("/")), path
    index_html = to_html(site, layout.src("index.md"))
    if register.risks:
        check_register_table(index_html, register.risks)
    assert unsafe_markup(index_html) == []
    assert unsafe_markup(to_html(site, layout.src("monitoring.md"))) == []
    for risk in register.risks:
        page = to_html(site, layout.risk_src(risk.id))
        summary = re.search(r"<table data-risk-summary.*?</table>", page, re.DOTALL)
        assert summary, risk.id
        assert all(len(row) == 2 for row in html_tables(summary.group(0))[0])
        assert unsafe_markup(summary.group(0), allowed=ALLOWED_TAGS) == []
        assert headings(page, "h1")[0].startswith(shown(risk.id) + ":")
    if model.top:
        # A body can never swallow the next risk: every top risk keeps its own heading, in order.
        top = headings(to_html(site, layout.src("top.md")))
        assert in_order(top, [shown(r.id) + ":" for r in register.top]), top

    data = json.loads(generated[layout.src("risks.json")])
    assert [r["id"] for r in data["risks"]] == [r.id for r in register.risks]
    csv.field_size_limit(16 * 1024 * 1024)  # values of 100 KB and more are generated
    rows = list(csv.reader(io.StringIO(generated[layout.src("risks.csv")], newline="")))
    assert len(rows) == len(register.risks) + 1
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    # A cell that would start a formula is written with a quote first (docs/spreadsheets.md).
    ids = [r.id.replace("\r\n", "\n").replace("\r", "\n") for r in register.risks]
    assert [restore(row[0]) for row in rows[1:]] == ids
    return register


# --- Mermaid, run once over a batch ---------------------------------------------------------


def run_mermaid(sources: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    """What Mermaid's own parser reads from each source (tests/mermaid_check.mjs, offline)."""
    node = shutil.which("node")
    assert node, "node is needed for the Mermaid check (make test installs it with npm ci)"
    assert (REPO / "node_modules" / "mermaid").is_dir(), "run `npm ci` first: node_modules/mermaid is missing"
    batch = tmp_path / "charts.json"
    batch.write_text(json.dumps(sources), encoding="utf-8")
    result = subprocess.run(
        [node, str(REPO / "tests" / "mermaid_check.mjs"), str(batch)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parsed: list[dict[str, Any]] = json.loads(result.stdout)
    return parsed


def chart_failures(cases: list[ChartCase], tmp_path: Path) -> list[str]:
    """Every way Mermaid read a chart differently from what it must show."""
    failures = []
    for case, got in zip(cases, run_mermaid([c.source for c in cases], tmp_path), strict=True):
        problems = []
        if not got["ok"]:
            problems.append(got["error"])
        else:
            got["points"] = [[canonical(p[0]), p[1], p[2]] for p in got["points"]]
            title = canonical(got["title"])
            if "#" not in case.title and ";" not in case.title and case.title and title != canonical(case.title):
                problems.append(f"title {got['title']!r}, expected {case.title!r}")
            quadrants = [canonical(q) or "" for q in got["quadrants"]]
            if quadrants != case.quadrants:
                problems.append(f"quadrants {got['quadrants']!r}, expected {case.quadrants!r}")
            axes = {key: canonical(value) for key, value in got["axes"].items()}
            if axes != case.axes:
                problems.append(f"axes {got['axes']!r}, expected {case.axes!r}")
            if sorted(p[0] for p in got["points"]) != sorted(p[0] for p in case.points):
                problems.append(f"point labels {[p[0] for p in got['points']]!r}")
            else:
                problems += point_problems(case, got["points"])
        if problems:
            failures.append(f"{case.source!r}:\n    " + "\n    ".join(problems))
    return failures


def point_problems(case: ChartCase, got: list[list[str]]) -> list[str]:
    problems = []
    remaining = list(case.points)
    for label, x_text, y_text in got:
        x, y = float(x_text), float(y_text)
        match = next(
            (
                p
                for p in remaining
                if p[0] == label and (p[1] is None or (abs(p[1] - x) <= 6e-4 and abs(p[2] - y) <= 6e-4))
            ),
            None,
        )
        if match is None:
            problems.append(f"point {label!r} at [{x_text}, {y_text}] is not where the risk puts it")
            continue
        remaining.remove(match)
        x0, x1, y0, y1 = match[3]
        if match[1] is None and not (x0 <= x <= x1 and y0 <= y <= y1):
            problems.append(f"placed point {label!r} at [{x}, {y}] is outside its level cell {match[3]}")
    return problems


# Ids, titles and labels that must survive Mermaid's quadrant grammar (a regression corpus).
HOSTILE_LABELS = (
    "RSK-001",
    "RSK 001",
    "2024",
    "0",
    "1 2",
    "Entitlement",
    "subtitle x-axis",
    "rsk_1",
    "A:B",
    "a: [0.5, 0.5]",
    'say "hi"',
    "it's",
    "`code`",
    "`",
    "``x",
    "**bold**",
    "<script>alert(1)</script>",
    "a & b",
    "&amp;",
    "50%",
    "%%",
    "%%{init: {'theme': 'dark'}}%%",
    "#1",
    "#35;",
    "a #quot; b",
    "a # b",
    "a ; b",
    "x --> y",
    "--",
    "-",
    "a-",
    "[x]",
    "{x}",
    "(x)",
    "a,b",
    "a.b",
    "a/b",
    "a\\b",
    "\\",
    "title",
    "quadrant-1",
    "x-axis",
    "classDef",
    "a:::cls",
    "mixed\ttab",
    "مرحبا",
    "שלום עולם",
    "\u202eevil",
    "zero\u200bwidth",
    "😀",
    "👩‍👩‍👧",
    "中文",
    "Ünïcödé",
    "\x01ctrl",
    "\x1b[31mred",
    "line\u2028sep",
    "\x7f",
    "no\u00a0break",
    "x" * 300,
)


def hostile_label_charts() -> Iterator[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """One register per hostile label: as risk id, title, quadrant label and level name."""
    for text in HOSTILE_LABELS:
        level = text
        settings_ = {
            "id_pattern": "(?s).+",
            "probability": [{"name": "Low"}, {"name": level if level.casefold() != "low" else "Hi"}],
            "impact": [{"name": level if level.casefold() != "high" else "Lo"}, {"name": "High"}],
            "scoring": "product",
            "bands": [{"name": "All", "min": 0}],
            "chart": {"title": text, "quadrants": [text, "b", "c", "d"]},
        }
        risks = [(text, "0.5"), (text + " 2", "placed")]
        yield settings_, risks


def test_hostile_labels_stay_valid_mermaid(tmp_path: Path) -> None:
    """A fixed corpus of ids, titles, quadrant labels and level names, parsed by Mermaid itself."""
    cases = []
    for raw_settings, risks in hostile_label_charts():
        model = model_from_settings(raw_settings)
        files = {}
        for index, (risk_id, where) in enumerate(risks):
            front: dict[str, Any] = {
                "id": risk_id,
                "title": risk_id,
                "category": "C",
                "probability": model.probability.names[index % 2],
                "impact": model.impact.names[1],
                "owner": "O",
                "status": "Open",
            }
            if where != "placed":
                front["chart"] = [0.25, 0.75]
            files[f"risks/r{index}.md"] = ("---\n" + yaml.safe_dump(front) + "---\n").encode()
        register = assemble([(p, check_file(p, d, model)) for p, d in files.items()], model, BUILD_DATE)
        assert len(register.risks) == len(risks), [p.format() for p in register.problems]
        site = generate_site(register, SiteLayout())
        cases.append(expected_chart(mermaid_source(site.pages["risk-register/index.md"]), register))
    failures = chart_failures(cases, tmp_path)
    assert not failures, "\n".join(failures)


@PROPERTY_SETTINGS
@given(st.data())
def _generated_register(collected: Collected, data: st.DataObject) -> None:
    raw_settings, files = data.draw(projects())
    layout = SiteLayout(
        data.draw(st.sampled_from(("risk-register", "risks/ü", ""))), use_directory_urls=data.draw(st.booleans())
    )
    collected.cases += 1
    register = check_in_process(raw_settings, files, layout)
    if register is not None:
        source = mermaid_source(generate_site(register, layout).pages[layout.src("index.md")])
        collected.charts.append(expected_chart(source, register))


def test_generated_registers_load_validate_and_render(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """Arbitrary front matter, bodies and settings through load, validate and render in-process;
    then every chart they produced through Mermaid's parser, in one batch."""
    collected = Collected()
    try:
        _generated_register(collected)
    finally:
        record_property("generated_cases", collected.cases)
    failures = chart_failures(collected.charts, tmp_path)
    assert not failures, f"{len(failures)} of {len(collected.charts)} charts:\n" + "\n".join(failures[:10])


@PROPERTY_SETTINGS
@given(title=markup_text, mitigation=markup_text, owner=markup_text, category=markup_text)
def _markup_shows_as_text(counter: list[int], title: str, mitigation: str, owner: str, category: str) -> None:
    counter[0] += 1
    front = {"id": "RSK-1", "title": title, "category": category, "probability": "High", "impact": "Low"}
    front |= {"owner": owner, "status": "Open", "mitigation": mitigation}
    data = ("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode()
    model = model_from_settings({})
    register = assemble([("risks/r.md", check_file("risks/r.md", data, model))], model, BUILD_DATE)
    if not register.risks:  # an all-blank owner or title is an error, not a risk
        assert register.errors
        return
    page = to_html(generate_site(register, SiteLayout()), "risk-register/index.md")
    row = html_tables(register_table_html(page))[0][1]
    assert row[1] == shown(title)
    assert row[2] == shown(category)
    assert row[6] == shown(mitigation)
    assert row[8] == shown(owner)
    assert unsafe_markup(register_table_html(page), allowed=ALLOWED_TAGS) == []


def test_markup_in_fields_shows_as_text(record_property: Callable[[str, object], None]) -> None:
    """A field made of tags, quotes and angle brackets shows those characters, never as markup."""
    counter = [0]
    try:
        _markup_shows_as_text(counter)
    finally:
        record_property("generated_cases", counter[0])


@PROPERTY_SETTINGS
@given(
    treatment=st.one_of(hostile_text, yaml_values),
    configured=st.booleans(),
    acceptance=st.one_of(
        st.fixed_dictionaries({"by": hostile_text, "reason": hostile_text, "expires": st.dates()}),
        yaml_values,
    ),
    residual=st.one_of(st.fixed_dictionaries({"probability": hostile_text, "impact": yaml_values}), yaml_values),
)
def _treatment_keys_inject_nothing(
    counter: list[int], treatment: Any, configured: bool, acceptance: Any, residual: Any
) -> None:
    counter[0] += 1
    settings_: dict[str, Any] = {"appetite": {"max_score": 4}}
    if configured and isinstance(treatment, str) and treatment.strip():
        settings_["treatments"] = [treatment, "Accept"]  # a hostile name the register knows
    try:
        model = model_from_settings(settings_)
    except ConfigError as error:  # a name listed twice (Accept in another case)
        refused: str | None = error.format()
    else:
        refused = None
    if refused is not None:
        assert len(refused.splitlines()) == 1
        return
    front = {"id": "RSK-1", "title": "T", "category": "C", "probability": "High", "impact": "High"}
    front |= {"owner": "O", "status": "Open", "treatment": treatment, "acceptance": acceptance, "residual": residual}
    data = ("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode()
    register = assemble([("risks/r.md", check_file("risks/r.md", data, model))], model, BUILD_DATE)
    check_diagnostics(register.problems, {"risks/r.md": data})
    (risk,) = register.risks  # the treatment keys are warnings only: the risk stays
    site = generate_site(register, SiteLayout())
    index = to_html(site, "risk-register/index.md")
    assert unsafe_markup(index) == []
    page = to_html(site, "risk-register/RSK-1.md")
    summary = re.search(r"<table data-risk-summary.*?</table>", page, re.DOTALL)
    assert summary
    assert unsafe_markup(summary.group(0), allowed=ALLOWED_TAGS) == []
    rows = dict(html_tables(summary.group(0))[0])
    if risk.treatment is not None:
        assert rows["Treatment"] == shown(risk.treatment)
    if risk.acceptance is not None and risk.acceptance.reason is not None:
        assert rows["Acceptance"].endswith(shown(risk.acceptance.reason))
    data_out = json.loads(dict(site.all_files())["risk-register/risks.json"])
    assert data_out["risks"][0]["treatment"] == risk.treatment


def test_hostile_treatment_keys_inject_nothing(record_property: Callable[[str, object], None]) -> None:
    """Markup, control characters and YAML of any shape in treatment, acceptance and residual: no
    crash, one-line diagnostics, the text shown as text on the risk page and the register page."""
    counter = [0]
    try:
        _treatment_keys_inject_nothing(counter)
    finally:
        record_property("generated_cases", counter[0])


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(bodies, body_snippet_lists), min_size=2, max_size=5))
def _bodies_stay_inside_their_risk(counter: list[int], risk_bodies: list[str]) -> None:
    counter[0] += 1
    model = model_from_settings({"top": 5})
    results = []
    for index, body in enumerate(risk_bodies, start=1):
        path = f"risks/r{index}.md"
        front = {"id": f"RSK-{index}", "title": f"Risk {index}", "category": "C", "probability": "High"}
        front |= {"impact": "High", "owner": "O", "status": "Open"}
        data = ("---\n" + yaml.safe_dump(front) + "---\n" + body).encode("utf-8", "surrogatepass")
        results.append((path, check_file(path, data, model)))
    register = assemble(results, model, BUILD_DATE)
    assert len(register.risks) == len(risk_bodies)
    site = generate_site(register, SiteLayout())
    top = headings(to_html(site, "risk-register/top.md"))
    assert in_order(top, [f"RSK-{n}: Risk {n}" for n in range(1, len(risk_bodies) + 1)]), top
    for risk in register.risks:
        page = to_html(site, f"risk-register/{risk.id}.md")
        assert headings(page, "h1")[0] == f"{risk.id}: {risk.title}"
        assert re.search(r"<table data-risk-summary", page)


def test_bodies_never_swallow_the_next_risk(record_property: Callable[[str, object], None]) -> None:
    """Bodies full of unclosed fences, HTML blocks, comments and headings: on the top-risks page
    each risk keeps its heading, in order; each risk page keeps its title and summary."""
    counter = [0]
    try:
        _bodies_stay_inside_their_risk(counter)
    finally:
        record_property("generated_cases", counter[0])


# --- real builds -------------------------------------------------------------------------

SITE_MARKDOWN = """
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
"""


class BuildRun:
    """Where the generated projects are built, and the charts they produced."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.charts: list[ChartCase] = []
        self.cases = 0

    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing case
        return f"BuildRun({self.cases} cases)"


@BUILD_SETTINGS
@given(st.data())
def _built_site(run: BuildRun, data: st.DataObject) -> None:
    raw_settings = data.draw(model_settings())
    try:
        # MkDocs reads an option set to null as its default.
        model: Model | None = model_from_settings({k: v for k, v in raw_settings.items() if v is not None})
    except ConfigError:
        model = None
    files = {} if model is None else data.draw(risk_files(model, max_files=4))
    theme = data.draw(st.sampled_from(("material", "mkdocs")))
    directory_urls = data.draw(st.booleans())
    run.cases += 1
    root = run.root / f"case{run.cases}"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for name, content in files.items():
        (root / "risks" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "risks" / name).write_bytes(content)
    (root / "risks").mkdir(exist_ok=True)
    config = {
        "site_name": "Hostile",
        "theme": {"name": theme},
        "use_directory_urls": directory_urls,
        "plugins": ["search", {"risk-register": raw_settings}],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False) + SITE_MARKDOWN, encoding="utf-8"
    )
    built = build(root)
    assert "Traceback" not in built.log, built.log
    if built.returncode != 0:
        # Refused settings: the plugin's one config-error line, or MkDocs' own check of an option's type.
        assert built.returncode == 1, built.log
        by_type = "Config value 'plugins': Plugin 'risk-register' option" in built.log
        assert by_type or (model is None and "[config-error]" in built.log), built.log
        return
    assert model is not None, "the build accepted settings the scoring model refuses"
    results = [(f"risks/{n}", check_file(f"risks/{n}", d, model)) for n, d in files.items()]
    expected = assemble(results, model, BUILD_DATE)
    for problem in expected.problems:
        assert problem.format() in built.log, problem.format()

    index_html = (built.site / "risk-register" / "index.html").read_text(encoding="utf-8")
    register_json = json.loads((built.site / "risk-register" / "risks.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in register_json["risks"]] == [r.id for r in expected.risks]
    if expected.risks:
        check_register_table(index_html, register_json["risks"])
        # Each ID links to a risk page that exists in the site.
        hrefs = re.findall(r'<tr[^>]*>\s*<td><a href="([^"]+)"', register_table_html(index_html))
        assert len(hrefs) == len(expected.risks)
        base = "risk-register/index.html"
        for href in hrefs:
            target = urljoin(base, html.unescape(href))
            target_path = built.site / (target + "index.html" if target.endswith("/") else target)
            assert target_path.is_file(), (href, target)
    if model.top and expected.top:
        top_page = "top/index.html" if directory_urls else "top.html"
        top = headings((built.site / "risk-register" / top_page).read_text(encoding="utf-8"))
        assert in_order(top, [shown(r.id) + ":" for r in expected.top]), top
    run.charts.append(expected_chart(mermaid_source(index_html), expected))


def test_generated_projects_build_with_mkdocs(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    """Fewer, whole projects through a real ``mkdocs build``: the built HTML keeps every property."""
    run = BuildRun(tmp_path)
    try:
        _built_site(run)
    finally:
        record_property("generated_cases", run.cases)
    failures = chart_failures(run.charts, tmp_path)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["crlf", "cr", "bom"])
def test_line_endings_and_bom_change_nothing(name: str) -> None:
    """The same risk with CRLF, CR-only line endings or a BOM gives the same register as with LF."""
    text = (REPO / "risks" / "RSK-001.md").read_bytes().replace(b"\r\n", b"\n")
    variant = {"crlf": text.replace(b"\n", b"\r\n"), "cr": text.replace(b"\n", b"\r"), "bom": b"\xef\xbb\xbf" + text}[
        name
    ]
    model = example_model()  # the example's risks use its declared fields
    plain = check_file("risks/RSK-001.md", text, model)
    other = check_file("risks/RSK-001.md", variant, model)
    assert other == plain
    assert plain[0] is not None
    assert plain[1] == []
