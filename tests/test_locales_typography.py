"""The shipped catalogues' typography: what a native reader expects of punctuation and quotes.

French sets a non-breaking space before : ; ! ? and inside « »; Spanish opens its questions and
exclamations with ¿ and ¡; German quotes with „ “. A plain space there would break a line before
the colon in French, and look foreign in all three. Placeholders ({id}) are left out of the check:
their values are data.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
import yaml

NO_BREAK = "\u00a0\u202f"  # no-break space, narrow no-break space


def catalogue(language: str) -> dict[str, Any]:
    path = resources.files("mkdocs_risk_register").joinpath("locales", f"{language}.yml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def texts(language: str) -> dict[tuple[str, str], str]:
    """Every text of a shipped catalogue, placeholders as X: (key, plural form or "") -> text."""
    found: dict[tuple[str, str], str] = {}
    for key, entry in catalogue(language).items():
        if key.startswith("format."):
            continue  # date patterns, not text
        forms = {"": entry} if isinstance(entry, str) else entry
        for form, text in forms.items():
            found[(key, form)] = re.sub(r"\{\w+\}", "X", text)
    return found


def test_french_sets_a_no_break_space_before_double_punctuation() -> None:
    bad = {
        key: text
        for key, text in texts("fr").items()
        if re.search(rf"[^{NO_BREAK}][:;!?]", text) or re.search(rf"«[^{NO_BREAK}]|[^{NO_BREAK}]»", text)
    }
    assert bad == {}


def test_french_writes_the_typographic_apostrophe() -> None:
    assert {key: text for key, text in texts("fr").items() if "'" in text} == {}


def test_spanish_opens_its_questions_and_exclamations() -> None:
    bad = {
        key: text
        for key, text in texts("es").items()
        if text.count("?") != text.count("¿") or text.count("!") != text.count("¡")
    }
    assert bad == {}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_straight_double_quotes(language: str) -> None:
    # German „…“, French « … », Spanish «…»: never the typewriter's "…".
    assert {key: text for key, text in texts(language).items() if '"' in text} == {}


def test_the_checks_see_every_entry() -> None:
    # The checks above read the catalogues' texts, plural forms included: a catalogue they could not read
    # would pass them all. French has one, many and other (CLDR), so its counts give three texts each.
    french = texts("fr")
    assert {form for key, form in french if key == "chart.count"} == {"one", "many", "other"}
    assert {key for key, _ in french} == {key for key in catalogue("en") if not key.startswith("format.")}
