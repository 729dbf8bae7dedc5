"""SPEC001-SPEC004 are records like rules: explain, rules, the docs, SARIF, and the ignore and
severity settings that may reach them (only SPEC004's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import ROOT, invoke

import hwspec
from hwspec.findings import SPEC_CODES, SpecCode

UNUSED = """\
[build]
name = "x"

[cpu]
part = "amd-epyc-9655"
count = 2

[psu]
capacity_w = 2000

[checks]
ignore = [{ rule = "MEM001", reason = "the board is on order" }]
"""


def _run(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


@pytest.fixture
def unused(tmp_path: Path) -> Path:
    path = tmp_path / "unused.toml"
    path.write_text(UNUSED, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", SPEC_CODES, ids=lambda c: c.id)
def test_explain_prints_a_spec_code_by_id_or_name(code: SpecCode) -> None:
    by_id, by_name = _run("explain", code.id.lower()), _run("explain", code.name)
    assert (by_id.exit_code, by_id.output) == (0, by_name.output)
    assert by_id.output.startswith(f"{code.id} {code.name} ({code.severity}, ")
    assert code.summary in by_id.output


def test_rules_lists_the_spec_codes_first_in_text_and_json() -> None:
    text = _run("rules").output.splitlines()
    rows = json.loads(_run("rules", "--format", "json").output)
    assert [line.split()[0] for line in text[:4]] == ["SPEC001", "SPEC002", "SPEC003", "SPEC004"]
    assert rows[3] == {"id": "SPEC004", "name": "unused-ignore", "severity": "warning",
                       "pack": "spec", "summary": "Every ignore in [checks] silences a finding."}


def test_docs_rules_page_has_a_section_per_spec_code() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in SPEC_CODES:
        assert f"| [{code.id}](#{code.id.lower()}) | `{code.name}` |" in page
        assert f"\n## {code.id}\n" in page


def test_an_unused_ignore_warns_and_ignore_spec004_silences_it(unused: Path) -> None:
    plain = _run("validate", "-q", str(unused))
    ignored = _run("validate", "-q", "--ignore", "SPEC004", str(unused))
    by_name = _run("validate", "-q", "--ignore", "unused-ignore", str(unused))
    assert "SPEC004 warning checks.ignore[0]: ignoring MEM001 silenced nothing" in plain.output
    assert (ignored.exit_code, ignored.output, by_name.output) == (0, "", "")


def test_a_strict_run_fails_on_spec004_unless_it_is_ignored(unused: Path) -> None:
    assert _run("validate", "--strict", str(unused)).exit_code == 1
    assert _run("validate", "--strict", "--ignore", "SPEC004", str(unused)).exit_code == 0


def test_config_may_raise_spec004_to_an_error(unused: Path) -> None:
    (unused.parent / "hwspec.toml").write_text('[severity]\nSPEC004 = "error"\n')
    result = _run("validate", "-q", str(unused))
    assert (result.exit_code, "SPEC004 error checks.ignore[0]" in result.output) == (1, True)


@pytest.mark.parametrize("code", ["SPEC001", "SPEC002", "SPEC003", "toml-syntax"])
def test_the_codes_that_stop_checking_cannot_be_ignored(unused: Path, code: str) -> None:
    result = _run("validate", "--ignore", code, str(unused))
    assert result.exit_code == 2
    assert "cannot be ignored or given another severity" in result.output


def test_a_spec_code_cannot_be_selected(unused: Path) -> None:
    result = _run("validate", "--select", "SPEC004", str(unused))
    assert result.exit_code == 2
    assert "SPEC004 is reported about the spec file itself, not a rule" in result.output


def test_a_spec_may_ignore_its_unused_ignore_but_not_a_syntax_error(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.toml"
    quiet.write_text(UNUSED.replace(
        'ignore = [{ rule = "MEM001", reason = "the board is on order" }]',
        'ignore = [{ rule = "MEM001", reason = "the board is on order" },\n'
        '          { rule = "SPEC004", reason = "kept until the board arrives" }]'))
    refused = tmp_path / "refused.toml"
    refused.write_text(UNUSED.replace('rule = "MEM001"', 'rule = "SPEC001"'))
    assert [f.rule for f in hwspec.validate(quiet).findings] == []
    assert [(f.rule, f.message) for f in hwspec.validate(refused).findings] == [
        ("SPEC002", "SPEC001 cannot be ignored: a spec with this error is not checked as written")]


def test_the_library_takes_the_same_settings(unused: Path) -> None:
    assert [f.rule for f in hwspec.validate(unused).findings] == ["SPEC004"]
    assert hwspec.validate(unused, ignore=["SPEC004"]).findings == ()
    with pytest.raises(hwspec.ConfigError, match="SPEC003 cannot be ignored"):
        hwspec.validate(unused, ignore=["SPEC003"])


def test_sarif_describes_each_spec_code_with_its_explanation_and_section() -> None:
    document = json.loads(_run("validate", "--format", "sarif",
                               str(ROOT / "specs" / "am5.toml")).output)
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    for code in SPEC_CODES:
        assert rules[code.id]["helpUri"].endswith(f"docs/rules.md#{code.id.lower()}")
        assert rules[code.id]["help"]["text"].endswith(f"Hint: {code.hint}")


@given(st.sampled_from(sorted((ROOT / "tests" / "data" / "specs-broken").glob("*.toml")))
       | st.text(max_size=60).map(lambda text: f'[build]\nname = "x"\n{text}'))
def test_a_spec_code_finding_carries_its_record_name(spec: Path | str) -> None:
    """Law: every SPEC001-SPEC004 finding, from the loader, the resolver or the checker, has
    the id, severity and name of its record (SpecCode.finding builds them all)."""
    checker = hwspec.Checker()
    report = checker.check_file(spec) if isinstance(spec, Path) else checker.check_text(spec)
    codes = {code.id: code for code in SPEC_CODES}

    assert [(f.rule, f.name, f.severity) for f in report.findings if f.rule in codes
                  and (f.name, f.severity) != (codes[f.rule].name, codes[f.rule].severity)] == []


def test_a_limit_is_a_spec_structure_finding() -> None:
    """The size limit is SPEC002 under SPEC002's own name, not a name of its own."""
    finding = hwspec.Checker().check_text("x = " + "[" * 40 + "]" * 40 + "\n").findings[0]

    assert (finding.rule, finding.name) == ("SPEC002", "spec-structure")
