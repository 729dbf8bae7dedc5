"""Derive: ``Build`` -> ``Facts``, the named figures that rules, reports and JSON share.

Facts are a flat mapping of dotted names (``memory.effective_mts``) to numbers, booleans, strings
or lists of strings. A fact the spec does not let us know is absent, never guessed; rules that read
it are then not applicable. List entries (each ``[[memory]]``, ``[[gpu]]``, ``[[storage]]``) get
their own item facts (``item.kind``), read by rules declared with ``each``.

``FACTS`` is the vocabulary: every fact's name, unit, type, meaning and the formula behind it. The
docs, ``hwspec facts`` and the rule-pack checker all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from attrs import field, frozen

from hwspec import formulas as f
from hwspec.resolve import AssumedPower, Build, own_power_w, power_parts
from hwspec.spec.model import Gpu, Memory, ModelArch
from hwspec.spec.vocab import (
    BITS_PER_WEIGHT,
    BLOCK_KV_PRECISIONS,
    KV_BYTES_PER_ELEMENT,
    MLA_LATENT_CACHE_ENGINES,
    SCRATCH_ENGINES,
    TENSOR_PARALLEL_ENGINES,
    ValueType,
)
from hwspec.unknown import Unknown, unknown_figures

FactValue = float | int | bool | str | tuple[str, ...]

N, B, S, L = ValueType.NUMBER, ValueType.BOOL, ValueType.STRING, ValueType.STRINGS


@frozen
class FactDef:
    """One fact of the vocabulary: name, unit, type, what it means, and its formula."""

    name: str
    unit: str
    type: ValueType
    summary: str
    formula: Callable[..., Any] | None = None

    @property
    def formula_doc(self) -> str:
        """The formula's docstring, or where the value is read from."""
        if self.formula is None:
            return ""
        return " ".join((self.formula.__doc__ or "").split())


def _d(name: str, unit: str, kind: ValueType, summary: str,
       formula: Callable[..., Any] | None = None) -> FactDef:
    return FactDef(name, unit, kind, summary, formula)


