"""hwspec report: the seed build's bill, figures, budgets and findings, and how they render.

Expected values are worked out by hand from specs/epyc-dual.toml and the catalog, never by
running the code under test: the post's lines are 7,799 + 2 x 49,000 + 12 x 1,449 + 1,999 + 859
+ 400 + 2,000 = 128,445 CNY, its stated total 128,455 CNY is 10 more, and DeepSeek-R1's 671 B
parameters at 8 bits are 671 GB = 671e9 / 2**30 = 624.9 GiB.
"""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker, Options, Report
from hwspec.output.report import REPORT_FORMATS, render_report
from hwspec.views.report import BomLine, BuildReport, build_report

CHECKER = Checker()

WEIGHTS_GIB = 671e9 / 2**30
KV_GIB = 61 * (512 + 64) * 2 * 32768 / 2**30
"""DeepSeek-R1's MLA cache: 61 layers x (kv_lora_rank 512 + rope 64) x 2 bytes x 32,768 tokens."""
OVERHEAD_GIB = 0.05 * (WEIGHTS_GIB + KV_GIB)
REQUIRED_GIB = WEIGHTS_GIB + KV_GIB + OVERHEAD_GIB


def _check_spec(name: str) -> Report:
    """Check one of specs/, reported under its path relative to the repository."""
    text = (SPECS / name).read_text(encoding="utf-8")
    return CHECKER.check_text(text, path=f"specs/{name}")


@pytest.fixture(scope="module")
def seed() -> BuildReport:
    """The seed build's report."""
    return build_report(_check_spec("epyc-dual.toml"))


@pytest.fixture(scope="module")
def fixed() -> BuildReport:
    """The corrected build's report."""
    return build_report(_check_spec("epyc-dual-fixed.toml"))


def _section(text: str, heading: str) -> str:
    """The block of a text report that starts with heading, up to the next blank line."""
    blocks = text.split("\n\n")
    return next(b for b in blocks if b.startswith(heading))


def test_seed_bill_lines(seed: BuildReport) -> None:
    """Each line of the post's bill: key, part, unit price, units bought, modules per kit."""
    assert seed.bill is not None
    expected = [
        BomLine("board", "gigabyte-mz73-lm0", "Gigabyte MZ73-LM0 (rev. 3.x)", 7799, 1),
        BomLine("cpu", "amd-epyc-9655", "AMD EPYC 9655", 49000, 2),
        BomLine("memory[0]", "corsair-vengeance-ddr5-6000-64gb-kit",
                "Corsair Vengeance 64GB (2 x 32GB) DDR5-6000 CL30 (CMK64GX5M2B6000C30)",
                1449, 12, 2),
        BomLine("psu", "seasonic-vertex-gx-1200", "Seasonic VERTEX GX-1200 (ATX 3.1 revision)",
                1999, 1),
        BomLine("storage[0]", None, "WD NVMe SSD", 859, 1),
        BomLine("case", None, "Custom rack chassis", 400, 1),
        BomLine("cooling", None, "Dual-socket cooling", 2000, 1),
    ]
    assert expected == list(seed.bill.lines)


def test_seed_line_totals(seed: BuildReport) -> None:
    """Each line's total is unit price x units bought."""
    assert seed.bill is not None
    expected = [7799, 98000, 17388, 1999, 859, 400, 2000]
    assert expected == [line.total for line in seed.bill.lines]


def test_seed_memory_line_counts_kits_and_modules(seed: BuildReport) -> None:
    """Twelve kits of two are 24 modules."""
    assert seed.bill is not None
    memory = seed.bill.lines[2]
    expected = (12, 2, 24)
    assert expected == (memory.count, memory.modules_per_kit, memory.modules)


def test_seed_bill_sums(seed: BuildReport) -> None:
    """The lines sum to 128,445 CNY; the post states 128,455 (10 more); 1,555 of budget is left."""
    bill = seed.bill
    assert bill is not None
    expected = ("CNY", 128445, 128455, 10, 130000, 1555, ())
    assert expected == (
        bill.currency, bill.total, bill.quoted_total, bill.quoted_difference, bill.budget,
        bill.headroom, bill.unpriced)


