"""hwspec: check hardware builds for running large language models before buying them.

    >>> import hwspec
    >>> report = hwspec.validate(hwspec.load("specs/epyc-dual.toml"))   # doctest: +SKIP
    >>> report.ok, [f.rule for f in report.findings]                     # doctest: +SKIP
    (False, ['MEM001', ...])

The pipeline is load -> resolve -> derive -> check; ``load`` and ``validate`` run it, and
``Checker`` keeps compiled rules for checking many specs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hwspec.attrs_cache import install as _install_attrs_cache

_install_attrs_cache()  # before any module defines an attrs class: see hwspec/attrs_cache.py

if TYPE_CHECKING:
    from hwspec.catalog import Catalog, builtin_catalog
    from hwspec.checker import Checker, Options, Report
    from hwspec.engine.packs import Rule, RulePack, builtin_packs, load_pack, load_packs
    from hwspec.errors import (
        CatalogError,
        ConfigError,
        HwspecError,
        PackError,
        PlanError,
        SpecError,
    )
    from hwspec.facts import FACTS, Facts, FactValue
    from hwspec.findings import Finding, Severity
    from hwspec.search.fit import FitAnswer
    from hwspec.spec.model import Spec
    from hwspec.views.report import BuildDiff, BuildReport

    CatalogArg = Catalog | str | Path | Iterable[str | Path] | None
    """A ``Catalog``, or a team's catalog files or folders to add to the built-in one."""
    ConfigArg = str | Path | bool | None
    """A configuration file to use, ``False`` for none, or None to find one as the CLI does."""

# Public names and the private module each lives in. They are imported on first use (PEP 562),
# so `import hwspec` and the command line's start-up load only what a command needs.
_LAZY: dict[str, str] = {
    "CatalogError": "hwspec.errors",
    "ConfigError": "hwspec.errors",
    "HwspecError": "hwspec.errors",
    "PlanError": "hwspec.errors",
    "FACTS": "hwspec.facts",
    "Facts": "hwspec.facts",
    "FactValue": "hwspec.facts",
    "Finding": "hwspec.findings",
    "Severity": "hwspec.findings",
    "SpecError": "hwspec.errors",
    "PackError": "hwspec.errors",
    "Rule": "hwspec.engine.packs",
    "RulePack": "hwspec.engine.packs",
    "builtin_packs": "hwspec.engine.packs",
    "load_pack": "hwspec.engine.packs",
    "load_packs": "hwspec.engine.packs",
    "Spec": "hwspec.spec.model",
    "Checker": "hwspec.checker",
    "Options": "hwspec.checker",
    "Report": "hwspec.checker",
    "BuildDiff": "hwspec.views.report",
    "BuildReport": "hwspec.views.report",
    "Catalog": "hwspec.catalog",
    "builtin_catalog": "hwspec.catalog",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("hwspec")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0"
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'hwspec' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "FACTS",
    "BuildDiff",
    "BuildReport",
    "Catalog",
    "CatalogError",
    "Checker",
    "ConfigError",
    "FactValue",
    "Facts",
    "Finding",
    "HwspecError",
    "Options",
    "PackError",
    "PlanError",
    "Report",
    "Rule",
    "RulePack",
    "Severity",
    "Spec",
    "SpecError",
    "__version__",
    "builtin_catalog",
    "builtin_packs",
    "diff",
    "dumps",
    "fit",
    "load",
    "load_catalog",
    "load_pack",
    "load_packs",
    "loads",
    "plan",
    "report",
    "validate",
]


def load(source: str | Path) -> Spec:
    """Load a spec file; raise ``SpecError`` with findings if it cannot be read or is bad.

    ``source`` is a path (a ``Path`` or a string). A string holding a line break is TOML text
    instead, as no path holds one: ``loads`` says so outright. ``validate`` decides the same way.
    """
    if _is_text(source):
        return loads(str(source))
    from hwspec.errors import SpecError
    from hwspec.findings import Finding
    from hwspec.spec.load import read_spec

    read = read_spec(Path(source))
    if isinstance(read, Finding):
        raise SpecError((read,))
    return _loaded(read, str(source))


def loads(text: str) -> Spec:
    """Load a spec from TOML text; raise ``SpecError`` with findings if it is bad."""
    return _loaded(text, None)


def _loaded(text: str, path: str | None) -> Spec:
    """The spec of TOML text, remembered with its key positions (and path), so that
    ``validate(load(path))`` reports the lines ``validate(path)`` does."""
    from hwspec.errors import SpecError
    from hwspec.spec.load import load_text, remember_source

    loaded = load_text(text)
    if loaded.spec is None:
        raise SpecError(loaded.findings)
    remember_source(loaded, path)
    return loaded.spec


