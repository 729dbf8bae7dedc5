"""No data loss: write_atomic never half-writes or clobbers; validate never touches its specs."""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import errno
import hashlib
import os
import signal
import stat
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS, invoke

from hwspec.errors import WriteRefused
from hwspec.tools.write import write_atomic

OLD = "old contents\n"
NEW = "new contents: 768 GiB \u2713\n"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """A file with old contents, the only file in its folder."""
    path = tmp_path / "report.txt"
    path.write_text(OLD, encoding="utf-8")
    return path


def test_new_file_gets_the_whole_text(tmp_path: Path) -> None:
    """A new file holds exactly the text, in UTF-8, and nothing else is left in the folder."""
    path = tmp_path / "report.txt"

    write_atomic(path, NEW)

    assert (NEW, ["report.txt"]) == (path.read_text(encoding="utf-8"), _names(tmp_path))


def test_existing_file_is_refused_without_force_and_unchanged(existing: Path) -> None:
    """Without force, an existing file is refused and keeps its contents."""
    with pytest.raises(WriteRefused, match=r"report\.txt already exists; pass --force"):
        write_atomic(existing, NEW)

    assert (OLD, ["report.txt"]) == (existing.read_text(encoding="utf-8"),
                                     _names(existing.parent))


def test_force_replaces_the_file_and_leaves_no_temporary_file(existing: Path) -> None:
    """With force, the file is replaced whole and no temporary file remains."""
    write_atomic(existing, NEW, force=True)

    assert (NEW, ["report.txt"]) == (existing.read_text(encoding="utf-8"),
                                     _names(existing.parent))


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_replacing_keeps_the_permissions(existing: Path) -> None:
    """A replaced file keeps its permission bits."""
    existing.chmod(0o640)

    write_atomic(existing, NEW, force=True)

    assert 0o640 == stat.S_IMODE(existing.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_new_file_gets_the_permissions_open_would_give(tmp_path: Path) -> None:
    """A new file is 0o666 less the umask, not the 0o600 of a temporary file."""
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.txt", NEW)
    finally:
        os.umask(umask)

    assert 0o644 == stat.S_IMODE((tmp_path / "report.txt").stat().st_mode)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(errno.EIO, "I/O error")],
                         ids=["ctrl-c", "os-error"])
