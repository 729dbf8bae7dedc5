"""The launch command: the command line that runs, on the engine the workload names, exactly the
placement the other topics derived (context, layers on the GPUs, experts in system memory, NUMA
placement, KV-cache type, flash attention, prompt batch, tensor parallelism).

Every flag is read from the engine's own documentation, at the version named here:

- llama.cpp: ``tools/server/README.md`` (generated from ``common/arg.cpp``) at commit 00dc805
  (github.com/ggml-org/llama.cpp): ``-m``, ``-c``, ``-np``, ``-ngl``, ``-ot``,
  ``--n-cpu-moe``, ``-sm``, ``-t``, ``--numa distribute|isolate|numactl``, ``-ctk``/``-ctv``,
  ``-fa on|off`` (a value since the 2025 builds; before, a bare switch), ``-b``/``-ub``.
- ik_llama.cpp (github.com/ikawrakow/ik_llama.cpp, ``common/common.cpp`` at commit 8337e4c,
  August 2026): the same names, ``-fa on|off`` and ``--n-cpu-moe N`` included.
- vLLM (docs.vllm.ai, "Engine Arguments", v0.8.1): ``vllm serve MODEL --tensor-parallel-size``,
  ``--pipeline-parallel-size``, ``--max-model-len``, ``--gpu-memory-utilization``,
  ``--max-num-seqs``, ``--kv-cache-dtype``, ``--cpu-offload-gb``.
- SGLang (docs.sglang.io, "Server Arguments", as published in 2026): ``python -m
  sglang.launch_server --model-path --tp --context-length --mem-fraction-static``.
- KTransformers v0.2.4 (github.com/kvcache-ai/ktransformers, ``doc/en/balance-serve.md``):
  ``ktransformers/server/main.py --model_path --gguf_path --optimize_config_path --cpu_infer
  --cache_lens --max_batch_size --backend_type balance_serve``.
- MLX (github.com/ml-explore/mlx-lm, ``mlx_lm/SERVER.md`` at commit 0482ae4): ``mlx_lm.server
  --model MODEL``.

An input the command needs and the spec cannot give (the model file's path, a thread count the
spec does not know) is a placeholder in capitals, named in ``launch.placeholders`` with what it
stands for: never guessed.
"""

from __future__ import annotations

import math
import shlex
from typing import Any

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.resolve import Build

DEFAULT_ENGINE = "llama.cpp"
"""The engine a workload that names none is launched on: the one the decode figures assume."""

ALL_LAYERS = 999
"""``-ngl`` for every layer: any number above the model's layer count puts every layer, and the
output layer, on the GPUs (``all`` is accepted by new llama.cpp builds only)."""

SOURCES = {
    "llama.cpp": "ggml-org/llama.cpp tools/server/README.md, commit 00dc805",
    "ik_llama.cpp": "ikawrakow/ik_llama.cpp common/common.cpp, commit 8337e4c",
    "vllm": "docs.vllm.ai engine arguments, vLLM 0.8.1",
    "sglang": "docs.sglang.io server arguments, as published in 2026",
    "ktransformers": "kvcache-ai/ktransformers doc/en/balance-serve.md, v0.2.4",
    "mlx": "ml-explore/mlx-lm mlx_lm/SERVER.md, commit 0482ae4",
}
"""Where each engine's flags are read from, with the version they apply to."""

FACTS = declared("launch")

READS = frozenset({
    "workload.context_tokens", "workload.batch", "workload.precision", "workload.offload",
    "workload.gpu_layers", "workload.cpu_moe_layers", "workload.numa", "workload.gpu_split",
    "workload.device", "gpu.count", "cpu.count", "cpu.cores", "model.name",
    "model.ram_weights_gib", "system.gpu_memory_setting",
})


class _Command:
    """A command line being built: its words, its placeholders and its notes."""

    def __init__(self, *words: str) -> None:
        self.words = list(words)
        self.placeholders: list[str] = []
        self.notes: list[str] = []

    def add(self, *words: object) -> None:
        self.words.extend(str(w) for w in words)

    def placeholder(self, name: str, means: str) -> str:
        if not any(p.startswith(name + ":") for p in self.placeholders):
            self.placeholders.append(f"{name}: {means}")
        return name

    def text(self) -> str:
        return " ".join(shlex.quote(w) for w in self.words)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _what(got: Inputs) -> str:
    """The model and precision a file must hold: 'DeepSeek-R1 at q4_k_m'."""
    name = got.get("model.name") or "the model"
    precision = got.get("workload.precision")
    return f"{name} at {precision}" if precision else str(name)


