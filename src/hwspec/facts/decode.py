"""Decode: the bytes read per generated token on each device, and the speed they allow at the
bandwidth each device gives (the bound) and at what engines reach of it (what to expect), at
the start of generation and with the whole allocated context in the KV cache."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, TopicWorkings, Working, declared, number
from hwspec.facts.shared import populated_sockets
from hwspec.resolve import Build

FULL = "_full_context"

FACTS = declared("decode")

READS = frozenset({
    "model.ram_active_params_b", "model.gpu_active_params_b", "model.bits_per_weight",
    "model.ram_kv_cache_gib", "model.gpu_kv_cache_gib", "model.params_b",
    "model.active_params_b", "memory.bandwidth_gbs", "memory.sustained_bandwidth_gbs",
    "memory.sustained_basis", "memory.populated_channels", "system.bus_width_bits",
    "workload.device", "workload.numa", "workload.offload", "workload.engine",
    "workload.precision", "gpu.decode_bandwidth_gbs",
    "model.storage_read_per_token_gb", "storage.read_gbs",  # weights mapped from storage
    "model.ram_weight_read_gb", "model.gpu_weight_read_gb",  # tensor groups at their own widths
})

I_QUANT_PREFIXES = ("iq1", "iq2", "iq3")
"""GGUF i-quants whose dequantisation (lattice codebooks) costs more arithmetic per weight than
the k-quants; on CPU cores their decode can be compute-bound, so the expected figures read no
faster than the cores consume them (formulas.I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE). Other
precisions have no sourced per-core cost, and their compute limit is named as not checked."""


class Speeds(NamedTuple):
    """One context's figures: the bound, the expected speed and its range."""

    bound: float | None
    expected: float
    low: float
    high: float


class Plan(NamedTuple):
    """How a token's reads are charged: the RAM bandwidth of the bound and of the expected
    figure's central, low and high ends, the GPUs' bandwidth, and whether the reference is the
    bound (a GPU class) or the bound at sustained bandwidth (a CPU class)."""

    ram_bound_gbs: float | None
    ram_expected_gbs: tuple[float, float, float]
    gpu_gbs: float | None
    efficiency: f.DecodeEfficiency
    storage_gbs: float | None = None
    """The drive's read rate, for weights mapped from storage that memory does not hold."""


def compute(build: Build, got: Inputs) -> Produced:
    """Bytes per token on each side, and the decode bound and expected speed they allow at the
    start of generation and at the full context."""
    values: dict[str, Any] = {}
    ram_active, gpu_active = got.get("model.ram_active_params_b"), got.get(
        "model.gpu_active_params_b")
    bits, ram_kv = got.get("model.bits_per_weight"), got.get("model.ram_kv_cache_gib")
    if ram_active is None or gpu_active is None or bits is None or ram_kv is None:
        return Produced(values)
    gpu_kv = got.get("model.gpu_kv_cache_gib", 0.0)  # none without offload
    stored_gb = got.get("model.storage_read_per_token_gb") or 0.0  # not resident: off the drive
    # At the start of generation the cache holds next to nothing (tg128 reads at most 128
    # tokens of it against gigabytes of weights): the weights alone, each tensor group at its
    # own width where the model gives them.
    ram_start = _weights_gb(ram_active, bits, got.get("model.ram_weight_read_gb")) - stored_gb
    gpu_start = _weights_gb(gpu_active, bits, got.get("model.gpu_weight_read_gb"))
    ram_gb = values["decode.ram_bytes_per_token_gb"] = ram_start + f.bytes_to_gb(ram_kv * f.GIB)
    gpu_gb = values["decode.gpu_bytes_per_token_gb"] = gpu_start + f.bytes_to_gb(gpu_kv * f.GIB)
    values["decode.bytes_per_token_gb"] = ram_gb + gpu_gb + stored_gb
    if not ram_gb and not gpu_gb and not stored_gb:
        return Produced(values)  # nothing is read per token: no model to speak of
    notes: list[str] = []
    plan = _plan(build, got, values, ram_gb, gpu_gb, notes)
    if plan is None or (stored_gb and plan.storage_gbs is None):
        return Produced(values)
    start = _speeds(plan, ram_start, gpu_start, stored_gb)
    full = _speeds(plan, ram_gb, gpu_gb, stored_gb)
    for suffix, speeds in (("", start), (FULL, full)):
        if speeds.bound is not None:
            values["decode.tokens_per_s_max" + suffix] = speeds.bound
        values["decode.tokens_per_s_expected" + suffix] = speeds.expected
        values["decode.tokens_per_s_expected" + suffix + "_low"] = speeds.low
        values["decode.tokens_per_s_expected" + suffix + "_high"] = speeds.high
    values["decode.expected_basis"] = "; ".join(notes)
    # Written out only when a view reads them (``Later``): a check reads none.
    device, ram_read = values["decode.device_class"], bool(ram_gb)
    workings: TopicWorkings = {
        "decode.tokens_per_s_expected": partial(
            _expected_working, device, ram_read, plan, start, ""),
        "decode.tokens_per_s_expected" + FULL: partial(
            _expected_working, device, ram_read, plan, full, FULL)}
    if start.bound is not None and full.bound is not None:
        workings["decode.tokens_per_s_max"] = partial(
            _bound_working, "decode bound", start.bound, ram_start, gpu_start, stored_gb, plan)
        workings["decode.tokens_per_s_max" + FULL] = partial(
            _bound_working, "full-context bound", full.bound, ram_gb, gpu_gb, stored_gb, plan)
    return Produced(values, workings)


