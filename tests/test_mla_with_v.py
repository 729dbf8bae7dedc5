"""llama.cpp kept a separate V cache beside an MLA model's latent until its V-less cache
(PR 19067): kv_layout = "latent-with-v" counts it."""

from __future__ import annotations

import pytest

import hwspec
from hwspec.views.report import build_report

GIB = 2**30


def _checked(layout: str | None) -> hwspec.Report:
    workload = {"model": "deepseek-r1", "precision": "q4_k_m", "context_tokens": 8192}
    if layout is not None:
        workload["kv_layout"] = layout
    return hwspec.validate({"build": {"name": "x"}, "workload": workload})


def test_the_separate_v_cache_adds_the_latent_width_again() -> None:
    """61 layers x (512 + 64 + 512) x 2 B a token, against 61 x (512 + 64) x 2 B."""
    with_v, latent = _checked("latent-with-v").facts, _checked(None).facts
    assert with_v is not None
    assert latent is not None
    assert with_v["model.kv_cache_gib"] == pytest.approx(61 * 1088 * 2 * 8192 / GIB)
    assert latent["model.kv_cache_gib"] == pytest.approx(61 * 576 * 2 * 8192 / GIB)
    assert with_v["model.kv_cache_layout"] == "latent-with-v"


def test_the_report_names_the_v_cache() -> None:
    working = next(w for w in build_report(_checked("latent-with-v")).workings
                   if w.label == "KV cache")
    assert (working.formula, "+ 512 V)" in working.working) == ("kv_cache_bytes_mla_with_v",
                                                                True)
