"""The GitHub format: one workflow command a finding, which GitHub Actions shows as an annotation.

``::error file=specs/x.toml,line=20,col=1,title=MEM001 memory-kind-supported::message`` — error
findings are ``::error``, warnings ``::warning``, anything else ``::notice``. The run ends with the
text format's summary line. docs/output-formats.md describes the format.
"""

from __future__ import annotations

from collections.abc import Sequence

from hwspec.checker import Report
from hwspec.findings import Finding
from hwspec.output import RenderOptions, escape_controls
from hwspec.output.text import summary

COMMAND_BY_SEVERITY = {"error": "error", "warning": "warning"}
"""hwspec severity -> workflow command; any other severity (``info``) is a ``notice``."""


def escape_data(text: str) -> str:
    """Escape a command's message the way the Actions runner reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """One workflow command a finding, then the summary line."""
    lines = [command(f, report.path) for report in reports for f in report.findings]
    lines.append(summary(reports, options))
    return escape_controls("\n".join(lines) + "\n")


def command(finding: Finding, file: str) -> str:
    """The workflow command that annotates one finding in its file."""
    properties = [("file", file.replace("\\", "/"))]
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
