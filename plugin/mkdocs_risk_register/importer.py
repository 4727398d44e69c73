"""``import``: rows of a spreadsheet register become risk files, each judged by the build's own rules.

A row is turned into the front matter it stands for, and that text goes through the
same parser and validator as every risk file of a build (:func:`register.check_file`):
there is one set of rules, never a second one for spreadsheets.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity, brief, printable
from .fields import Field
from .loader import is_risk_path, parse_front_matter, split_front_matter
from .model import Model
from .register import Register, check_file
from .sheets import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    CellValue,
    Formula,
    Merged,
    Row,
    Sheet,
    SheetError,
    column_letter,
)
from .spreadsheet import restore
from .validate import KNOWN_KEYS, REQUIRED_KEYS

# The register's own column names (risks.csv, the reference's table) and the keys they hold.
COLUMN_KEYS = {
    "id": "id",
    "risk": "title",
    "title": "title",
    "category": "category",
    "prob": "probability",
    "probability": "probability",
    "impact": "impact",
    "owner": "owner",
    "mitigation": "mitigation",
    "contingency": "contingency",
    "status": "status",
    "reviewed": "reviewed",
    "chart": "chart",
    "related": "related",
    "description": "description",
    # Treatment (docs/treatment.md): risks.csv's columns, then the parts of `residual` and
    # `acceptance` that only the workbook's register sheet has. A dotted key is a part of a mapping.
    "treatment": "treatment",
    "target date": "target_date",
    "target_date": "target_date",
    "accepted until": "acceptance.expires",
    "residual probability": "residual.probability",
    "residual impact": "residual.impact",
    "accepted by": "acceptance.by",
    "accepted on": "acceptance.date",
    "acceptance reason": "acceptance.reason",
}
# Computed from the others by every build: read, never written into a risk file.
# (risks.csv's Residual column is the residual *score*: computed from the residual levels.)
COMPUTED_COLUMNS = frozenset(
    {"score", "band", "next review", "next_review", "overdue", "rank", "active", "source", "residual", "residual score"}
)
DATE_KEYS = frozenset({"reviewed", "target_date", "acceptance.date", "acceptance.expires"})
IGNORE = ""
"""``--map COLUMN=`` (no key): leave the column out without a word."""
BODY_KEY = "description"
"""Not a front-matter key: its text becomes the body's ``## Description`` section."""
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01; Excel counts 1900-02-29, which never was
_LAST_SERIAL = 2_958_465  # 9999-12-31
_LIST_SPLIT = re.compile(r"\s*(?:\n|,\s)\s*")


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_mapping(options: Sequence[str]) -> dict[str, str]:
    """``--map COLUMN=key`` options as {normalised column: key}; ValueError names a bad one."""
    mapping: dict[str, str] = {}
    for option in options:
        column, sep, key = option.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"--map {option!r}: expected COLUMN=key (or COLUMN= to leave a column out)")
        key = key.strip()
        if key and key not in (*KNOWN_KEYS, *COLUMN_KEYS.values()) and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", key):
            raise ValueError(f"--map {option!r}: '{key}' cannot be a front-matter key")
        mapping[_normal(column)] = key
    return mapping


@dataclass(frozen=True)
class Header:
    row: int
    keys: dict[int, str]
    """Column index -> key, for the columns that are read."""
    names: dict[int, str]
    """Column index -> heading as written, for every non-empty heading."""
    ignored: tuple[int, ...]
    """Columns neither known nor mapped: reported once, not read."""


def find_header(rows: Sequence[Row], mapping: Mapping[str, str]) -> Header | None:
    """The first row of the first ``HEADER_SEARCH_ROWS`` with an id column and one more known column."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        keys: dict[int, str] = {}
        names: dict[int, str] = {}
        ignored: list[int] = []
        for index, cell in enumerate(cells):
            if cell is None or isinstance(cell, Formula) or not str(cell).strip():
                continue
            name = str(cell).strip()
            names[index] = name
            normal = _normal(name)
            key = mapping.get(normal, COLUMN_KEYS.get(normal))
            if key is None and normal not in COMPUTED_COLUMNS:
                ignored.append(index)
            elif key and key not in keys.values():
                keys[index] = key
        if "id" in keys.values() and len(keys) >= 2:
            return Header(number, keys, names, tuple(ignored))
    return None


# --- one row to front matter ----------------------------------------------------------------------


class CellProblem(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # a spreadsheet shows 1984, not 1984.0
    return str(value)


def _text(value: CellValue) -> str:
    if isinstance(value, str):
        return restore(value)  # a quoted formula start, as export writes it, reads back as the value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    assert isinstance(value, (int, float))
    return _number_text(value)


def _date(value: CellValue) -> Any:
    """A review date: a date cell, ISO text, or a spreadsheet's serial number (46061 is 2026-02-08)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]+(?:\.0+)?", value.strip()):
        value = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and 1 <= value <= _LAST_SERIAL):
            raise CellProblem(
                f"{brief(value)} is not a date (a date serial number is from 1 to {_LAST_SERIAL})", "bad-date"
            )
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = _text(value)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # the validator says what is wrong with it, as it does in a risk file


