"""Running cost: what a day at the estimated draw costs, and a million tokens at the expected
decode speed, from workload.electricity_price."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build

FACTS = declared("electricity")

READS = frozenset({"power.wall_w", "power.load_w", "power.decode_draw_w", "power.decode_wall_w",
                   "power.decode_basis", "decode.tokens_per_s_expected"})

_DRAWS = (
    ("power.decode_wall_w", "the draw while decoding, at the wall (power.decode_wall_w)"),
    ("power.decode_draw_w", "the draw while decoding (power.decode_draw_w); no PSU efficiency "
                            "is known"),
    ("power.wall_w", "the sustained load at the wall (power.wall_w)"),
    ("power.load_w", "the sustained load (power.load_w): no PSU efficiency is known, so the cost "
                     "is low"),
)
"""The draws a running cost may use, the first known winning, and how the basis names each."""


def compute(build: Build, got: Inputs) -> Produced:
    """Running cost at the draw while decoding where it is known, else at the sustained load,
    from workload.electricity_price."""
    workload = build.workload
    price = workload.electricity_price if workload is not None else None
    chosen = next(((got[name], says) for name, says in _DRAWS if name in got), None)
    if price is None or chosen is None:
        return Produced({})
    draw, basis = chosen
    if "power.decode_draw_w" not in got and "power.decode_basis" in got:
        basis += f"; the draw while decoding is {got['power.decode_basis']}"
    values: dict[str, Any] = {"workload.electricity_price": price}
    values["cost.electricity_per_day"] = f.electricity_cost_per_day(draw, price)
    values["cost.electricity_basis"] = basis
    speed = got.get("decode.tokens_per_s_expected")
    if speed:
        values["cost.electricity_per_million_tokens"] = f.electricity_cost_per_million_tokens(
            draw, speed, price)
    return Produced(values)


TOPIC = Topic("electricity", FACTS, compute, READS)
