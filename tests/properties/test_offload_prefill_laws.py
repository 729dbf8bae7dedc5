"""Laws of prompt processing with offload under llama.cpp: a faster PCIe link or a larger batch
never lowers the bound, more weights in system memory never raise it, and the bound never
exceeds the GPUs' compute bound."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f
from hwspec.checker import Checker, Options

CHECKER = Checker(Options())
GENS = st.integers(min_value=1, max_value=5)
LANES = st.sampled_from([1, 2, 4, 8, 16])


@given(GENS, LANES, LANES)
def test_a_link_scales_with_its_lanes(gen: int, a: int, b: int) -> None:
    """pcie_link_gbs(g, a) / a == pcie_link_gbs(g, b) / b."""
    assert abs(f.pcie_link_gbs(gen, a) / a - f.pcie_link_gbs(gen, b) / b) < 1e-12


@given(st.integers(min_value=1, max_value=4), LANES)
def test_a_newer_generation_is_never_slower(gen: int, lanes: int) -> None:
    """Each PCIe generation moves at least as much per lane as the one before."""
    assert f.pcie_link_gbs(gen + 1, lanes) >= f.pcie_link_gbs(gen, lanes)


def _spec(gen: int, lanes: int, gpu_layers: int, batch: int) -> str:
    return (
        '[build]\nname = "x"\n[cpu]\npart = "amd-ryzen-9-7950x"\n'
        '[[memory]]\nname = "m"\ngeneration = "DDR5"\nkind = "UDIMM"\ncapacity_gib = 48\n'
        'speed_mts = 5600\ncount = 2\n'
        f'[[gpu]]\npart = "nvidia-rtx-4090"\npcie_gen = {gen}\npcie_lanes = {lanes}\n'
        '[workload]\nmodel = "llama-3.3-70b"\nprecision = "q4_k_m"\ncontext_tokens = 4096\n'
        f'engine = "llama.cpp"\noffload = "layers"\ngpu_layers = {gpu_layers}\n'
        f'prefill_batch = {batch}\n')


def _bound(gen: int, lanes: int, gpu_layers: int, batch: int) -> float:
    facts = CHECKER.check_text(_spec(gen, lanes, gpu_layers, batch), path="t.toml").facts
    return float(facts["prefill.tokens_per_s_max"])


@given(GENS, LANES, st.integers(min_value=1, max_value=79), st.integers(1, 4096))
def test_a_faster_link_or_larger_batch_never_lowers_the_bound(gen: int, lanes: int,
                                                              layers: int, batch: int) -> None:
    """Doubling the lanes, or the batch, never lowers prefill.tokens_per_s_max."""
    base = _bound(gen, lanes, layers, batch)
    assert _bound(gen, min(lanes * 2, 16), layers, batch) >= base
    assert _bound(gen, lanes, layers, min(batch * 2, 8192)) >= base


@given(GENS, LANES, st.integers(min_value=2, max_value=79), st.integers(1, 4096))
def test_fewer_layers_on_the_gpu_never_raise_the_bound(gen: int, lanes: int, layers: int,
                                                       batch: int) -> None:
    """Moving a layer from the GPU to system memory adds weights to copy per batch."""
    assert _bound(gen, lanes, layers - 1, batch) <= _bound(gen, lanes, layers, batch)


@given(GENS, LANES, st.integers(min_value=1, max_value=79), st.integers(1, 4096))
def test_the_link_bound_never_beats_the_gpus_compute(gen: int, lanes: int, layers: int,
                                                     batch: int) -> None:
    """The bound is at most the GPUs' compute bound on every active parameter (660.6 dense
    INT8 TOPS for a 4090 multiplying q4_k_m weights with int8 kernels; 2 operations per
    parameter per token)."""
    facts = CHECKER.check_text(_spec(gen, lanes, layers, batch), path="t.toml").facts
    compute = 660.6e12 / (2 * float(facts["model.active_params_b"]) * 1e9)
    assert float(facts["prefill.tokens_per_s_max"]) <= compute * (1 + 1e-9)
