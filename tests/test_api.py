"""The public library API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SPECS, invoke

import hwspec


@pytest.mark.parametrize("name", hwspec.__all__)
def test_every_public_name_imports(name: str) -> None:
    """Every name in __all__ is importable from hwspec."""
    assert hasattr(hwspec, name)


def test_validate_a_path() -> None:
    """hwspec.validate on the seed build's path reports MEM001 and PWR001 and is not ok."""
    report = hwspec.validate(SPECS / "epyc-dual.toml")

    assert (report.ok, [f.rule for f in report.findings]) == (
        False, ["CST002", "MEM001", "PWR001", "PWR003"])


def test_validate_a_loaded_spec() -> None:
    """hwspec.validate takes a Spec from hwspec.load and derives the same facts."""
    spec = hwspec.load(SPECS / "epyc-dual.toml")
    report = hwspec.validate(spec)
    from_path = hwspec.validate(SPECS / "epyc-dual.toml")

    assert report.spec is not None
    assert from_path.spec is not None
    assert (report.facts.by_name, report.facts.get("memory.capacity_gib")) == (
        from_path.facts.by_name, 768)


def test_validate_with_param_override() -> None:
    """params= overrides a rule parameter for that call."""
    report = hwspec.validate(SPECS / "epyc-dual.toml", params={"psu_max_load": 0.5})

    assert "PWR001" in {f.rule for f in report.findings}


def test_version_is_a_string() -> None:
    """__version__ comes from the installed distribution."""
    assert hwspec.__version__ == "0.1.0"


TEAM_CPU = """\
[[cpu]]
id = "team-epyc-9655"
name = "AMD EPYC 9655 at our cTDP"
platform = "sp5-turin"
socket = "sp5"
cores = 96
tdp_w = 320
max_sockets = 2
source = "https://intranet.example/quotes/2026-11"
"""

TEAM_SPEC = """\
[build]
name = "Team build"

[cpu]
part = "team-epyc-9655"

[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = 12
"""


def _cli_rules(path: Path) -> tuple[int, list[str]]:
    import json


    result = invoke(["validate", "--format", "json", str(path)])
    return result.exit_code, [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]


@pytest.mark.parametrize("config_name", ["hwspec.toml", "pyproject.toml"])
def test_validate_finds_the_specs_configuration_as_the_cli_does(tmp_path: Path,
                                                                config_name: str) -> None:
    """A spec whose folder's config adds a team catalog and ignores a rule: validate(path)
    resolves the team's CPU and honours the ignore, with the findings the command line gives."""
    settings = 'catalog = ["parts/"]\nignore = ["CST"]\n'
    if config_name == "pyproject.toml":
        settings = "[tool.hwspec]\n" + settings
    (tmp_path / config_name).write_text(settings)
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "team.toml").write_text(TEAM_CPU)
    (tmp_path / "spec.toml").write_text(TEAM_SPEC)
    report = hwspec.validate(tmp_path / "spec.toml")
    exit_code, cli_rules = _cli_rules(tmp_path / "spec.toml")

    assert report.spec is not None
    assert ([f.rule for f in report.findings], report.facts["power.cpu_w"]) == (cli_rules, 320)
    assert (report.ok, exit_code) == (True, 0)


def test_config_false_applies_none_and_a_named_config_applies_to_text(tmp_path: Path) -> None:
    """config=False checks with the built-in catalog only (the team's CPU is unknown);
    config=PATH applies that file to TOML text, which has no folder of its own."""
    (tmp_path / "hwspec.toml").write_text('catalog = ["team.toml"]\n')
    (tmp_path / "team.toml").write_text(TEAM_CPU)
    (tmp_path / "spec.toml").write_text(TEAM_SPEC)

    without = hwspec.validate(tmp_path / "spec.toml", config=False)
    text_alone = hwspec.validate(hwspec.loads(TEAM_SPEC))
    text_with = hwspec.validate(hwspec.loads(TEAM_SPEC), config=tmp_path / "hwspec.toml")

    assert ("SPEC003" in [f.rule for f in without.findings],
            "SPEC003" in [f.rule for f in text_alone.findings], text_with.ok) == (True, True, True)


def test_catalog_takes_team_files(tmp_path: Path) -> None:
    """catalog= takes a team's catalog file, as --catalog does."""
    (tmp_path / "team.toml").write_text(TEAM_CPU)

    assert hwspec.validate(hwspec.loads(TEAM_SPEC), catalog=tmp_path / "team.toml").ok


@pytest.mark.parametrize(("settings", "message"), [
    ({"select": ["NOPE999"]}, "arguments: 'NOPE999' match no rule"),
    ({"ignore": ["MEMX01"]}, "arguments: 'MEMX01' match no rule"),
    ({"params": {"psu_max_lod": 0.6}}, "arguments: unknown rule parameter 'psu_max_lod'"),
])
def test_settings_that_name_nothing_are_refused(settings: dict[str, Any], message: str) -> None:
    """A select, ignore or parameter that names nothing raises ConfigError, as the command line
    exits 2: a check that runs no rule must not read as a pass."""
    with pytest.raises(hwspec.ConfigError) as raised:
        hwspec.validate(SPECS / "am5.toml", **settings)

    assert str(raised.value).startswith(message)


