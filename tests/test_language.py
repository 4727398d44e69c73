"""The register in the site's language: the catalogues (locales/*.yml), theme.language, labels, dates, RTL text.

The central check builds a register whose every name is a made-up word, with ``labels`` turning every entry
of the catalogue into a marker (``⟦register.title⟧`` and its placeholders): what the generated pages then
show must be markers, numbers and those made-up words only. Any other word came from somewhere else than
the catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.dates import format_date
from mkdocs.utils.yaml import yaml_load

from mkdocs_risk_register import defaults
from mkdocs_risk_register.words import (
    catalogue,
    entry_placeholders,
    placeholders,
    plural_categories,
    shipped_languages,
)
from tests.cli_helpers import GIT_ENV, commit_all, init_repo, run_cli
from tests.helpers import REPO, Built, build, copy_example, html_tables, risk_file, write_project

ENGLISH = catalogue("en")
SHIPPED = shipped_languages()
OTHER_LANGUAGES = [language for language in SHIPPED if language != "en"]
DAY = "T12:00:00+00:00"


# --- the catalogues ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SHIPPED)
def test_every_catalogue_has_the_keys_placeholders_and_plural_forms_of_english(language: str) -> None:
    words = catalogue(language)
    assert sorted(words) == sorted(ENGLISH), "keys differ from en.yml"
    categories = set(plural_categories(language))
    for key, english in ENGLISH.items():
        entry = words[key]
        if isinstance(english, str):
            assert isinstance(entry, str), f"{key}: one text, as in English"
            assert placeholders(entry) == placeholders(english), key
            continue
        # A count: plural forms of this language (Babel's CLDR data), 'other' among them; each form uses
        # English's placeholders only, and together all of them (a form for one may say "one" in words).
        assert isinstance(entry, dict), f"{key}: plural forms, as in English"
        assert "other" in entry and set(entry) <= categories, f"{key}: {sorted(entry)} not within {sorted(categories)}"
        wanted = entry_placeholders(english)
        for form in entry.values():
            assert placeholders(form) <= wanted, key
        assert entry_placeholders(entry) == wanted, key
    for key in ("format.date", "format.month"):
        shown = format_date(dt.date(2026, 2, 8), str(words[key]), locale=language)
        assert "2026" in shown, (key, shown)


def test_english_dates_and_months_stay_iso() -> None:
    # As the register wrote them before it had a catalogue: tables, running text and the changelog's headings.
    assert format_date(dt.date(2026, 2, 8), str(ENGLISH["format.date"]), locale="en") == "2026-02-08"
    assert format_date(dt.date(2026, 2, 8), str(ENGLISH["format.month"]), locale="en") == "2026-02"


def test_the_package_ships_its_catalogues() -> None:
    # Package data: an installed wheel, not only this checkout, holds locales/*.yml.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locales/*.yml"' in pyproject
    assert SHIPPED[0] == "en"


# --- every word from the catalogue ----------------------------------------------------------------------


# Dates in sentences and the changelog's months, by Babel in the marked catalogue's patterns (format.*).
MONTHS = [format_date(dt.date(2026, month, 1), "MMMM", locale="en") for month in range(1, 13)]


def marker(key: str) -> str:
    return f"⟦{key}⟧"


def marked_entry(key: str, english: Any) -> Any:
    """The entry as a marker followed by its placeholders, so the values still show (plural forms kept)."""
    if key.startswith("format."):
        return {"format.date": "d MMMM y", "format.month": "MMMM y"}[key]  # patterns, not words: Babel's long ones
    names = sorted(entry_placeholders(english))
    text = marker(key) + "".join(f" {{{name}}}" for name in names)
    return text if isinstance(english, str) else dict.fromkeys(english, text)


# Every name in the register is a made-up word: no English word can come from the data.
MADE_UP_SETTINGS: dict[str, Any] = {
    "history": True,
    "scoring": "product",
    "probability": [{"name": "Pzlo", "description": "Dzplo"}, {"name": "Pzhi", "description": "Dzphi"}],
    "impact": [{"name": "Izlo", "description": "Dzilo"}, {"name": "Izhi", "description": "Dzihi"}],
    "bands": [
        {"name": "Bzurg", "min": 3, "action": "Azurg", "review_days": 7},
        {"name": "Bzlow", "min": 1, "action": "Azlow", "review_days": 1},
    ],
    "statuses": [
        {"name": "Szopen", "description": "Dzopen"},
        {"name": "Szshut", "description": "Dzshut", "active": False},
    ],
    "monitoring": [{"frequency": "Fzweek", "activity": "Azrev", "participants": "Pzall", "output": "Ozout"}],
    "treatments": ["Tzmit", "Accept"],
    "appetite": {"max_score": 2},
    "fields": [{"name": "zfield", "type": "text", "label": "Lzfield"}],
}
MADE_UP_RISKS = {
    "RSK-1.md": risk_file(
        "RSK-1",
        title="Tzone",
        category="Czcat",
        probability="Pzhi",
        impact="Izhi",
        owner="Ozowner",
        status="Szopen",
        mitigation="Mzmit",
        contingency="Czcon",
        reviewed="2026-01-05",
        treatment="Tzmit",
        residual={"probability": "Pzlo", "impact": "Izlo"},
        target_date="2026-06-01",
        related=["#3", "RSK-2"],
        zfield="Vzval",
        body="Bzbody zorp.\n\n## Hzhead\n\nZzmore.\n",
    ),
    "RSK-2.md": risk_file(
        "RSK-2",
        title="Tztwo",
        category="Czcat",
        probability="Pzhi",
        impact="Izlo",
        owner="Ozother",
        status="Szopen",
        mitigation="Mzmit",
        contingency="Czcon",
        treatment="Accept",
        acceptance={"by": "Qzby", "date": "2026-01-10", "expires": "2026-03-20", "reason": "Rzwhy"},
    ),
    "RSK-3.md": risk_file(
        "RSK-3",
        title="Tzthree",
        category="Czcat",
        probability="Pzlo",
        impact="Izlo",
        owner="Ozowner",
        status="Szshut",
        mitigation="Mzmit",
        contingency="Czcon",
    ),
}
ALL_COLUMNS = (
    "ID, Risk, Category, Prob, Impact, Score, Mitigation, Contingency, Owner, Status, Band, Treatment, Residual"
)
VIEWS_PAGE = """# Vzpage

