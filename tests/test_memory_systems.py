"""Memory as vendors publish it and as machines are sold: unified-memory [system]s, measured
bandwidth, chiplet limits, tuned speeds, and speed tables by board, rank and module kind."""

from __future__ import annotations

import textwrap

import pytest

from hwspec.checker import Checker

CHECKER = Checker()

MAC = """\
    [build]
    name = "Mac Studio M2 Ultra"

    [system]
    name = "Mac Studio M2 Ultra 192 GB"
    memory_gib = 192
    memory_type = "LPDDR5"
    bus_width_bits = 1024
    speed_mts = 6400
    gpu_memory_share = 0.75
    max_power_w = 295
    {extra}

    [workload]
    model = "llama-3.1-70b"
    bits_per_weight = {bits}
    context_tokens = 8192
    {device}
"""


def _facts(text: str) -> dict[str, object]:
    report = CHECKER.check_text(textwrap.dedent(text))
    assert report.spec is not None, report.findings
    return dict(report.facts.by_name)


def _mac(bits: float = 4.82, extra: str = "", device: str = "") -> dict[str, object]:
    return _facts(MAC.format(bits=bits, extra=extra, device=device))


def _rules(text: str) -> set[str]:
    return {f.rule for f in CHECKER.check_text(textwrap.dedent(text)).findings}


def test_a_system_s_memory_is_its_unified_memory() -> None:
    facts = _mac()
    assert facts["memory.capacity_gib"] == 192
    assert facts["memory.effective_mts"] == 6400
    assert facts["memory.bandwidth_gbs"] == pytest.approx(819.2)  # 1024 / 8 x 6400
    assert facts["system.gpu_memory_gib"] == 144
    assert facts["memory.usable_gib"] == 144
    assert facts["workload.device"] == "gpu"
    assert facts["power.load_w"] == 295
    assert facts["unknown.figures"] == ()


def test_fit_on_the_gpu_uses_the_gpu_share_and_on_the_cpu_the_whole_memory() -> None:
    # Llama 3.1 70B at 17 bits a weight: 139 GiB of weights, about 148 GiB with the KV cache
    # and overhead: more than the GPU's default 144 GiB, less than the machine's 192.
    on_gpu = _mac(bits=17)
    assert 144 < on_gpu["model.required_gib"] < 192  # type: ignore[operator]
    assert on_gpu["model.fits"] is False
    on_cpu = _mac(bits=17, device='device = "cpu"')
    assert on_cpu["memory.usable_gib"] == 192
    assert on_cpu["model.fits"] is True


def test_a_raised_wired_limit_is_the_gpu_s_memory() -> None:
    facts = _mac(bits=17, extra="gpu_memory_gib = 180")
    assert facts["system.gpu_memory_gib"] == 180
    assert facts["system.gpu_memory_basis"] == "set in the spec"
    assert facts["model.fits"] is True


def test_a_system_without_its_gpu_share_names_the_missing_input() -> None:
    text = MAC.format(bits=4.82, extra="", device="").replace("gpu_memory_share = 0.75", "")
    report = CHECKER.check_text(textwrap.dedent(text))
    assert "model.fits" not in report.facts
    figure = [f for f in report.findings if f.rule == "FIG001"]
    assert figure
    assert "system.gpu_memory_gib" in (figure[0].hint or "")


def test_a_system_with_only_a_stated_bandwidth_uses_it() -> None:
    facts = _facts("""\
        [build]
        name = "Stated bandwidth"
        [system]
        name = "A mini PC"
        memory_gib = 128
        bandwidth_gbs = 256
        gpu_memory_share = 0.5
        max_power_w = 140
    """)
    assert facts["memory.bandwidth_gbs"] == 256
    assert "memory.effective_mts" not in facts
    assert facts["unknown.figures"] == ()  # the bandwidth is what the speed would have given


def test_a_measured_bandwidth_is_the_sustained_figure_and_drives_the_estimate() -> None:
    estimated = _mac()
    measured = _mac(extra="\n[measured]\nbandwidth_gbs = 400")
    assert measured["memory.sustained_bandwidth_gbs"] == 400
    assert measured["memory.sustained_basis"] == "measured"
    assert measured["decode.tokens_per_s_max"] == estimated["decode.tokens_per_s_max"]
    # On the GPU of a unified chip the estimate starts from the bus's bandwidth, not a STREAM
    # estimate: the measured figure replaces that.
    ratio = 400 / estimated["memory.bandwidth_gbs"]  # type: ignore[operator]
    assert measured["decode.tokens_per_s_expected"] == pytest.approx(
        estimated["decode.tokens_per_s_expected"] * ratio)  # type: ignore[operator]


def test_a_tuned_speed_is_the_speed_and_mem008_says_it_is_outside_the_spec() -> None:
    text = """\
        [build]
        name = "Tuned"
        [cpu]
        part = "amd-ryzen-9-9950x"
        [[memory]]
        name = "48 GB DDR5-6000 UDIMM"
        generation = "DDR5"
        kind = "UDIMM"
        capacity_gib = 48
        speed_mts = 6000
        tuned_mts = 6000
        count = 4
    """
    facts = _facts(text)
    assert facts["memory.effective_mts"] == 6000
    assert facts["memory.speed_limit_mts"] == 3600
    assert "MEM008" in _rules(text)