FACTS: tuple[FactDef, ...] = (
    _d("build.name", "", S, "The build's name, from [build] name."),
    _d("build.currency", "", S, "ISO 4217 currency of every price in the spec (default USD)."),
    _d("build.budget", "currency", N, "The budget from [build] budget, in build.currency."),
    _d("build.quoted_total", "currency", N,
       "The bill's total as a quote or write-up states it, from [build] quoted_total."),
    _d("cpu.name", "", S, "The processor's name."),
    _d("cpu.count", "", N, "Processors fitted, from [cpu] count."),
    _d("cpu.cores", "", N, "Cores per processor."),
    _d("cpu.threads", "", N, "Hardware threads per processor."),
    _d("cpu.total_cores", "", N, "Cores in the whole build: cpu.count x cpu.cores."),
    _d("cpu.tdp_w", "W", N, "Default TDP of one processor."),
    _d("cpu.socket", "", S, "Socket the processor fits (sp5, lga4677 ...)."),
    _d("cpu.platform", "", S, "Platform id of the processor (sp5-turin ...)."),
    _d("cpu.max_sockets", "", N, "Most sockets the SKU may run in (1 for EPYC P parts)."),
    _d("board.name", "", S, "The board's name."),
    _d("board.socket", "", S, "Socket on the board."),
    _d("board.sockets", "", N, "CPU sockets on the board."),
    _d("board.dimm_slots", "", N, "DIMM slots on the board, all sockets."),
    _d("board.channels_per_socket", "", N, "Memory channels the board wires per socket."),
    _d("board.eps_connectors", "", N, "8-pin 12 V CPU (EPS) power inputs on the board."),
    _d("board.supports_platform", "", B,
       "Whether the board lists the CPU's platform among those it supports."),
    _d("platform.id", "", S, "The CPU platform's id."),
    _d("platform.socket", "", S, "The platform's socket."),
    _d("platform.max_sockets", "", N, "Most sockets the platform supports."),
    _d("platform.memory_generation", "", S, "DDR generation the platform takes."),
    _d("platform.module_kinds", "", L, "Module kinds the platform takes (RDIMM, 3DS-RDIMM ...)."),
    _d("platform.ecc", "", S, "ECC policy of the platform: required, optional or unsupported."),
    _d("platform.channels_per_socket", "", N, "Memory channels per socket."),
    _d("platform.max_mts_1dpc", "MT/s", N, "Platform's top memory speed at 1 DIMM per channel."),
    _d("platform.max_mts_2dpc", "MT/s", N, "Platform's top memory speed at 2 DIMMs per channel."),
    _d("platform.max_module_gib", "GiB", N, "Largest module the platform supports."),
    _d("memory.modules", "", N, "Memory modules in the build: sum of count x modules_per_kit.",
       f.module_count),
    _d("memory.capacity_gib", "GiB", N, "Installed memory.", f.memory_capacity_gib),
    _d("memory.kinds", "", L, "Distinct module kinds in the build."),
    _d("memory.distinct_modules", "", N,
       "Distinct module types (by generation, kind, capacity, speed and ranks)."),
    _d("memory.channels", "", N, "Memory channels on the populated sockets.", f.channels_total),
    _d("memory.populated_channels", "", N, "Channels holding at least one module.",
       f.populated_channels),
    _d("memory.slots", "", N,
       "DIMM slots usable with the fitted CPUs: board.dimm_slots x cpu.count / board.sockets."),
    _d("memory.dimms_per_channel", "", N, "DIMMs on the fullest channel.", f.dimms_per_channel),
    _d("memory.balanced", "", B, "Whether every channel holds the same number of modules.",
       f.channels_balanced),
    _d("memory.sockets_balanced", "", B,
       "Whether every populated socket holds the same number of modules.", f.sockets_balanced),
    _d("memory.rated_mts", "MT/s", N, "Rated speed of the slowest module."),
    _d("memory.speed_limit_mts", "MT/s", N,
       "Top speed the platform, board and CPU allow at this population.", f.speed_limit_mts),
    _d("memory.speed_limit_basis", "", S,
       "Who publishes memory.speed_limit_mts (platform, board or processor, at which population), "
       "'assumed: ...' for the platform's lowest catalog 2DPC figure, or why no speed is known."),
    _d("memory.cpu_speed_unknown", "", B,
       "True when the platform rates memory speed per processor SKU and the CPU gives no "
       "max_mts, so the platform's figure may be above what this CPU runs."),
    _d("memory.speed_assumed", "", B,
       "True when memory.speed_limit_mts is the conservative assumed figure, not one published "
       "for this platform and board."),
    _d("memory.tuned_mts", "MT/s", N,
       "Speed the BIOS is set to run the memory at ([[memory]] tuned_mts; EXPO, XMP or by hand): "
       "it is memory.effective_mts, whatever the vendor's limit."),
    _d("memory.effective_mts", "MT/s", N,
       "Speed the memory runs at: min(rated, memory.speed_limit_mts), or memory.tuned_mts; a "
       "[system]'s speed_mts.", f.effective_mts),
    _d("memory.bandwidth_gbs", "GB/s", N,
       "Theoretical aggregate bandwidth at memory.effective_mts: channels x 8 B x MT/s, or on a "
       "[system] bus width / 8 x MT/s (its stated bandwidth_gbs where either is missing).",
       f.memory_bandwidth_gbs),
    _d("memory.bandwidth_per_socket_gbs", "GB/s", N, "Theoretical bandwidth of one socket.",
       f.memory_bandwidth_gbs),
    _d("memory.sustained_bandwidth_gbs", "GB/s", N,
       "Bandwidth a streaming workload can sustain: [measured] bandwidth_gbs as given, else "
       "theoretical x STREAM_EFFICIENCY, capped per socket at cpu.ccds x the platform's "
       "ccd_read_gbs.", f.ccd_limited_bandwidth_gbs),
    _d("memory.sustained_basis", "", S,
       "Where memory.sustained_bandwidth_gbs comes from: measured, estimated from the channels, "
       "or limited by the CPU's CCDs."),
    _d("memory.usable_gib", "GiB", N,
       "Memory the workload may fill: memory.capacity_gib, or on a [system] whose GPU runs the "
       "model, system.gpu_memory_gib."),
    _d("system.name", "", S, "The [system]'s name."),
    _d("system.processor", "", S, "The [system]'s chip."),
    _d("system.memory_type", "", S, "Memory technology of the [system] (LPDDR5X ...)."),
    _d("system.bus_width_bits", "bits", N, "Width of the [system]'s memory bus."),
    _d("system.gpu_memory_gib", "GiB", N,
       "Memory the integrated GPU may use: [system] gpu_memory_gib, else memory_gib x "
       "gpu_memory_share."),
    _d("system.gpu_memory_basis", "", S,
       "Where system.gpu_memory_gib comes from: the spec, or the operating system's default "
       "share."),
    _d("system.gpu_fp16_tflops", "TFLOPS", N, "FP16 throughput of the [system]'s GPU."),
    _d("system.max_power_w", "W", N, "Most the whole [system] draws."),
    _d("system.replaces", "", L,
       "Tables given beside [system] that it replaces (board, cpu, memory): SYS001."),
    _d("model.name", "", S, "The model's catalog id or name."),
    _d("model.params_b", "B params", N, "Total parameters, in billions."),
    _d("model.active_params_b", "B params", N,
       "Parameters read per generated token (all of them for a dense model).",
       f.moe_active_params_b),
    _d("model.active_params_basis", "", S,
       "Where model.active_params_b comes from when the model states no active count."),
    _d("model.weights_basis", "", S,
       "Where model.weights_gib comes from when not from params_b x bits per weight."),
    _d("model.bits_per_weight", "bits", N, "Bits stored per weight at workload.precision (or, "
       "from a file's workload.arch.weight_bytes, its average: bytes x 8 / weights).",
       f.bits_per_weight_of_bytes),
    _d("model.weights_gib", "GiB", N, "Weights in binary units.", f.weights_gib),
    _d("model.weights_gb", "GB", N, "Weights in decimal units.", f.weights_gb),
    _d("model.expert_params_b", "B params", N,
       "Parameters of the routed experts, all layers together."),
    _d("model.kv_cache_gib", "GiB", N,
       "KV cache at workload.context_tokens x workload.batch: MLA latent, or full K and V for "
       "GQA and MHA (and for MLA under an engine without MLA support); sliding-window layers "
       "keep at most the window.", f.kv_cache_bytes_gqa),
    _d("model.kv_scratch_gib", "GiB", N,
       "The f16 copy of one layer's K and V that a block-quantised KV cache (q8_0, q4_0) costs on "
       "the GPUs under llama.cpp; counted in model.gpu_required_gib.",
       f.quantized_kv_scratch_bytes),
    _d("model.linear_state_gib", "GiB", N,
       "Part of model.kv_cache_gib that a hybrid model's linear-attention layers keep as a fixed "
       "recurrent state per sequence, whatever the context.", f.linear_attention_state_bytes),
    _d("model.indexer_cache_gib", "GiB", N,
       "Part of model.kv_cache_gib that a sparse-attention indexer caches (DeepSeek-V3.2's "
       "keys in FP8), for a model with index_head_dim.", f.dsa_indexer_cache_bytes),
    _d("model.kv_cache_layout", "", S,
       "How the KV cache is stored: latent (MLA), latent-with-v (MLA with a separate V cache, "
       "as llama.cpp kept before PR 19067) or full (per-head K and V).",
       f.kv_cache_bytes_mla_with_v),
    _d("model.weight_copies", "", N,
       "Copies of the weights in system memory: one per socket under replicate-per-socket.",
       f.weight_copies),
    _d("model.ram_weights_gib", "GiB", N,
       "Weights held in system memory: the share not on GPUs, times model.weight_copies."),
    _d("model.gpu_weights_gib", "GiB", N, "Weights offloaded to the GPUs."),
    _d("model.gpu_kv_cache_gib", "GiB", N, "KV cache held on the GPUs."),
    _d("model.gpu_required_gib", "GiB", N,
       "VRAM the offloaded share needs: GPU weights + GPU KV cache + overhead.", f.overhead_gib),
    _d("model.overhead_gib", "GiB", N,
       "Reserve for engine buffers, runtime and OS (workload.overhead_gib, else a default share).",
       f.overhead_gib),
    _d("model.ram_kv_cache_gib", "GiB", N,
       "KV cache held in system memory: the share not on GPUs."),
    _d("model.required_gib", "GiB", N,
       "System memory the workload needs: model.ram_weights_gib + model.ram_kv_cache_gib + "
       "model.overhead_gib."),
    _d("model.margin_gib", "GiB", N,
       "System memory left once the workload is held: memory.usable_gib - "
       "model.required_gib (negative when short)."),
    _d("model.gpu_margin_gib", "GiB", N,
       "VRAM left once the offloaded share is held: gpu.vram_gib - model.gpu_required_gib "
       "(negative when short)."),
    _d("model.gpu_device_margin_gib", "GiB", N,
       "VRAM left on the fullest card: the least of each card's VRAM minus its share of "
       "model.gpu_required_gib (in proportion to VRAM under the layer split, equal under tensor "
       "parallelism), so a pool that fits can still overfill one card.",
       f.device_vram_margin_gib),
    _d("model.fits", "", B,
       "The fit verdict: memory.usable_gib >= model.required_gib (nothing to hold when it is 0) "
       "and, with offload, gpu.vram_gib >= model.gpu_required_gib."),
    _d("workload.precision", "", S, "Weight precision of the workload."),
    _d("workload.context_tokens", "tokens", N, "Context length planned for."),
    _d("workload.batch", "", N, "Sequences decoded together."),
    _d("workload.min_decode_tokens_per_s", "tokens/s", N, "Decode speed the owner needs."),
    _d("workload.engine", "", S, "Inference engine named by the workload."),
    _d("workload.numa", "", S,
       "NUMA placement of the weights (interleave by default on a multi-socket build)."),
    _d("workload.offload", "", S, "How weights are split between GPUs and system memory."),
    _d("workload.gpu_layers", "", N, "Layers on the GPUs under offload = layers (all of the "
       "model's when a build with GPUs gives no workload.offload)."),
    _d("workload.offload_basis", "", S,
       "Why workload.offload is what it is, where the spec does not say."),
    _d("workload.device", "", S,
       "On a [system]: where the model runs, gpu (the default) or cpu (workload.device)."),
    _d("workload.gpu_split", "", S,
       "How the model spreads over several GPUs: layers (one after another) or tensor (all at "
       "once); workload.gpu_split, else tensor for vllm and sglang and layers otherwise."),
    _d("gpu.count", "", N, "GPUs fitted, all entries together."),
    _d("gpu.vram_gib", "GiB", N, "VRAM of every GPU together."),
    _d("gpu.bandwidth_gbs", "GB/s", N, "Memory bandwidth of every GPU together."),
    _d("gpu.decode_bandwidth_gbs", "GB/s", N,
       "GPU bandwidth a token sees under workload.gpu_split: under layers each GPU streams its "
       "share in turn (one GPU's bandwidth for identical cards); under tensor all read at once "
       "(their sum).", f.layer_split_bandwidth_gbs),
    _d("power.cpu_w", "W", N,
       "CPU power: cpu.count x the sustained package limit (cpu.package_power_w: AMD PPT, Intel "
       "PL2) where the catalog gives one, else cpu.tdp_w."),
    _d("power.gpu_w", "W", N, "GPUs at board power: the sum of count x tdp_w."),
    _d("power.memory_w", "W", N,
       "Memory modules at their own power_w, else their catalog class figure by generation and "
       "kind (Crucial's 5 W sizing rule for unbuffered modules, a measured 4.52 W for DDR4 "
       "RDIMMs, Micron's 10 W for DDR5 RDIMMs up to 128 GB: docs/catalog.md)."),
    _d("power.board_w", "W", N,
       "The board with its BMC and chipset, at its own power_w, else its class figure (Intel's "
       "median desktop rest-of-platform budget, 96 W; a server board's budget line from an "
       "Intel server board specification, 36 W, low confidence)."),
    _d("power.storage_w", "W", N,
       "Drives at their own power_w, else their class figure (NVMe: the top of SNIA's M.2 "
       "range, 11 W; SATA SSD 3.8 W and hard drive 13.2 W from vendor manuals)."),
    _d("power.cooling_w", "W", N,
       "Coolers, fans and the case's own fans and electronics: their power_w, else fans x the "
       "per-fan class figure (6.6 W a desktop fan, 16.8 W a server fan, from vendor ratings)."),
    _d("power.load_w", "W", N,
       "Estimated sustained load: every fitted part at its own figure (CPUs at their package "
       "limit, GPUs at board power, a [system] at its max_power_w), else at its catalog class "
       "figure (listed in power.assumed)."),
    _d("power.peak_w", "W", N,
       "Short excursion (about 1 ms) of the whole build, every part spiking at once: each part "
       "at its own peak_w (a measured transient: the catalog has the RTX 5090's), else its "
       "class peak (a hard drive's spin-up), else its sustained figure."),
    _d("power.assumed", "", L,
       "Parts counted at a catalog class figure rather than their own, with the class, its "
       "confidence and its source."),
    _d("power.uncounted", "", L,
       "Parts fitted with no power figure of their own or of their class, left out of "
       "power.load_w (so it is a lower bound)."),
    _d("power.psu_w", "W", N, "Usable PSU output: psu.capacity_w over psu.count units under "
       "psu.redundancy.", f.usable_psu_w),
    _d("power.psu_peak_w", "W", N,
       "What the usable PSUs deliver for 1 ms: their own peak_w where stated, else the ATX 3.x "
       "excursion limit (Intel's ATX 3 PSU design guide: 180 % of the rating above 450 W with a "
       "12V-2x6 cable, 145 % otherwise), else their continuous rating.", f.psu_excursion_w),
    _d("power.psu_peak_basis", "", S, "Where power.psu_peak_w comes from."),
    _d("power.load_fraction", "", N, "Share of the usable PSU output the load uses.",
       f.load_fraction),
    _d("power.peak_fraction", "", N, "power.peak_w / power.psu_peak_w."),
    _d("power.efficiency", "", N,
       "PSU efficiency at this load: the 80 PLUS minimum for psu.rating (115 V internal), read "
       "between its table points.", f.psu_efficiency),
    _d("power.efficiency_basis", "", S, "The 80 PLUS level and load share behind "
       "power.efficiency."),
    _d("power.wall_w", "W", N, "Drawn from the wall: power.load_w / power.efficiency.",
       f.wall_power_w),
    _d("power.eps_needed", "", N,
       "8-pin EPS inputs to feed: the board's plus those of cards that take EPS power."),
    _d("power.pcie_needed", "", N,
       "8-pin PCIe cables the GPUs need: their 8-pin inputs plus, for each 12V-2x6 input the "
       "PSU has no 12V-2x6 cable for, an adapter's worth.", f.adapter_pcie_8pin_count),
    _d("power.pcie_short", "", N, "8-pin PCIe cables the GPUs need beyond what the PSU has."),
    _d("psu.count", "", N, "PSU units fitted, from [psu] count."),
    _d("psu.redundancy", "", S, "How the units share the load: none, 1+1 or n+1."),
    _d("psu.capacity_w", "W", N, "Continuous rating of one PSU unit."),
    _d("psu.eps_connectors", "", N,
       "8-pin CPU (EPS) cables the PSUs provide (every unit's, without redundancy)."),
    _d("psu.pcie_connectors", "", N, "8-pin PCIe cables the PSUs provide."),
    _d("psu.hpwr_connectors", "", N, "12V-2x6 (12VHPWR) cables the PSUs provide."),
    _d("gpu.pcie_connectors", "", N, "8-pin PCIe power inputs on every GPU together."),
    _d("gpu.hpwr_connectors", "", N, "12V-2x6 power inputs on every GPU together."),
    _d("workload.electricity_price", "currency", N, "What a kWh costs, from [workload]."),
    _d("cost.electricity_per_day", "currency", N,
       "A day at the estimated load: power.wall_w (else power.load_w) / 1000 x 24 h x "
       "workload.electricity_price.", f.electricity_cost_per_day),
    _d("cost.electricity_per_million_tokens", "currency", N,
       "Energy cost of a million tokens at decode.tokens_per_s_expected and the same draw.",
       f.electricity_cost_per_million_tokens),
    _d("cost.electricity_basis", "", S, "Which draw the electricity costs use."),
    _d("cost.total", "currency", N,
       "Sum of price x count over every priced line, in build.currency."),
    _d("cost.unpriced", "", L, "Lines without a price (not in cost.total)."),
    _d("cost.quoted_difference", "currency", N,
       "build.quoted_total - cost.total: positive when the quote says more than the lines."),
    _d("cost.headroom", "currency", N,
       "build.budget - cost.total: negative when over budget."),
    _d("decode.bytes_per_token_gb", "GB", N,
       "Bytes read per generated token: active weights plus the KV cache, every device together.",
       f.decode_bytes_per_token),
    _d("decode.ram_bytes_per_token_gb", "GB", N,
       "Bytes read from system memory per generated token.", f.decode_bytes_per_token),
    _d("decode.gpu_bytes_per_token_gb", "GB", N,
       "Bytes read from GPU memory per generated token.", f.decode_bytes_per_token),
    _d("decode.ram_bandwidth_gbs", "GB/s", N,
       "System-memory bandwidth a token can use: theoretical bandwidth of one socket under "
       "single-socket, of every socket under replicate-per-socket, and under interleave capped by "
       "the socket link where its bandwidth is published.", f.numa_interleave_bandwidth_gbs),
    _d("decode.tokens_per_s_max", "tokens/s", N,
       "Bandwidth bound on decode speed per sequence: each device's bytes per token at its "
       "theoretical bandwidth, summed as time; no measurement can exceed it.",
       f.decode_tokens_per_s_split),
    _d("decode.tokens_per_s_expected", "tokens/s", N,
       "Decode speed to expect: the same sum at sustained (STREAM) system-memory bandwidth, times "
       "the engine efficiency measured in public benchmarks (formulas.DECODE_EFFICIENCY).",
       f.decode_tokens_per_s_expected),
    _d("decode.tokens_per_s_expected_low", "tokens/s", N,
       "Low end of the expected decode speed (DECODE_EFFICIENCY_RANGE)."),
    _d("decode.tokens_per_s_expected_high", "tokens/s", N,
       "High end of the expected decode speed (DECODE_EFFICIENCY_RANGE)."),
    _d("model.ram_active_params_b", "B params", N,
       "Active parameters per token read from system memory (and computed by the CPUs)."),
    _d("model.gpu_active_params_b", "B params", N,
       "Active parameters per token read from GPU memory (and computed by the GPUs)."),
    _d("cpu.peak_tflops", "TFLOPS", N,
       "Peak rate of the CPUs the workload runs on (one socket's under numa = single-socket): "
       "cores x base clock x the platform's FLOPs per cycle (AMX BF16 where the platform has "
       "it, else FP32 vector).", f.cpu_peak_tflops),
    _d("gpu.fp16_tflops", "TFLOPS", N, "FP16 tensor throughput of every GPU together."),
    _d("prefill.tokens_per_s_max", "tokens/s", N,
       "Bound on prompt processing: 2 FLOPs per active parameter per token at each device's "
       "peak rate, summed as time; with offload under llama.cpp (which computes large batches "
       "on the GPU), the lower of the GPUs' compute bound and prefill.link_tokens_per_s_max.",
       f.prefill_tokens_per_s_max),
    _d("prefill.link_tokens_per_s_max", "tokens/s", N,
       "With offload under llama.cpp: workload.prefill_batch (default 512) x gpu.pcie_link_gbs / "
       "the GB of weights in system memory, which cross the link once per batch.",
       f.offload_prefill_tokens_per_s_max),
    _d("prefill.basis", "", S,
       "What bounds prompt processing, or why the bound is unknown."),
    _d("gpu.pcie_link_gbs", "GB/s", N,
       "One direction of the main GPU's PCIe link: per-lane rate of [[gpu]] pcie_gen x "
       "pcie_lanes.", f.pcie_link_gbs),
    _d("unknown.figures", "", L,
       "Headline figures (memory.effective_mts, memory.bandwidth_gbs, model.required_gib, "
       "model.fits, decode.tokens_per_s_max, decode.tokens_per_s_expected, power.load_w) the "
       "build should have and cannot: empty when every one is derived or does not apply."),
    _d("unknown.why", "", S, "For each group of unknown figures, the missing input that stops "
       "them: 'memory.effective_mts, memory.bandwidth_gbs: no speed is published ...'."),
    _d("unknown.inputs", "", S, "The inputs that would supply the unknown figures."),
    _d("unknown.path", "", S, "The spec key of the first missing input, which FIG001 blames."),
)