def _is_text(source: str | Path) -> bool:
    """TOML text rather than a path: a string with a line break (no path has one)."""
    return isinstance(source, str) and "\n" in source


def dumps(spec: Spec) -> str:
    """Write a ``Spec`` back as TOML text; a key at its default (not given, ``count = 1``) is
    left out, and ``load(dumps(spec)) == spec``."""
    from hwspec.spec.load import dump_text

    return dump_text(spec)


def validate(spec: Spec | str | Path | Mapping[str, Any], *, rules: Iterable[RulePack] = (),
             params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
             ignore: Iterable[str] = (), catalog: CatalogArg = None,
             config: ConfigArg = None) -> Report:
    """Check one spec (a ``Spec``, a path, TOML text with a line break, or the spec's tables as
    a dict, as ``tomllib`` would load them) and return its ``Report``, with the settings the
    command line would use.

    ``config`` names a ``hwspec.toml`` or ``pyproject.toml`` to apply; left out, the nearest one
    at or above a spec path's folder applies, as on the command line (a ``Spec`` or TOML text
    has no folder, so none does); ``False`` applies none. ``rules`` adds packs after the
    built-in and the config's; ``params`` overrides rule parameters; ``select`` and ``ignore``
    choose rules by id, id prefix or name; ``catalog`` is a ``Catalog`` or a team's catalog
    files or folders (they replace the config's entries of the same id).

    Raises ``ConfigError`` when a select, ignore or parameter names nothing, or a config or
    catalog cannot be used; ``PackError`` for a rule pack that cannot be.
    """
    from hwspec.spec.model import Spec

    if isinstance(spec, Mapping):
        # Tables as data: checked as the same TOML text would be (findings keep their key paths).
        import tomli_w

        try:
            spec = tomli_w.dumps(dict(spec)) + "\n"
        except (TypeError, ValueError) as error:
            raise TypeError(f"a spec given as a dict must hold TOML values: {error}") from None
    path = _path_of(spec)
    checker = _checker(tuple(rules), tuple((params or {}).items()), tuple(select), tuple(ignore),
                       _catalog(catalog), _config_path(config, path))
    if isinstance(spec, Spec):
        return checker.check_spec(spec)
    if path is not None:
        return checker.check_file(path)
    return checker.check_text(str(spec))


def report(spec: Spec | str | Path, *, rules: Iterable[RulePack] = (),
           params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
           ignore: Iterable[str] = (), catalog: CatalogArg = None,
           config: ConfigArg = None) -> BuildReport:
    """Check one spec and arrange its bill, figures, memory and power budgets and findings.

    Takes what ``validate`` takes; render the result with ``hwspec.output.report.render_report``.
    """
    from hwspec.views.report import build_report

    checked = validate(spec, rules=rules, params=params, select=select, ignore=ignore,
                       catalog=catalog, config=config)
    return build_report(checked)


def fit(spec: Spec | str | Path | Mapping[str, Any], *, rules: Iterable[RulePack] = (),
        params: Mapping[str, FactValue] | None = None, catalog: CatalogArg = None,
        config: ConfigArg = None) -> FitAnswer:
    """What fits, as ``hwspec fit`` answers it: the largest context, the precisions that fit
    and the memory to add, each asked of the fit rules with the settings ``validate`` takes.
    Raises ``SpecError`` for a spec that does not load."""
    from hwspec.errors import SpecError
    from hwspec.search.fit import answer

    checked = validate(spec, rules=rules, params=params, catalog=catalog, config=config)
    if checked.spec is None:
        raise SpecError(checked.findings)
    checker = _checker(tuple(rules), tuple((params or {}).items()), (), (), _catalog(catalog),
                       _config_path(config, _path_of(spec)))
    return answer(checked, checker)


def load_catalog(paths: str | Path | Iterable[str | Path]) -> Catalog:
    """The built-in catalog extended by a team's catalog files or folders, each entry checked as
    ``--catalog`` checks it; raises ``CatalogError`` naming the file, entry and field."""
    from hwspec.catalog.user import load_user_catalog

    given = [paths] if isinstance(paths, str | Path) else list(paths)
    return load_user_catalog(Path(p) for p in given)


