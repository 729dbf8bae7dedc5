"""Render ``hwspec report`` and ``hwspec diff``: text with bar charts, Markdown tables, JSON.

``render_report(report, fmt)`` and ``render_diff(diff, fmt)`` take the records of
``hwspec.views.report`` and a format name from ``REPORT_FORMATS``. Output depends only on the
records: bars are a fixed ``BAR_WIDTH`` characters wide whatever the terminal, so it can be
pinned in tests and pasted into reviews. The JSON document is described in docs/report.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hwspec.escape import json_document, markdown, markdown_code
from hwspec.escape import text as escape_text
from hwspec.facts import BomLine
from hwspec.findings import Finding
from hwspec.output import DIFF_FORMATS, REPORT_FORMATS, deep, escape_controls
from hwspec.output.text import finding_line, plural
from hwspec.views.report import (
    Bill,
    BuildDiff,
    BuildReport,
    Change,
    Launch,
    MemoryBudget,
    PartChange,
    PowerBudget,
    Working,
    money,
    number,
)

REPORT_FORMAT_VERSION = 1
"""Version of the report and diff JSON documents: bumped when a key changes meaning or goes
away; new keys do not bump it."""

BAR_WIDTH = 40
"""Characters inside the brackets of a text bar chart."""

USED, FREE, RESERVE, OVER = "#", ".", "-", "!"
"""Bar characters: memory or power in use, free or headroom, PSU rating above the limit, short
or over the limit."""

TIMES = "\u00d7"
"""The multiplication sign of a bill line: ``2 \u00d7 49,000 = 98,000``."""


def render_report(report: BuildReport, fmt: str) -> str:
    """Render one build's report as ``text``, ``markdown``, ``json`` or ``html``. Every string
    from an input passes :func:`hwspec.escape.text` first (JSON:
    :func:`hwspec.escape.json_document`, which keeps them as they are, escaped for JSON)."""
    if fmt == "html":  # loaded only when asked for
        from hwspec.output.report_html import report_html

        return escape_controls(report_html(deep(report, escape_text)))
    renderers: dict[str, Callable[[BuildReport], str]] = {
        "text": report_text, "markdown": report_markdown, "json": report_json}
    _check_format(fmt)
    if fmt == "json":
        return report_json(report)
    return escape_controls(renderers[fmt](deep(report, escape_text)))


def render_diff(diff: BuildDiff, fmt: str) -> str:
    """Render how two builds differ as ``text``, ``markdown`` or ``json``, input strings escaped
    as :func:`render_report` escapes them."""
    renderers: dict[str, Callable[[BuildDiff], str]] = {
        "text": diff_text, "markdown": diff_markdown, "json": diff_json}
    _check_format(fmt, DIFF_FORMATS)
    if fmt == "json":
        return diff_json(diff)
    return escape_controls(renderers[fmt](deep(diff, escape_text)))


def _check_format(fmt: str, formats: tuple[str, ...] = REPORT_FORMATS) -> None:
    if fmt not in formats:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(formats)}")


# Shared wording ------------------------------------------------------------------------------

def verdict(report: BuildReport) -> str:
    """``FAILED, 1 error, 2 warnings`` or ``ok, 0 errors, 1 warning``."""
    word = "ok" if report.passes() else "FAILED"
    return f"{word}, {plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"


def title(report: BuildReport) -> str:
    """The build's name and file: ``Dual EPYC 9655 for DeepSeek-R1 (specs/epyc-dual.toml)``."""
    return f"{report.name} ({report.path})" if report.name else report.path


def line_part(line: BomLine, part_id: Callable[[str], str] = "[{}]".format) -> str:
    """What a bill line buys: ``AMD EPYC 9655 [amd-epyc-9655]``, and kits as modules."""
    text = " ".join(x for x in (line.name, part_id(line.part) if line.part else None) if x)
    if line.modules_per_kit is not None and line.modules_per_kit > 1:
        text += f"; {line.count} kits of {line.modules_per_kit} = {line.modules} modules"
    return text


