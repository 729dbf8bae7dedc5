"""Running cost: what a day at the estimated draw costs, and a million tokens at the expected
decode speed, from workload.electricity_price."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, N, Produced, S, Topic, fact
from hwspec.resolve import Build

FACTS = (
    fact("workload.electricity_price", "currency", N, "What a kWh costs, from [workload]."),
    fact("cost.electricity_per_day", "currency", N,
         "A day at the estimated load: power.wall_w (else power.load_w) / 1000 x 24 h x "
         "workload.electricity_price.", f.electricity_cost_per_day,
         label="electricity per day", digits=2),
    fact("cost.electricity_per_million_tokens", "currency", N,
         "Energy cost of a million tokens at decode.tokens_per_s_expected and the same draw.",
         f.electricity_cost_per_million_tokens, label="electricity per million tokens",
         digits=2),
    fact("cost.electricity_basis", "", S, "Which draw the electricity costs use."),
)

READS = frozenset({"power.wall_w", "power.load_w", "decode.tokens_per_s_expected"})


def compute(build: Build, got: Inputs) -> Produced:
    """Running cost at the estimated load, from workload.electricity_price."""
    workload = build.workload
    price = workload.electricity_price if workload is not None else None
    wall = got.get("power.wall_w", got.get("power.load_w"))
    if price is None or wall is None:
        return Produced({})
    values: dict[str, Any] = {"workload.electricity_price": price}
    values["cost.electricity_per_day"] = f.electricity_cost_per_day(wall, price)
    values["cost.electricity_basis"] = ("at the wall (power.wall_w)" if "power.wall_w" in got
                                        else "at the DC load (power.load_w): no PSU efficiency "
                                        "is known, so the cost is low")
    speed = got.get("decode.tokens_per_s_expected")
    if speed:
        values["cost.electricity_per_million_tokens"] = f.electricity_cost_per_million_tokens(
            wall, speed, price)
    return Produced(values)


TOPIC = Topic("electricity", FACTS, compute, READS)
