"""Every rule's own examples: the failing one fails that rule, the passing one passes it."""

from __future__ import annotations

import pytest

from hwspec.checker import Checker
from hwspec.engine.evaluate import PASS
from hwspec.engine.packs import Example, Rule, builtin_packs

CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{example.verdict}-{index}")
    for pack in builtin_packs()
    for rule in pack.rules
    for index, example in enumerate(rule.examples)
]

CHECKER = Checker()


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_loads_cleanly(rule: Rule, example: Example) -> None:
    """A rule example is a valid spec: it parses, structures and names only catalog parts."""
    report = CHECKER.check_text(example.spec, path=f"{rule.id}-example.toml")

    assert [f for f in report.findings if f.rule.startswith("SPEC")] == []


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_verdict_holds(rule: Rule, example: Example) -> None:
    """A failing example yields the rule's finding; a passing one is checked and passes."""
    report = CHECKER.check_text(example.spec, path=f"{rule.id}-example.toml")
    statuses = {o.status for o in report.outcomes if o.rule == rule.id}
    found = rule.id in {f.rule for f in report.findings}

    if example.verdict == "fail":
        assert found, f"{rule.id} did not fire; outcomes {statuses}"
    else:
        assert (False, {PASS}) == (found, statuses)


def test_every_builtin_rule_id_of_the_design_exists() -> None:
    """The rule ids promised by the design are all built in."""
    expected = {"CPU001", "CPU002", "CPU003", "MEM001", "MEM002", "MEM003", "MEM004", "MEM005",
                "MEM006", "MEM007", "PWR001", "PWR002", "FIT001", "FIT002", "CST001"}
    ids = {rule.id for pack in builtin_packs() for rule in pack.rules}

    assert expected <= ids
