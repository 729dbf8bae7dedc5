"""Integrity of the built-in catalog: unique ids, sources, structure, references and ranges."""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from importlib import resources
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import hwspec
from hwspec.catalog import CatalogEntry, builtin_catalog
from hwspec.spec.kinds import KIND_BY_NAME, TABLE_KINDS
from hwspec.spec.load import converter
from hwspec.spec.model import ModelArch

CATALOG = builtin_catalog()
CLASSES: dict[str, type] = {**{k.name: k.cls for k in TABLE_KINDS}, "model": ModelArch}
ENTRIES = list(CATALOG.entries())


def _raw_entries() -> list[tuple[str, str, dict[str, Any]]]:
    """Every entry of every data file as (file name, kind, table), read straight from the TOML."""
    data = resources.files("hwspec.catalog") / "data"
    out = []
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            for kind, tables in tomllib.loads(item.read_text(encoding="utf-8")).items():
                out.extend((item.name, kind, table) for table in tables)
    return out


RAW = _raw_entries()


def _ids(entries: list[CatalogEntry]) -> list[str]:
    return [f"{e.kind}:{e.id}" for e in entries]


def _of(kind: str) -> list[CatalogEntry]:
    return list(CATALOG.entries(kind))


def _with(kind: str, name: str) -> list[CatalogEntry]:
    return [e for e in CATALOG.entries(kind) if name in e.fields]


def test_ids_unique_per_kind() -> None:
    """No id appears twice within one kind across all catalog files."""
    counts = Counter((kind, table["id"]) for _, kind, table in RAW)
    assert [key for key, n in counts.items() if n > 1] == []


def test_catalog_replaces_nothing() -> None:
    """Loading the built-in catalog overrides no entry."""
    assert CATALOG.overridden == []


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_entry_source_is_url(entry: CatalogEntry) -> None:
    """Every entry's source is an http(s) URL."""
    assert True is entry.source.startswith(("https://", "http://"))


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_field_sources_are_urls(entry: CatalogEntry) -> None:
    """Every per-field source is an http(s) URL."""
    bad = {k: v for k, v in entry.sources.items() if not v.startswith(("https://", "http://"))}
    assert bad == {}


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_field_sources_name_fields(entry: CatalogEntry) -> None:
    """Every key of ``sources`` names a field the entry has."""
    assert set() == set(entry.sources) - set(entry.fields)


PARTS = [e for e in ENTRIES if e.kind in CLASSES]


@pytest.mark.parametrize("entry", PARTS, ids=_ids(PARTS))
def test_part_structures(entry: CatalogEntry) -> None:
    """Every part or model entry structures into the class of its kind."""
    cls = CLASSES[entry.kind]
    assert cls is type(converter().structure(dict(entry.fields), cls))


PLATFORMS = _of("platform")


@pytest.mark.parametrize("entry", PLATFORMS, ids=_ids(PLATFORMS))
def test_platform_structures(entry: CatalogEntry) -> None:
    """Every platform entry builds a Platform with its id."""
    platform = CATALOG.platform(entry.id)
    assert entry.id == (platform.id if platform else None)


CPUS = _of("cpu")
BOARDS = _of("board")


@pytest.mark.parametrize("entry", CPUS, ids=_ids(CPUS))
def test_cpu_platform_exists(entry: CatalogEntry) -> None:
    """Every CPU names a platform that is in the catalog."""
    assert True is (CATALOG.get("platform", entry.fields["platform"]) is not None)


@pytest.mark.parametrize("entry", CPUS, ids=_ids(CPUS))
def test_cpu_socket_matches_platform(entry: CatalogEntry) -> None:
    """Every CPU's socket is its platform's socket."""
    platform = CATALOG.platform(entry.fields["platform"])
    assert entry.fields["socket"] == (platform.socket if platform else None)


@pytest.mark.parametrize("entry", BOARDS, ids=_ids(BOARDS))
def test_board_platforms_exist(entry: CatalogEntry) -> None:
    """Every platform a board lists is in the catalog."""
    missing = [p for p in entry.fields["platforms"] if CATALOG.get("platform", p) is None]
    assert missing == []


@pytest.mark.parametrize("entry", BOARDS, ids=_ids(BOARDS))
def test_board_socket_matches_platforms(entry: CatalogEntry) -> None:
    """Every platform a board lists has the board's socket."""
    sockets = {CATALOG.get("platform", p).fields["socket"] for p in entry.fields["platforms"]}
    assert {entry.fields["socket"]} == sockets


RANGES: list[tuple[str, str, float, float]] = [
    ("cpu", "tdp_w", 5, 1000),
    ("cpu", "cores", 1, 512),
    ("memory", "capacity_gib", 1, 1024),
    ("memory", "speed_mts", 1600, 12800),
    ("platform", "channels_per_socket", 1, 16),
    ("psu", "capacity_w", 200, 5000),
    ("gpu", "vram_gib", 1, 512),
    ("gpu", "bandwidth_gbs", 10, 20000),
    ("model", "params_b", 0.1, 5000),
]
RANGED = [(e, name, low, high) for kind, name, low, high in RANGES for e in _with(kind, name)]


