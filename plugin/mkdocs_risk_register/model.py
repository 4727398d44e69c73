"""The scoring model: scales, scoring method, bands and statuses.

Built from plain settings (the plugin's config or mkdocs.yml read by the CLI);
every problem raises :class:`ConfigError` naming the offending key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from . import defaults
from .diagnostics import ConfigError, brief
from .fields import Field, fields_from_settings
from .naming import did_you_mean

ScoringMethod = Literal["product", "sum", "matrix"]
SCORING_METHODS: tuple[ScoringMethod, ...] = ("product", "sum", "matrix")

# Dates stop at 9999-12-31: a longer review period would leave no date for most next reviews.
MAX_REVIEW_DAYS = 36_500
ACCEPT = "Accept"  # the treatment whose residual risk someone must accept (acceptance-missing)
RankBy = Literal["current", "residual"]


@dataclass(frozen=True)
class Level:
    name: str
    value: int
    description: str = ""


@dataclass(frozen=True)
class Scale:
    """An ordered list of levels, lowest first; a level's value is its position (1..n)."""

    name: str
    levels: tuple[Level, ...]

    def find(self, name: str) -> Level | None:
        folded = name.casefold()
        for level in self.levels:
            if level.name.casefold() == folded:
                return level
        return None

    @property
    def names(self) -> list[str]:
        return [level.name for level in self.levels]


def level_hint(name: str, scale: Scale) -> str:
    """Did you mean, or, for a number, which name has that value: levels are written by name."""
    return number_hint(name, scale) or did_you_mean(name, scale.names)


def number_hint(name: str, scale: Scale) -> str:
    """For a level written as a number, which name has that value (levels are written by name); else ""."""
    if not (name.isdecimal() and len(name) < 10):  # int() of a long digit string is slow, then refused
        return ""
    if any(level.name.isdecimal() for level in scale.levels):
        return ""  # a scale named by numbers: its names are already listed, and "1 is '1'" says nothing
    value = int(name)
    if 1 <= value <= len(scale.levels):
        return f"; levels are names, not numbers: {value} is {brief(scale.levels[value - 1].name)}"
    return f"; levels are names, not numbers: {', '.join(f'{lv.value} is {brief(lv.name)}' for lv in scale.levels)}"


@dataclass(frozen=True)
class Band:
    name: str
    min: int
    action: str
    review_days: int
    color: str


@dataclass(frozen=True)
class Status:
    name: str
    description: str
    active: bool


@dataclass(frozen=True)
class MonitoringActivity:
    frequency: str
    activity: str
    participants: str
    output: str


