"""The formulas behind every derived fact: small, pure, typed, with units in their names.

Each function states its formula, its unit and where the formula comes from. They know nothing of
specs, catalogs or rules, so a planner can call them directly::

    >>> memory_bandwidth_gbs(6000, 12)
    576.0
    >>> round(weights_gib(671, 8), 1)
    624.9

Units: ``_gib`` binary gibibytes (2**30 bytes), ``_gb`` decimal gigabytes (10**9 bytes), ``_gbs``
decimal GB/s, ``_mts`` mega-transfers per second, ``_b`` billions of parameters, ``_w`` watts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

GIB = 2**30
"""Bytes in a gibibyte. DRAM modules are sized in binary units: a "32 GB" DIMM holds 32 GiB."""

GB = 10**9
"""Bytes in a gigabyte. Bandwidth and model files are quoted in decimal units."""

DDR_BUS_BYTES = 8
"""Data bytes per transfer on one DDR4 or DDR5 channel: 64 data bits (DDR5: two 32-bit subchannels;
ECC bits are extra and carry no data). JEDEC JESD79-5; SUSE's EPYC 9005 guide: "DDR5-6000 ... peak
channel bandwidth of 48 GB/sec"."""

STREAM_EFFICIENCY = 0.85
"""Share of theoretical DRAM bandwidth that a well-placed STREAM Triad reaches on multi-channel
server platforms, taken at the top of the published range. It gives the sustained bandwidth from
which the expected decode speed starts; the decode bound itself uses theoretical bandwidth, since
a desktop decode has been measured at 85.2 % of theoretical (Ryzen 9 5900X, two channels of
DDR4-3600, Mixtral Q8_0; row R21's source in tests/data/measured):
SUSE measured 600-700 GB/s of 921.6 GB/s on 2 x EPYC 9755 with 24 x DDR5-4800 (65-76 %), Microsoft
reports 650-780 GB/s STREAM Triad on Azure HBv4 (2 x Genoa, up to 85 %) and 330-350 of 409.6 GB/s
on HBv3 (81-85 %). Sources:
documentation.suse.com/sbp/tuning-performance/html/SBP-AMD-EPYC-5-SLES15SP6/,
learn.microsoft.com/en-us/azure/high-performance-computing/performance-benchmarking/stream-benchmark."""

DEFAULT_OVERHEAD_FRACTION = 0.05
"""Memory reserved beyond weights and KV cache when a spec does not state ``overhead_gib``: the
engine's compute buffers, the runtime and the operating system, as a share of weights + KV cache.
A policy default, not a measurement: set ``workload.overhead_gib`` from your engine's load log."""


def module_count(units: int, modules_per_kit: int) -> int:
    """Memory modules bought: ``units x modules_per_kit`` (a 2 x 32 GB kit is 2 modules)."""
    return units * modules_per_kit


def memory_capacity_gib(modules: int, module_gib: float) -> float:
    """Installed memory in GiB: ``modules x module_gib``. Module capacities are binary (JEDEC)."""
    return modules * module_gib


def channels_total(channels_per_socket: int, sockets: int) -> int:
    """Memory channels on the populated sockets: ``channels_per_socket x sockets``."""
    return channels_per_socket * sockets


def populated_channels(modules: int, channels: int) -> int:
    """Channels holding at least one module when modules are spread evenly:
    ``min(modules, channels)``."""
    return min(modules, channels)


def dimms_per_channel(modules: int, channels: int) -> int:
    """DIMMs on the fullest channel when modules are spread evenly: ``ceil(modules / channels)``.

    Memory controllers run every channel at the speed its population allows, so the fullest
    channel sets the speed (AMD EPYC 9004 memory population guide; Intel Xeon population guides).
    """
    if channels <= 0:
        raise ValueError(f"channels must be positive, got {channels}")
    return max(1, math.ceil(modules / channels))


def channels_balanced(modules: int, channels: int) -> bool:
    """Whether every channel holds the same number of modules: ``modules mod channels == 0``."""
    return modules % channels == 0


def sockets_balanced(modules: int, sockets: int) -> bool:
    """Whether every populated socket can hold the same number of modules:
    ``modules mod sockets == 0``. On a multi-socket board each socket is a NUMA node with its own
    memory controllers; unequal nodes leave one socket's threads reading remote memory (AMD's and
    Intel's population guides: populate every socket identically)."""
    if sockets <= 0:
        raise ValueError(f"sockets must be positive, got {sockets}")
    return modules % sockets == 0


def speed_limit_mts(dimms_per_channel: int, limit_1dpc_mts: float | None,
                    limit_2dpc_mts: float | None) -> float | None:
    """The platform's (or board's) top speed at a population, in MT/s: its 1DPC figure for one DIMM
    per channel, its 2DPC figure for two; None where the vendor gives none (more than two DIMMs
    per channel has no DDR5 speed table)."""
    if dimms_per_channel <= 1:
        return limit_1dpc_mts
    if dimms_per_channel == 2:
        return limit_2dpc_mts
    return None


def effective_mts(rated_mts: float, limits_mts: Iterable[float]) -> float:
    """The speed memory actually runs at, in MT/s: ``min(rated, each platform/board limit)``.

    A module never runs above its own rating nor above what the memory controller and board allow
    at that population (AMD EPYC 9004/9005 and Intel Xeon memory population guides).
    """
    return min([rated_mts, *limits_mts])


def channel_bandwidth_gbs(mts: float) -> float:
    """Peak bandwidth of one DDR channel in GB/s: ``MT/s x 8 B / 1000`` (DDR5-6000 -> 48 GB/s)."""
    return mts * DDR_BUS_BYTES / 1000


def memory_bandwidth_gbs(mts: float, channels: int) -> float:
    """Theoretical aggregate bandwidth in GB/s: ``MT/s x 8 B x channels / 1000``.

    SUSE, EPYC 9005 guide: "DDR5-6000 ... peak channel bandwidth of 48 GB/sec or 576 GB/sec total
    throughput across a socket" (12 channels).
    """
    return channel_bandwidth_gbs(mts) * channels


def unified_bandwidth_gbs(bus_width_bits: int, mts: float) -> float:
    """Peak bandwidth of a unified-memory SoC in GB/s: ``bus width / 8 x MT/s / 1000``.

    An LPDDR bus is counted by its width, not in 64-bit DDR channels: Apple's M4 Max has a 512-bit
    LPDDR5X-8533 bus, 512 / 8 x 8533 = 546 GB/s, the figure Apple states; AMD's Ryzen AI Max+ 395
    a 256-bit LPDDR5X-8000 bus, 256 GB/s (TechPowerUp, the launch coverage).
    """
    return bus_width_bits / 8 * mts / 1000


def sustained_bandwidth_gbs(theoretical_gbs: float, efficiency: float = STREAM_EFFICIENCY) -> float:
    """Bandwidth a streaming workload can sustain, in GB/s: ``theoretical x efficiency``
    (``STREAM_EFFICIENCY`` by default; see its sources)."""
    return theoretical_gbs * efficiency


def ccd_limited_bandwidth_gbs(channel_sustained_gbs: float, ccds: int,
                              read_gbs_per_ccd: float) -> float:
    """Sustained bandwidth of one AMD socket whose chiplets cannot fill its channels, in GB/s:
    ``min(channel figure, CCDs x read bandwidth per CCD)``.

    Every core complex die (CCD) reaches memory through its own link to the I/O die, and one link
    reads only so fast, so a part with few CCDs reads less than its channels offer (a 4-CCD
    Threadripper PRO 3975WX against eight channels of DDR4-3200; see the platform entries'
    ``ccd_read_gbs`` for each generation's sourced figure).
    """
    return min(channel_sustained_gbs, ccds * read_gbs_per_ccd)


def placed_sustained_gbs(sustained_gbs: float, usable_gbs: float, theoretical_gbs: float) -> float:
    """Sustained bandwidth under a NUMA placement, in GB/s: ``sustained x usable / theoretical``.

    The whole machine's sustained figure (measured, or estimated) keeps its share of theoretical
    when a placement uses only part of the machine's bandwidth (one socket's, or what the socket
    link lets through), so a measured 300 of 409.6 GB/s is 150 GB/s on one of two sockets.
    """
    return sustained_gbs * usable_gbs / theoretical_gbs if theoretical_gbs else sustained_gbs


def weights_bytes(params_b: float, bits_per_weight: float) -> float:
    """Bytes of model weights: ``params_b x 10**9 x bits_per_weight / 8``."""
    return params_b * 1e9 * bits_per_weight / 8


def weights_gib(params_b: float, bits_per_weight: float) -> float:
    """Model weights in GiB: ``params_b x 10**9 x bits / 8 / 2**30`` (671B at FP8 -> 624.9 GiB)."""
    return weights_bytes(params_b, bits_per_weight) / GIB


