"""`hwspec fit`: the largest context, the best precision and the memory to add, each checked
against arithmetic done by hand from the model's published shape."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import attrs
import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SPECS, invoke

import hwspec
from hwspec.checker import Checker
from hwspec.cli import EXIT_FINDINGS, EXIT_OK
from hwspec.search import fit
from hwspec.spec.values import Count

GIB = 2**30
R1_WEIGHTS_GIB = 671e9 * 8 / 8 / GIB  # 671B parameters at 8 bits
R1_KV_BYTES_PER_TOKEN = 61 * (512 + 64) * 2  # MLA latent + rope key, 61 layers, f16
OVERHEAD = 1.05  # the default 5 % reserve on weights + KV cache

SMALL = textwrap.dedent("""\
    [build]
    name = "One socket, 12 x 32 GiB"

    [cpu]
    part = "amd-epyc-9655"

    [[memory]]
    part = "micron-mtc20f2085s1rc64br"
    count = 12

    [workload]
    model = "deepseek-r1"
    precision = "fp8"
    context_tokens = 32768
""")


CHECKER = Checker()


def answer(spec: hwspec.Spec) -> fit.FitAnswer:
    """The fit answers for a spec, checked as validate checks it."""
    return fit.answer(CHECKER.check_spec(spec), CHECKER)


def _invoke(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


def test_largest_context_of_r1_in_768_gib() -> None:
    """768 GiB holds R1 at FP8, 16 sequences, up to (768 / 1.05 - weights) GiB of latent cache."""
    expected = math.floor((768 / OVERHEAD - R1_WEIGHTS_GIB) * GIB / (R1_KV_BYTES_PER_TOKEN * 16))
    spec = hwspec.load(SPECS / "sp5-turin.toml")
    spec = attrs.evolve(spec, workload=attrs.evolve(spec.workload, batch=Count(16)))

    assert answer(spec).largest_context_tokens in (expected, expected - 1)


def test_largest_context_stops_at_the_models_limit() -> None:
    """With memory to spare, the answer is R1's own 163,840-token limit, and a note says so."""
    result = answer(hwspec.load(SPECS / "sp5-turin.toml"))

    assert (result.largest_context_tokens, result.notes) == (
        163840, ("the model's own limit, 163,840 tokens, is reached first",))


def test_more_memory_for_r1_in_384_gib() -> None:
    """R1 at FP8 with 32K context needs 658.4 GiB: nine more 32 GiB RDIMMs than twelve would
    hold it, but 21 modules on 12 channels are unbalanced, so the advice is the next balanced
    population: 24 modules, two on every channel."""
    required = OVERHEAD * (R1_WEIGHTS_GIB + R1_KV_BYTES_PER_TOKEN * 32768 / GIB)
    units = math.ceil((required - 12 * 32) / 32)
    balanced = math.ceil((12 + units) / 12) * 12
    more = answer(hwspec.loads(SMALL)).more_memory

    assert more is not None
    assert (units, balanced, more.add_units, more.modules_after, more.capacity_gib_after) == (
        9, 24, 12, 24, 768)


def test_best_precision_for_r1_in_384_gib() -> None:
    """384 GiB holds R1 weights of at most 4.65 bits: the 4.5-bit q4_0 fits; q4_k_m (4.89) and
    q4_k, which llama-quantize takes as q4_k_m, do not."""
    limit_bits = (384 / OVERHEAD - R1_KV_BYTES_PER_TOKEN * 32768 / GIB) * GIB * 8 / 671e9
    found = answer(hwspec.loads(SMALL)).fitting_precisions

    assert (round(limit_bits, 2), "q4_0" in found, "q4_k" in found, "q4_k_m" in found,
            "fp8" in found) == (4.65, True, False, False, False)


