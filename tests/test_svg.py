"""The build-time SVG risk matrix: markers, links, tooltips, and labels that never collide or leave the chart."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_risk_register.model import Model, model_from_settings
from mkdocs_risk_register.register import Register, load_register
from mkdocs_risk_register.views.site import SiteLayout
from mkdocs_risk_register.views.site_files import RenderOptions, generate_site
from mkdocs_risk_register.views.svg import matrix_figure, matrix_layout, render_svg, standalone_svg
from tests import reference
from tests.helpers import REPO, build, risk_file, write_project

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
LAYOUT = SiteLayout()
BUILD_DATE = dt.date(2026, 3, 1)
# Cells of the default 3 x 3 grid from the reference's scoring guide (impact row, then probability).
REFERENCE_SCORES = {
    ("High", "Low"): 7,
    ("High", "Medium"): 8,
    ("High", "High"): 9,
    ("Medium", "Low"): 4,
    ("Medium", "Medium"): 6,
    ("Medium", "High"): 7,
    ("Low", "Low"): 1,
    ("Low", "Medium"): 4,
    ("Low", "High"): 5,
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def inside(self, outer: Rect) -> bool:
        return (
            self.x >= outer.x
            and self.y >= outer.y
            and self.x + self.w <= outer.x + outer.w
            and self.y + self.h <= outer.y + outer.h
        )

    def holds(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


@dataclass(frozen=True)
class ParsedMarker:
    risk_id: str
    href: str
    tooltip: str
    label: str
    label_box: Rect
    cx: float
    cy: float
    r: float
    current: bool
    leader: bool
    reserved_box: Rect  # the transparent box drawn under the label, where its glyphs start and end


def example_register() -> Register:
    return load_register(REPO / "risks", model_from_settings({}), base_dir=REPO, build_date=BUILD_DATE)


def register_from(tmp_path: Path, files: dict[str, str], settings_: dict[str, object] | None = None) -> Register:
    root = write_project(tmp_path / "project", files)
    return load_register(root / "risks", model_from_settings(settings_ or {}), base_dir=root, build_date=BUILD_DATE)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.removeprefix('<?xml version="1.0" encoding="UTF-8"?>\n'))


def view_box(root: ET.Element) -> Rect:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return Rect(x, y, w, h)


def label_box(text: ET.Element) -> Rect:
    """The room a bold 12px label takes, worked out here from DejaVu Sans Bold (a wide font).

    Glyph advances in em: capitals up to 0.84 (M, W wider), digits 0.70, '-' 0.42; 1.17 em tall
    with the baseline 0.93 em below the top.
    """
    content = text.text or ""
    size = float(text.attrib.get("font-size", 12))
    width = (
        sum(
            1.1 if ch in "MW" else 0.84 if ch.isupper() else 0.70 if ch.isdigit() else 0.42 if ch == "-" else 0.75
            for ch in content
        )
        * size
    )
    baseline = float(text.attrib["y"])
    return Rect(float(text.attrib["x"]), baseline - 0.93 * size, width, 1.17 * size)


def reserved_box(link: ET.Element) -> Rect:
    rect = link.find("svg:rect", NS)
    assert rect is not None
    return Rect(*(float(rect.attrib[k]) for k in ("x", "y", "width", "height")))


def markers(root: ET.Element) -> list[ParsedMarker]:
    found = []
    for link in root.iter(f"{SVG}a"):
        if "risk-matrix-marker" not in link.attrib.get("class", ""):
            continue
        title = link.find("svg:title", NS)
        text = link.find("svg:text", NS)
        circle = link.find("svg:circle", NS)
        assert title is not None and text is not None and circle is not None
        found.append(
            ParsedMarker(
                link.attrib["data-risk-id"],
                link.attrib[XLINK_HREF],
                title.text or "",
                text.text or "",
                label_box(text),
                float(circle.attrib["cx"]),
                float(circle.attrib["cy"]),
                float(circle.attrib["r"]),
                link.attrib.get("aria-current") == "page",
                link.find("svg:line", NS) is not None,
                reserved_box(link),
            )
        )
    return found


def cell_rects(root: ET.Element) -> dict[str, Rect]:
    """Each cell's rectangle by its tooltip, such as 'Low probability, High impact: score 7 (Urgent)'."""
    cells = {}
    for group in root.iter(f"{SVG}g"):
        if group.attrib.get("class") == "risk-matrix-cell":
            title, rect = group.find("svg:title", NS), group.find("svg:rect", NS)
            assert title is not None and rect is not None
            name, count = (title.text or "").rsplit(", ", 1)  # "...: score 7 (Urgent)", "3 risks"
            assert re.fullmatch(r"\d+ risks?", count)
            cells[name] = Rect(*(float(rect.attrib[k]) for k in ("x", "y", "width", "height")))
    return cells