BOARD_2DPC = """\
    [build]
    name = "Board 2DPC"
    [board]
    name = "A board that publishes its own 2DPC speeds"
    socket = "lga4677"
    sockets = 1
    dimm_slots = 16
    channels_per_socket = 8
    max_mts_2dpc = {two}
    {one_rank}
    [cpu]
    part = "intel-xeon-platinum-8480plus"
    [[memory]]
    name = "DDR5-4800 RDIMM"
    generation = "DDR5"
    kind = "RDIMM"
    capacity_gib = 32
    speed_mts = 4800
    ranks = {ranks}
    count = 16
"""


@pytest.mark.parametrize(("two", "side"), [(4000, "below"), (4800, "above")])
def test_the_board_s_2dpc_figure_wins_over_the_platform_s_and_says_so(two: int,
                                                                       side: str) -> None:
    facts = _facts(BOARD_2DPC.format(two=two, one_rank="", ranks=2))
    assert facts["memory.speed_limit_mts"] == two  # lga4677-spr publishes 4400 at 2DPC
    assert f"{side} platform lga4677-spr's 4400" in facts["memory.speed_limit_basis"]  # type: ignore[operator]


def test_single_rank_modules_take_the_single_rank_2dpc_figure() -> None:
    text = BOARD_2DPC.format(two=4000, one_rank="max_mts_2dpc_1r = 4400", ranks=1)
    facts = _facts(text)
    assert facts["memory.speed_limit_mts"] == 4400
    assert "single-rank" in facts["memory.speed_limit_basis"]  # type: ignore[operator]
    two_rank = _facts(BOARD_2DPC.format(two=4000, one_rank="max_mts_2dpc_1r = 4400", ranks=2))
    assert two_rank["memory.speed_limit_mts"] == 4000


def test_single_rank_modules_without_a_single_rank_figure_are_not_labelled_so() -> None:
    facts = _facts(BOARD_2DPC.format(two=4000, one_rank="", ranks=1))
    assert facts["memory.speed_limit_mts"] == 4000
    assert "single-rank" not in facts["memory.speed_limit_basis"]  # type: ignore[operator]


def test_mrdimms_take_the_platform_s_mrdimm_figure_above_the_cpu_s_rdimm_speed() -> None:
    facts = _facts("""\
        [build]
        name = "MRDIMM on Xeon 6900P"
        [cpu]
        part = "intel-xeon-6980p"
        [[memory]]
        name = "64 GB MRDIMM-8800"
        generation = "DDR5"
        kind = "MRDIMM"
        capacity_gib = 64
        speed_mts = 8800
        count = 12
    """)
    assert facts["memory.effective_mts"] == 8800  # the CPU's max_mts (6400) is its RDIMM speed
    assert "MRDIMM" in facts["memory.speed_limit_basis"]  # type: ignore[operator]


TURIN = """\
    [build]
    name = "EPYC 9005, one socket"
    [cpu]
    part = "{cpu}"
    [[memory]]
    part = "samsung-m321r8ga0eb2-ccp"
    count = 12
"""


def test_a_four_ccd_turin_is_capped_by_its_ccd_links() -> None:
    """The EPYC 9335 has 4 CCDs; at the 99.8 GB/s one GMI-Wide CCD reads (sp5-turin's
    ccd_read_gbs), it cannot reach the 12 channels' STREAM estimate."""
    facts = _facts(TURIN.format(cpu="amd-epyc-9335"))
    assert facts["memory.bandwidth_gbs"] == pytest.approx(576)  # 12 x 8 B x 6000
    assert facts["memory.sustained_bandwidth_gbs"] == pytest.approx(4 * 99.8)
    assert facts["memory.sustained_basis"] == "limited by 4 CCDs at 99.8 GB/s each"


def test_an_eight_ccd_turin_fills_its_channels() -> None:
    facts = _facts(TURIN.format(cpu="amd-epyc-9355p"))
    assert facts["memory.sustained_basis"] == "estimated from the channels"


def test_an_unknown_ccd_count_is_named_where_the_platform_has_a_ccd_limit() -> None:
    """The EPYC 9455's CCD count is not catalogued (nor its L3): the estimate stands, and says
    that it was not checked against the chiplet links and which input would check it."""
    facts = _facts(TURIN.format(cpu="amd-epyc-9455"))
    basis = facts["memory.sustained_basis"]
    assert isinstance(basis, str)
    assert "[cpu] ccds" in basis
    assert "not checked" in basis


def test_interleave_on_two_sp3_sockets_is_bounded_by_xgmi() -> None:
    """Two EPYC 7763s, every channel filled, weights interleaved: the aggregate 409.6 GB/s is
    below four times the derived 108 GB/s one-way xGMI figure, so the link does not cap it."""
    facts = _facts("""\
        [build]
        name = "2 x EPYC 7763"
        [cpu]
        part = "amd-epyc-7763"
        count = 2
        [[memory]]
        part = "sk-hynix-hmaa8gr7ajr4n-xn"
        count = 16
        [workload]
        model = "llama-3.1-70b"
        precision = "q4_k_m"
        context_tokens = 4096
        numa = "interleave"
    """)
    assert facts["memory.bandwidth_gbs"] == pytest.approx(409.6)
    assert facts["decode.tokens_per_s_max_full_context"] == pytest.approx(
        409.6 / facts["decode.bytes_per_token_gb"], rel=1e-6)  # type: ignore[operator]


