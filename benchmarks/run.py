#!/usr/bin/env python3
"""How fast hwspec checks specs, beside a JSON Schema checker and beside plain TOML parsing.

Run it from the repository root with the Python of the environment hwspec is installed in:

    python benchmarks/run.py                  # 1,000 and 10,000 generated specs, 5 runs each
    python benchmarks/run.py --quick          # a tiny run (20 specs, 1 run): shows it works
    python benchmarks/run.py --sizes 500 --repeat 3 --jobs 1,2,auto --keep

It measures, as the median of repeated runs with their min-max:

* cold start: ``hwspec validate`` on one spec in a fresh process, beside ``python -c pass`` and
  ``check-jsonschema`` with the schema ``hwspec schema`` prints;
* throughput: specs per second over a folder of generated specs, for the command line in one
  process and with its default worker count, for ``hwspec.validate()`` in a loop once warm, for
  ``check-jsonschema`` on the same files, and for reading and parsing the files with ``tomllib``
  and nothing else (the floor);
* the ratios between them and the performance targets, each met or not.

The specs are generated from the built-in catalog with a seeded random generator (the same seed
and catalog give the same files), as compatible builds: every one loads and resolves (no SPEC00x
finding; the script stops if one does), while some break a rule (a PSU too small, a model too
large).

Subprocesses run without PYTHONDONTWRITEBYTECODE, after one untimed warm-up run of each command, so
bytecode caches exist and are used as in an installed copy. Only the standard library, hwspec and
(when installed) check-jsonschema are used; without check-jsonschema its rows read n/a.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hwspec
from hwspec.project.parallel import default_jobs
from hwspec.spec.vocab import BITS_PER_WEIGHT

ROOT = Path(__file__).resolve().parent.parent
COLD_SPEC = Path("specs/epyc-dual.toml")
SEED = 20240607
BIN = Path(sys.executable).parent

COLD_TARGET_MS = 100.0
COLD_TARGET_VS_SCHEMA = 0.45  # hwspec's cold time at most this fraction of check-jsonschema's
# Throughput targets are for the command line as users run it (its default jobs):
SPEED_TARGET_VS_SCHEMA = 1.3  # hwspec's specs/s at least this many times check-jsonschema's
PARSE_TARGET = 4.5  # hwspec's time at most this many times that of reading + parsing


def arg_bytes() -> int:
    """Bytes of file names to pass to one check-jsonschema call: a quarter of the system's
    ARG_MAX (the whole command line and environment must fit in it), at most 1 MiB."""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):  # not on a POSIX system
        arg_max = 32 * 1024
    return max(16 * 1024, min(arg_max // 4, 1024 * 1024))


PARSE_ONLY = """\
import os, sys
parser = __import__(sys.argv[2])
folder = sys.argv[1]
for root, dirs, names in os.walk(folder):
    dirs.sort()
    for name in sorted(names):
        if name.endswith(".toml"):
            with open(os.path.join(root, name), "rb") as file:
                parser.loads(file.read().decode("utf-8-sig"))
