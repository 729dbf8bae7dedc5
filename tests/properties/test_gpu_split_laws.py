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
