"""What fits: the questions owners ask once a build does not, answered by checking changed specs.

- the largest context that fits in system memory (and in VRAM, with offload);
- the precisions that fit, best first (most bits per weight);
- how many more units of the spec's first memory entry would make the model fit, and what that
  population does to the memory speed (never a population no one publishes a speed for);
- the quantised KV cache that would make the model fit as specified, with the engine's flags;
- under ``offload = "layers"``, how many layers fit on the GPUs at each precision, so a
  precision is proposed with the layers that go with it.

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
from hwspec.spec.values import Count, KvPrecision, Precision
from hwspec.spec.vocab import BITS_PER_WEIGHT, FLASH_ATTENTION_ENGINES, KV_BYTES_PER_ELEMENT

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
class KvCacheAdvice:
    """A narrower KV cache that makes the model fit as specified, and how to ask the engine
    for it."""

    kv_precision: str
    """The ``workload.kv_precision`` to set."""
    flags: str
    """The engine's command-line flags for it (llama.cpp ``-ctk q8_0 -ctv q8_0 -fa on``)."""
    flash_attention: bool
    """Whether the advice turns flash attention on, which the engine needs to quantise V."""


KV_CACHE_FLAGS: dict[str | None, tuple[tuple[str, str], ...]] = {
    **dict.fromkeys(("llama.cpp", "ik_llama.cpp", None), (
        ("q8_0", "-ctk q8_0 -ctv q8_0 -fa on"), ("q4_0", "-ctk q4_0 -ctv q4_0 -fa on"))),
    "vllm": (("fp8", "--kv-cache-dtype fp8"),),
    "sglang": (("fp8", "--kv-cache-dtype fp8_e4m3"),),
}
"""The quantised KV caches each engine offers, widest first, with the flags that ask for them
(an unnamed engine is taken as llama.cpp). llama.cpp quantises V only with flash attention on
(``llama_init_from_model``: "V cache quantization requires flash_attn"), so its flags turn it
on; vLLM takes ``--kv-cache-dtype fp8`` and SGLang ``fp8_e4m3`` (fp8_e5m2 holds fewer mantissa
bits). Engines not listed (KTransformers, MLX) get no advice."""



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
    kv_cache: KvCacheAdvice | None = None
    """The narrower KV cache that makes the model fit as specified, where one does."""
    gpu_layers: int | None = None
    """Under ``offload = "layers"`` with gpu_layers given: the most layers that fit on the GPUs
    at the best fitting precision (re-derived for it, not the spec's count)."""
    spec_gpu_layers: int | None = None
    """The spec's own workload.gpu_layers, where gpu_layers is re-derived."""


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
    layers = _offload_layers(spec, facts)
    fitting: tuple[str, ...] = ()
    best_layers = None
    if workload is not None and layers is not None:
        found = fitting_precisions_with_layers(spec, trials, layers)
        fitting = tuple(name for name, _ in found)
        best_layers = found[0][1] if found else None
        own = dict(found).get(workload.precision or "")
        if found and own is not None and found[0][0] != workload.precision:
            notes.append(f"at the spec's precision, {workload.precision}, gpu_layers = {own} "
                         f"fits (spec: {workload.gpu_layers})")
    elif workload is not None:
        fitting = fitting_precisions(spec, trials.fits)
    notes += _unified_notes(facts)
    verdict_now = trials.verdict(facts)
    more, why_not = _more_memory(spec, trials, facts)
    if why_not is not None:
        notes.append(why_not)
    return FitAnswer(
        fits=verdict_now,
        context_tokens=workload.context_tokens if workload is not None else None,
        largest_context_tokens=largest,
        max_context_tokens=model_max,
        precision=workload.precision if workload is not None else None,
        fitting_precisions=fitting,
        more_memory=more,
        notes=tuple(notes),
        missing=_missing(spec, facts),
        bits_per_weight=_number(facts.get("model.bits_per_weight")),
        kv_cache=kv_cache_advice(spec, trials.fits) if verdict_now is False else None,
        gpu_layers=best_layers,
        spec_gpu_layers=workload.gpu_layers if layers is not None and workload else None,
    )