def quoted_note(bill: Bill) -> str:
    """How the stated total compares with the lines: ``10 CNY more than the lines``."""
    diff = bill.quoted_difference
    if diff is None:
        return ""
    if abs(diff) < 0.5:
        return "matches the lines"
    side = "more" if diff > 0 else "less"
    return f"{money(abs(diff))} {bill.currency} {side} than the lines"


def budget_note(bill: Bill) -> str:
    """How the total compares with the budget: ``1,555 CNY left`` or ``200 CNY over``."""
    headroom = bill.headroom
    if headroom is None:
        return ""
    if headroom >= 0:
        return f"{money(headroom)} {bill.currency} left"
    return f"{money(-headroom)} {bill.currency} over"


def memory_headline(memory: MemoryBudget) -> str:
    """``658.4 GiB required of 768 GiB installed, 109.6 GiB free`` (or ``... short``), and with
    offload what the GPUs hold: ``; GPUs 40.1 GiB of 96 GiB VRAM, 55.9 GiB free``."""
    state = (f"{number(memory.free_gib, 1)} GiB free" if memory.margin_gib >= 0
             else f"{number(memory.shortfall_gib, 1)} GiB short")
    text = (f"{number(memory.required_gib, 1)} GiB required of "
            f"{number(memory.capacity_gib, 1)} GiB {memory.capacity_is}, {state}")
    if memory.gpu_required_gib is not None:
        text += f"; GPUs {number(memory.gpu_required_gib, 1)} GiB"
        if memory.vram_gib is not None and memory.gpu_margin_gib is not None:
            margin = memory.gpu_margin_gib
            text += (f" of {number(memory.vram_gib, 1)} GiB VRAM, "
                     f"{number(abs(margin), 1)} GiB {'free' if margin >= 0 else 'short'}")
    return text


def power_headline(power: PowerBudget) -> str:
    """``800 W on a 1,200 W PSU (67%); limit 80% = 960 W, 160 W headroom``."""
    state = (f"{number(power.headroom_w)} W headroom" if power.headroom_w >= 0
             else f"{number(-power.headroom_w)} W over")
    return (f"{number(power.load_w)} W on a {number(power.psu_w)} W PSU "
            f"({power.load_fraction:.0%}); limit {power.max_load:.0%} = "
            f"{number(power.limit_w)} W, {state}")


def memory_rows(memory: MemoryBudget) -> list[tuple[str, float, float, str]]:
    """Segments of the memory budget as (label, start GiB, end GiB, bar character)."""
    weights_end = memory.weights_gib
    kv_end = weights_end + memory.kv_cache_gib
    weights = "weights" if memory.weight_copies == 1 else f"weights x{memory.weight_copies}"
    rows = [(weights, 0.0, weights_end, USED), ("KV cache", weights_end, kv_end, USED),
            ("overhead", kv_end, memory.required_gib, USED)]
    if memory.margin_gib >= 0:
        rows.append(("free", memory.required_gib, memory.capacity_gib, FREE))
    else:
        rows.append(("short", memory.capacity_gib, memory.required_gib, OVER))
    return rows


def power_rows(power: PowerBudget) -> list[tuple[str, float, float, str]]:
    """Segments of the power budget as (label, start W, end W, bar character)."""
    rows: list[tuple[str, float, float, str]] = []
    start = 0.0
    for label, watts in power.parts:
        rows.append((label, start, start + watts, USED))
        start += watts
    if power.unassigned_w > 0 or not rows:
        rows.append(("other parts", start, power.load_w, USED))
    if power.headroom_w >= 0:
        rows.append(("headroom", power.load_w, power.limit_w, FREE))
    else:
        rows.append(("over limit", power.limit_w, power.load_w, OVER))
    top = max(power.load_w, power.limit_w)
    if power.psu_w > top:
        # The share of the rating PWR001 keeps unused: a reserve, not an overload.
        rows.append(("reserve", top, power.psu_w, RESERVE))
    return rows


