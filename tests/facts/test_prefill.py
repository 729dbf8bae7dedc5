"""Prefill as engines run it: who computes the weights in system memory, what the expected
figure is taken against, and the prompt the time to first token is worked out for."""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import textwrap

import pytest

from hwspec import formulas as f
from hwspec.checker import Checker
from hwspec.facts import Facts

CHECKER = Checker()

HYBRID = textwrap.dedent("""\
    [build]
    name = "DeepSeek-R1 with the routed experts in RAM and the rest on an RTX 4090"

    [cpu]
    part = "amd-epyc-9355"

    [[memory]]
    part = "micron-mtc20f2085s1rc64br"
    count = 12

    [[gpu]]
    part = "nvidia-rtx-4090"
    pcie_gen = 4
    pcie_lanes = 16

    [workload]
    model = "deepseek-r1"
    precision = "q4_k_m"
    context_tokens = 8192
    offload = "experts-in-ram"
    engine = "{engine}"

    [workload.arch]
    expert_params_b = 653.91
    """)


def _facts(text: str) -> Facts:
    facts = CHECKER.check_text(text, path="t.toml").facts
    assert facts is not None
    return facts


def test_llama_cpp_copies_the_experts_to_the_gpu_for_each_batch() -> None:
    """Under llama.cpp the experts cross the PCIe link per batch, so the link bounds prefill."""
    facts = _facts(HYBRID.format(engine="llama.cpp"))
    assert "gpu" == facts["prefill.efficiency_class"]
    assert str(facts["prefill.basis"]).startswith("the PCIe link")
    assert facts["prefill.tokens_per_s_max"] == facts["prefill.link_tokens_per_s_max"]


def test_ik_llama_cpp_computes_repacked_experts_on_the_cpu() -> None:
    """Under ik_llama.cpp the CPU computes the experts: the expected figure is the CPU-experts
    class's, and the bound is the faster of that and llama.cpp's copy."""
    facts = _facts(HYBRID.format(engine="ik_llama.cpp"))
    assert "cpu-experts" == facts["prefill.efficiency_class"]
    assert float(facts["prefill.tokens_per_s_max"]) >= float(
        facts["prefill.link_tokens_per_s_max"])


def test_ktransformers_computes_the_experts_on_the_cpu() -> None:
    """KTransformers runs the experts on the CPU and the rest on the GPU, each at its rate."""
    facts = _facts(HYBRID.format(engine="ktransformers"))
    assert "ktransformers" == facts["prefill.efficiency_class"]
    assert "compute: each device runs the weights it holds" == facts["prefill.basis"]
    assert "prefill.link_tokens_per_s_max" not in facts


LAYER_SPLIT = textwrap.dedent("""\
    [build]
    name = "RTX 3090s"

    [[gpu]]
    part = "nvidia-rtx-3090"
    count = {count}

    [workload]
    model = "llama-3.1-8b"
    precision = "q4_k_m"
    context_tokens = 4096
    gpu_split = "{split}"
    """)


def test_cards_under_a_layer_split_take_turns_on_a_prompt() -> None:
    """Four like cards under a layer split expect one card's prefill; the bound adds them."""
    one = _facts(LAYER_SPLIT.format(count=1, split="layers"))
    four = _facts(LAYER_SPLIT.format(count=4, split="layers"))
    assert float(one["prefill.tokens_per_s_expected"]) == pytest.approx(
        float(four["prefill.tokens_per_s_expected"]))
    assert 4 * float(one["prefill.tokens_per_s_max"]) == pytest.approx(
        float(four["prefill.tokens_per_s_max"]))


def test_tensor_parallel_cards_add_their_rates() -> None:
    """Under tensor parallelism every card works on every layer at once: four expect four
    times one card's prefill."""
    one = _facts(LAYER_SPLIT.format(count=1, split="tensor"))
    four = _facts(LAYER_SPLIT.format(count=4, split="tensor"))
    assert 4 * float(one["prefill.tokens_per_s_expected"]) == pytest.approx(
        float(four["prefill.tokens_per_s_expected"]))


CPU_ONLY = textwrap.dedent("""\
    [build]
    name = "One EPYC 9655"

    [cpu]
    part = "amd-epyc-9655"

    [[memory]]
    part = "micron-mtc20f2085s1rc64br"
    count = 12

    [workload]
    model = "deepseek-r1"
    precision = "q4_k_m"
    context_tokens = {context}
    """)


