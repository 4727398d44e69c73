"""`risk-register diff`: what a change does to the register, read from real git repositories.

Scores worked out by hand from the default matrix (rows are impact, columns probability
Low/Medium/High): High [7, 8, 9], Medium [4, 6, 7], Low [1, 4, 5]; bands Urgent >= 7,
Proactive >= 4, Accept >= 1. The register keeps a top 3.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.cli_helpers import commit_all, git, init_repo, run_cli
from tests.helpers import risk_file, write_project

# v1: base register, top 3 = RSK-1 (9), RSK-2 (8), RSK-3 (7); RSK-4 is 4th with 6.
V1 = {
    "RSK-1.md": risk_file("RSK-1", title="One", probability="High", impact="High", owner="Team A"),
    "RSK-2.md": risk_file("RSK-2", title="Two", probability="Medium", impact="High"),
    "RSK-3.md": risk_file("RSK-3", title="Three", probability="High", impact="Medium"),
    "RSK-4.md": risk_file("RSK-4", title="Four", probability="Medium", impact="Medium"),
    "old-name.md": risk_file("RSK-5", title="Five", probability="Low", impact="Low"),
    "RSK-6.md": risk_file("RSK-6", title="Six", probability="Medium", impact="Low"),
    "RSK-7.md": risk_file("RSK-7", title="Seven | piped", probability="Low", impact="Medium"),
}


def write_risks(root: Path, risks: dict[str, str]) -> None:
    """Replace the risks folder with exactly these files."""
    shutil.rmtree(root / "risks", ignore_errors=True)
    for name, text in risks.items():
        path = root / "risks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    init_repo(root)
    write_project(root, {}, {"top": 3})
    # MkDocs' own YAML tags must not get in the way.
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(
            "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
            "        - name: mermaid\n          class: mermaid\n"
            "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
            "site_url: !ENV [SITE_URL, 'https://example.com/']\n"
        )
    (root / "risks").rmdir()
    commit_all(root, "site without risks", tag="v0")

    write_risks(root, V1)
    commit_all(root, "first register", tag="v1")

    # v2: RSK-4 re-scored Medium/Medium (6, Proactive) -> High/High (9, Urgent); RSK-5's file moved;
    # RSK-6 mitigated.
    v2 = dict(V1)
    v2["RSK-4.md"] = risk_file("RSK-4", title="Four", probability="High", impact="High")
    v2["ops/rsk-5.md"] = v2.pop("old-name.md")
    v2["RSK-6.md"] = risk_file("RSK-6", title="Six", probability="Medium", impact="Low", status="Mitigated")
    write_risks(root, v2)
    commit_all(root, "re-score, move, mitigate", tag="v2")

    # v3: RSK-8 added (High/High, 9), RSK-7 removed, RSK-1 handed to another owner.
    v3 = dict(v2)
    v3["RSK-8.md"] = risk_file("RSK-8", title="Eight", probability="High", impact="High")
    del v3["RSK-7.md"]
    v3["RSK-1.md"] = risk_file("RSK-1", title="One", probability="High", impact="High", owner="Team B")
    write_risks(root, v3)
    commit_all(root, "add, remove, new owner", tag="v3")

    # v4: RSK-2 broken (impact 'Hgh'), everything else as in v3.
    v4 = dict(v3)
    v4["RSK-2.md"] = risk_file("RSK-2", title="Two", probability="Medium", impact="Hgh")
    write_risks(root, v4)
    commit_all(root, "break a file", tag="v4")

    # The working tree: v4 plus an uncommitted edit, RSK-3 High/Medium (7, Urgent) -> Low/Low (1, Accept).
    write_risks(root, {**v4, "RSK-3.md": risk_file("RSK-3", title="Three", probability="Low", impact="Low")})
    return root


def strip_tags(text: str) -> str:
    """A cell's text as a reader sees it: tags and comments gone, backslash escapes read."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", re.sub(r"<[^>]+>", "", text)).strip()


