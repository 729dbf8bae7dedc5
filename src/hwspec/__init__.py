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
import os
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from hwspec.attrs_cache import install as _install_attrs_cache

_install_attrs_cache()  # before any module defines an attrs class: see hwspec/attrs_cache.py

if TYPE_CHECKING:
    from hwspec.catalog import Catalog, builtin_catalog
    from hwspec.checker import Checker, Options, Report
    from hwspec.engine.packs import Rule, RulePack, builtin_packs
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
    from hwspec.search.plan import Plan, PriceList, Target
    from hwspec.spec.load import Loaded
    from hwspec.spec.model import Spec
    from hwspec.views.report import BuildDiff, BuildReport

    CatalogArg: TypeAlias = (
        Catalog | str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None)
    """A ``Catalog``, or a team's catalog files or folders to add to the built-in one."""
    ConfigArg: TypeAlias = str | os.PathLike[str] | bool | None
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


def load(source: str | os.PathLike[str]) -> Spec:
    """Load a spec file; raise ``SpecError`` with findings if it cannot be read or is bad.

    ``source`` is a path (a ``Path`` or a string), always: TOML text goes to ``loads``.
    """
    from hwspec.errors import SpecError
    from hwspec.findings import Finding
    from hwspec.spec.load import read_spec

    path = _spec_path(source, "load", "source")
    problem = _path_finding(path)
    read = problem if problem is not None else read_spec(path)
    if isinstance(read, Finding):
        raise SpecError((_text_hint(read, path),))
    return _loaded(read, str(path))


def loads(text: str) -> Spec:
    """Load a spec from TOML text; raise ``SpecError`` with findings if it is bad."""
    if not isinstance(text, str):
        hint = ("; decode it first (TOML is UTF-8 text)" if isinstance(text, bytes | bytearray)
                else "")
        raise TypeError(f"hwspec.loads: text: expected TOML text (str), got {_kind(text)}{hint}")
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


def dumps(spec: Spec) -> str:
    """Write a ``Spec`` back as TOML text; a key at its default (not given, ``count = 1``) is
    left out, and ``load(dumps(spec)) == spec``."""
    from hwspec.spec.load import dump_text
    from hwspec.spec.model import Spec

    if not isinstance(spec, Spec):
        raise TypeError(f"hwspec.dumps: spec: expected a Spec (from hwspec.load or loads), got "
                        f"{_kind(spec)}")
    return dump_text(spec)


def validate(spec: Spec | str | os.PathLike[str] | Mapping[str, Any], *,
             rules: Iterable[RulePack] = (), params: Mapping[str, FactValue] | None = None,
             select: Iterable[str] = (), ignore: Iterable[str] = (), catalog: CatalogArg = None,
             config: ConfigArg = None) -> Report:
    """Check one spec (a ``Spec``, a path, or the spec's tables as a dict, as ``tomllib``
    would load them) and return its ``Report``, with the settings the command line would use.
    A string is a path, always: check TOML text with ``validate(loads(text))``.

    ``config`` names a ``hwspec.toml`` or ``pyproject.toml`` to apply; left out, the nearest one
    at or above a spec path's folder (up to the repository's root) applies, as on the command
    line (a ``Spec`` or a dict has no folder, so none does); ``False`` applies none (the
    command line's ``--isolated``). ``rules`` adds packs after the built-in and the config's;
    ``params`` overrides rule parameters; ``select`` and ``ignore`` choose rules by id, id
    prefix or name; ``catalog`` is a ``Catalog`` or a team's catalog files or folders (they
    replace the config's entries of the same id).

    A path that cannot be read (missing, a folder, a NUL byte in its name) is a SPEC001 finding
    in the report, as for the command line. Raises ``ConfigError`` when a select, ignore or
    parameter names nothing, or a config or catalog cannot be used; ``PackError`` for a rule
    pack that cannot be; ``TypeError`` naming the argument for one of the wrong type.
    """
    settings = _settings("validate", rules, params, select, ignore, catalog, config)
    return _validate(spec, settings, "validate")


