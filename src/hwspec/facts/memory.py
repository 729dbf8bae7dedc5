"""Memory: the modules, channels and speed of [[memory]], or a [system]'s unified memory, and the
bandwidth they give (theoretical and sustained)."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, TopicWorkings, Working, declared, number
from hwspec.facts.shared import modules, populated_sockets
from hwspec.resolve import Build
from hwspec.spec.vocab import gpu_memory_setting

FACTS = declared("memory")

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
    return Produced(values, {"memory.bandwidth_gbs": partial(  # written out when read
        _bandwidth_working, effective, populated, bandwidth)})


def _bandwidth_working(effective: float, populated: float, bandwidth: float) -> Working:
    """The DIMM channels' bandwidth worked out: speed x 8 bytes x populated channels."""
    return Working(BANDWIDTH_LABEL, "memory_bandwidth_gbs",
                   f"{number(effective)} MT/s x 8 B x {number(populated)} channels",
                   f"{number(bandwidth)} GB/s")


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
    workings: TopicWorkings = {}
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
