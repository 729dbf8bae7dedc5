"""Memory: the modules, channels and speed of [[memory]], or a [system]'s unified memory, and the
bandwidth they give (theoretical and sustained)."""

from __future__ import annotations

import math
from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import (
    B,
    Caveat,
    Inputs,
    L,
    N,
    Produced,
    S,
    Topic,
    Working,
    fact,
    number,
)
from hwspec.facts.shared import modules, populated_sockets
from hwspec.resolve import Build
from hwspec.spec.vocab import gpu_memory_setting

FACTS = (
    fact("memory.modules", "", N, "Memory modules in the build: sum of count x modules_per_kit.",
         f.module_count, label="memory modules"),
    fact("memory.capacity_gib", "GiB", N, "Installed memory.", f.memory_capacity_gib,
         label="memory capacity", digits=1),
    fact("memory.kinds", "", L, "Distinct module kinds in the build."),
    fact("memory.distinct_modules", "", N,
         "Distinct module types (by generation, kind, capacity, speed and ranks)."),
    fact("memory.channels", "", N, "Memory channels on the populated sockets.", f.channels_total,
         label="memory channels"),
    fact("memory.populated_channels", "", N, "Channels holding at least one module.",
         f.populated_channels, label="populated channels"),
    fact("memory.slots", "", N,
         "DIMM slots usable with the fitted CPUs: board.dimm_slots x cpu.count / board.sockets."),
    fact("memory.dimms_per_channel", "", N, "DIMMs on the fullest channel.", f.dimms_per_channel,
         label="DIMMs per channel"),
    fact("memory.balanced", "", B, "Whether every channel holds the same number of modules.",
         f.channels_balanced),
    fact("memory.sockets_balanced", "", B,
         "Whether every populated socket holds the same number of modules.", f.sockets_balanced),
    fact("memory.rated_mts", "MT/s", N, "Rated speed of the slowest module.",
         label="rated speed"),
    fact("memory.speed_limit_mts", "MT/s", N,
         "Top speed the platform, board and CPU allow at this population.", f.speed_limit_mts),
    fact("memory.speed_limit_basis", "", S,
         "Who publishes memory.speed_limit_mts (platform, board or processor, at which "
         "population), 'assumed: ...' for the platform's lowest catalog 2DPC figure, or why no "
         "speed is known."),
    fact("memory.cpu_speed_unknown", "", B,
         "True when the platform rates memory speed per processor SKU and the CPU gives no "
         "max_mts, so the platform's figure may be above what this CPU runs."),
    fact("memory.speed_assumed", "", B,
         "True when memory.speed_limit_mts is the conservative assumed figure, not one published "
         "for this platform and board."),
    fact("memory.tuned_mts", "MT/s", N,
         "Speed the BIOS is set to run the memory at ([[memory]] tuned_mts; EXPO, XMP or by "
         "hand): it is memory.effective_mts, whatever the vendor's limit."),
    fact("memory.effective_mts", "MT/s", N,
         "Speed the memory runs at: min(rated, memory.speed_limit_mts), or memory.tuned_mts; a "
         "[system]'s speed_mts.", f.effective_mts, label="effective speed",
         caveat=Caveat(when="memory.speed_assumed", says="memory.speed_limit_basis")),
    fact("memory.bandwidth_gbs", "GB/s", N,
         "Theoretical aggregate bandwidth at memory.effective_mts: channels x 8 B x MT/s, or on a "
         "[system] its vendor's stated bandwidth_gbs (which wins: Apple states 800 GB/s for the "
         "M2 Ultra), else bus width / 8 x MT/s.",
         f.memory_bandwidth_gbs, label="bandwidth, theoretical"),
    fact("memory.bandwidth_per_socket_gbs", "GB/s", N, "Theoretical bandwidth of one socket.",
         f.memory_bandwidth_gbs, label="bandwidth per socket"),
    fact("memory.sustained_bandwidth_gbs", "GB/s", N,
         "Bandwidth a streaming workload can sustain: [measured] bandwidth_gbs as given, else "
         "theoretical x STREAM_EFFICIENCY, capped per socket at cpu.ccds (each socket's) x the "
         "platform's ccd_read_gbs.", f.ccd_limited_bandwidth_gbs, label="bandwidth, sustained"),
    fact("memory.sustained_basis", "", S,
         "Where memory.sustained_bandwidth_gbs comes from: measured, estimated from the "
         "channels, or limited by the CPU's CCDs (per socket on two sockets); and the core limits "
         "not checked."),
    fact("memory.measured_bandwidth_gbs", "GB/s", N,
         "[measured] bandwidth_gbs as given: it sets memory.sustained_bandwidth_gbs, also where "
         "the memory's speed (and so its theoretical bandwidth) is unknown."),
    fact("memory.usable_gib", "GiB", N,
         "Memory the workload may fill: memory.capacity_gib, or on a [system] whose GPU runs the "
         "model, system.gpu_memory_gib."),
    fact("system.name", "", S, "The [system]'s name."),
    fact("system.processor", "", S, "The [system]'s chip."),
    fact("system.memory_type", "", S, "Memory technology of the [system] (LPDDR5X ...)."),
    fact("system.bus_width_bits", "bits", N, "Width of the [system]'s memory bus."),
    fact("system.gpu_memory_gib", "GiB", N,
         "Memory the integrated GPU may use: [system] gpu_memory_gib, else memory_gib x "
         "gpu_memory_share."),
    fact("system.gpu_memory_basis", "", S,
         "Where system.gpu_memory_gib comes from: the spec, or the operating system's default "
         "share."),
    fact("system.gpu_memory_needed_mb", "MB", N,
         "GPU memory the model needs on a [system] whose GPU runs it, in MB (MiB) as the "
         "settings that raise the GPU's share count it: ceil(model.required_gib x 1024).",
         f.gpu_memory_needed_mb, label="GPU memory needed"),
    fact("system.gpu_memory_setting", "", S,
         "What raises the GPU's share to system.gpu_memory_needed_mb where the model needs more "
         "than system.gpu_memory_gib and the memory holds it: macOS's sudo sysctl "
         "iogpu.wired_limit_mb=N, or the amdgpu.gttsize and ttm.pages_limit kernel parameters "
         "on Linux."),
    fact("memory.usable_advice", "", S,
         "What gives the workload more memory (FIT001's hint): add memory; on a [system] whose "
         "memory holds the model but whose GPU's share does not, raise the share "
         "(system.gpu_memory_setting); else a machine with more memory."),
    fact("system.gpu_fp16_tflops", "TFLOPS", N, "FP16 throughput of the [system]'s GPU."),
    fact("system.max_power_w", "W", N, "Most the whole [system] draws."),
    fact("system.replaces", "", L,
         "Tables given beside [system] that it replaces (board, cpu, memory): SYS001."),
    fact("workload.device", "", S,
         "On a [system]: where the model runs, gpu (the default) or cpu (workload.device)."),
)

