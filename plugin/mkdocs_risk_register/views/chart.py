"""Chart positions, shared by every chart view: explicit ``chart`` values or a place in the level cell."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ..model import Model
from ..naming import natural_key
from ..risk import Risk


@dataclass(frozen=True)
class ChartPoint:
    risk: Risk
    x: float
    y: float
    placed: bool
    """True when the position was computed from the levels, not given in ``chart``."""


def chart_points(risks: list[Risk], model: Model) -> list[ChartPoint]:
    """One point per active risk, in natural id order.

    A risk without ``chart`` goes inside its probability x impact cell; risks that
    share a cell are spread on a grid inside it, so none lands on another.
    """
    active = sorted((r for r in risks if r.active), key=lambda r: natural_key(r.id))
    cells: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    for risk in active:
        if risk.chart is None:
            cells[(risk.probability.value, risk.impact.value)].append(risk)
    placed: dict[str, tuple[float, float]] = {}
    for (p, i), members in cells.items():
        for index, risk in enumerate(members):
            placed[risk.id] = _grid_position(p, i, index, len(members), model)
    points = []
    for risk in active:
        if risk.chart is not None:
            points.append(ChartPoint(risk, risk.chart[0], risk.chart[1], placed=False))
        else:
            x, y = placed[risk.id]
            points.append(ChartPoint(risk, x, y, placed=True))
    return points


def _grid_position(p: int, i: int, index: int, count: int, model: Model) -> tuple[float, float]:
    """The place of the index-th of ``count`` risks without ``chart`` in the cell of levels (p, i)."""
    width, height = 1 / len(model.probability.levels), 1 / len(model.impact.levels)
    per_row = math.ceil(math.sqrt(count))
    grid_rows = math.ceil(count / per_row)
    col, row = index % per_row, index // per_row
    x = (p - 1) * width + (col + 0.5) * width / per_row
    y = i * height - (row + 0.5) * height / grid_rows  # first row at the top of the cell
    return round(x, 3), round(y, 3)


def lone_position(risk: Risk, model: Model) -> tuple[float, float]:
    """``chart_points([risk], model)``'s position for an active risk: where it goes when drawn alone."""
    if risk.chart is not None:
        return risk.chart
    return _grid_position(risk.probability.value, risk.impact.value, 0, 1, model)
