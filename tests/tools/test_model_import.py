"""Importing a Hugging Face config.json as [workload.arch]: real files, the catalog, hostile input.

The files under tests/data/hf-configs/ are real config.json files (their sources are in the README
there). Two independent readings of each model must agree: what the importer reads from the file
and what the catalog (src/hwspec/catalog/data/models.toml) records for the same model.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import hwspec
from hwspec.errors import ConfigImportError
from hwspec.spec.load import load_text
from hwspec.tools.hf_config import (
    MAX_CONFIG_BYTES,
    ImportedArch,
    arch_from_hf_config,
    arch_toml,
    import_hf_config,
    parse_hf_config,
    read_hf_config,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "tests" / "data" / "hf-configs"
CATALOG = ROOT / "src" / "hwspec" / "catalog" / "data" / "models.toml"
SPEC_HEAD = "[build]\nname = 'x'\n[workload]\n"
COMPUTED = {"params_b", "active_params_b", "expert_params_b"}

# config file -> catalog ids it is cross-checked against, and catalog fields left out of the
# comparison with the reason.
CASES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "deepseek-r1-0528.json": (("deepseek-r1", "deepseek-v3"), {}),
    "deepseek-v3.2.json": (("deepseek-v3.2",), {}),
    "kimi-k2-instruct-abridged.json": (
        ("kimi-k2",),
        {"native_precision": "the abridged copy drops quantization_config (fp8 in the full file)"},
    ),
    "llama-3.1-8b-instruct.json": (("llama-3.1-8b",), {}),
    "llama-3.1-70b-instruct.json": (("llama-3.1-70b",), {}),
    "qwen3-32b.json": (("qwen3-32b",), {}),
    "mixtral-8x7b-v0.1.json": (("mixtral-8x7b",), {}),
    "gpt-oss-120b.json": (("gpt-oss-120b",), {}),
    "gemma-3-27b-it.json": (("gemma-3-27b",), {}),
}

# Exact parameter counts, each computed by hand from the file's shapes (see the derivations).
EXACT_PARAMS = {
    "deepseek-r1-0528.json": 671_026_419_200,
    "deepseek-v3.2.json": 671_877_944_064,  # V3's count + 61 indexers of 13,959,424
    "kimi-k2-instruct-abridged.json": 1_026_408_209_408,
    "llama-3.1-8b-instruct.json": 8_030_261_248,
    "llama-3.1-70b-instruct.json": 70_553_706_496,
    "qwen3-32b.json": 32_762_123_264,
    "mixtral-8x7b-v0.1.json": 46_702_792_704,
    "gpt-oss-120b.json": 116_829_156_672,
    "gemma-3-27b-it.json": 27_009_346_304,
}


def _catalog() -> dict[str, dict[str, Any]]:
    models = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["model"]
    meta = {"id", "source", "sources", "notes"}
    return {m["id"]: {k: v for k, v in m.items() if k not in meta} for m in models}


def _imported(name: str) -> ImportedArch:
    return import_hf_config(CONFIGS / name)


def _spec_text(imported: ImportedArch, workload: str = "") -> str:
    return SPEC_HEAD + workload + arch_toml(imported)


def _final_count(derivation: str) -> int:
    match = re.search(r"= ([0-9,]+)$", derivation)
    assert match, derivation
    return int(match.group(1).replace(",", ""))


# --- the real files against the catalog ----------------------------------------------------------


@pytest.mark.parametrize(("config", "catalog_id"), [
    (config, catalog_id) for config, (ids, _) in CASES.items() for catalog_id in ids
])
def test_read_fields_equal_the_catalog(config: str, catalog_id: str) -> None:
    """Every field read from the file equals the catalog's value where both have it."""
    imported = _imported(config)
    entry = _catalog()[catalog_id]
    skipped = CASES[config][1]
    shared = sorted(set(imported.fields) & set(entry) - COMPUTED - {"name"} - set(skipped))

    assert {k: entry[k] for k in shared} == {k: imported.fields[k] for k in shared}
    assert len(shared) >= 8


