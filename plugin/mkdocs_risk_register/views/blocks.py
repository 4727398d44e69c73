"""The register's views, written once for every host: ``render_view(kind, register, options, page)``.

A view is a pure function of a loaded :class:`~mkdocs_risk_register.register.Register`,
its :class:`ViewOptions` (filter, columns, sort, limit, ...) and the
:class:`PageContext` of the page that shows it. It returns an element tree
fragment (``xml.etree.ElementTree.Element``, the tree Python-Markdown builds a
page in) and knows nothing of the host:

- the MkDocs plugin builds its generated pages from these views (the register
  page is the scoring guide, ``risk-matrix`` and ``risk-table``; the top page is
  ``risk-top``; the monitoring page holds ``risk-schedule``; a risk page is
  ``risk-card`` with its body);
- the Markdown extension (``mkdocs_risk_register.markdown``) renders the same
  views as ``pymdownx.blocks`` blocks in any page, under MkDocs, ProperDocs or
  Zensical;
- ``risk-register render`` writes pages that hold these blocks.

Two kinds of element in a fragment stand for what only the host can finish:

- ``<risk-register-raw>``: its text is ready HTML (the SVG chart), to be stored
  as raw HTML by the host (:func:`is_raw`);
- ``<risk-register-body>``: its text is a risk's Markdown body, to be parsed by
  the host's Markdown with its headings shifted so that the highest is
  ``data-level`` (:func:`is_body`).

Links to the register's pages are written as relative ``.md`` paths from the
page (``RSK-001.md``, ``../risk-register/top.md``), so the host resolves them as
it resolves any link of the page (``use_directory_urls``) and reports broken
ones. Links inside risk fields are written relative to the register's pages;
:attr:`PageContext.relocate` rewrites them for a page elsewhere.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markdown.util import AtomicString

from .. import defaults
from ..fields import Field
from ..naming import natural_key
from ..register import Register
from ..risk import Risk
from ..words import Words, english, isolated
from . import field_cells
from .charts.matrix import TEXT_LIST_CLASS, text_cells
from .inline import Relocate, append_inline, append_text, relocator
from .mermaid import mermaid_block, quadrant_chart
from .site import SiteLayout, page_name
from .svg import MatrixLayout, matrix_figure, matrix_layout, risk_summary
from .text import EM_DASH, escape, flat, has_control, plain_text

RAW_TAG = "risk-register-raw"
BODY_TAG = "risk-register-body"

VIEW_KINDS = ("risk-table", "risk-matrix", "risk-top", "risk-schedule", "risk-card")

REGISTER_COLUMNS = defaults.REGISTER_COLUMNS
EXTRA_COLUMNS = defaults.EXTRA_COLUMNS
SCHEDULE_COLUMNS = (
    "column.id",
    "column.risk",
    "column.band",
    "column.last_reviewed",
    "column.next_review",
    "column.overdue",
)


@dataclass(frozen=True)
class PageContext:
    """Where a view is shown: the page's source path in the site and the register's layout."""

    src_uri: str
    """The page's path below docs_dir, POSIX (``teams/data.md``)."""
    layout: SiteLayout = field(default_factory=SiteLayout)
    issue_url: str | None = None
    """Link pattern of ``#N`` references in ``related`` (``{number}`` stands for N)."""
    words: Words = field(default_factory=english)
    """The register's words in the site's language."""

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.src_uri)

    @property
    def register_folder(self) -> str:
        return self.layout.prefix.strip("/")

    def link(self, name: str) -> str:
        """Relative ``.md`` link from this page to a file of the register (``top.md``, ``RSK-1.md``)."""
        return posixpath.relpath(self.layout.src(name), self.folder or ".")

    def risk_link(self, risk_id: str) -> str:
        return self.link(f"{page_name(risk_id)}.md")

    def _url_path(self, src: str) -> str:
        stem, _ = posixpath.splitext(src)
        if posixpath.basename(stem) in ("index", "README"):
            return posixpath.join(posixpath.dirname(stem), "index.html")
        return f"{stem}/index.html" if self.layout.use_directory_urls else f"{stem}.html"

    def url_of(self, src: str) -> str:
        """The URL of a page of the site relative to this page's, for raw HTML (a chart) that no host rewrites."""
        target = self._url_path(src)
        url = posixpath.relpath(target, posixpath.dirname(self._url_path(self.src_uri)) or ".")
        if url.endswith("index.html") and self.layout.use_directory_urls:
            url = url[: -len("index.html")] or "./"
        return url

    def risk_url(self, risk_id: str) -> str:
        return self.url_of(self.layout.risk_src(risk_id))

    @property
    def relocate(self) -> Relocate | None:
        return relocator(self.register_folder, self.folder)

    @property
    def on_register_pages(self) -> bool:
        return self.folder == self.register_folder


