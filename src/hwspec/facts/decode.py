"""Decode: the bytes read per generated token on each device, and the speed they allow at the
bandwidth each device gives (the bound) and at sustained bandwidth (what to expect)."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, N, Produced, Topic, Working, fact, number
from hwspec.facts.shared import populated_sockets
from hwspec.resolve import Build

FACTS = (
    fact("decode.bytes_per_token_gb", "GB", N,
         "Bytes read per generated token: active weights plus the KV cache, every device "
         "together.", f.decode_bytes_per_token, label="read per token", digits=1),
    fact("decode.ram_bytes_per_token_gb", "GB", N,
         "Bytes read from system memory per generated token.", f.decode_bytes_per_token),
    fact("decode.gpu_bytes_per_token_gb", "GB", N,
         "Bytes read from GPU memory per generated token.", f.decode_bytes_per_token),
    fact("decode.ram_bandwidth_gbs", "GB/s", N,
         "System-memory bandwidth a token can use: theoretical bandwidth of one socket under "
         "single-socket, of every socket under replicate-per-socket, and under interleave capped "
         "by the socket link where its bandwidth is published.", f.numa_interleave_bandwidth_gbs),
    fact("decode.tokens_per_s_max", "tokens/s", N,
         "Bandwidth bound on decode speed per sequence: each device's bytes per token at its "
         "theoretical bandwidth, summed as time; no measurement can exceed it.",
         f.decode_tokens_per_s_split, label="decode bound", digits=1),
    fact("decode.tokens_per_s_expected", "tokens/s", N,
         "Decode speed to expect: the same sum at sustained (STREAM) system-memory bandwidth, "
         "times the engine efficiency measured in public benchmarks (formulas.DECODE_EFFICIENCY).",
         f.decode_tokens_per_s_expected, label="decode expected", digits=1),
    fact("decode.tokens_per_s_expected_low", "tokens/s", N,
         "Low end of the expected decode speed (DECODE_EFFICIENCY_RANGE)."),
    fact("decode.tokens_per_s_expected_high", "tokens/s", N,
         "High end of the expected decode speed (DECODE_EFFICIENCY_RANGE)."),
)

READS = frozenset({
    "model.ram_active_params_b", "model.gpu_active_params_b", "model.bits_per_weight",
    "model.ram_kv_cache_gib", "model.gpu_kv_cache_gib", "memory.bandwidth_gbs",
    "memory.sustained_bandwidth_gbs", "memory.sustained_basis", "workload.numa",
    "workload.offload",
    "gpu.decode_bandwidth_gbs",
    "model.storage_read_per_token_gb", "storage.read_gbs",  # weights mapped from storage
    "model.ram_weight_read_gb", "model.gpu_weight_read_gb",  # tensor groups at their own widths
})


def compute(build: Build, got: Inputs) -> Produced:
    """Bytes per token on each side, and the decode bound and expected speed they allow."""
    values: dict[str, Any] = {}
    ram_active, gpu_active = got.get("model.ram_active_params_b"), got.get(
        "model.gpu_active_params_b")
    bits, ram_kv = got.get("model.bits_per_weight"), got.get("model.ram_kv_cache_gib")
    if ram_active is None or gpu_active is None or bits is None or ram_kv is None:
        return Produced(values)
    gpu_kv = got.get("model.gpu_kv_cache_gib", 0.0)  # none without offload
    stored_gb = got.get("model.storage_read_per_token_gb") or 0.0  # not resident: off the drive
    ram_weights_gb = got.get("model.ram_weight_read_gb")  # each tensor group at its own width
    gpu_weights_gb = got.get("model.gpu_weight_read_gb")
    ram_gb = values["decode.ram_bytes_per_token_gb"] = f.bytes_to_gb(
        f.decode_bytes_per_token(ram_active, bits, ram_kv * f.GIB) if ram_weights_gb is None
        else ram_weights_gb * f.GB + ram_kv * f.GIB) - stored_gb
    gpu_gb = values["decode.gpu_bytes_per_token_gb"] = f.bytes_to_gb(
        f.decode_bytes_per_token(gpu_active, bits, gpu_kv * f.GIB) if gpu_weights_gb is None
        else gpu_weights_gb * f.GB + gpu_kv * f.GIB)
    values["decode.bytes_per_token_gb"] = ram_gb + gpu_gb + stored_gb
    reads = _reads(build, got, values, ram_gb, gpu_gb)
    if reads is None:
        return Produced(values)
    theoretical, sustained, gpu = reads
    if not theoretical and not gpu:
        return Produced(values)  # nothing is read per token: no model to speak of
    # The bound reads at theoretical bandwidth: no measurement can beat it. What an engine gets
    # is measured against sustained (STREAM) bandwidth, so the expected speed starts from there.
    bound = values["decode.tokens_per_s_max"] = f.decode_tokens_per_s_split(
        [*theoretical, *gpu])
    at_sustained = f.decode_tokens_per_s_split([*sustained, *gpu])
    low, high = f.DECODE_EFFICIENCY_RANGE
    values["decode.tokens_per_s_expected"] = f.decode_tokens_per_s_expected(at_sustained)
    values["decode.tokens_per_s_expected_low"] = f.decode_tokens_per_s_expected(at_sustained, low)
    values["decode.tokens_per_s_expected_high"] = f.decode_tokens_per_s_expected(
        at_sustained, high)
    return Produced(values, {
        "decode.tokens_per_s_max": Working(
            "decode bound", "decode_tokens_per_s_split",
            _bound_working(values, gpu[0][1] if gpu else None, got),
            f"{number(bound, 1)} tokens/s"),
        "decode.tokens_per_s_expected": _expected_working(values, got if theoretical else None)})


Reads = list[tuple[float, float]]


def _reads(build: Build, got: Inputs, values: dict[str, Any], ram_gb: float,
           gpu_gb: float) -> tuple[Reads, Reads, Reads] | None:
    """Bytes and bandwidth of each read per token: from system memory at theoretical and at
    sustained bandwidth, and from the GPUs; None where a bandwidth that matters is unknown."""
    theoretical: Reads = []
    sustained_reads: Reads = []
    stored_gb = got.get("model.storage_read_per_token_gb") or 0.0
    if stored_gb:  # the part of the system-memory read that is not resident comes off the drive
        read_gbs = got.get("storage.read_gbs")
        if not read_gbs:
            return None
        theoretical.append((stored_gb * f.GB, read_gbs))
        sustained_reads.append((stored_gb * f.GB, read_gbs))
    if ram_gb:  # with every byte on the GPUs, system memory's bandwidth does not matter
        aggregate = got.get("memory.bandwidth_gbs")
        if aggregate is None:
            return None
        bandwidth = _usable_bandwidth_gbs(build, got, aggregate)
        values["decode.ram_bandwidth_gbs"] = bandwidth
        theoretical.append((ram_gb * f.GB, bandwidth))
        sustained = got["memory.sustained_bandwidth_gbs"]  # known with memory.bandwidth_gbs
        sustained_reads.append((ram_gb * f.GB, f.placed_sustained_gbs(sustained, bandwidth,
                                                                      aggregate)))
    gpu: Reads = []
    if gpu_gb:
        gpu_bandwidth = got.get("gpu.decode_bandwidth_gbs")
        if gpu_bandwidth is None or got.get("workload.offload") == "none":
            return None
        gpu.append((gpu_gb * f.GB, gpu_bandwidth))
    return theoretical, sustained_reads, gpu


def _usable_bandwidth_gbs(build: Build, got: Inputs, aggregate: float) -> float:
    """System-memory bandwidth a token can use under the workload's NUMA placement."""
    sockets = populated_sockets(build) or 1
    numa = got.get("workload.numa")
    if numa == "single-socket":
        return aggregate / sockets
    if numa == "interleave":
        link = build.platform.interconnect_gbs if build.platform is not None else None
        return f.numa_interleave_bandwidth_gbs(aggregate, sockets, link)
    return aggregate


