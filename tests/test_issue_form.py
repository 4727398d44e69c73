"""Risks proposed by issue: the form written from the settings, the issue read into a risk file.

Every test runs the installed ``risk-register`` (``issue-form``, ``from-issue``), and the
workflow's own step of the recipe page, as GitHub would run them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_helpers import run_cli
from tests.helpers import REPO, build, copy_example, risk_file, write_project

RECIPE = REPO / "docs" / "recipes" / "propose-by-issue.md"
FIELDS = [
    {"name": "identified", "type": "date", "label": "Identified"},
    {"name": "controls", "type": "list", "label": "Controls"},
    {"name": "cost", "type": "number", "label": "Expected cost", "required": True},
    {"name": "runbook", "type": "link", "label": "Runbook"},
]
FIVE_LEVELS = [
    {"name": n, "description": f"{n} likelihood"} for n in ("Rare", "Unlikely", "Possible", "Likely", "Certain")
]
SETTINGS: dict[str, Any] = {
    "probability": FIVE_LEVELS,
    "scoring": "product",
    "bands": [{"name": "High", "min": 10}, {"name": "Low", "min": 1}],
    "categories": ["Security", "Finance"],
    "fields": FIELDS,
}


def _project(root: Path) -> Path:
    return write_project(root, {"a.md": risk_file("R-1", probability="Likely", category="Security", cost=5)}, SETTINGS)


def _issue(**answers: str) -> str:
    """An issue body as GitHub writes it from the form: each label as ### heading, then the answer."""
    values = {
        "Title": "Payment provider outage",
        "Category": "Finance",
        "Probability": "Possible",
        "Impact": "High",
        "Owner": "Finance Team",
        "Description": "_No response_",
        "Mitigation": "_No response_",
        "Contingency": "_No response_",
        "Identified": "2026-01-05",
        "Controls": "CC6.1\nA.8.2",
        "Expected cost": "1,500",
        "Runbook": "_No response_",
    }
    values.update({key.replace("_", " "): value for key, value in answers.items()})
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in values.items()) + "\n"


def _from_issue(root: Path, body: str) -> tuple[int, str, dict[str, Any] | None]:
    (root / "issue.md").write_text(body, encoding="utf-8")
    result = run_cli("from-issue", "issue.md", cwd=root)
    if result.returncode != 0:
        assert result.stdout == "", result.stdout
        return result.returncode, result.stderr, None
    written = result.stdout.strip()
    exported = json.loads(run_cli("export", "--format", "json", cwd=root).stdout)
    risk = next(r for r in exported["risks"] if r["source"] == written)
    return result.returncode, written, risk


