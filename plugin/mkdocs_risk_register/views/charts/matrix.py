"""The risk matrix as a build-time SVG: no JavaScript, readable offline, in print and in dark mode.

The probability x impact grid has one cell per pair of levels, tinted with the
band of its score. Every active risk is a marker, labelled with its id, that
links to its page. Positions come from ``chart`` (kept inside the risk's own
cell, so a marker never sits on a score that is not its own) or from the
level cell. Labels are laid out at build time: each label takes the first
free spot around its marker (not one level with, and just beside, another
marker), then a spot further out with a leader line; a
cell whose markers or labels cannot all be placed without overlap lists its
risks as a packed grid instead, and grows to hold them. Text widths are
estimated from character counts with wide, bold metrics (geometry.py), so that real fonts
render narrower than the boxes the layout reserved.

The layout (:func:`matrix_layout`) does not depend on the page, so it is
computed once per site; :func:`render_svg` adds links and the highlight of
one page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import Band, Level, Model
from ...naming import natural_key
from ...risk import Risk
from ...words import Words, english
from ..chart import chart_points, lone_position
from ..mermaid import chart_title
from ..text import RIGHT_ARROW, escape, html_words, narrow, one_line, plain_text
from .geometry import ASCENT, FONT_FAMILY, LINE, SVG_NS, XLINK_NS, Box, text_height, text_width
from .geometry import circle_box as _circle_box
from .geometry import nearest_point as _nearest_point
from .geometry import num as _num
from .geometry import segment_hits as _segment_hits

LABEL_SIZE = 12.0
SCORE_SIZE = 12.0
AXIS_SIZE = 13.0
TITLE_SIZE = 15.0
MARKER_R = 6.0
HIGHLIGHT_R = 9.0
"""The layout reserves the highlighted size for every marker, so one layout serves every page."""
PAD = 6.0  # inside a cell
GAP = 2.0  # between any two boxes
MAX_LABEL_CHARS = 24
FREE_LIMIT = 12
"""Cells holding more risks than this are packed grids: free labels would be a puzzle to read."""


def short_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Marker:
    risk: Risk
    cx: float
    cy: float
    text: str
    label: Box
    leader: bool
    """True when the label sits away from the marker and a line joins them."""


@dataclass(frozen=True)
class Cell:
    probability: Level
    impact: Level
    score: int
    band: Band
    box: Box
    score_box: Box
    packed: bool
    count: int
    """Active risks in the cell (all of them, in a compact chart too)."""
    count_box: Box | None = None
    """Where a compact chart writes the count."""


@dataclass(frozen=True)
class MatrixLayout:
    model: Model
    title: str
    width: float
    height: float
    grid: Box
    columns: tuple[float, ...]
    """Left edge of each probability column, lowest level first, then the grid's right edge."""
    rows: tuple[float, ...]
    """Top edge of each impact row, highest level first, then the grid's bottom edge."""
    cells: tuple[Cell, ...]
    markers: tuple[Marker, ...]
    legend: tuple[tuple[Band, str, Box], ...]
    """Each band with its score range and the box of its legend entry."""
    label_rows: tuple[float, float]
    """Baselines of the x-axis level names and of the x-axis title."""
    compact: bool = False
    """Only some risks are drawn; each cell writes how many active risks it holds."""
    words: Words = field(default_factory=english)
    """The chart's words (title, axes, legend, description) in the site's language."""

    def marker(self, risk_id: str) -> Marker | None:
        return next((m for m in self.markers if m.risk.id == risk_id), None)

    @property
    def counts(self) -> dict[tuple[int, int], int]:
        """Active risks per (probability, impact) cell."""
        return {(c.probability.value, c.impact.value): c.count for c in self.cells}

    @property
    def active_count(self) -> int:
        return sum(c.count for c in self.cells)


@dataclass
class _Slot:
    """A risk waiting for a place: its id label and its position in the cell (0..1, y up)."""

    risk: Risk
    text: str
    u: float
    v: float


def _score_range(model: Model, index: int, words: Words) -> str:
    scores = model.band_scores(index)
    if scores is None:
        return words("chart.legend.no_score")
    low, high = scores
    return str(low) if low == high else f"{low}–{high}"


def _cell_slots(risks: Sequence[Risk], model: Model) -> dict[tuple[int, int], list[_Slot]]:
    """Active risks by cell, with positions from ``chart`` (clamped into the cell) or the cell's grid."""
    cells: dict[tuple[int, int], list[_Slot]] = {}
    for point in chart_points(list(risks), model):
        risk = point.risk
        cells.setdefault((risk.probability.value, risk.impact.value), []).append(_slot(risk, point.x, point.y, model))
    return cells


def _slot(risk: Risk, x: float, y: float, model: Model) -> _Slot:
    """A risk at chart position (x, y), as a position inside its own cell."""
    p, i = risk.probability.value, risk.impact.value
    u = min(max(x * len(model.probability.levels) - (p - 1), 0.0), 1.0)
    v = min(max(y * len(model.impact.levels) - (i - 1), 0.0), 1.0)
    return _Slot(risk, short_label(risk.id), u, v)


