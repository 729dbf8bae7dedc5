"""Behaviour of the rule expression language: evaluation, typing and errors."""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from hwspec.engine.expr import (
    CompiledExpression,
    EvaluationError,
    MissingValue,
    ValueType,
    compile_expression,
)
from hwspec.errors import ExpressionError

NAMES: dict[str, ValueType] = {
    "memory.capacity_gib": ValueType.NUMBER,
    "cpu.count": ValueType.NUMBER,
    "psu_max_load": ValueType.NUMBER,
    "item.kind": ValueType.STRING,
    "platform.module_kinds": ValueType.STRINGS,
    "gpu.present": ValueType.BOOL,
    "extra.value": ValueType.ANY,
}

ENV: dict[str, object] = {
    "memory.capacity_gib": 768,
    "cpu.count": 2,
    "psu_max_load": 0.8,
    "item.kind": "rdimm",
    "platform.module_kinds": ("rdimm", "lrdimm"),
    "gpu.present": True,
    "extra.value": 5,
}


def compile_(source: str) -> CompiledExpression:
    """Compile ``source`` against the test names."""
    return compile_expression(source, NAMES)


def run(source: str, env: Mapping[str, object] = ENV) -> object:
    """Compile ``source`` against the test names and evaluate it."""
    return compile_(source).evaluate(env)


# -- arithmetic -------------------------------------------------------------------


def test_operator_precedence_follows_python() -> None:
    """Multiplication binds tighter than addition."""
    assert 7 == run("1 + 2 * 3")


def test_true_division_returns_a_float() -> None:
    """``/`` divides exactly, like Python 3."""
    assert 3.5 == run("7 / 2")


def test_floor_division() -> None:
    """``//`` rounds towards negative infinity."""
    assert -4 == run("-7 // 2")


def test_modulo() -> None:
    """``%`` gives the remainder."""
    assert 1 == run("7 % 3")


def test_power_with_literal_exponent() -> None:
    """``**`` works with a small literal exponent."""
    assert 1024 == run("2 ** 10")


def test_power_with_negative_exponent() -> None:
    """A negative literal exponent gives a float."""
    assert 0.25 == run("2 ** -2")


def test_arithmetic_on_names() -> None:
    """Dotted names and parameters are read from the environment."""
    assert 384.0 == run("memory.capacity_gib / cpu.count")


def test_unary_minus_on_a_name() -> None:
    """Unary minus negates a number."""
    assert -2 == run("-cpu.count")


def test_mixed_int_and_float_arithmetic() -> None:
    """Ints and floats mix freely."""
    assert pytest.approx(1.6) == run("cpu.count * psu_max_load")


def test_integer_overflow_is_an_evaluation_error() -> None:
    """Integer results above 10**100 are refused at run time."""
    with pytest.raises(EvaluationError, match=r"result of operator '\*' is too large"):
        run("cpu.count * cpu.count", {"cpu.count": 10**60})


def test_power_result_above_1e300_is_an_evaluation_error() -> None:
    """A power whose result exceeds 1e300 in magnitude is refused."""
    with pytest.raises(EvaluationError, match=r"result of operator '\*\*' is too large"):
        run("cpu.count ** 16", {"cpu.count": 1e19})


def test_power_float_overflow_is_an_evaluation_error() -> None:
    """A power that overflows a float is refused, not raised as OverflowError."""
    with pytest.raises(EvaluationError, match="too large"):
        run("cpu.count ** 16", {"cpu.count": 1e100})


def test_power_of_negative_base_to_fraction_is_an_evaluation_error() -> None:
    """Complex results are refused."""
    with pytest.raises(EvaluationError, match="not a real number"):
        run("cpu.count ** 0.5", {"cpu.count": -8})


def test_zero_to_negative_power_is_an_evaluation_error() -> None:
    """Zero raised to a negative power is refused."""
    with pytest.raises(EvaluationError, match="zero cannot be raised to a negative power"):
        run("cpu.count ** -1", {"cpu.count": 0})


def test_division_by_zero_is_an_evaluation_error() -> None:
    """Dividing by zero raises EvaluationError with the position."""
    with pytest.raises(EvaluationError, match=r"^division by zero \(column 1\)$"):
        run("memory.capacity_gib / cpu.count", {"memory.capacity_gib": 1, "cpu.count": 0})


