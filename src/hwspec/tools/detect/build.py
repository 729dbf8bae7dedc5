"""From what was read to a spec: catalog parts matched by name, the rest declared inline.

``read_machine`` turns the sources' texts into one ``Machine`` record (parsing only).
``detected_spec`` turns a machine into spec tables with their comments, and the figures that
could not be read (``Gap``): each names the figure, why it is missing and what would supply it,
both as a comment in the written spec and as a notice the command prints. Nothing is guessed: a
catalog part is named only when exactly one entry agrees with every figure that was read, and a
figure that was not read is left out rather than filled in with a typical value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from hwspec.catalog import Catalog, CatalogEntry
from hwspec.tools.detect.collect import SOURCE_BY_NAME, Sources
from hwspec.tools.detect.parse import (
    CpuInfo,
    DrmCard,
    GpuInfo,
    MacHardware,
    MemoryModule,
    merged,
    parse_cpuinfo,
    parse_dmi,
    parse_dmidecode_memory,
    parse_drm,
    parse_lscpu,
    parse_lsmem,
    parse_meminfo,
    parse_numa,
    parse_nvidia_smi_csv,
    parse_nvidia_smi_list,
    parse_rocm_smi,
    parse_sysctl,
    parse_system_profiler,
)

GPU_VENDORS = {"0x10de": "NVIDIA", "0x1002": "AMD", "0x8086": "Intel"}
"""PCI vendor ids of GPU makers, for naming a display device no tool named."""

VRAM_TOLERANCE = 0.06
"""How far the memory a tool reports may sit below or above a catalog card's ``vram_gib`` (the
driver reserves some: an 80 GB H100 reports 81,559 MiB, 79.6 GiB)."""


@frozen
class Machine:
    """Everything read about one machine, parsed, before any matching."""

    cpu: CpuInfo
    modules: tuple[MemoryModule, ...] = ()
    total_memory_gib: float | None = None
    total_memory_source: str | None = None
    gpus: tuple[GpuInfo, ...] = ()
    gpu_source: str | None = None
    mac: MacHardware | None = None
    dmi_vendor: str | None = None
    dmi_product: str | None = None
    drm: tuple[DrmCard, ...] = ()
    numa_nodes: int | None = None
    read: tuple[str, ...] = ()
    unread: Mapping[str, str] = field(factory=dict)
    origin: str = "this machine"


@frozen
class Gap:
    """A figure that was not read: what it is, why, and what would supply it."""

    figure: str
    why: str
    supply: str

    def line(self) -> str:
        """One sentence: ``memory modules: dmidecode needs root; run sudo ...``."""
        return f"{self.figure}: {self.why}" + (f"; {self.supply}" if self.supply else "")


@frozen
class Block:
    """One table of the written spec, with the comment lines written above it."""

    key: str
    value: Any
    comments: tuple[str, ...] = ()


@frozen
class DetectedSpec:
    """The spec of a machine: its tables in order, the header comments, and the gaps."""

    blocks: tuple[Block, ...]
    header: tuple[str, ...]
    gaps: tuple[Gap, ...]
    matched: Mapping[str, str] = field(factory=dict)
    """Catalog ids matched, by where they went (``cpu``, ``gpu[0]``, ``system``)."""

    def data(self) -> dict[str, Any]:
        """The spec as the data a loader structures (arrays of tables gathered by key)."""
        out: dict[str, Any] = {}
        for block in self.blocks:
            if isinstance(block.value, list):
                out.setdefault(block.key, []).extend(block.value)
            else:
                out[block.key] = block.value
        return out


def read_machine(sources: Sources) -> Machine:
    """Parse every source that was read into one machine record."""
    texts = sources.texts
    cpu = CpuInfo()
    if "lscpu" in texts:
        cpu = parse_lscpu(texts["lscpu"])
    if "cpuinfo" in texts:
        cpu = merged(cpu, parse_cpuinfo(texts["cpuinfo"]))
    numa = parse_numa(texts["numa"]) if "numa" in texts else None
    if cpu.numa_nodes is None and numa:
        cpu = merged(cpu, CpuInfo(numa_nodes=numa))
    modules = tuple(parse_dmidecode_memory(texts.get("dmidecode", "")))
    total, total_source = None, None
    if "lsmem" in texts and parse_lsmem(texts["lsmem"]):
        total, total_source = parse_lsmem(texts["lsmem"]), "lsmem"
    elif "meminfo" in texts and parse_meminfo(texts["meminfo"]):
        total, total_source = parse_meminfo(texts["meminfo"]), "/proc/meminfo MemTotal"
    gpus: list[GpuInfo] = []
    gpu_source = None
    for name, parse in (("nvidia-smi", parse_nvidia_smi_csv),
                        ("nvidia-smi-L", parse_nvidia_smi_list)):
        if name in texts and not gpus:
            gpus = parse(texts[name])
            gpu_source = name if gpus else None
    if "rocm-smi" in texts:
        amd = parse_rocm_smi(texts["rocm-smi"])
        gpus.extend(amd)
        gpu_source = gpu_source or ("rocm-smi" if amd else None)
    mac = None
    if "system_profiler" in texts or "sysctl" in texts:
        mac = merged(parse_system_profiler(texts.get("system_profiler", "")),
                        parse_sysctl(texts.get("sysctl", "")))
    vendor, product = parse_dmi(texts["dmi"]) if "dmi" in texts else (None, None)
    return Machine(
        cpu=cpu, modules=modules, total_memory_gib=total, total_memory_source=total_source,
        gpus=tuple(gpus), gpu_source=gpu_source, mac=mac, dmi_vendor=vendor,
        dmi_product=product, drm=tuple(parse_drm(texts.get("drm", ""))),
        numa_nodes=cpu.numa_nodes, read=tuple(n for n in SOURCE_BY_NAME if n in texts),
        unread=dict(sources.unread), origin=sources.origin,
    )


# --- names -----------------------------------------------------------------------------------

_NOISE = re.compile(r"\((r|tm|c)\)|[®™]|\bprocessor\b|\bcpu\b|\b\d+-cores?\b|\bwith\b|"
                    r"\b\d+(st|nd|rd|th) gen\b|@.*$", re.IGNORECASE)
_GPU_BRANDS = frozenset({"nvidia", "geforce", "amd", "radeon", "intel", "tesla", "instinct",
                         "founders", "edition", "limited", "hbm2", "hbm2e", "hbm3", "hbm3e"})
_MEMORY_TOKEN = re.compile(r"^(\d+)gb$")


def name_tokens(name: str) -> frozenset[str]:
    """The words of a part name that identify the part, lower case: vendor marks, "Processor",
    "16-Core", a "13th Gen" prefix and a clock after "@" are left out, so "AMD Ryzen 9 7950X
    16-Core Processor" and "AMD Ryzen 9 7950X" give the same words."""
    text = _NOISE.sub(" ", name.lower())
    text = re.sub(r"[-_,()/\[\]]", " ", text)
    return frozenset(re.sub(r"^sxm\d$", "sxm", word) for word in text.split())