def test_unpriced_lines_are_listed_and_left_out(fixed: BuildReport) -> None:
    """The corrected build prices neither its memory nor its PSU: 7,799 + 98,000 + 859 + 400 +
    2,000 = 109,058 CNY, and no stated total to compare."""
    bill = fixed.bill
    assert bill is not None
    expected = (109058, ("memory[0]", "psu"), None)
    assert expected == (bill.total, bill.unpriced, bill.quoted_difference)


def test_seed_findings(seed: BuildReport) -> None:
    """The report carries the stated-total warning, MEM001 on the UDIMM kit, PWR001 (1,000.6 W
    is 83 % of 1,200 W) and PWR003 (the case)."""
    expected = [
        ("CST002", "warning", "build.quoted_total", 8),
        ("MEM001", "error", "memory[0].kind", 20),
        ("PWR001", "error", "psu", 24),
        ("PWR003", "warning", "psu", 24),
    ]
    assert expected == [(f.rule, f.severity, f.path, f.line) for f in seed.findings]


def test_seed_weights_in_gib_and_gb(seed: BuildReport) -> None:
    """The weights are shown both ways: 624.9 GiB and 671 GB."""
    weights = [(f.value, f.unit, f.text) for f in seed.figures if f.label == "weights, whole model"]
    expected = [(pytest.approx(WEIGHTS_GIB), "GiB", "624.9 GiB"), (671, "GB", "671 GB")]
    assert expected == weights


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("memory.capacity_gib", "768 GiB"),
        ("memory.dimms_per_channel", "1"),
        ("memory.rated_mts", "6,000 MT/s"),
        ("memory.effective_mts", "6,000 MT/s"),
        ("memory.bandwidth_gbs", "1,152 GB/s"),
        ("memory.bandwidth_per_socket_gbs", "576 GB/s"),
        ("memory.sustained_bandwidth_gbs", "979 GB/s"),
        ("model.kv_cache_gib", "2.1 GiB"),
        ("model.margin_gib", "109.6 GiB free"),
        ("power.load_fraction", "83%"),
        ("power.uncounted", "case"),
    ],
)
def test_seed_figure_text(seed: BuildReport, key: str, text: str) -> None:
    """Each figure is shown with its unit and thousands separators."""
    assert text == next(f.text for f in seed.figures if f.key == key)


def test_seed_memory_budget(seed: BuildReport) -> None:
    """768 GiB hold weights, KV cache and a 5 % overhead with 109.6 GiB free."""
    memory = seed.memory
    assert memory is not None
    expected = (768, pytest.approx(REQUIRED_GIB), pytest.approx(768 - REQUIRED_GIB), 0)
    assert expected == (
        memory.capacity_gib, memory.required_gib, memory.free_gib, memory.shortfall_gib)


def test_memory_budget_shortfall() -> None:
    """Six kits (384 GiB) leave the workload short by required - 384 GiB."""
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8").replace(
        "count = 12", "count = 6")
    memory = build_report(CHECKER.check_text(text)).memory
    assert memory is not None
    expected = (0, pytest.approx(REQUIRED_GIB - 384))
    assert expected == (memory.free_gib, memory.shortfall_gib)


def test_seed_power_budget(seed: BuildReport) -> None:
    """Two 400 W CPUs and 200.6 W of class figures (24 x 5 W memory, 11 W drive, 36 W board,
    2 x 16.8 W fans) on 1,200 W: limit 0.8 x 1,200 = 960 W, 40.6 W over."""
    power = seed.power
    assert power is not None
    expected = (800, pytest.approx(200.6), 1200, 0.8, 960, pytest.approx(-40.6))
    assert expected == (power.cpu_w, power.other_w, power.psu_w, power.max_load, power.limit_w,
                        power.headroom_w)


def test_power_limit_follows_a_parameter_override() -> None:
    """A psu_max_load the check ran with sets the limit: 0.7 x 1,200 = 840 W."""
    report = Checker(Options(params={"psu_max_load": 0.7})).check_file(SPECS / "epyc-dual.toml")
    power = build_report(report).power
    assert power is not None
    assert pytest.approx(840) == power.limit_w


