"""The JUnit format: JUnit XML for CI systems that show test results (Jenkins, GitLab, Azure ...).

One ``<testsuite>`` per spec file, one ``<testcase>`` per rule outcome (a rule checked once per
``[[memory]]`` entry gives one test case per entry), plus one per finding about the file itself
(SPEC001-SPEC004). A finding that makes the file fail — an error, or with strict a warning too — is
a ``<failure>``; a rule that did not apply is ``<skipped>``. docs/output-formats.md describes the
mapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from hwspec.checker import Report
from hwspec.engine.evaluate import FAIL, NOT_APPLICABLE, Outcome
from hwspec.engine.packs import Rule
from hwspec.escape import xml
from hwspec.findings import ERROR, WARNING, Finding
from hwspec.output import RenderOptions, known_rules, shown

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Render the reports as one JUnit XML document; every string from an input passes
    :func:`hwspec.escape.xml` first."""
    reports = [shown(r, xml) for r in reports]
    rules = {r.id: r for r in known_rules(options)}
    root = ET.Element("testsuites", name="hwspec")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for report in reports:
        suite = _suite(report, rules, options.strict)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", str(totals["errors"]))
    root.set("time", f"{sum(r.seconds or 0.0 for r in reports):.3f}")
    ET.indent(root)
    return f"{XML_DECLARATION}\n{ET.tostring(root, encoding='unicode')}\n"


def _suite(report: Report, rules: dict[str, Rule], strict: bool) -> ET.Element:
    failing = (ERROR, WARNING) if strict else (ERROR,)
    suite = ET.Element("testsuite", name=_xml(report.path))
    matched: set[int] = set()
    cases: list[ET.Element] = []
    for outcome in report.outcomes:
        found = [i for i, f in enumerate(report.findings)
                 if f.rule == outcome.rule and outcome.item in (None, _item(f))]
        matched.update(found)
        case = _case(report.path, _outcome_name(outcome, rules))
        if outcome.status == NOT_APPLICABLE:
            why = f"needs {outcome.missing}" if outcome.missing else "its condition is false"
            ET.SubElement(case, "skipped", message=f"not applicable: {why}")
        elif outcome.status == FAIL and not found:
            ET.SubElement(case, "skipped", message="ignored by the spec's [checks] ignore")
        for i in found:
            _report_finding(case, report.findings[i], report.path, failing)
        cases.append(case)
    # Findings about the file itself (it does not load, a part is unknown ...) come first.
    own = []
    for i, f in enumerate(report.findings):
        if i not in matched:
            label = f"{f.rule} {f.name}" if f.name else f.rule
            case = _case(report.path, f"{label} {f.path}" if f.path else label)
            _report_finding(case, f, report.path, failing)
            own.append(case)
    suite.extend([*own, *cases])
    suite.set("tests", str(len(own) + len(cases)))
    suite.set("failures", str(sum(c.find("failure") is not None for c in suite)))
    suite.set("errors", str(sum(c.find("error") is not None for c in suite)))
    suite.set("skipped", str(sum(c.find("skipped") is not None for c in suite)))
    if report.seconds is not None:
        # Rules run together on one spec: its time is the suite's, not any one case's.
        suite.set("time", f"{report.seconds:.3f}")
    return suite


def _case(file: str, name: str) -> ET.Element:
    return ET.Element("testcase", name=_xml(name), classname=_xml(file))


def _outcome_name(outcome: Outcome, rules: dict[str, Rule]) -> str:
    rule = rules.get(outcome.rule)
    name = f"{outcome.rule} {rule.name}" if rule is not None else outcome.rule
    if outcome.item is None:
        return name
    each = rule.each if rule is not None and rule.each else "item"
    return f"{name} {each}[{outcome.item}]"


def _item(finding: Finding) -> int | None:
    """The list entry an ``each`` rule's finding blames: 1 for ``memory[1].kind`` (read from the
    path's head, since the rest, escaped, need not parse back)."""
    match = _ITEM.match(finding.path)
    return int(match.group(1)) if match else None


_ITEM = re.compile(r'[^.\["]+\[(\d+)\]')


def _report_finding(case: ET.Element, finding: Finding, file: str,
                    failing: tuple[str, ...]) -> None:
    where = file
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    key = f" {finding.path}:" if finding.path else ""
    text = f"{where}: {finding.rule} {finding.severity}{key} {finding.message}"
    if finding.hint:
        text += f"\nhint: {finding.hint}"
    if finding.rule in NOT_CHECKED:
        # The file could not be checked at all: a test that could not run is an error in
        # JUnit's terms, not a failed assertion.
        error = ET.SubElement(case, "error", message=_xml(finding.message), type=finding.rule)
        error.text = _xml(text)
    elif finding.severity in failing:
        failure = ET.SubElement(case, "failure", message=_xml(finding.message),
                                type=finding.severity)
        failure.text = _xml(text)
    else:
        out = case.find("system-out")
        if out is None:
            out = ET.SubElement(case, "system-out")
            out.text = _xml(text)
        else:
            out.text = f"{out.text}\n{_xml(text)}"


NOT_CHECKED = ("SPEC001",)
"""Findings that mean the file could not be checked: it does not parse or cannot be read."""


def _xml(text: str) -> str:
    """Text hwspec composed from escaped parts, as XML carries it: :func:`hwspec.escape.xml`
    leaves its own line breaks (between a message and its hint) as they are."""
    return "\n".join(xml(line) for line in text.split("\n"))
