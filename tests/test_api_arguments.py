"""The library checks its arguments as the command line checks its options: a wrong type is a
TypeError naming the function and the argument, a bad value an error of hwspec's own (or a
SPEC001 finding for a spec path), never an AttributeError or a raw OSError from deep inside; a
string is a path; team files given by path are read again when they change."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from tests.conftest import SPECS

import hwspec
from hwspec.errors import CatalogError, ConfigError, PackError, PlanError, SpecError
from hwspec.search.plan import PriceList, Target
from hwspec.spec.model import BuildInfo, Memory, Spec

AM5 = str(SPECS / "am5.toml")

TEAM_CPU = """\
[[cpu]]
id = "team-epyc"
name = "AMD EPYC 9655 at our cTDP"
platform = "sp5-turin"
socket = "sp5"
cores = 96
tdp_w = {tdp}
max_sockets = 2
source = "https://intranet.example/quotes/2026-11"
"""

TEAM_SPEC = """\
[build]
name = "Team build"

[cpu]
part = "team-epyc"

[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = 12
"""

PRICES = {"gigabyte-mz33-cp1": 800, "amd-epyc-9355p": 3000, "samsung-m321r8ga0eb2-ccp": 300,
          "seasonic-prime-tx-1600": 450}
"""Synthetic unit prices: not market prices."""

# (function, call, the start of the TypeError's message)
WRONG_TYPES: list[tuple[str, Callable[[], Any], str]] = [
    ("load", lambda: hwspec.load(5), "hwspec.load: source: expected a path"),
    ("load", lambda: hwspec.load(b"specs/am5.toml"), "hwspec.load: source: expected a path"),
    ("loads", lambda: hwspec.loads(b"[build]"), "hwspec.loads: text: expected TOML text"),
    ("loads", lambda: hwspec.loads(None), "hwspec.loads: text: expected TOML text"),
    ("dumps", lambda: hwspec.dumps(AM5), "hwspec.dumps: spec: expected a Spec"),
    ("validate", lambda: hwspec.validate(5), "hwspec.validate: spec: expected a Spec"),
    ("validate", lambda: hwspec.validate(None), "hwspec.validate: spec: expected a Spec"),
    ("validate", lambda: hwspec.validate(AM5, rules="policy.toml"),
     "hwspec.validate: rules: expected rule packs"),
    ("validate", lambda: hwspec.validate(AM5, params=[("psu_max_load", 0.5)]),
     "hwspec.validate: params: expected a dict"),
    ("validate", lambda: hwspec.validate(AM5, select=[1]), "hwspec.validate: select: expected"),
    ("validate", lambda: hwspec.validate(AM5, ignore=5), "hwspec.validate: ignore: expected"),
    ("validate", lambda: hwspec.validate(AM5, catalog=5), "hwspec.validate: catalog: expected"),
    ("validate", lambda: hwspec.validate(AM5, config=5), "hwspec.validate: config: expected"),
    ("validate", lambda: hwspec.validate({"build": {"name": object()}}),
     "hwspec.validate: spec: a spec given as a dict must hold TOML values"),
    ("report", lambda: hwspec.report(3.5), "hwspec.report: spec: expected a Spec"),
    ("report", lambda: hwspec.report(AM5, rules=[AM5]), "hwspec.report: rules: expected"),
    ("fit", lambda: hwspec.fit([AM5]), "hwspec.fit: spec: expected a Spec"),
    ("fit", lambda: hwspec.fit(AM5, params=5), "hwspec.fit: params: expected a dict"),
    ("diff", lambda: hwspec.diff(AM5, 5), "hwspec.diff: new: expected a Spec"),
    ("diff", lambda: hwspec.diff(None, AM5), "hwspec.diff: old: expected a Spec"),
    ("plan", lambda: hwspec.plan(5, model="deepseek-r1"), "hwspec.plan: prices: expected"),
    ("plan", lambda: hwspec.plan("p.toml", model=5), "hwspec.plan: model: expected a string"),
    ("plan", lambda: hwspec.plan("p.toml", model="deepseek-r1", top="3"),
     "hwspec.plan: top: expected a whole number"),
    ("plan", lambda: hwspec.plan("p.toml", model="deepseek-r1", batch=1.5),
     "hwspec.plan: batch: expected a whole number"),
    ("plan", lambda: hwspec.plan("p.toml", model="deepseek-r1", context_tokens=True),
     "hwspec.plan: context_tokens: expected a whole number"),
    ("plan", lambda: hwspec.plan("p.toml", model="deepseek-r1", budget="100"),
     "hwspec.plan: budget: expected a number"),
    ("plan", lambda: hwspec.plan("p.toml", model="deepseek-r1", platforms=[5]),
     "hwspec.plan: platforms: expected strings"),
    ("load_catalog", lambda: hwspec.load_catalog(5), "hwspec.load_catalog: paths: expected"),
    ("load_catalog", lambda: hwspec.load_catalog([None]), "hwspec.load_catalog: paths: expected"),
    ("load_pack", lambda: hwspec.load_pack(5), "hwspec.load_pack: path: expected a path"),
    ("load_pack", lambda: hwspec.load_pack(["rules"]), "hwspec.load_pack: path: expected a path"),
    ("load_packs", lambda: hwspec.load_packs(5), "hwspec.load_packs: paths: expected"),
    ("builtin_catalog", lambda: hwspec.builtin_catalog(AM5), "builtin_catalog() takes 0"),
    ("builtin_packs", lambda: hwspec.builtin_packs(AM5), "builtin_packs() takes 0"),
]


def test_every_public_function_has_wrong_type_cases() -> None:
    """Each function in hwspec.__all__ is called with arguments of the wrong type below."""
    functions = {name for name in hwspec.__all__ if callable(getattr(hwspec, name))
                 and not inspect.isclass(getattr(hwspec, name))}

    assert functions == {name for name, _, _ in WRONG_TYPES}


@pytest.mark.parametrize(("function", "call", "message"), WRONG_TYPES,
                         ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(WRONG_TYPES)])
def test_a_wrong_type_is_a_type_error_naming_the_argument(function: str,
                                                          call: Callable[[], Any],
                                                          message: str) -> None:
    """An argument of the wrong type raises TypeError naming the function and the argument."""
    with pytest.raises(TypeError, match="^" + re.escape(message)):
        call()


NUL = "specs/a\0b.toml"
LONG = "a" * 100_000

# (call, error, the message's end)
BAD_PATHS: list[tuple[Callable[[str], Any], type[Exception], str]] = [
    (lambda p: hwspec.load(p), SpecError, "no file name can"),
    (lambda p: hwspec.fit(p), SpecError, "no file name can"),
    (lambda p: hwspec.load_catalog(p), CatalogError, "no file name can"),
    (lambda p: hwspec.load_catalog([AM5, p]), CatalogError, "no file name can"),
    (lambda p: hwspec.load_pack(p), PackError, "no file name can"),
    (lambda p: hwspec.load_packs([p]), PackError, "no file name can"),
    (lambda p: hwspec.validate(AM5, catalog=p), ConfigError, "no file name can"),
    (lambda p: hwspec.validate(AM5, config=p), ConfigError, "no file name can"),
    (lambda p: hwspec.plan(p, model="deepseek-r1"), PlanError, "no file name can"),
]


@pytest.mark.parametrize(("call", "error", "end"), BAD_PATHS)
def test_a_path_with_a_nul_byte_is_hwspecs_own_error(call: Callable[[str], Any],
                                                     error: type[Exception], end: str) -> None:
    """A path holding a NUL byte raises the input's own error, not ValueError."""
    with pytest.raises(error, match=re.escape(end)):
        call(NUL)


@pytest.mark.parametrize(("call", "error", "end"), BAD_PATHS)
def test_a_path_of_100000_characters_is_hwspecs_own_error(call: Callable[[str], Any],
                                                          error: type[Exception],
                                                          end: str) -> None:
    """A path of 100,000 characters raises the input's own error, not OSError."""
    with pytest.raises(error, match="the path is 100,000 characters long"):
        call(LONG)


@pytest.mark.parametrize("path", [NUL, LONG], ids=["nul", "long"])
def test_validate_makes_an_impossible_path_a_spec001_finding(path: str) -> None:
    """validate reports a path no file can have as SPEC001, as it does a missing file."""
    report = hwspec.validate(path)

    assert [f.rule for f in report.findings] == ["SPEC001"]


def test_diff_of_an_impossible_path_reports_it() -> None:
    """diff of a path with a NUL byte compares a spec that did not load; no exception."""
    assert hwspec.diff(AM5, NUL) is not None


@pytest.mark.parametrize(("arguments", "message"), [
    ({"top": -1}, "hwspec.plan: top: expected a whole number of at least 1, got -1"),
    ({"top": 0}, "hwspec.plan: top: expected a whole number of at least 1, got 0"),
    ({"batch": 0}, "hwspec.plan: batch: expected a whole number of at least 1, got 0"),
    ({"context_tokens": 0}, "hwspec.plan: context_tokens: expected a whole number of at least 1"),
    ({"budget": -1}, "hwspec.plan: budget: expected a finite number of 0 or more, got -1"),
    ({"min_decode_tokens_per_s": 0}, "hwspec.plan: min_decode_tokens_per_s: expected a finite "
                                     "number above 0, got 0"),
    ({"max_power_w": float("nan")}, "hwspec.plan: max_power_w: expected a finite number above "
                                    "0, got nan"),
    ({"model": ""}, "hwspec.plan: model: expected a name, got an empty string"),
])
def test_plan_refuses_what_the_command_line_refuses(tmp_path: Path, arguments: dict[str, Any],
                                                    message: str) -> None:
    """plan(top=-1), batch=0 and the like raise PlanError naming the argument, instead of
    answering "no candidates"."""
    prices = tmp_path / "prices.toml"
    prices.write_text(tomli_w.dumps({"currency": "USD", "price": PRICES}))
    call = {"model": "deepseek-r1", **arguments}

    with pytest.raises(PlanError, match="^" + re.escape(message)):
        hwspec.plan(prices, **call)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"top": 0}, "hwspec.plan: top: expected a whole number of at least 1, got 0"),
    ({"min_decode_tokens_per_s": -5}, "hwspec.plan: min_decode_tokens_per_s: expected a finite "
                                      "number above 0, got -5"),
    ({"max_power_w": float("nan")}, "hwspec.plan: max_power_w: expected a finite number above "
                                    "0, got nan"),
    ({"prompt_tokens": 0}, "hwspec.plan: prompt_tokens: expected a whole number of at least 1"),
    ({"model": ""}, "hwspec.plan: model: expected a name, got an empty string"),
])
def test_plan_refuses_a_target_as_it_refuses_the_same_keywords(arguments: dict[str, Any],
                                                               message: str) -> None:
    """target=Target(top=0) and the like raise the PlanError the keywords raise, rather than
    answering "no candidates" or failing with a dump of a planned build's findings."""
    target = Target(**{"model": "deepseek-r1", **arguments})

    with pytest.raises(PlanError, match="^" + re.escape(message)):
        hwspec.plan(PriceList("USD", PRICES), target=target)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"context_tokens": "4096"}, "hwspec.plan: context_tokens: expected a whole number"),
    ({"gpus": [5]}, "hwspec.plan: gpus: expected strings"),
])
def test_a_target_field_of_the_wrong_type_is_a_type_error(arguments: dict[str, Any],
                                                          message: str) -> None:
    """A Target holding a string for a number is a TypeError naming the field, as the keyword
    is."""
    target = Target(**{"model": "deepseek-r1", **arguments})

    with pytest.raises(TypeError, match="^" + re.escape(message)):
        hwspec.plan(PriceList("USD", PRICES), target=target)


