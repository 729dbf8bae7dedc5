"""The generated docs are current: docs/rules.md and docs/facts.md match the records."""

from __future__ import annotations

import pytest
from tests.conftest import ROOT, invoke

from hwspec.views.docs import generated_pages


@pytest.mark.parametrize(("relative", "text"), sorted(generated_pages().items()))
def test_generated_page_is_current(relative: str, text: str) -> None:
    """The committed page equals what `python -m hwspec.views.docs` writes now."""
    assert text == (ROOT / relative).read_text(encoding="utf-8"), (
        f"{relative} is stale: run `python -m hwspec.views.docs`")


def test_readme_shows_the_seed_output() -> None:
    """The README's example output is what hwspec prints for the seed build today."""


    result = invoke(["validate", "specs/epyc-dual.toml"], catch_exceptions=False)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert result.stdout.strip() in readme