BANDWIDTH_LABEL = "memory bandwidth"


READS = frozenset({"model.required_gib"})  # what a [system]'s GPU must be let use


def compute(build: Build, got: Inputs) -> Produced:
    """The memory facts: a [system]'s unified memory, else the [[memory]] modules'. A
    [measured] bandwidth wins wherever it is given, whether or not the theoretical figure is
    known."""
    if build.system is not None:
        made = _system_facts(build)
        _gpu_memory_needed(build, got, made.values)
    else:
        made = _memory_facts(build)
        if made.values.get("memory.usable_gib") is not None:
            made.values["memory.usable_advice"] = "Add memory"
    measured = build.spec.measured.bandwidth_gbs if build.spec.measured is not None else None
    if measured is not None:
        made.values["memory.measured_bandwidth_gbs"] = measured
        made.values["memory.sustained_bandwidth_gbs"] = measured
        made.values["memory.sustained_basis"] = "measured"
    return made


def _memory_facts(build: Build) -> Produced:
    values: dict[str, Any] = {}
    entries = build.memory
    if not entries:
        return Produced(values)
    count = sum(modules(m) for m in entries)
    values["memory.modules"] = count
    capacities = [m.capacity_gib for m in entries]
    if all(c is not None for c in capacities):
        values["memory.capacity_gib"] = sum(
            f.memory_capacity_gib(modules(m), c) for m, c in zip(entries, capacities, strict=True)
            if c is not None
        )
        values["memory.usable_gib"] = values["memory.capacity_gib"]
    values["memory.kinds"] = tuple(sorted({m.kind for m in entries if m.kind is not None}))
    values["memory.distinct_modules"] = len(
        {(m.generation, m.kind, m.capacity_gib, m.speed_mts, m.ranks) for m in entries}
    )
    speeds = [m.speed_mts for m in entries]
    if all(s is not None for s in speeds):
        values["memory.rated_mts"] = min(speeds)  # type: ignore[type-var]
    sockets = populated_sockets(build)
    board, platform = build.board, build.platform
    per_socket = (board.channels_per_socket if board is not None else None) or (
        platform.channels_per_socket if platform is not None else None
    )
    if board is not None and board.dimm_slots is not None and board.sockets and sockets:
        values["memory.slots"] = board.dimm_slots * sockets // board.sockets
    if sockets is None or per_socket is None:
        return Produced(values)
    channels = f.channels_total(per_socket, sockets)
    values["memory.channels"] = channels
    populated = f.populated_channels(count, channels)
    values["memory.populated_channels"] = populated
    dpc = f.dimms_per_channel(count, channels)
    values["memory.dimms_per_channel"] = dpc
    values["memory.balanced"] = f.channels_balanced(count, channels)
    values["memory.sockets_balanced"] = f.sockets_balanced(count, sockets)
    effective = _speed_facts(build, values, dpc)
    if effective is None:
        return Produced(values)
    bandwidth = f.memory_bandwidth_gbs(effective, populated)
    values["memory.bandwidth_gbs"] = bandwidth
    values["memory.bandwidth_per_socket_gbs"] = bandwidth / sockets
    _sustained_facts(build, values, bandwidth, sockets)
    working = Working(
        BANDWIDTH_LABEL, "memory_bandwidth_gbs",
        f"{number(effective)} MT/s x 8 B x {number(populated)} channels",
        f"{number(bandwidth)} GB/s")
    return Produced(values, {"memory.bandwidth_gbs": working})


