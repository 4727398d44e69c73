"""The reference's Mermaid quadrantChart, kept valid whatever ids and labels hold."""

from __future__ import annotations

import re

from .. import defaults
from ..model import Model
from ..risk import Risk
from ..words import Words
from .chart import chart_points
from .text import escape, one_line

# Text Mermaid's quadrant grammar reads unquoted (letters, digits, spaces, '-', '/').
_BARE_TEXT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 /-]*[A-Za-z0-9])?")
# Words the quadrant lexer takes as keywords wherever they start, even inside bare text.
_KEYWORD = re.compile(r"title|classdef|acctitle|accdescr|quadrantchart|[xy]-axis|quadrant-", re.IGNORECASE)


def _one_line(text: str) -> str:
    """One line with no '%%': Mermaid reads '%%' as a comment or an '%%{init}%%' directive anywhere."""
    return re.sub(r"%(?=%)", "% ", one_line(text))


AXIS_NAME_CHARS = 20
"""A level's name at an end of an axis, at most: each end's label is centred on half the chart's side
(about 250 pixels), and a longer one runs into the other end's (the scoring guide has the full name)."""


def axis_name(name: str) -> str:
    text = one_line(name)
    return text if len(text) <= AXIS_NAME_CHARS else text[: AXIS_NAME_CHARS - 1].rstrip() + "…"


def label(text: str) -> str:
    """A label as Mermaid accepts it: bare when simple, otherwise a quoted string."""
    text = _one_line(text)
    if _BARE_TEXT.fullmatch(text) and "--" not in text and not _KEYWORD.search(text):
        return text
    # A quoted string cannot hold a double quote; nothing can end the line early.
    text = text.replace('"', "'")
    # '"`' opens a Markdown string, and '""' is refused: a space keeps both plain.
    return '"' + (" " + text if text.startswith("`") or not text else text) + '"'


def title_text(text: str, default: str) -> str:
    """Mermaid's title runs to the end of the line; '#' and ';' ended it in older Mermaid versions."""
    return (
        _one_line(text).replace("#", " ").replace(";", ",").strip()
        or _one_line(default).replace("#", " ").replace(";", ",").strip()
    )


def chart_title(model: Model, words: Words) -> str:
    """The chart setting's title; the catalogue's when the setting gives the default (English) one."""
    return words("chart.title") if model.chart_title == defaults.CHART_TITLE else model.chart_title


def coordinate(value: float) -> str:
    """Mermaid reads only ``0``, ``1`` or ``0.ddd``; keep the reference's two decimals."""
    if value >= 1:
        return "1"
    if value <= 0:
        return "0"
    text = f"{value:.2f}" if round(value, 2) == value else f"{value:.3f}"
    return "1" if text.startswith("1") else text


def quadrant_chart(risks: list[Risk], model: Model, words: Words) -> str:
    """Mermaid source: title, axes, quadrant labels, one point per active risk."""
    prob, impact = model.probability.levels, model.impact.levels

    def ends(key: str, levels: tuple[str, str]) -> str:
        return " --> ".join(label(words.source(key, level=axis_name(level))) for level in levels)

    quadrants: tuple[str, ...] = model.quadrants
    if quadrants == defaults.QUADRANTS:  # not configured: the catalogue's
        quadrants = tuple(words(f"chart.quadrant_{n}") for n in range(1, 5))
    lines = [
        "quadrantChart",
        f"    title {title_text(chart_title(model, words), words('chart.title'))}",
        f"    x-axis {ends('chart.mermaid.probability', (prob[0].name, prob[-1].name))}",
        f"    y-axis {ends('chart.mermaid.impact', (impact[0].name, impact[-1].name))}",
    ]
    lines += [f"    quadrant-{n} {label(text)}" for n, text in enumerate(quadrants, start=1)]
    for point in chart_points(risks, model):
        lines.append(f"    {label(point.risk.id)}: [{coordinate(point.x)}, {coordinate(point.y)}]")
    return "\n".join(lines)


def mermaid_block(source: str) -> str:
    """The element Material's Mermaid integration looks for, independent of any fence setup."""
    return f'<pre class="mermaid"><code>{escape(source)}</code></pre>'
