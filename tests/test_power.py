"""Power: every part counted (own figure, catalog class figure, or named), PSU sets by their
redundancy, peaks against the PSU's excursion limit, GPU cables, wall power and running cost."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SPECS, invoke

from hwspec.catalog import load_catalog
from hwspec.checker import Checker, Options

POWER_CLASS = '''
[[power]]
id = "test-ddr5-rdimm"
name = "DDR5 RDIMM (test)"
part = "memory"
confidence = "low"
match = { generation = "DDR5", kind = ["RDIMM", "3DS-RDIMM"], capacity_gib_max = 64 }
power_w = 10
source = "https://example.org/ddr5-rdimm-power"
'''


def _facts(text: str, catalog=None):  # type: ignore[no-untyped-def]
    report = Checker(Options(catalog=catalog)).check_text(text, path="t.toml")
    assert report.spec is not None, report.findings
    return report.facts


def test_a_1_plus_1_pair_counts_once() -> None:
    """Two 1,200 W modules in 1+1 offer 1,200 W; without redundancy they offer 2,400 W."""
    base = '[build]\nname = "x"\n[psu]\ncapacity_w = 1200\ncount = 2\n'
    pair = _facts(base + 'redundancy = "1+1"\n')
    separate = _facts(base)
    assert (pair["power.psu_w"], separate["power.psu_w"]) == (1200, 2400)


def test_a_class_figure_counts_memory_and_is_named(tmp_path: Path) -> None:
    """Memory with no power_w takes a matching [[power]] class figure, named in power.assumed;
    a team's class wins over a built-in one that says as much about the part."""
    (tmp_path / "power.toml").write_text(POWER_CLASS)
    catalog = load_catalog([tmp_path / "power.toml"])
    facts = _facts('[build]\nname = "x"\n[cpu]\npart = "amd-epyc-9655"\n[[memory]]\n'
                   'part = "micron-mtc20f2085s1rc64br"\ncount = 12\n[psu]\ncapacity_w = 2000\n',
                   catalog)
    assert (facts["power.memory_w"], facts["power.load_w"], facts["power.uncounted"]) == (
        120, 520, ())
    assert facts["power.assumed"][0].startswith("memory[0]: 12 x 10 W, DDR5 RDIMM (test) (low")


def test_a_class_never_matches_a_part_outside_its_bounds(tmp_path: Path) -> None:
    """A 256 GB module is outside capacity_gib_max = 64 (and the built-in DDR5 RDIMM class's
    128): it stays uncounted."""
    (tmp_path / "power.toml").write_text(POWER_CLASS)
    catalog = load_catalog([tmp_path / "power.toml"])
    facts = _facts('[build]\nname = "x"\n[[memory]]\nname = "big"\ngeneration = "DDR5"\n'
                   'kind = "RDIMM"\ncapacity_gib = 256\npower_w = 1\n[[memory]]\nname = "b"\n'
                   'generation = "DDR5"\nkind = "RDIMM"\ncapacity_gib = 256\n', catalog)
    assert facts["power.uncounted"] == ("memory[1]",)


def test_the_peak_follows_the_psus_atx_version() -> None:
    """An ATX 3.1 unit with a 12V-2x6 cable takes 180 % for 1 ms; an ATX 2.x unit its rating."""
    base = '[build]\nname = "x"\n[[gpu]]\ntdp_w = 450\npeak_w = 600\n[psu]\ncapacity_w = 1000\n'
    atx3 = _facts(base + 'atx_version = "3.1"\nhpwr_connectors = 1\n')
    atx2 = _facts(base + 'atx_version = "2.52"\n')
    assert (atx3["power.psu_peak_w"], atx2["power.psu_peak_w"], atx3["power.peak_w"]) == (
        1800, 1000, 600)


def test_12v_2x6_inputs_without_a_cable_take_an_adapter() -> None:
    """Two 575 W cards and one 12V-2x6 cable: the second card needs four 8-pin cables."""
    facts = _facts('[build]\nname = "x"\n[[gpu]]\ncount = 2\ntdp_w = 575\npcie_connectors = 0\n'
                   'hpwr_connectors = 1\n[psu]\ncapacity_w = 1600\npcie_connectors = 2\n'
                   'hpwr_connectors = 1\n')
    assert (facts["power.pcie_needed"], facts["power.pcie_short"]) == (4, 2)


def test_wall_power_and_running_cost() -> None:
    """1,000 W on a 2,000 W Gold unit (50 % load, 90 %) draws 1,111 W: 8 a day at 0.30/kWh."""
    facts = _facts('[build]\nname = "x"\n[cpu]\nname = "c"\ntdp_w = 1000\n[psu]\n'
                   'capacity_w = 2000\nrating = "80 PLUS Gold"\n[workload]\n'
                   'electricity_price = 0.30\n')
    assert (round(facts["power.wall_w"]), round(facts["cost.electricity_per_day"], 2)) == (
        1111, 8.0)


