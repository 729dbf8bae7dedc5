"""Report and diff: the figures of a checked build arranged for reading, and how two builds differ.

``build_report`` turns a checked ``Report`` into a ``BuildReport``: the bill of materials line by
line (price x count, the sum, the stated total and the budget beside it, all derived), the figures
with their units, how the memory is spent (weights, KV cache, overhead, free or short), how the
PSU is loaded, the summary's answers and each GPU's memory (``hwspec.views.summary``), and the
findings. ``diff_reports`` compares two checked reports: the figures that
decide whether a build works, old against new, and the findings that appeared or went away.

Nothing here is judged: the rules did that. Nothing here is explained again: a figure's label,
unit, digits and caveat come from its fact's record (``FACTS_BY_NAME``), and its working from
``Facts.workings``, recorded where derive computed it. Nothing here is printed:
``hwspec.output.report`` renders these records as text, Markdown or JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import field, frozen

from hwspec.facts import FACTS_BY_NAME, BomLine
from hwspec.facts import Working as Working  # the report's records, as derive writes them
from hwspec.facts.record import number as number  # one number format for derive and views
from hwspec.findings import ERROR, SPEC_CODE_BY_ID, WARNING, Finding, rule_section
from hwspec.spec.kinds import POWER_GROUP_KINDS
from hwspec.views.summary import GpuCard, SummaryItem, gpu_cards, summary_items
from hwspec.views.summary import money as money  # one amount format for every view

if TYPE_CHECKING:
    from hwspec.checker import Report
    from hwspec.facts import Facts, FactValue
    from hwspec.spec.model import Spec

PSU_MAX_LOAD = "psu_max_load"
"""The rule parameter (of PWR001) that sets the highest share of the PSU rating the load may use."""

FIT_MARGIN = "model.margin_gib"
"""The fit margin's fact: memory.capacity_gib - model.required_gib."""
GPU_MARGIN = "model.gpu_margin_gib"
"""The GPUs' fit margin: gpu.vram_gib - model.gpu_required_gib."""


@frozen
class Bill:
    """The bill of materials and its sums, as derived (``cost.*`` facts)."""

    currency: str
    lines: tuple[BomLine, ...]
    total: float | None = None
    """Sum of the priced lines (``cost.total``), or None when no line has a price."""
    unpriced: tuple[str, ...] = ()
    """Keys of the lines without a price (``cost.unpriced``); the total leaves them out."""
    quoted_total: float | None = None
    """The total a quote or write-up states (``build.quoted_total``), if the spec records one."""
    budget: float | None = None
    quoted_difference: float | None = None
    """Stated total minus the sum of the lines (``cost.quoted_difference``): positive when the
    quote says more."""
    headroom: float | None = None
    """Budget minus the sum of the lines (``cost.headroom``): negative when over budget."""


@frozen
class Figure:
    """One derived figure with its unit, read from the checked facts."""

    key: str
    """The fact's name (``memory.capacity_gib``, ``model.margin_gib``)."""
    label: str
    value: FactValue
    unit: str
    """``GiB``, ``GB/s``, ``MT/s``, ``W``, ``%`` (a fraction shown as a percentage) or ``""``."""
    text: str
    """The value as a person reads it, with its unit: ``624.9 GiB``, ``67%``."""


@frozen
class MemoryBudget:
    """How the system memory is spent, as validate weighs it: the weights held there (the share
    not offloaded, once per socket under replicate-per-socket), the KV cache held there,
    the overhead reserve, and what is left or short; with offload, the GPUs' share beside it."""

    capacity_gib: float
    weights_gib: float
    """Weights in system memory (``model.ram_weights_gib``)."""
    kv_cache_gib: float
    """KV cache in system memory (``model.ram_kv_cache_gib``)."""
    overhead_gib: float
    required_gib: float
    """``model.required_gib``: weights + KV cache + overhead."""
    margin_gib: float
    """``model.margin_gib``: capacity minus required, negative when the workload does not fit."""
    weight_copies: int = 1
    """Copies of the weights counted (one per socket under replicate-per-socket)."""
    gpu_required_gib: float | None = None
    """VRAM the offloaded share needs (``model.gpu_required_gib``), with offload."""
    vram_gib: float | None = None
    gpu_margin_gib: float | None = None
    """``model.gpu_margin_gib``: VRAM minus what the GPUs hold, negative when short."""
    capacity_is: str = "installed"
    """What ``capacity_gib`` is: the memory installed, or on a [system] whose GPU runs the
    model, the GPU's share of it (``memory.usable_gib``, as FIT001 weighs it)."""

    @property
    def free_gib(self) -> float:
        """Memory left over, 0 when the workload does not fit."""
        return max(self.margin_gib, 0.0)

    @property
    def shortfall_gib(self) -> float:
        """Memory missing, 0 when the workload fits."""
        return max(-self.margin_gib, 0.0)


