"""Making some layers linear never raises the part of the cache that grows with the context
above full attention's, and the linear layers' state does not grow with it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import hwspec


def _cache(full: int | None, tokens: int) -> tuple[float, float]:
    arch: dict[str, object] = {
        "name": "h", "params_b": 10, "layers": 32, "attention": "gqa", "heads": 16,
        "kv_heads": 4, "head_dim": 128, "linear_key_heads": 8, "linear_value_heads": 16,
        "linear_key_head_dim": 128, "linear_value_head_dim": 128, "linear_conv_kernel": 4}
    if full is not None:
        arch["full_attention_layers"] = full
    facts = hwspec.validate({"build": {"name": "x"}, "workload": {
        "arch": arch, "precision": "q8_0", "context_tokens": tokens}}).facts
    assert facts is not None
    return float(facts["model.kv_cache_gib"]), float(facts.get("model.linear_state_gib", 0.0))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=32), st.integers(min_value=1, max_value=200_000),
       st.integers(min_value=1, max_value=200_000))
def test_hybrid_growth_is_never_above_full_attention(full: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    hybrid_low, state_low = _cache(full, low)
    hybrid_high, state_high = _cache(full, high)
    dense_low, _ = _cache(None, low)
    dense_high, _ = _cache(None, high)
    assert state_low == state_high
    assert hybrid_low - state_low <= dense_low + 1e-12
    assert hybrid_high - hybrid_low <= dense_high - dense_low + 1e-12
