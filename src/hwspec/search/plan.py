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
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from hwspec import formulas as f
from hwspec.catalog import Catalog, CatalogEntry, Platform, builtin_catalog
from hwspec.checker import Checker, Options, Report
from hwspec.errors import PlanError
from hwspec.findings import ERROR, did_you_mean, suggestion
from hwspec.search.plan_model import (
    BASES,
    BEST,
    BEST_ORDER,
    DECODE_FIGURE,
    DIMMS_PER_CHANNEL,
    LIMIT_WORDS,
    MAX_CHECKED,
    MAX_EXAMINED,
    MAX_SECONDS,
    PREFILL_FIGURE,
    Candidate,
    Plan,
    Search,
    Target,
    _available,
    _Budget,
    _Build,
    _limits,
    _Option,
    _Parts,
    _Population,
    _Seed,
    check_choices,
    cost_of,
    extend_prices,
    load_owned,
    owned_in_spec,
    owned_parts,
    plan_prices,
    search_document,
    search_notice,
    with_owned,
)
from hwspec.search.prices import PriceList as PriceList
from hwspec.search.prices import load_prices as load_prices
from hwspec.search.prices import prices_from_data as prices_from_data
from hwspec.spec.vocab import (
    BITS_PER_WEIGHT,
    PLAN_OFFLOADS,
    TENSOR_PARALLEL_ENGINES,
    canonical_precision,
)

# The plan's data is declared in hwspec.search.plan_model and read from here as before.
__all__ = [
    "BASES", "BEST", "BEST_ORDER", "DECODE_FIGURE", "DIMMS_PER_CHANNEL", "DOMINANCE_FIELDS",
    "LIMIT_WORDS", "MAX_CHECKED", "MAX_EXAMINED", "MAX_SECONDS", "OBJECTIVES", "PLAN_OFFLOADS",
    "PREFILL_FIGURE", "RAISED_LIMIT_RULES", "Candidate", "Plan", "PriceList", "Search",
    "Target", "by_objective", "candidate_files", "cost_of", "expected_speed", "extend_prices",
    "load_owned", "load_prices", "most_excluding", "owned_in_spec", "owned_parts", "plan",
    "plan_prices", "prices_from_data", "search_document", "search_notice", "spec_toml",
    "target_verdict", "with_owned",
]

def plan(target: Target, prices: PriceList, *, catalog: Catalog | None = None,
         options: Options | None = None) -> Plan:
    """The cheapest builds that meet ``target`` from the parts ``prices`` prices, cheapest
    first (at most ``target.top``). ``precision = "best"`` answers for the widest precision that
    gives any build. The search stops at the target's limits (``max_examined``, ``max_checked``,
    ``max_seconds``) with the best builds found so far, and its ``search`` says so."""
    catalog = catalog or (options.catalog if options and options.catalog else builtin_catalog())
    checker = Checker(attrs.evolve(options or Options(), catalog=catalog))
    model = catalog.get("model", target.model)
    if model is None:
        raise PlanError(f"unknown model {target.model!r}"
                        + suggestion(catalog.closest("model", target.model)))
    if target.basis not in BASES:
        raise PlanError(f"unknown basis {target.basis!r}; expected one of {', '.join(BASES)}")
    if target.objective not in OBJECTIVES:
        raise PlanError(f"unknown objective {target.objective!r}; expected one of "
                        f"{', '.join(OBJECTIVES)}")
    check_choices(target, catalog)
    spelled = canonical_precision(target.precision)  # Q4_K_M, as GGUF file names spell it
    if spelled != target.precision:
        target = attrs.evolve(target, precision=spelled)
    if target.precision != BEST and target.precision not in BITS_PER_WEIGHT:
        raise PlanError(f"unknown precision {target.precision!r}"
                        + did_you_mean(target.precision, BITS_PER_WEIGHT))
    budget = _Budget(target.max_examined, target.max_checked,
                     time.monotonic() + target.max_seconds)
    if target.precision != BEST:
        return _plan(target, prices, catalog, checker, model, budget)
    answer = None
    for precision in BEST_ORDER:  # one budget for them all: the limits bound the whole answer
        answer = _plan(attrs.evolve(target, precision=precision), prices, catalog, checker,
                       model, budget)
        if answer.candidates or budget.stopped_by is not None:
            break
    assert answer is not None  # BEST_ORDER is not empty
    return answer


def _plan(target: Target, prices: PriceList, catalog: Catalog, checker: Checker,
          model: CatalogEntry, budget: _Budget) -> Plan:
    """Best first over the builds a bound does not exclude, generated as they are needed
    (for ``speed``, fastest decode bound first: ``_by_speed``).

    Each seed (a board and one platform's CPUs) holds lists sorted by cost: CPUs, memory
    populations and GPU options. A build is a place in each list; the next builds after one are
    made by moving one place along a list at or after the last list it moved along (so each
    build is made once, from one parent, and costs at least as much as it). The queue thus holds
    only the builds next to those examined, never every build. A build that fails only on power
    tries its next dearer PSU. The search stops once ``top`` builds pass (every build left costs
    at least as much), once a build is over ``--budget`` (so is every build left), or at a limit
    of the budget."""
    search = _BestFirst(target, prices, catalog, checker, model, budget)
    search.run()
    unpriced = tuple(kind for kind in ("board", "cpu", "memory", "psu")
                     if not any(_available(prices, target, e.id)
                                for e in catalog.entries(kind)))
    kind_of = {id(c): kind for kind, c in search.kinds.items()}
    chosen = tuple(attrs.evolve(c, alternatives=search.alike[kind_of[id(c)]])
                   for c in by_objective(search.found, target)[:target.top])
    undecided = tuple(sorted(search.undecided, key=lambda c: c.cost)[:target.top])
    complete = budget.stopped_by is None
    extent = Search(complete, 0 if complete else search.considered - search.accounted,
                    target.max_examined - budget.examined, search.evaluated, budget.stopped_by,
                    search.reached, _limits(target))
    return Plan(target, prices.currency, chosen, search.considered, search.pruned,
                search.evaluated, dict(search.excluded), prices, unpriced, extent, undecided)


