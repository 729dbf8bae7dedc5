"""The spec: attrs classes that mirror the TOML a user writes, and nothing computed.

Every part table may name a catalog part (``part = "amd-epyc-9655"``) and override any field inline,
or declare the part wholly inline with ``name`` and the fields it knows. The same classes hold the
resolved parts after the catalog has filled them in (``resolve.Build`` is the spec with its
parts resolved), so a field means one thing everywhere.

Field validators only guard what no spec could legitimately violate (a count is a whole number of
at least one, a capacity is a finite positive number, no PSU delivers 10^30 W, no module runs at
1e-300 MT/s); whether a build is sensible is for rules. Every field carries its documentation
in its attrs ``metadata`` (see ``_doc``): a one-sentence description, its unit, and for numbers
a plausibility range (a greatest value, and a least one for fractional numbers) that the
validators enforce on both load paths and that the JSON Schema (``hwspec schema``) and
docs/schema.md repeat.
"""

from __future__ import annotations

from attrs import field, frozen

from hwspec.spec.values import (
    _BATCH,
    _BITS,
    _BUS_BITS,
    _CACHE,
    _CHANNELS,
    _CONNECTORS,
    _CORES,
    _DRIVE_TB,
    _ENERGY_PRICE,
    _EXPERTS,
    _FANS,
    _FLOPS_PER_CYCLE,
    _GBS,
    _GHZ,
    _HEAD_DIM,
    _HEADS,
    _KIT,
    _LAYERS,
    _MODULE_GIB,
    _MTS,
    _OVERHEAD_GIB,
    _PARAMS,
    _PCIE_GEN,
    _PCIE_LANES,
    _PRICE,
    _PRICE_DOC,
    _RANKS,
    _RATE,
    _SECONDS,
    _SHARE,
    _SLOTS,
    _SOCKETS,
    _SYSTEM_CORES,
    _SYSTEM_GIB,
    _TFLOPS,
    _THREADS,
    _TOKENS,
    _UNITS,
    _WATTS,
    _WEIGHT_BYTES,
    _WIDTH,
    CURRENCY,
    AttentionKind,
    CoolingKind,
    Count,
    Currency,
    Device,
    Engine,
    Generation,
    GpuSplit,
    KvLayout,
    KvPrecision,
    ModuleKind,
    NonNegative,
    NumaMode,
    OffloadMode,
    ParamValue,
    PlatformId,
    Positive,
    Precision,
    Redundancy,
    Socket,
    Tally,
    _count,
    _doc,
    _name_doc,
    _opt_count,
    _opt_non_negative,
    _opt_positive,
    _opt_tally,
    _part_doc,
    _within_total_params,
)

# --- the spec -------------------------------------------------------------------------------------


@frozen
class BuildInfo:
    """The ``[build]`` table: what the build is called, its currency and budget."""

    name: str = field(metadata=_doc("What the build is called, as reports show it."))
    currency: Currency = field(
        default=Currency("USD"),
        metadata=_doc("ISO 4217 code of the currency every price in the spec is given in "
                      "(three upper-case letters: USD, EUR, CNY)."),
    )
    budget: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Most the whole bill may cost (CST001 checks the total against it).",
            CURRENCY, _PRICE, plausible="budget",
        ),
    )
    quoted_total: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "The total a quote or write-up states for the bill, checked against its lines "
            "(CST002).",
            CURRENCY, _PRICE, plausible="quoted total",
        ),
    )


@frozen
class Board:
    """The ``[board]`` table: a motherboard, by catalog id or inline."""

    part: str | None = field(default=None, metadata=_part_doc("board"))
    name: str | None = field(default=None, metadata=_name_doc("board"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    socket: Socket | None = field(
        default=None,
        metadata=_doc("CPU socket the board has (sp5, lga4677 ...)."),
    )
    platforms: tuple[PlatformId, ...] | None = field(
        default=None,
        metadata=_doc("Platform ids of the CPUs the board supports (sp5-genoa, sp5-turin ...)."),
    )
    sockets: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("CPU sockets on the board.", None, _SOCKETS, plausible="number of sockets"),
    )
    dimm_slots: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Memory slots on the whole board, all sockets together.",
            None, _SLOTS, plausible="number of DIMM slots",
        ),
    )
    channels_per_socket: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Memory channels the board wires to each socket.",
            None, _CHANNELS, plausible="number of channels",
        ),
    )
    form_factor: str | None = field(
        default=None,
        metadata=_doc("Board size standard a case must take (E-ATX, SSI-EEB ...)."),
    )
    eps_connectors: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "8-pin EPS12V CPU power inputs on the board.",
            None, _CONNECTORS, plausible="number of EPS connectors",
        ),
    )
    max_mts_1dpc: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Fastest memory speed the board allows with one DIMM per channel.",
            "MT/s", _MTS, plausible="memory speed",
        ),
    )
    max_mts_2dpc: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Fastest memory speed the board allows with two DIMMs per channel.",
            "MT/s", _MTS, plausible="memory speed",
        ),
    )
    max_mts_2dpc_1r: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Fastest speed with two single-rank DIMMs per channel, where the board publishes "
            "one apart from max_mts_2dpc.", "MT/s", _MTS, plausible="memory speed",
        ),
    )
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Power the board itself draws.", "W", _WATTS, plausible="board power"),
    )


