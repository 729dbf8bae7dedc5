"""Laws of the memory figures of issue "every memory system": a unified bus's bandwidth is linear
in its width and speed, a measured bandwidth is used as given, the sustained figure never exceeds
the theoretical one, and a CPU with more CCDs never sustains less."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hwspec.catalog import Catalog, builtin_catalog, entries_from_toml
from hwspec.checker import Checker, Options
from hwspec.formulas import STREAM_EFFICIENCY, ccd_limited_bandwidth_gbs, unified_bandwidth_gbs

widths = st.sampled_from([64, 128, 256, 384, 512, 1024])
speeds = st.floats(1600, 12000)


@given(widths, speeds, st.integers(1, 8))
def test_unified_bandwidth_is_linear_in_bus_width(width: int, mts: float, k: int) -> None:
    assert unified_bandwidth_gbs(width * k, mts) == pytest.approx(
        unified_bandwidth_gbs(width, mts) * k)


@given(widths, speeds, st.floats(0.1, 8))
def test_unified_bandwidth_is_linear_in_speed(width: int, mts: float, k: float) -> None:
    assert unified_bandwidth_gbs(width, mts * k) == pytest.approx(
        unified_bandwidth_gbs(width, mts) * k)


# A user catalog's platform with a per-CCD read limit, so the derive stage's cap is exercised
# end to end (the shipped platforms state it only where a source gives one).
_PLATFORM = textwrap.dedent("""\
    [[platform]]
    id = "test-chiplets"
    name = "A chiplet platform for the laws"
    socket = "testsock"
    max_sockets = 2
    memory_generation = "DDR5"
    channels_per_socket = 12
    module_kinds = ["RDIMM"]
    max_mts_1dpc = 6000
    ccd_read_gbs = {per_ccd}
    source = "https://example.org/laws"
""")


def _checker(per_ccd: float) -> Checker:
    catalog = Catalog(builtin_catalog().entries())
    for entry in entries_from_toml(_PLATFORM.format(per_ccd=per_ccd), "laws.toml"):
        catalog.add(entry)
    return Checker(Options(catalog=catalog))


def _spec(ccds: int, sockets: int, count: int, measured: float | None = None) -> str:
    text = textwrap.dedent(f"""\
        [build]
        name = "laws"
        [cpu]
        name = "A chiplet CPU"
        platform = "test-chiplets"
        count = {sockets}
        ccds = {ccds}
        [[memory]]
        name = "DDR5-6000 RDIMM"
        generation = "DDR5"
        kind = "RDIMM"
        capacity_gib = 32
        speed_mts = 6000
        count = {count}
        """)
    if measured is not None:
        text += f"[measured]\nbandwidth_gbs = {measured!r}\n"
    return text


CHECKERS = {per_ccd: _checker(per_ccd) for per_ccd in (20.0, 45.5, 64.0)}
per_ccds = st.sampled_from(sorted(CHECKERS))
ccd_counts = st.integers(1, 16)
populations = st.sampled_from([(1, 4), (1, 12), (2, 12), (2, 24)])


def _facts(per_ccd: float, ccds: int, population: tuple[int, int],
           measured: float | None = None) -> dict[str, object]:
    sockets, count = population
    report = CHECKERS[per_ccd].check_text(_spec(ccds, sockets, count, measured))
    assert report.spec is not None, report.findings
    return dict(report.facts.by_name)


@settings(max_examples=60, deadline=None)
@given(per_ccds, ccd_counts, populations)
def test_sustained_bandwidth_never_exceeds_theoretical(per_ccd: float, ccds: int,
                                                        population: tuple[int, int]) -> None:
    facts = _facts(per_ccd, ccds, population)
    assert facts["memory.sustained_bandwidth_gbs"] <= facts["memory.bandwidth_gbs"]  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(per_ccds, st.integers(1, 15), populations)
def test_adding_a_ccd_never_lowers_sustained_bandwidth(per_ccd: float, ccds: int,
                                                       population: tuple[int, int]) -> None:
    fewer = _facts(per_ccd, ccds, population)["memory.sustained_bandwidth_gbs"]
    more = _facts(per_ccd, ccds + 1, population)["memory.sustained_bandwidth_gbs"]
    assert more >= fewer  # type: ignore[operator]


@given(st.floats(1, 4000), st.integers(1, 16), st.floats(1, 100))
def test_the_ccd_cap_is_never_above_the_channel_figure(channel: float, ccds: int,
                                                       per_ccd: float) -> None:
    assert ccd_limited_bandwidth_gbs(channel, ccds, per_ccd) <= channel
    assert ccd_limited_bandwidth_gbs(channel, ccds, per_ccd) <= ccds * per_ccd


@settings(max_examples=40, deadline=None)
@given(per_ccds, ccd_counts, populations, st.floats(1, 2000))
def test_a_measured_bandwidth_is_used_as_given(per_ccd: float, ccds: int,
                                               population: tuple[int, int],
                                               measured: float) -> None:
    facts = _facts(per_ccd, ccds, population, measured)
    assert facts["memory.sustained_bandwidth_gbs"] == measured
    assert facts["memory.sustained_basis"] == "measured"


def test_few_ccds_are_named_as_the_limit() -> None:
    facts = _facts(20.0, 2, (1, 12))
    assert facts["memory.sustained_bandwidth_gbs"] == 40.0
    assert facts["memory.sustained_basis"] == "limited by 2 CCDs at 20 GB/s each"


def test_two_sockets_name_the_ccds_of_one_socket() -> None:
    """On two sockets the basis says the CCD count and cap are each socket's, not the build's."""
    facts = _facts(20.0, 2, (2, 24))
    assert facts["memory.sustained_bandwidth_gbs"] == 80.0
    assert facts["memory.sustained_basis"] == (
        "limited by 2 CCDs per socket at 20 GB/s each: 40 GB/s on each of 2 sockets")


@settings(max_examples=40, deadline=None)
@given(per_ccds, ccd_counts)
def test_a_second_socket_doubles_the_ccd_capped_figure(per_ccd: float, ccds: int) -> None:
    """The CCD cap applies per socket: two filled sockets sustain twice what one does."""
    one = _facts(per_ccd, ccds, (1, 12))["memory.sustained_bandwidth_gbs"]
    two = _facts(per_ccd, ccds, (2, 24))["memory.sustained_bandwidth_gbs"]
    assert two == pytest.approx(2 * one)  # type: ignore[operator]


@settings(max_examples=40, deadline=None)
@given(per_ccds, ccd_counts, populations)
def test_the_ccd_cap_never_raises_sustained_above_the_channel_figure(
        per_ccd: float, ccds: int, population: tuple[int, int]) -> None:
    """Whatever the CCDs, derive's sustained figure is at most the channels' STREAM estimate."""
    facts = _facts(per_ccd, ccds, population)
    channels = facts["memory.bandwidth_gbs"] * STREAM_EFFICIENCY  # type: ignore[operator]
    assert facts["memory.sustained_bandwidth_gbs"] <= channels * (1 + 1e-12)  # type: ignore[operator]