def kv_cache_advice(spec: Spec, fits: Callable[[Spec], bool | None]) -> KvCacheAdvice | None:
    """The widest quantised KV cache the spec's engine offers that makes the model fit with
    everything else as specified (precision, context, layers), or None: the engine offers none
    narrower than the spec's cache, or none of them makes it fit."""
    workload = spec.workload
    if workload is None or workload.engine not in KV_CACHE_FLAGS:
        return None
    now = KV_BYTES_PER_ELEMENT[workload.kv_precision or "f16"]
    for name, flags in KV_CACHE_FLAGS[workload.engine]:
        if KV_BYTES_PER_ELEMENT[name] >= now:
            continue
        # The engine quantises V only with flash attention on: the advice turns it on where the
        # spec turned it off (derive takes it as on when not given).
        flash = workload.engine in FLASH_ATTENTION_ENGINES and workload.flash_attention is False
        changed = evolve(workload, kv_precision=KvPrecision(name),
                         flash_attention=True if flash else workload.flash_attention)
        if fits(evolve(spec, workload=changed)):
            return KvCacheAdvice(name, flags, flash)
    return None


def _offload_layers(spec: Spec, facts: Facts) -> int | None:
    """The model's layer count, where the spec splits it by layers (``offload = "layers"`` with
    gpu_layers given) so the layers on the GPUs must be worked out again for each precision;
    None otherwise."""
    workload = spec.workload
    model = facts.build.model if facts.build is not None else None
    if (workload is None or workload.offload != "layers" or workload.gpu_layers is None
            or model is None or not model.layers):
        return None
    return int(model.layers)


def gpu_layers_that_fit(spec: Spec, trials: _Trials, layers: int) -> int | None:
    """The most layers (1 to ``layers``) whose share the GPUs hold (FIT003), or None when not
    even one does or the facts cannot say. More layers never need less VRAM, so a binary
    search finds it."""
    workload = spec.workload
    assert workload is not None

    def holds(count: int) -> bool:
        trial = evolve(spec, workload=evolve(workload, gpu_layers=Count(count)))
        return trials.verdict(trials.facts(trial), (VRAM_RULE,)) is True

    return largest_holding(holds, layers)


def largest_holding(holds: Callable[[int], bool | None], ceiling: int) -> int | None:
    """The largest n in 1..``ceiling`` for which ``holds(n)`` is true, or None when not even 1
    holds (or it cannot be told). ``holds`` must be monotone, true up to some n and false past
    it (more layers or tokens never need less memory), so a binary search finds it in about
    log2(ceiling) trials."""
    if not holds(1):
        return None
    if holds(ceiling):
        return ceiling
    low, high = 1, ceiling  # holds(low), not holds(high)
    while high - low > 1:
        middle = (low + high) // 2
        if holds(middle):
            low = middle
        else:
            high = middle
    return low


def fitting_precisions_with_layers(spec: Spec, trials: _Trials,
                                   layers: int) -> tuple[tuple[str, int], ...]:
    """Under a layer split: every precision at which the model fits with the most layers the
    GPUs hold at that precision (the rest in system memory), most bits per weight first, each
    with its layer count. The spec's own gpu_layers is a choice made for its precision: a
    narrower one fits more layers on the GPUs, a wider one fewer."""
    assert spec.workload is not None
    found: list[tuple[str, int]] = []
    for name in _precision_names():
        workload = evolve(spec.workload, precision=Precision(name), bits_per_weight=None)
        at = evolve(spec, workload=workload)
        count = gpu_layers_that_fit(at, trials, layers)
        if count is None:
            continue
        if trials.fits(evolve(at, workload=evolve(workload, gpu_layers=Count(count)))):
            found.append((name, count))
    return tuple(found)