@dataclass(frozen=True)
class RiskFilter:
    """Which risks a view shows: each given key must match (names already resolved to configured ones)."""

    category: frozenset[str] | None = None
    status: frozenset[str] | None = None
    owner: frozenset[str] | None = None
    band: frozenset[str] | None = None
    treatment: frozenset[str] | None = None
    ids: frozenset[str] | None = None
    min_score: int | None = None
    max_score: int | None = None
    active: bool | None = None
    fields: tuple[tuple[Field, frozenset[str]], ...] = ()
    """Declared fields (``fields:``) and the values (casefolded) each must have."""

    def matches(self, risk: Risk) -> bool:
        return all(field_cells.matches(risk, f, wanted) for f, wanted in self.fields) and (
            (self.category is None or risk.category.casefold() in self.category)
            and (self.status is None or risk.status.name.casefold() in self.status)
            and (self.owner is None or any(owner.casefold() in self.owner for owner in risk.owners))
            and (self.band is None or risk.band.name.casefold() in self.band)
            and (self.treatment is None or (treatment_of(risk) or "").casefold() in self.treatment)
            and (self.ids is None or risk.id.casefold() in self.ids)
            and (self.min_score is None or risk.score >= self.min_score)
            and (self.max_score is None or risk.score <= self.max_score)
            and (self.active is None or risk.active == self.active)
        )


@dataclass(frozen=True)
class ViewOptions:
    """A view's options, already checked (see ``views/options.py``)."""

    filter: RiskFilter = field(default_factory=RiskFilter)
    columns: tuple[str, ...] | None = None
    sort: str | None = None
    """A column name, ``-`` in front for descending."""
    limit: int | None = None
    top: int | None = None
    risk_id: str | None = None
    """The card's risk."""
    body: bool | None = None
    """A card shows the risk's body after its summary (default: on the risk's own page only)."""
    chart: bool | None = None
    """A card shows the risk matrix with the risk highlighted (default: on the risk's own page only)."""
    level: int = 2
    """Heading level of a risk's title in ``risk-top``; its body's headings come below it."""


def treatment_of(risk: Risk) -> str | None:
    value = getattr(risk, "treatment", None)  # a key of the contract that not every register has yet
    return value if isinstance(value, str) else None


def select(register: Register, options: ViewOptions) -> list[Risk]:
    """The risks a view shows, in its order, cut to its limit."""
    risks = [risk for risk in register.risks if options.filter.matches(risk)]
    if options.sort:
        name = options.sort.lstrip("-")
        column = column_for(name, register)
        if column is not None:
            risks.sort(key=lambda risk: column.key(risk, register), reverse=options.sort.startswith("-"))
    if options.limit is not None:
        risks = risks[: options.limit]
    return risks


# --- elements -------------------------------------------------------------------------------------


def _el(tag: str, text: str | None = None, attrs: dict[str, str] | None = None) -> etree.Element:
    element = etree.Element(tag, attrs or {})
    if text is not None:
        # A value shows on one line, without control characters; ready HTML and bodies stay as written.
        element.text = AtomicString(text if tag in (RAW_TAG, BODY_TAG) else flat(text))
    return element


def _sub(
    parent: etree.Element, tag: str, text: str | None = None, attrs: dict[str, str] | None = None
) -> etree.Element:
    element = _el(tag, text, attrs)
    parent.append(element)
    return element


def raw(html: str) -> etree.Element:
    """Ready HTML (a chart) for the host to pass through."""
    return _el(RAW_TAG, html)


