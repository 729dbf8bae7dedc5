"""Which models a build runs: every catalog model (and any model file given) on one build, each at
the widest precision that fits, with its largest context, its decode and prefill figures and
the command that launches it, ranked by a rule the answer states.

Each model is checked the way ``hwspec fit`` checks a spec: the spec's workload with the model
(and a precision) put in, derived again and judged by the fit rules (FIT001, FIT003, FIT004) with
the parameters the spec was checked with (``hwspec.search.fit``). So a model's figures are the
ones ``validate`` and ``report`` show for the same spec with that model at that precision, through
every formula they use; nothing here estimates anything of its own.

Memory needed never falls as the weights widen or as the context grows, so the widest fitting
precision of a ladder and the largest context are both found by binary search: the whole catalog
on one build takes a few hundred derives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from attrs import evolve, frozen

from hwspec.checker import Checker, Report
from hwspec.facts import Facts
from hwspec.findings import did_you_mean
from hwspec.search.fit import (
    MAX_CONTEXT_SEARCH,
    _Trials,
    gpu_layers_that_fit,
    largest_context,
    largest_holding,
)
from hwspec.spec.model import ModelArch, Spec, Workload
from hwspec.spec.values import Count, Device, OffloadMode, Precision, check_positive

DEFAULT_CONTEXT = 8192
"""Context the models are checked at when the spec's workload gives none (or there is none)."""

DEFAULT_MIN_DECODE = 10.0
"""Decode speed (tokens/s at the full context) the ranking calls usable when neither
``--min-decode`` nor ``workload.min_decode_tokens_per_s`` gives one: a comfortable reading pace."""

GGUF_LADDER = ("bf16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k", "iq2_xxs", "iq1_s")
"""The GGUF files people download, widest first (llama.cpp, ik_llama.cpp, KTransformers)."""
SAFETENSORS_LADDER = ("bf16", "fp8", "int4")
"""The checkpoints vLLM and SGLang serve: the release, FP8, and 4-bit AWQ/GPTQ, widest first."""
MLX_LADDER = ("bf16", "int8", "int4")
"""The MLX conversions (mlx-community's bf16, 8bit and 4bit), widest first."""

EXPERTS_IN_RAM = OffloadMode("experts-in-ram")

LADDERS = {"vllm": SAFETENSORS_LADDER, "sglang": SAFETENSORS_LADDER, "mlx": MLX_LADDER}
"""The precisions tried on each engine; every other engine (and none named) takes GGUF files."""


class ModelsError(ValueError):
    """The question cannot be asked of this build: a family no model has, or GPU memory asked
    for on a build without a GPU."""


@frozen
class Candidate:
    """One model to rank: a catalog id, or an architecture read from a file."""

    key: str
    """The catalog id, or the file's path."""
    arch: ModelArch | None = None
    """The file's architecture; None for a catalog model."""
    from_file: bool = False


@frozen
class ModelFit:
    """One model that fits, at its widest fitting precision, with the figures validate and
    report show for the spec with it (None where they are unknown)."""

    model: str
    """Catalog id, or the model file's path."""
    name: str
    family: str
    params_b: float | None
    active_params_b: float | None
    precision: str
    """The precision of the ladder, or 'the file's' for a GGUF file's own bytes."""
    bits_per_weight: float | None
    placement: str
    """Where the weights are: GPU, CPU, experts in RAM, or N/M layers GPU."""
    context_tokens: int
    largest_context_tokens: int | None
    required_gib: float | None
    gpu_required_gib: float | None
    decode_tokens_per_s: float | None
    decode_low: float | None
    decode_high: float | None
    decode_full_context: float | None
    decode_full_context_low: float | None
    decode_full_context_high: float | None
    prefill_tokens_per_s: float | None
    ttft_s: float | None
    usable: bool
    """Whether decode at the full context reaches the ranking's threshold."""
    launch_command: str | None = None
    launch_placeholders: tuple[str, ...] = ()
    launch_notes: tuple[str, ...] = ()
    launch_source: str | None = None


