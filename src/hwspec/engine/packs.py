"""Rule packs: TOML files of rules, each a record with a stable id, its check and its docs.

A pack is checked completely when it loads: unknown keys, bad severities, expressions that do not
parse or read facts that do not exist, undeclared parameters, template fields nobody knows, a rule
without a failing and a passing example, duplicate ids. Every problem is a ``PackError`` naming the
pack file, the rule and the spot, so a typo in policy stops the run (exit 2) before any spec is
read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import tomli
from attrs import field, frozen

from hwspec.engine.expr import CompiledExpression, ValueType, compile_expression
from hwspec.engine.pack_format import SHAPES, ExampleTable, PackFile, ParamTable, RuleTable
from hwspec.errors import ExpressionError, PackError
from hwspec.facts import FACTS, ITEM_FACTS
from hwspec.findings import Severity, did_you_mean
from hwspec.spec.vocab import SEVERITIES

PACK_FORMAT = 1
"""Version of the rule-pack format this hwspec reads."""

RULE_ID = re.compile(r"[A-Z]{2,10}[0-9]{3}")
"""A rule id: two to ten capital letters, then exactly three digits. Matched with ``fullmatch``
(``$`` would let a trailing newline through)."""
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
RESERVED_PREFIXES = ("SPEC",)
"""Id prefixes no pack may use: SPEC001-SPEC004 are the loader's own findings."""
SELECTORS = ("ALL",)
"""Words --select, --ignore and configuration give a meaning of their own."""
TEMPLATE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^{}]*))?\}")

MAX_FORMAT_SIZE = 64
"""Widths and precisions in template format specs above this are refused when the pack loads:
``{x:>999999999}`` would build a gigabyte string for every finding."""
_FORMAT_SIZES = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>[0-9]+)?[,_]?(?:\.(?P<precision>[0-9]+))?[a-zA-Z%]?",
    re.DOTALL)

EACH_KINDS = tuple(ITEM_FACTS)


@frozen
class Param:
    """A rule parameter: a named value with a default that configuration may override."""

    name: str
    default: float | int | bool | str
    description: str = ""
    unit: str = ""
    minimum: float | None = None
    """The lowest value an override may take (a number parameter's; None: no bound)."""
    maximum: float | None = None
    """The highest value an override may take (a number parameter's; None: no bound)."""

    @property
    def type(self) -> ValueType:
        """The parameter's value type, from its default."""
        return value_type(self.default)

    @property
    def bounds(self) -> str:
        """The values it takes, as messages and docs write them (``0.01 to 1``, ``at least 0``);
        empty where nothing bounds it."""
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"at least {self.minimum:g}"
        return "" if self.maximum is None else f"at most {self.maximum:g}"

    def out_of_bounds(self, value: float) -> bool:
        """Whether a number lies outside the parameter's bounds."""
        return (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum)


@frozen
class Example:
    """A spec that shows a rule failing or passing; the test suite runs every one."""

    verdict: str
    spec: str
    description: str = ""


@frozen
class Rule:
    """One rule: identity, severity, the check over facts, and its documentation."""

    id: str
    name: str
    severity: Severity = field(converter=Severity)
    summary: str = field()
    check: CompiledExpression = field()
    message: str
    pack: str
    explanation: str = ""
    hint: str = ""
    when: CompiledExpression | None = None
    each: str | None = None
    blame: str = ""
    params: tuple[Param, ...] = ()
    references: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    aliases: tuple[str, ...] = ()
    builtin: bool = False
    """Whether the rule ships with hwspec (its section of docs/rules.md exists)."""

    @property
    def reads(self) -> tuple[str, ...]:
        """Facts the rule reads (check, when, message and hint), sorted."""
        names = names_read(self.check, self.when, self.message, self.hint)
        params = {p.name for p in self.params}
        return tuple(sorted(n for n in names if n not in params))


@frozen
class RulePack:
    """A named, versioned set of rules loaded from one TOML file."""

    name: str
    origin: str
    rules: tuple[Rule, ...]
    description: str = ""


