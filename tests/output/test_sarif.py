"""The SARIF format: a valid SARIF 2.1.0 log whose results point at the blamed lines."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for
from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker, Options, Report
from hwspec.engine.packs import builtin_packs, combine, load_pack_text
from hwspec.findings import Finding
from hwspec.output import RenderOptions, reporter
from hwspec.output.sarif import artifact_uri, document

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
SEED = "specs/epyc-dual.toml"
BROKEN = "specs/broken.toml"

EXTRA_PACK = '''
[pack]
name = "acme"

[[rule]]
id = "ACME001"
name = "acme-budget-floor"
severity = "info"
summary = "The budget is at least 100."
check = "build.budget >= 100"
message = "budget under 100"

[[rule.example]]
verdict = "fail"
spec = """
[build]
name = "x"
budget = 50
"""

[[rule.example]]
verdict = "pass"
spec = """
[build]
name = "x"
budget = 100
"""
'''

OPTIONS = RenderOptions(rules=Checker().rules)
"""As the command line renders: with the rules its checks ran with."""


def _seed() -> Report:
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")
    return Checker().check_text(text, path=SEED)


def _broken() -> Report:
    return Checker().check_text("[build\nname = 'x'\n", path=BROKEN)


def _errors(log: dict[str, Any]) -> list[str]:
    validator = validator_for(SCHEMA)(SCHEMA, format_checker=validator_for(SCHEMA).FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def _memory_part_line(text: str) -> int:
    """The line of the first [[memory]] entry's ``part`` key."""
    lines = text.splitlines()
    start = lines.index("[[memory]]")
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.startswith("part"))


def _results(log: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_schema_is_the_oasis_sarif_2_1_0_schema() -> None:
    """The stored schema is the OASIS SARIF 2.1.0 (errata 01) schema."""
    assert (SCHEMA["id"], SCHEMA["$schema"]) == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "http://json-schema.org/draft-04/schema#",
    )


def test_seed_log_is_valid_sarif() -> None:
    """The seed spec's SARIF log validates against the SARIF 2.1.0 schema."""
    assert _errors(document([_seed()], OPTIONS)) == []


def test_broken_and_seed_log_is_valid_sarif() -> None:
    """A run over a file that does not parse and the seed spec validates too."""
    assert _errors(document([_broken(), _seed()], OPTIONS)) == []


def test_mem001_points_at_the_memory_part_line() -> None:
    """MEM001 blames memory[0].kind, which the catalog filled in: the result cites the part line."""
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")
    result = next(r for r in _results(document([_seed()], OPTIONS))
                  if r["ruleId"] == "MEM001")
    location = result["locations"][0]
    assert _memory_part_line(text) == location["physicalLocation"]["region"]["startLine"]
    assert location == {
        "physicalLocation": {
            "artifactLocation": {"uri": SEED},
            "region": {"startLine": 20, "startColumn": 1},
        },
        "logicalLocations": [{"fullyQualifiedName": "memory[0].kind"}],
    }


def test_mem001_result_level_and_message() -> None:
    """An error finding is an error result whose text is the message, then the hint."""
    result = next(r for r in _results(document([_seed()], OPTIONS))
                  if r["ruleId"] == "MEM001")
    assert (result["level"], result["message"]["text"]) == (
        "error",
        "UDIMM (DDR5) is not supported on sp5-turin (takes DDR5 RDIMM, 3DS-RDIMM)\n"
        "hint: Choose modules of a kind the platform lists; on SP5 that is registered ECC "
        "DDR5 (RDIMM or 3DS RDIMM).",
    )