def assert_clean_layout(root: ET.Element) -> list[ParsedMarker]:
    """No label on another label or on a marker, markers apart, everything inside the viewBox."""
    found = markers(root)
    box = view_box(root)
    for marker in found:
        assert marker.label_box.inside(box), f"{marker.risk_id} label leaves the chart"
        assert Rect(marker.cx - marker.r, marker.cy - marker.r, 2 * marker.r, 2 * marker.r).inside(box)
    for a, b in itertools.combinations(found, 2):
        assert not a.label_box.overlaps(b.label_box), f"labels of {a.risk_id} and {b.risk_id} overlap"
        assert (a.cx - b.cx) ** 2 + (a.cy - b.cy) ** 2 >= (a.r + b.r) ** 2, f"{a.risk_id} hides {b.risk_id}"
        for label_of, marker in ((a, b), (b, a)):
            circle = Rect(marker.cx - marker.r, marker.cy - marker.r, 2 * marker.r, 2 * marker.r)
            assert not label_of.label_box.overlaps(circle), f"label {label_of.risk_id} covers {marker.risk_id}"
            # A label without a leader line that starts just right of another marker, level with it,
            # reads as that marker's (a label is read as belonging to the dot on its left).
            box = label_of.reserved_box
            level = box.y <= marker.cy <= box.y + box.h
            beside = 0 <= box.x - marker.cx <= 25
            assert label_of.leader or not (level and beside), f"label {label_of.risk_id} reads as {marker.risk_id}'s"
    return found


# ---------------------------------------------------------------------------- the example register


def test_example_matrix_has_thirteen_linked_markers_with_titles() -> None:
    register = example_register()
    root = parse(render_svg(matrix_layout(register.risks, register.model), lambda i: LAYOUT.risk_href("index", i)))
    found = assert_clean_layout(root)
    rows = {row.id: row for row in reference.register_rows()}
    assert [m.risk_id for m in found] == list(rows)
    for marker in found:
        assert marker.label == marker.risk_id
        assert marker.href == f"{marker.risk_id}/"
        row = rows[marker.risk_id]
        assert marker.tooltip.startswith(f"{row.id}: ")
        assert row.title.lower() in marker.tooltip.lower()
        assert f"score {row.score}," in marker.tooltip


def test_svg_has_title_desc_and_accessible_names() -> None:
    register = example_register()
    root = parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i))
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text == "Risk Matrix (Probability vs Impact)"
    assert children[1].tag == f"{SVG}desc"
    desc = children[1].text or ""
    assert "13 active risks" in desc
    # Urgent in the reference: scores 7-9.
    assert "Urgent: RSK-001, RSK-002, RSK-003, RSK-004, RSK-005, RSK-007, RSK-010, RSK-013." in desc
    assert root.attrib["aria-labelledby"] == children[0].attrib["id"]
    assert root.attrib["aria-describedby"] == children[1].attrib["id"]
    for link in root.iter(f"{SVG}a"):
        # The first child <title> is the link's accessible name (and its tooltip).
        assert next(iter(link)).tag == f"{SVG}title"
        assert (next(iter(link)).text or "").startswith(link.attrib["data-risk-id"] + ": ")


