"""``hwspec init --detect``: recorded outputs of real machines, the catalog matching, the machine
the tests run on, and hostile text.

Each folder under tests/data/detect/ holds what one real machine printed, copied from a public bug
report or forum post named in its SOURCE file (which also says which outputs were not found). The
expected figures in these tests are read from those outputs by eye, not by the code under test.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import invoke

import hwspec
from hwspec.catalog import builtin_catalog
from hwspec.tools.detect import detect, detect_text, read_recorded, spec_text
from hwspec.tools.detect.build import (
    DetectedSpec,
    Machine,
    detected_spec,
    match_cpu,
    match_gpu,
    match_mac,
)
from hwspec.tools.detect.collect import SOURCES, Sources, collect, run
from hwspec.tools.detect.parse import (
    CpuInfo,
    GpuInfo,
    MacHardware,
    MemoryModule,
    parse_cpuinfo,
    parse_dmidecode_memory,
    parse_lscpu,
    parse_lsmem,
    parse_meminfo,
    parse_nvidia_smi_csv,
    parse_nvidia_smi_list,
    parse_rocm_smi,
    parse_system_profiler,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "detect"
MACHINES = sorted(p.name for p in DATA.iterdir() if p.is_dir())


def _text(machine: str, source: str) -> str:
    file = next(s.file for s in SOURCES if s.name == source)
    return (DATA / machine / file).read_text(encoding="utf-8")


def _spec_of(machine: str) -> dict[str, object]:
    text, _ = detect_text(read_recorded(DATA / machine))
    return tomllib.loads(text)


def _spec_codes(text: str) -> list[str]:
    report = hwspec.validate(hwspec.loads(text))
    return [f.rule for f in report.findings if f.rule.startswith("SPEC")]


# --- the recorded machines --------------------------------------------------------------------


def test_at_least_six_machines_are_recorded_each_with_its_source() -> None:
    """Six or more machines are recorded, and each folder cites where its outputs come from."""
    cited = [m for m in MACHINES if "https://" in (DATA / m / "SOURCE").read_text("utf-8")]

    assert (len(MACHINES) >= 6, cited) == (True, MACHINES)


@pytest.mark.parametrize("machine", MACHINES)
def test_a_recorded_machine_gives_a_spec_without_spec_codes(machine: str) -> None:
    """The spec detected from each recorded machine loads and validates with no SPEC00x
    finding."""
    text, _ = detect_text(read_recorded(DATA / machine))

    assert _spec_codes(text) == []


def test_lscpu_of_a_dual_socket_epyc() -> None:
    """lscpu of a dual EPYC 7B13 (util-linux's indented layout) gives 2 sockets of 64 cores, 2
    threads each; "CPU(s) scaling MHz" does not stand in for "CPU(s)"."""
    assert parse_lscpu(_text("dual-epyc-7b13", "lscpu")) == CpuInfo(
        model="AMD EPYC 7B13 64-Core Processor", sockets=2, cores_per_socket=64,
        threads_per_core=2, logical_cpus=256)


def test_dual_socket_epyc_is_declared_inline_with_its_sockets() -> None:
    """The EPYC 7B13 (a cloud part the catalog lacks) is declared inline: 2 sockets, 64 cores
    and 128 threads each."""
    assert _spec_of("dual-epyc-7b13")["cpu"] == {
        "name": "AMD EPYC 7B13 64-Core Processor", "cores": 64, "threads": 128, "count": 2}


def test_unread_memory_is_named_and_left_out() -> None:
    """With no dmidecode, lsmem or meminfo output, no [[memory]] is written and the notice says
    what would supply it."""
    detected = detect(read_recorded(DATA / "dual-epyc-7b13"))

    assert ("memory" in detected.data(),
            [g.figure for g in detected.gaps if g.figure.startswith("memory")]) == (
        False, ["memory modules (size, type, speed and count of each)",
                "memory.capacity_gib (installed memory)"])


def test_nvidia_smi_list_of_an_h100_server() -> None:
    """The eight GPUs of an HGX H100 server, by name, from nvidia-smi -L."""
    assert parse_nvidia_smi_list(_text("h100-server", "nvidia-smi-L")) == [
        GpuInfo(name="NVIDIA H100 80GB HBM3")] * 8


def test_h100_server_gpus_are_counted_and_their_memory_is_named_as_unread() -> None:
    """The H100s become one [[gpu]] entry of 8; nvidia-smi -L gives no memory, so vram_gib is
    left out and named."""
    detected = detect(read_recorded(DATA / "h100-server"))

    assert (detected.data()["gpu"], [g.figure for g in detected.gaps if "gpu" in g.figure]) == (
        [{"name": "NVIDIA H100 80GB HBM3", "count": 8}],
        ["gpu[0].vram_gib (NVIDIA H100 80GB HBM3)"])


def test_h100_server_suggests_both_catalog_h100s_and_picks_neither() -> None:
    """"NVIDIA H100 80GB HBM3" is not one catalog GPU by name: both H100 entries are suggested in
    a comment, neither is chosen."""
    text, _ = detect_text(read_recorded(DATA / "h100-server"))

    assert "# Catalog GPUs of that model: nvidia-h100-pcie, nvidia-h100-sxm" in text


def test_partial_lscpu_leaves_sockets_and_cores_out() -> None:
    """An lscpu cut before "Thread(s) per core" names the Xeon Platinum 8480C but writes no
    cores, and says sockets were not read."""
    detected = detect(read_recorded(DATA / "h100-server"))

    assert (detected.data()["cpu"], sorted(g.figure for g in detected.gaps
                                           if g.figure.startswith("cpu"))) == (
        {"name": "Intel(R) Xeon(R) Platinum 8480C"},
        ["cpu.cores (cores per socket)", "cpu.count (sockets)"])


def test_dmidecode_of_an_am5_desktop_skips_the_empty_slot() -> None:
    """dmidecode on an AM5 desktop: the empty DIMM 0 is skipped, DIMM 1 is a 16 GiB DDR5 UDIMM
    rated 4800 MT/s and configured at 6000 MT/s."""
    assert parse_dmidecode_memory(_text("am5-ryzen-7950x", "dmidecode")) == [MemoryModule(
        size_gib=16.0, locator="DIMM 1", type="DDR5",
        type_detail="Synchronous Unbuffered (Unregistered)", form_factor="DIMM",
        speed_mts=4800, configured_mts=6000, part_number="F5-6000J3636F16G", rank=1,
        total_width_bits=64, data_width_bits=64)]


def test_expo_memory_is_declared_with_its_tuned_speed() -> None:
    """A module configured above its rated speed (EXPO) gets tuned_mts, which MEM008 checks."""
    assert _spec_of("am5-ryzen-7950x")["memory"] == [{
        "name": "F5-6000J3636F16G", "generation": "DDR5", "kind": "UDIMM", "ecc": False,
        "capacity_gib": 16, "speed_mts": 4800, "ranks": 1, "tuned_mts": 6000, "count": 1}]


def test_lpddr_memory_of_a_strix_halo_gets_no_module_generation() -> None:
    """Soldered LPDDR5 is not a DDR module generation: it is written without generation or kind,
    with its rated speed, and its type in a comment."""
    text, _ = detect_text(read_recorded(DATA / "strix-halo"))

    assert (tomllib.loads(text)["memory"], "# Memory type LPDDR5 (soldered" in text) == ([{
        "name": "Micron Technology MT62F4G32D8DV-023 WT", "ecc": False, "capacity_gib": 16,
        "speed_mts": 8532, "ranks": 2, "count": 1}], True)


def test_system_profiler_with_log_lines_between_fields() -> None:
    """system_profiler's own log lines between the fields are skipped; model, identifier, cores
    and memory are read, and the chip it did not print is None."""
    assert parse_system_profiler(_text("mac-studio-m4-max", "system_profiler")) == MacHardware(
        model_name="Mac Studio", model_identifier="Mac16,9", cpu_cores=16, memory_gib=128.0)


def test_a_mac_without_its_chip_is_declared_inline_and_the_chip_is_named() -> None:
    """Without the chip a Mac Studio with 128 GB could be an M4 Max or an M3 Ultra: it is not
    matched, and the chip is named as the figure that would match it."""
    detected = detect(read_recorded(DATA / "mac-studio-m4-max"))

    assert (detected.data()["system"], detected.gaps[0].figure) == (
        {"name": "Mac Studio (Mac16,9)", "memory_gib": 128, "cpu_cores": 16},
        "system.processor (chip)")


def test_a_mac_with_its_chip_but_no_catalog_entry_is_declared_inline() -> None:
    """A MacBook Pro with an M2 Max (which the catalog lacks) is declared inline with its chip,
    memory and CPU cores; only the GPU cores were not read."""
    detected = detect(read_recorded(DATA / "macbook-pro-m2-max"))

    assert (detected.data()["system"], [g.figure for g in detected.gaps]) == (
        {"name": "MacBook Pro (Mac14,6)", "processor": "Apple M2 Max", "memory_gib": 32,
         "cpu_cores": 12}, ["system.gpu_cores (GPU cores)"])


def test_rocm_smi_csv_of_an_mi100_server() -> None:
    """rocm-smi --showproductname --csv of two MI100s: two GPUs by card series, no memory."""
    assert parse_rocm_smi(_text("mi100-server", "rocm-smi")) == [
        GpuInfo("Arcturus GL-XL [AMD Instinct MI100]")] * 2


def test_mi100_server_gpus_are_declared_with_their_memory_named_as_unread() -> None:
    """The MI100s (not in the catalog) are one [[gpu]] entry of 2, and rocm-smi --showmeminfo
    vram is named as what would give their memory."""
    detected = detect(read_recorded(DATA / "mi100-server"))

    assert (detected.data()["gpu"], [g.supply for g in detected.gaps if "gpu" in g.figure]) == (
        [{"name": "Arcturus GL-XL [AMD Instinct MI100]", "count": 2}],
        ["rocm-smi --showmeminfo vram reports it"])


def test_registered_ecc_ddr4_of_an_epyc_server() -> None:
    """A record cut before its "Memory Device" header is not taken for a device; DIMMC2 is a
    32 GiB DDR4-3200 RDIMM, 72 bits wide for 64 of data, so ECC."""
    assert _spec_of("epyc-rome-ddr4-server")["memory"] == [{
        "name": "Samsung M393A4K40EB3-CWE", "generation": "DDR4", "kind": "RDIMM", "ecc": True,
        "capacity_gib": 32, "speed_mts": 3200, "ranks": 2, "count": 1}]


def test_dmidecode_3_7_sizes_in_gib_and_a_slower_configured_speed() -> None:
    """dmidecode 3.7 prints "32 GiB"; a module configured below its rated 5600 MT/s keeps its
    rated speed, the 4200 MT/s it runs at noted in a comment."""
    text, _ = detect_text(read_recorded(DATA / "am5-ddr5-2x5090"))

    assert (tomllib.loads(text)["memory"], "# Runs at 4200 MT/s" in text) == ([{
        "name": "Crucial Technology CP32G56C46U5.M16D1", "generation": "DDR5", "kind": "UDIMM",
        "ecc": False, "capacity_gib": 32, "speed_mts": 5600, "ranks": 2, "count": 1}], True)


def test_lscpu_of_two_core_types_adds_their_cores() -> None:
    """lscpu on a DGX Spark lists Cortex-X925 and Cortex-A725 with 10 cores each: one processor
    of 20 cores, named by both."""
    assert parse_lscpu(_text("dgx-spark", "lscpu")) == CpuInfo(
        model="Cortex-X925 + Cortex-A725", sockets=1, cores_per_socket=20, threads_per_core=1)


def test_a_dgx_spark_named_by_its_gpu_and_product_is_the_catalog_system() -> None:
    """With the recorded lscpu, the GB10 as nvidia-smi names it and a DMI product "DGX Spark"
    (the last two given here, not recorded), the machine is nvidia-dgx-spark and its GPU is the
    chip's own."""
    machine = Machine(cpu=parse_lscpu(_text("dgx-spark", "lscpu")),
                      gpus=(GpuInfo("NVIDIA GB10", None),), gpu_source="nvidia-smi",
                      dmi_vendor="NVIDIA", dmi_product="DGX Spark")
    detected = detect_machine(machine)

    assert (detected.data().get("gpu"), detected.matched) == (
        None, {"system": "nvidia-dgx-spark"})


def test_cpuinfo_of_a_qemu_virtual_machine() -> None:
    """/proc/cpuinfo of a KVM guest with QEMU's generic processor: two sockets of one core, and
    the hypervisor flag."""
    assert parse_cpuinfo(_text("qemu-vm", "cpuinfo")) == CpuInfo(
        model="QEMU Virtual CPU version 1.5.3", sockets=2, cores_per_socket=1,
        threads_per_core=1, logical_cpus=2, hypervisor="a hypervisor")


def test_a_virtual_machine_is_said_to_be_one() -> None:
    """The detected spec of a virtual machine says its figures are the guest's."""
    text, _ = detect_text(read_recorded(DATA / "qemu-vm"))

    assert "# A virtual machine (a hypervisor): these are the processor and memory the guest " \
           "sees, not the host's." in text


# --- matching by name -------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "expected"), [
    ("AMD EPYC 9654 96-Core Processor", "amd-epyc-9654"),
    ("AMD Ryzen 9 7950X3D 16-Core Processor", "amd-ryzen-9-7950x3d"),
    ("Intel(R) Xeon(R) Platinum 8480+", "intel-xeon-platinum-8480plus"),
    ("Intel(R) Core(TM) i9-14900K", "intel-core-i9-14900k"),
    ("AMD Ryzen Threadripper PRO 7995WX 96-Cores", "amd-threadripper-pro-7995wx"),
])
def test_a_cpu_model_string_matches_its_catalog_cpu(model: str, expected: str) -> None:
    """lscpu's model strings ("16-Core Processor", "(R)", "(TM)") match the catalog CPU names."""
    assert match_cpu(builtin_catalog(), model)[0] == expected


