"""What a change does to the register: two Registers compared, as data, Markdown or JSON.

Risks are matched by id, so a file that was renamed or moved but kept its id is
the same risk (reported as moved). Pure: no git, no files, no terminal.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, printable
from .fields import Field, value_text
from .naming import natural_key
from .register import Register
from .risk import Risk
from .views.export import risk_to_dict
from .views.text import one_line

Value = str | int | None


def _residual_text(risk: Risk) -> str | None:
    residual = risk.residual
    if residual is None:
        return None
    return f"{residual.score} ({residual.probability.name} probability, {residual.impact.name} impact)"


def _acceptance_text(risk: Risk) -> str | None:
    acceptance = risk.acceptance
    if acceptance is None:
        return None
    parts = [f"by {acceptance.by}" if acceptance.by else "by nobody named"]
    if acceptance.date:
        parts.append(f"on {acceptance.date.isoformat()}")
    if acceptance.expires:
        parts.append(f"until {acceptance.expires.isoformat()}")
    return " ".join(parts)


# Compared fields, in the order they are reported, and how each reads as a value.
FIELDS: tuple[tuple[str, Callable[[Risk], Value]], ...] = (
    ("score", lambda r: r.score),
    ("band", lambda r: r.band.name),
    ("probability", lambda r: r.probability.name),
    ("impact", lambda r: r.impact.name),
    ("status", lambda r: r.status.name),
    ("owner", lambda r: r.owner_text),
    ("title", lambda r: r.title),
    ("category", lambda r: r.category),
    ("mitigation", lambda r: r.mitigation or None),
    ("contingency", lambda r: r.contingency or None),
    ("chart", lambda r: ", ".join(f"{v:g}" for v in r.chart) if r.chart else None),
    ("reviewed", lambda r: r.reviewed.isoformat() if r.reviewed else None),
    ("related", lambda r: ", ".join(r.related) or None),
    ("body", lambda r: r.body.strip()),
    ("source", lambda r: r.source),
    ("treatment", lambda r: r.treatment),
    ("residual", _residual_text),
    ("target_date", lambda r: r.target_date.isoformat() if r.target_date else None),
    ("acceptance", _acceptance_text),
)
ASSESSMENT = ("score", "band", "probability", "impact")
TREATMENT = ("treatment", "residual", "target_date", "acceptance")
# Long text: a reader is told it changed, the comment does not repeat it.
TEXT_ONLY = frozenset({"body"})


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Value
    new: Value


@dataclass(frozen=True)
class RiskChange:
    base: Risk
    head: Risk
    fields: tuple[FieldChange, ...]

    @property
    def id(self) -> str:
        return self.head.id

    def changed(self, *names: str) -> bool:
        return any(change.name in names for change in self.fields)

    @property
    def flags(self) -> list[str]:
        """What a reviewer of an accepted risk must look at: a score up since it was accepted, an expiry pushed out."""
        found = []
        before, after = self.base.acceptance, self.head.acceptance
        if (
            before is not None
            and after is not None
            and after.date is not None
            and after.date == before.date  # the same acceptance, not renewed in this change
            and self.head.score > self.base.score
        ):
            found.append(
                f"accepted at {self.base.score} on {after.date.isoformat()}, now {self.head.score}: "
                "the acceptance was for a lower score"
            )
        if (
            before is not None
            and after is not None
            and before.expires is not None
            and after.expires is not None
            and after.expires > before.expires
        ):
            renewed = "" if after.date != before.date else " without a new acceptance date"
            found.append(
                f"acceptance expiry pushed out from {before.expires.isoformat()} to {after.expires.isoformat()}"
                + renewed
            )
        return found


@dataclass(frozen=True)
class TopMove:
    """A risk that entered or left the top N, with its rank on each side (None: unranked or absent)."""

    risk: Risk
    base_rank: int | None
    head_rank: int | None


@dataclass(frozen=True)
class Side:
    """One end of the comparison: a label for people, the commit (None for the working tree)."""

    label: str
    commit: str | None = None
    register: Register | None = None
    """None when this side has no risks folder: every risk of the other side is added or removed."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterDiff:
    base: Side
    head: Side
    added: tuple[Risk, ...]
    removed: tuple[Risk, ...]
    changes: tuple[RiskChange, ...]
    top_base: int
    top_head: int
    entered_top: tuple[TopMove, ...]
    left_top: tuple[TopMove, ...]
    new_problems: tuple[Diagnostic, ...]
    fixed_problems: tuple[Diagnostic, ...]
    open_problems: tuple[Diagnostic, ...]
    """Problems of HEAD that BASE had already."""
    model_changed: bool
    head_left_out: frozenset[str] = field(default_factory=frozenset)
    base_left_out: frozenset[str] = field(default_factory=frozenset)

    def _with(self, *names: str) -> list[RiskChange]:
        return [change for change in self.changes if change.changed(*names)]

    @property
    def rescored(self) -> list[RiskChange]:
        return self._with(*ASSESSMENT)

    @property
    def status_changes(self) -> list[RiskChange]:
        return self._with("status")

    @property
    def owner_changes(self) -> list[RiskChange]:
        return self._with("owner")

    @property
    def moved(self) -> list[RiskChange]:
        return self._with("source")

    @property
    def treatment_changes(self) -> list[RiskChange]:
        return self._with(*TREATMENT)

    @property
    def flagged(self) -> list[RiskChange]:
        return [change for change in self.changes if change.flags]

    @property
    def other_edits(self) -> list[RiskChange]:
        shown = {*ASSESSMENT, *TREATMENT, "status", "owner", "source"}
        return [c for c in self.changes if any(f.name not in shown for f in c.fields)]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.added or self.removed or self.changes or self.entered_top or self.left_top or self.model_changed
        )