@frozen
class Cpu:
    """The ``[cpu]`` table: the processor model and how many are fitted."""

    part: str | None = field(default=None, metadata=_part_doc("cpu"))
    name: str | None = field(default=None, metadata=_name_doc("cpu"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    count: Count = field(
        default=Count(1), validator=_count,
        metadata=_doc(
            "How many processors are fitted (default 1).",
            None, _UNITS, plausible="number of units",
        ),
    )
    socket: Socket | None = field(
        default=None,
        metadata=_doc("Socket the processor fits (sp5, lga4677 ...)."),
    )
    platform: PlatformId | None = field(
        default=None,
        metadata=_doc(
            "Platform id of the processor, which holds the memory tables (sp5-turin ...).",
            catalog="platform",
        ),
    )
    cores: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Cores per processor.", None, _CORES, plausible="number of cores"),
    )
    threads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Hardware threads per processor.",
            None, _THREADS, plausible="number of threads",
        ),
    )
    base_ghz: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Base clock.", "GHz", _GHZ, plausible="clock"),
    )
    boost_ghz: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Highest boost clock.", "GHz", _GHZ, plausible="clock"),
    )
    tdp_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Default thermal design power of one processor.",
            "W", _WATTS, plausible="CPU TDP",
        ),
    )
    package_power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Sustained package power limit of one processor, where it differs from the TDP "
            "(AMD PPT, Intel PL2 Maximum Turbo Power): what the CPU draws under an all-core "
            "load, and what the PSU's CPU rail is sized for.", "W", _WATTS,
            plausible="CPU package power",
        ),
    )
    peak_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Short excursion of one processor above its sustained power (about 1 ms; Intel "
            "PL4, a socket's published peak).", "W", _WATTS, plausible="CPU peak power",
        ),
    )
    max_sockets: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Most sockets the model runs in (1 for single-socket parts such as EPYC P).",
            None, _SOCKETS, plausible="number of sockets",
        ),
    )
    memory_channels: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Memory channels of one processor.",
            None, _CHANNELS, plausible="number of channels",
        ),
    )
    max_mts: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Fastest memory speed the processor supports.",
            "MT/s", _MTS, plausible="memory speed",
        ),
    )
    l3_mib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("L3 cache of one processor.", "MiB", _CACHE, plausible="L3 cache"),
    )
    ccds: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Core complex dies (AMD CCDs) of one processor; each reads memory through its own "
            "link, so few CCDs cannot fill many channels.", None, _CHANNELS,
            plausible="number of CCDs",
        ),
    )
    vector_flops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "FP32 FLOPs one core retires per cycle with its vector units (FMA pipes x lanes x "
            "2), where the processor differs from its platform's figure (Zen 4 and Zen 5 on "
            "AM5; one FMA unit on Xeon Gold 5xxx).", "FLOPs/cycle", _FLOPS_PER_CYCLE,
            plausible="FLOPs per cycle",
        ),
    )
    matrix_flops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "BF16 operations one core retires per cycle with a matrix unit (Intel AMX), where "
            "the processor differs from its platform's figure.", "FLOPs/cycle", _FLOPS_PER_CYCLE,
            plausible="FLOPs per cycle",
        ),
    )
    int8_ops_per_cycle: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "INT8 operations (a multiply and an add are two) one core retires per cycle with "
            "its fastest integer dot-product path (AVX-512 VNNI, AVX-VNNI or AMX INT8), where "
            "the processor differs from its platform's figure.", "ops/cycle", _FLOPS_PER_CYCLE,
            plausible="operations per cycle",
        ),
    )


