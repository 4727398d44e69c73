"""`risk-register import` (CSV and XLSX) and `export --format xlsx`: a register in and out of a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.cli_helpers import run_cli
from tests.helpers import REPO, risk_file, write_project

HEADER = ["ID", "Risk", "Category", "Prob", "Impact", "Score", "Mitigation", "Contingency", "Owner", "Status"]


def empty_register(root: Path) -> Path:
    """The example's mkdocs.yml (the reference's scales and statuses) over an empty risks folder."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "risks").mkdir()
    return root


def example(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "risks", root / "risks")
    return root


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], merged: tuple[str, ...] = ()) -> Path:
    """A workbook of ``sheets``; ``merged`` ranges (``C2:C5``) are merged on the last sheet, as a user
    merges them: the value of the top-left cell stays, the range's other cells are emptied."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def imported(root: Path) -> dict[str, dict[str, Any]]:
    """The register's risks by id, as `export` gives them."""
    return {risk["id"]: risk for risk in data_without_source(root)["risks"]}


def data_without_source(root: Path) -> dict[str, Any]:
    run = run_cli("export", cwd=root)
    assert run.returncode == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    for risk in data["risks"]:
        risk.pop("source")
    return data


def row(*values: Any) -> list[Any]:
    return list(values)


GOOD = row("RSK-1", "A risk", "Technical", "High", "Low", "", "Fix it", "", "Team", "Open")


# --- round trips -----------------------------------------------------------------------------------


def test_xlsx_export_then_import_gives_the_same_register(tmp_path: Path) -> None:
    source = example(tmp_path / "a")
    run = run_cli("export", "--format", "xlsx", "-o", str(tmp_path / "register.xlsx"), cwd=source)
    assert run.returncode == 0, run.stderr
    target = empty_register(tmp_path / "b")
    run = run_cli("import", str(tmp_path / "register.xlsx"), cwd=target)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.lines[-1].endswith("13 new, 0 updated, 0 unchanged, 0 refused")
    assert len(list((target / "risks").glob("*.md"))) == 13
    assert data_without_source(target) == data_without_source(source)


TREATED = {
    "RSK-1.md": risk_file(
        "RSK-1",
        treatment="Accept",
        residual={"probability": "Medium", "impact": "High"},
        target_date=dt.date(2026, 6, 30),
        acceptance={
            "by": "=CFO",
            "date": dt.date(2026, 2, 1),
            "expires": dt.date(2026, 12, 31),
            "reason": "Cheaper to carry\nthan to fix",
        },
    ),
    "RSK-2.md": risk_file("RSK-2", treatment="Mitigate", residual={"probability": "Low", "impact": "Low"}),
    "RSK-3.md": risk_file("RSK-3"),
}


def test_xlsx_export_then_import_carries_treatment_residual_and_acceptance(tmp_path: Path) -> None:
    source = write_project(tmp_path / "a", TREATED)
    run = run_cli("export", "--format", "xlsx", "-o", str(tmp_path / "register.xlsx"), cwd=source)
    assert run.returncode == 0, run.stderr
    header = [cell.value for cell in openpyxl.load_workbook(tmp_path / "register.xlsx")["Register"][1]]
    # risks.csv's columns (its treatment four included), then the parts of residual and acceptance it leaves out.
    assert header[14:18] == ["Treatment", "Residual", "Target date", "Accepted until"]
    assert header[-5:] == ["Residual probability", "Residual impact", "Accepted by", "Accepted on", "Acceptance reason"]
    target = write_project(tmp_path / "b", {})
    run = run_cli("import", str(tmp_path / "register.xlsx"), cwd=target)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert data_without_source(target) == data_without_source(source)
    risks = {r["id"]: r for r in data_without_source(target)["risks"]}
    assert risks["RSK-1"]["acceptance"] == {
        "by": "=CFO",
        "date": "2026-02-01",
        "expires": "2026-12-31",
        "reason": "Cheaper to carry\nthan to fix",
    }
    assert risks["RSK-2"]["residual"] == {"probability": "Low", "impact": "Low"}
    assert risks["RSK-3"]["treatment"] is None and risks["RSK-3"]["acceptance"] is None


