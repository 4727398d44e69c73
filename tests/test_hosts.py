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
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import reference
from tests.cli_helpers import run_cli
from tests.helpers import Built, build, copy_example, table_with_header

HOSTS = ("mkdocs", "properdocs", "zensical")
ASSET_LINES = {
    "extra_css": ["risk-register/assets/risk-register.css"],
    "extra_javascript": ["risk-register/assets/risk-register.js"],
}


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's ``!!python/name:`` tags read as the dotted names Zensical resolves from plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda _loader, suffix, _node: suffix)


def as_zensical_project(root: Path) -> dict[str, Any]:
    """Rewrite root/mkdocs.yml as docs/properdocs-and-zensical.md tells a Zensical user; return the config.

    The plugin's entry stays under ``plugins``: Zensical skips it, and ``render`` reads its settings there.
    """
    config: dict[str, Any] = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for key, lines in ASSET_LINES.items():
        config.setdefault(key, []).extend(lines)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    rendered = run_cli("render", cwd=root)
    assert rendered.returncode == 0, rendered.stderr
    return config


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, example_site: Built) -> dict[str, Built]:
    """The example built by each host, with --strict."""
    built = {"mkdocs": example_site}
    properdocs_root = copy_example(tmp_path_factory.mktemp("properdocs"))
    built["properdocs"] = build(properdocs_root, strict=True, host="properdocs")
    zensical_root = copy_example(tmp_path_factory.mktemp("zensical"))
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
