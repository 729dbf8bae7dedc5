"""Why a headline figure is unknown: part of derive, run once the facts are computed.

A figure that cannot be known is absent, never guessed, and never silently absent (DESIGN.md,
"Unknown figures"). For each headline figure the build should have and does not, this module
names the input that stops it: the first missing link in the chain of facts it is derived
from, which input would supply it, and the spec key to blame. Figures stopped by the same input
are named together, so a missing memory speed is one statement, not four.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from hwspec.resolve import Build, power_parts

HEADLINE_FIGURES: tuple[str, ...] = (
    "memory.effective_mts",
    "memory.bandwidth_gbs",
    "model.required_gib",
    "model.fits",
    "decode.tokens_per_s_max",
    "decode.tokens_per_s_expected",
    "power.load_w",
)
"""The figures that decide whether a build works; each is derived or named as unknown."""

READS: frozenset[str] = frozenset({
    *HEADLINE_FIGURES, "memory.channels", "memory.dimms_per_channel", "memory.speed_limit_basis",
    "memory.usable_gib", "model.bits_per_weight", "model.kv_cache_layout",
    "model.active_params_b", "workload.offload", "decode.ram_bytes_per_token_gb",
    "decode.gpu_bytes_per_token_gb", "model.storage_read_per_token_gb", "storage.read_gbs",
})
"""Every fact the causes below read: derive hands them over, and only them."""


@frozen
class Unknown:
    """Headline figures one missing input keeps unknown."""

    figures: tuple[str, ...]
    why: str
    supply: str
    """The input that would supply them: a spec key, or a part to declare."""
    path: str
    """The spec key to blame (``board``, ``workload.arch``, ``memory[0]``)."""


@frozen
class _Cause:
    why: str
    supply: str
    path: str


def unknown_figures(build: Build, values: Mapping[str, Any]) -> tuple[Unknown, ...]:
    """Every headline figure the build should have but does not, grouped by the input that
    stops it, in the order of ``HEADLINE_FIGURES``."""
    causes: dict[str, _Cause | None] = {}
    if build.system is not None:
        causes["memory.effective_mts"] = _system_speed_cause(build, values)
        causes["memory.bandwidth_gbs"] = _system_bandwidth_cause(build, values)
    elif build.memory:
        causes["memory.effective_mts"] = _memory_cause(build, values)
        causes["memory.bandwidth_gbs"] = causes["memory.effective_mts"]
    if build.workload is not None:
        # What stops the model's own figures stops the fit and the decode speed first.
        model = _model_cause(build, values)
        causes["model.required_gib"] = model
        if "model.fits" not in values:
            causes["model.fits"] = model if model is not None else _fit_cause(build, values)
        if "decode.tokens_per_s_max" not in values:
            causes["decode.tokens_per_s_max"] = (model if model is not None
                                                 else _decode_cause(build, values))
        causes["decode.tokens_per_s_expected"] = causes.get("decode.tokens_per_s_max")
    if _parts(build):
        causes["power.load_w"] = _power_cause(build, values)
    grouped: dict[_Cause, list[str]] = {}
    for figure in HEADLINE_FIGURES:
        cause = causes.get(figure)
        if cause is not None and figure not in values:
            grouped.setdefault(cause, []).append(figure)
    return tuple(Unknown(tuple(figures), cause.why, cause.supply, cause.path)
                 for cause, figures in grouped.items())


def _memory_cause(build: Build, values: Mapping[str, Any]) -> _Cause | None:
    if "memory.effective_mts" in values:
        return None
    if not build.memory:
        return _Cause("the build declares no [[memory]]", "a [[memory]] entry", "workload")
    for index, module in enumerate(build.memory):
        if module.speed_mts is None:
            return _Cause(f"memory[{index}] states no rated speed",
                          f"memory[{index}].speed_mts, or a catalog part", f"memory[{index}]")
    if build.cpu is None:
        return _Cause("the build declares no [cpu], so its sockets and channels are unknown",
                      "a [cpu] with a catalog part", "memory")
    if "memory.channels" not in values:
        platform = ("a catalog cpu.platform" if build.cpu.platform is None
                    else f"a known cpu.platform ({build.cpu.platform!r} is not in the catalog)")
        if build.platform is not None:
            platform = "platform.channels_per_socket in the platform's catalog entry"
        return _Cause("neither the board nor the platform states its channels per socket",
                      f"board.channels_per_socket, or {platform}",
                      "board" if build.board is not None else "cpu")
    dpc = values.get("memory.dimms_per_channel")
    basis = values.get("memory.speed_limit_basis", "no speed is published for this population")
    if dpc == 2:
        supply = "board.max_mts_2dpc, from the board's manual or spec page"
    elif isinstance(dpc, int) and dpc > 2:
        supply = "fewer modules: DDR5 has no speed table beyond 2 DIMMs per channel"
    else:
        supply = "board.max_mts_1dpc, or cpu.platform"
    return _Cause(basis, supply, "board" if build.board is not None else "memory")


def _system_speed_cause(build: Build, values: Mapping[str, Any]) -> _Cause | None:
    # A machine's stated bandwidth is what its speed would give: with it, the speed decides
    # nothing (Apple states 819 GB/s for the M3 Ultra, not its LPDDR5 speed).
    if "memory.effective_mts" in values or "memory.bandwidth_gbs" in values:
        return None
    return _Cause("the [system] states no memory speed", "system.speed_mts", "system")


def _system_bandwidth_cause(build: Build, values: Mapping[str, Any]) -> _Cause | None:
    if "memory.bandwidth_gbs" in values:
        return None
    system = build.system
    assert system is not None
    missing = "system.speed_mts" if system.bus_width_bits is not None else (
        "system.bus_width_bits" if system.speed_mts is not None else
        "system.bus_width_bits and system.speed_mts")
    return _Cause("the [system] states neither its bandwidth nor its bus width and speed",
                  f"{missing}, or system.bandwidth_gbs", "system")


def _model_cause(build: Build, values: Mapping[str, Any]) -> _Cause | None:
    if "model.required_gib" in values:
        return None
    workload, model = build.workload, build.model
    if workload is None:
        return None
    if model is None and workload.model is not None:
        # SPEC003 has refused the id and named the closest ones: say so, not that none is named.
        return _Cause(f"the catalog has no model {workload.model!r}",
                      "a catalog model id in workload.model, or a [workload.arch]",
                      "workload.model")
    if model is None:
        return _Cause("the workload names no model", "workload.model, or a [workload.arch]",
                      "workload")
    arch = "workload.arch"
    # Blame the key that brought the model: the catalog id, else the inline arch.
    model_path = "workload.model" if workload.model is not None else arch
    if model.params_b is None:
        return _Cause("the model's parameter count is unknown", f"{arch}.params_b", model_path)
    if values.get("model.bits_per_weight") is None:
        return _Cause("the weight precision is unknown",
                      "workload.precision or workload.bits_per_weight", "workload")
    offload = values.get("workload.offload")
    if offload == "layers":
        if not model.layers:
            return _Cause("offload = \"layers\" needs the model's layer count",
                          f"{arch}.layers", model_path)
        if workload.gpu_layers is None:
            return _Cause("offload = \"layers\" needs the number of layers on the GPUs",
                          "workload.gpu_layers", "workload.offload")
    if offload == "experts-in-ram":
        missing = [name for name in ("expert_params_b", "experts", "experts_per_token")
                   if not getattr(model, name)]
        if missing:
            return _Cause(
                f"offload = \"experts-in-ram\" needs the model's {_join(missing)}, which "
                f"{model.name or 'the model'} does not state",
                _join([f"{arch}.{name}" for name in missing]), model_path)
        if model.expert_params_b is not None and model.expert_params_b >= model.params_b:
            return _Cause("expert_params_b is not below params_b, so nothing is left for the GPUs",
                          f"{arch}.expert_params_b", model_path)
    if workload.context_tokens is None:
        return _Cause("the context length is unknown, so the KV cache is",
                      "workload.context_tokens", "workload")
    missing = _kv_inputs(build, values)
    return _Cause(f"the KV cache size is unknown: the model's arch lacks {_join(missing)}",
                  _join([f"{arch}.{name}" for name in missing]), model_path)


def _kv_inputs(build: Build, values: Mapping[str, Any]) -> list[str]:
    """Architecture fields the KV cache formula of this model's attention needs and lacks."""
    model = build.model
    assert model is not None
    if model.attention not in ("mla", "mha", "gqa"):
        return ["attention"]
    wanted: list[str] = ["layers", "heads"]
    if model.attention == "mla":
        if values.get("model.kv_cache_layout") != "full":  # the latent cache
            wanted = ["layers", "kv_lora_rank", "rope_head_dim"]
        elif not model.head_dim:
            wanted.append("head_dim")
    else:
        if model.attention == "gqa":
            wanted.append("kv_heads")
        if not model.head_dim and not model.hidden_size:
            wanted.append("head_dim")
        if model.full_attention_layers is not None and model.layers \
                and model.full_attention_layers < model.layers:  # a hybrid's linear layers
            wanted += ["linear_key_heads", "linear_value_heads", "linear_key_head_dim",
                       "linear_value_head_dim", "linear_conv_kernel"]
    return [name for name in wanted if not getattr(model, name)] or ["attention"]


