"""Coverage-guided fuzzing of ``hwspec model import FILE.gguf`` with atheris (not run in CI).

Each input is the bytes of a GGUF file. ``TestOneInput`` writes it to a temporary file and
imports it as the command does (the header checked in-process, the metadata and tensor table
read by hwspec's bounded reader in a child with a time and heap limit); it raises when a law is
broken: the import raises only ``ConfigImportError`` (with a reason), finishes within the
child's limit and a margin, and what it imports is a ``[workload.arch]`` a spec accepts. The
function needs hwspec and the gguf package, so the test suite runs it over
fuzz/regressions/gguf without atheris.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 40.0
"""The child is killed after 30 s (tools.gguf.CHILD_SECONDS); anything past 40 s is a hang."""


class LawError(AssertionError):
    """An exception, a delay or an import result ``model import`` must never produce."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Import one GGUF file's bytes; raise if a law is broken."""
    from hwspec.errors import ConfigImportError
    from hwspec.spec.load import structure_problem
    from hwspec.spec.model import ModelArch
    from hwspec.tools.gguf import import_gguf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "fuzz.gguf")
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            imported = import_gguf(path)
        except ConfigImportError as error:
            if not str(error).strip():
                raise LawError("a GGUF file refused without a reason") from None
            return
        finally:
            seconds = time.perf_counter() - start
            if seconds > MAX_SECONDS:
                raise LawError(f"importing took {seconds:.1f} s")
    problem = structure_problem(dict(imported.fields), ModelArch)
    if problem is not None:
        raise LawError(f"the import gave an arch no spec accepts: {problem}")


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    atheris.instrument_all()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
