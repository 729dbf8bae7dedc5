"""The build's own facts and its parts' as the catalog and spec give them: [build], [cpu],
[board] and the CPU's platform."""

from __future__ import annotations

from typing import Any

from hwspec.facts.record import Inputs, Produced, Topic, declared
from hwspec.facts.shared import copied, put
from hwspec.resolve import Build
from hwspec.spec.model import Board, Cpu

FACTS = declared("parts")

_PLATFORM = copied("platform", (
    "id", "socket", "max_sockets", "memory_generation", "module_kinds", "ecc",
    "channels_per_socket", "max_mts_1dpc", "max_mts_2dpc", "max_module_gib"))
_CPU = copied("cpu", ("count", "cores", "threads", "tdp_w", "socket", "platform",
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
    for kind, facts, more in _NAMED_PARTS:
        part = getattr(build, kind)
        if part is not None:
            put(values, part, facts)
            values[f"{kind}.name"] = part.name or part.part  # as written, else its catalog id
            more(build, part, values)
    put(values, build.platform, _PLATFORM)
    return Produced(values)


def _cpu_facts(build: Build, cpu: Cpu, values: dict[str, Any]) -> None:
    if cpu.cores is not None:
        values["cpu.total_cores"] = cpu.count * cpu.cores
    if cpu.socket is None and build.platform is not None:
        values["cpu.socket"] = build.platform.socket


def _board_facts(build: Build, board: Board, values: dict[str, Any]) -> None:
    if board.platforms is not None and build.cpu is not None and build.cpu.platform is not None:
        values["board.supports_platform"] = build.cpu.platform in board.platforms


_NAMED_PARTS = (("cpu", _CPU, _cpu_facts), ("board", _BOARD, _board_facts))
"""The parts whose fields are copied as facts, with the name each goes by, then the facts of
its own the kind works out."""


TOPIC = Topic("parts", FACTS, compute)