@frozen
class PowerBudget:
    """How the PSU is loaded: CPUs, other counted parts, and the headroom to PWR001's limit."""

    cpu_w: float | None
    """CPU power at TDP, None when the CPU has no power figure."""
    load_w: float
    """The whole estimated load (``power.load_w``)."""
    psu_w: float
    max_load: float
    """Highest share of the PSU rating the load may use (``psu_max_load``)."""
    uncounted: tuple[str, ...] = ()
    """Parts with no power figure, left out of the load (which is then a lower bound)."""
    parts: tuple[tuple[str, float], ...] = ()
    """The load by part group (``power.cpu_w``, ``power.gpu_w``, ...), in the facts' order."""
    assumed: tuple[str, ...] = ()
    """Parts counted at a catalog class figure, with its source and confidence."""
    peak_w: float | None = None
    """The short excursion (``power.peak_w``)."""
    psu_peak_w: float | None = None
    """What the PSU delivers for 1 ms (``power.psu_peak_w``)."""
    wall_w: float | None = None
    """Draw at the wall at the PSU's 80 PLUS minimum efficiency (``power.wall_w``)."""
    limits: tuple[str, ...] = ()
    """GPU entries with a power limit, the limit and the board power it replaces
    (``power.gpu_limits``)."""
    decode_draw_w: float | None = None
    """The draw while decoding (``power.decode_draw_w``), None where unknown."""
    decode_basis: str | None = None
    """Where the draw while decoding comes from, or why it is unknown (``power.decode_basis``)."""

    @property
    def other_w(self) -> float:
        """Counted parts other than the CPUs."""
        return self.load_w - (self.cpu_w or 0.0)

    @property
    def unassigned_w(self) -> float:
        """Load no part group accounts for (a [system]'s own figure): load minus the groups."""
        return max(self.load_w - sum(w for _, w in self.parts), 0.0)

    @property
    def load_fraction(self) -> float:
        """Share of the PSU rating the load uses."""
        return self.load_w / self.psu_w

    @property
    def limit_w(self) -> float:
        """The load PWR001 allows: PSU rating x max_load."""
        return self.psu_w * self.max_load

    @property
    def headroom_w(self) -> float:
        """Limit minus load: negative when the load is over the limit."""
        return self.limit_w - self.load_w


@frozen
class BuildReport:
    """Everything ``hwspec report`` shows about one checked spec."""

    path: str
    name: str | None
    findings: tuple[Finding, ...]
    bill: Bill | None = None
    """None when the spec did not load."""
    figures: tuple[Figure, ...] = ()
    memory: MemoryBudget | None = None
    """None unless both the memory capacity and the workload's requirement are known."""
    power: PowerBudget | None = None
    """None unless both the load estimate and the PSU rating are known."""
    workings: tuple[Working, ...] = ()
    """The weights, KV cache, bandwidth and speed figures worked out with their formulas."""
    rule_docs: Mapping[str, str] = field(factory=dict)
    """Where each finding's rule is documented, by rule id: built-in rules and spec codes (a
    team's own rules have no page here)."""
    bandwidth: tuple[Bandwidth, ...] = ()
    """Memory bandwidth per socket (or [system]) and per kind of GPU."""
    decode: DecodeBudget | None = None
    """None unless the decode bound is known."""
    summary: tuple[SummaryItem, ...] = ()
    """The answers at a glance: verdict, fit, decode, prefill, cost and power, in that order."""
    gpu_cards: tuple[GpuCard, ...] = ()
    """Each GPU's share of what the GPUs hold against its own VRAM, where the GPUs hold part of
    the model."""
    launch: Launch | None = None
    """The engine's command line for the placement checked; None without a model."""

    @property
    def errors(self) -> int:
        """Findings at error severity."""
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """Findings at warning severity."""
        return sum(f.severity == WARNING for f in self.findings)

    def passes(self, *, strict: bool = False) -> bool:
        """True when nothing fails: no error, and with strict no warning either."""
        return self.errors == 0 and not (strict and self.warnings)