def _chip_size(slots: Sequence[_Slot]) -> tuple[float, float]:
    label_w = max(text_width(s.text, LABEL_SIZE) for s in slots)
    return 2 * HIGHLIGHT_R + 4 + label_w + 6, max(text_height(LABEL_SIZE), 2 * HIGHLIGHT_R) + 4


def _packed_size(slots: Sequence[_Slot], base_width: float, header: float) -> tuple[float, float]:
    """The size a packed cell asks for: about as many chip columns as rows, at least what fits the base width."""
    chip_w, chip_h = _chip_size(slots)
    fits = int((base_width - 2 * PAD) // chip_w)
    cols = max(1, min(len(slots), max(fits, math.ceil(math.sqrt(len(slots) * chip_h / chip_w)))))
    rows = math.ceil(len(slots) / cols)
    return cols * chip_w + 2 * PAD, header + rows * chip_h + 2 * PAD


def _pack(slots: Sequence[_Slot], box: Box, header: float) -> list[Marker]:
    chip_w, chip_h = _chip_size(slots)
    cols = max(1, min(len(slots), int((box.w - 2 * PAD) // chip_w)))
    markers = []
    for index, slot in enumerate(slots):
        col, row = index % cols, index // cols
        x = box.x + PAD + col * chip_w
        y = box.y + PAD + header + row * chip_h
        cy = y + chip_h / 2
        label_h = text_height(LABEL_SIZE)
        label = Box(x + 2 * HIGHLIGHT_R + 4, cy - label_h / 2, text_width(slot.text, LABEL_SIZE), label_h)
        markers.append(Marker(slot.risk, x + HIGHLIGHT_R, cy, slot.text, label, leader=False))
    return markers


def _spread(points: list[list[float]], area: Box, distance: float) -> bool:
    """Push overlapping markers apart inside ``area``; True when none overlap any more."""
    for _ in range(60):
        moved = False
        for a in range(len(points)):
            for b in range(a + 1, len(points)):
                (xa, ya), (xb, yb) = points[a], points[b]
                dx, dy = xb - xa, yb - ya
                gap = math.hypot(dx, dy)
                if gap >= distance:
                    continue
                moved = True
                if gap < 1e-9:  # same spot: separate along a fixed diagonal, the later risk down-right
                    dx, dy, gap = 1.0, 1.0, math.sqrt(2)
                push = (distance - gap) / 2 + 0.5
                ux, uy = dx / gap * push, dy / gap * push
                points[a] = [xa - ux, ya - uy]
                points[b] = [xb + ux, yb + uy]
        for point in points:
            point[0] = min(max(point[0], area.x), area.right)
            point[1] = min(max(point[1], area.y), area.bottom)
        if not moved:
            return True
    return all(
        math.hypot(points[a][0] - points[b][0], points[a][1] - points[b][1]) >= distance - 1e-6
        for a in range(len(points))
        for b in range(a + 1, len(points))
    )


_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))


def _candidates(cx: float, cy: float, w: float, h: float) -> Iterator[tuple[Box, bool]]:
    """Label boxes around a marker, nearest first; the further rings need a leader line."""
    for ring, distance in enumerate((HIGHLIGHT_R + 3, HIGHLIGHT_R + 16, HIGHLIGHT_R + 30, HIGHLIGHT_R + 46)):
        for dx, dy in _DIRECTIONS:
            d = distance * (0.75 if dx and dy else 1.0)
            x = cx + d if dx > 0 else cx - d - w if dx < 0 else cx - w / 2
            y = cy + d if dy > 0 else cy - d - h if dy < 0 else cy - h / 2
            yield Box(x, y, w, h), ring > 0


def _beside_another(
    label: Box, own: int, points: Sequence[Sequence[float]], placed: Sequence[tuple[float, float]]
) -> bool:
    """Whether ``label`` sits where another marker's own label would: level with that marker and
    just to its right or left, so that a reader would take it for that marker's."""
    reach = HIGHLIGHT_R + 16 + GAP  # out to the second ring of label spots
    return any(
        index != own and label.y <= y <= label.bottom and (0 <= label.x - x <= reach or 0 <= x - label.right <= reach)
        for index, (x, y) in enumerate([*points, *placed])
    )


def _free(
    slots: Sequence[_Slot], box: Box, fixed: Sequence[Box], header: float, placed: Sequence[tuple[float, float]] = ()
) -> list[Marker] | None:
    """Markers at their positions with labels beside them, or None when they cannot all be placed cleanly.

    ``placed``: the centres of markers already placed in other cells; a label near the cell's edge
    must not read as one of theirs either."""
    inset = HIGHLIGHT_R + 2
    area = Box(box.x + inset, box.y + header + inset, box.w - 2 * inset, box.h - header - 2 * inset)
    if area.w <= 0 or area.h <= 0:
        return None
    points = [[area.x + s.u * area.w, area.y + (1 - s.v) * area.h] for s in slots]
    if not _spread(points, area, 2 * HIGHLIGHT_R + GAP):
        return None
    bounds = box.shrink(GAP)
    circles = [_circle_box(x, y, HIGHLIGHT_R + 1) for x, y in points]
    obstacles: list[Box] = [*fixed, *circles]
    leaders: list[tuple[float, float, float, float]] = []
    markers = []
    for index, slot in enumerate(slots):
        cx, cy = points[index]
        w, h = text_width(slot.text, LABEL_SIZE), text_height(LABEL_SIZE)
        for label, leader in _candidates(cx, cy, w, h):
            if not label.inside(bounds) or any(label.overlaps(o, GAP) for o in obstacles):
                continue
            if any(_segment_hits(*segment, label) for segment in leaders):
                continue
            if not leader and _beside_another(label, index, points, placed):
                continue  # a label without a leader line must read as its own marker's
            if leader:
                end = _nearest_point(label, cx, cy)
                others = [o for o in obstacles if o is not circles[index]]
                if any(_segment_hits(cx, cy, end[0], end[1], o.shrink(-1)) for o in others):
                    continue
                leaders.append((cx, cy, end[0], end[1]))
            obstacles.append(label)
            markers.append(Marker(slot.risk, cx, cy, slot.text, label, leader))
            break
        else:
            return None
    return markers


def count_text(count: int, words: Words) -> str:
    return words.count("chart.count", count)


def matrix_layout(
    risks: Sequence[Risk],
    model: Model,
    *,
    counts: Mapping[tuple[int, int], int] | None = None,
    words: Words | None = None,
) -> MatrixLayout:
    """Place the grid, axes, legend, markers and labels; every box inside the chart, none on another.

    With ``counts`` (active risks per (probability, impact) cell), the chart is compact: it draws
    only ``risks`` and writes each cell's count in its corner.
    """
    prob, impact = model.probability.levels, model.impact.levels
    n_cols, n_rows = len(prob), len(impact)
    slots = _cell_slots(risks, model)
    header = text_height(SCORE_SIZE)
    base_w = max(120.0, round(600 / n_cols))
    base_h = max(96.0, round(390 / n_rows))
    label_h = text_height(AXIS_SIZE)
    name_w = [text_width(level.name, AXIS_SIZE) + 2 * PAD for level in prob]
    words = words or english()
    title = one_line(chart_title(model, words)) or words("chart.title")

    packed = {key for key, members in slots.items() if len(members) > FREE_LIMIT}
    while True:
        widths = [max(base_w, name_w[p]) for p in range(n_cols)]
        heights = [max(base_h, label_h + 2 * PAD) for _ in range(n_rows)]
        for p, i in packed:
            w, h = _packed_size(slots[(p, i)], base_w, header)
            widths[p - 1] = max(widths[p - 1], w)
            heights[n_rows - i] = max(heights[n_rows - i], h)  # rows run from the highest impact down
        for (p, i), count in (counts or {}).items():
            score_w = text_width(str(model.score(prob[p - 1], impact[i - 1])), SCORE_SIZE)
            widths[p - 1] = max(widths[p - 1], score_w + text_width(count_text(count, words), SCORE_SIZE) + 3 * PAD)
        left = PAD + label_h + PAD + max(text_width(level.name, AXIS_SIZE) for level in impact) + PAD
        top = PAD + text_height(TITLE_SIZE) + PAD
        columns = [left]
        for w in widths:
            columns.append(columns[-1] + w)
        rows = [top]
        for h in heights:
            rows.append(rows[-1] + h)
        cells: list[Cell] = []
        markers: list[Marker] = []
        failed = set()
        for row, level_i in enumerate(reversed(impact)):
            for col, level_p in enumerate(prob):
                key = (level_p.value, level_i.value)
                box = Box(columns[col], rows[row], widths[col], heights[row])
                score = model.score(level_p, level_i)
                score_box = Box(box.x + PAD - 1, box.y + PAD - 1, text_width(str(score), SCORE_SIZE), header)
                members = slots.get(key, [])
                count_box = None
                fixed = [score_box]
                if counts is not None:
                    count_w = text_width(count_text(counts.get(key, 0), words), SCORE_SIZE)
                    count_box = Box(box.right - PAD + 1 - count_w, box.y + PAD - 1, count_w, header)
                    fixed.append(count_box)
                if members and key in packed:
                    markers.extend(_pack(members, box, header))
                elif members:
                    free = _free(members, box, fixed, header, [(m.cx, m.cy) for m in markers])
                    if free is None:
                        failed.add(key)
                    else:
                        markers.extend(free)
                count = len(members) if counts is None else counts.get(key, 0)
                cells.append(
                    Cell(
                        level_p, level_i, score, model.band_for(score), box, score_box, key in packed, count, count_box
                    )
                )
        if not failed:
            break
        packed |= failed

    grid = Box(columns[0], rows[0], columns[-1] - columns[0], rows[-1] - rows[0])
    names_baseline = grid.bottom + PAD + ASCENT * AXIS_SIZE
    axis_baseline = names_baseline + label_h + PAD / 2
    width = max(grid.right + 2 * PAD, text_width(title, TITLE_SIZE) + 2 * PAD)
    legend: list[tuple[Band, str, Box]] = []
    x, y = grid.x, axis_baseline + (1 - ASCENT) * AXIS_SIZE + PAD + 2
    for index, band in enumerate(model.bands):
        text = f"{band.name} {_score_range(model, index, words)}"
        entry = Box(x, y, 16 + text_width(text, LABEL_SIZE), text_height(LABEL_SIZE))
        if legend and entry.right > width - PAD:
            x, y = grid.x, y + entry.h + GAP * 2
            entry = Box(x, y, entry.w, entry.h)
        legend.append((band, text, entry))
        x = entry.right + 3 * PAD
    width = max(width, *(entry.right + PAD for _, _, entry in legend))
    height = (legend[-1][2].bottom if legend else axis_baseline) + PAD
    ordered = sorted(markers, key=lambda m: natural_key(m.risk.id))
    return MatrixLayout(
        model,
        title,
        float(width),
        float(height),
        grid,
        tuple(columns),
        tuple(rows),
        tuple(cells),
        tuple(ordered),
        tuple(legend),
        (names_baseline, axis_baseline),
        compact=counts is not None,
        words=words,
    )


def _lone_marker(base: MatrixLayout, risk: Risk) -> Marker | None:
    """An active risk's marker placed alone in its cell of ``base``; None when it does not fit there."""
    slot = _slot(risk, *lone_position(risk, base.model), base.model)
    cell = next(c for c in base.cells if c.probability == risk.probability and c.impact == risk.impact)
    fixed = [cell.score_box] if cell.count_box is None else [cell.score_box, cell.count_box]
    markers = _free([slot], cell.box, fixed, text_height(SCORE_SIZE))
    return markers[0] if markers else None


# ---------------------------------------------------------------------------- rendering


@lru_cache(maxsize=8192)  # the same coordinates recur on every risk page of a large register
def risk_summary(risk: Risk, words: Words) -> str:
    """The tooltip and accessible name of a marker: id, title, score and band."""
    return words("chart.marker", id=risk.id, title=plain_text(risk.title), score=risk.score, band=risk.band.name)


def _cell_name(cell: Cell, words: Words) -> str:
    return words(
        "chart.cell",
        probability=cell.probability.name,
        impact=cell.impact.name,
        score=cell.score,
        band=cell.band.name,
    )


def _cell_title(cell: Cell, words: Words) -> str:
    return f"{_cell_name(cell, words)}, {count_text(cell.count, words)}"


def _description(layout: MatrixLayout, risk_page: bool) -> tuple[str, str]:
    """The chart in words, for ``<desc>``, as the text before and after the sentence naming a highlighted risk."""
    model, words = layout.model, layout.words
    prob, impact = model.probability.levels, model.impact.levels
    before = [
        words(
            "chart.desc.grid",
            columns=len(prob),
            rows=len(impact),
            probability_low=prob[0].name,
            probability_high=prob[-1].name,
            impact_low=impact[0].name,
            impact_high=impact[-1].name,
        )
    ]
    before.append(words.count("chart.desc.active", layout.active_count))
    if layout.compact and risk_page:
        before.append(words("chart.desc.compact_page"))
    elif layout.compact:
        before.append(words("chart.desc.compact"))
    after = []
    for band in model.bands:
        if layout.compact:
            in_band = sum(c.count for c in layout.cells if c.band == band)
            if in_band:
                after.append(f"{band.name}{words('text.colon')}{count_text(in_band, words)}.")
            continue
        ids = [m.risk.id for m in layout.markers if m.risk.band == band]
        if ids:
            after.append(f"{band.name}{words('text.colon')}{', '.join(ids)}.")
    return " ".join(before), " ".join(after)


def _highlight_sentence(words: Words, risk: Risk) -> str:
    return words(
        "chart.desc.highlight",
        id=risk.id,
        probability=risk.probability.name,
        impact=risk.impact.name,
        score=risk.score,
        band=risk.band.name,
    )


def describe(layout: MatrixLayout, highlight: str | None = None) -> str:
    """The chart in words, for ``<desc>``: the grid, then the risks by band, highest first."""
    before, after = _description(layout, risk_page=highlight is not None)
    marker = layout.marker(highlight) if highlight is not None else None
    sentence = _highlight_sentence(layout.words, marker.risk) if marker else ""
    return " ".join(part for part in (before, sentence, after) if part)


def render_svg(
    layout: MatrixLayout,
    href: Callable[[str], str],
    *,
    highlight: str | None = None,
    standalone: bool = False,
    id_prefix: str = "risk-matrix",
) -> str:
    """The chart as SVG markup on lines of their own, with no blank line (safe as a Markdown HTML block).

    ``href`` gives each risk's link from where the SVG is shown. A standalone file
    carries its own white background and dark text; inline, the chart takes the
    page's text colour (``currentColor``), so it follows light and dark palettes.
    """
    return _svg(layout, _drawing(layout, href, highlight), describe(layout, highlight), standalone, id_prefix)


def _svg(layout: MatrixLayout, drawing: str, description: str, standalone: bool, id_prefix: str) -> str:
    return "\n".join(
        [
            _svg_open(layout, standalone, id_prefix),
            f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
            _svg_title(layout, standalone),
            drawing,
            "</svg>",
        ]
    )


def _drawing(layout: MatrixLayout, href: Callable[[str], str], highlight: str | None) -> str:
    """Cells, axes, markers and legend: what an inline chart and its file share."""
    return "\n".join(
        [
            *_cells(layout, highlight),
            *_appetite(layout),
            *_axes(layout),
            *_arrows(layout),
            *_markers(layout, href, highlight),
            *_legend(layout),
        ]
    )


APPETITE_COLOR = "#6a1b9a"
ARROW_HEAD = 7.0


def _appetite(layout: MatrixLayout) -> list[str]:
    """The appetite (``appetite.max_score``) as a boundary: a thick dashed line along every cell edge
    between a cell above it and one within it, and the cells above it hatched (docs/treatment.md)."""
    limit = layout.model.appetite_max
    if limit is None or not layout.model.matrix_appetite:
        return []
    above = {(c.probability.value, c.impact.value): c.score > limit for c in layout.cells}
    if not any(above.values()) or all(above.values()):
        return []  # no boundary to draw
    lines = [f'<g class="risk-matrix-appetite" data-appetite="{limit}">']
    for cell in layout.cells:
        key = (cell.probability.value, cell.impact.value)
        if not above[key]:
            continue
        box = cell.box
        lines.append(
            f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" height="{_num(box.h)}" '
            f'fill="{APPETITE_COLOR}" fill-opacity="0.08"/>'
        )
        p, i = key
        # (neighbour, edge): left, right, below (lower impact), above (higher impact).
        for neighbour, (x1, y1, x2, y2) in (
            ((p - 1, i), (box.x, box.y, box.x, box.bottom)),
            ((p + 1, i), (box.right, box.y, box.right, box.bottom)),
            ((p, i - 1), (box.x, box.bottom, box.right, box.bottom)),
            ((p, i + 1), (box.x, box.y, box.right, box.y)),
        ):
            if above.get(neighbour) is False:
                lines.append(
                    f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
                    f'stroke="{APPETITE_COLOR}" stroke-width="3" stroke-dasharray="8 4"/>'
                )
    lines.append(f"<title>{escape(layout.words('chart.appetite', limit=limit))}</title></g>")
    return lines


def _arrows(layout: MatrixLayout) -> list[str]:
    """An arrow from each drawn risk to the cell of its residual level (when that is another cell).

    Arrows into one cell end at points spread across its middle, so that 60 of them stay apart."""
    if not layout.model.matrix_arrows:
        return []
    cells = {(c.probability.value, c.impact.value): c for c in layout.cells}
    into: dict[tuple[int, int], list[Marker]] = {}
    for marker in layout.markers:
        residual = marker.risk.residual
        if residual is None:
            continue
        key = (residual.probability.value, residual.impact.value)
        if key != (marker.risk.probability.value, marker.risk.impact.value) and key in cells:
            into.setdefault(key, []).append(marker)
    if not into:
        return []
    lines = ['<g class="risk-matrix-arrows" stroke="currentColor" fill="currentColor">']
    for key, markers in sorted(into.items()):
        box = cells[key].box
        for index, marker in enumerate(markers):
            x2 = box.x + box.w * (index + 1) / (len(markers) + 1)
            y2 = box.y + box.h * (0.35 + 0.3 * ((index % 3) / 2))
            lines.append(_arrow(marker, x2, y2, layout.words))
    lines.append("</g>")
    return lines


def _arrow(marker: Marker, x2: float, y2: float, words: Words) -> str:
    dx, dy = x2 - marker.cx, y2 - marker.cy
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    x1, y1 = marker.cx + ux * MARKER_R, marker.cy + uy * MARKER_R  # from the marker's edge
    bx, by = x2 - ux * ARROW_HEAD, y2 - uy * ARROW_HEAD
    left = (bx - uy * ARROW_HEAD / 2, by + ux * ARROW_HEAD / 2)
    right = (bx + uy * ARROW_HEAD / 2, by - ux * ARROW_HEAD / 2)
    residual = marker.risk.residual
    title = words("chart.arrow", id=marker.risk.id, score=residual.score) if residual is not None else marker.risk.id
    return (
        f'<g class="risk-matrix-arrow" data-risk-id="{escape(marker.risk.id)}"><title>{escape(title)}</title>'
        f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(bx)}" y2="{_num(by)}" stroke-opacity="0.45" '
        'stroke-width="1.2"/>'
        f'<polygon points="{_num(x2)},{_num(y2)} {_num(left[0])},{_num(left[1])} {_num(right[0])},{_num(right[1])}" '
        'fill-opacity="0.6" stroke="none"/></g>'
    )


def _svg_open(layout: MatrixLayout, standalone: bool, id_prefix: str) -> str:
    """The root element and the ``<title>``; ``<desc>`` comes next."""
    width, height = _num(layout.width), _num(layout.height)
    root = [
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" class="risk-matrix" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" '
        f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{_num(LABEL_SIZE)}"',
    ]
    if standalone:
        root.append(' style="color:#1f2328;background:#ffffff"')
    else:
        root.append(' style="max-width:100%;height:auto"')
    return "".join(root) + f'>\n<title id="{id_prefix}-title">{escape(layout.title)}</title>'


def _svg_title(layout: MatrixLayout, standalone: bool) -> str:
    """The background of a standalone file, and the chart's visible title."""
    width, height = _num(layout.width), _num(layout.height)
    background = f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n' if standalone else ""
    return (
        f'{background}<text class="risk-matrix-title" x="{_num(layout.width / 2)}" '
        f'y="{_num(PAD + ASCENT * TITLE_SIZE)}" text-anchor="middle" font-size="{_num(TITLE_SIZE)}" '
        f'font-weight="bold" fill="currentColor">{escape(layout.title)}</text>'
    )


def _cells(layout: MatrixLayout, highlight: str | None) -> list[str]:
    highlighted = layout.marker(highlight) if highlight else None
    lines = ['<g class="risk-matrix-cells">']
    for cell in layout.cells:
        box = cell.box
        lines.append(
            f'<g class="risk-matrix-cell" data-score="{cell.score}" data-band="{escape(cell.band.name)}">'
            f"<title>{escape(_cell_title(cell, layout.words))}</title>"
            f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" height="{_num(box.h)}" '
            f'fill="{escape(cell.band.color)}" fill-opacity="0.2" stroke="currentColor" stroke-opacity="0.35"/>'
            f'<text x="{_num(cell.score_box.x + 1)}" y="{_num(cell.score_box.y + ASCENT * SCORE_SIZE)}" '
            f'font-size="{_num(SCORE_SIZE)}" font-weight="bold" fill="currentColor" fill-opacity="0.75">'
            f"{cell.score}</text>" + _count(cell, layout.words) + "</g>"
        )
    if highlighted is not None:
        cell = next(
            c
            for c in layout.cells
            if c.probability == highlighted.risk.probability and c.impact == highlighted.risk.impact
        )
        lines.append(_current_cell(cell))
    lines.append("</g>")
    return lines


def _current_cell(cell: Cell) -> str:
    """The frame around the cell of a page's own risk."""
    box = cell.box.shrink(1.5)
    return (
        f'<rect class="risk-matrix-current-cell" x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" '
        f'height="{_num(box.h)}" fill="none" stroke="{escape(cell.band.color)}" stroke-width="3"/>'
    )


def _count(cell: Cell, words: Words) -> str:
    if cell.count_box is None:
        return ""
    box = cell.count_box
    return (
        f'<text class="risk-matrix-count" x="{_num(box.right - 1)}" y="{_num(box.y + ASCENT * SCORE_SIZE)}" '
        f'text-anchor="end" font-size="{_num(SCORE_SIZE)}" fill="currentColor" fill-opacity="0.75">'
        f"{escape(count_text(cell.count, words))}</text>"
    )


def _axes(layout: MatrixLayout) -> list[str]:
    model, words = layout.model, layout.words
    grid = layout.grid
    names_baseline, axis_baseline = layout.label_rows
    lines = [f'<g class="risk-matrix-axes" font-size="{_num(AXIS_SIZE)}" fill="currentColor">']
    for col, level in enumerate(model.probability.levels):
        middle = (layout.columns[col] + layout.columns[col + 1]) / 2
        lines.append(
            f'<text x="{_num(middle)}" y="{_num(names_baseline)}" text-anchor="middle">{escape(level.name)}</text>'
        )
    lines.append(
        f'<text x="{_num(grid.x + grid.w / 2)}" y="{_num(axis_baseline)}" text-anchor="middle" font-weight="bold">'
        f"{escape(words('chart.axis.probability'))} {RIGHT_ARROW}</text>"
    )
    for row, level in enumerate(reversed(model.impact.levels)):
        middle = (layout.rows[row] + layout.rows[row + 1]) / 2
        baseline = middle + (ASCENT - LINE / 2) * AXIS_SIZE
        lines.append(
            f'<text x="{_num(grid.x - PAD)}" y="{_num(baseline)}" text-anchor="end">{escape(level.name)}</text>'
        )
    x = PAD + ASCENT * AXIS_SIZE
    y = grid.y + grid.h / 2
    lines.append(
        f'<text x="{_num(x)}" y="{_num(y)}" transform="rotate(-90 {_num(x)} {_num(y)})" text-anchor="middle" '
        f'font-weight="bold">{escape(words("chart.axis.impact"))} {RIGHT_ARROW}</text>'
    )
    lines.append("</g>")
    return lines


def _markers(layout: MatrixLayout, href: Callable[[str], str], highlight: str | None) -> list[str]:
    lines = ['<g class="risk-matrix-markers">']
    lines.extend(
        _marker(marker, href(marker.risk.id), marker.risk.id == highlight, layout.words) for marker in layout.markers
    )
    lines.append("</g>")
    return lines


def _marker(marker: Marker, href: str, current: bool, words: Words) -> str:
    risk = marker.risk
    summary = escape(risk_summary(risk, words))
    classes = "risk-matrix-marker" + (" risk-matrix-marker--current" if current else "")
    parts = [
        f'<a class="{classes}" xlink:href="{escape(href)}" target="_top" data-risk-id="{escape(risk.id)}"'
        + (' aria-current="page"' if current else "")
        + ">",
        f"<title>{summary}</title>",
    ]
    if marker.leader:
        x2, y2 = _nearest_point(marker.label, marker.cx, marker.cy)
        parts.append(
            f'<line x1="{_num(marker.cx)}" y1="{_num(marker.cy)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            'stroke="currentColor" stroke-opacity="0.6"/>'
        )
    if current:
        parts.append(
            f'<circle cx="{_num(marker.cx)}" cy="{_num(marker.cy)}" r="{_num(HIGHLIGHT_R)}" '
            f'fill="{escape(risk.band.color)}" stroke="currentColor" stroke-width="3"/>'
        )
    else:
        parts.append(
            f'<circle cx="{_num(marker.cx)}" cy="{_num(marker.cy)}" r="{_num(MARKER_R)}" '
            f'fill="{escape(risk.band.color)}" stroke="currentColor" stroke-width="1.5"/>'
        )
    label = marker.label
    weight = "bold" if current else "600"
    # The whole reserved label box takes the click, not just the glyphs; boxes never overlap.
    parts.append(
        f'<rect x="{_num(label.x)}" y="{_num(label.y)}" width="{_num(label.w)}" height="{_num(label.h)}" '
        'fill="transparent"/>'
    )
    parts.append(
        f'<text x="{_num(label.x + 1)}" y="{_num(label.y + ASCENT * LABEL_SIZE)}" font-weight="{weight}" '
        f'fill="currentColor">{escape(marker.text)}</text>'
    )
    parts.append("</a>")
    return "".join(parts)


def _legend(layout: MatrixLayout) -> list[str]:
    lines = ['<g class="risk-matrix-legend" fill="currentColor">']
    for band, text, box in layout.legend:
        lines.append(
            f'<rect x="{_num(box.x)}" y="{_num(box.y + 1)}" width="12" height="12" fill="{escape(band.color)}" '
            'fill-opacity="0.8" stroke="currentColor" stroke-opacity="0.35"/>'
            f'<text x="{_num(box.x + 16)}" y="{_num(box.y + ASCENT * LABEL_SIZE)}">{narrow(escape(text))}</text>'
        )
    lines.append("</g>")
    return lines


# ---------------------------------------------------------------------------- page fragments


def standalone_svg(layout: MatrixLayout, href: Callable[[str], str]) -> str:
    """The chart as a file of its own, for slides and reports."""
    return _standalone_file(render_svg(layout, href, standalone=True))


def _standalone_file(svg: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n'


def register_charts(
    layout: MatrixLayout, href: Callable[[str], str], file_href: str, *, counted: bool, note: str = ""
) -> tuple[str, str]:
    """The register page's figure (``matrix_figure``) and the file (``standalone_svg``): one drawing for both.

    ``href`` serves both, as the file sits beside the register page. When ``counted``, the
    page's chart counts the risks of each cell (the table lists them) and only the file
    draws every one: thousands of labelled dots make a page of megabytes that no reader
    can follow. ``note`` (HTML) leads the caption: that the register is incomplete.
    """
    drawing, description = _drawing(layout, href, None), describe(layout)
    file = _standalone_file(_svg(layout, drawing, description, True, "risk-matrix"))
    if counted:
        compact = matrix_layout([], layout.model, counts=layout.counts, words=layout.words)
        return matrix_figure(compact, href, file_href=file_href, note=note), file
    figure = _figure(
        _svg(layout, drawing, description, False, "risk-matrix"), _caption(layout, None, file_href, None, note)
    )
    return f"{figure}\n{_text_alternative(layout, href)}", file


def matrix_figure(
    layout: MatrixLayout,
    href: Callable[[str], str],
    *,
    highlight: str | None = None,
    file_href: str | None = None,
    full_chart_href: str | None = None,
    text_list: bool = True,
    note: str = "",
) -> str:
    """The inline chart as one raw HTML block: the SVG, a link to the file, and the chart as text.

    No blank line inside, so Python-Markdown keeps it whole.
    """
    shown = highlight is None or layout.marker(highlight) is not None
    figure = _figure(
        render_svg(layout, href, highlight=highlight),
        _caption(layout, None if shown else highlight, file_href, full_chart_href, note),
    )
    return f"{figure}\n{_text_alternative(layout, href)}" if text_list else figure


def _caption(
    layout: MatrixLayout, missing: str | None, file_href: str | None, full_chart_href: str | None, note: str = ""
) -> str:
    words = layout.words
    caption = [note] if note else []
    if missing is not None:
        caption.append(escape(words("chart.caption.not_on_chart", id=missing)))
    if layout.compact and full_chart_href:
        link = f'<a href="{escape(full_chart_href)}">{escape(words("chart.caption.register"))}</a>'
        caption.append(html_words(words, "chart.caption.compact_link", link=link, count=layout.active_count))
    elif layout.compact:
        caption.append(escape(words("chart.caption.compact", count=layout.active_count)))
    if file_href and layout.compact:
        caption.append(f'<a href="{escape(file_href)}" download>{escape(words("chart.download_all"))}</a>')
    elif file_href:
        caption.append(f'<a href="{escape(file_href)}" download>{escape(words("chart.download"))}</a>')
    return " ".join(caption)


def _figure(svg: str, caption: str) -> str:
    caption_html = f"\n<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="risk-matrix-figure" data-risk-matrix>\n{svg}{caption_html}\n</figure>'


class CompactChart:
    """The risk pages' chart of a large register: the grid drawn once, then each page's own marker.

    ``base`` is the compact chart without risks (``matrix_layout([], model, counts=counts)``).
    Thousands of risk pages share its grid, axes, legend and counts, so a page adds only its
    marker, the frame of its cell and a sentence of the description: the same SVG as
    ``matrix_figure(matrix_layout([risk], model, counts=counts), ...)``, at a fraction of the cost.
    """

    def __init__(self, base: MatrixLayout) -> None:
        self.base = base
        self._before, self._after = _description(base, risk_page=True)
        self._words = base.words
        cells = _cells(base, None)
        self._head = _svg_open(base, False, "risk-matrix")
        self._grid = "\n".join([_svg_title(base, False), *cells[:-1]])
        self._frames = {(c.probability.value, c.impact.value): _current_cell(c) for c in base.cells}
        self._axes = "\n".join(_axes(base))
        self._tail = "\n".join([*_legend(base), "</svg>"])
        self._places: dict[tuple[int, int, tuple[float, float] | None, float], Marker | None] = {}

    def figure(self, risk: Risk, href: Callable[[str], str], full_chart_href: str, *, note: str = "") -> str:
        if not risk.active:
            marker = None
        else:
            marker = self._marker(risk)
            if marker is None:  # it does not fit the shared grid: a layout of its own
                layout = matrix_layout([risk], self.base.model, counts=self.base.counts, words=self._words)
                return matrix_figure(
                    layout, href, highlight=risk.id, full_chart_href=full_chart_href, text_list=False, note=note
                )
        lines = [self._head]
        sentence = _highlight_sentence(self._words, risk) if marker else ""
        description = " ".join(part for part in (self._before, sentence, self._after) if part)
        lines.append(f'<desc id="risk-matrix-desc">{escape(description)}</desc>')
        lines.append(self._grid)
        if marker:
            lines.append(self._frames[(risk.probability.value, risk.impact.value)])
        lines.append("</g>")
        lines.append(self._axes)
        lines.append('<g class="risk-matrix-markers">')
        if marker:
            lines.append(_marker(marker, href(risk.id), True, self._words))
        lines.append("</g>")
        lines.append(self._tail)
        return _figure("\n".join(lines), _caption(self.base, None if marker else risk.id, None, full_chart_href, note))

    def _marker(self, risk: Risk) -> Marker | None:
        """The risk's marker on the shared grid, None when it does not fit there.

        A lone marker's place depends only on its cell, its ``chart`` value and the width of
        its label, which most risks of a large register share: each such place is found once.
        """
        text = short_label(risk.id)
        key = (risk.probability.value, risk.impact.value, risk.chart, text_width(text, LABEL_SIZE))
        if key not in self._places:
            self._places[key] = _lone_marker(self.base, risk)
        place = self._places[key]
        return None if place is None else Marker(risk, place.cx, place.cy, text, place.label, place.leader)


def text_cells(layout: MatrixLayout) -> list[tuple[str, str | list[Risk]]]:
    """The chart as text: each cell that holds risks, highest score first, with its risks (a compact chart:
    with its count). The register page writes it as raw HTML, a view as elements of the page."""
    by_cell: dict[tuple[int, int], list[Risk]] = {}
    for marker in layout.markers:
        by_cell.setdefault((marker.risk.probability.value, marker.risk.impact.value), []).append(marker.risk)
    cells: list[tuple[str, str | list[Risk]]] = []
    for cell in sorted(layout.cells, key=lambda c: (-c.score, -c.impact.value, -c.probability.value)):
        if layout.compact:
            if cell.count:
                cells.append((_cell_name(cell, layout.words), count_text(cell.count, layout.words)))
            continue
        members = by_cell.get((cell.probability.value, cell.impact.value))
        if members:
            cells.append((_cell_name(cell, layout.words), members))
    return cells


TEXT_LIST_CLASS = "risk-matrix-text"


def _text_alternative(layout: MatrixLayout, href: Callable[[str], str]) -> str:
    """Every cell with its risks (a compact chart: with its count), as a list any reader can follow."""
    words = layout.words
    colon = words("text.colon")
    items = []
    for name, members in text_cells(layout):
        if isinstance(members, str):
            items.append(f"<li>{escape(name)}{escape(colon)}{escape(members)}</li>")
            continue
        links = ", ".join(
            f'<a href="{escape(href(risk.id))}" title="{escape(risk_summary(risk, words))}">{escape(risk.id)}</a>'
            for risk in members
        )
        items.append(f"<li>{escape(name)}{escape(colon)}{links}</li>")
    if not items:
        items.append(f"<li>{escape(words('chart.no_active'))}</li>")
    return (
        f'<details class="{TEXT_LIST_CLASS}">\n<summary>{escape(words("chart.text_list"))}</summary>\n<ul>\n'
        + "\n".join(items)
        + "\n</ul>\n</details>"
    )