def _speed_facts(build: Build, values: dict[str, Any], dpc: int) -> float | None:
    """The speed limit at this population, who sets it, and the speed the memory runs at (None
    when it is unknown)."""
    limits = _speed_limits(build, dpc)
    values["memory.speed_assumed"] = False
    cpu, platform = build.cpu, build.platform
    # Never silent: on a platform whose vendor rates speeds per SKU, a CPU without its own figure
    # may run below the platform's (a Xeon Silver 4410Y runs 4000 where Sapphire Rapids says 4800).
    values["memory.cpu_speed_unknown"] = bool(
        cpu is not None and cpu.max_mts is None and platform is not None
        and platform.speeds_per_sku)
    limit: float | None = None
    if limits:
        limit, basis = min(limits, key=lambda pair: pair[0])
        values["memory.speed_limit_mts"] = limit
        values["memory.speed_limit_basis"] = basis
        values["memory.speed_assumed"] = basis.startswith("assumed")
    else:
        values["memory.speed_limit_basis"] = _unpublished(build, dpc)
    tuned = [m.tuned_mts for m in build.memory if m.tuned_mts is not None]
    rated = values.get("memory.rated_mts")
    if tuned:
        # One memory controller clock for every module: the BIOS setting is the speed, whatever
        # the vendor's limit (MEM008 warns when it is above).
        effective: float = min(tuned)
        values["memory.tuned_mts"] = effective
    elif rated is None or limit is None:
        return None
    else:
        effective = f.effective_mts(rated, [limit])
    values["memory.effective_mts"] = effective
    return effective


def _sustained_facts(build: Build, values: dict[str, Any], theoretical: float,
                     sockets: int) -> None:
    """memory.sustained_bandwidth_gbs and who says so: a [measured] figure as given, else the
    channels' STREAM estimate, capped where the CPU's chiplets cannot fill the channels."""
    measured = build.spec.measured.bandwidth_gbs if build.spec.measured is not None else None
    if measured is not None:
        values["memory.sustained_bandwidth_gbs"] = measured
        values["memory.sustained_basis"] = "measured"
        return
    sustained = f.sustained_bandwidth_gbs(theoretical)
    values["memory.sustained_basis"] = "estimated from the channels"
    cpu, platform = build.cpu, build.platform
    per_ccd = platform.ccd_read_gbs if platform is not None else None
    if cpu is not None and per_ccd is None:
        # Never silent: no per-core or per-chiplet read figure is sourced for this platform, so
        # a part with few cores may read less than its channels offer.
        where = f"platform {platform.id}" if platform is not None else "the CPU's platform"
        values["memory.sustained_basis"] = (
            f"estimated from the channels; not checked against the cores' read limit: no "
            f"per-core or per-CCD read bandwidth is published for {where}")
    if cpu is not None and per_ccd is not None:
        if cpu.ccds is None:
            # Never silent: the cap this platform's chiplet links put on a low-CCD part cannot
            # be applied, so the estimate may be high for such a part; say which input would.
            values["memory.sustained_basis"] = (
                f"estimated from the channels; not checked against the CCD links "
                f"({per_ccd:g} GB/s each): the CPU's CCD count is not known (give [cpu] ccds)")
        else:
            per_socket = f.ccd_limited_bandwidth_gbs(sustained / sockets, cpu.ccds, per_ccd)
            if per_socket * sockets < sustained:
                sustained = per_socket * sockets
                values["memory.sustained_basis"] = _ccd_basis(cpu.ccds, per_ccd, sockets,
                                                              per_socket)
    values["memory.sustained_bandwidth_gbs"] = sustained


