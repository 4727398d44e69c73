"""The plugin's settings read straight from mkdocs.yml, for the command line.

MkDocs is not run: the file is parsed with a safe YAML loader that accepts the
tags MkDocs users write (``!ENV``, ``!relative``, ``!!python/name:...``) without
importing or executing anything, the ``risk-register`` entry is found under
``plugins``, and its options are checked by the plugin's own config schema and
scoring model, so the command line and ``mkdocs build`` agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import RiskRegisterConfig, model_settings
from .diagnostics import ConfigError, Diagnostic, Severity
from .model import Model, model_from_settings

PLUGIN_NAME = "risk-register"
MAX_INHERIT_DEPTH = 10

# Reads a file named relative to the folder holding mkdocs.yml (for INHERIT); None when it is missing.
ReadRelative = Callable[[str], str | None]


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

    @property
    def base_dir(self) -> Path:
        return self.config_path.parent

    @property
    def risks_dir(self) -> Path:
        return Path(os.path.normpath(self.base_dir / self.risks_dir_setting))


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' tags as plain data instead of failing or importing code."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, as MkDocs (pyyaml-env-tag) reads it."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children if isinstance(child, yaml.ScalarNode)]
    else:
        return None
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _construct_unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """Any other tag (``!relative``, ``!!python/name:...``): the value as written, never executed."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_multi_constructor("", _construct_unknown)


def _config_diagnostic(
    path: str, line: int, message: str, severity: Severity = "error", code: str = "config-error"
) -> Diagnostic:
    return Diagnostic(path, line, severity, message, code)


def _parse(text: str, display: str) -> Any:
    try:
        return yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader subclass: builds no Python objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise _Problems(
            [_config_diagnostic(display, mark.line + 1 if mark else 1, f"not valid YAML: {message}")]
        ) from None
    except yaml.YAMLError as error:
        raise _Problems([_config_diagnostic(display, 1, f"not valid YAML: {error}")]) from None


class _Problems(Exception):
    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__(problems[0].format())
        self.problems = problems


def _merge(parent: Any, child: Any) -> Any:
    """MkDocs' INHERIT merge: mappings merge key by key, anything else is replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        merged = dict(parent)
        for key, value in child.items():
            merged[key] = _merge(parent[key], value) if key in parent else value
        return merged
    return child


def _load_document(text: str, display: str, read: ReadRelative, depth: int = 0) -> dict[str, Any]:
    data = _parse(text, display)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _Problems([_config_diagnostic(display, 1, "the configuration must be a mapping of keys to values")])
    inherit = data.pop("INHERIT", None)
    if isinstance(inherit, str) and depth < MAX_INHERIT_DEPTH:
        parent_text = read(inherit)
        if parent_text is None:
            raise UsageError(f"{display}: inherited configuration file '{inherit}' does not exist")
        return dict(_merge(_load_document(parent_text, inherit, read, depth + 1), data))
    return data


def plugin_options(config: Mapping[str, Any]) -> tuple[bool, Any]:
    """(found, options) of the ``risk-register`` entry under ``plugins`` (a list or a mapping)."""
    plugins = config.get("plugins")
    if isinstance(plugins, Mapping):
        return (True, plugins[PLUGIN_NAME]) if PLUGIN_NAME in plugins else (False, None)
    if isinstance(plugins, list):
        for entry in plugins:
            if entry == PLUGIN_NAME:
                return True, None
            if isinstance(entry, Mapping) and PLUGIN_NAME in entry:
                return True, entry[PLUGIN_NAME]
    return False, None


# --- where a key is written, for diagnostics that point at mkdocs.yml ---------------------


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


def _plugin_node(root: yaml.Node) -> tuple[yaml.Node | None, int]:
    """The node of the plugin's options (None when written as a bare name) and the entry's line."""
    plugins = _child(root, "plugins")
    if isinstance(plugins, yaml.MappingNode):
        line = _key_line(plugins, PLUGIN_NAME)
        return _child(plugins, PLUGIN_NAME), line or 1
    if isinstance(plugins, yaml.SequenceNode):
        for entry in plugins.value:
            if isinstance(entry, yaml.ScalarNode) and entry.value == PLUGIN_NAME:
                return None, int(entry.start_mark.line) + 1
            if isinstance(entry, yaml.MappingNode):
                line = _key_line(entry, PLUGIN_NAME)
                if line is not None:
                    return _child(entry, PLUGIN_NAME), line
    return None, 1


def option_line(text: str, key: str) -> int:
    """The line of a plugin option such as ``matrix.High`` or ``bands[1].min`` (best effort)."""
    try:
        root = yaml.compose(text, Loader=_ConfigLoader)
    except yaml.YAMLError:
        return 1
    if root is None:
        return 1
    node, line = _plugin_node(root)
    for step in re.findall(r"\[\d+\]|[^.\[\]]+", key):
        if node is None:
            break
        found_line = _key_line(node, step)
        child = _child(node, step)
        if child is not None:
            line = found_line or int(child.start_mark.line) + 1
        elif found_line is not None:
            line = found_line
        node = child
    return line


# --- reading the settings ------------------------------------------------------------------


def parse_settings(text: str, config_path: Path, display: str, read: ReadRelative) -> Settings | list[Diagnostic]:
    """The plugin's settings from the text of mkdocs.yml, or the configuration problems found.

    Raises :class:`UsageError` when the file does not use the plugin at all.
    """
    try:
        document = _load_document(text, display, read)
    except _Problems as problems:
        return problems.problems
    found, options = plugin_options(document)
    if not found:
        raise UsageError(f"{display}: no '{PLUGIN_NAME}' entry under 'plugins'; add the plugin to use this command")
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        return [
            _config_diagnostic(
                display,
                option_line(text, ""),
                f"config error in '{PLUGIN_NAME}': the plugin's options must be a mapping",
            )
        ]

    config = RiskRegisterConfig(config_file_path=str(config_path))
    config.load_dict(dict(options))
    errors, warnings = config.validate()
    found_warnings = tuple(
        _config_diagnostic(
            display,
            option_line(text, str(key)),
            f"option '{key}': {message}",
            "warning",
            "unknown-key" if str(message).startswith("Unrecognised configuration name") else "config-warning",
        )
        for key, message in warnings
    )
    if errors:
        return [
            *(
                _config_diagnostic(display, option_line(text, str(key)), f"config error in '{key}': {error}")
                for key, error in errors
            ),
            *found_warnings,
        ]
    try:
        model = model_from_settings(model_settings(config))
    except ConfigError as error:
        line = option_line(text, error.key)
        return [_config_diagnostic(display, line, f"config error in '{error.key}': {error.message}"), *found_warnings]
    return Settings(
        config_path=config_path,
        risks_dir_setting=str(config.risks_dir),
        model=model,
        max_file_size=int(config.max_file_size),
        warnings=found_warnings,
        risks_dir_line=option_line(text, "risks_dir"),
    )


def missing_risks_dir(settings: Settings) -> Diagnostic:
    """The configuration problem of a ``risks_dir`` that is not a folder, as the plugin reports it."""
    return _config_diagnostic(
        settings.config_path.name,
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
    """Settings from mkdocs.yml on disk (INHERIT files are read relative to it)."""
    text = _read_text(config_path)
    if text is None:
        raise UsageError(f"configuration file '{config_path}' not found")
    return parse_settings(text, config_path, config_path.name, lambda name: _read_text(config_path.parent / name))
