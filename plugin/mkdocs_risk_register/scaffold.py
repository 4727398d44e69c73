"""``new``: a risk file with the next free id, checked by the build's own rules before it is written."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .model import Model
from .naming import natural_key
from .register import check_file

FIRST_ID = "RSK-001"
# The fields `new` asks for, in order, with the option that gives each.
FIELDS = ("title", "category", "probability", "impact", "owner")
_TRAILING_NUMBER = re.compile(r"^(.*?)([0-9]+)$")
_ATTEMPTS = 1000


class NewRiskError(Exception):
    pass


def next_id(ids: Iterable[str], id_pattern: str) -> str:
    """The id after the highest of the most used prefix, its zero padding kept: RSK-013 -> RSK-014."""
    numbered: dict[str, list[str]] = {}
    for risk_id in ids:
        match = _TRAILING_NUMBER.match(risk_id)
        if match:
            numbered.setdefault(match.group(1), []).append(match.group(2))
    if not numbered:
        if re.fullmatch(id_pattern, FIRST_ID):
            return FIRST_ID
        raise NewRiskError(
            f"the register has no numbered id to follow, and '{FIRST_ID}' does not match id_pattern "
            f"'{id_pattern}': write the first risk file by hand"
        )
    counts = Counter({prefix: len(numbers) for prefix, numbers in numbered.items()})
    # The most used prefix; among equals, the one of the highest id in natural order.
    prefix = max(counts, key=lambda p: (counts[p], natural_key(p + max(numbered[p], key=int))))
    highest = max(numbered[prefix], key=lambda digits: (int(digits), len(digits)))
    return f"{prefix}{int(highest) + 1:0{len(highest)}d}"


def bump(risk_id: str) -> str:
    match = _TRAILING_NUMBER.match(risk_id)
    assert match, risk_id
    digits = match.group(2)
    return f"{match.group(1)}{int(digits) + 1:0{len(digits)}d}"


@dataclass(frozen=True)
class NewRisk:
    path: Path
    display_path: str
    risk_id: str


def risk_text(
    risk_id: str,
    fields: Mapping[str, str],
    status: str,
    reviewed: dt.date,
    *,
    extra: Mapping[str, Any] | None = None,
    description: str = "",
) -> str:
    """The file's text; ``extra`` adds front-matter keys after the others (``from-issue``: mitigation,
    declared fields), ``description`` the text of its Description section. Values are written by
    PyYAML's safe dumper, so that each reads back as exactly that value."""
    front = {"id": risk_id, **{key: fields[key] for key in FIELDS}, "status": status, "reviewed": reviewed}
    front.update(extra or {})
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10**6)
    return f"---\n{dumped}---\n\n## Description\n\n" + (f"{description}\n" if description else "")


def create(
    risks_dir: Path,
    display_dir: str,
    model: Model,
    *,
    ids: Iterable[str],
    fields: Mapping[str, str],
    reviewed: dt.date,
    extra: Mapping[str, Any] | None = None,
    description: str = "",
    refuse_warnings: bool = False,
) -> NewRisk | list[Diagnostic]:
    """Write the risk file with O_EXCL: two ``new`` at once each get their own id, never one file.

    Returns the diagnostics instead when the build would refuse the file (nothing is written);
    with ``refuse_warnings``, also when it would warn of anything (a value ignored).
    """
    risk_id = next_id(ids, model.id_pattern)
    status = model.statuses[0].name
    for _ in range(_ATTEMPTS):
        display = f"{display_dir}/{risk_id}.md" if display_dir not in ("", ".") else f"{risk_id}.md"
        text = risk_text(risk_id, fields, status, reviewed, extra=extra, description=description)
        risk, problems = check_file(display, text.encode("utf-8"), model)
        if risk is None or any(p.severity == "error" or refuse_warnings for p in problems):
            return problems
        path = risks_dir / f"{risk_id}.md"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            risk_id = bump(risk_id)
            continue
        except OSError as error:
            if error.errno == errno.ENOENT:
                raise NewRiskError(f"cannot write {display}: the risks folder does not exist") from None
            raise NewRiskError(f"cannot write {display}: {error.strerror or error}") from None
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return NewRisk(path, display, risk_id)
    raise NewRiskError(f"no free id found after {_ATTEMPTS} tries")
