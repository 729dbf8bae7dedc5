"""Reading what the operating system reports: pure functions from a command's text to records.

Each parser takes the text one source printed (``lscpu``, ``/proc/cpuinfo``, ``dmidecode -t 17``,
``nvidia-smi``, ``system_profiler`` ...) and returns typed records. A figure the text does not
state, or states as "Unknown", is None: nothing here guesses. Parsers never raise on odd text
(a truncated paste, another tool version's spelling, log lines mixed in); what they cannot read
they leave out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TypeVar

from attrs import evolve, fields, frozen

MAX_NAME = 120
"""Longest name kept from a report (a model name, a part number); the rest is cut."""


@frozen
class CpuInfo:
    """The processors as ``lscpu`` or ``/proc/cpuinfo`` report them."""

    model: str | None = None
    """lscpu's "Model name" (each core type's, joined with " + "), or cpuinfo's "model name"."""
    sockets: int | None = None
    """lscpu's "Socket(s)", or the distinct "physical id" values of cpuinfo."""
    cores_per_socket: int | None = None
    """lscpu's "Core(s) per socket" (or "per cluster"), added up over core types; cpuinfo's
    "cpu cores"."""
    threads_per_core: int | None = None
    """lscpu's "Thread(s) per core", or cpuinfo's "siblings" over its "cpu cores"."""
    logical_cpus: int | None = None
    """lscpu's "CPU(s)", or the number of cpuinfo's processor entries."""
    numa_nodes: int | None = None
    """lscpu's "NUMA node(s)", or the nodes the kernel lists."""
    hypervisor: str | None = None
    """The hypervisor's vendor (``KVM``, ``Microsoft`` ...), or ``"a hypervisor"`` where only the
    CPU flag says one runs; None on bare metal or where nothing says."""


@frozen
class MemoryModule:
    """One populated memory device of ``dmidecode -t 17``; each field is the line of that name
    (dmidecode's spelling in quotes)."""

    size_gib: float
    """"Size", in GiB whether dmidecode prints GB or GiB."""
    locator: str | None = None
    """"Locator": the slot's silkscreen name (``DIMMA1``, ``P0_Node0_Channel0_Dimm0``)."""
    type: str | None = None
    """"Type": DDR4, DDR5, LPDDR5 ... as dmidecode names it."""
    type_detail: str | None = None
    """"Type Detail": ``Registered (Buffered)``, ``Unbuffered (Unregistered)``, ``Synchronous``
    ..."""
    form_factor: str | None = None
    """"Form Factor": ``DIMM``, ``SODIMM``, ``Row Of Chips`` (soldered)."""
    speed_mts: int | None = None
    """"Speed": the module's rated speed."""
    configured_mts: int | None = None
    """"Configured Memory Speed" ("Configured Clock Speed" before dmidecode 3.1): the speed it
    runs at."""
    manufacturer: str | None = None
    """"Manufacturer"."""
    part_number: str | None = None
    """"Part Number"."""
    rank: int | None = None
    """"Rank"."""
    total_width_bits: int | None = None
    """"Total Width": data and ECC bits, wider than "Data Width" on an ECC module."""
    data_width_bits: int | None = None
    """"Data Width": the data bits alone (64)."""


@frozen
class GpuInfo:
    """One GPU as ``nvidia-smi`` or ``rocm-smi`` names it."""

    name: str
    memory_mib: float | None = None


@frozen
class DrmCard:
    """A display device under ``/sys/class/drm/card*/device``: PCI ids and, for amdgpu, VRAM."""

    card: str
    vendor_id: str | None = None
    device_id: str | None = None
    vram_bytes: int | None = None


@frozen
class MacHardware:
    """A Mac as ``system_profiler SPHardwareDataType SPDisplaysDataType`` and ``sysctl`` report
    it."""

    model_name: str | None = None
    """The hardware overview's "Model Name" (``Mac Studio``)."""
    model_identifier: str | None = None
    """Its "Model Identifier" (``Mac14,14``)."""
    chip: str | None = None
    """Its "Chip" ("Processor Name" on an Intel Mac), or sysctl's machdep.cpu.brand_string."""
    cpu_cores: int | None = None
    """Its "Total Number of Cores", or sysctl's hw.physicalcpu."""
    memory_gib: float | None = None
    """Its "Memory", or sysctl's hw.memsize in GiB."""
    gpu_cores: int | None = None
    """The displays' "Total Number of Cores"."""


