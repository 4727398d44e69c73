"""Instructions spent loading a register (read, parse, validate, score), counted by valgrind.

    python benchmarks/load_instructions.py --sizes 100 1000 10000

Wall time on a shared machine varies by a third from one run to the next;
callgrind counts the instructions the CPU runs, which are the same on every run
of the same code and input. Each size runs ``load_register`` in a fresh Python
process under ``valgrind --tool=callgrind``, and so does an empty baseline (the
imports alone); the difference, per risk, is flat when loading grows linearly.
Needs valgrind (Debian's package); slow: about a minute per 10,000 risks.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import write_register

LOAD = """
import sys
from pathlib import Path
from mkdocs_risk_register.model import model_from_settings
from mkdocs_risk_register.register import load_register
model = model_from_settings({})
if len(sys.argv) > 1:
    load_register(Path(sys.argv[1]), model, base_dir=Path(sys.argv[1]).parent)
"""


def instructions(work: Path, *args: str) -> int:
    """Instructions of one Python run of LOAD under callgrind."""
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work / 'callgrind.out'}"]
    command += [sys.executable, "-c", LOAD, *args]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if match is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{result.stderr}")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="risk-load-") as folder:
        work = Path(folder)
        baseline = instructions(work)
        print(f"baseline (imports, no register): {baseline / 1e6:,.0f} M instructions")
        print(f"{'N':>7} | {'load, M instructions':>20} | {'k instructions/risk':>19}")
        for count in args.sizes:
            risks = work / f"n{count}" / "risks"
            write_register(risks, count)
            spent = instructions(work, str(risks)) - baseline
            print(f"{count:>7} | {spent / 1e6:>20,.0f} | {spent / count / 1e3:>19,.0f}")


if __name__ == "__main__":
    main()