@pytest.mark.parametrize("model", [
    "AMD EPYC", "Common KVM processor", "QEMU Virtual CPU version 2.5+",
    "Intel(R) Xeon(R) Platinum 8480C", "AMD Eng Sample: 100-000000894-04",
])
def test_a_generic_or_unlisted_cpu_matches_nothing(model: str) -> None:
    """A generic virtual CPU, a bare "AMD EPYC" and a variant the catalog lacks (8480C, not
    8480+) match no catalog CPU."""
    assert match_cpu(builtin_catalog(), model)[0] is None


def test_a_virtual_machine_with_a_catalog_cpu_keeps_the_cores_it_sees() -> None:
    """A guest that sees 8 cores of an EPYC 9654 names the catalog part and states its 8 cores
    and 16 threads, which differ from the part's 96."""
    machine = Machine(cpu=CpuInfo(model="AMD EPYC 9654 96-Core Processor", sockets=1,
                                  cores_per_socket=8, threads_per_core=2, hypervisor="KVM"))

    assert detect_machine(machine).data()["cpu"] == {
        "part": "amd-epyc-9654", "cores": 8, "threads": 16, "count": 1}


@pytest.mark.parametrize(("gpu", "expected"), [
    (GpuInfo("NVIDIA GeForce RTX 4090", 24564), "nvidia-rtx-4090"),
    (GpuInfo("NVIDIA A100-SXM4-80GB", 81920), "nvidia-a100-80gb-sxm"),
    (GpuInfo("NVIDIA H100 PCIe", 81559), "nvidia-h100-pcie"),
    (GpuInfo("NVIDIA GeForce RTX 3060", 12288), "nvidia-rtx-3060-12gb"),
    (GpuInfo("NVIDIA GeForce RTX 4060 Ti", 8188), None),
    (GpuInfo("NVIDIA A100-SXM4-40GB", 40960), None),
    (GpuInfo("NVIDIA GeForce RTX 3060", None), None),
    (GpuInfo("Aqua Vanjaram [AMD Instinct MI300X]", 196592), "amd-mi300x"),
    (GpuInfo("Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]", 24560), None),
])
def test_a_gpu_name_matches_only_with_agreeing_memory(gpu: GpuInfo, expected: str | None) -> None:
    """A GPU matches a catalog card when the words of its name (rocm-smi's bracketed marketing
    name where it gives one) and its memory agree: an 8 GB 4060 Ti is not the catalog's 16 GB
    one, a 3060 of unknown memory is not picked, and a bracket naming four cards names none."""
    assert match_gpu(builtin_catalog(), gpu)[0] == expected


