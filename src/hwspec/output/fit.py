"""Render ``hwspec fit`` answers as text or JSON."""

from __future__ import annotations

import json
from typing import Any

import attrs

from hwspec.escape import json_document
from hwspec.escape import text as escape_text
from hwspec.output import deep, escape_controls
from hwspec.search.fit import FitAnswer

FIT_FORMATS = ("text", "json")
SHOWN_PRECISIONS = 6
"""Fitting precisions the text format names before summing up the narrower ones."""
FIT_FORMAT_VERSION = 1
"""Bumped when a key of the JSON document changes meaning or goes away."""


def render_fit(path: str, answer: FitAnswer, fmt: str) -> str:
    """The answers for one spec, as ``text`` or ``json``."""
    if fmt == "json":
        document: dict[str, Any] = {"version": FIT_FORMAT_VERSION, "path": path,
                                    **attrs.asdict(answer, recurse=True)}
        document["fitting_precisions"] = list(answer.fitting_precisions)
        document["notes"] = list(answer.notes)
        document["missing"] = list(answer.missing)
        return json_document(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FIT_FORMATS)}")
    return escape_controls(_text(escape_text(path), deep(answer, escape_text)))


def _spec_precision(answer: FitAnswer) -> str:
    """The spec's precision by name, or its width when it gives bits_per_weight."""
    if answer.precision is not None:
        return answer.precision
    if answer.bits_per_weight is not None:
        return f"{answer.bits_per_weight:g} bits/weight"
    return "none given"


def _text(path: str, answer: FitAnswer) -> str:
    verdict = {True: "the model fits as specified", False: "the model does NOT fit as specified",
               None: "cannot tell whether the model fits: facts are missing"}
    lines = [f"{path}: {verdict[answer.fits]}"]
    lines += [f"  missing           {why}" for why in answer.missing]
    if answer.context_tokens is not None:
        if answer.largest_context_tokens is None:
            largest = "none: not even one token of context fits"
        else:
            largest = f"{answer.largest_context_tokens:,} tokens"
        lines.append(f"  largest context   {largest} (spec: {answer.context_tokens:,})")
    if answer.fitting_precisions:
        best = answer.fitting_precisions[0]
        shown = ", ".join(answer.fitting_precisions[:SHOWN_PRECISIONS])
        narrower = len(answer.fitting_precisions) - SHOWN_PRECISIONS
        if narrower > 0:
            shown += f" and {narrower} narrower"
        layers = ("" if answer.gpu_layers is None else
                  f" with gpu_layers = {answer.gpu_layers} (spec: {answer.spec_gpu_layers})")
        lines.append(f"  best precision    {best} (spec: {_spec_precision(answer)}){layers}; "
                     f"fitting: {shown}")
    elif answer.precision is not None:
        lines.append("  best precision    none of the known precisions fits")
    kv = answer.kv_cache
    if kv is not None:
        flash = " and flash_attention = true" if kv.flash_attention else ""
        lines.append(f"  KV cache          {kv.kv_precision} makes it fit: kv_precision = "
                     f"\"{kv.kv_precision}\"{flash} (the engine's {kv.flags})")
    more = answer.more_memory
    if more is not None:
        text = (f"  more memory       {more.add_units} more of {more.part}: "
                f"{more.modules_after} modules, {more.capacity_gib_after:,.0f} GiB")
        if more.slots is not None:
            text += f" in {more.slots} slots" + ("" if more.fits_slots else " (too many)")
        if more.effective_mts_after is not None and more.effective_mts_now is not None and (
                more.effective_mts_after < more.effective_mts_now):
            text += (f"; memory slows from {more.effective_mts_now:,.0f} to "
                     f"{more.effective_mts_after:,.0f} MT/s")
            if more.speed_basis_after and more.speed_basis_after.startswith("assumed"):
                text += f" ({more.speed_basis_after})"
        lines.append(text)
    lines += [f"  note              {note}" for note in answer.notes]
    return "\n".join(lines) + "\n"