Zzintro <risk:RSK-1> zzend.

/// risk-table
    columns: [{columns}, Next review, Lzfield]
///

/// risk-matrix
///

/// risk-top
///

/// risk-schedule
///

/// risk-card | RSK-2
    chart: true
    body: true
///

/// risk-table
    filter: {status: Szshut, active: true}
///
"""


class _VisibleText(HTMLParser):
    """The text a reader meets in a page's content (``<article>``): text, tooltips and accessible names.

    Left out: Mermaid's source (its syntax; its labels are checked apart) and the problems' list (the
    build log's lines, English by design)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.script_words: list[str] = []
        self._in_article = 0
        self._stack: list[tuple[str, bool]] = []
        self._problems = 0

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article":
            self._in_article += 1
        if tag in ("br", "img", "hr", "input", "meta", "link", "rect", "circle", "line", "path", "polygon"):
            skip = False
        else:
            classes = values.get("class") or ""
            skip = (tag == "pre" and "mermaid" in classes) or "data-risk-register-problems" in values
            self._stack.append((tag, skip))
        if not self._in_article or self._skipping():
            return
        for name in ("title", "aria-label", "alt"):
            if values.get(name):
                self.parts.append(str(values[name]))
        if values.get("data-risk-register-words"):
            self.script_words.append(str(values["data-risk-register-words"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts), parser.script_words


def words_in(text: str) -> set[str]:
    """Runs of letters (any script): what is left once numbers and punctuation are set aside."""
    return set(re.findall(r"[^\W\d_]+", text))


def data_words(*texts: str) -> set[str]:
    return set().union(*(words_in(text) for text in texts))


def _values(node: Any) -> list[str]:
    """Every value (never a key) of a YAML structure, as text."""
    if isinstance(node, dict):
        return [text for value in node.values() for text in _values(value)]
    if isinstance(node, list):
        return [text for value in node for text in _values(value)]
    return [str(node)]


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("marked")
    init_repo(root)
    labels = {key: marked_entry(key, english) for key, english in ENGLISH.items()}
    first = dict(MADE_UP_RISKS)
    first["RSK-1.md"] = first["RSK-1.md"].replace("owner: Ozowner", "owner: Ozfirst")
    # An acceptance that changes: the changelog and the risk page's History show its keys (by, date, ...).
    first["RSK-2.md"] = first["RSK-2.md"].replace("Rzwhy", "Rzold")
    write_project(root, first, plugin={**MADE_UP_SETTINGS, "labels": labels}, theme="material")
    (root / "docs" / "views.md").write_text(VIEWS_PAGE.replace("{columns}", ALL_COLUMNS), encoding="utf-8")
    commit_all(root, "first", date="2026-01-05" + DAY)
    write_project(root, MADE_UP_RISKS, plugin={**MADE_UP_SETTINGS, "labels": labels}, theme="material")
    (root / "risks" / "RSK-4.md").write_text("---\nid: [unclosed\n---\n", encoding="utf-8")  # left out: notes
    commit_all(root, "second", date="2026-02-10" + DAY)
    built = build(root)
    assert built.returncode == 0, built.log
    return built


GENERATED = ("risk-register/", "risk-register/top/", "risk-register/monitoring/", "risk-register/changes/")
RISK_PAGES = ("risk-register/RSK-1/", "risk-register/RSK-2/", "risk-register/RSK-3/")


def test_every_word_of_the_generated_pages_comes_from_the_catalogue(marked: Built) -> None:
    # What may show besides markers: the made-up words of the data (values of the settings and risk files,
    # bodies, the views page's own text), the names of the data files, and the risk files' folder.
    risk_texts = [(marked.root / "risks" / name).read_text(encoding="utf-8") for name in MADE_UP_RISKS]
    front_values = [text for risk in risk_texts for text in _values(yaml.safe_load(risk.split("---")[1]))]
    bodies = [risk.split("---", 2)[2] for risk in risk_texts]
    allowed = data_words(
        *_values(MADE_UP_SETTINGS),
        *front_values,
        *bodies,
        "Ozfirst",  # the owner before the second commit, in the history
        "Rzold",  # the acceptance's reason before the second commit, in the history
        "Vzpage Zzintro zzend",
        "risks md",  # the Source row: the risk file's path
        GIT_ENV["GIT_AUTHOR_NAME"],  # the commits' author, in the history
        *MONTHS,
    )
    leftovers: dict[str, set[str]] = {}
    for path in (*GENERATED, *RISK_PAGES, "views/"):
        text, script_words = visible_text(marked.page(path))
        assert text.strip(), path
        # Names of data files are an interface, not words: risks.json, history.json, and the links' JSON, CSV.
        text = re.sub(r"history\.json|\bJSON\b|\bCSV\b", " ", re.sub(r"⟦[^⟧]*⟧", " ", text))
        text = re.sub(r"\b[0-9a-f]{7}\b", " ", text)  # commits, by their short ids
        found = words_in(text) - allowed
        if found:
            leftovers[path] = found
        for attribute in script_words:  # the table script's words: markers too
            data = json.loads(attribute)
            assert data["words"], path
            for key, forms in data["words"].items():
                assert all(form.startswith(marker(f"script.{key}")) for form in forms.values()), key
    assert leftovers == {}, "words that do not come from the catalogue"


def test_an_empty_register_without_history_speaks_the_catalogue_too(tmp_path: Path) -> None:
    # No risk, no git, no monitoring rows: the pages' other sentences, from the catalogue as well.
    labels = {key: marked_entry(key, english) for key, english in ENGLISH.items()}
    root = write_project(tmp_path, {}, plugin={"labels": labels, "history": "auto"}, theme="material")
    built = build(root)
    assert built.returncode == 0, built.log
    # The default scales, bands and statuses: content, in English (the reference's), shown as written.
    content = data_words(*_values([defaults.PROBABILITY, defaults.IMPACT, defaults.BANDS, defaults.STATUSES]), *MONTHS)
    expected = {
        "risk-register/": ["register.empty", "register.summary"],
        "risk-register/top/": ["top.title.none", "top.none"],
        "risk-register/monitoring/": ["monitoring.none", "monitoring.calendar_intro"],
        "risk-register/changes/": ["changes.unavailable", "changes.not_read"],
    }
    for path, keys in expected.items():
        text, _ = visible_text(built.page(path))
        for key in keys:
            assert marker(key) in text, (path, key)
        if path.endswith("changes/"):
            continue  # the reason git gave comes after the marker, in English: the build log's words
        shown = words_in(re.sub(r"⟦[^⟧]*⟧|\bJSON\b|\bCSV\b", " ", text))
        assert shown <= content, (path, shown - content)


def test_a_large_registers_counted_charts_speak_the_catalogue(tmp_path: Path) -> None:
    # Over 100 active risks a risk page's chart counts the others per cell (RISK_PAGE_MARKERS): its own sentences.
    labels = {key: marked_entry(key, english) for key, english in ENGLISH.items()}
    risks = {f"RSK-{n}.md": risk_file(f"RSK-{n}", title=f"Tz{n}") for n in range(1, 102)}
    root = write_project(tmp_path, risks, plugin={"labels": labels, "history": False})
    built = build(root)
    assert built.returncode == 0, built.log
    figure = re.search(r"<figure.*?</figure>", built.page("risk-register/RSK-1/"), re.DOTALL)
    assert figure is not None
    text, _ = visible_text(f"<article>{figure.group(0)}</article>")
    for key in ("chart.desc.compact_page", "chart.caption.compact_link", "chart.count", "chart.desc.highlight"):
        assert marker(key) in text, key
    defaults_content = data_words(*_values([defaults.PROBABILITY, defaults.IMPACT, defaults.BANDS]))
    shown = words_in(re.sub(r"⟦[^⟧]*⟧", " ", text)) - defaults_content
    assert shown <= {"RSK", "Tz"}, shown


def test_the_marked_pages_show_every_part_of_the_register(marked: Built) -> None:
    # The check above reads these pages: each part of them is there, so that no part escapes it.
    register = marked.page("risk-register/")
    for key in ("register.title", "register.summary", "guide.days", "chart.title", "chart.count", "chart.mermaid"):
        assert marker(key) in register, key
    assert marker("note.incomplete") in marked.page("risk-register/top/")
    assert marker("problems.title") in register
    assert marker("treatment.expiring") in register and marker("treatment.above_appetite") in register
    assert marker("chart.quadrant_1") in register  # the Mermaid chart's quadrants, unless the chart setting names them
    assert marker("changes.rescored") in marked.page("risk-register/changes/") or marker(
        "changes.field"
    ) in marked.page("risk-register/changes/")
    assert marker("history.chart_title") in marked.page("risk-register/RSK-1/")
    assert marker("card.accepted_until") in marked.page("risk-register/RSK-2/")
    views = marked.page("views/")
    for key in ("table.no_match", "top.risk_page", "reference.score", "chart.text_list", "value.overdue"):
        assert marker(key) in views, key
    # The navigation's section and its sub-section of risk pages.
    assert marker("nav.section") in register and marker("nav.risks") in register


def test_dates_in_sentences_follow_the_language_and_tables_stay_iso(marked: Built) -> None:
    # format.date "d MMMM y" (Babel, English): the build date 2026-03-01 as "1 March 2026" in the calendar's
    # sentence (placeholders in the marker's order: count, date, overdue: 2 active risks, RSK-1 overdue as
    # reviewed 2026-01-05 + 7 days < 2026-03-01); the changelog's months as "February 2026"; the calendar's
    # table keeps 2026-01-05.
    monitoring = marked.page("risk-register/monitoring/")
    assert f"{marker('monitoring.calendar_intro')} 2 1 March 2026 1" in " ".join(visible_text(monitoring)[0].split())
    changes = marked.page("risk-register/changes/")
    assert ">February 2026<" in changes and ">January 2026<" in changes
    schedule = next(t for t in html_tables(monitoring) if marker("column.last_reviewed") in t[0])
    assert schedule[1][:5] == ["RSK-1", "Tzone", "Bzurg", "2026-01-05", "2026-01-12"]  # reviewed, 7 days later


# --- choosing the language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SHIPPED)
def test_the_example_builds_in_each_shipped_language(language: str, tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    # A git history in which an acceptance changed: the changes page's changelog shows it, key by key.
    init_repo(root)
    accepted = root / "risks" / "RSK-005.md"
    current = accepted.read_text(encoding="utf-8")
    assert "expires: 2027-02-28" in current
    accepted.write_text(current.replace("expires: 2027-02-28", "expires: 2026-12-31"), encoding="utf-8")
    commit_all(root, "first", date="2026-02-08" + DAY)
    accepted.write_text(current, encoding="utf-8")
    commit_all(root, "second", date="2026-02-20" + DAY)
    config = root / "mkdocs.language.yml"
    config.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", "theme": {"language": language}}), encoding="utf-8")
    built = build(root, strict=True, config_file=config)
    assert built.returncode == 0, built.log
    words = catalogue(language)
    register = built.page("risk-register/")
    assert re.search(rf"<h1[^>]*>{re.escape(str(words['register.title']))}", register)
    # The table script's words are the language's (script.* as plural forms).
    table = re.search(r"data-risk-register-words=\"([^\"]*)\"", register)
    assert table is not None
    data = json.loads(table.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert data["language"] == language
    assert data["words"]["no_match"] == {"other": words["script.no_match"]}
    if language != "en":
        assert_no_english_left(built, language)


def assert_no_english_left(built: Built, language: str) -> None:
    """No word of an English entry that the language's catalogue does not use shows in the generated pages
    (the example's data, in English, aside)."""
    translated = catalogue(language)

    def entry_words(entries: Any) -> set[str]:
        texts = [t for key, e in entries.items() if not key.startswith("format.") for t in _values(e)]
        return data_words(*(re.sub(r"\{\w+\}", " ", text) for text in texts))

    # The data a page may show, in English: the risks' front-matter values (a risk page: its body too), the
    # plugin's settings (monitoring rows, field labels), the reference's scales, bands and statuses (the
    # example's content), the names of the data files. Not the bodies of other risks, nor mkdocs.yml's keys:
    # their words would hide a leak.
    risks = {path.stem: path.read_text(encoding="utf-8") for path in sorted((REPO / "risks").glob("*.md"))}
    fronts = [text for risk in risks.values() for text in _values(yaml.safe_load(risk.split("---")[1]))]
    example = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = next(entry["risk-register"] for entry in example["plugins"] if isinstance(entry, dict))
    content = _values([defaults.PROBABILITY, defaults.IMPACT, defaults.BANDS, defaults.STATUSES, settings])
    data = data_words(*fronts, *content, "JSON CSV SVG history json risks md", GIT_ENV["GIT_AUTHOR_NAME"])
    english_only = {word for word in entry_words(ENGLISH) - entry_words(translated) - data if len(word) > 2}
    assert {"Register", "Review", "every", "overdue"} & english_only, "the check needs English words to look for"
    found = {}
    changes = visible_text(built.page("risk-register/changes/"))[0]
    assert "2026-12-31" in changes, "the check needs the changelog to show the acceptance that changed"
    for path in (*GENERATED, "risk-register/RSK-001/", "risk-register/RSK-005/"):
        shown = {"risk-register/top/": list(risks), "risk-register/RSK-001/": ["RSK-001"]}.get(path, [])
        shown = {"risk-register/RSK-005/": ["RSK-005"]}.get(path, shown)
        bodies = data_words("", *(risks[name].split("---", 2)[2] for name in shown))  # the risks' bodies it shows
        left = words_in(visible_text(built.page(path))[0]) & (english_only - bodies)
        if left:
            found[path] = left
    assert found == {}, f"English words in a {language} build"


def test_an_unknown_language_falls_back_to_english_with_one_info_line(tmp_path: Path) -> None:
    # Italian: Material speaks it, the register has no catalogue for it (yet).
    root = write_project(tmp_path, {"RSK-1.md": risk_file()}, theme="material")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["language"] = "it"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    notes = [line for line in built.log.splitlines() if "no catalogue for language 'it'" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO"), built.log
    assert re.search(r"<h1[^>]*>Risk Register</h1>", built.page("risk-register/"))


def test_the_language_setting_overrides_the_theme_and_a_region_finds_its_language(tmp_path: Path) -> None:
    # The theme says Italian (no catalogue: it would give the info line); the plugin's own setting wins, and
    # en-GB is English's catalogue, without an info line.
    root = write_project(tmp_path, {"RSK-1.md": risk_file()}, plugin={"language": "en-GB"}, theme="material")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["language"] = "it"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    assert "no catalogue" not in built.log
    assert re.search(r"<h1[^>]*>Risk Register</h1>", built.page("risk-register/"))


# --- labels ---------------------------------------------------------------------------------------------------


def test_labels_override_entries_with_text_and_plural_forms(tmp_path: Path) -> None:
    labels = {
        "register.title": "Our risks",
        "chart.count": {"one": "{count} item", "other": "{count} items"},
        "column.owner": "Who",
    }
    root = write_project(tmp_path, {"RSK-1.md": risk_file(), "RSK-2.md": risk_file("RSK-2")}, plugin={"labels": labels})
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    register = built.page("risk-register/")
    assert re.search(r"<h1[^>]*>Our risks</h1>", register)
    # Both risks are High/High: one cell holds 2, so the cell's tooltip counts "2 items", the others "0 items".
    assert ", 2 items</title>" in register and ", 0 items</title>" in register
    assert "<th>Who</th>" in register
    assert "Risk Register</h1>" not in register


def test_an_unknown_label_key_warns_with_did_you_mean_and_fails_strict(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"RSK-1.md": risk_file()}, plugin={"labels": {"register.titel": "Risks"}})
    built = build(root)
    assert built.returncode == 0, built.log
    assert "unknown key 'register.titel'" in built.log and "did you mean 'register.title'?" in built.log
    assert "WARNING" in built.log
    strict = build(root, strict=True)
    assert strict.returncode == 1, strict.log
    # The command line says the same, with the line of `labels` in mkdocs.yml, and fails with --strict.
    check = run_cli("check", "--strict", cwd=root)
    assert check.returncode == 1, check
    line = next(n for n, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1) if "labels:" in text)
    assert f"mkdocs.yml:{line}: warning: option 'labels': unknown key 'register.titel'" in check.stdout + check.stderr


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"chart.count": "{cnt} risks"}, "'chart.count' uses {cnt}; its placeholders: {count}"),
        ({"chart.count": {"one": "{count} risk"}}, "'chart.count' needs an 'other' form"),
        ({"chart.count": {"single": "1", "other": "{count}"}}, "'single' is not a plural category"),
        ({"register.title": ["a", "b"]}, "'register.title' must be text"),
        ({"register.title": "Risks {"}, "is not a valid text with placeholders"),
    ],
)
def test_a_label_that_cannot_be_used_is_a_config_error(labels: dict[str, Any], message: str, tmp_path: Path) -> None:
    root = write_project(tmp_path, {"RSK-1.md": risk_file()}, plugin={"labels": labels})
    built = build(root)
    assert built.returncode == 1, built.log
    assert message in built.log
    assert "Traceback" not in built.log