def test_the_form_follows_the_register_settings(tmp_path: Path) -> None:
    result = run_cli("issue-form", cwd=_project(tmp_path))
    assert result.returncode == 0, result.stderr
    form = yaml.safe_load(result.stdout)
    questions = {item["id"]: item for item in form["body"] if item["type"] != "markdown"}
    # The five probability levels as configured, the impact scale's default three, the two categories.
    assert questions["probability"]["attributes"]["options"] == ["Rare", "Unlikely", "Possible", "Likely", "Certain"]
    assert "**Rare**: Rare likelihood" in questions["probability"]["attributes"]["description"]
    assert questions["impact"]["attributes"]["options"] == ["Low", "Medium", "High"]
    assert questions["category"]["type"] == "dropdown"
    assert questions["category"]["attributes"]["options"] == ["Security", "Finance"]
    # Each declared field by its label, required as declared; a list is a text box.
    assert [(q["attributes"]["label"], q["type"], q["validations"]["required"]) for q in form["body"][-4:]] == [
        ("Identified", "input", False),
        ("Controls", "textarea", False),
        ("Expected cost", "input", True),
        ("Runbook", "input", False),
    ]
    # What GitHub requires of a form: a name, a description, unique ids and labels, known types.
    assert form["name"] and form["description"] and form["labels"] == ["risk-proposal"]
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert len(set(questions)) == len(labels) == len(set(labels)) == 12
    assert {item["type"] for item in form["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_the_recipe_shows_the_form_of_the_example_register(tmp_path: Path) -> None:
    generated = run_cli("issue-form", cwd=copy_example(tmp_path)).stdout
    page = RECIPE.read_text(encoding="utf-8")
    assert f"```yaml\n{generated}```" in page  # regenerate the block when the example's settings change


def test_a_label_of_a_declared_field_that_the_form_uses_is_refused(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("R-1")}, {"fields": [{"name": "team", "label": "owner"}]})
    result = run_cli("issue-form", cwd=tmp_path)
    assert result.returncode == 2
    assert "two questions of the issue form would be labelled 'owner'" in result.stderr


def test_a_proposal_becomes_a_risk_file_the_build_accepts(tmp_path: Path) -> None:
    root = _project(tmp_path)
    body = _issue(Description="What happens:\n\n- payments stop\n- refunds queue", Mitigation="Second *provider*")
    code, written, risk = _from_issue(root, body)
    assert code == 0 and written == "risks/R-2.md"  # the id after R-1, as `new` gives it
    assert risk is not None
    # By hand: Possible (3) x High (3) = 9, below the High band's 10.
    expected = {"title": "Payment provider outage", "category": "Finance", "probability": "Possible"}
    assert {key: risk[key] for key in expected} == expected
    assert (risk["impact"], risk["owner"], risk["status"], risk["score"]) == ("High", "Finance Team", "Open", 9)
    assert (risk["mitigation"], risk["contingency"]) == ("Second *provider*", "")
    assert (risk["identified"], risk["controls"], risk["cost"], risk["runbook"]) == (
        "2026-01-05",
        ["CC6.1", "A.8.2"],
        1500,
        None,
    )
    text = (root / written).read_text(encoding="utf-8")
    assert text.endswith("## Description\n\nWhat happens:\n\n- payments stop\n- refunds queue\n")
    assert run_cli("check", "--strict", cwd=root).returncode == 0


# Values that mean something to YAML, a shell, GitHub's expressions or Markdown: each must come
# back as exactly the text written (one-line answers with their line breaks as spaces).
HOSTILE = [
    "x: [1, 2]",
    "&anchor *alias",
    "!!python/object/apply:os.system ['touch pwned']",
    "'; rm -rf / #",
    "$(touch pwned) `touch pwned` ${HOME}",
    "${{ secrets.GITHUB_TOKEN }}",
    '"quoted" and \\"escaped\\"',
    "| > - ? : , [ ] { } # % @ `",
    "--- ... ---",
    "id: EVIL-1",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "Ünïcödé ✓ \u202e reversed",
    "null",
    "true",
    "1e400",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_written_as_their_text(tmp_path: Path, value: str) -> None:
    root = _project(tmp_path)
    code, written, risk = _from_issue(root, _issue(Title=value, Owner=value, Mitigation=value))
    assert code == 0, written
    assert risk is not None
    assert (risk["id"], risk["title"], risk["owner"], risk["mitigation"]) == ("R-2", value, value, value)
    assert run_cli("check", "--strict", cwd=root).returncode == 0
    assert not (root / "pwned").exists()


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"Probability": "Very High"}, "probability must be one of Rare, Unlikely, Possible, Likely, Certain"),
        ({"Title": "_No response_"}, "'Title' is required"),
        ({"Expected cost": "_No response_"}, "'Expected cost' is required"),
        ({"Expected cost": "12abc"}, "'Expected cost' is not a number"),
        ({"Expected cost": "9" * 5000}, "'Expected cost' is not a number"),  # more digits than Python converts
        ({"Identified": "2026-02-30"}, "'Identified' is not a date YYYY-MM-DD"),
        ({"Runbook": "javascript:alert(1)"}, "'Runbook' is not a URL"),
        # A heading of the form inside an answer would replace the real answer: refused.
        ({"Description": "text\n\n### Owner\n\nEvil Team"}, "the section 'Owner' appears twice"),
        ({"Description": "[x](JavaScript:alert(1))"}, "the description holds a javascript:, vbscript: or data: link"),
        ({"Category": "Marketing"}, "category 'Marketing' is not one of the configured categories"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_written(tmp_path: Path, answers: dict[str, str], reason: str) -> None:
    root = _project(tmp_path)
    before = sorted(path.name for path in (root / "risks").iterdir())
    code, message, risk = _from_issue(root, _issue(**{key.replace(" ", "_"): v for key, v in answers.items()}))
    assert code == 1 and risk is None
    assert reason in message, message
    assert message.rstrip().endswith("nothing written")
    assert sorted(path.name for path in (root / "risks").iterdir()) == before


def test_a_too_long_issue_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    code, message, _ = _from_issue(root, _issue(Description="x" * 70_000))
    assert code == 1 and "longer than 65536 characters" in message


def test_html_in_the_description_is_shown_as_text_on_the_site(tmp_path: Path) -> None:
    root = _project(tmp_path)
    description = "Seen <script>alert(1)</script> and <img src=x onerror=alert(2)>; a ### heading ### stays"
    code, written, _ = _from_issue(root, _issue(Description=description))
    assert code == 0, written
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    page = built.page("risk-register/R-2/")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "Seen &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt;" in page


# --- the workflow of the recipe ---------------------------------------------------------------


def _workflow() -> dict[str, Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", RECIPE.read_text(encoding="utf-8"), re.S)
    workflow: dict[str, Any] = next(yaml.safe_load(b) for b in blocks if "jobs:" in b)
    return workflow


def test_the_workflow_never_puts_an_expression_in_a_script() -> None:
    steps = _workflow()["jobs"]["propose"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert len(scripts) == 5
    # No ${{ }} inside any run: script, so no issue text (nor anything else) is pasted in as shell code.
    assert all("${{" not in script for script in scripts)
    write = next(step for step in steps if "from-issue" in step.get("run", ""))
    assert write["env"] == {"ISSUE_BODY": "${{ github.event.issue.body }}"}
    commands = "\n".join(scripts)
    for command in ("risk-register from-issue", "risk-register check", "risk-register diff", "gh pr create"):
        assert command in commands


@pytest.mark.skipif(shutil.which("bash") is None, reason="the workflow's step is a bash script")
def test_the_workflow_step_writes_the_file_from_hostile_text(tmp_path: Path) -> None:
    """The step as the runner runs it: bash -e, the body in the environment, RUNNER_TEMP set."""
    root = _project(tmp_path / "repo")
    step = next(s for s in _workflow()["jobs"]["propose"]["steps"] if "from-issue" in s.get("run", ""))
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    hostile = "'; touch pwned; echo '\n$(touch pwned2)\n`touch pwned3`\n${{ github.token }}"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "ISSUE_BODY": _issue(Title=hostile, Description=hostile),
        "SOURCE_DATE_EPOCH": "1772323200",
    }
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (temp / "path.txt").read_text(encoding="utf-8") == "risks/R-2.md\n"
    assert not any((root / name).exists() for name in ("pwned", "pwned2", "pwned3"))
    exported = json.loads(run_cli("export", "--format", "json", cwd=root).stdout)
    assert exported["risks"][1]["title"] == " ".join(hostile.split())
