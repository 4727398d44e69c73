"""The plugin inside real MkDocs builds: navigation, configuration errors, links, options."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.helpers import build, html_tables, risk_file, table_with_header, write_project

TWO_RISKS = {"a.md": risk_file("R-1", title="First"), "b.md": risk_file("R-2", title="Second", status="Closed")}


def test_without_nav_pages_appear_under_a_risk_register_section(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS), strict=True)
    assert built.returncode == 0, built.log
    page = built.page("")
    nav_text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Risk Register" in nav_text
    assert (
        nav_text.index("Risk Register")
        < nav_text.index("Top Risk — Detailed Analysis")
        < nav_text.index("Risk Monitoring")
    )
    assert 'href="risk-register/R-1/"' in page
    assert not (tmp_path / "docs" / "risk-register").exists()  # nothing written into docs/


@pytest.mark.parametrize(
    ("top", "active", "expected"),
    [
        (3, 5, ("Top 3 Risks — Detailed Analysis", "Top 3 risks")),
        (100, 5, ("Top 5 Risks — Detailed Analysis", "Top 5 risks")),
        (1, 5, ("Top Risk — Detailed Analysis", "Top risk")),
        (5, 0, ("Top Risks — Detailed Analysis", "Top risks")),
    ],
)
def test_the_top_page_is_named_for_the_risks_it_shows(
    tmp_path: Path, top: int, active: int, expected: tuple[str, str]
) -> None:
    title, link = expected
    risks = {f"r{n}.md": risk_file(f"R-{n}", status="Open" if n <= active else "Closed") for n in range(1, 6)}
    built = build(write_project(tmp_path, risks, {"top": top}), strict=True)
    assert built.returncode == 0, built.log
    assert re.search(r"<h1[^>]*>(.*?)</h1>", built.page("risk-register/top/")).group(1) == title
    assert f'<a href="top/">{link}</a>' in built.page("risk-register/")


def test_without_monitoring_rows_the_monitoring_page_has_no_schedule(tmp_path: Path) -> None:
    # The reference's rows ("Gateway milestones", "Project lead") are that project's, not a new site's.
    built = build(write_project(tmp_path, TWO_RISKS), strict=True)
    assert built.returncode == 0, built.log
    page = built.page("risk-register/monitoring/")
    assert "Gateway milestones" not in page and "Project lead" not in page
    headers = [table[0][0] for table in html_tables(page)]
    assert "Frequency" not in headers and {"Status", "ID"} <= set(headers)  # statuses and review calendar stay
    assert "No monitoring activities are configured." in page


def test_monitoring_rows_are_the_ones_configured(tmp_path: Path) -> None:
    rows = [{"frequency": "Quarterly", "activity": "Board review", "participants": "Board", "output": "Minutes"}]
    built = build(write_project(tmp_path, TWO_RISKS, {"monitoring": rows}), strict=True)
    assert built.returncode == 0, built.log
    page = built.page("risk-register/monitoring/")
    assert table_with_header(page, "Frequency") == [
        ["Frequency", "Activity", "Participants", "Output"],
        ["Quarterly", "Board review", "Board", "Minutes"],
    ]


def test_large_register_keeps_risk_pages_out_of_the_nav(tmp_path: Path) -> None:
    risks = {f"r{n}.md": risk_file(f"R-{n}") for n in range(1, 4)}
    built = build(write_project(tmp_path, risks, {"nav_risk_pages": 2}), strict=True)
    assert built.returncode == 0, built.log
    assert 'href="risk-register/R-1/"' not in built.page("")
    assert (built.site / "risk-register" / "R-3" / "index.html").is_file()


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ({"matrix": {"High": [7, 8], "Medium": [4, 6, 7], "Low": [1, 4, 5]}}, "'matrix.High'"),
        ({"matrix": {"High": [7, 8, 9], "Medium": [4, 6, 7]}}, "'matrix.Low'"),
        ({"bands": [{"name": "Hot", "min": 5}]}, "'bands': score 1 can be reached but falls in no band"),
        ({"bands": [{"name": "A", "min": 1}, {"name": "B", "min": 4}]}, "'bands[1].min'"),
        ({"risks_dir": "nowhere"}, "'risks_dir': folder 'nowhere' does not exist"),
        ({"statuses": [{"name": "Open"}, {"name": "open"}]}, "'statuses[1].name'"),
        (
            {"statuses": [{"name": True}]},  # `name: On` in mkdocs.yml
            "'statuses[0].name': expected text, got true (YAML reads On, Off, Yes and No as true or false: "
            "put the text in quotes)",
        ),
    ],
)
def test_configuration_errors_stop_the_build_naming_the_key(
    tmp_path: Path, plugin: dict[str, object], message: str
) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, plugin))
    assert built.returncode != 0
    assert message in built.log
    assert "[config-error]" in built.log
    assert "Traceback" not in built.log


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (
            {"scoring": "prodcut"},
            "option 'scoring': expected one of product, sum, matrix, got 'prodcut'; did you mean 'product'?",
        ),
        ({"scoring": "average"}, "option 'scoring': expected one of product, sum, matrix, got 'average'"),
        ({"top": "many"}, "option 'top': expected a whole number, got 'many'"),
        ({"top": True}, "option 'top': expected a whole number, got true"),
        ({"categories": "Tech"}, "option 'categories': expected a list, got 'Tech'"),
    ],
)
def test_options_of_the_wrong_kind_are_named_in_words(tmp_path: Path, plugin: dict[str, object], message: str) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, plugin))
    assert built.returncode != 0
    assert message in built.log
    assert "<class" not in built.log
    assert "Traceback" not in built.log


def test_a_malformed_source_date_epoch_stops_the_build_with_one_line(tmp_path: Path) -> None:
    root = write_project(tmp_path, TWO_RISKS)
    built = build(root, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert built.returncode != 0
    assert (
        "risk-register: config error in 'SOURCE_DATE_EPOCH': the environment variable must be a whole number "
        "of seconds since 1970-01-01 UTC, got 'yesterday' [config-error]" in built.log
    )
    assert "Traceback" not in built.log
    checked = run_cli("check", cwd=root, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert checked.returncode == 1
    assert checked.lines[0] == (
        "mkdocs.yml:1: error: config error in 'SOURCE_DATE_EPOCH': the environment variable must be a whole number "
        "of seconds since 1970-01-01 UTC, got 'yesterday' [config-error]"
    )


def test_a_misspelt_option_names_the_likely_one(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, {"tpo": 3}))
    assert built.returncode == 0
    assert "option 'tpo': Unrecognised configuration name: tpo; did you mean 'top'?" in built.log


def test_categories_restrict_the_category(tmp_path: Path) -> None:
    risks = {"a.md": risk_file("R-1", category="Securty"), "b.md": risk_file("R-2", category="technical")}
    built = build(write_project(tmp_path, risks, {"categories": ["Security", "Technical"]}))
    assert (
        "risks/a.md:4: error: category 'Securty' is not one of the configured categories; "
        "did you mean 'Security'? [unknown-category]" in built.log
    )
    assert [(r["id"], r["category"]) for r in built.data()["risks"]] == [("R-2", "Technical")]


def test_related_issue_references_link_to_the_repository(tmp_path: Path) -> None:
    risks = {"a.md": risk_file("R-1", related=["#12", "https://example.org/x", "ADR-3"])}
    built = build(write_project(tmp_path, risks, repo_url="https://github.com/acme/app"), strict=True)
    page = built.page("risk-register/R-1/")
    assert '<a href="https://github.com/acme/app/issues/12">#12</a>' in page
    assert '<a href="https://example.org/x">https://example.org/x</a>' in page
    assert "ADR-3" in page


def test_top_zero_turns_the_top_page_off(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, {"top": 0}), strict=True)
    assert built.returncode == 0, built.log
    assert not (built.site / "risk-register" / "top").exists()
    assert "Top 0" not in built.page("risk-register/")


def test_prefix_moves_the_generated_pages(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, {"prefix": "risks/register"}), strict=True)
    assert built.returncode == 0, built.log
    assert (built.site / "risks" / "register" / "risks.json").is_file()
    assert "R-1" in built.page("risks/register/R-1/")


def test_without_directory_urls_links_point_at_html_files(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS, use_directory_urls=False), strict=True)
    assert built.returncode == 0, built.log
    register = (built.site / "risk-register" / "index.html").read_text(encoding="utf-8")
    assert '<a href="R-1.html">R-1</a>' in register
    monitoring = (built.site / "risk-register" / "monitoring.html").read_text(encoding="utf-8")
    assert '<a href="R-1.html">R-1</a>' in monitoring


def test_inactive_risk_page_says_it_is_not_ranked(tmp_path: Path) -> None:
    built = build(write_project(tmp_path, TWO_RISKS), strict=True)
    page = built.page("risk-register/R-2/")
    assert "not ranked (status Closed is not tracked)" in page
    assert built.data()["risks"][1]["rank"] is None


def test_a_risks_dir_inside_docs_dir_publishes_each_risk_once(tmp_path: Path) -> None:
    write_project(tmp_path, TWO_RISKS, {"risks_dir": "docs/risks"})
    shutil.move(tmp_path / "risks", tmp_path / "docs" / "risks")
    (tmp_path / "docs" / "risks" / "index.md").write_text("# About our risks\n", encoding="utf-8")  # not a risk
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    assert (built.site / "risk-register" / "R-1" / "index.html").is_file()
    # The risk files themselves are not pages: no risks/a/ page, no link to one in the navigation.
    assert not (built.site / "risks" / "a").exists() and not (built.site / "risks" / "b").exists()
    home = built.page("")
    assert 'href="risks/a/"' not in home and 'href="risks/b/"' not in home
    assert home.count('href="risk-register/R-1/"') == 1  # the register's own page, once in the navigation
    # Other pages in the folder are MkDocs' as usual.
    assert "About our risks" in built.page("risks/")


def test_risk_files_at_the_paths_of_their_own_pages_are_replaced_silently(tmp_path: Path) -> None:
    # risks_dir is the generated pages' folder: docs/risk-register/R-1.md is a risk file and the page's path.
    write_project(tmp_path, {"R-1.md": risk_file("R-1", title="First")}, {"risks_dir": "docs/risk-register"})
    shutil.move(tmp_path / "risks", tmp_path / "docs" / "risk-register")
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    assert "has the path of a generated page" not in built.log
    assert "data-risk-summary" in built.page("risk-register/R-1/")


def test_a_new_site_does_not_speak_of_the_reference_register(tmp_path: Path) -> None:
    # "The reference register" is the sample this project reproduces; a reader of another site has never seen it.
    built = build(write_project(tmp_path, TWO_RISKS), strict=True)
    assert built.returncode == 0, built.log
    for url in ("risk-register/", "risk-register/top/", "risk-register/monitoring/", "risk-register/R-1/"):
        assert "reference" not in built.page(url).lower(), url
