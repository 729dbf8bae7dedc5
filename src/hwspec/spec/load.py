"""Load: TOML text -> ``Spec``, or SPEC001/SPEC002 findings that say what is wrong and where.

One cattrs converter, configured here and nowhere else, turns the parsed TOML into attrs classes.
It is strict: a string is never coerced into a number, a table never into a list, and a key the
format does not know is an error with a did-you-mean. Structure errors are walked into one finding
per problem, each with the key path (``memory[0].kind``) and the line of that key in the text.
"""

from __future__ import annotations

import errno
import re
import sys
import typing
from collections.abc import Callable, Iterable, Iterator
from functools import cache, cached_property
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

import attrs
import tomli
from attrs import frozen

from hwspec import errors
from hwspec.findings import (
    SPEC_STRUCTURE,
    TOML_SYNTAX,
    Finding,
    Path,
    did_you_mean,
    format_path,
)
from hwspec.spec.fast import fast_structure
from hwspec.spec.fields import FIELD_TYPES
from hwspec.spec.locate import Position, find_position, locate_keys
from hwspec.spec.model import Checks, IgnoreEntry, Spec
from hwspec.spec.values import describe

if TYPE_CHECKING:
    import cattrs

SYNTAX = TOML_SYNTAX.id
STRUCTURE = SPEC_STRUCTURE.id

MAX_SPEC_BYTES = 1024 * 1024
"""Specs larger than this (in UTF-8 bytes) are refused before parsing: no real build needs a
megabyte of TOML. A file is never read beyond this many bytes and one more."""

MAX_NESTING = 32
"""Tables and arrays nested deeper than this are refused. A real spec nests three or four levels
(``checks.ignore[0].rule``); the text is scanned for this before parsing, so the TOML parser never
recurses deeper than this."""

MAX_ITEMS = 1000
"""Arrays with more entries, and tables with more keys, are refused: no build has a thousand memory
lines, and a small file must not make the checker build a hundred thousand parts."""

TOML_INT_MIN = -(2**63)
TOML_INT_MAX = 2**63 - 1
"""TOML integers are 64-bit; Python's parser accepts larger ones, hwspec refuses them."""

T = TypeVar("T")

_LIMIT_HINT = "No real build needs this much; see docs/robustness.md for hwspec's input limits."
_INT_RANGE = f"64-bit: {TOML_INT_MIN:,} to {TOML_INT_MAX:,}"
_NEEDS_BUILD = "a spec needs at least a [build] table with a name"
_BUILD_HINT = 'Start the spec with [build] and name = "..."; see docs/spec-format.md.'


@frozen(slots=False)
class Loaded:
    """The result of loading one spec's text: the spec, or the findings that stopped it.

    The line and column of each key are found only when something asks for them (a finding to
    place): most specs in a large run have none, and locating keys costs as much as parsing.
    """

    spec: Spec | None
    findings: tuple[Finding, ...]
    text: str = ""
    """The TOML text, kept for locating keys; empty when it did not parse."""

    @cached_property
    def positions(self) -> dict[Path, Position]:
        """Line and column of every key of the text, by key path."""
        # Only texts that parsed are kept, so nesting is bounded and this is linear in the text.
        return locate_keys(self.text) if self.text else {}

    def position(self, path: Path) -> Position | None:
        """The line and column of path (or of its nearest located parent) in the TOML text."""
        return find_position(self.positions, path)


# --- reading a file ------------------------------------------------------------------------------


_SOURCES: dict[int, tuple[Any, Loaded, str | None]] = {}
"""Where each spec ``hwspec.load`` or ``loads`` returned came from, by the spec's identity: its
key positions and path, so checking it later keeps line numbers. An entry goes with its spec."""


def remember_source(loaded: Loaded, path: str | None) -> None:
    """Keep the positions (and path) a loaded spec came with, for as long as the spec lives."""
    import weakref

    spec = loaded.spec
    if spec is None:
        return
    key = id(spec)
    gone = weakref.ref(spec, lambda _: _SOURCES.pop(key, None))
    # The text without the spec: holding the spec here would keep it alive for ever.
    _SOURCES[key] = (gone, Loaded(None, (), loaded.text), path)


