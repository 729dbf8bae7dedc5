"""The launch command: the engine's command line for the placement derive checked."""

from __future__ import annotations

from typing import Any

from tests.conftest import ROOT

import hwspec

ARCH = {"name": "m", "params_b": 100, "layers": 40, "hidden_size": 4096, "attention": "gqa",
        "heads": 32, "kv_heads": 8, "head_dim": 128, "experts": 64, "experts_per_token": 4,
        "expert_params_b": 90}
GPU = [{"part": "nvidia-rtx-5090", "count": 2}]


def _facts(workload: dict[str, Any], **extra: Any) -> hwspec.Facts:
    spec = {"build": {"name": "launched"}, "cpu": {"part": "amd-epyc-9655"},
            "memory": [{"part": "micron-mtc20f2085s1rc64br", "count": 12}],
            "workload": {"precision": "q4_k_m", "context_tokens": 8192, "arch": ARCH,
                         **workload}, **extra}
    facts = hwspec.validate(spec).facts
    assert facts is not None
    return facts


def _command(workload: dict[str, Any], **extra: Any) -> str:
    return str(_facts(workload, **extra)["launch.command"])


def test_a_cpu_build_runs_llama_server_on_its_physical_cores() -> None:
    """Without GPUs, llama.cpp gets the context and the cores, and no -ngl."""
    assert _command({}) == "llama-server -m MODEL.gguf -c 8192 -t 96"


def test_the_model_file_is_a_named_placeholder() -> None:
    """The GGUF path is not known: it is MODEL.gguf, and the placeholder says what it holds."""
    assert _facts({})["launch.placeholders"] == (
        "MODEL.gguf: the path of a GGUF file of m at q4_k_m",)


def test_every_layer_on_the_gpus_needs_no_threads() -> None:
    """A build with GPUs and no offload puts every layer there: -ngl 999, no -t."""
    assert _command({}, gpu=GPU) == "llama-server -m MODEL.gguf -c 8192 -ngl 999"


def test_partial_layers_give_ngl_and_threads() -> None:
    """offload = layers with gpu_layers N is -ngl N, and the CPUs run the rest."""
    assert _command({"offload": "layers", "gpu_layers": 12}, gpu=GPU) == (
        "llama-server -m MODEL.gguf -c 8192 -ngl 12 -t 96")


def test_experts_in_ram_is_an_override_of_the_expert_tensors() -> None:
    """Every layer's experts in system memory is -ot exps=CPU beside -ngl 999."""
    assert _command({"offload": "experts-in-ram"}, gpu=GPU) == (
        "llama-server -m MODEL.gguf -c 8192 -ngl 999 -ot exps=CPU -t 96")


def test_cpu_moe_layers_is_n_cpu_moe_on_llama_cpp() -> None:
    """cpu_moe_layers N is llama.cpp's --n-cpu-moe N."""
    assert "--n-cpu-moe 7" in _command({"cpu_moe_layers": 7, "engine": "llama.cpp"}, gpu=GPU)


def test_ik_llama_cpp_takes_the_same_flags() -> None:
    """ik_llama.cpp takes llama.cpp's --n-cpu-moe and -fa on."""
    assert _command({"cpu_moe_layers": 3, "engine": "ik_llama.cpp", "flash_attention": True},
                    gpu=GPU) == ("llama-server -m MODEL.gguf -c 8192 -ngl 999 --n-cpu-moe 3 -t 96 "
                                 "-fa on")


def test_two_sockets_interleave_under_numactl() -> None:
    """Two sockets interleaved: numactl --interleave=all, --numa distribute, every core."""
    assert _command({}, cpu={"part": "amd-epyc-9655", "count": 2},
                    memory=[{"part": "micron-mtc20f2085s1rc64br", "count": 24}]) == (
        "numactl --interleave=all llama-server -m MODEL.gguf -c 8192 -t 192 --numa distribute")


def test_single_socket_binds_to_one_node_and_its_cores() -> None:
    """single-socket binds CPU and memory to node 0 and runs one socket's cores."""
    assert _command({"numa": "single-socket"}, cpu={"part": "amd-epyc-9655", "count": 2},
                    memory=[{"part": "micron-mtc20f2085s1rc64br", "count": 24}]) == (
        "numactl --cpunodebind=0 --membind=0 llama-server -m MODEL.gguf -c 8192 -t 96 "
        "--numa numactl")


def test_kv_type_flash_attention_and_batch_become_flags() -> None:
    """kv_precision, flash_attention and prefill_batch are -ctk/-ctv, -fa on and -b/-ub."""
    assert _command({"kv_precision": "q8_0", "flash_attention": True, "prefill_batch": 4096}) == (
        "llama-server -m MODEL.gguf -c 8192 -t 96 -ctk q8_0 -ctv q8_0 -fa on -b 4096 -ub 4096")


