"""Build time and memory of a large register: with the plugin against the same pages written by hand.

For each N, a register of N generated risks is built two ways with the same
theme, Markdown extensions and navigation:

  (a) plugin:  mkdocs.yml with the risk-register plugin and the risk files;
  (b) static:  the very files the plugin generates, written into docs/ as plain
               Markdown, built without the plugin. The pages hold the register's
               views as blocks, so this build lists the Markdown extension
               ``risk_register`` (as a Zensical site does): it reads the same
               risk files and renders the same views. MkDocs does not tell the
               extension alone which page it converts, so a risk page's card
               would not know it is on the risk's own page and would leave out
               the chart and the body: the baseline's risk pages are written as
               an author would for the extension alone, the card with
               ``chart: true`` and the risk's body after it as the page's own
               Markdown (see ``hand_written_risk_page``).

After the runs the two built sites are compared file by file, the search index
aside (the plugin keeps its large tables and charts out of it). Risk pages that
differ only in what the extension alone cannot know (the card's title line, the
Source row's path, the chart's links: ``UNKNOWABLE``) are counted as
such; any other difference is listed.

Each build is a real ``mkdocs build`` in a subprocess. The script prints the
median of several runs of: wall time, the plugin's own time (its MkDocs events;
"load" is the part spent reading, validating and scoring the files), peak
memory (max RSS of the build process), and the ratios (a)/(b).

    .venv/bin/python benchmarks/build_bench.py --sizes 100 1000 10000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from mkdocs_risk_register.risk import Risk
from mkdocs_risk_register.views.pages import view

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_register

HERE = Path(__file__).resolve().parent
# A fixed build date (2026-03-01 UTC), as in the tests: schedules do not drift between runs.
EPOCH = "1772323200"

MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "tables",
    {"toc": {"permalink": True}},
    {
        "pymdownx.superfences": {
            "custom_fences": [
                {
                    "name": "mermaid",
                    "class": "mermaid",
                    "format": "!!python/name:pymdownx.superfences.fence_code_format",
                }
            ]
        }
    },
]


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    events: list[dict[str, float]] = field(default_factory=list)

    def median(self, values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    def event_median(self, *names: str) -> float:
        return self.median([sum(run.get(name, 0.0) for name in names) for run in self.events])

    def plugin_median(self) -> float:
        return self.median([sum(v for k, v in run.items() if k.startswith("on_")) for run in self.events])


def write_config(path: Path, config: dict[str, Any]) -> None:
    text = yaml.safe_dump(config, sort_keys=False)
    # safe_dump quotes the tag; MkDocs needs it as a YAML tag.
    text = text.replace(
        "'!!python/name:pymdownx.superfences.fence_code_format'", "!!python/name:pymdownx.superfences.fence_code_format"
    )
    path.write_text(text, encoding="utf-8")


def base_config(theme: str) -> dict[str, Any]:
    return {
        "site_name": "Benchmark register",
        "theme": {"name": theme},
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }


def make_plugin_project(
    root: Path, count: int, theme: str, plugin_options: dict[str, Any], *, treated: bool = False
) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nA benchmark register.\n", encoding="utf-8")
    write_register(root / "risks", count, treated=treated)
    config = base_config(theme)
    config["plugins"] = ["search", {"risk-register": plugin_options}]
    write_config(root / "mkdocs.yml", config)


def hand_written_risk_page(page: str, risk: Risk) -> str:
    """The plugin's risk page ``page`` as an author would write it for the extension alone.

    Built without the plugin, the extension is not told which page it converts, so the card does not
    know that it is on the risk's own page and would leave out the chart and the body: the card asks
    for its chart (``chart: true``) and the risk's body follows the card as Markdown of the page (where
    the plugin puts a card's body: after the card's view). generate.py's bodies start their headings at
    level 2, the card's, so the plugin shifts none of them; any other difference shows when the two built
    sites are compared.
    """
    card = view("risk-card", risk.id)
    if card not in page:
        raise SystemExit(f"{risk.id}: the plugin's risk page has no card {card!r}")
    written = view("risk-card", risk.id, "    chart: true")
    if risk.body.strip():
        written += "\n\n" + risk.body.strip("\n")
    return page.replace(card, written, 1)


def make_static_project(plugin_root: Path, root: Path, theme: str) -> tuple[int, set[str]]:
    """Write every file the plugin adds to ``plugin_root``'s site as a plain file; return how many, and
    where the risk pages are in the built site.

    The plugin's own events produce them (pages, data files, its CSS and JavaScript),
    so the baseline holds exactly the pages the plugin generates, its risk pages written for the
    extension alone (:func:`hand_written_risk_page`).
    """
    config = load_config(str(plugin_root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    plugin = config.plugins["risk-register"]
    site = plugin.site
    (root / "docs").mkdir(parents=True)
    shutil.copy(plugin_root / "docs" / "index.md", root / "docs" / "index.md")
    for file in files:
        target = root / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.src_uri in site.risk_pages:
            page = hand_written_risk_page(site.render_risk_page(file.src_uri), site.risk_pages[file.src_uri])
            target.write_text(page, encoding="utf-8")
        elif file.src_uri in site.pages:
            # The whole page: the plugin hands MkDocs its large blocks separately (see deferred.py).
            target.write_text(site.pages[file.src_uri], encoding="utf-8")
        else:
            target.write_bytes(file.content_bytes)

    # The same navigation as the plugin's: Home, then the register's section; risk pages
    # listed under "Risks" only when the plugin lists them (nav_risk_pages).
    section: list[Any] = [src for src in site.pages if src.endswith(".md")]
    if len(site.risk_pages) <= plugin.config.nav_risk_pages:
        section.append({"Risks": list(site.risk_pages)})
    static = base_config(theme)
    static["plugins"] = ["search"]
    settings = {key: value for key, value in plugin.config.items() if value is not None}
    # The views in the pages, rendered by the extension on its own (it reads the same risk files).
    static["markdown_extensions"] = [
        *static["markdown_extensions"],
        {"risk_register": {**settings, "risks_dir": str((plugin_root / "risks").resolve())}},
    ]
    # Risk pages left out of this nav are simply not listed, as a hand-written site would do
    # (MkDocs then names them in one INFO line).
    static["nav"] = ["index.md", {"Risk Register": section}]
    # The stylesheet and script the plugin adds to every page.
    static["extra_css"] = [str(item) for item in config.extra_css]
    static["extra_javascript"] = [str(item) for item in config.extra_javascript]
    write_config(root / "mkdocs.yml", static)
    return len(files), {file.dest_uri for file in files if file.src_uri in site.risk_pages}


def run_timed(command: list[str], root: Path, log: Path) -> tuple[float, resource.struct_rusage]:
    """Wall seconds and the resources (CPU, peak memory) of one build ``command`` of ``root``, logged to ``log``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    with log.open("a", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {root}; see {log}")
    return wall, usage


def run_build(root: Path, log: Path) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, peak RSS in MiB and the plugin's event times of one ``mkdocs build``."""
    stats = root / "stats.json"
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    command = [
        sys.executable,
        str(HERE / "timed_build.py"),
        str(stats),
        "build",
        "-f",
        str(root / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    wall, usage = run_timed(command, root, log)
    events: dict[str, float] = json.loads(stats.read_text(encoding="utf-8"))
    # ru_maxrss is in KiB on Linux.
    return wall, usage.ru_maxrss / 1024, events


# What a risk page built by the extension alone cannot know, MkDocs not telling it which page it converts:
# that the card is on the risk's own page (so it writes the card's title line), where the page is (so the
# Source row's path is relative to another folder, and the chart's links to the wrong page: its markers', and
# on a large register the compact chart's caption link to the register).
UNKNOWABLE = (
    (re.compile(rb'<p class="risk-register-card-title">.*?</p>\n?', re.DOTALL), rb""),
    (re.compile(rb"(<td>Source</td>\s*<td><code>)[^<]*(</code></td>)"), rb"\1\2"),
    (re.compile(rb'(<a class="risk-matrix-marker[^"]*" xlink:href=")[^"]*(")'), rb"\1\2"),
    (re.compile(rb'(<figcaption>[^<]*<a href=")[^"]*(">)'), rb"\1\2"),
)


def unknowable_aside(html: bytes) -> bytes:
    """``html`` with exactly the things of ``UNKNOWABLE`` blanked out."""
    for pattern, replacement in UNKNOWABLE:
        html = pattern.sub(replacement, html)
    return html


def different_pages(site_a: Path, site_b: Path, risk_pages: set[str]) -> tuple[list[str], list[str]]:
    """Files of the two built sites that differ, the search index aside (the plugin keeps its
    large tables and charts out of it, see docs/large-registers.md): those that differ in anything,
    and the risk pages (``risk_pages``: their paths in the site) that differ only in what the
    extension alone cannot know (``UNKNOWABLE``)."""

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    one, two = files(site_a), files(site_b)
    names = sorted(set(one) | set(two))
    differing = [name for name in names if name != "search/search_index.json" and one.get(name) != two.get(name)]
    unknowable = [
        name
        for name in differing
        if name in risk_pages
        and name in one
        and name in two
        and unknowable_aside(one[name]) == unknowable_aside(two[name])
    ]
    return [name for name in differing if name not in unknowable], unknowable


def bench(
    count: int, runs: int, theme: str, work: Path, plugin_options: dict[str, Any], *, treated: bool = False
) -> dict[str, Any]:
    plugin_root, static_root = work / f"n{count}" / "plugin", work / f"n{count}" / "static"
    shutil.rmtree(work / f"n{count}", ignore_errors=True)
    make_plugin_project(plugin_root, count, theme, plugin_options, treated=treated)
    pages, risk_pages = make_static_project(plugin_root, static_root, theme)
    results = {"plugin": Runs(), "static": Runs()}
    log = work / f"n{count}" / "build.log"
    # Alternate the two builds so that a change in machine load hits both alike.
    for _ in range(runs):
        for name, root in (("plugin", plugin_root), ("static", static_root)):
            wall, rss, events = run_build(root, log)
            results[name].wall.append(wall)
            results[name].rss_mib.append(rss)
            results[name].events.append(events)
            print(f"  N={count} {name}: {wall:.2f} s, {rss:.0f} MiB", file=sys.stderr, flush=True)
    a, b = results["plugin"], results["static"]
    differing, unknowable = different_pages(plugin_root / "site", static_root / "site", risk_pages)
    load = a.event_median("load_register")
    return {
        "n": count,
        "runs": runs,
        "generated_files": pages,
        "plugin_wall_s": a.median(a.wall),
        "static_wall_s": b.median(b.wall),
        "wall_ratio": a.median(a.wall) / b.median(b.wall),
        "plugin_own_s": a.plugin_median(),
        "plugin_load_s": load,
        "load_us_per_risk": load / count * 1e6,
        "plugin_render_s": a.plugin_median() - load,
        "plugin_peak_mib": a.median(a.rss_mib),
        "static_peak_mib": b.median(b.rss_mib),
        "memory_ratio": a.median(a.rss_mib) / b.median(b.rss_mib),
        "differing_files": differing,
        # Risk pages that differ only in the card's title line, the Source path and the chart's links.
        "unknowable_only_files": unknowable,
        # Each plugin event, loading, and the garbage collector's time (in all, and inside plugin events).
        "plugin_events_s": {
            name: a.event_median(name)
            for name in sorted({key for run in a.events for key in run})
            if name.startswith(("on_", "load_", "gc_"))
        },
        "mkdocs_phases_s": {
            phase: [a.event_median(phase), b.event_median(phase)]
            for phase in ("mkdocs_get_files", "mkdocs_markdown", "mkdocs_theme")
        },
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'N':>6} {'runs':>4} | {'wall a':>8} {'wall b':>8} {'a/b':>6} | {'plugin':>7} {'load':>6} "
        f"{'us/risk':>7} {'render':>6} | {'peak a':>7} {'peak b':>7} {'a/b':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['n']:>6} {r['runs']:>4} | {r['plugin_wall_s']:>7.2f}s {r['static_wall_s']:>7.2f}s "
            f"{r['wall_ratio']:>6.3f} | "
            f"{r['plugin_own_s']:>6.2f}s {r['plugin_load_s']:>5.2f}s {r['load_us_per_risk']:>7.0f} "
            f"{r['plugin_render_s']:>5.2f}s | {r['plugin_peak_mib']:>5.0f}Mi {r['static_peak_mib']:>5.0f}Mi "
            f"{r['memory_ratio']:>6.3f}"
        )
    for r in rows:
        phases = ", ".join(
            f"{name.removeprefix('mkdocs_')} {a:.2f}/{b:.2f} s" for name, (a, b) in r["mkdocs_phases_s"].items()
        )
        print(f"N={r['n']}: MkDocs' own phases, a/b: {phases}")
        differing, unknowable = r["differing_files"], r["unknowable_only_files"]
        if differing:
            same = f"search index aside, {len(differing)} files differ: {', '.join(differing[:5])}"
        else:
            same = "identical apart from the search index"
        if unknowable:
            same += (
                f"; {len(unknowable)} risk pages differ only in what the extension alone cannot know "
                "(card title line, source path, chart links)"
            )
        print(f"N={r['n']}: built sites a and b: {same}")
    print(
        "medians of the runs; a = with the plugin, b = static baseline (same pages as plain Markdown); "
        "plugin = the plugin's own time in its MkDocs events, load = reading, validating and scoring; "
        "peak = max RSS of the build process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--runs-large", type=int, default=None, help="runs at N >= 10,000 (default: --runs)")
    parser.add_argument("--theme", default="material")
    parser.add_argument("--work", type=Path, default=None, help="folder for the projects (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=YAML",
        help="a plugin option for both builds, e.g. nav_risk_pages=0 (repeatable)",
    )
    parser.add_argument(
        "--treated", action="store_true", help="every risk with a treatment and a residual level (docs/treatment.md)"
    )
    args = parser.parse_args()

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    work = args.work or Path(tempfile.mkdtemp(prefix="risk-bench-"))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; work folder {work}", file=sys.stderr)
    options = {key: yaml.safe_load(value) for key, value in (item.split("=", 1) for item in args.option)}
    rows = []
    for count in args.sizes:
        runs = args.runs_large if args.runs_large and count >= 10_000 else args.runs
        rows.append(bench(count, runs, args.theme, work, options, treated=args.treated))
    print(
        f"theme {args.theme}; plugin options {options or 'default'}; {os.cpu_count()} CPUs; "
        f"load average at the end {os.getloadavg()[0]:.2f}"
    )
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
