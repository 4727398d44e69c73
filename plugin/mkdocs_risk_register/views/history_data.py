"""history.json: every change of the register as data, oldest first."""

from __future__ import annotations

import json

from ..history import History


def history_to_json(history: History | None) -> str:
    """A list of ``{date, commit, author, id, field, from, to}``, one change a line (empty without history)."""
    if history is None or not history.changes:
        return "[]\n"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join("  " + encode(change.to_dict()) for change in history.changes) + "\n]\n"
