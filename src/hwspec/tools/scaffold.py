"""A commented starter spec for ``hwspec init``: a real build that validates, to edit into yours.

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
"""The starter's tables, each with the comment paragraphs written above it."""

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


def starter_spec(name: str, path: str = "build.toml") -> str:
    """The starter spec's TOML text, with ``name`` as the build's name. The name is data (tomli-w
    quotes it) and the path a comment (escaped): neither can add a line to the file."""
    from hwspec.toml_writer import TomlDocument

    document = TomlDocument()
    document.directive("schema", SCHEMA_URL)
    document.comment(*(line.format(path=path) for line in HEADER))
    for comments, table in STARTER:
        if "build" in table:
            table = {"build": {**table["build"], "name": name}}
        ((key, value),) = table.items()
        document.blank()
        document.comment(*comments)
        document.table(key, value)
    return document.text()