def _bar(start: float, end: float, scale: float, char: str, width: int = BAR_WIDTH) -> str:
    def position(x: float) -> int:
        return min(width, max(0, math.floor(x / scale * width + 0.5)))

    a, b = position(start), position(end)
    return "[" + " " * a + char * (b - a) + " " * (width - b) + "]"


def _signed(delta: float, show: Callable[[float], str]) -> str:
    text = show(abs(delta))
    if delta == 0 or not any(c in "123456789" for c in text):
        return show(0.0)
    return ("+" if delta > 0 else "-") + text


def change_value(change: Change, value: float | None, *, old: bool = False) -> str:
    """One side of a change with its unit: ``768 GiB``, ``67%``, ``128,445 CNY`` (the old side
    in its own currency where the builds are priced in two)."""
    if value is None:
        return "unknown"
    if old and change.old_unit is not None:
        return f"{money(value)} {change.old_unit}"
    return _show(change)(value)


def change_delta(change: Change) -> str:
    """New minus old with a sign and unit: ``+10 GiB``, ``-17 pp``, ``0 GB/s``, ``n/a``."""
    if change.delta is None:
        return "n/a"
    if change.unit == "%":
        return _signed(change.delta * 100, lambda x: f"{x:.0f} pp")
    return _signed(change.delta, _show(change))


def _show(change: Change) -> Callable[[float], str]:
    unit = change.unit
    if unit == "%":
        return lambda x: f"{x:.0%}"
    if unit in ("GiB", "tokens/s", "s"):
        return lambda x: f"{number(x, 1)} {unit}"
    if unit == "bits":
        return lambda x: f"{number(x, 2)} {unit}"
    if unit in ("GB/s", "MT/s"):
        return lambda x: f"{number(x)} {unit}"
    return lambda x: f"{money(x)} {unit}".rstrip()


# Text -----------------------------------------------------------------------------------------

def report_text(report: BuildReport) -> str:
    """The report for a terminal: bill, figures, memory and power bars, findings."""
    blocks = [f"{title(report)}\nresult: {verdict(report)}"]
    if report.bill is not None:
        blocks.append(bill_text(report.bill))
    if report.figures:
        width = max(len(f.label) for f in report.figures)
        rows = [f"  {f.label:<{width}}  {f.text}" for f in report.figures]
        blocks.append("\n".join(["Figures", *rows]))
    if report.memory is not None:
        blocks.append(memory_text(report.memory))
    if report.power is not None:
        blocks.append(power_text(report.power))
    if report.workings:
        blocks.append(workings_text(report.workings))
    if report.launch is not None:
        blocks.append(launch_text(report.launch))
    findings = [f"Findings: {plural(report.errors, 'error')}, "
                f"{plural(report.warnings, 'warning')}"]
    findings += [f"  {finding_line(report.path, f)}" for f in report.findings]
    blocks.append("\n".join(findings))
    return "\n\n".join(blocks) + "\n"


def launch_text(launch: Launch) -> str:
    """The engine's command for the placement checked, its placeholders and notes."""
    lines = [f"Launch ({launch.engine}; flags from {launch.source})", f"  {launch.command}"]
    lines += [f"    {p}" for p in launch.placeholders]
    lines += [f"    note: {n}" for n in launch.notes]
    return "\n".join(lines)


def workings_text(workings: Sequence[Working]) -> str:
    """Each deciding figure with its formula and this build's numbers."""
    lines = ["How the figures are derived (formulas in hwspec.formulas, with their sources)"]
    for w in workings:
        lines += [f"  {w.label} = {w.result}", f"    {w.working}", f"    [{w.formula}]"]
    return "\n".join(lines)


