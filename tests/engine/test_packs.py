"""Rule packs: broken or hostile packs are refused when they load, with file, rule and spot."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS, invoke

from hwspec.cli import EXIT_USAGE
from hwspec.engine.packs import load_pack_text
from hwspec.errors import PackError

EXAMPLES = """
[[rule.example]]
verdict = "fail"
spec = '''
[build]
name = "f"
'''
[[rule.example]]
verdict = "pass"
spec = '''
[build]
name = "p"
'''
"""


def _pack(check: str, **extra: str) -> str:
    lines = [f"{k} = {v}" for k, v in extra.items()]
    return textwrap.dedent(f"""
        [[rule]]
        id = "TST001"
        name = "test-rule"
        severity = "error"
        summary = "A test rule."
        check = {check!r}
        message = "failed"
    """) + "\n".join(lines) + EXAMPLES


def _error(text: str) -> str:
    with pytest.raises(PackError) as caught:
        load_pack_text(text, "team.toml")
    return str(caught.value)


def test_unknown_fact_has_did_you_mean() -> None:
    """A check reading a fact that does not exist names the closest fact."""
    assert "did you mean 'memory.capacity_gib'?" in _error(_pack("memory.capacity_gb > 1"))


def test_parse_error_has_column() -> None:
    """A check that does not parse says where."""
    message = _error(_pack("cpu.count >"))

    assert message.startswith("team.toml: TST001: check = 'cpu.count >'")
    assert "column" in message


def test_bool_compared_with_number_is_refused_at_load() -> None:
    """Comparing a boolean fact with a number is a type error when the pack loads."""
    assert "cannot compare" in _error(_pack("memory.balanced == 1"))


def test_undeclared_parameter_is_refused() -> None:
    """A name that is neither a fact nor a declared parameter is an error."""
    assert "unknown name 'psu_limit'" in _error(_pack("power.load_fraction <= psu_limit"))


def test_bad_severity_has_did_you_mean() -> None:
    """A misspelt severity names the right one."""
    text = _pack("cpu.count > 0").replace('severity = "error"', 'severity = "eror"')

    assert "severity 'eror' is not one of error, warning, info; did you mean 'error'?" in _error(
        text)


def test_missing_examples_are_refused() -> None:
    """A rule without a passing example is refused."""
    text = _pack("cpu.count > 0").split("[[rule.example]]")[0] + EXAMPLES.split(
        "[[rule.example]]")[1].join(["[[rule.example]]", ""])

    assert "at least one passing example" in _error(text)


def test_unknown_rule_key_has_did_you_mean() -> None:
    """A misspelt key in a rule names the right key."""
    assert "unknown key 'chek'" in _error(_pack("cpu.count > 0", chek='"x"'))


def test_duplicate_id_across_packs_is_exit_2(tmp_path: Path) -> None:
    """A user pack redefining a built-in id is exit 2 naming both."""
    (tmp_path / "team.toml").write_text(_pack("cpu.count > 0").replace("TST001", "MEM001"))
    result = invoke(["validate", "--rules", str(tmp_path / "team.toml"),
                                      str(SPECS / "epyc-dual.toml")], catch_exceptions=False)

    assert result.exit_code == EXIT_USAGE
    assert "'MEM001' is already the id, name or alias of MEM001 in memory" in result.stderr


@pytest.mark.parametrize(
    "check",
    [
        "__import__('os').system('true')",
        "cpu.__class__",
        "(lambda: 1)()",
        "[x for x in platform.module_kinds]",
        "9**9**9",
        "cpu.count " + "+ 1 " * 10_000 + "> 0",
        "(" * 10_000 + "1" + ")" * 10_000,
        "'" + "a" * 1_000_000 + "' == build.name",
    ],
    ids=["import", "dunder", "lambda", "comprehension", "power", "long-sum", "deep-nesting",
         "megabyte-string"],
)
def test_hostile_expression_is_refused_at_load(check: str) -> None:
    """Hostile checks are refused when the pack loads, before anything runs."""
    with pytest.raises(PackError, match=r"^hostile\.toml: TST001: check = "):
        load_pack_text(_pack(check), "hostile.toml")


def test_number_format_on_a_string_field_is_refused_at_load() -> None:
    """A numeric format spec on a string fact is a pack error, not a traceback later."""
    text = _pack("cpu.count > 0").replace('message = "failed"', 'message = "{cpu.name:.0f}"')

    assert "template field {cpu.name:.0f}: '.0f' is not a format spec for a string" in _error(
        text)


def test_item_fact_without_each_says_what_is_missing() -> None:
    """Reading item.* in a rule without each says that item facts need each."""
    assert "item.* facts need each" in _error(_pack("item.ecc"))


@pytest.mark.parametrize(("extra", "expected"), [
    ({"aliases": "5"}, "TST001: aliases: expected an array, got an integer (5)"),
    ({"aliases": "true"}, "TST001: aliases: expected an array, got a boolean (True)"),
    ({"aliases": '"PWR001"'}, "aliases: expected an array, got a string ('PWR001')"),
    ({"aliases": '["ALL"]'}, "alias 'ALL' is a selector keyword"),
    ({"aliases": '["all"]'}, "alias 'all' is a selector keyword"),
    ({"aliases": '["SPEC003"]'}, "alias 'SPEC003' is a reserved id"),
    ({"aliases": '["MEM 001"]'}, "alias 'MEM 001' must be spelt as a rule id"),
    ({"aliases": '["TST001"]'}, "alias 'TST001' is the rule's own id or name"),
    ({"when": "5"}, "when: expected a string, got an integer (5)"),
    ({"when": "1.5"}, "when: expected a string, got a number (1.5)"),
    ({"when": "true"}, "when: expected a string, got a boolean (True)"),
    ({"when": "{ a = 1 }"}, "when: expected a string, got a table"),
    ({"each": "5"}, "each: expected a string, got an integer (5)"),
    ({"hint": "[1]"}, "hint: expected a string, got an array"),
])
def test_a_key_of_the_wrong_type_is_a_message_not_a_traceback(extra: dict[str, str],
                                                                 expected: str) -> None:
    """Each key of a rule is checked for its type and spelling before it is used, at its key
    path and in the words a spec's wrong type gets."""
    assert expected in _error(_pack("cpu.count > 0", **extra))