def source_of(spec: Spec) -> tuple[Loaded, str | None] | None:
    """The positions and path ``spec`` was loaded with, or None for a spec built or changed in
    code (``attrs.evolve`` makes a new spec, whose keys may no longer be where they were)."""
    found = _SOURCES.get(id(spec))
    if found is None or found[0]() is not spec:
        return None
    return found[1], found[2]


def read_spec(path: FilePath) -> str | Finding:
    """Read one spec file as text, or return the finding that says why it cannot be read.

    Only a regular file is read (a named pipe would block, ``/dev/zero`` never ends), and at
    most ``MAX_SPEC_BYTES + 1`` bytes of it: a file larger than that is refused unread.
    """
    from hwspec.errors import NotRegularFileError, TooLargeError
    from hwspec.spec.read import read_regular

    try:
        raw = read_regular(path, MAX_SPEC_BYTES)
    except IsADirectoryError:
        return _unreadable("the path is a directory, not a spec file")
    except NotRegularFileError as error:
        return _unreadable(str(error), hint="Name a TOML spec file.")
    except TooLargeError as error:
        return _too_large(error.size)
    except OSError as error:
        return _unreadable(_os_problem(path, error))
    return decode_spec(raw)


def decode_spec(raw: bytes) -> str | Finding:
    """Decode a spec file's bytes as UTF-8 (a byte order mark is allowed), or say why not."""
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return _unreadable(f"the file is {encoding} text; TOML files must be UTF-8",
                               hint="Save the file as UTF-8.")
    nul = raw.find(b"\x00")
    if nul >= 0:
        return _unreadable(f"the file is binary, not TOML text (a NUL byte at byte {nul + 1:,})",
                           hint="Name a TOML spec file.", line=raw.count(b"\n", 0, nul) + 1)
    skip = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = skip + error.start
        return _unreadable(f"the file is not UTF-8 text (byte {at + 1:,} is 0x{raw[at]:02X}); "
                           "TOML files must be UTF-8", hint="Save the file as UTF-8.",
                           line=raw.count(b"\n", 0, at) + 1)


