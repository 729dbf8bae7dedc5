"""The model and workload: weights, KV cache and how they are placed between system memory and
the GPUs, and the parameters read per token on each side."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from attrs import frozen

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, TopicWorkings, Working, declared, number
from hwspec.facts.shared import populated_sockets
from hwspec.resolve import Build
from hwspec.spec.model import ModelArch
from hwspec.spec.vocab import (
    BITS_PER_WEIGHT,
    BLOCK_KV_PRECISIONS,
    KV_BYTES_PER_ELEMENT,
    MLA_LATENT_CACHE_ENGINES,
    SCRATCH_ENGINES,
)

FACTS = declared("model")


def compute(build: Build, _: Inputs) -> Produced:
    """The workload's facts, and the model's weights, KV cache and their placement."""
    values: dict[str, Any] = {}
    workings: TopicWorkings = {}
    if build.workload is not None:
        offload, gpu_layers = _workload_facts(build, values)
        if build.model is not None:
            _model_facts(build, values, workings, offload, gpu_layers)
    return Produced(values, workings)


def _workload_facts(build: Build, values: dict[str, Any]) -> tuple[str, int | None]:
    """The [workload] as given, its NUMA placement and its offload: the offload mode and the
    layers on the GPUs."""
    workload, model = build.workload, build.model
    assert workload is not None
    values["workload.precision"] = workload.precision
    values["workload.context_tokens"] = workload.context_tokens
    values["workload.batch"] = workload.batch
    values["workload.min_decode_tokens_per_s"] = workload.min_decode_tokens_per_s
    values["workload.engine"] = workload.engine
    sockets = populated_sockets(build) or 1
    values["workload.numa"] = workload.numa or ("interleave" if sockets > 1 else None)
    offload = workload.offload or "none"
    gpu_layers = workload.gpu_layers
    values["workload.cpu_moe_layers"] = workload.cpu_moe_layers
    values["workload.weights_from_storage"] = workload.weights_from_storage
    if workload.offload is None and workload.cpu_moe_layers is not None:
        # --n-cpu-moe N is the experts-in-ram offload applied to N layers only.
        offload = "experts-in-ram"
        values["workload.offload_basis"] = ("experts-in-ram: workload.cpu_moe_layers is given "
                                            "and workload.offload is not")
    elif workload.offload is None and build.gpu and build.system is None:
        # A build with GPUs runs its model on them unless the spec splits it (llama.cpp
        # -ngl 999, vLLM): every layer on the GPUs, so FIT003 checks the VRAM.
        offload = "layers"
        gpu_layers = model.layers if model is not None else None
        values["workload.offload_basis"] = ("every layer on the GPUs: the build has [[gpu]] "
                                            "and workload.offload is not given")
    values["workload.offload"] = offload
    values["workload.gpu_layers"] = gpu_layers
    return offload, gpu_layers


def _weights_working(mixed: str | None, params_b: float, bits: float, gb: float,
                     gib: float) -> Working:
    """The weights' size worked out: each tensor group at its own precision (``mixed``, as its
    text), or the parameters at the model's bits per weight."""
    return Working(
        "weights", "mixed_weights_gb" if mixed else "weights_gib",
        (f"{mixed} = {number(gb, 1)} GB" if mixed else
         f"{number(params_b, 2)} B params x {number(bits, 4)} bits / 8 = {number(gb, 1)} GB")
        + f" = {number(gb, 1)} x 10^9 / 2^30 GiB", f"{number(gib, 1)} GiB")


