"""The GitHub format: one workflow command a finding, which GitHub Actions shows as an annotation.

``::error file=specs/x.toml,line=20,col=1,title=MEM001 memory-kind-supported::message`` — error
findings are ``::error``, warnings ``::warning``, anything else ``::notice``. The run ends with the
text format's summary line. docs/output-formats.md describes the format.
"""

from __future__ import annotations

from collections.abc import Sequence

from hwspec.checker import Report
from hwspec.escape import github_message, github_property
from hwspec.escape import text as escape_text
from hwspec.findings import Finding
from hwspec.output import RenderOptions, escape_controls, shown
from hwspec.output.text import summary

COMMAND_BY_SEVERITY = {"error": "error", "warning": "warning"}
"""hwspec severity -> workflow command; any other severity (``info``) is a ``notice``."""


escape_data = github_message
"""Escape a command's message the way the Actions runner reads it back."""
escape_property = github_property
"""Escape a command property's value: as a message, and ``:`` and ``,`` too."""


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """One workflow command a finding, then the summary line. Input text passes
    :func:`hwspec.escape.text` first, so a newline in it shows as ``\\n`` in the annotation."""
    lines = [command(f, report.path) for report in reports
             for f in shown(report).findings]
    lines.append(summary(reports, options))
    return escape_controls("\n".join(lines) + "\n")


def command(finding: Finding, file: str) -> str:
    """The workflow command that annotates one finding in its file."""
    properties = [("file", escape_text(file.replace("\\", "/")))]
    if finding.line is not None:
        properties.append(("line", str(finding.line)))
        if finding.column is not None:
            properties.append(("col", str(finding.column)))
    title = f"{finding.rule} {finding.name}" if finding.name else finding.rule
    properties.append(("title", title))
    message = f"{finding.path}: {finding.message}" if finding.path else finding.message
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    name = COMMAND_BY_SEVERITY.get(finding.severity, "notice")
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"