def test_a_parameter_of_another_type_is_checked_again_whatever_came_before() -> None:
    """params={"psu_max_load": True} after params={"psu_max_load": 1} is refused: the two are
    equal in Python, and the checker kept for the number answered for the bool."""
    hwspec.validate(AM5, params={"psu_max_load": 1})

    with pytest.raises(ConfigError, match="expects a number"):
        hwspec.validate(AM5, params={"psu_max_load": True})


@pytest.mark.parametrize(("spec", "finding"), [
    (lambda: Spec(build=BuildInfo(name="x"), cpu="amd-epyc-9655"),
     ("SPEC002", "cpu", "expected a table, got a string ('amd-epyc-9655')")),
    (lambda: Spec(build=BuildInfo(name="x", currency="usd")),
     ("SPEC002", "build.currency", "expected an ISO 4217 code (three upper-case letters such as "
                                   "USD, EUR or CNY), got 'usd'; did you mean 'USD'?")),
    (lambda: Spec(build=BuildInfo(name="x"), memory=(Memory(kind="xdimm"),)),
     ("SPEC002", "memory[0].kind", None)),
])
def test_a_spec_built_in_code_is_checked_as_its_tables_would_be(spec: Callable[[], Spec],
                                                                 finding: tuple[str, ...]) -> None:
    """A Spec made in Python with a value no file could hold is a SPEC002 finding at its key
    path, as the same tables in a file are, rather than an AttributeError from deep inside the
    check (a string for [cpu]) or a build checked in a currency that is none."""
    report = hwspec.validate(spec())

    assert [(f.rule, f.path, f.message if finding[2] else None) for f in report.findings] == [
        finding]
    assert report.spec is None


