"""Tests for hwspec.spec.locate: key positions in TOML text."""

from __future__ import annotations

import string
import textwrap
import tomllib
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from hwspec.spec.locate import Path, Position, find_position, locate_keys

# -- table headers ---------------------------------------------------------------------


def test_table_header_is_recorded_at_its_bracket() -> None:
    """A table header's path is recorded at the header's opening bracket."""
    text = textwrap.dedent("""\
        # comment
        [build]
        """)
    assert Position(2, 1) == locate_keys(text)[("build",)]


def test_dotted_table_header() -> None:
    """A dotted header records the full path at its bracket."""
    text = textwrap.dedent("""\
        [workload.arch]
        layers = 32
        """)
    assert Position(1, 1) == locate_keys(text)[("workload", "arch")]


def test_dotted_table_header_records_implicit_parent_at_its_name() -> None:
    """A table only named as a header's prefix is recorded at that name."""
    text = "[workload.arch]\n"
    assert Position(1, 2) == locate_keys(text)[("workload",)]


def test_explicit_table_wins_over_implicit_parent() -> None:
    """A table defined by its own header is recorded there even when a subtable came first."""
    text = textwrap.dedent("""\
        [a.b]
        x = 1
        [a]
        y = 2
        """)
    assert Position(3, 1) == locate_keys(text)[("a",)]


def test_table_header_with_spaces_around_key_parts() -> None:
    """Whitespace inside a header around the dots is allowed."""
    text = "  [ a . b ]\n"
    assert Position(1, 3) == locate_keys(text)[("a", "b")]


def test_table_header_with_quoted_keys() -> None:
    """Basic and literal quoted header keys are unquoted in the path."""
    text = textwrap.dedent("""\
        ["x y"]
        ['x']
        ["a.b".'c']
        """)
    positions = locate_keys(text)
    assert [Position(1, 1), Position(2, 1), Position(3, 1)] == [
        positions[("x y",)],
        positions[("x",)],
        positions[("a.b", "c")],
    ]


def test_table_header_with_trailing_comment() -> None:
    """A comment after a header does not disturb it."""
    text = "[build] # the build\nname = 1\n"
    assert Position(2, 1) == locate_keys(text)[("build", "name")]


def test_keys_belong_to_the_latest_header() -> None:
    """Keys after a header are recorded under that header's path."""
    text = textwrap.dedent("""\
        [cpu]
        count = 2
        [gpu]
        count = 4
        """)
    positions = locate_keys(text)
    assert [Position(2, 1), Position(4, 1)] == [
        positions[("cpu", "count")],
        positions[("gpu", "count")],
    ]


# -- arrays of tables ------------------------------------------------------------------


def test_array_of_tables_headers_count_up() -> None:
    """Each [[memory]] header opens the next index of the memory array."""
    text = textwrap.dedent("""\
        [[memory]]
        kind = "RDIMM"

        [[memory]]
        kind = "UDIMM"
        """)
    positions = locate_keys(text)
    assert [Position(1, 1), Position(4, 1)] == [positions[("memory", 0)], positions[("memory", 1)]]


def test_array_of_tables_name_is_recorded_at_first_header() -> None:
    """The array itself is recorded at its first [[...]] header."""
    text = "[[memory]]\n[[memory]]\n"
    assert Position(1, 1) == locate_keys(text)[("memory",)]


def test_keys_inside_array_of_tables_element() -> None:
    """Keys under an array-of-tables header belong to that element."""
    text = textwrap.dedent("""\
        [[memory]]
        kind = "RDIMM"
        [[memory]]
          kind = "UDIMM"
        """)
    assert Position(4, 3) == locate_keys(text)[("memory", 1, "kind")]


def test_nested_array_of_tables_belongs_to_current_element() -> None:
    """[[a.b]] counts within the current element of the array of tables a."""
    text = textwrap.dedent("""\
        [[a]]
        [[a.b]]
        [[a]]
        [[a.b]]
        [[a.b]]
        """)
    positions = locate_keys(text)
    assert [Position(2, 1), Position(4, 1), Position(5, 1)] == [
        positions[("a", 0, "b", 0)],
        positions[("a", 1, "b", 0)],
        positions[("a", 1, "b", 1)],
    ]


