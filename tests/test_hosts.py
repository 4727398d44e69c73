"""One register, three hosts: the example built with MkDocs, ProperDocs and Zensical agrees, read from the HTML.

- MkDocs and ProperDocs: the plugin, listed in mkdocs.yml, generates the pages (ProperDocs loads it by its
  MkDocs entry point, unchanged).
- Zensical runs no MkDocs plugin: the project is set up as docs/properdocs-and-zensical.md tells a Zensical user
  (`risk-register render` writes the pages into docs/, the assets are listed under extra_css and
  extra_javascript), then built with `zensical build --strict`.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import reference
from tests.cli_helpers import run_cli
from tests.helpers import Built, build, copy_example, html_tables, table_with_header

HOSTS = ("mkdocs", "properdocs", "zensical")
ASSET_LINES = {
    "extra_css": ["risk-register/assets/risk-register.css"],
    "extra_javascript": ["risk-register/assets/risk-register.js"],
}


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's ``!!python/name:`` tags read as the dotted names Zensical resolves from plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda _loader, suffix, _node: suffix)


def plugin_settings(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins", []):
        if entry == "risk-register":
            return {}
        if isinstance(entry, dict) and "risk-register" in entry:
            return dict(entry["risk-register"] or {})
    raise AssertionError("no risk-register plugin in mkdocs.yml")


def as_zensical_project(root: Path) -> dict[str, Any]:
    """Rewrite root/mkdocs.yml as docs/hosts.md tells a Zensical user, render, and return the config.

    The extension is listed with the plugin's settings as its options. The plugin's entry stays: Zensical
    skips it, MkDocs would use it (one mkdocs.yml for both hosts, as while moving from one to the other).
    """
    config: dict[str, Any] = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    config.setdefault("markdown_extensions", []).append({"risk_register": plugin_settings(config)})
    for key, lines in ASSET_LINES.items():
        config.setdefault(key, []).extend(lines)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    rendered = run_cli("render", cwd=root)
    assert rendered.returncode == 0, rendered.stderr
    return config


# A team's page, one folder down, embedding every view. Rows are worked out by hand in the tests below.
EMBED_PAGE = "teams/data.md"
EMBED_SOURCE = """# The data team's risks

The risks the data team owns, scored 7 or more, highest first:

/// risk-table
    filter: {owner: Data Team, min_score: 7}
    columns: [ID, Score]
    sort: -Score
///

Technical risks up to 6:

/// risk-table
    filter: {category: Technical, max_score: 6}
    columns: [ID, Risk]
///

/// risk-table
    filter: {owner: Platform Team, band: Urgent}
    columns: [ID, Owner, Band]
///

/// risk-table
    filter: {category: Security, band: Accept}
///

/// risk-matrix
    filter: {owner: Data Team}
///

/// risk-top
    top: 3
///

/// risk-schedule
    filter: {owner: Platform Team}
///

/// risk-card | RSK-003
///
"""


def with_embed_page(root: Path) -> Path:
    page = root / "docs" / EMBED_PAGE
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(EMBED_SOURCE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The example plus a page embedding every view, built by each host with --strict."""
    built = {}
    for host in ("mkdocs", "properdocs"):
        root = with_embed_page(copy_example(tmp_path_factory.mktemp(host)))
        built[host] = build(root, strict=True, host=host)
    zensical_root = with_embed_page(copy_example(tmp_path_factory.mktemp("zensical")))
    as_zensical_project(zensical_root)
    built["zensical"] = build(zensical_root, strict=True, host="zensical")
    for host, site in built.items():
        assert site.returncode == 0, f"{host}: {site.log}"
    return built


# --- what a reader sees, read from each site's HTML ----------------------------------------------------


def register_rows(site: Built) -> list[tuple[str, str, int]]:
    """(ID, Risk, Score) of each row of the register table."""
    rows = table_with_header(site.page("risk-register/"), "ID")
    assert rows[0][:6] == ["ID", "Risk", "Category", "Prob", "Impact", "Score"]
    return [(row[0], row[1], int(row[5])) for row in rows[1:]]


def top_ids(site: Built) -> list[str]:
    return re.findall(r'<h2 id="[^"]*">(RSK-\d+): ', site.page("risk-register/top/"))


def mermaid_points(site: Built) -> dict[str, tuple[str, str]]:
    match = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', site.page("risk-register/"), re.DOTALL)
    assert match, "no Mermaid chart on the register page"
    source = html.unescape(match.group(1))
    return {m[1]: (m[2], m[3]) for m in re.finditer(r"^\s*(RSK-\d+): \[([\d.]+), ([\d.]+)\]$", source, re.M)}


def svg_markers(site: Built) -> dict[str, tuple[float, float]]:
    """Where the SVG risk matrix draws each risk: the centre of its dot."""
    page = site.page("risk-register/")
    # A marker: its title, a leader line when its label sits away from it, then its dot.
    found = re.findall(
        r'data-risk-id="([^"]+)"><title>[^<]*</title>(?:<line [^>]*>)?<circle cx="([\d.]+)" cy="([\d.]+)"', page
    )
    return {risk_id: (float(x), float(y)) for risk_id, x, y in found}


