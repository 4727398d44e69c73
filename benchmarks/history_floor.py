"""What part of the history's cost no implementation can avoid, counted in instructions.

    .venv/bin/python benchmarks/history_floor.py --work DIR [--plugin]

Uses the repository of ``history_bench.py`` (``DIR/repo``; written when missing, the same
arguments give the same repository) and counts, under ``valgrind --tool=callgrind``:

- **git**: the commands the reader runs, alone: ``git log --raw`` of the risks folder as
  gitlog.py writes it, and ``git cat-file --batch`` of every blob that log names;
- **MkDocs, static**: two sites of plain files, no plugin, ``search`` only, the same theme and
  navigation: every page and data file the plugin generates without history (**s0**) and with
  it (**s2**: History sections, the changes page, history.json). The large generated blocks
  (tables, charts, the History section's chart and table) are held back from Markdown and
  put into the page after the search plugin, by a ten-line hook, as the plugin does
  (deferred.py): s2 minus s0 is what MkDocs itself spends on the content the history adds
  (the headings, the larger pages and files written), whoever generates it;
- with ``--plugin``: ``mkdocs build`` of the repository with ``history: true`` and
  ``history: false`` (the plugin, git's processes included), and the table of the extra cost:
  git, MkDocs' own, and the rest (the plugin's Python: reading the versions and drawing them).

The static sites' risk pages lack the parts the plugin's page context adds (the risk's chart
and body); both sites lack them alike, so the difference is the history's. Run with
PYTHONDONTWRITEBYTECODE unset after ``python -m compileall -q plugin/mkdocs_risk_register``,
so that no build compiles the plugin. About 20 minutes with ``--plugin``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import Files

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from history_bench import ENV, counted, make_repository  # noqa: E402

from mkdocs_risk_register.deferred import PLACEHOLDER, Deferred, defer  # noqa: E402
from mkdocs_risk_register.gitlog import _log_command  # noqa: E402

MARK = '<div data-static-block="{}"></div>'
HOOK = """
import pickle
from pathlib import Path

from mkdocs.plugins import event_priority

BLOCKS = pickle.loads((Path(__file__).parent / "blocks.pickle").read_bytes())
MARK = '<div data-static-block="{}"></div>'


@event_priority(-100)  # after the search plugin, as the plugin's own blocks
def on_page_context(context, page, config, nav):
    blocks = BLOCKS.get(page.file.src_uri)
    if blocks and page.content:
        content = page.content
        for number, block in enumerate(blocks):
            content = content.replace(MARK.format(number), block, 1)
        page.content = content
    return context
