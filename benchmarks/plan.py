#!/usr/bin/env python3
"""How fast ``hwspec plan`` answers, and how much its bounds save over brute force.

Run from the repository root with the Python hwspec is installed in:

    python benchmarks/plan.py

It prices every board, CPU, memory module and PSU of the built-in catalog at one synthetic unit
price per kind (the search's work depends on how many parts are priced, not on what they cost),
asks the seed question (DeepSeek-R1 at Q4_K_M, 16,384 tokens, at least 8 tokens/s), and prints
the builds considered, pruned and checked and the time to answer. Then, on a slice small enough
to check every build, it times the same answer by brute force (every build through
``hwspec.validate``) and prints the ratio. Ratios, not a timed test: machines differ.
"""

from __future__ import annotations

import statistics
import time

import hwspec
from hwspec.search.plan import PriceList, Target, _Build, _part_sets, _spec_data, _toml, plan

UNIT = {"board": 1000.0, "cpu": 3000.0, "memory": 200.0, "psu": 300.0}
TARGET = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=16384,
                min_decode_tokens_per_s=8, top=10)


def _prices(kinds_limit: int | None = None) -> PriceList:
    catalog = hwspec.builtin_catalog()
    prices: dict[str, float] = {}
    for kind, price in UNIT.items():
        ids = catalog.ids(kind)[:kinds_limit] if kinds_limit else catalog.ids(kind)
        # A small spread keeps the order of costs stable and every part distinct.
        prices.update({part: price + i for i, part in enumerate(ids)})
    return PriceList("USD", prices)


def _timed(call, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    prices = _prices()
    answer = plan(TARGET, prices)
    seconds = _timed(lambda: plan(TARGET, prices))
    print(f"whole catalog: {answer.considered:,} builds considered, {answer.pruned:,} pruned by "
          f"bounds, {answer.evaluated:,} checked in full, {len(answer.candidates)} candidates")
    print(f"  time to answer: {seconds:.2f} s (target: under 2 s on 2 cores)")

    small = _prices(kinds_limit=12)
    fast = _timed(lambda: plan(attrs_top1(), small))
    catalog = hwspec.builtin_catalog()

    psus = [e for e in catalog.entries("psu") if e.id in small.prices]

    def brute() -> float | None:
        best = None
        for parts in _part_sets(catalog, small, attrs_top1()):
            for psu in psus:
                build = _Build(parts, psu, parts.cost + small.prices[psu.id])
                text = _toml(_spec_data(build, attrs_top1(), small))
                report = hwspec.validate(hwspec.loads(text))
                if report.ok:
                    best = build.cost if best is None else min(best, build.cost)
        return best

    slow = _timed(brute, repeat=1)
    same = brute() == (plan(attrs_top1(), small).candidates[0].cost
                       if plan(attrs_top1(), small).candidates else None)
    print(f"slice of {len(small.prices)} priced parts: plan {fast:.3f} s, brute force {slow:.2f} s,"
          f" {slow / fast:,.0f}x faster (target: 100x); same answer: {same}")


def attrs_top1() -> Target:
    import attrs

    return attrs.evolve(TARGET, top=1)


if __name__ == "__main__":
    main()