def names_read(check: CompiledExpression, when: CompiledExpression | None, message: str,
               hint: str) -> set[str]:
    """Every fact and parameter name a rule's check, precondition and templates read."""
    names = set(check.names) | (set(when.names) if when else set())
    for template in (message, hint):
        names |= {m.group(1) for m in TEMPLATE_FIELD.finditer(template)}
    return names


def value_type(value: object) -> ValueType:
    """The expression type of a Python value."""
    if isinstance(value, bool):
        return ValueType.BOOL
    if isinstance(value, int | float):
        return ValueType.NUMBER
    if isinstance(value, tuple | list):
        return ValueType.STRINGS
    return ValueType.STRING


def fact_types(each: str | None) -> dict[str, ValueType]:
    """The names a rule may read: the build's facts, and item facts for ``each`` rules."""
    return dict(_fact_types(each))


_FACT_TYPES: dict[str | None, tuple[object, object, dict[str, ValueType]]] = {}
"""``fact_types`` of each ``each``, made once from the fact tables they were made from (every
rule of every pack reads them; they are rebuilt should the tables be replaced)."""


def _fact_types(each: str | None) -> dict[str, ValueType]:
    """``fact_types(each)`` itself, shared: for reading only."""
    known = _FACT_TYPES.get(each)
    if known is None or known[0] is not FACTS or known[1] is not ITEM_FACTS:
        names = {d.name: d.type for d in FACTS}
        if each is not None:
            names.update({d.name: d.type for d in ITEM_FACTS[each]})
        known = _FACT_TYPES[each] = (FACTS, ITEM_FACTS, names)
    return known[2]


def load_pack_text(text: str, origin: str) -> RulePack:
    """Parse and check one rule pack's TOML text."""
    from hwspec.spec.load import parse_toml

    try:
        data = parse_toml(text)
    except tomli.TOMLDecodeError as error:
        raise PackError(origin, f"TOML does not parse: {error}") from None
    return pack_from_data(data, origin)


def pack_from_data(data: dict[str, Any], origin: str, *, builtin: bool = False) -> RulePack:
    """Check one rule pack's parsed data (``builtin``: a pack hwspec ships, whose rules are
    marked so)."""
    pack = _structured(data, origin)
    header = pack.pack
    if header.format is not None and header.format != PACK_FORMAT:
        raise PackError(
            origin, f"[pack] format = {header.format!r}; this hwspec reads format {PACK_FORMAT}"
        )
    name = header.name or Path(origin).stem
    if not pack.rule:
        raise PackError(origin, "a pack needs at least one [[rule]] table")
    rules = []
    seen: set[str] = set()
    for table in pack.rule:
        rule = _rule(table, origin, name, builtin)
        if rule.id in seen:
            raise PackError(origin, "duplicate rule id in this pack", rule.id)
        seen.add(rule.id)
        rules.append(rule)
    return RulePack(name, origin, tuple(rules), header.description)


def _structured(data: dict[str, Any], origin: str) -> PackFile:
    """The pack's tables, typed; a problem names its key path, and the rule's id when the
    problem is inside a rule that has one (``MEM001: severity: ...``)."""
    from hwspec.findings import format_path
    from hwspec.spec.load import ShapeProblem, structure_shape

    try:
        return structure_shape(data, PackFile, SHAPES)
    except ShapeProblem as problem:
        path = problem.path
        rule_id = None
        if len(path) > 2 and path[0] == "rule" and isinstance(path[1], int):
            raw = data.get("rule")
            entry = raw[path[1]] if isinstance(raw, list) and path[1] < len(raw) else None
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) \
                    and RULE_ID.fullmatch(entry["id"]):
                rule_id, path = entry["id"], path[2:]
        where = f"{format_path(path)}: " if path else ""
        raise PackError(origin, where + problem.message, rule_id) from None


