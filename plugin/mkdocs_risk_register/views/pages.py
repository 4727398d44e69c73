"""The generated pages as Markdown (with raw HTML tables that MkDocs leaves intact)."""

from __future__ import annotations

import re

from .. import defaults
from ..diagnostics import Diagnostic
from ..model import Model, top_risks
from ..register import Register
from ..risk import Risk
from .html import Cell, table
from .incomplete import PROBLEMS_ID, incomplete_note
from .site import SiteLayout
from .text import EM_DASH, escape, heading_markdown, markdown_text
from .treatment_summary import treatment_summary


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
        f'<div class="admonition {kind}" id="{PROBLEMS_ID}" data-risk-register-problems>\n'
        f'<p class="admonition-title">Problems in the risk files: {", ".join(summary)}</p>{left_out}\n'
        f"<ul>\n{items}\n</ul>\n</div>"
    )


def _problem_html(problem: Diagnostic) -> str:
    return (
        f"<code>{escape(problem.path)}:{problem.line}</code>: {escape(problem.severity)}: "
        f"{escape(problem.message)} <code>[{escape(problem.code)}]</code>"
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
        incomplete_note(register, layout, "index"),
        problems_note(register),
        summary,
        "## Risk Matrix",
        chart_html,
        "### Scoring Guide",
        scoring_guide(register.model),
        treatment_summary(register),
        "## Register",
        _register_table(register) if register.risks else "No risks yet.",
    ]
    # Ten columns want the page's whole width: Material (and Zensical) hide their sidebars on request.
    return WIDE_PAGE + "\n\n".join(s for s in sections if s) + "\n"


WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n\n"


def _register_table(register: Register) -> str:
    columns = register.model.columns
    if columns == defaults.REGISTER_COLUMNS:
        return view("risk-table")
    return view("risk-table", options=f"    columns: [{', '.join(columns)}]")  # names of the views' own columns


def top_page(register: Register, layout: SiteLayout) -> str:
    top = register.top
    sections = [f"# {top_title(len(top))}", incomplete_note(register, layout, "top")]
    if not top:
        sections.append("No active risks.")
    elif len(top) == 1:
        sections.append("The highest-scoring active risk.")
    else:
        sections.append(f"The {len(top)} highest-scoring active risks, by score and then by id.")
    if top:
        sections.append(view("risk-top"))
    return "\n\n".join(s for s in sections if s) + "\n"


def monitoring_page(register: Register, layout: SiteLayout) -> str:
    model = register.model
    sections = ["# Risk Monitoring Schedule", incomplete_note(register, layout, "monitoring")]
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
    if active:
        sections.append(view("risk-schedule"))
    return "\n\n".join(s for s in sections if s) + "\n"


_PLAIN_ID = re.compile(r"[^\s|\x00-\x1f\x7f-\x9f]+")


def risk_page(risk: Risk, note: str = "") -> str:
    """A risk's page: its title, then its card, which on the risk's own page has the chart and the body.

    ``note``: that the register is incomplete (:func:`incomplete_note`), under the title."""
    # An id that the opening line cannot hold as written (a '|', a line break) is left out: on a risk's
    # own page a card without an id is that risk's. The others are named, for hosts that do not say
    # which page they convert.
    argument = risk.id if _PLAIN_ID.fullmatch(risk.id) else None
    title = f"# {markdown_text(risk.id)}: {heading_markdown(risk.title)}"
    return "\n\n".join(s for s in (title, note, view("risk-card", argument)) if s) + "\n"


def view(kind: str, argument: str | None = None, options: str = "") -> str:
    """A view block of the Markdown extension, as a user would write it in a page."""
    opener = f"/// {kind}" + (f" | {argument}" if argument else "")
    return "\n".join(line for line in (opener, options, "///") if line)
