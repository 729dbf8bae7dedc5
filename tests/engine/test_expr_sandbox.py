"""Adversarial inputs: the expression compiler must refuse them quickly and safely."""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import functools
import math
import re

import pytest
import tomli_w
from hypothesis import event, given, settings
from hypothesis import strategies as st

from hwspec.engine.expr import (
    CompiledExpression,
    EvaluationError,
    MissingValue,
    ValueType,
    compile_expression,
)
from hwspec.engine.packs import load_pack_text
from hwspec.errors import ExpressionError, PackError

NAMES: dict[str, ValueType] = {
    "x": ValueType.NUMBER,
    "y": ValueType.STRINGS,
    "a": ValueType.STRINGS,
    "memory.capacity_gib": ValueType.NUMBER,
    "cpu.count": ValueType.NUMBER,
}

# Generous enough that the nesting and size limits, not the length limit, do the refusing.
HUGE = 10**7

ADVERSARIAL: list[tuple[str, str]] = [
    ("__import__('os')", r"function '__import__' is not allowed"),
    ("().__class__", r"attribute '__class__' is not allowed"),
    ("x.__class__", r"attribute '__class__' is not allowed"),
    ("memory.__globals__", r"attribute '__globals__' is not allowed"),
    ("cpu.mro", r"unknown name 'cpu\.mro'"),
    ("open('f')", r"function 'open' is not allowed"),
    ("eval('1')", r"function 'eval' is not allowed"),
    ("getattr(x, '__class__')", r"function 'getattr' is not allowed"),
    ("__builtins__", r"name '__builtins__' is not allowed"),
    ("(1).real", r"attribute access is only allowed on names"),
    ("'{}'.format(x)", r"calls are only allowed to the functions"),
    ("cpu.count()", r"calls are only allowed to the functions"),
    ("lambda: 1", r"^lambda is not allowed \(column 1\)$"),
    ("1 + (lambda: 1)", r"^lambda is not allowed \(column 6\)$"),
    ("[x for x in y]", r"list comprehension is not allowed"),
    ("(x for x in y)", r"generator expression is not allowed"),
    ("(y := 1)", r"assignment expression ':=' is not allowed"),
    ("f'{x}'", r"f-string is not allowed"),
    ("f'plain'", r"f-string is not allowed"),
    ("print(*a)", r"function 'print' is not allowed"),
    ("max(*a)", r"starred arguments are not allowed"),
    ("max(a=1)", r"keyword arguments are not allowed"),
    ("9**9**9", r"exponent of '\*\*' must be a number literal"),
    ("2**10000", r"exponent of '\*\*' must be a number literal"),
    ("x ** x", r"exponent of '\*\*' must be a number literal"),
    ("1 << 100000", r"operator '<<' is not allowed"),
    ("x | 1", r"operator '\|' is not allowed"),
    ("~x", r"operator '~' is not allowed"),
    ("x is x", r"operator 'is' is not allowed"),
    ("'a' * 10**9", r"operator '\*' needs numbers, got string"),
    ("'%s' % x", r"operator '%' needs numbers, got string"),
    ("[1] * 10**9", r"list literal is only allowed on the right of 'in'"),
    ("round(x, 10**9)", r"number of digits for round\(\) must be an integer literal"),
    ("(" * 10_000 + "1" + ")" * 10_000, r"expression is too long"),
    ("1+" * 10_000 + "1", r"expression is too long"),
    ("not " * 10_000 + "x", r"expression is too long"),
    ("'" + "a" * 1_000_000 + "'", r"expression is too long"),
    ("x[0]", r"subscript is not allowed"),
    ("y[0:1]", r"subscript is not allowed"),
    ("{1: 2}", r"dict literal is not allowed"),
    ("{1}", r"set literal is not allowed"),
    ("None", r"None is not allowed"),
    ("b'x'", r"bytes literal is not allowed"),
    ("1j", r"complex number is not allowed"),
    ("...", r"'\.\.\.' is not allowed"),
    ("await x", r"await is not allowed"),
    ("(yield)", r"yield is not allowed"),
    ("1" + "0" * 101, r"number literal is too large"),
    ("x\x00", r"null bytes"),
    ("import os", r"^invalid syntax \(column 1\)$"),
    ("{x for x in y}", r"set comprehension is not allowed"),
    ("{k: 1 for k in y}", r"dict comprehension is not allowed"),
    ("x.__mro__", r"attribute '__mro__' is not allowed"),
    ("type(x).__subclasses__()", r"calls are only allowed to the functions"),
    ("exec('1')", r"function 'exec' is not allowed"),
    ("globals()", r"function 'globals' is not allowed"),
    ("(lambda f: f(f))(lambda f: f(f))", r"calls are only allowed to the functions"),
    ("x >> 3", r"operator '>>' is not allowed"),
]