def test_subtable_of_array_of_tables_element() -> None:
    """[a.sub] after [[a]] is a table inside the current element of a."""
    text = textwrap.dedent("""\
        [[a]]
        [[a]]
        [a.sub]
        x = 1
        """)
    assert Position(4, 1) == locate_keys(text)[("a", 1, "sub", "x")]


# -- key/value lines -------------------------------------------------------------------


def test_key_value_with_leading_whitespace() -> None:
    """An indented key is recorded at its first character."""
    text = "[cpu]\n    count = 2\n"
    assert Position(2, 5) == locate_keys(text)[("cpu", "count")]


def test_dotted_key_records_each_level() -> None:
    """A dotted key records the intermediate table and the full path at their names."""
    text = "[table]\na.b = 1\n"
    positions = locate_keys(text)
    assert [Position(2, 1), Position(2, 3)] == [
        positions[("table", "a")],
        positions[("table", "a", "b")],
    ]


def test_dotted_key_with_spaces_and_quotes() -> None:
    """Dotted keys may mix bare and quoted parts with spaces around the dots."""
    text = "site . \"name x\" . 'raw' = 1\n"
    assert Position(1, 19) == locate_keys(text)[("site", "name x", "raw")]


def test_quoted_keys_are_unescaped() -> None:
    """A basic quoted key is recorded under its unescaped text."""
    text = '"caf\\u00e9" = 1\n"tab\\tkey" = 2\n'
    positions = locate_keys(text)
    assert [Position(1, 1), Position(2, 1)] == [positions[("café",)], positions[("tab\tkey",)]]


def test_literal_quoted_key_keeps_backslashes() -> None:
    """A literal quoted key is recorded verbatim."""
    text = "'C:\\path' = 1\n"
    assert Position(1, 1) == locate_keys(text)[("C:\\path",)]


def test_empty_quoted_key() -> None:
    """An empty quoted key is recorded as the empty string."""
    assert Position(1, 1) == locate_keys('"" = 1\n')[("",)]


def test_bare_keys_with_dash_and_underscore() -> None:
    """Bare keys may contain dashes, underscores and digits."""
    text = "psu-max_load2 = 0.7\n"
    assert Position(1, 1) == locate_keys(text)[("psu-max_load2",)]


def test_key_without_spaces_around_equals() -> None:
    """A key is found with no whitespace around the equals sign."""
    assert Position(2, 1) == locate_keys("a=1\nb=2\n")[("b",)]


def test_comment_lines_are_ignored() -> None:
    """Key-like text in a comment line is not recorded."""
    text = "# fake = 1\nreal = 2\n"
    expected = [("real",)]
    assert expected == list(locate_keys(text))


def test_trailing_comment_is_ignored() -> None:
    """Key-like text in a comment after a value is not recorded."""
    text = "a = 1 # b = 2\n"
    expected = [("a",)]
    assert expected == list(locate_keys(text))


def test_hash_inside_string_is_not_a_comment() -> None:
    """A # inside a string does not end the line."""
    text = 'p = { s = "# }", k = 1 }\n'
    assert Position(1, 18) == locate_keys(text)[("p", "k")]


def test_date_time_with_space_is_one_value() -> None:
    """A date-time written with a space separator does not end an array early."""
    text = "t = [1979-05-27 07:32:00Z, 1979-05-28]\nnext = 1\n"
    positions = locate_keys(text)
    assert [Position(1, 28), Position(2, 1)] == [positions[("t", 1)], positions[("next",)]]


def test_key_is_recorded_even_if_its_value_is_unreadable() -> None:
    """A key whose value cannot be read is still recorded."""
    text = "name = bogus\nafter = 1\n"
    positions = locate_keys(text)
    assert [Position(1, 1), Position(2, 1)] == [positions[("name",)], positions[("after",)]]


# -- inline tables and arrays ----------------------------------------------------------


