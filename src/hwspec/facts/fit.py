"""The fit verdict: whether system memory and the GPUs hold what the workload needs."""

from __future__ import annotations

from hwspec.facts.record import B, Inputs, N, Produced, Topic, fact
from hwspec.resolve import Build

FACTS = (
    fact("model.margin_gib", "GiB", N,
         "System memory left once the workload is held: memory.usable_gib - "
         "model.required_gib (negative when short).", label="fit margin", digits=1),
    fact("model.gpu_margin_gib", "GiB", N,
         "VRAM left once the offloaded share is held: gpu.vram_gib - model.gpu_required_gib "
         "(negative when short).", label="GPU fit margin", digits=1),
    fact("model.fits", "", B,
         "The fit verdict: memory.usable_gib >= model.required_gib (nothing to hold when it is 0; "
         "less model.storage_weights_gib for weights mapped from storage) and, with offload, "
         "gpu.vram_gib >= model.gpu_required_gib."),
)

READS = frozenset({"model.required_gib", "memory.usable_gib", "model.gpu_required_gib",
                   "gpu.vram_gib", "gpu.count", "model.gpu_device_margin_gib",
                   "model.storage_weights_gib"})


def compute(_: Build, got: Inputs) -> Produced:
    """System memory holds model.required_gib and, with offload, the GPUs hold
    model.gpu_required_gib (each card its share). A model wholly in VRAM needs no system-memory
    figure; an offload with no GPU fits nothing on them."""
    required = got.get("model.required_gib")
    if required is None:
        return Produced({})
    values = {}
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
    return Produced(values)


TOPIC = Topic("fit", FACTS, compute, READS)