@pytest.mark.parametrize(("entry", "name", "low", "high"), RANGED,
                         ids=[f"{e.kind}:{e.id}:{n}" for e, n, _, _ in RANGED])
def test_value_in_physical_range(entry: CatalogEntry, name: str, low: float, high: float) -> None:
    """A sized field lies within the physical range for its kind."""
    assert True is (low <= entry.fields[name] <= high)


ACTIVE = _with("model", "active_params_b")


@pytest.mark.parametrize("entry", ACTIVE, ids=_ids(ACTIVE))
def test_active_params_at_most_total(entry: CatalogEntry) -> None:
    """A model's active parameters never exceed its total parameters."""
    assert True is (entry.fields["active_params_b"] <= entry.fields["params_b"])


TWO_SPEEDS = [e for e in PLATFORMS + BOARDS
              if "max_mts_1dpc" in e.fields and "max_mts_2dpc" in e.fields]


@pytest.mark.parametrize("entry", TWO_SPEEDS, ids=_ids(TWO_SPEEDS))
def test_2dpc_not_faster_than_1dpc(entry: CatalogEntry) -> None:
    """A platform or board never runs 2DPC faster than 1DPC."""
    assert True is (entry.fields["max_mts_2dpc"] <= entry.fields["max_mts_1dpc"])


BOARD_SOCKETS = {b.fields["socket"] for b in BOARDS}
CPU_WITH_BOARD = [c.id for c in CPUS if c.fields["socket"] in BOARD_SOCKETS]
MEMORY_IDS = CATALOG.ids("memory")


@st.composite
def catalog_builds(draw: st.DrawFn) -> str:
    """A spec naming a catalog CPU, a board of its socket and a catalog memory part."""
    cpu = draw(st.sampled_from(CPU_WITH_BOARD))
    socket = CATALOG.get("cpu", cpu).fields["socket"]
    board = draw(st.sampled_from([b.id for b in BOARDS if b.fields["socket"] == socket]))
    data = {
        "build": {"name": f"{cpu} on {board}"},
        "board": {"part": board},
        "cpu": {"part": cpu, "count": 1},
        "memory": [{"part": draw(st.sampled_from(MEMORY_IDS)), "count": draw(st.integers(1, 24))}],
        "workload": {"model": "deepseek-r1", "precision": "fp8", "context_tokens": 4096},
    }
    return tomli_w.dumps(data)


@settings(max_examples=100, deadline=None)
@given(catalog_builds())
def test_catalog_builds_load(text: str) -> None:
    """Any catalog CPU, board of its socket and memory part make a spec with no SPEC finding."""
    report = hwspec.validate(hwspec.loads(text))
    assert [f.rule for f in report.findings if f.rule.startswith("SPEC")] == []


@pytest.mark.parametrize("entry", _of("model"), ids=lambda e: e.id)
def test_model_parts_within_the_whole(entry: CatalogEntry) -> None:
    """A model's active and routed-expert parameters never exceed its total."""
    fields = entry.fields
    total = fields.get("params_b", math.inf)

    assert fields.get("active_params_b", 0) <= total
    assert fields.get("expert_params_b", 0) < total


_SPELLED = [(e, name) for e in ENTRIES
            for name in ("socket", "generation", "memory_generation", "platform", "platforms")
            if name in e.fields]


@pytest.mark.parametrize(("entry", "name"), _SPELLED,
                         ids=[f"{e.kind}:{e.id}:{n}" for e, n in _SPELLED])
def test_spellings_are_canonical(entry: CatalogEntry, name: str) -> None:
    """The catalog writes sockets, generations and platform ids as the loader spells them, so a
    value read straight from an entry and one read from a spec compare equal."""
    from hwspec.spec.vocab import canonical_generation, canonical_id, canonical_socket

    spell = {"socket": canonical_socket, "generation": canonical_generation,
             "memory_generation": canonical_generation}.get(name, canonical_id)
    value = entry.fields[name]
    values = value if isinstance(value, list) else [value]
    assert [spell(v) for v in values] == values


POWER = _of("power")


@pytest.mark.parametrize("entry", POWER, ids=_ids(POWER))
def test_power_class_is_well_formed(entry: CatalogEntry) -> None:
    """Every built-in [[power]] class passes the checks a user's class gets: a part kind, a
    confidence, a figure, and match keys that name fields of that part."""
    from hwspec.catalog.user import entry_problem, power_entry_problem

    assert (entry_problem(entry), power_entry_problem(entry)) == (None, None)


_MATCHED = [(e, key, value) for e in POWER for key, wanted in e.fields.get("match", {}).items()
            if not key.endswith(("_min", "_max"))
            for value in (wanted if isinstance(wanted, list) else [wanted])]


@pytest.mark.parametrize(("entry", "key", "value"), _MATCHED,
                         ids=[f"{e.id}:{k}={v}" for e, k, v in _MATCHED])
def test_power_class_matches_values_a_part_can_have(entry: CatalogEntry, key: str,
                                                    value: object) -> None:
    """Each value a class matches on is one a spec part can hold as the loader spells it
    ("DDR5", "sp5"), so the class can match at all."""
    cls = KIND_BY_NAME[str(entry.fields["part"])].cls
    part = converter().structure({key: value}, cls)
    assert getattr(part, key) == value
