"""What fits: the questions owners ask once a build does not, answered by checking changed specs.

- the largest context that fits in system memory (and in VRAM, with offload);
- the precisions that fit, best first (most bits per weight);
- how many more units of the spec's first memory entry would make the model fit, and what that
  population does to the memory speed.

Each answer changes one thing in the spec, derives its facts again and runs the fit rules on
them (FIT001 for system memory, FIT003 for VRAM, FIT004 for GPUs to offload to) with the
parameters the spec was checked with,
so the verdict is validate's, through every formula the checks use (sliding windows, MLA, NUMA
copies, offload), and never a shortcut beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
from attrs import evolve, frozen

from hwspec.checker import Checker, Report
from hwspec.engine.evaluate import FAIL, NOT_APPLICABLE, Outcome, check
from hwspec.facts import Facts, derive
from hwspec.resolve import resolve
from hwspec.spec.model import Memory, Spec
from hwspec.spec.values import Count, Precision
from hwspec.spec.vocab import BITS_PER_WEIGHT

MEMORY_RULE, VRAM_RULE, OFFLOAD_RULE = "FIT001", "FIT003", "FIT004"
FIT_RULES = (MEMORY_RULE, VRAM_RULE, OFFLOAD_RULE)
"""The rules whose verdicts make the fit verdict: system memory holds the model's share, the
GPUs (each card too) hold theirs, and a workload that offloads to GPUs has GPUs."""

MAX_UNITS: int = attrs.fields(Memory).count.metadata["maximum"]
"""Most units of one part a spec may list (the plausibility limit on ``count``)."""

BALANCE_SEARCH = 96
"""Most units past the fewest that fit to look for a balanced population: beyond the largest
channel count of any platform (two sockets of 12 channels at 2 DIMMs each is 48)."""

MAX_CONTEXT_SEARCH = 16 * 1024 * 1024
"""Upper end of the context search when the model states no maximum (16M tokens)."""


@frozen
class MoreMemory:
    """Units of memory to add to the spec's first [[memory]] entry so that the model fits."""

    part: str
    add_units: int
    modules_after: int
    capacity_gib_after: float
    slots: int | None
    fits_slots: bool | None
    effective_mts_after: float | None
    effective_mts_now: float | None
    speed_basis_after: str | None = None
    """Where the speed after comes from (``memory.speed_limit_basis``); it may be assumed."""


@frozen
class FitAnswer:
    """The answers for one spec; a field is None where it cannot be known or does not apply."""

    fits: bool | None
    context_tokens: int | None
    largest_context_tokens: int | None
    max_context_tokens: int | None
    precision: str | None
    fitting_precisions: tuple[str, ...]
    more_memory: MoreMemory | None
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    """Why the verdict is unknown, when it is: what stops it and which input would supply it."""
    bits_per_weight: float | None = None
    """The spec's weight width, when it gives bits_per_weight (or a precision) rather than a
    precision name alone."""


def verdict(outcomes: Iterable[Outcome], rules: Iterable[str] = FIT_RULES) -> bool | None:
    """The fit verdict of the fit rules' outcomes: False when one fails, None when one could not
    run for a fact the build does not give (or none ran), True otherwise. A rule whose condition
    excludes the build (FIT003 without GPUs) does not count."""
    wanted = set(rules)
    relevant = [o for o in outcomes if o.rule in wanted]
    if any(o.status == FAIL for o in relevant):
        return False
    if not relevant or any(o.status == NOT_APPLICABLE and o.missing for o in relevant):
        return None
    return True


class _Trials:
    """Checks changed specs with the fit rules, as the checked report was checked: the same
    catalog, the same rule records (selected or not: the question is asked of them all) and the
    parameters the report used."""

    def __init__(self, report: Report, checker: Checker) -> None:
        self.catalog = checker.catalog
        self.rules = tuple(r for r in checker.all_rules if r.id in FIT_RULES)
        self.params = report.params

    def facts(self, candidate: Spec) -> Facts:
        return derive(resolve(candidate, self.catalog)[0])

    def verdict(self, facts: Facts, rules: Iterable[str] = FIT_RULES) -> bool | None:
        return verdict(check(facts, self.rules, self.params)[1], rules)

    def fits(self, candidate: Spec) -> bool | None:
        return self.verdict(self.facts(candidate))


def answer(report: Report, checker: Checker) -> FitAnswer:
    """Answer the fit questions for a checked report (``checker`` is the one that checked it).
    The verdict for the spec itself is its facts under the fit rules, as validate judged them."""
    spec, facts = report.spec, report.facts
    if spec is None:
        raise ValueError("fit answers need a spec that loaded and was checked")
    trials = _Trials(report, checker)
    workload = spec.workload
    model = facts.build.model if facts.build is not None else None
    model_max = model.max_context_tokens if model is not None else None
    notes: list[str] = []
    largest = None
    if workload is not None and workload.context_tokens is not None:
        largest = largest_context(spec, trials.fits, model_max or MAX_CONTEXT_SEARCH)
        if largest is not None and model_max is not None and largest >= model_max:
            notes.append(f"the model's own limit, {model_max:,} tokens, is reached first")
    fitting = fitting_precisions(spec, trials.fits) if workload is not None else ()
    notes += _unified_notes(facts)
    return FitAnswer(
        fits=trials.verdict(facts),
        context_tokens=workload.context_tokens if workload is not None else None,
        largest_context_tokens=largest,
        max_context_tokens=model_max,
        precision=workload.precision if workload is not None else None,
        fitting_precisions=fitting,
        more_memory=more_memory(spec, trials, facts),
        notes=tuple(notes),
        missing=_missing(spec, facts),
        bits_per_weight=_number(facts.get("model.bits_per_weight")),
    )


