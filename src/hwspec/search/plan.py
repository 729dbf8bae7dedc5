"""``hwspec plan``: the cheapest builds from the catalog that meet a target, each checked in full.

The search enumerates complete CPU builds (a board, CPUs for each of its sockets, memory the
platform takes in a balanced population of one or two modules per channel, and a PSU) from the
parts a price list prices. Monotone bounds prune before any check: a memory capacity below the
model's weights, or a decode bound from the modules' rated speed below the target, excludes the
build whatever else it has. The rest are checked in order of cost by the same ``Checker`` that
``validate`` uses, and a build is a candidate only when no rule fails at error severity, so every
candidate validates. A view: it reads checked reports and judges nothing itself.
"""

from __future__ import annotations

import heapq
import math
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from hwspec import formulas as f
from hwspec.catalog import Catalog, CatalogEntry, builtin_catalog
from hwspec.checker import Checker, Options, Report
from hwspec.errors import PlanError
from hwspec.findings import ERROR, did_you_mean
from hwspec.spec.model import Cpu, check_range
from hwspec.spec.vocab import BITS_PER_WEIGHT

MAX_PRICE_LIST_BYTES = 1 << 20
"""Price lists are read up to 1 MiB, as packs and catalogs are."""

BEST = "best"
"""``--precision best``: the widest precision any build within the constraints fits."""

BEST_ORDER = ("bf16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k")
"""Precisions ``best`` tries, widest first."""

DIMMS_PER_CHANNEL = (1, 2)
"""Balanced populations: every channel of every socket with one module, or with two."""


@frozen
class PriceList:
    """Unit prices by catalog part id, in one currency, from a user's TOML file."""

    currency: str
    prices: Mapping[str, float]
    date: str | None = None
    source: str | None = None


@frozen
class Target:
    """What the build must do, and the constraints on it."""

    model: str
    precision: str = "q4_k_m"
    context_tokens: int = 4096
    min_decode_tokens_per_s: float | None = None
    batch: int = 1
    engine: str | None = None
    budget: float | None = None
    max_power_w: float | None = None
    platforms: tuple[str, ...] = ()
    """Platform ids or sockets the build may use (``sp5``, ``sp3-milan``); empty: any."""
    top: int = 10
    gpus: tuple[str, ...] = ()
    """GPUs a build may add: empty (or ``none``) for none, ``any`` for every priced GPU, or
    catalog ids."""
    max_gpus: int = 4
    """Most cards of one GPU a build may take."""
    offload: str | None = None
    """``workload.offload`` for builds with GPUs (``experts-in-ram``); left out, every layer
    goes on the GPUs."""
    numa: str | None = None
    """``workload.numa`` for builds of more than one socket (interleave by default)."""
    objective: str = "cost"
    """``cost``: the cheapest builds first; ``speed``: the fastest expected decoding first (ties
    by cost); ``pareto``: the builds no cheaper build matches in expected speed, cheapest
    first. ``speed`` and ``pareto`` check every build the bounds and budget leave."""


@frozen
class Candidate:
    """One build that meets the target: its cost, its spec tables and its checked report."""

    cost: float
    spec: Mapping[str, Any]
    report: Report


@frozen
class Plan:
    """The answer: candidates cheapest first, and how the search got there."""

    target: Target
    currency: str
    candidates: tuple[Candidate, ...]
    considered: int
    """Complete builds the priced parts make."""
    pruned: int
    """Builds excluded by a bound before any check."""
    evaluated: int
    """Builds checked in full."""
    excluded: Mapping[str, int]
    """Builds excluded, by the constraint or rule that excluded them."""
    prices: PriceList
    unpriced: tuple[str, ...] = ()
    """Part kinds of which the price list prices nothing (no build can be made without one)."""


def load_prices(path: Path) -> PriceList:
    """Read a price list: ``currency``, optional ``date`` and ``source``, and a ``[price]``
    table of catalog part id to unit price. A problem is a ``PlanError`` naming file and key."""
    return prices_from_data(_read_toml(path, "price list"), str(path))


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    """A small TOML file of the user's, read as every input is (a regular file, within a size
    limit, nesting bounded); a problem is a ``PlanError`` naming the file."""
    from hwspec.spec.load import parse_toml
    from hwspec.spec.read import read_regular_text

    try:
        return parse_toml(read_regular_text(path, MAX_PRICE_LIST_BYTES))
    except FileNotFoundError:
        raise PlanError(f"{path}: no such {what}") from None
    except (OSError, ValueError) as error:
        raise PlanError(f"{path}: cannot read the {what}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{path}: does not parse: {error}") from None


