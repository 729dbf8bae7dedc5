"""``hwspec report --format html``: one self-contained page that answers at a glance.

The page opens with a summary (the verdict, whether the model fits, the decode speed at the
start and at the full context, the prefill and time to first token against their targets, the
cost against the budget, the load against the PSU), then the findings, the charts (the memory
budget, each GPU's memory, the bandwidth, the power budget, the cost, the decode speed) and the
bill, the figures and their workings. Each section is one function of ``SECTIONS``.

Nothing is loaded from elsewhere: the styles are inline, the charts are SVG written here, and
the page runs no script. The charts are a few horizontal bars each, which small templates draw
exactly; a chart library would add a dependency (and pygal, the pure-Python one, links its
tooltip script from a CDN unless told not to) for less control of the result. Bars are placed
in percentages of the chart's width, so a chart fills a phone's screen as it fills a desktop's
with its text at the same size. Every colour stands for one meaning on the whole page
(``MEANINGS``), and each chart has a legend of the colours it uses. The page follows the
reader's dark mode (``prefers-color-scheme``) and prints with no chart split from its caption.
Every spec and catalog string is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape

from attrs import frozen

from hwspec.findings import Finding
from hwspec.views.report import (
    Bandwidth,
    Bill,
    BuildReport,
    DecodeBudget,
    MemoryBudget,
    PowerBudget,
    money,
    number,
)
from hwspec.views.summary import GpuCard, SummaryItem

MEANINGS: dict[str, tuple[str, str, str]] = {
    # key: (legend label, colour in light mode, colour in dark mode)
    "weights": ("weights", "#2b6cb0", "#4a90d9"),
    "kv": ("KV cache", "#63b3ed", "#90cdf4"),
    "overhead": ("overhead", "#9f7aea", "#b794f4"),
    "free": ("free", "#cfd8e1", "#3b4654"),
    "over": ("short or over the limit", "#c53030", "#f56565"),
    "cpu": ("CPUs", "#dd6b20", "#f6934c"),
    "gpu": ("GPUs", "#38a169", "#5cc98a"),
    "memory": ("memory", "#2c9a94", "#4fd1c5"),
    "board": ("board", "#8a5a1e", "#c4924f"),
    "storage": ("storage", "#c9a227", "#ecc94b"),
    "cooling": ("fans and cooling", "#64748b", "#94a3b8"),
    "system": ("the machine", "#b83280", "#ed64a6"),
    "other": ("other parts", "#a0a0a0", "#7c7c7c"),
    "headroom": ("headroom", "#b7e4c7", "#22543d"),
    "reserve": ("PSU reserve", "#ede3cc", "#4a4030"),
    "peak": ("peak", "#4a5568", "#cbd5e0"),
    "price": ("price of the line", "#4c51bf", "#7f9cf5"),
    "bound": ("bandwidth bound", "#b8c4d0", "#52606d"),
    "range": ("expected range", "#f6c971", "#b7791f"),
    "expected": ("expected", "#1a365d", "#fefcbf"),
    "limit": ("limit or target", "#7b1d1d", "#feb2b2"),
}
"""Every colour of the page and the one thing it stands for, in every chart that uses it."""

POWER_MEANINGS = {"CPUs": "cpu", "GPUs": "gpu", "memory": "memory", "board": "board",
                  "storage": "storage", "fans and cooling": "cooling"}
"""The power budget's part groups (their labels in the part-kind registry) by meaning."""

ROW = 44
"""Height of one bar's row in a chart: its label line and the bar, in CSS pixels."""
LINE = 44
"""Characters of a chart's label line (a label and its note) that a phone's width holds."""

_COLOURS = "\n".join(
    f"  --{key}: {light};" for key, (_, light, _) in MEANINGS.items())
_DARK = "\n".join(f"    --{key}: {dark};" for key, (_, _, dark) in MEANINGS.items())
_CLASSES = "\n".join(
    f".m-{key} {{ fill: var(--{key}); stroke: var(--{key}); background: var(--{key}); }}"
    for key in MEANINGS)