def test_csv_export_then_import_keeps_the_treatment_columns_it_has(tmp_path: Path) -> None:
    source = write_project(tmp_path / "a", TREATED)
    run = run_cli("export", "--format", "csv", "-o", str(tmp_path / "register.csv"), cwd=source)
    assert run.returncode == 0, run.stderr
    target = write_project(tmp_path / "b", {})
    run = run_cli("import", str(tmp_path / "register.csv"), cwd=target)
    assert run.returncode == 0, run.stderr
    risks = {r["id"]: r for r in data_without_source(target)["risks"]}
    # Treatment, Target date and Accepted until come back; Residual is a score, which names no levels,
    # and risks.csv has no column for who accepted, when or why (docs/spreadsheets.md).
    assert risks["RSK-1"]["treatment"] == "Accept"
    assert risks["RSK-1"]["target_date"] == "2026-06-30"
    assert risks["RSK-1"]["acceptance"] == {"by": None, "date": None, "expires": "2026-12-31", "reason": None}
    assert risks["RSK-1"]["residual"] is None
    assert risks["RSK-2"]["treatment"] == "Mitigate" and risks["RSK-2"]["residual"] is None
    # Accept without `acceptance.by` is the validator's warning, said by import, never a silent loss.
    assert "[acceptance-missing]" in run.stderr


def test_csv_export_then_import_keeps_every_column(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://example.invalid","Click")'
    source = write_project(
        tmp_path / "a",
        {
            "RSK-1.md": risk_file("RSK-1", title=hostile, owner="@ops", mitigation="-2+3", contingency="'=x"),
            "RSK-2.md": risk_file("RSK-2", title="1984", owner=["Ann", "Bob"], status="Closed"),
        },
    )
    run = run_cli("export", "--format", "csv", "-o", str(tmp_path / "register.csv"), cwd=source)
    assert run.returncode == 0, run.stderr
    target = write_project(tmp_path / "b", {})
    run = run_cli("import", str(tmp_path / "register.csv"), cwd=target)
    assert run.returncode == 0, run.stderr
    # Every value that risks.csv holds comes back as it was, the quoted formula starts included.
    assert data_without_source(target) == data_without_source(source)
    assert f"title: {hostile}\n" in (target / "risks" / "RSK-1.md").read_text(encoding="utf-8")


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    source = write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1", title="=1+1", owner="+Ops")})
    run = run_cli("export", "--format", "xlsx", "-o", "out.xlsx", cwd=source)
    assert run.returncode == 0, run.stderr
    workbook = openpyxl.load_workbook(source / "out.xlsx")
    sheet = workbook["Register"]
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    assert cells["Risk"].value == "'=1+1" and cells["Risk"].data_type == "s"
    assert cells["Owner"].value == "'+Ops"
    # High x High is 9 on the reference matrix: a number cell, coloured as its band (Urgent, #c62828).
    assert cells["Score"].value == 9 and cells["Score"].data_type == "n"
    assert cells["Score"].fill.fgColor.rgb.endswith("C62828")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}2"
    assert workbook.sheetnames == ["Register", "Matrix", "Review schedule"]
    # The matrix: impact High is the first row below the header, probability High the last column.
    matrix = workbook["Matrix"]
    assert matrix.cell(2, 1).value == "High" and matrix.cell(1, 4).value == "High"
    assert matrix.cell(2, 4).value == "9\nRSK-1"
    schedule = workbook["Review schedule"]
    # No `reviewed`: due on the build date, 2026-03-01.
    assert [c.value for c in schedule[2]][:2] == ["RSK-1", "'=1+1"]
    assert schedule.cell(2, 6).value == dt.datetime(2026, 3, 1)


