"""The scratch a block-quantised KV cache costs is one layer of the same cache at f16: the
f16 cache of a model with no sliding window is the scratch times its layers, and the memory the
GPUs must hold never falls below the quantised cache plus its scratch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hwspec


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=128), st.sampled_from([1, 2, 4, 8]),
       st.sampled_from([64, 128]), st.integers(min_value=1, max_value=100_000),
       st.integers(min_value=1, max_value=8))
def test_scratch_is_one_layer_of_the_f16_cache(layers: int, kv_heads: int, head_dim: int,
                                               tokens: int, batch: int) -> None:
    def facts(kv: str) -> hwspec.Facts:
        arch = {"name": "m", "params_b": 7, "layers": layers, "attention": "gqa",
                "heads": kv_heads * 4, "kv_heads": kv_heads, "head_dim": head_dim}
        checked = hwspec.validate({"build": {"name": "x"},
                                   "gpu": [{"part": "nvidia-rtx-3090"}],
                                   "workload": {"arch": arch, "precision": "q4_0", "batch": batch,
                                                "context_tokens": tokens,
                                                "kv_precision": kv}}).facts
        assert checked is not None
        return checked

    f16 = facts("f16")
    quantised = facts("q4_0")
    assert quantised["model.kv_scratch_gib"] * layers == pytest.approx(f16["model.kv_cache_gib"])
    assert quantised["model.kv_cache_gib"] < f16["model.kv_cache_gib"]
    # Never below its scratch: what the GPUs must hold counts the scratch beside the cache.
    assert quantised["model.gpu_required_gib"] >= (
        quantised["model.kv_cache_gib"] + quantised["model.kv_scratch_gib"])
