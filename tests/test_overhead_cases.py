"""llama.cpp's compute buffers against the sizes published load logs print."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from hwspec import formulas

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "overhead" / "llama_cpp_buffers.toml").read_text())["case"]
HOST_CASES = [c for c in CASES if "host_mib" in c]
MIB = 2**20


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_device_compute_buffer_is_within_a_fifth_of_the_log(case: dict[str, Any]) -> None:
    """The output device's compute buffer lies within 20 % of the logged size."""
    got = formulas.llama_cpp_compute_buffer_bytes(
        case["vocab"], case["hidden"], case["heads"], case["context"], case["ubatch"],
        case["flash_attention"]) / MIB
    assert got == pytest.approx(case["device_mib"], rel=0.2), case["source"]


@pytest.mark.parametrize("case", HOST_CASES, ids=[c["id"] for c in HOST_CASES])
def test_host_compute_buffer_is_within_a_fifth_of_the_log(case: dict[str, Any]) -> None:
    """The host's compute buffer lies within 20 % of the logged size."""
    got = formulas.llama_cpp_host_compute_buffer_bytes(
        case["hidden"], case["context"], case["ubatch"]) / MIB
    assert got == pytest.approx(case["host_mib"], rel=0.2), case["source"]


def test_every_case_cites_its_log() -> None:
    """Each case names the public page its figures come from."""
    assert all(c["source"].startswith("https://") for c in CASES)


def test_the_gpus_reserve_llama_cpp_s_compute_buffer_instead_of_a_share() -> None:
    """Llama 3.1 8B under llama.cpp at -c 512 -ub 512 without flash attention: the GPUs hold
    weights + KV cache + the 258.5 MiB compute buffer the log above prints."""
    import hwspec

    facts = hwspec.validate({
        "build": {"name": "buffers"}, "gpu": [{"part": "nvidia-rtx-4090"}],
        "workload": {"model": "llama-3.1-8b", "precision": "q4_k_m", "context_tokens": 512,
                     "prefill_batch": 512, "flash_attention": False, "engine": "llama.cpp",
                     "arch": {"vocab_size": 128256}}}).facts
    assert facts is not None
    buffer = facts["model.compute_buffer_gib"]
    assert buffer == pytest.approx(258.5 / 1024)
    assert facts["model.gpu_required_gib"] == pytest.approx(
        float(facts["model.gpu_weights_gib"]) + float(facts["model.gpu_kv_cache_gib"]) + buffer)


def test_parallel_sequences_share_one_compute_buffer_over_all_their_cells() -> None:
    """Ten sequences of 8,192 tokens under llama.cpp reserve the buffer ollama logs for the
    81,920 cells they share (5,312 MiB), not the one of a single sequence."""
    import hwspec

    facts = hwspec.validate({
        "build": {"name": "slots"}, "gpu": [{"part": "nvidia-rtx-4090"}],
        "workload": {"model": "llama-3.1-8b", "precision": "q4_k_m", "context_tokens": 8192,
                     "batch": 10, "prefill_batch": 512, "flash_attention": False,
                     "engine": "llama.cpp", "arch": {"vocab_size": 128256}}}).facts
    assert facts is not None
    assert float(facts["model.compute_buffer_gib"]) * 1024 == pytest.approx(5312.0, rel=0.2)


def test_vllm_share_matches_its_startup_check() -> None:
    """vLLM's startup check wants 45.01 GiB of a 47.38 GiB card at 0.95 (vllm-project/vllm issue
    20305): the share hwspec leaves it is the same."""
    free = formulas.vllm_unreserved_gib(47.38, 0.95)
    assert 47.38 - free == pytest.approx(45.01, abs=0.01)


def test_vllm_leaves_the_rest_of_the_vram_free() -> None:
    """Under vLLM the GPUs also hold the tenth of their VRAM it leaves free by default: an RTX
    4090 needs 2.4 GiB more than the same load under an engine that sets none aside."""
    import hwspec

    def required(engine: str) -> float:
        facts = hwspec.validate({
            "build": {"name": engine}, "gpu": [{"part": "nvidia-rtx-4090"}],
            "workload": {"model": "llama-3.1-8b", "precision": "q4_k_m", "context_tokens": 8192,
                         "engine": engine}}).facts
        assert facts is not None
        return float(facts["model.gpu_required_gib"])

    assert required("vllm") - required("sglang") == pytest.approx(2.4)


def test_other_engines_leave_no_share_free() -> None:
    """llama.cpp takes what it allocates: no VRAM is set aside beyond its buffers."""
    import hwspec

    facts = hwspec.validate({
        "build": {"name": "llama"}, "gpu": [{"part": "nvidia-rtx-4090"}],
        "workload": {"model": "llama-3.1-8b", "precision": "q4_k_m", "context_tokens": 8192,
                     "engine": "llama.cpp"}}).facts
    assert facts is not None
    assert "model.gpu_unreserved_gib" not in facts or facts["model.gpu_unreserved_gib"] is None
