"""Reporters: render checked reports as text, JSON, SARIF, GitHub annotations or JUnit XML.

Each reporter module exposes ``render(reports, options) -> str`` and is looked up by name in
``REPORTER_BY_NAME``. Modules are imported only when their format is asked for, so the start-up
path of ``hwspec validate`` stays small. docs/output-formats.md describes every format.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

from hwspec.findings import REPOSITORY, RULES_DOC, SpecCode, rule_section

if TYPE_CHECKING:
    from hwspec.checker import Report
    from hwspec.engine.packs import Rule

REPORTER_BY_NAME: dict[str, str] = {
    "text": "hwspec.output.text",
    "concise": "hwspec.output.concise",
    "json": "hwspec.output.json",
    "sarif": "hwspec.output.sarif",
    "github": "hwspec.output.github",
    "junit": "hwspec.output.junit",
}
"""Format name -> module that renders it."""

FORMATS = tuple(REPORTER_BY_NAME)


@frozen
class RenderOptions:
    """What a reporter needs to know beyond the reports."""

    strict: bool = False
    show_facts: bool = True
    quiet: bool = False
    """Text only: the findings and nothing else (no figures, verdicts or summary line)."""
    color: bool = False
    """Text and concise: rule ids in bold and severities in colour (for a terminal)."""
    rules: tuple[Rule, ...] = ()
    """The rules the checks ran with (built-in and extra packs).

    SARIF lists them as the tool's rules and JUnit names its test cases after them; left empty,
    SARIF describes only the spec codes and the ids its results name."""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """``text`` with control characters other than newline and tab written as ``\\u`` escapes
    (``\\u001b``).

    Spec values (a build's name, a part's name) reach the terminal and CI logs through the
    formats meant for people; an escape sequence in a name must not retitle a terminal or move
    its cursor.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def reporter(name: str) -> Callable[[Sequence[Report], RenderOptions], str]:
    """The render function of a format."""
    module = importlib.import_module(REPORTER_BY_NAME[name])
    render: Callable[[Sequence[Report], RenderOptions], str] = module.render
    return render


def known_rules(options: RenderOptions) -> tuple[Rule, ...]:
    """The rules given in the options (the first of each id), in id order. Renderers never load
    rule packs: the caller passes the rules its checks ran with (the command line does)."""
    by_id: dict[str, Rule] = {}
    for rule in options.rules:
        by_id.setdefault(rule.id, rule)
    return tuple(by_id[k] for k in sorted(by_id))



def rule_doc_url(rule: Rule | SpecCode) -> str | None:
    """Where a rule or spec code is documented: its section of docs/rules.md for a built-in rule
    or a spec code (SPEC001-SPEC004), None for a team's own rule."""
    return rule_section(rule.id) if isinstance(rule, SpecCode) or rule.builtin else None


__all__ = ["FORMATS", "REPORTER_BY_NAME", "REPOSITORY", "RULES_DOC", "RenderOptions",
           "escape_controls", "known_rules", "reporter", "rule_doc_url"]
