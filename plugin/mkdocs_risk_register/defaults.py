"""Every default of the plugin's settings, in one place.

The plugin's option schema (config.py) and the scoring model (model.py) both
read these, so that `mkdocs build`, the command line and a model built in code
from ``{}`` agree. The scoring defaults are the reference register's; its
monitoring rows are that project's content, not a default (the example's
mkdocs.yml writes them out).
"""

from __future__ import annotations

from typing import Any

# Where things are.
RISKS_DIR = "risks"
PREFIX = "risk-register"
TOP = 5
ID_PATTERN = r"^[A-Z][A-Z0-9]*-[0-9]+$"
MAX_FILE_SIZE = 1024 * 1024
NAV_RISK_PAGES = 100
CHART_FORMAT = "both"
HISTORY: bool | str = "auto"
"""History from git: "auto" (where git has it), true or false (docs/history.md)."""

# The reference register's scoring model.
SCORING = "matrix"
PROBABILITY: list[dict[str, Any]] = [
    {"name": "Low", "description": "< 30% likelihood of occurring"},
    {"name": "Medium", "description": "30-60% likelihood"},
    {"name": "High", "description": "> 60% likelihood of occurring"},
]
IMPACT: list[dict[str, Any]] = [
    {"name": "Low", "description": "Minor inconvenience, workaround available"},
    {"name": "Medium", "description": "Delays features by 3-5 days or degrades user experience"},
    {"name": "High", "description": "Delays launch by > 1 week or causes data loss / security breach"},
]
MATRIX: dict[str, list[int]] = {"High": [7, 8, 9], "Medium": [4, 6, 7], "Low": [1, 4, 5]}
BANDS: list[dict[str, Any]] = [
    {
        "name": "Urgent",
        "min": 7,
        "action": "Mitigate urgently; assign owner immediately",
        "review_days": 7,
        "color": "#c62828",
    },
    {
        "name": "Proactive",
        "min": 4,
        "action": "Mitigate proactively; track weekly",
        "review_days": 7,
        "color": "#ef6c00",
    },
    {"name": "Accept", "min": 1, "action": "Accept and monitor monthly", "review_days": 30, "color": "#2e7d32"},
]
BANDS_SCORE_RANGE = (1, 9)
"""The scores the default bands are made for: on any other range they are a config-error, not a guess."""
BAND_REVIEW_DAYS = 30
"""A band's review interval when it gives none."""
BAND_PALETTE = ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a")
"""A band's colour when it gives none, by position."""
STATUSES: list[dict[str, Any]] = [
    {"name": "Open", "description": "Risk identified, mitigation planned or in progress"},
    {"name": "Mitigated", "description": "Mitigation actions completed, risk reduced to acceptable level"},
    {"name": "Triggered", "description": "Risk has materialized, contingency plan activated"},
    {
        "name": "Closed",
        "description": "Risk no longer applicable (either mitigated or no longer relevant)",
        "active": False,
    },
]
CATEGORIES: list[str] = []
"""Any category."""
MONITORING: list[dict[str, Any]] = []
"""No schedule rows: a project's schedule is its own content."""
CHART_TITLE = "Risk Matrix (Probability vs Impact)"
QUADRANTS = ("Mitigate Urgently", "Monitor Closely", "Accept / Monitor", "Mitigate Proactively")

# Treatment, residual risk and appetite (docs/treatment.md): ISO 27005's modify, retain, share, avoid.
TREATMENTS = ("Mitigate", "Accept", "Transfer", "Avoid")
RANK_BY = "current"

# The register table's columns: the reference's ten (the register page's default), and the optional ones.
REGISTER_COLUMNS = ("ID", "Risk", "Category", "Prob", "Impact", "Score", "Mitigation", "Contingency", "Owner", "Status")
EXTRA_COLUMNS = ("Band", "Treatment", "Residual", "Next review")
