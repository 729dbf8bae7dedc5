"""Closed vocabularies of the spec format (module kinds, memory generations, precisions) and the
one spelling of the open ones (sockets, platform ids).

These are domain words a spec may use; they are shared by the loader (to reject typos with a
did-you-mean) and by the formulas (bits per weight). Nothing here is computed.
"""

from __future__ import annotations

import enum
from typing import Final

from hwspec.findings import Severity

MODULE_KINDS: Final = ("RDIMM", "3DS-RDIMM", "LRDIMM", "3DS-LRDIMM", "MRDIMM", "UDIMM", "CUDIMM",
                        "SODIMM")
"""Memory module kinds. RDIMM, 3DS-RDIMM, LRDIMM, 3DS-LRDIMM (DDR4 servers) and MRDIMM are
registered/buffered server modules;
UDIMM, CUDIMM (clocked UDIMM) and SODIMM are unbuffered desktop and laptop modules."""

MEMORY_GENERATIONS: Final = ("DDR4", "DDR5")


def canonical_socket(name: str) -> str:
    """The one spelling of a CPU socket: lower case, no spaces, hyphens or underscores
    ("SP5", "LGA 4677" and "sTR5" are "sp5", "lga4677" and "str5", as the catalog writes them)."""
    return _squeeze(name).lower()


def canonical_generation(name: str) -> str:
    """The one spelling of a memory generation: upper case, no spaces, hyphens or underscores
    ("ddr5" and "DDR-5" are "DDR5")."""
    return _squeeze(name).upper()


def canonical_id(name: str) -> str:
    """The one spelling of a catalog id (platform ids such as "sp5-turin"): lower case, trimmed."""
    return name.strip().lower()


PRECISION_SPELLINGS: Final[dict[str, str]] = {"f32": "fp32", "f16": "fp16"}
"""GGUF file names' words for the plain float formats ("Model-F16.gguf"), as the vocabulary
writes them."""


def canonical_precision(name: str) -> str:
    """The one spelling of a weight precision: lower case and trimmed, as a GGUF file name gives
    it ("Q4_K_M", "IQ2_XXS" and "UD-Q2_K_XL" are "q4_k_m", "iq2_xxs" and "ud-q2_k_xl"; "F16"
    is "fp16")."""
    word = name.strip().lower()
    return PRECISION_SPELLINGS.get(word, word)


def _squeeze(name: str) -> str:
    return "".join(name.split()).replace("-", "").replace("_", "")

ATTENTION_KINDS: Final = ("mha", "gqa", "mla")
"""Attention variants that decide the KV-cache formula: multi-head, grouped-query, multi-head
latent."""