def _model_facts(build: Build, values: dict[str, Any], workings: TopicWorkings,
                 offload: str, gpu_layers: int | None) -> None:
    workload, model = build.workload, build.model
    assert workload is not None
    assert model is not None
    values["model.name"] = model.name or workload.model
    values["model.params_b"] = model.params_b
    values["model.max_context_tokens"] = model.max_context_tokens
    active = values["model.active_params_b"] = _active_params_b(model, values)
    values["model.expert_params_b"] = model.expert_params_b
    bits = workload.bits_per_weight or (
        BITS_PER_WEIGHT[workload.precision] if workload.precision is not None else None
    )
    if model.weight_bytes is not None and model.params_b:
        # The file's own bytes: exact, whatever the precision's name says of a typical file.
        bits = f.bits_per_weight_of_bytes(model.weight_bytes, model.params_b)
        values["model.weights_basis"] = "the file's tensor table (workload.arch.weight_bytes)"
    mixed = _mixed_precision(build) if model.weight_bytes is None else None
    if mixed is not None and model.params_b:
        bits = mixed.bits_per_weight(model.params_b)
        values["model.weights_basis"] = "tensor groups at their own precisions: " + mixed.text
        values["model.expert_bits_per_weight"] = mixed.bits["experts"]
        values["model.other_bits_per_weight"] = mixed.other_bits()
    values["model.bits_per_weight"] = bits
    if model.params_b is None or bits is None:
        return
    weights = f.weights_gib(model.params_b, bits)
    values["model.weights_gib"] = weights
    gb = values["model.weights_gb"] = f.weights_gb(model.params_b, bits)
    workings["model.weights_gib"] = partial(  # written out when read
        _weights_working, mixed.text if mixed else None, model.params_b, bits, gb, weights)
    sockets = populated_sockets(build) or 1
    copies = f.weight_copies(values["workload.numa"], sockets)
    values["model.weight_copies"] = copies
    cache = _kv_cache(build, values)
    kv = f.bytes_to_gib(cache[0]) if cache is not None else None
    values["model.kv_cache_gib"] = kv
    if cache is not None and kv is not None:
        workings["model.kv_cache_gib"] = partial(_kv_working, cache[1], cache[2], kv)
    # The shares do not depend on the active count: a model that lacks one still gets its
    # memory figures, and only the per-token figures below are left unknown.
    split = _gpu_split(build, offload, 0.0 if active is None else active, gpu_layers, mixed)
    if split is None:
        return
    _compute_buffers(build, values, workings, offload)
    _vllm_share(build, values, workings, offload)
    _placed_facts(build, values, split, offload, kv)
    if active is not None and kv is not None:
        values["model.ram_active_params_b"] = active - split[2]
        values["model.gpu_active_params_b"] = split[2]
        if mixed is not None:
            ram_gb, gpu_gb = mixed.reads_gb(model, active, offload, split)
            values["model.ram_weight_read_gb"] = ram_gb
            values["model.gpu_weight_read_gb"] = gpu_gb


def _placed_facts(build: Build, values: dict[str, Any], split: tuple[float, float, float],
                  offload: str, kv: float | None) -> None:
    """Where the weights and KV cache sit, and what system memory and the GPUs must hold."""
    workload = build.workload
    assert workload is not None
    gpu_weight_share, gpu_kv_share, _ = split
    weights = values["model.weights_gib"]
    if offload != "none":
        values["model.gpu_weights_gib"] = weights * gpu_weight_share
    ram_weights = weights * (1 - gpu_weight_share) * values["model.weight_copies"]
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
        buffer = values.get("model.compute_buffer_gib")
        values["model.gpu_required_gib"] = (
            gpu_weights + gpu_kv
            + (f.overhead_gib(gpu_weights, gpu_kv) if buffer is None else buffer)
            + (f.bytes_to_gib(scratch) if scratch is not None else 0.0)
            + values.get("model.gpu_unreserved_gib", 0.0))


