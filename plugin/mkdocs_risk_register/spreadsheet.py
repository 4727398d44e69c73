"""Cells for spreadsheets: values written so that no spreadsheet runs them, and read back unchanged.

A spreadsheet takes a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(a tab or a carriage return first hides one from the eye). A risk titled
``=HYPERLINK("http://example.invalid","Click")`` would otherwise become a live link,
or worse, in every copy of ``risks.csv`` that someone opens: CSV injection, in OWASP's
terms. OWASP's rule is to start such a cell with a single quote, which spreadsheets
show as text. :func:`restore` undoes it, so the same value comes back through ``import``.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A number stays a number: -3 in a score column is not a formula, and quoting it would make it text.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")


def _needs_quote(text: str) -> bool:
    """Whether ``text`` would be read as a formula, or is itself a quoted cell (quote, quotes, formula start).

    The second case keeps the mapping one to one: a title that really is ``'=x`` is written
    ``''=x`` and read back as ``'=x``.
    """
    rest = text.lstrip(QUOTE)
    return rest.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(rest)


def formula_safe(value: str) -> str:
    """``value`` as a cell no spreadsheet evaluates: a quote before a formula start."""
    return QUOTE + value if _needs_quote(value) else value


def restore(cell: str) -> str:
    """The value :func:`formula_safe` was given for ``cell`` (any other text is returned as it is)."""
    return cell[1:] if cell.startswith(QUOTE) and _needs_quote(cell[1:]) else cell