@frozen
class Memory:
    """One ``[[memory]]`` entry: a module or a kit of identical modules, and how many were
    bought."""

    part: str | None = field(default=None, metadata=_part_doc("memory"))
    name: str | None = field(default=None, metadata=_name_doc("module"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    count: Count = field(
        default=Count(1), validator=_count,
        metadata=_doc(
            "How many modules or kits are bought (default 1).",
            None, _UNITS, plausible="number of units",
        ),
    )
    generation: Generation | None = field(
        default=None,
        metadata=_doc("DDR generation of the module (DDR4, DDR5)."),
    )
    kind: ModuleKind | None = field(
        default=None, metadata=_doc("Module kind, which the platform must take (RDIMM, UDIMM ...).")
    )
    ecc: bool | None = field(default=None, metadata=_doc("Whether the module carries ECC."))
    capacity_gib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Capacity of one module (a 32 GB DIMM holds 32 GiB).",
            "GiB", _MODULE_GIB, plausible="module capacity",
        ),
    )
    speed_mts: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Rated speed of the module.", "MT/s", _MTS, plausible="module speed"),
    )
    modules_per_kit: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Modules in one unit bought (default 1; a kit of two is 2).",
            None, _KIT, plausible="kit size",
        ),
    )
    ranks: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Ranks per module.", None, _RANKS, plausible="number of ranks"),
    )
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Power one module draws.", "W", _WATTS, plausible="module power"),
    )
    tuned_mts: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Speed the BIOS runs the memory at, where set by hand or by an EXPO/XMP profile; "
            "it may exceed the vendor's limit for the population (MEM008 says so).",
            "MT/s", _MTS, plausible="memory speed",
        ),
    )


@frozen
class Psu:
    """The ``[psu]`` table: the power supply."""

    part: str | None = field(default=None, metadata=_part_doc("psu"))
    name: str | None = field(default=None, metadata=_name_doc("PSU"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    count: Count = field(
        default=Count(1), validator=_count,
        metadata=_doc(
            "How many units are fitted (default 1); redundancy says how they share the load.",
            None, _UNITS, plausible="number of units",
        ),
    )
    redundancy: Redundancy | None = field(
        default=None,
        metadata=_doc(
            "How several units share the load: none (their outputs add up; the default), 1+1 "
            "(pairs: half the units' sum is usable) or n+1 (one unit spare)."
        ),
    )
    capacity_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Continuous output one unit is rated for.",
            "W", _WATTS, plausible="PSU capacity",
        ),
    )
    peak_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Short excursion one unit is rated to deliver (about 1 ms), where its maker states "
            "one; else it follows from atx_version.", "W", _WATTS, plausible="PSU peak power",
        ),
    )
    rating: str | None = field(
        default=None,
        metadata=_doc("Efficiency rating (80 PLUS Titanium ...)."),
    )
    eps_connectors: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "8-pin EPS12V CPU power cables one unit provides.",
            None, _CONNECTORS, plausible="number of EPS connectors",
        ),
    )
    pcie_connectors: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "8-pin (6+2) PCIe GPU power cables one unit provides.",
            None, _CONNECTORS, plausible="number of PCIe connectors",
        ),
    )
    hpwr_connectors: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "12V-2x6 (12VHPWR) GPU power cables one unit provides.",
            None, _CONNECTORS, plausible="number of 12V-2x6 connectors",
        ),
    )
    atx_version: str | None = field(
        default=None,
        metadata=_doc("ATX power supply specification version (3.1 ...)."),
    )
    form_factor: str | None = field(
        default=None,
        metadata=_doc("PSU size standard (ATX, SFX, CRPS ...)."),
    )


