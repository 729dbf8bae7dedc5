"""The plan's data: the target a buyer asks for, the candidates and answer a search returns,
the parts a build is made of while it is searched, and the buyer's own parts and prices.

Apart from ``hwspec.search.plan`` (the search itself) for size; that module re-exports every
name here, so ``from hwspec.search.plan import Target`` reads as before.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from hwspec.catalog import Catalog, CatalogEntry
from hwspec.checker import Report
from hwspec.errors import PlanError
from hwspec.findings import did_you_mean, suggestion
from hwspec.search.prices import PriceList as PriceList
from hwspec.search.prices import load_prices as load_prices
from hwspec.search.prices import prices_from_data as prices_from_data
from hwspec.search.prices import read_small_toml as _read_toml
from hwspec.spec.values import check_choice
from hwspec.spec.vocab import ENGINES, NUMA_MODES, PLAN_OFFLOADS

BEST = "best"
"""``--precision best``: the widest precision any build within the constraints fits."""

BEST_ORDER = ("bf16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k")
"""Precisions ``best`` tries, widest first."""

DIMMS_PER_CHANNEL = (1, 2)
"""Balanced populations: every channel of every socket with one module, or with two."""

MAX_EXAMINED = 200_000
"""Builds one answer examines at most (a bound excludes each or it is checked in full); the
builds are made as the search reaches them, so memory grows with this, not with the catalog."""
MAX_CHECKED = 500
"""Builds one answer checks in full at most (a check takes a millisecond or two): the cheapest
answers on the built-in catalog take a few hundred."""
MAX_SECONDS = 10.0
"""Time one answer may take, in seconds, however many builds that reaches: a safety net behind
the two counts above, which stop every search seen so far first (the whole catalog's seed
question checks 265 builds in a quarter of a second). It is kept well above that so that a
loaded machine gives the same answer as an idle one: the counts, not the clock, decide."""


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
    max_examined: int = MAX_EXAMINED
    """Most builds the search examines before it stops with the best found so far."""
    max_checked: int = MAX_CHECKED
    """Most builds the search checks in full before it stops with the best found so far."""
    max_seconds: float = MAX_SECONDS
    """Most seconds the search runs before it stops with the best found so far."""
    min_prefill_tokens_per_s: float | None = None
    """Prompt processing the build must reach, tokens/s, on ``basis``."""
    max_ttft_s: float | None = None
    """Longest wait for the first token at ``prompt_tokens``, seconds, on ``basis``."""
    prompt_tokens: int | None = None
    """The prompt ``max_ttft_s`` is timed for (``workload.prompt_tokens``; default 4,096)."""
    basis: str = "expected"
    """Which figure a speed target is held to: ``expected`` (the figure to expect),
    ``low`` (the low end of its range) or ``bound`` (the bandwidth or compute bound)."""
    owned: tuple[tuple[str, int], ...] = ()
    """Parts you have, by catalog id and how many (``--from``, ``--owned``): so many units of
    each cost nothing and need no price; a build that takes more buys the rest at the list's
    price."""


def check_choices(target: Target, catalog: Catalog) -> None:
    """A ``--gpus`` value that is neither ``none``, ``any`` nor a catalog GPU, a ``--platform``
    that is no catalog platform or socket, an engine, offload or NUMA mode plan does not know: a
    ``PlanError`` naming it, with the closest names, never a choice silently matching
    nothing."""
    for gpu in target.gpus:
        if gpu not in ("none", "any") and catalog.get("gpu", gpu) is None:
            raise PlanError(f"unknown GPU {gpu!r} in --gpus; expected none, any or a catalog "
                            f"GPU id" + suggestion(catalog.closest("gpu", gpu)))
    if target.platforms:
        known = {*catalog.ids("platform"),
                 *(entry.fields.get("socket") for entry in catalog.entries("platform"))}
        for platform in target.platforms:
            if platform not in known:
                names = sorted(name for name in known if isinstance(name, str))
                raise PlanError(f"unknown platform {platform!r} in --platform; expected a "
                                "catalog platform id or socket (sp5, sp5-turin ...)"
                                + did_you_mean(platform, names))
    if target.engine is not None:
        try:  # the vocabulary's own check, as a spec's workload.engine gets
            check_choice(target.engine, ENGINES, "inference engine")
        except ValueError as error:
            raise PlanError(f"--engine: {error}") from None
    if target.offload is not None and target.offload not in PLAN_OFFLOADS:
        raise PlanError(f"unknown offload {target.offload!r}; expected "
                        f"{', '.join(PLAN_OFFLOADS)}" + did_you_mean(target.offload, PLAN_OFFLOADS))
    if target.numa is not None and target.numa not in NUMA_MODES:
        raise PlanError(f"unknown NUMA mode {target.numa!r}; expected one of "
                        f"{', '.join(NUMA_MODES)}" + did_you_mean(target.numa, NUMA_MODES))


def cost_of(prices: PriceList, target: Target, part: str, units: int) -> float | None:
    """What ``units`` of a part cost a build: nothing for those owned (``target.owned``), the
    list's unit price for the rest; None where more are needed than owned and the list does
    not price it."""
    have = sum(n for owned, n in target.owned if owned == part)
    bought = max(0, units - have)
    if not bought:
        return 0.0
    price = prices.prices.get(part)
    return None if price is None else bought * price


def _available(prices: PriceList, target: Target, part: str) -> bool:
    """Whether a part can be in a build: priced, or owned."""
    return part in prices.prices or any(owned == part for owned, _ in target.owned)


BASES = ("expected", "low", "bound")
"""The figures a speed target may be held to, most likely first."""

DECODE_FIGURE = {"expected": "decode.tokens_per_s_expected_full_context",
                 "low": "decode.tokens_per_s_expected_full_context_low",
                 "bound": "decode.tokens_per_s_max_full_context"}
"""The decode figure ``--min-decode`` is held to, by basis: at the whole context, where decode
is slowest."""

PREFILL_FIGURE = {"expected": "prefill.tokens_per_s_expected",
                  "low": "prefill.tokens_per_s_expected_low",
                  "bound": "prefill.tokens_per_s_max"}
"""The prefill figure ``--min-prefill`` and ``--max-ttft`` are held to, by basis."""


@frozen
class Candidate:
    """One build that meets the target: its cost, its spec tables and its checked report."""

    cost: float
    spec: Mapping[str, Any]
    report: Report
    alternatives: int = 0
    """Builds alike (another board, module brand or PSU, the same platform, CPU, memory size
    and GPUs) that cost at least as much, which this answer stands for (not checked)."""
    changes: tuple[str, ...] = ()
    """Settings the build needs beyond its parts (a system's GPU memory limit raised), each
    with the command that makes it."""
    missing: tuple[str, ...] = ()
    """For a build listed apart: each figure a target needs that is unknown, and why."""


@frozen
class Search:
    """How far the search went: whether it examined every build it needed to, and if not,
    which limit stopped it."""

    complete: bool = True
    """False when a limit stopped the search: a cheaper (or, for ``speed``, faster) build than
    those answered may exist among the builds it did not reach."""
    left: int = 0
    """Builds the search did not reach (neither excluded by a bound nor checked)."""
    examined: int = 0
    """Builds examined: excluded by a bound as the search reached them, or checked."""
    checked: int = 0
    """Builds checked in full."""
    stopped_by: str | None = None
    """The limit that stopped it: ``examined``, ``checked`` or ``seconds``."""
    reached: float | None = None
    """The cost of the dearest build examined: the builds are examined cheapest first, so
    every build not reached costs at least this (None for ``speed``, which goes by speed)."""
    limits: Mapping[str, float] = attrs.field(factory=dict)
    """The limits: ``examined``, ``checked`` (builds) and ``seconds``."""


def _limits(target: Target) -> dict[str, float]:
    return {"examined": target.max_examined, "checked": target.max_checked,
            "seconds": target.max_seconds}


LIMIT_WORDS = {"examined": "{:,} builds examined", "checked": "{:,} builds checked in full",
               "seconds": "{:g} s"}


def search_document(answer: Plan) -> dict[str, Any]:
    """The search's extent for the JSON document: ``{"complete": false, "examined": N,
    "checked": N, "left": N, "stopped_by": "checked", "limits": {...}}``."""
    search = answer.search
    return {"complete": search.complete, "examined": search.examined,
            "checked": search.checked, "left": search.left, "stopped_by": search.stopped_by,
            "reached": search.reached, "limits": dict(search.limits)}


def search_notice(answer: Plan) -> str | None:
    """A line for the text answer when a limit stopped the search, else None."""
    search = answer.search
    if search.complete or search.stopped_by is None:
        return None
    limit = LIMIT_WORDS[search.stopped_by].format(search.limits[search.stopped_by])
    reached = (f" (every build up to {search.reached:,.0f} {answer.currency} was examined, "
               "and those left cost more)" if search.reached is not None else "")
    if answer.target.objective == "cost":
        found = ("these are the cheapest that pass, and more may follow" if answer.candidates
                 else "a dearer build may pass")
    else:
        found = "these are the best found so far, and a faster build may exist"
    return (f"the search stopped at its limit of {limit} with {search.left:,} builds not "
            f"reached{reached}: {found} (narrow the search: --platform, --budget, fewer priced "
            "parts or GPUs)")


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
    search: Search = Search()
    """How far the search went, and the limit that stopped it if one did."""
    undecided: tuple[Candidate, ...] = ()
    """Builds that pass every rule but whose figure for a target (decode, prefill, TTFT, power
    load) is unknown: never candidates, listed apart (cheapest first) with what is missing."""


def load_owned(path: Path) -> tuple[tuple[str, int], ...]:
    """Read the parts already owned: ``parts = ["id", {part = "id", count = 12}, ...]``, catalog
    part ids, each a unit, or a table with how many; the same id twice adds up."""
    data = _read_toml(path, "file of owned parts")
    parts = data.get("parts")
    extra = [k for k in data if k != "parts"]
    expected = (f"{path}: expected one key, parts = [\"part-id\", {{part = \"part-id\", "
                "count = N}, ...]")
    if extra or not isinstance(parts, list):
        raise PlanError(expected)
    owned: list[tuple[str, int]] = []
    for item in parts:
        if isinstance(item, str):
            owned.append((item, 1))
        elif isinstance(item, dict) and set(item) <= {"part", "count"} and isinstance(
                item.get("part"), str) and isinstance(item.get("count", 1), int) and not (
                isinstance(item.get("count"), bool)) and item.get("count", 1) >= 1:
            owned.append((item["part"], int(item.get("count", 1))))
        else:
            raise PlanError(f"{expected}; got {item!r}")
    return _summed(owned)


def _summed(owned: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """Owned units by part id, each id once, in the order first given."""
    total: dict[str, int] = {}
    for part, count in owned:
        total[part] = total.get(part, 0) + count
    return tuple(total.items())


def extend_prices(base: PriceList, extra: PriceList) -> PriceList:
    """``base`` with ``extra``'s prices added (a part both price takes ``extra``'s): a user's
    quotes on top of the reference list. Both must be in one currency."""
    if extra.currency != base.currency:
        raise PlanError(f"cannot extend a price list in {base.currency} with one in "
                        f"{extra.currency}: give every price in one currency")
    source = "; ".join(x for x in (extra.source or "your list", base.source) if x)
    return attrs.evolve(base, prices={**base.prices, **extra.prices}, source=source)


def owned_in_spec(path: Path) -> tuple[tuple[str, int], ...]:
    """The catalog parts a spec file names and how many (its board, CPUs, memory kits, PSU,
    GPUs, system ...): a build already had, for ``--from``. A spec that does not load is a
    ``PlanError`` with its first finding."""
    from hwspec.spec.load import load_text, read_spec

    text = read_spec(path)
    if not isinstance(text, str):
        raise PlanError(f"{path}: {text.message}")
    loaded = load_text(text)
    if loaded.spec is None:
        first = loaded.findings[0] if loaded.findings else None
        where = (f":{first.line}" if first is not None and first.line else "") + (
            f": {first.path}" if first is not None and first.path else "")
        raise PlanError(f"{path}{where}: does not load" + (
            f": {first.message}" if first is not None else ""))
    return _part_counts(loaded.spec)


def _part_counts(spec: Any) -> tuple[tuple[str, int], ...]:
    """Every ``part = "id"`` a spec's tables name, with its ``count`` (1 where it has none)."""
    found: list[tuple[str, int]] = []
    for value in attrs.asdict(spec, recurse=False).values():
        for item in value if isinstance(value, tuple | list) else (value,):
            part = getattr(item, "part", None)
            if isinstance(part, str):
                count = getattr(item, "count", 1)
                found.append((part, int(count) if isinstance(count, int) else 1))
    return _summed(found)


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
    offload: str | None = None
    """``workload.offload`` with GPUs: None for every layer on the GPUs."""


