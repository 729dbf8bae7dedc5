"""Laws of NUMA placement and GPU offload: replicating never lowers the memory needed, a split
bound with one device is the plain bound, and the split bound never beats its fastest device."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hwspec
from hwspec import formulas

DUAL = """
[build]
name = "Dual Turin"
[cpu]
part = "amd-epyc-9655"
count = 2
[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = {modules}
[workload]
model = "{model}"
precision = "{precision}"
context_tokens = {context}
numa = "{numa}"
"""

models = st.sampled_from(["deepseek-r1", "llama-3.1-70b", "qwen3-235b-a22b", "mixtral-8x7b"])
precisions = st.sampled_from(["fp8", "bf16", "q4_k", "q8_0"])


@given(models, precisions, st.integers(1, 131072), st.sampled_from([12, 24]))
def test_replicating_never_lowers_the_memory_needed(model: str, precision: str, context: int,
                                                   modules: int) -> None:
    """replicate-per-socket needs at least the system memory interleave does."""
    def required(numa: str) -> float:
        facts = hwspec.validate(hwspec.loads(DUAL.format(
            modules=modules, model=model, precision=precision, context=context,
            numa=numa))).facts
        assert facts is not None
        value = facts["model.required_gib"]
        assert isinstance(value, float | int)
        return float(value)

    assert required("replicate-per-socket") >= required("interleave")


@given(models, precisions, st.integers(1, 131072))
def test_one_socket_never_decodes_faster_than_both(model: str, precision: str,
                                                   context: int) -> None:
    """Binding to one socket never raises the decode bound above interleaving over two."""
    def bound(numa: str) -> float:
        facts = hwspec.validate(hwspec.loads(DUAL.format(
            modules=24, model=model, precision=precision, context=context, numa=numa))).facts
        assert facts is not None
        value = facts["decode.tokens_per_s_max"]
        assert isinstance(value, float | int)
        return float(value)

    assert bound("single-socket") <= bound("interleave")


bandwidth = st.floats(1, 20_000, allow_nan=False)
size = st.floats(1, 1e12, allow_nan=False)


@given(size, bandwidth)
def test_split_with_one_device_is_the_plain_bound(n_bytes: float, bw: float) -> None:
    """All bytes on one device gives decode_tokens_per_s_max."""
    assert formulas.decode_tokens_per_s_split([(n_bytes, bw)]) == pytest.approx(
        formulas.decode_tokens_per_s_max(bw, n_bytes))


@given(size, size, bandwidth, bandwidth)
def test_split_never_beats_reading_everything_from_the_faster_device(
        first: float, second: float, bw1: float, bw2: float) -> None:
    """Spreading a token's bytes over two memories is no faster than the faster one alone."""
    split = formulas.decode_tokens_per_s_split([(first, bw1), (second, bw2)])

    assert split <= formulas.decode_tokens_per_s_max(max(bw1, bw2), first + second) * (1 + 1e-9)


@given(bandwidth, st.integers(2, 8), st.floats(1, 5_000, allow_nan=False))
def test_interleave_never_beats_the_aggregate(aggregate: float, sockets: int, link: float) -> None:
    """A published socket link can only lower the interleaved bandwidth."""
    assert formulas.numa_interleave_bandwidth_gbs(aggregate, sockets, link) <= aggregate
    assert formulas.numa_interleave_bandwidth_gbs(aggregate, sockets, None) == aggregate


@given(st.floats(1, 1_000, allow_nan=False))
def test_two_sockets_interleave_is_capped_at_four_one_way_links(link: float) -> None:
    """Two sockets reading interleaved pages send a quarter of the aggregate each way over the
    link, so a link-bound pair reads at four times the link's one-way figure."""
    unbounded = 1e9
    assert formulas.numa_interleave_bandwidth_gbs(unbounded, 2, link) == pytest.approx(4 * link)


@given(bandwidth, st.integers(2, 8), st.floats(1, 5_000, allow_nan=False),
       st.floats(1, 5_000, allow_nan=False))
def test_a_faster_socket_link_never_lowers_interleave(aggregate: float, sockets: int,
                                                      link: float, faster: float) -> None:
    """Interleaved bandwidth is monotone in the socket link's bandwidth."""
    slow, fast = sorted((link, faster))
    assert formulas.numa_interleave_bandwidth_gbs(aggregate, sockets, slow) <= (
        formulas.numa_interleave_bandwidth_gbs(aggregate, sockets, fast))


def test_no_bytes_cost_no_time() -> None:
    """A device with nothing to read adds nothing: the bound is infinite only with no bytes."""
    assert (formulas.decode_tokens_per_s_split([(0, 100)]),
            formulas.decode_tokens_per_s_split([(0, 100), (1e9, 100)])) == (math.inf, 100)
