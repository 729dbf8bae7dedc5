"""Placement beyond memory: weights that system memory cannot hold, mapped from storage (mmap),
and the bytes a generated token then reads from the drive at its read rate."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, N, Produced, Topic, Working, fact, number
from hwspec.resolve import Build

FACTS = (
    fact("storage.read_gbs", "GB/s", N,
         "Read rate the weights are mapped from: the fastest drive's sequential read rate "
         "(each [[storage]] read_gbs).", f.storage_read_gbs, label="storage read rate",
         digits=1),
    fact("model.storage_weights_gib", "GiB", N,
         "Weights system memory cannot hold, read from storage per token under "
         "workload.weights_from_storage: model.required_gib - memory.usable_gib, at most "
         "model.ram_weights_gib.", f.storage_backed_weights_gib,
         label="weights read from storage", digits=1),
    fact("model.storage_read_per_token_gb", "GB", N,
         "Bytes a generated token reads from storage: the system-memory weight bytes it reads "
         "times the share of those weights not resident.", f.storage_bytes_per_token,
         label="read from storage per token", digits=2),
)

READS = frozenset({
    "workload.weights_from_storage", "model.required_gib", "memory.usable_gib",
    "model.ram_weights_gib", "model.ram_active_params_b", "model.bits_per_weight",
    "model.ram_weight_read_gb",
})


def compute(build: Build, got: Inputs) -> Produced:
    """The storage's read rate, and under weights_from_storage the weights left on the drive
    and what a token reads from it."""
    values: dict[str, Any] = {}
    workings: dict[str, Working] = {}
    rates = [s.read_gbs for s in build.storage if s.read_gbs is not None]
    if rates:
        values["storage.read_gbs"] = f.storage_read_gbs(rates)
    required, usable = got.get("model.required_gib"), got.get("memory.usable_gib")
    ram_weights = got.get("model.ram_weights_gib")
    if got.get("workload.weights_from_storage") is not True or None in (
            required, usable, ram_weights):
        return Produced(values)
    stored = values["model.storage_weights_gib"] = f.storage_backed_weights_gib(
        required, usable, ram_weights)
    workings["model.storage_weights_gib"] = Working(
        "weights read from storage", "storage_backed_weights_gib",
        f"min(max({number(required, 1)} GiB required - {number(usable, 1)} GiB usable, 0), "
        f"{number(ram_weights, 1)} GiB of weights in system memory)",
        f"{number(stored, 1)} GiB")
    active, bits = got.get("model.ram_active_params_b"), got.get("model.bits_per_weight")
    if active is None or bits is None:
        return Produced(values, workings)
    read_gb = got.get("model.ram_weight_read_gb")  # tensor groups at their own widths
    per_token = f.bytes_to_gb(f.storage_bytes_per_token(
        f.weights_bytes(active, bits) if read_gb is None else read_gb * f.GB, stored,
        ram_weights))
    values["model.storage_read_per_token_gb"] = per_token
    workings["model.storage_read_per_token_gb"] = Working(
        "read from storage per token", "storage_bytes_per_token",
        f"{number(active, 2)} B params x {number(bits, 4)} bits / 8 x {number(stored, 1)} / "
        f"{number(ram_weights, 1)} GiB not resident", f"{number(per_token, 2)} GB")
    return Produced(values, workings)


TOPIC = Topic("placement", FACTS, compute, READS)
