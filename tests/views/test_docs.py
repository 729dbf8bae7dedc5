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


def test_readme_links_work_on_a_package_index_page() -> None:
    """The README is the package's page on the index too, where a relative link leads nowhere:
    every link is absolute (or an anchor on the page), and each repository link names a file
    that exists."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", text)
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    base = "https://github.com/hwspec/hwspec/blob/main/"
    missing = [t for t in targets if t.startswith(base)
               and not (ROOT / t.removeprefix(base).split("#")[0]).exists()]
    assert (relative, missing) == ([], [])
