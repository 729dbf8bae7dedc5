"""Hostile input: every bad file gets a finding or a usage error a person understands, every other
file in the run is still checked, and docs/robustness.md shows exactly what hwspec answers.

The bad-input matrix below is data: each case makes one bad input beside a good spec, runs
`hwspec validate`, and pins the line hwspec prints about it and the exit code. The same runs
render docs/robustness.md; `HWSPEC_REGENERATE_DOCS=1 pytest tests/test_robustness.py` rewrites it.
"""

# Assertions in this project put the expected value first.
# ruff: noqa: SIM300

from __future__ import annotations

import errno
import importlib.util
import json
import os
import pathlib
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import tomli
import tomli_w
from tests.conftest import ROOT, SPECS, invoke

import hwspec
from hwspec.checker import Checker
from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from hwspec.engine.evaluate import MAX_EVALUATIONS, MAX_FINDINGS, MAX_MESSAGE_CHARS
from hwspec.engine.packs import MAX_FORMAT_SIZE
from hwspec.errors import TomlLimitError
from hwspec.findings import Finding
from hwspec.project.config import MAX_EXTEND
from hwspec.search.plan import MAX_CHECKED, MAX_EXAMINED
from hwspec.search.plan import MAX_SECONDS as PLAN_SECONDS
from hwspec.spec.load import (
    MAX_ITEMS,
    MAX_NESTING,
    MAX_SPEC_BYTES,
    load_text,
    parse_toml,
    read_spec,
)
from hwspec.tools.gguf import MAX_ARRAY_ELEMENTS, MAX_TENSORS

DOC = ROOT / "docs" / "robustness.md"
REGENERATE = "HWSPEC_REGENERATE_DOCS"
GOOD = "good.toml"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and /dev are POSIX")


def _findings(text: str) -> list[tuple[str, str, int | None, str]]:
    return [(f.rule, f.path, f.line, f.message) for f in load_text(text).findings]


# --- the bad-input matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, what hwspec prints about it, and the exit code."""

    id: str
    input: str
    """What the input is, for the table in docs/robustness.md."""
    make: Callable[[Path, pytest.MonkeyPatch], str]
    """Create the input in a folder (the working directory); return the path to name."""
    answer: str
    """The line hwspec prints about it (stdout for a finding, stderr for a usage error)."""
    exit_code: int


def _file(name: str, content: str | bytes) -> Callable[[Path, pytest.MonkeyPatch], str]:
    def make(folder: Path, _: pytest.MonkeyPatch) -> str:
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        return name

    return make


def _sized(name: str, size: int) -> Callable[[Path, pytest.MonkeyPatch], str]:
    def make(folder: Path, _: pytest.MonkeyPatch) -> str:
        with (folder / name).open("wb") as out:
            out.write(b'[build]\nname = "big"\n')
            out.truncate(size)  # sparse where the file system allows: nothing is written
        return name

    return make


def _symlink(name: str, target: str) -> Callable[[Path, pytest.MonkeyPatch], str]:
    def make(folder: Path, _: pytest.MonkeyPatch) -> str:
        (folder / name).symlink_to(target)
        return name

    return make


def _loop(folder: Path, _: pytest.MonkeyPatch) -> str:
    (folder / "loop.toml").symlink_to("loop2.toml")
    (folder / "loop2.toml").symlink_to("loop.toml")
    return "loop.toml"


def _unreadable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A file the user may not read (chmod 000); simulated, because root reads anything."""
    (folder / "locked.toml").write_text('[build]\nname = "x"\n', encoding="utf-8")
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == "locked.toml":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    return "locked.toml"


def _fifo(folder: Path, _: pytest.MonkeyPatch) -> str:
    os.mkfifo(folder / "pipe.toml")
    return "pipe.toml"


def _directory(folder: Path, _: pytest.MonkeyPatch) -> str:
    (folder / "folder.toml").mkdir()
    return "folder.toml"


BUILD = '[build]\nname = "x"\n'
CASES = [
    Case("empty", "an empty file", _file("empty.toml", ""),
         "empty.toml: SPEC002 error build: the spec is empty; a spec needs at least a [build] "
         "table with a name", EXIT_FINDINGS),
    Case("blank", "only blank lines and spaces", _file("blank.toml", "\n   \n\t\n"),
         "blank.toml: SPEC002 error build: the spec is empty; a spec needs at least a [build] "
         "table with a name", EXIT_FINDINGS),
    Case("comments", "only comments", _file("comments.toml", "# a build, some day\n"),
         "comments.toml: SPEC002 error build: the spec has only comments; a spec needs at least "
         "a [build] table with a name", EXIT_FINDINGS),
    Case("no-build", "tables, but no `[build]`", _file("no-build.toml", "[cpu]\ncount = 2\n"),
         "no-build.toml: SPEC002 error build: the [build] table is missing; every spec needs "
         "one, with a name", EXIT_FINDINGS),
    Case("syntax", "TOML that does not parse", _file("syntax.toml", '[build\nname = "x"\n'),
         "syntax.toml:1:7: SPEC001 error TOML does not parse: Expected ']' at the end of a "
         "table declaration", EXIT_FINDINGS),
    Case("duplicate", "a key given twice", _file("duplicate.toml", BUILD + 'name = "y"\n'),
         "duplicate.toml:3:11: SPEC001 error TOML does not parse: Cannot overwrite a value",
         EXIT_FINDINGS),
    Case("too-large", "a 16 MiB file (only 1 MiB and one byte of it is read)",
         _sized("large.toml", 16 * 1024 * 1024),
         "large.toml: SPEC002 error the spec is 16,777,216 bytes; specs are limited to "
         "1,048,576 bytes (1 MiB)", EXIT_FINDINGS),
    Case("deep-arrays", "arrays nested 40 deep", _file(
        "deep-arrays.toml", BUILD + "x = " + "[" * 40 + "]" * 40 + "\n"),
         "deep-arrays.toml:3:37: SPEC002 error arrays and inline tables are nested more than 32 "
         "levels deep; specs are limited to 32 levels", EXIT_FINDINGS),
    Case("deep-tables", "a table header 40 levels deep", _file(
        "deep-tables.toml", BUILD + "[" + ".".join(["t"] * 40) + "]\n"),
         "deep-tables.toml:3:67: SPEC002 error dotted keys and table headers are nested more "
         "than 32 levels deep; specs are limited to 32 levels", EXIT_FINDINGS),
    Case("long-array", "100,000 `[[memory]]` entries (written inline, 300 kB)", _file(
        "long-array.toml", "memory = [" + "{}," * 100_000 + "]\n" + BUILD),
         "long-array.toml:1:1: SPEC002 error memory: 100,000 entries in one array; an array is "
         "limited to 1,000 entries", EXIT_FINDINGS),
    Case("many-keys", "a table of 5,000 keys", _file(
        "many-keys.toml", BUILD + "[checks.params]\n"
        + "".join(f"p{i} = 1\n" for i in range(5_000))),
         "many-keys.toml:3:1: SPEC002 error checks.params: 5,000 keys in one table; a table is "
         "limited to 1,000 keys", EXIT_FINDINGS),
    Case("int-range", "an integer beyond 64 bits", _file(
        "int-range.toml", BUILD + "budget = 100000000000000000000\n"),
         "int-range.toml:3:1: SPEC001 error build.budget: 100,000,000,000,000,000,000 is out "
         "of range for a TOML integer (64-bit: "
         "-9,223,372,036,854,775,808 to 9,223,372,036,854,775,807)", EXIT_FINDINGS),
    Case("long-int", "an integer of 5,000 digits", _file(
        "long-int.toml", BUILD + "budget = " + "9" * 5_000 + "\n"),
         "long-int.toml:3:10: SPEC001 error TOML does not parse: an integer with more than 4,300 "
         "digits is out of range for a TOML integer (64-bit: -9,223,372,036,854,775,808 to "
         "9,223,372,036,854,775,807)", EXIT_FINDINGS),
    Case("huge-psu", "a 10^30 W power supply", _file(
        "huge-psu.toml", BUILD + "[psu]\ncapacity_w = 1e30\n"),
         "huge-psu.toml:4:1: SPEC002 error psu.capacity_w: expected at most 100,000 W (a "
         "plausible PSU capacity), got 1e+30", EXIT_FINDINGS),
    Case("tiny-speed", "a memory speed of 1e-300 MT/s (positive, but nothing is that slow)",
         _file("tiny-speed.toml", BUILD + "[[memory]]\nspeed_mts = 1e-300\n"),
         "tiny-speed.toml:4:1: SPEC002 error memory[0].speed_mts: expected 10 to 100,000 MT/s "
         "(a plausible module speed), got 1e-300", EXIT_FINDINGS),
    Case("tiny-price", "a price of 5e-324, the smallest float", _file(
        "tiny-price.toml", BUILD + "[cpu]\nprice = 5e-324\n"),
         "tiny-price.toml:4:1: SPEC002 error cpu.price: expected 0.01 to 1,000,000,000,000 (a "
         "plausible price per unit), got 5e-324", EXIT_FINDINGS),
    Case("nan", "a price of NaN", _file("nan.toml", BUILD + "[cpu]\nprice = nan\n"),
         "nan.toml:4:1: SPEC002 error cpu.price: expected a finite number, got nan",
         EXIT_FINDINGS),
    Case("latin-1", "Latin-1 text, not UTF-8", _file(
        "latin-1.toml", '[build]\nname = "caf\xe9"\n'.encode("latin-1")),
         "latin-1.toml:2: SPEC001 error the file is not UTF-8 text (byte 20 is 0xE9); TOML "
         "files must be UTF-8", EXIT_FINDINGS),
    Case("utf-16", "UTF-16 text (as some Windows editors save it)", _file(
        "utf-16.toml", BUILD.encode("utf-16")),
         "utf-16.toml: SPEC001 error the file is UTF-16 text; TOML files must be UTF-8",
         EXIT_FINDINGS),
    Case("binary", "a binary file (a PNG image)", _file(
        "image.toml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),
         "image.toml:3: SPEC001 error the file is binary, not TOML text (a NUL byte at byte 9)",
         EXIT_FINDINGS),
    Case("nul", "a NUL byte in otherwise good TOML", _file(
        "nul.toml", BUILD + "# end\x00\n"),
         "nul.toml:3: SPEC001 error the file is binary, not TOML text (a NUL byte at byte 25)",
         EXIT_FINDINGS),
    Case("unreadable", "a file that may not be read (`chmod 000`)", _unreadable,
         "locked.toml: SPEC001 error the file cannot be read: Permission denied", EXIT_FINDINGS),
    Case("dotted-key", "a dotted key of 20,000 parts (a 40 kB line)", _file(
        "dotted.toml", BUILD + "a." * 20_000 + "b = 1\n"),
         "dotted.toml:3:66: SPEC002 error dotted keys and table headers are nested more than 32 "
         "levels deep; specs are limited to 32 levels", EXIT_FINDINGS),
    Case("fifo", "a named pipe (it would block a plain read forever)", _fifo,
         "pipe.toml: SPEC001 error the path is a named pipe (FIFO), not a regular file",
         EXIT_FINDINGS),
    Case("device", "a symbolic link to `/dev/zero`, which never ends",
         _symlink("zero.toml", "/dev/zero"),
         "zero.toml: SPEC001 error the path is a device, not a regular file", EXIT_FINDINGS),
    Case("missing", "a file that does not exist", lambda _f, _m: "missing.toml",
         "hwspec: missing.toml: no such file or directory", EXIT_USAGE),
    Case("dangling", "a symbolic link to a file that does not exist",
         _symlink("dangling.toml", "nowhere.toml"),
         "hwspec: dangling.toml: is a symbolic link to a file that does not exist", EXIT_USAGE),
    Case("loop", "a loop of symbolic links", _loop,
         "hwspec: loop.toml: is a loop of symbolic links", EXIT_USAGE),
]

LIBRARY_CASES = [
    Case("directory", "a folder", _directory,
         "SPEC001 the path is a directory, not a spec file", EXIT_FINDINGS),
    Case("missing", "a file that does not exist", lambda _f, _m: "missing.toml",
         "SPEC001 the file does not exist", EXIT_FINDINGS),
    Case("dangling", "a symbolic link to a file that does not exist",
         _symlink("dangling.toml", "nowhere.toml"),
         "SPEC001 the file is a symbolic link to a file that does not exist", EXIT_FINDINGS),
    Case("loop", "a loop of symbolic links", _loop,
         "SPEC001 the file is a loop of symbolic links", EXIT_FINDINGS),
    Case("unreadable", "a file that may not be read (`chmod 000`)", _unreadable,
         "SPEC001 the file cannot be read: Permission denied", EXIT_FINDINGS),
]
"""What ``hwspec.validate(path)`` says about paths the command line stops before reading."""


@dataclass(frozen=True)
class Outcome:
    """What one run said: the line about the bad input, the exit code, and the other results."""

    answer: str
    exit_code: int
    results: dict[str, bool]
    """Each checked file's path -> whether it passed, from the same run in JSON."""
    shown: str = ""
    """Everything the run printed, for assertion messages."""


