"""Small readings of the build that several topics share (never of another topic's facts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwspec import formulas as f
from hwspec.resolve import Build
from hwspec.spec.model import Memory


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


def put(values: dict[str, Any], prefix: str, obj: object, names: Mapping[str, str]) -> None:
    """Copy attributes of a part into facts: ``names`` maps fact suffix to attribute."""
    if obj is None:
        return
    for name, attr in names.items():
        values[f"{prefix}.{name}"] = getattr(obj, attr)


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None where the quotient is not a finite number (a zero,
    an underflowed or an infinite denominator): derive never divides by zero."""
    if denominator == 0 or denominator != denominator:
        return None
    value = numerator / denominator
    return value if value == value and abs(value) != float("inf") else None
