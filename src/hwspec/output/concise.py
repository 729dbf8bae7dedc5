"""The concise format, for folder runs: one line a finding, no hints or figures, and the summary
line; a file with no findings prints nothing (ten thousand passing specs print one line)."""

from __future__ import annotations

from collections.abc import Sequence

from hwspec.checker import Report
from hwspec.output import RenderOptions, escape_controls, shown
from hwspec.output.text import colorize, finding_line, summary


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Every finding on its own line, then the summary."""
    reports = [shown(r) for r in reports]
    lines = [finding_line(report.path, f) for report in reports for f in report.findings]
    lines.append(summary(reports, options))
    return colorize(escape_controls("\n".join(lines) + "\n"), options)
