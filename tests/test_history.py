"""History from git: real repositories with scripted, dated commits, built as users build them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import commit_all, git, init_repo
from tests.helpers import Built, build, risk_file, write_project

DAY = "T12:00:00+00:00"


def write(root: Path, path: str, text: str) -> None:
    target = root / "risks" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register's life: a re-score, a move, a broken commit, a closure, a deletion, a merge, a re-add."""
    root = tmp_path_factory.mktemp("story")
    init_repo(root)
    write_project(
        root,
        {
            "RSK-1.md": risk_file("RSK-1", title="Tenant data leak", reviewed="2026-01-06"),
            "RSK-2.md": risk_file("RSK-2", title="Network outage", probability="Low", impact="Low"),
            "RSK-3.md": risk_file("RSK-3", title="Vendor lock-in", probability="Medium", impact="Medium"),
        },
        plugin={"history": True},
    )
    commit_all(root, "first risks", date="2026-01-05" + DAY)
    write(root, "RSK-1.md", risk_file("RSK-1", title="Tenant data leak", reviewed="2026-01-06", probability="Medium"))
    # 22:00 at UTC-5 is the next day in UTC: the record is dated 2026-01-11.
    commit_all(root, "re-score", date="2026-01-10T22:00:00-05:00", author="Alice")
    (root / "risks" / "ops").mkdir()
    git(root, "mv", "risks/RSK-2.md", "risks/ops/network.md")
    commit_all(root, "move into a folder, new name", date="2026-01-15" + DAY)
    write(root, "RSK-3.md", "---\nid: RSK-3\ntitle: [unclosed\n---\n")
    commit_all(root, "broken", date="2026-01-20" + DAY)
    write(
        root,
        "RSK-3.md",
        risk_file("RSK-3", title="Vendor lock-in", probability="Medium", impact="Medium", status="Closed"),
    )
    commit_all(root, "fixed and closed", date="2026-01-25" + DAY)
    (root / "risks" / "ops" / "network.md").unlink()
    commit_all(root, "delete", date="2026-02-01" + DAY)
    git(root, "checkout", "-q", "-b", "feature")
    write(
        root,
        "RSK-1.md",
        risk_file("RSK-1", title="Tenant data leak", reviewed="2026-01-06", probability="Medium", owner="Data Team"),
    )
    commit_all(root, "new owner", date="2026-02-03" + DAY, author="Bob")
    git(root, "checkout", "-q", "main")
    (root / "docs" / "index.md").write_text("# Home again\n", encoding="utf-8")
    commit_all(root, "docs only", date="2026-02-04" + DAY)
    git(
        root,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #7 from feature",
        "feature",
        env={
            "GIT_AUTHOR_DATE": "2026-02-05" + DAY,
            "GIT_COMMITTER_DATE": "2026-02-05" + DAY,
            "GIT_AUTHOR_NAME": "Merger",
        },
    )
    write(root, "RSK-2.md", risk_file("RSK-2", title="Network outage", probability="Medium", impact="Low"))
    commit_all(root, "back again", date="2026-02-10" + DAY)
    write(
        root,
        "RSK-2.md",
        risk_file("RSK-2", title="Network outage", probability="Medium", impact="Medium", reviewed="2026-02-11"),
    )
    commit_all(root, "worse, reviewed", date="2026-02-12" + DAY)
    return root


@pytest.fixture(scope="module")
def built(story: Path) -> Built:
    result = build(story)
    assert result.returncode == 0, result.log
    return result


def history_json(built: Built) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((built.site / "risk-register" / "history.json").read_text("utf-8"))
    return loaded


def commits(root: Path) -> dict[str, str]:
    """Commit ids by subject, first-parent chain and the feature branch alike."""
    lines = git(root, "log", "--all", "--format=%H %s").splitlines()
    return {line.split(" ", 1)[1]: line.split(" ", 1)[0] for line in lines}


