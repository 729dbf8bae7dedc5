"""Coverage-guided fuzzing of the rule-pack loader with atheris (not run in CI).

Each input is the bytes of a rule pack file. ``TestOneInput`` loads it as ``--rules FILE`` does
and, when it loads, combines it with the built-in packs and checks the seed spec with it; it
raises when a law is broken: loading and combining raise only ``PackError`` (with a message
naming the file), checking never raises, and each step finishes within a time bound. The
function needs nothing but hwspec, so the test suite runs it over fuzz/corpus/pack without
atheris.
"""

from __future__ import annotations

import sys
import time

MAX_SECONDS = 2.0
"""Packs are at most 1 MiB, expressions and templates bounded: any step past this is a hang."""

ORIGIN = "fuzz-pack.toml"


class LawError(AssertionError):
    """An exception or a delay the pack loader must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Load one pack and check the seed spec with it; raise if a law is broken."""
    from hwspec.engine.packs import builtin_packs, combine, load_pack_text
    from hwspec.errors import PackError

    start = time.perf_counter()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # load_pack refuses undecodable files before this point
    try:
        pack = load_pack_text(text, ORIGIN)
        combine((*builtin_packs(), pack))
    except PackError as error:
        if not str(error).startswith(f"{ORIGIN}: ") or not error.detail.strip():
            raise LawError(f"a pack refused without naming the file and why: {error}") from None
        return
    finally:
        _in_time(start, "loading")
    from hwspec.checker import Checker, Options

    start = time.perf_counter()
    Checker(Options(packs=(pack,))).check_text(_seed(), path="seed.toml")
    _in_time(start, "checking the seed")


def _in_time(start: float, what: str) -> None:
    seconds = time.perf_counter() - start
    if seconds > MAX_SECONDS:
        raise LawError(f"{what} took {seconds:.1f} s")


def _seed() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "specs" / "epyc-dual.toml").read_text(
        encoding="utf-8")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib"]):
        import hwspec.engine.packs  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
