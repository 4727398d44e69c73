"""The plugin's settings read from mkdocs.yml, for the command line.

The file is read with MkDocs' own YAML loader (``mkdocs.utils.yaml``: ``!ENV``)
built on PyYAML's SafeLoader, so tags that would import code in MkDocs
(``!!python/name:``, ``!!python/object/apply:``) are read as inert text, and
``INHERIT`` is resolved as MkDocs resolves it: relative to the file that names
it, deep-merged with mergedeep. MkDocs itself is not run (no plugin or theme is
imported): ``diff`` reads mkdocs.yml from any git revision and must never run
code from it. The ``risk-register`` entry is checked by the plugin's own config
schema and scoring model, so the command line and ``mkdocs build`` agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mergedeep  # type: ignore[import-untyped]
import yaml
from mkdocs.utils.yaml import get_yaml_loader

from .config import RiskRegisterConfig, issue_url_pattern, labels_setting, model_settings
from .diagnostics import ConfigError, Diagnostic, Severity
from .model import Model, model_from_settings
from .words import Entry

PLUGIN_NAME = "risk-register"
# Under Zensical the settings are the Markdown extension's options (by entry point name or module).
EXTENSION_NAMES = ("risk_register", "mkdocs_risk_register.markdown")

# Reads a configuration file by its absolute path (on disk, or at a git revision); None when missing.
ReadFile = Callable[[Path], str | None]


class UsageError(Exception):
    """The command cannot run at all (no mkdocs.yml, no plugin entry): exit 2 with this one line."""


@dataclass(frozen=True)
class Settings:
    """What the command line needs from mkdocs.yml."""

    config_path: Path
    """Absolute path of mkdocs.yml; display paths are relative to its folder."""
    risks_dir_setting: str
    model: Model
    max_file_size: int
    warnings: tuple[Diagnostic, ...] = ()
    risks_dir_line: int = 1
    """Where mkdocs.yml sets ``risks_dir`` (or names the plugin), for a missing-folder diagnostic."""
    risks_dir_file: str = ""
    """The file that sets ``risks_dir`` (an INHERITed one, maybe); empty for mkdocs.yml itself."""
    # What `render` needs to write the pages the plugin would generate.
    prefix: str = "risk-register"
    chart_format: str = "both"
    issue_url: str | None = None
    repo_url: str | None = None
    docs_dir_setting: str = "docs"
    use_directory_urls: bool = True
    history: str | bool = "auto"
    """Whether `check` reads the git history for ``review-stale`` (as the build does)."""
    language: str | None = None
    """The register's language: the ``language`` setting, else the theme's (``theme.language``)."""
    labels: Mapping[str, Entry] = field(default_factory=dict)
    """The ``labels`` setting's entries (checked)."""

    @property
    def docs_dir(self) -> Path:
        return Path(os.path.normpath(self.base_dir / self.docs_dir_setting))

    @property
    def base_dir(self) -> Path:
        return self.config_path.parent

    @property
    def risks_dir(self) -> Path:
        return Path(os.path.normpath(self.base_dir / self.risks_dir_setting))


class _InertLoader(yaml.SafeLoader):
    """SafeLoader that reads tags it does not know as plain data instead of failing or importing code."""


