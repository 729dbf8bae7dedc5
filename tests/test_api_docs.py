"""docs/api.md's examples run, from the repository root, and print what the page says."""

from __future__ import annotations

import doctest

import pytest
from tests.conftest import ROOT


def test_api_examples_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example in docs/api.md gives the output shown beside it."""
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert (result.failed, result.attempted > 15) == (0, True)
