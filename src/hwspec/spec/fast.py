"""The fast path of loading: valid TOML data straight into the spec classes, without cattrs.

cattrs generates and compiles a structuring function per class on first use (about 25 ms at
every start of the command line, plus its import) and records every problem on the way, which a
spec without problems does not need. This module builds the same objects for data that is
valid, by the same checks (``spec.fields.FIELD_TYPES`` and the classes' own validators), and gives
up, returning None, at the first thing it does not expect; the loader then runs the cattrs
converter, which reports every problem with its key path. The tests check that both paths build
equal objects for any spec the strategies generate.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

from hwspec.spec.fields import FIELD_TYPES
from hwspec.spec.model import IgnoreEntry


class _SlowPathError(Exception):
    """The data is not plainly valid: leave it to the converter."""


Builder = Callable[[Any], Any]


def fast_structure(data: Any, cls: type) -> Any | None:
    """``cls`` built from ``data`` (an attrs class of the spec, or of another input read the
    same way: a pack's tables, a configuration file), or None to take the slow path."""
    try:
        return _builder(cls)(data)
    except (_SlowPathError, TypeError, ValueError):
        return None


_BUILDERS: dict[Any, Builder] = {}


def _builder(tp: Any) -> Builder:
    found = _BUILDERS.get(tp)
    if found is None:
        found = _BUILDERS[tp] = _make(tp)
    return found


def _make(tp: Any) -> Builder:
    field_type = FIELD_TYPES.get(tp)
    if field_type is not None:
        return field_type.check
    if tp is typing.Any:  # checked where it is used (a [[power]] class's match table)
        return lambda value: value
    if tp is IgnoreEntry:
        table = _class_builder(IgnoreEntry)
        return lambda value: IgnoreEntry(rule=value) if isinstance(value, str) else table(value)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _builder(args[0] if args[1] is type(None) else args[1])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_builder(args[0])
    if origin is dict and args[0] is str:
        return _dict_builder(args[1])
    if isinstance(tp, type) and attrs.has(tp):
        return _class_builder(tp)
    raise _SlowPathError(f"no fast path for {tp!r}")


def _tuple_builder(inner: Any) -> Builder:
    element = _builder(inner)

    def build(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _SlowPathError
        return tuple(element(item) for item in value)

    return build


def _dict_builder(inner: Any) -> Builder:
    element = _builder(inner)

    def build(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise _SlowPathError
        return {key: element(item) for key, item in value.items()}

    return build


def _class_builder(cls: type) -> Builder:
    # The class's own module names its field types (a pack's tables live beside the engine).
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    fields = attrs.fields(cls)
    plan = [(f.name, hints[f.name], f.default is attrs.NOTHING) for f in fields]
    names = frozenset(name for name, _, _ in plan)
    required = frozenset(name for name, _, needed in plan if needed)
    builders: dict[str, Builder] = {}

    def build(value: Any) -> Any:
        if type(value) is not dict or not names.issuperset(value) or not required.issubset(value):
            raise _SlowPathError
        if not builders:  # resolved on first use: the classes refer to each other
            # All or none: a field with no fast path fails every call alike, not only the first.
            builders.update({name: _builder(tp) for name, tp, _ in plan})
        return cls(**{key: builders[key](item) for key, item in value.items()})

    return build
