"""A team's catalog: the built-in catalog extended by its files, each added entry checked as
the spec part it stands for would be (structured through the spec converter), so a wrong type or
range is a ``CatalogError`` naming file, entry and field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any

import attrs
from attrs import frozen

from hwspec.catalog import POWER_PART_KINDS, Catalog, CatalogEntry, field_names, raw_value
from hwspec.findings import did_you_mean
from hwspec.spec.model import (
    PART_CLASSES,
    Count,
    Generation,
    ModelArch,
    ModuleKind,
    Positive,
    Socket,
)


@frozen
class PlatformEntry:
    """The fields a catalog ``[[platform]]`` entry may give, typed as spec fields are: a user's
    platform entry is structured into this, so a wrong type or range is a path-addressed error."""

    name: str = attrs.field(metadata={"doc": "What the platform is called."})
    socket: Socket = attrs.field(metadata={"doc": "The CPU socket (sp5, lga4677 ...)."})
    vendor: str | None = attrs.field(default=None, metadata={"doc": "Who makes the CPUs."})
    max_sockets: Count | None = attrs.field(
        default=None, metadata={"doc": "Most sockets one system may have."})
    memory_generation: Generation | None = attrs.field(
        default=None, metadata={"doc": "DDR generation the platform takes (DDR4, DDR5)."})
    channels_per_socket: Count | None = attrs.field(
        default=None, metadata={"doc": "Memory channels per socket."})
    module_kinds: tuple[ModuleKind, ...] | None = attrs.field(
        default=None, metadata={"doc": "Module kinds the platform takes ([\"RDIMM\", "
                                       "\"3DS-RDIMM\"] ...)."})
    ecc: str | None = attrs.field(
        default=None, metadata={"doc": "ECC policy: required, optional or unsupported."})
    max_mts_1dpc: Positive | None = attrs.field(
        default=None, metadata={"doc": "Top memory speed at 1 DIMM per channel, MT/s."})
    max_mts_2dpc: Positive | None = attrs.field(
        default=None, metadata={"doc": "Top memory speed at 2 DIMMs per channel, MT/s."})
    max_mts_2dpc_1r: Positive | None = attrs.field(
        default=None, metadata={"doc": "Top speed with two single-rank DIMMs per channel, MT/s, "
                                       "where the vendor publishes one apart."})
    max_mts_mrdimm: Positive | None = attrs.field(
        default=None, metadata={"doc": "Top speed of MRDIMMs at 1 DIMM per channel, MT/s, where "
                                       "the platform runs them above RDIMMs."})
    max_module_gib: Positive | None = attrs.field(
        default=None, metadata={"doc": "Largest module the platform supports, GiB."})
    speeds_per_sku: bool | None = attrs.field(
        default=None, metadata={"doc": "true where the vendor rates memory speed per processor "
                                       "SKU (lower bins run below the platform's figure): a CPU "
                                       "without max_mts is then named as a possibly slower "
                                       "part."})
    balanced_dimms_per_socket: tuple[Count, ...] | None = attrs.field(
        default=None, metadata={"doc": "Module counts per socket the vendor's population guide "
                                       "calls balanced."})
    interconnect_gbs: Positive | None = attrs.field(
        default=None, metadata={"doc": "Bandwidth of the socket-to-socket links in one "
                                       "direction, GB/s, all links together (caps "
                                       "interleaved bandwidth at four times this on two "
                                       "sockets)."})
    ccd_read_gbs: Positive | None = attrs.field(
        default=None, metadata={"doc": "Sustained read bandwidth of one CCD through its link to "
                                       "the I/O die, GB/s (AMD chiplet platforms)."})
    vector_flops_per_cycle: Positive | None = attrs.field(
        default=None, metadata={"doc": "FP32 FLOPs one core retires per cycle with its vector "
                                       "units (FMA pipes x lanes x 2)."})
    matrix_flops_per_cycle: Positive | None = attrs.field(
        default=None, metadata={"doc": "BF16 operations one core retires per cycle with a "
                                       "matrix unit (Intel AMX), if it has one."})


@frozen
class PowerEntry:
    """The fields a catalog ``[[power]]`` entry may give: a class figure that stands in for the
    power of parts which state none (DDR5 RDIMMs of 64 GB, dual-socket server boards, M.2 NVMe
    drives), or for their short excursion."""

    name: str = attrs.field(metadata={"doc": "What the class is (DDR5 RDIMM, 64 GB)."})
    part: str = attrs.field(metadata={"doc": "The kind of part it stands in for: cpu, gpu, "
                                             "memory, board, storage, cooling or case."})
    confidence: str = attrs.field(metadata={"doc": "high (a datasheet or vendor figure), "
                                                   "medium (a measurement or a vendor's "
                                                   "calculator) or low."})
    match: dict[str, Any] = attrs.field(
        factory=dict, metadata={"doc": "Fields the part must have: a value, a list of values, "
                                       "or a bound on a number (capacity_gib_max = 32)."})
    power_w: Positive | None = attrs.field(
        default=None, metadata={"doc": "Sustained watts of one unit (the top of the source's "
                                       "range where it gives one)."})
    peak_w: Positive | None = attrs.field(
        default=None, metadata={"doc": "Short excursion (about 1 ms) of one unit, W."})
    peak_ratio: Positive | None = attrs.field(
        default=None, metadata={"doc": "Short excursion as a multiple of the part's own "
                                       "sustained figure."})


CONFIDENCES = ("high", "medium", "low")


def power_entry_problem(entry: CatalogEntry) -> str | None:
    """Why a ``[[power]]`` entry cannot stand in for a part's figure, or None."""
    fields = entry.fields
    if fields.get("part") not in POWER_PART_KINDS:
        return (f"part must be one of {', '.join(POWER_PART_KINDS)}, got "
                f"{fields.get('part')!r}")
    if fields.get("confidence") not in CONFIDENCES:
        return (f"confidence must be one of {', '.join(CONFIDENCES)}, got "
                f"{fields.get('confidence')!r}")
    if not any(k in fields for k in ("power_w", "peak_w", "peak_ratio")):
        return "needs power_w, peak_w or peak_ratio"
    cls = PART_CLASSES[str(fields["part"])]
    names = field_names(cls)
    match = fields.get("match", {})
    if not isinstance(match, dict):
        return "match must be a table of part fields"
    for key, wanted in match.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or not all(isinstance(v, str | int | float) for v in values):
            return f"match.{key}: expected a value or a list of values, got {wanted!r}"
        base = key.removesuffix("_min").removesuffix("_max")
        if key not in names and base not in names:
            return (f"match: {fields['part']} has no field {key!r}"
                    + did_you_mean(key, names))
    return None


