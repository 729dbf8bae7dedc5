"""hwspec plan: every candidate validates, the search finds what brute force finds, and the
cheapest cost moves the right way when the target or the price list changes."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import invoke

import hwspec
from hwspec.errors import PlanError
from hwspec.search.plan import PriceList, Target, plan, prices_from_data, spec_toml

# Synthetic unit prices for a test catalog slice: not market prices.
PRICES = {
    "gigabyte-mz73-lm0": 1200, "supermicro-h13ssl-n": 700, "gigabyte-mz33-cp1": 800,
    "amd-epyc-9115": 800, "amd-epyc-9355p": 3000, "amd-epyc-9654p": 4000,
    "micron-mtc20f2085s1rc64br": 150, "samsung-m321r8ga0eb2-ccp": 300,
    "corsair-hx1000i-2022": 250, "seasonic-prime-tx-1600": 450,
}
PRICE_LIST = PriceList("USD", PRICES, "2026-11", "synthetic test prices")
R1 = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=16384,
            min_decode_tokens_per_s=8, top=3)


def _cheapest(target: Target, prices: PriceList = PRICE_LIST) -> float | None:
    answer = plan(target, prices)
    return answer.candidates[0].cost if answer.candidates else None


def test_every_candidate_validates_with_no_error() -> None:
    """Each candidate, written as a spec file, passes hwspec.validate."""
    answer = plan(R1, PRICE_LIST)
    assert answer.candidates
    for candidate in answer.candidates:
        report = hwspec.validate(hwspec.loads(spec_toml(candidate, answer)))
        assert [f.rule for f in report.findings if f.severity == "error"] == []


def test_candidates_are_cheapest_first_and_their_cost_is_the_bill() -> None:
    """Costs ascend, and each is the spec's own cost.total."""
    answer = plan(R1, PRICE_LIST)
    costs = [c.cost for c in answer.candidates]
    assert costs == sorted(costs)
    assert [c.report.facts["cost.total"] for c in answer.candidates] == costs  # type: ignore


def _brute_force(target: Target) -> float | None:
    """Every board, CPU (one per socket), module, balanced population and PSU of the price
    list, each checked with hwspec.validate: the cheapest that passes."""
    catalog = hwspec.builtin_catalog()
    best = None
    for board in (catalog.get("board", i) for i in PRICES):
        if board is None:
            continue
        sockets = board.fields.get("sockets", 1)
        channels = board.fields["channels_per_socket"]
        for cpu in (catalog.get("cpu", i) for i in PRICES):
            if cpu is None or cpu.fields["platform"] not in board.fields["platforms"]:
                continue
            for memory in (catalog.get("memory", i) for i in PRICES):
                for psu in (catalog.get("psu", i) for i in PRICES):
                    if memory is None or psu is None:
                        continue
                    for dpc in (1, 2):
                        modules = channels * sockets * dpc
                        if modules > board.fields.get("dimm_slots", modules):
                            continue
                        spec = {
                            "build": {"name": "b", "currency": "USD"},
                            "board": {"part": board.id, "price": PRICES[board.id]},
                            "cpu": {"part": cpu.id, "count": sockets, "price": PRICES[cpu.id]},
                            "memory": [{"part": memory.id, "count": modules,
                                        "price": PRICES[memory.id]}],
                            "psu": {"part": psu.id, "price": PRICES[psu.id]},
                            "workload": {"model": target.model, "precision": target.precision,
                                         "context_tokens": target.context_tokens,
                                         "min_decode_tokens_per_s":
                                             target.min_decode_tokens_per_s},
                        }
                        report = hwspec.validate(hwspec.loads(tomli_w.dumps(spec)))
                        if report.ok:
                            cost = float(report.facts["cost.total"])  # type: ignore[index]
                            best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("min_decode", [5, 8, 15, 40])