def _weights_gb(active_b: float, bits: float, given_gb: float | None) -> float:
    """Weight bytes one token reads on a device, in GB: the placement's figure where tensor
    groups have widths of their own, else the active parameters at the model's width."""
    if given_gb is not None:
        return given_gb
    return f.bytes_to_gb(f.decode_bytes_per_token(active_b, bits, 0.0))


def _speeds(plan: Plan, ram_gb: float, gpu_gb: float, stored_gb: float = 0.0) -> Speeds:
    """The figures for one context: the bound at theoretical bandwidth, and the expected speed
    and its range at the plan's bandwidths and efficiency, none above the bound. Weights mapped
    from storage are read at the drive's rate in both."""
    # The GPUs' reads and the drive's: each at its own bandwidth, beside system memory's.
    others = [(gpu_gb * f.GB, plan.gpu_gbs)] if gpu_gb and plan.gpu_gbs is not None else []
    if stored_gb and plan.storage_gbs is not None:
        others.append((stored_gb * f.GB, plan.storage_gbs))
    bound: float | None = None
    if plan.ram_bound_gbs is not None or not ram_gb:
        bound = f.decode_tokens_per_s_split(
            [*([(ram_gb * f.GB, plan.ram_bound_gbs)] if ram_gb and plan.ram_bound_gbs is not None
               else []), *others])
    eff = plan.efficiency
    speeds = []
    for ram_gbs, share in zip(plan.ram_expected_gbs, (eff.central, eff.low, eff.high),
                              strict=True):
        reference = f.decode_tokens_per_s_split(
            [*([(ram_gb * f.GB, ram_gbs)] if ram_gb else []), *others])
        speed = f.decode_tokens_per_s_expected(reference, share)
        speeds.append(speed if bound is None else min(speed, bound))
    return Speeds(bound, *speeds)


def _shape(got: Inputs) -> str:
    """``moe`` where a token reads fewer parameters than the model holds, else ``dense``."""
    total, active = got.get("model.params_b"), got.get("model.active_params_b")
    return "moe" if total is not None and active is not None and active < total else "dense"


def _device_class(build: Build, got: Inputs, ram_gb: float, gpu_gb: float) -> str:
    """The class decode efficiency is measured by: where the weights are read from, and for CPU
    memory the channels per socket (a unified chip's bus counted in 64-bit channels)."""
    if not ram_gb:
        return f.DISCRETE_GPU
    if gpu_gb:
        return f.HYBRID
    sockets = populated_sockets(build) or 1
    if build.system is not None:
        if got.get("workload.device") != "cpu":
            return f.APPLE_GPU if _apple(build) else f.UNIFIED_GPU
        if _apple(build):
            return f.APPLE_CPU
        bus = got.get("system.bus_width_bits")
        channels = bus / 64 if bus is not None else None
    else:
        populated = got.get("memory.populated_channels")
        channels = populated / sockets if populated is not None else None
    if channels is not None and channels <= f.DESKTOP_CHANNELS:
        return f.DESKTOP_CPU
    return f.SERVER_CPU


def _apple(build: Build) -> bool:
    """Whether the build's system is an Apple one (its name or processor names Apple), whose GPU
    llama.cpp drives through Metal."""
    system = build.system
    return system is not None and any(
        "apple" in (text or "").lower() for text in (system.name, system.processor))


