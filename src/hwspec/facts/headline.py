"""The headline figures the build should have and cannot, each with the input that stops it
(``hwspec.unknown`` finds the causes), flattened into the ``unknown.*`` facts."""

from __future__ import annotations

from hwspec.facts.record import Inputs, L, Produced, S, Topic, fact
from hwspec.resolve import Build
from hwspec.unknown import READS, unknown_figures

FACTS = (
    fact("unknown.figures", "", L,
         "Headline figures (memory.effective_mts, memory.bandwidth_gbs, model.required_gib, "
         "model.fits, decode.tokens_per_s_max, decode.tokens_per_s_expected, power.load_w) the "
         "build should have and cannot: empty when every one is derived or does not apply."),
    fact("unknown.why", "", S, "For each group of unknown figures, the missing input that stops "
         "them: 'memory.effective_mts, memory.bandwidth_gbs: no speed is published ...'."),
    fact("unknown.inputs", "", S, "The inputs that would supply the unknown figures."),
    fact("unknown.path", "", S, "The spec key of the first missing input, which FIG001 blames."),
)


def compute(build: Build, got: Inputs) -> Produced:
    """Each unknown headline figure, grouped by the input that stops it."""
    unknown = unknown_figures(build, got)
    values: dict[str, object] = {
        "unknown.figures": tuple(name for u in unknown for name in u.figures)}
    if unknown:
        values["unknown.why"] = "; ".join(f"{', '.join(u.figures)}: {u.why}" for u in unknown)
        values["unknown.inputs"] = "; ".join(u.supply for u in unknown)
        values["unknown.path"] = unknown[0].path
    return Produced(dict(values), unknown=unknown)


TOPIC = Topic("unknown", FACTS, compute, READS)