"""
"""The floor as a process: start Python, find the .toml files, read and parse each one (with the
parser named second: the standard library's ``tomllib``, the floor the targets read, or ``tomli``,
the compiled parser hwspec reads specs with)."""


# ---------------------------------------------------------------------------------------------
# Generating specs
# ---------------------------------------------------------------------------------------------

KV_PRECISIONS = ["f16", "bf16", "fp8", "q8_0", "q4_0"]
CONTEXTS = [2048, 4096, 8192, 16384, 32768, 65536, 131072]
CURRENCIES = ["USD", "EUR", "CNY", "GBP"]
BITS = BITS_PER_WEIGHT
"""Bits per weight of each precision a spec may name, to pick a model that fits."""


@dataclass
class Parts:
    """The built-in catalog, indexed the way the generator picks parts."""

    boards: list[Any]
    cpus_by_platform: dict[str, list[Any]]
    board_less_cpus: list[Any]
    memory: list[Any]
    psus: list[Any]
    models: list[Any]
    gpus: list[Any]
    cases: list[Any]
    storage: list[Any]
    platforms: dict[str, Any] = field(default_factory=dict)


def catalog_parts() -> Parts:
    catalog = hwspec.builtin_catalog()
    platforms = {e.id: catalog.platform(e.id) for e in catalog.entries("platform")}
    cpus_by_platform: dict[str, list[Any]] = {}
    for cpu in catalog.entries("cpu"):
        if cpu.fields.get("platform") in platforms:
            cpus_by_platform.setdefault(cpu.fields["platform"], []).append(cpu)
    boards = [b for b in catalog.entries("board")
              if any(cpus_by_platform.get(p) for p in b.fields.get("platforms", ()))]
    on_a_board = {p for b in boards for p in b.fields.get("platforms", ())}
    board_less = [c for cpus in cpus_by_platform.values() for c in cpus
                  if c.fields["platform"] not in on_a_board]
    return Parts(
        boards=boards,
        cpus_by_platform=cpus_by_platform,
        board_less_cpus=board_less,
        memory=list(catalog.entries("memory")),
        psus=list(catalog.entries("psu")),
        models=list(catalog.entries("model")),
        gpus=list(catalog.entries("gpu")),
        cases=list(catalog.entries("case")),
        storage=list(catalog.entries("storage")),
        platforms=platforms,
    )


def compatible_memory(parts: Parts, platform_id: str) -> list[Any]:
    """Modules of a generation and kind the platform takes (RDIMM where it does not say)."""
    plat = parts.platforms[platform_id]
    kinds = plat.module_kinds or ("RDIMM",)
    found = [m for m in parts.memory
             if m.fields.get("kind") in kinds
             and m.fields.get("generation") == (plat.memory_generation or "DDR5")
             and (plat.max_module_gib is None
                  or m.fields.get("capacity_gib", 0) <= plat.max_module_gib)]
    return found or parts.memory


def price(rng: random.Random, low: int, high: int) -> int | float:
    value = rng.randint(low, high)
    return value if rng.random() < 0.7 else round(value + rng.random(), 2)


def weights_gib(model: Any, precision: str) -> float:
    return model.fields.get("params_b", 0) * 1e9 * BITS[precision] / 8 / 2**30


def generate_spec(rng: random.Random, parts: Parts, index: int) -> dict[str, Any]:
    """One compatible build as TOML-ready data. Most builds pass; about one in four is given a
    flaw a buyer could make (too small a PSU or budget, a model that does not fit, half the
    memory channels empty, no power figures), so that rules fire as well as pass."""
    data: dict[str, Any] = {}
    priced = rng.random() < 0.6
    powered = rng.random() < 0.8  # power figures on every part (else PWR003 warns)
    flaw = rng.choice(["psu", "budget", "fit", "channels", "decode"]) if rng.random() < 0.25 else ""
    lines: list[float] = []
    load = 0.0

    def add(table: dict[str, Any], low: int, high: int, count: int = 1,
            watts: float = 0.0) -> dict[str, Any]:
        nonlocal load
        if priced:
            table["price"] = price(rng, low, high)
            lines.append(table["price"] * count)
        if powered and watts and "power_w" not in table:
            table["power_w"] = watts
        load += count * table.get("power_w", 0)
        return table

    board = (rng.choice(parts.boards)
             if not parts.board_less_cpus or rng.random() < 0.85 else None)
    if board is not None:
        platform_id = rng.choice([p for p in board.fields["platforms"]
                                  if parts.cpus_by_platform.get(p)])
        cpu = rng.choice(parts.cpus_by_platform[platform_id])
        sockets = board.fields.get("sockets", 1)
    else:
        cpu = rng.choice(parts.board_less_cpus)
        platform_id = cpu.fields["platform"]
        sockets = 2
    plat = parts.platforms[platform_id]
    max_sockets = min(sockets, cpu.fields.get("max_sockets", 1), plat.max_sockets or 8)
    cpu_count = rng.choice([1, max_sockets]) if max_sockets > 1 else 1
    load += cpu_count * cpu.fields.get("tdp_w", 0)

    channels = ((board.fields.get("channels_per_socket") if board else None)
                or plat.channels_per_socket or 8)
    slots_per_socket = (board.fields.get("dimm_slots", channels * sockets) // sockets
                        if board else channels * 2)
    per_channel = 2 if slots_per_socket >= 2 * channels and rng.random() < 0.2 else 1
    modules = channels * cpu_count * per_channel
    if flaw == "channels":
        modules = max(1, modules // 2)

    name = f"Bench {index:05d}: {cpu_count} x {cpu.fields.get('name', cpu.id)}"
    data["build"] = {"name": name}
    if priced:
        data["build"]["currency"] = rng.choice(CURRENCIES)
    if board is not None:
        data["board"] = add({"part": board.id}, 500, 2000, watts=rng.choice([40, 60, 80]))
    data["cpu"] = add({"part": cpu.id, "count": cpu_count}, 500, 15000, cpu_count)

    memory = rng.choice(compatible_memory(parts, platform_id))
    per_kit = memory.fields.get("modules_per_kit", 1)
    units = max(1, modules // per_kit)
    memory_gib = units * per_kit * memory.fields.get("capacity_gib", 32)
    data["memory"] = [add({"part": memory.id, "count": units}, 80, 1500, units * per_kit,
                          watts=rng.choice([6, 8, 10, 12]))]

    # Prices and power of the rest, before the PSU is chosen to carry them.
    rest: dict[str, Any] = {}
    if rng.random() < 0.5:
        if rng.random() < 0.5 and parts.storage:
            rest["storage"] = [add({"part": rng.choice(parts.storage).id}, 80, 300, watts=8)]
        else:
            count = rng.randint(1, 4)
            rest["storage"] = [add({"name": "NVMe SSD", "kind": "nvme",
                                    "capacity_tb": rng.choice([1, 2, 4, 7.68]),
                                    "count": count}, 80, 900, count, watts=8)]
    if rng.random() < 0.1 and parts.gpus:
        gpu = rng.choice(parts.gpus)
        count = rng.randint(1, 2)
        rest["gpu"] = [add({"part": gpu.id, "count": count}, 1500, 30000, count)]
        load += count * gpu.fields.get("tdp_w", 0)
    if rng.random() < 0.4:
        rest["case"] = add({"part": rng.choice(parts.cases).id}, 100, 900, watts=15)
    if rng.random() < 0.3:
        rest["cooling"] = add({"name": "Air coolers"}, 50, 400, watts=rng.randint(5, 40))

    limit = 0.8 * (1.0 if flaw != "psu" else 0.5)
    fitting = [p for p in parts.psus if p.fields.get("capacity_w", 0) * limit >= load]
    if fitting and rng.random() < 0.8:
        data["psu"] = add({"part": rng.choice(fitting).id}, 150, 600)
    else:
        watts = max(1000, -(-load / limit // 200) * 200)
        data["psu"] = add({"name": "Server PSU", "capacity_w": int(watts)}, 150, 600)
    data.update(rest)

    # A model and precision whose weights leave room for the KV cache (unless the flaw is fit).
    room = memory_gib * 0.6
    choices = [(m, p) for m in parts.models for p in BITS
               if (weights_gib(m, p) <= room) != (flaw == "fit")]
    model, precision = rng.choice(choices or [(m, p) for m in parts.models for p in BITS])
    workload: dict[str, Any] = {"model": model.id, "precision": precision,
                                "context_tokens": rng.choice(CONTEXTS[:4] if flaw != "fit"
                                                             else CONTEXTS)}
    if rng.random() < 0.3:
        workload["batch"] = rng.randint(1, 4)
    if rng.random() < 0.3:
        workload["kv_precision"] = rng.choice(KV_PRECISIONS)
    if flaw == "decode":
        workload["min_decode_tokens_per_s"] = 500
    elif rng.random() < 0.3:
        workload["min_decode_tokens_per_s"] = 0.5
    data["workload"] = workload

    if priced:
        total = sum(lines)
        budget = total * (rng.uniform(0.7, 0.95) if flaw == "budget" else rng.uniform(1.0, 1.4))
        if rng.random() < 0.6 or flaw == "budget":
            data["build"]["budget"] = round(budget) + 1
        if rng.random() < 0.2:
            data["build"]["quoted_total"] = round(total + rng.choice([0, 0, 0, 10]), 2)
    if rng.random() < 0.1:
        data["checks"] = {"params": {"psu_max_load": rng.choice([0.8, 0.85, 0.9])}}
    return data


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_text(data: dict[str, Any], comment: str) -> str:
    """Write spec data as TOML: tables, arrays of tables ([[memory]]), plain keys."""
    out = [f"# {comment}", ""]
    for name, value in data.items():
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            out.append(f"[[{name}]]" if isinstance(value, list) else f"[{name}]")
            out.extend(f"{key} = {toml_value(v)}" for key, v in entry.items())
            out.append("")
    return "\n".join(out)


def write_specs(folder: Path, count: int, seed: int) -> list[Path]:
    """Write ``count`` generated specs into ``folder``; the same seed writes the same files."""
    rng = random.Random(f"{seed}-{count}")
    parts = catalog_parts()
    folder.mkdir(parents=True)
    files = []
    for index in range(count):
        data = generate_spec(rng, parts, index)
        path = folder / f"build-{index:05d}.toml"
        path.write_text(toml_text(data, f"Generated benchmark spec {index} (seed {seed})"),
                        encoding="utf-8")
        files.append(path)
    return files


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs of one thing."""

    label: str
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def ok(self) -> bool:
        return bool(self.seconds)