ADVERSARIAL_HUGE: list[tuple[str, str]] = [
    ("(" * 10_000 + "1" + ")" * 10_000, r"nested too deeply \(more than 40 levels of brackets\)"),
    ("[" * 10_000 + "1" + "]" * 10_000, r"nested too deeply"),
    ("1+" * 10_000 + "1", r"too many operators"),
    ("not " * 10_000 + "x", r"too many operators"),
    ("-" * 10_000 + "1", r"too many operators"),
    ("x" + ".x" * 10_000, r"too many operators"),
    ("1" + " if x else 1" * 10_000, r"too many operators"),
    ("1" + "+1" * 500, r"nested too deeply \(more than 100 levels\)"),
    ("-" * 500 + "1", r"nested too deeply \(more than 100 levels\)"),
    ("'" + "a" * 1_000_000 + "'", r"string literal is too long"),
    ("x in (" + "1," * 20_000 + ")", r"too complex"),
    ("f'{" + "(" * 5_000 + "x" + ")" * 5_000 + "}'", r"f-string is not allowed"),
]


@pytest.mark.parametrize(("source", "pattern"), ADVERSARIAL, ids=lambda v: repr(v)[:40])
def test_adversarial_input_is_refused(source: str, pattern: str) -> None:
    """Each hostile expression is refused at compile time with a specific message."""
    with pytest.raises(ExpressionError, match=pattern):
        compile_expression(source, NAMES)


def _pack(check: str) -> str:
    """A rule pack whose one rule checks ``check``, with a failing and a passing example."""
    spec = '[build]\nname = "x"\n'
    return tomli_w.dumps({"rule": [{
        "id": "TST001", "name": "test-rule", "severity": "error", "summary": "A test rule.",
        "check": check, "message": "failed",
        "example": [{"verdict": "fail", "spec": spec}, {"verdict": "pass", "spec": spec}],
    }]})


@pytest.mark.parametrize("source", [s for s, _ in ADVERSARIAL + ADVERSARIAL_HUGE],
                         ids=lambda v: repr(v)[:40])
def test_adversarial_input_is_refused_when_the_pack_loads(source: str) -> None:
    """Each hostile expression in a rule pack stops the pack at load, before any spec is read."""
    with pytest.raises(PackError, match=r"^hostile\.toml: TST001: check = "):
        load_pack_text(_pack(source), "hostile.toml")


@pytest.mark.parametrize(("source", "pattern"), ADVERSARIAL_HUGE, ids=lambda v: repr(v)[:40])
def test_huge_input_is_refused_by_structural_limits(source: str, pattern: str) -> None:
    """With the length limit lifted, nesting and size limits still refuse huge input."""
    with pytest.raises(ExpressionError, match=pattern):
        compile_expression(source, NAMES, max_length=HUGE)


@pytest.mark.parametrize(
    "source",
    ["(" * 10_000 + "x" + ")" * 10_000, "1+" * 10_000 + "1", "not " * 10_000 + "x"],
    ids=["parens", "sum", "not"],
)
def test_deep_input_is_refused_without_recursing(source: str) -> None:
    """Deeply nested input is refused with an ExpressionError, never a RecursionError."""
    with pytest.raises(ExpressionError):
        compile_expression(source, NAMES, max_length=HUGE)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    """The nesting pre-check skips string literals."""
    compiled = compile_expression("'" + "(" * 100 + "' in y", NAMES)
    assert True is compiled.evaluate({"y": ("(" * 100,)})


