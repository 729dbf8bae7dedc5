"""The source distribution carries what its own test suite reads."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT

NOT_SHIPPED = {".ci", ".git", ".gitignore", "PKG-INFO", "dist", "build"}
"""Top-level entries an sdist leaves out (CI's script, git's files) or makes itself."""


def _sdist_include() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])


def test_sdist_includes_every_top_level_entry_of_the_tree() -> None:
    """Every file and folder at the top of the tree (bar caches, environments and git's) is in
    the sdist, so its tests find the fuzz regressions and the pre-commit hook definition."""
    entries = {p.name for p in ROOT.iterdir()
               if not p.name.endswith(("_cache", ".egg-info")) and p.name not in NOT_SHIPPED
               and not (p / "pyvenv.cfg").exists() and p.name not in {"__pycache__", ".hypothesis"}}

    assert entries - _sdist_include() - {"pyproject.toml"} == set()



def test_no_merge_leftover_is_in_the_tree() -> None:
    """No .orig or .rej file (what a patch or merge tool leaves beside a file) is in src, tests or
    docs, where a build or the docs would carry it."""
    leftovers = [p for folder in ("src", "tests", "docs") for suffix in ("*.orig", "*.rej")
                 for p in (ROOT / folder).rglob(suffix)]

    assert leftovers == []
