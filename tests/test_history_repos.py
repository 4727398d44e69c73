"""History from git on the shapes real repositories take: moved folders, linked folders, odd commits,
hooks' environments, huge or broken past versions, and report periods given the wrong way round."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import commit_all, git, init_repo, run_cli
from tests.helpers import FIXED_EPOCH, Built, build, risk_file, write_project

DAY = "T12:00:00+00:00"


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def records(built: Built) -> list[tuple[Any, ...]]:
    loaded = json.loads((built.site / "risk-register" / "history.json").read_text("utf-8"))
    return [(c["date"], c["author"], c["id"], c["field"], c["from"], c["to"]) for c in loaded]


def raw_commit(root: Path, message: str, author: bytes, committer: bytes) -> None:
    """Commit the work tree with author and committer lines as given, bytes and dates that `git commit`
    refuses to write but that old or imported histories hold."""
    git(root, "add", "-A")
    tree = git(root, "write-tree").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    body = b"tree %s\nparent %s\nauthor %s\ncommitter %s\n\n%s\n" % (
        tree.encode(),
        parent.encode(),
        author,
        committer,
        message.encode(),
    )
    path = root / ".git" / "raw-commit"
    path.write_bytes(body)
    commit = git(root, "hash-object", "-t", "commit", "-w", "--literally", str(path)).strip()
    path.unlink()
    git(root, "update-ref", "HEAD", commit)


def test_a_commit_whose_date_git_cannot_read_and_a_latin1_author_build(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": True})
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Medium"))
    # A date before 1970: git stores it, and prints no timestamp for it.
    raw_commit(tmp_path, "old clock", b"Old <o@example.com> -100000000 +0000", b"Old <o@example.com> -100000000 +0000")
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Low"))
    # No encoding header, Latin-1 bytes: written so by tools before git wrote UTF-8.
    rene = "Ren\u00e9 <r@example.com> 1767787200 +0000".encode("latin-1")
    raw_commit(tmp_path, "latin-1", rene, rene)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    assert records(built) == [
        ("2026-01-05", "Test", "RSK-1", "added", None, "A risk"),
        # Unreadable for git, so before the commit before it: shown on that one's date.
        ("2026-01-05", "Old", "RSK-1", "probability", "High", "Medium"),
        ("2026-01-05", "Old", "RSK-1", "score", 9, 8),
        ("2026-01-07", "René", "RSK-1", "probability", "Medium", "Low"),
        ("2026-01-07", "René", "RSK-1", "score", 8, 7),
    ]


def test_committer_dates_out_of_order_never_go_back_in_time(tmp_path: Path) -> None:
    # `git rebase --committer-date-is-author-date`, an import, a clock set wrong: a commit dated
    # before its parent. The branch reached it after its parent all the same.
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": True})
    commit_all(tmp_path, "first", date="2026-03-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Medium"))
    commit_all(tmp_path, "dated earlier", date="2026-01-10" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Low"))
    commit_all(tmp_path, "later again", date="2026-04-01" + DAY)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    dates = [row[0] for row in records(built)]
    assert dates == ["2026-03-05", "2026-03-05", "2026-03-05", "2026-04-01", "2026-04-01"]
    changes = built.page("risk-register/changes/")
    # Months newest first, each once.
    assert changes.index(">2026-04<") < changes.index(">2026-03<") and ">2026-01<" not in changes
    page = built.page("risk-register/RSK-1/")
    assert "9 from 2026-03-05, 8 from 2026-03-05, 7 from 2026-04-01." in page


def test_a_past_version_over_max_file_size_is_not_read(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"max_file_size": 2000})
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Low", body="x" * 5000))
    big = commit_all(tmp_path, "huge", date="2026-01-06" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Medium"))
    commit_all(tmp_path, "small again", date="2026-01-07" + DAY)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    notes = [line for line in built.log.splitlines() if big[:12] in line]
    assert len(notes) == 1 and notes[0].startswith("INFO"), built.log
    assert "over the limit of 2,000 bytes (max_file_size) [file-too-large]" in notes[0]
    # The big version is not a version of the risk: High to Medium, never Low.
    assert [row[3:] for row in records(built)] == [
        ("added", None, "A risk"),
        ("probability", "High", "Medium"),
        ("score", 9, 8),
    ]


def test_a_moved_risks_folder_keeps_its_history(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write(tmp_path, "README.md", "a repository before its register\n")
    commit_all(tmp_path, "readme", date="2026-01-01" + DAY)
    write_project(
        tmp_path,
        {"RSK-1.md": risk_file("RSK-1"), "RSK-2.md": risk_file("RSK-2", title="Second")},
        plugin={"risks_dir": "risks", "history": True},
    )
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Medium"))
    commit_all(tmp_path, "re-score", date="2026-01-10" + DAY)
    # The folder moves, and RSK-2 stays behind in the old one: it is no longer in the register.
    (tmp_path / "register").mkdir()
    git(tmp_path, "mv", "risks/RSK-1.md", "register/RSK-1.md")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("risks_dir: risks", "risks_dir: register"), "utf-8")
    commit_all(tmp_path, "move", date="2026-01-15" + DAY)
    git(tmp_path, "mv", "register", "site-register")
    config.write_text(config.read_text("utf-8").replace("risks_dir: register", "risks_dir: site-register"), "utf-8")
    commit_all(tmp_path, "move again", date="2026-01-16" + DAY)
    write(tmp_path, "site-register/RSK-1.md", risk_file("RSK-1", probability="Low"))
    commit_all(tmp_path, "after", date="2026-01-20" + DAY)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    assert [(row[0], *row[2:]) for row in records(built)] == [
        ("2026-01-05", "RSK-1", "added", None, "A risk"),
        ("2026-01-05", "RSK-2", "added", None, "Second"),
        ("2026-01-10", "RSK-1", "probability", "High", "Medium"),
        ("2026-01-10", "RSK-1", "score", 9, 8),
        ("2026-01-15", "RSK-2", "removed", "Second", None),
        ("2026-01-20", "RSK-1", "probability", "Medium", "Low"),
        ("2026-01-20", "RSK-1", "score", 8, 7),
    ]
    report = run_cli("report", "--since", "2026-01-01", "--format", "json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert [r["id"] for r in json.loads(report.stdout)["added"]] == ["RSK-1", "RSK-2"]


def test_a_risks_folder_that_is_a_symbolic_link_exports_at_a_revision(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {}, plugin={"history": True})
    (tmp_path / "risks").rmdir()
    write(tmp_path, "data/register/RSK-1.md", risk_file("RSK-1", reviewed="2026-01-05"))
    (tmp_path / "risks").symlink_to("data/register")
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "data/register/RSK-1.md", risk_file("RSK-1", probability="Low", reviewed="2026-01-05"))
    commit_all(tmp_path, "re-score", date="2026-01-10" + DAY)
    run = run_cli("export", "--at", "HEAD~1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [(r["id"], r["score"], r["source"]) for r in json.loads(run.stdout)["risks"]] == [
        ("RSK-1", 9, "risks/RSK-1.md")
    ]
    # The report's overdue reviews come from the register at the period's end: RSK-1's is due 2026-01-12.
    report = run_cli("report", "--since", "HEAD~1", "--format", "json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert [r["id"] for r in json.loads(report.stdout)["reviews_overdue"]] == ["RSK-1"]


def test_git_dir_set_as_a_hook_sets_it(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": True})
    write(tmp_path, "docs/guide.md", "# A page of the docs, not a risk\n")
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Low"))
    commit_all(tmp_path, "re-score", date="2026-01-10" + DAY)
    # Relative, as a user or a hook sets them from the top of the work tree.
    environment = {"GIT_DIR": ".git", "GIT_INDEX_FILE": ".git/index"}
    site = tmp_path / "site"
    # Started where the hook starts, at the top of the work tree.
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": FIXED_EPOCH, **environment},
        timeout=300,
        check=False,
    )
    built = Built(tmp_path, site, run.returncode, run.stdout + run.stderr)
    assert built.returncode == 0, built.log
    assert [row[2:4] for row in records(built)] == [("RSK-1", "added"), ("RSK-1", "probability"), ("RSK-1", "score")]
    report = run_cli("report", "--since", "HEAD~1", "--format", "json", cwd=tmp_path, env=environment)
    assert report.returncode == 0, report.stderr
    assert [r["to"] for r in json.loads(report.stdout)["rescored"]] == [7]


def test_report_periods_the_wrong_way_round_or_a_date_that_is_none(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")})
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "risks/RSK-1.md", risk_file("RSK-1", probability="Low"))
    commit_all(tmp_path, "second", date="2026-01-10" + DAY)
    reversed_revisions = run_cli("report", "--since", "HEAD", "--until", "HEAD~1", cwd=tmp_path)
    assert reversed_revisions.returncode == 2
    assert (
        reversed_revisions.stderr.strip()
        == "risk-register: the period is empty: --until HEAD~1 comes before --since HEAD"
    )
    reversed_dates = run_cli("report", "--since", "2026-01-08", "--until", "HEAD~1", cwd=tmp_path)
    assert reversed_dates.returncode == 2
    assert "--until HEAD~1 (2026-01-05) comes before --since 2026-01-08" in reversed_dates.stderr
    no_day = run_cli("report", "--since", "2026-02-30", cwd=tmp_path)
    assert no_day.returncode == 2 and "--since 2026-02-30: not a date (YYYY-MM-DD)" in no_day.stderr
    same = run_cli("report", "--since", "HEAD~1", "--until", "HEAD~1", "--format", "json", cwd=tmp_path)
    assert same.returncode == 0 and json.loads(same.stdout)["rescored"] == []
    assert "Traceback" not in reversed_revisions.stderr + reversed_dates.stderr + no_day.stderr


def test_a_risks_folder_that_is_a_submodule_reports_and_exports_from_it(tmp_path: Path) -> None:
    register = tmp_path / "register"
    init_repo(register)
    write(register, "RSK-1.md", risk_file("RSK-1"))
    commit_all(register, "first", date="2026-01-02" + DAY)
    project = tmp_path / "project"
    init_repo(project)
    write_project(project, {}, plugin={"history": True})
    (project / "risks").rmdir()
    git(project, "-c", "protocol.file.allow=always", "submodule", "add", "-q", register.as_uri(), "risks")
    commit_all(project, "register added", date="2026-01-05" + DAY)
    write(project, "risks/RSK-1.md", risk_file("RSK-1", probability="Low"))
    commit_all(project / "risks", "re-score", date="2026-01-06" + DAY)
    commit_all(project, "register updated", date="2026-01-07" + DAY)
    before = run_cli("export", "--at", "HEAD~1", cwd=project)
    assert before.returncode == 0, before.stderr
    assert [(r["id"], r["score"], r["source"]) for r in json.loads(before.stdout)["risks"]] == [
        ("RSK-1", 9, "risks/RSK-1.md")
    ]
    report = run_cli("report", "--since", "HEAD~1", "--format", "json", cwd=project)
    assert report.returncode == 0, report.stderr
    assert [(r["id"], r["from"], r["to"]) for r in json.loads(report.stdout)["rescored"]] == [("RSK-1", 9, 7)]


def test_a_repository_without_commits_says_so(tmp_path: Path) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")})
    for command in (("report", "--since", "2026-01-01"), ("export", "--at", "HEAD")):
        run = run_cli(*command, cwd=tmp_path)
        assert run.returncode == 2
        assert run.stderr.strip() == f"risk-register: the git repository {tmp_path.resolve()} has no commits yet"


def test_a_repository_git_will_not_use_is_named_with_gits_fix(tmp_path: Path) -> None:
    # A CI container's checkout owned by another user: git refuses it ("dubious ownership").
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to give the repository to another user")
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": True})
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.chown(path, 12345, 12345, follow_symlinks=False)
    built = build(tmp_path, env={"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    notes = [line for line in built.log.splitlines() if "history not read" in line]
    assert len(notes) == 1, built.log
    assert "git cannot use the repository: detected dubious ownership" in notes[0]
    assert f"git config --global --add safe.directory {tmp_path}" in notes[0]
