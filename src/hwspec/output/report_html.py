"""``hwspec report --format html``: one self-contained page, findings first, then SVG charts of
the memory budget per device, the bandwidth per socket and GPU, the power budget, the cost and
the decode speed against its target, then the bill, the figures and their workings.

Nothing is loaded from elsewhere: the styles are inline, the charts are SVG written here, and
the page runs no script. The charts are a few horizontal bars each, which small templates draw
exactly; a chart library would add a dependency (and pygal, the pure-Python one, links its
tooltip script from a CDN unless told not to) for less control of the result. Every spec and
catalog string is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from hwspec.findings import Finding
from hwspec.views.report import (
    Bandwidth,
    Bill,
    BuildReport,
    DecodeBudget,
    Launch,
    MemoryBudget,
    PowerBudget,
    money,
    number,
)

CHART_WIDTH = 760
"""Width of each chart's drawing, in CSS pixels; a row of bars is ``ROW`` high."""
ROW, LABEL = 26, 190
COLOURS = {"weights": "#3b6ea8", "KV cache": "#6a9fd4", "overhead": "#a3c4e8",
           "free": "#e4ebf2", "short": "#c0392b", "headroom": "#e4ebf2",
           "over limit": "#c0392b", "reserve": "#f3f3f3", "bar": "#3b6ea8", "range": "#a3c4e8"}
PART_COLOURS = ("#3b6ea8", "#5a8f3c", "#b8860b", "#7a4f9a", "#2f8f8f", "#a0522d", "#6a9fd4")

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 980px;
       color: #1d2733; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.verdict { font-weight: 600; } .fail { color: #b0281a; } .pass { color: #2d7a2d; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #dde3ea;
         vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #b0281a; font-weight: 600; } .warning { color: #9a6a00; font-weight: 600; }
.hint { color: #4a5866; } code { font-size: .92em; }
figure { margin: 1rem 0; } figcaption { color: #4a5866; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2733; }
"""


def report_html(report: BuildReport) -> str:
    """The whole page for one build's report."""
    failed = not report.passes()
    state = "fail" if failed else "pass"
    verdict = (f"FAILED: {report.errors} errors, {report.warnings} warnings" if failed
               else f"ok: {report.errors} errors, {report.warnings} warnings")
    name = report.name or report.path
    body = [f"<h1>{escape(name)}</h1>",
            f'<p><code>{escape(report.path)}</code>: <span class="verdict {state}">'
            f"{escape(verdict)}</span></p>",
            "<h2>Findings</h2>", _findings(report.findings, report.rule_docs)]
    charts = [c for c in (_memory_chart(report.memory), _bandwidth_chart(report.bandwidth),
                          _power_chart(report.power), _cost_chart(report.bill),
                          _decode_chart(report.decode)) if c]
    if charts:
        body += ["<h2>Budgets</h2>", *charts]
    if report.bill is not None:
        body += ["<h2>Bill of materials</h2>", _bill_table(report.bill)]
    if report.figures:
        rows = "".join(f"<tr><td>{escape(f.label)}</td><td class=n>{escape(f.text)}</td></tr>"
                       for f in report.figures)
        body += ["<h2>Figures</h2>", f"<table><tr><th>Figure</th><th class=n>Value</th></tr>"
                                     f"{rows}</table>"]
    if report.workings:
        rows = "".join(f"<tr><td>{escape(w.label)}</td><td><code>{escape(w.working)}</code></td>"
                       f"<td class=n>{escape(w.result)}</td><td><code>{escape(w.formula)}</code>"
                       "</td></tr>" for w in report.workings)
        body += ["<h2>How the figures are derived</h2>",
                 "<table><tr><th>Figure</th><th>Working</th><th class=n>Result</th>"
                 f"<th>Formula</th></tr>{rows}</table>"]
    body += _launch(report.launch)
    return ("<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
            '<meta name=viewport content="width=device-width, initial-scale=1">\n'
            # No network: nothing may load, not even a favicon.
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{escape(name)}: hwspec report</title>\n<style>{STYLE}</style>\n"
            "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _launch(launch: Launch | None) -> list[str]:
    """The engine's command for the placement checked, with its placeholders and notes."""
    if launch is None:
        return []
    items = "".join(f"<li>{escape(line)}</li>" for line in
                    (*launch.placeholders, *(f"note: {n}" for n in launch.notes)))
    return [f"<h2>Launch ({escape(launch.engine)})</h2>",
            f"<pre><code>{escape(launch.command)}</code></pre>",
            *([f"<ul>{items}</ul>"] if items else []),
            f'<p class=hint>Flags from {escape(launch.source)}.</p>']


def _findings(findings: Sequence[Finding], links: Mapping[str, str]) -> str:
    if not findings:
        return "<p>No findings.</p>"
    rows = []
    for f in findings:
        rule = escape(f.rule)
        if f.rule in links:
            rule = f'<a href="{escape(links[f.rule])}">{rule}</a>'
        hint = f'<div class=hint>{escape(f.hint)}</div>' if f.hint else ""
        rows.append(f"<tr><td>{rule}</td><td class={escape(str(f.severity))}>"
                    f"{escape(str(f.severity))}</td><td><code>{escape(f.path)}</code></td>"
                    f"<td class=n>{f.line or ''}</td><td>{escape(f.message)}{hint}</td></tr>")
    return ("<table><tr><th>Rule</th><th>Severity</th><th>Key</th><th class=n>Line</th>"
            "<th>Message</th></tr>" + "".join(rows) + "</table>")


def _svg(title: str, rows: Sequence[str], height: int) -> str:
    return (f'<figure><figcaption>{escape(title)}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" role=img width="{CHART_WIDTH}" '
            f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}">'
            f"<title>{escape(title)}</title>{''.join(rows)}</svg></figure>")


def _stacked(y: int, label: str, segments: Sequence[tuple[str, float, str]], scale: float,
             note: str) -> list[str]:
    """One labelled bar of segments (name, size, colour), ``scale`` units per pixel."""
    out = [f'<text x="0" y="{y + 15}">{escape(label)}</text>']
    x = float(LABEL)
    for name, size, colour in segments:
        width = max(size / scale, 0.0)
        out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{ROW - 6}" '
                   f'fill="{colour}"><title>{escape(name)}</title></rect>')
        x += width
    out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{escape(note)}</text>')
    return out


def _legend(y: int, items: Sequence[tuple[str, str]]) -> list[str]:
    """A row of colour keys (name, colour) under a chart."""
    out, x = [], float(LABEL)
    for name, colour in items:
        out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="12" height="12" fill="{colour}" '
                   'stroke="#9aa6b2" stroke-width="0.5"></rect>')
        out.append(f'<text x="{x + 16:.1f}" y="{y + 14}">{escape(name)}</text>')
        x += 30 + 7 * len(name)
    return out


