"""`risk-register export`: the same data as the site's risks.json and risks.csv."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from tests import reference
from tests.cli_helpers import run_cli
from tests.helpers import REPO, Built, risk_file, write_project


def copy_example(root: Path) -> Path:
    for name in ("mkdocs.yml", "risks"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


def test_json_equals_the_sites_risks_json(example_site: Built) -> None:
    # Run where the site was built from, with the same build date (run_cli fixes SOURCE_DATE_EPOCH).
    run = run_cli("export", cwd=example_site.root)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (example_site.site / "risk-register" / "risks.json").read_text(encoding="utf-8")
    assert run.stderr == ""


def test_csv_equals_the_sites_risks_csv(example_site: Built) -> None:
    run = run_cli("export", "--format", "csv", cwd=example_site.root)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (example_site.site / "risk-register" / "risks.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run.stdout)))
    # The treatment columns (the example's top five have treatments), then its two declared fields (mkdocs.yml) last.
    assert rows[0] == [
        *reference.register_header(),
        *("Band", "Reviewed", "Next review", "Overdue"),
        *("Treatment", "Residual", "Target date", "Accepted until"),
        *("Identified", "Controls"),
    ]
    assert [row[0] for row in rows[1:4]] == ["RSK-001", "RSK-002", "RSK-003"]
    assert len(rows) == 14


def test_output_file(tmp_path: Path) -> None:
    copy_example(tmp_path)
    run = run_cli("export", "-o", "out/register.json", cwd=tmp_path)
    assert run.returncode == 2  # the folder does not exist: a usage error, one line
    assert len(run.stderr.splitlines()) == 1
    assert "cannot write out/register.json" in run.stderr
    (tmp_path / "out").mkdir()
    run = run_cli("export", "-o", "out/register.json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    data = json.loads((tmp_path / "out" / "register.json").read_text(encoding="utf-8"))
    assert len(data["risks"]) == 13
    # RSK-002 is Medium probability, High impact: 8 on the reference matrix, band Urgent.
    two = next(r for r in data["risks"] if r["id"] == "RSK-002")
    assert (two["score"], two["band"], two["source"]) == (8, "Urgent", "risks/RSK-002.md")


def test_problems_go_to_stderr_and_into_the_data(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("A-1"), "b.md": risk_file("B-1", impact="Hgh")})
    run = run_cli("export", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stderr.splitlines() == [
        "risks/b.md:6: error: impact 'Hgh' is not a level of impact (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]"
    ]
    data = json.loads(run.stdout)
    assert [r["id"] for r in data["risks"]] == ["A-1"]
    assert data["left_out"] == ["risks/b.md"]
    assert [(p["path"], p["line"], p["code"]) for p in data["problems"]] == [("risks/b.md", 6, "unknown-level")]


def test_configuration_error_exit_1(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file()}, {"scoring": "median"})
    run = run_cli("export", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert run.stderr.startswith("mkdocs.yml:")
    assert "'scoring'" in run.stderr
    assert run.stderr.rstrip().endswith("[config-error]")


def test_csv_gives_band_and_review_dates(tmp_path: Path) -> None:
    risks = {
        "a.md": risk_file("C-1", probability="Low", impact="Low", reviewed="2026-02-20"),
        "b.md": risk_file("C-2", probability="High", impact="High"),
        "c.md": risk_file("C-3", status="Closed", reviewed="2025-01-01"),
    }
    write_project(tmp_path, risks)
    run = run_cli("export", "--format", "csv", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rows = {row[0]: row[10:] for row in csv.reader(io.StringIO(run.stdout))}
    # Build date 2026-03-01. Low x Low scores 1 (Accept, every 30 days): 02-20 + 30 = 03-22, not overdue.
    # Never reviewed: due on the build date, which is not overdue. Closed: no review is due.
    assert rows["C-1"] == ["Accept", "2026-02-20", "2026-03-22", "no"]
    assert rows["C-2"] == ["Urgent", "", "2026-03-01", "no"]
    assert rows["C-3"] == ["Urgent", "2025-01-01", "", ""]
