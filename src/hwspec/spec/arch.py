"""A model's shape in the spec: its architecture (``[workload.arch]`` or a catalog model) and
the precisions of its tensor groups. Apart from ``hwspec.spec.model`` only for size; that module
re-exports both, so ``from hwspec.spec.model import ModelArch`` reads as before."""

from __future__ import annotations

from attrs import field, frozen

from hwspec.spec.values import (
    _EXPERTS,
    _HEAD_DIM,
    _HEADS,
    _LAYERS,
    _PARAMS,
    _TOKENS,
    _WEIGHT_BYTES,
    _WIDTH,
    AttentionKind,
    Count,
    Positive,
    Precision,
    _doc,
    _opt_count,
    _opt_positive,
    _within_total_params,
)


@frozen
class Precisions:
    """Precisions of a model's tensor groups, where they differ from one another:
    ``[workload.precisions]``, or a catalog model's ``precisions`` (what its published file
    keeps). A group left out takes workload.precision."""

    attention: Precision | None = field(
        default=None, metadata=_doc("The attention projections (Q, K, V, output; MLA's "
                                    "low-rank projections)."))
    dense_ffn: Precision | None = field(
        default=None, metadata=_doc("Everything not in another group: the dense layers' "
                                    "feed-forward blocks, shared experts, routers, norms."))
    experts: Precision | None = field(
        default=None, metadata=_doc("The routed experts' feed-forward weights."))
    embeddings: Precision | None = field(
        default=None, metadata=_doc("The token embeddings and the output head."))


@frozen
class ModelArch:
    """A model's architecture: from the catalog (``workload.model``) or inline
    (``[workload.arch]``)."""

    name: str | None = field(default=None, metadata=_doc("Model name, as reports show it."))
    params_b: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Total parameter count.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    active_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters read per generated token (all of them for a dense model).",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Transformer layers.", None, _LAYERS, plausible="number of layers"),
    )
    hidden_size: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of the hidden state.", None, _WIDTH, plausible="hidden size"),
    )
    attention: AttentionKind | None = field(
        default=None,
        metadata=_doc("Attention variant, which decides the KV-cache formula (mha, gqa, mla)."),
    )
    heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Attention (query) heads per layer.",
            None, _HEADS, plausible="number of heads",
        ),
    )
    kv_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Key/value heads per layer (fewer than heads under GQA).",
            None, _HEADS, plausible="number of heads",
        ),
    )
    head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of one attention head.", None, _HEAD_DIM, plausible="head dimension"),
    )
    v_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of one value head, where it differs from head_dim.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    kv_lora_rank: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Rank of the compressed KV latent under MLA.",
            None, _HEAD_DIM, plausible="latent rank",
        ),
    )
    rope_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of the rotary (decoupled RoPE) key part under MLA.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    index_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Width of the key DeepSeek Sparse Attention's indexer caches per token and layer "
            "(DeepSeek-V3.2: 128), in FP8 beside the MLA latent.",
            None, _HEAD_DIM, plausible="head dimension",
        ),
    )
    sliding_window: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "How far back a sliding-window attention layer looks.",
            "tokens", _TOKENS, plausible="window",
        ),
    )
    sliding_window_layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "How many of the layers attend through the sliding window (the others see the whole "
            "context); all of them when sliding_window is given and this is left out.",
            None, _LAYERS, plausible="number of layers",
        ),
    )
    full_attention_layers: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "In a hybrid model (Qwen3-Next), the layers with full attention and a KV cache; the "
            "others are linear-attention layers, each keeping a fixed recurrent state per "
            "sequence instead (the linear_* fields size it).",
            None, _LAYERS, plausible="number of layers",
        ),
    )
    linear_key_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Query and key heads of a linear-attention layer (Gated DeltaNet).",
                      None, _HEADS, plausible="number of heads"),
    )
    linear_value_heads: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Value heads of a linear-attention layer; each keeps a key x value state.",
                      None, _HEADS, plausible="number of heads"),
    )
    linear_key_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of a linear-attention key head.", None, _HEAD_DIM,
                      plausible="head dimension"),
    )
    linear_value_head_dim: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Width of a linear-attention value head.", None, _HEAD_DIM,
                      plausible="head dimension"),
    )
    linear_conv_kernel: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Length of a linear-attention layer's short convolution, whose last "
                      "kernel - 1 inputs are kept with the state.", None, _HEAD_DIM,
                      plausible="kernel length"),
    )
    experts: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Routed experts per mixture-of-experts layer.",
            None, _EXPERTS, plausible="number of experts",
        ),
    )
    experts_per_token: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Routed experts each token uses.",
            None, _EXPERTS, plausible="number of experts",
        ),
    )
    expert_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the routed experts, every layer together; the rest (attention, shared "
            "experts, dense layers, embeddings) is what experts-in-ram offload puts on the GPUs.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    weight_bytes: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Bytes of the weights as a file stores them (a GGUF file's tensor table, as "
            "`hwspec model import` reads it): wins over params_b x bits per weight.",
            "bytes", _WEIGHT_BYTES, plausible="weight bytes",
        ),
    )
    expert_weight_bytes: Positive | None = field(
        default=None, validator=_opt_positive,
        metadata=_doc(
            "Bytes of the routed-expert weights as the file stores them: what experts-in-ram "
            "leaves in system memory.",
            "bytes", _WEIGHT_BYTES, plausible="weight bytes",
        ),
    )
    native_precision: str | None = field(
        default=None,
        metadata=_doc("Precision the weights were released in (bf16, fp8 ...)."),
    )
    vocab_size: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc("Tokens in the vocabulary: llama.cpp's compute buffer holds a micro-batch's "
                      "logits over it.", None, _WIDTH, plausible="vocabulary size"),
    )
    attention_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the attention projections, every layer together (worked out from "
            "the shape for MHA and GQA when not given); sizes the attention precision group.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    embedding_params_b: Positive | None = field(
        default=None, validator=_within_total_params,
        metadata=_doc(
            "Parameters of the token embeddings and the output head (vocabulary x hidden size, "
            "twice when they are not tied); sizes the embeddings precision group.",
            "B params", _PARAMS, plausible="parameter count",
        ),
    )
    precisions: Precisions | None = field(
        default=None,
        metadata=_doc("Precisions the published weights keep per tensor group where they "
                      "differ (gpt-oss: experts mxfp4, the rest bf16); they apply when "
                      "workload.precision is the model's native_precision or not given."),
    )
    max_context_tokens: Count | None = field(
        default=None, validator=_opt_count,
        metadata=_doc(
            "Longest context the model supports.",
            "tokens", _TOKENS, plausible="context length",
        ),
    )
