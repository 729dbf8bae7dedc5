"""The build cases where a headline figure used to vanish without a word (issue: never silent)."""

from __future__ import annotations

import json
import textwrap

from tests.conftest import invoke

from hwspec.checker import Checker

CHECKER = Checker()

WRX90_2DPC = """\
    [build]
    name = "WRX90 at 2 DIMMs per channel"

    [board]
    name = "A WRX90 board with 16 slots"
    socket = "str5"
    sockets = 1
    dimm_slots = 16

    [cpu]
    part = "amd-threadripper-pro-7995wx"

    [[memory]]
    part = "kingston-ksm56r46bs4pmi-32hai"
    count = 16
    """

GENERIC_SP5_2DPC = """\
    [build]
    name = "A generic SP5 board at 2 DIMMs per channel"

    [board]
    name = "generic SP5 board"
    socket = "sp5"
    sockets = 1
    dimm_slots = 24

    [cpu]
    part = "amd-epyc-9654"

    [[memory]]
    part = "kingston-ksm48r40bd8-32ha"
    count = 24
    """

ALL_LAYERS_ON_GPUS = """\
    [build]
    name = "Four 3090s, every layer of Llama 3.3 70B on them, no memory declared"

    [cpu]
    name = "a desktop CPU"
    tdp_w = 105

    [[gpu]]
    part = "nvidia-rtx-3090"
    count = 4

    [workload]
    model = "llama-3.3-70b"
    precision = "q4_k_m"
    context_tokens = 8192
    offload = "layers"
    gpu_layers = 80
    """

KIMI_EXPERTS_IN_RAM = """\
    [build]
    name = "Kimi K2 with its experts in RAM"

    [board]
    part = "gigabyte-mz33-ar0"

    [cpu]
    part = "amd-epyc-9655"

    [[memory]]
    part = "samsung-m321r8ga0eb2-ccp"
    count = 12

    [[gpu]]
    part = "nvidia-rtx-4090"

    [workload]
    model = "kimi-k2"
    precision = "q4_k_m"
    context_tokens = 32768
    offload = "experts-in-ram"
    """


def _check(text: str):  # type: ignore[no-untyped-def]
    return CHECKER.check_text(textwrap.dedent(text), path="spec.toml")


def _findings(text: str, rule: str) -> list[tuple[str, str, str]]:
    return [(f.path, f.message, f.hint) for f in _check(text).findings if f.rule == rule]


def test_2dpc_on_wrx90_names_the_speed_and_bandwidth_as_unknown() -> None:
    """Neither AMD nor any WRX90 board in the catalog publishes a 2DPC speed: FIG001 says so,
    blames the board and asks for its 2DPC figure."""
    assert _findings(WRX90_2DPC, "FIG001") == [(
        "board",
        "memory.effective_mts, memory.bandwidth_gbs: no speed is published for 2 DIMMs per "
        "channel on platform str5-wrx90 or board A WRX90 board with 16 slots",
        "Give board.max_mts_2dpc, from the board's manual or spec page.")]


def test_2dpc_with_no_published_speed_still_warns() -> None:
    """MEM005 fires at 2 DIMMs per channel although the speed there is unknown, and says so."""
    [(path, message, _)] = _findings(WRX90_2DPC, "MEM005")
    assert (path, message) == ("memory", (
        "DDR5-5600 runs at unknown MT/s with 2 DIMMs per channel on str5-wrx90 (no speed is "
        "published for 2 DIMMs per channel on platform str5-wrx90 or board A WRX90 board with "
        "16 slots)"))


def test_a_generic_sp5_board_takes_the_lowest_published_sp5_2dpc_speed_as_assumed() -> None:
    """The catalog's only SP5 2DPC figure is the Gigabyte MZ33-AR0's 3600 MT/s: a board that
    publishes none runs at that, labelled assumed, and MEM005 warns with the basis."""
    facts = _check(GENERIC_SP5_2DPC).facts
    assert facts is not None
    assert (facts["memory.effective_mts"], facts["memory.speed_assumed"],
            facts["memory.bandwidth_gbs"]) == (3600, True, 3600 * 8 * 12 / 1000)
    [(_, message, _)] = _findings(GENERIC_SP5_2DPC, "MEM005")
    assert message.endswith("(assumed: the lowest speed a sp5-genoa board in the catalog "
                            "publishes for 2 DIMMs per channel (gigabyte-mz33-ar0))")
    assert _findings(GENERIC_SP5_2DPC, "FIG001") == []


def test_the_assumed_speed_is_labelled_in_text_and_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sp5.toml"
    path.write_text(textwrap.dedent(GENERIC_SP5_2DPC))
    text = invoke(["validate", str(path)]).stdout
    document = json.loads(invoke(["validate", "--format", "json",
                                                   str(path)]).stdout)
    facts = document["files"][0]["facts"]

    assert "3,600 MT/s assumed (rated 4,800)" in text
    assert facts["memory.speed_limit_basis"].startswith("assumed: ")


