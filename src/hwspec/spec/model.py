"""The spec: attrs classes that mirror the TOML a user writes, and nothing computed.

Every part table may name a catalog part (``part = "amd-epyc-9655"``) and override any field inline,
or declare the part wholly inline with ``name`` and the fields it knows. The same classes hold the
resolved parts after the catalog has filled them in (``resolve.Build`` is the spec with its
parts resolved), so a field means one thing everywhere.

Field validators only guard what no spec could legitimately violate (a count is a whole number of
at least one, a capacity is a finite positive number, no PSU delivers 10^30 W, no module runs at
1e-300 MT/s); whether a build is sensible is for rules. A class states each field's type and
default; its documentation is data, in spec/fields.toml, which the class decorator
(``spec.values.documented``) puts in the field's attrs ``metadata``: a one-sentence description,
its unit, and for numbers a plausibility range (a greatest value, and a least one for
fractional numbers) that the validator its type calls for enforces on both load paths and that
the JSON Schema (``hwspec schema``) and docs/schema.md repeat.
"""

from __future__ import annotations

from attrs import field, frozen, has

from hwspec.spec.values import (
    AttentionKind,
    CoolingKind,
    Count,
    Currency,
    Device,
    Engine,
    Generation,
    GpuSplit,
    KvLayout,
    KvPrecision,
    ModuleKind,
    NonNegative,
    NumaMode,
    OffloadMode,
    ParamValue,
    PlatformId,
    Positive,
    Precision,
    Redundancy,
    Socket,
    Tally,
    _within_total_params,
    documented,
)

# --- a model's shape: its architecture and the precisions of its tensor groups -------------------


@frozen(field_transformer=documented)
class Precisions:
    """Precisions of a model's tensor groups, where they differ from one another:
    ``[workload.precisions]``, or a catalog model's ``precisions`` (what its published file
    keeps). A group left out takes workload.precision."""

    attention: Precision | None = None
    dense_ffn: Precision | None = None
    experts: Precision | None = None
    embeddings: Precision | None = None


@frozen(field_transformer=documented)
class ModelArch:
    """A model's architecture: from the catalog (``workload.model``) or inline
    (``[workload.arch]``)."""

    name: str | None = None
    params_b: Positive | None = None
    active_params_b: Positive | None = field(default=None, validator=_within_total_params)
    layers: Count | None = None
    hidden_size: Count | None = None
    attention: AttentionKind | None = None
    heads: Count | None = None
    kv_heads: Count | None = None
    head_dim: Count | None = None
    v_head_dim: Count | None = None
    kv_lora_rank: Count | None = None
    rope_head_dim: Count | None = None
    index_head_dim: Count | None = None
    sliding_window: Count | None = None
    sliding_window_layers: Count | None = None
    full_attention_layers: Count | None = None
    linear_key_heads: Count | None = None
    linear_value_heads: Count | None = None
    linear_key_head_dim: Count | None = None
    linear_value_head_dim: Count | None = None
    linear_conv_kernel: Count | None = None
    experts: Count | None = None
    experts_per_token: Count | None = None
    expert_params_b: Positive | None = field(default=None, validator=_within_total_params)
    weight_bytes: Positive | None = None
    expert_weight_bytes: Positive | None = None
    native_precision: str | None = None
    vocab_size: Count | None = None
    attention_params_b: Positive | None = field(default=None, validator=_within_total_params)
    embedding_params_b: Positive | None = field(default=None, validator=_within_total_params)
    precisions: Precisions | None = None
    max_context_tokens: Count | None = None


# --- the spec -------------------------------------------------------------------------------------


@frozen(field_transformer=documented)
class BuildInfo:
    """The ``[build]`` table: what the build is called, its currency and budget."""

    name: str
    currency: Currency = field(default=Currency("USD"))
    budget: Positive | None = None
    quoted_total: Positive | None = None


@frozen(field_transformer=documented)
class PcieSlot:
    """One PCIe slot of a board, as its maker's manual lists it (``pcie_slots`` of a board); a
    figure the sources do not give is left out, and what needs it is then unknown."""

    position: Count | None = None
    lanes: Count | None = None
    gen: Count | None = None
    name: str | None = None