_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),  # before UTF-16: it starts with the UTF-16 mark
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _os_problem(path: FilePath, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        if path.is_symlink():
            return "the file is a symbolic link to a file that does not exist"
        return "the file does not exist"
    if error.errno == errno.ELOOP:
        return "the file is a loop of symbolic links"
    return f"the file cannot be read: {error.strerror or error}"


def _unreadable(message: str, *, hint: str = "", line: int | None = None) -> Finding:
    return TOML_SYNTAX.finding(message, hint=hint, line=line)


def _too_large(size: int | None) -> Finding:
    amount = f"{size:,} bytes" if size is not None else f"more than {MAX_SPEC_BYTES:,} bytes"
    return SPEC_STRUCTURE.finding(
        f"the spec is {amount}; specs are limited to {MAX_SPEC_BYTES:,} bytes (1 MiB)",
        hint=_LIMIT_HINT)


# --- parsing -------------------------------------------------------------------------------------


@typing.overload
def load_text(text: str) -> Loaded: ...
@typing.overload
def load_text(text: str, *, only_spec: bool) -> Loaded | None: ...


def load_text(text: str, *, only_spec: bool = False) -> Loaded | None:
    """Parse and structure one spec's TOML text; every problem is a finding, never an exception.

    With ``only_spec``, TOML that parses and has no ``build`` table is not a spec (a
    ``pyproject.toml`` found in a folder): None. Text that does not parse is still reported.
    """
    text = text.removeprefix("\ufeff")
    size = _utf8_size(text)
    if size is None or size > MAX_SPEC_BYTES:
        return Loaded(None, (_too_large(size),))
    parsed = _parse(text)
    if isinstance(parsed, Finding):
        return Loaded(None, (parsed,))
    data, within_limits = parsed
    if only_spec and "build" not in data:
        return None
    if not data:
        what = "is empty" if not text.strip() else "has only comments"
        message = f"the spec {what}; {_NEEDS_BUILD}"
        return Loaded(None, (SPEC_STRUCTURE.finding(message, hint=_BUILD_HINT, path="build"),))
    limits = [] if within_limits else list(_over_limits(data))
    if limits:
        loaded = Loaded(None, (), text)
        over = sorted((_at(finding, path, loaded.positions) for path, finding in limits),
                      key=Finding.sort_key)
        return Loaded(None, tuple(over), text)
    return structure(data, text)


def parse_toml(text: str) -> dict[str, Any]:
    """``tomli.loads`` within hwspec's limits: raises only ``hwspec.errors.TomlLimitError``,
    which is both parsers' ``TOMLDecodeError`` (``tomli``'s and ``tomllib``'s).

    Deep nesting is refused before the parser recurses into it, and an integer too long for
    Python to convert is a parse error rather than a bare ``ValueError``, so a hostile file is
    an error message, never a ``RecursionError`` traceback.
    """
    parsed = _parse(text)
    if isinstance(parsed, Finding):
        raise errors.TomlLimitError(parsed.message.removeprefix("TOML does not parse: "),
                                    parsed.line, parsed.column)
    return parsed[0]


def _utf8_size(text: str) -> int | None:
    """The text's size in UTF-8 bytes; None when it is longer than the limit in characters."""
    if text.isascii():
        return len(text)
    if len(text) > MAX_SPEC_BYTES:
        return None
    return len(text.encode("utf-8", "surrogatepass"))


def _parse(text: str) -> tuple[dict[str, Any], bool] | Finding:
    """The parsed data, nested no deeper than the limit, and whether it is within every limit
    (``_plainly_within_limits``, walked once here), or the finding that stops it."""
    too_deep = _too_deep_offset(text)
    if too_deep is not None:
        offset, what = too_deep
        line, column = _line_column(text, offset)
        return _nesting_finding(what, line=line, column=column)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        return _syntax_finding(error)
    except RecursionError:  # pragma: no cover - the scan above stops this first
        return _nesting_finding("arrays and inline tables")
    except ValueError as error:  # an integer with more digits than Python converts
        return _long_integer(text, error)
    within_limits = _plainly_within_limits(data)
    deep = None if within_limits else _too_deep_path(data)
    if deep is not None:
        return _nesting_finding("tables and arrays", path=format_path(deep))
    return data, within_limits


_NESTING_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{1,2})?'  # multi-line basic string
    r"|'''[\s\S]*?'''(?:'{1,2})?"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r'|"""[\s\S]*|\'\'\'[\s\S]*'  # an unterminated multi-line string runs to the end
    r'|"[^\n]*|\'[^\n]*'  # an unterminated string runs to the end of its line
    r"|#[^\n]*"  # comment
    r"|[\[\]{}.=,\n]"
)


def _too_deep_offset(text: str) -> tuple[int, str] | None:
    """Where brackets outside strings and comments first open more than ``MAX_NESTING`` deep,
    or a dotted key first has more than ``MAX_NESTING + 1`` parts, and which of the two.

    A dotted key nests a table per dot; the parser's cost grows with the square of its parts
    (a 20,000-part key took gigabytes), so such a key is refused before the parser sees it. Dots
    are counted since the last ``=``, comma, bracket or line break, which no value reaches (a
    number has at most one dot).
    """
    if (text.count("[") + text.count("{") <= MAX_NESTING
            and text.count(".") <= MAX_NESTING):
        return None
    depth = dots = 0
    for match in _NESTING_TOKEN.finditer(text):
        token = match.group()
        if token == ".":
            dots += 1
            if dots > MAX_NESTING:
                return match.start(), "dotted keys and table headers"
            continue
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return match.start(), "arrays and inline tables"
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
        elif token not in ("=", ",", "\n"):
            continue  # a string or a comment: dots inside it are not key dots
        dots = 0
    return None


