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
    verbose: bool = False
    """Text: list the rules that did not run, grouped by why (by default one line counts them)."""
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

_PLAIN = frozenset({int, float, bool, type(None)})
"""Types whose values ``deep`` returns as they are: they hold no text to escape."""


def deep(value: T, escape: Callable[[str], str]) -> T:
    """``value`` with every string in it passed through ``escape``: strings, tuples, lists,
    dictionaries (keys and values) and attrs records of them (a report's views, a finding,
    an outcome), for formats that print every field as text."""
    out: Any = value
    if type(value) in _PLAIN:  # numbers and flags hold no text: most of a report's values
        return value
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
    facts = attrs.evolve(report.facts, by_name=deep(report.facts.by_name, escape),
                         bill=deep(report.facts.bill, escape))
    return attrs.evolve(report, path=escape(report.path), findings=deep(report.findings, escape),
                        facts=facts, outcomes=deep(report.outcomes, escape))


def reporter(name: str) -> Callable[[Sequence[Report], RenderOptions], str]:
    """The render function of a format."""
    module = importlib.import_module(REPORTER_BY_NAME[name])
    render: Callable[[Sequence[Report], RenderOptions], str] = module.render
    return render


FileRenderer = tuple[Callable[["Report", RenderOptions], str],
                     Callable[[Sequence["Report"], RenderOptions], str]]
"""A format's ``render_file(report, options)`` and ``render_end(reports, options)``: its
output is each file's part in order, then the end, which reads only paths and findings."""


def file_renderer(name: str) -> FileRenderer | None:
    """The per-file renderer of a format that has one (text, concise), else None: such a
    format's parts can be rendered where each file is checked, in a worker process."""
    module = importlib.import_module(REPORTER_BY_NAME[name])
    if not hasattr(module, "render_file"):
        return None
    return module.render_file, module.render_end


def render_part(name: str, options: RenderOptions, report: Report,
                rules: tuple[Rule, ...]) -> str:
    """One file's part of the output in a format that renders file by file, with the rules its
    checker ran (what "not run" describes). ``functools.partial(render_part, name, options)``
    is what ``project.parallel.check_files`` takes to render as it checks."""
    key = (name, id(options), id(rules))
    known = _PART_RENDERERS.get(key)
    if known is None or known[1] is not options or known[2] is not rules:
        from attrs import evolve

        renderer = file_renderer(name)
        if renderer is None:
            raise ValueError(f"the {name} format does not render file by file")
        known = (renderer[0], options, rules, evolve(options, rules=rules))
        _PART_RENDERERS[key] = known
    return known[0](report, known[3])


_PART_RENDERERS: dict[tuple[str, int, int], tuple[Callable[[Report, RenderOptions], str],
                                                  RenderOptions, tuple[Rule, ...],
                                                  RenderOptions]] = {}
"""``render_part``'s renderer and options with each checker's rules, made once per run (the
options and rules are kept, so an id is never confused with a later object's)."""


def render_all(name: str, reports: Sequence[Report], options: RenderOptions,
               parts: Sequence[str] | None = None) -> tuple[str, Sequence[Report]]:
    """The whole output of a run, and the reports it shows (for the exit code). ``parts``
    rendered as the files were checked (``render_part``) are joined, then the format's end;
    without them the format renders every report, and a report it fails on (a bug) is
    replaced by its SPEC005 report (``checker.failed_report``), so the other files are still
    written and that one fails."""
    if parts is not None:
        renderer = file_renderer(name)
        if renderer is None:
            raise ValueError(f"the {name} format does not render file by file")
        return "".join(parts) + renderer[1](reports, options), reports
    render = reporter(name)
    try:
        return render(reports, options), reports
    except Exception:  # a bug in rendering a report: find which, and go on
        from hwspec.checker import failed_report

        kept = []
        for report in reports:
            try:
                render([report], options)
            except Exception as error:  # this report is one
                report = failed_report(report.path, error, "render")
            kept.append(report)
        return render(kept, options), kept


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


__all__ = ["FORMATS", "REPORTER_BY_NAME", "REPOSITORY", "RULES_DOC", "FileRenderer",
           "RenderOptions", "deep", "escape_controls", "file_renderer", "known_rules",
           "render_all", "render_part", "reporter", "rule_doc_url", "shown"]
