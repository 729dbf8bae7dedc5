"""Check: facts x rules -> findings, and the outcome of every rule (pass, fail, not applicable).

The engine prints nothing and raises nothing for a structurally valid build: a rule whose facts
are absent is not applicable, and a rule whose expression fails at run time (a division by zero
on odd input) is reported as a finding of its own rather than crashing the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from hwspec.engine.expr import EvaluationError, MissingValue
from hwspec.engine.packs import TEMPLATE_FIELD, Rule
from hwspec.facts import Facts, FactValue
from hwspec.findings import ERROR, INFO, WARNING, Finding

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "not-applicable"

MAX_MESSAGE_CHARS = 1000
"""Longest message or hint one finding carries: a template that repeats a long name is cut
here, with a visible ``…``, and the rest is never built."""
MAX_EVALUATIONS = 20_000
"""Rule evaluations one spec's check makes at most: a plain rule is one, an ``each`` rule one
per entry of its list. Past it the rules left are not checked, and a SPEC002 finding says so."""
MAX_FINDINGS = 1000
"""Findings one spec's check keeps at most; the rest are counted in one closing finding."""
CUT = "…"


@frozen
class Outcome:
    """What one rule concluded on one build (or one list entry of it)."""

    rule: str
    status: str
    item: int | None = None
    missing: str | None = None
    """For a rule that was not applicable: the first fact it needed and the build does not give."""


def check(facts: Facts, rules: tuple[Rule, ...],
          params: Mapping[str, FactValue]) -> tuple[list[Finding], list[Outcome]]:
    """Evaluate every rule against the facts with the given parameter values, within
    ``MAX_EVALUATIONS`` evaluations and ``MAX_FINDINGS`` findings (each limit reached is a
    finding of its own)."""
    findings: list[Finding] = []
    outcomes: list[Outcome] = []
    left_out: list[Finding] = []
    evaluations = 0
    for position, rule in enumerate(rules):
        entries = facts.entries.get(rule.each, ()) if rule.each is not None else ()
        needed = 1 if rule.each is None else len(entries)
        if evaluations + needed > MAX_EVALUATIONS:
            findings.append(_stopped(rules[position:], facts, evaluations))
            break
        evaluations += needed
        env_params = ({p.name: params.get(p.name, p.default) for p in rule.params}
                      if rule.params else {})
        if rule.each is None:
            # Without parameters the facts alone are the environment: no layers to look through.
            outcome, finding = _evaluate(
                rule, _Env(facts.by_name, env_params) if env_params else facts.by_name, None)
            outcomes.append(outcome)
            if finding is not None:
                (findings if len(findings) < MAX_FINDINGS else left_out).append(finding)
            continue
        for index, item in enumerate(entries):
            outcome, finding = _evaluate(rule, _Env(facts.by_name, env_params, item), index)
            outcomes.append(outcome)
            if finding is not None:
                (findings if len(findings) < MAX_FINDINGS else left_out).append(finding)
    if left_out:
        findings.append(_left_out(left_out))
    return findings, outcomes


def _stopped(rules: tuple[Rule, ...], facts: Facts, evaluations: int) -> Finding:
    """The finding that stops a check at ``MAX_EVALUATIONS``, blamed on the longest list."""
    from hwspec.spec.load import STRUCTURE

    lists = {rule.each for rule in rules if rule.each is not None}
    longest = max(sorted(lists), key=lambda kind: len(facts.entries.get(kind, ())),
                  default="")
    entries = len(facts.entries.get(longest, ())) if longest else 0
    size = f" ({entries:,} entries of {longest})" if longest else ""
    return Finding(
        STRUCTURE, ERROR,
        f"the check stopped after {evaluations:,} rule evaluations, before {rules[0].id}"
        f"{size}: a spec's check is limited to {MAX_EVALUATIONS:,} (each rule once, an each "
        f"rule once per entry of its list), so {len(rules):,} rules were not checked",
        name="spec-structure", path=longest,
        hint="Split the list into fewer entries (one per distinct part, with a count), or "
             "check with fewer rule packs.")


def _left_out(left_out: list[Finding]) -> Finding:
    """One finding in place of those past ``MAX_FINDINGS``: the rule and severity of the
    gravest, so the exit code is what it would have been, and how many there were."""
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    gravest = min(left_out, key=lambda f: order.get(f.severity, 3))
    rules = sorted({f.rule for f in left_out})
    named = ", ".join(rules[:10]) + (f" and {len(rules) - 10:,} more" if len(rules) > 10 else "")
    return Finding(
        gravest.rule, gravest.severity,
        f"{len(left_out):,} more findings left out (of rules {named}): a spec's check keeps "
        f"at most {MAX_FINDINGS:,} findings", name=gravest.name,
        hint="Fix the findings shown, or check with fewer rule packs, and check again.")


