"""``due``: the reviews that are overdue or due soon, by owner."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from .naming import natural_key
from .register import Register
from .risk import Risk

DEFAULT_WITHIN_DAYS = 14


@dataclass(frozen=True)
class DueReview:
    risk: Risk
    days: int
    """Days from the build date to the next review: negative when overdue."""

    @property
    def overdue(self) -> bool:
        return self.risk.overdue


@dataclass(frozen=True)
class DueList:
    build_date: dt.date
    within: int
    owners: tuple[tuple[str, tuple[DueReview, ...]], ...]
    """Each owner (by name) with their reviews, overdue first, then by date and id."""

    @property
    def reviews(self) -> list[DueReview]:
        unique = {review.risk.id: review for _, reviews in self.owners for review in reviews}
        return list(unique.values())

    @property
    def overdue_count(self) -> int:
        return sum(review.overdue for review in self.reviews)


def due_reviews(register: Register, within: int = DEFAULT_WITHIN_DAYS, owner: str | None = None) -> DueList:
    """Active risks whose next review is before or within ``within`` days of the build date.

    A risk with several owners is listed under each; ``owner`` keeps one owner's (any case).
    """
    limit = register.build_date + dt.timedelta(days=within)
    by_owner: dict[str, list[DueReview]] = {}
    for risk in register.risks:
        if not risk.active or risk.next_review is None or risk.next_review > limit:
            continue
        review = DueReview(risk, (risk.next_review - register.build_date).days)
        for name in risk.owners:
            if owner is None or name.casefold() == owner.casefold():
                by_owner.setdefault(name, []).append(review)
    owners = tuple(
        (name, tuple(sorted(reviews, key=lambda r: (r.days, natural_key(r.risk.id)))))
        for name, reviews in sorted(by_owner.items(), key=lambda item: (item[0].casefold(), item[0]))
    )
    return DueList(register.build_date, within, owners)


def _when(review: DueReview) -> str:
    days = abs(review.days)
    plural = "" if days == 1 else "s"
    if review.overdue:
        return f"overdue since {review.risk.next_review} ({days} day{plural})"
    if review.days == 0:
        return "due today"
    return f"due {review.risk.next_review} (in {days} day{plural})"


def summary(due: DueList) -> str:
    total = len(due.reviews)
    return (
        f"{due.overdue_count} overdue, {total - due.overdue_count} due within {due.within} days "
        f"(as of {due.build_date})"
    )


def to_text(due: DueList) -> str:
    lines: list[str] = []
    for name, reviews in due.owners:
        lines.append(name)
        lines += [f"  {r.risk.id}  {_when(r)}  [{r.risk.band.name}]  {r.risk.title}" for r in reviews]
    lines.append(f"risk-register: {summary(due)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, no column break, no raw HTML."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def to_markdown(due: DueList) -> str:
    lines = ["# Risk reviews due", "", summary(due).capitalize() + ".", ""]
    if not due.owners:
        lines += ["No review is overdue or due soon.", ""]
    for name, reviews in due.owners:
        lines += [f"## {_cell(name)}", "", "| ID | Risk | Band | Next review | |", "|---|---|---|---|---|"]
        for r in reviews:
            state = "**overdue**" if r.overdue else ("due today" if r.days == 0 else f"in {r.days} days")
            lines.append(
                f"| {_cell(r.risk.id)} | {_cell(r.risk.title)} | {_cell(r.risk.band.name)} "
                f"| {r.risk.next_review} | {state} |"
            )
        lines.append("")
    return "\n".join(lines)


def to_json(due: DueList) -> str:
    data = {
        "build_date": due.build_date.isoformat(),
        "within": due.within,
        "overdue": due.overdue_count,
        "due": len(due.reviews) - due.overdue_count,
        "owners": [
            {
                "owner": name,
                "reviews": [
                    {
                        "id": r.risk.id,
                        "title": r.risk.title,
                        "band": r.risk.band.name,
                        "reviewed": r.risk.reviewed.isoformat() if r.risk.reviewed else None,
                        "next_review": r.risk.next_review.isoformat() if r.risk.next_review else None,
                        "days": r.days,
                        "overdue": r.overdue,
                        "source": r.risk.source,
                    }
                    for r in reviews
                ],
            }
            for name, reviews in due.owners
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
