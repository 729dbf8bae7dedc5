"""Law: memory never runs above its rating or the platform's limit, and 2DPC never beats 1DPC."""

from __future__ import annotations

import textwrap

from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies import number_fact

from hwspec import formulas
from hwspec.checker import Checker

mts = st.integers(1600, 9600)
CHECKER = Checker()


@given(mts, st.lists(mts, max_size=3))
def test_effective_never_exceeds_rating_or_limits(rated: int, limits: list[int]) -> None:
    """The effective speed is at most the rating and at most every limit."""
    effective = formulas.effective_mts(rated, limits)

    assert effective <= rated
    assert all(effective <= limit for limit in limits)


def _effective(rated: int, modules: int, limit_1dpc: int, limit_2dpc: int) -> float:
    return number_fact(CHECKER, textwrap.dedent(f"""
        [build]
        name = "speed"
        [board]
        name = "SP5 2DPC board"
        socket = "sp5"
        sockets = 1
        dimm_slots = 24
        channels_per_socket = 12
        max_mts_1dpc = {limit_1dpc}
        max_mts_2dpc = {limit_2dpc}
        [cpu]
        part = "amd-epyc-9654"
        [[memory]]
        name = "RDIMM"
        generation = "DDR5"
        kind = "RDIMM"
        capacity_gib = 32
        speed_mts = {rated}
        count = {modules}
    """), "memory.effective_mts")


@example(rated=4801, limit_1dpc=4801, drop=4801)  # a board 2DPC figure above the platform's 1DPC
@given(mts, st.integers(3000, 6400), st.integers(2400, 6400))
def test_two_dimms_per_channel_never_beat_one(rated: int, limit_1dpc: int, drop: int) -> None:
    """With any board limits (2DPC at most 1DPC), 24 DIMMs on 12 channels never run faster than
    12."""
    limit_2dpc = min(limit_1dpc, drop)

    assert _effective(rated, 24, limit_1dpc, limit_2dpc) <= _effective(
        rated, 12, limit_1dpc, limit_2dpc)


@given(mts, st.integers(1, 24))
def test_spec_speed_within_rating_and_platform(rated: int, modules: int) -> None:
    """Through the pipeline, effective speed is within the module rating and the 1DPC limit."""
    effective = _effective(rated, modules, 4800, 3600)

    assert effective <= min(rated, 4800)
