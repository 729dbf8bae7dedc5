"""The GPUs in the board's PCIe slots: where each card sits, whether they fit as declared
(GPU001), and the link the main GPU gets from its slot."""

from __future__ import annotations

import textwrap

import pytest
from tests.test_offload_prefill import SPEC as OFFLOADED_3090

import hwspec
from hwspec.checker import Checker

CHECKER = Checker()

ROMED8 = textwrap.dedent("""\
    [build]
    name = "3090s on a ROMED8-2T"

    [board]
    part = "asrock-rack-romed8-2t"
""")
"""The ROMED8-2T's catalog entry: seven PCIe 4.0 x16 slots at positions 1 to 7."""


def _facts(text: str) -> dict[str, object]:
    return dict(CHECKER.check_text(text, path="t.toml").facts or {})


def _rules(text: str) -> list[str]:
    return [f.rule for f in CHECKER.check_text(text, path="t.toml").findings]


def _cards(lines: str) -> str:
    return ROMED8 + "\n" + textwrap.dedent(lines)


def test_three_3_slot_cards_fit_seven_adjacent_slots() -> None:
    """Three 3-slot RTX 3090s go in slots 1, 4 and 7, each cooler ending where the next card
    starts."""
    facts = _facts(_cards('[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 3\n'))

    assert (facts["gpu.slots_placed"], facts["gpu.slot_layout"]) == (
        3, "gpu[0] #1 in slot 1 (x16 Gen 4, position 1); gpu[0] #2 in slot 4 (x16 Gen 4, "
           "position 4); gpu[0] #3 in slot 7 (x16 Gen 4, position 7)")


def test_a_fourth_3_slot_card_does_not_fit() -> None:
    """A fourth 3090 finds every slot taken or under a cooler: GPU001 fires and names it."""
    report = CHECKER.check_text(_cards('[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 4\n'),
                                path="t.toml")
    finding = next(f for f in report.findings if f.rule == "GPU001")

    assert (finding.path, "no slot is left for gpu[0] #4 (3 slots wide)" in finding.message) == (
        "gpu", True)


def test_cards_on_risers_cover_no_slot() -> None:
    """Seven cards on risers take the seven slots; an eighth has none."""
    seven = _facts(_cards('[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 7\nriser = true\n'))
    eight = _facts(_cards('[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 8\nriser = true\n'))

    assert (seven["gpu.slots_placed"], eight["gpu.slots_placed"]) == (7, 7)


def test_a_named_slot_under_a_cooler_is_refused() -> None:
    """A 3090 named into slot 2, right below one in slot 1, sits under its cooler."""
    facts = _facts(_cards('[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 2\nslots = [1, 2]\n'))

    assert (facts["gpu.slots_placed"], facts["gpu.slot_problem"]) == (
        1, "slot 2 (position 2), where gpu[0] #2 goes, is under gpu[0] #1's cooler (3 slots "
           "wide from position 1)")


def test_a_cooler_may_not_cover_a_slot_named_below_it() -> None:
    """A card named into slot 3 first, then one into slot 1 whose cooler would cover slot 3."""
    text = _cards('[[gpu]]\npart = "nvidia-rtx-3090"\nslots = [3]\n\n'
                  '[[gpu]]\npart = "nvidia-rtx-4090"\nslots = [1]\n')

    assert _facts(text)["gpu.slot_problem"] == (
        "gpu[1]'s cooler (3 slots wide) in slot 1 would cover slot 3 (position 3), where gpu[0] "
        "goes")


def test_a_half_slot_reaches_the_next_position() -> None:
    """A 2.5-slot card in slot 1 leaves slots 2 and 3 unusable: the next card goes in 4."""
    text = _cards('[[gpu]]\nname = "2.5-slot card"\nslot_width = 2.5\ncount = 2\n')

    assert _facts(text)["gpu.slot_layout"] == (
        "gpu[0] #1 in slot 1 (x16 Gen 4, position 1); gpu[0] #2 in slot 4 (x16 Gen 4, "
        "position 4)")


def test_slots_must_name_one_slot_per_card() -> None:
    """Two cards with one slot named is a problem GPU001 reports, not a guess."""
    text = _cards('[[gpu]]\npart = "nvidia-rtx-5090"\ncount = 2\nslots = [1]\n')

    assert ("GPU001" in _rules(text), _facts(text)["gpu.slot_problem"]) == (
        True, "gpu[0] names 1 slot for its 2 cards: give one slot per card")