@pytest.mark.parametrize(("config", "catalog_id"), [
    (config, catalog_id) for config, (ids, _) in CASES.items() for catalog_id in ids
])
def test_computed_counts_are_near_the_catalog(config: str, catalog_id: str) -> None:
    """params_b and active_params_b computed from the shapes are within 3 % of the catalog's
    published figures (which are rounded: 671, 70, '1T')."""
    imported = _imported(config)
    entry = _catalog()[catalog_id]
    for name in sorted(COMPUTED & set(imported.fields) & set(entry)):
        assert imported.fields[name] == pytest.approx(entry[name], rel=0.03), name


@pytest.mark.parametrize(("config", "count"), sorted(EXACT_PARAMS.items()))
def test_parameter_count_is_exact(config: str, count: int) -> None:
    """The parameter count is the tensor-by-tensor sum computed by hand, and params_b rounds it."""
    imported = _imported(config)

    assert _final_count(imported.derivations["params_b"]) == count
    assert imported.fields["params_b"] == round(count / 1e9, 2)


def test_active_params_match_the_vendors_counts() -> None:
    """Active parameters leave out the input embedding, as DeepSeek (36.6 B) and OpenAI (5.1 B)
    count them."""
    deepseek = _imported("deepseek-r1-0528.json").fields["active_params_b"]
    gpt_oss = _imported("gpt-oss-120b.json").fields["active_params_b"]

    assert (deepseek, gpt_oss) == (36.63, 5.13)


def test_qwen_families_count_biases_norms_and_sparse_layers() -> None:
    """qwen2 counts q/k/v biases; qwen3_moe counts q/k norms, 128 experts and the router. The
    shapes are Qwen2.5-72B's and Qwen3-235B-A22B's as the catalog's notes record them (no real
    file of either is stored here), and the sums were computed by hand."""
    qwen2 = {"model_type": "qwen2", "num_hidden_layers": 80, "hidden_size": 8192,
             "num_attention_heads": 64, "num_key_value_heads": 8, "intermediate_size": 29568,
             "vocab_size": 152064, "tie_word_embeddings": False}
    qwen3_moe = {"model_type": "qwen3_moe", "num_hidden_layers": 94, "hidden_size": 4096,
                 "num_attention_heads": 64, "num_key_value_heads": 4, "head_dim": 128,
                 "intermediate_size": 12288, "moe_intermediate_size": 1536, "num_experts": 128,
                 "num_experts_per_tok": 8, "decoder_sparse_step": 1, "mlp_only_layers": [],
                 "vocab_size": 151936, "tie_word_embeddings": False}
    dense = arch_from_hf_config(qwen2).derivations
    sparse = arch_from_hf_config(qwen3_moe).derivations

    assert _final_count(dense["params_b"]) == 72_706_203_648
    assert _final_count(sparse["params_b"]) == 235_093_634_560
    assert _final_count(sparse["active_params_b"]) == 21_568_433_664


def test_expert_params_of_deepseek() -> None:
    """expert_params_b is MoE layers x routed experts x 3 x hidden x moe_intermediate_size."""
    imported = _imported("deepseek-r1-0528.json")

    assert imported.fields["expert_params_b"] == 653.91
    assert _final_count(imported.derivations["expert_params_b"]) == 58 * 256 * 3 * 7168 * 2048


def test_dense_models_have_no_active_or_expert_params() -> None:
    """A dense model gets neither active_params_b (hwspec reads params_b) nor expert fields."""
    fields = _imported("llama-3.1-70b-instruct.json").fields

    assert {"active_params_b", "expert_params_b", "experts"} & set(fields) == set()


@pytest.mark.parametrize("config", sorted(CASES))
def test_toml_round_trip_loads_without_findings(config: str) -> None:
    """The written table loads under [workload] with no findings, to the same ModelArch."""
    imported = _imported(config)
    loaded = load_text(_spec_text(imported))

    assert loaded.findings == ()
    assert loaded.spec is not None
    assert loaded.spec.workload is not None
    assert imported.arch() == loaded.spec.workload.arch


@pytest.mark.parametrize(("config", "per_token"), [
    ("deepseek-r1-0528.json", 61 * (512 + 64) * 2),  # MLA: 70,272 B
    ("llama-3.1-70b-instruct.json", 2 * 80 * 8 * 128 * 2),  # GQA: 327,680 B
])
def test_kv_cache_per_token(config: str, per_token: int) -> None:
    """hwspec's KV cache of one token at f16, from the imported table, is the hand-computed size."""
    report = hwspec.validate(hwspec.loads(_spec_text(_imported(config),
                                                     "precision = 'bf16'\ncontext_tokens = 1\n")))

    assert report.spec is not None
    assert report.facts["model.kv_cache_gib"] * 2**30 == pytest.approx(per_token)


