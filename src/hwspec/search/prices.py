"""Price lists for ``hwspec plan``: a user's file, and the dated reference list hwspec ships.

A price list is TOML: ``currency``, an optional ``date`` and ``source``, and a ``[price]``
table of catalog part id to unit price. A price is a number, or a table that says where it
comes from::

    currency = "USD"
    date = "2026-06-30"          # the list's date: YYYY-MM-DD or YYYY-MM
    source = "public prices, each cited"

    [price]
    amd-epyc-9115 = 726          # a bare price, as before

    [price.nvidia-rtx-3090]
    price = 800
    condition = "used"           # new, used, refurbished or unstated
    source = "https://example.org/post"
    date = "2025-02-05"          # the source's date, where it gives one
    quote = "about $800 on eBay at time of writing"
    note = "what the source's product is in the catalog"

The shipped reference list (``reference_prices``) writes every price as such a table, each with
its source, its condition and the sentence that states it; ``plan`` uses it when the user gives
no list of their own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import attrs
import tomli
from attrs import frozen

from hwspec.errors import PlanError
from hwspec.findings import did_you_mean
from hwspec.spec.model import Cpu
from hwspec.spec.values import check_currency, check_range

MAX_PRICE_LIST_BYTES = 1 << 20
"""Price lists are read up to 1 MiB, as packs and catalogs are."""

PRICE_LIST_KEYS = ("currency", "date", "source", "price")
"""The keys of a price list's top level."""

PRICE_KEYS = ("price", "condition", "source", "date", "quote", "note")
"""The keys of one price written as a table (``[price.<part id>]``)."""

CONDITIONS = ("new", "used", "refurbished", "unstated")
"""What a price is for: a new part, a used one, a refurbished one, or one whose source does not
say (``unstated``)."""

REFERENCE_PACKAGE = "hwspec.catalog"
REFERENCE_PATH = ("prices", "reference.toml")
"""Where the shipped reference list lives in the package: ``hwspec/catalog/prices/``."""

T = TypeVar("T")

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _checked_price(value: object) -> float:
    """A unit price: 0 (a part already owned) or a spec's plausible price; a ValueError saying
    what was expected otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and value >= 0):
        raise ValueError(f"expected a price of 0 or more, got {value!r}")
    if value != 0:  # 0 is a part already owned; any other price is a spec's price
        try:
            check_range(value, attrs.fields(Cpu).price.metadata)
        except ValueError as error:
            raise ValueError(f"{error}; 0 stands for a part already owned") from None
    return float(value)


def _iso_text(value: object) -> object:
    """A ``datetime.date`` (as TOML reads a date) as its ISO text; any other value as given."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _checked_date(value: object) -> str | None:
    """A date as ``YYYY-MM-DD`` or ``YYYY-MM`` (a ``datetime.date`` is taken too, as its ISO
    text), checked to be a real one; None where none is given; a ValueError otherwise."""
    value = _iso_text(value)
    if value is None:
        return None
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        year, month, day = (int(g) for g in match.groups(default="1"))
        try:
            dt.date(year, month, day)
        except ValueError:
            match = None
    if match is None:
        raise ValueError(f"expected a date as YYYY-MM-DD or YYYY-MM, got {value!r}")
    return str(value)


def _checked_text(value: object) -> str | None:
    """Text, or None where none is given."""
    if value is not None and not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _checked_condition(value: object) -> str | None:
    """One of ``CONDITIONS`` (with a did-you-mean), or None where none is given."""
    if value is not None and value not in CONDITIONS:
        raise ValueError(f"expected one of {', '.join(CONDITIONS)}, got {value!r}"
                         + did_you_mean(str(value), CONDITIONS))
    return None if value is None else str(value)


def _checked_url(value: object) -> str | None:
    """The address of a public page, or None where none is given."""
    url = _checked_text(value)
    if url is not None and not url.startswith(("https://", "http://")):
        raise ValueError("expected the URL of a public page (http:// or https://), got "
                         f"{url!r}")
    return url


_Check = Callable[[object], object]


def _at(where: str, check: Callable[[object], T], value: object,
        error: type[Exception] = PlanError) -> T:
    """``check(value)``; its refusal (a ValueError, or a TypeError for a value of another kind)
    raised again as ``error``, ``where`` (a field, a part, a file's key path) put before what it
    says."""
    try:
        return check(value)
    except (TypeError, ValueError) as refused:
        raise error(f"{where}: {refused}") from None


def _validator(check: _Check) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator running ``check`` on a field: a ``PlanError`` naming the field, so a
    price list built in Python is refused in the words a price list file is."""

    def validate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        _at(attribute.name, check, value)

    return validate


def _by_part(check: _Check, what: str) -> _Check:
    """The check of a mapping of catalog part id to ``what``: ``check`` on each value, a
    refusal naming the part."""

    def check_each(mapping: object) -> None:
        if not isinstance(mapping, Mapping):
            raise ValueError(f"expected a mapping of catalog part id to {what}, got "
                             f"{type(mapping).__name__}")
        for part_id, value in mapping.items():
            if not isinstance(part_id, str):
                raise ValueError(f"expected catalog part ids as strings, got {part_id!r}")
            _at(part_id, check, value, ValueError)

    return check_each


def _is_price_source(value: object) -> None:
    """A ``PriceSource``, as a list's ``sources`` holds them."""
    if not isinstance(value, PriceSource):
        raise ValueError(f"expected a PriceSource, got {value!r}")


