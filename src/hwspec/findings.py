"""The one shape every problem takes, from a TOML syntax error to a failed rule."""

from __future__ import annotations

import json
import re

from attrs import frozen

Path = tuple[str | int, ...]
"""A key path into a spec: ``("memory", 0, "kind")``."""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PATH_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|([^."\[\]]+)|\[(\d+)\]')


def format_path(path: Path) -> str:
    """Write a key path the way a person reads it: ``memory[0].kind``.

    A key that TOML would not accept bare (empty, or with a dot, space or quote) is quoted as
    TOML quotes it: ``checks.params."a.b"``.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
        out += f".{key}" if out else key
    return out


def parse_path(text: str) -> Path:
    """Read a key path written by ``format_path`` back: ``memory[0].kind`` gives
    ``("memory", 0, "kind")``."""
    path: list[str | int] = []
    for quoted, bare, index in _PATH_PART.findall(text):
        if index:
            path.append(int(index))
        elif bare:
            path.append(bare)
        else:
            path.append(json.loads(f'"{quoted}"'))
    return tuple(path)


@frozen(order=False)
class Finding:
    """One thing wrong (or worth a look) in one spec file.

    ``path`` is the spec key it blames (``memory[0].kind``, or ``""`` for the whole file);
    ``line`` and ``column`` are 1-based positions of that key in the TOML text, where known.
    """

    rule: str
    severity: str
    message: str
    name: str = ""
    hint: str = ""
    path: str = ""
    line: int | None = None
    column: int | None = None

    def sort_key(self) -> tuple[int, int, str, str, str]:
        """Order findings by line, column, rule id, path and message, so output is deterministic."""
        return (self.line or 0, self.column or 0, self.rule, self.path, self.message)
