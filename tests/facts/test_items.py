"""Item facts worked out over the entries of a list: each [[gpu]] entry's cards' share of what
the GPUs hold, the share the fullest card's margin and the report's card charts both read."""

from __future__ import annotations

import textwrap

import pytest

from hwspec.checker import Checker

CHECKER = Checker()


def _gpu_entries(split: str, *cards: tuple[int, float]) -> tuple[dict[str, object], ...]:
    gpus = "".join(f"[[gpu]]\nname = \"{vram:g} GiB card\"\ncount = {count}\nvram_gib = {vram}\n"
                   f"bandwidth_gbs = 900\n" for count, vram in cards)
    text = textwrap.dedent(f"""\
        [build]
        name = "cards"
        [workload]
        gpu_split = "{split}"
        """) + gpus
    report = CHECKER.check_text(text, path="t.toml")
    assert report.facts is not None
    return report.facts.entries["gpu"]


def test_a_layer_split_gives_each_card_its_share_of_the_vram() -> None:
    """Under layers one 48 GiB card and two 24 GiB cards hold a half and a quarter each."""
    entries = _gpu_entries("layers", (1, 48), (2, 24))
    assert [e["item.card_share"] for e in entries] == pytest.approx([0.5, 0.25])


def test_a_tensor_split_gives_every_card_an_equal_share() -> None:
    """Under tensor parallelism three cards hold a third each, whatever their VRAM."""
    entries = _gpu_entries("tensor", (1, 48), (2, 24))
    assert [e["item.card_share"] for e in entries] == pytest.approx([1 / 3, 1 / 3])


def test_a_card_of_unknown_vram_leaves_every_share_unknown() -> None:
    """Without every card's VRAM no share is given: the split cannot be worked out."""
    report = CHECKER.check_text(
        '[build]\nname = "x"\n[[gpu]]\nname = "a"\nvram_gib = 24\n[[gpu]]\nname = "b"\n',
        path="t.toml")
    assert report.facts is not None
    assert [("item.card_share" in e) for e in report.facts.entries["gpu"]] == [False, False]
