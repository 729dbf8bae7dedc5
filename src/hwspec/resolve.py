"""Resolve: ``Spec`` + catalog -> ``Build``, the parts with every catalog field filled in.

A part that names a catalog id takes the catalog's fields, and any field the spec writes inline
overrides the catalog's. Unknown ids are SPEC003 findings with the closest ids. No figure is
derived here; that is the next stage's job.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
from attrs import frozen

from hwspec.catalog import Catalog, CatalogEntry, Platform, field_names, raw_value
from hwspec.findings import (
    SPEC_STRUCTURE,
    UNKNOWN_PART,
    Finding,
    Path,
    format_path,
    suggestion,
)
from hwspec.spec.fast import fast_structure
from hwspec.spec.kinds import KIND_BY_NAME, TABLE_KINDS
from hwspec.spec.load import converter
from hwspec.spec.model import Cpu, Memory, ModelArch, Spec, Workload

T = TypeVar("T")


@frozen
class Build(Spec):
    """A spec with its parts resolved against the catalog: every part table of ``Spec`` (one per
    table kind of ``spec.kinds.PART_KINDS``) holds the catalog's fields with the spec's laid
    over them, so ``build.cpu`` is the CPU as resolved and a field means one thing at both
    stages. Beside them, what resolving found: the platform of the CPU's platform id, the model
    of the workload's id (or its inline arch), and the catalog figures standing in for figures
    the parts leave out."""

    spec: Spec = attrs.field(kw_only=True)
    """The spec as written, before any catalog field was filled in."""
    platform: Platform | None = attrs.field(default=None, kw_only=True)
    model: ModelArch | None = attrs.field(default=None, kw_only=True)
    assumed_mts_2dpc: AssumedSpeed | None = attrs.field(default=None, kw_only=True)
    """The platform's most conservative published 2-DIMMs-per-channel speed, for a population
    whose own board and platform publish none."""
    assumed_power: Mapping[str, AssumedPower] = attrs.field(factory=dict, kw_only=True)
    """Catalog class figures standing in for the sustained power of parts that state none, by
    spec path (``memory[0]``, ``board``)."""
    assumed_peak: Mapping[str, AssumedPower] = attrs.field(factory=dict, kw_only=True)
    """Catalog class figures for the short excursion of parts whose own peak is not stated, by
    spec path (``gpu[0]``, ``cpu``)."""


@frozen
class AssumedPower:
    """A class figure from the catalog's ``[[power]]`` entries standing in for a part's own
    power figure: the watts of one unit, and where the figure comes from."""

    watts: float | None
    """Watts of one unit (module, drive, card, CPU), or None where only ``ratio`` is given."""
    ratio: float | None
    """Peak as a multiple of the part's own sustained figure (a GPU's board power)."""
    entry: str
    """Id of the catalog ``[[power]]`` entry."""
    summary: str
    """What the class is, as its entry says (``DDR5 RDIMM, 64 GB``)."""
    source: str
    confidence: str
    units: int | None = None
    """How many units the figure counts, where that is not the part's own count: the fans of
    a cooling or case (class figures for those are per fan)."""
    units_basis: str = ""
    """Why that many units, where the spec does not say (``one fan per CPU``)."""


@frozen
class AssumedSpeed:
    """A conservative sourced memory speed standing in for one nobody published for the build."""

    mts: float
    board: str
    """Id of the catalog board that publishes it."""
    source: str


def resolve(spec: Spec, catalog: Catalog) -> tuple[Build, tuple[Finding, ...]]:
    """Fill each part from the catalog; return the build and any SPEC003 findings.

    A part whose id is unknown stays as written inline (its catalog fields are absent), so the
    rest of the build can still be checked.
    """
    resolver = _Resolver(catalog)
    parts: dict[str, Any] = {}
    for kind in TABLE_KINDS:
        given = getattr(spec, kind.name)
        if kind.listed:
            parts[kind.name] = tuple(resolver.part(p, kind.name, (kind.name, i))
                                     for i, p in enumerate(given))
        else:
            parts[kind.name] = resolver.part(given, kind.name, (kind.name,))
    platform = resolver.platform(parts["cpu"], parts["memory"])
    build = Build(**{**_tables(spec), **parts}, spec=spec, platform=platform,
                  model=resolver.model(spec.workload),
                  assumed_mts_2dpc=resolver.assumed_mts_2dpc(platform))
    sustained, peak = _assumed_power(build, catalog)
    if sustained or peak:
        build = attrs.evolve(build, assumed_power=sustained, assumed_peak=peak)
    return build, tuple(resolver.findings)


def _tables(spec: Spec) -> dict[str, Any]:
    """The spec's tables by name, as they were written (not copied: resolve replaces parts)."""
    return {a.name: getattr(spec, a.name) for a in attrs.fields(Spec)}


