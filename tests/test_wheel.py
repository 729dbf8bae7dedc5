"""The built wheel carries the rule packs and catalog: install it in a fresh venv and validate."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS


@pytest.mark.slow
def test_installed_wheel_validates_the_seed_build(tmp_path: Path) -> None:
    """A wheel built from the tree, installed in a new venv, finds MEM001 in the seed build."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(dist.glob("hwspec-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run(
        [str(bin_dir / "hwspec"), "validate", str(SPECS / "epyc-dual.toml")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )

    assert (result.returncode, "MEM001 error memory[0].kind" in result.stdout) == (1, True), (
        result.stdout + result.stderr)
