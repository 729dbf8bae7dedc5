"""Unified memory as owners set it up: where the GPU's default share of a [system] is short of
what the model needs and the memory holds it, the hint, `hwspec fit` and the report name the
setting that raises the share and the value that makes the model fit."""

from __future__ import annotations

import textwrap

from hwspec.checker import Checker
from hwspec.search.fit import answer

CHECKER = Checker()

STRIX_Q8 = """\
    [build]
    name = "Strix Halo at its default GPU share"

    [system]
    part = "framework-desktop-ryzen-ai-max-395-128gb"
    {extra}

    [workload]
    model = "llama-3.3-70b"
    precision = "q8_0"
    context_tokens = 32768
"""

MAC = """\
    [build]
    name = "Mac"

    [system]
    name = "A 96 GB Mac"
    processor = "Apple M3 Ultra"
    memory_gib = 96
    bandwidth_gbs = 819
    gpu_memory_share = 0.75

    [workload]
    model = "llama-3.3-70b"
    precision = "q8_0"
    context_tokens = 8192
"""


def _check(text: str):  # type: ignore[no-untyped-def]
    return CHECKER.check_text(textwrap.dedent(text))


def test_a_short_amd_share_names_the_gtt_parameters_and_the_value() -> None:
    """On a 128 GB Strix Halo, 83.2 GiB is above the GPU's default 64 GiB: FIT001's hint names
    amdgpu.gttsize in MiB and ttm.pages_limit in 4 KiB pages for 85,229 MB."""
    report = _check(STRIX_Q8.format(extra=""))
    (finding,) = [f for f in report.findings if f.rule == "FIT001"]

    assert (report.facts.get("system.gpu_memory_needed_mb"), finding.hint) == (
        85229, "Raise the GPU's share of memory to 85,229 MB (the Linux kernel parameters "
        "amdgpu.gttsize=85229 ttm.pages_limit=21818624) and declare it with [system] "
        "gpu_memory_gib = 83.3, shorten the context, or use a smaller precision (or, where a "
        "slow decode will do, set workload.weights_from_storage = true and read the rest from "
        "the drive).")


def test_declaring_the_raised_share_the_hint_gives_makes_the_model_fit() -> None:
    """The gpu_memory_gib the hint gives passes FIT001."""
    report = _check(STRIX_Q8.format(extra="gpu_memory_gib = 83.3"))

    assert [f.rule for f in report.findings if f.rule == "FIT001"] == []


def test_a_short_mac_share_names_the_wired_limit_sysctl() -> None:
    """On a 96 GB Mac whose GPU may wire 72 GiB, 75.4 GiB needs macOS's wired-memory limit
    raised to 77,165 MB."""
    facts = _check(MAC).facts

    assert (facts.get("system.gpu_memory_needed_mb"), facts.get("system.gpu_memory_setting")) == (
        77165, "sudo sysctl iogpu.wired_limit_mb=77165")


def test_a_model_larger_than_the_memory_names_no_setting() -> None:
    """Where the memory itself cannot hold the model no share helps: no setting, and the hint
    says to choose a machine with more memory."""
    report = _check(STRIX_Q8.format(extra="").replace("q8_0", "bf16"))
    (finding,) = [f for f in report.findings if f.rule == "FIT001"]

    assert ("system.gpu_memory_setting" in report.facts.by_name,
            finding.hint.startswith("Choose a machine with more memory, ")) == (False, True)


def test_a_build_of_modules_is_told_to_add_memory() -> None:
    """Off a [system], FIT001's hint reads as it always did."""
    report = CHECKER.check_text(textwrap.dedent("""\
        [build]
        name = "Too little memory for R1"
        [cpu]
        part = "amd-epyc-9655"
        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 12
        [workload]
        model = "deepseek-r1"
        precision = "fp8"
        context_tokens = 32768
        """))
    (finding,) = [f for f in report.findings if f.rule == "FIT001"]

    assert finding.hint.startswith("Add memory, shorten the context")


def test_fit_names_the_setting_in_a_note() -> None:
    """`hwspec fit` on the short Strix Halo says what the GPU may use and how to raise it."""
    report = _check(STRIX_Q8.format(extra=""))
    notes = answer(report, CHECKER).notes

    assert [n for n in notes if "amdgpu.gttsize=85229" in n] == [
        "the GPU may use 64.0 GiB of the memory: raise the GPU's share of memory to 85,229 MB "
        "(the Linux kernel parameters amdgpu.gttsize=85229 ttm.pages_limit=21818624) and "
        "declare it with [system] gpu_memory_gib = 83.3"]


def test_the_report_s_memory_budget_is_the_gpu_s_share_as_validate_weighs_it() -> None:
    """The report's budget measures against the 64 GiB the GPU may use, not the 128 installed,
    so its free or short figure is FIT001's margin."""
    from hwspec.views.report import build_report

    report = _check(STRIX_Q8.format(extra=""))
    memory = build_report(report).memory
    assert memory is not None
    assert (memory.capacity_gib, memory.capacity_is, memory.margin_gib < 0) == (
        64, "the GPU may use", True)