BITS_PER_WEIGHT: Final[dict[str, float]] = {
    # Plain floating-point and integer formats: the element width.
    "fp32": 32.0,
    "bf16": 16.0,
    "fp16": 16.0,
    "fp8": 8.0,
    "int8": 8.0,
    "int4": 4.0,
    # OCP Microscaling MXFP4: blocks of 32 FP4 (E2M1) elements sharing one 8-bit E8M0 scale,
    # (32 x 4 + 8) / 32 = 4.25 bits (OCP Microscaling Formats (MX) v1.0, section 5).
    "mxfp4": 4.25,
    # NVFP4: blocks of 16 FP4 (E2M1) elements sharing one FP8 (E4M3) scale, (16 x 4 + 8) / 16
    # = 4.5 bits (NVIDIA, "Introducing NVFP4", developer.nvidia.com/blog; ggml's block_nvfp4 holds
    # 64 weights in 36 bytes, the same 4.5). fp4 is the bare E2M1 element, with no block scale.
    "nvfp4": 4.5,
    "fp4": 4.0,
    # GGUF block types: bytes per block x 8 / weights per block, from the block structs and their
    # size asserts in ggml/src/ggml-common.h
    # (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h). A file
    # quantised "to" one of these keeps some tensors wider (norms in f32, the output in q6_k), so
    # these are per-tensor figures; for a whole file give bits_per_weight from its size.
    "q8_0": 8.5,  # block_q8_0: fp16 d + 32 x int8 = 34 B / 32
    "q5_1": 6.0,  # block_q5_1: fp16 d, m + 4 B high bits + 16 B nibbles = 24 B / 32
    "q5_0": 5.5,  # block_q5_0: fp16 d + 4 B high bits + 16 B nibbles = 22 B / 32
    "q4_1": 5.0,  # block_q4_1: fp16 d, m + 16 B nibbles = 20 B / 32
    "q4_0": 4.5,  # block_q4_0: fp16 d + 16 B nibbles = 18 B / 32
    # The K-quant block types under names no tool gives a mix: "q4_k" as llama-quantize takes
    # it is the Q4_K_M mix (below), not this block.
    "q6_k_block": 6.5625,  # block_q6_K: 128 + 64 + 16 + 2 = 210 B / 256
    "q5_k_block": 5.5,  # block_q5_K: 2 + 2 + 12 + 32 + 128 = 176 B / 256
    "q4_k_block": 4.5,  # block_q4_K: 2 + 2 + 12 + 128 = 144 B / 256
    "q3_k_block": 3.4375,  # block_q3_K: 32 + 64 + 12 + 2 = 110 B / 256
    "q2_k_block": 2.625,  # block_q2_K: 16 + 64 + 2 + 2 = 84 B / 256
    "iq4_nl": 4.5,  # block_iq4_nl: fp16 d + 16 B = 18 B / 32
    "iq4_xs": 4.25,  # block_iq4_xs: 2 + 2 + 4 + 128 = 136 B / 256
    "iq3_s": 3.4375,  # block_iq3_s: 2 + 64 + 8 + 32 + 4 = 110 B / 256
    "iq3_xxs": 3.0625,  # block_iq3_xxs: 2 + 96 = 98 B / 256
    "iq2_s": 2.5625,  # block_iq2_s: 2 + 64 + 8 + 8 = 82 B / 256
    "iq2_xs": 2.3125,  # block_iq2_xs: 2 + 64 + 8 = 74 B / 256
    "iq2_xxs": 2.0625,  # block_iq2_xxs: 2 + 64 = 66 B / 256
    "iq1_m": 1.75,  # block_iq1_m: 32 + 16 + 8 = 56 B / 256 (scale packed in the scales)
    "iq1_s": 1.5625,  # block_iq1_s: 2 + 32 + 16 = 50 B / 256
    "tq2_0": 2.0625,  # block_tq2_0: 64 + 2 = 66 B / 256
    "tq1_0": 1.6875,  # block_tq1_0: 48 + 4 + 2 = 54 B / 256
    # The newer block types, from the same file at commit 01243c587feceaa5d6a6c2305535ef2f549c48b8:
    "iq3_nl": 3.5,  # block_iq3_nl: fp16 d + 4 B high bits + 8 B = 14 B / 32
    "iq2_nl": 2.5,  # block_iq2_nl: fp16 d + 8 B = 10 B / 32
    "q2_0": 2.25,  # block_q2_0: fp16 d + 16 B (2 bits each) = 18 B / 64
    "q1_0": 1.125,  # block_q1_0: fp16 d + 16 B (1 bit each) = 18 B / 128
    # llama.cpp's K-quant mixes ("ftypes"): the base block type for most tensors, wider types for
    # some (Q4_K_M: q6_k for attn_v and ffn_down in about half the layers; src/llama-quant.cpp).
    # Whole-file bits per weight as llama.cpp documents them for Llama-3.1-8B
    # (https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/README.md); the same
    # README's Q4_K_M sizes for 70B (43.1 GB) and 405B (249.1 GB) give 4.9 as well.
    "q2_k_s": 2.9697,
    "q3_k_s": 3.6429,
    # Q3_K_M has no row in that table: 3.74 GiB for Llama-3-8B (8.03B parameters), from its
    # QUANT_OPTIONS line in tools/quantize/quantize.cpp, is 3.74 x 2**30 x 8 / 8.03e9 bits.
    "q3_k_m": 4.0008,
    "q3_k_l": 4.2979,
    "q4_k_s": 4.6672,
    "q4_k_m": 4.8944,
    "q5_k_s": 5.5704,
    "q5_k_m": 5.7036,
    # The names llama-quantize takes for the other K mixes: Q2_K and Q6_K are mixes of their
    # own (the README's table: 3.1593 and 6.5633 bits per weight for Llama-3.1-8B), and Q3_K,
    # Q4_K and Q5_K are listed in QUANT_OPTIONS (tools/quantize/quantize.cpp) as "alias for
    # Q3_K_M", "alias for Q4_K_M" and "alias for Q5_K_M".
    "q2_k": 3.1593,
    "q3_k": 4.0008,
    "q4_k": 4.8944,
    "q5_k": 5.7036,
    "q6_k": 6.5633,
    # Unsloth's dynamic quants ("UD-" in their file names) are mixes chosen per model, so their
    # bits per weight belong to one model's files, not to the name. These are DeepSeek-R1's
    # (671B parameters), from the disk sizes Unsloth states for its first dynamic quants
    # (https://unsloth.ai/blog/deepseekr1-dynamic, January 2025: 131, 158, 183 and 212 GB):
    # bits = bytes x 8 / parameters. For another model's UD file give bits_per_weight from its
    # size; a UD name without a source here is refused with that advice.
    "ud-iq1_s": 1.5618,  # 131e9 x 8 / 671e9
    "ud-iq1_m": 1.8838,  # 158e9 x 8 / 671e9
    "ud-iq2_xxs": 2.1818,  # 183e9 x 8 / 671e9
    "ud-q2_k_xl": 2.5276,  # 212e9 x 8 / 671e9
}
"""Bits stored per weight for each precision name a spec may give in ``workload.precision``."""

