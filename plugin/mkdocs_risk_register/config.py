"""The plugin's options in mkdocs.yml, and their conversion to the core's settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c

from .loader import DEFAULT_MAX_FILE_SIZE


class RiskRegisterConfig(base.Config):
    risks_dir = c.Type(str, default="risks")
    prefix = c.Type(str, default="risk-register")
    top = c.Type(int, default=5)
    id_pattern = c.Type(str, default=r"^[A-Z][A-Z0-9]*-[0-9]+$")
    probability = c.Optional(c.Type(list))
    impact = c.Optional(c.Type(list))
    scoring = c.Choice(("product", "sum", "matrix"), default="matrix")
    matrix = c.Optional(c.Type(dict))
    bands = c.Optional(c.Type(list))
    statuses = c.Optional(c.Type(list))
    categories = c.Type(list, default=[])
    monitoring = c.Optional(c.Type(list))
    chart = c.Optional(c.Type(dict))
    # Extensions of the contract (documented in docs/configuration.md).
    max_file_size = c.Type(int, default=DEFAULT_MAX_FILE_SIZE)
    issue_url = c.Optional(c.Type(str))
    nav_risk_pages = c.Type(int, default=100)
    # The register page's chart: the SVG matrix, the reference's Mermaid chart, or both (docs/charts.md).
    chart_format = c.Choice(("svg", "mermaid", "both"), default="both")


MODEL_KEYS = (
    "top",
    "id_pattern",
    "probability",
    "impact",
    "scoring",
    "matrix",
    "bands",
    "statuses",
    "categories",
    "monitoring",
    "chart",
)


def model_settings(config: RiskRegisterConfig | dict[str, Any]) -> dict[str, Any]:
    """The options the scoring model reads, as a plain mapping."""
    return {key: config[key] for key in MODEL_KEYS if key in config}


def issue_url_pattern(explicit: str | None, repo_url: str | None) -> str | None:
    """Link pattern for ``#N`` references: the setting, else GitHub's or GitLab's from repo_url."""
    if explicit:
        return explicit
    if not repo_url:
        return None
    base_url = repo_url.rstrip("/")
    if base_url.endswith(".git"):
        base_url = base_url[:-4]
    host = urlsplit(base_url).hostname or ""
    if "github" in host:
        return base_url + "/issues/{number}"
    if "gitlab" in host:
        return base_url + "/-/issues/{number}"
    return None