def _compute_buffers(build: Build, values: dict[str, Any], workings: TopicWorkings,
                     offload: str) -> None:
    """llama.cpp's compute buffers, where the workload names it (or ik_llama.cpp) and the model
    gives its vocabulary, width and heads: on the output device, and on the host when layers
    run on the GPUs."""
    workload, model = build.workload, build.model
    assert workload is not None
    assert model is not None
    if workload.engine not in SCRATCH_ENGINES or workload.context_tokens is None or not (
            model.vocab_size and model.hidden_size and model.heads):
        return
    ubatch = workload.prefill_batch or 512
    # One cache holds every sequence's cells and each score spans all of them: ollama's ten
    # sequences of 8,192 tokens log the buffer of 81,920 (tests/data/overhead).
    context = workload.context_tokens * workload.batch
    flash = bool(workload.flash_attention) if workload.flash_attention is not None else True
    device = f.llama_cpp_compute_buffer_bytes(model.vocab_size, model.hidden_size, model.heads,
                                              context, ubatch, flash)
    gib = values["model.compute_buffer_gib"] = f.bytes_to_gib(device)
    cells = (f"{context:,}" if workload.batch == 1 else
             f"{context:,} ({workload.context_tokens:,} tokens x {workload.batch} sequences)")
    attention = ("the mask and hidden states" if flash else
                 f"{model.heads} heads x {cells} scores + the mask + 4 hidden states")
    workings["model.compute_buffer_gib"] = Working(
        "compute buffer", "llama_cpp_compute_buffer_bytes",
        f"the larger of the logits, {ubatch} tokens x ({model.vocab_size:,} vocabulary + "
        f"{model.hidden_size:,} hidden) x 4 B, and the attention ({attention}, flash attention "
        f"{'on' if flash else 'off'}) x {ubatch} tokens x 4 B", f"{number(gib, 2)} GiB")
    if offload != "none" and build.gpu:
        host = f.llama_cpp_host_compute_buffer_bytes(model.hidden_size, context, ubatch)
        values["model.host_compute_buffer_gib"] = f.bytes_to_gib(host)


def _vllm_share(build: Build, values: dict[str, Any], workings: TopicWorkings,
                offload: str) -> None:
    """The VRAM vLLM leaves outside its gpu_memory_utilization share, where it runs the model on
    GPUs whose memory is known."""
    workload = build.workload
    assert workload is not None
    cards = build.gpu
    if (workload.engine != "vllm" or offload == "none" or not cards
            or not all(g.vram_gib for g in cards)):
        return
    share = workload.gpu_memory_utilization or 0.9
    vram = sum(g.count * float(g.vram_gib or 0) for g in cards)
    free = values["model.gpu_unreserved_gib"] = f.vllm_unreserved_gib(vram, share)
    stated = "" if workload.gpu_memory_utilization else " (vLLM's default)"
    workings["model.gpu_unreserved_gib"] = Working(
        "left free by vLLM", "vllm_unreserved_gib",
        f"{number(vram, 1)} GiB of VRAM x (1 - gpu_memory_utilization {number(share, 2)}"
        f"{stated})", f"{number(free, 1)} GiB")


_KvCache = tuple[float, str, Callable[[], str]]
"""A KV cache as derive sizes it: its bytes, the formula that gives them, and the function that
writes the arithmetic out (a working is written when a view reads it)."""


def _kv_working(formula: str, arithmetic: Callable[[], str], kv_gib: float) -> Working:
    """The KV cache worked out, written when a view reads it (as the weights' working is)."""
    return Working("KV cache", formula, arithmetic(), f"{number(kv_gib, 2)} GiB")


def _kv_cache(build: Build, values: dict[str, Any]) -> _KvCache | None:
    """The KV cache in bytes, the formula that gives it and the function that writes its
    arithmetic, or None when the model's shape does not say."""
    workload, model = build.workload, build.model
    if workload is None or model is None or workload.context_tokens is None:
        return None
    per_element = KV_BYTES_PER_ELEMENT[workload.kv_precision or "f16"]
    if model.attention == "mla":
        return _mla_cache(build, values, per_element)
    shape = kv_shape(model)
    if model.attention in ("mha", "gqa") and model.layers and shape is not None:
        return _full_cache(build, values, shape, per_element)
    return None