@frozen
class Gpu:
    """One ``[[gpu]]`` entry: an accelerator model and how many are fitted."""

    part: str | None = field(default=None, metadata=_part_doc("gpu"))
    name: str | None = field(default=None, metadata=_name_doc("GPU"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    count: Count = field(
        default=Count(1), validator=_count,
        metadata=_doc(
            "How many cards of this model are fitted (default 1).",
            None, _UNITS, plausible="number of units",
        ),
    )
    vram_gib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Memory on one card.", "GiB", _MODULE_GIB, plausible="GPU memory"),
    )
    memory_type: str | None = field(
        default=None,
        metadata=_doc("Memory technology of the card (GDDR7, HBM3e ...)."),
    )
    bandwidth_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Memory bandwidth of one card.",
            "GB/s", _GBS, plausible="GPU memory bandwidth",
        ),
    )
    tdp_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Board power of one card.", "W", _WATTS, plausible="GPU power"),
    )
    peak_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Measured short excursion of one card above its board power (about 1 ms).",
            "W", _WATTS, plausible="GPU peak power",
        ),
    )
    power_limit_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Power limit set on each card of this entry (what `nvidia-smi -pl` sets): the "
            "PSU load and the draw while decoding count each card at it rather than at tdp_w. "
            "PWR007 checks it is no more than the card allows (max_power_limit_w, else tdp_w).",
            "W", _WATTS, plausible="GPU power",
        ),
    )
    max_power_limit_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Highest power limit the card's firmware accepts (`nvidia-smi -q -d POWER`, Max "
            "Power Limit); where unknown, power_limit_w may not exceed tdp_w.",
            "W", _WATTS, plausible="GPU power",
        ),
    )
    decode_power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Measured draw of one card while it decodes (generates tokens at batch 1) at its "
            "stock limit; power.decode_draw_w counts it, capped at power_limit_w.",
            "W", _WATTS, plausible="GPU power",
        ),
    )
    pcie_connectors: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "8-pin PCIe power inputs on one card.",
            None, _CONNECTORS, plausible="number of PCIe connectors",
        ),
    )
    hpwr_connectors: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "12V-2x6 (12VHPWR) power inputs on one card.",
            None, _CONNECTORS, plausible="number of 12V-2x6 connectors",
        ),
    )
    eps_connectors: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "8-pin EPS12V (CPU-style) power inputs on one card, as data-centre cards take.",
            None, _CONNECTORS, plausible="number of EPS connectors",
        ),
    )
    fp16_tensor_tflops: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Dense FP16 tensor throughput of one card.",
            "TFLOPS", _TFLOPS, plausible="GPU throughput",
        ),
    )
    fp16_acc16_tensor_tflops: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Dense FP16 tensor throughput of one card with FP16 accumulation, where it is "
            "faster than fp16_tensor_tflops (GeForce cards run FP32 accumulation at half rate).",
            "TFLOPS", _TFLOPS, plausible="GPU throughput",
        ),
    )
    int8_tensor_tops: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Dense INT8 tensor throughput of one card (the rate integer-quantised weights are "
            "multiplied at by int8 kernels such as llama.cpp's MMQ).",
            "TOPS", _TFLOPS, plausible="GPU throughput",
        ),
    )
    pcie_gen: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "PCIe generation the card's link runs at (the lower of the card's and its slot's).",
            None, _PCIE_GEN, plausible="PCIe generation",
        ),
    )
    pcie_lanes: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "PCIe lanes of the card's link (the fewer of the card's and its slot's: 16, 8 ...).",
            None, _PCIE_LANES, plausible="number of PCIe lanes",
        ),
    )


@frozen
class Storage:
    """One ``[[storage]]`` entry: a drive model and how many are fitted."""

    part: str | None = field(default=None, metadata=_part_doc("storage"))
    name: str | None = field(default=None, metadata=_name_doc("drive"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    count: Count = field(
        default=Count(1), validator=_count,
        metadata=_doc(
            "How many drives of this model are fitted (default 1).",
            None, _UNITS, plausible="number of units",
        ),
    )
    kind: str | None = field(default=None, metadata=_doc("Drive kind (nvme, sata-ssd, hdd ...)."))
    capacity_tb: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Capacity of one drive.",
            "TB", _DRIVE_TB, plausible="drive capacity",
        ),
    )
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Power one drive draws.", "W", _WATTS, plausible="drive power"),
    )
    read_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Sequential read rate of one drive (the datasheet's MB/s / 1000): what decode reads "
            "weights at under workload.weights_from_storage.",
            "GB/s", _GBS, plausible="drive read rate",
        ),
    )


@frozen
class Case:
    """The ``[case]`` table: the chassis."""

    part: str | None = field(default=None, metadata=_part_doc("case"))
    name: str | None = field(default=None, metadata=_name_doc("case"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    form_factors: tuple[str, ...] | None = field(
        default=None, metadata=_doc("Board form factors the case takes (E-ATX, SSI-EEB ...).")
    )
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Power the case's own fans and electronics draw.",
            "W", _WATTS, plausible="case power",
        ),
    )
    fans: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "Fans the case carries; each counts at the catalog's per-fan class figure when the "
            "case states no power_w.",
            None, _FANS, plausible="number of fans",
        ),
    )


