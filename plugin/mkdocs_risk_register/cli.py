"""The ``risk-register`` command: argument parsing and output only; the core does the work.

Exit codes: 0 success; 1 problems found (``check``: errors, or warnings with
``--strict``; a configuration error); 2 usage error (bad arguments, no
mkdocs.yml, no plugin entry, not a git repository, unknown revision); 141 the
reader of standard output went away (docs/cli.md has the whole table).
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import secrets
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO, cast

from . import render
from .cli_history import add_report_parser, register_at_revision, report_text, with_git_history
from .diagnostics import ConfigError, Diagnostic, printable
from .diff import Side, compare, to_json, to_markdown
from .due import DEFAULT_WITHIN_DAYS, DueReview, due_reviews
from .due import summary as due_summary
from .due import to_json as due_json
from .due import to_markdown as due_markdown
from .due import to_text as due_text
from .gitlog import HistoryReader
from .gitsource import GitError, Repository, register_at, settings_at
from .history import History, Unavailable, reviewed_line_on_disk, with_history
from .importer import Importer, parse_mapping, write_planned
from .issue_form import FormError, issue_form_yaml, read_issue
from .loader import display_path
from .register import Register, build_date_from_env, load_register
from .scaffold import FIELDS, NewRisk, NewRiskError, create
from .settings import Settings, UsageError, find_config, load_settings, missing_risks_dir
from .sheets import SheetError, read_table
from .views.export import register_to_csv, register_to_json
from .views.history_pages import commit_url_pattern
from .views.site import SiteLayout
from .views.site_files import ChartFormat, RenderOptions, generate_site
from .words import select_words
from .xlsx import XlsxUnavailable, register_to_xlsx

OK, PROBLEMS, USAGE = 0, 1, 2
PROG = "risk-register"


def _version() -> str:
    try:
        return version("mkdocs-risk-register")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    # -f is accepted before or after the command; SUPPRESS keeps a subcommand from resetting it.
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="the mkdocs.yml to read (default: mkdocs.yml in the current folder)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check, compare and export a risk register kept as Markdown files.",
        parents=[config_option],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[config_option], help="validate the configuration and every risk file")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    diff = commands.add_parser(
        "diff", parents=[config_option], help="what the changes between two git revisions do to the register"
    )
    diff.add_argument("base", metavar="BASE", help="the revision to compare from (branch, tag, commit)")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="the revision to compare to (default: the working tree)")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format")
    diff.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    export = commands.add_parser("export", parents=[config_option], help="the register as JSON, CSV or XLSX")
    export.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="output format")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--at", metavar="REV", help="the register as it was at a git revision (branch, tag, commit)")

    render = commands.add_parser(
        "render",
        parents=[config_option],
        help="write the register's pages and data as files, for site generators without the plugin (Zensical)",
    )
    render.add_argument(
        "--out", metavar="DIR", help="the folder to write into (default: docs_dir/prefix, as the plugin's pages)"
    )
    render.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when the files on disk differ from what it writes"
    )
    add_report_parser(commands, config_option)
    _add_everyday_commands(commands, config_option)
    return parser


def _add_everyday_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], config_option: argparse.ArgumentParser
) -> None:
    """``import``, ``new`` and ``due`` (docs/spreadsheets.md, docs/cli.md)."""
    importing = commands.add_parser(
        "import", parents=[config_option], help="write risk files from a CSV or XLSX register"
    )
    importing.add_argument("file", metavar="FILE", help="the .csv or .xlsx file to read")
    importing.add_argument(
        "--map",
        metavar="COLUMN=key",
        action="append",
        default=[],
        help="read COLUMN as the front-matter key (COLUMN= leaves it out); repeat for more columns",
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="check every row and say what would change; write nothing"
    )
    importing.add_argument(
        "--update", action="store_true", help="change the front-matter values of risks that exist (the body is kept)"
    )

    new = commands.add_parser("new", parents=[config_option], help="write a new risk file with the next free id")
    for name in FIELDS:
        new.add_argument(
            f"--{name}", metavar=name[0].upper(), help=f"the risk's {name} (asked for on a terminal when left out)"
        )

    form = commands.add_parser(
        "issue-form", parents=[config_option], help="the GitHub issue form for proposing a risk, from the settings"
    )
    form.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    from_issue = commands.add_parser(
        "from-issue", parents=[config_option], help="write a new risk file from an issue written with that form"
    )
    from_issue.add_argument("file", metavar="FILE", help="the issue's body (- reads standard input)")

    due = commands.add_parser("due", parents=[config_option], help="reviews that are overdue or due soon, by owner")
    due.add_argument(
        "--within", metavar="DAYS", type=_days, default=DEFAULT_WITHIN_DAYS, help="days ahead (default 14)"
    )
    due.add_argument("--owner", metavar="NAME", help="only this owner's reviews")
    due.add_argument("--format", choices=("text", "markdown", "json", "github"), default="text", help="output format")
    due.add_argument("--strict", action="store_true", help="exit 1 when a review is overdue")
    due.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more days, got {days}")
    return days


# --- output helpers ----------------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return USAGE


def _write(text: str, output: str | None, stdout: TextIO) -> None:
    if output is None or output == "-":
        stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def _escape_data(text: str) -> str:
    # GitHub's rules for a workflow command's message (actions/toolkit escapeData); any other
    # control character (a terminal colour, say) is then written as an escape, as in text format.
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    # ... and for a property's value (escapeProperty): also ':' and ',', which end one.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Diagnostic, path_prefix: str = "") -> str:
    """A GitHub Actions workflow command that shows the problem on the file's line in a pull request."""
    path = posixpath.normpath(posixpath.join(path_prefix, problem.path)) if path_prefix else problem.path
    properties = f"file={_escape_property(path)},line={problem.line},title={_escape_property(problem.code)}"
    return f"::{problem.severity} {properties}::{_escape_data(problem.message)}"


