"""Import: a Hugging Face ``config.json`` -> a ``[workload.arch]`` table hwspec reads.

``hwspec model import config.json`` reads a local file (nothing is downloaded) and writes the
model's architecture as TOML, with a comment above each value saying which keys of the file it
came from and what arithmetic made it. Two kinds of value come out:

* **read**: a key of the file, sometimes under another name (``num_hidden_layers`` -> ``layers``)
  or with a little arithmetic (MLA's ``head_dim = qk_nope_head_dim + qk_rope_head_dim``);
* **computed**: ``params_b``, ``active_params_b`` and ``expert_params_b``, counted tensor by tensor
  from the shapes the file gives, for the families whose layer layout hwspec knows exactly
  (``KNOWN_MODEL_TYPES``). For any other ``model_type`` the standard keys are read and the counts
  are left out, with a warning: a guessed parameter count would be worse than none.

Every problem with the file is a ``ConfigImportError`` naming the JSON key path and what was
expected; nothing else is raised, whatever the JSON holds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from hwspec.errors import ConfigImportError
from hwspec.spec.model import ModelArch

MAX_CONFIG_BYTES = 1024 * 1024
"""config.json files larger than this are refused before parsing. Real ones are a few kilobytes
(a 36-entry ``layer_types`` list included); a file is never read beyond this many bytes and one
more."""

KNOWN_MODEL_TYPES: dict[str, str] = {
    "llama": "llama",
    "mistral": "mistral",
    "mixtral": "mixtral",
    "qwen2": "qwen2",
    "qwen3": "qwen3",
    "qwen3_moe": "qwen3_moe",
    "gemma3": "gemma3",
    "gemma3_text": "gemma3",
    "gpt_oss": "gpt_oss",
    "deepseek_v2": "deepseek",
    "deepseek_v3": "deepseek",
    "deepseek_v32": "deepseek",
    "kimi_k2": "deepseek",
}
"""``model_type`` values whose layout hwspec knows tensor by tensor, and the family each is read
as. Kimi K2 is DeepSeek-V3's architecture (``DeepseekV3ForCausalLM``); DeepSeek-V3.2
(``DeepseekV32ForCausalLM``) is V3's layout plus a sparse-attention indexer in each layer, counted
where its config gives ``index_head_dim``."""

_TIE_DEFAULT = {
    "llama": False, "mistral": False, "mixtral": False, "qwen2": False, "qwen3": False,
    "qwen3_moe": False, "gemma3": True, "gpt_oss": False, "deepseek": False,
}
"""``tie_word_embeddings`` when the file leaves it out: each family's transformers default."""

_GEMMA3_DEFAULTS = {"max_position_embeddings": 131_072, "sliding_window_pattern": 6,
                    "vocab_size": 262_208, "head_dim": 256}
"""transformers' ``Gemma3TextConfig`` defaults for keys the released Gemma 3 files leave out (the
27B file gives neither ``max_position_embeddings`` nor ``sliding_window_pattern``); transformers
fills them in the same way when it loads the model."""

_PRECISION_BY_DTYPE = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32",
                       "float8_e4m3fn": "fp8"}
_SIZE_LIMIT = 100_000_000
"""Most a vocabulary, MLP width or latent rank may be: real ones are below a million."""
_SLIDING = "sliding_attention"
_LINEAR = "linear_attention"
_FULL = "full_attention"


@frozen
class ImportedArch:
    """What a config.json says about a model, as ``ModelArch`` fields.

    ``fields`` holds only what the file gives or what is computed exactly from it; each field's
    entry in ``derivations`` names the keys and the arithmetic. ``missing`` lists the fields the
    file cannot give that a spec may want (add them by hand); ``warnings`` say what to check.
    """

    fields: dict[str, Any]
    derivations: dict[str, str]
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    model_type: str | None = None
    family: str = "generic"

    def arch(self) -> ModelArch:
        """The fields as a ``ModelArch``."""
        return ModelArch(**self.fields)


# --- reading the file ----------------------------------------------------------------------------


def read_hf_config(path: Path) -> dict[str, Any]:
    """Read and parse a config.json file, or raise ``ConfigImportError`` saying why not.

    At most ``MAX_CONFIG_BYTES + 1`` bytes are read, so a huge file costs no more than a megabyte.
    """
    from hwspec.errors import NotRegularFileError, TooLargeError
    from hwspec.spec.read import read_regular

    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except TooLargeError:
        raise _too_large() from None
    except NotRegularFileError as error:
        raise ConfigImportError(str(error)) from None
    except IsADirectoryError:
        raise ConfigImportError("the path is a directory; name the config.json file") from None
    except FileNotFoundError:
        raise ConfigImportError("the file does not exist") from None
    except OSError as error:
        raise ConfigImportError(f"the file cannot be read: {error.strerror or error}") from None
    return parse_hf_config(raw)


def _too_large() -> ConfigImportError:
    return ConfigImportError(f"the file is more than {MAX_CONFIG_BYTES:,} bytes; a config.json "
                             f"is a few kilobytes, and hwspec reads at most "
                             f"{MAX_CONFIG_BYTES:,} bytes (1 MiB)")


def parse_hf_config(raw: bytes) -> dict[str, Any]:
    """Parse config.json bytes into a dict, or raise ``ConfigImportError`` saying why not."""
    if len(raw) > MAX_CONFIG_BYTES:
        raise _too_large()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigImportError(f"the file is not UTF-8 text (byte {error.start + 1:,} is "
                                f"0x{raw[error.start]:02X}); config.json is UTF-8 JSON") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ConfigImportError(f"the file is not JSON: {error.msg} at line {error.lineno}, "
                                f"column {error.colno}") from None
    except RecursionError:
        raise ConfigImportError("the file is not a usable JSON document: arrays and objects are "
                                "nested too deeply to read") from None
    except ValueError as error:  # NaN/Infinity, or an integer with thousands of digits
        raise ConfigImportError(f"the file is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ConfigImportError(f"expected a JSON object (a Hugging Face config.json), got "
                                f"{_describe(data)}")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def import_hf_config(path: Path, *, name: str | None = None) -> ImportedArch:
    """``read_hf_config`` then ``arch_from_hf_config``: one call from a path to the fields."""
    return arch_from_hf_config(read_hf_config(path), name=name)


