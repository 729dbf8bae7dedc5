"""The text format's figures block."""

from __future__ import annotations

from tests.conftest import SPECS

from hwspec.checker import Checker
from hwspec.findings import UNKNOWN_PART, Finding
from hwspec.output import RenderOptions, reporter
from hwspec.output.text import caused_by


def _text(name: str, *, show_facts: bool = True, with_rules: bool = False,
          verbose: bool = True) -> list[str]:
    checker = Checker()
    report = checker.check_file(SPECS / name)
    options = RenderOptions(show_facts=show_facts, rules=checker.rules if with_rules else (),
                            verbose=verbose)
    return reporter("text")([report], options).splitlines()


def test_the_rules_that_did_not_run_fold_into_one_counting_line() -> None:
    """By default the seed's five rules that lack an input and seven its conditions exclude are
    counted on one line that says how to list them."""
    assert [line for line in _text("epyc-dual.toml", verbose=False)
            if line.startswith("  not run")] == [
        "  not run    5 rules need inputs this build does not give, 8 do not apply to it; "
        "-v lists them",
    ]


def test_verbose_names_the_rules_that_did_not_run_with_why() -> None:
    """With verbose, the seed has no GPU, no PSU connector count, no first-token target, one DIMM per channel,
    no tuned speed and is no [system]: PWR006 (GPU cables) needs a GPU, PWR002, FIT006 and the SYS
    rules lack their facts, and FIT003 (no share of the model on GPUs), FIT004, FIT005 (no weights
    read from storage), GPU001 (no GPUs), MEM005, MEM008, MEM009 (no measured bandwidth) and
    PWR005 (a single PSU) exclude the build by their condition."""
    assert [line for line in _text("epyc-dual.toml") if line.startswith("  not run")] == [
        "  not run    FIT006 needs workload.max_ttft_s",
        "  not run    PWR002 needs psu.eps_connectors",
        "  not run    PWR006 needs [[gpu]], which the build does not declare",
        "  not run    SYS001, SYS002 need [system], which the build does not declare",
        "  not run    FIT003, FIT004, FIT005, GPU001, MEM005, MEM008, MEM009, PWR005 do not apply "
        "(their condition is false)",
    ]


def test_a_rule_excluded_by_its_condition_shows_the_condition() -> None:
    """With the rules at hand (as the command line has them), each condition that excluded the
    build is shown, so the reader sees what would make the rule apply."""
    assert [line for line in _text("epyc-dual.toml", with_rules=True)
            if "does not apply" in line] == [
        "  not run    FIT003 does not apply: defined(model.gpu_required_gib) is false",
        "  not run    FIT004 does not apply: workload.offload != 'none' is false",
        "  not run    FIT005 does not apply: defined(model.storage_weights_gib) is false",
        "  not run    GPU001 does not apply: defined(gpu.count) and defined(board.pcie_slots) is "
        "false",
        "  not run    MEM005 does not apply: memory.dimms_per_channel >= 2 is false",
        "  not run    MEM008 does not apply: defined(memory.tuned_mts) is false",
        "  not run    MEM009 does not apply: defined(memory.measured_bandwidth_gbs) is false",
        "  not run    PWR005 does not apply: psu.redundancy != 'none' is false",
    ]


def test_no_facts_leaves_the_rules_not_run_out() -> None:
    """The hook's --no-facts mode prints findings and verdicts only."""
    assert not [line for line in _text("epyc-dual.toml", show_facts=False, verbose=False)
                if "not run" in line]
    assert not [line for line in _text("epyc-dual.toml", show_facts=False) if "not run" in line]


def test_rules_needing_a_table_the_build_leaves_out_share_one_line() -> None:
    """A GPU-only build with no [[memory]], [board] or [psu]: the rules that needed those tables
    are named once per table, not once per missing fact."""
    report = Checker().check_text(
        '[build]\nname = "GPUs only"\n[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 2\n'
        '[workload]\nmodel = "llama-3.3-70b"\nprecision = "q4_k_m"\ncontext_tokens = 8192\n'
        'offload = "layers"\ngpu_layers = 80\n', path="gpus.toml")
    lines = reporter("text")([report], RenderOptions(verbose=True)).splitlines()

    assert [line for line in lines if "which the build does not declare" in line] == [
        "  not run    CPU001, CPU002, CPU003 need [cpu], which the build does not declare",
        "  not run    CPU004 needs [board], which the build does not declare",
        "  not run    MEM002, MEM003, MEM004, MEM005, MEM006 need [[memory]], which the build "
        "does not declare",
        "  not run    PWR002, PWR005, PWR006 need [psu], which the build does not declare",
        "  not run    SYS001, SYS002 need [system], which the build does not declare",
    ]


def _typo_lines() -> list[str]:
    text = (SPECS / "epyc-dual-fixed.toml").read_text().replace(
        'part = "amd-epyc-9655"', 'part = "amd-epyc-9665x"')
    report = Checker().check_text(text, path="typo.toml")
    return [line.split(" ")[1] for line in reporter("text")([report], RenderOptions(quiet=True))
            .splitlines() if not line.startswith(" ")]


def test_a_knock_on_of_an_unknown_part_follows_its_cause() -> None:
    """A typo'd CPU id (SPEC003 at line 17) leaves the memory speed unknown; the FIG001 on the
    board at line 12, whose hint names cpu.platform, follows the SPEC003 instead of preceding
    it, and PWR003 (which names no key of the CPU) keeps its place by line."""
    assert _typo_lines() == ["SPEC003", "FIG001", "PWR003"]


def test_a_finding_is_caused_by_an_unknown_part_only_through_its_keys() -> None:
    """An unknown memory[1] part causes a finding blaming memory[1].kind or naming memory[1].x,
    never one about memory[10] or one that merely mentions the word memory."""
    cause = UNKNOWN_PART.finding("unknown memory id 'x'", path="memory[1].part")

    def finding(path: str, message: str = "m") -> Finding:
        return Finding("MEM001", "error", message, path=path)

    assert [caused_by(cause, f) for f in (
        finding("memory[1].kind"), finding("memory[1]"), finding("", "give memory[1].speed_mts"),
        finding("memory[10].kind"), finding("", "no figure for memory"),
        finding("", "give memory[10].speed_mts"))] == [True, True, True, False, False, False]