@dataclass(frozen=True)
class Model:
    """Everything needed to validate and score a risk, and to explain the scoring."""

    probability: Scale
    impact: Scale
    scoring: ScoringMethod
    matrix: Mapping[str, tuple[int, ...]]  # impact level name -> one score per probability level
    bands: tuple[Band, ...]
    statuses: tuple[Status, ...]
    categories: tuple[str, ...]
    monitoring: tuple[MonitoringActivity, ...]
    chart_title: str
    quadrants: tuple[str, str, str, str]
    top: int
    id_pattern: str
    # Treatment, residual risk and appetite (docs/treatment.md).
    treatments: tuple[str, ...] = defaults.TREATMENTS
    appetite_max: int | None = None
    appetite_by_category: Mapping[str, int] = field(default_factory=dict)  # configured category name -> limit
    rank_by: RankBy = "current"
    columns: tuple[str, ...] = defaults.REGISTER_COLUMNS
    """The register page's table columns."""
    matrix_appetite: bool = True
    """The SVG matrix draws ``appetite.max_score`` as a boundary."""
    matrix_arrows: bool = True
    """The SVG matrix draws an arrow from each risk to its residual cell."""
    fields: tuple[Field, ...] = ()
    """Declared fields (``fields:``), in the order declared."""

    def appetite_for(self, category: str) -> int | None:
        """The highest score accepted without treatment in ``category``; None without an appetite."""
        folded = category.casefold()
        for name, limit in self.appetite_by_category.items():
            if name.casefold() == folded:
                return limit
        return self.appetite_max

    @property
    def has_appetite(self) -> bool:
        return self.appetite_max is not None or bool(self.appetite_by_category)

    def find_treatment(self, name: str) -> str | None:
        folded = name.casefold()
        return next((t for t in self.treatments if t.casefold() == folded), None)

    def score(self, probability: Level, impact: Level) -> int:
        if self.scoring == "product":
            return probability.value * impact.value
        if self.scoring == "sum":
            return probability.value + impact.value
        return self.matrix[impact.name][probability.value - 1]

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if band.min <= score:
                return band
        # Model.from_settings guarantees every reachable score has a band.
        raise ValueError(f"score {score} has no band")

    def reachable_scores(self) -> list[int]:
        return sorted({self.score(p, i) for p in self.probability.levels for i in self.impact.levels})

    def band_scores(self, index: int) -> tuple[int, int] | None:
        """The scores band ``index`` covers, from its min to the next band's min less one, kept
        within the lowest and highest reachable scores; None when no score can reach it."""
        reachable = self.reachable_scores()
        low = max(self.bands[index].min, reachable[0])
        high = min(self.bands[index - 1].min - 1, reachable[-1]) if index else reachable[-1]
        # The range itself keeps its gaps: the reference shows "1-3" though only 1 is reachable.
        return (low, high) if any(low <= score <= high for score in reachable) else None

    def find_status(self, name: str) -> Status | None:
        folded = name.casefold()
        return next((s for s in self.statuses if s.name.casefold() == folded), None)

    def find_category(self, name: str) -> str | None:
        folded = name.casefold()
        return next((c for c in self.categories if c.casefold() == folded), None)

    def to_dict(self) -> dict[str, Any]:
        """The model as plain data, for risks.json."""
        data: dict[str, Any] = {
            "probability": [
                {"name": lv.name, "value": lv.value, "description": lv.description} for lv in self.probability.levels
            ],
            "impact": [
                {"name": lv.name, "value": lv.value, "description": lv.description} for lv in self.impact.levels
            ],
            "scoring": self.scoring,
            "matrix": {name: list(row) for name, row in self.matrix.items()} if self.scoring == "matrix" else None,
            "bands": [
                {"name": b.name, "min": b.min, "action": b.action, "review_days": b.review_days, "color": b.color}
                for b in self.bands
            ],
            "statuses": [{"name": s.name, "description": s.description, "active": s.active} for s in self.statuses],
            "categories": list(self.categories),
            "top": self.top,
            "treatments": list(self.treatments),
            "appetite": {"max_score": self.appetite_max, "by_category": dict(self.appetite_by_category)}
            if self.has_appetite
            else None,
            "rank_by": self.rank_by,
        }
        if self.fields:  # only when declared: a register without fields keeps its risks.json
            data["fields"] = [
                {"name": f.name, "type": f.type, "label": f.label, "required": f.required} for f in self.fields
            ]
        return data


# --- building a model from settings -------------------------------------------------


def _text(value: Any, key: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, bool):
        # mkdocs.yml is read by MkDocs, so the text YAML turned into true or false is gone.
        raise ConfigError(
            key,
            f"expected text, got {str(value).lower()} (YAML reads On, Off, Yes and No as true or "
            "false: put the text in quotes)",
        )
    if not isinstance(value, (str, int, float)):
        raise ConfigError(key, f"expected text, got {_type_name(value)}")
    text = str(value).strip()
    if required and not text:
        raise ConfigError(key, "must not be empty")
    return text


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(type(value), type(value).__name__)