def sections(markdown: str) -> dict[str, list[list[str]]]:
    """Each '#### Heading' of the summary and the rows of the table below it (header left out)."""
    found: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in markdown.splitlines():
        if line.startswith("#### "):
            current = found.setdefault(line[5:], [])
        elif current is not None and line.startswith("| ") and not line.startswith("| ID "):
            current.append([strip_tags(cell) for cell in re.split(r"(?<!\\) \| ", line[2:-2])])
    return found


def diff_json(repo: Path, *revisions: str) -> dict[str, Any]:
    run = run_cli("diff", *revisions, "--format", "json", cwd=repo)
    assert run.returncode == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def test_diff_between_two_commits_shows_every_kind_of_change(repo: Path) -> None:
    run = run_cli("diff", "v1", "v3", cwd=repo)
    assert run.returncode == 0, run.stderr
    found = sections(run.stdout)
    assert found["Added"] == [["RSK-8", "Eight", "9", "Urgent", "Open", "Team"]]
    assert found["Removed"] == [["RSK-7", "Seven | piped", "4", "Proactive", "Open"]]
    assert found["Re-scored"] == [["RSK-4", "Four", "Medium → High", "Medium → High", "6 → 9", "Proactive → Urgent"]]
    assert found["Status changes"] == [["RSK-6", "Six", "Open → Mitigated"]]
    assert found["Owner changes"] == [["RSK-1", "One", "Team A → Team B"]]
    # v3 ranks: RSK-1, RSK-4, RSK-8 (all 9, by id), then RSK-2 (8), RSK-3 (7).
    assert found["Top 3"] == [
        ["RSK-4", "Four", "entered", "4 → 2"],
        ["RSK-8", "Eight", "entered", "— → 3"],
        ["RSK-2", "Two", "left", "2 → 4"],
        ["RSK-3", "Three", "left", "3 → 5"],
    ]
    # The renamed file is the same risk: neither added nor removed, but moved.
    assert found["Moved"] == [["RSK-5", "Five", "moved from risks/old-name.md → risks/ops/rsk-5.md"]]
    assert "RSK-5" not in str(found["Added"] + found["Removed"])
    assert "1 added, 1 removed, 1 re-scored, 1 status change, 1 owner change, 1 moved" in run.stdout
    # A '|' in a title never splits the table: every row has its header's number of cells.
    for line in run.stdout.splitlines():
        if line.startswith("| RSK-7"):
            assert line.count(" | ") == 4


def test_json_format_for_tools(repo: Path) -> None:
    data = diff_json(repo, "v1", "v3")
    assert [r["id"] for r in data["added"]] == ["RSK-8"]
    assert [r["id"] for r in data["removed"]] == ["RSK-7"]
    assert data["rescored"] == ["RSK-4"]
    four = next(m for m in data["modified"] if m["id"] == "RSK-4")
    assert four["changes"]["score"] == {"old": 6, "new": 9}
    assert four["changes"]["band"] == {"old": "Proactive", "new": "Urgent"}
    assert data["status_changes"] == ["RSK-6"]
    assert data["owner_changes"] == ["RSK-1"]
    assert data["moved"] == [{"id": "RSK-5", "from": "risks/old-name.md", "to": "risks/ops/rsk-5.md"}]
    assert data["top"]["entered"] == [
        {"id": "RSK-4", "base_rank": 4, "head_rank": 2},
        {"id": "RSK-8", "base_rank": None, "head_rank": 3},
    ]
    assert [m["id"] for m in data["top"]["left"]] == ["RSK-2", "RSK-3"]
    assert data["changed"] is True
    assert data["base"]["commit"] == git(repo, "rev-parse", "v1").strip()