def is_raw(element: etree.Element) -> bool:
    return element.tag == RAW_TAG


def is_body(element: etree.Element) -> bool:
    return element.tag == BODY_TAG


def _body(risk: Risk, level: int, *, among_others: bool = False) -> etree.Element:
    """A risk's body, for the host to parse; ``among_others``: more bodies follow it on the page."""
    attrs = {"data-level": str(level), "data-risk": risk.id}
    if among_others:
        attrs["data-among-others"] = ""
    return _el(BODY_TAG, risk.body, attrs)


def _note(text: str) -> etree.Element:
    return _el("p", text, {"class": "risk-register-empty"})


def _no_match(page: PageContext) -> etree.Element:
    return _note(page.words("table.no_match"))


# --- columns --------------------------------------------------------------------------------------

CellWriter = Callable[[etree.Element, Risk, PageContext], None]
SortKey = Callable[[Risk, Register], Any]


@dataclass(frozen=True)
class Column:
    name: str
    """The name views' options use (``columns: [ID, Score]``): the same in every language."""
    write: CellWriter
    key: SortKey
    label: str = ""
    """The catalogue key of its header; a declared field's column is headed by its label (``name``)."""

    def header(self, words: Words) -> str:
        return words(self.label) if self.label else self.name


def _id_cell(td: etree.Element, risk: Risk, page: PageContext) -> None:
    _sub(td, "a", risk.id, {"href": page.risk_link(risk.id)})


def _title_cell(td: etree.Element, risk: Risk, page: PageContext) -> None:
    append_inline(_sub(td, "strong"), risk.title, page.relocate)


def _text_cell(value: Callable[[Risk], str]) -> CellWriter:
    def write(td: etree.Element, risk: Risk, page: PageContext) -> None:
        append_text(td, value(risk))

    return write


def _inline_cell(value: Callable[[Risk], str]) -> CellWriter:
    def write(td: etree.Element, risk: Risk, page: PageContext) -> None:
        append_inline(td, value(risk), page.relocate)

    return write


def _level_cell(which: str) -> CellWriter:
    def write(td: etree.Element, risk: Risk, page: PageContext) -> None:
        level = getattr(risk, which)
        td.set("data-sort", str(level.value))
        append_text(td, level.name)

    return write


def _score_cell(td: etree.Element, risk: Risk, page: PageContext) -> None:
    td.set("title", risk.band.name)
    td.set("data-sort", str(risk.score))
    append_text(td, str(risk.score))


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _residual(risk: Risk) -> str:
    value = getattr(risk, "residual_score", None)  # the contract's residual level, once the model has it
    return "" if value is None else str(value)


# The views' column names (English in every language: the `columns` and `sort` options' interface) and the
# catalogue keys of their headers.
_COLUMN_LABELS = {
    "ID": "column.id",
    "Risk": "column.risk",
    "Category": "column.category",
    "Prob": "column.prob",
    "Impact": "column.impact",
    "Score": "column.score",
    "Mitigation": "column.mitigation",
    "Contingency": "column.contingency",
    "Owner": "column.owner",
    "Status": "column.status",
    "Band": "column.band",
    "Treatment": "column.treatment",
    "Residual": "column.residual",
    "Next review": "column.next_review",
}

COLUMNS: dict[str, Column] = {
    column.name.casefold(): Column(column.name, column.write, column.key, _COLUMN_LABELS[column.name])
    for column in (
        Column("ID", _id_cell, lambda r, reg: natural_key(r.id)),
        Column("Risk", _title_cell, lambda r, reg: plain_text(r.title).casefold()),
        Column("Category", _text_cell(lambda r: r.category), lambda r, reg: r.category.casefold()),
        Column("Prob", _level_cell("probability"), lambda r, reg: r.probability.value),
        Column("Impact", _level_cell("impact"), lambda r, reg: r.impact.value),
        Column("Score", _score_cell, lambda r, reg: r.score),
        Column("Mitigation", _inline_cell(lambda r: r.mitigation), lambda r, reg: plain_text(r.mitigation).casefold()),
        Column(
            "Contingency", _inline_cell(lambda r: r.contingency), lambda r, reg: plain_text(r.contingency).casefold()
        ),
        Column("Owner", _text_cell(lambda r: r.owner_text), lambda r, reg: r.owner_text.casefold()),
        Column("Status", _text_cell(lambda r: r.status.name), lambda r, reg: r.status.name.casefold()),
        Column("Band", _text_cell(lambda r: r.band.name), lambda r, reg: -reg.model.bands.index(r.band)),
        Column("Treatment", _text_cell(lambda r: treatment_of(r) or ""), lambda r, reg: treatment_of(r) or ""),
        Column(
            "Residual",
            _text_cell(_residual),
            lambda r, reg: (r.residual_score is None, r.residual_score or 0),  # by value, risks without last
        ),
        Column(
            "Next review",
            _text_cell(lambda r: _date(r.next_review)),
            lambda r, reg: (r.next_review is None, r.next_review or date.min),
        ),
    )
}


