"""Reading a register's history from git: a repository of N risks and M commits, timed.

    .venv/bin/python benchmarks/history_bench.py [--risks 1000] [--commits 5000] [--runs 3] [--work DIR]

The repository is written with ``git fast-import`` (seconds, not the minutes that
5,000 ``git commit`` runs take): a first commit with every risk (benchmarks/generate.py),
then one commit per change of a random risk: its probability, impact, status, owner or
review date (most), a move to another folder (1%), a deletion (0.5%) and, later, the
same id written again. Commit dates are an hour apart. The same arguments always give
the same repository.

It prints:

- **read**: the history read from scratch (git processes started, seconds, commits and
  change records), the median of the runs;
- **again**: a second read with the same HEAD, as a `mkdocs serve` rebuild after a save;
- **new commit**: a read after one more commit, as a rebuild after a commit;
- **build**: `mkdocs build` of the project with `history: true` and with `history: false`,
  alternating, the median of the runs and their ratio, in wall time and in CPU time (user and
  system, git's included: steadier than wall time on a machine shared with other work);
- **instructions** (with ``--instructions``): one build of each under ``valgrind --tool=callgrind``,
  git's processes included, and their ratio: the same count on every run, whatever else the
  machine is doing (it takes minutes). Bytecode compiled first, as an installed package has it:
  the plugin's package is compiled before the counted builds, which run without
  ``PYTHONDONTWRITEBYTECODE`` (``bytecode_compiled`` in build_instructions.py), so that they do not
  count compiling the plugin's source, which a user's build does not do.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_instructions import bytecode_compiled  # noqa: E402
from generate import LEVELS, TEAMS, risk, risk_id  # noqa: E402

from mkdocs_risk_register.gitlog import HistoryReader  # noqa: E402
from mkdocs_risk_register.history import History  # noqa: E402
from mkdocs_risk_register.settings import Settings, load_settings  # noqa: E402

START = 1_735_689_600  # 2025-01-01 UTC
EPOCH = "1790000000"
ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "NO_MKDOCS_2_WARNING": "1",
    "SOURCE_DATE_EPOCH": EPOCH,
}
AUTHORS = ("Alice", "Bob", "Chandra", "Dmitri", "Eve")


def _text(front: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(risks: int, commits: int, seed: int = 1) -> bytes:
    """The whole history as a ``git fast-import`` stream."""
    rng = random.Random(seed)
    fronts: dict[int, dict[str, Any]] = {}
    bodies: dict[int, str] = {}
    paths: dict[int, str] = {}
    for number in range(1, risks + 1):
        category, text = risk(number, risks, seed)
        _, front_text, body = text.split("---\n", 2)
        fronts[number] = yaml.safe_load(front_text)
        bodies[number] = body.lstrip("\n")
        paths[number] = f"risks/{category.lower()}/{risk_id(number, risks)}.md"
    config = {"site_name": "History benchmark", "theme": {"name": "mkdocs"}, "plugins": ["search", "risk-register"]}
    out = [b"commit refs/heads/main\n", b"mark :1\n"]
    stamp = START

    def header(mark: int, message: str) -> None:
        author = rng.choice(AUTHORS)
        out.append(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.append(f"author {author} <{author.lower()}@example.com> {stamp} +0000\n".encode())
        out.append(f"committer {author} <{author.lower()}@example.com> {stamp} +0000\n".encode())
        out.append(_data(message.encode()))
        out.append(b"from :%d\n" % (mark - 1))

    out = [
        b"commit refs/heads/main\nmark :1\n",
        f"author Bench <bench@example.com> {stamp} +0000\ncommitter Bench <bench@example.com> {stamp} +0000\n".encode(),
        _data(b"the register"),
        b"M 100644 inline mkdocs.yml\n" + _data(yaml.safe_dump(config, sort_keys=False).encode()),
        b"M 100644 inline docs/index.md\n" + _data(b"# Home\n"),
    ]
    for number, front in fronts.items():
        out.append(f"M 100644 inline {paths[number]}\n".encode() + _data(_text(front, bodies[number]).encode()))
    deleted: list[int] = []
    for mark in range(2, commits + 1):
        stamp += 3600
        roll = rng.random()
        if deleted and roll < 0.005:
            number = deleted.pop(0)  # written again under the same id
            header(mark, f"re-add {risk_id(number, risks)}")
            out.append(
                f"M 100644 inline {paths[number]}\n".encode() + _data(_text(fronts[number], bodies[number]).encode())
            )
            continue
        number = rng.choice([n for n in (rng.randint(1, risks) for _ in range(5)) if n not in deleted] or [1])
        if number in deleted:
            number = next(n for n in fronts if n not in deleted)
        if roll < 0.01:
            header(mark, f"delete {risk_id(number, risks)}")
            out.append(f"D {paths[number]}\n".encode())
            deleted.append(number)
            continue
        if roll < 0.02:
            header(mark, f"move {risk_id(number, risks)}")
            out.append(f"D {paths[number]}\n".encode())
            paths[number] = f"risks/moved/{rng.randint(1, 20)}/{risk_id(number, risks)}.md"
        else:
            header(mark, f"update {risk_id(number, risks)}")
            front = fronts[number]
            key = rng.choice(("probability", "impact", "status", "owner", "reviewed"))
            if key in ("probability", "impact"):
                front[key] = rng.choice(LEVELS)
            elif key == "status":
                front[key] = rng.choice(("Open", "Mitigated", "Triggered", "Closed"))
            elif key == "owner":
                front[key] = rng.choice(TEAMS)
            else:
                front["reviewed"] = time.strftime("%Y-%m-%d", time.gmtime(stamp))
        out.append(
            f"M 100644 inline {paths[number]}\n".encode() + _data(_text(fronts[number], bodies[number]).encode())
        )
    return b"".join(out)


def make_repository(root: Path, risks: int, commits: int) -> None:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=ENV, check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, env=ENV, check=True, input=fast_import_stream(risks, commits)
    )
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, env=ENV, check=True)


class CountedGit:
    """Counts the processes (all of them git) started while the history is read."""

    def __init__(self) -> None:
        self.count = 0
        self.original = subprocess.Popen.__init__

    def __enter__(self) -> CountedGit:
        original = self.original

        def counted(popen: subprocess.Popen[bytes], *args: Any, **kwargs: Any) -> None:
            self.count += 1
            original(popen, *args, **kwargs)

        subprocess.Popen.__init__ = counted  # type: ignore[assignment,method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.Popen.__init__ = self.original  # type: ignore[method-assign]


def timed_read(reader: HistoryReader, settings: Settings) -> tuple[float, int, History]:
    with CountedGit() as counter:
        start = time.perf_counter()
        history = reader.read(settings.risks_dir, settings.model)
        elapsed = time.perf_counter() - start
    assert isinstance(history, History), history
    return elapsed, counter.count, history


def build_seconds(root: Path, history: bool) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, git's included) of one ``mkdocs build``."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"risk-register": {"history": history}}]
    name = f"mkdocs-{'with' if history else 'without'}.yml"
    (root / name).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / name), "-d", str(root / "site")]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed in {root}")
    # ru_* of a waited child include its own waited children (git).
    return wall, usage.ru_utime + usage.ru_stime


def counted(command: list[str], cwd: Path, stdin: Path | None = None) -> int:
    """Instructions executed by ``command`` and every process it starts (valgrind's count), the
    plugin's bytecode compiled first, as an installed package has it."""
    bytecode_compiled(sys.executable)
    environment = {key: value for key, value in ENV.items() if key != "PYTHONDONTWRITEBYTECODE"}
    full = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=/dev/null", *command]
    with open(stdin or os.devnull, "rb") as given:
        result = subprocess.run(full, cwd=cwd, env=environment, stdin=given, capture_output=True, check=True)
    return sum(int(count) for count in re.findall(rb"Collected : (\d+)", result.stderr))


def build_instructions(root: Path, history: bool) -> int:
    """Instructions of one ``mkdocs build`` of ``root`` and the git processes it starts."""
    build_seconds(root, history)  # writes the configuration file
    name = f"mkdocs-{'with' if history else 'without'}.yml"
    return counted(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / name), "-d", str(root / "site")], root
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="folder for the repository (default: a temporary one)")
    parser.add_argument("--no-build", action="store_true", help="time the reading only")
    parser.add_argument("--instructions", action="store_true", help="count the builds' instructions with valgrind")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="history-bench-"))
    root = work / "repo"
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    make_repository(root, args.risks, args.commits)
    print(f"repository: {args.risks} risks, {args.commits} commits, written in {time.perf_counter() - start:.1f} s")

    loaded = load_settings(root / "mkdocs.yml")
    assert isinstance(loaded, Settings), loaded
    reads = [timed_read(HistoryReader(), loaded) for _ in range(args.runs)]
    _, processes, history = sorted(reads, key=lambda r: r[0])[len(reads) // 2]
    commits = len({c.commit for c in history.changes})
    print(
        f"read:       {statistics.median(r[0] for r in reads):.2f} s "
        f"(runs: {', '.join(f'{r[0]:.2f}' for r in reads)}), "
        f"{processes} git processes, {commits} commits with changes, {len(history.changes)} change records"
    )
    reader = HistoryReader()
    timed_read(reader, loaded)
    again, processes, _ = timed_read(reader, loaded)
    print(f"again:      {again:.3f} s, {processes} git process (same HEAD)")
    target = next(loaded.risks_dir.rglob("*.md"))
    text = target.read_text(encoding="utf-8")
    status = "Open" if re.search(r"^status: Closed$", text, re.MULTILINE) else "Closed"
    target.write_text(re.sub(r"^status: .*$", f"status: {status}", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", "one more"], cwd=root, env=ENV, check=True)
    after, processes, _ = timed_read(reader, loaded)
    print(f"new commit: {after:.3f} s, {processes} git processes")
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=root, env=ENV, check=True)

    if args.no_build:
        return
    with_history: list[tuple[float, float]] = []
    without: list[tuple[float, float]] = []
    for _ in range(args.runs):
        without.append(build_seconds(root, history=False))
        with_history.append(build_seconds(root, history=True))
    for index, what in ((0, "wall"), (1, "cpu")):
        a = statistics.median(run[index] for run in with_history)
        b = statistics.median(run[index] for run in without)
        print(
            f"build {what}: with history {a:.2f} s, without {b:.2f} s, ratio {a / b:.3f} "
            f"(runs with: {', '.join(f'{r[index]:.2f}' for r in with_history)}; "
            f"without: {', '.join(f'{r[index]:.2f}' for r in without)})"
        )
    if args.instructions:
        counted = build_instructions(root, history=True), build_instructions(root, history=False)
        print(
            f"instructions: with history {counted[0] / 1e9:.2f} G, without {counted[1] / 1e9:.2f} G, "
            f"ratio {counted[0] / counted[1]:.3f}"
        )
    if args.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
