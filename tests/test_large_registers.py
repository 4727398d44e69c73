"""What large registers and live editing rely on: the navigation threshold, page order, the serve cache."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import re
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation

from mkdocs_risk_register.deferred import defer
from mkdocs_risk_register.model import model_from_settings
from mkdocs_risk_register.nav import arrange
from mkdocs_risk_register.register import FileCache, load_register
from mkdocs_risk_register.views.site import SiteLayout
from mkdocs_risk_register.views.site_files import RISK_PAGE_MARKERS
from mkdocs_risk_register.views.svg import CompactChart, matrix_figure, matrix_layout
from tests.helpers import build, risk_file, write_project

DATE = dt.date(2026, 3, 1)


def _link(html: str, rel: str) -> str | None:
    """The href of the theme's previous/next link, None when the page has none."""
    match = re.search(rf'<a rel="{rel}" href="([^"]*)"', html)
    return match.group(1) if match else None


def test_previous_and_next_follow_the_navigation_order(tmp_path: Path) -> None:
    # Sorted by name the pages would run, changes, index, monitoring, top; the navigation
    # shows register, top, monitoring, changes, then the risks, and previous/next must agree with it.
    risks = {"a.md": risk_file("R-1"), "b.md": risk_file("R-2")}
    built = build(write_project(tmp_path, risks), strict=True)
    assert built.returncode == 0, built.log
    register, top = built.page("risk-register/"), built.page("risk-register/top/")
    monitoring, first = built.page("risk-register/monitoring/"), built.page("risk-register/R-1/")
    assert _link(register, "prev") == ".."
    assert _link(register, "next") == "top/"
    assert (_link(top, "prev"), _link(top, "next")) == ("../", "../monitoring/")
    changes = built.page("risk-register/changes/")
    assert (_link(monitoring, "prev"), _link(monitoring, "next")) == ("../top/", "../changes/")
    assert (_link(changes, "prev"), _link(changes, "next")) == ("../monitoring/", "../R-1/")
    assert (_link(first, "prev"), _link(first, "next")) == ("../changes/", "../R-2/")


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


