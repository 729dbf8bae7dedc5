"""The JSON Schema of the spec format, and the plausibility limits it shares with the loader.

The schema is generated from the spec classes, so these tests pin that it agrees with what hwspec
itself accepts: every real spec validates, every broken one in tests/data/specs-broken is refused by
both, and on generated specs the two give the same verdict (apart from the differences
docs/schema.md lists).
"""

from __future__ import annotations

import json
import math
import re
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any, get_type_hints

import attrs
import pytest
import tomli_w
from hypothesis import assume, example, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from tests.conftest import ROOT, SPECS, invoke
from tests.strategies import spec_data

import hwspec
from hwspec.catalog import Catalog, CatalogEntry, builtin_catalog
from hwspec.checker import Checker
from hwspec.engine.packs import builtin_packs
from hwspec.spec import model as _spec
from hwspec.spec.kinds import TABLE_KINDS
from hwspec.spec.load import structure
from hwspec.spec.model import Psu
from hwspec.spec.values import CHOICES, Count, NonNegative, Positive
from hwspec.views.schema import DRAFT, Limit, limits, limits_markdown, schema_json, spec_schema

SCHEMA = spec_schema()
VALIDATOR = Draft202012Validator(SCHEMA)
CHECKER = Checker()
BROKEN = ROOT / "tests" / "data" / "specs-broken"
SPEC_CLASSES = [
    obj for obj in _spec.SPEC_CLASSES if not obj.__name__.startswith("_")
]


REFUSALS = ("SPEC001", "SPEC002", "SPEC003")
"""The findings by which hwspec refuses a spec: it does not parse, structure or resolve."""


def _spec_findings(text: str) -> list[tuple[str, str, int | None, str]]:
    """The refusals hwspec reports on a spec's text: (rule, path, line, message)."""
    report = CHECKER.check_text(textwrap.dedent(text))
    return [(f.rule, f.path, f.line, f.message) for f in report.findings if f.rule in REFUSALS]


def _schema_errors(data: Any) -> list[str]:
    return sorted(f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(data))