class _BestFirst:
    """One best-first search (see ``_plan``): the queue of builds next to those examined, the
    candidates found, and the counts the answer reports."""

    def __init__(self, target: Target, prices: PriceList, catalog: Catalog, checker: Checker,
                 model: CatalogEntry, budget: _Budget) -> None:
        self.target, self.prices, self.checker, self.model = target, prices, checker, model
        self.catalog = catalog
        self.budget = budget
        self.excluded: Counter[str] = Counter()
        self.psus = sorted((e for e in catalog.entries("psu")
                            if _available(prices, target, e.id)),
                           key=lambda e: (self.unit(e.id), e.id))
        self.psu_w = [_capacity_w(psu) for psu in self.psus]
        self.need_gib = _weights_gib(model, target)
        """The least memory, system and VRAM together, any build needs (None: unknown)."""
        self.experts_gib = _experts_gib(model, target)
        """The least system memory a hybrid with the experts in it needs."""
        share = checker.param_defaults.get("psu_max_load")
        self.max_load = float(share) if isinstance(share, int | float) and share > 0 else 1.0
        """The share of a PSU's output PWR001 lets the load use (its rule parameter)."""
        largest = max(self.psu_w, default=0.0)
        # GPUs whose rated power alone no priced PSU carries at that share make no build.
        self.options = [o for o in _gpu_options(catalog, prices, target, model)
                        if o[0] is None or _least_load_w(None, o[0], o[1]) / self.max_load
                        <= largest]
        seeds, self.considered, self.pruned = _seeds(catalog, prices, target, self.options,
                                                     len(self.psus), model, self.excluded)
        self.fastest = target.objective == "speed"
        if target.objective == "pareto" and len(self.options) > 1:
            # A seed per GPU option, so that one whose every build is no faster than a
            # cheaper build found leaves the search whole (``seed_bound``).
            seeds = [attrs.evolve(seed, options=(o,)) for seed in seeds for o in seed.options]
        if self.fastest:
            seeds = _by_speed(seeds, self.options, target, model)
        self.seeds = seeds if self.psus else []
        self.psu_cost = [self.unit(psu.id) for psu in self.psus]
        self.cheapest_psu = self.psu_cost[0] if self.psus else 0.0
        # Whole machines (a Mac Studio, a DGX Spark) are builds of their own: no board, PSU or
        # GPU.
        self.systems = [e for e in catalog.entries("system") if _available(
            prices, target, e.id) and (
            not target.platforms)]
        self.considered += len(self.systems)
        self.seed_done = [0] * len(self.seeds)
        """Builds of each seed accounted for."""
        self.seed_bounds: dict[int, float] = {}
        self.bounds: dict[tuple[object, ...], float] = {}
        self.caps: dict[str, float | None] = {}
        self.dead: set[int] = set()
        """Seeds no build of which can enter the answer: their entries are skipped."""
        self.queue: list[_Entry] = [self.entry(i, (0, 0, 0)) for i in range(len(self.seeds))]
        self.queue += [(-math.inf if self.fastest else 0.0, self.unit(e.id),
                        len(self.seeds) + i, (0, 0, 0), 0) for i, e in enumerate(self.systems)]
        heapq.heapify(self.queue)
        self.found: list[Candidate] = []
        self.undecided: list[Candidate] = []
        self.fastest_found = 0.0
        """The fastest expected decode among the candidates found."""
        self.kinds: dict[tuple[object, ...], Candidate] = {}
        """The kinds of build found (``_kind``), each with its cheapest candidate: a dearer
        build of one is not checked, only counted as an alternative."""
        self.alike: Counter[tuple[object, ...]] = Counter()
        # Builds accounted for: those the bounds excluded before the search, to begin with.
        self.evaluated, self.accounted = 0, self.pruned
        self.reached: float | None = None

    def entry(self, index: int, place: tuple[int, int, int], psu: int = 0) -> _Entry:
        """The queue entry of the build at ``place`` in seed ``index``'s lists, with its PSU."""
        seed = self.seeds[index]
        cpu, memory, option = place
        first = -seed.bounds[memory] if self.fastest else 0.0
        return (first, seed.board_cost + seed.cpus[cpu][1] + seed.memory[memory].cost
                + self.options[seed.options[option]][2]
                + self.psu_cost[psu], index, place, psu)

    def run(self) -> None:
        """Examine builds, best first, until enough pass, none left can, or a limit stops it."""
        target = self.target
        every = target.objective != "cost"  # speed and pareto need every build's figures
        while self.queue and (every or len(self.found) < target.top) \
                and not self.budget.spent():
            first, cost, index, place, psu_index = heapq.heappop(self.queue)
            if self.fastest and len(self.found) >= target.top \
                    and -first < _kth_speed(self.found, target.top, target.basis):
                # No build left has a decode bound above the top-th fastest found.
                self.prune_rest("decode bound no faster than the builds already found")
                break
            if not self.fastest and target.budget is not None and cost > target.budget:
                # The cheapest build left is over the budget, and so is every build after it.
                self.prune_rest("over --budget")
                break
            if index in self.dead:
                continue  # every build of its seed is accounted for already
            self.budget.examined -= 1
            self.reached = None if self.fastest else cost
            if index >= len(self.seeds):
                self.examine_system(self.systems[index - len(self.seeds)], cost)
            else:
                self.examine_build(cost, index, place, psu_index)

    def pruned_by(self, parts: _Parts, cost: float, option: _Option) -> str | None:
        """Why a bound excludes the build (at ``cost``, with the cheapest PSU) before any
        check, or None: over budget; less memory (system and VRAM) than the weights with their
        default reserve; with the experts in system memory, less of it than the routed experts
        (where the model stores them at the one precision; else the parameters no token reads)
        with theirs; or a decode bound (``_build_bound``) below the target."""
        target, (gpu, cards, _, offload) = self.target, option
        if target.budget is not None and cost > target.budget:
            return "over --budget"
        capacity = parts.modules * float(parts.memory.fields.get("capacity_gib", 0))
        if self.need_gib is not None:
            vram = cards * float(gpu.fields.get("vram_gib", 0)) if gpu is not None else 0.0
            if capacity + vram < self.need_gib or (
                    offload == "experts-in-ram" and capacity < self.experts_gib):
                return "memory capacity below the weights"
        if target.min_decode_tokens_per_s is not None and self.bound(parts, option) < (
                target.min_decode_tokens_per_s):
            return "decode bound at the modules' rated speed below --min-decode"
        return None

    def unit(self, part: str) -> float:
        """What one unit of an available part costs the build."""
        value = cost_of(self.prices, self.target, part, 1)
        assert value is not None  # every part the search takes is available
        return value

    def bound(self, parts: _Parts, option: _Option = (None, 0, 0.0, None), *,
              capped: bool = True) -> float:
        """``_build_bound``, kept by what it depends on: the memory, channels and sockets, the
        GPU option and what the CPU's core dies read (left out with ``capped`` false: a bound
        for every CPU)."""
        gpu, cards, _, offload = option
        cap = self.cap(parts.cpu) if capped else None
        key = (parts.memory.id, parts.channels, parts.cpus,
               None if gpu is None else gpu.id, cards, offload, cap)
        value = self.bounds.get(key)
        if value is None:
            value = self.bounds[key] = _build_bound(parts, self.target, self.model, option,
                                                    cap)
        return value

    def cap(self, cpu: CatalogEntry) -> float | None:
        """What one socket of the CPU reads at most (``_ccd_cap_gbs``), kept by CPU."""
        if cpu.id not in self.caps:
            self.caps[cpu.id] = _ccd_cap_gbs(cpu, self.catalog.platform(
                str(cpu.fields.get("platform"))))
        return self.caps[cpu.id]

    def seed_bound(self, index: int) -> float:
        """The highest decode bound any build of a seed has, its CPUs' core dies left out (the
        only way a CPU changes the bound): a CPU build's and a hybrid's for each memory
        population, an all-GPU build's for its GPUs alone."""
        if index not in self.seed_bounds:
            seed, bounds = self.seeds[index], [0.0]
            hybrid = any(self.options[o][3] is not None for o in seed.options)
            for memory in range(len(seed.memory)):
                parts = seed.parts(0, memory)
                if 0 in seed.options:
                    bounds.append(self.bound(parts, capped=False))
                if hybrid:
                    bounds += [self.bound(parts, self.options[o], capped=False)
                               for o in seed.options if self.options[o][3] is not None]
            parts = seed.parts(0, 0)
            bounds += [self.bound(parts, self.options[o], capped=False)
                       for o in seed.options if self.options[o][0] is not None
                       and self.options[o][3] is None]
            self.seed_bounds[index] = max(bounds)
        return self.seed_bounds[index]

    def drop_seed(self, index: int, reason: str) -> None:
        """Every build of a seed not yet accounted for is excluded for ``reason``."""
        seed = self.seeds[index]
        rest = len(seed.cpus) * len(seed.memory) * len(seed.options) * len(self.psus) - (
            self.seed_done[index])
        self.excluded[reason] += rest
        self.pruned += rest
        self.accounted += rest
        self.seed_done[index] += rest
        self.dead.add(index)

    def prune_rest(self, reason: str) -> None:
        """Every build not yet accounted for is excluded for ``reason``; the queue empties."""
        rest = self.considered - self.accounted
        self.excluded[reason] += rest
        self.pruned += rest
        self.accounted = self.considered
        self.queue.clear()

    def check(self, cost: float, spec: dict[str, Any], kind: tuple[object, ...],
              changes: tuple[str, ...] = ()) -> tuple[tuple[str, ...], Report] | None:
        """Check one candidate spec: found (None), listed apart (None) where a figure a target
        needs is unknown, or excluded with its reason (the failing rules, and the report)."""
        self.evaluated += 1
        self.budget.checks -= 1
        report, errors, reason, missing = _checked(self.checker, spec, self.target)
        if reason is None:
            candidate = Candidate(cost, spec, report, changes=changes, missing=missing)
            if missing:
                self.undecided.append(candidate)
                return None
            held = self.kinds.get(kind)
            if held is not None:  # only ``speed`` meets a kind again, out of cost order
                self.alike[kind] += 1
                if held.cost <= cost:
                    return None
                self.found.remove(held)
            self.kinds[kind] = candidate
            self.found.append(candidate)
            self.fastest_found = max(self.fastest_found,
                                     expected_speed(candidate, self.target.basis))
            return None
        self.excluded[reason] += 1
        return tuple(errors), report

    def examine_system(self, system: CatalogEntry, cost: float) -> None:
        """A whole machine: a bound may exclude it, else it is checked; one whose model fits
        only with its GPU's memory limit raised is checked again with the limit raised, and
        says so."""
        self.accounted += 1
        reason = _system_pruned_by(system, cost, self.target, self.model)
        if reason is not None:
            self.excluded[reason] += 1
            self.pruned += 1
            return
        spec = _system_spec(system, self.target, self.prices)
        kind = ("system", system.id)
        failed = self.check(cost, spec, kind)
        if failed is None:
            return
        errors, report = failed
        facts: Mapping[str, Any] = report.facts or {}
        setting, needed_mb = facts.get("system.gpu_memory_setting"), _figure(
            facts, "system.gpu_memory_needed_mb")
        if setting is None or needed_mb is None or not set(errors) <= RAISED_LIMIT_RULES:
            return
        self.excluded[f"fails {', '.join(errors)}"] -= 1  # counted once, as the raised build
        self.excluded += Counter()  # drops a count left at 0
        self.evaluated -= 1
        raised = {**spec, "system": {**spec["system"],
                                     "gpu_memory_gib": math.ceil(needed_mb / 1024 * 100) / 100}}
        change = f"GPU memory limit raised to {needed_mb:,.0f} MB: {setting}"
        self.check(cost, raised, kind, (change,))

    def examine_build(self, cost: float, index: int, place: tuple[int, int, int],
                      psu_index: int) -> None:
        """A board, CPUs, memory and GPUs with one PSU: its next builds are queued (on its
        first PSU), a bound may exclude it, else it is checked, and a build that fails only on
        power is queued again with the next dearer PSU."""
        seed = self.seeds[index]
        parts = seed.parts(place[0], place[1])
        gpu, cards, _, offload = self.options[seed.options[place[2]]]
        if psu_index == 0:
            if self.target.objective == "pareto" and self.found and self.seed_bound(index) <= (
                    self.fastest_found):
                self.drop_seed(index, "decode bound no faster than the builds already found")
                return
            self.accounted += len(self.psus)
            self.seed_done[index] += len(self.psus)
            sizes = (len(seed.cpus), len(seed.memory), len(seed.options))
            for step in _steps(place, sizes):
                heapq.heappush(self.queue, self.entry(index, step))
            option = self.options[seed.options[place[2]]]
            reason = self.pruned_by(parts, cost, option)
            if reason is None:
                reason = _slower_than_found(self.bound(parts, option), self.target, self.found,
                                            self.fastest_found)
            if reason is not None:
                self.excluded[reason] += len(self.psus)
                self.pruned += len(self.psus)
                return
            least = _least_load_w(parts, gpu, cards) / self.max_load
            if self.psu_w[0] < least:
                # The cheapest PSU is too small for the least load the parts draw at the
                # share PWR001 allows (a single PSU delivers at most its rating): no check on
                # it, the same parts with the first PSU that is not.
                for later in range(1, len(self.psus)):
                    if self.psu_w[later] >= least:
                        heapq.heappush(self.queue, self.entry(index, place, later))
                        break
                else:
                    reason = "no PSU carries the CPUs' and GPUs' rated power"
                    self.excluded[reason] += len(self.psus)
                    self.pruned += len(self.psus)
                return
        build = _Build(parts, self.psus[psu_index], cost, gpu, cards, offload)
        kind = _kind(build)
        if not self.fastest and kind in self.kinds:
            # A cheaper build of the same kind passed: this one is its alternative.
            self.alike[kind] += 1
            return
        failed = self.check(cost, _spec_data(build, self.target, self.prices), kind)
        if failed is None or not all(rule.startswith("PWR") for rule in failed[0]):
            return
        # Only the PSU fell short: the same parts with the next dearer one that is larger
        # than this one and than the load (a PSU no larger than either fails again).
        load = _figure(failed[1].facts or {}, "power.load_w") or 0.0
        least = max(load, self.psu_w[psu_index])
        for later in range(psu_index + 1, len(self.psus)):
            if self.psu_w[later] > least:
                heapq.heappush(self.queue, self.entry(index, place, later))
                return


