"""The build's own facts and its parts' as the catalog and spec give them: [build], [cpu],
[board] and the CPU's platform."""

from __future__ import annotations

from typing import Any

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.facts.shared import copied, put
from hwspec.resolve import Build

FACTS = declared("parts")

_PLATFORM = copied("platform", (
    "id", "socket", "max_sockets", "memory_generation", "module_kinds", "ecc",
    "channels_per_socket", "max_mts_1dpc", "max_mts_2dpc", "max_module_gib"))
_CPU = copied("cpu", ("name", "count", "cores", "threads", "tdp_w", "socket", "platform",
                      "max_sockets"))
_BOARD = copied("board", ("socket", "sockets", "dimm_slots", "channels_per_socket",
                          "eps_connectors"))


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
    put(values, build.platform, _PLATFORM)
    return Produced(values)


def _cpu_facts(build: Build, values: dict[str, Any]) -> None:
    cpu = build.cpu
    if cpu is None:
        return
    put(values, cpu, _CPU)
    values["cpu.name"] = cpu.name or cpu.part
    if cpu.cores is not None:
        values["cpu.total_cores"] = cpu.count * cpu.cores
    if cpu.socket is None and build.platform is not None:
        values["cpu.socket"] = build.platform.socket


def _board_facts(build: Build, values: dict[str, Any]) -> None:
    board = build.board
    if board is None:
        return
    put(values, board, _BOARD)
    values["board.name"] = board.name or board.part
    if board.platforms is not None and build.cpu is not None and build.cpu.platform is not None:
        values["board.supports_platform"] = build.cpu.platform in board.platforms


TOPIC = Topic("parts", FACTS, compute)
