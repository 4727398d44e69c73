"""The risk matrix as a build-time SVG: moved to :mod:`.charts.matrix`, beside the other charts.

The charts live in the package :mod:`.charts`: ``geometry`` (text widths, boxes, numbers),
``matrix`` (the risk matrix) and ``timeline`` (the history's time charts). This module keeps
the names it has always offered importable.
"""

from __future__ import annotations

from .charts.geometry import ASCENT, FONT_FAMILY, LINE, SVG_NS, XLINK_NS, Box, text_height, text_width
from .charts.matrix import (
    AXIS_SIZE,
    FREE_LIMIT,
    GAP,
    HIGHLIGHT_R,
    LABEL_SIZE,
    MARKER_R,
    MAX_LABEL_CHARS,
    PAD,
    SCORE_SIZE,
    TITLE_SIZE,
    Cell,
    CompactChart,
    Marker,
    MatrixLayout,
    count_text,
    describe,
    matrix_figure,
    matrix_layout,
    register_charts,
    render_svg,
    risk_summary,
    short_label,
    standalone_svg,
)

__all__ = [
    "ASCENT",
    "AXIS_SIZE",
    "FONT_FAMILY",
    "FREE_LIMIT",
    "GAP",
    "HIGHLIGHT_R",
    "LABEL_SIZE",
    "LINE",
    "MARKER_R",
    "MAX_LABEL_CHARS",
    "PAD",
    "SCORE_SIZE",
    "SVG_NS",
    "TITLE_SIZE",
    "XLINK_NS",
    "Box",
    "Cell",
    "CompactChart",
    "Marker",
    "MatrixLayout",
    "count_text",
    "describe",
    "matrix_figure",
    "matrix_layout",
    "register_charts",
    "render_svg",
    "risk_summary",
    "short_label",
    "standalone_svg",
    "text_height",
    "text_width",
]
