"""The catalog's kept lookups (platforms, the lowest 2DPC board speed, power classes by part
kind) answer as a fresh catalog would after ``Catalog.add``."""

from __future__ import annotations

from hwspec.catalog import Catalog, CatalogEntry, builtin_catalog


def _copy() -> Catalog:
    return Catalog(builtin_catalog().entries())


def test_an_added_board_lowers_the_kept_2dpc_speed() -> None:
    """A board added after the lowest 2DPC speed was looked up is in the next answer."""
    catalog = _copy()
    before = catalog.lowest_board_mts_2dpc("sp5-turin")
    catalog.add(CatalogEntry("board", "acme-slow", {"platforms": ["sp5-turin"],
                                                    "max_mts_2dpc": 3000}, "https://acme"))

    assert (before is not None and before[0] > 3000,
            catalog.lowest_board_mts_2dpc("sp5-turin")) == (
        True, (3000.0, catalog.get("board", "acme-slow")))


def test_a_replaced_platform_is_read_anew() -> None:
    """A platform entry replaced after it was looked up reads as the new entry."""
    catalog = _copy()
    before = catalog.platform("sp5-turin")
    entry = catalog.get("platform", "sp5-turin")
    assert before is not None
    assert entry is not None
    catalog.add(CatalogEntry("platform", "sp5-turin", {**entry.fields, "channels_per_socket": 8},
                             entry.source))

    after = catalog.platform("sp5-turin")
    assert (before.channels_per_socket, after is not None and after.channels_per_socket) == (
        12, 8)


def test_power_classes_are_the_classes_of_that_part_kind() -> None:
    """The power classes of a kind are every ``[[power]]`` entry whose ``part`` is that kind,
    added ones included."""
    catalog = _copy()
    catalog.power_classes("memory")
    catalog.add(CatalogEntry("power", "acme-memory", {"part": "memory", "power_w": 9},
                             "https://acme"))

    assert [e.id for e in catalog.power_classes("memory")] == [
        e.id for e in catalog.entries("power") if e.fields.get("part") == "memory"]
    assert "acme-memory" in [e.id for e in catalog.power_classes("memory")]