def test_floor_division_by_zero_is_an_evaluation_error() -> None:
    """``//`` by zero raises EvaluationError."""
    with pytest.raises(EvaluationError, match="division by zero"):
        run("10 // cpu.count", {"cpu.count": 0})


def test_modulo_by_zero_is_an_evaluation_error() -> None:
    """``%`` by zero raises EvaluationError."""
    with pytest.raises(EvaluationError, match="division by zero"):
        run("10 % cpu.count", {"cpu.count": 0.0})


def test_bool_is_not_a_number_at_run_time() -> None:
    """A bool reaching arithmetic through an untyped name is refused."""
    with pytest.raises(EvaluationError, match=r"operator '\+' needs a number, got bool"):
        run("extra.value + 1", {"extra.value": True})


def test_string_is_not_a_number_at_run_time() -> None:
    """A string reaching arithmetic through an untyped name is refused."""
    with pytest.raises(EvaluationError, match=r"operator '\*' needs a number, got string"):
        run("extra.value * 3", {"extra.value": "ab"})


# -- comparisons -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cpu.count == 2", True),
        ("cpu.count != 2", False),
        ("cpu.count < 2", False),
        ("cpu.count <= 2", True),
        ("cpu.count > 1", True),
        ("cpu.count >= 3", False),
        ("item.kind == 'rdimm'", True),
        ("item.kind < 'udimm'", True),
        ("gpu.present == True", True),
        ("platform.module_kinds == platform.module_kinds", True),
    ],
)
def test_comparison_operators(source: str, expected: bool) -> None:
    """Each comparison operator gives the Python result for same-typed operands."""
    assert expected is run(source)


def test_int_equals_float() -> None:
    """Numbers compare by value across int and float."""
    assert True is run("cpu.count == 2.0")


def test_nan_compares_unequal() -> None:
    """NaN values follow IEEE comparison rules rather than raising."""
    assert False is run("cpu.count >= 0", {"cpu.count": math.nan})


def test_chained_comparison_holds() -> None:
    """``a < b < c`` is true when both comparisons hold."""
    assert True is run("1 <= cpu.count < 4")


def test_chained_comparison_fails_on_second_link() -> None:
    """``a < b < c`` is false when the second comparison fails."""
    assert False is run("1 < cpu.count < 2")


def test_chained_comparison_short_circuits() -> None:
    """A chain stops at the first false link, so later names are not read."""
    assert False is run("2 < 1 < cpu.count", {})


def test_in_list_of_strings() -> None:
    """``in`` tests membership in a list-of-strings value."""
    assert True is run("'lrdimm' in platform.module_kinds")


def test_not_in_list_of_strings() -> None:
    """``not in`` negates membership."""
    assert True is run("'udimm' not in platform.module_kinds")


def test_list_value_is_accepted_for_strings() -> None:
    """A Python list of strings in the environment counts as a list of strings."""
    assert True is run("'a' in platform.module_kinds", {"platform.module_kinds": ["a", "b"]})


def test_in_tuple_literal_of_strings() -> None:
    """``in`` accepts a tuple literal on the right."""
    assert True is run("item.kind in ('rdimm', 'lrdimm')")


def test_in_list_literal_of_numbers() -> None:
    """``in`` accepts a list literal of numbers for a number on the left."""
    assert True is run("cpu.count in [1, 2, 4]")


def test_not_in_literal() -> None:
    """``not in`` with a literal negates membership."""
    assert False is run("cpu.count not in (1, 2)")


def test_in_empty_literal() -> None:
    """Nothing is in an empty literal."""
    assert False is run("item.kind in ()")


def test_equality_across_types_at_run_time_is_an_error() -> None:
    """Comparing a bool with a number through an untyped name is refused."""
    with pytest.raises(EvaluationError, match="cannot compare bool with number"):
        run("extra.value == 1", {"extra.value": True})


# -- boolean logic and conditionals ------------------------------------------------


def test_and_or_not() -> None:
    """Boolean operators combine bools."""
    assert True is run("gpu.present and not (cpu.count > 4 or False)")