@frozen
class Bandwidth:
    """The memory bandwidth of one device the build reads weights from: a socket, a [system],
    or one kind of GPU (``count`` cards of it)."""

    label: str
    gbs: float
    """Theoretical bandwidth of one unit, GB/s."""
    count: int = 1
    kind: str = "socket"
    """What the device is: ``socket``, ``system`` or ``gpu``."""


@frozen
class DecodeSpeeds:
    """Decode at one point of the context, in tokens/s: the bound, and the expected figure with
    its range where derive gives one."""

    bound: float
    expected: float | None = None
    low: float | None = None
    high: float | None = None


@frozen
class DecodeBudget(DecodeSpeeds):
    """The decode speed against the owner's target: at the full context, where FIT002 checks it
    (the figures it extends ``DecodeSpeeds`` with, ``decode.*_full_context``), and at the start
    of generation; ``workload.min_decode_tokens_per_s`` where the spec sets one."""

    target: float | None = None
    start: DecodeSpeeds | None = None
    """The same at the start of generation (``decode.tokens_per_s_max`` and
    ``decode.tokens_per_s_expected`` with its range), as llama-bench tg128 measures it."""


@frozen
class Launch:
    """The command that runs the placement checked, as derive wrote it (``launch.*``)."""

    engine: str
    command: str
    placeholders: tuple[str, ...] = ()
    """Each placeholder of the command and what to put there."""
    notes: tuple[str, ...] = ()
    source: str = ""
    """The documentation the flags are read from, and its version."""


@frozen
class Change:
    """One figure of two builds: old, new and new - old (None when either is unknown)."""

    key: str
    label: str
    unit: str
    old: float | None
    new: float | None
    delta: float | None
    note: str = ""
    """Why the figures do not compare plainly (different currencies, unpriced lines)."""
    old_unit: str | None = None
    """The old figure's unit where it differs from ``unit`` (a cost in another currency)."""


@frozen
class SettingChange:
    """A workload setting two builds give differently: the model, its precision, the engine,
    the NUMA placement or the offload (None: the build does not give it)."""

    key: str
    """The fact that holds it (``workload.precision``)."""
    label: str
    old: str | None
    new: str | None


@frozen
class PartChange:
    """A line of the bill that differs between two builds: added, removed, replaced (another
    part), or the same part at another count or price."""

    key: str
    """The spec table: ``cpu``, ``memory[0]`` ..."""
    old: BomLine | None
    new: BomLine | None
    what: str
    """``added``, ``removed``, ``replaced``, ``count`` or ``price`` (``count, price`` for both)."""


@frozen
class BuildDiff:
    """How a new build differs from an old one."""

    old: BuildReport
    new: BuildReport
    changes: tuple[Change, ...]
    appeared: tuple[Finding, ...]
    """Findings of the new build that the old one did not have (matched by rule and path)."""
    disappeared: tuple[Finding, ...]
    """Findings of the old build that the new one no longer has."""
    unchanged: tuple[Finding, ...]
    """Findings both builds have (as the new build reports them)."""
    parts: tuple[PartChange, ...] = ()
    """Lines of the bill that changed, in the new build's order, removed lines last."""
    settings: tuple[SettingChange, ...] = ()
    """The workload settings that changed (model, precision, engine, NUMA mode, offload), in
    that order: a change of model or precision explains the figures that follow it."""


