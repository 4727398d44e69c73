"""Run the ``mkdocs`` command line with the risk-register plugin's own time measured.

    python benchmarks/timed_build.py STATS.json build -f mkdocs.yml -d site

Every ``on_*`` event of the plugin (and the core's ``load_register`` inside it) is
wrapped in a timer, and so are three phases of MkDocs' own build: finding the
files in docs_dir, reading and converting each page's Markdown, and rendering
each page with the theme. The totals are written to STATS.json when MkDocs is
done, with the time Python's garbage collector ran in all (``gc_total``) and while
a plugin event ran (``gc_in_plugin``): a collection is triggered by whatever
allocates next, but its cost grows with every object MkDocs holds.
build_bench.py runs both builds (with and without the plugin) this way.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.__main__ import cli

import mkdocs_risk_register.plugin as plugin_module

# MkDocs' phases, as named in mkdocs.commands.build.
MKDOCS_PHASES = {"get_files": "mkdocs_get_files", "_populate_page": "mkdocs_markdown", "_build_page": "mkdocs_theme"}


class Clock:
    """Totals by name, and whether a plugin event is running (for the garbage collector's share)."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {"gc_total": 0.0, "gc_in_plugin": 0.0}
        self.in_plugin = 0
        self.gc_start = 0.0

    def count_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.gc_start = time.perf_counter()
            return
        spent = time.perf_counter() - self.gc_start
        self.totals["gc_total"] += spent
        if self.in_plugin:
            self.totals["gc_in_plugin"] += spent


clock = Clock()
totals = clock.totals


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    plugin_event = name.startswith("on_")

    @functools.wraps(function)  # keeps MkDocs' event priority attribute too
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        clock.in_plugin += plugin_event
        try:
            return function(*args, **kwargs)
        finally:
            clock.in_plugin -= plugin_event
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def instrument() -> None:
    plugin_class = plugin_module.RiskRegisterPlugin
    for name, value in list(vars(plugin_class).items()):
        if name.startswith("on_") and callable(value):
            setattr(plugin_class, name, timed(name, value))
    # Loading (discover, read, parse, validate, score) is reported apart from rendering.
    if hasattr(plugin_module, "load_register"):
        plugin_module.load_register = timed("load_register", plugin_module.load_register)  # type: ignore[attr-defined]
    for function, name in MKDOCS_PHASES.items():
        setattr(mkdocs_build, function, timed(name, getattr(mkdocs_build, function)))
    gc.callbacks.append(clock.count_gc)


def main() -> int:
    stats_path, args = sys.argv[1], sys.argv[2:]
    instrument()
    code = 0
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except Exception as error:  # report, and still write the stats
        print(f"build failed: {error!r}", file=sys.stderr)
        code = 1
    with open(stats_path, "w", encoding="utf-8") as stats:
        json.dump(totals, stats)
    return code


if __name__ == "__main__":
    sys.exit(main())
