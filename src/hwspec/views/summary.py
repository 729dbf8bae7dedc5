"""The report's answers at a glance, and each GPU's memory budget, read from a checked report.

``summary_items`` answers the questions a buyer asks first: the verdict, whether the model fits,
the decode speed to expect (at the start and at the full context) and the prefill and time to
first token against their targets, the cost against the budget and the load against the PSU.
Each answer is worded from the checked facts, and its state is the worst finding of the rules
that check it (FIT002 for the decode target ...): nothing is judged here. A figure the build
does not let hwspec know says ``unknown`` and names the input that would supply it, as derive
recorded it (``Facts.unknown``, ``prefill.basis``).

``gpu_cards`` splits what the GPUs hold (weights, KV cache, overhead) over the cards by the
share derive gives each card (``item.card_share``, the one ``model.gpu_device_margin_gib`` takes),
so a report draws each card against its own VRAM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from hwspec.facts.record import number
from hwspec.findings import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from hwspec.facts import Facts, FactValue
    from hwspec.views.report import PowerBudget

OK, FAIL, WARN, UNKNOWN, INFO = "ok", "error", "warning", "unknown", "info"
"""States of a summary item: checked and passing, an error or warning finding, unknown, or shown
with nothing to check it against (no target, no budget)."""


@frozen
class SummaryItem:
    """One answer of the summary: the question, the answer in words and how it stands."""

    key: str
    """``verdict``, ``fit``, ``decode``, ``prefill``, ``cost`` or ``power``."""
    label: str
    answer: str
    """The short answer: ``yes``, ``about 6.9 tokens/s``, ``unknown`` ..."""
    detail: str
    """The figures behind it, with the target or the missing input."""
    state: str
    """``ok``, ``error``, ``warning``, ``unknown`` or ``info`` (nothing to check it against)."""
    rules: tuple[str, ...] = ()
    """The rules whose findings set the state, where any fired."""


@frozen
class GpuCard:
    """One GPU's share of what the GPUs hold, against its own VRAM."""

    label: str
    vram_gib: float
    weights_gib: float
    kv_cache_gib: float
    overhead_gib: float
    """The rest of the card's share of ``model.gpu_required_gib``: the compute buffer or the
    default reserve, a quantised KV cache's scratch and what vLLM leaves free."""

    @property
    def required_gib(self) -> float:
        """Weights + KV cache + overhead on this card."""
        return self.weights_gib + self.kv_cache_gib + self.overhead_gib

    @property
    def margin_gib(self) -> float:
        """VRAM left on this card, negative when short."""
        return self.vram_gib - self.required_gib


FIT_RULES = ("FIT001", "FIT003", "FIT004", "FIT005")
DECODE_RULES = ("FIT002",)
PREFILL_RULES = ("FIT006",)
COST_RULES = ("CST001",)
POWER_RULES = ("PWR001", "PWR004")


def summary_items(facts: Facts | None, findings: Sequence[Finding],
                  power: PowerBudget | None) -> tuple[SummaryItem, ...]:
    """The six answers, in the order a reader asks them; with no facts (the spec did not load),
    the verdict alone."""
    errors = sum(f.severity == ERROR for f in findings)
    warnings = sum(f.severity == WARNING for f in findings)
    verdict = SummaryItem(
        "verdict", "Verdict", "FAILED" if errors else "ok",
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}",
        FAIL if errors else WARN if warnings else OK,
        tuple(dict.fromkeys(f.rule for f in findings if f.severity in (ERROR, WARNING))))
    if facts is None:
        return (verdict,)
    values: Mapping[str, FactValue] = facts.by_name
    unknown = {name: f"{u.why} (needs {u.supply})" for u in facts.unknown for name in u.figures}
    return (verdict, _fit(values, unknown, findings), _decode(values, unknown, findings),
            _prefill(values, unknown, findings), _cost(values, findings),
            _power(values, unknown, findings, power))