# --- the document itself -------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The generated document is itself a valid JSON Schema of the declared draft."""
    Draft202012Validator.check_schema(SCHEMA)

    assert SCHEMA["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"


def test_schema_json_is_stable_text() -> None:
    """schema_json is the schema as JSON text ending in a newline, the same on every call."""
    text = schema_json()

    assert (json.loads(text), text.endswith("}\n"), text) == (SCHEMA, True, schema_json())


def test_schema_starts_with_its_identity() -> None:
    """The document opens with $schema, $id, $comment, title and description."""
    assert list(SCHEMA)[:5] == ["$schema", "$id", "$comment", "title", "description"]


# Keywords that mean the same in draft 7 and draft 2020-12: Taplo (Even Better TOML) validates with
# a draft-7 validator whatever $schema says, so the schema must not lean on newer keywords.
PORTABLE_KEYWORDS = {
    "$schema", "$id", "$comment", "$defs", "$ref", "title", "description", "default", "type",
    "properties", "required", "additionalProperties", "items", "enum", "anyOf", "not",
    "minimum", "maximum", "exclusiveMinimum", "maxItems", "maxProperties", "pattern", "x-unit",
    "x-taplo",
}


def _keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in a schema (property names and definition names excluded)."""
    if isinstance(schema, list):
        return set().union(*(_keywords(s) for s in schema))
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            found |= set().union(*(_keywords(s) for s in value.values()))
        elif key not in ("enum", "default", "x-taplo"):
            found |= _keywords(value)
    return found


def test_schema_uses_only_keywords_draft_7_reads_the_same() -> None:
    """No keyword outside the set that draft 7 and draft 2020-12 interpret alike."""
    assert _keywords(SCHEMA) - PORTABLE_KEYWORDS == set()


def test_every_table_forbids_unknown_keys() -> None:
    """The root and every definition set additionalProperties false."""
    tables = [SCHEMA, *SCHEMA["$defs"].values()]

    assert [t.get("additionalProperties") for t in tables] == [False] * len(tables)


def test_part_ids_come_from_the_catalog() -> None:
    """A part key's enum is the catalog's ids of that kind, each documented by the part's name."""
    cpu_part = SCHEMA["$defs"]["Cpu"]["properties"]["part"]
    catalog = builtin_catalog()

    assert (cpu_part["enum"], cpu_part["x-taplo"]["docs"]["enumValues"][0]) == (
        catalog.ids("cpu"), next(catalog.entries("cpu")).fields["name"])


def test_a_user_catalog_adds_its_ids() -> None:
    """Given a catalog, the schema's part ids are that catalog's, so user parts validate."""
    catalog = Catalog([*builtin_catalog().entries(), CatalogEntry(
        "cooling", "acme-cooler", {"name": "ACME cooler"}, "https://example.com/acme")])
    validator = Draft202012Validator(spec_schema(catalog))

    assert validator.is_valid({"build": {"name": "x"}, "cooling": {"part": "acme-cooler"}})


def test_a_kind_without_catalog_entries_takes_no_part_id() -> None:
    """With no catalog entries of a kind, any part id is refused and the key says why."""
    part = spec_schema(Catalog())["$defs"]["Cooling"]["properties"]["part"]

    assert (part["not"], part["description"].endswith(
        "This catalog has no cooling entries: declare the part inline.")) == ({}, True)


def test_units_are_in_the_description_and_a_keyword() -> None:
    """A key with a unit names it in its description and in x-unit."""
    capacity = SCHEMA["$defs"]["Psu"]["properties"]["capacity_w"]

    assert capacity == {
        "description": "Continuous output one unit is rated for, in W.",
        "type": "number",
        "minimum": 0.1,
        "maximum": 100_000,
        "x-unit": "W",
    }


# --- the spec classes carry their documentation ---------------------------------------------------


@pytest.mark.parametrize("cls", SPEC_CLASSES, ids=lambda c: c.__name__)
def test_every_field_has_a_one_sentence_description(cls: type) -> None:
    """Every field of every spec class has metadata describing it in a sentence ending with '.'."""
    bad = [a.name for a in attrs.fields(cls)
           if not str(a.metadata.get("description", "")).endswith(".")]

    assert bad == []


NUMERIC = (Count, Positive, NonNegative)


@pytest.mark.parametrize("cls", SPEC_CLASSES, ids=lambda c: c.__name__)
def test_every_number_has_a_plausibility_bound(cls: type) -> None:
    """Every count, positive or non-negative field declares a maximum, why, and what it bounds."""
    hints = get_type_hints(cls, vars(sys.modules[cls.__module__]))
    numeric = [a for a in attrs.fields(cls)
               if {hints[a.name], *getattr(hints[a.name], "__args__", ())} & set(NUMERIC)]
    bad = [a.name for a in numeric
           if not {"maximum", "why", "plausible"} <= set(a.metadata)]

    assert bad == []


def test_builtin_catalog_is_within_the_bounds() -> None:
    """Every built-in catalog figure is under a quarter of its bound: the bounds sit far above."""
    kinds = {**{k.name: k.cls for k in TABLE_KINDS}, "model": _spec.ModelArch}
    over = [
        (entry.kind, entry.id, name)
        for entry in builtin_catalog().entries()
        if entry.kind in kinds
        for a in attrs.fields(kinds[entry.kind])
        if (name := a.name) in entry.fields and "maximum" in a.metadata
        and not a.metadata.get("exact")  # a share's 1 is the quantity's own limit
        and entry.fields[name] > a.metadata["maximum"] / 4
    ]

    assert over == []


# --- the schema accepts every real spec -----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_spec_validates(path: Path) -> None:
    """Each spec in specs/ is valid against the schema."""
    assert _schema_errors(tomllib.loads(path.read_text(encoding="utf-8"))) == []


RULE_EXAMPLES = [
    pytest.param(example.spec, id=f"{rule.id}-{example.verdict}-{index}")
    for pack in builtin_packs()
    for rule in pack.rules
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize("text", RULE_EXAMPLES)
def test_every_rule_example_validates(text: str) -> None:
    """Each rule's example spec (passing or failing the rule, always a valid spec) is valid."""
    assert _schema_errors(tomllib.loads(text)) == []


@given(spec_data())
def test_what_hwspec_accepts_the_schema_accepts(data: dict[str, Any]) -> None:
    """Law: a generated spec, which hwspec accepts, validates against the schema."""
    assert (_spec_findings(tomli_w.dumps(data)), _schema_errors(data)) == ([], [])


# --- the schema refuses what hwspec refuses ------------------------------------------------------

BROKEN_FILES = sorted(BROKEN.glob("*.toml"))


def _expected(path: Path) -> tuple[str, str]:
    """The (rule, key path) named on a broken spec's first line: '# refused: SPEC002 psu.x'."""
    match = re.match(r"# refused: (SPEC00\d) (\S+)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must start with '# refused: SPEC00x key.path'"
    return match.group(1), match.group(2)


def test_there_are_broken_specs() -> None:
    """The broken-spec folder is not empty (a wrong path would pass every case vacuously)."""
    assert len(BROKEN_FILES) >= 20


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_spec_fails_the_schema(path: Path) -> None:
    """Each broken spec is invalid against the schema."""
    assert _schema_errors(tomllib.loads(path.read_text(encoding="utf-8"))) != []


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_spec_is_refused_by_hwspec_where_promised(path: Path) -> None:
    """Each broken spec is refused by hwspec with the finding its first line names."""
    findings = _spec_findings(path.read_text(encoding="utf-8"))
    found = {(rule, where) for rule, where, _, _ in findings}

    assert _expected(path) in found


# Values each kind of key is tried with: valid ones, ones at and past the bounds, wrong types.
# Left out are the two documented differences: integral floats for whole numbers, and NaN.
_WRONG_TYPES = st.text(max_size=4) | st.booleans() | st.lists(st.integers(), max_size=2)


def _whole(maximum: int) -> st.SearchStrategy[Any]:
    edges = st.sampled_from([maximum, maximum + 1, 1, 0, -1])
    fractional = st.floats(-10, maximum * 2, allow_nan=False).filter(lambda x: not x.is_integer())
    return edges | st.integers(-5, maximum * 2) | fractional | _WRONG_TYPES


def _number(maximum: int) -> st.SearchStrategy[Any]:
    edges = st.sampled_from([maximum, maximum + 1, maximum * 1.0001, 0, 0.0, -1, 1e30, math.inf])
    floats = st.floats(-10, maximum * 2, allow_nan=False)
    return edges | floats | st.integers(-5, maximum * 2) | _WRONG_TYPES


def _values(cls: type, attribute: attrs.Attribute[Any]) -> st.SearchStrategy[Any]:
    tp = get_type_hints(cls, vars(sys.modules[cls.__module__]))[attribute.name]
    inner = next((t for t in (tp, *getattr(tp, "__args__", ())) if t is not type(None)), tp)
    maximum = attribute.metadata.get("maximum", 10)
    kind = attribute.metadata.get("catalog")
    if kind:
        return st.sampled_from(builtin_catalog().ids(kind) or ["x"]) | st.text(max_size=6)
    if inner is Count:
        return _whole(maximum)
    if inner in (Positive, NonNegative):
        return _number(maximum)
    if inner in CHOICES:
        return st.sampled_from(CHOICES[inner][0]) | st.text(max_size=6) | st.integers()
    if inner is bool:
        return st.booleans() | st.text(max_size=3)
    if inner == tuple[str, ...]:
        return st.lists(st.text(max_size=4), max_size=2) | st.text(max_size=4)
    return st.text(max_size=8) | st.integers() | st.booleans()


_TABLES: dict[str, type] = {
    "build": _spec.BuildInfo, "board": _spec.Board, "cpu": _spec.Cpu, "memory": _spec.Memory,
    "psu": _spec.Psu, "gpu": _spec.Gpu, "storage": _spec.Storage, "case": _spec.Case,
    "cooling": _spec.Cooling, "workload": _spec.Workload, "workload.arch": _spec.ModelArch,
}
_ARRAYS = {kind.name for kind in TABLE_KINDS if kind.listed}


@st.composite
def edited_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A generated spec with a few keys set to valid, edge or wrong values, or unknown keys."""
    data = draw(spec_data())
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(sorted(_TABLES)))
        cls = _TABLES[table]
        attribute = draw(st.sampled_from([a for a in attrs.fields(cls) if a.name != "arch"]))
        if draw(st.integers(0, 9)) == 0:
            key, value = draw(st.sampled_from(["colour", "wattage", "sockets2"])), 1
        else:
            key, value = attribute.name, draw(_values(cls, attribute))
        if table == "workload.arch":
            entry = data.setdefault("workload", {}).setdefault("arch", {})
        elif table in _ARRAYS:
            entries = data.setdefault(table, [])
            if not entries:
                entries.append({})
            entry = entries[0]
        else:
            entry = data.setdefault(table, {})
        entry[key] = value
    data["build"].setdefault("name", "x")
    return data


@example({"build": {"name": "x"}, "psu": {"capacity_w": 100_000}})
@example({"build": {"name": "x"}, "psu": {"capacity_w": 100_001}})
@example({"build": {"name": "x"}, "cpu": {"count": 10_000}, "workload": {"batch": 0}})
@given(edited_specs())
def test_schema_and_hwspec_agree(data: dict[str, Any]) -> None:
    """Law: on specs with valid, edge and wrong values, the schema and hwspec give one verdict,
    bar the documented difference of a model's part above its whole (the schema compares no two
    values; see test_difference_part_of_a_model_above_its_whole)."""
    findings = _spec_findings(tomli_w.dumps(data))
    errors = _schema_errors(data)
    assume(not any(PART_ABOVE_WHOLE in message for *_, message in findings))

    assert (findings == []) == (errors == []), f"hwspec: {findings}\nschema: {errors}"


# The documented differences (docs/schema.md): pinned, so the docs change when they do.


def test_difference_integral_float_count() -> None:
    """`count = 2.0` satisfies the schema's integer (JSON has one number type) but not hwspec."""
    data = {"build": {"name": "x"}, "cpu": {"count": 2.0}}
    refusals = [(rule, path, message) for rule, path, _, message in _spec_findings(
        tomli_w.dumps(data))]

    assert (_schema_errors(data), refusals) == (
        [], [("SPEC002", "cpu.count", "expected a whole number, got a number (2.0)")])


PART_ABOVE_WHOLE = "a part of the model cannot hold more parameters than the whole"


def test_difference_part_of_a_model_above_its_whole() -> None:
    """An inline part of a catalog model's parameters above the model's total satisfies the
    schema (which compares no two values, nor knows the catalog's) but not hwspec."""
    data = {"build": {"name": "x"},
            "workload": {"model": "deepseek-r1", "arch": {"attention_params_b": 672}}}
    refusals = [(rule, path) for rule, path, _, message in _spec_findings(tomli_w.dumps(data))
                if PART_ABOVE_WHOLE in message]

    assert (_schema_errors(data), refusals) == (
        [], [("SPEC002", "workload.arch.attention_params_b")])


def test_difference_nan() -> None:
    """TOML's nan is outside JSON: the schema's bounds cannot catch it, hwspec refuses it."""
    data = {"build": {"name": "x"}, "psu": {"capacity_w": math.nan}}
    messages = [message for _, _, _, message in _spec_findings(tomli_w.dumps(data))]

    assert (_schema_errors(data), messages) == ([], ["expected a finite number, got nan"])


# --- plausibility limits: exact messages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "path", "message"),
    [
        ("[psu]\ncapacity_w = 1e30", "psu.capacity_w",
         "expected at most 100,000 W (a plausible PSU capacity), got 1e+30"),
        ("[cpu]\ncount = 20_000", "cpu.count",
         "expected at most 10,000 (a plausible number of units), got 20000"),
        ("[board]\nprice = 2e12", "board.price",
         "expected at most 1,000,000,000,000 (a plausible price per unit), got 2000000000000.0"),
        ("[[memory]]\ncapacity_gib = 8192", "memory[0].capacity_gib",
         "expected at most 4,096 GiB (a plausible module capacity), got 8192"),
        ("[[memory]]\nspeed_mts = 600000", "memory[0].speed_mts",
         "expected at most 100,000 MT/s (a plausible module speed), got 600000"),
        ("[workload.arch]\nparams_b = 1e7", "workload.arch.params_b",
         "expected at most 1,000,000 B params (a plausible parameter count), got 10000000.0"),
        ("[workload]\ncontext_tokens = 2_000_000_000", "workload.context_tokens",
         "expected at most 1,000,000,000 tokens (a plausible context length), got 2000000000"),
        ("[workload]\noverhead_gib = 1e7", "workload.overhead_gib",
         "expected at most 1,048,576 GiB (a plausible overhead), got 10000000.0"),
    ],
)
def test_implausible_value_is_spec002_at_its_key(toml: str, path: str, message: str) -> None:
    """A value beyond any real part is SPEC002 at its key, naming the bound, unit and value."""
    assert _spec_findings(f'[build]\nname = "x"\n{toml}\n') == [("SPEC002", path, 4, message)]


def test_cli_reports_the_implausible_psu(tmp_path: Path) -> None:
    """`hwspec validate` prints the bound on the PSU's line and exits 1."""
    spec = tmp_path / "absurd.toml"
    spec.write_text('[build]\nname = "x"\n\n[psu]\nname = "big"\ncapacity_w = 1e30\n')
    result = invoke(["validate", str(spec)], catch_exceptions=False)

    line = re.escape(f"{spec}:6") + r"(:\d+)?: " + re.escape(
        "SPEC002 error psu.capacity_w: expected at most 100,000 W (a plausible PSU capacity), "
        "got 1e+30")

    assert (result.exit_code, bool(re.search(line, result.stdout))) == (1, True), result.stdout


def test_library_load_refuses_the_implausible_psu() -> None:
    """hwspec.load raises SpecError naming the key and the bound."""
    with pytest.raises(hwspec.SpecError, match=re.escape(
            "SPEC002 psu.capacity_w: expected at most 100,000 W (a plausible PSU capacity), "
            "got 1e+30")):
        hwspec.loads('[build]\nname = "x"\n[psu]\ncapacity_w = 1e30\n')


def test_constructing_a_part_checks_the_bound() -> None:
    """The attrs validator refuses an implausible value when a part is built in code, too."""
    with pytest.raises(ValueError, match=re.escape(
            "expected at most 100,000 W (a plausible PSU capacity), got 1e+30")):
        Psu(capacity_w=Positive(1e30))


def test_a_value_at_the_bound_is_accepted() -> None:
    """Exactly the maximum is plausible: 100,000 W loads."""
    assert _spec_findings('[build]\nname = "x"\n[psu]\ncapacity_w = 100_000\n') == []


def _data_at(path: str, value: Any) -> dict[str, Any]:
    """Spec data with one key path (``memory[].count``, ``workload.arch.layers``) set to value."""
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


@pytest.mark.parametrize("limit", limits(), ids=lambda limit: limit.path)
def test_every_bound_accepts_its_maximum(limit: Limit) -> None:
    """For every bounded key, the maximum itself structures and validates."""
    data = _data_at(limit.path, limit.maximum)

    assert (structure(data).findings, _schema_errors(data)) == ((), [])


@pytest.mark.parametrize("limit", limits(), ids=lambda limit: limit.path)
def test_every_bound_refuses_one_more(limit: Limit) -> None:
    """For every bounded key, the maximum plus one is SPEC002 at that key naming the bound."""
    data = _data_at(limit.path, limit.maximum + 1)
    findings = [(f.rule, f.path, f.message.split(" (")[0]) for f in structure(data).findings]

    assert ([("SPEC002", limit.path.replace("[]", "[0]"), f"expected at most {limit.maximum:,}"
              + (f" {limit.unit}" if limit.unit and limit.unit != "currency" else ""))], True) == (
        findings, _schema_errors(data) != [])


# --- docs/schema.md -------------------------------------------------------------------------------

DOC = ROOT / "docs" / "schema.md"


def test_docs_limits_table_matches_the_spec() -> None:
    """The limits table in docs/schema.md is exactly the one generated from the field metadata."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- limits:start -->\n(.*?)<!-- limits:end -->", text, re.DOTALL)

    assert match is not None
    assert match.group(1) == limits_markdown(), "regenerate with hwspec.views.schema.limits_markdown()"


def test_docs_name_the_functions_they_describe() -> None:
    """docs/schema.md shows the command and the tools it claims to work with."""
    text = DOC.read_text(encoding="utf-8")

    assert [w for w in ("hwspec schema", "#:schema", ".taplo.toml", "check-jsonschema")
            if w not in text] == []


def test_too_many_entries_are_refused_by_both() -> None:
    """An array longer than the loader's entry limit fails the schema and hwspec alike."""
    from hwspec.spec.load import MAX_ITEMS

    data = {"build": {"name": "x"}, "board": {"name": "b", "platforms": ["p"] * (MAX_ITEMS + 1)}}

    assert ([m for m in _schema_errors(data) if "too long" in m] != [],
            [r for r, _, _, _ in _spec_findings(tomli_w.dumps(data))]) == (True, ["SPEC002"])


def test_precision_and_numa_values_carry_their_docs() -> None:
    """Each precision's hover text gives its bits per weight, aligned with the enum, and each
    NUMA mode says what it does."""
    from hwspec.views.schema import spec_schema

    text = json.dumps(spec_schema())
    schema = json.loads(text)
    workload = schema["$defs"]["Workload"]["properties"]
    precision = workload["precision"]
    words, docs = precision["enum"], precision["x-taplo"]["docs"]["enumValues"]
    assert docs[words.index("q4_k_m")] == "4.8944 bits per weight"
    assert "one socket's bandwidth" in " ".join(workload["numa"]["x-taplo"]["docs"]["enumValues"])


def test_each_engine_says_what_hwspec_assumes_of_it() -> None:
    """An engine's hover text gives its multi-GPU split and its MLA cache, aligned with the
    enum: vLLM splits by tensor parallelism, llama.cpp by layers."""
    from hwspec.views.schema import spec_schema

    engine = spec_schema()["$defs"]["Workload"]["properties"]["engine"]
    docs = dict(zip(engine["enum"], engine["x-taplo"]["docs"]["enumValues"], strict=True))
    assert docs["vllm"].startswith("several GPUs split by tensor parallelism")
    assert docs["llama.cpp"] == ("several GPUs split by whole layers; an MLA model's KV cache "
                                 "stored as its latent")


def test_checks_complete_rule_ids_and_parameter_names() -> None:
    """[checks] ignore offers every built-in rule id and name (a team's still validate), and
    params documents each built-in parameter with its default and bounds."""
    from hwspec.views.schema import spec_schema

    checks = spec_schema()["$defs"]["Checks"]["properties"]
    words = checks["ignore"]["items"]["anyOf"][0]["enum"]
    param = checks["params"]["properties"]["psu_max_load"]
    assert ("MEM001" in words, "memory-kind-supported" in words) == (True, True)
    assert (param["default"], param["type"], param["minimum"], param["maximum"]) == (
        0.8, "number", 0.01, 1)
    assert checks["ignore"]["items"]["anyOf"][1] == {"type": "string"}