@frozen
class Cooling:
    """The ``[cooling]`` table: coolers and fans, priced as one line."""

    part: str | None = field(default=None, metadata=_part_doc("cooling"))
    name: str | None = field(default=None, metadata=_name_doc("cooling"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    kind: CoolingKind | None = field(
        default=None,
        metadata=_doc("What the cooling is: air (tower coolers and fans), liquid (all-in-one "
                      "pump and radiator fans) or server-fans (a chassis fan wall)."),
    )
    power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Power the coolers and fans draw.", "W", _WATTS, plausible="cooling power"),
    )
    fans: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc(
            "Fans (and pumps) of the coolers; each counts at the catalog's per-fan class figure "
            "when the cooling states no power_w. Unset: one per CPU.",
            None, _FANS, plausible="number of fans",
        ),
    )


@frozen
class System:
    """The ``[system]`` table: a whole machine whose processor and memory are fixed (a Mac
    Studio, a Ryzen AI Max+ 395 mini PC, a DGX Spark). It replaces [board], [cpu] and
    [[memory]]: its memory is unified, shared by the CPU and the integrated GPU."""

    part: str | None = field(default=None, metadata=_part_doc("system"))
    name: str | None = field(default=None, metadata=_name_doc("system"))
    price: Positive | None = field(default=None, validator=_opt_positive, metadata=_PRICE_DOC)
    processor: str | None = field(
        default=None, metadata=_doc("The system's chip, as its vendor names it (Apple M3 Ultra, "
                                    "28-core CPU, 80-core GPU ...)."))
    memory_gib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Unified memory installed (a 192 GB Mac holds 192 GiB).", "GiB",
                      _SYSTEM_GIB, plausible="system memory"),
    )
    memory_type: str | None = field(
        default=None, metadata=_doc("Memory technology (LPDDR5, LPDDR5X ...)."))
    bus_width_bits: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of the memory bus, all channels together.", "bits", _BUS_BITS,
                      plausible="memory bus width"),
    )
    speed_mts: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Memory speed.", "MT/s", _MTS, plausible="memory speed"),
    )
    bandwidth_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Memory bandwidth as the vendor states it; it wins over bus_width_bits x "
                      "speed_mts / 8 where both are given.", "GB/s", _GBS,
                      plausible="memory bandwidth"),
    )
    gpu_memory_share: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Share of the memory the operating system lets the GPU use by default "
                      "(0.75 of a Mac above 36 GB).", None, _SHARE, plausible="share of memory"),
    )
    gpu_memory_gib: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Memory the GPU may use, where raised from the default (macOS: "
                      "sudo sysctl iogpu.wired_limit_mb=N); wins over gpu_memory_share.", "GiB",
                      _SYSTEM_GIB, plausible="GPU-usable memory"),
    )
    cpu_cores: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("CPU cores.", None, _SYSTEM_CORES, plausible="number of cores"),
    )
    gpu_cores: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("GPU cores as the vendor counts them (Apple GPU cores, AMD compute units, "
                      "NVIDIA SMs).", None, _SYSTEM_CORES, plausible="number of GPU cores"),
    )
    gpu_fp16_tflops: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("FP16 throughput of the integrated GPU.", "TFLOPS", _TFLOPS,
                      plausible="GPU throughput"),
    )
    cpu_fp32_tflops: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("FP32 vector throughput of the CPU cores together (every core at its "
                      "all-core clock), the rate prefill runs at with workload.device = "
                      "\"cpu\".", "TFLOPS", _TFLOPS, plausible="CPU throughput"),
    )
    max_power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Most the whole machine draws, as its vendor states it.", "W", _WATTS,
                      plausible="system power"),
    )
    decode_power_w: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Measured draw of the whole machine while it decodes (generates tokens) "
                      "with a model in memory; power.decode_draw_w counts it.", "W", _WATTS,
                      plausible="system power"),
    )


@frozen
class Measured:
    """The ``[measured]`` table: figures measured on the machine itself. A measured figure wins
    over any estimate (DESIGN.md, "Unknown figures")."""

    bandwidth_gbs: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Sustained memory bandwidth measured with every core reading (STREAM Triad "
                      "or Intel MLC); it sets memory.sustained_bandwidth_gbs.", "GB/s", _GBS,
                      plausible="memory bandwidth"),
    )
    source: str | None = field(
        default=None, metadata=_doc("Where the measurement comes from (a URL, or the tool and "
                                    "the date it was run)."))