def test_and_short_circuits_on_missing_name() -> None:
    """``defined(x) and x > 3`` is false, not an error, when x is absent."""
    assert False is run("defined(cpu.count) and cpu.count > 3", {})


def test_or_short_circuits_on_missing_name() -> None:
    """``not defined(x) or x > 3`` is true when x is absent."""
    assert True is run("not defined(cpu.count) or cpu.count > 3", {})


def test_and_requires_bools_at_run_time() -> None:
    """An untyped name holding a number is not truthy."""
    with pytest.raises(EvaluationError, match="operator 'and' needs a bool, got number"):
        run("extra.value and True", {"extra.value": 1})


def test_conditional_expression_picks_body() -> None:
    """``a if c else b`` gives a when c is true."""
    assert 0.8 == run("psu_max_load if gpu.present else 1.0")


def test_conditional_expression_evaluates_only_the_chosen_branch() -> None:
    """The branch not taken is not evaluated, so its names may be missing."""
    assert 1.0 == run("psu_max_load if gpu.present else 1.0", {"gpu.present": False})


# -- functions ---------------------------------------------------------------------


def test_min() -> None:
    """``min`` gives the smallest argument."""
    assert 0.8 == run("min(cpu.count, psu_max_load, 3)")


def test_max_of_strings() -> None:
    """``max`` also orders strings."""
    assert "rdimm" == run("max(item.kind, 'lrdimm')")


def test_abs() -> None:
    """``abs`` gives the magnitude."""
    assert 2 == run("abs(-cpu.count)")


def test_round_to_integer() -> None:
    """``round`` with one argument gives an integer."""
    assert 3 == run("round(2.6)")


def test_round_to_digits() -> None:
    """``round`` with a literal digit count rounds to that many places."""
    assert 1.23 == run("round(1.23456, 2)")


def test_round_of_nan_is_an_evaluation_error() -> None:
    """Rounding NaN to an integer is refused rather than raising ValueError."""
    with pytest.raises(EvaluationError, match="cannot round nan"):
        run("round(psu_max_load)", {"psu_max_load": math.nan})


def test_round_digits_must_be_a_small_literal() -> None:
    """A digit count that is not a small integer literal is refused at compile time."""
    with pytest.raises(ExpressionError, match="must be an integer literal between -16 and 16"):
        compile_("round(psu_max_load, cpu.count)")


def test_len_of_strings() -> None:
    """``len`` counts the items of a list of strings."""
    assert 2 == run("len(platform.module_kinds)")


def test_len_of_string() -> None:
    """``len`` counts the characters of a string."""
    assert 5 == run("len(item.kind)")


def test_defined_true_when_present() -> None:
    """``defined`` is true for a name with a value."""
    assert True is run("defined(memory.capacity_gib)")


def test_defined_false_when_absent() -> None:
    """``defined`` is false, not MissingValue, for an absent name."""
    assert False is run("defined(memory.capacity_gib)", {})


def test_defined_false_when_none() -> None:
    """A name whose value is None counts as absent."""
    assert False is run("defined(memory.capacity_gib)", {"memory.capacity_gib": None})


def test_defined_needs_a_name() -> None:
    """``defined`` of anything but a name is refused."""
    with pytest.raises(ExpressionError, match=r"^defined\(\) needs a name"):
        compile_("defined(1 + 1)")


def test_defined_of_unknown_name_is_refused() -> None:
    """``defined`` still checks that its name is declared."""
    with pytest.raises(ExpressionError, match=r"unknown name 'cpu\.cont'"):
        compile_("defined(cpu.cont)")


def test_min_needs_two_arguments() -> None:
    """``min`` of a single argument is refused."""
    with pytest.raises(ExpressionError, match=r"^min\(\) needs at least two arguments"):
        compile_("min(cpu.count)")


# -- missing values and runtime type checks --------------------------------------------


def test_missing_name_raises_missing_value() -> None:
    """Reading an absent name raises MissingValue."""
    with pytest.raises(MissingValue, match=r"cpu\.count"):
        run("cpu.count > 1", {})


def test_missing_value_carries_the_name() -> None:
    """MissingValue.name is the dotted name that was absent."""
    with pytest.raises(MissingValue) as info:
        run("memory.capacity_gib > cpu.count", {"memory.capacity_gib": 1})
    assert "cpu.count" == info.value.name