PRICE_LIST_KEYS = ("currency", "date", "source", "price")


def prices_from_data(data: Mapping[str, Any], origin: str = "<prices>") -> PriceList:
    """A ``PriceList`` from parsed TOML, every key checked."""
    for key in data:
        if key not in PRICE_LIST_KEYS:
            raise PlanError(f"{origin}: unknown key {key!r}; a price list has "
                            f"{', '.join(PRICE_LIST_KEYS)}" + did_you_mean(key, PRICE_LIST_KEYS))
    currency = data.get("currency")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise PlanError(f"{origin}: currency: expected an ISO 4217 code such as \"USD\", got "
                        f"{currency!r}")
    for key in ("date", "source"):
        if key in data and not isinstance(data[key], str):
            raise PlanError(f"{origin}: {key}: expected a string, got {data[key]!r}")
    table = data.get("price", {})
    if not isinstance(table, dict):
        raise PlanError(f"{origin}: price: expected a table of part id = unit price")
    prices: dict[str, float] = {}
    for part_id, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                math.isfinite(value) and value >= 0):
            raise PlanError(f"{origin}: price.{part_id}: expected a price of 0 or more, got "
                            f"{value!r}")
        if value != 0:  # 0 is a part already owned; any other price is a spec's price
            try:
                check_range(value, attrs.fields(Cpu).price.metadata)
            except ValueError as error:
                raise PlanError(f"{origin}: price.{part_id}: {error}; 0 stands for a part "
                                "already owned") from None
        prices[part_id] = float(value)
    return PriceList(currency.upper(), prices, data.get("date"), data.get("source"))


def load_owned(path: Path) -> tuple[str, ...]:
    """Read a list of parts already owned: ``parts = ["id", ...]``, catalog part ids."""
    data = _read_toml(path, "file of owned parts")
    parts = data.get("parts")
    extra = [k for k in data if k != "parts"]
    if extra or not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        raise PlanError(f"{path}: expected one key, parts = [\"part-id\", ...]")
    return tuple(parts)


def with_owned(prices: PriceList, owned: tuple[str, ...]) -> PriceList:
    """The price list with owned parts at 0: they cost nothing, and are candidates even when
    the list does not price them."""
    return attrs.evolve(prices, prices={**prices.prices, **dict.fromkeys(owned, 0.0)})


@frozen
class _Parts:
    """A build's board, CPUs and memory, before its PSU: the parts, how many, and their cost."""

    board: CatalogEntry
    cpu: CatalogEntry
    cpus: int
    memory: CatalogEntry
    kits: int
    modules: int
    cost: float
    channels: int
    """Memory channels per socket (the board's, else the platform's)."""


@frozen
class _Build:
    """A complete build before its check: its parts, GPUs and PSU, and its cost."""

    parts: _Parts
    psu: CatalogEntry
    cost: float
    gpu: CatalogEntry | None = None
    gpus: int = 0


def plan(target: Target, prices: PriceList, *, catalog: Catalog | None = None,
         options: Options | None = None) -> Plan:
    """The cheapest builds that meet ``target`` from the parts ``prices`` prices, cheapest
    first (at most ``target.top``). ``precision = "best"`` answers for the widest precision that
    gives any build."""
    catalog = catalog or (options.catalog if options and options.catalog else builtin_catalog())
    checker = Checker(attrs.evolve(options or Options(), catalog=catalog))
    model = catalog.get("model", target.model)
    if model is None:
        close = catalog.closest("model", target.model)
        raise PlanError(f"unknown model {target.model!r}"
                        + (f"; did you mean {', '.join(close)}?" if close else ""))
    if target.precision == BEST:
        answers = [_plan(attrs.evolve(target, precision=p), prices, catalog, checker, model)
                   for p in BEST_ORDER]
        return next((a for a in answers if a.candidates), answers[-1])
    if target.objective not in OBJECTIVES:
        raise PlanError(f"unknown objective {target.objective!r}; expected one of "
                        f"{', '.join(OBJECTIVES)}")
    if target.precision not in BITS_PER_WEIGHT:
        raise PlanError(f"unknown precision {target.precision!r}"
                        + did_you_mean(target.precision, BITS_PER_WEIGHT))
    return _plan(target, prices, catalog, checker, model)