def column_for(name: str, register: Register) -> Column:
    """A column by its name: the register's own, else a declared field (by label or name)."""
    column = COLUMNS.get(name.casefold())
    if column is not None:
        return column
    declared = field_cells.find_field(register.model.fields, name)
    if declared is None:
        raise KeyError(name)  # options.py checked the names
    return Column(
        declared.label,
        lambda td, risk, page: field_cells.write_value(td, declared, risk.field(declared.name), page.relocate),
        field_cells.sort_key(declared),
    )


@functools.lru_cache(maxsize=8)  # one JSON text a build, on every table
def script_words(words: Words) -> str:
    """The table script's words (``script.*``), for its ``data-risk-register-words`` attribute: the script
    holds no text of its own. Each entry as plural forms, chosen in the browser by ``Intl.PluralRules``."""
    entries = {key[len("script.") :]: words.forms(key) for key in words.entries if key.startswith("script.")}
    return json.dumps({"language": words.language, "words": entries}, ensure_ascii=False, separators=(",", ":"))


def _row_attrs(risk: Risk, anchors: bool) -> dict[str, str]:
    # The row's data-* attributes feed the table's filters in the browser; data-score their order.
    attrs = {"id": f"risk-{page_name(risk.id)}"} if anchors else {}  # the register page's own table only
    attrs.update(
        {
            "data-band": risk.band.name,
            "data-score": str(risk.score),
            "data-status": risk.status.name,
            "data-category": risk.category,
            "data-owner": "|".join(risk.owners),
        }
    )
    return attrs


def _table(headers: Sequence[str], attrs: dict[str, str] | None = None) -> tuple[etree.Element, etree.Element]:
    table = _el("table", None, attrs)
    row = _sub(_sub(table, "thead"), "tr")
    for header in headers:
        _sub(row, "th", header)
    return table, _sub(table, "tbody")


# --- views ----------------------------------------------------------------------------------------


def risk_table(register: Register, options: ViewOptions, page: PageContext) -> etree.Element:
    """The register table: the reference's ten columns by default, a row per risk that matches."""
    risks = select(register, options)
    if not risks:
        return _no_match(page)
    columns = [column_for(name, register) for name in options.columns or REGISTER_COLUMNS]
    attrs = {"data-risk-register-table": ""}
    if options.columns:  # the styles of the full register table (its column widths) are not for this one
        attrs["data-columns"] = " ".join(column.name for column in columns)
    attrs["data-risk-register-words"] = script_words(page.words)
    table, body = _table([column.header(page.words) for column in columns], attrs)
    anchors = page.src_uri == page.layout.src("index.md")
    for risk in risks:
        row = _sub(body, "tr", None, _row_attrs(risk, anchors))
        for column in columns:
            column.write(_sub(row, "td"), risk, page)
    return table


