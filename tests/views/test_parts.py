"""`hwspec parts KIND`: the columns that decide a choice, sorted on any field of the kind."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import invoke

from hwspec.catalog import Catalog, CatalogEntry, builtin_catalog
from hwspec.cli import EXIT_OK, EXIT_USAGE
from hwspec.spec.kinds import KIND_BY_NAME
from hwspec.views.parts import SortFieldError, parts_table, sorted_entries


def _gpu(part_id: str, **fields: object) -> CatalogEntry:
    return CatalogEntry("gpu", part_id, fields, "https://example.com/" + part_id)


def test_gpu_listing_has_a_header_of_the_registry_columns() -> None:
    """The header of `parts gpu` is id, the gpu kind's registry columns, then name."""
    header = invoke(["parts", "gpu"]).stdout.splitlines()[0].split()

    assert header == ["id", *KIND_BY_NAME["gpu"].columns, "name"]


def test_gpu_columns_decide_a_choice() -> None:
    """A GPU row shows its VRAM, bandwidth, power and FP16 rate."""
    assert {"vram_gib", "bandwidth_gbs", "tdp_w", "fp16_tensor_tflops"} <= set(
        KIND_BY_NAME["gpu"].columns)


def test_cpu_columns_decide_a_choice() -> None:
    """A CPU row shows its platform, cores, memory channels and TDP."""
    assert {"platform", "cores", "memory_channels", "tdp_w"} <= set(KIND_BY_NAME["cpu"].columns)


def test_rtx_3090_row_shows_its_figures() -> None:
    """The RTX 3090's row reads 24 GiB, 936 GB/s and 350 W."""
    rows = invoke(["parts", "gpu", "--search", "rtx-3090"]).stdout.splitlines()[1:]
    row = next(r.split() for r in rows if r.startswith("nvidia-rtx-3090 "))

    assert row[:4] == ["nvidia-rtx-3090", "24", "936", "350"]


def test_sort_is_numeric() -> None:
    """--sort vram_gib orders 8 before 24 before 192, as numbers and not as text."""
    table = parts_table(Catalog([_gpu("a", vram_gib=192), _gpu("b", vram_gib=8),
                                 _gpu("c", vram_gib=24)]), "gpu", sort="vram_gib")

    assert [e.id for e in table.entries] == ["b", "c", "a"]


def test_unknowns_sort_last_both_ways() -> None:
    """An entry without the field comes after every entry with it, reversed or not."""
    entries = [_gpu("a"), _gpu("b", tdp_w=300), _gpu("c", tdp_w=150)]

    assert ([e.id for e in sorted_entries(entries, "gpu", "tdp_w")],
            [e.id for e in sorted_entries(entries, "gpu", "tdp_w", reverse=True)]) == (
        ["c", "b", "a"], ["b", "c", "a"])


@given(st.lists(st.one_of(st.none(), st.integers(1, 1000)), max_size=8), st.booleans())
def test_sort_keeps_every_entry_and_puts_unknowns_last(values: list[int | None],
                                                       reverse: bool) -> None:
    """Sorting is a permutation whose known values are ordered and whose unknowns trail."""
    entries = [_gpu(f"g{i}", **({} if v is None else {"vram_gib": v}))
               for i, v in enumerate(values)]
    out = [e.fields.get("vram_gib") for e in sorted_entries(entries, "gpu", "vram_gib", reverse)]
    known = [v for v in out if v is not None]

    assert (sorted(e.id for e in entries), out[len(known):], known) == (
        sorted(e.id for e in sorted_entries(entries, "gpu", "vram_gib", reverse)),
        [None] * (len(out) - len(known)), sorted(known, reverse=reverse))


def test_bad_sort_field_names_the_close_one() -> None:
    """--sort vram_gb is exit 2 with a did-you-mean for vram_gib."""
    result = invoke(["parts", "gpu", "--sort", "vram_gb"])

    assert (result.exit_code, "did you mean 'vram_gib'?" in result.stderr) == (EXIT_USAGE, True)


def test_sort_without_a_kind_is_refused() -> None:
    """--sort over every kind is a clear error: fields differ between kinds."""
    with pytest.raises(SortFieldError, match="--sort needs a KIND"):
        parts_table(builtin_catalog(), None, sort="tdp_w")


def test_json_follows_the_sort() -> None:
    """`parts gpu --sort vram_gib --reverse --format json` lists the largest VRAM first."""
    result = invoke(["parts", "gpu", "--sort", "vram_gib", "--reverse", "--format", "json"])
    vram = [row.get("vram_gib") for row in json.loads(result.stdout)]

    assert (result.exit_code, vram[0]) == (EXIT_OK, max(v for v in vram if v is not None))
