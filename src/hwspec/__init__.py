"""hwspec: check hardware builds for running large language models before buying them.

    >>> import hwspec
    >>> report = hwspec.validate(hwspec.load("specs/epyc-dual.toml"))   # doctest: +SKIP
    >>> report.ok, [f.rule for f in report.findings]                     # doctest: +SKIP
    (False, ['MEM001', ...])

The pipeline is load -> resolve -> derive -> check; ``load`` and ``validate`` run it, and
``Checker`` keeps compiled rules for checking many specs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from hwspec._facts import FACTS, Facts, FactValue
from hwspec._findings import Finding
from hwspec._loader import SpecError, load_text, unstructure
from hwspec._rules import PackError, Rule, RulePack, builtin_packs, load_pack, load_packs
from hwspec._spec import Spec
from hwspec._validate import Checker, Options, Report
from hwspec.catalog import Catalog, builtin_catalog

try:
    __version__ = version("hwspec")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "FACTS",
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
    "dumps",
    "load",
    "load_pack",
    "load_packs",
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
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = source
    loaded = load_text(text)
    if loaded.spec is None:
        raise SpecError(loaded.findings)
    return loaded.spec


def dumps(spec: Spec) -> str:
    """Write a ``Spec`` back as TOML text (what was not given is left out)."""
    import tomli_w

    return tomli_w.dumps(unstructure(spec))


def validate(spec: Spec | str | Path, *, rules: Iterable[RulePack] = (),
             params: Mapping[str, FactValue] | None = None, select: Iterable[str] = (),
             ignore: Iterable[str] = (), catalog: Catalog | None = None) -> Report:
    """Check one spec (a ``Spec``, TOML text or a path) and return its ``Report``.

    ``rules`` adds packs to the built-in ones; ``params`` overrides rule parameters; ``select``
    and ``ignore`` choose rules by id, id prefix or name.
    """
    checker = Checker(Options(packs=tuple(rules), params=dict(params or {}),
                              select=tuple(select), ignore=tuple(ignore), catalog=catalog))
    if isinstance(spec, Spec):
        return checker.check_spec(spec)
    if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec
                                  and spec.endswith(".toml")):
        return checker.check_file(Path(spec))
    return checker.check_text(spec)