@contextmanager
def _commands_stopped(stdout: TextIO) -> Iterator[None]:
    """In a GitHub Actions job, the runner reads ``::command::`` at the start of a line and
    ``##[command]`` anywhere in one; quoted values in plain lines are kept from acting as commands
    with the runner's own switch, ``stop-commands``, and a token no file can guess."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        yield
        return
    token = secrets.token_hex(16)
    stdout.write(f"::stop-commands::{token}\n")
    try:
        yield
    finally:
        stdout.write(f"::{token}::\n")


def _repository_prefix(base_dir: Path) -> str:
    """Where mkdocs.yml's folder lies in its git repository: annotations name files from the root."""
    try:
        return Repository.containing(base_dir).relative(base_dir) or ""
    except GitError:
        return ""


def _settings_or_problems(config_file: str | None) -> tuple[Settings | None, list[Diagnostic]]:
    loaded = load_settings(find_config(config_file))
    if isinstance(loaded, list):
        return None, loaded
    return loaded, list(loaded.warnings)


def _usable_settings(
    config_file: str | None, *, risks_dir_needed: bool = True
) -> tuple[Settings, list[Diagnostic]] | None:
    """The settings and their warnings, or None after printing why a command cannot run on them."""
    settings, problems = _settings_or_problems(config_file)
    if settings is not None and risks_dir_needed and not settings.risks_dir.is_dir():
        problems.append(missing_risks_dir(settings))
    if settings is None or any(p.severity == "error" for p in problems):
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return None
    return settings, problems


# --- check -------------------------------------------------------------------------------------


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def run_check(args: argparse.Namespace, stdout: TextIO) -> int:
    settings, problems = _settings_or_problems(args.config_file)
    register: Register | None = None
    if settings is not None:
        try:
            build_date = build_date_from_env()
        except ConfigError as error:
            # An environment variable has no line: the problem is shown against mkdocs.yml, as the build does.
            problems.append(Diagnostic(settings.config_path.name, 1, "error", error.format_message(), "config-error"))
        else:
            if settings.risks_dir.is_dir():
                register = load_register(
                    settings.risks_dir,
                    settings.model,
                    base_dir=settings.base_dir,
                    build_date=build_date,
                    max_file_size=settings.max_file_size,
                )
                register = with_git_history(settings, register)
                problems += register.problems
            else:
                problems.append(missing_risks_dir(settings))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (args.strict and warnings > 0)
    files = len(register.risks) + len(register.left_out) if register else 0
    risks = len(register.risks) if register else 0
    if register is None:
        summary = f"{PROG}: configuration has {_count(errors, 'error')}; risk files not checked"
    else:
        summary = (
            f"{PROG}: {_count(files, 'file')} checked, {_count(risks, 'risk')}: "
            f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        )

    if args.format == "json":
        data = {
            "ok": not failed,
            "files": files,
            "risks": risks,
            "errors": errors,
            "warnings": warnings,
            "problems": [p.to_dict() for p in problems],
        }
        stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "github":
        base_dir = settings.base_dir if settings else find_config(args.config_file).parent
        prefix = _repository_prefix(base_dir)
        stdout.writelines(github_annotation(p, prefix) + "\n" for p in problems)
        stdout.write(summary + "\n")
    else:
        with _commands_stopped(stdout):
            stdout.writelines(p.format() + "\n" for p in problems)
        stdout.write(summary + "\n")
    return PROBLEMS if failed else OK