def own_power_w(kind: str, part: object) -> float | None:
    """A part's own sustained power figure for one unit, or None where it states none."""
    for name in KIND_BY_NAME[kind].power:
        value = getattr(part, name, None)
        if value is not None:
            return float(value)
    return None


_POWER_KINDS = tuple(kind for kind in TABLE_KINDS if kind.power)
"""The table kinds with power fields, in registry order (``power_parts`` runs for every build)."""


def power_parts(build: Build) -> list[tuple[str, str, Any]]:
    """Every fitted part whose power counts, as (spec path, kind, part), in registry order: the
    CPUs, the list entries, then the single parts."""
    found: list[tuple[str, str, Any]] = []
    for kind in _POWER_KINDS:
        value = getattr(build, kind.name)
        if kind.listed:
            found += [(f"{kind.name}[{i}]", kind.name, part) for i, part in enumerate(value)]
        elif value is not None:
            found.append((kind.name, kind.name, value))
    return found


def _assumed_power(build: Build, catalog: Catalog) -> tuple[dict[str, AssumedPower],
                                                            dict[str, AssumedPower]]:
    """Class figures for the parts that state no power of their own, and for the peaks of
    parts that state no peak."""
    sustained: dict[str, AssumedPower] = {}
    peak: dict[str, AssumedPower] = {}
    for path, kind, part in power_parts(build):
        if not KIND_BY_NAME[kind].power_class:
            continue
        matching = [e for e in catalog.power_classes(kind)
                    if power_class_matches(e.fields.get("match", {}), part)]
        if own_power_w(kind, part) is None:
            found = _most_specific([e for e in matching if "power_w" in e.fields])
            fans = _fans(build, kind, part)
            if found is not None and KIND_BY_NAME[kind].per_fan:
                if fans is not None:
                    sustained[path] = attrs.evolve(_assumed(found, "power_w"), units=fans[0],
                                                   units_basis=fans[1])
            elif found is not None:
                sustained[path] = _assumed(found, "power_w")
        if getattr(part, "peak_w", None) is None:
            found = _most_specific([e for e in matching
                                    if "peak_w" in e.fields or "peak_ratio" in e.fields])
            if found is not None:
                peak[path] = _assumed(found, "peak_w")
    return sustained, peak


def _fans(build: Build, kind: str, part: Any) -> tuple[int, str] | None:
    """How many fans a cooling or case class figure counts, and why where the spec does not
    say: a cooling states its fans or has one per CPU; a case that states none is unknown."""
    fans = getattr(part, "fans", None)
    if fans is not None:
        return int(fans), ""
    if kind == "cooling" and build.cpu is not None:
        return build.cpu.count, "one fan per CPU, as cooling.fans is not given"
    return None


def power_class_matches(match: Mapping[str, Any], part: object) -> bool:
    """Whether a part belongs to a ``[[power]]`` class: each key of ``match`` names a field of
    the part and the value it must have (or a list of values it may have); a key ending in
    ``_min`` or ``_max`` bounds a numeric field. A field the part leaves unset matches nothing."""
    key = (id(match), type(part))
    known = _MATCH_TESTS.get(key)
    if known is None or known[0] is not match:
        known = _MATCH_TESTS[key] = (match, _match_tests(match, part))
    for name, test, wanted in known[1]:
        value = getattr(part, name, None)
        if test is None:
            if value is None or value not in wanted:
                return False
        elif not isinstance(value, int | float) or not test(value, wanted):
            return False
    return True


_MatchTest = tuple[str, Callable[[Any, Any], bool] | None, Any]