def _plan(target: Target, prices: PriceList, catalog: Catalog, checker: Checker,
          model: CatalogEntry) -> Plan:
    """Best first over the builds a bound does not exclude: host part sets, GPU options and
    PSUs, each list sorted by cost, so the cheapest unchecked build is always checked next. A
    build that fails only on power tries its next dearer PSU; the search stops once ``top``
    builds pass, as every build left costs at least as much."""
    excluded: Counter[str] = Counter()
    psus = sorted((e for e in catalog.entries("psu") if e.id in prices.prices),
                  key=lambda e: (prices.prices[e.id], e.id))
    part_sets = list(_part_sets(catalog, prices, target))
    options = _gpu_options(catalog, prices, target)
    considered = len(part_sets) * len(options) * len(psus)
    if not psus:
        part_sets = []
    cheapest_psu = prices.prices[psus[0].id] if psus else 0.0
    queue = [(parts.cost + cheapest_psu, index, 0, 0) for index, parts in enumerate(part_sets)]
    # Whole machines (a Mac Studio, a DGX Spark) are builds of their own: no board, PSU or GPU.
    systems = [e for e in catalog.entries("system") if e.id in prices.prices and (
        not target.platforms)]
    considered += len(systems)
    queue += [(prices.prices[e.id], len(part_sets) + i, 0, 0) for i, e in enumerate(systems)]
    heapq.heapify(queue)
    found: list[Candidate] = []
    evaluated = pruned = 0
    every = target.objective != "cost"  # speed and pareto need every build's figures
    while queue and (every or len(found) < target.top):
        cost, index, option, psu_index = heapq.heappop(queue)
        if index >= len(part_sets):
            system = systems[index - len(part_sets)]
            reason = _system_pruned_by(system, cost, target, model)
            if reason is not None:
                excluded[reason] += 1
                pruned += 1
                continue
            evaluated += 1
            spec = _system_spec(system, target, prices)
            report, errors, reason = _checked(checker, spec, target)
            if reason is None:
                found.append(Candidate(cost, spec, report))
            else:
                excluded[reason] += 1
            continue
        parts, (gpu, cards, gpu_cost) = part_sets[index], options[option]
        if psu_index == 0 and option + 1 < len(options):
            # The same host with the next dearer GPU option costs at least as much as this.
            heapq.heappush(queue, (parts.cost + options[option + 1][2] + cheapest_psu, index,
                                   option + 1, 0))
        if psu_index == 0:
            reason = _pruned_by(parts, cheapest_psu + gpu_cost, target, model, gpu, cards)
            if reason is not None:
                excluded[reason] += len(psus)
                pruned += len(psus)
                continue
        build = _Build(parts, psus[psu_index], cost, gpu, cards)
        evaluated += 1
        spec = _spec_data(build, target, prices)
        report, errors, reason = _checked(checker, spec, target)
        if reason is None:
            found.append(Candidate(cost, spec, report))
            continue
        excluded[reason] += 1
        if errors and all(rule.startswith("PWR") for rule in errors) and (
                psu_index + 1 < len(psus)):
            # Only the PSU fell short: the same parts with the next dearer one.
            nxt = psus[psu_index + 1]
            heapq.heappush(queue, (parts.cost + gpu_cost + prices.prices[nxt.id], index,
                                   option, psu_index + 1))
    unpriced = tuple(kind for kind in ("board", "cpu", "memory", "psu")
                     if not any(e.id in prices.prices for e in catalog.entries(kind)))
    chosen = tuple(by_objective(found, target.objective)[:target.top])
    return Plan(target, prices.currency, chosen, considered, pruned, evaluated,
                dict(excluded), prices, unpriced)


def _checked(checker: Checker, spec: Mapping[str, Any],
             target: Target) -> tuple[Report, list[str], str | None]:
    """A build checked as ``validate`` checks it: its report, the rules failing at error
    severity, and why it is no candidate (None when it is one)."""
    report = checker.check_text(_toml(spec), path="<plan>")
    errors = sorted({x.rule for x in report.findings if x.severity == ERROR})
    if errors:
        return report, errors, f"fails {', '.join(errors)}"
    load = report.facts.get("power.load_w") if report.facts is not None else None
    if target.max_power_w is not None and isinstance(load, int | float) and (
            load > target.max_power_w):
        return report, errors, "over --max-power"
    return report, errors, None


OBJECTIVES = ("cost", "speed", "pareto")


def expected_speed(candidate: Candidate) -> float:
    """A candidate's expected decode speed, 0 where it has none."""
    facts = candidate.report.facts
    value = facts.get("decode.tokens_per_s_expected") if facts is not None else None
    return float(value) if isinstance(value, int | float) else 0.0