# --- diff --------------------------------------------------------------------------------------


def _side(
    repo: Repository,
    label: str,
    commit: str | None,
    own: Settings | list[Diagnostic] | None,
    fallback: Settings,
) -> Side:
    """One side of the diff, built with the settings mkdocs.yml had there (else ``fallback``)."""
    notes: list[str] = []
    if isinstance(own, list):
        notes.append(f"mkdocs.yml at {label} has configuration errors; the other side's settings are used")
    settings = own if isinstance(own, Settings) else fallback
    build_date = build_date_from_env()
    register: Register | None
    if commit is None:
        register = (
            load_register(
                settings.risks_dir,
                settings.model,
                base_dir=settings.base_dir,
                build_date=build_date,
                max_file_size=settings.max_file_size,
            )
            if settings.risks_dir.is_dir()
            else None
        )
    else:
        register = register_at(repo, commit, settings, build_date)
    if register is None:
        notes.append(f"{label} has no risks folder ({settings.risks_dir_setting}/)")
    return Side(label, commit, register, tuple(notes))


def run_diff(args: argparse.Namespace, stdout: TextIO) -> int:
    config_path = find_config(args.config_file)
    repo = Repository.containing(config_path.parent)
    base_commit = repo.commit(args.base)
    head_commit = repo.commit(args.head) if args.head is not None else None
    working = load_settings(config_path)
    base_settings = settings_at(repo, base_commit, config_path)
    head_settings = working if head_commit is None else settings_at(repo, head_commit, config_path)
    # Without usable settings on one side, the other side's (or the working tree's) stand in.
    usable = [s for s in (head_settings, working, base_settings) if isinstance(s, Settings)]
    if not usable:
        for problem in working if isinstance(working, list) else []:
            print(problem.format(), file=sys.stderr)
        print(f"{PROG}: no usable settings for the risk-register plugin in {config_path.name}", file=sys.stderr)
        return PROBLEMS
    base = _side(repo, args.base, base_commit, base_settings, usable[0])
    head = _side(repo, args.head or "working tree", head_commit, head_settings, usable[0])
    diff = compare(base, head)
    _write(to_json(diff) if args.format == "json" else to_markdown(diff), args.output, stdout)
    return OK


# --- export ------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace, stdout: TextIO) -> int:
    usable = _usable_settings(args.config_file, risks_dir_needed=args.at is None)
    if usable is None:
        return PROBLEMS
    settings, problems = usable
    if args.at is not None:
        register = register_at_revision(settings, args.at)
    else:
        register = load_register(
            settings.risks_dir, settings.model, base_dir=settings.base_dir, max_file_size=settings.max_file_size
        )
    # As in `mkdocs build`: problems are reported (here on stderr) and listed in the data.
    for problem in [*problems, *register.problems]:
        print(problem.format(), file=sys.stderr)
    if args.format == "xlsx":
        _write_xlsx(register, args.output)
        return OK
    text = register_to_json(register) if args.format == "json" else register_to_csv(register)
    _write(text, args.output, stdout)
    return OK


def _write_xlsx(register: Register, output: str | None) -> None:
    if output is None or output == "-":
        raise UsageError("--format xlsx writes a workbook: name the file with -o FILE.xlsx")
    data = register_to_xlsx(register)
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


