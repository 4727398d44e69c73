"""Links in risk fields and headings in risk bodies, as MkDocs renders and checks a page's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown import Markdown

from mkdocs_risk_register.markdown import shift_headings
from tests.helpers import build, risk_file, write_project


def _hrefs_to_guide(html: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]*guide[^"]*)">the guide</a>', html))


@pytest.mark.parametrize(
    ("directory_urls", "pages", "hrefs"),
    [
        # risk-register/index.md links "../guide.md": docs/guide.md, served at /guide/ ...
        # ... from /risk-register/ that is ../guide/, from /risk-register/RSK-1/ it is ../../guide/.
        (True, ("risk-register/", "risk-register/RSK-1/"), ("../guide/", "../../guide/")),
        # Without directory URLs: /risk-register/index.html and /risk-register/RSK-1.html, both ../guide.html.
        (False, ("risk-register/index.html", "risk-register/RSK-1.html"), ("../guide.html", "../guide.html")),
    ],
)
def test_a_md_link_in_a_mitigation_resolves_like_a_body_link(
    tmp_path: Path, directory_urls: bool, pages: tuple[str, str], hrefs: tuple[str, str]
) -> None:
    # Links in fields are written from the register's pages (the prefix folder), like links in a body.
    risks = {"r1.md": risk_file("RSK-1", mitigation="Follow [the guide](../guide.md) now")}
    root = write_project(tmp_path, risks, use_directory_urls=directory_urls)
    (root / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    for page, href in zip(pages, hrefs, strict=True):
        assert _hrefs_to_guide(built.page(page)) == {href}


def test_a_broken_md_link_in_a_title_fails_strict(tmp_path: Path) -> None:
    risks = {"r1.md": risk_file("RSK-1", title="Depends on [the old plan](../gone.md)")}
    built = build(write_project(tmp_path, risks), strict=True)
    assert built.returncode != 0
    # MkDocs' own message for a link to a missing page, naming the generated page that holds it.
    assert re.search(r"risk-register/index\.md' contains a link '\.\./gone\.md'", built.log), built.log


def test_body_headings_are_shifted_as_python_markdown_reads_them(tmp_path: Path) -> None:
    # "#Overview" is an h1 to Python-Markdown (no space needed); "   # x" (indented) is a paragraph.
    body = "#Overview\nSome text.\n\n   # x\n\n## Details\n\nMore.\n"
    built = build(write_project(tmp_path, {"r1.md": risk_file("RSK-1", body=body)}), strict=True)
    assert built.returncode == 0, built.log
    top = built.page("risk-register/top/")
    # Under the risk's own h2, the body's h1 becomes h3 and its h2 h4.
    assert re.search(r"<h3[^>]*>Overview", top), top
    assert re.search(r"<h4[^>]*>Details", top)
    assert not re.search(r"<h1[^>]*>Overview", top)
    assert not re.search(r"<h\d[^>]*>x<", top)
    assert "<p># x</p>" in top
    # On the risk's page, under its h1 title: the body starts at h2.
    page = built.page("risk-register/RSK-1/")
    assert re.search(r"<h2[^>]*>Overview", page)
    assert re.search(r"<h3[^>]*>Details", page)
    assert "<p># x</p>" in page


def _shifted(body: str, level: int) -> str:
    md = Markdown(extensions=["fenced_code"])
    lines = body.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    shift_headings(root, level)
    return " ".join(f"{element.tag}:{element.text}" for element in root if element.tag[0] == "h")


def test_shift_headings_demotes_atx_and_setext_but_not_code() -> None:
    body = "Intro\n\n## Section\n\nText\n\nSetext\n------\n\n```\n## not a heading\n```\n"
    # The highest heading (h2) becomes h3; the one in the code block is no heading at all.
    assert _shifted(body, 3) == "h3:Section h3:Setext"
    assert _shifted("### Deep\n\n#### Deeper\n", 3) == "h3:Deep h4:Deeper"
    assert _shifted("# One\n\n###### Six\n", 2) == "h2:One h6:Six"  # never past h6
