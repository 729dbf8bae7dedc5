"""Closed vocabularies of the spec format: module kinds, memory generations, precisions.

These are domain words a spec may use; they are shared by the loader (to reject typos with a
did-you-mean) and by the formulas (bits per weight). Nothing here is computed.
"""

from __future__ import annotations

from typing import Final

MODULE_KINDS: Final = ("RDIMM", "3DS-RDIMM", "LRDIMM", "MRDIMM", "UDIMM", "CUDIMM", "SODIMM")
"""Memory module kinds. RDIMM, 3DS-RDIMM, LRDIMM and MRDIMM are registered/buffered server modules;
UDIMM, CUDIMM (clocked UDIMM) and SODIMM are unbuffered desktop and laptop modules."""

MEMORY_GENERATIONS: Final = ("DDR4", "DDR5")

ATTENTION_KINDS: Final = ("mha", "gqa", "mla")
"""Attention variants that decide the KV-cache formula: multi-head, grouped-query, multi-head latent."""

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
    # GGUF block types: bytes per block x 8 / weights per block, from the block structs in
    # ggml/src/ggml-common.h (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h).
    "q8_0": 8.5,  # block_q8_0: fp16 d + 32 x int8 = 34 B / 32
    "q5_0": 5.5,  # block_q5_0: fp16 d + 4 B high bits + 16 B nibbles = 22 B / 32
    "q4_0": 4.5,  # block_q4_0: fp16 d + 16 B nibbles = 18 B / 32
    "q6_k": 6.5625,  # block_q6_K: 128 + 64 + 16 + 2 = 210 B / 256
    "q5_k": 5.5,  # block_q5_K: 2 + 2 + 12 + 32 + 128 = 176 B / 256
    "q4_k": 4.5,  # block_q4_K: 2 + 2 + 12 + 128 = 144 B / 256
    "q3_k": 3.4375,  # block_q3_K: 32 + 64 + 12 + 2 = 110 B / 256
    "q2_k": 2.625,  # block_q2_K: 16 + 64 + 2 + 2 = 84 B / 256
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

ENGINES: Final = ("llama.cpp", "ik_llama.cpp", "ktransformers", "sglang", "vllm", "mlx")
"""Inference engines a workload may name; an engine decides how a model's KV cache is stored."""

MLA_LATENT_CACHE_ENGINES: Final = ("ik_llama.cpp", "ktransformers", "sglang", "vllm")
"""Engines that cache an MLA model's compressed latent rather than full per-head K and V."""

NUMA_MODES: Final = ("single-socket", "interleave", "replicate-per-socket")
"""How a multi-socket build places the weights: on one socket's memory (using only its bandwidth),
interleaved across every socket (stored once, read across the socket link), or one copy per socket
(each socket reads its own copy at local bandwidth; the weights are stored once per socket)."""

OFFLOAD_MODES: Final = ("none", "layers", "experts-in-ram")
"""How weights are split between GPUs and system memory: not at all, by whole layers
(``workload.gpu_layers`` of them on the GPUs), or everything but the routed experts on the GPUs
with the experts in system memory (KTransformers; llama.cpp's ``--override-tensor exps=CPU``)."""

SEVERITIES: Final = ("error", "warning", "info")