def _ccd_basis(ccds: int, per_ccd: float, sockets: int, per_socket_gbs: float) -> str:
    """What limits a socket's sustained bandwidth, said per socket: the CCD count is each
    socket's, so two sockets of 2 CCDs are not "4 CCDs"."""
    if sockets == 1:
        return f"limited by {ccds} CCDs at {per_ccd:g} GB/s each"
    return (f"limited by {ccds} CCDs per socket at {per_ccd:g} GB/s each: "
            f"{number(per_socket_gbs)} GB/s on each of {sockets} sockets")


def _gpu_memory_needed(build: Build, got: Inputs, values: dict[str, Any]) -> None:
    """What the GPU of a [system] must be let use for the model, the setting that does it where
    its default share is short and the memory holds the model, and FIT001's advice."""
    system = build.system
    assert system is not None
    if values.get("memory.usable_gib") is None:
        return
    values["memory.usable_advice"] = "Choose a machine with more memory"
    required, capacity = got.get("model.required_gib"), values.get("memory.capacity_gib")
    share = values.get("system.gpu_memory_gib")
    if values.get("workload.device") != "gpu" or not isinstance(required, int | float):
        return
    needed = f.gpu_memory_needed_mb(required)
    values["system.gpu_memory_needed_mb"] = needed
    if share is None or capacity is None or not share < required <= capacity:
        return
    setting = gpu_memory_setting(system.processor, needed)
    if setting is not None:
        values["system.gpu_memory_setting"] = setting
    how = setting if setting is not None else "the operating system's setting for it"
    values["memory.usable_advice"] = (
        f"Raise the GPU's share of memory to {needed:,.0f} MB ({how}) and declare it with "
        f"[system] gpu_memory_gib = {math.ceil(needed / 1024 * 10) / 10:g}")


def _system_facts(build: Build) -> Produced:
    """A [system]'s unified memory as the memory facts, and what its GPU may use of it."""
    values: dict[str, Any] = {}
    system = build.system
    assert system is not None
    values["system.name"] = system.name or system.part
    values["system.processor"] = system.processor
    values["system.memory_type"] = system.memory_type
    values["system.bus_width_bits"] = system.bus_width_bits
    values["system.max_power_w"] = system.max_power_w
    values["system.gpu_fp16_tflops"] = system.gpu_fp16_tflops
    values["system.replaces"] = tuple(name for name in ("board", "cpu") if getattr(
        build.spec, name) is not None) + (("memory",) if build.spec.memory else ())
    device = (build.workload.device if build.workload is not None else None) or "gpu"
    values["workload.device"] = device
    capacity = system.memory_gib
    values["memory.capacity_gib"] = capacity
    if system.gpu_memory_gib is not None:
        values["system.gpu_memory_gib"] = system.gpu_memory_gib
        values["system.gpu_memory_basis"] = "set in the spec"
    elif capacity is not None and system.gpu_memory_share is not None:
        values["system.gpu_memory_gib"] = capacity * system.gpu_memory_share
        values["system.gpu_memory_basis"] = (
            f"the operating system's default share, {system.gpu_memory_share:g} of the memory")
    values["memory.usable_gib"] = (values.get("system.gpu_memory_gib") if device == "gpu"
                                   else capacity)
    if system.speed_mts is not None:
        values["memory.rated_mts"] = values["memory.effective_mts"] = system.speed_mts
    workings: dict[str, Working] = {}
    if system.bandwidth_gbs is not None:
        # The vendor's stated figure wins over bus width x speed (Apple states 800 GB/s for
        # the M2 Ultra, whose 1,024-bit LPDDR5-6400 bus works out at 819.2).
        bandwidth: float = system.bandwidth_gbs
    elif system.bus_width_bits is not None and system.speed_mts is not None:
        bandwidth = f.unified_bandwidth_gbs(system.bus_width_bits, system.speed_mts)
        workings["memory.bandwidth_gbs"] = Working(  # one unified bus rather than DIMM channels
            BANDWIDTH_LABEL, "unified_bandwidth_gbs",
            f"{number(system.speed_mts)} MT/s x {number(system.bus_width_bits)} bits / 8",
            f"{number(bandwidth)} GB/s")
    else:
        return Produced(values)
    values["memory.bandwidth_gbs"] = values["memory.bandwidth_per_socket_gbs"] = bandwidth
    _sustained_facts(build, values, bandwidth, 1)
    return Produced(values, workings)
