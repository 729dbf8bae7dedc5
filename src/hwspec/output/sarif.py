"""The SARIF format: one SARIF 2.1.0 log for code-scanning tools (GitHub code scanning and others).

One run whose tool lists every rule that could produce a finding, with its summary, explanation,
hint and documentation link, and one result per finding, located by file, line and column and by
the spec key it blames. docs/output-formats.md describes the mapping.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any

from hwspec.checker import Report
from hwspec.engine.packs import Rule
from hwspec.escape import json_document, markdown, markdown_code, surrogates, uri
from hwspec.findings import SPEC_CODES, Finding
from hwspec.output import REPOSITORY, RenderOptions, known_rules, rule_doc_url

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

LEVEL_BY_SEVERITY = {"error": "error", "warning": "warning"}
"""hwspec severity -> SARIF level; any other severity (``info``) is a ``note``."""

def level(severity: str) -> str:
    """The SARIF level of a severity."""
    return LEVEL_BY_SEVERITY.get(severity, "note")


def artifact_uri(path: str) -> str:
    """A file path as a SARIF artifact URI, relative to the repository root where the file is in
    the repository the command runs in (so code scanning finds it from any subfolder), else
    relative as given, with forward slashes, or an absolute file URI."""
    path = _from_repository_root(path)
    posix = path.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", posix):
        return "file:///" + uri(posix, safe="/:")
    if posix.startswith("/"):
        return "file://" + uri(posix)
    return uri(posix)


def _from_repository_root(path: str) -> str:
    """``path`` relative to the root of the git repository holding the working directory, when
    the file lies inside it; otherwise unchanged."""
    import os
    from pathlib import Path

    if path.startswith("<"):  # <stdin>, <string>: no file
        return path
    try:
        here = Path.cwd()
        root = _repository_root(here)
        if root is None:
            return path
        target = Path(os.path.normpath(here / path))
        return target.relative_to(root).as_posix() if target.is_relative_to(root) else path
    except OSError:
        return path


@functools.cache
def _repository_root(here: Any) -> Any:
    """The nearest folder at or above ``here`` holding ``.git``, or None; looked up once per
    working directory, not once per result."""
    return next((p for p in (here, *here.parents) if (p / ".git").exists()), None)


def fingerprint(finding: Finding, uri: str) -> str:
    """A result's identity across edits: rule, file and spec key, not the line (editing a spec
    moves lines; hwspec diff matches findings the same way)."""
    import hashlib

    key = surrogates(f"{finding.rule}\0{uri}\0{finding.path or ''}")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def document(reports: Sequence[Report], options: RenderOptions) -> dict[str, Any]:
    """The SARIF log as Python data."""
    from hwspec import __version__

    descriptors = _descriptors(known_rules(options), reports)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = [_result(f, report.path, index[f.rule]) for report in reports
               for f in report.findings]
    driver = {
        "name": "hwspec",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": REPOSITORY,
        "rules": descriptors,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Render the reports as one indented SARIF log, UTF-8 valid and safe to print
    (:func:`hwspec.escape.json_document`)."""
    return json_document(json.dumps(document(reports, options), indent=2,
                                    ensure_ascii=False)) + "\n"


def _descriptors(rules: Sequence[Rule], reports: Sequence[Report]) -> list[dict[str, Any]]:
    """Every rule, then the spec codes, then any other id a finding names; sorted by id."""
    by_id = {r.id: _rule_descriptor(r) for r in rules}
    for code in SPEC_CODES:
        explanation = " ".join(code.explanation.split())
        by_id.setdefault(code.id, {
            "id": code.id,
            "name": code.name,
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": explanation},
            "help": {"text": f"{explanation}\n\nHint: {code.hint}"},
            "helpUri": rule_doc_url(code),
            "defaultConfiguration": {"level": level(code.severity)},
        })
    for report in reports:
        for f in report.findings:
            if f.rule not in by_id:
                by_id[f.rule] = {"id": f.rule, **({"name": f.name} if f.name else {})}
    return [by_id[k] for k in sorted(by_id)]


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    explanation = " ".join(rule.explanation.split()) or rule.summary
    help_text = f"{explanation}\n\nHint: {rule.hint}" if rule.hint else explanation
    url = rule_doc_url(rule)
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": explanation},
        "help": {"text": help_text, "markdown": _help_markdown(rule, explanation, url)},
    }
    if url is not None:
        out["helpUri"] = url
    out["defaultConfiguration"] = {"level": level(rule.severity)}
    out["properties"] = {"pack": rule.pack}
    return out


def _help_markdown(rule: Rule, explanation: str, url: str | None) -> str:
    """The rule's help as code scanning shows it: what it checks, why, the hint, and its page.

    A pack is anyone's text and code scanning renders this Markdown (remote images, raw HTML,
    links): each string of a pack given with ``--rules`` passes :func:`hwspec.escape.markdown`,
    as the report's tables do, and the only link is the rule's own section of the rules
    reference. The built-in packs' own Markdown (inline code) is kept, control characters
    escaped; a test holds them to no links, images or HTML."""
    prose = _shown if rule.builtin else markdown
    parts = [f"**{prose(rule.summary)}**", prose(explanation),
             f"Check: {markdown_code(rule.check.source, table=False)}"]
    if rule.hint:
        parts.append(f"Hint: {prose(rule.hint)}")
    if url is not None:
        parts.append(f"[{rule.id} in the rules reference]({url})")
    return "\n\n".join(parts)


def _shown(text: str) -> str:
    """The built-in packs' own Markdown, on one line with its control characters visible."""
    from hwspec.escape import text as escape_text

    return escape_text(text)


def _result(finding: Finding, file: str, rule_index: int) -> dict[str, Any]:
    uri = artifact_uri(file)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    # A finding about the whole file sits on its first line: code scanning wants a region.
    region = {"startLine": finding.line or 1}
    if finding.line is not None and finding.column is not None:
        region["startColumn"] = finding.column
    physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.path}]
    text = f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"hwspecFinding/v1": fingerprint(finding, uri)},
    }
