"""The part kinds: one row per kind of part, platform or model, which every stage reads.

A row says what the kind's entries are (their class), where the shipped ones live
(``catalog/data/``), whether a spec writes it as a table of its own and whether as a list
(``[[memory]]``), which of its fields state its power and whether a catalog ``[[power]]`` class
may stand in for them, the group of the power load it counts in (and the power budget's name
and place for that group), and the columns docs/catalog.md shows. The catalog (the kinds it reads
and lists), a team catalog's checks, resolve (which part tables to fill in), the power figures,
docs/catalog.md and ``hwspec parts`` take their kinds from here, so a new kind is a class (with
its typed table on ``Spec``), a row and a data file; tests/spec/test_kinds.py holds them to
each other.
"""

from __future__ import annotations

from attrs import frozen

from hwspec.spec.entries import PlatformEntry, PowerEntry
from hwspec.spec.model import (
    Board,
    Case,
    Cooling,
    Cpu,
    Gpu,
    Memory,
    ModelArch,
    Psu,
    Storage,
    System,
)


@frozen
class PartKind:
    """One kind of catalog entry, and how a spec, the catalog and the power figures treat it."""

    name: str
    """The kind as specs, catalog files and ``hwspec parts`` spell it (``memory``)."""
    cls: type
    """The attrs class its entries structure into: a spec table's class, or for a kind only the
    catalog holds, the class that checks a team's entries."""
    file: str | None
    """The shipped catalog file of its entries, in ``catalog/data/``; None where none ship."""
    table: bool = True
    """Whether a spec declares it as a table of its own (``[cpu]``); a platform is named by its
    CPU, a model by the workload, and a power class only by the catalog."""
    listed: bool = False
    """Whether that table is an array of tables, one per distinct part (``[[memory]]``)."""
    power: tuple[str, ...] = ()
    """The fields that state one unit's own sustained power, in the order they win (a desktop
    CPU's package limit before its base TDP); empty for a kind whose power is not counted."""
    power_class: bool = False
    """Whether a catalog ``[[power]]`` class figure may stand in for that power when a part
    states none."""
    per_fan: bool = False
    """Whether that class figure is per fan: the part's fans count, not the part."""
    columns: tuple[str, ...] = ()
    """The fields docs/catalog.md shows for each entry."""
    power_group: str = ""
    """The group of the power load its parts count in, a fact ``power.<group>_w``: its own name,
    or the kind whose group it joins (a case's fans count with the cooling); empty where no
    group figure is reported (a [system] is the whole load)."""
    power_label: str = ""
    """The power budget's name for the group this kind heads (``CPUs``); empty on a kind that
    heads none."""
    power_rank: int = 0
    """Where that group's bar stands in the power budget, first to last."""


PART_KINDS: tuple[PartKind, ...] = (
    PartKind("platform", PlatformEntry, "platforms.toml", table=False,
             columns=("socket", "channels_per_socket", "module_kinds", "max_mts_1dpc",
                      "max_mts_2dpc")),
    PartKind("cpu", Cpu, "cpus.toml", power=("package_power_w", "tdp_w"), power_class=True,
             columns=("platform", "cores", "tdp_w", "max_sockets", "max_mts"),
             power_group="cpu", power_label="CPUs", power_rank=1),
    PartKind("memory", Memory, "memory.toml", listed=True, power=("power_w",), power_class=True,
             columns=("generation", "kind", "capacity_gib", "speed_mts", "modules_per_kit"),
             power_group="memory", power_label="memory", power_rank=3),
    PartKind("gpu", Gpu, "gpus.toml", listed=True, power=("power_limit_w", "tdp_w"),
             power_class=True,
             columns=("vram_gib", "bandwidth_gbs", "tdp_w"),
             power_group="gpu", power_label="GPUs", power_rank=2),
    PartKind("storage", Storage, "storage.toml", listed=True, power=("power_w",),
             power_class=True, columns=("kind", "capacity_tb", "power_w"),
             power_group="storage", power_label="storage", power_rank=5),
    PartKind("board", Board, "boards.toml", power=("power_w",), power_class=True,
             columns=("socket", "sockets", "dimm_slots", "channels_per_socket", "form_factor"),
             power_group="board", power_label="board", power_rank=4),
    PartKind("system", System, "systems.toml", power=("max_power_w",),
             columns=("memory_gib", "bandwidth_gbs", "bus_width_bits", "gpu_memory_share",
                      "max_power_w")),
    PartKind("case", Case, "cases.toml", power=("power_w",), power_class=True, per_fan=True,
             columns=("form_factors",), power_group="cooling"),
    PartKind("cooling", Cooling, None, power=("power_w",), power_class=True, per_fan=True,
             columns=("power_w",), power_group="cooling", power_label="fans and cooling",
             power_rank=6),
    PartKind("psu", Psu, "psus.toml", columns=("capacity_w", "rating", "eps_connectors")),
    PartKind("model", ModelArch, "models.toml", table=False,
             columns=("params_b", "active_params_b", "layers", "attention", "kv_heads")),
    PartKind("power", PowerEntry, "power.toml", table=False,
             columns=("part", "match", "power_w", "peak_w", "confidence")),
)
"""Every kind, in the order the catalog lists them and the power figures count them (the
processors, the parts a spec lists, then the single parts)."""

KIND_BY_NAME: dict[str, PartKind] = {kind.name: kind for kind in PART_KINDS}

KIND_NAMES: tuple[str, ...] = tuple(KIND_BY_NAME)
"""Every kind's name, in registry order."""

TABLE_KINDS: tuple[PartKind, ...] = tuple(kind for kind in PART_KINDS if kind.table)
"""The kinds a spec declares as tables of its own: its parts."""

POWER_GROUP_KINDS: tuple[PartKind, ...] = tuple(
    sorted((kind for kind in PART_KINDS if kind.power_label), key=lambda kind: kind.power_rank))
"""The kinds that head a group of the power load, in the order the power budget shows them."""

POWER_CLASS_KINDS: tuple[str, ...] = tuple(k.name for k in PART_KINDS if k.power_class)
"""Kinds a catalog ``[[power]]`` class figure may stand in for."""
