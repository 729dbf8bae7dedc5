"""A model's shape in the spec: its architecture (``[workload.arch]`` or a catalog model) and
the precisions of its tensor groups. Apart from ``hwspec.spec.model`` only for size; that module
re-exports both, so ``from hwspec.spec.model import ModelArch`` reads as before."""

from __future__ import annotations

from attrs import field, frozen

from hwspec.spec.values import (
    AttentionKind,
    Count,
    Positive,
    Precision,
    _within_total_params,
    documented,
)


@frozen(field_transformer=documented)
class Precisions:
    """Precisions of a model's tensor groups, where they differ from one another:
    ``[workload.precisions]``, or a catalog model's ``precisions`` (what its published file
    keeps). A group left out takes workload.precision."""

    attention: Precision | None = None
    dense_ffn: Precision | None = None
    experts: Precision | None = None
    embeddings: Precision | None = None


@frozen(field_transformer=documented)
class ModelArch:
    """A model's architecture: from the catalog (``workload.model``) or inline
    (``[workload.arch]``)."""

    name: str | None = None
    params_b: Positive | None = None
    active_params_b: Positive | None = field(default=None, validator=_within_total_params)
    layers: Count | None = None
    hidden_size: Count | None = None
    attention: AttentionKind | None = None
    heads: Count | None = None
    kv_heads: Count | None = None
    head_dim: Count | None = None
    v_head_dim: Count | None = None
    kv_lora_rank: Count | None = None
    rope_head_dim: Count | None = None
    index_head_dim: Count | None = None
    sliding_window: Count | None = None
    sliding_window_layers: Count | None = None
    full_attention_layers: Count | None = None
    linear_key_heads: Count | None = None
    linear_value_heads: Count | None = None
    linear_key_head_dim: Count | None = None
    linear_value_head_dim: Count | None = None
    linear_conv_kernel: Count | None = None
    experts: Count | None = None
    experts_per_token: Count | None = None
    expert_params_b: Positive | None = field(default=None, validator=_within_total_params)
    weight_bytes: Positive | None = None
    expert_weight_bytes: Positive | None = None
    native_precision: str | None = None
    vocab_size: Count | None = None
    attention_params_b: Positive | None = field(default=None, validator=_within_total_params)
    embedding_params_b: Positive | None = field(default=None, validator=_within_total_params)
    precisions: Precisions | None = None
    max_context_tokens: Count | None = None
