"""A block-quantised KV cache on the GPUs costs an f16 copy of one layer's K and V under
llama.cpp's CUDA flash attention."""

from __future__ import annotations

import pytest

import hwspec

GIB = 2**30


def _facts(kv: str, **workload: object) -> hwspec.Facts:
    facts = hwspec.validate({"build": {"name": "x"},
                             "gpu": [{"part": "nvidia-rtx-3090", "count": 2}],
                             "workload": {"model": "llama-3.3-70b", "precision": "q4_k_m",
                                          "context_tokens": 32768, "kv_precision": kv,
                                          **workload}}).facts
    assert facts is not None
    return facts


def test_q8_0_costs_one_layers_f16_k_and_v() -> None:
    """Llama 3.3 70B: 8 KV heads x 128 for K and for V, 32,768 tokens, 2 B: 128 MiB."""
    facts = _facts("q8_0")
    assert facts["model.kv_scratch_gib"] == pytest.approx((1024 + 1024) * 32768 * 2 / GIB)


def test_the_scratch_is_counted_on_the_gpus() -> None:
    """gpu_required grows by the scratch beside the smaller cache it goes with."""
    facts = _facts("q8_0")
    without = (facts.number("model.gpu_weights_gib") or 0) + facts["model.gpu_kv_cache_gib"]
    assert facts["model.gpu_required_gib"] > without + facts["model.kv_scratch_gib"]


@pytest.mark.parametrize(("kv", "engine"), [("f16", None), ("fp8", None), ("q8_0", "vllm")])
def test_no_scratch_for_other_precisions_or_engines(kv: str, engine: str | None) -> None:
    workload = {} if engine is None else {"engine": engine}
    assert "model.kv_scratch_gib" not in _facts(kv, **workload)


def test_an_mla_latent_copies_k_only() -> None:
    """Under MLA the latent is K and V is a view of it: 61 layers' latent is 512 + 64 wide."""
    facts = hwspec.validate({"build": {"name": "x"},
                             "gpu": [{"part": "nvidia-rtx-3090", "count": 8}],
                             "workload": {"model": "deepseek-r1", "precision": "q2_k",
                                          "context_tokens": 8192, "kv_precision": "q8_0",
                                          "offload": "experts-in-ram"}}).facts
    assert facts is not None
    assert facts["model.kv_scratch_gib"] == pytest.approx((512 + 64) * 8192 * 2 / GIB)