def test_risk_page_charts_of_a_large_register_match_their_full_layout(tmp_path: Path) -> None:
    """Risk pages share one drawing of the compact grid and add their own risk: the same chart as laying out
    and drawing that risk's chart from scratch."""
    risks = tmp_path / "risks"
    levels = ("Low", "Medium", "High")
    for n in range(1, 161):
        chart = [round((n * 37 % 100) / 100, 2), round((n * 61 % 100) / 100, 2)] if n % 3 else None
        _write(
            risks / f"R-{n}.md",
            risk_file(
                f"R-{n}",
                probability=levels[n % 3],
                impact=levels[n // 3 % 3],
                status="Closed" if n % 10 == 0 else "Open",
                chart=chart,
            ),
        )
    register = load_register(risks, model_from_settings({}), base_dir=tmp_path, build_date=DATE)
    full = matrix_layout(register.risks, register.model)
    chart = CompactChart(matrix_layout([], register.model, counts=full.counts))
    assert len(full.markers) > RISK_PAGE_MARKERS  # a register whose risk pages draw the compact chart
    layout = SiteLayout()
    for risk in register.risks:
        href = functools.partial(layout.risk_href, risk.id)
        own = matrix_layout([risk] if risk.active else [], register.model, counts=full.counts)
        expected = matrix_figure(own, href, highlight=risk.id, full_chart_href="../", text_list=False)
        assert chart.figure(risk, href, "../") == expected, risk.id
        assert chart.figure(risk, href, "../") == expected, risk.id  # and again, from the places found


def test_generated_blocks_held_back_from_markdown_come_back_whole() -> None:
    table = "<table data-risk-register-table>\n" + "\n".join(
        f'<tr id="risk-R-{n}"><td>R-{n}</td></tr>' for n in range(200)
    )
    table += "\n</table>"
    page = f"# Risk Register\n\nSome text.\n\n{table}\n\n## After\n\nMore text.\n"
    held = defer(page)
    assert len(held.blocks) == 1 and table not in held.markdown
    assert held.markdown.startswith("# Risk Register\n\nSome text.\n\n<div ")
    assert "risk-R-0" in held.anchor_ids() and "risk-R-199" in held.anchor_ids()
    rendered = held.markdown.replace("# Risk Register", "<h1>Risk Register</h1>")
    filled, missing = held.fill(rendered)
    assert missing == 0 and table in filled and "data-risk-register-block" not in filled
    assert defer("# Small\n\n<table><tr><td>x</td></tr></table>\n").blocks == []  # small blocks stay
    last = defer(f"# Calendar\n\n{table}\n")  # a page ending with the block, and a line break
    assert last.blocks == [table] and last.markdown.endswith("></div>\n")


def test_links_to_register_rows_pass_the_anchor_check(tmp_path: Path) -> None:
    risks = {f"r{n}.md": risk_file(f"R-{n}", title=f"Risk {n} " + "long title " * 20) for n in range(1, 30)}
    root = write_project(tmp_path, risks, validation={"anchors": "warn"})
    (root / "docs" / "index.md").write_text(
        "# Home\n\nSee [the first row](risk-register/index.md#risk-R-1).\n", encoding="utf-8"
    )
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    assert 'id="risk-R-1"' in built.page("risk-register/")  # the row is in the page, with its id

    (root / "docs" / "index.md").write_text("# Home\n\n[No such row](risk-register/index.md#risk-R-99).\n")
    broken = build(root, strict=True)
    assert broken.returncode != 0 and "risk-R-99" in broken.log


def test_each_risk_is_found_by_search_on_its_own_page(tmp_path: Path) -> None:
    risks = {f"r{n}.md": risk_file(f"R-{n}", title=f"Quokka hazard {n} " + "words " * 20) for n in range(1, 30)}
    built = build(write_project(tmp_path, risks, plugins=["search", {"risk-register": {}}]), strict=True)
    assert built.returncode == 0, built.log
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {doc["location"] for doc in index["docs"] if "Quokka hazard 7 " in doc["text"] + doc["title"]}
    assert "risk-register/R-7/" in found


def test_other_plugins_see_the_whole_page_and_search_does_not_index_the_table(tmp_path: Path) -> None:
    # A hook (a plugin of the project's own) records what each finished page holds, as a
    # minifier or a link checker would see it, from its on_post_page.
    hook = (
        "import json, pathlib, re\n"
        "seen = {}\n"
        "def on_post_page(output, page, config, **kwargs):\n"
        "    seen[page.file.src_uri] = {\n"
        "        'placeholders': output.count('data-risk-register-block'),\n"
        "        'table_rows': len(re.findall('<tr [^>]*id=\"risk-', output)),\n"
        "        'charts': output.count('<svg'),\n"
        "    }\n"
        "def on_post_build(config, **kwargs):\n"
        "    pathlib.Path(config.config_file_path).with_name('seen.json').write_text(json.dumps(seen))\n"
    )
    risks = {f"r{n}.md": risk_file(f"R-{n}", title=f"Wombat hazard {n} " + "words " * 30) for n in range(1, 30)}
    root = write_project(tmp_path, risks, plugins=["search", {"risk-register": {}}], hooks=["hook.py"])
    (root / "hook.py").write_text(hook, encoding="utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    seen = json.loads((root / "seen.json").read_text(encoding="utf-8"))
    assert seen["risk-register/index.md"] == {"placeholders": 0, "table_rows": 29, "charts": 1}
    assert seen["risk-register/R-3.md"] == {"placeholders": 0, "table_rows": 0, "charts": 1}
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    register_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("risk-register/#"))
    register_text += " ".join(doc["text"] for doc in index["docs"] if doc["location"] == "risk-register/")
    assert "Risk Register" in " ".join(doc["title"] for doc in index["docs"] if doc["location"] == "risk-register/")
    assert "Wombat hazard" not in register_text  # the table's rows are found on the risks' own pages
    # The review calendar too: it is held back like the register table (it was not, since views became elements).
    assert seen["risk-register/monitoring.md"]["placeholders"] == 0
    assert "Wombat hazard 3 " in built.page("risk-register/monitoring/")
    calendar_docs = [doc for doc in index["docs"] if doc["location"].startswith("risk-register/monitoring/")]
    calendar_text = " ".join(doc["text"] for doc in calendar_docs)
    assert "Risk Monitoring Schedule" in " ".join(doc["title"] for doc in index["docs"])
    assert "Wombat hazard" not in calendar_text


def test_a_dirty_build_renders_the_changed_risk_page_on_demand(tmp_path: Path) -> None:
    # A --dirty build reads only changed pages, so risk pages are rendered when MkDocs asks.
    risks = {f"r{n}.md": risk_file(f"R-{n}", title=f"Title {n}") for n in range(1, 4)}
    root = write_project(tmp_path, risks)
    assert build(root, strict=True).returncode == 0
    changed = root / "risks" / "r2.md"
    changed.write_text(risk_file("R-2", title="Renamed two"), encoding="utf-8")
    later = time.time() + 10  # MkDocs rebuilds a page whose source is newer than its output
    os.utime(changed, (later, later))
    built = build(root, dirty=True)  # MkDocs itself warns of every --dirty build
    assert built.returncode == 0, built.log
    warnings = [line for line in built.log.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "'dirty' build" in warnings[0], built.log
    page = built.page("risk-register/R-2/")
    assert "Renamed two" in page and 'class="risk-matrix"' in page and "data-risk-register-block" not in page
    assert "Renamed two" in built.page("risk-register/")  # the register's own pages are always rebuilt
    assert "Title 1" in built.page("risk-register/R-1/")  # an unchanged risk's page is kept as it was


def test_arranging_the_nav_takes_linear_time(tmp_path: Path) -> None:
    """10,000 risk pages in the nav: ordered as the register orders them, previous/next chained, fast.

    The old arrange rebuilt a set of all 10,000 pages for each of the 10,000 pages (seconds);
    a linear one takes milliseconds.
    """
    config = MkDocsConfig()
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path)})
    failed, _ = config.validate()
    assert not failed
    main = ["risk-register/index.md", "risk-register/top.md", "risk-register/monitoring.md"]
    # The register's order (natural: R-2 before R-10), not the files' (R-10 before R-2).
    risks = [f"risk-register/R-{n}.md" for n in range(1, 10_001)]
    sources = ["index.md", *reversed(main), *sorted(risks)]
    files = Files([File(src, str(tmp_path), str(tmp_path / "site"), use_directory_urls=True) for src in sources])
    nav = get_navigation(files, config)
    start = time.perf_counter()
    arrange(nav, main, risks)
    elapsed = time.perf_counter() - start
    _home, section = nav.items
    assert section.title == "Risk Register"
    *generated, subsection = section.children
    assert [page.file.src_uri for page in generated] == main
    assert subsection.title == "Risks"
    assert [page.file.src_uri for page in subsection.children] == risks
    in_order = [page.file.src_uri for page in nav.pages]
    assert in_order == ["index.md", *main, *risks]
    assert all(a.next_page is b and b.previous_page is a for a, b in itertools.pairwise(nav.pages))
    assert elapsed < 1.0, f"{elapsed:.2f} s"