"""


def plugin_config(repo: Path, history: bool) -> Path:
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"risk-register": {"history": history}}]
    path = repo / f"mkdocs-{'with' if history else 'without'}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _marked(held: Deferred) -> str:
    markdown = held.markdown
    for number in range(len(held.blocks)):
        markdown = markdown.replace(PLACEHOLDER.format(number), MARK.format(number))
    return markdown


def make_static(config_file: Path, out: Path) -> None:
    """The plugin's generated files under ``out/docs`` as plain files, large blocks held for the hook."""
    os.environ["SOURCE_DATE_EPOCH"] = ENV["SOURCE_DATE_EPOCH"]
    config = load_config(str(config_file))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    plugin = config.plugins["risk-register"]
    site = plugin.site
    shutil.rmtree(out, ignore_errors=True)
    (out / "docs").mkdir(parents=True)
    shutil.copy(config_file.parent / "docs" / "index.md", out / "docs" / "index.md")
    blocks: dict[str, list[str]] = {}
    top = site.layout.src("top.md")
    for file in files:
        target = out / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        src = file.src_uri
        if src in site.risk_pages:
            held = Deferred("", anchors=False)
            section = held.hold_markdown(site.history_section(src), min_size=0, together=True)
            held.markdown = site.render_risk_page(src, history_section=section)
        elif src in site.pages and src.endswith(".md") and src != top:
            held = defer(site.pages[src])
        elif src in site.pages:
            target.write_text(site.pages[src], encoding="utf-8")
            continue
        else:
            target.write_bytes(file.content_bytes)
            continue
        target.write_text(_marked(held), encoding="utf-8")
        if held.blocks:
            blocks[src] = list(held.blocks)
    (out / "blocks.pickle").write_bytes(pickle.dumps(blocks))
    (out / "hook.py").write_text(HOOK, encoding="utf-8")
    section: list[Any] = [src for src in site.pages if src.endswith(".md")]
    if len(site.risk_pages) <= plugin.config.nav_risk_pages:
        section.append({"Risks": list(site.risk_pages)})
    source = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings = {key: value for key, value in plugin.config.items() if value is not None and key != "history"}
    static = {
        "site_name": source["site_name"],
        "theme": source["theme"],
        "plugins": ["search"],
        "hooks": ["hook.py"],
        # The risk cards' views, drawn by the extension on its own.
        "markdown_extensions": [
            {"risk_register": {**settings, "risks_dir": str((config_file.parent / "risks").resolve())}}
        ],
        "nav": ["index.md", {"Risk Register": section}],
        "extra_css": [str(item) for item in config.extra_css],
        "extra_javascript": [str(item) for item in config.extra_javascript],
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(static, sort_keys=False), encoding="utf-8")


def git_blobs(repo: Path, log: bytes) -> list[bytes]:
    """The blob ids the reader asks ``git cat-file`` for: each new content of a risk file, first seen first."""
    seen: dict[bytes, None] = {}
    for meta in re.findall(rb":\d+ (\d+) [0-9a-f]+ ([0-9a-f]+) ([A-Z])", log):
        mode, blob, status = meta
        if status != b"D" and mode in (b"100644", b"100755"):
            seen.setdefault(blob, None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="folder of the repository (DIR/repo)")
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--plugin", action="store_true", help="also count the plugin's builds with and without")
    args = parser.parse_args()
    repo = args.work / "repo"
    if not (repo / ".git").is_dir():
        make_repository(repo, args.risks, args.commits)
    log_command = _log_command("HEAD", "risks")
    log = subprocess.run(log_command, cwd=repo, env=ENV, capture_output=True, check=True).stdout
    requests = args.work / "blobs.txt"
    requests.write_bytes(b"".join(blob + b"\n" for blob in git_blobs(repo, log)))
    git = counted(log_command, repo) + counted(["git", "cat-file", "--batch"], repo, stdin=requests)
    print(f"git alone: {git / 1e9:.2f} G (log and cat-file of {len(requests.read_bytes()) // 41} versions)")

    static = {}
    for name, history in (("s0", False), ("s2", True)):
        out = args.work / name
        make_static(plugin_config(repo, history), out)
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out / "site")]
        static[name] = counted(command, out)
        print(f"static {name} ({'with' if history else 'without'} history): {static[name] / 1e9:.2f} G")
    mkdocs_own = static["s2"] - static["s0"]
    print(f"MkDocs' own cost of the history's content: {mkdocs_own / 1e9:.2f} G")
    if not args.plugin:
        return
    builds = {}
    for history in (True, False):
        config = plugin_config(repo, history)
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(repo / "site")]
        builds[history] = counted(command, repo)
    extra = builds[True] - builds[False]
    print(f"plugin build: with history {builds[True] / 1e9:.2f} G, without {builds[False] / 1e9:.2f} G")
    print("| extra cost of the history | G instructions | share of the build without |")
    print("|---|---|---|")
    for what, value in (
        ("total", extra),
        ("git", git),
        ("MkDocs' own handling of the content", mkdocs_own),
        ("the plugin's Python (reading, drawing)", extra - git - mkdocs_own),
    ):
        print(f"| {what} | {value / 1e9:.2f} | {value / builds[False]:.3f} |")


if __name__ == "__main__":
    main()
