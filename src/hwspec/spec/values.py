"""The values a spec holds: the types of its fields (a count, a positive number, a vocabulary
word), the checks that structure them, and the field transformer (``documented``) that gives
each field of a spec class its documentation and plausible range from spec/fields.toml and its
type's validator. The spec classes in ``spec.model`` are built from these; the field-type table
(``spec.fields``) and the JSON Schema read them too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, NewType

from attrs import NOTHING, Attribute

from hwspec.findings import did_you_mean, suggestion
from hwspec.spec.vocab import (
    ATTENTION_KINDS,
    COOLING_KINDS,
    DEVICES,
    ENGINES,
    GPU_SPLITS,
    KV_LAYOUTS,
    KV_PRECISIONS,
    MODULE_KINDS,
    NUMA_MODES,
    OFFLOAD_MODES,
    PRECISIONS,
    PSU_REDUNDANCIES,
    canonical_generation,
    canonical_id,
    canonical_socket,
)

Count = NewType("Count", int)
"""A whole number of at least 1 (modules, sockets, units bought)."""

Tally = NewType("Tally", int)
"""A whole number of at least 0 (power connectors: a slot-powered card has none)."""

Positive = NewType("Positive", float)
"""A finite number greater than 0 (capacities, speeds, prices, watts)."""

NonNegative = NewType("NonNegative", float)
"""A finite number of at least 0."""

Finite = NewType("Finite", float)
"""A finite number of either sign (a rule parameter's bounds)."""

ModuleKind = NewType("ModuleKind", str)
Precision = NewType("Precision", str)
KvPrecision = NewType("KvPrecision", str)
AttentionKind = NewType("AttentionKind", str)
Engine = NewType("Engine", str)
NumaMode = NewType("NumaMode", str)
OffloadMode = NewType("OffloadMode", str)
KvLayout = NewType("KvLayout", str)
GpuSplit = NewType("GpuSplit", str)
Device = NewType("Device", str)
Redundancy = NewType("Redundancy", str)
CoolingKind = NewType("CoolingKind", str)
Socket = NewType("Socket", str)
"""A CPU socket, kept in its one spelling (``canonical_socket``: "SP5" is "sp5")."""
Generation = NewType("Generation", str)
"""A memory generation, kept in its one spelling (``canonical_generation``: "ddr5" is "DDR5")."""
PlatformId = NewType("PlatformId", str)
"""A catalog platform id, kept in its one spelling (``canonical_id``: "SP5-Turin" is
"sp5-turin")."""
ParamValue = NewType("ParamValue", object)
"""A rule parameter value: a number, a boolean or a string."""
Currency = NewType("Currency", str)
"""An ISO 4217 currency code, one of ``CURRENCIES`` (``check_currency``)."""


@cache
def _shipped(name: str) -> Any:
    """A TOML file of this package (``fields.toml``), parsed, from ``hwspec.shipped``: read once,
    though every spec class asks for it."""
    from pathlib import Path

    from hwspec.spec.read import shipped_toml

    return shipped_toml(f"spec/{name}", Path(__file__).with_name(name))


CURRENCIES: tuple[str, ...] = tuple(_shipped("currencies.toml")["codes"])
"""Every currency a price may be given in: ISO 4217's codes in use for money, as
spec/currencies.toml lists them with its source. The one list: ``[build] currency``, a price
list's ``currency`` and the JSON Schema read it."""

_CURRENCY_SYMBOLS = {"$": ("USD",), "US$": ("USD",), "€": ("EUR",), "£": ("GBP",),
                     "¥": ("CNY", "JPY"), "₹": ("INR",), "₩": ("KRW",), "₽": ("RUB",),
                     "RMB": ("CNY",), "元": ("CNY",), "円": ("JPY",)}
"""A currency symbol or common name written where the code goes, and the codes it stands for."""


def check_currency(value: object) -> str:
    """Return value if it is an ISO 4217 code of ``CURRENCIES``, else raise saying so, with
    a did-you-mean (``'usd'``: 'USD'; ``'$'``: 'USD'; ``'EUX'``: 'UGX' or 'EUR')."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    if value in CURRENCIES:
        return value
    stripped = value.strip()
    close = ([stripped.upper()] if stripped.upper() in CURRENCIES
             else list(_CURRENCY_SYMBOLS.get(stripped.upper(), ())))
    # A three-letter slip ('EUX') is near codes; a word ('dollars') is near none of them.
    hint = suggestion(close) if close else (
        did_you_mean(stripped.upper(), CURRENCIES, n=3) if len(stripped) == 3 else "")
    raise ValueError("expected an ISO 4217 code (three upper-case letters such as USD, EUR or "
                     f"CNY), got {value!r}{hint}")


def check_count(value: object) -> int:
    """Return value if it is a whole number >= 1, else raise ValueError saying what was expected."""
    return _check_whole(value, least=1)


def check_tally(value: object) -> int:
    """Return value if it is a whole number >= 0, else raise ValueError saying what was expected."""
    return _check_whole(value, least=0)


def _check_whole(value: object, *, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {describe(value)}")
    if value < least:
        raise ValueError(f"expected a whole number of at least {least}, got {value}")
    return value


def check_positive(value: object) -> float:
    """Return value if it is a finite number > 0, else raise saying what was expected."""
    number = _check_number(value)
    if number <= 0:
        raise ValueError(f"expected a number greater than 0, got {value!r}")
    return value  # type: ignore[return-value]  # keep int as int for round trips


def check_non_negative(value: object) -> float:
    """Return value if it is a finite number >= 0, else raise saying what was expected."""
    number = _check_number(value)
    if number < 0:
        raise ValueError(f"expected a number of at least 0, got {value!r}")
    return value  # type: ignore[return-value]


def check_finite(value: object) -> float:
    """Return value if it is a finite number, else raise saying what was expected."""
    _check_number(value)
    return value  # type: ignore[return-value]


def check_maximum(
    value: float, maximum: float, unit: str | None = None, plausible: str | None = None
) -> None:
    """Raise ValueError if value is above maximum, naming the bound, its unit and what it bounds.

    >>> check_maximum(1e30, 100_000, "W", "PSU capacity")
    Traceback (most recent call last):
    ...
    ValueError: expected at most 100,000 W (a plausible PSU capacity), got 1e+30
    """
    if value <= maximum:
        return
    why = f" (a plausible {plausible})" if plausible else ""
    raise ValueError(f"expected at most {_amount(maximum, unit)}{why}, got {value!r}")


def check_range(value: float, meta: Mapping[str, Any]) -> None:
    """Raise ValueError if value lies outside the plausibility range a field's metadata gives
    (``minimum``, ``maximum``), naming the range, its unit and what it bounds.

    >>> check_range(1e-300, {"minimum": 10, "maximum": 100_000, "unit": "MT/s",
    ...                      "plausible": "module speed"})
    Traceback (most recent call last):
    ...
    ValueError: expected 10 to 100,000 MT/s (a plausible module speed), got 1e-300
    """
    minimum, maximum = meta.get("minimum"), meta.get("maximum")
    if (minimum is None or value >= minimum) and (maximum is None or value <= maximum):
        return  # within range: the message's parts are looked up only for a value outside
    unit, plausible = meta.get("unit"), meta.get("plausible")
    if minimum is not None and value < minimum:
        shown = (f"{_amount(minimum, None)} to {_amount(maximum, unit)}"
                 if maximum is not None else f"at least {_amount(minimum, unit)}")
        why = f" (a plausible {plausible})" if plausible else ""
        raise ValueError(f"expected {shown}{why}, got {value!r}")
    if maximum is not None:
        check_maximum(value, maximum, unit, plausible)


def _amount(number: float, unit: str | None) -> str:
    """A bound as messages show it: ``100,000 W``; a price's unit is the spec's currency, left
    unsaid."""
    shown = f"{int(number):,}" if float(number).is_integer() else f"{number:g}"
    return shown + (f" {unit}" if unit and unit != CURRENCY else "")


def _check_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def check_choice(value: object, choices: tuple[str, ...], what: str) -> str:
    """Return value if it is one of choices, else raise with the choices and a did-you-mean."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    if value in choices:
        return value
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered:
        raise ValueError(f"{value!r} is not one of {', '.join(choices)}"
                         + suggestion([lowered[value.lower()]]))
    raise ValueError(f"{value!r} is not a known {what}; expected one of {', '.join(choices)}"
                     + did_you_mean(value, choices))


def check_precision(value: object) -> str:
    """Return a weight precision in its one spelling (``vocab.canonical_precision``: "Q4_K_M" is
    "q4_k_m"), else raise with the choices and a did-you-mean; an Unsloth dynamic mix ("UD-")
    with no sourced figure says what to give instead."""
    from hwspec.spec.vocab import PRECISIONS, canonical_precision

    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    word = canonical_precision(value)
    if word in PRECISIONS:
        return word
    if word.startswith("ud-"):
        raise ValueError(
            f"{value!r} is an Unsloth dynamic mix, chosen per model, with no sourced bits per "
            "weight in hwspec; give workload.bits_per_weight from the file's size "
            "(bytes x 8 / parameters)")
    raise ValueError(f"{value!r} is not a known precision; expected one of "
                     f"{', '.join(PRECISIONS)}" + did_you_mean(word, PRECISIONS))


def check_spelled_choice(value: object, choices: tuple[str, ...], what: str) -> str:
    """Return value, lower case and trimmed, if it is one of choices (written lower case), else
    raise as ``check_choice`` does."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    return check_choice(value.strip().lower(), choices, what)


def describe(value: object) -> str:
    """Name a TOML value's type the way a spec author thinks of it, with the value."""
    kind = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


# --- field documentation and plausibility ranges -------------------------------------------------

CURRENCY = "currency"
"""The unit of every price: the spec's ``build.currency``."""

FIELDS_FILE = "hwspec/spec/fields.toml"
"""Where each spec field's documentation and range are written, as messages name it."""

_ENTRY_KEYS = ("description", "unit", "range", "plausible", "catalog")
"""The keys of one field's entry in spec/fields.toml."""

_PART_FIELDS = ("part", "name", "price")
"""The fields every part table has, documented once in ``[part_field]``."""


def _disagree(message: str) -> Exception:
    """The error for fields.toml and a class that disagree (``hwspec.errors`` is imported only
    then: it imports tomllib, which defining the classes does not need)."""
    from hwspec.errors import FieldDocError

    return FieldDocError(message)


def field_metadata(table: str, defaults: Mapping[str, object],
                   data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The attrs metadata of each field of the class named ``table`` (its fields' names and
    defaults, ``attrs.NOTHING`` for none), by field name, from the parsed spec/fields.toml:
    ``description`` (one sentence; ``{default}`` in it is the field's default, which only the
    class states), ``unit`` (``"W"``, ``"GiB"``, ``"currency"`` ...), for a field with a range
    its ``maximum``, for fractional numbers its ``minimum``, ``why`` (the range's reason),
    ``plausible`` (what the range bounds, for the message) and ``exact`` (a limit of the
    quantity itself), and ``catalog`` (the catalog kind whose ids the field names). Only given
    keys appear.

    Raises ``FieldDocError`` naming the file and key where the data and the fields disagree: a
    field not documented, a key that is no field (with a did-you-mean), a part table's shared
    field documented again, an unknown key or range.
    """
    tables = data.get("field", {})
    if table not in tables:
        raise _disagree(f"{FIELDS_FILE}: no [field.{table}] table documents the fields of "
                        f"{table}" + did_you_mean(table, tables))
    where = f"{FIELDS_FILE}: field.{table}"
    entries = dict(tables[table])
    words = data.get("part_table", {}).get(table)
    if words is not None:  # a part table: part, name and price as [part_field] writes them
        for key in _PART_FIELDS:
            if key in entries:
                raise _disagree(f"{where}.{key}: documented twice: a part table's {key} is "
                                f"[part_field.{key}]")
            entries[key] = {name: text.replace("{kind}", words["kind"]).replace(
                "{noun}", words["noun"]) for name, text in data["part_field"][key].items()}
    for key in entries:
        if key not in defaults:
            raise _disagree(f"{where}.{key}: {table} has no field {key!r}"
                            + did_you_mean(key, defaults))
    missing = [name for name in defaults if name not in entries]
    if missing:
        raise _disagree(f"{where}: {', '.join(missing)} of {table} not documented")
    return {name: _metadata(entries[name], data.get("range", {}), f"{where}.{name}", default)
            for name, default in defaults.items()}


def _metadata(entry: Mapping[str, Any], ranges: Mapping[str, Any], where: str,
              default: object) -> dict[str, Any]:
    """One field's attrs metadata from its entry (``field_metadata`` lists the keys)."""
    for key in entry:
        if key not in _ENTRY_KEYS:
            raise _disagree(f"{where}.{key}: not a key of a field's entry (one of "
                            f"{', '.join(_ENTRY_KEYS)})" + did_you_mean(key, _ENTRY_KEYS))
    if "description" not in entry:
        raise _disagree(f"{where}: no description")
    if ("plausible" in entry) != ("range" in entry):
        raise _disagree(f"{where}: range and plausible (what the range bounds) go together")
    description: str = entry["description"]
    if "{default}" in description:
        if default is NOTHING or default is None:
            raise _disagree(f"{where}: {{default}} in the description of a field whose class "
                            "gives it no default")
        description = description.replace("{default}", str(default))
    meta: dict[str, Any] = {"description": description}
    if "unit" in entry:
        meta["unit"] = entry["unit"]
    if "range" in entry:
        bound = ranges.get(entry["range"])
        if bound is None:
            raise _disagree(f"{where}.range: no [range.{entry['range']}]"
                            + did_you_mean(entry["range"], ranges))
        meta["maximum"] = bound["maximum"]
        if "minimum" in bound:
            meta["minimum"] = bound["minimum"]
        meta["why"] = bound["why"]
        meta["plausible"] = entry["plausible"]
        if bound.get("exact"):
            meta["exact"] = True
    if "catalog" in entry:
        meta["catalog"] = entry["catalog"]
    return meta


_Validator = Callable[[Any, "Attribute[Any]", Any], None]


def _validator(check: Callable[[object], object], *, optional: bool = False) -> _Validator:
    """An attrs validator running one of the checks above, then the field's plausibility range."""

    def validate(_instance: Any, attribute: Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        try:
            check(value)
            check_range(value, attribute.metadata)
        except (TypeError, ValueError) as error:
            _blame(error, attribute)
            raise

    return validate


_TYPE_VALIDATORS: dict[object, _Validator] = {
    written: _validator(check, optional=written.endswith(" | None"))
    for name, check in (("Count", check_count), ("Tally", check_tally),
                        ("Positive", check_positive), ("NonNegative", check_non_negative))
    for written in (name, f"{name} | None")
}
"""The validator of a number field, by its type as the class writes it (the spec modules keep
annotations as text): its type's check, then its range."""


def documented(cls: type, fields: list[Attribute[Any]]) -> list[Attribute[Any]]:
    """The field transformer of every spec class (``@frozen(field_transformer=documented)``):
    each field takes its documentation and range from spec/fields.toml as its metadata, and a
    number field (``Count``, ``Positive | None`` ...) without a validator of its own the one its
    type calls for, which checks the type and the range. The class says only a field's type and
    default."""
    written = [f.name for f in fields if f.metadata]
    if written:
        raise _disagree(f"{cls.__name__}.{written[0]}: metadata in the class; a field's "
                        f"documentation and range belong in {FIELDS_FILE}")
    docs = field_metadata(cls.__name__, {f.name: f.default for f in fields},
                          _shipped("fields.toml"))
    for f in fields:
        # Made by attrs for this class alone (an inherited field, the part tables' part, name
        # and price, arrives as this class's own copy): set in place, as ``evolve`` sets its
        # copy (a copy of each field was a sixth of the time importing the spec classes took).
        object.__setattr__(f, "metadata", MappingProxyType(docs[f.name]))
        object.__setattr__(f, "validator", f.validator or _TYPE_VALIDATORS.get(f.type))
    return fields


def _within_total_params(_instance: Any, attribute: Attribute[Any], value: Any) -> None:
    """A part of a model's parameters (active, routed experts) is never more than its total: a
    model whose 37 B active parameters are given as 700 B against 671 B is a typo, not a model."""
    _TYPE_VALIDATORS["Positive | None"](_instance, attribute, value)
    total = getattr(_instance, "params_b", None)
    if value is None or total is None or value <= total:
        return
    error = ValueError(f"expected at most params_b ({total:g} B params), got {value:g}; "
                       f"a part of the model cannot hold more parameters than the whole")
    _blame(error, attribute)
    raise error


def _blame(error: Exception, attribute: Attribute[Any]) -> None:
    """Note the field on the error the way cattrs notes its own, so the loader's finding names the
    key (``psu.capacity_w``) rather than only its table."""
    from cattrs.errors import AttributeValidationNote

    name = attribute.name
    error.add_note(AttributeValidationNote(f"Validating field {name!r}", name, attribute.type))


CHOICES: dict[object, tuple[tuple[str, ...], str]] = {
    ModuleKind: (MODULE_KINDS, "module kind"),
    Precision: (PRECISIONS, "precision"),
    KvPrecision: (KV_PRECISIONS, "KV-cache precision"),
    AttentionKind: (ATTENTION_KINDS, "attention kind"),
    Engine: (ENGINES, "inference engine"),
    NumaMode: (NUMA_MODES, "NUMA mode"),
    OffloadMode: (OFFLOAD_MODES, "offload mode"),
    KvLayout: (KV_LAYOUTS, "KV-cache layout"),
    GpuSplit: (GPU_SPLITS, "GPU split"),
    Device: (DEVICES, "device"),
    Redundancy: (PSU_REDUNDANCIES, "PSU redundancy"),
    CoolingKind: (COOLING_KINDS, "cooling kind"),
}
"""Closed-vocabulary string fields and the words they take."""

CANONICAL: dict[object, Callable[[str], str]] = {
    Socket: canonical_socket,
    Generation: canonical_generation,
    PlatformId: canonical_id,
}
"""Open string fields kept in one spelling: the loader stores the canonical form, so a message
never shows two spellings of one value ("socket SP5" against "socket sp5")."""


def check_canonical(value: object, spell: Callable[[str], str]) -> str:
    """Return value in its canonical spelling; raise if it is not a non-empty string."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    canonical = spell(value)
    if not canonical:
        raise ValueError("expected a non-empty string")
    return canonical
