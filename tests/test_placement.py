"""Partial expert offload (--n-cpu-moe) and weights mapped from storage (mmap)."""

from __future__ import annotations

from typing import Any

import pytest

import hwspec

ARCH = {"name": "m", "params_b": 100, "layers": 40, "hidden_size": 4096, "attention": "gqa",
        "heads": 32, "kv_heads": 8, "head_dim": 128, "experts": 64, "experts_per_token": 4,
        "expert_params_b": 90}


def _checked(workload: dict[str, Any], **extra: Any) -> hwspec.Report:
    return hwspec.validate({
        "build": {"name": "placed"}, "cpu": {"part": "amd-epyc-9655"},
        "memory": [{"part": "micron-mtc20f2085s1rc64br", "count": 12}],
        "workload": {"precision": "fp8", "context_tokens": 4096, "arch": ARCH, **workload},
        **extra})


def _facts(workload: dict[str, Any], **extra: Any) -> hwspec.Facts:
    facts = _checked(workload, **extra).facts
    assert facts is not None
    return facts


GPU = {"gpu": [{"part": "nvidia-rtx-5090"}]}


def test_cpu_moe_layers_keeps_that_share_of_the_experts_in_system_memory() -> None:
    """10 of 40 layers' experts: 90 B x 10 / 40 = 22.5 B params at 8 bits = 20.955 GiB."""
    facts = _facts({"cpu_moe_layers": 10}, **GPU)
    assert facts["model.ram_weights_gib"] == pytest.approx(22.5e9 / 2**30)


def test_cpu_moe_layers_reads_that_share_of_the_routed_experts_from_system_memory() -> None:
    """Routed per token: 90 x 4 / 64 = 5.625 B; a quarter of it, 1.40625 B, on the CPU side."""
    facts = _facts({"cpu_moe_layers": 10}, **GPU)
    assert (facts["model.ram_active_params_b"], facts["model.gpu_active_params_b"]) == (
        pytest.approx(1.40625), pytest.approx(14.21875))


def test_cpu_moe_layers_without_offload_means_experts_in_ram() -> None:
    """The key alone is llama.cpp's --n-cpu-moe: the offload mode follows, with its basis."""
    facts = _facts({"cpu_moe_layers": 10}, **GPU)
    assert facts["workload.offload"] == "experts-in-ram"
    assert "cpu_moe_layers" in str(facts["workload.offload_basis"])


def test_every_layer_is_the_plain_experts_in_ram_split() -> None:
    """cpu_moe_layers at or above the layer count is offload = experts-in-ram as before."""
    assert _facts({"cpu_moe_layers": 400}, **GPU)["model.ram_weights_gib"] == pytest.approx(
        _facts({"offload": "experts-in-ram"}, **GPU)["model.ram_weights_gib"])


def test_zero_cpu_moe_layers_puts_every_weight_on_the_gpus() -> None:
    """--n-cpu-moe 0 leaves no weights in system memory."""
    assert _facts({"cpu_moe_layers": 0}, **GPU)["model.ram_weights_gib"] == 0


BIG = {"arch": {**ARCH, "params_b": 600, "expert_params_b": 580}}
DRIVE = {"storage": [{"part": "wd-black-sn850x-2tb"}]}


def test_a_model_beyond_memory_fails_fit001_unless_mapped_from_storage() -> None:
    """600 B at fp8 (559 GiB) in 384 GiB: FIT001 without weights_from_storage."""
    assert [f.rule for f in _checked(BIG, **DRIVE).findings if f.rule.startswith("FIT")] == [
        "FIT001"]


def test_weights_from_storage_names_the_share_on_the_drive_instead() -> None:
    """With weights_from_storage FIT001 passes and FIT005 warns with the share left on the
    drive."""
    findings = [f for f in _checked({**BIG, "weights_from_storage": True}, **DRIVE).findings
                if f.rule.startswith("FIT")]
    assert [(f.rule, f.severity.value) for f in findings] == [("FIT005", "warning")]
    assert "GiB of the weights do not fit in the 384 GiB of system memory" in findings[0].message


def test_storage_backed_decode_reads_the_drive_at_its_read_rate() -> None:
    """The bound at the full context is the time sum of the resident read (weights and the whole
    KV cache) at 576 GB/s and the drive's at 7.3 GB/s."""
    facts = _facts({**BIG, "weights_from_storage": True}, **DRIVE)
    stored = facts["model.storage_read_per_token_gb"]
    ram = facts["decode.ram_bytes_per_token_gb"]
    assert isinstance(stored, float)
    assert isinstance(ram, float)
    assert facts["storage.read_gbs"] == 7.3
    assert facts["decode.tokens_per_s_max_full_context"] == pytest.approx(
        1 / (ram / 576 + stored / 7.3))


def test_storage_backed_decode_is_unknown_without_a_read_rate() -> None:
    """A drive with no read_gbs leaves the decode figures unknown, never read at RAM speed."""
    facts = _facts({**BIG, "weights_from_storage": True},
                   storage=[{"name": "some drive", "kind": "nvme"}])
    assert "model.storage_weights_gib" in facts
    assert "decode.tokens_per_s_max" not in facts


def test_kv_cache_and_overhead_must_stay_resident() -> None:
    """A context whose KV cache alone overflows memory fails FIT001 even when mapped."""
    arch = {k: v for k, v in ARCH.items() if not k.startswith("expert")}
    dense = {"arch": {**arch, "params_b": 8},
             "context_tokens": 4_000_000, "weights_from_storage": True}
    assert "FIT001" in [f.rule for f in _checked(dense, **DRIVE).findings]


def test_a_missing_read_rate_is_named_with_what_supplies_it() -> None:
    """FIG001 says the drive states no read rate and asks for [[storage]] read_gbs."""
    (finding,) = [f for f in _checked({**BIG, "weights_from_storage": True},
                                      storage=[{"name": "some drive"}]).findings
                  if f.rule == "FIG001"]
    assert (finding.path, finding.hint) == ("storage[0]", "Give [[storage]] read_gbs.")
    assert "no drive states its read rate" in finding.message


def test_a_storage_backed_model_fits_when_the_rest_is_resident() -> None:
    """The fit verdict counts only what must stay in memory once weights are mapped."""
    facts = _facts({**BIG, "weights_from_storage": True}, **DRIVE)
    assert facts["model.fits"] is True
