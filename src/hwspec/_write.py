"""Writing files without losing data: every file hwspec writes goes through ``write_atomic``.

The text goes to a temporary file in the target's folder, is flushed to disk, and is then renamed
over the target in one step, so a reader (or a crash, or Ctrl-C) sees either the old file or the
whole new one, never half of either. An existing file is replaced only when the caller says so.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    """The target exists and overwriting was not asked for, or the folder cannot be written."""


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; refuse an existing file unless ``force``."""
    if path.is_dir():
        raise WriteRefused(f"{path} is a directory")
    if not force and (path.exists() or path.is_symlink()):
        raise WriteRefused(f"{path} already exists; pass --force to overwrite it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused(f"{folder} is not a folder")
    data = text.encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteRefused(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _mode_for(path))
        if not force and (path.exists() or path.is_symlink()):
            raise WriteRefused(f"{path} already exists; pass --force to overwrite it")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain ``open`` would give a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