def test_a_mac_matches_its_catalog_system_by_chip_memory_and_cores() -> None:
    """A Mac Studio with an M3 Ultra, 512 GB, 32 CPU and 80 GPU cores is the catalog's
    apple-mac-studio-m3-ultra-512gb."""
    mac = MacHardware(model_name="Mac Studio", model_identifier="Mac15,14",
                      chip="Apple M3 Ultra", cpu_cores=32, memory_gib=512, gpu_cores=80)

    assert match_mac(builtin_catalog(), mac)[0] == "apple-mac-studio-m3-ultra-512gb"


def test_a_mac_whose_memory_is_not_in_the_catalog_matches_nothing() -> None:
    """An M3 Ultra Mac Studio with a memory size the catalog does not list is not matched."""
    mac = MacHardware(model_name="Mac Studio", chip="Apple M3 Ultra", cpu_cores=32,
                      memory_gib=384)

    assert match_mac(builtin_catalog(), mac)[0] is None


def test_a_framework_desktop_matches_its_catalog_system() -> None:
    """A machine whose DMI product is the Framework Desktop, with a Ryzen AI Max+ 395 and 128 GiB
    of LPDDR5 read by dmidecode, is the catalog's 128 GB Framework Desktop."""
    machine = Machine(
        cpu=CpuInfo(model="AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", sockets=1,
                    cores_per_socket=16, threads_per_core=2),
        modules=tuple(MemoryModule(size_gib=16, type="LPDDR5") for _ in range(8)),
        dmi_vendor="Framework", dmi_product="Desktop (AMD Ryzen AI Max 300 Series)")

    assert detect_machine(machine).matched == {
        "system": "framework-desktop-ryzen-ai-max-395-128gb"}