def test_power_limit_follows_the_spec_params() -> None:
    """A psu_max_load in the spec's [checks] params sets the limit: 0.5 x 1,200 = 600 W, which
    the 1,000.6 W load exceeds by 400.6 W."""
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8") + textwrap.dedent("""
        [checks]
        params = { psu_max_load = 0.5 }
    """)
    power = build_report(CHECKER.check_text(text)).power
    assert power is not None
    expected = (600, pytest.approx(-400.6))
    assert expected == (power.limit_w, power.headroom_w)


def test_unloadable_spec_has_only_findings() -> None:
    """A spec that does not parse gives a report of its findings and nothing else."""
    report = build_report(CHECKER.check_text("[build\n"))
    expected = (None, None, (), None, None, ["SPEC001"])
    assert expected == (
        report.name, report.bill, report.figures, report.memory, report.power,
        [f.rule for f in report.findings])


def test_text_bill_section(seed: BuildReport) -> None:
    """The text bill: count x unit price = total per line, aligned, then total, stated, budget.

    Columns: keys padded to 10 (storage[0]), counts to 2, prices to 6 (49,000), totals to 7
    (128,445); the sums line up under the line totals at 2 + 26 characters.
    """
    expected = "\n".join([
        "Bill of materials (CNY)",
        "  board        1 \u00d7  7,799 =   7,799  Gigabyte MZ73-LM0 (rev. 3.x) "
        "[gigabyte-mz73-lm0]",
        "  cpu          2 \u00d7 49,000 =  98,000  AMD EPYC 9655 [amd-epyc-9655]",
        "  memory[0]   12 \u00d7  1,449 =  17,388  Corsair Vengeance 64GB (2 x 32GB) DDR5-6000 "
        "CL30 (CMK64GX5M2B6000C30) [corsair-vengeance-ddr5-6000-64gb-kit]; 12 kits of 2 = 24 "
        "modules",
        "  psu          1 \u00d7  1,999 =   1,999  Seasonic VERTEX GX-1200 (ATX 3.1 revision) "
        "[seasonic-vertex-gx-1200]",
        "  storage[0]   1 \u00d7    859 =     859  WD NVMe SSD",
        "  case         1 \u00d7    400 =     400  Custom rack chassis",
        "  cooling      1 \u00d7  2,000 =   2,000  Dual-socket cooling",
        "  total                     128,445 CNY",
        "  stated total              128,455 CNY, 10 CNY more than the lines",
        "  budget                    130,000 CNY, 1,555 CNY left",
    ])
    assert expected == _section(render_report(seed, "text"), "Bill of materials")


def test_text_unpriced_bill(fixed: BuildReport) -> None:
    """Unpriced lines show '?' and the total names what it leaves out."""
    section = _section(render_report(fixed, "text"), "Bill of materials")
    expected = [
        "  memory[0]   24 \u00d7      ? =       ?  Micron 32GB DDR5-6400 ECC RDIMM 2Rx8 "
        "(MTC20F2085S1RC64BR) [micron-mtc20f2085s1rc64br]",
        "  total                     109,058 CNY, unpriced, not counted: memory[0], psu",
    ]
    assert expected == [line for line in section.splitlines() if "memory[0]" in line]


def test_text_memory_budget(seed: BuildReport) -> None:
    """The memory bars end at round(GiB / 768 x 40): weights 33, KV cache 33, overhead 34."""
    expected = "\n".join([
        "Memory budget: 658.4 GiB required of 768 GiB installed, 109.6 GiB free",
        "  weights   [#################################       ]  624.9 GiB  81.4%",
        "  KV cache  [                                        ]    2.1 GiB   0.3%",
        "  overhead  [                                 #      ]   31.4 GiB   4.1%",
        "  free      [                                  ......]  109.6 GiB  14.3%",
    ])
    assert expected == _section(render_report(seed, "text"), "Memory budget")


def test_text_power_budget(seed: BuildReport) -> None:
    """The power bars end at round(W / 1,200 x 40): CPUs 27, memory (+120 W) 31, board 32,
    the drive's 11 W rounds to no mark, fans at 33; the limit 960 W at 32, the PSU at 40. Then
    the peak against the ATX 3.1 unit's 145 % (no 12V-2x6 cable is known), 1,000.6 W / 0.88
    (Gold at 83 % load) at the wall, each class figure, and the case with none."""
    expected = "\n".join([
        "Power budget: 1,001 W on a 1,200 W PSU (83%); limit 80% = 960 W, 41 W over",
        "  CPUs              [###########################             ]  800 W  66.7%",
        "  memory            [                           ####         ]  120 W  10.0%",
        "  board             [                               #        ]   36 W   3.0%",
        "  storage           [                                        ]   11 W   0.9%",
        "  fans and cooling  [                                #       ]   34 W   2.8%",
        "  over limit        [                                !       ]   41 W   3.4%",
        "  reserve           [                                 -------]  199 W  16.6%",
        "  peak 1,001 W against the 1,740 W the PSU delivers for 1 ms",
        "  1,137 W at the wall",
        "  assumed memory[0]: 24 x 5 W, Unbuffered module (UDIMM, CUDIMM, SODIMM), Crucial's "
        "sizing rule (medium confidence; "
        "https://www.crucial.in/support/articles-faq-memory/how-much-power-does-memory-use)",
        "  assumed storage[0]: 11 W, NVMe SSD (M.2), the top of SNIA's M.2 range (high "
        "confidence; https://www.snia.org/groups/compute-memory-and-storage-initiative/"
        "solid-state-storage/nvme-ssd-classification)",
        "  assumed board: 36 W, Server board: Intel's published dual-socket server board budget "
        "(low confidence; https://azmanual.top/manuals/127739/intel-server-board-sds2.html?"
        "page=109)",
        "  assumed cooling: 2 x 16.8 W, Fan of unstated kind: the top of the sourced fan figures "
        "(a 40 mm server fan) (high confidence; https://xonelec.com/mpn/sanyodenki/"
        "9crb0412p5k001); one fan per CPU, as cooling.fans is not given",
        "  no power figure for case: the load is a lower bound",
    ])
    assert expected == _section(render_report(seed, "text"), "Power budget")


def test_text_shortfall_row() -> None:
    """A build short of memory draws the missing part with '!' from the capacity on."""
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8").replace(
        "count = 12", "count = 6")
    section = _section(render_report(build_report(CHECKER.check_text(text)), "text"),
                       "Memory budget")
    short = section.splitlines()[-1]
    # 384 GiB of 658.4 GiB required: the capacity ends at round(384 / 658.4 x 40) = 23.
    assert short.startswith("  short     [" + " " * 23 + "!" * 17 + "]  274.4 GiB")


def test_text_report_heading(seed: BuildReport) -> None:
    """The text report opens with the build's name, file and verdict."""
    assert render_report(seed, "text").startswith(
        "Dual EPYC 9655 for DeepSeek-R1 (specs/epyc-dual.toml)\n"
        "result: FAILED, 2 errors, 2 warnings\n")


