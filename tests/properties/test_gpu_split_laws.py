"""Laws of multi-GPU decode bandwidth: a layer split never beats its fastest GPU alone, tensor
parallelism never falls below a layer split, and identical GPUs under a layer split read at
one GPU's bandwidth."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from hwspec.formulas import layer_split_bandwidth_gbs, tensor_split_bandwidth_gbs

bandwidths = st.lists(st.floats(50, 8000), min_size=1, max_size=8)


def _shares(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


@given(bandwidths, st.data())
def test_a_layer_split_never_beats_its_fastest_gpu(cards: list[float], data: st.DataObject) -> None:
    shares = _shares(data.draw(st.lists(st.floats(0.01, 100), min_size=len(cards),
                                        max_size=len(cards))))
    split = layer_split_bandwidth_gbs(zip(shares, cards, strict=True))
    assert split <= max(cards) * (1 + 1e-9)
    assert split >= min(cards) * (1 - 1e-9)


@given(bandwidths, st.data())
def test_tensor_parallel_never_falls_below_a_layer_split(cards: list[float],
                                                         data: st.DataObject) -> None:
    shares = _shares(data.draw(st.lists(st.floats(0.01, 100), min_size=len(cards),
                                        max_size=len(cards))))
    assert tensor_split_bandwidth_gbs(cards) >= layer_split_bandwidth_gbs(
        zip(shares, cards, strict=True)) * (1 - 1e-9)


@given(st.floats(50, 8000), st.integers(1, 8))
def test_identical_gpus_split_by_layers_read_at_one_gpus_bandwidth(bandwidth: float,
                                                                   cards: int) -> None:
    split = layer_split_bandwidth_gbs([(1 / cards, bandwidth)] * cards)
    assert math.isclose(split, bandwidth, rel_tol=1e-9)


vrams = st.lists(st.floats(4, 192), min_size=1, max_size=8)


@given(vrams, st.floats(0.1, 2000))
def test_under_the_layer_split_a_card_is_short_exactly_when_the_pool_is(
        cards: list[float], required: float) -> None:
    """Shares in proportion to VRAM: the fullest card's margin has the pooled margin's sign."""
    from hwspec.formulas import device_vram_margin_gib

    margin = device_vram_margin_gib(required, zip(cards, _shares(cards), strict=True))
    pooled = sum(cards) - required
    assert (margin >= -1e-9) == (pooled >= -1e-9 * max(1.0, required))


@given(vrams, st.floats(0.1, 2000))
def test_equal_shares_are_bounded_by_the_smallest_card(cards: list[float],
                                                       required: float) -> None:
    """Tensor parallelism gives each card required / n: the smallest card decides."""
    from hwspec.formulas import device_vram_margin_gib

    equal = [1 / len(cards)] * len(cards)
    margin = device_vram_margin_gib(required, zip(cards, equal, strict=True))
    assert math.isclose(margin, min(cards) - required / len(cards), rel_tol=1e-9, abs_tol=1e-9)


@given(st.lists(st.one_of(st.none(), st.floats(4, 192)), min_size=1, max_size=8),
       st.sampled_from(["layers", "tensor"]))
def test_card_shares_sum_to_one(cards: list[float | None], split: str) -> None:
    """Every card's share together is the whole of what the GPUs hold, whatever is unknown."""
    from hwspec.formulas import gpu_card_shares

    shares = gpu_card_shares(cards, split)
    assert len(shares) == len(cards)
    assert math.isclose(sum(shares), 1.0, rel_tol=1e-9)


@given(vrams)
def test_under_the_layer_split_a_share_follows_the_cards_vram(cards: list[float]) -> None:
    """Twice the VRAM, twice the share: llama.cpp's default --tensor-split."""
    from hwspec.formulas import gpu_card_shares

    shares = gpu_card_shares(list(cards), "layers")
    assert all(math.isclose(share / cards[i], shares[0] / cards[0], rel_tol=1e-9)
               for i, share in enumerate(shares))