@frozen
class Precisions:
    """Precisions of a model's tensor groups, where they differ from one another:
    ``[workload.precisions]``, or a catalog model's ``precisions`` (what its published file
    keeps). A group left out takes workload.precision."""

    attention: Precision | None = field(
        default=None, metadata=_doc("The attention projections (Q, K, V, output; MLA's "
                                    "low-rank projections)."))
    dense_ffn: Precision | None = field(
        default=None, metadata=_doc("Everything not in another group: the dense layers' "
                                    "feed-forward blocks, shared experts, routers, norms."))
    experts: Precision | None = field(
        default=None, metadata=_doc("The routed experts' feed-forward weights."))
    embeddings: Precision | None = field(
        default=None, metadata=_doc("The token embeddings and the output head."))


@frozen
class ModelArch:
    """A model's architecture: from the catalog (``workload.model``) or inline
    (``[workload.arch]``)."""

    name: str | None = field(default=None, metadata=_doc("Model name, as reports show it."))
    params_b: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Total parameter count.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    active_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters read per generated token (all of them for a dense model).",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Transformer layers.", None, _LAYERS, plausible="number of layers"),
    )
    hidden_size: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of the hidden state.", None, _WIDTH, plausible="hidden size"),
    )
    attention: AttentionKind | None = field(
        default=None,
        metadata=_doc("Attention variant, which decides the KV-cache formula (mha, gqa, mla)."),
    )
    heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Attention (query) heads per layer.",
            None, _HEADS, plausible="number of heads",
        ),
    )
    kv_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Key/value heads per layer (fewer than heads under GQA).",
            None, _HEADS, plausible="number of heads",
        ),
    )
    head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of one attention head.", None, _HEAD_DIM, plausible="head dimension"),
    )
    v_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of one value head, where it differs from head_dim.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    kv_lora_rank: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Rank of the compressed KV latent under MLA.",
            None, _HEAD_DIM, plausible="latent rank",
        ),
    )
    rope_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of the rotary (decoupled RoPE) key part under MLA.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    index_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of the key DeepSeek Sparse Attention's indexer caches per token and layer "
            "(DeepSeek-V3.2: 128), in FP8 beside the MLA latent.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    sliding_window: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "How far back a sliding-window attention layer looks.",
            "tokens", _TOKENS, plausible="window",
        ),
    )
    sliding_window_layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "How many of the layers attend through the sliding window (the others see the whole "
            "context); all of them when sliding_window is given and this is left out.",
            None, _LAYERS, plausible="number of layers",
        ),
    )
    full_attention_layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "In a hybrid model (Qwen3-Next), the layers with full attention and a KV cache; the "
            "others are linear-attention layers, each keeping a fixed recurrent state per "
            "sequence instead (the linear_* fields size it).",
            None, _LAYERS, plausible="number of layers",
        ),
    )
    linear_key_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Query and key heads of a linear-attention layer (Gated DeltaNet).",
                      None, _HEADS, plausible="number of heads"),
    )
    linear_value_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Value heads of a linear-attention layer; each keeps a key x value state.",
                      None, _HEADS, plausible="number of heads"),
    )
    linear_key_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of a linear-attention key head.", None, _HEAD_DIM,
                      plausible="head dimension"),
    )
    linear_value_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of a linear-attention value head.", None, _HEAD_DIM,
                      plausible="head dimension"),
    )
    linear_conv_kernel: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Length of a linear-attention layer's short convolution, whose last "
                      "kernel - 1 inputs are kept with the state.", None, _HEAD_DIM,
                      plausible="kernel length"),
    )
    experts: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Routed experts per mixture-of-experts layer.",
            None, _EXPERTS, plausible="number of experts",
        ),
    )
    experts_per_token: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Routed experts each token uses.",
            None, _EXPERTS, plausible="number of experts",
        ),
    )
    expert_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the routed experts, every layer together; the rest (attention, shared "
            "experts, dense layers, embeddings) is what experts-in-ram offload puts on the GPUs.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    weight_bytes: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Bytes of the weights as a file stores them (a GGUF file's tensor table, as "
            "`hwspec model import` reads it): wins over params_b x bits per weight.",
            "bytes", _WEIGHT_BYTES, plausible="weight bytes",
        ),
    )
    expert_weight_bytes: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Bytes of the routed-expert weights as the file stores them: what experts-in-ram "
            "leaves in system memory.",
            "bytes", _WEIGHT_BYTES, plausible="weight bytes",
        ),
    )
    native_precision: str | None = field(
        default=None,
        metadata=_doc("Precision the weights were released in (bf16, fp8 ...)."),
    )
    vocab_size: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Tokens in the vocabulary: llama.cpp's compute buffer holds a micro-batch's "
                      "logits over it.", None, _WIDTH, plausible="vocabulary size"),
    )
    attention_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the attention projections, every layer together (worked out from "
            "the shape for MHA and GQA when not given); sizes the attention precision group.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    embedding_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the token embeddings and the output head (vocabulary x hidden size, "
            "twice when they are not tied); sizes the embeddings precision group.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    precisions: Precisions | None = field(
        default=None,
        metadata=_doc("Precisions the published weights keep per tensor group where they "
                      "differ (gpt-oss: experts mxfp4, the rest bf16); they apply when "
                      "workload.precision is the model's native_precision or not given."),
    )
    max_context_tokens: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Longest context the model supports.",
            "tokens", _TOKENS, plausible="context length",
        ),
    )


