"""Law: a bigger PSU never turns PWR001 from pass to fail."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import fires

from hwspec.checker import Checker, Options

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


EPYC_9655_TDP_W = 400  # AMD's default TDP for the EPYC 9655 (the catalog's figure)


@given(st.integers(0, 3000), st.integers(1, 3000), st.integers(1, 2),
       st.floats(0.1, 1.0, allow_nan=False))
def test_bigger_psu_never_breaks_headroom(slack: int, extra: int, cpus: int,
                                          max_load: float) -> None:
    """A PSU with headroom for the CPUs passes, and so does every larger PSU."""
    capacity = math.ceil(cpus * EPYC_9655_TDP_W / max_load) + slack

    assert (_pwr_fails(capacity, cpus, max_load),
            _pwr_fails(capacity + extra, cpus, max_load)) == (False, False)


@given(st.integers(1, 2), st.floats(0.1, 1.0, allow_nan=False), st.floats(0.01, 0.99))
def test_a_psu_without_headroom_fails(cpus: int, max_load: float, short: float) -> None:
    """A PSU whose allowed load is below the CPUs' TDP fails PWR001 (so the law above is not
    vacuous)."""
    capacity = math.floor(cpus * EPYC_9655_TDP_W / max_load * (1 - short))

    assert _pwr_fails(capacity, cpus, max_load) is True