def test_inline_table_keys_have_their_columns() -> None:
    """Keys inside a one-line inline table are recorded at their own columns."""
    text = "[checks]\nparams = { psu_max_load = 0.7, x = 1 }\n"
    positions = locate_keys(text)
    assert [Position(2, 1), Position(2, 12), Position(2, 32)] == [
        positions[("checks", "params")],
        positions[("checks", "params", "psu_max_load")],
        positions[("checks", "params", "x")],
    ]


def test_nested_inline_tables() -> None:
    """Inline tables inside inline tables are recorded with their full paths."""
    text = "a = { b = { c = 1 }, d.e = 2 }\n"
    positions = locate_keys(text)
    assert [Position(1, 13), Position(1, 24)] == [
        positions[("a", "b", "c")],
        positions[("a", "d", "e")],
    ]


def test_empty_inline_table() -> None:
    """An empty inline table records only its key."""
    assert {("a",): Position(1, 1)} == locate_keys("a = {}\n")


def test_array_elements_are_recorded_by_index() -> None:
    """Plain array elements are recorded at their first character."""
    text = '[checks]\nignore = ["A", "B"]\n'
    positions = locate_keys(text)
    assert [Position(2, 1), Position(2, 11), Position(2, 16)] == [
        positions[("checks", "ignore")],
        positions[("checks", "ignore", 0)],
        positions[("checks", "ignore", 1)],
    ]


def test_inline_tables_inside_array() -> None:
    """Keys of inline tables inside an array are recorded under the element index."""
    text = '[checks]\nignore = ["A", { rule = "PWR001", reason = "x" }]\n'
    positions = locate_keys(text)
    assert [Position(2, 16), Position(2, 18), Position(2, 35)] == [
        positions[("checks", "ignore", 1)],
        positions[("checks", "ignore", 1, "rule")],
        positions[("checks", "ignore", 1, "reason")],
    ]


def test_nested_arrays() -> None:
    """Elements of nested arrays are recorded with one index per level."""
    text = "m = [[1, 2], [3]]\n"
    assert Position(1, 15) == locate_keys(text)[("m", 1, 0)]


def test_brackets_inside_strings_in_arrays() -> None:
    """Brackets and commas inside strings do not end an array."""
    text = 'a = ["],", \'[\', { k = "}" }]\nb = 1\n'
    positions = locate_keys(text)
    assert [Position(1, 19), Position(2, 1)] == [positions[("a", 2, "k")], positions[("b",)]]


def test_deeply_nested_values_do_not_break_scanning() -> None:
    """Values nested too deep to record are stepped over and scanning continues."""
    text = "deep = " + "[" * 5000 + "]" * 5000 + "\nafter = 1\n"
    positions = locate_keys(text)
    assert [Position(1, 1), Position(2, 1)] == [positions[("deep",)], positions[("after",)]]


# -- multi-line values -----------------------------------------------------------------


def test_multiline_basic_string_lines_are_not_keys() -> None:
    """Lines inside a multi-line basic string are not read as keys or headers."""
    text = textwrap.dedent('''\
        [build]
        notes = """
        fake = 1
        [fake]
        """
        real = 2
        ''')
    assert {("build",), ("build", "notes"), ("build", "real")} == set(locate_keys(text))


def test_multiline_literal_string_lines_are_not_keys() -> None:
    """Lines inside a multi-line literal string are not read as keys."""
    text = textwrap.dedent("""\
        notes = '''
        fake = "1"
        '''
        real = 2
        """)
    assert {("notes",): Position(1, 1), ("real",): Position(4, 1)} == locate_keys(text)


def test_multiline_basic_string_with_escaped_quotes() -> None:
    """An escaped triple quote does not close a multi-line basic string."""
    text = textwrap.dedent('''\
        a = """x \\"""
        fake = 1
        """
        b = 2
        ''')
    assert {("a",): Position(1, 1), ("b",): Position(4, 1)} == locate_keys(text)


