"""A Checker made in Python checks its Options as the command line and ``hwspec.validate``
check theirs: a parameter, pattern or severity that cannot be used is an error naming it, never
skipped or left to fail deep inside the check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SPECS

import hwspec
from hwspec.checker import Checker, Options
from hwspec.errors import ConfigError

AM5 = SPECS / "am5.toml"


@pytest.mark.parametrize(("options", "error", "message"), [
    (Options(params={"psu_max_laod": 0.7}), ConfigError,
     "Options: unknown rule parameter 'psu_max_laod'; did you mean 'psu_max_load'?"),
    (Options(params={"psu_max_load": "x"}), ConfigError,
     "Options: parameter 'psu_max_load' expects a number (default 0.8), got 'x'"),
    (Options(params={"psu_max_load": float("nan")}), ConfigError,
     "Options: parameter 'psu_max_load' expects a finite number, got nan"),
    (Options(select=("MEMM",)), ConfigError, "Options: 'MEMM' match no rule"),
    (Options(severity={"PWR001": "fatal"}), ConfigError,
     "Options: severity: PWR001: 'fatal' is not a known severity; expected one of error, "
     "warning, info"),
    (Options(select="MEM"), TypeError,  # type: ignore[arg-type]
     "Options: select: expected a tuple of rule ids or names, got 'MEM'"),
    (Options(ignore=(5,)), TypeError,  # type: ignore[arg-type]
     "Options: ignore: expected a tuple of rule ids or names, got (5,)"),
    (Options(params=[("psu_max_load", 0.7)]), TypeError,  # type: ignore[arg-type]
     "Options: params: expected a mapping of parameter names to values, got "
     "[('psu_max_load', 0.7)]"),
    (Options(packs=("rules/team.toml",)), TypeError,  # type: ignore[arg-type]
     "Options: packs: expected a tuple of RulePacks (hwspec.load_pack), got "
     "('rules/team.toml',)"),
])
def test_options_that_cannot_be_used_are_named(options: Options, error: type[Exception],
                                               message: str) -> None:
    """Each problem is raised at the first check, naming the entry: an unknown parameter was
    silently left at its default, a severity that is none failed as a bare ValueError."""
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        Checker(options).check_file(AM5)


def test_usable_options_check_as_before() -> None:
    """Options the rules know still check: PWR rules only, the PSU limit overridden."""
    report = Checker(Options(params={"psu_max_load": 0.7}, select=("PWR",))).check_file(AM5)

    assert {f.rule[:3] for f in report.findings} <= {"PWR", "SPE"}


_PARAM_VALUES = st.one_of(st.floats(), st.integers(-10, 10), st.booleans(), st.text(max_size=3))


@settings(max_examples=25, deadline=None)
@given(_PARAM_VALUES)
def test_a_checker_refuses_a_parameter_exactly_when_validate_does(value: Any) -> None:
    """One set of checks: a value ``hwspec.validate(params=...)`` refuses, a Checker's Options
    refuse, and the other way round."""

    def refused(check: Any) -> bool:
        try:
            check()
        except ConfigError:
            return True
        return False

    assert refused(lambda: Checker(Options(params={"psu_max_load": value})).check_file(AM5)) \
        == refused(lambda: hwspec.validate(AM5, params={"psu_max_load": value}))


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_psu_max_load_is_refused_exactly_outside_its_bounds(value: float) -> None:
    """PWR001's limit is a share of the rating: 0.01 to 1, and nothing else (80, meant as 80 %,
    is refused rather than passing every build)."""
    try:
        Checker(Options(params={"psu_max_load": value})).check_file(AM5)
        refused = False
    except ConfigError as error:
        refused = "expects 0.01 to 1 (default 0.8)" in str(error)

    assert refused == (not 0.01 <= value <= 1)


def test_a_specs_parameter_outside_its_bounds_is_a_finding() -> None:
    """[checks] params = { psu_max_load = 80 } is a SPEC002 finding at that key, and PWR001
    keeps its default limit."""
    text = AM5.read_text(encoding="utf-8") + "\n[checks]\nparams = { psu_max_load = 80 }\n"
    report = Checker().check_text(text)

    assert [(f.rule, f.path, f.message) for f in report.findings if f.rule == "SPEC002"] == [
        ("SPEC002", "checks.params.psu_max_load",
         "parameter 'psu_max_load' expects 0.01 to 1 (default 0.8), got 80")]
    assert report.params["psu_max_load"] == 0.8
