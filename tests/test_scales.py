"""Registers on scales other than the reference's: what their configuration and risk files may hold."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.helpers import build, risk_file, write_project

FOUR = {
    "probability": [{"name": n} for n in ("Rare", "Unlikely", "Likely", "Certain")],
    "impact": [{"name": n} for n in ("Minor", "Moderate", "Major", "Severe")],
    "scoring": "product",
}


def _bands(top: object, bottom: object) -> list[dict[str, object]]:
    return [{"name": "Hot", "min": 6, "color": top}, {"name": "Cool", "min": 1, "color": bottom}]


@pytest.mark.parametrize(
    ("color", "shown"),
    [
        ("red; stroke: blue", "'red; stroke: blue'"),
        ('#c00" onload="alert(1)', "'#c00\" onload=\"alert(1)'"),
        ("#12345", "'#12345'"),
        ("reddish", "'reddish'"),
    ],
)
def test_a_band_colour_no_chart_can_draw_is_a_config_error(tmp_path: Path, color: str, shown: str) -> None:
    root = write_project(tmp_path, {"a.md": risk_file("C-1", probability="Likely", impact="Major")},
                         {**FOUR, "bands": _bands("#c62828", color)})  # fmt: skip
    built = build(root)
    assert built.returncode != 0
    assert f"config error in 'bands[1].color': {shown} is not a colour the charts can draw" in built.log
    assert "Traceback" not in built.log
    checked = run_cli("check", cwd=root)
    assert checked.returncode == 1
    assert "config error in 'bands[1].color'" in checked.stdout


def test_band_colours_in_css_forms_are_drawn(tmp_path: Path) -> None:
    risks = {
        "a.md": risk_file("C-1", probability="Likely", impact="Major"),
        "b.md": risk_file("C-2", probability="Rare", impact="Minor"),
    }
    root = write_project(tmp_path, risks, {**FOUR, "bands": _bands("rgb(198, 40, 40)", "SeaGreen")})
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    svg = (built.site / "risk-register" / "risk-matrix.svg").read_text(encoding="utf-8")
    assert 'fill="rgb(198, 40, 40)"' in svg and 'fill="SeaGreen"' in svg
    # Without a colour, a band takes the palette's, as before.
    root = write_project(tmp_path, risks, {**FOUR, "bands": _bands(None, "")})
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    assert [band["color"] for band in built.data()["model"]["bands"]] == ["#c62828", "#ef6c00"]


def test_a_number_on_a_scale_named_by_numbers_gets_no_names_not_numbers_hint(tmp_path: Path) -> None:
    numbered = {
        "probability": [{"name": str(n)} for n in range(1, 6)],
        "impact": [{"name": str(n)} for n in range(1, 6)],
        "scoring": "product",
        "bands": [{"name": "Hot", "min": 10}, {"name": "Cool", "min": 1}],
    }
    risks = {"a.md": risk_file("N-1", probability=2, impact=5), "b.md": risk_file("N-2", probability=7, impact=1)}
    built = build(write_project(tmp_path, risks, numbered))
    assert "risks/b.md:5: error: probability '7' is not a level of probability (1, 2, 3, 4, 5) [unknown-level]" in (
        built.log
    )
    assert "names, not numbers" not in built.log
    assert [(r["id"], r["score"]) for r in built.data()["risks"]] == [("N-1", 10)]


def test_a_residual_level_written_as_a_number_is_named(tmp_path: Path) -> None:
    risks = {
        "a.md": risk_file(
            "R-1",
            probability="Certain",
            impact="Severe",
            treatment="Mitigate",
            residual={"probability": 1, "impact": "Minor"},
        )
    }
    built = build(write_project(tmp_path, risks, {**FOUR, "bands": _bands(None, None)}))
    assert (
        "warning: residual probability '1' is not a level of probability (Rare, Unlikely, Likely, Certain); "
        "levels are names, not numbers: 1 is 'Rare'; the residual is ignored [unknown-level]" in built.log
    )


def test_a_matrix_row_yaml_reads_as_a_boolean_says_to_quote_it(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"a.md": risk_file("B-1", probability="Yes", impact="On")})
    # Written by hand: an unquoted On as a mapping key is what YAML reads as true.
    (root / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - risk-register:\n"
        "      probability: [{name: 'No'}, {name: 'Yes'}]\n"
        "      impact: [{name: 'Off'}, {name: 'On'}]\n"
        "      scoring: matrix\n"
        "      matrix:\n        On: [2, 4]\n        Off: [1, 2]\n"
        "      bands: [{name: Hot, min: 3}, {name: Cool, min: 1}]\n",
        encoding="utf-8",
    )
    built = build(root)
    assert built.returncode != 0
    assert "config error in 'matrix.true': expected text, got true (YAML reads On, Off, Yes and No" in built.log
    assert "Traceback" not in built.log
    checked = run_cli("check", cwd=root)
    assert checked.returncode == 1 and "mkdocs.yml:7: error: config error in 'matrix.true'" in checked.stdout
    # Quoted, the same matrix builds: Yes x On is 4.
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8").replace("On:", "'On':").replace("Off:", "'Off':"),
        encoding="utf-8",
    )
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    assert [(r["score"], r["band"]) for r in built.data()["risks"]] == [(4, "Hot")]


def test_long_level_names_are_cut_at_the_mermaid_axis_ends_and_kept_everywhere_else(tmp_path: Path) -> None:
    long = "Almost certain to happen within the next reporting period"
    scales = {
        "probability": [{"name": "Rare"}, {"name": long}],
        "impact": [{"name": "Minor"}, {"name": "Severe"}],
        "scoring": "product",
        "bands": [{"name": "Hot", "min": 3}, {"name": "Cool", "min": 1}],
    }
    built = build(write_project(tmp_path, {"a.md": risk_file("L-1", probability=long, impact="Severe")}, scales))
    assert built.returncode == 0, built.log
    page = built.page("risk-register/")
    source = html.unescape(re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.S).group(1))  # type: ignore[union-attr]
    # Each end's label is centred on half the chart's side: a long name would run into the other end's.
    assert '    x-axis Rare Probability --> "Almost certain to h… Probability"\n' in source
    assert "    y-axis Minor Impact --> Severe Impact\n" in source
    # The full name stays in the scoring guide, the register table and the SVG matrix.
    assert page.count(long) >= 3
    assert long in (built.site / "risk-register" / "risk-matrix.svg").read_text(encoding="utf-8")


def test_a_misspelt_residual_level_gets_one_did_you_mean(tmp_path: Path) -> None:
    risks = {
        "a.md": risk_file(
            "R-1",
            probability="Certain",
            impact="Severe",
            treatment="Mitigate",
            residual={"probability": "Rar", "impact": "Minor"},
        )
    }
    built = build(write_project(tmp_path, risks, {**FOUR, "bands": _bands(None, None)}))
    assert (
        "warning: residual probability 'Rar' is not a level of probability (Rare, Unlikely, Likely, Certain); "
        "the residual is ignored; did you mean 'Rare'? [unknown-level]" in built.log
    )
    assert built.log.count("did you mean 'Rare'?") == 1
