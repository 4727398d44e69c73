"""The example site in a real browser: headless Debian Chromium driven by Playwright.

The site (the repository's mkdocs.yml, docs/ and risks/) is built into a
temporary folder with Mermaid served from the npm package, and served on
127.0.0.1. Every request that would leave 127.0.0.1 is blocked and recorded,
and each test fails if there was one. Screenshots of the register page in the
light and dark palettes are saved in test-artifacts/ for review.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests import reference
from tests.helpers import REPO, build, copy_example

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MERMAID = REPO / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
ARTIFACTS = REPO / "test-artifacts"
REGISTER = "risk-register/"
# Material renders Mermaid into a closed shadow root; open it so the test can read the chart.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""
ROWS = reference.register_rows()


def _natural(risk_id: str) -> int:
    return int(risk_id.split("-")[1])


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _served_example(root: Path, extra: dict[str, Any], pages: dict[str, str] | None = None) -> Iterator[str]:
    """The example site built with local Mermaid and no web fonts, served on 127.0.0.1; ``pages`` adds docs."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (`make test` installs it)")
    if not MERMAID.exists():
        pytest.fail(f"{MERMAID} is missing: run `npm ci` (`make test` does) to install Mermaid for the browser tests")
    copy_example(root)
    for name, text in (pages or {}).items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "docs" / "javascripts").mkdir()
    shutil.copy(MERMAID, root / "docs" / "javascripts" / "mermaid.min.js")
    # Defining window.mermaid before Material looks for it keeps Mermaid off the CDN; no Google Fonts;
    # a repo_url off GitHub keeps Material from asking GitHub's API for the repository's stars.
    overrides = {
        "INHERIT": "mkdocs.yml",
        "theme": {"font": False},
        "extra_javascript": ["javascripts/mermaid.min.js"],
        "repo_url": "http://127.0.0.1/example/mkdocs-risk-register",
        **extra,
    }
    config = root / "mkdocs.browser.yml"
    config.write_text(yaml.safe_dump(overrides), encoding="utf-8")
    built = build(root, config_file=config)  # strictness is the example-site tests' job
    assert built.returncode == 0, built.log

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(built.site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# A page other than the register, one folder down, with one embedded table among other text.
EMBED_PAGE = "teams/technical/"
EMBED_SOURCE = """# Technical risks

Text before the table.

/// risk-table
    filter: {category: Technical}
    columns: [ID, Risk, Score, Owner]
///

Text after the table.
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pages = {"teams/technical.md": EMBED_SOURCE}
    with _served_example(tmp_path_factory.mktemp("browser"), {}, pages) as url:
        yield url


@pytest.fixture(scope="module")
def instant_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site with Material's instant navigation, which swaps pages without reloading them."""
    theme = {"font": False, "features": ["navigation.instant", "navigation.sections"]}
    with _served_example(tmp_path_factory.mktemp("instant"), {"theme": theme}) as url:
        yield url


# The table script's words, given through `labels` (any language's catalogue reaches the script the same way).
SCRIPT_LABELS = {
    "script.filter_group": "Register filtern",
    "script.filter.status": "Zustand",
    "script.filter.category": "Kategorie",
    "script.filter.band": "Stufe",
    "script.filter.owner": "Verantwortlich",
    "script.all": "Alle",
    "script.option": "{value} – {count}",
    "script.show_all": "Alle zeigen",
    "script.no_match": "Kein Risiko passt zu diesen Filtern.",
    "script.shown": {"one": "{shown} von {count} Risiko", "other": "{shown} von {count} Risiken"},
}
ONE_RISK_PAGE = "/// risk-table\n    filter: {ids: [RSK-001]}\n///\n"


@pytest.fixture(scope="module")
def labelled_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The example's own plugin settings (a list under `plugins` is replaced, not merged, by INHERIT).
    example = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = next(entry["risk-register"] for entry in example["plugins"] if isinstance(entry, dict))
    extra = {"plugins": ["search", {"risk-register": {**settings, "labels": SCRIPT_LABELS}}]}
    with _served_example(tmp_path_factory.mktemp("labelled"), extra, {"one.md": ONE_RISK_PAGE}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (`make test` installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Session:
    page: Page
    base: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")

    def visible_ids(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "table[data-risk-register-table] tbody tr",
            "rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.cells[0].textContent.trim())",
        )


def _session(browser: Browser, site_url: str, **context_options: Any) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_options)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    session = Session(context.new_page(), site_url)

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            session.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    session.page.on("pageerror", lambda error: session.errors.append(str(error)))
    session.page.on("console", lambda message: message.type == "error" and session.errors.append(message.text))
    try:
        yield session
    finally:
        context.close()
    assert session.outside == [], f"requests left 127.0.0.1: {session.outside}"
    assert session.errors == [], f"script errors: {session.errors}"


@pytest.fixture
def light(browser: Browser, site_url: str) -> Iterator[Session]:
    yield from _session(browser, site_url, color_scheme="light")


@pytest.fixture
def dark(browser: Browser, site_url: str) -> Iterator[Session]:
    yield from _session(browser, site_url, color_scheme="dark")


# ---------------------------------------------------------------------------- charts


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Session]:
    session_iterator = _session(browser, site_url, color_scheme="light")
    session = next(session_iterator)
    session.page.set_viewport_size({"width": 390, "height": 844})
    yield session
    yield from session_iterator


def test_on_a_phone_charts_keep_their_size_and_scroll_sideways(phone: Session) -> None:
    for path in (REGISTER, "risk-register/RSK-001/"):
        phone.open(path)
        svg = phone.page.locator(".risk-matrix-figure svg").first
        drawn = float(svg.get_attribute("width") or 0)
        assert drawn > 390, path  # wider than the screen: otherwise there is nothing to test
        assert svg.bounding_box()["width"] == pytest.approx(drawn, abs=1), path
        figure = phone.page.locator(".risk-matrix-figure").first
        assert figure.evaluate("f => f.scrollWidth > f.clientWidth"), path
        # The page itself does not scroll sideways: only the figure does.
        assert phone.page.evaluate("document.scrollingElement.scrollWidth") <= 390, path


def test_mermaid_chart_renders_thirteen_points_without_errors(light: Session) -> None:
    light.open(REGISTER)
    light.page.click("details.risk-matrix-mermaid > summary")
    light.page.wait_for_function(
        "() => { const host = document.querySelector('div.mermaid');"
        " return host && host.shadowRoot && host.shadowRoot.querySelectorAll('g.data-point').length > 0; }",
        timeout=20000,
    )
    labels = light.page.evaluate(
        "() => [...document.querySelector('div.mermaid').shadowRoot.querySelectorAll('g.data-point text')]"
        ".map(t => t.textContent.trim())"
    )
    assert sorted(labels) == sorted(reference.chart_points())
    text = light.page.evaluate("() => document.querySelector('div.mermaid').shadowRoot.textContent")
    assert "Syntax error" not in text and "Parse error" not in text
    assert "Risk Matrix (Probability vs Impact)" in text
    assert light.page.locator("pre.mermaid").count() == 0  # replaced by the rendered chart


def test_svg_matrix_shows_thirteen_markers_with_clean_labels(light: Session) -> None:
    light.open(REGISTER)
    markers = light.page.locator("figure.risk-matrix-figure svg a.risk-matrix-marker")
    assert markers.count() == 13
    boxes = light.page.evaluate(
        """() => {
        const svg = document.querySelector('figure.risk-matrix-figure svg');
        const outer = svg.getBoundingClientRect();
        const labels = [...svg.querySelectorAll('a.risk-matrix-marker')].map(a => {
          const r = a.querySelector('text').getBoundingClientRect();
          return {id: a.dataset.riskId, x: r.x, y: r.y, w: r.width, h: r.height};
        });
        return {outer: {x: outer.x, y: outer.y, w: outer.width, h: outer.height}, labels};
        }"""
    )
    outer, labels = boxes["outer"], boxes["labels"]
    assert [label["id"] for label in labels] == [row.id for row in ROWS]
    for label in labels:
        assert label["w"] > 0 and label["h"] > 0
        assert outer["x"] <= label["x"] and label["x"] + label["w"] <= outer["x"] + outer["w"], label
        assert outer["y"] <= label["y"] and label["y"] + label["h"] <= outer["y"] + outer["h"], label
    for index, a in enumerate(labels):
        for b in labels[index + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            assert apart, f"rendered labels of {a['id']} and {b['id']} overlap"


def test_every_marker_links_to_its_risk_page(light: Session) -> None:
    light.open(REGISTER)
    for row in ROWS:
        marker = light.page.locator(f'figure.risk-matrix-figure svg a[data-risk-id="{row.id}"]')
        assert row.id in (marker.locator("title").text_content() or "")
        marker.locator("text").click()  # where a reader clicks: the label (a leader line may part it from the dot)
        light.page.wait_for_load_state()
        assert light.page.url == f"{light.base}risk-register/{row.id}/"
        heading = light.page.locator("h1").first.text_content() or ""
        assert heading.startswith(f"{row.id}: ")
        light.page.go_back(wait_until="load")


def test_risk_page_chart_highlights_its_risk_and_links_onwards(light: Session) -> None:
    light.open("risk-register/RSK-007/")
    current = light.page.locator('svg a.risk-matrix-marker[aria-current="page"]')
    assert current.count() == 1 and current.get_attribute("data-risk-id") == "RSK-007"
    light.page.locator('svg a[data-risk-id="RSK-001"]').click()
    light.page.wait_for_load_state()
    assert light.page.url == f"{light.base}risk-register/RSK-001/"


def test_chart_file_is_in_the_site(light: Session) -> None:
    response = light.page.goto(light.base + "risk-register/risk-matrix.svg")
    assert response is not None and response.ok
    assert light.page.locator("a.risk-matrix-marker").count() == 13


# ---------------------------------------------------------------------------- the register table


def test_sort_by_score_both_ways(light: Session) -> None:
    light.open(REGISTER)
    header = light.page.locator("table[data-risk-register-table] th", has_text="Score")
    header.locator("button").click()
    ascending = [row.id for row in sorted(ROWS, key=lambda r: (r.score, _natural(r.id)))]
    assert light.visible_ids() == ascending
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    # Highest first, ties in id order: the ranking of the register (RSK-001 ... RSK-005 lead, as in the top 5).
    descending = [row.id for row in sorted(ROWS, key=lambda r: (-r.score, _natural(r.id)))]
    assert light.visible_ids() == descending
    assert descending[:5] == ["RSK-001", "RSK-002", "RSK-003", "RSK-004", "RSK-005"]
    assert header.get_attribute("aria-sort") == "descending"


def test_sort_by_id_and_by_level(light: Session) -> None:
    light.open(REGISTER)
    table = light.page.locator("table[data-risk-register-table]")
    table.locator("th", has_text="ID").locator("button").click()
    table.locator("th", has_text="ID").locator("button").click()
    assert light.visible_ids() == [row.id for row in reversed(ROWS)]
    table.locator("th", has_text="Prob").locator("button").click()
    level = {"Low": 1, "Medium": 2, "High": 3}
    assert light.visible_ids() == [row.id for row in sorted(ROWS, key=lambda r: (level[r.probability], _natural(r.id)))]


FILTER_CASES = [
    {"status": "Open"},
    {"category": "Technical"},
    {"band": "Proactive"},
    {"owner": "Product Team"},
    {"category": "Technical", "owner": "Data Team"},
    {"category": "Schedule", "band": "Urgent"},
]


def _band_of(score: int) -> str:
    """The reference's bands: 7-9 urgent, 4-6 proactive, 1-3 accept."""
    return "Urgent" if score >= 7 else "Proactive" if score >= 4 else "Accept"


def _expected_rows(chosen: dict[str, str]) -> list[str]:
    return [
        row.id
        for row in ROWS
        if chosen.get("status", row.status) == row.status
        and chosen.get("category", row.category) == row.category
        and chosen.get("band", _band_of(row.score)) == _band_of(row.score)
        and ("owner" not in chosen or chosen["owner"] in row.owner.split(", "))
    ]


def test_filters_by_status_category_band_and_owner(light: Session) -> None:
    # Worked out by hand from the reference table, to anchor the helper above.
    assert _expected_rows({"category": "Technical", "owner": "Data Team"}) == ["RSK-002", "RSK-004"]
    assert _expected_rows({"owner": "Product Team"}) == ["RSK-005", "RSK-013"]
    light.open(REGISTER)
    for chosen in FILTER_CASES:
        for name, value in chosen.items():
            light.page.select_option(f'select[data-filter="{name}"]', value)
        expected = _expected_rows(chosen)
        assert expected, chosen  # every case keeps some rows, so an empty table cannot pass
        assert light.visible_ids() == expected, chosen
        count = light.page.locator(".risk-register-count").text_content()
        assert count == f"{len(expected)} of 13 risks shown"
        light.page.click("[data-filter-reset]")
        assert len(light.visible_ids()) == 13


def test_filters_that_leave_no_risk_say_so_in_the_table(light: Session) -> None:
    chosen = {"band": "Proactive", "owner": "Data Team"}
    assert _expected_rows(chosen) == []  # Data Team owns RSK-001, -002, -004 and -013: all Urgent (7 to 9)
    light.open(REGISTER)
    empty = light.page.locator("table[data-risk-register-table] .risk-register-empty")
    assert not empty.is_visible()
    for name, value in chosen.items():
        light.page.select_option(f'select[data-filter="{name}"]', value)
    assert empty.is_visible()
    assert empty.text_content() == "No risk matches these filters."
    assert light.page.locator(".risk-register-count").text_content() == "0 of 13 risks shown"
    light.page.click("[data-filter-reset]")
    assert not empty.is_visible()
    assert len(light.visible_ids()) == 13


def test_filter_choices_come_from_the_register(light: Session) -> None:
    light.open(REGISTER)
    owners = light.page.eval_on_selector_all('select[data-filter="owner"] option', "os => os.map(o => o.value)")
    expected = sorted({name for row in ROWS for name in row.owner.split(", ")})
    assert owners == ["", *expected]
    bands = light.page.eval_on_selector_all('select[data-filter="band"] option', "os => os.map(o => o.value)")
    assert bands == ["", "Urgent", "Proactive"]  # no reference risk scores 1-3


def test_an_embedded_table_sorts_and_filters_on_another_page(light: Session) -> None:
    # The example's Technical risks, by hand from risks/: 002 (8, Data Team), 003 (8, Platform Team),
    # 004 (7, Data Team), 006 (6, Backend Team), 007 (7, Backend Team), 008 (6, Backend Team),
    # 011 (4, Platform Team), 012 (4, Frontend Team).
    light.open(EMBED_PAGE)
    view = light.page.locator(".risk-register-view.risk-table")
    assert view.count() == 1
    table = view.locator("table[data-risk-register-table]")

    def shown() -> list[str]:
        return table.evaluate(
            "t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden && r.cells.length > 1)"
            ".map(r => r.cells[0].textContent.trim())"
        )

    assert shown() == ["RSK-002", "RSK-003", "RSK-004", "RSK-006", "RSK-007", "RSK-008", "RSK-011", "RSK-012"]
    score = table.locator("th", has_text="Score")
    score.locator("button").click()  # ascending; ties keep the register order
    assert shown() == ["RSK-011", "RSK-012", "RSK-006", "RSK-008", "RSK-004", "RSK-007", "RSK-002", "RSK-003"]
    score.locator("button").click()
    assert shown() == ["RSK-002", "RSK-003", "RSK-004", "RSK-007", "RSK-006", "RSK-008", "RSK-011", "RSK-012"]
    light.page.locator('.risk-register-tools select[data-filter="owner"]').select_option("Backend Team")
    assert shown() == ["RSK-007", "RSK-006", "RSK-008"]  # still by score, highest first
    assert light.page.locator(".risk-register-count").text_content() == "3 of 8 risks shown"
    # The ids link to the risk pages, from this page one folder down.
    table.locator("a", has_text="RSK-007").click()
    light.page.wait_for_url("**/risk-register/RSK-007/")
    assert "Third-party API failures" in light.page.locator("h1").text_content()


def test_the_table_script_speaks_the_language_of_the_page(browser: Browser, labelled_site_url: str) -> None:
    for session in _session(browser, labelled_site_url, color_scheme="light"):
        page = session.page
        session.open(REGISTER)
        tools = page.locator(".risk-register-tools")
        assert tools.get_attribute("aria-label") == "Register filtern"
        names = tools.locator("label").evaluate_all("ls => ls.map(l => l.firstChild.textContent.trim())")
        assert names == ["Zustand", "Kategorie", "Stufe", "Verantwortlich"]
        options = page.eval_on_selector_all('select[data-filter="status"] option', "os => os.map(o => o.text)")
        open_rows = sum(1 for row in ROWS if row.status == "Open")
        assert options[0] == "Alle" and f"Open – {open_rows}" in options
        assert page.locator("[data-filter-reset]").text_content() == "Alle zeigen"
        assert page.locator(".risk-register-count").text_content() == "13 von 13 Risiken"  # 'other' for 13
        for name, value in {"band": "Proactive", "owner": "Data Team"}.items():  # no risk is both (see above)
            page.select_option(f'select[data-filter="{name}"]', value)
        empty = page.locator("table[data-risk-register-table] .risk-register-empty")
        assert empty.is_visible() and empty.text_content() == "Kein Risiko passt zu diesen Filtern."
        assert page.locator(".risk-register-count").text_content() == "0 von 13 Risiken"
        # A table of one risk: the plural form for one, as Intl.PluralRules chooses it for the page's language.
        session.open("one/")
        assert page.locator(".risk-register-count").text_content() == "1 von 1 Risiko"


def test_without_javascript_the_page_still_reads(browser: Browser, site_url: str) -> None:
    for session in _session(browser, site_url, java_script_enabled=False):
        session.open(REGISTER)
        assert session.page.locator("select[data-filter]").count() == 0
        assert session.page.locator("table[data-risk-register-table] tbody tr").count() == 13
        assert session.page.locator("figure.risk-matrix-figure svg a.risk-matrix-marker").count() == 13
        # The Mermaid source stays folded away instead of showing as raw text.
        assert not session.page.locator("pre.mermaid").is_visible()


def test_print_shows_the_chart_and_hides_the_table_tools(light: Session) -> None:
    light.open(REGISTER)
    light.page.emulate_media(media="print")
    assert light.page.locator("figure.risk-matrix-figure svg").is_visible()
    assert not light.page.locator(".risk-register-tools").is_visible()
    assert len(light.page.pdf()) > 1000


# ---------------------------------------------------------------------------- palettes and screenshots


def _luminance(css_color: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_palettes_and_screenshots(request: pytest.FixtureRequest, scheme: str) -> None:
    session: Session = request.getfixturevalue(scheme)
    session.open(REGISTER)
    palette = session.page.get_attribute("body", "data-md-color-scheme")
    assert palette == ("default" if scheme == "light" else "slate")
    # The chart draws in the page's text colour: dark on the light palette, light on the dark one.
    ink = session.page.evaluate("() => getComputedStyle(document.querySelector('svg.risk-matrix')).color")
    paper = session.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert abs(_luminance(ink) - _luminance(paper)) > 0.5, (ink, paper)
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / f"register-{scheme}.png"), full_page=True)
    session.page.locator("figure.risk-matrix-figure").screenshot(path=str(ARTIFACTS / f"matrix-{scheme}.png"))
    # The table's tools at work: Technical risks, highest score first.
    session.page.select_option('select[data-filter="category"]', "Technical")
    score = session.page.locator("table[data-risk-register-table] th", has_text="Score").locator("button")
    score.click()
    score.click()
    clip = session.page.evaluate(
        """() => {
        const tools = document.querySelector('.risk-register-tools').getBoundingClientRect();
        const table = document.querySelector('table[data-risk-register-table]').getBoundingClientRect();
        return {x: table.x + scrollX - 8, y: tools.y + scrollY - 8, width: Math.min(table.width, 1000) + 16,
                height: Math.min(table.bottom - tools.y, 560) + 16};
        }"""
    )
    session.page.screenshot(path=str(ARTIFACTS / f"table-{scheme}.png"), full_page=True, clip=clip)


def test_no_request_leaves_localhost(light: Session) -> None:
    for path in ("", REGISTER, "risk-register/top/", "risk-register/monitoring/", "risk-register/RSK-001/"):
        light.open(path)
        light.page.wait_for_load_state("networkidle")  # late requests too (search index, fonts, icons)
    assert light.outside == []


def test_material_instant_navigation(browser: Browser, instant_site_url: str) -> None:
    for session in _session(browser, instant_site_url):
        session.open("")
        session.page.click("nav a[href$='risk-register/']")
        session.page.wait_for_selector(".risk-register-tools")
        assert session.page.locator("figure.risk-matrix-figure svg a.risk-matrix-marker").count() == 13
        session.page.select_option('select[data-filter="band"]', "Proactive")
        assert session.visible_ids() == ["RSK-006", "RSK-008", "RSK-009", "RSK-011", "RSK-012"]
        session.page.locator('svg a[data-risk-id="RSK-011"] text').click()
        session.page.wait_for_url(f"{instant_site_url}risk-register/RSK-011/")
        assert (session.page.locator("h1").first.text_content() or "").startswith("RSK-011: ")


# ---------------------------------------------------------------------------- views in any page


def test_the_register_table_fits_1400_px_under_material(light: Session) -> None:
    light.page.set_viewport_size({"width": 1400, "height": 900})
    light.open(REGISTER)
    wrap = light.page.locator("table[data-risk-register-table]").locator("xpath=ancestor::div[2]")
    assert wrap.get_attribute("class") == "md-typeset__scrollwrap"
    # Material wraps each table in a scrolling box: nothing of the ten columns is beyond its edge.
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert light.page.evaluate("document.scrollingElement.scrollWidth") <= 1400


def _view_ids(session: Session, view: int) -> list[str]:
    return session.page.eval_on_selector_all(
        ".risk-register-view table[data-risk-register-table]",
        f"""tables => Array.from(tables[{view}].tBodies[0].rows)
            .filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())""",
    )


def test_an_embedded_table_sorts_and_filters(light: Session) -> None:
    light.open("embedding-views/")
    # The page's first view: Technical and Open (002 003 004 006 007 008 011 012), by score descending,
    # ties in register order, first five: 002 (8), 003 (8), 004 (7), 007 (7), 006 (6).
    assert _view_ids(light, 0) == ["RSK-002", "RSK-003", "RSK-004", "RSK-007", "RSK-006"]
    first = light.page.locator(".risk-register-view").first
    first.locator("th", has_text="Score").locator("button").click()
    assert _view_ids(light, 0) == ["RSK-006", "RSK-004", "RSK-007", "RSK-002", "RSK-003"]
    # Of those five, Data Team owns 002 and 004; the other views on the page keep all their rows.
    first.locator('select[data-filter="owner"]').select_option("Data Team")
    assert _view_ids(light, 0) == ["RSK-004", "RSK-002"]
    assert len(_view_ids(light, 1)) == 7  # min_score 7, max_score 8: the next view is untouched


def test_views_in_narrow_places_scroll_inside_themselves(light: Session) -> None:
    light.page.set_viewport_size({"width": 700, "height": 900})
    light.open("embedding-views/")
    # The page itself never scrolls sideways, whatever the views hold...
    assert light.page.evaluate("document.scrollingElement.scrollWidth") <= 700
    note = light.page.locator(".admonition.note .risk-register-view")
    # ... and the table in the admonition keeps readable cells: the risk's title is not a word per line.
    title = note.locator("tbody tr td").nth(1)
    assert title.evaluate("c => c.getBoundingClientRect().width") >= 120
    assert note.evaluate("v => v.getBoundingClientRect().right") <= 700