def risk_schedule(register: Register, options: ViewOptions, page: PageContext) -> etree.Element:
    """The review calendar: active risks by next review, then id."""
    risks = [risk for risk in select(register, _without_limit(options)) if risk.active]
    if not options.sort:
        risks.sort(key=lambda r: (r.next_review or register.build_date, natural_key(r.id)))
    if options.limit is not None:
        risks = risks[: options.limit]
    if not risks:
        return _no_match(page)
    words = page.words
    # Marked for the plugin, which keeps a large calendar out of MkDocs' HTML parsers (deferred.py).
    table, body = _table([words(key) for key in SCHEDULE_COLUMNS], {"data-risk-register-schedule": ""})
    for risk in risks:
        row = _sub(body, "tr")
        _id_cell(_sub(row, "td"), risk, page)
        append_inline(_sub(row, "td"), risk.title, page.relocate)
        _sub(row, "td", risk.band.name)
        _sub(row, "td", risk.reviewed.isoformat() if risk.reviewed else words("value.never"))
        _sub(row, "td", _date(risk.next_review))
        if risk.overdue:
            _sub(_sub(row, "td", None, {"data-overdue": "true"}), "strong", words("value.overdue"))
        else:
            _sub(row, "td", words("value.no"))
    return table


def _without_limit(options: ViewOptions) -> ViewOptions:
    return ViewOptions(options.filter, options.columns, options.sort, None)


RiskChart = Callable[[Risk, PageContext], "str | None"]
"""A host's own drawing of a risk's chart for a page (the plugin shares one grid across thousands), or None."""


def risk_top(register: Register, options: ViewOptions, page: PageContext) -> etree.Element:
    """The top risks, each with its title as a heading, its score line, band and body."""
    ranked = [risk for risk in register.ranked if options.filter.matches(risk)]
    count = options.top if options.top is not None else options.limit
    top = ranked[: register.model.top if count is None else count]
    section = _el("div", None, {"class": "risk-register-top"})
    if not top:
        section.append(_no_match(page))
        return section
    words = page.words
    colon = words("text.colon")
    level = min(options.level, 6)
    for risk in top:
        _sub(section, f"h{level}", f"{risk.id}{colon}{plain_text(risk.title)}")
        line = _sub(section, "p")
        _sub(line, "strong", words("top.risk_score"))
        append_text(line, f"{colon}{score_line(risk, words)}")
        band = _sub(section, "p")
        _sub(band, "strong", words("field.band"))
        # The author's names among the view's words: each isolated when it holds right-to-left text.
        action = f" {EM_DASH} {isolated(risk.band.action)}" if risk.band.action else ""
        append_text(band, f"{colon}{isolated(risk.band.name)}{action} \u00b7 ")
        _sub(band, "strong", words("field.owner"))
        append_text(band, f"{colon}{isolated(risk.owner_text)} \u00b7 ")
        _sub(band, "strong", words("field.status"))
        append_text(band, f"{colon}{isolated(risk.status.name)} \u00b7 ")
        _sub(band, "a", words("top.risk_page"), {"href": page.risk_link(risk.id)})
        if risk.body.strip():
            section.append(_body(risk, level + 1, among_others=True))
    return section


def risk_card(
    register: Register, options: ViewOptions, page: PageContext, *, risk_chart: RiskChart | None = None
) -> etree.Element:
    """One risk: its fields and score in a table (its title linked above it, except on its own page)."""
    assert options.risk_id is not None
    risk = register.by_id[options.risk_id]
    card = _el("div", None, {"class": "risk-register-card", "data-risk": risk.id})
    own_page = page.src_uri == page.layout.risk_src(risk.id)
    if not own_page:
        title = _sub(card, "p", None, {"class": "risk-register-card-title"})
        link = _sub(title, "a", f"{risk.id}{page.words('text.colon')}", {"href": page.risk_link(risk.id)})
        append_inline(link, risk.title, page.relocate)
    table, body = _table(
        [page.words("field.field"), page.words("field.value")], {"data-risk-summary": page_name(risk.id)}
    )
    for name, write in _card_rows(risk, register, page):
        row = _sub(body, "tr")
        _sub(row, "td", name)
        write(_sub(row, "td"))
    card.append(table)
    if own_page if options.chart is None else options.chart:
        chart = risk_chart(risk, page) if risk_chart is not None else None
        if chart is None:
            chart = matrix_figure(
                matrix_layout(register.risks, register.model, words=page.words),
                page.risk_url,
                highlight=risk.id,
                text_list=False,
            )
        if chart:
            card.append(raw(chart))
    if (own_page if options.body is None else options.body) and risk.body.strip():
        card.append(_body(risk, options.level))
    return card