def test_cells_show_scores_axes_show_levels() -> None:
    register = example_register()
    root = parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i))
    cells = cell_rects(root)
    assert len(cells) == 9
    for (impact, probability), score in REFERENCE_SCORES.items():
        band = "Urgent" if score >= 7 else "Proactive" if score >= 4 else "Accept"
        assert f"{probability} probability, {impact} impact: score {score} ({band})" in cells
    for group in root.iter(f"{SVG}g"):
        if group.attrib.get("class") == "risk-matrix-cell":
            assert [t.text for t in group.iter(f"{SVG}text")] == [group.attrib["data-score"]]
    axes = next(g for g in root.iter(f"{SVG}g") if g.attrib.get("class") == "risk-matrix-axes")
    texts = [t.text for t in axes.iter(f"{SVG}text")]
    assert texts.count("Low") == 2 and texts.count("Medium") == 2 and texts.count("High") == 2
    assert "Probability →" in texts and "Impact →" in texts


def test_every_marker_sits_in_its_own_cell_even_when_chart_points_elsewhere() -> None:
    # RSK-004 (Low, High) has chart [0.40, 0.90]: x = 0.40 falls in the Medium column of a 3 x 3 grid;
    # RSK-005 (High, Medium) [0.65, 0.65] and RSK-012 (Medium, Low) [0.40, 0.40] do the same.
    register = example_register()
    root = parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i))
    cells = cell_rects(root)
    rows = {row.id: row for row in reference.register_rows()}
    for marker in markers(root):
        row = rows[marker.risk_id]
        name = f"{row.probability} probability, {row.impact} impact: score {row.score}"
        rect = next(rect for title, rect in cells.items() if title.startswith(name))
        assert rect.holds(marker.cx, marker.cy), f"{marker.risk_id} is outside its cell {name}"
        assert marker.label_box.inside(rect), f"{marker.risk_id}'s label leaves its cell"


def test_risk_page_chart_highlights_that_risk_with_links_from_its_page() -> None:
    register = example_register()
    layout = matrix_layout(register.risks, register.model)
    root = parse(render_svg(layout, lambda i: LAYOUT.risk_href("RSK-005", i), highlight="RSK-005"))
    found = markers(root)
    assert [m.risk_id for m in found if m.current] == ["RSK-005"]
    current = next(m for m in found if m.current)
    assert current.r > max(m.r for m in found if not m.current)
    assert {m.href for m in found} == {f"../RSK-{n:03d}/" for n in range(1, 14)}
    outline = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("class") == "risk-matrix-current-cell"]
    assert len(outline) == 1
    cell = cell_rects(root)["High probability, Medium impact: score 7 (Urgent)"]
    x, y = float(outline[0].attrib["x"]), float(outline[0].attrib["y"])
    assert cell.holds(x, y)
    assert "Highlighted: RSK-005" in (root.find("svg:desc", NS).text or "")  # type: ignore[union-attr]


def test_links_without_directory_urls() -> None:
    register = example_register()
    flat = SiteLayout("risk-register", use_directory_urls=False)
    layout = matrix_layout(register.risks, register.model)
    on_index = markers(parse(render_svg(layout, lambda i: flat.risk_href("index", i))))
    on_risk = markers(parse(render_svg(layout, lambda i: flat.risk_href("RSK-002", i))))
    assert on_index[0].href == "RSK-001.html"
    assert on_risk[0].href == "RSK-001.html"


def test_layout_is_deterministic_and_independent_of_file_order(tmp_path: Path) -> None:
    register = example_register()
    first = render_svg(matrix_layout(register.risks, register.model), lambda i: i)
    again = render_svg(matrix_layout(tuple(reversed(register.risks)), register.model), lambda i: i)
    assert first == again


# ---------------------------------------------------------------------------- crowded cells


def crowded(tmp_path: Path, count: int, **fields: object) -> Register:
    files = {
        f"RSK-{n:03d}.md": risk_file(f"RSK-{n:03d}", title=f"Crowded risk {n}", **fields) for n in range(1, count + 1)
    }
    return register_from(tmp_path, files)


