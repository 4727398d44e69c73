"""Hostile text in risk fields breaks neither tables nor the chart, and injects no HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from tests.helpers import Built, build, html_tables, risk_file, write_project

HOSTILE_TITLES = [
    "Pipe | in | title",
    "<script>alert('x')</script>",
    "Quotes \"double\" and 'single'",
    "Brackets [link](javascript:alert(1)) and {curly} and (round)",
    "Colon: after: colon",
    "Line\nbreak\r\nin title",
    "`code | with pipe` and **bold**",
    "<img src=x onerror=alert(1)>",
    "quadrant-1 Injected\n    X: [0.5, 0.5]",
    "</title><script>alert('head')</script>",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    risks = {
        f"h{n}.md": risk_file(
            f"H-{n}",
            title=title,
            mitigation=title,
            contingency="a | b <b>x</b>",
            owner=["O|1", "<i>O2</i>"],
            category="Cat|<u>x</u>",
        )
        for n, title in enumerate(HOSTILE_TITLES, start=1)
    }
    built = build(write_project(root, risks), strict=True)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def hostile_material_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Material prints a page's title in <title> through ``striptags``, which turns ``&lt;`` back into ``<``."""
    root = tmp_path_factory.mktemp("hostile-material")
    risks = {f"h{n}.md": risk_file(f"H-{n}", title=title) for n, title in enumerate(HOSTILE_TITLES, start=1)}
    built = build(write_project(root, risks, {"top": 20}, theme="material"), strict=True)
    assert built.returncode == 0, built.log
    return built


def _register_rows(page: str) -> list[list[str]]:
    for found in html_tables(page):
        if found[0][0] == "ID":
            return found
    raise AssertionError("no register table")


def test_every_row_keeps_ten_columns(hostile_site: Built) -> None:
    rows = _register_rows(hostile_site.page("risk-register/"))
    assert len(rows) == len(HOSTILE_TITLES) + 1
    assert {len(row) for row in rows} == {10}


def test_titles_show_as_text_not_markup(hostile_site: Built) -> None:
    for page in ("risk-register/", "risk-register/top/", "risk-register/H-2/", "risk-register/monitoring/"):
        text = hostile_site.page(page)
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert "<u>x</u>" not in text and "<i>O2</i>" not in text and "<b>x</b>" not in text
        assert 'href="javascript:' not in text
    rows = _register_rows(hostile_site.page("risk-register/"))
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["H-1"] == "Pipe | in | title"
    assert titles["H-2"] == "<script>alert('x')</script>"
    assert titles["H-6"] == "Line break in title"
    assert titles["H-7"] == "code | with pipe and bold"
    assert titles["H-8"] == "<img src=x onerror=alert(1)>"
    assert rows[1][2] == "Cat|<u>x</u>"
    assert rows[1][8] == "O|1, <i>O2</i>"


def test_headings_show_titles_literally(hostile_site: Built) -> None:
    page = hostile_site.page("risk-register/H-2/")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert h1 is not None
    assert html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))) == "H-2: <script>alert('x')</script>"


def test_material_page_heads_show_titles_as_text(hostile_material_site: Built) -> None:
    for n in range(1, len(HOSTILE_TITLES) + 1):
        page = hostile_material_site.page(f"risk-register/H-{n}/")
        head = page.split("</head>", 1)[0]
        titles = re.findall(r"<title>(.*?)</title>", head, re.S)
        assert len(titles) == 1, titles
        # The whole title element is the escaped title: nothing of it leaks out as markup.
        assert "<" not in titles[0]
        assert "<script>alert" not in page
    for page in ("risk-register/", "risk-register/top/", "risk-register/monitoring/"):
        assert "<script>alert" not in hostile_material_site.page(page)  # tables, chart, nav and contents
    title_element = re.search(r"<title>(.*?)</title>", hostile_material_site.page("risk-register/H-10/"), re.S)
    assert title_element is not None
    assert html.unescape(title_element.group(1)) == "H-10: </title><script>alert('head')</script> - Test register"


def test_chart_keeps_one_line_per_point(hostile_site: Built) -> None:
    page = hostile_site.page("risk-register/")
    match = re.search(r'<pre class="mermaid"><code>(.*?)</code>', page, re.S)
    assert match is not None
    source = html.unescape(match.group(1))
    point_lines = [line.strip() for line in source.splitlines() if re.search(r": \[[\d.]+, [\d.]+\]$", line)]
    ids = sorted(f"H-{n}" for n in range(1, len(HOSTILE_TITLES) + 1))
    assert sorted(line.split(":")[0] for line in point_lines) == ids
    assert "Injected" not in source


# Python-Markdown's attr_list reads "{...}" at the end of a cell's text, or at the start of the text
# after an inline element, as attributes of that element. In risk data it is text.
ATTRIBUTE_LOOKALIKES = {
    "title": "`code`{: onclick=alert(2) } and x {: onclick=alert(3) }",
    "owner": "QA {: onclick=alert(1) }",
    "mitigation": "Patch {: .evil data-x=1 }",
}


@pytest.fixture(scope="module")
def attr_list_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("attr-list")
    risks = {"a.md": risk_file("A-1", **ATTRIBUTE_LOOKALIKES)}
    write_project(root, risks, {"history": False}, markdown_extensions=["attr_list", "tables"])
    (root / "docs" / "index.md").write_text("# Home\n\nSee <risk:A-1> here.\n", encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    return built


def _attributes_named(page: str, names: set[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((tag, name) for name, _ in attrs if name in names)

    Attributes().feed(page)
    return found


@pytest.mark.parametrize("path", ["", "risk-register/", "risk-register/A-1/", "risk-register/top/"])
def test_attribute_lists_in_risk_data_stay_text(attr_list_site: Built, path: str) -> None:
    page = attr_list_site.page(path)
    # On the old code: <td onclick="alert(1)">QA</td> and <code onclick="alert(2)">, with the text cut.
    assert not _attributes_named(page, {"onclick", "data-x"})
    assert 'class="evil' not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for field in ("owner", "mitigation") if path.startswith("risk-register/A-1") else ():
        assert ATTRIBUTE_LOOKALIKES[field] in text
    assert "{: onclick=alert(2) } and x {: onclick=alert(3) }" in text
