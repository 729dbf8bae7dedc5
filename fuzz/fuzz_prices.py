"""Coverage-guided fuzzing of ``hwspec plan --prices FILE`` with atheris (not run in CI).

Each input is the bytes of a price list. ``TestOneInput`` writes it to a temporary file, reads
it as the command does and, when it loads, plans the seed question with it on the built-in
catalog within small search limits; it raises when a law is broken: reading raises only
``PlanError`` naming the file, a list that loads holds finite prices of 0 or more in a
three-letter currency, planning raises only ``PlanError`` and stays within its limits, and
each step finishes within a time bound. The function needs nothing but hwspec, so the test
suite runs it over fuzz/regressions/prices without atheris.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 2.0
"""Price lists are at most 1 MiB and the search is limited: any step past this is a hang."""


class LawError(AssertionError):
    """An exception, a delay or a price list ``plan`` must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Read one price list and plan with it; raise if a law is broken."""
    from hwspec.errors import PlanError
    from hwspec.search.plan import Target, load_prices, plan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "prices.toml")
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            prices = load_prices(path)
        except PlanError as error:
            if not str(error).startswith(f"{path}: "):
                raise LawError(f"a price list refused without naming the file: {error}") from None
            return
        finally:
            _in_time(start, "reading")
    if len(prices.currency) != 3 or not prices.currency.isupper():
        raise LawError(f"currency {prices.currency!r} is not an ISO 4217 code")
    bad = {k: v for k, v in prices.prices.items() if not (math.isfinite(v) and v >= 0)}
    if bad:
        raise LawError(f"prices that are not finite and 0 or more: {bad}")
    target = Target(model="deepseek-r1", min_decode_tokens_per_s=5, top=2, max_checked=20,
                    max_seconds=0.5)
    start = time.perf_counter()
    try:
        answer = plan(target, prices)
    except PlanError as error:
        if not str(error).strip():
            raise LawError("plan refused without a reason") from None
        return
    finally:
        _in_time(start, "planning")
    search = answer.search
    if search.checked > target.max_checked or search.complete == (search.stopped_by is not None):
        raise LawError(f"the search broke its limits or did not say so: {search}")


def _in_time(start: float, what: str) -> None:
    seconds = time.perf_counter() - start
    if seconds > MAX_SECONDS:
        raise LawError(f"{what} took {seconds:.1f} s")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib"]):
        import hwspec.search.plan  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
