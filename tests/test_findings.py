"""Suggestions: the did-you-mean every refusal carries."""

from __future__ import annotations

from hwspec.catalog import builtin_catalog
from hwspec.findings import closest


def test_a_name_that_differs_only_in_case_is_the_one_suggestion() -> None:
    """``DeepSeek-R1`` suggests ``deepseek-r1`` alone, not its near namesakes too."""
    assert builtin_catalog().closest("model", "DeepSeek-R1") == ["deepseek-r1"]


def test_a_misspelt_name_still_gets_the_closest_names() -> None:
    """A typo that is no case variant gets the difflib matches, best first."""
    assert closest("capacity_gb", ["capacity_gib", "speed_mts", "capacity_w"], n=2) == [
        "capacity_gib", "capacity_w"]
