"""Reporters: render checked reports as text, JSON, SARIF, GitHub annotations or JUnit XML.

Each reporter module exposes ``render(reports, options) -> str`` and is looked up by name in
``REPORTER_BY_NAME``. Modules are imported only when their format is asked for, so the start-up
path of ``hwspec validate`` stays small. docs/output-formats.md describes every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
from attrs import frozen

from hwspec.escape import CONTROL, text, visible
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


def escape_controls(text: str) -> str:
    """A whole rendered output with every control character but its line feeds written as a
    visible escape (``\\x1b``): a last guard after each input string has passed its own
    function in :mod:`hwspec.escape`."""
    return CONTROL.sub(lambda m: m.group() if m.group() == "\n" else visible(m.group()), text)


T = TypeVar("T")


def deep(value: T, escape: Callable[[str], str]) -> T:
    """``value`` with every string in it passed through ``escape``: strings, tuples, lists,
    dictionaries (keys and values) and attrs records of them (a report's views, a finding,
    an outcome), for formats that print every field as text."""
    out: Any = value
    if isinstance(value, str):
        out = escape(value)
    elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        out = type(value)(*(deep(v, escape) for v in value))
    elif isinstance(value, tuple | list):
        out = type(value)(deep(v, escape) for v in value)
    elif isinstance(value, dict):
        out = {deep(k, escape): deep(v, escape) for k, v in value.items()}
    elif attrs.has(type(out)):
        out = attrs.evolve(out, **{f.alias: deep(getattr(out, f.name), escape)
                                   for f in attrs.fields(type(out)) if f.init})
    return cast(T, out)


def shown(report: Report, escape: Callable[[str], str] = text) -> Report:
    """A checked report as a format prints it: its path, findings, outcomes and the facts'
    values and bill passed through ``escape`` (:func:`hwspec.escape.text` by default); the spec
    and the resolved build stay as they are (no format prints them)."""
    facts = report.facts
    if facts is not None:
        facts = attrs.evolve(facts, by_name=deep(facts.by_name, escape),
                             bill=deep(facts.bill, escape))
    return attrs.evolve(report, path=escape(report.path), findings=deep(report.findings, escape),
                        facts=facts, outcomes=deep(report.outcomes, escape))


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
           "deep", "escape_controls", "known_rules", "reporter", "rule_doc_url", "shown"]
