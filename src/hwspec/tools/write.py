"""Writing files without losing data: every file hwspec writes goes through ``write_atomic``.

The text goes to a temporary file in the target's folder, is flushed to disk, and is then renamed
over the target in one step, so a reader (or a crash, or Ctrl-C) sees either the old file or the
whole new one, never half of either. An existing file is replaced only when the caller says so;
without that, the new file is put in place with a hard link, which fails if a file of that name
appeared in the meantime. A symbolic link is never written through (a link in a repository
could point anywhere): it is refused, as is anything but a regular file (a device such as
``/dev/stdout``, a folder, a pipe). The new file gets the old one's permission bits, never its
set-user-id, set-group-id or sticky bits. A failed or interrupted write (Ctrl-C, SIGTERM from a CI
runner, SIGHUP from a closed terminal) leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hwspec.errors import WriteRefused


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; refuse an existing file unless ``force``."""
    if path.is_symlink():
        raise WriteRefused(f"{path} is a symbolic link; hwspec never writes through a link, so "
                           "name the file itself")
    if path.is_dir():
        raise WriteRefused(f"{path} is a directory")
    exists_message = f"{path} already exists; pass --force to overwrite it"
    if not force and path.exists():
        raise WriteRefused(exists_message)
    target = path
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
    # Permission bits only: a setuid target must not hand its bit to hwspec's output.
    mode = (stat.S_IMODE(info.st_mode) & 0o777) if info is not None else _new_file_mode()
    with _signals_interrupt():
        _write_new(path, target, folder, data, mode, force, exists_message)
    _sync_folder(folder)


def _write_new(path: Path, target: Path, folder: Path, data: bytes, mode: int, force: bool,
               exists_message: str) -> None:
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


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived during a write: unwind (removing the temporary file), then die
    of the signal as the process would have."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While writing, turn SIGTERM and SIGHUP into an exception, so the clean-up that Ctrl-C
    gets runs for them too; afterwards the signal takes its usual course."""
    def interrupt(number: int, _frame: object) -> None:
        raise _Interrupted(number)

    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {}
    try:
        for number in numbers:
            previous[number] = signal.signal(number, interrupt)
    except ValueError:  # not the main thread: signals stay as they are
        previous = {}
    try:
        yield
    except _Interrupted as interrupted:
        for number, handler in previous.items():
            signal.signal(number, handler)
        previous = {}
        signal.raise_signal(interrupted.number)
        raise SystemExit(128 + interrupted.number) from None  # a handler that returned
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


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
