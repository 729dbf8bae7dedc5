"""Checkers for a project's specs: each spec file with the checker of its nearest configuration
file, the caller's settings merged over the configuration's."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from attrs import evolve

from hwspec.checker import Checker, Options
from hwspec.errors import ConfigError
from hwspec.project.config import find_config, load_config


def checkers_for(files: Sequence[Path], base: Options, *, cli_select: bool = False,
                 by_config: dict[Path | None, Checker] | None = None,
                 origin: str = "command line",
                 isolated: bool = False) -> list[tuple[Path, Checker]]:
    """Pair each spec file with a checker built from its nearest configuration file (see
    ``checker_for``); ``isolated``: with no configuration file at all. Every config and pack is
    loaded (and every error raised) before any spec is read. ``by_config`` keeps the checkers
    (their compiled rules) of the same settings across calls."""
    by_config = {} if by_config is None else by_config
    plan: list[tuple[Path, Checker]] = []
    config_of_folder: dict[str, Path | None] = {}
    for file in files:
        # The folder's name as text: the same grouping as ``file.parent``, without making a
        # path object for each of a run's thousands of files.
        folder = os.path.dirname(file)
        if folder not in config_of_folder:
            config_of_folder[folder] = None if isolated else find_config(file)
        config_path = config_of_folder[folder]
        if config_path not in by_config:
            by_config[config_path] = checker_for(config_path, base, cli_select=cli_select,
                                                 origin=origin)
        plan.append((file, by_config[config_path]))
    return plan


def checker_for(config_path: Path | None, base: Options, *, cli_select: bool = False,
                origin: str = "command line") -> Checker:
    """The checker for specs under one configuration file (None: no configuration), with its
    rules compiled and its settings checked; a problem is a ``ConfigError``.

    ``base`` holds the caller's settings (the command line's, or ``hwspec.validate``'s
    arguments, named by ``origin`` in errors); they win over the config's: a given select
    (``cli_select``) replaces the config's, ignores add up, parameters override by name, the
    config's rule packs come before the caller's, and the caller's catalog entries replace the
    config catalog's.
    """
    from hwspec.engine.packs import load_packs

    config = load_config(config_path) if config_path is not None else None
    if config is None or config_path is None:
        options = base
    else:
        catalog = base.catalog
        if config.catalog:
            from hwspec.catalog.user import load_user_catalog
            from hwspec.errors import CatalogError

            try:
                catalog = load_user_catalog(config.catalog)
            except CatalogError as error:
                raise ConfigError(str(error)) from None
            for entry in base.catalog.entries() if base.catalog is not None else ():
                if not entry.origin.startswith("catalog/"):
                    catalog.add(entry)
        options = evolve(
            base,
            packs=(*load_packs(config.rules), *base.packs),
            catalog=catalog,
            select=base.select if cli_select else (config.select or ()),
            ignore=(*config.ignore, *base.ignore),
            params={**config.params, **base.params},
            severity={**config.severity, **base.severity},
            config=shown_path(config_path),
        )
    checker = Checker(options)
    where = config.origin if config is not None else origin
    patterns = (*base.select, *base.ignore, *base.severity)
    for kind, entries, why in checker.option_problems:  # a bad pack raises PackError here
        named_by_caller = kind == "type" or all(
            e in (base.params if kind == "param" else patterns) for e in entries)
        raise ConfigError(f"{origin if named_by_caller else where}: {why}")
    checker.rules  # noqa: B018 - compile now, so a bad pack stops the run here
    return checker


def shown_path(path: Path) -> str:
    """A configuration file's path as a run names it: relative to the working folder when it is
    inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the working folder, or that folder is gone
        return str(absolute)
