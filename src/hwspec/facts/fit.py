"""The fit verdict: whether system memory and the GPUs hold what the workload needs."""

from __future__ import annotations

from typing import Any

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build

FACTS = declared("fit")

READS = frozenset({"model.required_gib", "memory.usable_gib", "model.gpu_required_gib",
                   "gpu.vram_gib", "gpu.count", "model.gpu_device_margin_gib",
                   "model.storage_weights_gib", "workload.offload", "workload.offload_basis",
                   "workload.gpu_layers", "workload.cpu_moe_layers", "workload.engine"})

WHOLE_MODEL_ENGINES = ("vllm", "sglang")
"""Engines that hold every layer on the GPUs (no layer split with system memory)."""


def compute(_: Build, got: Inputs) -> Produced:
    """System memory holds model.required_gib and, with offload, the GPUs hold
    model.gpu_required_gib (each card its share). A model wholly in VRAM needs no system-memory
    figure; an offload with no GPU fits nothing on them."""
    required = got.get("model.required_gib")
    if required is None:
        return Produced({})
    values: dict[str, Any] = {}
    capacity = got.get("memory.usable_gib")
    # Weights mapped from storage need not be resident: what is left must be.
    resident = required - (got.get("model.storage_weights_gib") or 0.0)
    ram = (capacity >= resident if capacity is not None
           else True if required == 0 else None)
    gpu_required = got.get("model.gpu_required_gib")
    vram = got.get("gpu.vram_gib", 0.0 if "gpu.count" not in got else None)
    device_margin = got.get("model.gpu_device_margin_gib")
    gpu = True if gpu_required is None else None if vram is None else (
        vram >= gpu_required and (device_margin is None or device_margin >= 0))
    values["model.fits"] = False if False in (ram, gpu) else None if None in (ram, gpu) else True
    if capacity is not None:
        values["model.margin_gib"] = capacity - required
    if gpu_required is not None and vram is not None:
        values["model.gpu_margin_gib"] = vram - gpu_required
    if gpu_required is not None:
        values["model.gpu_fit_advice"] = gpu_fit_advice(got)
    return Produced(values)


def gpu_fit_advice(got: Inputs) -> str:
    """FIT003's hint for the way the spec places the model: only a spec that chose how many
    layers go to the GPUs is told to put fewer there."""
    engine, offload = got.get("workload.engine"), got.get("workload.offload")
    kv = ("a quantised KV cache (workload.kv_precision = \"fp8\", --kv-cache-dtype)"
          if engine in WHOLE_MODEL_ENGINES else
          "a quantised KV cache (workload.kv_precision = \"q8_0\" or \"q4_0\"; "
          "`hwspec fit` names the one that fits)")
    rest = f"use a smaller precision or {kv}, shorten the context, or add GPU memory"
    if engine in WHOLE_MODEL_ENGINES:
        return f"{engine} holds every layer on the GPUs: {rest} (more or larger GPUs)"
    if offload == "experts-in-ram":
        layers = got.get("workload.cpu_moe_layers")
        if layers is None:
            return ("Every routed expert is in system memory already: " + rest)
        return (f"Keep more layers' experts in system memory (workload.cpu_moe_layers, now "
                f"{layers}; llama.cpp --n-cpu-moe), {rest}")
    if got.get("workload.offload_basis") is not None:
        layers = got.get("workload.gpu_layers")
        below = f" below {layers}" if layers is not None else ""
        return ("The spec sets no offload, so every layer goes to the GPUs: keep some in "
                f"system memory with workload.offload = \"layers\" and gpu_layers{below} "
                f"(llama.cpp -ngl), {rest}")
    layers = got.get("workload.gpu_layers")
    now = f", now {layers}" if layers is not None else ""
    return f"Put fewer layers on the GPUs (workload.gpu_layers{now}), {rest}"


TOPIC = Topic("fit", FACTS, compute, READS)
