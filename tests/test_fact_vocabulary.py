"""The fact vocabulary and the code agree both ways: every fact derive writes is declared in
FACTS (so docs/facts.md, rule checks and the JSON output know it), and every declared fact is
written by some spec of the corpus (so none is documented that the code never computes)."""

from __future__ import annotations

from tests.conftest import ROOT, SPECS

from hwspec.checker import Checker
from hwspec.engine.packs import builtin_packs
from hwspec.facts import FACTS_BY_NAME

EXTRA = {
    "electricity": '''
[build]
name = "Running cost"
[cpu]
part = "amd-epyc-9655"
[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = 12
[psu]
part = "seasonic-prime-tx-1600"
[workload]
model = "deepseek-r1"
precision = "q4_k_m"
context_tokens = 4096
electricity_price = 0.3
''',
    "system with a GPU rate": '''
[build]
name = "A whole machine stating its GPU's FP16 rate"
[system]
name = "Unified-memory box"
memory_gib = 128
bandwidth_gbs = 256
gpu_fp16_tflops = 59
[workload]
model = "llama-3.1-8b"
precision = "q4_k_m"
context_tokens = 4096
''',
    "weights from a file's bytes": '''
[build]
name = "A model weighed by its GGUF file"
[workload]
precision = "q4_k_m"
context_tokens = 4096
[workload.arch]
name = "Imported"
params_b = 8.03
layers = 32
attention = "gqa"
heads = 32
kv_heads = 8
head_dim = 128
weight_bytes = 4920000000
''',
    "quantised KV on GPUs": '''
[build]
name = "Two RTX 3090s with a q8_0 KV cache"
[[gpu]]
part = "nvidia-rtx-3090"
count = 2
[workload]
model = "llama-3.3-70b"
precision = "q4_k_m"
context_tokens = 32768
kv_precision = "q8_0"
''',
    "hybrid linear attention": '''
[build]
name = "A hybrid model: 12 of 48 layers attend fully"
[workload]
model = "qwen3-next-80b-a3b"
precision = "q4_k_m"
context_tokens = 4096
''',
    "experts with no active count": '''
[build]
name = "A mixture of experts whose config states no active count"
[workload]
model = "deepseek-v3.2-exp"
precision = "fp8"
context_tokens = 4096
''',
}
"""Specs for facts no example or calibration spec reaches."""


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SPECS.glob("*.toml"))]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((ROOT / "tests" / "data" / "measured").glob("R*.toml"))]
    texts += [example.spec for pack in builtin_packs() for rule in pack.rules
              for example in rule.examples]
    return texts + list(EXTRA.values())


def _written() -> set[str]:
    checker, seen = Checker(), set()
    for text in _corpus():
        facts = checker.check_text(text).facts
        if facts is not None:
            seen |= set(facts.by_name)
    return seen


WRITTEN = _written()


def test_every_fact_written_is_declared() -> None:
    """No fact reaches the output without a FACTS entry (name, unit, type, description)."""
    assert sorted(WRITTEN - set(FACTS_BY_NAME)) == []


def test_every_declared_fact_is_written_by_the_corpus() -> None:
    """No FACTS entry is dead: the example specs, calibration specs and rule examples write
    each (EXTRA covers the few they do not)."""
    assert sorted(set(FACTS_BY_NAME) - WRITTEN) == []