@frozen
class LeftOut:
    """A model that is not ranked, and why."""

    model: str
    why: str


@frozen
class ModelRanking:
    """Every model that fits the build, ranked, the rule that ranked them and what was left
    out."""

    engine: str
    context_tokens: int
    min_decode: float
    rule: str
    ranked: tuple[ModelFit, ...]
    left_out: tuple[LeftOut, ...]
    checked: int
    """Models considered after the family filter (catalog and files)."""
    gpu_only: bool = False
    family: str | None = None
    notes: tuple[str, ...] = ()


def family_of(model_id: str) -> str:
    """A model's family: the first word of its id without its version (qwen3-32b: qwen,
    gpt-oss-120b: gpt, llama-3.1-8b: llama)."""
    head = re.split(r"[-_ ]", model_id.lower(), maxsplit=1)[0]
    return head.rstrip("0123456789.") or head


def in_family(model_id: str, family: str) -> bool:
    """Whether a model is of the family asked for: its family, or a longer start of its id
    ending where a word or version part does (qwen3 for qwen3-32b and qwen3-coder-480b-a35b,
    gpt-oss, llama-3 for llama-3.1-8b; not qwen3-3)."""
    wanted, key = family.lower(), model_id.lower()
    if family_of(key) == wanted:
        return True
    return key.startswith(wanted) and key[len(wanted):][:1] in ("", "-", "_", ".")


def rule_text(min_decode: float) -> str:
    """The ranking rule, as the answer states it."""
    return (f"models that decode at >= {min_decode:g} tokens/s at the full context first, "
            "largest (total parameters) first, then faster; then the rest, faster first; "
            "each at the widest precision that fits and reaches that speed, else the widest "
            "that fits")


def _sort_key(fit: ModelFit) -> tuple[bool, float, float]:
    speed = fit.decode_full_context if fit.decode_full_context is not None else -1.0
    if fit.usable:
        return (False, -(fit.params_b or 0.0), -speed)
    return (True, -speed, 0.0)


def rank_models(report: Report, checker: Checker, *, files: Sequence[Candidate] = (),
                min_decode: float | None = None, gpu_only: bool = False,
                family: str | None = None) -> ModelRanking:
    """Rank every catalog model (and ``files``) on the checked spec's build.

    ``min_decode`` filters out models whose expected decode at the full context is below it,
    and sets the ranking's threshold (else ``workload.min_decode_tokens_per_s``, else
    ``DEFAULT_MIN_DECODE``); ``gpu_only`` puts every layer in GPU memory; ``family`` keeps one
    family (``ModelsError`` with a did-you-mean when no model has it)."""
    spec = report.spec
    if spec is None or report.facts is None:
        raise ValueError("ranking models needs a spec that loaded and was checked")
    if min_decode is not None:
        try:  # the spec's own check of a positive figure
            check_positive(min_decode)
        except (TypeError, ValueError) as error:
            raise ModelsError(f"--min-decode: {error}") from None
    if gpu_only and not spec.gpu and spec.system is None:
        raise ModelsError("--gpu-only: the build has no [[gpu]] and no [system] whose GPU "
                          "could hold a model")
    catalog_ids = [e.id for e in checker.catalog.entries("model")]
    candidates = [Candidate(i) for i in catalog_ids] + list(files)
    if family is not None:
        chosen = [c for c in candidates if in_family(_family_key(c), family)]
        if not chosen:
            families = sorted({family_of(_family_key(c)) for c in candidates})
            raise ModelsError(f"--family {family!r}: no model is of that family"
                              f"{did_you_mean(family, families)} (families: "
                              f"{', '.join(families)})")
        candidates = chosen
    base = _base_workload(spec, gpu_only)
    engine = base.engine or "llama.cpp"
    context = int(base.context_tokens or DEFAULT_CONTEXT)
    threshold = (min_decode if min_decode is not None
                 else base.min_decode_tokens_per_s or DEFAULT_MIN_DECODE)
    trials = _Trials(report, checker)
    ranked: list[ModelFit] = []
    left_out: list[LeftOut] = []
    specs: dict[str, Spec] = {}
    for candidate in candidates:
        outcome = _fit_one(spec, base, candidate, trials, float(threshold), gpu_only)
        if isinstance(outcome, LeftOut):
            left_out.append(outcome)
            continue
        result, specs[candidate.key] = outcome
        if min_decode is not None and not result.usable:
            speed = result.decode_full_context
            left_out.append(LeftOut(candidate.key, (
                f"decodes at {speed:,.1f} tokens/s at the full context, below {min_decode:g}"
                if speed is not None else "its decode speed is unknown")))
        else:
            ranked.append(result)
    ranked.sort(key=_sort_key)
    if ranked:
        ranked[0] = _with_launch(ranked[0], specs[ranked[0].model], trials)
    notes = []
    if spec.workload is None or spec.workload.context_tokens is None:
        notes.append(f"the spec gives no context: every model is checked at {context:,} tokens")
    return ModelRanking(engine, context, float(threshold), rule_text(float(threshold)),
                        tuple(ranked), tuple(left_out), len(candidates), gpu_only, family,
                        tuple(notes))


