"""Every error hwspec raises, under one root: ``except hwspec.errors.HwspecError`` catches
them all. Each message names the file and the key or rule it is about.

Errors that wrap an ``OSError`` or a TOML parse error subclass those too, so code that catches
the standard ones keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tomli

if TYPE_CHECKING:
    import tomllib

    from hwspec.findings import Finding

__all__ = [
    "CatalogError",
    "ConfigError",
    "ConfigImportError",
    "ExpressionError",
    "HwspecError",
    "NotRegularFileError",
    "PackError",
    "PlanError",
    "SpecError",
    "TomlLimitError",
    "TooLargeError",
    "WriteRefused",
]

KIB = 1024
MIB = 1024 * KIB


class HwspecError(Exception):
    """The root of every error hwspec raises on purpose."""


class NotRegularFileError(HwspecError, OSError):
    """The path names something other than a regular file: a pipe, a device, a socket."""


class TooLargeError(HwspecError, OSError):
    """The file is larger than its limit; ``size`` is its size in bytes where it is known."""

    def __init__(self, size: int | None, limit: int) -> None:
        amount = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        human = f" ({_size(limit)})" if limit >= KIB else ""
        super().__init__(f"the file is {amount}; hwspec reads at most {limit:,} bytes{human} "
                         "of it")
        self.size = size
        self.limit = limit


class SpecError(HwspecError):
    """Raised by ``hwspec.load`` when a spec cannot be loaded; ``findings`` says why."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        first = findings[0]
        where = f"{first.path}: " if first.path else ""
        super().__init__(f"{first.rule} {where}{first.message}")


if TYPE_CHECKING:
    class TomlLimitError(HwspecError, tomli.TOMLDecodeError, tomllib.TOMLDecodeError):
        """TOML that ``parse_toml`` refuses (made by ``_toml_limit_error``, whose docstring
        says more)."""

        def __init__(self, message: str, line: int | None = None,
                     column: int | None = None) -> None: ...


def _toml_limit_error() -> type:
    import tomllib

    class TomlLimitError(HwspecError, tomli.TOMLDecodeError, tomllib.TOMLDecodeError):
        """TOML that ``parse_toml`` refuses: it does not parse, it nests too deeply, or an
        integer in it is too long for Python to convert.

        Both a ``tomli.TOMLDecodeError`` (the parser hwspec reads TOML with) and a
        ``tomllib.TOMLDecodeError``, so code that catches either parser's errors catches this
        too.
        """

        def __init__(self, message: str, line: int | None = None,
                     column: int | None = None) -> None:
            ValueError.__init__(self, message)
            self.msg = message
            # None where the position is unknown (tomli types both as int: always known there)
            self.lineno = line  # type: ignore[assignment]
            self.colno = column  # type: ignore[assignment]

        def __reduce__(self) -> tuple[type, tuple[str, int | None, int | None]]:
            # As it was made, position included (an exception pickles its args by default).
            return type(self), (self.msg, self.lineno, self.colno)

    # Named as if declared at the top of this module: tracebacks and pickles find it there.
    TomlLimitError.__module__, TomlLimitError.__qualname__ = __name__, "TomlLimitError"
    return TomlLimitError


def __getattr__(name: str) -> Any:
    # ``TomlLimitError`` is made when it is first asked for: its standard-library base means
    # importing ``tomllib`` beside ``tomli``, which checking a spec that parses never needs
    # (2.4 ms of a cold start). ``except errors.TomlLimitError`` looks the name up only when
    # an error is raised.
    if name == "TomlLimitError":
        made = globals()[name] = _toml_limit_error()
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CatalogError(HwspecError):
    """A catalog file that cannot be used: it does not parse, or an entry lacks an id or source."""


class ExpressionError(HwspecError):
    """An expression was refused at compile time.

    ``message`` is the complete human-readable text, including the position;
    ``column`` is the 1-based column of the offending construct (within its
    line) when known; ``line`` is its 1-based line; ``source`` is the text.
    """

    def __init__(
        self,
        message: str,
        *,
        column: int | None = None,
        line: int | None = None,
        source: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.line = line
        self.source = source


class PackError(HwspecError):
    """A rule pack that cannot be used; the message names the file, the rule and the spot."""

    def __init__(self, origin: str, message: str, rule: str | None = None) -> None:
        self.origin = origin
        self.rule = rule
        self.detail = message
        where = f"{origin}: {rule}: " if rule else f"{origin}: "
        super().__init__(where + message)


class ConfigError(HwspecError):
    """A configuration file that cannot be used; the message names the file and the key."""


class PlanError(HwspecError):
    """A price list or target that cannot be used: the message names the file and key."""


class WriteRefused(HwspecError):  # noqa: N818 - the name is part of the interface
    """The target exists and overwriting was not asked for, or it cannot be written."""


class ConfigImportError(HwspecError):
    """A config.json hwspec cannot import: not JSON, not an object, a key missing or of the wrong
    kind. ``path`` is the JSON key path (``text_config.num_hidden_layers``), ``message`` what was
    expected; ``str()`` joins them."""

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class FieldDocError(HwspecError):
    """hwspec/spec/fields.toml and the spec classes disagree: a field not documented, or a key
    that is no field; the message names the file and the key."""


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit // KIB} KiB"
