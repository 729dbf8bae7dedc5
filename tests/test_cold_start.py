"""The cold start of ``hwspec validate``: a pre-commit hook pays it on every commit, so checking
one spec imports only what checking and printing it need (docs/performance.md)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import ROOT, SPECS, invoke

VALIDATE_AND_LIST_MODULES = """\
import atexit, contextlib, io, sys
# main() ends a validate run itself (without the interpreter's teardown), running the exit
# handlers first: the list is printed by one.
atexit.register(lambda: print("\\n".join(sorted(sys.modules)), file=sys.__stdout__))
sys.argv = ["hwspec", "validate", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    from hwspec.cli import main
    main()
"""

NOT_ON_THE_VALIDATE_PATH = (
    "cattrs",  # structure errors only: the fast path loads a valid spec
    "json",  # the JSON formats and quoting an unusual key path
    "dataclasses",  # records are attrs classes, served from compiled.py
    "multiprocessing",  # workers only from 200 files
    "tomllib",  # specs are read with tomli; tomllib is only TomlLimitError's second base
    "hwspec.cli_commands",  # every command but validate
    "hwspec.views.report",
    "hwspec.search.plan",
    "hwspec.output.json",
)


@pytest.fixture(scope="module")
def validate_modules() -> frozenset[str]:
    """The modules a new process has imported once it has validated the seed spec."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", VALIDATE_AND_LIST_MODULES,
                           str(SPECS / "epyc-dual.toml")], capture_output=True, text=True,
                          env=env, check=False)
    assert (done.returncode, done.stderr) == (1, ""), done.stderr  # the seed fails: exit 1
    return frozenset(done.stdout.split())


@pytest.mark.parametrize("module", NOT_ON_THE_VALIDATE_PATH)
def test_validating_one_spec_leaves_a_module_it_does_not_need_unimported(
        module: str, validate_modules: frozenset[str]) -> None:
    """``hwspec validate`` on one valid spec never imports a module only other work needs."""
    assert "hwspec.checker" in validate_modules  # the run did check the spec
    assert module not in validate_modules


def test_a_validate_process_prints_all_its_output_and_exits_with_its_code() -> None:
    """``hwspec validate`` in a new process, which ends without the interpreter's teardown,
    prints what the command prints in-process and exits with its code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "GITHUB_ACTIONS": ""}
    args = ["validate", "-v", str(SPECS)]
    expected = invoke(args, env={"GITHUB_ACTIONS": ""})
    done = subprocess.run([sys.executable, "-m", "hwspec", *args], capture_output=True,
                          text=True, env=env, check=False)
    assert (expected.exit_code, expected.stdout) == (done.returncode, done.stdout)