def _fit_cause(build: Build, values: Mapping[str, Any]) -> _Cause:
    """Why the fit is unknown where the model's own figures are known."""
    if "memory.usable_gib" not in values and values.get("model.required_gib"):
        system = build.system
        if system is not None:
            if system.memory_gib is None:
                return _Cause("the [system] states no memory size", "system.memory_gib",
                              "system")
            return _Cause(
                "the model runs on the system's GPU and the share of memory the GPU may use is "
                "unknown", "system.gpu_memory_gib (or gpu_memory_share), or workload.device = "
                "\"cpu\"", "system")
        if not build.memory:
            return _Cause(
                f"{values['model.required_gib']:.1f} GiB must sit in system memory and the "
                "build declares no [[memory]]", "a [[memory]] entry", "workload")
        for index, module in enumerate(build.memory):
            if module.capacity_gib is None:
                return _Cause(f"memory[{index}] states no capacity",
                              f"memory[{index}].capacity_gib, or a catalog part",
                              f"memory[{index}]")
    for index, card in enumerate(build.gpu):
        if card.vram_gib is None:
            return _Cause(f"gpu[{index}] states no memory size", f"gpu[{index}].vram_gib",
                          f"gpu[{index}]")
    return _Cause("the model's memory needs are unknown", "workload.arch", "workload")


