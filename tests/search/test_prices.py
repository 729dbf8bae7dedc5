"""Price lists: the shipped reference list is dated, cites a public page and a quoted line for
every price, and prices only catalog parts; a price written as a table is checked key by key."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from hwspec.catalog import builtin_catalog
from hwspec.errors import PlanError
from hwspec.search.plan import Target, plan
from hwspec.search.prices import (
    CONDITIONS,
    REFERENCE_PACKAGE,
    REFERENCE_PATH,
    PriceList,
    PriceSource,
    load_prices,
    prices_from_data,
    reference_prices,
)


def _reference_tables() -> dict[str, Any]:
    """The shipped list's ``[price]`` table, read straight from the TOML file."""
    text = resources.files(REFERENCE_PACKAGE).joinpath(*REFERENCE_PATH).read_text("utf-8")
    table: dict[str, Any] = tomllib.loads(text)["price"]
    return table


def _as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


def test_the_reference_list_loads_in_usd_with_its_date() -> None:
    """reference_prices() parses the shipped list: USD, a real date, some prices."""
    prices = reference_prices()

    assert (prices.currency, isinstance(_as_date(prices.date or ""), dt.date),
            len(prices.prices) > 10) == ("USD", True, True)


def test_every_reference_price_is_a_table_with_a_public_source_and_a_quoted_line() -> None:
    """Each price in the shipped file names an http(s) page, a condition and the line that
    states it."""
    lacking = [part for part, entry in _reference_tables().items()
               if not isinstance(entry, dict)
               or not re.match(r"https?://\S+$", entry.get("source", ""))
               or entry.get("condition") not in CONDITIONS
               or not entry.get("quote", "").strip()]

    assert lacking == []


def test_every_reference_id_is_a_catalog_part() -> None:
    """The shipped list prices only parts the built-in catalog has."""
    known = {entry.id for entry in builtin_catalog().entries()}

    assert sorted(set(reference_prices().prices) - known) == []


def test_no_reference_price_is_zero_or_negative() -> None:
    """A reference price is a price paid: never 0 (owned) or below."""
    assert [p for p, v in reference_prices().prices.items() if not v > 0] == []


def test_the_list_date_is_its_newest_source_date() -> None:
    """No source is dated after the list, and the newest source gives the list its date."""
    prices = reference_prices()
    dates = [_as_date(s.date) for s in prices.sources.values() if s.date]

    assert max(dates) == _as_date(prices.date or "")


@pytest.mark.parametrize("kind", ["board", "cpu", "memory", "psu", "gpu", "system"])
def test_the_reference_list_prices_every_kind_plan_buys(kind: str) -> None:
    """Boards, CPUs, memory, PSUs, GPUs and whole systems each have a priced part."""
    ids = {e.id for e in builtin_catalog().entries(kind)}

    assert sorted(ids & set(reference_prices().prices)) != []


def test_the_seed_question_has_a_server_answer_from_the_reference_list() -> None:
    """DeepSeek-R1 at 8 tokens/s finds a server build (board, CPUs, RDIMMs, PSU) from the
    reference prices alone."""
    answer = plan(Target(model="deepseek-r1", min_decode_tokens_per_s=8, top=1),
                  reference_prices())

    assert [{"board", "cpu", "memory", "psu"} <= set(c.spec) for c in answer.candidates] == [True]


def test_a_price_table_keeps_its_source() -> None:
    """A price written as a table gives its price, and its condition, page, date, quote and
    note as written."""
    data = {"currency": "USD", "price": {"nvidia-rtx-3090": {
        "price": 800, "condition": "used", "source": "https://example.org/p",
        "date": "2025-02-05", "quote": "about $800", "note": "n"}}}

    prices = prices_from_data(data)

    assert (prices.prices, prices.sources) == (
        {"nvidia-rtx-3090": 800.0},
        {"nvidia-rtx-3090": PriceSource("used", "https://example.org/p", "2025-02-05",
                                        "about $800", "n")})


def test_bare_prices_still_load_with_no_sources() -> None:
    """The original form, part id = number, loads as before."""
    prices = prices_from_data({"currency": "USD", "price": {"amd-epyc-9115": 726}})

    assert (prices.prices, prices.sources) == ({"amd-epyc-9115": 726.0}, {})


def test_a_toml_date_is_taken_as_written(tmp_path: Path) -> None:
    """date = 2026-07-26 (a TOML date, not a string) reads as '2026-07-26'."""
    path = tmp_path / "prices.toml"
    path.write_text('currency = "USD"\ndate = 2026-07-26\n[price]\n', encoding="utf-8")

    assert load_prices(path).date == "2026-07-26"


