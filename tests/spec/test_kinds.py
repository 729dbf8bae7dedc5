"""The registry of part kinds: every list of kinds is read from it, so a kind is a class, a row and
a data file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import attrs

from hwspec import catalog as _catalog
from hwspec.catalog import builtin_catalog
from hwspec.resolve import Build, power_parts, resolve
from hwspec.spec import model as _spec
from hwspec.spec.kinds import KIND_BY_NAME, PART_KINDS, TABLE_KINDS
from hwspec.spec.load import load_text
from hwspec.spec.model import Spec

DATA = Path(_catalog.__file__).parent / "data"


def _tables() -> dict[str, tuple[type, bool]]:
    """Spec's part tables as (class, whether an array of tables), from its type hints."""
    hints = get_type_hints(Spec, vars(_spec))
    out: dict[str, tuple[type, bool]] = {}
    for name, tp in hints.items():
        listed = get_origin(tp) is tuple
        inner = get_args(tp)[0] if get_args(tp) else tp
        if any(inner is kind.cls for kind in PART_KINDS):
            out[name] = (inner, listed)
    return out


def test_the_spec_tables_are_the_registry_rows() -> None:
    """Every part table of Spec is a table row with its class and list-ness, and no more."""
    rows = {kind.name: (kind.cls, kind.listed) for kind in TABLE_KINDS}

    assert rows == _tables()


def test_every_data_file_holds_the_kind_its_row_names() -> None:
    """Each shipped catalog file holds exactly the kind whose row names it."""
    found = {path.name: sorted(tomllib.loads(path.read_text(encoding="utf-8")))
             for path in sorted(DATA.glob("*.toml"))}
    named = {kind.file: [kind.name] for kind in PART_KINDS if kind.file is not None}

    assert named == found


def test_the_catalog_kinds_are_the_registry() -> None:
    """The catalog lists and accepts exactly the registry's kinds, in its order."""
    assert tuple(kind.name for kind in PART_KINDS) == _catalog.KINDS


def test_every_column_and_power_field_is_a_field_of_the_class() -> None:
    """A row names only fields its class has: its docs columns and its power fields."""
    wrong = [(kind.name, name) for kind in PART_KINDS
             for name in (*kind.columns, *kind.power)
             if name not in attrs.fields_dict(kind.cls)]

    assert wrong == []


def test_a_build_keeps_the_spec_tables_as_attributes() -> None:
    """A Build reads like the spec it resolves: build.cpu is the CPU filled in from the catalog,
    build.spec the spec as written, build.model the workload's model."""
    text = ('[build]\nname = "x"\n[cpu]\npart = "amd-epyc-9655"\ncount = 2\n'
            '[[memory]]\nname = "m"\ncount = 24\n[workload]\nmodel = "deepseek-r1"\n')
    spec = load_text(text).spec
    assert spec is not None
    build, findings = resolve(spec, builtin_catalog())

    assert (findings, isinstance(build, Build), build.spec is spec, build.cpu is not None
            and build.cpu.cores, len(build.memory), build.model is not None
            and build.model.name) == ((), True, True, 96, 1, "DeepSeek-R1")


def test_power_parts_follow_the_registry() -> None:
    """The parts whose power counts come in registry order: CPUs, list entries, single parts."""
    text = ('[build]\nname = "x"\n[board]\nname = "b"\n[cpu]\nname = "c"\n'
            '[[gpu]]\nname = "g"\n[[memory]]\nname = "m"\n[cooling]\nname = "f"\n'
            '[psu]\nname = "p"\n')
    spec = load_text(text).spec
    assert spec is not None
    build: Any = resolve(spec, builtin_catalog())[0]

    assert [
        path for path, _, _ in power_parts(build)] == ["cpu", "memory[0]", "gpu[0]", "board", "cooling"]


def test_power_classes_stand_in_only_for_kinds_that_allow_it() -> None:
    """Every shipped [[power]] class names a kind whose row takes class figures."""
    parts = {str(e.fields["part"]) for e in builtin_catalog().entries("power")}

    assert {p for p in parts if not KIND_BY_NAME[p].power_class} == set()


def test_an_unknown_catalog_kind_names_the_registry_kinds() -> None:
    """A catalog file's table of no known kind is refused with the kinds and a did-you-mean."""
    import pytest

    from hwspec.catalog import entries_from_toml
    from hwspec.errors import CatalogError

    with pytest.raises(CatalogError) as raised:
        entries_from_toml('[[gpus]]\nid = "g"\nsource = "https://example.com"\n', "team.toml")

    assert str(raised.value) == (
        "team.toml: unknown kind [[gpus]]; expected one of "
        f"{', '.join(k.name for k in PART_KINDS)}; did you mean 'gpu'?")