# --- import, new, due --------------------------------------------------------------------------


def _usable_register(config_file: str | None) -> tuple[Settings, Register] | int:
    """The settings and the register as they are on disk, or the exit status after printing why not."""
    usable = _usable_settings(config_file)
    if usable is None:
        return PROBLEMS
    settings = usable[0]
    register = load_register(
        settings.risks_dir, settings.model, base_dir=settings.base_dir, max_file_size=settings.max_file_size
    )
    return settings, register


def run_import(args: argparse.Namespace, stdout: TextIO) -> int:
    try:
        mapping = parse_mapping(args.map)
    except ValueError as error:
        raise UsageError(str(error)) from None
    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"no such file: {args.file}")
    loaded = _usable_register(args.config_file)
    if isinstance(loaded, int):
        return loaded
    settings, register = loaded
    importer = Importer(
        settings.model,
        register,
        settings.risks_dir,
        settings.base_dir,
        args.file,
        update=args.update,
        max_file_size=settings.max_file_size,
    )
    try:
        result = importer.run(read_table(source), mapping)
    except SheetError as error:
        where = f"{args.file}:{error.row}" if error.row is not None else args.file
        print(printable(f"{where}: error: {error} [unreadable-sheet]"), file=sys.stderr)
        return PROBLEMS
    with _commands_stopped(sys.stderr):  # cell values are quoted in these lines
        for problem in sorted(result.problems, key=lambda p: p.row):
            print(problem.format(), file=sys.stderr)
    failed = [] if args.dry_run else write_planned(result.planned)
    for plan, reason in failed:
        print(
            printable(f"{args.file}:{plan.row}: error: cannot write {plan.path}: {reason} [unreadable]"),
            file=sys.stderr,
        )
    verb = {
        "write": "would write" if args.dry_run else "wrote",
        "update": "would update" if args.dry_run else "updated",
    }
    for plan in result.planned:
        if plan.action in verb and plan not in (f[0] for f in failed):
            stdout.write(f"{verb[plan.action]} {importer.display(plan.path)}\n")
    counts = Counter(plan.action for plan in result.planned)
    sheet = f" (sheet '{result.sheet}', header on row {result.header_row})" if source.suffix.lower() == ".xlsx" else ""
    stdout.write(
        f"{PROG}: {_count(result.rows, 'row')} read from {args.file}{sheet}: "
        f"{counts['write']} new, {counts['update']} updated, {counts['unchanged']} unchanged, {result.refused} refused"
        f"{'; dry run, nothing written' if args.dry_run else ''}\n"
    )
    return PROBLEMS if result.refused or failed else OK


def run_new(args: argparse.Namespace, stdout: TextIO) -> int:
    loaded = _usable_register(args.config_file)
    if isinstance(loaded, int):
        return loaded
    settings, register = loaded
    fields = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    missing = [name for name in FIELDS if not (fields.get(name) or "").strip()]
    if missing:
        if not sys.stdin.isatty():
            options = ", ".join(f"--{name}" for name in missing)
            raise UsageError(f"new: give {options} (there is no terminal to ask on)")
        fields.update(_ask(missing, settings))
    ids = [*register.by_id, *(Path(path).stem for path in register.left_out)]
    display_dir = display_path(settings.risks_dir, settings.base_dir)
    try:
        created = create(
            settings.risks_dir, display_dir, settings.model, ids=ids, fields=fields, reviewed=build_date_from_env()
        )
    except NewRiskError as error:
        raise UsageError(f"new: {error}") from None
    return _report_created("new", created, stdout)


def _report_created(command: str, created: NewRisk | list[Diagnostic], stdout: TextIO) -> int:
    """What ``new`` and ``from-issue`` print: the new file's path, or why nothing was written."""
    if isinstance(created, list):
        for problem in created:
            print(problem.format(), file=sys.stderr)
        print(f"{PROG}: {command}: nothing written", file=sys.stderr)
        return PROBLEMS
    stdout.write(created.display_path + "\n")
    return OK


def run_issue_form(args: argparse.Namespace, stdout: TextIO) -> int:
    usable = _usable_settings(args.config_file, risks_dir_needed=False)
    if usable is None:
        return PROBLEMS
    settings = usable[0]
    try:
        text = issue_form_yaml(settings.model)
    except FormError as error:
        raise UsageError(f"issue-form: {error}") from None
    _write(text, args.output, stdout)
    return OK


