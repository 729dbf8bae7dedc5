"""Laws of placement: keeping more layers' experts in system memory never raises decode, and
holding more of a storage-mapped model in memory never lowers it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import hwspec
from hwspec import formulas

HYBRID = """
[build]
name = "Desktop with one card"
[board]
part = "msi-meg-x870e-godlike"
[cpu]
part = "amd-ryzen-9-9950x"
[[memory]]
part = "crucial-ct64g56c46u5"
count = {modules}
[[gpu]]
part = "{gpu}"
[workload]
model = "{model}"
precision = "{precision}"
context_tokens = {context}
cpu_moe_layers = {cpu_moe_layers}
"""

MAPPED = """
[build]
name = "Weights mapped from the drive"
[cpu]
part = "amd-epyc-9655"
[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = 6
[[storage]]
part = "wd-black-sn850x-2tb"
[workload]
model = "{model}"
precision = "{precision}"
context_tokens = {context}
weights_from_storage = true
overhead_gib = {overhead}
"""

moe_models = st.sampled_from(["qwen3-235b-a22b", "gpt-oss-120b", "deepseek-r1", "glm-4.5-air",
                              "qwen3-30b-a3b"])
precisions = st.sampled_from(["q4_k_m", "q8_0", "mxfp4", "bf16"])
gpus = st.sampled_from(["nvidia-rtx-3090", "nvidia-rtx-4090", "nvidia-rtx-5090"])


def _bound(text: str) -> float:
    facts = hwspec.validate(hwspec.loads(text)).facts
    assert facts is not None
    value = facts["decode.tokens_per_s_max"]
    assert isinstance(value, float | int)
    return float(value)


@given(moe_models, precisions, gpus, st.integers(1, 65536), st.integers(0, 100),
       st.integers(0, 100))
def test_moving_experts_to_the_cpu_never_raises_decode(model: str, precision: str, gpu: str,
                                                       context: int, fewer: int,
                                                       more: int) -> None:
    """More layers' experts in system memory (--n-cpu-moe up) never raises the decode bound."""
    fewer, more = min(fewer, more), max(fewer, more)
    def bound(layers: int) -> float:
        return _bound(HYBRID.format(modules=2, gpu=gpu, model=model, precision=precision,
                                    context=context, cpu_moe_layers=layers))

    assert bound(more) <= bound(fewer) * (1 + 1e-9)


@given(moe_models, precisions, st.integers(1, 65536), st.floats(0, 1000), st.floats(0, 1000))
def test_more_bytes_resident_never_lowers_decode(model: str, precision: str, context: int,
                                                 less: float, more: float) -> None:
    """On the same machine, leaving more of a storage-mapped model's weights resident (less
    memory taken by everything else) never lowers the decode bound."""
    less, more = min(less, more), max(less, more)
    def bound(overhead: float) -> float:
        return _bound(MAPPED.format(model=model, precision=precision, context=context,
                                    overhead=overhead))

    assert bound(less) >= bound(more) * (1 - 1e-9)


@given(st.floats(0, 1e4), st.floats(0, 1e4), st.floats(0, 1e4))
def test_storage_share_lies_between_none_and_every_weight(required: float, usable: float,
                                                          ram_weights: float) -> None:
    """The weights left on the drive are never negative and never more than the weights."""
    share = formulas.storage_backed_weights_gib(required, usable, ram_weights)
    assert 0 <= share <= ram_weights


@given(st.integers(0, 200), st.integers(1, 200), st.floats(0, 1))
def test_partial_expert_share_lies_between_all_and_none_in_ram(cpu_moe_layers: int, layers: int,
                                                               all_in_ram: float) -> None:
    """The GPUs' share with some experts in system memory lies between all of them there and
    none of them there."""
    share = formulas.partial_expert_gpu_share(
        all_in_ram, formulas.cpu_moe_fraction(cpu_moe_layers, layers))
    assert all_in_ram - 1e-12 <= share <= 1 + 1e-12
