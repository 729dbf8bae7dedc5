"""``hwspec model import FILE.gguf``: a model's architecture and exact weight bytes from a local
GGUF file's header, read with the ``gguf`` package (the llama.cpp project's reader).

The header is checked before the reader sees it (a regular file, the GGUF magic, a version the
format has, tensor and key counts within bounds), and the reader runs in a child process with a
time and memory limit, so a hostile header costs a bounded few seconds, never a hang. Only the
metadata and the tensor table are read: the weights themselves stay on disk.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import Any

from hwspec.errors import ConfigImportError
from hwspec.tools.hf_config import ImportedArch

MAGIC = b"GGUF"
HEADER = struct.Struct("<4sIQQ")
"""magic, version (uint32), tensor count and metadata key count (uint64), little-endian
(ggml/docs/gguf.md in github.com/ggml-org/llama.cpp)."""

VERSIONS = (2, 3)
MAX_TENSORS = 1_000_000
"""The largest models hold a few thousand tensors per shard."""
MAX_KEYS = 65_536
"""A GGUF file carries a few dozen metadata keys."""
MAX_TEXT = 4096
"""Longest metadata string read (a model name, an architecture)."""
CHILD_SECONDS = 30
CHILD_DATA_BYTES = 2 << 30
"""The reader's heap limit: the file is memory-mapped read-only, which this does not count."""

EXPERT_MARK = "_exps"
"""llama.cpp names routed-expert tensors ffn_gate_exps, ffn_up_exps, ffn_down_exps."""