# --- what each family's file says ----------------------------------------------------------------


def test_mla_head_dim_derivation() -> None:
    """DeepSeek's head_dim is qk_nope_head_dim + qk_rope_head_dim, and says so."""
    imported = _imported("deepseek-r1-0528.json")

    assert imported.fields["head_dim"] == 192
    assert imported.derivations["head_dim"].startswith(
        "qk_nope_head_dim 128 + qk_rope_head_dim 64")


def test_deepseek_precision_comes_from_quantization_config() -> None:
    """torch_dtype bfloat16 with quantization_config fp8 is an fp8 model."""
    assert _imported("deepseek-r1-0528.json").fields["native_precision"] == "fp8"


def test_deepseek_mtp_layer_is_a_warning() -> None:
    """The multi-token-prediction layer is named in a warning, outside params_b."""
    warnings = _imported("deepseek-r1-0528.json").warnings

    assert any(w.startswith("num_nextn_predict_layers 1:") and "11.61 B" in w for w in warnings)


def test_gpt_oss_sliding_layers_from_layer_types() -> None:
    """gpt-oss's layer_types alternate: 18 of 36 layers see a 128-token window."""
    fields = _imported("gpt-oss-120b.json").fields
    wanted = ("sliding_window", "sliding_window_layers", "native_precision")

    assert [fields[k] for k in wanted] == [128, 18, "mxfp4"]


def test_gemma3_reads_text_config_and_default_pattern() -> None:
    """Gemma 3 27B's keys sit under text_config; its pattern is transformers' default 6."""
    fields = _imported("gemma-3-27b-it.json").fields
    wanted = ("layers", "sliding_window", "sliding_window_layers", "max_context_tokens")

    assert [fields[k] for k in wanted] == [62, 1024, 52, 131072]
    assert _imported("gemma-3-27b-it.json").derivations["layers"] == (
        "text_config.num_hidden_layers 62")


def test_gemma3_explicit_pattern_wins() -> None:
    """sliding_window_pattern 2 makes every other layer global."""
    config = json.loads((CONFIGS / "gemma-3-27b-it.json").read_text(encoding="utf-8"))
    config["text_config"]["sliding_window_pattern"] = 2

    assert arch_from_hf_config(config).fields["sliding_window_layers"] == 31


def test_qwen_window_unused_without_use_sliding_window() -> None:
    """A sliding_window that use_sliding_window switches off is not imported."""
    config = json.loads((CONFIGS / "qwen3-32b.json").read_text(encoding="utf-8"))
    config["sliding_window"] = 131072

    assert "sliding_window" not in arch_from_hf_config(config).fields


def test_qwen_window_from_max_window_layers() -> None:
    """With use_sliding_window, layers from max_window_layers on slide."""
    config = json.loads((CONFIGS / "qwen3-32b.json").read_text(encoding="utf-8"))
    config.update(use_sliding_window=True, sliding_window=4096, max_window_layers=48)
    fields = arch_from_hf_config(config).fields

    assert [fields["sliding_window"], fields["sliding_window_layers"]] == [4096, 16]


def test_rope_scaling_is_noted() -> None:
    """Llama 3.1's context carries its rope_scaling in the derivation."""
    derivation = _imported("llama-3.1-70b-instruct.json").derivations["max_context_tokens"]

    assert derivation == ("max_position_embeddings 131072 (rope_scaling llama3, factor 8, over "
                          "original_max_position_embeddings 8192)")


@pytest.mark.parametrize(("changes", "attention", "kv_heads"), [
    ({}, "gqa", 8),
    ({"num_key_value_heads": 64}, "mha", 64),
    ({"num_key_value_heads": None}, "mha", 64),
])
def test_attention_kind(changes: dict[str, Any], attention: str, kv_heads: int) -> None:
    """gqa when there are fewer KV heads than heads, mha when as many or not given."""
    config = json.loads((CONFIGS / "llama-3.1-70b-instruct.json").read_text(encoding="utf-8"))
    config.update(changes)
    fields = arch_from_hf_config(config).fields

    assert (fields["attention"], fields["kv_heads"]) == (attention, kv_heads)