def test_xlsx_export_needs_a_file_name(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")})
    run = run_cli("export", "--format", "xlsx", cwd=root)
    assert run.returncode == 2
    assert run.stderr.strip() == "risk-register: --format xlsx writes a workbook: name the file with -o FILE.xlsx"


# --- what real sheets hold ---------------------------------------------------------------------------


def test_a_real_sheet_title_rows_extra_sheet_dates_numbers_merged_and_empty_rows(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    register = [
        row("Project risk register"),  # a title above the table: the header is on row 3
        row(),
        row("ID", "Risk", "Category", "Prob", "Impact", "Owner", "Status", "Reviewed", "Notes"),
        row("Security"),  # a heading merged across the table: not a risk
        row("RSK-001", 1984, "Security", "High", "High", "Data Team", "Open", 46061, "n/a"),
        row(),
        row("RSK-002", "Pool", "Technical", "medium", "High", "Ann, Bob", "Open", dt.datetime(2026, 2, 20), None),
    ]
    path = write_xlsx(tmp_path / "sheet.xlsx", {"Read me": [row("Instructions")], "Register": register})
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        f"{path}:3:I: warning: column 'Notes' is not a register field and is not read "
        "(map it with --map 'Notes=KEY', or leave it out with --map 'Notes=') [unknown-column]",
        f"{path}:4:A: warning: the row holds only 'Security'; read as a heading, not a risk [heading-row]",
    ]
    assert "sheet 'Register', header on row 3" in run.lines[-1]
    one = (root / "risks" / "RSK-001.md").read_text(encoding="utf-8")
    # 1984 was a number: the title is its text; 46061 days after 1899-12-30 is 2026-02-08.
    assert "title: '1984'\n" in one
    assert "reviewed: 2026-02-08\n" in one
    two = (root / "risks" / "RSK-002.md").read_text(encoding="utf-8")
    assert "owner:\n- Ann\n- Bob\n" in two
    assert "reviewed: 2026-02-20\n" in two
    assert run_cli("check", cwd=root).returncode == 0


MERGED_HEADER = ["ID", "Risk", "Category", "Prob", "Impact", "Mitigation", "Contingency", "Owner", "Status"]


def test_vertically_merged_cells_give_their_value_to_every_row_they_span(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        {
            "Register": [
                MERGED_HEADER,
                row("RSK-1", "One", "Security", "High", "Low", "Patch", "Restore", "Data Team", "Open"),
                row("RSK-2", "Two", "", "High", "Low", "", "", "", "Open"),
                row("RSK-3", "Three", "", "Low", "Low", "Rotate keys", "Revoke", "Ops", "Open"),
                row("RSK-4", "Four", "", "Low", "High", "", "", "", "Open"),
                row("RSK-5", "Five", "Technical", "Low", "High", "", "", "SRE", "Open"),
            ]
        },
        # Category over the four Security risks; Owner and Mitigation over pairs of risks;
        # "Rotate keys" over Mitigation and Contingency of RSK-3 and RSK-4.
        merged=("C2:C5", "H2:H3", "H4:H5", "F2:F3", "F4:G5"),
    )
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.lines[-1].endswith("5 new, 0 updated, 0 unchanged, 0 refused")
    risks = imported(root)
    assert [risks[f"RSK-{n}"]["category"] for n in range(1, 6)] == ["Security"] * 4 + ["Technical"]
    assert [risks[f"RSK-{n}"]["owner"] for n in range(1, 6)] == ["Data Team", "Data Team", "Ops", "Ops", "SRE"]
    assert [risks[f"RSK-{n}"]["mitigation"] for n in range(1, 5)] == ["Patch", "Patch", "Rotate keys", "Rotate keys"]
    # A range over two columns shows one value: it is the first column's, on each row of the range.
    assert [risks[f"RSK-{n}"]["contingency"] for n in range(1, 5)] == ["Restore", "", "", ""]
    assert run_cli("check", cwd=root).returncode == 0


def test_merged_heading_rows_stay_headings_inside_a_merged_column(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        {
            "Register": [
                MERGED_HEADER,
                row("Security risks"),  # merged across the table
                row("RSK-1", "One", "Security", "High", "Low", "", "", "Data Team", "Open"),
                row("RSK-2", "Two", "", "High", "Low", "", "", "", "Open"),
                row("Found in the audit"),  # a heading typed in column A, under the merged Owner
                row(),
                row("RSK-3", "Three", "Security", "Low", "Low", "", "", "", "Open"),
                row("Technical risks"),
                row("RSK-4", "Four", "Technical", "Low", "High", "", "", "SRE", "Open"),
            ]
        },
        merged=("A2:I2", "C3:C4", "H3:H7", "A8:I8"),
    )
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 0, run.stderr
    # A merged value fills the risks' rows; it makes no risk of a heading or of an empty row.
    assert run.stderr.splitlines() == [
        f"{path}:2:A: warning: the row holds only 'Security risks'; read as a heading, not a risk [heading-row]",
        f"{path}:5:A: warning: the row holds only 'Found in the audit'; read as a heading, not a risk [heading-row]",
        f"{path}:8:A: warning: the row holds only 'Technical risks'; read as a heading, not a risk [heading-row]",
    ]
    risks = imported(root)
    assert sorted(risks) == ["RSK-1", "RSK-2", "RSK-3", "RSK-4"]
    assert [risks[f"RSK-{n}"]["category"] for n in range(1, 5)] == ["Security"] * 3 + ["Technical"]
    assert [risks[f"RSK-{n}"]["owner"] for n in range(1, 5)] == ["Data Team"] * 3 + ["SRE"]
    assert run_cli("check", cwd=root).returncode == 0


def test_merged_header_and_title_cells_fill_no_risk(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        {
            "Register": [
                row("Platform risk register"),  # a title block over rows 1 and 2, across the table
                row(),
                MERGED_HEADER,  # each heading two rows tall, except Owner's, three
                row(),
                row("RSK-1", "One", "Security", "High", "Low", "", "", "", "Open"),
                row("RSK-2", "Two", "Security", "High", "Low", "", "", "Ops", "Open"),
            ]
        },
        merged=("A1:I2", *(f"{c}3:{c}4" for c in "ABCDEFGI"), "H3:H5"),
    )
    run = run_cli("import", str(path), cwd=root)
    # The cells of a range that starts on the header show the heading: the header row's, not a value
    # of the risk. RSK-1's Owner cell is one of them, so RSK-1 has no owner of its own.
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"{path}:5:H: error: required key 'owner' is missing [missing-key]"]
    assert "sheet 'Register', header on row 3" in run.lines[-1]
    assert run.lines[-1].endswith("1 new, 0 updated, 0 unchanged, 1 refused")
    assert sorted(p.name for p in (root / "risks").iterdir()) == ["RSK-2.md"]