def _bound_working(values: dict[str, Any], gpu_gbs: float | None, got: Inputs) -> str:
    """The bound's arithmetic with the bandwidths it was computed at: system memory's under the
    NUMA placement, and the GPUs' under their split (one card's turn after another under a layer
    split, not their sum), and the drive's for weights read from storage."""
    stored = got.get("model.storage_read_per_token_gb")
    if stored:
        terms = [f"{number(values['decode.ram_bytes_per_token_gb'], 2)} GB / "
                 f"{number(values.get('decode.ram_bandwidth_gbs') or 0.0)} GB/s",
                 f"{number(stored, 2)} GB from storage / {number(got['storage.read_gbs'], 1)} "
                 "GB/s"]
        if gpu_gbs is not None:
            terms.append(f"{number(values['decode.gpu_bytes_per_token_gb'], 2)} GB / "
                         f"{number(gpu_gbs)} GB/s")
        return f"1 / ({' + '.join(terms)})"
    ram_gbs = values.get("decode.ram_bandwidth_gbs")
    ram = f"{number(values['decode.ram_bytes_per_token_gb'], 2)} GB"
    gpu = f"{number(values['decode.gpu_bytes_per_token_gb'], 2)} GB"
    if ram_gbs is None:  # every byte on the GPUs
        return f"{number(gpu_gbs or 0.0)} GB/s / {gpu} per token"
    if gpu_gbs is None:
        return f"{number(ram_gbs)} GB/s / {ram} per token"
    return f"1 / ({ram} / {number(ram_gbs)} GB/s + {gpu} / {number(gpu_gbs)} GB/s)"


def _expected_working(values: dict[str, Any], memory: Inputs | None) -> Working:
    """The expected speed's working: the bound at the bandwidth it was computed at (system
    memory's sustained figure, where it reads from system memory) times the engine efficiency.
    ``memory`` is None when every byte is on the GPUs."""
    low, high = f.DECODE_EFFICIENCY_RANGE
    if memory is None:
        at = "the bound"
    elif str(memory.get("memory.sustained_basis")).startswith("estimated from the channels"):
        at = f"the bound at sustained bandwidth (x {f.STREAM_EFFICIENCY:g})"
    else:
        at = (f"the bound at sustained bandwidth ("
              f"{number(memory['memory.sustained_bandwidth_gbs'])} GB/s, "
              f"{memory.get('memory.sustained_basis')})")
    return Working(
        "decode expected", "decode_tokens_per_s_expected",
        f"{at} x {f.DECODE_EFFICIENCY:g}, range x {low:g} to x {high:g}",
        f"{number(values['decode.tokens_per_s_expected'], 1)} tokens/s "
        f"({number(values['decode.tokens_per_s_expected_low'], 1)}-"
        f"{number(values['decode.tokens_per_s_expected_high'], 1)})")


TOPIC = Topic("decode", FACTS, compute, READS)
