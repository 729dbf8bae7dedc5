"""hwspec diff: the deciding figures of two builds side by side, and findings that came and went.

Expected values are worked out by hand: the corrected build keeps 768 GiB (24 x 32 GiB RDIMMs
instead of 12 kits of 2 x 32 GiB), prices neither memory nor PSU (so its lines sum to
128,445 - 17,388 - 1,999 = 109,058 CNY, 19,387 less), and moves from 800 W on 1,200 W (2/3) to
800 W on 1,600 W (1/2).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from tests.conftest import ROOT, SPECS
from tests.strategies import spec_data, spec_text
from tests.views.test_report import assert_tables_well_formed

from hwspec.checker import Checker, Report
from hwspec.output.report import render_diff
from hwspec.views.report import BuildDiff, Change, diff_reports

CHECKER = Checker()
SEED_TEXT = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_to_fixed() -> BuildDiff:
    """The diff from the seed build to its correction."""
    fixed = (SPECS / "epyc-dual-fixed.toml").read_text(encoding="utf-8")
    return diff_reports(CHECKER.check_text(SEED_TEXT, path="specs/epyc-dual.toml"),
                        CHECKER.check_text(fixed, path="specs/epyc-dual-fixed.toml"))


def _change(diff: BuildDiff, key: str) -> Change:
    return next(c for c in diff.changes if c.key == key)


def test_mem001_went_away(seed_to_fixed: BuildDiff) -> None:
    """The fix removes MEM001, CST002 (no stated total) and PWR001 (a 1,600 W PSU), adds
    nothing, keeps PWR003 (the case)."""
    expected = ([("CST002", "build.quoted_total"), ("MEM001", "memory[0].kind"),
                 ("PWR001", "psu")], [], [("PWR003", "psu")])
    assert expected == (
        [(f.rule, f.path) for f in seed_to_fixed.disappeared],
        [(f.rule, f.path) for f in seed_to_fixed.appeared],
        [(f.rule, f.path) for f in seed_to_fixed.unchanged])


def test_capacity_unchanged(seed_to_fixed: BuildDiff) -> None:
    """24 modules of 32 GiB before and after: 768 GiB, no change."""
    change = _change(seed_to_fixed, "memory.capacity_gib")
    expected = (768, 768, 0, "GiB")
    assert expected == (change.old, change.new, change.delta, change.unit)


def test_cost_delta(seed_to_fixed: BuildDiff) -> None:
    """128,445 -> 109,058 CNY is -19,387, and the note says the new total leaves lines out."""
    change = _change(seed_to_fixed, "cost.total")
    expected = (128445, 109058, -19387, "CNY", "new total leaves out unpriced memory[0], psu")
    assert expected == (
        change.old, change.new, change.delta, change.unit, change.note)


def test_psu_load_delta(seed_to_fixed: BuildDiff) -> None:
    """1,000.6 W on 1,200 W, then 1,120.6 W (RDIMMs at 10 W, not UDIMMs at 5 W) on 1,600 W."""
    change = _change(seed_to_fixed, "power.load_fraction")
    old, new = 1000.6 / 1200, 1120.6 / 1600
    assert (pytest.approx(old), pytest.approx(new), pytest.approx(new - old)) == (
        change.old, change.new, change.delta)


def test_fewer_kits_change_capacity_margin_and_cost() -> None:
    """Six kits instead of twelve: -384 GiB of capacity and of fit margin, -6 x 1,449 CNY."""
    half = SEED_TEXT.replace("count = 12", "count = 6")
    diff = diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(half))
    expected = [("memory.capacity_gib", 768, 384, -384), ("cost.total", 128445, 119751, -8694)]
    assert expected == [
        (c.key, c.old, c.new, c.delta) for c in diff.changes
        if c.key in ("memory.capacity_gib", "cost.total")]
    assert pytest.approx(-384) == _change(diff, "model.margin_gib").delta


def test_fewer_kits_bring_fit001() -> None:
    """Halving the memory makes FIT001 appear."""
    half = SEED_TEXT.replace("count = 12", "count = 6")
    diff = diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(half))
    assert "FIT001" in [f.rule for f in diff.appeared]


def test_findings_match_by_rule_and_path_not_line() -> None:
    """Moving every line down (a longer header comment) changes no finding."""
    moved = "# one more comment\n# and another\n" + SEED_TEXT
    diff = diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(moved))
    expected = ((), (), 4)
    assert expected == (diff.appeared, diff.disappeared, len(diff.unchanged))


def test_different_currencies_are_not_compared() -> None:
    """A cost in CNY and one in USD have no delta, and the note says why."""
    usd = SEED_TEXT.replace('currency = "CNY"', 'currency = "USD"')
    change = _change(diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(usd)),
                     "cost.total")
    expected = (None, "USD", "CNY", "priced in CNY before and USD after: not compared")
    assert expected == (
        change.delta, change.unit, change.old_unit, change.note)


def test_unknown_side_has_no_delta() -> None:
    """A figure the new build does not let hwspec know has no delta."""
    bare = '[build]\nname = "bare"\n'
    change = _change(diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(bare)),
                     "memory.capacity_gib")
    expected = (768, None, None)
    assert expected == (change.old, change.new, change.delta)


def test_text_figures(seed_to_fixed: BuildDiff) -> None:
    """The text diff's figure table: old, new and a signed change with units."""
    expected = "\n".join([
        "  figure                            old            new       change",
        "  memory capacity               768 GiB        768 GiB        0 GiB",
        "  effective speed            6,000 MT/s     6,000 MT/s       0 MT/s",
        "  bandwidth, theoretical     1,152 GB/s     1,152 GB/s       0 GB/s",
        "  bandwidth, sustained         979 GB/s       979 GB/s       0 GB/s",
        "  fit margin                  109.6 GiB      109.6 GiB        0 GiB",
        "  context                 32,768 tokens  32,768 tokens     0 tokens",
        "  bits per weight                8 bits         8 bits       0 bits",
        "  PSU load                          83%            70%       -13 pp",
        "  cost                      128,445 CNY    109,058 CNY  -19,387 CNY  "
        "(new total leaves out unpriced memory[0], psu)",
        "  decode bound            27.7 tokens/s  27.7 tokens/s   0 tokens/s",
        "  decode expected          6.9 tokens/s   6.9 tokens/s   0 tokens/s",
        "  full-context expected    6.5 tokens/s   6.5 tokens/s   0 tokens/s",
        "  prefill, expected       32.4 tokens/s  32.4 tokens/s   0 tokens/s",
        "  time to first token           126.5 s        126.5 s          0 s",
    ])
    assert expected == render_diff(seed_to_fixed, "text").split("\n\n")[1]


