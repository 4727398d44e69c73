"""Reading a spreadsheet register: CSV here, XLSX in :mod:`.xlsx`; both give sheets of rows of cell values.

Every limit below is a promise that a hostile or broken file ends in one clear error,
never in a hang or in memory without bound (docs/spreadsheets.md lists them).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest CSV or XLSX file ``import`` reads."""
MAX_ROWS = 100_000
"""Rows of one sheet past which ``import`` stops (a register of 100,000 risks is far beyond any real one)."""
MAX_CELL_CHARS = 131_072
"""The longest cell of a CSV file (the csv module's own default limit)."""
MAX_LINE_CHARS = 4 * 1024 * 1024
"""The longest line of a CSV file: a line of 60 MB of commas would otherwise become 60 million cells."""
HEADER_SEARCH_ROWS = 50
"""How far down a sheet its header row is looked for."""


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: import reports it and never evaluates it."""

    text: str


CellValue = str | int | float | bool | dt.date | dt.datetime | Formula | None
Row = tuple[int, tuple[CellValue, ...]]
"""A row's number as a spreadsheet shows it (1-based), and its cells from column A on."""


@dataclass(frozen=True)
class Merged:
    """A merged range of cells: rows as a spreadsheet numbers them (1-based), columns from 0 (A).
    The spreadsheet shows the value of its top-left cell across the whole range."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int


def _no_merged() -> Sequence[Merged]:
    return ()


@dataclass
class Sheet:
    name: str
    rows: Iterator[Row]
    merged: Callable[[], Sequence[Merged]] = field(default=_no_merged)
    """The sheet's merged ranges, read when asked for (a CSV file has none)."""


class SheetError(Exception):
    """A file that cannot be read as a register: one line for the user, with the row where known."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the names a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def check_file_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SheetError(f"cannot read file: {error.strerror or error}") from None
    if size > MAX_FILE_BYTES:
        raise SheetError(f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes for import")


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"))
_BOMS16 = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _encoding(head: bytes) -> str:
    """UTF-8 unless a byte-order mark says otherwise (Excel's "Unicode text" is UTF-16 with one)."""
    for bom, name in (*_BOMS, *_BOMS16):  # UTF-32 LE starts like UTF-16 LE: test it first
        if head.startswith(bom):
            return name
    return "utf-8"


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma, semicolon (a spreadsheet set to a language with decimal commas) or tab."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_csv(path: Path) -> Sheet:
    """The rows of a CSV file, read as they are needed."""
    check_file_size(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the generator below)
    except OSError as error:
        raise SheetError(f"cannot read file: {error.strerror or error}") from None
    head = handle.read(64 * 1024)
    encoding = _encoding(head)
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        sample = head.decode(encoding, errors="ignore")[: 16 * 1024]
    except LookupError:  # pragma: no cover - every name above is a codec
        sample = ""
    dialect = _dialect(sample)
    return Sheet(path.name, _csv_rows(text, dialect))


def _csv_rows(text: io.TextIOWrapper, dialect: type[csv.Dialect] | csv.Dialect) -> Iterator[Row]:
    # field_size_limit is the csv module's global: set it for this read and put it back.
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    number = 0
    try:
        reader = csv.reader(_bounded_lines(text), dialect)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise SheetError(
                    f"not valid UTF-8 near row {number + 1} ({error.reason}); "
                    "save the file as 'CSV UTF-8' (or as UTF-16 with a byte-order mark)",
                    number + 1,
                ) from None
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    raise SheetError(
                        f"a cell is longer than {MAX_CELL_CHARS:,} characters; no risk field is that long",
                        number + 1,
                    ) from None
                raise SheetError(f"not a readable CSV file: {error}", number + 1) from None
            number += 1
            # A row is what a spreadsheet shows as one row; a quoted line break does not start another.
            yield number, tuple(cells)
    finally:
        csv.field_size_limit(previous)
        text.close()


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    line_number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        line_number += 1
        if len(line) > MAX_LINE_CHARS:
            raise SheetError(
                f"line {line_number} is longer than {MAX_LINE_CHARS:,} characters; no register row is that long "
                f"(a cell may hold at most {MAX_CELL_CHARS:,} characters)"
            )
        yield line


def read_table(path: Path) -> list[Sheet]:
    """The sheets of a ``.csv`` or ``.xlsx`` file (a CSV file has one)."""
    suffix = os.path.splitext(path.name)[1].lower()
    if suffix == ".xlsx":
        from .xlsx import read_workbook  # noqa: PLC0415 (xlsx needs openpyxl, an optional extra)

        return read_workbook(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return [read_csv(path)]
    raise SheetError(f"cannot import '{suffix or path.name}' files: give a .csv or .xlsx file")
