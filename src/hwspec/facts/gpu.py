"""The GPUs: their memory and bandwidth together, how the model spreads over them, and what is
left on the fullest card."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build
from hwspec.spec.model import Gpu
from hwspec.spec.vocab import TENSOR_PARALLEL_ENGINES

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
    split = _split_mode(build)
    units = [g for g in cards for _ in range(g.count)]
    shares = _card_shares(units, split)
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


def _split_mode(build: Build) -> str:
    """The spec's gpu_split, else the engine's multi-GPU default."""
    workload = build.workload
    if workload is not None and workload.gpu_split is not None:
        return workload.gpu_split
    engine = workload.engine if workload is not None else None
    return "tensor" if engine in TENSOR_PARALLEL_ENGINES else "layers"


def _card_shares(units: list[Gpu], split: str) -> list[float]:
    """Each card's share of the model under the split (``formulas.gpu_card_shares``)."""
    return f.gpu_card_shares([g.vram_gib for g in units], split)


TOPIC = Topic("gpu", FACTS, compute, READS)
