"""Declared fields (``fields:``): each type with good and bad values, and where a value shows.

Expected values are worked out by hand from docs/fields.md: a date is ``YYYY-MM-DD`` (YAML's
date or that text, a real day); a number is YAML's int or float (not a bool, not quoted, finite);
a list is a YAML list of text items (numbers and booleans keep the text written); a link is one
word, a URL of http, https or mailto or a path; text is what string keys accept.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import commit_all, init_repo, run_cli
from tests.helpers import build, html_tables, risk_file, table_with_header, write_project

FIELDS = [
    {"name": "identified", "type": "date", "label": "Identified"},
    {"name": "controls", "type": "list", "label": "Controls"},
    {"name": "cost", "type": "number", "label": "Expected cost"},
    {"name": "runbook", "type": "link", "label": "Runbook"},
    {"name": "clause", "type": "text"},  # label defaults to the name
]

BAD = None  # a bad-type warning on the key's line; the value is ignored (null in risks.json)

# (field, value as written in YAML, value in risks.json or BAD)
CASES: list[tuple[str, str, Any]] = [
    ("identified", "2026-01-05", "2026-01-05"),  # YAML reads a date
    ("identified", "'2026-01-05'", "2026-01-05"),  # the text of a date, as `reviewed` takes it
    ("identified", "2026-02-30", BAD),  # no such day
    ("identified", "05/01/2026", BAD),  # not YYYY-MM-DD
    ("identified", "2026-01-05 10:00:00", BAD),  # a timestamp, not a date
    ("cost", "1500", 1500),
    ("cost", "12.5", 12.5),
    ("cost", "'1500'", BAD),  # quoted: text, not a number
    ("cost", "true", BAD),  # a boolean is no number
    ("cost", ".nan", BAD),  # not a finite number
    ("controls", "[CC6.1, A.8.2]", ["CC6.1", "A.8.2"]),
    ("controls", "[On, 007]", ["On", "007"]),  # items keep the text written, as `related` does
    ("controls", "[]", []),
    ("controls", "CC6.1", BAD),  # one text is not a list
    ("controls", "[a, [b]]", BAD),  # an item that is a list
    ("runbook", "https://example.com/runbook", "https://example.com/runbook"),
    ("runbook", "../index.md", "../index.md"),
    ("runbook", "mailto:sec@example.com", "mailto:sec@example.com"),
    ("runbook", "javascript:alert(1)", BAD),  # only http, https and mailto URLs
    ("runbook", "two words", BAD),  # a link is one word
    ("runbook", "[a.md]", BAD),  # a list
    ("clause", "Plain *text*", "Plain *text*"),
    ("clause", "1984", "1984"),  # a number keeps its text, as `title: 1984` does
    ("clause", "{a: 1}", BAD),  # a mapping
]

FRONT = "id: {id}\ntitle: Case\ncategory: Technical\nprobability: High\nimpact: High\nowner: Team\nstatus: Open\n"


def test_each_type_takes_good_values_and_warns_of_bad_ones(tmp_path: Path) -> None:
    risks: dict[str, str | bytes] = {
        f"r{n}.md": "---\n" + FRONT.format(id=f"R-{n}") + f"{key}: {text}\n---\n"
        for n, (key, text, _) in enumerate(CASES)
    }
    write_project(tmp_path, risks, {"fields": FIELDS})
    exported = run_cli("export", "--format", "json", cwd=tmp_path)
    by_id = {risk["id"]: risk for risk in json.loads(exported.stdout)["risks"]}
    checked = run_cli("check", "--format", "json", cwd=tmp_path)
    problems = json.loads(checked.stdout)["problems"]
    for n, (key, text, expected) in enumerate(CASES):
        mine = [(p["line"], p["severity"], p["code"]) for p in problems if p["path"] == f"risks/r{n}.md"]
        if expected is BAD:
            # line 9: the key written after the seven keys and the opening ---
            assert mine == [(9, "warning", "bad-type")], (key, text)
            assert by_id[f"R-{n}"][key] is None, (key, text)
        else:
            assert mine == [], (key, text)
            assert by_id[f"R-{n}"][key] == expected, (key, text)
    assert checked.returncode == 0  # warnings only
    assert run_cli("check", "--strict", cwd=tmp_path).returncode == 1


def test_declared_keys_are_no_unknown_keys_and_others_still_are(tmp_path: Path) -> None:
    risks: dict[str, str | bytes] = {"a.md": risk_file("R-1", identified="2026-01-05", controlz=["x"])}
    write_project(tmp_path, risks, {"fields": FIELDS})
    result = run_cli("check", cwd=tmp_path)
    assert result.lines[:-1] == [
        "risks/a.md:10: warning: unknown key 'controlz'; did you mean 'controls'? [unknown-key]"
    ], result.stdout


def test_a_missing_required_field_leaves_the_file_out(tmp_path: Path) -> None:
    fields = [{"name": "cost", "type": "number", "required": True}]
    risks: dict[str, str | bytes] = {
        "a.md": risk_file("R-1", cost=10),
        "b.md": risk_file("R-2"),
        "c.md": risk_file("R-3", cost=None),
    }
    (tmp_path / "risks").mkdir()
    (tmp_path / "risks" / "d.md").write_text("---\n" + FRONT.format(id="R-4") + "cost:\n---\n", encoding="utf-8")
    write_project(tmp_path, risks, {"fields": fields})
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.lines[:-1] == [
        "risks/b.md:1: error: required key 'cost' is missing [missing-key]",
        "risks/c.md:1: error: required key 'cost' is missing [missing-key]",
        "risks/d.md:9: error: required key 'cost' is empty [missing-key]",
    ], result.stdout
    exported = json.loads(run_cli("export", "--format", "json", cwd=tmp_path).stdout)
    assert [risk["id"] for risk in exported["risks"]] == ["R-1"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"name": "status", "type": "text"}], "fields[0].name': 'status' is a built-in key of risk files"),
        ([{"name": "treatment"}], "fields[0].name': 'treatment' is a built-in key of risk files"),
        ([{"name": "x"}, {"name": "target_date", "type": "date"}], "fields[1].name': 'target_date' is a built-in"),
        ([{"name": "acceptance"}], "fields[0].name': 'acceptance' is a built-in key"),
        ([{"name": "band"}], "fields[0].name': 'band' is a value the register computes"),
        (
            [{"name": "cost", "type": "numbr"}],
            "fields[0].type': expected one of text, date, number, list, link, got 'numbr'; did you mean 'number'?",
        ),
        ([{"name": "cost", "typ": "number"}], "fields[0].typ': unknown option 'typ'; did you mean 'type'?"),
        ([{"name": "a"}, {"name": "a"}], "fields[1].name': 'a' is declared twice"),
        ([{"name": "x", "required": "yes"}], "fields[0].required': expected true or false, got 'yes'"),
        (["identified"], "fields[0]': expected a mapping"),
    ],
)
def test_bad_declarations_are_config_errors_naming_the_key(tmp_path: Path, fields: list[Any], message: str) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1")}, {"fields": fields})
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert f"error: config error in '{message}" in result.stdout, result.stdout
    assert "[config-error]" in result.stdout


def test_a_clash_with_a_built_in_key_stops_the_build(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1")}, {"fields": [{"name": "owner", "type": "list"}]})
    built = build(tmp_path)
    assert built.returncode != 0
    assert (
        "config error in 'fields[0].name': 'owner' is a built-in key of risk files; choose another name" in built.log
    ), built.log


def test_fields_show_on_the_risk_page_in_risks_json_csv_and_views(tmp_path: Path) -> None:
    values: dict[str, Any] = {
        "identified": "2026-01-05",
        "controls": ["CC6.1", "A.8.2"],
        "cost": 1500,
        "runbook": "../guide.md",
        "clause": "ISO *27001* [guide](../guide.md)",
    }
    risks: dict[str, str | bytes] = {
        "a.md": risk_file("R-1", **values),
        "b.md": risk_file("R-2", controls=["A.5.1"], cost=20),
    }
    write_project(tmp_path, risks, {"fields": FIELDS})
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    (tmp_path / "docs" / "views.md").write_text(
        "# Views\n\n/// risk-table\n    columns: [ID, Identified, controls, Expected cost]\n"
        "    filter: {controls: a.8.2}\n///\n\n"
        "/// risk-table\n    columns: [ID, cost]\n    sort: -Expected cost\n///\n",
        encoding="utf-8",
    )
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log

    page = built.page("risk-register/R-1/")
    summary = table_with_header(page, "Field")
    rows = [row for row in summary if row[0] in ("Identified", "Controls", "Expected cost", "Runbook", "clause")]
    # By label, in the order declared; the list as items, the link and the text's link resolved by MkDocs.
    assert rows == [
        ["Identified", "2026-01-05"],
        ["Controls", "CC6.1 A.8.2"],
        ["Expected cost", "1500"],
        ["Runbook", "../guide.md"],
        ["clause", "ISO 27001 guide"],
    ]
    assert "<li>CC6.1</li>" in page and "<li>A.8.2</li>" in page
    assert '<td><a href="../../guide/">../guide.md</a></td>' in page
    assert 'ISO <em>27001</em> <a href="../../guide/">guide</a>' in page
    assert [row[0] for row in table_with_header(built.page("risk-register/R-2/"), "Field")][-3:] == [
        "Controls",
        "Expected cost",
        "Source",
    ]  # a field the risk does not give has no row

    data = built.data()
    assert {key: data["risks"][0][key] for key in values} == values
    assert data["risks"][1]["identified"] is None and data["risks"][1]["runbook"] is None

    rows_csv = list(csv.reader(io.StringIO((built.site / "risk-register" / "risks.csv").read_text(encoding="utf-8"))))
    assert rows_csv[0][-5:] == ["Identified", "Controls", "Expected cost", "Runbook", "clause"]
    assert rows_csv[1][-5:] == ["2026-01-05", "CC6.1, A.8.2", "1500", "../guide.md", "ISO *27001* [guide](../guide.md)"]
    assert rows_csv[2][-5:] == ["", "A.5.1", "20", "", ""]

    views = built.page("views/")
    # Filter by a list item (any item matches, case-insensitively): R-1 only.
    assert table_with_header(views, "ID")[0:2] == [
        ["ID", "Identified", "Controls", "Expected cost"],
        ["R-1", "2026-01-05", "CC6.1 A.8.2", "1500"],
    ]
    # Sorted by cost, descending: 1500 before 20; the column is named by its label.
    second = next(table for table in html_tables(views) if table[0] == ["ID", "Expected cost"])
    assert second[1:] == [["R-1", "1500"], ["R-2", "20"]]


def test_a_broken_link_field_fails_strict(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1", runbook="../missing.md")}, {"fields": FIELDS})
    built = build(tmp_path, strict=True)
    assert built.returncode != 0
    assert "missing.md" in built.log


def test_an_unknown_column_or_filter_names_the_declared_fields(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1")}, {"fields": FIELDS})
    (tmp_path / "docs" / "views.md").write_text(
        "# Views\n\n/// risk-table\n    columns: [ID, Identifed]\n///\n\n"
        "/// risk-table\n    filter: {controll: x}\n///\n",
        encoding="utf-8",
    )
    built = build(tmp_path)
    assert "unknown column 'Identifed'; did you mean 'Identified'?" in built.log
    assert "unknown filter key 'controll'; did you mean 'controls'?" in built.log


def test_diff_reports_changes_of_declared_fields(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1", controls=["CC6.1"], cost=10)}, {"fields": FIELDS[:3]})
    init_repo(tmp_path)
    commit_all(tmp_path, "first")
    # Declaring more fields is no change of the scoring model.
    write_project(tmp_path, {}, {"fields": FIELDS})
    (tmp_path / "risks" / "a.md").write_text(risk_file("R-1", controls=["CC6.1", "A.8.2"], cost=10), encoding="utf-8")
    result = run_cli("diff", "HEAD", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Lists compare as their items joined by ", " (escaped for Markdown, as every diff value is).
    assert "| R\\-1 | A risk | controls: CC6\\.1 → CC6\\.1\\, A\\.8\\.2 |" in result.lines, result.stdout
    assert "cost" not in result.stdout.split("#### Other edits")[1]
    assert "scoring model" not in result.stdout
    data = json.loads(run_cli("diff", "HEAD", "--format", "json", cwd=tmp_path).stdout)
    assert data["modified"][0]["changes"] == {"controls": {"old": "CC6.1", "new": "CC6.1, A.8.2"}}


def test_a_register_without_fields_keeps_its_data(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1")})
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    assert "fields" not in built.data()["model"]
    header = (built.site / "risk-register" / "risks.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",Owner,Status,Band,Reviewed,Next review,Overdue")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_fields_round_trip_through_export_and_import(tmp_path: Path, kind: str) -> None:
    values: dict[str, Any] = {"identified": "2026-01-05", "controls": ["CC6.1", "A.8.2"], "cost": 12.5}
    source = write_project(
        tmp_path / "a", {"a.md": risk_file("R-1", runbook="https://example.com/r", **values)}, {"fields": FIELDS}
    )
    exported = run_cli("export", "--format", kind, "-o", str(tmp_path / f"register.{kind}"), cwd=source)
    assert exported.returncode == 0, exported.stderr
    if kind == "xlsx":
        import openpyxl  # noqa: PLC0415 (an optional extra of the package; the dev install has it)

        sheet = openpyxl.load_workbook(tmp_path / "register.xlsx")["Register"]
        header = [cell.value for cell in sheet[1]]
        # Declared fields last, typed: the date a date, the number a number.
        assert header[-5:] == ["Identified", "Controls", "Expected cost", "Runbook", "clause"]
        row = [cell.value for cell in sheet[2]]
        assert (row[-5].isoformat()[:10], row[-4], row[-3]) == ("2026-01-05", "CC6.1, A.8.2", 12.5)
    target = write_project(tmp_path / "b", {}, {"fields": FIELDS})
    imported = run_cli("import", str(tmp_path / f"register.{kind}"), cwd=target)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "unknown-column" not in imported.stdout
    risk = json.loads(run_cli("export", "--format", "json", cwd=target).stdout)["risks"][0]
    assert {key: risk[key] for key in values} == values
    assert (risk["runbook"], risk["clause"]) == ("https://example.com/r", None)
