"""Each topic's facts are declared in the TOML file beside its module: every file holds only known
tables and keys, every formula it names is a function of ``hwspec.formulas``, and a mistake is
an error that names the file, the fact and the key, with a did-you-mean."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas, shipped
from hwspec.facts import TOPICS
from hwspec.facts.record import (
    FOLDER,
    DeclarationError,
    check_declarations,
    declarations,
)
from hwspec.tools import ship
from hwspec.tools.ship import shipped_source

FILES = sorted(FOLDER.glob("*.toml"))

ROW = {"name": "memory.example_gib", "unit": "GiB", "type": "number", "summary": "An example."}
"""A fact's table as a topic file holds it."""

KEYS = ("name", "unit", "type", "summary", "formula", "label", "digits", "display_unit",
        "caveat")


def _refusal(data: dict[str, Any], name: str = "memory.toml") -> str:
    """The message ``check_declarations`` refuses ``data`` with, as the file ``name``."""
    with pytest.raises(DeclarationError) as raised:
        check_declarations(data, Path("facts") / name)
    return str(raised.value)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_facts_file_holds_only_known_tables_and_keys(path: Path) -> None:
    """Every facts file as written passes the check the ship tool and an edited file get."""
    check_declarations(tomllib.loads(path.read_text(encoding="utf-8")), path)


def test_every_formula_a_facts_file_names_is_a_function_of_formulas() -> None:
    """Each ``formula`` resolves to a function defined in ``hwspec.formulas``."""
    named = {row["formula"] for path in FILES
             for rows in tomllib.loads(path.read_text(encoding="utf-8")).values()
             for row in rows if "formula" in row}

    assert {name for name in named
            if getattr(getattr(formulas, name, None), "__module__", None)
            != formulas.__name__} == set()


def test_each_topic_reads_the_file_beside_its_module() -> None:
    """The facts files are the topics' modules' and items.py's, one each, and a topic declares
    its own file's facts, in the file's order."""
    by_module = {topic.compute.__module__.rpartition(".")[2]: topic for topic in TOPICS}
    in_files = {p.stem: [row["name"] for row in tomllib.loads(p.read_text(encoding="utf-8"))
                         .get("fact", ())] for p in FILES}

    assert {module: [d.name for d in topic.facts] for module, topic in by_module.items()} == {
        stem: names for stem, names in in_files.items() if stem != "items"}


def test_a_misspelt_key_is_named_with_its_file_fact_and_a_suggestion() -> None:
    """A key ``lable`` is refused naming the file and the fact, suggesting ``label``."""
    assert _refusal({"fact": [{**ROW, "lable": "example"}]}) == (
        "facts/memory.toml: fact 'memory.example_gib': unknown key 'lable'; "
        "did you mean 'label'?")


def test_a_misspelt_caveat_key_is_named_with_a_suggestion() -> None:
    """A caveat key ``wen`` is refused, suggesting ``when``."""
    assert _refusal({"fact": [{**ROW, "caveat": {"wen": "a", "says": "b"}}]}) == (
        "facts/memory.toml: fact 'memory.example_gib': unknown key 'caveat.wen'; "
        "did you mean 'when'?")


def test_a_formula_formulas_does_not_have_is_refused_with_a_suggestion() -> None:
    """A formula name resolves when the file loads, or the load fails naming it."""
    assert _refusal({"fact": [{**ROW, "formula": "memory_capacity_gb"}]}) == (
        "facts/memory.toml: fact 'memory.example_gib': formula 'memory_capacity_gb' is no "
        "function of hwspec.formulas; did you mean 'memory_capacity_gib'?")


def test_a_name_formulas_only_imports_is_no_formula() -> None:
    """``math`` is a name in ``hwspec.formulas`` but no function it defines."""
    assert "formula 'math' is no function" in _refusal({"fact": [{**ROW, "formula": "math"}]})


def test_a_type_outside_the_value_types_is_refused() -> None:
    """A type ``ValueType`` does not spell is refused, suggesting the closest."""
    assert _refusal({"fact": [{**ROW, "type": "numbers"}]}) == (
        "facts/memory.toml: fact 'memory.example_gib': type 'numbers' is not one of number, "
        "bool, string, strings; did you mean 'number'?")


def test_a_fact_without_a_summary_is_refused() -> None:
    """A fact with no summary is refused: name, type and summary are required."""
    row = {k: v for k, v in ROW.items() if k != "summary"}

    assert _refusal({"fact": [row]}) == (
        "facts/memory.toml: fact 'memory.example_gib': no 'summary'")


def test_a_table_without_a_name_is_named_by_its_place() -> None:
    """A table with no name is named by its place among the tables."""
    row = {k: v for k, v in ROW.items() if k != "name"}

    assert _refusal({"fact": [ROW, row]}) == "facts/memory.toml: [[fact]] number 2: no 'name'"


