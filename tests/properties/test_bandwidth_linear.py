"""Law: theoretical bandwidth is linear in MT/s and in channels."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas

mts = st.floats(800, 12800, allow_nan=False)
channels = st.integers(1, 96)
factor = st.integers(1, 8)


@given(mts, channels, factor)
def test_linear_in_mts(speed: float, n: int, k: int) -> None:
    """k times the transfer rate gives k times the bandwidth."""
    assert math.isclose(k * formulas.memory_bandwidth_gbs(speed, n),
                        formulas.memory_bandwidth_gbs(k * speed, n))


@given(mts, channels, factor)
def test_linear_in_channels(speed: float, n: int, k: int) -> None:
    """k times the channels give k times the bandwidth."""
    assert math.isclose(k * formulas.memory_bandwidth_gbs(speed, n),
                        formulas.memory_bandwidth_gbs(speed, k * n))


@given(mts, channels)
def test_one_channel_is_eight_bytes_a_transfer(speed: float, n: int) -> None:
    """Each channel moves 8 bytes per transfer: MT/s x 8 / 1000 GB/s."""
    assert math.isclose(speed * 8 * n / 1000, formulas.memory_bandwidth_gbs(speed, n))