@pytest.mark.parametrize("fields", [{}, {"chart": [0.9, 0.9]}], ids=["no-chart", "same-chart"])
def test_sixty_risks_in_one_cell_stay_apart_and_inside(tmp_path: Path, fields: dict[str, object]) -> None:
    register = crowded(tmp_path, 60, **fields)
    root = parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i))
    found = assert_clean_layout(root)
    assert len(found) == 60
    assert len({m.href for m in found}) == 60
    cell = cell_rects(root)["High probability, High impact: score 9 (Urgent)"]
    for marker in found:
        assert marker.label_box.inside(cell)


def test_sixty_crowded_risks_beside_the_example_register(tmp_path: Path) -> None:
    files = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "risks").glob("*.md")}
    files.update(
        {f"RSK-{n:03d}.md": risk_file(f"RSK-{n:03d}", probability="Medium", impact="Medium") for n in range(100, 160)}
    )
    register = register_from(tmp_path, files)
    found = assert_clean_layout(parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i)))
    assert len(found) == 73


def test_two_risks_on_the_same_chart_point_are_both_visible(tmp_path: Path) -> None:
    register = crowded(tmp_path, 2, chart=[0.5, 0.5], probability="Medium", impact="Medium")
    found = assert_clean_layout(parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i)))
    assert len(found) == 2


def test_inactive_risks_are_not_on_the_chart(tmp_path: Path) -> None:
    register = register_from(tmp_path, {"A-1.md": risk_file("A-1"), "A-2.md": risk_file("A-2", status="Closed")})
    layout = matrix_layout(register.risks, register.model)
    assert [m.risk_id for m in markers(parse(render_svg(layout, lambda i: i)))] == ["A-1"]
    figure = matrix_figure(layout, lambda i: i, highlight="A-2")
    assert "A-2 is not on the chart" in figure


def first_svg(page: str) -> str:
    return page[page.index("<svg") : page.index("</svg>") + 6]


def cell_texts(root: ET.Element, *scores: str) -> dict[str, list[str | None]]:
    """The texts (score, then count) of the cells with these scores, by score."""
    return {
        group.attrib["data-score"]: [t.text for t in group.iter(f"{SVG}text")]
        for group in root.iter(f"{SVG}g")
        if group.attrib.get("class") == "risk-matrix-cell" and group.attrib["data-score"] in scores
    }


def test_the_register_page_of_a_very_large_register_counts_each_cell(tmp_path: Path) -> None:
    # 501 active risks: 300 at High x High (score 9), 201 at Medium x Medium (score 6); 5 closed ones count nowhere.
    files = {f"E-{n}.md": risk_file(f"E-{n}") for n in range(1, 301)}
    files.update({f"F-{n}.md": risk_file(f"F-{n}", probability="Medium", impact="Medium") for n in range(1, 202)})
    files.update({f"G-{n}.md": risk_file(f"G-{n}", status="Closed") for n in range(1, 6)})
    site = generate_site(register_from(tmp_path, files), LAYOUT)
    page = site.pages["risk-register/index.md"]
    root = parse(first_svg(page))
    assert markers(root) == []  # no dot per risk on the page...
    assert cell_texts(root, "9", "6", "1") == {"9": ["9", "300 risks"], "6": ["6", "201 risks"], "1": ["1", "0 risks"]}
    assert "501 active risks" in (root.find("svg:desc", NS).text or "")  # type: ignore[union-attr]
    assert "the register table below lists all 501." in page
    assert "Download the chart with every risk as SVG" in page
    text = page[page.index('<details class="risk-matrix-text">') :]
    assert "<li>High probability, High impact: score 9 (Urgent): 300 risks</li>" in text
    assert "<li>Medium probability, Medium impact: score 6 (Proactive): 201 risks</li>" in text
    assert page.count('data-risk-id="') == 0 and "/// risk-table\n///" in page  # ...but every risk in the table
    # ...and in the file, for slides.
    assert len(markers(parse(site.pages["risk-register/risk-matrix.svg"].split("\n", 1)[1]))) == 501
    # The folded Mermaid chart (a point per risk) is left out, with a note; asked for, it is drawn.
    assert '<pre class="mermaid">' not in page and "Mermaid quadrant chart is left out above 500" in page
    mermaid_only = generate_site(site.register, LAYOUT, RenderOptions(chart_format="mermaid"))
    chart = mermaid_only.pages["risk-register/index.md"]
    code = chart[chart.index('<pre class="mermaid">') : chart.index("</pre>")]
    assert len(re.findall(r"^ +[EF]-\d+: \[", code, flags=re.MULTILINE)) == 501


