"""Laws of mixed precision: a model whose tensor groups are stored at different widths weighs
between the same model stored all at the narrowest and all at the widest of them."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import hwspec
from hwspec.spec.vocab import BITS_PER_WEIGHT

GROUPS = ("attention", "dense_ffn", "experts", "embeddings")
precisions = st.sampled_from(["bf16", "fp8", "q8_0", "q6_k", "q4_k_m", "mxfp4", "iq2_xxs"])
models = st.sampled_from(["qwen3-235b-a22b", "deepseek-r1", "llama-3.1-70b", "mixtral-8x7b",
                          "qwen3-30b-a3b"])
"""Models without published per-group precisions, so the groups left out take the precision."""


def _weights_gb(model: str, precision: str, groups: dict[str, str]) -> float:
    workload: dict[str, Any] = {"model": model, "precision": precision, "context_tokens": 4096}
    if groups:
        workload["precisions"] = groups
    facts = hwspec.validate({"build": {"name": "mixed"}, "workload": workload}).facts
    assert facts is not None
    value = facts["model.weights_gb"]
    assert isinstance(value, float | int)
    return float(value)


@given(models, precisions, st.dictionaries(st.sampled_from(GROUPS), precisions, min_size=1))
def test_mixed_bytes_lie_between_all_narrow_and_all_wide(model: str, precision: str,
                                                         groups: dict[str, str]) -> None:
    """Weights at per-group precisions lie between all groups at the narrowest and all at the
    widest of the precisions used."""
    used = [precision, *groups.values()]
    narrow = min(used, key=BITS_PER_WEIGHT.__getitem__)
    wide = max(used, key=BITS_PER_WEIGHT.__getitem__)
    mixed = _weights_gb(model, precision, groups)
    assert _weights_gb(model, narrow, dict.fromkeys(GROUPS, narrow)) * (1 - 1e-9) <= mixed
    assert mixed <= _weights_gb(model, wide, dict.fromkeys(GROUPS, wide)) * (1 + 1e-9)
