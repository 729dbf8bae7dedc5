"""The spec: attrs classes that mirror the TOML a user writes, and nothing computed.

Every part table may name a catalog part (``part = "amd-epyc-9655"``) and override any field inline,
or declare the part wholly inline with ``name`` and the fields it knows. The same classes hold the
resolved parts after the catalog has filled them in (see ``_build``), so a field means one thing
everywhere.

Field validators only guard what no spec could legitimately violate (a count is a whole number of
at least one, a capacity is a finite positive number); whether a build is sensible is for rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NewType

from attrs import field, frozen
from attrs.validators import optional

from hwspec._vocab import ATTENTION_KINDS, KV_PRECISIONS, MODULE_KINDS, PRECISIONS

Count = NewType("Count", int)
"""A whole number of at least 1 (modules, sockets, units bought)."""

Positive = NewType("Positive", float)
"""A finite number greater than 0 (capacities, speeds, prices, watts)."""

NonNegative = NewType("NonNegative", float)
"""A finite number of at least 0."""

ModuleKind = NewType("ModuleKind", str)
Precision = NewType("Precision", str)
KvPrecision = NewType("KvPrecision", str)
AttentionKind = NewType("AttentionKind", str)
ParamValue = NewType("ParamValue", object)
"""A rule parameter value: a number, a boolean or a string."""


def check_count(value: object) -> int:
    """Return value if it is a whole number >= 1, else raise ValueError saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {describe(value)}")
    if value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {value}")
    return value


def check_positive(value: object) -> float:
    """Return value if it is a finite number > 0, else raise saying what was expected."""
    number = _check_number(value)
    if number <= 0:
        raise ValueError(f"expected a number greater than 0, got {value!r}")
    return value  # type: ignore[return-value]  # keep int as int for round trips


def check_non_negative(value: object) -> float:
    """Return value if it is a finite number >= 0, else raise saying what was expected."""
    number = _check_number(value)
    if number < 0:
        raise ValueError(f"expected a number of at least 0, got {value!r}")
    return value  # type: ignore[return-value]


def _check_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def check_choice(value: object, choices: tuple[str, ...], what: str) -> str:
    """Return value if it is one of choices, else raise with the choices and a did-you-mean."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    if value in choices:
        return value
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered:
        raise ValueError(
            f"{value!r} is not one of {', '.join(choices)}; did you mean {lowered[value.lower()]!r}?"
        )
    raise ValueError(f"{value!r} is not a known {what}; expected one of {', '.join(choices)}"
                     + did_you_mean(value, choices))


def did_you_mean(word: str, candidates: object) -> str:
    """A '; did you mean ...?' suffix naming the closest candidate, or '' when none is close."""
    import difflib

    names = [c for c in candidates if isinstance(c, str)]  # type: ignore[attr-defined]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe(value: object) -> str:
    """Name a TOML value's type the way a spec author thinks of it, with the value."""
    kind = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def _validator(check: Callable[[object], object]) -> Callable[[object, object, object], None]:
    """An attrs validator running one of the checks above on a field's value."""

    def validate(_instance: object, _attribute: object, value: object) -> None:
        check(value)

    return validate


_count = _validator(check_count)
_opt_count = optional(_validator(check_count))
_opt_positive = optional(_validator(check_positive))
_opt_non_negative = optional(_validator(check_non_negative))


@frozen
class BuildInfo:
    """The ``[build]`` table: what the build is called, its currency and budget."""

    name: str
    currency: str = "USD"
    budget: Positive | None = field(default=None, validator=_opt_positive)
    quoted_total: Positive | None = field(default=None, validator=_opt_positive)
    """The total a quote or write-up states for the bill, to be checked against its lines."""


@frozen
class Board:
    """The ``[board]`` table: a motherboard, by catalog id or inline."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    socket: str | None = None
    platforms: tuple[str, ...] | None = None
    sockets: Count | None = field(default=None, validator=_opt_count)
    dimm_slots: Count | None = field(default=None, validator=_opt_count)
    channels_per_socket: Count | None = field(default=None, validator=_opt_count)
    form_factor: str | None = None
    eps_connectors: Count | None = field(default=None, validator=_opt_count)
    max_mts_1dpc: Positive | None = field(default=None, validator=_opt_positive)
    max_mts_2dpc: Positive | None = field(default=None, validator=_opt_positive)
    power_w: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Cpu:
    """The ``[cpu]`` table: the processor model and how many are fitted."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    count: Count = field(default=1, validator=_count)
    socket: str | None = None
    platform: str | None = None
    cores: Count | None = field(default=None, validator=_opt_count)
    threads: Count | None = field(default=None, validator=_opt_count)
    base_ghz: Positive | None = field(default=None, validator=_opt_positive)
    boost_ghz: Positive | None = field(default=None, validator=_opt_positive)
    tdp_w: Positive | None = field(default=None, validator=_opt_positive)
    max_sockets: Count | None = field(default=None, validator=_opt_count)
    memory_channels: Count | None = field(default=None, validator=_opt_count)
    max_mts: Positive | None = field(default=None, validator=_opt_positive)
    l3_mib: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Memory:
    """One ``[[memory]]`` entry: a module or a kit of identical modules, and how many were bought."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    count: Count = field(default=1, validator=_count)
    generation: str | None = None
    kind: ModuleKind | None = None
    ecc: bool | None = None
    capacity_gib: Positive | None = field(default=None, validator=_opt_positive)
    speed_mts: Positive | None = field(default=None, validator=_opt_positive)
    modules_per_kit: Count | None = field(default=None, validator=_opt_count)
    ranks: Count | None = field(default=None, validator=_opt_count)
    power_w: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Psu:
    """The ``[psu]`` table: the power supply."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    capacity_w: Positive | None = field(default=None, validator=_opt_positive)
    rating: str | None = None
    eps_connectors: Count | None = field(default=None, validator=_opt_count)
    atx_version: str | None = None
    form_factor: str | None = None