def _fit(values: Mapping[str, FactValue], unknown: Mapping[str, str],
         findings: Sequence[Finding]) -> SummaryItem:
    fits = values.get("model.fits")
    parts: list[str] = []
    required, usable = _num(values, "model.required_gib"), _num(values, "memory.usable_gib")
    margin = _num(values, "model.margin_gib")
    if required is not None and usable is not None and margin is not None and required > 0:
        where = ("the GPU may use" if "system.gpu_memory_gib" in values
                 and values.get("workload.device") == "gpu" else "installed")
        parts.append(f"needs {_gib(required)} GiB of the {_gib(usable)} GiB {where}, "
                     f"{_margin(margin)}")
    gpu_required, vram = _num(values, "model.gpu_required_gib"), _num(values, "gpu.vram_gib")
    if gpu_required is not None and vram is not None:
        text = f"GPUs {_gib(gpu_required)} of {_gib(vram)} GiB"
        device = _num(values, "model.gpu_device_margin_gib")
        count = _num(values, "gpu.count")
        if device is not None and count is not None and count > 1:
            text += f", fullest card {_margin(device)}"
        elif (gpu_margin := _num(values, "model.gpu_margin_gib")) is not None:
            text += f", {_margin(gpu_margin)}"
        parts.append(text)
    if fits is None or not isinstance(fits, bool):
        why = (unknown.get("model.fits") or unknown.get("model.required_gib")
               or _no_workload(values)
               or "the memory the GPUs or system may use is not known")
        return _item("fit", "Does the model fit?", "unknown", f"unknown: {why}", findings,
                     FIT_RULES, UNKNOWN)
    return _item("fit", "Does the model fit?", "yes" if fits else "no", "; ".join(parts),
                 findings, FIT_RULES, OK if fits else FAIL)


def _decode(values: Mapping[str, FactValue], unknown: Mapping[str, str],
            findings: Sequence[Finding]) -> SummaryItem:
    start, full, target, context = _nums(
        values, "decode.tokens_per_s_expected", "decode.tokens_per_s_expected_full_context",
        "workload.min_decode_tokens_per_s", "workload.context_tokens")
    label = "Decode"
    if start is None:
        bound = _num(values, "decode.tokens_per_s_max")
        why = (unknown.get("decode.tokens_per_s_expected")
               or unknown.get("decode.tokens_per_s_max") or _no_workload(values)
               or "no measured efficiency applies to this build")
        detail = (f"at most {_rate(bound)} tokens/s (the bandwidth bound); expected unknown: "
                  f"{why}" if bound is not None else f"unknown: {why}")
        return _item("decode", label, "unknown", detail + _target_text(target, "tokens/s"),
                     findings, DECODE_RULES, UNKNOWN)
    parts = [f"{_rate(start)} tokens/s{_range(values, 'decode.tokens_per_s_expected')} at the "
             "start"]
    if full is not None:
        at = f"the full {number(context)}-token context" if context else "the full context"
        parts.append(f"{_rate(full)}{_range(values, 'decode.tokens_per_s_expected_full_context')}"
                     f" at {at}")
    detail = ", ".join(parts)
    item = _item("decode", label, f"about {_rate(start)} tokens/s", detail, findings,
                 DECODE_RULES, OK if target is not None else INFO)
    return _with_target(item, f"target {_rate(target)} at the full context"
                        if target is not None else None, "workload.min_decode_tokens_per_s")