@pytest.mark.parametrize(("quantization", "dtype", "precision"), [
    (None, "float16", "fp16"),
    (None, "float32", "fp32"),
    ({"quant_method": "gptq", "bits": 4}, "float16", "int4"),
    ({"quant_method": "awq", "bits": 8}, "float16", "int8"),
])
def test_native_precision(quantization: dict[str, Any] | None, dtype: str,
                          precision: str) -> None:
    """native_precision comes from quantization_config when there is one, else torch_dtype."""
    config = json.loads((CONFIGS / "llama-3.1-8b-instruct.json").read_text(encoding="utf-8"))
    config.update(torch_dtype=dtype, quantization_config=quantization)

    assert arch_from_hf_config(config).fields["native_precision"] == precision


def test_unknown_quantization_is_missing() -> None:
    """A quantisation method hwspec cannot map leaves native_precision out and says why."""
    config = json.loads((CONFIGS / "llama-3.1-8b-instruct.json").read_text(encoding="utf-8"))
    config["quantization_config"] = {"quant_method": "bitsandbytes"}
    imported = arch_from_hf_config(config)

    assert "native_precision" in imported.missing
    assert "native_precision" not in imported.fields


def test_name_given_wins_over_name_or_path() -> None:
    """--name wins; without it _name_or_path names the model; without either, name is missing."""
    config = json.loads((CONFIGS / "llama-3.1-8b-instruct.json").read_text(encoding="utf-8"))
    config["_name_or_path"] = "meta-llama/Llama-3.1-8B-Instruct"
    given_name = arch_from_hf_config(config, name="Llama 3.1 8B").fields["name"]
    from_file = arch_from_hf_config(config).fields["name"]

    assert [given_name, from_file] == ["Llama 3.1 8B", "meta-llama/Llama-3.1-8B-Instruct"]
    assert "name" in _imported("llama-3.1-8b-instruct.json").missing


def test_unknown_family_reads_standard_keys() -> None:
    """An unknown model_type gets the standard keys and a warning, and no computed counts."""
    imported = arch_from_hf_config({
        "model_type": "olmo2", "num_hidden_layers": 16, "hidden_size": 2048,
        "num_attention_heads": 16, "num_key_value_heads": 16, "max_position_embeddings": 4096,
        "torch_dtype": "bfloat16", "vocab_size": 100352, "intermediate_size": 8192,
    })

    assert imported.fields == {
        "layers": 16, "hidden_size": 2048, "attention": "mha", "heads": 16, "kv_heads": 16,
        "head_dim": 128, "native_precision": "bf16", "max_context_tokens": 4096}
    assert imported.missing == ("name", "params_b")
    assert imported.warnings[0].startswith("model_type 'olmo2' is not a family hwspec knows")


def test_wrapped_language_model_is_read_from_text_config() -> None:
    """A wrapper hwspec does not know around a Llama text_config is read as llama."""
    llama = json.loads((CONFIGS / "llama-3.1-8b-instruct.json").read_text(encoding="utf-8"))
    imported = arch_from_hf_config({"model_type": "llava", "text_config": llama,
                                    "vision_config": {"hidden_size": 1024}})

    assert (imported.family, imported.fields["params_b"]) == ("llama", 8.03)


def test_comments_escape_control_characters() -> None:
    """A control character in a config string cannot break the TOML comment it lands in."""
    imported = arch_from_hf_config({"model_type": "x\ny", "num_hidden_layers": 2,
                                    "hidden_size": 64, "num_attention_heads": 4,
                                    "torch_dtype": "bf\u000016"})

    assert load_text(_spec_text(imported)).findings == ()


# --- docs/model-import.md ------------------------------------------------------------------------

EXAMPLE = re.compile(r"```console\n\$ hwspec model import (\S+) --name (\S+)\n```\n\n```toml\n"
                     r"(.*?)```", re.DOTALL)


