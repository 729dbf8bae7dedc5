"""The rule-pack file format (format 1) as typed tables.

A pack is structured into these by the converter the spec format uses
(``spec.load.structure_shape``), so a wrong type, a missing key or an unknown key (with a
did-you-mean) is refused at its key path in the same words as in a spec. What the types cannot
say (an id's spelling, an expression that compiles, a template's fields) is checked after, in
``engine.packs``.
"""

from __future__ import annotations

from attrs import field, frozen

from hwspec.spec.values import Count, Finite, ParamValue

# Read once per pack and thrown away: no equality, hashing or repr to generate at start-up.
_shape = frozen(eq=False, repr=False, match_args=False)


@_shape
class ParamTable:
    """``params.NAME = { default = ..., description = "...", unit = "...", minimum = ...,
    maximum = ... }``: a number parameter may bound the values an override may take."""

    default: ParamValue
    description: str = ""
    unit: str = ""
    minimum: Finite | None = None
    maximum: Finite | None = None


@_shape
class ExampleTable:
    """One ``[[rule.example]]``: a spec that fails or passes the rule."""

    verdict: str
    spec: str
    description: str = ""


@_shape
class RuleTable:
    """One ``[[rule]]``."""

    id: str
    name: str
    severity: str
    summary: str
    check: str
    message: str
    explanation: str = ""
    each: str | None = None
    when: str | None = None
    blame: str = ""
    hint: str = ""
    params: dict[str, ParamTable] = field(factory=dict)
    references: tuple[str, ...] = ()
    example: tuple[ExampleTable, ...] = ()
    aliases: tuple[str, ...] = ()


@_shape
class PackHeader:
    """The ``[pack]`` table."""

    name: str | None = None
    format: Count | None = None
    description: str = ""


@_shape
class PackFile:
    """A whole pack file."""

    pack: PackHeader = field(factory=PackHeader)
    rule: tuple[RuleTable, ...] = ()


SHAPES = (PackFile, PackHeader, RuleTable, ParamTable, ExampleTable)
"""Every table of the format, for the converter's table guard."""
