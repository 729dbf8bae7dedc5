"""Cost: the bill of materials, a line per part table or list entry, and its sums against the
stated total and the budget."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build

FACTS = declared("cost")


@frozen
class BomLine:
    """One line of the bill of materials: a spec table (``cpu``) or list entry (``memory[0]``)."""

    key: str
    """The spec table it comes from: ``board``, ``cpu``, ``memory[0]``, ``storage[1]`` ..."""
    part: str | None
    """The catalog id, or None for a part declared inline."""
    name: str | None
    """The part's name (the catalog's, unless the spec gives one)."""
    unit_price: float | None
    """Price of one unit bought (one kit, for memory sold in kits), or None when unpriced."""
    count: int
    """Units bought: CPUs, kits or modules, cards, drives; 1 for single-part tables."""
    modules_per_kit: int | None = None
    """For memory: modules in one unit bought (2 for a kit of two); None for other parts."""

    @property
    def total(self) -> float | None:
        """Price x count, or None when the line has no price."""
        return None if self.unit_price is None else self.unit_price * self.count

    @property
    def modules(self) -> int | None:
        """For memory: modules bought, count x modules_per_kit; None for other parts."""
        return None if self.modules_per_kit is None else self.count * self.modules_per_kit


def compute(build: Build, _: Inputs) -> Produced:
    """The bill's lines from the resolved parts (a team catalog may price a part), and its
    sums."""
    values: dict[str, Any] = {}
    lines = bill_lines(build)
    totals = [t for line in lines if (t := line.total) is not None]
    if totals:
        total = sum(totals)
        values["cost.total"] = total
        if build.spec.build.quoted_total is not None:
            values["cost.quoted_difference"] = build.spec.build.quoted_total - total
        if build.spec.build.budget is not None:
            values["cost.headroom"] = build.spec.build.budget - total
    values["cost.unpriced"] = tuple(line.key for line in lines if line.unit_price is None)
    return Produced(values, bill=lines)


def bill_lines(build: Build) -> tuple[BomLine, ...]:
    """A line per part table or list entry, in spec order."""
    lines: list[BomLine] = []
    for name in ("system", "board", "cpu", "memory", "psu", "gpu", "storage", "case", "cooling"):
        found = getattr(build, name)
        for index, part in (enumerate(found) if isinstance(found, tuple) else [(None, found)]):
            if part is None:
                continue
            kit = (part.modules_per_kit or 1) if name == "memory" else None
            lines.append(BomLine(name if index is None else f"{name}[{index}]", part.part,
                                 part.name, part.price, getattr(part, "count", 1), kit))
    return tuple(lines)


TOPIC = Topic("cost", FACTS, compute)
