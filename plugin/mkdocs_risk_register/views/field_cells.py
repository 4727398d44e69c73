"""Declared fields (``fields:``) as elements of a view: card rows, table cells, sort keys.

A ``text`` field is inline Markdown, drawn as ``mitigation`` is (its links seen by the
host); a ``link`` field is a link whose target is the value (a path is relative to the
register's pages, like links in other fields); a ``list`` field is a list; dates and
numbers are text.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from typing import Any

from markdown.util import AtomicString

from ..fields import Field, FieldValue, value_text
from ..register import Register
from ..risk import Risk
from .inline import Relocate, append_inline, append_text
from .text import flat, plain_text


def find_field(fields: Sequence[Field], name: str) -> Field | None:
    """A declared field named by its label or its name (matched with casefold)."""
    folded = name.casefold()
    return next((f for f in fields if folded in (f.label.casefold(), f.name.casefold())), None)


def write_value(td: etree.Element, field: Field, value: FieldValue | None, relocate: Relocate | None) -> None:
    """The value drawn into a cell (nothing when the risk has none)."""
    if value is None:
        return
    if isinstance(value, tuple):
        items = etree.SubElement(td, "ul", {"class": "risk-register-field-list"})
        for item in value:
            append_inline(etree.SubElement(items, "li"), item, relocate)
    elif field.type == "text":
        append_inline(td, str(value), relocate)
    elif field.type == "link":
        href = relocate(str(value)) if relocate else str(value)
        anchor = etree.SubElement(td, "a", {"href": href})
        anchor.text = AtomicString(flat(str(value)))
    else:
        append_text(td, value_text(value))


def field_rows(
    risk: Risk, fields: Sequence[Field], relocate: Relocate | None
) -> list[tuple[str, Callable[[etree.Element], None]]]:
    """A card's rows for the declared fields the risk gives, by label in the order declared."""
    rows: list[tuple[str, Callable[[etree.Element], None]]] = []
    for field in fields:
        value = risk.field(field.name)
        if value is not None:
            rows.append((field.label, functools.partial(write_value, field=field, value=value, relocate=relocate)))
    return rows


def sort_key(field: Field) -> Callable[[Risk, Register], Any]:
    """Order by the field's value; risks without one last (ascending)."""

    def key(risk: Risk, register: Register) -> Any:
        value = risk.field(field.name)
        if value is None:
            return (1, 0, "")
        if isinstance(value, (int, float)):
            return (0, value, "")
        return (0, 0, plain_text(value_text(value)).casefold())

    return key


def matches(risk: Risk, field: Field, wanted: frozenset[str]) -> bool:
    """A filter on a field: its value (or one of its items), as text, is one of ``wanted`` (casefolded)."""
    value = risk.field(field.name)
    if value is None:
        return False
    texts = value if isinstance(value, tuple) else (value_text(value),)
    return any(text.casefold() in wanted for text in texts)