def test_text_findings(seed_to_fixed: BuildDiff) -> None:
    """The text diff lists findings gone (-), new (+) and kept (=)."""
    text = render_diff(seed_to_fixed, "text")
    assert "Findings went away: 3\n  - specs/epyc-dual.toml:8:1: CST002 warning" in text
    assert "  - specs/epyc-dual.toml:20:1: MEM001 error memory[0].kind: UDIMM" in text
    assert "Findings appeared: 0\n" in text
    assert "Findings in both: 1\n  = specs/epyc-dual-fixed.toml:25:1: PWR003 warning psu:" in text


def test_markdown_tables_are_well_formed(seed_to_fixed: BuildDiff) -> None:
    """Every Markdown table of the diff has a consistent shape."""
    assert_tables_well_formed(render_diff(seed_to_fixed, "markdown"))


def test_markdown_cost_row(seed_to_fixed: BuildDiff) -> None:
    """The Markdown diff's cost row shows old, new, change and the note."""
    assert ("| cost | 128,445 CNY | 109,058 CNY | -19,387 CNY | "
            "new total leaves out unpriced memory\\[0\\], psu |") in render_diff(seed_to_fixed,
                                                                            "markdown")


def test_json_round_trips_with_version(seed_to_fixed: BuildDiff) -> None:
    """The JSON diff loads back, is versioned, and lists MEM001 among the findings gone."""
    document = json.loads(render_diff(seed_to_fixed, "json"))
    expected = (1, "diff", ["CST002", "MEM001", "PWR001"], -19387)
    assert expected == (
        document["version"], document["kind"],
        [f["rule"] for f in document["findings"]["disappeared"]],
        next(c["delta"] for c in document["changes"] if c["key"] == "cost.total"))


def _check(data: dict[str, Any]) -> Report:
    return CHECKER.check_text(spec_text(data))


def _keys(findings: tuple[Any, ...]) -> Counter[tuple[str, str]]:
    return Counter((f.rule, f.path) for f in findings)


@given(spec_data())
def test_diff_with_itself_changes_nothing(data: dict[str, Any]) -> None:
    """diff(a, a) has every known delta zero and no finding appearing or going away."""
    report = _check(data)
    diff = diff_reports(report, report)
    assert all(c.delta == 0 for c in diff.changes if c.old is not None)
    assert not diff.appeared
    assert not diff.disappeared
    assert diff.settings == ()


@given(spec_data(), spec_data())
def test_diff_is_antisymmetric(a: dict[str, Any], b: dict[str, Any]) -> None:
    """diff(a, b)'s deltas are the negation of diff(b, a)'s, and what appears one way goes
    away the other."""
    ra, rb = _check(a), _check(b)
    forward, backward = diff_reports(ra, rb), diff_reports(rb, ra)
    assert [None if c.delta is None else -c.delta for c in backward.changes] == [
        c.delta for c in forward.changes]
    assert (_keys(forward.appeared), _keys(forward.disappeared)) == (
        _keys(backward.disappeared), _keys(backward.appeared))
    assert [(c.key, c.new, c.old) for c in backward.settings] == [
        (c.key, c.old, c.new) for c in forward.settings]


def test_docs_show_the_seed_diff(seed_to_fixed: BuildDiff) -> None:
    """docs/report.md's diff example is what the text diff prints for the seed and its fix."""
    docs = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    assert render_diff(seed_to_fixed, "text") in docs
    assert render_diff(seed_to_fixed, "markdown") in docs