def build_report(report: Report) -> BuildReport:
    """Arrange a checked report for reading.

    Every figure, the bill and the budgets are read from the checked facts (and the parts from
    the build they were derived from), and the power budget's limit from the parameters the
    check used (``report.params``): nothing is resolved, computed or looked up again, so the
    report cannot disagree with validate, and no catalog is needed.
    """
    if report.spec is None:
        return BuildReport(report.path, None if report.spec is None else report.spec.build.name,
                           report.findings, rule_docs=rule_docs(report.findings),
                           summary=summary_items(None, report.findings, None))
    facts: Mapping[str, FactValue] = report.facts.by_name
    power = _power_budget(facts, _max_load(report.params))
    return BuildReport(
        path=report.path,
        name=report.spec.build.name,
        findings=report.findings,
        bill=_bill(report.spec, report.facts),
        figures=_figures(facts),
        memory=_memory_budget(facts),
        power=power,
        workings=_workings(report.facts),
        rule_docs=rule_docs(report.findings),
        bandwidth=_bandwidth(report.facts),
        decode=_decode(facts),
        summary=summary_items(report.facts, report.findings, power),
        gpu_cards=gpu_cards(report.facts),
        launch=launch(facts),
    )


def _bandwidth(facts: Facts) -> tuple[Bandwidth, ...]:
    """Each device's bandwidth from the checked facts: a socket each (or the [system]), and
    each [[gpu]] entry."""
    out: list[Bandwidth] = []
    per_socket = facts.number("memory.bandwidth_per_socket_gbs")
    if per_socket is not None:
        if facts.text("system.name") is not None:
            out.append(Bandwidth(str(facts.text("system.name")), per_socket, kind="system"))
        else:
            sockets = int(facts.number("cpu.count") or 1)
            out.extend(Bandwidth(f"socket {i + 1}", per_socket) for i in range(sockets))
    for index, gpu in enumerate(facts.entries.get("gpu", ())):
        gbs = gpu.get("item.bandwidth_gbs")
        if isinstance(gbs, int | float) and not isinstance(gbs, bool):
            count = gpu.get("item.count")
            out.append(Bandwidth(str(gpu.get("item.name") or f"gpu[{index}]"), float(gbs),
                                 int(count) if isinstance(count, int) else 1, "gpu"))
    return tuple(out)


def _decode(facts: Mapping[str, FactValue]) -> DecodeBudget | None:
    """The decode budget at the full context, where FIT002 checks the target, and at the start."""
    full = _decode_speeds(facts, "decode.tokens_per_s_max_full_context",
                          "decode.tokens_per_s_expected_full_context")
    if full is None:
        return None
    return DecodeBudget(full.bound, full.expected, full.low, full.high,
                        target=_num(facts, "workload.min_decode_tokens_per_s"),
                        start=_decode_speeds(facts, "decode.tokens_per_s_max",
                                             "decode.tokens_per_s_expected"))


def _decode_speeds(facts: Mapping[str, FactValue], bound: str,
                   expected: str) -> DecodeSpeeds | None:
    """The bound and the expected figure with its range (the facts ``expected``, ``_low`` and
    ``_high``), or None where the bound is unknown."""
    value = _num(facts, bound)
    if value is None:
        return None
    return DecodeSpeeds(value, _num(facts, expected), _num(facts, f"{expected}_low"),
                        _num(facts, f"{expected}_high"))


def launch(facts: Mapping[str, FactValue]) -> Launch | None:
    """The launch command of the checked facts, or None when derive wrote none."""
    command, engine = facts.get("launch.command"), facts.get("launch.engine")
    if not isinstance(command, str) or not isinstance(engine, str):
        return None
    placeholders, notes = facts.get("launch.placeholders"), facts.get("launch.notes")
    return Launch(engine, command,
                  placeholders if isinstance(placeholders, tuple) else (),
                  notes if isinstance(notes, tuple) else (),
                  str(facts.get("launch.source") or ""))


def rule_docs(findings: Iterable[Finding]) -> dict[str, str]:
    """Where each finding's rule is documented: the built-in rules and the spec codes have a
    section of docs/rules.md; a team's own rule has none."""
    from hwspec.engine.packs import builtin_packs

    builtin = {*SPEC_CODE_BY_ID, *(r.id for pack in builtin_packs() for r in pack.rules)}
    return {f.rule: rule_section(f.rule) for f in findings if f.rule in builtin}


