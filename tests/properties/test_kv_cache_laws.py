"""Laws of the KV-cache formulas: linear in tokens and batch, GQA with every head is MHA, MLA
is smaller than full K and V for DeepSeek's shapes, and a sliding window never grows the cache."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hwspec
from hwspec import formulas

layers = st.integers(1, 200)
heads = st.integers(1, 256)
head_dim = st.integers(1, 512)
element = st.sampled_from([4.0, 2.0, 1.0, 34 / 32, 18 / 32])
tokens = st.integers(1, 1_000_000)
batch = st.integers(1, 512)
factor = st.integers(1, 64)


@given(layers, heads, head_dim, element, tokens, batch, factor)
def test_gqa_is_linear_in_tokens_and_batch(n: int, kv: int, d: int, b: float, t: int, s: int,
                                           k: int) -> None:
    """k times the tokens, or k times the batch, is k times the cache."""
    base = formulas.kv_cache_bytes_gqa(n, kv, d, b, t, s)

    # Within rounding: at 10^16 bytes a float's last bit is several bytes, so the products may
    # differ in it depending on the order the factors are multiplied in.
    assert formulas.kv_cache_bytes_gqa(n, kv, d, b, t * k, s) == pytest.approx(base * k)
    assert formulas.kv_cache_bytes_gqa(n, kv, d, b, t, s * k) == pytest.approx(base * k)


@given(layers, st.integers(1, 4096), st.integers(1, 512), element, tokens, batch, factor)
def test_mla_is_linear_in_tokens_and_batch(n: int, rank: int, rope: int, b: float, t: int,
                                           s: int, k: int) -> None:
    """The MLA latent cache scales with tokens and batch the same way."""
    base = formulas.kv_cache_bytes_mla(n, rank, rope, b, t, s)

    assert formulas.kv_cache_bytes_mla(n, rank, rope, b, t * k, s) == pytest.approx(base * k)
    assert formulas.kv_cache_bytes_mla(n, rank, rope, b, t, s * k) == pytest.approx(base * k)


@given(layers, heads, head_dim, element, tokens, batch)
def test_gqa_with_every_head_is_mha(n: int, h: int, d: int, b: float, t: int, s: int) -> None:
    """A spec with kv_heads = heads under gqa gives the same cache as the same model under mha."""
    def spec(attention: str) -> str:
        return (f'[build]\nname = "x"\n[workload]\nprecision = "fp8"\ncontext_tokens = {t}\n'
                f'batch = {s}\n[workload.arch]\nparams_b = 1\nlayers = {n}\nheads = {h}\n'
                f'kv_heads = {h}\nhead_dim = {d}\nattention = "{attention}"\n')

    gqa, mha = (hwspec.validate(hwspec.loads(spec(a))).facts for a in ("gqa", "mha"))
    assert gqa is not None
    assert mha is not None
    assert gqa["model.kv_cache_gib"] == mha["model.kv_cache_gib"]


@given(tokens, batch, element)
def test_mla_is_below_full_k_and_v_for_deepseek(t: int, s: int, b: float) -> None:
    """DeepSeek-V3's latent (512 + 64 per layer) is far below 128 heads of K (192) and V (128)."""
    latent = formulas.kv_cache_bytes_mla(61, 512, 64, b, t, s)
    full = formulas.kv_cache_bytes_mla_expanded(61, 128, 192, 128, b, t, s)

    assert latent * 40 < full


@given(st.integers(1, 1_000_000), st.integers(1, 1_000_000), st.integers(1, 1_000_000))
def test_window_never_grows_the_cache(context: int, window: int, wider: int) -> None:
    """A layer caches no more than the context, no more than its window, and a wider window
    never caches fewer tokens."""
    cached = formulas.cached_tokens(context, window)

    assert cached <= min(context, window)
    assert cached <= formulas.cached_tokens(context, window + wider)