def _least_load_w(parts: _Parts | None, gpu: CatalogEntry | None, cards: int) -> float:
    """The least load a build's CPUs (none without ``parts``) and GPUs draw, in W: each at its
    rated power (TDP, board power); the load power.load_w estimates counts them at these or
    more, and adds the rest."""
    cpu = parts.cpu.fields.get("tdp_w") if parts is not None else None
    board = gpu.fields.get("tdp_w") if gpu is not None else None
    return (parts.cpus * float(cpu) if parts is not None and isinstance(cpu, int | float)
            else 0.0) + (
        cards * float(board) if isinstance(board, int | float) else 0.0)


def _capacity_w(psu: CatalogEntry) -> float:
    """A PSU's rated output in W (0 where the catalog gives none)."""
    value = psu.fields.get("capacity_w")
    return float(value) if isinstance(value, int | float) else 0.0


def _steps(place: tuple[int, int, int],
           sizes: tuple[int, int, int]) -> Iterator[tuple[int, int, int]]:
    """The builds after one: one place further along one list, a list at or after the last
    one this place moved along (every later place is still 0). Each place is so made from one
    parent only (the place one step back along its last moved list), and the lists are sorted
    by cost, so a build never costs less than its parent."""
    last = max((d for d in range(3) if place[d]), default=0)
    for d in range(last, 3):
        if place[d] + 1 < sizes[d]:
            step = list(place)
            step[d] += 1
            yield step[0], step[1], step[2]