@pytest.mark.parametrize("name", ["epyc-dual.toml", "am5.toml", "gpu-2x3090-70b.toml"])
def test_a_spec_changed_in_code_is_checked_as_its_file_is(name: str) -> None:
    """A loaded spec copied in code (attrs.evolve: its positions are gone) gets the findings its
    file gets, but for their lines."""
    loaded = hwspec.load(SPECS / name)

    def findings(report: Any) -> list[tuple[str, str | None, str]]:
        return [(f.rule, f.path, f.message) for f in report.findings]

    assert findings(hwspec.validate(attrs.evolve(loaded))) == findings(
        hwspec.validate(SPECS / name))


def test_select_takes_one_string_as_one_pattern() -> None:
    """select="MEM" selects the MEM rules, as select=["MEM"] does (not the letters M and E)."""
    assert hwspec.validate(AM5, select="MEM") == hwspec.validate(AM5, select=["MEM"])


# --- a string is a path ------------------------------------------------------------------------


def test_a_string_with_a_line_break_is_a_path(tmp_path: Path) -> None:
    """validate reads a file whose name holds a line break, as a path."""
    path = tmp_path / "build\nv2.toml"
    path.write_text((SPECS / "am5.toml").read_text(encoding="utf-8"), encoding="utf-8")
    report = hwspec.validate(str(path))

    assert (report.path, report.findings, report.facts) == (
        str(path), *(lambda r: (r.findings, r.facts))(hwspec.validate(SPECS / "am5.toml")))


