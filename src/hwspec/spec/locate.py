"""Where each key of a TOML document is written, so findings can cite a line and column.

``tomllib`` returns plain data without positions. This module scans the same text a second
time, cheaply and leniently, and maps every key path (``("memory", 0, "kind")``) to the
1-based line and column where it is defined. It is a scanner, not a validating parser: it
understands just enough TOML (headers, arrays of tables, dotted and quoted keys, inline
tables, arrays, the four string forms, comments) to stay in step with the document, and on
anything it cannot read it skips to the next line and carries on. It never raises.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Callable, Mapping
from typing import Final, TypeAlias

from attrs import frozen

from hwspec.findings import BARE_KEY

__all__ = ["Path", "Position", "find_position", "locate_keys"]

Path: TypeAlias = tuple[str | int, ...]
"""A key path into a document: ``("memory", 0, "kind")``, ``("cpu", "count")``, ``("build",)``."""


@frozen(order=True)
class Position:
    """A 1-based place in the TOML text.

    ``column`` counts characters (code points) from the start of the line; a byte order mark
    at the start of the document is not counted.
    """

    line: int
    column: int


def locate_keys(text: str) -> dict[Path, Position]:
    """Map every key path in a TOML document to where it is defined.

    What is recorded, and where:

    * a table header ``[a.b]`` or ``[[a.b]]`` records its path at the header's first ``[``;
      each ``[[memory]]`` opens the next element, ``("memory", 0)``, ``("memory", 1)``, ...,
      and ``("memory",)`` itself is recorded at the first of them;
    * a key ``k = v`` (also inside inline tables) records its path at the key's first
      character; a dotted key ``a.b = 1`` records ``(..., "a")`` at ``a`` and
      ``(..., "a", "b")`` at ``b``;
    * each element of an array value records ``(..., index)`` at the element's first character;
    * tables that are only named as part of a longer header (``workload`` in
      ``[workload.arch]``) are recorded at that name, unless defined explicitly anywhere.

    If a path is defined twice (invalid TOML), the first definition is kept. The result is
    ordered by position. Invalid input yields whatever could be read; this never raises.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    scanner = _Scanner(text)
    # Positions are best-effort help for a report: a scanner bug must not crash the report,
    # so anything unexpected ends the scan with what was found so far.
    with contextlib.suppress(Exception):
        scanner.run()
    return scanner.result()


def find_position(positions: Mapping[Path, Position], path: Path) -> Position | None:
    """Position of path, or of its nearest ancestor that has one, else None.

    ``memory[0].kind`` missing from the text falls back to the ``[[memory]]`` header of
    ``memory[0]``, then to ``memory``.
    """
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return None


class _ScanError(Exception):
    """The current statement cannot be read any further."""


# Booleans, numbers, dates and times, loosely: enough to find where the value ends. Only a
# value inside an array or inline table is read with it (the ``key = value`` lines most specs
# hold are ``_SIMPLE_KEY_VALUE``'s), so ``re`` compiles it (and keeps it) the first time one is.
_SCALAR: Final = (
    r"(?:true|false"
    r"|[+-]?(?:inf|nan)"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9][0-9A-Za-z_.:+-]*"  # local or offset date-time with a space
    r"|[+-]?[0-9][0-9A-Za-z_.:+-]*"
    r")(?=[ \t\r\n,\]}#]|\Z)"
)

# ``key = value`` with a bare key and a value that ends on its line and holds no key: a
# one-line basic or literal string (not the opening of a multi-line one) or a scalar. What
# ``key_value`` would record for it (the key, where it starts) is all there is to record.
_SIMPLE_KEY_VALUE: Final = re.compile(
    rf"""({BARE_KEY.pattern})[ \t]*=[ \t]*"""
    r"""(?:"[^"\\\n]*"(?!")|'[^'\n]*'(?!')|[A-Za-z0-9_.:+-]+)(?=[ \t\r#\n]|\Z)""")
_INLINE_SPACE: Final = " \t\r"  # a CR is tolerated anywhere so CRLF text reads like LF text
_BLANK: Final = " \t\r\n"
_HEX_DIGITS: Final = frozenset("0123456789abcdefABCDEF")
_SIMPLE_ESCAPES: Final = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}
_CODE_POINT_ESCAPES: Final = {"x": 2, "u": 4, "U": 8}  # \e and \xHH are TOML 1.1
_MAX_DEPTH: Final = 64
"""Deeper arrays and inline tables are stepped over without recording what is inside."""