def _chart(value: CellValue) -> Any:
    parts = _LIST_SPLIT.split(_text(value).strip().strip("[]"))
    try:
        return [float(part) for part in parts]
    except ValueError:
        return _text(value)


def declared_columns(fields: Sequence[Field]) -> dict[str, str]:
    """Columns of declared fields (``fields:``), by label and by name, and the keys they hold."""
    columns = {_normal(f.name): f.name for f in fields}
    columns.update({_normal(f.label): f.name for f in fields})
    return columns


def _declared_value(declared: Field, value: CellValue) -> Any:
    """A declared field's cell, as risks.csv writes it: a list's items split as ``related``'s are."""
    if declared.type == "date":
        return _date(value)
    if declared.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value
    text = _text(value).strip()
    if declared.type == "number":
        try:
            return yaml.safe_load(text) if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text) else text
        except yaml.YAMLError:
            return text
    if declared.type == "list":
        return [item for item in _LIST_SPLIT.split(text) if item]
    return text


def _cell_value(key: str, value: CellValue, declared: Field | None = None) -> Any:
    if isinstance(value, Formula):
        raise CellProblem(
            f"the cell holds a formula ({brief(value.text)}), which import does not evaluate; "
            "copy the column and paste it as values",
            "formula-cell",
        )
    if declared is not None:
        return _declared_value(declared, value)
    if key in DATE_KEYS:
        return _date(value)
    if key == "chart":
        return _chart(value)
    text = _text(value).strip()
    if key in ("related", "owner"):
        items = [item for item in _LIST_SPLIT.split(text) if item]
        return items if key == "related" or len(items) > 1 else text
    return text


@dataclass
class RowResult:
    row: int
    risk_id: str | None
    fields: dict[str, Any]
    body: str
    problems: list[tuple[int | None, Severity, str, str]] = field(default_factory=list)
    """(column index or None, severity, message, code)."""

    @property
    def refused(self) -> bool:
        return any(severity == "error" for _, severity, _, _ in self.problems)


def read_row(
    number: int,
    cells: tuple[CellValue, ...],
    header: Header,
    fields: Mapping[str, Field] | None = None,
    merged: Mapping[int, CellValue] | None = None,
) -> RowResult | None:
    """A data row's fields, or None for a row that holds no risk (empty, or a heading merged across).

    ``merged`` holds, by column, the values that merged ranges starting on a row above show in this
    row (:class:`FillDown`). Whether the row is empty or a heading is judged by its own cells: a
    merged value fills a risk's row, it never makes a risk of a row that holds none.
    """
    present = [(i, c) for i, c in enumerate(cells) if c is not None and not (isinstance(c, str) and not c.strip())]
    if not present:
        return None
    result = RowResult(number, None, {}, "")
    # One value in a table of many columns: a heading (often merged across the row), or a bare
    # id with nothing to make a risk of. Either way it is said, not dropped silently.
    if len(present) == 1 and len(header.keys) > 2:
        index, value = present[0]
        result.problems.append(
            (
                index,
                "warning",
                f"the row holds only {brief(_text(value) if not isinstance(value, Formula) else value.text)}; "
                "read as a heading, not a risk",
                "heading-row",
            )
        )
        return result
    if merged:
        width = max(len(cells), max(merged) + 1)
        cells = tuple(merged.get(i, cells[i] if i < len(cells) else None) for i in range(width))
    for index, key in header.keys.items():
        if (
            index >= len(cells)
            or cells[index] is None
            or (isinstance(cells[index], str) and not str(cells[index]).strip())
        ):
            continue
        try:
            value = _cell_value(key, cells[index], (fields or {}).get(key))
        except CellProblem as problem:
            result.problems.append((index, "error", str(problem), problem.code))
            continue
        if key == BODY_KEY:
            result.body = f"## Description\n\n{value}\n"
        elif value not in ("", []) and "." in key:
            # A part of a mapping (residual.impact): the parts of one row make the mapping.
            parent, part = key.split(".", 1)
            mapping = result.fields.setdefault(parent, {})
            if isinstance(mapping, dict):
                mapping[part] = value
        elif value not in ("", []):
            result.fields[key] = value
    for index in header.ignored:
        if index < len(cells) and isinstance(cells[index], Formula):
            continue  # a computed column of the sheet's own: nothing of the risk is lost
    risk_id = result.fields.get("id")
    result.risk_id = risk_id if isinstance(risk_id, str) else None
    return result


