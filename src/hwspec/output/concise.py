"""The concise format, for folder runs: one line a finding, no hints or figures, and the summary
line; a file with no findings prints nothing (ten thousand passing specs print one line)."""

from __future__ import annotations

from collections.abc import Sequence

from hwspec.checker import Report
from hwspec.output import RenderOptions, escape_controls, shown
from hwspec.output.text import colorize, finding_line, in_causal_order, summary


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Every finding on its own line, then the summary."""
    return "".join(render_file(r, options) for r in reports) + render_end(reports, options)


def render_file(report: Report, options: RenderOptions) -> str:
    """One file's findings, a line each (nothing for a file without findings), a knock-on of an
    unknown part id after it; every string from an input passes :func:`hwspec.escape.text`
    first (``shown``; the facts and outcomes, which it never prints, are left as they are)."""
    report = shown(report, facts=False, outcomes=False)
    return colorize(escape_controls("".join(f"{finding_line(report.path, f)}\n"
                                            for f in in_causal_order(report.findings))),
                    options)


def render_end(reports: Sequence[Report], options: RenderOptions) -> str:
    """The summary line; it reads only each report's path and findings."""
    reports = [shown(r, facts=False, outcomes=False) for r in reports]
    return colorize(escape_controls(summary(reports, options) + "\n"), options)
