"""Laws of the GPUs' placement in the board's PCIe slots."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec.facts.slots import _Card, place
from hwspec.formulas import slot_positions_covered
from hwspec.spec.model import Gpu, PcieSlot
from hwspec.spec.values import Count, Positive

WIDTHS = st.sampled_from([1.0, 2.0, 2.5, 3.0, 3.5, 4.0])
SLOTS = st.lists(st.integers(1, 13), min_size=1, max_size=8, unique=True).map(
    lambda positions: tuple(PcieSlot(position=Count(p), lanes=Count(16), gen=Count(4))
                            for p in sorted(positions)))


def _cards(widths: list[float], riser: bool = False) -> list[_Card]:
    return [_Card(i, 0, Gpu(slot_width=Positive(w), riser=riser or None), None)
            for i, w in enumerate(widths)]


@given(st.floats(0.1, 16, allow_nan=False))
def test_a_cooler_covers_its_width_rounded_up(width: float) -> None:
    """A card takes at least its width in positions, and less than one position more."""
    covered = slot_positions_covered(width)

    assert (covered >= width, covered < width + 1 or covered == 1) == (True, True)


@given(st.lists(WIDTHS, min_size=1, max_size=8), SLOTS)
def test_placed_cards_never_share_or_cover_a_slot(widths: list[float],
                                                  slots: tuple[PcieSlot, ...]) -> None:
    """No two placed cards take one slot, and no placed card sits under another's cooler."""
    placed, _ = place(_cards(widths), slots)
    spans = [(slots[p.slot].position or 0, slot_positions_covered(p.card.gpu.slot_width or 1))
             for p in placed]

    assert [(a, b) for i, (a, wa) in enumerate(spans) for j, (b, _) in enumerate(spans)
            if i != j and a <= b < a + wa] == []


@given(st.lists(WIDTHS, min_size=1, max_size=8), SLOTS)
def test_risers_never_place_fewer_cards(widths: list[float],
                                        slots: tuple[PcieSlot, ...]) -> None:
    """Putting every card on a riser places at least as many, and as many as there are slots
    when the cards outnumber them."""
    in_slots, _ = place(_cards(widths), slots)
    on_risers, _ = place(_cards(widths, riser=True), slots)

    assert (len(on_risers) >= len(in_slots), len(on_risers)) == (
        True, min(len(widths), len(slots)))


@given(st.lists(WIDTHS, min_size=1, max_size=8), SLOTS)
def test_every_card_placed_or_a_reason_given(widths: list[float],
                                             slots: tuple[PcieSlot, ...]) -> None:
    """Either every card has a slot, or the placement says why one has not."""
    placed, problem = place(_cards(widths), slots)

    assert (len(placed) == len(widths)) == (problem is None)