class FillDown:
    """The values of a sheet's vertically merged ranges, in the rows below each range's first.

    A spreadsheet shows the value of a merged range across all its cells, and stores it only in the
    top-left one: a Category cell merged over the four risks of the category is one value the sheet
    shows on four rows. Each row of such a range gets the value in the range's first column (a range
    over several columns too: the cells right of the first are empty in every row, as in the range's
    first row). A range that starts on the header row or above it holds a heading or a title, not a
    risk's value: it fills nothing. A range within one row is as the sheet stores it.
    """

    def __init__(self, ranges: Sequence[Merged], header_row: int) -> None:
        self.starts: dict[int, list[tuple[int, int]]] = {}
        for merged in ranges:
            if merged.last_row > merged.first_row > header_row:
                self.starts.setdefault(merged.first_row, []).append((merged.first_column, merged.last_row))
        self.open: dict[int, tuple[int, CellValue]] = {}
        """Column -> (the range's last row, its value), for the ranges over the rows being read."""

    def row(self, number: int, cells: tuple[CellValue, ...]) -> dict[int, CellValue]:
        """The merged values that row ``number`` shows from ranges starting above it, by column."""
        if not self.open and not self.starts:
            return {}
        shown: dict[int, CellValue] = {}
        for column, (last, value) in list(self.open.items()):
            if number > last:
                del self.open[column]
            else:
                shown[column] = value
        for column, last in self.starts.pop(number, ()):
            value = cells[column] if column < len(cells) else None
            if value is not None and not (isinstance(value, str) and not value.strip()):
                self.open[column] = (last, value)
        return shown


# libyaml's emitter when PyYAML has it: the pure-Python one was most of an import's time.
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(fields: Mapping[str, Any]) -> str:
    if not fields:
        return ""
    return yaml.dump(
        dict(fields), Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10**6
    )


def front_matter(fields: Mapping[str, Any]) -> str:
    """YAML for ``fields``: the register's keys in their usual order, then any mapped extra key."""
    ordered = {key: fields[key] for key in KNOWN_KEYS if key in fields}
    ordered.update((key, value) for key, value in fields.items() if key not in ordered)
    chart = ordered.get("chart")
    if not (isinstance(chart, list) and all(isinstance(v, float) for v in chart)):
        return _dump(ordered)
    # A chart is a pair of numbers, written [x, y] as in the docs (a float's repr is YAML's own form).
    keys = list(ordered)
    at = keys.index("chart")
    before = {key: ordered[key] for key in keys[:at]}
    after = {key: ordered[key] for key in keys[at + 1 :]}
    return _dump(before) + f"chart: [{', '.join(repr(v) for v in chart)}]\n" + _dump(after)


def key_lines(front: str) -> dict[int, str]:
    """File line (the opening ``---`` is line 1) of each top-level key of generated front matter."""
    lines: dict[int, str] = {}
    for number, line in enumerate(front.split("\n"), start=2):
        match = re.match(r"([A-Za-z][A-Za-z0-9_-]*|'[^']*'|\"[^\"]*\"):", line)
        if match:
            lines[number] = match.group(1).strip("'\"")
    return lines


def file_name_problem(risk_id: str) -> str | None:
    """Why ``risk_id`` cannot name a file in the risks folder, or None."""
    name = f"{risk_id}.md"
    if any(c in risk_id for c in "/\\\0:") or risk_id in (".", "..") or not is_risk_path(name) or len(name) > 200:
        return f"id {brief(risk_id)} cannot be the name of a risk file"
    return None


# --- the whole import -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    row: int
    risk_id: str
    path: Path
    text: str
    action: str
    """"write" (a new file), "update" (an existing risk's front matter) or "unchanged"."""