QUAD_3090 = '''
[build]
name = "Four RTX 3090s on one 1,600 W PSU"
[cpu]
name = "Threadripper PRO"
tdp_w = 280
[[gpu]]
name = "RTX 3090"
count = 4
tdp_w = 350
peak_w = 520
[psu]
name = "1,600 W ATX 2.x PSU"
capacity_w = 1600
rating = "80 PLUS Titanium"
[workload]
electricity_price = 0.30
'''


def test_the_text_view_shows_peak_wall_and_running_cost() -> None:
    """The power row carries the peak (4 x 520 + 280 = 2,360 W) against what the PSU takes
    for 1 ms (an ATX 2.x unit: its rating), the wall draw, and the running cost per day."""
    from hwspec.output import RenderOptions, reporter

    report = Checker().check_text(QUAD_3090, path="quad.toml")
    lines = reporter("text")([report], RenderOptions()).splitlines()
    power = next(line for line in lines if line.startswith("  power "))
    running = next(line for line in lines if line.startswith("  running "))
    assert "1,680 W estimated on a 1,600 W PSU (105%), 2,360 W peak (the PSU takes 1,600 W)" in (
        power)
    assert running.split(", ")[0].endswith("USD per day")


def test_the_report_splits_the_load_by_part_group() -> None:
    """The report's power bars are one per group, CPUs then GPUs, and sum to the load."""
    from hwspec.views.report import build_report

    power = build_report(Checker().check_text(QUAD_3090, path="quad.toml")).power
    assert power is not None
    assert power.parts == (("CPUs", 280.0), ("GPUs", 1400.0))
    assert (power.peak_w, power.psu_peak_w, power.unassigned_w) == (2360.0, 1600.0, 0.0)


def test_a_user_catalog_with_several_power_classes_loads(tmp_path: Path) -> None:
    """Each [[power]] entry is checked alike: the second no longer fails on a structuring path
    the first left half-built."""
    from hwspec.catalog.user import load_user_catalog

    second = POWER_CLASS.replace("test-ddr5-rdimm", "test-ddr5-rdimm-large").replace(
        "capacity_gib_max = 64", "capacity_gib_min = 96").replace("power_w = 10", "power_w = 14")
    (tmp_path / "power.toml").write_text(POWER_CLASS + second)
    catalog = load_user_catalog([tmp_path / "power.toml"])
    assert {e.id for e in catalog.entries("power")} >= {"test-ddr5-rdimm",
                                                         "test-ddr5-rdimm-large"}


def test_a_load_just_over_the_limit_shows_a_share_above_it() -> None:
    """PWR001's message shows the load's share finely enough that a failing load never reads as
    the limit itself (70.04 %, not 70 %, against a 70 % limit)."""
    result = invoke(["validate", "--ignore", "MEM004", "--param", "psu_max_load=0.7",
                     str(SPECS / "epyc-dual-fixed.toml")])

    assert "is 70.04% of the 1,600 W PSU (limit 70%)" in result.output


LIMITED = '''
[build]
name = "Two 3090s limited to 280 W"
[cpu]
name = "c"
tdp_w = 100
[[gpu]]
name = "RTX 3090"
count = 2
tdp_w = 350
peak_w = 500
decode_power_w = 333
power_limit_w = 280
[psu]
capacity_w = 1600
rating = "80 PLUS Gold"
[workload]
electricity_price = 0.30
'''


def test_a_power_limit_sets_the_cards_sustained_load() -> None:
    """Two cards limited to 280 W count 560 W in the load, not 2 x 350 W: 100 + 560 = 660 W."""
    facts = _facts(LIMITED)
    assert (facts["power.gpu_w"], facts["power.load_w"]) == (560, 660)


def test_a_power_limit_keeps_the_measured_peak_and_says_why() -> None:
    """No public measurement shows a lower limit scaling a card's transients, so the peak keeps
    each card's measured 500 W (100 + 2 x 500 = 1,100 W) and the caveat says so."""
    facts = _facts(LIMITED)
    assert (facts["power.peak_w"], facts["power.peak_limit_kept"]) == (1100, True)
    assert facts["power.peak_basis"] == (
        "gpu[0] (RTX 3090) at its stock peak 500 W: no public measurement shows how a lower "
        "power limit scales a card's transients")


def test_a_card_without_a_measured_peak_keeps_its_board_power_as_its_peak() -> None:
    """A limited card with no peak_w peaks at its 350 W board power, not at its 280 W limit."""
    facts = _facts(LIMITED.replace("peak_w = 500\n", ""))
    assert facts["power.peak_w"] == 100 + 2 * 350


