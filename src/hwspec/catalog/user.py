"""A team's catalog: the built-in catalog extended by its files, each added entry checked as
the spec part it stands for would be (structured through the spec converter), so a wrong type or
range is a ``CatalogError`` naming file, entry and field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FilePath

from hwspec.catalog import Catalog, CatalogEntry, field_names, raw_value
from hwspec.findings import did_you_mean
from hwspec.spec.entries import PlatformEntry, PowerEntry
from hwspec.spec.kinds import KIND_BY_NAME, POWER_CLASS_KINDS

__all__ = ["PlatformEntry", "PowerEntry", "entry_problem", "load_user_catalog",
           "power_entry_problem"]


CONFIDENCES = ("high", "medium", "low")


def power_entry_problem(entry: CatalogEntry) -> str | None:
    """Why a ``[[power]]`` entry cannot stand in for a part's figure, or None."""
    fields = entry.fields
    part = fields.get("part")
    if part not in POWER_CLASS_KINDS:
        return (f"part must be one of {', '.join(POWER_CLASS_KINDS)}, got {part!r}"
                + (did_you_mean(part, POWER_CLASS_KINDS) if isinstance(part, str) else ""))
    confidence = fields.get("confidence")
    if confidence not in CONFIDENCES:
        return (f"confidence must be one of {', '.join(CONFIDENCES)}, got {confidence!r}"
                + (did_you_mean(confidence, CONFIDENCES) if isinstance(confidence, str) else ""))
    if not any(k in fields for k in ("power_w", "peak_w", "peak_ratio")):
        return "needs power_w, peak_w or peak_ratio"
    cls = KIND_BY_NAME[str(fields["part"])].cls
    names = field_names(cls)
    match = fields.get("match", {})
    if not isinstance(match, dict):
        return "match must be a table of part fields"
    for key, wanted in match.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or not all(isinstance(v, str | int | float) for v in values):
            return f"match.{key}: expected a value or a list of values, got {wanted!r}"
        base = key.removesuffix("_min").removesuffix("_max")
        if key not in names and base not in names:
            return (f"match: {fields['part']} has no field {key!r}"
                    + did_you_mean(key, names))
    return None


def load_user_catalog(paths: Iterable[FilePath]) -> Catalog:
    """The built-in catalog extended by a team's catalog files or folders, every added entry
    checked as a spec part would be; a problem is a ``CatalogError`` naming file, entry and
    field. ``Catalog.overridden`` lists the built-in entries the files replace."""
    from hwspec.catalog import load_catalog
    from hwspec.errors import CatalogError

    catalog = load_catalog(paths)
    for entry in catalog.entries():
        if entry.origin.startswith("catalog/"):
            continue  # shipped with hwspec, checked by its own tests
        problem = entry_problem(entry)
        if problem is not None:
            raise CatalogError(f"{entry.origin}: {entry.kind} {entry.id!r}: {problem}")
    return catalog


def entry_problem(entry: CatalogEntry) -> str | None:
    """Why a (user's) catalog entry cannot fill its part, or None: each field must be one the
    part's table takes, of the type and range the spec format allows."""
    from hwspec.spec.load import structure_problem

    kind = KIND_BY_NAME.get(entry.kind)
    if kind is None:
        return None
    cls = kind.cls
    names = field_names(cls)
    unknown = sorted(set(entry.fields) - names)
    if unknown:
        return (f"unknown field {unknown[0]!r} for a {entry.kind}"
                + did_you_mean(unknown[0], names) + f" (fields: {', '.join(sorted(names))})")
    raw = {k: raw_value(v) for k, v in entry.fields.items() if k in names}
    problem = structure_problem(raw, cls)
    if problem is None and entry.kind == "power":
        problem = power_entry_problem(entry)
    return problem