def test_the_answer_equals_brute_force(min_decode: float) -> None:
    """Pruning and stopping early never lose the cheapest build brute force finds (every
    module here is sold singly, so kits do not enter)."""
    target = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=16384,
                    min_decode_tokens_per_s=min_decode, top=1)
    assert _cheapest(target) == _brute_force(target)


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=1, max_value=60), st.floats(min_value=0, max_value=20))
def test_raising_min_decode_never_lowers_the_cheapest_cost(low: float, more: float) -> None:
    """A harder target leaves fewer builds: the cheapest cost rises or stays (None: nothing)."""
    easy = _cheapest(Target(model="deepseek-r1", min_decode_tokens_per_s=low, top=1))
    hard = _cheapest(Target(model="deepseek-r1", min_decode_tokens_per_s=low + more, top=1))
    assert hard is None or (easy is not None and hard >= easy)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(sorted(PRICES)))
def test_adding_a_part_never_raises_the_cheapest_cost(part: str) -> None:
    """The full price list finds a build at most as dear as the list without one part."""
    fewer = PriceList("USD", {k: v for k, v in PRICES.items() if k != part})
    without, with_all = _cheapest(R1, fewer), _cheapest(R1)
    assert without is None or (with_all is not None and with_all <= without)


def test_a_longer_context_never_lowers_the_cheapest_cost() -> None:
    """16k then 128k tokens of context: the KV cache grows, and so does the cheapest bill."""
    short = _cheapest(Target(model="deepseek-r1", context_tokens=16384, top=1))
    long = _cheapest(Target(model="deepseek-r1", context_tokens=131072, top=1))
    assert short is not None
    assert long is None or long >= short


@pytest.mark.parametrize(("data", "message"), [
    ({"currency": "USD", "prices": {}}, "unknown key 'prices'; a price list has currency, "
                                        "date, source, price; did you mean 'price'?"),
    ({"currency": "dollars"}, "currency: expected an ISO 4217 code"),
    ({"currency": "$"}, "currency: expected an ISO 4217 code (three upper-case letters such as "
                        "USD, EUR or CNY), got '$'; did you mean 'USD'?"),
    ({"currency": "ABC"}, "currency: expected an ISO 4217 code"),
    ({}, "currency: expected an ISO 4217 code such as \"USD\"; the price list gives none"),
    ({"currency": "USD", "price": {"amd-epyc-9115": -5}}, "price.amd-epyc-9115: expected a "
                                                          "price of 0 or more, got -5"),
    ({"currency": "USD", "price": {"amd-epyc-9115": "cheap"}}, "expected a price"),
])
def test_a_bad_price_list_is_named(data: dict[str, object], message: str) -> None:
    """Each problem names the key and what was expected."""
    with pytest.raises(PlanError, match=re.escape(message)):
        prices_from_data(data, "prices.toml")


def _prices_file(tmp_path: Path) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(tomli_w.dumps({"currency": "USD", "price": PRICES}))
    return path


def test_cli_answers_writes_specs_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """plan --write DIR writes each candidate as a spec validate passes; a second run
    refuses to replace them without --force."""
    args = ["plan", "--model", "deepseek-r1", "--context", "16384", "--min-decode", "8",
            "--prices", str(_prices_file(tmp_path)), "--top", "2", "--write",
            str(tmp_path / "out")]
    first = invoke(args)
    assert first.exit_code == 0, first.output
    written = sorted((tmp_path / "out").glob("plan-*.toml"))
    assert [p.name for p in written] == ["plan-01.toml", "plan-02.toml"]
    assert all(hwspec.validate(p).ok for p in written)
    again = invoke(args)
    assert (again.exit_code, "exists" in again.output) == (2, True)


def test_cli_with_nothing_found_names_what_excluded_most(tmp_path: Path) -> None:
    """An unreachable target exits 1 and says which constraint excluded the most builds."""
    result = invoke(["plan", "--model", "deepseek-r1", "--min-decode", "500",
                                      "--prices", str(_prices_file(tmp_path))])
    assert result.exit_code == 1
    assert "excluded most: decode bound at the modules' rated speed below --min-decode" in (
        result.output)