def weights_gb(params_b: float, bits_per_weight: float) -> float:
    """Model weights in GB (decimal): ``params_b x bits / 8`` (671B at FP8 -> 671 GB)."""
    return weights_bytes(params_b, bits_per_weight) / GB


def kv_cache_bytes_gqa(layers: int, kv_heads: int, head_dim: int, bytes_per_element: float,
                       tokens: int, batch: int) -> float:
    """KV cache of multi-head or grouped-query attention, in bytes:
    ``2 (K and V) x layers x kv_heads x head_dim x bytes x tokens x batch``.

    With ``kv_heads == heads`` this is plain multi-head attention (Ainslie et al. 2023, GQA,
    arXiv:2305.13245; the cache size is what vLLM and llama.cpp allocate per token).
    """
    return 2 * layers * kv_heads * head_dim * bytes_per_element * tokens * batch


def kv_cache_bytes_mla(layers: int, kv_lora_rank: int, rope_head_dim: int,
                       bytes_per_element: float, tokens: int, batch: int) -> float:
    """KV cache of multi-head latent attention, in bytes:
    ``layers x (kv_lora_rank + rope_head_dim) x bytes x tokens x batch``.

    MLA caches one compressed latent (``d_c = kv_lora_rank``) and one shared RoPE key
    (``d_h^R = qk_rope_head_dim``) per token and layer (DeepSeek-V2, arXiv:2405.04434, section 2.1;
    DeepSeek-V3 config: 61 layers, 512 + 64). Engines without MLA support store full K and V
    instead (``kv_cache_bytes_mla_expanded``).
    """
    return layers * (kv_lora_rank + rope_head_dim) * bytes_per_element * tokens * batch


def quantized_kv_scratch_bytes(k_width: int, v_width: int, tokens: int, batch: int) -> float:
    """The f16 copy of one layer's K and V that llama.cpp's CUDA flash attention makes of a
    block-quantised cache (q8_0, q4_0) before its tile kernels read it, in bytes:
    ``(k_width + v_width) x tokens x batch x 2``.

    ``k_width`` and ``v_width`` are the values one token's K and V hold in one layer (KV heads x
    head dimension; under MLA the latent is K and V is a view of it, so ``v_width`` is 0). The
    buffer is taken from the GPU's pool once per layer and reused, so it is one layer's worth
    whatever the depth (ggml/src/ggml-cuda/fattn-common.cuh, ``launch_fattn``).
    """
    return (k_width + v_width) * tokens * batch * 2


def linear_attention_state_bytes(layers: int, key_heads: int, value_heads: int,
                                 key_head_dim: int, value_head_dim: int, conv_kernel: int,
                                 batch: int, bytes_per_element: float = 4) -> float:
    """The fixed state of a hybrid model's linear-attention layers, in bytes, whatever the
    context: ``layers x (value_heads x key_head_dim x value_head_dim + (2 x key_heads x
    key_head_dim + value_heads x value_head_dim) x (conv_kernel - 1)) x bytes x batch``.

    A Gated DeltaNet layer keeps, per sequence, a key x value matrix for each value head, and the
    last ``conv_kernel - 1`` inputs of its short convolution over the query, key and value
    channels (transformers' Qwen3-Next cache: recurrent states of shape (value heads, key dim,
    value dim), conv states over ``2 x key_heads x key_head_dim + value_heads x value_head_dim``
    channels). llama.cpp keeps both in F32, 4 bytes a value. Qwen3-Next-80B-A3B: 36 layers x
    (32 x 128 x 128 + 8,192 x 3) x 4 B = 79 MB per sequence.
    """
    state = value_heads * key_head_dim * value_head_dim
    conv = (2 * key_heads * key_head_dim + value_heads * value_head_dim) * (conv_kernel - 1)
    return layers * (state + conv) * bytes_per_element * batch


def dsa_indexer_cache_bytes(layers: int, index_head_dim: int, tokens: int, batch: int) -> float:
    """Key cache of DeepSeek Sparse Attention's lightning indexer, in bytes:
    ``layers x (index_head_dim x 1 + index_head_dim / 128 x 4) x tokens x batch``.

    Beside the MLA latent, each layer caches one indexer key per token in FP8 (one byte a value)
    with an FP32 scale per 128 values: DeepSeek-V3.2-Exp's inference/model.py keeps ``k_cache``
    (``index_head_dim`` values, float8_e4m3fn) and ``k_scale_cache`` (``index_head_dim // 128``
    values, float32). DeepSeek-V3.2-Exp: 61 x (128 + 4) = 8,052 B per token.
    """
    return layers * (index_head_dim + index_head_dim / 128 * 4) * tokens * batch


def kv_cache_bytes_mla_with_v(layers: int, kv_lora_rank: int, rope_head_dim: int,
                              bytes_per_element: float, tokens: int, batch: int) -> float:
    """KV cache of an MLA model as llama.cpp stored it before its V-less cache, in bytes:
    ``layers x (kv_lora_rank + rope_head_dim + kv_lora_rank) x bytes x tokens x batch``.

    The latent and the RoPE key went in the K cache and the latent again in a separate V cache
    (kv_lora_rank wide); github.com/ggml-org/llama.cpp/pull/19067 (January 2026) made the V cache
    a view of K, "almost x2 less memory for the KV cache". DeepSeek-V3: 61 x (512 + 64 + 512) =
    66,368 elements per token against 35,136 with the latent alone.
    """
    return layers * (2 * kv_lora_rank + rope_head_dim) * bytes_per_element * tokens * batch


def kv_cache_bytes_mla_expanded(layers: int, heads: int, k_head_dim: int, v_head_dim: int,
                                bytes_per_element: float, tokens: int, batch: int) -> float:
    """KV cache of an MLA model run by an engine that stores full per-head K and V, in bytes:
    ``layers x heads x (k_head_dim + v_head_dim) x bytes x tokens x batch``.

    Without MLA support the latent is expanded back into per-head keys (``qk_nope_head_dim +
    qk_rope_head_dim`` wide) and values (``v_head_dim``) before caching, as a plain multi-head
    model would (DeepSeek-V2, arXiv:2405.04434, table 1 compares the two: MLA caches
    ``(d_c + d_h^R) x l`` elements per token, MHA ``2 n_h d_h l``). DeepSeek-V3: 61 x 128 x
    (192 + 128) = 2,498,560 elements per token, 4.77 MiB at f16, against 70,272 B with MLA.
    """
    return layers * heads * (k_head_dim + v_head_dim) * bytes_per_element * tokens * batch


def cached_tokens(context_tokens: int, window_tokens: int | None) -> int:
    """Tokens one layer keeps in its KV cache: ``min(context, window)`` for a sliding-window layer,
    the whole context for a full-attention layer (``window_tokens`` None). A windowed layer
    attends only to the last ``window`` tokens, so older keys and values are dropped (Mistral 7B,
    arXiv:2310.06825, section 2: "rolling buffer cache"; Gemma 3 technical report, section 2.2)."""
    if window_tokens is None:
        return context_tokens
    return min(context_tokens, window_tokens)


def bytes_to_gib(n_bytes: float) -> float:
    """Bytes to GiB: ``n / 2**30``."""
    return n_bytes / GIB


def bytes_to_gb(n_bytes: float) -> float:
    """Bytes to GB: ``n / 10**9``."""
    return n_bytes / GB


def overhead_gib(weights_gib: float, kv_cache_gib: float,
                 fraction: float = DEFAULT_OVERHEAD_FRACTION) -> float:
    """Default memory reserve in GiB: ``fraction x (weights + KV cache)``
    (``DEFAULT_OVERHEAD_FRACTION``; a stated ``workload.overhead_gib`` replaces it)."""
    return fraction * (weights_gib + kv_cache_gib)


def decode_bytes_per_token(active_params_b: float, bits_per_weight: float,
                           kv_cache_bytes: float) -> float:
    """Bytes read from memory to generate one token of every sequence in a batch:
    ``active_params_b x 10**9 x bits / 8 + KV cache bytes`` (every active weight once, the whole
    KV cache once). For a mixture-of-experts model only the active parameters are read."""
    return weights_bytes(active_params_b, bits_per_weight) + kv_cache_bytes


def decode_tokens_per_s_max(bandwidth_gbs: float, bytes_per_token: float) -> float:
    """Memory-bandwidth bound on decode speed per sequence, in tokens/s:
    ``bandwidth_gbs x 10**9 / bytes_per_token``. Decode of one token must stream the active weights
    and the KV cache from memory, so no engine can beat this on that memory (roofline model,
    Williams et al. 2009)."""
    return bandwidth_gbs * GB / bytes_per_token