PRECISIONS: Final = tuple(BITS_PER_WEIGHT)

KV_BYTES_PER_ELEMENT: Final[dict[str, float]] = {
    "f32": 4.0,
    "f16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "q8_0": 34 / 32,  # block_q8_0, as above
    "q4_0": 18 / 32,  # block_q4_0, as above
}
"""Bytes per cached element for each KV-cache precision (``workload.kv_precision``)."""

KV_PRECISIONS: Final = tuple(KV_BYTES_PER_ELEMENT)

BLOCK_KV_PRECISIONS: Final = ("q8_0", "q4_0")
"""KV precisions stored in ggml blocks. llama.cpp's CUDA flash attention converts one layer's
K and V to f16 before its tile kernels read them (ggml/src/ggml-cuda/fattn-common.cuh,
``launch_fattn``: ``K_f16.alloc(ggml_nelements(K))``, and V likewise unless V is a view of K),
a scratch buffer on the GPU beside the cache."""

SCRATCH_ENGINES: Final = ("llama.cpp", "ik_llama.cpp")
"""Engines whose GPU attention converts a block-quantised KV cache in that scratch buffer (an
unnamed engine is taken as llama.cpp, the default the decode figures assume)."""

ENGINES: Final = ("llama.cpp", "ik_llama.cpp", "ktransformers", "sglang", "vllm", "mlx")
"""Inference engines a workload may name; an engine decides how a model's KV cache is stored."""

GPU_SPLITS: Final = ("layers", "tensor")
"""How an engine spreads a model over several GPUs: by whole layers, the GPUs working one after
another on each token (llama.cpp's default ``--split-mode layer``), or every layer's tensors
across all GPUs at once (tensor parallelism: vLLM's and SGLang's ``--tensor-parallel-size``)."""

TENSOR_PARALLEL_ENGINES: Final = ("vllm", "sglang")
"""Engines whose multi-GPU default, as hwspec assumes it, is tensor parallelism; every other
engine (and none named) splits by layers, as llama.cpp, ik_llama.cpp and KTransformers do."""

MLA_LATENT_CACHE_ENGINES: Final = ("llama.cpp", "ik_llama.cpp", "ktransformers", "sglang", "vllm",
                                    "mlx")
"""Engines that cache an MLA model's compressed latent (kv_lora_rank + rope_head_dim values per
token and layer) rather than full per-head K and V: llama.cpp since its MLA support
(github.com/ggml-org/llama.cpp/pull/12801, April 2025, with a GGUF converted after it; until
its V-less cache, pull/19067 of January 2026, with the latent again as a separate V cache:
``workload.kv_layout = "latent-with-v"`` for such a build),
ik_llama.cpp (-mla 1 to 3, default 3), KTransformers, SGLang and vLLM (their MLA attention
backends) and mlx-lm (deepseek_v3.py caches the latent). An older GGUF on llama.cpp, or vLLM
with VLLM_MLA_DISABLE=1, stores full K and V: say so with ``workload.kv_layout = "full"``."""