def _sheet_xml(rows: list[list[str]], merges: str, prefix: str = "x:", before_root: str = "") -> bytes:
    """A worksheet part written by hand: inline strings, its elements with a namespace prefix."""
    cells = "".join(
        f'<{prefix}row r="{r}">'
        + "".join(
            f'<{prefix}c r="{openpyxl.utils.get_column_letter(c)}{r}" t="inlineStr"><{prefix}is><{prefix}t>{value}'
            f"</{prefix}t></{prefix}is></{prefix}c>"
            for c, value in enumerate(values, start=1)
            if value
        )
        + f"</{prefix}row>"
        for r, values in enumerate(rows, start=1)
    )
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before_root}<{prefix}worksheet xmlns:{prefix[:-1]}="{namespace}">'
        f"<{prefix}sheetData>{cells}</{prefix}sheetData>{merges}</{prefix}worksheet>"
    ).encode()


def _with_sheet(path: Path, template: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return path


SHORT_HEADER = ["ID", "Risk", "Category", "Prob", "Impact", "Owner", "Status"]
SHORT_ROWS = [
    SHORT_HEADER,
    ["RSK-1", "One", "Security", "High", "Low", "Ops", "Open"],
    ["RSK-2", "Two", "", "High", "Low", "Ops", "Open"],
]


def test_merged_cells_of_a_sheet_with_a_prefix_and_thousands_of_ranges(tmp_path: Path) -> None:
    # Over a megabyte of ranges (the sheet is read in pieces of one): C2:C3 is the last of them.
    ranges = "".join(f'<x:mergeCell ref="K{n}:L{n}"/>' for n in range(10, 40_010)) + '<x:mergeCell ref="C2:C3"/>'
    sheet = _sheet_xml(SHORT_ROWS, f'<x:mergeCells count="40001">{ranges}</x:mergeCells>')
    assert len(sheet) > 1024 * 1024
    path = _with_sheet(tmp_path / "m.xlsx", write_xlsx(tmp_path / "t.xlsx", {"Register": [row("x")]}), sheet)
    root = empty_register(tmp_path / "p")
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert imported(root)["RSK-2"]["category"] == "Security"


def test_an_entity_in_the_merged_cells_is_never_expanded(tmp_path: Path) -> None:
    template = write_xlsx(tmp_path / "t.xlsx", {"Register": [row("x")]})
    merges = '<x:mergeCells><x:mergeCell ref="&b;"/></x:mergeCells>'
    bomb = '<!DOCTYPE x:worksheet [<!ENTITY a "C2:C3"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    root = empty_register(tmp_path / "p")
    # More rows than import reads to find the header: the merged cells are read before openpyxl's
    # stream of rows reaches them.
    rows = [*SHORT_ROWS, *([f"RSK-{n}", "Risk", "Security", "Low", "Low", "Ops", "Open"] for n in range(3, 63))]
    # With its declaration: openpyxl's parser refuses the sheet. Without: the merged cells are read
    # as a document of their own, which declares nothing, so the entity is not there to expand.
    for name, before_root, says in (
        ("declared.xlsx", bomb, "not a readable XLSX workbook"),
        ("undeclared.xlsx", "", "the merged cells of the sheet cannot be read: undefined entity"),
    ):
        path = _with_sheet(tmp_path / name, template, _sheet_xml(rows, merges, before_root=before_root))
        run = run_cli("import", str(path), cwd=root)
        assert run.returncode == 1
        assert len(run.stderr.splitlines()) == 1
        assert run.stderr.startswith(f"{path}: error: {says}")
        assert run.stderr.endswith("[unreadable-sheet]\n")
        assert list((root / "risks").iterdir()) == []


def test_map_names_other_columns(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_csv(
        tmp_path / "r.csv",
        [
            row("Ref", "Description of risk", "Area", "Likelihood", "Severity", "Risk owner", "State", "Comment"),
            row("RSK-7", "Vendor lock-in", "Technical", "Low", "Medium", "Ops", "Open", "old"),
        ],
    )
    run = run_cli(
        "import",
        str(path),
        "--map",
        "Ref=id",
        "--map",
        "Description of risk=title",
        "--map",
        "Area=category",
        "--map",
        "Likelihood=probability",
        "--map",
        "Severity=impact",
        "--map",
        "Risk owner=owner",
        "--map",
        "State=status",
        "--map",
        "Comment=",
        cwd=root,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert "title: Vendor lock-in\n" in (root / "risks" / "RSK-7.md").read_text(encoding="utf-8")


def test_a_refused_row_names_row_and_column_and_is_not_written(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            GOOD,
            row("RSK-2", "Bad", "Technical", "Hgh", "Low", "", "", "", "Team", "Open"),
            row("RSK-3", "No owner", "Technical", "Low", "Low", "", "", "", "", "Open"),
        ],
    )
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"{path}:3:D: error: probability 'Hgh' is not a level of probability (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]",
        f"{path}:4:I: error: required key 'owner' is missing [missing-key]",
    ]
    assert sorted(p.name for p in (root / "risks").iterdir()) == ["RSK-1.md"]
    assert run.lines[-1].endswith("3 rows read from " + str(path) + ": 1 new, 0 updated, 0 unchanged, 2 refused")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD])
    run = run_cli("import", str(path), "--dry-run", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.lines[0] == "would write risks/RSK-1.md"
    assert run.lines[-1].endswith("; dry run, nothing written")
    assert list((root / "risks").iterdir()) == []


def test_never_overwrites_and_update_keeps_body_and_comments(tmp_path: Path) -> None:
    original = (
        "---\n"
        "id: RSK-1\n"
        "title: Old title  # the board's wording\n"
        "category: Technical\n"
        "# scored in the March workshop\n"
        "probability: Low\n"
        "impact: Low\n"
        "owner:\n  - Team\n"
        "status: Open\n"
        "---\n\n## Description\n\nKept as it is.\n"
    )
    root = write_project(tmp_path, {"RSK-1.md": original})
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD])
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert "risk 'RSK-1' already exists in risks/RSK-1.md; not overwritten" in run.stderr
    assert (root / "risks" / "RSK-1.md").read_text(encoding="utf-8") == original

    run = run_cli("import", str(path), "--update", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.lines[0] == "updated risks/RSK-1.md"
    assert (root / "risks" / "RSK-1.md").read_text(encoding="utf-8") == (
        "---\n"
        "id: RSK-1\n"
        "title: A risk\n"
        "category: Technical\n"
        "# scored in the March workshop\n"
        "probability: High\n"
        "impact: Low\n"
        "owner: Team\n"
        "status: Open\n"
        "mitigation: Fix it\n"
        "---\n\n## Description\n\nKept as it is.\n"
    )
    run = run_cli("import", str(path), "--update", cwd=root)
    assert run.lines[-1].endswith("0 new, 0 updated, 1 unchanged, 0 refused")


# --- hostile spreadsheets ----------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    # 300 MiB of zeros deflates to about 300 KB: more than the 256 MiB limit unpacked.
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(300):
            part.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    root = empty_register(tmp_path / "p")
    run = run_cli("import", str(bomb), cwd=root)
    assert run.returncode == 1
    assert run.stderr == (
        f"{bomb}: error: the workbook would unpack to 314,572,800 bytes, over the limit of 268,435,456 bytes "
        "(a zip bomb, or far larger than any register); not read [unreadable-sheet]\n"
    )


def test_a_million_rows_stop_at_the_row_limit(tmp_path: Path) -> None:
    # Written as XML by hand (openpyxl takes minutes for a million rows), without a dimension element.
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 1_000_002))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Risk</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    )
    path = tmp_path / "million.xlsx"
    template = tmp_path / "template.xlsx"
    write_xlsx(template, {"Register": [row("x")]})
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    root = empty_register(tmp_path / "p")
    started = time.monotonic()
    run = run_cli("import", str(path), cwd=root)
    # Refused from a count of the row tags, before openpyxl parses the sheet (which takes a minute).
    assert time.monotonic() - started < 30
    assert run.returncode == 1
    assert run.stderr == (
        f"{path}: error: a sheet of the workbook has more than 100,050 rows; import reads at most 100,000 rows "
        "of risks below a header in the first 50 rows [unreadable-sheet]\n"
    )
    assert list((root / "risks").iterdir()) == []


