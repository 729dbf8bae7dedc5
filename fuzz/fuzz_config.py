"""Coverage-guided fuzzing of configuration files with atheris (not run in CI).

Each input is the bytes of a configuration file. ``TestOneInput`` writes it as ``hwspec.toml``
in one temporary folder and as ``pyproject.toml`` in another, and builds the checker each
configures as ``hwspec validate`` does (the file read and structured, ``extend`` followed, its
rule packs and catalog loaded, its selectors and parameters checked); it raises when a law is
broken: only ``ConfigError`` or ``PackError``, with a message, and each finishes within a time
bound. The function needs nothing but hwspec, so the test suite runs it over
fuzz/regressions/config without atheris.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 2.0
"""Configuration files are at most 1 MiB and extend at most 32 others: past this is a hang."""


class LawError(AssertionError):
    """An exception or a delay reading a configuration must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Build the checker one configuration file configures, as either file name; raise if a
    law is broken."""
    from hwspec.checker import Options
    from hwspec.errors import ConfigError, PackError
    from hwspec.project.checkers import checker_for

    for name in ("hwspec.toml", "pyproject.toml"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, name)
            path.write_bytes(data)
            start = time.perf_counter()
            try:
                checker_for(path, Options())
            except (ConfigError, PackError) as error:
                if not str(error).strip():
                    raise LawError(f"{name} refused without a reason") from None
            finally:
                seconds = time.perf_counter() - start
                if seconds > MAX_SECONDS:
                    raise LawError(f"configuring from {name} took {seconds:.1f} s")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib", "cattrs"]):
        import hwspec.project.checkers  # noqa: F401 - imported here to be instrumented

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