def test_fitting_precisions_are_widest_first() -> None:
    """The precisions come back with bits per weight never rising."""
    from hwspec.spec.vocab import BITS_PER_WEIGHT

    bits = [BITS_PER_WEIGHT[p] for p in answer(hwspec.loads(SMALL)).fitting_precisions]
    assert bits == sorted(bits, reverse=True)


@given(st.integers(21, 25))
def test_the_largest_context_fits_and_one_more_token_does_not(modules: int) -> None:
    """At the answer the model fits and one token more does not: with 16 sequences, 21 to 25
    modules of 32 GiB hold R1's weights and run out of room for the cache below R1's limit."""
    spec = hwspec.loads(SMALL)
    workload = attrs.evolve(spec.workload, batch=Count(16))
    spec = attrs.evolve(spec, workload=workload,
                        memory=(attrs.evolve(spec.memory[0], count=Count(modules)),))
    largest = answer(spec).largest_context_tokens

    def fits_at(tokens: int) -> bool | None:
        trial = attrs.evolve(spec, workload=attrs.evolve(workload, context_tokens=Count(tokens)))
        return answer(trial).fits

    assert largest is not None
    assert largest < 163840
    assert (fits_at(largest), fits_at(largest + 1)) == (True, False)


def test_cli_exits_1_when_the_model_does_not_fit(tmp_path: Path) -> None:
    """hwspec fit exits 1 on a spec whose model does not fit, and says how much to add."""
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    result = _invoke("fit", str(path))

    assert result.exit_code == EXIT_FINDINGS, result.stdout
    assert ("  more memory       12 more of micron-mtc20f2085s1rc64br: 24 modules, 768 GiB; "
            "memory slows from 6,000 to 3,600 MT/s (assumed: the lowest speed a sp5-turin board "
            "in the catalog publishes for 2 DIMMs per channel (gigabyte-mz33-ar0))") in (
        result.stdout.splitlines())


def test_cli_json_document(tmp_path: Path) -> None:
    """--format json carries the version and every answer."""
    result = _invoke("fit", "--format", "json", str(SPECS / "sp5-turin.toml"))
    document = json.loads(result.stdout)

    assert (result.exit_code, document["version"], document["fits"],
            document["more_memory"]) == (EXIT_OK, 1, True, None)


def test_cli_on_a_broken_spec_prints_its_findings(tmp_path: Path) -> None:
    """A spec that does not load gets its findings and exit 1, not an answer."""
    path = tmp_path / "broken.toml"
    path.write_text("[build]\n")
    result = _invoke("fit", str(path))

    assert (result.exit_code, "SPEC002" in result.stdout) == (EXIT_FINDINGS, True)


@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.toml")))
def test_every_example_spec_has_an_answer(spec: str) -> None:
    """Every spec in specs/ gets a fit verdict (its facts are complete enough to decide)."""
    assert answer(hwspec.load(SPECS / spec)).fits is not None


def test_docs_show_the_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/fit.md's example for specs/sp5-turin.toml is what the command prints."""
    monkeypatch.chdir(SPECS.parent)
    result = _invoke("fit", "specs/sp5-turin.toml")

    assert (result.exit_code, result.stdout.startswith("specs/sp5-turin.toml: the model fits")) == (
        EXIT_OK, True)
    assert result.stdout in (SPECS.parent / "docs" / "fit.md").read_text()


