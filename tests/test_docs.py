"""What the user guide shows works as shown: its snippets build, its messages are the real ones."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from tests.helpers import REPO, build, write_project

DOCS = REPO / "docs"


def _section(page: Path, heading: str) -> str:
    """The text of a ``## heading`` section of a docs page, up to the next section of that level."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _fences(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def test_getting_started_own_scales_builds_as_shown(tmp_path: Path) -> None:
    section = _section(DOCS / "getting-started.md", "Your own scales")
    (settings,) = _fences(section, "yaml")
    (risk,) = _fences(section, "markdown")
    plugins = yaml.safe_load(settings)["plugins"]
    write_project(tmp_path, {"RSK-001.md": risk}, theme="material", plugins=plugins)
    built = build(tmp_path, strict=True)
    assert built.returncode == 0, built.log
    (data,) = built.data()["risks"]
    # As the page says: Unlikely is the 2nd probability level and Major the 4th impact level, 2 x 4 = 8,
    # which is at least Proactive's min 5 and below Urgent's 12; Proactive reviews every 14 days.
    assert (data["score"], data["band"]) == (8, "Proactive")
    assert "This risk scores 2 × 4 = 8: Proactive, reviewed every 14 days." in section
    assert data["next_review"] == "2026-02-22"  # reviewed 2026-02-08 + 14 days
    assert "Monthly" in built.page("risk-register/monitoring/")


def test_getting_started_steps_give_the_messages_it_describes(tmp_path: Path) -> None:
    section = _section(DOCS / "getting-started.md", "Your own scales")
    (settings,) = _fences(section, "yaml")
    (risk,) = _fences(section, "markdown")
    options = yaml.safe_load(settings)["plugins"][1]["risk-register"]
    scales = {key: options[key] for key in ("probability", "impact")}
    steps = [
        (scales, "config error in 'matrix'", "`scoring: product`"),
        ({**scales, "scoring": "product"}, "config error in 'bands'", "`bands: ["),
    ]
    for plugin, error, offer in steps:
        built = build(write_project(tmp_path, {"RSK-001.md": risk}, plugin))
        assert built.returncode != 0
        assert error in built.log and offer in built.log, built.log
    numbered = risk.replace("probability: Unlikely", "probability: 2")
    built = build(
        write_project(tmp_path, {"RSK-001.md": numbered}, {**scales, "scoring": "product", "bands": options["bands"]})
    )
    assert "levels are names, not numbers: 2 is 'Unlikely'" in section
    assert "levels are names, not numbers: 2 is 'Unlikely' [unknown-level]" in built.log


def test_configuration_shows_the_real_config_errors(tmp_path: Path) -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    five = [{"name": n} for n in ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")]
    impact = [{"name": n} for n in ("Negligible", "Minor", "Moderate", "Major", "Severe")]
    for plugin, key in (({}, "matrix"), ({"scoring": "product"}, "bands")):
        built = build(write_project(tmp_path, {}, {"probability": five, "impact": impact, **plugin}))
        logged = next(line for line in built.log.splitlines() if f"config error in '{key}'" in line)
        assert f"\n{logged}\n" in page, logged


# A pip argument that names the package (with extras or a version) without saying where it comes
# from: pip would take whatever a package index has under that name.
_BY_NAME = re.compile(r"mkdocs-risk-register(\[[^\]]*\])?([=<>!~]=?\S*)?")


def test_install_lines_never_take_the_package_from_an_index() -> None:
    pages = [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
    installs = [
        (page.name, line)
        for page in pages
        for line in page.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(- run:\s*)?pip install ", line)  # a command, in a code block or a workflow step
    ]
    assert len(installs) >= 4  # README, getting started and the recipe install it
    for name, line in installs:
        arguments = shlex.split(line.split("pip install", 1)[1].split("#", 1)[0].strip(" `"))
        assert not any(_BY_NAME.fullmatch(argument) for argument in arguments), (name, line)
        for argument in arguments:
            if "git+" in argument:  # from git: pinned to a revision after the repository's URL
                assert re.fullmatch(r"mkdocs-risk-register @ git\+https://\S+\.?\S*@\S+", argument), (name, line)