@pytest.mark.parametrize(("data", "message"), [
    ({"currency": "USD", "date": "July 2026"},
     "prices.toml: date: expected a date as YYYY-MM-DD or YYYY-MM, got 'July 2026'"),
    ({"currency": "USD", "date": "2026-02-30"},
     "prices.toml: date: expected a date as YYYY-MM-DD or YYYY-MM, got '2026-02-30'"),
    ({"currency": "USD", "price": {"a": {"price": 5, "condition": "uesd"}}},
     "prices.toml: price.a.condition: expected one of new, used, refurbished, unstated, got "
     "'uesd'; did you mean 'used'?"),
    ({"currency": "USD", "price": {"a": {"price": 5, "url": "https://x.org"}}},
     "prices.toml: price.a: unknown key 'url'; a price table has price, condition, source, "
     "date, quote, note"),
    ({"currency": "USD", "price": {"a": {"condition": "new"}}},
     "prices.toml: price.a.price: expected the unit price; the table gives none"),
    ({"currency": "USD", "price": {"a": {"price": -1}}},
     "prices.toml: price.a.price: expected a price of 0 or more, got -1"),
    ({"currency": "USD", "price": {"a": {"price": 5, "source": "a forum post"}}},
     "prices.toml: price.a.source: expected the URL of a public page (http:// or https://), "
     "got 'a forum post'"),
    ({"currency": "USD", "price": {"a": {"price": 5, "date": "2025-13"}}},
     "prices.toml: price.a.date: expected a date as YYYY-MM-DD or YYYY-MM, got '2025-13'"),
    ({"currency": "USD", "price": {"a": {"price": 5, "quote": 5}}},
     "prices.toml: price.a.quote: expected a string, got 5"),
])
def test_a_bad_price_table_is_named(data: dict[str, object], message: str) -> None:
    """Each problem in a dated or sourced price names its key and what was expected."""
    with pytest.raises(PlanError, match=re.escape(message)):
        prices_from_data(data, "prices.toml")


def test_the_reference_file_round_trips_through_a_user_file(tmp_path: Path) -> None:
    """The shipped list, copied to a user's file, loads to the same price list: a user can
    start from it and edit."""
    text = resources.files(REFERENCE_PACKAGE).joinpath(*REFERENCE_PATH).read_text("utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(tomli_w.dumps(tomllib.loads(text)), encoding="utf-8")

    assert load_prices(path) == reference_prices()


@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
                       st.floats(min_value=0.01, max_value=1e9, allow_nan=False),
                       max_size=5),
       st.sampled_from(CONDITIONS))
def test_writing_a_price_as_a_table_never_changes_the_price(
        bare: dict[str, float], condition: str) -> None:
    """A list whose prices are tables holds the same prices as the list of bare numbers."""
    tables = {part: {"price": value, "condition": condition,
                     "source": "https://example.org"} for part, value in bare.items()}

    assert prices_from_data({"currency": "USD", "price": tables}).prices == prices_from_data(
        {"currency": "USD", "price": bare}).prices


@pytest.mark.parametrize(("make", "message"), [
    (lambda: PriceList("USD", {"nvidia-dgx-spark": -5}),
     "prices: nvidia-dgx-spark: expected a price of 0 or more, got -5"),
    (lambda: PriceList("USD", {"nvidia-dgx-spark": float("nan")}),
     "prices: nvidia-dgx-spark: expected a price of 0 or more, got nan"),
    (lambda: PriceList("USD", {"nvidia-dgx-spark": "3999"}),
     "prices: nvidia-dgx-spark: expected a price of 0 or more, got '3999'"),
    (lambda: PriceList("USD", {"nvidia-dgx-spark": 0.001}),
     "prices: nvidia-dgx-spark: expected 0.01 to 1,000,000,000,000 (a plausible price per "
     "unit), got 0.001; 0 stands for a part already owned"),
    (lambda: PriceList("USD", [("nvidia-dgx-spark", 3999)]),
     "prices: expected a mapping of catalog part id to unit price, got list"),
    (lambda: PriceList("usd", {}),
     "currency: expected an ISO 4217 code (three upper-case letters such as USD, EUR or CNY), "
     "got 'usd'; did you mean 'USD'?"),
    (lambda: PriceList("USD", {}, date="yesterday"),
     "date: expected a date as YYYY-MM-DD or YYYY-MM, got 'yesterday'"),
    (lambda: PriceList("USD", {}, source=5),
     "source: expected a string, got 5"),
    (lambda: PriceList("USD", {}, sources={"a": "https://example.org"}),
     "sources: a: expected a PriceSource, got 'https://example.org'"),
    (lambda: PriceSource("uesd"),
     "condition: expected one of new, used, refurbished, unstated, got 'uesd'; did you mean "
     "'used'?"),
    (lambda: PriceSource(url="a forum post"),
     "url: expected the URL of a public page (http:// or https://), got 'a forum post'"),
    (lambda: PriceSource(date="2025-13"),
     "date: expected a date as YYYY-MM-DD or YYYY-MM, got '2025-13'"),
])
def test_a_price_list_built_in_python_is_checked_as_a_file_is(make: Any, message: str) -> None:
    """A price list made in Python (``hwspec.plan``'s argument) is refused with a PlanError
    naming the field, as a file's is: plan never ranks a build at a negative or NaN cost."""
    with pytest.raises(PlanError) as refused:
        make()

    assert str(refused.value) == message


_ANY_PRICE = st.one_of(st.floats(), st.integers(min_value=-10**13, max_value=10**13),
                       st.booleans(), st.text(max_size=5), st.none())


@given(_ANY_PRICE)
def test_a_price_is_refused_in_python_exactly_when_a_file_refuses_it(value: object) -> None:
    """The same check runs on both paths: a price a file may give is one Python may give."""

    def refused(make: Any) -> bool:
        try:
            make()
        except PlanError:
            return True
        return False

    from_file = refused(lambda: prices_from_data({"currency": "USD", "price": {"a": value}}))
    in_python = refused(lambda: PriceList("USD", {"a": value}))

    assert from_file == in_python


def test_a_date_given_in_python_is_kept_as_its_iso_text() -> None:
    """A ``datetime.date`` reads as a TOML date does: its ISO text, "2026-07-26"."""
    prices = PriceList("USD", {"amd-epyc-9115": 726}, date=dt.date(2026, 7, 26))

    assert (prices.date, prices.prices) == ("2026-07-26", {"amd-epyc-9115": 726})
