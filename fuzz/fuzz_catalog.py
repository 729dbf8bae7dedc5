"""Coverage-guided fuzzing of a team's catalog files (``--catalog FILE``) with atheris (not run
in CI).

Each input is the bytes of a catalog file. ``TestOneInput`` writes it to a temporary file and
loads it as ``--catalog`` does; when it loads, it checks the seed spec with the catalog and
plans the seed question with every part the file adds priced (and the built-in PSUs), within
small search limits. It raises when a law is broken: loading raises only ``CatalogError``
naming the file, checking never raises, planning raises only ``PlanError`` and stays within its
limits, and each step finishes within a time bound. The function needs nothing but hwspec, so
the test suite runs it over fuzz/regressions/catalog without atheris.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 2.0
"""Catalog files are at most 1 MiB and the search is limited: any step past this is a hang."""


class LawError(AssertionError):
    """An exception or a delay a team's catalog must never cause."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Load one catalog file, check the seed spec and plan with it; raise if a law is broken."""
    from hwspec.catalog.user import load_user_catalog
    from hwspec.checker import Checker, Options
    from hwspec.errors import CatalogError, PlanError
    from hwspec.search.plan import PriceList, Target, plan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "parts.toml")
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            catalog = load_user_catalog([path])
        except CatalogError as error:
            if not str(error).startswith(str(path)):
                raise LawError(f"a catalog refused without naming the file: {error}") from None
            return
        finally:
            _in_time(start, "loading")
    start = time.perf_counter()
    Checker(Options(catalog=catalog)).check_text(_seed(), path="seed.toml")
    _in_time(start, "checking the seed")
    priced = {e.id: 1.0 for e in catalog.entries() if not e.origin.startswith("catalog/")}
    priced.update({e.id: 100.0 for e in catalog.entries("psu")})  # so a build can be made
    target = Target(model="deepseek-r1", top=2, max_checked=20, max_seconds=0.5)
    start = time.perf_counter()
    try:
        answer = plan(target, PriceList("USD", priced), catalog=catalog)
    except PlanError as error:
        if not str(error).strip():
            raise LawError("plan refused without a reason") from None
        return
    finally:
        _in_time(start, "planning")
    if answer.search.checked > target.max_checked:
        raise LawError(f"the search broke its limit: {answer.search}")


def _in_time(start: float, what: str) -> None:
    seconds = time.perf_counter() - start
    if seconds > MAX_SECONDS:
        raise LawError(f"{what} took {seconds:.1f} s")


def _seed() -> str:
    return (Path(__file__).resolve().parents[1] / "specs" / "epyc-dual.toml").read_text(
        encoding="utf-8")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib", "cattrs"]):
        import hwspec.catalog.user  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