@frozen
class PriceSource:
    """Where one price comes from: the condition it is for, the page that states it, the page's
    date and the sentence it is stated in, each as the price list gives them. Each is checked
    as a price list file's is (a ``PlanError`` naming the field)."""

    condition: str | None = attrs.field(default=None, validator=_validator(_checked_condition))
    """``new``, ``used``, ``refurbished`` or ``unstated``; None where the list does not say."""
    url: str | None = attrs.field(default=None, validator=_validator(_checked_url))
    """The public page (http:// or https://): a price table's ``source``."""
    date: str | None = attrs.field(default=None, converter=_iso_text,
                                   validator=_validator(_checked_date))
    """``YYYY-MM-DD`` or ``YYYY-MM``."""
    quote: str | None = attrs.field(default=None, validator=_validator(_checked_text))
    note: str | None = attrs.field(default=None, validator=_validator(_checked_text))


@frozen
class PriceList:
    """Unit prices by catalog part id, in one currency, from a user's TOML file, the
    reference list hwspec ships, or Python: a list built in Python is checked as a file's is
    (a ``PlanError`` naming the field and part: a negative, non-finite or implausible price, a
    currency that is no ISO 4217 code, a date that is none)."""

    currency: str = attrs.field(validator=_validator(check_currency))
    prices: Mapping[str, float] = attrs.field(
        validator=_validator(_by_part(_checked_price, "unit price")))
    date: str | None = attrs.field(default=None, converter=_iso_text,
                                   validator=_validator(_checked_date))
    """The list's date, ``YYYY-MM-DD`` or ``YYYY-MM``."""
    source: str | None = attrs.field(default=None, validator=_validator(_checked_text))
    sources: Mapping[str, PriceSource] = attrs.field(
        factory=dict, validator=_validator(_by_part(_is_price_source, "PriceSource")))
    """Where each price comes from, for the prices the list writes as tables."""


def load_prices(path: Path) -> PriceList:
    """Read a price list: ``currency``, optional ``date`` and ``source``, and a ``[price]``
    table of catalog part id to unit price (a number, or a table with its source). A problem
    is a ``PlanError`` naming file and key."""
    return prices_from_data(read_small_toml(path, "price list"), str(path))


def read_small_toml(path: Path, what: str) -> dict[str, Any]:
    """A small TOML file of the user's, read as every input is (a regular file, within a size
    limit, nesting bounded); a problem is a ``PlanError`` naming the file."""
    from hwspec.spec.load import parse_toml
    from hwspec.spec.read import read_regular_text

    try:
        return parse_toml(read_regular_text(path, MAX_PRICE_LIST_BYTES))
    except FileNotFoundError:
        raise PlanError(f"{path}: no such {what}") from None
    except (OSError, ValueError) as error:
        raise PlanError(f"{path}: cannot read the {what}: {error}") from None
    except tomli.TOMLDecodeError as error:
        raise PlanError(f"{path}: does not parse: {error}") from None


def prices_from_data(data: Mapping[str, Any], origin: str = "<prices>") -> PriceList:
    """A ``PriceList`` from parsed TOML, every key checked (the checks ``PriceList`` runs on a
    list built in Python, each problem named by the file's key path)."""
    for key in data:
        if key not in PRICE_LIST_KEYS:
            raise PlanError(f"{origin}: unknown key {key!r}; a price list has "
                            f"{', '.join(PRICE_LIST_KEYS)}" + did_you_mean(key, PRICE_LIST_KEYS))
    currency = data.get("currency")
    if currency is None:
        raise PlanError(f"{origin}: currency: expected an ISO 4217 code such as \"USD\"; the "
                        "price list gives none")
    currency = _at(f"{origin}: currency", check_currency, currency)
    source = _at(f"{origin}: source", _checked_text, data.get("source"))
    date = _at(f"{origin}: date", _checked_date, data.get("date"))
    table = data.get("price", {})
    if not isinstance(table, dict):
        raise PlanError(f"{origin}: price: expected a table of part id = unit price")
    prices: dict[str, float] = {}
    sources: dict[str, PriceSource] = {}
    for part_id, value in table.items():
        where = f"{origin}: price.{part_id}"
        if isinstance(value, dict):
            sources[part_id] = _price_source(value, where)
            value = value.get("price")
            where += ".price"
            if value is None:
                raise PlanError(f"{where}: expected the unit price; the table gives none")
        prices[part_id] = _at(where, _checked_price, value)
    return PriceList(currency, prices, date, source, sources)


def _price_source(table: Mapping[str, Any], where: str) -> PriceSource:
    """The source fields of a price written as a table, each checked."""
    for key in table:
        if key not in PRICE_KEYS:
            raise PlanError(f"{where}: unknown key {key!r}; a price table has "
                            f"{', '.join(PRICE_KEYS)}" + did_you_mean(key, PRICE_KEYS))
    condition = _at(f"{where}.condition", _checked_condition, table.get("condition"))
    quote, note = (_at(f"{where}.{key}", _checked_text, table.get(key))
                   for key in ("quote", "note"))
    url = _at(f"{where}.source", _checked_url, table.get("source"))
    return PriceSource(condition, url, _at(f"{where}.date", _checked_date, table.get("date")),
                       quote, note)


@cache
def reference_prices() -> PriceList:
    """The dated reference price list hwspec ships (``hwspec/catalog/prices/reference.toml``):
    public prices of the catalog parts people buy, each with its source and condition. Read
    once per process, through the package's data."""
    from importlib import resources

    origin = "/".join(("hwspec", "catalog", *REFERENCE_PATH))
    text = resources.files(REFERENCE_PACKAGE).joinpath(*REFERENCE_PATH).read_text(
        encoding="utf-8")
    return prices_from_data(tomli.loads(text), origin)
