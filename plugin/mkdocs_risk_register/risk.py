"""The validated, scored risk: the record every view reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from datetime import date

from .fields import FieldValue
from .model import Band, Level, Status


@dataclass(frozen=True)
class Acceptance:
    """Who accepted a risk's residual level, when, until when and why (each as written, or None)."""

    by: str | None = None
    date: dt.date | None = None
    expires: dt.date | None = None
    reason: str | None = None

    def expired(self, build_date: dt.date) -> bool:
        """Expired when ``expires`` is strictly before the build date: it holds on its last day."""
        return self.expires is not None and self.expires < build_date


@dataclass(frozen=True)
class Residual:
    """The level a risk should have once its treatment is in place, scored by the same model."""

    probability: Level
    impact: Level
    score: int
    band: Band


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
    # Treatment, residual risk and appetite (treatment.py).
    treatment: str | None = None
    residual: Residual | None = None
    target_date: date | None = None
    acceptance: Acceptance | None = None
    appetite: int | None = None
    """The score limit of the risk's category, or None without an appetite."""
    lines: tuple[tuple[str, int], ...] = ()
    """Lines of the treatment keys in the file, for the rules the register checks on the build date."""
    # Declared fields (``fields:``) that the file gives a usable value, in the order declared.
    fields: tuple[tuple[str, FieldValue], ...] = ()

    @property
    def active(self) -> bool:
        return self.status.active

    @property
    def owner_text(self) -> str:
        return ", ".join(self.owners)

    @property
    def residual_score(self) -> int | None:
        return self.residual.score if self.residual is not None else None

    @property
    def above_appetite(self) -> bool:
        return self.appetite is not None and self.score > self.appetite

    def line_of(self, *keys: str) -> int:
        """The line of the first of ``keys`` the file writes; 1 when it writes none."""
        found = dict(self.lines)
        return next((found[key] for key in keys if key in found), 1)

    def field(self, name: str) -> FieldValue | None:
        """The value of a declared field, or None when the file does not give one."""
        return next((value for key, value in self.fields if key == name), None)

    def scheduled(self, rank: int, next_review: date, overdue: bool) -> Risk:
        """A copy with the register's ranking and schedule set."""
        return replace(self, rank=rank, next_review=next_review, overdue=overdue)
