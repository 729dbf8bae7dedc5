"""``Catalog.entry``: the typed lookup that raises, naming what it could not find."""

from __future__ import annotations

import pytest

from hwspec.catalog import builtin_catalog


def test_entry_returns_the_part_get_returns() -> None:
    """For an id the catalog has, ``entry`` gives the same entry as ``get``."""
    catalog = builtin_catalog()

    assert catalog.entry("cpu", "amd-epyc-9655") is catalog.get("cpu", "amd-epyc-9655")


def test_entry_of_a_missing_id_names_kind_id_and_closest_ids() -> None:
    """A typo'd id is a KeyError that names the kind, the id and the closest real id."""
    with pytest.raises(KeyError) as raised:
        builtin_catalog().entry("cpu", "amd-epyc-9656")

    assert ("no cpu 'amd-epyc-9656'" in str(raised.value),
            "'amd-epyc-9655'" in str(raised.value)) == (True, True)


def test_entry_of_an_unknown_kind_says_there_is_none() -> None:
    """A kind the catalog does not hold raises rather than returning None."""
    with pytest.raises(KeyError, match="no cooler 'x' in the catalog"):
        builtin_catalog().entry("cooler", "x")
