"""A hybrid model's cache: full-attention layers grow with the context, linear-attention layers
keep a fixed state (Qwen3-Next: 12 of 48 layers attend fully)."""

from __future__ import annotations

import pytest

import hwspec
from hwspec.tools.hf_config import arch_from_hf_config

GIB = 2**30


def _facts(workload: dict[str, object]) -> hwspec.Facts:
    facts = hwspec.validate({"build": {"name": "x"}, "workload": workload}).facts
    assert facts is not None
    return facts


def test_qwen3_next_caches_12_layers_and_keeps_36_states() -> None:
    """12 x 2 x 2 KV heads x 256 x 2 B per token, plus 36 x (32 x 128 x 128 + 8,192 x 3) x 4 B
    once: 6.07 GiB at 262,144 tokens, where all 48 layers would cache 24 GiB."""
    tokens = 262144
    attention = 12 * 2 * 2 * 256 * 2 * tokens
    state = 36 * (32 * 128 * 128 + (2 * 16 * 128 + 32 * 128) * 3) * 4
    facts = _facts({"model": "qwen3-next-80b-a3b", "precision": "q4_k_m",
                    "context_tokens": tokens})
    assert facts["model.linear_state_gib"] == pytest.approx(state / GIB)
    assert facts["model.kv_cache_gib"] == pytest.approx((attention + state) / GIB)
    assert facts.number("model.kv_cache_gib") < 48 * 2 * 2 * 256 * 2 * tokens / GIB / 3.9


def test_a_hybrid_whose_linear_layers_are_not_sized_is_named() -> None:
    arch = {"name": "h", "params_b": 80, "layers": 48, "attention": "gqa", "heads": 16,
            "kv_heads": 2, "head_dim": 256, "full_attention_layers": 12}
    report = hwspec.validate({"build": {"name": "x"}, "workload": {
        "arch": arch, "precision": "q4_k_m", "context_tokens": 4096}})
    (finding,) = [f for f in report.findings if f.rule == "FIG001"]
    assert "lacks linear_key_heads, linear_value_heads" in finding.message


def test_import_reads_the_hybrid_layout() -> None:
    """full_attention_interval 4 over 48 layers: 12 full (transformers' rule), and the linear
    sizes by their config keys."""
    config = {"model_type": "qwen3_next", "num_hidden_layers": 48, "hidden_size": 2048,
              "num_attention_heads": 16, "num_key_value_heads": 2, "head_dim": 256,
              "full_attention_interval": 4, "linear_num_key_heads": 16,
              "linear_num_value_heads": 32, "linear_key_head_dim": 128,
              "linear_value_head_dim": 128, "linear_conv_kernel_dim": 4}
    fields = arch_from_hf_config(config, name="q").fields
    assert {k: fields[k] for k in ("full_attention_layers", "linear_key_heads",
                                   "linear_value_heads", "linear_conv_kernel")} == {
        "full_attention_layers": 12, "linear_key_heads": 16, "linear_value_heads": 32,
        "linear_conv_kernel": 4}


def test_the_report_works_the_hybrid_cache_out() -> None:
    from hwspec.views.report import build_report

    report = hwspec.validate({"build": {"name": "x"}, "workload": {
        "model": "qwen3-next-80b-a3b", "precision": "q4_k_m", "context_tokens": 8192}})
    working = next(w for w in build_report(report).workings if w.label == "KV cache")
    assert working.working.startswith("2 x 12 layers x 2 KV heads x 256")
    assert "plus the fixed state of the other 36 (linear-attention) layers" in working.working
