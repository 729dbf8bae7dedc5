"""Power: the load every fitted part puts on the PSU, its short peak, what the PSUs deliver, the
draw at the wall, and the power cables the parts need against those the PSUs bring."""

from __future__ import annotations

from typing import Any

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.facts.shared import modules, ratio
from hwspec.resolve import AssumedPower, Build, own_power_w, power_parts
from hwspec.spec.kinds import KIND_BY_NAME, POWER_GROUP_KINDS

FACTS = declared("power")


def compute(build: Build, _: Inputs) -> Produced:
    """The load, peak and PSU figures: every fitted part at its own power figure, or at its
    catalog class figure (named in power.assumed), or named in power.uncounted."""
    values: dict[str, Any] = {}
    _load_facts(build, values)
    _psu_facts(build, values)
    _connector_facts(build, values)
    return Produced(values)


def _load_facts(build: Build, values: dict[str, Any]) -> None:
    """The sustained load and the short peak, part by part, and the parts counted at a class
    figure or not at all."""
    load = peak = 0.0
    groups: dict[str, float] = {}
    uncounted: list[str] = []
    assumed: list[str] = []
    decode = _DecodeDraw()
    kept: list[str] = []
    unmeasured: list[str] = []
    known_any = False
    for path, kind, part in power_parts(build):
        own = own_power_w(kind, part)
        stand_in = build.assumed_power.get(path)
        units = (stand_in.units if own is None and stand_in is not None
                 and stand_in.units is not None else _power_units(kind, part))
        watts = own if own is not None else stand_in.watts if stand_in is not None else None
        if watts is None:
            uncounted.append(path)
            continue
        if own is None and stand_in is not None:
            assumed.append(f"{path}: {_each(units, watts)} W, {_basis(stand_in)}")
        known_any = True
        load += units * watts
        if group := KIND_BY_NAME[kind].power_group:
            groups[group] = groups.get(group, 0.0) + units * watts
        stock = _stock_w(kind, part, watts)
        if stock > watts:
            kept.append(f"{path} ({_name(part)}) at its stock {_peak_source(part)}")
        peak += units * _peak_w(build, path, part, stock, assumed, units)
        if kind == "gpu" and getattr(part, "peak_w", None) is None \
                and path not in build.assumed_peak:
            unmeasured.append(f"{path} ({_name(part)})")
        decode.add(path, kind, part, units, watts)
    for head in POWER_GROUP_KINDS:
        if head.power_group in groups:
            values[f"power.{head.power_group}_w"] = groups[head.power_group]
    limits = tuple(_limit_text(f"gpu[{i}]", g) for i, g in enumerate(build.gpu)
                   if g.power_limit_w is not None)
    if limits:
        values["power.gpu_limits"] = limits
    if known_any:
        values["power.load_w"] = load
        values["power.peak_w"] = peak
        values["power.uncounted"] = tuple(uncounted)
        values["power.assumed"] = tuple(assumed)
        values["power.peak_limit_kept"] = bool(kept)
        values["power.peak_unmeasured"] = tuple(unmeasured)
        values["power.peak_caveat"] = bool(kept or unmeasured)
        reasons = []
        if kept:
            reasons.append(f"{'; '.join(kept)}: no public measurement shows how a lower power "
                           "limit scales a card's transients")
        if unmeasured:
            reasons.append(f"a lower bound: {', '.join(unmeasured)} at board power, with no "
                           "measured transient peak (give [[gpu]] peak_w from a measurement)")
        if reasons:
            values["power.peak_basis"] = "; ".join(reasons)
        decode.facts(values, uncounted)


