"""The validated, scored risk: the record every view reads."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .model import Band, Level, Status


@dataclass(frozen=True)
class Risk:
    id: str
    title: str
    category: str
    probability: Level
    impact: Level
    owners: tuple[str, ...]
    owner_is_list: bool
    status: Status
    mitigation: str
    contingency: str
    chart: tuple[float, float] | None
    reviewed: date | None
    related: tuple[str, ...]
    body: str
    source: str
    score: int
    band: Band
    # Filled in by the register: ranking and schedule depend on the other risks and the build date.
    rank: int | None = None
    next_review: date | None = None
    overdue: bool = False
    # From the git history (history.py): the date of the last commit that changed the risk's file.
    last_changed: date | None = None

    @property
    def active(self) -> bool:
        return self.status.active

    @property
    def owner_text(self) -> str:
        return ", ".join(self.owners)

    def scheduled(self, rank: int, next_review: date, overdue: bool) -> Risk:
        """A copy with the register's ranking and schedule set."""
        return replace(self, rank=rank, next_review=next_review, overdue=overdue)
