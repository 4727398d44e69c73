"""What large registers and live editing rely on: the navigation threshold, page order, the serve cache."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from mkdocs_risk_register.model import model_from_settings
from mkdocs_risk_register.register import FileCache, load_register
from tests.helpers import build, risk_file, write_project

DATE = dt.date(2026, 3, 1)


def _link(html: str, rel: str) -> str | None:
    """The href of the theme's previous/next link, None when the page has none."""
    match = re.search(rf'<a rel="{rel}" href="([^"]*)"', html)
    return match.group(1) if match else None


def test_previous_and_next_follow_the_navigation_order(tmp_path: Path) -> None:
    # Sorted by name the pages would run, index, monitoring, top; the navigation
    # shows register, top, monitoring, then the risks, and previous/next must agree with it.
    risks = {"a.md": risk_file("R-1"), "b.md": risk_file("R-2")}
    built = build(write_project(tmp_path, risks), strict=True)
    assert built.returncode == 0, built.log
    register, top = built.page("risk-register/"), built.page("risk-register/top/")
    monitoring, first = built.page("risk-register/monitoring/"), built.page("risk-register/R-1/")
    assert _link(register, "prev") == ".."
    assert _link(register, "next") == "top/"
    assert (_link(top, "prev"), _link(top, "next")) == ("../", "../monitoring/")
    assert (_link(monitoring, "prev"), _link(monitoring, "next")) == ("../top/", "../R-1/")
    assert (_link(first, "prev"), _link(first, "next")) == ("../monitoring/", "../R-2/")


def test_a_register_of_exactly_nav_risk_pages_lists_them(tmp_path: Path) -> None:
    risks = {f"r{n}.md": risk_file(f"R-{n}") for n in range(1, 4)}
    built = build(write_project(tmp_path, risks, {"nav_risk_pages": 3}), strict=True)
    assert built.returncode == 0, built.log
    home = built.page("")
    assert all(f'href="risk-register/R-{n}/"' in home for n in range(1, 4))


def test_explicit_nav_may_list_a_risk_page_and_omits_the_rest_quietly(tmp_path: Path) -> None:
    risks = {f"r{n}.md": risk_file(f"R-{n}", title=f"Risk number {n}") for n in range(1, 4)}
    nav = [{"Home": "index.md"}, {"Register": "risk-register/index.md"}, {"Watched": "risk-register/R-2.md"}]
    root = write_project(tmp_path, risks, nav=nav)
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    home = built.page("")
    assert 'href="risk-register/R-2/"' in home and "Watched" in home
    assert 'href="risk-register/R-1/"' not in home
    assert (built.site / "risk-register" / "R-3" / "index.html").is_file()
    # Risk pages left out of an explicit nav are expected, not reported one by one
    # (MkDocs still names the register's own pages the nav leaves out, here top and monitoring).
    assert "risk-register/top.md" in built.log
    assert "risk-register/R-1.md" not in built.log and "risk-register/R-3.md" not in built.log


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_serve_cache_reads_only_what_changed(tmp_path: Path) -> None:
    risks = tmp_path / "risks"
    for n in range(1, 6):
        _write(risks / f"R-{n}.md", risk_file(f"R-{n}", title=f"Title {n}"))
    model = model_from_settings({})
    cache = FileCache()

    def load() -> list[tuple[str, str]]:
        register = load_register(risks, model, base_dir=tmp_path, build_date=DATE, cache=cache)
        assert register == load_register(risks, model, base_dir=tmp_path, build_date=DATE)  # as without a cache
        return [(risk.id, risk.title) for risk in register.risks]

    assert len(load()) == 5
    assert cache.checked == 5

    assert len(load()) == 5
    assert cache.checked == 0  # nothing changed

    _write(risks / "R-2.md", risk_file("R-2", title="Renamed"))
    _write(risks / "R-4.md", risk_file("R-4", title="Title 4"))  # saved again, same bytes
    assert ("R-2", "Renamed") in load()
    assert cache.checked == 1

    (risks / "R-5.md").unlink()
    _write(risks / "sub" / "R-6.md", risk_file("R-6"))
    assert [risk_id for risk_id, _ in load()] == ["R-1", "R-2", "R-3", "R-4", "R-6"]
    assert cache.checked == 1
    assert "risks/R-5.md" not in cache.results

    other = model_from_settings({"scoring": "product"})
    register = load_register(risks, other, base_dir=tmp_path, build_date=DATE, cache=cache)
    assert cache.checked == 5  # a new model: every file again
    assert register.risks[0].score == 9  # High x High under the product scoring


def test_the_serve_cache_keeps_reporting_a_broken_file(tmp_path: Path) -> None:
    risks = tmp_path / "risks"
    _write(risks / "R-1.md", risk_file("R-1"))
    _write(risks / "R-2.md", "---\nid: R-2\ntitle: [unclosed\n---\n")
    model = model_from_settings({})
    cache = FileCache()
    for _ in range(2):
        register = load_register(risks, model, base_dir=tmp_path, build_date=DATE, cache=cache)
        assert register.left_out == ("risks/R-2.md",)
        assert [p.code for p in register.problems] == ["yaml-error"]
    assert cache.checked == 0
