"""Derive: ``Build`` -> ``Facts``, the named figures that rules, reports and JSON share.

Facts are a flat mapping of dotted names (``memory.effective_mts``) to numbers, booleans, strings
or lists of strings. A fact the spec does not let us know is absent, never guessed; rules that read
it are then not applicable. List entries (each ``[[memory]]``, ``[[gpu]]``, ``[[storage]]``) get
their own item facts (``item.kind``), read by rules declared with ``each``.

``FACTS`` is the vocabulary: every fact's name, unit, type, meaning and the formula behind it. The
docs, ``hwspec facts`` and the rule-pack checker all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import field, frozen

from hwspec import formulas as f
from hwspec._build import Build
from hwspec._expr import ValueType
from hwspec._spec import Memory
from hwspec._vocab import BITS_PER_WEIGHT, KV_BYTES_PER_ELEMENT

FactValue = float | int | bool | str | tuple[str, ...]

N, B, S, L = ValueType.NUMBER, ValueType.BOOL, ValueType.STRING, ValueType.STRINGS


@frozen
class FactDef:
    """One fact of the vocabulary: name, unit, type, what it means, and its formula."""

    name: str
    unit: str
    type: ValueType
    summary: str
    formula: Callable[..., Any] | None = None

    @property
    def formula_doc(self) -> str:
        """The formula's docstring, or where the value is read from."""
        if self.formula is None:
            return ""
        return " ".join((self.formula.__doc__ or "").split())


def _d(name: str, unit: str, kind: ValueType, summary: str,
       formula: Callable[..., Any] | None = None) -> FactDef:
    return FactDef(name, unit, kind, summary, formula)