def test_each_side_keeps_its_currency_when_only_one_is_priced() -> None:
    """A CNY build against an unpriced USD one: the old cost is shown in CNY, never in the new
    build's USD."""
    from hwspec.output.report import render_diff

    bare = '[build]\nname = "bare"\ncurrency = "USD"\n[cpu]\npart = "amd-epyc-9655"\n'
    diff = diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(bare))
    change = _change(diff, "cost.total")
    row = next(line for line in render_diff(diff, "text").splitlines()
               if line.lstrip().startswith("cost "))

    assert (change.unit, change.old_unit, change.delta, "128,445 CNY" in row, "USD" in row) == (
        "USD", "CNY", None, True, False)


def test_gpu_rows_appear_only_when_a_build_has_gpus() -> None:
    """VRAM and the GPUs' fit margin are compared when either build has them, and left out
    when neither does."""
    seed = CHECKER.check_text(SEED_TEXT)
    with_gpu = CHECKER.check_text(SEED_TEXT.replace("[workload]", '[[gpu]]\npart = '
                                                    '"nvidia-rtx-4090"\n\n[workload]', 1))
    keys = {c.key for c in diff_reports(seed, seed).changes}
    gpu_keys = {c.key for c in diff_reports(seed, with_gpu).changes}

    assert ("gpu.vram_gib" in keys, "gpu.vram_gib" in gpu_keys) == (False, True)


def test_figures_unknown_on_both_sides_are_left_out_of_the_text() -> None:
    """Two GPU-only builds: no system-memory rows (unknown on both sides) in the text diff, the
    VRAM row stays, and JSON keeps every figure."""
    gpus = '[build]\nname = "g"\n[[gpu]]\npart = "nvidia-rtx-3090"\ncount = 2\n'
    diff = diff_reports(CHECKER.check_text(gpus), CHECKER.check_text(gpus.replace("3090", "4090")))
    text = render_diff(diff, "text")
    assert ("memory capacity" in text, "VRAM" in text) == (False, True)
    assert "memory.capacity_gib" in [c["key"] for c in json.loads(render_diff(diff, "json"))[
        "changes"]]


def test_parts_changed_name_the_replaced_lines(seed_to_fixed: BuildDiff) -> None:
    """Seed to fix: the memory (UDIMM kits -> RDIMMs, now unpriced) and the PSU are replaced;
    the board, CPUs and the rest are the same lines."""
    assert [(p.key, p.what) for p in seed_to_fixed.parts] == [("memory[0]", "replaced"),
                                                             ("psu", "replaced")]
    memory = seed_to_fixed.parts[0]
    assert (memory.old.count, memory.new.count, memory.new.unit_price) == (12, 24, None)  # type: ignore[union-attr]


def test_a_count_change_is_not_a_replacement() -> None:
    """Six kits instead of twelve: the same part at another count."""
    half = SEED_TEXT.replace("count = 12", "count = 6")
    diff = diff_reports(CHECKER.check_text(SEED_TEXT), CHECKER.check_text(half))
    assert [(p.key, p.what) for p in diff.parts] == [("memory[0]", "count")]


def _workload_diff() -> BuildDiff:
    changed = SEED_TEXT.replace('precision = "fp8"', 'precision = "q4_k_m"\nengine = "ktransformers"'
                                '\nnuma = "replicate-per-socket"')
    return diff_reports(CHECKER.check_text(SEED_TEXT, path="old.toml"),
                        CHECKER.check_text(changed, path="new.toml"))


def test_a_change_of_precision_engine_and_numa_mode_is_named() -> None:
    """The seed moved to q4_k_m on KTransformers with the weights replicated per socket: the
    diff names the three settings, old and new (the seed names no engine), and not the model,
    which stayed."""
    assert [(c.label, c.old, c.new) for c in _workload_diff().settings] == [
        ("precision", "fp8", "q4_k_m"), ("engine", None, "ktransformers"),
        ("NUMA mode", "interleave", "replicate-per-socket")]


def test_a_changed_workload_shows_in_text_markdown_and_json() -> None:
    """Text lists the settings under "Workload changed", Markdown as a table, JSON as
    `settings`."""
    diff = _workload_diff()
    assert "Workload changed: 3\n  precision: fp8 -> q4_k_m\n" in render_diff(diff, "text")
    assert "| precision | fp8 | q4\\_k\\_m |" in render_diff(diff, "markdown")
    assert json.loads(render_diff(diff, "json"))["settings"][0] == {
        "key": "workload.precision", "label": "precision", "old": "fp8", "new": "q4_k_m"}


def test_a_change_of_model_is_named() -> None:
    """Another model on the same build is the first setting the diff names."""
    other = SEED_TEXT.replace('model = "deepseek-r1"', 'model = "llama-3.3-70b"')
    diff = diff_reports(CHECKER.check_text(SEED_TEXT, path="old.toml"),
                        CHECKER.check_text(other, path="new.toml"))
    assert [c.label for c in diff.settings][:1] == ["model"]
