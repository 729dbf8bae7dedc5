"""Coverage-guided fuzzing of the rule expression compiler with atheris (not run in CI).

Each input is the UTF-8 text of one rule ``check``. ``TestOneInput`` compiles it against the
built-in fact names and, when it compiles, evaluates it on a few environments; it raises when a
law is broken: compiling raises only ``ExpressionError``, evaluating only ``MissingValue`` or
``EvaluationError``, and both finish within a time bound. The function needs nothing but hwspec,
so the test suite runs it over fuzz/corpus/expr without atheris.
"""

from __future__ import annotations

import sys
import time
from typing import Any

MAX_SECONDS = 2.0
"""A check is at most a couple of thousand characters: compiling and evaluating it takes
milliseconds. Longer than this is a hang the limits should have stopped."""

_names: list[dict[str, Any]] = []
_envs: list[list[dict[str, object]]] = []


class LawError(AssertionError):
    """An exception or a delay the expression compiler must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Compile and evaluate one expression; raise if a law is broken."""
    from hwspec.engine.expr import EvaluationError, MissingValue, compile_expression
    from hwspec.errors import ExpressionError

    source = data.decode("utf-8", "replace")
    start = time.perf_counter()
    try:
        compiled = compile_expression(source, names())
    except ExpressionError as error:
        if not error.message.strip():
            raise LawError(f"an expression refused without a reason: {source!r}") from None
        return
    finally:
        _in_time(start, "compile", source)
    for env in _environments():
        start = time.perf_counter()
        try:
            compiled.evaluate(env)
        except (MissingValue, EvaluationError):
            pass
        finally:
            _in_time(start, "evaluate", source)


def _in_time(start: float, what: str, source: str) -> None:
    seconds = time.perf_counter() - start
    if seconds > MAX_SECONDS:
        raise LawError(f"{what} took {seconds:.1f} s on {source[:80]!r}")


def names() -> dict[str, Any]:
    """Every name a built-in rule may read, with its type (built once)."""
    if not _names:
        from hwspec.engine.packs import fact_types

        _names.append(fact_types("memory"))
    return _names[0]


def _environments() -> list[dict[str, object]]:
    """No facts; and the seed build's facts (its first module as the item), built once."""
    if not _envs:
        _envs.append(_seed_environments())
    return _envs[0]


def _seed_environments() -> list[dict[str, object]]:
    from pathlib import Path

    from hwspec.checker import Checker

    seed = Path(__file__).resolve().parents[1] / "specs" / "epyc-dual.toml"
    report = Checker().check_file(seed)
    facts: dict[str, object] = dict(report.facts.by_name) if report.facts is not None else {}
    items = report.facts.entries.get("memory", ()) if report.facts is not None else ()
    return [{}, {**facts, **(items[0] if items else {})}]


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec"]):
        import hwspec.engine.expr  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