def test_csv_rows_stop_at_the_row_limit(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n" * 100_100, encoding="utf-8")
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    # 100,000 rows below the header on row 1 end on row 100,001: the next one is over the limit.
    assert run.stderr == (
        f"{path}:100002: error: more than 100,000 rows below the header; import reads at most 100,000 "
        "[unreadable-sheet]\n"
    )


def test_formulas_are_reported_not_evaluated(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Register": [
                HEADER,
                row(
                    "RSK-1",
                    '=HYPERLINK("http://example.invalid","x")',
                    "Technical",
                    "High",
                    "Low",
                    "=D2*E2",
                    "",
                    "",
                    "Team",
                    "Open",
                ),
            ]
        },
    )
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    # The formula in Score (a computed column) is ignored; the one in Risk refuses the row.
    assert run.stderr == (
        f'{path}:2:B: error: the cell holds a formula (\'=HYPERLINK("http://example.invalid","x")\'), which '
        "import does not evaluate; copy the column and paste it as values [formula-cell]\n"
    )
    assert list((root / "risks").iterdir()) == []


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-16", "\t"), ("utf-16", ";")])
def test_csv_with_a_byte_order_mark(tmp_path: Path, encoding: str, delimiter: str) -> None:
    root = empty_register(tmp_path)
    text = "\r\n".join(delimiter.join(r) for r in (HEADER, [*GOOD[:1], "Überlauf", *GOOD[2:]])) + "\r\n"
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    assert path.read_bytes()[:2] in (b"\xef\xbb", b"\xff\xfe")
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 0, run.stderr
    assert "title: Überlauf\n" in (root / "risks" / "RSK-1.md").read_text(encoding="utf-8")