class _Env(Mapping[str, FactValue]):
    """Facts, parameters and (for ``each`` rules) one entry's item facts, as one mapping."""

    def __init__(self, facts: Mapping[str, FactValue], params: Mapping[str, FactValue],
                 item: Mapping[str, FactValue] | None = None) -> None:
        self._layers = (params, item or {}, facts)

    def __getitem__(self, key: str) -> FactValue:
        for layer in self._layers:
            if key in layer:
                return layer[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        # Every name an expression reads is looked up here; Mapping.get would go through
        # __getitem__ and a KeyError for each absent fact.
        for layer in self._layers:
            if key in layer:
                return layer[key]
        return default

    def __iter__(self):  # type: ignore[no-untyped-def]
        seen: set[str] = set()
        for layer in self._layers:
            for key in layer:
                if key not in seen:
                    seen.add(key)
                    yield key

    def __len__(self) -> int:
        return len(set().union(*self._layers))


def _evaluate(rule: Rule, env: Mapping[str, FactValue],
              index: int | None) -> tuple[Outcome, Finding | None]:
    try:
        if rule.when is not None and not rule.when.evaluate(env):
            return _outcome(rule.id, NOT_APPLICABLE, index), None
        passed = rule.check.evaluate(env)
    except MissingValue as missing:
        return _outcome(rule.id, NOT_APPLICABLE, index, missing.name), None
    except EvaluationError as error:
        message = f"the rule could not be evaluated: {error}"
        return _outcome(rule.id, FAIL, index), _finding(rule, index, message)
    if passed:
        return _outcome(rule.id, PASS, index), None
    finding = _finding(rule, index, render(rule.message, env), render(rule.hint, env), env)
    return _outcome(rule.id, FAIL, index), finding


_OUTCOMES: dict[tuple[str, str, int | None, str | None], Outcome] = {}
"""Outcomes made so far: one is a frozen record of a rule id, a status, an entry index and a
missing fact, and the same few recur in every check of a run, so each is made once."""


def _outcome(rule: str, status: str, index: int | None, missing: str | None = None) -> Outcome:
    key = (rule, status, index, missing)
    found = _OUTCOMES.get(key)
    if found is None:
        if len(_OUTCOMES) >= 20_000:  # a long run's memory stays bounded
            _OUTCOMES.clear()
        found = _OUTCOMES[key] = Outcome(rule, status, index, missing)
    return found


def _finding(rule: Rule, index: int | None, message: str, hint: str | None = None,
             env: Mapping[str, FactValue] | None = None) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message=message,
        name=rule.name,
        hint=rule.hint if hint is None else hint,
        path=blame_path(rule, index, env),
    )


def blame_path(rule: Rule, index: int | None,
               env: Mapping[str, FactValue] | None = None) -> str:
    """The spec key a finding of this rule blames: ``memory[1].kind`` for an ``each`` rule; a
    ``{fact}`` blame is the path that fact holds (empty when it is absent)."""
    blame = rule.blame
    field = TEMPLATE_FIELD.fullmatch(blame)
    if field is not None:
        value = (env or {}).get(field.group(1))
        blame = value if isinstance(value, str) else ""
    if rule.each is None:
        return blame
    base = f"{rule.each}[{index}]"
    return f"{base}.{blame}" if blame else base


def render(template: str, env: Mapping[str, FactValue], limit: int = MAX_MESSAGE_CHARS) -> str:
    """Fill a message template's ``{fact}`` and ``{fact:.1f}`` fields from facts and parameters;
    text past ``limit`` characters is cut, ending in ``…``, and never built."""
    pieces: list[str] = []
    size = start = 0
    for match in TEMPLATE_FIELD.finditer(template):
        name, spec = match.group(1), match.group(2)
        value = format_value(env[name], spec) if name in env else "unknown"
        for piece in (template[start:match.start()], value):
            pieces.append(piece)
            size += len(piece)
        start = match.end()
        if size > limit:
            break
    else:
        pieces.append(template[start:])
        size += len(template) - start
    text = "".join(pieces)
    return text if len(text) <= limit else text[:limit - 1] + CUT


def format_value(value: FactValue, spec: str | None = None) -> str:
    """Show a fact the way a person reads it: 768, 624.9, 0.67, true, 'RDIMM, 3DS-RDIMM'."""
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if spec:
        try:
            return format(value, spec)
        except (ValueError, TypeError):  # a spec the pack checker could not foresee
            return format_value(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