def test_none_value_raises_missing_value() -> None:
    """A value of None is treated as absent."""
    with pytest.raises(MissingValue, match=r"cpu\.count"):
        run("cpu.count > 1", {"cpu.count": None})


def test_value_of_wrong_declared_type_is_an_evaluation_error() -> None:
    """A value that does not match its declared type is refused."""
    with pytest.raises(
        EvaluationError, match=r"value of 'cpu\.count' should be a number, got string"
    ):
        run("cpu.count > 1", {"cpu.count": "two"})


def test_bool_value_for_number_name_is_an_evaluation_error() -> None:
    """A bool is not accepted where a number is declared."""
    with pytest.raises(EvaluationError, match="should be a number, got bool"):
        run("cpu.count > 1", {"cpu.count": True})


def test_unsupported_value_type_is_an_evaluation_error() -> None:
    """Values of types outside the language are refused."""
    with pytest.raises(EvaluationError, match="unsupported type dict"):
        run("extra.value == 1", {"extra.value": {}})


# -- compile-time type errors -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("gpu.present == 1", "cannot compare bool with number (column 1)"),
        ("cpu.count != 'x'", "cannot compare number with string (column 1)"),
        ("'x' == gpu.present", "cannot compare string with bool (column 1)"),
        (
            "cpu.count > 1 and item.kind + 1",
            "operator '+' needs numbers, got string (column 19)",
        ),
        ("'a' * 3", "operator '*' needs numbers, got string (column 1)"),
        ("item.kind + item.kind", "operator '+' needs numbers, got string (column 1)"),
        ("gpu.present - 1", "operator '-' needs numbers, got bool (column 1)"),
        ("-item.kind", "operator '-' needs a number, got string (column 2)"),
        ("cpu.count and gpu.present", "operator 'and' needs bool operands, got number (column 1)"),
        ("gpu.present or 'x'", "operator 'or' needs bool operands, got string (column 16)"),
        ("not cpu.count", "operator 'not' needs a bool, got number (column 5)"),
        (
            "item.kind < 3",
            "operator '<' needs two numbers or two strings, got string and number (column 1)",
        ),
        (
            "gpu.present >= gpu.present",
            "operator '>=' needs two numbers or two strings, got bool and bool (column 1)",
        ),
        (
            "'a' in item.kind",
            "operator 'in' needs a list of strings or a literal list on the right, "
            "got string (column 1)",
        ),
        (
            "cpu.count in platform.module_kinds",
            "operator 'in' needs a string on the left, got number (column 1)",
        ),
        ("cpu.count in ('a', 'b')", "cannot compare number with string (column 1)"),
        ("len(cpu.count)", "len() needs a string or a list of strings, got number (column 5)"),
        ("abs(item.kind)", "abs() needs a number, got string (column 5)"),
        (
            "min(cpu.count, item.kind)",
            "min() needs all numbers or all strings, got number, string (column 1)",
        ),
        (
            "1 if cpu.count else 2",
            "the condition of 'if ... else' must be a bool, got number (column 6)",
        ),
        (
            "1 if gpu.present else 'x'",
            "the two branches of 'if ... else' have different types: number and string (column 1)",
        ),
    ],
)
def test_type_error_messages(source: str, message: str) -> None:
    """Ill-typed expressions are refused with an exact message and column."""
    with pytest.raises(ExpressionError) as info:
        compile_(source)
    assert message == info.value.message


def test_type_error_column_attribute() -> None:
    """ExpressionError.column is the 1-based column of the offending operand."""
    with pytest.raises(ExpressionError) as info:
        compile_("cpu.count > 1 and item.kind + 1")
    assert 19 == info.value.column


def test_error_keeps_the_source() -> None:
    """ExpressionError.source is the text that was compiled."""
    with pytest.raises(ExpressionError) as info:
        compile_("gpu.present == 1")
    assert "gpu.present == 1" == info.value.source


def test_column_counts_characters_not_bytes() -> None:
    """Columns count characters even after non-ASCII text."""
    with pytest.raises(ExpressionError, match=r"got number \(column 16\)$"):
        compile_("'é' == 'é' and cpu.count")


