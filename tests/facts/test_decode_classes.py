"""Decode by device class, NUMA placement and context: what each spec shape is charged at, and
what the figure's basis names."""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import pytest

import hwspec
from hwspec import formulas
from hwspec.checker import Report

DUAL_GNR = """\
[build]
name = "Dual Xeon 6787P"
[cpu]
part = "intel-xeon-6787p"
count = 2
[[memory]]
part = "kingston-ksm64r52bd4-64md"
count = 16
[workload]
model = "kimi-k2"
precision = "q4_k"
context_tokens = 32768
engine = "llama.cpp"
numa = "{numa}"
"""

UNKNOWN_SPEED = """\
[build]
name = "Modules of unknown speed, measured"
[cpu]
part = "amd-epyc-9655"
[[memory]]
name = "64 GB DDR5 RDIMM"
generation = "DDR5"
kind = "RDIMM"
capacity_gib = 64
count = 12
[workload]
model = "llama-3.1-70b"
precision = "q4_k_m"
context_tokens = 4096
[measured]
bandwidth_gbs = 400
"""


def _check(text: str) -> Report:
    return hwspec.validate(hwspec.loads(text))


def _facts(text: str) -> dict[str, object]:
    facts = _check(text).facts
    assert facts is not None
    return dict(facts)


def test_interleave_without_a_link_figure_is_bounded_at_one_socket_and_says_so() -> None:
    """Granite Rapids-SP publishes no UPI bandwidth: the interleaved bound is one socket's, never
    the silent sum of both, and the basis names the missing figure."""
    facts = _facts(DUAL_GNR.format(numa="interleave"))

    assert facts["decode.ram_bandwidth_gbs"] == pytest.approx(
        facts["memory.bandwidth_per_socket_gbs"])
    assert "interconnect_gbs" in str(facts["decode.expected_basis"])
    assert "lga4710-gnr" in str(facts["decode.expected_basis"])


def test_replicating_the_weights_gains_the_measured_share_of_a_second_socket() -> None:
    """Two sockets with a copy of the weights each are expected at 1.4x one socket (R01/R02)."""
    interleaved = _facts(DUAL_GNR.format(numa="interleave"))
    replicated = _facts(DUAL_GNR.format(numa="replicate-per-socket"))

    assert replicated["decode.tokens_per_s_expected"] == pytest.approx(
        interleaved["decode.tokens_per_s_expected"] * 1.4)  # type: ignore[operator]


def test_a_measured_bandwidth_wins_where_the_memory_speed_is_unknown() -> None:
    """Modules with no speed and a [measured] figure: the sustained bandwidth is the measurement,
    the expected decode speed is derived from it, and the bound stays unknown."""
    facts = _facts(UNKNOWN_SPEED)

    assert (facts["memory.sustained_bandwidth_gbs"], facts["memory.sustained_basis"],
            "memory.bandwidth_gbs" in facts, "decode.tokens_per_s_max" in facts) == (
        400, "measured", False, False)
    assert facts["decode.tokens_per_s_expected"] == pytest.approx(
        400e9 / (facts["decode.ram_bytes_per_token_gb"] * 1e9  # type: ignore[operator]
                 - facts["model.ram_kv_cache_gib"] * 2**30)  # type: ignore[operator]
        * facts["decode.efficiency"], rel=1e-3)


def test_an_i_quant_on_cpu_names_the_compute_limit_it_was_checked_against() -> None:
    """IQ2_XXS on CPU cores: the basis names the cores' arithmetic limit and the figure it comes
    from, where it used to say the limit was not checked."""
    facts = _facts(DUAL_GNR.format(numa="interleave").replace('"q4_k"', '"iq2_xxs"'))

    assert "I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE" in str(facts["decode.expected_basis"])


def test_an_engine_without_measurements_widens_the_range_and_says_so() -> None:
    """vLLM on a CPU class: the class's central figure, the range widened to the generic one."""
    facts = _facts(DUAL_GNR.format(numa="single-socket").replace('"llama.cpp"', '"vllm"'))
    low, high = formulas.DECODE_EFFICIENCY_RANGE

    assert facts["decode.efficiency_low"] <= low  # type: ignore[operator]
    assert facts["decode.efficiency_high"] >= high  # type: ignore[operator]
    assert "no measurement of vllm" in str(facts["decode.expected_basis"])


def test_fit002_reads_the_expected_figure_at_the_full_context() -> None:
    """A target between the full-context expected figure and the bound fails FIT002: the bound
    reaching a target is not the build meeting it."""
    facts = _facts(DUAL_GNR.format(numa="interleave"))
    expected = float(facts["decode.tokens_per_s_expected_full_context"])  # type: ignore[arg-type]
    bound = float(facts["decode.tokens_per_s_max_full_context"])  # type: ignore[arg-type]
    target = (expected + bound) / 2
    report = _check(DUAL_GNR.format(numa="interleave").replace(
        'numa = "interleave"', f'numa = "interleave"\nmin_decode_tokens_per_s = {target:.3f}'))

    assert ["FIT002"] == [f.rule for f in report.findings if f.rule == "FIT002"]