def _gpu_tokens(name: str) -> tuple[frozenset[str], frozenset[int]]:
    """A GPU name's identifying words (brands and memory technologies left out) and the memory
    sizes it states ("80GB")."""
    words = name_tokens(name) - _GPU_BRANDS
    sizes = frozenset(int(m.group(1)) for w in words if (m := _MEMORY_TOKEN.match(w)))
    return frozenset(w for w in words if not _MEMORY_TOKEN.match(w)), sizes


def _model_numbers(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for w in words if any(c.isdigit() for c in w))


def match_cpu(catalog: Catalog, model: str | None) -> tuple[str | None, list[str]]:
    """The catalog CPU whose name has the same words as ``model``, and the ids that share its
    model number (for a did-you-mean) when none or several do."""
    if not model:
        return None, []
    words = name_tokens(model)
    exact = [e.id for e in catalog.entries("cpu")
             if name_tokens(str(e.fields.get("name", ""))) == words]
    if len(exact) == 1:
        return exact[0], []
    numbers = _model_numbers(words)
    near = [e.id for e in catalog.entries("cpu")
            if numbers & _model_numbers(name_tokens(str(e.fields.get("name", ""))))]
    return None, exact or near


def match_gpu(catalog: Catalog, gpu: GpuInfo) -> tuple[str | None, list[str]]:
    """The catalog GPU whose name has the same words as ``gpu.name`` and whose memory agrees
    with the memory the tool reports (where both are known), and near ids otherwise."""
    # rocm-smi puts the marketing name in brackets: "Arcturus GL-XL [AMD Instinct MI100]"
    bracket = re.search(r"\[([^\]/]+)\]", gpu.name)
    words, sizes = _gpu_tokens(bracket.group(1) if bracket else gpu.name)
    found = []
    near = []
    for entry in catalog.entries("gpu"):
        entry_words, entry_sizes = _gpu_tokens(str(entry.fields.get("name", "")))
        if _model_numbers(words) & _model_numbers(entry_words):
            near.append(entry.id)
        if entry_words != words or (sizes and entry_sizes and sizes != entry_sizes):
            continue
        if not _vram_agrees(entry, gpu.memory_mib, sizes):
            continue
        found.append(entry.id)
    if len(found) == 1:
        return found[0], []
    return None, found or near