class _DecodeDraw:
    """The draw while decoding, gathered part by part beside the load: the GPUs and a [system]
    at their measured figures, the other parts at their load figures."""

    def __init__(self) -> None:
        self.watts = 0.0
        self.measured: list[str] = []
        self.missing: list[str] = []
        self.sustained = False

    def add(self, path: str, kind: str, part: Any, units: int, load_w: float) -> None:
        """One part: its measured decoding draw where it is a GPU or a [system], else the
        figure it counts at in the load."""
        if kind not in ("gpu", "system"):
            self.watts += units * load_w
            self.sustained = True
            return
        measured = part.decode_power_w
        if measured is None:
            self.missing.append(f"{path} ({_name(part)})")
            return
        limit = getattr(part, "power_limit_w", None)
        each = f.decode_draw_w(measured, limit)
        self.watts += units * each
        how = (f"its power limit, below the {measured:g} W measured while decoding"
               if limit is not None and limit < measured else "measured while decoding")
        self.measured.append(f"{path} ({_name(part)}): {_each(units, each)} W, {how}")

    def facts(self, values: dict[str, Any], uncounted: list[str]) -> None:
        """The decoding draw and its basis, or its basis alone where it is unknown."""
        if self.missing:
            values["power.decode_basis"] = (
                f"unknown: no measured draw while decoding for {', '.join(self.missing)} "
                "(give decode_power_w)")
            return
        if not self.measured:
            return  # a CPU build: no draw while decoding is published, the load stands for it
        values["power.decode_draw_w"] = self.watts
        values["power.decode_partly_sustained"] = self.sustained
        rest = "; every other part at its figure in the load (an upper bound while the GPUs " \
            "decode)" if self.sustained else ""
        short = "; parts with no power figure are left out" if uncounted else ""
        values["power.decode_basis"] = "; ".join(self.measured) + rest + short


def _name(part: Any) -> str:
    return str(part.name or part.part)


def _stock_w(kind: str, part: Any, watts: float) -> float:
    """What a part's peak is reckoned from: its sustained figure, but a GPU whose power_limit_w
    is below its board power at the board power (a lower limit is not shown to lower the
    transients)."""
    if kind == "gpu" and part.power_limit_w is not None and part.tdp_w is not None:
        return max(watts, float(part.tdp_w))
    return watts


def _peak_source(part: Any) -> str:
    return f"peak {part.peak_w:g} W" if part.peak_w is not None else \
        f"board power {part.tdp_w:g} W"


def _limit_text(path: str, gpu: Any) -> str:
    board = f" (board power {gpu.tdp_w:g} W)" if gpu.tdp_w is not None else ""
    return f"{path}: {_each(gpu.count, gpu.power_limit_w)} W {_name(gpu)}{board}"


def _power_units(kind: str, part: Any) -> int:
    if kind == "memory":
        return modules(part)
    return int(getattr(part, "count", 1))


def _each(units: int, watts: float) -> str:
    return f"{units} x {watts:g}" if units != 1 else f"{watts:g}"


def _basis(stand_in: AssumedPower) -> str:
    per = f"; {stand_in.units_basis}" if stand_in.units_basis else ""
    return f"{stand_in.summary} ({stand_in.confidence} confidence; {stand_in.source}){per}"


def _peak_w(build: Build, path: str, part: Any, sustained_w: float, assumed: list[str],
            units: int) -> float:
    """One unit's short excursion: its own peak_w, else its class peak (a figure or a multiple
    of its sustained power), else its sustained power (drives, fans and memory do not spike)."""
    own = getattr(part, "peak_w", None)
    if own is not None:
        return max(float(own), sustained_w)
    stand_in = build.assumed_peak.get(path)
    if stand_in is None:
        return sustained_w
    watts = stand_in.watts if stand_in.watts is not None else sustained_w * (stand_in.ratio or 1)
    watts = max(watts, sustained_w)
    assumed.append(f"{path} peak: {_each(units, watts)} W, {_basis(stand_in)}")
    return watts


def _psu_facts(build: Build, values: dict[str, Any]) -> None:
    psu = build.psu
    if psu is None:
        return
    redundancy = psu.redundancy or "none"
    values["psu.count"] = psu.count
    values["psu.redundancy"] = redundancy
    shared = redundancy == "none"  # separate units each bring their own cables
    for name in ("eps_connectors", "pcie_connectors", "hpwr_connectors"):
        given = getattr(psu, name)
        if given is not None:
            values[f"psu.{name}"] = given * (psu.count if shared else 1)
    if psu.capacity_w is None:
        return
    values["psu.capacity_w"] = psu.capacity_w
    usable = f.usable_psu_w(psu.capacity_w, psu.count, redundancy)
    values["power.psu_w"] = usable
    usable_units = usable / psu.capacity_w
    if psu.peak_w is not None:
        values["power.psu_peak_w"] = psu.peak_w * usable_units
        values["power.psu_peak_basis"] = "the unit's own peak rating"
    else:
        excursion, basis = _excursion(psu)
        values["power.psu_peak_w"] = f.psu_excursion_w(usable, excursion)
        values["power.psu_peak_basis"] = basis
    load = values.get("power.load_w")
    if load is None:
        return
    if usable:  # an unusable PSU (a rating so small it rounds to 0 W) carries no share
        values["power.load_fraction"] = f.load_fraction(load, usable)
    if "power.peak_w" in values:
        values["power.peak_fraction"] = ratio(values["power.peak_w"], values["power.psu_peak_w"])
    level = _eighty_plus_level(psu.rating)
    if level is not None:
        # Each unit carries its share of the load; with redundancy they share it evenly.
        share = load / (psu.capacity_w * psu.count)
        efficiency = f.psu_efficiency(f.EIGHTY_PLUS_115V_INTERNAL[level], share)
        values["power.efficiency"] = efficiency
        values["power.wall_w"] = f.wall_power_w(load, efficiency)
        values["power.efficiency_basis"] = f"{level} minimum at {share:.0%} load (115 V)"
        decode = values.get("power.decode_draw_w")
        if decode is not None:
            at = f.psu_efficiency(f.EIGHTY_PLUS_115V_INTERNAL[level],
                                  decode / (psu.capacity_w * psu.count))
            values["power.decode_wall_w"] = f.wall_power_w(decode, at)