def test_cli_refuses_an_unknown_model_with_suggestions(tmp_path: Path) -> None:
    result = invoke(["plan", "--model", "deepseek-r", "--prices",
                                      str(_prices_file(tmp_path))])
    assert (result.exit_code, "did you mean" in result.output) == (2, True)


def test_the_example_price_list_loads_and_says_what_is_missing() -> None:
    """docs/examples/prices.toml holds the seed post's prices: its UDIMM kit fits no SP5
    build, and the answer says the priced parts make no complete build."""
    from tests.conftest import ROOT

    from hwspec.output.plan import render_plan
    from hwspec.search.plan import load_prices

    prices = load_prices(ROOT / "docs" / "examples" / "prices.toml")
    answer = plan(Target(model="deepseek-r1", context_tokens=16384), prices)
    assert (prices.currency, answer.considered, answer.candidates) == ("CNY", 0, ())
    assert "the priced parts make no complete build" in render_plan(answer, "text")


def test_owned_parts_cost_nothing_and_never_raise_the_cheapest_cost() -> None:
    """Owning the board of the cheapest build lowers its cost by the board's price, and the
    cheapest cost never rises."""
    from hwspec.search.plan import with_owned

    best = plan(R1, PRICE_LIST).candidates[0]
    board = best.spec["board"]["part"]
    owned = plan(R1, with_owned(PRICE_LIST, (board,))).candidates[0]
    assert owned.cost <= best.cost - PRICES[board]


GPU_PRICES = PriceList("USD", {**PRICES, "nvidia-rtx-3090": 800, "nvidia-rtx-4090": 1600})
"""The same synthetic prices with two GPUs."""


def test_gpus_join_the_search_when_allowed_and_every_candidate_validates() -> None:
    """--gpus any: for a 70B model at 15 tokens/s the cheapest builds add two 24 GiB cards (a
    one-socket host's bound is 13, and a second socket costs more than the cards); each
    candidate, GPUs included, passes hwspec.validate."""
    target = Target(model="llama-3.3-70b", min_decode_tokens_per_s=15, gpus=("any",), top=2)
    answer = plan(target, GPU_PRICES)
    assert answer.candidates
    assert all(c.spec["gpu"][0]["count"] >= 2 for c in answer.candidates)
    for candidate in answer.candidates:
        assert hwspec.validate(hwspec.loads(spec_toml(candidate, answer))).ok


def test_without_gpus_allowed_no_build_has_one() -> None:
    """The default adds no GPU, even when the list prices some."""
    target = Target(model="llama-3.3-70b", min_decode_tokens_per_s=5, top=3)
    assert all("gpu" not in c.spec for c in plan(target, GPU_PRICES).candidates)


def test_allowing_gpus_never_raises_the_cheapest_cost() -> None:
    """More options can only find a build as cheap or cheaper."""
    base = Target(model="llama-3.3-70b", min_decode_tokens_per_s=10, top=1)
    without = _cheapest(base, GPU_PRICES)
    with_gpus = _cheapest(attrs.evolve(base, gpus=("any",)), GPU_PRICES)
    assert without is None or (with_gpus is not None and with_gpus <= without)


def test_the_pareto_front_gets_faster_as_it_gets_dearer() -> None:
    """--objective pareto: cost ascends and the expected speed strictly rises along the front,
    and its cheapest entry is the cost objective's answer."""
    from hwspec.search.plan import expected_speed

    base = Target(model="llama-3.3-70b", min_decode_tokens_per_s=5, gpus=("any",), top=50)
    front = plan(attrs.evolve(base, objective="pareto"), GPU_PRICES).candidates
    speeds = [expected_speed(c) for c in front]
    assert [c.cost for c in front] == sorted(c.cost for c in front)
    assert all(a < b for a, b in itertools.pairwise(speeds))
    assert front[0].cost == plan(attrs.evolve(base, top=1), GPU_PRICES).candidates[0].cost


