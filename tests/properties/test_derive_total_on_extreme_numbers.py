"""Law: derive is total on extreme but positive numbers. Whatever a structurally valid spec's
positive figures are, tiny (1e-300, or 5e-324, the least float) or huge (1e300), derive returns
facts and never raises: every division it makes is guarded where it is made.

The extremes are put into loaded specs with ``attrs.evolve`` and the spec's validators off,
past the plausible ranges loading checks, so the law holds for derive itself."""

from __future__ import annotations

import textwrap
from typing import Any

import attrs
from hypothesis import example, given
from hypothesis import strategies as st
from tests.conftest import SPECS

import hwspec
from hwspec import formulas as f
from hwspec.catalog import builtin_catalog
from hwspec.facts import derive
from hwspec.resolve import resolve

EXTREMES = (1e-300, 5e-324, 1e300)

SERVER = textwrap.dedent("""\
    [build]
    name = "Every figure inline"
    budget = 10000
    quoted_total = 9000

    [cpu]
    name = "A Turin part"
    platform = "sp5-turin"
    count = 2
    cores = 64
    ccds = 8
    base_ghz = 2.5
    tdp_w = 400
    max_mts = 6000
    price = 5000

    [board]
    name = "A two-socket board"
    socket = "sp5"
    sockets = 2
    dimm_slots = 24
    channels_per_socket = 12
    max_mts_1dpc = 6000
    max_mts_2dpc = 4400
    power_w = 40

    [[memory]]
    name = "RDIMM"
    generation = "DDR5"
    kind = "RDIMM"
    capacity_gib = 64
    speed_mts = 6400
    power_w = 10
    count = 24
    price = 300

    [psu]
    name = "PSU"
    capacity_w = 2000
    peak_w = 3000
    rating = "80 PLUS Titanium"
    count = 2
    redundancy = "1+1"
    pcie_connectors = 4

    [[gpu]]
    name = "A card"
    vram_gib = 24
    bandwidth_gbs = 936
    tdp_w = 350
    fp16_tensor_tflops = 71
    pcie_gen = 4
    pcie_lanes = 16
    pcie_connectors = 2
    count = 2

    [[storage]]
    name = "NVMe"
    kind = "nvme"
    capacity_tb = 2
    power_w = 8

    [measured]
    bandwidth_gbs = 800

    [workload]
    precision = "q4_k_m"
    context_tokens = 32768
    offload = "experts-in-ram"
    min_decode_tokens_per_s = 10
    electricity_price = 0.3

    [workload.arch]
    name = "A mixture of experts"
    params_b = 671
    expert_params_b = 650
    experts = 256
    experts_per_token = 8
    layers = 61
    attention = "mla"
    kv_lora_rank = 512
    rope_head_dim = 64
    heads = 128
    head_dim = 192
    """)

SYSTEM = textwrap.dedent("""\
    [build]
    name = "A whole machine"

    [system]
    name = "Unified-memory box"
    memory_gib = 128
    bus_width_bits = 256
    speed_mts = 8000
    bandwidth_gbs = 256
    gpu_memory_share = 0.5
    gpu_fp16_tflops = 59
    max_power_w = 200

    [workload]
    model = "llama-3.1-8b"
    precision = "q4_k_m"
    context_tokens = 4096
    electricity_price = 0.3
    """)

BASES = [SERVER, SYSTEM, *(p.read_text(encoding="utf-8") for p in sorted(SPECS.glob("*.toml")))]
CATALOG = builtin_catalog()


def _positive(field: attrs.Attribute[Any]) -> bool:
    return "Positive" in str(field.type) or "NonNegative" in str(field.type)


def _extreme(draw: st.DrawFn, obj: Any) -> Any:
    """The spec with each positive figure (given or not) left alone or made extreme."""
    if isinstance(obj, tuple):
        return tuple(_extreme(draw, item) for item in obj)
    if not attrs.has(type(obj)):
        return obj
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        if _positive(field) and not isinstance(value, bool):
            changes[field.alias or field.name] = draw(st.sampled_from((value, *EXTREMES)))
        elif attrs.has(type(value)) or isinstance(value, tuple):
            changes[field.alias or field.name] = _extreme(draw, value)
    with attrs.validators.disabled():
        return attrs.evolve(obj, **changes)


@st.composite
def extreme_specs(draw: st.DrawFn) -> Any:
    """A loaded spec whose positive figures are drawn from as given, 1e-300, 5e-324 and 1e300."""
    return _extreme(draw, hwspec.loads(draw(st.sampled_from(BASES))))


def _everything_extreme(value: float) -> Any:
    """The server base with every positive figure set to one value."""
    def fill(obj: Any) -> Any:
        if isinstance(obj, tuple):
            return tuple(fill(item) for item in obj)
        if not attrs.has(type(obj)):
            return obj
        with attrs.validators.disabled():
            return attrs.evolve(obj, **{
                (f.alias or f.name): value if _positive(f) else fill(getattr(obj, f.name))
                for f in attrs.fields(type(obj))
                if _positive(f) or attrs.has(type(getattr(obj, f.name)))
                or isinstance(getattr(obj, f.name), tuple)})
    return fill(hwspec.loads(SERVER))


@given(extreme_specs())
@example(_everything_extreme(5e-324))
@example(_everything_extreme(1e-300))
@example(_everything_extreme(1e300))
def test_derive_never_raises_on_extreme_positive_figures(spec: Any) -> None:
    """Derive returns the build's facts for any mix of tiny and huge positive figures."""
    with attrs.validators.disabled():  # resolving checks the merged parts' ranges again
        build, _ = resolve(spec, CATALOG)

    assert derive(build).build is build


def test_bytes_at_no_bandwidth_bound_decode_at_zero() -> None:
    """A read at a bandwidth that underflowed to 0 GB/s takes forever: 0 tokens/s, no error."""
    assert f.decode_tokens_per_s_split([(1e9, 0.0), (1e9, 100.0)]) == 0.0


def test_a_card_at_no_bandwidth_makes_a_layer_split_zero() -> None:
    """Under a layer split every card takes its turn, so one at 0 GB/s stops the token."""
    assert f.layer_split_bandwidth_gbs([(0.5, 0.0), (0.5, 936.0)]) == 0.0


def test_weights_on_a_device_at_no_rate_bound_prefill_at_zero() -> None:
    """Parameters computed at 0 TFLOPS take forever: the prefill bound is 0 tokens/s."""
    assert f.prefill_tokens_per_s_max([(8.0, 0.0)]) == 0.0


def test_nothing_to_copy_sets_no_link_bound() -> None:
    """With no weights in system memory the PCIe link bounds nothing: infinite tokens/s."""
    assert f.offload_prefill_tokens_per_s_max(512, 0.0, 25.0) == float("inf")
