"""Which files are specs: the paths named on the command line, and specs found in folders.

In a folder, every ``*.toml`` file (recursively, sorted) that declares a ``build`` table is a spec,
and so is one that does not parse as TOML at all (it may be a broken spec, and silence would hide
it); TOML files that parse and have no ``build`` table (``pyproject.toml``, rule packs,
configuration) are skipped, so ``hwspec validate .`` does not fail on them. A file named
explicitly is always checked, unless ``skip_non_specs`` asks for the folder test on it too (what a
pre-commit hook wants: it passes every staged TOML file). The test is made by the checker as it
reads the file (``Checker.check_found``), so each file is read once.

A path that does not exist, loops through symbolic links, or names a folder that cannot be listed
is a problem for the person who typed it (exit 2), reported beside the results of the rest.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from attrs import frozen

SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                          ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


@frozen
class Candidate:
    """A file to check. ``confirm``: it was found in a folder (or named under
    ``--skip-non-specs``), so it is checked only if it turns out to be a spec: the checker reads
    it once and leaves it out when it parses and has no ``build`` table."""

    path: Path
    confirm: bool = False


def spec_files(paths: Iterable[Path], *,
               skip_non_specs: bool = False) -> tuple[list[Candidate], list[str]]:
    """Files to check, in the order given (folders expand to their TOML files, sorted), and the
    paths that could not be used, each with the reason."""
    out: list[Candidate] = []
    problems: list[str] = []
    seen: set[Path] = set()
    for path in paths:
        problem = path_problem(path)
        if problem is not None:
            problems.append(f"{path}: {problem}")
            continue
        if path.is_dir():
            found, unlisted = _walk(path)
            problems.extend(unlisted)
        else:
            found = [Candidate(path, confirm=skip_non_specs)]
        for candidate in found:
            if candidate.path not in seen:
                seen.add(candidate.path)
                out.append(candidate)
    return out, problems


def folders_without_specs(paths: Iterable[Path], checked: Iterable[str]) -> list[str]:
    """The named folders in which no spec was checked, each with a warning to print: a folder
    argument that holds no spec (a typo, the wrong folder) would otherwise pass in silence."""
    names = list(checked)  # each made a path only when it is compared: one for most folders
    return [f"{folder}: no spec files found (a spec is a TOML file with a [build] table)"
            for folder in paths if folder.is_dir()
            and not any(Path(c).is_relative_to(folder) for c in names)]


def path_problem(path: Path) -> str | None:
    """Why a named path cannot be checked at all (missing, a symlink loop), or None."""
    try:
        os.stat(path)
    except ValueError:  # a NUL byte: no file has that name (a library caller's path may hold one)
        return "the path holds a NUL byte, which no file name can"
    except FileNotFoundError:
        if path.is_symlink():
            return "is a symbolic link to a file that does not exist"
        return "no such file or directory"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        if error.errno == errno.ENAMETOOLONG:
            return "the name is too long"
        return f"cannot be used: {error.strerror or error}"
    return None


def _walk(folder: Path) -> tuple[list[Candidate], list[str]]:
    files: list[Path] = []
    problems: list[str] = []

    def on_error(error: OSError) -> None:
        problems.append(f"{error.filename}: cannot be listed: {error.strerror or error}")

    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        base = Path(root)  # parsed once: each file's path is made from it, not from the text
        for name in sorted(names):
            if not name.endswith(".toml"):
                continue
            file = base / name
            if file.is_file():
                files.append(file)
    files.sort()
    return [Candidate(file, confirm=True) for file in files], problems
