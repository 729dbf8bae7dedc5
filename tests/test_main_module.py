"""``python -m hwspec`` and the licence the package declares."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import SPECS

ROOT = Path(__file__).resolve().parents[1]


def test_python_dash_m_runs_the_command_line() -> None:
    """``python -m hwspec validate`` checks a spec and exits as the script does."""
    result = subprocess.run([sys.executable, "-m", "hwspec", "validate", "--no-facts",
                             str(SPECS / "epyc-dual.toml")],
                            capture_output=True, text=True, check=False, timeout=60)

    assert result.returncode == 1, result.stderr
    assert "MEM001 error" in result.stdout


def test_the_licence_file_matches_the_declared_licence() -> None:
    """pyproject.toml declares MIT, and LICENSE is the MIT licence text."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]

    assert declared == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