_Entry = tuple[float, float, int, tuple[int, int, int], int]
"""A queued build: what orders it before its cost (0, or for ``speed`` its decode bound,
negated), its cost, its seed (or whole machine), its places in the seed's CPU, memory and GPU
lists, and its place in the PSU list."""


def _by_speed(seeds: list[_Seed], options: list[_Option],
              target: Target, model: CatalogEntry) -> list[_Seed]:
    """The seeds for ``speed``: each split into its builds without GPUs, populations fastest
    bound first (ties cheapest first), and its builds with GPUs (no bound: first of all,
    cheapest first), so the search meets builds in the order of their decode bound."""
    out = []
    for seed in seeds:
        channels = seed.channels * seed.sockets
        bounds = {id(p): _decode_bound(p.memory, channels, target, model, seed.sockets)
                  for p in seed.memory}
        memory = tuple(sorted(seed.memory, key=lambda p: (-bounds[id(p)], p.cost)))
        out.append(attrs.evolve(seed, memory=memory, options=(0,),
                                bounds=tuple(bounds[id(p)] for p in memory)))
        if len(options) > 1:
            out.append(attrs.evolve(seed, options=tuple(range(1, len(options))),
                                    bounds=(math.inf,) * len(seed.memory)))
    return out


def _kth_speed(found: list[Candidate], top: int, basis: str) -> float:
    """The expected speed of the ``top``-th fastest candidate found."""
    return sorted((expected_speed(c, basis) for c in found), reverse=True)[top - 1]


def _checked(checker: Checker, spec: Mapping[str, Any],
             target: Target) -> tuple[Report, list[str], str | None, tuple[str, ...]]:
    """A build checked as ``validate`` checks it: its report, the rules failing at error
    severity, why it is no candidate (None when it is one or is undecided), and each figure a
    target needs that is unknown (a build with any is listed apart, never a candidate)."""
    report = checker.check_spec(_structured(spec), path="<plan>")
    errors = sorted({x.rule for x in report.findings if x.severity == ERROR})
    if errors:
        return report, errors, f"fails {', '.join(errors)}", ()
    reason, missing = target_verdict(report.facts or {}, target)
    return report, errors, reason, missing


def _structured(data: Mapping[str, Any]) -> Any:
    """Spec tables as a ``Spec``, structured directly (no TOML text written and read back)."""
    from hwspec.spec.load import structure

    loaded = structure(dict(data))
    if loaded.spec is None:  # the search makes only well-formed tables
        raise PlanError("a planned build does not load: " + "; ".join(
            f"{finding.path}: {finding.message}" for finding in loaded.findings))
    return loaded.spec


def _figure(facts: Mapping[str, Any], name: str) -> float | None:
    value = facts.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def target_verdict(facts: Mapping[str, Any],
                   target: Target) -> tuple[str | None, tuple[str, ...]]:
    """Whether a checked build's figures meet the target on ``target.basis``: the reason it
    does not (None when it does), and each figure a target needs that is unknown, with why."""
    missing: list[str] = []
    need: list[tuple[str, float | None, float, str, bool]] = []
    if target.min_decode_tokens_per_s is not None:
        need.append((DECODE_FIGURE[target.basis], _figure(facts, DECODE_FIGURE[target.basis]),
                     target.min_decode_tokens_per_s, "--min-decode", True))
    prefill_name = PREFILL_FIGURE[target.basis]
    prefill = _figure(facts, prefill_name)
    if target.min_prefill_tokens_per_s is not None:
        need.append((prefill_name, prefill, target.min_prefill_tokens_per_s, "--min-prefill",
                     True))
    if target.max_ttft_s is not None:
        prompt = _figure(facts, "workload.prompt_tokens")
        ttft = prompt / prefill if prompt is not None and prefill else None
        need.append((prefill_name, ttft, target.max_ttft_s, "--max-ttft", False))
    if target.min_decode_tokens_per_s is None and target.objective != "cost":
        need.append((DECODE_FIGURE[target.basis], _figure(facts, DECODE_FIGURE[target.basis]),
                     0.0, "--objective " + target.objective, True))
    if target.max_power_w is not None:
        need.append(("power.load_w", _figure(facts, "power.load_w"), target.max_power_w,
                     "--max-power", False))
    for name, value, limit, option, at_least in need:
        if value is None:
            missing.append(f"{option}: {name} unknown ({_why_unknown(facts, name)})")
        elif (value < limit) if at_least else (value > limit):
            return f"{'below' if at_least else 'over'} {option}" + (
                f" ({target.basis})" if option != "--max-power" else ""), ()
    return None, tuple(dict.fromkeys(missing))


def _why_unknown(facts: Mapping[str, Any], name: str) -> str:
    """Why a figure is unknown: the part of ``unknown.why`` that names it (or its topic's
    headline figure), else the topic's own basis."""
    topic = name.split(".")[0]
    for part in str(facts.get("unknown.why") or "").split("; "):
        named = part.split(": ", 1)
        if len(named) == 2 and any(n.startswith(topic + ".") for n in named[0].split(", ")):
            return named[1]
    basis = facts.get(f"{topic}.basis") or facts.get(f"{topic}.expected_basis")
    return str(basis) if basis else "not derived from the parts' figures"


RAISED_LIMIT_RULES = frozenset({"FIT001", "FIT005"})
"""Rules a system may fail only because its GPU's share of memory is too small: with the limit
raised (``system.gpu_memory_setting``) the same machine is checked again."""


def _kind(build: _Build) -> tuple[object, ...]:
    """What makes two builds different answers: the platform, the CPU (its cores and core
    dies: parts alike in both are near-identical for decoding) and how many, the memory's size,
    rated speed and kind, and the GPUs. Builds of one kind differ only in the board, a
    near-identical CPU, the module's brand or the PSU, and one answer stands for them."""
    parts, cpu, memory = build.parts, build.parts.cpu.fields, build.parts.memory.fields
    return (cpu.get("platform"), cpu.get("cores"), cpu.get("ccds"), parts.cpus,
            parts.modules * float(memory.get("capacity_gib", 0)), memory.get("speed_mts"),
            memory.get("kind"), build.gpu.id if build.gpu is not None else None, build.gpus,
            build.offload)


OBJECTIVES = ("cost", "speed", "pareto")


