"""Small builders for the raw HTML fragments the generated pages embed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .text import escape


@dataclass(frozen=True)
class Cell:
    """A table cell: ``html`` is already safe HTML; ``attrs`` are escaped here."""

    html: str
    attrs: Mapping[str, str] | None = None


def attributes(attrs: Mapping[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell | str]],
    *,
    attrs: Mapping[str, str] | None = None,
    row_attrs: Sequence[Mapping[str, str] | None] | None = None,
) -> str:
    """An HTML table on lines of its own (no blank line), so Markdown leaves it intact.

    Plain ``str`` cells are escaped; :class:`Cell` cells carry ready HTML.
    """
    lines = []
    for index, row in enumerate(rows):
        tr_attrs = row_attrs[index] if row_attrs else None
        cells = []
        for cell in row:
            if isinstance(cell, Cell):
                cells.append(f"<td{attributes(cell.attrs)}>{cell.html}</td>")
            else:
                cells.append(f"<td>{escape(cell)}</td>")
        lines.append(f"<tr{attributes(tr_attrs)}>" + "".join(cells) + "</tr>")
    return table_of_rows(headers, lines, attrs=attrs)


def table_of_rows(headers: Sequence[str], rows_html: Iterable[str], *, attrs: Mapping[str, str] | None = None) -> str:
    """:func:`table` around rows already written as ``<tr>`` lines (for tables of thousands of rows)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return "\n".join(
        [
            f"<table{attributes(attrs)}>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows_html,
            "</tbody>",
            "</table>",
        ]
    )


def link(href: str, label_html: str, *, title: str | None = None) -> str:
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{title_attr}>{label_html}</a>'