def test_multiline_string_with_extra_closing_quotes() -> None:
    """Up to two quotes right before the closing triple quote belong to the string."""
    text = "a = [\"\"\"x\"\"\"\"\", '''y''''', 1]\n"
    assert Position(1, 28) == locate_keys(text)[("a", 2)]


def test_multiline_array_key_is_recorded_at_its_line() -> None:
    """A multi-line array records its key on the line where it starts."""
    text = textwrap.dedent("""\
        [x]
        values = [
          1,
          2,
        ]
        after = 3
        """)
    positions = locate_keys(text)
    assert [Position(2, 1), Position(6, 1)] == [
        positions[("x", "values")],
        positions[("x", "after")],
    ]


def test_multiline_array_elements_and_comments() -> None:
    """Elements of a multi-line array are recorded and comments inside it are skipped."""
    text = textwrap.dedent("""\
        values = [
          # fake = 1
          "a", # b = 2
          { rule = "R" },
        ]
        """)
    assert {
        ("values",): Position(1, 1),
        ("values", 0): Position(3, 3),
        ("values", 1): Position(4, 3),
        ("values", 1, "rule"): Position(4, 5),
    } == locate_keys(text)


def test_multiline_inline_table() -> None:
    """An inline table spread over lines is followed to its closing brace."""
    text = "p = {\n  a = 1,\n  b = 2,\n}\nq = 3\n"
    positions = locate_keys(text)
    assert [Position(3, 3), Position(5, 1)] == [positions[("p", "b")], positions[("q",)]]


# -- line endings, BOM, duplicates -----------------------------------------------------


def test_crlf_line_endings() -> None:
    """Positions are the same with CRLF line endings."""
    text = '[cpu]\r\ncount = 2\r\nlist = [\r\n  1,\r\n]\r\nname = """\r\nx = 1\r\n"""\r\nz = 1\r\n'
    assert {
        ("cpu",): Position(1, 1),
        ("cpu", "count"): Position(2, 1),
        ("cpu", "list"): Position(3, 1),
        ("cpu", "list", 0): Position(4, 3),
        ("cpu", "name"): Position(6, 1),
        ("cpu", "z"): Position(9, 1),
    } == locate_keys(text)


def test_byte_order_mark_is_not_counted() -> None:
    """A BOM at the start of the text does not shift the first line's columns."""
    text = "\ufeffa = { b = 1 }\n"
    assert {("a",): Position(1, 1), ("a", "b"): Position(1, 7)} == locate_keys(text)


def test_duplicate_keys_keep_first() -> None:
    """A key defined twice keeps the position of its first definition."""
    text = "a = 1\na = 2\n"
    assert Position(1, 1) == locate_keys(text)[("a",)]


def test_duplicate_headers_keep_first() -> None:
    """A table header repeated keeps the position of its first occurrence."""
    text = "[t]\nx = 1\n[t]\ny = 2\n"
    positions = locate_keys(text)
    assert [Position(1, 1), Position(4, 1)] == [positions[("t",)], positions[("t", "y")]]


def test_result_is_ordered_by_position() -> None:
    """The mapping lists paths in order of line, then column."""
    text = "[b.c]\nx = 1\n[a]\n"
    expected = [("b", "c"), ("b",), ("b", "c", "x"), ("a",)]
    assert expected == list(locate_keys(text))


# -- invalid input ---------------------------------------------------------------------


def test_empty_text() -> None:
    """An empty document has no keys."""
    assert not locate_keys("")


def test_unclosed_array_does_not_swallow_following_header() -> None:
    """After an unclosed array, a header on a later line is still found."""
    text = "a = [1, 2\n[t]\nx = 1\n"
    positions = locate_keys(text)
    assert [Position(2, 1), Position(3, 1)] == [positions[("t",)], positions[("t", "x")]]


def test_unterminated_string_skips_only_its_line() -> None:
    """An unterminated single-line string spoils only its own line."""
    text = 'a = "open\nb = 1\n'
    assert Position(2, 1) == locate_keys(text)[("b",)]


