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
PLAN_FORMAT_VERSION = 1
"""Bumped when a key of the JSON document changes meaning or goes away."""

DECIDING_FACTS = ("cost.total", "memory.capacity_gib", "memory.effective_mts", "gpu.vram_gib",
                  "memory.bandwidth_gbs", "memory.sustained_bandwidth_gbs", "model.required_gib",
                  "model.margin_gib", "decode.tokens_per_s_max", "decode.tokens_per_s_expected",
                  "decode.tokens_per_s_expected_low", "decode.tokens_per_s_expected_high",
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
                   "objective": target.objective},
        "prices": {"currency": answer.prices.currency, "date": answer.prices.date,
                   "source": answer.prices.source},
        "considered": answer.considered, "pruned": answer.pruned,
        "evaluated": answer.evaluated, "excluded": dict(answer.excluded),
        "unpriced": list(answer.unpriced),
        "search": search_document(answer),
        "candidates": [{"cost": c.cost, "currency": answer.currency, "spec": dict(c.spec),
                        "facts": _deciding(_facts(c))}
                       for c in answer.candidates],
    }


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
    prices = answer.prices
    origin = ", ".join(escape_text(x) for x in (prices.source, prices.date) if x)
    order = {"cost": "cheapest first", "speed": "fastest expected decoding first",
             "pareto": "each faster than every cheaper one"}.get(target.objective, "")
    want += f"; {order}" if target.objective != "cost" else ""
    lines = [f"hwspec plan: {want}",
             f"prices in {escape_text(answer.currency)}" + (f" ({origin})" if origin else "")
             + "; prices move, and the list is yours",
             f"{answer.considered:,} builds from the priced parts, searched cheapest first: "
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
        return "\n".join(lines) + "\n"
    for rank, candidate in enumerate(answer.candidates, 1):
        spec, facts = candidate.spec, _facts(candidate)
        parts = [escape_text(part) for part in _parts(spec)]
        lines.append(f"{rank:>2}. {candidate.cost:,.0f} {escape_text(answer.currency)}: "
                     f"{', '.join(parts)}")
        figures = _figures(facts)
        expected = facts.get("decode.tokens_per_s_expected")
        if isinstance(expected, int | float) and target.min_decode_tokens_per_s is not None and (
                expected < target.min_decode_tokens_per_s):
            # FIT002 holds the bound to the target; the expected speed may still fall short.
            figures.append("the expected speed is below --min-decode")
        lines.append("    " + "; ".join(figures))
    return "\n".join(lines) + "\n"


def _parts(spec: Mapping[str, Any]) -> list[str]:
    """What a candidate is made of, by catalog id: a whole machine, or host, GPUs and PSU."""
    if "system" in spec:
        return [spec["system"]["part"]]
    memory, cpu = spec["memory"][0], spec["cpu"]
    return [spec["board"]["part"],
            f"{cpu['count']} x {cpu['part']}" if cpu["count"] > 1 else cpu["part"],
            f"{memory['count']} x {memory['part']}",
            *(f"{g['count']} x {g['part']}" for g in spec.get("gpu", ())),
            spec["psu"]["part"]]


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
    if "decode.tokens_per_s_expected" in facts:
        out.append(f"decode about {facts['decode.tokens_per_s_expected']:,.1f} tokens/s "
                   f"({facts['decode.tokens_per_s_expected_low']:,.1f}-"
                   f"{facts['decode.tokens_per_s_expected_high']:,.1f}; bound "
                   f"{facts['decode.tokens_per_s_max']:,.1f})")
    if "power.load_fraction" in facts:
        out.append(f"PSU {facts['power.load_fraction']:.0%} loaded")
    return out
