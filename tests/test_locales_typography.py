"""The shipped languages' typography: what a native reader expects of punctuation, quotes and capitals.

French sets a non-breaking space before : ; ! ? and inside « »; Spanish opens its questions and
exclamations with ¿ and ¡; German quotes with „ “. A plain space there would break a line before
the colon in French, and look foreign in all three. Placeholders ({id}) are left out of the check:
their values are data.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_helpers import commit_all, init_repo
from tests.helpers import build, risk_file, write_project

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


@pytest.mark.parametrize(
    ("language", "months"),
    [
        # Babel (CLDR) writes the months in lower case in French and Spanish: "février 2026",
        # "febrero de 2026" in the catalogues' patterns "LLLL y" and "LLLL 'de' y".
        ("fr", ("Janvier 2026", "Février 2026")),
        ("es", ("Enero de 2026", "Febrero de 2026")),
    ],
)
def test_the_changelogs_month_headings_begin_with_a_capital(
    language: str, months: tuple[str, str], tmp_path: Path
) -> None:
    init_repo(tmp_path)
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"language": language, "history": True})
    commit_all(tmp_path, "first", date="2026-01-05T12:00:00+00:00")
    write_project(
        tmp_path, {"RSK-1.md": risk_file("RSK-1", impact="Low")}, plugin={"language": language, "history": True}
    )
    commit_all(tmp_path, "second", date="2026-02-10T12:00:00+00:00")
    built = build(tmp_path)
    assert built.returncode == 0, built.log
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", built.page("risk-register/changes/"))
    assert [re.sub(r"<[^>]+>.*", "", heading) for heading in headings] == [months[1], months[0]]  # newest first


def test_french_pages_set_a_no_break_space_before_the_registers_own_colons(tmp_path: Path) -> None:
    # The colons the register writes itself, between a bold label and its value on the top page, and
    # between an id and a title (headings, the chart's list), come from the catalogue (text.colon) too.
    write_project(tmp_path, {"RSK-1.md": risk_file("RSK-1")}, plugin={"language": "fr"})
    built = build(tmp_path)
    assert built.returncode == 0, built.log
    top = built.page("risk-register/top/")
    assert re.findall(r"</strong>(.{2})", top) == ["\u00a0:"] * 4  # score, band, owner, status
    assert re.search(r">RSK-1\u00a0: ", top)  # the risk's heading
    register = built.page("risk-register/")
    chart_list = register[register.index('class="risk-matrix-text"') :]
    assert re.search(r"\)\u00a0: <a [^>]*>RSK-1</a>", chart_list)  # "... (Urgent) : RSK-1"
    assert re.search(r"<h1[^>]*>RSK-1\u00a0: ", built.page("risk-register/RSK-1/"))