def bill_text(bill: Bill) -> str:
    """The bill of materials: one line each as count x price = total, then the sums."""
    cur = bill.currency
    prices = [money(line.unit_price) if line.unit_price is not None else "?" for line in bill.lines]
    totals = [money(t) if (t := line.total) is not None else "?" for line in bill.lines]
    counts = [f"{line.count:,}" for line in bill.lines]
    keys = [line.key for line in bill.lines]
    footer: list[tuple[str, str, str]] = []
    total = bill.total
    note = f"unpriced, not counted: {', '.join(bill.unpriced)}" if bill.unpriced else ""
    footer.append(("total", money(total) if total is not None else "?", note))
    if bill.quoted_total is not None:
        footer.append(("stated total", money(bill.quoted_total), quoted_note(bill)))
    if bill.budget is not None:
        footer.append(("budget", money(bill.budget), budget_note(bill)))
    kw = max(map(len, keys), default=0)
    cw = max(map(len, counts), default=0)
    pw = max(map(len, prices), default=0)
    tw = max(len(x) for x in [*totals, *(amount for _, amount, _ in footer)])
    rows = [f"Bill of materials ({cur})"]
    rows += [f"  {k:<{kw}}  {c:>{cw}} {TIMES} {p:>{pw}} = {t:>{tw}}  {line_part(line)}".rstrip()
             for k, c, p, t, line in zip(keys, counts, prices, totals, bill.lines, strict=True)]
    lead = max(kw + 2 + cw + 3 + pw + 3, *(len(label) + 1 for label, _, _ in footer))
    for label, amount, extra in footer:
        rows.append(f"  {label:<{lead}}{amount:>{tw}} {cur}" + (f", {extra}" if extra else ""))
    return "\n".join(rows)


def _chart(rows: Sequence[tuple[str, float, float, str]], scale: float, base: float,
           show: Callable[[float], str]) -> list[str]:
    lw = max(len(label) for label, *_ in rows)
    values = [show(end - start) for _, start, end, _ in rows]
    vw = max(map(len, values))
    shares = [f"{(end - start) / base:.1%}" for _, start, end, _ in rows]
    sw = max(map(len, shares))
    return [f"  {label:<{lw}}  {_bar(start, end, scale, char)}  {value:>{vw}}  {share:>{sw}}"
            for (label, start, end, char), value, share in zip(rows, values, shares, strict=True)]


def memory_text(memory: MemoryBudget) -> str:
    """The memory budget as a heading and one bar per segment, shares of the capacity."""
    scale = max(memory.capacity_gib, memory.required_gib)
    rows = _chart(memory_rows(memory), scale, memory.capacity_gib,
                  lambda x: f"{number(x, 1)} GiB")
    return "\n".join([f"Memory budget: {memory_headline(memory)}", *rows])


def power_text(power: PowerBudget) -> str:
    """The power budget as a heading and one bar per segment, shares of the PSU rating."""
    scale = max(power.psu_w, power.load_w)
    rows = _chart(power_rows(power), scale, power.psu_w, lambda x: f"{number(x)} W")
    rows.extend(f"  {line}" for line in power_notes(power))
    return "\n".join([f"Power budget: {power_headline(power)}", *rows])


def power_notes(power: PowerBudget) -> list[str]:
    """What the bars leave out: the peak against the PSU's 1 ms limit, the wall draw, the
    class figures standing in for parts' own, and the parts with no figure."""
    notes = [f"power limit {limit}" for limit in power.limits]
    if power.peak_w is not None and power.psu_peak_w is not None:
        notes.append(f"peak {number(power.peak_w)} W against the {number(power.psu_peak_w)} W "
                     "the PSU delivers for 1 ms")
    if power.wall_w is not None:
        notes.append(f"{number(power.wall_w)} W at the wall")
    if power.decode_draw_w is not None:
        notes.append(f"{number(power.decode_draw_w)} W while decoding ({power.decode_basis})")
    elif power.decode_basis is not None:
        notes.append(f"draw while decoding {power.decode_basis}")
    notes.extend(f"assumed {item}" for item in power.assumed)
    if power.uncounted:
        notes.append(f"no power figure for {', '.join(power.uncounted)}: "
                     "the load is a lower bound")
    return notes


def shown_changes(diff: BuildDiff) -> list[Any]:
    """The figures a person reads: every one but those unknown on both sides with nothing to
    say (a GPU-only build has no system memory to compare); JSON keeps them all."""
    return [c for c in diff.changes if c.old is not None or c.new is not None or c.note]


