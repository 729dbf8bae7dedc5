"""Reading input files: regular files only, never more than the limit and one byte more."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from hwspec.errors import NotRegularFileError, TooLargeError
from hwspec.spec.read import read_regular, read_regular_text

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev are POSIX")


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")

    assert (read_regular(path, 9), read_regular_text(path, 9)) == (
        b"\xef\xbb\xbfx = 1\n", "x = 1\n")


def test_a_file_past_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 11)

    with pytest.raises(TooLargeError) as raised:
        read_regular(path, 10)
    assert (raised.value.size, str(raised.value)) == (
        11, "the file is 11 bytes; hwspec reads at most 10 bytes of it")


def test_a_file_that_grows_while_read_costs_at_most_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose size said small but which holds more is read to the limit and one byte,
    then refused."""
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 5000)
    real_fstat, asked = os.fstat, []
    real_read = os.read
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result(
        (*real_fstat(fd)[:6], 1, *real_fstat(fd)[7:])))
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))

    with pytest.raises(TooLargeError):
        read_regular(path, 1000)
    assert sum(asked) == 1001


def test_a_file_is_read_in_one_read_of_its_size_and_one_byte_more(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read asks for the size fstat gave and a byte, then a byte to find the end: it never
    asks for (and allocates) more than the file holds."""
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 3000)
    real_read, asked = os.read, []
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))

    assert (read_regular(path, 1 << 20), asked) == (b"x" * 3000, [3001, 1])


def test_a_file_whose_size_says_nothing_is_read_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that gives its size as 0 but holds bytes, as /proc's do, is read to its end."""
    path = tmp_path / "cpuinfo"
    path.write_bytes(b"processor : 0\n" * 100)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result(
        (*real_fstat(fd)[:6], 0, *real_fstat(fd)[7:])))

    assert read_regular(path, 1 << 20) == b"processor : 0\n" * 100


@POSIX
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    """Opening a pipe with no writer would block a plain open forever."""
    os.mkfifo(tmp_path / "pipe.toml")

    with pytest.raises(NotRegularFileError, match="a named pipe"):
        read_regular(tmp_path / "pipe.toml", 1000)


@POSIX
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "zero.toml").symlink_to("/dev/zero")

    with pytest.raises(NotRegularFileError, match="a device"):
        read_regular(tmp_path / "zero.toml", 1000)


def test_a_folder_is_a_directory_error(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path, 1000)
