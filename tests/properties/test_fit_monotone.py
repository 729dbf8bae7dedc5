"""Law: adding memory never turns FIT001 from pass to fail."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import fires

from hwspec.checker import Checker, Options
from hwspec.spec.vocab import BITS_PER_WEIGHT

CHECKER = Checker(Options(select=("FIT001",)))


def _fit_fails(modules: int, precision: str, context: int) -> bool:
    return fires(CHECKER, f"""
[build]
name = "fit"
[cpu]
part = "amd-epyc-9655"
count = 2
[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = {modules}
[workload]
model = "deepseek-r1"
precision = "{precision}"
context_tokens = {context}
""", "FIT001")


MODULE_GIB = 32  # micron-mtc20f2085s1rc64br: a 32 GiB RDIMM
R1_PARAMS = 671e9
R1_KV_BYTES_PER_TOKEN = 61 * (512 + 64) * 2  # MLA latent and rope key, 61 layers, f16


def _needed_gib(precision: str, context: int) -> float:
    """What FIT001 compares with the capacity, worked out by hand: weights and MLA cache plus the
    default 5 % reserve."""
    weights = R1_PARAMS * BITS_PER_WEIGHT[precision] / 8 / 2**30
    return 1.05 * (weights + R1_KV_BYTES_PER_TOKEN * context / 2**30)


@given(st.integers(0, 24), st.integers(1, 48), st.sampled_from(sorted(BITS_PER_WEIGHT)),
       st.integers(1, 160_000))
def test_more_memory_never_breaks_fit(slack: int, extra: int, precision: str,
                                      context: int) -> None:
    """A build with enough modules fits, and so does the same build with more modules."""
    modules = math.ceil(_needed_gib(precision, context) / MODULE_GIB) + slack

    assert (_fit_fails(modules, precision, context),
            _fit_fails(modules + extra, precision, context)) == (False, False)


@given(st.sampled_from(sorted(BITS_PER_WEIGHT)), st.integers(1, 160_000))
def test_one_module_short_does_not_fit(precision: str, context: int) -> None:
    """One module fewer than the model needs fails FIT001 (so the law above is not vacuous)."""
    modules = math.ceil(_needed_gib(precision, context) / MODULE_GIB) - 1

    assert _fit_fails(modules, precision, context) is True


@given(st.floats(0, 1e6, allow_nan=False))
def test_gpu_memory_needed_is_the_least_whole_mb_that_holds_the_model(required_gib: float) -> None:
    """The MB figure a GPU-memory setting is given holds the model, and one MB less does not."""
    from hwspec.formulas import gpu_memory_needed_mb

    needed = gpu_memory_needed_mb(required_gib)
    assert needed >= required_gib * 1024 > needed - 1
