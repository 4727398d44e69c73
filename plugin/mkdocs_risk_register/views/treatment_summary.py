"""The register page's "Treatment" section: the decisions taken, what is left above appetite,
and the acceptances that run out soon. Shown only for a register that uses treatments or an appetite."""

from __future__ import annotations

import datetime as dt

from ..register import Register
from ..risk import Risk
from ..treatment import has_plan
from ..words import Words, isolated
from .export import uses_treatment
from .html import table
from .site import page_name
from .text import heading_markdown, literal_markdown, markdown_text, markdown_words

EXPIRING_WITHIN_DAYS = 30


def _risk_item(risk: Risk, detail: str, colon: str) -> str:
    title = isolated(heading_markdown(risk.title))
    return f"- [{markdown_text(risk.id)}]({page_name(risk.id)}.md){literal_markdown(colon)}{title} ({detail})"


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


def treatment_summary(register: Register, words: Words) -> str:
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
    rows.append([words("treatment.untreated"), str(untreated)])
    headers = [words("treatment.name"), words("treatment.active_risks")]
    heading = literal_markdown(words("treatment.heading"))
    parts = [f"## {heading}", table(headers, rows, attrs={"data-risk-register-treatments": ""})]
    none = literal_markdown(words("value.none"))
    colon = words("text.colon")
    if register.model.has_appetite:
        above = above_appetite_without_plan(register)
        parts.append(f"**{literal_markdown(words('treatment.above_appetite'))}** {len(above) or none}")
        if above:
            parts.append("\n".join(_risk_item(risk, _above_note(risk, words), colon) for risk in above))
    expiring = expiring_acceptances(register)
    until = literal_markdown(
        words.date(register.build_date + dt.timedelta(days=EXPIRING_WITHIN_DAYS)), line_start=False
    )
    parts.append(f"**{markdown_words(words, 'treatment.expiring', date=until)}** {len(expiring) or none}")
    if expiring:
        parts.append(
            "\n".join(
                _risk_item(
                    risk,
                    markdown_words(
                        words,
                        "treatment.expiring_item",
                        name=markdown_text(risk.acceptance.by or words("treatment.nobody")),
                        date=literal_markdown(words.date(risk.acceptance.expires), line_start=False),
                    ),
                    colon,
                )
                for risk in expiring
                if risk.acceptance is not None and risk.acceptance.expires is not None
            )
        )
    return "\n\n".join(parts)


def _above_note(risk: Risk, words: Words) -> str:
    if risk.residual is None:
        return markdown_words(words, "treatment.above_item_no_residual", score=risk.score, appetite=risk.appetite)
    return markdown_words(
        words, "treatment.above_item", score=risk.score, appetite=risk.appetite, residual=risk.residual.score
    )