def test_render_writes_the_pages_in_the_sites_words(tmp_path: Path) -> None:
    # `risk-register render` (for Zensical) reads labels and the language from mkdocs.yml as the build does.
    labels = {"register.title": "Zz register"}
    root = write_project(tmp_path, {"RSK-1.md": risk_file()}, plugin={"labels": labels, "language": "en-GB"})
    rendered = run_cli("render", cwd=root)
    assert rendered.returncode == 0, rendered
    page = (root / "docs" / "risk-register" / "index.md").read_text(encoding="utf-8")
    assert page.splitlines()[6] == "# Zz register"  # after the front matter that hides the sidebars
    assert "no catalogue" not in rendered.stderr


# --- the Markdown extension on its own (Zensical) ---------------------------------------------------------


@pytest.mark.parametrize("language", [*SHIPPED, "xx"])
def test_the_extension_takes_a_language_option(language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import markdown  # noqa: PLC0415

    write_project(tmp_path, {"RSK-1.md": risk_file()})
    monkeypatch.chdir(tmp_path)
    options = {"language": language, "labels": {"top.risk_page": "Zz page"}}
    md = markdown.Markdown(extensions=["risk_register"], extension_configs={"risk_register": options})
    html = md.convert("/// risk-table\n    filter: {status: Closed}\n///\n\n/// risk-top\n///\n")
    words = catalogue(language if language in SHIPPED else "en")  # xx: no catalogue, English
    assert f'<p class="risk-register-empty">{words["table.no_match"]}</p>' in html
    assert ">Zz page</a>" in html  # labels apply to whichever language


# --- right-to-left text in risk data ------------------------------------------------------------------------------

RLO = "\u202e"
FSI, PDI = "\u2068", "\u2069"
ARABIC = "شبكة"  # "network"
HEBREW = "דוד"  # a name


def test_right_to_left_data_is_escaped_and_isolated_from_the_words_beside_it(tmp_path: Path) -> None:
    title = f"{ARABIC}{RLO}<b>x</b>"
    root = write_project(
        tmp_path,
        {
            "RSK-1.md": risk_file(
                "RSK-1",
                title=title,
                owner=f"{HEBREW}{RLO}",
                treatment="Accept",
                acceptance={"by": HEBREW, "expires": "2026-03-20", "reason": f"{ARABIC}{RLO}"},
            ),
            "RSK-2.md": risk_file("RSK-2", title="Plain"),
        },
    )
    (root / "docs" / "index.md").write_text(f"# Home\n\nSee <risk:RSK-1> and <risk:RSK-2> {ARABIC}.\n", "utf-8")
    built = build(root)
    assert built.returncode == 0, built.log
    # Escaped: the title's markup is text.
    top = built.page("risk-register/top/")
    assert "<b>x</b>" not in top and "&lt;b&gt;x&lt;/b&gt;" in top
    # The owner sits between our words "Owner:" and "· Status": isolated, the override ends with it.
    assert f": {FSI}{HEBREW}{RLO}{PDI} \u00b7 " in top
    # The marker's tooltip: id, then the title isolated, then our words.
    register = built.page("risk-register/")
    assert f"RSK-1: {FSI}{ARABIC}{RLO}&lt;b&gt;x&lt;/b&gt;{PDI} (score 9, Urgent)" in register
    # The acceptance's name on the risk page, between our words, isolated; its reason ends the cell (a cell is a
    # paragraph of its own: the override ends there).
    card = built.page("risk-register/RSK-1/")
    # (The dash before it is the plugin's own, written as a character reference: docs/large-registers.md.)
    assert f"by {FSI}{HEBREW}{PDI} until 2026-03-20" in card and f"&#8212; {ARABIC}{RLO}</td>" in card
    # A reference in running text: the title in <bdi>, apart from the band and the sentence.
    home = built.page("")
    assert f"RSK-1: <bdi>{ARABIC}{RLO}&lt;b&gt;x&lt;/b&gt;</bdi></a>" in home
    # Left-to-right data is written as before, without isolates.
    assert "RSK-2: Plain</a>" in home and f"RSK-2: {FSI}" not in register


def test_the_languages_page_lists_every_key_of_the_catalogue() -> None:
    page = (REPO / "docs" / "languages.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9_.]+)` \|", page, re.MULTILINE)
    assert sorted(listed) == sorted(ENGLISH)
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "languages.md" in nav


MARKUP = "*star* <b>x</b> #hash [a](b)"


def test_labels_are_plain_text_in_the_generated_markdown(tmp_path: Path) -> None:
    # Each label names its place (Ztitle, ...), then holds emphasis, raw HTML, a hash and a link: all as written.
    places = {
        "register.title": "Ztitle",
        "register.table_heading": "Ztable",
        "register.link.monitoring": "Zlink",
        "treatment.heading": "Ztreat",
        "treatment.above_appetite": "Zabove",
        "column.owner": "Zowner",
        "monitoring.title": "Zmonitor",
        "top.heading": "Ztop {top}",
        "history.heading": "Zhistory",
        "changes.title": "Zchanges",
        "changes.changelog": "Zchangelog",
    }
    labels = {key: f"{place} {MARKUP}" for key, place in places.items()}
    root = tmp_path / "project"
    init_repo(root)
    risk = risk_file("RSK-1", treatment="Mitigate")  # High/High: above the appetite of 2
    write_project(root, {"RSK-1.md": risk}, plugin={"history": True, "appetite": {"max_score": 2}, "labels": labels})
    commit_all(root, "first", date="2026-01-05" + DAY)
    write_project(
        root,
        {"RSK-1.md": risk.replace("owner: Team", "owner: Crew")},
        plugin={"history": True, "appetite": {"max_score": 2}, "labels": labels},
    )
    commit_all(root, "second", date="2026-02-10" + DAY)
    built = build(root)  # not strict: the risk above the appetite is a warning
    assert built.returncode == 0, built.log
    # As HTML text: the characters escaped once (&lt;b&gt;), nothing made of them.
    shown = "*star* &lt;b&gt;x&lt;/b&gt; #hash [a](b)"
    pages = {
        "risk-register/": ["Ztitle", "Ztable", "Zlink", "Ztreat", "Zabove", "Zowner"],
        "risk-register/monitoring/": ["Zmonitor"],
        "risk-register/top/": ["Ztop"],
        "risk-register/RSK-1/": ["Zhistory"],
        "risk-register/changes/": ["Zchanges", "Zchangelog"],
    }
    for path, names in pages.items():
        html = built.page(path)
        content = html[html.index('role="main"') :]  # the page's own content (mkdocs theme), not its navigation
        for name in names:
            assert f"{name} {shown}" in content or (name == "Ztop" and shown in content), (path, name)
        # Nowhere on the page (its title and navigation too): no emphasis, no bold, no link made of them.
        assert "<em>star</em>" not in html and "<b>x</b>" not in html, path
        assert 'href="b"' not in html, path