ITEM_FACTS: dict[str, tuple[FactDef, ...]] = {
    "memory": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.generation", "", S, "DDR generation of the module."),
        _d("item.kind", "", S, "Module kind (RDIMM, UDIMM ...)."),
        _d("item.ecc", "", B, "Whether the module carries ECC."),
        _d("item.capacity_gib", "GiB", N, "Capacity of one module."),
        _d("item.speed_mts", "MT/s", N, "Rated speed of the module."),
        _d("item.modules", "", N, "Modules in this entry: count x modules_per_kit."),
    ),
    "gpu": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.count", "", N, "Cards of this model fitted."),
        _d("item.vram_gib", "GiB", N, "Memory of one card."),
        _d("item.bandwidth_gbs", "GB/s", N, "Memory bandwidth of one card."),
        _d("item.tdp_w", "W", N, "Board power of one card."),
    ),
    "storage": (
        _d("item.name", "", S, "The entry's name."),
        _d("item.part", "", S, "The entry's catalog id."),
        _d("item.kind", "", S, "Drive kind (nvme, sata ...)."),
        _d("item.capacity_tb", "TB", N, "Capacity of one drive."),
    ),
}
"""Facts of one list entry, for rules declared with ``each``."""

FACTS_BY_NAME: dict[str, FactDef] = {d.name: d for d in FACTS}


@frozen
class BomLine:
    """One line of the bill of materials: a spec table (``cpu``) or list entry (``memory[0]``)."""

    key: str
    """The spec table it comes from: ``board``, ``cpu``, ``memory[0]``, ``storage[1]`` ..."""
    part: str | None
    """The catalog id, or None for a part declared inline."""
    name: str | None
    """The part's name (the catalog's, unless the spec gives one)."""
    unit_price: float | None
    """Price of one unit bought (one kit, for memory sold in kits), or None when unpriced."""
    count: int
    """Units bought: CPUs, kits or modules, cards, drives; 1 for single-part tables."""
    modules_per_kit: int | None = None
    """For memory: modules in one unit bought (2 for a kit of two); None for other parts."""

    @property
    def total(self) -> float | None:
        """Price x count, or None when the line has no price."""
        return None if self.unit_price is None else self.unit_price * self.count

    @property
    def modules(self) -> int | None:
        """For memory: modules bought, count x modules_per_kit; None for other parts."""
        return None if self.modules_per_kit is None else self.count * self.modules_per_kit


@frozen
class Facts(Mapping[str, FactValue]):
    """Every derived fact of one build, as a read-only mapping of fact name to value (absent
    facts are never guessed: ``facts["gpu.vram_gib"]`` is a KeyError on a CPU-only build), and
    the item facts of its list entries."""

    by_name: dict[str, FactValue]
    """The facts, by name: what the mapping reads."""
    entries: dict[str, tuple[dict[str, FactValue], ...]] = field(factory=dict)
    """The item facts of each list entry, by table: ``entries["memory"][0]["capacity_gib"]``."""
    unknown: tuple[Unknown, ...] = ()
    """Headline figures the build should have and does not, with why and what would supply
    them (also flattened into the ``unknown.*`` facts)."""
    bill: tuple[BomLine, ...] = ()
    """The bill of materials, a line per part table or list entry, in spec order; its priced
    lines sum to ``cost.total``."""
    build: Build | None = field(default=None, eq=False, repr=False)
    """The resolved build the facts come from, for views that show its parts (names, the
    model's shape) without resolving the spec again."""

    def get(self, name: str, default: Any = None) -> Any:
        """One fact, or ``default`` (None) when it is not known."""
        return self.by_name.get(name, default)

    def __getitem__(self, name: str) -> FactValue:
        """One fact; KeyError when it is not known."""
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[str]:
        """The names of the known facts: ``dict(report.facts)`` is every fact."""
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)

    def number(self, name: str) -> float | None:
        """A number fact as a float, or None when it is unknown (or not a number: a typo'd name
        reads as unknown, so check names against ``FACTS`` where that matters)."""
        value = self.by_name.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def flag(self, name: str) -> bool | None:
        """A true/false fact, or None when it is unknown."""
        value = self.by_name.get(name)
        return value if isinstance(value, bool) else None

    def text(self, name: str) -> str | None:
        """A text fact, or None when it is unknown."""
        value = self.by_name.get(name)
        return value if isinstance(value, str) else None


