"""Text from an input reaches a terminal, a log, a CI system or a code-scanning page only escaped:
one function per output kind (hwspec.escape), so no input adds a line, carries an escape sequence
or a CI command, renders as Markdown or HTML, or makes a document invalid."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import tomli_w
from click.testing import Result
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from tests.conftest import SPECS, invoke

from hwspec import escape

# --- the strings ----------------------------------------------------------------------------

PIECES = ["\n", "\r\n", "\r", "\t", "\x00", "\x07", "\x1b[2J", "\x1b]0;pwned\x07", "\x7f", "\x85",
          "\x9b31m", "\u2028", "\u2029", "\u202e", "\ufeff", "::error::forged",
          "::stop-commands::t", "##vso[task.complete result=Succeeded;]",
          "##teamcity[buildStatus status='SUCCESS']", "##[error]forged", "##VsO[x]", "##", "#",
          "[", ":",
          "  result     ok: 0 errors, 0 warnings", "result ok", "%0A", "`", "<img src=x>",
          "![a](https://evil.example/a.png)", "@someone", "|", "\\", '"', "'", " "]
"""Pieces of hostile text: line breaks of every kind, escape sequences, CI commands, a forged
verdict, Markdown and HTML."""

HOSTILE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), min_size=1,
                   max_size=6).map("".join)
"""Input text as anyone could write it (no lone surrogates: TOML cannot carry them)."""

FILE_NAMES = st.lists(st.one_of(st.sampled_from(PIECES).map(str.encode), st.binary(max_size=4)),
                      min_size=1, max_size=6).map(
    lambda parts: b"".join(parts).replace(b"/", b"_").replace(b"\0", b"_")[:120])
"""A file name's bytes, UTF-8 or not, as a Linux file system allows them."""

SENTINEL = "QqSentinelQq"
"""What the run that gives the lines hwspec's format produces puts where the input goes."""

CONTROLS_BUT_LINE_FEED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                                    "\u2066-\u2069\ufeff\ud800-\udfff]")
CI_MARKERS = ("##vso[", "##teamcity[", "##[")
"""What Azure Pipelines, TeamCity and GitHub read as a command anywhere in a line (compared in
lower case)."""


# --- one function per output kind -------------------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("a\tb", "a\\tb"), ("\x1b]0;t\x07", "\\x1b]0;t\\x07"),
    ("\x00\x7f", "\\x00\\x7f"), ("\x85\x9b", "\\x85\\x9b"), ("\u2028\u2029", "\\u2028\\u2029"),
    ("\u202e", "\\u202e"), ("bad\udcff", "bad\\xff"), ("\ud800", "\\ud800"),
])
def test_text_writes_control_characters_as_visible_escapes(raw: str, shown: str) -> None:
    """Line breaks, C0 and C1 controls, DEL, separators, bidirectional overrides and the bytes
    of a name that is not UTF-8 show as escapes a reader can see."""
    assert shown == escape.text(raw)


@pytest.mark.parametrize(("raw", "shown"), [
    ("##vso[task.complete]", "\\x23#vso[task.complete]"),
    ("x ##teamcity[buildStatus]", "x \\x23#teamcity[buildStatus]"),
    ("##[error]x", "\\x23#[error]x"),
    ("##VSO[task.complete]", "\\x23#VSO[task.complete]"),
    ("::error::x", "\\x3a:error::x"),
    ("  ::warning::x", "  \\x3a:warning::x"),
])
def test_text_breaks_ci_commands(raw: str, shown: str) -> None:
    """The markers Azure, TeamCity and GitHub read as commands (anywhere in a line, or ``::`` at
    its start) are broken by one visible escape."""
    assert shown == escape.text(raw)


@pytest.mark.parametrize("safe", ["Dual EPYC 9655 for DeepSeek-R1", "a::b", "# 1", "[x]",
                                  "C:\\specs\\a.toml", "café 東京"])