def setting(value: str | None) -> str:
    """A workload setting as a diff shows it: the value, or "not given"."""
    return value if value is not None else "not given"


def part_change_text(change: PartChange, diff: BuildDiff) -> str:
    """One changed bill line as a person reads it: what it was, what it is."""
    def side(line: BomLine | None, report: BuildReport) -> str:
        if line is None:
            return "none"
        currency = report.bill.currency if report.bill else ""
        price = (f" at {money(line.unit_price)} {currency}" if line.unit_price is not None
                 else ", unpriced")
        return f"{line.count} x {line_part(line).split('; ')[0]}{price}"

    return f"{change.what}: {side(change.old, diff.old)} -> {side(change.new, diff.new)}"


def diff_text(diff: BuildDiff) -> str:
    """How two builds differ, for a terminal: the figures side by side, then the findings."""
    old, new = diff.old, diff.new
    blocks = [f"{title(old)}\n  -> {title(new)}\n"
              f"result: {verdict(old)} -> {verdict(new)}"]
    if diff.settings:
        blocks.append("\n".join([f"Workload changed: {len(diff.settings)}",
                                  *(f"  {c.label}: {setting(c.old)} -> {setting(c.new)}"
                                    for c in diff.settings)]))
    table = [("figure", "old", "new", "change")]
    changes = shown_changes(diff)
    table += [(c.label, change_value(c, c.old, old=True), change_value(c, c.new), change_delta(c))
              for c in changes]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    rows = []
    for (label, a, b, d), change in zip(table, (None, *changes), strict=True):
        row = (f"  {label:<{widths[0]}}  {a:>{widths[1]}}  {b:>{widths[2]}}  "
               f"{d:>{widths[3]}}")
        if change is not None and change.note:
            row += f"  ({change.note})"
        rows.append(row)
    blocks.append("\n".join(rows))
    if diff.parts:
        blocks.append("\n".join([f"Parts changed: {len(diff.parts)}",
                                  *(f"  {p.key}: {part_change_text(p, diff)}"
                                    for p in diff.parts)]))
    for heading, mark, findings, path in (
        ("went away", "-", diff.disappeared, old.path),
        ("appeared", "+", diff.appeared, new.path),
        ("in both", "=", diff.unchanged, new.path),
    ):
        lines = [f"Findings {heading}: {len(findings)}"]
        lines += [f"  {mark} {finding_line(path, f)}" for f in findings]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# Markdown -------------------------------------------------------------------------------------

cell = markdown
"""Text from a spec or a catalog made inert for a Markdown table cell in a pull-request comment
(:func:`hwspec.escape.markdown`)."""


code = markdown_code
"""Text as inline code for a table cell (:func:`hwspec.escape.markdown_code`)."""