def test_docs_examples_are_what_the_import_writes() -> None:
    """Each example in docs/model-import.md is exactly the table imported from that file."""
    doc = (ROOT / "docs" / "model-import.md").read_text(encoding="utf-8")
    examples = EXAMPLE.findall(doc)

    assert len(examples) == 2
    for path, name, shown in examples:
        assert shown == arch_toml(import_hf_config(ROOT / path, name=name), source=path)


def test_docs_error_table_matches_the_messages() -> None:
    """Every message in the docs' error table is one the tests pin."""
    doc = (ROOT / "docs" / "model-import.md").read_text(encoding="utf-8")
    table = doc[doc.index("## Errors"):doc.index("## Examples")]
    pinned = {message for _, message in ERRORS} | {SIZE_MESSAGE}
    shown = set(re.findall(r"`([^`]{20,})`", table))

    assert len(shown) == 12
    assert shown <= pinned


# --- errors --------------------------------------------------------------------------------------


def _error(raw: bytes) -> str:
    with pytest.raises(ConfigImportError) as caught:
        arch_from_hf_config(parse_hf_config(raw))
    return str(caught.value)


ERRORS = [
    (b'{"hidden_size": 4096,', "the file is not JSON: Expecting property name enclosed in double "
                               "quotes at line 1, column 22"),
    (b"[1, 2]", "expected a JSON object (a Hugging Face config.json), got an array ([1, 2])"),
    (b'"llama"', "expected a JSON object (a Hugging Face config.json), got a string ('llama')"),
    (b"{}", "num_hidden_layers: required key is missing; expected the number of transformer "
            "layers (a positive integer)"),
    (b'{"num_hidden_layers": 32, "num_attention_heads": 32}',
     "hidden_size: required key is missing; expected the width of the hidden state "
     "(a positive integer)"),
    (b'{"num_hidden_layers": "32", "hidden_size": 4096, "num_attention_heads": 32}',
     "num_hidden_layers: expected a positive integer, got a string ('32')"),
    (b'{"num_hidden_layers": 0, "hidden_size": 4096, "num_attention_heads": 32}',
     "num_hidden_layers: expected a whole number of at least 1, got 0"),
    (b'{"num_hidden_layers": 1000000, "hidden_size": 4096, "num_attention_heads": 32}',
     "num_hidden_layers: expected at most 10,000 (a plausible number of layers), got 1,000,000"),
    (b'{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, '
     b'"num_key_value_heads": 8}',
     "num_key_value_heads: expected at most num_attention_heads 4, got 8"),
    (b'{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, '
     b'"layer_types": ["full_attention"]}',
     "layer_types: expected one entry per layer (num_hidden_layers 2), got 1"),
    (b'{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, '
     b'"layer_types": ["full_attention", 7]}',
     "layer_types[1]: expected a string, got an integer (7)"),
    (b'{"text_config": {"num_hidden_layers": 2, "hidden_size": true}}',
     "text_config.hidden_size: expected a positive integer, got a boolean (True)"),
    (b'{"num_hidden_layers": NaN}', "the file is not JSON: NaN is not a JSON number"),
    (b"\xff\xfe{}", "the file is not UTF-8 text (byte 1 is 0xFF); config.json is UTF-8 JSON"),
    (b"[" * 100_000 + b"]" * 100_000,
     "the file is not a usable JSON document: arrays and objects are nested too deeply to read"),
]
SIZE_MESSAGE = ("the file is more than 1,048,576 bytes; a config.json is a few kilobytes, and "
                "hwspec reads at most 1,048,576 bytes (1 MiB)")


@pytest.mark.parametrize(("raw", "message"), ERRORS)
def test_error_messages(raw: bytes, message: str) -> None:
    """Each kind of bad file gives one ConfigImportError with the key path and the expectation."""
    assert _error(raw) == message


def test_error_has_path_and_message() -> None:
    """The error's path and message are separate attributes for the command line to show."""
    with pytest.raises(ConfigImportError) as caught:
        arch_from_hf_config({"num_hidden_layers": 2, "hidden_size": "x"})

    assert caught.value.path == "hidden_size"
    assert caught.value.message == "expected a positive integer, got a string ('x')"


def test_size_limit_before_parsing(tmp_path: Path) -> None:
    """A file over 1 MiB is refused without being parsed (nor read past the limit)."""
    big = tmp_path / "config.json"
    big.write_bytes(b"{" + b" " * MAX_CONFIG_BYTES + b"}")
    with pytest.raises(ConfigImportError) as caught:
        read_hf_config(big)

    assert str(caught.value) == SIZE_MESSAGE