def expected_speed(candidate: Candidate, basis: str = "expected") -> float:
    """A candidate's decode speed at the full context on ``basis``, 0 where it has none."""
    facts = candidate.report.facts
    value = facts.get(DECODE_FIGURE[basis]) if facts is not None else None
    return float(value) if isinstance(value, int | float) else 0.0


def by_objective(found: list[Candidate], target: Target) -> list[Candidate]:
    """The passing builds (found cheapest first) in the objective's order."""
    if target.objective == "speed":
        return sorted(found, key=lambda c: (-expected_speed(c, target.basis), c.cost))
    if target.objective == "pareto":
        front: list[Candidate] = []
        for candidate in sorted(found, key=lambda c: c.cost):
            # cheapest first: keep each that beats every cheaper one
            if not front or expected_speed(candidate, target.basis) > expected_speed(
                    front[-1], target.basis):
                front.append(candidate)
        return front
    return sorted(found, key=lambda c: c.cost)


def _gpu_options(catalog: Catalog, prices: PriceList, target: Target,
                 model: CatalogEntry | None = None) -> list[_Option]:
    """(GPU, cards, their cost, offload) a build may add, cheapest first; no GPU is the first.

    With ``--offload`` each option runs it; without, each runs every layer on the GPUs where
    its VRAM holds the weights with their reserve (elsewhere FIT003 fails whatever the rest of
    the build), and for a mixture-of-experts model also as a hybrid with the routed experts in
    system memory, so all-GPU builds and hybrids compete on one target. A GPU that another
    priced GPU dominates (no dearer, at least as much VRAM, bandwidth and tensor rate, at most
    its board power) is left out: any build with it has a build no dearer and no slower."""
    wanted = {g for g in target.gpus if g != "none"}
    options: list[_Option] = [(None, 0, 0.0, None)]
    gpus = [e for e in catalog.entries("gpu") if _available(prices, target, e.id) and wanted
            and ("any" in wanted or e.id in wanted)]
    owned = {part for part, _ in target.owned}
    gpus = [e for e in gpus if e.id in owned or not any(
        o.id not in owned and _dominates(o, e, prices) for o in gpus)]
    weights = _weights_gib(model, target) if model is not None else None
    moe = model is not None and float(model.fields.get("active_params_b", 0) or 0) < float(
        model.fields.get("params_b", 0) or 0)
    want = target.min_decode_tokens_per_s
    hybrids = not (want is not None and model is not None
                   and _hybrid_ceiling(catalog, prices, target, model) < want)
    for entry in gpus:
        for n in range(1, target.max_gpus + 1):
            cost = cost_of(prices, target, entry.id, n)
            if cost is None:
                break
            offloads = (target.offload,) if target.offload is not None else (
                (None,) + (("experts-in-ram",) if moe else ()))
            for offload in offloads:
                if offload is None and target.offload is None and weights is not None and (
                        n * float(entry.fields.get("vram_gib", 0)) < weights):
                    continue  # every layer on the GPUs, and their VRAM cannot hold them
                if want is not None and model is not None and (
                        (offload is None and _gpu_decode_bound(
                            None, entry, n, None, target, model) < want)
                        or (offload is not None and not hybrids)):
                    continue  # no build with this option reaches the target
                options.append((entry, n, cost, offload))
    return sorted(options, key=lambda o: (o[2], o[0].id if o[0] else "", o[1], o[3] or ""))


DOMINANCE_FIELDS = (("vram_gib", 1), ("bandwidth_gbs", 1), ("fp16_tensor_tflops", 1),
                    ("tdp_w", -1))
"""The GPU figures dominance compares: more is better (1) or less is (-1)."""


def _dominates(one: CatalogEntry, other: CatalogEntry, prices: PriceList) -> bool:
    """Whether ``one`` is at least as good as ``other`` in price and every compared figure
    (each known for both), and strictly better or first by id where they tie."""
    if one.id == other.id or prices.prices[one.id] > prices.prices[other.id]:
        return False
    keys_one, keys_other = [prices.prices[other.id]], [prices.prices[one.id]]
    for name, sign in DOMINANCE_FIELDS:
        a, b = one.fields.get(name), other.fields.get(name)
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return False
        if (a - b) * sign < 0:
            return False
        keys_one.append(a * sign)
        keys_other.append(b * sign)
    return keys_one != keys_other or one.id < other.id


def _hybrid_ceiling(catalog: Catalog, prices: PriceList, target: Target,
                    model: CatalogEntry) -> float:
    """The highest hybrid decode bound any priced memory could give: the fastest priced module
    on the most channels any priced board or platform has, on up to as many sockets as a
    priced board has."""
    speeds = [e.fields.get("speed_mts") for e in catalog.entries("memory")
              if _available(prices, target, e.id)]
    rated = max((float(x) for x in speeds if isinstance(x, int | float)), default=None)
    channels = sockets = 0
    for board in catalog.entries("board"):
        if not _available(prices, target, board.id):
            continue
        sockets = max(sockets, int(board.fields.get("sockets", 1)))
        for platform_id in board.fields.get("platforms", ()):
            platform = catalog.platform(str(platform_id))
            channels = max(channels, int(board.fields.get("channels_per_socket")
                                         or (platform.channels_per_socket if platform else 0)
                                         or 0))
    if rated is None or not channels:
        return math.inf if rated is None else 0.0
    offload = target.offload or "experts-in-ram"
    return max(_hybrid_bound(rated, channels, n, offload, target, model)
               for n in range(1, sockets + 1))


def _experts_gib(model: CatalogEntry, target: Target) -> float:
    """The routed experts' weights with their default reserve (where the model stores them at
    the one precision; else the parameters no token reads): the least system memory a hybrid
    with the experts in it needs (0 where unknown)."""
    params_b, bits = model.fields.get("params_b"), BITS_PER_WEIGHT.get(target.precision)
    if not isinstance(params_b, int | float) or bits is None:
        return 0.0
    idle = float(params_b) - float(model.fields.get("active_params_b", params_b))
    routed = model.fields.get("expert_params_b")
    if isinstance(routed, int | float) and "precisions" not in model.fields:
        idle = max(idle, float(routed))  # every routed expert, at the one precision
    resident = f.weights_gib(idle, bits)
    return resident + f.overhead_gib(resident, 0.0)


def _weights_gib(model: CatalogEntry, target: Target) -> float | None:
    """The model's weights at the target's precision with the default reserve on them: the
    least memory (system and VRAM together) any build needs."""
    params_b, bits = model.fields.get("params_b"), BITS_PER_WEIGHT.get(target.precision)
    if not isinstance(params_b, int | float) or bits is None:
        return None
    weights = f.weights_gib(params_b, bits)
    return weights + f.overhead_gib(weights, 0.0)


