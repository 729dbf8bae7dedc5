"""The shapes of catalog-only entries: a platform's memory and socket tables and a power class,
which a team catalog may declare beside its parts (``[[platform]]``, ``[[power]]``) and which no
spec holds."""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from hwspec.spec.values import (
    Count,
    Generation,
    ModuleKind,
    Positive,
    Socket,
    documented,
)


@frozen(field_transformer=documented)
class PlatformEntry:
    """The fields a catalog ``[[platform]]`` entry may give, typed as spec fields are: a user's
    platform entry is structured into this, so a wrong type or range is a path-addressed error."""

    name: str
    socket: Socket
    vendor: str | None = None
    max_sockets: Count | None = None
    memory_generation: Generation | None = None
    channels_per_socket: Count | None = None
    module_kinds: tuple[ModuleKind, ...] | None = None
    ecc: str | None = None
    max_mts_1dpc: Positive | None = None
    max_mts_2dpc: Positive | None = None
    max_mts_2dpc_1r: Positive | None = None
    max_mts_mrdimm: Positive | None = None
    max_module_gib: Positive | None = None
    speeds_per_sku: bool | None = None
    balanced_dimms_per_socket: tuple[Count, ...] | None = None
    interconnect_gbs: Positive | None = None
    ccd_read_gbs: Positive | None = None
    vector_flops_per_cycle: Positive | None = None
    matrix_flops_per_cycle: Positive | None = None
    int8_ops_per_cycle: Positive | None = None


@frozen(field_transformer=documented)
class PowerEntry:
    """The fields a catalog ``[[power]]`` entry may give: a class figure that stands in for the
    power of parts which state none (DDR5 RDIMMs of 64 GB, dual-socket server boards, M.2 NVMe
    drives), or for their short excursion."""

    name: str
    part: str
    confidence: str
    match: dict[str, Any] = field(factory=dict)
    power_w: Positive | None = None
    peak_w: Positive | None = None
    peak_ratio: Positive | None = None
