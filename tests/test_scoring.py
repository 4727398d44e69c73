"""A 5 x 5 register with product scoring and custom bands; expected values worked out by hand."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

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
    # Sum of two 1-3 levels reaches 2 to 6: the reference's bands (min 7, 4, 1), set explicitly (the defaults
    # are for 1 to 9 only), cover 2-3 and 4-6, and nothing reaches 7.
    bands = [{"name": "Urgent", "min": 7}, {"name": "Proactive", "min": 4}, {"name": "Accept", "min": 1}]
    built = build(write_project(tmp_path, {"r.md": risk_file("S-1")}, {"scoring": "sum", "bands": bands}))
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


FIVE_BY_FIVE = {key: PLUGIN[key] for key in ("probability", "impact")}


def _suggested(log: str, key: str) -> object:
    """The block a config-error offers for ``key`` (one line of YAML between backquotes), read."""
    found = re.search(rf"config error in '{key}': .*`({key}: [^`]*)`.* \[config-error\]$", log, re.M)
    assert found, log
    return yaml.safe_load(found.group(1))[key]


def test_default_bands_on_other_scores_are_a_config_error_with_bands_for_them(tmp_path: Path) -> None:
    # The reported bug: on a 5x5 product (scores 1 to 25) the default bands made Unlikely x Major = 8 Urgent.
    risks = {"a.md": risk_file("U-1", probability="Unlikely", impact="Major")}
    built = build(write_project(tmp_path, risks, {**FIVE_BY_FIVE, "scoring": "product"}))
    assert built.returncode != 0
    assert "config error in 'bands': scores run from 1 to 25 with these scales and scoring" in built.log
    assert "made for scores from 1 to 9" in built.log
    assert "Traceback" not in built.log
    bands = _suggested(built.log, "bands")
    # The 25 products sorted: 1 2 2 3 3 4 4 4 | 5 5 6 6 8 8 9 10 10 | 12 12 15 15 16 20 20 25. A third of the
    # cells (8) from the top starts at 12, the next 9 at 5: Urgent from 12, Proactive from 5, Accept from 1.
    assert [(band["name"], band["min"]) for band in bands] == [("Urgent", 12), ("Proactive", 5), ("Accept", 1)]
    assert [band["review_days"] for band in bands] == [7, 7, 30]  # the reference's reviews kept

    # Pasted into mkdocs.yml as offered, the block builds, and 2 x 4 = 8 is Proactive.
    built = build(write_project(tmp_path, risks, {**FIVE_BY_FIVE, "scoring": "product", "bands": bands}), strict=True)
    assert built.returncode == 0, built.log
    assert [(r["score"], r["band"]) for r in built.data()["risks"]] == [(8, "Proactive")]


def test_sum_on_the_reference_scales_needs_bands_too(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, {"a.md": risk_file("S-1")}, {"scoring": "sum"}))
    assert built.returncode != 0
    assert "config error in 'bands': scores run from 2 to 6" in built.log
    # The 9 sums sorted: 2 3 3 | 4 4 4 | 5 5 6: Urgent from 5, Proactive from 4, Accept from 2.
    assert [(band["name"], band["min"]) for band in _suggested(built.log, "bands")] == [
        ("Urgent", 5),
        ("Proactive", 4),
        ("Accept", 2),
    ]


def test_default_bands_stay_while_scores_run_from_1_to_9(tmp_path: Path) -> None:
    # Product of the reference's three levels: 1 to 9, the default bands' range. High x Medium = 6: Proactive.
    risks = {"a.md": risk_file("P-1", probability="High", impact="Medium")}
    built = build(write_project(tmp_path, risks, {"scoring": "product"}), strict=True)
    assert built.returncode == 0, built.log
    assert [(r["score"], r["band"]) for r in built.data()["risks"]] == [(6, "Proactive")]


def test_the_default_matrix_on_other_scales_is_a_config_error_offering_product_or_a_matrix(tmp_path: Path) -> None:
    risks = {"a.md": risk_file("M-1", probability="Unlikely", impact="Major")}
    built = build(write_project(tmp_path, risks, FIVE_BY_FIVE))
    assert built.returncode != 0
    assert (
        "config error in 'matrix': scoring is 'matrix' (the default) and no matrix is set, but the reference "
        "register's 3×3 matrix does not fit these scales (probability: 5 levels, impact: 5); "
        "set `scoring: product` (or `sum`), or write a matrix" in built.log
    )
    matrix = _suggested(built.log, "matrix")
    # One row per impact level, highest first, each probability x impact: Major (4) is 4, 8, 12, 16, 20.
    assert list(matrix) == ["Severe", "Major", "Moderate", "Minor", "Negligible"]
    assert matrix["Major"] == [4, 8, 12, 16, 20]
    # The matrix as offered is accepted; its scores run 1 to 25, so the next message asks for bands.
    built = build(write_project(tmp_path, risks, {**FIVE_BY_FIVE, "matrix": matrix}))
    assert built.returncode != 0
    assert "config error in 'bands': scores run from 1 to 25" in built.log
