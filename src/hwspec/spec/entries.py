"""The shapes of catalog-only entries: a platform's memory and socket tables and a power class,
which a team catalog may declare beside its parts (``[[platform]]``, ``[[power]]``) and which no
spec holds."""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from hwspec.spec.values import (
    _CHANNELS,
    _FLOPS_PER_CYCLE,
    _GBS,
    _MODULE_GIB,
    _MTS,
    _RATIO,
    _SOCKETS,
    _WATTS,
    Count,
    Generation,
    ModuleKind,
    Positive,
    Socket,
    _doc,
    _opt_count,
    _opt_positive,
)


@frozen
class PlatformEntry:
    """The fields a catalog ``[[platform]]`` entry may give, typed as spec fields are: a user's
    platform entry is structured into this, so a wrong type or range is a path-addressed error."""

    name: str = field(metadata=_doc("What the platform is called."))
    socket: Socket = field(metadata=_doc("The CPU socket (sp5, lga4677 ...)."))
    vendor: str | None = field(default=None, metadata=_doc("Who makes the CPUs."))
    max_sockets: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Most sockets one system may have.", None, _SOCKETS,
                      plausible="number of sockets"))
    memory_generation: Generation | None = field(
        default=None, metadata=_doc("DDR generation the platform takes (DDR4, DDR5)."))
    channels_per_socket: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Memory channels per socket.", None, _CHANNELS,
                      plausible="number of channels"))
    module_kinds: tuple[ModuleKind, ...] | None = field(
        default=None, metadata=_doc("Module kinds the platform takes ([\"RDIMM\", "
                                    "\"3DS-RDIMM\"] ...)."))
    ecc: str | None = field(
        default=None, metadata=_doc("ECC policy: required, optional or unsupported."))
    max_mts_1dpc: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Top memory speed at 1 DIMM per channel, MT/s.", "MT/s", _MTS,
                      plausible="memory speed"))
    max_mts_2dpc: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Top memory speed at 2 DIMMs per channel, MT/s.", "MT/s", _MTS,
                      plausible="memory speed"))
    max_mts_2dpc_1r: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Top speed with two single-rank DIMMs per channel, MT/s, where the vendor "
                      "publishes one apart.", "MT/s", _MTS, plausible="memory speed"))
    max_mts_mrdimm: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Top speed of MRDIMMs at 1 DIMM per channel, MT/s, where the platform "
                      "runs them above RDIMMs.", "MT/s", _MTS, plausible="memory speed"))
    max_module_gib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Largest module the platform supports, GiB.", "GiB", _MODULE_GIB,
                      plausible="module capacity"))
    speeds_per_sku: bool | None = field(
        default=None, metadata=_doc("true where the vendor rates memory speed per processor "
                                    "SKU (lower bins run below the platform's figure): a CPU "
                                    "without max_mts is then named as a possibly slower "
                                    "part."))
    balanced_dimms_per_socket: tuple[Count, ...] | None = field(
        default=None, metadata=_doc("Module counts per socket the vendor's population guide "
                                    "calls balanced."))
    interconnect_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Bandwidth of the socket-to-socket links in one direction, GB/s, all "
                      "links together (caps interleaved bandwidth at four times this on two "
                      "sockets).", "GB/s", _GBS, plausible="socket link bandwidth"))
    ccd_read_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Sustained read bandwidth of one CCD through its link to the I/O die, "
                      "GB/s (AMD chiplet platforms).", "GB/s", _GBS,
                      plausible="CCD read bandwidth"))
    vector_flops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("FP32 FLOPs one core retires per cycle with its vector units (FMA pipes "
                      "x lanes x 2).", None, _FLOPS_PER_CYCLE, plausible="FLOPs per cycle"))
    matrix_flops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("BF16 operations one core retires per cycle with a matrix unit (Intel "
                      "AMX), if it has one.", None, _FLOPS_PER_CYCLE,
                      plausible="operations per cycle"))
    int8_ops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("INT8 operations (a multiply and an add are two) one core retires per "
                      "cycle with its fastest integer dot-product path (AVX-512 VNNI, AVX-VNNI "
                      "or AMX INT8).", None, _FLOPS_PER_CYCLE,
                      plausible="operations per cycle"))


@frozen
class PowerEntry:
    """The fields a catalog ``[[power]]`` entry may give: a class figure that stands in for the
    power of parts which state none (DDR5 RDIMMs of 64 GB, dual-socket server boards, M.2 NVMe
    drives), or for their short excursion."""

    name: str = field(metadata=_doc("What the class is (DDR5 RDIMM, 64 GB)."))
    part: str = field(metadata=_doc("The kind of part it stands in for: cpu, gpu, memory, "
                                    "board, storage, cooling or case."))
    confidence: str = field(metadata=_doc("high (a datasheet or vendor figure), medium (a "
                                          "measurement or a vendor's calculator) or low."))
    match: dict[str, Any] = field(
        factory=dict, metadata=_doc("Fields the part must have: a value, a list of values, or "
                                    "a bound on a number (capacity_gib_max = 32)."))
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Sustained watts of one unit (the top of the source's range where it "
                      "gives one).", "W", _WATTS, plausible="class power"))
    peak_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Short excursion (about 1 ms) of one unit, W.", "W", _WATTS,
                      plausible="class peak power"))
    peak_ratio: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Short excursion as a multiple of the part's own sustained figure.",
                      None, _RATIO, plausible="peak ratio"))