def test_history_json_lists_every_change_oldest_first(built: Built, story: Path) -> None:
    ids = commits(story)
    rows = [(c["date"], c["commit"], c["author"], c["id"], c["field"], c["from"], c["to"]) for c in history_json(built)]
    first, rescore, closed, deleted = ids["first risks"], ids["re-score"], ids["fixed and closed"], ids["delete"]
    merge, back, worse = ids["Merge pull request #7 from feature"], ids["back again"], ids["worse, reviewed"]
    assert rows == [
        ("2026-01-05", first, "Test", "RSK-1", "added", None, "Tenant data leak"),
        ("2026-01-05", first, "Test", "RSK-2", "added", None, "Network outage"),
        ("2026-01-05", first, "Test", "RSK-3", "added", None, "Vendor lock-in"),
        # Matrix, High impact row [7, 8, 9]: High probability 9, Medium 8. The date is UTC's.
        ("2026-01-11", rescore, "Alice", "RSK-1", "probability", "High", "Medium"),
        ("2026-01-11", rescore, "Alice", "RSK-1", "score", 9, 8),
        # The move to ops/network.md is no change; the broken commit of RSK-3 is none either.
        ("2026-01-25", closed, "Test", "RSK-3", "status", "Open", "Closed"),
        ("2026-02-01", deleted, "Test", "RSK-2", "removed", "Network outage", None),
        # First parent: the pull request's change comes with its merge commit, by who merged it.
        ("2026-02-05", merge, "Merger", "RSK-1", "owner", "Team", "Data Team"),
        ("2026-02-10", back, "Test", "RSK-2", "added", None, "Network outage"),
        # Matrix: Medium probability scores 4 with Low impact, 6 with Medium impact.
        ("2026-02-12", worse, "Test", "RSK-2", "impact", "Low", "Medium"),
        ("2026-02-12", worse, "Test", "RSK-2", "score", 4, 6),
        ("2026-02-12", worse, "Test", "RSK-2", "reviewed", None, "2026-02-11"),
    ]
    assert ids["new owner"] not in {row[1] for row in rows}


def test_last_changed_in_risks_json(built: Built) -> None:
    last = {risk["id"]: risk["last_changed"] for risk in built.data()["risks"]}
    # RSK-1 last changed by the merge, RSK-2 by its last commit, RSK-3 when it was closed.
    assert last == {"RSK-1": "2026-02-05", "RSK-2": "2026-02-12", "RSK-3": "2026-01-25"}


def test_broken_file_in_a_past_commit_is_an_info_line_naming_the_commit(built: Built, story: Path) -> None:
    broken = commits(story)["broken"]
    lines = [line for line in built.log.splitlines() if broken[:12] in line]
    assert len(lines) == 1, built.log
    assert lines[0].startswith("INFO")
    assert "risks/RSK-3.md: at commit" in lines[0] and "(2026-01-20)" in lines[0]


def test_review_stale_warns_of_a_rescore_after_the_review(built: Built, story: Path) -> None:
    rescore = commits(story)["re-score"]
    stale = [p for p in built.data()["problems"] if p["code"] == "review-stale"]
    # RSK-1 reviewed 2026-01-06, re-scored 2026-01-11 without a new review. RSK-2's impact changed in the
    # commit that updated its review; RSK-3's status changed after no review at all (and it is closed).
    # Line 9: after ---, id, title, category, probability, impact, owner, status (risk_file writes them in order).
    assert [(p["path"], p["line"], p["severity"]) for p in stale] == [("risks/RSK-1.md", 9, "warning")]
    assert rescore[:12] in stale[0]["message"] and "2026-01-06" in stale[0]["message"]
    assert "risks/RSK-1.md:9: warning:" in built.log
    assert build(story, strict=True, site_dir=story / "strict-site").returncode == 1


def test_without_git_the_build_goes_on_with_one_info_line(tmp_path: Path) -> None:
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": "auto"})
    result = build(tmp_path, strict=True)
    assert result.returncode == 0, result.log
    notes = [line for line in result.log.splitlines() if "history not read" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO") and "not in a git work tree" in notes[0]
    assert result.data()["risks"][0]["last_changed"] is None


def test_shallow_clone_builds_strict_and_names_the_fix(story: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", story.as_uri(), str(clone))
    (clone / "mkdocs.yml").write_text(
        (clone / "mkdocs.yml").read_text(encoding="utf-8").replace("history: true", "history: auto"), encoding="utf-8"
    )
    result = build(clone, strict=False)
    assert result.returncode == 0, result.log
    notes = [line for line in result.log.splitlines() if "history not read" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO")
    assert "shallow" in notes[0] and "fetch-depth: 0" in notes[0]
    assert all(risk["last_changed"] is None for risk in result.data()["risks"])


def test_same_commit_gives_the_same_site_from_any_clone_and_date(story: Path, tmp_path: Path) -> None:
    sites = []
    for name, epoch in (("one", "1772323200"), ("two/deeper", "1790000000")):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", story.as_uri(), str(clone))
        result = build(clone, env={"SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.log
        sites.append(result.site)
    history = [(site / "risk-register" / "history.json").read_bytes() for site in sites]
    assert history[0] == history[1] and len(history[0]) > 100
    shutil.rmtree(tmp_path / "one")
