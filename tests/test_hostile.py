"""Hostile and broken input: the corpus in tests/hostile/, resource limits, links, encodings.

Every file of the corpus is a regression case paired (in tests/hostile/expected.yaml)
with the diagnostics it must produce; the whole corpus also goes through a real build.
"""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from mkdocs_risk_register import loader
from mkdocs_risk_register.diagnostics import Diagnostic
from mkdocs_risk_register.model import model_from_settings
from mkdocs_risk_register.register import check_file, load_register
from tests.helpers import (
    EXTRA_CODES,
    REPO,
    SPEC_CODES,
    build,
    example_model,
    risk_file,
    table_with_header,
    write_project,
)

CORPUS = Path(__file__).parent / "hostile"
EXPECTED: dict[str, list[str]] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
CORPUS_MAX_SIZE = 16_384
LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "pure-python": loader.PureSafeLoader}


@pytest.fixture(params=list(LOADERS))
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the C loader (the default) and again with the pure-Python fallback."""
    chosen = LOADERS[request.param]
    if chosen is None:
        pytest.fail("PyYAML was installed without libyaml: the C loader is missing")
    monkeypatch.setattr(loader, "SafeLoader", chosen)
    return str(request.param)


def diagnostics_of(path: Path, tmp_path: Path, **options: int) -> list[Diagnostic]:
    """The diagnostics of one file read alone from a risks/ folder, as the build reads it."""
    risks = tmp_path / "risks"
    risks.mkdir(exist_ok=True)
    shutil.copy(path, risks / path.name)
    model = model_from_settings({})
    return list(load_register(risks, model, base_dir=tmp_path, **options).problems)


def test_every_corpus_file_has_its_expected_diagnostics() -> None:
    files = {path.name for path in CORPUS.glob("*.md")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_case(name: str, tmp_path: Path, yaml_loader: str) -> None:
    problems = diagnostics_of(CORPUS / name, tmp_path, max_file_size=CORPUS_MAX_SIZE)
    assert sorted(f"{p.line} {p.severity} {p.code}" for p in problems) == sorted(EXPECTED[name]), [
        p.format() for p in problems
    ]
    for problem in problems:
        line = problem.format()
        assert line.startswith(f"risks/{name}:{problem.line}: {problem.severity}: ")
        assert len(line.splitlines()) == 1
        assert len(line) < 400, line


def test_corpus_builds_and_lists_every_problem(tmp_path: Path) -> None:
    """The whole corpus in one real build: no traceback, every diagnostic in the log, every
    refused file named on the register page, and hostile values shown as text."""
    root = tmp_path / "project"
    write_project(root, {}, {"max_file_size": CORPUS_MAX_SIZE, "top": 30})
    shutil.copytree(CORPUS, root / "risks", dirs_exist_ok=True)
    (root / "risks" / "expected.yaml").unlink()
    built = build(root)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    lines = built.log.splitlines()
    for name, expected in EXPECTED.items():
        for item in expected:
            line, severity, code = item.split()
            prefix = f"risks/{name}:{line}: {severity}: "
            assert any(prefix in logged and logged.endswith(f"[{code}]") for logged in lines), (name, item)

    page = built.page("risk-register/")
    refused = sorted(name for name, expected in EXPECTED.items() if any(" error " in item for item in expected))
    note = re.search(r"Files left out of the register: (.*?)</p>", page)
    assert note, "the register page does not list the files left out"
    assert re.findall(r"<code>risks/([^<]+)</code>", note.group(1)) == refused

    register = table_with_header(page, "ID")
    titles = {row[0]: row[1] for row in register[1:]}
    assert titles["HOST-23"] == "<script>alert(1)</script>"
    assert "<script>alert" not in page
    mitigation = next(row[6] for row in register[1:] if row[0] == "HOST-23")
    assert mitigation == "<img src=x onerror=alert(1)> | </td></tr>"
    assert all(len(row) == 10 for row in register)
    assert titles["HOST-24"] == "تسرب البيانات 😀 דליפה"
    # Control characters are dropped; a right-to-left override is text (a browser ends its effect with the cell).
    assert titles["HOST-34"] == "red [31m alert\u202e"

    # An unclosed <div> in one body does not swallow the risks after it on the top page.
    top = built.page("risk-register/top/")
    ranked = [f"HOST-{n}" for n in (11, 12, 13, 14, 15, *range(23, 37))]
    headings = re.findall(r"<h2[^>]*>(HOST-\d+):", top)
    assert headings == ranked

    strict = build(root, strict=True, site_dir=tmp_path / "strict-site")
    assert strict.returncode == 1
    assert "Traceback" not in strict.log


def laughs(levels: int) -> bytes:
    text = "---\nid: RSK-1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for index in range(1, levels):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    return (text + "---\n").encode()


@pytest.mark.parametrize("levels", [9, 20])
def test_billion_laughs_is_refused_within_a_second(levels: int, yaml_loader: str) -> None:
    """9 levels expand to 387 million values, 20 to 10^19: refused in well under a second,
    without the memory an expansion would take."""
    model = model_from_settings({})
    tracemalloc.start()
    started = time.perf_counter()
    risk, problems = check_file("risks/laughs.md", laughs(levels), model)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert risk is None
    assert [p.code for p in problems] == ["yaml-error"]
    assert "too large" in problems[0].message
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert peak < 20 * 1024 * 1024, f"{peak:,} bytes"


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_nesting_is_refused_without_a_crash(opening: str, yaml_loader: str) -> None:
    """100,000 levels: libyaml stops at 1,000 by itself, the pure-Python loader at 64 (before, its
    recursive composer ran into Python's recursion limit after a second)."""
    block = "".join("  " * depth + "- \n" for depth in range(2_000))  # block nesting, 2,000 levels
    front = block if opening == "- " else "title: " + opening * 100_000
    started = time.perf_counter()
    risk, problems = check_file("risks/deep.md", f"---\nid: RSK-1\n{front}\n---\n".encode(), model_from_settings({}))
    elapsed = time.perf_counter() - started
    assert risk is None
    assert [p.code for p in problems] == ["yaml-error"]
    limit = 1.0 if yaml_loader == "libyaml" else 5.0  # the pure-Python scanner is slow, not unbounded
    assert elapsed < limit, f"{elapsed:.2f} s"


def test_size_limit_default_is_one_mebibyte_and_configurable(tmp_path: Path) -> None:
    one_mib = 1024 * 1024
    text = risk_file("RSK-1", body="")
    fits = text + "x" * (one_mib - len(text.encode()))
    root = write_project(tmp_path / "default", {"fits.md": fits, "over.md": fits.replace("RSK-1", "RSK-2") + "x"})
    built = build(root)
    assert built.returncode == 0, built.log
    assert re.search(
        r"risks/over\.md:1: error: file is 1,048,577 bytes, over the limit of 1,048,576 bytes "
        r"\(max_file_size\) \[file-too-large\]",
        built.log,
    ), built.log
    assert [r["id"] for r in built.data()["risks"]] == ["RSK-1"]

    raised = write_project(tmp_path / "raised", {"over.md": fits + "x"}, {"max_file_size": 2 * one_mib})
    built = build(raised, strict=True)
    assert built.returncode == 0, built.log
    assert [r["id"] for r in built.data()["risks"]] == ["RSK-1"]


def test_links_leading_outside_risks_dir_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(risk_file("SECRET-1", title="Outside secret"), encoding="utf-8")
    root = write_project(tmp_path / "project", {"ok.md": risk_file("RSK-1")})
    risks = root / "risks"
    (risks / "linked-file.md").symlink_to(outside / "secret.md")
    (risks / "linked-folder").symlink_to(outside, target_is_directory=True)
    (risks / "loop").symlink_to(risks, target_is_directory=True)  # a folder linking to itself
    built = build(root)
    assert built.returncode == 0, built.log
    assert (
        "risks/linked-file.md:1: warning: symbolic link leads outside the risks folder; not followed "
        "[symlink-outside]" in built.log
    )
    assert (
        "risks/linked-folder:1: warning: symbolic link leads outside the risks folder; not followed "
        "[symlink-outside]" in built.log
    )
    assert [r["id"] for r in built.data()["risks"]] == ["RSK-1"]
    site_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in built.site.rglob("*") if p.is_file())
    assert "SECRET-1" not in site_text and "Outside secret" not in site_text
    assert build(root, strict=True, site_dir=tmp_path / "strict").returncode == 1


