"""Collecting what the operating system reports: each source run or read once, each optional.

A source is a command (``lscpu``, ``dmidecode -t 17``, ``nvidia-smi`` ...) or a file
(``/proc/cpuinfo``, ``/proc/meminfo``, sysfs). A command runs with a time limit, without a shell,
in the C locale, and only the first ``MAX_OUTPUT`` bytes of what it prints are kept; a missing
tool, a refusal (dmidecode without root) or a time-out is recorded with the reason, never raised.
The same ``Sources`` come from a folder of recorded outputs (``read_recorded``), which is how the
tests replay real machines.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from attrs import field, frozen

MAX_OUTPUT = 1_000_000
"""Bytes of a command's output (or a file) that are read; the rest is ignored."""

TIMEOUT_S = 10.0
"""Seconds a command may run before it is stopped."""


@frozen
class Source:
    """One source: its name, the file name of its recorded output, and how it is read."""

    name: str
    file: str
    command: tuple[str, ...] = ()
    path: str | None = None
    systems: tuple[str, ...] = ("linux",)


SOURCES: tuple[Source, ...] = (
    Source("lscpu", "lscpu.txt", ("lscpu",)),
    Source("cpuinfo", "cpuinfo.txt", path="/proc/cpuinfo"),
    Source("meminfo", "meminfo.txt", path="/proc/meminfo"),
    Source("lsmem", "lsmem.txt", ("lsmem",)),
    Source("dmidecode", "dmidecode-t17.txt", ("dmidecode", "-t", "17")),
    Source("nvidia-smi", "nvidia-smi.csv",
           ("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv"),
           systems=("linux", "win32")),
    Source("nvidia-smi-L", "nvidia-smi-L.txt", ("nvidia-smi", "-L"), systems=()),
    Source("rocm-smi", "rocm-smi.txt",
           ("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json")),
    Source("dmi", "dmi.txt", path="/sys/class/dmi/id"),
    Source("numa", "numa.txt", path="/sys/devices/system/node"),
    Source("drm", "drm.txt", path="/sys/class/drm"),
    Source("system_profiler", "system_profiler.txt",
           ("system_profiler", "SPHardwareDataType", "SPDisplaysDataType"), systems=("darwin",)),
    Source("sysctl", "sysctl.txt",
           ("sysctl", "machdep.cpu.brand_string", "hw.memsize", "hw.physicalcpu"),
           systems=("darwin",)),
)
"""Every source, in the order they are read."""

SOURCE_BY_NAME: Mapping[str, Source] = {s.name: s for s in SOURCES}


@frozen
class Sources:
    """What each source printed (``texts``), and why each one that was tried was not read."""

    texts: Mapping[str, str] = field(factory=dict)
    unread: Mapping[str, str] = field(factory=dict)
    origin: str = "this machine"


def collect(system: str | None = None) -> Sources:
    """Run or read every source that applies to this operating system."""
    system = system or sys.platform
    texts: dict[str, str] = {}
    unread: dict[str, str] = {}
    for source in SOURCES:
        if not any(system.startswith(s) for s in source.systems):
            continue
        if source.path is not None:
            text, why = _read_path(source)
        else:
            text, why = run(source.command)
        if text is not None:
            texts[source.name] = text
        elif why:
            unread[source.name] = why
    if "nvidia-smi" in unread and not unread["nvidia-smi"].endswith("not installed"):
        text, why = run(SOURCE_BY_NAME["nvidia-smi-L"].command)
        if text is not None:
            texts["nvidia-smi-L"] = text
    if "dmidecode" in texts and "Memory Device" not in texts["dmidecode"] and _not_root():
        del texts["dmidecode"]
        unread["dmidecode"] = "dmidecode printed no memory device; it needs root"
    return Sources(texts=texts, unread=unread)


def read_recorded(folder: Path) -> Sources:
    """The sources recorded in a folder, one file each (named as ``Source.file``)."""
    texts = {}
    for source in SOURCES:
        path = folder / source.file
        if path.is_file():
            with path.open("rb") as handle:
                texts[source.name] = handle.read(MAX_OUTPUT).decode("utf-8", "replace")
    return Sources(texts=texts, origin=str(folder))


def run(command: tuple[str, ...], timeout_s: float = TIMEOUT_S,
        limit: int = MAX_OUTPUT) -> tuple[str | None, str]:
    """A command's standard output (its first ``limit`` bytes), or None and why it was not
    read. No shell; the C locale, so the output reads the same everywhere."""
    executable = shutil.which(command[0])
    if executable is None:
        return None, f"{command[0]} is not installed"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen([executable, *command[1:]], stdout=subprocess.PIPE,
                                       stderr=errors, stdin=subprocess.DEVNULL, env=env)
        except OSError as error:
            return None, f"{command[0]} could not be run: {error.strerror or error}"
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(timeout_s, stop)
        timer.start()
        try:
            assert process.stdout is not None
            data = process.stdout.read(limit)
            if process.stdout.read(1):
                process.kill()
            process.stdout.close()
            code = process.wait()
        finally:
            timer.cancel()
        errors.seek(0)
        message = errors.read(2000).decode("utf-8", "replace")
    if expired.is_set():
        return None, f"{command[0]} did not finish within {timeout_s:g} s"
    if code != 0 and len(data) < limit:  # a failure, not the stop at the output limit
        if "permission denied" in message.lower() or "must be root" in message.lower():
            return None, f"{command[0]} needs root"
        said = message + "\n" + data.decode("utf-8", "replace")
        first = next((line.strip() for line in said.splitlines() if line.strip()), "")
        return None, f"{command[0]} failed (exit {code})" + (f": {first[:200]}" if first else "")
    return data.decode("utf-8", "replace"), ""


def _read_path(source: Source) -> tuple[str | None, str]:
    path = Path(source.path or "")
    try:
        if source.name == "dmi":
            return _dmi_text(path), ""
        if source.name == "numa":
            nodes = [p for p in path.iterdir() if re.fullmatch(r"node\d+", p.name)]
            return f"nodes: {len(nodes)}\n", ""
        if source.name == "drm":
            return _drm_text(path), ""
        with path.open("rb") as handle:
            return handle.read(MAX_OUTPUT).decode("utf-8", "replace"), ""
    except OSError as error:
        return None, f"{path} could not be read: {error.strerror or error}"


def _small_file(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return handle.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return None


def _dmi_text(folder: Path) -> str:
    """``sys_vendor`` and ``product_name`` as ``key: value`` lines (both readable without
    root)."""
    lines = []
    for name in ("sys_vendor", "product_name"):
        value = _small_file(folder / name)
        if value:
            lines.append(f"{name}: {value}")
    if not lines:
        raise FileNotFoundError(2, "no DMI product information", str(folder))
    return "\n".join(lines) + "\n"


def _drm_text(folder: Path) -> str:
    """One line per display device: ``card0 vendor=0x1002 device=0x744c vram=25753026560``."""
    lines = []
    for card in sorted(folder.iterdir()):
        if not re.fullmatch(r"card\d+", card.name):
            continue
        device = card / "device"
        fields = [card.name]
        for key, name in (("vendor", "vendor"), ("device", "device"),
                          ("vram", "mem_info_vram_total")):
            value = _small_file(device / name)
            if value:
                fields.append(f"{key}={value.split()[0]}")
        lines.append(" ".join(fields))
    return "\n".join(lines) + ("\n" if lines else "")


def _not_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or geteuid() != 0
