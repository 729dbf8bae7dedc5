"""Laws of the expected prefill and the time to first token: more cores or a higher clock never
lower the CPU figure, a faster PCIe link never lowers the hybrid figure, and the time to first
token grows linearly with the prompt."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f
from hwspec.checker import Checker, Options

CHECKER = Checker(Options())
CORES = st.integers(min_value=1, max_value=256)
GHZ = st.floats(min_value=0.5, max_value=6.0, allow_nan=False)
PROMPTS = st.integers(min_value=1, max_value=200_000)


def _cpu_spec(cores: int, ghz: float) -> str:
    return (
        '[build]\nname = "x"\n[cpu]\npart = "amd-epyc-9655"\n'
        f'cores = {cores}\nbase_ghz = {ghz!r}\n'
        '[[memory]]\npart = "micron-mtc20f2085s1rc64br"\ncount = 12\n'
        '[workload]\nmodel = "deepseek-r1"\nprecision = "q4_k_m"\ncontext_tokens = 8192\n')


def _expected(text: str) -> float:
    facts = CHECKER.check_text(text, path="t.toml").facts
    return float(facts["prefill.tokens_per_s_expected"])


@given(CORES, CORES, GHZ)
def test_more_cores_never_lower_the_cpu_figure(a: int, b: int, ghz: float) -> None:
    """With the clock fixed, the CPU with more cores never expects a slower prefill."""
    low, high = sorted((a, b))
    assert _expected(_cpu_spec(high, ghz)) >= _expected(_cpu_spec(low, ghz))


@given(CORES, GHZ, GHZ)
def test_a_higher_clock_never_lowers_the_cpu_figure(cores: int, a: float, b: float) -> None:
    """With the cores fixed, the faster clock never expects a slower prefill."""
    low, high = sorted((a, b))
    assert _expected(_cpu_spec(cores, high)) >= _expected(_cpu_spec(cores, low))


def _hybrid_spec(gen: int, lanes: int) -> str:
    return (
        '[build]\nname = "x"\n[cpu]\npart = "amd-ryzen-9-9950x"\n'
        '[[memory]]\nname = "m"\ngeneration = "DDR5"\nkind = "UDIMM"\ncapacity_gib = 48\n'
        'speed_mts = 5600\ncount = 2\n'
        f'[[gpu]]\npart = "nvidia-rtx-4090"\npcie_gen = {gen}\npcie_lanes = {lanes}\n'
        '[workload]\nmodel = "llama-3.3-70b"\nprecision = "q4_k_m"\ncontext_tokens = 4096\n'
        'engine = "llama.cpp"\noffload = "layers"\ngpu_layers = 40\n')


@given(st.integers(min_value=1, max_value=4), st.sampled_from([1, 2, 4, 8]))
def test_a_faster_link_never_lowers_the_hybrid_figure(gen: int, lanes: int) -> None:
    """A newer PCIe generation or twice the lanes never lowers the expected offload prefill."""
    base = _expected(_hybrid_spec(gen, lanes))
    assert _expected(_hybrid_spec(gen + 1, lanes)) >= base
    assert _expected(_hybrid_spec(gen, lanes * 2)) >= base


@given(PROMPTS, st.integers(min_value=2, max_value=16),
       st.floats(min_value=0.01, max_value=1e5, allow_nan=False))
def test_ttft_grows_linearly_with_the_prompt(prompt: int, k: int, rate: float) -> None:
    """k times the prompt takes k times as long to the first token."""
    one = f.ttft_s(prompt, rate)
    assert abs(f.ttft_s(prompt * k, rate) - k * one) <= 1e-9 * k * one


@given(st.integers(min_value=1, max_value=65_536), st.integers(min_value=2, max_value=8))
def test_ttft_in_a_spec_grows_linearly_with_prompt_tokens(prompt: int, k: int) -> None:
    """prefill.ttft_s of a spec scales with its workload.prompt_tokens."""
    spec = _cpu_spec(96, 2.6).replace('context_tokens = 8192\n', 'context_tokens = 1000000\n')
    one = CHECKER.check_text(spec + f"prompt_tokens = {prompt}\n", path="t.toml").facts
    many = CHECKER.check_text(spec + f"prompt_tokens = {prompt * k}\n", path="t.toml").facts
    assert abs(float(many["prefill.ttft_s"]) - k * float(one["prefill.ttft_s"])) <= (
        1e-9 * float(many["prefill.ttft_s"]))