WORKINGS: tuple[str, ...] = (
    "model.weights_gib", "model.kv_cache_gib", "memory.bandwidth_gbs", "decode.tokens_per_s_max",
    "decode.tokens_per_s_expected", "decode.tokens_per_s_max_full_context",
    "decode.tokens_per_s_expected_full_context", "prefill.tokens_per_s_max",
    "prefill.tokens_per_s_expected",
)
"""The figures whose workings a report shows, in order."""


def _workings(derived: Facts) -> tuple[Working, ...]:
    """The deciding figures worked out, as derive recorded them where it computed them."""
    return tuple(derived.workings[name] for name in WORKINGS if name in derived.workings)


def _bill(spec: Spec, derived: Facts) -> Bill:
    facts = derived.by_name
    unpriced = facts.get("cost.unpriced")
    info = spec.build
    return Bill(info.currency, derived.bill, _num(facts, "cost.total"),
                unpriced if isinstance(unpriced, tuple) else (), info.quoted_total, info.budget,
                _num(facts, "cost.quoted_difference"), _num(facts, "cost.headroom"))


FIGURES: tuple[str, ...] = (
    "memory.capacity_gib", "memory.modules", "memory.channels", "memory.populated_channels",
    "memory.dimms_per_channel", "memory.rated_mts", "memory.effective_mts",
    "memory.bandwidth_gbs", "memory.bandwidth_per_socket_gbs", "memory.sustained_bandwidth_gbs",
    "model.weights_gib", "model.weights_gb", "model.kv_cache_gib", "model.ram_weights_gib",
    "model.ram_kv_cache_gib", "model.overhead_gib", "model.required_gib", FIT_MARGIN,
    "model.gpu_weights_gib", "model.gpu_kv_cache_gib", "model.gpu_required_gib", "gpu.vram_gib",
    GPU_MARGIN, "decode.bytes_per_token_gb", "decode.tokens_per_s_max",
    "decode.tokens_per_s_expected", "decode.tokens_per_s_max_full_context",
    "decode.tokens_per_s_expected_full_context", "decode.efficiency", "prefill.tokens_per_s_max",
    "prefill.tokens_per_s_expected", "prefill.ttft_s", "power.cpu_w", "power.load_w",
    "power.psu_w", "power.load_fraction", "power.gpu_limits", "power.peak_w",
    "power.psu_peak_w", "power.wall_w", "power.decode_draw_w", "cost.electricity_per_day",
    "cost.electricity_per_million_tokens", "cost.electricity_basis", "power.uncounted",
)
"""The figures a report shows, in order; each fact's record gives its label, unit, digits and
caveat."""


def _figures(facts: Mapping[str, FactValue]) -> tuple[Figure, ...]:
    out: list[Figure] = []
    for key in FIGURES:
        record = FACTS_BY_NAME[key]
        value = facts.get(key)
        if value is None or (isinstance(value, tuple) and not value):
            continue
        unit = _unit(record.shown_unit, facts)
        text = figure_text(value, unit, record.digits, key)
        caveat = record.caveat_text(facts)
        if caveat is not None:
            text += f" ({caveat})"
        out.append(Figure(key, record.label, value, unit, text))
    return tuple(out)


def _unit(unit: str, facts: Mapping[str, FactValue]) -> str:
    """A record's unit as shown: ``currency`` is the build's own, as its prices are."""
    return str(facts.get("build.currency", "USD")) if unit == "currency" else unit


def figure_text(value: FactValue, unit: str, digits: int, key: str = "") -> str:
    """A figure as a person reads it: ``768 GiB``, ``624.9 GiB``, ``67%``, ``109.6 GiB free``."""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if unit == "%":
        return f"{value:.0%}"
    if key in (FIT_MARGIN, GPU_MARGIN):
        return f"{number(abs(value), digits)} GiB {'free' if value >= 0 else 'short'}"
    text = number(value, digits)
    return f"{text} {unit}" if unit else text