def _construct_inert(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """Any tag without a safe constructor (``!relative``, ``!!python/...``): the value as written, never run."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_InertLoader.add_multi_constructor("", _construct_inert)
# MkDocs' loader class (it adds ``!ENV`` as MkDocs reads it) on the safe base instead of yaml.Loader.
_LOADER: type[yaml.SafeLoader] = get_yaml_loader(_InertLoader)


def _config_diagnostic(
    path: str, line: int, message: str, severity: Severity = "error", code: str = "config-error"
) -> Diagnostic:
    return Diagnostic(path, line, severity, message, code)


class _Problems(Exception):
    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__(problems[0].format())
        self.problems = problems


def _parse(text: str, display: str) -> Any:
    try:
        return yaml.load(text, Loader=_LOADER)  # a SafeLoader subclass: builds no Python objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise _Problems(
            [_config_diagnostic(display, mark.line + 1 if mark else 1, f"not valid YAML: {message}")]
        ) from None
    except yaml.YAMLError as error:
        raise _Problems([_config_diagnostic(display, 1, f"not valid YAML: {error}")]) from None
    except (ValueError, OverflowError) as error:
        # A value YAML parses but Python cannot hold: an int of over 4,300 digits, 2026-02-30.
        reason = str(error).split(";")[0]  # without Python's advice to raise its digit limit
        raise _Problems([_config_diagnostic(display, 1, f"a value cannot be read: {reason}")]) from None


@dataclass(frozen=True)
class _Source:
    """One file of the configuration: mkdocs.yml, then each file it INHERITs."""

    display: str
    text: str


def _display(path: Path, config_dir: Path) -> str:
    return Path(os.path.relpath(path, config_dir)).as_posix()


def _load(path: Path, text: str, config_dir: Path, read: ReadFile, sources: list[_Source]) -> dict[str, Any]:
    """The configuration in ``path`` merged over what it INHERITs, as ``mkdocs.utils.yaml.yaml_load`` does."""
    display = _display(path, config_dir)
    sources.append(_Source(display, text))
    data = _parse(text, display)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _Problems([_config_diagnostic(display, 1, "the configuration must be a mapping of keys to values")])
    if "INHERIT" not in data:
        return data
    inherit = data.pop("INHERIT")
    line = _top_key_line(text, "INHERIT")
    if not isinstance(inherit, str):
        raise _Problems([_config_diagnostic(display, line, "'INHERIT' must name a file")])
    # As MkDocs: relative to the folder of the file that names it, not to mkdocs.yml's.
    parent_path = Path(os.path.normpath(path.parent / inherit))
    parent_display = _display(parent_path, config_dir)
    if any(source.display == parent_display for source in sources):
        raise _Problems([_config_diagnostic(display, line, f"'INHERIT' of '{inherit}' leads back to {parent_display}")])
    parent_text = read(parent_path)
    if parent_text is None:
        raise UsageError(
            f"{display}: inherited configuration file '{inherit}' does not exist (looked for {parent_display})"
        )
    parent = _load(parent_path, parent_text, config_dir, read, sources)
    merged: dict[str, Any] = mergedeep.merge(parent, data)
    return merged


def _entry(entries: Any, names: tuple[str, ...]) -> tuple[bool, Any]:
    """(found, options) of the first entry named one of ``names`` in a list or mapping of entries."""
    if isinstance(entries, Mapping):
        for name in names:
            if name in entries:
                return True, entries[name]
    if isinstance(entries, list):
        for entry in entries:
            if entry in names:
                return True, None
            if isinstance(entry, Mapping):
                for name in names:
                    if name in entry:
                        return True, entry[name]
    return False, None


def plugin_options(config: Mapping[str, Any]) -> tuple[bool, Any]:
    """(found, options) of the ``risk-register`` entry under ``plugins`` (a list or a mapping).

    Without one, the Markdown extension's entry under ``markdown_extensions`` (a Zensical site).
    """
    found, options = _entry(config.get("plugins"), (PLUGIN_NAME,))
    if found:
        return found, options
    return _entry(config.get("markdown_extensions"), EXTENSION_NAMES)


# --- where a key is written, for diagnostics that point at mkdocs.yml ---------------------


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)  # nodes only: no constructor runs
    except yaml.YAMLError:
        return None


def _child(node: yaml.Node, step: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                found: yaml.Node = value
                return found
    if isinstance(node, yaml.SequenceNode) and step.startswith("["):
        index = int(step[1:-1])
        items: list[yaml.Node] = node.value
        return items[index] if index < len(items) else None
    return None


def _key_line(node: yaml.Node, step: str) -> int | None:
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return int(key.start_mark.line) + 1
    return None


def _top_key_line(text: str, key: str) -> int:
    root = _compose(text)
    return (_key_line(root, key) if root is not None else None) or 1


def _entry_node(root: yaml.Node, key: str, names: tuple[str, ...]) -> tuple[yaml.Node | None, int | None]:
    """The node of an entry's options under ``key`` (None when written as a bare name) and its line."""
    entries = _child(root, key)
    if isinstance(entries, yaml.MappingNode):
        for name in names:
            line = _key_line(entries, name)
            if line is not None:
                return _child(entries, name), line
    if isinstance(entries, yaml.SequenceNode):
        for entry in entries.value:
            if isinstance(entry, yaml.ScalarNode) and entry.value in names:
                return None, int(entry.start_mark.line) + 1
            if isinstance(entry, yaml.MappingNode):
                for name in names:
                    line = _key_line(entry, name)
                    if line is not None:
                        return _child(entry, name), line
    return None, None


def _plugin_node(root: yaml.Node) -> tuple[yaml.Node | None, int | None]:
    """The node of the plugin's options (None when written as a bare name) and the entry's line;
    without a plugin entry, the Markdown extension's entry (a Zensical site)."""
    node, line = _entry_node(root, "plugins", (PLUGIN_NAME,))
    if line is None:
        node, line = _entry_node(root, "markdown_extensions", EXTENSION_NAMES)
    return node, line


def _option_line(text: str, key: str) -> tuple[int | None, bool]:
    """The line of a plugin option such as ``matrix.High`` or ``bands[1].min`` in one file, and
    whether the file writes the whole key (else the line of its nearest written parent)."""
    root = _compose(text)
    if root is None:
        return None, False
    node, line = _plugin_node(root)
    if line is None:
        return None, False
    for step in re.findall(r"\[\d+\]|[^.\[\]]+", key):
        if node is None:
            return line, False
        found_line = _key_line(node, step)
        child = _child(node, step)
        if child is None and found_line is None:
            return line, False
        if found_line is not None:
            line = found_line
        elif child is not None:
            line = int(child.start_mark.line) + 1
        node = child
    return line, True


def option_line(text: str, key: str) -> int:
    """The line of a plugin option in the text of one file (best effort: 1 when not found)."""
    return _option_line(text, key)[0] or 1


def _locate(sources: list[_Source], key: str) -> tuple[str, int]:
    """Which file writes an option (mkdocs.yml first, then what it INHERITs) and on which line."""
    fallback: tuple[str, int] | None = None
    for source in sources:
        line, complete = _option_line(source.text, key)
        if complete and line is not None:
            return source.display, line
        if fallback is None and line is not None:
            fallback = (source.display, line)
    return fallback or (sources[0].display, 1)


# --- reading the settings ------------------------------------------------------------------


def parse_settings(text: str, config_path: Path, read: ReadFile) -> Settings | list[Diagnostic]:
    """The plugin's settings from the text of mkdocs.yml (``read`` gives the files it INHERITs),
    or the configuration problems found.

    Raises :class:`UsageError` when the file does not use the plugin at all.
    """
    sources: list[_Source] = []
    try:
        document = _load(config_path, text, config_path.parent, read, sources)
    except _Problems as problems:
        return problems.problems
    display = sources[0].display
    found, options = plugin_options(document)
    if not found:
        raise UsageError(
            f"{display}: no '{PLUGIN_NAME}' entry under 'plugins' (nor '{EXTENSION_NAMES[0]}' under "
            "'markdown_extensions'); add the plugin to use this command"
        )
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        return [
            _config_diagnostic(
                *_locate(sources, ""), f"config error in '{PLUGIN_NAME}': the plugin's options must be a mapping"
            )
        ]

    config = RiskRegisterConfig(config_file_path=str(config_path))
    config.load_dict(dict(options))
    errors, warnings = config.validate()
    found_warnings = tuple(
        _config_diagnostic(
            *_locate(sources, str(key)),
            f"option '{key}': {message}",
            "warning",
            "unknown-key"
            if str(message).startswith(("Unrecognised configuration name", "unknown key"))
            else "config-warning",
        )
        for key, message in warnings
    )
    if errors:
        return [
            *(
                _config_diagnostic(*_locate(sources, str(key)), f"config error in '{key}': {error}")
                for key, error in errors
            ),
            *found_warnings,
        ]
    try:
        model = model_from_settings(model_settings(config))
    except ConfigError as error:
        where = _locate(sources, error.key)
        return [_config_diagnostic(*where, f"config error in '{error.key}': {error.message}"), *found_warnings]
    risks_dir_file, risks_dir_line = _locate(sources, "risks_dir")
    return Settings(
        config_path=config_path,
        risks_dir_setting=str(config.risks_dir),
        model=model,
        max_file_size=int(config.max_file_size),
        warnings=found_warnings,
        risks_dir_line=risks_dir_line,
        risks_dir_file=risks_dir_file,
        prefix=str(config.prefix).strip("/"),
        chart_format=str(config.chart_format),
        issue_url=issue_url_pattern(config.issue_url, _text_or_none(document.get("repo_url"))),
        repo_url=_text_or_none(document.get("repo_url")),
        docs_dir_setting=str(document.get("docs_dir") or "docs"),
        use_directory_urls=document.get("use_directory_urls") is not False,
        history=config.history,
        language=config.language or theme_language(document.get("theme")),
        labels=labels_setting(config),
    )


def theme_language(theme: Any) -> str | None:
    """The theme's language as mkdocs.yml writes it: Material's ``language``, MkDocs' own themes' ``locale``."""
    if isinstance(theme, Mapping):
        for key in ("language", "locale"):
            value = theme.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def missing_risks_dir(settings: Settings) -> Diagnostic:
    """The configuration problem of a ``risks_dir`` that is not a folder, as the plugin reports it."""
    return _config_diagnostic(
        settings.risks_dir_file or settings.config_path.name,
        settings.risks_dir_line,
        f"config error in 'risks_dir': folder '{settings.risks_dir_setting}' does not exist "
        f"(looked for {settings.risks_dir})",
    )


def find_config(path: str | None, cwd: Path | None = None) -> Path:
    """The absolute path of mkdocs.yml: ``-f`` when given, else mkdocs.yml (or mkdocs.yaml) in ``cwd``."""
    where = (cwd or Path.cwd()).resolve()
    if path is not None:
        candidate = (where / path).resolve()
        if not candidate.is_file():
            raise UsageError(f"configuration file '{path}' not found")
        return candidate
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        if (where / name).is_file():
            return where / name
    raise UsageError(f"no mkdocs.yml in {where}; run from the folder that holds it or name it with -f")


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None


def load_settings(config_path: Path) -> Settings | list[Diagnostic]:
    """Settings from mkdocs.yml on disk (and the files it INHERITs)."""
    text = _read_text(config_path)
    if text is None:
        raise UsageError(f"configuration file '{config_path}' not found")
    return parse_settings(text, config_path, _read_text)