_MATCH_TESTS: dict[tuple[int, type], tuple[Mapping[str, Any], tuple[_MatchTest, ...]]] = {}
"""The tests of each ``match`` table for each class of part, worked out once: a run checks
every part of every build against the classes of its kind (the table is kept, so its id is
not reused while the cache holds it)."""


def _match_tests(match: Mapping[str, Any], part: object) -> tuple[_MatchTest, ...]:
    """(field, bound test or None, wanted) for each key of ``match`` in order: a ``_min`` or
    ``_max`` key that is not itself a field of the part bounds the field it names; any other
    key wants its value, or one of its list of values (a class's fields are the same for
    every instance of it)."""
    tests: list[_MatchTest] = []
    for key, wanted in match.items():
        for suffix, test in (("_min", operator.ge), ("_max", operator.le)):
            if key.endswith(suffix) and not hasattr(part, key):
                tests.append((key.removesuffix(suffix), test, wanted))
                break
        else:
            tests.append((key, None, wanted if isinstance(wanted, list) else [wanted]))
    return tuple(tests)


def _most_specific(entries: list[CatalogEntry]) -> CatalogEntry | None:
    """The class that says most about the part (the most match keys); on a tie a team's own
    class wins over a built-in one, then the first id."""
    return min(entries, key=lambda e: (-len(e.fields.get("match", {})),
                                       e.origin.startswith("catalog/"), e.id), default=None)


def _assumed(entry: CatalogEntry, name: str) -> AssumedPower:
    fields = entry.fields
    watts = fields.get(name)
    return AssumedPower(
        watts=float(watts) if watts is not None else None,
        ratio=float(fields["peak_ratio"]) if name == "peak_w" and watts is None else None,
        entry=entry.id, summary=str(fields.get("name", entry.id)),
        source=entry.source_of(name if watts is not None else "peak_ratio"),
        confidence=str(fields.get("confidence", "")))


class _Resolver:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.findings: list[Finding] = []

    def unknown(self, kind: str, part_id: str, path: Path) -> None:
        message = f"unknown {kind} id {part_id!r}" + suggestion(self.catalog.closest(kind, part_id))
        self._unknown(message, f"List the catalog's {kind} ids with `hwspec parts {kind}`, or "
                      "declare the part inline with `name` and its fields instead of `part`.", path)

    def _unknown(self, message: str, hint: str, path: Path) -> None:
        self.findings.append(UNKNOWN_PART.finding(message, hint=hint, path=format_path(path)))

    def unknown_platform(self, cpu: Cpu, memory: tuple[Memory | None, ...]) -> None:
        """An unknown platform id, with suggestions only among the platforms the build could be
        on: the CPU's socket and the modules' generation, where the spec gives them (a DDR4 CPU
        is never pointed at a DDR5 platform)."""
        assert cpu.platform is not None
        generations = {m.generation for m in memory if m is not None and m.generation is not None}
        alike = [entry.id for entry in self.catalog.entries("platform")
                 if (cpu.socket is None or entry.fields.get("socket") == cpu.socket)
                 and (not generations or entry.fields.get("memory_generation") in generations)]
        close = self.catalog.closest("platform", cpu.platform, among=alike)
        message = f"unknown platform id {cpu.platform!r}" + suggestion(close)
        if not close and not alike:
            among = " ".join(filter(None, (
                "/".join(sorted(generations)), f"socket {cpu.socket}" if cpu.socket else None)))
            message += f"; the catalog has no {among} platform"
        # A spec cannot declare a platform: its memory tables come from a catalog entry.
        self._unknown(message, "Declare it as a [[platform]] entry in a catalog file passed with "
                      "--catalog (docs/catalog.md), or list the catalog's platform ids with "
                      "`hwspec parts platform`.", ("cpu", "platform"))

    def part(self, part: T | None, kind: str, path: Path) -> T | None:
        if part is None:
            return None
        part_id: str | None = getattr(part, "part", None)
        if part_id is None:
            return part
        entry = self.catalog.get(kind, part_id)
        if entry is None:
            self.unknown(kind, part_id, (*path, "part"))
            return part
        return self.merge(entry, part, path)

    def merge(self, entry: CatalogEntry, inline: T, path: Path) -> T:
        """The catalog entry with the spec's inline fields laid over it; where an inline field
        contradicts the entry's others (an active parameter count above the catalog model's
        total), a SPEC002 finding at that field, and the part as written inline."""
        try:
            return _merge(entry, inline)
        except (TypeError, ValueError) as error:
            cls: Any = type(inline)  # a spec part or model class
            given = [a.name for a in attrs.fields(cls) if getattr(inline, a.name) is not None]
            noted = next((note.name for note in getattr(error, "__notes__", ())
                          if getattr(note, "name", None) in given), None)
            blamed = noted or next((name for name in given if name not in ("part", "name")),
                                   "part")
            self.findings.append(SPEC_STRUCTURE.finding(
                f"{error}, with {entry.id}'s other figures from the catalog",
                hint="Correct the inline value, or declare the part (or model) wholly inline "
                     "rather than over a catalog entry.", path=format_path((*path, blamed))))
            return inline

    def platform(self, cpu: Cpu | None, memory: tuple[Memory | None, ...]) -> Platform | None:
        if cpu is None or cpu.platform is None:
            return None
        platform = self.catalog.platform(cpu.platform)
        if platform is None:
            self.unknown_platform(cpu, memory)
            return None
        entry = self.catalog.get("platform", cpu.platform)
        assert entry is not None
        return platform

    def assumed_mts_2dpc(self, platform: Platform | None) -> AssumedSpeed | None:
        if platform is None:
            return None
        lowest = self.catalog.lowest_board_mts_2dpc(platform.id)
        if lowest is None:
            return None
        mts, board = lowest
        return AssumedSpeed(mts, board.id, board.source_of("max_mts_2dpc"))

    def model(self, workload: Workload | None) -> ModelArch | None:
        if workload is None:
            return None
        if workload.model is None:
            return workload.arch
        entry = self.catalog.get("model", workload.model)
        if entry is None:
            self.unknown("model", workload.model, ("workload", "model"))
            return workload.arch
        base = self.merge(entry, workload.arch or ModelArch(), ("workload", "arch"))
        return base if base.name else attrs.evolve(base, name=entry.id)