def _seeds(catalog: Catalog, prices: PriceList, target: Target,
           options: list[_Option], psus: int,
           model: CatalogEntry | None, excluded: Counter[str]) -> tuple[list[_Seed], int, int]:
    """Every board with each platform it takes whose CPUs and memory are priced, the builds
    they make, and how many of those a bound excludes: memory populations too small for the
    weights with the most VRAM any GPU option adds (or, with no GPU allowed, too slow for the
    target at their rated speed) leave the seed before the search, counted in ``excluded``.
    Without ``model``, nothing is excluded."""
    def unit(part: str) -> float:
        return cost_of(prices, target, part, 1) or 0.0

    def priced(kind: str) -> list[CatalogEntry]:
        return sorted((e for e in catalog.entries(kind) if _available(prices, target, e.id)),
                      key=lambda e: (unit(e.id), e.id))

    cpus_of: dict[str, list[CatalogEntry]] = {}
    for cpu in priced("cpu"):
        cpus_of.setdefault(str(cpu.fields.get("platform")), []).append(cpu)
    memories = priced("memory")
    platforms: dict[str, Platform | None] = {}
    populations: dict[tuple[str, int, int, object], tuple[list[_Population], Counter[str]]] = {}
    most_vram = max(cards * float(gpu.fields.get("vram_gib", 0)) if gpu is not None else 0.0
                    for gpu, cards, _, _ in options)
    seeds: list[_Seed] = []
    considered = pruned = 0
    for board in priced("board"):
        sockets = int(board.fields.get("sockets", 1))
        for platform_id in dict.fromkeys(board.fields.get("platforms", ())):
            if platform_id not in platforms:
                platforms[platform_id] = catalog.platform(str(platform_id))
            platform = platforms[platform_id]
            if platform is None or (target.platforms and platform.id not in target.platforms
                                    and platform.socket not in target.platforms):
                continue
            cpus = tuple(sorted(
                ((c, cost) for c in cpus_of.get(platform.id, ())
                 if c.fields.get("max_sockets", 1) >= sockets
                 and (cost := cost_of(prices, target, c.id, sockets)) is not None),
                key=lambda pair: (pair[1], pair[0].id)))
            channels = int(board.fields.get("channels_per_socket")
                           or platform.channels_per_socket or 0)
            key = (platform.id, channels, sockets, board.fields.get("dimm_slots"))
            if key not in populations:  # boards alike share their populations and bounds
                every = _populations(platform, channels, sockets, key[3], memories,
                                     lambda part, n: cost_of(prices, target, part, n))
                kept, reasons = [], Counter[str]()
                for population in every:
                    reason = None if model is None else _population_pruned_by(
                        population, sockets, channels, target, model, most_vram, len(options))
                    if reason is None:
                        kept.append(population)
                    else:
                        reasons[reason] += 1
                populations[key] = (kept, reasons)
            kept, reasons = populations[key]
            if not cpus or not (kept or reasons):
                continue
            builds = len(cpus) * len(options) * psus
            considered += builds * (len(kept) + sum(reasons.values()))
            for reason, count in reasons.items():
                excluded[reason] += builds * count
                pruned += builds * count
            if kept:
                seeds.append(_Seed(board, unit(board.id), sockets, channels, cpus, tuple(kept),
                                   tuple(range(len(options)))))
    return seeds, considered, pruned


def _populations(platform: Platform, channels: int, sockets: int, slots: object,
                 memories: list[CatalogEntry],
                 cost: Callable[[str, int], float | None]) -> list[_Population]:
    """The balanced populations of one or two modules per channel that the platform takes and
    the board's slots hold, cheapest first."""
    out = []
    for memory in memories:
        if memory.fields.get("generation") != platform.memory_generation or (
                memory.fields.get("kind") not in (platform.module_kinds or ())):
            continue
        per_kit = int(memory.fields.get("modules_per_kit", 1))
        for dpc in DIMMS_PER_CHANNEL:
            modules = channels * sockets * dpc
            if not modules or modules % per_kit or (
                    isinstance(slots, int | float) and modules > slots):
                continue
            kits = modules // per_kit
            price = cost(memory.id, kits)
            if price is not None:
                out.append(_Population(memory, kits, modules, price))
    return sorted(out, key=lambda p: (p.cost, p.memory.id, p.modules))


def _population_pruned_by(population: _Population, sockets: int, channels: int, target: Target,
                          model: CatalogEntry, most_vram_gib: float,
                          options: int) -> str | None:
    """Why a bound excludes a memory population from every build: with the most VRAM any GPU
    option adds it holds less than the weights, or (no GPU allowed) its rated speed bounds
    decoding below the target."""
    capacity = population.modules * float(population.memory.fields.get("capacity_gib", 0))
    reason = _pruned_by_cost_or_capacity(0.0, capacity + most_vram_gib, target, model)
    if reason is not None or options > 1 or target.min_decode_tokens_per_s is None:
        return reason
    bound = _decode_bound(population.memory, channels * sockets, target, model, sockets)
    if bound < target.min_decode_tokens_per_s:
        return "decode bound at the modules' rated speed below --min-decode"
    return None


def _decode_bound(memory: CatalogEntry, channels: int, target: Target,
                  model: CatalogEntry, sockets: int = 1, cap_gbs: float | None = None) -> float:
    """An upper bound on the decode figure ``target.basis`` holds a CPU build to, with this
    memory on these channels (of every socket; inf when the figures are missing): the
    effective speed never exceeds the modules' rating, the bytes read per token never fall
    below the active weights (the KV cache adds to them), and the expected figures (and their
    low ends) start from the STREAM share of it (``formulas.STREAM_EFFICIENCY``: a planned
    build has no measured bandwidth) and take at most the class's efficiency of that, with a
    second socket adding at most its placement's gain (``formulas.NUMA_GAIN``). ``cap_gbs``
    is what one socket's core dies read at most (``_ccd_cap_gbs``), which caps the STREAM
    share as memory.sustained_bandwidth_gbs is capped."""
    read = _weights_read(target, model)
    rated = memory.fields.get("speed_mts")
    if read is None or not isinstance(rated, int | float):
        return math.inf
    read_gb, shape = read
    bound = f.decode_tokens_per_s_max(f.memory_bandwidth_gbs(rated, channels), read_gb)
    if target.basis == "bound":
        return bound
    per_socket = channels / max(sockets, 1)
    device = f.DESKTOP_CPU if per_socket <= f.DESKTOP_CHANNELS else f.SERVER_CPU
    efficiency, _ = f.decode_efficiency(device, shape, target.engine)
    share = efficiency.central if target.basis == "expected" else efficiency.low
    gain = f.numa_gain(target.numa or "interleave", target.engine, sockets)[0][0]
    used = min(float(max(sockets, 1)), max(gain, 1.0))
    return bound * _sustained_share(f.memory_bandwidth_gbs(rated, channels) / max(sockets, 1),
                                    cap_gbs) * min(share, 1.0) * used / max(sockets, 1)


def _weights_read(target: Target, model: CatalogEntry) -> tuple[float, str] | None:
    """The GB a token reads at the start of generation (the active weights at the target's
    precision, an empty KV cache) and the model's shape for its efficiency class (moe or
    dense); None where the precision or the catalog's parameter count is unknown."""
    bits = BITS_PER_WEIGHT.get(target.precision)
    params_b = model.fields.get("params_b")
    if bits is None or not isinstance(params_b, int | float):
        return None
    active = float(model.fields.get("active_params_b", params_b))
    return (f.decode_bytes_per_token(active, bits, 0.0),
            "moe" if active < float(params_b) else "dense")