def md_table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> str:
    """A GitHub Markdown table; ``align`` has one letter per column, ``l`` or ``r``."""
    marks = {"l": "---", "r": "---:"}
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report_markdown(report: BuildReport) -> str:
    """The report as Markdown tables, for a pull-request comment."""
    head = f"## {cell(report.name or report.path)}\n\n{code(report.path)}: **{verdict(report)}**"
    # What to act on comes first, as a reviewer reads a pull-request comment from the top.
    blocks = [head, "### Findings\n\n" + findings_markdown(report.findings, report.rule_docs)]
    if report.bill is not None:
        blocks.append("### Bill of materials\n\n" + bill_markdown(report.bill))
    if report.figures:
        rows = [(cell(f.label), cell(f.text)) for f in report.figures]
        blocks.append("### Figures\n\n" + md_table(("Figure", "Value"), "lr", rows))
    if report.memory is not None:
        memory = report.memory
        shares = [(label, f"{number(end - start, 1)} GiB",
                   f"{(end - start) / memory.capacity_gib:.1%}")
                  for label, start, end, _ in memory_rows(memory)]
        blocks.append(f"### Memory budget\n\n{memory_headline(memory)}.\n\n"
                      + _bars(memory_text(memory)) + "\n\n"
                      + md_table(("Segment", "Size", "Share of capacity"), "lrr", shares))
    if report.power is not None:
        power = report.power
        loads = [(label, f"{number(end - start)} W", f"{(end - start) / power.psu_w:.1%}")
                 for label, start, end, _ in power_rows(power)]
        text = (f"### Power budget\n\n{power_headline(power)}.\n\n"
                + _bars(power_text(power)) + "\n\n"
                + md_table(("Segment", "Power", "Share of PSU"), "lrr", loads))
        notes = power_notes(power)
        if notes:
            text += "\n\n" + "\n".join(f"- {cell(line)}" for line in notes)
        blocks.append(text)
    if report.workings:
        workings = [(cell(w.label), cell(w.working), cell(w.result), code(w.formula))
                    for w in report.workings]
        blocks.append("### How the figures are derived\n\n"
                      + md_table(("Figure", "Working", "Result", "Formula"), "lllr", workings))
    if report.launch is not None:
        launch = report.launch
        items = [*(f"- {cell(p)}" for p in launch.placeholders),
                 *(f"- note: {cell(n)}" for n in launch.notes)]
        blocks.append("\n\n".join([f"### Launch ({cell(launch.engine)})",
                                    code(launch.command), *(["\n".join(items)] if items else []),
                                    f"Flags from {cell(launch.source)}."]))
    return "\n\n".join(blocks) + "\n"


def _bars(chart: str) -> str:
    """A text chart's bars (its heading line left out) as a fenced block, so a pull-request
    comment shows them as a terminal does."""
    rows = [line for line in chart.splitlines()[1:] if "[" in line]
    return "```text\n" + "\n".join(rows) + "\n```"


def bill_markdown(bill: Bill) -> str:
    """The bill of materials as one table, the sums as its last rows."""
    cur = bill.currency
    rows = [(code(line.key), _part_markdown(line),
             money(line.unit_price) if line.unit_price is not None else "unpriced",
             f"{line.count:,}", money(t) if (t := line.total) is not None else "unpriced")
            for line in bill.lines]
    total = bill.total
    note = f"unpriced, not counted: {', '.join(bill.unpriced)}" if bill.unpriced else ""
    rows.append(("**total**", cell(note), "", "",
                 f"**{money(total)} {cur}**" if total is not None else "unknown"))
    if bill.quoted_total is not None:
        rows.append(("stated total", cell(quoted_note(bill)), "", "",
                     f"{money(bill.quoted_total)} {cur}"))
    if bill.budget is not None:
        rows.append(("budget", cell(budget_note(bill)), "", "", f"{money(bill.budget)} {cur}"))
    return md_table(("Line", "Part", f"Unit price ({cur})", "Count", f"Total ({cur})"),
                    "llrrr", rows)


def _part_markdown(line: BomLine) -> str:
    """The bill line's part for Markdown: its name escaped, its catalog id as code."""
    text = " ".join(x for x in (cell(line.name) if line.name else None,
                                code(line.part) if line.part else None) if x)
    if line.modules_per_kit is not None and line.modules_per_kit > 1:
        text += f"; {line.count} kits of {line.modules_per_kit} = {line.modules} modules"
    return text


def findings_markdown(findings: Sequence[Finding], docs: Mapping[str, str]) -> str:
    """Findings as a table, each rule linked to its section in ``docs`` where it has one, or a
    sentence when there are none."""
    if not findings:
        return "No findings."
    rows = [(_rule_link(f.rule, docs), f.severity, code(f.path) if f.path else "",
             str(f.line) if f.line else "", cell(f.message), cell(f.hint or ""))
            for f in findings]
    return md_table(("Rule", "Severity", "Key", "Line", "Message", "Hint"), "lllrll", rows)


def _rule_link(rule: str, docs: Mapping[str, str]) -> str:
    """A rule id linked to its documentation where it has one."""
    url = docs.get(rule)
    return f"[{cell(rule)}]({url})" if url else cell(rule)


