"""The catalog: sourced parts, platforms and models that specs name by id.

The data lives in TOML files beside this module (``data/*.toml``), one array of tables per kind
(``[[cpu]]``, ``[[board]]``, ``[[platform]]``, ``[[model]]`` ...). Every entry has an ``id`` and a
``source`` URL; ``sources`` may name a different source per field, and ``notes`` say what a reader
should know (a value that differs by revision, a figure that is the vendor's and not measured).
A field the sources do not give is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import tomli
from attrs import field, frozen

from hwspec.errors import CatalogError
from hwspec.spec.entries import PlatformEntry
from hwspec.spec.kinds import KIND_NAMES

KINDS = KIND_NAMES
"""Kinds of catalog entry, in the order docs list them (``spec.kinds.PART_KINDS``)."""

META_KEYS = frozenset({"id", "source", "sources", "notes"})


@frozen
class CatalogEntry:
    """One sourced catalog entry: its kind, id, fields and where the figures come from."""

    kind: str
    id: str
    fields: Mapping[str, Any]
    source: str
    sources: Mapping[str, str] = field(factory=dict)
    notes: str | None = None
    origin: str = ""

    def source_of(self, name: str) -> str:
        """The source URL of one field: its own where given, else the entry's."""
        return self.sources.get(name, self.source)


@frozen
class Platform(PlatformEntry):
    """A CPU platform's memory and socket tables (``sp5-turin``, ``lga4677-spr`` ...): the fields
    a catalog ``[[platform]]`` entry gives (``spec.entries.PlatformEntry``, with their
    descriptions and ranges), and its id."""

    id: str = field(kw_only=True)