@frozen
class Gpu:
    """One ``[[gpu]]`` entry: an accelerator model and how many are fitted."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    count: Count = field(default=1, validator=_count)
    vram_gib: Positive | None = field(default=None, validator=_opt_positive)
    memory_type: str | None = None
    bandwidth_gbs: Positive | None = field(default=None, validator=_opt_positive)
    tdp_w: Positive | None = field(default=None, validator=_opt_positive)
    fp16_tensor_tflops: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Storage:
    """One ``[[storage]]`` entry: a drive model and how many are fitted."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    count: Count = field(default=1, validator=_count)
    kind: str | None = None
    capacity_tb: Positive | None = field(default=None, validator=_opt_positive)
    power_w: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Case:
    """The ``[case]`` table: the chassis."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    form_factors: tuple[str, ...] | None = None
    power_w: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class Cooling:
    """The ``[cooling]`` table: coolers and fans, priced as one line."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = field(default=None, validator=_opt_positive)
    power_w: Positive | None = field(default=None, validator=_opt_positive)


@frozen
class ModelArch:
    """A model's architecture: from the catalog (``workload.model``) or inline (``[workload.arch]``)."""

    name: str | None = None
    params_b: Positive | None = field(default=None, validator=_opt_positive)
    active_params_b: Positive | None = field(default=None, validator=_opt_positive)
    layers: Count | None = field(default=None, validator=_opt_count)
    hidden_size: Count | None = field(default=None, validator=_opt_count)
    attention: AttentionKind | None = None
    heads: Count | None = field(default=None, validator=_opt_count)
    kv_heads: Count | None = field(default=None, validator=_opt_count)
    head_dim: Count | None = field(default=None, validator=_opt_count)
    v_head_dim: Count | None = field(default=None, validator=_opt_count)
    kv_lora_rank: Count | None = field(default=None, validator=_opt_count)
    rope_head_dim: Count | None = field(default=None, validator=_opt_count)
    sliding_window: Count | None = field(default=None, validator=_opt_count)
    experts: Count | None = field(default=None, validator=_opt_count)
    experts_per_token: Count | None = field(default=None, validator=_opt_count)
    native_precision: str | None = None
    max_context_tokens: Count | None = field(default=None, validator=_opt_count)


@frozen
class Workload:
    """The ``[workload]`` table: which model runs, at what precision, context and batch."""

    model: str | None = None
    arch: ModelArch | None = None
    precision: Precision | None = None
    bits_per_weight: Positive | None = field(default=None, validator=_opt_positive)
    kv_precision: KvPrecision | None = None
    context_tokens: Count | None = field(default=None, validator=_opt_count)
    batch: Count = field(default=1, validator=_count)
    min_decode_tokens_per_s: Positive | None = field(default=None, validator=_opt_positive)
    overhead_gib: NonNegative | None = field(default=None, validator=_opt_non_negative)


@frozen
class IgnoreEntry:
    """One entry of ``[checks] ignore``: a rule id or name, and why it is silenced."""

    rule: str
    reason: str | None = None


@frozen
class Checks:
    """The ``[checks]`` table: per-spec rule ignores and parameter overrides."""

    ignore: tuple[IgnoreEntry, ...] = ()
    params: dict[str, ParamValue] = field(factory=dict)


@frozen
class Spec:
    """A whole build as written in its TOML file."""

    build: BuildInfo
    board: Board | None = None
    cpu: Cpu | None = None
    memory: tuple[Memory, ...] = ()
    psu: Psu | None = None
    gpu: tuple[Gpu, ...] = ()
    storage: tuple[Storage, ...] = ()
    case: Case | None = None
    cooling: Cooling | None = None
    workload: Workload | None = None
    checks: Checks = field(factory=Checks)


CHOICES: dict[object, tuple[tuple[str, ...], str]] = {
    ModuleKind: (MODULE_KINDS, "module kind"),
    Precision: (PRECISIONS, "precision"),
    KvPrecision: (KV_PRECISIONS, "KV-cache precision"),
    AttentionKind: (ATTENTION_KINDS, "attention kind"),
}
"""Closed-vocabulary string fields and the words they take."""

PART_CLASSES: dict[str, type] = {
    "board": Board,
    "cpu": Cpu,
    "memory": Memory,
    "psu": Psu,
    "gpu": Gpu,
    "storage": Storage,
    "case": Case,
    "cooling": Cooling,
}
"""Spec tables that hold parts, by catalog kind."""
