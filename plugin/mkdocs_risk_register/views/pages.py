"""The generated pages as Markdown (with raw HTML tables that MkDocs leaves intact)."""

from __future__ import annotations

import re

from .. import defaults
from ..diagnostics import Diagnostic
from ..model import Model
from ..register import Register
from ..risk import Risk
from ..words import Words
from .blocks import top_heading
from .html import Cell, table
from .incomplete import PROBLEMS_ID, incomplete_note
from .site import SiteLayout
from .text import EM_DASH, escape, heading_markdown, html_words, literal_markdown, markdown_text, markdown_words
from .treatment_summary import treatment_summary


def _bold(text: str) -> Cell:
    return Cell(f"<strong>{escape(text)}</strong>")


def _score_range(model: Model, band_index: int, words: Words) -> Cell | str:
    """A band's scores as the reference's guide writes them (7-9); a dash for a band no score reaches."""
    scores = model.band_scores(band_index)
    if scores is None:
        return Cell(EM_DASH, {"title": words("guide.no_score")})
    low, high = scores
    return str(low) if low == high else f"{low}-{high}"


def scoring_guide(model: Model, words: Words) -> str:
    parts = []
    for scale, heading in ((model.probability, "guide.probability"), (model.impact, "guide.impact")):
        parts.append(
            table(
                [words(heading), words("guide.score"), words("guide.description")],
                [[_bold(lv.name), str(lv.value), lv.description] for lv in reversed(scale.levels)],
            )
        )
    parts.append(f"<p>{escape(words(f'guide.formula.{model.scoring}'))}</p>")
    rows = []
    for impact in reversed(model.impact.levels):
        cells: list[Cell | str] = [_bold(impact.name)]
        for probability in model.probability.levels:
            score = model.score(probability, impact)
            cells.append(Cell(escape(str(score)), {"title": model.band_for(score).name}))
        rows.append(cells)
    parts.append(table([words("guide.matrix_corner"), *model.probability.names], rows))
    parts.append(
        table(
            [words("guide.band_score"), words("guide.band"), words("guide.action"), words("guide.review_every")],
            [
                [
                    _score_range(model, index, words),
                    _bold(band.name),
                    band.action,
                    words.count("guide.days", band.review_days),
                ]
                for index, band in enumerate(model.bands)
            ],
        )
    )
    return "\n\n".join(parts)


def problems_note(register: Register, words: Words) -> str:
    """A visible note listing every problem (as the build log writes them), and the files left out."""
    if not register.problems:
        return ""
    errors, warnings = len(register.errors), len(register.warnings)
    summary = []
    if register.left_out:
        summary.append(words.count("problems.left_out", len(register.left_out)))
    summary.append(words.count("problems.errors", errors))
    summary.append(words.count("problems.warnings", warnings))
    kind = "failure" if errors else "warning"
    items = "\n".join(f"<li>{_problem_html(p)}</li>" for p in register.problems)
    left_out = ""
    if register.left_out:
        files = ", ".join(f"<code>{escape(path)}</code>" for path in register.left_out)
        left_out = f"\n<p>{html_words(words, 'problems.files', files=files)}</p>"
    title = escape(words("problems.title", summary=", ".join(summary)))
    return (
        f'<div class="admonition {kind}" id="{PROBLEMS_ID}" data-risk-register-problems>\n'
        f'<p class="admonition-title">{title}</p>{left_out}\n'
        f"<ul>\n{items}\n</ul>\n</div>"
    )


def _problem_html(problem: Diagnostic) -> str:
    return (
        f"<code>{escape(problem.path)}:{problem.line}</code>: {escape(problem.severity)}: "
        f"{escape(problem.message)} <code>[{escape(problem.code)}]</code>"
    )


def _top_link(count: int, words: Words) -> str:
    return words("top.link.none") if count == 0 else words.count("top.link", count)