def test_head_defaults_to_the_working_tree_which_is_left_untouched(repo: Path) -> None:
    status_before = git(repo, "status", "--porcelain")
    head_before = git(repo, "rev-parse", "HEAD")
    edited = (repo / "risks" / "RSK-3.md").read_text(encoding="utf-8")
    run = run_cli("diff", "v4", cwd=repo)
    assert run.returncode == 0, run.stderr
    # The uncommitted edit: RSK-3 High/Medium (7, Urgent) -> Low/Low (1, Accept).
    assert sections(run.stdout)["Re-scored"] == [
        ["RSK-3", "Three", "High → Low", "Medium → Low", "7 → 1", "Urgent → Accept"]
    ]
    assert "→ working tree" in run.stdout.splitlines()[0]
    assert git(repo, "status", "--porcelain") == status_before
    assert status_before.strip() == "M risks/RSK-3.md"
    assert git(repo, "rev-parse", "HEAD") == head_before
    assert (repo / "risks" / "RSK-3.md").read_text(encoding="utf-8") == edited


def test_base_without_a_risks_folder_counts_every_risk_as_added(repo: Path) -> None:
    data = diff_json(repo, "v0", "v1")
    assert [r["id"] for r in data["added"]] == ["RSK-1", "RSK-2", "RSK-3", "RSK-4", "RSK-5", "RSK-6", "RSK-7"]
    assert data["removed"] == []
    assert data["base"]["has_risks"] is False
    markdown = run_cli("diff", "v0", "v1", cwd=repo).stdout
    assert "> v0 has no risks folder (risks/)" in [strip_tags(line) for line in markdown.splitlines()]


def test_invalid_file_is_reported_not_crashed_on(repo: Path) -> None:
    run = run_cli("diff", "v3", "v4", cwd=repo)
    assert run.returncode == 0, run.stderr
    found = sections(run.stdout)
    # RSK-2 is no longer a valid risk: it leaves the register, and the reason is shown.
    assert found["Removed"] == [["RSK-2", "Two", "8", "Urgent", "Open", "file now invalid, left out (see problems)"]]
    problems = run.stdout[run.stdout.index("#### Problems") :]
    assert "New in v4:" in problems
    assert (
        "risks/RSK-2.md:6: error: impact 'Hgh' is not a level of impact (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]" in problems
    )
    # Going back the other way, the same problem is fixed.
    back = run_cli("diff", "v4", "v3", cwd=repo)
    assert "Fixed (present in v4):" in back.stdout
    assert sections(back.stdout)["Added"] == [
        ["RSK-2", "Two", "8", "Urgent", "Open", "Team", "file was invalid before, left out (see problems)"]
    ]


def test_no_changes(repo: Path) -> None:
    run = run_cli("diff", "v3", "v3", cwd=repo)
    assert run.returncode == 0
    assert "no changes to the register" in run.stdout
    assert "####" not in run.stdout
    assert diff_json(repo, "v2", "v2")["changed"] is False


def test_invalid_revision_gives_one_line_and_exit_2(repo: Path) -> None:
    for args in (("no-such-branch",), ("v1", "v99"), ("--format", "json", "deadbeef")):
        run = run_cli("diff", *args, cwd=repo)
        assert run.returncode == 2, args
        assert run.stdout == ""
        assert len(run.stderr.splitlines()) == 1
        assert "unknown revision" in run.stderr
        assert "Traceback" not in run.stderr


