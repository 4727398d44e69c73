"""`risk-register new` (the next free id) and `risk-register due` (reviews overdue and due soon)."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_risk_register.scaffold import NewRiskError, next_id
from tests.cli_helpers import GIT_ENV, SCRIPT, run_cli
from tests.helpers import FIXED_EPOCH, REPO, risk_file, write_project

NEW_OPTIONS = ["--title", "Key person leaves", "--category", "Schedule", "--probability", "low"]
MORE = ["--impact", "High", "--owner", "Product Team"]


def example(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "risks", root / "risks")
    return root


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["RSK-013", "RSK-2", "RSK-001"], "RSK-014"),  # natural order: 13 is the highest, padding kept
        (["X-9"], "X-10"),
        (["A-099", "A-7"], "A-100"),
        (["OPS-1", "SEC-1", "SEC-2"], "SEC-3"),  # the most used prefix
        ([], "RSK-001"),
    ],
)
def test_next_id(ids: list[str], expected: str) -> None:
    assert next_id(ids, r"^[A-Z][A-Z0-9]*-[0-9]+$") == expected


def test_next_id_without_a_numbered_id_and_a_pattern_rsk_001_does_not_match() -> None:
    with pytest.raises(NewRiskError, match="does not match id_pattern"):
        next_id([], r"^R[0-9]+$")


def test_new_writes_the_next_id_validated(tmp_path: Path) -> None:
    root = example(tmp_path)
    run = run_cli("new", *NEW_OPTIONS, *MORE, cwd=root)
    assert run.returncode == 0, run.stderr
    # The example's highest id is RSK-013.
    assert run.stdout == "risks/RSK-014.md\n"
    assert (root / "risks" / "RSK-014.md").read_text(encoding="utf-8") == (
        "---\nid: RSK-014\ntitle: Key person leaves\ncategory: Schedule\nprobability: low\nimpact: High\n"
        "owner: Product Team\nstatus: Open\nreviewed: 2026-03-01\n---\n\n## Description\n\n"
    )
    assert run_cli("check", cwd=root).returncode == 0
    assert run_cli("new", *NEW_OPTIONS, *MORE, cwd=root).stdout == "risks/RSK-015.md\n"


def test_two_new_at_once_get_two_ids(tmp_path: Path) -> None:
    root = example(tmp_path)
    environment = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **GIT_ENV}
    processes = [
        subprocess.Popen(
            [str(SCRIPT), "new", *NEW_OPTIONS, *MORE],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
        )
        for _ in range(4)
    ]
    outputs = sorted(process.communicate(timeout=120)[0] for process in processes)
    assert all(process.returncode == 0 for process in processes)
    assert outputs == [f"risks/RSK-0{n}.md\n" for n in (14, 15, 16, 17)]


def test_new_without_a_terminal_names_the_missing_options(tmp_path: Path) -> None:
    root = example(tmp_path)
    run = run_cli("new", "--title", "T", cwd=root)
    assert run.returncode == 2
    assert run.stderr == (
        "risk-register: new: give --category, --probability, --impact, --owner (there is no terminal to ask on)\n"
    )
    assert not (root / "risks" / "RSK-014.md").exists()


def test_new_refuses_what_the_build_would_refuse(tmp_path: Path) -> None:
    root = example(tmp_path)
    run = run_cli("new", "--title", "T", "--category", "C", "--probability", "Hgh", *MORE, cwd=root)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "risks/RSK-014.md:5: error: probability 'Hgh' is not a level of probability (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]",
        "risk-register: new: nothing written",
    ]
    assert not (root / "risks" / "RSK-014.md").exists()


def test_new_asks_on_a_terminal(tmp_path: Path) -> None:
    root = example(tmp_path)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs_risk_register.cli", "new", "--title", "Asked", "--owner", "Ops"],
        cwd=root,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    os.close(terminal)
    os.write(controller, b"Security\nMedium\n\nLow\n")  # the empty answer is asked again
    stdout, stderr = process.communicate(timeout=120)
    os.close(controller)
    assert process.returncode == 0, stderr
    assert stdout == b"risks/RSK-014.md\n"
    assert (
        stderr == b"Category: Probability (Low, Medium, High): Impact (Low, Medium, High): Impact (Low, Medium, High): "
    )
    text = (root / "risks" / "RSK-014.md").read_text(encoding="utf-8")
    assert "category: Security\nprobability: Medium\nimpact: Low\n" in text


# --- due ---------------------------------------------------------------------------------------------


def due_project(root: Path) -> Path:
    # The build date is 2026-03-01. High x High scores 9 (Urgent, review every 7 days); Low x Low
    # scores 1 (Accept, every 30 days).
    return write_project(
        root,
        {
            # 2026-02-01 + 7 = 2026-02-08: overdue by 21 days.
            "RSK-1.md": risk_file("RSK-1", title="Overdue", owner="Ops", reviewed="2026-02-01"),
            # 2026-02-05 + 30 = 2026-03-07: due in 6 days, for both owners.
            "RSK-2.md": risk_file(
                "RSK-2", title="Soon", probability="Low", impact="Low", owner=["Ops", "Dev"], reviewed="2026-02-05"
            ),
            # 2026-02-25 + 30 = 2026-03-27: 26 days away, past 14.
            "RSK-3.md": risk_file("RSK-3", title="Later", probability="Low", impact="Low", reviewed="2026-02-25"),
            # Closed: no review at all.
            "RSK-4.md": risk_file("RSK-4", title="Closed", status="Closed", reviewed="2025-01-01"),
            # Never reviewed: due on the build date, not overdue.
            "RSK-5.md": risk_file("RSK-5", title="Never", owner="Dev"),
        },
    )


def test_due_text_by_owner(tmp_path: Path) -> None:
    root = due_project(tmp_path)
    run = run_cli("due", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "Dev\n"
        "  RSK-5  due today  [Urgent]  Never\n"
        "  RSK-2  due 2026-03-07 (in 6 days)  [Accept]  Soon\n"
        "Ops\n"
        "  RSK-1  overdue since 2026-02-08 (21 days)  [Urgent]  Overdue\n"
        "  RSK-2  due 2026-03-07 (in 6 days)  [Accept]  Soon\n"
        "risk-register: 1 overdue, 2 due within 14 days (as of 2026-03-01)\n"
    )
    assert run_cli("due", "--strict", cwd=root).returncode == 1
    # Within 30 days RSK-3 (26 days away) is due too; for owner "ops" (any case) only Ops's reviews.
    assert "RSK-3" in run_cli("due", "--within", "30", cwd=root).stdout
    assert run_cli("due", "--owner", "ops", cwd=root).stdout.splitlines()[0] == "Ops"
    assert "Dev" not in run_cli("due", "--owner", "ops", cwd=root).stdout


def test_due_json_markdown_github(tmp_path: Path) -> None:
    root = due_project(tmp_path)
    data = json.loads(run_cli("due", "--format", "json", cwd=root).stdout)
    assert (data["overdue"], data["due"], data["within"]) == (1, 2, 14)
    assert [o["owner"] for o in data["owners"]] == ["Dev", "Ops"]
    assert data["owners"][1]["reviews"][0] == {
        "id": "RSK-1",
        "title": "Overdue",
        "band": "Urgent",
        "reviewed": "2026-02-01",
        "next_review": "2026-02-08",
        "days": -21,
        "overdue": True,
        "source": "risks/RSK-1.md",
    }
    markdown = run_cli("due", "--format", "markdown", cwd=root).stdout
    assert "## Ops\n\n| ID | Risk | Band | Next review | |\n|---|---|---|---|---|\n" in markdown
    assert "| RSK-1 | Overdue | Urgent | 2026-02-08 | **overdue** |" in markdown
    github = run_cli("due", "--format", "github", cwd=root).stdout.splitlines()
    assert (
        github[0] == "::notice file=risks/RSK-5.md,line=1,title=review-due::RSK-5 (Dev): review due 2026-03-01: Never"
    )
    overdue = "::warning file=risks/RSK-1.md,line=1,title=review-overdue::"
    assert overdue + "RSK-1 (Ops): review overdue since 2026-02-08: Overdue" in github
    assert len(github) == 4  # RSK-5, RSK-2 (once, though two owners), RSK-1, and the summary


def test_due_with_nothing_due(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"RSK-1.md": risk_file("RSK-1", probability="Low", impact="Low", reviewed="2026-02-28")}
    )
    run = run_cli("due", "--format", "markdown", "--strict", cwd=root)
    assert run.returncode == 0
    assert "No review is overdue or due soon." in run.stdout


def test_due_rejects_a_negative_window(tmp_path: Path) -> None:
    root = due_project(tmp_path)
    run = run_cli("due", "--within", "-1", cwd=root)
    assert run.returncode == 2
    assert "expected 0 or more days, got -1" in run.stderr


# --- without openpyxl ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["export", "--format", "xlsx", "-o", "out.xlsx"], ["import", "in.xlsx"]])
def test_xlsx_without_openpyxl_names_the_extra(tmp_path: Path, command: list[str]) -> None:
    root = write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")})
    (root / "in.xlsx").write_bytes(b"PK")
    # None in sys.modules makes `import openpyxl` fail, as it does where the package is not installed.
    code = (
        "import sys; sys.modules['openpyxl'] = None; "
        "from mkdocs_risk_register.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *command], cwd=root, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 2
    assert result.stderr == (
        "risk-register: XLSX needs the optional package openpyxl: pip install 'mkdocs-risk-register[xlsx]'\n"
    )
    assert not (root / "out.xlsx").exists()


def test_due_in_a_github_actions_log_cannot_run_workflow_commands(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1", title="##[error]fake", owner="::add-mask::x")})
    run = run_cli("due", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert run.returncode == 0, run.stderr
    first, *body, last = run.lines
    token = first.removeprefix("::stop-commands::")
    assert first != token and len(token) == 32
    assert last == f"::{token}::"
    assert body[0] == "::add-mask::x"
    # Written to a file, the list is plain: nothing to frame.
    assert run_cli("due", "-o", "due.txt", cwd=root, env={"GITHUB_ACTIONS": "true"}).stdout == ""
    assert (root / "due.txt").read_text(encoding="utf-8").startswith("::add-mask::x\n")