def _tables(markdown: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def _cells(row: str) -> list[str]:
    assert row.startswith("|"), row
    assert row.endswith("|"), row
    return re.split(r"(?<!\\)\|", row)[1:-1]


def assert_tables_well_formed(markdown: str) -> None:
    """Every table has a header, a separator row, and as many cells in each row as headers."""
    tables = _tables(markdown)
    assert tables
    for table in tables:
        assert len(table) >= 2, table
        assert re.fullmatch(r"\|(---:?\|)+", table[1]), table[1]
        width = len(_cells(table[0]))
        assert [width] * len(table) == [len(_cells(row)) for row in table], table


def test_markdown_tables_are_well_formed(seed: BuildReport) -> None:
    """Every Markdown table of the seed report has a consistent shape."""
    assert_tables_well_formed(render_report(seed, "markdown"))


def test_markdown_bill_rows(seed: BuildReport) -> None:
    """The Markdown bill has the CPU line and the bold total."""
    markdown = render_report(seed, "markdown")
    assert "| `cpu` | AMD EPYC 9655 `amd-epyc-9655` | 49,000 | 2 | 98,000 |" in markdown
    assert "| **total** |  |  |  | **128,445 CNY** |" in markdown


def test_markdown_escapes_pipes() -> None:
    """A pipe in a part's name is escaped, so the table keeps its shape."""
    text = textwrap.dedent("""
        [build]
        name = "Pipes | everywhere"
        [case]
        name = "Case | with a pipe"
        price = 100
    """)
    markdown = render_report(build_report(CHECKER.check_text(text)), "markdown")
    assert "Case \\| with a pipe" in markdown
    assert_tables_well_formed(markdown)


def test_json_round_trips_with_version(seed: BuildReport) -> None:
    """The JSON report loads back, is versioned, and carries the bill's sums."""
    document = json.loads(render_report(seed, "json"))
    expected = (1, "report", 128445, 128455, 10, 1555)
    assert expected == (
        document["version"], document["kind"], document["bill"]["total"],
        document["bill"]["quoted_total"], document["bill"]["quoted_difference"],
        document["bill"]["headroom"])


def test_json_bill_lines(seed: BuildReport) -> None:
    """Each JSON bill line carries key, unit price, count and total."""
    lines = json.loads(render_report(seed, "json"))["bill"]["lines"]
    expected = [("board", 7799, 1, 7799), ("cpu", 49000, 2, 98000),
                ("memory[0]", 1449, 12, 17388), ("psu", 1999, 1, 1999),
                ("storage[0]", 859, 1, 859), ("case", 400, 1, 400), ("cooling", 2000, 1, 2000)]
    assert expected == [(x["key"], x["unit_price"], x["count"], x["total"]) for x in lines]


def test_json_keys(seed: BuildReport) -> None:
    """The JSON report has the documented top-level keys."""
    expected = ["version", "kind", "path", "name", "ok", "errors", "warnings", "bill", "figures",
                "memory_budget", "power_budget", "bandwidth", "decode", "workings", "findings"]
    assert expected == list(json.loads(render_report(seed, "json")))


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_unloadable_spec_renders(fmt: str) -> None:
    """A spec that does not parse still renders, with its finding."""
    out = render_report(build_report(CHECKER.check_text("[build\n")), fmt)
    assert "SPEC001" in out


def test_unknown_format_is_refused(seed: BuildReport) -> None:
    """An unknown format name is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="expected one of text, markdown, json, html"):
        render_report(seed, "svg")


def test_docs_show_the_seed_report(seed: BuildReport) -> None:
    """docs/report.md's example is what the text report prints for the seed build today."""
    docs = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    assert render_report(seed, "text") in docs


def test_workings_of_the_fixed_seed_show_r1_at_fp8_with_32k_context() -> None:
    """The fixed seed's report works out weights, MLA KV cache and the decode bound, each with
    its formula: 671 GB = 624.9 GiB; 61 x 576 x 2 B x 32,768 = 2.14 GiB; and with the weights
    interleaved over two sockets, the 1,152 GB/s of 24 channels capped at four times the 256 GB/s
    one-way xGMI figure: 1,024 / 39.3 = 26.1."""
    import hwspec

    kv_gib = 61 * (512 + 64) * 2 * 32768 / 2**30
    bound = min(6000 * 8 * 24 / 1000, 4 * 256) / (37 + 61 * 576 * 2 * 32768 / 1e9)
    workings = {w.label: w for w in hwspec.report(SPECS / "epyc-dual-fixed.toml").workings}

    assert (workings["weights"].result, workings["weights"].formula) == ("624.9 GiB", "weights_gib")
    assert (workings["KV cache"].result, workings["KV cache"].formula) == (
        f"{kv_gib:.2f} GiB", "kv_cache_bytes_mla")
    assert workings["KV cache"].working == (
        "61 layers x (512 latent + 64 rope) x 2 B x 32,768 tokens x batch 1")
    assert (workings["full-context bound"].result,
            workings["full-context bound"].formula) == (
        f"{bound:.1f} tokens/s", "decode_tokens_per_s_split")


def test_the_memory_budget_is_the_one_validate_weighs() -> None:
    """A dual-socket R1 build replicating its weights per socket with the non-expert weights on
    a GPU: the budget counts two copies of the weights left in RAM and the GPUs' share apart,
    so it is short by exactly what FIT001 says (the report once counted one copy of every
    weight, and called a failing build fine)."""
    import hwspec

    checked = hwspec.validate(hwspec.loads(textwrap.dedent("""\
        [build]
        name = "Dual Turin, R1 per socket, attention on a GPU"
        [cpu]
        part = "amd-epyc-9655"
        count = 2
        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 24
        [[gpu]]
        part = "nvidia-rtx-pro-6000-blackwell"
        [workload]
        model = "deepseek-r1"
        precision = "q4_k_m"
        context_tokens = 32768
        numa = "replicate-per-socket"
        offload = "experts-in-ram"
        """)))
    memory = build_report(checked).memory

    assert memory is not None
    assert checked.spec is not None
    assert ([f.rule for f in checked.findings if f.severity == "error"], memory.weight_copies,
            round(memory.required_gib, 1), round(memory.shortfall_gib, 1),
            memory.vram_gib) == (["FIT001"], 2, 782.4, 14.4, 96)
    assert memory.gpu_required_gib == checked.facts["model.gpu_required_gib"]


HOSTILE = ('<details open><summary>@maintainers</summary> ![x](https://evil.example/p.png) '
           '[click](https://evil.example) **bold** `code` | cell <img src=x onerror=alert(1)>')


@pytest.mark.parametrize("render", ["report", "diff"])
def test_markdown_shows_spec_strings_as_written_and_nothing_more(render: str) -> None:
    """A build or part name from a pull request cannot open <details>, embed an image, link,
    mention a team or break the table in the Markdown comment: every character that means
    something in GitHub Markdown is an entity or escaped."""
    from hwspec.output.report import render_diff
    from hwspec.views.report import diff_reports

    text = textwrap.dedent(f"""\
        [build]
        name = {json.dumps(HOSTILE)}
        [cpu]
        part = "amd-epyc-9655"
        name = {json.dumps(HOSTILE)}
        price = 1
        """)
    checked = Checker().check_text(text, path="hostile.toml")
    output = (render_report(build_report(checked), "markdown") if render == "report"
              else render_diff(diff_reports(checked, checked), "markdown"))

    for raw in ("<details", "<img", "@maintainers", "![x](", "[click](", "**bold**", "`code`",
                " | cell"):
        assert raw not in output
    assert "&lt;details open&gt;&lt;summary&gt;&#64;maintainers" in output


def test_markdown_puts_findings_first_with_links_hints_and_bars(seed: BuildReport) -> None:
    """The Markdown report: findings before the bill, MEM001 linked to its docs section and
    with its hint, and the budgets' bars in fenced text blocks."""
    text = render_report(seed, "markdown")
    assert text.index("### Findings") < text.index("### Bill of materials")
    assert "[MEM001](https://github.com/hwspec/hwspec/blob/main/docs/rules.md#mem001)" in text
    assert "Choose modules of a kind the platform lists" in text
    assert text.count("```text\n") == 2


@pytest.mark.parametrize("spec", ["dgx-spark.toml", "strix-halo.toml"])
def test_a_system_shows_its_unified_bus_as_the_bandwidth_working(spec: str) -> None:
    """A [system] has no DIMM channels: where no bandwidth is stated, its bandwidth is worked
    out from its bus (the report raised KeyError 'memory.populated_channels' on every [system]
    spec). The catalog states both machines' bandwidth, which wins, so the spec declares the
    machine's bus inline."""
    checked = _check_spec(spec)
    assert checked.spec is not None
    assert checked.spec.system is not None
    system = CHECKER.check_text(
        '[build]\nname = "bus only"\n[system]\nname = "x"\nmemory_gib = 128\n'
        f"bus_width_bits = {checked.facts['system.bus_width_bits']}\n"
        f"speed_mts = {checked.facts['memory.effective_mts']}\n", path=f"specs/{spec}")
    report = build_report(system)
    working = next(w for w in report.workings if w.label == "memory bandwidth")
    assert (working.formula, "bits / 8" in working.working) == ("unified_bandwidth_gbs", True)


def test_a_system_with_a_stated_bandwidth_has_nothing_to_work_out() -> None:
    """The M3 Ultra's 819 GB/s is Apple's figure, not computed: no working claims channels."""
    report = build_report(_check_spec("apple-m3-ultra.toml"))
    assert [w.label for w in report.workings if w.label == "memory bandwidth"] == []
    assert any(f.key == "memory.bandwidth_gbs" for f in report.figures)