@pytest.mark.parametrize(("rule_id", "expected"), [
    ("SPEC001", "ids starting SPEC are reserved"),
    ("SPEC005", "ids starting SPEC are reserved"),
    ("TRY0001", "must be two to ten capital letters then three digits"),
    ("MEM001\n", "must be two to ten capital letters then three digits"),
    ("T01", "must be two to ten capital letters then three digits"),
])
def test_rule_ids_are_matched_whole_and_reserved_ids_refused(rule_id: str,
                                                              expected: str) -> None:
    """An id is matched with fullmatch (a trailing newline is no id), has exactly three digits,
    and may not take the loader's SPEC ids."""
    text = _pack("cpu.count > 0").replace('id = "TST001"', f"id = {rule_id!r}".replace(
        "'", '"').replace("\n", "\\n"))
    assert expected in _error(text)


def test_an_alias_may_not_take_another_rules_id_name_or_alias() -> None:
    """A team rule aliased "MEM001" or "memory-kind-supported" would answer to the built-in
    rule's selector and ignores: refused when the packs are combined."""
    from hwspec.engine.packs import builtin_packs, combine

    for alias in ("MEM001", "memory-kind-supported"):
        pack = load_pack_text(_pack("cpu.count > 0", aliases=f'["{alias}"]'), "team.toml")
        with pytest.raises(PackError) as caught:
            combine((*builtin_packs(), pack))
        assert f"{alias!r} is already the id, name or alias of MEM001" in str(caught.value)


def test_the_shipped_packs_pass_the_checks_a_users_pack_gets() -> None:
    """builtin_packs compiles the shipped rules without the scans that bound a hostile
    expression's parse tree; read as a user's packs, the same files pass those scans and give
    the same rules, expression for expression."""
    from hwspec.engine.packs import builtin_packs, load_pack

    shipped = {pack.name: pack for pack in builtin_packs()}
    files = sorted((ROOT / "rules").glob("*.toml"))
    assert len(files) == len(shipped)
    for path in files:
        as_user = load_pack(path)
        ours = shipped[as_user.name]
        assert [(r.id, r.check.source, r.when and r.when.source) for r in as_user.rules] == [
            (r.id, r.check.source, r.when and r.when.source) for r in ours.rules]


def _bounded_pack(bounds: str, default: str = "0.7") -> str:
    """A pack whose one parameter, read by its check, takes the given bounds."""
    block = f"[rule.params.acme_max_load]\ndefault = {default}\n{bounds}\n"
    return _pack("power.load_fraction <= acme_max_load" if default[0].isdigit()
                 else "defined(acme_max_load)").replace(EXAMPLES, block + EXAMPLES)


def test_a_number_parameter_keeps_its_bounds() -> None:
    """minimum and maximum load with the parameter; docs and messages write them as a range."""
    (rule,) = load_pack_text(_bounded_pack("minimum = 0.01\nmaximum = 1"), "team.toml").rules
    (param,) = rule.params

    assert (param.minimum, param.maximum, param.bounds) == (0.01, 1, "0.01 to 1")


@pytest.mark.parametrize(("bounds", "default", "message"), [
    ("minimum = 1\nmaximum = 0.5", "0.7", "parameter 'acme_max_load': minimum 1 is above "
                                          "maximum 0.5"),
    ("maximum = 0.5", "0.7", "parameter 'acme_max_load': default 0.7 is outside its bounds, "
                             "at most 0.5"),
    ("minimum = 0", "true", "parameter 'acme_max_load': minimum and maximum bound a number "
                            "parameter; its default is True"),
    ('minimum = "low"', "0.7", "minimum: expected a number, got a string ('low')"),
])
def test_bounds_that_cannot_hold_are_refused(bounds: str, default: str, message: str) -> None:
    """Bounds above each other, a default outside them, bounds on a boolean or a bound that is
    no number: the pack is refused, naming the parameter."""
    assert message in _error(_bounded_pack(bounds, default))
