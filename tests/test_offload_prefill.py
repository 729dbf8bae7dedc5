"""Prompt processing with offload under llama.cpp: the weights in system memory cross the main
GPU's PCIe link once per batch, and an unknown link is named, not left out silently."""

from __future__ import annotations

import pytest

from hwspec.checker import Checker
from hwspec.output import RenderOptions, reporter

SPEC = '''
[build]
name = "One RTX 3090 and a 7950X"
[cpu]
part = "amd-ryzen-9-7950x"
[[memory]]
name = "2 x 48 GB DDR5-5600"
generation = "DDR5"
kind = "UDIMM"
capacity_gib = 48
speed_mts = 5600
count = 2
[[gpu]]
part = "nvidia-rtx-3090"
[workload]
model = "llama-3.3-70b"
precision = "q4_k_m"
context_tokens = 8192
engine = "llama.cpp"
offload = "layers"
gpu_layers = 40
'''


def test_the_link_bounds_prefill_with_offload() -> None:
    """The catalog's 3090 runs PCIe 4.0 x16: 16 GT/s x 128/130 / 8 x 16 = 31.51 GB/s; half of
    the 80 layers stay in RAM, and 512 tokens share each copy of them."""
    facts = Checker().check_text(SPEC, path="t.toml").facts
    host_gb = (facts["model.weights_gib"] - facts["model.gpu_weights_gib"]) * 2**30 / 1e9
    assert facts["gpu.pcie_link_gbs"] == pytest.approx(16 * 128 / 130 / 8 * 16)
    assert facts["prefill.link_tokens_per_s_max"] == pytest.approx(512 * 31.5077 / host_gb,
                                                                   rel=1e-4)


def test_a_narrower_link_makes_the_link_the_bound() -> None:
    """On a PCIe 3.0 x4 riser the copy (3.94 GB/s) is slower than the GPU's compute."""
    text = SPEC.replace('part = "nvidia-rtx-3090"', 'part = "nvidia-rtx-3090"\npcie_gen = 3\n'
                        'pcie_lanes = 4')
    facts = Checker().check_text(text, path="t.toml").facts
    assert facts["prefill.tokens_per_s_max"] == facts["prefill.link_tokens_per_s_max"]
    assert str(facts["prefill.basis"]).startswith("the PCIe link")


def test_an_unknown_link_is_named() -> None:
    """A card with no PCIe figures: no bound, and the text says which input would give one."""
    text = SPEC.replace('part = "nvidia-rtx-3090"', 'name = "RTX 3090"\nvram_gib = 24\n'
                        'bandwidth_gbs = 936\ntdp_w = 350\nfp16_tensor_tflops = 71')
    report = Checker().check_text(text, path="t.toml")
    lines = reporter("text")([report], RenderOptions()).splitlines()
    assert "prefill.tokens_per_s_max" not in report.facts
    assert any(line.startswith("  prefill    unknown:") and "pcie_gen and pcie_lanes" in line
               for line in lines)