def test_docs_show_the_real_output_for_the_small_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/fit.md's example for docs/examples/small.toml (SMALL above) is what the command
    prints."""
    monkeypatch.chdir(SPECS.parent)
    assert (SPECS.parent / "docs" / "examples" / "small.toml").read_text().endswith(SMALL)
    result = _invoke("fit", "docs/examples/small.toml")
    assert result.stdout in (SPECS.parent / "docs" / "fit.md").read_text()


def test_cli_exits_1_and_names_the_input_when_the_verdict_is_unknown(tmp_path: Path) -> None:
    """A workload without a precision cannot be weighed: fit says so, names the key to add, and
    exits 1, so a script gating on fit never reads "cannot tell" as "fits"."""
    path = tmp_path / "no-precision.toml"
    path.write_text(textwrap.dedent("""\
        [build]
        name = "R1 with no precision"

        [cpu]
        part = "amd-epyc-9655"

        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 12

        [workload]
        model = "deepseek-r1"
        """))
    result = _invoke("fit", str(path))

    assert (result.exit_code, result.stdout.splitlines()[:2]) == (EXIT_FINDINGS, [
        f"{path}: cannot tell whether the model fits: facts are missing",
        "  missing           the weight precision is unknown; give workload.precision or "
        "workload.bits_per_weight"])


def test_a_spec_giving_bits_per_weight_shows_them_as_its_precision(tmp_path: Path) -> None:
    """With bits_per_weight and no precision name, fit shows the width, not a question mark."""
    path = tmp_path / "bits.toml"
    path.write_text(textwrap.dedent("""\
        [build]
        name = "R1 at 2.53 bits"
        [cpu]
        part = "amd-epyc-9655"
        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 12
        [workload]
        model = "deepseek-r1"
        bits_per_weight = 2.53
        context_tokens = 8192
        """))
    result = _invoke("fit", str(path))

    assert "(spec: 2.53 bits/weight)" in result.stdout


def test_a_build_with_gpus_runs_its_model_on_them_by_default() -> None:
    """No workload.offload on a build with a GPU: every layer goes on the GPU (FIT003 checks
    the VRAM) and nothing is asked of system memory; the basis says so."""
    from hwspec.checker import Checker

    text = ('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-3090"\n[workload]\n'
            'model = "llama-3.1-8b"\nprecision = "q4_k_m"\ncontext_tokens = 8192\n')
    facts = Checker().check_text(text, path="t.toml").facts
    assert (facts["workload.offload"], facts["workload.gpu_layers"], facts["model.ram_weights_gib"],
            facts["model.fits"]) == ("layers", 32, 0, True)
    assert str(facts["workload.offload_basis"]).startswith("every layer on the GPUs")


def test_a_model_too_large_for_the_gpu_fails_fit003_by_default() -> None:
    """A 70B model at Q4_K_M (39.9 GiB) on one 24 GiB card, with no offload given, fails
    FIT003 rather than landing silently in system memory."""
    from hwspec.checker import Checker

    text = ('[build]\nname = "x"\n[[gpu]]\npart = "nvidia-rtx-3090"\n[workload]\n'
            'model = "llama-3.3-70b"\nprecision = "q4_k_m"\ncontext_tokens = 8192\n')
    report = Checker().check_text(text, path="t.toml")
    assert [f.rule for f in report.findings if f.severity == "error"] == ["FIT003"]


AM5_405B = textwrap.dedent("""\
    [build]
    name = "Llama 3.1 405B on AM5"

    [board]
    part = "msi-meg-x870e-godlike"

    [cpu]
    part = "amd-ryzen-9-9950x"

    [[memory]]
    part = "crucial-ct64g56c46u5"
    count = 2

    [workload]
    model = "llama-3.1-405b"
    precision = "q4_k_m"
    context_tokens = 32768
""")


def test_more_memory_never_proposes_an_unpublished_population() -> None:
    """Six 64 GiB UDIMMs on AM5's two channels would be three per channel, for which AMD and
    the board publish no speed: no population is proposed."""
    assert answer(hwspec.loads(AM5_405B)).more_memory is None


def test_an_unpublished_population_is_named_in_a_note() -> None:
    """The note says no speed is published for 3 DIMMs per channel on AM5, and what would
    hold the model instead."""
    notes = answer(hwspec.loads(AM5_405B)).notes

    assert [n for n in notes if "no speed is published for 3 DIMMs per channel on platform am5"
            in n and "larger modules" in n] == [notes[-1]]


ONE_3090_32K = textwrap.dedent("""\
    [build]
    name = "Qwen3 32B at 32K on one RTX 3090"

    [[gpu]]
    part = "nvidia-rtx-3090"

    [workload]
    model = "qwen3-32b"
    precision = "q4_k_m"
    context_tokens = 32768
