"""`risk-register check`: the configuration and every risk file, in text, GitHub and JSON formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from mkdocs_risk_register.cli import github_annotation
from mkdocs_risk_register.diagnostics import Diagnostic
from tests.cli_helpers import SCRIPT, commit_all, init_repo, run_cli
from tests.helpers import REPO, build, risk_file, write_project

BROKEN = {
    "ok.md": risk_file("B-1", title="Fine"),
    "missing-owner.md": risk_file("B-3", owner=None),
    "unknown-level.md": risk_file("B-5", impact="Hgh"),
    "unknown-key.md": risk_file("B-6", titel="typo"),
    "no-front-matter.md": "# Just a heading\n",
}
# Worked out from the files: the opening --- is line 1, then id, title, category, probability,
# impact (line 6), owner, status, and extra keys from line 9.
EXPECTED = [
    ("risks/missing-owner.md", 1, "error", "missing-key"),
    ("risks/no-front-matter.md", 1, "error", "no-front-matter"),
    ("risks/unknown-key.md", 9, "warning", "unknown-key"),
    ("risks/unknown-level.md", 6, "error", "unknown-level"),
]
LINE = re.compile(r"^(\S+):(\d+): (error|warning): .+ \[([a-z-]+)\]$")


def parsed(lines: list[str]) -> list[tuple[str, int, str, str]]:
    found = []
    for line in lines:
        match = LINE.match(line)
        if match:
            found.append((match[1], int(match[2]), match[3], match[4]))
    return sorted(found)


def test_example_register_is_clean() -> None:
    run = run_cli("check", cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.lines == ["risk-register: 13 files checked, 13 risks: 0 errors, 0 warnings"]


def test_broken_register_gives_one_line_per_problem_and_exit_1(tmp_path: Path) -> None:
    write_project(tmp_path, BROKEN)
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr == ""
    *problems, summary = run.lines
    assert parsed(problems) == EXPECTED
    assert len(problems) == len(EXPECTED)
    assert (
        "risks/unknown-level.md:6: error: impact 'Hgh' is not a level of impact (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]" in problems
    )
    assert summary == "risk-register: 5 files checked, 2 risks: 3 errors, 1 warning"
    assert "Traceback" not in run.stdout + run.stderr


def test_rejected_values_are_quoted_as_written(tmp_path: Path) -> None:
    text = risk_file("Q-1", reviewed="2026-02-08T10:00:00", score=True)
    write_project(tmp_path, {"q.md": text.replace("'2026-02-08T10:00:00'", "2026-02-08T10:00:00")})
    run = run_cli("check", cwd=tmp_path)
    assert run.lines[:2] == [
        "risks/q.md:9: warning: 'reviewed' must be a date YYYY-MM-DD, got '2026-02-08T10:00:00'; ignored [bad-date]",
        "risks/q.md:10: warning: 'score' must be a whole number, got 'true'; ignored [bad-type]",
    ]


HEAD = "---\nid: Y-1\n"
QUOTED = ['title: "[draft] Data loss"', 'title: "Cache: stale reads"', 'title: "@here all"']
TAIL = "category: Technical\nprobability: High\nimpact: High\nowner: Team\nstatus: Open\n---\n"


@pytest.mark.parametrize(
    ("front", "line", "hint"),
    [
        (
            "title: [draft] Data loss\n",
            3,
            "; a value that starts with '[' is read as a list (quote the text: " + QUOTED[0] + ")",
        ),
        (
            "title: Cache: stale reads\n",
            3,
            "; a ':' followed by a space or the line's end starts a new key (quote the text: " + QUOTED[1] + ")",
        ),
        (
            "title: @here all\n",
            3,
            "; a value that starts with '@' is read as reserved syntax (quote the text: " + QUOTED[2] + ")",
        ),
        ('title: "Data loss\n', 8, " (the quote opened on line 3 is not closed)"),
        (
            "title: *Draft* plan\n",
            3,
            """; a value that starts with '*' is read as an alias (quote the text: title: "*Draft* plan")""",
        ),
        (
            "mitigation: [a, b\ntitle: T\n",
            4,
            "; a value that starts with '[' is read as a list (close it with ']', or quote the text: "
            'mitigation: "[a, b")',
        ),
    ],
)
def test_yaml_errors_say_how_to_quote_the_value(tmp_path: Path, front: str, line: int, hint: str) -> None:
    write_project(tmp_path, {"y.md": HEAD + front + TAIL})
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith(f"risks/y.md:{line}: error: front matter is not valid YAML: ")
    assert run.lines[0].endswith(f"{hint} [yaml-error]")


def check_piped_into(reader: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`risk-register check | reader` in bash with pipefail, Python's output buffered as in a terminal."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{SCRIPT}' check | {reader}"],
        check=False,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    # Thousands of warnings, far more than a pipe holds, read by `head -1`.
    keys = {f"extra{n}": "x" for n in range(3000)}
    write_project(tmp_path, {"a.md": risk_file("A-1", **keys)})
    piped = check_piped_into("head -1", tmp_path)
    assert piped.stdout.startswith("risks/a.md:9: warning: unknown key 'extra0'")
    assert len(piped.stdout.splitlines()) == 1
    assert piped.stderr == ""
    assert piped.returncode == 141


def test_a_reader_that_reads_nothing_gets_no_traceback_either(tmp_path: Path) -> None:
    # One short line, held in Python's buffer until the end: the failed write comes at the flush.
    write_project(tmp_path, {"a.md": risk_file("A-1")})
    piped = check_piped_into("true", tmp_path)
    assert piped.stderr == ""
    assert piped.returncode == 141


def test_a_malformed_source_date_epoch_is_a_problem_in_every_format(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("A-1")})
    for value in ("soon", ""):
        run = run_cli("check", "--format", "json", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": value})
        assert run.returncode == 1
        data = json.loads(run.stdout)
        assert [(p["path"], p["code"]) for p in data["problems"]] == [("mkdocs.yml", "config-error")]
        assert "'SOURCE_DATE_EPOCH': the environment variable must be a whole number" in data["problems"][0]["message"]


def test_missing_keys_are_listed_in_the_order_of_the_format(tmp_path: Path) -> None:
    write_project(tmp_path, {"e.md": "---\n---\nBody\n"})
    run = run_cli("check", cwd=tmp_path)
    missing = re.findall(r"required key '(\w+)' is missing", run.stdout)
    assert missing == ["id", "title", "category", "probability", "impact", "owner", "status"]


def test_check_lines_are_the_build_log_lines(tmp_path: Path) -> None:
    write_project(tmp_path, BROKEN)
    run = run_cli("check", cwd=tmp_path)
    built = build(tmp_path)
    *problems, _ = run.lines
    for line in problems:
        assert line in built.log


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("A-1", titel="typo")})
    plain = run_cli("check", cwd=tmp_path)
    strict = run_cli("check", "--strict", cwd=tmp_path)
    assert plain.returncode == 0
    assert strict.returncode == 1
    for run in (plain, strict):
        assert run.lines[0].startswith("risks/a.md:9: warning: unknown key 'titel'")
        assert run.lines[0].endswith("[unknown-key]")


def test_github_format_annotates_changed_lines(tmp_path: Path) -> None:
    write_project(tmp_path, BROKEN)
    run = run_cli("check", "--format", "github", cwd=tmp_path)
    assert run.returncode == 1
    *commands, summary = run.lines
    assert (
        "::error file=risks/unknown-level.md,line=6,title=unknown-level::impact 'Hgh' is not a level of impact "
        "(Low, Medium, High); did you mean 'High'?" in commands
    )
    annotated = sorted(
        (m[2], int(m[3]), m[1], m[4])
        for m in (re.match(r"^::(error|warning) file=([^,]+),line=(\d+),title=([a-z-]+)::.+$", c) for c in commands)
        if m
    )
    assert annotated == EXPECTED
    assert len(commands) == len(EXPECTED)
    assert summary.startswith("risk-register: 5 files checked")


def test_github_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    # mkdocs.yml in a subfolder of the repository: GitHub wants paths from the root.
    init_repo(tmp_path)
    write_project(tmp_path / "handbook", {"bad.md": risk_file("B-1", impact="Hgh")})
    commit_all(tmp_path, "register")
    run = run_cli("check", "--format", "github", cwd=tmp_path / "handbook")
    assert run.lines[0].startswith("::error file=handbook/risks/bad.md,line=6,title=unknown-level::")
    from_root = run_cli("-f", "handbook/mkdocs.yml", "check", "--format", "github", cwd=tmp_path)
    assert from_root.lines[0] == run.lines[0]


def test_github_annotation_escapes_workflow_command_syntax() -> None:
    problem = Diagnostic("risks/a,b:c.md", 3, "warning", "100% sure\nsecond line\r", "bad-type")
    assert github_annotation(problem) == (
        "::warning file=risks/a%2Cb%3Ac.md,line=3,title=bad-type::100%25 sure%0Asecond line%0D"
    )


def test_json_format(tmp_path: Path) -> None:
    write_project(tmp_path, BROKEN)
    run = run_cli("check", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert (data["ok"], data["files"], data["risks"], data["errors"], data["warnings"]) == (False, 5, 2, 3, 1)
    assert sorted((p["path"], p["line"], p["severity"], p["code"]) for p in data["problems"]) == EXPECTED


def test_configuration_error_names_the_key_and_its_line(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file()}, {"matrix": {"High": [7, 8], "Medium": [4, 6, 7], "Low": [1, 4, 5]}})
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    high_line = next(n for n, line in enumerate(text, start=1) if line.strip().startswith("High:"))
    for output in ("text", "github"):
        run = run_cli("check", "--format", output, cwd=tmp_path)
        assert run.returncode == 1
        first = run.lines[0]
        if output == "text":
            assert first.startswith(f"mkdocs.yml:{high_line}: error: config error in 'matrix.High': ")
            assert first.endswith("[config-error]")
        else:
            assert first.startswith(f"::error file=mkdocs.yml,line={high_line},title=config-error::")
        assert len(run.lines) == 2


def test_options_of_the_wrong_kind_are_configuration_errors(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file()}, {"top": "many", "tpo": 3})
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    top_line, tpo_line = (
        next(n for n, line in enumerate(text, 1) if line.strip().startswith(k)) for k in ("top:", "tpo:")
    )
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[:2] == [
        f"mkdocs.yml:{top_line}: error: config error in 'top': expected a whole number, got 'many' [config-error]",
        f"mkdocs.yml:{tpo_line}: warning: option 'tpo': Unrecognised configuration name: tpo; "
        "did you mean 'top'? [unknown-key]",
    ]


def test_missing_risks_folder_is_a_configuration_error(tmp_path: Path) -> None:
    write_project(tmp_path, {}, {"risks_dir": "nowhere"})
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert run.lines[0].startswith("mkdocs.yml:")
    assert "'risks_dir'" in run.lines[0]
    assert "nowhere" in run.lines[0]


def test_mkdocs_yaml_tags_do_not_break_the_command(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("A-1")})
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.md").write_text(risk_file("B-1"), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, 'Tagged']\n"
        "markdown_extensions:\n"
        "  - pymdownx.snippets:\n"
        "      base_path: !relative $config_dir\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:no_such_module.fence_code_format\n"
        "plugins:\n"
        "  - search\n"
        "  - risk-register:\n"
        "      risks_dir: !ENV [RISKS_FOLDER, risks]\n",
        encoding="utf-8",
    )
    default = run_cli("check", "--format", "json", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout)["risks"] == 1
    from_env = run_cli("export", cwd=tmp_path, env={"RISKS_FOLDER": "other"})
    assert from_env.returncode == 0, from_env.stderr
    assert [r["source"] for r in json.loads(from_env.stdout)["risks"]] == ["other/b.md"]


def test_plugins_as_a_mapping_and_config_file_option(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_project(project, {"a.md": risk_file("A-1", impact="Hgh")})
    (project / "site.yml").write_text(
        "site_name: x\nplugins:\n  search: {}\n  risk-register:\n    top: 2\n", encoding="utf-8"
    )
    run = run_cli("check", "-f", "project/site.yml", cwd=tmp_path)
    assert run.returncode == 1
    # Paths are relative to the folder holding the configuration, wherever the command runs.
    assert run.lines[0].startswith("risks/a.md:6: error: impact 'Hgh'")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("none", "no mkdocs.yml in"),
        ("no-plugin", "no 'risk-register' entry under 'plugins'"),
    ],
)
def test_usage_errors_give_one_line_and_exit_2(tmp_path: Path, setup: str, message: str) -> None:
    if setup == "no-plugin":
        (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert message in run.stderr


def test_missing_file_named_with_f_exit_2(tmp_path: Path) -> None:
    run = run_cli("-f", "nope.yml", "check", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "risk-register: configuration file 'nope.yml' not found"


def test_broken_yaml_in_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - risk-register: [\n", encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    assert run.returncode == 1
    assert re.match(r"^mkdocs\.yml:\d+: error: not valid YAML: .+ \[config-error\]$", run.lines[0])
    assert "Traceback" not in run.stderr


def test_inherited_configuration_is_followed(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("A-1"), "b.md": risk_file("B-1", probability="Low")})
    (tmp_path / "base.yml").write_text(
        "site_name: base\nplugins:\n  - risk-register:\n      top: 1\n      max_file_size: 100\n", encoding="utf-8"
    )
    (tmp_path / "child.yml").write_text("INHERIT: base.yml\nsite_name: child\n", encoding="utf-8")
    run = run_cli("export", "-f", "child.yml", cwd=tmp_path)
    data = json.loads(run.stdout)
    assert data["model"]["top"] == 1
    # Both files are over the inherited 100-byte limit: each is left out with its own line.
    assert data["left_out"] == ["risks/a.md", "risks/b.md"]
    assert [p["code"] for p in data["problems"]] == ["file-too-large", "file-too-large"]


def write_nested_inherit(root: Path, plugin_options: str) -> Path:
    """mkdocs.yml INHERITs a/base.yml, which INHERITs ../b/root.yml (relative to a/, as MkDocs reads it)."""
    write_project(root, {"a.md": risk_file("A-1"), "b.md": risk_file("B-1", probability="Low")})
    (root / "mkdocs.yml").write_text("INHERIT: a/base.yml\nsite_name: child\n", encoding="utf-8")
    (root / "a").mkdir()
    (root / "a" / "base.yml").write_text("INHERIT: ../b/root.yml\ntheme:\n  name: mkdocs\n", encoding="utf-8")
    (root / "b").mkdir()
    (root / "b" / "root.yml").write_text(
        f"site_name: root\nplugins:\n  - risk-register:\n{plugin_options}", encoding="utf-8"
    )
    return root


def test_nested_inherit_is_resolved_from_the_file_that_names_it_as_mkdocs_does(tmp_path: Path) -> None:
    project = write_nested_inherit(tmp_path, "      top: 1\n      risks_dir: !ENV [RISKS_FOLDER, risks]\n")
    built = build(project, strict=True)
    assert built.returncode == 0, built.log
    # MkDocs found the plugin's settings through both INHERITs: top 1, both risks published.
    assert built.data()["model"]["top"] == 1
    assert [r["id"] for r in built.data()["risks"]] == ["A-1", "B-1"]
    checked = run_cli("check", "--format", "json", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["risks"] == 2
    # The inherited settings are in force: top 1, and !ENV read as MkDocs reads it.
    exported = json.loads(run_cli("export", cwd=project).stdout)
    assert exported["model"]["top"] == 1
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "c.md").write_text(risk_file("C-1"), encoding="utf-8")
    from_env = run_cli("check", "--format", "json", cwd=project, env={"RISKS_FOLDER": "elsewhere"})
    assert from_env.returncode == 0, from_env.stdout + from_env.stderr
    assert json.loads(from_env.stdout)["risks"] == 1


def test_an_error_in_a_nested_inherited_file_points_into_that_file(tmp_path: Path) -> None:
    # b/root.yml: line 1 site_name, 2 plugins, 3 "- risk-register:", 4 top, 5 scoring.
    project = write_nested_inherit(tmp_path, "      top: 1\n      scoring: prodcut\n")
    built = build(project, strict=True)
    assert built.returncode != 0
    assert "prodcut" in built.log
    run = run_cli("check", cwd=project)
    assert run.returncode == 1
    assert run.lines[0].startswith("b/root.yml:5: error: config error in 'scoring': expected one of product, sum")
    assert "did you mean 'product'?" in run.lines[0]


def test_github_format_keeps_hostile_values_inside_their_annotation(tmp_path: Path) -> None:
    # A status with a terminal colour, a line break that would start a workflow command of its own,
    # and a file name holding the property separators ',' and ':'.
    write_project(tmp_path, {"a,b:c.md": risk_file("B-1", status="Op\x1b[31men\n::warning::fake 100%")})
    run = run_cli("check", "--format", "github", cwd=tmp_path)
    assert run.returncode == 1
    assert "\x1b" not in run.stdout
    [annotation, summary] = run.lines
    assert annotation.startswith("::error file=risks/a%2Cb%3Ac.md,line=")
    assert "'Op\\x1b[31men%0A::warning::fake 100%25'" in annotation
    assert summary.startswith("risk-register: 1 file checked")


def test_text_format_in_a_github_actions_job_keeps_values_from_acting_as_commands(tmp_path: Path) -> None:
    # The runner reads "##[command]" anywhere in a line: a quoted value must not set an output.
    hostile = "##[set-output name=approved;]yes"
    write_project(tmp_path, {"a.md": risk_file("B-1", status=hostile)})
    run = run_cli("check", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert run.returncode == 1
    stop, problem, resume, summary = run.lines
    token = stop.removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert hostile in problem
    assert problem.startswith("risks/a.md:8: error: status")
    assert resume == f"::{token}::"
    assert summary.startswith("risk-register: 1 file checked")
    # Each run has its own token, and outside a job the lines are the plain ones.
    assert run_cli("check", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"}).lines[0] != stop
    assert run_cli("check", cwd=tmp_path).lines == [problem, summary]