def _empty_problems(register: Register | None) -> tuple[Diagnostic, ...]:
    return register.problems if register is not None else ()


def _problem_key(problem: Diagnostic) -> tuple[str, str, str, str]:
    # Lines shift with unrelated edits; the same message on the same file is the same problem.
    return (problem.path, problem.severity, problem.code, problem.message)


def _declared_fields(base: Side, head: Side) -> list[tuple[str, Callable[[Risk], Value]]]:
    """Declared fields (``fields:``) of either side, compared as text (a list joined by ', ')."""
    names = [f.name for side in (head, base) if side.register for f in side.register.model.fields]

    def reader(name: str) -> Callable[[Risk], Value]:
        return lambda risk: value_text(risk.field(name)) or None

    return [(name, reader(name)) for name in dict.fromkeys(names)]


def compare(base: Side, head: Side) -> RegisterDiff:
    """Everything that differs between the two registers."""
    old = base.register.by_id if base.register else {}
    new = head.register.by_id if head.register else {}
    added = tuple(new[i] for i in sorted(new.keys() - old.keys(), key=natural_key))
    removed = tuple(old[i] for i in sorted(old.keys() - new.keys(), key=natural_key))
    changes = []
    declared = _declared_fields(base, head)
    for risk_id in sorted(old.keys() & new.keys(), key=natural_key):
        before, after = old[risk_id], new[risk_id]
        fields = tuple(
            FieldChange(name, read(before), read(after))
            for name, read in (*FIELDS, *declared)
            if read(before) != read(after)
        )
        if fields:
            changes.append(RiskChange(before, after, fields))

    top_base = [r.id for r in base.register.top] if base.register else []
    top_head = [r.id for r in head.register.top] if head.register else []
    base_ranks = {r.id: r.rank for r in old.values()}
    head_ranks = {r.id: r.rank for r in new.values()}
    entered = tuple(TopMove(new[i], base_ranks.get(i), head_ranks.get(i)) for i in top_head if i not in top_base)
    left = tuple(
        TopMove(new.get(i) or old[i], base_ranks.get(i), head_ranks.get(i)) for i in top_base if i not in top_head
    )

    base_problems = {_problem_key(p) for p in _empty_problems(base.register)}
    head_problems = {_problem_key(p) for p in _empty_problems(head.register)}
    new_problems = tuple(p for p in _empty_problems(head.register) if _problem_key(p) not in base_problems)
    open_problems = tuple(p for p in _empty_problems(head.register) if _problem_key(p) in base_problems)
    fixed = tuple(p for p in _empty_problems(base.register) if _problem_key(p) not in head_problems)

    # The scoring model; declared fields are not part of it (their changes show per risk).
    models = [
        {key: value for key, value in side.register.model.to_dict().items() if key != "fields"}
        for side in (base, head)
        if side.register is not None
    ]
    return RegisterDiff(
        base=base,
        head=head,
        added=added,
        removed=removed,
        changes=tuple(changes),
        top_base=base.register.model.top if base.register else 0,
        top_head=head.register.model.top if head.register else 0,
        entered_top=entered,
        left_top=left,
        new_problems=new_problems,
        fixed_problems=fixed,
        open_problems=open_problems,
        model_changed=len(models) == 2 and models[0] != models[1],
        head_left_out=frozenset(head.register.left_out if head.register else ()),
        base_left_out=frozenset(base.register.left_out if base.register else ()),
    )


