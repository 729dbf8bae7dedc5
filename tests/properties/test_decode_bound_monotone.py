"""Law: the decode bound rises with bandwidth and falls as bits per weight rise."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas

bandwidth = st.floats(1, 20000, allow_nan=False)
active = st.floats(0.1, 1000, allow_nan=False)
bits = st.floats(1, 32, allow_nan=False)
kv = st.floats(0, 1e11, allow_nan=False)


def _bound(bw: float, params: float, b: float, kv_bytes: float) -> float:
    return formulas.decode_tokens_per_s_max(
        bw, formulas.decode_bytes_per_token(params, b, kv_bytes))


@given(bandwidth, bandwidth, active, bits, kv)
def test_rises_with_bandwidth(low: float, high: float, params: float, b: float, k: float) -> None:
    """More bandwidth never lowers the bound."""
    low, high = sorted((low, high))

    assert _bound(low, params, b, k) <= _bound(high, params, b, k)


@given(bandwidth, active, bits, bits, kv)
def test_falls_with_bits(bw: float, params: float, fewer: float, more: float, k: float) -> None:
    """More bits per weight never raise the bound."""
    fewer, more = sorted((fewer, more))

    assert _bound(bw, params, more, k) <= _bound(bw, params, fewer, k)
