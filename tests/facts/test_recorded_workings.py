"""Derive records each figure's working where it computes the figure, so what a report shows
beside a result is the arithmetic that gave it."""

from __future__ import annotations

import pickle
import re
import textwrap
from pathlib import Path

import pytest
from tests.conftest import invoke

from hwspec.checker import Checker
from hwspec.facts import FACTS_BY_NAME, Facts, Working, Workings
from hwspec.views.report import build_report

CHECKER = Checker()

TWO_CARDS_IN_TURN = textwrap.dedent("""\
    [build]
    name = "Two RTX 3090s, one after another"

    [[gpu]]
    part = "nvidia-rtx-3090"
    count = 2

    [workload]
    model = "llama-3.3-70b"
    precision = "q4_k_m"
    context_tokens = 8192
    gpu_split = "layers"
    """)

SYSTEM = textwrap.dedent("""\
    [build]
    name = "A unified-memory box"

    [system]
    name = "Unified-memory box"
    memory_gib = 128
    gpu_memory_share = 0.75
    {memory}

    [workload]
    model = "llama-3.1-8b"
    precision = "q4_k_m"
    context_tokens = 4096
    """)


def _facts(text: str) -> Facts:
    facts = CHECKER.check_text(text).facts
    assert facts is not None
    return facts


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_a_layer_split_decode_working_divides_one_cards_bandwidth() -> None:
    """Two identical cards read in turn: the working shows 936 GB/s (one RTX 3090), not the
    1,872 GB/s of both, over the bytes per token."""
    working = _facts(TWO_CARDS_IN_TURN).workings["decode.tokens_per_s_max"]

    assert re.fullmatch(r"936 GB/s / [\d.]+ GB per token", working.working), working.working


def test_a_layer_split_decode_working_gives_its_result() -> None:
    """The working's bandwidth over its bytes per token is the decode bound it sits beside."""
    working = _facts(TWO_CARDS_IN_TURN).workings["decode.tokens_per_s_max"]
    bandwidth, per_token = _numbers(working.working)

    assert _numbers(working.result)[0] == pytest.approx(bandwidth / per_token, abs=0.05)


def test_a_gpu_only_expected_working_claims_no_memory_bandwidth() -> None:
    """With every byte on the GPUs, the expected speed is the bound times the engine efficiency:
    system memory's sustained bandwidth plays no part and the working does not say it does."""
    working = _facts(TWO_CARDS_IN_TURN).workings["decode.tokens_per_s_expected"]

    assert working.working == "the bound x 0.76 (discrete GPU), range x 0.4 to x 1"


def test_a_system_with_bus_width_and_speed_works_out_its_bandwidth() -> None:
    """A [system] giving its bus and speed has its bandwidth worked out: 8,000 MT/s x 256 bits
    / 8 = 256 GB/s."""
    facts = _facts(SYSTEM.format(memory="bus_width_bits = 256\nspeed_mts = 8000"))
    working = facts.workings["memory.bandwidth_gbs"]

    assert (working.working, working.result, working.formula) == (
        "8,000 MT/s x 256 bits / 8", "256 GB/s", "unified_bandwidth_gbs")


def test_a_system_stating_its_bandwidth_has_no_bandwidth_working() -> None:
    """A [system] giving its bus width and bandwidth but no speed states the figure: nothing is
    worked out, so no working is recorded (the report used to fail looking for the speed)."""
    facts = _facts(SYSTEM.format(memory="bus_width_bits = 256\nbandwidth_gbs = 256"))

    assert (facts["memory.bandwidth_gbs"], "memory.bandwidth_gbs" in facts.workings) == (
        256, False)


def test_report_on_a_system_with_bus_width_and_no_speed_succeeds(tmp_path: Path) -> None:
    """`hwspec report` on a [system] with bus_width_bits and no speed_mts shows its stated
    bandwidth and exits 0 (it raised KeyError: memory.effective_mts)."""
    spec = tmp_path / "box.toml"
    spec.write_text(SYSTEM.format(memory="bus_width_bits = 256\nbandwidth_gbs = 256"),
                    encoding="utf-8")

    result = invoke(["report", str(spec)])

    assert (result.exit_code, "bandwidth, theoretical     256 GB/s" in result.output) == (
        0, True), result.output


