"""Render ``hwspec fit --models`` answers (``hwspec.search.models.ModelRanking``) as text or
JSON."""

from __future__ import annotations

import json
from typing import Any

import attrs

from hwspec.escape import json_document
from hwspec.escape import text as escape_text
from hwspec.output import deep, escape_controls
from hwspec.search.models import ModelFit, ModelRanking

MODELS_FORMATS = ("text", "json")
MODELS_FORMAT_VERSION = 1
"""Bumped when a key of the JSON document changes meaning or goes away."""


def render_models(path: str, ranking: ModelRanking, fmt: str) -> str:
    """The ranking for one spec, as ``text`` or ``json``."""
    if fmt == "json":
        document: dict[str, Any] = {"version": MODELS_FORMAT_VERSION, "kind": "models",
                                    "path": path, **attrs.asdict(ranking, recurse=True)}
        for model in document["ranked"]:
            for key in ("launch_placeholders", "launch_notes"):
                model[key] = list(model[key])
        for key in ("ranked", "left_out", "notes"):
            document[key] = list(document[key])
        return json_document(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(MODELS_FORMATS)}")
    return escape_controls(_text(escape_text(path), deep(ranking, escape_text)))


def _speed(value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return "?"
    if low is None or high is None:
        return f"{value:,.1f}"
    return f"{value:,.1f} ({low:,.1f}-{high:,.1f})"


def _short(value: float) -> str:
    """A count or a rate to a width that reads: 117, 5.1, 0.4."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _row(rank: int, fit: ModelFit) -> list[str]:
    params = f"{_short(fit.params_b)}B" if fit.params_b is not None else "?"
    if fit.params_b is not None and fit.active_params_b is not None and (
            fit.active_params_b < fit.params_b):
        params += f"/{_short(fit.active_params_b)}B"
    largest = (f"{fit.largest_context_tokens:,}" if fit.largest_context_tokens is not None
               else "?")
    prefill = _short(fit.prefill_tokens_per_s) if fit.prefill_tokens_per_s is not None else "?"
    return [str(rank), fit.model, params, fit.precision, fit.placement, largest,
            _speed(fit.decode_tokens_per_s, fit.decode_low, fit.decode_high),
            _speed(fit.decode_full_context, fit.decode_full_context_low,
                   fit.decode_full_context_high), prefill]


HEADER = ["#", "model", "params", "precision", "weights in", "max context", "decode, start",
          "decode, full context", "prefill"]
RIGHT = {0, 2, 5, 6, 7, 8}
"""Columns aligned right (numbers)."""


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c.rjust(w) if i in RIGHT else c.ljust(w)
                             for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


def _text(path: str, ranking: ModelRanking) -> str:
    fitting = len(ranking.ranked)
    where = "in GPU memory, " if ranking.gpu_only else ""
    family = f" of family {ranking.family}" if ranking.family else ""
    lines = [f"{path}: {fitting} of {ranking.checked} models{family} fit {where}at "
             f"{ranking.context_tokens:,} tokens of context on {ranking.engine}",
             f"ranked: {ranking.rule}",
             "params: total/active; speeds: tokens/s, expected (range), as `hwspec report` "
             "shows them for the spec with that model and precision"]
    if ranking.ranked:
        lines += _table([HEADER, *(_row(i, f) for i, f in enumerate(ranking.ranked, 1))])
    reasons: dict[str, list[str]] = {}
    for left in ranking.left_out:
        reasons.setdefault(left.why, []).append(left.model)
    lines += [f"  left out ({why}): {', '.join(models)}" for why, models in reasons.items()]
    lines += [f"  note: {note}" for note in ranking.notes]
    top = ranking.ranked[0] if ranking.ranked else None
    if top is not None and top.launch_command is not None:
        lines += ["", f"Launch {top.model} at {top.precision} ({ranking.engine}; flags from "
                      f"{top.launch_source}):", f"  {top.launch_command}"]
        lines += [f"    {p}" for p in top.launch_placeholders]
        lines += [f"    note: {n}" for n in top.launch_notes]
    return "\n".join(lines) + "\n"