def test_the_speed_objective_puts_the_fastest_first() -> None:
    """--objective speed: no passing build is expected faster than the first candidate."""
    from hwspec.search.plan import expected_speed

    base = Target(model="llama-3.3-70b", min_decode_tokens_per_s=5, gpus=("any",), top=50)
    fastest = plan(attrs.evolve(base, objective="speed"), GPU_PRICES).candidates
    every = plan(attrs.evolve(base, objective="pareto"), GPU_PRICES).candidates
    assert expected_speed(fastest[0]) == max(expected_speed(c) for c in every)


def test_numa_reaches_the_two_socket_builds_only() -> None:
    """--numa replicate-per-socket is written into dual-socket candidates' workloads, which then
    need a copy of the weights per socket; one-socket builds carry no numa key."""
    target = Target(model="deepseek-r1", context_tokens=16384, min_decode_tokens_per_s=5,
                    numa="replicate-per-socket", top=10)
    found = plan(target, PRICE_LIST).candidates
    # 5 tokens/s expected at the full context takes two sockets of the two-CCD EPYC 9115
    assert any(c.spec["cpu"]["count"] == 2 for c in found)
    for candidate in found:
        sockets = candidate.spec["cpu"]["count"]
        assert candidate.spec["workload"].get("numa") == (
            "replicate-per-socket" if sockets > 1 else None)


def test_whole_machines_are_candidates_of_their_own() -> None:
    """The example USD list prices a DGX Spark and Mac Studios: gpt-oss-120b at 10 tokens/s
    gets [system] candidates that validate, and none has a board or PSU."""
    from tests.conftest import ROOT

    from hwspec.search.plan import load_prices

    prices = load_prices(ROOT / "docs" / "examples" / "prices-usd.toml")
    answer = plan(Target(model="gpt-oss-120b", min_decode_tokens_per_s=10), prices)
    assert answer.candidates
    assert all(set(c.spec) == {"build", "system", "workload"} for c in answer.candidates)
    assert all(hwspec.validate(hwspec.loads(spec_toml(c, answer))).ok for c in answer.candidates)


def test_a_precision_spelt_as_a_gguf_file_name_plans_as_its_lower_case_word() -> None:
    """`--precision Q4_K_M`, as GGUF file names spell it, answers as `q4_k_m` does."""
    args = ["plan", "--model", "gpt-oss-120b", "--min-decode", "8", "--prices",
            "docs/examples/prices-usd.toml", "--format", "json", "--precision"]
    upper, lower = invoke([*args, "Q4_K_M"]), invoke([*args, "q4_k_m"])

    assert (upper.exit_code, upper.stdout) == (lower.exit_code, lower.stdout)


def test_one_build_is_counted_in_the_singular(tmp_path: Path) -> None:
    """A price list that makes one build says '1 build from the priced parts', not '1 builds'."""
    prices = tmp_path / "one.toml"
    prices.write_text('currency = "USD"\n[price]\n'
                      "framework-desktop-ryzen-ai-max-395-128gb = 1999\n", encoding="utf-8")
    result = invoke(["plan", "--model", "gpt-oss-20b", "--prices", str(prices)])

    assert "\n1 build from the priced parts, searched" in result.stdout, result.stdout


@pytest.mark.parametrize("budget", [15000, 40000, None])
def test_no_build_is_excluded_twice(budget: float | None) -> None:
    """Builds the bounds exclude before the search and those excluded during it add up to at
    most the builds considered (DeepSeek-R1 on the reference prices once counted 8 exclusions
    of 7 builds: the pre-search exclusions again when the budget cut the rest)."""
    from hwspec.search.prices import reference_prices

    answer = plan(Target(model="deepseek-r1", precision="q4_k_m", min_decode_tokens_per_s=8,
                         budget=budget), reference_prices())

    assert (answer.pruned + answer.evaluated <= answer.considered,
            sum(answer.excluded.values()) <= answer.considered) == (True, True)