def decode_tokens_per_s_split(reads: Iterable[tuple[float, float]]) -> float:
    """Bandwidth bound on decode speed when a token's bytes come from several memories (GPU VRAM
    and system RAM), in tokens/s: ``1 / sum(bytes_i / (bandwidth_gbs_i x 10**9))``.

    Each device streams its share of the token's bytes at its own bandwidth, one after the other
    (layers run in order, and with experts in RAM the experts wait for attention on the GPU); with
    one device it is ``decode_tokens_per_s_max``. ``reads`` holds (bytes, GB/s) pairs; a pair
    with no bytes costs nothing, and bytes at a bandwidth too small to express (0 GB/s) take
    forever, so the bound is 0.
    """
    seconds = sum(_time(n_bytes, bandwidth_gbs * GB) for n_bytes, bandwidth_gbs in reads
                  if n_bytes)
    return math.inf if seconds == 0 else 1 / seconds


def _time(work: float, rate: float) -> float:
    """``work / rate``, infinite at a rate of 0 (an underflowed figure): the limit, not an
    error."""
    return math.inf if rate == 0 else work / rate


def layer_split_bandwidth_gbs(cards: Iterable[tuple[float, float]]) -> float:
    """Bandwidth a token sees from GPUs that each hold a share of the layers, in GB/s:
    ``1 / sum(share_i / bandwidth_gbs_i)``, shares summing to 1.

    Under a layer split (llama.cpp's default ``--split-mode layer``) a token's layers run in
    order, so each GPU streams its share while the others wait: n identical GPUs give one GPU's
    bandwidth, never n times it, and the split is never faster than its fastest GPU alone.
    ``cards`` holds (share, GB/s) pairs, one per GPU; a card at 0 GB/s makes the split 0.
    """
    seconds = sum(_time(share, bandwidth_gbs) for share, bandwidth_gbs in cards if share)
    return math.inf if seconds == 0 else 1 / seconds


def tensor_split_bandwidth_gbs(bandwidths_gbs: Iterable[float]) -> float:
    """Bandwidth a token sees from GPUs under tensor parallelism, in GB/s: ``sum(bandwidth_i)``.

    Every layer's weights are split across all GPUs, which read their slices at once (vLLM's and
    SGLang's ``--tensor-parallel-size``); the sum is the bound, before the all-reduce between
    GPUs that real runs also pay.
    """
    return sum(bandwidths_gbs)


def numa_interleave_bandwidth_gbs(aggregate_gbs: float, sockets: int,
                                  link_gbs: float | None = None) -> float:
    """Bandwidth a token can use when weights are interleaved across ``sockets`` NUMA nodes, in
    GB/s: ``min(aggregate, 2 x link x sockets / (sockets - 1))``, with ``link`` the socket link's
    bandwidth in one direction.

    Interleaved pages put ``(s - 1) / s`` of every read on another socket's memory. Every socket
    reads at once, so the remote share flows both ways: on two sockets each direction of the link
    carries a quarter of the aggregate, and the link caps the aggregate at four times its
    one-way figure. Beyond two sockets the links' topology is not modelled; the same two
    directions are counted, an underestimate where more links join the sockets. With the link's
    bandwidth unknown, the aggregate bandwidth of all sockets is the (optimistic) bound.
    """
    if sockets <= 1 or link_gbs is None:
        return aggregate_gbs
    return min(aggregate_gbs, 2 * link_gbs * sockets / (sockets - 1))


def weight_copies(numa_mode: str | None, sockets: int) -> int:
    """Copies of the weights in system memory: one per socket under ``replicate-per-socket``
    (KTransformers' dual-socket mode copies the weights into both NUMA nodes), else one."""
    return sockets if numa_mode == "replicate-per-socket" and sockets > 1 else 1


def routed_active_params_b(expert_params_b: float, experts: int, experts_per_token: int) -> float:
    """Routed-expert parameters one token reads, in billions:
    ``expert_params_b x experts_per_token / experts`` (each MoE layer runs ``experts_per_token``
    of its ``experts`` routed experts)."""
    return expert_params_b * experts_per_token / experts


def moe_active_params_b(params_b: float, expert_params_b: float, experts: int,
                        experts_per_token: int) -> float:
    """Parameters one token reads in a mixture of experts that states no active count, in
    billions: everything but the routed experts, plus the routed share one token runs,
    ``params_b - expert_params_b + expert_params_b x experts_per_token / experts``. DeepSeek-V3's
    config gives 671 - 653.91 + 653.91 x 8 / 256 = 37.5 B against its card's "37B activated"."""
    return params_b - expert_params_b + routed_active_params_b(expert_params_b, experts,
                                                               experts_per_token)


def cpu_moe_fraction(cpu_moe_layers: int, layers: int) -> float:
    """Share of the routed experts kept in system memory under llama.cpp's ``--n-cpu-moe N``:
    ``min(N, layers) / layers``. The option keeps the expert tensors of the first N layers on
    the CPU (common/arg.cpp, ``llm_ffn_exps_cpu_override``); the experts are taken as spread
    evenly over the layers, so a model whose first layers are dense (DeepSeek-V3's three) keeps
    a little less in system memory than this says."""
    if layers <= 0:
        return 1.0
    return min(max(cpu_moe_layers, 0), layers) / layers


def partial_expert_gpu_share(all_experts_in_ram_gpu_share: float, in_ram_fraction: float) -> float:
    """Share of the weights on the GPUs when only ``in_ram_fraction`` of the routed experts stay
    in system memory: ``1 - (1 - s) x f``, where ``s`` is the GPU share with every expert in
    system memory (so ``1 - s`` is the experts' share of the weights)."""
    return 1 - (1 - all_experts_in_ram_gpu_share) * in_ram_fraction


def storage_backed_weights_gib(required_gib: float, usable_gib: float,
                               ram_weights_gib: float) -> float:
    """Weights read from storage when the engine maps them (mmap) and system memory cannot hold
    them all: ``min(max(required - usable, 0), ram_weights)``. The page cache keeps what fits;
    the KV cache and the engine's buffers must stay resident, so only weights can be left on
    the drive (llama.cpp's ``--mmap``, the default; the kernel evicts clean file pages)."""
    return min(max(required_gib - usable_gib, 0.0), ram_weights_gib)


def storage_bytes_per_token(expert_bytes_per_token: float, other_bytes_per_token: float,
                            storage_gib: float, expert_gib: float, other_gib: float) -> float:
    """Bytes read from storage per generated token, when ``storage_gib`` of the weights in
    system memory (``expert_gib`` of routed experts, ``other_gib`` of the rest) stay on the
    drive: ``expert_bytes x min(storage / expert_gib, 1) + other_bytes x max(storage -
    expert_gib, 0) / other_gib``. Every token reads the weights outside the routed experts, so
    the page cache (least recently used first) keeps them and leaves experts on the drive; a
    token's routed experts are spread evenly over all of them (the router balances its load),
    so it finds the resident share of them in memory. A dense model's weights are all "other"."""
    experts = (expert_bytes_per_token * min(storage_gib / expert_gib, 1.0)
               if expert_gib > 0 else 0.0)
    spill = max(storage_gib - max(expert_gib, 0.0), 0.0)
    other = other_bytes_per_token * min(spill / other_gib, 1.0) if other_gib > 0 else 0.0
    return experts + other


def attention_params_b(layers: int, hidden_size: int, heads: int, kv_heads: int,
                       head_dim: int) -> float:
    """Parameters of an MHA or GQA model's attention projections, in billions:
    ``layers x hidden x head_dim x (2 x heads + 2 x kv_heads) / 10**9`` (Q and the output
    projection are hidden x heads x head_dim each, K and V hidden x kv_heads x head_dim each, as
    in Hugging Face transformers' LlamaAttention; biases and norms are left to the rest)."""
    return layers * hidden_size * head_dim * (2 * heads + 2 * kv_heads) / 1e9


def mixed_weights_gb(groups: Iterable[tuple[float, float]]) -> float:
    """Weights of a model whose tensor groups are stored at different widths, in GB:
    ``sum(params_b x bits / 8)`` over the groups (gpt-oss keeps attention, embeddings and the
    output head in BF16 beside MXFP4 experts: its quantization_config's
    modules_to_not_convert)."""
    return sum(params_b * bits / 8 for params_b, bits in groups)


