"""Law: model weights scale exactly with bits per weight (fp8 = 1/2 bf16 = 1/4 fp32)."""

from __future__ import annotations

import math
import textwrap

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import number_fact

from hwspec import formulas
from hwspec.checker import Checker
from hwspec.spec.vocab import BITS_PER_WEIGHT

params_b = st.floats(0.1, 5000, allow_nan=False, allow_infinity=False)
CHECKER = Checker()


@given(params_b)
def test_fp8_is_half_bf16_and_quarter_fp32(params: float) -> None:
    """For any parameter count, FP8 weights are half of BF16 and a quarter of FP32."""
    fp8 = formulas.weights_gib(params, BITS_PER_WEIGHT["fp8"])

    assert math.isclose(fp8 * 2, formulas.weights_gib(params, BITS_PER_WEIGHT["bf16"]))
    assert math.isclose(fp8 * 4, formulas.weights_gib(params, BITS_PER_WEIGHT["fp32"]))


@given(params_b, st.sampled_from(sorted(BITS_PER_WEIGHT)), st.sampled_from(sorted(BITS_PER_WEIGHT)))
def test_weights_ratio_is_bits_ratio(params: float, a: str, b: str) -> None:
    """The ratio of weights at two precisions is the ratio of their bits per weight."""
    ratio = formulas.weights_gb(params, BITS_PER_WEIGHT[a]) / formulas.weights_gb(
        params, BITS_PER_WEIGHT[b])

    assert math.isclose(BITS_PER_WEIGHT[a] / BITS_PER_WEIGHT[b], ratio)


@given(st.sampled_from(sorted(BITS_PER_WEIGHT)))
def test_spec_weights_follow_precision(precision: str) -> None:
    """Through the whole pipeline, model.weights_gib is 671e9 parameters x bits / 8 in GiB."""
    def weights(p: str) -> float:
        return number_fact(CHECKER, textwrap.dedent(f"""
            [build]
            name = "w"
            [workload]
            model = "deepseek-r1"
            precision = "{p}"
        """), "model.weights_gib")

    assert math.isclose(671e9 * BITS_PER_WEIGHT[precision] / 8 / 2**30, weights(precision))


@given(params_b)
def test_gib_and_gb_differ_by_the_binary_factor(params: float) -> None:
    """The same weights in GB are 2**30 / 10**9 times their GiB figure."""
    assert math.isclose(formulas.weights_gib(params, 8) * 2**30 / 1e9,
                        formulas.weights_gb(params, 8))
