"""Laws of the CPU prefill classes: their efficiencies lie in (0, 1] and are ordered, the rate
they are applied to is never above the cores' fastest rate, so the expected high end of a
CPU-only build never exceeds its bound, whatever the model's shape and the weights' precision."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f
from hwspec.checker import Checker, Options

CHECKER = Checker(Options())
PER_CYCLE = st.floats(min_value=1.0, max_value=4096.0, allow_nan=False)


@given(st.sampled_from(["cpu-dense", "cpu-moe"]))
def test_cpu_efficiencies_are_ordered_and_in_the_unit_interval(cls: str) -> None:
    """A CPU class's low, central and high efficiency satisfy 0 < low <= central <= high <= 1."""
    low, central, high = f.PREFILL_EFFICIENCY[cls]
    assert 0 < low <= central <= high <= 1


@given(PER_CYCLE, st.none() | PER_CYCLE)
def test_the_kernel_rate_never_exceeds_the_fastest_rate(vector: float,
                                                        int8: float | None) -> None:
    """The rate the CPU classes apply to is at most the faster of FP32 and INT8."""
    fastest = max(vector, int8 or 0.0)
    assert f.cpu_kernel_ops_per_cycle(vector, int8) <= fastest


@given(PER_CYCLE)
def test_the_kernel_rate_is_fp32_without_an_int8_rate(vector: float) -> None:
    """Where the core's INT8 rate is unknown, the kernels are compared with FP32."""
    assert vector == f.cpu_kernel_ops_per_cycle(vector, None)


def _facts(cpu: str, model: str, precision: str) -> dict[str, object]:
    text = (f'[build]\nname = "x"\n[cpu]\npart = "{cpu}"\n'
            '[[memory]]\npart = "micron-mtc20f2085s1rc64br"\ncount = 12\n'
            f'[workload]\nmodel = "{model}"\nprecision = "{precision}"\n'
            'context_tokens = 4096\n')
    facts = CHECKER.check_text(text, path="t.toml").facts
    assert facts is not None
    return dict(facts)


@given(st.sampled_from(["amd-epyc-9654", "amd-epyc-9655", "intel-xeon-6980p"]),
       st.sampled_from(["llama-3.1-70b", "qwen3-235b-a22b", "deepseek-r1"]),
       st.sampled_from(["q4_k_m", "q8_0", "bf16", "fp16"]))
def test_the_expected_high_end_never_exceeds_the_bound(cpu: str, model: str,
                                                       precision: str) -> None:
    """A CPU-only build's expected prefill high end is at most its prefill bound."""
    facts = _facts(cpu, model, precision)
    high = facts["prefill.tokens_per_s_expected_high"]
    bound = facts["prefill.tokens_per_s_max"]
    assert isinstance(high, float)
    assert isinstance(bound, float)
    assert high <= bound


@given(st.sampled_from(["q4_k_m", "q8_0", "q4_0"]))
def test_a_dense_model_takes_the_dense_class(precision: str) -> None:
    """A dense model on the CPU alone takes cpu-dense, a mixture of experts cpu-moe."""
    dense = _facts("amd-epyc-9654", "llama-3.1-70b", precision)["prefill.efficiency_class"]
    moe = _facts("amd-epyc-9654", "qwen3-235b-a22b", precision)["prefill.efficiency_class"]
    assert (dense, moe) == ("cpu-dense", "cpu-moe")
