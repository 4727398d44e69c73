"""Front matter as PyYAML reads it, with the text of plain values kept where the contract wants text."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import run_cli
from tests.helpers import build, risk_file, write_project


def _with(front: str, risk_id: str = "RSK-1", **fields: str | None) -> str:
    """A valid risk file, with some keys removed or replaced, plus raw front matter."""
    return risk_file(risk_id, **fields).removesuffix("---\n") + front + "---\n"


def _exported(root: Path) -> list[dict[str, object]]:
    run = run_cli("export", cwd=root)
    assert run.returncode == 0, run.stderr
    risks: list[dict[str, object]] = json.loads(run.stdout)["risks"]
    return risks


def test_owners_in_a_list_keep_the_text_yaml_read(tmp_path: Path) -> None:
    # YAML 1.1 reads On as true, 007 as the octal 7 and 12:30 as the base-60 number 750.
    risks = {"a.md": _with("owner: [On, 007, 12:30]\n", owner=None), "b.md": _with("owner: On\n", "R-2", owner=None)}
    write_project(tmp_path, risks)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    owners = {risk["id"]: risk["owner"] for risk in built.data()["risks"]}
    assert owners == {"RSK-1": ["On", "007", "12:30"], "R-2": "On"}
    assert "On, 007, 12:30" in built.page("risk-register/")


def test_every_list_of_text_keeps_the_text(tmp_path: Path) -> None:
    front = "owner:\n- Yes\n- 1_000\n- 'No'\nrelated: [0x1F, 2026-02-08, 2026-02-30, .inf, ~x]\n"
    write_project(tmp_path, {"a.md": _with(front, owner=None)})
    (risk,) = _exported(tmp_path)
    assert risk["owner"] == ["Yes", "1_000", "No"]
    # 2026-02-30 is no date; as text it is as good a reference as any other.
    assert risk["related"] == ["0x1F", "2026-02-08", "2026-02-30", ".inf", "~x"]


def test_an_item_of_more_digits_than_python_converts_stays_text(tmp_path: Path) -> None:
    digits = "1" * 5000
    write_project(tmp_path, {"a.md": _with(f"related: [{digits}]\n")})
    run = run_cli("check", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
    (risk,) = _exported(tmp_path)
    assert risk["related"] == [digits]


def test_an_unclosed_list_after_an_impossible_date_is_a_yaml_error(tmp_path: Path) -> None:
    """A hole of the old hand-written reader (a 250,000-case fuzz): it took this file as valid."""
    front = "related:\n- 2026-02-30\n- [#34\n"
    write_project(tmp_path, {"a.md": _with(front), "b.md": risk_file("RSK-2")})
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    problems = [line for line in run.lines if line.startswith("risks/")]
    assert len(problems) == 1
    # The file's last line (line 12, after id..status on 2-8 and the three lines above on 9-11)
    # is the closing ---, where YAML finds the list never closed.
    assert problems[0].startswith("risks/a.md:12: error: front matter is not valid YAML: ")
    assert problems[0].endswith("[yaml-error]")
    assert [risk["id"] for risk in _exported(tmp_path)] == ["RSK-2"]
