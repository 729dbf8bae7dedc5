"""Every format: registered, documented, imported only when asked for, and citing lines."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest
from attrs import evolve
from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker, Report
from hwspec.engine.packs import builtin_packs, combine
from hwspec.output import FORMATS, RenderOptions, known_rules, reporter
from hwspec.output.json import document

DOC = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
SEED = "specs/epyc-dual.toml"


def _seed() -> Report:
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")
    return Checker().check_text(text, path=SEED)


def test_formats() -> None:
    """validate offers text, concise, json, sarif, github and junit."""
    assert FORMATS == ("text", "concise", "json", "sarif", "github", "junit")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_has_a_section_in_the_docs(name: str) -> None:
    """docs/output-formats.md has a section for each format."""
    assert f"\n## {name}\n" in DOC


def test_every_json_key_is_documented() -> None:
    """Each key of the JSON document, its files, findings and summary has a row in the docs."""
    data = document([_seed()], RenderOptions())
    keys = {*data, *data["files"][0], *data["files"][0]["findings"][0], *data["summary"]}
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.MULTILINE))
    assert set() == keys - rows


def test_reporters_are_imported_only_when_asked_for() -> None:
    """Loading the command line imports no reporter module, nor the XML library."""
    code = ("import sys, hwspec.cli, hwspec.output; "
            "print(sorted(m for m in sys.modules if m.startswith(('hwspec.output.', 'xml.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout == "[]\n"


def _mem001_position(name: str, out: str) -> tuple[int, int | None]:
    """Where a format's output puts the seed's MEM001 finding: (line, column or None)."""
    if name == "json":
        found = next(f for f in json.loads(out)["files"][0]["findings"] if f["rule"] == "MEM001")
        return found["line"], found["column"]
    if name == "sarif":
        result = next(r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "MEM001")
        region = result["locations"][0]["physicalLocation"]["region"]
        return region["startLine"], region["startColumn"]
    if name == "junit":
        failure = ET.fromstring(out).find(".//failure")
        assert failure is not None
        match = re.match(r"specs/epyc-dual\.toml:(\d+):(\d+): MEM001 ", failure.text or "")
    elif name == "github":
        match = re.search(r"file=specs/epyc-dual\.toml,line=(\d+),col=(\d+),title=MEM001", out)
    else:
        match = re.search(r"specs/epyc-dual\.toml:(\d+):(\d+): MEM001", out)
    assert match is not None, out
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_cites_the_line(name: str) -> None:
    """Each format places the seed's MEM001 at line 20 (and column 1 where it has columns)."""
    out = reporter(name)([_seed()], RenderOptions())
    expected = (20, 1)
    assert expected == _mem001_position(name, out)


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_renders_no_reports(name: str) -> None:
    """Every format renders an empty run, ending in a newline."""
    assert reporter(name)([], RenderOptions()).endswith("\n")


def test_renderers_load_no_rule_pack() -> None:
    """With no rules in the options, reporters describe none: they never load packs themselves
    (the command line passes the rules its checks ran with)."""
    assert known_rules(RenderOptions()) == ()


def test_known_rules_keep_the_first_of_each_id_in_id_order() -> None:
    """Rules given in the options come back once per id, the first given, sorted by id."""
    rules = combine(builtin_packs())
    louder = evolve(rules[0], severity="warning")
    given = (rules[2], louder, rules[1], rules[0])
    known = known_rules(RenderOptions(rules=given))

    assert [(r.id, r.severity) for r in known] == [
        (rules[0].id, "warning"), (rules[1].id, rules[1].severity),
        (rules[2].id, rules[2].severity)]
    assert [r.id for r in known] == sorted(r.id for r in known)


@pytest.mark.parametrize("name", ["sarif-schema-2.1.0.json", "junit-10.xsd"])
def test_test_data_matches_its_recorded_hash(name: str) -> None:
    """The schemas in tests/data are the files their README says they are."""
    digest = hashlib.sha256((ROOT / "tests" / "data" / name).read_bytes()).hexdigest()
    readme = (ROOT / "tests" / "data" / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{re.escape(name)}` \|.*\| `{digest}` \|$", readme, re.MULTILINE)