def by_objective(found: list[Candidate], objective: str) -> list[Candidate]:
    """The passing builds (found cheapest first) in the objective's order."""
    if objective == "speed":
        return sorted(found, key=lambda c: (-expected_speed(c), c.cost))
    if objective == "pareto":
        front: list[Candidate] = []
        for candidate in found:  # cheapest first: keep each that beats every cheaper one
            if not front or expected_speed(candidate) > expected_speed(front[-1]):
                front.append(candidate)
        return front
    return found


def _gpu_options(catalog: Catalog, prices: PriceList,
                 target: Target) -> list[tuple[CatalogEntry | None, int, float]]:
    """(GPU, cards, their cost) a build may add, cheapest first; no GPU is the first."""
    wanted = {g for g in target.gpus if g != "none"}
    options: list[tuple[CatalogEntry | None, int, float]] = [(None, 0, 0.0)]
    for entry in catalog.entries("gpu"):
        if entry.id not in prices.prices or not wanted or (
                "any" not in wanted and entry.id not in wanted):
            continue
        options += [(entry, n, n * prices.prices[entry.id])
                    for n in range(1, target.max_gpus + 1)]
    return sorted(options, key=lambda o: (o[2], o[0].id if o[0] else "", o[1]))


def _part_sets(catalog: Catalog, prices: PriceList, target: Target) -> Iterator[_Parts]:
    """Every set of priced parts a build can take: a board, CPUs for every socket, and a
    balanced memory population the platform takes (a PSU is chosen later)."""
    def priced(kind: str) -> list[CatalogEntry]:
        return [e for e in catalog.entries(kind) if e.id in prices.prices]

    cpus, memories = priced("cpu"), priced("memory")
    cost = prices.prices
    for board in priced("board"):
        sockets = int(board.fields.get("sockets", 1))
        for cpu in cpus:
            platform_id = cpu.fields.get("platform")
            if platform_id not in board.fields.get("platforms", ()) or (
                    cpu.fields.get("max_sockets", 1) < sockets):
                continue
            platform = catalog.platform(str(platform_id))
            if platform is None or (target.platforms and platform.id not in target.platforms
                                    and platform.socket not in target.platforms):
                continue
            channels = int(board.fields.get("channels_per_socket")
                           or platform.channels_per_socket or 0)
            slots = board.fields.get("dimm_slots")
            for memory in memories:
                if memory.fields.get("generation") != platform.memory_generation or (
                        memory.fields.get("kind") not in (platform.module_kinds or ())):
                    continue
                per_kit = int(memory.fields.get("modules_per_kit", 1))
                for dpc in DIMMS_PER_CHANNEL:
                    modules = channels * sockets * dpc
                    if not modules or (slots is not None and modules > slots) or (
                            modules % per_kit):
                        continue
                    kits = modules // per_kit
                    yield _Parts(board, cpu, sockets, memory, kits, modules,
                                 cost[board.id] + sockets * cost[cpu.id] + kits * cost[memory.id],
                                 channels)


def _pruned_by(build: _Parts, extra_cost: float, target: Target, model: CatalogEntry,
               gpu: CatalogEntry | None = None, cards: int = 0) -> str | None:
    """Why a bound excludes the build before any check, or None: over budget, less memory than
    the weights alone, or a decode bound at the modules' rated speed below the target."""
    capacity = build.modules * float(build.memory.fields.get("capacity_gib", 0))
    vram = cards * float(gpu.fields.get("vram_gib", 0)) if gpu is not None else 0.0
    reason = _pruned_by_cost_or_capacity(build.cost + extra_cost, capacity + vram, target,
                                         model)
    bits = BITS_PER_WEIGHT.get(target.precision)
    params_b = model.fields.get("params_b")
    if reason is not None or target.min_decode_tokens_per_s is None or gpu is not None or (
            bits is None or not isinstance(params_b, int | float)):
        return reason  # GPUs read faster than any module's rating bounds
    rated = build.memory.fields.get("speed_mts")
    if not isinstance(rated, int | float):
        return None
    # Upper bounds only: the effective speed never exceeds the modules' rating, and the bytes
    # read per token never fall below the active weights (the KV cache adds to them).
    bandwidth = f.memory_bandwidth_gbs(rated, build.channels * build.cpus)
    active = float(model.fields.get("active_params_b", params_b))
    bound = f.decode_tokens_per_s_max(bandwidth, f.decode_bytes_per_token(active, bits, 0.0))
    if bound < target.min_decode_tokens_per_s:
        return "decode bound at the modules' rated speed below --min-decode"
    return None