def test_junk_lines_are_skipped() -> None:
    """Lines that are neither headers nor key/value pairs are skipped."""
    text = "!!! ???\n= 3\n[unclosed\nok = 1\n"
    assert {("ok",): Position(4, 1)} == locate_keys(text)


def test_unterminated_multiline_string_runs_to_end() -> None:
    """An unterminated multi-line string hides everything after it."""
    text = 'a = """\nb = 1\n'
    assert {("a",): Position(1, 1)} == locate_keys(text)


# -- find_position ---------------------------------------------------------------------


def test_find_position_exact_path() -> None:
    """A located path returns its own position."""
    positions: dict[Path, Position] = {
        ("memory", 0): Position(1, 1),
        ("memory", 0, "kind"): Position(2, 1),
    }
    assert Position(2, 1) == find_position(positions, ("memory", 0, "kind"))


def test_find_position_falls_back_to_nearest_ancestor() -> None:
    """A missing path returns the position of its nearest located ancestor."""
    positions = locate_keys("[[memory]]\nsize_gb = 64\n")
    assert Position(1, 1) == find_position(positions, ("memory", 0, "kind"))


def test_find_position_skips_missing_ancestors() -> None:
    """Several missing levels are skipped on the way up."""
    positions: dict[Path, Position] = {("a",): Position(3, 4)}
    assert Position(3, 4) == find_position(positions, ("a", 0, "b", "c"))


def test_find_position_none_when_nothing_matches() -> None:
    """A path with no located ancestor returns None."""
    assert None is find_position({("a",): Position(1, 1)}, ("b", "c"))


def test_find_position_of_empty_path() -> None:
    """The empty path has no position."""
    assert None is find_position(locate_keys("a = 1\n"), ())


def test_position_is_frozen() -> None:
    """Position cannot be changed after creation."""
    position = Position(1, 2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        position.line = 3  # type: ignore[misc]


# -- properties ------------------------------------------------------------------------


def _outside(text: str, positions: dict[Path, Position]) -> list[tuple[Path, Position]]:
    """The positions that do not point at a character of the text (a leading BOM not counted)."""
    lines = text.removeprefix("\ufeff").split("\n")
    return [
        (path, p)
        for path, p in positions.items()
        if not (1 <= p.line <= len(lines) and 1 <= p.column <= len(lines[p.line - 1]))
    ]


def _located(text: str) -> dict[Path, Position]:
    """locate_keys(text), with a statistics event saying whether anything was located."""
    positions = locate_keys(text)
    event("some key located" if positions else "nothing located")
    return positions


# Well-formed TOML lines mixed into the random input: without them almost no example has a key
# to locate, and the bounds check would have nothing to check.
_TOML_LINES = st.sampled_from(
    ["\na = 1\n", "\n[t]\n", "\n[[t]]\n", "\nb.c = 'x'\n", '\n"q k" = 2\n',
     "\nx = [1, 2]\n", "\ny = {z = 1}\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=10) | _TOML_LINES, max_size=8).map("".join))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    """Arbitrary text mixed with TOML lines yields positions inside the text."""
    assert not _outside(text, _located(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=10) | _TOML_LINES.map(str.encode), max_size=8).map(b"".join))
def test_never_raises_on_decoded_bytes(data: bytes) -> None:
    """Arbitrary bytes decoded with replacement characters yield positions inside the text."""
    text = data.decode("utf-8", errors="replace")
    assert not _outside(text, _located(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "[",
                "]",
                "[[",
                "]]",
                "{",
                "}",
                '"',
                "'",
                '"""',
                "'''",
                "=",
                ",",
                ".",
                "#",
                "\n",
                "\r\n",
                " ",
                "a",
                "1",
                "\\",
                "\ufeff",
                "\nk = ",
                "\n[t]",
                "\nk.j = ",
                "\nv = 1\n",
                "\n[[u]]\n",
                "\n[t.s]\n",
                "\nw = 'v'\n",
            ]
        ),
        max_size=40,
    )
)
def test_never_raises_on_toml_punctuation(tokens: list[str]) -> None:
    """Random sequences of TOML punctuation yield positions inside the text."""
    text = "".join(tokens)
    assert not _outside(text, _located(text))


