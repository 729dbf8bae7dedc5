"""A currency is an ISO 4217 code wherever a spec or price list gives one."""

from __future__ import annotations

import pytest

from hwspec.checker import Checker
from hwspec.spec.values import CURRENCIES, check_currency

SPEC = '[build]\nname = "b"\ncurrency = {currency}\n[cpu]\npart = "amd-epyc-9655"\n'


def _currency_findings(currency: str) -> list[tuple[str, str, str]]:
    report = Checker().check_text(SPEC.format(currency=currency), path="b.toml")
    return [(f.rule, f.path, f.message) for f in report.findings if f.path == "build.currency"]


def test_every_listed_currency_is_three_upper_case_letters_once() -> None:
    """The one list holds each code once, each three upper-case ASCII letters, sorted."""
    assert [c for c in CURRENCIES if len(c) != 3 or not c.isascii() or not c.isupper()] == []
    assert list(CURRENCIES) == sorted(set(CURRENCIES))


def test_a_currency_symbol_is_refused_at_its_key_with_the_code_it_stands_for() -> None:
    """`currency = "$"` (which used to pass) is SPEC002 at build.currency, suggesting USD."""
    assert _currency_findings('"$"') == [
        ("SPEC002", "build.currency", "expected an ISO 4217 code (three upper-case letters such "
                                      "as USD, EUR or CNY), got '$'; did you mean 'USD'?")]


def test_a_code_in_lower_case_is_refused_with_its_upper_case_spelling() -> None:
    """`currency = "eur"` suggests 'EUR': the code is written in capitals."""
    assert [message.rsplit("; ", 1)[-1] for _, _, message in _currency_findings('"eur"')] == [
        "did you mean 'EUR'?"]


def test_a_listed_code_passes() -> None:
    """CNY, EUR and USD load with no finding at the key."""
    assert [_currency_findings(f'"{code}"') for code in ("CNY", "EUR", "USD")] == [[], [], []]


@pytest.mark.parametrize("value", ["dollars", "ABC", "US", ""])
def test_what_is_no_code_is_refused(value: str) -> None:
    """A word, an unassigned code, two letters and nothing are each refused."""
    with pytest.raises(ValueError, match="expected an ISO 4217 code"):
        check_currency(value)