def score_line(risk: Risk, words: Words) -> str:
    """``9 (High Probability, High Impact)``: a risk's score with its levels."""
    return words("risk.score_line", score=risk.score, probability=risk.probability.name, impact=risk.impact.name)


def _card_rows(risk: Risk, register: Register, page: PageContext) -> list[tuple[str, Callable[[etree.Element], None]]]:
    words = page.words
    if risk.rank is not None:
        rank = words.count("card.rank", register.active_count, rank=risk.rank)
    else:
        rank = words("card.not_ranked", status=risk.status.name)
    review = ""
    if risk.next_review is not None:
        date = risk.next_review.isoformat()
        review = words("card.next_review_overdue", date=date) if risk.overdue else date
    band = f"{risk.band.name} {EM_DASH} {risk.band.action}" if risk.band.action else risk.band.name

    def text(value: str) -> Callable[[etree.Element], None]:
        return lambda td: append_text(td, value)

    def inline(value: str) -> Callable[[etree.Element], None]:
        return lambda td: append_inline(td, value, page.relocate)

    score = score_line(risk, words)
    rows = [(words("field.score"), text(score))]
    if risk.residual is not None:  # current and residual side by side
        residual = risk.residual
        rows[0] = (
            words("field.score"),
            text(
                words(
                    "risk.score_residual",
                    current=score,
                    residual=residual.score,
                    probability=residual.probability.name,
                    impact=residual.impact.name,
                    band=residual.band.name,
                )
            ),
        )
    rows += [
        (words("field.band"), text(band)),
        (words("field.rank"), text(rank)),
        (words("field.category"), text(risk.category)),
        (words("field.owner"), text(risk.owner_text)),
        (words("field.status"), text(risk.status.name)),
        (words("field.mitigation"), inline(risk.mitigation)),
        (words("field.contingency"), inline(risk.contingency)),
        (words("field.last_reviewed"), text(risk.reviewed.isoformat() if risk.reviewed else words("value.never"))),
        (words("field.next_review"), text(review or words("card.not_tracked"))),
    ]
    rows.extend(_treatment_rows(risk, register.build_date, words))
    if risk.related:
        rows.append((words("field.related"), lambda td: _related(td, risk.related, page)))
    rows.extend(field_cells.field_rows(risk, register.model.fields, page.relocate))
    rows.append((words("field.source"), lambda td: td.append(_el("code", risk.source))))
    return rows


def _treatment_rows(risk: Risk, build_date: date, words: Words) -> list[tuple[str, Callable[[etree.Element], None]]]:
    """Treatment, appetite, target date and acceptance, for a risk that has them."""
    rows: list[tuple[str, str]] = []
    if risk.treatment is not None:
        rows.append((words("field.treatment"), risk.treatment))
    if risk.appetite is not None:
        state = "card.appetite_above" if risk.above_appetite else "card.appetite_within"
        rows.append((words("field.appetite"), words(state, appetite=risk.appetite, score=risk.score)))
    if risk.target_date is not None:
        rows.append((words("field.target_date"), risk.target_date.isoformat()))
    acceptance = risk.acceptance
    if acceptance is not None:
        parts = [words("card.accepted_by", name=acceptance.by) if acceptance.by else words("card.accepted_by_nobody")]
        if acceptance.date is not None:
            parts.append(words("card.accepted_on", date=acceptance.date.isoformat()))
        if acceptance.expires is not None:
            until = "card.accepted_until_expired" if acceptance.expired(build_date) else "card.accepted_until"
            parts.append(words(until, date=acceptance.expires.isoformat()))
        if acceptance.reason:
            parts.append(f"{EM_DASH} {acceptance.reason}")  # last in its cell: no word of ours after it
        rows.append((words("field.acceptance"), " ".join(parts)))

    def text(value: str) -> Callable[[etree.Element], None]:
        return lambda td: append_text(td, value)

    return [(name, text(value)) for name, value in rows]


def _related(td: etree.Element, related: Sequence[str], page: PageContext) -> None:
    for index, item in enumerate(related):
        if index:
            append_text(td, ", ")
        href = _related_href(item, page.issue_url)
        if href:
            _sub(td, "a", item, {"href": href})
        else:
            append_text(td, item)


