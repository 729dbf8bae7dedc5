"""Writing files without losing data: every file hwspec writes goes through ``write_atomic``.

The text goes to a temporary file in the target's folder, is flushed to disk, and is then renamed
over the target in one step, so a reader (or a crash, or Ctrl-C) sees either the old file or the
whole new one, never half of either. An existing file is replaced only when the caller says so;
without that, the new file is put in place with a hard link, which fails if a file of that name
appeared in the meantime. A symbolic link is written through: the regular file it points to is
replaced, and the link stays. Only regular files are ever replaced, never a device such as
``/dev/stdout``, a folder or a pipe. A failed or interrupted write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


class WriteRefused(Exception):  # noqa: N818 - the name is part of the interface
    """The target exists and overwriting was not asked for, or it cannot be written."""


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; refuse an existing file unless ``force``."""
    if path.is_dir():
        raise WriteRefused(f"{path} is a directory")
    exists_message = f"{path} already exists; pass --force to overwrite it"
    if not force and (path.exists() or path.is_symlink()):
        raise WriteRefused(exists_message)
    target = _target(path)
    try:
        info: os.stat_result | None = target.stat()
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(f"{path} is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{path} is not a regular file; only regular files are replaced")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused(f"{folder} is not a folder")
    data = text.encode("utf-8")
    mode = stat.S_IMODE(info.st_mode) if info is not None else _new_file_mode()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as error:
        raise WriteRefused(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        if force:
            os.replace(temporary, target)
        elif not _link_new(temporary, target):
            raise WriteRefused(exists_message)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise WriteRefused(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    Path(temporary).unlink(missing_ok=True)  # after a hard link, the temporary name remains
    _sync_folder(folder)


def _target(path: Path) -> Path:
    """The file to replace: ``path``, or the file a symbolic link at ``path`` points to."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # a link to a file not yet written: create that file
        return Path(os.path.realpath(path))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise WriteRefused(f"{path} is a loop of symbolic links") from None
        raise WriteRefused(f"cannot write {path}: {error.strerror or error}") from None


def _link_new(temporary: str, target: Path) -> bool:
    """Give the written file its name only if no file has that name; False if one has."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: check, then rename
        if target.exists() or target.is_symlink():
            return False
        os.replace(temporary, target)
    return True


def _new_file_mode() -> int:
    """What a plain ``open`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the new file to disk, where the system allows it."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