@frozen
class Workload:
    """The ``[workload]`` table: which model runs, at what precision, context and batch."""

    model: str | None = field(
        default=None,
        metadata=_doc(
            "Catalog model id (`hwspec parts model` lists them); leave it out and give "
            "[workload.arch] for a model the catalog lacks.",
            catalog="model",
        ),
    )
    arch: ModelArch | None = field(
        default=None,
        metadata=_doc("Inline model architecture, or overrides of the catalog model's fields."),
    )
    precision: Precision | None = field(
        default=None, metadata=_doc("Precision the weights are stored at (fp8, q4_k ...).")
    )
    precisions: Precisions | None = field(
        default=None,
        metadata=_doc("Precisions of tensor groups kept apart from workload.precision "
                      "({ attention = \"bf16\", experts = \"q4_k_m\" }), as GGUF K-quant "
                      "mixes and gpt-oss's files keep some tensors wider."),
    )
    bits_per_weight: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Bits stored per weight, given directly (wins over precision).",
            "bits", _BITS, plausible="weight width",
        ),
    )
    kv_precision: KvPrecision | None = field(
        default=None, metadata=_doc("Precision of the KV cache (default f16).")
    )
    context_tokens: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Context length to plan memory for.",
            "tokens", _TOKENS, plausible="context length",
        ),
    )
    batch: Count = field(
        default=Count(1),
        validator=_count,
        metadata=_doc("Sequences decoded together (default 1).", None, _BATCH, plausible="batch"),
    )
    min_decode_tokens_per_s: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Decode speed per sequence the build must reach (FIT002).",
            "tokens/s", _RATE, plausible="decode speed",
        ),
    )
    prompt_tokens: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Prompt processed before the first generated token, for prefill.ttft_s (default "
            "4096, at most context_tokens).", "tokens", _TOKENS, plausible="prompt length",
        ),
    )
    max_ttft_s: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Longest wait for the first token the build may give at prompt_tokens (FIT006).",
            "s", _SECONDS, plausible="time to first token",
        ),
    )
    overhead_gib: NonNegative | None = field(
        default=None, validator=_opt_non_negative,
        metadata=_doc(
            "Memory for engine buffers, runtime and OS (default 5 % of weights and KV cache).",
            "GiB", _OVERHEAD_GIB, plausible="overhead",
        ),
    )
    electricity_price: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "What a kWh costs, in build.currency: the running cost per day and per million "
            "tokens follow.", CURRENCY, _ENERGY_PRICE, plausible="electricity price",
        ),
    )
    engine: Engine | None = field(
        default=None,
        metadata=_doc("Inference engine (llama.cpp, ik_llama.cpp, ktransformers, sglang, vllm, "
                      "mlx); it decides how an MLA model's KV cache is stored."),
    )
    kv_layout: KvLayout | None = field(
        default=None,
        metadata=_doc("How an MLA model's KV cache is stored: latent (the default, and what "
                      "every listed engine does now), latent-with-v (the latent plus a "
                      "kv_lora_rank-wide V cache: llama.cpp builds before its V-less cache, "
                      "PR 19067 of January 2026) or full per-head K and V (llama.cpp with a GGUF "
                      "converted before its MLA support; vLLM with VLLM_MLA_DISABLE=1)."),
    )
    numa: NumaMode | None = field(
        default=None,
        metadata=_doc("On a multi-socket build: single-socket, interleave (default) or "
                      "replicate-per-socket; decides usable bandwidth and copies of the weights."),
    )
    offload: OffloadMode | None = field(
        default=None,
        metadata=_doc("Weights on the GPUs: none (default without GPUs), layers (gpu_layers of "
                      "them) or experts-in-ram (all but the routed experts)."),
    )
    gpu_split: GpuSplit | None = field(
        default=None,
        metadata=_doc("With several GPUs: layers (each GPU holds whole layers, and they work one "
                      "after another; llama.cpp's default) or tensor (every layer split across "
                      "all GPUs at once; tensor parallelism). Default: tensor for vllm and "
                      "sglang, layers otherwise."),
    )
    gpu_layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Layers placed on the GPUs when offload = \"layers\".", None, _LAYERS,
                      plausible="number of layers"),
    )
    cpu_moe_layers: Tally | None = field(
        default=None, validator=_opt_tally,
        metadata=_doc("Under offload = \"experts-in-ram\": the layers whose routed experts stay "
                      "in system memory (llama.cpp's --n-cpu-moe N); the other layers' experts "
                      "go to the GPUs with the rest. Default: every layer's. Given without "
                      "offload, it sets offload to experts-in-ram.", None, _LAYERS,
                      plausible="number of layers"),
    )
    weights_from_storage: bool | None = field(
        default=None,
        metadata=_doc("Whether the engine maps the weights from storage (llama.cpp's default "
                      "mmap) and may run with less system memory than they need: the share that "
                      "does not fit is read from the drive per token, at its read_gbs, and FIT001 "
                      "names it instead of failing (default false)."),
    )
    prefill_batch: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Prompt tokens processed together (llama.cpp's -ub, default 512): with "
                      "offload, llama.cpp copies the weights in system memory to the GPU once "
                      "per batch.", "tokens", _TOKENS, plausible="batch of prompt tokens"),
    )
    flash_attention: bool | None = field(
        default=None,
        metadata=_doc("Whether llama.cpp runs flash attention (-fa; on by default in builds "
                      "since 2025 where the GPU supports it): without it the compute buffer "
                      "holds every head's attention scores over the whole context."),
    )
    gpu_memory_utilization: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc("Under engine = \"vllm\": the share of each GPU's memory vLLM takes for "
                      "weights, activations and KV cache (its --gpu-memory-utilization, default "
                      "0.9); the rest stays free.", None, _SHARE, plausible="share of memory"),
    )
    device: Device | None = field(
        default=None,
        metadata=_doc("On a [system]: gpu (the default: the integrated GPU runs the model, so "
                      "it must fit in the GPU-usable memory) or cpu (the CPU cores only)."),
    )


