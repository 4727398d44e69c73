"""Treatment, residual risk and appetite: the keys that say what was decided about a risk.

Read from a risk file while it is validated (:func:`read_treatment`), and checked
against the build date when the register is put together (:func:`dated_problems`):
an acceptance expires and a target date passes with the calendar, not with the file.
Every problem here is a warning; the value at fault is ignored, the risk stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, brief
from .loader import front_matter_date
from .model import ACCEPT, Level, Model, Scale, number_hint
from .naming import did_you_mean, suggestion
from .risk import Acceptance, Residual, Risk

if TYPE_CHECKING:
    from .validate import _Checker

TREATMENT_KEYS = ("treatment", "residual", "target_date", "acceptance")
ACCEPTANCE_KEYS = ("by", "date", "expires", "reason")
RESIDUAL_KEYS = ("probability", "impact")


@dataclass(frozen=True)
class TreatmentFields:
    treatment: str | None
    residual: Residual | None
    target_date: dt.date | None
    acceptance: Acceptance | None
    lines: tuple[tuple[str, int], ...]


def _text(value: Any) -> str | None:
    """A name or sentence as written: YAML's numbers, booleans and dates as their text."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float, dt.date)):
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        return text.strip() or None
    return None


def _treatment(check: _Checker) -> str | None:
    entry = check.file.fields.get("treatment")
    if entry is None:
        return None
    name = _text(entry.value if entry.source_text is None else entry.source_text)
    if name is None:
        check.report(
            "treatment", "warning", f"'treatment' must be a name, got {brief(entry.value)}; ignored", "bad-type"
        )
        return None
    known = check.model.find_treatment(name)
    if known is None:
        names = check.model.treatments
        check.report(
            "treatment",
            "warning",
            f"treatment {brief(name)} is not one of the treatments ({', '.join(names)}), so it is ignored"
            f"{did_you_mean(name, list(names))}",
            "unknown-treatment",
        )
    return known


def _residual_level(check: _Checker, raw: dict[Any, Any], scale: Scale) -> Level | None:
    name = _text(raw.get(scale.name))
    if name is None:
        check.report(
            "residual", "warning", f"'residual' needs '{scale.name}': a level of {scale.name}; ignored", "bad-type"
        )
        return None
    level = scale.find(name)
    if level is None:
        check.report(
            "residual",
            "warning",
            f"residual {scale.name} {brief(name)} is not a level of {scale.name} ({', '.join(scale.names)})"
            f"{number_hint(name, scale)}; the residual is ignored"
            f"{did_you_mean(name, scale.names)}",
            "unknown-level",
        )
    return level


def _residual(check: _Checker, score: int) -> Residual | None:
    entry = check.file.fields.get("residual")
    if entry is None:
        return None
    raw = entry.value
    if not isinstance(raw, dict):
        check.report(
            "residual",
            "warning",
            f"'residual' must be a mapping {{probability: <level>, impact: <level>}}, got {brief(raw)}; ignored",
            "bad-type",
        )
        return None
    _unknown_subkeys(check, "residual", raw, RESIDUAL_KEYS)
    model: Model = check.model
    probability = _residual_level(check, raw, model.probability)
    impact = _residual_level(check, raw, model.impact)
    if probability is None or impact is None:
        return None
    residual_score = model.score(probability, impact)
    if residual_score > score:
        check.report(
            "residual",
            "warning",
            f"residual score {residual_score} ({probability.name} probability, {impact.name} impact) is higher "
            f"than the current score {score}; the residual is ignored",
            "residual-above-current",
        )
        return None
    return Residual(probability, impact, residual_score, model.band_for(residual_score))


def _unknown_subkeys(check: _Checker, key: str, raw: dict[Any, Any], known: tuple[str, ...]) -> None:
    for sub in raw:
        if sub not in known:
            check.report(
                key,
                "warning",
                f"unknown key {brief(str(sub))} in '{key}'; {suggestion(str(sub), known)}",
                "unknown-key",
            )


def _target_date(check: _Checker) -> dt.date | None:
    entry = check.file.fields.get("target_date")
    if entry is None:
        return None
    value = front_matter_date(entry.value)
    if value is None:
        check.report(
            "target_date",
            "warning",
            f"'target_date' must be a date YYYY-MM-DD, got {brief(entry.value)}; ignored",
            "bad-date",
        )
    return value


