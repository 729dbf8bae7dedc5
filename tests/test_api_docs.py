"""docs/api.md's examples run, from the repository root, print what the page says, and are
what typed code can write: they pass ``mypy --strict`` as they are."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT

API_PAGE = ROOT / "docs" / "api.md"


def test_api_examples_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example in docs/api.md gives the output shown beside it."""
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(API_PAGE), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert (result.failed, result.attempted > 15) == (0, True)


def example_source(page: str) -> str:
    """The Python of a page's doctest examples, as one module: each ``>>>`` and ``...`` line
    without its prompt, in order (the shown output left out)."""
    lines: list[str] = []
    for block in re.findall(r"```python\n(.*?)```", page, re.S):
        for line in block.splitlines():
            if line.startswith((">>> ", "... ")):
                lines.append(line[4:])
            elif line in (">>>", "..."):
                lines.append("")
    return "\n".join(lines) + "\n"


def test_example_source_keeps_statements_and_drops_output() -> None:
    """The extracted module holds the prompts' code, continuation lines included, and no output."""
    page = "```python\n>>> x = 1\n>>> if x:\n...     print(x)\n1\n\n```\n"

    assert example_source(page) == "x = 1\nif x:\n    print(x)\n"


def test_api_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """docs/api.md's examples, as one module, have no error under ``mypy --strict``: the library
    they use is typed as they use it (no None where the page reads a value, no Any to cast)."""
    from mypy import api  # in the test extra: this check is part of the suite, never skipped
    module = tmp_path / "api_examples.py"
    module.write_text(example_source(API_PAGE.read_text(encoding="utf-8")), encoding="utf-8")

    stdout, stderr, status = api.run(["--strict", "--no-incremental",
                                      "--cache-dir", str(tmp_path / "cache"), str(module)])

    assert status == 0, stdout + stderr