@frozen
class IgnoreEntry:
    """One entry of ``[checks] ignore``: a rule id or name, and why it is silenced."""

    rule: str = field(metadata=_doc("Id or name of the rule to skip for this spec (MEM004)."))
    reason: str | None = field(
        default=None,
        metadata=_doc("Why the rule is skipped for this spec."),
    )


@frozen
class Checks:
    """The ``[checks]`` table: per-spec rule ignores and parameter overrides."""

    ignore: tuple[IgnoreEntry, ...] = field(
        default=(),
        metadata=_doc(
            'Rules to skip for this spec: tables of a rule id or name and the reason, '
            '{ rule = "MEM004", reason = "why" }.'
        ),
    )
    params: dict[str, ParamValue] = field(
        factory=dict,
        metadata=_doc("Rule parameter overrides by name ({ psu_max_load = 0.7 })."),
    )


@frozen
class Spec:
    """A whole build as written in its TOML file."""

    build: BuildInfo = field(metadata=_doc("What the build is called, its currency and budget."))
    board: Board | None = field(default=None, metadata=_doc("The motherboard."))
    cpu: Cpu | None = field(default=None, metadata=_doc("The processor model and how many."))
    memory: tuple[Memory, ...] = field(
        default=(), metadata=_doc("Memory, one entry per distinct module or kit.")
    )
    psu: Psu | None = field(default=None, metadata=_doc("The power supply."))
    gpu: tuple[Gpu, ...] = field(
        default=(), metadata=_doc("Accelerators, one entry per card model.")
    )
    storage: tuple[Storage, ...] = field(
        default=(), metadata=_doc("Drives, one entry per drive model.")
    )
    case: Case | None = field(default=None, metadata=_doc("The chassis."))
    cooling: Cooling | None = field(default=None, metadata=_doc("Coolers and fans, as one line."))
    system: System | None = field(
        default=None, metadata=_doc("A whole machine with fixed processor and unified memory; "
                                    "it replaces board, cpu and memory.")
    )
    measured: Measured | None = field(
        default=None, metadata=_doc("Figures measured on the machine; they win over estimates.")
    )
    workload: Workload | None = field(
        default=None, metadata=_doc("The model to run, at what precision, context and batch.")
    )
    checks: Checks = field(
        factory=Checks, metadata=_doc("Rule ignores and parameter overrides for this spec.")
    )