class BenchmarkError(Exception):
    """A command that should have run did not."""


def child_env() -> dict[str, str]:
    """The environment for every subprocess: bytecode caches on (they serve hwspec's shipped
    data too), plain text output."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONSTARTUP",
                 "PYTHONINSPECT", "PYTHONDEVMODE", "PYTHONTRACEMALLOC", "PYTHONWARNINGS",
                 "GITHUB_ACTIONS"):
        env.pop(name, None)
    return env


ENV: dict[str, str] = child_env()
"""The environment of every command the benchmark runs (``child_env``)."""


def run_once(cmd: Sequence[str], *, ok_codes: Iterable[int] = (0, 1), cwd: Path | None = None,
             stdout: Path | None = None, env: dict[str, str] | None = None) -> int:
    """Run a command to its end (its output to /dev/null, or to the file ``stdout``); return
    its exit code, which must be one of ``ok_codes``. A Python traceback on standard error
    stops the benchmark whatever the exit code (an uncaught exception exits 1 too)."""
    with open(stdout or os.devnull, "wb") as out:
        proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, stdin=subprocess.DEVNULL,
                              stdout=out, stderr=subprocess.PIPE, check=False)
    crashed = b"Traceback (most recent call last)" in proc.stderr
    if proc.returncode not in tuple(ok_codes) or crashed:
        err = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise BenchmarkError(f"`{' '.join(cmd[:4])} ...` exited {proc.returncode}: "
                             + " | ".join(err))
    return proc.returncode


def time_commands(commands: dict[str, Callable[[], object]], repeat: int) -> dict[str, Timing]:
    """Time each callable ``repeat`` times, interleaved (a, b, c, a, b, c ...) so that drift in
    the machine's load spreads over all of them instead of landing on one."""
    timings = {label: Timing(label) for label in commands}
    for _ in range(repeat):
        for label, run in commands.items():
            start = time.perf_counter()
            run()
            timings[label].seconds.append(time.perf_counter() - start)
    return timings


