"""A register's history: the commits that touched its risk files, replayed into change records.

Pure: the git adapter (``gitlog.py``) lists the commits and reads the blobs; this
module turns them into what each risk looked like after each commit and what
changed. Risks are followed by id, not by file name, so a renamed or moved file
carries its risk's history with it. A file that cannot be read as a risk in
some commit is reported for that commit and leaves the risk as it was before,
so one broken commit neither removes the risk nor stops the history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .defaults import MAX_FILE_SIZE
from .diagnostics import Diagnostic
from .front_entries import EntryCache
from .loader import FrontMatterValue, ParsedFile, is_risk_path, parse_file, too_large
from .model import Model
from .naming import natural_key
from .register import Register
from .risk import Risk
from .validate import validate

Value = str | int | None

# The fields a change record names, in the order a commit's records list them.
FIELDS = (
    "title",
    "category",
    "probability",
    "impact",
    "score",
    "residual",
    "status",
    "owner",
    "treatment",
    "acceptance",
    "reviewed",
)
ADDED, REMOVED = "added", "removed"
ASSESSMENT = frozenset({"probability", "impact", "status"})
"""Changes that call for a new review (the ``review-stale`` rule)."""


@dataclass(frozen=True)
class FileChange:
    """One file a commit added, changed or deleted (paths relative to the risks folder)."""

    path: str
    blob: str | None
    """The new content's object id; None when the commit deleted the file."""


# Dates Python can hold: git accepts commit dates far outside them (a typo, a broken clock).
_FIRST_DAY = dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)
_LAST_DAY = dt.datetime(dt.MAXYEAR, 12, 31, tzinfo=dt.timezone.utc)


def utc_date(timestamp: int) -> dt.date:
    """The UTC date of a git timestamp, held within the dates Python can hold."""
    seconds = max(int(_FIRST_DAY.timestamp()), min(timestamp, int(_LAST_DAY.timestamp())))
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()


@dataclass(frozen=True)
class Commit:
    id: str
    timestamp: int
    """Committer date, seconds since 1970 (UTC)."""
    author: str
    files: tuple[FileChange, ...]

    @property
    def date(self) -> str:
        return utc_date(self.timestamp).isoformat()


@dataclass(frozen=True)
class Change:
    """One field of one risk changed by one commit: a line of history.json."""

    date: str
    commit: str
    author: str
    id: str
    field: str
    old: Value
    new: Value

    def to_dict(self) -> dict[str, Value]:
        return {
            "date": self.date,
            "commit": self.commit,
            "author": self.author,
            "id": self.id,
            "field": self.field,
            "from": self.old,
            "to": self.new,
        }


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read as a risk at one commit."""

    commit: str
    date: str
    path: str
    message: str

    def format(self, shown_path: str) -> str:
        return (
            f"{shown_path}: at commit {self.commit[:12]} ({self.date}) the file is not a valid risk "
            f"({self.message}); its history carries on from its previous version"
        )


@dataclass(frozen=True)
class Snapshot:
    """A risk as one version of its file had it: the compared fields and what the charts need."""

    id: str
    values: tuple[Value, ...]
    """One value per name of FIELDS."""
    active: bool
    band: str

    def get(self, name: str) -> Value:
        return self.values[FIELDS.index(name)]


@dataclass(frozen=True)
class ScorePoint:
    """A risk's score (and residual score) from a date on; ``score`` None while the risk was gone."""

    date: str
    commit: str
    score: int | None
    residual: int | None
    active: bool


@dataclass(frozen=True)
class RegisterPoint:
    """The active risks per band, and the total of their scores, after the last commit of a date."""

    date: str
    bands: tuple[int, ...]
    """Counts in the model's band order."""
    total: int


@dataclass(frozen=True)
class Unavailable:
    """Why a build has no history, in words for the build log and the changes page."""

    reason: str


@dataclass
class History:
    head: str | None
    changes: list[Change] = field(default_factory=list)
    """Oldest first; within a commit by id in natural order, then in the order of FIELDS."""
    unreadable: list[Unreadable] = field(default_factory=list)
    last_changed: dict[str, str] = field(default_factory=dict)
    """Risk id -> date of the last commit that changed its file."""
    timelines: dict[str, list[ScorePoint]] = field(default_factory=dict)
    register_points: list[RegisterPoint] = field(default_factory=list)

    def of(self, risk_id: str) -> list[Change]:
        return [change for change in self.changes if change.id == risk_id]