def test_toml_text_given_as_a_path_says_where_text_goes() -> None:
    """validate of TOML text finds no such file, and the finding's hint names hwspec.loads."""
    report = hwspec.validate('[build]\nname = "x"\n')

    assert [(f.rule, f.message, f.hint) for f in report.findings] == [
        ("SPEC001", "the file does not exist",
         "A string is a path; give TOML text to hwspec.loads and check the Spec it returns.")]


def test_load_of_toml_text_is_a_missing_file() -> None:
    """load of TOML text raises SpecError for a file that does not exist."""
    with pytest.raises(SpecError, match="SPEC001 the file does not exist"):
        hwspec.load('[build]\nname = "x"\n')


# --- team files are read again when they change --------------------------------------------------


def _tdp(report: Any) -> object:
    assert report.spec is not None, report.findings
    return report.facts["cpu.tdp_w"]


def test_an_edited_catalog_is_read_again(tmp_path: Path) -> None:
    """catalog=PATH after an edit to that file resolves against the new entry."""
    catalog = tmp_path / "team.toml"
    catalog.write_text(TEAM_CPU.format(tdp=320))
    before = _tdp(hwspec.validate(hwspec.loads(TEAM_SPEC), catalog=catalog))
    catalog.write_text(TEAM_CPU.format(tdp=400))
    after = _tdp(hwspec.validate(hwspec.loads(TEAM_SPEC), catalog=catalog))

    assert (before, after) == (320, 400)


