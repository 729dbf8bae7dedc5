"""Commented starter specs for ``hwspec init``: real builds that validate, to edit into yours.

``--template`` chooses one: ``server`` (the default: one EPYC socket and twelve RDIMMs),
``gpu-rig`` (a desktop board with two RTX 3090s for a 70B model) or ``unified`` (a whole machine
with unified memory, where the GPU's share of it decides what fits).

The data is written by tomli-w, table by table (``toml_writer.TomlDocument``), with a comment
above each saying what the table is for and where to look things up; the result is parsed back in
the tests and passes every rule.
"""

from __future__ import annotations

from typing import Any

STARTER: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("What the build is called, the currency of every price, and an optional budget.",),
     {"build": {"name": "", "currency": "USD"}}),
    (("The motherboard, by catalog id (`hwspec parts board` lists them).",
      "Add `price = ...` (per unit) to any line to get the bill."),
     {"board": {"part": "gigabyte-mz33-cp1"}}),
    (("The processor and how many are fitted (`hwspec parts cpu --search 9355`).",),
     {"cpu": {"part": "amd-epyc-9355p", "count": 1}}),
    (("One [[memory]] entry per distinct module or kit; count is the number of units bought.",
      "Twelve 64 GiB DDR5-6400 RDIMMs: one on each of the platform's 12 channels."),
     {"memory": [{"part": "samsung-m321r8ga0eb2-ccp", "count": 12}]}),
    (("The model to run (`hwspec parts model`), its weight precision and the context to plan "
      "for.",),
     {"workload": {"model": "deepseek-r1", "precision": "fp8", "context_tokens": 8192}}),
)
"""The server starter's tables, each with the comment paragraphs written above it."""

GPU_RIG: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    STARTER[0],
    (("The motherboard, by catalog id (`hwspec parts board`): an AM5 board whose two x16 slots "
      "take the cards.",
      "Add `price = ...` (per unit) to any line to get the bill."),
     {"board": {"part": "msi-meg-x870e-godlike"}}),
    (("The processor (`hwspec parts cpu --search ryzen`): with the whole model on the GPUs it "
      "only feeds them.",),
     {"cpu": {"part": "amd-ryzen-9-9950x", "count": 1}}),
    (("System memory: two 64 GiB DDR5-5600 UDIMMs, one on each of the platform's 2 channels.",),
     {"memory": [{"part": "crucial-ct64g56c46u5", "count": 2}]}),
    (("The GPUs (`hwspec parts gpu`): count is how many of this card are fitted; add "
      "`power_limit_w = ...` if you cap them with `nvidia-smi -pl`.",
      "Two 24 GB cards hold a 70B model at q4_k_m with its KV cache."),
     {"gpu": [{"part": "nvidia-rtx-3090", "count": 2}]}),
    (("The power supply (`hwspec parts psu`): PWR001 checks its headroom over the load.",),
     {"psu": {"part": "corsair-hx1500i"}}),
    (("The model (`hwspec parts model`), its precision (a GGUF file's name such as Q4_K_M is "
      "taken as written), the context to plan for and the engine that runs it.",),
     {"workload": {"model": "llama-3.3-70b", "precision": "q4_k_m", "context_tokens": 8192,
                   "engine": "llama.cpp"}}),
)
"""The GPU rig starter's tables."""

UNIFIED: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    STARTER[0],
    (("A whole machine with unified memory (`hwspec parts system`): it replaces board, cpu and "
      "memory.",
      "The GPU may use only a share of the memory: half by default on Linux (the amdgpu GTT "
      "size), about 2/3 or 3/4 on macOS.",
      "If you raised it (amdgpu.gttsize / ttm.pages_limit, or sudo sysctl "
      "iogpu.wired_limit_mb=N), add `gpu_memory_gib = ...` here; docs/fit.md shows how."),
     {"system": {"part": "framework-desktop-ryzen-ai-max-395-128gb"}}),
    (("The model (`hwspec parts model`), its precision (a GGUF file's name such as Q4_K_M is "
      "taken as written), the context to plan for and the engine that runs it.",),
     {"workload": {"model": "llama-3.3-70b", "precision": "q4_k_m", "context_tokens": 16384,
                   "engine": "llama.cpp"}}),
)
"""The unified-memory starter's tables."""

TEMPLATES: dict[str, tuple[tuple[tuple[str, ...], dict[str, Any]], ...]] = {
    "server": STARTER,
    "gpu-rig": GPU_RIG,
    "unified": UNIFIED,
}
"""Every starter ``hwspec init --template`` writes, by name; the first is the default."""

SCHEMA_URL = "https://raw.githubusercontent.com/hwspec/hwspec/main/docs/hwspec.schema.json"
"""The JSON Schema of the spec format for the built-in catalog (docs/hwspec.schema.json), which
editors with a TOML language server (taplo, Even Better TOML) read from the ``#:schema`` line.
A team catalog's parts: ``hwspec schema --catalog ... > hwspec.schema.json`` and point the line
there."""

HEADER = (
    "A hardware build for hwspec: `hwspec validate {path}` checks it.",
    "Every table is documented in docs/spec-format.md; add [psu], [[gpu]], [[storage]], [case] "
    "and [cooling] as you choose them, and a price on each line to get the bill "
    "(`hwspec report`).",
)


def starter_spec(name: str, path: str = "build.toml", template: str = "server") -> str:
    """The starter spec's TOML text (``template``, one of ``TEMPLATES``), with ``name`` as the
    build's name. The name is data (tomli-w quotes it) and the path a comment (escaped): neither
    can add a line to the file."""
    from hwspec.toml_writer import TomlDocument

    document = TomlDocument()
    document.directive("schema", SCHEMA_URL)
    document.comment(*(line.format(path=path) for line in HEADER))
    for comments, table in TEMPLATES[template]:
        if "build" in table:
            table = {"build": {**table["build"], "name": name}}
        ((key, value),) = table.items()
        document.blank()
        document.comment(*comments)
        document.table(key, value)
    return document.text()