def _validate(spec: object, settings: _Settings, function: str,
              argument: str = "spec") -> Report:
    from hwspec.checker import Report
    from hwspec.spec.model import Spec

    if isinstance(spec, Spec):
        checker = _checker(settings, None)
        shaped = _as_loaded(spec, function, argument)
        if shaped.spec is None:
            return Report("<spec>", None, shaped.findings, config=checker.options.config)
        return checker.check_spec(shaped.spec)
    if isinstance(spec, Mapping):
        # Tables as data: checked as the same TOML text would be (findings keep their key paths).
        import tomli_w

        try:
            text = tomli_w.dumps(dict(spec)) + "\n"
        except (TypeError, ValueError) as error:
            raise TypeError(f"hwspec.{function}: {argument}: a spec given as a dict must hold TOML "
                            f"values: {error}") from None
        return _checker(settings, None).check_text(text)
    path = _spec_path(spec, function, argument, dicts=True)
    problem = _path_finding(path)
    checker = _checker(settings, None if problem is not None else path)
    if problem is not None:
        return Report(str(path), None, (problem,), config=checker.options.config)
    checked = checker.check_file(path)
    if checked.spec is None and len(checked.findings) == 1:
        from attrs import evolve

        return evolve(checked, findings=(_text_hint(checked.findings[0], path),))
    return checked


def _as_loaded(spec: Spec, function: str, argument: str) -> Loaded:
    """A spec as the check takes it: one ``load`` or ``loads`` returned, as it is; one built or
    changed in code, its tables checked first as a file's are, by the one converter, so a wrong
    type or value (``cpu="amd-epyc-9655"``, ``currency="usd"``) is a SPEC002 finding at its key
    path rather than an error deep inside the check."""
    from hwspec.spec.load import Loaded, source_of, structure, unstructure

    if source_of(spec) is not None:
        return Loaded(spec, ())
    try:
        return structure(unstructure(spec))
    except (RecursionError, TypeError, ValueError) as error:  # values no table can hold
        raise TypeError(f"hwspec.{function}: {argument}: a Spec whose values are no spec "
                        f"values: {error}") from None


def report(spec: Spec | str | os.PathLike[str] | Mapping[str, Any], *,
           rules: Iterable[RulePack] = (), params: Mapping[str, FactValue] | None = None,
           select: Iterable[str] = (), ignore: Iterable[str] = (), catalog: CatalogArg = None,
           config: ConfigArg = None) -> BuildReport:
    """Check one spec and arrange its bill, figures, memory and power budgets and findings.

    Takes what ``validate`` takes; render the result with ``hwspec.output.report.render_report``.
    """
    from hwspec.views.report import build_report

    settings = _settings("report", rules, params, select, ignore, catalog, config)
    return build_report(_validate(spec, settings, "report"))


def fit(spec: Spec | str | os.PathLike[str] | Mapping[str, Any], *,
        rules: Iterable[RulePack] = (), params: Mapping[str, FactValue] | None = None,
        catalog: CatalogArg = None, config: ConfigArg = None) -> FitAnswer:
    """What fits, as ``hwspec fit`` answers it: the largest context, the precisions that fit
    and the memory to add, each asked of the fit rules with the settings ``validate`` takes.
    Raises ``SpecError`` for a spec that does not load."""
    from hwspec.errors import SpecError
    from hwspec.search.fit import answer
    from hwspec.spec.model import Spec

    settings = _settings("fit", rules, params, (), (), catalog, config)
    checked = _validate(spec, settings, "fit")
    if checked.spec is None:
        raise SpecError(checked.findings)
    is_file = not isinstance(spec, Spec | Mapping)
    return answer(checked, _checker(settings, Path(checked.path) if is_file else None))


