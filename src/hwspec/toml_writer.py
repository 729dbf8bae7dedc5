"""Writing TOML files with comments: every TOML file hwspec writes is built here.

A written file (``plan --write``, ``init``, ``model import``) mixes data with comments, and both
may hold text from somewhere else: a price list's ``source``, a build's or model's name, a
path, a warning quoting a config.json. The data is written by tomli-w, which quotes and escapes
every string; comments go through ``comment``, which escapes every character that could end a
comment line early or that TOML forbids in one, so no text in a comment can become a live line of
the file. ``TomlDocument.text`` parses what it wrote and refuses to return a document whose data
is not exactly the data it was given.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 100
"""Comment lines are wrapped to at most this many characters, ``# `` included."""

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories escaped in a comment: control characters (every line break form among them:
``\\n``, ``\\r``, ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, ``\\x85``), format characters (the
bidirectional overrides that reorder what an editor shows), lone surrogates, and the line and
paragraph separators U+2028 and U+2029."""


def escape_comment(text: str) -> str:
    """``text`` with every character ``_escaped`` picks written as ``\\xNN``, ``\\uNNNN`` or
    ``\\UNNNNNNNN`` (its code point), so it can stand in a TOML comment on one line."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape(char) if _escaped(char) else char for char in text)


def _escaped(char: str) -> bool:
    """Whether a comment shows ``char`` escaped: one of ``_ESCAPED_CATEGORIES``, or a space
    other than U+0020 (a no-break or ideographic space: wrapping would drop one at a line's
    end, and it reads as a plain space)."""
    return unicodedata.category(char) in _ESCAPED_CATEGORIES or (char.isspace() and char != " ")


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def comment(text: str, *, width: int | None = WIDTH) -> str:
    """``text`` as TOML comment lines of at most ``width`` characters (``# `` and the text,
    wrapped at spaces; a word longer than a line is broken), or as one line when ``width`` is
    None (text laid out already, such as a commented example). The text is one paragraph: a
    line break in it is escaped like any control character, never a new line of the file."""
    if width is None:
        return f"# {escape_comment(text)}".rstrip()
    wrapped = textwrap.wrap(escape_comment(text), width=width - 2, break_long_words=True,
                            break_on_hyphens=False) or [""]
    return "\n".join(f"# {line}".rstrip() for line in wrapped)


class TomlDocument:
    """A TOML file built in order: comments, blank lines, tables and keys. ``data`` is what the
    file means; ``text()`` renders it and checks that it parses back to exactly that."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._data: dict[str, Any] = {}
        self._table: tuple[str, ...] | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The document's data, as ``tomli`` will read it back."""
        return self._data

    def directive(self, name: str, value: str) -> None:
        """A ``#:name value`` line, as editors read ``#:schema URL``."""
        self._parts.append(f"#:{escape_comment(name)} {escape_comment(value)}")

    def comment(self, *paragraphs: str, width: int | None = WIDTH) -> None:
        """Comment lines, one paragraph after another (see ``comment``)."""
        self._parts.extend(comment(paragraph, width=width) for paragraph in paragraphs)

    def blank(self) -> None:
        """An empty line."""
        self._parts.append("")

    def table(self, key: str, value: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        """A top-level table (``[key]``, written by tomli-w) or array of tables (a ``[[key]]``
        header and the keys of each entry: tomli-w would write a short one inline, which after
        another table's header would land in that table)."""
        import tomli_w

        if key in self._data:
            raise ValueError(f"the document already has {key!r}")
        plain = _plain(value)
        if isinstance(plain, dict):
            self._parts.append(tomli_w.dumps({key: plain}).rstrip("\n"))
        else:
            entries = []
            for entry in plain:
                if not isinstance(entry, dict) or any(isinstance(v, dict) or _is_tables(v)
                                                      for v in entry.values()):
                    raise TypeError(f"{key}: an array of tables takes tables of values")
                entries.append(f"[[{_key(key)}]]\n" + tomli_w.dumps(entry).rstrip("\n"))
            self._parts.append("\n\n".join(entries))
        self._data[key] = plain
        self._table = None

    def entry(self, key: str, value: Mapping[str, Any]) -> None:
        """One more entry of the top-level array of tables ``key`` (a ``[[key]]`` header and its
        keys), so that each entry can have comments of its own above it."""
        import tomli_w

        plain = _plain(value)
        entries = self._data.setdefault(key, [])
        if not isinstance(entries, list) or not isinstance(plain, dict) or any(
                isinstance(v, dict) or _is_tables(v) for v in plain.values()):
            raise TypeError(f"{key}: an array of tables takes tables of values")
        self._parts.append(f"[[{_key(key)}]]\n" + tomli_w.dumps(plain).rstrip("\n"))
        entries.append(plain)
        self._table = None

    def heading(self, *path: str) -> None:
        """A table header, ``[a.b]``: the keys written after it belong to that table."""
        node = self._data
        for name in path:
            node = node.setdefault(name, {})
            if not isinstance(node, dict):
                raise ValueError(f"{'.'.join(path)}: {name!r} is not a table")
        if node:
            raise ValueError(f"the document already has the table {'.'.join(path)}")
        self._parts.append(f"[{'.'.join(_key(name) for name in path)}]")
        self._table = path

    def key(self, name: str, value: Any) -> None:
        """``name = value`` in the table of the last ``heading`` (at the top when there is
        none yet); the value is not a table (write those with ``table`` or ``heading``)."""
        import tomli_w

        if isinstance(value, Mapping) or _is_tables(value):
            raise TypeError(f"{name}: key() writes a value, not a table")
        path = self._table or ()
        if not path and self._data and any(isinstance(v, dict) for v in self._data.values()):
            raise ValueError(f"{name}: a top-level key cannot follow a table")
        node = self._data
        for part in path:
            node = node[part]
        if name in node:
            raise ValueError(f"the document already has {'.'.join((*path, name))}")
        self._parts.append(tomli_w.dumps({name: _plain(value)}).rstrip("\n"))
        node[name] = _plain(value)

    def text(self) -> str:
        """The document's text; ``ValueError`` if it would not read back as ``data`` or holds a
        lone surrogate (what Python makes of a command-line argument that is not UTF-8)."""
        import tomli

        text = "\n".join(self._parts) + "\n"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(f"{text[error.start]!r} is half of a character (a byte that was not "
                             "UTF-8 text), which a TOML file cannot hold") from None
        if tomli.loads(text) != self._data:
            raise ValueError("the written TOML does not read back as the data it was given")
        return text


def _key(name: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted and escaped (by tomli-w)."""
    import tomli_w

    return str(tomli_w.dumps({name: 0})).rpartition(" = ")[0]


def _is_tables(value: Any) -> bool:
    """Whether a value is an array holding tables."""
    return isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value)


def _plain(value: Any) -> Any:
    """``value`` as ``tomli`` reads it back: tuples as lists, mappings as dicts."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
