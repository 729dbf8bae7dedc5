"""Render ``hwspec plan`` answers as text or JSON: the candidates cheapest first, each with the
figures that decided it, read from its checked report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hwspec.escape import json_document
from hwspec.escape import text as escape_text
from hwspec.output import escape_controls
from hwspec.search.plan import Candidate, Plan, most_excluding, search_document, search_notice

PLAN_FORMATS = ("text", "json")
PLAN_FORMAT_VERSION = 2
"""Bumped when a key of the JSON document changes meaning or goes away."""

DECIDING_FACTS = ("cost.total", "memory.capacity_gib", "memory.effective_mts", "gpu.vram_gib",
                  "memory.bandwidth_gbs", "memory.sustained_bandwidth_gbs", "model.required_gib",
                  "model.margin_gib", "decode.tokens_per_s_max", "decode.tokens_per_s_expected",
                  "decode.tokens_per_s_expected_low", "decode.tokens_per_s_expected_high",
                  "decode.tokens_per_s_max_full_context",
                  "decode.tokens_per_s_expected_full_context",
                  "decode.tokens_per_s_expected_full_context_low",
                  "decode.tokens_per_s_expected_full_context_high",
                  "prefill.tokens_per_s_max", "prefill.tokens_per_s_expected",
                  "prefill.tokens_per_s_expected_low", "prefill.tokens_per_s_expected_high",
                  "workload.prompt_tokens", "prefill.ttft_s",
                  "power.load_w", "power.load_fraction", "power.psu_w")
"""The figures each candidate shows: what a buyer compares."""


def render_plan(answer: Plan, fmt: str) -> str:
    """The answer as ``text`` or ``json``."""
    if fmt == "json":
        return json_document(json.dumps(plan_document(answer), indent=2,
                                        ensure_ascii=False)) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(PLAN_FORMATS)}")
    return escape_controls(_text(answer))


def plan_document(answer: Plan) -> dict[str, Any]:
    """The JSON document: the target, the search's counts and the candidates, cheapest first."""
    target = answer.target
    return {
        "version": PLAN_FORMAT_VERSION,
        "kind": "plan",
        "target": {"model": target.model, "precision": target.precision,
                   "context_tokens": target.context_tokens,
                   "min_decode_tokens_per_s": target.min_decode_tokens_per_s,
                   "budget": target.budget, "max_power_w": target.max_power_w,
                   "platforms": list(target.platforms), "gpus": list(target.gpus),
                   "max_gpus": target.max_gpus, "offload": target.offload,
                   "objective": target.objective,
                   "min_prefill_tokens_per_s": target.min_prefill_tokens_per_s,
                   "max_ttft_s": target.max_ttft_s, "prompt_tokens": target.prompt_tokens,
                   "basis": target.basis, "owned": dict(target.owned)},
        "prices": {"currency": answer.prices.currency, "date": answer.prices.date,
                   "source": answer.prices.source},
        "considered": answer.considered, "pruned": answer.pruned,
        "evaluated": answer.evaluated, "excluded": dict(answer.excluded),
        "unpriced": list(answer.unpriced),
        "search": search_document(answer),
        "candidates": [_candidate(c, answer) for c in answer.candidates],
        "undecided": [_candidate(c, answer) for c in answer.undecided],
    }


def _candidate(candidate: Candidate, answer: Plan) -> dict[str, Any]:
    return {"cost": candidate.cost, "currency": answer.currency, "spec": dict(candidate.spec),
            "facts": _deciding(_facts(candidate)), "alternatives": candidate.alternatives,
            "changes": list(candidate.changes), "assumptions": assumptions(_facts(candidate)),
            "missing": list(candidate.missing)}


ASSUMPTION_WORDS = ("not checked", "no measurement", "not published", "not stated",
                    "not known", "unknown", "assumed")
"""What marks a part of a basis as an assumption the figures rest on."""


