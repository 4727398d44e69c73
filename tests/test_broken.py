"""A broken register: every problem reported once with file and line, nothing lost silently."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

from tests.helpers import build, risk_file, write_project

BROKEN = {
    "ok.md": risk_file("B-1", title="Fine"),
    "bad-yaml.md": "---\nid: B-2\ntitle: a: b\n---\n",
    "missing-title.md": risk_file("B-3", title=None),
    "dup-a.md": risk_file("B-4", title="First"),
    "dup-b.md": risk_file("B-4", title="Second"),
    "unknown-level.md": risk_file("B-5", impact="Hgh"),
    "unknown-key.md": risk_file("B-6", titel="typo"),
    "chart.md": risk_file("B-7", chart=[1.5, 0.2]),
    "no-front-matter.md": "# Just a heading\n\nNo front matter here.\n",
    "latin1.md": b"---\nid: B-8\ntitle: Caf\xe9\n---\n",
}

# (file, line, severity, code), worked out from the files above: the opening --- is line 1, and
# risk_file writes id, title, category, probability, impact, owner, status, then extra keys.
EXPECTED = [
    ("bad-yaml.md", 3, "error", "yaml-error"),
    ("chart.md", 9, "warning", "bad-chart"),
    ("dup-b.md", 1, "error", "duplicate-id"),
    ("latin1.md", 3, "error", "encoding"),
    ("missing-title.md", 1, "error", "missing-key"),
    ("no-front-matter.md", 1, "error", "no-front-matter"),
    ("unknown-key.md", 9, "warning", "unknown-key"),
    ("unknown-level.md", 6, "error", "unknown-level"),
]


def test_broken_register_builds_and_reports_each_problem_once(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, BROKEN))
    assert built.returncode == 0, built.log
    reported = re.findall(r"risks/(\S+?):(\d+): (error|warning): .*? \[([a-z-]+)\]$", built.log, re.M)
    assert sorted((f, int(line), sev, code) for f, line, sev, code in reported) == EXPECTED
    assert (
        "risks/unknown-level.md:6: error: impact 'Hgh' is not a level of impact (Low, Medium, High); "
        "did you mean 'High'? [unknown-level]" in built.log
    )
    assert "did you mean 'title'?" in built.log
    assert "already used by risks/dup-a.md" in built.log
    assert "Traceback" not in built.log


def test_left_out_files_are_listed_on_the_register_page(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, BROKEN))
    page = built.page("risk-register/")
    note = page[page.index("data-risk-register-problems") :]
    note = note[: note.index("</div>")]
    for name in ("bad-yaml.md", "dup-b.md", "latin1.md", "missing-title.md", "no-front-matter.md", "unknown-level.md"):
        assert f"<code>risks/{name}</code>" in note
    assert "6 files left out" in note
    # Each problem reads as its line in the build log.
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", note)]
    logged = [line for line in built.log.splitlines() if "risks/" in line and line.endswith("]")]
    assert len(items) == len(EXPECTED)
    for item in items:
        assert any(line.endswith(html.unescape(item)) for line in logged), item
    # Valid risks are all still there, warnings included.
    ids = [r["id"] for r in built.data()["risks"]]
    assert ids == ["B-1", "B-4", "B-6", "B-7"]
    assert built.data()["left_out"] == sorted(
        f"risks/{n}"
        for n in ("bad-yaml.md", "dup-b.md", "latin1.md", "missing-title.md", "no-front-matter.md", "unknown-level.md")
    )


def test_strict_build_fails_on_broken_register(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, BROKEN), strict=True)
    assert built.returncode != 0
    assert "Aborted with" in built.log


def test_strict_build_fails_on_a_single_warning(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, {"a.md": risk_file("W-1", chart=[0.5, 2])}), strict=True)
    assert built.returncode != 0
    assert "risks/a.md:9: warning:" in built.log


def test_value_types_follow_the_contract(tmp_path: Path) -> None:
    text = (
        "---\nid: T-1\ntitle: 1984\ncategory: true\nprobability: high\nimpact: HIGH\n"
        "owner: [Ann, Bo]\nstatus: open\nreviewed: '2026-02-01'\n---\n"
    )
    built = build(write_project(tmp_path, {"t.md": text}), strict=True)
    assert built.returncode == 0, built.log
    risk = built.data()["risks"][0]
    assert (risk["title"], risk["category"], risk["probability"], risk["status"]) == ("1984", "true", "High", "Open")
    assert risk["owner"] == ["Ann", "Bo"]
    assert risk["reviewed"] == "2026-02-01"


def test_bad_optional_values_are_warnings_and_ignored(tmp_path: Path) -> None:
    text = risk_file("O-1", reviewed="2026-13-45", related="#3", mitigation=["a", "b"], score="nine")
    built = build(write_project(tmp_path, {"o.md": text}))
    data = built.data()
    assert sorted(p["code"] for p in data["problems"]) == ["bad-date", "bad-type", "bad-type", "bad-type"]
    risk = data["risks"][0]
    assert (risk["reviewed"], risk["related"], risk["mitigation"]) == (None, [], "")


def test_errors_are_logged_as_errors_and_warnings_as_warnings(tmp_path: Path) -> None:
    risks = {"ok.md": risk_file("L-1"), "err.md": risk_file("L-2", impact="Hgh"), "warn.md": risk_file("L-3", x=1)}
    built = build(write_project(tmp_path, risks))
    assert built.returncode == 0, built.log  # neither level stops a build without --strict
    # MkDocs writes the level first: "ERROR   -  " and "WARNING -  ", then the plugin's name.
    assert re.search(r"^ERROR +- +risk-register: risks/err\.md:6: error: .*\[unknown-level\]$", built.log, re.M)
    assert re.search(r"^WARNING +- +risk-register: risks/warn\.md:9: warning: .*\[unknown-key\]$", built.log, re.M)
    assert not re.search(r"^WARNING .*: error: ", built.log, re.M)


def test_strict_build_fails_on_a_single_error(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, {"a.md": risk_file("E-1", status="Opne")}), strict=True)
    assert built.returncode != 0
    assert re.search(r"^ERROR +- +risk-register: risks/a\.md:8: error: ", built.log, re.M)
    assert "Aborted with 1 errors in strict mode!" in built.log  # MkDocs counts the error itself


def test_a_level_written_as_a_number_is_named(tmp_path: Path) -> None:
    risks = {"a.md": risk_file("N-1", probability=2), "b.md": risk_file("N-2", impact=7)}
    built = build(write_project(tmp_path, risks))
    assert (
        "risks/a.md:5: error: probability '2' is not a level of probability (Low, Medium, High); "
        "levels are names, not numbers: 2 is 'Medium' [unknown-level]" in built.log
    )
    assert (
        "risks/b.md:6: error: impact '7' is not a level of impact (Low, Medium, High); "
        "levels are names, not numbers: 1 is 'Low', 2 is 'Medium', 3 is 'High' [unknown-level]" in built.log
    )


def _links_to_the_problems(built_page: str, url: str) -> list[str]:
    """Where the incomplete-register note on the page at ``url`` links to, resolved against that URL."""
    notes = re.findall(
        r"The register is incomplete: 1 risk file was left out because of errors \(<a href=\"([^\"]+)\"", built_page
    )
    return [urljoin(url, href) for href in notes]


def test_every_generated_page_says_that_the_register_is_incomplete(tmp_path: Path) -> None:
    # A typo in the highest risk's file: it is left out, so the chart and the top page lack it.
    risks = {
        "top.md": risk_file("I-1", impact="Hgh"),
        "a.md": risk_file("I-2", probability="Medium"),
        "b.md": risk_file("I-3", probability="Low"),
    }
    built = build(write_project(tmp_path, risks))
    assert built.returncode == 0, built.log
    problems = "/risk-register/#risk-register-problems"
    register = built.page("risk-register/")
    assert 'id="risk-register-problems" data-risk-register-problems' in register
    # Register page: a note above the problems and one in the chart's caption, both to the list on the page.
    assert _links_to_the_problems(register, "/risk-register/") == [problems, problems]
    assert re.search(r"<figcaption>The register is incomplete: ", register)
    for url in ("risk-register/top/", "risk-register/monitoring/"):
        assert _links_to_the_problems(built.page(url), f"/{url}") == [problems], url
    # A risk page: the note under its title.
    risk_page = built.page("risk-register/I-2/")
    assert _links_to_the_problems(risk_page, "/risk-register/I-2/") == [problems]


def test_a_complete_register_says_nothing_of_the_kind(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, {"a.md": risk_file("C-1"), "b.md": risk_file("C-2", x=1)}))
    assert built.returncode == 0, built.log
    for url in ("risk-register/", "risk-register/top/", "risk-register/monitoring/", "risk-register/C-1/"):
        assert "incomplete" not in built.page(url), url  # a warning leaves no file out