def llama_cpp_compute_buffer_bytes(vocab: int, hidden: int, heads: int, context: int,
                                   ubatch: int, flash_attention: bool) -> float:
    """llama.cpp's compute buffer on the device that holds the output layer, in bytes: the
    larger of the graph's two peaks, each a set of f32 tensors alive together (ggml-alloc
    reuses memory between them).

    - Output: the logits of every token of a micro-batch and the hidden state they come from,
      ``ubatch x (vocab + hidden) x 4`` (the worst-case graph llama.cpp reserves outputs every
      token; llama-server builds from 2026 reserve one output per slot instead).
    - Attention without flash attention: the scores of every head against the whole cache, the
      f32 mask, and four hidden states, ``ubatch x (heads x context + context + 4 x hidden) x
      4``; with flash attention only the mask (f16) and the hidden states,
      ``ubatch x (context x 2 + 4 x hidden x 4)``.

    Fitted to load logs (tests/data/overhead/llama_cpp_buffers.toml): Llama 3 8B at -c 512
    -ub 512 logs 258.50 MiB = 512 x (128,256 + 4,096) x 4; Mistral 7B v0.2 at -c 32768 logs
    2,144 MiB = 512 x (32 x 32,768 + 32,768 + 16,384) x 4; Qwen2.5 7B on Metal at 131,104
    cells logs 7,453.81 MiB = 512 x (28 x 131,104 + 131,104 + 14,336) x 4. Nine logged loads
    (CUDA, Metal and Vulkan, 512 to 131,104 tokens of context) match within 0.2 %; DeepSeek-V2
    at 4,096 tokens on Vulkan (128 heads; llama.cpp issue 12728) logs 1,174 MiB against 1,072,
    its graph keeping more beside the scores than this counts."""
    output = ubatch * (vocab + hidden) * 4
    if flash_attention:
        attention = ubatch * (context * 2 + 4 * hidden * 4)
    else:
        attention = ubatch * (heads * context + context + 4 * hidden) * 4
    return float(max(output, attention))


def llama_cpp_host_compute_buffer_bytes(hidden: int, context: int, ubatch: int) -> float:
    """llama.cpp's compute buffer in host memory with every layer on the GPU, in bytes: the
    token embeddings of a micro-batch and the attention mask, ``ubatch x (hidden + context) x
    4`` (both are graph inputs, built on the host before they are copied to the device). Llama
    3 8B at -c 512 -ub 512 logs 9.01 MiB; Mistral 7B v0.2 at -c 32768 logs 72.01 MiB."""
    return float(ubatch * (hidden + context) * 4)


def vllm_unreserved_gib(vram_gib: float, utilization: float) -> float:
    """VRAM vLLM leaves free, in GiB: ``VRAM x (1 - gpu_memory_utilization)``. vLLM takes the
    stated share of each GPU's total memory for the weights, activations and KV cache and
    fails to start when they do not fit in it (engine arguments,
    https://docs.vllm.ai/en/latest/configuration/engine_args/: ``--gpu-memory-utilization``,
    default 0.9); its startup check prints the share it wants, "desired GPU memory utilization
    (0.95, 45.01 GiB)" of a 47.38 GiB card (vllm-project/vllm issue 20305)."""
    return vram_gib * (1.0 - utilization)


def storage_read_gbs(drive_read_gbs: Iterable[float]) -> float:
    """Read rate the weights are mapped from: the fastest drive's sequential read rate, in GB/s
    (a model file sits on one drive; a striped array is one drive of its combined rate, given
    as read_gbs on an inline [[storage]])."""
    return max(drive_read_gbs, default=0.0)


def cpu_peak_tflops(cores: int, base_ghz: float, flops_per_cycle: float) -> float:
    """Peak arithmetic rate of the CPUs, in TFLOPS: ``cores x GHz x FLOPs per cycle / 1000``
    (every core busy at base clock, the rate a long matrix multiply sustains under AVX-512 or
    AMX; boost clocks do not hold with every core loaded)."""
    return cores * base_ghz * flops_per_cycle / 1000


def prefill_tokens_per_s_max(reads: Iterable[tuple[float, float]]) -> float:
    """Compute bound on prompt processing, in tokens/s: ``1 / sum(2 x active_params_i x 10**9 /
    (TFLOPS_i x 10**12))`` over the devices that hold the weights (2 FLOPs, a multiply and an
    add, per active parameter per token; Kaplan et al. 2020, arXiv:2001.08361, section 2.1).
    ``reads`` holds (active params in billions, TFLOPS) pairs. Real prompt processing reaches a
    fraction of this: llama.cpp's quantised kernels run int8 dot products, not the peak FMAs. A
    device at 0 TFLOPS holding weights makes the bound 0."""
    seconds = sum(_time(2 * params_b * 1e9, tflops * 1e12) for params_b, tflops in reads
                  if params_b)
    return math.inf if seconds == 0 else 1 / seconds


def prefill_peak_tflops(cards: Iterable[tuple[int, float, float | None, float | None]]) -> float:
    """Peak tensor rate of the GPUs for the workload's weights, in TFLOPS (or TOPS): ``sum(count
    x max(FP16 tensor, FP16-accumulate FP16 tensor, INT8 tensor))`` over ``cards`` of (count,
    dense FP16 TFLOPS with FP32 accumulation, dense FP16 TFLOPS with FP16 accumulation or None,
    dense INT8 TOPS or None); the caller passes the last two only where the engine takes that
    path. An integer multiply-add counts as two operations, as a floating-point one does, so
    the bound's 2 operations per parameter apply alike. Sources: NVIDIA's architecture
    whitepapers tabulate the three dense rates per card (GA102: RTX 3090 71 / 142 / 284; AD102:
    RTX 4090 165.2 / 330.3 / 660.6; GA100: A100 312 / 312 / 624; GH100: H100 SXM 989.4 /
    989.4 / 1,979), cited per card in the catalog's ``sources``."""
    return sum(count * max(x for x in (fp16, acc16, int8) if x is not None)
               for count, fp16, acc16, int8 in cards)


DECODE_EFFICIENCY = 0.5
"""The generic share of the decode reference an engine reaches, used only where a build fits no
class of ``DECODE_EFFICIENCY_BY_CLASS``, with DECODE_EFFICIENCY_RANGE around it. Published
measurements of tokens/s x bytes per token over measured bandwidth: 92.6 % (Ryzen 9950X),
70.7-71.0 % and 36.4 % (Threadripper PRO 7965WX), 22.4-40.8 % (one Xeon 6980P socket), all with
ik_llama.cpp on a 72B model (github.com/ikawrakow/ik_llama.cpp/pull/534); about 47 % for
DeepSeek-R1 Q8_0 with llama.cpp on one 6980P socket (ik_llama.cpp discussion 201, from llama.cpp
discussion 12088); about 87 % of sustained bandwidth for Llama 3.1 70B f16 on two EPYC 9175F
(github.com/ggml-org/llama.cpp/issues/11744). Their median is 47 %."""

DECODE_EFFICIENCY_RANGE = (0.2, 0.95)
"""The spread of those measurements, rounded outwards: what an engine may reach of the
reference where no class figure applies."""


class DecodeEfficiency(NamedTuple):
    """Share of the decode reference an engine reaches on one class of device and model shape:
    the central figure (the median of the class's measurements), the low and high ends (their
    spread, widened by ``EFFICIENCY_MARGIN``, twice that where fewer than three measurements
    support it), the engines measured, each measurement's ratio (measured / reference) by where
    it comes from (a row of tests/data/measured, or a named public source), and what they
    measured."""

    central: float
    low: float
    high: float
    engines: tuple[str, ...]
    ratios: tuple[tuple[str, float], ...]
    about: str


EFFICIENCY_MARGIN = 0.1
"""How far the range of a class reaches beyond the spread of its measurements, either way
(twice as far for a class of fewer than three): the measurements are few, and a new machine of
the class may sit just outside them. Never above 1 nor below EFFICIENCY_FLOOR."""

EFFICIENCY_FLOOR = 0.05
"""The lowest end any range takes."""

LLAMA_CPP_FAMILY = ("llama.cpp", "ik_llama.cpp")
"""Engines built on ggml's kernels (ik_llama.cpp is a fork of llama.cpp)."""


def _class_efficiency(ratios: dict[str, float], engines: tuple[str, ...],
                      about: str) -> DecodeEfficiency:
    """A class's figures from its measurements' ratios (measured / reference): the median to
    two decimals, and the spread widened by EFFICIENCY_MARGIN (twice where fewer than three)."""
    ordered = sorted(ratios.values())
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    margin = EFFICIENCY_MARGIN * (2 if len(ordered) < 3 else 1)
    return DecodeEfficiency(round(median, 2), max(EFFICIENCY_FLOOR, round(ordered[0] - margin, 2)),
                            min(1.0, round(ordered[-1] + margin, 2)), engines,
                            tuple(ratios.items()), about)


DISCRETE_GPU, UNIFIED_GPU, APPLE_GPU, APPLE_CPU, DESKTOP_CPU, SERVER_CPU, HYBRID = (
    "discrete GPU", "unified-memory GPU", "Apple GPU (unified memory, Metal)",
    "Apple CPU cores (unified memory)", "CPU, two channels or fewer per socket",
    "CPU, more than two channels per socket", "GPU + CPU, routed experts in system memory")