def derive(build: Build) -> Facts:
    """Compute every fact the build lets us know."""
    values: dict[str, Any] = {}
    _build_facts(build, values)
    _cpu_facts(build, values)
    _board_facts(build, values)
    _platform_facts(build, values)
    if build.system is not None:
        _system_facts(build, values)  # a whole machine: its unified memory is the memory
    else:
        _memory_facts(build, values)
    _model_facts(build, values)
    _gpu_facts(build, values)
    _fit_facts(values)
    _power_facts(build, values)
    bill = _cost_facts(build, values)
    _decode_facts(build, values)
    _prefill_facts(build, values)
    _electricity_facts(build, values)
    clean = {k: v for k, v in values.items() if v is not None}
    unknown = unknown_figures(build, clean)
    clean["unknown.figures"] = tuple(name for u in unknown for name in u.figures)
    if unknown:
        clean["unknown.why"] = "; ".join(f"{_names(u.figures)}: {u.why}" for u in unknown)
        clean["unknown.inputs"] = "; ".join(u.supply for u in unknown)
        clean["unknown.path"] = unknown[0].path
    return Facts(clean, _item_facts(build), unknown, bill, build)


def _names(figures: tuple[str, ...]) -> str:
    return ", ".join(figures)


def _put(values: dict[str, Any], prefix: str, obj: object, names: Mapping[str, str]) -> None:
    if obj is None:
        return
    for fact, attr in names.items():
        values[f"{prefix}.{fact}"] = getattr(obj, attr)


def _build_facts(build: Build, values: dict[str, Any]) -> None:
    info = build.spec.build
    values["build.name"] = info.name
    values["build.currency"] = info.currency
    values["build.budget"] = info.budget
    values["build.quoted_total"] = info.quoted_total


def _cpu_facts(build: Build, values: dict[str, Any]) -> None:
    cpu = build.cpu
    if cpu is None:
        return
    _put(values, "cpu", cpu, {"name": "name", "count": "count", "cores": "cores",
                              "threads": "threads", "tdp_w": "tdp_w", "socket": "socket",
                              "platform": "platform", "max_sockets": "max_sockets"})
    values["cpu.name"] = cpu.name or cpu.part
    if cpu.cores is not None:
        values["cpu.total_cores"] = cpu.count * cpu.cores
    if cpu.socket is None and build.platform is not None:
        values["cpu.socket"] = build.platform.socket


def _board_facts(build: Build, values: dict[str, Any]) -> None:
    board = build.board
    if board is None:
        return
    _put(values, "board", board, {"socket": "socket", "sockets": "sockets",
                                  "dimm_slots": "dimm_slots",
                                  "channels_per_socket": "channels_per_socket",
                                  "eps_connectors": "eps_connectors"})
    values["board.name"] = board.name or board.part
    if board.platforms is not None and build.cpu is not None and build.cpu.platform is not None:
        values["board.supports_platform"] = build.cpu.platform in board.platforms


def _platform_facts(build: Build, values: dict[str, Any]) -> None:
    _put(values, "platform", build.platform, {
        "id": "id", "socket": "socket", "max_sockets": "max_sockets",
        "memory_generation": "memory_generation", "module_kinds": "module_kinds", "ecc": "ecc",
        "channels_per_socket": "channels_per_socket", "max_mts_1dpc": "max_mts_1dpc",
        "max_mts_2dpc": "max_mts_2dpc", "max_module_gib": "max_module_gib"})


def _modules(entry: Memory) -> int:
    return f.module_count(entry.count, entry.modules_per_kit or 1)


def _populated_sockets(build: Build) -> int | None:
    if build.cpu is None:
        return None
    count = build.cpu.count
    if build.board is not None and build.board.sockets is not None:
        count = min(count, build.board.sockets)
    return count


def _memory_facts(build: Build, values: dict[str, Any]) -> None:
    entries = build.memory
    if not entries:
        return
    modules = sum(_modules(m) for m in entries)
    values["memory.modules"] = modules
    capacities = [m.capacity_gib for m in entries]
    if all(c is not None for c in capacities):
        values["memory.capacity_gib"] = sum(
            f.memory_capacity_gib(_modules(m), c) for m, c in zip(entries, capacities, strict=True)
            if c is not None
        )
        values["memory.usable_gib"] = values["memory.capacity_gib"]
    values["memory.kinds"] = tuple(sorted({m.kind for m in entries if m.kind is not None}))
    values["memory.distinct_modules"] = len(
        {(m.generation, m.kind, m.capacity_gib, m.speed_mts, m.ranks) for m in entries}
    )
    speeds = [m.speed_mts for m in entries]
    if all(s is not None for s in speeds):
        values["memory.rated_mts"] = min(speeds)  # type: ignore[type-var]

    sockets = _populated_sockets(build)
    board, platform = build.board, build.platform
    per_socket = (board.channels_per_socket if board is not None else None) or (
        platform.channels_per_socket if platform is not None else None
    )
    if board is not None and board.dimm_slots is not None and board.sockets and sockets:
        values["memory.slots"] = board.dimm_slots * sockets // board.sockets
    if sockets is None or per_socket is None:
        return
    channels = f.channels_total(per_socket, sockets)
    values["memory.channels"] = channels
    populated = f.populated_channels(modules, channels)
    values["memory.populated_channels"] = populated
    dpc = f.dimms_per_channel(modules, channels)
    values["memory.dimms_per_channel"] = dpc
    values["memory.balanced"] = f.channels_balanced(modules, channels)
    values["memory.sockets_balanced"] = f.sockets_balanced(modules, sockets)

    limits = _speed_limits(build, dpc)
    values["memory.speed_assumed"] = False
    cpu = build.cpu
    # Never silent: on a platform whose vendor rates speeds per SKU, a CPU without its own figure
    # may run below the platform's (a Xeon Silver 4410Y runs 4000 where Sapphire Rapids says 4800).
    values["memory.cpu_speed_unknown"] = bool(
        cpu is not None and cpu.max_mts is None and platform is not None
        and platform.speeds_per_sku)
    limit: float | None = None
    if limits:
        limit, basis = min(limits, key=lambda pair: pair[0])
        values["memory.speed_limit_mts"] = limit
        values["memory.speed_limit_basis"] = basis
        values["memory.speed_assumed"] = basis.startswith("assumed")
    else:
        values["memory.speed_limit_basis"] = _unpublished(build, dpc)
    tuned = [m.tuned_mts for m in entries if m.tuned_mts is not None]
    rated = values.get("memory.rated_mts")
    if tuned:
        # One memory controller clock for every module: the BIOS setting is the speed, whatever
        # the vendor's limit (MEM008 warns when it is above).
        effective: float = min(tuned)
        values["memory.tuned_mts"] = effective
    elif rated is None or limit is None:
        return
    else:
        effective = f.effective_mts(rated, [limit])
    values["memory.effective_mts"] = effective
    bandwidth = f.memory_bandwidth_gbs(effective, populated)
    values["memory.bandwidth_gbs"] = bandwidth
    values["memory.bandwidth_per_socket_gbs"] = bandwidth / sockets
    _sustained_facts(build, values, bandwidth, sockets)


def _sustained_facts(build: Build, values: dict[str, Any], theoretical: float,
                     sockets: int) -> None:
    """memory.sustained_bandwidth_gbs and who says so: a [measured] figure as given, else the
    channels' STREAM estimate, capped where the CPU's chiplets cannot fill the channels."""
    measured = build.spec.measured.bandwidth_gbs if build.spec.measured is not None else None
    if measured is not None:
        values["memory.sustained_bandwidth_gbs"] = measured
        values["memory.sustained_basis"] = "measured"
        return
    sustained = f.sustained_bandwidth_gbs(theoretical)
    values["memory.sustained_basis"] = "estimated from the channels"
    cpu, platform = build.cpu, build.platform
    per_ccd = platform.ccd_read_gbs if platform is not None else None
    if cpu is not None and per_ccd is not None:
        if cpu.ccds is None:
            # Never silent: the cap this platform's chiplet links put on a low-CCD part cannot
            # be applied, so the estimate may be high for such a part; say which input would.
            values["memory.sustained_basis"] = (
                f"estimated from the channels; not checked against the CCD links "
                f"({per_ccd:g} GB/s each): the CPU's CCD count is not known (give [cpu] ccds)")
        else:
            capped = f.ccd_limited_bandwidth_gbs(sustained / sockets, cpu.ccds, per_ccd) * sockets
            if capped < sustained:
                sustained = capped
                values["memory.sustained_basis"] = (
                    f"limited by {cpu.ccds} CCDs at {per_ccd:g} GB/s each")
    values["memory.sustained_bandwidth_gbs"] = sustained


def _system_facts(build: Build, values: dict[str, Any]) -> None:
    """A [system]'s unified memory as the memory facts, and what its GPU may use of it."""
    system = build.system
    if system is None:
        return
    values["system.name"] = system.name or system.part
    values["system.processor"] = system.processor
    values["system.memory_type"] = system.memory_type
    values["system.bus_width_bits"] = system.bus_width_bits
    values["system.max_power_w"] = system.max_power_w
    values["system.gpu_fp16_tflops"] = system.gpu_fp16_tflops
    values["system.replaces"] = tuple(name for name in ("board", "cpu") if getattr(
        build.spec, name) is not None) + (("memory",) if build.spec.memory else ())
    device = (build.workload.device if build.workload is not None else None) or "gpu"
    values["workload.device"] = device
    capacity = system.memory_gib
    values["memory.capacity_gib"] = capacity
    if system.gpu_memory_gib is not None:
        values["system.gpu_memory_gib"] = system.gpu_memory_gib
        values["system.gpu_memory_basis"] = "set in the spec"
    elif capacity is not None and system.gpu_memory_share is not None:
        values["system.gpu_memory_gib"] = capacity * system.gpu_memory_share
        values["system.gpu_memory_basis"] = (
            f"the operating system's default share, {system.gpu_memory_share:g} of the memory")
    values["memory.usable_gib"] = (values.get("system.gpu_memory_gib") if device == "gpu"
                                   else capacity)
    if system.speed_mts is not None:
        values["memory.rated_mts"] = values["memory.effective_mts"] = system.speed_mts
    if system.bus_width_bits is not None and system.speed_mts is not None:
        bandwidth = f.unified_bandwidth_gbs(system.bus_width_bits, system.speed_mts)
    elif system.bandwidth_gbs is not None:
        bandwidth = system.bandwidth_gbs
    else:
        return
    values["memory.bandwidth_gbs"] = values["memory.bandwidth_per_socket_gbs"] = bandwidth
    _sustained_facts(build, values, bandwidth, 1)