def load_user_catalog(paths: Iterable[FilePath]) -> Catalog:
    """The built-in catalog extended by a team's catalog files or folders, every added entry
    checked as a spec part would be; a problem is a ``CatalogError`` naming file, entry and
    field. ``Catalog.overridden`` lists the built-in entries the files replace."""
    from hwspec.catalog import load_catalog
    from hwspec.errors import CatalogError

    catalog = load_catalog(paths)
    for entry in catalog.entries():
        if entry.origin.startswith("catalog/"):
            continue  # shipped with hwspec, checked by its own tests
        problem = entry_problem(entry)
        if problem is not None:
            raise CatalogError(f"{entry.origin}: {entry.kind} {entry.id!r}: {problem}")
    return catalog


def entry_problem(entry: CatalogEntry) -> str | None:
    """Why a (user's) catalog entry cannot fill its part, or None: each field must be one the
    part's table takes, of the type and range the spec format allows."""
    from hwspec.spec.load import structure_problem

    cls: type | None = {"model": ModelArch, "platform": PlatformEntry,
                        "power": PowerEntry}.get(entry.kind)
    cls = cls or PART_CLASSES.get(entry.kind)
    if cls is None:
        return None
    names = field_names(cls)
    unknown = sorted(set(entry.fields) - names)
    if unknown:
        return (f"unknown field {unknown[0]!r} for a {entry.kind}"
                + did_you_mean(unknown[0], names) + f" (fields: {', '.join(sorted(names))})")
    raw = {k: raw_value(v) for k, v in entry.fields.items() if k in names}
    problem = structure_problem(raw, cls)
    if problem is None and entry.kind == "power":
        problem = power_entry_problem(entry)
    return problem
