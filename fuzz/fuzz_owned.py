"""Coverage-guided fuzzing of ``hwspec plan --owned FILE`` with atheris (not run in CI).

Each input is the bytes of a file of owned parts (``parts = ["id", {part = "id", count =
N}]``). ``TestOneInput`` writes it to a temporary file and reads it as the command does; it
raises when a law is broken: reading raises only ``PlanError`` naming the file, what loads is
a tuple of (part id, units), each id once, whose units then cost nothing, and reading finishes
within a time bound. The function needs nothing but hwspec, so the test suite runs it over
fuzz/regressions/owned without atheris.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 2.0
"""Files of owned parts are at most 1 MiB: reading one past this is a hang."""


class LawError(AssertionError):
    """An exception, a delay or a list of parts ``plan --owned`` must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Read one file of owned parts; raise if a law is broken."""
    from hwspec.errors import PlanError
    from hwspec.search.plan import PriceList, Target, cost_of, load_owned

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "owned.toml")
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            owned = load_owned(path)
        except PlanError as error:
            if not str(error).startswith(f"{path}: "):
                raise LawError(f"an owned file refused without naming the file: {error}") from None
            return
        finally:
            seconds = time.perf_counter() - start
            if seconds > MAX_SECONDS:
                raise LawError(f"reading took {seconds:.1f} s")
    if not isinstance(owned, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
            and isinstance(p[1], int) and p[1] >= 1 for p in owned):
        raise LawError(f"owned parts are not a tuple of (id, units): {owned!r}")
    if len({part for part, _ in owned}) != len(owned):
        raise LawError(f"an id is given twice: {owned!r}")
    prices, target = PriceList("USD", {"amd-epyc-9115": 800.0}), Target("m", owned=owned)
    if any(cost_of(prices, target, part, units) != 0 for part, units in owned):
        raise LawError("an owned part still costs something")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib"]):
        import hwspec.search.plan  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
