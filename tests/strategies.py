"""Hypothesis strategies that build valid specs, as TOML-ready data and as text."""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import strategies as st

from hwspec._validate import Checker
from hwspec._vocab import BITS_PER_WEIGHT, MODULE_KINDS

PRECISIONS = sorted(BITS_PER_WEIGHT)
MTS = st.sampled_from([3200, 3600, 4000, 4400, 4800, 5200, 5600, 6000, 6400, 7200, 8000])
CPU_IDS = ["amd-epyc-9655", "amd-epyc-9654", "amd-epyc-9654p", "amd-epyc-9655p"]
BOARD_IDS = ["gigabyte-mz73-lm0", "gigabyte-mz33-ar0"]
MEMORY_IDS = [
    "corsair-vengeance-ddr5-6000-64gb-kit",
    "micron-mtc20f2085s1rc64br",
    "kingston-ksm48r40bd8-32ha",
    "kingston-ksm64r52bd4-64ha",
]

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=20)
prices = st.integers(1, 100_000) | st.floats(0.01, 100_000, allow_nan=False)


@st.composite
def inline_memory(draw: st.DrawFn) -> dict[str, Any]:
    """An inline [[memory]] entry."""
    return {
        "name": draw(names),
        "generation": "DDR5",
        "kind": draw(st.sampled_from(MODULE_KINDS)),
        "ecc": draw(st.booleans()),
        "capacity_gib": draw(st.sampled_from([16, 24, 32, 48, 64, 96, 128, 256])),
        "speed_mts": draw(MTS),
        "count": draw(st.integers(1, 48)),
    }


@st.composite
def catalog_memory(draw: st.DrawFn) -> dict[str, Any]:
    """A [[memory]] entry naming a catalog part."""
    entry: dict[str, Any] = {"part": draw(st.sampled_from(MEMORY_IDS)),
                             "count": draw(st.integers(1, 48))}
    if draw(st.booleans()):
        entry["price"] = draw(prices)
    return entry


@st.composite
def spec_data(draw: st.DrawFn) -> dict[str, Any]:
    """A structurally valid spec as TOML-ready data, mixing catalog and inline parts."""
    data: dict[str, Any] = {"build": {"name": draw(names)}}
    if draw(st.booleans()):
        data["build"]["currency"] = draw(st.sampled_from(["USD", "CNY", "EUR"]))
    if draw(st.booleans()):
        data["build"]["budget"] = draw(prices)
    if draw(st.booleans()):
        data["board"] = {"part": draw(st.sampled_from(BOARD_IDS))}
    if draw(st.booleans()):
        data["cpu"] = {"part": draw(st.sampled_from(CPU_IDS)), "count": draw(st.integers(1, 2))}
    memory = draw(st.lists(catalog_memory() | inline_memory(), max_size=3))
    if memory:
        data["memory"] = memory
    if draw(st.booleans()):
        data["psu"] = {"name": "PSU", "capacity_w": draw(st.integers(300, 3000))}
    if draw(st.booleans()):
        data["workload"] = {
            "model": "deepseek-r1",
            "precision": draw(st.sampled_from(PRECISIONS)),
            "context_tokens": draw(st.integers(1, 200_000)),
            "batch": draw(st.integers(1, 8)),
        }
    return data


def spec_text(data: dict[str, Any]) -> str:
    """Write spec data as TOML."""
    return tomli_w.dumps(data)


def fires(checker: Checker, text: str, rule: str) -> bool:
    """Whether checking a spec's text yields a finding of that rule."""
    return any(f.rule == rule for f in checker.check_text(text).findings)


def number_fact(checker: Checker, text: str, name: str) -> float:
    """One numeric fact of a spec's text; the spec must let hwspec know it."""
    report = checker.check_text(text)
    assert report.facts is not None, report.findings
    value = report.facts.values[name]
    assert isinstance(value, int | float), value
    return value
