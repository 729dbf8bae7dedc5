"""The text format: one line a finding, then the build's key figures, for a person at a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from hwspec.checker import Report
from hwspec.engine.evaluate import format_value
from hwspec.engine.packs import Rule
from hwspec.escape import text as escape_text
from hwspec.facts import FactValue
from hwspec.findings import ERROR, UNKNOWN_PART, WARNING, Finding
from hwspec.output import EscapedFacts, RenderOptions, escape_controls, shown


def render(reports: Sequence[Report], options: RenderOptions) -> str:
    """Render every report, then a one-line summary; every string from an input passes
    :func:`hwspec.escape.text` first (``shown``)."""
    return "".join(render_file(r, options) for r in reports) + render_end(reports, options)


def render_file(report: Report, options: RenderOptions) -> str:
    """One file's part of the output, complete: ``render`` is these parts in file order, then
    ``render_end``. A worker process renders its files' parts itself. Of the facts, only those
    the figures show are escaped, as they are read (``render_report``); of the outcomes, the
    rules that did not run and the facts they need (``not_run``)."""
    report = shown(report, facts=False, outcomes=False)
    text = finding_lines(report) if options.quiet else render_report(report, options) + "\n"
    return colorize(escape_controls(text), options)


def render_end(reports: Sequence[Report], options: RenderOptions) -> str:
    """What follows the files' parts: the summary line (nothing with ``quiet``). It reads only
    each report's path and findings."""
    reports = [shown(r, facts=False, outcomes=False) for r in reports]
    if options.quiet:
        return ""
    return colorize(escape_controls(summary(reports, options) + "\n"), options)


# Patterns, compiled (and cached by ``re``) the first time colour is asked for: most runs print
# to a pipe or a file, uncoloured, and compiling them was a third of a millisecond of each start.
_FINDING_HEAD = r"(?m)^(\S+: )([A-Z]+[0-9]+) (error|warning|info)\b"
_VERDICT = r"(?m)\b(FAILED|ok)(: \d+ errors?, )"
_SEVERITY_COLOR = {"error": "red", "warning": "yellow", "info": "blue"}


def colorize(text: str, options: RenderOptions) -> str:
    """``text`` with each finding's rule id in bold and its severity in colour, and verdicts
    red or green, when ``options.color``. Applied after control characters are escaped, so a
    spec's own text can never carry an escape sequence through it."""
    if not options.color:
        return text
    import click

    text = re.sub(
        _FINDING_HEAD, lambda m: m.group(1) + click.style(m.group(2), bold=True) + " "
        + click.style(m.group(3), fg=_SEVERITY_COLOR[m.group(3)], bold=True), text)
    return re.sub(_VERDICT, lambda m: click.style(m.group(1), fg="red" if m.group(1) == "FAILED"
                                                  else "green", bold=True) + m.group(2), text)


def finding_line(path: str, finding: Finding) -> str:
    """A finding as ``hwspec validate`` prints it: ``file:line:col: RULE severity key: message``."""
    key = f" {finding.path}:" if finding.path else ""
    return f"{location(path, finding)} {finding.rule} {finding.severity}{key} {finding.message}"


def caused_by(cause: Finding, finding: Finding) -> bool:
    """Whether ``finding`` is a knock-on of ``cause``, an unknown part id (SPEC003), as the
    findings themselves say: it blames that part's table or a key in it (``cpu``,
    ``memory[0].kind``), or its message or hint names a key of that part as what it lacks
    (``... or cpu.platform``). Nothing is guessed from rule ids or wording beyond that."""
    if cause.rule != UNKNOWN_PART.id or finding is cause or not cause.path.endswith(".part"):
        return False
    part = cause.path.removesuffix(".part")
    if finding.path == part or finding.path.startswith((f"{part}.", f"{part}[")):
        return True
    names_key = re.compile(rf"(?<![\w.\[]){re.escape(part)}\.[a-z_]")
    return bool(names_key.search(finding.message) or names_key.search(finding.hint))