def test_folder_that_is_not_a_git_repository_exit_2(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file()})
    run = run_cli("diff", "main", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert "not inside a git repository" in run.stderr


def test_settings_are_read_at_each_revision(tmp_path: Path) -> None:
    # Changing the scoring in mkdocs.yml re-scores risks: the diff shows it.
    init_repo(tmp_path)
    write_project(tmp_path, {"a.md": risk_file("A-1", probability="Medium", impact="High")})
    commit_all(tmp_path, "matrix", tag="matrix")
    write_project(tmp_path, {}, {"scoring": "product"})
    commit_all(tmp_path, "product", tag="product")
    data = diff_json(tmp_path, "matrix", "product")
    # matrix: Medium/High = 8 (Urgent); product: 2 x 3 = 6 (Proactive).
    assert data["model_changed"] is True
    assert data["modified"][0]["changes"]["score"] == {"old": 8, "new": 6}
    assert data["modified"][0]["changes"]["band"] == {"old": "Urgent", "new": "Proactive"}


def test_broken_settings_on_one_side_are_noted_and_the_other_sides_used(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"a.md": risk_file("A-1")})
    commit_all(tmp_path, "good")
    write_project(tmp_path, {}, {"scoring": "prodcut"})  # the working tree's mkdocs.yml is broken
    run = run_cli("diff", "HEAD", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "> mkdocs.yml at working tree has configuration errors; the other side's settings are used" in [
        strip_tags(line) for line in run.lines
    ]
    assert "&#" not in run.stdout


def test_output_file_and_subfolder_project(tmp_path: Path) -> None:
    init_repo(tmp_path)
    project = tmp_path / "docs-site"
    write_project(project, {"a.md": risk_file("A-1")})
    commit_all(tmp_path, "one")
    (project / "risks" / "b.md").write_text(risk_file("B-1", title="Bee"), encoding="utf-8")
    commit_all(tmp_path, "two")
    run = run_cli("-f", "docs-site/mkdocs.yml", "diff", "HEAD~1", "HEAD", "-o", "comment.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert sections(comment)["Added"] == [["B-1", "Bee", "9", "Urgent", "Open", "Team"]]


def test_revisions_follow_the_same_discovery_rules_as_the_working_tree(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {})
    (tmp_path / "risks" / "keep").write_text("", encoding="utf-8")
    commit_all(tmp_path, "no risks yet", tag="empty")
    write_risks(
        tmp_path,
        {
            "A-1.md": risk_file("A-1"),
            "sub/deeper/B-1.MD": risk_file("B-1"),
            "README.md": "# About these risks\n",
            "index.md": "# Index\n",
            "_draft.md": risk_file("D-1"),
            "_drafts/D-2.md": risk_file("D-2"),
            ".hidden/H-1.md": risk_file("H-1"),
            "notes.txt": "not a risk\n",
            "broken.md": risk_file("C-1", status="Unknown"),
        },
    )
    (tmp_path / "outside.md").write_text(risk_file("O-1"), encoding="utf-8")
    (tmp_path / "risks" / "link-in.md").symlink_to("A-1.md")
    (tmp_path / "risks" / "link-out.md").symlink_to("../outside.md")
    commit_all(tmp_path, "risks", tag="risks")

    exported = run_cli("export", cwd=tmp_path)
    on_disk = json.loads(exported.stdout)
    at_revision = diff_json(tmp_path, "empty", "risks")
    # A-1 and B-1 only (link-in.md repeats A-1: a duplicate id, left out), on disk and in git alike.
    assert [r["id"] for r in on_disk["risks"]] == ["A-1", "B-1"]
    assert [r["id"] for r in at_revision["added"]] == ["A-1", "B-1"]
    assert [r["source"] for r in at_revision["added"]] == ["risks/A-1.md", "risks/sub/deeper/B-1.MD"]
    assert at_revision["problems"]["new"] == on_disk["problems"]
    assert {(p["path"], p["code"]) for p in on_disk["problems"]} == {
        ("risks/broken.md", "unknown-status"),
        ("risks/link-in.md", "duplicate-id"),
        ("risks/link-out.md", "symlink-outside"),
    }


def test_oversized_file_at_a_revision_is_refused(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"A-1.md": risk_file("A-1")}, {"max_file_size": 1000})
    commit_all(tmp_path, "one", tag="one")
    big = risk_file("B-1", body="x" * 2000)
    (tmp_path / "risks" / "B-1.md").write_text(big, encoding="utf-8")
    commit_all(tmp_path, "two", tag="two")
    data = diff_json(tmp_path, "one", "two")
    assert data["added"] == []
    [problem] = data["problems"]["new"]
    assert (problem["path"], problem["line"], problem["code"]) == ("risks/B-1.md", 1, "file-too-large")
    assert f"{len(big.encode()):,} bytes" in problem["message"]


def test_paths_with_spaces_quotes_and_non_ascii_letters(tmp_path: Path) -> None:
    # mkdocs.yml in "my site" (one space: git's "<name> missing" line for it at v0 reads like
    # "<id> <type> <size>" when split on white space), risks in a folder whose name holds
    # spaces, quotes, brackets and non-ASCII letters.
    init_repo(tmp_path)
    (tmp_path / "README.md").write_text("# Project\n", encoding="utf-8")
    commit_all(tmp_path, "before the register", tag="v0")
    site = tmp_path / "my site"
    folder = "risks 'ü' \"q\" [old]"
    write_project(site, {}, {"risks_dir": folder})
    (site / "risks").rmdir()
    files = {
        "RSK 1 – ünï.md": risk_file("RSK-1", title="Ünïcode", probability="Low", impact="Low"),
        'say "hi".md': risk_file("RSK-2", title="Quoted"),
        "it's [x].md": risk_file("RSK-3", title="Bracketed", impact="Low"),
    }
    for name, text in files.items():
        path = site / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    commit_all(tmp_path, "register", tag="v1")
    (site / folder / "RSK 1 – ünï.md").write_text(
        risk_file("RSK-1", title="Ünïcode", probability="High", impact="Low"), encoding="utf-8"
    )
    commit_all(tmp_path, "re-score", tag="v2")

    added = run_cli("-f", "my site/mkdocs.yml", "diff", "v0", "v1", "--format", "json", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    data = json.loads(added.stdout)
    assert data["base"]["has_risks"] is False
    assert [(r["id"], r["source"]) for r in data["added"]] == [
        ("RSK-1", f"{folder}/RSK 1 – ünï.md"),
        ("RSK-2", f'{folder}/say "hi".md'),
        ("RSK-3", f"{folder}/it's [x].md"),
    ]
    # RSK-1: Low/Low = 1 (Accept) -> High/Low = 5 (Proactive), from the default matrix's Low row [1, 4, 5].
    rescored = run_cli("diff", "v1", "v2", cwd=site)
    assert rescored.returncode == 0, rescored.stderr
    assert sections(rescored.stdout)["Re-scored"] == [
        ["RSK-1", "Ünïcode", "Low → High", "Low", "1 → 5", "Accept → Proactive"]
    ]


def test_mkdocs_yml_at_a_revision_never_runs_code(tmp_path: Path) -> None:
    # MkDocs' own loader (yaml.Loader) calls os.system for the apply tag below; diff reads that
    # revision's mkdocs.yml, and the file it INHERITs, as data only.
    init_repo(tmp_path)
    marker = tmp_path.parent / f"{tmp_path.name}-ran"
    payload = (
        "site_name: tagged\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:os.system\n"
        f"extra:\n  hook: !!python/object/apply:os.system [\"touch '{marker}'\"]\n"
        "plugins:\n  - risk-register:\n      top: 1\n"
    )
    write_project(tmp_path, {"a.md": risk_file("A-1"), "b.md": risk_file("B-1", probability="Low")})
    (tmp_path / "base.yml").write_text(payload, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nextra:\n  again: !!python/object/apply:os.system [\"touch '" + str(marker) + "'\"]\n",
        encoding="utf-8",
    )
    commit_all(tmp_path, "tagged", tag="tagged")
    write_project(tmp_path, {}, {"top": 2})
    (tmp_path / "base.yml").unlink()
    commit_all(tmp_path, "plain", tag="plain")

    data = diff_json(tmp_path, "tagged", "plain")
    assert not marker.exists()
    # The plugin's settings at that revision were still read: its top was 1 (A-1 alone), now 2.
    assert (data["top"]["base_n"], data["top"]["head_n"]) == (1, 2)
    assert data["top"]["entered"] == [{"id": "B-1", "base_rank": 2, "head_rank": 2}]
    assert data["base"]["notes"] == []

    # The control: the same text, read by a loader that runs tags, does create the file.
    control = tmp_path.parent / f"{tmp_path.name}-control"
    yaml.load(payload.replace(str(marker), str(control)), Loader=yaml.UnsafeLoader)
    assert control.exists()


# Values a pull request's author controls, each with something GitHub would otherwise render or act on.
HOSTILE_OWNER = "[Approved by security](https://evil.example) @octo-org/everyone"
HOSTILE_TITLE = "![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)> **bold** `tick` #123 a|b $5 and $6"
HOSTILE_STATUS = "<b>Closed</b> by @octocat"
HOSTILE_BAND = "_Fine_ :smile: www.evil.example GH-12"
HOSTILE_ID = "@octo-org/ids#7"
HOSTILE_CATEGORY = "<script>alert(1)</script> owner/repo#9"


def rendered_comment(markdown: str) -> str:
    """The comment as a CommonMark renderer with GitHub's tables and raw HTML turns it into HTML."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def cell_texts(html_text: str) -> list[list[str]]:
    """Each body row's cells as text: tags and comments dropped, entities read."""
    rows = re.findall(r"<tr>(.*?)</tr>", html_text, re.S)
    return [
        [
            html.unescape(re.sub(r"<!--.*?-->|<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in rows
        if "<td>" in row
    ]


def test_values_in_the_comment_are_literal_text(tmp_path: Path) -> None:
    init_repo(tmp_path)
    plugin = {
        "id_pattern": "^.+$",
        "statuses": [{"name": "Open"}, {"name": HOSTILE_STATUS}],
        "bands": [{"name": "Urgent", "min": 7}, {"name": HOSTILE_BAND, "min": 1}],
        "categories": ["Technical", HOSTILE_CATEGORY],
    }
    write_project(tmp_path, {"a.md": risk_file("A-1", title="Plain", probability="Low", impact="Low")}, plugin)
    commit_all(tmp_path, "base", tag="base")
    write_project(
        tmp_path,
        {
            "a.md": risk_file(
                "A-1", title="Plain", probability="Low", impact="Low", status=HOSTILE_STATUS, category=HOSTILE_CATEGORY
            ),
            "b.md": risk_file(
                HOSTILE_ID,
                title=HOSTILE_TITLE + "\nsecond line",
                owner=HOSTILE_OWNER,
                category=HOSTILE_CATEGORY,
                probability="Low",
                impact="Low",
            ),
        },
        plugin,
    )
    commit_all(tmp_path, "hostile", tag="hostile")
    run = run_cli("diff", "base", "hostile", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rendered = rendered_comment(run.stdout)

    # Every value reads as written (the title's line break as a space), each row has its six cells,
    # and no value became a link, an image, an element or emphasis: the only tags are the comment's own.
    # Low/Low = 1 on the default matrix: the hostile band (min 1).
    rows = cell_texts(rendered)
    assert [HOSTILE_ID, HOSTILE_TITLE + " second line", "1", HOSTILE_BAND, "Open", HOSTILE_OWNER] in rows
    assert ["A-1", "Plain", f"Open → {HOSTILE_STATUS}"] in rows
    assert ["A-1", "Plain", f"category: Technical → {HOSTILE_CATEGORY}"] in rows
    for table in re.findall(r"<table>.*?</table>", rendered, re.S):
        header = table.count("<th>")
        assert [len(row) for row in cell_texts(table)] == [header] * len(cell_texts(table))
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", rendered))
    assert tags <= {"h3", "h4", "p", "strong", "code", "table", "thead", "tbody", "tr", "th", "td", "b", "span"}
    # What GitHub links after rendering, in the text: each @, # and : is cut off from what follows
    # by an empty comment; "www." and "GH-" too; a dollar stands alone in a span, never math.
    text = re.sub(r"<(?!!--)[^>]+>", "", rendered)
    assert re.findall(r"(?:[@#]|:(?=\S))(?!<!-- -->)", text) == []
    assert "www.evil" not in text and "GH-12" not in text
    # The title (two dollars) is shown in the Added and the Top 5 tables.
    assert rendered.count("$") == rendered.count("<span>$</span>") == 4