_Option = tuple[CatalogEntry | None, int, float, str | None]
"""A GPU option: the GPU (None for none), how many cards, their cost, and the offload they run
(None: every layer on the GPUs; ``experts-in-ram``: a hybrid)."""


@frozen
class _Population:
    """A balanced memory population: the module, how many kits and modules, and their cost."""

    memory: CatalogEntry
    kits: int
    modules: int
    cost: float


@frozen
class _Seed:
    """A board with the CPUs of one platform it takes: each of these CPUs takes each of these
    memory populations, so a build here is one choice from each list (and a GPU option and a
    PSU), and each list is sorted by cost."""

    board: CatalogEntry
    board_cost: float
    sockets: int
    channels: int
    cpus: tuple[tuple[CatalogEntry, float], ...]
    """The CPUs, each with the cost of one per socket, cheapest first."""
    memory: tuple[_Population, ...]
    """The populations no bound excludes, cheapest first (for ``speed``, fastest bound first)."""
    options: tuple[int, ...] = ()
    """The GPU options the seed's builds take, by their place in the option list."""
    bounds: tuple[float, ...] = ()
    """For ``speed``, each population's decode bound (inf with GPUs): the search's order."""

    def parts(self, cpu: int, memory: int) -> _Parts:
        """The board, CPUs and memory at these places in the lists."""
        (entry, cpus_cost), population = self.cpus[cpu], self.memory[memory]
        return _Parts(self.board, entry, self.sockets, population.memory, population.kits,
                      population.modules, self.board_cost + cpus_cost + population.cost,
                      self.channels)


