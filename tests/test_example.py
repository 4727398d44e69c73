"""The example register reproduces the reference register: values read from the built site."""

from __future__ import annotations

import csv
import html
import io
import re

from tests import reference
from tests.helpers import Built, html_tables, table_with_header

# The reference's Score column, in register order, as printed in the reference.
REFERENCE_SCORES = [9, 8, 8, 7, 7, 6, 7, 6, 6, 7, 4, 4, 7]


def _rendered(text: str) -> str:
    """Reference cell text as a reader sees it: inline code without backticks."""
    return text.replace("`", "")


def test_register_table_reproduces_reference(example_site: Built) -> None:
    rows = table_with_header(example_site.page("risk-register/"), "ID")
    assert rows[0] == reference.register_header()
    body = rows[1:]
    assert [int(row[5]) for row in body] == REFERENCE_SCORES
    expected = reference.register_rows()
    assert [row[0] for row in body] == [r.id for r in expected]
    for row, ref in zip(body, expected, strict=True):
        assert row[1] == _rendered(ref.title)
        assert row[2:5] == [ref.category, ref.probability, ref.impact]
        assert row[6] == _rendered(ref.mitigation)
        assert row[7] == _rendered(ref.contingency)
        assert row[8:] == [ref.owner, ref.status]


def test_register_ids_link_to_risk_pages(example_site: Built) -> None:
    page = example_site.page("risk-register/")
    for ref in reference.register_rows():
        assert f'<a href="{ref.id}/">{ref.id}</a>' in page
        risk_page = example_site.page(f"risk-register/{ref.id}/")
        assert f"{ref.id}: {html.escape(_rendered(ref.title), quote=False)}" in risk_page


def _mermaid_source(page: str) -> str:
    match = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.DOTALL)
    assert match, "no Mermaid chart on the page"
    return html.unescape(match.group(1))


def test_chart_has_reference_points_and_labels(example_site: Built) -> None:
    source = _mermaid_source(example_site.page("risk-register/"))
    lines = [line.strip() for line in source.splitlines()]
    assert lines[0] == "quadrantChart"
    assert "title Risk Matrix (Probability vs Impact)" in lines
    assert "x-axis Low Probability --> High Probability" in lines
    assert "y-axis Low Impact --> High Impact" in lines
    for number, label in enumerate(
        ["Mitigate Urgently", "Monitor Closely", "Accept / Monitor", "Mitigate Proactively"], start=1
    ):
        assert f"quadrant-{number} {label}" in lines
    points = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^(RSK-\d+): \[([\d.]+), ([\d.]+)\]$", source.replace("    ", ""), re.M)
    }
    assert points == reference.chart_points()
    assert len(points) == 13


def test_scoring_guide_matches_reference(example_site: Built) -> None:
    page = example_site.page("risk-register/")
    assert table_with_header(page, "Probability")[1:] == [
        ["High", "3", "> 60% likelihood of occurring"],
        ["Medium", "2", "30-60% likelihood"],
        ["Low", "1", "< 30% likelihood of occurring"],
    ]
    assert table_with_header(page, "Impact")[1:] == [
        ["High", "3", "Delays launch by > 1 week or causes data loss / security breach"],
        ["Medium", "2", "Delays features by 3-5 days or degrades user experience"],
        ["Low", "1", "Minor inconvenience, workaround available"],
    ]
    bands = table_with_header(page, "Risk Score")[1:]
    assert [(row[0], row[2]) for row in bands] == [
        ("7-9", "Mitigate urgently; assign owner immediately"),
        ("4-6", "Mitigate proactively; track weekly"),
        ("1-3", "Accept and monitor monthly"),
    ]


def test_top_page_lists_top_five_with_score_lines_and_sections(example_site: Built) -> None:
    page = example_site.page("risk-register/top/")
    headings = re.findall(r'<h2 id="[^"]*">(RSK-\d+): ', page)
    assert headings == ["RSK-001", "RSK-002", "RSK-003", "RSK-004", "RSK-005"]
    text = re.sub(r"<[^>]+>", "", page)
    for risk_id, line in reference.score_lines().items():
        assert f"Risk Score: {line}" in text, risk_id
    chunks = re.split(r'<h2 id="[^"]*">', page)[1:]
    for chunk, (risk_id, labels) in zip(chunks, reference.top_sections().items(), strict=True):
        assert chunk.startswith(risk_id)
        sections = re.findall(r'<h3 id="[^"]*">([^<]+)<', chunk)
        assert sections == [label for label in labels if label != "Risk Score"]
    assert "Forensic analysis of audit logs to determine data exposure scope" in page