def assumptions(facts: Mapping[str, Any]) -> list[str]:
    """The assumptions a build's figures rest on, as its facts' bases state them: a cap not
    checked, a figure not published, an engine not stated, parts' power taken at their class
    figure."""
    out: list[str] = []
    for name in ("memory.sustained_basis", "decode.expected_basis", "prefill.basis"):
        for part in str(facts.get(name) or "").split("; "):
            if any(word in part for word in ASSUMPTION_WORDS):
                out.append(part.strip())
    assumed = facts.get("power.assumed")
    if isinstance(assumed, tuple | list) and assumed:
        parts = ", ".join(str(a).split(":", 1)[0] for a in assumed)
        out.append(f"power of {parts} at its class figure")
    return list(dict.fromkeys(out))


def _facts(candidate: Candidate) -> dict[str, Any]:
    facts = candidate.report.facts
    return dict(facts) if facts is not None else {}


def _deciding(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {k: facts[k] for k in DECIDING_FACTS if k in facts}


def _text(answer: Plan) -> str:
    """The answer for a terminal; each string from an input (the price list's source, date and
    currency, part ids, the target's names) passes :func:`hwspec.escape.text`."""
    target = answer.target
    want = (f"{escape_text(target.model)} at {escape_text(target.precision)}, "
            f"{target.context_tokens:,} tokens of context"
            + (f", at least {target.min_decode_tokens_per_s:g} tokens/s"
               if target.min_decode_tokens_per_s is not None else ""))
    if target.min_prefill_tokens_per_s is not None:
        want += f", prefill at least {target.min_prefill_tokens_per_s:g} tokens/s"
    if target.max_ttft_s is not None:
        want += f", first token within {target.max_ttft_s:g} s"
    if target.max_power_w is not None:
        want += f", load at most {target.max_power_w:,g} W"
    if target.budget is not None:
        want += f", at most {target.budget:,g} {escape_text(answer.currency)}"
    if target.basis != "expected" and (target.min_decode_tokens_per_s is not None
                                       or target.min_prefill_tokens_per_s is not None
                                       or target.max_ttft_s is not None):
        want += f" ({'the low end of the range' if target.basis == 'low' else 'the bound'})"
    prices = answer.prices
    origin = ", ".join(escape_text(x) for x in (prices.source, prices.date) if x)
    order = {"cost": "cheapest first", "speed": "fastest expected decoding first",
             "pareto": "each faster than every cheaper one"}.get(target.objective, "")
    want += f"; {order}" if target.objective != "cost" else ""
    lines = [f"hwspec plan: {want}",
             f"prices in {escape_text(answer.currency)}" + (f" ({origin})" if origin else "")
             + "; prices move: check them before buying",
             f"{answer.considered:,} build{'' if answer.considered == 1 else 's'} from the "
             "priced parts, searched cheapest first: "
             f"{answer.pruned:,} excluded by bounds before any check, {answer.evaluated:,} "
             "checked in full", ""]
    notice = search_notice(answer)
    if notice is not None:
        lines[-1:-1] = [notice]
    if not answer.candidates:
        lines.append("no build meets the target")
        reason = most_excluding(answer)
        if reason is not None:
            lines.append(f"excluded most: {escape_text(reason)}")
        elif answer.unpriced:
            lines.append(f"the price list prices no {escape_text(', '.join(answer.unpriced))} "
                         "of the catalog")
        elif not answer.considered:
            lines.append("the priced parts make no complete build: a board, CPUs its platform "
                         "takes, memory of a generation and kind that platform takes, and a PSU")
    for rank, candidate in enumerate(answer.candidates, 1):
        lines += _entry(f"{rank:>2}.", candidate, answer)
    if answer.undecided:
        lines += ["", "not known to meet the target (a figure it needs is unknown), cheapest "
                      "first:"]
        for candidate in answer.undecided:
            lines += _entry(" -", candidate, answer)
            lines += [f"    missing: {escape_text(m)}" for m in candidate.missing]
    return "\n".join(lines) + "\n"


def _entry(mark: str, candidate: Candidate, answer: Plan) -> list[str]:
    """A candidate's lines: its cost and parts, its figures, the settings it needs, and the
    assumptions its figures rest on."""
    spec, facts = candidate.spec, _facts(candidate)
    parts = [escape_text(part) for part in _parts(spec)]
    alike = (f" (and {candidate.alternatives:,} alike that cost more: another board, module "
             "brand, near-identical CPU or PSU)" if candidate.alternatives else "")
    out = [f"{mark} {candidate.cost:,.0f} {escape_text(answer.currency)}: "
           f"{', '.join(parts)}{alike}", "    " + "; ".join(_figures(facts))]
    out += [f"    needs: {escape_text(change)}" for change in candidate.changes]
    said = assumptions(facts)
    if said:
        out.append(f"    assumes: {escape_text('; '.join(said))}")
    return out


def _parts(spec: Mapping[str, Any]) -> list[str]:
    """What a candidate is made of, by catalog id: a whole machine, or host, GPUs and PSU."""
    if "system" in spec:
        return [spec["system"]["part"]]
    cpu = spec["cpu"]
    return [spec["board"]["part"],
            f"{cpu['count']} x {cpu['part']}" if cpu["count"] > 1 else cpu["part"],
            *_units(spec["memory"]), *_units(spec.get("gpu", ())),
            spec["psu"]["part"]]


def _units(lines: Any) -> list[str]:
    """A list kind's lines by part: how many, and how many of them are owned (a line without a
    price) where some are bought."""
    counts: dict[str, list[int]] = {}
    for line in lines:
        total = counts.setdefault(line["part"], [0, 0])
        total[0] += line["count"]
        total[1] += 0 if "price" in line else line["count"]
    return [f"{n} x {part}" + (f" ({owned} owned)" if 0 < owned < n else "")
            for part, (n, owned) in counts.items()]


def _figures(facts: Mapping[str, Any]) -> list[str]:
    out = []
    if "memory.capacity_gib" in facts:
        speed = (f" at {facts['memory.effective_mts']:,.0f} MT/s"
                 if "memory.effective_mts" in facts else "")
        bandwidth = (f", {facts['memory.sustained_bandwidth_gbs']:,.0f} GB/s sustained"
                     if "memory.sustained_bandwidth_gbs" in facts else "")
        out.append(f"{facts['memory.capacity_gib']:,.0f} GiB{speed}{bandwidth}")
    if "gpu.vram_gib" in facts:
        out.append(f"{facts['gpu.vram_gib']:,.0f} GiB VRAM"
                   + (f", {facts['model.gpu_margin_gib']:,.1f} GiB free"
                      if "model.gpu_margin_gib" in facts else ""))
    if "model.margin_gib" in facts:
        out.append(f"{facts['model.margin_gib']:,.1f} GiB free")
    full = "decode.tokens_per_s_expected_full_context"
    if full in facts:
        out.append(f"decode at the full context about {facts[full]:,.1f} tokens/s "
                   f"({facts.get(full + '_low', 0):,.1f}-{facts.get(full + '_high', 0):,.1f}; "
                   f"bound {facts.get('decode.tokens_per_s_max_full_context', 0):,.1f})")
    else:
        out.append("decode unknown")
    if "prefill.tokens_per_s_expected" in facts:
        out.append(f"prefill about {facts['prefill.tokens_per_s_expected']:,.0f} tokens/s")
    else:
        out.append("prefill unknown")
    if "prefill.ttft_s" in facts:
        out.append(f"first token after {facts['prefill.ttft_s']:,.1f} s for "
                   f"{facts.get('workload.prompt_tokens', 0):,.0f} prompt tokens")
    if "power.load_w" in facts:
        out.append(f"load {facts['power.load_w']:,.0f} W" + (
            f", PSU {facts['power.load_fraction']:.0%} loaded"
            if "power.load_fraction" in facts else ""))
    else:
        out.append("load unknown")
    return out
