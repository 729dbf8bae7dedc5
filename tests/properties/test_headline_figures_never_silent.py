"""Law: every headline figure a build should have is derived, or FIG001 names it."""

from __future__ import annotations

from hypothesis import given, settings
from tests.strategies import sparse_spec_data, spec_text

from hwspec.checker import Checker
from hwspec.unknown import HEADLINE_FIGURES

CHECKER = Checker()

# Which headline figures a build should have, by what it declares: memory figures need a
# [[memory]] entry, model and decode figures a [workload], power any part at all.
NEEDS = {
    "memory.effective_mts": ("memory",),
    "memory.bandwidth_gbs": ("memory",),
    "model.required_gib": ("workload",),
    "model.fits": ("workload",),
    "decode.tokens_per_s_max": ("workload",),
    "decode.tokens_per_s_expected": ("workload",),
    "power.load_w": ("board", "cpu", "memory", "gpu"),
}


@settings(max_examples=150)
@given(sparse_spec_data())
def test_every_headline_figure_is_derived_or_named(data: dict[str, object]) -> None:
    """Each headline figure the spec's tables call for is a fact, or FIG001 names it by its
    fact name in its message, and only then."""
    report = CHECKER.check_text(spec_text(data))
    assert report.spec is not None, report.findings
    named = {finding.message for finding in report.findings if finding.rule == "FIG001"}
    text = " ".join(named)
    for figure in HEADLINE_FIGURES:
        expected = any(table in data for table in NEEDS[figure])
        if figure in report.facts:
            assert figure not in text, (figure, text)
        elif expected:
            assert figure in text, (figure, data)


@settings(max_examples=150)
@given(sparse_spec_data())
def test_a_named_figure_comes_with_its_cause_and_input(data: dict[str, object]) -> None:
    """Every FIG001 finding says why and which input to give, and blames a key of the spec."""
    report = CHECKER.check_text(spec_text(data))
    assert report.spec is not None
    for unknown in report.facts.unknown:
        assert (bool(unknown.figures), bool(unknown.why), bool(unknown.supply)) == (True,) * 3
        assert unknown.path.split(".")[0].split("[")[0] in data, (unknown, data)