def test_a_strix_halo_of_another_maker_is_a_system_declared_inline() -> None:
    """The same chip in a product the catalog lacks is an inline [system] (its memory is
    unified), with the catalog systems of that chip suggested in a comment."""
    machine = Machine(
        cpu=CpuInfo(model="AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", sockets=1,
                    cores_per_socket=16, threads_per_core=2),
        modules=tuple(MemoryModule(size_gib=16, type="LPDDR5", speed_mts=8532,
                                   configured_mts=8000) for _ in range(8)),
        dmi_vendor="GMKtec", dmi_product="EVO-X2")
    detected = detect_machine(machine)

    assert (detected.matched, detected.data()["system"], "# Catalog systems with this "
            "processor: framework-desktop-ryzen-ai-max-395-128gb, "
            "framework-desktop-ryzen-ai-max-395-64gb" in spec_text(detected)) == (
        {}, {"name": "GMKtec EVO-X2", "processor":
             "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", "memory_gib": 128,
             "memory_type": "LPDDR5", "speed_mts": 8000, "cpu_cores": 16}, True)


def test_the_integrated_gpu_of_a_system_is_not_a_card() -> None:
    """On a Strix Halo the GPU rocm-smi names is the chip's own: no [[gpu]] is written for it."""
    machine = Machine(
        cpu=CpuInfo(model="AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", sockets=1,
                    cores_per_socket=16, threads_per_core=2),
        gpus=(GpuInfo("AMD Radeon 8060S Graphics", 98304),), gpu_source="rocm-smi",
        dmi_vendor="Framework", dmi_product="Desktop (AMD Ryzen AI Max 300 Series)")

    assert "gpu" not in detect_machine(machine).data()


