from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import Built, build, copy_example


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The project's own site (docs/ plus the example register in risks/), built once with --strict."""
    root = tmp_path_factory.mktemp("example")
    copy_example(root)
    built = build(root, strict=True)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tmp_path / "project"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many generated (property-based) cases ran; tests report them with record_property."""
    total = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "generated_cases" and getattr(report, "when", "") == "call":
                    total += int(value)
    if total:
        budget = os.environ.get("RISK_REGISTER_EXAMPLES", "the default budget")
        terminalreporter.write_line(
            f"property-based tests: {total} generated cases ran (RISK_REGISTER_EXAMPLES: {budget})"
        )