def test_several_sequences_share_the_servers_context() -> None:
    """batch N: -np N slots and -c the context of all of them."""
    assert _command({"batch": 4}).startswith("llama-server -m MODEL.gguf -c 32768 -np 4 ")


def test_unknown_cores_are_a_named_placeholder() -> None:
    """An inline CPU without cores gives -t THREADS, and says what it stands for."""
    facts = _facts({}, cpu={"name": "Some CPU", "platform": "sp5-turin", "socket": "sp5"})
    assert (str(facts["launch.command"]).endswith("-t THREADS"), facts["launch.placeholders"][1]
            ) == (True, "THREADS: the physical cores of the CPUs that run the model (the spec "
                        "does not give the core count)")


def test_vllm_runs_tensor_parallel_over_every_gpu() -> None:
    """vLLM: vllm serve with the GPU count, the context and its memory share."""
    assert _command({"engine": "vllm", "precision": "fp8"}, gpu=GPU) == (
        "vllm serve MODEL --tensor-parallel-size 2 --max-model-len 8192 "
        "--gpu-memory-utilization 0.9")


def test_ktransformers_gets_its_server_and_shared_cache() -> None:
    """KTransformers: balance_serve with the cores as --cpu_infer and the context as the cache."""
    assert _command({"engine": "ktransformers", "offload": "experts-in-ram"}, gpu=GPU) == (
        "python ktransformers/server/main.py --model_path HF_MODEL_DIR --gguf_path GGUF_DIR "
        "--optimize_config_path RULES.yaml --cpu_infer 96 --cache_lens 8192 --max_batch_size 1 "
        "--backend_type balance_serve")


def test_mlx_serves_the_model_by_name() -> None:
    """MLX: mlx_lm.server with the model, and a note that it takes no context length."""
    facts = hwspec.validate({
        "build": {"name": "mac"}, "system": {"part": "apple-mac-studio-m3-ultra-512gb"},
        "workload": {"precision": "q4_k_m", "context_tokens": 8192, "arch": ARCH,
                     "engine": "mlx"}}).facts
    assert facts is not None
    assert (facts["launch.command"], facts["launch.engine"]) == (
        "mlx_lm.server --model MODEL", "mlx")


def test_no_model_no_command() -> None:
    """A spec without a model has no launch command."""
    facts = hwspec.validate({"build": {"name": "bare"}, "cpu": {"part": "amd-epyc-9655"}}).facts
    assert facts is not None
    assert facts.get("launch.command") is None


def test_a_raised_gpu_share_comes_first_as_a_note() -> None:
    """Where a [system]'s GPU share must be raised, the notes say to run the setting first."""
    facts = hwspec.validate(hwspec.load(ROOT / "docs" / "examples" / "strix-halo-q8.toml")).facts
    assert facts is not None
    assert facts["launch.notes"] == (
        "first: the Linux kernel parameters amdgpu.gttsize=85229 ttm.pages_limit=21818624",)


def test_vllm_offloads_the_weights_in_system_memory() -> None:
    """Weights placed in system memory under vLLM are its --cpu-offload-gb, per GPU."""
    command = _command({"engine": "vllm", "offload": "layers", "gpu_layers": 10}, gpu=GPU)
    assert "--cpu-offload-gb" in command.split()


def test_replicate_per_socket_is_a_note_on_llama_cpp() -> None:
    """llama.cpp cannot replicate the weights per socket: a note says so."""
    facts = _facts({"numa": "replicate-per-socket"}, cpu={"part": "amd-epyc-9655", "count": 2},
                   memory=[{"part": "micron-mtc20f2085s1rc64br", "count": 24}])
    assert facts["launch.notes"] == (
        "llama.cpp keeps one copy of the weights: replicate-per-socket is KTransformers' (built "
        "with USE_NUMA=1); the command interleaves them",)


def test_a_quantised_kv_cache_turns_flash_attention_on() -> None:
    """llama.cpp quantises the V cache only with flash attention: a q8_0 cache with no
    flash_attention setting launches with -fa on, as fit's KV-cache advice says."""
    assert _command({"kv_precision": "q8_0"}).endswith("-ctk q8_0 -ctv q8_0 -fa on")


def test_a_quantised_kv_cache_with_flash_attention_off_is_noted() -> None:
    """flash_attention = false beside a q4_0 cache keeps -fa off as asked and says the engine
    will refuse the quantised V cache."""
    facts = _facts({"kv_precision": "q4_0", "flash_attention": False})

    assert (str(facts["launch.command"]).endswith("-fa off"),
            any("refuse -ctv q4_0" in note for note in facts["launch.notes"])) == (True, True)
