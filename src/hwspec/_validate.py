"""The pipeline end to end: load -> resolve -> derive -> check, for one spec at a time.

This is the only module that knows every stage; it hands each the output of the one before and
collects findings, with the line of each blamed key, into a ``Report``. Rendering is not its job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from attrs import field, frozen

from hwspec._build import resolve
from hwspec._engine import Outcome, check
from hwspec._facts import Facts, FactValue, derive
from hwspec._findings import Finding, format_path, parse_path
from hwspec._loader import STRUCTURE, SYNTAX, Loaded, load_text
from hwspec._rules import Param, Rule, RulePack, builtin_packs, combine, value_type
from hwspec._spec import Spec, did_you_mean
from hwspec.catalog import Catalog, builtin_catalog

ERROR, WARNING = "error", "warning"


@frozen
class Options:
    """How to check: extra packs, parameter overrides, rule selection, strictness, catalog."""

    packs: tuple[RulePack, ...] = ()
    params: Mapping[str, FactValue] = field(factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    catalog: Catalog | None = None


@frozen
class Report:
    """The result of checking one spec: findings, facts and every rule's outcome."""

    path: str
    spec: Spec | None
    findings: tuple[Finding, ...]
    facts: Facts | None = None
    outcomes: tuple[Outcome, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is at error severity."""
        return not any(f.severity == ERROR for f in self.findings)

    def passes(self, *, strict: bool = False) -> bool:
        """True when nothing fails: no error, and with strict no warning either."""
        bad = (ERROR, WARNING) if strict else (ERROR,)
        return not any(f.severity in bad for f in self.findings)


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
        """The rules selected to run."""
        return select_rules(self.all_rules, self.options.select, self.options.ignore)

    @cached_property
    def params(self) -> dict[str, Param]:
        """Every declared parameter by name."""
        return {p.name: p for r in self.all_rules for p in r.params}

    def check_file(self, path: Path) -> Report:
        """Check one spec file; a file that cannot be read is a finding, not an exception."""
        try:
            raw = path.read_bytes()
        except IsADirectoryError:
            return _unreadable(path, "is a directory, not a spec file")
        except OSError as error:
            return _unreadable(path, f"cannot be read: {error.strerror or error}")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return _unreadable(path, f"is not UTF-8 text (byte {error.start + 1}); TOML files "
                                     "must be UTF-8")
        return self.check_text(text, path=str(path))

    def check_text(self, text: str, *, path: str = "<string>") -> Report:
        """Check one spec given as TOML text."""
        loaded = load_text(text)
        if loaded.spec is None:
            return Report(path, None, loaded.findings)
        return self._check(loaded.spec, path, loaded)

    def check_spec(self, spec: Spec, *, path: str = "<spec>") -> Report:
        """Check an already loaded ``Spec`` (no line numbers)."""
        return self._check(spec, path, None)

    def _check(self, spec: Spec, path: str, loaded: Loaded | None) -> Report:
        build, unknown = resolve(spec, self.catalog)
        facts = derive(build)
        param_findings, params = self._params(spec)
        rules = self._spec_rules(spec)
        rule_findings, outcomes = check(facts, rules, params)
        findings = [*unknown, *param_findings, *rule_findings]
        if loaded is not None:
            findings = [_with_position(f, loaded) for f in findings]
        findings.sort(key=Finding.sort_key)
        return Report(path, spec, tuple(findings), facts, tuple(outcomes))

    def _params(self, spec: Spec) -> tuple[list[Finding], dict[str, FactValue]]:
        values: dict[str, FactValue] = dict(self.options.params)
        findings: list[Finding] = []
        for name, value in spec.checks.params.items():
            declared = self.params.get(name)
            path = format_path(("checks", "params", name))
            if declared is None:
                findings.append(Finding(
                    STRUCTURE, ERROR, f"unknown rule parameter {name!r}"
                    + did_you_mean(name, self.params), name="spec-structure",
                    hint="List the parameters with `hwspec explain RULE`.", path=path))
            elif value_type(value) != declared.type:
                findings.append(Finding(
                    STRUCTURE, ERROR, f"parameter {name!r} expects a {declared.type.value} "
                    f"(default {declared.default!r}), got {value!r}", name="spec-structure",
                    path=path))
            elif name not in self.options.params:  # command-line and config values win
                values[name] = value  # type: ignore[assignment]
        return findings, values

    def _spec_rules(self, spec: Spec) -> tuple[Rule, ...]:
        ignored = {entry.rule for entry in spec.checks.ignore}
        if not ignored:
            return self.rules
        return tuple(r for r in self.rules if r.id not in ignored and r.name not in ignored)


def select_rules(rules: Sequence[Rule], select: Iterable[str],
                 ignore: Iterable[str]) -> tuple[Rule, ...]:
    """Rules matching any select pattern (all when none) and no ignore pattern.

    A pattern is a rule id (``MEM005``), an id prefix (``MEM``), a rule name or alias, or ``ALL``.
    """
    select, ignore = tuple(select), tuple(ignore)
    chosen = [r for r in rules if not select or any(_matches(r, p) for p in select)]
    return tuple(r for r in chosen if not any(_matches(r, p) for p in ignore))


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
    from attrs import evolve

    return evolve(finding, line=position.line, column=position.column)


def _unreadable(path: Path, what: str) -> Report:
    return Report(str(path), None, (Finding(SYNTAX, ERROR, f"the file {what}",
                                            name="toml-syntax"),))
