"""Prefill: the compute bound on prompt processing, from each device's peak rate and the
parameters it holds, or under llama.cpp's offload the PCIe link the weights cross per batch; the
speed to expect (the rate the engine's kernels run at x the efficiency its class of engine and
device reaches in public measurements); and the time to first token of a prompt."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from attrs import frozen

from hwspec import formulas as f
from hwspec.facts.record import Inputs, Produced, Topic, TopicWorkings, Working, declared, number
from hwspec.resolve import Build

FACTS = declared("prefill")

READS = frozenset({
    "model.ram_active_params_b", "model.gpu_active_params_b", "model.weights_gib",
    "model.gpu_weights_gib", "workload.numa", "workload.device", "workload.offload",
    "workload.engine", "system.gpu_fp16_tflops", "workload.gpu_split",
    "workload.context_tokens", "workload.precision", "model.bits_per_weight",
    "gpu.pcie_link_gbs", "gpu.pcie_link_basis", "model.params_b", "model.active_params_b",
})

LABEL = "prefill bound"
EXPECTED_LABEL = "prefill, expected"

OP_OFFLOAD_ENGINES = ("llama.cpp", "ik_llama.cpp", None)
"""Engines whose GPU backend computes large batches itself, copying weights kept in system
memory over PCIe (llama.cpp's op offload; none named counts as llama.cpp)."""

GGUF_ENGINES = ("llama.cpp", "ik_llama.cpp", "ktransformers", None)
"""Engines that multiply GGUF-quantised weights with int8 dot products: llama.cpp's CPU
kernels quantise the activations to q8 and run ``ggml_vec_dot`` (AVX-512 VNNI / AVX-VNNI, AMX
INT8 in ggml-cpu/amx), its CUDA backend the MMQ kernels on the int8 tensor cores
(ggml-cuda/mmq.cuh); ik_llama.cpp's repacked _R4 types and KTransformers' llamafile kernels
likewise."""

FP16_ACC16_ENGINES = ("llama.cpp", "ik_llama.cpp", None)
"""Engines whose CUDA backend multiplies F16 weights through cuBLAS with FP16 accumulation
(``CUBLAS_COMPUTE_16F`` in ggml-cuda's ``ggml_cuda_op_mul_mat_cublas``), the rate GeForce cards
run at twice their FP32-accumulate one."""

CPU_EXPERT_ENGINES = ("ik_llama.cpp",)
"""Engines that compute the routed experts kept in system memory on the CPU with experts in
RAM: ik_llama.cpp repacks them (-rtr, or _R4 files) into layouts only its CPU kernels read, so
its CUDA backend cannot take them (github.com/ikawrakow/ik_llama.cpp/discussions/258, the
hybrid recipe its README points to)."""


@frozen
class _Rates:
    """The devices' rates in TFLOPS: the peak the bound takes and what the engine's kernels are
    compared with (None where unknown)."""

    cpu_peak: float | None
    cpu_vector: float | None
    cpu_kernel: float | None
    """The CPUs' rate on their vector units for the workload's weights, which the expected
    figure's efficiencies were measured on: INT8 dot products (VNNI) for integer-quantised
    weights where the core's INT8 rate is known, else FP32."""
    gpu_sum: float | None
    """The GPUs' FP16 tensor rate, which the expected figure's efficiencies were measured on."""
    gpu_peak: float | None
    """The GPUs' fastest rate for the workload's weights, which the bound takes."""
    gpu_turns: float | None
    """The GPUs' rate as a prompt sees it under the split: one card's under a layer split of
    like cards, their sum under tensor parallelism."""


def compute(build: Build, got: Inputs) -> Produced:
    """The compute rates of the CPUs and GPUs, the prefill bound they (or the PCIe link) set, the
    speed to expect and the time to first token."""
    values: dict[str, Any] = {}
    rates = _rates(build, got, values)
    _prompt(build, got, values)
    ram_b, gpu_b = got.get("model.ram_active_params_b"), got.get("model.gpu_active_params_b")
    cpu_rate, gpu_rate = rates.cpu_peak, rates.gpu_peak
    on_system_gpu = build.system is not None and got.get("workload.device") == "gpu"
    if on_system_gpu:
        # Unified memory: what the workload reads from system memory, the integrated GPU
        # computes.
        cpu_rate = got.get("system.gpu_fp16_tflops")
    link = got.get("gpu.pcie_link_gbs")
    engine, offload = got.get("workload.engine"), got.get("workload.offload")
    if ram_b and offload in ("layers", "experts-in-ram") and engine in OP_OFFLOAD_ENGINES and not (
            engine in CPU_EXPERT_ENGINES and offload == "experts-in-ram"):
        return _finish(values, _offload_prefill(build, got, values, ram_b + (gpu_b or 0.0),
                                                rates, link))
    if ram_b is None or gpu_b is None:
        return Produced(values)  # no model placement: the model's own findings say why
    if (ram_b and cpu_rate is None) or (gpu_b and gpu_rate is None):
        values["prefill.basis"] = "unknown: " + _missing_rate(
            build, bool(ram_b and cpu_rate is None), on_system_gpu)
        return Produced(values)
    bound = values["prefill.tokens_per_s_max"] = f.prefill_tokens_per_s_max(
        [(ram_b, cpu_rate or 1.0), (gpu_b, gpu_rate or 1.0)])
    values["prefill.basis"] = "compute: each device runs the weights it holds"
    workings: TopicWorkings = {}
    if engine in CPU_EXPERT_ENGINES and offload == "experts-in-ram" and gpu_b and link:
        # The engine may also run unrepacked experts as llama.cpp does: the bound takes the
        # faster of the two ways.
        copy = _offload_prefill(build, got, {}, ram_b + gpu_b, rates, link)
        values["prefill.link_tokens_per_s_max"] = copy.values.get("prefill.link_tokens_per_s_max")
        other = copy.values.get("prefill.tokens_per_s_max")
        if isinstance(other, float) and other > bound:
            bound = values["prefill.tokens_per_s_max"] = other
            workings.update(copy.workings)
    # Every device holding weights has its rate here (the return above), so the bound has a
    # working wherever a device holds any; it is written out when a view reads it.
    if (ram_b or gpu_b) and not workings:
        workings["prefill.tokens_per_s_max"] = partial(
            _bound_working, ram_b, cpu_rate, gpu_b, gpu_rate, bound)
    _expected_compute(build, got, values, workings, ram_b, gpu_b, rates,
                      cpu_rate if on_system_gpu else None)
    return _finish(values, Produced(values, workings))


def integer_weights(engine: str | None, precision: str | None, bits: float | None) -> bool:
    """Whether the engine multiplies the weights with int8 dot products: int8 and int4 on any
    engine, and every GGUF quantisation (any precision narrower than 16 bits) on the engines of
    ``GGUF_ENGINES``."""
    if precision in ("int8", "int4"):
        return True
    if engine not in GGUF_ENGINES or precision in ("fp32", "bf16", "fp16"):
        return False
    return bits is not None and bits < 16


def _rates(build: Build, got: Inputs, values: dict[str, Any]) -> _Rates:
    cpu, platform = build.cpu, build.platform
    cpu_peak = cpu_vector = cpu_kernel = None
    engine, precision = got.get("workload.engine"), got.get("workload.precision")
    integer = integer_weights(engine, precision, got.get("model.bits_per_weight"))
    if cpu is not None and cpu.cores and cpu.base_ghz:
        vector = cpu.vector_flops_per_cycle or (
            platform.vector_flops_per_cycle if platform is not None else None)
        matrix = cpu.matrix_flops_per_cycle or (
            platform.matrix_flops_per_cycle if platform is not None else None)
        int8 = (cpu.int8_ops_per_cycle or (
            platform.int8_ops_per_cycle if platform is not None else None)) if integer else None
        sockets = 1 if got.get("workload.numa") == "single-socket" else cpu.count
        per_cycle = max((x for x in (vector, matrix, int8) if x), default=None)
        if per_cycle is not None:
            cpu_peak = values["cpu.peak_tflops"] = f.cpu_peak_tflops(
                sockets * cpu.cores, cpu.base_ghz, per_cycle)
        if vector:
            cpu_vector = values["cpu.vector_tflops"] = f.cpu_peak_tflops(
                sockets * cpu.cores, cpu.base_ghz, vector)
            cpu_kernel = f.cpu_peak_tflops(sockets * cpu.cores, cpu.base_ghz,
                                           f.cpu_kernel_ops_per_cycle(vector, int8))
    elif build.system is not None and build.system.cpu_fp32_tflops:
        # A machine sold whole states its CPU cores' rate as one figure.
        cpu_peak = cpu_vector = cpu_kernel = values["cpu.peak_tflops"] = values[
            "cpu.vector_tflops"] = build.system.cpu_fp32_tflops
    gpu_sum = gpu_turns = gpu_peak = None
    if build.gpu and all(g.fp16_tensor_tflops is not None for g in build.gpu):
        gpu_sum = values["gpu.fp16_tflops"] = sum(
            g.count * (g.fp16_tensor_tflops or 0) for g in build.gpu)
        acc16 = engine in FP16_ACC16_ENGINES and precision != "bf16"
        gpu_peak = values["gpu.peak_tflops"] = f.prefill_peak_tflops(
            [(g.count, g.fp16_tensor_tflops or 0.0,
              g.fp16_acc16_tensor_tflops if acc16 else None,
              g.int8_tensor_tops if integer else None) for g in build.gpu])
        if got.get("workload.gpu_split") == "tensor":
            gpu_turns = gpu_sum
        else:
            cards = [(g.vram_gib or 1.0, g.fp16_tensor_tflops or 0.0)
                     for g in build.gpu for _ in range(g.count)]
            total = sum(v for v, _ in cards)
            gpu_turns = f.layer_split_tflops([(v / total, t) for v, t in cards])
    return _Rates(cpu_peak, cpu_vector, cpu_kernel, gpu_sum, gpu_peak, gpu_turns)


def _prompt(build: Build, got: Inputs, values: dict[str, Any]) -> None:
    """The prompt the time to first token is worked out for, and the owner's target."""
    workload = build.workload
    if workload is None:
        return
    prompt: int = f.DEFAULT_PROMPT_TOKENS
    context = got.get("workload.context_tokens")
    if workload.prompt_tokens is not None:
        prompt = workload.prompt_tokens
    elif context:
        prompt = min(prompt, int(context))
    values["workload.prompt_tokens"] = prompt
    values["workload.max_ttft_s"] = workload.max_ttft_s


FP32_MEASURED_CLASSES = ("ktransformers", "cpu-experts", "cpu-moe")
"""Prefill classes whose rows were measured against the cores' FP32 vector rate, so their
efficiency applies to that rate and never to an INT8 one no row of theirs ran against."""


def _cpu_class(got: Inputs) -> str:
    """The CPU class of the model's shape: ``cpu-moe`` where a token reads fewer parameters
    than the model holds (the experts are read scattered), else ``cpu-dense``."""
    total, active = got.get("model.params_b"), got.get("model.active_params_b")
    return ("cpu-moe" if total is not None and active is not None and active < total
            else "cpu-dense")


def _class(build: Build, got: Inputs, ram_b: float, gpu_b: float) -> str | None:
    """The class of engine and device whose measured efficiency applies."""
    if build.system is not None:
        if got.get("workload.device") != "gpu":
            return _cpu_class(got)
        processor = (build.system.processor or build.system.name or "").lower()
        return "apple-gpu" if processor.startswith("apple") else "unified-gpu"
    if not ram_b:
        return "gpu"
    if not gpu_b:
        return _cpu_class(got)
    engine = got.get("workload.engine")
    if engine == "ktransformers":
        return "ktransformers"
    if engine in CPU_EXPERT_ENGINES:
        return "cpu-experts"
    return None  # each device at its own class's efficiency


def _expected_compute(build: Build, got: Inputs, values: dict[str, Any],
                      workings: TopicWorkings, ram_b: float, gpu_b: float,
                      rates: _Rates, system_gpu: float | None) -> None:
    """The expected prefill where each device computes the weights it holds."""
    cls = _class(build, got, ram_b, gpu_b)
    # Each class's efficiency is applied to the rate its rows were measured against: cpu-dense
    # at the rate the bound takes for the weights' precision (its rows ran on cores with an
    # INT8 figure); cpu-moe (R83-R86, on a platform with no INT8 figure) and the hybrid
    # engines' classes at the FP32 vector rate, since no row measures them against INT8.
    at_fp32 = cls in FP32_MEASURED_CLASSES or (cls is None and _cpu_class(got) == "cpu-moe")
    cpu_rate = rates.cpu_vector if at_fp32 else rates.cpu_kernel
    ram_rate = system_gpu if system_gpu is not None else cpu_rate
    if (ram_b and ram_rate is None) or (gpu_b and rates.gpu_turns is None):
        return
    reads = [(ram_b, ram_rate or 1.0), (gpu_b, rates.gpu_turns or 1.0)]
    if cls is None:
        cpu_cls = _cpu_class(got)
        cls = f"{cpu_cls} + gpu"
        ends = []
        for i in range(3):
            ends.append(f.prefill_tokens_per_s_max(
                [(ram_b, (ram_rate or 1.0) * f.PREFILL_EFFICIENCY[cpu_cls][i]),
                 (gpu_b, (rates.gpu_turns or 1.0) * f.PREFILL_EFFICIENCY["gpu"][i])]))
        low, mid, high = ends
        arithmetic = partial(_hybrid_arithmetic, ram_b, ram_rate, cpu_cls, gpu_b,
                             rates.gpu_turns)
    else:
        at_peak = f.prefill_tokens_per_s_max(reads)
        low, mid, high = (f.prefill_tokens_per_s_expected(at_peak, e)
                          for e in f.PREFILL_EFFICIENCY[cls])
        arithmetic = partial(_class_arithmetic, ram_b, ram_rate, gpu_b, rates.gpu_turns, cls)
    values["prefill.efficiency_class"] = cls
    values["prefill.tokens_per_s_expected"] = mid
    values["prefill.tokens_per_s_expected_low"] = low
    values["prefill.tokens_per_s_expected_high"] = high
    workings["prefill.tokens_per_s_expected"] = partial(  # written out when read
        _expected_working, arithmetic, mid)


def _bound_working(ram_b: float, cpu_rate: float | None, gpu_b: float, gpu_rate: float | None,
                   bound: float) -> Working:
    """The compute bound's working: each device's weights at its rate."""
    arithmetic = _compute_working(ram_b, cpu_rate, gpu_b, gpu_rate)
    assert arithmetic is not None  # a device that holds weights has its rate (``compute``)
    return Working(LABEL, "prefill_tokens_per_s_max", arithmetic, f"{number(bound)} tokens/s")


def _hybrid_arithmetic(ram_b: float, ram_rate: float | None, cpu_cls: str, gpu_b: float,
                       gpu_turns: float | None) -> str:
    """The expected figure's arithmetic where the CPUs and GPUs each run their share, each at
    its class's efficiency."""
    return (f"1 / (2 x {number(ram_b, 2)} B / ({number(ram_rate or 0, 1)} TFLOPS x "
            f"{f.PREFILL_EFFICIENCY[cpu_cls][1]:g}) + 2 x {number(gpu_b, 2)} B / "
            f"({number(gpu_turns or 0, 1)} TFLOPS x {f.PREFILL_EFFICIENCY['gpu'][1]:g}))")


def _class_arithmetic(ram_b: float, ram_rate: float | None, gpu_b: float,
                      gpu_turns: float | None, cls: str) -> str:
    """The expected figure's arithmetic as the bound's at the class's efficiency."""
    shown = _compute_working(ram_b, ram_rate, gpu_b, gpu_turns)
    return f"({shown}) x {f.PREFILL_EFFICIENCY[cls][1]:g} ({cls})"


def _expected_working(arithmetic: Callable[[], str], mid: float) -> Working:
    """The expected prefill's working, its arithmetic written out with it."""
    return Working(EXPECTED_LABEL, "prefill_tokens_per_s_expected", arithmetic(),
                   f"{number(mid)} tokens/s")


def _finish(values: dict[str, Any], made: Produced) -> Produced:
    """The time to first token, once the expected prefill is known."""
    expected, prompt = values.get("prefill.tokens_per_s_expected"), values.get(
        "workload.prompt_tokens")
    if expected is not None and prompt is not None:
        values["prefill.ttft_s"] = f.ttft_s(prompt, expected)
    return Produced(values, made.workings)


def _compute_working(ram_b: float, cpu_rate: float | None, gpu_b: float,
                     gpu_rate: float | None) -> str | None:
    """The compute bound's arithmetic, each device at the rate it was computed at."""
    parts = [(b, rate) for b, rate in ((ram_b, cpu_rate), (gpu_b, gpu_rate)) if b]
    if len(parts) == 1:
        (b, rate), = parts
        return None if rate is None else f"{number(rate, 1)} TFLOPS / (2 x {number(b, 2)} B params)"
    if len(parts) == 2 and cpu_rate is not None and gpu_rate is not None:
        return (f"1 / (2 x {number(ram_b, 2)} B params / {number(cpu_rate, 1)} TFLOPS + "
                f"2 x {number(gpu_b, 2)} B params / {number(gpu_rate, 1)} TFLOPS)")
    return None


def _missing_rate(build: Build, cpu_side: bool, on_system_gpu: bool) -> str:
    """Which compute rate the prefill bound lacks, and the input that would give it."""
    if not cpu_side:
        cards = [f"gpu[{i}]" for i, g in enumerate(build.gpu) if g.fp16_tensor_tflops is None]
        return (f"the FP16 tensor rate of {', '.join(cards)} is not known (give "
                "fp16_tensor_tflops)")
    if build.system is not None:
        return ("the system's GPU FP16 rate is not known (system.gpu_fp16_tflops)"
                if on_system_gpu else
                "the system's CPU rate is not known (system.cpu_fp32_tflops)")
    cpu, platform = build.cpu, build.platform
    own = cpu is not None and (cpu.vector_flops_per_cycle or cpu.matrix_flops_per_cycle)
    per_cycle = own or (platform is not None and (platform.vector_flops_per_cycle
                                                  or platform.matrix_flops_per_cycle))
    missing = [name for name, known in (
        ("cpu.cores", cpu is not None and cpu.cores), ("cpu.base_ghz", cpu is not None and
                                                       cpu.base_ghz),
        ("cpu.vector_flops_per_cycle (the platform's catalog entry publishes none)",
         per_cycle)) if not known]
    return f"the CPUs' peak rate is not known: it needs {', '.join(missing) or '[cpu]'}"


def _offload_prefill(build: Build, got: Inputs, values: dict[str, Any], active_b: float,
                     rates: _Rates, link: float | None) -> Produced:
    """Prompt processing with offload under llama.cpp: the GPU computes every layer, and the
    weights in system memory cross the PCIe link once per batch; the slower of the two bounds
    it, and the copy and the computing (at the GPUs' measured efficiency) add up to the
    expected time."""
    weights, on_gpu = got.get("model.weights_gib"), got.get("model.gpu_weights_gib", 0.0)
    workload = build.workload
    gpu_rate = rates.gpu_peak
    batch = (workload.prefill_batch if workload is not None and workload.prefill_batch
             else f.LLAMA_CPP_UBATCH)
    if link is None or gpu_rate is None or weights is None:
        basis = str(got.get("gpu.pcie_link_basis") or "").removeprefix("unknown: ")
        missing = (f"the main GPU's PCIe link ({basis or '[[gpu]] pcie_gen and pcie_lanes'})"
                   if link is None else "the GPUs' FP16 rate (gpu.fp16_tflops)")
        values["prefill.basis"] = (f"unknown: llama.cpp copies the weights in system memory "
                                   f"to the GPU for each batch of prompt tokens, and {missing} "
                                   "is not known")
        return Produced(values)
    host_gb = f.bytes_to_gb((weights - on_gpu) * f.GIB)
    copy_bound = f.offload_prefill_tokens_per_s_max(batch, host_gb, link)
    compute_bound = f.prefill_tokens_per_s_max([(active_b, gpu_rate)])
    values["prefill.link_tokens_per_s_max"] = copy_bound
    bound = values["prefill.tokens_per_s_max"] = min(copy_bound, compute_bound)
    by_link = copy_bound < compute_bound
    values["prefill.basis"] = (
        f"the PCIe link: {host_gb:,.1f} GB in system memory cross {link:,.1f} GB/s once per "
        f"{batch}-token batch" if by_link else
        "compute: the GPUs run every layer, copying the weights in system memory per batch")
    working = (f"{batch} tokens x {number(link, 1)} GB/s / {number(host_gb, 1)} GB"
               if by_link else f"{number(gpu_rate, 1)} TFLOPS / (2 x {number(active_b, 2)} "
               "B params)")
    formula = "offload_prefill_tokens_per_s_max" if by_link else "prefill_tokens_per_s_max"
    workings: TopicWorkings = {"prefill.tokens_per_s_max": Working(
        LABEL, formula, working, f"{number(bound)} tokens/s")}
    turns = rates.gpu_turns or rates.gpu_sum or gpu_rate
    ends = [f.serial_tokens_per_s([copy_bound,
                                   f.prefill_tokens_per_s_max([(active_b, turns * e)])])
            for e in f.PREFILL_EFFICIENCY["gpu"]]
    values["prefill.efficiency_class"] = "gpu"
    values["prefill.tokens_per_s_expected_low"], mid, values[
        "prefill.tokens_per_s_expected_high"] = ends
    values["prefill.tokens_per_s_expected"] = mid
    workings["prefill.tokens_per_s_expected"] = Working(
        EXPECTED_LABEL, "prefill_tokens_per_s_expected",
        f"1 / (1 / {number(copy_bound)} + 2 x {number(active_b, 2)} B / ({number(turns, 1)} "
        f"TFLOPS x {f.PREFILL_EFFICIENCY['gpu'][1]:g}))", f"{number(mid)} tokens/s")
    return Produced(values, workings)


TOPIC = Topic("prefill", FACTS, compute, READS)
