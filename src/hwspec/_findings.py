"""The one shape every problem takes, from a TOML syntax error to a failed rule."""

from __future__ import annotations

from attrs import frozen

Path = tuple[str | int, ...]
"""A key path into a spec: ``("memory", 0, "kind")``."""


def format_path(path: Path) -> str:
    """Write a key path the way a person reads it: ``memory[0].kind``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def parse_path(text: str) -> Path:
    """Read a key path written as ``memory[0].kind`` back into ``("memory", 0, "kind")``."""
    import re

    path: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        path.append(int(index) if index else name)
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
