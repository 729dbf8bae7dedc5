"""The text format's figures block."""

from __future__ import annotations

from tests.conftest import SPECS

from hwspec._validate import Checker
from hwspec.output import RenderOptions, reporter


def _text(name: str, *, show_facts: bool = True, with_rules: bool = False) -> list[str]:
    checker = Checker()
    report = checker.check_file(SPECS / name)
    options = RenderOptions(show_facts=show_facts, rules=checker.rules if with_rules else ())
    return reporter("text")([report], options).splitlines()


def test_the_rules_that_did_not_run_are_named_with_why() -> None:
    """The seed has no GPU, no PSU connector count and one DIMM per channel: FIT003 and PWR002
    lack their facts, FIT004 and MEM005 exclude the build by their condition."""
    assert [line for line in _text("epyc-dual.toml") if line.startswith("  not run")] == [
        "  not run    FIT003 needs gpu.vram_gib",
        "  not run    PWR002 needs psu.eps_connectors",
        "  not run    FIT004, MEM005 do not apply (their condition is false)",
    ]


def test_a_rule_excluded_by_its_condition_shows_the_condition() -> None:
    """With the rules at hand (as the command line has them), each condition that excluded the
    build is shown, so the reader sees what would make the rule apply."""
    assert [line for line in _text("epyc-dual.toml", with_rules=True)
            if "does not apply" in line] == [
        "  not run    FIT004 does not apply: workload.offload != 'none' is false",
        "  not run    MEM005 does not apply: memory.dimms_per_channel >= 2 is false",
    ]


def test_no_facts_leaves_the_rules_not_run_out() -> None:
    """The hook's --no-facts mode prints findings and verdicts only."""
    assert not [line for line in _text("epyc-dual.toml", show_facts=False) if "not run" in line]