def _threads(build: Build, got: Inputs, cmd: _Command) -> str:
    """Physical cores of the CPUs that run the model (one socket's under single-socket), or a
    placeholder where the spec does not give the cores."""
    cores, count = _int(got.get("cpu.cores")), _int(got.get("cpu.count")) or 1
    if cores is None and build.system is not None:
        cores, count = build.system.cpu_cores, 1
    if cores is None:
        return cmd.placeholder("THREADS", "the physical cores of the CPUs that run the model "
                                          "(the spec does not give the core count)")
    return str(cores if got.get("workload.numa") == "single-socket" else cores * count)


def _ngl(build: Build, got: Inputs) -> int | None:
    """-ngl: the layers on the GPUs; None where the build has no GPU to offload to."""
    if build.system is not None:
        return 0 if got.get("workload.device") == "cpu" else ALL_LAYERS
    if not _int(got.get("gpu.count")):
        return None
    offload = got.get("workload.offload")
    if offload == "none":
        return 0
    layers = _int(got.get("workload.gpu_layers"))
    model_layers = build.model.layers if build.model is not None else None
    if offload == "experts-in-ram" or layers is None or (
            model_layers is not None and layers >= model_layers):
        return ALL_LAYERS
    return layers


def _all_on_gpu(build: Build, got: Inputs, ngl: int | None) -> bool:
    return ngl == ALL_LAYERS and got.get("workload.offload") != "experts-in-ram" and (
        build.system is None or got.get("workload.device") != "cpu")


def _llama(build: Build, got: Inputs, engine: str) -> _Command:
    """llama-server with the placement's flags (llama.cpp and ik_llama.cpp)."""
    cmd = _Command()
    workload = build.workload
    assert workload is not None
    numa, sockets = got.get("workload.numa"), _int(got.get("cpu.count")) or 1
    if sockets > 1 and numa == "single-socket":
        cmd.add("numactl", "--cpunodebind=0", "--membind=0")
    elif sockets > 1 and numa == "interleave":
        cmd.add("numactl", "--interleave=all")
    cmd.add("llama-server", "-m", cmd.placeholder(
        "MODEL.gguf", f"the path of a GGUF file of {_what(got)}"))
    context, batch = _int(got.get("workload.context_tokens")), _int(got.get("workload.batch")) or 1
    if context is not None:
        # The server divides -c among its -np slots: each sequence gets its context.
        cmd.add("-c", context * batch)
    if batch > 1:
        cmd.add("-np", batch)
    ngl = _ngl(build, got)
    if ngl is not None:
        cmd.add("-ngl", ngl)
    if got.get("workload.offload") == "experts-in-ram" and ngl:
        moe = _int(got.get("workload.cpu_moe_layers"))
        if moe is None:
            cmd.add("-ot", "exps=CPU")
        else:
            cmd.add("--n-cpu-moe", moe)
    if _int(got.get("gpu.count")) and (_int(got.get("gpu.count")) or 0) > 1 and got.get(
            "workload.gpu_split") == "tensor":
        cmd.add("-sm", "row")
    if not _all_on_gpu(build, got, ngl):
        cmd.add("-t", _threads(build, got, cmd))
    if sockets > 1 and numa == "single-socket":
        cmd.add("--numa", "numactl")
    elif sockets > 1 and numa == "interleave":
        cmd.add("--numa", "distribute")
    elif sockets > 1 and numa == "replicate-per-socket":
        cmd.notes.append(f"{engine} keeps one copy of the weights: replicate-per-socket is "
                         "KTransformers' (built with USE_NUMA=1); the command interleaves them")
        cmd.add("--numa", "distribute")
    kv = workload.kv_precision
    quantised = kv is not None and kv != "f16"
    if quantised:
        cmd.add("-ctk", kv, "-ctv", kv)
    if quantised and workload.flash_attention is None:
        # The engine quantises V only with flash attention on: say so rather than leave it to
        # the build's default (off before the 2025 builds' "auto").
        cmd.add("-fa", "on")
    elif workload.flash_attention is not None:
        cmd.add("-fa", "on" if workload.flash_attention else "off")
    if quantised and workload.flash_attention is False:
        cmd.notes.append(f"{engine} quantises the V cache only with flash attention on; "
                         f"flash_attention = false makes it refuse -ctv {kv}")
    if workload.prefill_batch is not None:
        cmd.add("-b", workload.prefill_batch, "-ub", workload.prefill_batch)
    return cmd


