"""Item facts: each [[memory]], [[gpu]] and [[storage]] entry's own facts, read as ``item.*`` by
rules declared with ``each``."""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate
from operator import attrgetter
from typing import Any

from hwspec.facts.record import FactDef, FactValue, declarations
from hwspec.facts.shared import card_shares, gpu_split, gpu_units, modules
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



def _card_share(build: Build) -> list[float | None]:
    """Each [[gpu]] entry's cards' share of what the GPUs hold (every card of an entry has the
    same VRAM, so the same share), where every card's VRAM is known."""
    if not all(g.vram_gib for g in build.gpu):
        return [None] * len(build.gpu)
    if not build.gpu:
        return []
    shares = card_shares(gpu_units(build), gpu_split(build))
    first_cards = accumulate((g.count for g in build.gpu[:-1]), initial=0)
    return [shares[first] for first in first_cards]


_WORKED_OUT_OVER_ENTRIES: dict[str, Callable[[Build], list[Any]]] = {
    "item.card_share": _card_share,
}
"""Item facts that depend on the other entries too: one value per entry of its table."""


_READERS: dict[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]] = {
    kind: tuple((d.name, None if d.name in _WORKED_OUT_OVER_ENTRIES else
                 _WORKED_OUT.get(d.name) or attrgetter(d.name.removeprefix("item.")))
                for d in facts)
    for kind, facts in ITEM_FACTS.items()}
"""How each item fact of a table is read from one entry, in ITEM_FACTS' order: worked out, or
the entry's field; None for a fact worked out over the table's entries."""


def item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    """Each list entry's item facts, by table; a field the entry leaves unset is no fact."""
    tables: dict[str, tuple[dict[str, FactValue], ...]] = {}
    for kind, readers in _READERS.items():
        across = {name: _WORKED_OUT_OVER_ENTRIES[name](build) for name, read in readers
                  if read is None}
        tables[kind] = tuple(_entry_facts(readers, entry, across, index)
                             for index, entry in enumerate(getattr(build, kind)))
    return tables


def _entry_facts(readers: tuple[tuple[str, Callable[[Any], Any] | None], ...], entry: Any,
                 across: dict[str, list[Any]], index: int) -> dict[str, FactValue]:
    values: dict[str, FactValue] = {}
    for name, read in readers:
        value = across[name][index] if read is None else read(entry)
        if value is not None:
            values[name] = value
    return values
