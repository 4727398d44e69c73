"""The register: validated risks scored, ranked and scheduled, with every diagnostic."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .defaults import MAX_FILE_SIZE
from .diagnostics import ConfigError, Diagnostic, brief
from .loader import discover, iter_sources, parse_file
from .model import Model
from .naming import natural_key
from .risk import Risk
from .treatment import dated_problems
from .validate import validate

FileResult = tuple[Risk | None, list[Diagnostic]]


@dataclass(frozen=True)
class Register:
    model: Model
    risks: tuple[Risk, ...]
    """Every valid risk, in natural id order."""
    problems: tuple[Diagnostic, ...]
    """Every diagnostic, by path and line."""
    left_out: tuple[str, ...]
    """Paths of the files that could not become risks."""
    build_date: dt.date

    @cached_property
    def ranked(self) -> list[Risk]:
        """Active risks by rank: score descending, ties by id in natural order."""
        return sorted((r for r in self.risks if r.rank is not None), key=lambda r: r.rank or 0)

    @property
    def top(self) -> list[Risk]:
        return self.ranked[: self.model.top]

    @property
    def active_count(self) -> int:
        return len(self.ranked)

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "warning"]

    @cached_property
    def by_id(self) -> dict[str, Risk]:
        return {risk.id: risk for risk in self.risks}


def build_date_from_env(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The UTC date of SOURCE_DATE_EPOCH when set (reproducible builds), else of now.

    A value that is not a time stops the build, as the reproducible-builds convention asks:
    falling back to today would quietly make the build unreproducible.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.datetime.now(dt.timezone.utc).date()
    try:  # set but empty is malformed too (MkDocs' own build fails on it)
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise ConfigError(
            "SOURCE_DATE_EPOCH",
            f"the environment variable must be a whole number of seconds since 1970-01-01 UTC, got {brief(epoch)}",
        ) from None


def check_file(path: str, data: bytes | Diagnostic, model: Model) -> FileResult:
    """Parse and validate one file: a risk (or None) and the file's diagnostics."""
    if isinstance(data, Diagnostic):
        return None, [data]
    parsed, problems = parse_file(path, data)
    if parsed is None:
        return None, problems
    risk, more = validate(parsed, model)
    return risk, problems + more


def assemble(
    results: Iterable[tuple[str, FileResult]],
    model: Model,
    build_date: dt.date,
    extra_problems: Iterable[Diagnostic] = (),
) -> Register:
    """Put per-file results together: drop duplicate ids, rank, schedule reviews."""
    problems = list(extra_problems)
    left_out: list[str] = []
    kept: dict[str, Risk] = {}
    for path, (risk, file_problems) in sorted(results, key=lambda item: item[0]):
        problems.extend(file_problems)
        if risk is None:
            left_out.append(path)
            continue
        first = kept.get(risk.id)
        if first is not None:
            problems.append(
                Diagnostic(
                    path,
                    1,
                    "error",
                    f"duplicate id '{risk.id}': already used by {first.source}, which is kept; this file is left out",
                    "duplicate-id",
                )
            )
            left_out.append(path)
            continue
        kept[risk.id] = risk

    keys = {risk_id: natural_key(risk_id) for risk_id in kept}
    active = sorted((r for r in kept.values() if r.active), key=lambda r: (-_rank_score(r, model), keys[r.id]))
    ranks = {risk.id: position for position, risk in enumerate(active, start=1)}
    risks = [_schedule(risk, ranks, build_date) for risk in sorted(kept.values(), key=lambda r: keys[r.id])]
    for risk in risks:
        problems.extend(dated_problems(risk, build_date))
    problems.sort(key=lambda p: (p.path, p.line))  # stable: a file's problems stay in the order of its keys
    return Register(model, tuple(risks), tuple(problems), tuple(sorted(left_out)), build_date)


def _rank_score(risk: Risk, model: Model) -> int:
    """The score that orders the top N: under ``rank_by: residual`` the residual one where the risk has it."""
    if model.rank_by == "residual" and risk.residual is not None:
        return risk.residual.score
    return risk.score


def _schedule(risk: Risk, ranks: dict[str, int], build_date: dt.date) -> Risk:
    """An active risk's rank and next review; inactive risks have neither."""
    if not risk.active:
        return risk
    next_review = risk.reviewed + dt.timedelta(days=risk.band.review_days) if risk.reviewed else build_date
    return risk.scheduled(ranks[risk.id], next_review, next_review < build_date)


def load_register(
    risks_dir: Path,
    model: Model,
    *,
    base_dir: Path,
    build_date: dt.date | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    cache: FileCache | None = None,
) -> Register:
    """Read every risk file below ``risks_dir`` and build the register.

    With a ``cache`` (kept by the caller between builds), unchanged files are not parsed again.
    """
    if not risks_dir.is_dir():
        raise ConfigError("risks_dir", f"folder '{risks_dir}' does not exist")
    sources, problems = discover(risks_dir, base_dir)
    read = iter_sources(sources, max_file_size)
    if cache is None:
        results = [(path, check_file(path, data, model)) for path, data in read]
    else:
        results = cache.check_all(read, model)
    return assemble(results, model, build_date or build_date_from_env(), problems)


@dataclass
class FileCache:
    """Per-file results kept from one build to the next, for ``mkdocs serve``.

    A file is parsed and validated again only when its bytes differ from the
    last build's (compared by digest, so a save within the file system's
    timestamp resolution is never missed), or when the model changed.
    """

    model: Model | None = None
    results: dict[str, tuple[bytes, FileResult]] = field(default_factory=dict)
    checked: int = 0
    """Files parsed and validated by the last :meth:`check_all` (the others came from the cache)."""

    def check_all(self, read: Iterable[tuple[str, bytes | Diagnostic]], model: Model) -> list[tuple[str, FileResult]]:
        previous = self.results if model == self.model else {}
        self.model, self.results, self.checked = model, {}, 0
        results: list[tuple[str, FileResult]] = []
        for path, data in read:
            if isinstance(data, Diagnostic):
                results.append((path, check_file(path, data, model)))
                continue
            digest = hashlib.blake2b(data, digest_size=16).digest()
            kept = previous.get(path)
            if kept is not None and kept[0] == digest:
                result = kept[1]
            else:
                result = check_file(path, data, model)
                self.checked += 1
            self.results[path] = (digest, result)
            results.append((path, result))
        return results