def _system_pruned_by(system: CatalogEntry, cost: float, target: Target,
                     model: CatalogEntry) -> str | None:
    """Why a bound excludes a whole machine before its check, or None."""
    memory = system.fields.get("memory_gib")
    return _pruned_by_cost_or_capacity(
        cost, float(memory) if isinstance(memory, int | float) else math.inf, target, model)


def _pruned_by_cost_or_capacity(cost: float, capacity_gib: float, target: Target,
                                model: CatalogEntry) -> str | None:
    """Over --budget, or less memory (system and VRAM together) than the weights alone."""
    if target.budget is not None and cost > target.budget:
        return "over --budget"
    params_b, bits = model.fields.get("params_b"), BITS_PER_WEIGHT.get(target.precision)
    if isinstance(params_b, int | float) and bits is not None and (
            capacity_gib < f.weights_gib(params_b, bits)):
        return "memory capacity below the weights"
    return None


def _system_spec(system: CatalogEntry, target: Target, prices: PriceList) -> dict[str, Any]:
    """A whole machine as spec tables."""
    price = prices.prices[system.id]
    return {"build": {"name": system.id, "currency": prices.currency},
            "system": {"part": system.id, **({"price": price} if price > 0 else {})},
            "workload": _workload(target)}


def _workload(target: Target) -> dict[str, Any]:
    """The target as a [workload] table."""
    workload: dict[str, Any] = {"model": target.model, "precision": target.precision,
                                "context_tokens": target.context_tokens, "batch": target.batch}
    if target.min_decode_tokens_per_s is not None:
        workload["min_decode_tokens_per_s"] = target.min_decode_tokens_per_s
    if target.engine is not None:
        workload["engine"] = target.engine
    return workload


def _spec_data(build: _Build, target: Target, prices: PriceList) -> dict[str, Any]:
    """The build as spec tables, every part by catalog id with its unit price."""
    cost, parts = prices.prices, build.parts
    workload = _workload(target)
    if build.gpu is not None and target.offload is not None:
        workload["offload"] = target.offload
    if target.numa is not None and parts.cpus > 1:
        workload["numa"] = target.numa
    cpus = f"{parts.cpus} x {parts.cpu.id}" if parts.cpus > 1 else parts.cpu.id

    def line(entry: CatalogEntry, **more: Any) -> dict[str, Any]:
        # An owned part (price 0) is a line without a price: the spec format prices only
        # what is bought, and cost.total counts what is.
        price = cost[entry.id]
        return {"part": entry.id, **more, **({"price": price} if price > 0 else {})}

    return {
        "build": {"name": f"{parts.board.id}, {cpus}, {parts.modules} x {parts.memory.id}",
                  "currency": prices.currency},
        "board": line(parts.board),
        "cpu": line(parts.cpu, count=parts.cpus),
        "memory": [line(parts.memory, count=parts.kits)],
        "psu": line(build.psu),
        **({"gpu": [line(build.gpu, count=build.gpus)]} if build.gpu is not None else {}),
        "workload": workload,
    }


def _toml(data: Mapping[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(dict(data))


def spec_toml(candidate: Candidate, plan: Plan) -> str:
    """A candidate as a spec file: a comment saying where it came from, then its tables. The
    price list's ``source`` and ``date`` are the user's text: they go into the comment escaped
    (``toml_writer.comment``), so no line of them becomes a line of the spec."""
    from hwspec.toml_writer import TomlDocument

    prices = plan.prices
    where = f"prices: {prices.source}" if prices.source else "prices: the user's list"
    document = TomlDocument()
    document.comment(f"Found by hwspec plan: {plan.target.model} at {plan.target.precision}, "
                     f"{plan.target.context_tokens:,} tokens of context.",
                     where + (f" ({prices.date})" if prices.date else ""),
                     "Prices move: check them before buying.")
    document.blank()
    for key, value in candidate.spec.items():
        document.table(key, value)
        document.blank()
    return document.text().removesuffix("\n")


def most_excluding(plan: Plan) -> str | None:
    """The constraint or rule that excluded the most builds, for an answer with none."""
    if not plan.excluded:
        return None
    reason, count = max(plan.excluded.items(), key=lambda pair: (pair[1], pair[0]))
    return f"{reason} ({count:,} of {plan.considered:,} builds)"
