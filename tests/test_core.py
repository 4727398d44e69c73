"""Fast unit tests of the pure core: no MkDocs involved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mkdocs_risk_register import ConfigError, load_register, model_from_settings
from mkdocs_risk_register.loader import parse_file, parse_front_matter
from mkdocs_risk_register.naming import natural_key
from mkdocs_risk_register.register import build_date_from_env
from tests.helpers import risk_file


def test_natural_order() -> None:
    ids = ["X-10", "X-2", "X-02", "X-1", "A-100", "X-1a"]
    assert sorted(ids, key=natural_key) == ["A-100", "X-1", "X-1a", "X-02", "X-2", "X-10"]


def test_default_model_reproduces_reference_matrix() -> None:
    model = model_from_settings({})
    low, medium, high = model.probability.levels
    i_low, i_medium, i_high = model.impact.levels
    assert [model.score(p, i_high) for p in (low, medium, high)] == [7, 8, 9]
    assert [model.score(p, i_medium) for p in (low, medium, high)] == [4, 6, 7]
    assert [model.score(p, i_low) for p in (low, medium, high)] == [1, 4, 5]
    assert [model.band_for(s).name for s in (9, 7, 6, 4, 3, 1)] == [
        "Urgent",
        "Urgent",
        "Proactive",
        "Proactive",
        "Accept",
        "Accept",
    ]


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"scoring": "median"}, "scoring"),
        ({"probability": []}, "probability"),
        ({"probability": [{"name": "A"}, {"name": "a"}]}, "probability[1].name"),
        ({"matrix": {"High": [1, 2, 3], "Medium": [1, 2, 3], "Low": [1, 2, 3], "Huge": [1, 2, 3]}}, "matrix.Huge"),
        ({"bands": [{"name": "A"}]}, "bands[0].min"),
        ({"bands": [{"name": "A", "min": 1, "colour": "red"}]}, "bands[0].colour"),
        ({"statuses": [{"name": "Open", "active": "yes"}]}, "statuses[0].active"),
        ({"chart": {"quadrants": ["a", "b"]}}, "chart.quadrants"),
        ({"id_pattern": "("}, "id_pattern"),
        ({"top": -1}, "top"),
    ],
)
def test_configuration_errors_name_the_key(settings: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        model_from_settings(settings)
    assert raised.value.key == key
    assert raised.value.format().startswith(f"risk-register: config error in '{key}': ")


def test_key_lines_count_the_opening_fence_as_line_one() -> None:
    text = "---\nid: R-1\n\ntitle: >\n  folded\n  title\nstatus: Open\n---\nbody\n"
    parsed, problems = parse_file("r.md", text.encode())
    assert parsed is not None and problems == []
    assert {k: v.line for k, v in parsed.fields.items()} == {"id": 2, "title": 4, "status": 7}
    assert parsed.fields["title"].value == "folded title\n"
    assert parsed.body == "body\n"


def test_bom_crlf_and_dots_closing_line_are_accepted() -> None:
    parsed, problems = parse_file("r.md", b"\xef\xbb\xbf---  \r\nid: R-1\r\n...\r\nbody\r\n")
    assert parsed is not None and problems == []
    assert parsed.fields["id"].value == "R-1"
    assert parsed.body == "body\n"


def test_duplicate_keys_are_reported() -> None:
    parsed, problems = parse_file("r.md", b"---\nid: R-1\nid: R-2\n---\n")
    assert parsed is not None
    assert parsed.fields["id"].value == "R-2"
    assert [(p.line, p.code) for p in problems] == [(3, "duplicate-key")]


def test_discovery_skips_private_readme_and_non_markdown(tmp_path: Path) -> None:
    risks = tmp_path / "risks"
    for name in (
        "a.md",
        "B.MD",
        "_draft.md",
        ".hidden.md",
        "README.md",
        "index.md",
        "notes.txt",
        "_private/c.md",
        "group/d.md",
    ):
        path = risks / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(risk_file(f"R-{len(list(risks.rglob('*')))}"), encoding="utf-8")
    register = load_register(risks, model_from_settings({}), base_dir=tmp_path, build_date=dt.date(2026, 1, 1))
    assert sorted(r.source for r in register.risks) == ["risks/B.MD", "risks/a.md", "risks/group/d.md"]


def test_build_date_comes_from_source_date_epoch() -> None:
    assert build_date_from_env({"SOURCE_DATE_EPOCH": "1772323200"}) == dt.date(2026, 3, 1)
    assert build_date_from_env({}) == dt.datetime.now(dt.timezone.utc).date()
    for malformed in ("garbage", "", " ", "1.5"):
        with pytest.raises(ConfigError) as raised:
            build_date_from_env({"SOURCE_DATE_EPOCH": malformed})
        assert raised.value.key == "SOURCE_DATE_EPOCH"


def test_front_matter_values_by_hand() -> None:
    front = (
        "id: RSK-7\n"
        "title: 1984\n"
        "status: On\n"
        'related: ["#34", x]\n'
        "chart: [0.70, 0.85]\n"
        "reviewed: 2026-02-30\n"
        "owner:\n"
        "- Data Team\n"
        "- 'Ops'\n"
        "mitigation: first line\n"
        "  second line\n"
        "score:\n"
        "id: RSK-8\n"
    )
    result = parse_front_matter("r.md", front)
    assert isinstance(result, tuple)
    fields, warnings = result
    assert (fields["title"].value, fields["title"].source_text) == (1984, "1984")
    assert (fields["status"].value, fields["status"].source_text) == (True, "On")
    assert fields["related"].value == ["#34", "x"]
    assert fields["chart"].value == [0.7, 0.85]
    assert fields["reviewed"].value == "2026-02-30"
    assert fields["owner"].value == ["Data Team", "Ops"]
    assert fields["owner"].line == 8
    assert fields["mitigation"].value == "first line second line"
    assert (fields["score"].value, fields["score"].line) == (None, 13)
    assert fields["id"].value == "RSK-8"
    assert [w.line for w in warnings] == [14]
