"""Law: checking never raises on a structurally valid spec, and every finding's path exists."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from tests.strategies import spec_data, spec_text

from hwspec.checker import Checker
from hwspec.findings import parse_path

CHECKER = Checker()


@given(spec_data())
def test_every_valid_spec_checks_without_raising(data: dict[str, Any]) -> None:
    """Any generated spec yields a report with facts and no structure findings."""
    report = CHECKER.check_text(spec_text(data))

    assert (report.spec is not None,
                          [f for f in report.findings if f.rule in ("SPEC001", "SPEC002")]) == (True, [])


@given(spec_data())
def test_every_finding_blames_a_table_of_the_spec(data: dict[str, Any]) -> None:
    """The top-level table each finding blames is one the spec has."""
    report = CHECKER.check_text(spec_text(data))
    tables = {str(parse_path(f.path)[0]) for f in report.findings if f.path}

    assert tables <= set(data)
