"""Small readings of the build that several topics share (never of another topic's facts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hwspec import formulas as f
from hwspec.resolve import Build
from hwspec.spec.model import Gpu, Memory
from hwspec.spec.vocab import TENSOR_PARALLEL_ENGINES


def modules(entry: Memory) -> int:
    """Modules in one [[memory]] entry: count x modules_per_kit."""
    return f.module_count(entry.count, entry.modules_per_kit or 1)


def populated_sockets(build: Build) -> int | None:
    """Sockets holding a CPU: cpu.count, at most the board's sockets; None without a [cpu]."""
    if build.cpu is None:
        return None
    count = build.cpu.count
    if build.board is not None and build.board.sockets is not None:
        count = min(count, build.board.sockets)
    return count


def copied(prefix: str, names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The facts ``put`` copies from a part's attributes of these names, each as (fact name,
    attribute): ``copied("cpu", ("cores",))`` is ``(("cpu.cores", "cores"),)``."""
    return tuple((f"{prefix}.{name}", name) for name in names)


def put(values: dict[str, Any], obj: object, facts: Iterable[tuple[str, str]]) -> None:
    """Copy attributes of a part into facts (``copied`` names them, once per module)."""
    if obj is None:
        return
    for fact, attr in facts:
        values[fact] = getattr(obj, attr)


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None where the quotient is not a finite number (a zero,
    an underflowed or an infinite denominator): derive never divides by zero."""
    if denominator == 0 or denominator != denominator:
        return None
    value = numerator / denominator
    return value if value == value and abs(value) != float("inf") else None


def gpu_split(build: Build) -> str:
    """How the model spreads over the GPUs: the spec's gpu_split, else the engine's multi-GPU
    default (tensor for the tensor-parallel engines, layers otherwise)."""
    workload = build.workload
    if workload is not None and workload.gpu_split is not None:
        return workload.gpu_split
    engine = workload.engine if workload is not None else None
    return "tensor" if engine in TENSOR_PARALLEL_ENGINES else "layers"


def gpu_units(build: Build) -> list[Gpu]:
    """Every card fitted, an entry's ``count`` cards one after another."""
    return [g for g in build.gpu for _ in range(g.count)]


def card_shares(units: list[Gpu], split: str) -> list[float]:
    """Each card's share of what the GPUs hold under the split (``formulas.gpu_card_shares``)."""
    return f.gpu_card_shares([g.vram_gib for g in units], split)