FACTS: tuple[FactDef, ...] = (
    _d("build.name", "", S, "The build's name, from [build] name."),
    _d("build.currency", "", S, "ISO 4217 currency of every price in the spec (default USD)."),
    _d("build.budget", "currency", N, "The budget from [build] budget, in build.currency."),
    _d("build.quoted_total", "currency", N,
       "The bill's total as a quote or write-up states it, from [build] quoted_total."),
    _d("cpu.name", "", S, "The processor's name."),
    _d("cpu.count", "", N, "Processors fitted, from [cpu] count."),
    _d("cpu.cores", "", N, "Cores per processor."),
    _d("cpu.threads", "", N, "Hardware threads per processor."),
    _d("cpu.total_cores", "", N, "Cores in the whole build: cpu.count x cpu.cores."),
    _d("cpu.tdp_w", "W", N, "Default TDP of one processor."),
    _d("cpu.socket", "", S, "Socket the processor fits (sp5, lga4677 ...)."),
    _d("cpu.platform", "", S, "Platform id of the processor (sp5-turin ...)."),
    _d("cpu.max_sockets", "", N, "Most sockets the SKU may run in (1 for EPYC P parts)."),
    _d("board.name", "", S, "The board's name."),
    _d("board.socket", "", S, "Socket on the board."),
    _d("board.sockets", "", N, "CPU sockets on the board."),
    _d("board.dimm_slots", "", N, "DIMM slots on the board, all sockets."),
    _d("board.channels_per_socket", "", N, "Memory channels the board wires per socket."),
    _d("board.eps_connectors", "", N, "8-pin 12 V CPU (EPS) power inputs on the board."),
    _d("board.supports_platform", "", B,
       "Whether the board lists the CPU's platform among those it supports."),
    _d("platform.id", "", S, "The CPU platform's id."),
    _d("platform.socket", "", S, "The platform's socket."),
    _d("platform.max_sockets", "", N, "Most sockets the platform supports."),
    _d("platform.memory_generation", "", S, "DDR generation the platform takes."),
    _d("platform.module_kinds", "", L, "Module kinds the platform takes (RDIMM, 3DS-RDIMM ...)."),
    _d("platform.ecc", "", S, "ECC policy of the platform: required, optional or unsupported."),
    _d("platform.channels_per_socket", "", N, "Memory channels per socket."),
    _d("platform.max_mts_1dpc", "MT/s", N, "Platform's top memory speed at 1 DIMM per channel."),
    _d("platform.max_mts_2dpc", "MT/s", N, "Platform's top memory speed at 2 DIMMs per channel."),
    _d("platform.max_module_gib", "GiB", N, "Largest module the platform supports."),
    _d("memory.modules", "", N, "Memory modules in the build: sum of count x modules_per_kit.",
       f.module_count),
    _d("memory.capacity_gib", "GiB", N, "Installed memory.", f.memory_capacity_gib),
    _d("memory.kinds", "", L, "Distinct module kinds in the build."),
    _d("memory.distinct_modules", "", N,
       "Distinct module types (by generation, kind, capacity, speed and ranks)."),
    _d("memory.channels", "", N, "Memory channels on the populated sockets.", f.channels_total),
    _d("memory.populated_channels", "", N, "Channels holding at least one module.",
       f.populated_channels),
    _d("memory.slots", "", N,
       "DIMM slots usable with the fitted CPUs: board.dimm_slots x cpu.count / board.sockets."),
    _d("memory.dimms_per_channel", "", N, "DIMMs on the fullest channel.", f.dimms_per_channel),
    _d("memory.balanced", "", B, "Whether every channel holds the same number of modules.",
       f.channels_balanced),
    _d("memory.rated_mts", "MT/s", N, "Rated speed of the slowest module."),
    _d("memory.speed_limit_mts", "MT/s", N,
       "Top speed the platform, board and CPU allow at this population.", f.speed_limit_mts),
    _d("memory.effective_mts", "MT/s", N, "Speed the memory runs at.", f.effective_mts),
    _d("memory.bandwidth_gbs", "GB/s", N,
       "Theoretical aggregate bandwidth at memory.effective_mts.", f.memory_bandwidth_gbs),
    _d("memory.bandwidth_per_socket_gbs", "GB/s", N, "Theoretical bandwidth of one socket.",
       f.memory_bandwidth_gbs),
    _d("memory.sustained_bandwidth_gbs", "GB/s", N,
       "Bandwidth a streaming workload can sustain.", f.sustained_bandwidth_gbs),
    _d("model.name", "", S, "The model's catalog id or name."),
    _d("model.params_b", "B params", N, "Total parameters, in billions."),
    _d("model.active_params_b", "B params", N,
       "Parameters read per generated token (all of them for a dense model)."),
    _d("model.bits_per_weight", "bits", N, "Bits stored per weight at workload.precision."),
    _d("model.weights_gib", "GiB", N, "Weights in binary units.", f.weights_gib),
    _d("model.weights_gb", "GB", N, "Weights in decimal units.", f.weights_gb),
    _d("model.kv_cache_gib", "GiB", N,
       "KV cache at workload.context_tokens x workload.batch (MLA, GQA or MHA formula).",
       f.kv_cache_bytes_mla),
    _d("model.overhead_gib", "GiB", N,
       "Reserve for engine buffers, runtime and OS (workload.overhead_gib, else a default share).",
       f.overhead_gib),
    _d("model.required_gib", "GiB", N, "Memory the workload needs: weights + KV cache + overhead."),
    _d("workload.precision", "", S, "Weight precision of the workload."),
    _d("workload.context_tokens", "tokens", N, "Context length planned for."),
    _d("workload.batch", "", N, "Sequences decoded together."),
    _d("workload.min_decode_tokens_per_s", "tokens/s", N, "Decode speed the owner needs."),
    _d("power.cpu_w", "W", N, "CPU power: cpu.count x cpu.tdp_w."),
    _d("power.load_w", "W", N,
       "Estimated load: CPUs at TDP plus every part with a stated power figure."),
    _d("power.uncounted", "", L,
       "Parts fitted with no power figure, left out of power.load_w (so it is a lower bound)."),
    _d("power.psu_w", "W", N, "The PSU's rating."),
    _d("power.load_fraction", "", N, "Share of the PSU rating the load uses.", f.load_fraction),
    _d("psu.eps_connectors", "", N, "8-pin CPU (EPS) power connectors the PSU provides."),
    _d("cost.total", "currency", N, "Sum of price x count over every priced line, in build.currency."),
    _d("cost.unpriced", "", L, "Lines without a price (not in cost.total)."),
    _d("decode.bytes_per_token_gb", "GB", N,
       "Bytes read per generated token: active weights plus the KV cache.",
       f.decode_bytes_per_token),
    _d("decode.tokens_per_s_max", "tokens/s", N,
       "Bandwidth bound on decode speed per sequence: sustained bandwidth / bytes per token.",
       f.decode_tokens_per_s_max),
)