def _family_key(candidate: Candidate) -> str:
    """What a model's family is read from: its catalog id; for a file, the model's name (as
    an id: 'Qwen3 32B' is qwen3-32b), else the file's name without its extension."""
    if not candidate.from_file:
        return candidate.key
    if candidate.arch is not None and candidate.arch.name:
        return "-".join(candidate.arch.name.lower().split())
    return PurePath(candidate.key).stem.lower()


def _base_workload(spec: Spec, gpu_only: bool) -> Workload:
    """The spec's workload with its model-specific settings taken out: the placement (the layers
    on the GPUs, the experts kept in system memory) is each model's, tried by ``_placements``;
    only offload = none, which keeps the GPUs out of it, stays. Under ``gpu_only`` every layer
    goes to the GPUs (the [system]'s GPU on a unified-memory machine)."""
    workload = spec.workload or Workload(context_tokens=Count(DEFAULT_CONTEXT))
    if workload.context_tokens is None:
        workload = evolve(workload, context_tokens=Count(DEFAULT_CONTEXT))
    offload = workload.offload if workload.offload == "none" and not gpu_only else None
    return evolve(workload, model=None, arch=None, precision=None, precisions=None,
                  bits_per_weight=None, gpu_layers=None, cpu_moe_layers=None, offload=offload,
                  prompt_tokens=None,
                  weights_from_storage=None if gpu_only else workload.weights_from_storage,
                  device=Device("gpu") if gpu_only and spec.system is not None else workload.device)


def _with_model(spec: Spec, base: Workload, candidate: Candidate, precision: str | None,
                context: int | None = None) -> Spec:
    workload = evolve(base, model=None if candidate.from_file else candidate.key,
                      arch=candidate.arch,
                      precision=Precision(precision) if precision is not None else None)
    if context is not None:
        workload = evolve(workload, context_tokens=Count(context))
    return evolve(spec, workload=workload)


def _widest(ladder: Sequence[str], fits: Callable[[str], bool]) -> str | None:
    """The widest precision of the ladder that fits: the first of a run of failures then
    successes (a narrower precision never needs more memory), found by the binary search that
    finds the largest context (``search.fit.largest_holding``) over the count of failures."""
    if not ladder:
        return None
    failing = largest_holding(lambda n: not fits(ladder[n - 1]), len(ladder)) or 0
    return ladder[failing] if failing < len(ladder) else None


def _placements(spec: Spec, base: Workload, moe: bool, gpu_only: bool) -> list[Workload]:
    """The placements to try, fastest first: the spec's own where it fixes one (no GPUs, or
    offload = none); on a build with GPUs, every layer on them, then (for a mixture of experts)
    the routed experts in system memory, then as many whole layers as the GPUs hold (the
    layer count is searched per precision)."""
    if gpu_only or not spec.gpu or base.offload == "none":
        return [base]
    placements = [evolve(base, offload=None)]
    if moe:
        placements.append(evolve(base, offload=EXPERTS_IN_RAM))
    placements.append(evolve(base, offload=OffloadMode("layers")))
    return placements