# --- Markdown, for a pull-request comment ---------------------------------------------------


# ASCII punctuation: CommonMark (and GitHub) read a backslash before any of them as that character.
_PUNCTUATION = frozenset(string.punctuation)
# GitHub links mentions (@team, user@host), references (#12, owner/repo#12) and :emoji: in the
# text after Markdown is rendered, where a backslash no longer shows: an empty HTML comment after
# the character splits the text it scans, and shows nothing. So do "www." and "GH-12".
_BREAK = "<!-- -->"
_BREAK_AFTER = frozenset("@#:")
_BREAK_ALSO = re.compile(r"(?i)(?<=\bwww\\\.)|(?<=\bGH\\-)(?=\d)")


def literal(value: Value) -> str:
    """A value as literal text in a GitHub comment or table cell: no link, image, HTML, emphasis,
    mention, reference or math; one line; a ``|`` never splits a cell. Empty: a dash."""
    if value is None or value == "":
        return "—"
    parts = []
    for char in printable(one_line(str(value))):
        if char == "$":
            parts.append("<span>$</span>")  # GitHub's documented way to show a dollar that is not math
        elif char in _PUNCTUATION:
            parts.append("\\" + char + (_BREAK if char in _BREAK_AFTER else ""))
        else:
            parts.append(char)
    return _BREAK_ALSO.sub(_BREAK, "".join(parts))


def _code(value: str) -> str:
    return f"<code>{literal(value)}</code>"


def _arrow(change: FieldChange | None, current: Value) -> str:
    if change is None:
        return literal(current)
    return f"{literal(change.old)} → <b>{literal(change.new)}</b>"


def _rank(rank: int | None) -> str:
    # A bare number: GitHub would turn "#4" into a link to issue 4.
    return str(rank) if rank is not None else "—"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _table_with_notes(header: list[str], rows: list[tuple[list[str], str]]) -> list[str]:
    """A table with a Note column only when some row has a note."""
    if not any(note for _, note in rows):
        return _table(header, [cells for cells, _ in rows])
    return _table([*header, "Note"], [[*cells, literal(note)] for cells, note in rows])


def _find(change: RiskChange, name: str) -> FieldChange | None:
    return next((f for f in change.fields if f.name == name), None)


def _inline_code(text: str) -> str:
    """Text as a Markdown code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fenced(lines: list[str]) -> list[str]:
    """A code block that no line of ``lines`` can close early."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence, ""]


def _side_name(side: Side) -> str:
    if side.commit is None:
        return side.label
    short = side.commit[:7]
    label = one_line(side.label)
    return f"{_inline_code(label)} ({short})" if label != short else _inline_code(short)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def summary_line(diff: RegisterDiff) -> str:
    parts = []
    for number, word in (
        (len(diff.added), "added"),
        (len(diff.removed), "removed"),
        (len(diff.rescored), "re-scored"),
    ):
        if number:
            parts.append(f"{number} {word}")
    for number, singular in ((len(diff.status_changes), "status change"), (len(diff.owner_changes), "owner change")):
        if number:
            parts.append(_count(number, singular))
    if diff.treatment_changes:
        parts.append(_count(len(diff.treatment_changes), "treatment change"))
    if diff.flagged:
        parts.append(_count(len(diff.flagged), "acceptance to review", "acceptances to review"))
    if diff.moved:
        parts.append(f"{len(diff.moved)} moved")
    if diff.entered_top or diff.left_top:
        parts.append(f"top {diff.top_head}: {len(diff.entered_top)} in, {len(diff.left_top)} out")
    if diff.other_edits:
        parts.append(_count(len(diff.other_edits), "other edit"))
    if diff.model_changed:
        parts.append("scoring model changed")
    return ", ".join(parts)


