"""The history on the site: a History section on each risk page, and the register's changes page.

Pure views of a :class:`History`: dates and values come from the commits only, never
from the build date, so the same commit renders the same pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from ..history import ADDED, REMOVED, Change, History, Unavailable, Value
from ..model import Model
from ..register import Register
from ..risk import Risk
from ..treatment import ACCEPTANCE_KEYS
from ..words import Words, english, isolated
from .charts.timeline import Band, Layer, Series, stacked_chart, step_chart
from .html import link, table_of_rows
from .site import SiteLayout, page_name
from .text import EM_DASH, escape, html_words, literal_markdown

CHANGES_PAGE = "changes"
ARROW = "→"
# What the changelog lists: the contract's added, closed, re-scored, status, owner and treatment changes,
# and the residual score and acceptance beside them. Other fields are in history.json and on risk pages.
CHANGELOG_FIELDS = (ADDED, REMOVED, "score", "residual", "status", "owner", "treatment", "acceptance")


def commit_url_pattern(repo_url: str | None) -> str | None:
    """Link pattern for a commit, ``{commit}`` standing for its id: GitHub's or GitLab's from repo_url."""
    if not repo_url:
        return None
    base = repo_url.rstrip("/").removesuffix(".git")
    host = urlsplit(base).hostname or ""
    if "github" in host:
        return base + "/commit/{commit}"
    if "gitlab" in host:
        return base + "/-/commit/{commit}"
    return None


# An acceptance in history.json is one line, "by: J. Doe, date: 2026-01-10, ...": its known keys, each at the
# start or after ", ", are the register's words; what follows each is the author's, as written.
_ACCEPTANCE_PART = re.compile(rf"(?:^|, )({'|'.join(ACCEPTANCE_KEYS)}): ")


@lru_cache(maxsize=4096, typed=True)  # the same levels, statuses and owners in thousands of rows
def _value(value: Value) -> str:
    """A value in a history table, isolated when it holds right-to-left text (it sits beside an arrow)."""
    return EM_DASH if value is None or value == "" else escape(isolated(str(value)))


def acceptance_text(value: str, words: Words) -> str:
    """An acceptance's history value with its keys in the site's language (``history.acceptance.*``).

    A value that does not begin with a known key (an acceptance written as text) is kept as written."""
    pieces = _ACCEPTANCE_PART.split(value)
    if len(pieces) < 3 or pieces[0]:
        return value
    colon = words("text.colon")
    keys, texts = pieces[1::2], pieces[2::2]
    return ", ".join(
        f"{words(f'history.acceptance.{key}')}{colon}{text}" for key, text in zip(keys, texts, strict=True)
    )


@dataclass
class HistoryView:
    """What the pages show of the history, indexed once for all of them."""

    history: History | Unavailable
    register: Register
    layout: SiteLayout
    commit_url: str | None = None
    words: Words = field(default_factory=english)
    _by_risk: dict[str, list[Change]] = field(default_factory=dict, init=False)
    # Field names and days in the site's words, worked out once for thousands of rows and sentences.
    _fields: dict[str, str] = field(default_factory=dict, init=False)
    _dates: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if isinstance(self.history, History):
            grouped: dict[str, list[Change]] = defaultdict(list)
            for change in self.history.changes:
                grouped[change.id].append(change)
            self._by_risk = dict(grouped)

    @cached_property
    def end(self) -> str | None:
        """The date of the last commit in the history: where every chart ends."""
        if not isinstance(self.history, History) or not self.history.register_points:
            return None
        return self.history.register_points[-1].date

    def _commit(self, commit: str) -> str:
        short = f"<code>{escape(commit[:7])}</code>"
        if self.commit_url is None:
            return short
        return link(self.commit_url.replace("{commit}", commit), short, title=commit)

    # --- a risk page -----------------------------------------------------------------------------

    def risk_section(self, risk: Risk) -> str:
        """The History section of a risk page: the score chart with its text, then the table of changes."""
        if not isinstance(self.history, History):
            return ""  # said once, on the changes page, rather than on every risk page
        timeline = self.history.timelines.get(risk.id)
        changes = self._by_risk.get(risk.id, [])
        words = self.words
        if not timeline or self.end is None:
            return f"## {literal_markdown(words('history.heading'))}\n\n<p>{escape(words('history.none'))}</p>\n"
        parts = [f"## {literal_markdown(words('history.heading'))}", self._score_figure(risk)]
        rows = (
            f"<tr><td>{c.date}</td><td>{escape(c.author)}</td><td>{self._commit(c.commit)}</td>"
            f"<td>{escape(self._field(c.field))}</td><td>{self._values(c)}</td></tr>"
            for c in _newest_commit_first(changes)
        )
        headers = [words(f"column.{name}") for name in ("date", "author", "commit", "field", "change")]
        parts.append(table_of_rows(headers, rows, attrs={"data-risk-history": page_name(risk.id)}))
        return "\n\n".join(parts) + "\n"

    def _values(self, change: Change) -> str:
        """``old → new`` as HTML: an acceptance's keys in the site's language, the values as written."""
        if change.field != "acceptance":
            return f"{_value(change.old)} {ARROW} {_value(change.new)}"
        old, new = (acceptance_text(v, self.words) if isinstance(v, str) else v for v in (change.old, change.new))
        return f"{_value(old)} {ARROW} {_value(new)}"

    def _field(self, name: str) -> str:
        """A front-matter key in the site's language (``history.field.*``); other keys as written."""
        said = self._fields.get(name)
        if said is None:
            key = f"history.field.{name}"
            said = self._fields[name] = self.words(key) if key in self.words.entries else name
        return said

    def _score_figure(self, risk: Risk) -> str:
        assert isinstance(self.history, History) and self.end is not None
        words = self.words
        points = self.history.timelines[risk.id]
        scores = [(p.date, p.score) for p in points]
        series = [Series(words("history.series.score"), scores)]
        residuals = [(p.date, p.residual) for p in points]
        if any(value is not None for _, value in residuals):
            series.append(Series(words("history.series.residual"), residuals, dashed=True))
        y_min, y_max, bands = self._score_axis
        text = self._score_text(risk.id, scores, residuals)
        svg = step_chart(
            title=words("history.chart_title", id=risk.id),
            description=text,
            id_prefix=f"risk-history-{page_name(risk.id)}",
            series=series,
            end=self.end,
            y_min=y_min,
            y_max=y_max,
            bands=bands,
        )
        return (
            f'<figure class="risk-history-figure">\n{svg}\n'
            f'<figcaption class="risk-history-text">{escape(text)}</figcaption>\n</figure>'
        )

    @cached_property
    def _score_axis(self) -> tuple[int, int, tuple[Band, ...]]:
        """The scores every risk's chart spans, and the band tints behind them: the same on every risk page."""
        reachable = self.register.model.reachable_scores()
        return min(reachable) - 1, max(reachable), tuple(_bands(self.register.model))

    def _score_text(
        self, risk_id: str, scores: Sequence[tuple[str, int | None]], residuals: Sequence[tuple[str, int | None]]
    ) -> str:
        words = self.words

        def steps(points: Sequence[tuple[str, int | None]]) -> str:
            said = []
            last: int | str | None = "start"
            for date, value in points:
                if value == last:
                    continue
                day = self._date(date)
                said.append(
                    words("history.step_removed", date=day)
                    if value is None
                    else words("history.step", value=value, date=day)
                )
                last = value
            return ", ".join(said)

        text = words("history.text", id=risk_id, steps=steps(scores))
        if any(value is not None for _, value in residuals):
            text += " " + words("history.text_residual", steps=steps(residuals) or words("value.none"))
        return text

    def _date(self, iso: str) -> str:
        """A commit's day (``YYYY-MM-DD``) in running text, in the site's language."""
        said = self._dates.get(iso)
        if said is None:
            said = self._dates[iso] = self.words.date(dt.date.fromisoformat(iso))
        return said

    # --- the changes page ------------------------------------------------------------------------

    def changes_page(self) -> str:
        words = self.words
        parts = [f"# {literal_markdown(words('changes.title'))}"]
        history = self.history
        if not isinstance(history, History):
            title = escape(words("changes.unavailable"))
            parts.append(
                f'<div class="admonition note">\n<p class="admonition-title">{title}</p>\n'
                f"<p>{escape(words('changes.not_read', reason=history.reason))}</p>\n</div>"
            )
            return "\n\n".join(parts) + "\n"
        if not history.changes:
            parts.append(f"<p>{escape(words('changes.empty'))}</p>")
            return "\n\n".join(parts) + "\n"
        link = f'<a href="{escape(self.layout.file_href(CHANGES_PAGE, "history.json"))}">history.json</a>'
        parts.append(f"<p>{html_words(words, 'changes.intro', link=link)}</p>")
        parts += [
            f"## {literal_markdown(words('changes.over_time'))}",
            self._band_figure(),
            self._total_figure(),
            f"## {literal_markdown(words('changes.changelog'))}",
        ]
        parts += self._changelog(history)
        return "\n\n".join(parts) + "\n"

    def _band_figure(self) -> str:
        assert isinstance(self.history, History) and self.end is not None
        model = self.register.model
        points = self.history.register_points
        dates = [p.date for p in points]
        # Lowest band at the bottom of the stack.
        layers = [
            Layer(band.name, band.color, [p.bands[index] for p in points])
            for index, band in reversed(list(enumerate(model.bands)))
        ]
        last = points[-1]
        words = self.words
        text = words(
            "changes.bands_text",
            start=self._date(dates[0]),
            end=self._date(dates[-1]),
            date=self._date(last.date),
            counts=", ".join(f"{band.name} {last.bands[i]}" for i, band in enumerate(model.bands)),
        )
        svg = stacked_chart(
            title=words("changes.bands_title"),
            description=text,
            id_prefix="risk-history-bands",
            dates=dates,
            layers=layers,
            end=self.end,
        )
        rows = (
            f"<tr><td>{p.date}</td>" + "".join(f"<td>{n}</td>" for n in p.bands) + f"<td>{p.total}</td></tr>"
            for p in reversed(points)
        )
        data_table = table_of_rows([words("column.date"), *(b.name for b in model.bands), words("changes.total")], rows)
        return (
            f'<figure class="risk-history-figure">\n{svg}\n<figcaption class="risk-history-text">{escape(text)}'
            f'</figcaption>\n</figure>\n<details class="risk-history-data">\n<summary>{escape(words("changes.data"))}'
            f"</summary>\n{data_table}\n</details>"
        )

    def _total_figure(self) -> str:
        assert isinstance(self.history, History) and self.end is not None
        points = self.history.register_points
        totals = [(p.date, p.total) for p in points]
        words = self.words
        text = words(
            "changes.total_text",
            start=self._date(points[0].date),
            end=self._date(points[-1].date),
            first=points[0].total,
            last=points[-1].total,
            date=self._date(points[-1].date),
            highest=max(t for _, t in totals),
        )
        svg = step_chart(
            title=words("changes.total_title"),
            description=text,
            id_prefix="risk-history-total",
            series=[Series(words("changes.total"), totals)],
            end=self.end,
            y_min=0,
            y_max=max(t for _, t in totals),
        )
        caption = f'<figcaption class="risk-history-text">{escape(text)}</figcaption>'
        return f'<figure class="risk-history-figure">\n{svg}\n{caption}\n</figure>'

    def _changelog(self, history: History) -> list[str]:
        inactive = {s.name.casefold() for s in self.register.model.statuses if not s.active}
        titles = {risk.id: risk.title for risk in self.register.risks}
        # One row per risk and commit; commits newest first, risks of a commit by id.
        rows: dict[tuple[str, str], list[Change]] = {}
        order: list[tuple[str, str, str]] = []
        for change in history.changes:
            if change.field not in CHANGELOG_FIELDS:
                continue
            key = (change.commit, change.id)
            if key not in rows:
                rows[key] = []
                order.append((change.date, change.commit, change.id))
            rows[key].append(change)
        months: dict[str, list[str]] = {}
        # Commits newest first; the risks of one commit in id order, as history.json lists them.
        by_commit: dict[str, list[tuple[str, str, str]]] = {}
        for item in order:
            by_commit.setdefault(item[1], []).append(item)
        newest_first = [item for group in reversed(by_commit.values()) for item in group]
        for date, commit, risk_id in newest_first:
            changes = rows[(commit, risk_id)]
            first = changes[0]
            risk_link = (
                link(self.layout.risk_href(CHANGES_PAGE, risk_id), escape(risk_id))
                if risk_id in titles
                else escape(risk_id)
            )
            title = titles.get(risk_id) or next(
                (str(c.new if c.field == ADDED else c.old) for c in changes if c.field in (ADDED, REMOVED)), ""
            )
            what = self.words("text.separator").join(self._describe(c, inactive) for c in changes)
            months.setdefault(date[:7], []).append(
                f"<tr><td>{date}</td><td>{risk_link}</td><td>{escape(title)}</td><td>{what}</td>"
                f"<td>{escape(first.author)}</td><td>{self._commit(commit)}</td></tr>"
            )
        parts = []
        headers = [self.words(f"column.{name}") for name in ("date", "id", "risk", "change", "author", "commit")]
        for month, month_rows in months.items():
            parts.append(f"### {literal_markdown(self.words.month(dt.date.fromisoformat(month + '-01')))}")
            parts.append(table_of_rows(headers, month_rows, attrs={"data-risk-changes": month}))
        return parts

    def _describe(self, change: Change, inactive: set[str]) -> str:
        """What a commit did to a risk, as HTML (values escaped)."""
        words = self.words
        if change.field == ADDED:
            return escape(words("changes.added"))
        if change.field == REMOVED:
            return escape(words("changes.removed"))
        values = self._values(change)
        if change.field == "score":
            return html_words(words, "changes.rescored", values=values)
        if change.field == "status" and str(change.new).casefold() in inactive:
            return html_words(words, "changes.closed", values=values)
        return html_words(words, "changes.field", field=escape(self._field(change.field)), values=values)


def _newest_commit_first(changes: Sequence[Change]) -> list[Change]:
    """Commits newest first; a commit's changes in the order of the fields."""
    commits: dict[str, list[Change]] = {}
    for change in changes:
        commits.setdefault(change.commit, []).append(change)
    return [change for group in reversed(commits.values()) for change in group]


def _bands(model: Model) -> list[Band]:
    """Each band's score range as a tint: from half a point below its ``min`` to the next band's."""
    bands = []
    top = max(model.reachable_scores()) + 0.5
    for band in model.bands:
        low = band.min - 0.5
        if low < top:
            bands.append(Band(band.name, low, top, band.color))
        top = min(top, low)
    return bands
