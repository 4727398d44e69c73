"""Diagnostics: problems found in risk files or the configuration, as plain data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

# Line breaks, other control characters and bidirectional overrides: a value quoted in a
# message must never split its line or rearrange what a terminal shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` on one line, with unprintable characters written as escapes such as ``\\n``."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, pointing at a file and line.

    ``path`` is relative to the folder holding mkdocs.yml; ``line`` is 1-based,
    counting the opening ``---`` of the front matter as line 1.
    """

    path: str
    line: int
    severity: Severity
    message: str
    code: str

    def format(self) -> str:
        """The contract's one-line form: ``path:line: severity: message [code]``."""
        return printable(f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]")

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "code": self.code,
        }


class ConfigError(Exception):
    """A configuration value the scoring model cannot work with.

    ``key`` names the setting (for example ``matrix.High``) so that the one
    message a user sees says exactly what to fix.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message

    def format_message(self) -> str:
        return f"config error in '{self.key}': {self.message}"

    def format(self) -> str:
        return printable(f"risk-register: {self.format_message()} [config-error]")


def brief(value: Any, limit: int = 60) -> str:
    """A value quoted in a message: text and dates in single quotes, anything else as Python
    shows it, cut short so that a 1 MiB value does not make a 1 MiB line."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    if isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]  # as YAML writes them
    else:
        text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-3:]