def _vram_agrees(entry: CatalogEntry, memory_mib: float | None, sizes: frozenset[int]) -> bool:
    vram = entry.fields.get("vram_gib")
    if not isinstance(vram, int | float) or vram <= 0:
        return memory_mib is None and not sizes
    if memory_mib is not None:
        return abs(memory_mib / 1024 - vram) <= VRAM_TOLERANCE * vram
    if sizes:
        return any(abs(size - vram) <= VRAM_TOLERANCE * vram for size in sizes)
    return False  # a name that states no memory, on a model sold in several sizes


def _processor_words(entry: CatalogEntry) -> frozenset[str]:
    """The words of a system's processor before its parenthesised detail ("AMD Ryzen AI Max+
    395")."""
    return name_tokens(str(entry.fields.get("processor", "")).split(" (")[0])


def match_mac(catalog: Catalog, mac: MacHardware) -> tuple[str | None, list[str]]:
    """The catalog system that is this Mac: same model (Mac Studio ...), chip, memory, and CPU
    and GPU core counts where read. The chip, the model and the memory must have been read."""
    if not (mac.chip and mac.model_name and mac.memory_gib):
        return None, []
    model_words = name_tokens(mac.model_name)
    candidates = []
    for entry in catalog.entries("system"):
        processor = str(entry.fields.get("processor", ""))
        if not processor.lower().startswith(mac.chip.lower() + " ("):
            continue
        if not model_words <= name_tokens(str(entry.fields.get("name", ""))):
            continue
        candidates.append(entry)
    found = [e.id for e in candidates
             if _same(e.fields.get("memory_gib"), mac.memory_gib)
             and _agrees(e.fields.get("cpu_cores"), mac.cpu_cores)
             and _agrees(e.fields.get("gpu_cores"), mac.gpu_cores)]
    if len(found) == 1:
        return found[0], []
    return None, found or [e.id for e in candidates]


