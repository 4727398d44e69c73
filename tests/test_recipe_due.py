"""The scheduled-workflow recipe for `due` (docs/recipes/due-reviews.md): safe as written, and its
issue step does what the page says, run here with a stand-in for the `gh` command."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_helpers import SCRIPT
from tests.helpers import FIXED_EPOCH, REPO, risk_file, write_project

RECIPE = REPO / "docs" / "recipes" / "due-reviews.md"


def workflow() -> dict[str, Any]:
    block = re.search(r"```yaml\n(.*?)```", RECIPE.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "the recipe has no yaml block"
    loaded: dict[str, Any] = yaml.safe_load(block.group(1))
    return loaded


def steps() -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = workflow()["jobs"]["due"]["steps"]
    return result


def test_no_expression_in_a_shell_command_and_a_pinned_install() -> None:
    runs = [step["run"] for step in steps() if "run" in step]
    assert runs
    # `${{ }}` inside run: is pasted into the script before the shell reads it.
    assert all("${{" not in run for run in runs)
    install = next(run for run in runs if "pip install" in run)
    assert re.search(r"git\+https://\S+@[0-9a-f]{40}\"", install), install
    assert workflow()["permissions"] == {"contents": "read", "issues": "write"}
    assert "schedule" in workflow()[True]  # YAML 1.1 reads the key `on` as true


FAKE_GH = """#!/bin/sh
echo "$@" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then printf '%s' "$OPEN_ISSUE"; fi
"""


@pytest.mark.parametrize(
    ("reviewed", "open_issue", "expected"),
    [
        # Reviewed 2026-02-01, High x High reviews every 7 days: overdue on 2026-03-01.
        ("2026-02-01", "", ["label create", "issue create --title Risk reviews overdue --label risk-review"]),
        ("2026-02-01", "7", ["issue edit 7 --body-file due.md"]),
        ("2026-02-27", "7", ["issue close 7 --comment No review is overdue any more."]),
        ("2026-02-27", "", []),
    ],
)
def test_issue_step(tmp_path: Path, reviewed: str, open_issue: str, expected: list[str]) -> None:
    root = write_project(tmp_path / "p", {"RSK-1.md": risk_file("RSK-1", title="$(touch pwned)", reviewed=reviewed)})
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (bin_dir / "risk-register").symlink_to(SCRIPT)
    log = tmp_path / "gh.log"
    list_step, issue_step = steps()[-2], steps()[-1]
    environment = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{SCRIPT.parent}{os.pathsep}{os.environ['PATH']}",
        "SOURCE_DATE_EPOCH": FIXED_EPOCH,
        "GH_LOG": str(log),
        "OPEN_ISSUE": open_issue,
        **{key: str(value) for key, value in issue_step["env"].items() if "${{" not in str(value)},
    }
    for step in (list_step, issue_step):
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "issue list --label risk-review --state open --json number --jq .[0].number // empty"
    assert len(calls) == len(expected) + 1
    for call, start in zip(calls[1:], expected, strict=True):
        assert call.startswith(start), call
    assert json.loads((root / "due.json").read_text(encoding="utf-8"))["overdue"] == (reviewed == "2026-02-01")
    assert "$(touch pwned)" in (root / "due.md").read_text(encoding="utf-8")
    assert not (root / "pwned").exists()