STYLE = f"""
:root {{
  color-scheme: light dark;
  --ink: #1d2733; --muted: #4a5866; --paper: #ffffff; --rule: #dde3ea; --card: #f5f7fa;
  --ok: #2d7a2d; --error: #b0281a; --warning: #8a5d00; --unknown: #5a4a8a; --info: #3b5a7a;
{_COLOURS}
}}
@media (prefers-color-scheme: dark) {{
  :root {{
    --ink: #e2e8f0; --muted: #a0aec0; --paper: #14181f; --rule: #2d3748; --card: #1d2430;
    --ok: #68d391; --error: #fc8181; --warning: #f6e05e; --unknown: #b794f4; --info: #90cdf4;
{_DARK}
  }}
}}
{_CLASSES}
* {{ box-sizing: border-box; }}
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 980px;
       color: var(--ink); background: var(--paper); padding: 0 1rem; overflow-wrap: break-word; }}
h1 {{ font-size: 1.5rem; margin-bottom: .2rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
a {{ color: var(--info); }}
.verdict {{ font-weight: 600; }} .fail {{ color: var(--error); }} .pass {{ color: var(--ok); }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0; }}
th, td {{ text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--rule);
         vertical-align: top; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.error {{ color: var(--error); font-weight: 600; }}
.warning {{ color: var(--warning); font-weight: 600; }}
.hint {{ color: var(--muted); }} code {{ font-size: .92em; }}
.summary {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
           gap: .6rem; margin: 1rem 0; padding: 0; }}
.answer {{ background: var(--card); border-left: 5px solid var(--muted); border-radius: 4px;
          padding: .5rem .7rem; margin: 0; }}
.answer dt {{ color: var(--muted); font-size: .85rem; }}
.answer dd {{ margin: 0; }}
.answer .said {{ font-size: 1.2rem; font-weight: 650; }}
.answer .detail {{ font-size: .88rem; color: var(--muted); }}
.answer.s-ok {{ border-color: var(--ok); }} .answer.s-error {{ border-color: var(--error); }}
.answer.s-warning {{ border-color: var(--warning); }}
.answer.s-unknown {{ border-color: var(--unknown); border-left-style: dashed; }}
.answer.s-info {{ border-color: var(--info); }}
.state {{ font-size: .8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
         margin-left: .4rem; }}
.state.s-ok {{ color: var(--ok); }} .state.s-error {{ color: var(--error); }}
.state.s-warning {{ color: var(--warning); }} .state.s-unknown {{ color: var(--unknown); }}
.state.s-info {{ color: var(--info); }}
.said.s-error {{ color: var(--error); }}
@media (max-width: 40rem) {{
  .findings tr:first-child {{ display: none; }}
  .findings tr {{ display: block; padding: .4rem 0; border-bottom: 1px solid var(--rule); }}
  .findings td {{ display: inline; border: none; padding: 0 .5rem 0 0; }}
  .findings td.message {{ display: block; padding-top: .2rem; }}
  .findings td.line::before {{ content: "line "; }}
}}
figure {{ margin: 1.2rem 0; break-inside: avoid; page-break-inside: avoid; }}
figcaption {{ color: var(--muted); margin-bottom: .3rem; }}
svg.chart {{ display: block; width: 100%; overflow: hidden; }}
svg text {{ font: 13px system-ui, sans-serif; fill: var(--ink); stroke: none; }}
svg rect {{ stroke: none; }} svg rect.m-free {{ stroke: var(--muted); stroke-width: .5; }}
svg line {{ stroke-width: 2; }}
.legend {{ list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0;
          margin: .3rem 0 0; font-size: .85rem; }}
.legend li {{ display: flex; align-items: center; gap: .35rem; }}
.swatch {{ display: inline-block; width: .9rem; height: .9rem; border-radius: 2px;
          border: .5px solid var(--muted); }}
.swatch.line {{ width: 3px; height: 1rem; border: none; }}
@media print {{
  :root {{ color-scheme: light; }}
  body {{ max-width: none; margin: 0; font-size: 11pt; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  .scroll {{ overflow: visible; }}
  h2 {{ break-after: avoid; page-break-after: avoid; }}
  tr, .answer {{ break-inside: avoid; page-break-inside: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def report_html(report: BuildReport) -> str:
    """The whole page for one build's report."""
    name = report.name or report.path
    body = [section(report) for section in SECTIONS]
    return ("<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
            '<meta name=viewport content="width=device-width, initial-scale=1">\n'
            '<meta name=color-scheme content="light dark">\n'
            # No network: nothing may load, not even a favicon.
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{escape(name)}: hwspec report</title>\n<style>{STYLE}</style>\n"
            "</head>\n<body>\n" + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")


# Sections, in page order ------------------------------------------------------------------------

def _heading(report: BuildReport) -> str:
    failed = not report.passes()
    state = "fail" if failed else "pass"
    verdict = ", ".join(_count(n, word) for n, word in ((report.errors, "error"),
                                                          (report.warnings, "warning")))
    verdict = f"FAILED: {verdict}" if failed else f"ok: {verdict}"
    return (f"<header><h1>{escape(report.name or report.path)}</h1>"
            f'<p><code>{escape(report.path)}</code>: <span class="verdict {state}">'
            f"{escape(verdict)}</span></p></header>")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _summary(report: BuildReport) -> str:
    if not report.summary:
        return ""
    items = "".join(_answer(item, report.rule_docs) for item in report.summary)
    return (f'<section id=summary><h2>Summary</h2><dl class=summary>{items}</dl></section>')


def _answer(item: SummaryItem, links: Mapping[str, str]) -> str:
    rules = ", ".join(_rule(rule, links) for rule in item.rules)
    state = f"s-{escape(item.state)}"
    return (f'<div class="answer {state}" data-key="{escape(item.key)}">'
            f"<dt>{escape(item.label)}"
            f'<span class="state {state}">{escape(_STATE_WORDS[item.state])}'
            f'</span></dt><dd class="said {state}">{escape(item.answer)}</dd>'
            f"<dd class=detail>{escape(item.detail)}"
            + (f"; see {rules}" if rules else "") + "</dd></div>")


_STATE_WORDS = {"ok": "ok", "error": "fails", "warning": "warning", "unknown": "unknown",
                "info": "not checked"}


def _findings_section(report: BuildReport) -> str:
    return (f"<section id=findings><h2>Findings</h2>"
            f"{_findings(report.findings, report.rule_docs)}</section>")


def _charts(report: BuildReport) -> str:
    charts = [c for c in (_memory_chart(report.memory), _gpu_chart(report),
                          _bandwidth_chart(report.bandwidth), _power_chart(report.power),
                          _cost_chart(report.bill), _decode_chart(report.decode)) if c]
    if not charts:
        return ""
    return "<section id=budgets><h2>Budgets</h2>" + "".join(charts) + "</section>"


def _bill_section(report: BuildReport) -> str:
    if report.bill is None:
        return ""
    return f"<section id=bill><h2>Bill of materials</h2>{_bill_table(report.bill)}</section>"


def _figures_section(report: BuildReport) -> str:
    if not report.figures:
        return ""
    rows = "".join(f"<tr><td>{escape(f.label)}</td><td class=n>{escape(f.text)}</td></tr>"
                   for f in report.figures)
    return ("<section id=figures><h2>Figures</h2>"
            + _table(f"<tr><th>Figure</th><th class=n>Value</th></tr>{rows}") + "</section>")


def _workings_section(report: BuildReport) -> str:
    if not report.workings:
        return ""
    rows = "".join(f"<tr><td>{escape(w.label)}</td><td><code>{escape(w.working)}</code></td>"
                   f"<td class=n>{escape(w.result)}</td><td><code>{escape(w.formula)}</code>"
                   "</td></tr>" for w in report.workings)
    return ("<section id=workings><h2>How the figures are derived</h2>"
            + _table("<tr><th>Figure</th><th>Working</th><th class=n>Result</th>"
                     f"<th>Formula</th></tr>{rows}") + "</section>")


def _launch_section(report: BuildReport) -> str:
    """The engine's command for the placement checked, with its placeholders and notes."""
    launch = report.launch
    if launch is None:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in
                    (*launch.placeholders, *(f"note: {n}" for n in launch.notes)))
    return (f"<section id=launch><h2>Launch ({escape(launch.engine)})</h2>"
            f"<div class=scroll><pre><code>{escape(launch.command)}</code></pre></div>"
            + (f"<ul>{items}</ul>" if items else "")
            + f"<p class=hint>Flags from {escape(launch.source)}.</p></section>")