def _speed_limits(build: Build, dpc: int) -> list[tuple[float, str]]:
    """Every published cap on the memory speed at this population, each with who publishes it;
    empty when nobody publishes one for the population (then the speed is unknown).

    A board's published figure for the population wins over the platform's, above or below it:
    the board vendor validated that population on that board. Two single-rank DIMMs per channel
    take the vendor's single-rank figure where it publishes one apart, and MRDIMMs the platform's
    MRDIMM figure. More DIMMs per channel never run faster than fewer, so every 1DPC limit (and
    the CPU's own memory speed) caps a 2DPC population too. Where neither the platform nor the
    board publishes a 2DPC speed, the lowest one any catalog board of the platform publishes
    stands in for it, labelled as assumed.
    """
    board, platform, cpu = build.board, build.platform, build.cpu
    at = f"for {dpc} DIMM{'s' if dpc != 1 else ''} per channel"
    single_rank = dpc == 2 and all(m.ranks == 1 for m in build.memory)
    mrdimm = dpc <= 1 and all(m.kind == "MRDIMM" for m in build.memory)
    # (who, their figure at this population and what it is for, their 1DPC figure)
    publishers: list[tuple[str, tuple[float, str] | None, float | None]] = []
    if platform is not None:
        publishers.append((f"platform {platform.id}", _published_mts(
            dpc, single_rank, mrdimm, platform.max_mts_1dpc, platform.max_mts_2dpc,
            platform.max_mts_2dpc_1r, platform.max_mts_mrdimm), platform.max_mts_1dpc))
    if board is not None:
        publishers.append((f"board {board.name or board.part or 'board'}", _published_mts(
            dpc, single_rank, mrdimm, board.max_mts_1dpc, board.max_mts_2dpc,
            board.max_mts_2dpc_1r), board.max_mts_1dpc))
    published = [(mts, who, f"published by {who} {at}{label}")
                 for who, figure, _ in publishers if figure is not None
                 for mts, label in [figure]]
    limits = [(mts, basis) for mts, _, basis in published[-1:]]  # the board's wins, if it has one
    if len(published) == 2 and published[0][0] != published[1][0]:
        (platform_mts, platform_who, _), (board_mts, _, board_basis) = published
        side = "above" if board_mts > platform_mts else "below"
        limits = [(board_mts, f"{board_basis}, {side} {platform_who}'s {platform_mts:g}")]
    assumed = build.assumed_mts_2dpc
    if not limits and dpc == 2 and assumed is not None and platform is not None:
        limits = [(assumed.mts, (
            f"assumed: the lowest speed a {platform.id} board in the catalog publishes {at} "
            f"({assumed.board})"))]
    if not limits:
        return []
    ceilings = [(one, f"{who} at 1 DIMM per channel") for who, _, one in publishers
                if one is not None and dpc > 1]
    # A CPU's max_mts is its RDIMM speed: on a platform with an MRDIMM figure it does not cap
    # MRDIMMs (Intel lists "MRDIMM up to 8800 MT/s" beside DDR5-6400 for the Xeon 6980P).
    mrdimm_published = mrdimm and platform is not None and platform.max_mts_mrdimm is not None
    if cpu is not None and cpu.max_mts is not None and not mrdimm_published:
        ceilings.append((cpu.max_mts, f"processor {cpu.name or cpu.part or 'cpu'}"))
    return limits + ceilings


def _published_mts(dpc: int, single_rank: bool, mrdimm: bool, one: float | None,
                   two: float | None, two_single_rank: float | None,
                   one_mrdimm: float | None = None) -> tuple[float, str] | None:
    """One publisher's speed for the population, and which of its figures it is: the
    single-rank 2DPC or the MRDIMM figure where the population is of that kind and the
    publisher gives one apart, else its plain figure for the DIMMs per channel."""
    if single_rank and two_single_rank is not None:
        return two_single_rank, " single-rank"
    if mrdimm and one_mrdimm is not None:
        return one_mrdimm, " MRDIMM"
    mts = f.speed_limit_mts(dpc, one, two)
    return None if mts is None else (mts, "")


def _unpublished(build: Build, dpc: int) -> str:
    """Why no speed is known for the population: who was asked and published nothing."""
    asked = [f"platform {build.platform.id}"] if build.platform is not None else []
    if build.board is not None:
        asked.append(f"board {build.board.name or build.board.part or 'board'}")
    where = " or ".join(asked) if asked else "no platform or board is known"
    return f"no speed is published for {dpc} DIMMs per channel on {where}"


def _model_facts(build: Build, values: dict[str, Any]) -> None:
    workload, model = build.workload, build.model
    if workload is None:
        return
    values["workload.precision"] = workload.precision
    values["workload.context_tokens"] = workload.context_tokens
    values["workload.batch"] = workload.batch
    values["workload.min_decode_tokens_per_s"] = workload.min_decode_tokens_per_s
    values["workload.engine"] = workload.engine
    sockets = _populated_sockets(build) or 1
    numa = workload.numa or ("interleave" if sockets > 1 else None)
    values["workload.numa"] = numa
    offload = workload.offload or "none"
    gpu_layers = workload.gpu_layers
    if workload.offload is None and build.gpu and build.system is None:
        # A build with GPUs runs its model on them unless the spec splits it (llama.cpp
        # -ngl 999, vLLM): every layer on the GPUs, so FIT003 checks the VRAM.
        offload = "layers"
        gpu_layers = model.layers if model is not None else None
        values["workload.offload_basis"] = ("every layer on the GPUs: the build has [[gpu]] "
                                            "and workload.offload is not given")
    values["workload.offload"] = offload
    values["workload.gpu_layers"] = gpu_layers
    if model is None:
        return
    values["model.name"] = model.name or workload.model
    values["model.params_b"] = model.params_b
    active = values["model.active_params_b"] = _active_params_b(model, values)
    values["model.expert_params_b"] = model.expert_params_b
    bits = workload.bits_per_weight or (
        BITS_PER_WEIGHT[workload.precision] if workload.precision is not None else None
    )
    if model.weight_bytes is not None and model.params_b:
        # The file's own bytes: exact, whatever the precision's name says of a typical file.
        bits = f.bits_per_weight_of_bytes(model.weight_bytes, model.params_b)
        values["model.weights_basis"] = "the file's tensor table (workload.arch.weight_bytes)"
    values["model.bits_per_weight"] = bits
    if model.params_b is None or bits is None:
        return
    weights = f.weights_gib(model.params_b, bits)
    values["model.weights_gib"] = weights
    values["model.weights_gb"] = f.weights_gb(model.params_b, bits)
    copies = f.weight_copies(numa, sockets)
    values["model.weight_copies"] = copies
    kv_bytes = _kv_cache_bytes(build, values)
    kv = f.bytes_to_gib(kv_bytes) if kv_bytes is not None else None
    values["model.kv_cache_gib"] = kv
    # The shares do not depend on the active count: a model that lacks one still gets its
    # memory figures, and only the per-token figures below are left unknown.
    split = _gpu_split(build, offload, 0.0 if active is None else active, gpu_layers)
    if split is None:
        return
    gpu_weight_share, gpu_kv_share, gpu_active_b = split
    if offload != "none":
        values["model.gpu_weights_gib"] = weights * gpu_weight_share
    ram_weights = weights * (1 - gpu_weight_share) * copies
    values["model.ram_weights_gib"] = ram_weights
    if kv is None:
        return
    ram_kv, gpu_kv = kv * (1 - gpu_kv_share), kv * gpu_kv_share
    overhead: float = (f.overhead_gib(ram_weights, ram_kv) if workload.overhead_gib is None
                       else workload.overhead_gib)
    values["model.overhead_gib"] = overhead
    values["model.ram_kv_cache_gib"] = ram_kv
    values["model.required_gib"] = ram_weights + ram_kv + overhead
    if offload != "none":
        values["model.gpu_kv_cache_gib"] = gpu_kv
        gpu_weights = weights * gpu_weight_share
        scratch = _kv_scratch_bytes(build, values) if gpu_kv > 0 else None
        if scratch is not None:
            values["model.kv_scratch_gib"] = f.bytes_to_gib(scratch)
        values["model.gpu_required_gib"] = (
            gpu_weights + gpu_kv + f.overhead_gib(gpu_weights, gpu_kv)
            + (f.bytes_to_gib(scratch) if scratch is not None else 0.0))
    if active is None:
        return
    ram_active_b = active - gpu_active_b
    values["model.ram_active_params_b"] = ram_active_b
    values["model.gpu_active_params_b"] = gpu_active_b
    values["decode.ram_bytes_per_token_gb"] = f.bytes_to_gb(
        f.decode_bytes_per_token(ram_active_b, bits, ram_kv * f.GIB))
    values["decode.gpu_bytes_per_token_gb"] = f.bytes_to_gb(
        f.decode_bytes_per_token(gpu_active_b, bits, gpu_kv * f.GIB))


def _gpu_split(build: Build, offload: str, active_b: float | None,
               gpu_layers: int | None) -> tuple[float, float, float] | None:
    """Shares of the weights and of the KV cache on the GPUs, and active parameters read there
    per token, by offload mode; None when the mode's inputs are unknown."""
    model, workload = build.model, build.workload
    if model is None or workload is None or model.params_b is None or active_b is None:
        return None
    if offload == "layers":
        if not model.layers or gpu_layers is None:
            return None
        share = min(gpu_layers, model.layers) / model.layers
        return share, share, active_b * share
    if offload == "experts-in-ram":
        if not (model.expert_params_b and model.experts and model.experts_per_token) or (
                model.expert_params_b >= model.params_b):
            return None
        on_gpu = model.params_b - model.expert_params_b
        routed = f.routed_active_params_b(model.expert_params_b, model.experts,
                                          model.experts_per_token)
        share = on_gpu / model.params_b
        if model.weight_bytes and model.expert_weight_bytes and (
                model.expert_weight_bytes < model.weight_bytes):
            # The file stores experts and the rest at different widths: split by its bytes.
            share = 1 - model.expert_weight_bytes / model.weight_bytes
        # Attention runs on the GPU, so its KV cache lives there (KTransformers, llama.cpp -ot).
        return share, 1.0, max(active_b - routed, 0.0)
    return 0.0, 0.0, 0.0