def is_gguf(path: Path) -> bool:
    """Whether a regular file starts with the GGUF magic (False for anything unreadable)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(4) == MAGIC
    except OSError:
        return False


def check_header(path: Path) -> tuple[int, int, int]:
    """Version, tensor count and key count of a GGUF file, or ``ConfigImportError`` saying why
    the file cannot be one (not a regular file, too short, not GGUF, counts out of bounds)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigImportError("the file does not exist") from None
    except OSError as error:
        raise ConfigImportError(f"the file cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigImportError("the path is not a regular file (a pipe, device or folder)")
    with open(path, "rb") as handle:
        head = handle.read(HEADER.size)
    if head[:4] != MAGIC:
        raise ConfigImportError("not a GGUF file (it does not start with the GGUF magic)")
    if len(head) < HEADER.size:
        raise ConfigImportError(f"the file is {len(head)} bytes: too short for a GGUF header")
    _, version, tensors, keys = HEADER.unpack(head)
    if version not in VERSIONS:
        raise ConfigImportError(f"GGUF version {version}; hwspec reads versions "
                                f"{', '.join(map(str, VERSIONS))}")
    if tensors > MAX_TENSORS or keys > MAX_KEYS:
        raise ConfigImportError(f"the header claims {tensors:,} tensors and {keys:,} metadata "
                                f"keys; hwspec reads at most {MAX_TENSORS:,} and {MAX_KEYS:,}")
    return version, tensors, keys


def import_gguf(path: Path, *, name: str | None = None) -> ImportedArch:
    """The architecture and exact weight bytes of a local GGUF file (or the first shard of a
    split model, whose tensor table covers only that shard: the import says so)."""
    check_header(path)
    read = _read_bounded(path)
    return _arch(read, name)


def _read_bounded(path: Path) -> dict[str, Any]:
    """The metadata and tensor summary, read by the gguf package in a child process with a
    time and heap limit."""
    import multiprocessing

    try:
        import gguf  # noqa: F401  (present before a child is started for it)
    except ImportError:
        raise ConfigImportError("reading GGUF files needs the gguf package: "
                                "pip install 'hwspec[gguf]'") from None
    context: Any = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    parent, child = context.Pipe(duplex=False)
    worker = context.Process(target=_child, args=(str(path), child), daemon=True)
    worker.start()
    child.close()
    try:
        if not parent.poll(CHILD_SECONDS):
            raise ConfigImportError(f"reading the GGUF header took more than {CHILD_SECONDS} s; "
                                    "the file is refused")
        result = parent.recv()
    except EOFError:
        raise ConfigImportError("the GGUF header could not be read (the reader stopped: "
                                "memory limit reached or a malformed file)") from None
    finally:
        worker.kill()
        worker.join()
    if not isinstance(result, dict) or "error" in result:
        reason = result.get("error") if isinstance(result, dict) else "no answer"
        raise ConfigImportError(f"the GGUF header could not be read: {reason}")
    return result


def _child(path: str, pipe: Any) -> None:  # pragma: no cover (runs in the child process)
    import contextlib
    import resource

    with contextlib.suppress(ValueError, OSError):  # a platform without the limit still reads
        resource.setrlimit(resource.RLIMIT_DATA, (CHILD_DATA_BYTES, CHILD_DATA_BYTES))
    try:
        pipe.send(read_gguf(path))
    except Exception as error:  # any failure on a hostile file is a message
        pipe.send({"error": f"{type(error).__name__}: {str(error)[:200]}"})


def read_gguf(path: str) -> dict[str, Any]:
    """The scalar metadata (strings up to MAX_TEXT characters) and the tensor table's totals:
    bytes and elements, all and routed-expert tensors apart."""
    from gguf import GGUFReader, GGUFValueType

    reader = GGUFReader(path, "r")
    meta: dict[str, Any] = {}
    for key, field in reader.fields.items():
        if not field.types or field.types[0] == GGUFValueType.ARRAY:
            continue
        if field.types[0] == GGUFValueType.STRING:
            raw = field.parts[field.data[0]]
            if len(raw) <= MAX_TEXT:
                meta[key] = bytes(raw).decode("utf-8", "replace")
            continue
        meta[key] = field.parts[field.data[0]].tolist()[0]
    totals = {"bytes": 0, "elements": 0, "expert_bytes": 0, "expert_elements": 0, "tensors": 0}
    for tensor in reader.tensors:
        totals["tensors"] += 1
        totals["bytes"] += int(tensor.n_bytes)
        totals["elements"] += int(tensor.n_elements)
        if EXPERT_MARK in tensor.name:
            totals["expert_bytes"] += int(tensor.n_bytes)
            totals["expert_elements"] += int(tensor.n_elements)
    split = meta.get("split.count")
    return {"meta": meta, "totals": totals, "split_count": split}


def _arch(read: dict[str, Any], name: str | None) -> ImportedArch:
    """ModelArch fields from the metadata, each with where it came from."""
    meta, totals = read["meta"], read["totals"]
    arch = meta.get("general.architecture")
    if not isinstance(arch, str):
        raise ConfigImportError("the file has no general.architecture key")
    fields: dict[str, Any] = {}
    how: dict[str, str] = {}

    def put(field: str, key: str, value: Any = None) -> None:
        value = meta.get(f"{arch}.{key}") if value is None else value
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            fields[field] = value
            how.setdefault(field, f"{arch}.{key}")

    model_name = name or meta.get("general.name")
    if isinstance(model_name, str) and model_name:
        fields["name"] = model_name
        how["name"] = "--name" if name else "general.name"
    put("layers", "block_count")
    put("hidden_size", "embedding_length")
    put("heads", "attention.head_count")
    put("kv_heads", "attention.head_count_kv")
    put("head_dim", "attention.key_length")
    value_length = meta.get(f"{arch}.attention.value_length")
    if value_length and value_length != fields.get("head_dim"):
        put("v_head_dim", "attention.value_length")
    put("kv_lora_rank", "attention.kv_lora_rank")
    if "kv_lora_rank" in fields:
        put("rope_head_dim", "rope.dimension_count")
        fields["attention"] = "mla"
        how["attention"] = f"{arch}.attention.kv_lora_rank is present"
    elif "heads" in fields:
        kv = fields.get("kv_heads", fields["heads"])
        fields["attention"] = "gqa" if kv < fields["heads"] else "mha"
        how["attention"] = f"{arch}.attention.head_count_kv against head_count"
    if "head_dim" not in fields and "hidden_size" in fields and "heads" in fields:
        fields["head_dim"] = fields["hidden_size"] // fields["heads"]
        how["head_dim"] = "embedding_length / head_count"
    put("experts", "expert_count")
    put("experts_per_token", "expert_used_count")
    put("sliding_window", "attention.sliding_window")
    put("max_context_tokens", "context_length")
    shard = "" if not read.get("split_count") else (
        f" (this shard's tensors only: the model is split in {read['split_count']} files)")
    if totals["elements"]:
        fields["params_b"] = totals["elements"] / 1e9
        how["params_b"] = f"the tensor table: {totals['elements']:,} weights{shard}"
        fields["weight_bytes"] = totals["bytes"]
        how["weight_bytes"] = (f"the tensor table: {totals['tensors']:,} tensors, "
                               f"{totals['bytes']:,} bytes{shard}")
    if totals["expert_elements"] and "experts" in fields:
        fields["expert_params_b"] = totals["expert_elements"] / 1e9
        how["expert_params_b"] = f"tensors named *{EXPERT_MARK}*: {totals['expert_elements']:,}"
        fields["expert_weight_bytes"] = totals["expert_bytes"]
        how["expert_weight_bytes"] = f"tensors named *{EXPERT_MARK}*: {totals['expert_bytes']:,}"
        used = fields.get("experts_per_token")
        if used:
            active = (totals["elements"] - totals["expert_elements"]
                      + totals["expert_elements"] * used / fields["experts"])
            fields["active_params_b"] = active / 1e9
            how["active_params_b"] = ("the weights outside the routed experts, plus "
                                      "expert_used_count / expert_count of the experts")
    _plausible(fields, how)
    missing = tuple(f for f in ("layers", "heads", "kv_heads", "params_b") if f not in fields)
    warnings = ((f"a split model: only this shard's tensors are counted{shard}",)
                if shard else ())
    return ImportedArch(fields, how, missing, warnings, model_type=arch, family="gguf")


def _plausible(fields: dict[str, Any], how: dict[str, str]) -> None:
    """Refuse metadata no real model has (a head count in the millions), as a spec would: the
    import is meant to be pasted into one."""
    from hwspec.spec.load import structure_problem
    from hwspec.spec.model import ModelArch

    problem = structure_problem(dict(fields), ModelArch)
    if problem is not None:
        key = problem.partition(":")[0]
        source = f" (from {how[key]})" if key in how else ""
        raise ConfigImportError(f"the file's metadata gives {problem}{source}; no real model "
                                "has this, so the file is damaged or not a model's")
