"""Prefill: the compute bound on prompt processing, from each device's peak rate and the
parameters it holds, or under llama.cpp's offload the PCIe link the weights cross per batch."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, N, Produced, S, Topic, Working, fact, number
from hwspec.resolve import Build

FACTS = (
    fact("cpu.peak_tflops", "TFLOPS", N,
         "Peak rate of the CPUs the workload runs on (one socket's under numa = single-socket): "
         "cores x base clock x the platform's FLOPs per cycle (AMX BF16 where the platform has "
         "it, else FP32 vector).", f.cpu_peak_tflops),
    fact("gpu.fp16_tflops", "TFLOPS", N, "FP16 tensor throughput of every GPU together."),
    fact("prefill.tokens_per_s_max", "tokens/s", N,
         "Bound on prompt processing: 2 FLOPs per active parameter per token at each device's "
         "peak rate, summed as time; with offload under llama.cpp (which computes large batches "
         "on the GPU), the lower of the GPUs' compute bound and prefill.link_tokens_per_s_max.",
         f.prefill_tokens_per_s_max, label="prefill bound"),
    fact("prefill.link_tokens_per_s_max", "tokens/s", N,
         "With offload under llama.cpp: workload.prefill_batch (default 512) x "
         "gpu.pcie_link_gbs / the GB of weights in system memory, which cross the link once per "
         "batch.", f.offload_prefill_tokens_per_s_max),
    fact("prefill.basis", "", S,
         "What bounds prompt processing, or why the bound is unknown."),
    fact("gpu.pcie_link_gbs", "GB/s", N,
         "One direction of the main GPU's PCIe link: per-lane rate of [[gpu]] pcie_gen x "
         "pcie_lanes.", f.pcie_link_gbs),
)

READS = frozenset({
    "model.ram_active_params_b", "model.gpu_active_params_b", "model.weights_gib",
    "model.gpu_weights_gib", "workload.numa", "workload.device", "workload.offload",
    "workload.engine", "system.gpu_fp16_tflops",
})

LABEL = "prefill bound"


def compute(build: Build, got: Inputs) -> Produced:
    """The compute rates of the CPUs and GPUs, and the prefill bound they (or the PCIe link)
    set."""
    values: dict[str, Any] = {}
    cpu, platform = build.cpu, build.platform
    if cpu is not None and platform is not None and cpu.cores and cpu.base_ghz:
        per_cycle = max((x for x in (platform.vector_flops_per_cycle,
                                     platform.matrix_flops_per_cycle) if x), default=None)
        if per_cycle is not None:
            sockets = 1 if got.get("workload.numa") == "single-socket" else cpu.count
            values["cpu.peak_tflops"] = f.cpu_peak_tflops(
                sockets * cpu.cores, cpu.base_ghz, per_cycle)
    if build.gpu and all(g.fp16_tensor_tflops is not None for g in build.gpu):
        values["gpu.fp16_tflops"] = sum(g.count * (g.fp16_tensor_tflops or 0) for g in build.gpu)
    ram_b, gpu_b = got.get("model.ram_active_params_b"), got.get("model.gpu_active_params_b")
    cpu_rate, gpu_rate = values.get("cpu.peak_tflops"), values.get("gpu.fp16_tflops")
    if build.system is not None and got.get("workload.device") == "gpu":
        # Unified memory: what the workload reads from system memory, the integrated GPU
        # computes.
        cpu_rate = got.get("system.gpu_fp16_tflops")
    link = _pcie_link(build, values)
    if ram_b and got.get("workload.offload") in ("layers", "experts-in-ram") and (
            got.get("workload.engine") in OP_OFFLOAD_ENGINES):
        return _offload_prefill(build, got, values, ram_b + (gpu_b or 0.0), gpu_rate, link)
    if ram_b is None or gpu_b is None:
        return Produced(values)  # no model placement: the model's own findings say why
    if (ram_b and cpu_rate is None) or (gpu_b and gpu_rate is None):
        values["prefill.basis"] = "unknown: " + _missing_rate(build, bool(ram_b and cpu_rate
                                                                         is None))
        return Produced(values)
    bound = values["prefill.tokens_per_s_max"] = f.prefill_tokens_per_s_max(
        [(ram_b, cpu_rate or 1.0), (gpu_b, gpu_rate or 1.0)])
    values["prefill.basis"] = "compute: each device runs the weights it holds"
    working = _compute_working(ram_b, cpu_rate, gpu_b, gpu_rate)
    if working is None:
        return Produced(values)
    return Produced(values, {"prefill.tokens_per_s_max": Working(
        LABEL, "prefill_tokens_per_s_max", working, f"{number(bound)} tokens/s")})


def _compute_working(ram_b: float, cpu_rate: float | None, gpu_b: float,
                     gpu_rate: float | None) -> str | None:
    """The compute bound's arithmetic, each device at the rate it was computed at."""
    parts = [(b, rate) for b, rate in ((ram_b, cpu_rate), (gpu_b, gpu_rate)) if b]
    if len(parts) == 1:
        (b, rate), = parts
        return None if rate is None else f"{number(rate, 1)} TFLOPS / (2 x {number(b, 2)} B params)"
    if len(parts) == 2 and cpu_rate is not None and gpu_rate is not None:
        return (f"1 / (2 x {number(ram_b, 2)} B params / {number(cpu_rate, 1)} TFLOPS + "
                f"2 x {number(gpu_b, 2)} B params / {number(gpu_rate, 1)} TFLOPS)")
    return None


