"""DeepSeek Sparse Attention's indexer caches its keys beside the MLA latent."""

from __future__ import annotations

import pytest

import hwspec
from hwspec.views.report import build_report

GIB = 2**30


def _facts(model: str, tokens: int = 131072) -> hwspec.Facts:
    facts = hwspec.validate({"build": {"name": "x"}, "workload": {
        "model": model, "precision": "fp8", "context_tokens": tokens}}).facts
    assert facts is not None
    return facts


def test_v32_caches_the_latent_and_the_indexer_keys() -> None:
    """61 layers x (512 + 64) x 2 B of latent and 61 x (128 + 4) B of indexer keys a token."""
    tokens = 131072
    latent = 61 * (512 + 64) * 2 * tokens / GIB
    indexer = 61 * (128 + 4) * tokens / GIB
    facts = _facts("deepseek-v3.2-exp", tokens)
    assert facts["model.indexer_cache_gib"] == pytest.approx(indexer)
    assert facts["model.kv_cache_gib"] == pytest.approx(latent + indexer)


def test_v3_has_no_indexer() -> None:
    assert "model.indexer_cache_gib" not in _facts("deepseek-v3")


def test_the_report_works_the_indexer_out() -> None:
    report = hwspec.validate({"build": {"name": "x"}, "workload": {
        "model": "deepseek-v3.2-exp", "precision": "fp8", "context_tokens": 4096}})
    working = next(w for w in build_report(report).workings if w.label == "KV cache")
    assert "plus the indexer's 61 layers x (128 + 4) B" in working.working
