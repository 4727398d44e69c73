"""The register's words in the site's language: one catalogue per language, ``locales/<language>.yml``.

Every word the generated pages and views write comes from a :class:`Words`: page titles,
headings, column names, field labels, sentences, the charts' text and the table script's
labels. The language follows ``theme.language`` (or the plugin's ``language`` setting); the
``labels`` setting overrides any entry by its key. Risk data and configured names (levels,
bands, statuses, field labels) are shown as written; diagnostics and the command line's
output stay English. A catalogue is read once per process and a :class:`Words` made once per
build: a look-up is a dictionary access.

An entry is a text with ``{name}`` placeholders (``str.format`` with named fields only), or,
where a word depends on a number, a mapping of CLDR plural categories (``one``, ``other``,
...) chosen with Babel for that number, falling back to ``other``.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date

from .naming import did_you_mean

# PyYAML's safe loader, in C where PyYAML was built with libyaml (four times faster on a catalogue).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_LANGUAGE = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories; ``other`` is in every language."""

Entry = str | Mapping[str, str]


class LabelsError(ValueError):
    """An entry that cannot be used (a ``labels`` value, or a catalogue's), in one sentence."""


# --- reading the catalogues ------------------------------------------------------------------------


def shipped_languages() -> tuple[str, ...]:
    """The languages the package ships a catalogue for (``en`` first)."""
    folder = resources.files("mkdocs_risk_register").joinpath("locales")
    names = sorted(item.name[: -len(".yml")] for item in folder.iterdir() if item.name.endswith(".yml"))
    return (DEFAULT_LANGUAGE, *(name for name in names if name != DEFAULT_LANGUAGE))


@cache
def catalogue(language: str) -> Mapping[str, Entry]:
    """The shipped catalogue of ``language`` as written (read once per process)."""
    path = resources.files("mkdocs_risk_register").joinpath("locales", f"{language}.yml")
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader: builds no Python objects
    if not isinstance(data, dict):
        raise LabelsError(f"locales/{language}.yml is not a mapping of keys to texts")
    return data


def catalogue_language(requested: str) -> str | None:
    """The shipped catalogue for a language tag as themes write it (``de``, ``de-CH``, ``pt_BR``), or None."""
    shipped = shipped_languages()
    tag = requested.strip().replace("_", "-").lower()
    for candidate in (tag, tag.split("-")[0]):
        for language in shipped:
            if language.replace("_", "-").lower() == candidate:
                return language
    return None


# --- entries: placeholders and plural forms --------------------------------------------------------


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a text; :class:`LabelsError` for any other use of braces."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise LabelsError(
            f"{text!r} is not a valid text with placeholders ({error}); write a brace as {{{{ or }}}}"
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise LabelsError(f"{text!r} has a placeholder '{{{name}}}': only names such as {{count}} are filled in")
        names.add(name)
    return frozenset(names)


def entry_placeholders(entry: Entry) -> frozenset[str]:
    """Every placeholder an entry uses, across its plural forms."""
    texts = [entry] if isinstance(entry, str) else list(entry.values())
    return frozenset().union(*(placeholders(text) for text in texts))