def _tokens_text(tokens: int, batch: int) -> str:
    """The context the cache holds, as the workings write it."""
    return f"{tokens:,} tokens x batch {batch}"


def _mla_cache(build: Build, values: dict[str, Any],
               per_element: float) -> _KvCache | None:
    """An MLA model's cache: the latent (with llama.cpp's old separate V where the layout says
    so, and a sparse-attention indexer's keys), or full K and V under an engine without MLA."""
    workload, model = build.workload, build.model
    assert workload is not None
    assert model is not None
    assert workload.context_tokens is not None
    tokens, batch = workload.context_tokens, workload.batch
    engine_full = workload.engine is not None and workload.engine not in MLA_LATENT_CACHE_ENGINES
    if workload.kv_layout == "full" or (workload.kv_layout is None and engine_full):
        values["model.kv_cache_layout"] = "full"
        if not (model.layers and model.heads and model.head_dim):
            return None
        v_dim = model.v_head_dim or model.head_dim
        return (f.kv_cache_bytes_mla_expanded(model.layers, model.heads, model.head_dim, v_dim,
                                              per_element, tokens, batch),
                "kv_cache_bytes_mla_expanded",
                partial(_expanded_arithmetic, model.layers, model.heads, model.head_dim, v_dim,
                        per_element, tokens, batch))
    with_v = workload.kv_layout == "latent-with-v"
    values["model.kv_cache_layout"] = "latent-with-v" if with_v else "latent"
    if not (model.layers and model.kv_lora_rank and model.rope_head_dim):
        return None
    formula = f.kv_cache_bytes_mla_with_v if with_v else f.kv_cache_bytes_mla
    latent = formula(model.layers, model.kv_lora_rank, model.rope_head_dim, per_element, tokens,
                     batch)
    indexer_gib = None
    if model.index_head_dim:  # a sparse-attention indexer caches its keys beside
        indexer = f.dsa_indexer_cache_bytes(model.layers, model.index_head_dim, tokens, batch)
        indexer_gib = values["model.indexer_cache_gib"] = f.bytes_to_gib(indexer)
        latent += indexer
    return latent, formula.__name__, partial(
        _latent_arithmetic, model.layers, model.kv_lora_rank, model.rope_head_dim, with_v,
        per_element, tokens, batch, model.index_head_dim, indexer_gib)


def _expanded_arithmetic(layers: int, heads: int, head_dim: int, v_dim: int,
                         per_element: float, tokens: int, batch: int) -> str:
    """An MLA model's cache as full per-head K and V, worked out."""
    return (f"{layers} layers x {heads} heads x ({head_dim} K + {v_dim} V) x {per_element:g} B "
            f"x {_tokens_text(tokens, batch)}")


def _latent_arithmetic(layers: int, rank: int, rope: int, with_v: bool, per_element: float,
                       tokens: int, batch: int, index_head_dim: int | None,
                       indexer_gib: float | None) -> str:
    """An MLA model's latent cache (with its separate V, and its indexer's keys), worked out."""
    tokens_text = _tokens_text(tokens, batch)
    v_text = f" + {rank} V" if with_v else ""
    text = (f"{layers} layers x ({rank} latent + {rope} rope{v_text}) x {per_element:g} B x "
            f"{tokens_text}")
    if index_head_dim and indexer_gib is not None:
        text += (f", plus the indexer's {layers} layers x ({index_head_dim} + "
                 f"{index_head_dim // 128 * 4}) B x {tokens_text} = {number(indexer_gib, 2)} GiB")
    return text