def _is_moe(candidate: Candidate, trials: _Trials) -> bool:
    if candidate.arch is not None:
        return bool(candidate.arch.experts)
    entry = trials.catalog.get("model", candidate.key)
    return entry is not None and bool(entry.fields.get("experts"))


def _most_layers(spec: Spec, trials: _Trials) -> Spec | None:
    """The spec with the most whole layers on the GPUs that VRAM holds (FIT003), when the rest
    then fits too; None when not one layer fits or the model states no layer count."""
    assert spec.workload is not None
    facts = trials.facts(evolve(spec, workload=evolve(spec.workload, gpu_layers=Count(1))))
    model = facts.build.model if facts.build is not None else None
    layers = model.layers if model is not None else None
    if layers is None or layers < 2:
        return None

    most = gpu_layers_that_fit(spec, trials, int(layers) - 1)  # all of them: another placement
    if most is None:
        return None
    best = evolve(spec, workload=evolve(spec.workload, gpu_layers=Count(most)))
    return best if trials.fits(best) is True else None


def _placed(candidate: Spec, trials: _Trials) -> Spec | None:
    """The spec with a model at a placement, or None when it does not fit (under offload =
    layers: with the most layers on the GPUs that fit)."""
    assert candidate.workload is not None
    if candidate.workload.offload == "layers":
        return _most_layers(candidate, trials)
    return candidate if trials.fits(candidate) is True else None


def _fit_one(spec: Spec, base: Workload, candidate: Candidate, trials: _Trials,
             threshold: float, gpu_only: bool = False) -> tuple[ModelFit, Spec] | LeftOut:
    """One model: its widest fitting precision at the spec's context over the placements, its
    largest context there, and the figures at the spec's context."""
    own_bytes = candidate.arch is not None and candidate.arch.weight_bytes is not None
    ladder: Sequence[str | None] = (None,) if own_bytes else LADDERS.get(
        base.engine or "", GGUF_LADDER)
    best: tuple[int, Spec, str | None] | None = None
    for placement in _placements(spec, base, _is_moe(candidate, trials), gpu_only):
        found: dict[str | None, Spec] = {}

        def fits(precision: str | None, placement: Workload = placement,
                 found: dict[str | None, Spec] = found) -> bool:
            placed = _placed(_with_model(spec, placement, candidate, precision), trials)
            if placed is not None:
                found[precision] = placed
            return placed is not None

        if own_bytes:
            precision: str | None = None if fits(None) else "-"
        else:
            precision = _widest([p for p in ladder if p is not None], fits)
        if precision in found and (best is None or ladder.index(precision) < best[0]):
            best = (ladder.index(precision), found[precision], precision)
        if best is not None and best[0] == 0:
            break
    if best is None:
        unknown = _cannot_tell(_with_model(spec, base, candidate, ladder[-1]), trials)
        if unknown is not None:
            return LeftOut(candidate.key, unknown)
        if own_bytes:
            return LeftOut(candidate.key, f"does not fit at {base.context_tokens:,} tokens")
        return LeftOut(candidate.key, f"does not fit at {base.context_tokens:,} tokens, "
                                      f"not even at {ladder[-1]}")
    index, at, precision = best
    if not own_bytes:
        placements = _placements(spec, base, _is_moe(candidate, trials), gpu_only)
        at, precision = _fast_enough(spec, placements, candidate, trials, threshold,
                                     ladder[index:], at, precision)
    facts = trials.facts(at)
    model = facts.build.model if facts.build is not None else None
    ceiling = (model.max_context_tokens if model is not None else None) or MAX_CONTEXT_SEARCH
    largest = largest_context(at, trials.fits, ceiling)
    full = facts.number("decode.tokens_per_s_expected_full_context")
    return ModelFit(
        model=candidate.key,
        name=facts.text("model.name") or candidate.key,
        family=family_of(_family_key(candidate)),
        params_b=facts.number("model.params_b"),
        active_params_b=facts.number("model.active_params_b"),
        precision=precision if precision is not None else "the file's",
        bits_per_weight=facts.number("model.bits_per_weight"),
        placement=_placement_text(facts, model.layers if model is not None else None),
        context_tokens=int(base.context_tokens or DEFAULT_CONTEXT),
        largest_context_tokens=largest,
        required_gib=facts.number("model.required_gib"),
        gpu_required_gib=facts.number("model.gpu_required_gib"),
        decode_tokens_per_s=facts.number("decode.tokens_per_s_expected"),
        decode_low=facts.number("decode.tokens_per_s_expected_low"),
        decode_high=facts.number("decode.tokens_per_s_expected_high"),
        decode_full_context=full,
        decode_full_context_low=facts.number("decode.tokens_per_s_expected_full_context_low"),
        decode_full_context_high=facts.number("decode.tokens_per_s_expected_full_context_high"),
        prefill_tokens_per_s=facts.number("prefill.tokens_per_s_expected"),
        ttft_s=facts.number("prefill.ttft_s"),
        usable=full is not None and full >= threshold,
    ), at


