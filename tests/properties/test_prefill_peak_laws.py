"""Laws of the prefill bound's device rates: a card's faster paths (FP16 accumulation, INT8
tensor cores) never lower the GPUs' peak below their FP16 tensor rate, and integer-quantised
weights never lower the CPU bound below the one for the same CPUs at FP16 weights."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f
from hwspec.checker import Checker, Options

CHECKER = Checker(Options())
RATE = st.floats(min_value=1.0, max_value=5000.0, allow_nan=False)
MAYBE = st.none() | RATE
CARDS = st.lists(st.tuples(st.integers(min_value=1, max_value=8), RATE, MAYBE, MAYBE),
                 min_size=1, max_size=4)


@given(CARDS)
def test_the_gpus_peak_is_never_below_their_fp16_rate(cards: list[tuple[int, float,
                                                                         float | None,
                                                                         float | None]]) -> None:
    """prefill_peak_tflops is at least the sum of count x FP16 tensor rate."""
    fp16 = sum(count * rate for count, rate, _, _ in cards)
    assert f.prefill_peak_tflops(cards) >= fp16 * (1 - 1e-12)


def _bound(precision: str) -> float:
    text = ('[build]\nname = "x"\n[cpu]\npart = "amd-epyc-9654"\n'
            '[[memory]]\npart = "micron-mtc20f2085s1rc64br"\ncount = 12\n'
            f'[workload]\nmodel = "llama-3.1-8b"\nprecision = "{precision}"\n'
            'context_tokens = 4096\n')
    return float(CHECKER.check_text(text, path="t.toml").facts["prefill.tokens_per_s_max"])


@given(st.sampled_from(["q4_k_m", "q8_0", "int8", "q4_0"]))
def test_integer_weights_never_lower_the_cpu_bound(precision: str) -> None:
    """A Zen 4 CPU bound for integer-quantised weights is at least its bound for F16 weights."""
    assert _bound(precision) >= _bound("fp16")