# --- reading one version of a file ------------------------------------------------------------


def _raw_text(value: FrontMatterValue | None) -> str | None:
    """A front-matter value the model does not validate (yet), as one line of text."""
    if value is None or value.value is None:
        return None
    raw = value.value
    if isinstance(raw, Mapping):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in raw.items())
    return _plain(raw)


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _residual_score(value: FrontMatterValue | None, model: Model) -> int | None:
    """The score of ``residual: {probability, impact}`` under the model; None when absent or unusable."""
    if value is None or not isinstance(value.value, Mapping):
        return None
    probability = model.probability.find(str(value.value.get("probability", "")))
    impact = model.impact.find(str(value.value.get("impact", "")))
    if probability is None or impact is None:
        return None
    return model.score(probability, impact)


def read_snapshot(path: str, data: bytes, model: Model, entries: EntryCache | None = None) -> Snapshot | str:
    """One version of a risk file as a :class:`Snapshot`, or why it is not a valid risk.

    ``entries`` reads the front matter from entries parsed for other versions (see front_entries.py);
    a version it cannot read, or that is not a valid risk, is parsed whole, which says why.
    """
    if entries is not None:
        fast = entries.parse_file(path, data)
        if fast is not None:
            risk, _ = validate(fast, model)
            if risk is not None:
                return _snapshot(risk, fast, model)
    parsed, problems = parse_file(path, data)
    if parsed is not None:
        risk, more = validate(parsed, model)
        problems = problems + more
        if risk is not None:
            return _snapshot(risk, parsed, model)
    errors = [p for p in problems if p.severity == "error"]
    return f"{errors[0].message} [{errors[0].code}]" if errors else "not a risk"


def _snapshot(risk: Risk, parsed: ParsedFile, model: Model) -> Snapshot:
    fields = parsed.fields
    values: dict[str, Value] = {
        "title": risk.title,
        "category": risk.category,
        "probability": risk.probability.name,
        "impact": risk.impact.name,
        "score": risk.score,
        "residual": _residual_score(fields.get("residual"), model),
        "status": risk.status.name,
        "owner": risk.owner_text,
        "treatment": _raw_text(fields.get("treatment")),
        "acceptance": _raw_text(fields.get("acceptance")),
        "reviewed": risk.reviewed.isoformat() if risk.reviewed else None,
    }
    return Snapshot(risk.id, tuple(values[name] for name in FIELDS), risk.active, risk.band.name)


# --- replaying commits ------------------------------------------------------------------------


@dataclass
class Replay:
    """The register's state commit after commit, kept between builds.

    Each blob is parsed once (a blob id names its content, so what it reads as never
    goes stale), and a history that grew by a few commits is replayed from where it was.
    """

    model: Model
    snapshots: dict[str, Snapshot | str] = field(default_factory=dict)
    """Blob id -> what that content reads as."""
    state: _State | None = None
    max_file_size: int = MAX_FILE_SIZE
    """Versions larger than this are not read, as files on disk are not (``file-too-large``)."""

    def add(self, blob: str, path: str, data: bytes | None, entries: EntryCache | None = None) -> None:
        """What one blob reads as; ``path`` (one of its paths) only names it in messages.

        ``entries`` holds the front-matter entries of the blobs read before it in the same read:
        most of a new version of a file is text an older version had. A blob over ``max_file_size``
        is refused, unread.
        """
        if data is not None and len(data) > self.max_file_size:
            self.refuse(blob, path, len(data))
            return
        self.snapshots[blob] = (
            read_snapshot(path, data, self.model, entries) if data is not None else "cannot read the file"
        )

    def refuse(self, blob: str, path: str, size: int) -> None:
        """A blob over ``max_file_size``: not a risk at the commits that hold it, for that reason."""
        refused = too_large(path, size, self.max_file_size)
        self.snapshots[blob] = f"{refused.message} [{refused.code}]" if refused else "cannot read the file"

    def run(self, commits: Iterable[Commit], read: Callable[[list[str]], Mapping[str, bytes]]) -> History:
        """Replay ``commits`` (oldest first) from the start; ``read`` returns the contents of blob ids."""
        commits = list(commits)
        first_path: dict[str, str] = {}
        for commit in commits:
            for change in commit.files:
                if change.blob is not None and change.blob not in self.snapshots:
                    first_path.setdefault(change.blob, change.path)
        contents = read(sorted(first_path))
        for blob, path in first_path.items():
            self.add(blob, path, contents.get(blob))
        return self.replay(commits, fresh=True)

    def replay(self, commits: Iterable[Commit], *, fresh: bool) -> History:
        """The history after ``commits``, whose blobs were added: from the start, or after the last replay."""
        if fresh or self.state is None:
            self.state = _State(self.model)
        self.state.replay(commits, self.snapshots)
        return self.state.result()