def diff_markdown(diff: BuildDiff) -> str:
    """How two builds differ, as Markdown tables for a pull-request comment."""
    old, new = diff.old, diff.new
    head = (f"## {cell(old.name or old.path)} → {cell(new.name or new.path)}\n\n"
            f"{code(old.path)}: **{verdict(old)}** → {code(new.path)}: **{verdict(new)}**")
    rows = [(cell(c.label), change_value(c, c.old, old=True), change_value(c, c.new),
             change_delta(c), cell(c.note)) for c in shown_changes(diff)]
    blocks = [head]
    if diff.settings:
        blocks.append("### Workload changed\n\n" + md_table(
            ("Setting", "Old", "New"), "lll",
            [(cell(c.label), cell(setting(c.old)), cell(setting(c.new))) for c in diff.settings]))
    blocks.append("### Figures\n\n"
                  + md_table(("Figure", "Old", "New", "Change", "Note"), "lrrrl", rows))
    if diff.parts:
        parts = [(code(p.key), p.what, cell(part_change_text(p, diff).split(": ", 1)[1]))
                 for p in diff.parts]
        blocks.append("### Parts changed\n\n" + md_table(("Line", "Change", "Old -> new"),
                                                           "lll", parts))
    for heading, findings in (("Findings that went away", diff.disappeared),
                              ("Findings that appeared", diff.appeared),
                              ("Findings in both", diff.unchanged)):
        table = findings_markdown(findings, {**old.rule_docs, **new.rule_docs})
        blocks.append(f"### {heading}\n\n{table}")
    return "\n\n".join(blocks) + "\n"


# JSON -----------------------------------------------------------------------------------------

def _json_number(value: float | None) -> float | int | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() and abs(rounded) < 2**53 else rounded


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int | float):
        return _json_number(value)
    return str(value)  # pragma: no cover - facts are numbers, booleans, strings or lists


def finding_data(finding: Finding) -> dict[str, Any]:
    """One finding as JSON data."""
    return {"rule": finding.rule, "name": finding.name, "severity": finding.severity,
            "path": finding.path, "line": finding.line, "message": finding.message,
            "hint": finding.hint}