def test_syntax_error_result_has_line_and_column() -> None:
    """A file that does not parse is a SPEC001 result at the line and column of the error."""
    result = _results(document([_broken()], OPTIONS))[0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (result["ruleId"], region) == ("SPEC001", {"startLine": 1, "startColumn": 7})


def test_finding_without_line_sits_on_the_first_line(tmp_path: Path) -> None:
    """A finding with no line (a folder given as a spec) names its file, at line 1: code
    scanning places every result in a region."""
    report = Checker().check_file(tmp_path)
    location = _results(document([report], OPTIONS))[0]["locations"][0]

    assert location == {"physicalLocation": {"artifactLocation": {"uri": tmp_path.as_uri()},
                                             "region": {"startLine": 1}}}


def test_fingerprints_follow_rule_file_and_key_not_line() -> None:
    """Moving every line down keeps each result's partialFingerprints; two findings of one
    file differ."""
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")
    moved = Checker().check_text("# a longer header\n\n" + text, path="specs/epyc-dual.toml")
    prints = [r["partialFingerprints"] for r in _results(document([_seed()], OPTIONS))]
    after = [r["partialFingerprints"] for r in _results(document([moved], OPTIONS))]
    assert prints == after
    assert len({p["hwspecFinding/v1"] for p in prints}) == len(prints)


def test_uris_are_relative_to_the_repository_root_from_a_subfolder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from docs/ of a repository, ../specs/x.toml has the URI specs/x.toml, as code
    scanning resolves it against the checkout; outside any repository a path stays as given."""
    from hwspec.output.sarif import artifact_uri

    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "docs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "docs")
    inside = artifact_uri("../specs/x.toml")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert (inside, artifact_uri("../specs/x.toml")) == ("specs/x.toml", "../specs/x.toml")


def test_rules_are_every_builtin_rule_and_the_reserved_ids() -> None:
    """The driver lists every built-in rule and SPEC001-SPEC005, once each, in id order."""
    rules = document([_seed()], OPTIONS)["runs"][0]["tool"]["driver"]["rules"]
    expected = sorted([r.id for r in combine(builtin_packs())]
                      + ["SPEC001", "SPEC002", "SPEC003", "SPEC004", "SPEC005"])
    assert expected == [r["id"] for r in rules]


def test_every_rule_index_points_at_its_rule() -> None:
    """Each result's ruleIndex is the position of its ruleId in the driver's rules."""
    log = document([_broken(), _seed()], OPTIONS)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    pairs = [(r["ruleId"], rules[r["ruleIndex"]]["id"]) for r in _results(log)]
    assert [(a, a) for a, _ in pairs] == pairs


def test_builtin_rule_help_uri_is_its_section_of_the_rules_page() -> None:
    """Each built-in rule's helpUri ends in the anchor of its own heading in docs/rules.md."""
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rules = document([], OPTIONS)["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        if rule["id"].startswith("SPEC"):
            continue
        assert f"## {rule['id']}\n" in page
        assert rule["helpUri"] == (
            f"https://github.com/hwspec/hwspec/blob/main/docs/rules.md#{rule['id'].lower()}")


def test_rule_entry_carries_summary_explanation_hint_and_level() -> None:
    """A rule entry has its name, summary, explanation with hint, and default level."""
    rules = document([], OPTIONS)["runs"][0]["tool"]["driver"]["rules"]
    mem005 = next(r for r in rules if r["id"] == "MEM005")
    record = next(r for r in combine(builtin_packs()) if r.id == "MEM005")
    assert (record.name, record.summary, "warning") == (
        mem005["name"], mem005["shortDescription"]["text"],
        mem005["defaultConfiguration"]["level"])
    assert mem005["help"]["text"].endswith(f"\n\nHint: {record.hint}")


def test_driver_names_hwspec_and_its_version() -> None:
    """The tool is hwspec at the installed version."""
    driver = document([], OPTIONS)["runs"][0]["tool"]["driver"]
    assert ("hwspec", version("hwspec")) == (driver["name"], driver["version"])


def test_extra_pack_rules_come_from_the_options() -> None:
    """Rules passed in the options are listed (without a docs link) and their results indexed."""
    pack = load_pack_text(EXTRA_PACK, "acme.toml")
    checker = Checker(Options(packs=(pack,)))
    report = checker.check_text("[build]\nname = 'x'\nbudget = 50\n", path="x.toml")
    log = document([report], RenderOptions(rules=checker.rules))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    result = next(r for r in _results(log) if r["ruleId"] == "ACME001")
    acme = rules[result["ruleIndex"]]
    assert (acme["id"], result["level"], "helpUri" in acme) == ("ACME001", "note", False)
    assert _errors(log) == []


def test_unknown_rule_id_gets_a_minimal_rule_entry() -> None:
    """A finding of a rule the options do not list still gets a rule entry to point at."""
    report = Report("x.toml", None, (Finding("ZZZ001", "warning", "odd", name="odd-rule"),))
    log = document([report], OPTIONS)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[_results(log)[0]["ruleIndex"]] == {"id": "ZZZ001", "name": "odd-rule"}
    assert _errors(log) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("specs/epyc-dual.toml", "specs/epyc-dual.toml"),
        ("specs\\epyc-dual.toml", "specs/epyc-dual.toml"),
        ("my specs/a#1.toml", "my%20specs/a%231.toml"),
        ("a:b.toml", "a%3Ab.toml"),
        ("/srv/specs/x.toml", "file:///srv/specs/x.toml"),
        ("C:\\specs\\x.toml", "file:///C:/specs/x.toml"),
    ],
)
def test_artifact_uri(path: str, expected: str) -> None:
    """Relative paths stay relative, with forward slashes; absolute ones are file URIs."""
    assert artifact_uri(path) == expected


def test_render_is_the_document_as_json() -> None:
    """The rendered text is the document, indented, ending in a newline."""
    rendered = reporter("sarif")([_seed()], OPTIONS)
    assert (document([_seed()], OPTIONS), "\n") == (json.loads(rendered), rendered[-1])
    assert rendered.startswith('{\n  "$schema"')


def test_schema_check_rejects_a_wrong_level() -> None:
    """The schema check is real: a result level SARIF does not know is reported."""
    log = document([_seed()], OPTIONS)
    _results(log)[0]["level"] = "fatal"
    assert _errors(log) == [
        "['runs', 0, 'results', 0, 'level']: 'fatal' is not one of "
        "['none', 'note', 'warning', 'error']"]


def test_rule_help_has_markdown_with_the_check_hint_and_page() -> None:
    """Code scanning shows help.markdown where it is given: the summary, why, the check, the
    hint and a link to the rule's section."""
    rules = document([_seed()], OPTIONS)["runs"][0]["tool"]["driver"]["rules"]
    mem001 = next(r for r in rules if r["id"] == "MEM001")["help"]["markdown"]
    assert mem001.startswith("**")
    assert "Check: `" in mem001
    assert mem001.endswith("[MEM001 in the rules reference]("
                           "https://github.com/hwspec/hwspec/blob/main/docs/rules.md#mem001)")
