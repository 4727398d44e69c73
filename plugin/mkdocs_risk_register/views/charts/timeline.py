"""Time charts as build-time SVG: step lines (a risk's score) and stacked steps (risks per band).

The same standards as the risk matrix (matrix.py): a ``<title>`` and a ``<desc>``,
text in the page's colour (``currentColor``) so that light and dark palettes
both read, band colours as tints, no JavaScript. Every label is placed by
:class:`_Labels`, which keeps a label only where it overlaps no other; date
labels are days from the history's own dates, never the build date, so the
same commits draw the same chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text import escape
from .geometry import ASCENT, FONT_FAMILY, SVG_NS, Box, num, text_width

# The same few hundred dates and scores on every risk's chart: each number formatted once.
_num = lru_cache(maxsize=8192)(num)

WIDTH = 640.0
HEIGHT = 240.0
LEFT = 44.0
RIGHT = 14.0
TOP = 48.0  # title and legend
BOTTOM = 26.0  # date labels
TEXT = 11.0
TITLE = 13.0
GAP = 6.0
MIN_TICK_SPACING = 16.0


@dataclass(frozen=True)
class Series:
    """A step line: ``points`` are (date, value) where the value starts to hold; None leaves a gap."""

    name: str
    points: Sequence[tuple[str, int | None]]
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal tint behind the lines: values from ``low`` to ``high`` in a band's colour."""

    name: str
    low: float
    high: float
    color: str


@dataclass(frozen=True)
class Layer:
    """One layer of a stacked chart: a band's count at each date of the chart."""

    name: str
    color: str
    values: Sequence[int]


@lru_cache(maxsize=4096)  # the days of a history, on every risk's chart
def _day(date: str) -> int:
    return dt.date.fromisoformat(date).toordinal()