"""The device classes decode efficiency is measured by. Apple's GPUs are a class of their own
beside the other unified-memory GPUs (Strix Halo, DGX Spark): on a mixture of experts they reach
a far smaller share of their bus than those do (R108 0.34 and R109 0.55 against 0.42-0.78),
llama.cpp's Metal backend dispatching each token's many small expert products one kernel at a
time on a bus three times as fast. Apple's CPU cores are one too: their clusters cannot draw the
bus the GPU can (an M3 Max's CPU cluster reads 127 GB/s of its 400, 31 %, saturating at two
threads: github.com/chrishayuk/larql/pull/193), so they decode at about 0.3 of the bus's
sustained figure (R34, R110) where a server socket's cores reach 0.5-0.8 of theirs."""

DESKTOP_CHANNELS = 2
"""Channels per socket at or below which a CPU is a desktop: AM5 and LGA1700/1851 have two; every
workstation and server platform in the catalog has four or more."""

PR534_9950X = "ik_llama.cpp PR 534 (Ryzen 9950X)"
"""github.com/ikawrakow/ik_llama.cpp/pull/534: ik_llama.cpp decodes a dense 72B model on a Ryzen
9950X at 92.6 % of the bandwidth measured on it."""

TSV_R03 = "R03 of measured-calibration.tsv"
"""The KTransformers tutorial's llama.cpp baseline (github.com/kvcache-ai/ktransformers, doc/en/
DeepseekR1_V3_tutorial.md): DeepSeek-V3 Q4_K_M on two Xeon Gold 6454S (8 x DDR5-4800 each), 4.51
tokens/s, 0.39 of one socket's 11.6 at sustained bandwidth. Not described in tests/data/measured
(the source states neither the placement nor the threads per socket)."""

_APPLE_CPU_RATIOS = {"R34": 0.31, "R110": 0.33}
_APPLE_CPU_ABOUT = ("llama.cpp on an M2 Ultra's CPU cores: Mistral 7B Q8_0 (24 threads), "
                    "Mixtral-8x7B F16 (16 threads)")

DECODE_EFFICIENCY_BY_CLASS: dict[tuple[str, str], DecodeEfficiency] = {
    # Ratios are measured / reference, by row of tests/data/measured (docs/accuracy.md) or named
    # source. The reference of a GPU class is the bound (the GPU's own theoretical bandwidth: no
    # STREAM figure exists for it); of a CPU class, the bound at sustained bandwidth, from one
    # socket under an interleaved placement (NUMA_GAIN). tests/test_calibration.py checks that
    # each row's ratio is what hwspec derives for it.
    (DISCRETE_GPU, "dense"): _class_efficiency(
        {"R50": 0.61, "R51": 0.64, "R52": 0.75, "R53": 0.77, "R54": 0.81, "R55": 0.83,
         "R56": 0.81, "R57": 0.87, "R58": 0.59, "R59": 0.61, "R60": 0.77, "R61": 0.88,
         "R62": 0.80, "R63": 0.90, "R64": 0.75, "R65": 0.72, "R95": 0.50, "R96": 0.51,
         "R97": 0.78, "R98": 0.69, "R99": 0.86, "R106": 0.72}, ("llama.cpp",),
        "llama.cpp on one to eight RTX 30/40, A100, H100, RTX A6000 and 6000 Ada, every layer "
        "in VRAM"),
    (APPLE_GPU, "dense"): _class_efficiency(
        {"R30": 0.66, "R31": 0.83, "R32": 0.81, "R33": 0.46, "R66": 0.44, "R67": 0.49,
         "R68": 0.61, "R69": 0.74, "R93": 0.74, "R94": 0.78, "R104": 0.75, "R105": 0.89,
         "R111": 0.74}, ("llama.cpp",), "llama.cpp with Metal on Apple M1-M3"),
    (APPLE_GPU, "moe"): _class_efficiency(
        {"R108": 0.34, "R109": 0.55}, ("llama.cpp",),
        "llama.cpp with Metal: Qwen3-30B-A3B Q8_0 on an M2 Ultra, DeepSeek-R1 Q4_K_M on an M3 "
        "Ultra"),
    (UNIFIED_GPU, "dense"): _class_efficiency(
        {"R75": 0.85, "R76": 0.87, "R79": 0.83, "R80": 0.73}, ("llama.cpp",),
        "llama.cpp on the GPUs of Strix Halo and DGX Spark"),
    (UNIFIED_GPU, "moe"): _class_efficiency(
        {"R70": 0.60, "R71": 0.64, "R72": 0.78, "R73": 0.61, "R74": 0.65, "R77": 0.61,
         "R78": 0.63, "R81": 0.42, "R82": 0.78}, ("llama.cpp",),
        "llama.cpp on Strix Halo and DGX Spark: gpt-oss, Qwen3 MoE, GLM-4.5-Air"),
    (DESKTOP_CPU, "moe"): _class_efficiency(
        {"R21": 0.94, PR534_9950X: 0.926}, LLAMA_CPP_FAMILY,
        "llama.cpp, Mixtral on a Ryzen 9 7950X; ik_llama.cpp, a dense 72B on a Ryzen 9950X"),
    (SERVER_CPU, "dense"): _class_efficiency(
        {"R89": 0.67, "R90": 0.76, "R112": 0.97}, ("llama.cpp",),
        "llama.cpp, Phi-4 on one EPYC 9554; Llama 3.1 70B f16 on two EPYC 9175F, interleaved "
        "(against one socket)"),
    # Both shapes take the same figure: the cluster's read limit binds dense weights and
    # experts alike (R34 is dense, R110 a mixture; their ratios differ by 0.02).
    (APPLE_CPU, "dense"): _class_efficiency(
        _APPLE_CPU_RATIOS, ("llama.cpp",), _APPLE_CPU_ABOUT),
    (APPLE_CPU, "moe"): _class_efficiency(
        _APPLE_CPU_RATIOS, ("llama.cpp",), _APPLE_CPU_ABOUT),
    (SERVER_CPU, "moe"): _class_efficiency(
        {"R85": 0.58, "R86": 0.52, "R83": 0.52, "R84": 0.42, TSV_R03: 0.39}, LLAMA_CPP_FAMILY,
        "ik_llama.cpp and llama.cpp, Qwen3-235B on one EPYC 9355; ik_llama.cpp on two Xeon Gold "
        "6138 and llama.cpp on two Xeon Gold 6454S, interleaved (against one socket)"),
    (HYBRID, "moe"): _class_efficiency(
        {"R02": 0.50, "R39": 0.45, "R87": 0.56, "R88": 0.56, "R91": 0.46, "R92": 0.44,
         "R107": 0.47}, ("ktransformers", "ik_llama.cpp"),
        "KTransformers, DeepSeek-V3 on one Xeon Gold 6454S socket and an RTX 4090 D; "
        "ik_llama.cpp, DeepSeek-R1 with the routed experts on a Core i7, EPYC or Threadripper "
        "PRO"),
}
"""Decode efficiency by device class and model shape, each from the measurements it names. A
class and shape not listed borrows the nearest measured one (``decode_efficiency``) with its
range widened."""

BORROWED = {
    (DISCRETE_GPU, "moe"): (UNIFIED_GPU, "moe"),
    (DESKTOP_CPU, "dense"): (DESKTOP_CPU, "moe"),
    (HYBRID, "dense"): (HYBRID, "moe"),
}
"""Where a class and shape has no measurement, the measured one it borrows: a GPU runs a mixture
of experts with the same kernels whether its memory is unified or not; a desktop streams dense
weights at least as well as scattered experts; a partial layer offload splits reads between the
same two memories as an expert offload."""


def decode_efficiency(device_class: str, shape: str,
                      engine: str | None) -> tuple[DecodeEfficiency, str]:
    """The efficiency of a class, model shape (``dense`` or ``moe``) and engine, and what it
    rests on. A class and shape without measurements borrows its ``BORROWED`` figure; an engine
    not among the measured ones keeps the class's central figure. Either way the range widens to
    ``DECODE_EFFICIENCY_RANGE``'s ends where they are wider, and the basis says so."""
    key = (device_class, shape)
    notes: list[str] = []
    if key not in DECODE_EFFICIENCY_BY_CLASS:
        key = BORROWED.get(key, key)
        if key not in DECODE_EFFICIENCY_BY_CLASS:
            generic = DecodeEfficiency(DECODE_EFFICIENCY, *DECODE_EFFICIENCY_RANGE, (), (), "")
            return generic, f"{device_class}, {shape}: no measurement; the generic figure"
        notes.append(f"no {shape} measurement on a {device_class}: the {key[1]} figure of a "
                     f"{key[0]}")
    found = DECODE_EFFICIENCY_BY_CLASS[key]
    if engine is not None and engine not in found.engines:
        notes.append(f"no measurement of {engine} on this class: {'/'.join(found.engines)}'s "
                     "figure")
    basis = (f"{device_class}, {shape} model: the median of {len(found.ratios)} measurements "
             f"({', '.join(name for name, _ in found.ratios)}: {found.about})")
    if notes:
        low, high = DECODE_EFFICIENCY_RANGE
        found = found._replace(low=min(found.low, low), high=max(found.high, high))
        basis += "; " + "; ".join(notes) + ", range widened"
    return found, basis