def test_moderate_nesting_is_accepted() -> None:
    """Reasonable nesting depth compiles and evaluates."""
    source = "(" * 30 + "x + 1" + ")" * 30
    assert 2 == compile_expression(source, NAMES).evaluate({"x": 1})


def test_huge_environment_integer_is_refused_at_run_time() -> None:
    """Integers above 10**100 from the environment are refused before arithmetic."""
    compiled = compile_expression("x ** 16", NAMES)
    with pytest.raises(EvaluationError, match="too large"):
        compiled.evaluate({"x": 10**10_000})


# -- random expressions -------------------------------------------------------------------

RANDOM_NAMES: dict[str, ValueType] = {
    "num.a": ValueType.NUMBER,
    "num.b": ValueType.NUMBER,
    "flag.a": ValueType.BOOL,
    "text.a": ValueType.STRING,
    "list.a": ValueType.STRINGS,
    "any.a": ValueType.ANY,
}

_numbers = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from([0, 1, -1, 10**100, 0.0, -0.0]),
    st.floats(allow_nan=False, allow_infinity=False),
).map(repr)

_leaves = st.one_of(
    st.sampled_from(sorted(RANDOM_NAMES)),
    _numbers,
    st.sampled_from(["True", "False"]),
    st.text(max_size=4).map(repr),
)

