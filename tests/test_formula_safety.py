"""CSV injection: no cell of risks.csv or a CSV export starts a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_risk_register.spreadsheet import formula_safe, restore
from tests.cli_helpers import run_cli
from tests.helpers import build, risk_file, write_project

HOSTILE_TITLE = '=HYPERLINK("http://example.invalid","Click")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        # OWASP's list: a quote goes before each formula start ...
        ("=1+1", "'=1+1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        # ... a text that already is a quoted formula gets one more, so that it reads back as itself ...
        ("'=x", "''=x"),
        # ... and anything else is left alone: a plain number (negative too), a quote before text.
        ("-3", "-3"),
        ("-0.5", "-0.5"),
        ("'quoted'", "'quoted'"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_starts_are_quoted(value: str, cell: str) -> None:
    assert formula_safe(value) == cell
    assert restore(cell) == value


@given(st.text())
def test_every_value_reads_back_and_no_cell_starts_a_formula(value: str) -> None:
    cell = formula_safe(value)
    assert restore(cell) == value
    assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
    # "-" alone is allowed to start a plain number, which a spreadsheet reads as that number.
    if cell.startswith("-"):
        assert float(cell) < 0


def hostile_project(root: Path) -> Path:
    return write_project(
        root,
        {
            "RSK-1.md": risk_file(
                "RSK-1",
                title=HOSTILE_TITLE,
                category="@Security",
                owner="+Ops",
                mitigation="-2+3",
                contingency="\tcall",
            ),
            "RSK-2.md": risk_file("RSK-2", title="Plain", mitigation="a = b"),
        },
    )


def test_risks_csv_and_csv_export_quote_formula_cells(tmp_path: Path) -> None:
    root = hostile_project(tmp_path)
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    site_csv = (built.site / "risk-register" / "risks.csv").read_text(encoding="utf-8")
    run = run_cli("export", "--format", "csv", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout == site_csv
    rows = list(csv.DictReader(io.StringIO(site_csv)))
    one, two = rows
    assert one["Risk"] == "'" + HOSTILE_TITLE
    assert one["Category"] == "'@Security"
    assert one["Owner"] == "'+Ops"
    assert one["Mitigation"] == "'-2+3"
    # The validator strips surrounding white space, so the tab never reaches the cell.
    assert one["Contingency"] == "call"
    # High x High on the reference matrix is 9: a number, not text.
    assert one["Score"] == "9"
    assert two["Risk"] == "Plain"
    assert two["Mitigation"] == "a = b"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_a_negative_score_stays_a_number(tmp_path: Path) -> None:
    # A product of levels -1..1 would be odd; a matrix of negative scores is the plain way to get one.
    plugin = {
        "matrix": {"High": [-1, -1, -1], "Medium": [-2, -2, -2], "Low": [-3, -3, -3]},
        "bands": [{"name": "Watch", "min": -1}, {"name": "Low", "min": -3}],
    }
    root = write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1", probability="Low", impact="Low")}, plugin)
    run = run_cli("export", "--format", "csv", cwd=root)
    assert run.returncode == 0, run.stderr
    (row,) = list(csv.DictReader(io.StringIO(run.stdout)))
    assert row["Score"] == "-3"