KV_LAYOUTS: Final = ("latent", "latent-with-v", "full")
"""How an MLA model's KV cache is stored: the compressed latent; the latent with a separate
kv_lora_rank-wide V cache beside it, as llama.cpp kept until its V-less cache
(github.com/ggml-org/llama.cpp/pull/19067, January 2026: "almost x2 less memory for the KV
cache"); or full per-head K and V."""

NUMA_MODES: Final = ("single-socket", "interleave", "replicate-per-socket")
"""How a multi-socket build places the weights: on one socket's memory (using only its bandwidth),
interleaved across every socket (stored once, read across the socket link), or one copy per socket
(each socket reads its own copy at local bandwidth; the weights are stored once per socket)."""

OFFLOAD_MODES: Final = ("none", "layers", "experts-in-ram")
"""How weights are split between GPUs and system memory: not at all, by whole layers
(``workload.gpu_layers`` of them on the GPUs), or everything but the routed experts on the GPUs
with the experts in system memory (KTransformers; llama.cpp's ``--override-tensor exps=CPU``)."""

GPU_MEMORY_SETTINGS: Final = (
    ("apple", "sudo sysctl iogpu.wired_limit_mb={mb}"),
    ("amd", "the Linux kernel parameters amdgpu.gttsize={mb} ttm.pages_limit={pages}"),
)
"""How owners raise the memory an integrated GPU may use, by the [system] processor's vendor (the
first word of its name): macOS's wired-memory limit in MB (reset at each boot; 0 restores the
default), and on Linux the amdgpu driver's GTT size in MiB with TTM's limit in 4 KiB pages
(``pages`` = MiB x 256; https://docs.kernel.org/6.12/gpu/amdgpu/module-parameters.html). A
processor of another vendor (NVIDIA's GB10 shares all of its memory) has no setting here."""


def gpu_memory_setting(processor: str | None, mb: float) -> str | None:
    """The command or kernel parameters that let a [system]'s GPU use ``mb`` MB, or None for a
    processor with no known setting."""
    vendor = processor.strip().lower().split(" ", 1)[0] if processor else ""
    for name, setting in GPU_MEMORY_SETTINGS:
        if vendor == name:
            return setting.format(mb=f"{mb:.0f}", pages=f"{mb * 256:.0f}")
    return None


DEVICES: Final = ("gpu", "cpu")
"""Where a ``[system]`` (a machine with unified memory) runs the model: on its integrated GPU,
as Metal, ROCm, Vulkan and CUDA builds of the engines do by default, or on its CPU cores only."""

PSU_REDUNDANCIES: Final = ("none", "1+1", "n+1")
"""How several PSUs share the load: none (their outputs add up, as two ATX units on a rig do),
1+1 (pairs, each unit able to carry the whole load alone: half the units' sum is usable) or n+1
(one unit spare: all but one unit's output is usable)."""

COOLING_KINDS: Final = ("air", "liquid", "server-fans")
"""What the ``[cooling]`` line is: tower air coolers with their fans, all-in-one liquid coolers
(pump and radiator fans), or a server chassis's high-speed fan wall."""

SEVERITIES: Final = tuple(str(s) for s in Severity)
"""The severity words a pack or a configuration may write."""


class ValueType(enum.Enum):
    """The static type of a name or of an expression's result."""

    NUMBER = "number"
    BOOL = "bool"
    STRING = "string"
    STRINGS = "strings"
    ANY = "any"


FLASH_ATTENTION_ENGINES: Final = ("llama.cpp", "ik_llama.cpp", None)
"""Engines that quantise the V cache only with flash attention on (an unnamed engine is taken as
llama.cpp): llama.cpp's ``llama_init_from_model`` refuses "V cache quantization requires
flash_attn", and ik_llama.cpp keeps that check."""


PLAN_OFFLOADS: Final = ("experts-in-ram",)
"""The offload ``hwspec plan --offload`` can hold every GPU build to; without one, every layer on
the GPUs and the hybrid both compete."""
