"""Composing the topics: the order derive runs them in, computed from what each reads, and the
``Facts`` it returns."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from hwspec.by_name import ByName
from hwspec.facts.cost import BomLine
from hwspec.facts.items import item_facts
from hwspec.facts.record import (
    FactValue,
    Inputs,
    Topic,
    TopicError,
    TopicWorkings,
    UndeclaredWriteError,
    Workings,
)
from hwspec.resolve import Build
from hwspec.unknown import Unknown


@frozen
class Facts(ByName[FactValue]):
    """Every derived fact of one build, as a read-only mapping of fact name to value (absent
    facts are never guessed: ``facts["gpu.vram_gib"]`` is a KeyError on a CPU-only build), and
    the item facts of its list entries."""

    by_name: dict[str, FactValue]
    """The facts, by name: what the mapping reads."""
    entries: dict[str, tuple[dict[str, FactValue], ...]] = field(factory=dict)
    """The item facts of each list entry, by table: ``entries["memory"][0]["capacity_gib"]``."""
    unknown: tuple[Unknown, ...] = ()
    """Headline figures the build should have and does not, with why and what would supply
    them (also flattened into the ``unknown.*`` facts)."""
    bill: tuple[BomLine, ...] = ()
    """The bill of materials, a line per part table or list entry, in spec order; its priced
    lines sum to ``cost.total``."""
    build: Build | None = field(default=None, eq=False, repr=False)
    """The resolved build the facts come from, for views that show its parts (names, the
    model's shape) without resolving the spec again."""
    workings: Workings = field(factory=Workings)
    """How derive worked out a figure, by fact name: the formula with this build's numbers put
    in, as it computed it (``workings["memory.bandwidth_gbs"]``), written out when read."""

    def get(self, name: str, default: Any = None) -> Any:
        """One fact, or ``default`` (None) when it is not known."""
        return self.by_name.get(name, default)

    def __getitem__(self, name: str) -> FactValue:
        """One fact; KeyError when it is not known."""
        return self.by_name[name]

    def number(self, name: str) -> float | None:
        """A number fact as a float, or None when it is unknown (or not a number: a typo'd name
        reads as unknown, so check names against ``FACTS`` where that matters)."""
        value = self.by_name.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def flag(self, name: str) -> bool | None:
        """A true/false fact, or None when it is unknown."""
        value = self.by_name.get(name)
        return value if isinstance(value, bool) else None

    def text(self, name: str) -> str | None:
        """A text fact, or None when it is unknown."""
        value = self.by_name.get(name)
        return value if isinstance(value, str) else None


def order(topics: Sequence[Topic]) -> tuple[Topic, ...]:
    """The topics in an order where each runs after every topic whose facts it reads (among
    topics free to run, the given order decides). A fact declared twice, a read of a fact no
    topic declares, or a cycle of reads is a ``TopicError``."""
    owner: dict[str, str] = {}
    for topic in topics:
        for d in topic.facts:
            if d.name in owner:
                raise TopicError(f"fact {d.name!r} is declared by topics {owner[d.name]!r} "
                                 f"and {topic.name!r}")
            owner[d.name] = topic.name
    needs: dict[str, set[str]] = {}
    for topic in topics:
        for name in sorted(topic.reads):
            if name not in owner:
                raise TopicError(f"topic {topic.name!r} reads {name!r}, which no topic declares")
            if owner[name] == topic.name:
                raise TopicError(f"topic {topic.name!r} reads its own fact {name!r} as an input")
        needs[topic.name] = {owner[name] for name in topic.reads}
    done: list[Topic] = []
    done_names: set[str] = set()
    waiting = list(topics)
    while waiting:
        ready = next((t for t in waiting if needs[t.name] <= done_names), None)
        if ready is None:
            raise TopicError("topics read each other's facts in a cycle: "
                             + ", ".join(sorted(t.name for t in waiting)))
        done.append(ready)
        done_names.add(ready.name)
        waiting.remove(ready)
    return tuple(done)


def compose(build: Build, ordered: Sequence[Topic]) -> Facts:
    """Run the topics in the order given (``order``'s), each on the facts it declared it reads;
    a topic that returns a fact or a working it does not declare is an
    ``UndeclaredWriteError``."""
    values: dict[str, Any] = {}
    workings: TopicWorkings = {}
    bill: tuple[BomLine, ...] = ()
    unknown: tuple[Unknown, ...] = ()
    # Each topic reads the one mapping of the facts made so far through its own ``Inputs``,
    # which lets it read only the facts it declares (a copy of those for each topic was 2 % of
    # a spec's check).
    made_so_far = MappingProxyType(values)
    for topic in ordered:
        inputs = Inputs(topic.name, topic.reads, made_so_far)
        made = topic.compute(build, inputs)
        made_values = made.values
        if not (topic.names.issuperset(made_values) and topic.names.issuperset(made.workings)):
            stray = sorted((set(made_values) | set(made.workings)) - topic.names)
            raise UndeclaredWriteError(f"topic {topic.name!r} returns {', '.join(stray)}, which "
                                       "it does not declare")
        # An unknown figure is returned as None and left out. A plain loop: testing the values
        # for a None first compares each with it, and a filtered copy costs more than both.
        for name, value in made_values.items():
            if value is not None:
                values[name] = value
        if made.workings:
            workings.update(made.workings)
        bill = made.bill or bill
        unknown = made.unknown or unknown
    return Facts(values, item_facts(build), unknown, bill, build, Workings(workings))
