"""XLSX in and out, with openpyxl (the optional ``[xlsx]`` extra).

openpyxl is imported only here, and only when a workbook is read or written: the
plugin and the other commands work without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .fields import Field
from .naming import natural_key
from .register import Register
from .risk import Risk
from .sheets import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    CellValue,
    Formula,
    Merged,
    Row,
    Sheet,
    SheetError,
    check_file_size,
    column_letter,
)
from .spreadsheet import formula_safe, restore
from .views.export import register_to_csv, uses_treatment

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

INSTALL_HINT = "pip install 'mkdocs-risk-register[xlsx]'"
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""What the parts of a workbook may unpack to: a zip bomb declares far more and is refused unread."""
MAX_PARTS = 10_000


class XlsxUnavailable(Exception):
    """openpyxl is not installed."""

    def __init__(self) -> None:
        super().__init__(f"XLSX needs the optional package openpyxl: {INSTALL_HINT}")


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 (an optional extra: imported when a workbook is needed)
    except ImportError:
        raise XlsxUnavailable() from None
    return openpyxl


# --- reading -----------------------------------------------------------------------------------


def check_zip(path: Path) -> dict[str, bytes]:
    """Refuse a file that is not a zip, or whose parts would unpack to more than the limit.

    The sizes come from the zip's directory; Python's zipfile never unpacks a part past its
    declared size (and fails on a part that lies about it), so the check bounds what is read.
    Returns the ``<mergeCells>`` element of each worksheet part that has one (see :func:`_scan`).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SheetError(f"not an XLSX workbook (it is not a zip archive: {error})") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise SheetError(f"the workbook has {len(parts):,} parts, over the limit of {MAX_PARTS:,}")
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise SheetError(
                f"the workbook would unpack to {unpacked:,} bytes, over the limit of {MAX_UNPACKED_BYTES:,} bytes "
                "(a zip bomb, or far larger than any register); not read"
            )
        merges: dict[str, bytes] = {}
        try:
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    merges[part.filename] = _scan(archive, part.filename)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise SheetError(f"not a readable XLSX workbook: {error}") from None
    return merges


_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_ROW_TAG = re.compile(rb"<" + _NAME + rb"row[\s>/]")
_MERGES_TAG = re.compile(rb"<" + _NAME + rb"mergeCells[\s>/]")
# The element's end tag, or its start tag when that closes it (an empty element, at the start).
_MERGES_END = re.compile(rb"</" + _NAME + rb"mergeCells\s*>|\A<" + _NAME + rb"mergeCells\b[^>]*/>")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*>")
_MAX_SHEET_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS
MAX_MERGES_BYTES = 16 * 1024 * 1024
"""The longest ``<mergeCells>`` element of a sheet: some 400,000 merged ranges."""


def _scan(archive: zipfile.ZipFile, name: str) -> bytes:
    """Refuse a sheet of more rows than import reads, before openpyxl parses it, and return its
    ``<mergeCells>`` element (b"" when it has none) inside the sheet's root tag, as an XML document.

    Counting row tags in the unpacked bytes is quick and needs no memory to speak of; openpyxl
    itself parses a whole sheet when it opens one that does not declare its size. The merged
    ranges come after the rows (``<sheetData>``), which openpyxl's read-only mode streams and
    which this pass reads anyway: the element is kept here, to be parsed by :func:`_merged`.
    """
    count, tail, root, merges, merges_end = 0, b"", b"", bytearray(), -1
    with archive.open(name) as stream:
        while chunk := stream.read(1024 * 1024):
            if not root:
                found = _ROOT_TAG.search(chunk)
                root = found.group(0) if found else b""
            if merges and merges_end < 0:
                merges += chunk
                closed = _MERGES_END.search(merges, max(len(merges) - len(chunk) - 64, 0))
                merges_end = closed.end() if closed else -1
                if merges_end < 0 and len(merges) > MAX_MERGES_BYTES:
                    raise SheetError(
                        f"a sheet of the workbook has more than {MAX_MERGES_BYTES:,} bytes of merged cells; "
                        "no register has that many"
                    )
            data = tail + chunk
            count += len(_ROW_TAG.findall(data))
            # A plain search first: the tag's pattern would be tried at every "<" of the rows.
            at = data.find(b"mergeCells") if not merges else -1
            if at >= 0 and (opened := _MERGES_TAG.search(data, max(at - 64, 0))):
                merges += data[opened.start() :]
                closed = _MERGES_END.search(merges)
                merges_end = closed.end() if closed else -1
            # Keep the end of the chunk for a tag split across two reads, but never count one twice.
            cut = max(len(data) - 32, 0)
            last = data.rfind(b"<", cut)
            tail = data[last:] if last >= 0 and not _ROW_TAG.match(data, last) else b""
            if count > _MAX_SHEET_ROWS:
                raise SheetError(
                    f"a sheet of the workbook has more than {_MAX_SHEET_ROWS:,} rows; import reads at most "
                    f"{MAX_ROWS:,} rows of risks below a header in the first {HEADER_SEARCH_ROWS} rows"
                )
    if not merges or not root:
        return b""
    if merges_end >= 0:
        del merges[merges_end:]
    end_tag = b"</" + root[1:].split(None, 1)[0].rstrip(b">") + b">"
    return root + bytes(merges) + end_tag


def _merged(document: bytes) -> tuple[Merged, ...]:
    """The ranges of a ``<mergeCells>`` element, read by openpyxl's own classes and XML parser.

    The parser is the one openpyxl reads the rest of the workbook with (defusedxml's, which the
    ``[xlsx]`` extra installs). The document starts at the sheet's root tag, so it has no DTD
    and declares no entity: whatever the sheet held before its root, nothing here can expand.
    """
    if not document:
        return ()
    _openpyxl()
    from openpyxl.worksheet.merge import MergeCells  # noqa: PLC0415 (the optional extra, as above)
    from openpyxl.xml.functions import fromstring  # noqa: PLC0415

    try:
        element: Any = fromstring(document)
        if len(element) != 1:  # an element that never closed: the sheet's XML is broken
            raise ValueError("the merged cells are not well-formed XML")
        parsed = MergeCells.from_tree(element[0])
        ranges = parsed.mergeCell if parsed is not None else ()
        return tuple(Merged(r.min_row, r.max_row, r.min_col - 1, r.max_col - 1) for r in ranges)
    except Exception as error:  # the parser and openpyxl's classes raise many kinds: each is "cannot read it"
        raise SheetError(f"the merged cells of the sheet cannot be read: {error}") from None


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, its rows read as they are needed (openpyxl's read-only mode)."""
    openpyxl = _openpyxl()
    check_file_size(path)
    merges = check_zip(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a broken file; each is "cannot read it"
        raise SheetError(f"not a readable XLSX workbook: {error}") from None
    sheets = []
    for name in workbook.sheetnames:
        # Read-only worksheets have no merged_cells; the part a sheet is read from is where its
        # merged ranges are. A part outside xl/worksheets/ is scanned here, as check_zip scans the others.
        part = getattr(workbook[name], "_worksheet_path", None)
        if isinstance(part, str) and part not in merges:
            try:
                with zipfile.ZipFile(path) as archive:
                    merges[part] = _scan(archive, part)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
                raise SheetError(f"sheet '{name}' cannot be read: {error}") from None
        document = merges.get(part, b"") if isinstance(part, str) else b""
        sheets.append(Sheet(name, _rows(workbook, name), functools.cache(functools.partial(_merged, document))))
    if not sheets:
        workbook.close()
    return sheets


def _rows(workbook: Any, name: str) -> Iterator[Row]:
    number = 0
    try:
        sheet = workbook[name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet has no cells
            return
        # The declared dimensions may be wrong; read every cell there is.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, tuple(_value(cell) for cell in cells)
    except SheetError:
        raise
    except Exception as error:  # a broken part of the zip or its XML: say where, and stop
        raise SheetError(f"sheet '{name}' cannot be read past row {number}: {error}", number + 1) from None


def _value(cell: Any) -> CellValue:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(value))
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    return str(value)  # a time or a duration: text, for the validator to judge


# --- writing -----------------------------------------------------------------------------------

NUMERIC_COLUMNS = frozenset({"Score", "Residual"})
DATE_COLUMNS = frozenset({"Reviewed", "Next review", "Target date", "Accepted until"})
MAX_WIDTH = 60


def _contrast(color: str) -> str:
    """Black or white text, whichever reads better on ``color`` (#rrggbb)."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def _hex(color: str) -> str | None:
    text = color.strip()
    if len(text) == 4 and text.startswith("#"):  # #rgb
        text = "#" + "".join(c * 2 for c in text[1:])
    if len(text) == 7 and text.startswith("#"):
        try:
            int(text[1:], 16)
        except ValueError:
            return None
        return text
    return None


def _typed(column: str, text: str, declared: Field | None = None) -> CellValue:
    """A cell of risks.csv as the workbook's typed value: scores as numbers, dates as dates
    (a declared field's column by its type)."""
    value = restore(text)
    if declared is not None and declared.type == "number" and value:
        try:
            return float(value) if any(ch in value for ch in ".eE") else int(value)
        except ValueError:
            return value
    if declared is not None and declared.type == "date" and value:
        return dt.date.fromisoformat(value)
    if column in NUMERIC_COLUMNS:
        try:
            return int(value)
        except ValueError:
            return value
    if column in DATE_COLUMNS:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Writer:
    def __init__(self) -> None:
        openpyxl = _openpyxl()
        self.styles = openpyxl.styles
        self.workbook = openpyxl.Workbook()
        self.bold = self.styles.Font(bold=True)

    def put(self, sheet: Worksheet, row: int, column: int, value: CellValue) -> Any:
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            # Text is always text: never a formula, whatever it starts with (docs/spreadsheets.md).
            cell.value = formula_safe(value)
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        elif not isinstance(value, Formula):
            cell.value = value
        return cell

    def fill(self, cell: Any, color: str) -> None:
        checked = _hex(color)
        if checked is None:
            return
        cell.fill = self.styles.PatternFill("solid", fgColor=checked[1:].upper())
        cell.font = self.styles.Font(color=_contrast(checked), bold=cell.font.bold)

    def table(self, sheet: Worksheet, header: list[str], rows: list[list[CellValue]]) -> None:
        """A header row (bold, frozen, with filters) over ``rows``, and widths that fit."""
        widths = [len(name) for name in header]
        for column, name in enumerate(header, start=1):
            self.put(sheet, 1, column, name).font = self.bold
        for row_number, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                cell = self.put(sheet, row_number, column, value)
                text = value.isoformat() if isinstance(value, dt.date) else str(value if value is not None else "")
                longest = max((len(line) for line in text.split("\n")), default=0)
                widths[column - 1] = max(widths[column - 1], longest)
                if longest > MAX_WIDTH or "\n" in text:
                    cell.alignment = self.styles.Alignment(wrap_text=True, vertical="top")
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[column_letter(column - 1)].width = min(max(width, 6), MAX_WIDTH) + 2
        sheet.freeze_panes = "A2"
        if header:
            sheet.auto_filter.ref = f"A1:{column_letter(len(header) - 1)}{max(len(rows) + 1, 1)}"


def register_to_xlsx(register: Register) -> bytes:
    """The register as a workbook: the register sheet (the columns of risks.csv, then the fields it
    leaves out), the matrix, and the review schedule."""
    writer = _Writer()
    register_sheet = writer.workbook.active
    register_sheet.title = "Register"

    csv_rows = list(csv.reader(io.StringIO(register_to_csv(register), newline="")))
    # The fields risks.csv leaves out, so that `import` gets every field of risks.json back.
    extras: dict[str, Callable[[Risk], CellValue]] = {
        "Reviewed": lambda risk: risk.reviewed,
        "Chart": lambda risk: ", ".join(f"{v:g}" for v in risk.chart) if risk.chart is not None else None,
        "Related": lambda risk: "\n".join(risk.related) or None,
    }
    if uses_treatment(register):
        # risks.csv has the residual score and the acceptance's expiry; these are the rest of them.
        extras.update(
            {
                "Residual probability": lambda risk: risk.residual.probability.name if risk.residual else None,
                "Residual impact": lambda risk: risk.residual.impact.name if risk.residual else None,
                "Accepted by": lambda risk: risk.acceptance.by if risk.acceptance else None,
                "Accepted on": lambda risk: risk.acceptance.date if risk.acceptance else None,
                "Acceptance reason": lambda risk: risk.acceptance.reason if risk.acceptance else None,
            }
        )
    # Declared fields are risks.csv's last columns: they stay last, after the extras.
    fields = register.model.fields
    own = len(csv_rows[0]) - len(fields)
    extras = {name: value for name, value in extras.items() if name not in csv_rows[0][:own]}
    header = [*csv_rows[0][:own], *extras, *csv_rows[0][own:]]
    rows: list[list[CellValue]] = [
        [
            *(_typed(name, text) for name, text in zip(csv_rows[0][:own], cells[:own], strict=True)),
            *(f(risk) for f in extras.values()),
            *(_typed(f.label, text, f) for f, text in zip(fields, cells[own:], strict=True)),
        ]
        for risk, cells in zip(register.risks, csv_rows[1:], strict=True)
    ]
    writer.table(register_sheet, header, rows)
    for column_name in ("Score", "Band"):
        if column_name in header:
            column = header.index(column_name) + 1
            for row_number, risk in enumerate(register.risks, start=2):
                writer.fill(register_sheet.cell(row=row_number, column=column), risk.band.color)

    _matrix_sheet(writer, register)
    _schedule_sheet(writer, register)
    output = io.BytesIO()
    writer.workbook.save(output)
    return output.getvalue()


def _matrix_sheet(writer: _Writer, register: Register) -> None:
    """Impact down (highest first), probability across: each cell its score and its risks' ids."""
    sheet = writer.workbook.create_sheet("Matrix")
    model = register.model
    probability, impact = model.probability.levels, model.impact.levels
    in_cell: dict[tuple[int, int], list[str]] = {}
    for risk in register.risks:
        if risk.active:
            in_cell.setdefault((risk.probability.value, risk.impact.value), []).append(risk.id)
    writer.put(sheet, 1, 1, "Impact \\ Probability").font = writer.bold
    for column, level in enumerate(probability, start=2):
        writer.put(sheet, 1, column, level.name).font = writer.bold
        sheet.column_dimensions[_letter(column)].width = 24
    sheet.column_dimensions["A"].width = 22
    for row, level in enumerate(reversed(impact), start=2):
        writer.put(sheet, row, 1, level.name).font = writer.bold
        for column, p_level in enumerate(probability, start=2):
            score = model.score(p_level, level)
            ids = sorted(in_cell.get((p_level.value, level.value), []), key=natural_key)
            cell = writer.put(sheet, row, column, "\n".join([str(score), *ids]))
            cell.alignment = writer.styles.Alignment(wrap_text=True, vertical="top")
            writer.fill(cell, model.band_for(score).color)
    sheet.freeze_panes = "B2"


def _schedule_sheet(writer: _Writer, register: Register) -> None:
    """Active risks by next review, soonest first (the overdue ones lead)."""
    sheet = writer.workbook.create_sheet("Review schedule")
    active = [r for r in register.risks if r.active and r.next_review is not None]
    active.sort(key=lambda r: (r.next_review or dt.date.max, natural_key(r.id)))
    header = ["ID", "Risk", "Owner", "Band", "Reviewed", "Next review", "Overdue"]
    rows: list[list[CellValue]] = [
        [r.id, r.title, r.owner_text, r.band.name, r.reviewed, r.next_review, "yes" if r.overdue else "no"]
        for r in active
    ]
    writer.table(sheet, header, rows)
    for row_number, risk in enumerate(active, start=2):
        writer.fill(sheet.cell(row=row_number, column=4), risk.band.color)


def _letter(column: int) -> str:

    return str(column_letter(column - 1))