def match_soc_system(catalog: Catalog, machine: Machine,
                     memory_gib: float | None) -> tuple[str | None, list[str]]:
    """The catalog system (Strix Halo mini PC, DGX Spark) that is this machine, and the ids of
    the catalog systems with the same processor.

    Same processor: the processor's vendor and model number ("AMD ... 395", "NVIDIA GB10") are
    in the CPU or GPU names read. The machine is one of them when its vendor and product name
    (DMI) are in the entry's name too and its memory and core count agree where read.
    """
    names = " ".join([machine.cpu.model or "", *(g.name for g in machine.gpus)])
    words = name_tokens(names) if names.strip() else frozenset()
    same_chip = []
    for entry in catalog.entries("system"):
        processor = _processor_words(entry)
        numbers = _model_numbers(processor)
        vendor = str(entry.fields.get("processor", "")).split(" ")[0].lower()
        if numbers and numbers <= words and vendor in words:
            same_chip.append(entry)
    product = re.sub(r"\(.*?\)", " ", " ".join(filter(None, (machine.dmi_vendor,
                                                             machine.dmi_product))))
    product_words = name_tokens(product) - {"inc", "inc.", "corporation", "co.", "ltd"}
    found = [e.id for e in same_chip
             if product_words and product_words <= name_tokens(str(e.fields.get("name", "")))
             and (memory_gib is None or _same(e.fields.get("memory_gib"), memory_gib))
             and _agrees(e.fields.get("cpu_cores"), _cores(machine.cpu))]
    if len(found) == 1:
        return found[0], [e.id for e in same_chip]
    return None, [e.id for e in same_chip]


def _same(value: object, read: float | None) -> bool:
    return isinstance(value, int | float) and read is not None and abs(value - read) < 0.5


def _agrees(value: object, read: int | None) -> bool:
    return read is None or not isinstance(value, int) or value == read


def _cores(cpu: CpuInfo) -> int | None:
    if cpu.cores_per_socket is None:
        return None
    return cpu.cores_per_socket * (cpu.sockets or 1) if cpu.sockets is not None else None


# --- the spec --------------------------------------------------------------------------------


def detected_spec(machine: Machine, catalog: Catalog, name: str | None = None) -> DetectedSpec:
    """The spec of ``machine``: catalog parts where they match, inline parts otherwise, and the
    figures that could not be read."""
    gaps: list[Gap] = []
    blocks: list[Block] = []
    matched: dict[str, str] = {}
    installed = _installed_gib(machine.modules)
    if machine.mac is not None:
        system = _mac_block(machine.mac, catalog, gaps, matched)
        blocks.append(system)
        title = " ".join(filter(None, (machine.mac.model_name, machine.mac.chip))) or "Mac"
    else:
        soc, same_chip = match_soc_system(catalog, machine, installed)
        title = _linux_title(machine)
        integrated: frozenset[str] | None = None
        if same_chip:
            listed = catalog.get("system", soc or same_chip[0])
            integrated = name_tokens(str(listed.fields.get("processor", ""))) if listed \
                else frozenset()
        on_chip = [g for g in machine.gpus
                   if integrated is not None and _model_numbers(name_tokens(g.name)) <= integrated]
        note = tuple(f"{g.name} (as {_tool(machine.gpu_source)} names it) is the "
                     "processor's integrated GPU, part of the [system]."
                     for g in dict.fromkeys(on_chip))
        if soc is not None:
            matched["system"] = soc
            blocks.append(Block("system", {"part": soc}, (
                f"The whole machine: catalog system {soc}, matched by its product name "
                f"({machine.dmi_vendor} {machine.dmi_product}), processor and memory.",
                *note)))
        elif same_chip:
            blocks.append(_soc_block(machine, title, same_chip, gaps, note))
        else:
            cpu_block = _cpu_block(machine, catalog, gaps, matched)
            if cpu_block is not None:
                blocks.append(cpu_block)
            blocks.extend(_memory_blocks(machine, gaps))
        machine_gpus = [g for g in machine.gpus if g not in on_chip]
        blocks.extend(_gpu_blocks(machine, machine_gpus, catalog, gaps, matched))
    build = Block("build", {"name": name or f"Detected: {title}"}, (
        "What the build is called; prices and a currency can be added to get the bill.",))
    header = _header(machine, gaps)
    return DetectedSpec(blocks=(build, *blocks), header=header, gaps=tuple(gaps),
                        matched=matched)