@frozen
class _Part:
    """What every part table gives first: the catalog part it names, or the name of a part
    declared inline, and the price paid for one. Each part table's class extends it, and its
    decorator documents these fields in the table's own words."""

    part: str | None = None
    name: str | None = None
    price: Positive | None = None


@frozen
class _CountedPart(_Part):
    """A part table fitted in some number: ``count`` of the part (default 1)."""

    count: Count = field(default=Count(1))


@frozen(field_transformer=documented)
class Board(_Part):
    """The ``[board]`` table: a motherboard, by catalog id or inline."""

    socket: Socket | None = None
    platforms: tuple[PlatformId, ...] | None = None
    sockets: Count | None = None
    dimm_slots: Count | None = None
    channels_per_socket: Count | None = None
    form_factor: str | None = None
    eps_connectors: Count | None = None
    max_mts_1dpc: Positive | None = None
    max_mts_2dpc: Positive | None = None
    max_mts_2dpc_1r: Positive | None = None
    power_w: Positive | None = None
    pcie_slots: tuple[PcieSlot, ...] | None = None


@frozen(field_transformer=documented)
class Cpu(_CountedPart):
    """The ``[cpu]`` table: the processor model and how many are fitted."""

    socket: Socket | None = None
    platform: PlatformId | None = None
    cores: Count | None = None
    threads: Count | None = None
    base_ghz: Positive | None = None
    boost_ghz: Positive | None = None
    tdp_w: Positive | None = None
    package_power_w: Positive | None = None
    peak_w: Positive | None = None
    max_sockets: Count | None = None
    memory_channels: Count | None = None
    max_mts: Positive | None = None
    l3_mib: Positive | None = None
    ccds: Count | None = None
    vector_flops_per_cycle: Positive | None = None
    matrix_flops_per_cycle: Positive | None = None
    int8_ops_per_cycle: Positive | None = None


@frozen(field_transformer=documented)
class Memory(_CountedPart):
    """One ``[[memory]]`` entry: a module or a kit of identical modules, and how many were
    bought."""

    generation: Generation | None = None
    kind: ModuleKind | None = None
    ecc: bool | None = None
    capacity_gib: Positive | None = None
    speed_mts: Positive | None = None
    modules_per_kit: Count | None = None
    ranks: Count | None = None
    power_w: Positive | None = None
    tuned_mts: Positive | None = None


@frozen(field_transformer=documented)
class Psu(_CountedPart):
    """The ``[psu]`` table: the power supply."""

    redundancy: Redundancy | None = None
    capacity_w: Positive | None = None
    peak_w: Positive | None = None
    rating: str | None = None
    eps_connectors: Count | None = None
    pcie_connectors: Tally | None = None
    hpwr_connectors: Tally | None = None
    atx_version: str | None = None
    form_factor: str | None = None


@frozen(field_transformer=documented)
class Gpu(_CountedPart):
    """One ``[[gpu]]`` entry: an accelerator model and how many are fitted."""

    vram_gib: Positive | None = None
    memory_type: str | None = None
    bandwidth_gbs: Positive | None = None
    tdp_w: Positive | None = None
    peak_w: Positive | None = None
    power_limit_w: Positive | None = None
    max_power_limit_w: Positive | None = None
    decode_power_w: Positive | None = None
    pcie_connectors: Tally | None = None
    hpwr_connectors: Tally | None = None
    eps_connectors: Tally | None = None
    fp16_tensor_tflops: Positive | None = None
    fp16_acc16_tensor_tflops: Positive | None = None
    int8_tensor_tops: Positive | None = None
    pcie_gen: Count | None = None
    pcie_lanes: Count | None = None
    slot_width: Positive | None = None
    slots: tuple[Count, ...] | None = None
    riser: bool | None = None


@frozen(field_transformer=documented)
class Storage(_CountedPart):
    """One ``[[storage]]`` entry: a drive model and how many are fitted."""

    kind: str | None = None
    capacity_tb: Positive | None = None
    power_w: Positive | None = None
    read_gbs: Positive | None = None


