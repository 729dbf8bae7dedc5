"""The report's summary and each GPU's memory budget, read from checked reports.

Expected values are worked out by hand from the specs: the example rig's lines cost
1,100 + 550 + 2 x 180 + 2 x 750 + 2,000 + 650 = 6,160 USD against a 6,000 USD budget, and its
three cards (24, 24 and 32 GiB) take layers in proportion to their memory: 24/80, 24/80, 32/80.
"""

from __future__ import annotations

import math
import re

from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker
from hwspec.views.report import BuildReport, build_report
from hwspec.views.summary import SummaryItem

CHECKER = Checker()
RIG = ROOT / "docs" / "examples" / "report-gpu-rig.toml"


def _report(text: str) -> BuildReport:
    return build_report(CHECKER.check_text(text))


def _item(report: BuildReport, key: str) -> SummaryItem:
    return next(item for item in report.summary if item.key == key)


def test_the_summary_answers_in_the_order_a_reader_asks() -> None:
    """Verdict, fit, decode, prefill, cost, power: one answer each."""
    report = build_report(CHECKER.check_file(RIG))
    assert [i.key for i in report.summary] == ["verdict", "fit", "decode", "prefill", "cost",
                                                "power"]


def test_the_cost_over_budget_fails_by_its_rule() -> None:
    """The rig's 6,160 USD against its 6,000 USD budget: 160 over, as CST001 found."""
    cost = _item(build_report(CHECKER.check_file(RIG)), "cost")
    assert (cost.answer, cost.state, cost.rules) == ("6,160 USD", "error", ("CST001",))
    assert cost.detail == "budget 6,000 USD: 160 USD over"


def test_decode_gives_the_start_and_the_full_context_with_the_target() -> None:
    """The expected figure and its range at the start and at the full context, then the target
    and whether FIT002 found it met."""
    decode = _item(build_report(CHECKER.check_file(RIG)), "decode")
    assert re.fullmatch(r"[\d.]+ tokens/s \([\d.]+-[\d.]+\) at the start, [\d.]+ \([\d.]+-"
                        r"[\d.]+\) at the full 32,768-token context; target 15 at the full "
                        r"context: met", decode.detail), decode.detail
    assert decode.state == "ok"


def test_a_missed_decode_target_fails_by_fit002() -> None:
    """A target above the expected figure is missed, and the answer names the rule."""
    text = RIG.read_text(encoding="utf-8").replace("min_decode_tokens_per_s = 15",
                                                   "min_decode_tokens_per_s = 500")
    decode = _item(_report(text), "decode")
    assert (decode.state, decode.rules) == ("error", ("FIT002",))
    assert decode.detail.endswith("target 500 at the full context: missed")


def test_prefill_gives_the_first_token_against_its_target() -> None:
    """The rig's first-token target of 10 s, with the prompt the wait is for."""
    prefill = _item(build_report(CHECKER.check_file(RIG)), "prefill")
    assert prefill.answer.startswith("first token in ")
    assert "for a 4,096-token prompt; target 10 s: met" in prefill.detail


def test_an_unpriced_build_says_its_cost_is_unknown_and_what_would_price_it() -> None:
    cost = _item(build_report(CHECKER.check_file(SPECS / "am5.toml")), "cost")
    assert (cost.answer, cost.state) == ("unknown", "unknown")
    assert cost.detail == ("unknown: no line of the bill has a price (needs price on each part "
                           "table)")


def test_a_build_without_a_psu_says_the_psu_is_unknown() -> None:
    power = _item(build_report(CHECKER.check_file(SPECS / "am5.toml")), "power")
    assert power.state == "unknown"
    assert "PSU unknown: the spec declares no [psu] rating (needs a [psu] part or " \
           "psu.capacity_w)" in power.detail


def test_an_unknown_fit_names_the_missing_input() -> None:
    """A workload with no precision: the fit is unknown, and the answer says which key to add,
    as FIG001 does."""
    report = build_report(CHECKER.check_file(ROOT / "docs" / "examples" / "no-precision.toml"))
    fit = _item(report, "fit")
    assert (fit.answer, fit.state) == ("unknown", "unknown")
    assert fit.detail.startswith("unknown: ")
    assert "workload.precision" in fit.detail


def test_the_verdict_names_the_rules_that_failed() -> None:
    verdict = _item(build_report(CHECKER.check_file(SPECS / "epyc-dual.toml")), "verdict")
    assert (verdict.answer, verdict.detail) == ("FAILED", "2 errors, 2 warnings")
    assert verdict.rules == ("CST002", "MEM001", "PWR001", "PWR003")


def test_a_spec_that_does_not_load_has_the_verdict_alone() -> None:
    report = _report("[build\n")
    assert [i.key for i in report.summary] == ["verdict"]


def test_each_gpu_holds_its_share_in_proportion_to_its_vram() -> None:
    """Under llama.cpp's layer split the rig's cards take 24/80, 24/80 and 32/80 of what the
    GPUs hold."""
    report = build_report(CHECKER.check_file(RIG))
    facts = CHECKER.check_file(RIG).facts
    assert facts is not None
    held = facts.by_name["model.gpu_required_gib"]
    assert isinstance(held, float)
    assert [(c.label, c.vram_gib) for c in report.gpu_cards] == [
        ("GPU 1: NVIDIA GeForce RTX 3090", 24), ("GPU 2: NVIDIA GeForce RTX 3090", 24),
        ("GPU 3: NVIDIA GeForce RTX 5090", 32)]
    assert [round(c.required_gib / held, 6) for c in report.gpu_cards] == [0.3, 0.3, 0.4]


def test_the_fullest_card_is_the_one_validate_weighs() -> None:
    """The least margin of the cards drawn is model.gpu_device_margin_gib, which FIT003 checks."""
    checked = CHECKER.check_file(RIG)
    assert checked.facts is not None
    cards = build_report(checked).gpu_cards
    assert math.isclose(min(c.margin_gib for c in cards),
                        float(checked.facts.by_name["model.gpu_device_margin_gib"]))


def test_a_build_with_nothing_on_gpus_draws_no_cards() -> None:
    assert build_report(CHECKER.check_file(SPECS / "epyc-dual.toml")).gpu_cards == ()


def test_an_unknown_prefill_names_the_rate_it_needs() -> None:
    """A CPU with no clock: the prefill bound's reason, said once."""
    prefill = _item(build_report(CHECKER.check_file(ROOT / "tests" / "data" / "measured"
                                                    / "R39.toml")), "prefill")
    assert prefill.state == "unknown"
    assert prefill.detail.startswith("unknown: the CPUs' peak rate is not known: it needs "
                                     "cpu.base_ghz")