""")
"""Qwen3 32B's cache is 64 layers x 8 KV heads x 128 x 2 (K and V) elements per token: 8 GiB in
f16 at 32K, 4.25 GiB in q8_0, 2.25 GiB in q4_0; with 18.7 GiB of weights and the 5 % reserve,
24 GiB holds only the q4_0 one."""


def test_kv_cache_advice_is_the_widest_that_fits() -> None:
    """q8_0 leaves Qwen3 32B at 32K over 24 GiB, q4_0 fits it: the advice is q4_0 with
    llama.cpp's flags, flash attention included."""
    assert answer(hwspec.loads(ONE_3090_32K)).kv_cache == fit.KvCacheAdvice(
        "q4_0", "-ctk q4_0 -ctv q4_0 -fa on", False)


def test_kv_cache_advice_turns_flash_attention_on_where_the_spec_turned_it_off() -> None:
    """llama.cpp quantises V only with flash attention: with flash_attention = false the
    advice sets it true."""
    spec = hwspec.loads(ONE_3090_32K.replace('context_tokens = 32768',
                                             'context_tokens = 32768\nflash_attention = false'))
    advice = answer(spec).kv_cache

    assert advice is not None
    assert (advice.flash_attention, advice.flags.endswith("-fa on")) == (True, True)


def test_kv_cache_advice_makes_validate_pass_fit003() -> None:
    """The spec with the advised kv_precision passes FIT003 where the spec as written fails."""
    advised = ONE_3090_32K.replace('context_tokens = 32768',
                                   'context_tokens = 32768\nkv_precision = "q4_0"')
    rules = [[f.rule for f in CHECKER.check_text(text, path="t.toml").findings
              if f.rule == "FIT003"] for text in (ONE_3090_32K, advised)]

    assert rules == [["FIT003"], []]


def test_vllm_is_advised_its_fp8_cache() -> None:
    """Under vLLM (which keeps 10 % of the card free) Qwen3 32B at 12K fits only with an FP8
    cache: the advice is fp8 and its --kv-cache-dtype flag."""
    spec = hwspec.loads(ONE_3090_32K.replace('context_tokens = 32768',
                                             'context_tokens = 12000\nengine = "vllm"'))

    assert answer(spec).kv_cache == fit.KvCacheAdvice("fp8", "--kv-cache-dtype fp8", False)


def test_a_fitting_spec_gets_no_kv_cache_advice() -> None:
    """A model that fits as specified needs no narrower cache."""
    assert answer(hwspec.load(SPECS / "sp5-turin.toml")).kv_cache is None


LAYERS_ON_4090 = textwrap.dedent("""\
    [build]
    name = "Llama 3.1 70B split over a 4090 and 128 GiB"

    [cpu]
    part = "amd-ryzen-9-9950x"

    [[memory]]
    part = "crucial-ct64g56c46u5"
    count = 2

    [[gpu]]
    part = "nvidia-rtx-4090"

    [workload]
    model = "llama-3.1-70b"
    precision = "q8_0"
    context_tokens = 8192
    offload = "layers"
    gpu_layers = 40
""")


def _vram_fails(text: str, precision: str, layers: int) -> bool:
    changed = text.replace('precision = "q8_0"', f'precision = "{precision}"').replace(
        "gpu_layers = 40", f"gpu_layers = {layers}")
    return "FIT003" in [f.rule for f in CHECKER.check_text(changed, path="t.toml").findings]