def test_risk_pages_of_a_large_register_draw_their_risk_alone_and_count_the_rest(tmp_path: Path) -> None:
    files = {f"B-{n}.md": risk_file(f"B-{n}") for n in range(1, 101)}  # High, High: 100 risks
    files.update({f"C-{n}.md": risk_file(f"C-{n}", probability="Low", impact="Low") for n in range(1, 51)})
    files["D-1.md"] = risk_file("D-1", probability="Low", impact="Low", status="Closed")
    site = generate_site(register_from(tmp_path, files), LAYOUT)
    page = site.risk_page_chart("risk-register/C-7.md")  # the chart the page's card shows
    root = parse(first_svg(page))
    assert [(m.risk_id, m.href, m.current) for m in markers(root)] == [("C-7", "../C-7/", True)]
    assert cell_texts(root, "1", "9", "5") == {"9": ["9", "100 risks"], "1": ["1", "50 risks"], "5": ["5", "0 risks"]}
    assert "150 active risks" in (root.find("svg:desc", NS).text or "")  # type: ignore[union-attr]
    assert 'Each cell counts its active risks; <a href="../">the register</a> lists all 150.' in page
    closed = site.risk_page_chart("risk-register/D-1.md")
    assert "D-1 is not on the chart" in closed
    assert markers(parse(first_svg(closed))) == []
    # The register page still draws every active risk.
    register_page = site.pages["risk-register/index.md"]
    assert register_page.count('class="risk-matrix-marker"') == 150


# ---------------------------------------------------------------------------- text and safety


def test_hostile_text_is_escaped_and_the_svg_stays_well_formed(tmp_path: Path) -> None:
    title = 'Bad <script>alert("x")</script> & co'
    register = register_from(
        tmp_path,
        {"X-1.md": risk_file("X-1", title=title)},
        {
            "chart": {"title": 'Risks <b>&</b> "more"'},
            # A colour like '#c00" onload="alert(1)' is a config-error now (test_scales.py).
            "bands": [{"name": "Hot <i>", "min": 5, "color": "#c00"}, {"name": "Cool", "min": 1}],
        },
    )
    layout = matrix_layout(register.risks, register.model)
    svg = render_svg(layout, lambda i: f"{i}/?a=1&b=2")
    root = parse(svg)  # well-formed XML despite the text
    assert "<script>" not in svg and "<b>" not in svg and 'onload="' not in svg
    assert root.find("svg:title", NS).text == 'Risks <b>&</b> "more"'  # type: ignore[union-attr]
    (marker,) = markers(root)
    assert marker.href == "X-1/?a=1&b=2"
    assert 'Bad <script>alert("x")</script> & co' in marker.tooltip


def test_long_ids_are_shortened_in_labels_and_kept_in_tooltips(tmp_path: Path) -> None:
    long_id = "SECURITY" + "X" * 40 + "-1"
    register = register_from(tmp_path, {"a.md": risk_file(long_id)}, {"id_pattern": "^[A-Z]+-[0-9]+$"})
    (marker,) = assert_clean_layout(parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i)))
    assert marker.label.endswith("…") and len(marker.label) <= 24
    assert marker.tooltip.startswith(long_id + ": ")


def test_figure_is_one_markdown_html_block_with_a_text_alternative() -> None:
    register = example_register()
    layout = matrix_layout(register.risks, register.model)
    figure = matrix_figure(layout, lambda i: LAYOUT.risk_href("index", i), file_href="risk-matrix.svg")
    assert "\n\n" not in figure
    assert figure.startswith('<figure class="risk-matrix-figure"')
    text = figure[figure.index("<details") :]
    # Every active risk is reachable from the text too, grouped by cell, highest score first.
    assert re.findall(r'<a href="(RSK-\d+)/"', text) == [
        "RSK-001",
        "RSK-002",
        "RSK-003",
        "RSK-004",
        "RSK-007",
        "RSK-013",
        "RSK-005",
        "RSK-010",
        "RSK-006",
        "RSK-008",
        "RSK-009",
        "RSK-011",
        "RSK-012",
    ]
    assert '<a href="risk-matrix.svg" download>' in figure