def _linux_title(machine: Machine) -> str:
    if machine.dmi_product and machine.dmi_vendor:
        return f"{machine.dmi_vendor} {machine.dmi_product}"
    cpu = machine.cpu
    if cpu.model:
        return f"{cpu.sockets} x {cpu.model}" if cpu.sockets and cpu.sockets > 1 else cpu.model
    return "this machine"


def _unread_why(machine: Machine, *names: str, default: str) -> str:
    for source in names:
        if source in machine.unread:
            return machine.unread[source]
    return default


def _soc_block(machine: Machine, title: str, same_chip: Sequence[str], gaps: list[Gap],
               note: tuple[str, ...]) -> Block:
    """An inline [system] for a unified-memory machine whose processor the catalog knows in
    other products (a Strix Halo mini PC of another maker)."""
    cpu = machine.cpu
    table: dict[str, Any] = {"name": title, "processor": cpu.model}
    comments = [
        "The whole machine, declared inline: its processor shares its memory with the GPU, "
        "and the catalog lists it only in other products.",
        f"Catalog systems with this processor: {', '.join(same_chip[:4])} (if this machine is "
        "one of them, set part = that id; else take their bandwidth_gbs if the memory matches).",
        *note,
    ]
    if machine.modules:
        table["memory_gib"] = _number(_installed_gib(machine.modules) or 0)
        types = {m.type for m in machine.modules}
        speeds = {m.configured_mts or m.speed_mts for m in machine.modules}
        if len(types) == 1 and None not in types:
            table["memory_type"] = types.pop()
        if len(speeds) == 1 and None not in speeds:
            table["speed_mts"] = speeds.pop()
        comments.append(f"Memory: {len(machine.modules)} devices read by dmidecode.")
    else:
        gaps.append(Gap("system.memory_gib (unified memory)",
                        _unread_why(machine, "dmidecode",
                                    default="no dmidecode -t 17 output was read")
                        + " (MemTotal leaves out the memory the firmware gives the GPU)",
                        "run `sudo hwspec init --detect` (dmidecode -t 17 lists the devices)"))
    cores = _cores(cpu)
    if cores is not None:
        table["cpu_cores"] = cores
    return Block("system", table, tuple(comments))


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _cpu_block(machine: Machine, catalog: Catalog, gaps: list[Gap],
               matched: dict[str, str]) -> Block | None:
    cpu = machine.cpu
    if cpu.model is None and cpu.cores_per_socket is None:
        why = _unread_why(machine, "lscpu", "cpuinfo",
                          default="no lscpu or /proc/cpuinfo output was read")
        gaps.append(Gap("processor (model, sockets, cores)", why,
                        "lscpu (util-linux) or /proc/cpuinfo supplies it"))
        return None
    comments: list[str] = []
    part, near = match_cpu(catalog, cpu.model)
    table: dict[str, Any] = {}
    if part is not None:
        matched["cpu"] = part
        table["part"] = part
        comments.append(f"The processor: catalog part {part}, matched by its name "
                        f"({cpu.model}).")
        listed = catalog.get("cpu", part)
        catalog_cores = listed.fields.get("cores") if listed else None
        if cpu.cores_per_socket is not None and catalog_cores not in (None,
                                                                      cpu.cores_per_socket):
            comments.append(f"The catalog's {part} has {catalog_cores} cores; "
                            f"{cpu.cores_per_socket} per socket are visible here, and the "
                            "spec says so.")
            table["cores"] = cpu.cores_per_socket
            if cpu.threads_per_core is not None:
                table["threads"] = cpu.cores_per_socket * cpu.threads_per_core
    else:
        table["name"] = cpu.model or "Processor (model not reported)"
        comments.append("The processor, declared inline: its name matches no catalog CPU.")
        if near:
            comments.append(f"Catalog CPUs of that model number: {', '.join(near[:4])} "
                            "(set part = one of them if it is).")
        if cpu.cores_per_socket is not None:
            table["cores"] = cpu.cores_per_socket
            if cpu.threads_per_core is not None:
                table["threads"] = cpu.cores_per_socket * cpu.threads_per_core
        else:
            gaps.append(Gap("cpu.cores (cores per socket)",
                            "the processor report gives no cores per socket",
                            "lscpu prints it as Core(s) per socket"))
        if cpu.model is None:
            gaps.append(Gap("cpu.name (processor model)", "no model name was reported",
                            "lscpu or /proc/cpuinfo names it on x86"))
    if cpu.sockets is not None and cpu.sockets >= 1:
        table["count"] = cpu.sockets
    else:
        gaps.append(Gap("cpu.count (sockets)", "the processor report gives no socket count",
                        "lscpu prints it as Socket(s); count is left at its default of 1"))
    if cpu.numa_nodes:
        comments.append(f"{cpu.numa_nodes} NUMA node{'s' if cpu.numa_nodes > 1 else ''}.")
    if cpu.hypervisor:
        comments.append(f"A virtual machine ({cpu.hypervisor}): these are the processor and "
                        "memory the guest sees, not the host's.")
    return Block("cpu", table, tuple(comments))