def _vllm(build: Build, got: Inputs, engine: str) -> _Command:
    """vllm serve, or SGLang's launch_server, over the GPUs."""
    workload = build.workload
    assert workload is not None
    gpus = _int(got.get("gpu.count")) or 1
    context, batch = _int(got.get("workload.context_tokens")), _int(got.get("workload.batch")) or 1
    share = workload.gpu_memory_utilization
    if engine == "sglang":
        cmd = _Command("python", "-m", "sglang.launch_server", "--model-path")
        cmd.add(cmd.placeholder("MODEL", f"the Hugging Face repository or folder of {_what(got)}"))
        cmd.add("--tp", gpus)
        if context is not None:
            cmd.add("--context-length", context)
        if share is not None:
            cmd.add("--mem-fraction-static", share)
        return cmd
    cmd = _Command("vllm", "serve")
    cmd.add(cmd.placeholder("MODEL", f"the Hugging Face repository or folder of {_what(got)}"))
    if got.get("workload.gpu_split") == "layers" and gpus > 1:
        cmd.add("--pipeline-parallel-size", gpus)
    else:
        cmd.add("--tensor-parallel-size", gpus)
    if context is not None:
        cmd.add("--max-model-len", context)
    cmd.add("--gpu-memory-utilization", share if share is not None else 0.9)
    if batch > 1:
        cmd.add("--max-num-seqs", batch)
    if workload.kv_precision == "fp8":
        cmd.add("--kv-cache-dtype", "fp8")
    ram = got.get("model.ram_weights_gib")
    if isinstance(ram, int | float) and ram > 0:
        cmd.add("--cpu-offload-gb", math.ceil(ram * 2**30 / 1e9 / gpus))
    return cmd


def _ktransformers(build: Build, got: Inputs, _: str) -> _Command:
    """KTransformers' balance_serve server: experts on the CPUs, the rest on the GPU."""
    cmd = _Command("python", "ktransformers/server/main.py", "--model_path")
    cmd.add(cmd.placeholder("HF_MODEL_DIR", f"a folder with the config.json and tokenizer of "
                                            f"{got.get('model.name') or 'the model'}"))
    cmd.add("--gguf_path", cmd.placeholder("GGUF_DIR", f"a folder of GGUF files of {_what(got)}"))
    cmd.add("--optimize_config_path", cmd.placeholder(
        "RULES.yaml", "the model's rule file in ktransformers/optimize/optimize_rules"))
    cmd.add("--cpu_infer", _threads(build, got, cmd))
    context, batch = _int(got.get("workload.context_tokens")), _int(got.get("workload.batch")) or 1
    if context is not None:
        # --cache_lens is the KV cache every request shares.
        cmd.add("--cache_lens", context * batch)
    cmd.add("--max_batch_size", batch, "--backend_type", "balance_serve")
    return cmd


def _mlx(_: Build, got: Inputs, __: str) -> _Command:
    """mlx_lm.server: the model on the Mac's GPU; the context grows with each request."""
    cmd = _Command("mlx_lm.server", "--model")
    cmd.add(cmd.placeholder("MODEL", f"the Hugging Face repository or folder of an MLX "
                                     f"conversion of {_what(got)}"))
    cmd.notes.append("mlx_lm.server takes no context length: the KV cache grows with each "
                     "request, up to the context checked")
    return cmd


BUILDERS = {"llama.cpp": _llama, "ik_llama.cpp": _llama, "vllm": _vllm, "sglang": _vllm,
            "ktransformers": _ktransformers, "mlx": _mlx}


def compute(build: Build, got: Inputs) -> Produced:
    """The launch command of a workload with a model, on its engine."""
    if build.workload is None or build.model is None:
        return Produced({})
    engine = build.workload.engine or DEFAULT_ENGINE
    cmd = BUILDERS[engine](build, got, engine)
    setting = got.get("system.gpu_memory_setting")
    if isinstance(setting, str):
        cmd.notes.insert(0, f"first: {setting}")
    return Produced({
        "launch.engine": engine,
        "launch.command": cmd.text(),
        "launch.placeholders": tuple(cmd.placeholders),
        "launch.notes": tuple(cmd.notes),
        "launch.source": SOURCES[engine],
    })


TOPIC = Topic("launch", FACTS, compute, READS)