def test_a_slot_the_board_lacks_is_named() -> None:
    """slots = [9] on a board of seven slots."""
    text = _cards('[[gpu]]\npart = "nvidia-rtx-5090"\nslots = [9]\n')

    assert _facts(text)["gpu.slot_problem"] == "gpu[0] names slot 9, but the board has 7"


def test_an_unknown_width_leaves_the_rule_unrun_and_says_why() -> None:
    """A card without slot_width: no verdict, and the problem names the key to give."""
    text = _cards('[[gpu]]\nname = "Card of unknown width"\nvram_gib = 24\n')
    facts = _facts(text)

    assert ("gpu.slots_placed" in facts, "GPU001" in _rules(text), facts["gpu.slot_problem"]) == (
        False, False, "the slot width of gpu[0] is not known: give [[gpu]] slot_width (slots "
                      "the cooler covers), or riser = true")


def test_a_build_without_board_slots_is_not_judged() -> None:
    """No pcie_slots on the board: GPU001 does not apply, and no placement fact is made."""
    text = ('[build]\nname = "x"\n[board]\nname = "Board"\n'
            '[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 4\n')

    assert ("gpu.slots_placed" in _facts(text), "GPU001" in _rules(text)) == (False, False)


NARROW_BOARD = OFFLOADED_3090.replace(
    '[build]\nname = "One RTX 3090 and a 7950X"\n',
    '[build]\nname = "A 3090 in a PCIe 3.0 x8 slot"\n[board]\nname = "Board with one x8 Gen 3 '
    'slot"\npcie_slots = [{ position = 1, lanes = 8, gen = 3, name = "PCIE1" }]\n')
"""The offloaded 70B on one 3090 of tests/test_offload_prefill.py, its card in a board's one
PCIe 3.0 x8 slot."""


def test_the_link_is_the_lower_of_card_and_slot() -> None:
    """The PCIe 4.0 x16 card in a PCIe 3.0 x8 slot links at 8 GT/s x 128/130 / 8 x 8 =
    7.88 GB/s, and the basis says where that comes from."""
    facts = _facts(NARROW_BOARD)

    assert (facts["gpu.pcie_link_gbs"], facts["gpu.pcie_link_basis"]) == (
        pytest.approx(8 * 128 / 130 / 8 * 8),
        "x8 Gen 3: the lower of slot 1 (x8 Gen 3) and gpu[0] (x16 Gen 4)")


def test_the_slot_link_feeds_the_offload_prefill() -> None:
    """Under llama.cpp's offload the weights in system memory cross the slot's link: 512
    tokens x 7.88 GB/s / the GB in system memory."""
    facts = _facts(NARROW_BOARD)
    host_gb = (float(facts["model.weights_gib"])  # type: ignore[arg-type]
               - float(facts["model.gpu_weights_gib"])) * 2**30 / 1e9  # type: ignore[arg-type]

    assert facts["prefill.link_tokens_per_s_max"] == pytest.approx(
        512 * 8 * 128 / 130 / 8 * 8 / host_gb)


def test_an_unknown_slot_link_is_named_in_prefill() -> None:
    """A slot without its lanes and generation leaves the link unknown, and the prefill basis
    names the board's pcie_slots as the input to give."""
    text = NARROW_BOARD.replace("{ position = 1, lanes = 8, gen = 3, name = \"PCIE1\" }",
                                "{ position = 1 }")
    facts = _facts(text)

    assert ("gpu.pcie_link_gbs" in facts, "pcie_slots lanes and gen" in str(
        facts["prefill.basis"])) == (False, True)


def test_the_spec_keys_load() -> None:
    """[[gpu]] slots and riser, and an inline board's pcie_slots, structure as written."""
    spec = hwspec.loads(NARROW_BOARD.replace('part = "nvidia-rtx-3090"',
                                             'part = "nvidia-rtx-3090"\nslots = [1]\nriser = true'))

    assert (spec.gpu[0].slots, spec.gpu[0].riser, spec.board.pcie_slots[0].lanes
            if spec.board and spec.board.pcie_slots else None) == ((1,), True, 8)


def test_a_board_without_slots_takes_no_card() -> None:
    """pcie_slots = [] says the board has none: GPU001 fails rather than going unrun."""
    text = ('[build]\nname = "x"\n[board]\nname = "Board"\npcie_slots = []\n'
            '[[gpu]]\npart = "nvidia-rtx-3090"\n')

    assert ("GPU001" in _rules(text), _facts(text)["gpu.slot_problem"]) == (
        True, "no slot is left for gpu[0] (3 slots wide): the board lists no PCIe slot")