def _kv_cache_bytes(build: Build, values: dict[str, Any]) -> float | None:
    workload, model = build.workload, build.model
    if workload is None or model is None or workload.context_tokens is None:
        return None
    per_element = KV_BYTES_PER_ELEMENT[workload.kv_precision or "f16"]
    tokens, batch = workload.context_tokens, workload.batch
    if model.attention == "mla":
        engine_full = (workload.engine is not None
                       and workload.engine not in MLA_LATENT_CACHE_ENGINES)
        if workload.kv_layout == "full" or (workload.kv_layout is None and engine_full):
            values["model.kv_cache_layout"] = "full"
            if model.layers and model.heads and model.head_dim:
                return f.kv_cache_bytes_mla_expanded(
                    model.layers, model.heads, model.head_dim,
                    model.v_head_dim or model.head_dim, per_element, tokens, batch)
            return None
        with_v = workload.kv_layout == "latent-with-v"
        values["model.kv_cache_layout"] = "latent-with-v" if with_v else "latent"
        if model.layers and model.kv_lora_rank and model.rope_head_dim:
            latent = (f.kv_cache_bytes_mla_with_v if with_v else f.kv_cache_bytes_mla)(
                model.layers, model.kv_lora_rank, model.rope_head_dim, per_element, tokens,
                batch)
            if model.index_head_dim:  # a sparse-attention indexer caches its keys beside
                indexer = f.dsa_indexer_cache_bytes(model.layers, model.index_head_dim, tokens,
                                                    batch)
                values["model.indexer_cache_gib"] = f.bytes_to_gib(indexer)
                latent += indexer
            return latent
        return None
    shape = kv_shape(model)
    if model.attention in ("mha", "gqa") and model.layers and shape is not None:
        kv_heads, head_dim = shape
        values["model.kv_cache_layout"] = "full"
        attending = _attention_layers(model)
        windowed = min(windowed_layers(model), attending)
        full = attending - windowed
        window_tokens = f.cached_tokens(tokens, model.sliding_window)
        cache = (f.kv_cache_bytes_gqa(full, kv_heads, head_dim, per_element, tokens, batch)
                 + f.kv_cache_bytes_gqa(windowed, kv_heads, head_dim, per_element,
                                        window_tokens, batch))
        if attending < model.layers:
            state = _linear_state_bytes(model, model.layers - attending, batch)
            if state is None:
                return None  # a hybrid whose linear layers are not sized
            values["model.linear_state_gib"] = f.bytes_to_gib(state)
            cache += state
        return cache
    return None


def _kv_scratch_bytes(build: Build, values: dict[str, Any]) -> float | None:
    """The f16 scratch a block-quantised KV cache costs on the GPUs under llama.cpp, or None
    where there is none (another precision or engine) or the model's shape does not say."""
    workload, model = build.workload, build.model
    if workload is None or model is None or workload.context_tokens is None:
        return None
    if workload.kv_precision not in BLOCK_KV_PRECISIONS or (
            workload.engine is not None and workload.engine not in SCRATCH_ENGINES):
        return None
    layout = values.get("model.kv_cache_layout")
    if model.attention == "mla" and layout in ("latent", "latent-with-v"):
        if not (model.kv_lora_rank and model.rope_head_dim):
            return None
        # V is a view of the latent, or (before llama.cpp's V-less cache) the latent again.
        widths = (model.kv_lora_rank + model.rope_head_dim,
                  model.kv_lora_rank if layout == "latent-with-v" else 0)
    elif model.attention == "mla":
        if not (model.heads and model.head_dim):
            return None
        widths = (model.heads * model.head_dim, model.heads * (model.v_head_dim or model.head_dim))
    else:
        shape = kv_shape(model)
        if shape is None:
            return None
        widths = (shape[0] * shape[1], shape[0] * shape[1])
    return f.quantized_kv_scratch_bytes(*widths, workload.context_tokens, workload.batch)


def _attention_layers(model: ModelArch) -> int:
    """Layers with a KV cache: all of them, or a hybrid model's full-attention layers."""
    assert model.layers
    if model.full_attention_layers is None:
        return model.layers
    return min(model.full_attention_layers, model.layers)


def _linear_state_bytes(model: ModelArch, layers: int, batch: int) -> float | None:
    """The recurrent state of a hybrid model's linear-attention layers, or None when the arch
    does not size them."""
    k_heads, v_heads = model.linear_key_heads, model.linear_value_heads
    k_dim, v_dim, kernel = (model.linear_key_head_dim, model.linear_value_head_dim,
                            model.linear_conv_kernel)
    if k_heads is None or v_heads is None or k_dim is None or v_dim is None or kernel is None:
        return None
    return f.linear_attention_state_bytes(layers, k_heads, v_heads, k_dim, v_dim, kernel, batch)