def load_catalog(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Catalog:
    """The built-in catalog extended by a team's catalog files or folders, each entry checked as
    ``--catalog`` checks it; raises ``CatalogError`` naming the file, entry and field."""
    from hwspec.catalog.user import load_user_catalog
    from hwspec.errors import CatalogError

    given = _paths(paths, "load_catalog", "paths", CatalogError)
    return load_user_catalog(given)


def load_pack(path: str | os.PathLike[str]) -> RulePack:
    """Read one rule pack file, every rule checked; a problem is a ``PackError`` naming the
    file, the rule and the spot."""
    from hwspec.engine.packs import load_pack as read_pack

    (found,) = _paths(path, "load_pack", "path", _PackPathError, many=False)
    return read_pack(found)


def load_packs(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
               ) -> tuple[RulePack, ...]:
    """Read rule pack files, and the ``*.toml`` packs in folders, as ``--rules`` does."""
    from hwspec.engine.packs import load_packs as read_packs

    return read_packs(_paths(paths, "load_packs", "paths", _PackPathError))


def diff(old: Spec | str | os.PathLike[str], new: Spec | str | os.PathLike[str], *,
         rules: Iterable[RulePack] = (), params: Mapping[str, FactValue] | None = None,
         select: Iterable[str] = (), ignore: Iterable[str] = (), catalog: CatalogArg = None,
         config: ConfigArg = None) -> BuildDiff:
    """Check two specs and compare the figures that decide a build, and their findings."""
    from hwspec.views.report import diff_reports

    settings = _settings("diff", rules, params, select, ignore, catalog, config)
    return diff_reports(_validate(old, settings, "diff", "old"),
                        _validate(new, settings, "diff", "new"))


def plan(prices: PriceList | str | os.PathLike[str] | None = None, *,
         model: str | None = None, precision: str = "q4_k_m",
         context_tokens: int = 4096, min_decode_tokens_per_s: float | None = None,
         batch: int = 1, engine: str | None = None, budget: float | None = None,
         max_power_w: float | None = None, platforms: Iterable[str] = (), top: int = 10,
         gpus: Iterable[str] = (), max_gpus: int = 4, offload: str | None = None,
         numa: str | None = None, objective: str = "cost",
         min_prefill_tokens_per_s: float | None = None, max_ttft_s: float | None = None,
         prompt_tokens: int | None = None, basis: str = "expected",
         rules: Iterable[RulePack] = (), catalog: CatalogArg = None,
         target: Target | None = None) -> Plan:
    """The cheapest builds from the catalog that meet a target, each checked in full, as
    ``hwspec plan`` finds them (docs/plan.md). ``prices`` is a price list's path or a
    ``hwspec.search.plan.PriceList``; None plans with the shipped reference list
    (``hwspec.search.prices.reference_prices``). Parts it does not price are not candidates.
    The target is the keywords, one for each option of the command line (``--gpus`` is
    ``gpus``, ``--min-prefill`` ``min_prefill_tokens_per_s``, ``--max-ttft`` ``max_ttft_s``,
    ``--basis`` ``basis`` ...), or all of them as one typed ``hwspec.search.plan.Target``
    (``target=``: then ``model`` and the target keywords are not given; ``--from`` and
    ``--owned`` are its ``owned``). Returns a ``Plan`` whose ``candidates`` run cheapest
    first; a price list or target that cannot be used raises ``PlanError`` (a number out of
    the command line's range too: ``top=0``, ``batch=0``), an argument of the wrong type
    ``TypeError``."""
    from hwspec.checker import Options
    from hwspec.errors import PlanError
    from hwspec.search.plan import PriceList, Target, load_prices
    from hwspec.search.plan import plan as search

    if target is not None:
        if not isinstance(target, Target):
            raise TypeError(f"plan: target must be a hwspec.search.plan.Target, got "
                            f"{type(target).__name__}")
        if model is not None:
            raise PlanError("plan: give the model in the target or as model=, not both")
        for name, check in _TARGET_CHECKS.items():  # as the keywords are: one set of checks
            check(getattr(target, name), name)
    else:
        if model is None:
            raise PlanError("plan: give model= (a catalog model id) or target=")
        given = {"model": model, "precision": precision, "context_tokens": context_tokens,
                 "min_decode_tokens_per_s": min_decode_tokens_per_s, "batch": batch,
                 "engine": engine, "budget": budget, "max_power_w": max_power_w,
                 "platforms": platforms, "top": top, "gpus": gpus, "max_gpus": max_gpus,
                 "offload": offload, "numa": numa, "objective": objective,
                 "min_prefill_tokens_per_s": min_prefill_tokens_per_s,
                 "max_ttft_s": max_ttft_s, "prompt_tokens": prompt_tokens, "basis": basis}
        target = Target(**{name: _TARGET_CHECKS[name](value, name)
                           for name, value in given.items()})
    if isinstance(prices, PriceList):
        price_list = prices
    elif prices is None:
        from hwspec.search.prices import reference_prices

        price_list = reference_prices()
    else:
        (path,) = _paths(prices, "plan", "prices", PlanError, many=False,
                         expected="a price list's path or a PriceList")
        price_list = load_prices(path)
    packs = _packs(rules, "plan")
    return search(target, price_list, catalog=_catalog(catalog, "plan"),
                  options=Options(packs=packs))


# --- checking the arguments --------------------------------------------------------------------

MAX_PATH_CHARACTERS = 4096
"""The longest path a library call takes (Linux's PATH_MAX): a longer one is refused as the
command line's shell would refuse it, before any system call."""


class _PackPathError(Exception):
    """A rule pack path that names no file (a NUL byte in it): raised as ``PackError``."""


def _kind(value: object) -> str:
    """A value's type and a short repr of it, for a message."""
    return f"{type(value).__name__} {value!r:.60}"


def _spec_path(value: object, function: str, argument: str, *, dicts: bool = False) -> Path:
    """A spec argument that is a path (``str`` or ``os.PathLike``), or a ``TypeError``."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str):
            return Path(text)
    expected = "a Spec, a path (str or Path) or a dict of tables" if dicts else (
        "a path (str or Path)")
    hint = "; TOML text goes to hwspec.loads" if isinstance(value, bytes | bytearray) else ""
    raise TypeError(f"hwspec.{function}: {argument}: expected {expected}, got "
                    f"{_kind(value)}{hint}")


def _path_problem(path: Path) -> str | None:
    """Why no file can have this name (a NUL byte, more than ``MAX_PATH_CHARACTERS``), or
    None."""
    text = str(path)
    if "\0" in text:
        return f"the path holds a NUL byte (at character {text.index(chr(0)) + 1:,}), which " \
               "no file name can"
    if len(text) > MAX_PATH_CHARACTERS:
        return f"the path is {len(text):,} characters long; a path has at most " \
               f"{MAX_PATH_CHARACTERS:,}"
    return None


def _path_finding(path: Path) -> Finding | None:
    """The SPEC001 finding for a spec path no file can have, as an unreadable file gets."""
    from hwspec.findings import ERROR, SPEC_CODE_BY_ID, Finding

    problem = _path_problem(path)
    if problem is None:
        return None
    code = SPEC_CODE_BY_ID["SPEC001"]
    return Finding(code.id, ERROR, problem, name=code.name, hint="Name a TOML spec file.")


def _text_hint(finding: Finding, path: Path) -> Finding:
    """A missing file whose name holds a line break was likely meant as TOML text: say where
    text goes."""
    if "\n" in str(path) and not finding.hint and finding.rule == "SPEC001":
        from attrs import evolve

        return evolve(finding, hint="A string is a path; give TOML text to hwspec.loads "
                                          "and check the Spec it returns.")
    return finding


def _paths(value: object, function: str, argument: str, error: type[Exception], *,
           many: bool = True, expected: str = "") -> tuple[Path, ...]:
    """A path, or (``many``) paths, as ``Path`` objects: a wrong type is a ``TypeError``, a name
    no file can have the given error (``PackError`` for ``_PackPathError``)."""
    if isinstance(value, str | os.PathLike):
        items: list[object] = [value]
    elif many and isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        items = list(value)
    else:
        items = [value]
    paths = []
    for item in items:
        text = os.fspath(item) if isinstance(item, str | os.PathLike) else None
        if not isinstance(text, str):
            wanted = expected or ("a path (str or Path) or a list of them" if many
                                  else "a path (str or Path)")
            raise TypeError(f"hwspec.{function}: {argument}: expected {wanted}, got "
                            f"{_kind(item if many and item is not value else value)}")
        path = Path(text)
        problem = _path_problem(path)
        if problem is not None:
            if error is _PackPathError:
                from hwspec.errors import PackError

                raise PackError(repr(str(path))[:80], problem)
            raise error(f"{str(path)[:80]!r}: {problem}")
        paths.append(path)
    return tuple(paths)


def _strings(value: object, function: str, argument: str) -> tuple[str, ...]:
    """Rule ids, names or platforms: one string, or an iterable of strings."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = tuple(value)
        wrong = [item for item in items if not isinstance(item, str)]
        if not wrong:
            return items
        raise TypeError(f"hwspec.{function}: {argument}: expected strings, got "
                        f"{_kind(wrong[0])} among them")
    raise TypeError(f"hwspec.{function}: {argument}: expected a string or a list of strings, "
                    f"got {_kind(value)}")


def _packs(value: object, function: str) -> tuple[RulePack, ...]:
    from hwspec.engine.packs import RulePack

    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        packs = tuple(value)
        if all(isinstance(pack, RulePack) for pack in packs):
            return packs
        value = next(p for p in packs if not isinstance(p, RulePack))
    raise TypeError(f"hwspec.{function}: rules: expected rule packs (hwspec.load_packs reads "
                    f"them from files), got {_kind(value)}")


def _text(value: object, argument: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"hwspec.plan: {argument}: expected a string, got {_kind(value)}")
    if not value:
        from hwspec.errors import PlanError

        raise PlanError(f"hwspec.plan: {argument}: expected a name, got an empty string")
    return value


def _whole(value: object, argument: str) -> int:
    """A whole number of at least 1, as the command line's ``IntRange(min=1)`` takes it."""
    from hwspec.errors import PlanError

    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"hwspec.plan: {argument}: expected a whole number (int), got "
                        f"{_kind(value)}")
    if value < 1:
        raise PlanError(f"hwspec.plan: {argument}: expected a whole number of at least 1, got "
                        f"{value}")
    return value