def test_standalone_file_has_its_own_background_and_links_from_the_prefix_folder() -> None:
    register = example_register()
    svg = standalone_svg(matrix_layout(register.risks, register.model), lambda i: LAYOUT.risk_href("index", i))
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    root = parse(svg)
    first_rect = next(root.iter(f"{SVG}rect"))
    assert first_rect.attrib["fill"] == "#ffffff"
    assert float(first_rect.attrib["width"]) == view_box(root).w
    assert {m.href for m in markers(root)} == {f"RSK-{n:03d}/" for n in range(1, 14)}


# ---------------------------------------------------------------------------- any register


LEVELS = ["Low", "Medium", "High"]
FIVE = [{"name": n} for n in ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")]
# Scores 1 to 25 need bands of their own (the default bands are for 1 to 9).
FIVE_BY_FIVE = {
    "probability": FIVE,
    "impact": FIVE,
    "scoring": "product",
    "bands": [{"name": "High", "min": 12}, {"name": "Medium", "min": 5}, {"name": "Low", "min": 1}],
}


@st.composite
def registers(draw: st.DrawFn) -> tuple[Model, list[tuple[str, str, str, list[float] | None]]]:
    five = draw(st.booleans())
    model = model_from_settings(FIVE_BY_FIVE if five else {})
    names = [level.name for level in model.probability.levels]
    count = draw(st.integers(1, 40))
    width = draw(st.integers(1, 12))
    risks = []
    for n in range(count):
        chart = draw(st.one_of(st.none(), st.lists(st.floats(0, 1), min_size=2, max_size=2)))
        risks.append(
            (
                f"R{'W' * draw(st.integers(0, width))}-{n}",
                draw(st.sampled_from(names)),
                draw(st.sampled_from(names)),
                chart,
            )
        )
    return model, risks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=registers())
def test_any_register_lays_out_cleanly(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[Model, list[tuple[str, str, str, list[float] | None]]]
) -> None:
    model, specs = case
    tmp = tmp_path_factory.mktemp("any")
    files = {f"{rid}.md": risk_file(rid, probability=p, impact=i, chart=chart) for rid, p, i, chart in specs}
    settings_ = FIVE_BY_FIVE if len(model.probability.levels) == 5 else {}
    register = register_from(tmp, files, {**settings_, "id_pattern": "^R[A-Z]*-[0-9]+$"})
    assert len(register.risks) == len(specs), register.problems
    found = assert_clean_layout(parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i)))
    assert sorted(m.risk_id for m in found) == sorted(rid for rid, *_ in specs)


# Found by test_any_register_lays_out_cleanly in CI: RWW-9's label (High/Medium) started just right of
# R-7's dot at the right edge of the Medium/Medium cell, level with it, so it read as R-7's.
NEIGHBOUR_CASE = [
    ("R-0", "Low", "Low", None),
    ("R-1", "Low", "Low", None),
    ("R-2", "Low", "Low", None),
    ("R-3", "Low", "Low", None),
    ("R-4", "Low", "Low", None),
    ("R-5", "Low", "Low", None),
    ("R-6", "Low", "Low", None),
    ("R-7", "Medium", "Medium", [1.0, 0.0]),
    ("R-8", "Low", "Low", None),
    ("RWW-9", "High", "Medium", None),
    ("RWW-10", "High", "Medium", None),
    ("R-11", "Low", "Low", None),
    ("R-12", "Low", "Low", None),
    ("R-13", "High", "Medium", None),
    ("R-14", "Low", "Low", None),
    ("R-15", "Low", "Low", None),
    ("R-16", "High", "Medium", None),
    ("R-17", "Low", "Low", None),
    ("R-18", "Low", "Low", None),
    ("R-19", "Low", "Low", None),
    ("R-20", "Low", "Low", None),
    ("R-21", "Low", "Low", None),
    ("R-22", "Low", "Low", None),
    ("R-23", "Low", "Low", None),
    ("R-24", "Low", "Low", None),
    ("R-25", "Low", "Low", None),
    ("R-26", "Low", "Low", None),
    ("R-27", "Low", "Low", None),
    ("R-28", "High", "Medium", None),
    ("R-29", "High", "Medium", [0.0, 1.0]),
]


