"""``ByName``: the read-only mapping of named figures that derive's facts, a topic's inputs and
the view a format prints facts through share. Apart from ``hwspec.facts`` so that output can
extend it without importing derive's topics at start (``hwspec validate`` imports them later,
with the garbage collector off)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

V = TypeVar("V")


class ByName(Mapping[str, V]):
    """A read-only mapping whose names, membership and size are those of its ``by_name`` dict:
    ``Facts``, the view a format prints them through (``output.EscapedFacts``), a topic's
    ``Inputs`` and the ``Workings`` of the facts, which differ in how they read one value."""

    __slots__ = ()
    by_name: Mapping[str, Any]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[str]:
        """The names of the known facts: ``dict(report.facts)`` is every fact."""
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)
