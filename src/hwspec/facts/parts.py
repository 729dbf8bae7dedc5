"""The build's own facts and its parts' as the catalog and spec give them: [build], [cpu],
[board] and the CPU's platform."""

from __future__ import annotations

from typing import Any

from hwspec.facts.record import B, Inputs, L, N, Produced, S, Topic, fact
from hwspec.facts.shared import put
from hwspec.resolve import Build

FACTS = (
    fact("build.name", "", S, "The build's name, from [build] name."),
    fact("build.currency", "", S, "ISO 4217 currency of every price in the spec (default USD)."),
    fact("build.budget", "currency", N, "The budget from [build] budget, in build.currency."),
    fact("build.quoted_total", "currency", N,
         "The bill's total as a quote or write-up states it, from [build] quoted_total."),
    fact("cpu.name", "", S, "The processor's name."),
    fact("cpu.count", "", N, "Processors fitted, from [cpu] count."),
    fact("cpu.cores", "", N, "Cores per processor."),
    fact("cpu.threads", "", N, "Hardware threads per processor."),
    fact("cpu.total_cores", "", N, "Cores in the whole build: cpu.count x cpu.cores."),
    fact("cpu.tdp_w", "W", N, "Default TDP of one processor."),
    fact("cpu.socket", "", S, "Socket the processor fits (sp5, lga4677 ...)."),
    fact("cpu.platform", "", S, "Platform id of the processor (sp5-turin ...)."),
    fact("cpu.max_sockets", "", N, "Most sockets the SKU may run in (1 for EPYC P parts)."),
    fact("board.name", "", S, "The board's name."),
    fact("board.socket", "", S, "Socket on the board."),
    fact("board.sockets", "", N, "CPU sockets on the board."),
    fact("board.dimm_slots", "", N, "DIMM slots on the board, all sockets."),
    fact("board.channels_per_socket", "", N, "Memory channels the board wires per socket."),
    fact("board.eps_connectors", "", N, "8-pin 12 V CPU (EPS) power inputs on the board."),
    fact("board.supports_platform", "", B,
         "Whether the board lists the CPU's platform among those it supports."),
    fact("platform.id", "", S, "The CPU platform's id."),
    fact("platform.socket", "", S, "The platform's socket."),
    fact("platform.max_sockets", "", N, "Most sockets the platform supports."),
    fact("platform.memory_generation", "", S, "DDR generation the platform takes."),
    fact("platform.module_kinds", "", L,
         "Module kinds the platform takes (RDIMM, 3DS-RDIMM ...)."),
    fact("platform.ecc", "", S, "ECC policy of the platform: required, optional or unsupported."),
    fact("platform.channels_per_socket", "", N, "Memory channels per socket."),
    fact("platform.max_mts_1dpc", "MT/s", N,
         "Platform's top memory speed at 1 DIMM per channel."),
    fact("platform.max_mts_2dpc", "MT/s", N,
         "Platform's top memory speed at 2 DIMMs per channel."),
    fact("platform.max_module_gib", "GiB", N, "Largest module the platform supports."),
)


def compute(build: Build, _: Inputs) -> Produced:
    """The [build], [cpu], [board] and platform facts."""
    values: dict[str, Any] = {}
    info = build.spec.build
    values["build.name"] = info.name
    values["build.currency"] = info.currency
    values["build.budget"] = info.budget
    values["build.quoted_total"] = info.quoted_total
    _cpu_facts(build, values)
    _board_facts(build, values)
    put(values, "platform", build.platform, {
        "id": "id", "socket": "socket", "max_sockets": "max_sockets",
        "memory_generation": "memory_generation", "module_kinds": "module_kinds", "ecc": "ecc",
        "channels_per_socket": "channels_per_socket", "max_mts_1dpc": "max_mts_1dpc",
        "max_mts_2dpc": "max_mts_2dpc", "max_module_gib": "max_module_gib"})
    return Produced(values)


def _cpu_facts(build: Build, values: dict[str, Any]) -> None:
    cpu = build.cpu
    if cpu is None:
        return
    put(values, "cpu", cpu, {"name": "name", "count": "count", "cores": "cores",
                             "threads": "threads", "tdp_w": "tdp_w", "socket": "socket",
                             "platform": "platform", "max_sockets": "max_sockets"})
    values["cpu.name"] = cpu.name or cpu.part
    if cpu.cores is not None:
        values["cpu.total_cores"] = cpu.count * cpu.cores
    if cpu.socket is None and build.platform is not None:
        values["cpu.socket"] = build.platform.socket


def _board_facts(build: Build, values: dict[str, Any]) -> None:
    board = build.board
    if board is None:
        return
    put(values, "board", board, {"socket": "socket", "sockets": "sockets",
                                 "dimm_slots": "dimm_slots",
                                 "channels_per_socket": "channels_per_socket",
                                 "eps_connectors": "eps_connectors"})
    values["board.name"] = board.name or board.part
    if board.platforms is not None and build.cpu is not None and build.cpu.platform is not None:
        values["board.supports_platform"] = build.cpu.platform in board.platforms


TOPIC = Topic("parts", FACTS, compute)
