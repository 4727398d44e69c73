"""Rules that turn a parsed risk file into a :class:`Risk`, or into diagnostics."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, Severity, brief
from .fields import EXPECTED, FieldValue, read_value
from .loader import FrontMatterValue, ParsedFile, front_matter_date
from .model import Level, Model, Scale, level_hint
from .naming import did_you_mean, suggestion
from .risk import Risk
from .treatment import TREATMENT_KEYS, read_treatment

REQUIRED_KEYS = ("id", "title", "category", "probability", "impact", "owner", "status")
OPTIONAL_KEYS = ("mitigation", "contingency", "chart", "score", "reviewed", "related")
KNOWN_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS + TREATMENT_KEYS


@dataclass
class _Checker:
    """Collects diagnostics for one file while its fields are read."""

    file: ParsedFile
    model: Model
    problems: list[Diagnostic] = field(default_factory=list)

    def report(self, key: str | None, severity: Severity, message: str, code: str) -> None:
        line = self.file.fields[key].line if key in self.file.fields else 1
        self.problems.append(Diagnostic(self.file.path, line, severity, message, code))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def text(self, key: str, *, required: bool) -> str | None:
        entry = self.file.fields.get(key)
        if entry is None:
            if required:
                self.report(None, "error", f"required key '{key}' is missing", "missing-key")
            return None
        text = as_text(entry)
        if text is None or (required and not text.strip()):
            severity: Severity = "error" if required else "warning"
            what = "is empty" if text is not None or entry.value is None else f"is {describe(entry.value)}"
            tail = "" if required else "; ignored"
            self.report(key, severity, f"'{key}' {what}, expected text{tail}", "bad-type")
            return None
        return text.strip()

    def level(self, scale: Scale) -> Level | None:
        name = self.text(scale.name, required=True)
        if name is None:
            return None
        level = scale.find(name)
        if level is None:
            self.report(
                scale.name,
                "error",
                f"{scale.name} {brief(name)} is not a level of {scale.name} ({', '.join(scale.names)})"
                f"{level_hint(name, scale)}",
                "unknown-level",
            )
        return level


def brief_entry(entry: FrontMatterValue) -> str:
    """A key's value quoted in a message as the author wrote it, when YAML kept the text."""
    return brief(entry.value if entry.source_text is None else entry.source_text)


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


def as_text(entry: FrontMatterValue) -> str | None:
    """A string field's text; numbers, booleans and dates keep the text YAML read them from."""
    value = entry.value
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, dt.date)):
        return entry.source_text if entry.source_text is not None else str(value)
    return None


def _owners(check: _Checker) -> tuple[tuple[str, ...], bool] | None:
    entry = check.file.fields.get("owner")
    if entry is None:
        check.report(None, "error", "required key 'owner' is missing", "missing-key")
        return None
    if isinstance(entry.value, list):
        owners = [as_text(item) for item in entry.items()]
        if owners and all(o is not None and o.strip() for o in owners):
            return tuple(o.strip() for o in owners if o is not None), True
    else:
        text = as_text(entry)
        if text is not None and text.strip():
            return (text.strip(),), False
    check.report("owner", "error", "'owner' must be a non-empty name or a non-empty list of names", "bad-type")
    return None


def _chart(check: _Checker) -> tuple[float, float] | None:
    entry = check.file.fields.get("chart")
    if entry is None:
        return None
    value = entry.value
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and all(0 <= v <= 1 for v in value)  # compared before float(): an int of 400 digits has no float
    ):
        return float(value[0]), float(value[1])
    check.report(
        "chart",
        "warning",
        f"'chart' must be [x, y] with two numbers from 0 to 1, got {brief(value)}; "
        "the risk is placed inside its level cell instead",
        "bad-chart",
    )
    return None


def _reviewed(check: _Checker) -> dt.date | None:
    entry = check.file.fields.get("reviewed")
    if entry is None:
        return None
    value = front_matter_date(entry.value)
    if value is not None:
        return value
    message = f"'reviewed' must be a date YYYY-MM-DD, got {brief_entry(entry)}; ignored"
    check.report("reviewed", "warning", message, "bad-date")
    return None


def _related(check: _Checker) -> tuple[str, ...]:
    entry = check.file.fields.get("related")
    if entry is None:
        return ()
    if isinstance(entry.value, list):
        items = [as_text(item) for item in entry.items()]
        if all(item is not None and item.strip() for item in items):
            return tuple(item.strip() for item in items if item is not None)
    check.report("related", "warning", "'related' must be a list of issue references or URLs; ignored", "bad-type")
    return ()