def _sustained_share(socket_gbs: float, cap_gbs: float | None) -> float:
    """The share of one socket's rated bandwidth its sustained figure can reach: the STREAM
    share, or less where the core dies read less (``formulas.ccd_limited_bandwidth_gbs``)."""
    sustained = socket_gbs * f.STREAM_EFFICIENCY
    if cap_gbs is not None and socket_gbs > 0:
        sustained = min(sustained, cap_gbs)
    return sustained / socket_gbs if socket_gbs > 0 else f.STREAM_EFFICIENCY


def _ccd_cap_gbs(cpu: CatalogEntry, platform: Platform | None) -> float | None:
    """What one socket of this CPU reads at most where the catalog gives its core dies and the
    platform's read figure per die: ``ccds x ccd_read_gbs`` (None where either is unknown)."""
    ccds = cpu.fields.get("ccds")
    per_ccd = platform.ccd_read_gbs if platform is not None else None
    if not isinstance(ccds, int | float) or per_ccd is None:
        return None
    return float(ccds) * float(per_ccd)


def _build_bound(build: _Parts, target: Target, model: CatalogEntry,
                 option: _Option = (None, 0, 0.0, None), cap_gbs: float | None = None) -> float:
    """An upper bound on the decode figure ``target.basis`` holds the build to, with its GPU
    option (inf where the figures are missing), its CPUs reading at most ``cap_gbs`` a
    socket."""
    gpu, cards, _, offload = option
    if gpu is None:
        return _decode_bound(build.memory, build.channels * build.cpus, target, model,
                             build.cpus, cap_gbs)
    return _gpu_decode_bound(build, gpu, cards, offload, target, model, cap_gbs)


def _gpu_decode_bound(build: _Parts | None, gpu: CatalogEntry, cards: int,
                      offload: str | None, target: Target, model: CatalogEntry,
                      cap_gbs: float | None = None) -> float:
    """An upper bound on a GPU build's decode figure: with every layer on the GPUs, one card's
    bandwidth (every card's under a tensor-parallel engine) over the active weights; with the
    routed experts in system memory, the bound of the system memory alone (``_hybrid_bound``;
    inf without ``build``), the GPUs' time only adding to it; each times the efficiency of the
    class of device for the expected figures."""
    if offload is not None:
        if build is None:
            return math.inf
        rated, bandwidth = build.memory.fields.get("speed_mts"), gpu.fields.get("bandwidth_gbs")
        # The GPUs' bandwidth as a token sees it: one card's under a layer split, all under
        # a tensor-parallel engine (gpu.decode_bandwidth_gbs).
        gpu_gbs = (cards if target.engine in TENSOR_PARALLEL_ENGINES else 1) * float(
            bandwidth) if isinstance(bandwidth, int | float) else None
        return _hybrid_bound(float(rated), build.channels, build.cpus, offload, target,
                             model, cap_gbs, gpu_gbs) if isinstance(rated, int | float) \
            else math.inf
    read = _weights_read(target, model)
    bandwidth = gpu.fields.get("bandwidth_gbs")
    if read is None or not isinstance(bandwidth, int | float):
        return math.inf
    read_gb, shape = read
    # Under a layer split (every engine but the tensor-parallel ones) each card streams its
    # share in turn: one card's bandwidth (gpu.decode_bandwidth_gbs); under tensor, all.
    together = cards if target.engine in TENSOR_PARALLEL_ENGINES else 1
    bound = f.decode_tokens_per_s_max(together * float(bandwidth), read_gb)
    if target.basis == "bound":
        return bound
    efficiency, _ = f.decode_efficiency(f.DISCRETE_GPU, shape, target.engine)
    return bound * min(efficiency.central if target.basis == "expected" else efficiency.low,
                       1.0)


def _hybrid_bound(rated_mts: float, channels: int, sockets: int, offload: str,
                  target: Target, model: CatalogEntry, cap_gbs: float | None = None,
                  gpu_gbs: float | None = None) -> float:
    """An upper bound on a hybrid's decode figure with the routed experts in system memory of
    this rated speed on ``channels`` per socket: the time that memory takes for the routed
    experts a token reads (for the expected figures at the STREAM share, at most the NUMA
    placement's gain for a second socket), plus, given the GPUs' bandwidth ``gpu_gbs``, the
    time they take for the rest of the active weights, which they hold; for the expected
    figures times the hybrid class's efficiency (inf where figures are missing)."""
    bits = BITS_PER_WEIGHT.get(target.precision)
    routed, experts, per_token = (model.fields.get(k) for k in (
        "expert_params_b", "experts", "experts_per_token"))
    params_b = model.fields.get("params_b")
    if offload != "experts-in-ram" or bits is None or "precisions" in model.fields or not (
            isinstance(routed, int | float) and isinstance(experts, int)
            and isinstance(per_token, int) and isinstance(params_b, int | float)):
        return math.inf
    read = f.routed_active_params_b(float(routed), experts, per_token)
    ram_gbs = f.memory_bandwidth_gbs(rated_mts, channels * sockets)
    if target.basis != "bound":
        gain = f.numa_gain(target.numa or "interleave", target.engine, sockets)[0][0]
        ram_gbs *= _sustained_share(f.memory_bandwidth_gbs(rated_mts, channels), cap_gbs) * min(
            float(sockets), max(gain, 1.0)) / sockets
    seconds = f.decode_bytes_per_token(read, bits, 0.0) / 1e9 / ram_gbs if ram_gbs > 0 \
        else math.inf
    rest = float(model.fields.get("active_params_b", params_b)) - read
    if gpu_gbs and rest > 0:
        seconds += f.decode_bytes_per_token(rest, bits, 0.0) / 1e9 / gpu_gbs
    if not seconds or math.isinf(seconds):
        return math.inf if not seconds else 0.0
    bound = 1.0 / seconds
    if target.basis == "bound":
        return bound
    efficiency, _ = f.decode_efficiency(f.HYBRID, "moe", target.engine)
    return bound * min(efficiency.central if target.basis == "expected" else efficiency.low,
                       1.0)


def _slower_than_found(bound: float, target: Target, found: list[Candidate],
                       fastest: float) -> str | None:
    """For ``speed`` and ``pareto``: why a build cannot enter the answer, or None. For
    ``pareto`` builds come cheapest first, so one whose decode bound is no faster than the
    expected speed of a cheaper build already found is on no Pareto front; for ``speed``, one
    slower than the ``top``-th fastest found ranks after all of them."""
    if target.objective == "cost" or not found:
        return None
    beat = fastest if target.objective == "pareto" else (
        _kth_speed(found, target.top, target.basis) if len(found) >= target.top else None)
    # Pareto meets builds cheapest first, so a tie loses; speed may meet a cheaper one later.
    if beat is None or bound > beat or (target.objective == "speed" and bound == beat):
        return None
    return "decode bound no faster than the builds already found"


def _part_sets(catalog: Catalog, prices: PriceList, target: Target) -> Iterator[_Parts]:
    """Every set of priced parts a build can take, no bound applied: a board, CPUs for every
    socket, and a balanced memory population the platform takes (for brute-force comparisons;
    the search itself never lists them)."""
    seeds, _, _ = _seeds(catalog, prices, target, [(None, 0, 0.0, None)], 1, None, Counter())
    for seed in seeds:
        for cpu in range(len(seed.cpus)):
            for memory in range(len(seed.memory)):
                yield seed.parts(cpu, memory)


