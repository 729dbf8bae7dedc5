"""``hwspec init --detect``: a spec of the machine in front of you, from what its operating system
reports, with nothing guessed.

Three layers, each usable alone:

- ``parse``: pure functions from a command's text (``lscpu``, ``dmidecode -t 17``,
  ``nvidia-smi`` ...) to typed records;
- ``collect``: runs the commands (time limit, bounded output, no shell) and reads the files, each
  source optional; ``read_recorded`` reads the same sources from a folder of saved outputs;
- ``build``: records to a spec, catalog parts matched by name, the rest inline, and the figures
  that could not be read (``Gap``).

``detect_text`` puts them together and writes the TOML, with each gap named in a comment.
"""

from __future__ import annotations

from hwspec.catalog import Catalog, builtin_catalog
from hwspec.tools.detect.build import (
    WORKLOAD_SUGGESTION,
    DetectedSpec,
    Gap,
    Machine,
    detected_spec,
    read_machine,
)
from hwspec.tools.detect.collect import Sources, collect, read_recorded

__all__ = ["DetectedSpec", "Gap", "Machine", "Sources", "collect", "detect", "detect_text",
           "read_machine", "read_recorded", "spec_text"]


def detect(sources: Sources | None = None, catalog: Catalog | None = None,
           name: str | None = None) -> DetectedSpec:
    """The spec of the machine the sources describe (this one when ``sources`` is None)."""
    machine = read_machine(sources if sources is not None else collect())
    return detected_spec(machine, catalog or builtin_catalog(), name)


def detect_text(sources: Sources | None = None, catalog: Catalog | None = None,
                name: str | None = None) -> tuple[str, DetectedSpec]:
    """The detected spec's TOML text, and the spec (whose ``gaps`` the caller reports)."""
    detected = detect(sources, catalog, name)
    return spec_text(detected), detected


def spec_text(detected: DetectedSpec) -> str:
    """The spec as TOML written by tomli-w (``toml_writer.TomlDocument``), table by table, each
    with its comments above it: what was read from the machine is data or an escaped comment,
    so no value can add a line to the file."""
    from hwspec.toml_writer import TomlDocument
    from hwspec.tools.scaffold import SCHEMA_URL

    document = TomlDocument()
    document.directive("schema", SCHEMA_URL)
    document.comment(*detected.header, width=None)
    for block in detected.blocks:
        document.blank()
        document.comment(*block.comments, width=None)
        if isinstance(block.value, list):
            for entry in block.value:
                document.entry(block.key, entry)
        else:
            document.table(block.key, block.value)
    document.blank()
    document.comment(*WORKLOAD_SUGGESTION, width=None)
    return document.text()