@pytest.mark.parametrize(("name", "message"), [
    ("missing.json", "the file does not exist"),
    (".", "the path is a directory; name the config.json file"),
])
def test_unreadable_paths(tmp_path: Path, name: str, message: str) -> None:
    """A path that is not a readable file is an error that says so."""
    with pytest.raises(ConfigImportError) as caught:
        read_hf_config(tmp_path / name)

    assert str(caught.value) == message


# --- totality ------------------------------------------------------------------------------------

KEYS = ["model_type", "num_hidden_layers", "hidden_size", "num_attention_heads",
        "num_key_value_heads", "head_dim", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim",
        "v_head_dim", "q_lora_rank", "sliding_window", "layer_types", "sliding_window_pattern",
        "use_sliding_window", "max_window_layers", "num_local_experts", "num_experts",
        "n_routed_experts", "num_experts_per_tok", "experts_per_token", "moe_intermediate_size",
        "intermediate_size", "vocab_size", "tie_word_embeddings", "first_k_dense_replace",
        "n_shared_experts", "moe_layer_freq", "decoder_sparse_step", "mlp_only_layers",
        "max_position_embeddings", "rope_scaling", "torch_dtype", "quantization_config",
        "attention_bias", "mlp_bias", "num_nextn_predict_layers", "topk_method", "_name_or_path",
        "text_config", "vision_config", "quant_method", "bits", "factor",
        "original_max_position_embeddings"]
SCALARS = (st.none() | st.booleans() | st.integers(-3, 300) | st.integers()
           | st.floats(allow_nan=False) | st.sampled_from(sorted(
               {"llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe", "gemma3",
                "gemma3_text", "gpt_oss", "deepseek_v3", "kimi_k2", "fp8", "mxfp4", "gptq",
                "bfloat16", "float16", "noaux_tc", "sliding_attention", "full_attention", "yarn"}))
           | st.text(max_size=8))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6),
    max_leaves=12,
)
ESSENTIAL = ["num_hidden_layers", "hidden_size", "num_attention_heads"]
# Keys the importer may read besides KEYS (inside quantization_config and rope_scaling, or other
# spellings); a key in neither list is one the importer never looks at.
READ_ELSEWHERE = {"dtype", "type", "fmt", "rope_type", "weight_block_size",
                  "modules_to_not_convert", "audio_config"}
UNREAD_KEYS = (st.sampled_from(["architectures", "rms_norm_eps", "rope_theta", "hidden_act",
                                "bos_token_id", "eos_token_id", "initializer_range", "use_cache",
                                "attention_dropout", "transformers_version"])
               | st.text(max_size=8).filter(lambda key: key not in {*KEYS, *READ_ELSEWHERE}))
# Configs that must import: the three essential keys with plausible values, an optional
# model_type and name, and any number of keys the importer does not read, holding any JSON.
CONFIG = st.builds(
    lambda essentials, unread: {**unread, **essentials},
    st.fixed_dictionaries(
        {"num_hidden_layers": st.integers(1, 128), "hidden_size": st.integers(64, 16_384),
         "num_attention_heads": st.integers(1, 64)},
        optional={"model_type": st.sampled_from(["llama", "mistral", "qwen3", "gemma3_text",
                                                 "gpt_oss", "deepseek_v3", "other"]),
                  "_name_or_path": st.text(max_size=20)},
    ),
    st.dictionaries(UNREAD_KEYS, JSON, max_size=8),
)
# Values that are not a count of layers, hidden width or heads; ``...`` deletes the key.
NOT_A_COUNT = st.one_of(
    st.just(...), st.none(), st.booleans(), st.integers(max_value=0),
    st.integers(min_value=10**9), st.floats().filter(lambda v: not (v >= 1 and v.is_integer())),
    st.text(max_size=8), st.lists(JSON, max_size=3),
    st.dictionaries(st.text(max_size=4), JSON, max_size=3),
)
SIZES = ["num_key_value_heads", "head_dim", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim",
         "v_head_dim", "q_lora_rank", "sliding_window", "sliding_window_pattern",
         "max_window_layers", "num_local_experts", "num_experts", "n_routed_experts",
         "num_experts_per_tok", "moe_intermediate_size", "intermediate_size", "vocab_size",
         "first_k_dense_replace", "n_shared_experts", "moe_layer_freq", "decoder_sparse_step",
         "max_position_embeddings", "num_nextn_predict_layers"]