@frozen(field_transformer=documented)
class Case(_Part):
    """The ``[case]`` table: the chassis."""

    form_factors: tuple[str, ...] | None = None
    power_w: Positive | None = None
    fans: Tally | None = None


@frozen(field_transformer=documented)
class Cooling(_Part):
    """The ``[cooling]`` table: coolers and fans, priced as one line."""

    kind: CoolingKind | None = None
    power_w: Positive | None = None
    fans: Tally | None = None


@frozen(field_transformer=documented)
class System(_Part):
    """The ``[system]`` table: a whole machine whose processor and memory are fixed (a Mac
    Studio, a Ryzen AI Max+ 395 mini PC, a DGX Spark). It replaces [board], [cpu] and
    [[memory]]: its memory is unified, shared by the CPU and the integrated GPU."""

    processor: str | None = None
    memory_gib: Positive | None = None
    memory_type: str | None = None
    bus_width_bits: Count | None = None
    speed_mts: Positive | None = None
    bandwidth_gbs: Positive | None = None
    gpu_memory_share: Positive | None = None
    gpu_memory_gib: Positive | None = None
    cpu_cores: Count | None = None
    gpu_cores: Count | None = None
    gpu_fp16_tflops: Positive | None = None
    cpu_fp32_tflops: Positive | None = None
    max_power_w: Positive | None = None
    decode_power_w: Positive | None = None


@frozen(field_transformer=documented)
class Measured:
    """The ``[measured]`` table: figures measured on the machine itself. A measured figure wins
    over any estimate (DESIGN.md, "Unknown figures")."""

    bandwidth_gbs: Positive | None = None
    source: str | None = None


@frozen(field_transformer=documented)
class Workload:
    """The ``[workload]`` table: which model runs, at what precision, context and batch."""

    model: str | None = None
    arch: ModelArch | None = None
    precision: Precision | None = None
    precisions: Precisions | None = None
    bits_per_weight: Positive | None = None
    kv_precision: KvPrecision | None = None
    context_tokens: Count | None = None
    batch: Count = field(default=Count(1))
    min_decode_tokens_per_s: Positive | None = None
    prompt_tokens: Count | None = None
    max_ttft_s: Positive | None = None
    overhead_gib: NonNegative | None = None
    electricity_price: Positive | None = None
    engine: Engine | None = None
    kv_layout: KvLayout | None = None
    numa: NumaMode | None = None
    offload: OffloadMode | None = None
    gpu_split: GpuSplit | None = None
    gpu_layers: Count | None = None
    cpu_moe_layers: Tally | None = None
    weights_from_storage: bool | None = None
    prefill_batch: Count | None = None
    flash_attention: bool | None = None
    gpu_memory_utilization: Positive | None = None
    device: Device | None = None


@frozen(field_transformer=documented)
class IgnoreEntry:
    """One entry of ``[checks] ignore``: a rule id or name, and why it is silenced."""

    rule: str
    reason: str | None = None


@frozen(field_transformer=documented)
class Checks:
    """The ``[checks]`` table: per-spec rule ignores and parameter overrides."""

    ignore: tuple[IgnoreEntry, ...] = ()
    params: dict[str, ParamValue] = field(factory=dict)


@frozen(field_transformer=documented)
class Spec:
    """A whole build as written in its TOML file."""

    build: BuildInfo
    board: Board | None = None
    cpu: Cpu | None = None
    memory: tuple[Memory, ...] = ()
    psu: Psu | None = None
    gpu: tuple[Gpu, ...] = ()
    storage: tuple[Storage, ...] = ()
    case: Case | None = None
    cooling: Cooling | None = None
    system: System | None = None
    measured: Measured | None = None
    workload: Workload | None = None
    checks: Checks = field(factory=Checks)


SPEC_CLASSES: tuple[type, ...] = tuple(
    obj for obj in tuple(globals().values())
    if isinstance(obj, type) and has(obj) and obj.__module__ == __name__
    and not obj.__name__.startswith("_"))
"""Every public attrs class of the spec: what the loader guards and the schema describes (a
private base, as the part tables' ``_Part``, is no table of its own: its fields are its
subclasses')."""