ITEM_FACTS: dict[str, tuple[FactDef, ...]] = {
    "memory": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.generation", "", S, "DDR generation of the module."),
        _d("item.kind", "", S, "Module kind (RDIMM, UDIMM ...)."),
        _d("item.ecc", "", B, "Whether the module carries ECC."),
        _d("item.capacity_gib", "GiB", N, "Capacity of one module."),
        _d("item.speed_mts", "MT/s", N, "Rated speed of the module."),
        _d("item.modules", "", N, "Modules in this entry: count x modules_per_kit."),
    ),
    "gpu": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.count", "", N, "Cards of this model fitted."),
        _d("item.vram_gib", "GiB", N, "Memory of one card."),
        _d("item.bandwidth_gbs", "GB/s", N, "Memory bandwidth of one card."),
        _d("item.tdp_w", "W", N, "Board power of one card."),
    ),
    "storage": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.kind", "", S, "Drive kind (nvme, sata ...)."),
        _d("item.capacity_tb", "TB", N, "Capacity of one drive."),
    ),
}
"""Facts of one list entry, for rules declared with ``each``."""

FACTS_BY_NAME: dict[str, FactDef] = {d.name: d for d in FACTS}


@frozen
class Facts:
    """Every derived fact of one build, and the item facts of its list entries."""

    values: dict[str, FactValue]
    items: dict[str, tuple[dict[str, FactValue], ...]] = field(factory=dict)

    def get(self, name: str) -> FactValue | None:
        """One fact, or None when it is not known."""
        return self.values.get(name)

    def __getitem__(self, name: str) -> FactValue:
        """One fact; KeyError when it is not known (absent facts are never guessed)."""
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        return name in self.values


def derive(build: Build) -> Facts:
    """Compute every fact the build lets us know."""
    values: dict[str, Any] = {}
    _build_facts(build, values)
    _cpu_facts(build, values)
    _board_facts(build, values)
    _platform_facts(build, values)
    _memory_facts(build, values)
    _model_facts(build, values)
    _power_facts(build, values)
    _cost_facts(build, values)
    _decode_facts(values)
    clean = {k: v for k, v in values.items() if v is not None}
    return Facts(clean, _item_facts(build))


def _put(values: dict[str, Any], prefix: str, obj: object, names: Mapping[str, str]) -> None:
    if obj is None:
        return
    for fact, attr in names.items():
        values[f"{prefix}.{fact}"] = getattr(obj, attr)


def _build_facts(build: Build, values: dict[str, Any]) -> None:
    info = build.spec.build
    values["build.name"] = info.name
    values["build.currency"] = info.currency
    values["build.budget"] = info.budget
    values["build.quoted_total"] = info.quoted_total


def _cpu_facts(build: Build, values: dict[str, Any]) -> None:
    cpu = build.cpu
    if cpu is None:
        return
    _put(values, "cpu", cpu, {"name": "name", "count": "count", "cores": "cores",
                              "threads": "threads", "tdp_w": "tdp_w", "socket": "socket",
                              "platform": "platform", "max_sockets": "max_sockets"})
    values["cpu.name"] = cpu.name or cpu.part
    if cpu.cores is not None:
        values["cpu.total_cores"] = cpu.count * cpu.cores
    if cpu.socket is None and build.platform is not None:
        values["cpu.socket"] = build.platform.socket


def _board_facts(build: Build, values: dict[str, Any]) -> None:
    board = build.board
    if board is None:
        return
    _put(values, "board", board, {"socket": "socket", "sockets": "sockets",
                                  "dimm_slots": "dimm_slots",
                                  "channels_per_socket": "channels_per_socket",
                                  "eps_connectors": "eps_connectors"})
    values["board.name"] = board.name or board.part
    if board.platforms is not None and build.cpu is not None and build.cpu.platform is not None:
        values["board.supports_platform"] = build.cpu.platform in board.platforms


def _platform_facts(build: Build, values: dict[str, Any]) -> None:
    _put(values, "platform", build.platform, {
        "id": "id", "socket": "socket", "max_sockets": "max_sockets",
        "memory_generation": "memory_generation", "module_kinds": "module_kinds", "ecc": "ecc",
        "channels_per_socket": "channels_per_socket", "max_mts_1dpc": "max_mts_1dpc",
        "max_mts_2dpc": "max_mts_2dpc", "max_module_gib": "max_module_gib"})


def _modules(entry: Memory) -> int:
    return f.module_count(entry.count, entry.modules_per_kit or 1)


def _populated_sockets(build: Build) -> int | None:
    if build.cpu is None:
        return None
    count = build.cpu.count
    if build.board is not None and build.board.sockets is not None:
        count = min(count, build.board.sockets)
    return count


