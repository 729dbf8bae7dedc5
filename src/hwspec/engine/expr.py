"""A small, sandboxed expression language for rule ``check`` and ``when`` clauses.

Rule packs are data and may come from untrusted contributions, so expressions
are never handed to Python's ``eval`` or ``compile``.  Instead the source text
is parsed with :func:`ast.parse`, checked against an allow-list of syntax,
type-checked against the declared types of the names it reads, and turned into
a tree of plain Python closures.

The language
------------
* literals: integers, floats, strings, ``True`` and ``False``;
* names: dotted fact names (``memory.capacity_gib``) and plain parameter names
  (``psu_max_load``), each of which must be declared when compiling;
* ``and``, ``or``, ``not`` (operands must be booleans; no truthiness);
* unary ``-`` and ``+``, binary ``+ - * / // % **`` on numbers only; the
  exponent of ``**`` must be a number literal between -16 and 16;
* comparisons ``== != < <= > >= in not in``, chained as in Python; the right
  side of ``in`` is a list of strings or a tuple/list literal;
* ``a if condition else b``;
* the functions ``min``, ``max``, ``abs``, ``round``, ``len`` and
  ``defined(name)``, which is true when the name has a value.

Booleans are never numbers: ``True + 1`` and ``flag == 1`` are errors.

Evaluation reads values from a flat mapping of names to values.  A name that
is absent (or whose value is ``None``) raises :class:`MissingValue`; every
other runtime problem raises :class:`EvaluationError`.  Evaluation time is
bounded by the size of the expression, which is itself bounded at compile time.
"""

from __future__ import annotations

import ast
import operator
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from hwspec.errors import ExpressionError
from hwspec.findings import did_you_mean
from hwspec.spec.vocab import ValueType

__all__ = [
    "CompiledExpression",
    "EvaluationError",
    "ExpressionError",
    "MissingValue",
    "ValueType",
    "compile_expression",
]

_DEFAULT_MAX_LENGTH = 2000
# Limits checked on the raw text, before parsing, so that the parser itself is
# never asked to build a pathologically deep tree. The tree-shape limits below
# cannot replace them: with the length limit lifted, 10,000 nested brackets or
# unary operators exhaust the parser before there is a tree to measure.
_MAX_BRACKET_DEPTH = 40
_MAX_OPERATORS = 1000
_TOO_MANY_OPERATORS = f"expression has too many operators (more than {_MAX_OPERATORS})"
# Limits checked (iteratively) on the parsed tree, before the recursive compiler
# and the recursive evaluator ever see it.
_MAX_TREE_DEPTH = 100
_MAX_NODES = 10_000
# Limits on values.
_MAX_INT = 10**100
_MAX_POWER_RESULT = 1e300
_MAX_EXPONENT = 16
_MAX_ROUND_DIGITS = 16
_MAX_STRING_LITERAL = 10_000

_FUNCTIONS = ("abs", "defined", "len", "max", "min", "round")

_OPERATOR_CHARS = frozenset("+-*/%<>=!~&|^@:.")
_OPERATOR_WORDS = frozenset(
    {"and", "or", "not", "in", "is", "if", "else", "lambda", "for", "await", "yield"}
)
_STRING_PREFIX_CHARS = frozenset("rRbBuUfF")


_DESCRIPTIONS = {
    ValueType.NUMBER: "number",
    ValueType.BOOL: "bool",
    ValueType.STRING: "string",
    ValueType.STRINGS: "list of strings",
    ValueType.ANY: "value of unknown type",
}

_ARTICLES = {
    ValueType.NUMBER: "a number",
    ValueType.BOOL: "a bool",
    ValueType.STRING: "a string",
    ValueType.STRINGS: "a list of strings",
    ValueType.ANY: "any value",
}