I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE = 26.5e9
"""Weights one CPU core multiplies per second in decode when they are stored as a GGUF i-quant
of three bits or fewer (IQ1_S ... IQ3_XXS, whose lattice codebooks cost far more to unpack than
a k-quant's scales), measured where decode is compute-bound: ik_llama.cpp pull request 154
(github.com/ikawrakow/ik_llama.cpp/pull/154) decodes LLaMA-3.1-8B (8.03 B weights) as IQ2_XXS
at 6.59 tokens/s on two threads of a Ryzen 9 7950X (Zen 4) and 11.62 on four, 6.59 x 8.03e9 / 2
= 26.5e9 a core, while the same machine and model decode Q4_0 and Q8_0 at the memory's rate
already on four threads (13.88 and 7.79 tokens/s, about 65 GB/s; ik_llama.cpp pull request 54):
at equal threads IQ2_XXS, with half Q4_0's bytes, is slower. The figure is one engine's on a
desktop core boosting near 5 GHz; the row-interleaved IQ2_XXS_R4 of the same pull request reaches
8.66 tokens/s (1.31x), mainline llama.cpp's kernels are slower, and a server core's clock is
lower, so as a limit it errs high."""


def cpu_compute_read_gbs(cores: int, weights_per_s_per_core: float,
                         bits_per_weight: float) -> float:
    """The rate at which CPU cores can consume weights, in GB/s of stored weights: ``cores x
    weights per second per core x bits per weight / 8 / 1e9``. Where it is below the memory's
    bandwidth, decode is compute-bound and reads no faster than this (the per-core rate from
    ``I_QUANT_CPU_WEIGHTS_PER_S_PER_CORE``)."""
    return cores * weights_per_s_per_core * bits_per_weight / 8 / GB


NUMA_GAIN: dict[str, tuple[float, float, float]] = {
    "single-socket": (1.0, 1.0, 1.0),
    "interleave": (1.0, 1.0, 1.0),
    "replicate-per-socket": (1.4, 1.0, 2.0),
    "tensor-parallel": (1.4, 1.0, 2.0),
}
"""What a second socket adds to one socket's sustained bandwidth under each NUMA placement, as
(central, low, high) on two sockets; the expected figure starts from one socket.

- ``interleave`` (llama.cpp ``--numa distribute``, and a first-touch run across both sockets):
  1.0. Pages are spread over both nodes, so half of every read crosses the socket link, and the
  measured speeds fall to the one-socket figure or below: R83 and R84 (ik_llama.cpp on two Xeon
  Gold 6138) reach 0.54 and 0.42 of one socket's sustained figure, R03 (llama.cpp on two Xeon
  Gold 6454S) 0.39, all within the one-socket MoE range.
- ``replicate-per-socket`` (KTransformers' dual-socket mode, a copy of the weights per node):
  1.4. The KTransformers tutorial measures 12.21 tokens/s on two Xeon Gold 6454S against 8.73 on
  one (R01, R02): 1.40.
- ``tensor-parallel`` (SGLang or vLLM with a rank per NUMA node, each reading its own shard):
  the replication figure, up to both sockets; no measurement of it is in the calibration set.
"""


def numa_gain(numa_mode: str, engine: str | None, sockets: int) -> tuple[tuple[float, float,
                                                                             float], str]:
    """The second socket's gain (central, low, high) for a placement and engine on ``sockets``
    sockets, and the placement it was taken as: one socket gains nothing; ``interleave`` under a
    tensor-parallel engine (vLLM, SGLang) is a rank per node, ``tensor-parallel``. The high end
    never exceeds the sockets' count."""
    if sockets <= 1:
        return (1.0, 1.0, 1.0), "one socket"
    mode = numa_mode
    if mode == "interleave" and engine in ("vllm", "sglang"):
        mode = "tensor-parallel"
    central, low, high = NUMA_GAIN.get(mode, NUMA_GAIN["interleave"])
    return (central, low, min(high, float(sockets))), mode


def decode_tokens_per_s_expected(bound_tokens_per_s: float,
                                 efficiency: float = DECODE_EFFICIENCY) -> float:
    """Decode speed to expect, in tokens/s: ``reference x efficiency`` (the reference is the
    bound at sustained bandwidth on CPU memory, the bound itself on a GPU; the efficiency is the
    class's, ``decode_efficiency``)."""
    return bound_tokens_per_s * efficiency


def load_fraction(load_w: float, capacity_w: float) -> float:
    """Share of the PSU's rating the estimated load uses: ``load_w / capacity_w``."""
    return load_w / capacity_w