def register_page(register: Register, layout: SiteLayout, chart_html: str, words: Words) -> str:
    links = []
    if register.model.top:
        links.append(f"[{literal_markdown(_top_link(len(register.top), words))}](top.md)")  # as many as the page shows
    links.append(f"[{literal_markdown(words('register.link.monitoring'))}](monitoring.md)")
    links.append(markdown_words(words, "register.link.data", json="[JSON](risks.json)", csv="[CSV](risks.csv)"))
    summary = markdown_words(
        words,
        "register.summary",
        len(register.risks),
        active=register.active_count,
        date=literal_markdown(words.date(register.build_date), line_start=False),
    )
    sections = [
        f"# {literal_markdown(words('register.title'))}",
        incomplete_note(register, layout, "index", words),
        problems_note(register, words),
        f"{summary} " + " · ".join(links),
        f"## {literal_markdown(words('register.matrix_heading'))}",
        chart_html,
        f"### {literal_markdown(words('register.scoring_guide'))}",
        scoring_guide(register.model, words),
        treatment_summary(register, words),
        f"## {literal_markdown(words('register.table_heading'))}",
        _register_table(register) if register.risks else literal_markdown(words("register.empty")),
    ]
    # Ten columns want the page's whole width: Material (and Zensical) hide their sidebars on request.
    return WIDE_PAGE + "\n\n".join(s for s in sections if s) + "\n"


WIDE_PAGE = "---\nhide:\n  - navigation\n  - toc\n---\n\n"


def _register_table(register: Register) -> str:
    columns = register.model.columns
    if columns == defaults.REGISTER_COLUMNS:
        return view("risk-table")
    return view("risk-table", options=f"    columns: [{', '.join(columns)}]")  # names of the views' own columns


def top_page(register: Register, layout: SiteLayout, words: Words) -> str:
    top = register.top
    sections = [f"# {literal_markdown(top_heading(register, words))}", incomplete_note(register, layout, "top", words)]
    if not top:
        sections.append(literal_markdown(words("top.none")))
    else:
        sections.append(markdown_words(words, "top.intro", len(top)))
    if top:
        sections.append(view("risk-top"))
    return "\n\n".join(s for s in sections if s) + "\n"


def monitoring_page(register: Register, layout: SiteLayout, words: Words) -> str:
    model = register.model
    title = literal_markdown(words("monitoring.title"))
    sections = [f"# {title}", incomplete_note(register, layout, "monitoring", words)]
    if model.monitoring:
        sections.append(
            table(
                [words(f"monitoring.{name}") for name in ("frequency", "activity", "participants", "output")],
                [[_bold(a.frequency), a.activity, a.participants, a.output] for a in model.monitoring],
            )
        )
    else:
        sections.append(literal_markdown(words("monitoring.none")))
    sections.append(f"## {literal_markdown(words('monitoring.statuses'))}")
    tracked = {True: words("monitoring.tracked_yes"), False: words("monitoring.tracked_no")}
    sections.append(
        table(
            [words("monitoring.status"), words("monitoring.description"), words("monitoring.tracked")],
            [[_bold(s.name), s.description, tracked[s.active]] for s in model.statuses],
        )
    )
    sections.append(f"## {literal_markdown(words('monitoring.calendar'))}")
    active = [r for r in register.risks if r.active]
    overdue = sum(1 for r in active if r.overdue)
    sections.append(
        markdown_words(
            words,
            "monitoring.calendar_intro",
            date=literal_markdown(words.date(register.build_date), line_start=False),
            overdue=overdue,
            count=len(active),
        )
    )
    if active:
        sections.append(view("risk-schedule"))
    return "\n\n".join(s for s in sections if s) + "\n"


_PLAIN_ID = re.compile(r"[^\s|\x00-\x1f\x7f-\x9f]+")


def risk_page(risk: Risk, note: str = "", colon: str = ": ") -> str:
    """A risk's page: its title, then its card, which on the risk's own page has the chart and the body.

    ``note``: that the register is incomplete (:func:`incomplete_note`), under the title; ``colon``: the
    language's ``text.colon`` between the id and the title."""
    # An id that the opening line cannot hold as written (a '|', a line break) is left out: on a risk's
    # own page a card without an id is that risk's. The others are named, for hosts that do not say
    # which page they convert.
    argument = risk.id if _PLAIN_ID.fullmatch(risk.id) else None
    title = f"# {markdown_text(risk.id)}{literal_markdown(colon)}{heading_markdown(risk.title)}"
    return "\n\n".join(s for s in (title, note, view("risk-card", argument)) if s) + "\n"


def view(kind: str, argument: str | None = None, options: str = "") -> str:
    """A view block of the Markdown extension, as a user would write it in a page."""
    opener = f"/// {kind}" + (f" | {argument}" if argument else "")
    return "\n".join(line for line in (opener, options, "///") if line)
