"""A mixture of experts with no active count is never read as dense."""

from __future__ import annotations

import pytest

import hwspec

ARCH = {"name": "m", "params_b": 100, "layers": 40, "hidden_size": 4096, "attention": "gqa",
        "heads": 32, "kv_heads": 8, "head_dim": 128, "experts": 64, "experts_per_token": 4}


def _checked(**arch: object) -> hwspec.Report:
    return hwspec.validate({
        "build": {"name": "MoE"}, "cpu": {"part": "amd-epyc-9655"},
        "memory": [{"part": "micron-mtc20f2085s1rc64br", "count": 12}],
        "workload": {"precision": "fp8", "context_tokens": 4096, "arch": {**ARCH, **arch}}})


def test_without_counts_the_decode_figures_are_unknown_and_named() -> None:
    """Before, decode read all 100 B parameters per token, as for a dense model."""
    report = _checked()
    assert report.spec is not None
    assert ("model.active_params_b" in report.facts, report.facts["model.fits"]) == (False, True)
    (finding,) = report.findings
    assert (finding.rule, finding.path) == ("FIG001", "workload.arch")
    assert finding.message.startswith("decode.tokens_per_s_max, decode.tokens_per_s_expected: "
                                      "the model is a mixture of experts that states neither")
    assert finding.hint == "Give workload.arch.active_params_b, or workload.arch.expert_params_b."


def test_with_the_routed_experts_the_active_count_is_worked_out_and_labelled() -> None:
    """100 - 90 + 90 x 4 / 64 = 15.625 B."""
    facts = _checked(expert_params_b=90).facts
    assert facts is not None
    assert facts["model.active_params_b"] == pytest.approx(15.625)
    assert "worked out from the routed experts" in str(facts["model.active_params_basis"])


def test_a_stated_active_count_wins() -> None:
    facts = _checked(expert_params_b=90, active_params_b=20).facts
    assert facts is not None
    assert (facts["model.active_params_b"], "model.active_params_basis" in facts) == (20, False)


def test_deepseek_v32_reads_what_v3_reads() -> None:
    """V3.2-Exp states no active count; its shape gives 37.5 B, V3's card says 37."""
    facts = hwspec.validate({"build": {"name": "x"}, "workload": {"model": "deepseek-v3.2-exp",
                                                                  "precision": "fp8"}}).facts
    assert facts is not None
    assert facts["model.active_params_b"] == pytest.approx(671 - 653.91 + 653.91 * 8 / 256)