class _Frame:
    """Maps dates and values into the plot area."""

    def __init__(self, first: str, last: str, y_min: float, y_max: float) -> None:
        # A little room after the last date, so that a value set on that day shows as a step too.
        self.start, self.last = _day(first), _day(last)
        self.end = self.last + max(1, (self.last - self.start) // 30)
        self.y_min, self.y_max = y_min, max(y_max, y_min + 1)
        self.plot = Box(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)

    def x(self, date: str) -> float:
        return self.plot.x + (_day(date) - self.start) / (self.end - self.start) * self.plot.w

    def y(self, value: float) -> float:
        return self.plot.bottom - (value - self.y_min) / (self.y_max - self.y_min) * self.plot.h


class _Labels:
    """Text placed only where it overlaps no label placed before it."""

    def __init__(self, boxes: Sequence[Box] = (), lines: Sequence[str] = ()) -> None:
        self.boxes: list[Box] = list(boxes)
        self.lines: list[str] = list(lines)
        # Each box's edges, for Box.overlaps(other, 2) without its property calls: a chart on every risk page.
        self.edges = [(b.x, b.y, b.right + 2, b.bottom + 2) for b in self.boxes]

    def add(
        self, text: str, x: float, baseline: float, anchor: str = "start", size: float = TEXT, **attrs: str
    ) -> bool:
        width = text_width(text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        box = Box(left, baseline - ASCENT * size, width, size * 1.2)
        right, bottom = box.right, box.bottom
        if box.x < 0 or right > WIDTH:
            return False
        reach_x, reach_y = right + 2, bottom + 2
        for other_x, other_y, other_reach_x, other_reach_y in self.edges:
            if box.x < other_reach_x and other_x < reach_x and box.y < other_reach_y and other_y < reach_y:
                return False
        self.boxes.append(box)
        self.edges.append((box.x, box.y, reach_x, reach_y))
        extra = "".join(f' {key.replace("_", "-")}="{escape(value)}"' for key, value in attrs.items())
        self.lines.append(
            f'<text x="{_num(x)}" y="{_num(baseline)}" text-anchor="{anchor}" font-size="{_num(size)}"'
            f' fill="currentColor"{extra}>{escape(text)}</text>'
        )
        return True


def _ticks(frame: _Frame) -> list[int]:
    span = frame.y_max - frame.y_min
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if frame.plot.h * step / span >= MIN_TICK_SPACING:
            break
    first = int(frame.y_min) + (-int(frame.y_min)) % step
    return list(range(first, int(frame.y_max) + 1, step))


def _axes(frame: _Frame, labels: _Labels, dates: Sequence[str]) -> list[str]:
    plot = frame.plot
    lines = ['<g class="risk-history-axes" stroke="currentColor" stroke-opacity="0.25">']
    for tick in _ticks(frame):
        y = frame.y(tick)
        lines.append(f'<line x1="{_num(plot.x)}" x2="{_num(plot.right)}" y1="{_num(y)}" y2="{_num(y)}"/>')
        labels.add(str(tick), plot.x - 4, y + (ASCENT - 0.6) * TEXT, "end")
    lines.append(
        f'<rect x="{_num(plot.x)}" y="{_num(plot.y)}" width="{_num(plot.w)}" height="{_num(plot.h)}" fill="none"/>'
    )
    lines.append("</g>")
    # The first and last dates, then the first day of each month where it fits.
    baseline = plot.bottom + 4 + ASCENT * TEXT
    first, last = dates[0], dates[-1]
    labels.add(first, plot.x, baseline, "start")
    if last != first and not labels.add(last, frame.x(last), baseline, "middle"):
        labels.add(last, frame.x(last), baseline, "end")
    month = dt.date.fromisoformat(first).replace(day=1)
    end = dt.date.fromisoformat(last)
    while month.year < dt.MAXYEAR or month.month < 12:  # no month follows December 9999
        month = (month + dt.timedelta(days=32)).replace(day=1)
        if month >= end:
            break
        label = month.isoformat()[:7]
        labels.add(label, frame.x(month.isoformat()), baseline, "middle")
    return lines


def _legend(labels: _Labels, title: str, items: Sequence[tuple[str, str]]) -> list[str]:
    """The title, then one row of legend keys: (name, SVG of a 18x10 key drawn at the origin)."""
    labels.add(title, 4, 4 + ASCENT * TITLE, "start", TITLE, font_weight="bold")
    lines = []
    x, baseline = LEFT, 4 + TITLE * 1.2 + 6 + ASCENT * TEXT
    for name, key in items:
        width = 22 + text_width(name, TEXT) + 12
        if x + width > WIDTH:
            break  # a key that does not fit is left out: the text alternative names every series
        lines.append(f'<g transform="translate({_num(x)} {_num(baseline - 8)})">{key}</g>')
        labels.add(name, x + 22, baseline)
        x += width
    return lines


def _svg(title: str, description: str, id_prefix: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" class="risk-history-chart" viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" '
            f'width="{_num(WIDTH)}" height="{_num(HEIGHT)}" role="img" aria-labelledby="{id_prefix}-title" '
            f'aria-describedby="{id_prefix}-desc" font-family="{escape(FONT_FAMILY)}" '
            f'style="max-width:100%;height:auto">',
            f'<title id="{id_prefix}-title">{escape(title)}</title>',
            f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _line_key(dashed: bool) -> str:
    dash = ' stroke-dasharray="5 3" stroke-opacity="0.7"' if dashed else ""
    return f'<line x1="0" y1="4" x2="18" y2="4" stroke="currentColor" stroke-width="2"{dash}/>'


def step_chart(
    *,
    title: str,
    description: str,
    id_prefix: str,
    series: Sequence[Series],
    end: str,
    y_min: float,
    y_max: float,
    bands: Sequence[Band] = (),
) -> str:
    """Step lines over time up to the date ``end``, with band tints behind them."""
    dates = sorted({date for s in series for date, _ in s.points} | {end})
    frame = _Frame(dates[0], dates[-1], y_min, y_max)
    drawing, boxes, label_lines = _background(dates[0], dates[-1], y_min, y_max, tuple(bands))
    labels = _Labels(boxes, label_lines)
    body = _legend(labels, title, [(s.name, _line_key(s.dashed)) for s in series])
    body += drawing
    for item in series:
        body.append(_step_path(frame, item))
    body.append('<g class="risk-history-labels">')
    body += labels.lines
    body.append("</g>")
    return _svg(title, description, id_prefix, body)


@lru_cache(maxsize=256)
def _background(
    first: str, last: str, y_min: float, y_max: float, bands: tuple[Band, ...]
) -> tuple[tuple[str, ...], tuple[Box, ...], tuple[str, ...]]:
    """Band tints, grid and axis labels of a chart: the same for every risk charted over the same dates.

    Returns the drawing, the axis labels' boxes and their text elements.
    """
    frame = _Frame(first, last, y_min, y_max)
    plot = frame.plot
    labels = _Labels()
    body = ['<g class="risk-history-bands">']
    for band in bands:
        top, bottom = frame.y(min(band.high, frame.y_max)), frame.y(max(band.low, frame.y_min))
        body.append(
            f'<rect x="{_num(plot.x)}" y="{_num(top)}" width="{_num(plot.w)}" height="{_num(bottom - top)}" '
            f'fill="{escape(band.color)}" fill-opacity="0.15"><title>{escape(band.name)}</title></rect>'
        )
    body.append("</g>")
    body += _axes(frame, labels, [first, last])
    return tuple(body), tuple(labels.boxes), tuple(labels.lines)


def _step_path(frame: _Frame, series: Series) -> str:
    parts: list[str] = []
    points = list(series.points)
    for index, (date, value) in enumerate(points):
        if value is None:
            continue
        x1, y = frame.x(date), frame.y(value)
        x2 = frame.x(points[index + 1][0]) if index + 1 < len(points) else frame.plot.right
        joined = index > 0 and points[index - 1][1] is not None
        parts.append(f"{'V' if joined else 'M' + _num(x1) + ' '}{_num(y)} H{_num(max(x2, x1 + 2))}")
    dash = ' stroke-dasharray="5 3" stroke-opacity="0.7"' if series.dashed else ""
    return (
        f'<path class="risk-history-line" d="{" ".join(parts)}" fill="none" stroke="currentColor" '
        f'stroke-width="2"{dash}><title>{escape(series.name)}</title></path>'
    )


def stacked_chart(
    *, title: str, description: str, id_prefix: str, dates: Sequence[str], layers: Sequence[Layer], end: str
) -> str:
    """Counts stacked per date (the first layer at the bottom), each holding until the next date."""
    all_dates = [*dates, end] if end > dates[-1] else list(dates)
    totals = [sum(layer.values[i] for layer in layers) for i in range(len(dates))]
    frame = _Frame(all_dates[0], all_dates[-1], 0, max(max(totals, default=0), 1))
    labels = _Labels()
    keys = [
        (layer.name, f'<rect width="18" height="10" fill="{escape(layer.color)}" fill-opacity="0.6"/>')
        for layer in layers
    ]
    body = _legend(labels, title, keys)
    body += _axes(frame, labels, all_dates)
    base = [0] * len(dates)
    body.append('<g class="risk-history-layers">')
    for layer in layers:
        path = []
        for i, date in enumerate(dates):
            low, high = base[i], base[i] + layer.values[i]
            if high > low:
                x1 = frame.x(date)
                x2 = frame.x(dates[i + 1]) if i + 1 < len(dates) else frame.plot.right
                path.append(
                    f"M{_num(x1)} {_num(frame.y(low))} V{_num(frame.y(high))} H{_num(x2)} V{_num(frame.y(low))} Z"
                )
            base[i] = high
        if path:
            body.append(
                f'<path d="{" ".join(path)}" fill="{escape(layer.color)}" fill-opacity="0.6">'
                f"<title>{escape(layer.name)}</title></path>"
            )
    body.append("</g>")
    body.append('<g class="risk-history-labels">')
    body += labels.lines
    body.append("</g>")
    return _svg(title, description, id_prefix, body)
