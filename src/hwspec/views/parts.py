"""``hwspec parts``: catalog entries listed to compare, in the columns that decide a choice.

The columns of a kind are its row's ``columns`` in the part-kind registry
(``spec.kinds.PART_KINDS``), the same ones docs/catalog.md shows, so a view never keeps a list
of its own. A listing may be sorted on any field of the kind: numbers in numeric order, words in
alphabetical order, and an entry that does not give the field after every entry that does
(whichever way the order runs), since an unknown figure is not a small one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from hwspec.catalog import Catalog, CatalogEntry, field_names
from hwspec.errors import HwspecError
from hwspec.spec.kinds import KIND_BY_NAME

MISSING = "-"
"""What a cell shows for a field the entry does not give."""

BUYING_FIELDS = frozenset({"part", "count", "price"})
"""Fields of a spec's part table that say what was bought, not what the part is: no catalog
entry gives them, so a listing is not sorted on them."""


class SortFieldError(HwspecError):
    """A ``--sort`` field the kind does not have (or a sort without a kind)."""


@frozen
class PartsTable:
    """The entries a listing shows, in order, with the columns to show for them (none when the
    listing spans every kind)."""

    kind: str | None
    columns: tuple[str, ...]
    entries: tuple[CatalogEntry, ...]


def sort_fields(kind: str) -> tuple[str, ...]:
    """The fields a listing of ``kind`` may be sorted on: ``id`` and every field of its class
    that describes the part."""
    return ("id", *sorted(field_names(KIND_BY_NAME[kind].cls) - BUYING_FIELDS))


def parts_table(catalog: Catalog, kind: str | None = None, search: str | None = None,
                sort: str | None = None, reverse: bool = False) -> PartsTable:
    """The entries of ``kind`` (every kind when None) whose id or name contains ``search``,
    sorted on ``sort`` (by id when None; ``reverse`` turns the known values round, unknown ones
    stay last). A sort field the kind lacks raises ``SortFieldError`` with a did-you-mean."""
    entries = [e for e in catalog.entries(kind)
               if search is None or search.lower() in f"{e.id} {e.fields.get('name', '')}".lower()]
    if sort is not None:
        entries = sorted_entries(entries, kind, sort, reverse)
    elif reverse:
        entries.reverse()
    columns = KIND_BY_NAME[kind].columns if kind is not None else ()
    return PartsTable(kind, columns, tuple(entries))


def sorted_entries(entries: Iterable[CatalogEntry], kind: str | None, field: str,
                   reverse: bool = False) -> list[CatalogEntry]:
    """The entries sorted on one field: numbers numerically, text alphabetically (numbers
    first where an entry mixes them), ties and entries without the field by id, and entries
    without it last either way."""
    from hwspec.findings import did_you_mean

    if kind is None:
        raise SortFieldError("--sort needs a KIND: fields differ between kinds "
                             "(`hwspec parts gpu --sort vram_gib`)")
    allowed = sort_fields(kind)
    if field not in allowed:
        raise SortFieldError(f"{kind} entries have no field {field!r} to sort on"
                             + did_you_mean(field, allowed)
                             + f"; fields: {', '.join(allowed)}")
    listed = sorted(entries, key=lambda e: e.id)
    known = [e for e in listed if _sort_key(_value(e, field)) is not None]
    unknown = [e for e in listed if _sort_key(_value(e, field)) is None]
    known.sort(key=lambda e: _sort_key(_value(e, field)) or (0, 0.0, ""), reverse=reverse)
    return known + unknown


def _value(entry: CatalogEntry, field: str) -> Any:
    return entry.id if field == "id" else entry.fields.get(field)


def _sort_key(value: Any) -> tuple[int, float, str] | None:
    """A value's place in the order: numbers before words; None where nothing can be said."""
    if isinstance(value, bool):
        return (1, 0.0, str(value).lower())
    if isinstance(value, int | float):
        return (0, float(value), "")
    if isinstance(value, str):
        return (1, 0.0, value.lower())
    if isinstance(value, list) and value:
        return (2, float(len(value)), "")  # a list of slots or module kinds: by how many
    return None


def cell(value: Any) -> str:
    """One value as a table cell: a number without trailing zeros, a list by its items (a list
    of tables by how many), and ``-`` for a field the entry does not give."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return str(len(value))
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def render_text(table: PartsTable, escape: Any = str) -> str:
    """The table as aligned text: a header of field names (the names ``--sort`` takes), then a
    row per entry, the name last so a long one does not push the figures apart. A listing of
    every kind shows kind, id and name; an empty one prints nothing (the caller says why)."""
    if not table.entries:
        return ""
    if table.kind is None:
        return "".join(f"{escape(e.kind):<9} {escape(e.id):<44} "
                       f"{escape(str(e.fields.get('name', '')))}\n" for e in table.entries)
    header = ("id", *table.columns, "name")
    rows = [[escape(e.id), *(escape(cell(e.fields.get(c))) for c in table.columns),
             escape(str(e.fields.get("name", "")))] for e in table.entries]
    widths = _widths([list(header), *rows])
    numeric = [all(_numeric(row[i]) for row in rows) for i in range(len(header))]
    lines = [_line(header, widths, numeric), *(_line(row, widths, numeric) for row in rows)]
    return "".join(line + "\n" for line in lines)


def _widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]


def _line(row: Sequence[str], widths: Sequence[int], numeric: Sequence[bool]) -> str:
    """One row: the id left-aligned, a column of figures right-aligned, the name as it is."""
    cells = [row[0].ljust(widths[0])]
    cells += [value.rjust(width) if right else value.ljust(width)
              for value, width, right in zip(row[1:-1], widths[1:-1], numeric[1:-1], strict=True)]
    return "  ".join([*cells, row[-1]]).rstrip()


def _numeric(text: str) -> bool:
    """Whether a cell is a figure (or stands for a missing one)."""
    if text == MISSING:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_json_rows(table: PartsTable) -> list[dict[str, Any]]:
    """The entries as JSON rows: kind, id, every field and the source, in the table's order."""
    return [{"kind": e.kind, "id": e.id, **e.fields, "source": e.source} for e in table.entries]