def _unified_notes(facts: Facts) -> list[str]:
    """On a [system] whose memory holds the model but whose GPU's default share does not: the
    setting that raises the share and the value that makes the model fit (derive's
    system.gpu_memory_needed_mb and system.gpu_memory_setting)."""
    needed, share = facts.get("system.gpu_memory_needed_mb"), facts.get("system.gpu_memory_gib")
    capacity, advice = facts.get("memory.capacity_gib"), facts.get("memory.usable_advice")
    numbers = [x for x in (needed, share, capacity) if isinstance(x, int | float)]
    if len(numbers) < 3 or not isinstance(advice, str):
        return []
    needed_mb, share_gib, capacity_gib = numbers
    if not share_gib * 1024 < needed_mb <= capacity_gib * 1024:
        return []
    return [f"the GPU may use {share_gib:,.1f} GiB of the memory: {advice[:1].lower()}"
            f"{advice[1:]}"]


def _missing(spec: Spec, facts: Facts) -> tuple[str, ...]:
    """Why the verdict is unknown: no model to weigh, or the causes FIG001 names for it."""
    if spec.workload is None or (spec.workload.model is None and spec.workload.arch is None):
        return ("the spec names no model to fit; give workload.model or [workload.arch]",)
    return tuple(f"{u.why}; give {u.supply}" for u in facts.unknown if "model.fits" in u.figures)


def largest_context(spec: Spec, fits: Callable[[Spec], bool | None], ceiling: int) -> int | None:
    """The largest context_tokens (at most ``ceiling``) at which the model still fits, or None
    when not even one token fits or the facts cannot say. Memory needed never shrinks as the
    context grows, so a binary search finds it."""
    base = spec.workload
    assert base is not None

    def ok(tokens: int) -> bool | None:
        workload = evolve(base, context_tokens=Count(tokens))
        return fits(evolve(spec, workload=workload))

    if not ok(1):
        return None
    if ok(ceiling):
        return ceiling
    low, high = 1, ceiling  # ok(low), not ok(high)
    while high - low > 1:
        middle = (low + high) // 2
        if ok(middle):
            low = middle
        else:
            high = middle
    return low


def fitting_precisions(spec: Spec, fits: Callable[[Spec], bool | None]) -> tuple[str, ...]:
    """Every precision at which the model fits, most bits per weight first; the bare K-quant
    block types (``q4_k_block``) are left out, as no file is quantised to one alone."""
    assert spec.workload is not None
    found: list[str] = []
    # Block types are not file precisions; an Unsloth mix's figure is one model's.
    names = [n for n in BITS_PER_WEIGHT if not n.endswith("_block") and not n.startswith("ud-")]
    for name in sorted(names, key=lambda n: (-BITS_PER_WEIGHT[n], n)):
        workload = evolve(spec.workload, precision=Precision(name), bits_per_weight=None)
        if fits(evolve(spec, workload=workload)):
            found.append(name)
    return tuple(found)


def more_memory(spec: Spec, trials: _Trials, facts: Facts,
                limit: int = 10_000) -> MoreMemory | None:
    """Units of the first memory entry to add until the model fits in system memory, rounded up
    to the next population that fills every channel evenly; None when system memory already
    holds it, there is no memory entry, or the facts cannot say. More units never lower the
    capacity, so a binary search finds the fewest; an unbalanced population would cost bandwidth
    (MEM003), so the answer steps on to the next balanced one, within the plausible count."""
    if not spec.memory or trials.verdict(facts, (MEMORY_RULE,)) is not False:
        return None
    first = spec.memory[0]
    limit = min(limit, MAX_UNITS - first.count)

    def with_extra(extra: int) -> Facts:
        entries = (evolve(first, count=Count(first.count + extra)), *spec.memory[1:])
        return trials.facts(evolve(spec, memory=entries))

    def enough(after: Facts) -> bool:
        return trials.verdict(after, (MEMORY_RULE,)) is True

    if limit < 1 or not enough(with_extra(limit)):
        return None
    low, high = 0, limit  # not enough at low, enough at high
    while high - low > 1:
        middle = (low + high) // 2
        if enough(with_extra(middle)):
            high = middle
        else:
            low = middle
    after = with_extra(high)
    for extra in range(high, min(limit, high + BALANCE_SEARCH) + 1):
        candidate = after if extra == high else with_extra(extra)
        if candidate.get("memory.balanced") is not False and candidate.get(
                "memory.sockets_balanced") is not False:
            high, after = extra, candidate
            break
    slots, modules = after.get("memory.slots"), after.get("memory.modules")
    return MoreMemory(
        part=first.part or first.name or "memory[0]",
        add_units=high,
        modules_after=int(modules) if isinstance(modules, int | float) else 0,
        capacity_gib_after=float(after["memory.capacity_gib"]),  # type: ignore[arg-type]
        slots=int(slots) if isinstance(slots, int | float) else None,
        fits_slots=(modules <= slots if isinstance(slots, int | float)
                    and isinstance(modules, int | float) else None),
        effective_mts_after=_number(after.get("memory.effective_mts")),
        effective_mts_now=_number(facts.get("memory.effective_mts")),
        speed_basis_after=_text(after.get("memory.speed_limit_basis")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