def _acceptance(check: _Checker) -> Acceptance | None:
    entry = check.file.fields.get("acceptance")
    if entry is None:
        return None
    raw = entry.value
    if not isinstance(raw, dict):
        check.report(
            "acceptance",
            "warning",
            f"'acceptance' must be a mapping {{by, date, expires, reason}}, got {brief(raw)}; ignored",
            "bad-type",
        )
        return None
    _unknown_subkeys(check, "acceptance", raw, ACCEPTANCE_KEYS)
    texts: dict[str, str | None] = {}
    for key in ("by", "reason"):
        texts[key] = _text(raw.get(key)) if raw.get(key) is not None else None
        if raw.get(key) is not None and texts[key] is None:
            check.report(
                "acceptance",
                "warning",
                f"'acceptance.{key}' must be text, got {brief(raw.get(key))}; ignored",
                "bad-type",
            )
    dates: dict[str, dt.date | None] = {}
    for key in ("date", "expires"):
        dates[key] = front_matter_date(raw.get(key)) if raw.get(key) is not None else None
        if raw.get(key) is not None and dates[key] is None:
            check.report(
                "acceptance",
                "warning",
                f"'acceptance.{key}' must be a date YYYY-MM-DD, got {brief(raw.get(key))}; ignored",
                "bad-date",
            )
    return Acceptance(by=texts["by"], date=dates["date"], expires=dates["expires"], reason=texts["reason"])


def read_treatment(check: _Checker, score: int) -> TreatmentFields:
    """The treatment keys of a file whose current score is ``score``; problems go to ``check``."""
    fields = check.file.fields
    treatment = _treatment(check)
    residual = _residual(check, score)
    target_date = _target_date(check)
    acceptance = _acceptance(check)
    if treatment is not None and treatment.casefold() == ACCEPT.casefold():
        missing = [key for key in ("by", "expires") if acceptance is None or getattr(acceptance, key) is None]
        if missing:
            check.report(
                "acceptance" if "acceptance" in fields else "treatment",
                "warning",
                f"treatment is {treatment} but {' and '.join(f'acceptance.{key}' for key in missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing: say who accepted the risk and until when",
                "acceptance-missing",
            )
    lines = tuple((key, fields[key].line) for key in ("impact", *TREATMENT_KEYS) if key in fields)
    return TreatmentFields(treatment, residual, target_date, acceptance, lines)


def has_plan(risk: Risk, build_date: dt.date) -> bool:
    """A residual level within the risk's appetite, or an acceptance (by someone) that has not expired."""
    within = risk.residual is not None and risk.appetite is not None and risk.residual.score <= risk.appetite
    acceptance = risk.acceptance
    return within or (acceptance is not None and acceptance.by is not None and not acceptance.expired(build_date))


def dated_problems(risk: Risk, build_date: dt.date) -> list[Diagnostic]:
    """The rules that depend on the build date: acceptance-expired, above-appetite, target-missed.

    Only active risks: a closed risk needs no plan and no acceptance.
    """
    if not risk.active:
        return []
    problems = []
    acceptance = risk.acceptance
    expired = acceptance is not None and acceptance.expired(build_date)
    if acceptance is not None and acceptance.expires is not None and expired:
        problems.append(
            Diagnostic(
                risk.source,
                risk.line_of("acceptance"),
                "warning",
                f"acceptance expired on {acceptance.expires.isoformat()}"
                + (f" (accepted by {brief(acceptance.by)})" if acceptance.by else "")
                + ": review the risk and renew or withdraw the acceptance",
                "acceptance-expired",
            )
        )
    if risk.above_appetite and not has_plan(risk, build_date):
        problems.append(
            Diagnostic(
                risk.source,
                risk.line_of("treatment", "residual", "impact"),
                "warning",
                f"score {risk.score} is above the appetite of {risk.appetite} for {brief(risk.category)}, "
                "with no residual level within it and no unexpired acceptance",
                "above-appetite",
            )
        )
    if (
        risk.target_date is not None
        and risk.target_date < build_date
        and risk.residual is not None
        and risk.score > risk.residual.score
    ):
        problems.append(
            Diagnostic(
                risk.source,
                risk.line_of("target_date"),
                "warning",
                f"target date {risk.target_date.isoformat()} has passed and the score is still {risk.score}, "
                f"above the residual {risk.residual.score}",
                "target-missed",
            )
        )
    return problems
