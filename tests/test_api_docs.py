"""docs/api.md's examples run, from the repository root, and print what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from tests.conftest import ROOT


def test_api_examples_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example in docs/api.md gives the output shown beside it."""
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert (result.failed, result.attempted > 15) == (0, True)


def test_the_plan_example_passes_mypy_strict(tmp_path: Path) -> None:
    """The code of docs/api.md's plan example type-checks under mypy --strict."""
    api = pytest.importorskip("mypy.api")
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    block = text[text.index("## Plan"):].split("```python", 1)[1].split("```", 1)[0]
    code = [line[4:] for line in block.splitlines() if line.startswith((">>> ", "... "))]
    example = tmp_path / "plan_example.py"
    example.write_text("\n".join(code) + "\n", encoding="utf-8")
    # The project's own cache (.mypy_cache, as `mypy` on src/ leaves it): a cold one takes
    # a minute on a shared machine.
    out, err, status = api.run(["--strict", "--cache-dir", str(ROOT / ".mypy_cache"),
                                str(example)])
    assert (status, err) == (0, ""), out
