"""Spreadsheets: import a 10,000-row XLSX register into an empty folder, then export it again.

    .venv/bin/python benchmarks/sheets_bench.py [--count 10000] [--runs 3]

A register of N generated risks (generate.py) is exported to XLSX once to make the
input; then, in a subprocess each, as a user runs them:

- **import**: ``risk-register import register.xlsx`` into an empty risks folder;
- **export**: ``risk-register export --format xlsx`` of the imported register.

The target is under 10 s each way for 10,000 rows. Prints the median of the runs,
the machine's load (``uptime``) and the workbook's size. Needs the ``[xlsx]`` extra.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_register

SCRIPT = Path(sys.executable).parent / "risk-register"
CONFIG = {"site_name": "Sheets benchmark", "plugins": [{"risk-register": {"risks_dir": "risks"}}]}


def project(root: Path) -> Path:
    (root / "risks").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    return root


def timed(*args: str, cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) of the command: on a shared machine the
    second says what the command costs, the first what its user waited."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=environment, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"risk-register {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="risks in the register (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sheets-bench-") as temporary:
        work = Path(temporary)
        source = project(work / "source")
        write_register(source / "risks", args.count)
        workbook = work / "register.xlsx"
        timed("export", "--format", "xlsx", "-o", str(workbook), cwd=source)

        imports, exports = [], []
        for run in range(args.runs):
            target = work / f"target-{run}"
            project(target)
            imports.append(timed("import", str(workbook), cwd=target))
            written = len(list((target / "risks").glob("*.md")))
            if written != args.count:
                raise SystemExit(f"import wrote {written} files, expected {args.count}")
            exports.append(timed("export", "--format", "xlsx", "-o", str(work / f"again-{run}.xlsx"), cwd=target))
            shutil.rmtree(target)

        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
        print(f"{args.count:,} rows, workbook {workbook.stat().st_size / 1e6:.1f} MB, {args.runs} runs, median:")
        for name, runs in (("import", imports), ("export", exports)):
            wall = statistics.median(t for t, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            each = ", ".join(f"{t:.2f}" for t, _ in runs)
            print(f"  {name} {wall:6.2f} s wall, {cpu:5.2f} s CPU   (wall of each run: {each})")
        print(f"  uptime: {load}")
        print(f"  cpus: {os.cpu_count()}")


if __name__ == "__main__":
    main()
