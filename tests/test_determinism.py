"""Reproducible builds: the same input gives the same bytes, whatever the order of the files."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mkdocs_risk_register import loader
from mkdocs_risk_register.register import load_register
from mkdocs_risk_register.views.site import SiteLayout
from mkdocs_risk_register.views.site_files import generate_site
from tests.helpers import FIXED_EPOCH, REPO, Built, build, example_model


def copy_example(root: Path, *, reverse: bool = False) -> Path:
    """mkdocs.yml, docs/ and risks/ of the project; risk files created in reverse order on request."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    sources = sorted((REPO / "risks").rglob("*"), reverse=reverse)
    (root / "risks").mkdir()
    for source in sources:
        target = root / "risks" / source.relative_to(REPO / "risks")
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return root


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    found = sorted(set(first) ^ set(second))
    found += [name for name in sorted(set(first) & set(second)) if first[name] != second[name]]
    return found


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built]:
    """The example register built twice: once as is, once from a copy in another folder whose
    risk files were created in reverse order, each into its own site folder."""
    base = tmp_path_factory.mktemp("determinism")
    first = build(copy_example(base / "first"), strict=True, site_dir=base / "site-one")
    second = build(copy_example(base / "second copy", reverse=True), strict=True, site_dir=base / "site-two")
    assert first.returncode == 0, first.log
    assert second.returncode == 0, second.log
    return first, second


def test_two_builds_are_byte_identical(two_builds: tuple[Built, Built]) -> None:
    first, second = (site_files(built.site) for built in two_builds)
    assert differences(first, second) == []
    # What the comparison covered: every generated page, the data files and the search index.
    for name in (
        "risk-register/index.html",
        "risk-register/top/index.html",
        "risk-register/monitoring/index.html",
        "risk-register/RSK-001/index.html",
        "risk-register/risks.json",
        "risk-register/risks.csv",
        "search/search_index.json",
        "sitemap.xml",
        "sitemap.xml.gz",
    ):
        assert name in first, name


def test_sitemap_dates_come_from_source_date_epoch(two_builds: tuple[Built, Built]) -> None:
    """MkDocs stamps sitemap.xml.gz's gzip header (and the sitemap's dates, when site_url is set)
    with SOURCE_DATE_EPOCH, as the register does: so even the compressed file is identical."""
    built = two_builds[0]
    packed = (built.site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == int(FIXED_EPOCH)
    sitemap = (built.site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) <= {"2026-03-01"}


def walk_shuffled(seed: int) -> object:
    """os.walk listing each folder's files and subfolders in a shuffled order."""
    real_walk = os.walk

    def walk(top: object, *args: object, **kwargs: object) -> Iterator[tuple[str, list[str], list[str]]]:
        shuffler = random.Random(seed)
        for directory, subdirs, filenames in real_walk(top, *args, **kwargs):  # type: ignore[call-overload]
            shuffler.shuffle(subdirs)
            shuffler.shuffle(filenames)
            yield directory, subdirs, filenames

    return walk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_listing_order_never_changes_the_output(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system may list files in any order: with duplicates and subfolders in play,
    the generated pages, JSON and CSV stay the same."""
    risks = tmp_path / "risks"
    shutil.copytree(REPO / "risks", risks)
    (risks / "more").mkdir()
    # The same id twice: the file that comes first by path must be kept, whatever the listing.
    shutil.copy(risks / "RSK-003.md", risks / "more" / "RSK-003-copy.md")
    shutil.copy(risks / "RSK-004.md", risks / "A-first.md")
    model = example_model()  # the example's risks use its declared fields
    date = dt.date(2026, 3, 1)

    def generated() -> dict[str, str]:
        register = load_register(risks, model, base_dir=tmp_path, build_date=date)
        return dict(generate_site(register, SiteLayout()).all_files())

    expected = generated()
    monkeypatch.setattr(loader.os, "walk", walk_shuffled(seed))
    shuffled = generated()
    assert shuffled == expected
    problems = json.loads(expected["risk-register/risks.json"])["problems"]
    assert [(p["path"], p["code"]) for p in problems] == [
        ("risks/RSK-004.md", "duplicate-id"),
        ("risks/more/RSK-003-copy.md", "duplicate-id"),
    ]


def test_build_date_follows_source_date_epoch(tmp_path: Path) -> None:
    """Dates in the register come from SOURCE_DATE_EPOCH: a later epoch makes a risk overdue."""
    root = copy_example(tmp_path / "project")
    dates = {}
    for epoch, day in (("1770681600", "2026-02-10"), ("1772323200", "2026-03-01")):
        built = build(root, env={"SOURCE_DATE_EPOCH": epoch}, site_dir=tmp_path / day)
        assert built.returncode == 0, built.log
        data = built.data()
        assert data["build_date"] == day
        assert f"computed on {day}" in built.page("risk-register/")
        dates[day] = data
    # RSK-012 (Medium probability, Low impact: score 4, Proactive, reviewed every 7 days) was
    # reviewed 2026-02-08, so it is due 2026-02-15: not yet on 2026-02-10, overdue on 2026-03-01.
    early = {r["id"]: r for r in dates["2026-02-10"]["risks"]}["RSK-012"]
    late = {r["id"]: r for r in dates["2026-03-01"]["risks"]}["RSK-012"]
    assert (early["next_review"], early["overdue"]) == ("2026-02-15", False)
    assert (late["next_review"], late["overdue"]) == ("2026-02-15", True)
