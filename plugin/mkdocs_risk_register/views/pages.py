"""The generated pages as Markdown (with raw HTML tables that MkDocs leaves intact)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..diagnostics import Diagnostic
from ..model import Model, top_risks
from ..naming import natural_key
from ..register import Register
from ..risk import Risk
from .body import could_hold_level_one_heading, shift_headings
from .html import Cell, link, table, table_of_rows
from .isolate import self_contained
from .site import SiteLayout, page_name
from .text import EM_DASH, escape, heading_markdown, inline_html, markdown_text


def top_title(n: int) -> str:
    return f"{top_risks(n)} — Detailed Analysis"


def _bold(text: str) -> Cell:
    return Cell(f"<strong>{escape(text)}</strong>")


def _score_range(model: Model, band_index: int) -> Cell | str:
    """A band's scores as the reference's guide writes them (7-9); a dash for a band no score reaches."""
    scores = model.band_scores(band_index)
    if scores is None:
        return Cell(EM_DASH, {"title": "no score reaches this band"})
    low, high = scores
    return str(low) if low == high else f"{low}-{high}"


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def scoring_guide(model: Model) -> str:
    parts = []
    for scale in (model.probability, model.impact):
        heading = scale.name.capitalize()
        parts.append(
            table(
                [heading, "Score", "Description"],
                [[_bold(lv.name), str(lv.value), lv.description] for lv in reversed(scale.levels)],
            )
        )
    formula = {
        "product": "Score = Probability × Impact",
        "sum": "Score = Probability + Impact",
        "matrix": "Score from the matrix below",
    }[model.scoring]
    parts.append(f"<p>{escape(formula)}:</p>")
    rows = []
    for impact in reversed(model.impact.levels):
        cells: list[Cell | str] = [_bold(impact.name)]
        for probability in model.probability.levels:
            score = model.score(probability, impact)
            cells.append(Cell(escape(str(score)), {"title": model.band_for(score).name}))
        rows.append(cells)
    parts.append(table(["Impact \\ Probability", *model.probability.names], rows))
    parts.append(
        table(
            ["Risk Score", "Band", "Action", "Review every"],
            [
                [_score_range(model, index), _bold(band.name), band.action, _days(band.review_days)]
                for index, band in enumerate(model.bands)
            ],
        )
    )
    return "\n\n".join(parts)


def problems_note(register: Register) -> str:
    """A visible note listing every problem, and the files left out of the register."""
    if not register.problems:
        return ""
    errors, warnings = len(register.errors), len(register.warnings)
    summary = []
    if register.left_out:
        summary.append(f"{len(register.left_out)} file{'s' if len(register.left_out) != 1 else ''} left out")
    summary.append(f"{errors} error{'s' if errors != 1 else ''}")
    summary.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    kind = "failure" if errors else "warning"
    items = "\n".join(f"<li>{_problem_html(p)}</li>" for p in register.problems)
    left_out = ""
    if register.left_out:
        files = ", ".join(f"<code>{escape(path)}</code>" for path in register.left_out)
        left_out = f"\n<p>Files left out of the register: {files}</p>"
    return (
        f'<div class="admonition {kind}" data-risk-register-problems>\n'
        f'<p class="admonition-title">Problems in the risk files: {", ".join(summary)}</p>{left_out}\n'
        f"<ul>\n{items}\n</ul>\n</div>"
    )


def _problem_html(problem: Diagnostic) -> str:
    return (
        f"<code>{escape(problem.path)}:{problem.line}</code>: {escape(problem.severity)}: "
        f"{escape(problem.message)} <code>[{escape(problem.code)}]</code>"
    )


REGISTER_COLUMNS = ("ID", "Risk", "Category", "Prob", "Impact", "Score", "Mitigation", "Contingency", "Owner", "Status")


def register_table(risks: Sequence[Risk], layout: SiteLayout, from_page: str = "index") -> str:
    return table_of_rows(
        REGISTER_COLUMNS,
        (_register_row(risk, layout.risk_href(from_page, risk.id)) for risk in risks),
        attrs={"data-risk-register-table": ""},
    )


def _register_row(risk: Risk, href: str) -> str:
    """One row of the register table, written directly: a register has thousands."""
    band, status, category = escape(risk.band.name), escape(risk.status.name), escape(risk.category)
    probability, impact = risk.probability, risk.impact
    # The row's data-* attributes feed the register's filters; data-sort makes levels sort by value.
    return (
        f'<tr id="risk-{escape(page_name(risk.id))}" data-band="{band}" data-score="{risk.score}" '
        f'data-status="{status}" data-category="{category}" data-owner="{escape("|".join(risk.owners))}">'
        f'<td><a href="{escape(href)}">{escape(risk.id)}</a></td>'
        f"<td><strong>{inline_html(risk.title)}</strong></td>"
        f"<td>{category}</td>"
        f'<td data-sort="{probability.value}">{escape(probability.name)}</td>'
        f'<td data-sort="{impact.value}">{escape(impact.name)}</td>'
        f'<td title="{band}" data-sort="{risk.score}">{risk.score}</td>'
        f"<td>{inline_html(risk.mitigation)}</td>"
        f"<td>{inline_html(risk.contingency)}</td>"
        f"<td>{escape(risk.owner_text)}</td>"
        f"<td>{status}</td></tr>"
    )


def register_page(register: Register, layout: SiteLayout, chart_html: str) -> str:
    links = []
    if register.model.top:
        links.append(f"[{top_risks(len(register.top)).capitalize()}](top.md)")  # as many as the page shows
    links.append("[Monitoring schedule](monitoring.md)")
    links.append("data: [JSON](risks.json), [CSV](risks.csv)")
    summary = (
        f"{len(register.risks)} risks in the register, {register.active_count} active; "
        f"computed on {register.build_date.isoformat()}. " + " · ".join(links)
    )
    sections = [
        "# Risk Register",
        problems_note(register),
        summary,
        "## Risk Matrix",
        chart_html,
        "### Scoring Guide",
        scoring_guide(register.model),
        "## Register",
        register_table(register.risks, layout) if register.risks else "No risks yet.",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def score_line(risk: Risk) -> str:
    return (
        f"**Risk Score**: {risk.score} ({markdown_text(risk.probability.name)} Probability, "
        f"{markdown_text(risk.impact.name)} Impact)"
    )


def top_page(register: Register) -> str:
    top = register.top
    sections = [f"# {top_title(len(top))}"]
    if not top:
        sections.append("No active risks.")
    elif len(top) == 1:
        sections.append("The highest-scoring active risk.")
    else:
        sections.append(f"The {len(top)} highest-scoring active risks, by score and then by id.")
    for risk in top:
        band = risk.band
        action = f" — {markdown_text(band.action)}" if band.action else ""
        sections += [
            f"## {markdown_text(risk.id)}: {heading_markdown(risk.title)}",
            score_line(risk),
            f"**Band**: {markdown_text(band.name)}{action} · **Owner**: {markdown_text(risk.owner_text)} · "
            f"**Status**: {markdown_text(risk.status.name)} · [Risk page]({page_name(risk.id)}.md)",
            self_contained(shift_headings(risk.body, 3)).strip(),
        ]
    return "\n\n".join(s for s in sections if s) + "\n"


def monitoring_page(register: Register, layout: SiteLayout) -> str:
    model = register.model
    sections = ["# Risk Monitoring Schedule"]
    if model.monitoring:
        sections.append(
            table(
                ["Frequency", "Activity", "Participants", "Output"],
                [[_bold(a.frequency), a.activity, a.participants, a.output] for a in model.monitoring],
            )
        )
    else:
        sections.append("No monitoring activities are configured.")
    sections.append("## Risk Status Definitions")
    sections.append(
        table(
            ["Status", "Description", "Tracked"],
            [
                [
                    _bold(s.name),
                    s.description,
                    "yes" if s.active else "no: out of the top risks and the review calendar",
                ]
                for s in model.statuses
            ],
        )
    )
    sections.append("## Review Calendar")
    active = [r for r in register.risks if r.active]
    overdue = sum(1 for r in active if r.overdue)
    sections.append(
        f"Each active risk is due for review its band's interval after its last review; "
        f"a risk never reviewed is due on the build date. "
        f"On {register.build_date.isoformat()}: {overdue} of {len(active)} overdue."
    )
    calendar = sorted(active, key=lambda r: (r.next_review or register.build_date, natural_key(r.id)))
    if calendar:
        rows = (_calendar_row(risk, layout.risk_href("monitoring", risk.id)) for risk in calendar)
        sections.append(table_of_rows(["ID", "Risk", "Band", "Last reviewed", "Next review", "Overdue"], rows))
    return "\n\n".join(sections) + "\n"


def _calendar_row(risk: Risk, href: str) -> str:
    """One row of the review calendar, written directly: a register has thousands."""
    overdue = '<td data-overdue="true"><strong>overdue</strong></td>' if risk.overdue else "<td>no</td>"
    return (
        f'<tr><td><a href="{escape(href)}">{escape(risk.id)}</a></td><td>{inline_html(risk.title)}</td>'
        f"<td>{escape(risk.band.name)}</td><td>{risk.reviewed.isoformat() if risk.reviewed else 'never'}</td>"
        f"<td>{risk.next_review.isoformat() if risk.next_review else ''}</td>{overdue}</tr>"
    )


_ISSUE_REF = re.compile(r"#(\d+)")


def related_html(item: str, issue_url: str | None) -> str:
    match = _ISSUE_REF.fullmatch(item)
    if match and issue_url:
        return link(issue_url.replace("{number}", match.group(1)), escape(item))
    if item.startswith(("https://", "http://")):
        return link(item, escape(item))
    return escape(item)


def risk_page(
    risk: Risk, register: Register, layout: SiteLayout, *, issue_url: str | None = None, chart_html: str = ""
) -> str:
    name = page_name(risk.id)
    if risk.rank is not None:
        rank = f"{risk.rank} of {register.active_count} active risks"
    else:
        rank = f"not ranked (status {risk.status.name} is not tracked)"
    review = ""
    if risk.next_review is not None:
        review = risk.next_review.isoformat() + (" (overdue)" if risk.overdue else "")
    # Rows written directly, as (field, value HTML): a register has thousands of these pages.
    rows = [
        ("Score", escape(f"{risk.score} ({risk.probability.name} Probability, {risk.impact.name} Impact)")),
        (
            "Band",
            f"{escape(risk.band.name)} {EM_DASH} {escape(risk.band.action)}"
            if risk.band.action
            else escape(risk.band.name),
        ),
        ("Rank", escape(rank)),
        ("Category", escape(risk.category)),
        ("Owner", escape(risk.owner_text)),
        ("Status", escape(risk.status.name)),
        ("Mitigation", inline_html(risk.mitigation)),
        ("Contingency", inline_html(risk.contingency)),
        ("Last reviewed", risk.reviewed.isoformat() if risk.reviewed else "never"),
        ("Next review", review or "none (not tracked)"),
    ]
    if risk.related:
        rows.append(("Related", ", ".join(related_html(item, issue_url) for item in risk.related)))
    rows.append(("Source", f"<code>{escape(risk.source)}</code>"))
    body = risk.body
    if could_hold_level_one_heading(body):
        body = shift_headings(body, 2)
    sections = [
        f"# {markdown_text(risk.id)}: {heading_markdown(risk.title)}",
        table_of_rows(
            ["Field", "Value"],
            (f"<tr><td>{field}</td><td>{value}</td></tr>" for field, value in rows),
            attrs={"data-risk-summary": name},
        ),
        chart_html,
        body.strip(),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"
