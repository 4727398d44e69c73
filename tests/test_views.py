"""Views embedded in any page (the Markdown extension), on the example register.

Scores of the example register (matrix scoring, impact row x probability column):
RSK-001 9; RSK-002, 003 8; RSK-004, 005, 007, 010, 013 7; RSK-006, 008, 009 6; RSK-011, 012 4.
All 13 are Open. Categories: Security 001; Technical 002 003 004 006 007 008 011 012;
Schedule 005 009; Organizational 010; Compliance 013. Owners: Data Team 001 002 004 013;
Platform Team 003 009 011; Backend Team 006 007 008; Product Team 005 013; All Teams 010;
Frontend Team 012.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import Built, build, copy_example, html_tables, risk_file, write_project

VIEWS_PAGE = """\
---
title: Views
---

# Views

## Technical and open

/// risk-table
    filter: {category: technical, status: Open}
    columns: [ID, Risk, Score]
///

## Data Team by score

/// risk-table
    filter: {owner: Data Team}
    columns: [ID, Score, Band, Next review]
    sort: -Score
///

## Technical, highest three

/// risk-table
    filter: {category: Technical}
    columns: [ID, Score]
    sort: -Score
    limit: 3
///

## Scores 7 to 8

/// risk-table
    filter: {min_score: 7, max_score: 8}
    columns: [ID]
///

## Proactive band

/// risk-table
    filter: {band: proactive}
    columns: [ID, Owner]
///

## Ids

/// risk-table
    filter: {ids: [RSK-012, rsk-003]}
    columns: [ID, Category]
///

## None

/// risk-table
    filter: {status: Closed}
///

## Schedule

/// risk-schedule
    filter: {owner: Platform Team}
///

## Top

/// risk-top
    top: 2
    level: 3
///

## Card

/// risk-card | RSK-004
///

## Matrix

/// risk-matrix
    filter: {owner: Backend Team}
///

In running text, <risk:RSK-002> is the pool risk, and `<risk:RSK-002>` in code stays code.

!!! note "A view in an admonition"

    /// risk-table
        filter: {ids: RSK-001}
        columns: [ID, Risk, Mitigation]
    ///
