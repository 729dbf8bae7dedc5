"""Text from an input, made safe for the place it is printed: one function per output kind.

Spec files, file names, rule packs, catalogs and price lists come from anyone, and what hwspec
prints reaches terminals, CI logs and code-scanning pages. A build name holding a newline must not
add a line hwspec did not write (a fake ``result ok``, a GitHub ``::error`` or
``::stop-commands::``, an Azure ``##vso[...]``, a TeamCity ``##teamcity[...]``); an escape
sequence must not retitle a terminal or move its cursor; a name that is not UTF-8 must not make a
document unreadable. Every string that came from an input passes the function of its output kind
before it is printed:

- :func:`text` for a terminal, a log or any plain text (text, concise, report, plan, fit,
  rules, explain, parts, notices on standard error);
- :func:`lines` for input text that is meant to span lines (a rule's explanation, an example);
- :func:`json_document` for a whole JSON document (json, SARIF, the report's JSON);
- :func:`xml` for JUnit XML, :func:`html` for the HTML report, :func:`markdown` for Markdown
  (the report's tables, SARIF's ``help.markdown``);
- :func:`github_message` and :func:`github_property` for GitHub workflow commands;
- :func:`uri` for a file path written as a URI (SARIF's artifact locations).

docs/output-formats.md says what each kind does with control characters.
"""

from __future__ import annotations

import re

_CONTROL_RANGES = (
    "\x00-\x1f\x7f-\x9f"  # C0 (tab, line feed, carriage return, escape ...), DEL, C1 (NEL ...)
    "\u2028\u2029"  # line and paragraph separators: new lines to some readers
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, isolates
    "\ufeff\ufff9-\ufffb\ufffe\uffff"  # byte order mark, interlinear annotation, non-characters
    "\ud800-\udfff"  # lone surrogates: a file name's bytes that are not UTF-8
)
_COMPILED: dict[str, re.Pattern[str]] = {}


def _control() -> re.Pattern[str]:
    """``CONTROL``, compiled on first use: compiling its class (which holds the lone-surrogate
    range) takes about 0.4 ms, which a run that prints only printable text never needs, as
    ``str.isprintable`` is false for every character it matches."""
    pattern = _COMPILED.get("CONTROL")
    if pattern is None:
        pattern = _COMPILED["CONTROL"] = re.compile(f"[{_CONTROL_RANGES}]")
    return pattern


def __getattr__(name: str) -> re.Pattern[str]:
    if name == "CONTROL":  # characters no input may print raw: each is written as an escape
        return _control()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

_CI_COMMAND = re.compile(r"#(?=#(?:\[|vso\[|teamcity\[))", re.IGNORECASE)
"""The first ``#`` of ``##[``, ``##vso[`` or ``##teamcity[`` (in any case): Azure Pipelines,
GitHub (its older syntax) and TeamCity read those anywhere in a line of a log."""

_LEADING_COMMAND = re.compile(r"^(\s*):(?=:)")
"""A ``::`` that begins a text (after blanks): GitHub reads a line that begins so as a command."""