SMALL_MODEL = st.fixed_dictionaries(
    {"num_hidden_layers": st.integers(1, 12), "hidden_size": st.integers(1, 512),
     "num_attention_heads": st.integers(1, 16),
     "model_type": st.sampled_from(["llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe",
                                    "gemma3_text", "gpt_oss", "deepseek_v3", "kimi_k2", "other"])},
    optional={key: st.integers(1, 64) for key in SIZES}
    | {"tie_word_embeddings": st.booleans(), "attention_bias": st.booleans(),
       "use_sliding_window": st.booleans(), "topk_method": st.just("noaux_tc"),
       "torch_dtype": st.sampled_from(["bfloat16", "float16", "float32", "int8"]),
       "mlp_only_layers": st.lists(st.integers(0, 12), max_size=3),
       "layer_types": st.lists(st.sampled_from(["sliding_attention", "full_attention"]),
                               min_size=1, max_size=12)},
)
REAL = sorted(CASES)


def _import_outcome(config: Any) -> ImportedArch | ConfigImportError:
    """The ImportedArch for config or the ConfigImportError it raises, recorded as an event."""
    try:
        outcome: ImportedArch | ConfigImportError = arch_from_hf_config(config)
    except ConfigImportError as error:
        outcome = error
    event(f"outcome: {type(outcome).__name__}")
    return outcome


def _law_breaks(imported: ImportedArch) -> list[str]:
    """What is wrong with an import: findings when its TOML loads, and non-finite numbers."""
    loaded = load_text(_spec_text(imported))
    return ([str(finding) for finding in loaded.findings]
            + [name for name, v in imported.fields.items()
               if isinstance(v, float) and not math.isfinite(v)])


def _total(config: Any) -> None:
    """The law: an ImportedArch whose TOML loads with no findings, or a ConfigImportError naming
    a key the importer reads (or no key, for a problem with the whole file)."""
    outcome = _import_outcome(config)
    if isinstance(outcome, ImportedArch):
        assert not _law_breaks(outcome)
    else:
        assert re.split(r"[.\[]", outcome.path)[0] in {"", *KEYS, *READ_ELSEWHERE}, outcome.path


def _replaced(config: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """config with key set to value, or deleted when value is ``...``."""
    kept = {k: v for k, v in config.items() if k != key}
    return kept if value is ... else {**kept, key: value}


@given(CONFIG)
def test_a_config_with_the_essential_keys_imports_and_its_toml_loads(
        config: dict[str, Any]) -> None:
    """A JSON object with the essential keys, whatever else it holds, imports to TOML that loads."""
    imported = arch_from_hf_config(config)

    assert not _law_breaks(imported)


@given(CONFIG, st.sampled_from(ESSENTIAL), NOT_A_COUNT)
def test_an_essential_key_missing_or_not_a_count_raises(
        config: dict[str, Any], key: str, value: Any) -> None:
    """An essential key that is missing or not a plausible count raises an error naming it."""
    with pytest.raises(ConfigImportError) as caught:
        arch_from_hf_config(_replaced(config, key, value))

    assert key == caught.value.path


@given(SMALL_MODEL)
def test_any_small_model_imports_or_raises_config_import_error(config: dict[str, Any]) -> None:
    """Totality near real configs: the essential keys present, every other key random."""
    _total(config)


@given(st.sampled_from(REAL), st.sampled_from(KEYS), JSON | st.just(...))
def test_any_change_to_a_real_config_imports_or_raises(name: str, key: str, value: Any) -> None:
    """Totality around the real files: one key of one of them replaced by any JSON value, or
    deleted (``...``), gives an ImportedArch whose TOML loads, or a ConfigImportError."""
    config = json.loads((CONFIGS / name).read_text(encoding="utf-8"))
    holder = config.get("text_config", config)
    if value is ...:
        holder.pop(key, None)
    else:
        holder[key] = value
    _total(config)


def _parse_outcome(raw: bytes) -> dict[str, Any] | ConfigImportError:
    """The dict parse_hf_config gives for raw or the ConfigImportError it raises, as an event."""
    try:
        outcome: dict[str, Any] | ConfigImportError = parse_hf_config(raw)
    except ConfigImportError as error:
        outcome = error
    event(f"outcome: {type(outcome).__name__}")
    return outcome


@given(st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode())
       | CONFIG.map(lambda c: json.dumps(c).encode()))
