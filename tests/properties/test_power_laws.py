"""Laws of the power figures: adding a part never lowers the load, the peak is never below the
sustained load, and redundancy never raises the usable PSU output."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f
from hwspec.checker import Checker, Options

WATTS = st.integers(min_value=1, max_value=3000)


CHECKER = Checker(Options())


def _facts(text: str):  # type: ignore[no-untyped-def]
    report = CHECKER.check_text(text, path="t.toml")
    assert report.spec is not None, report.findings
    return report.facts


def _spec(cpu_w: int, gpu_w: int, gpu_peak: int | None, drives: list[int]) -> str:
    text = f'[build]\nname = "x"\n[cpu]\nname = "c"\ntdp_w = {cpu_w}\n[[gpu]]\ntdp_w = {gpu_w}\n'
    if gpu_peak is not None:
        text += f"peak_w = {gpu_peak}\n"
    for watts in drives:
        text += f'[[storage]]\nname = "d"\npower_w = {watts}\n'
    return text + '[psu]\ncapacity_w = 1000\natx_version = "3.1"\n'


@given(WATTS, WATTS, st.none() | WATTS, st.lists(WATTS, max_size=3), WATTS)
def test_adding_a_part_never_lowers_the_load(cpu_w: int, gpu_w: int, peak: int | None,
                                             drives: list[int], extra: int) -> None:
    before = _facts(_spec(cpu_w, gpu_w, peak, drives))
    after = _facts(_spec(cpu_w, gpu_w, peak, [*drives, extra]))
    assert after["power.load_w"] >= before["power.load_w"]
    assert after["power.peak_w"] >= before["power.peak_w"]


@given(WATTS, WATTS, st.none() | WATTS, st.lists(WATTS, max_size=3))
def test_the_peak_is_never_below_the_sustained_load(cpu_w: int, gpu_w: int, peak: int | None,
                                                     drives: list[int]) -> None:
    facts = _facts(_spec(cpu_w, gpu_w, peak, drives))
    assert facts["power.peak_w"] >= facts["power.load_w"]


@given(st.floats(min_value=1, max_value=5000), st.integers(min_value=1, max_value=16),
       st.sampled_from(["1+1", "n+1"]))
def test_redundancy_never_raises_the_usable_output(unit_w: float, units: int,
                                                   redundancy: str) -> None:
    assert f.usable_psu_w(unit_w, units, redundancy) <= f.usable_psu_w(unit_w, units, "none")


@given(WATTS, st.none() | WATTS)
def test_a_decoding_draw_is_never_above_the_measured_draw_or_the_limit(
        measured: int, limit: int | None) -> None:
    drawn = f.decode_draw_w(measured, limit)
    assert drawn <= measured
    assert limit is None or drawn <= limit


@given(WATTS, WATTS, WATTS)
def test_a_power_limit_never_raises_the_load_nor_lowers_the_peak(cpu_w: int, gpu_w: int,
                                                                limit: int) -> None:
    """A limit at or below the board power never raises the load and never lowers the peak."""
    limit = min(limit, gpu_w)
    stock = _facts(_spec(cpu_w, gpu_w, None, []))
    limited = _facts(_spec(cpu_w, gpu_w, None, []).replace(
        "[[gpu]]\n", f"[[gpu]]\npower_limit_w = {limit}\n"))
    assert limited["power.load_w"] <= stock["power.load_w"]
    assert limited["power.peak_w"] >= stock["power.peak_w"]
