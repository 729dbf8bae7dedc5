"""The cold start of ``hwspec validate``: a pre-commit hook pays it on every commit, so checking
one spec imports only what checking and printing it need (docs/performance.md)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import ROOT, SPECS

VALIDATE_AND_LIST_MODULES = """\
import contextlib, io, sys
sys.argv = ["hwspec", "validate", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    from hwspec.cli import main
    main()
print("\\n".join(sorted(sys.modules)))
"""

NOT_ON_THE_VALIDATE_PATH = (
    "cattrs",  # structure errors only: the fast path loads a valid spec
    "json",  # the JSON formats and quoting an unusual key path
    "dataclasses",  # records are attrs classes, served from compiled.py
    "multiprocessing",  # workers only from 200 files
    "hwspec.views.report",
    "hwspec.search.plan",
    "hwspec.output.json",
)


@pytest.fixture(scope="module")
def validate_modules() -> frozenset[str]:
    """The modules a new process has imported once it has validated the seed spec."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", VALIDATE_AND_LIST_MODULES,
                          str(SPECS / "epyc-dual.toml")], capture_output=True, text=True,
                         env=env, check=True).stdout
    return frozenset(out.split())


@pytest.mark.parametrize("module", NOT_ON_THE_VALIDATE_PATH)
def test_validating_one_spec_leaves_a_module_it_does_not_need_unimported(
        module: str, validate_modules: frozenset[str]) -> None:
    """``hwspec validate`` on one valid spec never imports a module only other work needs."""
    assert "hwspec.checker" in validate_modules  # the run did check the spec
    assert module not in validate_modules