def _plan(build: Build, got: Inputs, values: dict[str, Any], ram_gb: float, gpu_gb: float,
          notes: list[str]) -> Plan | None:
    """The bandwidths and efficiency the figures are charged at; None where a bandwidth that
    matters is unknown."""
    gpu_gbs: float | None = None
    if gpu_gb:
        gpu_gbs = got.get("gpu.decode_bandwidth_gbs")
        if gpu_gbs is None or got.get("workload.offload") == "none":
            return None
    device = values["decode.device_class"] = _device_class(build, got, ram_gb, gpu_gb)
    engine = got.get("workload.engine")
    efficiency, basis = f.decode_efficiency(device, _shape(got), engine)
    if engine is None:
        basis += "; engine not stated: the measured engines' figure"
    notes.append(basis)
    values["decode.efficiency"] = efficiency.central
    values["decode.efficiency_low"] = efficiency.low
    values["decode.efficiency_high"] = efficiency.high
    storage_gbs = None
    if got.get("model.storage_read_per_token_gb"):  # the drive serves what memory cannot hold
        storage_gbs = got.get("storage.read_gbs")
        if not storage_gbs:
            return None
    if not ram_gb:  # every byte on the GPUs: system memory's bandwidth does not matter
        return Plan(None, (0.0, 0.0, 0.0), gpu_gbs, efficiency, storage_gbs)
    aggregate = got.get("memory.bandwidth_gbs")
    sustained = got.get("memory.sustained_bandwidth_gbs")
    if sustained is None:
        return None
    sockets = populated_sockets(build) or 1
    bound_gbs: float | None = None
    if aggregate is not None:
        bound_gbs = values["decode.ram_bandwidth_gbs"] = _usable_bandwidth_gbs(
            build, got, aggregate, sockets, notes)
    else:
        notes.append("no decode bound: the theoretical bandwidth is unknown, so the expected "
                     "figures start from the measured bandwidth alone")
    if device in (f.UNIFIED_GPU, f.APPLE_GPU) and aggregate is not None and got.get(
            "memory.sustained_basis") != "measured":
        # The GPU's share is measured against the bus itself, not a CPU's STREAM estimate; a
        # measured figure wins over both.
        one_socket = aggregate
    else:
        one_socket = sustained / sockets if aggregate is None else f.placed_sustained_gbs(
            sustained, aggregate / sockets, aggregate)
    gain, mode = f.numa_gain(str(got.get("workload.numa") or "interleave"), engine, sockets)
    if sockets > 1:
        notes.append(f"NUMA {mode} on {sockets} sockets: one socket's sustained bandwidth x "
                     f"{gain[0]:g} (range x {gain[1]:g} to x {gain[2]:g}; formulas.NUMA_GAIN)")
    expected = (one_socket * gain[0], one_socket * gain[1], one_socket * gain[2])
    if device in (f.DESKTOP_CPU, f.SERVER_CPU, f.HYBRID):
        # Never silent: decode on few cores, or of a quantisation costly to unpack, can be
        # bound by the cores' arithmetic rather than by memory.
        if _i_quant(got):
            expected = _compute_capped(build, got, expected, efficiency, notes)
        else:
            notes.append("not checked against the CPU's arithmetic rate: no per-quantisation "
                         "cost is sourced, so a CPU with few cores may decode below this "
                         "figure")
    return Plan(bound_gbs, expected, gpu_gbs, efficiency, storage_gbs)


def _cores(build: Build) -> int | None:
    """CPU cores that decode: the [system]'s, or the CPU's cores on every populated socket."""
    if build.system is not None:
        return build.system.cpu_cores
    if build.cpu is None or build.cpu.cores is None:
        return None
    return build.cpu.cores * (populated_sockets(build) or 1)


def _compute_capped(build: Build, got: Inputs, expected: tuple[float, float, float],
                    efficiency: f.DecodeEfficiency,
                    notes: list[str]) -> tuple[float, float, float]:
    """The expected figures' system-memory bandwidths, each low enough that, at its share of
    the class's efficiency, the CPU reads no faster than its cores consume i-quant weights
    (formulas.cpu_compute_read_gbs: a measured decode rate, which already holds every loss the
    efficiency stands for), with the basis saying which limit holds."""
    precision = got.get("workload.precision")
    cores, bits = _cores(build), got.get("model.bits_per_weight")
    if not cores or bits is None:
        notes.append(f"not checked against the CPU's arithmetic rate: {precision} is costly to "
                     "unpack and its CPU decode can be compute-bound, but the CPU's core count "
                     "is not known")
        return expected
    rate = f.I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE
    gbs = f.cpu_compute_read_gbs(cores, rate, bits)
    which = (f"compute-bound below the {number(expected[0] * efficiency.central, 0)} GB/s the "
             "class reads of memory" if gbs < expected[0] * efficiency.central
             else "memory-bound")
    notes.append(f"{precision} on {cores} CPU cores: they consume at most {number(gbs, 0)} GB/s "
                 f"of weights ({cores} x {rate / 1e9:g}e9 weights/s a core, IQ2_XXS on Zen 4 "
                 f"in ik_llama.cpp pull request 154: formulas.I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE), "
                 f"{which}; the bound stays the memory's")
    shares = (efficiency.central, efficiency.low, efficiency.high)
    return (min(expected[0], gbs / shares[0]), min(expected[1], gbs / shares[1]),
            min(expected[2], gbs / shares[2]))


