"""`risk-register render`: the register's pages as plain files, for site generators that run no MkDocs plugin.

Every clause of the contract has a test here: the files written, idempotence (no byte and no mtime changes on a
second run), stale pages removed and nothing else touched, ``--check``; and hostile output folders (user files
with generated-looking names, symbolic links, a manifest that names paths outside its folder, an id that is a
path).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import yaml

from tests.cli_helpers import Run, commit_all, git, run_cli
from tests.helpers import copy_example, risk_file, write_project

OUT = "docs/risk-register"
MANIFEST = ".risk-register-render.json"
# The example register: 13 risks, so 13 risk pages beside the register, top, monitoring and changes pages,
# the data (JSON, CSV, history), the SVG chart file and the two assets: 23 files.
RISK_PAGES = [f"RSK-{n:03d}.md" for n in range(1, 14)]
REGISTER_FILES = [
    *("index.md", "top.md", "monitoring.md", "changes.md"),
    *("risks.json", "risks.csv", "history.json", "risk-matrix.svg"),
]
ASSET_FILES = ["assets/risk-register.css", "assets/risk-register.js"]
ALL_FILES = sorted([*RISK_PAGES, *REGISTER_FILES, *ASSET_FILES])


def snapshot(root: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every file below ``root`` (links as their target text) with its modification time in nanoseconds."""
    found: dict[str, tuple[bytes | str, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            path = Path(folder) / name
            info = path.lstat()
            content: bytes | str = os.readlink(path) if path.is_symlink() else path.read_bytes()
            found[path.relative_to(root).as_posix()] = (content, info.st_mtime_ns)
    return found


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)


def render(root: Path, *args: str) -> Run:
    return run_cli("render", *args, cwd=root)


def test_writes_every_page_and_data_file_into_docs_prefix(tmp_path: Path) -> None:
    copy_example(tmp_path)
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / OUT
    assert files_in(out) == ALL_FILES
    assert sorted(run.lines[:-1]) == [f"wrote {OUT}/{name}" for name in ALL_FILES]
    assert run.lines[-1] == f"risk-register: {OUT}: 23 files written, 0 removed, 0 unchanged"
    assert run.stderr == ""  # the example register has no problems
    # The reference's values, from the written data: RSK-002 is Medium x High = 8 on the matrix, Urgent.
    data = json.loads((out / "risks.json").read_text(encoding="utf-8"))
    two = next(r for r in data["risks"] if r["id"] == "RSK-002")
    assert (two["score"], two["band"], two["rank"]) == (8, "Urgent", 2)
    # The pages a host renders: the register table links each id to its page beside it.
    register = (out / "index.md").read_text(encoding="utf-8")
    # Front matter asks the theme for the page's whole width (the ten columns), then the page.
    assert register.startswith("---\nhide:\n  - navigation\n  - toc\n---\n\n# Risk Register")
    assert 'href="RSK-013/"' in register  # directory URLs (the default), as the plugin's page links
    assert "[Monitoring schedule](monitoring.md)" in register
    assert (
        (out / "RSK-001.md").read_text(encoding="utf-8").startswith("# RSK\\-001: Tenant data leakage")
    )  # the id escaped as Markdown text
    # The assets are the package's own files, byte for byte.
    assert (out / "assets/risk-register.js").read_bytes() == (
        Path(__file__).parents[1] / "plugin/mkdocs_risk_register/assets/risk-register.js"
    ).read_bytes()


def test_the_history_from_git_reaches_the_rendered_pages(tmp_path: Path) -> None:
    # As the plugin does: in a git work tree the changes page and history.json come from the commits.
    copy_example(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "The register")
    risk = tmp_path / "risks/RSK-011.md"
    risk.write_text(risk.read_text(encoding="utf-8").replace("impact: Medium", "impact: High"), encoding="utf-8")
    commit_all(tmp_path, "RSK-011 is worse than we thought")
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    changes = json.loads((tmp_path / OUT / "history.json").read_text(encoding="utf-8"))
    # RSK-011: Low probability; impact Medium -> High, so its score goes 4 -> 7 on the reference matrix.
    impact = [c for c in changes if c["id"] == "RSK-011" and c["field"] == "impact"]
    assert [(c["from"], c["to"]) for c in impact] == [("Medium", "High")]
    assert "RSK-011" in (tmp_path / OUT / "changes.md").read_text(encoding="utf-8")


def test_a_second_run_changes_no_byte_and_no_mtime(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert render(tmp_path).returncode == 0
    before = snapshot(tmp_path)
    again = render(tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.lines == [f"risk-register: {OUT}: 0 files written, 0 removed, 23 unchanged"]
    assert snapshot(tmp_path) == before  # contents and modification times, the manifest included


def test_only_changed_pages_are_rewritten(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert render(tmp_path).returncode == 0
    before = snapshot(tmp_path / OUT)
    risk = tmp_path / "risks/RSK-012.md"
    text = risk.read_text(encoding="utf-8")
    risk.write_text(text.replace("during feature development", "during the redesign"), encoding="utf-8")
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    after = snapshot(tmp_path / OUT)
    changed = sorted(name for name in after if after[name] != before[name])
    # What render says it wrote is exactly what changed on disk (the manifest aside).
    assert sorted(run.lines[:-1]) == [f"wrote {OUT}/{name}" for name in changed if name != MANIFEST]
    # RSK-012's title is in its page's heading and in the data; RSK-012 (score 4) is not in the top 5, so the
    # top page keeps its bytes, and so do the assets.
    assert {"RSK-012.md", "risks.json", "risks.csv", MANIFEST} <= set(changed)
    assert [name for name in ["top.md", *ASSET_FILES] if name in changed] == []
    assert len(changed) < len(ALL_FILES)


def test_stale_pages_are_removed_and_nothing_else(tmp_path: Path) -> None:
    copy_example(tmp_path)
    out = tmp_path / OUT
    out.mkdir(parents=True)
    (out / "notes.md").write_text("# Our notes on the register\n", encoding="utf-8")
    assert render(tmp_path).returncode == 0
    # A user's page with a generated-looking name, written after render ran: render never wrote it.
    (out / "RSK-099.md").write_text("# RSK-099: a page by hand\n", encoding="utf-8")
    (tmp_path / "risks/RSK-013.md").unlink()
    outside = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(OUT)}
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"removed {OUT}/RSK-013.md" in run.lines
    assert not (out / "RSK-013.md").exists()
    assert (out / "notes.md").read_text(encoding="utf-8") == "# Our notes on the register\n"
    assert (out / "RSK-099.md").read_text(encoding="utf-8") == "# RSK-099: a page by hand\n"
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(OUT)} == outside


def test_a_stale_page_changed_by_hand_is_kept(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert render(tmp_path).returncode == 0
    page = tmp_path / OUT / "RSK-013.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA note added by hand.\n", encoding="utf-8")
    (tmp_path / "risks/RSK-013.md").unlink()
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    assert page.read_text(encoding="utf-8").endswith("A note added by hand.\n")
    assert f"kept {OUT}/RSK-013.md" in run.stderr


def test_a_users_file_in_the_way_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    copy_example(tmp_path)
    out = tmp_path / OUT
    out.mkdir(parents=True)
    (out / "RSK-001.md").write_text("# My own page\n", encoding="utf-8")
    run = render(tmp_path)
    assert run.returncode == 1
    assert f"{OUT}/RSK-001.md: exists and was not written by render" in run.stderr
    assert f"nothing written to {OUT}" in run.stderr
    assert files_in(out) == ["RSK-001.md"]  # no page, no manifest: all or nothing
    assert (out / "RSK-001.md").read_text(encoding="utf-8") == "# My own page\n"


def test_check_writes_nothing_and_fails_when_files_differ(tmp_path: Path) -> None:
    copy_example(tmp_path)
    before = snapshot(tmp_path)
    run = render(tmp_path, "--check")
    assert run.returncode == 1
    assert sorted(run.lines[:-1]) == [f"would write {OUT}/{name}" for name in ALL_FILES]
    assert run.lines[-1] == f"risk-register: {OUT} is out of date; run `risk-register render`"
    assert snapshot(tmp_path) == before
    assert not (tmp_path / OUT).exists()

    assert render(tmp_path).returncode == 0
    ok = render(tmp_path, "--check")
    assert ok.returncode == 0, ok.stdout
    assert ok.lines == [f"risk-register: 23 files in {OUT} up to date"]

    # A risk is renamed and another is gone: check lists the pages that would change and the one to remove.
    risk = tmp_path / "risks/RSK-011.md"
    text = risk.read_text(encoding="utf-8")
    risk.write_text(text.replace("exceeds capacity", "exceeds the team"), encoding="utf-8")
    (tmp_path / "risks/RSK-013.md").unlink()
    rendered = snapshot(tmp_path)
    stale = render(tmp_path, "--check")
    assert stale.returncode == 1
    assert f"would write {OUT}/RSK-011.md" in stale.lines
    assert f"would remove {OUT}/RSK-013.md" in stale.lines
    assert snapshot(tmp_path) == rendered


def test_out_writes_elsewhere_and_use_directory_urls_false_links_html_pages(tmp_path: Path) -> None:
    copy_example(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    run = render(tmp_path, "--out", "generated/register")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "generated/register"
    assert files_in(out) == ALL_FILES
    assert not (tmp_path / OUT).exists()
    assert 'href="RSK-013.html"' in (out / "index.md").read_text(encoding="utf-8")


def test_settings_from_the_markdown_extension_entry_of_a_zensical_site(tmp_path: Path) -> None:
    # No plugin entry (Zensical ignores plugins): the extension's options are the plugin's settings.
    write_project(tmp_path, {"r.md": risk_file("RSK-1", title="Only risk")})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["plugins"]
    config["docs_dir"] = "pages"
    config["markdown_extensions"] = [{"risk_register": {"prefix": "register", "top": 1}}]
    (tmp_path / "docs").rename(tmp_path / "pages")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "pages/register"
    assert "RSK-1.md" in files_in(out)
    assert (out / "top.md").read_text(encoding="utf-8").startswith("# Top Risk")  # top: 1 reached the pages


def test_no_plugin_nor_extension_is_a_usage_error(tmp_path: Path) -> None:
    write_project(tmp_path, {"r.md": risk_file()})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["plugins"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run = render(tmp_path)
    assert run.returncode == 2
    assert "no 'risk-register' entry under 'plugins' (nor 'risk_register' under 'markdown_extensions')" in run.stderr
    assert not (tmp_path / OUT).exists()


def test_risk_file_problems_are_reported_and_the_pages_still_written(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file("RSK-1"), "b.md": risk_file("RSK-2", impact="Hgh")})
    run = render(tmp_path)
    assert run.returncode == 0
    assert "risks/b.md:" in run.stderr and "[unknown-level]" in run.stderr
    register = (tmp_path / OUT / "index.md").read_text(encoding="utf-8")
    assert "risks/b.md" in register  # listed on the register page as left out, as in a build


def test_a_configuration_error_writes_nothing(tmp_path: Path) -> None:
    write_project(tmp_path, {"a.md": risk_file()}, plugin={"scoring": "median"})
    run = render(tmp_path)
    assert run.returncode == 1
    assert "config error in 'scoring'" in run.stderr
    assert not (tmp_path / OUT).exists()


# --- hostile output folders and ids ----------------------------------------------------------------------


def test_a_symlink_in_the_output_folder_is_never_written_through(tmp_path: Path) -> None:
    copy_example(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / OUT
    out.mkdir(parents=True)
    (out / "RSK-001.md").symlink_to(victim)
    run = render(tmp_path)
    assert run.returncode == 1
    assert f"{OUT}/RSK-001.md: is a symbolic link" in run.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (out / "RSK-001.md").is_symlink()


def test_a_symlinked_assets_folder_is_never_written_through(tmp_path: Path) -> None:
    copy_example(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / OUT
    out.mkdir(parents=True)
    (out / "assets").symlink_to(elsewhere, target_is_directory=True)
    run = render(tmp_path)
    assert run.returncode == 1
    assert "assets is a symbolic link" in run.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_manifest_naming_files_outside_its_folder_removes_nothing_there(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert render(tmp_path).returncode == 0
    manifest = tmp_path / OUT / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    # Hashes of the real files, so that a naive "unchanged since written" test would delete them.
    for name in ("../../mkdocs.yml", "../index.md", "/etc/hostname"):
        target = (tmp_path / OUT / name) if not name.startswith("/") else Path(name)
        if target.exists():
            data["files"][name] = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(data), encoding="utf-8")
    outside = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(OUT)}
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "names paths outside its folder" in run.stderr
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / "docs/index.md").is_file()
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(OUT)} == outside


def test_a_manifest_entry_that_became_a_symlink_is_not_removed(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert render(tmp_path).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    page = tmp_path / OUT / "RSK-013.md"
    page.unlink()
    page.symlink_to(victim)
    (tmp_path / "risks/RSK-013.md").unlink()
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    assert page.is_symlink() and victim.read_text(encoding="utf-8") == "precious\n"


def test_an_id_that_is_a_path_stays_inside_the_output_folder(tmp_path: Path) -> None:
    risks = {
        "a.md": risk_file("../../../escaped"),
        "b.md": risk_file("/tmp/absolute"),
        "c.md": risk_file("assets/risk-register"),
    }
    write_project(tmp_path, risks, plugin={"id_pattern": ".+"})
    outside = snapshot(tmp_path)
    run = render(tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / OUT
    after = snapshot(tmp_path)
    new = sorted(set(after) - set(outside))
    assert all(name.startswith(f"{OUT}/") for name in new), new
    assert {k: v for k, v in after.items() if k in outside} == outside
    # One page per risk, each named from its id made safe: no folder but assets/ below the output folder.
    pages = [name for name in files_in(out) if name.endswith(".md") and name not in REGISTER_FILES]
    assert len(pages) == 3
    assert all("/" not in name for name in pages)
    assert files_in(out / "assets") == ["risk-register.css", "risk-register.js"]
