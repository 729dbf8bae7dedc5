"""The benchmark script runs end to end (a tiny run: the figures themselves are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "run.py"

SECTIONS = ("== Cold start", "== Throughput: 20 generated specs", "== Ratios ==", "== Targets ==")


def run_quick(*extra: str) -> str:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--quick", *extra], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_quick_run_prints_every_section() -> None:
    out = run_quick()
    for header in SECTIONS:
        assert header in out, out
    assert "PYTHONDONTWRITEBYTECODE" in out
    assert "hwspec validate specs/epyc-dual.toml" in out
    assert "python -c pass" in out
    assert "hwspec ÷ check-jsonschema" in out
    assert "hwspec ÷ parse-only, time ratio (one process each" in out
    assert "hwspec ÷ parse-only, time ratio (in-process" in out
    assert "none at SPEC00x" in out
    assert "cold single-spec validation under 100 ms" in out
    assert "time at most 4.5x parse-only's" in out


@pytest.mark.slow
def test_without_check_jsonschema_its_rows_read_na(tmp_path: Path) -> None:
    out = run_quick("--check-jsonschema", str(tmp_path / "no-such-command"))
    for header in SECTIONS:
        assert header in out, out
    assert "check-jsonschema not found" in out
    assert "hwspec ÷ check-jsonschema, time ratio: n/a" in out
    assert "[n/a]" in out
    assert "hwspec ÷ parse-only" in out