MAX_PACK_BYTES = 1024 * 1024
"""The largest rule pack file read (1 MiB; the built-in packs are a few kilobytes each)."""


def load_pack(path: Path) -> RulePack:
    """Load one pack file: a regular file of at most ``MAX_PACK_BYTES``, in UTF-8."""
    from hwspec.spec.read import read_regular_text

    try:
        text = read_regular_text(path, MAX_PACK_BYTES)
    except FileNotFoundError:
        raise PackError(str(path), "no such rule pack file or folder") from None
    except UnicodeDecodeError as error:
        raise PackError(str(path), f"cannot read the pack: not UTF-8 text ({error.reason} at "
                        f"byte {error.start + 1:,})") from None
    except OSError as error:
        raise PackError(str(path), f"cannot read the pack: {error.strerror or error}") from None
    return load_pack_text(text, str(path))


def load_packs(paths: Iterable[Path]) -> tuple[RulePack, ...]:
    """Load pack files, or every ``*.toml`` in a folder, sorted by path."""
    packs: list[RulePack] = []
    for path in paths:
        if path.is_dir():
            packs.extend(load_pack(p) for p in sorted(path.glob("*.toml")))
        else:  # a file, or nothing: load_pack says which
            packs.append(load_pack(path))
    return tuple(packs)