def test_missing_risks_dir_is_one_configuration_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {}, {"risks_dir": "no-such-folder"})
    built = build(root)
    assert built.returncode == 1
    assert "Traceback" not in built.log
    errors = [line for line in built.log.splitlines() if "[config-error]" in line]
    assert len(errors) == 1, built.log
    assert "risks_dir" in errors[0] and "no-such-folder" in errors[0] and "does not exist" in errors[0]


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom", "bom+crlf"])
def test_line_endings_and_bom_change_nothing(variant: str) -> None:
    """The same risk with CRLF or CR-only line endings, or a BOM, reads exactly as with LF."""
    text = (REPO / "risks" / "RSK-001.md").read_bytes().replace(b"\r\n", b"\n")
    changed = text
    if "crlf" in variant:
        changed = changed.replace(b"\n", b"\r\n")
    if variant == "cr":
        changed = changed.replace(b"\n", b"\r")
    if "bom" in variant:
        changed = b"\xef\xbb\xbf" + changed
    model = example_model()  # the example's risks use its declared fields
    plain = check_file("risks/RSK-001.md", text, model)
    assert plain[0] is not None and plain[1] == []
    assert check_file("risks/RSK-001.md", changed, model) == plain


def test_tabs_after_a_colon_are_accepted_by_the_default_loader() -> None:
    """libyaml takes a tab after ``key:`` as white space (PyYAML's pure-Python scanner refuses it)."""
    data = risk_file("RSK-1").replace("title: A risk", "title:\tA risk").encode()
    risk, problems = check_file("risks/tab.md", data, model_from_settings({}))
    assert problems == []
    assert risk is not None and risk.title == "A risk"


def test_register_page_shows_a_refused_file_and_why(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {"good.md": risk_file("RSK-1"), "bad.md": b"\xff\xfe---\n"})
    built = build(root)
    page = built.page("risk-register/")
    problems = re.search(
        r"<div class=\"admonition failure\"[^>]* data-risk-register-problems>.*?</div>", page, re.DOTALL
    )
    assert problems
    assert "risks/bad.md:1" in problems.group(0) and "[encoding]" in problems.group(0)
    assert [row[0] for row in table_with_header(page, "ID")[1:]] == ["RSK-1"]


def test_every_rule_code_is_documented() -> None:
    """docs/validation.md has a section per rule code: the contract's, and those the plugin adds."""
    page = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### `([a-z-]+)`", page, re.MULTILINE)
    corpus_codes = {item.split()[2] for expected in EXPECTED.values() for item in expected}
    assert sorted(documented) == sorted({*SPEC_CODES, *EXTRA_CODES, *corpus_codes})