def test_report_workings_are_the_ones_derive_recorded() -> None:
    """The report shows derive's recorded workings, in its own order, and adds none."""
    facts = _facts(TWO_CARDS_IN_TURN)
    report = build_report(CHECKER.check_text(TWO_CARDS_IN_TURN))

    assert set(report.workings) == set(facts.workings.values())


def test_an_assumed_speed_carries_its_caveat_from_the_record() -> None:
    """memory.effective_mts's record names its caveat: shown when memory.speed_assumed, with
    memory.speed_limit_basis as its text."""
    record = FACTS_BY_NAME["memory.effective_mts"]
    facts = {"memory.speed_assumed": True, "memory.speed_limit_basis": "assumed: the lowest"}

    assert (record.caveat_text(facts), record.caveat_text({**facts, "memory.speed_assumed": False})
            ) == ("assumed: the lowest", None)


OFFLOAD = textwrap.dedent("""\
    [build]
    name = "Twenty layers of a 70B model on one RTX 3090"

    [cpu]
    part = "amd-epyc-9655"

    [[memory]]
    part = "micron-mtc20f2085s1rc64br"
    count = 12

    [[gpu]]
    part = "nvidia-rtx-3090"
    pcie_gen = 4
    pcie_lanes = 16

    [workload]
    model = "llama-3.3-70b"
    precision = "q4_k_m"
    context_tokens = 8192
    offload = "layers"
    gpu_layers = 20
    """)


def test_a_split_decode_working_sums_each_memorys_time_to_its_result() -> None:
    """With layers in both memories the working is 1 / (RAM GB / RAM GB/s + GPU GB / GPU GB/s),
    and that sum of times gives the bound beside it."""
    working = _facts(OFFLOAD).workings["decode.tokens_per_s_max"]
    ram_gb, ram_gbs, gpu_gb, gpu_gbs = _numbers(working.working)[1:]

    assert _numbers(working.result)[0] == pytest.approx(
        1 / (ram_gb / ram_gbs + gpu_gb / gpu_gbs), abs=0.05)


def test_an_offload_prefill_working_shows_the_link_that_bounds_it() -> None:
    """Under llama.cpp's offload the weights in system memory cross PCIe once per batch: the
    working is batch x link GB/s / GB copied, which gives the bound beside it."""
    working = _facts(OFFLOAD).workings["prefill.tokens_per_s_max"]
    batch, link_gbs, copied_gb = _numbers(working.working)

    assert (working.formula, _numbers(working.result)[0]) == (
        "offload_prefill_tokens_per_s_max", pytest.approx(batch * link_gbs / copied_gb, abs=1))


def test_a_working_is_written_out_once_when_first_read() -> None:
    """A working given as a function is called when the working is first read, and only then:
    asking whether a figure has one, listing or counting them writes nothing out."""
    calls: list[str] = []

    def later() -> Working:
        calls.append("written")
        return Working("memory bandwidth", "memory_bandwidth_gbs", "6,000 MT/s x 8 B x 24",
                       "1,152 GB/s")

    workings = Workings({"memory.bandwidth_gbs": later})
    asked = ("memory.bandwidth_gbs" in workings, list(workings), len(workings), list(calls))
    first, again = workings["memory.bandwidth_gbs"], workings["memory.bandwidth_gbs"]

    assert (asked, first is again, calls) == (
        (True, ["memory.bandwidth_gbs"], 1, []), True, ["written"])


def test_workings_equal_and_pickle_as_the_workings_written_out() -> None:
    """Two derives of one build compare equal whether or not their workings were read, and a
    pickled report carries its workings written out (a function does not pickle)."""
    first, second = _facts(TWO_CARDS_IN_TURN), _facts(TWO_CARDS_IN_TURN)
    _ = first.workings["decode.tokens_per_s_max"]

    restored = pickle.loads(pickle.dumps(second.workings))

    assert (first.workings == second.workings, dict(restored) == dict(first.workings),
            first.workings == dict(first.workings)) == (True, True, True)