SECTIONS: tuple[Callable[[BuildReport], str], ...] = (
    _heading, _summary, _findings_section, _charts, _bill_section, _figures_section,
    _workings_section, _launch_section,
)
"""The page's sections in order, each drawn from the report alone (empty when it has nothing
to show)."""


# Tables -----------------------------------------------------------------------------------------

def _table(rows: str, kind: str = "") -> str:
    """A table in a box that scrolls sideways on its own, so a narrow screen never scrolls the
    page; ``kind`` is its class."""
    return f"<div class=scroll><table{' class=' + kind if kind else ''}>{rows}</table></div>"


def _rule(rule: str, links: Mapping[str, str]) -> str:
    text = escape(rule)
    return f'<a href="{escape(links[rule])}">{text}</a>' if rule in links else text


def _findings(findings: Sequence[Finding], links: Mapping[str, str]) -> str:
    if not findings:
        return "<p>No findings.</p>"
    rows = []
    for f in findings:
        hint = f'<div class=hint>{escape(f.hint)}</div>' if f.hint else ""
        line = '"n line"' if f.line else "n"
        rows.append(f"<tr><td>{_rule(f.rule, links)}</td><td class={escape(str(f.severity))}>"
                    f"{escape(str(f.severity))}</td><td><code>{escape(f.path)}</code></td>"
                    f"<td class={line}>{f.line or ''}</td><td class=message>"
                    f"{escape(f.message)}{hint}</td></tr>")
    return _table("<tr><th>Rule</th><th>Severity</th><th>Key</th><th class=n>Line</th>"
                  "<th>Message</th></tr>" + "".join(rows), "findings")