def detect_machine(machine: Machine) -> DetectedSpec:
    return detected_spec(machine, builtin_catalog())


# --- other formats ------------------------------------------------------------------------------


def test_nvidia_smi_csv_with_its_header() -> None:
    """nvidia-smi --format=csv: the header names the columns, memory comes in MiB."""
    text = "name, memory.total [MiB]\nNVIDIA GeForce RTX 4090, 24564 MiB\n"

    assert parse_nvidia_smi_csv(text) == [GpuInfo("NVIDIA GeForce RTX 4090", 24564.0)]


def test_rocm_smi_json() -> None:
    """rocm-smi --json: the card series names the GPU and VRAM Total Memory (B) its memory."""
    text = ('{"card0": {"Card Series": "AMD Instinct MI300X", '
            '"VRAM Total Memory (B)": "205822885888"}}')

    assert parse_rocm_smi(text) == [GpuInfo("AMD Instinct MI300X", 205822885888 / 2**20)]


def test_sysctl_fills_what_system_profiler_left_out() -> None:
    """sysctl's brand string, memory in bytes and core count stand in for a system_profiler that
    printed no chip."""
    from hwspec.tools.detect.parse import merged, parse_sysctl

    sysctl = parse_sysctl("machdep.cpu.brand_string: Apple M3 Ultra\n"
                          "hw.memsize: 549755813888\nhw.physicalcpu: 32\n")
    profiler = parse_system_profiler("Model Name: Mac Studio\nMemory: 512 GB\n")

    assert merged(profiler, sysctl) == MacHardware(
        model_name="Mac Studio", chip="Apple M3 Ultra", cpu_cores=32, memory_gib=512.0)