def report_data(report: BuildReport) -> dict[str, Any]:
    """The report as JSON-ready data (without the version and kind keys)."""
    bill = report.bill
    memory, power = report.memory, report.power
    return {
        "path": report.path,
        "name": report.name,
        "ok": report.passes(),
        "errors": report.errors,
        "warnings": report.warnings,
        "bill": None if bill is None else {
            "currency": bill.currency,
            "lines": [{"key": line.key, "part": line.part, "name": line.name,
                       "unit_price": _json_number(line.unit_price), "count": line.count,
                       "modules_per_kit": line.modules_per_kit, "modules": line.modules,
                       "total": _json_number(line.total)} for line in bill.lines],
            "total": _json_number(bill.total),
            "unpriced": list(bill.unpriced),
            "quoted_total": _json_number(bill.quoted_total),
            "quoted_difference": _json_number(bill.quoted_difference),
            "budget": _json_number(bill.budget),
            "headroom": _json_number(bill.headroom),
        },
        "figures": [{"key": f.key, "label": f.label, "value": _json_value(f.value),
                     "unit": f.unit, "text": f.text} for f in report.figures],
        "memory_budget": None if memory is None else {
            "capacity_gib": _json_number(memory.capacity_gib),
            "weights_gib": _json_number(memory.weights_gib),
            "kv_cache_gib": _json_number(memory.kv_cache_gib),
            "overhead_gib": _json_number(memory.overhead_gib),
            "required_gib": _json_number(memory.required_gib),
            "margin_gib": _json_number(memory.margin_gib),
            "free_gib": _json_number(memory.free_gib),
            "shortfall_gib": _json_number(memory.shortfall_gib),
            "weight_copies": memory.weight_copies,
            "gpu_required_gib": _json_number(memory.gpu_required_gib),
            "vram_gib": _json_number(memory.vram_gib),
            "gpu_margin_gib": _json_number(memory.gpu_margin_gib),
        },
        "power_budget": None if power is None else {
            "cpu_w": _json_number(power.cpu_w),
            "other_w": _json_number(power.other_w),
            "load_w": _json_number(power.load_w),
            "psu_w": _json_number(power.psu_w),
            "load_fraction": _json_number(power.load_fraction),
            "max_load": _json_number(power.max_load),
            "limit_w": _json_number(power.limit_w),
            "headroom_w": _json_number(power.headroom_w),
            "uncounted": list(power.uncounted),
            "parts": [{"group": label, "watts": _json_number(watts)}
                      for label, watts in power.parts],
            "assumed": list(power.assumed),
            "peak_w": _json_number(power.peak_w),
            "psu_peak_w": _json_number(power.psu_peak_w),
            "wall_w": _json_number(power.wall_w),
            "limits": list(power.limits),
            "decode_draw_w": _json_number(power.decode_draw_w),
            "decode_basis": power.decode_basis,
        },
        "bandwidth": [{"device": b.label, "gbs": _json_number(b.gbs), "count": b.count}
                      for b in report.bandwidth],
        "decode": None if report.decode is None else {
            "bound": _json_number(report.decode.bound),
            "expected": _json_number(report.decode.expected),
            "low": _json_number(report.decode.low),
            "high": _json_number(report.decode.high),
            "target": _json_number(report.decode.target),
        },
        "launch": None if report.launch is None else {
            "engine": report.launch.engine,
            "command": report.launch.command,
            "placeholders": list(report.launch.placeholders),
            "notes": list(report.launch.notes),
            "source": report.launch.source,
        },
        "workings": [{"label": w.label, "formula": f"hwspec.formulas.{w.formula}",
                      "working": w.working, "result": w.result} for w in report.workings],
        "findings": [finding_data(f) for f in report.findings],
    }


def report_document(report: BuildReport) -> dict[str, Any]:
    """The report's JSON document as Python data."""
    return {"version": REPORT_FORMAT_VERSION, "kind": "report", **report_data(report)}


def diff_document(diff: BuildDiff) -> dict[str, Any]:
    """The diff's JSON document as Python data."""

    def side(report: BuildReport) -> dict[str, Any]:
        return {"path": report.path, "name": report.name, "ok": report.passes(),
                "errors": report.errors, "warnings": report.warnings}

    return {
        "version": REPORT_FORMAT_VERSION,
        "kind": "diff",
        "old": side(diff.old),
        "new": side(diff.new),
        "changes": [{"key": c.key, "label": c.label, "unit": c.unit,
                     "old_unit": c.old_unit or c.unit,
                     "old": _json_number(c.old), "new": _json_number(c.new),
                     "delta": _json_number(c.delta), "note": c.note} for c in diff.changes],
        "settings": [{"key": c.key, "label": c.label, "old": c.old, "new": c.new}
                     for c in diff.settings],
        "parts": [{"key": p.key, "change": p.what, "old": _line_data(p.old),
                   "new": _line_data(p.new)} for p in diff.parts],
        "findings": {
            "disappeared": [finding_data(f) for f in diff.disappeared],
            "appeared": [finding_data(f) for f in diff.appeared],
            "unchanged": [finding_data(f) for f in diff.unchanged],
        },
    }


def _line_data(line: BomLine | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"part": line.part, "name": line.name, "count": line.count,
            "unit_price": _json_number(line.unit_price)}


def report_json(report: BuildReport) -> str:
    """The report as indented JSON, UTF-8 valid and safe to print."""
    return json_document(json.dumps(report_document(report), indent=2,
                                    ensure_ascii=False)) + "\n"


def diff_json(diff: BuildDiff) -> str:
    """The diff as indented JSON, UTF-8 valid and safe to print."""
    return json_document(json.dumps(diff_document(diff), indent=2,
                                    ensure_ascii=False)) + "\n"
