"""Load: TOML text -> ``Spec``, or SPEC001/SPEC002 findings that say what is wrong and where.

One cattrs converter, configured here and nowhere else, turns the parsed TOML into attrs classes.
It is strict: a string is never coerced into a number, a table never into a list, and a key the
format does not know is an error with a did-you-mean. Structure errors are walked into one finding
per problem, each with the key path (``memory[0].kind``) and the line of that key in the text.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, get_args, get_origin

import attrs
import cattrs
from attrs import frozen
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from hwspec._findings import Finding, Path, format_path
from hwspec._locate import Position, find_position, locate_keys
from hwspec._spec import (
    CHOICES,
    Checks,
    Count,
    IgnoreEntry,
    NonNegative,
    ParamValue,
    Positive,
    Spec,
    check_choice,
    check_count,
    check_non_negative,
    check_positive,
    describe,
    did_you_mean,
)

SYNTAX = "SPEC001"
STRUCTURE = "SPEC002"

MAX_SPEC_BYTES = 1024 * 1024
"""Specs larger than this are refused before parsing: no real build needs a megabyte of TOML."""


class SpecError(Exception):
    """Raised by ``hwspec.load`` when a spec cannot be loaded; ``findings`` says why."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        first = findings[0]
        where = f"{first.path}: " if first.path else ""
        super().__init__(f"{first.rule} {where}{first.message}")


@frozen
class Loaded:
    """The result of loading one spec's text: the spec, or the findings that stopped it."""

    spec: Spec | None
    findings: tuple[Finding, ...]
    positions: dict[Path, Position]

    def position(self, path: Path) -> Position | None:
        """The line and column of path (or of its nearest located parent) in the TOML text."""
        return find_position(self.positions, path)


def load_text(text: str) -> Loaded:
    """Parse and structure one spec's TOML text."""
    if len(text) > MAX_SPEC_BYTES:
        message = (
            f"the spec is {len(text):,} characters long; specs are limited to {MAX_SPEC_BYTES:,}"
        )
        return Loaded(None, (Finding(STRUCTURE, "error", message, name="spec-too-large"),), {})
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Loaded(None, (_syntax_finding(error),), {})
    positions = locate_keys(text)
    return structure(data, positions)


def structure(data: dict[str, Any], positions: dict[Path, Position] | None = None) -> Loaded:
    """Turn parsed TOML data into a ``Spec``, or findings with paths (and lines, given positions)."""
    positions = positions or {}
    try:
        spec = converter().structure(data, Spec)
    except (ClassValidationError, IterableValidationError) as error:
        findings = [_structure_finding(path, exc, positions) for path, exc in _leaves(error, ())]
        findings.sort(key=Finding.sort_key)
        return Loaded(None, tuple(findings), positions)
    except (TypeError, ValueError) as error:  # a top level that is not a table at all
        return Loaded(None, (Finding(STRUCTURE, "error", str(error), name="spec-structure"),), {})
    return Loaded(spec, (), positions)


def unstructure(spec: Spec) -> dict[str, Any]:
    """Turn a ``Spec`` back into TOML-ready data, leaving out what was not given."""
    data = converter().unstructure(spec)
    return _prune(data)  # type: ignore[no-any-return]


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != () and v != {}}
    if isinstance(value, list | tuple):
        return [_prune(v) for v in value]
    return value


def _syntax_finding(error: tomllib.TOMLDecodeError) -> Finding:
    message = str(error)
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if line is None:  # Python < 3.14 puts the position only in the message: "(at line 3, column 7)"
        import re

        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].rstrip()
        elif "(at end of document)" in message:
            message = message.replace("(at end of document)", "").rstrip() + " at end of document"
    else:
        message = getattr(error, "msg", message)
    return Finding(
        SYNTAX,
        "error",
        f"TOML does not parse: {message}",
        name="toml-syntax",
        hint="Fix the TOML syntax; see https://toml.io/en/v1.0.0",
        line=line,
        column=column,
    )


