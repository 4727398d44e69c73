"""The review-period report: what the history says happened to the register between two points.

Pure: takes the history's change records (already cut to the period) and the
register as it was at the period's end, and returns data, Markdown or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .diff import literal
from .history import ADDED, REMOVED, Change
from .register import Register

# Sections of the report: key in the JSON, heading in the Markdown, what each lists.
SECTIONS = (
    ("added", "Risks added"),
    ("removed", "Risks removed"),
    ("closed", "Risks closed"),
    ("rescored", "Re-scored"),
    ("reowned", "Re-owned"),
    ("treatments", "Treatments changed"),
    ("acceptances", "Acceptances changed"),
    ("reviews_done", "Reviews done"),
)


@dataclass(frozen=True)
class Period:
    since: str
    """As the user gave it: a revision or a date."""
    until: str
    until_commit: str
    end_date: str
    """The date the overdue reviews are counted at (YYYY-MM-DD)."""


def _section(change: Change, inactive: frozenset[str]) -> str | None:
    if change.field == ADDED:
        return "added"
    if change.field == REMOVED:
        return "removed"
    if change.field == "status":
        return (
            "closed" if str(change.new).casefold() in inactive and str(change.old).casefold() not in inactive else None
        )
    return {
        "score": "rescored",
        "owner": "reowned",
        "treatment": "treatments",
        "acceptance": "acceptances",
        "reviewed": "reviews_done",
    }.get(change.field)


def report_data(period: Period, changes: Iterable[Change], register: Register | None) -> dict[str, Any]:
    """The report as data: the period, each section's change records, and the reviews overdue at its end."""
    inactive = (
        frozenset(s.name.casefold() for s in register.model.statuses if not s.active) if register else frozenset()
    )
    sections: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in SECTIONS}
    for change in changes:
        key = _section(change, inactive)
        if key == "reviews_done" and change.new is None:
            continue  # a review date removed is no review
        if key is not None:
            sections[key].append(change.to_dict())
    overdue = [
        {
            "id": risk.id,
            "title": risk.title,
            "owner": risk.owner_text,
            "reviewed": risk.reviewed.isoformat() if risk.reviewed else None,
            "next_review": risk.next_review.isoformat() if risk.next_review else None,
        }
        for risk in (register.risks if register else ())
        if risk.overdue
    ]
    return {
        "since": period.since,
        "until": period.until,
        "until_commit": period.until_commit,
        "end_date": period.end_date,
        **sections,
        "reviews_overdue": overdue,
    }


def report_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]


def _value(value: Any) -> str:
    return literal(value if value is None or isinstance(value, str) else str(value))


def report_markdown(data: dict[str, Any], titles: dict[str, str]) -> str:
    """The report in Markdown; ``titles`` names the risks (id -> title at the period's end)."""
    counts = [(heading, len(data[key])) for key, heading in SECTIONS]
    lines = [
        f"# Risk register report: {literal(data['since'])} to {literal(data['until'])}",
        "",
        f"Changes after {literal(data['since'])} up to {literal(data['until'])} "
        f"(commit `{data['until_commit'][:12]}`); reviews overdue on {data['end_date']}.",
        "",
        ", ".join(f"{heading}: {number}" for heading, number in counts)
        + f", Reviews overdue: {len(data['reviews_overdue'])}.",
        "",
    ]
    for key, heading in SECTIONS:
        lines += [f"## {heading}", ""]
        records = data[key]
        if not records:
            lines += ["None.", ""]
            continue
        rows = [
            [
                r["date"],
                _value(r["id"]),
                _value(titles.get(r["id"]) or (r["to"] if key == "added" else r["from"])),
                _value(r["from"]),
                _value(r["to"]),
                _value(r["author"]),
                f"`{r['commit'][:12]}`",
            ]
            for r in records
        ]
        lines += _table(["Date", "ID", "Risk", "From", "To", "Author", "Commit"], rows)
    lines += ["## Reviews overdue", ""]
    if data["reviews_overdue"]:
        rows = [
            [_value(r["id"]), _value(r["title"]), _value(r["owner"]), _value(r["reviewed"]), _value(r["next_review"])]
            for r in data["reviews_overdue"]
        ]
        lines += _table(["ID", "Risk", "Owner", "Last reviewed", "Next review"], rows)
    else:
        lines += ["None.", ""]
    return "\n".join(lines)