@dataclass
class _State:
    model: Model
    at_path: dict[str, Snapshot] = field(default_factory=dict)
    paths_of: dict[str, set[str]] = field(default_factory=dict)
    current: dict[str, Snapshot] = field(default_factory=dict)
    history: History = field(default_factory=lambda: History(None))
    counts: list[int] = field(default_factory=list)
    total: int = 0
    last_date: str = ""
    """The date of the last commit replayed: no later commit is dated before it."""

    def result(self) -> History:
        """A copy of the history so far: a later replay adds to this state, not to what was handed out."""
        h = self.history
        return History(
            h.head,
            list(h.changes),
            list(h.unreadable),
            dict(h.last_changed),
            {risk_id: list(points) for risk_id, points in h.timelines.items()},
            list(h.register_points),
        )

    def replay(self, commits: Iterable[Commit], snapshots: Mapping[str, Snapshot | str]) -> None:
        history = self.history
        band_index = {band.name: index for index, band in enumerate(self.model.bands)}
        counts = self.counts or [0] * len(self.model.bands)
        total = self.total
        last_date = self.last_date
        for commit in commits:
            history.head = commit.id
            # A commit reaches the branch after the one before it: a committer date before that one's (a
            # clock set wrong, a history rebased with --committer-date-is-author-date or imported) is
            # taken as that one's, so that the history, its charts and its months never go back in time.
            date = last_date = max(commit.date, last_date)
            touched: set[str] = set()
            for change in commit.files:
                before = self.at_path.get(change.path)
                after: Snapshot | None = None
                if change.blob is not None:
                    read = snapshots[change.blob]
                    if isinstance(read, str):
                        history.unreadable.append(Unreadable(commit.id, date, change.path, read))
                        if before is not None:
                            history.last_changed[before.id] = date
                        continue  # the risk stays as its last readable version had it
                    after = read
                if before is not None:
                    self._leave(change.path, before)
                    touched.add(before.id)
                    history.last_changed[before.id] = date
                if after is not None:
                    self.at_path[change.path] = after
                    self.paths_of.setdefault(after.id, set()).add(change.path)
                    touched.add(after.id)
                    history.last_changed[after.id] = date
            for risk_id in sorted(touched, key=natural_key):
                old = self.current.get(risk_id)
                paths = self.paths_of.get(risk_id)
                # Two files with one id: the first by path is the risk, as in the register.
                new = self.at_path[min(paths)] if paths else None
                if old == new:
                    continue
                history.changes.extend(_compare(commit, date, risk_id, old, new))
                for snapshot, sign in ((old, -1), (new, 1)):
                    if snapshot is not None and snapshot.active:
                        counts[band_index[snapshot.band]] += sign
                        total += sign * int(snapshot.get("score") or 0)
                if new is None:
                    del self.current[risk_id]
                else:
                    self.current[risk_id] = new
                score = new.get("score") if new else None
                residual = new.get("residual") if new else None
                point = ScorePoint(
                    date,
                    commit.id,
                    score if isinstance(score, int) else None,
                    residual if isinstance(residual, int) else None,
                    bool(new and new.active),
                )
                history.timelines.setdefault(risk_id, []).append(point)
            if touched:
                register_point = RegisterPoint(date, tuple(counts), total)
                if history.register_points and history.register_points[-1].date == date:
                    history.register_points[-1] = register_point  # the state at the end of the day
                else:
                    history.register_points.append(register_point)
        self.counts, self.total, self.last_date = counts, total, last_date

    def _leave(self, path: str, snapshot: Snapshot) -> None:
        del self.at_path[path]
        paths = self.paths_of[snapshot.id]
        paths.discard(path)
        if not paths:
            del self.paths_of[snapshot.id]