def _marker(x: float, height: int, label: str) -> list[str]:
    """A red vertical line across a chart at x, with its label under it."""
    return [f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" stroke="#b0281a" '
            f'stroke-width="2"><title>{escape(label)}</title></line>',
            f'<text x="{x + 4:.1f}" y="{height + 14}">{escape(label)}</text>']


def _plot_width() -> float:
    return CHART_WIDTH - LABEL - 190


def _memory_chart(memory: MemoryBudget | None) -> str:
    if memory is None:
        return ""
    top = max(memory.capacity_gib, memory.required_gib,
              memory.vram_gib or 0, memory.gpu_required_gib or 0) or 1
    scale = top / _plot_width()
    free = ("free", memory.free_gib, COLOURS["free"]) if memory.margin_gib >= 0 else (
        "short", memory.shortfall_gib, COLOURS["short"])
    rows = _stacked(4, "system memory", [
        ("weights", memory.weights_gib, COLOURS["weights"]),
        ("KV cache", memory.kv_cache_gib, COLOURS["KV cache"]),
        ("overhead", memory.overhead_gib, COLOURS["overhead"]), free], scale,
        f"{number(memory.required_gib, 1)} of {number(memory.capacity_gib, 1)} GiB")
    height = ROW + 8
    if memory.gpu_required_gib is not None and memory.vram_gib is not None:
        spare = memory.vram_gib - memory.gpu_required_gib
        rest = ("free", spare, COLOURS["free"]) if spare >= 0 else ("short", -spare,
                                                                    COLOURS["short"])
        rows += _stacked(height, "GPU memory", [
            ("on the GPUs", memory.gpu_required_gib, COLOURS["weights"]), rest], scale,
            f"{number(memory.gpu_required_gib, 1)} of {number(memory.vram_gib, 1)} GiB")
        height += ROW
    rows += _legend(height, [("weights", COLOURS["weights"]), ("KV cache", COLOURS["KV cache"]),
                             ("overhead", COLOURS["overhead"]), (free[0], free[2])])
    return _svg("Memory budget per device: weights, KV cache and overhead against capacity "
                "(GiB)", rows, height + ROW)


def _bandwidth_chart(devices: Sequence[Bandwidth]) -> str:
    if not devices:
        return ""
    top = max(d.gbs for d in devices) or 1
    scale = top / _plot_width()
    rows: list[str] = []
    for index, device in enumerate(devices):
        label = device.label if device.count == 1 else f"{device.label} (each of {device.count})"
        rows += _stacked(4 + index * ROW, label[:30], [("bandwidth", device.gbs, COLOURS["bar"])],
                         scale, f"{number(device.gbs)} GB/s")
    return _svg("Memory bandwidth per socket and device, theoretical (GB/s)", rows,
                len(devices) * ROW + 12)


