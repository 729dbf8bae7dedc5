"""Laws for hostile input: whatever the text or bytes, checking returns findings and never raises.

Inputs: arbitrary TOML documents (Python data of tables, arrays and scalars, dates and times
included, written with tomli_w), valid specs with one field mutated, random bytes, random text
and text made of TOML's own punctuation. The laws pinned for every one of them:

* totality: ``Checker.check_text`` (and ``check_file``, ``hwspec.validate``, ``hwspec validate``)
  returns a report; nothing is raised;
* one shape: every finding has an id of capital letters and three digits, a severity of error,
  warning or info, a message, and a line and column of at least 1 where it has them;
* a spec that does not load has at least one finding, all of them SPEC001 or SPEC002 errors, and
  fails; a spec that loads has facts and no SPEC001;
* SPEC002 blames a key: its path is not empty, except for two limits on the whole text, which
  give a line instead (too large, and brackets nested too deeply before parsing);
* blamed keys exist: the path of a SPEC00x finding is a key of the document, or a key a table of
  the document lacks (a required key that is missing);
* a mutation that makes a spec invalid is blamed on the key it changed (or a key inside it);
* the command line exits 1 when the report fails and 0 when it passes, and never shows a
  traceback (its exceptions are not caught here, so one would fail the test).

Each test runs a multiple of the profile's ``max_examples`` (``scaled``): the ``ci`` profile's 150
make 2,100 inputs for this module, ``slow`` makes 28,000.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.conftest import invoke
from tests.strategies import spec_data

import hwspec
from hwspec.checker import Checker, Report
from hwspec.findings import Finding, format_path
from hwspec.spec import model as _spec
from hwspec.spec.load import MAX_NESTING, decode_spec, parse_toml

CHECKER = Checker()
LOAD_RULES = {"SPEC001", "SPEC002"}
RULE_ID = re.compile(r"[A-Z]{2,8}[0-9]{3}")
SEVERITIES = {"error", "warning", "info"}


def scaled(factor: int) -> settings:
    """Settings running ``factor`` times the current profile's ``max_examples``."""
    return settings(max_examples=settings.default.max_examples * factor,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the laws ------------------------------------------------------------------------------------


def _nodes(data: Any) -> set[str]:
    """The written path of every table, array and value in parsed TOML data ("" is the root)."""
    out: set[str] = set()
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        out.add(format_path(path))
        if isinstance(value, dict):
            stack.extend(((*path, key), child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
    return out


def _blames_a_key(finding: Finding, nodes: set[str]) -> bool:
    """The finding's path is in the document, or names a bare key missing from one of its tables."""
    if finding.path in nodes:
        return True
    table, _, key = finding.path.rpartition(".")
    return table in nodes and key.isidentifier()


def _whole_text_limit(finding: Finding) -> bool:
    """Too large, or nested too deeply in brackets: refused before the text is parsed."""
    return finding.rule == "SPEC002" and " limited to " in finding.message and (
        finding.message.startswith("the spec is ") or finding.line is not None)


def _empty_key(finding: Finding) -> bool:
    """The key ``""`` is written as an empty path until paths quote keys that are not bare
    (tests/test_robustness.py, test_a_key_that_is_not_bare_is_quoted_in_the_path)."""
    return finding.message.startswith("unknown key ''")


def assert_laws(report: Report, data: dict[str, Any] | None = None) -> None:
    """The laws every report keeps, whatever its input (``data``: the input's parsed TOML)."""
    for f in report.findings:
        assert isinstance(f, Finding), f
        assert RULE_ID.fullmatch(f.rule), f
        assert f.severity in SEVERITIES, f
        assert f.message.strip(), f
        assert f.line is None or f.line >= 1, f
        assert f.column is None or f.column >= 1, f
        if f.rule == "SPEC002":
            assert f.path or _whole_text_limit(f) or _empty_key(f), f
    if report.spec is None:
        assert report.findings, "a spec that does not load must say why"
        assert {f.rule for f in report.findings} <= LOAD_RULES, report.findings
        assert {f.severity for f in report.findings} == {"error"}, report.findings
        assert not report.ok
    else:
        assert report.spec is not None
        assert "SPEC001" not in {f.rule for f in report.findings}, report.findings
    if data is not None:
        nodes = _nodes(data)
        blamed = [f for f in report.findings if f.rule.startswith("SPEC") and f.path]
        assert [f for f in blamed if not _blames_a_key(f, nodes)] == []


def _parsed(text: str) -> dict[str, Any] | None:
    """The text's TOML data, or None when hwspec's parser refuses it."""
    try:
        return parse_toml(text)
    except tomllib.TOMLDecodeError:
        return None


# --- arbitrary TOML documents --------------------------------------------------------------------

SPEC_KEYS = sorted({a.name for cls in vars(_spec).values()
                    if isinstance(cls, type) and attrs.has(cls) for a in attrs.fields(cls)})
"""Every key the spec format knows, so generated documents reach deep into structuring."""

_text = st.text(st.characters(codec="utf-8"), max_size=12)
keys = st.sampled_from(SPEC_KEYS) | _text
offsets = st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    _text,
    st.datetimes(timezones=st.none() | offsets),
    st.dates(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)
documents = st.one_of(
    st.dictionaries(keys, values, max_size=6),
    st.builds(lambda build, rest: {"build": build, **rest},
              st.dictionaries(keys, values, max_size=4), st.dictionaries(keys, values, max_size=4)),
    st.builds(lambda name, rest: {"build": {"name": name}, **rest},
              _text, st.dictionaries(keys, values, max_size=4)),
)


@scaled(3)
@given(documents)
def test_arbitrary_toml_is_total_and_blames_keys_of_the_document(data: dict[str, Any]) -> None:
    """Any TOML document yields a report that keeps every law; nothing is raised."""
    text = tomli_w.dumps(data)

    assert_laws(CHECKER.check_text(text), _parsed(text))


# --- valid specs with one field mutated ----------------------------------------------------------

BLAMED = ("wrong type", "zero", "negative", "nan", "inf", "-inf", "huge integer",
          "long array", "extra key", "deep tables", "deep arrays")
"""Mutations that always make a valid spec invalid, at the key they change."""
UNBLAMED = ("missing", "huge float", "largest integer", "long string", "unicode")
"""Mutations that may leave the spec valid (a missing optional key, a plausible big number)."""


def _walk(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...],
                                                                         Any]]:
    """Every node below the root, with its path."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*path, key), value
        if isinstance(value, dict | list):
            yield from _walk(value, (*path, key))


def _wrong_type(value: Any) -> st.SearchStrategy[Any]:
    """A value of a TOML type the field does not take."""
    others: dict[type, st.SearchStrategy[Any]] = {
        bool: st.booleans(),
        int: st.integers(-(2**63), 2**63 - 1),
        float: st.floats(allow_nan=False),
        str: _text,
        list: st.lists(st.integers(), max_size=3),
        dict: st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
    }
    kind = type(value)
    excluded = {kind} | ({int, float} if kind in (int, float) else set())
    choices = [strategy for t, strategy in others.items() if t not in excluded]
    return st.one_of(*choices, st.dates())


def _deep(kind: str, depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value} if kind == "tables" else [value]
    return value


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value


def _delete(data: Any, path: tuple[str | int, ...]) -> None:
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]


@st.composite
def mutated_specs(draw: st.DrawFn) -> tuple[dict[str, Any], str, tuple[str | int, ...]]:
    """A valid spec with one field changed: (data, the mutation, the key path it changed)."""
    data = draw(spec_data())
    mutation = draw(st.sampled_from(BLAMED + UNBLAMED))
    if mutation == "extra key":
        tables = [((), data)] + [(p, v) for p, v in _walk(data) if isinstance(v, dict)]
        table, value = draw(st.sampled_from(tables))
        path = (*table, "x_" + draw(_text))
        _set(data, path, draw(scalars))
        return data, mutation, path
    nodes = list(_walk(data))
    path, value = draw(st.sampled_from(nodes))
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if mutation == "missing":
        _delete(data, path)
        return data, mutation, path
    if mutation in ("zero", "negative", "nan", "inf", "-inf") and not numeric:
        mutation = "wrong type"
    replacement = {
        "zero": lambda: 0,
        "negative": lambda: -abs(value) if value else -1,
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "-inf": lambda: -math.inf,
        "huge integer": lambda: draw(st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**300])),
        "huge float": lambda: draw(st.sampled_from([1e30, 1e300, 1.7976931348623157e308])),
        "largest integer": lambda: 2**63 - 1,
        "long string": lambda: "x" * draw(st.sampled_from([1_000, 100_000])),
        "long array": lambda: [1] * 1_001,
        "unicode": lambda: draw(st.text(st.characters(codec="utf-8"), min_size=1)),
        "deep tables": lambda: _deep("tables", MAX_NESTING + draw(st.integers(1, 8))),
        "deep arrays": lambda: _deep("arrays", MAX_NESTING + draw(st.integers(1, 8))),
        "wrong type": lambda: draw(_wrong_type(value)),
    }[mutation]()
    _set(data, path, replacement)
    return data, mutation, path


def _blamed_on(report: Report, path: tuple[str | int, ...]) -> bool:
    """Some SPEC00x finding names the key, a key inside it, or (for nesting) its line."""
    where = format_path(path)
    for f in report.findings:
        if not f.rule.startswith("SPEC"):
            continue
        if f.path == where or f.path.startswith((f"{where}.", f"{where}[")):
            return True
        if _whole_text_limit(f) and "nested" in f.message:
            return True
    return False


@scaled(4)
@given(mutated_specs())
@example(({"build": {"name": "x"}, "psu": {"capacity_w": 10**30}}, "huge integer",
          ("psu", "capacity_w")))
@example(({"build": {"name": "x"}, "cpu": {"count": _deep("arrays", 40)}}, "deep arrays",
          ("cpu", "count")))
def test_one_mutation_is_total_and_blamed_on_the_key_it_changed(
        mutated: tuple[dict[str, Any], str, tuple[str | int, ...]]) -> None:
    """A spec with one field mutated keeps every law, and an invalid one is blamed on that key."""
    data, mutation, path = mutated
    report = CHECKER.check_text(tomli_w.dumps(data))

    assert_laws(report, data)
    if mutation in BLAMED:
        assert _blamed_on(report, path), (mutation, format_path(path), report.findings)


# --- random bytes and text -----------------------------------------------------------------------

TOML_PUNCTUATION = st.text(st.sampled_from(list("[]{}=\"'.,#\n\\ \t-+:0123456789abeinfrtu_")),
                           max_size=80)


@scaled(2)
@given(st.binary(max_size=300))
@example(b"\xff\xfe[\x00b\x00")
@example(b"\xef\xbb\xbf[build]\nname = 'x'\n")
@example(b"[build]\nname = '\xe9'\n")
def test_random_bytes_are_a_finding_or_a_report_never_an_exception(raw: bytes) -> None:
    """Bytes that do not decode are one SPEC001 finding; bytes that do keep every law."""
    text = decode_spec(raw)
    if isinstance(text, Finding):
        assert (text.rule, text.severity) == ("SPEC001", "error")
        assert text.message.startswith("the file is ")
        return
    assert_laws(CHECKER.check_text(text), _parsed(text))


@scaled(2)
@given(st.text(max_size=200))
@example("x = " + "[" * 2_000 + "]" * 2_000)
@example("x = " + "{a=" * 500 + "1" + "}" * 500)
@example("x = " + "9" * 5_000)
@example("[" + "a." * 40 + "a]")
@example("x = 99999999999999999999")
@example("")
@example("# only a comment\n")
def test_random_text_is_total(text: str) -> None:
    """Any text at all yields a report that keeps every law."""
    assert_laws(CHECKER.check_text(text), _parsed(text))


@scaled(2)
@given(TOML_PUNCTUATION)
@example('a = """[[[' + "[" * 40 + '"""')
@example("a = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['")
@example("# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n")
def test_text_of_toml_punctuation_is_total(text: str) -> None:
    """Near-TOML text (brackets, quotes, escapes, dots) keeps every law, through the public API."""
    report = hwspec.validate(text + "\n")

    assert_laws(report, _parsed(text + "\n"))


# --- the command line ----------------------------------------------------------------------------

_file_contents = st.one_of(
    mutated_specs().map(lambda m: tomli_w.dumps(m[0]).encode()),
    documents.map(lambda d: tomli_w.dumps(d).encode()),
    st.binary(max_size=200),
)


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file, rewritten for every example."""
    return tmp_path_factory.mktemp("fuzz") / "spec.toml"


@scaled(1)
@given(raw=_file_contents)
def test_cli_exit_code_follows_the_report_and_never_a_traceback(spec_file: Path,
                                                                raw: bytes) -> None:
    """`hwspec validate FILE` exits 0 when the file's report passes and 1 when it fails."""
    spec_file.write_bytes(raw)
    expected = 0 if CHECKER.check_file(spec_file).ok else 1

    result = invoke(["validate", "--no-facts", str(spec_file)],
                                catch_exceptions=False)

    assert (expected, "Traceback" in result.output) == (result.exit_code, False), result.output