def test_monitoring_page_has_schedule_statuses_and_calendar(example_site: Built) -> None:
    page = example_site.page("risk-register/monitoring/")
    assert table_with_header(page, "Frequency")[1:] == reference.monitoring_rows()
    statuses = table_with_header(page, "Status")[1:]
    assert [row[:2] for row in statuses] == reference.status_rows()
    calendar = table_with_header(page, "ID")[1:]
    assert len(calendar) == 13
    # Reviewed 2026-02-08; Urgent and Proactive bands review every 7 days, Accept every 30.
    # The build date is fixed at 2026-03-01, so every review is overdue.
    by_id = {row[0]: row for row in calendar}
    assert by_id["RSK-001"][2:] == ["Urgent", "2026-02-08", "2026-02-15", "overdue"]
    assert by_id["RSK-011"][2:] == ["Proactive", "2026-02-08", "2026-02-15", "overdue"]


def test_risks_json_carries_scores_ranks_and_schedule(example_site: Built) -> None:
    data = example_site.data()
    risks = {risk["id"]: risk for risk in data["risks"]}
    assert [risk["score"] for risk in data["risks"]] == REFERENCE_SCORES
    assert [risks[f"RSK-00{n}"]["rank"] for n in range(1, 6)] == [1, 2, 3, 4, 5]
    # Ties on score 7 (RSK-004, 005, 007, 010, 013) rank by id.
    assert [risks[i]["rank"] for i in ("RSK-007", "RSK-010", "RSK-013")] == [6, 7, 8]
    assert risks["RSK-013"]["owner"] == ["Data Team", "Product Team"]
    assert risks["RSK-001"]["chart"] == [0.70, 0.85]
    assert risks["RSK-001"]["band"] == "Urgent"
    assert risks["RSK-012"]["band"] == "Proactive"
    assert risks["RSK-001"]["next_review"] == "2026-02-15"
    assert risks["RSK-001"]["overdue"] is True
    assert risks["RSK-001"]["source"] == "risks/RSK-001.md"
    assert data["problems"] == []


def test_risks_csv_is_the_register_table(example_site: Built) -> None:
    rows = list(csv.reader(io.StringIO((example_site.site / "risk-register" / "risks.csv").read_text())))
    # The example declares two fields (mkdocs.yml): their columns come last (docs/fields.md).
    assert rows[0] == [
        *reference.register_header(),
        *("Band", "Reviewed", "Next review", "Overdue"),
        # The top five have treatments (risks/RSK-001..005), so the contract's treatment columns come next.
        *("Treatment", "Residual", "Target date", "Accepted until"),
        *("Identified", "Controls"),
    ]
    assert [int(row[5]) for row in rows[1:]] == REFERENCE_SCORES
    assert rows[13][8] == "Data Team, Product Team"
    # RSK-001 scores 9 (Urgent, reviewed every 7 days): reviewed 2026-02-08, due 02-15, overdue on 03-01.
    # Then its fields as risks/RSK-001.md declares them; RSK-004 gives none.
    # Its treatment: Mitigate to Low probability, High impact (the reference's matrix gives 7) by 2027-03-31,
    # no acceptance.
    assert rows[1][10:] == [
        *("Urgent", "2026-02-08", "2026-02-15", "yes"),
        *("Mitigate", "7", "2027-03-31", ""),
        *("2026-01-12", "ISO 27001 A.8.3, SOC 2 CC6.1"),
    ]
    assert rows[4][18:] == ["", ""]


def test_band_and_its_action_read_as_one_phrase(example_site: Built) -> None:
    # RSK-001 scores 9: the reference's scoring guide says "7-9 ... Mitigate urgently; assign owner immediately".
    top = html.unescape(re.sub(r"<[^>]+>", "", example_site.page("risk-register/top/")))  # as a reader sees it
    assert "Band: Urgent — Mitigate urgently; assign owner immediately · Owner:" in top
    summary = table_with_header(example_site.page("risk-register/RSK-001/"), "Field")
    assert ["Band", "Urgent — Mitigate urgently; assign owner immediately"] in summary


def test_risk_page_edit_link_opens_the_risk_file(example_site: Built) -> None:
    page = example_site.page("risk-register/RSK-004/")
    assert "https://github.com/example/mkdocs-risk-register/edit/main/risks/RSK-004.md" in page


def test_example_builds_without_problems_note(example_site: Built) -> None:
    assert "data-risk-register-problems" not in example_site.page("risk-register/")
    assert html_tables(example_site.page("risk-register/"))
