"""Numbers at their extremes: every fractional field has a plausible range, refused at its key with
the range in the message, alike on the fast path and in the converter, in specs, team catalogs and
price lists."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs
import pytest
import tomli_w
from hypothesis import example, given
from hypothesis import strategies as st

from hwspec.catalog import builtin_catalog, entries_from_toml
from hwspec.catalog.user import entry_problem
from hwspec.checker import Checker
from hwspec.errors import PlanError
from hwspec.search.plan import prices_from_data
from hwspec.spec.fast import fast_structure
from hwspec.spec.kinds import PART_KINDS
from hwspec.spec.load import load_text
from hwspec.spec.model import IgnoreEntry, Spec
from hwspec.spec.values import NonNegative, Positive


def _inner(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _fractional(cls: type, prefix: str = "") -> Iterator[tuple[str, attrs.Attribute[Any]]]:
    """Every fractional number field under cls, as (key path with ``[]`` for arrays, field)."""
    hints = get_type_hints(cls)  # in the namespace of the module that defines cls
    for attribute in attrs.fields(cls):
        path, inner = f"{prefix}{attribute.name}", _inner(hints[attribute.name])
        if get_origin(inner) is tuple:
            inner, path = get_args(inner)[0], f"{path}[]"
        if attrs.has(inner) and inner is not IgnoreEntry:
            yield from _fractional(inner, f"{path}.")
        elif inner in (Positive, NonNegative):
            yield path, attribute


FIELDS = list(_fractional(Spec))
POSITIVE = [(path, a) for path, a in FIELDS if a.metadata.get("minimum", 0) > 0]


def _data_at(path: str, value: Any) -> dict[str, Any]:
    """Spec data with one key path (``memory[].speed_mts``) set to value."""
    data: dict[str, Any] = {"build": {"name": "x"}}
    table: dict[str, Any] = data
    *parents, key = path.split(".")
    for parent in parents:
        if parent.endswith("[]"):
            table = table.setdefault(parent[:-2], [{}])[0]
        else:
            table = table.setdefault(parent, {})
    table[key] = value
    return data


def _refusals(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.path, f.message) for f in load_text(tomli_w.dumps(data)).findings]


def _range(meta: Any) -> str:
    unit = meta.get("unit")
    shown = f" {unit}" if unit and unit != "currency" else ""
    return f"{meta['minimum']:g} to {meta['maximum']:,}{shown} (a plausible {meta['plausible']})"


def test_every_fractional_field_has_a_range() -> None:
    """Every fractional number of the spec, its team catalog entries included, has a least value
    beside its greatest: no positive number is let through only for being above 0."""
    classes = [kind.cls for kind in PART_KINDS]
    missing = [f"{cls.__name__}.{path}" for cls in classes for path, a in _fractional(cls)
               if not {"minimum", "maximum"} <= set(a.metadata)]
    missing += [path for path, a in FIELDS if not {"minimum", "maximum"} <= set(a.metadata)]

    assert missing == []


@pytest.mark.parametrize(("path", "attribute"), POSITIVE, ids=[p for p, _ in POSITIVE])
def test_every_range_accepts_its_minimum(path: str, attribute: attrs.Attribute[Any]) -> None:
    """The least plausible value itself loads."""
    assert _refusals(_data_at(path, attribute.metadata["minimum"])) == []


@pytest.mark.parametrize(("path", "attribute"), POSITIVE, ids=[p for p, _ in POSITIVE])
def test_every_range_refuses_a_tiny_value_with_the_range(
        path: str, attribute: attrs.Attribute[Any]) -> None:
    """1e-300 is refused at its key as SPEC002, the message giving the range and its unit."""
    expected = [("SPEC002", path.replace("[]", "[0]"),
                 f"expected {_range(attribute.metadata)}, got 1e-300")]

    assert expected == _refusals(_data_at(path, 1e-300))


def test_a_tiny_memory_speed_is_refused_with_line_and_range() -> None:
    """The message as a user reads it: the key, the range with its unit and the value."""
    text = '[build]\nname = "x"\n\n[[memory]]\nspeed_mts = 5e-324\n'
    finding = load_text(text).findings[0]

    assert (
        finding.path, finding.line, finding.message) == ("memory[0].speed_mts", 5,
            "expected 10 to 100,000 MT/s (a plausible module speed), got 5e-324")


@st.composite
def _outside(draw: st.DrawFn) -> tuple[str, float]:
    """A fractional field and a finite value outside its range: a positive value under its
    least (subnormals included), or one above its greatest."""
    path, attribute = draw(st.sampled_from(POSITIVE))
    meta = attribute.metadata
    below = st.floats(min_value=5e-324, max_value=meta["minimum"], exclude_max=True)
    above = st.floats(min_value=meta["maximum"], exclude_min=True, allow_infinity=False)
    return path, draw(below | above)


@example(("memory[].speed_mts", 1e-300))
@example(("build.budget", 5e-324))
@example(("workload.bits_per_weight", 1e-300))
@example(("system.gpu_memory_share", 1e-300))
@given(_outside())
def test_any_value_outside_its_range_is_refused_at_its_key(case: tuple[str, float]) -> None:
    """Law: a value outside its field's range is refused at its key, by both load paths, and
    checking the spec never raises."""
    path, value = case
    data = _data_at(path, value)
    report = Checker().check_text(tomli_w.dumps(data))

    assert (None, [("SPEC002", path.replace("[]", "[0]"))]) == (
        fast_structure(data, Spec), [(f.rule, f.path) for f in report.findings])


def test_builtin_catalog_is_within_the_least_values() -> None:
    """Every built-in catalog figure is at least ten times its field's least value: the least
    values sit far below any real part."""
    classes = {kind.name: kind.cls for kind in PART_KINDS}
    under = [(entry.kind, entry.id, name)
             for entry in builtin_catalog().entries()
             for a in attrs.fields(classes[entry.kind])
             if (name := a.name) in entry.fields and a.metadata.get("minimum", 0) > 0
             and entry.fields[name] < 10 * a.metadata["minimum"]]

    assert under == []


@pytest.mark.parametrize(("text", "problem"), [
    ('[[platform]]\nid = "p"\nname = "P"\nsocket = "sp5"\nmax_mts_1dpc = 1e-300\n',
     "max_mts_1dpc: expected 10 to 100,000 MT/s (a plausible memory speed), got 1e-300"),
    ('[[power]]\nid = "c"\nname = "C"\npart = "memory"\nconfidence = "low"\npower_w = 1e-300\n',
     "power_w: expected 0.1 to 100,000 W (a plausible class power), got 1e-300"),
    ('[[gpu]]\nid = "g"\nname = "G"\nbandwidth_gbs = 1e-300\n',
     "bandwidth_gbs: expected 0.01 to 1,000,000 GB/s (a plausible GPU memory bandwidth), "
     "got 1e-300"),
], ids=["platform", "power", "gpu"])
def test_team_catalog_entries_have_the_same_ranges(text: str, problem: str) -> None:
    """A team's platform, power class or part with a tiny figure is refused at its field."""
    entry = entries_from_toml(text + 'source = "https://example.com"\n', "team.toml")[0]

    assert problem == entry_problem(entry)