def check_entry(key: str, entry: Any, expected: Entry, categories: Iterable[str] = PLURAL_CATEGORIES) -> Entry:
    """``entry`` as a usable entry for ``key`` (whose English entry is ``expected``), or :class:`LabelsError`.

    A plain text where English has plural forms is allowed (one text for every number), and
    plural forms where English has one text; each text may use only the English entry's placeholders.
    """
    allowed = entry_placeholders(expected)
    texts: dict[str, str]
    if isinstance(entry, str):
        texts = {"": entry}
    elif isinstance(entry, Mapping) and entry:
        known = tuple(categories)
        for category, text in entry.items():
            if category not in known:
                raise LabelsError(
                    f"'{key}': '{category}' is not a plural category of this language "
                    f"({', '.join(known)}){did_you_mean(str(category), known)}"
                )
            if not isinstance(text, str):
                raise LabelsError(f"'{key}.{category}' must be text, got {type(text).__name__}")
        if "other" not in entry:
            raise LabelsError(f"'{key}' needs an 'other' form (the one used for any number without a form of its own)")
        texts = {str(category): str(text) for category, text in entry.items()}
    else:
        raise LabelsError(f"'{key}' must be text, or a mapping of plural forms such as {{one: ..., other: ...}}")
    for category, text in texts.items():
        extra = placeholders(text) - allowed
        if extra:
            where = f"'{key}.{category}'" if category else f"'{key}'"
            listed = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
            raise LabelsError(
                f"{where} uses {', '.join(f'{{{n}}}' for n in sorted(extra))}; its placeholders: {listed}"
            )
    return entry if isinstance(entry, str) else dict(texts)


def plural_categories(language: str) -> tuple[str, ...]:
    """The CLDR plural categories ``language`` uses (``other`` always among them)."""
    rules = _locale(language).plural_form.rules
    return tuple(category for category in PLURAL_CATEGORIES if category in rules or category == "other")


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


# --- right-to-left text among the register's words ------------------------------------------------

# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...) and the bidi controls.
_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
FSI, PDI = "\u2068", "\u2069"
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or bidi controls, which could reorder the words around it."""
    return _BIDI.search(text) is not None


def isolated(text: str) -> str:
    """An author's value set among the register's words: as a bidi isolate (FSI ... PDI) when it holds
    right-to-left letters or bidi controls, so that an override in it (U+202E) ends with it and an
    Arabic or Hebrew name takes its own direction without moving the words beside it. Plain text is
    returned as it is (the pages of a left-to-right register do not change)."""
    if _BIDI.search(text) is None:
        return text
    # A PDI of the author's that closes no isolate of theirs would close ours early: it is left out.
    kept, depth = [], 0
    for char in text:
        if char in _ISOLATE_OPENERS:
            depth += 1
        elif char == PDI:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return FSI + "".join(kept) + PDI


# --- the words of one build --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per build
class Words:
    """The words of one language, with the ``labels`` overrides applied: made once per build.

    ``words("column.id")`` is an entry's text, ``words("chart.marker", id=..., ...)`` fills its
    placeholders, ``words.count("chart.count", 3)`` picks the plural form for 3 (``{count}``).
    """

    language: str
    """The catalogue's language (``en``, ``de``): the page's words are in it."""
    entries: Mapping[str, Entry] = field(repr=False)
    locale: Locale = field(repr=False, compare=False)

    def __call__(self, key: str, /, **values: object) -> str:
        entry = self.entries[key]
        text = entry if isinstance(entry, str) else entry["other"]
        if "{" not in text and "}" not in text:
            return text
        return text.format_map(_isolated_values(values))

    def source(self, key: str, /, **values: object) -> str:
        """An entry with its placeholders filled as given, nothing isolated: for another program's source
        (Mermaid's chart), not for text a browser lays out among other words."""
        return self.form(key).format_map(values)

    def count(self, key: str, count: int, /, **values: object) -> str:
        """The entry's form for ``count`` (its CLDR plural category, else ``other``), ``{count}`` filled in."""
        return self.form(key, count).format_map({"count": count, **_isolated_values(values)})

    def form(self, key: str, count: int | None = None) -> str:
        """An entry's text as written, placeholders unfilled: its form for ``count`` when given."""
        entry = self.entries[key]
        if isinstance(entry, str):
            return entry
        return (entry.get(self.plural(count)) if count is not None else None) or entry["other"]

    def plural(self, count: int) -> str:
        """The CLDR plural category of ``count`` in the language (Babel's rules)."""
        return _plural(self.language, abs(count))

    def forms(self, key: str) -> dict[str, str]:
        """An entry as plural forms (a plain text is its ``other``): for the table script."""
        entry = self.entries[key]
        return {"other": entry} if isinstance(entry, str) else dict(entry)

    def date(self, value: dt.date) -> str:
        """A date in running text, in the language's pattern (``format.date``)."""
        return _format_date(value, self("format.date"), self.language)

    def month(self, value: dt.date) -> str:
        """A month as a heading (``format.month``): ``February 2026``, ``Februar 2026``, ``Février 2026``.

        French and Spanish write month names in lower case (``février 2026``); a heading begins with
        a capital in every language that has them."""
        text = _format_date(value, self("format.month"), self.language)
        return text[:1].upper() + text[1:]


def _isolated_values(values: Mapping[str, object]) -> dict[str, object]:
    """Placeholder values, each text that holds right-to-left letters or bidi controls isolated."""
    return {key: isolated(value) if isinstance(value, str) else value for key, value in values.items()}


@lru_cache(maxsize=4096)  # the same few counts recur on every page: Babel's rule takes tens of µs
def _plural(language: str, count: int) -> str:
    category: str = _locale(language).plural_form(count)
    return category


@lru_cache(maxsize=4096)  # the same few days recur on many pages
def _format_date(value: dt.date, pattern: str, language: str) -> str:
    return str(format_date(value, pattern, locale=_locale(language)))


@dataclass(frozen=True)
class Selection:
    """The words a build uses, and what to say about the choice (an info line, or nothing)."""

    words: Words
    note: str = ""


def check_labels(labels: Any) -> tuple[dict[str, Entry], list[str]]:
    """The usable ``labels`` (key -> entry) and a warning for each unknown key (with "did you mean");
    :class:`LabelsError` for a value that cannot be used."""
    if labels is None:
        return {}, []
    if not isinstance(labels, Mapping):
        raise LabelsError("expected a mapping of catalogue keys to texts, such as {register.title: Risks}")
    english = catalogue(DEFAULT_LANGUAGE)
    usable: dict[str, Entry] = {}
    warnings = []
    for key, value in labels.items():
        name = str(key)
        if name not in english:
            warnings.append(f"unknown key '{name}' (see the Languages page for the keys){did_you_mean(name, english)}")
            continue
        usable[name] = check_entry(name, value, english[name])
    return usable, warnings


def select_words(language: str | None, labels: Mapping[str, Entry] | None = None) -> Selection:
    """The words for ``language`` (a theme's tag; English when None or not shipped) with ``labels`` over them.

    ``labels`` must be checked already (:func:`check_labels`); plural forms a language does not use are
    never chosen for it. A shipped catalogue missing a key falls back to the English entry.
    """
    requested = (language or DEFAULT_LANGUAGE).strip() or DEFAULT_LANGUAGE
    found = catalogue_language(requested)
    note = ""
    if found is None:
        found = DEFAULT_LANGUAGE
        note = f"no catalogue for language '{requested}': the register's words are in English ({DEFAULT_LANGUAGE})"
    return Selection(_words(found, tuple(sorted((labels or {}).items()))), note)


def _words(language: str, labels: tuple[tuple[str, Entry], ...]) -> Words:
    return _cached_words(language, _frozen(labels))


def _frozen(labels: tuple[tuple[str, Entry], ...]) -> tuple[tuple[str, str | tuple[tuple[str, str], ...]], ...]:
    return tuple((key, value if isinstance(value, str) else tuple(sorted(value.items()))) for key, value in labels)


@lru_cache(maxsize=32)
def _cached_words(language: str, labels: tuple[tuple[str, str | tuple[tuple[str, str], ...]], ...]) -> Words:
    entries: dict[str, Entry] = dict(catalogue(DEFAULT_LANGUAGE))
    if language != DEFAULT_LANGUAGE:
        entries.update(catalogue(language))
    for key, value in labels:
        entries[key] = value if isinstance(value, str) else dict(value)
    return Words(language, entries, _locale(language))


def english() -> Words:
    """The English words without overrides: the default of code that is given no words."""
    return _cached_words(DEFAULT_LANGUAGE, ())
