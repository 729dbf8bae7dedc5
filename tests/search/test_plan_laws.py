"""hwspec plan's laws: a tighter target never costs less, every candidate meets its target on
the chosen basis, candidates are distinct kinds of build, and a part priced lower never makes
the answer dearer."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.search.test_plan import PRICE_LIST, PRICES, R1

import hwspec
from hwspec.search.plan import BASES, DECODE_FIGURE, PriceList, Target, plan

STRICTER = {"bound": "expected", "expected": "low"}
"""Each basis and the next stricter one: the bound is at least the expected figure, which is
at least its low end."""


def _cheapest(target: Target, prices: PriceList = PRICE_LIST) -> float | None:
    answer = plan(target, prices)
    return answer.candidates[0].cost if answer.candidates else None


@settings(max_examples=6, deadline=None)
@given(st.sampled_from(("bound", "expected")), st.floats(min_value=2, max_value=20))
def test_a_stricter_basis_never_costs_less(basis: str, min_decode: float) -> None:
    """Holding the same target to a stricter figure leaves the cheapest cost as it is or
    dearer (None: nothing meets it)."""
    loose = _cheapest(attrs.evolve(R1, min_decode_tokens_per_s=min_decode, basis=basis, top=1))
    strict = _cheapest(attrs.evolve(R1, min_decode_tokens_per_s=min_decode,
                                    basis=STRICTER[basis], top=1))
    assert strict is None or (loose is not None and strict >= loose)


@settings(max_examples=6, deadline=None)
@given(st.floats(min_value=1, max_value=200), st.floats(min_value=0, max_value=200))
def test_a_higher_min_prefill_never_costs_less(low: float, more: float) -> None:
    """A harder prefill target leaves the cheapest cost as it is or dearer."""
    easy = _cheapest(attrs.evolve(R1, min_decode_tokens_per_s=None,
                                  min_prefill_tokens_per_s=low, top=1))
    hard = _cheapest(attrs.evolve(R1, min_decode_tokens_per_s=None,
                                  min_prefill_tokens_per_s=low + more, top=1))
    assert hard is None or (easy is not None and hard >= easy)


@settings(max_examples=6, deadline=None)
@given(st.sampled_from(BASES), st.floats(min_value=2, max_value=15))
def test_every_candidate_meets_its_target_on_the_chosen_basis(basis: str,
                                                             min_decode: float) -> None:
    """The decode figure the basis names reaches --min-decode in every candidate."""
    answer = plan(attrs.evolve(R1, min_decode_tokens_per_s=min_decode, basis=basis), PRICE_LIST)
    figures = [c.report.facts[DECODE_FIGURE[basis]] for c in answer.candidates]  # type: ignore
    assert all(figure >= min_decode for figure in figures)


@settings(max_examples=4, deadline=None)
@given(st.sampled_from(("cost", "pareto", "speed")))
def test_candidates_are_distinct_kinds_of_build(objective: str) -> None:
    """No two candidates share CPU, sockets, memory size, module speed and kind, and GPUs:
    builds that differ only in board, module brand or PSU are one answer."""
    catalog = hwspec.builtin_catalog()
    answer = plan(attrs.evolve(R1, top=10, objective=objective), PRICE_LIST)

    def kind(spec: dict[str, object]) -> tuple[object, ...]:
        memory = spec["memory"][0]  # type: ignore[index]
        entry = catalog.get("memory", memory["part"])
        per_kit = entry.fields.get("modules_per_kit", 1)  # type: ignore[union-attr]
        return (spec["cpu"]["part"], spec["cpu"]["count"],  # type: ignore[index]
                memory["count"] * per_kit * entry.fields["capacity_gib"],  # type: ignore
                entry.fields.get("speed_mts"), entry.fields.get("kind"),  # type: ignore
                str(spec.get("gpu")))

    kinds = [kind(dict(c.spec)) for c in answer.candidates]
    assert len(kinds) == len(set(kinds))


@settings(max_examples=8, deadline=None)
@given(st.sampled_from(sorted(PRICES)), st.floats(min_value=0.1, max_value=0.99))
def test_a_part_priced_lower_never_makes_the_answer_dearer(part: str, share: float) -> None:
    """Lowering one part's price leaves the cheapest cost as it is or lower."""
    lower = PriceList("USD", {**PRICES, part: round(PRICES[part] * share, 2)})
    before, after = _cheapest(attrs.evolve(R1, top=1)), _cheapest(attrs.evolve(R1, top=1), lower)
    assert before is None or (after is not None and after <= before)