def test_best_precision_comes_with_the_layers_that_fit_at_it() -> None:
    """The best precision's gpu_layers is the most the 24 GiB card holds at it: one layer more
    fails FIT003, and the spec's own 40 is not kept."""
    result = answer(hwspec.loads(LAYERS_ON_4090))
    assert result.gpu_layers is not None
    best = result.fitting_precisions[0]

    assert (result.spec_gpu_layers, result.gpu_layers != 40,
            _vram_fails(LAYERS_ON_4090, best, result.gpu_layers),
            _vram_fails(LAYERS_ON_4090, best, result.gpu_layers + 1)) == (40, True, False, True)


def test_the_specs_precision_fits_with_fewer_layers() -> None:
    """q8_0 with 40 layers overfills the card, but q8_0 fits once the layers are re-derived:
    it is among the fitting precisions, and a note gives its layer count."""
    result = answer(hwspec.loads(LAYERS_ON_4090))

    assert ("q8_0" in result.fitting_precisions,
            any(n.startswith("at the spec's precision, q8_0, gpu_layers = ")
                for n in result.notes)) == (True, True)


def _fit003_hint(text: str) -> str:
    return next(f.hint for f in CHECKER.check_text(text, path="t.toml").findings
                if f.rule == "FIT003")


def test_fit003_hint_without_an_offload_says_how_to_split() -> None:
    """A spec that never set an offload is told how to keep layers in system memory, not to
    put fewer on the GPUs."""
    hint = _fit003_hint(ONE_3090_32K)

    assert (hint.startswith("The spec sets no offload, so every layer goes to the GPUs"),
            "Put fewer layers" in hint) == (True, False)


def test_fit003_hint_with_gpu_layers_names_them() -> None:
    """A spec that chose gpu_layers is told to put fewer there, with its count."""
    assert _fit003_hint(LAYERS_ON_4090).startswith(
        "Put fewer layers on the GPUs (workload.gpu_layers, now 40)")


def test_fit003_hint_under_vllm_keeps_every_layer_on_the_gpus() -> None:
    """vLLM holds every layer on the GPUs: its hint asks for no layer split and names FP8."""
    hint = _fit003_hint(ONE_3090_32K.replace("context_tokens = 32768",
                                             'context_tokens = 32768\nengine = "vllm"'))

    assert (hint.startswith("vllm holds every layer on the GPUs"), "fp8" in hint,
            "gpu_layers" in hint) == (True, True, False)


@given(st.integers(1, 2_000), st.integers(0, 2_100))
def test_largest_holding_finds_the_last_n_a_monotone_test_holds_for(ceiling: int,
                                                                     threshold: int) -> None:
    """Law: for a test true up to a threshold and false past it, the search returns the
    threshold within 1..ceiling (None when even 1 fails), asking about log2(ceiling) times."""
    asked: list[int] = []

    def holds(n: int) -> bool:
        asked.append(n)
        return n <= threshold

    expected = None if threshold < 1 else min(threshold, ceiling)

    assert (fit.largest_holding(holds, ceiling), len(asked) <= ceiling.bit_length() + 2) == (
        expected, True)


def test_more_memory_than_the_board_has_slots_for_is_named_as_such() -> None:
    """Eight DDR4 RDIMMs fill the H11SSL-i's eight slots: the note says first that the modules
    R1 at Q8_0 would need do not fit the board, then that their speed is unpublished."""
    spec = hwspec.loads(textwrap.dedent("""\
        [build]
        name = "A full one-DIMM-per-channel board"

        [board]
        part = "supermicro-h11ssl-i"

        [cpu]
        part = "amd-epyc-7742"

        [[memory]]
        part = "sk-hynix-hmaa8gr7ajr4n-xn"
        count = 8

        [workload]
        model = "deepseek-r1"
        precision = "q8_0"
        context_tokens = 4096
    """))
    got = answer(spec)

    assert got.more_memory is None
    assert [n for n in got.notes if n.startswith(
        "8 more of sk-hynix-hmaa8gr7ajr4n-xn would hold the model, but 16 modules need more "
        "than the board's 8 slots, and no speed is published for 2 DIMMs per channel")] != [], \
        got.notes