def _full_cache(build: Build, values: dict[str, Any], shape: tuple[int, int],
                per_element: float) -> _KvCache | None:
    """An MHA or GQA model's K and V (sliding-window layers keep at most the window), plus a
    hybrid's linear-attention state."""
    workload, model = build.workload, build.model
    assert workload is not None
    assert model is not None
    assert workload.context_tokens is not None
    assert model.layers
    tokens, batch = workload.context_tokens, workload.batch
    kv_heads, head_dim = shape
    values["model.kv_cache_layout"] = "full"
    attending = _attention_layers(model)
    windowed = min(windowed_layers(model), attending)
    full = attending - windowed
    window_tokens = f.cached_tokens(tokens, model.sliding_window)
    cache = (f.kv_cache_bytes_gqa(full, kv_heads, head_dim, per_element, tokens, batch)
             + f.kv_cache_bytes_gqa(windowed, kv_heads, head_dim, per_element,
                                    window_tokens, batch))
    state_gib = None
    if attending < model.layers:
        state = _linear_state_bytes(model, model.layers - attending, batch)
        if state is None:
            return None  # a hybrid whose linear layers are not sized
        state_gib = values["model.linear_state_gib"] = f.bytes_to_gib(state)
        cache += state
    return cache, "kv_cache_bytes_gqa", partial(
        _full_arithmetic, attending, kv_heads, head_dim, per_element, tokens, batch,
        model.sliding_window, windowed, model.layers - attending, state_gib)


def _full_arithmetic(attending: int, kv_heads: int, head_dim: int, per_element: float,
                     tokens: int, batch: int, window: int | None, windowed: int,
                     linear_layers: int, state_gib: float | None) -> str:
    """An MHA or GQA model's K and V (with its windowed layers, and a hybrid's linear-attention
    state), worked out."""
    text = (f"2 x {attending} layers x {kv_heads} KV heads x {head_dim} x {per_element:g} B x "
            f"{_tokens_text(tokens, batch)}")
    if window is not None:
        text += f", {windowed} of the layers capped at the {window:,}-token window"
    if state_gib is not None:
        text += (f", plus the fixed state of the other {linear_layers} "
                 f"(linear-attention) layers = {number(state_gib, 2)} GiB")
    return text


def _gpu_split(build: Build, offload: str, active_b: float | None,
               gpu_layers: int | None, mixed: Mixed | None = None,
               ) -> tuple[float, float, float] | None:
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
        elif mixed is not None:  # the experts at their own width: split by their bytes
            share = 1 - mixed.expert_byte_share()
        in_ram = _cpu_moe_fraction(model, workload.cpu_moe_layers)
        if in_ram is None:
            return None
        # Attention runs on the GPU, so its KV cache lives there (KTransformers, llama.cpp -ot).
        return (f.partial_expert_gpu_share(share, in_ram), 1.0,
                max(active_b - routed * in_ram, 0.0))
    return 0.0, 0.0, 0.0



GROUPS = ("attention", "dense_ffn", "experts", "embeddings")
"""The tensor groups a precision can be given for (``Precisions``)."""


@frozen
class Mixed:
    """A model's tensor groups, each at its own width: parameters and bits per weight by group,
    and the text that shows them."""

    params: dict[str, float]
    bits: dict[str, float]
    text: str

    def gb(self, group: str) -> float:
        """One group's weights in GB."""
        return f.mixed_weights_gb([(self.params[group], self.bits[group])])

    def bits_per_weight(self, params_b: float) -> float:
        """The average width over the model: every group's bytes x 8 / the parameters."""
        total = f.mixed_weights_gb((self.params[g], self.bits[g]) for g in GROUPS)
        return f.bits_per_weight_of_bytes(total * 1e9, params_b)

    def other_bits(self) -> float:
        """The average width of everything but the routed experts."""
        params = sum(self.params[g] for g in GROUPS if g != "experts")
        if params <= 0:
            return self.bits["experts"]
        return sum(self.gb(g) for g in GROUPS if g != "experts") * 8 / params

    def expert_byte_share(self) -> float:
        """The routed experts' share of the weights' bytes."""
        total = sum(self.gb(g) for g in GROUPS)
        return self.gb("experts") / total if total > 0 else 0.0

    def reads_gb(self, model: ModelArch, active: float, offload: str,
                 split: tuple[float, float, float]) -> tuple[float, float]:
        """Weight bytes a token reads from system memory and from the GPUs: the routed experts
        it runs at the experts' width, the rest of its active parameters at the others'."""
        routed = (f.routed_active_params_b(model.expert_params_b, model.experts,
                                           model.experts_per_token)
                  if model.expert_params_b and model.experts and model.experts_per_token
                  else 0.0)
        routed = min(routed, active)
        other = active - routed
        gpu_active = split[2]
        if offload == "experts-in-ram":
            gpu_routed = max(gpu_active - other, 0.0)
        elif offload == "layers" and active > 0:
            gpu_routed = routed * gpu_active / active
        else:
            gpu_routed = 0.0
        gpu_other = gpu_active - gpu_routed
        expert_bits, other_bits = self.bits["experts"], self.other_bits()
        ram = f.mixed_weights_gb([(routed - gpu_routed, expert_bits),
                                  (other - gpu_other, other_bits)])
        gpu = f.mixed_weights_gb([(gpu_routed, expert_bits), (gpu_other, other_bits)])
        return ram, gpu