def _compare(commit: Commit, date: str, risk_id: str, old: Snapshot | None, new: Snapshot | None) -> list[Change]:
    def change(name: str, before: Value, after: Value) -> Change:
        return Change(date, commit.id, commit.author, risk_id, name, before, after)

    if old is None and new is not None:
        return [change(ADDED, None, str(new.get("title")))]
    if new is None and old is not None:
        return [change(REMOVED, str(old.get("title")), None)]
    assert old is not None and new is not None
    return [
        change(name, before, after)
        for name, before, after in zip(FIELDS, old.values, new.values, strict=True)
        if before != after
    ]


def risk_paths(files: Iterable[FileChange], folder: str) -> tuple[FileChange, ...]:
    """The changes to risk files, by the discovery rules, with paths relative to the risks folder."""
    prefix = folder.rstrip("/") + "/" if folder else ""
    kept = []
    for change in files:
        if not change.path.startswith(prefix):
            continue
        relative = change.path[len(prefix) :]
        if is_risk_path(relative):
            kept.append(FileChange(relative, change.blob))
    return tuple(kept)


# --- what the register reads from the history -------------------------------------------------


def stale_reviews(history: History, reviewed: Mapping[str, dt.date | None]) -> dict[str, Change]:
    """Risks whose probability, impact or status a commit changed after their ``reviewed`` date,
    in a commit that left ``reviewed`` as it was: risk id -> the latest such change.

    ``reviewed`` holds the risks to check (active risks with a review date).
    """
    reviewed_in: set[tuple[str, str]] = {(c.commit, c.id) for c in history.changes if c.field == "reviewed"}
    stale: dict[str, Change] = {}
    for change in history.changes:
        last_review = reviewed.get(change.id)
        if (
            last_review is not None
            and change.field in ASSESSMENT
            and change.date > last_review.isoformat()
            and (change.commit, change.id) not in reviewed_in
        ):
            stale[change.id] = change
    return stale


def with_history(register: Register, history: History, reviewed_line: Callable[[Risk], int]) -> Register:
    """The register with each risk's ``last_changed`` date and the ``review-stale`` warnings.

    ``reviewed_line`` gives the line of a risk's ``reviewed`` key, where the warning points.
    """
    checked = {risk.id: risk.reviewed for risk in register.risks if risk.active and risk.reviewed}
    stale = stale_reviews(history, checked)
    problems = list(register.problems)
    risks = []
    for risk in register.risks:
        changed = history.last_changed.get(risk.id)
        risks.append(dataclasses.replace(risk, last_changed=dt.date.fromisoformat(changed) if changed else None))
        change = stale.get(risk.id)
        if change is not None:
            problems.append(
                Diagnostic(
                    risk.source,
                    reviewed_line(risk),
                    "warning",
                    f"reviewed {checked[risk.id].isoformat()}, but commit {change.commit[:12]} ({change.date}, "
                    f"{change.author}) changed its {change.field} from '{change.old}' to '{change.new}' after that; "
                    "review the risk and update 'reviewed'",
                    "review-stale",
                )
            )
    problems.sort(key=lambda p: (p.path, p.line))
    return dataclasses.replace(register, risks=tuple(risks), problems=tuple(problems))


def reviewed_line_on_disk(base_dir: Path) -> Callable[[Risk], int]:
    """The line of ``reviewed`` in a risk's file as it is on disk (where a ``review-stale`` warning points)."""

    def line(risk: Risk) -> int:
        try:
            text = (base_dir / risk.source).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return 1
        return key_line(text, "reviewed")

    return line


def key_line(text: str, key: str) -> int:
    """The line of a top-level front-matter key in a risk file's text (the opening ``---`` is line 1); 1 if absent."""
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if line.startswith(key) and line[len(key) :].lstrip(" ").startswith(":"):
            return number
    return 1