def run_from_issue(args: argparse.Namespace, stdout: TextIO) -> int:
    """The issue's text is data only: read by the form's labels, checked, written by PyYAML (issue_form.py)."""
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        raise UsageError(f"from-issue: cannot read {args.file}: {error.strerror or error}") from None
    body = raw.decode("utf-8", errors="replace")
    loaded = _usable_register(args.config_file)
    if isinstance(loaded, int):
        return loaded
    settings, register = loaded
    proposal = read_issue(body, settings.model)
    if proposal.problems:
        for reason in proposal.problems:
            print(f"{PROG}: from-issue: {reason}", file=sys.stderr)
        print(f"{PROG}: from-issue: nothing written", file=sys.stderr)
        return PROBLEMS
    ids = [*register.by_id, *(Path(path).stem for path in register.left_out)]
    try:
        created = create(
            settings.risks_dir,
            display_path(settings.risks_dir, settings.base_dir),
            settings.model,
            ids=ids,
            fields=proposal.fields,
            reviewed=build_date_from_env(),
            extra=proposal.extra,
            description=proposal.description,
            refuse_warnings=True,  # a proposal with a value the build would ignore is sent back
        )
    except NewRiskError as error:
        raise UsageError(f"from-issue: {error}") from None
    return _report_created("from-issue", created, stdout)


def _ask(missing: list[str], settings: Settings) -> dict[str, str]:
    """Ask for each missing field on the terminal (the questions go to stderr: stdout is the path)."""
    model = settings.model
    choices = {
        "probability": model.probability.names,
        "impact": model.impact.names,
        "category": list(model.categories),
    }
    answers: dict[str, str] = {}
    for name in missing:
        listed = f" ({', '.join(choices[name])})" if choices.get(name) else ""
        while True:
            sys.stderr.write(f"{name.capitalize()}{listed}: ")
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise UsageError("new: no answer; nothing written")
            if line.strip():
                answers[name] = line.strip()
                break
    return answers


def run_due(args: argparse.Namespace, stdout: TextIO) -> int:
    loaded = _usable_register(args.config_file)
    if isinstance(loaded, int):
        return loaded
    settings, register = loaded
    due = due_reviews(register, args.within, args.owner)
    if args.format == "json":
        text = due_json(due)
    elif args.format == "markdown":
        text = due_markdown(due)
    elif args.format == "github":
        prefix = _repository_prefix(settings.base_dir)
        text = "".join(_due_annotation(review, prefix) + "\n" for review in due.reviews)
        text += f"{PROG}: {due_summary(due)}\n"
    else:
        text = due_text(due)
    if args.format in ("text", "markdown") and args.output in (None, "-"):
        with _commands_stopped(stdout):  # titles and owner names are anyone's text
            _write(text, args.output, stdout)
    else:
        _write(text, args.output, stdout)
    return PROBLEMS if args.strict and due.overdue_count else OK


def _due_annotation(review: DueReview, path_prefix: str) -> str:
    risk = review.risk
    path = posixpath.normpath(posixpath.join(path_prefix, risk.source)) if path_prefix else risk.source
    level, title = ("warning", "review-overdue") if review.overdue else ("notice", "review-due")
    when = f"overdue since {risk.next_review}" if review.overdue else f"due {risk.next_review}"
    message = f"{risk.id} ({risk.owner_text}): review {when}: {risk.title}"
    return f"::{level} file={_escape_property(path)},line=1,title={title}::{_escape_data(message)}"


# --- render ------------------------------------------------------------------------------------


