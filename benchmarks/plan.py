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
    hostile()

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


def hostile(n: int = 130) -> None:
    """Plan over a team catalog of n boards, n CPUs and n modules: it stops at its limits."""
    import tempfile
    from pathlib import Path

    from hwspec.catalog.user import load_user_catalog
    from hwspec.search.plan import search_notice

    entries, prices = [], {"corsair-hx1000i-2022": 250.0, "seasonic-prime-tx-1600": 450.0}
    for i in range(n):
        entries += [f'[[board]]\nid = "b{i}"\nname = "B"\nsocket = "sp5"\nplatforms = '
                    '["sp5-turin"]\nsockets = 2\ndimm_slots = 24\nchannels_per_socket = 12\n'
                    'source = "https://intranet.example/b"\n',
                    f'[[cpu]]\nid = "c{i}"\nname = "C"\nplatform = "sp5-turin"\nsocket = "sp5"\n'
                    'cores = 64\ntdp_w = 300\nmax_sockets = 2\nsource = "https://intranet.example/c"\n',
                    f'[[memory]]\nid = "m{i}"\nname = "M"\ngeneration = "DDR5"\nkind = "RDIMM"\n'
                    'capacity_gib = 16\nspeed_mts = 4800\nsource = "https://intranet.example/m"\n']
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
          f"{seconds:.2f} s with the catalog's loading (target: under 2 s)")
    print(f"  {search_notice(answer) or 'the search was complete'}")


def attrs_top1() -> Target:
    import attrs

    return attrs.evolve(TARGET, top=1)


if __name__ == "__main__":
    main()