def test_the_limits_are_named_with_the_board_power_they_replace() -> None:
    """power.gpu_limits names each limited entry, its limit per card and its board power."""
    assert _facts(LIMITED)["power.gpu_limits"] == (
        "gpu[0]: 2 x 280 W RTX 3090 (board power 350 W)",)


def test_the_decoding_draw_caps_a_measured_draw_at_the_limit() -> None:
    """A card measured at 333 W while decoding draws no more than its 280 W limit: 100 W of CPU
    (at its load figure) + 2 x 280 W = 660 W, and the basis says which parts were measured."""
    facts = _facts(LIMITED)
    assert (facts["power.decode_draw_w"], facts["power.decode_partly_sustained"]) == (660, True)
    assert facts["power.decode_basis"].startswith(
        "gpu[0] (RTX 3090): 2 x 280 W, its power limit, below the 333 W measured while "
        "decoding")


def test_running_cost_uses_the_decoding_draw_and_says_so() -> None:
    """With a measured decoding draw the cost counts it at the wall, not the sustained load."""
    facts = _facts(LIMITED.replace("power_limit_w = 280\n", ""))
    assert facts["power.decode_draw_w"] == 100 + 2 * 333
    assert facts["cost.electricity_basis"] == (
        "the draw while decoding, at the wall (power.decode_wall_w)")
    assert round(facts["cost.electricity_per_day"], 4) == round(
        facts["power.decode_wall_w"] / 1000 * 24 * 0.30, 4)


def test_an_unmeasured_card_leaves_the_decoding_draw_unknown_and_named() -> None:
    """A card with no decode_power_w leaves power.decode_draw_w unknown; the cost falls back to
    the sustained load and names the card that has no figure."""
    facts = _facts(LIMITED.replace("decode_power_w = 333\n", ""))
    assert "power.decode_draw_w" not in facts
    assert facts["cost.electricity_basis"] == (
        "the sustained load at the wall (power.wall_w); the draw while decoding is unknown: no "
        "measured draw while decoding for gpu[0] (RTX 3090) (give decode_power_w)")


def test_a_system_counts_its_measured_decoding_draw() -> None:
    """The Mac Studio M3 Ultra 512 GB decodes DeepSeek-R1 under 200 W against a 270 W maximum."""
    facts = _facts((SPECS / "apple-m3-ultra.toml").read_text(encoding="utf-8"))
    assert (facts["power.load_w"], facts["power.decode_draw_w"]) == (270, 200)


def test_pwr007_blames_a_limit_above_the_cards_maximum() -> None:
    """A 450 W limit on a 350 W card with no higher maximum fails PWR007 at its key path; a
    max_power_limit_w of 450 W lets it pass."""
    text = LIMITED.replace("power_limit_w = 280", "power_limit_w = 450")
    findings = Checker().check_text(text, path="t.toml").findings
    assert [(f.rule, f.path) for f in findings if f.rule == "PWR007"] == [
        ("PWR007", "gpu[0].power_limit_w")]
    raised = text.replace("tdp_w = 350\n", "tdp_w = 350\nmax_power_limit_w = 450\n")
    assert not [f for f in Checker().check_text(raised, path="t.toml").findings
                if f.rule == "PWR007"]


def test_a_power_limit_that_is_not_positive_is_refused_where_it_is_written() -> None:
    """power_limit_w = 0 is SPEC002 at gpu[0].power_limit_w with the value shown, and a
    misspelt key gets a did-you-mean."""
    zero = Checker().check_text('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-3090"\n'
                                "power_limit_w = 0\n", path="t.toml")
    assert [(f.rule, f.path, f.message) for f in zero.findings] == [
        ("SPEC002", "gpu[0].power_limit_w", "expected a number greater than 0, got 0")]
    typo = Checker().check_text('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-3090"\n'
                                "power_limt_w = 280\n", path="t.toml")
    assert [f.message for f in typo.findings] == [
        "unknown key 'power_limt_w'; did you mean 'power_limit_w'?"]


def test_a_gpu_with_no_measured_peak_makes_the_peak_a_named_lower_bound() -> None:
    """A catalog RTX 3090 has no measured transient: the peak counts it at board power and says
    the figure is a lower bound, naming the card and the key that would supply its peak."""
    facts = _facts('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 2\n')

    assert (facts["power.peak_w"], facts["power.peak_unmeasured"], facts["power.peak_caveat"],
            "give [[gpu]] peak_w" in facts["power.peak_basis"]) == (
        700, ("gpu[0] (NVIDIA GeForce RTX 3090)",), True, True)


def test_a_gpu_with_a_measured_peak_is_no_lower_bound() -> None:
    """The RTX 5090's measured transient counts as it is, with no caveat on the peak."""
    facts = _facts('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-5090"\n')

    assert (facts["power.peak_unmeasured"], facts["power.peak_caveat"],
            "power.peak_basis" in facts) == ((), False, False)
