"""Placement beyond memory: weights that system memory cannot hold, mapped from storage (mmap),
and the bytes a generated token then reads from the drive at its read rate."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, TopicWorkings, Working, declared, number
from hwspec.resolve import Build

FACTS = declared("placement")

READS = frozenset({
    "workload.weights_from_storage", "model.required_gib", "memory.usable_gib",
    "model.ram_weights_gib", "model.ram_active_params_b", "model.bits_per_weight",
    "model.expert_bits_per_weight", "model.other_bits_per_weight", "workload.offload",
    "model.active_params_b",
})


def _ram_experts(build: Build, got: Inputs, ram_active: float,
                 ram_weights: float) -> tuple[float, float]:
    """Routed-expert parameters a token reads from system memory, and the GiB of routed experts
    held there: all of the system-memory side under experts-in-ram; otherwise the experts'
    share of what that side reads and holds (none for a dense model)."""
    model = build.model
    if model is None or not (model.expert_params_b and model.experts and model.experts_per_token
                             and model.params_b):
        return 0.0, 0.0
    if got.get("workload.offload") == "experts-in-ram":
        return ram_active, ram_weights
    active = got.get("model.active_params_b") or ram_active
    routed = f.routed_active_params_b(model.expert_params_b, model.experts,
                                      model.experts_per_token)
    share = ram_active / active if active > 0 else 0.0
    expert_bits = got.get("model.expert_bits_per_weight")
    other_bits = got.get("model.other_bits_per_weight")
    if expert_bits and other_bits:
        expert_gb = model.expert_params_b * expert_bits
        byte_share = expert_gb / (expert_gb + (model.params_b - model.expert_params_b) * other_bits)
    else:
        byte_share = model.expert_params_b / model.params_b
    return min(routed * share, ram_active), ram_weights * byte_share


def compute(build: Build, got: Inputs) -> Produced:
    """The storage's read rate, and under weights_from_storage the weights left on the drive
    and what a token reads from it."""
    values: dict[str, Any] = {}
    workings: TopicWorkings = {}
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
    routed_b, expert_gib = _ram_experts(build, got, active, ram_weights)
    expert_bits = got.get("model.expert_bits_per_weight") or bits
    other_bits = got.get("model.other_bits_per_weight") or bits
    per_token = f.bytes_to_gb(f.storage_bytes_per_token(
        f.weights_bytes(routed_b, expert_bits), f.weights_bytes(active - routed_b, other_bits),
        stored, expert_gib, ram_weights - expert_gib))
    values["model.storage_read_per_token_gb"] = per_token
    workings["model.storage_read_per_token_gb"] = Working(
        "read from storage per token", "storage_bytes_per_token",
        f"{number(routed_b, 2)} B routed-expert params x {number(expert_bits, 4)} bits / 8 x "
        f"min({number(stored, 1)} / {number(expert_gib, 1)} GiB of experts, 1) + "
        f"{number(active - routed_b, 2)} B other params x {number(other_bits, 4)} bits / 8 x "
        f"the share of the other {number(ram_weights - expert_gib, 1)} GiB not resident",
        f"{number(per_token, 2)} GB")
    return Produced(values, workings)


TOPIC = Topic("placement", FACTS, compute, READS)