def _entries(value: Any, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ConfigError(key, "expected a non-empty list")
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{key}[{index}]", f"expected a mapping with 'name', got {_type_name(entry)}")
    return value


def _check_keys(entry: Mapping[str, Any], allowed: set[str], key: str) -> None:
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _unique(names: Sequence[str], key: str) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name.casefold() in seen:
            raise ConfigError(f"{key}[{index}].name", f"'{name}' is listed twice")
        seen.add(name.casefold())


def _scale(value: Any, key: str) -> Scale:
    levels = []
    for index, entry in enumerate(_entries(value, key)):
        _check_keys(entry, {"name", "description"}, f"{key}[{index}]")
        levels.append(
            Level(
                name=_text(entry.get("name"), f"{key}[{index}].name"),
                value=index + 1,
                description=_text(entry.get("description"), f"{key}[{index}].description", required=False),
            )
        )
    _unique([lv.name for lv in levels], key)
    return Scale(key, tuple(levels))


def _int(value: Any, key: str, *, minimum: int | None = None, maximum: int | None = None, unit: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, f"expected a whole number, got {_type_name(value)}")
    if minimum is not None and value < minimum:
        raise ConfigError(key, f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(key, f"must be at most {maximum:,}{unit}")
    return value


def _matrix(value: Any, probability: Scale, impact: Scale) -> dict[str, tuple[int, ...]]:
    if not isinstance(value, Mapping):
        raise ConfigError("matrix", "expected a mapping of impact level to a list of scores")
    rows: dict[str, tuple[int, ...]] = {}
    for row_name, row in value.items():
        if isinstance(row_name, bool):  # an unquoted On, Off, Yes or No: the message says to quote it
            _text(row_name, f"matrix.{str(row_name).lower()}")
        level = impact.find(str(row_name))
        if level is None:
            raise ConfigError(
                f"matrix.{row_name}", f"'{row_name}' is not a level of impact ({', '.join(impact.names)})"
            )
        if level.name in rows:
            raise ConfigError(f"matrix.{row_name}", f"impact level '{level.name}' has two rows")
        if not isinstance(row, list) or len(row) != len(probability.levels):
            raise ConfigError(
                f"matrix.{row_name}",
                f"expected a list of {len(probability.levels)} scores, "
                f"one per probability level ({', '.join(probability.names)})",
            )
        rows[level.name] = tuple(_int(score, f"matrix.{row_name}[{i}]") for i, score in enumerate(row))
    missing = [name for name in impact.names if name not in rows]
    if missing:
        raise ConfigError(f"matrix.{missing[0]}", "row missing: the matrix needs one row per impact level")
    return rows


def _bands(value: Any) -> tuple[Band, ...]:
    bands: list[Band] = []
    for index, entry in enumerate(_entries(value, "bands")):
        key = f"bands[{index}]"
        _check_keys(entry, {"name", "min", "action", "review_days", "color"}, key)
        if "min" not in entry:
            raise ConfigError(f"{key}.min", "required")
        band = Band(
            name=_text(entry.get("name"), f"{key}.name"),
            min=_int(entry["min"], f"{key}.min"),
            action=_text(entry.get("action"), f"{key}.action", required=False),
            review_days=_int(
                entry.get("review_days", defaults.BAND_REVIEW_DAYS),
                f"{key}.review_days",
                minimum=0,
                maximum=MAX_REVIEW_DAYS,
                unit=" days (100 years)",
            ),
            color=_color(entry.get("color"), index),
        )
        if bands and band.min >= bands[-1].min:
            raise ConfigError(
                f"{key}.min", f"bands must be listed with strictly decreasing min ({band.min} follows {bands[-1].min})"
            )
        bands.append(band)
    _unique([b.name for b in bands], "bands")
    return tuple(bands)


# CSS's named colours (CSS Color Module Level 4), which SVG's fill takes as CSS does.
CSS_COLOR_NAMES = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown
    burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
    darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred
    darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray
    green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen
    lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey lightpink
    lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen
    linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue
    mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy
    oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip
    peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal
    thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen""".split()  # noqa: SIM905 (a list)
)
_COLOR_FORMS = (
    re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", re.IGNORECASE),
    re.compile(r"(?:rgb|hsl)a?\([0-9a-z.,%/+\- ]*\)", re.IGNORECASE),
)


def _color(value: Any, index: int) -> str:
    """A band's colour: CSS hex (#rgb, #rrggbb, with alpha too), rgb()/hsl(), or a CSS colour name."""
    if value is None or value == "":
        return defaults.BAND_PALETTE[index % len(defaults.BAND_PALETTE)]
    key = f"bands[{index}].color"
    color = _text(value, key)
    if color.casefold() in CSS_COLOR_NAMES or any(form.fullmatch(color) for form in _COLOR_FORMS):
        return color
    raise ConfigError(
        key,
        f"{color!r} is not a colour the charts can draw; write a CSS colour: a hex code in quotes such as "
        f"'#c62828' (unquoted, YAML reads # as the start of a comment), rgb(198, 40, 40) or a name such as red",
    )


def _statuses(value: Any) -> tuple[Status, ...]:
    statuses = []
    for index, entry in enumerate(_entries(value, "statuses")):
        key = f"statuses[{index}]"
        _check_keys(entry, {"name", "description", "active"}, key)
        active = entry.get("active", True)
        if not isinstance(active, bool):
            raise ConfigError(f"{key}.active", "expected true or false")
        statuses.append(
            Status(
                name=_text(entry.get("name"), f"{key}.name"),
                description=_text(entry.get("description"), f"{key}.description", required=False),
                active=active,
            )
        )
    _unique([s.name for s in statuses], "statuses")
    return tuple(statuses)


def top_risks(n: int) -> str:
    """The top page's name for n risks: Top 5 Risks, Top Risk for one, Top Risks for none."""
    return {0: "Top Risks", 1: "Top Risk"}.get(n, f"Top {n} Risks")


def _monitoring(value: Any) -> tuple[MonitoringActivity, ...]:
    if value == []:
        return ()
    rows = []
    for index, entry in enumerate(_entries(value, "monitoring")):
        key = f"monitoring[{index}]"
        _check_keys(entry, {"frequency", "activity", "participants", "output"}, key)
        rows.append(
            MonitoringActivity(
                *(
                    _text(entry.get(name), f"{key}.{name}", required=name in ("frequency", "activity"))
                    for name in ("frequency", "activity", "participants", "output")
                )
            )
        )
    return tuple(rows)


def _chart(value: Any) -> tuple[str, tuple[str, str, str, str]]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise ConfigError("chart", "expected a mapping with 'title' and 'quadrants'")
    _check_keys(value, {"title", "quadrants"}, "chart")
    title = _text(value.get("title", defaults.CHART_TITLE), "chart.title")
    quadrants = value.get("quadrants", list(defaults.QUADRANTS))
    if not isinstance(quadrants, list) or len(quadrants) != 4:
        raise ConfigError("chart.quadrants", "expected a list of 4 labels (quadrant-1..4 as Mermaid numbers them)")
    q = [_text(label, f"chart.quadrants[{i}]") for i, label in enumerate(quadrants)]
    return title, (q[0], q[1], q[2], q[3])


def _treatments(value: Any) -> tuple[str, ...]:
    if value is None:
        return defaults.TREATMENTS
    if not isinstance(value, list) or not value:
        raise ConfigError("treatments", "expected a non-empty list of names")
    names = tuple(_text(name, f"treatments[{i}]") for i, name in enumerate(value))
    _unique_names(names, "treatments")
    return names


def _flag(settings: Mapping[str, Any], key: str) -> bool:
    value = settings.get(key, True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise ConfigError(key, "expected true or false")
    return value


def _columns(value: Any) -> tuple[str, ...]:
    """The register page's columns, by name (case-insensitive), shown as the views name them."""
    if value is None:
        return defaults.REGISTER_COLUMNS
    known = {name.casefold(): name for name in (*defaults.REGISTER_COLUMNS, *defaults.EXTRA_COLUMNS)}
    if not isinstance(value, list) or not value:
        raise ConfigError("columns", f"expected a non-empty list of column names ({', '.join(known.values())})")
    columns = []
    for index, raw in enumerate(value):
        name = _text(raw, f"columns[{index}]")
        if name.casefold() not in known:
            raise ConfigError(
                f"columns[{index}]", f"unknown column '{name}'; expected one of {', '.join(known.values())}"
            )
        columns.append(known[name.casefold()])
    _unique_names(columns, "columns")
    return tuple(columns)


def _unique_names(names: Sequence[str], key: str) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name.casefold() in seen:
            raise ConfigError(f"{key}[{index}]", f"'{name}' is listed twice")
        seen.add(name.casefold())


def _appetite(value: Any, categories: tuple[str, ...], reachable: list[int]) -> tuple[int | None, dict[str, int]]:
    """``appetite``: its max_score and per-category limits, each a score the model can reach."""
    if value is None:
        return None, {}
    if not isinstance(value, Mapping):
        raise ConfigError("appetite", "expected a mapping with 'max_score' and/or 'by_category'")
    _check_keys(value, {"max_score", "by_category"}, "appetite")

    def limit(raw: Any, key: str) -> int:
        number = _int(raw, key, minimum=0)
        # Appetite is compared strictly: a limit at or above the highest score can never be exceeded,
        # one above it is a typo for another scale (max_score: 12 on scores 1-9).
        if number > reachable[-1]:
            raise ConfigError(
                key,
                f"{number} is higher than any score the model gives ({reachable[0]}-{reachable[-1]}); "
                "no risk could ever be above it",
            )
        return number

    max_score = None if value.get("max_score") is None else limit(value["max_score"], "appetite.max_score")
    by_category: dict[str, int] = {}
    raw_categories = value.get("by_category") or {}
    if not isinstance(raw_categories, Mapping):
        raise ConfigError("appetite.by_category", "expected a mapping of category to score, such as {Security: 4}")
    for raw_name, raw_limit in raw_categories.items():
        name = _text(raw_name, "appetite.by_category")
        key = f"appetite.by_category.{name}"
        if categories:
            known = next((c for c in categories if c.casefold() == name.casefold()), None)
            if known is None:
                raise ConfigError(key, f"'{name}' is not one of the configured categories ({', '.join(categories)})")
            name = known
        by_category[name] = limit(raw_limit, key)
    return max_score, by_category


def _or_default(settings: Mapping[str, Any], key: str, default: Any) -> Any:
    """The setting, or the contract's default when it is absent (an empty list is an error, not absent)."""
    value = settings.get(key)
    return default if value is None else value


def _flow_yaml(value: Any) -> str:
    """A value as one line of YAML, to be pasted into mkdocs.yml from a message."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1 << 30).strip()


def _product_matrix(probability: Scale, impact: Scale) -> dict[str, list[int]]:
    """A matrix to start from: probability × impact, highest impact first, as a matrix is written."""
    return {i.name: [p.value * i.value for p in probability.levels] for i in reversed(impact.levels)}


def _default_matrix(probability: Scale, impact: Scale) -> dict[str, tuple[int, ...]]:
    """The reference's matrix, when the scales are still the reference's three levels by name."""
    try:
        return _matrix(defaults.MATRIX, probability, impact)
    except ConfigError:
        raise ConfigError(
            "matrix",
            f"scoring is 'matrix' (the default) and no matrix is set, but the reference register's 3×3 matrix "
            f"does not fit these scales (probability: {len(probability.levels)} levels, impact: "
            f"{len(impact.levels)}); set `scoring: product` (or `sum`), or write a matrix: one row per impact "
            f"level, each with one score per probability level, lowest probability first, such as "
            f"`matrix: {_flow_yaml(_product_matrix(probability, impact))}`",
        ) from None


def suggested_bands(scores: Sequence[int]) -> list[dict[str, Any]]:
    """The reference's bands with thresholds for other scores, one per cell of the matrix.

    Each band starts where it takes about a third of the cells, highest first: on a 5×5 product
    (1..25) that is Urgent from 12, Proactive from 5, Accept from 1. Bands whose thresholds
    coincide (on very small scales) are dropped, so the list is always valid.
    """
    ordered = sorted(scores)
    count = len(ordered)
    third = count // 3
    wanted = [ordered[min(count - third, count - 1)], ordered[min(count - 2 * third, count - 1)], ordered[0]]
    chosen: list[dict[str, Any]] = []
    for band, low in reversed(list(zip(defaults.BANDS, wanted, strict=True))):
        if not chosen or low > chosen[0]["min"]:
            chosen.insert(0, {**band, "min": low})
    return chosen


def _default_bands(scores: Sequence[int]) -> tuple[Band, ...]:
    """The reference's bands, while the scores are the reference's 1..9; otherwise a config-error with bands to set."""
    low, high = min(scores), max(scores)
    if (low, high) == defaults.BANDS_SCORE_RANGE:
        return _bands(defaults.BANDS)
    ranges = ", ".join(f"{band['name']} from {band['min']}" for band in defaults.BANDS)
    expected_low, expected_high = defaults.BANDS_SCORE_RANGE
    raise ConfigError(
        "bands",
        f"scores run from {low} to {high} with these scales and scoring, but the default bands ({ranges}) "
        f"are made for scores from {expected_low} to {expected_high}; set bands for your range, such as "
        f"`bands: {_flow_yaml(suggested_bands(scores))}` (each band about a third of the matrix's cells)",
    )


def model_from_settings(settings: Mapping[str, Any]) -> Model:
    """Build and check the scoring model; missing keys take the defaults (defaults.py)."""
    probability = _scale(_or_default(settings, "probability", defaults.PROBABILITY), "probability")
    impact = _scale(_or_default(settings, "impact", defaults.IMPACT), "impact")
    scoring = settings.get("scoring") or defaults.SCORING
    if scoring not in SCORING_METHODS:
        raise ConfigError(
            "scoring", f"unknown scoring method '{scoring}'; expected one of {', '.join(SCORING_METHODS)}"
        )
    matrix: dict[str, tuple[int, ...]] = {}
    if scoring == "matrix":
        matrix_value = settings.get("matrix")
        matrix = (
            _default_matrix(probability, impact) if matrix_value is None else _matrix(matrix_value, probability, impact)
        )
    categories_value = _or_default(settings, "categories", defaults.CATEGORIES)
    if not isinstance(categories_value, list):
        raise ConfigError("categories", "expected a list of names")
    categories = tuple(_text(c, f"categories[{i}]") for i, c in enumerate(categories_value))
    _unique(categories, "categories")
    title, quadrants = _chart(settings.get("chart"))
    top = _int(_or_default(settings, "top", defaults.TOP), "top", minimum=0)
    id_pattern = _text(settings.get("id_pattern") or defaults.ID_PATTERN, "id_pattern")
    try:
        re.compile(id_pattern)
    except re.error as error:
        raise ConfigError("id_pattern", f"not a valid regular expression: {error}") from None
    rank_by: RankBy = "residual" if settings.get("rank_by") == "residual" else "current"
    if settings.get("rank_by") not in (None, "current", "residual"):
        raise ConfigError("rank_by", f"expected current or residual, got '{settings.get('rank_by')}'")
    model = Model(
        probability=probability,
        impact=impact,
        scoring=scoring,
        matrix=matrix,
        bands=(),
        statuses=_statuses(_or_default(settings, "statuses", defaults.STATUSES)),
        categories=categories,
        monitoring=_monitoring(_or_default(settings, "monitoring", defaults.MONITORING)),
        chart_title=title,
        quadrants=quadrants,
        top=top,
        id_pattern=id_pattern,
        treatments=_treatments(settings.get("treatments")),
        rank_by=rank_by,
        columns=_columns(settings.get("columns")),
        matrix_appetite=_flag(settings, "matrix_appetite"),
        matrix_arrows=_flag(settings, "matrix_arrows"),
        fields=fields_from_settings(settings.get("fields")),
    )
    # Every cell of the matrix, whatever the scoring: the bands are checked against these.
    cells = [model.score(p, i) for p in probability.levels for i in impact.levels]
    bands_value = settings.get("bands")
    model = dataclasses.replace(model, bands=_default_bands(cells) if bands_value is None else _bands(bands_value))
    if settings.get("appetite") is not None:
        appetite_max, by_category = _appetite(settings["appetite"], categories, model.reachable_scores())
        model = dataclasses.replace(model, appetite_max=appetite_max, appetite_by_category=by_category)
    lowest_band = model.bands[-1]
    unbanded = [score for score in model.reachable_scores() if score < lowest_band.min]
    if unbanded:
        raise ConfigError(
            "bands",
            f"score {unbanded[0]} can be reached but falls in no band "
            f"(the lowest band '{lowest_band.name}' starts at {lowest_band.min})",
        )
    return model