def run_render(args: argparse.Namespace, stdout: TextIO) -> int:
    usable = _usable_settings(args.config_file)
    if usable is None:
        return PROBLEMS
    settings, problems = usable
    register = load_register(
        settings.risks_dir,
        settings.model,
        base_dir=settings.base_dir,
        build_date=build_date_from_env(),
        max_file_size=settings.max_file_size,
    )
    # The history from git, as the build reads it: the changes page, history.json, risk pages' History.
    history = (
        None
        if settings.history is False
        else HistoryReader().read(settings.risks_dir, settings.model, max_file_size=settings.max_file_size)
    )
    if isinstance(history, History):
        register = with_history(register, history, reviewed_line_on_disk(settings.base_dir))
    elif isinstance(history, Unavailable) and settings.history is True:
        print(f"{PROG}: history not read: {history.reason}", file=sys.stderr)
    # As in `mkdocs build`: problems are reported (here on stderr) and shown on the register page.
    for problem in [*problems, *register.problems]:
        print(problem.format(), file=sys.stderr)
    layout = SiteLayout(settings.prefix, settings.use_directory_urls)
    # The site's language, as the build picks it (no info line: the command's output is the files it writes).
    options = RenderOptions(
        issue_url=settings.issue_url,
        chart_format=cast(ChartFormat, settings.chart_format),
        commit_url=commit_url_pattern(settings.repo_url),
        words=select_words(settings.language, settings.labels).words,
    )
    out_dir = Path(args.out).absolute() if args.out else settings.docs_dir / settings.prefix
    site = generate_site(register, layout, options, history)
    result = render.plan(out_dir, render.rendered_files(site))

    def shown(paths: Sequence[str]) -> list[str]:
        return render.describe(paths, out_dir, settings.base_dir)

    for note in result.notes:
        print(f"{PROG}: note: {note}", file=sys.stderr)
    for path in shown(result.kept):
        print(f"{PROG}: kept {path}: its risk is gone, but it changed since render wrote it", file=sys.stderr)
    where = shown(["."])[0]
    if result.conflicts:
        for conflict, path in zip(result.conflicts, shown([c.path for c in result.conflicts]), strict=True):
            print(f"{PROG}: {path}: {conflict.reason}", file=sys.stderr)
        print(f"{PROG}: nothing written to {where}", file=sys.stderr)
        return PROBLEMS
    if args.check:
        if result.up_to_date:
            stdout.write(f"{PROG}: {_count(result.unchanged, 'file')} in {where} up to date\n")
            return OK
        stdout.writelines(f"would write {path}\n" for path in shown(result.writes))
        stdout.writelines(f"would remove {path}\n" for path in shown(result.removals))
        stdout.write(f"{PROG}: {where} is out of date; run `{PROG} render`\n")
        return PROBLEMS
    try:
        applied = render.apply(result)
    except OSError as error:
        raise UsageError(f"cannot write into {where}: {error.strerror or error}") from None
    stdout.writelines(f"wrote {path}\n" for path in shown(applied.written))
    stdout.writelines(f"removed {path}\n" for path in shown(applied.removed))
    stdout.write(
        f"{PROG}: {where}: {_count(len(applied.written), 'file')} written, {len(applied.removed)} removed, "
        f"{result.unchanged} unchanged\n"
    )
    return OK


# --- report ------------------------------------------------------------------------------------


def run_report(args: argparse.Namespace, stdout: TextIO) -> int:
    usable = _usable_settings(args.config_file, risks_dir_needed=False)
    if usable is None:
        return PROBLEMS
    settings = usable[0]
    _write(report_text(settings, args.since, args.until, args.format), args.output, stdout)
    return OK


COMMANDS = {
    "check": run_check,
    "diff": run_diff,
    "export": run_export,
    "render": run_render,
    "report": run_report,
    "import": run_import,
    "new": run_new,
    "due": run_due,
    "issue-form": run_issue_form,
    "from-issue": run_from_issue,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "config_file"):
        args.config_file = None
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure"):
        # Arrows and names in any language must not crash a terminal with a narrow encoding.
        stdout.reconfigure(errors="replace")
    try:
        status = COMMANDS[args.command](args, stdout)
        stdout.flush()  # here, not at exit: a reader gone by then would give "Exception ignored"
        return status
    except UsageError as error:
        return _fail(str(error))
    except XlsxUnavailable as error:  # one line naming the extra to install
        return _fail(str(error))
    except ConfigError as error:  # SOURCE_DATE_EPOCH, for `diff` and `export` (`check` reports it as a problem)
        print(error.format(), file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`risk-register check | head`): stop quietly, with the status a shell
        # gives a command ended by SIGPIPE; Python would otherwise fail again flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
