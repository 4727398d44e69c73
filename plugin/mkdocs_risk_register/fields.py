"""Declared fields (the ``fields:`` setting): extra front-matter keys an organisation tracks.

Pure: the declarations are read from plain settings (a problem is a :class:`ConfigError`
naming the key), and a value is read from a front-matter entry by its declared type.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .diagnostics import ConfigError, brief
from .loader import front_matter_date
from .naming import did_you_mean

FieldType = Literal["text", "date", "number", "list", "link"]
FIELD_TYPES: tuple[FieldType, ...] = ("text", "date", "number", "list", "link")

# Every key a risk file has by itself, including the treatment keys of the December 2026
# contract: a declared field may not take one of them (tests check validate.KNOWN_KEYS is in here).
BUILT_IN_KEYS = (
    "id",
    "title",
    "category",
    "probability",
    "impact",
    "owner",
    "status",
    "mitigation",
    "contingency",
    "chart",
    "score",
    "reviewed",
    "related",
    "treatment",
    "residual",
    "target_date",
    "acceptance",
)

# What risks.json adds to each risk: a field of one of these names would overwrite it.
COMPUTED_KEYS = (
    "band",
    "active",
    "rank",
    "next_review",
    "overdue",
    "source",
    "last_changed",
    "residual_score",
    "residual_band",
    "appetite",
    "above_appetite",
    "body",
)

# A value as the core keeps it: text (text, link, date as YYYY-MM-DD), a number, or a list of text.
FieldValue = str | int | float | tuple[str, ...]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SETTING_KEYS = ("name", "type", "label", "required")


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    label: str
    required: bool = False


def fields_from_settings(value: Any) -> tuple[Field, ...]:
    """The declared fields, in the order written; a problem raises ConfigError naming the key."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError("fields", f"expected a list of {{name, type, label, required}}, got {brief(value)}")
    fields: list[Field] = []
    for index, item in enumerate(value):
        key = f"fields[{index}]"
        if not isinstance(item, Mapping):
            raise ConfigError(key, f"expected a mapping such as {{name: identified, type: date}}, got {brief(item)}")
        for unknown in (k for k in item if k not in _SETTING_KEYS):
            raise ConfigError(
                f"{key}.{unknown}", f"unknown option {brief(unknown)}{did_you_mean(str(unknown), _SETTING_KEYS)}"
            )
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ConfigError(
                f"{key}.name", f"expected a key name (letters, digits, '_' or '-', not first), got {brief(name)}"
            )
        if name in BUILT_IN_KEYS:
            raise ConfigError(f"{key}.name", f"'{name}' is a built-in key of risk files; choose another name")
        if name in COMPUTED_KEYS:
            raise ConfigError(f"{key}.name", f"'{name}' is a value the register computes; choose another name")
        if any(f.name == name for f in fields):
            raise ConfigError(f"{key}.name", f"'{name}' is declared twice")
        kind = item.get("type", "text")
        if kind not in FIELD_TYPES:
            hint = did_you_mean(kind, FIELD_TYPES) if isinstance(kind, str) else ""
            raise ConfigError(f"{key}.type", f"expected one of {', '.join(FIELD_TYPES)}, got {brief(kind)}{hint}")
        label = item.get("label", name)
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{key}.label", f"expected text, got {brief(label)}")
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise ConfigError(f"{key}.required", f"expected true or false, got {brief(required)}")
        fields.append(Field(name, kind, label.strip(), required))
    return tuple(fields)


def _text(value: Any, source_text: str | None) -> str | None:
    """Text as string keys read it: numbers, booleans and dates keep the text YAML read them from."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, dt.date)):
        return source_text if source_text is not None else str(value)
    return None


def read_value(
    field: Field, value: Any, source_text: str | None, item_texts: tuple[str | None, ...] = ()
) -> FieldValue | None:
    """A front-matter value read as the field's type; None when it is not of that type."""
    if field.type == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value if isinstance(value, int) or math.isfinite(value) else None
        return None
    if field.type == "date":
        # As ``reviewed``: a YAML date, or the text YYYY-MM-DD of a real day.
        day = front_matter_date(value)
        return None if day is None else day.isoformat()
    if field.type == "list":
        if not isinstance(value, list):
            return None
        texts = item_texts or (None,) * len(value)
        items = [_text(item, text) for item, text in zip(value, texts, strict=True)]
        if not all(item is not None and item.strip() for item in items):
            return None
        return tuple(item.strip() for item in items if item is not None)
    text = _text(value, source_text)
    if text is None or not text.strip():
        return None
    if field.type == "link" and not _is_link(text.strip()):
        return None
    return text.strip()


def _is_link(text: str) -> bool:
    """A URL (http, https, mailto) or a path: one word, so that it can only be a working link.
    Other schemes (``javascript:``) are refused, as markdown-it refuses them in inline Markdown."""
    if any(ch.isspace() or ch in "<>\"'`" for ch in text):
        return False
    try:
        scheme = urlsplit(text).scheme
    except ValueError:  # an unbalanced '[' of an IPv6 host
        return False
    return scheme in ("", "http", "https", "mailto")


EXPECTED = {
    "text": "text",
    "date": "a date YYYY-MM-DD",
    "number": "a number",
    "list": "a list of text",
    "link": "a URL (http, https, mailto) or a path to a page, without spaces or quotes",
}


def value_text(value: FieldValue | None) -> str:
    """A value as one line of text (CSV cells, diff summaries): a list joined by ', '."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def value_data(value: FieldValue | None) -> Any:
    """A value as JSON data: a list stays a list."""
    return list(value) if isinstance(value, tuple) else value