def _prefill(values: Mapping[str, FactValue], unknown: Mapping[str, str],
             findings: Sequence[Finding]) -> SummaryItem:
    rate, ttft, target, prompt = _nums(values, "prefill.tokens_per_s_expected", "prefill.ttft_s",
                                       "workload.max_ttft_s", "workload.prompt_tokens")
    label = "Prefill and first token"
    if rate is None or ttft is None:
        basis = values.get("prefill.basis")
        why = (basis.removeprefix("unknown: ") if isinstance(basis, str) and basis else
               unknown.get("decode.tokens_per_s_max") or _no_workload(values)
               or "no compute rate is known for the devices that run the model")
        return _item("prefill", label, "unknown", f"unknown: {why}" + _target_text(target, "s"),
                     findings, PREFILL_RULES, UNKNOWN)
    spread = _range(values, "prefill.tokens_per_s_expected")
    detail = (f"prefill about {_rate(rate)} tokens/s{spread}"
              f"; first token after {_seconds(ttft)}"
              + (f" for a {number(prompt)}-token prompt" if prompt else ""))
    item = _item("prefill", label, f"first token in {_seconds(ttft)}", detail, findings,
                 PREFILL_RULES, OK if target is not None else INFO)
    return _with_target(item, f"target {_seconds(target)}" if target is not None else None,
                        "workload.max_ttft_s")


def _cost(values: Mapping[str, FactValue], findings: Sequence[Finding]) -> SummaryItem:
    total = _num(values, "cost.total")
    budget = _num(values, "build.budget")
    currency = str(values.get("build.currency", "USD"))
    unpriced = values.get("cost.unpriced")
    left_out = (f"; leaves out unpriced {', '.join(unpriced)} (give each a price)"
                if isinstance(unpriced, tuple) and unpriced else "")
    if total is None:
        detail = "unknown: no line of the bill has a price (needs price on each part table)"
        if budget is not None:
            detail += f"; budget {money(budget)} {currency}"
        return _item("cost", "Cost", "unknown", detail, findings, COST_RULES, UNKNOWN)
    answer = f"{money(total)} {currency}"
    if budget is None:
        return _item("cost", "Cost", answer, f"no budget set (build.budget){left_out}", findings,
                     COST_RULES, INFO)
    headroom = budget - total if (h := _num(values, "cost.headroom")) is None else h
    state = (f"{money(headroom)} {currency} left" if headroom >= 0
             else f"{money(-headroom)} {currency} over")
    return _item("cost", "Cost", answer,
                 f"budget {money(budget)} {currency}: {state}{left_out}", findings,
                 COST_RULES, OK)


def _power(values: Mapping[str, FactValue], unknown: Mapping[str, str],
           findings: Sequence[Finding], budget: PowerBudget | None) -> SummaryItem:
    """The load against the PSU, read from the report's power budget (its share, limit and
    headroom are worked out there once); without a PSU rating, the load alone."""
    load, psu = _num(values, "power.load_w"), _num(values, "power.psu_w")
    label = "Power"
    if load is None:
        why = unknown.get("power.load_w") or "no part has a power figure"
        return _item("power", label, "unknown", f"unknown: {why}", findings, POWER_RULES,
                     UNKNOWN)
    if psu is None and "system.name" in values:
        return _item("power", label, f"{number(load)} W",
                     f"{number(load)} W from the machine's own power supply", findings,
                     POWER_RULES, INFO)
    if psu is None:
        return _item("power", label, f"{number(load)} W",
                     f"load {number(load)} W; PSU unknown: the spec declares no [psu] rating "
                     "(needs a [psu] part or psu.capacity_w)", findings, POWER_RULES, UNKNOWN)
    share = _num(values, "power.load_fraction")
    detail = f"{number(load)} W on a {number(psu)} W PSU" + (f" ({share:.0%})" if share else "")
    if budget is not None:
        room = budget.headroom_w
        detail = (f"{number(load)} W on a {number(psu)} W PSU ({budget.load_fraction:.0%}; "
                  f"limit {budget.max_load:.0%} = {number(budget.limit_w)} W): "
                  + (f"{number(room)} W headroom" if room >= 0 else f"{number(-room)} W over"))
    peak, psu_peak = _num(values, "power.peak_w"), _num(values, "power.psu_peak_w")
    if peak is not None and psu_peak is not None:
        detail += f"; peak {number(peak)} W of the {number(psu_peak)} W it delivers for 1 ms"
    uncounted = values.get("power.uncounted")
    if isinstance(uncounted, tuple) and uncounted:
        detail += f"; no power figure for {', '.join(uncounted)}"
    return _item("power", label, f"{number(load)} W of {number(psu)} W", detail, findings,
                 POWER_RULES, OK)


