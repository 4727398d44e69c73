"""Name matching helpers: case-insensitive lookup, natural sort keys, "did you mean"."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_DIGIT_RUNS = re.compile(r"(\d+)")


def _by_value(digits: str) -> tuple[int, str]:
    """A run of digits as a key that orders by value: its length without leading zeros, then its digits.

    Not int(): Python refuses to convert more than 4,300 digits, and an id may hold more.
    """
    if not digits.isascii():  # \d also matches other scripts' digits, such as Arabic-Indic
        digits = "".join(str(unicodedata.digit(ch)) for ch in digits)
    significant = digits.lstrip("0")
    return len(significant), significant


@lru_cache(maxsize=65536)  # ids are sorted by several views of a register of thousands
def natural_key(text: str) -> tuple[tuple[tuple[int, tuple[int, str] | str], ...], str]:
    """Sort key comparing runs of digits by value and other runs as text.

    Equal keys fall back to the plain string, so ``X-02`` sorts just before ``X-2``.
    """
    parts: list[tuple[int, tuple[int, str] | str]] = []
    for index, run in enumerate(_DIGIT_RUNS.split(text)):
        if not run:
            continue
        # Odd indexes of re.split with one group are the digit runs.
        parts.append((0, _by_value(run)) if index % 2 else (1, run))
    return tuple(parts), text


def close_match(value: str, choices: Iterable[str]) -> str | None:
    """The choice ``value`` is most likely a misspelling of, if any (case aside)."""
    by_fold = {name.casefold(): name for name in choices}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None


def suggestion(value: str, choices: Iterable[str]) -> str:
    """A "did you mean" tail for a message, or the list of valid names."""
    names = list(choices)
    close = close_match(value, names)
    if close is not None:
        return f"did you mean '{close}'?"
    return "valid names: " + ", ".join(names) if names else "no names are configured"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A "did you mean" tail (after a semicolon) for a message that already lists the choices, or ""."""
    close = close_match(value, choices)
    return "" if close is None else f"; did you mean '{close}'?"