class _Scanner:
    """A cursor over the text that records key positions as it reads statements."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text)
        self.pos = 0
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.found: dict[Path, Position] = {}
        self.implicit: dict[Path, Position] = {}
        self.table: Path = ()
        self.array_lengths: dict[Path, int] = {}  # arrays of tables: elements opened so far

    # -- bookkeeping -------------------------------------------------------------------

    def run(self) -> None:
        """Read statements until the end of the text, recovering from unreadable ones."""
        while self.pos < self.end:
            start = self.pos
            try:
                self.statement()
            except _ScanError:
                self.recover(start)
            else:
                self.skip_line()

    def result(self) -> dict[Path, Position]:
        """Explicit definitions, then implicit ones not defined explicitly, by position."""
        merged = dict(self.found)
        for path, position in self.implicit.items():
            merged.setdefault(path, position)
        # Sorted on the numbers: attrs' generated ordering builds a tuple per comparison.
        return dict(sorted(merged.items(), key=lambda item: (item[1].line, item[1].column)))

    def position(self, offset: int) -> Position:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(index + 1, offset - self.line_starts[index] + 1)

    def record(self, path: Path, offset: int) -> None:
        self.found.setdefault(path, self.position(offset))

    def recover(self, start: int) -> None:
        """Resume after a failed statement.

        If reading stopped on a later line than the statement began, at that line's first
        non-blank character (an unclosed ``[`` followed by a new header, say), resume at that
        line; otherwise skip the rest of the line where reading stopped.
        """
        stop = min(self.pos, self.end)
        line_start = self.line_starts[bisect.bisect_right(self.line_starts, stop) - 1]
        if line_start > start and not self.text[line_start:stop].strip(_INLINE_SPACE):
            self.pos = line_start
        else:
            self.pos = stop
            self.skip_line()

    # -- low-level movement ------------------------------------------------------------

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def skip_spaces(self) -> None:
        while self.pos < self.end and self.text[self.pos] in _INLINE_SPACE:
            self.pos += 1

    def skip_line(self) -> None:
        """Move past the next newline, or to the end."""
        newline = self.text.find("\n", self.pos)
        self.pos = self.end if newline < 0 else newline + 1

    def skip_blanks(self) -> None:
        """Skip whitespace, newlines and comments (inside arrays and inline tables)."""
        while self.pos < self.end:
            char = self.text[self.pos]
            if char in _BLANK:
                self.pos += 1
            elif char == "#":
                newline = self.text.find("\n", self.pos)
                self.pos = self.end if newline < 0 else newline
            else:
                return

    # -- statements --------------------------------------------------------------------

    def statement(self) -> None:
        self.skip_spaces()
        char = self.peek()
        if char in ("", "\n", "#"):
            return
        if char == "[":
            self.header()
            return
        simple = _SIMPLE_KEY_VALUE.match(self.text, self.pos)
        if simple is not None:  # the commonest statement, read in one step
            self.record((*self.table, simple.group(1)), self.pos)
            self.pos = simple.end()
            return
        self.key_value(self.table, 0)

    def header(self) -> None:
        start = self.pos
        is_array = self.text.startswith("[[", start)
        self.pos += 2 if is_array else 1
        self.skip_spaces()
        parts = self.dotted_key()
        self.skip_spaces()
        closer = "]]" if is_array else "]"
        if not self.text.startswith(closer, self.pos):
            raise _ScanError
        self.pos += len(closer)

        path: list[str | int] = []
        for name, offset in parts[:-1]:
            path.append(name)
            prefix = tuple(path)
            self.implicit.setdefault(prefix, self.position(offset))
            length = self.array_lengths.get(prefix)
            if length:  # a name that is an array of tables means its latest element
                path.append(length - 1)
        path.append(parts[-1][0])
        table: Path = tuple(path)
        if is_array:
            self.record(table, start)
            index = self.array_lengths.get(table, 0)
            self.array_lengths[table] = index + 1
            table = (*table, index)
        self.record(table, start)
        self.table = table

    def key_value(self, table: Path, depth: int) -> None:
        parts = self.dotted_key()
        self.skip_spaces()
        if self.peek() != "=":
            raise _ScanError
        self.pos += 1
        path = table
        for name, offset in parts:
            path = (*path, name)
            self.record(path, offset)
        self.skip_spaces()
        self.value(path, depth)

    # -- keys --------------------------------------------------------------------------

    def dotted_key(self) -> list[tuple[str, int]]:
        """Read ``a . "b" . 'c'`` as names with their offsets."""
        parts = [self.key_part()]
        while True:
            before = self.pos
            self.skip_spaces()
            if self.peek() != ".":
                self.pos = before
                return parts
            self.pos += 1
            self.skip_spaces()
            parts.append(self.key_part())

    def key_part(self) -> tuple[str, int]:
        start = self.pos
        char = self.peek()
        if char == '"':
            if self.text.startswith('"""', start):
                raise _ScanError
            return self.basic_key(), start
        if char == "'":
            if self.text.startswith("'''", start):
                raise _ScanError
            close = self.text.find("'", start + 1)
            newline = self.text.find("\n", start + 1)
            if close < 0 or 0 <= newline < close:
                raise _ScanError
            self.pos = close + 1
            return self.text[start + 1 : close], start
        match = BARE_KEY.match(self.text, start)
        if match is None:
            raise _ScanError
        self.pos = match.end()
        return match.group(), start

    def basic_key(self) -> str:
        """Read and unescape a ``"quoted"`` key; the cursor is on the opening quote."""
        text = self.text
        pos = self.pos + 1
        chunks: list[str] = []
        while pos < self.end:
            char = text[pos]
            if char == '"':
                self.pos = pos + 1
                return "".join(chunks)
            if char == "\n":
                break
            if char != "\\":
                chunks.append(char)
                pos += 1
                continue
            escape = text[pos + 1 : pos + 2]
            if escape in _SIMPLE_ESCAPES:
                chunks.append(_SIMPLE_ESCAPES[escape])
                pos += 2
            elif escape in _CODE_POINT_ESCAPES:
                width = _CODE_POINT_ESCAPES[escape]
                digits = text[pos + 2 : pos + 2 + width]
                if len(digits) != width or not _HEX_DIGITS.issuperset(digits):
                    break
                code_point = int(digits, 16)
                if code_point > 0x10FFFF:
                    break
                chunks.append(chr(code_point))
                pos += 2 + width
            else:
                break
        self.pos = pos
        raise _ScanError

    # -- values ------------------------------------------------------------------------

    def value(self, path: Path, depth: int) -> None:
        char = self.peek()
        if char in ('"', "'"):
            self.string(char)
        elif char in ("[", "{"):
            if depth >= _MAX_DEPTH:
                self.step_over_nested()
            elif char == "[":
                self.array(path, depth + 1)
            else:
                self.inline_table(path, depth + 1)
        else:
            match = re.compile(_SCALAR).match(self.text, self.pos)
            if match is None:
                raise _ScanError
            self.pos = match.end()

    def array(self, path: Path, depth: int) -> None:
        def element(index: int) -> None:
            start = self.pos
            self.value((*path, index), depth)
            self.record((*path, index), start)

        self.items("]", element)

    def inline_table(self, path: Path, depth: int) -> None:
        # Newlines and a trailing comma are accepted, as in TOML 1.1.
        self.items("}", lambda _: self.key_value(path, depth))

    def items(self, close: str, item: Callable[[int], None]) -> None:
        """Step over an array's or inline table's items, ``item(index)`` reading each, up to
        ``close``; the cursor is on the opening bracket."""
        self.pos += 1
        index = 0
        while True:
            self.skip_blanks()
            if self.peek() == close:
                self.pos += 1
                return
            item(index)
            self.skip_blanks()
            char = self.peek()
            if char == close:
                self.pos += 1
                return
            if char != ",":
                raise _ScanError
            self.pos += 1
            index += 1

    def string(self, quote: str) -> None:
        """Step over a string value of any of the four kinds; the cursor is on its quote."""
        text = self.text
        if text.startswith(quote * 3, self.pos):
            self.multiline_string(quote)
            return
        pos = self.pos + 1
        while pos < self.end:
            char = text[pos]
            if char == quote:
                self.pos = pos + 1
                return
            if char == "\n":
                break
            if char == "\\" and quote == '"':
                if text[pos + 1 : pos + 2] in ("\n", ""):
                    break
                pos += 2
            else:
                pos += 1
        self.pos = min(pos, self.end)
        raise _ScanError

    def multiline_string(self, quote: str) -> None:
        """Step over a triple-quoted string; an unterminated one runs to the end of the text."""
        text = self.text
        closer = quote * 3
        pos = self.pos + 3
        while pos < self.end:
            char = text[pos]
            if char == "\\" and quote == '"':
                pos += 2
            elif char == quote and text.startswith(closer, pos):
                pos += 3
                # Up to two more quotes are content that ends the string: """a""""" is 'a""'.
                for _ in range(2):
                    if text[pos : pos + 1] == quote:
                        pos += 1
                self.pos = pos
                return
            else:
                pos += 1
        self.pos = self.end

    def step_over_nested(self) -> None:
        """Skip a too-deeply nested array or inline table without recording anything in it."""
        level = 0
        while self.pos < self.end:
            char = self.text[self.pos]
            if char in "[{":
                level += 1
                self.pos += 1
            elif char in "]}":
                level -= 1
                self.pos += 1
                if level == 0:
                    return
            elif char in "\"'":
                self.string(char)
            elif char == "#":
                self.skip_blanks()
            else:
                self.pos += 1
        raise _ScanError