def test_an_edit_of_the_same_size_in_the_same_tick_is_read_again(tmp_path: Path) -> None:
    """An edit that keeps the file's size is seen even when the clock has not moved: the
    modification time is set back to the old one, and the file's identity still differs."""
    catalog = tmp_path / "team.toml"
    catalog.write_text(TEAM_CPU.format(tdp=320))
    before = _tdp(hwspec.validate(hwspec.loads(TEAM_SPEC), catalog=catalog))
    stamp = catalog.stat().st_mtime_ns
    replacement = tmp_path / "new.toml"
    replacement.write_text(TEAM_CPU.format(tdp=330))
    os.replace(replacement, catalog)
    os.utime(catalog, ns=(stamp, stamp))
    after = _tdp(hwspec.validate(hwspec.loads(TEAM_SPEC), catalog=catalog))

    assert (before, after) == (320, 330)


def test_a_relative_catalog_path_follows_the_working_folder(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """catalog="team.toml" names the file in the working folder of each call."""
    for folder, tdp in (("a", 320), ("b", 400)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "team.toml").write_text(TEAM_CPU.format(tdp=tdp))
    seen = []
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        seen.append(_tdp(hwspec.validate(hwspec.loads(TEAM_SPEC), catalog="team.toml")))

    assert seen == [320, 400]


def test_an_edited_configuration_is_read_again(tmp_path: Path) -> None:
    """validate(path) after an edit to the spec's hwspec.toml applies the new settings."""
    spec = tmp_path / "build.toml"
    spec.write_text((SPECS / "epyc-dual.toml").read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "hwspec.toml"
    config.write_text('ignore = ["MEM001"]\n')
    before = [f.rule for f in hwspec.validate(spec).findings]
    config.write_text('ignore = ["PWR001", "PWR003"]\n')
    after = [f.rule for f in hwspec.validate(spec).findings]

    assert ("MEM001" in before, "PWR001" in before, "MEM001" in after, "PWR001" in after) == (
        False, True, True, False)


def test_an_edited_catalog_a_configuration_names_is_read_again(tmp_path: Path) -> None:
    """A catalog file named by hwspec.toml is read again after an edit."""
    (tmp_path / "hwspec.toml").write_text('catalog = ["team.toml"]\n')
    (tmp_path / "team.toml").write_text(TEAM_CPU.format(tdp=320))
    spec = tmp_path / "build.toml"
    spec.write_text(TEAM_SPEC)
    before = _tdp(hwspec.validate(spec))
    (tmp_path / "team.toml").write_text(TEAM_CPU.format(tdp=400))

    assert (before, _tdp(hwspec.validate(spec))) == (320, 400)


def test_the_configuration_is_named_from_the_working_folder_of_each_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Report.config is relative to the working folder of the call that made it, even when a
    call from another folder used the same configuration before."""
    spec = tmp_path / "team" / "build.toml"
    spec.parent.mkdir()
    spec.write_text((SPECS / "am5.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (spec.parent / "hwspec.toml").write_text('ignore = ["CST"]\n')
    named = []
    for folder in (tmp_path, spec.parent):
        monkeypatch.chdir(folder)
        named.append(hwspec.validate(spec).config)

    assert named == ["team/hwspec.toml", "hwspec.toml"]