def _merge(entry: CatalogEntry, inline: T) -> T:
    """The catalog entry's fields with every field the spec gave inline laid over them."""
    cls = type(inline)
    base: T = _structured(entry, cls)
    defaults = _defaults(cls)
    changes = {
        name: given for name in field_names(cls)
        if (given := getattr(inline, name)) is not None
        and (given != getattr(defaults, name) or name not in entry.fields)
    }
    if not changes:
        return base
    # What attrs.evolve does (every field's validator runs on the merged part), with the
    # entry's own arguments gathered once per entry instead of once per spec.
    merged: T = cls(**{**_STRUCTURED[(id(entry), cls)][2], **changes})
    return merged


_STRUCTURED: dict[tuple[int, type], tuple[CatalogEntry, Any, dict[str, Any]]] = {}
"""Catalog entries already structured into a spec class, by entry identity and class, with the
arguments that build that instance again. The entry is kept in the value, so its id is not
reused while the cache holds it."""


def _structured(entry: CatalogEntry, cls: type[T]) -> T:
    """The catalog entry as an instance of cls, structured once per process (a large run
    resolves the same few parts thousands of times)."""
    key = (id(entry), cls)
    found = _STRUCTURED.get(key)
    if found is None:
        names = field_names(cls)
        raw = {k: raw_value(v) for k, v in entry.fields.items() if k in names}
        if len(_STRUCTURED) >= 4096:
            _STRUCTURED.clear()
        built = fast_structure(raw, cls)
        if built is None:  # not plainly valid: the converter says why
            built = converter().structure(raw, cls)
        shape: Any = cls
        arguments = {a.alias: getattr(built, a.name) for a in attrs.fields(shape) if a.init}
        found = _STRUCTURED[key] = (entry, built, arguments)
    value: T = found[1]
    return value


_DEFAULTS: dict[Any, Any] = {}


def _defaults(cls: type[T]) -> T:
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = cls()
    value: T = _DEFAULTS[cls]
    return value
