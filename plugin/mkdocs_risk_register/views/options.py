"""A view block's options as written (YAML), checked against the register: ViewOptions or the problems.

Every problem is a sentence for a ``bad-view`` diagnostic. Names (categories,
statuses, owners, bands, treatments, ids, columns) match like names in risk
files: ``str.casefold()``, with "did you mean" for a close one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..diagnostics import brief
from ..fields import Field
from ..naming import suggestion
from ..register import Register
from .blocks import COLUMNS, EXTRA_COLUMNS, REGISTER_COLUMNS, RiskFilter, ViewOptions, treatment_of
from .field_cells import find_field

DEFAULT_TREATMENTS = ("Mitigate", "Accept", "Transfer", "Avoid")

_NAME_KEYS = ("category", "status", "owner", "band", "treatment", "ids")
FILTER_KEYS = (*_NAME_KEYS, "min_score", "max_score", "active")
ALL_COLUMNS = (*REGISTER_COLUMNS, *EXTRA_COLUMNS)

# The options each view takes (``attrs`` is pymdownx.blocks' own: HTML attributes of the view's element).
VIEW_OPTIONS: dict[str, tuple[str, ...]] = {
    "risk-table": ("filter", "columns", "sort", "limit", "attrs"),
    "risk-matrix": ("filter", "attrs"),
    "risk-top": ("filter", "top", "level", "attrs"),
    "risk-schedule": ("filter", "sort", "limit", "attrs"),
    "risk-card": ("body", "chart", "level", "attrs"),
}


class ViewError(Exception):
    """What is wrong with a view, in one sentence."""


def known_names(register: Register, key: str) -> list[str]:
    """The names a filter key accepts, as configured or written (first spelling of each)."""
    model = register.model
    names: Iterable[str]
    if key == "category":
        names = model.categories or [risk.category for risk in register.risks]
    elif key == "status":
        names = [status.name for status in model.statuses]
    elif key == "owner":
        names = [owner for risk in register.risks for owner in risk.owners]
    elif key == "band":
        names = [band.name for band in model.bands]
    elif key == "treatment":
        configured = getattr(model, "treatments", None)
        names = (
            list(configured) if configured else [*DEFAULT_TREATMENTS, *filter(None, map(treatment_of, register.risks))]
        )
    else:  # ids
        names = [risk.id for risk in register.risks]
    return list(dict.fromkeys(names))


def parse_options(
    kind: str, argument: str | None, raw: Mapping[str, Any], register: Register, *, own_risk: str | None = None
) -> ViewOptions:
    """The view's options, or :class:`ViewError` naming the first problem.

    ``own_risk``: the risk whose page this is, if any: a card without an id shows it.
    """
    allowed = VIEW_OPTIONS[kind]
    for key in raw:
        if key not in allowed:
            raise ViewError(f"unknown option '{key}' of {kind}; {suggestion(str(key), allowed[:-1])}")
    risk_id = None
    if kind == "risk-card":
        if argument:
            risk_id = _find_id(argument.strip(), register)
        elif own_risk is not None:
            risk_id = own_risk
        else:
            raise ViewError("risk-card needs a risk id: '/// risk-card | RSK-001'")
    elif argument:
        raise ViewError(f"{kind} takes no argument after '|' (got {brief(argument)})")
    columns = None
    if "columns" in raw:
        columns = tuple(_column(name, register) for name in _names(raw["columns"], "columns"))
        if not columns:
            raise ViewError("'columns' lists no column")
    sort = None
    if raw.get("sort") is not None:
        if not isinstance(raw["sort"], str):
            raise ViewError(f"'sort' must be a column name, got {brief(raw['sort'])}")
        descending = raw["sort"].strip().startswith("-")
        sort = ("-" if descending else "") + _column(raw["sort"].strip().lstrip("-").strip(), register)
    return ViewOptions(
        filter=parse_filter(raw.get("filter"), register),
        columns=columns,
        sort=sort,
        limit=_count(raw, "limit"),
        top=_count(raw, "top"),
        risk_id=risk_id,
        body=_boolean(raw, "body", default=None),
        chart=_boolean(raw, "chart", default=None),
        level=_level(raw),
    )


def parse_filter(raw: Any, register: Register) -> RiskFilter:
    if raw is None:
        return RiskFilter()
    if not isinstance(raw, Mapping):
        raise ViewError(f"'filter' must be a mapping such as {{status: Open}}, got {brief(raw)}")
    values: dict[str, Any] = {}
    fields: list[tuple[Field, frozenset[str]]] = []
    for key, value in raw.items():
        declared = find_field(register.model.fields, str(key)) if key not in FILTER_KEYS else None
        if declared is not None:
            # A declared field: its value (or one of its items) as written, matched with casefold.
            fields.append((declared, frozenset(name.casefold() for name in _names(value, f"filter {key}"))))
            continue
        if key not in FILTER_KEYS:
            known = (*FILTER_KEYS, *(f.name for f in register.model.fields))
            raise ViewError(f"unknown filter key '{key}'; {suggestion(str(key), known)}")
        if key in _NAME_KEYS:
            values[key] = frozenset(_known(name, key, register).casefold() for name in _names(value, f"filter {key}"))
        elif key == "active":
            if not isinstance(value, bool):
                raise ViewError(f"filter 'active' must be true or false, got {brief(value)}")
            values[key] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ViewError(f"filter '{key}' must be a whole number, got {brief(value)}")
            values[key] = value
    return RiskFilter(**values, fields=tuple(fields))


def _names(value: Any, what: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, bool) or item is None or isinstance(item, (dict, list)):
            raise ViewError(f"'{what}' takes a name or a list of names, got {brief(value)}")
        names.append(str(item))  # YAML's 007 or 1984 as the name it was meant to be
    return names


def _known(name: str, key: str, register: Register) -> str:
    names = known_names(register, key)
    folded = {known.casefold(): known for known in names}
    if name.casefold() in folded:
        return folded[name.casefold()]
    what = {"ids": "risk id", "category": "category", "status": "status", "owner": "owner", "band": "band"}.get(
        key, key
    )
    raise ViewError(f"filter {key}: '{name}' is no {what} of the register; {suggestion(name, names)}")


def _find_id(risk_id: str, register: Register) -> str:
    if risk_id in register.by_id:
        return risk_id
    folded = {known.casefold(): known for known in register.by_id}
    if risk_id.casefold() in folded:
        return folded[risk_id.casefold()]
    raise ViewError(f"risk-card: no risk has the id '{risk_id}'; {suggestion(risk_id, list(register.by_id))}")


def _column(name: str, register: Register) -> str:
    column = COLUMNS.get(name.casefold())
    if column is not None:
        return column.name
    declared = find_field(register.model.fields, name)
    if declared is None:
        known = (*ALL_COLUMNS, *(f.label for f in register.model.fields))
        raise ViewError(f"unknown column '{name}'; {suggestion(name, known)}")
    return declared.label


def _count(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ViewError(f"'{key}' must be a whole number of 0 or more, got {brief(value)}")
    return value


def _boolean(raw: Mapping[str, Any], key: str, *, default: bool | None) -> bool | None:
    value = raw.get(key, default)
    if value is not default and not isinstance(value, bool):
        raise ViewError(f"'{key}' must be true or false, got {brief(value)}")
    return value


def _level(raw: Mapping[str, Any]) -> int:
    value = raw.get("level", 2)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise ViewError(f"'level' must be a heading level from 1 to 6, got {brief(value)}")
    return value