def _decode_cause(build: Build, values: Mapping[str, Any]) -> _Cause:
    """Why the decode speed is unknown where the model's own figures are known."""
    if "model.active_params_b" not in values and build.model is not None:
        source = "workload.model" if build.workload and build.workload.model else "workload.arch"
        return _Cause("the model is a mixture of experts that states neither its active "
                      "parameters nor its routed experts' parameters, so the bytes read per "
                      "token are unknown",
                      "workload.arch.active_params_b, or workload.arch.expert_params_b", source)
    if values.get("decode.ram_bytes_per_token_gb") and "memory.bandwidth_gbs" not in values:
        memory = (_system_bandwidth_cause(build, values) if build.system is not None
                  else _memory_cause(build, values))
        if memory is not None:
            return _Cause(f"{memory.why}, so system memory's bandwidth is unknown",
                          memory.supply, memory.path)
    if values.get("model.storage_read_per_token_gb") and "storage.read_gbs" not in values:
        where = "storage[0]" if build.storage else "workload.weights_from_storage"
        return _Cause("weights are read from storage (workload.weights_from_storage) and no "
                      "drive states its read rate", "[[storage]] read_gbs", where)
    if values.get("decode.gpu_bytes_per_token_gb"):
        for index, card in enumerate(build.gpu):
            if card.bandwidth_gbs is None:
                return _Cause(f"gpu[{index}] states no memory bandwidth",
                              f"gpu[{index}].bandwidth_gbs", f"gpu[{index}]")
    return _Cause("the bytes read per token are unknown", "workload.arch", "workload")


def _power_cause(build: Build, values: Mapping[str, Any]) -> _Cause | None:
    if "power.load_w" in values:
        return None
    first = _parts(build)[0]
    return _Cause("no part of the build states its power",
                  "cpu.tdp_w, gpu[N].tdp_w or system.max_power_w, or catalog parts that state "
                  "it", first)


def _parts(build: Build) -> list[str]:
    """Spec paths of the build's parts whose power counts, in the order the power figures
    count them (``resolve.power_parts``: the kinds registry's order)."""
    return [path for path, _, _ in power_parts(build)]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
