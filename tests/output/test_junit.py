"""The JUnit format: valid JUnit XML, a suite per file and a test case per rule outcome."""

from __future__ import annotations

import textwrap
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from attrs import evolve
from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker, Report
from hwspec.findings import Finding
from hwspec.output import RenderOptions, reporter

JUNIT_XSD = xmlschema.XMLSchema(ROOT / "tests" / "data" / "junit-10.xsd")
SEED = "specs/epyc-dual.toml"

OPTIONS = RenderOptions(rules=Checker().rules)
"""As the command line renders: with the rules its checks ran with."""


def _seed_text() -> str:
    return (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")


def _seed() -> Report:
    return Checker().check_text(_seed_text(), path=SEED)


def _broken() -> Report:
    return Checker().check_text("[build\nname = 'x'\n", path="specs/broken.toml")


def _render(reports: list[Report], *, strict: bool = False) -> str:
    return reporter("junit")(reports, evolve(OPTIONS, strict=strict))


def _case(xml: str, name: str) -> ET.Element:
    case = ET.fromstring(xml).find(f".//testcase[@name='{name}']")
    assert case is not None, xml
    return case


def test_seed_and_broken_file_validate_against_the_junit_schema() -> None:
    """The XML of a run over a broken file and the seed validates against Jenkins' JUnit XSD."""
    JUNIT_XSD.validate(_render([_broken(), _seed()]))


def test_one_suite_per_file_with_counts() -> None:
    """Each file is a suite named by its path, counting test cases, failures (the seed's MEM001
    and PWR001), errors (the broken file could not be checked) and skips."""
    root = ET.fromstring(_render([_broken(), _seed()]))
    suites = [(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped"))
              for s in root]
    assert suites == [("specs/broken.toml", "1", "0", "1", "0"),
            (SEED, "32", "2", "0", "13")]  # FIT005, FIT006, GPU001 and MEM009 do not apply to the seed; FIT007 does


def test_root_totals() -> None:
    """The testsuites element adds up the suites' tests, failures and errors."""
    root = ET.fromstring(_render([_broken(), _seed()]))
    totals = (root.get("name"), root.get("tests"), root.get("failures"), root.get("errors"))
    assert totals == ("hwspec", "33", "2", "1")  # FIT005, FIT006, FIT007, GPU001 and MEM009 count


def test_failed_error_rule_is_a_failure_with_location_and_hint() -> None:
    """MEM001 on the seed is a failure typed error, its text citing file, line, column and hint."""
    failure = _case(_render([_seed()]), "MEM001 memory-kind-supported memory[0]").find("failure")
    assert failure is not None
    assert ("error", "UDIMM (DDR5) is not supported on sp5-turin (takes DDR5 RDIMM, 3DS-RDIMM)",
            textwrap.dedent("""\
                specs/epyc-dual.toml:20:1: MEM001 error memory[0].kind: UDIMM (DDR5) is not \
supported on sp5-turin (takes DDR5 RDIMM, 3DS-RDIMM)
                hint: Choose modules of a kind the platform lists; on SP5 that is registered ECC \
DDR5 (RDIMM or 3DS RDIMM).""")) == (failure.get("type"), failure.get("message"), failure.text)


def test_test_case_classname_is_the_file() -> None:
    """Test cases are grouped by the spec file they check."""
    case = _case(_render([_seed()]), "CPU001 cpu-socket-matches-board")
    assert (case.get("classname"), list(case)) == (SEED, [])


def test_warning_passes_with_its_text_in_system_out() -> None:
    """Without strict a warning does not fail its test case; its text is in system-out."""
    case = _case(_render([_seed()]), "CST002 quoted-total-matches-lines")
    assert [child.tag for child in case] == ["system-out"]
    text = case.findtext("system-out") or ""
    assert text.startswith("specs/epyc-dual.toml:8:1: CST002 warning")


def test_strict_makes_warnings_failures() -> None:
    """With strict, warnings are failures typed warning."""
    xml = _render([_seed()], strict=True)
    failure = _case(xml, "CST002 quoted-total-matches-lines").find("failure")
    assert failure is not None
    assert (failure.get("type"), ET.fromstring(xml)[0].get("failures")) == ("warning", "4")


def test_not_applicable_rule_is_skipped_with_the_missing_fact() -> None:
    """A rule whose facts the spec does not give is skipped, naming the first missing fact."""
    skipped = _case(_render([_seed()]), "PWR002 psu-cpu-connectors").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "not applicable: needs psu.eps_connectors"


def test_rule_ignored_by_the_spec_is_skipped() -> None:
    """A failed rule whose finding the spec ignores is skipped, not failed."""
    text = _seed_text() + textwrap.dedent("""
        [checks]
        ignore = [{ rule = "MEM001", reason = "the modules get swapped for RDIMMs" }]
    """)
    report = Checker().check_text(text, path=SEED)
    skipped = _case(_render([report]), "MEM001 memory-kind-supported memory[0]").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "ignored by the spec's [checks] ignore"


def test_broken_file_is_one_spec001_error() -> None:
    """A file that does not parse is one SPEC001 test case in error (it could not be checked,
    which JUnit tells apart from a failed check), citing line and column."""
    error = _case(_render([_broken()]), "SPEC001 toml-syntax").find("error")
    assert error is not None
    text = error.text or ""
    assert text.startswith("specs/broken.toml:1:7: SPEC001 error TOML does not parse")


def test_unknown_part_is_a_test_case_of_its_own() -> None:
    """A finding no rule outcome explains (an unknown part) is a test case named by id and key."""
    text = _seed_text().replace('part = "seasonic-vertex-gx-1200"', 'part = "no-such-psu"')
    report = Checker().check_text(text, path=SEED)
    failure = _case(_render([report]), "SPEC003 unknown-part psu.part").find("failure")
    assert failure is not None


@pytest.mark.parametrize("strict", [False, True])
def test_escaped_text_round_trips(strict: bool) -> None:
    """Markup characters survive; characters XML cannot carry are written as visible escapes (\\x01)."""
    message = "a < b & \"c\" > 'd' \x01 end"
    report = Report("dir/<odd>&.toml", None,
                    (Finding("SPEC002", "warning", message, name="spec-structure"),))
    xml = _render([report], strict=strict)
    JUNIT_XSD.validate(xml)
    case = ET.fromstring(xml).find(".//testcase")
    assert case is not None
    text = case.findtext("failure" if strict else "system-out")
    assert (case.get("classname"), text) == (
        "dir/<odd>&.toml", "dir/<odd>&.toml: SPEC002 warning a < b & \"c\" > 'd' \\x01 end")


def test_no_reports_is_an_empty_document() -> None:
    """No files checked gives an empty testsuites element that still validates."""
    xml = _render([])
    JUNIT_XSD.validate(xml)
    assert (ET.fromstring(xml).get("tests"), list(ET.fromstring(xml))) == ("0", [])


def test_suites_carry_the_time_their_spec_took() -> None:
    """Each suite's time is how long its spec took to read and check, and the root's is their
    sum, both as decimals JUnit readers parse."""
    root = ET.fromstring(_render([_broken(), _seed()]))
    times = [float(s.get("time", "nan")) for s in root]
    assert all(t >= 0 for t in times)
    assert float(root.get("time", "nan")) == pytest.approx(sum(times), abs=0.002)