def _memory_facts(build: Build, values: dict[str, Any]) -> None:
    entries = build.memory
    if not entries:
        return
    modules = sum(_modules(m) for m in entries)
    values["memory.modules"] = modules
    capacities = [m.capacity_gib for m in entries]
    if all(c is not None for c in capacities):
        values["memory.capacity_gib"] = sum(
            f.memory_capacity_gib(_modules(m), c) for m, c in zip(entries, capacities, strict=True)
            if c is not None
        )
    values["memory.kinds"] = tuple(sorted({m.kind for m in entries if m.kind is not None}))
    values["memory.distinct_modules"] = len(
        {(m.generation, m.kind, m.capacity_gib, m.speed_mts, m.ranks) for m in entries}
    )
    speeds = [m.speed_mts for m in entries]
    if all(s is not None for s in speeds):
        values["memory.rated_mts"] = min(speeds)  # type: ignore[type-var]

    sockets = _populated_sockets(build)
    board, platform = build.board, build.platform
    per_socket = (board.channels_per_socket if board is not None else None) or (
        platform.channels_per_socket if platform is not None else None
    )
    if board is not None and board.dimm_slots is not None and board.sockets and sockets:
        values["memory.slots"] = board.dimm_slots * sockets // board.sockets
    if sockets is None or per_socket is None:
        return
    channels = f.channels_total(per_socket, sockets)
    values["memory.channels"] = channels
    populated = f.populated_channels(modules, channels)
    values["memory.populated_channels"] = populated
    dpc = f.dimms_per_channel(modules, channels)
    values["memory.dimms_per_channel"] = dpc
    values["memory.balanced"] = f.channels_balanced(modules, channels)

    sources: list[tuple[float | None, float | None]] = []
    if platform is not None:
        sources.append((platform.max_mts_1dpc, platform.max_mts_2dpc))
    if board is not None:
        sources.append((board.max_mts_1dpc, board.max_mts_2dpc))
    published = [x for one, two in sources
                 if (x := f.speed_limit_mts(dpc, one, two)) is not None]
    if not published:
        return  # nobody publishes a speed for this population: leave it unknown
    # More DIMMs per channel never run faster than fewer, so every 1DPC limit (and the CPU's
    # own memory speed) caps a 2DPC population too.
    ceilings = [one for one, _ in sources if one is not None]
    if build.cpu is not None and build.cpu.max_mts is not None:
        ceilings.append(build.cpu.max_mts)
    limit = min(published + ceilings)
    values["memory.speed_limit_mts"] = limit
    rated = values.get("memory.rated_mts")
    if rated is None:
        return
    effective = f.effective_mts(rated, [limit])
    values["memory.effective_mts"] = effective
    bandwidth = f.memory_bandwidth_gbs(effective, populated)
    values["memory.bandwidth_gbs"] = bandwidth
    values["memory.bandwidth_per_socket_gbs"] = bandwidth / sockets
    values["memory.sustained_bandwidth_gbs"] = f.sustained_bandwidth_gbs(bandwidth)


def _model_facts(build: Build, values: dict[str, Any]) -> None:
    workload, model = build.workload, build.model
    if workload is None:
        return
    values["workload.precision"] = workload.precision
    values["workload.context_tokens"] = workload.context_tokens
    values["workload.batch"] = workload.batch
    values["workload.min_decode_tokens_per_s"] = workload.min_decode_tokens_per_s
    if model is None:
        return
    values["model.name"] = model.name or workload.model
    values["model.params_b"] = model.params_b
    values["model.active_params_b"] = model.active_params_b or model.params_b
    bits = workload.bits_per_weight or (
        BITS_PER_WEIGHT[workload.precision] if workload.precision is not None else None
    )
    values["model.bits_per_weight"] = bits
    if model.params_b is None or bits is None:
        return
    weights = f.weights_gib(model.params_b, bits)
    values["model.weights_gib"] = weights
    values["model.weights_gb"] = f.weights_gb(model.params_b, bits)
    kv_bytes = _kv_cache_bytes(build)
    if kv_bytes is None:
        return
    kv = f.bytes_to_gib(kv_bytes)
    values["model.kv_cache_gib"] = kv
    overhead: float = (f.overhead_gib(weights, kv) if workload.overhead_gib is None
                       else workload.overhead_gib)
    values["model.overhead_gib"] = overhead
    values["model.required_gib"] = weights + kv + overhead