def _precision_names() -> list[str]:
    """Every file precision, most bits per weight first; the bare K-quant block types
    (``q4_k_block``) are left out, as no file is quantised to one alone, and so are Unsloth's
    mixes, whose figure is one model's."""
    names = [n for n in BITS_PER_WEIGHT if not n.endswith("_block") and not n.startswith("ud-")]
    return sorted(names, key=lambda n: (-BITS_PER_WEIGHT[n], n))


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

    return largest_holding(ok, ceiling)


def fitting_precisions(spec: Spec, fits: Callable[[Spec], bool | None]) -> tuple[str, ...]:
    """Every precision at which the model fits, most bits per weight first; the bare K-quant
    block types (``q4_k_block``) are left out, as no file is quantised to one alone."""
    assert spec.workload is not None
    found: list[str] = []
    for name in _precision_names():
        workload = evolve(spec.workload, precision=Precision(name), bits_per_weight=None)
        if fits(evolve(spec, workload=workload)):
            found.append(name)
    return tuple(found)


def more_memory(spec: Spec, trials: _Trials, facts: Facts,
                limit: int = 10_000) -> MoreMemory | None:
    """Units of the first memory entry to add until the model fits in system memory, rounded up
    to the next population that fills every channel evenly; None when system memory already
    holds it, there is no memory entry, the facts cannot say, or no one publishes a speed for
    that population. More units never lower the capacity, so a binary search finds the fewest;
    an unbalanced population would cost bandwidth (MEM003), so the answer steps on to the next
    balanced one, within the plausible count."""
    return _more_memory(spec, trials, facts, limit)[0]


def _more_memory(spec: Spec, trials: _Trials, facts: Facts,
                 limit: int = 10_000) -> tuple[MoreMemory | None, str | None]:
    """``more_memory``'s answer, and where a population would hold the model but no speed is
    published for it, a note that says so instead."""
    if not spec.memory or trials.verdict(facts, (MEMORY_RULE,)) is not False:
        return None, None
    first = spec.memory[0]
    limit = min(limit, MAX_UNITS - first.count)

    def with_extra(extra: int) -> Facts:
        entries = (evolve(first, count=Count(first.count + extra)), *spec.memory[1:])
        return trials.facts(evolve(spec, memory=entries))

    def enough(after: Facts) -> bool:
        return trials.verdict(after, (MEMORY_RULE,)) is True

    if limit < 1 or not enough(with_extra(limit)):
        return None, None
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
    part = first.part or first.name or "memory[0]"
    if after.get("memory.speed_limit_mts") is None and facts.get(
            "memory.speed_limit_mts") is not None:
        # A population no platform, board or CPU publishes a speed for is not one to buy: it
        # may not train at all (3 DIMMs per channel on AM5). One the board has no slots for is
        # not one at all: that comes first.
        over = (spec.board is not None and isinstance(slots, int | float)
                and isinstance(modules, int | float) and modules > slots)
        why = _text(after.get("memory.speed_limit_basis"))
        if over:
            why = f"{modules:,.0f} modules need more than the board's {slots:,.0f} slots, and {why}"
        return None, (f"{high} more of {part} would hold the model, but {why}: larger modules, "
                      "or a platform with more channels, would hold it")
    return MoreMemory(
        part=part,
        add_units=high,
        modules_after=int(modules) if isinstance(modules, int | float) else 0,
        capacity_gib_after=float(after["memory.capacity_gib"]),  # type: ignore[arg-type]
        slots=int(slots) if isinstance(slots, int | float) else None,
        fits_slots=(modules <= slots if isinstance(slots, int | float)
                    and isinstance(modules, int | float) else None),
        effective_mts_after=_number(after.get("memory.effective_mts")),
        effective_mts_now=_number(facts.get("memory.effective_mts")),
        speed_basis_after=_text(after.get("memory.speed_limit_basis")),
    ), None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
