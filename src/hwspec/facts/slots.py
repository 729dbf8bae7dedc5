"""The GPUs in the board's PCIe slots: where each card sits, whether they all fit as declared
(each cooler covers the slot positions below its own up to its width, unless the card is on a
riser), and the link each card gets there (the lower of the card's and the slot's generation and
lanes), which the prefill figures take for the main GPU."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build
from hwspec.spec.model import Gpu, PcieSlot

FACTS = declared("slots")

READS: frozenset[str] = frozenset()


@frozen
class _Card:
    """One card of a [[gpu]] entry, as the placement sees it."""

    entry: int
    unit: int
    gpu: Gpu
    wanted: int | None
    """The slot the spec names for it (1-based), or None to place it in the first free one."""

    @property
    def label(self) -> str:
        return f"gpu[{self.entry}]" + (f" #{self.unit + 1}" if self.gpu.count > 1 else "")


@frozen
class _Placed:
    card: _Card
    slot: int
    """Index into the board's pcie_slots (0-based)."""


def compute(build: Build, _: Inputs) -> Produced:
    """The cards placed in the board's slots and the main GPU's link."""
    values: dict[str, Any] = {}
    board = build.board
    slots = board.pcie_slots if board is not None and build.system is None else None
    placed: list[_Placed] = []
    if slots is not None and build.gpu:
        values["board.pcie_slots"] = len(slots)
        cards = _cards(build.gpu)
        problem = _unknown_width(cards) or _unknown_position(slots)
        if problem is not None:
            values["gpu.slot_problem"] = problem
        else:
            placed, problem = place(cards, slots)
            values["gpu.slots_placed"] = len(placed)
            values["gpu.slot_problem"] = problem or ""
            values["gpu.slot_layout"] = "; ".join(
                f"{p.card.label} in slot {p.slot + 1} ({_slot_text(slots[p.slot])}, position "
                f"{slots[p.slot].position})" for p in placed)
    elif slots is not None:
        values["board.pcie_slots"] = len(slots)
    _link(build, slots, placed, values)
    return Produced(values)


def _cards(entries: tuple[Gpu, ...]) -> list[_Card]:
    return [_Card(i, unit, g, g.slots[unit] if g.slots and unit < len(g.slots) else None)
            for i, g in enumerate(entries) for unit in range(g.count)]


def _unknown_width(cards: list[_Card]) -> str | None:
    """Why the placement cannot be judged: a card off a riser whose width is not known."""
    unknown = sorted({f"gpu[{c.entry}]" for c in cards
                      if c.gpu.slot_width is None and not c.gpu.riser})
    if not unknown:
        return None
    return (f"the slot width of {', '.join(unknown)} is not known: give [[gpu]] slot_width "
            "(slots the cooler covers), or riser = true")


def _unknown_position(slots: tuple[PcieSlot, ...]) -> str | None:
    """Why the placement cannot be judged: a slot whose position the board's entry leaves
    out."""
    unknown = [str(i) for i, slot in enumerate(slots) if slot.position is None]
    if not unknown:
        return None
    return (f"the position of board pcie_slots[{', '.join(unknown)}] is not known: give each "
            "slot's position")


def place(cards: list[_Card], slots: tuple[PcieSlot, ...]) -> tuple[list[_Placed], str | None]:
    """Each card in its named slot, then the others in the first slot that takes them, in the
    spec's order; the cards placed and why the first one that could not be was not."""
    placed: list[_Placed] = []
    problems: list[str] = []
    for entry in {c.entry: c.gpu for c in cards}.items():
        index, gpu = entry
        if gpu.slots is not None and len(gpu.slots) != gpu.count:
            named = f"{len(gpu.slots)} slot" + ("" if len(gpu.slots) == 1 else "s")
            cards_text = f"{gpu.count} card" + ("" if gpu.count == 1 else "s")
            problems.append(f"gpu[{index}] names {named} for its {cards_text}: give one slot "
                            "per card")
    if problems:
        return [], problems[0]
    for card in [c for c in cards if c.wanted is not None] + [c for c in cards if c.wanted is None]:
        if card.wanted is not None:
            slot = card.wanted - 1
            why = (f"{card.label} names slot {card.wanted}, but the board has {len(slots)}"
                   if slot >= len(slots) else _conflict(card, slot, slots, placed))
            if why is None:
                placed.append(_Placed(card, slot))
            else:
                problems.append(why)
            continue
        free = next((s for s in range(len(slots)) if _conflict(card, s, slots, placed) is None),
                    None)
        if free is None:
            problems.append(f"no slot is left for {card.label} ({_width_text(card.gpu)}): "
                            + _taken(slots, placed))
        else:
            placed.append(_Placed(card, free))
    return placed, (problems[0] if problems else None)