def test_a_cpu_without_its_own_speed_is_named_where_speeds_differ_by_sku() -> None:
    """Sapphire Rapids rates DDR5 per SKU (4400 or 4800): a CPU that gives no max_mts takes the
    platform's figure, and the output says the CPU's own limit is missing."""
    from hwspec.output.text import key_figures

    text = textwrap.dedent("""\
        [build]
        name = "SPR, CPU speed not given"
        [cpu]
        name = "Some Xeon"
        platform = "lga4677-spr"
        cores = 32
        [[memory]]
        part = "samsung-m321r4ga3bb6-cqk"
        count = 8
    """)
    report = CHECKER.check_text(text)
    assert report.spec is not None
    assert report.facts["memory.cpu_speed_unknown"] is True
    assert report.facts["memory.effective_mts"] == 4800
    memory = dict(key_figures(report.facts))["memory"]
    assert "give [cpu] max_mts" in memory


def test_a_catalog_emr_sku_runs_at_its_own_speed() -> None:
    """The Xeon Gold 6548Y+ runs DDR5 at 5200 (Cisco's per-SKU table), not Emerald Rapids'
    5600, and nothing is flagged."""
    facts = _facts("""\
        [build]
        name = "6548Y+"
        [cpu]
        part = "intel-xeon-gold-6548yplus"
        [[memory]]
        name = "64 GB DDR5-5600 RDIMM"
        generation = "DDR5"
        kind = "RDIMM"
        capacity_gib = 64
        speed_mts = 5600
        count = 8
    """)
    assert facts["memory.effective_mts"] == 5200
    assert facts["memory.cpu_speed_unknown"] is False


def test_a_rome_part_with_four_ccds_is_capped_at_the_measured_ccd_read() -> None:
    """sp3-rome's ccd_read_gbs is the 36.9 GB/s one CCD of an EPYC 7452 measured: four CCDs
    read at most 147.6 GB/s of the 174 GB/s eight channels of DDR4-3200 would sustain. The 7302's
    CCD count is not catalogued (its L3 gives only a lower bound), so the spec states it."""
    facts = _facts("""\
        [build]
        name = "EPYC 7302, 8 x DDR4-3200"
        [cpu]
        part = "amd-epyc-7302"
        ccds = 4
        [[memory]]
        part = "sk-hynix-hmaa8gr7ajr4n-xn"
        count = 8
    """)
    assert facts["memory.bandwidth_gbs"] == pytest.approx(204.8)
    assert facts["memory.sustained_bandwidth_gbs"] == pytest.approx(4 * 36.9)


def test_a_stated_bandwidth_wins_over_bus_width_times_speed() -> None:
    """Apple states 800 GB/s for the M2 Ultra; its 1,024-bit LPDDR5-6400 bus works out at
    819.2 GB/s, which is used only where no figure is stated."""
    catalog = _facts('''
        [build]
        name = "Mac Studio M2 Ultra"
        [system]
        part = "apple-mac-studio-m2-ultra-192gb"
        ''')
    assert catalog["memory.bandwidth_gbs"] == 800
    inline = _facts('''
        [build]
        name = "Unified memory with no stated bandwidth"
        [system]
        name = "A unified-memory machine"
        memory_gib = 128
        bus_width_bits = 1024
        speed_mts = 6400
        ''')
    assert inline["memory.bandwidth_gbs"] == pytest.approx(819.2)


def test_lga1700_takes_four_64_gb_ddr5_udimms() -> None:
    """ASRock and MSI validated 4 x 64 GB DDR5 UDIMMs on Z790 (256 GB): MEM007 passes them."""
    rules = _rules('''
        [build]
        name = "256 GB on Z790"
        [board]
        part = "asus-proart-z790-creator-wifi"
        [cpu]
        part = "intel-core-i9-14900k"
        [[memory]]
        part = "crucial-ct64g56c46u5"
        count = 4
        ''')
    assert "MEM007" not in rules
    assert "MEM001" not in rules


def test_a_64_gb_mrdimm_runs_at_8800_on_a_xeon_6900p() -> None:
    """Micron's 64 GB MRDIMM-8800, one per channel on two Xeon 6980Ps, runs at 8,800 MT/s."""
    facts = _facts('''
        [build]
        name = "MRDIMM-8800 on Granite Rapids-AP"
        [board]
        part = "supermicro-x14dbg-ap"
        [cpu]
        part = "intel-xeon-6980p"
        count = 2
        [[memory]]
        part = "micron-mrdimm-ddr5-8800-64gb"
        count = 24
        ''')
    assert (facts["memory.effective_mts"], facts["memory.capacity_gib"]) == (8800, 1536)
