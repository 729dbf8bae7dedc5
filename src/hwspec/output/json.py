"""The JSON format: one document with every file's findings and facts.

Its schema, key by key, is in docs/output-formats.md#json.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from hwspec.checker import Report
from hwspec.escape import json_document
from hwspec.findings import ERROR, WARNING
from hwspec.output import RenderOptions

JSON_FORMAT_VERSION = 1
"""Bumped when a key changes meaning or goes away; new keys do not bump it."""


def document(reports: Sequence[Report], options: RenderOptions) -> dict[str, Any]:
    """The JSON document as Python data."""
    files = [_file(r, options) for r in reports]
    return {
        "version": JSON_FORMAT_VERSION,
        "configs": list(dict.fromkeys(r.config for r in reports if r.config is not None)),
        "files": files,
        "summary": {
            "files": len(reports),
            "failed": sum(not r.passes(strict=options.strict) for r in reports),
            "errors": sum(f.severity == ERROR for r in reports for f in r.findings),
            "warnings": sum(f.severity == WARNING for r in reports for f in r.findings),
        },
    }


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Render the reports as indented JSON, UTF-8 valid and safe to print
    (:func:`hwspec.escape.json_document`)."""
    return json_document(json.dumps(document(reports, options), indent=2,
                                    ensure_ascii=False)) + "\n"


def _file(report: Report, options: RenderOptions) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": report.path,
        "config": report.config,
        "ok": report.passes(strict=options.strict),
        "findings": [
            {
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity,
                "message": f.message,
                "hint": f.hint,
                "path": f.path,
                "line": f.line,
                "column": f.column,
            }
            for f in report.findings
        ],
    }
    if options.show_facts:
        facts = report.facts.by_name
        out["facts"] = {k: _value(facts[k]) for k in sorted(facts)}
    return out


def _value(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    return value