def test_a_tiny_price_in_a_price_list_is_refused_with_the_range() -> None:
    """A price list's 1e-300 is refused naming the key and the range; 0 stays a part owned."""
    with pytest.raises(PlanError) as raised:
        prices_from_data({"currency": "USD", "price": {"a": 0, "b": 1e-300}}, "prices.toml")

    assert str(raised.value) == (
        "prices.toml: price.b: expected 0.01 to 1,000,000,000,000 (a plausible price per unit), "
        "got 1e-300; 0 stands for a part already owned")


def test_a_price_list_keeps_owned_parts_at_zero() -> None:
    """0 is a part already owned, not a price outside the range."""
    assert prices_from_data({"currency": "USD", "price": {"a": 0}}).prices == {"a": 0.0}


def test_tiny_figures_never_reach_the_report(tmp_path: Path) -> None:
    """A spec whose price and speeds are tiny is refused, so the HTML report never divides by
    them: `hwspec report` exits 1 with the finding rather than a traceback."""
    from tests.conftest import invoke

    spec = tmp_path / "tiny.toml"
    spec.write_text('[build]\nname = "x"\n[cpu]\nname = "c"\nprice = 1e-300\n', encoding="utf-8")
    result = invoke(["report", "--format", "html", str(spec)], catch_exceptions=False)

    assert (result.exit_code, "cpu.price" in result.output) == (1, True)


@pytest.mark.parametrize(("arch", "path", "message"), [
    ("active_params_b = 700", "workload.arch.active_params_b",
     "expected at most params_b (671 B params), got 700"),
    ("expert_params_b = 1e6", "workload.arch.expert_params_b",
     "expected at most params_b (671 B params), got 1e+06"),
    ("params_b = 1e-9", "workload.arch.params_b",
     "expected at most params_b (1e-09 B params), got 37"),
], ids=["active", "experts", "total"])
def test_an_override_against_the_catalog_entry_is_refused_at_its_key(
        arch: str, path: str, message: str) -> None:
    """An inline figure within its own range that contradicts the catalog model's others is
    SPEC002 at that key, not an exception out of resolving."""
    text = f'[build]\nname = "x"\n[workload]\nmodel = "deepseek-r1"\narch = {{ {arch} }}\n'
    found = [(f.rule, f.path, f.message.split(";")[0]) for f in Checker().check_text(text).findings
             if f.rule == "SPEC002"]

    assert [("SPEC002", path, message)] == found


def test_every_shipped_entry_passes_a_team_entry_check() -> None:
    """Every built-in entry, platforms and power classes included, is within every range a
    team's own entry is held to."""
    assert [(e.kind, e.id, problem) for e in builtin_catalog().entries()
                  if (problem := entry_problem(e)) is not None] == []