def test_the_prompt_defaults_to_4096_tokens() -> None:
    """Without prompt_tokens, the time to first token is worked out for 4,096 tokens."""
    facts = _facts(CPU_ONLY.format(context=32768))
    assert f.DEFAULT_PROMPT_TOKENS == facts["workload.prompt_tokens"]
    assert 4096 / float(facts["prefill.tokens_per_s_expected"]) == pytest.approx(
        float(facts["prefill.ttft_s"]))


def test_the_default_prompt_is_never_longer_than_the_context() -> None:
    """A 2,048-token context holds a 2,048-token prompt at most."""
    assert 2048 == _facts(CPU_ONLY.format(context=2048))["workload.prompt_tokens"]


def test_a_cpu_build_expects_its_vector_rate_times_the_cpu_class() -> None:
    """On the CPU alone a mixture of experts on a core with no INT8 figure expects the FP32
    vector rate x the cpu-moe efficiency: 96 Zen 5 cores x 2.6 GHz x 64 FLOPs = 16 TFLOPS over 2
    x the active parameters."""
    facts = _facts(CPU_ONLY.format(context=32768))
    rate = 96 * 2.6 * 64 / 1000
    at_rate = rate * 1e12 / (2 * float(facts["model.active_params_b"]) * 1e9)
    assert facts["prefill.efficiency_class"] == "cpu-moe"
    assert at_rate * f.PREFILL_EFFICIENCY["cpu-moe"][1] == pytest.approx(
        float(facts["prefill.tokens_per_s_expected"]))


def _threadripper(model: str) -> str:
    """R117's machine, a Threadripper PRO 7965WX on eight channels, running ``model`` at Q4_0
    under ik_llama.cpp."""
    return textwrap.dedent(f"""\
        [build]
        name = "Threadripper"

        [cpu]
        part = "amd-threadripper-pro-7965wx"

        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 8

        [workload]
        model = "{model}"
        precision = "q4_0"
        engine = "ik_llama.cpp"
        context_tokens = 4096
        """)


def test_a_dense_model_on_int8_cores_expects_their_int8_rate_times_the_dense_class() -> None:
    """A dense model at Q4_0 on a Threadripper PRO 7965WX (Zen 4, 128 INT8 operations a cycle)
    expects 24 cores x 4.2 GHz x 128 = 12.9 TOPS over 2 x 72.7 B parameters x the cpu-dense
    efficiency: R117's machine, about 36 tokens/s against 45.6 measured."""
    facts = _facts(_threadripper("qwen2.5-72b"))
    at_rate = 24 * 4.2 * 128 * 1e9 / (2 * 72.7e9)
    assert facts["prefill.efficiency_class"] == "cpu-dense"
    assert at_rate * f.PREFILL_EFFICIENCY["cpu-dense"][1] == pytest.approx(
        float(facts["prefill.tokens_per_s_expected"]))


def test_a_mixture_of_experts_on_int8_cores_takes_the_fp32_rate_its_rows_were_measured_at() -> None:
    """The cpu-moe rows (R83-R86) were measured against the FP32 rate, so on the same
    Threadripper a mixture of experts at Q4_0 expects the FP32 vector rate x the cpu-moe
    efficiency, never the INT8 rate no such row ran against."""
    facts = _facts(_threadripper("qwen3-30b-a3b"))
    at_fp32 = float(facts["cpu.vector_tflops"]) * 1e12 / (
        2 * float(facts["model.active_params_b"]) * 1e9)

    assert (facts["prefill.efficiency_class"], at_fp32 * f.PREFILL_EFFICIENCY["cpu-moe"][1]) == (
        "cpu-moe", pytest.approx(float(facts["prefill.tokens_per_s_expected"])))


def test_a_cpus_own_rate_wins_over_its_platforms() -> None:
    """A Ryzen 9 7950X (Zen 4) on AM5 counts 32 FLOPs a cycle and a 9950X (Zen 5) 64."""
    spec = textwrap.dedent("""\
        [build]
        name = "Desktop"

        [cpu]
        part = "{part}"

        [[memory]]
        part = "crucial-ct64g56c46u5"
        count = 2

        [workload]
        model = "llama-3.1-8b"
        precision = "q4_k_m"
        context_tokens = 4096
        """)
    zen4 = _facts(spec.format(part="amd-ryzen-9-7950x"))
    zen5 = _facts(spec.format(part="amd-ryzen-9-9950x"))
    assert 16 * 4.5 * 32 / 1000 == pytest.approx(float(zen4["cpu.vector_tflops"]))
    assert 16 * 4.3 * 64 / 1000 == pytest.approx(float(zen5["cpu.vector_tflops"]))
