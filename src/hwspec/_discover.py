"""Which files are specs: the paths named on the command line, and specs found in folders.

A file named explicitly is always checked. In a folder, every ``*.toml`` file (recursively,
sorted) that declares a ``build`` table is a spec, and so is one that does not parse as TOML at
all (it may be a broken spec, and silence would hide it); TOML files that parse and have no
``build`` table (``pyproject.toml``, rule packs, configuration) are skipped, so
``hwspec validate .`` does not fail on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

BUILD_TABLE = re.compile(rb"^[ \t]*(\[[ \t]*build\b|build[ \t]*[.=])", re.MULTILINE)
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                          ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def looks_like_spec(path: Path) -> bool:
    """True when the file declares a ``build`` table, or cannot be read or parsed (so that the
    checker reports it); False for TOML that parses and has no ``build`` table."""
    try:
        raw = path.read_bytes()
    except OSError:
        return True
    if BUILD_TABLE.search(raw) is not None:
        return True
    import tomllib

    try:
        return "build" in tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True


def spec_files(paths: Iterable[Path]) -> list[Path]:
    """Files to check, in the order given; folders expand to their spec files, sorted."""
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        found = _walk(path) if path.is_dir() else [path]
        for file in found:
            if file not in seen:
                seen.add(file)
                out.append(file)
    return out


def _walk(folder: Path) -> list[Path]:
    files = []
    for file in sorted(folder.rglob("*.toml")):
        if any(part in SKIPPED_DIRS for part in file.relative_to(folder).parts[:-1]):
            continue
        if file.is_file() and looks_like_spec(file):
            files.append(file)
    return files