def _system_pruned_by(system: CatalogEntry, cost: float, target: Target,
                     model: CatalogEntry) -> str | None:
    """Why a bound excludes a whole machine before its check, or None."""
    memory = system.fields.get("memory_gib")
    return _pruned_by_cost_or_capacity(
        cost, float(memory) if isinstance(memory, int | float) else math.inf, target, model)


def _pruned_by_cost_or_capacity(cost: float, capacity_gib: float, target: Target,
                                model: CatalogEntry) -> str | None:
    """Over --budget, or less memory (system and VRAM together) than the weights alone with
    the default reserve on them (``formulas.overhead_gib``: a planned build states none)."""
    if target.budget is not None and cost > target.budget:
        return "over --budget"
    params_b, bits = model.fields.get("params_b"), BITS_PER_WEIGHT.get(target.precision)
    if isinstance(params_b, int | float) and bits is not None:
        weights = f.weights_gib(params_b, bits)  # plus the default reserve on them alone
        if capacity_gib < weights + f.overhead_gib(weights, 0.0):
            return "memory capacity below the weights"
    return None


def _system_spec(system: CatalogEntry, target: Target, prices: PriceList) -> dict[str, Any]:
    """A whole machine as spec tables."""
    price = cost_of(prices, target, system.id, 1) or 0.0
    return {"build": {"name": system.id, "currency": prices.currency},
            "system": {"part": system.id, **({"price": price} if price > 0 else {})},
            "workload": _workload(target)}


def _workload(target: Target) -> dict[str, Any]:
    """The target as a [workload] table."""
    workload: dict[str, Any] = {"model": target.model, "precision": target.precision,
                                "context_tokens": target.context_tokens, "batch": target.batch}
    if target.prompt_tokens is not None:
        workload["prompt_tokens"] = target.prompt_tokens
    if target.basis != "bound":
        # FIT002 and FIT006 hold the expected figures to these, which the plan's own basis
        # (expected, or the stricter low end) already met; a bound basis meets only the bound.
        if target.min_decode_tokens_per_s is not None:
            workload["min_decode_tokens_per_s"] = target.min_decode_tokens_per_s
        if target.max_ttft_s is not None:
            workload["max_ttft_s"] = target.max_ttft_s
    if target.engine is not None:
        workload["engine"] = target.engine
    return workload


def _spec_data(build: _Build, target: Target, prices: PriceList) -> dict[str, Any]:
    """The build as spec tables, every part by catalog id with its unit price."""
    parts = build.parts
    workload = _workload(target)
    if build.gpu is not None and build.offload is not None:
        workload["offload"] = build.offload
    if target.numa is not None and parts.cpus > 1:
        workload["numa"] = target.numa
    cpus = f"{parts.cpus} x {parts.cpu.id}" if parts.cpus > 1 else parts.cpu.id

    def line(entry: CatalogEntry, count: int | None = None) -> dict[str, Any]:
        # An owned part (price 0) is a line without a price: the spec format prices only
        # what is bought, and cost.total counts what is. A table of one line whose units are
        # partly owned carries the price that makes its bill the bought units' (count x
        # price = what is bought).
        price = cost_of(prices, target, entry.id, count or 1) or 0.0
        return {"part": entry.id, **({"count": count} if count is not None else {}),
                **({"price": price / (count or 1)} if price > 0 else {})}

    def lines(entry: CatalogEntry, count: int) -> list[dict[str, Any]]:
        # A list kind splits its units: those owned, then those bought at the list's price.
        have = min(count, sum(n for part, n in target.owned if part == entry.id))
        if 0 < have < count:
            return [{"part": entry.id, "count": have}, line_bought(entry, count - have)]
        return [line(entry, count)]

    def line_bought(entry: CatalogEntry, count: int) -> dict[str, Any]:
        return {"part": entry.id, "count": count, "price": prices.prices[entry.id]}

    return {
        "build": {"name": f"{parts.board.id}, {cpus}, {parts.modules} x {parts.memory.id}",
                  "currency": prices.currency},
        "board": line(parts.board),
        "cpu": line(parts.cpu, parts.cpus),
        "memory": lines(parts.memory, parts.kits),
        "psu": line(build.psu),
        **({"gpu": lines(build.gpu, build.gpus)} if build.gpu is not None else {}),
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
    target = plan.target
    goals = [f"decode at least {target.min_decode_tokens_per_s:g} tokens/s at the full context"
             if target.min_decode_tokens_per_s is not None else "",
             f"prefill at least {target.min_prefill_tokens_per_s:g} tokens/s"
             if target.min_prefill_tokens_per_s is not None else "",
             f"first token within {target.max_ttft_s:g} s"
             if target.max_ttft_s is not None else ""]
    wanted = ", ".join(g for g in goals if g)
    document.comment(f"Found by hwspec plan: {target.model} at {target.precision}, "
                     f"{target.context_tokens:,} tokens of context.",
                     *([f"Target: {wanted} ({target.basis} figure)."] if wanted else []),
                     *(f"Needs: {change}" for change in candidate.changes),
                     where + (f" ({prices.date})" if prices.date else ""),
                     "Prices move: check them before buying.")
    document.blank()
    for key, value in candidate.spec.items():
        document.table(key, value)
        document.blank()
    return document.text().removesuffix("\n")


def candidate_files(answer: Plan, folder: Path, *, force: bool = False) -> dict[Path, str]:
    """Each candidate as ``folder/plan-01.toml`` ... and its text, every target checked before
    any is written, so ``--write`` is all or nothing: a symbolic link, a folder, or without
    ``force`` an existing file is refused (a ``WriteRefused`` naming the first), as is a
    folder that is a link. The caller then writes each atomically."""
    from hwspec.errors import WriteRefused

    if folder.is_symlink():
        raise WriteRefused(f"{folder} is a symbolic link; hwspec never writes through a link, "
                           "so name the folder itself")
    if folder.exists() and not folder.is_dir():
        raise WriteRefused(f"{folder} is not a folder")
    files = {folder / f"plan-{rank:02d}.toml": spec_toml(candidate, answer)
             for rank, candidate in enumerate(answer.candidates, 1)}
    for path in files:
        if path.is_symlink():
            raise WriteRefused(f"{path} is a symbolic link; hwspec never writes through a link, "
                               "and nothing was written")
        if path.exists() and (path.is_dir() or not path.is_file()):
            raise WriteRefused(f"{path} is not a regular file; nothing was written")
        if path.exists() and not force:
            raise WriteRefused(f"{path} already exists; pass --force to overwrite it (nothing "
                               "was written)")
    return files


def most_excluding(plan: Plan) -> str | None:
    """The constraint or rule that excluded the most builds, for an answer with none."""
    if not plan.excluded:
        return None
    reason, count = max(plan.excluded.items(), key=lambda pair: (pair[1], pair[0]))
    return f"{reason} ({count:,} of {plan.considered:,} builds)"