def run_case(case: Case, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Make the bad input beside a good spec and run `hwspec validate BAD good.toml`."""
    monkeypatch.chdir(folder)
    shutil.copy(SPECS / "epyc-dual-fixed.toml", folder / GOOD)
    bad = case.make(folder, monkeypatch)
    text = invoke(["validate", "--no-facts", bad, GOOD])
    as_json = invoke(["validate", "--format", "json", bad, GOOD])
    said = [line for line in text.stdout.splitlines() if line.startswith(f"{bad}:")]
    said += [line for line in text.stderr.splitlines() if line.startswith(f"hwspec: {bad}:")]
    results = {f["path"]: f["ok"] for f in json.loads(as_json.stdout)["files"]}
    assert text.exit_code == as_json.exit_code
    shown = f"exit {text.exit_code}\nstdout:\n{text.stdout}\nstderr:\n{text.stderr}"
    return Outcome(said[0] if said else "", text.exit_code, results, shown)


def run_library_case(case: Case, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Make the bad input and check it with ``hwspec.validate(Path(...))``."""
    monkeypatch.chdir(folder)
    report = hwspec.validate(Path(case.make(folder, monkeypatch)))
    said = [f"{f.rule} {f.message}" for f in report.findings]
    return Outcome(said[0] if said else "", EXIT_OK if report.ok else EXIT_FINDINGS, {},
                   repr(report.findings))


@POSIX
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_answer_and_the_rest_is_still_checked(
        case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bad input gets its pinned line and exit code; the good spec beside it still passes."""
    outcome = run_case(case, tmp_path, monkeypatch)

    assert (case.answer, case.exit_code, True) == (
        outcome.answer, outcome.exit_code, outcome.results.get(GOOD)), outcome.shown


@POSIX
@pytest.mark.parametrize("case", LIBRARY_CASES, ids=[c.id for c in LIBRARY_CASES])
def test_from_python_a_path_that_cannot_be_read_is_a_finding(
        case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``hwspec.validate(path)`` turns an unusable path into a SPEC001 finding, not an exception."""
    outcome = run_library_case(case, tmp_path, monkeypatch)

    assert (case.answer, case.exit_code) == (outcome.answer, outcome.exit_code), outcome.shown


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their permissions; the matrix simulates it")
def test_a_file_without_read_permission_is_a_finding(tmp_path: Path) -> None:
    """A real chmod 000 file is SPEC001 'cannot be read', not an exception."""
    locked = tmp_path / "locked.toml"
    locked.write_text(BUILD, encoding="utf-8")
    locked.chmod(0)
    try:
        report = Checker().check_file(locked)
    finally:
        locked.chmod(0o600)

    assert [("SPEC001", "the file cannot be read: Permission denied")] == [
        (f.rule, f.message) for f in report.findings]


# --- the limits, at their edges ------------------------------------------------------------------


def test_a_file_is_never_read_beyond_the_limit(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 GiB regular file is refused by its size before a byte is read."""
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as out:
        out.truncate(2 * 1024**3)  # sparse: nothing is written
    asked: list[int] = []
    real_read = os.read

    def spy_read(descriptor: int, size: int) -> bytes:
        asked.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(os, "read", spy_read)
    finding = read_spec(huge)
    assert ([], "the spec is 2,147,483,648 bytes; specs are limited to "
            "1,048,576 bytes (1 MiB)") == (asked, getattr(finding, "message", finding))



@POSIX
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_unread() -> None:
    """/dev/zero, which never ends, is not a regular file: refused before a byte is read."""
    finding = read_spec(Path("/dev/zero"))

    assert ("SPEC001", "the path is a device, not a regular file") == (
        getattr(finding, "rule", ""), getattr(finding, "message", ""))


def test_a_spec_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    """MAX_SPEC_BYTES bytes are read and parsed; one byte more is refused."""
    text = BUILD + "#" * (MAX_SPEC_BYTES - len(BUILD) - 1) + "\n"
    spec = tmp_path / "limit.toml"
    spec.write_text(text, encoding="utf-8")
    over = tmp_path / "over.toml"
    over.write_text(text + "\n", encoding="utf-8")

    assert ([], [("SPEC002", "spec-structure")]) == (
        [f.name for f in Checker().check_file(spec).findings],
        [(f.rule, f.name) for f in Checker().check_file(over).findings])


def test_size_is_counted_in_utf8_bytes() -> None:
    """Text given as a string is measured in UTF-8 bytes, as a file would be."""
    text = BUILD + "# " + "\u00e9" * (MAX_SPEC_BYTES // 2) + "\n"

    assert [("SPEC002", "", None, f"the spec is {len(text.encode()):,} bytes; specs are limited "
             "to 1,048,576 bytes (1 MiB)")] == _findings(text)


@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{a = ", "}")],
                         ids=["arrays", "inline-tables"])
def test_nesting_up_to_the_limit_parses(opener: str, closer: str) -> None:
    """Brackets nested exactly MAX_NESTING deep parse (and fail only as an unknown key)."""
    text = "x = " + opener * MAX_NESTING + "1" + closer * MAX_NESTING + "\n" + BUILD

    assert [("SPEC002", "x", 1)] == [(r, p, line) for r, p, line, _ in _findings(text)]


def test_nesting_one_past_the_limit_is_refused_at_the_bracket() -> None:
    """One more bracket is refused before parsing, at its line and column."""
    text = BUILD + "x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n"
    finding = load_text(text).findings[0]

    assert ("SPEC002", "spec-structure", 3, 5 + MAX_NESTING) == (
        finding.rule, finding.name, finding.line, finding.column)


def test_brackets_in_strings_and_comments_are_not_nesting() -> None:
    """Brackets inside strings of every kind and in comments do not count."""
    many = "[" * 100
    text = (f'[build]\nname = "{many}"\ncurrency = \'{many}\'\n# {many}\n'
            f'[workload]\nmodel = """\n{many}\n"""\nprecision = \'\'\'{many}\'\'\'\n')

    assert [] == [f for f in _findings(text) if f[0] == "SPEC002" and "nested" in f[3]]


def test_table_headers_nested_past_the_limit_blame_the_deepest_table() -> None:
    """Nesting by headers (no brackets to count) is found after parsing, with its key path."""
    text = BUILD + "[" + ".".join(["t"] * (MAX_NESTING + 1)) + "]\n"

    assert [("SPEC002", ".".join(["t"] * (MAX_NESTING + 1)), None,
             "tables and arrays are nested more than 32 levels deep; specs are limited to 32 "
             "levels")] == _findings(text)


def test_arrays_up_to_the_limit_are_structured() -> None:
    """MAX_ITEMS entries are fine; one more is refused, naming the key path and the count."""
    at_limit = "memory = [" + "{}," * MAX_ITEMS + "]\n" + BUILD
    over = "memory = [" + "{}," * (MAX_ITEMS + 1) + "]\n" + BUILD

    assert ([], [("SPEC002", "memory", 1, "1,001 entries in one array; an array is limited to "
                  "1,000 entries")]) == (_findings(at_limit), _findings(over))


def test_tables_up_to_the_limit_are_structured() -> None:
    """A table of MAX_ITEMS keys loads; one more key is refused before structuring."""
    def params(n: int) -> str:
        return BUILD + "[checks.params]\n" + "".join(f"p{i} = 1\n" for i in range(n))

    assert ([], [("SPEC002", "checks.params", 3, "1,001 keys in one table; a table is "
                         "limited to 1,000 keys")]) == (
        _findings(params(MAX_ITEMS)), _findings(params(MAX_ITEMS + 1)))


def test_the_top_level_is_a_table_too() -> None:
    """Too many top-level keys are refused as such (there is no key path to name)."""
    text = "".join(f"k{i} = 1\n" for i in range(MAX_ITEMS + 1))

    assert [("SPEC002", "", None, "1,001 keys at the top level; a table is limited to 1,000 "
             "keys")] == _findings(text)


@pytest.mark.parametrize(("value", "ok"), [(2**63 - 1, True), (-(2**63), True), (2**63, False),
                                           (-(2**63) - 1, False)],
                         ids=["max", "min", "max+1", "min-1"])
def test_integers_are_64_bit(value: int, ok: bool) -> None:
    """TOML's 64-bit range is accepted (then judged by the field); one beyond is SPEC001."""
    rules = {f[0] for f in _findings(f"{BUILD}[checks.params]\np = {value}\n")}

    assert ok == ("SPEC001" not in rules)


def test_a_deep_parse_that_still_recurses_too_far_is_a_finding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the parser recurse out of stack anyway, that is a nesting finding, not a crash."""
    def recurse(_: str) -> dict[str, Any]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(tomli, "loads", recurse)

    assert [("SPEC002", "", None, "arrays and inline tables are nested more than 32 levels deep; "
             "specs are limited to 32 levels")] == _findings(BUILD)


def test_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 byte order mark (as Windows editors write) is allowed."""
    spec = tmp_path / "bom.toml"
    spec.write_bytes(b"\xef\xbb\xbf" + BUILD.encode())

    assert [] == list(Checker().check_file(spec).findings)


def test_parse_toml_raises_only_toml_decode_error() -> None:
    """The parser for other TOML files refuses deep nesting and long integers as parse errors."""
    for text in ("x = " + "[" * 5_000, "x = " + "9" * 5_000):
        with pytest.raises(TomlLimitError) as caught:
            parse_toml(text)
        assert isinstance(caught.value, tomllib.TOMLDecodeError)


def test_a_key_that_is_not_bare_is_blamed_when_another_key_is_wrong_too() -> None:
    """With unknown keys '' and 'x', the path names 'x', which a person can find."""
    assert [("SPEC002", "x", 2, "unknown keys '', 'x'")] == [
        (r, p, line, m.split(";")[0]) for r, p, line, m in _findings('"" = 1\nx = 1\n' + BUILD)]


def test_a_key_that_is_not_bare_is_quoted_in_the_path() -> None:
    """Keys that are not bare TOML keys are quoted in paths, so a path names one key."""
    assert ['""', '"a.b"'] == [_findings(text)[0][1]
                               for text in ('"" = 1\n' + BUILD, '"a.b" = 1\n' + BUILD)]


# --- hostile TOML beside the spec: discovery, rule packs, configuration, --param -----------------

DEEP = "x = " + "[" * 3_000 + "]" * 3_000 + "\n"


def test_a_deep_toml_file_in_a_folder_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A deeply nested TOML file in a searched folder is a finding about that file."""
    (tmp_path / "deep.toml").write_text(DEEP, encoding="utf-8")
    result = invoke(["validate", "--no-facts", str(tmp_path)],
                                catch_exceptions=False)

    assert EXIT_FINDINGS == result.exit_code
    assert result.stdout.startswith(f"{tmp_path / 'deep.toml'}:1:")


def test_a_deep_rule_pack_is_a_usage_error_not_a_crash(tmp_path: Path) -> None:
    """A deeply nested rule pack is refused with exit 2."""
    (tmp_path / "pack.toml").write_text(DEEP, encoding="utf-8")
    result = invoke(["validate", "--rules", str(tmp_path / "pack.toml"),
                                      str(SPECS / "am5.toml")], catch_exceptions=False)

    assert EXIT_USAGE == result.exit_code


def test_a_deep_configuration_file_is_a_usage_error_not_a_crash(tmp_path: Path) -> None:
    """A deeply nested hwspec.toml is refused with exit 2."""
    shutil.copy(SPECS / "am5.toml", tmp_path / "am5.toml")
    (tmp_path / "hwspec.toml").write_text(DEEP, encoding="utf-8")
    result = invoke(["validate", str(tmp_path / "am5.toml")],
                                catch_exceptions=False)

    assert EXIT_USAGE == result.exit_code


def test_a_deep_param_value_is_a_usage_error_not_a_crash() -> None:
    """--param with a deeply nested value is refused with exit 2."""
    result = invoke(["validate", "--param", "psu_max_load=" + "[" * 3_000,
                                      str(SPECS / "am5.toml")], catch_exceptions=False)

    assert EXIT_USAGE == result.exit_code


def test_a_huge_file_in_a_folder_is_not_read_whole(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Searching a folder reads no more of a 2 GiB TOML file than checking it does."""
    with (tmp_path / "huge.toml").open("wb") as out:
        out.truncate(2 * 1024**3)  # sparse: nothing is written

    def whole(self: Path) -> bytes:
        raise AssertionError(f"{self.name} was read whole")

    monkeypatch.setattr(pathlib.Path, "read_bytes", whole)
    result = invoke(["validate", "--no-facts", str(tmp_path)],
                                catch_exceptions=False)

    assert "SPEC002 error the spec is 2,147,483,648 bytes" in result.stdout


# --- the atheris harness runs without atheris ----------------------------------------------------


def _harness(name: str = "fuzz_loader") -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "fuzz" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("data", [
    b"",
    (SPECS / "epyc-dual.toml").read_bytes(),
    b"\xef\xbb\xbf" + BUILD.encode(),
    b"x = " + b"[" * 5_000,
    b"x = " + b"9" * 5_000,
    b"\xff\xfe[\x00",
    b"\x89PNG\r\n\x1a\n\x00",
    bytes(range(256)),
], ids=["empty", "seed", "bom", "deep", "long-int", "utf-16", "png", "all-bytes"])
def test_fuzz_harness_runs_without_atheris(data: bytes) -> None:
    """fuzz/fuzz_loader.py's TestOneInput runs on plain bytes, with atheris not installed."""
    _harness().TestOneInput(data)


REGRESSIONS = ROOT / "fuzz" / "regressions"
HARNESS_OF = {"spec": "fuzz_loader", "expr": "fuzz_expr", "pack": "fuzz_pack", "gguf": "fuzz_gguf",
              "prices": "fuzz_prices", "owned": "fuzz_owned", "config": "fuzz_config",
              "catalog": "fuzz_catalog"}
REGRESSION_INPUTS = sorted(p for p in REGRESSIONS.glob("*/*") if p.is_file())


@pytest.mark.parametrize("path", REGRESSION_INPUTS,
                         ids=[f"{p.parent.name}/{p.name}" for p in REGRESSION_INPUTS])
def test_every_kept_fuzz_input_keeps_the_laws(path: Path) -> None:
    """Each input kept in fuzz/regressions (the built-in rules as seeds, and every input that
    found a bug: letter-like symbols in a check, huge template widths, spoofing aliases, a
    20,000-part dotted key) passes its harness's laws, without atheris."""
    _harness(HARNESS_OF[path.parent.name]).TestOneInput(path.read_bytes())


def test_gguf_harness_fails_on_an_import_no_spec_accepts(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The GGUF harness raises when an import gives fields a [workload.arch] refuses, so a
    fuzzer would report it."""
    from hwspec.tools import gguf as reader
    from hwspec.tools.hf_config import ImportedArch

    harness = _harness("fuzz_gguf")
    monkeypatch.setattr(reader, "import_gguf",
                        lambda *_, **__: ImportedArch({"layers": -3}, {}))
    with pytest.raises(harness.LawError, match="an arch no spec accepts"):
        harness.TestOneInput(b"GGUF")


def test_fuzz_harness_fails_on_a_broken_law() -> None:
    """The harness raises when a finding breaks the one-shape law, so a fuzzer would report it."""
    harness = _harness()
    bad = Finding("SPEC002", "error", "x", line=0)

    with pytest.raises(harness.LawError, match="position below 1"):
        harness.check_finding(bad)


def test_a_finding_cannot_carry_a_severity_that_does_not_exist() -> None:
    """The severity is an enum: a word outside it is refused when the finding is made."""
    with pytest.raises(ValueError, match="'fatal' is not a valid Severity"):
        Finding("SPEC002", "fatal", "x")


# --- determinism ---------------------------------------------------------------------------------


def _variants(count: int) -> Iterator[tuple[str, str]]:
    """``count`` spec files made from the seed specs: renamed, resized, some broken."""
    rng = random.Random(20240601)
    bases = sorted(SPECS.glob("*.toml"))
    for index in range(count):
        data = tomllib.loads(bases[index % len(bases)].read_text(encoding="utf-8"))
        data["build"]["name"] = f"variant {index}"
        for memory in data.get("memory", []):
            memory["count"] = rng.choice([1, 2, 4, 8, 12, 16, 24])
        if "psu" in data:
            data["psu"]["capacity_w"] = rng.choice([650, 850, 1200, 1600, 2000])
        text = tomli_w.dumps(data)
        if index % 10 == 7:
            text = text.replace("]", "", 1)  # does not parse
        elif index % 10 == 3:
            text += "surprise = 1\n"  # an unknown key
        yield f"spec-{index:03}.toml", text


def _write_folder(folder: Path, files: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")


def _hwspec(cwd: Path, *args: str) -> bytes:
    command = [sys.executable, "-c", "from hwspec.cli import main; main()", *args]
    env = {**os.environ, "GITHUB_ACTIONS": "", "PYTHONHASHSEED": "random"}
    done = subprocess.run(command, cwd=cwd, capture_output=True, env=env, check=False)
    assert done.returncode in (EXIT_OK, EXIT_FINDINGS), done.stderr.decode()
    return done.stdout


@pytest.fixture(scope="module")
def many_specs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same 80 specs in two places, written in opposite orders (so listed differently)."""
    files = list(_variants(80))
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    _write_folder(first / "specs", files)
    _write_folder(second / "specs", files[::-1])
    return first, second


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_output_is_byte_identical_across_runs_orders_and_jobs(
        output_format: str, many_specs: tuple[Path, Path]) -> None:
    """Same specs, same bytes out: run twice, from a folder listed in another order, with -j 2."""
    first, second = many_specs
    args = ("validate", "--format", output_format, "specs")
    once = _hwspec(first, *args, "-j", "1")

    assert [once] * 3 == [_hwspec(first, *args, "-j", "1"), _hwspec(second, *args, "-j", "1"),
                          _hwspec(first, *args, "-j", "2")]


def test_folder_order_is_sorted_whatever_the_command_line_order(
        many_specs: tuple[Path, Path]) -> None:
    """Files found in a folder are checked in sorted order, as documented."""
    first, _ = many_specs
    document = json.loads(_hwspec(first, "validate", "--format", "json", "--no-facts", "specs"))
    paths = [f["path"] for f in document["files"]]

    assert sorted(paths) == paths


# --- every other input: packs, catalogs, configuration, model files, output ---------------------

PACK_RULE = """\
[[rule]]
id = "{id}"
name = "team-rule"
severity = "warning"
summary = "A team rule."
check = "{check}"
message = "{message}"
{extra}
[[rule.example]]
verdict = "fail"
spec = "[build]\\nname = \\"f\\"\\n[cpu]\\ncount = 2\\n"
[[rule.example]]
verdict = "pass"
spec = "[build]\\nname = \\"p\\"\\n"
"""


def _pack_rule(extra: str = "", *, rule_id: str = "TEAM001", check: str = "cpu.count > 1",
               message: str = "two CPUs") -> str:
    return PACK_RULE.format(id=rule_id, check=check, message=message, extra=extra)


@dataclass(frozen=True)
class InputCase:
    """A hostile input of another kind: how to make it and run hwspec on it, the line hwspec
    prints about it, and the exit code."""

    id: str
    input: str
    run: Run
    """How to make the input in a folder (the working directory, which holds good.toml), and
    the command line's arguments."""
    answer: str
    exit_code: int = EXIT_USAGE


@dataclass(frozen=True)
class Run:
    """Steps that make hostile files in a folder, and the arguments that name them."""

    steps: tuple[Callable[[Path], None], ...]
    args: list[str]

    def make(self, folder: Path) -> list[str]:
        for step in self.steps:
            step(folder)
        return self.args


def _write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    return make


def _then(*steps: Callable[[Path], None], args: list[str]) -> Run:
    return Run(steps, args)


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(target)

    return make


def _pipe(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def _extend_chain(length: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "hwspec.toml").write_text('extend = "c0.toml"\n', encoding="utf-8")
        for i in range(length):
            (folder / f"c{i}.toml").write_text(f'extend = "c{i + 1}.toml"\n', encoding="utf-8")
        (folder / f"c{length}.toml").write_text("", encoding="utf-8")

    return make


def _gguf_text(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def _gguf(*, tensors: int = 0, strings: int = 0, numbers: int = 0, written: int = 0) -> bytes:
    """A GGUF file's bytes, written directly (faster than the gguf package's writer for these
    sizes): a llama architecture with two layers, a header claiming ``tensors`` tensors of which
    ``written`` are in the table, and a vocabulary array of ``strings`` one-letter strings (of
    which only ten are written) or of ``numbers`` 32-bit integers (all written)."""
    keys = [_gguf_text("general.architecture") + struct.pack("<I", 8) + _gguf_text("llama"),
            _gguf_text("llama.block_count") + struct.pack("<II", 4, 2)]
    if strings:
        keys.append(_gguf_text("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, strings)
                    + (struct.pack("<Q", 1) + b"a") * 10)
    if numbers:
        keys.append(_gguf_text("tokenizer.ggml.token_type") + struct.pack("<IIQ", 9, 4, numbers)
                    + bytes(4 * numbers))
    table = b"".join(_gguf_text(f"blk.{i}.attn_q.weight") + struct.pack("<IQQIQ", 2, 64, 64, 0, 0)
                     for i in range(written))
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, len(keys)) + b"".join(keys) + table


TWO_MIB = "#" * (2 * 1024 * 1024) + "\n"
VALIDATE = ["validate", "--no-facts"]
INPUT_CASES = [
    InputCase("pack-device", "a rule pack that is `/dev/zero`",
              _then(args=[*VALIDATE, "--rules", "/dev/zero", GOOD]),
              "hwspec: /dev/zero: cannot read the pack: the path is a device, not a regular file"),
    InputCase("pack-fifo", "a rule pack that is a named pipe",
              _then(_pipe("pipe.toml"), args=[*VALIDATE, "--rules", "pipe.toml", GOOD]),
              "hwspec: pipe.toml: cannot read the pack: the path is a named pipe (FIFO), not a "
              "regular file"),
    InputCase("pack-folder-link", "a link to `/dev/zero` in a folder of packs",
              _then(_link("packs/zero.toml", "/dev/zero"), args=[*VALIDATE, "--rules", "packs",
                                                                  GOOD]),
              "hwspec: packs/zero.toml: cannot read the pack: the path is a device, not a "
              "regular file"),
    InputCase("pack-large", "a 2 MiB rule pack",
              _then(_write("big.toml", TWO_MIB), args=[*VALIDATE, "--rules", "big.toml", GOOD]),
              "hwspec: big.toml: cannot read the pack: the file is 2,097,153 bytes; hwspec reads "
              "at most 1,048,576 bytes (1 MiB) of it"),
    InputCase("pack-dotted", "a rule pack with a dotted key of 20,000 parts",
              _then(_write("deep.toml", "a." * 20_000 + "b = 1\n"),
                    args=[*VALIDATE, "--rules", "deep.toml", GOOD]),
              "hwspec: deep.toml: TOML does not parse: dotted keys and table headers are nested "
              "more than 32 levels deep; specs are limited to 32 levels"),
    InputCase("pack-letterlike", "a check with U+212E (a symbol Python reads as a name start)",
              _then(_write("p.toml", _pack_rule(check="cpu.count \u212e 1")),
                    args=["rules", "--rules", "p.toml"]),
              "hwspec: p.toml: TEAM001: check = 'cpu.count \u212e 1': invalid syntax "
              "(column 11)"),
    InputCase("pack-width", "a message field `{cpu.count:>999999999}`",
              _then(_write("p.toml", _pack_rule(message="{cpu.count:>999999999}")),
                    args=[*VALIDATE, "--rules", "p.toml", GOOD]),
              "hwspec: p.toml: TEAM001: template field {cpu.count:>999999999}: width "
              "999,999,999 is more than 64"),
    InputCase("pack-alias-all", "`aliases = [\"ALL\"]`",
              _then(_write("p.toml", _pack_rule('aliases = ["ALL"]')),
                    args=[*VALIDATE, "--rules", "p.toml", GOOD]),
              "hwspec: p.toml: TEAM001: alias 'ALL' is a selector keyword"),
    InputCase("pack-alias-builtin", "`aliases = [\"MEM001\"]` (a built-in rule's id)",
              _then(_write("p.toml", _pack_rule('aliases = ["MEM001"]')),
                    args=[*VALIDATE, "--rules", "p.toml", GOOD]),
              "hwspec: p.toml: TEAM001: 'MEM001' is already the id, name or alias of MEM001 in "
              "memory; rule ids, names and aliases must be unique across packs"),
    InputCase("pack-reserved", "a rule with id `SPEC001`",
              _then(_write("p.toml", _pack_rule(rule_id="SPEC001")),
                    args=[*VALIDATE, "--rules", "p.toml", GOOD]),
              "hwspec: p.toml: rule id 'SPEC001': ids starting SPEC are reserved for hwspec's "
              "own findings about the spec file"),
    InputCase("pack-when-number", "`when = 5`",
              _then(_write("p.toml", _pack_rule("when = 5")),
                    args=[*VALIDATE, "--rules", "p.toml", GOOD]),
              "hwspec: p.toml: TEAM001: when: expected a string, got an integer (5)"),
    InputCase("catalog-fifo", "a catalog file that is a named pipe",
              _then(_pipe("parts.toml"), args=[*VALIDATE, "--catalog", "parts.toml", GOOD]),
              "hwspec: parts.toml: cannot be read: the path is a named pipe (FIFO), not a "
              "regular file"),
    InputCase("catalog-folder-link", "a link to `/dev/zero` in a catalog folder",
              _then(_link("parts/zero.toml", "/dev/zero"),
                    args=[*VALIDATE, "--catalog", "parts", GOOD]),
              "hwspec: parts/zero.toml: cannot be read: the path is a device, not a regular "
              "file"),
    InputCase("catalog-large", "a 2 MiB catalog file",
              _then(_write("parts.toml", TWO_MIB), args=[*VALIDATE, "--catalog", "parts.toml",
                                                         GOOD]),
              "hwspec: parts.toml: cannot be read: the file is 2,097,153 bytes; hwspec reads at "
              "most 1,048,576 bytes (1 MiB) of it"),
    InputCase("catalog-platform", "a `[[platform]]` entry with `channels_per_socket = 0`",
              _then(_write("parts.toml", '[[platform]]\nid = "team-sp5"\nname = "SP5"\n'
                           'socket = "sp5"\nchannels_per_socket = 0\n'
                           'source = "https://intranet.example/sp5"\n'),
                    args=[*VALIDATE, "--catalog", "parts.toml", GOOD]),
              "hwspec: parts.toml: platform 'team-sp5': channels_per_socket: expected a whole "
              "number of at least 1, got 0"),
    InputCase("config-extend-device", "a configuration with `extend = \"/dev/zero\"`",
              _then(_write("hwspec.toml", 'extend = "/dev/zero"\n'), args=[*VALIDATE, GOOD]),
              "hwspec: /dev/zero: cannot be read: the path is a device, not a regular file"),
    InputCase("config-extend-chain", "an `extend` chain of 3,000 files",
              _then(_extend_chain(3000), args=[*VALIDATE, GOOD]),
              "hwspec: {folder}/c31.toml: extend chains more than 32 files (from "
              "{folder}/hwspec.toml); a config extends a few at most"),
    InputCase("config-tool-list", "`[tool] hwspec = []` in pyproject.toml",
              _then(_write("pyproject.toml", "[tool]\nhwspec = []\n"), args=[*VALIDATE, GOOD]),
              "hwspec: {folder}/pyproject.toml [tool.hwspec]: must be a table of settings, got "
              "list []"),
    InputCase("config-pyproject-broken", "a pyproject.toml that does not parse",
              _then(_write("pyproject.toml", "[tool\n"), args=[*VALIDATE, GOOD]),
              "hwspec: {folder}/pyproject.toml: does not parse: Expected ']' at the end of a "
              "table declaration"),
    InputCase("config-pyproject-latin-1", "a pyproject.toml in Latin-1",
              _then(_write("pyproject.toml", '[project]\nname = "caf\xe9"\n'.encode("latin-1")),
                    args=[*VALIDATE, GOOD]),
              "hwspec: {folder}/pyproject.toml: is not UTF-8 text (invalid continuation byte at "
              "byte 22)"),
    InputCase("param-nan", "`--param psu_max_load=nan`",
              _then(args=[*VALIDATE, "--param", "psu_max_load=nan", GOOD]),
              "hwspec: command line: parameter 'psu_max_load' expects a finite number, got nan"),
    InputCase("model-fifo", "`model import` of a named pipe",
              _then(_pipe("config.json"), args=["model", "import", "config.json"]),
              "hwspec: config.json: the path is a named pipe (FIFO), not a regular file"),
    InputCase("model-device", "`model import /dev/zero`",
              _then(args=["model", "import", "/dev/zero"]),
              "hwspec: /dev/zero: the path is a device, not a regular file"),
    InputCase("model-gguf-tensors", "`model import` of a GGUF whose header claims 150,000 tensors",
              _then(_write("many.gguf", _gguf(tensors=150_000)),
                    args=["model", "import", "many.gguf"]),
              "hwspec: many.gguf: the header claims 150,000 tensors and 2 metadata keys; hwspec "
              "reads at most 65,536 and 65,536"),
    InputCase("model-gguf-array", "`model import` of a GGUF with a 2,000,000-string array",
              _then(_write("vocab.gguf", _gguf(strings=2_000_000)),
                    args=["model", "import", "vocab.gguf"]),
              "hwspec: vocab.gguf: the GGUF header could not be read: tokenizer.ggml.tokens is an "
              "array of 2,000,000 elements; hwspec steps over at most 1,000,000 in one file"),
    InputCase("output-link", "`--output LINK --force`, the link pointing at another file",
              _then(_write("victim.txt", "keep\n"), _link("out.txt", "victim.txt"),
                    args=[*VALIDATE, "--output", "out.txt", "--force", GOOD]),
              "hwspec: out.txt is a symbolic link; hwspec never writes through a link, so name "
              "the file itself"),
    InputCase("output-stdout", "`--output /dev/stdout --force`",
              _then(args=[*VALIDATE, "--output", "/dev/stdout", "--force", GOOD]),
              "hwspec: /dev/stdout is a symbolic link; hwspec never writes through a link, so "
              "name the file itself"),
    InputCase("output-input", "`--output good.toml --force good.toml`",
              _then(args=[*VALIDATE, "--output", GOOD, "--force", GOOD]),
              "Error: good.toml is one of the inputs; hwspec never writes over a file it reads"),
    InputCase("output-exit-2", "`--output out.txt` with a missing input beside a good one",
              _then(args=[*VALIDATE, "--output", "out.txt", "missing.toml", GOOD]),
              "hwspec: missing.toml: no such file or directory; hwspec: out.txt: not written, as "
              "some paths could not be used"),
]

MAX_SECONDS, MAX_MIB = 2.0, 200


def run_input_case(case: InputCase, folder: Path,
                   monkeypatch: pytest.MonkeyPatch) -> tuple[str, int, float, float]:
    """Run the case in its folder: the line about the input, the exit code, the seconds taken
    and the peak memory allocated (MiB, by tracemalloc)."""
    import time
    import tracemalloc

    monkeypatch.chdir(folder)
    shutil.copy(SPECS / "epyc-dual-fixed.toml", folder / GOOD)
    args = case.run.make(folder)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = invoke(args, catch_exceptions=False)
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    said = [line for line in result.stderr.splitlines()
            if line.startswith(("hwspec: ", "Error: ")) and "replaces the built-in" not in line]
    answer = "; ".join(said).replace(str(folder.resolve()), "{folder}")
    return answer, result.exit_code, seconds, peak


@POSIX
@pytest.mark.parametrize("case", INPUT_CASES, ids=[c.id for c in INPUT_CASES])
def test_every_input_kind_gets_a_clear_answer_in_bounded_time_and_memory(
        case: InputCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hostile pack, catalog, configuration, model file or output target is refused with
    its pinned line and exit 2, never a traceback or a hang, within 2 s and 200 MB; nothing is
    written where it should not be."""
    answer, exit_code, seconds, peak = run_input_case(case, tmp_path, monkeypatch)

    assert (case.answer, case.exit_code) == (answer, exit_code)
    assert (seconds < MAX_SECONDS, peak < MAX_MIB) == (True, True), (seconds, peak)
    if case.id.startswith("output-"):
        assert (not (tmp_path / "out.txt").exists() or (tmp_path / "out.txt").is_symlink(),
                (tmp_path / GOOD).read_bytes()) == (
            True, (SPECS / "epyc-dual-fixed.toml").read_bytes())


# --- docs/robustness.md --------------------------------------------------------------------------

LIMITS = [
    ("File size", f"{MAX_SPEC_BYTES:,} bytes (1 MiB)",
     "before decoding: a file is never read beyond this and one byte more"),
    ("Nesting of arrays and tables", f"{MAX_NESTING} levels",
     "brackets, by a scan before parsing (so the parser never recurses deeper); table headers "
     "and dotted keys, right after"),
    ("Entries in one array", f"{MAX_ITEMS:,}",
     "after parsing, before anything is built from the array; the finding names the key path "
     "and the count"),
    ("Keys in one table", f"{MAX_ITEMS:,}", "after parsing, likewise"),
    ("Integers", "64-bit, as TOML requires",
     "after parsing; integers of more than 4,300 digits while parsing"),
    ("Encoding", "UTF-8 (a byte order mark is allowed)",
     "before parsing; UTF-16, UTF-32 and binary files (NUL bytes) are named as such"),
    ("Parts of one dotted key or table header", f"{MAX_NESTING + 1}",
     "by the same scan before parsing: the parser's cost grows with the square of a key's parts"),
    ("What is read", "regular files only (a link is followed to one)",
     "before reading: a named pipe, a device (`/dev/zero`) or a socket is refused unread, for "
     "every input kind"),
    ("Rule pack, catalog, configuration, price list and owned-parts files; a model's "
     "config.json", "1 MiB each",
     "as for specs: by the file's size before reading, and never past the limit and one byte"),
    ("`extend` chain of configuration files", f"{MAX_EXTEND} files", "while following it"),
    ("Widths and precisions in message templates", f"{MAX_FORMAT_SIZE}",
     "when the pack loads (`{x:>999999999}` is refused)"),
    ("A finding's message or hint", f"{MAX_MESSAGE_CHARS:,} characters",
     "while it is built: the rest is cut, ending in `…`, and never built (a template that "
     "repeats a long name)"),
    ("Rule evaluations in one spec's check", f"{MAX_EVALUATIONS:,}",
     "before each rule (an `each` rule counts once per entry of its list): the rules left are "
     "not checked, and a SPEC002 finding names the list and how many"),
    ("Findings of one spec's check", f"{MAX_FINDINGS:,}",
     "as they are found: the rest are counted in one finding of the gravest rule left out, at "
     "its severity, so the exit code is unchanged"),
    ("`hwspec plan`: builds examined, checked in full, time", f"{MAX_EXAMINED:,}; "
     f"{MAX_CHECKED:,}; {PLAN_SECONDS:g} s per answer",
     "while searching: builds are made as the search reaches them (never listed up front), "
     "parts that cannot help leave first, and at a limit the answer is the best found so far, "
     "with `Plan.search` saying which limit stopped it"),
    ("GGUF tensors and metadata keys", f"{MAX_TENSORS:,} each",
     "from the header, before any is read"),
    ("GGUF arrays", f"numbers: any length; strings: {MAX_ARRAY_ELEMENTS:,} elements per file",
     "while reading: an array of numbers is skipped in one step, strings are stepped over, and "
     "no array is kept"),
]

INTRO = """\
# Robustness: what hwspec does with bad input

<!-- Generated by tests/test_robustness.py from the cases it runs; do not edit by hand.
     Regenerate with: HWSPEC_REGENERATE_DOCS=1 pytest tests/test_robustness.py -->

A spec file may come from anyone: a pull request, a download, a typo. Whatever its bytes,
`hwspec validate` answers with a finding about that file (exit 1) or, for a path it cannot use at
all, a usage error on standard error (exit 2) — never a traceback, never code run from the spec,
and never a change to the file. Every other file named in the same run is still checked and
reported.

## Limits

Each limit is checked before the work it bounds, and refused with a finding that names it.

{limits}

Numbers must also be plausible for their field (a power supply of at most 100,000 W, and so on);
see [spec-format.md](spec-format.md).

Rule packs are data too: their expressions are parsed, never evaluated by Python, against an
allow-list of syntax, with limits on length, nesting, operators and the size of numbers, so an
expression is refused when the pack loads and evaluation time is bounded by the expression's
size ([rule-packs.md](rule-packs.md)).

## Bad input, and what hwspec answers

Each row is a run of `hwspec validate --no-facts BAD good.toml` on the input; `good.toml` is still
checked and passes in every one of them.

"""

INPUT_INTRO = """
## Rule packs, catalogs, configuration, model files and output

Packs, catalogs and configuration come from other people too, and `--output` may name a path a
repository planted. Each row is a run in a folder holding `good.toml` and the hostile input; every
one exits 2 with the line shown, in under {seconds:g} s and {mib} MB (measured by the test that
pins the row), and writes nothing: no output file, no change to an input.

"""

LIBRARY_INTRO = """
## From Python

The command line stops at a path it cannot use before reading anything (the usage errors above).
`hwspec.validate(path)` and `Checker.check_file(path)` return a report with a SPEC001 finding
instead, never an exception:

"""

FUZZING = """
## How this is tested

- `tests/test_robustness.py` runs every case above and fails if this page differs from what
  hwspec answers today.
- `tests/properties/test_fuzz_loader.py` feeds hwspec generated input with Hypothesis: arbitrary
  TOML documents, valid specs with one field mutated, random bytes and random text (over 2,000
  inputs per CI run). It pins that checking never raises, that every finding has one shape, that
  a spec that does not load has only SPEC001/SPEC002 errors, and that a mutation which breaks a
  spec is blamed on the key it changed.
- `fuzz/` holds coverage-guided harnesses for [atheris](https://github.com/google/atheris), one
  per input kind: specs, rule packs, expressions, GGUF files, price lists, files of owned parts,
  configuration files and team catalogs, run by hand ([fuzz/README.md](../fuzz/README.md)); the
  seeds and the inputs that found bugs or sit at a limit are kept in `fuzz/regressions/`, and
  the suite runs each through its harness.
- The work hostile input can cause is bounded too: a team catalog of 130 boards, 130 CPUs and
  130 memory modules (4.4 million builds), `plan --gpus any --max-gpus 16` with a target no
  build reaches, 100 `each` rules on 1,000 entries, a message that repeats a 5,000-character
  name 20,000 times, and a GGUF file with a 2,000,000-element array each finish or stop at a
  limit in under 2 s and 200 MB; the GPU search and a GGUF table of 65,536 tensors, in a few
  seconds (the tests at the end of `tests/test_robustness.py` pin each).
- `tests/tools/test_write.py` checks that output files are written atomically (`--output`, `--force`),
  never through a symbolic link or over an input, without a set-user-id bit, and that a write
  cut short by SIGINT, SIGTERM or SIGHUP leaves no temporary file; and that `hwspec validate`
  leaves the specs it reads untouched.
- `tests/output/test_escaping.py` puts arbitrary text (newlines, escape sequences, CI commands,
  bytes that are not UTF-8) in a build's name, a spec's file name, a price list's source, a rule
  pack's text and a catalog's names, and requires every command to print exactly the lines it
  prints for a plain word there, each control character visibly escaped
  ([output-formats.md](output-formats.md#text-from-inputs-control-characters-ci-commands-names-that-are-not-utf-8)).
"""


def _cell(text: str) -> str:
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(outcomes: list[tuple[Case, Outcome]], library: list[tuple[Case, Outcome]],
           inputs: list[tuple[InputCase, tuple[str, int]]]) -> str:
    """The page: limits, then one row per case with what hwspec printed and its exit code."""
    rows = ["| Input | hwspec answers | Exit |", "|---|---|---|"]
    rows += [f"| {c.input} | {_cell(o.answer)} | {o.exit_code} |" for c, o in outcomes]
    library_rows = ["| Path | Finding |", "|---|---|"]
    library_rows += [f"| {c.input} | {_cell(o.answer)} |" for c, o in library]
    limits = ["| Limit | Value | Checked |", "|---|---|---|"]
    limits += [f"| {name} | {value} | {when} |" for name, value, when in LIMITS]
    intro = INTRO.replace("{limits}", "\n".join(limits))
    input_rows = ["| Input | Command | hwspec answers | Exit |", "|---|---|---|---|"]
    input_rows += [f"| {c.input} | {_cell(' '.join(['hwspec', *c.run.args]))}"
                   f" | {_cell(answer)} | {code} |" for c, (answer, code) in inputs]
    input_intro = INPUT_INTRO.format(seconds=MAX_SECONDS, mib=MAX_MIB)
    return (intro + "\n".join(rows) + "\n" + input_intro + "\n".join(input_rows) + "\n"
            + LIBRARY_INTRO + "\n".join(library_rows) + "\n" + FUZZING)


@POSIX
def test_robustness_page_is_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/robustness.md is what the cases print today (regenerate: HWSPEC_REGENERATE_DOCS=1)."""
    outcomes, library = [], []
    for case in CASES:
        with monkeypatch.context() as patch:
            folder = tmp_path / f"cli-{case.id}"
            folder.mkdir()
            outcomes.append((case, run_case(case, folder, patch)))
    for case in LIBRARY_CASES:
        with monkeypatch.context() as patch:
            folder = tmp_path / f"library-{case.id}"
            folder.mkdir()
            library.append((case, run_library_case(case, folder, patch)))
    inputs = []
    for input_case in INPUT_CASES:
        with monkeypatch.context() as patch:
            folder = tmp_path / f"input-{input_case.id}"
            folder.mkdir()
            answer, code, _, _ = run_input_case(input_case, folder, patch)
            inputs.append((input_case, (answer, code)))
    page = render(outcomes, library, inputs)
    if os.environ.get(REGENERATE):
        DOC.write_text(page, encoding="utf-8")
        pytest.skip(f"regenerated {DOC.name}; run again without {REGENERATE} to check it")

    assert page == DOC.read_text(encoding="utf-8"), (
        f"{DOC.relative_to(ROOT)} is stale: run `{REGENERATE}=1 pytest tests/test_robustness.py`")


# --- rule packs: the expression scanner always advances ------------------------------------------

PACK = '''[[rule]]
id = "TRY001"
name = "try-it"
severity = "error"
summary = "s"
check = "cpu.count > 1 and CHAR"
message = "m"
[[rule.example]]
verdict = "fail"
spec = "[build]\\nname = 'x'\\n"
[[rule.example]]
verdict = "pass"
spec = "[build]\\nname = 'x'\\n"
'''


@pytest.mark.parametrize("char", ["\u212e", "\u2118"], ids=["U+212E", "U+2118"])
def test_an_identifier_start_that_is_not_a_letter_is_refused_not_a_hang(
        char: str, tmp_path: Path) -> None:
    """U+212E and U+2118 start identifiers without being letters: the pack is refused, quickly."""
    pack = tmp_path / "p.toml"
    pack.write_text(PACK.replace("CHAR", char), encoding="utf-8")
    result = invoke(["rules", "--rules", str(pack)], catch_exceptions=False)

    assert (EXIT_USAGE, f"unknown name '{char}'") == (
        result.exit_code, result.stderr.split(": ")[-1].split(" (")[0])


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_param_that_is_not_finite_is_a_usage_error(value: str) -> None:
    """--param refuses nan and infinities, as a spec's [checks] params does."""
    result = invoke(["validate", "--param", f"psu_max_load={value}",
                                      str(SPECS / "am5.toml")], catch_exceptions=False)

    assert (EXIT_USAGE, "expects a finite number") == (
        result.exit_code, "expects a finite number" if "finite" in result.stderr else
        result.stderr)


def test_a_config_param_that_is_not_finite_is_a_usage_error(tmp_path: Path) -> None:
    """A config's params refuse nan too."""
    shutil.copy(SPECS / "am5.toml", tmp_path / "am5.toml")
    (tmp_path / "hwspec.toml").write_text("params = { psu_max_load = nan }\n", encoding="utf-8")
    result = invoke(["validate", str(tmp_path / "am5.toml")],
                                catch_exceptions=False)

    assert (EXIT_USAGE, True) == (result.exit_code, "finite number" in result.stderr)


@pytest.mark.parametrize(("spec", "what"), [(">999999999", "width 999,999,999"),
                                            ("9223372036854775807", "width"),
                                            (".100f", "precision 100")],
                         ids=["wide", "huge", "precise"])
def test_a_huge_template_width_is_refused_at_load(spec: str, what: str, tmp_path: Path) -> None:
    """Widths and precisions above 64 are refused when the pack loads, not built per finding."""
    pack = tmp_path / "p.toml"
    pack.write_text(PACK.replace("CHAR", "True").replace('message = "m"',
                                                         f'message = "{{cpu.count:{spec}}}"'),
                    encoding="utf-8")
    result = invoke(["rules", "--rules", str(pack)], catch_exceptions=False)

    assert (EXIT_USAGE, True) == (result.exit_code, what in result.stderr), result.stderr


# --- bounded work: plan's search, a check's evaluations and findings, GGUF tables ---------------


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """What ``run`` returns and the seconds it took."""
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def _peak_mib(run: Callable[[], Any]) -> float:
    """The peak memory ``run`` allocates, in MiB (tracemalloc slows it: time it apart)."""
    import tracemalloc

    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _big_catalog(folder: Path, n: int = 130) -> tuple[Path, Path]:
    """A team catalog of n dual-socket SP5 boards, n CPUs and n 16 GiB RDIMMs (n**3 part sets,
    4.4 million builds at 130), and a price list pricing each and two PSUs."""
    entries, prices = [], {"corsair-hx1000i-2022": 250, "seasonic-prime-tx-1600": 450}
    for i in range(n):
        entries.append(f'[[board]]\nid = "team-board-{i}"\nname = "B{i}"\nsocket = "sp5"\n'
                       'platforms = ["sp5-turin"]\nsockets = 2\ndimm_slots = 24\n'
                       'channels_per_socket = 12\nsource = "https://intranet.example/b"\n')
        entries.append(f'[[cpu]]\nid = "team-cpu-{i}"\nname = "C{i}"\nplatform = "sp5-turin"\n'
                       'socket = "sp5"\ncores = 64\ntdp_w = 300\nmax_sockets = 2\n'
                       'source = "https://intranet.example/c"\n')
        entries.append(f'[[memory]]\nid = "team-mem-{i}"\nname = "M{i}"\ngeneration = "DDR5"\n'
                       'kind = "RDIMM"\necc = true\ncapacity_gib = 16\nspeed_mts = 4800\n'
                       'source = "https://intranet.example/m"\n')
        prices.update({f"team-board-{i}": 1000 + i, f"team-cpu-{i}": 2000 + i,
                       f"team-mem-{i}": 100 + i})
    catalog, price_list = folder / "parts.toml", folder / "prices.toml"
    catalog.write_text("\n".join(entries), encoding="utf-8")
    price_list.write_text(tomli_w.dumps({"currency": "USD", "price": prices}), encoding="utf-8")
    return catalog, price_list


@POSIX
def test_plan_over_a_catalog_of_130_of_each_part_answers_in_bounded_time_and_memory(
        tmp_path: Path) -> None:
    """`hwspec plan` over 130 boards x 130 CPUs x 130 modules (4.4 million builds, none of
    which passes) answers within 2 s and 200 MB: the search stops at its limit."""
    catalog, prices = _big_catalog(tmp_path)
    args = ["plan", "--model", "deepseek-r1", "--min-decode", "8", "--catalog", str(catalog),
            "--prices", str(prices), "--format", "json"]
    result, seconds = _timed(lambda: invoke(args))
    peak = _peak_mib(lambda: invoke(args))

    assert (EXIT_FINDINGS, 4_394_000) == (result.exit_code,
                                          json.loads(result.stdout)["considered"])
    assert (seconds < MAX_SECONDS, peak < MAX_MIB) == (True, True), (seconds, peak)


def test_a_search_stopped_by_its_limit_says_so() -> None:
    """A search that reaches a limit answers with the best found so far and its Search says
    which limit stopped it, how far it went and how many builds it did not reach."""
    from hwspec.search.plan import PriceList, Target, plan, search_document, search_notice

    catalog = hwspec.builtin_catalog()
    prices = PriceList("USD", {part: 100.0 + i for kind in ("board", "cpu", "memory", "psu")
                               for i, part in enumerate(catalog.ids(kind))})
    # 20 checks: the bounds (the expected figure's share of the bound) let the whole search
    # finish in 24.
    answer = plan(Target(model="deepseek-r1", objective="speed", max_checked=20), prices)
    document = search_document(answer)

    assert ({"complete": False, "checked": 20, "stopped_by": "checked"}, True) == (
        {k: document[k] for k in ("complete", "checked", "stopped_by")}, document["left"] > 0)
    assert search_notice(answer) == (
        f"the search stopped at its limit of 20 builds checked in full with "
        f"{document['left']:,} builds not reached: these are the best found so far, and a "
        "faster build may exist (narrow the search: --platform, --budget, fewer priced parts or "
        "GPUs)")


def test_a_cost_search_stopped_by_its_limit_says_how_far_its_costs_reached() -> None:
    """Stopped by a limit, a search cheapest first says every build up to the cost it reached
    was examined, as those left cost more."""
    from hwspec.search.plan import PriceList, Target, plan, search_notice

    catalog = hwspec.builtin_catalog()
    prices = PriceList("USD", {part: 100.0 + i for kind in ("board", "cpu", "memory", "psu")
                               for i, part in enumerate(catalog.ids(kind))})
    answer = plan(Target(model="deepseek-r1", min_decode_tokens_per_s=8, max_checked=5),
                  prices)
    search = answer.search

    assert ((), False, True) == (answer.candidates, search.complete, search.reached is not None)
    assert search_notice(answer) == (
        f"the search stopped at its limit of 5 builds checked in full with {search.left:,} "
        f"builds not reached (every build up to {search.reached:,.0f} USD was examined, and "
        "those left cost more): a dearer build may pass (narrow the search: --platform, "
        "--budget, fewer priced parts or GPUs)")


def test_a_search_that_ends_by_itself_is_complete() -> None:
    """The seed question on a small price list ends before any limit: complete, no notice."""
    from hwspec.search.plan import PriceList, Target, plan, search_notice

    prices = PriceList("USD", {"gigabyte-mz73-lm0": 1200, "amd-epyc-9115": 800,
                               "micron-mtc20f2085s1rc64br": 150, "seasonic-prime-tx-1600": 450})
    answer = plan(Target(model="deepseek-r1", min_decode_tokens_per_s=5), prices)

    assert (True, None, None) == (answer.search.complete, answer.search.stopped_by,
                                  search_notice(answer))


def test_plan_with_every_gpu_and_an_unreachable_target_stops_within_seconds() -> None:
    """`--gpus any --max-gpus 16` with a target no build reaches (1,000 tokens/s) over every
    part of the built-in catalog answers within a few seconds, with no candidate: the bounds
    (GPU and hybrid decode, the PSUs' output) exclude every build, so the search is complete."""
    from hwspec.search.plan import PriceList, Target, plan

    catalog = hwspec.builtin_catalog()
    prices = PriceList("USD", {part: 100.0 + i
                               for kind in ("board", "cpu", "memory", "psu", "gpu")
                               for i, part in enumerate(catalog.ids(kind))})
    target = Target(model="deepseek-r1", min_decode_tokens_per_s=1000, gpus=("any",),
                    max_gpus=16)
    answer, seconds = _timed(lambda: plan(target, prices))

    assert ((), True) == (answer.candidates, answer.search.complete)
    assert seconds < 2 * MAX_SECONDS, seconds


def test_the_search_never_checks_more_builds_than_its_limit() -> None:
    """However many builds the priced parts make, no more than max_checked are checked."""
    from hwspec.search.plan import PriceList, Target, plan

    catalog = hwspec.builtin_catalog()
    prices = PriceList("USD", {part: 100.0 for kind in ("board", "cpu", "memory", "psu")
                               for part in catalog.ids(kind)})
    answer = plan(Target(model="llama-3.1-8b", objective="pareto", max_checked=7), prices)

    assert (7, 7) == (answer.evaluated, answer.search.checked)


EACH_RULE = """\
[[rule]]
id = "{id}"
name = "{name}"
severity = "{severity}"
summary = "Every module is named."
each = "memory"
check = "item.modules < 0"
message = "{message}"
[[rule.example]]
verdict = "fail"
spec = "[build]\\nname = 'f'\\n[[memory]]\\nname = 'm'\\ncount = 1\\n"
[[rule.example]]
verdict = "pass"
spec = "[build]\\nname = 'p'\\n"
"""


def _each_pack(rules: int, message: str = "{item.name}", severity: str = "warning") -> tuple[
        Any, ...]:
    from hwspec.engine.packs import load_pack_text

    text = "\n".join(EACH_RULE.format(id=f"TEAM{i:03d}", name=f"team-{i}", message=message,
                                      severity=severity) for i in range(rules))
    return (load_pack_text(text, "team.toml"),)


def _many_modules(entries: int, name: str = "m") -> str:
    return '[build]\nname = "x"\n' + "".join(
        f'[[memory]]\nname = "{name}{i}"\ncount = 1\n' for i in range(entries))


def test_a_message_repeating_a_long_name_is_cut_with_a_marker() -> None:
    """A template of 20,000 {item.name} fields over a 5,000-character name gives a message of
    MAX_MESSAGE_CHARS characters ending in an ellipsis, not 100 MB."""
    from hwspec.checker import Options

    checker = Checker(Options(packs=_each_pack(1, "{item.name}" * 20_000)))
    spec = _many_modules(3, "N" * 5000)
    report, seconds = _timed(lambda: checker.check_text(spec, path="x.toml"))
    peak = _peak_mib(lambda: checker.check_text(spec, path="x.toml"))
    messages = [f.message for f in report.findings if f.rule == "TEAM000"]

    assert ([MAX_MESSAGE_CHARS] * 3, {"…"}) == ([len(m) for m in messages],
                                                {m[-1] for m in messages})
    assert (seconds < MAX_SECONDS, peak < MAX_MIB) == (True, True), (seconds, peak)


def test_a_check_past_its_evaluations_stops_with_a_finding_that_says_so() -> None:
    """100 each rules on 1,000 entries (100,000 evaluations) stop at MAX_EVALUATIONS: the
    rules left are not checked, and a SPEC002 finding blames the list and names them."""
    from hwspec.checker import Options

    checker = Checker(Options(packs=_each_pack(100)))
    spec = _many_modules(1000)
    report, seconds = _timed(lambda: checker.check_text(spec, path="x.toml"))
    peak = _peak_mib(lambda: checker.check_text(spec, path="x.toml"))
    stopped = [f for f in report.findings if f.rule == "SPEC002"]

    # The count before the stop includes the built-in rules sorted before TEAM017.
    assert [("memory", "the check stopped after N rule evaluations, before TEAM017 (1,000 "
             "entries of memory): a spec's check is limited to 20,000 (each rule once, an each "
             "rule once per entry of its list), so 83 rules were not checked")] == [
        (f.path, re.sub(r"after 19,\d{3} rule", "after N rule", f.message)) for f in stopped]
    assert (seconds < MAX_SECONDS, peak < MAX_MIB) == (True, True), (seconds, peak)


def test_findings_past_the_limit_are_counted_in_one_at_the_gravest_severity() -> None:
    """Three error rules failing on 1,000 entries each keep MAX_FINDINGS findings and one that
    counts the other 2,000 at error severity, so the exit code does not change."""
    from hwspec.checker import Options

    checker = Checker(Options(packs=_each_pack(3, severity="error")))
    report = checker.check_text(_many_modules(1000), path="x.toml")
    closing = [f for f in report.findings if "left out" in f.message]
    kept = [f for f in report.findings if f.rule.startswith("TEAM") and f not in closing]
    left = int(closing[0].message.split()[0].replace(",", "")) if closing else 0

    assert ([("TEAM", "error")], 3000) == (
        [(f.rule[:4], f.severity) for f in closing], len(kept) + left)
    assert (True, "a spec's check keeps at most 1,000 findings") == (
        len(report.findings) <= MAX_FINDINGS + 10, closing[0].message.split(": ")[-1])


def _import_gguf(path: Path) -> Any:
    from hwspec.tools.gguf import import_gguf

    return import_gguf(path)


def test_a_gguf_with_a_2_000_000_number_array_is_read_in_bounded_time(tmp_path: Path) -> None:
    """A metadata array of 2,000,000 integers is skipped in one step: the import answers within
    2 s and 200 MB and gives the architecture."""
    pytest.importorskip("gguf")
    path = tmp_path / "numbers.gguf"
    path.write_bytes(_gguf(numbers=2_000_000))
    imported, seconds = _timed(lambda: _import_gguf(path))
    peak = _peak_mib(lambda: _import_gguf(path))

    assert 2 == imported.fields["layers"]
    assert (seconds < MAX_SECONDS, peak < MAX_MIB) == (True, True), (seconds, peak)


def test_a_gguf_at_the_tensor_limit_is_read_in_bounded_time(tmp_path: Path) -> None:
    """A tensor table of MAX_TENSORS entries is read within a few seconds and every tensor is
    counted."""
    pytest.importorskip("gguf")
    path = tmp_path / "tensors.gguf"
    path.write_bytes(_gguf(tensors=MAX_TENSORS, written=MAX_TENSORS))
    imported, seconds = _timed(lambda: _import_gguf(path))

    assert f"the tensor table: {MAX_TENSORS:,} tensors" in imported.derivations["weight_bytes"]
    assert seconds < 2 * MAX_SECONDS, seconds


def test_the_pareto_front_with_skipped_builds_equals_brute_force() -> None:
    """Skipping builds whose decode bound cannot beat those found loses no build of the Pareto
    front: plan's front equals the front of every build checked in full."""
    from hwspec.search.plan import Target, expected_speed, plan

    target = Target(model="deepseek-r1", context_tokens=16384, objective="pareto")
    front: list[tuple[float, float]] = []
    for cost, speed in sorted(_every_passing_build(target)):
        if not front or speed > front[-1][1]:
            front.append((cost, speed))
    answer = plan(target, _search_prices())

    assert (front, True) == ([(c.cost, expected_speed(c)) for c in answer.candidates],
                             answer.search.complete)


def _search_prices() -> Any:
    """Three boards, three CPUs, two RDIMMs and two PSUs: a slice small enough to check every
    build of it."""
    from hwspec.search.plan import PriceList

    return PriceList("USD", {
        "gigabyte-mz73-lm0": 1200, "supermicro-h13ssl-n": 700, "gigabyte-mz33-cp1": 800,
        "amd-epyc-9115": 800, "amd-epyc-9355p": 3000, "amd-epyc-9654p": 4000,
        "micron-mtc20f2085s1rc64br": 150, "samsung-m321r8ga0eb2-ccp": 300,
        "corsair-hx1000i-2022": 250, "seasonic-prime-tx-1600": 450})


def _every_passing_build(target: Any, *, kinds: bool = False) -> list[Any]:
    """Brute force over ``_search_prices``: (cost, expected decode) of every part set that
    passes, with the cheapest PSU that lets it (plan tries a dearer PSU only when the cheaper
    one fails; the same parts with a dearer PSU are no faster); with ``kinds``, each with what
    makes it a kind of build of its own (its platform, CPU cores and core dies, sockets, memory
    size, rated speed and module kind)."""
    from hwspec.search.plan import DECODE_FIGURE, _Build, _checked, _part_sets, _spec_data

    prices, catalog, checker = _search_prices(), hwspec.builtin_catalog(), Checker()
    passing = []
    for parts in _part_sets(catalog, prices, target):
        for psu_id in ("corsair-hx1000i-2022", "seasonic-prime-tx-1600"):
            psu = catalog.get("psu", psu_id)
            assert psu is not None
            build = _Build(parts, psu, parts.cost + prices.prices[psu_id])
            report, _, reason, _ = _checked(checker, _spec_data(build, target, prices), target)
            if reason is None:
                # The figure the objectives order by: decode to expect at the full context.
                speed = report.facts.get(DECODE_FIGURE[target.basis]) if report.facts else 0
                cpu, memory = parts.cpu.fields, parts.memory.fields
                kind = (cpu.get("platform"), cpu.get("cores"), cpu.get("ccds"), parts.cpus,
                        parts.modules * memory["capacity_gib"], memory.get("speed_mts"),
                        memory.get("kind"))
                passing.append((build.cost, float(speed or 0), kind) if kinds
                               else (build.cost, float(speed or 0)))
                break
    return passing


@pytest.mark.parametrize("sizes", [(1, 1, 1), (3, 1, 2), (2, 4, 3), (5, 5, 5), (1, 7, 1)])
def test_the_search_makes_every_build_once(sizes: tuple[int, int, int]) -> None:
    """Following the steps from the cheapest place reaches every place of the lists' product
    exactly once, so the lazy search neither skips a build nor checks one twice."""
    from hwspec.search.plan import _steps

    made, frontier = [(0, 0, 0)], [(0, 0, 0)]
    while frontier:
        children = [step for place in frontier for step in _steps(place, sizes)]
        made += children
        frontier = children

    every = sizes[0] * sizes[1] * sizes[2]
    assert (every, every) == (len(made), len(set(made)))


def test_the_fastest_builds_in_bound_order_equal_brute_force() -> None:
    """The speed objective, meeting builds fastest decode bound first and stopping once no
    bound left beats the top-th fastest found, answers what checking every build answers."""
    from hwspec.search.plan import Target, expected_speed, plan

    target = Target(model="deepseek-r1", context_tokens=16384, objective="speed", top=3)
    cheapest: dict[tuple[object, ...], tuple[float, float]] = {}
    for cost, speed, kind in _every_passing_build(target, kinds=True):
        # One answer per kind of build (the platform, CPU cores and core dies, sockets,
        # memory size, speed and kind): the cheapest of each.
        if kind not in cheapest or cost < cheapest[kind][1]:
            cheapest[kind] = (-speed, cost)
    fastest = sorted(cheapest.values())
    answer = plan(target, _search_prices())

    assert (fastest[:3], True) == (
        [(-expected_speed(c), c.cost) for c in answer.candidates], answer.search.complete)
