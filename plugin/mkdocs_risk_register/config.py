"""The plugin's options in mkdocs.yml, and their conversion to the core's settings."""

from __future__ import annotations

from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from . import defaults
from .diagnostics import brief
from .model import SCORING_METHODS
from .naming import did_you_mean
from .views.site_files import CHART_FORMATS
from .words import Entry, LabelsError, check_labels

T = TypeVar("T")

_KINDS: dict[type, str] = {int: "a whole number", str: "text", list: "a list", dict: "a mapping"}


class Kind(c.Type[T]):
    """MkDocs' type check, with a message in words rather than Python's class names."""

    def run_validation(self, value: object) -> T:
        if isinstance(value, self._type) and not (self._type is int and isinstance(value, bool)):
            return cast(T, value)
        raise ValidationError(f"expected {_KINDS.get(self._type, self._type.__name__)}, got {brief(value)}")


class OneOf(c.Choice[T]):
    """MkDocs' choice, naming the choices plainly and the likely one."""

    def run_validation(self, value: object) -> T:
        if value in self.choices:
            return cast(T, value)
        names = [str(choice) for choice in self.choices]
        hint = did_you_mean(value, names) if isinstance(value, str) else ""
        raise ValidationError(f"expected one of {', '.join(names)}, got {brief(value)}{hint}")


class RiskRegisterConfig(base.Config):
    # Every default comes from defaults.py, which model_from_settings reads too.
    risks_dir = Kind(str, default=defaults.RISKS_DIR)
    prefix = Kind(str, default=defaults.PREFIX)
    top = Kind(int, default=defaults.TOP)
    id_pattern = Kind(str, default=defaults.ID_PATTERN)
    probability = c.Optional(Kind(list))
    impact = c.Optional(Kind(list))
    scoring = OneOf(SCORING_METHODS, default=defaults.SCORING)
    matrix = c.Optional(Kind(dict))
    bands = c.Optional(Kind(list))
    statuses = c.Optional(Kind(list))
    categories = Kind(list, default=defaults.CATEGORIES)
    monitoring = c.Optional(Kind(list))
    chart = c.Optional(Kind(dict))
    # Extensions of the contract (documented in docs/configuration.md).
    max_file_size = Kind(int, default=defaults.MAX_FILE_SIZE)
    issue_url = c.Optional(Kind(str))
    nav_risk_pages = Kind(int, default=defaults.NAV_RISK_PAGES)
    # The register page's chart: the SVG matrix, the reference's Mermaid chart, or both (docs/charts.md).
    chart_format = OneOf(CHART_FORMATS, default=defaults.CHART_FORMAT)
    # The register's history read from git (docs/history.md): auto reads it where git has it.
    history = OneOf(("auto", True, False), default=defaults.HISTORY)
    # Treatment, residual risk and appetite (docs/treatment.md).
    treatments = c.Optional(Kind(list))
    appetite = c.Optional(Kind(dict))
    rank_by = OneOf(("current", "residual"), default=defaults.RANK_BY)
    # The register page's table columns (docs/configuration.md#columns).
    columns = c.Optional(Kind(list))
    # The SVG matrix: the appetite's boundary and arrows to residual cells (docs/treatment.md).
    matrix_appetite = Kind(bool, default=True)
    matrix_arrows = Kind(bool, default=True)
    # Declared fields: extra front-matter keys with a type and a label (docs/fields.md).
    fields = c.Optional(Kind(list))
    # The register's words (docs/languages.md): the language (default: theme.language), and entries overridden.
    language = c.Optional(Kind(str))
    labels = c.Optional(Kind(dict))

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super().validate()
        # MkDocs warns of an unknown option without guessing which one was meant.
        known = sorted(key for key, _ in self._schema)
        warnings = [
            (key, f"{message}{did_you_mean(key, known)}" if message.startswith("Unrecognised") else message)
            for key, message in warnings
        ]
        if not any(key == "labels" for key, _ in failed):
            try:
                _, unknown = check_labels(self.get("labels"))
            except LabelsError as error:
                failed.append(("labels", ValidationError(str(error))))
            else:
                warnings.extend(("labels", message) for message in unknown)
        return failed, warnings


def labels_setting(config: RiskRegisterConfig | dict[str, Any]) -> dict[str, Entry]:
    """The ``labels`` entries that apply (unknown keys left out: validate() warned of them)."""
    usable, _ = check_labels(config.get("labels"))
    return usable


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
    "treatments",
    "appetite",
    "rank_by",
    "columns",
    "matrix_appetite",
    "matrix_arrows",
    "fields",
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
