"""The headline figures the build should have and cannot, each with the input that stops it
(``hwspec.unknown`` finds the causes), flattened into the ``unknown.*`` facts."""

from __future__ import annotations

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build
from hwspec.unknown import READS, unknown_figures

FACTS = declared("headline")


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
