"""Every file the register adds to a site, as source paths and contents."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..history import History, Unavailable
from ..register import Register
from ..risk import Risk
from ..words import Words, english
from .blocks import PageContext
from .export import register_to_csv, register_to_json
from .history_data import history_to_json
from .history_pages import CHANGES_PAGE, HistoryView
from .incomplete import incomplete_note, incomplete_sentence
from .mermaid import mermaid_block, quadrant_chart
from .pages import monitoring_page, register_page, risk_page, top_page
from .site import SiteLayout, page_name
from .svg import CompactChart, MatrixLayout, matrix_figure, matrix_layout, register_charts
from .text import escape, html_words

ChartFormat = Literal["svg", "mermaid", "both"]
CHART_FORMATS: tuple[ChartFormat, ...] = ("svg", "mermaid", "both")
MATRIX_FILE = "risk-matrix.svg"
RISK_PAGE_MARKERS = 100
"""Above this many active risks, a risk page's chart draws that risk alone and counts the others per cell:
every risk on every page would make the site grow with the square of the register."""
REGISTER_CHART_MARKERS = 500
"""Above this many active risks, the register page's chart counts the risks of each cell; the file draws them all."""


@dataclass(frozen=True)
class RenderOptions:
    issue_url: str | None = None
    chart_format: ChartFormat = "both"
    commit_url: str | None = None
    """Link pattern of a commit in the history, ``{commit}`` standing for its id."""
    words: Words = field(default_factory=english)
    """The register's words in the site's language (made once per build)."""


@dataclass(frozen=True)
class GeneratedSite:
    register: Register
    layout: SiteLayout
    options: RenderOptions
    pages: dict[str, str]
    """Register-wide pages and data files: source path -> content."""
    risk_pages: dict[str, Risk]
    """One page per risk: source path -> risk, rendered on demand by :meth:`render_risk_page`."""
    matrix: MatrixLayout
    """The SVG risk matrix, laid out once for every page that shows it."""
    history: HistoryView | None = None
    """The register's history from git, when the build reads it."""

    @cached_property
    def compact_chart(self) -> CompactChart:
        """The risk pages' chart of a large register without its risk: drawn once for all of them."""
        return CompactChart(matrix_layout([], self.register.model, counts=self.matrix.counts, words=self.options.words))

    def risk_page_chart(self, src_path: str) -> str:
        """The chart of a risk page: the risk matrix with that risk highlighted (empty with Mermaid only)."""
        risk = self.risk_pages[src_path]
        name = page_name(risk.id)
        return self._chart(risk, functools.partial(self.layout.risk_href, name), self.layout.href(name, "index"))

    def _chart(self, risk: Risk, href: Callable[[str], str], full_chart_href: str) -> str:
        if self.options.chart_format == "mermaid":
            return ""
        if len(self.matrix.markers) > RISK_PAGE_MARKERS:
            return self.compact_chart.figure(risk, href, full_chart_href)
        return matrix_figure(self.matrix, href, highlight=risk.id, full_chart_href=full_chart_href, text_list=False)

    def history_section(self, src_path: str) -> str:
        """A risk page's History section (Markdown with raw HTML blocks); empty without history."""
        return self.history.risk_section(self.risk_pages[src_path]) if self.history is not None else ""

    def render_risk_page(self, src_path: str, history_section: str | None = None) -> str:
        """A risk page's Markdown: its title and its card (the card view draws the chart, see :meth:`risk_chart`),
        then its History section (``history_section`` stands in for it when given)."""
        risk = self.risk_pages[src_path]
        words = self.options.words
        note = incomplete_note(self.register, self.layout, page_name(risk.id), words)
        page = risk_page(risk, note, words("text.colon"))
        section = self.history_section(src_path) if history_section is None else history_section
        return f"{page}\n{section}" if section else page

    def risk_chart(self, risk: Risk, page: PageContext) -> str:
        """A risk card's chart (the register's matrix, the risk highlighted) for any page of the site."""
        src_path = self.layout.risk_src(risk.id)
        if page.src_uri == src_path and src_path in self.risk_pages:
            return self.risk_page_chart(src_path)
        return self._chart(risk, page.risk_url, page.url_of(self.layout.src("index.md")))

    def all_files(self) -> Iterator[tuple[str, str]]:
        """Every generated file with its content (risk pages rendered too)."""
        yield from self.pages.items()
        for src_path in self.risk_pages:
            yield src_path, self.render_risk_page(src_path)


def register_chart(
    register: Register, svg_figure: str, chart_format: ChartFormat, words: Words, *, counted: bool
) -> str:
    """The register page's chart: the SVG matrix, the reference's Mermaid quadrant chart, or both.

    A ``counted`` register (over REGISTER_CHART_MARKERS active risks) gets no Mermaid chart with ``both``.
    """
    if chart_format == "svg":
        return svg_figure
    if chart_format == "both" and counted:
        # A point per risk, by the thousand: slow to draw in the browser and unreadable once drawn.
        omitted = html_words(
            words, "chart.mermaid_omitted", limit=REGISTER_CHART_MARKERS, setting="<code>chart_format: mermaid</code>"
        )
        return f'{svg_figure}\n\n<p class="risk-matrix-mermaid-omitted">{omitted}</p>'
    mermaid = mermaid_block(quadrant_chart(list(register.risks), register.model, words))
    if chart_format == "mermaid":
        return mermaid
    # Below the SVG, folded: the same risks at the positions their ``chart`` values give, as in the reference.
    return (
        f'{svg_figure}\n\n<details class="risk-matrix-mermaid">\n'
        f"<summary>{escape(words('chart.mermaid'))}</summary>\n{mermaid}\n</details>"
    )


def generate_site(
    register: Register,
    layout: SiteLayout,
    options: RenderOptions | None = None,
    history: History | Unavailable | None = None,
) -> GeneratedSite:
    """Every generated file; ``history`` adds the changes page, history.json and risk pages' History sections."""
    options = options or RenderOptions()
    words = options.words
    matrix = matrix_layout(register.risks, register.model, words=words)
    counted = register.active_count > REGISTER_CHART_MARKERS  # charts count risks per cell, not a dot each
    # Links in the file resolve from the prefix folder, as from the register page beside it.
    svg_figure, svg_file = register_charts(
        matrix,
        functools.partial(layout.risk_href, "index"),
        layout.file_href("index", MATRIX_FILE),
        counted=counted,
        note=incomplete_sentence(register, layout, "index", words),
    )
    chart = register_chart(register, svg_figure, options.chart_format, words, counted=counted)
    pages = {layout.src("index.md"): register_page(register, layout, chart, words)}
    if register.model.top:
        pages[layout.src("top.md")] = top_page(register, layout, words)
    pages[layout.src("monitoring.md")] = monitoring_page(register, layout, words)
    pages[layout.src("risks.json")] = register_to_json(register)
    pages[layout.src("risks.csv")] = register_to_csv(register)
    pages[layout.src(MATRIX_FILE)] = svg_file
    view = None
    if history is not None:
        view = HistoryView(history, register, layout, options.commit_url, words)
        pages[layout.src(f"{CHANGES_PAGE}.md")] = view.changes_page()
        pages[layout.src("history.json")] = history_to_json(history if isinstance(history, History) else None)
    risk_pages = {layout.risk_src(risk.id): risk for risk in register.risks}
    return GeneratedSite(register, layout, options, pages, risk_pages, matrix, view)
