"""The public library API."""

from __future__ import annotations

import pytest
from tests.conftest import SPECS

import hwspec


@pytest.mark.parametrize("name", hwspec.__all__)
def test_every_public_name_imports(name: str) -> None:
    """Every name in __all__ is importable from hwspec."""
    assert hasattr(hwspec, name)


def test_validate_a_path() -> None:
    """hwspec.validate on the seed build's path reports MEM001 and is not ok."""
    report = hwspec.validate(SPECS / "epyc-dual.toml")

    assert (report.ok, [f.rule for f in report.findings]) == (False, ["CST002", "MEM001", "PWR003"])


def test_validate_a_loaded_spec() -> None:
    """hwspec.validate takes a Spec from hwspec.load and derives the same facts."""
    spec = hwspec.load(SPECS / "epyc-dual.toml")
    report = hwspec.validate(spec)
    from_path = hwspec.validate(SPECS / "epyc-dual.toml")

    assert report.facts is not None
    assert from_path.facts is not None
    assert (report.facts.values, report.facts.get("memory.capacity_gib")) == (
        from_path.facts.values, 768)


def test_validate_with_param_override() -> None:
    """params= overrides a rule parameter for that call."""
    report = hwspec.validate(SPECS / "epyc-dual.toml", params={"psu_max_load": 0.5})

    assert "PWR001" in {f.rule for f in report.findings}


def test_version_is_a_string() -> None:
    """__version__ comes from the installed distribution."""
    assert hwspec.__version__ == "0.1.0"