def _num(facts: Mapping[str, FactValue], name: str) -> float | None:
    value = facts.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _memory_budget(facts: Mapping[str, FactValue]) -> MemoryBudget | None:
    # Measured against the memory the workload may fill, as FIT001 does: on a [system] whose GPU
    # runs the model, the GPU's share (memory.usable_gib), not all that is installed.
    names = ("memory.usable_gib", "model.ram_weights_gib", "model.ram_kv_cache_gib",
             "model.overhead_gib", "model.required_gib", "model.margin_gib")
    parts = [_num(facts, n) for n in names]
    capacity, weights, kv, overhead, required, margin = parts
    if (capacity is None or weights is None or kv is None or overhead is None
            or required is None or margin is None):
        return None
    copies = _num(facts, "model.weight_copies")
    return MemoryBudget(capacity, weights, kv, overhead, required, margin,
                        int(copies) if copies is not None else 1,
                        _num(facts, "model.gpu_required_gib"), _num(facts, "gpu.vram_gib"),
                        _num(facts, "model.gpu_margin_gib"),
                        "the GPU may use" if _num(facts, "system.gpu_memory_gib") is not None
                        and facts.get("workload.device") == "gpu" else "installed")


def _power_budget(facts: Mapping[str, FactValue], max_load: float | None) -> PowerBudget | None:
    """The budget, or None where it cannot be drawn: no load or PSU figure (FIG001 names them),
    or no ``psu_max_load`` (only a report not made by a Checker lacks it)."""
    load, psu = _num(facts, "power.load_w"), _num(facts, "power.psu_w")
    if load is None or psu is None or max_load is None:
        return None
    uncounted, assumed = facts.get("power.uncounted"), facts.get("power.assumed")
    parts = tuple((label, watts) for key, label in POWER_GROUPS
                  if (watts := _num(facts, key)) is not None and watts > 0)
    return PowerBudget(_num(facts, "power.cpu_w"), load, psu, max_load,
                       uncounted if isinstance(uncounted, tuple) else (),
                       parts, assumed if isinstance(assumed, tuple) else (),
                       _num(facts, "power.peak_w"), _num(facts, "power.psu_peak_w"),
                       _num(facts, "power.wall_w"), _texts(facts, "power.gpu_limits"),
                       _num(facts, "power.decode_draw_w"), _text(facts, "power.decode_basis"))


def _texts(facts: Mapping[str, FactValue], name: str) -> tuple[str, ...]:
    value = facts.get(name)
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _text(facts: Mapping[str, FactValue], name: str) -> str | None:
    value = facts.get(name)
    return value if isinstance(value, str) else None


POWER_GROUPS = tuple((f"power.{kind.power_group}_w", kind.power_label)
                     for kind in POWER_GROUP_KINDS)
"""The load's part groups as the report names them, from the part-kind registry."""


def _max_load(params: Mapping[str, FactValue]) -> float | None:
    value = params.get(PSU_MAX_LOAD)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


CHANGES: tuple[str, ...] = (
    "memory.capacity_gib", "memory.effective_mts", "memory.bandwidth_gbs",
    "memory.sustained_bandwidth_gbs", FIT_MARGIN, "gpu.vram_gib", GPU_MARGIN,
    "workload.context_tokens", "model.bits_per_weight", "power.load_fraction", "cost.total",
    "decode.tokens_per_s_max", "decode.tokens_per_s_expected",
    "decode.tokens_per_s_expected_full_context", "prefill.tokens_per_s_expected",
    "prefill.ttft_s",
)
"""The figures a diff compares, in order; each fact's record gives its label and unit
(``currency``: the build's currency)."""

SETTINGS: tuple[tuple[str, str], ...] = (
    ("model.name", "model"), ("workload.precision", "precision"), ("workload.engine", "engine"),
    ("workload.numa", "NUMA mode"), ("workload.offload", "offload"),
)
"""The workload settings a diff names when they differ: (fact, label), in order."""

GPU_CHANGES = frozenset({"gpu.vram_gib", GPU_MARGIN})
"""Rows a diff leaves out when neither build has them: builds with no GPU have no VRAM."""