def _amount(value: object, argument: str, *, positive: bool) -> float | None:
    """None, or a finite number above 0 (``positive``) or of 0 or more."""
    import math

    from hwspec.errors import PlanError

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"hwspec.plan: {argument}: expected a number or None, got "
                        f"{_kind(value)}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        limit = "above 0" if positive else "of 0 or more"
        raise PlanError(f"hwspec.plan: {argument}: expected a finite number {limit}, got "
                        f"{value}")
    return float(value)


def _optional(check: Callable[[object, str], Any]) -> Callable[[object, str], Any]:
    """``check``, letting None through."""
    return lambda value, argument: None if value is None else check(value, argument)


_TARGET_CHECKS: dict[str, Callable[[object, str], Any]] = {
    "model": _text, "precision": _text, "context_tokens": _whole,
    "min_decode_tokens_per_s": partial(_amount, positive=True), "batch": _whole,
    "engine": _optional(_text), "budget": partial(_amount, positive=False),
    "max_power_w": partial(_amount, positive=True),
    "platforms": lambda value, argument: _strings(value, "plan", argument), "top": _whole,
    "gpus": lambda value, argument: _strings(value, "plan", argument), "max_gpus": _whole,
    "offload": _optional(_text), "numa": _optional(_text), "objective": _text,
    "min_prefill_tokens_per_s": partial(_amount, positive=True),
    "max_ttft_s": partial(_amount, positive=True), "prompt_tokens": _optional(_whole),
    "basis": _text,
}
"""The check of each of ``plan``'s target keywords, by name (a ``Target``'s field of that name
is checked by the same one): a wrong type is a ``TypeError``, a value the command line would
refuse (``top=0``, a NaN power limit) a ``PlanError`` naming it."""


