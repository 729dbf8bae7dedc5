#!/usr/bin/env python3
"""How fast ``hwspec plan`` answers, and how much its bounds save over brute force.

Run from the repository root with the Python hwspec is installed in:

    python benchmarks/plan.py

It prices every board, CPU, memory module and PSU of the built-in catalog at one synthetic unit
price per kind (the search's work depends on how many parts are priced, not on what they cost),
asks the seed question (DeepSeek-R1 at Q4_K_M, 16,384 tokens, at least 8 tokens/s), and prints
the builds considered, pruned and checked and the time to answer. Then it asks the same of a
team catalog of 130 boards, 130 CPUs and 130 modules (4.4 million builds, none of which passes),
where the search stops at its limits, and prints how far it went. Then, on a slice small enough
to check every build, it times the same answer by brute force (every build through
``hwspec.validate``) and prints the ratio. Ratios, not a timed test: machines differ.
"""

from __future__ import annotations

import statistics
import time

import hwspec
from hwspec.search.plan import (
    PriceList,
    Target,
    _Build,
    _part_sets,
    _spec_data,
    _toml,
    plan,
    search_notice,
)

UNIT = {"board": 1000.0, "cpu": 3000.0, "memory": 200.0, "psu": 300.0}
SLICE = {
    "gigabyte-mz73-lm0": 1200, "supermicro-h13ssl-n": 700, "gigabyte-mz33-cp1": 800,
    "amd-epyc-9115": 800, "amd-epyc-9355p": 3000, "amd-epyc-9654p": 4000,
    "micron-mtc20f2085s1rc64br": 150, "samsung-m321r8ga0eb2-ccp": 300,
    "corsair-hx1000i-2022": 250, "seasonic-prime-tx-1600": 450,
}
"""A slice small enough to check every build, whose cheapest answer is a real build (the
price list tests/search/test_plan.py uses; synthetic prices)."""
WHOLE = {**UNIT, "gpu": 1500.0, "system": 4000.0}
"""Every kind the search prices, for the GPU and whole-machine questions."""
TARGET = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=16384,
                min_decode_tokens_per_s=8, top=10)


def _prices(kinds_limit: int | None = None, unit: dict[str, float] = UNIT) -> PriceList:
    catalog = hwspec.builtin_catalog()
    prices: dict[str, float] = {}
    for kind, price in unit.items():
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
    print(f"  time to answer: {seconds:.2f} s (target: under 1 s on 2 cores)")
    whole = _prices(unit=WHOLE)
    import attrs

    for name, target in (("pareto, --gpus any", attrs.evolve(TARGET, objective="pareto",
                                                            gpus=("any",))),
                         ("cost, --gpus any", attrs.evolve(TARGET, gpus=("any",)))):
        answer = plan(target, whole)
        seconds = _timed(lambda target=target: plan(target, whole))  # type: ignore[misc]
        print(f"{name}, every part and machine priced: {answer.considered:,} builds "
              f"considered, {answer.search.examined:,} examined, {answer.evaluated:,} checked "
              f"in full, {len(answer.candidates)} candidates, {seconds:.2f} s (target: under "
              "5 s)")
        print(f"  {search_notice(answer) or 'the search was complete'}")
    hostile()

    small = PriceList("USD", SLICE)
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
    found = brute()
    answer = plan(attrs_top1(), small)
    same = found == (answer.candidates[0].cost if answer.candidates else None)
    print(f"slice of {len(small.prices)} priced parts: plan {fast:.3f} s, brute force {slow:.2f} s,"
          f" {slow / fast:,.0f}x faster (target: 100x); the cheapest build costs {found} both "
          f"ways: {same}")


def hostile(n: int = 130) -> None:
    """Plan over a team catalog of n boards, n CPUs and n modules: it stops at its limits."""
    import resource
    import tempfile
    from pathlib import Path

    from hwspec.catalog.user import load_user_catalog

    entries, prices = [], {"corsair-hx1000i-2022": 250.0, "seasonic-prime-tx-1600": 450.0}
    for i in range(n):
        entries += [f'[[board]]\nid = "b{i}"\nname = "B"\nsocket = "sp5"\nplatforms = '
                    '["sp5-turin"]\nsockets = 2\ndimm_slots = 24\nchannels_per_socket = 12\n'
                    'source = "https://intranet.example/b"\n',
                    f'[[cpu]]\nid = "c{i}"\nname = "C"\nplatform = "sp5-turin"\nsocket = "sp5"\n'
                    'cores = 64\ntdp_w = 300\nmax_sockets = 2\nsource = "https://intranet.example/c"\n',
                    f'[[memory]]\nid = "m{i}"\nname = "M"\ngeneration = "DDR5"\nkind = "RDIMM"\n'
                    'capacity_gib = 64\nspeed_mts = 4800\nsource = "https://intranet.example/m"\n']
        prices.update({f"b{i}": 1000.0 + i, f"c{i}": 2000.0 + i, f"m{i}": 100.0 + i})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "parts.toml")
        path.write_text("\n".join(entries), encoding="utf-8")
        start = time.perf_counter()
        catalog = load_user_catalog([path])
        answer = plan(TARGET, PriceList("USD", prices), catalog=catalog)
        seconds = time.perf_counter() - start
    print(f"team catalog of {n} x {n} x {n}: {answer.considered:,} builds considered, "
          f"{answer.search.examined:,} examined, {answer.search.checked:,} checked in full, "
          f"{seconds:.2f} s with the catalog's loading (target: under 2 s); the process's "
          f"peak memory so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          "(target: under 200 MB)")
    print(f"  {search_notice(answer) or 'the search was complete'}")


def attrs_top1() -> Target:
    import attrs

    return attrs.evolve(TARGET, top=1)


if __name__ == "__main__":
    main()