UNIFIED_ON_CPU = """\
[build]
name = "Unified chip on its CPU"
[system]
part = "{part}"
[workload]
model = "llama-3.1-8b"
precision = "q8_0"
context_tokens = 1
device = "cpu"
"""


def test_the_cpu_cores_of_a_unified_chip_are_a_cpu_class_by_their_bus() -> None:
    """A Strix Halo run on its CPU cores (a 256-bit bus: 4 channels) is a many-channel CPU."""
    facts = _facts(UNIFIED_ON_CPU.format(part="framework-desktop-ryzen-ai-max-395-128gb"))

    assert formulas.SERVER_CPU == facts["decode.device_class"]


def test_the_cpu_cores_of_an_apple_chip_are_a_class_of_their_own() -> None:
    """An M3 Ultra run on its CPU cores is Apple's CPU class (R34, R110: its clusters cannot draw
    the bus), not a 16-channel server socket."""
    facts = _facts(UNIFIED_ON_CPU.format(part="apple-mac-studio-m3-ultra-512gb"))

    assert formulas.APPLE_CPU == facts["decode.device_class"]


UNIFIED_MOE = """\
[build]
name = "{part} running Qwen3-30B-A3B"
[system]
{system}
[workload]
model = "qwen3-30b-a3b"
precision = "q8_0"
context_tokens = 128
engine = "llama.cpp"
"""


def test_an_apple_gpu_decodes_a_mixture_of_experts_at_the_apple_class_figure() -> None:
    """A Mac's GPU on a mixture of experts takes the Apple class's efficiency (R108, R109), not
    the Strix Halo and DGX Spark one."""
    facts = _facts(UNIFIED_MOE.format(part="M2 Ultra",
                                      system='part = "apple-mac-studio-m2-ultra-192gb"'))

    assert formulas.APPLE_GPU == facts["decode.device_class"]
    assert formulas.DECODE_EFFICIENCY_BY_CLASS[formulas.APPLE_GPU, "moe"].central == facts[
        "decode.efficiency"]


def test_an_inline_system_naming_an_apple_processor_is_an_apple_gpu() -> None:
    """A system described inline is an Apple one when its processor names Apple."""
    facts = _facts(UNIFIED_MOE.format(
        part="inline Mac", system='name = "Mac Studio"\nprocessor = "Apple M4 Max"\n'
        "memory_gib = 128\nbandwidth_gbs = 546"))

    assert formulas.APPLE_GPU == facts["decode.device_class"]


def test_a_dgx_spark_stays_in_the_unified_memory_class() -> None:
    """A unified-memory GPU that is not Apple's keeps the Strix Halo and DGX Spark figure."""
    facts = _facts(UNIFIED_MOE.format(part="DGX Spark", system='part = "nvidia-dgx-spark"'))

    assert formulas.UNIFIED_GPU == facts["decode.device_class"]


FEW_CORES = """\
[build]
name = "12 Sapphire Rapids cores on 8 channels"
[cpu]
name = "12-core Xeon"
platform = "lga4677-spr"
cores = 12
[[memory]]
name = "32 GB DDR5-4800 RDIMM"
generation = "DDR5"
kind = "RDIMM"
capacity_gib = 32
speed_mts = 4800
count = 8
[workload]
model = "llama-3.1-70b"
precision = "{precision}"
context_tokens = 1
engine = "llama.cpp"
"""


def test_an_i_quant_on_few_cores_is_expected_at_the_cores_rate() -> None:
    """IQ2_XXS on 12 cores is expected at 12 x 26.5e9 weights/s (ik_llama.cpp PR 154) over the
    active weights, below what 8 channels would feed, and the basis says compute-bound."""
    facts = _facts(FEW_CORES.format(precision="iq2_xxs"))

    assert 12 * 26.5e9 / (float(facts["model.ram_active_params_b"]) * 1e9) == pytest.approx(
        facts["decode.tokens_per_s_expected"])
    assert "compute-bound" in str(facts["decode.expected_basis"])


def test_a_k_quant_keeps_the_memory_figure_and_names_the_unchecked_compute_limit() -> None:
    """Q4_K_M has no sourced per-core cost: its figure stays the memory's and the basis says
    the CPU's arithmetic rate was not checked."""
    facts = _facts(FEW_CORES.format(precision="q4_k_m"))

    assert "not checked against the CPU's arithmetic rate" in str(facts["decode.expected_basis"])
    assert "compute-bound" not in str(facts["decode.expected_basis"])