def test_text_leaves_ordinary_text_as_it_is(safe: str) -> None:
    """Text with no control character and no CI marker is printed as written."""
    assert safe == escape.text(safe)


@given(st.text() | HOSTILE)
def test_text_is_one_line_with_no_control_character(value: str) -> None:
    """Whatever the input, its text form has no line break, control character or CI marker."""
    shown = escape.text(value)
    assert (CONTROLS_BUT_LINE_FEED.search(shown), "\n" in shown,
            [m for m in CI_MARKERS if m in shown.lower()], shown.lstrip().startswith("::")) == (
        None, False, [], False)


@given(st.text() | HOSTILE)
def test_json_document_round_trips_and_prints_safely(value: str) -> None:
    """A JSON document reads back exactly as json.dumps wrote it, with no raw control character
    and no CI marker in its text."""
    document = escape.json_document(json.dumps({"name": value}, indent=2, ensure_ascii=False))
    assert (json.loads(document), CONTROLS_BUT_LINE_FEED.search(document),
            [m for m in CI_MARKERS if m in document.lower()], document.count("\n")) == (
        {"name": value}, None, [], 2)


def test_json_document_carries_a_name_that_is_not_utf8_visibly() -> None:
    """A lone surrogate (a file name's byte that is not UTF-8) becomes the visible text
    ``\\xff``, so the document is valid UTF-8."""
    document = escape.json_document(json.dumps(["bad\udcff.toml"], ensure_ascii=False))
    assert json.loads(document.encode("utf-8")) == ["bad\\xff.toml"]


@given(st.text() | HOSTILE)
def test_xml_text_parses_back_as_one_line(value: str) -> None:
    """Any input makes a well-formed XML attribute and text, on one line."""
    element = ET.Element("case", name=escape.xml(value))
    element.text = escape.xml(value)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert (parsed.get("name"), parsed.text or "") == (escape.text(value), escape.text(value))


