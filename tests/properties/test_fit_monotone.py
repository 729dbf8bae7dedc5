"""Law: adding memory never turns FIT001 from pass to fail."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import fires

from hwspec._validate import Checker, Options
from hwspec._vocab import BITS_PER_WEIGHT

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


@given(st.integers(1, 48), st.integers(0, 48), st.sampled_from(sorted(BITS_PER_WEIGHT)),
       st.integers(1, 200_000))
def test_more_memory_never_breaks_fit(modules: int, extra: int, precision: str,
                                      context: int) -> None:
    """If a build fits, the same build with more modules fits too."""
    if not _fit_fails(modules, precision, context):
        assert not _fit_fails(modules + extra, precision, context)
