"""Run the ``mkdocs`` command line with the risk-register plugin's own time measured.

    python benchmarks/timed_build.py STATS.json build -f mkdocs.yml -d site

Every ``on_*`` event of the plugin (and the core's ``load_register`` inside it) is
wrapped in a timer; the totals are written to STATS.json when MkDocs is done.
Used by build_bench.py for both builds (with and without the plugin), so both
pay the same wrapper cost: none at all for the build without the plugin.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from mkdocs.__main__ import cli

import mkdocs_risk_register.plugin as plugin_module

totals: dict[str, float] = {}


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
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
