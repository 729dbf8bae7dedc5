"""Item facts: each [[memory]], [[gpu]] and [[storage]] entry's own facts, read as ``item.*`` by
rules declared with ``each``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hwspec.facts.record import B, FactDef, FactValue, N, S
from hwspec.facts.record import fact as _d
from hwspec.facts.shared import modules
from hwspec.resolve import Build

_ENTRY = (
    _d("item.name", "", S, "The entry's name."),
    _d("item.part", "", S, "The entry's catalog id."),
)
"""The facts every list entry has."""

ITEM_FACTS: dict[str, tuple[FactDef, ...]] = {
    "memory": (
        *_ENTRY,
        _d("item.generation", "", S, "DDR generation of the module."),
        _d("item.kind", "", S, "Module kind (RDIMM, UDIMM ...)."),
        _d("item.ecc", "", B, "Whether the module carries ECC."),
        _d("item.capacity_gib", "GiB", N, "Capacity of one module."),
        _d("item.speed_mts", "MT/s", N, "Rated speed of the module."),
        _d("item.modules", "", N, "Modules in this entry: count x modules_per_kit."),
    ),
    "gpu": (
        *_ENTRY,
        _d("item.count", "", N, "Cards of this model fitted."),
        _d("item.vram_gib", "GiB", N, "Memory of one card."),
        _d("item.bandwidth_gbs", "GB/s", N, "Memory bandwidth of one card."),
        _d("item.tdp_w", "W", N, "Board power of one card."),
        _d("item.power_limit_w", "W", N, "Power limit set on each card (power_limit_w)."),
        _d("item.power_limit_max_w", "W", N,
           "Highest power limit the card takes: its max_power_limit_w, else its tdp_w."),
        _d("item.power_limit_max_basis", "", S,
           "Where item.power_limit_max_w comes from."),
    ),
    "storage": (
        *_ENTRY,
        _d("item.kind", "", S, "Drive kind (nvme, sata ...)."),
        _d("item.capacity_tb", "TB", N, "Capacity of one drive."),
    ),
}
"""Facts of one list entry, for rules declared with ``each``: ``item.x`` is the entry's field
``x``, but for the two worked out below."""

_WORKED_OUT: dict[str, Callable[[Any], Any]] = {
    "item.name": lambda entry: entry.name or entry.part,
    "item.modules": modules,
    "item.power_limit_max_w": lambda entry: (entry.max_power_limit_w
                                             if entry.max_power_limit_w is not None
                                             else entry.tdp_w),
    "item.power_limit_max_basis": lambda entry: (
        "its max_power_limit_w" if entry.max_power_limit_w is not None
        else "its board power, tdp_w; give max_power_limit_w where the card's firmware allows "
        "more" if entry.tdp_w is not None else None),
}
"""Item facts that are not a field of the entry: a name falls back to the catalog id."""


def item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    """Each list entry's item facts, by table; a field the entry leaves unset is no fact."""
    return {kind: tuple(_entry_facts(facts, entry) for entry in getattr(build, kind))
            for kind, facts in ITEM_FACTS.items()}


def _entry_facts(facts: tuple[FactDef, ...], entry: Any) -> dict[str, FactValue]:
    values: dict[str, FactValue] = {}
    for d in facts:
        read = _WORKED_OUT.get(d.name)
        value = read(entry) if read is not None else getattr(entry, d.name.removeprefix("item."))
        if value is not None:
            values[d.name] = value
    return values