def _fast_enough(spec: Spec, placements: Sequence[Workload], candidate: Candidate,
                 trials: _Trials, threshold: float, narrower: Sequence[str | None], at: Spec,
                 precision: str | None) -> tuple[Spec, str | None]:
    """The widest precision, from the widest that fits (``narrower[0]``, placed as ``at``)
    down, whose expected decode at the full context reaches the threshold, in the fastest
    placement that holds it (a narrower file may fit every layer on the GPUs where the widest
    needed some in system memory); the widest that fits where none does. A narrower file reads
    fewer bytes a token, so a model too slow at its widest fitting file is offered at the file
    that meets the speed asked for rather than left out as too slow. Each is tried in turn:
    i-quants decoded on CPU cores can be slower than a wider K-quant, so speed is not taken to
    grow down the ladder."""
    full = "decode.tokens_per_s_expected_full_context"
    speed = trials.facts(at).number(full)
    if speed is None or speed >= threshold:
        return at, precision
    for narrow in narrower[1:]:
        placed = next((p for p in (_placed(_with_model(spec, placement, candidate, narrow), trials)
                                   for placement in placements) if p is not None), None)
        faster = trials.facts(placed).number(full) if placed is not None else None
        if placed is not None and faster is not None and faster >= threshold:
            return placed, narrow
    return at, precision


def _cannot_tell(candidate: Spec, trials: _Trials) -> str | None:
    """Why the fit verdict cannot be told, when it cannot: the inputs FIG001 names for it."""
    facts = trials.facts(candidate)
    if trials.verdict(facts) is not None:
        return None
    causes = [f"{u.why}; give {u.supply}" for u in facts.unknown if "model.fits" in u.figures]
    return "cannot tell whether it fits: " + ("; ".join(causes) or "facts are missing")


def _placement_text(facts: Facts, layers: int | None) -> str:
    """Where the weights are, in a few words: 'GPU', 'experts in RAM', '30/80 layers GPU'."""
    offload, gpu_layers = facts.text("workload.offload"), facts.number("workload.gpu_layers")
    if facts.text("system.name") is not None:
        return "CPU" if facts.text("workload.device") == "cpu" else "GPU"
    if offload == "experts-in-ram":
        return "experts in RAM"
    if offload == "layers" and gpu_layers is not None:
        if layers is not None and gpu_layers < layers:
            return f"{gpu_layers:.0f}/{layers} layers GPU"
        return "GPU"
    return "CPU"


def _with_launch(fit: ModelFit, at: Spec, trials: _Trials) -> ModelFit:
    """The top answer with its launch command, as derive writes it for its spec."""
    facts = trials.facts(at)
    return evolve(fit, launch_command=facts.text("launch.command"),
                  launch_placeholders=_strings(facts, "launch.placeholders"),
                  launch_notes=_strings(facts, "launch.notes"),
                  launch_source=facts.text("launch.source"))


def _strings(facts: Facts, name: str) -> tuple[str, ...]:
    value: Any = facts.get(name)
    return tuple(value) if isinstance(value, tuple) else ()