def test_a_string_without_a_line_break_is_a_path_everywhere() -> None:
    """load and validate decide alike: "AM5.TOML" is a file name (that does not exist), never
    TOML text; loads takes text."""
    with pytest.raises(hwspec.SpecError) as raised:
        hwspec.load("no/such/file.toml")
    report = hwspec.validate("AM5.TOML")

    assert ([f.message for f in raised.value.findings], [f.message for f in report.findings]) == (
        ["the file does not exist"], ["the file does not exist"])
    assert hwspec.loads(TEAM_SPEC).build.name == "Team build"


def test_dumps_writes_only_what_was_given() -> None:
    """No empty gpu or storage arrays, no count = 1, no default currency: the spec as written."""
    spec = hwspec.load(SPECS / "am5.toml")

    assert hwspec.dumps(spec) == (
        '[build]\nname = "Ryzen 9 9950X (AM5) for gpt-oss-120b"\n\n'
        '[board]\npart = "msi-meg-x870e-godlike"\n\n'
        '[cpu]\npart = "amd-ryzen-9-9950x"\n\n'
        '[[memory]]\npart = "crucial-ct64g56c46u5"\ncount = 2\n\n'
        '[workload]\nmodel = "gpt-oss-120b"\nprecision = "mxfp4"\ncontext_tokens = 32768\n')


def test_facts_read_as_a_mapping() -> None:
    """dict(report.facts) is every known fact, iteration gives their names, and get takes a
    default, as for a dict."""
    facts = hwspec.validate(SPECS / "epyc-dual.toml").facts
    assert facts is not None
    as_dict = dict(facts)
    assert (as_dict["memory.capacity_gib"], len(as_dict) == len(facts), "build.name" in list(facts),
            facts.get("no.such.fact", 7)) == (768, True, True, 7)


def test_facts_are_a_read_only_mapping() -> None:
    """Facts is a collections.abc.Mapping: items(), values() and keys() agree with the dict of
    it, and nothing can be written into it."""
    from collections.abc import Mapping, MutableMapping

    facts = hwspec.validate(SPECS / "epyc-dual.toml").facts
    assert facts is not None
    assert (isinstance(facts, Mapping), isinstance(facts, MutableMapping)) == (True, False)
    assert (dict(facts.items()), list(facts.values()), list(facts.keys())) == (
        facts.by_name, list(facts.by_name.values()), list(facts.by_name))
    with pytest.raises(TypeError):
        facts["memory.capacity_gib"] = 1  # type: ignore[index]


def test_validate_takes_the_tables_as_a_dict() -> None:
    """A dict of tables is checked as the same TOML would be: two 400 W EPYCs on an 850 W PSU
    fail PWR001, and its finding keeps its key path."""
    report = hwspec.validate({"build": {"name": "x"}, "cpu": {"part": "amd-epyc-9655", "count": 2},
                              "psu": {"capacity_w": 850}})
    assert [(f.rule, f.path) for f in report.findings] == [("PWR001", "psu")]


def test_a_dict_that_is_not_toml_data_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must hold TOML values"):
        hwspec.validate({"build": {"name": object()}})


def test_facts_read_typed() -> None:
    """number, flag and text give a fact as its type, or None when it is unknown."""
    facts = hwspec.validate(SPECS / "epyc-dual.toml").facts
    assert facts is not None
    assert (facts.number("memory.capacity_gib"), facts.flag("model.fits"),
            facts.text("build.name"), facts.number("gpu.vram_gib"),
            facts.number("build.name")) == (768.0, True, "Dual EPYC 9655 for DeepSeek-R1", None,
                                            None)


def test_a_loaded_spec_keeps_its_lines_and_path() -> None:
    """validate(load(path)) reports what validate(path) does; a spec changed in code has no
    lines, as its keys may have moved."""
    import attrs

    direct = hwspec.validate(SPECS / "epyc-dual.toml", config=False)
    loaded = hwspec.load(SPECS / "epyc-dual.toml")
    via_load = hwspec.validate(loaded, config=False)
    changed = hwspec.validate(attrs.evolve(loaded), config=False)
    assert (via_load.path, via_load.findings) == (direct.path, direct.findings)
    assert (changed.path, {f.line for f in changed.findings}) == ("<spec>", {None})


def test_fit_and_load_catalog_are_public(tmp_path: Path) -> None:
    """hwspec.fit answers as `hwspec fit` does; hwspec.load_catalog adds a team's parts."""
    answer = hwspec.fit(SPECS / "sp5-turin.toml")
    assert (answer.fits, answer.largest_context_tokens) == (True, 163840)
    team = tmp_path / "team.toml"
    team.write_text('[[psu]]\nid = "acme-2000"\nname = "ACME 2000 W"\ncapacity_w = 2000\n'
                    'source = "https://example.com/acme"\n')
    catalog = hwspec.load_catalog(team)
    assert catalog.get("psu", "acme-2000") is not None
