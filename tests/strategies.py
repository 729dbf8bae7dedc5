"""Hypothesis strategies that build valid specs, as TOML-ready data and as text."""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import strategies as st

from hwspec.checker import Checker
from hwspec.spec.vocab import BITS_PER_WEIGHT, MODULE_KINDS

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
    assert report.spec is not None, report.findings
    value = report.facts.by_name[name]
    assert isinstance(value, int | float), value
    return value


def _some(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """Any subset of the optional fields, each with a drawn value."""
    return {key: draw(value) for key, value in fields.items() if draw(st.booleans())}


GPU_IDS = ["nvidia-rtx-3090", "nvidia-rtx-4090", "nvidia-h100-pcie"]
MODEL_IDS = ["deepseek-r1", "kimi-k2", "llama-3.3-70b", "qwen3-235b-a22b", "gpt-oss-120b"]
PLATFORM_IDS = ["sp5-turin", "sp5-genoa", "str5-wrx90", "am5", "lga4677-spr"]


@st.composite
def sparse_spec_data(draw: st.DrawFn) -> dict[str, Any]:
    """A spec with any subset of its optional tables and fields: catalog or inline parts, each
    inline part with any of its figures left out, any workload with any model inputs missing.
    Every spec it draws loads; what it leaves out is what renderers and derive must live with."""
    data: dict[str, Any] = {"build": {"name": draw(names), **_some(draw, {
        "currency": st.sampled_from(["USD", "CNY", "EUR"]), "budget": prices,
        "quoted_total": prices})}}
    if draw(st.booleans()):
        data["board"] = ({"part": draw(st.sampled_from(BOARD_IDS))} if draw(st.booleans()) else {
            "name": "board", **_some(draw, {
                "socket": st.sampled_from(["sp5", "str5", "am5"]), "sockets": st.integers(1, 2),
                "dimm_slots": st.sampled_from([4, 8, 12, 16, 24, 48]),
                "channels_per_socket": st.sampled_from([2, 8, 12]),
                "max_mts_1dpc": MTS, "max_mts_2dpc": MTS, "power_w": st.integers(10, 100)})})
    if draw(st.booleans()):
        data["cpu"] = ({"part": draw(st.sampled_from(CPU_IDS)), "count": draw(st.integers(1, 2))}
                       if draw(st.booleans()) else {"name": "cpu", **_some(draw, {
                           "count": st.integers(1, 2), "cores": st.integers(4, 192),
                           "tdp_w": st.integers(50, 500), "max_mts": MTS,
                           "platform": st.sampled_from(PLATFORM_IDS)})})
    memory = draw(st.lists(catalog_memory() | st.builds(lambda name, count, extra: {
        "name": name, "count": count, **extra}, names, st.integers(1, 48), st.fixed_dictionaries(
            {}, optional={"generation": st.just("DDR5"), "kind": st.sampled_from(MODULE_KINDS),
                          "capacity_gib": st.sampled_from([16, 32, 64, 96]),
                          "speed_mts": MTS})), max_size=2))
    if memory:
        data["memory"] = memory
    gpus = draw(st.lists(st.builds(lambda part, count: {"part": part, "count": count},
                                   st.sampled_from(GPU_IDS), st.integers(1, 4))
                         | st.builds(lambda extra: {"name": "gpu", **extra}, st.fixed_dictionaries(
                             {}, optional={"count": st.integers(1, 4),
                                           "vram_gib": st.sampled_from([16, 24, 48, 80]),
                                           "bandwidth_gbs": st.integers(200, 3000),
                                           "tdp_w": st.integers(75, 700)})), max_size=2))
    if gpus:
        data["gpu"] = gpus
    if draw(st.booleans()):
        data["psu"] = {"name": "PSU", **_some(draw, {"capacity_w": st.integers(300, 3000),
                                                     "price": prices})}
    for table in ("board", "cpu"):
        if table in data and draw(st.booleans()):
            data[table]["price"] = draw(prices)
    for entry in (*data.get("memory", ()), *data.get("gpu", ())):
        if draw(st.booleans()):
            entry["price"] = draw(prices)
    if draw(st.booleans()):
        workload: dict[str, Any] = _some(draw, {
            "numa": st.sampled_from(["single-socket", "interleave", "replicate-per-socket"]),
            "precision": st.sampled_from(PRECISIONS), "context_tokens": st.integers(1, 200_000),
            "batch": st.integers(1, 8), "min_decode_tokens_per_s": st.integers(1, 50),
            "offload": st.sampled_from(["none", "layers", "experts-in-ram"]),
            "gpu_layers": st.integers(1, 200)})
        if draw(st.booleans()):
            workload["model"] = draw(st.sampled_from(MODEL_IDS))
        else:
            workload["arch"] = _some(draw, {
                "params_b": st.integers(1, 1000), "layers": st.integers(1, 128),
                "attention": st.sampled_from(["mha", "gqa", "mla"]), "heads": st.integers(1, 128),
                "kv_heads": st.integers(1, 16), "head_dim": st.sampled_from([64, 128]),
                "kv_lora_rank": st.just(512), "rope_head_dim": st.just(64)})
        data["workload"] = workload
    return data


@st.composite
def weighed_spec_data(draw: st.DrawFn) -> dict[str, Any]:
    """A spec whose memory budget is known: catalog CPUs and modules, a catalog model with its
    precision and context, and any NUMA placement and GPU offload (layers or experts in RAM),
    some parts priced. What FIT001 weighs, report, diff and fit all show."""
    data: dict[str, Any] = {
        "build": {"name": draw(names)},
        "cpu": {"part": draw(st.sampled_from(CPU_IDS)), "count": draw(st.integers(1, 2))},
        "memory": [draw(catalog_memory())],
        "workload": {"model": draw(st.sampled_from(MODEL_IDS)),
                     "precision": draw(st.sampled_from(PRECISIONS)),
                     "context_tokens": draw(st.integers(1, 200_000)),
                     "batch": draw(st.integers(1, 4)),
                     **_some(draw, {"numa": st.sampled_from(
                         ["single-socket", "interleave", "replicate-per-socket"])})},
    }
    if draw(st.booleans()):
        data["gpu"] = [{"part": draw(st.sampled_from(GPU_IDS)),
                        "count": draw(st.integers(1, 4))}]
        offload = draw(st.sampled_from(["none", "layers", "experts-in-ram"]))
        data["workload"]["offload"] = offload
        if offload == "layers":
            data["workload"]["gpu_layers"] = draw(st.integers(1, 200))
    if draw(st.booleans()):
        data["cpu"]["price"] = draw(prices)
    return data