@pytest.mark.parametrize(("key", "value"), [("unit", 1), ("digits", "1"), ("digits", True),
                                            ("digits", -1), ("caveat", "memory.x"),
                                            ("type", ["number"])])
def test_a_value_of_the_wrong_type_is_refused(key: str, value: object) -> None:
    """Text must be text, digits a whole number from 0, a caveat a table."""
    assert f"fact 'memory.example_gib': {key}" in _refusal({"fact": [{**ROW, key: value}]})


def test_a_topic_file_holds_only_fact_tables() -> None:
    """A topic file's ``[[facts]]`` is refused, suggesting ``[[fact]]``."""
    assert _refusal({"facts": [ROW]}) == (
        "facts/memory.toml: unknown table [[facts]] (known: fact); did you mean 'fact'?")


def test_the_item_facts_file_holds_every_and_the_list_kinds() -> None:
    """items.toml's ``[[memroy]]`` is refused with the tables it may hold, suggesting
    ``[[memory]]``."""
    assert _refusal({"memroy": [ROW]}, "items.toml") == (
        "facts/items.toml: unknown table [[memroy]] (known: every, memory, gpu, storage); "
        "did you mean 'memory'?")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
       .filter(lambda key: key not in KEYS))
def test_any_unknown_key_is_refused_by_name(key: str) -> None:
    """Whatever key a table adds beyond the known ones, the check names it and the fact."""
    assert _refusal({"fact": [{**ROW, key: "x"}]}).startswith(
        f"facts/memory.toml: fact 'memory.example_gib': unknown key {key!r}")


def test_an_edited_file_is_checked_when_it_loads(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A file edited since hwspec.shipped was written is parsed and checked, not trusted."""
    (tmp_path / "memory.toml").write_text(
        '[[fact]]\nname = "memory.modules"\ntype = "number"\nsummary = "Modules."\n'
        'formula = "module_cont"\n', encoding="utf-8")
    monkeypatch.setattr("hwspec.facts.record.FOLDER", tmp_path)
    monkeypatch.setitem(shipped.SIZES, "facts/memory.toml", -1)

    with pytest.raises(DeclarationError) as raised:
        declarations("memory")
    assert str(raised.value) == (
        f"{tmp_path / 'memory.toml'}: fact 'memory.modules': formula 'module_cont' is no "
        "function of hwspec.formulas; did you mean 'module_count'?")


def test_a_file_that_does_not_parse_is_named(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is not TOML is refused naming the file and the line."""
    (tmp_path / "memory.toml").write_text('[[fact]\nname = "x"\n', encoding="utf-8")
    monkeypatch.setattr("hwspec.facts.record.FOLDER", tmp_path)
    monkeypatch.setitem(shipped.SIZES, "facts/memory.toml", -1)

    with pytest.raises(DeclarationError, match=r"memory\.toml: .*line 1"):
        declarations("memory")


def test_the_ship_tool_refuses_a_facts_file_with_a_mistake(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped copy is trusted at start, so a mistake never reaches it."""
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "cost.toml").write_text(
        '[[fact]]\nname = "cost.total"\ntype = "number"\nsummary = "Sum."\nunits = "x"\n',
        encoding="utf-8")
    monkeypatch.setattr("hwspec.tools.ship.PACKAGE", tmp_path)

    with pytest.raises(DeclarationError, match="unknown key 'units'; did you mean 'unit'"):
        shipped_source()


def test_the_ship_tool_says_what_is_wrong_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A facts file with a mistake stops the tool with the check's message, not a traceback."""
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "cost.toml").write_text(
        '[[fact]]\nname = "cost.total"\ntype = "numbr"\nsummary = "Sum."\n', encoding="utf-8")
    monkeypatch.setattr("hwspec.tools.ship.PACKAGE", tmp_path)

    with pytest.raises(SystemExit) as stopped:
        ship.main()
    assert (str(stopped.value), list(tmp_path.iterdir())) == (
        f"not written: {tmp_path / 'facts' / 'cost.toml'}: fact 'cost.total': type 'numbr' is "
        "not one of number, bool, string, strings; did you mean 'number'?",
        [tmp_path / "facts"])


def test_the_ship_tool_says_how_to_recover_from_a_module_that_does_not_compile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts are checked through hwspec.shipped, so a copy a merge broke is named, with the
    way out, rather than failing with a traceback."""
    target = tmp_path / "shipped.py"

    def broken() -> str:
        raise SyntaxError("invalid syntax", (str(target), 12, 1, "<<<<<<< HEAD\n"))

    monkeypatch.setattr("hwspec.tools.ship.PACKAGE", tmp_path)
    monkeypatch.setattr("hwspec.tools.ship.shipped_source", broken)

    with pytest.raises(SystemExit) as stopped:
        ship.main()
    assert str(stopped.value) == (
        f"not written: {target} does not compile (line 12: invalid syntax; a merge's conflict "
        "markers?), and the facts files are checked through it: restore a copy that compiles "
        "(git checkout --theirs, or --ours) and run this again")