def test_csv_that_is_not_utf8(tmp_path: Path) -> None:
    root = empty_register(tmp_path)
    path = tmp_path / "r.csv"
    path.write_bytes(("\r\n".join(",".join(r) for r in (HEADER, [*GOOD[:1], "Überlauf", *GOOD[2:]]))).encode("cp1252"))
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert run.stderr.startswith(f"{path}:1: error: not valid UTF-8 near row 1")
    assert "save the file as 'CSV UTF-8'" in run.stderr


@pytest.mark.parametrize("line_breaks", [False, True])
def test_csv_with_a_10_mb_cell(tmp_path: Path, line_breaks: bool) -> None:
    root = empty_register(tmp_path)
    huge = ("x" * 99 + "\n") * 100_000 if line_breaks else "x" * 10_000_000
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD, [*GOOD[:1], huge, *GOOD[2:]]])
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert len(run.stderr.splitlines()) == 1
    if line_breaks:
        assert run.stderr.startswith(f"{path}:3: error: a cell is longer than 131,072 characters")
    else:
        assert run.stderr.startswith(f"{path}: error: line 3 is longer than 4,194,304 characters")
    assert list((root / "risks").iterdir()) == []


@pytest.mark.parametrize("risk_id", ["../../etc/x", "..\\x", "/tmp/x", "_hidden", ".x"])
def test_path_traversal_ids_are_refused(tmp_path: Path, risk_id: str) -> None:
    # An id_pattern that lets anything through: the file name is still checked.
    root = write_project(tmp_path / "p", {}, {"id_pattern": ".+"})
    path = write_csv(tmp_path / "r.csv", [HEADER, [risk_id, *GOOD[1:]]])
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert run.stderr == f"{path}:2:A: error: id '{risk_id}' cannot be the name of a risk file [bad-id]\n"
    assert list((root / "risks").iterdir()) == []
    assert not (tmp_path / "etc").exists()


