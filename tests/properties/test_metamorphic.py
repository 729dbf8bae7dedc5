"""Laws of the rule set: order independence, ignore and parameter locality."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import ROOT
from tests.strategies import spec_data, spec_text

from hwspec.checker import Checker, Options
from hwspec.engine.packs import builtin_packs, load_pack

POLICY = load_pack(ROOT / "docs" / "examples" / "policy.toml")
FORWARD = Checker(Options(packs=(POLICY,)))
RULE_IDS = sorted(r.id for p in (*builtin_packs(), POLICY) for r in p.rules)


def _key(report: Any) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.path, f.message) for f in report.findings)


@given(spec_data(), st.permutations(RULE_IDS))
def test_findings_do_not_depend_on_rule_order(data: dict[str, Any], order: list[str]) -> None:
    """Selecting the rules in any order gives the same findings."""
    text = spec_text(data)
    shuffled = Checker(Options(packs=(POLICY,), select=tuple(order)))

    assert _key(FORWARD.check_text(text)) == _key(shuffled.check_text(text))


@given(spec_data(), st.sampled_from(RULE_IDS))
def test_ignoring_a_rule_removes_exactly_its_findings(data: dict[str, Any], rule: str) -> None:
    """Ignoring one rule removes that rule's findings and leaves every other finding."""
    text = spec_text(data)
    ignored = Checker(Options(packs=(POLICY,), ignore=(rule,)))

    assert [k for k in _key(FORWARD.check_text(text)) if k[0] != rule] == _key(
        ignored.check_text(text))


@given(spec_data(), st.floats(0.05, 1.0, allow_nan=False))
def test_param_override_changes_only_rules_reading_it(data: dict[str, Any], value: float) -> None:
    """Changing psu_max_load changes no finding except PWR001's."""
    text = spec_text(data)
    changed = Checker(Options(packs=(POLICY,), params={"psu_max_load": value}))

    assert [k for k in _key(FORWARD.check_text(text)) if k[0] != "PWR001"] == [
        k for k in _key(changed.check_text(text)) if k[0] != "PWR001"]