def usable_psu_w(unit_w: float, units: int, redundancy: str | None) -> float:
    """Output the PSUs offer together: ``unit_w x units`` with no redundancy (two ATX units on one
    rig each feed their own parts, so their ratings add up), ``unit_w x units / 2`` for 1+1 (each
    pair carries the load on one unit: a 1+1 pair of 1,200 W modules offers 1,200 W) and
    ``unit_w x (units - 1)`` for n+1 (one unit is spare). An incomplete set (one unit under 1+1
    or n+1) offers one unit's output."""
    if redundancy == "1+1":
        return unit_w * max(units // 2, 1)
    if redundancy == "n+1":
        return unit_w * max(units - 1, 1)
    return unit_w * units


ATX3_EXCURSION_1MS = 1.8
"""Share of its continuous rating an ATX 3.x PSU above 450 W with a 12VHPWR/12V-2x6 connector
must deliver for 1 ms: 180 % (200 % for 100 us, 160 % for 10 ms, 120 % for 100 ms). Intel ATX 3.0
Multi Rail Desktop Platform Power Supply Design Guide, Table 3-3 (power excursion); a 1,000 W unit
takes 1,800 W for 1 ms (Table 3-4)."""

ATX3_EXCURSION_1MS_SMALL = 1.45
"""The same limit for an ATX 3.x PSU of 450 W or less, or without a 12VHPWR/12V-2x6 connector:
145 % for 1 ms (150 % for 100 us, 135 % for 10 ms, 110 % for 100 ms); same table."""


def psu_excursion_w(capacity_w: float, ratio: float) -> float:
    """Power a PSU delivers over a 1 ms excursion: ``capacity_w x ratio`` (ATX3_EXCURSION_1MS,
    or 1.0 for a unit with no published excursion limit: its continuous rating only)."""
    return capacity_w * ratio


EIGHTY_PLUS_115V_INTERNAL: dict[str, tuple[tuple[float, float], ...]] = {
    "80 PLUS": ((0.2, 0.80), (0.5, 0.80), (1.0, 0.80)),
    "80 PLUS Bronze": ((0.2, 0.82), (0.5, 0.85), (1.0, 0.82)),
    "80 PLUS Silver": ((0.2, 0.85), (0.5, 0.88), (1.0, 0.85)),
    "80 PLUS Gold": ((0.2, 0.87), (0.5, 0.90), (1.0, 0.87)),
    "80 PLUS Platinum": ((0.2, 0.90), (0.5, 0.92), (1.0, 0.89)),
    "80 PLUS Titanium": ((0.1, 0.90), (0.2, 0.92), (0.5, 0.94), (1.0, 0.90)),
}
"""Least efficiency each 80 PLUS level requires at a share of rated load, for 115 V internal
non-redundant supplies (desktop and workstation units). 230 V EU units must reach 1-3 points
more; 230 V redundant server units are within a point of these (Bronze 81/85/81 %). The wall
figure worked from it is therefore a top figure for most units. The program's table as
transcribed in Wikipedia, "80 Plus", Efficiency level certifications
(https://en.wikipedia.org/wiki/80_Plus; the program is run by CLEAResult), medium confidence:
a secondary transcription of the program's requirements."""


def psu_efficiency(level_points: Iterable[tuple[float, float]], load_share: float) -> float:
    """Efficiency at a share of rated load, read linearly between a level's table points; below
    the first point the first point's figure, above full load the full-load figure."""
    points = sorted(level_points)
    if load_share <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if load_share <= x1:
            return y0 + (y1 - y0) * (load_share - x0) / (x1 - x0)
    return points[-1][1]


def decode_draw_w(measured_w: float, power_limit_w: float | None) -> float:
    """One card's draw while decoding: its measured draw at its stock limit, ``measured_w``,
    capped at a power limit set below it, ``min(measured_w, power_limit_w)``.

    Source: an RTX 3090 decoding a dense 27B model in llama.cpp drew ~333 W at its stock 350 W
    limit and ~295, ~273, ~247, ~199 and ~150 W at limits of 300, 275, 250, 200 and 150 W
    (jeanfbrito.github.io, "RTX 3090 Power Limit: Finding the Sweet Spot", 2026): at or just
    under the limit wherever the limit is below the stock draw.
    """
    return measured_w if power_limit_w is None else min(measured_w, power_limit_w)


def wall_power_w(load_w: float, efficiency: float) -> float:
    """Power drawn from the wall for a DC load: ``load_w / efficiency``."""
    return load_w / efficiency


def electricity_cost_per_day(wall_w: float, price_per_kwh: float) -> float:
    """Running cost of a day at a steady draw: ``wall_w / 1000 x 24 h x price_per_kwh``."""
    return wall_w / 1000 * 24 * price_per_kwh


def electricity_cost_per_million_tokens(wall_w: float, tokens_per_s: float,
                                        price_per_kwh: float) -> float:
    """Energy cost of generating a million tokens at a steady draw: the hours they take,
    ``10**6 / tokens_per_s / 3600``, times ``wall_w / 1000 x price_per_kwh``."""
    return 10**6 / tokens_per_s / 3600 * wall_w / 1000 * price_per_kwh


PCIE_8PIN_W = 150
"""Power one 8-pin PCIe cable is rated to carry: 150 W (PCI Express CEM specification; NVIDIA's
adapters from 8-pin cables to 12VHPWR take three for a 450 W card and four for 600 W)."""


def adapter_pcie_8pin_count(board_power_w: float) -> int:
    """8-pin PCIe cables an adapter needs to feed one 12V-2x6 input of a card:
    ``ceil(board_power_w / PCIE_8PIN_W)``."""
    return math.ceil(board_power_w / PCIE_8PIN_W)


PCIE_LANE_GBS = {1: 2.5 * 8 / 10 / 8, 2: 5.0 * 8 / 10 / 8, 3: 8.0 * 128 / 130 / 8,
                 4: 16.0 * 128 / 130 / 8, 5: 32.0 * 128 / 130 / 8}
"""Payload rate of one PCIe lane in one direction, GB/s, by generation: transfer rate (2.5, 5, 8,
16, 32 GT/s) x line-code efficiency (8b/10b for 1.0 and 2.0, 128b/130b from 3.0) / 8 bits
(PCI-SIG base specifications, as tabled at https://en.wikipedia.org/wiki/PCI_Express). Packet
headers take a few per cent more in practice."""


def pcie_link_gbs(generation: int, lanes: int) -> float:
    """One direction of a PCIe link, in GB/s: ``PCIE_LANE_GBS[generation] x lanes`` (PCIe 4.0
    x16: 31.5 GB/s)."""
    return PCIE_LANE_GBS[generation] * lanes


def slot_positions_covered(slot_width: float) -> int:
    """Expansion-slot positions a card takes, its own included: ``ceil(slot_width)``, at least
    1. Slot positions sit 0.8 in (20.32 mm) apart (ATX specification 2.2, section 3.2, the
    expansion-slot pitch), so a 2.5-slot cooler reaches into the third position and leaves no
    room for a card there."""
    return max(1, math.ceil(slot_width))


LLAMA_CPP_UBATCH = 512
"""llama.cpp's default physical batch (``-ub``, ``n_ubatch``): prompt tokens processed together
(common/common.h in github.com/ggml-org/llama.cpp)."""


def offload_prefill_tokens_per_s_max(batch_tokens: int, host_weights_gb: float,
                                     link_gbs: float) -> float:
    """Bound on prompt processing when the GPU computes weights kept in system memory, copying
    them over PCIe once per batch, in tokens/s: ``batch_tokens x link_gbs / host_weights_gb``.
    llama.cpp's CUDA backend does this for any batch of 32 tokens or more
    (``ggml_backend_cuda_device_offload_op``, ggml/src/ggml-cuda/ggml-cuda.cu). With nothing to
    copy (0 GB), the link sets no bound: infinite."""
    return math.inf if host_weights_gb == 0 else batch_tokens * link_gbs / host_weights_gb


def bits_per_weight_of_bytes(weight_bytes: float, params_b: float) -> float:
    """Average stored width of a file's weights: ``weight_bytes x 8 / (params_b x 10**9)``
    (a GGUF file's tensor table gives both; llama-quantize reports bits per weight so)."""
    return weight_bytes * 8 / (params_b * 1e9)


def gpu_card_shares(vram_gib: Sequence[float | None], split: str) -> list[float]:
    """Each card's share of what the GPUs hold, summing to 1: ``vram_i / sum(vram)`` under
    llama.cpp's layer split (``--tensor-split`` left at its default gives each GPU layers in
    proportion to its free memory, llama.cpp's ``llama_model_load`` in src/llama-model.cpp),
    ``1 / n`` under tensor parallelism (vLLM, SGLang ``--tensor-parallel-size`` shard every
    layer evenly), and ``1 / n`` too when any card's VRAM is unknown or zero."""
    if split == "tensor" or not all(vram_gib):
        return [1 / len(vram_gib)] * len(vram_gib)
    total = sum(float(v or 0) for v in vram_gib)
    return [float(v or 0) / total for v in vram_gib]


def device_vram_margin_gib(required_gib: float,
                          cards: Iterable[tuple[float, float]]) -> float:
    """VRAM left on the fullest card, in GiB: ``min(vram_i - required_gib x share_i)`` over the
    (vram_i, share_i) of every card. llama.cpp's layer split gives each card a share in
    proportion to its VRAM (``--tensor-split`` left at its default); tensor parallelism (vLLM,
    SGLang ``--tensor-parallel-size``) an equal share, so the smallest card bounds it."""
    return min(vram - required_gib * share for vram, share in cards)


# --- prefill: the rate an engine reaches, and the wait for the first token ------------------------
# (kept apart from the decode and bandwidth formulas above)

DEFAULT_PROMPT_TOKENS = 4096
"""The prompt ``prefill.ttft_s`` is worked out for when a spec states no ``prompt_tokens`` (and
its context is at least as long): a system prompt, a few turns of a conversation and a pasted
document or file, eight of llama.cpp's default 512-token micro-batches. A reasoning model's own
thinking is generated, not prefilled, so it does not count here."""


def layer_split_tflops(cards: Iterable[tuple[float, float]]) -> float:
    """Compute rate a prompt sees from GPUs that each hold a share of the layers, in TFLOPS:
    ``1 / sum(share_i / tflops_i)``, shares summing to 1.

    Under llama.cpp's layer split the layers of one micro-batch run in order, each on the GPU
    that holds it, so the cards take turns as they do for a token: n identical cards give one
    card's rate (llama-bench pp512: 2 x RTX 3090 357 tokens/s and 4 x RTX 3090 301 on
    Llama-3-70B Q4_K_M, rows R52 and R53 of tests/data/measured). A card at 0 TFLOPS makes the
    rate 0."""
    seconds = sum(_time(share, tflops) for share, tflops in cards if share)
    return math.inf if seconds == 0 else 1 / seconds


VNNI_INT8_PER_FP32 = 4
"""INT8 operations a core's vector units retire per FP32 FLOP: a VNNI dot product (VPDPBUSD)
multiplies and adds four int8 pairs in each 32-bit lane where an FMA does one FP32 pair, on the
same pipes. Intel: 256 INT8 operations a cycle per core with AVX-512 VNNI against 64 FP32 (the
PyTorch AMX recipe, pytorch.org/tutorials/recipes/amx.html, citing Intel's "Accelerate AI
Workloads with Intel AMX"); AMD Zen 4: 128 against 32 (the sp5-genoa catalog entry, from LLVM's
Zen 4 scheduling model). AMX INT8 (2,048 a cycle) is a matrix unit, not this."""


def cpu_kernel_ops_per_cycle(vector_flops_per_cycle: float,
                             int8_ops_per_cycle: float | None) -> float:
    """Operations a core's vector units retire per cycle on the path llama.cpp's and
    ik_llama.cpp's CPU kernels take, the rate ``PREFILL_EFFICIENCY``'s CPU classes are measured
    against: for integer-quantised weights (``int8_ops_per_cycle`` given) their INT8 dot-product
    rate, ``min(int8, VNNI_INT8_PER_FP32 x vector FP32)`` (AMX's INT8 rate counts only in the
    bound: ik_llama.cpp has no AMX kernels, and no measured row ran llama.cpp's); else the FP32
    vector rate."""
    if int8_ops_per_cycle is None:
        return vector_flops_per_cycle
    return min(int8_ops_per_cycle, VNNI_INT8_PER_FP32 * vector_flops_per_cycle)


PR534_6980P = "ik_llama.cpp PR 534 (Xeon 6980P, one socket)"
"""github.com/ikawrakow/ik_llama.cpp/pull/534, the R117 comment's other rig: ik_llama.cpp
llama-sweep-bench compiled CPU-only, 128 threads bound to one node (numactl -N 0 -m 0) of a dual
Xeon 6980P (128 cores, 2.0 GHz base), Kimi-Dev-72B (Qwen2.5-72B shapes) pure Q4_0: S_PP 118.79
tokens/s at N_KV 0 (2,048 tokens, -ub 2048). At AVX-512 VNNI's 256 INT8 operations a cycle, 128 x
2.0 GHz x 256 = 65.5 TOPS, 451 tokens/s at 2 x 72.7 B operations a token: 0.26. Not a row: the
source does not state the rig's memory, which a row's decode figures need."""

PR534_7950X = "ik_llama.cpp PR 534 (Ryzen 9 7950X)"
"""github.com/ikawrakow/ik_llama.cpp/pull/534, its description: ik_llama.cpp llama-bench PP-512,
LLaMA-3.1-8B-Instruct Q4_0 on a Ryzen 9 7950X (16 cores, 4.5 GHz base, 128 INT8 operations a
cycle): 300.9 tokens/s; 16 x 4.5 x 128 = 9.22 TOPS, 576 tokens/s at 2 x 8 B: 0.52. Not a row: the
source does not state the machine's memory."""

PR533_7950X_MAINLINE = "ik_llama.cpp PR 533 (Ryzen 9 7950X, mainline llama.cpp)"
"""github.com/ikawrakow/ik_llama.cpp/pull/533: "the fastest mainline llama.cpp quant on this CPU
is Q4_0, and I get 170 t/s" (PP-512, LLaMA-3.1-8B-Instruct, the same Ryzen 9 7950X, mainline
llama.cpp of June 2025): 170 / 576 = 0.30. Not a row, as PR534_7950X."""

CPU_DENSE_PREFILL_RATIOS = {"R117": 0.514, PR534_6980P: 0.264, PR534_7950X: 0.522,
                            PR533_7950X_MAINLINE: 0.295}
"""Measured / rate at peak of the dense CPU measurements, at the cores' INT8 dot-product rate
(``cpu_kernel_ops_per_cycle``)."""

CPU_MOE_PREFILL_RATIOS = {"R83": 0.065, "R84": 0.077, "R85": 0.094, "R86": 0.073}
"""Measured / rate at peak of the CPU-only mixture-of-experts rows, at the FP32 vector rate: their
platforms (Skylake-SP, which has no VNNI, and Zen 5, whose INT8 rate the catalog does not give)
give the kernels no faster path."""


def _prefill_class(ratios: dict[str, float]) -> tuple[float, float, float]:
    """(least, median, most) of a class's measured / rate-at-peak ratios, rounded to three
    decimals."""
    ordered = sorted(ratios.values())
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(ordered[0], 3), round(median, 3), round(ordered[-1], 3)


PREFILL_EFFICIENCY: dict[str, tuple[float, float, float]] = {
    "gpu": (0.15, 0.70, 1.14),
    "apple-gpu": (0.46, 0.69, 0.86),
    "unified-gpu": (0.10, 0.32, 0.71),
    "cpu-dense": _prefill_class(CPU_DENSE_PREFILL_RATIOS),
    "cpu-moe": _prefill_class(CPU_MOE_PREFILL_RATIOS),
    "ktransformers": (0.395, 0.42, 0.50),
    "cpu-experts": (1.04, 1.37, 1.48),
}
"""Share of the peak rate an engine on a class of device reaches in prompt processing, as
(low, central, high): the central figure is the median of measured / rate-at-peak over the
class's rows in tests/data/measured (public llama-bench pp512 or pp2048 and sweep-bench PP512
results) and the public measurements it names, low and high the least and most of them,
rounded; docs/accuracy.md lists every row. The rate at peak is 2 operations per active parameter
per token at the rate the engine's kernels are compared with: the GPUs' dense FP16 tensor rate
(one card's under a layer split), the integrated GPU's FP16 rate, and on CPUs the rate the bound
takes for the weights' precision on the cores' vector units (``cpu_kernel_ops_per_cycle``: INT8
dot products for integer-quantised weights where the catalog gives the core's INT8 rate, else
FP32; AMX counts only in the bound: no measured engine ran it).

- ``gpu``: llama.cpp CUDA, every layer in VRAM; R50-R63, R95-R99, R106 (median 0.70; the
  December 2023 builds on LLaMA 65B, R95-R99 and R106, are the low end, 0.15-0.36).
- ``apple-gpu``: llama.cpp Metal; R30-R33, R66-R69, R104, R105 (MLX has no rows; it is taken to
  reach the same).
- ``unified-gpu``: Strix Halo (llama.cpp Vulkan) and DGX Spark (llama.cpp CUDA); R70-R82.
- ``cpu-dense``: llama.cpp and ik_llama.cpp on the CPU alone, a dense model
  (``CPU_DENSE_PREFILL_RATIOS``): R117 (ik_llama.cpp, Threadripper PRO 7965WX, 0.51) and three
  public measurements without a row (``PR534_6980P`` 0.26, ``PR534_7950X`` 0.52,
  ``PR533_7950X_MAINLINE`` 0.30): one row of its own, so the range is the four measurements'
  whole spread, 0.26-0.52, about ik_llama.cpp's repacked GEMM (the high end) against mainline
  llama.cpp and a 128-core socket (the low end).
- ``cpu-moe``: llama.cpp and ik_llama.cpp on the CPU alone, a mixture of experts, whose experts
  are read scattered in small products (``CPU_MOE_PREFILL_RATIOS``): R83-R86, all at the FP32
  rate (no INT8 figure on their platforms), so the share is taken of the FP32 rate on every
  platform: no row measures a mixture of experts against an INT8 rate.
- ``ktransformers``: KTransformers V0.2/V0.2.1, routed experts on the CPUs, the rest on one GPU;
  R01, R02, R04 (its llamafile kernels, not AMX).
- ``cpu-experts``: ik_llama.cpp with the routed experts repacked on the CPU (-rtr or _R4) and
  the rest on one GPU; R88, R91, R92, R107. Above 1: its int8 dot-product kernels outrun the
  FP32 rate this class (as ``ktransformers``) is measured against.

Engines with no rows of their own take the class of the device that computes: vLLM and SGLang
on GPUs ``gpu``, on CPUs ``cpu-dense`` or ``cpu-moe`` (SGLang's and KTransformers' AMX kernels
have no public prompt-processing row in the calibration set yet, so AMX counts only in the
bound); a layer offload under vLLM or SGLang takes the CPU class of the model's shape and the
``gpu`` figure for the weights each device holds."""


def serial_tokens_per_s(rates: Iterable[float]) -> float:
    """Rate of steps every token passes through one after the other, in tokens/s:
    ``1 / sum(1 / rate_i)`` (llama.cpp's offload copies a batch's weights over PCIe, then
    computes it). A step at an infinite rate costs nothing; one at 0 makes the whole 0."""
    seconds = sum(_time(1.0, rate) for rate in rates if rate != math.inf)
    return math.inf if seconds == 0 else 1 / seconds


def prefill_tokens_per_s_expected(rate_tokens_per_s: float, efficiency: float) -> float:
    """Prompt-processing speed to expect, in tokens/s: ``rate at peak x efficiency``
    (``PREFILL_EFFICIENCY`` of the engine and device class; its rows are cited there)."""
    return rate_tokens_per_s * efficiency


def ttft_s(prompt_tokens: int, prefill_tokens_per_s: float) -> float:
    """Time to first token, in seconds: ``prompt_tokens / prefill tokens/s``. The prompt is
    processed before the first token is generated; the time grows linearly with the prompt (the
    attention over earlier tokens, which grows with its square, is small against the weights at
    a few thousand tokens and is not counted). A rate of 0 takes forever."""
    return _time(prompt_tokens, prefill_tokens_per_s)


def gpu_memory_needed_mb(required_gib: float) -> float:
    """The GPU memory limit, in MB as the operating systems' settings count it (MiB: macOS's
    ``iogpu.wired_limit_mb``, amdgpu's ``gttsize``), that holds ``required_gib``:
    ``ceil(required_gib x 1024)``.

    The defaults it raises: macOS lets the GPU wire about 2/3 of a Mac's memory up to 36 GB
    (Metal's recommendedMaxWorkingSetSize: 21,845.34 MB of a 32 GB M1 Max,
    https://github.com/ggml-org/llama.cpp/pull/2011) and 3/4 above (49,152 MiB of a 64 GB
    M2 Max, https://github.com/ggml-org/llama.cpp/issues/1870); Linux's amdgpu driver limits
    its GTT, the system memory an AMD APU's GPU maps, to half the RAM ("gttsize ... The default
    is -1 (Use 1/2 RAM, minimum value is 3GB)",
    https://docs.kernel.org/6.12/gpu/amdgpu/module-parameters.html).

    >>> gpu_memory_needed_mb(47.1)
    48231.0
    """
    scaled = max(required_gib, 0.0) * 1024
    return float(math.ceil(scaled)) if math.isfinite(scaled) else scaled
