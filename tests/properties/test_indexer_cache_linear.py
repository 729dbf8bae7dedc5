"""The sparse-attention indexer's cache grows in proportion to layers, tokens and batch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f

counts = st.integers(min_value=1, max_value=4096)


@given(counts, st.sampled_from([64, 128, 256]), counts, st.integers(min_value=1, max_value=64))
def test_indexer_cache_is_linear_in_tokens_and_batch(layers: int, dim: int, tokens: int,
                                                     batch: int) -> None:
    one = f.dsa_indexer_cache_bytes(layers, dim, tokens, 1)
    assert f.dsa_indexer_cache_bytes(layers, dim, tokens, batch) == one * batch
    assert f.dsa_indexer_cache_bytes(layers, dim, 2 * tokens, 1) == 2 * one