@cache
def builtin_packs() -> tuple[RulePack, ...]:
    """The rule packs shipped with hwspec, loaded once per process."""
    root = Path(__file__).parents[1] / "rules"  # installed: the wheel puts the packs here
    if not root.is_dir():  # running from a source checkout: the packs sit at the repo root
        root = Path(__file__).resolve().parents[3] / "rules"
    from hwspec.spec.read import shipped_toml

    files = sorted((p for p in root.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return tuple(pack_from_data(shipped_toml(f"rules/{p.name}", p), f"hwspec:rules/{p.name}",
                                builtin=True) for p in files)


def combine(packs: Iterable[RulePack]) -> tuple[Rule, ...]:
    """Every rule of the packs, in id order; a rule id or name defined twice is a PackError."""
    by_id: dict[str, Rule] = {}
    taken: dict[str, Rule] = {}  # every id, name and alias, by its rule: one word, one rule
    for pack in packs:
        for rule in pack.rules:
            for key in (rule.id, rule.name, *rule.aliases):
                if key in taken:
                    other = taken[key]
                    raise PackError(
                        pack.origin,
                        f"{key!r} is already the id, name or alias of {other.id} in "
                        f"{other.pack}; rule ids, names and aliases must be unique across packs",
                        rule.id,
                    )
                taken[key] = rule
            by_id[rule.id] = rule
    return tuple(by_id[k] for k in sorted(by_id))


# --- one rule ---------------------------------------------------------------------------------


def _rule(table: RuleTable, origin: str, pack: str, builtin: bool = False) -> Rule:
    """A rule from its typed table: the spelling of its id and name, its expressions compiled
    against the facts and its parameters, its templates and examples checked."""
    rule_id = table.id
    if not RULE_ID.fullmatch(rule_id):
        raise PackError(
            origin,
            f"rule id {rule_id!r} must be two to ten capital letters then three digits, like "
            "'MEM001' or 'ACME001'",
        )
    if rule_id.startswith(RESERVED_PREFIXES):
        raise PackError(origin, f"rule id {rule_id!r}: ids starting {', '.join(RESERVED_PREFIXES)} "
                        "are reserved for hwspec's own findings about the spec file")
    for key in ("name", "severity", "summary", "check", "message"):
        if not getattr(table, key).strip():
            raise PackError(origin, f"'{key}' is required and must be a non-empty string", rule_id)
    if not RULE_NAME.fullmatch(table.name):
        raise PackError(
            origin, f"name {table.name!r} must be lower-case words joined by '-'", rule_id
        )
    if table.severity not in SEVERITIES:
        raise PackError(
            origin,
            f"severity {table.severity!r} is not one of {', '.join(SEVERITIES)}"
            + did_you_mean(table.severity, SEVERITIES),
            rule_id,
        )
    each = table.each
    if each is not None and each not in EACH_KINDS:
        raise PackError(
            origin, f"each = {each!r} is not one of {', '.join(EACH_KINDS)}", rule_id
        )
    params = _params(table.params, origin, rule_id)
    names = fact_types(each)
    names.update({p.name: p.type for p in params})
    check = _compile(table.check, names, origin, rule_id, "check", builtin)
    if check.value_type not in (ValueType.BOOL, ValueType.ANY):
        raise PackError(
            origin, f"check must be a true/false test, but it gives a {check.value_type.value}",
            rule_id,
        )
    when = None
    if table.when is not None:
        when = _compile(table.when, names, origin, rule_id, "when", builtin)
        if when.value_type not in (ValueType.BOOL, ValueType.ANY):
            raise PackError(origin, "when must be a true/false test", rule_id)
    _check_template(table.message, names, origin, rule_id)
    _check_template(table.hint, names, origin, rule_id)
    _check_blame(table.blame, names, origin, rule_id)
    examples = _examples(table.example, origin, rule_id)
    aliases = _aliases(table.aliases, rule_id, table.name, origin)
    used_params = names_read(check, when, table.message, table.hint)
    for param in params:
        if param.name not in used_params:
            raise PackError(
                origin, f"parameter {param.name!r} is declared but never read", rule_id
            )
    return Rule(
        id=rule_id,
        name=table.name,
        severity=table.severity,
        summary=table.summary.strip(),
        check=check,
        message=table.message,
        pack=pack,
        explanation=table.explanation.strip(),
        hint=table.hint.strip(),
        when=when,
        each=each,
        blame=table.blame,
        params=params,
        references=table.references,
        examples=examples,
        aliases=aliases,
        builtin=builtin,
    )


def _aliases(aliases: tuple[str, ...], rule_id: str, name: str, origin: str
             ) -> tuple[str, ...]:
    """A rule's former ids or names: each spelt as an id or a name, none a selector keyword, a
    reserved id or the rule's own id or name (clashes with other rules are refused when packs
    are combined)."""
    for alias in aliases:
        if alias in SELECTORS or alias.upper() in SELECTORS:
            raise PackError(origin, f"alias {alias!r} is a selector keyword", rule_id)
        if not (RULE_ID.fullmatch(alias) or RULE_NAME.fullmatch(alias)):
            raise PackError(origin, f"alias {alias!r} must be spelt as a rule id ('OLD001') or "
                            "name ('old-name')", rule_id)
        if alias.startswith(RESERVED_PREFIXES):
            raise PackError(origin, f"alias {alias!r} is a reserved id", rule_id)
        if alias in (rule_id, name):
            raise PackError(origin, f"alias {alias!r} is the rule's own id or name", rule_id)
    return aliases


def _compile(source: str, names: Mapping[str, ValueType], origin: str, rule_id: str,
             key: str, builtin: bool = False) -> CompiledExpression:
    try:  # a pack hwspec ships is not hostile: its rules pass every check in the tests
        return compile_expression(source, names, hostile=not builtin)
    except ExpressionError as error:
        message = error.message if hasattr(error, "message") else str(error)
        if "unknown name 'item." in message and "item.kind" not in names:
            message += "; item.* facts need each = \"memory\", \"gpu\" or \"storage\""
        column = f" (column {error.column})" if error.column else ""
        if not column and "syntax" in message:  # Python reports an unfinished expression at EOF
            column = f" (at the end, column {len(source.rstrip()) + 1})"
        if column and "column" in message:
            column = ""
        raise PackError(origin, f"{key} = {source[:80]!r}: {message}{column}", rule_id) from None


def _params(tables: Mapping[str, ParamTable], origin: str, rule_id: str) -> tuple[Param, ...]:
    params = []
    for name, table in tables.items():
        if not re.match(r"^[a-z][a-z0-9_]*$", name):
            raise PackError(origin, f"parameter name {name!r} must be lower_snake_case", rule_id)
        if "." in name or name in _fact_types(None):
            raise PackError(origin, f"parameter {name!r} clashes with a fact name", rule_id)
        default: float | int | bool | str = table.default  # type: ignore[assignment]
        param = Param(name, default, table.description, table.unit, table.minimum,
                      table.maximum)
        if param.bounds and param.type is not ValueType.NUMBER:
            raise PackError(origin, f"parameter {name!r}: minimum and maximum bound a number "
                            f"parameter; its default is {default!r}", rule_id)
        if (param.minimum is not None and param.maximum is not None
                and param.minimum > param.maximum):
            raise PackError(origin, f"parameter {name!r}: minimum {param.minimum:g} is above "
                            f"maximum {param.maximum:g}", rule_id)
        if param.bounds and param.out_of_bounds(default):  # type: ignore[arg-type]
            raise PackError(origin, f"parameter {name!r}: default {default!r} is outside its "
                            f"bounds, {param.bounds}", rule_id)
        params.append(param)
    return tuple(params)


def _check_blame(blame: str, names: Mapping[str, ValueType], origin: str, rule_id: str) -> None:
    """A blame is a spec key path (``cpu.count``), or one ``{fact}`` holding such a path for a
    rule whose culprit depends on the build (FIG001 blames the input that is missing)."""
    if "{" not in blame and "}" not in blame:
        return
    match = TEMPLATE_FIELD.fullmatch(blame)
    if match is None or match.group(2) is not None:
        raise PackError(origin, f"blame {blame!r} must be a spec key path like 'cpu.count' or "
                        "one {fact} naming a string fact that holds such a path", rule_id)
    if names.get(match.group(1)) not in (ValueType.STRING, ValueType.ANY):
        raise PackError(origin, f"blame {blame!r}: {match.group(1)} is not a string fact"
                        + did_you_mean(match.group(1), names), rule_id)


def _check_template(template: str, names: Mapping[str, ValueType], origin: str,
                    rule_id: str) -> None:
    for match in TEMPLATE_FIELD.finditer(template):
        field = match.group(1)
        if field not in names:
            raise PackError(
                origin,
                f"message refers to {{{field}}}, which is neither a fact nor a parameter"
                + did_you_mean(field, names),
                rule_id,
            )
        spec = match.group(2)
        if spec:
            sizes = _FORMAT_SIZES.fullmatch(spec)
            for what in ("width", "precision"):
                size = sizes.group(what) if sizes else None
                if size is not None and int(size) > MAX_FORMAT_SIZE:
                    raise PackError(
                        origin, f"template field {{{field}:{spec}}}: {what} {int(size):,} is "
                        f"more than {MAX_FORMAT_SIZE}", rule_id,
                    )
            # Numbers format as numbers; strings, lists and booleans are shown as text.
            sample: object = 1.0 if names[field] in (ValueType.NUMBER, ValueType.ANY) else "x"
            try:
                format(sample, spec)
            except (ValueError, TypeError):
                kind = "a number" if sample == 1.0 else f"a {names[field].value}"
                raise PackError(
                    origin, f"template field {{{field}:{spec}}}: {spec!r} is not a format spec "
                    f"for {kind}", rule_id,
                ) from None


def _examples(tables: tuple[ExampleTable, ...], origin: str, rule_id: str
              ) -> tuple[Example, ...]:
    examples = []
    for table in tables:
        if table.verdict not in ("pass", "fail"):
            raise PackError(origin, f"example verdict {table.verdict!r} must be 'pass' or "
                            "'fail'", rule_id)
        examples.append(Example(table.verdict, table.spec, table.description))
    verdicts = {e.verdict for e in examples}
    for needed in ("fail", "pass"):
        if needed not in verdicts:
            raise PackError(
                origin, f"a rule needs at least one {needed}ing example ([[rule.example]] "
                f"verdict = \"{needed}\")", rule_id,
            )
    return tuple(examples)