def visible(char: str) -> str:
    """One character as a visible escape: ``\\n``, ``\\x1b``, ``\\u2028``; a lone surrogate from
    a name that is not UTF-8 as the byte it stands for (``\\xff``)."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(value: str) -> str:
    """``value`` for a terminal, a log or plain text: on one line, every control character (and
    line separator, bidirectional override, lone surrogate) written as a visible escape, and the
    markers CI systems read as commands broken (``##vso[`` shows as ``\\x23#vso[``, a leading
    ``::`` as ``\\x3a:``)."""
    if value.isprintable() or _control().search(value) is None:  # no control character
        if "#" not in value and ":" not in value:
            return value  # nothing to escape: most of what a report prints
        out = value
    else:
        out = _control().sub(lambda m: visible(m.group()), value)
    out = _CI_COMMAND.sub(r"\\x23", out)
    return _LEADING_COMMAND.sub(r"\1\\x3a", out)


def lines(value: str) -> list[str]:
    """Input text meant to span lines (a rule's explanation, an example spec), as the lines to
    print: split at line feeds (and carriage return, line feed pairs) only, each line escaped
    as :func:`text` escapes it."""
    return [text(line) for line in re.split("\r?\n", value)]


def surrogates(value: str) -> str:
    """``value`` with only its lone surrogates written visibly (``\\xff``): what a document that
    must be valid UTF-8 does with a name that is not."""
    return re.sub("[\ud800-\udfff]", lambda m: visible(m.group()), value)


def json_document(document: str) -> str:
    """A JSON document (``json.dumps`` output) that prints safely and reads back the same: control
    characters, separators and bidirectional overrides inside strings written as ``\\u`` and
    four hex digits, the ``#`` of a CI command marker as ``\\u0023``, and a lone surrogate (not
    valid in UTF-8) as the visible text ``\\xff``."""
    return _unicode_escaped(document)


def toml_document(document: str) -> str:
    """A TOML document hwspec wrote (``init``'s starter spec, ``model import``'s table) that prints
    safely: control characters, separators and bidirectional overrides written as ``\\u`` and
    four hex digits (inside a string TOML reads them back as they were; in a comment they show as
    written), the ``#`` of a CI command marker likewise, and a lone surrogate as ``\\\\xff`` (a
    backslash and ``xff`` once read)."""
    return _unicode_escaped(document)


def _unicode_escaped(document: str) -> str:
    """A document in a format that reads ``\\u`` and four hex digits inside its strings (JSON,
    TOML), escaped so: its own line feeds kept, every other control character (and separator,
    bidirectional override) and a CI command marker's ``#`` as ``\\u`` and four hex digits, a
    lone surrogate as a backslash and its visible escape."""

    def one(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code == 0x0A:  # the document's own line breaks: the writers put \n in strings
            return "\n"
        if 0xD800 <= code <= 0xDFFF:
            return "\\" + visible(match.group())  # the string holds a backslash, then xff
        return f"\\u{code:04x}"

    return _CI_COMMAND.sub(r"\\u0023", _control().sub(one, document))


def xml(value: str) -> str:
    """``value`` for XML text or an attribute: as :func:`text` escapes it (which also covers every
    character XML 1.0 cannot carry); the XML writer then escapes markup."""
    return text(value)


def html(value: str) -> str:
    """``value`` for HTML text or a quoted attribute: as :func:`text` escapes it, then ``&``,
    ``<``, ``>`` and quotes as entities."""
    from html import escape

    return escape(text(value))


_MARKDOWN_PUNCTUATION = frozenset("\\`*_[]<>|~#!")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}


def markdown(value: str) -> str:
    """``value`` made inert for Markdown that GitHub renders (a table cell of a pull-request
    comment, SARIF's ``help.markdown``): one line, control characters visible as :func:`text`
    writes them; HTML (``<details>``, ``<img>``), entities and ``@mentions`` written as entities;
    emphasis, links, images, code and pipes backslash-escaped, so the text shows as written and
    does nothing else."""
    out = []
    for char in text(value):
        if char in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def markdown_code(value: str, *, table: bool = True) -> str:
    """``value`` as a Markdown code span (which shows HTML, links and mentions as written): on one
    line with control characters visible as :func:`text` writes them, fenced by one backtick more
    than its longest run of them, and for a table cell its pipes escaped."""
    shown = text(value).replace("|", "\\|") if table else text(value)
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def github_message(value: str) -> str:
    """A workflow command's message (after ``::``) as the Actions runner reads it back: ``%``,
    carriage return and line feed percent-escaped. Input text in it passes :func:`text` first,
    so only hwspec's own line breaks (before a hint) are left to encode."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command property's value: as a message, and ``:`` and ``,`` too."""
    return github_message(value).replace(":", "%3A").replace(",", "%2C")


def uri(path: str, safe: str = "/") -> str:
    """A path with forward slashes as a URI path: its bytes (as the file system names them, so a
    name that is not UTF-8 keeps its own bytes) percent-encoded, but for the characters in
    ``safe``."""
    import os
    from urllib.parse import quote_from_bytes

    return quote_from_bytes(os.fsencode(path), safe=safe)


__all__ = ["CONTROL",  # noqa: F822 - compiled on first use, by the module's __getattr__
           "github_message", "github_property", "html", "json_document", "lines",
           "markdown", "markdown_code", "surrogates", "text", "toml_document", "uri", "visible",
           "xml"]
