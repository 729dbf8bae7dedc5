"""spec/fields.toml and the spec classes agree: every field is documented there once, and a key
there that no class has stops the import with the file, the key and a did-you-mean."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any, get_type_hints

import attrs
import pytest

from hwspec.errors import FieldDocError
from hwspec.spec import values
from hwspec.spec.entries import PlatformEntry, PowerEntry
from hwspec.spec.kinds import PART_KINDS
from hwspec.spec.model import SPEC_CLASSES, Cpu
from hwspec.spec.values import NonNegative, Positive, field_metadata

SPEC_FOLDER = Path(values.__file__).parent
DOCUMENTED = (*SPEC_CLASSES, PlatformEntry, PowerEntry)
NUMBERS = {values.Count, values.Tally, Positive, NonNegative}


@pytest.fixture
def data() -> dict[str, Any]:
    """spec/fields.toml as parsed, a copy each test may change."""
    return tomllib.loads((SPEC_FOLDER / "fields.toml").read_text(encoding="utf-8"))


def _defaults(cls: type) -> dict[str, object]:
    return {a.name: a.default for a in attrs.fields(cls)}


def _cpu_error(data: dict[str, Any]) -> str:
    with pytest.raises(FieldDocError) as raised:
        field_metadata("Cpu", _defaults(Cpu), data)
    return str(raised.value)


def test_every_table_of_the_file_is_a_spec_class(data: dict[str, Any]) -> None:
    """The file documents the spec classes and nothing else: no table for a class that is gone
    or misspelt, and every part table it names is one of them."""
    names = {cls.__name__ for cls in DOCUMENTED}

    assert (set(data["field"]), set(data["part_table"]) - names) == (names, set())


def test_every_field_is_documented_from_the_file(data: dict[str, Any]) -> None:
    """Each class's fields carry exactly the metadata the file gives them."""
    differ = [f"{cls.__name__}.{a.name}" for cls in DOCUMENTED
              for a, meta in zip(attrs.fields(cls), field_metadata(
                  cls.__name__, _defaults(cls), data).values(), strict=True)
              if dict(a.metadata) != meta]

    assert differ == []


def test_part_tables_name_the_kinds_of_the_kind_registry(data: dict[str, Any]) -> None:
    """A part table's catalog kind in the file is its row's name in ``PART_KINDS``."""
    kinds = {kind.cls.__name__: kind.name for kind in PART_KINDS}

    assert {name: words["kind"] for name, words in data["part_table"].items()} == {
        name: kinds[name] for name in data["part_table"]}


def test_every_range_bounds_some_field(data: dict[str, Any]) -> None:
    """No range is left that no field uses."""
    used = {entry.get("range") for table in (data["field"].values(), [data["part_field"]])
            for fields in table for entry in fields.values()}

    assert set(data["range"]) - used == set()


def test_every_number_field_checks_its_type_and_range() -> None:
    """A field of a number type has a validator (its type's, or its own), however its
    annotation is written."""
    unchecked = [f"{cls.__name__}.{a.name}" for cls in DOCUMENTED
                 for a in attrs.fields(cls)
                 if a.validator is None and NUMBERS & {hint := get_type_hints(cls)[a.name],
                                                      *getattr(hint, "__args__", ())}]

    assert unchecked == []


def test_a_misspelt_field_is_named_with_the_file_and_a_suggestion(
        data: dict[str, Any]) -> None:
    """``tdp_ww`` for ``tdp_w`` names the file, the key and the field it is near."""
    data["field"]["Cpu"]["tdp_ww"] = data["field"]["Cpu"]["tdp_w"]

    assert _cpu_error(data) == ("hwspec/spec/fields.toml: field.Cpu.tdp_ww: Cpu has no field "
                                "'tdp_ww'; did you mean 'tdp_w'?")


def test_a_field_left_out_is_named(data: dict[str, Any]) -> None:
    """A field of the class with no entry is named with its class."""
    del data["field"]["Cpu"]["tdp_w"]

    assert _cpu_error(data) == "hwspec/spec/fields.toml: field.Cpu: tdp_w of Cpu not documented"


def test_a_misspelt_entry_key_is_named_with_a_suggestion(data: dict[str, Any]) -> None:
    """``unti`` for ``unit`` in a field's entry names the entry's keys and the one it is near."""
    data["field"]["Cpu"]["tdp_w"]["unti"] = data["field"]["Cpu"]["tdp_w"].pop("unit")

    assert _cpu_error(data) == (
        "hwspec/spec/fields.toml: field.Cpu.tdp_w.unti: not a key of a field's entry (one of "
        "description, unit, range, plausible, catalog); did you mean 'unit'?")


def test_an_unknown_range_is_named_with_a_suggestion(data: dict[str, Any]) -> None:
    """A range name no ``[range.*]`` table has is named with the one it is near."""
    data["field"]["Cpu"]["tdp_w"]["range"] = "wats"

    assert _cpu_error(data) == ("hwspec/spec/fields.toml: field.Cpu.tdp_w.range: no "
                                "[range.wats]; did you mean 'watts'?")


def test_a_shared_part_field_documented_again_is_refused(data: dict[str, Any]) -> None:
    """A part table's price has one entry, ``[part_field.price]``; a second is refused."""
    data["field"]["Cpu"]["price"] = copy.deepcopy(data["part_field"]["price"])

    assert _cpu_error(data) == ("hwspec/spec/fields.toml: field.Cpu.price: documented twice: a "
                                "part table's price is [part_field.price]")


def test_a_class_missing_from_the_file_is_named_with_a_suggestion(
        data: dict[str, Any]) -> None:
    """A class whose table is misspelt in the file is named, with the table it is near."""
    data["field"]["Cpuu"] = data["field"].pop("Cpu")

    assert _cpu_error(data) == ("hwspec/spec/fields.toml: no [field.Cpu] table documents the "
                                "fields of Cpu; did you mean 'Cpuu'?")


def test_a_default_in_a_description_is_the_classs(data: dict[str, Any]) -> None:
    """``{default}`` reads as the default the class gives the field, stated only there."""
    assert field_metadata("Cpu", {**_defaults(Cpu), "count": 3}, data)["count"]["description"] == (
        "How many processors are fitted (default 3).")


def test_a_default_in_the_description_of_a_field_without_one_is_refused(
        data: dict[str, Any]) -> None:
    """A field the class gives no default cannot say ``{default}``."""
    data["field"]["Cpu"]["cores"]["description"] = "Cores (default {default})."

    assert _cpu_error(data) == ("hwspec/spec/fields.toml: field.Cpu.cores: {default} in the "
                                "description of a field whose class gives it no default")


def test_the_currency_list_names_its_source() -> None:
    """spec/currencies.toml cites the ISO 4217 maintenance agency it was read from."""
    data = tomllib.loads((SPEC_FOLDER / "currencies.toml").read_text(encoding="utf-8"))

    assert data["source"] == ("https://www.six-group.com/en/products-services/"
                              "financial-information/data-standards.html")