def _bill_table(bill: Bill) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(line.key)}</code></td><td>{escape(line.name or '')}"
        f"{' <code>' + escape(line.part) + '</code>' if line.part else ''}</td>"
        f"<td class=n>{line.count:,}</td><td class=n>"
        f"{money(line.unit_price) if line.unit_price is not None else 'unpriced'}</td>"
        f"<td class=n>{money(line.total) if line.total is not None else ''}</td></tr>"
        for line in bill.lines)
    total = money(bill.total) if bill.total is not None else "unknown"
    return _table("<tr><th>Line</th><th>Part</th><th class=n>Count</th><th class=n>Unit</th>"
                  f"<th class=n>Total ({escape(bill.currency)})</th></tr>{rows}"
                  f"<tr><th colspan=4>Total</th><th class=n>{total}</th></tr>")


# Charts -----------------------------------------------------------------------------------------

@frozen
class _Bar:
    """One row of a chart: a label, segments (meaning, start, end, what it is) and a note."""

    label: str
    segments: tuple[tuple[str, float, float, str], ...]
    note: str = ""


@frozen
class _Marker:
    """A vertical line across a chart's bars at ``value``, with its label under them."""

    value: float
    label: str


def _chart(title: str, bars: Sequence[_Bar], top: float,
           markers: Sequence[_Marker] = ()) -> str:
    """A figure: its caption, an SVG of the bars on one scale (``top`` at the full width) and
    the legend of every colour the chart uses."""
    top = top or 1.0

    def x(value: float) -> str:
        return f"{max(0.0, min(value / top, 1.0)) * 100:.2f}%"

    shapes: list[str] = []
    used: list[str] = []
    y = 0
    for bar in bars:
        label = bar.label if len(bar.label) <= LINE else bar.label[:LINE - 1] + "\u2026"
        shapes.append(f'<text x="0" y="{y + 14}"><title>{escape(bar.label)}</title>'
                      f"{escape(label)}</text>")
        # The note shares the label's line where both fit a phone's width, else goes under
        # the bar.
        below = len(label) + len(bar.note) + 2 > LINE
        if bar.note:
            shapes.append(f'<text x="100%" y="{y + (ROW + 12 if below else 14)}" '
                          f'text-anchor="end">{escape(bar.note)}</text>')
        for meaning, start, end, what in bar.segments:
            if end <= start:
                continue
            used.append(meaning)
            height, dy = (18, 20) if meaning not in ("expected",) else (24, 17)
            shapes.append(f'<rect class="m-{meaning}" x="{x(start)}" y="{y + dy}" '
                          f'width="{_width(end, start, top)}" height="{height}">'
                          f"<title>{escape(what)}</title></rect>")
        y += ROW + (16 if below and bar.note else 0)
    height = y
    for marker in markers:
        used.append("limit")
        at = marker.value / top
        anchor = "end" if at > 0.6 else "start"
        shift = "-4" if anchor == "end" else "4"
        shapes.append(f'<line class="m-limit" x1="{x(marker.value)}" x2="{x(marker.value)}" '
                      f'y1="16" y2="{height}"><title>{escape(marker.label)}</title></line>')
        shapes.append(f'<text x="{x(marker.value)}" dx="{shift}" y="{height + 14}" '
                      f'text-anchor="{anchor}">{escape(marker.label)}</text>')
        height += 18
    legend = "".join(
        f'<li><span class="swatch m-{key}{" line" if key == "limit" else ""}"></span>'
        f"{escape(MEANINGS[key][0])}</li>" for key in dict.fromkeys(used))
    return (f"<figure><figcaption>{escape(title)}</figcaption>"
            f'<svg class=chart xmlns="http://www.w3.org/2000/svg" role=img width="100%" '
            f'height="{height + 4}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'{"".join(shapes)}</svg><ul class=legend aria-label="legend">{legend}</ul></figure>')


def _width(end: float, start: float, top: float) -> str:
    return f"{max(0.0, (min(end, top) - min(start, top)) / top) * 100:.2f}%"


def _memory_bar(label: str, weights: float, kv: float, overhead: float, capacity: float,
                note: str, weights_label: str = "weights") -> list[_Bar]:
    """A memory budget's bar (weights, KV cache, overhead, then free to the capacity) and, when
    short, a second bar of what is missing beyond the capacity."""
    a, b, c = weights, weights + kv, weights + kv + overhead
    segments = [("weights", 0.0, a, f"{weights_label}: {number(weights, 1)} GiB"),
                ("kv", a, b, f"KV cache: {number(kv, 1)} GiB"),
                ("overhead", b, c, f"overhead: {number(overhead, 1)} GiB")]
    if c <= capacity:
        segments.append(("free", c, capacity, f"free: {number(capacity - c, 1)} GiB"))
        return [_Bar(label, tuple(segments), note)]
    return [_Bar(label, tuple(segments), note),
            _Bar("short", (("over", capacity, c, f"short: {number(c - capacity, 1)} GiB"),),
                 f"{number(c - capacity, 1)} GiB more than {number(capacity, 1)} GiB")]


def _memory_chart(memory: MemoryBudget | None) -> str:
    if memory is None:
        return ""
    weights = "weights" if memory.weight_copies == 1 else f"weights x{memory.weight_copies}"
    bars = _memory_bar("system memory" if memory.capacity_is == "installed"
                       else "memory the GPU may use", memory.weights_gib, memory.kv_cache_gib,
                       memory.overhead_gib, memory.capacity_gib,
                       f"{number(memory.required_gib, 1)} of {number(memory.capacity_gib, 1)} GiB",
                       weights)
    top = max(memory.capacity_gib, memory.required_gib)
    return _chart("Memory budget per device: weights, KV cache and overhead against capacity "
                  "(GiB)", bars, top, [_Marker(memory.capacity_gib,
                                               f"capacity {number(memory.capacity_gib, 1)} GiB")]
                  if memory.margin_gib < 0 else ())


def _gpu_chart(report: BuildReport) -> str:
    """Each GPU's share of what the GPUs hold against its own VRAM."""
    cards: Sequence[GpuCard] = report.gpu_cards
    if not cards:
        return ""
    top = max(max(card.vram_gib, card.required_gib) for card in cards)
    bars = [bar for card in cards for bar in _memory_bar(
        card.label, card.weights_gib, card.kv_cache_gib, card.overhead_gib, card.vram_gib,
        f"{number(card.required_gib, 1)} of {number(card.vram_gib, 1)} GiB")]
    return _chart("GPU memory per card: each card's weights, KV cache and overhead against its "
                  "VRAM (GiB)", bars, top)


def _bandwidth_chart(devices: Sequence[Bandwidth]) -> str:
    if not devices:
        return ""
    top = max(d.gbs for d in devices)
    bars = []
    for device in devices:
        label = device.label if device.count == 1 else f"{device.label} (each of {device.count})"
        meaning = {"socket": "memory", "system": "system"}.get(device.kind, "gpu")
        bars.append(_Bar(label, ((meaning, 0.0, device.gbs, f"{number(device.gbs)} GB/s"),),
                         f"{number(device.gbs)} GB/s"))
    return _chart("Memory bandwidth per socket and device, theoretical (GB/s)", bars, top)


def _power_chart(power: PowerBudget | None) -> str:
    if power is None:
        return ""
    top = max(power.psu_w, power.load_w, power.peak_w or 0, power.psu_peak_w or 0)
    segments: list[tuple[str, float, float, str]] = []
    start = 0.0
    for label, watts in power.parts:
        meaning = POWER_MEANINGS.get(label, "other")
        segments.append((meaning, start, start + watts, f"{label}: {number(watts)} W"))
        start += watts
    if power.unassigned_w > 0 or not segments:
        meaning = "system" if not power.parts else "other"
        segments.append((meaning, start, power.load_w,
                         f"{MEANINGS[meaning][0]}: {number(power.unassigned_w)} W"))
    if power.headroom_w >= 0:
        segments.append(("headroom", power.load_w, power.limit_w,
                         f"headroom: {number(power.headroom_w)} W"))
    reserve_from = max(power.limit_w, power.load_w)
    segments.append(("reserve", reserve_from, power.psu_w,
                     f"PSU rating above the limit: {number(power.psu_w - reserve_from)} W"))
    bars = [_Bar("sustained load on the PSU", tuple(segments),
                 f"{number(power.load_w)} of {number(power.psu_w)} W")]
    if power.headroom_w < 0:
        bars.append(_Bar("over the limit", (("over", power.limit_w, power.load_w,
                                             f"over the limit: {number(-power.headroom_w)} W"),),
                         f"{number(-power.headroom_w)} W over"))
    if power.peak_w is not None:
        over = power.psu_peak_w is not None and power.peak_w > power.psu_peak_w
        peak = [("over" if over else "peak", 0.0, power.peak_w,
                 f"peak: {number(power.peak_w)} W")]
        if power.psu_peak_w is not None and not over:
            room = power.psu_peak_w - power.peak_w
            peak.append(("headroom", power.peak_w, power.psu_peak_w,
                         f"headroom to the 1 ms limit: {number(room)} W"))
        bars.append(_Bar("peak against the 1 ms limit", tuple(peak),
                         f"{number(power.peak_w)}"
                         + (f" of {number(power.psu_peak_w)} W" if power.psu_peak_w else " W")))
    return _chart("Power budget: the sustained load by part against the PSU's limit, and the "
                  "peak (W)", bars, top,
                  [_Marker(power.limit_w, f"limit {power.max_load:.0%} = "
                                          f"{number(power.limit_w)} W")])


def _cost_chart(bill: Bill | None) -> str:
    if bill is None or bill.total is None:
        return ""
    priced = [(line.key, line.total) for line in bill.lines if line.total is not None]
    top = max((t for _, t in priced), default=0)
    bars = [_Bar(key, (("price", 0.0, total, f"{key}: {money(total)} {bill.currency}"),),
                 f"{money(total)} {bill.currency}") for key, total in priced]
    return _chart(f"Cost by line of the bill ({bill.currency}; total {money(bill.total)})",
                  bars, top)


def _decode_chart(decode: DecodeBudget | None) -> str:
    if decode is None:
        return ""
    points = (("at the start", decode.start), ("at the full context", decode))
    rows = [(label, speeds.bound, speeds.expected, speeds.low, speeds.high)
            for label, speeds in points if speeds is not None]
    top = max(max(r[1] for r in rows), decode.target or 0)
    bars = []
    for label, bound, expected, low, high in rows:
        segments: list[tuple[str, float, float, str]] = [
            ("bound", 0.0, bound, f"bound: at most {number(bound, 1)} tokens/s")]
        note = f"at most {number(bound, 1)}"
        if expected is not None and low is not None and high is not None:
            segments.append(("range", low, high,
                             f"expected range: {number(low, 1)}-{number(high, 1)} tokens/s"))
            width = top / 250
            segments.append(("expected", expected - width, expected + width,
                             f"expected: about {number(expected, 1)} tokens/s"))
            note = f"about {number(expected, 1)} ({number(low, 1)}-{number(high, 1)}); {note}"
        bars.append(_Bar(label, tuple(segments), note))
    markers = ([_Marker(decode.target, f"target {number(decode.target, 1)} tokens/s")]
               if decode.target is not None else [])
    return _chart("Decode speed: the bound and the expected range against the target "
                  "(tokens/s)", bars, top, markers)
