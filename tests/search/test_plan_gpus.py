"""hwspec plan with GPUs: the bounds and the pruning that hold for GPU builds (all-GPU and
hybrid, dominated GPUs, PSUs too small for the parts) never lose the answer every build's
check gives, for the cheapest build and for the Pareto front."""

from __future__ import annotations

import functools

import pytest
import tomli_w
from tests.search.test_plan import PRICES

import hwspec
from hwspec.search.plan import PriceList, Target, plan

GPU_PRICES = {**PRICES, "nvidia-rtx-3090": 800, "nvidia-rtx-4090": 1600,
              "nvidia-rtx-5090": 2000}
"""The test slice with three GPUs (synthetic unit prices, not market prices)."""
FULL = "decode.tokens_per_s_expected_full_context"
BASE = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=16384, gpus=("any",),
              max_gpus=2, top=1)


@functools.cache
def _every_passing_build() -> tuple[tuple[float, float], ...]:
    """Every board, CPU per socket, balanced population, PSU and GPU option (none, or one or
    two cards of a GPU with every layer on them or with the experts in system memory) of the
    slice, each checked with hwspec.validate: (cost, expected decode at the full context) of
    those that pass."""
    catalog = hwspec.builtin_catalog()
    ids = {kind: [i for i in GPU_PRICES if catalog.get(kind, i) is not None]
           for kind in ("board", "cpu", "memory", "psu", "gpu")}
    options: list[tuple[str, int, str | None] | None] = [None]
    options += [(g, n, o) for g in ids["gpu"] for n in (1, 2) for o in (None, "experts-in-ram")]
    passing = []
    for board_id in ids["board"]:
        board = catalog.get("board", board_id)
        assert board is not None
        sockets, channels = board.fields.get("sockets", 1), board.fields["channels_per_socket"]
        for cpu_id in ids["cpu"]:
            if catalog.get("cpu", cpu_id).fields["platform"] not in (  # type: ignore[union-attr]
                    board.fields["platforms"]):
                continue
            for memory_id in ids["memory"]:
                for dpc in (1, 2):
                    modules = channels * sockets * dpc
                    if modules > board.fields.get("dimm_slots", modules):
                        continue
                    for psu_id in ids["psu"]:
                        for option in options:
                            spec = {
                                "build": {"name": "b", "currency": "USD"},
                                "board": {"part": board_id, "price": GPU_PRICES[board_id]},
                                "cpu": {"part": cpu_id, "count": sockets,
                                        "price": GPU_PRICES[cpu_id]},
                                "memory": [{"part": memory_id, "count": modules,
                                            "price": GPU_PRICES[memory_id]}],
                                "psu": {"part": psu_id, "price": GPU_PRICES[psu_id]},
                                "workload": {"model": "deepseek-r1", "precision": "q4_k_m",
                                             "context_tokens": 16384},
                            }
                            if option is not None:
                                gpu, cards, offload = option
                                spec["gpu"] = [{"part": gpu, "count": cards,
                                                "price": GPU_PRICES[gpu]}]
                                if offload is not None:
                                    spec["workload"]["offload"] = offload  # type: ignore
                            report = hwspec.validate(hwspec.loads(tomli_w.dumps(spec)))
                            facts = report.facts or {}
                            if report.ok and isinstance(facts.get(FULL), int | float):
                                passing.append((float(facts["cost.total"]),  # type: ignore
                                                float(facts[FULL])))  # type: ignore[arg-type]
    return tuple(sorted(passing))


@pytest.mark.parametrize("min_decode", [6, 9, 14])
def test_the_cheapest_gpu_build_equals_brute_force(min_decode: float) -> None:
    """The cheapest build meeting the target with GPUs allowed is the one brute force finds."""
    expected = min((cost for cost, speed in _every_passing_build() if speed >= min_decode),
                   default=None)
    answer = plan(_target(min_decode), PriceList("USD", GPU_PRICES))
    assert expected == (answer.candidates[0].cost if answer.candidates else None)


def _target(min_decode: float) -> Target:
    import attrs

    return attrs.evolve(BASE, min_decode_tokens_per_s=min_decode)


def test_the_pareto_front_with_gpus_equals_brute_force() -> None:
    """The front of cost against expected decode with GPUs allowed has the costs and speeds of
    brute force's front."""
    import attrs

    front: list[tuple[float, float]] = []
    for cost, speed in sorted(_every_passing_build(), key=lambda b: (b[0], -b[1])):
        if not front or speed > front[-1][1]:
            front.append((cost, speed))
    answer = plan(attrs.evolve(BASE, objective="pareto", top=50), PriceList("USD", GPU_PRICES))
    got = [(c.cost, c.report.facts[FULL]) for c in answer.candidates]  # type: ignore[index]
    assert got == front