def _plainly_within_limits(data: dict[str, Any]) -> bool:
    """Whether no container is nested more than ``MAX_NESTING`` deep or holds more than
    ``MAX_ITEMS`` entries, and every integer fits TOML's 64 bits: one walk, a level at a time,
    that keeps no key paths, so a spec within the limits (nearly every one) is not walked by
    ``_too_deep_path`` and ``_over_limits``, which name what is over them."""
    level: list[Any] = [data]
    depth = 0
    while level:
        if depth > MAX_NESTING:
            return False
        deeper: list[Any] = []
        for container in level:
            if len(container) > MAX_ITEMS:
                return False
            for child in container.values() if type(container) is dict else container:
                kind = type(child)
                if kind is dict or kind is list:
                    deeper.append(child)
                elif kind is int and not TOML_INT_MIN <= child <= TOML_INT_MAX:
                    return False
        level = deeper
        depth += 1
    return True


def _too_deep_path(data: dict[str, Any]) -> Path | None:
    """The first container (in document order) nested more than ``MAX_NESTING`` levels deep.

    Table headers and dotted keys nest without brackets (``[a.b.c]``), so this walks the data,
    with a stack rather than recursion.
    """
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_NESTING:
            return path
        if isinstance(value, dict):
            stack.extend(((*path, key), child) for key, child in reversed(value.items())
                         if isinstance(child, dict | list))
        elif isinstance(value, list):
            stack.extend(((*path, index), child)
                         for index, child in reversed(list(enumerate(value)))
                         if isinstance(child, dict | list))
    return None


def _nesting_finding(what: str, *, path: str = "", line: int | None = None,
                     column: int | None = None) -> Finding:
    message = (f"{what} are nested more than {MAX_NESTING} levels deep; specs are limited to "
               f"{MAX_NESTING} levels")
    return SPEC_STRUCTURE.finding(message, hint=_LIMIT_HINT, path=path, line=line,
                                  column=column)


