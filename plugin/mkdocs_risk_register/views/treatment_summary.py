"""The register page's "Treatment" section: the decisions taken, what is left above appetite,
and the acceptances that run out soon. Shown only for a register that uses treatments or an appetite."""

from __future__ import annotations

import datetime as dt

from ..register import Register
from ..risk import Risk
from ..treatment import has_plan
from .export import uses_treatment
from .html import table
from .site import page_name
from .text import heading_markdown, markdown_text

EXPIRING_WITHIN_DAYS = 30
NO_TREATMENT = "(none)"


def _risk_item(risk: Risk, detail: str) -> str:
    return f"- [{markdown_text(risk.id)}]({page_name(risk.id)}.md): {heading_markdown(risk.title)} ({detail})"


def above_appetite_without_plan(register: Register) -> list[Risk]:
    """Active risks above their appetite with neither a residual level within it nor an unexpired acceptance
    (the ``above-appetite`` rule's risks)."""
    return [risk for risk in register.ranked if risk.above_appetite and not has_plan(risk, register.build_date)]


def expiring_acceptances(register: Register) -> list[Risk]:
    """Active risks whose acceptance expires from the build date to 30 days after it, soonest first."""
    start = register.build_date
    end = start + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    found = [
        risk
        for risk in register.ranked
        if risk.acceptance is not None
        and risk.acceptance.expires is not None
        and start <= risk.acceptance.expires <= end
    ]
    return sorted(found, key=lambda r: r.acceptance.expires if r.acceptance and r.acceptance.expires else end)


def treatment_summary(register: Register) -> str:
    """The section as Markdown; empty for a register without treatments or appetite."""
    if not (register.model.has_appetite or uses_treatment(register)):
        return ""
    active = register.ranked
    counts = dict.fromkeys(register.model.treatments, 0)
    untreated = 0
    for risk in active:
        if risk.treatment is None:
            untreated += 1
        else:
            counts[risk.treatment] += 1
    rows = [[name, str(count)] for name, count in counts.items()]
    rows.append([NO_TREATMENT, str(untreated)])
    parts = ["## Treatment", table(["Treatment", "Active risks"], rows, attrs={"data-risk-register-treatments": ""})]
    if register.model.has_appetite:
        above = above_appetite_without_plan(register)
        parts.append(f"**Above appetite with no plan within it:** {len(above) or 'none'}")
        if above:
            parts.append(
                "\n".join(
                    _risk_item(risk, f"score {risk.score}, appetite {risk.appetite}{_residual_note(risk)}")
                    for risk in above
                )
            )
    expiring = expiring_acceptances(register)
    until = (register.build_date + dt.timedelta(days=EXPIRING_WITHIN_DAYS)).isoformat()
    parts.append(f"**Acceptances expiring by {until}:** {len(expiring) or 'none'}")
    if expiring:
        parts.append(
            "\n".join(
                _risk_item(
                    risk,
                    f"accepted by {markdown_text(risk.acceptance.by or 'nobody named')}, "
                    f"expires {risk.acceptance.expires.isoformat()}",
                )
                for risk in expiring
                if risk.acceptance is not None and risk.acceptance.expires is not None
            )
        )
    return "\n\n".join(parts)


def _residual_note(risk: Risk) -> str:
    return f", residual {risk.residual.score}" if risk.residual is not None else ", no residual level"