def _power_chart(power: PowerBudget | None) -> str:
    if power is None:
        return ""
    top = max(power.psu_w, power.load_w, power.peak_w or 0, power.psu_peak_w or 0) or 1
    scale = top / _plot_width()
    segments = [(label, watts, PART_COLOURS[i % len(PART_COLOURS)])
                for i, (label, watts) in enumerate(power.parts)]
    if power.unassigned_w > 0 or not segments:
        segments.append(("other parts", power.unassigned_w, PART_COLOURS[-1]))
    if power.headroom_w >= 0:
        segments.append(("headroom", power.headroom_w, COLOURS["headroom"]))
    rows = _stacked(4, "sustained load", segments, scale,
                    f"{number(power.load_w)} W; limit {number(power.limit_w)} W")
    rows += _stacked(4 + ROW, "PSU rating", [("PSU", power.psu_w, COLOURS["reserve"])], scale,
                     f"{number(power.psu_w)} W")
    height = 2 * ROW + 8
    if power.peak_w is not None:
        rows += _stacked(height, "peak", [("peak", power.peak_w, COLOURS["over limit"]
                                           if power.psu_peak_w is not None
                                           and power.peak_w > power.psu_peak_w
                                           else PART_COLOURS[2])], scale,
                         f"{number(power.peak_w)} W"
                         + (f" of {number(power.psu_peak_w)} W" if power.psu_peak_w else ""))
        height += ROW
    rows += _marker(LABEL + power.limit_w / scale, height,
                    f"limit {power.max_load:.0%} = {number(power.limit_w)} W")
    height += 18
    rows += _legend(height, [(label, colour) for label, _, colour in segments])
    return _svg("Power budget: the sustained load by part against the PSU's limit, and the "
                "peak (W)", rows, height + ROW)


def _cost_chart(bill: Bill | None) -> str:
    if bill is None or bill.total is None:
        return ""
    priced = [(line.key, line.total) for line in bill.lines if line.total is not None]
    top = max((t for _, t in priced), default=0) or 1
    scale = top / _plot_width()
    rows: list[str] = []
    for index, (key, total) in enumerate(priced):
        rows += _stacked(4 + index * ROW, key, [(key, total, PART_COLOURS[index % 7])], scale,
                         f"{money(total)} {bill.currency}")
    return _svg(f"Cost by line of the bill ({bill.currency}; total {money(bill.total)})", rows,
                len(priced) * ROW + 12)


def _decode_chart(decode: DecodeBudget | None) -> str:
    if decode is None:
        return ""
    top = max(decode.bound, decode.target or 0, decode.high or 0) or 1
    scale = top / _plot_width()
    rows = _stacked(4, "bound", [("bound", decode.bound, COLOURS["range"])], scale,
                    f"at most {number(decode.bound, 1)} tokens/s")
    height = ROW + 8
    if decode.expected is not None and decode.low is not None and decode.high is not None:
        rows += _stacked(height, "expected", [
            ("below the range", decode.low, "none"),
            ("expected range", decode.high - decode.low, COLOURS["range"])], scale,
            f"about {number(decode.expected, 1)} ({number(decode.low, 1)}-"
            f"{number(decode.high, 1)})")
        x = LABEL + decode.expected / scale
        rows.append(f'<rect x="{x - 1.5:.1f}" y="{height}" width="3" height="{ROW - 2}" '
                    f'fill="{COLOURS["bar"]}"><title>expected</title></rect>')
        height += ROW
    if decode.target is not None:
        rows += _marker(LABEL + decode.target / scale, height,
                        f"target {number(decode.target, 1)} tokens/s")
        height += 18
    return _svg("Decode speed: the bound and the expected range against the target (tokens/s)",
                rows, height + 4)


def _bill_table(bill: Bill) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(line.key)}</code></td><td>{escape(line.name or '')}"
        f"{' <code>' + escape(line.part) + '</code>' if line.part else ''}</td>"
        f"<td class=n>{line.count:,}</td><td class=n>"
        f"{money(line.unit_price) if line.unit_price is not None else 'unpriced'}</td>"
        f"<td class=n>{money(line.total) if line.total is not None else ''}</td></tr>"
        for line in bill.lines)
    total = money(bill.total) if bill.total is not None else "unknown"
    return ("<table><tr><th>Line</th><th>Part</th><th class=n>Count</th><th class=n>Unit</th>"
            f"<th class=n>Total ({escape(bill.currency)})</th></tr>{rows}"
            f"<tr><th colspan=4>Total</th><th class=n>{total}</th></tr></table>")
