"""Item facts: each [[memory]], [[gpu]] and [[storage]] entry's own facts, read as ``item.*`` by
rules declared with ``each``."""

from __future__ import annotations

from typing import Any

from hwspec.facts.record import B, FactDef, FactValue, N, S
from hwspec.facts.record import fact as _d
from hwspec.facts.shared import modules
from hwspec.resolve import Build

ITEM_FACTS: dict[str, tuple[FactDef, ...]] = {
    "memory": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.generation", "", S, "DDR generation of the module."),
        _d("item.kind", "", S, "Module kind (RDIMM, UDIMM ...)."),
        _d("item.ecc", "", B, "Whether the module carries ECC."),
        _d("item.capacity_gib", "GiB", N, "Capacity of one module."),
        _d("item.speed_mts", "MT/s", N, "Rated speed of the module."),
        _d("item.modules", "", N, "Modules in this entry: count x modules_per_kit."),
    ),
    "gpu": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.count", "", N, "Cards of this model fitted."),
        _d("item.vram_gib", "GiB", N, "Memory of one card."),
        _d("item.bandwidth_gbs", "GB/s", N, "Memory bandwidth of one card."),
        _d("item.tdp_w", "W", N, "Board power of one card."),
    ),
    "storage": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.kind", "", S, "Drive kind (nvme, sata ...)."),
        _d("item.capacity_tb", "TB", N, "Capacity of one drive."),
    ),
}
"""Facts of one list entry, for rules declared with ``each``."""


def item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    """Each list entry's item facts, by table."""
    memory = tuple(
        _clean({
            "item.name": m.name or m.part, "item.part": m.part, "item.generation": m.generation,
            "item.kind": m.kind, "item.ecc": m.ecc, "item.capacity_gib": m.capacity_gib,
            "item.speed_mts": m.speed_mts, "item.modules": modules(m),
        })
        for m in build.memory
    )
    gpu = tuple(
        _clean({
            "item.name": g.name or g.part, "item.part": g.part, "item.count": g.count,
            "item.vram_gib": g.vram_gib, "item.bandwidth_gbs": g.bandwidth_gbs,
            "item.tdp_w": g.tdp_w,
        })
        for g in build.gpu
    )
    storage = tuple(
        _clean({
            "item.name": s.name or s.part, "item.part": s.part, "item.kind": s.kind,
            "item.capacity_tb": s.capacity_tb,
        })
        for s in build.storage
    )
    return {"memory": memory, "gpu": gpu, "storage": storage}


def _clean(values: dict[str, Any]) -> dict[str, FactValue]:
    return {k: v for k, v in values.items() if v is not None}