def test_a_label_never_reads_as_a_marker_of_the_cell_to_its_left(tmp_path: Path) -> None:
    files = {f"{rid}.md": risk_file(rid, probability=p, impact=i, chart=chart) for rid, p, i, chart in NEIGHBOUR_CASE}
    register = register_from(tmp_path, files, {"id_pattern": "^R[A-Z]*-[0-9]+$"})
    assert len(register.risks) == len(NEIGHBOUR_CASE), register.problems
    found = assert_clean_layout(parse(render_svg(matrix_layout(register.risks, register.model), lambda i: i)))
    assert sorted(m.risk_id for m in found) == sorted(rid for rid, *_ in NEIGHBOUR_CASE)


# ---------------------------------------------------------------------------- in a built site


def test_built_site_has_the_chart_file_inline_charts_and_assets(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"A-1.md": risk_file("A-1"), "A-2.md": risk_file("A-2", impact="Low")})
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    standalone = parse((built.site / "risk-register" / "risk-matrix.svg").read_text(encoding="utf-8"))
    assert [m.href for m in markers(standalone)] == ["A-1/", "A-2/"]
    page = built.page("risk-register/")
    assert page.count("<svg") == 1 and "quadrantChart" in page
    assert '<details class="risk-matrix-mermaid">' in page
    risk_page = built.page("risk-register/A-2/")
    svg = risk_page[risk_page.index("<svg") : risk_page.index("</svg>") + 6]
    assert [(m.risk_id, m.href, m.current) for m in markers(parse(svg))] == [
        ("A-1", "../A-1/", False),
        ("A-2", "../A-2/", True),
    ]
    assert "quadrantChart" not in risk_page
    for asset in ("risk-register.js", "risk-register.css"):
        assert (built.site / "risk-register" / "assets" / asset).is_file()
    assert '<script src="../assets/risk-register.js"></script>' in risk_page
    assert 'href="../assets/risk-register.css"' in risk_page


@pytest.mark.parametrize(("chart_format", "svg", "mermaid"), [("svg", True, False), ("mermaid", False, True)])
def test_chart_format_setting(tmp_path: Path, chart_format: str, svg: bool, mermaid: bool) -> None:
    root = write_project(tmp_path, {"A-1.md": risk_file("A-1")}, {"chart_format": chart_format})
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    page = built.page("risk-register/")
    assert ("<svg" in page) is svg
    assert ('<pre class="mermaid">' in page) is mermaid
    assert '<details class="risk-matrix-mermaid">' not in page
    assert ("<svg" in built.page("risk-register/A-1/")) is svg
    assert (built.site / "risk-register" / "risk-matrix.svg").is_file()


def test_unknown_chart_format_is_a_config_error(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"A-1.md": risk_file("A-1")}, {"chart_format": "png"})
    built = build(root)
    assert built.returncode != 0
    assert "chart_format" in built.log and "png" in built.log
    assert "Traceback" not in built.log


def test_chart_links_and_assets_follow_prefix_and_flat_urls(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"A-1.md": risk_file("A-1")}, {"prefix": "/reg/", "chart_format": "svg"}, use_directory_urls=False
    )
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    standalone = parse((built.site / "reg" / "risk-matrix.svg").read_text(encoding="utf-8"))
    assert [m.href for m in markers(standalone)] == ["A-1.html"]
    register_page = (built.site / "reg" / "index.html").read_text(encoding="utf-8")
    assert '<a href="risk-matrix.svg" download>' in register_page
    page = (built.site / "reg" / "A-1.html").read_text(encoding="utf-8")
    assert [m.href for m in markers(parse(page[page.index("<svg") : page.index("</svg>") + 6]))] == ["A-1.html"]
    assert '<script src="assets/risk-register.js"></script>' in page
    assert (built.site / "reg" / "assets" / "risk-register.css").is_file()
