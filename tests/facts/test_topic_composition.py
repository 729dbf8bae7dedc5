"""Derive is composed from topics: each reads only the facts it declares, writes only its own,
and the order they run in follows from their reads, so no shuffle of the topic list changes a
single fact."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.conftest import ROOT, SPECS
from tests.test_fact_vocabulary import EXTRA

from hwspec.checker import Checker
from hwspec.engine.packs import builtin_packs
from hwspec.facts import (
    FACTS,
    ORDER,
    TOPICS,
    Facts,
    Inputs,
    Produced,
    Topic,
    TopicError,
    UndeclaredReadError,
    UndeclaredWriteError,
    Working,
    derive,
    order,
)
from hwspec.facts.record import N, fact
from hwspec.resolve import Build

SPEC_FILES = sorted(SPECS.glob("*.toml")) + sorted((ROOT / "tests" / "data").rglob("*.toml"))


def _builds() -> Iterator[tuple[str, Build]]:
    """Every spec of specs/ and tests/data, every rule example, and the vocabulary test's own."""
    checker = Checker()
    texts = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in SPEC_FILES]
    texts += [(f"{rule.id} {e.verdict} {i}", e.spec) for pack in builtin_packs()
              for rule in pack.rules for i, e in enumerate(rule.examples)]
    texts += [(f"vocabulary: {name}", text) for name, text in EXTRA.items()]
    for name, text in texts:
        facts = checker.check_text(text).facts
        if facts is not None and facts.build is not None:
            yield name, facts.build


BUILDS = list(_builds())
SEED = next(build for name, build in BUILDS if name == "specs/epyc-dual.toml")


def _everything(facts: Facts) -> tuple[Any, ...]:
    return facts.by_name, facts.workings, facts.bill, facts.unknown, facts.entries


def _shuffles() -> list[tuple[Topic, ...]]:
    out = [tuple(reversed(TOPICS))]
    for seed in range(4):
        topics = list(TOPICS)
        random.Random(seed).shuffle(topics)
        out.append(tuple(topics))
    return out


def test_the_corpus_has_the_specs_of_specs_and_tests() -> None:
    """The order test below runs on every spec of specs/, tests/data and the rule examples that
    loads (97 when the order of derive was only its line order)."""
    assert len(BUILDS) >= 97


@pytest.mark.parametrize(("name", "build"), BUILDS, ids=[name for name, _ in BUILDS])
def test_shuffling_the_topics_changes_no_fact(name: str, build: Build) -> None:
    """Every shuffle of the topic list derives the same facts, workings, bill and unknowns."""
    expected = _everything(derive(build))

    assert [_everything(derive(build, topics=t)) for t in _shuffles()] == [expected] * 5


def test_the_fit_verdict_runs_after_the_gpus_whatever_the_list_order() -> None:
    """fit reads model.gpu_device_margin_gib, so it runs after gpu even when listed first."""
    names = [t.name for t in order(sorted(TOPICS, key=lambda t: t.name != "fit"))]

    assert names.index("gpu") < names.index("fit")


def test_the_vocabulary_is_the_topics_facts_each_declared_once() -> None:
    """FACTS is every topic's declarations in turn, and no name appears twice."""
    names = [d.name for d in FACTS]

    assert (names, len(set(names))) == ([d.name for t in TOPICS for d in t.facts], len(names))


def test_the_default_order_puts_every_topic_after_those_it_reads() -> None:
    """Each topic in ORDER comes after the topic that declares each fact it reads."""
    owner = {d.name: i for i, t in enumerate(ORDER) for d in t.facts}

    assert [(t.name, r) for i, t in enumerate(ORDER) for r in t.reads if owner[r] >= i] == []


def _topic(name: str, compute: Any, reads: frozenset[str] = frozenset(),
           facts: tuple[str, ...] = ("extra.figure",)) -> Topic:
    return Topic(name, tuple(fact(n, "", N, "A test fact.") for n in facts), compute, reads)


def test_a_topic_reading_an_undeclared_fact_fails_loudly() -> None:
    """Reading memory.bandwidth_gbs without declaring it raises, naming the fact."""
    def sneaky(build: Build, got: Inputs) -> Produced:
        return Produced({"extra.figure": got.get("memory.bandwidth_gbs")})

    with pytest.raises(UndeclaredReadError, match=re.escape("'memory.bandwidth_gbs'")):
        derive(SEED, topics=(*TOPICS, _topic("sneaky", sneaky)))