def _mixed_precision(build: Build) -> Mixed | None:
    """The tensor groups at their own precisions, where [workload.precisions] (or the catalog
    model's published precisions, when the workload runs the native precision) gives any;
    None when every group takes workload.precision, or a group's width is unknown."""
    workload, model = build.workload, build.model
    assert workload is not None
    assert model is not None
    published = model.precisions if workload.precision in (None, model.native_precision) else None
    named: dict[str, str] = {}
    for source in (published, workload.precisions):
        if source is not None:
            named.update({g: p for g in GROUPS if (p := getattr(source, g)) is not None})
    if not named or model.params_b is None:
        return None
    base = workload.bits_per_weight or (
        BITS_PER_WEIGHT[workload.precision] if workload.precision is not None else None)
    params = _group_params(model)
    bits: dict[str, float] = {}
    for group in GROUPS:
        width = BITS_PER_WEIGHT[named[group]] if group in named else base
        if width is None:
            if params[group] > 0:
                return None  # a group with weights and no precision
            width = 0.0
        bits[group] = width
    text = " + ".join(
        f"{g.replace('_', ' ')} {number(params[g], 2)} B x "
        f"{named.get(g, workload.precision or 'bits_per_weight')} {number(bits[g], 4)} bits / 8"
        for g in GROUPS if params[g] > 0)
    return Mixed(params, bits, text)


def _group_params(model: ModelArch) -> dict[str, float]:
    """Parameters by tensor group: the routed experts, attention (given, or worked out from an
    MHA or GQA shape), embeddings and head (given), and the rest as dense_ffn. A group whose
    size is unknown is counted in dense_ffn."""
    assert model.params_b is not None
    experts = model.expert_params_b or 0.0
    given: float | None = model.attention_params_b
    shape = kv_shape(model) if model.attention in ("mha", "gqa") else None
    if given is None and shape is not None and model.layers and model.hidden_size:
        given = f.attention_params_b(model.layers, model.hidden_size, model.heads or 0,
                                     shape[0], shape[1])
    embeddings = model.embedding_params_b or 0.0
    attention = min(given or 0.0, max(model.params_b - experts - embeddings, 0.0))
    rest = max(model.params_b - experts - attention - embeddings, 0.0)
    return {"attention": attention, "dense_ffn": rest, "experts": experts,
            "embeddings": embeddings}


def _cpu_moe_fraction(model: ModelArch, cpu_moe_layers: int | None) -> float | None:
    """The share of the routed experts kept in system memory: all of them without
    cpu_moe_layers, else cpu_moe_layers / layers (the experts spread evenly over the layers);
    None when the model's layer count is unknown."""
    if cpu_moe_layers is None:
        return 1.0
    if not model.layers:
        return None
    return f.cpu_moe_fraction(cpu_moe_layers, model.layers)


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




TOPIC = Topic("model", FACTS, compute)
