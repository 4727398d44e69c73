"""The reference register (tests/data/reference-register.md), read independently of the plugin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REFERENCE = Path(__file__).parent / "data" / "reference-register.md"


@dataclass(frozen=True)
class ReferenceRow:
    id: str
    title: str
    category: str
    probability: str
    impact: str
    score: int
    mitigation: str
    contingency: str
    owner: str
    status: str


def _text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def _table_after(heading: str) -> list[list[str]]:
    lines = _text().split("\n")
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]  # drop header and |---| rows


def register_header() -> list[str]:
    """The register table's column names, as the reference prints them."""
    lines = _text().split("\n")
    header = lines[lines.index("## Risk Register") + 2]
    return [cell.strip() for cell in header.strip().strip("|").split(" | ")]


def register_rows() -> list[ReferenceRow]:
    return [
        ReferenceRow(r[0], r[1].strip("*"), r[2], r[3], r[4], int(r[5]), r[6], r[7], r[8], r[9])
        for r in _table_after("## Risk Register")
    ]


def chart_points() -> dict[str, tuple[str, str]]:
    return {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\s+(RSK-\d+): \[([\d.]+), ([\d.]+)\]$", _text(), re.MULTILINE)
    }


def monitoring_rows() -> list[list[str]]:
    return [[cell.strip("*") for cell in row] for row in _table_after("## Risk Monitoring Schedule")]


def status_rows() -> list[list[str]]:
    return [[cell.strip("*") for cell in row] for row in _table_after("### Risk Status Definitions")]


def top_sections() -> dict[str, list[str]]:
    """For each detailed risk, the bold section labels in the order the reference gives them."""
    text = _text().split("## Top 5 Risks -- Detailed Analysis", 1)[1].split("## Risk Monitoring Schedule")[0]
    sections: dict[str, list[str]] = {}
    for block in text.split("### ")[1:]:
        risk_id = block.split(":", 1)[0]
        sections[risk_id] = re.findall(r"^\*\*([A-Z][A-Za-z ]+)\*\*:", block, re.MULTILINE)
    return sections


def score_lines() -> dict[str, str]:
    text = _text().split("## Top 5 Risks -- Detailed Analysis", 1)[1]
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r"^### (RSK-\d+):.*?\n\n\*\*Risk Score\*\*: (.+)$", text, re.MULTILINE)
    }