class Catalog:
    """An index of catalog entries by kind and id."""

    def __init__(self, entries: Iterable[CatalogEntry] = ()) -> None:
        self._by_kind: dict[str, dict[str, CatalogEntry]] = {kind: {} for kind in KINDS}
        self.overridden: list[tuple[CatalogEntry, CatalogEntry]] = []
        self._looked_up: dict[tuple[str, str], Any] = {}
        """What ``platform``, ``lowest_board_mts_2dpc`` and ``power_classes`` found, by method
        and argument: every spec asks them the same questions. ``add`` empties it."""
        for entry in entries:
            self.add(entry)

    def add(self, entry: CatalogEntry) -> None:
        """Add an entry; one with an id already present replaces it (recorded in ``overridden``,
        unless it is the same entry read again: one file named both by a configuration and on
        the command line replaces nothing)."""
        self._looked_up.clear()
        table = self._by_kind.setdefault(entry.kind, {})
        if entry.id in table and not _same_entry(table[entry.id], entry):
            self.overridden.append((table[entry.id], entry))
        table[entry.id] = entry

    def get(self, kind: str, part_id: str) -> CatalogEntry | None:
        """The entry of that kind and id, or None."""
        return self._by_kind.get(kind, {}).get(part_id)

    def entry(self, kind: str, part_id: str) -> CatalogEntry:
        """The entry of that kind and id; a ``KeyError`` naming the kind and id, with the
        closest ids, when there is none (``get`` returns None instead)."""
        found = self.get(kind, part_id)
        if found is None:
            near = self.closest(kind, part_id)
            hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
            raise KeyError(f"no {kind} {part_id!r} in the catalog{hint}")
        return found

    def ids(self, kind: str) -> list[str]:
        """Every id of one kind, sorted."""
        return sorted(self._by_kind.get(kind, {}))

    def entries(self, kind: str | None = None) -> Iterator[CatalogEntry]:
        """Every entry (of one kind, if given), by kind order then id."""
        for k in KINDS if kind is None else (kind,):
            for part_id in self.ids(k):
                yield self._by_kind[k][part_id]

    def closest(self, kind: str, part_id: str, n: int = 3,
                among: Iterable[str] | None = None) -> list[str]:
        """Ids of that kind (or only those ``among``) that look most like part_id (for a
        did-you-mean)."""
        from hwspec.findings import closest

        ids = self.ids(kind) if among is None else list(among)
        close = closest(part_id, ids, n=n, cutoff=0.5)
        if not close:  # a vendor-less or partial id: "epyc-9655" -> "amd-epyc-9655"
            close = [i for i in ids if part_id.lower() in i][:n]
        return close

    def platform(self, platform_id: str) -> Platform | None:
        """The platform with that id, as a ``Platform`` (built once per catalog)."""
        key = ("platform", platform_id)
        if key not in self._looked_up:
            self._looked_up[key] = self._platform(platform_id)
        found: Platform | None = self._looked_up[key]
        return found

    def _platform(self, platform_id: str) -> Platform | None:
        entry = self.get("platform", platform_id)
        if entry is None:
            return None
        values = dict(entry.fields)
        for key in ("module_kinds", "balanced_dimms_per_socket"):
            if key in values:
                values[key] = tuple(values[key])
        # One spelling, as the loader gives a spec's and a part's: a team's "SP5" is "sp5".
        from hwspec.spec.vocab import canonical_generation, canonical_socket

        spellings = (("socket", canonical_socket), ("memory_generation", canonical_generation))
        for key, spell in spellings:
            if isinstance(values.get(key), str):
                values[key] = spell(values[key])
        names = {a.name for a in attrs.fields(Platform)}
        return Platform(id=entry.id, **{k: v for k, v in values.items() if k in names})

    def lowest_board_mts_2dpc(self, platform_id: str) -> tuple[float, CatalogEntry] | None:
        """The lowest 2-DIMMs-per-channel speed any board in the catalog publishes for the
        platform, with that board: the conservative figure for a 2DPC population whose own board
        publishes none (DESIGN.md, "Unknown figures"). Worked out once per catalog."""
        key = ("lowest_board_mts_2dpc", platform_id)
        if key in self._looked_up:
            found: tuple[float, CatalogEntry] | None = self._looked_up[key]
            return found
        published = [(float(entry.fields["max_mts_2dpc"]), entry) for entry in
                     self.entries("board")
                     if platform_id in entry.fields.get("platforms", ())
                     and isinstance(entry.fields.get("max_mts_2dpc"), int | float)]
        lowest = min(published, key=lambda pair: (pair[0], pair[1].id), default=None)
        self._looked_up[key] = lowest
        return lowest

    def power_classes(self, part_kind: str) -> tuple[CatalogEntry, ...]:
        """The ``[[power]]`` classes for one kind of part (their ``part``), in id order;
        indexed once per catalog."""
        key = ("power_classes", part_kind)
        if key not in self._looked_up:
            self._looked_up[key] = tuple(e for e in self.entries("power")
                                         if e.fields.get("part") == part_kind)
        found: tuple[CatalogEntry, ...] = self._looked_up[key]
        return found

    def __len__(self) -> int:
        return sum(len(t) for t in self._by_kind.values())


def entries_from_toml(text: str, origin: str, *, hostile: bool = False) -> list[CatalogEntry]:
    """Read the entries of one catalog TOML file; raise CatalogError for a malformed one.

    ``hostile`` parses within the spec loader's limits (for a user's catalog).
    """
    try:
        if hostile:
            from hwspec.spec.load import MAX_SPEC_BYTES, parse_toml

            if len(text) > MAX_SPEC_BYTES:
                raise CatalogError(f"{origin}: larger than {MAX_SPEC_BYTES:,} characters")
            data = parse_toml(text)
        else:
            data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise CatalogError(f"{origin}: does not parse: {error}") from None
    return entries_from_data(data, origin)