def test_lscpu_figures_win_and_cpuinfo_fills_the_rest() -> None:
    """Where lscpu and /proc/cpuinfo both give a figure, lscpu's is kept (model, logical CPUs);
    what lscpu left out comes from cpuinfo (sockets, cores). The reports of two different
    recorded machines are merged here only to exercise the rule."""
    from hwspec.tools.detect.parse import merged

    lscpu = parse_lscpu(_text("h100-server", "lscpu"))
    cpuinfo = parse_cpuinfo(_text("qemu-vm", "cpuinfo"))

    assert merged(lscpu, cpuinfo) == CpuInfo(
        model="Intel(R) Xeon(R) Platinum 8480C", sockets=2, cores_per_socket=1,
        threads_per_core=1, logical_cpus=224, hypervisor="a hypervisor")


def test_dmidecode_gib_units_and_registered_modules() -> None:
    """dmidecode 3.6 prints GiB; a registered module 72 bits wide is an ECC RDIMM."""
    text = ("Handle 0x0011, DMI type 17, 92 bytes\nMemory Device\n\tTotal Width: 72 bits\n"
            "\tData Width: 64 bits\n\tSize: 64 GiB\n\tForm Factor: DIMM\n\tType: DDR5\n"
            "\tType Detail: Synchronous Registered (Buffered)\n\tSpeed: 6400 MT/s\n")
    machine = Machine(cpu=CpuInfo(model="AMD EPYC 9655 96-Core Processor", sockets=2,
                                  cores_per_socket=96, threads_per_core=2),
                      modules=tuple(parse_dmidecode_memory(text)))

    assert detect_machine(machine).data()["memory"] == [{
        "name": "64 GiB DDR5 module", "generation": "DDR5", "kind": "RDIMM", "ecc": True,
        "capacity_gib": 64, "speed_mts": 6400, "count": 1}]


def test_the_recorded_example_in_the_docs_is_what_detect_writes() -> None:
    """docs/detect.md's AM5 example is the block detect writes for that recorded machine."""
    doc = (DATA.parents[2] / "docs" / "detect.md").read_text(encoding="utf-8")
    start = doc.index("```toml\n# 1 module read by dmidecode") + len("```toml\n")
    example = doc[start:doc.index("```", start)]
    text, _ = detect_text(read_recorded(DATA / "am5-ryzen-7950x"))

    assert example in text


# --- the machine the tests run on ---------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux sources")
def test_this_machine_gives_a_spec_that_validates_with_its_cores_and_memory() -> None:
    """The spec of the machine running the tests validates without SPEC00x, counts its logical
    CPUs as os.cpu_count() does, and holds within 10 % of the memory the kernel reports."""
    text, _ = detect_text()
    spec = hwspec.loads(text)
    physical_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    assert spec.cpu is not None
    listed = builtin_catalog().get("cpu", spec.cpu.part or "")
    per_cpu = spec.cpu.threads or (listed.fields.get("threads", 0) if listed else 0)
    threads = per_cpu * spec.cpu.count
    memory = sum((m.capacity_gib or 0) * m.count for m in spec.memory)

    assert (_spec_codes(text), threads, abs(memory - physical_gib) <= 0.1 * physical_gib) == (
        [], os.cpu_count(), True)


