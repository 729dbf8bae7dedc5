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
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

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

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@frozen
class PriceSource:
    """Where one price comes from: the condition it is for, the page that states it, the page's
    date and the sentence it is stated in, each as the price list gives them."""

    condition: str | None = None
    """``new``, ``used``, ``refurbished`` or ``unstated``; None where the list does not say."""
    url: str | None = None
    date: str | None = None
    """``YYYY-MM-DD`` or ``YYYY-MM``."""
    quote: str | None = None
    note: str | None = None


@frozen
class PriceList:
    """Unit prices by catalog part id, in one currency, from a user's TOML file or the
    reference list hwspec ships."""

    currency: str
    prices: Mapping[str, float]
    date: str | None = None
    """The list's date, ``YYYY-MM-DD`` or ``YYYY-MM``."""
    source: str | None = None
    sources: Mapping[str, PriceSource] = attrs.field(factory=dict)
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
    """A ``PriceList`` from parsed TOML, every key checked."""
    for key in data:
        if key not in PRICE_LIST_KEYS:
            raise PlanError(f"{origin}: unknown key {key!r}; a price list has "
                            f"{', '.join(PRICE_LIST_KEYS)}" + did_you_mean(key, PRICE_LIST_KEYS))
    currency = data.get("currency")
    if currency is None:
        raise PlanError(f"{origin}: currency: expected an ISO 4217 code such as \"USD\"; the "
                        "price list gives none")
    try:
        currency = check_currency(currency)
    except (TypeError, ValueError) as error:
        raise PlanError(f"{origin}: currency: {error}") from None
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        raise PlanError(f"{origin}: source: expected a string, got {source!r}")
    date = _date(data.get("date"), f"{origin}: date")
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
        prices[part_id] = _price(value, where)
    return PriceList(currency.upper(), prices, date, source, sources)


def _price(value: object, where: str) -> float:
    """A unit price: 0 (a part already owned) or a spec's plausible price."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and value >= 0):
        raise PlanError(f"{where}: expected a price of 0 or more, got {value!r}")
    if value != 0:  # 0 is a part already owned; any other price is a spec's price
        try:
            check_range(value, attrs.fields(Cpu).price.metadata)
        except ValueError as error:
            raise PlanError(f"{where}: {error}; 0 stands for a part already owned") from None
    return float(value)


def _price_source(table: Mapping[str, Any], where: str) -> PriceSource:
    """The source fields of a price written as a table, each checked."""
    for key in table:
        if key not in PRICE_KEYS:
            raise PlanError(f"{where}: unknown key {key!r}; a price table has "
                            f"{', '.join(PRICE_KEYS)}" + did_you_mean(key, PRICE_KEYS))
    condition = table.get("condition")
    if condition is not None and condition not in CONDITIONS:
        raise PlanError(f"{where}.condition: expected one of {', '.join(CONDITIONS)}, got "
                        f"{condition!r}" + did_you_mean(str(condition), CONDITIONS))
    for key in ("quote", "note", "source"):
        if key in table and not isinstance(table[key], str):
            raise PlanError(f"{where}.{key}: expected a string, got {table[key]!r}")
    url = table.get("source")
    if url is not None and not url.startswith(("https://", "http://")):
        raise PlanError(f"{where}.source: expected the URL of a public page (http:// or "
                        f"https://), got {url!r}")
    return PriceSource(condition, url, _date(table.get("date"), f"{where}.date"),
                       table.get("quote"), table.get("note"))


def _date(value: object, where: str) -> str | None:
    """A date as ``YYYY-MM-DD`` or ``YYYY-MM`` (a TOML date is taken too), checked to be a real
    one; None where none is given."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        year, month, day = (int(g) for g in match.groups(default="1"))
        try:
            dt.date(year, month, day)
        except ValueError:
            match = None
    if match is None:
        raise PlanError(f"{where}: expected a date as YYYY-MM-DD or YYYY-MM, got {value!r}")
    return str(value)


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