def diff(old: Spec | str | Path, new: Spec | str | Path, *, rules: Iterable[RulePack] = (),
         params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
         ignore: Iterable[str] = (), catalog: CatalogArg = None,
         config: ConfigArg = None) -> BuildDiff:
    """Check two specs and compare the figures that decide a build, and their findings."""
    from hwspec.views.report import diff_reports

    packs, chosen, skipped = tuple(rules), tuple(select), tuple(ignore)
    before = validate(old, rules=packs, params=params, select=chosen, ignore=skipped,
                      catalog=catalog, config=config)
    after = validate(new, rules=packs, params=params, select=chosen, ignore=skipped,
                     catalog=catalog, config=config)
    return diff_reports(before, after)


def plan(prices: Any, *, model: str, precision: str = "q4_k_m", context_tokens: int = 4096,
         min_decode_tokens_per_s: float | None = None, batch: int = 1,
         engine: str | None = None, budget: float | None = None,
         max_power_w: float | None = None, platforms: Iterable[str] = (), top: int = 10,
         rules: Iterable[RulePack] = (), catalog: CatalogArg = None) -> Any:
    """The cheapest builds from the catalog that meet a target, each checked in full, as
    ``hwspec plan`` finds them (docs/plan.md). ``prices`` is a price list's path or a
    ``hwspec.search.plan.PriceList``; parts it does not price are not candidates. Returns a ``Plan``
    whose ``candidates`` run cheapest first; a price list or target that cannot be used raises
    ``PlanError``."""
    from hwspec.checker import Options
    from hwspec.search.plan import PriceList, Target, load_prices
    from hwspec.search.plan import plan as search

    price_list = prices if isinstance(prices, PriceList) else load_prices(Path(prices))
    target = Target(model=model, precision=precision, context_tokens=context_tokens,
                    min_decode_tokens_per_s=min_decode_tokens_per_s, batch=batch,
                    engine=engine, budget=budget, max_power_w=max_power_w,
                    platforms=tuple(platforms), top=top)
    return search(target, price_list, catalog=_catalog(catalog),
                  options=Options(packs=tuple(rules)))


_CATALOGS: dict[tuple[str, ...], Catalog] = {}


def _catalog(catalog: CatalogArg) -> Catalog | None:
    """The catalog to resolve against: the one given, or the built-in one with the team's
    files added (read once per list of paths)."""
    from hwspec.catalog import Catalog

    if catalog is None or isinstance(catalog, Catalog):
        return catalog
    paths = (catalog,) if isinstance(catalog, str | Path) else tuple(catalog)
    key = tuple(str(p) for p in paths)
    if key not in _CATALOGS:
        from hwspec.catalog.user import load_user_catalog
        from hwspec.errors import CatalogError, ConfigError

        try:
            _CATALOGS[key] = load_user_catalog(Path(p) for p in paths)
        except CatalogError as error:
            raise ConfigError(str(error)) from None
    return _CATALOGS[key]


def _path_of(spec: object) -> Path | None:
    """The file a spec argument names, or None for a Spec, TOML text or a dict."""
    if isinstance(spec, str | Path) and not _is_text(spec):
        return Path(spec)
    return None


def _config_path(config: ConfigArg, spec_path: Path | None) -> Path | None:
    if config is False:
        return None
    if config is None or config is True:
        if spec_path is None:
            return None
        from hwspec.project.config import find_config

        return find_config(spec_path)
    return Path(config)


_CHECKERS: dict[tuple[Any, ...], Checker] = {}


def _checker(rules: tuple[RulePack, ...], params: tuple[tuple[str, FactValue], ...],
             select: tuple[str, ...], ignore: tuple[str, ...], catalog: Catalog | None,
             config: Path | None) -> Checker:
    """A checker for these settings, kept for the next call with the same ones: a planner that
    calls ``validate`` in a loop compiles the rule packs once, not once per spec. A settings
    problem (a select that matches no rule, an unknown parameter) raises ``ConfigError``."""
    from hwspec.checker import Options
    from hwspec.project.checkers import checker_for

    key: tuple[Any, ...] | None = (tuple(id(pack) for pack in rules), params, select, ignore,
                                   id(catalog), config)
    try:
        found = _CHECKERS.get(key)  # type: ignore[arg-type]
    except TypeError:  # an unhashable parameter value: build a checker for this call only
        key, found = None, None
    if found is not None:
        return found
    base = Options(packs=rules, params=dict(params), select=select, ignore=ignore,
                   catalog=catalog)
    checker = checker_for(config, base, cli_select=bool(select), origin="arguments")
    if key is not None:
        if len(_CHECKERS) >= 16:
            _CHECKERS.clear()
        _CHECKERS[key] = checker
    return checker
