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
    fields = attrs.fields(cls)
    names = frozenset(f.name for f in fields)
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    builders: dict[str, Builder] = {}

    def build(value: Any) -> Any:
        if type(value) is not dict or not names.issuperset(value) or not required.issubset(value):
            raise _SlowPathError
        if not builders.keys() >= value.keys():
            # A field's builder is made the first time a table gives it (the classes refer to
            # each other, and most specs give few of a class's fields); a field with no fast
            # path then fails every call that gives it alike.
            types_of = _field_types(cls)
            builders.update({key: _builder(types_of[key]) for key in value.keys() - builders})
        return cls(**{key: builders[key](item) for key, item in value.items()})

    return build


_FIELD_TYPES_OF: dict[type, dict[str, Any]] = {}


def _field_types(cls: type) -> dict[str, Any]:
    """Each field's type, its annotation evaluated in the module of the class that declares it,
    each distinct annotation once (``typing.get_type_hints`` evaluates every annotation of the
    class and its bases at each call: a few milliseconds of every start)."""
    found = _FIELD_TYPES_OF.get(cls)
    if found is None:
        found = _FIELD_TYPES_OF[cls] = {
            f.name: _evaluated(f.type, _declaring_module(cls, f.name)) for f in attrs.fields(cls)}
    return found


def _declaring_module(cls: type, name: str) -> str:
    """The module of the class in ``cls``'s bases (itself first) whose annotations declare
    ``name``: an inherited field's annotation names types of its own module."""
    return next(base.__module__ for base in cls.__mro__
                if name in getattr(base, "__annotations__", {}))


_EVALUATED: dict[tuple[str, str], Any] = {}


def _evaluated(annotation: Any, module: str) -> Any:
    """An annotation as a type: one written as a string (postponed evaluation) evaluated in
    ``module``'s namespace, once per module and text."""
    if not isinstance(annotation, str):
        return annotation
    key = (annotation, module)
    if key not in _EVALUATED:
        # The classes' own annotations, as typing.get_type_hints evaluates them.
        _EVALUATED[key] = eval(annotation, vars(sys.modules[module]))
    return _EVALUATED[key]