def _i_quant(got: Inputs) -> bool:
    """Whether the precision is a GGUF i-quant of three bits or fewer."""
    precision = str(got.get("workload.precision") or "").lower()
    return precision.startswith(I_QUANT_PREFIXES)


def _usable_bandwidth_gbs(build: Build, got: Inputs, aggregate: float, sockets: int,
                          notes: list[str]) -> float:
    """Theoretical system-memory bandwidth a token can use under the workload's NUMA placement:
    one socket's under single-socket; every socket's under replicate-per-socket or a
    tensor-parallel engine (a rank per node reads its own memory); under interleave, capped by
    the socket link, and one socket's where the link's bandwidth is not published (never the
    silent sum of both)."""
    if sockets <= 1:
        return aggregate
    numa = got.get("workload.numa")
    engine = got.get("workload.engine")
    if numa == "single-socket":
        return aggregate / sockets
    if numa == "replicate-per-socket" or engine in ("vllm", "sglang"):
        return aggregate
    platform = build.platform
    link = platform.interconnect_gbs if platform is not None else None
    if link is None:
        where = f"platform {platform.id}" if platform is not None else "the CPU's platform"
        notes.append(f"interleave bounded at one socket's bandwidth: the socket link's "
                     f"bandwidth of {where} is not published (interconnect_gbs)")
        return aggregate / sockets
    return f.numa_interleave_bandwidth_gbs(aggregate, sockets, link)


def _bound_working(label: str, bound: float, ram_gb: float, gpu_gb: float, stored_gb: float,
                   plan: Plan) -> Working:
    """The bound's working: its arithmetic, and the bound in tokens/s."""
    return Working(label, "decode_tokens_per_s_split",
                   _bound_arithmetic(ram_gb, gpu_gb, stored_gb, plan),
                   f"{number(bound, 1)} tokens/s")


def _bound_arithmetic(ram_gb: float, gpu_gb: float, stored_gb: float, plan: Plan) -> str:
    """The bound's arithmetic with the bandwidths it was computed at: system memory's under the
    NUMA placement, the GPUs' under their split (one card's turn after another under a layer
    split, not their sum), and the drive's for weights read from storage."""
    ram = f"{number(ram_gb, 2)} GB"
    gpu = f"{number(gpu_gb, 2)} GB"
    if stored_gb and plan.storage_gbs is not None:
        terms = [f"{ram} / {number(plan.ram_bound_gbs or 0.0)} GB/s",
                 f"{number(stored_gb, 2)} GB from storage / {number(plan.storage_gbs, 1)} GB/s"]
        if plan.gpu_gbs is not None and gpu_gb:
            terms.append(f"{gpu} / {number(plan.gpu_gbs)} GB/s")
        return f"1 / ({' + '.join(terms)})"
    if plan.ram_bound_gbs is None or not ram_gb:  # every byte on the GPUs
        return f"{number(plan.gpu_gbs or 0.0)} GB/s / {gpu} per token"
    if plan.gpu_gbs is None or not gpu_gb:
        return f"{number(plan.ram_bound_gbs)} GB/s / {ram} per token"
    return f"1 / ({ram} / {number(plan.ram_bound_gbs)} GB/s + {gpu} / {number(plan.gpu_gbs)} GB/s)"


def _expected_working(device: str, ram_read: bool, plan: Plan, speeds: Speeds,
                      suffix: str) -> Working:
    """The expected speed's working: the reference it starts from, times the efficiency of the
    device class, with the range (``ram_read``: whether a token reads system memory)."""
    eff = plan.efficiency
    if plan.ram_bound_gbs is None and not ram_read:
        at = "the bound"
    else:
        at = (f"the reads at {number(plan.ram_expected_gbs[0])} GB/s of system memory"
              + (f" and {number(plan.gpu_gbs)} GB/s of GPU memory" if plan.gpu_gbs else ""))
    label = "full-context expected" if suffix else "decode expected"
    return Working(
        label, "decode_tokens_per_s_expected",
        f"{at} x {eff.central:g} ({device}), range x {eff.low:g} to "
        f"x {eff.high:g}",
        f"{number(speeds.expected, 1)} tokens/s ({number(speeds.low, 1)}-"
        f"{number(speeds.high, 1)})")


TOPIC = Topic("decode", FACTS, compute, READS)
