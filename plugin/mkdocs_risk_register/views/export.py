"""risks.json and risks.csv: the register as data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ..fields import Field, value_data, value_text
from ..register import Register
from ..risk import Risk
from ..spreadsheet import formula_safe

# The reference register's ten columns, then the computed ones a spreadsheet filters on.
CSV_COLUMNS = (
    "ID",
    "Risk",
    "Category",
    "Prob",
    "Impact",
    "Score",
    "Mitigation",
    "Contingency",
    "Owner",
    "Status",
    "Band",
    "Reviewed",
    "Next review",
    "Overdue",
)
# Written only when a risk of the register uses one of the treatment keys (docs/treatment.md).
TREATMENT_COLUMNS = ("Treatment", "Residual", "Target date", "Accepted until")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def treatment_to_dict(risk: Risk) -> dict[str, Any]:
    """The treatment keys of a risk for risks.json: as written (dates as YYYY-MM-DD), or null."""
    residual, acceptance = risk.residual, risk.acceptance
    return {
        "treatment": risk.treatment,
        "residual": {"probability": residual.probability.name, "impact": residual.impact.name} if residual else None,
        "residual_score": residual.score if residual else None,
        "residual_band": residual.band.name if residual else None,
        "target_date": _iso(risk.target_date),
        "acceptance": {
            "by": acceptance.by,
            "date": _iso(acceptance.date),
            "expires": _iso(acceptance.expires),
            "reason": acceptance.reason,
        }
        if acceptance
        else None,
        "appetite": risk.appetite,
        "above_appetite": risk.above_appetite,
    }


def uses_treatment(register: Register) -> bool:
    return any(
        risk.treatment is not None
        or risk.residual is not None
        or risk.target_date is not None
        or risk.acceptance is not None
        for risk in register.risks
    )


def _treatment_cells(risk: Risk) -> list[str | int]:
    expires = risk.acceptance.expires if risk.acceptance else None
    return [
        risk.treatment or "",
        risk.residual.score if risk.residual else "",
        _iso(risk.target_date) or "",
        _iso(expires) or "",
    ]


def risk_to_dict(risk: Risk, fields: tuple[Field, ...] = ()) -> dict[str, Any]:
    """A risk's front-matter fields (as configured names) plus its computed values; then the
    declared ``fields`` under their names (null when the file gives no usable value)."""
    return {
        "id": risk.id,
        "title": risk.title,
        "category": risk.category,
        "probability": risk.probability.name,
        "impact": risk.impact.name,
        "owner": list(risk.owners) if risk.owner_is_list else risk.owners[0],
        "status": risk.status.name,
        "mitigation": risk.mitigation,
        "contingency": risk.contingency,
        "chart": list(risk.chart) if risk.chart is not None else None,
        "reviewed": risk.reviewed.isoformat() if risk.reviewed else None,
        "related": list(risk.related),
        "score": risk.score,
        "band": risk.band.name,
        "active": risk.active,
        "rank": risk.rank,
        "next_review": risk.next_review.isoformat() if risk.next_review else None,
        "overdue": risk.overdue,
        "source": risk.source,
        "last_changed": risk.last_changed.isoformat() if risk.last_changed else None,
        **treatment_to_dict(risk),
        **{f.name: value_data(risk.field(f.name)) for f in fields},
    }


def register_to_data(register: Register) -> dict[str, Any]:
    return {
        "build_date": register.build_date.isoformat(),
        "model": register.model.to_dict(),
        "risks": [risk_to_dict(risk, register.model.fields) for risk in register.risks],
        "left_out": list(register.left_out),
        "problems": [problem.to_dict() for problem in register.problems],
    }


def register_to_json(register: Register) -> str:
    """The register as indented JSON: one field a line, so a diff of it names the changed fields."""
    return json.dumps(register_to_data(register), indent=2, ensure_ascii=False) + "\n"


def _cell(value: str | int) -> str | int:
    if not isinstance(value, str):
        return value  # a number stays a number, negative or not
    # The csv module quotes a value holding "\n" (the line terminator) but not a lone "\r",
    # which readers then take as the end of the row: write every line break as "\n".
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    # A cell starting with "=", "+", "-", "@" or a tab is a formula to a spreadsheet (docs/spreadsheets.md).
    return formula_safe(value)


def _field_cell(value: Any) -> str | int:
    if isinstance(value, float):
        return value_text(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else value_text(value)


def register_to_csv(register: Register) -> str:
    """The register table, one row a risk; values as written in the risk files.

    Dates are YYYY-MM-DD; an inactive risk has no next review, and so neither "yes" nor "no" under Overdue.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    treated = uses_treatment(register)
    fields = register.model.fields
    writer.writerow((*CSV_COLUMNS, *(TREATMENT_COLUMNS if treated else ()), *(f.label for f in fields)))
    for risk in register.risks:
        values: list[str | int] = [
            risk.id,
            risk.title,
            risk.category,
            risk.probability.name,
            risk.impact.name,
            risk.score,
            risk.mitigation,
            risk.contingency,
            risk.owner_text,
            risk.status.name,
            risk.band.name,
            risk.reviewed.isoformat() if risk.reviewed else "",
            risk.next_review.isoformat() if risk.next_review else "",
            ("yes" if risk.overdue else "no") if risk.next_review else "",
        ]
        if treated:
            values.extend(_treatment_cells(risk))
        # Declared fields last, by label (docs/fields.md).
        values.extend(_field_cell(risk.field(f.name)) for f in fields)
        writer.writerow(_cell(value) for value in values)
    return buffer.getvalue()
