"""Instructions of a whole ``mkdocs build`` of a generated register, counted by valgrind.

    python benchmarks/build_instructions.py --risks 1000
    python benchmarks/build_instructions.py --risks 1000 --python /path/to/old-checkout/.venv/bin/python

Wall and CPU time on a shared machine vary by a fifth or more from one run to
the next, which hides a change of a few percent. callgrind counts the
instructions the CPU runs: the same on every run of the same code and input.
This builds the project that ``build_bench.py`` builds (Material, ``search``
and the plugin, N risks from ``generate.py``) under ``valgrind
--tool=callgrind``, once with each interpreter given (each its own checkout's
virtual environment, so the same register is built by two versions of the
plugin), and prints the totals and their ratio to the first. Imports and
MkDocs' own work are included, as in a user's build.

Bytecode compiled first, as an installed package has it: pip compiles what it
installs into site-packages, but the plugin is an editable install in each
checkout, and with ``PYTHONDONTWRITEBYTECODE=1`` (as on the development
machine) every build would compile the plugin's source again (about half a
billion instructions at 560 KB of source), which a user's build does not do.
So, for each interpreter, the script first compiles that interpreter's own
copy of the package (``python -m compileall``), and runs the compiling and
the measured build without ``PYTHONDONTWRITEBYTECODE``, as a user's
environment is (:func:`bytecode_compiled`); the build then reads the cache.

Needs valgrind (Debian's package); slow: a build runs about 50 times slower,
some 8 minutes for 1,000 risks.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from build_bench import make_plugin_project


def bytecode_compiled(python: str) -> dict[str, str]:
    """Compile the plugin package that ``python`` imports, as installing it would; return the environment
    (this one without ``PYTHONDONTWRITEBYTECODE``) in which ``python`` uses that bytecode.

    Each checkout's interpreter has its own package folder (an editable install): it is asked where.
    Timestamp-checked bytecode, as pip writes it (``SOURCE_DATE_EPOCH`` would make it hash-checked).
    """
    environment = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "SOURCE_DATE_EPOCH")
    }
    where = "import mkdocs_risk_register, os; print(os.path.dirname(mkdocs_risk_register.__file__))"
    package = subprocess.run(
        [python, "-c", where], capture_output=True, text=True, env=environment, check=True
    ).stdout.strip()
    subprocess.run(
        [python, "-m", "compileall", "-q", "--invalidation-mode", "timestamp", package], env=environment, check=True
    )
    return environment


def instructions(python: str, project: Path) -> int:
    """Instructions of one ``mkdocs build`` of ``project`` run by ``python`` under callgrind, the plugin's
    bytecode compiled first (:func:`bytecode_compiled`)."""
    out = project / "callgrind.out"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, "-m", "mkdocs", "build", "-q"]
    # A fixed build date: the same pages on every run (reviews are due relative to it).
    environment = {**bytecode_compiled(python), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1772323200"}
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, check=False)
    out.unlink(missing_ok=True)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or match is None:
        raise SystemExit(f"the build under valgrind failed:\n{result.stderr[-3000:]}")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--theme", default="material")
    parser.add_argument(
        "--python", action="append", default=[], help="an interpreter to build with (repeat; default: this one)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    # Absolute, not resolved: a virtual environment's python is a link that must stay itself.
    pythons = [os.path.abspath(python) for python in args.python or [sys.executable]]
    with tempfile.TemporaryDirectory(prefix="risk-build-instructions-") as folder:
        project = Path(folder) / "project"
        make_plugin_project(project, args.risks, args.theme, {})
        first = 0
        print(f"{args.risks} risks, theme {args.theme}")
        for python in pythons:
            count = instructions(python, project)
            first = first or count
            print(f"{count / 1e9:8.2f} G instructions  {count / first:6.3f}  {python}")


if __name__ == "__main__":
    main()