_ISSUE_REF = re.compile(r"#(\d+)")


def _related_href(item: str, issue_url: str | None) -> str | None:
    match = _ISSUE_REF.fullmatch(item)
    if match and issue_url:
        return issue_url.replace("{number}", match.group(1))
    if item.startswith(("https://", "http://")):
        return item
    return None


def top_title(count: int, words: Words) -> str:
    """The top page's name for ``count`` risks: Top 5 Risks, Top Risk for one, Top Risks for none."""
    return words("top.title.none") if count == 0 else words.count("top.title", count)


def top_heading(register: Register, words: Words) -> str:
    return words("top.heading", top=top_title(len(register.top), words))


def risk_matrix(
    register: Register, options: ViewOptions, page: PageContext, *, chart_format: str = "svg"
) -> etree.Element:
    """The risk matrix of the risks that match: the SVG chart (with its text list), Mermaid's, or both."""
    risks = select(register, options)
    if not any(risk.active for risk in risks):
        return _no_match(page)
    words = page.words
    mermaid = mermaid_block(quadrant_chart(risks, register.model, words)) if chart_format != "svg" else ""
    if chart_format == "mermaid":
        return raw(mermaid)
    # The SVG is ready HTML, whose xlink:href no host rewrites: it links with page-relative URLs. The list
    # beside it is elements of the page with .md links: a host may rewrite relative links in raw HTML
    # (Zensical resolves them from the source file, one folder too deep under directory URLs).
    layout = matrix_layout(risks, register.model, words=words)
    view = _el("div", None, {"class": "risk-matrix-view"})
    view.append(raw(matrix_figure(layout, page.risk_url, text_list=False)))
    view.append(_matrix_text(layout, page))
    if mermaid:
        view.append(
            raw(
                '<details class="risk-matrix-mermaid">\n'
                f"<summary>{escape(words('chart.mermaid'))}</summary>\n{mermaid}\n</details>"
            )
        )
    return view


def _matrix_text(layout: MatrixLayout, page: PageContext) -> etree.Element:
    """The chart as a list any reader can follow: each cell with its risks, linked to their pages."""
    details = _el("details", None, {"class": TEXT_LIST_CLASS})
    _sub(details, "summary", page.words("chart.text_list"))
    items = _sub(details, "ul")
    colon = page.words("text.colon")
    for name, members in text_cells(layout):
        if isinstance(members, str):
            _sub(items, "li", f"{name}{colon}{members}")
            continue
        item = _sub(items, "li", f"{name}{colon}")
        for index, risk in enumerate(members):
            link = _sub(item, "a", risk.id, {"href": page.risk_link(risk.id), "title": risk_summary(risk, page.words)})
            if index < len(members) - 1:
                link.tail = ", "
    if not len(items):
        _sub(items, "li", page.words("chart.no_active"))
    return details


def render_view(
    kind: str,
    register: Register,
    options: ViewOptions,
    page: PageContext,
    *,
    chart_format: str = "svg",
    risk_chart: RiskChart | None = None,
) -> etree.Element:
    """The view ``kind`` (one of :data:`VIEW_KINDS`) of ``register`` for ``page``: an element tree fragment."""
    fragment = _render(kind, register, options, page, chart_format=chart_format, risk_chart=risk_chart)
    # Attribute values hold the author's text (ids, names): on one line, without control characters
    # (Python-Markdown's own placeholders are made of two of them).
    for element in fragment.iter():
        for key, value in element.attrib.items():
            if has_control(value):
                element.set(key, flat(value))
    return fragment


def _render(
    kind: str,
    register: Register,
    options: ViewOptions,
    page: PageContext,
    *,
    chart_format: str,
    risk_chart: RiskChart | None,
) -> etree.Element:
    if kind == "risk-table":
        return risk_table(register, options, page)
    if kind == "risk-schedule":
        return risk_schedule(register, options, page)
    if kind == "risk-top":
        return risk_top(register, options, page)
    if kind == "risk-card":
        return risk_card(register, options, page, risk_chart=risk_chart)
    if kind == "risk-matrix":
        return risk_matrix(register, options, page, chart_format=chart_format)
    raise ValueError(f"unknown view {kind!r}")