def diff_reports(old: Report, new: Report) -> BuildDiff:
    """Compare two checked reports: the deciding figures, and the findings that came and went."""
    old_report = build_report(old)
    new_report = build_report(new)
    old_facts, new_facts = _values(old), _values(new)
    changes = []
    for key in CHANGES:
        record = FACTS_BY_NAME[key]
        label, unit = record.label, record.shown_unit
        a, b = _num(old_facts, key), _num(new_facts, key)
        if key in GPU_CHANGES and a is None and b is None:
            continue  # neither build holds anything on GPUs: nothing to compare
        delta = None if a is None or b is None else b - a
        note = ""
        old_unit = None
        if unit == "currency":
            old_currency = old_report.bill.currency if old_report.bill else None
            new_currency = new_report.bill.currency if new_report.bill else None
            unit = new_currency or old_currency or ""
            if old_currency and new_currency and old_currency != new_currency:
                # Each side keeps its own currency; the two are never subtracted.
                delta, old_unit = None, old_currency
                note = (f"priced in {old_currency} before and {new_currency} after: not compared"
                        if a is not None and b is not None
                        else _unpriced_note(old_report, new_report))
            else:
                note = _unpriced_note(old_report, new_report)
        if record.caveat is not None:
            note = "; ".join(f"{which} speed {caveat}"
                             for which, facts in (("old", old_facts), ("new", new_facts))
                             if (caveat := record.caveat_text(facts)) is not None)
        changes.append(Change(key, label, unit, a, b, delta, note, old_unit))
    appeared, disappeared, unchanged = _finding_changes(old.findings, new.findings)
    return BuildDiff(old_report, new_report, tuple(changes), appeared, disappeared, unchanged,
                     _part_changes(old_report, new_report),
                     _setting_changes(old_facts, new_facts))


def _setting_changes(old: Mapping[str, FactValue], new: Mapping[str, FactValue],
                     ) -> tuple[SettingChange, ...]:
    """The workload settings whose checked values differ between the two builds."""
    def shown(value: FactValue | None) -> str | None:
        return None if value is None else str(value)

    return tuple(SettingChange(key, label, shown(old.get(key)), shown(new.get(key)))
                 for key, label in SETTINGS if shown(old.get(key)) != shown(new.get(key)))


def _part_changes(old: BuildReport, new: BuildReport) -> tuple[PartChange, ...]:
    """The bill's lines that differ, matched by spec table."""
    before = {line.key: line for line in (old.bill.lines if old.bill else ())}
    after = {line.key: line for line in (new.bill.lines if new.bill else ())}
    out = []
    for key, line in after.items():
        was = before.get(key)
        if was is None:
            out.append(PartChange(key, None, line, "added"))
        elif (was.part, was.name) != (line.part, line.name):
            out.append(PartChange(key, was, line, "replaced"))
        else:
            what = [w for w, differs in (("count", was.count != line.count),
                                         ("price", was.unit_price != line.unit_price)) if differs]
            if what:
                out.append(PartChange(key, was, line, ", ".join(what)))
    out += [PartChange(key, line, None, "removed") for key, line in before.items()
            if key not in after]
    return tuple(out)


def _values(report: Report) -> dict[str, FactValue]:
    return dict(report.facts.by_name)


def _unpriced_note(old: BuildReport, new: BuildReport) -> str:
    notes = []
    for which, report in (("old", old), ("new", new)):
        if report.bill is not None and report.bill.unpriced:
            notes.append(f"{which} total leaves out unpriced {', '.join(report.bill.unpriced)}")
    return "; ".join(notes)


def _finding_changes(old: tuple[Finding, ...], new: tuple[Finding, ...],
                     ) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Finding, ...]]:
    """Match findings by rule id and path (lines move when a spec is edited), as multisets."""
    old_left = Counter((f.rule, f.path) for f in old)
    appeared: list[Finding] = []
    unchanged: list[Finding] = []
    for finding in new:
        key = (finding.rule, finding.path)
        if old_left[key] > 0:
            old_left[key] -= 1
            unchanged.append(finding)
        else:
            appeared.append(finding)
    new_left = Counter((f.rule, f.path) for f in new)
    disappeared: list[Finding] = []
    for finding in old:
        key = (finding.rule, finding.path)
        if new_left[key] > 0:
            new_left[key] -= 1
        else:
            disappeared.append(finding)
    return tuple(appeared), tuple(disappeared), tuple(unchanged)