def links_from(site: Built, page: str) -> set[str]:
    """Relative links of a page's content (theme navigation aside: hrefs into risk-register/ only)."""
    hrefs = re.findall(r'(?:href|xlink:href)="([^"#:]+)(?:#[^"]*)?"', site.page(page))
    return {href for href in hrefs if not href.startswith(("/", "http"))}


def resolves(site: Built, page: str, href: str) -> bool:
    target = (site.site / page / href).resolve()
    return (target / "index.html").is_file() if target.is_dir() else target.is_file()


# --- the tests -------------------------------------------------------------------------------------------

# The reference's Score column in register order (tests/data/reference-register.md), RSK-001 to RSK-013.
REFERENCE_SCORES = [9, 8, 8, 7, 7, 6, 7, 6, 6, 7, 4, 4, 7]


@pytest.mark.parametrize("host", HOSTS)
def test_each_host_shows_the_reference_risks_and_scores(sites: dict[str, Built], host: str) -> None:
    rows = register_rows(sites[host])
    assert [r[0] for r in rows] == [f"RSK-{n:03d}" for n in range(1, 14)]
    assert [r[2] for r in rows] == REFERENCE_SCORES
    assert [r[1] for r in rows] == [ref.title.replace("`", "") for ref in reference.register_rows()]


@pytest.mark.parametrize("host", HOSTS)
def test_each_host_shows_the_reference_top_five(sites: dict[str, Built], host: str) -> None:
    # Active risks by score, ties by id: 9 (001), 8 (002, 003), 7 (004, 005, then 007, 010, 013).
    assert top_ids(sites[host]) == ["RSK-001", "RSK-002", "RSK-003", "RSK-004", "RSK-005"]


@pytest.mark.parametrize("host", HOSTS)
def test_each_host_draws_the_reference_chart_points(sites: dict[str, Built], host: str) -> None:
    assert mermaid_points(sites[host]) == reference.chart_points()
    assert len(svg_markers(sites[host])) == 13


def test_the_three_sites_agree(sites: dict[str, Built]) -> None:
    mkdocs = sites["mkdocs"]
    for host in ("properdocs", "zensical"):
        other = sites[host]
        assert register_rows(other) == register_rows(mkdocs), host
        assert top_ids(other) == top_ids(mkdocs), host
        assert svg_markers(other) == svg_markers(mkdocs), host
        assert other.data() == mkdocs.data(), host
        # One page per risk, each with the same summary table.
        for ref in reference.register_rows():
            page = f"risk-register/{ref.id}/"
            assert table_with_header(other.page(page), "Field") == table_with_header(mkdocs.page(page), "Field")


# The views write links to the register's pages as relative .md links, which each host resolves itself.
@pytest.mark.parametrize("host", HOSTS)
def test_links_of_the_generated_pages_resolve(sites: dict[str, Built], host: str) -> None:
    site = sites[host]
    for page in ("risk-register/", "risk-register/monitoring/", "risk-register/top/", "risk-register/RSK-001/"):
        links = links_from(site, page)
        assert links, page
        broken = sorted(href for href in links if not resolves(site, page, href))
        assert broken == [], f"{host} {page}"
    # The register links each id to its page, and the monitoring page and the data files.
    register = links_from(site, "risk-register/")
    assert {"RSK-001/", "RSK-013/", "monitoring/", "risks.json", "risks.csv"} <= register


@pytest.mark.parametrize("host", HOSTS)
def test_the_assets_reach_every_host(sites: dict[str, Built], host: str) -> None:
    site = sites[host]
    page = site.page("risk-register/")
    for asset in ("risk-register.css", "risk-register.js"):
        assert re.search(rf'(?:href|src)="(?:\./)?assets/{re.escape(asset)}"', page), asset
        assert (site.site / "risk-register/assets" / asset).is_file()


# --- views embedded in a docs page -------------------------------------------------------------------------