"""


@pytest.fixture(scope="module")
def views_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_example(tmp_path_factory.mktemp("views"))
    (root / "docs" / "teams").mkdir()
    (root / "docs" / "teams" / "views.md").write_text(VIEWS_PAGE, encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    return built


def _tables_after(html: str, heading: str) -> list[list[list[str]]]:
    start = html.index(f">{heading}<")
    end = html.find("<h2", start)
    return html_tables(html[start : end if end > 0 else len(html)])


def _first_column(html: str, heading: str) -> list[str]:
    return [row[0] for row in _tables_after(html, heading)[0][1:]]


def test_filters_pick_the_rows_worked_out_by_hand(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    # category matches case-insensitively; all 8 Technical risks are Open.
    assert _first_column(page, "Technical and open") == [
        "RSK-002",
        "RSK-003",
        "RSK-004",
        "RSK-006",
        "RSK-007",
        "RSK-008",
        "RSK-011",
        "RSK-012",
    ]
    # min 7, max 8: the 8s and the 7s, in register order.
    assert _first_column(page, "Scores 7 to 8") == [
        "RSK-002",
        "RSK-003",
        "RSK-004",
        "RSK-005",
        "RSK-007",
        "RSK-010",
        "RSK-013",
    ]
    assert _tables_after(page, "Proactive band")[0][1:] == [
        ["RSK-006", "Backend Team"],
        ["RSK-008", "Backend Team"],
        ["RSK-009", "Platform Team"],
        ["RSK-011", "Platform Team"],
        ["RSK-012", "Frontend Team"],
    ]
    assert _tables_after(page, "Ids")[0] == [["ID", "Category"], ["RSK-003", "Technical"], ["RSK-012", "Technical"]]


def test_columns_sort_and_limit(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    # Data Team: 001 (9), 002 (8), 004 (7), 013 (7); reviewed 2026-02-08, Urgent reviews every 7 days.
    assert _tables_after(page, "Data Team by score")[0] == [
        ["ID", "Score", "Band", "Next review"],
        ["RSK-001", "9", "Urgent", "2026-02-15"],
        ["RSK-002", "8", "Urgent", "2026-02-15"],
        ["RSK-004", "7", "Urgent", "2026-02-15"],
        ["RSK-013", "7", "Urgent", "2026-02-15"],
    ]
    # Technical by score, descending, ties in register order: 002 (8), 003 (8), 004 (7).
    assert _tables_after(page, "Technical, highest three")[0][1:] == [
        ["RSK-002", "8"],
        ["RSK-003", "8"],
        ["RSK-004", "7"],
    ]


def test_an_empty_view_says_so(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    start = page.index(">None<")
    assert "No risk matches this view." in page[start : page.index("<h2", start)]


def test_links_from_a_page_elsewhere_reach_the_risk_pages(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    # From /teams/views/ to /risk-register/RSK-002/.
    assert '<a href="../../risk-register/RSK-002/">RSK-002</a>' in page


def test_schedule_top_card_and_matrix(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    # Platform Team: 003 (Urgent, next 2026-02-15), 009 and 011 (Proactive, 7 days: 2026-02-15) -> by date, then id.
    assert _first_column(page, "Schedule") == ["RSK-003", "RSK-009", "RSK-011"]
    # Top 2 at level 3: RSK-001 then RSK-002, their bodies' sections below them at h4.
    top = page[page.index(">Top<") : page.index(">Card<")]
    assert re.findall(r"<h3[^>]*>(RSK-\d+):", top) == ["RSK-001", "RSK-002"]
    assert re.search(r"<h4[^>]*>Description", top)
    card = page[page.index(">Card<") : page.index(">Matrix<")]
    assert "RSK-004: " in card and '<a href="../../risk-register/RSK-004/">' in card
    # RSK-004's residual (risks/RSK-004.md): Low / Medium, 4 in the reference's matrix, band Proactive (4-6).
    score = "7 (Low Probability, High Impact) → residual 4 (Low Probability, Medium Impact; Proactive)"
    assert ["Score", score] in html_tables(card)[0]
    matrix = page[page.index(">Matrix<") :]
    # Backend Team: 006, 007, 008 are drawn, nothing else.
    assert sorted(set(re.findall(r'data-risk-id="(RSK-\d+)"', matrix))) == ["RSK-006", "RSK-007", "RSK-008"]


def test_inline_reference(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    reference = re.search(r'<span class="risk-register-ref"[^>]*>.*?</span></span>', page)
    assert reference, page
    text = re.sub(r"<[^>]+>", "", reference.group(0))
    assert text == "RSK-002: PostgreSQL connection pool exhaustion under loadUrgent"
    assert 'href="../../risk-register/RSK-002/"' in reference.group(0)
    assert "<code>&lt;risk:RSK-002&gt;</code>" in page


def test_a_view_inside_an_admonition(views_site: Built) -> None:
    page = views_site.page("teams/views/")
    admonition = page[page.index('<div class="admonition note">') :]
    assert html_tables(admonition)[0][1][0] == "RSK-001"


BAD_VIEWS = """\
---
title: Bad views
---

# Bad

/// risk-table
    colums: [ID]
///

/// risk-table
    filter: {categroy: Security}
///

/// risk-table
    columns: [ID, Scroe]
///

/// risk-table
    filter: {owner: Data Taem}
///

/// risk-card | RSK-999
///

