"""The records derive is made of: a fact's definition, a topic, what a topic reads and returns.

A topic (memory, model, gpu ...) declares its facts (``FactDef``) beside the code that computes
them, and the facts of other topics it reads. It receives those as an ``Inputs`` view that
holds only what it declared: reading anything else raises ``UndeclaredReadError``. It returns a
``Produced`` of its own facts (and the workings of the figures it computes); writing a fact it did
not declare raises ``UndeclaredWriteError`` when derive composes the topics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from hwspec.spec.vocab import ValueType

if TYPE_CHECKING:
    from hwspec.facts.cost import BomLine
    from hwspec.resolve import Build
    from hwspec.unknown import Unknown

FactValue = float | int | bool | str | tuple[str, ...]

N, B, S, L = ValueType.NUMBER, ValueType.BOOL, ValueType.STRING, ValueType.STRINGS


@frozen
class Caveat:
    """A qualification a view shows beside a figure: when the flag fact ``when`` is true, the
    text fact ``says`` explains the figure (``memory.effective_mts`` is assumed when
    ``memory.speed_assumed``, and ``memory.speed_limit_basis`` says on what basis)."""

    when: str
    says: str


@frozen
class FactDef:
    """One fact of the vocabulary: name, unit, type, what it means, its formula, and how a view
    presents it (label, digits, caveat)."""

    name: str
    unit: str
    type: ValueType
    summary: str
    formula: Callable[..., Any] | None = None
    label: str = ""
    """What a report calls the figure (``bandwidth, theoretical``); empty for facts no report
    shows as a figure."""
    digits: int = 0
    """Decimals a view shows for a fractional value."""
    caveat: Caveat | None = None
    display_unit: str = ""
    """The unit a view shows where it differs from ``unit``: ``%`` for a fraction shown as a
    percentage."""

    @property
    def formula_doc(self) -> str:
        """The formula's docstring, or where the value is read from."""
        if self.formula is None:
            return ""
        return " ".join((self.formula.__doc__ or "").split())

    @property
    def shown_unit(self) -> str:
        """The unit a view shows: ``display_unit``, else ``unit``."""
        return self.display_unit or self.unit

    def caveat_text(self, facts: Mapping[str, Any]) -> str | None:
        """The caveat that applies to this figure in these facts, or None."""
        if self.caveat is None or facts.get(self.caveat.when) is not True:
            return None
        says = facts.get(self.caveat.says)
        return str(says) if says is not None else None


def fact(name: str, unit: str, kind: ValueType, summary: str,
         formula: Callable[..., Any] | None = None, *, label: str = "", digits: int = 0,
         caveat: Caveat | None = None, display_unit: str = "") -> FactDef:
    """A ``FactDef``, written as topics declare them."""
    return FactDef(name, unit, kind, summary, formula, label, digits, caveat, display_unit)


@frozen
class Working:
    """One derived figure worked out where derive computes it: the formula, with this build's
    numbers put in."""

    label: str
    formula: str
    """The function in ``hwspec.formulas`` that computes it (its docstring cites the source)."""
    working: str
    """The arithmetic with this build's numbers: ``671 B params x 8 bits / 8 = 671 GB``."""
    result: str


class TopicError(Exception):
    """The topics of derive do not compose: a fact declared twice, a read nobody declares, or
    topics that read each other's facts in a cycle."""


class UndeclaredReadError(TopicError):
    """A topic read a fact it did not declare among its reads."""


class UndeclaredWriteError(TopicError):
    """A topic returned a fact (or a working) it does not declare."""


@frozen
class Inputs(Mapping[str, Any]):
    """The facts of other topics one topic declared it reads, read-only. Reading a fact the
    topic did not declare raises ``UndeclaredReadError``, whether or not the fact is known; a
    declared fact that is unknown reads as absent."""

    topic: str
    declared: frozenset[str]
    known: Mapping[str, Any] = field(factory=dict)

    def _undeclared(self, name: object) -> UndeclaredReadError:
        return UndeclaredReadError(
            f"topic {self.topic!r} reads {name!r}, which it does not declare in its reads "
            f"(declared: {', '.join(sorted(self.declared)) or 'none'})")

    # The check is written out in each method (not a shared helper): topics read through these
    # a few dozen times per build, and a call per read was a tenth of derive's time.
    def __getitem__(self, name: str) -> Any:
        if name not in self.declared:
            raise self._undeclared(name)
        return self.known[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A declared fact, or ``default`` when it is not known."""
        if name not in self.declared:
            raise self._undeclared(name)
        return self.known.get(name, default)

    def __contains__(self, name: object) -> bool:
        if name not in self.declared:
            raise self._undeclared(name)
        return name in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


@frozen
class Produced:
    """What one topic returns: its facts (None for unknown), the workings of the figures it
    computed, by fact name, and for the topics that make them, the bill of materials and the
    unknown headline figures."""

    values: dict[str, Any]
    workings: dict[str, Working] = field(factory=dict)
    bill: tuple[BomLine, ...] = ()
    unknown: tuple[Unknown, ...] = ()


@frozen
class Topic:
    """One topic of derive: the facts it declares, the facts of other topics it reads, and the
    function that computes its facts from the build and what it reads."""

    name: str
    facts: tuple[FactDef, ...]
    compute: Callable[[Build, Inputs], Produced]
    reads: frozenset[str] = frozenset()
    names: frozenset[str] = field(init=False)
    """The names of the facts it declares."""

    @names.default
    def _names(self) -> frozenset[str]:
        return frozenset(d.name for d in self.facts)


def number(value: float, digits: int = 0) -> str:
    """A number with thousands separators: whole numbers bare, others to ``digits`` decimals."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"
