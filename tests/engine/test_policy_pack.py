"""The example policy pack in docs/examples passes its own examples, via hwspec test-rules."""

from __future__ import annotations

from tests.conftest import ROOT, invoke

from hwspec.cli import EXIT_OK


def test_policy_pack_examples_hold() -> None:
    """hwspec test-rules docs/examples/policy.toml reports every example ok."""
    result = invoke(["test-rules", str(ROOT / "docs/examples/policy.toml")],
                                catch_exceptions=False)

    assert (result.exit_code,
                                                result.stdout.strip().splitlines()[-1]) == (EXIT_OK, "8 passed, 0 failed")


def test_builtin_packs_pass_test_rules() -> None:
    """hwspec test-rules on the built-in packs reports no failure."""
    result = invoke(["test-rules", str(ROOT / "rules")], catch_exceptions=False)

    assert (result.exit_code, result.stdout.strip().endswith(", 0 failed")) == (EXIT_OK, True)
