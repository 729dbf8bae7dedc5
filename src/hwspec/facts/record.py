"""The records derive is made of: a fact's definition, a topic, what a topic reads and returns,
and the loader of the facts each topic declares.

A topic (memory, model, gpu ...) declares its facts in the TOML file beside its module
(``memory.toml``: one ``[[fact]]`` table each, with its name, unit, type, summary, and where
they apply its formula, by name in ``hwspec.formulas``, label, digits, display unit and
caveat); ``declared`` reads them as ``FactDef`` records, from the copy ``hwspec.shipped`` holds
(no TOML is parsed at start) unless the file was edited since, which it then parses and
checks. The module computes the facts and names the facts of other topics it reads. It
receives those as an ``Inputs`` view that holds only what it declared: reading anything else
raises ``UndeclaredReadError``. It returns a ``Produced`` of its own facts (and the workings of
the figures it computes); writing a fact it did not declare raises ``UndeclaredWriteError`` when
derive composes the topics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from hwspec import formulas
from hwspec.by_name import ByName
from hwspec.errors import HwspecError
from hwspec.findings import did_you_mean
from hwspec.spec.read import shipped_toml
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
    """A ``FactDef`` written in code (the topics' own come from their TOML: ``declared``)."""
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


Later = Callable[[], Working]
"""A working not yet written out: the function that writes it, with the build's numbers bound
where the topic computed them."""

TopicWorkings = dict[str, Working | Later]
"""The workings a topic gives, by fact name: each written out, or the function that writes it
(``Later``)."""


class Workings(ByName[Working]):
    """The workings of a build's figures by fact name, each written out the first time it is
    read: checking a spec reads none of them (writing all of them out, numbers formatted, was
    3 % of a spec's check), a report a few. Its names, membership and size are those of what
    the topics gave (``ByName``), so asking whether a figure has a working writes nothing out.
    Equal to any mapping of the same workings; pickled written out."""

    __slots__ = ("_written", "by_name")

    def __init__(self, given: TopicWorkings | None = None) -> None:
        self.by_name: TopicWorkings = {} if given is None else given
        self._written: dict[str, Working] = {}

    def __getitem__(self, name: str) -> Working:
        written = self._written.get(name)
        if written is None:
            given = self.by_name[name]
            written = self._written[name] = given if isinstance(given, Working) else given()
        return written

    def __repr__(self) -> str:
        return f"Workings({dict(self)!r})"

    def __reduce__(self) -> tuple[type[Workings], tuple[TopicWorkings]]:
        return Workings, ({name: self[name] for name in self.by_name},)


class TopicError(Exception):
    """The topics of derive do not compose: a fact declared twice, a read nobody declares,
    topics that read each other's facts in a cycle, or a fact declared wrongly
    (``DeclarationError``)."""


class UndeclaredReadError(TopicError):
    """A topic read a fact it did not declare among its reads."""


class UndeclaredWriteError(TopicError):
    """A topic returned a fact (or a working) it does not declare."""


@frozen
class Inputs(ByName[Any]):
    """The facts of other topics one topic declared it reads, read-only. Reading a fact the
    topic did not declare raises ``UndeclaredReadError``, whether or not the fact is known; a
    declared fact that is unknown reads as absent."""

    topic: str
    declared: frozenset[str]
    by_name: Mapping[str, Any] = field(factory=dict)
    """The facts the topics before it made, by name: all of them, of which the topic reads
    (and iterates over) only those it declares."""

    def _undeclared(self, name: object) -> UndeclaredReadError:
        return UndeclaredReadError(
            f"topic {self.topic!r} reads {name!r}, which it does not declare in its reads "
            f"(declared: {', '.join(sorted(self.declared)) or 'none'})")

    # The check is written out in each method (not a shared helper): topics read through these
    # a few dozen times per build, and a call per read was a tenth of derive's time.
    def __getitem__(self, name: str) -> Any:
        if name not in self.declared:
            raise self._undeclared(name)
        return self.by_name[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A declared fact, or ``default`` when it is not known."""
        if name not in self.declared:
            raise self._undeclared(name)
        return self.by_name.get(name, default)

    def __contains__(self, name: object) -> bool:
        if name not in self.declared:
            raise self._undeclared(name)
        return name in self.by_name

    def __iter__(self) -> Iterator[str]:
        """The declared facts that are known."""
        return (name for name in self.by_name if name in self.declared)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@frozen
class Produced:
    """What one topic returns: its facts (None for unknown), the workings of the figures it
    computed, by fact name, and for the topics that make them, the bill of materials and the
    unknown headline figures."""

    values: dict[str, Any]
    workings: TopicWorkings = field(factory=dict)
    """A figure's working, or the function that writes it out when a view asks (``Later``)."""
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


FOLDER = Path(__file__).parent
"""Where the topics' TOML files are: ``memory.toml`` beside ``memory.py``."""

_TYPES = {t.value: t for t in (N, B, S, L)}
_REQUIRED = ("name", "type", "summary")
_TEXT_KEYS = ("name", "unit", "summary", "formula", "label", "display_unit")
_KEYS = (*_TEXT_KEYS, "type", "digits", "caveat")
_CAVEAT_KEYS = ("when", "says")


class DeclarationError(TopicError, HwspecError):
    """A topic's TOML file declares a fact wrongly: an unknown table or key, a missing or
    mistyped value, or a formula ``hwspec.formulas`` does not have. The message names the file,
    the fact and the key."""


def declared(topic: str) -> tuple[FactDef, ...]:
    """The facts a topic declares: the ``[[fact]]`` tables of ``facts/<topic>.toml``, in
    order."""
    return declarations(topic)["fact"]


def declarations(topic: str) -> dict[str, tuple[FactDef, ...]]:
    """The facts of each array of tables ``facts/<topic>.toml`` holds (``tables_of``), by its
    name, in the file's order; one the file leaves out holds none.

    The data comes from ``hwspec.shipped``, which ``python -m hwspec.tools.ship`` writes only
    from files ``check_declarations`` passes, so no TOML is parsed or checked at start. A file
    edited since is parsed and checked here: a mistake in it is a ``DeclarationError``.
    """
    from hwspec import shipped

    name = f"facts/{topic}.toml"
    path = FOLDER / f"{topic}.toml"
    try:
        data = shipped_toml(name, path)
    except (OSError, ValueError) as error:  # tomli.TOMLDecodeError is a ValueError
        raise DeclarationError(f"{path}: {error}") from error
    if data is not shipped.DATA.get(name):
        check_declarations(data, path)
    return {table: tuple(map(_fact_def, data.get(table, ()))) for table in tables_of(topic)}


def tables_of(topic: str) -> tuple[str, ...]:
    """The arrays of tables ``facts/<topic>.toml`` may hold: ``[[fact]]``; for the item facts
    (``items.toml``), ``[[every]]`` (the facts every list entry has) and one per list kind."""
    if topic != "items":
        return ("fact",)
    from hwspec.spec.kinds import PART_KINDS

    return ("every", *(kind.name for kind in PART_KINDS if kind.listed))


def check_declarations(data: Mapping[str, Any], path: Path) -> None:
    """Raise a ``DeclarationError`` naming the file, the fact and the key for the first mistake
    in the parsed TOML of the facts file at ``path``: a table ``tables_of`` does not allow, a
    key that is not one of ``_KEYS`` (with a did-you-mean), a missing name, type or summary, a
    value of the wrong type, or a formula that is no function of ``hwspec.formulas``."""
    tables = tables_of(path.stem)
    for table, rows in data.items():
        if table not in tables:
            raise DeclarationError(f"{path}: unknown table [[{table}]] (known: "
                                   f"{', '.join(tables)})" + did_you_mean(table, tables))
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise DeclarationError(f"{path}: {table} is not an array of tables ([[{table}]])")
        for index, row in enumerate(rows):
            name = row.get("name")
            _check_row(row, f"{path}: fact {name!r}" if isinstance(name, str)
                       else f"{path}: [[{table}]] number {index + 1}")


def _check_row(row: Mapping[str, Any], where: str) -> None:
    """Raise a ``DeclarationError`` for the first mistake in one fact's table."""
    for key in row:
        if key not in _KEYS:
            raise DeclarationError(f"{where}: unknown key {key!r}" + did_you_mean(key, _KEYS))
    for key in _REQUIRED:
        if key not in row:
            raise DeclarationError(f"{where}: no {key!r}")
    for key in _TEXT_KEYS:
        if not isinstance(row.get(key, ""), str):
            raise DeclarationError(f"{where}: {key} must be a string, not {row[key]!r}")
    kind = row["type"]
    if not isinstance(kind, str) or kind not in _TYPES:
        raise DeclarationError(f"{where}: type {kind!r} is not one of {', '.join(_TYPES)}"
                               + (did_you_mean(kind, _TYPES) if isinstance(kind, str) else ""))
    digits = row.get("digits", 0)
    if type(digits) is not int or digits < 0:
        raise DeclarationError(f"{where}: digits must be a whole number from 0, not {digits!r}")
    if "formula" in row and row["formula"] not in _formula_names():
        raise DeclarationError(f"{where}: formula {row['formula']!r} is no function of "
                               "hwspec.formulas" + did_you_mean(row["formula"], _formula_names()))
    if "caveat" in row:
        _check_caveat(row["caveat"], where)


def _check_caveat(caveat: object, where: str) -> None:
    """Raise a ``DeclarationError`` unless ``caveat`` is ``{when = "flag", says = "text"}``."""
    if not isinstance(caveat, dict):
        raise DeclarationError(f"{where}: caveat must be a table {{when = ..., says = ...}}")
    for key in caveat:
        if key not in _CAVEAT_KEYS:
            raise DeclarationError(f"{where}: unknown key 'caveat.{key}'"
                                   + did_you_mean(key, _CAVEAT_KEYS))
    for key in _CAVEAT_KEYS:
        if not isinstance(caveat.get(key), str):
            raise DeclarationError(f"{where}: caveat.{key} must name a fact")


def _formula_names() -> list[str]:
    """The functions ``hwspec.formulas`` defines (not those it imports)."""
    return [name for name, value in vars(formulas).items()
            if callable(value) and getattr(value, "__module__", None) == formulas.__name__]


def _fact_def(row: Mapping[str, Any]) -> FactDef:
    """One fact's table, as ``check_declarations`` passes it, as its ``FactDef``."""
    formula = row.get("formula")
    caveat = row.get("caveat")
    return FactDef(row["name"], row.get("unit", ""), _TYPES[row["type"]], row["summary"],
                   None if formula is None else getattr(formulas, formula),
                   row.get("label", ""), row.get("digits", 0),
                   None if caveat is None else Caveat(caveat["when"], caveat["says"]),
                   row.get("display_unit", ""))