def to_markdown(diff: RegisterDiff) -> str:
    """A Markdown summary suitable for a pull-request comment."""
    out = [f"### Risk register: {_side_name(diff.base)} → {_side_name(diff.head)}", ""]
    for side in (diff.base, diff.head):
        out += [f"> {literal(note)}" for note in side.notes]
    if any(side.notes for side in (diff.base, diff.head)):
        out.append("")
    if not diff.has_changes:
        out += ["There are no changes to the register.", ""]
    else:
        out += [f"**{summary_line(diff)}**", ""]
    if diff.model_changed:
        out += ["The scoring model (scales, scoring, bands, statuses or top N) changed in mkdocs.yml.", ""]

    if diff.added:
        out += ["#### Added", ""]
        out += _table_with_notes(
            ["ID", "Risk", "Score", "Band", "Status", "Owner"],
            [
                (
                    [
                        literal(r.id),
                        literal(r.title),
                        str(r.score),
                        literal(r.band.name),
                        literal(r.status.name),
                        literal(r.owner_text),
                    ],
                    "file was invalid before, left out (see problems)" if r.source in diff.base_left_out else "",
                )
                for r in diff.added
            ],
        )
    if diff.removed:
        out += ["#### Removed", ""]
        out += _table_with_notes(
            ["ID", "Risk", "Score", "Band", "Status"],
            [
                (
                    [literal(r.id), literal(r.title), str(r.score), literal(r.band.name), literal(r.status.name)],
                    "file now invalid, left out (see problems)" if r.source in diff.head_left_out else "",
                )
                for r in diff.removed
            ],
        )
    if diff.rescored:
        out += ["#### Re-scored", ""]
        rows = []
        for c in diff.rescored:
            rows.append(
                [
                    literal(c.id),
                    literal(c.head.title),
                    _arrow(_find(c, "probability"), c.head.probability.name),
                    _arrow(_find(c, "impact"), c.head.impact.name),
                    _arrow(_find(c, "score"), c.head.score),
                    _arrow(_find(c, "band"), c.head.band.name),
                ]
            )
        out += _table(["ID", "Risk", "Probability", "Impact", "Score", "Band"], rows)
    for title, name, items in (
        ("Status changes", "status", diff.status_changes),
        ("Owner changes", "owner", diff.owner_changes),
    ):
        if items:
            out += [f"#### {title}", ""]
            out += _table(
                ["ID", "Risk", name.capitalize()],
                [[literal(c.id), literal(c.head.title), _arrow(_find(c, name), None)] for c in items],
            )
    if diff.treatment_changes:
        out += ["#### Treatment changes", ""]
        out += _table(
            ["ID", "Risk", "Treatment", "Residual", "Target date", "Acceptance"],
            [
                [
                    literal(c.id),
                    literal(c.head.title),
                    *(_arrow(_find(c, name), read(c.head)) for name, read in FIELDS if name in TREATMENT),
                ]
                for c in diff.treatment_changes
            ],
        )
    if diff.flagged:
        out += ["#### Acceptances to review", ""]
        out += _table(
            ["ID", "Risk", "Why"],
            [
                [literal(c.id), literal(c.head.title), "; ".join(literal(flag) for flag in c.flags)]
                for c in diff.flagged
            ],
        )
    if diff.entered_top or diff.left_top:
        heading = f"Top {diff.top_head}" if diff.top_base == diff.top_head else f"Top {diff.top_base} → {diff.top_head}"
        out += [f"#### {heading}", ""]
        rows = [
            [
                literal(m.risk.id),
                literal(m.risk.title),
                "entered",
                f"{_rank(m.base_rank)} → <b>{_rank(m.head_rank)}</b>",
            ]
            for m in diff.entered_top
        ]
        for m in diff.left_top:
            where = _rank(m.head_rank)
            if m.risk.id not in (diff.head.register.by_id if diff.head.register else {}):
                where = "removed"
            elif m.head_rank is None:
                where = "inactive"
            rows.append([literal(m.risk.id), literal(m.risk.title), "left", f"{_rank(m.base_rank)} → <b>{where}</b>"])
        out += _table(["ID", "Risk", "Top", "Rank"], rows)
    if diff.moved:
        out += ["#### Moved", ""]
        out += _table(
            ["ID", "Risk", "File"],
            [
                [literal(c.id), literal(c.head.title), f"moved from {_code(c.base.source)} → {_code(c.head.source)}"]
                for c in diff.moved
            ],
        )
    if diff.other_edits:
        out += ["#### Other edits", ""]
        rows = []
        for c in diff.other_edits:
            described = []
            for f in c.fields:
                if f.name in {*ASSESSMENT, *TREATMENT, "status", "owner", "source"}:
                    continue
                if f.name in TEXT_ONLY or f.name in ("title", "mitigation", "contingency"):
                    described.append(f"{f.name} edited")
                else:
                    described.append(f"{f.name}: {literal(f.old)} → {literal(f.new)}")
            rows.append([literal(c.id), literal(c.head.title), "; ".join(described)])
        out += _table(["ID", "Risk", "Changes"], rows)
    out += _problems_markdown(diff)
    return "\n".join(out).rstrip("\n") + "\n"


