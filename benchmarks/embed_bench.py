"""Views embedded in docs pages: build time against the same pages with the views' HTML pasted by hand.

A register of 1,000 generated risks (generate.py) and 100 docs pages, each with a short text, a
``risk-table`` filtered to about 10 risks (one owner, one category, open risks) and a ``risk-card``.
Two sites, built with the same theme, extensions and plugin (so the register's own pages are the same):

  (a) views:  the pages as written, with the blocks; the extension renders them;
  (b) hand:   the same pages with each block replaced by the HTML that (a) built for it, pasted in as
              raw HTML, as an author would without the extension.

Each build is a real ``mkdocs build`` in a subprocess; the two alternate, and the script prints the
median wall time of each, their ratio (target: at most 1.10), and the machine's load.

    .venv/bin/python benchmarks/embed_bench.py --runs 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import base_config, run_timed, write_config
from generate import CATEGORIES, TEAMS, risk_id, write_register

VIEW_CLASS = "risk-register-view"


def page_text(number: int, count: int) -> str:
    """Page ``number``: one team's open risks of one category, and one risk's card."""
    team = TEAMS[number % len(TEAMS)]
    category = CATEGORIES[(number // len(TEAMS)) % len(CATEGORIES)]
    card = risk_id((number * 37) % count + 1, count)
    return f"""# {team}: {category} ({number})

The {category.lower()} risks that {team} owns and that are still open, highest first. The
team reviews them every sprint; the card below is the one it discusses this week.

/// risk-table
    filter: {{owner: {team}, category: {category}, status: Open}}
    columns: [ID, Risk, Score, Owner, Status]
    sort: -Score
///

## This week

/// risk-card | {card}
///

Questions about these risks go to the team's channel.
"""


def make_views_project(root: Path, risks: int, pages: int, theme: str) -> None:
    (root / "docs" / "teams").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nA benchmark register.\n", encoding="utf-8")
    write_register(root / "risks", risks)
    for number in range(pages):
        (root / "docs" / "teams" / f"page-{number:03d}.md").write_text(page_text(number, risks), encoding="utf-8")
    config = base_config(theme)
    config["plugins"] = ["search", {"risk-register": {}}]
    write_config(root / "mkdocs.yml", config)


class _Views(HTMLParser):
    """The source offsets of each top-level view element of a built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.spans: list[tuple[int, int]] = []
        self._depth = 0
        self._tag = ""
        self._start = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def feed_page(self, text: str) -> None:
        self._line_starts = [0]
        for line in text.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            if tag == self._tag:
                self._depth += 1
            return
        classes = (dict(attrs).get("class") or "").split()
        if VIEW_CLASS in classes:
            self._tag, self._depth, self._start = tag, 1, self._offset()

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == self._tag:
            self._depth -= 1
            if not self._depth:
                end = self._offset() + len(f"</{tag}>")
                self.spans.append((self._start, end))


def built_views(page_html: str) -> list[str]:
    parser = _Views()
    parser.feed_page(page_html)
    return [page_html[start:end] for start, end in parser.spans]


def make_hand_project(views_root: Path, root: Path, pages: int) -> None:
    """The views project with each block replaced by the HTML its build produced for it."""
    shutil.copytree(views_root, root, ignore=shutil.ignore_patterns("site"))
    for number in range(pages):
        source = root / "docs" / "teams" / f"page-{number:03d}.md"
        built = (views_root / "site" / "teams" / f"page-{number:03d}" / "index.html").read_text(encoding="utf-8")
        fragments = built_views(built)
        text = source.read_text(encoding="utf-8")
        blocks = _blocks(text)
        if len(fragments) != len(blocks):
            raise SystemExit(f"page {number}: {len(blocks)} blocks but {len(fragments)} views in the built page")
        for block, fragment in zip(blocks, fragments, strict=True):
            # A raw HTML block: on lines of its own, with blank lines around it.
            text = text.replace(block, f"\n{fragment}\n", 1)
        source.write_text(text, encoding="utf-8")


def _blocks(text: str) -> list[str]:
    """Each ``/// view`` ... ``///`` block of a page, as written."""
    blocks, current = [], None
    for line in text.splitlines(keepends=True):
        if current is None and line.startswith("/// "):
            current = [line]
        elif current is not None:
            current.append(line)
            if line.strip() == "///":
                blocks.append("".join(current))
                current = None
    return blocks


def run_build(root: Path, log: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one ``mkdocs build``.

    CPU time is the steadier figure on a shared machine: waiting for a core counts in wall time only.
    """
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    wall, usage = run_timed(command, root, log)
    return wall, usage.ru_utime + usage.ru_stime


def rows_in(site: Path, pages: int) -> list[int]:
    """How many risks each page's table shows (to report the filter's real size)."""
    counts = []
    for number in range(pages):
        page = (site / "teams" / f"page-{number:03d}" / "index.html").read_text(encoding="utf-8")
        table = built_views(page)[0]
        counts.append(max(0, table.count("<tr") - 1))  # the header row aside; no table when nothing matches
    return counts


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--theme", default="material")
    parser.add_argument("--work", type=Path, help="keep the generated projects here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="embed-bench-"))
    views_root, hand_root = work / "views", work / "hand"
    shutil.rmtree(views_root, ignore_errors=True)
    shutil.rmtree(hand_root, ignore_errors=True)
    log = work / "build.log"
    make_views_project(views_root, args.risks, args.pages, args.theme)
    run_build(views_root, log)  # also the source of the pasted HTML
    make_hand_project(views_root, hand_root, args.pages)
    counts = rows_in(views_root / "site", args.pages)
    print(f"before: {load()}")
    walls: dict[str, list[float]] = {"views": [], "hand": []}
    cpus: dict[str, list[float]] = {"views": [], "hand": []}
    for _ in range(args.runs):
        # Alternate the two builds so that a change in machine load hits both alike.
        for name, root in (("views", views_root), ("hand", hand_root)):
            wall, cpu = run_build(root, log)
            walls[name].append(wall)
            cpus[name].append(cpu)
            print(f"  {name}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr, flush=True)
    print(f"after:  {load()}")
    print(
        f"{args.risks} risks, {args.pages} pages (table rows per page: median {statistics.median(counts)}, "
        f"min {min(counts)}, max {max(counts)}), {args.runs} runs each, theme {args.theme}"
    )
    for label, runs in (("wall", walls), ("CPU ", cpus)):
        views, hand = statistics.median(runs["views"]), statistics.median(runs["hand"])
        # Each views build ran right before its hand build: the ratio within a pair shares the machine's load.
        paired = statistics.median(v / h for v, h in zip(runs["views"], runs["hand"], strict=True))
        print(
            f"median {label}: views {views:.2f} s, by hand {hand:.2f} s, ratio {views / hand:.3f}; "
            f"median of paired ratios {paired:.3f} (target <= 1.10)"
        )
    for name in ("views", "hand"):
        pairs = zip(walls[name], cpus[name], strict=True)
        print(f"{name:>5} runs (wall/CPU s): {', '.join(f'{w:.1f}/{c:.1f}' for w, c in pairs)}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