class _Settings(NamedTuple):
    """A check's settings from the library's arguments, each of its type."""

    packs: tuple[RulePack, ...]
    params: tuple[tuple[str, FactValue], ...]
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    catalog: Catalog | None
    config: Path | bool | None


def _settings(function: str, rules: object, params: object, select: object, ignore: object,
              catalog: object, config: object) -> _Settings:
    """The arguments ``validate`` and its kin share, checked: a wrong type is a ``TypeError``
    naming the argument, a path no file can have a ``ConfigError``."""
    from hwspec.errors import ConfigError

    if params is None:
        pairs: tuple[tuple[str, FactValue], ...] = ()
    elif isinstance(params, Mapping) and all(isinstance(k, str) for k in params):
        pairs = tuple(params.items())
    else:
        raise TypeError(f"hwspec.{function}: params: expected a dict of parameter name to value, "
                        f"got {_kind(params)}")
    if config is None or isinstance(config, bool):
        chosen: Path | bool | None = config
    else:
        (chosen,) = _paths(config, function, "config", ConfigError, many=False,
                           expected="a configuration file's path, False or None")
    return _Settings(_packs(rules, function), pairs, _strings(select, function, "select"),
                     _strings(ignore, function, "ignore"), _catalog(catalog, function), chosen)


_CATALOGS: dict[tuple[Any, ...], Catalog] = {}
"""Team catalogs read for library calls, by what identifies their files' content."""


