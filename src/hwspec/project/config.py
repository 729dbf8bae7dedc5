"""Configuration files: ``hwspec.toml`` or ``[tool.hwspec]`` in ``pyproject.toml``.

The configuration of a spec is the first one found walking up from the spec's folder, up to the
repository's root (the folder holding ``.git``); ``--isolated`` (``config=False`` in the library)
uses none. Keys:
``select``, ``ignore`` (rule ids, id prefixes, names or ``ALL``), ``rules`` (extra pack files or
folders, relative to the config file), ``params`` (rule parameter overrides), ``severity``
(``{PWR001 = "warning"}``) and ``extend`` (another config file whose settings this one builds on).
A config that cannot be used is a ``ConfigError``: exit 2 before any spec is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli
from attrs import field, frozen

from hwspec.errors import ConfigError
from hwspec.findings import Severity
from hwspec.spec.load import parse_toml
from hwspec.spec.values import ParamValue

CONFIG_FILE = "hwspec.toml"


@frozen
class _Shared:
    """What a configuration file sets and the configuration read from it (and the files it
    extends) holds alike: the rules chosen or left out and their severities. The parameters
    are typed apart: a file's are checked as it is read, the merged ones pass on as they are."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(factory=dict)


@frozen(eq=False, repr=False, match_args=False)  # read once and thrown away
class ConfigFile(_Shared):
    """The keys one configuration file may set, typed: a file is structured into this by the
    converter the spec format uses, so a wrong type or an unknown key (with a did-you-mean) is
    refused at its key path in a spec's words."""

    params: dict[str, ParamValue] = field(factory=dict)
    rules: tuple[str, ...] = ()
    catalog: tuple[str, ...] = ()
    extend: str | None = None


LISTS = ("select", "ignore", "rules", "catalog")
"""Keys that take an array of strings, or one string for an array of one."""


@frozen
class Config(_Shared):
    """Settings from a configuration file (and the files it extends)."""

    origin: str | None = None
    params: Mapping[str, Any] = field(factory=dict)
    rules: tuple[Path, ...] = ()
    catalog: tuple[Path, ...] = ()
    """The team's catalog files or folders, relative to the config file."""
    files: tuple[Path, ...] = ()
    """Every configuration file read for these settings: the ones extended, then this one."""


def find_config(start: Path) -> Path | None:
    """The nearest ``hwspec.toml``, or ``pyproject.toml`` with ``[tool.hwspec]``, at or above
    start, up to the repository root: the walk stops at the first folder holding ``.git`` (a
    folder, or a file in a worktree or submodule), so a configuration outside the repository
    (``ignore = ["ALL"]`` one folder up) never applies to its specs."""
    try:
        folder = (start if start.is_dir() else start.parent).resolve()
    except (OSError, ValueError):  # a name too long, a NUL byte: the spec cannot be read either
        return None
    for directory in (folder, *folder.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if is_repository_root(directory):
            return None
    return None


def is_repository_root(folder: Path) -> bool:
    """Whether ``folder`` is the top of a git repository: it holds ``.git``, a folder (a clone)
    or a file (a worktree, a submodule)."""
    return os.path.lexists(folder / ".git")


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml configures hwspec. One that cannot be read or parsed is a
    ``ConfigError``: skipping it would check the specs without the settings it may hold."""
    data = _read(path)
    return isinstance(data.get("tool"), dict) and "hwspec" in data["tool"]


MAX_EXTEND = 32
"""The longest chain of configuration files one may ``extend`` through."""

MAX_CONFIG_BYTES = 1024 * 1024
"""The largest configuration file read (1 MiB)."""


def _read(path: Path) -> dict[str, Any]:
    """A configuration file parsed within the spec loader's limits, or a ``ConfigError``."""
    from hwspec.spec.read import read_regular_text

    try:
        return parse_toml(read_regular_text(path, MAX_CONFIG_BYTES))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: is not UTF-8 text ({error.reason} at byte "
                          f"{error.start + 1:,})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    except tomli.TOMLDecodeError as error:
        raise ConfigError(f"{path}: does not parse: {error}") from None


def load_config(path: Path, _seen: tuple[Path, ...] = ()) -> Config:
    """Read a configuration file, following ``extend``."""
    path = path.resolve()
    if len(_seen) >= MAX_EXTEND:
        raise ConfigError(f"{path}: extend chains more than {MAX_EXTEND} files "
                          f"(from {_seen[0]}); a config extends a few at most")
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ConfigError(f"{path}: extend makes a loop: {chain}")
    data = _read(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("hwspec", {}) if isinstance(tool, dict) else {}
        where = f"{path} [tool.hwspec]"
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: must be a table of settings, got "
                              f"{type(data).__name__} {data!r:.40}")
    else:
        where = str(path)
    settings = _structured(data, where)
    base = Config()
    if settings.extend is not None:
        base = load_config(path.parent / settings.extend, (*_seen, path))
    return Config(
        origin=where,
        select=settings.select if settings.select is not None else base.select,
        ignore=(*base.ignore, *settings.ignore),
        rules=(*base.rules, *(path.parent / p for p in settings.rules)),
        catalog=(*base.catalog, *(path.parent / p for p in settings.catalog)),
        params={**base.params, **settings.params},
        severity={**base.severity, **settings.severity},
        files=(*base.files, path),
    )


def _structured(data: dict[str, Any], where: str) -> ConfigFile:
    from hwspec.findings import format_path
    from hwspec.spec.load import ShapeProblem, structure_shape

    lists = {k: [v] if k in LISTS and isinstance(v, str) else v for k, v in data.items()}
    try:
        return structure_shape(lists, ConfigFile)
    except ShapeProblem as problem:
        at = f"{format_path(problem.path)}: " if problem.path else ""
        raise ConfigError(f"{where}: {at}{problem.message}") from None