def _over_limits(data: dict[str, Any]) -> Iterator[tuple[Path, Finding]]:
    """Arrays and tables with too many entries, and integers outside TOML's 64-bit range, each
    with the key path it blames."""
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            if len(value) > MAX_ITEMS:
                where = "in one table" if path else "at the top level"
                yield path, SPEC_STRUCTURE.finding(
                    f"{len(value):,} keys {where}; a table is limited to {MAX_ITEMS:,} keys",
                    hint=_LIMIT_HINT, path=format_path(path))
                continue
            stack.extend(((*path, key), child) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                yield path, SPEC_STRUCTURE.finding(
                    f"{len(value):,} entries in one array; an array is limited to "
                    f"{MAX_ITEMS:,} entries", hint="Give identical parts once, with count = N.",
                    path=format_path(path))
                continue
            stack.extend(((*path, index), child)
                         for index, child in reversed(list(enumerate(value))))
        elif type(value) is int and not TOML_INT_MIN <= value <= TOML_INT_MAX:
            shown = (f"{value:,}" if value.bit_length() <= 128
                     else f"a {value.bit_length():,}-bit integer")
            yield path, TOML_SYNTAX.finding(
                f"{shown} is out of range for a TOML integer ({_INT_RANGE})",
                hint="Write a smaller number (or a float, such as 1e30).", path=format_path(path))


def _at(finding: Finding, path: Path, positions: dict[Path, Position]) -> Finding:
    position = find_position(positions, path) if path else None
    if position is None:
        return finding
    return attrs.evolve(finding, line=position.line, column=position.column)


def _long_integer(text: str, error: ValueError) -> Finding:
    if "integer string conversion" not in str(error):  # pragma: no cover - no other known case
        return TOML_SYNTAX.finding(f"TOML does not parse: {error}")
    limit = sys.get_int_max_str_digits()
    digits = re.search(f"[0-9][0-9_]{{{limit},}}", text)
    line, column = _line_column(text, digits.start()) if digits else (None, None)
    return TOML_SYNTAX.finding(
        f"TOML does not parse: an integer with more than {limit:,} digits is out of range for a "
        f"TOML integer ({_INT_RANGE})", hint="Write a smaller number (or a float, such as 1e30).",
        line=line, column=column)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def structure_problem(data: dict[str, Any], cls: type) -> str | None:
    """Why data does not structure into cls (the first problem, with its key path), or None."""
    if fast_structure(data, cls) is not None:
        return None
    from cattrs.errors import ClassValidationError, IterableValidationError

    try:
        converter().structure(data, cls)
    except (ClassValidationError, IterableValidationError) as error:
        path, exc = next(iter(_leaves(error, ())))
        finding = _structure_finding(path, exc, {})
        return f"{finding.path}: {finding.message}" if finding.path else finding.message
    except (TypeError, ValueError) as error:
        return str(error)
    return None


class ShapeProblem(Exception):  # noqa: N818 - a control-flow signal, not a user-facing error
    """The first problem structuring an input's tables: ``path`` (a key path) and ``message``
    (what was expected, with a did-you-mean for an unknown key). The loaders of packs and
    configuration raise their own error from it, naming the file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{format_path(path)}: {message}" if path else message)
        self.path = path
        self.message = message


def structure_shape(data: object, cls: type[T], shapes: Iterable[type] = ()) -> T:
    """``data`` (parsed TOML) structured into the attrs class ``cls`` by the one converter the
    spec format uses, so a pack, a configuration and a spec refuse a wrong type, a missing key
    or an unknown key (with a did-you-mean) in the same words, at a key path.

    ``shapes`` are the attrs classes ``cls`` holds (``cls`` included or not): each is guarded
    so that a value given where its table belongs is "expected a table". Raises
    ``ShapeProblem``.
    """
    fast: T | None = fast_structure(data, cls)
    if fast is not None:
        return fast
    from cattrs.errors import ClassValidationError, IterableValidationError

    conv = converter()
    for shape in (cls, *shapes):
        if shape not in _GUARDED:
            conv.register_structure_hook(shape, _table_guard(conv.get_structure_hook(shape)))
            _GUARDED.add(shape)
    try:
        value: T = conv.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as error:
        path, leaf = next(iter(_leaves(error, ())))
        raise ShapeProblem(path, _structure_finding(path, leaf, {}).message) from None
    except (TypeError, ValueError) as error:
        raise ShapeProblem((), str(error)) from None
    return value


_GUARDED: set[type] = set()


def structure(data: dict[str, Any], text: str = "") -> Loaded:
    """Turn parsed TOML data into a ``Spec``, or findings with key paths (and lines, given the
    text it was parsed from).

    Valid data takes the fast path (``_fast``); anything else goes through the cattrs converter,
    which finds every problem and its key path.
    """
    spec = fast_structure(data, Spec)
    if spec is not None:
        return Loaded(spec, (), text)
    from cattrs.errors import ClassValidationError, IterableValidationError

    try:
        spec = converter().structure(data, Spec)
    except (ClassValidationError, IterableValidationError) as error:
        positions = Loaded(None, (), text).positions
        findings = [_structure_finding(path, exc, positions) for path, exc in _leaves(error, ())]
        findings.sort(key=Finding.sort_key)
        return Loaded(None, tuple(findings), text)
    except (TypeError, ValueError) as error:  # a top level that is not a table at all
        return Loaded(None, (SPEC_STRUCTURE.finding(str(error)),))
    return Loaded(spec, (), text)


def unstructure(spec: Spec) -> dict[str, Any]:
    """Turn a ``Spec`` back into TOML-ready data, leaving out what was not given: a key left
    out of the spec is at its default (None, no entries, ``count = 1``), and stays out."""
    return _given(spec)  # type: ignore[no-any-return]


def _given(value: Any) -> Any:
    if attrs.has(type(value)) and not isinstance(value, IgnoreEntry):
        out: dict[str, Any] = {}
        for attribute in attrs.fields(type(value)):
            item = getattr(value, attribute.name)
            default = attribute.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if item is None or (default is not attrs.NOTHING and item == default):
                continue
            given = _given(item)
            if given not in ({}, []):
                out[attribute.name] = given
        return out
    if isinstance(value, tuple | list):
        return [_given(v) for v in value]
    if isinstance(value, dict):
        return {k: _given(v) for k, v in value.items()}
    return converter().unstructure(value)


def _flat_table(value: Any) -> bool:
    """A table with no sub-table inside: safe to write under a ``[[name]]`` header alone."""
    return isinstance(value, dict) and not any(
        isinstance(v, dict) or (isinstance(v, list) and any(isinstance(e, dict) for e in v))
        for v in value.values())


def dump_text(spec: Spec) -> str:
    """A ``Spec`` as TOML text, tables in spec order and arrays of parts as ``[[memory]]``
    blocks, as specs are written by hand."""
    return "\n".join(table_toml(key, value) for key, value in unstructure(spec).items())


def table_toml(key: str, value: Any) -> str:
    """One top-level table as TOML; an array of flat tables as ``[[key]]`` blocks (tomli-w
    would write an inline array, which after another table's header would land inside it)."""
    import tomli_w

    if isinstance(value, list) and value and all(_flat_table(entry) for entry in value):
        return "\n".join(f"[[{key}]]\n" + tomli_w.dumps(entry) for entry in value)
    return str(tomli_w.dumps({key: value}))


def _syntax_finding(error: tomli.TOMLDecodeError) -> Finding:
    message = str(error)
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if line is None:  # Python < 3.14 puts the position only in the message: "(at line 3, column 7)"
        import re

        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].rstrip()
        elif "(at end of document)" in message:
            message = message.replace("(at end of document)", "").rstrip() + " at end of document"
    else:
        message = getattr(error, "msg", message)
    return TOML_SYNTAX.finding(f"TOML does not parse: {message}",
                               hint="Fix the TOML syntax; see https://toml.io/en/v1.0.0",
                               line=line, column=column)


def _leaves(error: BaseException, path: Path) -> Iterator[tuple[Path, BaseException]]:
    """Walk cattrs' nested validation errors down to each leaf problem and its key path."""
    from cattrs.errors import (
        AttributeValidationNote,
        ClassValidationError,
        IterableValidationError,
        IterableValidationNote,
    )

    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without_notes = error.group_exceptions()
        for inner, note in with_notes:
            step: str | int
            if isinstance(note, AttributeValidationNote):
                step = note.name
            elif isinstance(note, IterableValidationNote):
                step = note.index  # type: ignore[assignment, unused-ignore]
            else:  # pragma: no cover - cattrs only attaches these two kinds of note
                step = str(note)
            yield from _leaves(inner, (*path, step))
        for inner in without_notes:
            yield from _leaves(inner, path)
    else:
        yield path, error


def _structure_finding(path: Path, error: BaseException,
                       positions: dict[Path, Position]) -> Finding:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(error, ForbiddenExtraKeysError):
        extra = sorted(error.extra_fields)
        known = [a.name for a in attrs.fields(error.cl)] if attrs.has(error.cl) else []
        blamed = next((k for k in extra if k), extra[0])  # the key "" has no path of its own
        key_path = (*path, blamed)
        names = ", ".join(repr(k) for k in extra)
        message = f"unknown key {names}" if len(extra) == 1 else f"unknown keys {names}"
        message += did_you_mean(blamed, known)
        where = f" in [{format_path(path)}]" if path else " at the top level"
        hint = f"Keys allowed{where}: {', '.join(known)}"
        position = find_position(positions, key_path)
        return SPEC_STRUCTURE.finding(message, hint=hint, path=format_path(key_path),
                                      line=position.line if position else None,
                                      column=position.column if position else None)
    hint = "See docs/spec-format.md for the keys each table takes."
    if isinstance(error, KeyError) and path == ("build",):
        message = "the [build] table is missing; every spec needs one, with a name"
        hint = _BUILD_HINT
        position = None
    elif isinstance(error, KeyError):
        message = "required key is missing"
        position = find_position(positions, path[:-1]) if path else None
    else:
        message = str(error) or type(error).__name__
        position = find_position(positions, path)
    return SPEC_STRUCTURE.finding(message, hint=hint, path=format_path(path),
                                  line=position.line if position else None,
                                  column=position.column if position else None)


# --- the converter -------------------------------------------------------------------------------


@cache
def converter() -> cattrs.Converter:
    """The one converter for the spec format (built once per process)."""
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for field_type, row in FIELD_TYPES.items():
        conv.register_structure_hook(
            field_type, _hook(row.check)  # type: ignore[arg-type, unused-ignore]
        )
    conv.register_structure_hook(IgnoreEntry, lambda v, _: _ignore_entry(conv, v))
    conv.register_unstructure_hook(
        IgnoreEntry, lambda e: e.rule if e.reason is None else {"rule": e.rule, "reason": e.reason}
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda t: _tuple_hook(conv, t))
    conv.register_structure_hook_factory(_is_str_dict, lambda t: _dict_hook(conv, t))
    # Catch a table given where a list is expected, or a list where a table is, with a clear type.
    original = conv.get_structure_hook(Checks)
    conv.register_structure_hook(Checks, lambda v, t: original(_table(v), t))
    for cls in _attrs_classes():
        if cls in (Checks, IgnoreEntry):
            continue
        hook = conv.get_structure_hook(cls)
        conv.register_structure_hook(cls, _table_guard(hook))
    return conv


def _attrs_classes() -> list[type]:
    from hwspec.spec import model as _spec

    return list(_spec.SPEC_CLASSES)


def _table(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {describe(value)}")
    return value


def _table_guard(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def guarded(value: Any, cls: Any) -> Any:
        return hook(_table(value), cls)

    return guarded


def _hook(check: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda value, _: check(value)


def _ignore_entry(conv: cattrs.Converter, value: object) -> IgnoreEntry:
    if isinstance(value, str):
        return IgnoreEntry(rule=value)
    raw = conv.gen_structure_attrs_fromdict(IgnoreEntry)  # type: ignore[attr-defined, unused-ignore]
    return raw(_table(value), IgnoreEntry)  # type: ignore[no-any-return, unused-ignore]


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    from cattrs.errors import IterableValidationError, IterableValidationNote

    inner = get_args(t)[0]

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {describe(value)}")
        items, errors = _structure_each(
            conv, enumerate(value), inner,
            lambda index: IterableValidationNote(f"Structuring item @ index {index}", index, inner))
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(items.values())

    return hook


def _structure_each(conv: cattrs.Converter, elements: Iterable[tuple[Any, Any]], inner: Any,
                    note: Callable[[Any], Any]) -> tuple[dict[Any, Any], list[Exception]]:
    """Each (key, element) structured into ``inner``, and every element's error with cattrs'
    ``note(key)`` of where it stands, so one bad element does not hide the next."""
    done: dict[Any, Any] = {}
    errors: list[Exception] = []
    for key, element in elements:
        try:
            done[key] = conv.structure(element, inner)
        except Exception as error:
            error.__notes__ = [*getattr(error, "__notes__", []), note(key)]
            errors.append(error)
    return done, errors


def _is_str_dict(t: Any) -> bool:
    return get_origin(t) is dict


def _dict_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], dict[str, Any]]:
    from cattrs.errors import AttributeValidationNote, ClassValidationError

    value_type = get_args(t)[1]

    def hook(value: Any, _: Any) -> dict[str, Any]:
        out, errors = _structure_each(
            conv, _table(value).items(), value_type,
            lambda key: AttributeValidationNote(f"Structuring key {key!r}", key, value_type))
        if errors:
            raise ClassValidationError(f"While structuring {t!r}", errors, dict)
        return out

    return hook