_KINDS_BY_FORM = {"SODIMM": "SODIMM"}


def _module_kind(module: MemoryModule) -> str | None:
    """RDIMM, LRDIMM, UDIMM or SODIMM where dmidecode says so; None where it cannot tell (a
    registered module of 128 GiB or more may be a 3DS RDIMM, which dmidecode does not name)."""
    detail = (module.type_detail or "").lower()
    form = (module.form_factor or "").upper()
    if form in _KINDS_BY_FORM:
        return _KINDS_BY_FORM[form]
    if "lrdimm" in detail or "load reduced" in detail:
        return "LRDIMM"
    if "registered (buffered)" in detail:
        return "RDIMM" if module.size_gib < 128 else None
    if "unbuffered" in detail and form == "DIMM":
        return "UDIMM"
    return None


def _memory_blocks(machine: Machine, gaps: list[Gap]) -> list[Block]:
    if not machine.modules:
        why = _unread_why(machine, "dmidecode",
                          default="dmidecode -t 17 listed no populated memory device (virtual "
                          "machines often list none)" if "dmidecode" in machine.read
                          else "no dmidecode -t 17 output was read")
        supply = ("install dmidecode, then run `sudo hwspec init --detect`"
                  if "not installed" in why else
                  "run `sudo hwspec init --detect` (dmidecode -t 17 reads them as root)")
        gaps.append(Gap("memory modules (size, type, speed and count of each)", why, supply))
        if machine.total_memory_gib is None:
            gaps.append(Gap("memory.capacity_gib (installed memory)",
                            _unread_why(machine, "lsmem", "meminfo",
                                        default="no lsmem or /proc/meminfo output was read"),
                            "lsmem or /proc/meminfo gives the total"))
            return []
        total = machine.total_memory_gib
        capacity = round(total) if abs(total - round(total)) < 0.01 else round(total, 1)
        return [Block("memory", [{"name": "Installed memory (modules not read)",
                                  "capacity_gib": capacity}], (
            f"The memory the system reports in total ({machine.total_memory_source}), as one "
            "entry: the modules, their kind and speed could not be read.",))]
    groups: dict[tuple[Any, ...], list[MemoryModule]] = {}
    for module in machine.modules:
        key = (module.size_gib, module.type, _module_kind(module), module.speed_mts,
               module.configured_mts, module.manufacturer, module.part_number, module.rank,
               _ecc(module))
        groups.setdefault(key, []).append(module)
    blocks = []
    for modules in groups.values():
        first = modules[0]
        entry: dict[str, Any] = {"name": _module_name(first)}
        comments = [f"{len(modules)} module{'s' if len(modules) > 1 else ''} read by "
                    f"dmidecode: {', '.join(_slot(m) for m in modules[:8])}"
                    + (" ..." if len(modules) > 8 else "") + "."]
        if first.type in ("DDR3", "DDR4", "DDR5"):
            entry["generation"] = first.type
        elif first.type:
            comments.append(f"Memory type {first.type} (soldered on the board), not a module "
                            "generation the spec format names.")
        kind = _module_kind(first)
        if kind:
            entry["kind"] = kind
        elif not (first.type or "").startswith("LP"):
            gaps.append(Gap(f"memory kind of {_module_name(first)}",
                            f"dmidecode says {first.type_detail or 'nothing'} "
                            f"({first.form_factor or 'no form factor'})",
                            "give kind = RDIMM, 3DS-RDIMM, UDIMM ... from the module's label"))
        ecc = _ecc(first)
        if ecc is not None:
            entry["ecc"] = ecc
        entry["capacity_gib"] = (int(first.size_gib) if first.size_gib.is_integer()
                                 else first.size_gib)
        if first.speed_mts:
            entry["speed_mts"] = first.speed_mts
        if first.rank:
            entry["ranks"] = first.rank
        if first.configured_mts and first.speed_mts:
            if first.configured_mts > first.speed_mts:
                entry["tuned_mts"] = first.configured_mts
                comments.append(f"Configured at {first.configured_mts} MT/s, above its rated "
                                f"{first.speed_mts} MT/s (an EXPO/XMP profile).")
            elif first.configured_mts < first.speed_mts:
                comments.append(f"Runs at {first.configured_mts} MT/s (dmidecode's configured "
                                "speed).")
        entry["count"] = len(modules)
        blocks.append(Block("memory", [entry], tuple(comments)))
    return blocks


