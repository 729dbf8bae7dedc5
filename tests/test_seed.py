"""The seed build and its fix: the figures and findings the project promises for them."""

from __future__ import annotations

import json
import textwrap

import pytest
from tests.conftest import SPECS, invoke

from hwspec.checker import Checker

GENOA_2DPC = textwrap.dedent("""
    [build]
    name = "2DPC Genoa"
    [board]
    part = "gigabyte-mz33-ar0"
    [cpu]
    part = "amd-epyc-9654"
    [[memory]]
    part = "kingston-ksm48r40bd8-32ha"
    count = 24
""")
"""24 DDR5-4800 RDIMMs on a one-socket, 12-channel Genoa board: two DIMMs per channel."""


def _run(*args: str) -> tuple[int, str]:
    result = invoke(list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seed_json() -> dict[str, object]:
    """The seed build's JSON report."""
    code, out = _run("validate", "--format", "json", str(SPECS / "epyc-dual.toml"))
    assert code == 1, out
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ("memory.modules", 24),
        ("memory.capacity_gib", 768),
        ("memory.channels", 24),
        ("memory.dimms_per_channel", 1),
        ("memory.effective_mts", 6000),
        ("memory.bandwidth_gbs", 1152),
        ("memory.bandwidth_per_socket_gbs", 576),
        ("model.weights_gb", 671),
        ("cost.total", 128445),
        ("power.cpu_w", 800),
        ("power.psu_w", 1200),
    ],
)
def test_seed_fact(seed_json: dict[str, object], fact: str, expected: float) -> None:
    """The seed build's JSON report carries the figures the post should have computed."""
    facts = seed_json["files"][0]["facts"]  # type: ignore[index]

    assert expected == facts[fact]


def test_seed_weights_gib(seed_json: dict[str, object]) -> None:
    """671B parameters at FP8 are 624.9 GiB."""
    facts = seed_json["files"][0]["facts"]  # type: ignore[index]

    assert round(facts["model.weights_gib"], 1) == 624.9


def test_seed_mem001_blames_memory_kind_line(seed_json: dict[str, object]) -> None:
    """The UDIMM kit is a MEM001 error on memory[0].kind, at the line of its part id."""
    findings = seed_json["files"][0]["findings"]  # type: ignore[index]
    mem001 = [f for f in findings if f["rule"] == "MEM001"]
    line = next(i for i, text in enumerate((SPECS / "epyc-dual.toml").read_text().splitlines(), 1)
                if "corsair-vengeance" in text)

    assert [("error", "memory[0].kind", line)] == [
        (f["severity"], f["path"], f["line"]) for f in mem001
    ]


def test_seed_power_estimate_names_what_it_leaves_out(seed_json: dict[str, object]) -> None:
    """The power estimate lists every fitted part it has no figure for: only the case, which
    states no fans; memory, drive, board and cooling count at class figures."""
    facts = seed_json["files"][0]["facts"]  # type: ignore[index]

    assert facts["power.uncounted"] == ["case"]
    assert [item.split(":")[0] for item in facts["power.assumed"]] == [
        "memory[0]", "storage[0]", "board", "cooling"]


def test_seed_counts_its_memory_board_and_fans(seed_json: dict[str, object]) -> None:
    """2 x 400 W EPYC 9655 + 24 UDIMMs x 5 W (Crucial's rule) + an NVMe drive at 11 W (SNIA's
    M.2 top) + a server board at 36 W + 2 fans (one per CPU) x 16.8 W = 1,000.6 W: 83 % of the
    1,200 W PSU, over PWR001's 80 %."""
    facts = seed_json["files"][0]["facts"]  # type: ignore[index]
    findings = seed_json["files"][0]["findings"]  # type: ignore[index]

    assert (facts["power.memory_w"], facts["power.board_w"], facts["power.cooling_w"]) == (
        120, 36, 33.6)
    assert facts["power.load_w"] == pytest.approx(1000.6)
    assert [f["severity"] for f in findings if f["rule"] == "PWR001"] == ["error"]


def test_fixed_seed_passes() -> None:
    """The corrected build exits 0."""
    code, out = _run("validate", str(SPECS / "epyc-dual-fixed.toml"))

    assert code == 0, out


def test_two_dimms_per_channel_on_one_genoa_socket() -> None:
    """24 DIMMs on a one-socket 12-channel Genoa board run 2DPC at the board's 2DPC speed."""
    report = Checker().check_text(GENOA_2DPC)
    assert report.spec is not None
    facts = report.facts.by_name

    assert (
        facts["memory.dimms_per_channel"],
        facts["memory.effective_mts"],
        [f.rule for f in report.findings if f.severity == "warning" and f.rule.startswith("MEM")],
    ) == (2, 3600, ["MEM005"])


def test_mem005_message_says_rated_and_effective() -> None:
    """MEM005 says the rated and the derated speed, the population and the platform."""
    report = Checker().check_text(GENOA_2DPC)

    assert [
        f.message for f in report.findings if f.rule == "MEM005"
    ] == ["DDR5-4800 runs at 3600 MT/s with 2 DIMMs per channel on sp5-genoa (published by board "
          "Gigabyte MZ33-AR0 (rev. 1.x/3.x) for 2 DIMMs per channel)"]
