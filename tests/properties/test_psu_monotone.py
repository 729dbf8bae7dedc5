"""Law: a bigger PSU never turns PWR001 from pass to fail."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import fires

from hwspec._validate import Checker, Options

CHECKER = Checker(Options(select=("PWR001",)))


def _pwr_fails(capacity: int, cpus: int, max_load: float) -> bool:
    return fires(CHECKER, f"""
[build]
name = "psu"
[cpu]
part = "amd-epyc-9655"
count = {cpus}
[psu]
name = "PSU"
capacity_w = {capacity}
[checks]
params = {{ psu_max_load = {max_load} }}
""", "PWR001")


@given(st.integers(200, 3000), st.integers(0, 3000), st.integers(1, 2),
       st.floats(0.1, 1.0, allow_nan=False))
def test_bigger_psu_never_breaks_headroom(capacity: int, extra: int, cpus: int,
                                          max_load: float) -> None:
    """If a PSU passes, any larger PSU passes too."""
    if not _pwr_fails(capacity, cpus, max_load):
        assert not _pwr_fails(capacity + extra, cpus, max_load)
