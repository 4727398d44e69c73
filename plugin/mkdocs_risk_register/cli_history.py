"""The command line's history commands: ``report`` and ``export --at``; argument handling and output only."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from .gitlog import HistoryReader, commit_date, commits_after, is_ancestor
from .gitsource import Repository, register_at, risks_source, settings_at
from .history import History, Unavailable, reviewed_line_on_disk, with_history
from .register import Register, build_date_from_env
from .report import Period, report_data, report_json, report_markdown
from .settings import Settings, UsageError


def add_report_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    report = commands.add_parser(
        "report", parents=[parent], help="what changed in the register over a review period, from its git history"
    )
    report.add_argument(
        "--since",
        required=True,
        metavar="REV|DATE",
        help="the period starts after this revision, or on this date (YYYY-MM-DD)",
    )
    report.add_argument("--until", metavar="REV", help="the period ends with this revision (default: HEAD)")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def report_text(settings: Settings, since: str, until: str | None, output_format: str) -> str:
    """The report of the period from ``since`` to ``until`` (HEAD when None)."""
    repo = Repository.containing(settings.base_dir)
    until_commit = repo.commit(until or "HEAD")
    # A risks folder in a submodule: its own history, up to the commit the project recorded.
    source, source_until = risks_source(repo, until_commit, settings.risks_dir, until or "HEAD")
    history = HistoryReader().read(
        settings.risks_dir, settings.model, source_until, max_file_size=settings.max_file_size
    )
    if isinstance(history, Unavailable):
        raise UsageError(f"no history to report on: {history.reason}")
    # Reviews are overdue as of the end of the period: the last commit's date, or today for HEAD.
    until_date = commit_date(repo, until_commit) if until else None
    end_date = until_date or build_date_from_env()
    since_date = _date(since)
    if since_date is not None:
        if until_date is not None and until_date < since_date:
            raise UsageError(f"the period is empty: --until {until} ({until_date}) comes before --since {since}")
        changes = [c for c in history.changes if c.date >= since_date.isoformat()]
    else:
        if _DATE_LIKE.fullmatch(since):
            raise UsageError(f"--since {since}: not a date (YYYY-MM-DD)")
        since_commit = repo.commit(since)
        if since_commit != until_commit and is_ancestor(repo, until_commit, since_commit):
            raise UsageError(f"the period is empty: --until {until or 'HEAD'} comes before --since {since}")
        source_since = risks_source(repo, since_commit, settings.risks_dir, since)[1]
        period_commits = commits_after(source, source_since, source_until)
        changes = [c for c in history.changes if c.commit in period_commits]
    register = register_at(source, source_until, settings, end_date)
    period = Period(since, until or "HEAD", until_commit, end_date.isoformat())
    data = report_data(period, changes, register)
    if output_format == "json":
        return report_json(data)
    return report_markdown(data, {risk.id: risk.title for risk in register.risks} if register else {})


def register_at_revision(settings: Settings, revision: str) -> Register:
    """The register as it was at ``revision``, with the settings mkdocs.yml had there when they are usable."""
    repo = Repository.containing(settings.base_dir)
    commit = repo.commit(revision)
    own = settings_at(repo, commit, settings.config_path)
    used = own if isinstance(own, Settings) else settings
    source, source_commit = risks_source(repo, commit, used.risks_dir, revision)
    register = register_at(source, source_commit, used, build_date_from_env())
    if register is None:
        raise UsageError(f"{revision} has no risks folder ({used.risks_dir_setting}/)")
    return register


def with_git_history(settings: Settings, register: Register) -> Register:
    """The register with ``last_changed`` and the ``review-stale`` warnings, as the build gives them;
    unchanged when the history is off or cannot be read (the build only notes that too)."""
    if settings.history is False:
        return register
    history = HistoryReader().read(settings.risks_dir, settings.model, max_file_size=settings.max_file_size)
    if not isinstance(history, History):
        return register
    return with_history(register, history, reviewed_line_on_disk(settings.base_dir))