def _missing_rate(build: Build, cpu_side: bool) -> str:
    """Which compute rate the prefill bound lacks, and the input that would give it."""
    if not cpu_side:
        cards = [f"gpu[{i}]" for i, g in enumerate(build.gpu) if g.fp16_tensor_tflops is None]
        return (f"the FP16 tensor rate of {', '.join(cards)} is not known (give "
                "fp16_tensor_tflops)")
    if build.system is not None:
        return "the system's GPU FP16 rate is not known (system.gpu_fp16_tflops)"
    cpu, platform = build.cpu, build.platform
    missing = [name for name, known in (
        ("cpu.cores", cpu is not None and cpu.cores), ("cpu.base_ghz", cpu is not None and
                                                       cpu.base_ghz),
        ("the platform's FLOPs per cycle (its catalog entry publishes none)", platform is not None
         and (platform.vector_flops_per_cycle or platform.matrix_flops_per_cycle))) if not known]
    return f"the CPUs' peak rate is not known: it needs {', '.join(missing) or '[cpu]'}"


OP_OFFLOAD_ENGINES = ("llama.cpp", "ik_llama.cpp", None)
"""Engines whose GPU backend computes large batches itself, copying weights kept in system
memory over PCIe (llama.cpp's op offload; none named counts as llama.cpp)."""


def _pcie_link(build: Build, values: dict[str, Any]) -> float | None:
    """The main GPU's PCIe link (the first [[gpu]]: llama.cpp's --main-gpu 0), in GB/s."""
    main = build.gpu[0] if build.gpu else None
    if main is None or main.pcie_gen is None or main.pcie_lanes is None:
        return None
    link = f.pcie_link_gbs(main.pcie_gen, main.pcie_lanes)
    values["gpu.pcie_link_gbs"] = link
    return link


def _offload_prefill(build: Build, got: Inputs, values: dict[str, Any], active_b: float,
                     gpu_rate: float | None, link: float | None) -> Produced:
    """Prompt processing with offload under llama.cpp: the GPU computes every layer, and the
    weights in system memory cross the PCIe link once per batch; the slower of the two bounds
    it."""
    weights, on_gpu = got.get("model.weights_gib"), got.get("model.gpu_weights_gib", 0.0)
    workload = build.workload
    batch = (workload.prefill_batch if workload is not None and workload.prefill_batch
             else f.LLAMA_CPP_UBATCH)
    if link is None or gpu_rate is None or weights is None:
        missing = "the main GPU's PCIe link ([[gpu]] pcie_gen and pcie_lanes)" if (
            link is None) else "the GPUs' FP16 rate (gpu.fp16_tflops)"
        values["prefill.basis"] = (f"unknown: llama.cpp copies the weights in system memory "
                                   f"to the GPU for each batch of prompt tokens, and {missing} "
                                   "is not known")
        return Produced(values)
    host_gb = f.bytes_to_gb((weights - on_gpu) * f.GIB)
    copy_bound = f.offload_prefill_tokens_per_s_max(batch, host_gb, link)
    compute_bound = f.prefill_tokens_per_s_max([(active_b, gpu_rate)])
    values["prefill.link_tokens_per_s_max"] = copy_bound
    bound = values["prefill.tokens_per_s_max"] = min(copy_bound, compute_bound)
    by_link = copy_bound < compute_bound
    values["prefill.basis"] = (
        f"the PCIe link: {host_gb:,.1f} GB in system memory cross {link:,.1f} GB/s once per "
        f"{batch}-token batch" if by_link else
        "compute: the GPUs run every layer, copying the weights in system memory per batch")
    working = (f"{batch} tokens x {number(link, 1)} GB/s / {number(host_gb, 1)} GB"
               if by_link else f"{number(gpu_rate, 1)} TFLOPS / (2 x {number(active_b, 2)} "
               "B params)")
    formula = "offload_prefill_tokens_per_s_max" if by_link else "prefill_tokens_per_s_max"
    return Produced(values, {"prefill.tokens_per_s_max": Working(
        LABEL, formula, working, f"{number(bound)} tokens/s")})


TOPIC = Topic("prefill", FACTS, compute, READS)