_Record = TypeVar("_Record", "CpuInfo", "MacHardware")

_KEY_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 ()/_+.,'-]*?)\s*:\s*(.*?)\s*$")
_UNKNOWN = frozenset({"", "-", "unknown", "not specified", "not provided", "none", "n/a",
                      "[n/a]", "other"})


def _clean(value: str | None) -> str | None:
    """A reported string without control characters and padding; None where it says nothing."""
    if value is None:
        return None
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", value)
    text = " ".join(text.split())[:MAX_NAME]
    return None if text.lower() in _UNKNOWN else text


def _int(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def _pairs(text: str) -> Iterator[tuple[str, str]]:
    """Every ``key: value`` line, in order (continuation lines and log lines do not match)."""
    for line in text.splitlines():
        match = _KEY_VALUE.match(line)
        if match:
            yield match.group(1), match.group(2)


def parse_lscpu(text: str) -> CpuInfo:
    """The processors from ``lscpu`` (either layout: util-linux 2.37+ indents its sections).

    A machine with several core types (Arm big.LITTLE) lists a model name and a cores-per-socket
    figure for each; the model names are joined with " + " and the cores added up.
    """
    models: list[str] = []
    cores: list[int] = []
    values: dict[str, str] = {}
    for key, value in _pairs(text):
        if key == "Model name":
            name = _clean(value)
            if name and name not in models:
                models.append(name)
        elif key in ("Core(s) per socket", "Core(s) per cluster") and _int(value) is not None:
            cores.append(_int(value) or 0)  # Arm lscpu may give either, per core type
        else:
            values.setdefault(key, value)
    threads = _int(values.get("Thread(s) per core"))
    return CpuInfo(
        model=" + ".join(models) or None,
        sockets=_int(values.get("Socket(s)")),
        cores_per_socket=sum(cores) if cores and all(cores) else None,
        threads_per_core=threads,
        logical_cpus=_int(values.get("CPU(s)")),
        numa_nodes=_int(values.get("NUMA node(s)")),
        hypervisor=_clean(values.get("Hypervisor vendor")),
    )


def parse_cpuinfo(text: str) -> CpuInfo:
    """The processors from ``/proc/cpuinfo`` (x86 ``model name``; Arm lists no model name)."""
    blocks: list[dict[str, str]] = [{}]
    for line in text.splitlines():
        if not line.strip():
            blocks.append({})
            continue
        key, colon, value = line.partition(":")
        if colon:
            blocks[-1].setdefault(key.strip(), value.strip())
    processors = [b for b in blocks if "processor" in b]
    if not processors:
        return CpuInfo()
    first = processors[0]
    sockets = {b.get("physical id") for b in processors if "physical id" in b}
    cores = _int(first.get("cpu cores"))
    siblings = _int(first.get("siblings"))
    threads = siblings // cores if cores and siblings and siblings % cores == 0 else None
    flags = first.get("flags", "").split()
    return CpuInfo(
        model=_clean(first.get("model name")),
        sockets=len(sockets) if sockets else None,
        cores_per_socket=cores,
        threads_per_core=threads,
        logical_cpus=len(processors),
        hypervisor="a hypervisor" if "hypervisor" in flags else None,
    )


def merged(first: _Record, second: _Record) -> _Record:
    """``first`` with each figure it lacks (None) taken from ``second``: lscpu's CPU with
    cpuinfo's, system_profiler's Mac with sysctl's."""
    lacking = {f.name: getattr(second, f.name) for f in fields(type(first))
               if getattr(first, f.name) is None}
    return evolve(first, **lacking)


_SIZE = re.compile(r"^\s*([\d.]+)\s*(KB|KiB|kB|MB|MiB|GB|GiB|TB|TiB)\b", re.IGNORECASE)
_GIB_PER_UNIT = {"kb": 1 / 2**20, "kib": 1 / 2**20, "mb": 1 / 1024, "mib": 1 / 1024, "gb": 1.0,
                 "gib": 1.0, "tb": 1024.0, "tib": 1024.0}


def _size_gib(value: str | None) -> float | None:
    """A dmidecode size in GiB: dmidecode's "16 GB" (before 3.6) and "16 GiB" both mean 2^30
    bytes per GB, as DRAM module capacities do."""
    match = _SIZE.match(value or "")
    if not match:
        return None
    try:
        return float(match.group(1)) * _GIB_PER_UNIT[match.group(2).lower()]
    except ValueError:
        return None


def _mts(value: str | None) -> int | None:
    """A dmidecode speed in MT/s: "4800 MT/s", and "2666 MHz" from dmidecode before 3.1, which
    printed the transfer rate under that unit."""
    match = re.match(r"\s*(\d+)\s*(MT/s|MHz)", value or "")
    return int(match.group(1)) if match else None


def parse_dmidecode_memory(text: str) -> list[MemoryModule]:
    """The populated memory devices of ``dmidecode -t 17`` (empty slots are left out)."""
    modules: list[MemoryModule] = []
    for record in re.split(r"\n(?=Handle 0x)", text):
        lines = record.splitlines()
        if not any(line.strip() == "Memory Device" for line in lines):
            continue
        values: dict[str, str] = {}
        for key, value in _pairs(record):
            values.setdefault(key, value)
        size = _size_gib(values.get("Size"))
        if size is None or size <= 0:
            continue
        configured = values.get("Configured Memory Speed", values.get("Configured Clock Speed"))
        modules.append(MemoryModule(
            size_gib=size,
            locator=_clean(values.get("Locator")),
            type=_clean(values.get("Type")),
            type_detail=_clean(values.get("Type Detail")),
            form_factor=_clean(values.get("Form Factor")),
            speed_mts=_mts(values.get("Speed")),
            configured_mts=_mts(configured),
            manufacturer=_clean(values.get("Manufacturer")),
            part_number=_clean(values.get("Part Number")),
            rank=_int(values.get("Rank")),
            total_width_bits=_int(values.get("Total Width")),
            data_width_bits=_int(values.get("Data Width")),
        ))
    return modules


def parse_meminfo(text: str) -> float | None:
    """MemTotal of ``/proc/meminfo`` in GiB: the memory the kernel manages, a little less than
    is installed (firmware and the kernel's own reservations are not in it)."""
    for key, value in _pairs(text):
        if key == "MemTotal":
            match = re.match(r"(\d+)\s*kB", value)
            return int(match.group(1)) / 2**20 if match else None
    return None


def parse_lsmem(text: str) -> float | None:
    """"Total online memory" of ``lsmem`` in GiB: the memory blocks the kernel sees online."""
    for key, value in _pairs(text):
        if key == "Total online memory":
            match = re.match(r"([\d.]+)\s*([KMGTP])", value)
            if match:
                scale = {"K": 2**-20, "M": 2**-10, "G": 1, "T": 2**10, "P": 2**20}
                return float(match.group(1)) * scale[match.group(2)]
    return None


def parse_nvidia_smi_csv(text: str) -> list[GpuInfo]:
    """The GPUs of ``nvidia-smi --query-gpu=name,memory.total --format=csv`` (the header line
    names the columns; without one, name and memory.total are taken in that order)."""
    rows = [[cell.strip() for cell in line.split(",")] for line in text.splitlines()
            if line.strip()]
    if not rows:
        return []
    header = [cell.lower() for cell in rows[0]]
    if "name" in header:
        name_at = header.index("name")
        memory_at = next((i for i, h in enumerate(header) if h.startswith("memory.total")), None)
        rows = rows[1:]
    else:
        name_at, memory_at = 0, 1
    gpus = []
    for row in rows:
        name = _clean(row[name_at]) if name_at < len(row) else None
        if not name:
            continue
        memory = None
        if memory_at is not None and memory_at < len(row):
            match = re.match(r"([\d.]+)\s*(MiB)?$", row[memory_at])
            memory = float(match.group(1)) if match else None
        if memory is None and "name" not in header:
            continue  # without a header, a line is a GPU only if it has both columns
        gpus.append(GpuInfo(name=name, memory_mib=memory))
    return gpus


def parse_nvidia_smi_list(text: str) -> list[GpuInfo]:
    """The GPUs of ``nvidia-smi -L`` ("GPU 0: NVIDIA H100 80GB HBM3 (UUID: ...)"): names only."""
    gpus = []
    for line in text.splitlines():
        match = re.match(r"\s*GPU \d+:\s*(.+?)\s*(\(UUID:.*)?$", line)
        if match and _clean(match.group(1)):
            gpus.append(GpuInfo(name=_clean(match.group(1)) or ""))
    return gpus


def parse_rocm_smi(text: str) -> list[GpuInfo]:
    """The GPUs of ``rocm-smi --showproductname --showmeminfo vram --json``, or of its text form
    (lines "GPU[0] : Card Series: ..." and "GPU[0] : VRAM Total Memory (B): ...") or its
    ``--csv`` form (a "device,Card series,..." header)."""
    cards: dict[str, dict[str, str]] = {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    lines = [line for line in text.splitlines() if line.strip()]
    if isinstance(data, dict):
        for card, fields in data.items():
            if isinstance(fields, dict):
                cards[str(card)] = {str(k): str(v) for k, v in fields.items()}
    elif lines and lines[0].lower().startswith("device,"):
        import csv

        rows = list(csv.reader(lines))
        for row in rows[1:]:
            cards[row[0] if row else ""] = dict(zip(rows[0], row, strict=False))
    else:
        for line in text.splitlines():
            match = re.match(r"\s*GPU\[(\d+)\]\s*:\s*([^:]+?)\s*:\s*(.*?)\s*$", line)
            if match:
                cards.setdefault(match.group(1), {})[match.group(2)] = match.group(3)
    gpus = []
    for fields in cards.values():
        lowered = {k.lower(): v for k, v in fields.items()}
        name = _clean(lowered.get("card series") or lowered.get("card model"))
        if not name or name.startswith("0x"):
            continue
        vram = _int(lowered.get("vram total memory (b)"))
        gpus.append(GpuInfo(name=name, memory_mib=vram / 2**20 if vram else None))
    return gpus


def parse_system_profiler(text: str) -> MacHardware:
    """A Mac from ``system_profiler SPHardwareDataType SPDisplaysDataType``: the hardware
    overview's model, chip, cores and memory, and the GPU's core count from the displays
    section (both sections have a "Total Number of Cores" line)."""
    values: dict[str, str] = {}
    gpu_cores: int | None = None
    in_displays = False
    for line in text.splitlines():
        if re.match(r"^\s*Graphics/Displays:\s*$", line):
            in_displays = True
            continue
        if re.match(r"^\s*Hardware:\s*$", line):
            in_displays = False
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2)
        if in_displays:
            if key == "Total Number of Cores" and gpu_cores is None:
                gpu_cores = _int(value)
        else:
            values.setdefault(key, value)
    memory = re.match(r"\s*(\d+)\s*(GB|TB)", values.get("Memory", ""))
    memory_gib = None
    if memory:
        memory_gib = float(memory.group(1)) * (1024 if memory.group(2) == "TB" else 1)
    return MacHardware(
        model_name=_clean(values.get("Model Name")),
        model_identifier=_clean(values.get("Model Identifier")),
        chip=_clean(values.get("Chip") or values.get("Processor Name")),
        cpu_cores=_int(values.get("Total Number of Cores")),
        memory_gib=memory_gib,
        gpu_cores=gpu_cores,
    )


def parse_sysctl(text: str) -> MacHardware:
    """A Mac from ``sysctl machdep.cpu.brand_string hw.memsize hw.physicalcpu``."""
    values = dict(_sysctl_pairs(text))
    memsize = _int(values.get("hw.memsize"))
    return MacHardware(
        chip=_clean(values.get("machdep.cpu.brand_string")),
        cpu_cores=_int(values.get("hw.physicalcpu")),
        memory_gib=memsize / 2**30 if memsize else None,
    )


def _sysctl_pairs(text: str) -> Iterator[tuple[str, str]]:
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon and re.fullmatch(r"[a-z0-9_.]+", key.strip()):
            yield key.strip(), value.strip()


def parse_drm(text: str) -> list[DrmCard]:
    """Display devices from lines ``card0 vendor=0x1002 device=0x744c vram=25753026560`` (what
    the collector reads from ``/sys/class/drm/card*/device``)."""
    cards = []
    for line in text.splitlines():
        words = line.split()
        if not words or not re.fullmatch(r"card\d+", words[0]):
            continue
        fields = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        cards.append(DrmCard(card=words[0], vendor_id=_clean(fields.get("vendor")),
                             device_id=_clean(fields.get("device")),
                             vram_bytes=_int(fields.get("vram"))))
    return cards


def parse_dmi(text: str) -> tuple[str | None, str | None]:
    """The system's vendor and product name from ``sys_vendor:`` and ``product_name:`` lines."""
    values = dict(_pairs(text))
    return _clean(values.get("sys_vendor")), _clean(values.get("product_name"))


def parse_numa(text: str) -> int | None:
    """The NUMA node count from a ``nodes: N`` line."""
    return _int(dict(_pairs(text)).get("nodes"))
