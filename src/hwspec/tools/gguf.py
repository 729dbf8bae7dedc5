"""``hwspec model import FILE.gguf``: a model's architecture and exact weight bytes from a local
GGUF file's header, read by a bounded reader of the format with the ``gguf`` package's table of
tensor types (the llama.cpp project's).

The header is checked before anything else is read (a regular file, the GGUF magic, a version
the format has, tensor and key counts within bounds); arrays (a tokenizer's vocabulary) are
stepped over, never kept, and every length is checked against the file's end before it is used.
The reader runs in a child process with a time and memory limit as well, so a hostile header
costs a bounded few seconds, never a hang. Only the metadata and the tensor table are read: the
weights themselves stay on disk.
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
MAX_TENSORS = 65_536
"""The largest models hold a few thousand tensors per shard (DeepSeek-V3: 1,025)."""
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
    """The metadata and tensor summary, read by the bounded reader in a child process with a
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
    except ValueError as error:  # the reader's own words about the file
        pipe.send({"error": str(error)[:300]})
    except Exception as error:  # any failure on a hostile file is a message
        pipe.send({"error": f"{type(error).__name__}: {str(error)[:200]}"})


SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q",
           12: "d"}
"""GGUF metadata value types of a fixed size, by type number, as ``struct`` formats."""
STRING, ARRAY = 8, 9
MAX_ARRAY_ELEMENTS = 1_000_000
"""Most string (or nested) array elements the reader steps over in one file: a tokenizer's
vocabulary holds up to a few hundred thousand. Arrays of numbers are skipped in one step,
whatever their length; no array is ever read into memory."""
MAX_KEY_BYTES = 65_536
"""Longest metadata key or tensor name: real ones are a few dozen bytes."""
MAX_DIMS = 4
"""GGML_MAX_DIMS: a tensor has at most four dimensions."""


class _Cursor:
    """Reads little-endian GGUF fields from a memory-mapped file; reading past the end is a
    ``ValueError`` naming what was being read."""

    def __init__(self, data: Any, offset: int) -> None:
        self.data, self.offset, self.end = data, offset, len(data)

    def unpack(self, fmt: str, what: str) -> Any:
        size = struct.calcsize("<" + fmt)
        if self.offset + size > self.end:
            raise ValueError(f"the file ends inside {what}")
        (value,) = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += size
        return value

    def skip(self, size: int, what: str) -> None:
        if self.offset + size > self.end:
            raise ValueError(f"the file ends inside {what} ({size:,} bytes claimed)")
        self.offset += size

    def text(self, what: str, limit: int | None = None) -> str | None:
        """A string; None (and skipped) when it is longer than ``limit``."""
        size = self.unpack("Q", what)
        if limit is not None and size > limit:
            self.skip(size, what)
            return None
        start = self.offset
        self.skip(size, what)
        return bytes(self.data[start:self.offset]).decode("utf-8", "replace")


def read_gguf(path: str) -> dict[str, Any]:
    """The scalar metadata (strings up to MAX_TEXT characters) and the tensor table's totals:
    bytes and elements, all and routed-expert tensors apart.

    A bounded reader of the format (ggml/docs/gguf.md): counts are checked before the entries
    they count are read, arrays are stepped over (in one step for numbers) and never kept, and
    every length is checked against the file's end before it is used."""
    import mmap

    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if len(data) < HEADER.size:
            raise ValueError("the file is too short for a GGUF header")
        _, _, tensors, keys = HEADER.unpack_from(data, 0)
        if tensors > MAX_TENSORS or keys > MAX_KEYS:
            raise ValueError(f"{tensors:,} tensors and {keys:,} keys; at most {MAX_TENSORS:,} "
                             f"and {MAX_KEYS:,}")
        cursor = _Cursor(data, HEADER.size)
        meta: dict[str, Any] = {}
        budget = [MAX_ARRAY_ELEMENTS]
        for _ in range(keys):
            key = cursor.text("a metadata key", MAX_KEY_BYTES)
            if key is None:
                raise ValueError(f"a metadata key longer than {MAX_KEY_BYTES:,} bytes")
            kind = cursor.unpack("I", f"the type of {key}")
            value = _value(cursor, kind, key, budget)
            if value is not None:
                meta[key] = value
        totals = {"bytes": 0, "elements": 0, "expert_bytes": 0, "expert_elements": 0,
                  "tensors": 0}
        for _ in range(tensors):
            name = cursor.text("a tensor name", MAX_KEY_BYTES)
            if name is None:
                raise ValueError(f"a tensor name longer than {MAX_KEY_BYTES:,} bytes")
            dims = cursor.unpack("I", f"tensor {name}")
            if dims > MAX_DIMS:
                raise ValueError(f"tensor {name[:80]} has {dims:,} dimensions; GGUF allows "
                                 f"{MAX_DIMS}")
            elements = 1
            for _ in range(dims):
                elements *= cursor.unpack("Q", f"tensor {name}")
            ggml_type = cursor.unpack("I", f"tensor {name}")
            cursor.unpack("Q", f"tensor {name}")  # the offset of its data
            try:
                block, size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
            except (ValueError, KeyError):
                raise ValueError(f"tensor {name[:80]} has an unknown type {ggml_type}") from None
            n_bytes = elements * size // block
            totals["tensors"] += 1
            totals["bytes"] += n_bytes
            totals["elements"] += elements
            if EXPERT_MARK in name:
                totals["expert_bytes"] += n_bytes
                totals["expert_elements"] += elements
    split = meta.get("split.count")
    return {"meta": meta, "totals": totals, "split_count": split}


def _value(cursor: _Cursor, kind: int, key: str, budget: list[int]) -> Any:
    """One metadata value: a scalar, or a string up to MAX_TEXT; None for an array (stepped
    over) or a longer string."""
    if kind in SCALARS:
        return cursor.unpack(SCALARS[kind], key)
    if kind == STRING:
        return cursor.text(key, MAX_TEXT)
    if kind != ARRAY:
        raise ValueError(f"{key[:80]} has an unknown value type {kind}")
    item, count = cursor.unpack("I", key), cursor.unpack("Q", key)
    if item in SCALARS:
        cursor.skip(count * struct.calcsize("<" + SCALARS[item]), key)
        return None
    if count > budget[0]:
        raise ValueError(f"{key[:80]} is an array of {count:,} elements; hwspec steps over at "
                         f"most {MAX_ARRAY_ELEMENTS:,} in one file")
    budget[0] -= count
    for _ in range(count):
        if item == STRING:
            cursor.skip(cursor.unpack("Q", key), key)
        else:
            _value(cursor, item, key, budget)
    return None


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