_BINARY = ["+", "-", "*", "/", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
_BINARY += ["in", "not in"]


def _tuple_literal(items: list[str]) -> str:
    """Render items as a tuple literal."""
    return "(" + ", ".join(items) + ("," if items else "") + ")"


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Build larger expressions from smaller ones."""
    return st.one_of(
        st.tuples(children, st.sampled_from(_BINARY), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"(-{c})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(children, st.integers(min_value=-20, max_value=20)).map(
            lambda t: f"({t[0]} ** {t[1]})"
        ),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(st.sampled_from(["abs", "len", "round"]), children).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(children, st.integers(min_value=-3, max_value=3)).map(
            lambda t: f"round({t[0]}, {t[1]})"
        ),
        st.sampled_from(sorted(RANDOM_NAMES)).map(lambda n: f"defined({n})"),
        st.tuples(children, st.lists(children, max_size=3)).map(
            lambda t: f"({t[0]} in {_tuple_literal(t[1])})"
        ),
    )


untyped_expressions = st.recursive(_leaves, _extend, max_leaves=20)


def _binary(
    left: st.SearchStrategy[str], ops: list[str], right: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """Render ``(left op right)`` for an operator drawn from ``ops``."""
    return st.tuples(left, st.sampled_from(ops), right).map(lambda t: f"({t[0]} {t[1]} {t[2]})")


def _conditional(
    branch: st.SearchStrategy[str], condition: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """Render ``(a if condition else b)`` with both branches from ``branch``."""
    return st.tuples(branch, condition, branch).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")


# Expressions that are well typed by construction, so that evaluation gets exercised deeply.
# Each strategy takes a depth budget and builds its operands one level shallower, so recursion
# ends by construction (no "max depth exceeded" retries) and every expression stays well inside
# the compiler's nesting and length limits.
_TYPED_DEPTH = 3


@functools.cache
def _typed_number(depth: int) -> st.SearchStrategy[str]:
    """Expressions of type number, nested at most ``depth`` levels."""
    leaves = st.one_of(st.sampled_from(["num.a", "num.b", "any.a"]), _numbers)
    if depth == 0:
        return leaves
    number = _typed_number(depth - 1)
    return st.one_of(
        leaves,
        _binary(number, ["+", "-", "*", "/", "//", "%"], number),
        number.map(lambda c: f"(-{c})"),
        st.tuples(number, st.integers(min_value=-16, max_value=16)).map(
            lambda t: f"({t[0]} ** {t[1]})"
        ),
        _conditional(number, _typed_bool(depth - 1)),
        st.tuples(st.sampled_from(["min", "max"]), number, number).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        number.map(lambda c: f"abs({c})"),
        number.map(lambda c: f"round({c})"),
        st.one_of(_typed_text(depth - 1), _typed_strings(depth - 1)).map(lambda c: f"len({c})"),
    )


@functools.cache
def _typed_text(depth: int) -> st.SearchStrategy[str]:
    """Expressions of type string, nested at most ``depth`` levels."""
    leaves = st.one_of(st.just("text.a"), st.text(max_size=4).map(repr))
    if depth == 0:
        return leaves
    text = _typed_text(depth - 1)
    return st.one_of(
        leaves,
        _conditional(text, _typed_bool(depth - 1)),
        st.tuples(text, text).map(lambda t: f"max({t[0]}, {t[1]})"),
    )


@functools.cache
def _typed_strings(depth: int) -> st.SearchStrategy[str]:
    """Expressions of type list of strings, nested at most ``depth`` levels."""
    if depth == 0:
        return st.just("list.a")
    return st.one_of(
        st.just("list.a"), _conditional(_typed_strings(depth - 1), _typed_bool(depth - 1))
    )


@functools.cache
def _typed_bool(depth: int) -> st.SearchStrategy[str]:
    """Expressions of type bool, nested at most ``depth`` levels."""
    leaves = st.one_of(
        st.sampled_from(["flag.a", "True", "False"]),
        st.sampled_from(sorted(RANDOM_NAMES)).map(lambda n: f"defined({n})"),
    )
    if depth == 0:
        return leaves
    number, text, boolean = _typed_number(depth - 1), _typed_text(depth - 1), _typed_bool(depth - 1)
    return st.one_of(
        leaves,
        _binary(number, ["==", "!=", "<", "<=", ">", ">="], number),
        _binary(text, ["==", "!=", "<", ">="], text),
        _binary(text, ["in", "not in"], _typed_strings(depth - 1)),
        st.tuples(number, st.lists(number, max_size=3)).map(
            lambda t: f"({t[0]} in {_tuple_literal(t[1])})"
        ),
        _binary(boolean, ["and", "or", "==", "!="], boolean),
        boolean.map(lambda c: f"(not {c})"),
        _conditional(boolean, boolean),
    )


# (declared type, source) pairs: each source is well typed and evaluates to its declared type.
typed_expressions = st.one_of(
    _typed_bool(_TYPED_DEPTH).map(lambda s: (ValueType.BOOL, s)),
    _typed_number(_TYPED_DEPTH).map(lambda s: (ValueType.NUMBER, s)),
    _typed_text(_TYPED_DEPTH).map(lambda s: (ValueType.STRING, s)),
    _typed_strings(_TYPED_DEPTH).map(lambda s: (ValueType.STRINGS, s)),
)

expressions = st.one_of(untyped_expressions, typed_expressions.map(lambda t: t[1]))

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, 0.0, -0.0, 10**200, -(10**200), 1e308, -1e308, 5e-324]),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.floats(),
    st.text(max_size=6),
    st.lists(st.text(max_size=3), max_size=3).map(tuple),
    st.lists(st.text(max_size=3), max_size=3),
)

_typed_values = {
    ValueType.NUMBER: st.one_of(
        st.integers(min_value=-(10**6), max_value=10**6),
        st.floats(),
        st.sampled_from([0, 0.0, 10**200, 1e308, math.nan, math.inf]),
    ),
    ValueType.BOOL: st.booleans(),
    ValueType.STRING: st.text(max_size=6),
    ValueType.STRINGS: st.lists(st.text(max_size=3), max_size=3).map(tuple),
    ValueType.ANY: _values,
}

# Each name is absent, holds a value of its declared type, or holds anything at all.
environments = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(_typed_values[value_type], _values)
        for name, value_type in RANDOM_NAMES.items()
    },
)

# Every name holds a value of its declared type; the typed strategies use any.a as a number.
typed_environments = st.fixed_dictionaries(
    {
        name: _typed_values[ValueType.NUMBER if value_type is ValueType.ANY else value_type]
        for name, value_type in RANDOM_NAMES.items()
    }
)

# What a well-typed expression may still fail on at run time: the arithmetic itself.
_ARITHMETIC_FAILURE = re.compile(
    r"division by zero|zero cannot be raised to a negative power|is too large|"
    r"is not a real number|cannot round"
)


def _conforms(value_type: ValueType, value: object) -> bool:
    """Whether a result value fits the statically inferred type."""
    if value_type is ValueType.NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if value_type is ValueType.BOOL:
        return isinstance(value, bool)
    if value_type is ValueType.STRING:
        return isinstance(value, str)
    if value_type is ValueType.STRINGS:
        return isinstance(value, tuple) and all(isinstance(item, str) for item in value)
    return isinstance(value, (int, float, bool, str, tuple))


def _compile_outcome(source: str) -> CompiledExpression | ExpressionError:
    """The compiled source or the ExpressionError it raises, recorded as an event."""
    try:
        outcome: CompiledExpression | ExpressionError = compile_expression(source, RANDOM_NAMES)
    except ExpressionError as error:
        outcome = error
    event(f"compile: {type(outcome).__name__}")
    return outcome


def _evaluation_outcome(compiled: CompiledExpression, env: dict[str, object]) -> object:
    """The value of compiled in env or the MissingValue or EvaluationError raised, as an event."""
    try:
        outcome = compiled.evaluate(env)
    except (MissingValue, EvaluationError) as error:
        outcome = error
    kind = type(outcome).__name__ if isinstance(outcome, Exception) else "value"
    event(f"evaluate: {kind}")
    return outcome


@settings(max_examples=300, deadline=None)
@given(typed=typed_expressions)
def test_well_typed_expressions_compile_to_their_declared_type(
    typed: tuple[ValueType, str],
) -> None:
    """An expression well typed by construction compiles, to its declared type or to any."""
    declared, source = typed
    assert compile_expression(source, RANDOM_NAMES).value_type in {declared, ValueType.ANY}


@settings(max_examples=300, deadline=None)
@given(
    typed=typed_expressions,
    env=typed_environments,
    missing=st.sets(st.sampled_from(sorted(RANDOM_NAMES)), max_size=2),
)
def test_well_typed_expressions_evaluate_to_their_declared_type(
    typed: tuple[ValueType, str], env: dict[str, object], missing: set[str]
) -> None:
    """A well-typed expression evaluates to its type, failing only on a left-out name or on arithmetic."""
    declared, source = typed
    partial = {name: value for name, value in env.items() if name not in missing}
    outcome = _evaluation_outcome(compile_expression(source, RANDOM_NAMES), partial)
    if isinstance(outcome, MissingValue):
        assert outcome.name in missing
    elif isinstance(outcome, EvaluationError):
        assert _ARITHMETIC_FAILURE.search(outcome.message), outcome.message
    else:
        assert _conforms(declared, outcome), outcome


# Documented errors, one case each: what the random properties may meet, shown to happen.
ILL_TYPED: list[tuple[str, str]] = [
    ("flag.a + 1", r"operator '\+' needs numbers, got bool"),
    ("num.a and flag.a", r"operator 'and' needs bool operands, got number"),
    ("not text.a", r"operator 'not' needs a bool, got string"),
    ("len(num.a)", r"len\(\) needs a string or a list of strings, got number"),
    ("num.a == text.a", r"cannot compare number with string"),
    ("min(num.a, text.a)", r"min\(\) needs all numbers or all strings"),
    ("num.a if flag.a else text.a", r"the two branches of 'if \.\.\. else' have different types"),
    ("1 if num.a else 2", r"the condition of 'if \.\.\. else' must be a bool, got number"),
    ("num.a in list.a", r"operator 'in' needs a string on the left, got number"),
    ("num.c", r"unknown name 'num\.c'"),
]


@pytest.mark.parametrize(("source", "pattern"), ILL_TYPED, ids=[s for s, _ in ILL_TYPED])
def test_ill_typed_expression_is_refused(source: str, pattern: str) -> None:
    """An ill-typed expression or an unknown name raises ExpressionError at compile time."""
    with pytest.raises(ExpressionError, match=pattern):
        compile_expression(source, RANDOM_NAMES)


@pytest.mark.parametrize("env", [{}, {"num.a": None}], ids=["absent", "none"])
def test_name_without_a_value_raises_missing_value(env: dict[str, object]) -> None:
    """A name that is absent or None raises MissingValue naming it."""
    compiled = compile_expression("num.a + 1", RANDOM_NAMES)
    with pytest.raises(MissingValue) as caught:
        compiled.evaluate(env)

    assert "num.a" == caught.value.name


EVALUATION_ERRORS: list[tuple[str, dict[str, object], str]] = [
    ("num.a / num.b", {"num.a": 1, "num.b": 0}, r"^division by zero"),
    ("num.a // num.b", {"num.a": 1, "num.b": 0.0}, r"^division by zero"),
    ("num.a % num.b", {"num.a": 1, "num.b": 0}, r"^division by zero"),
    ("num.a ** -1", {"num.a": 0}, r"^zero cannot be raised to a negative power"),
    ("num.a ** 0.5", {"num.a": -8}, r"^result of operator '\*\*' is not a real number"),
    ("num.a * num.a", {"num.a": 10**60}, r"^result of operator '\*' is too large"),
    ("num.a + 1", {"num.a": 10**200}, r"^number is too large for operator '\+'"),
    ("round(num.a)", {"num.a": math.inf}, r"^cannot round inf"),
    ("num.a + 1", {"num.a": "3"}, r"^value of 'num\.a' should be a number, got string"),
    ("any.a + 1", {"any.a": "3"}, r"^operator '\+' needs a number, got string"),
    ("any.a == 1", {"any.a": "x"}, r"^cannot compare string with number"),
    ("'a' in list.a", {"list.a": ["a", 1]}, r"^value of 'list\.a' is a list containing int"),
    ("num.a", {"num.a": object()}, r"^value of 'num\.a' has unsupported type object"),
]


@pytest.mark.parametrize(
    ("source", "env", "pattern"), EVALUATION_ERRORS, ids=[s for s, _, _ in EVALUATION_ERRORS]
)
def test_evaluation_problem_raises_evaluation_error(
    source: str, env: dict[str, object], pattern: str
) -> None:
    """A bad value or failed arithmetic raises EvaluationError saying what went wrong."""
    compiled = compile_expression(source, RANDOM_NAMES)
    with pytest.raises(EvaluationError, match=pattern):
        compiled.evaluate(env)


def _placed_in(error: ExpressionError, source: str) -> bool:
    """Whether an ExpressionError is about source, with its line and column (if given) in it."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    line = 1 if error.line is None else error.line
    return (
        error.source == source
        and bool(error.message)
        and 1 <= line <= len(lines)
        and (error.column is None or 1 <= error.column <= len(lines[line - 1]) + 1)
    )


@settings(max_examples=300, deadline=None)
@given(source=expressions, env=environments)
def test_random_expressions_raise_only_documented_errors(
    source: str, env: dict[str, object]
) -> None:
    """Random expressions fail only with ExpressionError, MissingValue or EvaluationError."""
    compiled = _compile_outcome(source)
    if isinstance(compiled, ExpressionError):
        assert _placed_in(compiled, source), (compiled.line, compiled.column)
    else:
        outcome = _evaluation_outcome(compiled, env)
        if isinstance(outcome, MissingValue):
            assert env.get(outcome.name) is None
        elif isinstance(outcome, EvaluationError):
            assert outcome.message
        else:
            assert _conforms(compiled.value_type, outcome), outcome


@settings(max_examples=300, deadline=None)
@given(source=st.text(max_size=60))
def test_random_text_raises_only_expression_error(source: str) -> None:
    """Arbitrary text compiles to a typed expression or raises ExpressionError placed in the text."""
    outcome = _compile_outcome(source)
    if isinstance(outcome, ExpressionError):
        assert _placed_in(outcome, source), (outcome.line, outcome.column)
    else:
        assert isinstance(outcome.value_type, ValueType)