def _conflict(card: _Card, slot: int, slots: tuple[PcieSlot, ...],
              placed: list[_Placed]) -> str | None:
    """Why ``card`` cannot go in ``slot`` given the cards already placed, or None."""
    position = _position(slots[slot])
    for other in placed:
        if other.slot == slot:
            return f"{card.label} and {other.card.label} both take slot {slot + 1}"
        if position in _covered(other.card.gpu, _position(slots[other.slot])):
            return (f"slot {slot + 1} (position {position}), where {card.label} goes, is under "
                    f"{other.card.label}'s cooler ({_width_text(other.card.gpu)} from position "
                    f"{slots[other.slot].position})")
        if _position(slots[other.slot]) in _covered(card.gpu, position):
            return (f"{card.label}'s cooler ({_width_text(card.gpu)}) in slot {slot + 1} would "
                    f"cover slot {other.slot + 1} (position {slots[other.slot].position}), where "
                    f"{other.card.label} goes")
    return None


def _position(slot: PcieSlot) -> int:
    """A slot's position (placement runs only once every slot gives one)."""
    assert slot.position is not None
    return slot.position


def _covered(gpu: Gpu, position: int) -> range:
    """The positions a card's cooler covers beyond its own slot: none on a riser."""
    if gpu.riser or gpu.slot_width is None:
        return range(0)
    return range(position + 1, position + f.slot_positions_covered(gpu.slot_width))


def _width_text(gpu: Gpu) -> str:
    return "on a riser" if gpu.riser else f"{gpu.slot_width:g} slots wide"


def _taken(slots: tuple[PcieSlot, ...], placed: list[_Placed]) -> str:
    if not slots:
        return "the board lists no PCIe slot"
    used = ", ".join(f"slot {p.slot + 1} {p.card.label}" for p in placed)
    return (f"the board's {len(slots)} slots hold " + (used if used else "nothing else")
            + " and the rest are covered or too close to them")


def _slot_text(slot: PcieSlot) -> str:
    lanes = f"x{slot.lanes}" if slot.lanes is not None else "lanes not known"
    gen = f"Gen {slot.gen}" if slot.gen is not None else "generation not known"
    return f"{lanes} {gen}"


def _link(build: Build, slots: tuple[PcieSlot, ...] | None, placed: list[_Placed],
          values: dict[str, Any]) -> None:
    """The main GPU's link: its slot's and its own, the lower of each, where the board lists
    its slots; else the card's own figures as the spec gives them."""
    main = build.gpu[0] if build.gpu else None
    if main is None:
        return
    own = (main.pcie_gen, main.pcie_lanes)
    if slots:
        where = next((p.slot for p in placed if p.card.entry == 0 and p.card.unit == 0), None)
        if where is None:
            why = f" ({values['gpu.slot_problem']})" if values.get("gpu.slot_problem") else ""
            if own[0] is None or own[1] is None:
                values["gpu.pcie_link_basis"] = (
                    f"unknown: the main GPU (gpu[0]) has no slot on the board{why}, and its own "
                    "PCIe generation and lanes are not known (give [[gpu]] pcie_gen and "
                    "pcie_lanes)")
                return
            values["gpu.pcie_link_gbs"] = f.pcie_link_gbs(own[0], own[1])
            values["gpu.pcie_link_basis"] = (f"x{own[1]} Gen {own[0]}: gpu[0] pcie_gen and "
                                             f"pcie_lanes; its slot on the board is not known{why}")
            return
        slot = slots[where]
        if slot.gen is None or slot.lanes is None:
            values["gpu.pcie_link_basis"] = (
                f"unknown: gpu[0] sits in slot {where + 1}, whose {_slot_text(slot)} (give the "
                "board's pcie_slots lanes and gen)")
            return
        gen = min(slot.gen, main.pcie_gen) if main.pcie_gen is not None else None
        lanes = min(slot.lanes, main.pcie_lanes) if main.pcie_lanes is not None else None
        if gen is None or lanes is None:
            values["gpu.pcie_link_basis"] = (
                f"unknown: gpu[0] sits in slot {where + 1} ({_slot_text(slot)}), and its own "
                "PCIe generation and lanes are not known (give [[gpu]] pcie_gen and pcie_lanes)")
            return
        values["gpu.pcie_link_gbs"] = f.pcie_link_gbs(gen, lanes)
        values["gpu.pcie_link_basis"] = (
            f"x{lanes} Gen {gen}: the lower of slot {where + 1} ({_slot_text(slot)}) and gpu[0] "
            f"(x{main.pcie_lanes} Gen {main.pcie_gen})")
        return
    if own[0] is None or own[1] is None:
        values["gpu.pcie_link_basis"] = (
            "unknown: give [[gpu]] pcie_gen and pcie_lanes, or the board's pcie_slots")
        return
    values["gpu.pcie_link_gbs"] = f.pcie_link_gbs(own[0], own[1])
    values["gpu.pcie_link_basis"] = f"x{own[1]} Gen {own[0]}: gpu[0] pcie_gen and pcie_lanes"


TOPIC = Topic("slots", FACTS, compute, READS)