def test_interrupted_rename_keeps_the_old_file(existing: Path, error: BaseException,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or an error at the rename leaves the old file whole and no temporary file."""
    def fail(*_: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", fail)

    with pytest.raises(KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else WriteRefused):
        write_atomic(existing, NEW, force=True)

    assert (OLD, ["report.txt"]) == (existing.read_text(encoding="utf-8"),
                                     _names(existing.parent))


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(errno.ENOSPC,
                                                                "No space left on device")],
                         ids=["ctrl-c", "disk-full"])
def test_write_interrupted_midway_keeps_the_old_file(existing: Path, error: BaseException,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or a full disk while the text is being written to disk leaves the old file whole."""
    def fail(_: int) -> None:
        raise error

    monkeypatch.setattr(os, "fsync", fail)

    with pytest.raises(KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else WriteRefused):
        write_atomic(existing, NEW, force=True)

    assert (OLD, ["report.txt"]) == (existing.read_text(encoding="utf-8"),
                                     _names(existing.parent))


def test_a_failed_write_is_refused_with_the_reason(existing: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An OS error while writing is WriteRefused naming the file and the reason, not a traceback."""
    def fail(_: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)

    with pytest.raises(WriteRefused, match=r"^cannot write .*report\.txt: No space left on dev"):
        write_atomic(existing, NEW, force=True)


def test_a_file_that_appears_meanwhile_is_not_clobbered(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without force, a file created by someone else during the write is kept, not replaced."""
    path = tmp_path / "report.txt"
    chmod = os.chmod

    def chmod_then_race(target: str, mode: int) -> None:
        chmod(target, mode)
        path.write_text(OLD, encoding="utf-8")  # another process wins the race

    monkeypatch.setattr(os, "chmod", chmod_then_race)

    with pytest.raises(WriteRefused, match="already exists"):
        write_atomic(path, NEW)

    assert (OLD, ["report.txt"]) == (path.read_text(encoding="utf-8"), _names(tmp_path))


def test_without_hard_links_a_new_file_is_still_written(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system without hard links the new file is renamed into place instead."""
    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)

    write_atomic(tmp_path / "report.txt", NEW)

    assert (NEW, ["report.txt"]) == ((tmp_path / "report.txt").read_text(encoding="utf-8"),
                                     _names(tmp_path))


def test_a_directory_is_refused(tmp_path: Path) -> None:
    """A folder is never replaced."""
    with pytest.raises(WriteRefused, match="is a directory"):
        write_atomic(tmp_path, NEW, force=True)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    """A target in a folder that does not exist is refused, not created."""
    with pytest.raises(WriteRefused, match="is not a folder"):
        write_atomic(tmp_path / "nowhere" / "report.txt", NEW)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_only_regular_files_are_replaced(tmp_path: Path) -> None:
    """A named pipe (like /dev/stdout, a device) is refused even with force, and stays a pipe."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    with pytest.raises(WriteRefused, match="is not a regular file"):
        write_atomic(pipe, NEW, force=True)

    assert (True, ["pipe"]) == (stat.S_ISFIFO(pipe.stat().st_mode), _names(tmp_path))


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("points_to", ["report.txt", "missing.txt", "/etc/passwd"])
@pytest.mark.parametrize("force", [False, True])
def test_a_symbolic_link_is_never_written_through(existing: Path, points_to: str,
                                                  force: bool) -> None:
    """A link (to the old report, to nothing, outside the folder) is refused, with or without
    force: the link and what it points to stay as they were."""
    link = existing.parent / "latest.txt"
    link.symlink_to(points_to)
    before = existing.read_text(encoding="utf-8")

    with pytest.raises(WriteRefused, match="is a symbolic link; hwspec never writes through"):
        write_atomic(link, NEW, force=force)
    assert (link.is_symlink(), os.readlink(link), existing.read_text(encoding="utf-8"),
            _names(existing.parent)) == (True, points_to, before, ["latest.txt", "report.txt"])


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_loop_of_symbolic_links_is_refused(tmp_path: Path) -> None:
    """A loop of links is a link: refused, even with force."""
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")

    with pytest.raises(WriteRefused, match="is a symbolic link"):
        write_atomic(tmp_path / "a", NEW, force=True)


def test_a_setuid_target_does_not_pass_its_bit_on(existing: Path) -> None:
    """The replaced file keeps its permission bits, never set-user-id, set-group-id or sticky."""
    existing.chmod(0o4755)

    write_atomic(existing, NEW, force=True)

    assert stat.S_IMODE(existing.stat().st_mode) == 0o755


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path,
                                                          signal_name: str) -> None:
    """A process killed in the middle of a write (its fsync is slowed to be there) dies of the
    signal and leaves neither the target nor a temporary file."""
    import subprocess
    import textwrap

    script = textwrap.dedent("""\
        import os, signal, sys, time
        from pathlib import Path
        from hwspec.tools import write as _write
        real = os.fsync
        def slow(fd):
            print("writing", flush=True)
            time.sleep(30)
            real(fd)
        _write.os.fsync = slow
        _write.write_atomic(Path(sys.argv[1]), "x" * 1000)
        """)
    target = tmp_path / "out.txt"
    with subprocess.Popen([sys.executable, "-c", script, str(target)],
                          stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        child.send_signal(getattr(signal, signal_name))
        child.wait(timeout=20)

    assert (child.returncode != 0, _names(tmp_path)) == (True, [])


# --- validate reads and never writes -------------------------------------------------------------


def _fingerprints(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under folder: digest, modification time and permission bits."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[str(path.relative_to(folder))] = (digest, info.st_mtime_ns, info.st_mode)
    return out


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit"])
def test_validate_never_modifies_the_specs_it_reads(output_format: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """After `hwspec validate specs/` in any format, every file under specs/ is as it was."""
    monkeypatch.chdir(ROOT)
    before = _fingerprints(SPECS)

    result = invoke(["validate", "--format", output_format, "--output", str(tmp_path / "out"),
              "specs/"], catch_exceptions=False)

    assert (before, ["out"]) == (_fingerprints(SPECS), _names(tmp_path)), result.output


# --- the command line writes only what it should -------------------------------------------------


@pytest.mark.parametrize("command", [
    ["validate", "--output", "{spec}", "--force", "{spec}"],
    ["validate", "--output", "{spec}", "--force", "{folder}"],
    ["report", "--output", "{spec}", "--force", "{spec}"],
    ["diff", "--output", "{spec}", "--force", "{spec}", "{spec}"],
])
def test_output_never_replaces_an_input(tmp_path: Path, command: list[str]) -> None:
    """--output naming a spec the run reads is a usage error, even with --force; the spec is
    untouched."""
    spec = tmp_path / "spec.toml"
    spec.write_text((SPECS / "am5.toml").read_text(encoding="utf-8"), encoding="utf-8")
    before = spec.read_bytes()
    args = [a.format(spec=spec, folder=tmp_path) for a in command]
    result = invoke(args)

    assert (result.exit_code, "is one of the inputs" in result.output, spec.read_bytes()) == (
        2, True, before)


def test_a_run_that_exits_2_writes_nothing(tmp_path: Path) -> None:
    """A missing input path makes the run exit 2; the output file is not created, and an
    existing one is not replaced even with --force."""
    out = tmp_path / "out.txt"
    missing = str(tmp_path / "missing.toml")
    first = invoke(["validate", "--output", str(out), missing,
                                     str(SPECS / "am5.toml")])
    out.write_text("the last good result\n", encoding="utf-8")
    second = invoke(["validate", "--output", str(out), "--force", missing,
                                      str(SPECS / "am5.toml")])

    assert (first.exit_code, second.exit_code, out.read_text(encoding="utf-8")) == (
        2, 2, "the last good result\n")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_output_to_a_link_is_refused_on_the_command_line(tmp_path: Path) -> None:
    """--output LINK --force (a link planted in a repository, or /dev/stdout) is refused; what
    the link points to is untouched."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    (tmp_path / "out.txt").symlink_to(victim)
    result = invoke(["validate", "--output", str(tmp_path / "out.txt"), "--force",
                                      str(SPECS / "am5.toml")])
    stdout = invoke(["validate", "--output", "/dev/stdout", "--force",
                                      str(SPECS / "am5.toml")])

    assert (result.exit_code, victim.read_text(encoding="utf-8"), stdout.exit_code) == (
        2, "keep\n", 2)