# --- typed access with key paths -----------------------------------------------------------------


def _describe(value: object) -> str:
    """Name a JSON value's kind, with the value (shortened)."""
    if value is None:
        return "null"
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(value), type(value).__name__)
    if isinstance(value, list | dict):
        shown = _short(value)
        return f"{kind} ({shown})" if shown.startswith("[") else shown
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"{kind} (a {value.bit_length():,}-bit integer)"
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def _short(value: object) -> str:
    """A JSON value shown without recursing into it: ``[128, 128]``, ``an array of 3 items``."""
    if isinstance(value, list):
        if len(value) <= 8 and all(isinstance(v, int | float) and not isinstance(v, bool)
                                   for v in value):
            return "[" + ", ".join(repr(v) for v in value) + "]"
        return f"an array of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return f"an object of {len(value)} key{'' if len(value) == 1 else 's'}"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _bound(name: str) -> tuple[int, str]:
    """A ModelArch field's plausibility bound and what it bounds, from the field's metadata."""
    meta = attrs.fields_dict(ModelArch)[name].metadata
    return int(meta["maximum"]), str(meta.get("plausible") or name)


class _Keys:
    """One JSON object of the config, read with its key path so every error can name the key."""

    def __init__(self, data: Mapping[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def error(self, key: str, message: str) -> ConfigImportError:
        return ConfigImportError(message, self.path(key))

    def integer(self, key: str, *, minimum: int = 1, maximum: int = _SIZE_LIMIT,
                plausible: str = "size") -> int | None:
        """A whole number of at least ``minimum`` (integral floats such as 4096.0 included);
        None when the key is absent or null."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            what = "a positive integer" if minimum >= 1 else "a whole number of at least 0"
            raise self.error(key, f"expected {what}, got {_describe(value)}")
        if value < minimum:
            raise self.error(key, f"expected a whole number of at least {minimum}, got {value}")
        if value > maximum:
            shown = (f"{value:,}" if value.bit_length() <= 128
                     else f"a {value.bit_length():,}-bit integer")
            raise self.error(key, f"expected at most {maximum:,} (a plausible {plausible}), "
                                  f"got {shown}")
        return value

    def count(self, key: str, field_name: str) -> int | None:
        """A positive integer within the bound of the ModelArch field it becomes."""
        maximum, plausible = _bound(field_name)
        return self.integer(key, maximum=maximum, plausible=plausible)

    def required(self, key: str, field_name: str, what: str) -> int:
        value = self.count(key, field_name)
        if value is None:
            raise self.error(key, f"required key is missing; expected {what} (a positive integer)")
        return value

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(key, f"expected true or false, got {_describe(value)}")

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.error(key, f"expected a string, got {_describe(value)}")

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise self.error(key, f"expected a number, got {_describe(value)}")
        return float(value)

    def table(self, key: str) -> _Keys | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected an object, got {_describe(value)}")
        return _Keys(value, self.path(key))

    def strings(self, key: str) -> list[str] | None:
        return self.array(key, "strings", "a string", lambda item: isinstance(item, str))

    def integers(self, key: str) -> list[int] | None:
        return self.array(key, "layer numbers", "a layer number (0 or more)",
                          lambda item: isinstance(item, int) and not isinstance(item, bool)
                          and item >= 0)

    def array(self, key: str, items: str, item: str,
              accepts: Callable[[object], bool]) -> list[Any] | None:
        """The array at ``key`` (None where absent) whose every element ``accepts`` takes; the
        first that does not is refused at its index, as ``item`` it should be."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            raise self.error(key, f"expected an array of {items}, got {_describe(value)}")
        for index, element in enumerate(value):
            if not accepts(element):
                raise ConfigImportError(f"expected {item}, got {_describe(element)}",
                                        f"{self.path(key)}[{index}]")
        return value


# --- the import ----------------------------------------------------------------------------------


class _Import:
    """The state of one import: the keys, what has been found, and what to tell the user."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.top = _Keys(config)
        text = self.top.table("text_config")
        # Multimodal checkpoints (Gemma 3, Llama 4, Qwen-VL ...) keep the language model's keys
        # under text_config; a text model keeps them at the top.
        self.keys = text if text is not None and not self.top.has("num_hidden_layers") else self.top
        self.fields: dict[str, Any] = {}
        self.derivations: dict[str, str] = {}
        self.missing: list[str] = []
        self.warnings: list[str] = []

    def put(self, name: str, value: Any, derivation: str) -> None:
        self.fields[name] = value
        self.derivations[name] = derivation

    def lack(self, name: str, why: str) -> None:
        self.missing.append(name)
        self.warnings.append(f"{name} is not set: {why}")

    def key(self, key: str) -> str:
        return self.keys.path(key)

    def either(self, key: str) -> _Keys:
        """The object that holds ``key``: the language model's keys first, then the top."""
        return self.keys if self.keys.has(key) or not self.top.has(key) else self.top


def arch_from_hf_config(config: Mapping[str, Any], *, name: str | None = None) -> ImportedArch:
    """Read a parsed Hugging Face config.json into ``ModelArch`` fields, with where each came from.

    Raises ``ConfigImportError`` (with the JSON key path) when the file lacks
    ``num_hidden_layers``, ``hidden_size`` or ``num_attention_heads``, or when a key hwspec reads
    holds the wrong kind of value; never anything else.
    """
    if not isinstance(config, Mapping):
        raise ConfigImportError(f"expected a JSON object (a Hugging Face config.json), got "
                                f"{_describe(config)}")
    state = _Import(config)
    top_type = state.top.text("model_type")
    text_type = state.keys.text("model_type") if state.keys is not state.top else None
    if top_type in KNOWN_MODEL_TYPES or text_type not in KNOWN_MODEL_TYPES:
        model_type = top_type or text_type
    else:  # a wrapper hwspec does not know around a language model it does (llava -> llama)
        model_type = text_type
    family = KNOWN_MODEL_TYPES.get(model_type or "", "generic")
    _read(state, family, model_type, name)
    _check_fields(state)
    return ImportedArch(fields=state.fields, derivations=state.derivations,
                        missing=tuple(state.missing), warnings=tuple(state.warnings),
                        model_type=model_type, family=family)


def _read(state: _Import, family: str, model_type: str | None, name: str | None) -> None:
    keys = state.keys
    if family == "generic":
        known = ", ".join(sorted(KNOWN_MODEL_TYPES))
        what = f"model_type {model_type!r}" if model_type else "a config without model_type"
        state.warnings.append(
            f"{what} is not a family hwspec knows ({known}): the standard keys were read, and "
            "params_b, active_params_b and expert_params_b are left out rather than guessed; "
            "take them from the model card")
    _name(state, name)
    layers = keys.required("num_hidden_layers", "layers", "the number of transformer layers")
    hidden = keys.required("hidden_size", "hidden_size", "the width of the hidden state")
    heads = keys.required("num_attention_heads", "heads", "the number of attention heads")
    state.put("layers", layers, f"{state.key('num_hidden_layers')} {layers}")
    state.put("hidden_size", hidden, f"{state.key('hidden_size')} {hidden}")
    state.put("heads", heads, f"{state.key('num_attention_heads')} {heads}")
    dims = _attention(state, family, layers, hidden, heads)
    _sliding_window(state, family, layers)
    _hybrid(state, layers)
    moe = _experts(state, family)
    _precision(state)
    _context(state, family)
    _parameters(state, family, dims, moe)


def _name(state: _Import, name: str | None) -> None:
    if name is not None:
        _check_text(name, "name")
        state.put("name", name, "given with --name")
        return
    given = state.top.text("_name_or_path")
    if given:
        _check_text(given, "_name_or_path")
        state.put("name", given, f"_name_or_path {given!r}")
        return
    state.lack("name", "config.json does not name the model; give one with --name")


def _check_text(value: str, path: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigImportError("expected text, got a string with a lone surrogate "
                                "(not encodable as UTF-8)", path) from None


@frozen
class _Dims:
    """The attention shapes the parameter count needs."""

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    mla: bool


def _attention(state: _Import, family: str, layers: int, hidden: int, heads: int) -> _Dims:
    keys = state.keys
    kv_heads = keys.count("num_key_value_heads", "kv_heads")
    if kv_heads is not None and kv_heads > heads:
        raise keys.error("num_key_value_heads", f"expected at most num_attention_heads {heads}, "
                                                f"got {kv_heads}")
    kv_lora = keys.count("kv_lora_rank", "kv_lora_rank")
    if kv_lora is not None:
        return _mla(state, layers, hidden, heads, kv_heads, kv_lora)
    if kv_heads is None:
        kv_heads = heads
        state.put("attention", "mha", "mha: num_key_value_heads is not given, so every head "
                                      "keeps its own keys and values")
    elif kv_heads < heads:
        state.put("attention", "gqa", f"gqa: {state.key('num_key_value_heads')} {kv_heads} < "
                                      f"{state.key('num_attention_heads')} {heads}")
    else:
        state.put("attention", "mha", f"mha: {state.key('num_key_value_heads')} {kv_heads} = "
                                      f"{state.key('num_attention_heads')} {heads}")
    state.put("kv_heads", kv_heads, f"{state.key('num_key_value_heads')} {kv_heads}"
              if keys.has("num_key_value_heads") else f"num_attention_heads {heads} (mha)")
    head_dim = keys.count("head_dim", "head_dim")
    if head_dim is not None:
        state.put("head_dim", head_dim, f"{state.key('head_dim')} {head_dim}")
    elif family == "gemma3":
        head_dim = _GEMMA3_DEFAULTS["head_dim"]
        state.put("head_dim", head_dim, f"head_dim not given: transformers' Gemma3TextConfig "
                                        f"default {head_dim}")
    else:
        head_dim = hidden // heads
        if head_dim < 1:
            raise keys.error("num_attention_heads", f"expected at most hidden_size {hidden} "
                                                    f"heads, got {heads}")
        if hidden % heads:
            state.warnings.append(f"hidden_size {hidden} is not a multiple of num_attention_heads "
                                  f"{heads}; head_dim is the whole part of the quotient, "
                                  f"{head_dim}, as transformers computes it")
        state.put("head_dim", head_dim, f"{state.key('hidden_size')} {hidden} / "
                                        f"{state.key('num_attention_heads')} {heads} "
                                        "(head_dim not given)")
    v_head_dim = keys.count("v_head_dim", "v_head_dim")
    if v_head_dim is not None and v_head_dim != head_dim:
        state.put("v_head_dim", v_head_dim, f"{state.key('v_head_dim')} {v_head_dim}")
    return _Dims(layers, hidden, heads, kv_heads, head_dim, mla=False)


def _mla(state: _Import, layers: int, hidden: int, heads: int, kv_heads: int | None,
         kv_lora: int) -> _Dims:
    keys = state.keys
    state.put("attention", "mla", f"mla: {state.key('kv_lora_rank')} {kv_lora} is given "
                                  "(multi-head latent attention caches one latent per token)")
    kv = kv_heads if kv_heads is not None else heads
    state.put("kv_heads", kv, f"{state.key('num_key_value_heads')} {kv}" if kv_heads is not None
              else f"num_attention_heads {heads} (num_key_value_heads not given)")
    state.put("kv_lora_rank", kv_lora, f"{state.key('kv_lora_rank')} {kv_lora}")
    rope = keys.count("qk_rope_head_dim", "rope_head_dim")
    nope = keys.count("qk_nope_head_dim", "head_dim")
    index = keys.count("index_head_dim", "index_head_dim")
    if index is not None:  # DeepSeek Sparse Attention (V3.2): its indexer caches keys too
        state.put("index_head_dim", index, f"{state.key('index_head_dim')} {index} (the "
                                           "sparse-attention indexer's key, cached in FP8)")
    if rope is not None:
        state.put("rope_head_dim", rope, f"{state.key('qk_rope_head_dim')} {rope}")
    else:
        state.lack("rope_head_dim", "an MLA config without qk_rope_head_dim; hwspec's MLA "
                                    "KV-cache formula needs it")
    if rope is not None and nope is not None:
        head_dim = nope + rope
        state.put("head_dim", head_dim, f"{state.key('qk_nope_head_dim')} {nope} + "
                                        f"{state.key('qk_rope_head_dim')} {rope} (a query/key "
                                        "head is its non-rotary and rotary parts together)")
    else:
        head_dim = keys.count("head_dim", "head_dim") or max(hidden // heads, 1)
        state.put("head_dim", head_dim, f"{state.key('head_dim')} {head_dim}"
                  if keys.has("head_dim") else f"hidden_size {hidden} / num_attention_heads "
                                               f"{heads} (qk_nope_head_dim not given)")
    v_head_dim = keys.count("v_head_dim", "v_head_dim")
    if v_head_dim is not None:
        state.put("v_head_dim", v_head_dim, f"{state.key('v_head_dim')} {v_head_dim}")
    return _Dims(layers, hidden, heads, kv, head_dim, mla=True)


def _sliding_window(state: _Import, family: str, layers: int) -> None:
    keys = state.keys
    if _chunked(state, layers):
        return
    window = keys.count("sliding_window", "sliding_window")
    layer_types = keys.strings("layer_types")
    if layer_types is not None:
        if len(layer_types) != layers:
            raise keys.error("layer_types", f"expected one entry per layer "
                                            f"(num_hidden_layers {layers}), got "
                                            f"{len(layer_types)}")
        sliding = layer_types.count(_SLIDING)
        others = sorted({kind for kind in layer_types
                         if kind not in (_SLIDING, _FULL, _LINEAR)})
        if others:
            shown = ", ".join(repr(kind) for kind in others)
            state.warnings.append(f"layer_types names layer kinds hwspec's KV-cache formulas do "
                                  f"not model ({shown}); the KV cache is computed as if those "
                                  "layers kept full attention")
        how = (f"{state.key('layer_types')}: {sliding} of {layers} layers are "
               f"{_SLIDING!r}")
        _put_window(state, window, sliding, layers, how)
        return
    if family == "gemma3":
        pattern = keys.integer("sliding_window_pattern", maximum=_bound("layers")[0],
                               plausible="layer pattern")
        source = f"{state.key('sliding_window_pattern')} {pattern}"
        if pattern is None:
            pattern = _GEMMA3_DEFAULTS["sliding_window_pattern"]
            source = (f"sliding_window_pattern not given: transformers' Gemma3TextConfig "
                      f"default {pattern}")
        sliding = sum(1 for index in range(layers) if (index + 1) % pattern)
        how = (f"{source}: every {_ordinal(pattern)} layer attends globally, so {sliding} of "
               f"{layers} layers slide")
        _put_window(state, window, sliding, layers, how)
        return
    use = keys.flag("use_sliding_window")
    if window is not None and use is False:
        state.derivations["_sliding_window_ignored"] = (
            f"{state.key('sliding_window')} {window} is not used: use_sliding_window is false")
        return
    if window is None:
        return
    if use and keys.has("max_window_layers"):
        first = keys.integer("max_window_layers", minimum=0, maximum=_bound("layers")[0],
                             plausible="number of layers") or 0
        sliding = max(layers - first, 0)
        how = (f"use_sliding_window true: layers from {state.key('max_window_layers')} {first} "
               f"on slide, {layers} - {first} = {sliding}")
        _put_window(state, window, sliding, layers, how)
        return
    _put_window(state, window, layers, layers, "every layer (neither layer_types nor a layer "
                                               "pattern limits the window)")


_LINEAR_KEYS = (("linear_num_key_heads", "linear_key_heads"),
                ("linear_num_value_heads", "linear_value_heads"),
                ("linear_key_head_dim", "linear_key_head_dim"),
                ("linear_value_head_dim", "linear_value_head_dim"),
                ("linear_conv_kernel_dim", "linear_conv_kernel"))
"""A hybrid model's linear-attention sizes: config.json key, ModelArch field (Qwen3-Next)."""


def _hybrid(state: _Import, layers: int) -> None:
    """A hybrid model's full-attention layers (``layer_types``, or transformers' rule for
    ``full_attention_interval``: layer i is full when (i + 1) % interval == 0) and the sizes of
    its linear-attention layers' state."""
    keys = state.keys
    layer_types = keys.strings("layer_types")
    if layer_types is not None and _LINEAR in layer_types:
        full = layers - layer_types.count(_LINEAR)
        how = f"{state.key('layer_types')}: {layers - full} of {layers} layers are {_LINEAR!r}"
    else:
        interval = keys.integer("full_attention_interval", maximum=_bound("layers")[0],
                                plausible="layer pattern")
        if interval is None:
            return
        full = layers // interval
        how = (f"{state.key('full_attention_interval')} {interval}: every {_ordinal(interval)} "
               f"layer attends fully, {full} of {layers}")
    state.put("full_attention_layers", full, how)
    for key, field_name in _LINEAR_KEYS:
        value = keys.count(key, field_name)
        if value is not None:
            state.put(field_name, value, f"{state.key(key)} {value}")
        else:
            state.lack(field_name, f"a hybrid model without {key}; the linear layers' state "
                                   "needs it")


def _ordinal(number: int) -> str:
    if number == 1:
        return ""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10,
                                                                                  "th")
    return f"{number}{suffix}"


_NOPE_INTERVAL = 4
"""transformers' Llama 4 default: with ``no_rope_layers`` empty, every 4th layer has no RoPE
and attends over the whole context; the others attend in chunks (configuration_llama4.py)."""


def _chunked(state: _Import, layers: int) -> bool:
    """Llama 4's chunked attention, entered as a window: each chunked layer caches at most one
    ``attention_chunk_size`` chunk. The chunked layers are those ``no_rope_layers`` marks 1
    (they use RoPE), or, with none listed, all but every ``no_rope_layer_interval``-th (4 by
    transformers' default). True when the config is chunked."""
    keys = state.keys
    chunk = keys.count("attention_chunk_size", "sliding_window")
    if chunk is None:
        return False
    marks = keys.integers("no_rope_layers")
    if marks and len(marks) == layers:
        chunked = sum(1 for mark in marks if mark)
        how = (f"{state.key('attention_chunk_size')} {chunk}, on the {chunked} of {layers} layers "
               f"{state.key('no_rope_layers')} marks as RoPE layers")
    else:
        interval = keys.integer("no_rope_layer_interval", maximum=_bound("layers")[0],
                                plausible="layer pattern") or _NOPE_INTERVAL
        chunked = layers - layers // interval
        how = (f"{state.key('attention_chunk_size')} {chunk}: every {_ordinal(interval)} layer "
               f"attends over the whole context (no RoPE), the other {chunked} of {layers} in "
               "chunks, each caching at most one chunk")
    state.put("sliding_window", chunk, f"{state.key('attention_chunk_size')} {chunk} (chunked "
                                       "attention: at most one chunk is cached)")
    state.put("sliding_window_layers", chunked, how)
    return True


def _put_window(state: _Import, window: int | None, sliding: int, layers: int, how: str) -> None:
    if sliding == 0:
        if window is not None:
            state.derivations["_sliding_window_ignored"] = (
                f"{state.key('sliding_window')} {window} is not used: {how}")
        return
    if window is None:
        state.lack("sliding_window", f"{how}, but the config gives no sliding_window size")
        return
    state.put("sliding_window", window, f"{state.key('sliding_window')} {window}")
    state.put("sliding_window_layers", sliding, how)


@frozen
class _Moe:
    """The mixture-of-experts shape: experts per layer and per token, and which key gave them."""

    experts: int
    per_token: int | None
    experts_key: str


def _experts(state: _Import, family: str) -> _Moe | None:
    keys = state.keys
    names = {"mixtral": ("num_local_experts",), "gpt_oss": ("num_local_experts",),
             "qwen3_moe": ("num_experts",), "deepseek": ("n_routed_experts",)}.get(
        family, ("num_local_experts", "num_experts", "n_routed_experts"))
    experts, experts_key = None, names[0]
    for key in names:
        experts = keys.integer(key, minimum=0, maximum=_bound("experts")[0],
                               plausible="number of experts")
        if experts is not None:
            experts_key = key
            break
    if not experts:  # absent, null or 0: a dense model
        return None
    state.put("experts", experts, f"{state.key(experts_key)} {experts}")
    per_token = keys.count("num_experts_per_tok", "experts_per_token")
    other = keys.count("experts_per_token", "experts_per_token")
    source = "num_experts_per_tok"
    if per_token is None and other is not None:
        per_token, source = other, "experts_per_token"
    elif per_token is not None and other is not None and other != per_token:
        state.warnings.append(f"num_experts_per_tok {per_token} and experts_per_token {other} "
                              "differ; hwspec used num_experts_per_tok")
    if per_token is None:
        state.lack("experts_per_token", "the config gives neither num_experts_per_tok nor "
                                        "experts_per_token")
    elif per_token > experts:
        raise keys.error(source, f"expected at most {experts_key} {experts}, got {per_token}")
    else:
        state.put("experts_per_token", per_token, f"{state.key(source)} {per_token}")
    return _Moe(experts, per_token, experts_key)


def _precision(state: _Import) -> None:
    holder = state.either("quantization_config")
    quant = holder.table("quantization_config")
    if quant is not None:
        method = quant.text("quant_method")
        where = quant.path("quant_method")
        if method in ("fp8", "mxfp4"):
            detail = ""
            if method == "fp8":
                parts = [f"fmt {quant.text('fmt')}"] if quant.has("fmt") else []
                if quant.has("weight_block_size"):
                    parts.append(f"weight_block_size {_short(quant.data['weight_block_size'])}")
                detail = f" ({', '.join(parts)})" if parts else ""
            dtype = _dtype_text(state)
            rest = f"; torch_dtype {dtype} is the type of the unquantised tensors" if dtype else ""
            state.put("native_precision", method, f"{where} {method}{detail}{rest}")
            kept = quant.data.get("modules_to_not_convert")
            if method == "mxfp4" and isinstance(kept, list) and kept:
                names = [_short(name) if not isinstance(name, str) else name for name in kept[:6]]
                more = f" and {len(kept) - 6} more" if len(kept) > 6 else ""
                state.warnings.append(
                    f"{quant.path('modules_to_not_convert')} keeps {', '.join(names)}{more} "
                    "unquantised, so the checkpoint holds more than 4.25 bits per parameter on "
                    "average; set workload.bits_per_weight from the file sizes if that matters")
            return
        bits = quant.integer("bits", maximum=64, plausible="weight width")
        if method in ("gptq", "awq") and bits in (4, 8):
            state.put("native_precision", f"int{bits}", f"{where} {method} with "
                                                        f"{quant.path('bits')} {bits}")
            return
        shown = repr(method) if method is not None else "not given"
        state.lack("native_precision", f"the weights are quantised ({where} {shown}) in a way "
                                       "hwspec does not map to a precision; set "
                                       "workload.precision or workload.bits_per_weight by hand")
        return
    dtype = _dtype_text(state)
    if dtype is None:
        state.lack("native_precision", "the config gives neither torch_dtype nor "
                                       "quantization_config")
        return
    precision = _PRECISION_BY_DTYPE.get(dtype)
    if precision is None:
        state.lack("native_precision", f"torch_dtype {dtype!r} is not a precision hwspec knows")
        return
    key = "torch_dtype" if state.either("torch_dtype").has("torch_dtype") else "dtype"
    state.put("native_precision", precision, f"{state.either(key).path(key)} {dtype}")


def _dtype_text(state: _Import) -> str | None:
    for key in ("torch_dtype", "dtype"):
        holder = state.either(key)
        value = holder.text(key)
        if value is not None:
            return value
    return None


def _context(state: _Import, family: str) -> None:
    keys = state.keys
    tokens = keys.count("max_position_embeddings", "max_context_tokens")
    source = f"{state.key('max_position_embeddings')} {tokens}"
    if tokens is None and family == "gemma3":
        tokens = _GEMMA3_DEFAULTS["max_position_embeddings"]
        source = (f"max_position_embeddings not given: transformers' Gemma3TextConfig default "
                  f"{tokens}")
    if tokens is None:
        state.lack("max_context_tokens", "the config gives no max_position_embeddings")
        return
    rope = None
    if isinstance(keys.data.get("rope_scaling"), Mapping):
        rope = keys.table("rope_scaling")
    elif keys.has("rope_scaling"):
        state.warnings.append(f"{state.key('rope_scaling')} is "
                              f"{_describe(keys.data['rope_scaling'])}, not an object; ignored")
    note = ""
    if rope is not None:
        kind = rope.text("rope_type") or rope.text("type")
        factor = rope.number("factor")
        original = rope.integer("original_max_position_embeddings",
                                maximum=_bound("max_context_tokens")[0],
                                plausible="context length")
        parts = [f"rope_scaling {kind}" if kind else "rope_scaling"]
        if factor is not None:
            parts.append(f"factor {factor:g}")
        if original is not None:
            parts.append(f"over original_max_position_embeddings {original}")
        note = " (" + ", ".join(parts) + ")"
        if factor is not None and original is not None and factor * original > tokens * 1.01:
            state.warnings.append(
                f"rope_scaling {kind or ''} factor {factor:g} over {original} tokens reaches "
                f"{factor * original:,.0f} tokens, more than max_position_embeddings {tokens:,}; "
                "max_context_tokens keeps max_position_embeddings (engines differ in which they "
                "allow)")
    state.put("max_context_tokens", tokens, source + note)


# --- parameter counts ----------------------------------------------------------------------------


class _Terms:
    """A sum of named parameter counts, kept so the derivation can show every term."""

    def __init__(self) -> None:
        self.terms: list[tuple[str, int]] = []

    def add(self, label: str, value: int) -> None:
        if value:
            self.terms.append((label, value))

    @property
    def total(self) -> int:
        return sum(value for _, value in self.terms)

    def text(self) -> str:
        return " + ".join(f"{value:,} {label}" for label, value in self.terms)


@frozen
class _Layout:
    """One family's layer layout as parameter counts: what every layer holds and how many
    dense and MoE layers there are."""

    attention: int
    attention_note: str
    norms: int
    dense_layers: int
    dense_mlp: int
    dense_note: str
    moe_layers: int
    expert: int
    expert_note: str
    shared: int
    router: int


def _parameters(state: _Import, family: str, dims: _Dims, moe: _Moe | None) -> None:
    computed = ["params_b"] + (["active_params_b", "expert_params_b"] if moe else [])
    if family == "generic":
        state.missing.extend(computed)
        return
    needs: list[str] = []
    layout = _layout(state, family, dims, moe, needs)
    vocab = state.keys.integer("vocab_size", plausible="vocabulary size")
    vocab_note = f"{state.key('vocab_size')} {vocab}"
    if vocab is None and family == "gemma3":
        vocab = _GEMMA3_DEFAULTS["vocab_size"]
        vocab_note = f"vocab_size {vocab} (transformers' Gemma3TextConfig default)"
    if vocab is None:
        needs.append("vocab_size")
    if layout is None or vocab is None:
        for name in computed:
            state.lack(name, f"config.json lacks {', '.join(dict.fromkeys(needs))}, which the "
                             f"{family} parameter count needs")
        return
    tie = state.either("tie_word_embeddings").flag("tie_word_embeddings")
    tie_note = f"tie_word_embeddings {str(tie).lower()}"
    if tie is None:
        tie = _TIE_DEFAULT[family]
        tie_note = f"tie_word_embeddings not given: the {family} default, {str(tie).lower()}"
    hidden, layers = dims.hidden, dims.layers
    embed = vocab * hidden
    terms = _Terms()
    terms.add(f"embed_tokens ({vocab_note} x hidden_size {hidden})", embed)
    terms.add(f"lm_head ({tie_note})", 0 if tie else embed)
    terms.add(f"attention ({layers} layers x {layout.attention:,}: {layout.attention_note})",
              layers * layout.attention)
    terms.add(f"norms ({layers} layers x {layout.norms // hidden} x {hidden})",
              layers * layout.norms)
    terms.add(f"dense MLPs ({layout.dense_layers} x {layout.dense_mlp:,}: {layout.dense_note})",
              layout.dense_layers * layout.dense_mlp)
    routed = moe.experts * layout.expert if moe else 0
    moe_layer = routed + layout.shared + layout.router
    if moe and layout.moe_layers:
        shared = f" + shared experts {layout.shared:,}" if layout.shared else ""
        terms.add(f"MoE layers ({layout.moe_layers} x {moe_layer:,}: {moe.experts} experts x "
                  f"{layout.expert:,}{shared} + router {layout.router:,})",
                  layout.moe_layers * moe_layer)
    terms.add("final norm", hidden)
    total = terms.total
    maximum = _bound("params_b")[0]
    if total > maximum * 10**9:
        raise ConfigImportError(f"the shapes give {total:.3g} parameters, more than "
                                f"{maximum:,} B (a plausible parameter count)", state.key(
                                    "num_hidden_layers"))
    state.put("params_b", _billions(total),
              f"computed from the shapes (the {family} layout, tensor by tensor): "
              f"{terms.text()} = {total:,}")
    _mtp_warning(state, family, layout, moe_layer, dims)
    towers = [key for key in ("vision_config", "audio_config") if state.top.has(key)]
    if towers:
        state.warnings.append(f"params_b counts the language model only; this checkpoint also "
                              f"holds an encoder ({', '.join(towers)}) whose parameters take "
                              "memory too (Gemma 3's vision tower is about 0.4 B)")
    if moe is None or moe.per_token is None:
        if moe is not None:
            state.lack("active_params_b", "experts_per_token is unknown")
        if moe is not None and layout.moe_layers:
            _expert_params(state, moe, layout)
        return
    idle = layout.moe_layers * (moe.experts - moe.per_token) * layout.expert
    input_embed = 0 if tie else embed
    active = total - input_embed - idle
    state.put("active_params_b", _billions(active),
              f"params {total:,} - embed_tokens {input_embed:,} (a token reads one row of it) - "
              f"routed experts a token skips: {layout.moe_layers} MoE layers x ({moe.experts} - "
              f"{moe.per_token}) x {layout.expert:,} = {active:,}")
    _expert_params(state, moe, layout)


def _expert_params(state: _Import, moe: _Moe, layout: _Layout) -> None:
    total = layout.moe_layers * moe.experts * layout.expert
    if total == 0:
        return
    state.put("expert_params_b", _billions(total),
              f"{layout.moe_layers} MoE layers x {state.key(moe.experts_key)} {moe.experts} x "
              f"{layout.expert:,} ({layout.expert_note}) = {total:,}")


def _billions(count: int) -> float:
    """A parameter count in billions: two decimals from a billion up, four significant digits
    below (a tiny test model stays above zero)."""
    value = count / 1e9
    return round(value, 2) if value >= 1 else float(f"{value:.4g}")


def _layout(state: _Import, family: str, dims: _Dims, moe: _Moe | None,
            needs: list[str]) -> _Layout | None:
    """The family's per-layer parameter counts; None (with the missing keys in ``needs``) when
    the config lacks a shape the count needs."""
    keys = state.keys
    hidden, layers = dims.hidden, dims.layers
    inter = keys.integer("intermediate_size", plausible="MLP width")
    moe_inter = keys.integer("moe_intermediate_size", plausible="MLP width")
    attention, attention_note = _attention_params(state, family, dims, needs)
    norms = (4 if family == "gemma3" else 2) * hidden
    mlp_bias = family == "llama" and bool(keys.flag("mlp_bias"))
    dense = 3 * hidden * inter if inter is not None else 0
    dense += (2 * inter + hidden) if mlp_bias and inter is not None else 0
    dense_note = (f"gate, up and down, 3 x {hidden} x {state.key('intermediate_size')} {inter}"
                  + (" + biases" if mlp_bias else ""))
    moe_flags = _moe_layers(state, family, layers, moe)
    moe_layers = sum(moe_flags)
    dense_layers = layers - moe_layers
    if dense_layers and inter is None:
        needs.append("intermediate_size")
    expert, expert_note, shared, router = 0, "", 0, 0
    if moe is not None and moe_layers:
        experts = moe.experts
        if family in ("mixtral", "gpt_oss"):
            if inter is None:
                needs.append("intermediate_size")
            width, width_key = inter or 0, "intermediate_size"
        else:
            if moe_inter is None:
                needs.append("moe_intermediate_size")
            width, width_key = moe_inter or 0, "moe_intermediate_size"
        expert = 3 * hidden * width
        expert_note = (f"3 x hidden_size {hidden} x {state.key(width_key)} {width}, the gate, up "
                       "and down projections of a gated MLP")
        router = hidden * experts
        if family == "gpt_oss":
            expert += 2 * width + hidden
            expert_note += f" + biases 2 x {width} + {hidden}"
            router += experts
        if family == "deepseek":
            shared_count = keys.integer("n_shared_experts", minimum=0, maximum=_bound("experts")[0],
                                        plausible="number of experts")
            if shared_count is None:
                needs.append("n_shared_experts")
            shared = (shared_count or 0) * 3 * hidden * width
            if keys.text("topk_method") == "noaux_tc":
                router += experts  # e_score_correction_bias
    if needs:
        return None
    return _Layout(attention, attention_note, norms, dense_layers, dense, dense_note, moe_layers,
                   expert, expert_note, shared, router)


def _moe_layers(state: _Import, family: str, layers: int, moe: _Moe | None) -> list[bool]:
    """Which layers hold experts, by each family's rule."""
    keys = state.keys
    if moe is None:
        return [False] * layers
    if family == "deepseek":
        first = keys.integer("first_k_dense_replace", minimum=0, maximum=_bound("layers")[0],
                             plausible="number of layers") or 0
        every = keys.integer("moe_layer_freq", maximum=_bound("layers")[0],
                             plausible="layer pattern") or 1
        return [index >= first and index % every == 0 for index in range(layers)]
    if family == "qwen3_moe":
        step = keys.integer("decoder_sparse_step", maximum=_bound("layers")[0],
                            plausible="layer pattern") or 1
        dense = set(keys.integers("mlp_only_layers") or [])
        return [index not in dense and (index + 1) % step == 0 for index in range(layers)]
    return [True] * layers


def _attention_params(state: _Import, family: str, dims: _Dims,
                      needs: list[str]) -> tuple[int, str]:
    """One layer's attention parameters and how they were counted."""
    keys = state.keys
    hidden, heads, kv, head_dim = dims.hidden, dims.heads, dims.kv_heads, dims.head_dim
    if dims.mla:
        return _mla_params(state, dims, needs)
    query, key_value = heads * head_dim, kv * head_dim
    count = hidden * query + 2 * hidden * key_value + query * hidden
    note = (f"q {hidden} x {query}, k and v {hidden} x {key_value}, o {query} x {hidden}")
    bias = keys.flag("attention_bias")
    qkv_bias = family == "qwen2" or (family in ("llama", "qwen3", "qwen3_moe", "gpt_oss")
                                     and bool(bias))
    o_bias = family in ("llama", "qwen3", "qwen3_moe", "gpt_oss") and bool(bias)
    if qkv_bias:
        count += query + 2 * key_value
        note += ", q/k/v biases"
    if o_bias:
        count += hidden
        note += ", o bias"
    if family in ("qwen3", "qwen3_moe", "gemma3"):
        count += 2 * head_dim
        note += f", q and k norms 2 x {head_dim}"
    if family == "gpt_oss":
        count += heads
        note += f", attention sinks {heads}"
    return count, note


def _mla_params(state: _Import, dims: _Dims, needs: list[str]) -> tuple[int, str]:
    keys = state.keys
    hidden, heads = dims.hidden, dims.heads
    kv_lora = keys.count("kv_lora_rank", "kv_lora_rank") or 0
    rope = keys.count("qk_rope_head_dim", "rope_head_dim")
    nope = keys.count("qk_nope_head_dim", "head_dim")
    v_dim = keys.count("v_head_dim", "v_head_dim")
    for key, value in (("qk_rope_head_dim", rope), ("qk_nope_head_dim", nope),
                       ("v_head_dim", v_dim)):
        if value is None:
            needs.append(key)
    if rope is None or nope is None or v_dim is None:
        return 0, ""
    q_lora = keys.integer("q_lora_rank", plausible="latent rank")
    query = heads * (nope + rope)
    if q_lora is not None:
        q_part = hidden * q_lora + q_lora + q_lora * query
        q_note = f"q_a {hidden} x {q_lora} + norm {q_lora} + q_b {q_lora} x {query}"
    else:
        q_part = hidden * query
        q_note = f"q {hidden} x {query} (q_lora_rank null)"
    kv_part = hidden * (kv_lora + rope) + kv_lora + kv_lora * heads * (nope + v_dim)
    o_part = heads * v_dim * hidden
    count = q_part + kv_part + o_part
    note = (f"MLA: {q_note}, kv_a {hidden} x {kv_lora + rope} + norm {kv_lora} + kv_b {kv_lora} "
            f"x {heads * (nope + v_dim)}, o {heads * v_dim} x {hidden}")
    if keys.flag("attention_bias"):
        count += (q_lora if q_lora is not None else 0) + kv_lora + rope + hidden
        note += ", biases"
    indexer = _indexer_params(state, dims, q_lora, needs)
    if indexer is not None:
        count += indexer[0]
        note += f", {indexer[1]}"
    return count, note


def _indexer_params(state: _Import, dims: _Dims, q_lora: int | None,
                    needs: list[str]) -> tuple[int, str] | None:
    """One layer's DeepSeek Sparse Attention indexer, where the config gives ``index_head_dim``.

    DeepSeek-V3.2-Exp's ``inference/model.py`` (``Indexer``): ``wq_b`` q_lora_rank x
    (index_n_heads x index_head_dim), ``wk`` dim x index_head_dim, ``k_norm`` a LayerNorm
    (weight and bias, index_head_dim each) and ``weights_proj`` dim x index_n_heads, all without
    bias. With ``q_lora_rank`` null the query comes from the hidden state, as the main query does.
    """
    head_dim = state.fields.get("index_head_dim")  # read, and checked, with the architecture
    if head_dim is None:
        return None
    heads = state.keys.count("index_n_heads", "heads")
    if heads is None:
        needs.append("index_n_heads")
        return None
    query_in = q_lora if q_lora is not None else dims.hidden
    count = query_in * heads * head_dim + dims.hidden * head_dim + 2 * head_dim + (
        dims.hidden * heads)
    return count, (f"indexer wq_b {query_in} x {heads * head_dim} + wk {dims.hidden} x {head_dim}"
                   f" + k_norm 2 x {head_dim} + weights_proj {dims.hidden} x {heads}")


def _mtp_warning(state: _Import, family: str, layout: _Layout, moe_layer: int,
                 dims: _Dims) -> None:
    """DeepSeek-V3's checkpoints carry multi-token-prediction layers beyond num_hidden_layers."""
    if family != "deepseek":
        return
    extra = state.keys.integer("num_nextn_predict_layers", minimum=0,
                               maximum=_bound("layers")[0], plausible="number of layers")
    if not extra:
        return
    hidden = dims.hidden
    one = layout.attention + layout.norms + moe_layer + 2 * hidden * hidden + 3 * hidden
    state.warnings.append(
        f"num_nextn_predict_layers {extra}: the checkpoint also holds {extra} multi-token-"
        f"prediction layer(s), about {_billions(extra * one)} B parameters by the same count, "
        "not in params_b (they are not part of the model proper); an engine that uses them for "
        "speculative decoding loads them too")


# --- checking the result -------------------------------------------------------------------------


def _check_fields(state: _Import) -> None:
    """Every field within ModelArch's own checks, so the TOML written from them always loads."""
    try:
        ModelArch(**state.fields)
    except (TypeError, ValueError) as error:
        notes = [note for note in getattr(error, "__notes__", []) if hasattr(note, "name")]
        where = str(notes[0].name) if notes else "a field"
        raise ConfigImportError(f"the value derived for {where} is not one hwspec accepts: "
                                f"{error}") from None


# --- TOML ----------------------------------------------------------------------------------------

def arch_toml(imported: ImportedArch, *, source: str | None = None) -> str:
    """The ``[workload.arch]`` table as commented TOML: a header naming the model type, the
    warnings and what is missing, then each value with its derivation above it.

    The text goes under a spec's ``[workload]`` table (or after it); hwspec loads it back
    unchanged. ``source`` (a path or URL) is named in the header when given. Every comment is
    escaped and every value written by tomli-w (``toml_writer.TomlDocument``): a name, path or
    config.json string cannot add a line to the table.
    """
    from hwspec.toml_writer import TomlDocument

    header = [f"Imported from {source} by `hwspec model import`." if source
              else "Imported from a Hugging Face config.json by `hwspec model import`."]
    kind = imported.model_type or "not given"
    header.append(f"GGUF architecture: {kind}." if imported.family == "gguf"
                  else f"model_type: {kind}; read as the {imported.family} layout.")
    for warning in imported.warnings:
        header.append(f"Warning: {warning}")
    if imported.missing:
        header.append(f"Not in the {'file' if imported.family == 'gguf' else 'config.json'} "
                      "(add by hand if the spec needs them): "
                      + ", ".join(imported.missing) + ".")
    ignored = imported.derivations.get("_sliding_window_ignored")
    if ignored:
        header.append(f"Note: {ignored}.")
    document = TomlDocument()
    document.comment(*header)
    document.heading("workload", "arch")
    order = [a.name for a in attrs.fields(ModelArch)]
    for name in sorted(imported.fields, key=order.index):
        derivation = imported.derivations.get(name)
        if derivation:
            document.comment(derivation)
        document.key(name, imported.fields[name])
    return document.text()
