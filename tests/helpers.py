"""Building real sites in temporary folders and reading what users would see."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
# A fixed build date keeps schedules and "overdue" stable: 2026-03-01 UTC.
FIXED_EPOCH = "1772323200"


@dataclass
class Built:
    root: Path
    site: Path
    returncode: int
    log: str

    def page(self, path: str) -> str:
        """HTML of a page given by its URL path below the site, such as ``risk-register/``."""
        target = self.site / path
        if path.endswith("/") or not path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")

    def data(self, prefix: str = "risk-register") -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.site / prefix / "risks.json").read_text(encoding="utf-8"))
        return loaded


# The contract's rule codes, and the ones this project added (docs/validation.md lists them all).
SPEC_CODES = [
    "no-front-matter",
    "yaml-error",
    "encoding",
    "file-too-large",
    "missing-key",
    "unknown-key",
    "bad-type",
    "bad-id",
    "duplicate-id",
    "unknown-level",
    "unknown-status",
    "unknown-category",
    "bad-chart",
    "bad-date",
    "score-mismatch",
    "config-error",
]
EXTRA_CODES = ["duplicate-key", "unreadable", "symlink-outside", "config-warning", "review-stale"]
# Treatment, residual risk and appetite (docs/treatment.md).
TREATMENT_CODES = [
    "unknown-treatment",
    "residual-above-current",
    "acceptance-missing",
    "acceptance-expired",
    "above-appetite",
    "target-missed",
]
EXTRA_CODES += TREATMENT_CODES


def example_model() -> Any:
    """The scoring model of the project's own mkdocs.yml (its declared fields included), as the build reads it."""
    from mkdocs_risk_register.settings import load_settings  # noqa: PLC0415 (helpers import no package code at load)

    settings = load_settings(REPO / "mkdocs.yml")
    assert not isinstance(settings, list), settings
    return settings.model


def copy_example(root: Path) -> Path:
    """A copy of the project's own site: mkdocs.yml, docs/ and the example register in risks/."""
    for name in ("mkdocs.yml", "docs", "risks"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


def write_project(
    root: Path, risks: dict[str, str | bytes], plugin: dict[str, Any] | None = None, theme: str = "mkdocs", **extra: Any
) -> Path:
    """A minimal MkDocs project: mkdocs.yml, docs/index.md and risk files below risks/."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    risks_dir = root / "risks"
    risks_dir.mkdir(exist_ok=True)
    for name, content in risks.items():
        path = risks_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Test register",
        "theme": {"name": theme},
        "plugins": [{"risk-register": plugin or {}}],
    }
    config.update(extra)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def build(
    root: Path,
    *,
    strict: bool = False,
    config_file: Path | None = None,
    site_dir: Path | None = None,
    env: dict[str, str] | None = None,
    dirty: bool = False,
    host: str = "mkdocs",
) -> Built:
    """Run the real ``mkdocs build`` (or ``host build``: ``properdocs``, ``zensical``) as a user would."""
    site = site_dir or root / "site"
    command = [sys.executable, "-m", host, "build", "-f", str(config_file or root / "mkdocs.yml")]
    if host == "zensical":
        # Zensical builds into site_dir (no -d) and keeps a page cache in .cache: --clean, so every test
        # build renders every page, as a fresh CI checkout does.
        if site != root / "site":
            raise ValueError("Zensical builds into <root>/site")
        command.append("--clean")
    else:
        command += ["-d", str(site)]
    if strict:
        command.append("--strict")
    if dirty:
        command.append("--dirty")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    cwd = root if host == "zensical" else None  # Zensical's page cache lives beside mkdocs.yml
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment, timeout=300, check=False)
    return Built(root, site, result.returncode, result.stdout + result.stderr)


def risk_file(
    risk_id: str = "RSK-1",
    *,
    title: str = "A risk",
    probability: str = "High",
    impact: str = "High",
    body: str = "",
    **fields: Any,
) -> str:
    """Text of a valid risk file; ``fields`` add or override front-matter keys (None removes one)."""
    front: dict[str, Any] = {
        "id": risk_id,
        "title": title,
        "category": "Technical",
        "probability": probability,
        "impact": impact,
        "owner": "Team",
        "status": "Open",
    }
    front.update(fields)
    front = {key: value for key, value in front.items() if value is not None}
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[list[list[str]]]:
    """Every table of a page as rows of cell texts (header row included)."""
    parser = _TableParser()
    parser.feed(html)
    return parser.tables


def table_with_header(html: str, first_header: str) -> list[list[str]]:
    """The table whose first header cell is ``first_header``."""
    for found in html_tables(html):
        if found and found[0] and found[0][0] == first_header:
            return found
    raise AssertionError(f"no table starting with column {first_header!r}")
