"""The cold start of ``hwspec validate``: a pre-commit hook pays it on every commit, so checking
one spec imports only what checking and printing it need (docs/performance.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

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


LAUNCH_AND_COUNT_COLLECTIONS = """\
import atexit, contextlib, gc, io, sys

def collections():
    return sum(s["collections"] for s in gc.get_stats())

class Watch:  # notes whether the collector runs when the hwspec package starts to import
    seen = []
    def find_spec(self, name, path=None, target=None):
        if name == "hwspec" and not self.seen:
            self.seen.append((gc.isenabled(), collections()))
        return None

sys.meta_path.insert(0, Watch())
atexit.register(lambda: print(*Watch.seen[0], gc.isenabled(), collections() - Watch.seen[0][1],
                              file=sys.__stdout__))
sys.argv = ["hwspec", "validate", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    from _hwspec_launcher import main
    main()
"""


def test_the_command_validates_without_collecting_garbage() -> None:
    """The ``hwspec`` script's entry point turns the garbage collector off before it imports
    hwspec, attrs and click, and a validate run of one spec never turns it on: start-up makes
    many objects and no garbage, and each collection would walk them all."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", LAUNCH_AND_COUNT_COLLECTIONS,
                           str(SPECS / "epyc-dual.toml")], capture_output=True, text=True,
                          env=env, check=False)

    enabled_at_import, _, enabled_at_exit, collected = done.stdout.split()
    assert (done.returncode, done.stderr, enabled_at_import, enabled_at_exit, collected) == (
        1, "", "False", "False", "0")


def test_the_script_starts_at_the_launcher() -> None:
    """pyproject.toml's ``hwspec`` script is the launcher, which the wheel carries beside the
    package (tests/test_wheel.py runs the installed script)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())

    assert (project["project"]["scripts"]["hwspec"],
            project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"][
                "src/_hwspec_launcher.py"]) == ("_hwspec_launcher:main", "_hwspec_launcher.py")