def test_an_undeclared_read_fails_even_when_the_fact_is_unknown() -> None:
    """Asking whether an undeclared fact is known raises too: absence is no excuse."""
    got = Inputs("sneaky", frozenset({"memory.capacity_gib"}), {})

    with pytest.raises(UndeclaredReadError, match=re.escape("'gpu.vram_gib'")):
        _ = "gpu.vram_gib" in got


def test_a_topic_iterates_over_the_known_facts_it_declared_only() -> None:
    """A topic's inputs list (and count) its declared facts that are known, not every fact the
    topics before it made: dict(inputs) is what it may read."""
    seen: dict[str, Any] = {}

    def lister(build: Build, got: Inputs) -> Produced:
        seen.update(got)
        seen["len"] = len(got)
        return Produced({"extra.figure": 1})

    reads = frozenset({"memory.bandwidth_gbs", "memory.channels", "gpu.vram_gib"})
    derive(SEED, topics=(*TOPICS, _topic("lister", lister, reads)))

    assert seen == {"memory.bandwidth_gbs": 1152.0, "memory.channels": 24, "len": 2}


def test_a_declared_read_sees_the_fact_its_owner_wrote() -> None:
    """A topic declaring memory.bandwidth_gbs reads the memory topic's figure for the seed
    (24 channels of DDR5-6000: 1,152 GB/s, as its golden output says)."""
    def reader(build: Build, got: Inputs) -> Produced:
        return Produced({"extra.figure": got["memory.bandwidth_gbs"]})

    topic = _topic("reader", reader, frozenset({"memory.bandwidth_gbs"}))

    assert derive(SEED, topics=(topic, *TOPICS))["extra.figure"] == 1152.0


def test_a_topic_writing_an_undeclared_fact_fails() -> None:
    """Returning memory.capacity_gib from a topic that does not declare it raises."""
    def writer(build: Build, got: Inputs) -> Produced:
        return Produced({"extra.figure": 1, "memory.capacity_gib": 1})

    with pytest.raises(UndeclaredWriteError, match=re.escape("memory.capacity_gib")):
        derive(SEED, topics=(*TOPICS, _topic("writer", writer)))


def test_a_topic_recording_an_undeclared_working_fails() -> None:
    """A working is recorded only for a fact of the topic's own."""
    def writer(build: Build, got: Inputs) -> Produced:
        return Produced({}, {"memory.bandwidth_gbs": Working("bandwidth", "f", "1 x 2", "2")})

    with pytest.raises(UndeclaredWriteError, match=re.escape("memory.bandwidth_gbs")):
        derive(SEED, topics=(*TOPICS, _topic("writer", writer)))


def test_topics_reading_each_other_in_a_cycle_do_not_compose() -> None:
    """Two topics that each read the other's fact are a cycle, named as such."""
    def empty(build: Build, got: Inputs) -> Produced:
        return Produced({})

    one = _topic("one", empty, frozenset({"b.fact"}), ("a.fact",))
    two = _topic("two", empty, frozenset({"a.fact"}), ("b.fact",))

    with pytest.raises(TopicError, match=re.escape("cycle: one, two")):
        order((one, two))


def test_a_read_of_a_fact_no_topic_declares_does_not_compose() -> None:
    """Declaring a read of a fact nobody declares is an error before anything runs."""
    topic = _topic("lost", lambda build, got: Produced({}), frozenset({"memory.nonesuch"}))

    with pytest.raises(TopicError, match=re.escape("'memory.nonesuch', which no topic declares")):
        order((*TOPICS, topic))


def test_a_fact_declared_by_two_topics_does_not_compose() -> None:
    """Two topics declaring memory.capacity_gib is an error: a fact has one owner."""
    topic = _topic("twin", lambda build, got: Produced({}), facts=("memory.capacity_gib",))

    with pytest.raises(TopicError, match=re.escape("'memory.capacity_gib' is declared by topics 'memory'")):
        order((*TOPICS, topic))



def test_a_topic_cannot_change_what_it_reads() -> None:
    """The inputs a topic gets are read-only: assigning into them raises."""
    def writer(build: Build, got: Inputs) -> Produced:
        got.by_name["memory.bandwidth_gbs"] = 0  # type: ignore[index]
        return Produced({})

    topic = _topic("writer", writer, frozenset({"memory.bandwidth_gbs"}))

    with pytest.raises(TypeError):
        derive(SEED, topics=(*TOPICS, topic))
