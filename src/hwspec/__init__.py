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

if TYPE_CHECKING:
    from hwspec._facts import FACTS, Facts, FactValue
    from hwspec._findings import Finding
    from hwspec._loader import SpecError
    from hwspec._report import BuildDiff, BuildReport
    from hwspec._rules import PackError, Rule, RulePack, builtin_packs, load_pack, load_packs
    from hwspec._spec import Spec
    from hwspec._validate import Checker, Options, Report
    from hwspec.catalog import Catalog, builtin_catalog

# Public names and the private module each lives in. They are imported on first use (PEP 562),
# so `import hwspec` and the command line's start-up load only what a command needs.
_LAZY: dict[str, str] = {
    "FACTS": "hwspec._facts",
    "Facts": "hwspec._facts",
    "FactValue": "hwspec._facts",
    "Finding": "hwspec._findings",
    "SpecError": "hwspec._loader",
    "PackError": "hwspec._rules",
    "Rule": "hwspec._rules",
    "RulePack": "hwspec._rules",
    "builtin_packs": "hwspec._rules",
    "load_pack": "hwspec._rules",
    "load_packs": "hwspec._rules",
    "Spec": "hwspec._spec",
    "Checker": "hwspec._validate",
    "Options": "hwspec._validate",
    "Report": "hwspec._validate",
    "BuildDiff": "hwspec._report",
    "BuildReport": "hwspec._report",
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
    "Checker",
    "FactValue",
    "Facts",
    "Finding",
    "Options",
    "PackError",
    "Report",
    "Rule",
    "RulePack",
    "Spec",
    "SpecError",
    "__version__",
    "builtin_catalog",
    "builtin_packs",
    "diff",
    "dumps",
    "load",
    "load_pack",
    "load_packs",
    "report",
    "validate",
]


def load(source: str | Path) -> Spec:
    """Load a spec from a path or from TOML text; raise ``SpecError`` with findings if it is bad.

    A ``Path``, or a string naming an existing file that ends in ``.toml``, is read as a file;
    any other string is TOML text.
    """
    if isinstance(source, Path) or (
        isinstance(source, str) and source.endswith(".toml") and "\n" not in source
        and Path(source).is_file()
    ):
        from hwspec._findings import Finding
        from hwspec._loader import SpecError, read_spec

        read = read_spec(Path(source))
        if isinstance(read, Finding):
            raise SpecError((read,))
        text = read
    else:
        text = source
    from hwspec._loader import SpecError, load_text

    loaded = load_text(text)
    if loaded.spec is None:
        raise SpecError(loaded.findings)
    return loaded.spec


def dumps(spec: Spec) -> str:
    """Write a ``Spec`` back as TOML text (what was not given is left out)."""
    import tomli_w

    from hwspec._loader import unstructure

    return tomli_w.dumps(unstructure(spec))


def validate(spec: Spec | str | Path, *, rules: Iterable[RulePack] = (),
             params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
             ignore: Iterable[str] = (), catalog: Catalog | None = None) -> Report:
    """Check one spec (a ``Spec``, TOML text or a path) and return its ``Report``.

    ``rules`` adds packs to the built-in ones; ``params`` overrides rule parameters; ``select``
    and ``ignore`` choose rules by id, id prefix or name.
    """
    from hwspec._spec import Spec

    checker = _checker(tuple(rules), tuple((params or {}).items()), tuple(select), tuple(ignore),
                       catalog)
    if isinstance(spec, Spec):
        return checker.check_spec(spec)
    if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec
                                  and spec.endswith(".toml")):
        return checker.check_file(Path(spec))
    return checker.check_text(spec)



def report(spec: Spec | str | Path, *, rules: Iterable[RulePack] = (),
           params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
           ignore: Iterable[str] = (), catalog: Catalog | None = None) -> BuildReport:
    """Check one spec and arrange its bill, figures, memory and power budgets and findings.

    Takes what ``validate`` takes; render the result with ``hwspec.output.report.render_report``.
    """
    from hwspec._report import build_report

    checked = validate(spec, rules=rules, params=params, select=select, ignore=ignore,
                       catalog=catalog)
    return build_report(checked, catalog, params=params)


def diff(old: Spec | str | Path, new: Spec | str | Path, *, rules: Iterable[RulePack] = (),
         params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
         ignore: Iterable[str] = (), catalog: Catalog | None = None) -> BuildDiff:
    """Check two specs and compare the figures that decide a build, and their findings."""
    from hwspec._report import diff_reports

    packs, chosen, skipped = tuple(rules), tuple(select), tuple(ignore)
    before = validate(old, rules=packs, params=params, select=chosen, ignore=skipped,
                      catalog=catalog)
    after = validate(new, rules=packs, params=params, select=chosen, ignore=skipped,
                     catalog=catalog)
    return diff_reports(before, after, catalog, params=params)


_CHECKERS: dict[tuple[Any, ...], Checker] = {}


def _checker(rules: tuple[RulePack, ...], params: tuple[tuple[str, FactValue], ...],
             select: tuple[str, ...], ignore: tuple[str, ...], catalog: Catalog | None) -> Checker:
    """A checker for these settings, kept for the next call with the same ones: a planner that
    calls ``validate`` in a loop compiles the rule packs once, not once per spec."""
    from hwspec._validate import Checker, Options

    key: tuple[Any, ...] | None = (tuple(id(pack) for pack in rules), params, select, ignore,
                                   id(catalog))
    try:
        found = _CHECKERS.get(key)  # type: ignore[arg-type]
    except TypeError:  # an unhashable parameter value: build a checker for this call only
        key, found = None, None
    if found is not None:
        return found
    checker = Checker(Options(packs=rules, params=dict(params), select=select, ignore=ignore,
                              catalog=catalog))
    if key is not None:
        if len(_CHECKERS) >= 16:
            _CHECKERS.clear()
        _CHECKERS[key] = checker
    return checker
