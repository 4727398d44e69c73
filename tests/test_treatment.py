"""Treatment, residual risk and appetite (docs/treatment.md): every expected value worked out by hand.

The build date is 2026-03-01 (tests/helpers.py). The default 3x3 matrix scores, by impact row and
probability Low, Medium, High: High 7 8 9, Medium 4 6 7, Low 1 4 5. Bands: Urgent from 7,
Proactive from 4, Accept from 1. ``risk_file`` writes id (line 2), title, category, probability,
impact (line 6), owner, status (line 8), then the extra keys from line 9 in the order given.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import commit_all, init_repo, run_cli
from tests.helpers import REPO, Built, build, risk_file, table_with_header, write_project
from tests.test_cli_diff import diff_json

APPETITE = {"appetite": {"max_score": 6, "by_category": {"Security": 4}}}
ACCEPTED_TO_BUILD_DATE = {"by": "CISO", "date": "2026-01-10", "expires": "2026-03-01", "reason": "Vendor fix due"}

RISKS = {
    # 9, above the appetite 6, but its residual (Low, Medium) = 4 is within it; target in the future.
    "t1.md": risk_file(
        "T-1", treatment="Mitigate", residual={"probability": "Low", "impact": "Medium"}, target_date="2026-06-01"
    ),
    # Security (appetite 4): Medium/High = 8 is above it, accepted until the build date itself: still valid.
    "t2.md": risk_file(
        "T-2", category="Security", probability="Medium", treatment="Accept", acceptance=ACCEPTED_TO_BUILD_DATE
    ),
    # High/Medium = 7 > 6; its acceptance ran out the day before the build: expired, and so above appetite.
    "t3.md": risk_file("T-3", impact="Medium", treatment="Accept", acceptance={"by": "CFO", "expires": "2026-02-28"}),
    # Medium/Medium = 6: equal to the appetite, so within it; the treatment is misspelt.
    "t4.md": risk_file("T-4", probability="Medium", impact="Medium", treatment="Mitgate"),
    # Low/Low = 1, with a residual High/High = 9 above it: ignored.
    "t5.md": risk_file("T-5", probability="Low", impact="Low", residual={"probability": "High", "impact": "High"}),
    # High/Low = 5, Accept without any acceptance.
    "t6.md": risk_file("T-6", impact="Low", treatment="Accept"),
    # 9 with residual Low/Low = 1 due 2026-02-01: the target passed and the score is still 9.
    "t7.md": risk_file("T-7", residual={"probability": "Low", "impact": "Low"}, target_date="2026-02-01"),
    # 9, no plan at all: above the appetite of 6.
    "t8.md": risk_file("T-8"),
    # Closed: an expired acceptance and a score above appetite do not matter any more.
    "t9.md": risk_file("T-9", status="Closed", acceptance={"by": "CEO", "expires": "2020-01-01"}),
}

# (path, line, code), each once; worked out from the comments above.
EXPECTED = [
    ("risks/t3.md", 9, "above-appetite"),  # at its treatment line
    ("risks/t3.md", 10, "acceptance-expired"),  # at its acceptance line
    ("risks/t4.md", 9, "unknown-treatment"),
    ("risks/t5.md", 9, "residual-above-current"),
    ("risks/t6.md", 9, "acceptance-missing"),  # no acceptance key: at the treatment line
    ("risks/t7.md", 12, "target-missed"),  # residual's mapping takes lines 9-11: target_date is line 12
    ("risks/t8.md", 6, "above-appetite"),  # no treatment keys: at the impact line
]
LINE = re.compile(r"^(\S+):(\d+): warning: (.+) \[([a-z-]+)\]$")


def _project(tmp_path: Path, risks: dict[str, str] = RISKS, **plugin: Any) -> Path:
    return write_project(tmp_path, dict(risks), {**APPETITE, **plugin})


def _diagnostics(log: str) -> list[tuple[str, int, str]]:
    found = []
    for line in log.splitlines():
        match = LINE.search(line.split("WARNING -  risk-register: ")[-1])
        if match:
            found.append((match.group(1), int(match.group(2)), match.group(4)))
    return sorted(found)


def test_each_rule_is_reported_once_with_file_and_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    checked = run_cli("check", cwd=root)
    assert checked.returncode == 0, checked.stdout  # warnings only
    assert _diagnostics(checked.stdout) == EXPECTED
    assert "did you mean 'Mitigate'?" in checked.stdout
    assert run_cli("check", "--strict", cwd=root).returncode == 1
    built = build(root)
    assert built.returncode == 0, built.log
    assert _diagnostics(built.log) == EXPECTED  # the build log says the same, once each
    assert build(root, strict=True).returncode != 0


def test_risks_json_carries_treatment_residual_and_appetite(tmp_path: Path) -> None:
    built = build(_project(tmp_path))
    risks = {r["id"]: r for r in built.data()["risks"]}
    assert risks["T-1"]["treatment"] == "Mitigate"
    assert risks["T-1"]["residual"] == {"probability": "Low", "impact": "Medium"}
    assert (risks["T-1"]["residual_score"], risks["T-1"]["residual_band"]) == (4, "Proactive")
    assert risks["T-1"]["target_date"] == "2026-06-01"
    assert (risks["T-1"]["appetite"], risks["T-1"]["above_appetite"]) == (6, True)
    # Security's own appetite: 4; 8 is above it.
    assert (risks["T-2"]["appetite"], risks["T-2"]["above_appetite"]) == (4, True)
    assert risks["T-2"]["acceptance"] == ACCEPTED_TO_BUILD_DATE
    # Strict comparison: 6 is within an appetite of 6.
    assert (risks["T-4"]["appetite"], risks["T-4"]["above_appetite"], risks["T-4"]["treatment"]) == (6, False, None)
    # The residual above the current score is ignored.
    assert (risks["T-5"]["residual"], risks["T-5"]["residual_score"], risks["T-5"]["residual_band"]) == (
        None,
        None,
        None,
    )
    assert risks["T-3"]["acceptance"] == {"by": "CFO", "date": None, "expires": "2026-02-28", "reason": None}
    assert (risks["T-8"]["treatment"], risks["T-8"]["acceptance"], risks["T-8"]["target_date"]) == (None, None, None)


def test_rank_by_current_and_by_residual(tmp_path: Path) -> None:
    # Current scores of the active risks: T-1 9, T-7 9, T-8 9, T-2 8, T-3 7, T-4 6, T-6 5, T-5 1.
    current = build(_project(tmp_path / "current")).data()["risks"]
    ranked = sorted((r for r in current if r["rank"]), key=lambda r: r["rank"])
    assert [r["id"] for r in ranked] == ["T-1", "T-7", "T-8", "T-2", "T-3", "T-4", "T-6", "T-5"]
    # By residual: T-1 ranks by 4, T-7 by 1; T-5's residual was ignored, so it ranks by its current 1,
    # tied with T-7: ties go by id, T-5 first.
    residual = build(_project(tmp_path / "residual", rank_by="residual")).data()["risks"]
    ranked = sorted((r for r in residual if r["rank"]), key=lambda r: r["rank"])
    assert [r["id"] for r in ranked] == ["T-8", "T-2", "T-3", "T-4", "T-6", "T-1", "T-5", "T-7"]


def test_acceptance_expiring_on_the_build_date_has_not_expired(tmp_path: Path) -> None:
    built = build(_project(tmp_path))
    on_the_day = table_with_header(built.page("risk-register/T-2/"), "Field")
    assert ["Acceptance", "by CISO on 2026-01-10 until 2026-03-01 \u2014 Vendor fix due"] in on_the_day
    day_after = table_with_header(built.page("risk-register/T-3/"), "Field")
    assert ["Acceptance", "by CFO until 2026-02-28 (expired)"] in day_after


def test_risk_page_shows_current_and_residual_side_by_side(tmp_path: Path) -> None:
    page = build(_project(tmp_path)).page("risk-register/T-1/")
    rows = table_with_header(page, "Field")
    assert [
        "Score",
        "9 (High Probability, High Impact) \u2192 residual 4 (Low Probability, Medium Impact; Proactive)",
    ] in rows
    assert ["Treatment", "Mitigate"] in rows
    assert ["Target date", "2026-06-01"] in rows
    assert ["Appetite", "6 (score 9 is above it)"] in rows


def test_register_page_treatment_summary(tmp_path: Path) -> None:
    page = build(_project(tmp_path)).page("risk-register/")
    # Active risks by treatment: Mitigate T-1; Accept T-2, T-3, T-6; T-4's misspelt one is none,
    # as are T-5, T-7 and T-8 (T-9 is closed).
    assert table_with_header(page, "Treatment") == [
        ["Treatment", "Active risks"],
        ["Mitigate", "1"],
        ["Accept", "3"],
        ["Transfer", "0"],
        ["Avoid", "0"],
        ["(none)", "4"],
    ]
    text = re.sub(r"<[^>]+>", "", page)
    # Above appetite with no plan: T-3 (7 > 6, acceptance expired) and T-8 (9 > 6), by rank; not T-2
    # (8 > 4 but accepted to the build date), nor T-1 and T-7 (residual 4 and 1, within 6).
    assert "Above appetite with no plan within it: 2" in text
    listed = re.findall(r"(T-\d): A risk \(score (\d), appetite (\d), no residual level\)", text)
    assert listed == [("T-8", "9", "6"), ("T-3", "7", "6")]
    # Expiring from 2026-03-01 to 2026-03-31: T-2's (2026-03-01); T-3's expired already.
    assert "Acceptances expiring by 2026-03-31: 1" in text
    assert "T-2: A risk (accepted by CISO, expires 2026-03-01)" in text


def test_register_without_treatment_keys_has_no_treatment_section_or_columns(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, {"a.md": risk_file("A-1")}))
    assert '<h2 id="treatment">' not in built.page("risk-register/")
    header = next(csv.reader(io.StringIO((built.site / "risk-register" / "risks.csv").read_text())))
    assert "Treatment" not in header


def test_csv_gains_the_treatment_columns(tmp_path: Path) -> None:
    built = build(_project(tmp_path))
    rows = list(csv.DictReader(io.StringIO((built.site / "risk-register" / "risks.csv").read_text())))
    header = list(rows[0])
    assert header[-4:] == ["Treatment", "Residual", "Target date", "Accepted until"]
    by_id = {row["ID"]: row for row in rows}
    assert [by_id["T-1"][c] for c in header[-4:]] == ["Mitigate", "4", "2026-06-01", ""]
    assert [by_id["T-2"][c] for c in header[-4:]] == ["Accept", "", "", "2026-03-01"]


@pytest.mark.parametrize(
    ("appetite", "categories", "key"),
    [
        ({"by_category": {"Secrity": 4}}, ["Security", "Technical"], "appetite.by_category.Secrity"),
        ({"max_score": 10}, [], "appetite.max_score"),  # the scores run from 1 to 9
        ({"by_category": {"Security": 12}}, [], "appetite.by_category.Security"),
    ],
)
def test_configuration_errors_name_their_key(
    tmp_path: Path, appetite: dict[str, Any], categories: list[str], key: str
) -> None:
    root = write_project(tmp_path, {"a.md": risk_file("A-1")}, {"appetite": appetite, "categories": categories})
    checked = run_cli("check", cwd=root)
    assert checked.returncode == 1
    assert f"config error in '{key}'" in checked.stdout + checked.stderr
    built = build(root)
    assert built.returncode != 0 and f"'{key}'" in built.log


def test_appetite_by_category_matches_names_case_insensitively(tmp_path: Path) -> None:
    # Category "security" takes Security's 4; "Technical" the max_score 6. Both at 5 (High/Low).
    risks = {
        "a.md": risk_file("A-1", category="security", impact="Low"),
        "b.md": risk_file("A-2", impact="Low"),
    }
    data = build(_project(tmp_path, risks)).data()["risks"]
    assert [(r["appetite"], r["above_appetite"]) for r in data] == [(4, True), (6, False)]


def test_register_page_columns_setting(tmp_path: Path) -> None:
    columns = ["ID", "Score", "band", "Treatment", "Residual", "Next review"]  # names match case-insensitively
    page = build(_project(tmp_path, columns=columns)).page("risk-register/")
    rows = table_with_header(page, "ID")
    assert rows[0] == ["ID", "Score", "Band", "Treatment", "Residual", "Next review"]
    # T-1: 9 in Urgent, Mitigate, residual 4; never reviewed, so due on the build date.
    assert rows[1] == ["T-1", "9", "Urgent", "Mitigate", "4", "2026-03-01"]
    # T-9 is closed: no next review.
    assert rows[-1] == ["T-9", "9", "Urgent", "", "", ""]


def test_an_unknown_register_column_is_a_configuration_error(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"a.md": risk_file("A-1")}, {"columns": ["ID", "Residul"]})
    checked = run_cli("check", cwd=root)
    assert checked.returncode == 1
    assert "config error in 'columns[1]': unknown column 'Residul'" in checked.stdout + checked.stderr


def test_diff_reports_treatment_changes_and_flags_acceptances(tmp_path: Path) -> None:
    init_repo(tmp_path)
    accepted = {"by": "CISO", "date": "2026-01-10", "expires": "2026-04-01"}
    write_project(
        tmp_path,
        {
            # Medium/Medium = 6, accepted on 2026-01-10.
            "a.md": risk_file("A-1", probability="Medium", impact="Medium", treatment="Accept", acceptance=accepted),
            "b.md": risk_file("A-2", treatment="Accept", acceptance=accepted),
            "c.md": risk_file("A-3", treatment="Mitigate"),
        },
    )
    commit_all(tmp_path, "accepted", tag="before")
    write_project(
        tmp_path,
        {
            # Medium/High = 8 under the same acceptance: accepted at 6, now 8.
            "a.md": risk_file("A-1", probability="Medium", impact="High", treatment="Accept", acceptance=accepted),
            # The same acceptance, its expiry moved from 2026-04-01 to 2026-12-31.
            "b.md": risk_file("A-2", treatment="Accept", acceptance={**accepted, "expires": "2026-12-31"}),
            # A residual level Low/High = 7 and a target date added.
            "c.md": risk_file(
                "A-3", treatment="Mitigate", residual={"probability": "Low", "impact": "High"}, target_date="2026-05-01"
            ),
        },
    )
    commit_all(tmp_path, "changed", tag="after")
    data = diff_json(tmp_path, "before", "after")
    assert data["treatment_changes"] == ["A-2", "A-3"]
    assert data["modified"][2]["changes"]["residual"] == {"old": None, "new": "7 (Low probability, High impact)"}
    assert data["modified"][2]["changes"]["target_date"] == {"old": None, "new": "2026-05-01"}
    assert data["modified"][1]["changes"]["acceptance"] == {
        "old": "by CISO on 2026-01-10 until 2026-04-01",
        "new": "by CISO on 2026-01-10 until 2026-12-31",
    }
    assert data["acceptances_to_review"] == [
        {"id": "A-1", "why": ["accepted at 6 on 2026-01-10, now 8: the acceptance was for a lower score"]},
        {
            "id": "A-2",
            "why": ["acceptance expiry pushed out from 2026-04-01 to 2026-12-31 without a new acceptance date"],
        },
    ]
    markdown = run_cli("diff", "before", "after", cwd=tmp_path).stdout
    assert "#### Treatment changes" in markdown and "#### Acceptances to review" in markdown
    shown_text = markdown.replace("<!-- -->", "").replace("\\", "")  # as GitHub shows the escaped text
    assert "| A-1 | A risk | accepted at 6 on 2026-01-10, now 8: the acceptance was for a lower score |" in shown_text


def test_the_appetite_example_builds_clean_with_its_plans(tmp_path: Path) -> None:
    """examples/appetite: 5x5, product scoring, appetite 8 (Security 4, Finance 12), on 2026-03-01."""
    root = tmp_path / "appetite"
    shutil.copytree(REPO / "examples" / "appetite", root)
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    risks = {r["id"]: r for r in built.data()["risks"]}
    # score = p x i: SEC-1 4x4=16 (appetite 4, residual Rare/Major 1x4=4: within), SEC-2 3x5=15
    # (residual 1x1=1), OPS-1 2x5=10 (8; residual 2x3=6), OPS-2 3x3=9 (8; accepted to 08-15),
    # OPS-3 3x4=12 (8; residual 1x4=4), FIN-1 4x2=8 (Finance 12: within).
    expected = {
        "SEC-1": (16, 4, True, 4),
        "SEC-2": (15, 4, True, 1),
        "OPS-1": (10, 8, True, 6),
        "OPS-2": (9, 8, True, None),
        "OPS-3": (12, 8, True, 4),
        "FIN-1": (8, 12, False, None),
    }
    assert {
        i: (r["score"], r["appetite"], r["above_appetite"], r["residual_score"]) for i, r in risks.items()
    } == expected
    page = built.page("risk-register/")
    assert table_with_header(page, "Treatment")[1:] == [
        ["Mitigate", "2"],
        ["Accept", "2"],
        ["Transfer", "1"],
        ["Avoid", "1"],
        ["(none)", "0"],
    ]
    text = re.sub(r"<[^>]+>", "", page)
    assert "Above appetite with no plan within it: none" in text
    # The picture in docs/treatment.md is this chart, as the build writes it.
    drawn = (built.site / "risk-register" / "risk-matrix.svg").read_text(encoding="utf-8")
    assert (REPO / "docs" / "images" / "treatment-matrix.svg").read_text(encoding="utf-8") == drawn
    # FIN-1's acceptance ends 2026-03-20, within 30 days of 2026-03-01; OPS-2's (08-15) does not.
    assert "Acceptances expiring by 2026-03-31: 1" in text
    assert "FIN-1: Currency swings raise the hosting bill (accepted by CFO, expires 2026-03-20)" in text
    assert table_with_header(page, "ID")[0] == [
        "ID", "Risk", "Category", "Score", "Band", "Treatment", "Residual", "Owner", "Status", "Next review"
    ]  # fmt: skip


def _svg_of(page: str) -> str:
    match = re.search(r"<svg .*?</svg>", page, re.DOTALL)
    assert match, "no SVG chart on the page"
    return match.group(0)


def test_matrix_draws_the_appetite_and_arrows_to_residual_cells(tmp_path: Path) -> None:
    root = tmp_path / "appetite"
    shutil.copytree(REPO / "examples" / "appetite", root)
    svg = _svg_of(build(root).page("risk-register/"))
    # Cells above 8 on the 5x5 product scale: p=2: i=5; p=3 and p=4: i=3,4,5; p=5: i=2..5: 1+3+3+4 = 11.
    appetite = re.search(r'<g class="risk-matrix-appetite" data-appetite="8">(.*?)</g>', svg, re.DOTALL)
    assert appetite and appetite.group(1).count("<rect ") == 11
    # Arrows: SEC-1, SEC-2, OPS-1 and OPS-3 have a residual in another cell; OPS-2 and FIN-1 have none.
    arrows = re.findall(r'class="risk-matrix-arrow" data-risk-id="([^"]+)"', svg)
    assert sorted(arrows) == ["OPS-1", "OPS-3", "SEC-1", "SEC-2"]

    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("      top: 3\n", "      top: 3\n      matrix_arrows: false\n      matrix_appetite: false\n")
    )
    svg = _svg_of(build(root).page("risk-register/"))
    assert "risk-matrix-arrow" not in svg and "risk-matrix-appetite" not in svg


def test_sixty_arrows_end_apart(tmp_path: Path) -> None:
    # 60 risks at High/High, each with the residual Low/Low: 60 arrows into one cell, each ending elsewhere.
    risks = {f"r{n}.md": risk_file(f"R-{n}", residual={"probability": "Low", "impact": "Low"}) for n in range(1, 61)}
    svg = _svg_of(build(write_project(tmp_path, risks)).page("risk-register/"))
    ends = re.findall(r'class="risk-matrix-arrow".*?<polygon points="([^ ]+) ', svg)
    assert len(ends) == 60
    assert len(set(ends)) == 60


def test_the_example_top_five_have_treatments_within_their_own_scores(example_site: Built) -> None:
    data = json.loads((example_site.site / "risk-register" / "risks.json").read_text(encoding="utf-8"))
    risks = {risk["id"]: risk for risk in data["risks"]}
    # The reference's matrix (impact row, probability Low/Medium/High): High 7 8 9, Medium 4 6 7, Low 1 4 5.
    # RSK-001 H/H 9 -> L/H 7; RSK-002 M/H 8 -> L/H 7; RSK-003 M/H 8 -> M/M 6; RSK-004 L/H 7 -> L/M 4;
    # RSK-005 H/M 7 -> M/M 6. Bands: 7-9 Urgent, 4-6 Proactive.
    expected = {
        "RSK-001": ("Mitigate", 9, 7, "Urgent"),
        "RSK-002": ("Mitigate", 8, 7, "Urgent"),
        "RSK-003": ("Mitigate", 8, 6, "Proactive"),
        "RSK-004": ("Mitigate", 7, 4, "Proactive"),
        "RSK-005": ("Accept", 7, 6, "Proactive"),
    }
    assert {
        rid: (risks[rid]["treatment"], risks[rid]["score"], risks[rid]["residual_score"], risks[rid]["residual_band"])
        for rid in expected
    } == expected
    assert all(risks[rid]["target_date"] is not None for rid in expected)
    assert risks["RSK-005"]["acceptance"]["by"] == "Product owner"
    assert risks["RSK-005"]["acceptance"]["expires"] == "2027-02-28"
    # The rest of the register has no treatment, and the build (dated 2026-03-01) says nothing about them.
    assert [rid for rid, risk in risks.items() if risk["treatment"] is not None] == list(expected)
    assert data["problems"] == []