@dataclass(frozen=True)
class RowProblem:
    """A problem of one cell (or row): ``FILE:ROW:COLUMN: severity: message [code]``."""

    file: str
    row: int
    column: str | None
    """The column's letter, as a spreadsheet shows it; None when the problem has no one column."""
    severity: Severity
    message: str
    code: str

    def format(self) -> str:
        where = f"{self.file}:{self.row}:{self.column}" if self.column else f"{self.file}:{self.row}"
        return printable(f"{where}: {self.severity}: {self.message} [{self.code}]")


@dataclass
class ImportResult:
    sheet: str = ""
    header_row: int = 0
    rows: int = 0
    planned: list[Planned] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    refused: int = 0


@dataclass
class Importer:
    model: Model
    register: Register
    risks_dir: Path
    base_dir: Path
    file_label: str
    update: bool = False
    max_file_size: int = 1024 * 1024

    def display(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.base_dir)).as_posix()

    def run(self, sheets: list[Sheet], mapping: Mapping[str, str]) -> ImportResult:
        result = ImportResult()
        # Declared fields' columns are the register's own too; --map still wins.
        mapping = {**declared_columns(self.model.fields), **mapping}
        sheet, header, head = self._pick_sheet(sheets, mapping)
        result.sheet, result.header_row = sheet.name, header.row
        for index in header.ignored:
            result.problems.append(
                RowProblem(
                    self.file_label,
                    header.row,
                    column_letter(index),
                    "warning",
                    f"column {brief(header.names[index])} is not a register field and is "
                    f"not read (map it with --map '{header.names[index]}=KEY', or leave it out with "
                    f"--map '{header.names[index]}=')",
                    "unknown-column",
                )
            )
        seen: dict[str, int] = {}
        fill = FillDown(sheet.merged(), header.row)
        for number, cells in self._data_rows(head, sheet.rows, header.row):
            row = read_row(number, cells, header, {f.name: f for f in self.model.fields}, fill.row(number, cells))
            if row is None:
                continue
            result.rows += 1
            if not row.fields and row.problems:  # a heading row
                self._report(result, row, header)
                continue
            self._plan(row, header, seen, result)
        return result

    def _pick_sheet(self, sheets: list[Sheet], mapping: Mapping[str, str]) -> tuple[Sheet, Header, list[Row]]:
        for sheet in sheets:
            head: list[Row] = []
            for row in sheet.rows:
                head.append(row)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            header = find_header(head, mapping)
            if header is not None:
                return sheet, header, head
        names = ", ".join(f"{c.title() if c != 'id' else 'ID'}" for c in ("id", "risk", "category", "prob", "impact"))
        raise SheetError(
            f"no header row found: a row in the first {HEADER_SEARCH_ROWS} of a sheet must name the ID column and "
            f"another column of the register ({names}, ...); name yours with --map 'Your heading=key'"
        )

    @staticmethod
    def _data_rows(head: list[Row], rest: Iterator[Row], header_row: int) -> Iterator[Row]:
        count = 0
        for row in head:
            if row[0] > header_row:
                count += 1
                yield row
        for row in rest:
            count += 1
            if count > MAX_ROWS:
                raise SheetError(
                    f"more than {MAX_ROWS:,} rows below the header; import reads at most {MAX_ROWS:,}", row[0]
                )
            yield row

    def _report(self, result: ImportResult, row: RowResult, header: Header) -> None:
        for index, severity, message, code in row.problems:
            where = column_letter(index) if index is not None else None
            result.problems.append(RowProblem(self.file_label, row.row, where, severity, message, code))

    def _column_of(self, header: Header, key: str) -> int | None:
        """The column of ``key``, or of its first part when several columns make it (residual)."""
        exact = next((index for index, k in header.keys.items() if k == key), None)
        if exact is not None:
            return exact
        return next((index for index, k in header.keys.items() if k.startswith(f"{key}.")), None)

    def _plan(self, row: RowResult, header: Header, seen: dict[str, int], result: ImportResult) -> None:
        risk_id = row.risk_id
        id_column = self._column_of(header, "id")
        if not row.refused and risk_id is not None:
            # Before any path is made from it; id_pattern itself is the validator's to judge.
            named = file_name_problem(risk_id)
            if named is not None:
                row.problems.append((id_column, "error", named, "bad-id"))
            elif risk_id in seen:
                row.problems.append(
                    (
                        id_column,
                        "error",
                        f"id '{risk_id}' is also on row {seen[risk_id]}; only the first is read",
                        "duplicate-id",
                    )
                )
            else:
                seen[risk_id] = row.row
        if row.refused or risk_id is None:
            if risk_id is None and not row.refused:
                row.problems.append((id_column, "error", "the row has no id", "missing-key"))
            self._report(result, row, header)
            result.refused += 1
            return
        existing = self.register.by_id.get(risk_id)
        if existing is not None and not self.update:
            row.problems.append(
                (
                    id_column,
                    "error",
                    f"risk '{risk_id}' already exists in {existing.source}; not overwritten "
                    "(--update changes its front matter)",
                    "duplicate-id",
                )
            )
        elif existing is not None:
            path = self.base_dir / existing.source
            text = self._updated(path, row)
            self._check(row, text, path, header, result, action="update")
        else:
            path = self.risks_dir / f"{risk_id}.md"
            if path.exists() or path.is_symlink():
                row.problems.append(
                    (
                        id_column,
                        "error",
                        f"{self.display(path)} exists and is not a valid risk with this id; not overwritten",
                        "duplicate-id",
                    )
                )
            else:
                text = "---\n" + front_matter(row.fields) + "---\n" + row.body
                self._check(row, text, path, header, result, action="write")
        if row.refused:
            self._report(result, row, header)
            result.refused += 1

    def _check(
        self, row: RowResult, text: str, path: Path, header: Header, result: ImportResult, *, action: str
    ) -> None:
        """Judge the file the row would give with the build's own parser and validator."""
        display = self.display(path)
        data = text.encode("utf-8")
        if len(data) > self.max_file_size:
            row.problems.append(
                (None, "error", f"the risk file would be {len(data):,} bytes, over max_file_size", "file-too-large")
            )
            return
        risk, problems = check_file(display, data, self.model)
        split = split_front_matter(display, text)
        lines = key_lines(split[0]) if not isinstance(split, Diagnostic) else {}
        for problem in problems:
            key = lines.get(problem.line) or _key_named(problem.message)
            column = self._column_of(header, key) if key else None
            row.problems.append((column, problem.severity, problem.message, problem.code))
        if risk is None or row.refused:
            return
        if action == "update" and path.read_text(encoding="utf-8-sig").replace("\r\n", "\n") == text:
            action = "unchanged"
        result.planned.append(Planned(row.row, risk.id, path, text, action))
        if any(severity == "warning" for _, severity, _, _ in row.problems):
            self._report(result, row, header)

    def _updated(self, path: Path, row: RowResult) -> str:
        """The file with the row's front-matter values set; its body, comments and other keys kept."""
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        split = split_front_matter(str(path), text)
        if isinstance(split, Diagnostic):
            return text
        front, body = split
        parsed = parse_front_matter(str(path), front)
        current = parsed[0] if not isinstance(parsed, Diagnostic) else {}
        lines = front.split("\n") if front else []
        for key, value in row.fields.items():
            if key in current and current[key].value == value:
                continue
            new_lines = front_matter({key: value}).rstrip("\n").split("\n")
            start = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", line)), None)
            if start is None:
                lines.extend(new_lines)
                continue
            end = start + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
                end += 1
            # Blank lines that close the block belong to the layout, not to the value.
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            lines[start:end] = new_lines
        return "---\n" + "\n".join(lines) + ("\n" if lines else "") + "---\n" + body


def _key_named(message: str) -> str | None:
    match = re.search(r"key '([A-Za-z][A-Za-z0-9_-]*)'", message)
    if match:
        return match.group(1)
    for key in REQUIRED_KEYS:
        if message.startswith((f"'{key}'", f"{key} ")):
            return key
    return None


def write_planned(planned: Sequence[Planned]) -> list[tuple[Planned, str]]:
    """Write each file: a new one with O_EXCL (never over a file that appeared meanwhile), an updated
    one through a temporary file and a rename. Returns the ones that could not be written, and why."""
    failed: list[tuple[Planned, str]] = []
    for plan in planned:
        data = plan.text.encode("utf-8")
        try:
            if plan.action == "write":
                plan.path.parent.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(plan.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
            elif plan.action == "update":
                temporary = plan.path.with_name(f".{plan.path.name}.import")
                temporary.write_bytes(data)
                os.replace(temporary, plan.path)
        except OSError as error:
            failed.append((plan, error.strerror or str(error)))
    return failed