/// risk-table
    filter: {status: [Open
///

See <risk:RSK-998>.
"""


def test_bad_views_are_reported_with_page_and_line_and_fail_strict(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    (root / "docs" / "bad.md").write_text(BAD_VIEWS, encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode != 0
    lines = [line for line in built.log.splitlines() if "[bad-view]" in line]
    # Line numbers in the file, front matter included (the opening --- is line 1).
    expected = [
        "docs/bad.md:7: error: unknown option 'colums' of risk-table; did you mean 'columns'? [bad-view]",
        "docs/bad.md:11: error: unknown filter key 'categroy'; did you mean 'category'? [bad-view]",
        "docs/bad.md:15: error: unknown column 'Scroe'; did you mean 'Score'? [bad-view]",
        "docs/bad.md:19: error: filter owner: 'Data Taem' is no owner of the register; "
        "did you mean 'Data Team'? [bad-view]",
        "docs/bad.md:23: error: risk-card: no risk has the id 'RSK-999'; did you mean 'RSK-009'? [bad-view]",
    ]
    for line in expected:
        assert any(found.endswith(line) and "ERROR" in found for found in lines), (line, lines)
    yaml_problem = "docs/bad.md:26: error: risk-table: its options are not valid YAML: expected ',' or ']', but got"
    assert any(yaml_problem in found for found in lines), lines
    assert any("docs/bad.md:30: error: reference <risk:RSK-998>: no risk has the id" in found for found in lines)
    assert len(lines) == 7
    # Without --strict the page builds, each view replaced by a visible note.
    built = build(root)
    assert built.returncode == 0, built.log
    page = built.page("bad/")
    assert page.count("data-risk-register-bad-view") == 6
    assert "[bad-view]" in page and "Data Taem" in page


def test_a_bad_reference_after_risk_bodies_keeps_its_line(tmp_path: Path) -> None:
    # The top risks' bodies are parsed by the page's Markdown; they must not replace the page's
    # lines that diagnostics count (the old code said line 1: the reference is not in a body).
    root = copy_example(tmp_path)
    page = "# Top\n\n/// risk-top\n    top: 2\n///\n\nThen <risk:RSK-997>.\n"
    (root / "docs" / "top-and-ref.md").write_text(page, encoding="utf-8")
    built = build(root)
    assert "docs/top-and-ref.md:7: error: reference <risk:RSK-997>: no risk has the id" in built.log, built.log


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1)) | pipe",
]


def test_hostile_fields_in_views_stay_text(tmp_path: Path) -> None:
    risks = {
        f"h{n}.md": risk_file(f"H-{n}", title=title, mitigation=title, owner=title, category=title, body="## Body\n")
        for n, title in enumerate(HOSTILE, start=1)
    }
    root = write_project(tmp_path, risks, {"top": 3}, markdown_extensions=["admonition"])
    (root / "docs" / "index.md").write_text(
        "# Home\n\n/// risk-table\n    columns: [ID, Risk, Mitigation, Owner, Category]\n///\n\n"
        "/// risk-top\n///\n\n/// risk-card | H-2\n///\n\n<risk:H-1> <risk:H-2>\n",
        encoding="utf-8",
    )
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    page = built.page("")
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    table = html_tables(page)[0]
    assert {len(row) for row in table} == {5}  # a '|' splits no cell
    assert [row[1] for row in table[1:]] == [*HOSTILE[:2], "[click](javascript:alert(1)) | pipe"]


def test_the_extension_alone_renders_views_from_its_own_settings(tmp_path: Path) -> None:
    # No plugin: the extension is listed with the plugin's settings, as a Zensical site lists it.
    risks = {
        "a.md": risk_file("A-1", title="Alpha", probability="Low", impact="Low"),  # matrix: 1
        "b.md": risk_file("A-2", title="Beta"),  # High x High: 9
        "c.md": risk_file("A-3", title="Gamma", owner="Other"),  # 9
    }
    root = write_project(tmp_path, risks)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").split("plugins:")[0]
    settings = f"markdown_extensions:\n- risk_register:\n    risks_dir: {root / 'risks'}\n    top: 2\n"
    (root / "mkdocs.yml").write_text(config + settings, encoding="utf-8")
    (root / "docs" / "index.md").write_text(
        "# Home\n\n/// risk-table\n    filter: {owner: Team}\n    columns: [Risk, Score]\n    sort: -Score\n///\n",
        encoding="utf-8",
    )
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    # Owner "Team": A-1 (1) and A-2 (9); by score, descending.
    assert html_tables(built.page(""))[0] == [["Risk", "Score"], ["Beta", "9"], ["Alpha", "1"]]
