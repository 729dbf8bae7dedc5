"""Reporters: render checked reports as text, JSON, SARIF, GitHub annotations or JUnit XML.

Each reporter module exposes ``render(reports, options) -> str`` and is looked up by name in
``REPORTER_BY_NAME``. Modules are imported only when their format is asked for, so the start-up
path of ``hwspec validate`` stays small. docs/output-formats.md describes every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from attrs import frozen

from hwspec import escape as _escape
from hwspec.by_name import ByName
from hwspec.escape import text, visible
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

REPORT_FORMATS = ("text", "markdown", "json", "html")
"""Formats ``output.report.render_report`` accepts (``hwspec report --format``); named here, so
that parsing a command's options does not import the renderers."""
DIFF_FORMATS = ("text", "markdown", "json")
"""Formats ``output.report.render_diff`` accepts: all but ``html``."""


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
    function in :mod:`hwspec.escape`. Text whose lines are all printable, as nearly all
    output is, holds no such character and is returned as it is."""
    if text.replace("\n", "").isprintable():
        return text
    return _escape.CONTROL.sub(lambda m: m.group() if m.group() == "\n" else visible(m.group()),
                               text)


T = TypeVar("T")

_PLAIN = frozenset({int, float, bool, type(None)})
"""Types whose values ``deep`` returns as they are: they hold no text to escape."""


def deep(value: T, escape: Callable[[str], str]) -> T:
    """``value`` with every string in it passed through ``escape``: strings, tuples, lists,
    dictionaries (keys and values) and attrs records of them (a report's views, a finding,
    an outcome), for formats that print every field as text. What holds nothing that
    ``escape`` changes is returned as it is, not copied: most of a report is plain text and
    numbers, so rendering it rebuilds only the records that need it."""
    kind = type(value)
    if kind in _PLAIN:  # numbers and flags hold no text: most of a report's values
        return value
    same = _SAME.get(escape)
    if same is None:
        same = set()
        if getattr(escape, "__module__", None) == "hwspec.escape":
            _SAME[escape] = same
    return _deep(value, kind, escape, same)  # type: ignore[no-any-return]


def _deep(value: Any, kind: type, escape: Callable[[str], str], same: set[str]) -> Any:
    # A value is passed by without a call where it is a number, a flag, None, or a string in
    # ``same``: the checks are written out in each loop below, as a call costs more than them.
    if isinstance(value, str):
        out = escape(value)
        if out is value and len(same) < _SAME_MAX:
            same.add(value)
        return out
    if isinstance(value, tuple | list):
        items = [v if type(v) in _PLAIN or (type(v) is str and v in same)
                 else _deep(v, type(v), escape, same) for v in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return kind(*items) if hasattr(value, "_fields") else kind(items)
    if isinstance(value, dict):
        changed = False
        out_dict = {}
        for k, v in value.items():
            new_k = (k if type(k) is str and k in same  # a key is a string: try that first
                     else _deep(k, type(k), escape, same))
            new_v = (v if type(v) in _PLAIN or (type(v) is str and v in same)
                     else _deep(v, type(v), escape, same))
            changed = changed or new_k is not k or new_v is not v
            out_dict[new_k] = new_v
        return out_dict if changed else value
    fields = _INIT_FIELDS.get(kind)
    if fields is None:
        fields = _INIT_FIELDS.setdefault(kind, tuple(
            (f.name, f.alias) for f in attrs.fields(kind) if f.init) if attrs.has(kind) else ())
    changes = {}
    for name, alias in fields:
        old = getattr(value, name)
        new = (old if type(old) in _PLAIN or (type(old) is str and old in same)
               else _deep(old, type(old), escape, same))
        if new is not old:
            changes[alias] = new
    return attrs.evolve(value, **changes) if changes else value


_INIT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
"""``deep``'s list of each attrs class's fields set by ``__init__`` (name, argument name), and
an empty one for any other type, which ``deep`` returns as it is."""

_SAME: dict[Callable[[str], str], set[str]] = {}
"""For each function of :mod:`hwspec.escape` (pure: the same text, the same result), strings
it has returned unchanged, which ``deep`` then keeps without a call: fact names, rule ids,
statuses and most values recur in every report of a run."""

_SAME_MAX = 20_000
"""Most strings ``_SAME`` keeps for one function, so a long run's memory stays bounded."""


def shown(report: Report, escape: Callable[[str], str] = text, *,
          facts: bool = True, outcomes: bool = True) -> Report:
    """A checked report as a format prints it: its path, findings, outcomes and the facts'
    values and bill passed through ``escape`` (:func:`hwspec.escape.text` by default); the spec
    and the resolved build stay as they are (no format prints them). ``facts=False`` leaves
    the facts as they are, for a format that prints none of them or reads the few it prints
    through :class:`EscapedFacts`: escaping every fact of every report was most of the cost
    of rendering a folder. ``outcomes=False`` likewise leaves the rules' outcomes as they are,
    for a format that reads them escaped itself (``Report.not_applicable(escape)``) or not at
    all."""
    if not facts:
        path, findings = escape(report.path), deep(report.findings, escape)
        outcomes_ = deep(report.outcomes, escape) if outcomes else report.outcomes
        if (path is report.path and findings is report.findings
                and outcomes_ is report.outcomes):
            return report
        return attrs.evolve(report, path=path, findings=findings, outcomes=outcomes_)
    facts_ = report.facts
    by_name, bill = deep(facts_.by_name, escape), deep(facts_.bill, escape)
    if by_name is not facts_.by_name or bill is not facts_.bill:
        facts_ = attrs.evolve(facts_, by_name=by_name, bill=bill)
    path, findings = escape(report.path), deep(report.findings, escape)
    outcomes_ = deep(report.outcomes, escape) if outcomes else report.outcomes
    if (path is report.path and findings is report.findings and facts_ is report.facts
            and outcomes_ is report.outcomes):
        return report
    return attrs.evolve(report, path=path, findings=findings, facts=facts_, outcomes=outcomes_)


class EscapedFacts(ByName[Any]):
    """Facts by name as a format prints them: each value passed through ``escape`` when it is
    read, as :func:`shown` passes them all. A format that prints a few of a report's facts
    (the text format's figures) escapes only those."""

    __slots__ = ("_escape", "by_name")

    def __init__(self, by_name: Mapping[str, Any], escape: Callable[[str], str] = text) -> None:
        self.by_name = by_name
        self._escape = escape

    def __getitem__(self, name: str) -> Any:
        value = self.by_name[name]
        if type(value) in _PLAIN:  # most facts: numbers and flags, returned without a call
            return value
        return deep(value, self._escape)


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


__all__ = ["DIFF_FORMATS", "FORMATS", "REPORTER_BY_NAME", "REPORT_FORMATS", "REPOSITORY",
           "RULES_DOC", "EscapedFacts", "FileRenderer", "RenderOptions", "deep",
           "escape_controls", "file_renderer", "known_rules", "render_all", "render_part",
           "reporter", "rule_doc_url", "shown"]