def in_causal_order(findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` in their order, except that each knock-on of an unknown part id follows
    that finding (the first, when several could have caused it): the cause is read first."""
    causes = [f for f in findings if f.rule == UNKNOWN_PART.id]
    cause_of = {id(f): next((c for c in causes if caused_by(c, f)), None) for f in findings}
    ordered: list[Finding] = []
    for f in findings:
        if cause_of[id(f)] is not None:
            continue
        ordered.append(f)
        ordered.extend(k for k in findings if cause_of[id(k)] is f)
    return ordered


def finding_lines(report: Report) -> str:
    """One file's findings, each with its hint, a knock-on after its cause."""
    lines = []
    for f in in_causal_order(report.findings):
        lines.append(finding_line(report.path, f))
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    return "".join(f"{line}\n" for line in lines)


def statistics(reports: Sequence[Report]) -> str:
    """Findings counted by rule, most first, as ``ruff --statistics`` counts them."""
    counts: dict[tuple[str, str], int] = {}
    for report in reports:
        for f in report.findings:
            counts[(f.rule, f.severity)] = counts.get((f.rule, f.severity), 0) + 1
    rows = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    width = max((len(f"{n:,}") for _, n in rows), default=1)
    lines = [f"{n:>{width},}  {rule:<7} {severity}" for (rule, severity), n in rows]
    lines.append(f"{sum(counts.values()):,} findings in {len(reports):,} files")
    return escape_controls("\n".join(lines) + "\n")


def render_report(report: Report, options: RenderOptions) -> str:
    """One file's findings and figures (the facts it shows escaped as they are read)."""
    lines = finding_lines(report).splitlines()
    if options.show_facts and report.spec is not None:
        facts = EscapedFacts(report.facts.by_name)
        name = facts.get("build.name")
        lines.append(f"{report.path}: {name}" if name else f"{report.path}:")
        lines.extend(f"  {label:<10} {text}" for label, text in key_figures(facts))
        unrun = (not_run(report, options.rules) if options.verbose
                 else not_run_count(report))
        lines.extend(f"  {'not run':<10} {text}" for text in unrun)
    counts = _counts(report)
    verdict = "ok" if report.passes(strict=options.strict) else "FAILED"
    if options.show_facts and report.spec is not None:
        lines.append(f"  {'result':<10} {verdict}: {counts}")
    else:
        # No figures block names the file above the verdict, so the verdict names it itself:
        # a hook's log of many files must say which one each verdict is for.
        lines.append(f"{report.path}: result {verdict}: {counts}")
    return "\n".join(lines) + "\n"


def location(path: str, finding: Finding) -> str:
    """Where a finding is, as compilers and editors write it: ``file:line:column:``."""
    if not finding.line:
        return f"{path}:"
    if finding.column:
        return f"{path}:{finding.line}:{finding.column}:"
    return f"{path}:{finding.line}:"


Row = tuple[str, str]
"""A figures row: its label and its text."""


def key_figures(facts: Mapping[str, FactValue]) -> list[Row]:
    """The figures that decide whether a build works, as (label, text) rows; unknown ones are
    left out. Each row is its own small function below, in the order the rows are shown."""
    v = _formatter(facts)
    return [row for leading, rows_of in _ROWS if leading is None or leading in facts
            for row in rows_of(facts, v)]


def _formatter(facts: Mapping[str, FactValue]) -> Callable[..., str]:
    """``v(name, spec=None)``: a fact's value as text, or "unknown" for one the build lacks."""

    def v(name: str, spec: str | None = None) -> str:
        # A row is shown when its leading fact is known; a fact beside it may still be absent
        # (an inline model with no name), and says so rather than breaking the whole output.
        return format_value(facts[name], spec) if name in facts else "unknown"

    return v


def _clauses(facts: Mapping[str, FactValue], *clauses: tuple[str, str]) -> str:
    """The clauses whose fact is known, in order: the qualifiers a row adds to its leading figure
    (" at 4,800 MT/s", "; 1,180 W at the wall")."""
    return "".join(text for name, text in clauses if name in facts)


def _memory_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """A [system]'s unified memory, or the modules, channels and speed of a board's."""
    if "system.replaces" in facts:  # a [system]: its unified memory
        return [("memory", f"{v('memory.capacity_gib', ',.0f')} GiB unified" + _clauses(
            facts, ("system.memory_type", f" {v('system.memory_type')}"),
            ("system.bus_width_bits", f" on a {v('system.bus_width_bits', ',.0f')}-bit bus"),
            ("memory.effective_mts", f" at {v('memory.effective_mts', ',.0f')} MT/s"),
            ("system.gpu_memory_gib", f"; the GPU may use {v('system.gpu_memory_gib', ',.0f')} "
                                      f"GiB ({v('system.gpu_memory_basis')})")))]
    if "memory.capacity_gib" not in facts:
        return []
    text = f"{v('memory.capacity_gib', ',.0f')} GiB in {v('memory.modules')} modules"
    if "memory.channels" in facts:
        text += (f" on {v('memory.populated_channels')} of {v('memory.channels')} channels, "
                 f"{v('memory.dimms_per_channel')} per channel")
    if "memory.effective_mts" in facts:
        assumed = " assumed" if facts.get("memory.speed_assumed") else ""
        per_sku = (f"; {v('platform.id')} rates speeds per CPU model and the CPU gives "
                   "none: give [cpu] max_mts" if facts.get("memory.cpu_speed_unknown")
                   else "")
        text += (f", {v('memory.effective_mts', ',.0f')} MT/s{assumed} "
                 f"(rated {v('memory.rated_mts', ',.0f')}{per_sku})")
    return [("memory", text)]


def _bandwidth_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """Theoretical, per-socket and sustained memory bandwidth."""
    per_socket = ("" if "system.replaces" in facts else
                  f"{v('memory.bandwidth_per_socket_gbs', ',.0f')} GB/s per socket, ")
    basis = facts.get("memory.sustained_basis")
    return [("bandwidth", f"{v('memory.bandwidth_gbs', ',.0f')} GB/s theoretical, "
             f"{per_socket}{v('memory.sustained_bandwidth_gbs', ',.0f')} GB/s sustained"
             + (f" ({basis})" if basis and basis != "estimated from the channels" else ""))]


def _model_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """The model's weights, what it needs in memory, and whether it fits."""
    precision = facts.get("workload.precision") or (
        f"{v('model.bits_per_weight', 'g')} bits per weight")
    text = (f"{facts.get('model.name', 'the model')} at {precision}: weights "
            f"{v('model.weights_gib', ',.1f')} GiB ({v('model.weights_gb', ',.0f')} GB)")
    if "model.required_gib" in facts and "model.gpu_required_gib" in facts:
        text += (f"; system memory {v('model.required_gib', ',.1f')} GiB, GPUs "
                 f"{v('model.gpu_required_gib', ',.1f')} GiB (weights "
                 f"{v('model.gpu_weights_gib', ',.1f')} + KV cache "
                 f"{v('model.gpu_kv_cache_gib', ',.1f')} GiB + overhead)")
    elif "model.required_gib" in facts:
        text += (f" + KV cache {v('model.kv_cache_gib', ',.1f')} GiB + overhead "
                 f"{v('model.overhead_gib', ',.1f')} GiB = "
                 f"{v('model.required_gib', ',.1f')} GiB")
    if isinstance(facts.get("model.fits"), bool):
        text += "; fits" if facts["model.fits"] else "; does NOT fit"
        if facts.get("workload.device") == "gpu" and "system.gpu_memory_gib" in facts:
            text += f" in the GPU's {v('system.gpu_memory_gib', ',.0f')} GiB"
    return [("model", text)]


def _decode_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """Decode speed at the start of generation and at the full context, each bound and
    expectation; the first row shown carries the label."""
    context = facts.get("workload.context_tokens")
    full_at = f"at {context:,} tokens" if isinstance(context, int) else "at the full context"
    rows: list[Row] = []
    for at, bound, expected, bytes_read in (
            ("at the start", "decode.tokens_per_s_max", "decode.tokens_per_s_expected", None),
            (full_at, "decode.tokens_per_s_max_full_context",
             "decode.tokens_per_s_expected_full_context", "decode.bytes_per_token_gb")):
        if bound not in facts and expected not in facts:
            continue
        read = f" ({v(bytes_read, ',.1f')} GB read per token)" if bytes_read else ""
        parts = [f"{at} at most {v(bound, ',.1f')} tokens/s{read}" if bound in facts
                 else f"{at}{read} no bound (the theoretical bandwidth is unknown)"]
        if expected in facts:
            parts.append(f"expect about {v(expected, ',.1f')} ({v(expected + '_low', ',.1f')}-"
                         f"{v(expected + '_high', ',.1f')})")
        rows.append(("" if rows else "decode", ", ".join(parts)))
    return rows


def _prefill_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """Prefill speed and time to first token, or why prefill is unknown."""
    if "prefill.tokens_per_s_max" in facts:
        text = (f"at most {v('prefill.tokens_per_s_max', ',.0f')} tokens/s "
                f"({v('prefill.basis')})")
        if "prefill.ttft_s" in facts:
            text += (f"; expect about {v('prefill.tokens_per_s_expected', ',.1f')} "
                     f"({v('prefill.tokens_per_s_expected_low', ',.1f')}-"
                     f"{v('prefill.tokens_per_s_expected_high', ',.1f')}), first token after "
                     f"{v('prefill.ttft_s', ',.1f')} s for {v('workload.prompt_tokens', ',.0f')}"
                     " prompt tokens")
        return [("prefill", text)]
    if str(facts.get("prefill.basis", "")).startswith("unknown"):
        return [("prefill", v("prefill.basis"))]  # named, not silently left out
    return []


def _power_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """The estimated load against the PSU, its peak and draw at the wall."""
    text = f"{v('power.load_w', ',.0f')} W estimated"
    if "power.load_fraction" in facts:
        text += f" on a {v('power.psu_w', ',.0f')} W PSU ({v('power.load_fraction', '.0%')})"
    peak, load = facts.get("power.peak_w"), facts["power.load_w"]
    if isinstance(peak, int | float) and isinstance(load, int | float) and peak > load:
        text += f", {v('power.peak_w', ',.0f')} W peak"
        if "power.psu_peak_w" in facts:
            text += f" (the PSU takes {v('power.psu_peak_w', ',.0f')} W)"
    text += _clauses(facts, ("power.wall_w", f"; {v('power.wall_w', ',.0f')} W at the wall"),
                     ("power.decode_draw_w",
                      f"; {v('power.decode_draw_w', ',.0f')} W while decoding"))
    if facts.get("power.uncounted"):
        text += f"; no figure for {v('power.uncounted')}"
    rows: list[Row] = [("power", text)]
    if facts.get("power.gpu_limits"):
        rows.append(("power limits", v("power.gpu_limits")))
    return rows


def _assumed_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """A class figure standing in for a part's own power: the reader sees which, and how sure
    it is (shown under the power row)."""
    stand_ins = facts.get("power.assumed")
    if not isinstance(stand_ins, tuple):
        return []
    return [("assumed", str(item)) for item in stand_ins]


def _running_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """The electricity cost of running the build (shown under the power row)."""
    if "cost.electricity_per_day" not in facts:
        return []
    per_million = _clauses(facts, (
        "cost.electricity_per_million_tokens",
        f", {v('cost.electricity_per_million_tokens', ',.2f')} {v('build.currency')} per million "
        "tokens generated"))
    return [("running", f"{v('cost.electricity_per_day', ',.2f')} {v('build.currency')} per day"
             f"{per_million}, {v('cost.electricity_basis')}")]


def _cost_rows(facts: Mapping[str, FactValue], v: Callable[..., str]) -> list[Row]:
    """The build's total cost against its budget, and the parts without a price."""
    text = f"{v('cost.total', ',.0f')} {v('build.currency')}"
    if "build.budget" in facts:
        text += f" (budget {v('build.budget', ',.0f')})"
    if facts.get("cost.unpriced"):
        text += f"; unpriced: {v('cost.unpriced')}"
    return [("cost", text)]


_ROWS: tuple[tuple[str | None, Callable[[Mapping[str, FactValue], Callable[..., str]],
                                        list[Row]]], ...] = (
    (None, _memory_rows), ("memory.bandwidth_gbs", _bandwidth_rows),
    ("model.weights_gib", _model_rows), (None, _decode_rows), (None, _prefill_rows),
    ("power.load_w", _power_rows), ("power.load_w", _assumed_rows),
    ("power.load_w", _running_rows), ("cost.total", _cost_rows))
"""The figures block's rows, in the order shown, each with the fact that must be known for it
to show (None: it decides for itself)."""


def not_run(report: Report, rules: Sequence[Rule] = ()) -> list[str]:
    """The rules that did not apply, grouped by why: "FIT002 needs workload.min_decode_...";
    a check that did not run is not a pass, so the reader is told which ones. A rule whose
    condition excluded the build shows that condition, when the rule is known ("CST002 does not
    apply: defined(build.quoted_total) and len(cost.unpriced) == 0 is false")."""
    conditions = {r.id: escape_text(r.when.source) for r in rules if r.when is not None}
    absent = _absent_tables(report)
    by_reason: dict[str, list[str]] = {}
    for rule, why in report.not_applicable(escape_text):
        if why == "its condition is false" and rule in conditions:
            why = f"does not apply: {conditions[rule]} is false"
        table = why.removeprefix("needs ").split(".")[0] if why.startswith("needs ") else ""
        if table in absent:
            # One line for a table the build leaves out, not one per fact it would have given.
            why = f"needs {absent[table]}"
        by_reason.setdefault(why, []).append(rule)
    # Rules that checked their condition and excluded the build come last: they did look.
    order = sorted(by_reason.items(), key=lambda pair: pair[0].startswith(
        ("its condition is false", "does not apply")))
    return [f"{', '.join(rules)} {_needs(why, len(rules))}" for why, rules in order]


def not_run_count(report: Report) -> list[str]:
    """The rules that did not apply, counted on one line (none: no line), as the default
    output shows them: "9 rules need inputs this build does not give; -v lists them", with
    those whose condition excluded the build counted apart ("..., 7 do not apply to it")."""
    whys = [why for _, why in report.not_applicable()]
    excluded = sum(why == "its condition is false" for why in whys)
    needing = len(whys) - excluded
    if not whys:
        return []
    counts = [text for count, text in (
        (needing, f"{plural(needing, 'rule')} {'needs' if needing == 1 else 'need'} inputs "
                  "this build does not give"),
        (excluded, f"{excluded if needing else plural(excluded, 'rule')} "
                   f"{'does' if excluded == 1 else 'do'} not apply to it")) if count]
    return [f"{', '.join(counts)}; -v lists them"]


_TABLES = {"cpu": "[cpu]", "board": "[board]", "memory": "[[memory]]", "psu": "[psu]",
           "gpu": "[[gpu]]", "system": "[system]"}


def _absent_tables(report: Report) -> dict[str, str]:
    """Fact prefixes whose spec table the build leaves out, with the table's header and why it
    is absent."""
    spec = report.spec
    if spec is None:
        return {}
    replaced = ("cpu", "board", "memory") if spec.system is not None else ()
    return {prefix: header + (", which [system] replaces" if prefix in replaced  # not forgotten
                              else ", which the build does not declare")
            for prefix, header in _TABLES.items() if not getattr(spec, prefix)}


def _needs(why: str, rules: int) -> str:
    if rules > 1 and why.startswith("does not apply: "):
        return "do not apply: " + why.removeprefix("does not apply: ")
    if rules > 1 and why.startswith("needs "):
        return "need " + why.removeprefix("needs ")
    if why == "its condition is false":
        return "do not apply (their condition is false)" if rules > 1 else (
            "does not apply (its condition is false)")
    return why


def _counts(report: Report) -> str:
    errors = sum(f.severity == ERROR for f in report.findings)
    warnings = sum(f.severity == WARNING for f in report.findings)
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(reports: Sequence[Report], options: RenderOptions) -> str:
    """One line: files checked, files failed, errors and warnings, and the configuration files
    applied (none named: none applied)."""
    failed = sum(not r.passes(strict=options.strict) for r in reports)
    errors = sum(f.severity == ERROR for r in reports for f in r.findings)
    warnings = sum(f.severity == WARNING for r in reports for f in r.findings)
    configs = list(dict.fromkeys(r.config for r in reports if r.config is not None))
    applied = (f" ({'configuration' if len(configs) == 1 else 'configurations'}: "
               f"{escape_controls(', '.join(configs))})" if configs else "")
    return (f"{plural(len(reports), 'file')} checked, {failed} failed: "
            f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{applied}")