def test_multi_line_errors_give_line_and_column() -> None:
    """Errors in multi-line expressions name the line and the column within it."""
    with pytest.raises(ExpressionError, match=r"got string and number \(line 2, column 3\)$"):
        compile_("(cpu.count > 1 and\n  item.kind > 2)")


def test_syntax_error_reports_column() -> None:
    """A syntax error becomes an ExpressionError with the parser's column."""
    with pytest.raises(ExpressionError, match=r"^invalid syntax \(column 4\)$"):
        compile_("1 +* 2")


def test_empty_expression_is_refused() -> None:
    """A blank expression is refused with a clear message."""
    with pytest.raises(ExpressionError, match=r"^expression is empty$"):
        compile_("   ")


def test_too_long_expression_is_refused() -> None:
    """Text longer than max_length is refused before parsing."""
    with pytest.raises(ExpressionError, match=r"too long \(11 characters; at most 10 allowed\)"):
        compile_expression("1 + 2 + 3 +", NAMES, max_length=10)


def test_literal_list_must_not_mix_types() -> None:
    """A literal list on the right of ``in`` must hold values of one type."""
    with pytest.raises(
        ExpressionError, match=r"^a literal list must not mix number and string \(column 16\)$"
    ):
        compile_("extra.value in (1, 'a')")


def test_invalid_escape_in_string_literal_does_not_warn() -> None:
    """Parsing never emits warnings, even for escapes Python would warn about."""
    assert "\\d" == run("'\\d'")


def test_literal_tuple_outside_in_is_refused() -> None:
    """Tuple literals are only allowed on the right of ``in``."""
    with pytest.raises(ExpressionError, match=r"^a tuple literal is only allowed on the right"):
        compile_("(1, 2) == (1, 2)")


# -- names -------------------------------------------------------------------------------


def test_unknown_name_suggests_close_match() -> None:
    """A misspelt name is refused with a did-you-mean suggestion."""
    with pytest.raises(
        ExpressionError,
        match=(
            r"^unknown name 'memry\.capacity_gib' \(column 1\); "
            r"did you mean 'memory\.capacity_gib'\?$"
        ),
    ):
        compile_("memry.capacity_gib >= 512")


def test_unknown_name_without_close_match() -> None:
    """An unknown name with nothing similar gets no suggestion."""
    with pytest.raises(ExpressionError, match=r"^unknown name 'zzz' \(column 6\)$"):
        compile_("1 == zzz")


def test_unknown_function_suggests_close_match() -> None:
    """A misspelt function is refused with a suggestion."""
    with pytest.raises(ExpressionError, match=r"did you mean 'max'\?$"):
        compile_("mx(1, 2)")


def test_names_lists_every_name_read() -> None:
    """``names`` holds dotted names, parameters and defined() arguments, not functions."""
    compiled = compile_(
        "defined(gpu.present) and memory.capacity_gib * psu_max_load > max(cpu.count, 1)"
    )
    assert (
        frozenset({"gpu.present", "memory.capacity_gib", "psu_max_load", "cpu.count"})
        == compiled.names
    )


def test_names_of_constant_expression_is_empty() -> None:
    """An expression with no names reads nothing."""
    assert frozenset() == compile_("1 < 2").names


def test_source_is_kept() -> None:
    """The compiled expression keeps its source text."""
    assert "cpu.count > 1" == compile_("cpu.count > 1").source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cpu.count + 1", ValueType.NUMBER),
        ("cpu.count > 1", ValueType.BOOL),
        ("item.kind", ValueType.STRING),
        ("platform.module_kinds", ValueType.STRINGS),
        ("extra.value", ValueType.ANY),
        ("extra.value + 1", ValueType.NUMBER),
        ("len(item.kind)", ValueType.NUMBER),
        ("defined(cpu.count)", ValueType.BOOL),
        ("max(item.kind, 'a')", ValueType.STRING),
        ("max(extra.value, extra.value)", ValueType.ANY),
        ("extra.value if gpu.present else 1", ValueType.ANY),
    ],
)
def test_value_type_inference(source: str, expected: ValueType) -> None:
    """The result type is inferred from literals, operators and declared names."""
    assert expected is compile_(source).value_type
