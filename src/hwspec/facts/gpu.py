"""The GPUs: their memory and bandwidth together, how the model spreads over them, and what is
left on the fullest card."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.facts.shared import card_shares, gpu_split, gpu_units
from hwspec.resolve import Build

FACTS = declared("gpu")

READS = frozenset({"model.gpu_required_gib"})


def compute(build: Build, got: Inputs) -> Produced:
    """The GPUs' facts, and each card's margin for its share of what the GPUs hold."""
    values: dict[str, Any] = {}
    cards = build.gpu
    if not cards:
        return Produced(values)
    values["gpu.count"] = sum(g.count for g in cards)
    if all(g.vram_gib is not None for g in cards):
        values["gpu.vram_gib"] = sum(g.count * (g.vram_gib or 0) for g in cards)
    split = gpu_split(build)
    units = gpu_units(build)
    shares = card_shares(units, split)
    if all(g.bandwidth_gbs is not None for g in cards):
        values["gpu.bandwidth_gbs"] = sum(g.count * (g.bandwidth_gbs or 0) for g in cards)
        values["workload.gpu_split"] = split
        bandwidths = [g.bandwidth_gbs or 0.0 for g in units]
        values["gpu.decode_bandwidth_gbs"] = (
            f.tensor_split_bandwidth_gbs(bandwidths) if split == "tensor" else
            f.layer_split_bandwidth_gbs(zip(shares, bandwidths, strict=True)))
    required = got.get("model.gpu_required_gib")
    if required is not None and all(g.vram_gib for g in cards):
        # Each card must hold its own share: VRAM is never pooled.
        values["model.gpu_device_margin_gib"] = f.device_vram_margin_gib(
            required, zip((float(g.vram_gib or 0) for g in units), shares, strict=True))
    return Produced(values)


TOPIC = Topic("gpu", FACTS, compute, READS)
