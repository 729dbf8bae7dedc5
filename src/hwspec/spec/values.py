"""The values a spec holds: the types of its fields (a count, a positive number, a vocabulary
word), the checks that structure them, and each number's plausible range with the documentation
it carries (``_doc``). The spec classes in ``spec.model`` are built from these; the field-type
table (``spec.fields``) and the JSON Schema read them too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, NewType

from attrs import Attribute, frozen

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

CURRENCIES: tuple[str, ...] = (
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWG",
)
"""Every currency a price may be given in: the codes of ISO 4217's list one (the SIX
maintenance agency, https://www.six-group.com/en/products-services/financial-information/
data-standards.html) in use for money, without its fund, precious-metal and testing codes.
The one list: ``[build] currency``, a price list's ``currency`` and the JSON Schema read it."""

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


# --- field documentation and plausibility bounds --------------------------------------------------

CURRENCY = "currency"
"""The unit of every price: the spec's ``build.currency``."""


@frozen
class _Bound:
    """A plausibility range: the least and most a field accepts, and why no real part comes
    near either end."""

    maximum: int
    why: str
    exact: bool = False
    """A limit of the quantity itself (a share is at most 1), not a plausibility margin."""
    minimum: float | None = None
    """The least a number accepts, where its type's own floor (greater than 0, at least 0) would
    let a value through that no part has and that divides to infinity (1e-300 MT/s); None for
    whole numbers, whose floor (1, or 0) is already real."""


# Sanity bounds against absurd input (a typo, a unit slip, 1e30, 1e-300), not judgements of a
# build: each maximum sits at least four times above the largest real part (most by orders of
# magnitude), each minimum at least ten times below the smallest.
_PRICE = _Bound(10**12, "a trillion buys a data centre, even at 25,000 currency units a dollar",
                minimum=0.01)
_ENERGY_PRICE = _Bound(10**12, "a trillion buys a data centre, even at 25,000 currency units a "
                       "dollar; a kWh costs a few fils in Kuwait", minimum=0.000_1)
_WATTS = _Bound(100_000, "100 kW powers a whole rack; single parts draw or deliver a few kW",
                minimum=0.1)
_UNITS = _Bound(10_000, "a spec describes one machine; no machine takes ten thousand of one part")
_SOCKETS = _Bound(64, "the largest single systems have 32 sockets")
_SLOTS = _Bound(1_024, "the largest two-socket boards have 48 DIMM slots")
_CHANNELS = _Bound(64, "CPUs have at most 16 memory channels per socket")
_CONNECTORS = _Bound(64, "boards and PSUs have a handful of EPS connectors")
_FANS = _Bound(1_000, "a chassis carries a few dozen fans at most")
_PCIE_GEN = _Bound(5, "hwspec knows PCIe 1.0 to 5.0 links", exact=True)
_PCIE_LANES = _Bound(16, "a PCIe link has at most 16 lanes", exact=True)
_SLOT_POSITION = _Bound(64, "boards have 7 expansion-slot positions (ATX), the largest about 13")
_SLOT_WIDTH = _Bound(16, "the thickest cards cover 4 or 5 slot positions, the thinnest one",
                     minimum=0.1)
_MTS = _Bound(100_000, "DDR5 runs below 10,000 MT/s; SDRAM ran at 66", minimum=10)
_GHZ = _Bound(100, "CPU clocks stay below 10 GHz and above 0.1 GHz", minimum=0.01)
_CORES = _Bound(10_000, "the largest CPUs have a few hundred cores")
_THREADS = _Bound(100_000, "the largest CPUs run a few hundred hardware threads")
_CACHE = _Bound(100_000, "the largest L3 caches hold about 1,152 MiB, the smallest 1 MiB",
                minimum=0.01)
_MODULE_GIB = _Bound(4_096, "the largest modules and accelerators hold a few hundred GiB, the "
                     "smallest a fraction of one", minimum=0.01)
_KIT = _Bound(64, "memory kits hold 2 to 16 modules")
_RANKS = _Bound(64, "modules have at most 16 ranks, 3DS stacks included")
_GBS = _Bound(1_000_000, "the fastest HBM accelerators move about 8,000 GB/s, the slowest "
              "memory a few GB/s", minimum=0.01)
_TFLOPS = _Bound(1_000_000, "the fastest accelerators reach a few thousand FP16 tensor TFLOPS",
                 minimum=0.000_1)
_DRIVE_TB = _Bound(10_000, "the largest drives hold a few hundred TB, the smallest a few GB",
                   minimum=0.000_1)