class _ViewParser(HTMLParser):
    """Each view element (class ``risk-register-view <kind>``) of a page, as (kind, its HTML)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.views: list[tuple[str, str]] = []
        self._open: tuple[str, str, int] | None = None
        self._depth = 0
        self.feed(text)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open is not None:
            self._depth += tag == self._open[0]
            return
        classes = (dict(attrs).get("class") or "").split()
        if "risk-register-view" in classes:
            kind = next(c for c in classes if c.startswith("risk-") and c != "risk-register-view")
            self._open, self._depth = (tag, kind, self._offset()), 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self._depth -= 1
            if self._depth == 0:
                name, kind, start = self._open
                self.views.append((kind, self.text[start : self._offset() + len(name) + 3]))
                self._open = None


def embedded(site: Built) -> list[tuple[str, str]]:
    return _ViewParser(site.page(EMBED_PAGE.removesuffix(".md") + "/")).views


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# The example register, by hand from risks/ (matrix scores: High impact 7/8/9, Medium 4/6/7, Low 1/4/5 for
# Low/Medium/High probability; bands Urgent 7-9, Proactive 4-6; every risk Open, reviewed 2026-02-08):
#   Data Team: 001 (H/H 9), 002 (M/H 8), 004 (L/H 7), 013 (L/H 7, with Product Team)
#   Technical: 002 (8), 003 (8), 004 (7), 006 (M/M 6), 007 (7), 008 (6), 011 (L/M 4), 012 (M/L 4)
#   Platform Team: 003 (8, Urgent), 009 (M/M 6), 011 (4)
EXPECTED_TABLES = [
    # Data Team, score >= 7, highest first; 004 and 013 tie at 7 and keep the register order.
    [["ID", "Score"], ["RSK-001", "9"], ["RSK-002", "8"], ["RSK-004", "7"], ["RSK-013", "7"]],
    # Technical, score <= 6, register order.
    [
        ["ID", "Risk"],
        ["RSK-006", "JWT token refresh race conditions in browser"],
        ["RSK-008", "Background job queue backup during high load"],
        ["RSK-011", "Elasticsearch operational complexity exceeds capacity"],
        ["RSK-012", "Frontend performance regression during feature development"],
    ],
    # Platform Team, Urgent: only RSK-003 (8).
    [["ID", "Owner", "Band"], ["RSK-003", "Platform Team", "Urgent"]],
]


@pytest.mark.parametrize("host", HOSTS)
def test_each_host_renders_every_embedded_view(sites: dict[str, Built], host: str) -> None:
    views = embedded(sites[host])
    kinds = [kind for kind, _ in views]
    assert kinds == [*["risk-table"] * 4, "risk-matrix", "risk-top", "risk-schedule", "risk-card"]
    tables = [html_tables(fragment) for kind, fragment in views if kind == "risk-table"]
    assert [found[0] for found in tables[:3]] == EXPECTED_TABLES
    # Security risks in the Accept band: none (RSK-001, the only Security risk, is Urgent).
    assert "No risk matches this view." in text_of(views[3][1])
    matrix, top, schedule, card = (fragment for _, fragment in views[4:])
    assert sorted(set(re.findall(r'data-risk-id="([^"]+)"', matrix))) == ["RSK-001", "RSK-002", "RSK-004", "RSK-013"]
    assert re.findall(r">(RSK-\d+): ", top) == ["RSK-001", "RSK-002", "RSK-003"]
    # Platform Team's active risks, by next review (all 2026-02-15: reviewed 02-08, 7-day bands), then id.
    assert [row[0] for row in html_tables(schedule)[0][1:]] == ["RSK-003", "RSK-009", "RSK-011"]
    assert "RSK-003" in text_of(card) and "Redis single point of failure" in text_of(card)


def broken_view_links(site: Built, kinds: tuple[str, ...]) -> list[str]:
    page = EMBED_PAGE.removesuffix(".md") + "/"
    links = {
        href for kind, fragment in embedded(site) if kind in kinds for href in re.findall(r'href="([^"#:]+)', fragment)
    }
    assert links, kinds
    return sorted(href for href in links if not resolves(site, page, href))


@pytest.mark.parametrize("host", HOSTS)
def test_links_of_embedded_views_resolve_from_a_page_one_folder_down(sites: dict[str, Built], host: str) -> None:
    page = EMBED_PAGE.removesuffix(".md") + "/"
    links = {href for kind, fragment in embedded(sites[host]) for href in re.findall(r'href="([^"#:]+)', fragment)}
    assert "../../risk-register/RSK-001/" in links  # from teams/data/ up to the site, into the register
    assert broken_view_links(sites[host], ("risk-table", "risk-top", "risk-schedule", "risk-card")) == [], page


@pytest.mark.parametrize("host", HOSTS)
def test_links_of_an_embedded_matrix_resolve_from_a_page_one_folder_down(sites: dict[str, Built], host: str) -> None:
    assert broken_view_links(sites[host], ("risk-matrix",)) == []


def test_the_three_hosts_embed_the_same_views(sites: dict[str, Built]) -> None:
    texts = {host: [(kind, text_of(fragment)) for kind, fragment in embedded(sites[host])] for host in HOSTS}
    assert texts["properdocs"] == texts["mkdocs"]
    assert texts["zensical"] == texts["mkdocs"]


def test_one_mkdocs_yml_for_mkdocs_and_zensical(sites: dict[str, Built], tmp_path: Path) -> None:
    # While a site moves (docs/hosts.md), mkdocs.yml lists the plugin and the extension with the same options.
    # MkDocs keeps building from the plugin alone: the listed extension is replaced by the plugin's, the asset
    # lines are not doubled, and each view is drawn once.
    root = with_embed_page(copy_example(tmp_path))
    config: dict[str, Any] = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    config.setdefault("markdown_extensions", []).append({"risk_register": plugin_settings(config)})
    for key, lines in ASSET_LINES.items():
        config.setdefault(key, []).extend(lines)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    both = build(root, strict=True)
    assert both.returncode == 0, both.log
    assert [(kind, text_of(f)) for kind, f in embedded(both)] == [
        (kind, text_of(f)) for kind, f in embedded(sites["mkdocs"])
    ]
    page = both.page("risk-register/")
    assert page.count("assets/risk-register.js") == 1
    assert page.count("assets/risk-register.css") == 1