@attrs.define
class _Budget:
    """What a search may still spend: builds examined, builds checked in full, and time."""

    examined: int
    checks: int
    deadline: float
    stopped_by: str | None = None
    """The limit that stopped the search (a key of ``Search.limits``), or None."""

    def spent(self) -> bool:
        """Whether a limit is reached (and which, recorded once)."""
        if self.stopped_by is None:
            if self.examined <= 0:
                self.stopped_by = "examined"
            elif self.checks <= 0:
                self.stopped_by = "checked"
            elif time.monotonic() > self.deadline:
                self.stopped_by = "seconds"
        return self.stopped_by is not None


def plan_prices(path: Path | None = None, *, extend: bool = False) -> PriceList:
    """The prices a plan uses: the shipped reference list (``search.prices.reference_prices``),
    replaced by the list at ``path`` (or, with ``extend``, with its prices added)."""
    from hwspec.search.prices import reference_prices

    if path is None:
        return reference_prices()
    if extend:
        return extend_prices(reference_prices(), load_prices(path))
    return load_prices(path)


def owned_parts(owned: Path | None = None,
                start: Path | None = None) -> tuple[tuple[str, int], ...]:
    """The parts you have, by id and how many: those the file ``owned`` lists (``--owned``)
    and those of the build ``start`` (``--from``), added up; they go in ``Target.owned``."""
    have = (load_owned(owned) if owned is not None else ()) + (
        owned_in_spec(start) if start is not None else ())
    return _summed(list(have))