_PARAMS = _Bound(1_000_000, "the largest published models have a few thousand billion "
                 "parameters; a model has at least one", minimum=1e-9)
_WEIGHT_BYTES = _Bound(10**16, "the largest models store a few terabytes of weights", minimum=1)
_LAYERS = _Bound(10_000, "published models have at most a few hundred layers")
_WIDTH = _Bound(1_000_000, "published models have hidden sizes of tens of thousands")
_HEADS = _Bound(10_000, "published models have at most a few hundred attention heads")
_HEAD_DIM = _Bound(65_536, "head, latent and rotary dimensions are a few hundred at most")
_EXPERTS = _Bound(10_000_000, "published mixture-of-experts designs reach about a million experts")
_TOKENS = _Bound(10**9, "the longest context windows hold about ten million tokens")
_BITS = _Bound(64, "no weight format stores more than 64 bits per weight, or under 1",
               minimum=0.1)
_BATCH = _Bound(1_000_000, "a serving machine decodes at most thousands of sequences together")
_RATE = _Bound(1_000_000, "the fastest single-sequence decoding runs a few thousand tokens/s",
               minimum=0.000_1)
_OVERHEAD_GIB = _Bound(2**20, "1 PiB is more memory than any one machine holds", minimum=0)
_SHARE = _Bound(1, "a share of the memory is at most all of it", exact=True, minimum=0.01)
_SYSTEM_GIB = _Bound(2**20, "1 PiB is more memory than any one machine holds", minimum=0.01)
_BUS_BITS = _Bound(65_536, "the widest unified-memory buses are 1,024 bits")
_SYSTEM_CORES = _Bound(100_000, "the largest SoCs have a few hundred CPU or GPU cores")
_FLOPS_PER_CYCLE = _Bound(1_000_000, "a core retires a few thousand operations per cycle at "
                          "most (AMX: 1,024 BF16)", minimum=0.1)
_RATIO = _Bound(100, "a part's short excursion is a few times its sustained power",
                minimum=0.1)
_SECONDS = _Bound(10**7, "ten million seconds is four months", minimum=0.001)


def _doc(
    description: str,
    unit: str | None = None,
    bound: _Bound | None = None,
    *,
    plausible: str | None = None,
    catalog: str | None = None,
) -> dict[str, Any]:
    """A field's attrs metadata: what it means to a builder, its unit and its plausibility bound.

    Keys: ``description`` (one sentence), ``unit`` (``"W"``, ``"GiB"``, ``"currency"`` ...),
    ``maximum`` and for fractional numbers ``minimum``, with ``why`` (the range and its reason)
    and ``plausible`` (what the range bounds, for the message), ``catalog`` (the catalog kind
    whose ids the field names). Only given keys
    appear.
    """
    meta: dict[str, Any] = {"description": description}
    if unit is not None:
        meta["unit"] = unit
    if bound is not None:
        meta["maximum"] = bound.maximum
        if bound.minimum is not None:
            meta["minimum"] = bound.minimum
        meta["why"] = bound.why
        meta["plausible"] = plausible
        if bound.exact:
            meta["exact"] = True
    if catalog is not None:
        meta["catalog"] = catalog
    return meta


_Validator = Callable[[Any, "Attribute[Any]", Any], None]


def _validator(check: Callable[[object], object], *, optional: bool = False) -> _Validator:
    """An attrs validator running one of the checks above, then the field's plausibility bound."""

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


def _within_total_params(_instance: Any, attribute: Attribute[Any], value: Any) -> None:
    """A part of a model's parameters (active, routed experts) is never more than its total: a
    model whose 37 B active parameters are given as 700 B against 671 B is a typo, not a model."""
    _opt_positive(_instance, attribute, value)
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


_count = _validator(check_count)
_opt_count = _validator(check_count, optional=True)
_opt_tally = _validator(check_tally, optional=True)
_opt_positive = _validator(check_positive, optional=True)
_opt_non_negative = _validator(check_non_negative, optional=True)



def _part_doc(kind: str) -> dict[str, Any]:
    return _doc(
        f"Catalog id of the {kind} (`hwspec parts {kind}` lists them); fields given beside it "
        "override the catalog's.",
        catalog=kind,
    )


def _name_doc(kind: str) -> dict[str, Any]:
    return _doc(f"What the {kind} is called; give it, with the fields you know, for a part the "
                "catalog lacks.")


_PRICE_DOC = _doc("What one unit costs.", CURRENCY, _PRICE, plausible="price per unit")


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