def entries_from_data(data: Mapping[str, Any], origin: str) -> list[CatalogEntry]:
    """The entries of one catalog file's parsed data; raise CatalogError for a malformed one."""
    from hwspec.findings import did_you_mean

    out: list[CatalogEntry] = []
    for kind, items in data.items():
        if kind not in KINDS:
            raise CatalogError(f"{origin}: unknown kind [[{kind}]]; expected one of "
                               f"{', '.join(KINDS)}" + did_you_mean(kind, KINDS))
        if not isinstance(items, list):
            raise CatalogError(f"{origin}: {kind} must be an array of tables ([[{kind}]])")
        for index, item in enumerate(items):
            where = f"{origin}: {kind}[{index}]"
            if not isinstance(item, dict):
                raise CatalogError(f"{where}: must be a table")
            if not isinstance(item.get("sources", {}), dict) or not isinstance(
                    item.get("notes", ""), str):
                raise CatalogError(f"{where}: sources must be a table of URLs, notes a string")
            if not isinstance(item.get("id"), str) or not item["id"]:
                raise CatalogError(f"{where}: every entry needs an id")
            if not isinstance(item.get("source"), str) or not item["source"].startswith("http"):
                raise CatalogError(f"{where} ({item['id']}): every entry needs a source URL")
            out.append(
                CatalogEntry(
                    kind=kind,
                    id=item["id"],
                    fields={k: v for k, v in item.items() if k not in META_KEYS},
                    source=item["source"],
                    sources=dict(item.get("sources", {})),
                    notes=item.get("notes"),
                    origin=origin,
                )
            )
    return out


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with hwspec (read once per process)."""
    # A plain path: importlib.resources costs 5 ms of imports at every start, and hwspec is
    # installed as files (the wheel is not zip-safe: it ships TOML data beside its modules).
    data = Path(__file__).parent / "data"
    entries: list[CatalogEntry] = []
    from hwspec.spec.read import shipped_toml

    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            name = f"catalog/{item.name}"
            entries.extend(entries_from_data(shipped_toml(name, item), name))
    return Catalog(entries)


def load_catalog(paths: Iterable[Path], base: Catalog | None = None) -> Catalog:
    """The built-in catalog (or base) extended by user catalog files or folders of them.

    An entry whose kind and id the catalog already has replaces it; ``Catalog.overridden``
    lists each such pair, so the caller can say so. A file that cannot be read or parsed, or an
    entry without an id or a source, is a ``CatalogError`` naming the file.
    """
    from hwspec.spec.load import MAX_SPEC_BYTES
    from hwspec.spec.read import read_regular_text

    catalog = Catalog((base or builtin_catalog()).entries())
    for path in paths:
        files = sorted(path.rglob("*.toml")) if path.is_dir() else [path]
        for file in files:
            try:
                text = read_regular_text(file, MAX_SPEC_BYTES)
            except FileNotFoundError:
                raise CatalogError(f"{file}: no such catalog file or folder") from None
            except UnicodeDecodeError as error:
                raise CatalogError(f"{file}: cannot be read: not UTF-8 text ({error.reason} at "
                                   f"byte {error.start + 1:,})") from None
            except OSError as error:
                raise CatalogError(f"{file}: cannot be read: {error.strerror or error}") from None
            for entry in entries_from_toml(text, str(file), hostile=True):
                catalog.add(entry)
    return catalog


_FIELD_NAMES: dict[Any, frozenset[str]] = {}


def field_names(cls: Any) -> frozenset[str]:
    """The field names of an attrs class (a spec part, a catalog entry's typed shape)."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = frozenset(a.name for a in attrs.fields(cls))
    return _FIELD_NAMES[cls]


def raw_value(value: Any) -> Any:
    """Undo structuring for a re-structure: tuples back to lists, attrs objects to dicts."""
    if isinstance(value, tuple):
        return [raw_value(v) for v in value]
    if attrs.has(type(value)):
        from hwspec.spec.load import converter

        return converter().unstructure(value)
    return value


def _same_entry(old: CatalogEntry, new: CatalogEntry) -> bool:
    """Whether two entries are one file's entry read twice: the same figures and sources, from
    origins that name the same file (one may be relative to the working folder, the other
    absolute, as a configuration's catalog paths are)."""
    import os

    if attrs.evolve(old, origin="") != attrs.evolve(new, origin=""):
        return False
    try:
        return os.path.samefile(old.origin, new.origin)
    except (OSError, ValueError):
        return old.origin == new.origin
