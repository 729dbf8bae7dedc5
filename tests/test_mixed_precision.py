"""Tensor groups at their own precisions: [workload.precisions] and the catalog's published
ones."""

from __future__ import annotations

from typing import Any

import pytest

import hwspec


def _facts(**workload: Any) -> hwspec.Facts:
    facts = hwspec.validate({"build": {"name": "mixed"},
                             "workload": {"context_tokens": 4096, **workload}}).facts
    assert facts is not None
    return facts


def test_gpt_oss_at_its_native_precision_keeps_the_rest_in_bf16() -> None:
    """Experts 114.7 B x 4.25 / 8 + (0.9555 attention + 0.1865 rest + 1.158 embeddings) x 2 =
    65.53 GB, as the published checkpoint's quantization_config keeps them."""
    facts = _facts(model="gpt-oss-120b", precision="mxfp4")
    assert facts["model.weights_gb"] == pytest.approx(65.53, abs=0.01)
    assert (facts["model.expert_bits_per_weight"], facts["model.other_bits_per_weight"]) == (
        4.25, pytest.approx(16.0))


def test_the_published_precisions_do_not_apply_to_another_precision() -> None:
    """gpt-oss-120b requantised to q8_0 is 117 B x 8.5 bits / 8 = 124.3 GB, every group alike."""
    facts = _facts(model="gpt-oss-120b", precision="q8_0")
    assert facts["model.weights_gb"] == pytest.approx(117 * 8.5 / 8)
    assert "model.expert_bits_per_weight" not in facts


def test_workload_precisions_override_a_group() -> None:
    """Llama 3.1 70B at q4_0 with attention in bf16: its 80 x 8192 x 128 x (2 x 64 + 2 x 8) =
    12.08 B attention parameters at 16 bits, the other 57.92 B of its 70 at 4.5."""
    facts = _facts(model="llama-3.1-70b", precision="q4_0", precisions={"attention": "bf16"})
    attention = 80 * 8192 * 128 * 144 / 1e9
    assert facts["model.weights_gb"] == pytest.approx(
        attention * 2 + (70 - attention) * 4.5 / 8)


def test_a_file_s_own_bytes_win_over_the_published_precisions() -> None:
    """weight_bytes from the GGUF (model import) is exact: 59.02 GiB stays 59.02 GiB."""
    facts = _facts(model="gpt-oss-120b", precision="mxfp4",
                   arch={"weight_bytes": round(59.02 * 2**30)})
    assert facts["model.weights_gib"] == pytest.approx(59.02)


def test_experts_in_ram_splits_by_the_groups_bytes() -> None:
    """gpt-oss-120b with its experts in system memory leaves 60.93 GB of 65.53 there (the
    experts' MXFP4 bytes), not 114.7 / 117 of the weights."""
    facts = hwspec.validate({
        "build": {"name": "mixed"}, "gpu": [{"part": "nvidia-rtx-4090"}],
        "workload": {"model": "gpt-oss-120b", "precision": "mxfp4", "context_tokens": 4096,
                     "offload": "experts-in-ram"}}).facts
    assert facts is not None
    assert facts["model.ram_weights_gib"] == pytest.approx(114.7 * 4.25 / 8 * 1e9 / 2**30)


def test_a_token_reads_its_routed_experts_at_their_width() -> None:
    """gpt-oss-120b decoding from system memory reads 114.7 x 4 / 128 = 3.584 B routed params
    at 4.25 bits and the other 5.1 - 3.584 = 1.516 B at 16: 1.904 + 3.032 = 4.936 GB."""
    facts = _facts(model="gpt-oss-120b", precision="mxfp4")
    assert facts["model.ram_weight_read_gb"] == pytest.approx(4.936, abs=0.001)