def _problems_markdown(diff: RegisterDiff) -> list[str]:
    if not (diff.new_problems or diff.fixed_problems or diff.open_problems):
        return []
    head_name = "the working tree" if diff.head.commit is None else literal(diff.head.label)
    out = ["#### Problems", ""]
    if diff.new_problems:
        out += [f"New in {head_name}:", "", *_fenced([p.format() for p in diff.new_problems])]
    if diff.open_problems:
        out += [
            f"Already in {literal(diff.base.label)} and still present:",
            "",
            *_fenced([p.format() for p in diff.open_problems]),
        ]
    if diff.fixed_problems:
        out += [
            f"Fixed (present in {literal(diff.base.label)}):",
            "",
            *_fenced([p.format() for p in diff.fixed_problems]),
        ]
    return out


# --- JSON, for tools --------------------------------------------------------------------------


def _side_data(side: Side) -> dict[str, Any]:
    return {
        "label": side.label,
        "commit": side.commit,
        "has_risks": side.register is not None,
        "risks": len(side.register.risks) if side.register else 0,
        "notes": list(side.notes),
    }


def _move_data(move: TopMove) -> dict[str, Any]:
    return {"id": move.risk.id, "base_rank": move.base_rank, "head_rank": move.head_rank}


def _fields(side: Side) -> tuple[Field, ...]:
    return side.register.model.fields if side.register else ()


def to_data(diff: RegisterDiff) -> dict[str, Any]:
    def changes(items: list[RiskChange]) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "title": c.head.title,
                "changes": {f.name: {"old": f.old, "new": f.new} for f in c.fields if f.name not in TEXT_ONLY}
                | {f.name: {"changed": True} for f in c.fields if f.name in TEXT_ONLY},
            }
            for c in items
        ]

    return {
        "base": _side_data(diff.base),
        "head": _side_data(diff.head),
        "changed": diff.has_changes,
        "added": [risk_to_dict(r, _fields(diff.head)) for r in diff.added],
        "removed": [risk_to_dict(r, _fields(diff.base)) for r in diff.removed],
        "modified": changes(list(diff.changes)),
        "rescored": [c.id for c in diff.rescored],
        "status_changes": [c.id for c in diff.status_changes],
        "owner_changes": [c.id for c in diff.owner_changes],
        "moved": [{"id": c.id, "from": c.base.source, "to": c.head.source} for c in diff.moved],
        "treatment_changes": [c.id for c in diff.treatment_changes],
        "acceptances_to_review": [{"id": c.id, "why": c.flags} for c in diff.flagged],
        "top": {
            "base_n": diff.top_base,
            "head_n": diff.top_head,
            "entered": [_move_data(m) for m in diff.entered_top],
            "left": [_move_data(m) for m in diff.left_top],
        },
        "model_changed": diff.model_changed,
        "problems": {
            "new": [p.to_dict() for p in diff.new_problems],
            "still_present": [p.to_dict() for p in diff.open_problems],
            "fixed": [p.to_dict() for p in diff.fixed_problems],
        },
    }


def to_json(diff: RegisterDiff) -> str:
    return json.dumps(to_data(diff), indent=2, ensure_ascii=False) + "\n"
