"""Golden outputs over specs/: validate's text, JSON and SARIF and report's text for every
example spec, byte for byte. A change to any of them is deliberate: regenerate with
``HWSPEC_REGENERATE_GOLDENS=1 pytest tests/test_goldens.py`` and commit the new files with the
reason, so a refactor that means to change nothing shows that it did not."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS, invoke

import hwspec

GOLDENS = ROOT / "tests" / "data" / "goldens"
COMMANDS = {
    "text": ("validate", "--format", "text"),
    "json": ("validate", "--format", "json"),
    "sarif": ("validate", "--format", "sarif"),
    "report": ("report", "--format", "text"),
}
CASES = [(spec.name, kind) for spec in sorted(SPECS.glob("*.toml")) for kind in COMMANDS]


def _output(spec: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)  # paths in the output as a user in the repository sees them
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = invoke([*COMMANDS[kind], f"specs/{spec}"])
    # The tool's version is in SARIF; a release should not rewrite every golden file.
    return re.sub(re.escape(f'"{hwspec.__version__}"'), '"VERSION"', result.stdout)


@pytest.mark.parametrize(("spec", "kind"), CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_output_is_the_golden_one(spec: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = GOLDENS / f"{Path(spec).stem}.{kind}"
    output = _output(spec, kind, monkeypatch)
    if os.environ.get("HWSPEC_REGENERATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == output


def test_every_golden_file_has_its_spec() -> None:
    """No golden outlives its spec: a removed spec takes its files with it."""
    expected = {f"{Path(spec).stem}.{kind}" for spec, kind in CASES}
    assert sorted(p.name for p in GOLDENS.iterdir()) == sorted(expected)
