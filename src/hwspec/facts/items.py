"""Item facts: each [[memory]], [[gpu]] and [[storage]] entry's own facts, read as ``item.*`` by
rules declared with ``each``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hwspec.facts.record import FactDef, FactValue, declarations
from hwspec.facts.shared import modules
from hwspec.resolve import Build

_TABLES = declarations("items")

ITEM_FACTS: dict[str, tuple[FactDef, ...]] = {
    kind: (*_TABLES["every"], *facts) for kind, facts in _TABLES.items() if kind != "every"}
"""Facts of one list entry, for rules declared with ``each``, as items.toml declares them: the
``[[every]]`` facts, then the kind's own. ``item.x`` is the entry's field ``x``, but for those
worked out below."""

_WORKED_OUT: dict[str, Callable[[Any], Any]] = {
    "item.name": lambda entry: entry.name or entry.part,
    "item.modules": modules,
    "item.power_limit_max_w": lambda entry: (entry.max_power_limit_w
                                             if entry.max_power_limit_w is not None
                                             else entry.tdp_w),
    "item.power_limit_max_basis": lambda entry: (
        "its max_power_limit_w" if entry.max_power_limit_w is not None
        else "its board power, tdp_w; give max_power_limit_w where the card's firmware allows "
        "more" if entry.tdp_w is not None else None),
}
"""Item facts that are not a field of the entry: a name falls back to the catalog id."""


def item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    """Each list entry's item facts, by table; a field the entry leaves unset is no fact."""
    return {kind: tuple(_entry_facts(facts, entry) for entry in getattr(build, kind))
            for kind, facts in ITEM_FACTS.items()}


def _entry_facts(facts: tuple[FactDef, ...], entry: Any) -> dict[str, FactValue]:
    values: dict[str, FactValue] = {}
    for d in facts:
        read = _WORKED_OUT.get(d.name)
        value = read(entry) if read is not None else getattr(entry, d.name.removeprefix("item."))
        if value is not None:
            values[d.name] = value
    return values