class MissingValue(Exception):  # noqa: N818 - the name is part of the interface
    """An expression read a name that has no value in the environment."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no value for '{name}'")
        self.name = name


class EvaluationError(Exception):
    """An expression could not be evaluated (bad value, division by zero, ...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_Env = Mapping[str, object]
_Fn = Callable[[_Env], object]


@frozen
class CompiledExpression:
    """A checked expression, ready to be evaluated against environments."""

    source: str
    names: frozenset[str]
    value_type: ValueType
    _function: _Fn = field(repr=False, eq=False, alias="_function")

    def evaluate(self, env: Mapping[str, object]) -> object:
        """Evaluate against ``env``, a flat mapping of names to values.

        Raises :class:`MissingValue` when a name that is needed has no value
        and :class:`EvaluationError` for any other problem.
        """
        try:
            return self._function(env)
        except RecursionError:
            raise EvaluationError(
                "expression is nested too deeply for the current call stack"
            ) from None


def compile_expression(
    source: str,
    names: Mapping[str, ValueType],
    *,
    max_length: int = _DEFAULT_MAX_LENGTH,
    hostile: bool = True,
) -> CompiledExpression:
    """Parse, check and compile ``source``.

    ``names`` maps every name the expression may read to its type.  Raises
    :class:`ExpressionError` if the expression is malformed, uses anything
    outside the allowed language, reads an undeclared name, or is ill-typed.
    ``hostile=False`` (the rule packs hwspec ships, which a test compiles with every
    check) skips the scans that bound how deep and large the parse tree may grow.
    """
    tree = _parse(source, max_length, hostile)
    compiler = _Compiler(source, names)
    try:
        part = compiler.compile(tree.body)
    except RecursionError:
        raise _error("expression is nested too deeply", source, None, None) from None
    return CompiledExpression(
        source=source,
        names=frozenset(compiler.read),
        value_type=part.type,
        _function=part.fn,
    )


# ---------------------------------------------------------------------------
# Errors and positions


def _error(
    text: str,
    source: str,
    line: int | None,
    column: int | None,
    suggestion: str = "",
) -> ExpressionError:
    """The error for ``text`` at a position, with a did-you-mean ``suggestion`` suffix (from
    ``findings.did_you_mean``) appended as given."""
    message = text
    if column is not None:
        if line is not None and _is_multiline(source):
            message += f" (line {line}, column {column})"
        else:
            message += f" (column {column})"
    message += suggestion
    return ExpressionError(message, column=column, line=line, source=source)


def _is_multiline(source: str) -> bool:
    return "\n" in source or "\r" in source


def _split_lines(source: str) -> list[str]:
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _error_at(source: str, index: int, text: str) -> ExpressionError:
    """The error for ``text`` at a character index of ``source``."""
    line, column = _index_position(source, index)
    return _error(text, source, line, column)


def _index_position(source: str, index: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a character index in ``source``."""
    before = source[:index].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column


# ---------------------------------------------------------------------------
# Parsing with resource limits


def _parse(source: str, max_length: int, hostile: bool = True) -> ast.Expression:
    if not isinstance(source, str):
        raise ExpressionError(
            f"expression must be a string, not {type(source).__name__}",
            source=str(source),
        )
    if len(source) > max_length:
        raise _error(
            f"expression is too long ({len(source)} characters; at most {max_length} allowed)",
            source,
            None,
            None,
        )
    if not source.strip():
        raise _error("expression is empty", source, None, None)
    if hostile:
        _precheck(source)
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like would otherwise warn (or, under an
            # "error" warning filter, fail) depending on the caller's settings.
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        column = exc.offset if exc.offset and exc.offset > 0 else None
        raise _error(exc.msg or "invalid syntax", source, line, column) from None
    except (ValueError, RecursionError, MemoryError):
        raise _error("expression could not be parsed", source, None, None) from None
    if hostile:
        _check_tree_shape(tree, source)
    return tree


def _precheck(source: str) -> None:
    """Refuse text whose parse tree could be too deep, without parsing it.

    Counts bracket depth and operator characters/keywords outside string
    literals.  Any nesting in the parse tree needs a bracket, an operator or a
    dot, so bounding these bounds the depth of the tree the parser builds.
    """
    depth = 0
    operators = 0
    index = 0
    length = len(source)
    while index < length:
        char = source[index]
        if char in "([{":
            depth += 1
            if depth > _MAX_BRACKET_DEPTH:
                raise _error_at(source, index, f"expression is nested too deeply (more than "
                                f"{_MAX_BRACKET_DEPTH} levels of brackets)")
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in "'\"":
            index = _skip_string(source, index)
            continue
        elif char == "#":
            while index < length and source[index] not in "\r\n":
                index += 1
            continue
        elif char in _OPERATOR_CHARS:
            operators += 1
        elif char.isidentifier():
            # The first character is consumed whatever it is, so the scan always advances: some
            # characters start an identifier without being letters (U+212E, U+2118).
            start = index
            index += 1
            while index < length and _continues_identifier(source[index]):
                index += 1
            word = source[start:index]
            if word in _OPERATOR_WORDS:
                operators += 1
            elif (
                index < length
                and source[index] in "'\""
                and len(word) <= 2
                and set(word) <= _STRING_PREFIX_CHARS
                and "f" in word.lower()
            ):
                raise _error_at(source, start, "f-string is not allowed")
            if operators > _MAX_OPERATORS:
                raise _error_at(source, start, _TOO_MANY_OPERATORS)
            continue
        if operators > _MAX_OPERATORS:
            raise _error_at(source, index, _TOO_MANY_OPERATORS)
        index += 1


def _continues_identifier(char: str) -> bool:
    """Whether ``char`` may continue a Python identifier (letters, digits, ``_`` and the rest)."""
    return char.isalnum() or char == "_" or ("a" + char).isidentifier()


def _skip_string(source: str, index: int) -> int:
    """Return the index just past the string literal starting at ``index``."""
    quote = source[index]
    length = len(source)
    if source.startswith(quote * 3, index):
        end = quote * 3
        index += 3
        while index < length:
            if source[index] == "\\":
                index += 2
            elif source.startswith(end, index):
                return index + 3
            else:
                index += 1
        return length
    index += 1
    while index < length:
        char = source[index]
        if char == "\\":
            index += 2
        elif char == quote:
            return index + 1
        elif char in "\r\n":
            # An unterminated literal; the tokenizer stops here too.
            return index
        else:
            index += 1
    return length


def _check_tree_shape(tree: ast.Expression, source: str) -> None:
    """Bound the depth and size of the parsed tree, iteratively."""
    lines = _split_lines(source)
    count = 0
    stack: list[tuple[ast.AST, int, ast.AST]] = [(tree.body, 1, tree.body)]
    while stack:
        node, depth, located = stack.pop()
        if hasattr(node, "col_offset"):
            located = node
        count += 1
        problem = (
            f"expression is nested too deeply (more than {_MAX_TREE_DEPTH} levels)"
            if depth > _MAX_TREE_DEPTH else
            f"expression is too complex (more than {_MAX_NODES} parts)"
            if count > _MAX_NODES else None)
        if problem is not None:
            raise _error(problem, source, *_node_position(located, lines))
        # The children ``ast.iter_child_nodes`` gives, in its order, without its generators.
        for name in node._fields:
            child = getattr(node, name, None)
            if isinstance(child, ast.AST):
                stack.append((child, depth + 1, located))
            elif isinstance(child, list):
                stack.extend((item, depth + 1, located) for item in child
                             if isinstance(item, ast.AST))


def _node_position(node: ast.AST, lines: Sequence[str]) -> tuple[int | None, int | None]:
    """Return the 1-based (line, character column) of a node, if it has one."""
    lineno = getattr(node, "lineno", None)
    offset = getattr(node, "col_offset", None)
    if not isinstance(lineno, int) or not isinstance(offset, int):
        return None, None
    text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    # ``col_offset`` counts UTF-8 bytes; report characters.
    prefix = text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    return lineno, len(prefix) + 1


def _attribute_chain(node: ast.Attribute) -> tuple[list[str], ast.expr]:
    """Split ``a.b.c`` into (["b", "c"], <node for a>)."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    parts.reverse()
    return parts, current


# ---------------------------------------------------------------------------
# Runtime helpers


def _kind(value: object) -> ValueType:
    """The type of a runtime value (values are normalised on lookup)."""
    if isinstance(value, bool):
        return ValueType.BOOL
    if isinstance(value, (int, float)):
        return ValueType.NUMBER
    if isinstance(value, str):
        return ValueType.STRING
    return ValueType.STRINGS


_PLAIN_KINDS: dict[type, ValueType] = {bool: ValueType.BOOL, int: ValueType.NUMBER,
                                       float: ValueType.NUMBER, str: ValueType.STRING}
"""The type of a value that ``_normalise`` would return as it is (exactly these classes)."""


def _normalise(value: object, name: str, declared: ValueType, where: str) -> object:
    """Turn an environment value into one of the language's plain values."""
    result: object
    if isinstance(value, bool):
        result = value
    elif isinstance(value, int):
        result = value if type(value) is int else int.__int__(value)
    elif isinstance(value, float):
        result = value if type(value) is float else float.__float__(value)
    elif isinstance(value, str):
        result = value if type(value) is str else str.__str__(value)
    elif isinstance(value, (tuple, list)):
        items: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise EvaluationError(
                    f"value of '{name}' is a list containing "
                    f"{type(item).__name__}, not only strings{where}"
                )
            items.append(item if type(item) is str else str.__str__(item))
        result = tuple(items)
    else:
        raise EvaluationError(
            f"value of '{name}' has unsupported type {type(value).__name__}{where}"
        )
    kind = _kind(result)
    if declared is not ValueType.ANY and kind is not declared:
        raise EvaluationError(
            f"value of '{name}' should be {_ARTICLES[declared]}, got {_DESCRIPTIONS[kind]}{where}"
        )
    return result


def _require_number(value: object, what: str, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EvaluationError(f"{what} needs a number, got {_DESCRIPTIONS[_kind(value)]}{where}")
    if isinstance(value, int) and abs(value) > _MAX_INT:
        raise EvaluationError(f"number is too large for {what}{where}")
    return value


def _require_bool(value: object, what: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise EvaluationError(f"{what} needs a bool, got {_DESCRIPTIONS[_kind(value)]}{where}")
    return value


def _check_number_result(value: object, what: str, where: str, *, power: bool) -> object:
    if isinstance(value, complex):
        raise EvaluationError(f"result of {what} is not a real number{where}")
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > _MAX_INT:
            raise EvaluationError(f"result of {what} is too large{where}")
    elif power and isinstance(value, float) and abs(value) > _MAX_POWER_RESULT:
        raise EvaluationError(f"result of {what} is too large{where}")
    return value


def _equal(left: object, right: object, where: str) -> bool:
    if type(left) is type(right) and type(left) in _PLAIN_KINDS:  # one plain type: one kind
        return left == right
    left_kind = _kind(left)
    right_kind = _kind(right)
    if left_kind is not right_kind:
        raise EvaluationError(
            f"cannot compare {_DESCRIPTIONS[left_kind]} with {_DESCRIPTIONS[right_kind]}{where}"
        )
    return left == right


_Comparison = Callable[[object, object], bool]


def _make_equality(where: str, *, negate: bool) -> _Comparison:
    def compare(left: object, right: object) -> bool:
        return _equal(left, right, where) is not negate

    return compare


_ORDERED_WITH: dict[type, frozenset[type]] = {int: frozenset({int, float}),
                                              float: frozenset({int, float}),
                                              str: frozenset({str})}
"""For a plain number or string, the plain types an ordering compares it with as they are:
two numbers, or two strings (``bool`` is neither)."""


def _make_ordering(symbol: str, function: Callable[[Any, Any], bool], where: str) -> _Comparison:
    def compare(left: object, right: object) -> bool:
        partners = _ORDERED_WITH.get(type(left))
        if partners is not None and type(right) in partners:  # most comparisons: no kinds
            return bool(function(left, right))
        left_kind = _kind(left)
        right_kind = _kind(right)
        if left_kind is not right_kind or left_kind not in _ORDERABLE:
            raise EvaluationError(
                f"operator '{symbol}' needs two numbers or two strings, got "
                f"{_DESCRIPTIONS[left_kind]} and {_DESCRIPTIONS[right_kind]}{where}"
            )
        return bool(function(left, right))

    return compare


def _make_membership(symbol: str, where: str, *, negate: bool) -> _Comparison:
    def compare(left: object, right: object) -> bool:
        if not isinstance(right, tuple):
            raise EvaluationError(
                f"operator '{symbol}' needs a list of strings on the right, got "
                f"{_DESCRIPTIONS[_kind(right)]}{where}"
            )
        if not isinstance(left, str):
            raise EvaluationError(
                f"operator '{symbol}' needs a string on the left, got "
                f"{_DESCRIPTIONS[_kind(left)]}{where}"
            )
        return (left in right) is not negate

    return compare


_ORDERABLE = frozenset({ValueType.NUMBER, ValueType.STRING})

# Every operator the parser can hand the compiler: its symbol, and the function it computes, or
# None for one the language leaves out (bitwise operators, ``is``), refused by its symbol.
_OPERATORS: dict[type[ast.AST], tuple[str, Callable[[Any, Any], Any] | None]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod),
    ast.Pow: ("**", operator.pow),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.LShift: ("<<", None),
    ast.RShift: (">>", None),
    ast.BitOr: ("|", None),
    ast.BitXor: ("^", None),
    ast.BitAnd: ("&", None),
    ast.MatMult: ("@", None),
    ast.Invert: ("~", None),
    ast.Is: ("is", None),
    ast.IsNot: ("is not", None),
}

_ORDERINGS = frozenset({ast.Lt, ast.LtE, ast.Gt, ast.GtE})


def _operation(op_type: type[ast.AST]) -> tuple[str, Callable[[Any, Any], Any]]:
    """The symbol and function of an operator the language computes (the forbidden ones are
    refused before this is asked)."""
    symbol, function = _OPERATORS[op_type]
    assert function is not None, symbol
    return symbol, function


_CONSTRUCTS: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
    ast.NamedExpr: "assignment expression ':='",
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.Set: "set literal",
    ast.Dict: "dict literal",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Starred: "starred expression",
}


# ---------------------------------------------------------------------------
# The compiler


@frozen
class _Part:
    fn: _Fn
    type: ValueType


def _constant(value: object) -> _Fn:
    def constant(env: _Env) -> object:
        return value

    return constant


class _Compiler:
    """Turns a checked syntax tree into closures, inferring types as it goes."""

    def __init__(self, source: str, names: Mapping[str, ValueType]) -> None:
        self._source = source
        self._names = names
        self._lines = _split_lines(source)
        self.read: set[str] = set()

    # -- positions and errors ------------------------------------------------

    def _error(self, text: str, node: ast.AST, suggestion: str = "") -> ExpressionError:
        line, column = _node_position(node, self._lines)
        return _error(text, self._source, line, column, suggestion)

    def _where(self, node: ast.AST) -> str:
        line, column = _node_position(node, self._lines)
        if column is None:
            return ""
        if line is not None and len(self._lines) > 1:
            return f" (line {line}, column {column})"
        return f" (column {column})"

    def _expect(
        self,
        part: _Part,
        allowed: frozenset[ValueType],
        node: ast.AST,
        message: str,
    ) -> None:
        if part.type is not ValueType.ANY and part.type not in allowed:
            raise self._error(message.format(got=_DESCRIPTIONS[part.type]), node)

    # -- dispatch --------------------------------------------------------------

    def compile(self, node: ast.expr) -> _Part:
        compile_node = _NODE_COMPILERS.get(type(node))
        if compile_node is not None:
            return compile_node(self, node)
        if isinstance(node, (ast.Tuple, ast.List)):
            kind = "tuple" if isinstance(node, ast.Tuple) else "list"
            raise self._error(
                f"a {kind} literal is only allowed on the right of 'in' or 'not in'",
                node,
            )
        construct = _CONSTRUCTS.get(type(node), type(node).__name__)
        raise self._error(f"{construct} is not allowed", node)

    # -- leaves ------------------------------------------------------------------

    def _constant(self, node: ast.Constant) -> _Part:
        value = node.value
        if isinstance(value, bool):
            return _Part(_constant(value), ValueType.BOOL)
        if isinstance(value, int):
            if abs(value) > _MAX_INT:
                raise self._error("number literal is too large", node)
            return _Part(_constant(value), ValueType.NUMBER)
        if isinstance(value, float):
            return _Part(_constant(value), ValueType.NUMBER)
        if isinstance(value, str):
            if len(value) > _MAX_STRING_LITERAL:
                raise self._error(
                    f"string literal is too long (more than {_MAX_STRING_LITERAL} characters)",
                    node,
                )
            return _Part(_constant(value), ValueType.STRING)
        if value is None:
            raise self._error("None is not allowed", node)
        if isinstance(value, bytes):
            raise self._error("bytes literal is not allowed", node)
        if isinstance(value, complex):
            raise self._error("complex number is not allowed", node)
        if value is Ellipsis:
            raise self._error("'...' is not allowed", node)
        raise self._error(f"constant of type {type(value).__name__} is not allowed", node)

    def _dotted_name(self, node: ast.Name | ast.Attribute) -> str:
        """Resolve a name or attribute chain to a declared dotted name."""
        if isinstance(node, ast.Attribute):
            parts, base = _attribute_chain(node)
            for part in parts:
                if part.startswith("_"):
                    raise self._error(
                        f"attribute '{part}' is not allowed: names beginning with '_' are reserved",
                        node,
                    )
            if not isinstance(base, ast.Name):
                raise self._error("attribute access is only allowed on names", node)
        else:
            parts, base = [], node
        if base.id.startswith("_"):
            raise self._error(
                f"name '{base.id}' is not allowed: names beginning with '_' are reserved",
                base,
            )
        name = ".".join([base.id, *parts])
        if name not in self._names:
            raise self._error(f"unknown name '{name}'", node, did_you_mean(name, self._names))
        self.read.add(name)
        return name

    def _lookup(self, node: ast.Name | ast.Attribute) -> _Part:
        name = self._dotted_name(node)
        declared = self._names[name]
        if not isinstance(declared, ValueType):
            raise self._error(f"name '{name}' has no valid type declared", node)
        where = self._where(node)

        def lookup(env: _Env) -> object:
            value = env.get(name)
            if value is None:
                raise MissingValue(name)
            if _PLAIN_KINDS.get(type(value)) is declared:  # already plain: most facts
                return value
            return _normalise(value, name, declared, where)

        return _Part(lookup, declared)

    # -- operators ---------------------------------------------------------------

    def _bool_op(self, node: ast.BoolOp) -> _Part:
        symbol = "and" if isinstance(node.op, ast.And) else "or"
        parts = [self.compile(value) for value in node.values]
        for value, part in zip(node.values, parts, strict=True):
            self._expect(
                part,
                frozenset({ValueType.BOOL}),
                value,
                f"operator '{symbol}' needs bool operands, got {{got}}",
            )
        functions = tuple(part.fn for part in parts)
        wheres = tuple(self._where(value) for value in node.values)
        what = f"operator '{symbol}'"
        stop = symbol == "or"

        def bool_op(env: _Env) -> object:
            for function, where in zip(functions, wheres, strict=True):
                if _require_bool(function(env), what, where) is stop:
                    return stop
            return not stop

        return _Part(bool_op, ValueType.BOOL)

    def _unary_op(self, node: ast.UnaryOp) -> _Part:
        self._refuse_forbidden(type(node.op), node)
        operand = self.compile(node.operand)
        where = self._where(node.operand)
        function = operand.fn
        if isinstance(node.op, ast.Not):
            self._expect(
                operand,
                frozenset({ValueType.BOOL}),
                node.operand,
                "operator 'not' needs a bool, got {got}",
            )

            def negation(env: _Env) -> object:
                return not _require_bool(function(env), "operator 'not'", where)

            return _Part(negation, ValueType.BOOL)
        symbol = "-" if isinstance(node.op, ast.USub) else "+"
        self._expect(
            operand,
            frozenset({ValueType.NUMBER}),
            node.operand,
            f"operator '{symbol}' needs a number, got {{got}}",
        )
        what = f"operator '{symbol}'"
        if symbol == "-":

            def minus(env: _Env) -> object:
                return -_require_number(function(env), what, where)

            return _Part(minus, ValueType.NUMBER)

        def plus(env: _Env) -> object:
            return _require_number(function(env), what, where)

        return _Part(plus, ValueType.NUMBER)

    def _check_exponent(self, node: ast.expr) -> None:
        inner = node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = node.operand
        if not (
            isinstance(inner, ast.Constant)
            and isinstance(inner.value, (int, float))
            and not isinstance(inner.value, bool)
            and abs(inner.value) <= _MAX_EXPONENT
        ):
            raise self._error(
                f"the exponent of '**' must be a number literal between "
                f"-{_MAX_EXPONENT} and {_MAX_EXPONENT}",
                node,
            )

    def _refuse_forbidden(self, op_type: type[ast.AST], node: ast.AST) -> None:
        """Refuse an operator the language leaves out (bitwise ones, ``is``), by its symbol."""
        known = _OPERATORS.get(op_type)
        if known is not None and known[1] is None:
            raise self._error(f"operator '{known[0]}' is not allowed", node)

    def _bin_op(self, node: ast.BinOp) -> _Part:
        op_type = type(node.op)
        self._refuse_forbidden(op_type, node)
        symbol, function = _operation(op_type)
        power = op_type is ast.Pow
        if power:
            self._check_exponent(node.right)
        left = self.compile(node.left)
        right = self.compile(node.right)
        numbers = frozenset({ValueType.NUMBER})
        message = f"operator '{symbol}' needs numbers, got {{got}}"
        self._expect(left, numbers, node.left, message)
        self._expect(right, numbers, node.right, message)
        left_fn, right_fn = left.fn, right.fn
        left_where = self._where(node.left)
        right_where = self._where(node.right)
        where = self._where(node)
        what = f"operator '{symbol}'"
        zero_message = "zero cannot be raised to a negative power" if power else "division by zero"

        def arithmetic(env: _Env) -> object:
            a = _require_number(left_fn(env), what, left_where)
            b = _require_number(right_fn(env), what, right_where)
            try:
                result = function(a, b)
            except ZeroDivisionError:
                raise EvaluationError(zero_message + where) from None
            except (ArithmeticError, ValueError):
                raise EvaluationError(f"result of {what} is too large{where}") from None
            return _check_number_result(result, what, where, power=power)

        return _Part(arithmetic, ValueType.NUMBER)

    # -- comparisons -------------------------------------------------------------

    def _check_equality(self, left: _Part, right: _Part, node: ast.AST) -> None:
        if ValueType.ANY in (left.type, right.type) or left.type is right.type:
            return
        raise self._error(
            f"cannot compare {_DESCRIPTIONS[left.type]} with {_DESCRIPTIONS[right.type]}",
            node,
        )

    def _compare(self, node: ast.Compare) -> _Part:
        first = self.compile(node.left)
        left_part, left_node = first, node.left
        steps: list[Callable[[_Env, object], tuple[bool, object]]] = []
        direct: list[tuple[_Fn, _Comparison]] = []
        last = len(node.ops) - 1
        for index, (op, right_node) in enumerate(zip(node.ops, node.comparators, strict=True)):
            op_type = type(op)
            self._refuse_forbidden(op_type, node)
            where = self._where(left_node)
            if isinstance(right_node, (ast.Tuple, ast.List)) and op_type in (
                ast.In,
                ast.NotIn,
            ):
                if index != last:
                    raise self._error(
                        "a literal list must be the last operand of a comparison",
                        right_node,
                    )
                steps.append(
                    self._literal_membership(
                        left_part, left_node, right_node, negate=op_type is ast.NotIn
                    )
                )
                break
            right_part = self.compile(right_node)
            comparison = self._comparison(op, left_part, right_part, left_node, where)
            steps.append(_make_step(right_part.fn, comparison))
            direct.append((right_part.fn, comparison))
            left_part, left_node = right_part, right_node

        first_fn = first.fn
        all_steps = tuple(steps)
        if len(direct) == 1 and len(steps) == 1:  # ``a < b``: most comparisons
            ((right_fn, comparison),) = direct

            def compare_two(env: _Env) -> object:
                return comparison(first_fn(env), right_fn(env))

            return _Part(compare_two, ValueType.BOOL)

        def compare(env: _Env) -> object:
            value = first_fn(env)
            for step in all_steps:
                holds, value = step(env, value)
                if not holds:
                    return False
            return True

        return _Part(compare, ValueType.BOOL)

    def _comparison(
        self,
        op: ast.cmpop,
        left: _Part,
        right: _Part,
        left_node: ast.AST,
        where: str,
    ) -> _Comparison:
        op_type = type(op)
        if op_type in (ast.Eq, ast.NotEq):
            self._check_equality(left, right, left_node)
            return _make_equality(where, negate=op_type is ast.NotEq)
        if op_type in _ORDERINGS:
            symbol, function = _operation(op_type)
            known = [t for t in (left.type, right.type) if t is not ValueType.ANY]
            if len(set(known)) > 1 or not set(known) <= _ORDERABLE:
                got = " and ".join(_DESCRIPTIONS[t] for t in known)
                raise self._error(
                    f"operator '{symbol}' needs two numbers or two strings, got {got}",
                    left_node,
                )
            return _make_ordering(symbol, function, where)
        symbol = "not in" if op_type is ast.NotIn else "in"
        if right.type not in (ValueType.STRINGS, ValueType.ANY):
            raise self._error(
                f"operator '{symbol}' needs a list of strings or a literal list "
                f"on the right, got {_DESCRIPTIONS[right.type]}",
                left_node,
            )
        if left.type not in (ValueType.STRING, ValueType.ANY):
            raise self._error(
                f"operator '{symbol}' needs a string on the left, got {_DESCRIPTIONS[left.type]}",
                left_node,
            )
        return _make_membership(symbol, where, negate=op_type is ast.NotIn)

    def _literal_membership(
        self,
        left: _Part,
        left_node: ast.AST,
        literal: ast.Tuple | ast.List,
        *,
        negate: bool,
    ) -> Callable[[_Env, object], tuple[bool, object]]:
        elements = [self.compile(element) for element in literal.elts]
        known = {element.type for element in elements if element.type is not ValueType.ANY}
        if len(known) > 1:
            got = " and ".join(sorted(_DESCRIPTIONS[t] for t in known))
            raise self._error(f"a literal list must not mix {got}", literal)
        for element in elements:
            self._check_equality(left, element, left_node)
        functions = tuple(element.fn for element in elements)
        where = self._where(left_node)

        def membership(env: _Env, value: object) -> tuple[bool, object]:
            found = False
            for function in functions:
                if _equal(value, function(env), where):
                    found = True
                    break
            return found is not negate, None

        return membership

    def _if_exp(self, node: ast.IfExp) -> _Part:
        test = self.compile(node.test)
        self._expect(
            test,
            frozenset({ValueType.BOOL}),
            node.test,
            "the condition of 'if ... else' must be a bool, got {got}",
        )
        body = self.compile(node.body)
        orelse = self.compile(node.orelse)
        if ValueType.ANY in (body.type, orelse.type):
            result_type = ValueType.ANY
        elif body.type is orelse.type:
            result_type = body.type
        else:
            raise self._error(
                "the two branches of 'if ... else' have different types: "
                f"{_DESCRIPTIONS[body.type]} and {_DESCRIPTIONS[orelse.type]}",
                node,
            )
        test_fn, body_fn, orelse_fn = test.fn, body.fn, orelse.fn
        where = self._where(node.test)

        def conditional(env: _Env) -> object:
            if _require_bool(test_fn(env), "the condition of 'if ... else'", where):
                return body_fn(env)
            return orelse_fn(env)

        return _Part(conditional, result_type)

    # -- calls -------------------------------------------------------------------

    def _call(self, node: ast.Call) -> _Part:
        allowed = ", ".join(_FUNCTIONS)
        if not isinstance(node.func, ast.Name):
            raise self._error(f"calls are only allowed to the functions {allowed}", node)
        name = node.func.id
        if name not in _FUNCTIONS:
            raise self._error(f"function '{name}' is not allowed (allowed: {allowed})", node,
                              did_you_mean(name, _FUNCTIONS))
        if node.keywords:
            raise self._error("keyword arguments are not allowed", node.keywords[0])
        for raw in node.args:
            if isinstance(raw, ast.Starred):
                raise self._error("starred arguments are not allowed", raw)
        if name == "defined":
            return self._defined(node)
        if name == "round":
            return self._round(node)
        if name in ("min", "max"):
            return self._min_max(node, name)
        if len(node.args) != 1:
            raise self._error(f"{name}() takes exactly one argument", node)
        argument = self.compile(node.args[0])
        function = argument.fn
        where = self._where(node.args[0])
        if name == "abs":
            self._expect(
                argument,
                frozenset({ValueType.NUMBER}),
                node.args[0],
                "abs() needs a number, got {got}",
            )

            def absolute(env: _Env) -> object:
                return abs(_require_number(function(env), "abs()", where))

            return _Part(absolute, ValueType.NUMBER)
        self._expect(
            argument,
            frozenset({ValueType.STRING, ValueType.STRINGS}),
            node.args[0],
            "len() needs a string or a list of strings, got {got}",
        )

        def length(env: _Env) -> object:
            value = function(env)
            if not isinstance(value, (str, tuple)):
                raise EvaluationError(
                    "len() needs a string or a list of strings, got "
                    f"{_DESCRIPTIONS[_kind(value)]}{where}"
                )
            return len(value)

        return _Part(length, ValueType.NUMBER)

    def _defined(self, node: ast.Call) -> _Part:
        if len(node.args) != 1:
            raise self._error("defined() takes exactly one argument", node)
        argument = node.args[0]
        if not isinstance(argument, (ast.Name, ast.Attribute)):
            raise self._error(
                "defined() needs a name, such as defined(memory.capacity_gib)",
                argument,
            )
        name = self._dotted_name(argument)

        def defined(env: _Env) -> object:
            return env.get(name) is not None

        return _Part(defined, ValueType.BOOL)

    def _round(self, node: ast.Call) -> _Part:
        if len(node.args) not in (1, 2):
            raise self._error("round() takes one or two arguments", node)
        argument = self.compile(node.args[0])
        self._expect(
            argument,
            frozenset({ValueType.NUMBER}),
            node.args[0],
            "round() needs a number, got {got}",
        )
        digits: int | None = None
        if len(node.args) == 2:
            digits = self._round_digits(node.args[1])
        function = argument.fn
        where = self._where(node.args[0])
        call_where = self._where(node)

        def round_(env: _Env) -> object:
            value = _require_number(function(env), "round()", where)
            try:
                result = round(value) if digits is None else round(value, digits)
            except (ArithmeticError, ValueError):
                raise EvaluationError(f"cannot round {value!r}{call_where}") from None
            return _check_number_result(result, "round()", call_where, power=False)

        return _Part(round_, ValueType.NUMBER)

    def _round_digits(self, node: ast.expr) -> int:
        inner, sign = node, 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = node.operand
            sign = -1 if isinstance(node.op, ast.USub) else 1
        if (
            isinstance(inner, ast.Constant)
            and isinstance(inner.value, int)
            and not isinstance(inner.value, bool)
            and abs(inner.value) <= _MAX_ROUND_DIGITS
        ):
            return sign * inner.value
        raise self._error(
            "the number of digits for round() must be an integer literal between "
            f"-{_MAX_ROUND_DIGITS} and {_MAX_ROUND_DIGITS}",
            node,
        )

    def _min_max(self, node: ast.Call, name: str) -> _Part:
        if len(node.args) < 2:
            raise self._error(f"{name}() needs at least two arguments", node)
        arguments = [self.compile(argument) for argument in node.args]
        known = {part.type for part in arguments if part.type is not ValueType.ANY}
        if len(known) > 1 or not known <= _ORDERABLE:
            got = ", ".join(sorted(_DESCRIPTIONS[t] for t in known))
            raise self._error(f"{name}() needs all numbers or all strings, got {got}", node)
        result_type = known.pop() if known else ValueType.ANY
        functions = tuple(part.fn for part in arguments)
        where = self._where(node)
        pick = min if name == "min" else max

        def min_max(env: _Env) -> object:
            values = [function(env) for function in functions]
            kinds = {_kind(value) for value in values}
            if len(kinds) == 1 and ValueType.NUMBER in kinds:
                numbers = [_require_number(v, f"{name}()", where) for v in values]
                return pick(numbers)
            if len(kinds) == 1 and ValueType.STRING in kinds:
                return pick(str(value) for value in values)
            got = ", ".join(sorted(_DESCRIPTIONS[kind] for kind in kinds))
            raise EvaluationError(f"{name}() needs all numbers or all strings, got {got}{where}")

        return _Part(min_max, result_type)


# What compiles each kind of node the language has; any other node is refused by name.
_NODE_COMPILERS: dict[type[ast.AST], Callable[[_Compiler, Any], _Part]] = {
    ast.Constant: _Compiler._constant, ast.Name: _Compiler._lookup,
    ast.Attribute: _Compiler._lookup, ast.BoolOp: _Compiler._bool_op,
    ast.UnaryOp: _Compiler._unary_op, ast.BinOp: _Compiler._bin_op,
    ast.Compare: _Compiler._compare, ast.IfExp: _Compiler._if_exp, ast.Call: _Compiler._call,
}


def _make_step(
    right: _Fn, comparison: _Comparison
) -> Callable[[_Env, object], tuple[bool, object]]:
    def step(env: _Env, left: object) -> tuple[bool, object]:
        value = right(env)
        return comparison(left, value), value

    return step