def test_path_traversal_id_with_the_default_pattern(tmp_path: Path) -> None:
    root = empty_register(tmp_path / "p")
    path = write_csv(tmp_path / "r.csv", [HEADER, ["../../etc/x", *GOOD[1:]]])
    run = run_cli("import", str(path), cwd=root)
    assert run.returncode == 1
    assert "[bad-id]" in run.stderr
    assert list((root / "risks").iterdir()) == []


def test_the_worked_migration_of_the_docs(tmp_path: Path) -> None:
    # docs/spreadsheets.md, "A worked migration": the same sheet, the same commands, the same output.
    root = empty_register(tmp_path)
    write_xlsx(
        root / "Risks.xlsx",
        {
            "Register": [
                row("Platform risk register, Q1"),
                row(),
                row("Ref", "Risk", "Area", "Likelihood", "Impact", "Score", "Owner", "Status", "Last review", "Notes"),
                row(
                    "R-1",
                    "Tenant data leakage",
                    "Security",
                    "High",
                    "High",
                    "=D4*E4",
                    "Data Team",
                    "Open",
                    dt.datetime(2026, 2, 8),
                    "see audit",
                ),
                row(
                    "R-2",
                    "Pool exhaustion",
                    "Technical",
                    "Med",
                    "High",
                    "=D5*E5",
                    "Data Team, SRE",
                    "Open",
                    dt.datetime(2026, 2, 20),
                    None,
                ),
            ]
        },
    )
    maps = ["--map", "Ref=id", "--map", "Area=category", "--map", "Likelihood=probability"]
    maps += ["--map", "Last review=reviewed", "--map", "Notes="]
    run = run_cli("import", "Risks.xlsx", "--dry-run", *maps, cwd=root)
    assert run.returncode == 1
    assert run.stderr == (
        "Risks.xlsx:5:D: error: probability 'Med' is not a level of probability (Low, Medium, High); "
        "did you mean 'Medium'? [unknown-level]\n"
    )
    assert run.lines[-1] == (
        "risk-register: 2 rows read from Risks.xlsx (sheet 'Register', header on row 3): 1 new, 0 updated, "
        "0 unchanged, 1 refused; dry run, nothing written"
    )
    workbook = openpyxl.load_workbook(root / "Risks.xlsx")
    workbook["Register"]["D5"] = "Medium"  # Likelihood of R-2
    workbook.save(root / "Risks.xlsx")
    run = run_cli("import", "Risks.xlsx", *maps, cwd=root)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (root / "risks").iterdir()) == ["R-1.md", "R-2.md"]
    two = (root / "risks" / "R-2.md").read_text(encoding="utf-8")
    assert "owner:\n- Data Team\n- SRE\n" in two
    assert "reviewed: 2026-02-20\n" in two
    assert run_cli("check", cwd=root).returncode == 0