@pytest.mark.parametrize(("raw", "shown"), [
    ("![x](https://evil.example/t.png)", "\\!\\[x\\](https://evil.example/t.png)"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
    ("@team a\nb", "&#64;team a\\\\nb"),
])
def test_markdown_makes_input_inert(raw: str, shown: str) -> None:
    """Images, HTML, links and mentions show as written and do nothing; a newline shows as
    ``\\n``."""
    assert shown == escape.markdown(raw)


@pytest.mark.parametrize(("raw", "table", "shown"), [
    ("a | b", True, "`a \\| b`"), ("a | b", False, "`a | b`"), ("x`y", False, "``x`y``"),
    ("`x", False, "`` `x ``"), ("<img>\n", False, "`<img>\\n`"),
])
def test_markdown_code_is_one_code_span(raw: str, table: bool, shown: str) -> None:
    """Code is one span, fenced by more backticks than it holds, on one line, its pipes escaped
    only in a table cell."""
    assert shown == escape.markdown_code(raw, table=table)


def test_html_escapes_markup_and_control_characters() -> None:
    """HTML text has its markup as entities and its control characters visible."""
    assert escape.html('<b a="1">\x1b\n') == "&lt;b a=&quot;1&quot;&gt;\\x1b\\n"


def test_github_message_escapes_only_what_the_runner_reads_back() -> None:
    """A workflow command's message keeps hwspec's own line break as ``%0A``."""
    assert escape.github_message("50% of\nhint") == "50%25 of%0Ahint"


def test_uri_keeps_the_bytes_of_a_name_that_is_not_utf8() -> None:
    """A file name's undecodable byte is percent-encoded as itself, so the URI names the file."""
    assert escape.uri("specs/bad\udcff é.toml") == "specs/bad%FF%20%C3%A9.toml"


def test_lines_escapes_each_line_of_multiline_input() -> None:
    """Text meant to span lines keeps its lines, and each is escaped: no line of it can start
    a CI command."""
    assert escape.lines("why\r\n::error::x\n\x1b[2J") == ["why", "\\x3a:error::x", "\\x1b[2J"]


# --- the lines hwspec writes --------------------------------------------------------------------

def _same_lines(shown: str, template: str) -> None:
    """``shown`` (a run with the hostile string) has exactly the lines of ``template`` (the same
    run with SENTINEL in its place): the same count, each line hwspec's own text with the input,
    escaped, where SENTINEL was; no raw control character; no CI command hwspec did not write (``::`` at a line's start, or a
    ``##vso[``, ``##teamcity[`` or ``##[`` anywhere), and a line starting ``result`` only where
    hwspec's line starts so or starts with the input itself (a report's title)."""
    assert CONTROLS_BUT_LINE_FEED.search(shown) is None
    # JUnit's timings differ from run to run, SARIF's fingerprints hash the file's name, and a
    # Markdown code span's fence is one backtick longer than the input's longest run of them,
    # columns are padded to the input's width, and Python's repr (parts show) quotes a string
    # holding a ' with ".
    varying = re.compile(r'time="[0-9.]+"|"[0-9a-f]{32}"|`+')

    def normal(text: str) -> list[str]:
        return re.sub(" {2,}", " ", varying.sub("V", text)).replace('"', "'").split("\n")

    lines, models = normal(shown), normal(template)
    assert len(lines) == len(models), (shown, template)
    for line, model in zip(lines, models, strict=True):
        pattern = "(.*)".join(re.escape(piece) for piece in model.split(SENTINEL))
        assert re.fullmatch(pattern, line), (line, model)
        assert [m for m in CI_MARKERS if m in line.lower()] == [
            m for m in CI_MARKERS if m in model.lower()]
        for start in ("::", "result"):
            if line.lstrip().startswith(start):
                assert model.lstrip().startswith(start) or (
                    start == "result" and model.lstrip().startswith(SENTINEL)), (line, model)


_MODELS: dict[object, list[Result]] = {}


def _run(args: list[str]) -> Result:
    return invoke(args, catch_exceptions=False)


def _both(make: object, hostile: str) -> None:
    """Run the commands ``make(value)`` returns with the hostile string and with SENTINEL, and
    compare their standard output and error line by line."""
    assert callable(make)
    shown = [_run(args) for args in make(hostile)]  # the same files, rewritten between runs
    key = (getattr(make, "__qualname__", ""), tuple(map(tuple, make(SENTINEL))))
    if key not in _MODELS:  # SENTINEL's runs are the same for every example
        _MODELS[key] = [_run(args) for args in make(SENTINEL)]
    models = _MODELS[key]
    for result, model in zip(shown, models, strict=True):
        assert model.exit_code in (0, 1), model.output  # the run works: its input is used
        assert result.exit_code == model.exit_code, (result.output, model.output)
        _same_lines(result.stdout, model.stdout)
        _same_lines(result.stderr, model.stderr)


SPEC = textwrap.dedent("""\
    [cpu]
    part = "amd-epyc-9655"
    count = 2
    price = 49000

    [[memory]]
    part = "samsung-m321r4ga3eb2-ccp"
    count = 24
    price = 2000

    [psu]
    part = "seasonic-vertex-gx-1200"
""")

VALIDATE_FORMATS = ("text", "concise", "github", "json", "sarif", "junit")

PROPERTY = settings(max_examples=max(10, settings.default.max_examples // 10), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
"""Each example runs several commands: a tenth of the profile's examples, at least ten (the unit
properties above take every one)."""


def _spec(folder: Path, name: str, file: str = "spec.toml") -> Path:
    data = {"build": {"name": name, "currency": "USD"}}
    path = folder / file
    path.write_text(tomli_w.dumps(data) + SPEC, encoding="utf-8")
    return path


@PROPERTY
@example(hostile="x\n  result     ok: 0 errors, 0 warnings\n::error::forged")
@given(hostile=HOSTILE)
def test_a_build_name_adds_no_line(tmp_path: Path, hostile: str) -> None:
    """A build's name, whatever it holds, stays inside the lines validate and report write."""
    assume(hostile.strip())

    def runs(name: str) -> list[list[str]]:
        spec = str(_spec(tmp_path, name))
        return [*(["validate", "--format", f, spec] for f in VALIDATE_FORMATS),
                *(["report", "--format", f, spec] for f in ("text", "markdown", "html"))]

    _both(runs, hostile)


@PROPERTY
@example(name=b"bad\xff")
@example(name=b"x\n::error::forged")
@given(name=FILE_NAMES)
def test_a_file_name_adds_no_line(tmp_path: Path, name: bytes) -> None:
    """A spec's file name, UTF-8 or not, stays inside the lines every format writes."""

    def runs(stem: str) -> list[list[str]]:
        spec = str(_spec(tmp_path, "Build", file=f"{stem}.toml"))
        return [*(["validate", "--format", f, spec] for f in VALIDATE_FORMATS),
                *(["report", "--format", f, spec] for f in ("text", "markdown", "json")),
                ["fit", spec], ["diff", spec, spec]]

    _both(runs, os.fsdecode(name))


@PROPERTY
@example(hostile="x\n##vso[task.complete result=Succeeded;]")
@given(hostile=HOSTILE)
def test_a_price_lists_source_adds_no_line(tmp_path: Path, hostile: str) -> None:
    """A price list's source stays inside the lines plan writes."""
    assume(hostile)  # an empty source is no source, which plan leaves out

    def runs(source: str) -> list[list[str]]:
        path = tmp_path / "prices.toml"
        path.write_text(tomli_w.dumps({"currency": "USD", "source": source,
                                       "price": {"amd-epyc-9655": 1000}}), encoding="utf-8")
        return [["plan", "--model", "deepseek-r1", "--prices", str(path), "--format", f]
                for f in ("text", "json")]

    _both(runs, hostile)


EXAMPLE = "[build]\nname = \"x\"\n[cpu]\nname = \"c\"\ncount = {}\n"
PACK_RULE = {"id": "TEAM001", "name": "team-rule", "severity": "warning",
             "check": "cpu.count < 2", "message": "two CPUs", "hint": "Use one CPU.",
             "example": [{"verdict": "fail", "spec": EXAMPLE.format(2)},
                         {"verdict": "pass", "spec": EXAMPLE.format(1)}]}


@PROPERTY
@example(hostile="\n::error::forged <img src=x>")
@given(hostile=HOSTILE)
def test_a_packs_text_adds_no_line(tmp_path: Path, hostile: str) -> None:
    """A rule pack's summary, reference and example description stay inside the lines rules,
    explain, validate and test-rules write."""
    assume(hostile.strip())

    def runs(value: str) -> list[list[str]]:
        path = tmp_path / "pack.toml"
        rule = {**PACK_RULE, "summary": value, "references": [value],
                "example": [{**PACK_RULE["example"][0], "description": value},  # type: ignore[index]
                            PACK_RULE["example"][1]]}  # type: ignore[index]
        path.write_text(tomli_w.dumps({"pack": {"name": "team", "format": 1}, "rule": [rule]}),
                        encoding="utf-8")
        specs = str(SPECS / "epyc-dual.toml")
        return [["rules", "--rules", str(path)], ["rules", "--format", "json", "--rules", str(path)],
                ["explain", "TEAM001", "--rules", str(path)],
                *(["validate", "--format", f, "--rules", str(path), specs]
                  for f in ("text", "sarif", "junit")),
                ["test-rules", str(path)]]

    _both(runs, hostile)


@PROPERTY
@example(hostile="EPYC\n::error::forged\x1b[2J")
@given(hostile=HOSTILE)
def test_a_catalog_name_adds_no_line(tmp_path: Path, hostile: str) -> None:
    """A catalog entry's name, and the name of the catalog file that replaces a built-in entry,
    stay inside the lines parts, report and the notices on standard error write."""
    assume(hostile.strip())

    def runs(value: str) -> list[list[str]]:
        folder = tmp_path / "model"  # the same folder: its files are rewritten between runs
        for old in folder.glob("*") if folder.exists() else ():
            old.unlink()
        folder.mkdir(exist_ok=True)
        entry = {"id": "amd-epyc-9655", "name": value, "platform": "sp5-turin", "socket": "sp5",
                 "cores": 96, "tdp_w": 400, "max_sockets": 2,
                 "source": "https://intranet.example/quotes"}
        stem = value.replace("/", "_").replace("\0", "_")[:100]
        catalog = folder / f"{stem}.toml"
        catalog.write_text(tomli_w.dumps({"cpu": [entry]}), encoding="utf-8")
        spec = str(_spec(folder, "Build"))
        return [["parts", "list", "cpu", "--search", "9655", "--catalog", str(catalog)],
                ["parts", "show", "amd-epyc-9655", "--catalog", str(catalog)],
                ["report", "--catalog", str(catalog), spec],
                ["validate", "--format", "github", "--catalog", str(catalog), spec]]

    _both(runs, hostile)


@PROPERTY
@example(hostile="x\n::error::forged\x85##vso[a]")
@given(hostile=HOSTILE)
def test_a_name_on_the_command_line_adds_no_line(tmp_path: Path, hostile: str) -> None:
    """A name given to init or model import stays inside the TOML they print, and the TOML
    reads back with the name as given."""
    import tomllib

    assume(hostile.strip())
    config = str(Path(__file__).parents[1] / "data" / "hf-configs" / "deepseek-r1-0528.json")

    def runs(name: str) -> list[list[str]]:
        return [["init", "--name", name, "-"], ["model", "import", "--name", name, config]]

    _both(runs, hostile)
    starter = tomllib.loads(_run(["init", "--name", hostile, "-"]).stdout)
    assert starter["build"]["name"] == hostile


def test_a_packs_explanation_starts_no_command(tmp_path: Path) -> None:
    """An explanation keeps its lines in explain, each escaped, so none starts a CI command."""
    path = tmp_path / "p.toml"
    rule = {**PACK_RULE, "summary": "s", "explanation": "why\n::error::forged\n##vso[x]"}
    path.write_text(tomli_w.dumps({"pack": {"name": "team", "format": 1}, "rule": [rule]}))
    shown = _run(["explain", "TEAM001", "--rules", str(path)]).stdout
    assert "    why\n    \\x3a:error::forged\n    \\x23#vso[x]\n" in shown


# --- file names that are not UTF-8 ------------------------------------------------------------

@pytest.fixture
def bad_name(tmp_path: Path) -> str:
    """A spec whose file name holds the byte 0xFF, as Python names it (surrogate-escaped)."""
    path = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xff.toml"))
    Path(path).write_text((SPECS / "epyc-dual.toml").read_text(encoding="utf-8"),
                          encoding="utf-8")
    return path


def _out(args: list[str], tmp_path: Path) -> bytes:
    """The bytes ``--output`` writes for a run of ``args``."""
    out = tmp_path / "out"
    result = _run([*args, "--output", str(out), "--force"])
    assert result.exit_code == 1, result.output
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_a_name_that_is_not_utf8_shows_escaped_in_text(bad_name: str, tmp_path: Path,
                                                       fmt: str) -> None:
    """Text formats name the file with its byte escaped, on standard output and in a file."""
    shown = _run(["validate", "--format", fmt, bad_name]).stdout
    written = _out(["validate", "--format", fmt, bad_name], tmp_path).decode("utf-8")
    assert ("bad\\xff.toml" in shown, shown) == (True, written)


def test_a_name_that_is_not_utf8_is_valid_json(bad_name: str, tmp_path: Path) -> None:
    """The JSON document is valid UTF-8 and carries the name with its byte escaped."""
    document = json.loads(_out(["validate", "--format", "json", bad_name], tmp_path))
    assert document["files"][0]["path"].endswith("bad\\xff.toml")


def test_a_name_that_is_not_utf8_is_a_valid_sarif_uri(bad_name: str, tmp_path: Path) -> None:
    """SARIF is valid UTF-8 JSON and locates the file by its own bytes (``bad%FF.toml``)."""
    log = json.loads(_out(["validate", "--format", "sarif", bad_name], tmp_path))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert [u.endswith("/bad%FF.toml") for u in uris] == [True]


def test_a_name_that_is_not_utf8_is_valid_junit(bad_name: str, tmp_path: Path) -> None:
    """JUnit XML is valid UTF-8 XML and names the suite with the byte escaped."""
    root = ET.fromstring(_out(["validate", "--format", "junit", bad_name], tmp_path))
    assert [s.get("name", "").endswith("bad\\xff.toml") for s in root] == [True]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_a_name_that_is_not_utf8_reports_in_every_format(bad_name: str, tmp_path: Path,
                                                         fmt: str) -> None:
    """The report writes such a file's name escaped in every format, valid UTF-8."""
    written = _out(["report", "--format", fmt, bad_name], tmp_path).decode("utf-8")
    if fmt == "json":
        written = json.loads(written)["path"]
    assert "bad\\xff.toml" in written


@pytest.mark.parametrize("command", [["fit"], ["diff", "SELF"]])
def test_a_name_that_is_not_utf8_fits_and_diffs(bad_name: str, command: list[str]) -> None:
    """fit and diff name such a file escaped."""
    args = [*(bad_name if a == "SELF" else a for a in command), bad_name]
    assert "bad\\xff.toml" in _run(args).stdout


# --- SARIF help.markdown ------------------------------------------------------------------------

def test_sarif_help_markdown_makes_a_packs_text_inert(tmp_path: Path) -> None:
    """A pack's summary, explanation and hint reach code scanning as inert Markdown: no image,
    HTML or link of theirs renders, and a team rule links nowhere."""
    path = tmp_path / "p.toml"
    evil = "![t](https://evil.example/t.png) <img src=x> [go](https://evil.example)"
    rule = {**PACK_RULE, "summary": evil, "explanation": evil, "hint": evil}
    path.write_text(tomli_w.dumps({"pack": {"name": "team", "format": 1}, "rule": [rule]}))
    log = json.loads(_run(["validate", "--format", "sarif", "--rules", str(path),
                           str(SPECS / "epyc-dual.toml")]).stdout)
    (team,) = [r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "TEAM001"]
    markdown = team["help"]["markdown"]
    assert (re.findall(r"(?<!\\)!?(?<!\\)\[[^\]]*(?<!\\)\]\(", markdown), "<img" in markdown,
            "helpUri" in team) == ([], False, False)


def test_builtin_packs_hold_no_markdown_links_images_or_html() -> None:
    """The built-in packs' Markdown is kept in SARIF's help, so it is held to inline code and
    emphasis: no link, image or HTML of its own."""
    from hwspec.engine.packs import builtin_packs

    texts = [t for pack in builtin_packs() for r in pack.rules
             for t in (r.summary, r.explanation, r.hint)]
    assert [t for t in texts if re.search(r"\]\(|<[A-Za-z/!]|!\[", t)] == []


# --- standard error -----------------------------------------------------------------------------

def test_a_path_that_cannot_be_used_is_one_line_on_standard_error(tmp_path: Path) -> None:
    """The usage error about a missing path names it escaped, on one line of its own."""
    missing = str(tmp_path / "x\n::error::forged\x1b[2J.toml")
    result = _run(["validate", missing])
    assert (result.exit_code, result.stderr.splitlines()) == (
        2, [f"hwspec: {tmp_path}/x\\n::error::forged\\x1b[2J.toml: no such file or directory"])


def test_a_refused_pack_is_one_line_on_standard_error(tmp_path: Path) -> None:
    """A pack hwspec refuses is named with its problem on one line, the pack's text escaped."""
    path = tmp_path / "p.toml"
    rule = {**PACK_RULE, "summary": "s", "check": "cpu.count <\n::error::forged"}
    path.write_text(tomli_w.dumps({"pack": {"name": "team", "format": 1}, "rule": [rule]}))
    result = _run(["validate", "--rules", str(path), str(SPECS / "epyc-dual.toml")])
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        f"hwspec: {path}: TEAM001: check = 'cpu.count <\\n::error::forged': invalid syntax "
        "(line 1, column 12)"])



def test_deep_returns_what_holds_nothing_to_escape_as_it_is() -> None:
    """A value whose strings ``escape`` leaves unchanged is returned itself, not a copy."""
    from hwspec.findings import Finding
    from hwspec.output import deep

    value = {"findings": (Finding("MEM001", "error", "too slow", path="memory[0].kind"),),
             "figures": [1, 2.5, True, None, "ok"]}
    assert deep(value, escape.text) is value


@given(st.text(max_size=8))
def test_deep_escapes_every_string_at_any_depth(raw: str) -> None:
    """Each string of a nested value comes back as ``escape`` returns it, in a record, a tuple,
    a list, a dictionary key and a dictionary value alike."""
    from hwspec.engine.evaluate import Outcome
    from hwspec.output import deep

    def mark(value: str) -> str:
        return f"<{value}>"

    value = {raw: [(Outcome(raw, "pass", 3, raw), 3)]}
    expected = {mark(raw): [(Outcome(mark(raw), mark("pass"), 3, mark(raw)), 3)]}
    assert expected == deep(value, mark)


@given(st.dictionaries(st.sampled_from(["build.name", "cpu.name", "memory.modules"]),
                       st.one_of(st.text(max_size=8), st.integers(), st.none(),
                                 st.lists(st.text(max_size=4), max_size=2).map(tuple)),
                       max_size=3))
def test_escaped_facts_read_as_shown_escapes_them(by_name: dict[str, object]) -> None:
    """Each fact read through ``EscapedFacts`` is the value ``shown``'s ``deep`` gives it."""
    from hwspec.output import EscapedFacts, deep

    assert deep(by_name, escape.text) == dict(EscapedFacts(by_name))


@given(st.lists(st.tuples(st.sampled_from(["MEM001", "FIT002"]),
                          st.sampled_from(["pass", "fail", "not-applicable"]),
                          st.one_of(st.none(), st.text(max_size=6))), max_size=4))
def test_not_applicable_escaped_reads_as_from_shown_outcomes(
        rows: list[tuple[str, str, str | None]]) -> None:
    """``not_applicable(escape)`` gives what ``not_applicable()`` gives on outcomes ``shown``
    escaped."""
    from hwspec.checker import Report
    from hwspec.engine.evaluate import Outcome
    from hwspec.output import shown

    report = Report("spec.toml", None, (), outcomes=tuple(
        Outcome(rule, status, missing=missing) for rule, status, missing in rows))
    assert shown(report).not_applicable() == report.not_applicable(escape.text)


@given(st.characters())
def test_every_control_character_is_unprintable(char: str) -> None:
    """A character ``CONTROL`` matches is never printable, so printable text needs no search."""
    assert not (escape.CONTROL.match(char) is not None and char.isprintable())


@given(st.text(max_size=12))
def test_escape_controls_is_the_substitution_it_stands_for(value: str) -> None:
    """``escape_controls`` writes each control character but the line feed as ``visible`` does."""
    from hwspec.output import escape_controls

    expected = "".join(c if c == "\n" or escape.CONTROL.match(c) is None else escape.visible(c)
                       for c in value)
    assert expected == escape_controls(value)
