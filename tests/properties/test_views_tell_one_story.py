"""Law: a figure that report, diff, fit and validate all show for a spec is one number. The
views read the checked facts; none computes a figure apart, so none can contradict another."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from tests.strategies import sparse_spec_data, spec_text, weighed_spec_data

from hwspec.checker import Checker
from hwspec.search.fit import answer
from hwspec.views.report import build_report, diff_reports

CHECKER = Checker()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_spec_data() | weighed_spec_data())
@example({"build": {"name": "every layer on the GPU"},  # the report's working read RAM bandwidth
          "cpu": {"part": "amd-epyc-9655"}, "memory": [{"part": "micron-mtc20f2085s1rc64br"}],
          "gpu": [{"part": "nvidia-rtx-3090"}],
          "workload": {"model": "deepseek-r1", "precision": "bf16", "context_tokens": 1,
                       "offload": "layers", "gpu_layers": 61}})
def test_report_and_diff_show_the_checked_facts(data: dict[str, object]) -> None:
    """Every report figure is its fact; the memory budget is FIT001's arithmetic; the bill sums
    to cost.total; a diff's old and new figures are each spec's facts."""
    checked = CHECKER.check_text(spec_text(data), path="spec.toml")
    assert checked.spec is not None
    assert checked.spec is not None
    facts = checked.facts.by_name
    built = build_report(checked)

    assert {f.key: f.value for f in built.figures} == {
        f.key: facts[f.key] for f in built.figures}
    assert built.bill is not None
    priced = [line.total for line in built.bill.lines if line.total is not None]
    assert (built.bill.total, built.bill.unpriced) == (
        facts.get("cost.total"), facts.get("cost.unpriced", ()))
    assert built.bill.total == (sum(priced) if priced else None)
    memory = built.memory
    if "model.margin_gib" in facts:
        assert memory is not None
        assert (memory.capacity_gib, memory.required_gib, memory.margin_gib) == (
            facts["memory.capacity_gib"], facts["model.required_gib"], facts["model.margin_gib"])
        fit001 = next((o for o in checked.outcomes if o.rule == "FIT001"), None)
        if fit001 is not None and fit001.status in ("pass", "fail"):
            assert (fit001.status == "fail") == (memory.margin_gib < 0)
    diff = diff_reports(checked, checked)
    for change in diff.changes:
        value = facts.get(change.key)
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        assert (change.old, change.new) == (number, number)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_spec_data() | weighed_spec_data())
def test_fit_gives_validates_verdict(data: dict[str, object]) -> None:
    """fit's verdict is validate's: False exactly when FIT001, FIT003 or FIT004 fails, and the
    derived model.fits says the same wherever it can tell."""
    checked = CHECKER.check_text(spec_text(data), path="spec.toml")
    assert checked.spec is not None
    assert checked.spec is not None
    failed = {f.rule for f in checked.findings} & {"FIT001", "FIT003", "FIT004"}
    verdict = answer(checked, CHECKER).fits

    assert (verdict is False) == bool(failed)
    derived = checked.facts.get("model.fits")
    # model.fits cannot tell without the model's size; FIT004 fails an offload to no GPU anyway.
    assert derived in (verdict, None)
