"""Configuration files: ``hwspec.toml`` or ``[tool.hwspec]`` in ``pyproject.toml``.

The configuration of a spec is the first one found walking up from the spec's folder. Keys:
``select``, ``ignore`` (rule ids, id prefixes, names or ``ALL``), ``rules`` (extra pack files or
folders, relative to the config file), ``params`` (rule parameter overrides), ``severity``
(``{PWR001 = "warning"}``) and ``extend`` (another config file whose settings this one builds on).
A config that cannot be used is a ``ConfigError``: exit 2 before any spec is read.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from hwspec.errors import ConfigError
from hwspec.findings import did_you_mean
from hwspec.spec.load import parse_toml
from hwspec.spec.vocab import SEVERITIES

CONFIG_FILE = "hwspec.toml"
CONFIG_KEYS = ("select", "ignore", "rules", "params", "severity", "catalog", "extend")


@frozen
class Config:
    """Settings from a configuration file (and the files it extends)."""

    origin: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    rules: tuple[Path, ...] = ()
    catalog: tuple[Path, ...] = ()
    """The team's catalog files or folders, relative to the config file."""
    params: Mapping[str, Any] = field(factory=dict)
    severity: Mapping[str, str] = field(factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest ``hwspec.toml``, or ``pyproject.toml`` with ``[tool.hwspec]``, at or above
    start."""
    folder = start if start.is_dir() else start.parent
    for directory in (folder.resolve(), *folder.resolve().parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


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
    except tomllib.TOMLDecodeError as error:
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
    for key in data:
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}" + did_you_mean(key, CONFIG_KEYS)
                              + f" (allowed: {', '.join(CONFIG_KEYS)})")
    base = Config()
    if "extend" in data:
        extend = data["extend"]
        if not isinstance(extend, str):
            raise ConfigError(f"{where}: extend must be a path to another config file")
        base = load_config(path.parent / extend, (*_seen, path))
    select = _strings(data, "select", where)
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: severity must be a table like {{PWR001 = \"warning\"}}")
    for rule, level in severity.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: severity.{rule} = {level!r} is not one of "
                              f"{', '.join(SEVERITIES)}" + did_you_mean(str(level), SEVERITIES))
    params = data.get("params", {})
    if not isinstance(params, dict) or any(isinstance(v, list | dict) for v in params.values()):
        raise ConfigError(f"{where}: params must be a table of name = number, boolean or string")
    return Config(
        origin=where,
        select=select if select is not None else base.select,
        ignore=(*base.ignore, *(_strings(data, "ignore", where) or ())),
        rules=(*base.rules, *(path.parent / p for p in (_strings(data, "rules", where) or ()))),
        catalog=(*base.catalog,
                 *(path.parent / p for p in (_strings(data, "catalog", where) or ()))),
        params={**base.params, **params},
        severity={**base.severity, **severity},
    )


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be an array of strings")
    return tuple(value)