def batches(names: list[str], limit: int) -> list[list[str]]:
    """The names in consecutive groups of at most ``limit`` bytes of command line each."""
    out: list[list[str]] = [[]]
    size = 0
    for name in names:
        if out[-1] and size + len(name) + 1 > limit:
            out.append([])
            size = 0
        out[-1].append(name)
        size += len(name) + 1
    return out


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def duration(seconds: float) -> str:
    return ms(seconds) if seconds < 1 else f"{seconds:,.2f} s"


def spread(t: Timing, fmt: Callable[[float], str]) -> str:
    low, high = min(t.seconds), max(t.seconds)
    return f"{fmt(low)} - {fmt(high)}"


def tool_version(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], env=ENV, capture_output=True, text=True,
                             check=False, timeout=60).stdout.strip()
    except OSError:
        return "?"
    return out.split()[-1] if out else "?"


def git_state() -> str:
    """The commit of the checkout the benchmark runs in, and whether src/ has local changes."""
    if shutil.which("git") is None:
        return "unknown (no git)"
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(ROOT), "status", "--short", "--", "src"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" with uncommitted changes under src/" if status else "")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def core_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def find_tool(name: str) -> str | None:
    """A console script of this environment, else one on PATH."""
    for candidate in (BIN / name, BIN / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


BURN = "x = 0\nfor i in range({n}):\n    x += i * i\n"


def parallel_capacity(processes: int, n: int = 3_000_000) -> float:
    """How many times the work of one process ``processes`` CPU-bound processes get done in the
    same time (ideal: ``processes``). Cores that are hyper-threads of one physical core, or a
    host that gives a virtual machine less than its cores, show here as less than ideal."""
    cmd = [sys.executable, "-c", BURN.format(n=n)]

    def together(count: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen(cmd, env=ENV) for _ in range(count)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    together(1)
    alone = statistics.median(together(1) for _ in range(3))
    crowded = statistics.median(together(processes) for _ in range(3))
    return processes * alone / crowded


def verdict(met: bool) -> str:
    return "[met]    " if met else "[NOT met]"


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None,
                        help="comma-separated spec counts to generate [default: 1000,10000]")
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed runs of each throughput measurement [default: 5]")
    parser.add_argument("--cold-repeat", type=int, default=None,
                        help="timed runs of each cold-start command [default: 20]")
    parser.add_argument("--jobs", default="1,auto",
                        help="comma-separated -j values for `hwspec validate DIR`; auto runs it "
                             "without -j (its default) [default: 1,auto]")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny run: 20 specs, 1 run each, 3 cold runs (shows it works; "
                             "the figures mean little)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"generator seed [default: {SEED}]")
    parser.add_argument("--check-jsonschema", dest="cjs", metavar="COMMAND", default=None,
                        help="the check-jsonschema command to compare with [default: the one "
                             "installed beside this Python, else on PATH]")
    parser.add_argument("--keep", action="store_true",
                        help="keep the folder of generated specs and print where it is")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ("20" if args.quick else "1000,10000")
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: {args.sizes!r} is not a list of numbers")
    if not args.size_list or min(args.size_list) < 1:
        parser.error("--sizes: give at least one count of 1 or more")
    args.repeat = args.repeat or (1 if args.quick else 5)
    args.cold_repeat = args.cold_repeat or (3 if args.quick else 20)
    args.job_list = [j.strip() for j in args.jobs.split(",") if j.strip()]
    for job in args.job_list:
        if job != "auto" and not (job.isdigit() and int(job) >= 1):
            parser.error(f"--jobs: {job!r} is neither a count of 1 or more nor auto")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    started = time.perf_counter()
    hwspec_cmd = find_tool("hwspec")
    if hwspec_cmd is None:
        print("hwspec's command is not installed in this environment", file=sys.stderr)
        return 2
    cjs_cmd = args.cjs if args.cjs is not None else find_tool("check-jsonschema")
    if cjs_cmd is not None and shutil.which(cjs_cmd) is None:
        cjs_cmd = None
    cores = core_count()
    work = Path(tempfile.mkdtemp(prefix="hwspec-bench-"))

    print("hwspec benchmark")
    print(f"  date        {time.strftime('%Y-%m-%d %H:%M:%S %z')}")
    print(f"  machine     {cores} cores available ({os.cpu_count()} online), {cpu_model()}, "
          f"{platform.system()} {platform.release()} {platform.machine()}")
    print(f"  python      {platform.python_implementation()} {platform.python_version()} "
          f"({sys.executable})")
    if cores > 1 and not args.quick:
        print(f"  parallel    {cores} CPU-bound processes at once do "
              f"{parallel_capacity(cores):.2f}x the work of one (ideal {cores}x)")
    print(f"  hwspec      {hwspec.__version__}, commit {git_state()}")
    cjs_version = tool_version([cjs_cmd]) if cjs_cmd else None
    print(f"  check-jsonschema  {cjs_version or 'not found (its rows read n/a)'}")
    print("  method      wall-clock time, median of repeated runs [min - max]")
    print("  hygiene     subprocesses run without PYTHONDONTWRITEBYTECODE, after one untimed "
          "warm-up run")
    print("              of each command, so bytecode caches (which also serve hwspec's shipped "
          "data)")
    print("              exist and are used, as in an installed copy")
    print(f"  runs        {args.cold_repeat} per cold-start command, {args.repeat} per "
          f"throughput measurement, interleaved")
    print(flush=True)

    try:
        return run(args, work, hwspec_cmd, cjs_cmd, cores, started)
    except BenchmarkError as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"\ngenerated specs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path, hwspec_cmd: str, cjs_cmd: str | None, cores: int,
        started: float) -> int:
    # The schema that check-jsonschema checks against: whatever `hwspec schema` prints.
    schema_path = work / "schema.json"
    schema_problem = None
    if cjs_cmd is None:
        schema_problem = "check-jsonschema not found (pip install check-jsonschema)"
    else:
        proc = subprocess.run([hwspec_cmd, "schema"], env=ENV, capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            schema_problem = f"`hwspec schema` failed: {last}"
        else:
            schema_path.write_text(proc.stdout, encoding="utf-8")
    cjs = None if schema_problem else [cjs_cmd, "--schemafile", str(schema_path)]

    hw_label = f"hwspec validate {COLD_SPEC}"
    cjs_cold_label = f"check-jsonschema --schemafile schema.json {COLD_SPEC}"
    cold_cmds: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        hw_label: [hwspec_cmd, "validate", str(COLD_SPEC)],
    }
    if cjs is not None:
        cold_cmds[cjs_cold_label] = [*cjs, str(COLD_SPEC)]

    # Warm-up: one untimed run of each command writes the bytecode caches.
    for cmd in cold_cmds.values():
        run_once(cmd)
    runs: dict[str, Callable[[], object]] = {
        label: (lambda c=cmd: run_once(c)) for label, cmd in cold_cmds.items()}
    cold = time_commands(runs, args.cold_repeat)

    width = 72
    print(f"== Cold start: one spec ({COLD_SPEC}), new process each run ==")
    print(f"{'':<{width}} {'median':>10}   min - max")
    for label in ("python -c pass", hw_label, cjs_cold_label):
        if label not in cold:
            print(f"{label:<{width}} {'n/a':>10}   {schema_problem}")
            continue
        t = cold[label]
        print(f"{t.label:<{width}} {ms(t.median):>10}   {spread(t, ms)}")
    hw_cold = cold[hw_label]
    py_cold = cold["python -c pass"]
    print(f"{'hwspec beyond the interpreter start (difference of medians)':<{width}} "
          f"{ms(hw_cold.median - py_cold.median):>10}")
    print(flush=True)

    results: list[tuple[int, dict[str, Timing], Counter[str], int]] = []
    for index, size in enumerate(args.size_list):
        results.append(throughput(size, args, work, hwspec_cmd, cjs, schema_problem, cores,
                                  warm_up=index == 0))

    # Ratios and targets.
    print("== Ratios ==")
    cjs_cold = cold.get(cjs_cold_label)
    if cjs_cold is not None:
        print(f"cold, one spec: hwspec ÷ check-jsonschema, time ratio: "
              f"{hw_cold.median / cjs_cold.median:.2f} (below 1 means hwspec is faster)")
    else:
        print("cold, one spec: hwspec ÷ check-jsonschema, time ratio: n/a")
    for size, t, _, _ in results:
        one = t["cli-1"]
        auto = t.get("cli-auto")
        n = f"{size:,} specs"
        if "cjs" in t:
            cj = t["cjs"]
            print(f"{n}: hwspec ÷ check-jsonschema, speed ratio (specs/s, one process each): "
                  f"{cj.median / one.median:.2f}x")
            if auto is not None:
                print(f"{n}: hwspec ÷ check-jsonschema, speed ratio (specs/s, hwspec with its "
                      f"default jobs): {cj.median / auto.median:.2f}x")
        else:
            print(f"{n}: hwspec ÷ check-jsonschema, speed ratio: n/a ({schema_problem})")
        print(f"{n}: hwspec ÷ parse-only, time ratio (one process each, CLI vs script): "
              f"{one.median / t['parse-sub'].median:.2f}x")
        if auto is not None:
            print(f"{n}: hwspec ÷ parse-only, time ratio (hwspec with its default jobs vs the "
                  f"script): {auto.median / t['parse-sub'].median:.2f}x")
            print(f"{n}: hwspec ÷ parse-only with hwspec's own parser, tomli (default jobs vs "
                  f"the script): {auto.median / t['parse-tomli'].median:.2f}x")
        print(f"{n}: hwspec ÷ parse-only, time ratio (in-process, steady state): "
              f"{t['api'].median / t['parse-api'].median:.2f}x")
    print()

    print("== Targets ==")
    print(f"{verdict(hw_cold.median < COLD_TARGET_MS / 1000)} cold single-spec validation under "
          f"{COLD_TARGET_MS:.0f} ms (median): {ms(hw_cold.median)}")
    if cjs_cold is not None:
        ratio = hw_cold.median / cjs_cold.median
        print(f"{verdict(ratio <= COLD_TARGET_VS_SCHEMA)} cold single-spec validation at most "
              f"{COLD_TARGET_VS_SCHEMA:.2f}x check-jsonschema's time on the same file: "
              f"{ratio:.2f}x ({ms(hw_cold.median)} vs {ms(cjs_cold.median)})")
    else:
        print(f"[n/a]     cold single-spec validation at most {COLD_TARGET_VS_SCHEMA:.2f}x "
              f"check-jsonschema's time: {schema_problem}")
    for size, t, _, _ in results:
        auto = t["cli-auto"]
        if "cjs" in t:
            ratio = t["cjs"].median / auto.median
            print(f"{verdict(ratio >= SPEED_TARGET_VS_SCHEMA)} {size:,} specs: throughput at "
                  f"least {SPEED_TARGET_VS_SCHEMA:.1f}x check-jsonschema's (hwspec with its "
                  f"default jobs): {ratio:.2f}x")
        else:
            print(f"[n/a]     {size:,} specs: throughput at least {SPEED_TARGET_VS_SCHEMA:.1f}x "
                  f"check-jsonschema's: {schema_problem}")
        ratio = auto.median / t["parse-sub"].median
        print(f"{verdict(ratio <= PARSE_TARGET)} {size:,} specs: time at most "
              f"{PARSE_TARGET:.1f}x parse-only's (hwspec with its default jobs, the parse in one "
              f"process): {ratio:.2f}x")
    print()
    print(f"benchmark took {time.perf_counter() - started:.0f} s")
    return 0


def throughput(size: int, args: argparse.Namespace, work: Path, hwspec_cmd: str,
               cjs: list[str] | None, schema_problem: str | None, cores: int,
               warm_up: bool) -> tuple[int, dict[str, Timing], Counter[str], int]:
    folder = work / f"specs-{size}"
    files = write_specs(folder, size, args.seed)
    names = [f.name for f in files]

    # The check that every spec loads and resolves; it also warms up the in-process loop.
    rules: Counter[str] = Counter()
    failing = 0
    broken: list[str] = []
    for file in files:
        report = hwspec.validate(file)
        rules.update(f.rule for f in report.findings)
        failing += not report.ok
        broken.extend(f"{file.name}: {f.rule} {f.message}" for f in report.findings
                      if f.rule.startswith("SPEC"))
    if broken:
        raise BenchmarkError(f"{len(broken)} generated specs do not load cleanly, e.g. "
                     + "; ".join(broken[:3]))

    output = work / "output.txt"

    def cli_run(cmd: list[str]) -> None:
        run_once(cmd, stdout=output)
        lines = output.read_text(encoding="utf-8", errors="replace").splitlines()
        summary = lines[-1] if lines else ""
        if not summary.replace(",", "").startswith(f"{size} file"):
            raise BenchmarkError(f"`hwspec validate` did not check {size} files: {summary!r}")

    def api_loop() -> None:
        for file in files:
            hwspec.validate(file)

    def parse_loop() -> None:
        for file in files:
            tomllib.loads(file.read_bytes().decode("utf-8-sig"))

    commands: dict[str, Callable[[], object]] = {}
    labels: dict[str, str] = {}
    # 1 and auto always run: the targets read the default jobs, the profile reads -j 1.
    jobs = [*dict.fromkeys(["1", *args.job_list, "auto"])]
    for job in jobs:
        if job == "auto":
            workers = min(default_jobs(size), size)
            cmd = [hwspec_cmd, "validate", str(folder)]
            label = f"hwspec validate DIR (default jobs: {workers} here)"
        else:
            cmd = [hwspec_cmd, "validate", "-j", job, str(folder)]
            label = f"hwspec validate -j {job} DIR" + (" (one process)" if job == "1" else "")
        commands[f"cli-{job}"] = lambda c=cmd: cli_run(c)
        labels[f"cli-{job}"] = label
    commands["api"] = api_loop
    labels["api"] = "hwspec.validate(path) in a loop, in-process, warm"

    cjs_batches = batches(names, arg_bytes())
    cjs_codes: set[int] = set()
    if cjs is not None:
        def cjs_run() -> None:
            for batch in cjs_batches:
                cjs_codes.add(run_once([*cjs, *batch], cwd=folder))

        commands["cjs"] = cjs_run
        labels["cjs"] = (f"check-jsonschema --schemafile schema.json FILES "
                         f"({len(cjs_batches)} call{'s' if len(cjs_batches) > 1 else ''})")
    parse_cmd = [sys.executable, "-c", PARSE_ONLY, str(folder), "tomllib"]
    commands["parse-sub"] = lambda: run_once(parse_cmd, ok_codes=(0,))
    labels["parse-sub"] = "parse only: read + tomllib.loads, one process (script)"
    tomli_cmd = [sys.executable, "-c", PARSE_ONLY, str(folder), "tomli"]
    commands["parse-tomli"] = lambda: run_once(tomli_cmd, ok_codes=(0,))
    labels["parse-tomli"] = "parse only: read + tomli.loads (hwspec's parser), one process"
    commands["parse-api"] = parse_loop
    labels["parse-api"] = "parse only: read + tomllib.loads, in-process"

    if warm_up:  # one untimed run of each (bytecode caches, page cache), on the first size only
        for key, run in commands.items():
            if key != "api":  # already warm from the check above
                run()
    timings = time_commands(commands, args.repeat)

    passed = size - failing
    top = ", ".join(f"{rule} {n:,}" for rule, n in rules.most_common(8))
    print(f"== Throughput: {size:,} generated specs ({folder.name}/, seed {args.seed}) ==")
    print(f"specs: {passed:,} pass, {failing:,} fail; findings by rule: {top or 'none'}; "
          "none at SPEC00x")
    if cjs is not None:
        print("check-jsonschema: " + ("every file valid against the schema" if cjs_codes == {0}
                                      else "reported files invalid against the schema "
                                           "(timed all the same)"))
    width = 72
    print(f"{'':<{width}} {'specs/s':>9} {'median':>10}   min - max")
    order = [k for k in commands if k.startswith("cli-")] + ["api", "cjs", "parse-sub",
                                                                "parse-tomli", "parse-api"]
    for key in order:
        if key not in timings:
            label = "check-jsonschema --schemafile schema.json FILES"
            print(f"{label:<{width}} {'n/a':>9} {'n/a':>10}   {schema_problem}")
            continue
        t = timings[key]
        print(f"{labels[key]:<{width}} {size / t.median:>9,.0f} {duration(t.median):>10}   "
              f"{spread(t, duration)}")
    print(flush=True)
    return size, timings, rules, failing


if __name__ == "__main__":
    sys.exit(main())
