"""Derive: ``Build`` -> ``Facts``, the named figures that rules, reports and JSON share.

Facts are a flat mapping of dotted names (``memory.effective_mts``) to numbers, booleans, strings
or lists of strings. A fact the spec does not let us know is absent, never guessed; rules that read
it are then not applicable. List entries (each ``[[memory]]``, ``[[gpu]]``, ``[[storage]]``) get
their own item facts (``item.kind``), read by rules declared with ``each``.

Derive is a set of topics, a module each (``parts``, ``memory``, ``model``, ``gpu``, ``slots``,
``fit``, ``placement``, ``power``, ``cost``, ``decode``, ``prefill``, ``electricity``,
``headline``, ``launch``): each declares its facts in the TOML file beside it (``memory.toml``
beside ``memory.py``, read by ``record.declared``; the item facts in ``items.toml``), computes
them in its module, declares there the facts of other topics it reads, and gets only those.
``derive`` runs them in the order their reads call for (``compose.order``).

``FACTS`` is the vocabulary, assembled from the topics: every fact's name, unit, type, meaning,
the formula behind it and how a view presents it. The docs, ``hwspec facts`` and the rule-pack
checker all read it.
"""

from __future__ import annotations

from collections.abc import Sequence

from hwspec.facts import (
    cost,
    decode,
    electricity,
    fit,
    gpu,
    headline,
    launch,
    memory,
    model,
    parts,
    placement,
    power,
    prefill,
    slots,
)
from hwspec.facts.compose import Facts, compose, order
from hwspec.facts.cost import BomLine
from hwspec.facts.items import ITEM_FACTS
from hwspec.facts.model import kv_shape, windowed_layers
from hwspec.facts.record import (
    Caveat,
    FactDef,
    FactValue,
    Inputs,
    Produced,
    Topic,
    TopicError,
    UndeclaredReadError,
    UndeclaredWriteError,
    Working,
    Workings,
)
from hwspec.resolve import Build

TOPICS: tuple[Topic, ...] = (
    parts.TOPIC, memory.TOPIC, model.TOPIC, gpu.TOPIC, slots.TOPIC, fit.TOPIC, placement.TOPIC,
    power.TOPIC, cost.TOPIC, decode.TOPIC, prefill.TOPIC, electricity.TOPIC, headline.TOPIC,
    launch.TOPIC,
)
"""Every topic of derive. Their order here is only the tie-break: ``order`` puts each after the
topics it reads."""

ORDER = order(TOPICS)
"""The order derive runs the topics in (checked when the package loads)."""

FACTS: tuple[FactDef, ...] = tuple(d for topic in TOPICS for d in topic.facts)

FACTS_BY_NAME: dict[str, FactDef] = {d.name: d for d in FACTS}


def derive(build: Build, *, topics: Sequence[Topic] | None = None) -> Facts:
    """Compute every fact the build lets us know (``topics``: another set to compose, for
    tests; every topic by default)."""
    return compose(build, ORDER if topics is None else order(topics))


__all__ = [
    "FACTS",
    "FACTS_BY_NAME",
    "ITEM_FACTS",
    "ORDER",
    "TOPICS",
    "BomLine",
    "Caveat",
    "FactDef",
    "FactValue",
    "Facts",
    "Inputs",
    "Produced",
    "Topic",
    "TopicError",
    "UndeclaredReadError",
    "UndeclaredWriteError",
    "Working",
    "Workings",
    "derive",
    "kv_shape",
    "order",
    "windowed_layers",
]
