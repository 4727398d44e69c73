"""What every build-time SVG chart shares: the SVG namespace and font, text widths, boxes, numbers.

Text widths are estimated from character counts with wide, bold metrics, so that real fonts
render narrower than the boxes a layout reserved; a label placed where its box overlaps no
other box never overlaps on screen.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Markers link with xlink:href, which every browser still follows: Material's instant navigation
# rewrites each element matching [href] with `el.href = el.href`, which throws on an SVG <a>
# (its href is read-only) and stops the page from loading.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

LINE = 1.2  # a text box is this many font sizes tall (DejaVu Sans, a wide font, needs 1.164)
ASCENT = 0.93  # baseline below the top of a text box, in font sizes


# ---------------------------------------------------------------------------- text widths


@lru_cache(maxsize=4096)
def char_width(ch: str) -> float:
    """A width in font sizes, at least that of DejaVu Sans Bold (wider than Arial, Roboto, Segoe UI)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.1
    if ch in "MWmw@%":
        return 1.12
    if ch in "il|!.,:;'`ijI":
        return 0.42
    if ch == " ":
        return 0.38
    if ch.isupper():
        return 0.84
    if ch.isdigit():
        return 0.72
    if ch.islower():
        return 0.72
    if ch.isascii():
        return 0.72
    return 0.9


@lru_cache(maxsize=65536)  # every risk id of a large register, on the register's chart and its own page
def text_width(text: str, size: float) -> float:
    """A conservative width of ``text`` at font size ``size`` (bold or not)."""
    return math.ceil(sum(char_width(ch) for ch in text) * size + 2)


def text_height(size: float) -> float:
    return math.ceil(size * LINE)


# ---------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
        )

    def inside(self, outer: Box) -> bool:
        return self.x >= outer.x and self.y >= outer.y and self.right <= outer.right and self.bottom <= outer.bottom

    def shrink(self, by: float) -> Box:
        return Box(self.x + by, self.y + by, self.w - 2 * by, self.h - 2 * by)


def circle_box(cx: float, cy: float, r: float) -> Box:
    return Box(cx - r, cy - r, 2 * r, 2 * r)


def segment_hits(x1: float, y1: float, x2: float, y2: float, box: Box) -> bool:
    """Whether the segment crosses the box (Liang-Barsky clipping)."""
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box.x), (dx, box.right - x1), (-dy, y1 - box.y), (dy, box.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def nearest_point(box: Box, x: float, y: float) -> tuple[float, float]:
    return min(max(x, box.x), box.right), min(max(y, box.y), box.bottom)


def num(value: float) -> str:
    """Coordinates with at most one decimal: small, stable output."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
