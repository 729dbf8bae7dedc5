"""Reading an input file: regular files only, and never more than a stated number of bytes.

Every file hwspec reads (specs, rule packs, catalogs, configuration, a model's config.json) comes
through here. A named pipe would block the run forever and ``/dev/zero`` would fill memory, so
the file is opened without blocking, checked to be a regular file (a symbolic link is followed
to what it names, which must be one too) and read up to its limit and one byte more: a larger
file is refused without reading the rest.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

KIB = 1024
MIB = 1024 * KIB


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at path, at most ``limit`` of them.

    Raises ``NotRegularFileError`` for a pipe, device or socket (before reading a byte),
    ``IsADirectoryError`` for a folder, ``TooLargeError`` past the limit, and the ``OSError`` of a
    file that cannot be opened.
    """
    # Imported here, not above: the spec classes read their shipped documentation through
    # ``shipped_toml`` as they are defined, and hwspec.errors imports tomllib.
    from hwspec.errors import NotRegularFileError, TooLargeError

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(f"the path is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLargeError(info.st_size, limit)
        chunks: list[bytes] = []
        left = limit + 1
        # The size fstat gave and one byte more, which finds the end: a read that asks for 256
        # KiB allocates them for a spec of a few (a fifth of reading a spec's time). A file
        # that grew since is read on in 256 KiB chunks.
        want = info.st_size + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, want))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = 1 if len(chunk) < want else 256 * KIB
        raw = b"".join(chunks)
    finally:
        os.close(descriptor)
    if len(raw) > limit:  # the file grew while it was read
        raise TooLargeError(None, limit)
    return raw


def read_regular_text(path: Path, limit: int) -> str:
    """``read_regular`` decoded as UTF-8 (a byte order mark is dropped)."""
    raw = read_regular(path, limit)
    return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def kind_of(mode: int) -> str:
    """What a file of that mode is, for a message: ``a named pipe (FIFO)``, ``a device`` ..."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def shipped_toml(name: str, path: Path) -> Any:
    """The parsed data of a TOML file hwspec ships (``catalog/cpus.toml``), from the generated
    ``hwspec.shipped`` module when the file is the size recorded there, else parsed from the
    file (an edit not yet regenerated). The data is shared: callers must not change it."""
    from hwspec import shipped

    if shipped.SIZES.get(name) == path.stat().st_size:
        return shipped.DATA[name]
    import tomli

    return tomli.loads(path.read_text(encoding="utf-8"))