def _speed_limits(build: Build, dpc: int) -> list[tuple[float, str]]:
    """Every published cap on the memory speed at this population, each with who publishes it;
    empty when nobody publishes one for the population (then the speed is unknown).

    A board's published figure for the population wins over the platform's, above or below it:
    the board vendor validated that population on that board. Two single-rank DIMMs per channel
    take the vendor's single-rank figure where it publishes one apart, and MRDIMMs the platform's
    MRDIMM figure. More DIMMs per channel never run faster than fewer, so every 1DPC limit (and
    the CPU's own memory speed) caps a 2DPC population too. Where neither the platform nor the
    board publishes a 2DPC speed, the lowest one any catalog board of the platform publishes
    stands in for it, labelled as assumed.
    """
    board, platform, cpu = build.board, build.platform, build.cpu
    at = f"for {dpc} DIMM{'s' if dpc != 1 else ''} per channel"
    single_rank = dpc == 2 and all(m.ranks == 1 for m in build.memory)
    mrdimm = dpc <= 1 and all(m.kind == "MRDIMM" for m in build.memory)
    # (who, their figure at this population and what it is for, their 1DPC figure)
    publishers: list[tuple[str, tuple[float, str] | None, float | None]] = []
    if platform is not None:
        publishers.append((f"platform {platform.id}", _published_mts(
            dpc, single_rank, mrdimm, platform.max_mts_1dpc, platform.max_mts_2dpc,
            platform.max_mts_2dpc_1r, platform.max_mts_mrdimm), platform.max_mts_1dpc))
    if board is not None:
        publishers.append((f"board {board.name or board.part or 'board'}", _published_mts(
            dpc, single_rank, mrdimm, board.max_mts_1dpc, board.max_mts_2dpc,
            board.max_mts_2dpc_1r), board.max_mts_1dpc))
    published = [(mts, who, f"published by {who} {at}{label}")
                 for who, figure, _ in publishers if figure is not None
                 for mts, label in [figure]]
    limits = [(mts, basis) for mts, _, basis in published[-1:]]  # the board's wins, if it has one
    if len(published) == 2 and published[0][0] != published[1][0]:
        (platform_mts, platform_who, _), (board_mts, _, board_basis) = published
        side = "above" if board_mts > platform_mts else "below"
        limits = [(board_mts, f"{board_basis}, {side} {platform_who}'s {platform_mts:g}")]
    assumed = build.assumed_mts_2dpc
    if not limits and dpc == 2 and assumed is not None and platform is not None:
        limits = [(assumed.mts, (
            f"assumed: the lowest speed a {platform.id} board in the catalog publishes {at} "
            f"({assumed.board})"))]
    if not limits:
        return []
    ceilings = [(one, f"{who} at 1 DIMM per channel") for who, _, one in publishers
                if one is not None and dpc > 1]
    # A CPU's max_mts is its RDIMM speed: on a platform with an MRDIMM figure it does not cap
    # MRDIMMs (Intel lists "MRDIMM up to 8800 MT/s" beside DDR5-6400 for the Xeon 6980P).
    mrdimm_published = mrdimm and platform is not None and platform.max_mts_mrdimm is not None
    if cpu is not None and cpu.max_mts is not None and not mrdimm_published:
        ceilings.append((cpu.max_mts, f"processor {cpu.name or cpu.part or 'cpu'}"))
    return limits + ceilings


def _published_mts(dpc: int, single_rank: bool, mrdimm: bool, one: float | None,
                   two: float | None, two_single_rank: float | None,
                   one_mrdimm: float | None = None) -> tuple[float, str] | None:
    """One publisher's speed for the population, and which of its figures it is: the
    single-rank 2DPC or the MRDIMM figure where the population is of that kind and the
    publisher gives one apart, else its plain figure for the DIMMs per channel."""
    if single_rank and two_single_rank is not None:
        return two_single_rank, " single-rank"
    if mrdimm and one_mrdimm is not None:
        return one_mrdimm, " MRDIMM"
    mts = f.speed_limit_mts(dpc, one, two)
    return None if mts is None else (mts, "")


def _unpublished(build: Build, dpc: int) -> str:
    """Why no speed is known for the population: who was asked and published nothing."""
    asked = [f"platform {build.platform.id}"] if build.platform is not None else []
    if build.board is not None:
        asked.append(f"board {build.board.name or build.board.part or 'board'}")
    where = " or ".join(asked) if asked else "no platform or board is known"
    return f"no speed is published for {dpc} DIMMs per channel on {where}"




TOPIC = Topic("memory", FACTS, compute, READS)