def _catalog(catalog: object, function: str) -> Catalog | None:
    """The catalog to resolve against: the one given, or the built-in one with the team's
    files added (read again whenever a file changes: see ``_files_key``)."""
    from hwspec.catalog import Catalog
    from hwspec.errors import ConfigError

    if catalog is None or isinstance(catalog, Catalog):
        return catalog
    paths = _paths(catalog, function, "catalog", ConfigError,
                   expected="a Catalog, or catalog files or folders (paths)")
    key = _files_key(paths)
    if key not in _CATALOGS:
        from hwspec.catalog.user import load_user_catalog
        from hwspec.errors import CatalogError

        try:
            found = load_user_catalog(paths)
        except CatalogError as error:
            raise ConfigError(str(error)) from None
        if len(_CATALOGS) >= 16:
            _CATALOGS.clear()
        _CATALOGS[key] = found
    return _CATALOGS[key]


def _files_key(paths: Iterable[Path]) -> tuple[Any, ...]:
    """What identifies the content of files and folders (their ``*.toml`` files, as catalogs
    and packs read them): each file's resolved path, size and modification time in
    nanoseconds. An edit, a file added or removed, or a ``chdir`` that makes a relative path
    name another file changes it."""
    key: list[Any] = []
    for path in paths:
        try:
            resolved = path.resolve()
            files = sorted(resolved.rglob("*.toml")) if resolved.is_dir() else [resolved]
            for file in files:
                info = file.stat()
                key.append((str(file), info.st_size, info.st_mtime_ns, info.st_ino))
        except (OSError, ValueError):
            key.append((str(path), None))  # read (and refused) by the loader itself
    return tuple(key)


def _working_folder() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the folder was removed
        return None


def _config_path(config: Path | bool | None, spec_path: Path | None) -> Path | None:
    if config is False:
        return None
    if config is None or config is True:
        if spec_path is None:
            return None
        from hwspec.project.config import find_config

        return find_config(spec_path)
    return config


_CHECKERS: dict[tuple[Any, ...], tuple[tuple[object, ...], Checker]] = {}
"""Checkers kept for the next call with the same settings, each with the objects its key names
by ``id`` (so no other object can take that id while it is kept)."""


def _checker(settings: _Settings, spec_path: Path | None) -> Checker:
    """A checker for these settings, kept for the next call with the same ones: a planner that
    calls ``validate`` in a loop compiles the rule packs once, not once per spec. The key holds
    what identifies the configuration's files (and the packs and catalogs it names), so an edit
    to any of them is seen. A settings problem (a select that matches no rule, an unknown
    parameter) raises ``ConfigError``."""
    from hwspec.checker import Options
    from hwspec.project.checkers import checker_for

    config = _config_path(settings.config, spec_path)
    config_key: tuple[Any, ...] = ()
    if config is not None:
        from hwspec.project.config import load_config

        read = load_config(config)
        # The working folder too: reports name the configuration relative to it.
        config_key = (_working_folder(), *_files_key((*read.files, *read.rules, *read.catalog)))
    anchors = (*settings.packs, settings.catalog)
    # Each parameter's type beside its value: False == 0 and True == 1.0, and the checker kept
    # for one must not answer for the other (a number parameter refuses a bool).
    params = tuple((name, type(value), value) for name, value in settings.params)
    key: tuple[Any, ...] | None = (tuple(id(a) for a in anchors), params,
                                   settings.select, settings.ignore, config, config_key)
    try:
        found = _CHECKERS.get(key)  # type: ignore[arg-type]
    except TypeError:  # an unhashable parameter value: build a checker for this call only
        key, found = None, None
    if found is not None:
        return found[1]
    base = Options(packs=settings.packs, params=dict(settings.params), select=settings.select,
                   ignore=settings.ignore, catalog=settings.catalog)
    checker = checker_for(config, base, cli_select=bool(settings.select), origin="arguments")
    if key is not None:
        if len(_CHECKERS) >= 16:
            _CHECKERS.clear()
        _CHECKERS[key] = (anchors, checker)
    return checker