def _excursion(psu: Any) -> tuple[float, str]:
    """The share of its rating a PSU delivers for 1 ms, and why: the ATX 3.x table, else its
    continuous rating alone."""
    version = psu.atx_version
    if version is not None and version.split(".")[0].isdigit() and int(version.split(".")[0]) >= 3:
        if psu.capacity_w > 450 and (psu.hpwr_connectors or 0) >= 1:
            return f.ATX3_EXCURSION_1MS, "ATX 3.x excursion limit: 180 % for 1 ms"
        return f.ATX3_EXCURSION_1MS_SMALL, ("ATX 3.x excursion limit for a unit without a "
                                            "known 12V-2x6 cable or of 450 W or less: 145 % "
                                            "for 1 ms")
    known = f"ATX {version}" if version else "no ATX 3.x compliance stated"
    return 1.0, f"its continuous rating only: {known}, and no excursion limit is published"


def _eighty_plus_level(rating: str | None) -> str | None:
    """The 80 PLUS level a rating names ("80 PLUS Titanium", "Titanium"), or None."""
    if not rating:
        return None
    words = rating.lower().replace("80+", "80 plus").split()
    for level in sorted(f.EIGHTY_PLUS_115V_INTERNAL, key=len, reverse=True):
        tail = level.lower().split()[-1]
        if tail != "plus" and tail in words:
            return level
    return "80 PLUS" if "plus" in words else None


def _connector_facts(build: Build, values: dict[str, Any]) -> None:
    """The power inputs the board and cards need against the cables the PSU brings."""
    board = build.board
    gpu_eps = sum(g.count * g.eps_connectors for g in build.gpu if g.eps_connectors)
    if board is not None and board.eps_connectors is not None:
        values["power.eps_needed"] = board.eps_connectors + gpu_eps
    elif gpu_eps:
        values["power.eps_needed"] = gpu_eps
    cards = [g for g in build.gpu for _ in range(g.count)]
    if not cards or any(g.pcie_connectors is None and g.hpwr_connectors is None for g in cards):
        return
    pcie: int = sum(int(g.pcie_connectors or 0) for g in cards)
    hpwr_cards = sorted((g for g in cards if g.hpwr_connectors),
                        key=lambda g: -(g.tdp_w or 0.0))
    values["gpu.pcie_connectors"] = pcie
    values["gpu.hpwr_connectors"] = sum(g.hpwr_connectors or 0 for g in cards)
    have_hpwr, have_pcie = values.get("psu.hpwr_connectors"), values.get("psu.pcie_connectors")
    if have_hpwr is None or have_pcie is None:
        return
    # The PSU's own 12V-2x6 cables go to the largest cards; the rest take an adapter from
    # 8-pin cables.
    spare_hpwr = int(have_hpwr)
    for card in hpwr_cards:
        for _ in range(card.hpwr_connectors or 0):
            if spare_hpwr:
                spare_hpwr -= 1
            elif card.tdp_w is not None:
                pcie += f.adapter_pcie_8pin_count(card.tdp_w)
            else:
                return  # an adapter's size follows the card's power
    values["power.pcie_needed"] = pcie
    values["power.pcie_short"] = max(pcie - have_pcie, 0)



TOPIC = Topic("power", FACTS, compute)