def _module_name(module: MemoryModule) -> str:
    maker = module.manufacturer if module.manufacturer else None
    size = f"{module.size_gib:g} GiB"
    if module.part_number:
        return " ".join(filter(None, (maker, module.part_number)))
    return " ".join(filter(None, (maker, size, module.type, "module")))


def _slot(module: MemoryModule) -> str:
    return module.locator or "a slot"


def _ecc(module: MemoryModule) -> bool | None:
    """ECC where the widths say: a module wider than its data (72 or 80 bits for 64) carries
    check bits."""
    if module.total_width_bits is None or module.data_width_bits is None:
        return None
    return module.total_width_bits > module.data_width_bits


def _installed_gib(modules: Sequence[MemoryModule]) -> float | None:
    return sum(m.size_gib for m in modules) if modules else None


def _gpu_blocks(machine: Machine, gpus: Sequence[GpuInfo], catalog: Catalog, gaps: list[Gap],
                matched: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    groups: dict[tuple[str | None, str, float | None], int] = {}
    nears: dict[tuple[str | None, str, float | None], list[str]] = {}
    for gpu in gpus:
        part, near = match_gpu(catalog, gpu)
        key = (part, gpu.name, gpu.memory_mib)
        groups[key] = groups.get(key, 0) + 1
        nears[key] = near
    tool = _tool(machine.gpu_source)
    for index, ((part, name, memory), count) in enumerate(groups.items()):
        comments = []
        table: dict[str, Any]
        if part is not None:
            matched[f"gpu[{index}]"] = part
            table = {"part": part, "count": count}
            comments.append(f"GPUs as {tool} names them ({name}): catalog part "
                            f"{part}.")
        else:
            table = {"name": name}
            comments.append(f"GPUs as {tool} names them, declared inline: the "
                            "name matches no one catalog GPU.")
            if nears[(part, name, memory)]:
                comments.append("Catalog GPUs of that model: "
                                f"{', '.join(nears[(part, name, memory)][:4])} "
                                "(set part = one of them if it is).")
            if memory is not None:
                table["vram_gib"] = round(memory / 1024, 2)
            else:
                supply = ("rocm-smi --showmeminfo vram reports it" if tool == "rocm-smi"
                          else "nvidia-smi --query-gpu=name,memory.total --format=csv "
                          "reports it")
                gaps.append(Gap(f"gpu[{index}].vram_gib ({name})",
                                f"{tool} gave no memory for it", supply))
            table["count"] = count
        blocks.append(Block("gpu", [table], tuple(comments)))
    if not machine.gpus:
        for card in machine.drm:
            vendor = GPU_VENDORS.get(card.vendor_id or "")
            if vendor is None or card.vram_bytes is None:
                continue
            tool = "nvidia-smi" if vendor == "NVIDIA" else "rocm-smi"
            gaps.append(Gap(f"GPU {card.card} ({vendor}, PCI device {card.device_id}, "
                            f"{card.vram_bytes / 2**30:.1f} GiB)",
                            f"{tool} did not name it (an integrated GPU reports its memory "
                            "share here too)",
                            f"{tool} names a discrete card; add it as [[gpu]] if it is one"))
    return blocks


def _mac_block(mac: MacHardware, catalog: Catalog, gaps: list[Gap],
               matched: dict[str, str]) -> Block:
    part, candidates = match_mac(catalog, mac)
    if part is not None:
        matched["system"] = part
        return Block("system", {"part": part}, (
            f"The whole machine: catalog system {part}, matched by model, chip, memory and "
            "core counts.",))
    table: dict[str, Any] = {"name": " ".join(filter(None, (
        mac.model_name, f"({mac.model_identifier})" if mac.model_identifier else None)))
        or "Mac"}
    comments = ["The whole machine, declared inline: it matches no one catalog system."]
    if candidates:
        comments.append(f"Catalog systems it may be: {', '.join(candidates[:4])} "
                        "(set part = that id if it is).")
    if mac.chip:
        table["processor"] = mac.chip
    else:
        gaps.append(Gap("system.processor (chip)", "system_profiler printed no Chip line",
                        "system_profiler SPHardwareDataType names it; with it the Mac can be "
                        "matched to its catalog system"))
    for key, value, figure, supply in (
            ("memory_gib", mac.memory_gib, "memory", "system_profiler SPHardwareDataType"),
            ("cpu_cores", mac.cpu_cores, "CPU cores", "system_profiler SPHardwareDataType"),
            ("gpu_cores", mac.gpu_cores, "GPU cores", "system_profiler SPDisplaysDataType")):
        if value is not None:
            table[key] = int(value) if float(value).is_integer() else value
        else:
            gaps.append(Gap(f"system.{key} ({figure})", "not in what was read",
                            f"{supply} reports it"))
    return Block("system", table, tuple(comments))


def _header(machine: Machine, gaps: Sequence[Gap]) -> tuple[str, ...]:
    read = ", ".join(_source_label(n) for n in machine.read) or "nothing"
    lines = [
        "A spec of this machine, written by `hwspec init --detect` from what the operating "
        "system reports.",
        f"Read from {machine.origin}: {read}.",
        "Catalog parts are named only where exactly one entry agrees with what was read; the "
        "rest is declared inline.",
    ]
    lines.extend(f"Not read: {gap.line()}." for gap in gaps)
    return tuple(lines)


def _tool(name: str | None) -> str:
    """A GPU source as a reader knows it: ``nvidia-smi``, ``nvidia-smi -L``, ``rocm-smi``."""
    if name is None:
        return "a GPU tool"
    command = SOURCE_BY_NAME[name].command
    return " ".join(command) if command[1:2] == ("-L",) else command[0]


def _source_label(name: str) -> str:
    source = SOURCE_BY_NAME[name]
    return source.path or " ".join(source.command)


WORKLOAD_SUGGESTION = (
    "[workload] is left out: the model to run is not part of the machine. To check one, add:",
    "[workload]",
    'model = "..."            # a catalog id: `hwspec parts model` lists them',
    'precision = "q4_k_m"',
    "context_tokens = 8192",
)
"""The commented suggestion written at the end of every detected spec."""
