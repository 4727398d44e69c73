"""History from git: real repositories with scripted, dated commits, built as users build them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mkdocs_risk_register.gitlog import HistoryReader
from mkdocs_risk_register.history import History
from mkdocs_risk_register.settings import Settings, load_settings
from tests.cli_helpers import commit_all, git, init_repo, run_cli
from tests.helpers import Built, build, copy_example, risk_file, table_with_header, write_project

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


def test_history_true_makes_a_missing_history_a_warning(tmp_path: Path) -> None:
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": True})
    result = build(tmp_path, strict=True)
    assert result.returncode == 1
    assert "WARNING -  risk-register: history not read: the project is not in a git work tree" in result.log


def test_shallow_clone_builds_strict_and_names_the_fix(story: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", story.as_uri(), str(clone))
    (clone / "mkdocs.yml").write_text(
        (clone / "mkdocs.yml").read_text(encoding="utf-8").replace("history: true", "history: auto"), encoding="utf-8"
    )
    result = build(clone, strict=True)
    assert result.returncode == 0, result.log
    notes = [line for line in result.log.splitlines() if "history not read" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO")
    assert "shallow" in notes[0] and "fetch-depth: 0" in notes[0]
    assert all(risk["last_changed"] is None for risk in result.data()["risks"])


def history_section(page: str) -> str:
    return page[page.index('id="history"') : page.index("</table>", page.index('id="history"'))]


def test_same_commit_gives_the_same_site_from_any_clone_and_date(story: Path, tmp_path: Path) -> None:
    sites = {}
    for name, epoch in (("one", "1772323200"), ("two/deeper", "1772323200"), ("three", "1790000000")):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", story.as_uri(), str(clone))
        result = build(clone, env={"SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.log
        sites[name] = result.site

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    # Same build date, another path: every file of the site is the same, byte for byte.
    one, two = files(sites["one"]), files(sites["two/deeper"])
    assert one.keys() == two.keys() and [k for k in one if one[k] != two[k]] == []
    # Another build date too: schedules move with it, the history does not.
    three = files(sites["three"])
    assert three["risk-register/history.json"] == one["risk-register/history.json"]
    assert three["risk-register/changes/index.html"] == one["risk-register/changes/index.html"]
    for risk_id in ("RSK-1", "RSK-2", "RSK-3"):
        page = f"risk-register/{risk_id}/index.html"
        assert history_section(three[page].decode()) == history_section(one[page].decode())


# --- pages ---------------------------------------------------------------------------------------


def test_risk_page_has_a_score_chart_and_a_table_of_changes(built: Built, story: Path) -> None:
    page = built.page("risk-register/RSK-2/")
    section = page[page.index('id="history"') :]
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "<title" in svg and "RSK-2: score over time" in svg and "<desc" in svg
    assert "<script" not in svg and "on" + "click" not in svg
    # The text alternative: Low/Low scores 1, gone on 02-01, back at 4 (Medium/Low), then 6 (Medium/Medium).
    assert (
        "Score of RSK-2 over time: 1 from 2026-01-05, removed on 2026-02-01, 4 from 2026-02-10, 6 from 2026-02-12."
        in (section)
    )
    rows = table_with_header(section, "Date")
    assert rows[0] == ["Date", "Author", "Commit", "Field", "Change"]
    # Newest commit first; a commit's fields in their order.
    assert [row[3:] for row in rows[1:]] == [
        ["impact", "Low → Medium"],
        ["score", "4 → 6"],
        ["reviewed", "— → 2026-02-11"],
        ["added", "— → Network outage"],
        ["removed", "Network outage → —"],
        ["added", "— → Network outage"],
    ]
    assert rows[1][2] == commits(story)["worse, reviewed"][:7]


def test_history_section_reaches_markdown_as_one_placeholder(story: Path, tmp_path: Path) -> None:
    # Each placeholder is a raw HTML block that MkDocs' parsers read: the chart and the table of changes
    # are held back as one, and the page shows both, with the blank line Markdown puts between blocks.
    hook = (
        "import json, pathlib\n"
        "seen = {}\n"
        "def on_page_markdown(markdown, page, config, files, **kwargs):\n"
        "    seen[page.file.src_uri] = markdown.count('data-risk-register-block')\n"
        "def on_post_build(config, **kwargs):\n"
        "    pathlib.Path(config.config_file_path).with_name('seen.json').write_text(json.dumps(seen))\n"
    )
    clone = tmp_path / "hooked"
    git(tmp_path, "clone", "-q", story.as_uri(), str(clone))
    (clone / "hook.py").write_text(hook, encoding="utf-8")
    with (clone / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n- hook.py\n")
    result = build(clone)
    assert result.returncode == 0, result.log
    seen = json.loads((clone / "seen.json").read_text(encoding="utf-8"))
    assert seen["risk-register/RSK-2.md"] == 1
    page = result.page("risk-register/RSK-2/")
    assert "</figure>\n\n<table data-risk-history" in page and "data-risk-register-block" not in page


def test_commit_links_follow_repo_url(story: Path, tmp_path: Path) -> None:
    clone = tmp_path / "linked"
    git(tmp_path, "clone", "-q", story.as_uri(), str(clone))
    config = clone / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "repo_url: https://github.com/acme/register\n", "utf-8")
    result = build(clone)
    assert result.returncode == 0, result.log
    merge = commits(story)["Merge pull request #7 from feature"]
    assert f'href="https://github.com/acme/register/commit/{merge}"' in result.page("risk-register/RSK-1/")
    assert f'href="https://github.com/acme/register/commit/{merge}"' in result.page("risk-register/changes/")


def test_changes_page_newest_first_by_month_with_charts(built: Built) -> None:
    page = built.page("risk-register/changes/")
    assert page.count("<svg") == 2 and "Active risks by band" in page and "Total score of active risks" in page
    february = table_with_header(page[page.index('id="2026-02"') :], "Date")
    january = table_with_header(page[page.index('id="2026-01"') :], "Date")
    assert page.index('id="2026-02"') < page.index('id="2026-01"')
    assert [row[:4] for row in february[1:]] == [
        ["2026-02-12", "RSK-2", "Network outage", "re-scored 4 → 6"],
        ["2026-02-10", "RSK-2", "Network outage", "added"],
        ["2026-02-05", "RSK-1", "Tenant data leak", "owner Team → Data Team"],
        ["2026-02-01", "RSK-2", "Network outage", "removed"],
    ]
    assert [row[:4] for row in january[1:]] == [
        ["2026-01-25", "RSK-3", "Vendor lock-in", "closed (Open → Closed)"],
        ["2026-01-11", "RSK-1", "Tenant data leak", "re-scored 9 → 8"],
        ["2026-01-05", "RSK-1", "Tenant data leak", "added"],
        ["2026-01-05", "RSK-2", "Network outage", "added"],
        ["2026-01-05", "RSK-3", "Vendor lock-in", "added"],
    ]
    # Active risks per band at the end of each day with a change. Scores: RSK-1 9 (Urgent) then 8 (Urgent);
    # RSK-2 1 (Accept), gone, 4 then 6 (Proactive); RSK-3 6 (Proactive), closed on 01-25.
    data = table_with_header(page, "Date")
    assert data[0] == ["Date", "Urgent", "Proactive", "Accept", "Total score"]
    assert data[1:] == [
        ["2026-02-12", "1", "1", "0", "14"],
        ["2026-02-10", "1", "1", "0", "12"],
        ["2026-02-05", "1", "0", "0", "8"],
        ["2026-02-01", "1", "0", "0", "8"],
        ["2026-01-25", "1", "0", "1", "9"],
        ["2026-01-15", "1", "1", "1", "15"],
        ["2026-01-11", "1", "1", "1", "15"],
        ["2026-01-05", "1", "1", "1", "16"],
    ]


def test_no_history_says_why_on_the_changes_page(tmp_path: Path) -> None:
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"history": "auto"})
    result = build(tmp_path)
    assert "History unavailable" in result.page("risk-register/changes/")
    assert "not in a git work tree" in result.page("risk-register/changes/")
    assert json.loads((result.site / "risk-register" / "history.json").read_text("utf-8")) == []


# --- command line --------------------------------------------------------------------------------


def test_report_since_a_date_in_json(story: Path) -> None:
    run = run_cli("report", "--since", "2026-01-20", "--format", "json", cwd=story)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    ids = commits(story)
    # From 2026-01-20 on: RSK-3 closed (01-25), RSK-2 removed (02-01) and added (02-10) and re-scored 4 -> 6
    # (02-12) with a review; RSK-1 re-owned by the merge (02-05). RSK-1's re-score (01-11) is before.
    assert [(c["id"], c["from"], c["to"]) for c in data["closed"]] == [("RSK-3", "Open", "Closed")]
    assert [c["id"] for c in data["removed"]] == ["RSK-2"] and [c["id"] for c in data["added"]] == ["RSK-2"]
    assert [(c["id"], c["from"], c["to"]) for c in data["rescored"]] == [("RSK-2", 4, 6)]
    assert [(c["id"], c["commit"]) for c in data["reowned"]] == [("RSK-1", ids["Merge pull request #7 from feature"])]
    assert [(c["id"], c["to"]) for c in data["reviews_done"]] == [("RSK-2", "2026-02-11")]
    # Build date 2026-03-01 (the tests' SOURCE_DATE_EPOCH). RSK-1 (Urgent, every 7 days) reviewed 01-06: due 01-13;
    # RSK-2 (Proactive, 7 days) reviewed 02-11: due 02-18. Both overdue; RSK-3 is closed.
    assert [(r["id"], r["next_review"]) for r in data["reviews_overdue"]] == [
        ("RSK-1", "2026-01-13"),
        ("RSK-2", "2026-02-18"),
    ]


def test_report_between_revisions_in_markdown(story: Path) -> None:
    ids = commits(story)
    run = run_cli("report", "--since", ids["first risks"], "--until", ids["fixed and closed"], cwd=story)
    assert run.returncode == 0, run.stderr
    sections = run.stdout.split("\n## ")
    rescored = next(s for s in sections if s.startswith("Re-scored"))
    assert "| 2026-01-11 | RSK\\-1 | Tenant data leak | 9 | 8 | Alice |" in rescored
    closed = next(s for s in sections if s.startswith("Risks closed"))
    assert "RSK\\-3" in closed
    added = next(s for s in sections if s.startswith("Risks added"))
    assert "None." in added  # the first commit itself is not in the period
    # Overdue counted on the last commit's date, 2026-01-25: RSK-1's review was due 2026-01-13.
    overdue = next(s for s in sections if s.startswith("Reviews overdue"))
    assert "RSK\\-1" in overdue and "2026\\-01\\-13" in overdue


def test_report_outside_git_and_bad_revision_exit_2(story: Path, tmp_path: Path) -> None:
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")})
    outside = run_cli("report", "--since", "2026-01-01", cwd=tmp_path)
    assert outside.returncode == 2 and "not inside a git repository" in outside.stderr
    unknown = run_cli("report", "--since", "no-such-tag", cwd=story)
    assert unknown.returncode == 2 and "unknown revision 'no-such-tag'" in unknown.stderr
    assert "Traceback" not in outside.stderr + unknown.stderr


def test_export_at_a_revision(story: Path) -> None:
    ids = commits(story)
    status_before = git(story, "status", "--porcelain")
    run = run_cli("export", "--at", ids["delete"], cwd=story)
    assert run.returncode == 0, run.stderr
    risks = {r["id"]: (r["score"], r["status"]) for r in json.loads(run.stdout)["risks"]}
    # After "delete": RSK-2 gone, RSK-1 re-scored to 8, RSK-3 closed at 6 (Medium, Medium).
    assert risks == {"RSK-1": (8, "Open"), "RSK-3": (6, "Closed")}
    assert git(story, "status", "--porcelain") == status_before  # nothing checked out
    missing = run_cli("export", "--at", "nope", cwd=story)
    assert missing.returncode == 2 and "unknown revision 'nope'" in missing.stderr


# --- across `mkdocs serve` rebuilds ----------------------------------------------------------------


def test_a_kept_reader_reads_only_new_commits_and_gives_what_a_fresh_one_gives(story: Path, tmp_path: Path) -> None:
    clone = tmp_path / "serve"
    git(tmp_path, "clone", "-q", story.as_uri(), str(clone))
    settings = load_settings(clone / "mkdocs.yml")
    assert isinstance(settings, Settings)
    kept = HistoryReader()
    first = kept.read(settings.risks_dir, settings.model)
    assert isinstance(first, History) and len(first.changes) == 12
    assert kept.read(settings.risks_dir, settings.model) is first  # same HEAD: nothing read again

    write(clone, "RSK-1.md", risk_file("RSK-1", title="Tenant data leak", reviewed="2026-02-20", owner="Data Team"))
    commit_all(clone, "review", date="2026-02-20" + DAY)
    seen = set(kept.replay.snapshots) if kept.replay else set()
    grown = kept.read(settings.risks_dir, settings.model)
    fresh = HistoryReader().read(settings.risks_dir, settings.model)
    assert isinstance(grown, History) and isinstance(fresh, History)
    # RSK-1 back to High probability (score 9) with a new review: three records more.
    assert [(c.field, c.old, c.new) for c in grown.changes[12:]] == [
        ("probability", "Medium", "High"),
        ("score", 8, 9),
        ("reviewed", "2026-01-06", "2026-02-20"),
    ]
    assert grown == fresh
    assert kept.replay is not None and len(set(kept.replay.snapshots) - seen) == 1  # one new file version read

    # A rewritten HEAD (amend) is not an extension: the history is listed again, and still right.
    write(clone, "RSK-1.md", risk_file("RSK-1", title="Tenant data leak", reviewed="2026-02-21", owner="Data Team"))
    git(clone, "commit", "-qa", "--amend", "--no-edit", env={"GIT_COMMITTER_DATE": "2026-02-21" + DAY})
    amended = kept.read(settings.risks_dir, settings.model)
    assert amended == HistoryReader().read(settings.risks_dir, settings.model)
    assert isinstance(amended, History) and amended.changes[-1].new == "2026-02-21"


def test_a_reader_for_one_build_keeps_nothing_for_later_and_reads_the_same(story: Path) -> None:
    settings = load_settings(story / "mkdocs.yml")
    assert isinstance(settings, Settings)
    once = HistoryReader(keep=False)
    history = once.read(settings.risks_dir, settings.model)
    assert history == HistoryReader().read(settings.risks_dir, settings.model)
    # The blobs read and the replay's state are let go; a second read starts again, with the same result.
    assert once.replay is None
    assert once.read(settings.risks_dir, settings.model) == history


def test_check_reports_review_stale_as_the_build_does(story: Path) -> None:
    run = run_cli("check", cwd=story)
    # The warning of the build (test_review_stale_warns_of_a_rescore_after_the_review), line for line.
    assert run.returncode == 0, run.stdout + run.stderr
    stale = [line for line in run.lines if line.endswith("[review-stale]")]
    assert len(stale) == 1 and stale[0].startswith("risks/RSK-1.md:9: warning: reviewed 2026-01-06, but commit ")
    assert run_cli("check", "--strict", cwd=story).returncode == 1


def test_a_residual_score_gets_its_own_dashed_line(tmp_path: Path) -> None:
    init_repo(tmp_path)
    residual = {"probability": "Low", "impact": "Low"}
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1", residual=residual)})
    commit_all(tmp_path, "first", date="2026-01-05" + DAY)
    write(tmp_path, "RSK-1.md", risk_file("RSK-1", residual={"probability": "Medium", "impact": "Low"}))
    commit_all(tmp_path, "worse residual", date="2026-01-20" + DAY)
    result = build(tmp_path, strict=True)
    assert result.returncode == 0, result.log
    section = history_section(result.page("risk-register/RSK-1/"))
    # Matrix, Low impact row [1, 4, 5]: residual Low/Low scores 1, Medium/Low 4; the score stays 9.
    assert "Score of RSK-1 over time: 9 from 2026-01-05. Residual score: 1 from 2026-01-05, 4 from 2026-01-20." in (
        section
    )
    assert 'stroke-dasharray="5 3"' in section and "<title>Residual score</title>" in section
    assert [
        (c["field"], c["from"], c["to"])
        for c in json.loads((result.site / "risk-register/history.json").read_text("utf-8"))[1:]
    ] == [("residual", 1, 4)]


def test_a_commit_dated_past_year_9999_ends_nothing(tmp_path: Path) -> None:
    # git takes any timestamp; Python's dates end on 9999-12-31. Such a commit is shown on that last day.
    root = tmp_path / "far"
    root.mkdir()
    copy_example(root)
    init_repo(root)
    commit_all(root, "first", date="2026-01-05T12:00:00+00:00")
    path = root / "risks" / "RSK-012.md"
    path.write_text(path.read_text(encoding="utf-8").replace("impact: Low", "impact: High"), encoding="utf-8")
    commit_all(root, "from the far future", date="@100000000000000 +0000")
    built = build(root, strict=False)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    changes = {(c["id"], c["field"], c["date"]) for c in history_json(built)}
    assert ("RSK-012", "impact", "9999-12-31") in changes