def _declared_score(check: _Checker) -> int | None:
    entry = check.file.fields.get("score")
    if entry is None:
        return None
    if isinstance(entry.value, int) and not isinstance(entry.value, bool):
        return entry.value
    check.report("score", "warning", f"'score' must be a whole number, got {brief_entry(entry)}; ignored", "bad-type")
    return None


def _declared_fields(check: _Checker) -> tuple[tuple[str, FieldValue], ...]:
    """The declared fields' values; an empty one counts as not given (an error when required)."""
    values: list[tuple[str, FieldValue]] = []
    for declared in check.model.fields:
        entry = check.file.fields.get(declared.name)
        if entry is None or entry.value is None:
            if declared.required:
                what = "is missing" if entry is None else "is empty"
                check.report(declared.name, "error", f"required key '{declared.name}' {what}", "missing-key")
            continue
        value = read_value(declared, entry.value, entry.source_text, entry.item_texts)
        if value is None:
            check.report(
                declared.name,
                "warning",
                f"'{declared.name}' must be {EXPECTED[declared.type]}, got {brief_entry(entry)}; ignored",
                "bad-type",
            )
            continue
        values.append((declared.name, value))
    return tuple(values)


def validate(file: ParsedFile, model: Model) -> tuple[Risk | None, list[Diagnostic]]:
    """Check one parsed file against the model; a risk comes back only when no error was found."""
    check = _Checker(file, model)
    declared = {f.name for f in model.fields}
    for key, entry in file.fields.items():
        if key not in KNOWN_KEYS and key not in declared:
            check.problems.append(
                Diagnostic(
                    file.path,
                    entry.line,
                    "warning",
                    f"unknown key {brief(key)}; {suggestion(key, (*KNOWN_KEYS, *declared))}",
                    "unknown-key",
                )
            )

    risk_id = check.text("id", required=True)
    if risk_id is not None and not re.fullmatch(model.id_pattern, risk_id):
        check.report("id", "error", f"id {brief(risk_id)} does not match id_pattern '{model.id_pattern}'", "bad-id")
        risk_id = None
    title = check.text("title", required=True)
    category = check.text("category", required=True)
    if category is not None and model.categories:
        known = model.find_category(category)
        if known is None:
            check.report(
                "category",
                "error",
                f"category {brief(category)} is not one of the configured categories; "
                f"{suggestion(category, model.categories)}",
                "unknown-category",
            )
        category = known
    probability = check.level(model.probability)
    impact = check.level(model.impact)
    owners = _owners(check)
    status_name = check.text("status", required=True)
    status = model.find_status(status_name) if status_name is not None else None
    if status_name is not None and status is None:
        names = [s.name for s in model.statuses]
        check.report(
            "status",
            "error",
            f"status {brief(status_name)} is not a configured status ({', '.join(names)})"
            f"{did_you_mean(status_name, names)}",
            "unknown-status",
        )
    mitigation = check.text("mitigation", required=False) or ""
    contingency = check.text("contingency", required=False) or ""
    chart = _chart(check)
    reviewed = _reviewed(check)
    related = _related(check)
    declared_score = _declared_score(check)
    fields = _declared_fields(check)

    if (
        check.has_errors
        or risk_id is None
        or title is None
        or category is None
        or probability is None
        or impact is None
        or owners is None
        or status is None
    ):
        return None, check.problems
    score = model.score(probability, impact)
    band = model.band_for(score)
    if reviewed is not None and (dt.date.max - reviewed).days < band.review_days:
        check.report(
            "reviewed",
            "warning",
            f"'reviewed' {reviewed.isoformat()} leaves no date for the next review: {band.review_days} days later "
            f"({band.name} band's review_days) is after {dt.date.max.isoformat()}; ignored",
            "bad-date",
        )
        reviewed = None
    if declared_score is not None and declared_score != score:
        check.report(
            "score",
            "warning",
            f"declared score {declared_score} differs from the computed score {score} "
            f"({probability.name} probability, {impact.name} impact); update or remove 'score'",
            "score-mismatch",
        )
    treated = read_treatment(check, score)
    risk = Risk(
        id=risk_id,
        title=title,
        category=category,
        probability=probability,
        impact=impact,
        owners=owners[0],
        owner_is_list=owners[1],
        status=status,
        mitigation=mitigation,
        contingency=contingency,
        chart=chart,
        reviewed=reviewed,
        related=related,
        body=file.body,
        source=file.path,
        score=score,
        band=band,
        treatment=treated.treatment,
        residual=treated.residual,
        target_date=treated.target_date,
        acceptance=treated.acceptance,
        appetite=model.appetite_for(category),
        lines=treated.lines,
        fields=fields,
    )
    return risk, check.problems