def _kv_cache_bytes(build: Build) -> float | None:
    workload, model = build.workload, build.model
    if workload is None or model is None or workload.context_tokens is None:
        return None
    per_element = KV_BYTES_PER_ELEMENT[workload.kv_precision or "f16"]
    tokens, batch = workload.context_tokens, workload.batch
    if model.attention == "mla":
        if model.layers and model.kv_lora_rank and model.rope_head_dim:
            return f.kv_cache_bytes_mla(model.layers, model.kv_lora_rank, model.rope_head_dim,
                                        per_element, tokens, batch)
        return None
    if model.attention in ("mha", "gqa") and model.layers and model.heads:
        kv_heads = model.kv_heads if model.attention == "gqa" else model.heads
        head_dim = model.head_dim or (
            model.hidden_size // model.heads if model.hidden_size else None
        )
        if kv_heads is None or head_dim is None:
            return None
        return f.kv_cache_bytes_gqa(model.layers, kv_heads, head_dim, per_element, tokens, batch)
    return None


def _power_facts(build: Build, values: dict[str, Any]) -> None:
    cpu, psu = build.cpu, build.psu
    load = 0.0
    uncounted: list[str] = []
    known_any = False
    if cpu is not None:
        if cpu.tdp_w is not None:
            values["power.cpu_w"] = cpu.count * cpu.tdp_w
            load += cpu.count * cpu.tdp_w
            known_any = True
        else:
            uncounted.append("cpu")
    parts: list[tuple[str, object, int]] = []
    parts += [(f"memory[{i}]", m, _modules(m)) for i, m in enumerate(build.memory)]
    parts += [(f"gpu[{i}]", g, g.count) for i, g in enumerate(build.gpu)]
    parts += [(f"storage[{i}]", s, s.count) for i, s in enumerate(build.storage)]
    parts += [(name, part, 1) for name, part in
              (("board", build.board), ("case", build.case), ("cooling", build.cooling))
              if part is not None]
    for name, part, units in parts:
        watts = getattr(part, "power_w", None) or getattr(part, "tdp_w", None)
        if watts is None:
            uncounted.append(name)
        else:
            load += units * watts
            known_any = True
    if known_any:
        values["power.load_w"] = load
        values["power.uncounted"] = tuple(uncounted)
    if psu is not None and psu.capacity_w is not None:
        values["power.psu_w"] = psu.capacity_w
        if known_any:
            values["power.load_fraction"] = f.load_fraction(load, psu.capacity_w)
    if psu is not None:
        values["psu.eps_connectors"] = psu.eps_connectors


def _cost_facts(build: Build, values: dict[str, Any]) -> None:
    lines: list[tuple[str, float | None, int]] = []
    for name in ("board", "cpu", "psu", "case", "cooling"):
        part = getattr(build.spec, name)
        if part is not None:
            lines.append((name, part.price, getattr(part, "count", 1)))
    for name in ("memory", "gpu", "storage"):
        for i, part in enumerate(getattr(build.spec, name)):
            lines.append((f"{name}[{i}]", part.price, part.count))
    priced = [(price, count) for _, price, count in lines if price is not None]
    if priced:
        values["cost.total"] = sum(price * count for price, count in priced)
    values["cost.unpriced"] = tuple(name for name, price, _ in lines if price is None)


def _decode_facts(values: dict[str, Any]) -> None:
    active, bits = values.get("model.active_params_b"), values.get("model.bits_per_weight")
    kv_gib = values.get("model.kv_cache_gib")
    bandwidth = values.get("memory.sustained_bandwidth_gbs")
    if active is None or bits is None or kv_gib is None:
        return
    per_token = f.decode_bytes_per_token(active, bits, kv_gib * f.GIB)
    values["decode.bytes_per_token_gb"] = f.bytes_to_gb(per_token)
    if bandwidth is not None:
        values["decode.tokens_per_s_max"] = f.decode_tokens_per_s_max(bandwidth, per_token)


def _item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    memory = tuple(
        _clean({
            "item.name": m.name or m.part, "item.part": m.part, "item.generation": m.generation,
            "item.kind": m.kind, "item.ecc": m.ecc, "item.capacity_gib": m.capacity_gib,
            "item.speed_mts": m.speed_mts, "item.modules": _modules(m),
        })
        for m in build.memory
    )
    gpu = tuple(
        _clean({
            "item.name": g.name or g.part, "item.part": g.part, "item.count": g.count,
            "item.vram_gib": g.vram_gib, "item.bandwidth_gbs": g.bandwidth_gbs,
            "item.tdp_w": g.tdp_w,
        })
        for g in build.gpu
    )
    storage = tuple(
        _clean({
            "item.name": s.name or s.part, "item.part": s.part, "item.kind": s.kind,
            "item.capacity_tb": s.capacity_tb,
        })
        for s in build.storage
    )
    return {"memory": memory, "gpu": gpu, "storage": storage}


def _clean(values: dict[str, Any]) -> dict[str, FactValue]:
    return {k: v for k, v in values.items() if v is not None}