def test_any_bytes_parse_or_raise_config_import_error(raw: bytes) -> None:
    """Totality for bytes: parse_hf_config returns a dict or raises an error about the file."""
    outcome = _parse_outcome(raw)

    assert isinstance(outcome, dict) or str(outcome).startswith(
        ("the file is", "expected a JSON object")), outcome


def test_a_sparse_attention_indexer_is_read() -> None:
    """DeepSeek-V3.2's config.json gives index_head_dim: the imported arch carries it, so the
    indexer's cache is counted."""
    from hwspec.tools.hf_config import arch_from_hf_config

    config = {"model_type": "deepseek_v3", "num_hidden_layers": 61, "hidden_size": 7168,
              "num_attention_heads": 128, "num_key_value_heads": 128, "kv_lora_rank": 512,
              "qk_rope_head_dim": 64, "qk_nope_head_dim": 128, "v_head_dim": 128,
              "index_head_dim": 128}
    imported = arch_from_hf_config(config, name="v32")
    assert imported.fields["index_head_dim"] == 128
    assert "index_head_dim 128" in imported.derivations["index_head_dim"]


@pytest.mark.parametrize(("extra", "chunked"), [
    ({"no_rope_layers": []}, 36),
    ({"no_rope_layers": [1, 1, 1, 0] * 12}, 36),
    ({"no_rope_layer_interval": 2}, 24),
])
def test_llama4_chunked_attention_is_read_as_a_window(extra: dict[str, object],
                                                      chunked: int) -> None:
    """attention_chunk_size 8192 on the RoPE layers: every 4th layer (transformers' default
    interval) attends over the whole context, the others cache at most one chunk."""
    from hwspec.tools.hf_config import arch_from_hf_config

    config = {"model_type": "llama4_text", "num_hidden_layers": 48, "hidden_size": 5120,
              "num_attention_heads": 40, "num_key_value_heads": 8, "head_dim": 128,
              "attention_chunk_size": 8192, **extra}
    fields = arch_from_hf_config(config, name="scout").fields
    assert (fields["sliding_window"], fields["sliding_window_layers"]) == (8192, chunked)


def test_deepseek_v32_counts_its_indexer() -> None:
    """model_type deepseek_v32 is read as DeepSeek's layout, and each layer's indexer is counted:
    wq_b 1536 x (64 x 128) + wk 7168 x 128 + k_norm 2 x 128 + weights_proj 7168 x 64 = 13,959,424
    parameters a layer (DeepSeek-V3.2-Exp inference/model.py), 61 layers on top of V3's count."""
    from hwspec.tools.hf_config import arch_from_hf_config

    config = json.loads((CONFIGS / "deepseek-r1-0528.json").read_text(encoding="utf-8"))
    config |= {"model_type": "deepseek_v32", "architectures": ["DeepseekV32ForCausalLM"],
               "index_head_dim": 128, "index_n_heads": 64, "index_topk": 2048}
    imported = arch_from_hf_config(config, name="v32")

    assert imported.family == "deepseek"
    assert _final_count(imported.derivations["params_b"]) == 671_026_419_200 + 61 * 13_959_424
    assert imported.fields["index_head_dim"] == 128


def test_an_indexer_without_its_head_count_leaves_the_counts_out() -> None:
    """index_head_dim without index_n_heads: the indexer's size is unknown, so params_b is not
    computed and the missing key is named."""
    from hwspec.tools.hf_config import arch_from_hf_config

    config = json.loads((CONFIGS / "deepseek-r1-0528.json").read_text(encoding="utf-8"))
    config |= {"model_type": "deepseek_v32", "index_head_dim": 128}
    imported = arch_from_hf_config(config, name="v32")

    assert "params_b" not in imported.fields
    assert any("index_n_heads" in w for w in imported.warnings), imported.warnings