def test_collect_on_another_system_runs_no_linux_source() -> None:
    """On a system that is neither Linux nor macOS nothing Linux-only is read."""
    sources = collect(system="plan9")

    assert (dict(sources.texts), dict(sources.unread)) == ({}, {})


def test_a_missing_tool_is_recorded_not_raised() -> None:
    """A command that is not installed is reported as such."""
    assert run(("hwspec-no-such-tool",)) == (None, "hwspec-no-such-tool is not installed")


def test_a_command_that_fails_is_recorded_with_its_exit_code() -> None:
    """A command that exits non-zero is not read, whatever it printed."""
    assert run(("false",)) == (None, "false failed (exit 1)")


def test_a_message_without_gpus_is_not_a_gpu() -> None:
    """nvidia-smi's "No devices were found" is no GPU."""
    assert parse_nvidia_smi_csv("No devices were found\n") == []


def test_a_command_that_hangs_is_stopped() -> None:
    """A command still running after its time limit is killed and reported."""
    started = time.monotonic()

    result = run(("sleep", "30"), timeout_s=0.3)

    assert (result, time.monotonic() - started < 10) == (
        (None, "sleep did not finish within 0.3 s"), True)


def test_a_command_that_prints_without_end_is_cut_at_the_limit() -> None:
    """Only the first ``limit`` bytes of a command's output are kept, and the command is
    stopped."""
    text, _ = run(("yes",), limit=1000)

    assert len(text or "") == 1000


# --- the command line ---------------------------------------------------------------------------


def test_init_detect_prints_a_spec() -> None:
    """hwspec init --detect - prints the detected spec on standard output, named "Detected:
    ..."."""
    result = invoke(["init", "--detect", "-"])

    assert (result.exit_code,
            tomllib.loads(result.stdout)["build"]["name"].startswith("Detected: ")) == (0, True)


def test_init_detect_keeps_an_existing_file(tmp_path: Path) -> None:
    """An existing file is not replaced without --force: exit 2, contents unchanged."""
    target = tmp_path / "build.toml"
    target.write_text("keep\n", encoding="utf-8")

    result = invoke(["init", "--detect", str(target)])

    assert (result.exit_code, target.read_text("utf-8")) == (2, "keep\n")


def test_init_detect_takes_the_given_name(tmp_path: Path) -> None:
    """--name replaces the detected build name."""
    target = tmp_path / "build.toml"

    invoke(["init", "--detect", "--name", "Rack 3", str(target)])

    assert tomllib.loads(target.read_text("utf-8"))["build"]["name"] == "Rack 3"


# --- hostile and odd text -------------------------------------------------------------------------


PARSERS = (parse_lscpu, parse_cpuinfo, parse_dmidecode_memory, parse_meminfo, parse_lsmem,
           parse_nvidia_smi_csv, parse_nvidia_smi_list, parse_rocm_smi, parse_system_profiler)


@given(st.sampled_from(PARSERS), st.text(max_size=300))
def test_parsers_are_total(parser: object, text: str) -> None:
    """Every parser returns a record for any text; none raises."""
    assert callable(parser)
    parser(text)


@given(st.text(max_size=80))
def test_a_reported_name_cannot_break_the_written_spec(model: str) -> None:
    """Whatever a processor calls itself (line breaks, quotes, control characters), the written
    spec parses, and every comment line starts with "# "."""
    sources = Sources(texts={"lscpu": f"Model name: {model}\nSocket(s): 1\n"
                                      "Core(s) per socket: 4\n"})
    text = spec_text(detect(sources))
    comments = [line for line in text.splitlines() if line.startswith("#")]

    assert (isinstance(tomllib.loads(text), dict),
            all(line.startswith(("# ", "#:schema ")) or line == "#" for line in comments)) == (
        True, True)