_ANY_KEYS = st.text(max_size=6)
_PLAIN_KEYS = st.text(
    alphabet=string.ascii_letters + string.digits + "-_ .é", min_size=1, max_size=6
)
_SCALARS = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=10),
    st.text(alphabet="a\"'\n\\#[]={}., ", max_size=12),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC])),
    st.times(),
)


def _documents(keys: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        tables = st.dictionaries(keys, children, max_size=3)
        return st.one_of(
            st.lists(children, max_size=3), tables, st.lists(tables, min_size=1, max_size=3)
        )

    values = st.recursive(_SCALARS, extend, max_leaves=12)
    return st.dictionaries(keys, values, max_size=4)


def _all_paths(data: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path into nested dicts and lists, parents before children."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _all_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _all_paths(value, (*prefix, index))


def _leaf_paths(data: Any) -> set[Path]:
    paths = set(_all_paths(data))
    parents = {path[:end] for path in paths for end in range(len(path))}
    return paths - parents


def _dump(data: dict[str, Any], multiline: bool) -> str:
    text = tomli_w.dumps(data, multiline_strings=multiline)
    # TOML turns CRLF inside a multi-line string into LF, so such data does not round-trip;
    # it says nothing about locating keys, so it is skipped.
    assume(data == tomllib.loads(text))
    return text


@settings(max_examples=300, deadline=None)
@given(_documents(_ANY_KEYS), st.booleans())
def test_every_leaf_path_of_written_data_is_located(data: dict[str, Any], multiline: bool) -> None:
    """Every leaf path of data written by tomli_w is located."""
    positions = locate_keys(_dump(data, multiline))
    assert set() == _leaf_paths(data) - set(positions)


@settings(max_examples=300, deadline=None)
@given(_documents(_ANY_KEYS), st.booleans())
def test_located_paths_are_exactly_the_data_paths(data: dict[str, Any], multiline: bool) -> None:
    """For data written by tomli_w, the located paths are exactly the data's paths."""
    positions = locate_keys(_dump(data, multiline))
    assert set(_all_paths(data)) == set(positions)


@settings(max_examples=300, deadline=None)
@given(_documents(_PLAIN_KEYS), st.booleans())
def test_top_level_key_line_contains_its_name(data: dict[str, Any], multiline: bool) -> None:
    """The line of each top-level key or header contains the key's name."""
    text = _dump(data, multiline)
    lines = text.split("\n")
    positions = locate_keys(text)
    missing = [key for key in data if key not in lines[positions[(key,)].line - 1]]
    assert not missing


@settings(max_examples=300, deadline=None)
@given(_documents(_PLAIN_KEYS), st.booleans())
def test_column_points_at_key_or_header(data: dict[str, Any], multiline: bool) -> None:
    """Each located key name's column points at the key (bare or quoted) or a header bracket."""
    text = _dump(data, multiline)
    lines = text.split("\n")
    wrong = []
    for path, position in locate_keys(text).items():
        name = path[-1]
        at = lines[position.line - 1][position.column - 1 :]
        if isinstance(name, str) and not at.startswith((name, f'"{name}"', "[")):
            wrong.append((path, at))
    assert not wrong


@settings(max_examples=200, deadline=None)
@given(_documents(_ANY_KEYS), st.booleans())
def test_crlf_and_bom_do_not_change_positions(data: dict[str, Any], multiline: bool) -> None:
    """CRLF line endings and a leading BOM leave every position unchanged."""
    text = _dump(data, multiline)
    assert locate_keys(text) == locate_keys("\ufeff" + text.replace("\n", "\r\n"))


def test_empty_one_line_strings_are_values_not_openings() -> None:
    """``""`` and ``''`` close on their line (a third quote would open a multi-line string), so
    the next line's key is read."""
    text = "a = \"\"\nb = ''\nc = 1\n"

    assert locate_keys(text) == {("a",): Position(1, 1), ("b",): Position(2, 1),
                                 ("c",): Position(3, 1)}
