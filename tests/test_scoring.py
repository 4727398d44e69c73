"""A 5 x 5 register with product scoring and custom bands; expected values worked out by hand."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.helpers import build, risk_file, table_with_header, write_project

PLUGIN = {
    "scoring": "product",
    "top": 3,
    "probability": [{"name": n} for n in ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")],
    "impact": [{"name": n} for n in ("Negligible", "Minor", "Moderate", "Major", "Severe")],
    "bands": [
        {"name": "Extreme", "min": 15, "action": "Stop and fix", "review_days": 7},
        {"name": "High", "min": 8, "action": "Plan a fix", "review_days": 14},
        {"name": "Medium", "min": 4, "review_days": 30},
        {"name": "Low", "min": 1, "review_days": 90},
    ],
}

RISKS = {
    "a1.md": risk_file("A-1", probability="Likely", impact="Major", reviewed="2026-02-20"),
    "a2.md": risk_file("A-2", probability="possible", impact="SEVERE"),  # names match case-insensitively
    "a3.md": risk_file("A-3", probability="Almost certain", impact="Minor", reviewed="2026-02-20"),
    "a4.md": risk_file("A-4", probability="Rare", impact="Severe"),
    "a5.md": risk_file("A-5", probability="Unlikely", impact="Minor", score=6),
    "a6.md": risk_file("A-6", probability="Almost certain", impact="Severe", status="Closed"),
    "sub/a7.md": risk_file("A-7", probability="Likely", impact="Major"),
    "a10.md": risk_file("A-10", probability="Rare", impact="Negligible"),
}


def test_product_scoring_bands_ranks_and_top(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, RISKS, PLUGIN))
    assert built.returncode == 0, built.log
    data = built.data()
    risks = {r["id"]: r for r in data["risks"]}
    # Register order is natural: A-10 after A-7.
    assert list(risks) == ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "A-7", "A-10"]
    # 4x4=16, 3x5=15, 5x2=10, 1x5=5, 2x2=4, 5x5=25, 4x4=16, 1x1=1
    assert {i: r["score"] for i, r in risks.items()} == {
        "A-1": 16,
        "A-2": 15,
        "A-3": 10,
        "A-4": 5,
        "A-5": 4,
        "A-6": 25,
        "A-7": 16,
        "A-10": 1,
    }
    assert {i: r["band"] for i, r in risks.items()} == {
        "A-1": "Extreme",
        "A-2": "Extreme",
        "A-3": "High",
        "A-4": "Medium",
        "A-5": "Medium",
        "A-6": "Extreme",
        "A-7": "Extreme",
        "A-10": "Low",
    }
    # Closed is inactive: no rank, no next review. Ties (A-1, A-7 at 16) rank by id.
    assert {i: r["rank"] for i, r in risks.items()} == {
        "A-1": 1,
        "A-7": 2,
        "A-2": 3,
        "A-3": 4,
        "A-4": 5,
        "A-5": 6,
        "A-10": 7,
        "A-6": None,
    }
    assert risks["A-2"]["probability"] == "Possible" and risks["A-2"]["impact"] == "Severe"
    # Build date 2026-03-01: A-1 reviewed 02-20 + 7 days = 02-27 (overdue); A-3 + 14 = 03-06.
    assert (risks["A-1"]["next_review"], risks["A-1"]["overdue"]) == ("2026-02-27", True)
    assert (risks["A-3"]["next_review"], risks["A-3"]["overdue"]) == ("2026-03-06", False)
    assert (risks["A-10"]["next_review"], risks["A-10"]["overdue"]) == ("2026-03-01", False)
    assert risks["A-6"]["next_review"] is None
    assert risks["A-7"]["source"] == "risks/sub/a7.md"

    top = built.page("risk-register/top/")
    assert "Top 3 Risks" in top
    assert re.findall(r'<h2 id="[^"]*">([^<:]+):', top) == ["A-1", "A-7", "A-2"]
    assert "<strong>Risk Score</strong>: 16 (Likely Probability, Major Impact)" in top

    # The declared score 6 of A-5 differs from the computed 4: a warning, the risk stays.
    assert [p["code"] for p in data["problems"]] == ["score-mismatch"]
    assert "risks/a5.md:9: warning: declared score 6 differs from the computed score 4" in built.log


def test_scoring_guide_shows_formula_and_band_ranges(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, RISKS, PLUGIN))
    page = built.page("risk-register/")
    assert "Score = Probability × Impact" in page
    grid = table_with_header(page, "Impact \\ Probability")
    assert grid[0][1:] == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert grid[1] == ["Severe", "5", "10", "15", "20", "25"]
    assert grid[5] == ["Negligible", "1", "2", "3", "4", "5"]
    bands = table_with_header(page, "Risk Score")[1:]
    assert [row[:2] for row in bands] == [["15-25", "Extreme"], ["8-14", "High"], ["4-7", "Medium"], ["1-3", "Low"]]


def test_sum_scoring(tmp_path: Path) -> None:
    plugin = {"scoring": "sum", "bands": [{"name": "Hot", "min": 5}, {"name": "Cold", "min": 2}]}
    risks = {
        "r.md": risk_file("S-1", probability="High", impact="Medium"),
        "s.md": risk_file("S-2", probability="Low", impact="Low"),
    }
    built = build(write_project(tmp_path, risks, plugin))
    assert built.returncode == 0, built.log
    scores = {r["id"]: (r["score"], r["band"]) for r in built.data()["risks"]}
    assert scores == {"S-1": (5, "Hot"), "S-2": (2, "Cold")}


def test_scoring_guide_shows_only_scores_the_method_can_reach(tmp_path: Path) -> None:
    # Sum of two 1-3 levels reaches 2 to 6: the default bands (min 7, 4, 1) cover 2-3 and 4-6, and nothing reaches 7.
    built = build(write_project(tmp_path, {"r.md": risk_file("S-1")}, {"scoring": "sum"}))
    assert built.returncode == 0, built.log
    page = built.page("risk-register/")
    bands = table_with_header(page, "Risk Score")[1:]
    assert [row[:2] for row in bands] == [["—", "Urgent"], ["4-6", "Proactive"], ["2-3", "Accept"]]
    legend = [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", page)]  # among the chart's texts
    assert "Urgent (no score reaches it)" in legend and "Accept 2–3" in legend


def test_a_band_between_reachable_scores_is_shown_as_unreached(tmp_path: Path) -> None:
    # Product of two 1-3 levels reaches 1, 2, 3, 4, 6 and 9: nothing reaches 7 or 8.
    bands = [{"name": "A", "min": 9}, {"name": "B", "min": 7}, {"name": "C", "min": 5}, {"name": "D", "min": 1}]
    built = build(write_project(tmp_path, {"r.md": risk_file("S-1")}, {"scoring": "product", "bands": bands}))
    assert built.returncode == 0, built.log
    rows = table_with_header(built.page("risk-register/"), "Risk Score")[1:]
    assert [row[:2] for row in rows] == [["9", "A"], ["—", "B"], ["5-6", "C"], ["1-4", "D"]]