def kv_shape(model: ModelArch) -> tuple[int, int] | None:
    """KV heads and head width of an MHA or GQA model (under MHA every head is a KV head; the
    head width is head_dim, else hidden_size / heads), or None when the arch does not say."""
    if not model.heads:
        return None
    kv_heads = model.kv_heads if model.attention == "gqa" else model.heads
    head_dim = model.head_dim or (model.hidden_size // model.heads if model.hidden_size else None)
    if kv_heads is None or head_dim is None:
        return None
    return kv_heads, head_dim


def windowed_layers(model: ModelArch) -> int:
    """Layers that attend through the sliding window: sliding_window_layers, all of them when
    only sliding_window is given, none without a window."""
    if model.sliding_window is None or not model.layers:
        return 0
    return min(model.sliding_window_layers or model.layers, model.layers)


def _active_params_b(model: ModelArch, values: dict[str, Any]) -> float | None:
    """The parameters one token reads: the model's own count; all of them for a dense model;
    for a mixture of experts that states none, its routed experts' share worked out (labelled in
    model.active_params_basis); else unknown, never the dense total."""
    if model.active_params_b is not None:
        return model.active_params_b
    if not model.experts:
        return model.params_b
    if (model.params_b is None or model.expert_params_b is None
            or model.experts_per_token is None):
        return None
    values["model.active_params_basis"] = (
        "worked out from the routed experts (params_b - expert_params_b + expert_params_b x "
        "experts_per_token / experts): the model states no active count")
    return f.moe_active_params_b(model.params_b, model.expert_params_b, model.experts,
                                 model.experts_per_token)


def _fit_facts(values: dict[str, Any]) -> None:
    """The fit verdict: system memory holds model.required_gib and, with offload, the GPUs hold
    model.gpu_required_gib. A model wholly in VRAM needs no system-memory figure; an offload with
    no GPU fits nothing on them."""
    required = values.get("model.required_gib")
    if required is None:
        return
    capacity = values.get("memory.usable_gib")
    ram = (capacity >= required if capacity is not None
           else True if required == 0 else None)
    gpu_required = values.get("model.gpu_required_gib")
    vram = values.get("gpu.vram_gib", 0.0 if "gpu.count" not in values else None)
    device_margin = values.get("model.gpu_device_margin_gib")
    gpu = True if gpu_required is None else None if vram is None else (
        vram >= gpu_required and (device_margin is None or device_margin >= 0))
    values["model.fits"] = False if False in (ram, gpu) else None if None in (ram, gpu) else True
    if capacity is not None:
        values["model.margin_gib"] = capacity - required
    if gpu_required is not None and vram is not None:
        values["model.gpu_margin_gib"] = vram - gpu_required


def _power_facts(build: Build, values: dict[str, Any]) -> None:
    """The load, peak and PSU figures: every fitted part at its own power figure, or at its
    catalog class figure (named in power.assumed), or named in power.uncounted."""
    load = peak = 0.0
    groups: dict[str, float] = {}
    uncounted: list[str] = []
    assumed: list[str] = []
    known_any = False
    for path, kind, part in power_parts(build):
        own = own_power_w(kind, part)
        stand_in = build.assumed_power.get(path)
        units = (stand_in.units if own is None and stand_in is not None
                 and stand_in.units is not None else _power_units(kind, part))
        watts = own if own is not None else stand_in.watts if stand_in is not None else None
        if watts is None:
            uncounted.append(path)
            continue
        if own is None and stand_in is not None:
            assumed.append(f"{path}: {_each(units, watts)} W, {_basis(stand_in)}")
        known_any = True
        load += units * watts
        group = _POWER_GROUPS.get(kind, kind)
        groups[group] = groups.get(group, 0.0) + units * watts
        peak += units * _peak_w(build, path, part, watts, assumed, units)
    if build.cpu is not None and "cpu" in groups:
        values["power.cpu_w"] = groups["cpu"]
    for group in ("gpu", "memory", "board", "storage", "cooling"):
        if group in groups:
            values[f"power.{group}_w"] = groups[group]
    if known_any:
        values["power.load_w"] = load
        values["power.peak_w"] = peak
        values["power.uncounted"] = tuple(uncounted)
        values["power.assumed"] = tuple(assumed)
    _psu_facts(build, values)
    _connector_facts(build, values)


_POWER_GROUPS = {"case": "cooling", "system": "system"}
"""Power groups the facts report; a case's fans count with the cooling."""


def _power_units(kind: str, part: Any) -> int:
    if kind == "memory":
        return _modules(part)
    return int(getattr(part, "count", 1))


def _each(units: int, watts: float) -> str:
    return f"{units} x {watts:g}" if units != 1 else f"{watts:g}"


def _basis(stand_in: AssumedPower) -> str:
    per = f"; {stand_in.units_basis}" if stand_in.units_basis else ""
    return f"{stand_in.summary} ({stand_in.confidence} confidence; {stand_in.source}){per}"


def _peak_w(build: Build, path: str, part: Any, sustained_w: float, assumed: list[str],
            units: int) -> float:
    """One unit's short excursion: its own peak_w, else its class peak (a figure or a multiple
    of its sustained power), else its sustained power (drives, fans and memory do not spike)."""
    own = getattr(part, "peak_w", None)
    if own is not None:
        return max(float(own), sustained_w)
    stand_in = build.assumed_peak.get(path)
    if stand_in is None:
        return sustained_w
    watts = stand_in.watts if stand_in.watts is not None else sustained_w * (stand_in.ratio or 1)
    watts = max(watts, sustained_w)
    assumed.append(f"{path} peak: {_each(units, watts)} W, {_basis(stand_in)}")
    return watts


def _psu_facts(build: Build, values: dict[str, Any]) -> None:
    psu = build.psu
    if psu is None:
        return
    redundancy = psu.redundancy or "none"
    values["psu.count"] = psu.count
    values["psu.redundancy"] = redundancy
    shared = redundancy == "none"  # separate units each bring their own cables
    for name in ("eps_connectors", "pcie_connectors", "hpwr_connectors"):
        given = getattr(psu, name)
        if given is not None:
            values[f"psu.{name}"] = given * (psu.count if shared else 1)
    if psu.capacity_w is None:
        return
    values["psu.capacity_w"] = psu.capacity_w
    usable = f.usable_psu_w(psu.capacity_w, psu.count, redundancy)
    values["power.psu_w"] = usable
    usable_units = usable / psu.capacity_w
    if psu.peak_w is not None:
        values["power.psu_peak_w"] = psu.peak_w * usable_units
        values["power.psu_peak_basis"] = "the unit's own peak rating"
    else:
        ratio, basis = _excursion(psu)
        values["power.psu_peak_w"] = f.psu_excursion_w(usable, ratio)
        values["power.psu_peak_basis"] = basis
    load = values.get("power.load_w")
    if load is None:
        return
    values["power.load_fraction"] = f.load_fraction(load, usable)
    if "power.peak_w" in values:
        values["power.peak_fraction"] = values["power.peak_w"] / values["power.psu_peak_w"]
    level = _eighty_plus_level(psu.rating)
    if level is not None:
        # Each unit carries its share of the load; with redundancy they share it evenly.
        share = load / (psu.capacity_w * psu.count)
        efficiency = f.psu_efficiency(f.EIGHTY_PLUS_115V_INTERNAL[level], share)
        values["power.efficiency"] = efficiency
        values["power.wall_w"] = f.wall_power_w(load, efficiency)
        values["power.efficiency_basis"] = f"{level} minimum at {share:.0%} load (115 V)"


def _excursion(psu: Any) -> tuple[float, str]:
    """The share of its rating a PSU delivers for 1 ms, and why: the ATX 3.x table, else its
    continuous rating alone."""
    version = psu.atx_version
    if version is not None and version.split(".")[0].isdigit() and int(version.split(".")[0]) >= 3:
        if psu.capacity_w > 450 and (psu.hpwr_connectors or 0) >= 1:
            return f.ATX3_EXCURSION_1MS, "ATX 3.x excursion limit: 180 % for 1 ms"
        return f.ATX3_EXCURSION_1MS_SMALL, ("ATX 3.x excursion limit for a unit without a "
                                            "known 12V-2x6 cable or of 450 W or less: 145 % "
                                            "for 1 ms")
    known = f"ATX {version}" if version else "no ATX 3.x compliance stated"
    return 1.0, f"its continuous rating only: {known}, and no excursion limit is published"


def _eighty_plus_level(rating: str | None) -> str | None:
    """The 80 PLUS level a rating names ("80 PLUS Titanium", "Titanium"), or None."""
    if not rating:
        return None
    words = rating.lower().replace("80+", "80 plus").split()
    for level in sorted(f.EIGHTY_PLUS_115V_INTERNAL, key=len, reverse=True):
        tail = level.lower().split()[-1]
        if tail != "plus" and tail in words:
            return level
    return "80 PLUS" if "plus" in words else None


def _connector_facts(build: Build, values: dict[str, Any]) -> None:
    """The power inputs the board and cards need against the cables the PSU brings."""
    board = build.board
    gpu_eps = sum(g.count * g.eps_connectors for g in build.gpu if g.eps_connectors)
    if board is not None and board.eps_connectors is not None:
        values["power.eps_needed"] = board.eps_connectors + gpu_eps
    elif gpu_eps:
        values["power.eps_needed"] = gpu_eps
    cards = [g for g in build.gpu for _ in range(g.count)]
    if not cards or any(g.pcie_connectors is None and g.hpwr_connectors is None for g in cards):
        return
    pcie: int = sum(int(g.pcie_connectors or 0) for g in cards)
    hpwr_cards = sorted((g for g in cards if g.hpwr_connectors),
                        key=lambda g: -(g.tdp_w or 0.0))
    values["gpu.pcie_connectors"] = pcie
    values["gpu.hpwr_connectors"] = sum(g.hpwr_connectors or 0 for g in cards)
    have_hpwr, have_pcie = values.get("psu.hpwr_connectors"), values.get("psu.pcie_connectors")
    if have_hpwr is None or have_pcie is None:
        return
    # The PSU's own 12V-2x6 cables go to the largest cards; the rest take an adapter from
    # 8-pin cables.
    spare_hpwr = int(have_hpwr)
    for card in hpwr_cards:
        for _ in range(card.hpwr_connectors or 0):
            if spare_hpwr:
                spare_hpwr -= 1
            elif card.tdp_w is not None:
                pcie += f.adapter_pcie_8pin_count(card.tdp_w)
            else:
                return  # an adapter's size follows the card's power
    values["power.pcie_needed"] = pcie
    values["power.pcie_short"] = max(pcie - have_pcie, 0)


def _electricity_facts(build: Build, values: dict[str, Any]) -> None:
    """Running cost at the estimated load, from workload.electricity_price."""
    workload = build.workload
    price = workload.electricity_price if workload is not None else None
    wall = values.get("power.wall_w", values.get("power.load_w"))
    if price is None or wall is None:
        return
    values["workload.electricity_price"] = price
    values["cost.electricity_per_day"] = f.electricity_cost_per_day(wall, price)
    values["cost.electricity_basis"] = ("at the wall (power.wall_w)" if "power.wall_w" in values
                                        else "at the DC load (power.load_w): no PSU efficiency "
                                        "is known, so the cost is low")
    speed = values.get("decode.tokens_per_s_expected")
    if speed:
        values["cost.electricity_per_million_tokens"] = f.electricity_cost_per_million_tokens(
            wall, speed, price)


def _cost_facts(build: Build, values: dict[str, Any]) -> tuple[BomLine, ...]:
    """The bill's lines from the resolved parts (a team catalog may price a part), and its
    sums."""
    lines: list[BomLine] = []
    for name in ("system", "board", "cpu", "memory", "psu", "gpu", "storage", "case", "cooling"):
        found = getattr(build, name)
        for index, part in (enumerate(found) if isinstance(found, tuple) else [(None, found)]):
            if part is None:
                continue
            kit = (part.modules_per_kit or 1) if name == "memory" else None
            lines.append(BomLine(name if index is None else f"{name}[{index}]", part.part,
                                 part.name, part.price, getattr(part, "count", 1), kit))
    totals = [t for line in lines if (t := line.total) is not None]
    if totals:
        total = sum(totals)
        values["cost.total"] = total
        if build.spec.build.quoted_total is not None:
            values["cost.quoted_difference"] = build.spec.build.quoted_total - total
        if build.spec.build.budget is not None:
            values["cost.headroom"] = build.spec.build.budget - total
    values["cost.unpriced"] = tuple(line.key for line in lines if line.unit_price is None)
    return tuple(lines)


def _gpu_facts(build: Build, values: dict[str, Any]) -> None:
    cards = build.gpu
    if not cards:
        return
    values["gpu.count"] = sum(g.count for g in cards)
    if all(g.vram_gib is not None for g in cards):
        values["gpu.vram_gib"] = sum(g.count * (g.vram_gib or 0) for g in cards)
    split = _split_mode(build)
    units = [g for g in cards for _ in range(g.count)]
    shares = _card_shares(units, split)
    if all(g.bandwidth_gbs is not None for g in cards):
        values["gpu.bandwidth_gbs"] = sum(g.count * (g.bandwidth_gbs or 0) for g in cards)
        values["workload.gpu_split"] = split
        bandwidths = [g.bandwidth_gbs or 0.0 for g in units]
        values["gpu.decode_bandwidth_gbs"] = (
            f.tensor_split_bandwidth_gbs(bandwidths) if split == "tensor" else
            f.layer_split_bandwidth_gbs(zip(shares, bandwidths, strict=True)))
    required = values.get("model.gpu_required_gib")
    if required is not None and all(g.vram_gib for g in cards):
        # Each card must hold its own share: VRAM is never pooled.
        values["model.gpu_device_margin_gib"] = f.device_vram_margin_gib(
            required, zip((float(g.vram_gib or 0) for g in units), shares, strict=True))


def _split_mode(build: Build) -> str:
    """The spec's gpu_split, else the engine's multi-GPU default."""
    workload = build.workload
    if workload is not None and workload.gpu_split is not None:
        return workload.gpu_split
    engine = workload.engine if workload is not None else None
    return "tensor" if engine in TENSOR_PARALLEL_ENGINES else "layers"


def _card_shares(units: list[Gpu], split: str) -> list[float]:
    """Each card's share of the model under the split: equal under tensor parallelism; under
    layers, llama.cpp gives each GPU layers in proportion to its memory (``--tensor-split``
    left at its default), and with a card's VRAM unknown every card takes an equal share."""
    if split == "tensor" or not all(g.vram_gib for g in units):
        return [1 / len(units)] * len(units)
    total = sum(float(g.vram_gib or 0) for g in units)
    return [float(g.vram_gib or 0) / total for g in units]


def _decode_facts(build: Build, values: dict[str, Any]) -> None:
    ram_gb = values.get("decode.ram_bytes_per_token_gb")
    gpu_gb = values.get("decode.gpu_bytes_per_token_gb")
    if ram_gb is None or gpu_gb is None:
        return
    values["decode.bytes_per_token_gb"] = ram_gb + gpu_gb
    ram_reads: list[tuple[float, float]] = []
    sustained_reads: list[tuple[float, float]] = []
    if ram_gb:  # with every byte on the GPUs, system memory's bandwidth does not matter
        theoretical = values.get("memory.bandwidth_gbs")
        if theoretical is None:
            return
        bandwidth = _usable_bandwidth_gbs(build, values, theoretical)
        values["decode.ram_bandwidth_gbs"] = bandwidth
        ram_reads.append((ram_gb * f.GB, bandwidth))
        sustained = values["memory.sustained_bandwidth_gbs"]  # set with memory.bandwidth_gbs
        sustained_reads.append((ram_gb * f.GB, f.placed_sustained_gbs(sustained, bandwidth,
                                                                      theoretical)))
    gpu_reads: list[tuple[float, float]] = []
    if gpu_gb:
        gpu_bandwidth = values.get("gpu.decode_bandwidth_gbs")
        if gpu_bandwidth is None or values.get("workload.offload") == "none":
            return
        gpu_reads.append((gpu_gb * f.GB, gpu_bandwidth))
    if not ram_reads and not gpu_reads:
        return  # nothing is read per token: no model to speak of
    # The bound reads at theoretical bandwidth: no measurement can beat it. What an engine gets
    # is measured against sustained (STREAM) bandwidth, so the expected speed starts from there.
    values["decode.tokens_per_s_max"] = f.decode_tokens_per_s_split([*ram_reads, *gpu_reads])
    sustained = f.decode_tokens_per_s_split([*sustained_reads, *gpu_reads])
    low, high = f.DECODE_EFFICIENCY_RANGE
    values["decode.tokens_per_s_expected"] = f.decode_tokens_per_s_expected(sustained)
    values["decode.tokens_per_s_expected_low"] = f.decode_tokens_per_s_expected(sustained, low)
    values["decode.tokens_per_s_expected_high"] = f.decode_tokens_per_s_expected(sustained, high)


def _usable_bandwidth_gbs(build: Build, values: dict[str, Any], aggregate: float) -> float:
    """System-memory bandwidth a token can use under the workload's NUMA placement."""
    sockets = _populated_sockets(build) or 1
    numa = values.get("workload.numa")
    if numa == "single-socket":
        return aggregate / sockets
    if numa == "interleave":
        link = build.platform.interconnect_gbs if build.platform is not None else None
        return f.numa_interleave_bandwidth_gbs(aggregate, sockets, link)
    return aggregate


def _prefill_facts(build: Build, values: dict[str, Any]) -> None:
    cpu, platform = build.cpu, build.platform
    if cpu is not None and platform is not None and cpu.cores and cpu.base_ghz:
        per_cycle = max((x for x in (platform.vector_flops_per_cycle,
                                     platform.matrix_flops_per_cycle) if x), default=None)
        if per_cycle is not None:
            sockets = 1 if values.get("workload.numa") == "single-socket" else cpu.count
            values["cpu.peak_tflops"] = f.cpu_peak_tflops(
                sockets * cpu.cores, cpu.base_ghz, per_cycle)
    if build.gpu and all(g.fp16_tensor_tflops is not None for g in build.gpu):
        values["gpu.fp16_tflops"] = sum(g.count * (g.fp16_tensor_tflops or 0) for g in build.gpu)
    ram_b, gpu_b = values.get("model.ram_active_params_b"), values.get("model.gpu_active_params_b")
    cpu_rate, gpu_rate = values.get("cpu.peak_tflops"), values.get("gpu.fp16_tflops")
    if build.system is not None and values.get("workload.device") == "gpu":
        # Unified memory: what the workload reads from system memory, the integrated GPU
        # computes.
        cpu_rate = values.get("system.gpu_fp16_tflops")
    link = _pcie_link(build, values)
    if ram_b and values.get("workload.offload") in ("layers", "experts-in-ram") and (
            values.get("workload.engine") in OP_OFFLOAD_ENGINES):
        _offload_prefill(build, values, ram_b + (gpu_b or 0.0), gpu_rate, link)
        return
    if ram_b is None or gpu_b is None:
        return  # no model placement: the model's own findings say why
    if (ram_b and cpu_rate is None) or (gpu_b and gpu_rate is None):
        values["prefill.basis"] = "unknown: " + _missing_rate(build, bool(ram_b and cpu_rate
                                                                         is None))
        return
    values["prefill.tokens_per_s_max"] = f.prefill_tokens_per_s_max(
        [(ram_b, cpu_rate or 1.0), (gpu_b, gpu_rate or 1.0)])
    values["prefill.basis"] = "compute: each device runs the weights it holds"


def _missing_rate(build: Build, cpu_side: bool) -> str:
    """Which compute rate the prefill bound lacks, and the input that would give it."""
    if not cpu_side:
        cards = [f"gpu[{i}]" for i, g in enumerate(build.gpu) if g.fp16_tensor_tflops is None]
        return (f"the FP16 tensor rate of {', '.join(cards)} is not known (give "
                "fp16_tensor_tflops)")
    if build.system is not None:
        return "the system's GPU FP16 rate is not known (system.gpu_fp16_tflops)"
    cpu, platform = build.cpu, build.platform
    missing = [name for name, known in (
        ("cpu.cores", cpu is not None and cpu.cores), ("cpu.base_ghz", cpu is not None and
                                                       cpu.base_ghz),
        ("the platform's FLOPs per cycle (its catalog entry publishes none)", platform is not None
         and (platform.vector_flops_per_cycle or platform.matrix_flops_per_cycle))) if not known]
    return f"the CPUs' peak rate is not known: it needs {', '.join(missing) or '[cpu]'}"


OP_OFFLOAD_ENGINES = ("llama.cpp", "ik_llama.cpp", None)
"""Engines whose GPU backend computes large batches itself, copying weights kept in system
memory over PCIe (llama.cpp's op offload; none named counts as llama.cpp)."""


def _pcie_link(build: Build, values: dict[str, Any]) -> float | None:
    """The main GPU's PCIe link (the first [[gpu]]: llama.cpp's --main-gpu 0), in GB/s."""
    main = build.gpu[0] if build.gpu else None
    if main is None or main.pcie_gen is None or main.pcie_lanes is None:
        return None
    link = f.pcie_link_gbs(main.pcie_gen, main.pcie_lanes)
    values["gpu.pcie_link_gbs"] = link
    return link


def _offload_prefill(build: Build, values: dict[str, Any], active_b: float,
                     gpu_rate: float | None, link: float | None) -> None:
    """Prompt processing with offload under llama.cpp: the GPU computes every layer, and the
    weights in system memory cross the PCIe link once per batch; the slower of the two bounds
    it."""
    weights, on_gpu = values.get("model.weights_gib"), values.get("model.gpu_weights_gib", 0.0)
    workload = build.workload
    batch = (workload.prefill_batch if workload is not None and workload.prefill_batch
             else f.LLAMA_CPP_UBATCH)
    if link is None or gpu_rate is None or weights is None:
        missing = "the main GPU's PCIe link ([[gpu]] pcie_gen and pcie_lanes)" if (
            link is None) else "the GPUs' FP16 rate (gpu.fp16_tflops)"
        values["prefill.basis"] = (f"unknown: llama.cpp copies the weights in system memory "
                                   f"to the GPU for each batch of prompt tokens, and {missing} "
                                   "is not known")
        return
    host_gb = f.bytes_to_gb((weights - on_gpu) * f.GIB)
    copy_bound = f.offload_prefill_tokens_per_s_max(batch, host_gb, link)
    compute_bound = f.prefill_tokens_per_s_max([(active_b, gpu_rate)])
    values["prefill.link_tokens_per_s_max"] = copy_bound
    values["prefill.tokens_per_s_max"] = min(copy_bound, compute_bound)
    values["prefill.basis"] = (
        f"the PCIe link: {host_gb:,.1f} GB in system memory cross {link:,.1f} GB/s once per "
        f"{batch}-token batch" if copy_bound < compute_bound else
        "compute: the GPUs run every layer, copying the weights in system memory per batch")


def _item_facts(build: Build) -> dict[str, tuple[dict[str, FactValue], ...]]:
    memory = tuple(
        _clean({
            "item.name": m.name or m.part, "item.part": m.part, "item.generation": m.generation,
            "item.kind": m.kind, "item.ecc": m.ecc, "item.capacity_gib": m.capacity_gib,
            "item.speed_mts": m.speed_mts, "item.modules": _modules(m),
        })
        for m in build.memory
    )
    gpu = tuple(
        _clean({
            "item.name": g.name or g.part, "item.part": g.part, "item.count": g.count,
            "item.vram_gib": g.vram_gib, "item.bandwidth_gbs": g.bandwidth_gbs,
            "item.tdp_w": g.tdp_w,
        })
        for g in build.gpu
    )
    storage = tuple(
        _clean({
            "item.name": s.name or s.part, "item.part": s.part, "item.kind": s.kind,
            "item.capacity_tb": s.capacity_tb,
        })
        for s in build.storage
    )
    return {"memory": memory, "gpu": gpu, "storage": storage}


def _clean(values: dict[str, Any]) -> dict[str, FactValue]:
    return {k: v for k, v in values.items() if v is not None}