def test_decode_with_every_byte_on_the_gpus_needs_no_system_memory_figure() -> None:
    """All 80 layers on four 3090s: decode reads only VRAM (936 GB/s: under llama.cpp's layer
    split the cards take turns), so it is derived with no [[memory]] at all, and the model fits
    without a system-memory capacity."""
    facts = _check(ALL_LAYERS_ON_GPUS).facts
    assert facts is not None
    bound = 936 / facts["decode.gpu_bytes_per_token_gb"]  # type: ignore[operator]
    assert (round(facts["decode.tokens_per_s_max_full_context"], 6), facts["model.required_gib"],  # type: ignore[arg-type]
            facts["model.fits"], facts["unknown.figures"]) == (round(bound, 6), 0, True, ())


INLINE_MOE_EXPERTS_IN_RAM = KIMI_EXPERTS_IN_RAM.replace(
    '    model = "kimi-k2"\n', "").replace('    offload = "experts-in-ram"\n', """\
    offload = "experts-in-ram"

    [workload.arch]
    name = "An inline MoE"
    params_b = 100
    active_params_b = 10
    layers = 40
    hidden_size = 4096
    attention = "gqa"
    heads = 32
    kv_heads = 8
    head_dim = 128
    experts = 64
    experts_per_token = 4
""")


def test_experts_in_ram_without_expert_params_names_the_missing_field() -> None:
    """An architecture that leaves expert_params_b out: the figures experts-in-ram needs are
    named, with the field to give."""
    [(path, message, hint)] = _findings(INLINE_MOE_EXPERTS_IN_RAM, "FIG001")
    assert (path, message, hint) == (
        "workload.arch",
        "model.required_gib, model.fits, decode.tokens_per_s_max, decode.tokens_per_s_expected: "
        "offload = \"experts-in-ram\" needs the model's expert_params_b, which An inline MoE "
        "does not state",
        "Give workload.arch.expert_params_b.")


def test_kimi_k2_with_its_experts_in_ram_is_figured() -> None:
    """The catalog's Kimi K2 carries its routed-expert parameters (1,014.69 B from its
    config), so experts-in-ram gives a fit verdict and no FIG001."""
    assert _findings(KIMI_EXPERTS_IN_RAM, "FIG001") == []


def test_a_module_without_a_rated_speed_is_the_named_cause() -> None:
    text = """\
        [build]
        name = "Inline RDIMMs without a speed"

        [cpu]
        part = "amd-epyc-9655"

        [[memory]]
        name = "some 64 GB RDIMM"
        generation = "DDR5"
        kind = "RDIMM"
        capacity_gib = 64
        count = 12
        """
    [(path, message, hint)] = _findings(text, "FIG001")
    assert (path, message, hint) == (
        "memory[0]", "memory.effective_mts, memory.bandwidth_gbs: memory[0] states no rated speed",
        "Give memory[0].speed_mts, or a catalog part.")


def test_a_build_with_no_power_figure_names_power_load() -> None:
    text = """\
        [build]
        name = "Parts without power figures"

        [[gpu]]
        name = "a card"
        vram_gib = 24
        """
    assert _findings(text, "FIG001") == [(
        "gpu[0]", "power.load_w: no part of the build states its power",
        "Give cpu.tdp_w, gpu[N].tdp_w or system.max_power_w, or catalog parts that state it.")]


def test_tensor_parallelism_reads_every_gpu_at_once() -> None:
    """The same four 3090s under vLLM (tensor parallel by default, or gpu_split = "tensor")
    read at 4 x 936 GB/s; the layer split reads at one card's 936."""
    layers = _check(ALL_LAYERS_ON_GPUS).facts
    tensor = _check(ALL_LAYERS_ON_GPUS.replace("[workload]", '[workload]\n    engine = "vllm"',
                                               1)).facts
    assert layers is not None
    assert tensor is not None
    assert (layers["workload.gpu_split"], round(layers["gpu.decode_bandwidth_gbs"], 6),  # type: ignore[arg-type]
            tensor["workload.gpu_split"], tensor["gpu.decode_bandwidth_gbs"]) == (
        "layers", 936, "tensor", 4 * 936)


def test_an_unknown_model_id_is_named_as_not_in_the_catalog() -> None:
    """A model id the catalog does not have is the named cause, on workload.model: the workload
    does name a model, so FIG001 does not say it names none."""
    [(path, message, hint)] = _findings("""\
        [build]
        name = "A model named by its display name"

        [cpu]
        part = "amd-epyc-9274f"

        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 12

        [workload]
        model = "DeepSeek-R1"
        """, "FIG001")
    assert (path, message, hint) == (
        "workload.model",
        "model.required_gib, model.fits, decode.tokens_per_s_max, decode.tokens_per_s_expected: "
        "the catalog has no model 'DeepSeek-R1'",
        "Give a catalog model id in workload.model, or a [workload.arch].")
