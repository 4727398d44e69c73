"""No traceback from any risk file or setting: values past what dates and numbers can hold are diagnostics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import run_cli
from tests.helpers import build, risk_file, write_project

# risk_file writes id, title, category, probability, impact, owner, status (lines 2-8): extra keys from line 9.
EXTRA_LINE = 9


def _with(front: str) -> str:
    """A valid risk file (High x High: score 9, the Urgent band, review every 7 days) plus raw front matter."""
    return risk_file().removesuffix("---\n") + front + "---\n"


def _problems(root: Path) -> tuple[int, list[tuple[str, int, str, str]], str]:
    run = run_cli("check", "--format", "json", cwd=root)
    assert "Traceback" not in run.stderr, run.stderr
    data = json.loads(run.stdout)
    return run.returncode, [(p["path"], p["line"], p["severity"], p["code"]) for p in data["problems"]], run.stdout


def test_a_reviewed_date_without_room_for_the_next_review_is_a_bad_date(tmp_path: Path) -> None:
    # 9999-12-30 + 7 days is past 9999-12-31, the last date there is.
    write_project(tmp_path, {"a.md": _with("reviewed: 9999-12-30\n")})
    code, problems, out = _problems(tmp_path)
    assert code == 0  # a warning: the risk stays
    assert problems == [("risks/a.md", EXTRA_LINE, "warning", "bad-date")]
    assert "'reviewed' 9999-12-30 leaves no date for the next review" in out
    built = build(tmp_path)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    assert "risks/a.md:9: " in built.log and "[bad-date]" in built.log
    (risk,) = built.data()["risks"]
    # The date is ignored, as a risk without one: due on the build date (2026-03-01), not overdue.
    assert (risk["reviewed"], risk["next_review"], risk["overdue"]) == (None, "2026-03-01", False)


def test_the_last_reviewed_date_that_leaves_room_is_kept(tmp_path: Path) -> None:
    # 9999-12-24 + 7 days = 9999-12-31, still a date.
    write_project(tmp_path, {"a.md": _with("reviewed: 9999-12-24\n")})
    code, problems, _ = _problems(tmp_path)
    assert (code, problems) == (0, [])


@pytest.mark.parametrize("days", ["36501", "1000000000000"])
def test_a_huge_review_days_is_a_config_error_naming_the_key(tmp_path: Path, days: str) -> None:
    write_project(tmp_path, {"a.md": _with("reviewed: 2026-01-01\n")})
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "- risk-register: {}\n" in text
    bands = "bands: [{name: Urgent, min: 7}, {name: Proactive, min: 4}, {name: Accept, min: 1, review_days: %s}]"
    config.write_text(text.replace("{}", "\n    " + bands % days), encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert "config error in 'bands[2].review_days': must be at most 36,500 days (100 years) [config-error]" in (
        run.stdout + run.stderr
    )
    built = build(tmp_path)
    assert built.returncode == 1
    assert "Traceback" not in built.log
    assert "config error in 'bands[2].review_days': must be at most 36,500 days" in built.log


def test_a_chart_number_too_large_for_a_float_is_a_bad_chart(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": _with(f"chart: [{'9' * 400}, 0.5]\n")})
    code, problems, _ = _problems(tmp_path)
    assert (code, problems) == (0, [("risks/a.md", EXTRA_LINE, "warning", "bad-chart")])


def test_an_id_of_thousands_of_digits_is_sorted_by_value(tmp_path: Path) -> None:
    # Python refuses int() of over 4,300 digits; the natural order compares the digits instead.
    huge = "RSK-" + "9" * 5000
    risks = {"a.md": risk_file(huge), "b.md": risk_file("RSK-10"), "c.md": risk_file("RSK-9")}
    write_project(tmp_path, risks)
    code, problems, _ = _problems(tmp_path)
    assert (code, problems) == (0, [])
    built = build(tmp_path)
    assert built.returncode == 0, built.log
    assert [risk["id"] for risk in built.data()["risks"]] == ["RSK-9", "RSK-10", huge]


BIG = 10**30


@pytest.mark.parametrize(
    "plugin",
    [
        {"top": BIG},
        {"max_file_size": BIG},
        {"nav_risk_pages": BIG},
        {"nav_risk_pages": -BIG},
        {"scoring": "product", "bands": [{"name": "Huge", "min": BIG}, {"name": "Rest", "min": -BIG}]},
        # Scores beyond 9 need bands of their own (SPEC: default bands only while scores run from 1 to 9).
        {
            "matrix": {"High": [7, 8, BIG], "Medium": [4, 6, 7], "Low": [1, 4, 5]},
            "bands": [{"name": "Urgent", "min": 7}, {"name": "Rest", "min": 1}],
        },
    ],
)
def test_huge_numbers_in_settings_build(tmp_path: Path, plugin: dict[str, Any]) -> None:
    write_project(tmp_path, {"a.md": _with("reviewed: 2026-01-01\n")}, plugin)
    code, problems, _ = _problems(tmp_path)
    assert (code, problems) == (0, [])
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log


@pytest.mark.parametrize("epoch", [str(BIG), "9" * 5000, str(-BIG)])
def test_a_source_date_epoch_past_the_dates_there_are_is_a_config_error(tmp_path: Path, epoch: str) -> None:
    write_project(tmp_path, {"a.md": risk_file()})
    run = run_cli("check", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": epoch})
    assert "Traceback" not in run.stderr
    assert run.returncode == 1
    assert "config error in 'SOURCE_DATE_EPOCH'" in run.stdout + run.stderr


def test_an_int_too_long_for_python_in_mkdocs_yml_is_a_config_error_in_check(tmp_path: Path) -> None:
    """Python converts at most 4,300 digits to an int. MkDocs' own loading of mkdocs.yml stops
    `mkdocs build` with a traceback then, before any plugin runs; `check` says what is wrong."""
    write_project(tmp_path, {"a.md": risk_file()}, {"top": 5})
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("top: 5", "top: " + "9" * 5000), encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1
    assert "error: a value cannot be read: Exceeds the limit (4300 digits) for integer string conversion" in (
        run.stdout + run.stderr
    )