def _leaves(error: BaseException, path: Path) -> Iterator[tuple[Path, BaseException]]:
    """Walk cattrs' nested validation errors down to each leaf problem and its key path."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without_notes = error.group_exceptions()
        for inner, note in with_notes:
            step: str | int
            if isinstance(note, AttributeValidationNote):
                step = note.name
            elif isinstance(note, IterableValidationNote):
                step = note.index  # type: ignore[assignment]
            else:  # pragma: no cover - cattrs only attaches these two kinds of note
                step = str(note)
            yield from _leaves(inner, (*path, step))
        for inner in without_notes:
            yield from _leaves(inner, path)
    else:
        yield path, error


def _structure_finding(path: Path, error: BaseException, positions: dict[Path, Position]) -> Finding:
    if isinstance(error, ForbiddenExtraKeysError):
        extra = sorted(error.extra_fields)
        known = [a.name for a in attrs.fields(error.cl)] if attrs.has(error.cl) else []
        key_path = (*path, extra[0])
        names = ", ".join(repr(k) for k in extra)
        message = f"unknown key {names}" if len(extra) == 1 else f"unknown keys {names}"
        message += did_you_mean(extra[0], known)
        where = f" in [{format_path(path)}]" if path else " at the top level"
        hint = f"Keys allowed{where}: {', '.join(known)}"
        position = find_position(positions, key_path)
        return Finding(
            STRUCTURE,
            "error",
            message,
            name="spec-structure",
            hint=hint,
            path=format_path(key_path),
            line=position.line if position else None,
            column=position.column if position else None,
        )
    if isinstance(error, KeyError):
        message = "required key is missing"
        position = find_position(positions, path[:-1]) if path else None
    else:
        message = str(error) or type(error).__name__
        position = find_position(positions, path)
    return Finding(
        STRUCTURE,
        "error",
        message,
        name="spec-structure",
        hint="See docs/spec-format.md for the keys each table takes.",
        path=format_path(path),
        line=position.line if position else None,
        column=position.column if position else None,
    )


# --- the converter -------------------------------------------------------------------------------


@cache
def converter() -> cattrs.Converter:
    """The one converter for the spec format (built once per process)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(bool, _strict(bool, "a boolean"))
    conv.register_structure_hook(Count, lambda v, _: check_count(v))
    conv.register_structure_hook(Positive, lambda v, _: check_positive(v))
    conv.register_structure_hook(NonNegative, lambda v, _: check_non_negative(v))
    conv.register_structure_hook(ParamValue, lambda v, _: _param_value(v))
    for choice_type, (choices, what) in CHOICES.items():
        conv.register_structure_hook(
            choice_type, _choice_hook(choices, what)  # type: ignore[arg-type]
        )
    conv.register_structure_hook(IgnoreEntry, lambda v, _: _ignore_entry(conv, v))
    conv.register_unstructure_hook(
        IgnoreEntry, lambda e: e.rule if e.reason is None else {"rule": e.rule, "reason": e.reason}
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda t: _tuple_hook(conv, t))
    conv.register_structure_hook_factory(_is_str_dict, lambda t: _dict_hook(conv, t))
    # Catch a table given where a list is expected, or a list where a table is, with a clear type.
    original = conv.get_structure_hook(Checks)
    conv.register_structure_hook(Checks, lambda v, t: original(_table(v), t))
    for cls in _attrs_classes():
        if cls in (Checks, IgnoreEntry):
            continue
        hook = conv.get_structure_hook(cls)
        conv.register_structure_hook(cls, _table_guard(hook))
    return conv


def _attrs_classes() -> list[type]:
    from hwspec import _spec

    return [
        obj
        for obj in vars(_spec).values()
        if isinstance(obj, type) and attrs.has(obj) and obj.__module__ == _spec.__name__
    ]


def _table(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {describe(value)}")
    return value


def _table_guard(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def guarded(value: Any, cls: Any) -> Any:
        return hook(_table(value), cls)

    return guarded


def _strict(kind: type, what: str) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {what}, got {describe(value)}")
        return value

    return hook


def _choice_hook(choices: tuple[str, ...], what: str) -> Callable[[Any, Any], str]:
    return lambda value, _: check_choice(value, choices, what)


def _param_value(value: object) -> object:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        return value
    raise TypeError(f"expected a number, a boolean or a string, got {describe(value)}")


def _ignore_entry(conv: cattrs.Converter, value: object) -> IgnoreEntry:
    if isinstance(value, str):
        return IgnoreEntry(rule=value)
    raw = conv.gen_structure_attrs_fromdict(IgnoreEntry)  # type: ignore[attr-defined]
    return raw(_table(value), IgnoreEntry)  # type: ignore[no-any-return]


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    inner = get_args(t)[0]

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {describe(value)}")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, element in enumerate(value):
            try:
                items.append(conv.structure(element, inner))
            except Exception as error:
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    IterableValidationNote(f"Structuring item @ index {index}", index, inner),
                ]
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(items)

    return hook


def _is_str_dict(t: Any) -> bool:
    return get_origin(t) is dict


def _dict_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], dict[str, Any]]:
    value_type = get_args(t)[1]

    def hook(value: Any, _: Any) -> dict[str, Any]:
        table = _table(value)
        out: dict[str, Any] = {}
        errors: list[Exception] = []
        for key, element in table.items():
            try:
                out[key] = conv.structure(element, value_type)
            except Exception as error:
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    AttributeValidationNote(f"Structuring key {key!r}", key, value_type),
                ]
                errors.append(error)
        if errors:
            raise ClassValidationError(f"While structuring {t!r}", errors, dict)
        return out

    return hook
