"""The field types: one row per type a spec, catalog, pack or configuration field may have.

A row holds the check that structures a TOML value into the type (or raises ``TypeError`` or
``ValueError`` saying what was expected) and the JSON Schema of a value. The fast path
(``spec.fast``), the cattrs converter (``spec.load.converter``) and the JSON Schema
(``views.schema``) all read this table, so a type is checked one way and described one way.
Containers (optional values, arrays, tables) and the attrs classes are structural: each reader
walks them itself. A field's own range (``minimum``, ``maximum`` in its metadata) is checked by
the validator of its class, which both load paths run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from hwspec.findings import Severity
from hwspec.spec.values import (
    CANONICAL,
    CHOICES,
    CURRENCIES,
    Count,
    Currency,
    Finite,
    KvPrecision,
    NonNegative,
    ParamValue,
    PlatformId,
    Positive,
    Precision,
    Tally,
    check_canonical,
    check_choice,
    check_count,
    check_currency,
    check_finite,
    check_non_negative,
    check_positive,
    check_precision,
    check_spelled_choice,
    check_tally,
    describe,
)
from hwspec.spec.vocab import PRECISION_SPELLINGS, PRECISIONS, SEVERITIES


@frozen
class FieldType:
    """How one field type is structured and described."""

    check: Callable[[Any], Any]
    """The value structured into the type, or ``TypeError``/``ValueError`` saying what was
    expected; never a coercion (a string is not a number)."""
    schema: Mapping[str, Any]
    """The JSON Schema of a value, in keywords that mean the same in draft 7 and 2020-12."""


def _exact(kind: type, what: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {what}, got {describe(value)}")
        return value

    return check


def check_param_value(value: object) -> object:
    """A rule parameter's value: a finite number, a boolean or a string."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        return value
    raise TypeError(f"expected a number, a boolean or a string, got {describe(value)}")


def _choice(choices: tuple[str, ...], what: str) -> Callable[[Any], str]:
    return lambda value: check_choice(value, choices, what)


def _canonical(spell: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda value: check_canonical(value, spell)


def _both_cases(words: tuple[str, ...]) -> list[str]:
    """The words as the vocabulary writes them, then upper case (the schema's ``enum`` is
    case-sensitive; the loader is not)."""
    return [*words, *(word.upper() for word in words)]


def _severity(value: Any) -> Severity:
    return Severity(check_choice(value, SEVERITIES, "severity"))


FIELD_TYPES: dict[object, FieldType] = {
    str: FieldType(_exact(str, "a string"), {"type": "string"}),
    bool: FieldType(_exact(bool, "a boolean"), {"type": "boolean"}),
    Count: FieldType(check_count, {"type": "integer", "minimum": 1}),
    Tally: FieldType(check_tally, {"type": "integer", "minimum": 0}),
    Positive: FieldType(check_positive, {"type": "number", "exclusiveMinimum": 0}),
    NonNegative: FieldType(check_non_negative, {"type": "number", "minimum": 0}),
    Finite: FieldType(check_finite, {"type": "number"}),
    ParamValue: FieldType(check_param_value, {"type": ["number", "boolean", "string"]}),
    Severity: FieldType(_severity, {"type": "string", "enum": list(SEVERITIES)}),
    Currency: FieldType(check_currency, {"type": "string", "enum": list(CURRENCIES)}),
    **{tp: FieldType(_choice(choices, what), {"type": "string", "enum": list(choices)})
       for tp, (choices, what) in CHOICES.items()},
    # check_canonical: something must be left once spelt (an id keeps its hyphens).
    **{tp: FieldType(_canonical(spell),
                     {"type": "string", "pattern": r"\S" if tp is PlatformId else r"[^\s_-]"})
       for tp, spell in CANONICAL.items()},
    # Precisions as GGUF file names write them too ("Q4_K_M", "UD-Q2_K_XL", "F16"): the loader
    # keeps the vocabulary's lower-case word.
    Precision: FieldType(check_precision, {"type": "string", "enum": _both_cases(
        (*PRECISIONS, *PRECISION_SPELLINGS))}),
    KvPrecision: FieldType(lambda value: check_spelled_choice(value, *CHOICES[KvPrecision]),
                           {"type": "string", "enum": _both_cases(CHOICES[KvPrecision][0])}),
}
"""Every scalar field type, by its type (``Count``, ``str``, ``ModuleKind`` ...)."""
