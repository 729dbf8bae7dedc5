"""The pipeline end to end: load -> resolve -> derive -> check, for one spec at a time.

This is the only module that knows every stage; it hands each the output of the one before and
collects findings, with the line of each blamed key, into a ``Report``. Rendering is not its job.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from attrs import evolve, field, frozen

from hwspec.catalog import Catalog, builtin_catalog
from hwspec.engine.evaluate import NOT_APPLICABLE, Outcome, check
from hwspec.engine.packs import Param, Rule, RulePack, builtin_packs, combine, value_type
from hwspec.facts import Facts, FactValue, derive
from hwspec.findings import (
    ERROR,
    SPEC_CODES,
    SPEC_STRUCTURE,
    WARNING,
    Finding,
    Severity,
    SpecCode,
    did_you_mean,
    format_path,
    parse_path,
)
from hwspec.findings import (
    INTERNAL_ERROR as INTERNAL_ERROR_CODE,
)
from hwspec.findings import (
    UNUSED_IGNORE as UNUSED_IGNORE_CODE,
)
from hwspec.resolve import resolve
from hwspec.spec.load import Loaded, load_text, read_spec, source_of
from hwspec.spec.model import Spec
from hwspec.spec.values import check_choice
from hwspec.spec.vocab import SEVERITIES

UNUSED_IGNORE = UNUSED_IGNORE_CODE.id
INTERNAL_ERROR = INTERNAL_ERROR_CODE.id


@frozen
class Options:
    """How to check: extra packs, parameter overrides, rule selection, catalog. Whether warnings
    fail too is the caller's to decide: ``Report.passes(strict=True)``."""

    packs: tuple[RulePack, ...] = ()
    params: Mapping[str, FactValue] = field(factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    catalog: Catalog | None = None
    severity: Mapping[str, str] = field(factory=dict)
    """Severity overrides by rule id or name: ``{"PWR001": "warning"}``."""
    config: str | None = None
    """The configuration file these settings include (None: none); each report names it."""


def _options_type_problem(options: Options) -> str | None:
    """What is of the wrong type in options made in Python (the command line and configuration
    files make only the right types), or None."""
    for name in ("select", "ignore"):
        patterns = getattr(options, name)
        if isinstance(patterns, str) or not isinstance(patterns, Sequence) or not all(
                isinstance(p, str) for p in patterns):
            return f"{name}: expected a tuple of rule ids or names, got {patterns!r:.80}"
    for name, keys, values in (("params", "parameter names", "values"),
                               ("severity", "rule ids or names", "severities")):
        table = getattr(options, name)
        if not isinstance(table, Mapping) or not all(isinstance(k, str) for k in table):
            return f"{name}: expected a mapping of {keys} to {values}, got {table!r:.80}"
    if not all(isinstance(pack, RulePack) for pack in options.packs):
        return f"packs: expected a tuple of RulePacks (hwspec.load_pack), got {options.packs!r:.80}"
    return None


@frozen
class Report:
    """The result of checking one spec: findings, facts and every rule's outcome."""

    path: str
    spec: Spec | None
    findings: tuple[Finding, ...]
    facts: Facts = field(factory=lambda: Facts({}))
    """Every derived figure by fact name; empty (never None) when the spec did not load, so a
    caller reads ``report.facts`` without a None check (``report.spec is None`` tells why)."""
    outcomes: tuple[Outcome, ...] = ()
    seconds: float | None = field(default=None, eq=False)
    """How long reading and checking the spec took (JUnit's ``time``); not part of equality."""
    params: Mapping[str, FactValue] = field(factory=dict)
    """Every rule parameter's value as the check used it: the caller's (command line, config)
    over the spec's ``[checks] params`` over the rule's default. Views read it rather than
    repeating that precedence."""
    config: str | None = None
    """The configuration file applied (``hwspec.toml``, ``pyproject.toml``), None for none."""

    @property
    def ok(self) -> bool:
        """True when no finding is at error severity."""
        return self.passes()

    def passes(self, *, strict: bool = False) -> bool:
        """True when nothing fails: no error, and with strict no warning either."""
        bad = (ERROR, WARNING) if strict else (ERROR,)
        return not any(f.severity in bad for f in self.findings)

    def not_applicable(self, escape: Callable[[str], str] | None = None,
                       ) -> tuple[tuple[str, str], ...]:
        """(rule id, why) of each rule that ran on nothing: "needs FACT" for the first fact it
        read and the build does not give, "its condition is false" for a ``when`` that excludes
        the build. An ``each`` rule counts once it ran on any entry. ``escape`` is applied to
        the rule ids and facts named, as ``output.shown`` would have applied it to the
        outcomes."""
        ran = {o.rule for o in self.outcomes if o.status != NOT_APPLICABLE}
        why: dict[str, str] = {}
        for outcome in self.outcomes:
            if outcome.status == NOT_APPLICABLE and outcome.rule not in ran:
                rule, missing = outcome.rule, outcome.missing
                if escape is not None:
                    rule, missing = escape(rule), escape(missing) if missing else missing
                why.setdefault(rule, f"needs {missing}" if missing
                               else "its condition is false")
        return tuple(why.items())


_STAGES = (("hwspec.spec.", "load"), ("hwspec.catalog", "resolve"), ("hwspec.resolve", "resolve"),
           ("hwspec.facts", "derive"), ("hwspec.formulas", "derive"),
           ("hwspec.unknown", "derive"), ("hwspec.engine.", "check"),
           ("hwspec.output", "render"), ("hwspec.views.", "render"))
"""The stage of the pipeline each module belongs to, by module name prefix."""


def failed_report(path: str, error: Exception, stage: str | None = None) -> Report:
    """The report of a file hwspec itself failed on: one SPEC005 finding naming the stage, the
    error's type and its message (never the traceback), so a bug that one file meets fails that
    file and no other. ``stage`` is read from the innermost frame of a stage's module when not
    given."""
    if stage is None:
        import traceback

        for frame, _ in traceback.walk_tb(error.__traceback__):
            module = str(frame.f_globals.get("__name__", ""))
            stage = next((name for prefix, name in _STAGES if module.startswith(prefix)), stage)
    message = " ".join(str(error).split())
    if len(message) > 300:
        message = message[:299] + "…"
    where = f" while it {_PAST[stage]} it" if stage in _PAST else ""
    return Report(path, None, (INTERNAL_ERROR_CODE.finding(
        f"hwspec failed on this file{where}: {type(error).__name__}"
        + (f": {message}" if message else ""), hint=INTERNAL_ERROR_CODE.hint),))


_PAST = {"load": "loaded", "resolve": "resolved", "derive": "derived the figures of",
         "check": "checked", "render": "rendered"}


class Checker:
    """Compiles the rule set once, then checks any number of specs with it."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.catalog = self.options.catalog or builtin_catalog()

    @cached_property
    def all_rules(self) -> tuple[Rule, ...]:
        """Every loaded rule (built-in and extra packs), before selection."""
        return combine((*builtin_packs(), *self.options.packs))

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The rules selected to run, with severity overrides applied. Options that cannot be
        used (a parameter no rule declares or of the wrong type, a pattern that matches no
        rule, a severity that is none) raise a ``ConfigError`` naming the entry (a value of the
        wrong type a ``TypeError``), rather than being skipped: the command line and
        ``hwspec.validate`` check them first and name where they came from; a ``Checker`` made
        in Python names ``Options``."""
        for kind, _entries, why in self.option_problems:
            from hwspec.errors import ConfigError

            raise (TypeError if kind == "type" else ConfigError)(f"Options: {why}")
        chosen = select_rules(self.all_rules, self.options.select, self.options.ignore)
        overrides = self.options.severity
        if not overrides:
            return chosen
        return tuple(
            evolve(r, severity=overrides.get(r.id, overrides.get(r.name, r.severity)))
            for r in chosen
        )

    def unknown_patterns(self) -> list[str]:
        """Select, ignore and severity entries that match no loaded rule (nor, for ignore and
        severity, a spec code that may be ignored)."""
        patterns = [*self.options.select, *self.options.ignore, *self.options.severity]
        return [p for p in patterns if not any(_matches(r, p) for r in self.all_rules)
                and not (p not in self.options.select and _codes_matching(p))]

    @cached_property
    def option_problems(self) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """Each problem of the options: what it concerns (``type``, ``severity``, ``spec code``,
        ``pattern`` or ``param``), the select, ignore, severity or params entries it names, and
        why. A wrong type comes first (and alone), then severities that are none, spec codes
        that cannot be used, patterns that match no rule, and parameters no rule declares or of
        the wrong type. Worked out once: the command line reads it to name where each came
        from, and ``rules`` to refuse them."""
        wrong = _options_type_problem(self.options)
        if wrong is not None:
            return (("type", (), wrong),)
        problems: list[tuple[str, tuple[str, ...], str]] = []
        for pattern, level in self.options.severity.items():
            try:  # the vocabulary's own check, as a configuration's severity gets
                check_choice(level, SEVERITIES, "severity")
            except (TypeError, ValueError) as error:
                problems.append(("severity", (pattern,), f"severity: {pattern}: {error}"))
        problems += [("spec code", (pattern,), why) for pattern, why in self.spec_code_problems()]
        unknown = self.unknown_patterns()
        if unknown:
            problems.append(("pattern", tuple(unknown),
                             f"{', '.join(repr(u) for u in unknown)} match no rule"))
        for name, value in self.options.params.items():
            problem = self.param_problem(name, value)
            if problem is not None:
                problems.append(("param", (name,), problem))
        return tuple(problems)

    def spec_code_problems(self) -> list[tuple[str, str]]:
        """(pattern, why) for select, ignore or severity entries that name spec codes and cannot
        be used: SPEC001-SPEC003 mean the spec is not checked as written, and no spec code is a
        rule to select."""
        problems = []
        for pattern in self.options.select:
            codes = _codes_matching(pattern, ignorable_only=False)
            if codes and pattern != "ALL" and not any(_matches(r, pattern) for r in self.all_rules):
                problems.append((pattern, f"{codes[0].id} is reported about the spec file "
                                          "itself, not a rule: it cannot be selected (it is "
                                          "always reported)"))
        for pattern in (*self.options.ignore, *self.options.severity):
            codes = _codes_matching(pattern, ignorable_only=False)
            if codes and not _codes_matching(pattern) \
                    and not any(_matches(r, pattern) for r in self.all_rules):
                problems.append((pattern, f"{codes[0].id} cannot be ignored or given another "
                                          "severity: a spec with this error is not checked as "
                                          "written"))
        return problems

    @cached_property
    def _spec_code_settings(self) -> tuple[frozenset[str], dict[str, Severity]]:
        """The spec codes the options ignore, and the severities they give the others."""
        ignored = frozenset(c.id for p in self.options.ignore for c in _codes_matching(p))
        severity = {c.id: Severity(level) for p, level in self.options.severity.items()
                    for c in _codes_matching(p)}
        return ignored, severity

    @cached_property
    def params(self) -> dict[str, Param]:
        """Every declared parameter by name."""
        return {p.name: p for r in self.all_rules for p in r.params}

    def check_file(self, path: Path) -> Report:
        """Check one spec file; a file that cannot be read is a finding, not an exception.

        At most ``MAX_SPEC_BYTES`` and one more byte are read: a larger file is refused unread.
        """
        start = time.perf_counter()
        text = read_spec(path)
        if isinstance(text, Finding):
            return Report(str(path), None, (text,), seconds=time.perf_counter() - start,
                          config=self.options.config)
        return evolve(self.check_text(text, path=str(path)),
                      seconds=time.perf_counter() - start)

    def check_found(self, path: Path) -> Report | None:
        """Check a TOML file found in a folder: None when it parses and declares no ``build``
        table (a ``pyproject.toml``, a rule pack), so it is not a spec. A file that cannot be
        read or parsed is reported: it may be a broken spec. Each file is read once."""
        text = read_spec(path)
        if isinstance(text, Finding):
            return Report(str(path), None, (text,), config=self.options.config)
        loaded = load_text(text, only_spec=True)
        if loaded is None:
            return None
        if loaded.spec is None:
            return Report(str(path), None, loaded.findings, config=self.options.config)
        return self._check(loaded.spec, str(path), loaded)

    def check_text(self, text: str, *, path: str = "<string>") -> Report:
        """Check one spec given as TOML text."""
        start = time.perf_counter()
        loaded = load_text(text)
        if loaded.spec is None:
            return Report(path, None, loaded.findings, seconds=time.perf_counter() - start,
                          config=self.options.config)
        return evolve(self._check(loaded.spec, path, loaded),
                      seconds=time.perf_counter() - start)

    def check_spec(self, spec: Spec, *, path: str | None = None) -> Report:
        """Check an already loaded ``Spec``. One that ``hwspec.load`` or ``loads`` returned
        keeps its line numbers and (from ``load``) its path; a spec built or changed in code
        has none, and is reported as ``path`` or ``<spec>``. Its values are taken as they are:
        ``hwspec.validate`` checks a spec built in code as its tables would be in a file first
        (a string given for ``cpu`` is then a finding, not an error inside the check)."""
        source = source_of(spec)
        if source is None:
            return self._check(spec, path or "<spec>", None)
        loaded, loaded_from = source
        return self._check(spec, path or loaded_from or "<spec>", loaded)

    def _check(self, spec: Spec, path: str, loaded: Loaded | None) -> Report:
        build, unknown = resolve(spec, self.catalog)
        facts = derive(build)
        param_findings, params = self._params(spec)
        rule_findings, outcomes = check(facts, self.rules, params)
        rule_findings, ignore_findings = self._apply_ignores(spec, rule_findings)
        ignored, severity = self._spec_code_settings
        ignore_findings = [evolve(f, severity=severity[f.rule]) if f.rule in severity else f
                           for f in ignore_findings if f.rule not in ignored]
        findings = [*unknown, *param_findings, *rule_findings, *ignore_findings]
        if loaded is not None:
            findings = [_with_position(f, loaded) for f in findings]
        findings.sort(key=Finding.sort_key)
        return Report(path, spec, tuple(findings), facts, tuple(outcomes),
                      params={**self.param_defaults, **params}, config=self.options.config)

    @cached_property
    def param_defaults(self) -> dict[str, FactValue]:
        """Every declared parameter's default, by name."""
        return {name: param.default for name, param in self.params.items()}

    def param_problem(self, name: str, value: object) -> str | None:
        """Why a parameter override cannot be used (unknown name, wrong type, outside the
        parameter's bounds), or None."""
        declared = self.params.get(name)
        if declared is None:
            return f"unknown rule parameter {name!r}" + did_you_mean(name, self.params)
        if isinstance(value, float) and not math.isfinite(value):
            return f"parameter {name!r} expects a finite number, got {value!r}"
        if value_type(value) != declared.type:
            return (f"parameter {name!r} expects a {declared.type.value} "
                    f"(default {declared.default!r}), got {value!r}")
        if declared.out_of_bounds(value):  # type: ignore[arg-type]  # a number, as its default
            return (f"parameter {name!r} expects {declared.bounds} "
                    f"(default {declared.default!r}), got {value!r}")
        return None

    def _params(self, spec: Spec) -> tuple[list[Finding], dict[str, FactValue]]:
        values: dict[str, FactValue] = dict(self.options.params)
        findings: list[Finding] = []
        for name, value in spec.checks.params.items():
            problem = self.param_problem(name, value)
            if problem is not None:
                findings.append(SPEC_STRUCTURE.finding(
                    problem, hint="List the parameters with `hwspec explain RULE`.",
                    path=format_path(("checks", "params", name))))
            elif name not in self.options.params:  # command-line and config values win
                values[name] = value  # type: ignore[assignment]
        return findings, values

    def _apply_ignores(self, spec: Spec,
                       findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """Drop findings of rules the spec ignores; report ignores that are wrong or unused."""
        kept = list(findings)
        problems: list[Finding] = []
        ignores_unused = False
        for index, entry in enumerate(spec.checks.ignore):
            path = format_path(("checks", "ignore", index))
            code = next((c for c in SPEC_CODES if entry.rule in (c.id, c.name)), None)
            if code is not None:
                if code.ignorable:
                    ignores_unused = True
                else:
                    problems.append(SPEC_STRUCTURE.finding(
                        f"{code.id} cannot be ignored: a spec with this error is not checked "
                        "as written", path=path, hint="Fix what the finding names instead."))
                continue
            rules = [r for r in self.all_rules if entry.rule in (r.id, r.name, *r.aliases)]
            if not rules:
                names = [r.id for r in self.all_rules] + [r.name for r in self.all_rules]
                problems.append(SPEC_STRUCTURE.finding(
                    f"ignore names no rule: {entry.rule!r}" + did_you_mean(entry.rule, names),
                    path=path))
                continue
            if not entry.reason:
                problems.append(SPEC_STRUCTURE.finding(
                    f"ignoring {entry.rule} needs a reason", path=path,
                    hint=f'Write {{ rule = "{entry.rule}", reason = "why it does not apply" }}.'))
            rule_id = rules[0].id
            silenced = [f for f in kept if f.rule == rule_id]
            if not silenced and any(r.id == rule_id for r in self.rules):
                problems.append(UNUSED_IGNORE_CODE.finding(
                    f"ignoring {rule_id} silenced nothing", path=path,
                    hint="Remove the ignore: the rule passes (or does not apply) on this spec."))
            kept = [f for f in kept if f.rule != rule_id]
        if ignores_unused:
            problems = [f for f in problems if f.rule != UNUSED_IGNORE]
        return kept, problems


def select_rules(rules: Sequence[Rule], select: Iterable[str],
                 ignore: Iterable[str]) -> tuple[Rule, ...]:
    """Rules matching any select pattern (all when none) and no ignore pattern.

    A pattern is a rule id (``MEM005``), an id prefix (``MEM``), a rule name or alias, or ``ALL``.
    """
    select, ignore = tuple(select), tuple(ignore)
    chosen = [r for r in rules if not select or any(_matches(r, p) for p in select)]
    return tuple(r for r in chosen if not any(_matches(r, p) for p in ignore))


def _codes_matching(pattern: str, *, ignorable_only: bool = True) -> list[SpecCode]:
    """The spec codes a select, ignore or severity pattern names (``ALL`` names only those that
    may be ignored): by id, id prefix or name."""
    return [c for c in SPEC_CODES if (c.ignorable or not ignorable_only)
            and (c.id.startswith(pattern) or pattern == c.name
                 or (pattern == "ALL" and c.ignorable))]


def _matches(rule: Rule, pattern: str) -> bool:
    if pattern == "ALL":
        return True
    return (rule.id.startswith(pattern) or pattern == rule.name or pattern in rule.aliases)


def _with_position(finding: Finding, loaded: Loaded) -> Finding:
    if finding.line is not None:
        return finding
    path = parse_path(finding.path)
    position = loaded.positions.get(path)
    if position is None and path:
        # A value the catalog filled in has no key of its own: point at the part id that brought it.
        position = loaded.positions.get((*path[:-1], "part")) or loaded.position(path)
    if position is None:
        return finding
    return evolve(finding, line=position.line, column=position.column)


@frozen
class ExampleResult:
    """Whether one rule example shows what it claims."""

    rule: str
    verdict: str
    index: int
    ok: bool
    detail: str = ""


def check_examples(rules: Iterable[Rule], checker: Checker) -> list[ExampleResult]:
    """Run every rule's examples: a failing one must produce that rule's finding, a passing one
    must be checked by the rule (not skipped as not applicable) and pass."""
    results: list[ExampleResult] = []
    for rule in rules:
        for index, example in enumerate(rule.examples):
            report = checker.check_text(example.spec, path=f"{rule.id} example {index + 1}")
            broken = [f for f in report.findings if f.rule.startswith("SPEC")]
            statuses = sorted({o.status for o in report.outcomes if o.rule == rule.id})
            fired = any(f.rule == rule.id for f in report.findings)
            if broken:
                ok, detail = False, f"the example spec is invalid: {broken[0].message}"
            elif example.verdict == "fail":
                ok = fired
                ran = ", ".join(statuses) or "not run"
                detail = "" if ok else f"{rule.id} did not fire ({ran})"
            else:
                ok = not fired and statuses == ["pass"]
                detail = "" if ok else (f"{rule.id} fired" if fired else
                                        f"{rule.id} was {', '.join(statuses) or 'not run'}")
            results.append(ExampleResult(rule.id, example.verdict, index, ok, detail))
    return results
