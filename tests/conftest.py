"""Shared test set-up: Hypothesis profiles and paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "slow", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def seed_text() -> str:
    """The seed build's TOML text."""
    return (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")


def invoke(args: Sequence[str], **options: Any) -> Any:
    """Run the command line in-process, as every command-line test does: ``options`` go to
    ``CliRunner.invoke`` (``input``, ``env`` ...); an exception other than an exit is raised
    unless ``catch_exceptions=True`` is given."""
    from click.testing import CliRunner

    from hwspec.cli import cli

    options.setdefault("catch_exceptions", False)
    return CliRunner().invoke(cli, list(args), **options)