def _item(key: str, label: str, answer: str, detail: str, findings: Sequence[Finding],
          rules: Sequence[str], default: str) -> SummaryItem:
    """An item whose state is the worst finding of ``rules``, else ``default``."""
    fired = [f for f in findings if f.rule in rules]
    state = (FAIL if any(f.severity == ERROR for f in fired)
             else WARN if fired else default)
    return SummaryItem(key, label, answer, detail, state,
                       tuple(dict.fromkeys(f.rule for f in fired)))


def _with_target(item: SummaryItem, target: str | None, key: str) -> SummaryItem:
    """The item's detail with its target and whether the check met it (its rule's finding)."""
    if target is None:
        return evolve(item, detail=f"{item.detail}; no target set ({key})")
    met = "missed" if item.state in (FAIL, WARN) else "met"
    return evolve(item, detail=f"{item.detail}; {target}: {met}")


def _target_text(target: float | None, unit: str) -> str:
    return "" if target is None else f"; target {number(target, 1)} {unit}"


def _no_workload(values: Mapping[str, FactValue]) -> str | None:
    if "workload.context_tokens" in values or "model.name" in values:
        return None
    return "the spec names no model (needs [workload] model)"


def _range(values: Mapping[str, FactValue], name: str) -> str:
    low, high = _num(values, f"{name}_low"), _num(values, f"{name}_high")
    return "" if low is None or high is None else f" ({_rate(low)}-{_rate(high)})"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _num(values: Mapping[str, FactValue], name: str) -> float | None:
    value = values.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _nums(values: Mapping[str, FactValue], *names: str) -> tuple[float | None, ...]:
    """Several numeric facts at once, each None where it is not a known number."""
    return tuple(_num(values, name) for name in names)


def _gib(value: float) -> str:
    return number(value, 1)


def _margin(value: float) -> str:
    return f"{_gib(abs(value))} GiB {'free' if value >= 0 else 'short'}"


def _rate(value: float | None) -> str:
    if value is None:
        return "?"
    return number(value, 1) if value < 100 else number(round(value))


def _seconds(value: float | None) -> str:
    return "?" if value is None else f"{number(value, 1)} s"


def money(value: float) -> str:
    """An amount with thousands separators, to the cent when it has cents: 1,449 or 1,449.50."""
    cents = round(value, 2)
    return f"{cents:,.0f}" if float(cents).is_integer() else f"{cents:,.2f}"


def gpu_cards(facts: Facts | None) -> tuple[GpuCard, ...]:
    """Each card's memory budget, where the GPUs hold part of the model and every card's VRAM
    and the split between them are known; empty otherwise."""
    if facts is None:
        return ()
    values = facts.by_name
    required = _num(values, "model.gpu_required_gib")
    split = values.get("workload.gpu_split")
    entries = facts.entries.get("gpu", ())
    if required is None or not isinstance(split, str) or not entries:
        return ()
    units: list[tuple[str, float, float]] = []
    for index, entry in enumerate(entries):
        vram, count = entry.get("item.vram_gib"), entry.get("item.count", 1)
        share = entry.get("item.card_share")
        if not isinstance(vram, int | float) or not isinstance(share, int | float) or not vram:
            return ()
        name = str(entry.get("item.name") or f"gpu[{index}]")
        units += [(name, float(vram), float(share))] * (
            int(count) if isinstance(count, int | float) else 1)
    weights = _num(values, "model.gpu_weights_gib") or 0.0
    kv = _num(values, "model.gpu_kv_cache_gib") or 0.0
    overhead = max(required - weights - kv, 0.0)
    return tuple(GpuCard(f"GPU {i + 1}: {name}", vram, weights * share, kv * share,
                         overhead * share)
                 for i, (name, vram, share) in enumerate(units))
