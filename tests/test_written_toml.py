"""The TOML files hwspec writes (plan --write, init, model import) read back as what was meant:
their data is the data given, their comments hold the text given, escaped, and no text in a
comment or a value (a price list's source, a build's or model's name, a path) adds a line."""

from __future__ import annotations

import datetime as dt
import functools
import json
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import example, given
from hypothesis import strategies as st
from tests.conftest import ROOT, invoke

from hwspec.search.plan import Plan, PriceList, Target, plan, spec_toml
from hwspec.toml_writer import TomlDocument, comment, escape_comment
from hwspec.tools.hf_config import arch_toml, import_hf_config
from hwspec.tools.scaffold import starter_spec

LINE_BREAKS = ("\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
               "\u2029")
"""Every form of line break: TOML's own (\\n, \\r\\n), and those str.splitlines and editors
honour."""

INJECTION = '\n[checks.params]\npsu_max_load = 10\n'
"""A source string that, pasted into a comment by string formatting, made the written spec
raise PWR001's limit to 1,000 %."""

hostile_text = st.text(
    st.sampled_from([*(b for b in LINE_BREAKS if len(b) == 1), "\x00", "\t", "\x7f", "\x9b",
                     "\u202e", "\ufeff", "\ud800", "\xa0", "\u3000",
                     "#", "[", "]", "=", '"', "'", "\\", " ", "a", "é", "\U0001f600"])
    | st.characters(), max_size=60)
"""Text made to break out of a comment or a string: line breaks, control and format characters,
a lone surrogate, TOML's own punctuation, and any other character."""

writable_text = hostile_text.filter(lambda s: not any(0xD800 <= ord(c) < 0xE000 for c in s))
"""Hostile text a file can hold (a value with a lone surrogate cannot be UTF-8: refused)."""


def _comment_lines(text: str) -> list[str]:
    """The comment lines of written TOML (tomli-w never starts a line with '#')."""
    return [line for line in text.splitlines() if line.startswith("#")]


def _visible(text: str) -> str:
    """Text without its spaces: wrapping a comment moves spaces and nothing else."""
    return "".join(text.split(" "))


# --- the comment -----------------------------------------------------------------------------


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=[f"U+{ord(b[-1]):04X}" for b in LINE_BREAKS])
def test_a_line_break_in_a_comment_is_escaped_on_the_same_line(brk: str) -> None:
    """Every line break form in a comment's text stays on the comment's one line, escaped."""
    written = comment(f"before{brk}after = 1")

    assert (written.splitlines(), tomllib.loads(written + "\n")) == (
        [f"# before{escape_comment(brk)}after = 1"], {})


@given(hostile_text)
@example(INJECTION)
@example("\xa0")  # a no-break space alone was dropped by wrapping
def test_a_comment_is_only_comment_lines_holding_its_text(text: str) -> None:
    """Whatever the text, its comment parses to no data, splits only where it has '\\n', and
    its lines hold the text's characters, escaped, in order."""
    written = comment(text)

    assert tomllib.loads(written + "\n") == {}
    assert all(line.startswith("#") for line in written.split("\n"))
    assert written.splitlines() == written.split("\n")
    assert _visible("".join(line[2:] for line in written.split("\n"))) == _visible(
        escape_comment(text))


def test_a_comment_escapes_bidirectional_overrides_and_surrogates() -> None:
    """Format characters that reorder what an editor shows, and lone surrogates, are escaped."""
    assert escape_comment("a\u202eb\ud800c\x00") == "a\\u202eb\\ud800c\\x00"


def test_a_document_refuses_a_value_no_file_can_hold() -> None:
    """A lone surrogate in a value (an argument that was not UTF-8) is a ValueError, not a
    file that cannot be encoded."""
    document = TomlDocument()
    document.table("build", {"name": "\udcff"})

    with pytest.raises(ValueError, match="half of a character"):
        document.text()


def test_an_array_of_tables_after_a_table_stays_an_array_of_tables() -> None:
    """A short [[memory]] entry after [cpu] is written as [[memory]], not as an inline array
    that would land inside [cpu]."""
    document = TomlDocument()
    document.table("cpu", {"part": "x"})
    document.table("memory", [{"part": "y", "count": 2}])

    assert tomllib.loads(document.text()) == {"cpu": {"part": "x"},
                                              "memory": [{"part": "y", "count": 2}]}


# --- plan --write ----------------------------------------------------------------------------

PRICES = {"gigabyte-mz33-cp1": 800, "amd-epyc-9355p": 3000, "samsung-m321r8ga0eb2-ccp": 300,
          "seasonic-prime-tx-1600": 450}
"""Synthetic unit prices for one build: not market prices."""
TARGET = Target(model="deepseek-r1", precision="q4_k_m", context_tokens=4096, top=1)


@functools.cache
def _plan() -> Plan:
    answer = plan(TARGET, PriceList("USD", PRICES, "2026-11", "synthetic"))
    assert answer.candidates
    return answer


def _header(answer: Plan) -> list[str]:
    prices, target = answer.prices, answer.target
    where = f"prices: {prices.source}" if prices.source else "prices: the user's list"
    return [f"Found by hwspec plan: {target.model} at {target.precision}, "
            f"{target.context_tokens:,} tokens of context.",
            where + (f" ({prices.date})" if prices.date else ""),
            "Prices move: check them before buying."]


list_dates = st.one_of(st.none(), st.dates().map(dt.date.isoformat),
                      st.dates().map(lambda day: day.isoformat()[:7]))
"""A price list's date: none, a day or a month (a ``PriceList`` refuses any other text)."""


@given(source=hostile_text, date=list_dates, model=hostile_text, name=writable_text)
@example(source=INJECTION, date=None, model="deepseek-r1", name="x")
def test_a_written_plan_reads_back_as_its_candidate(source: str, date: str | None, model: str,
                                                    name: str) -> None:
    """Whatever the price list's source and date, the target's model and the build's name, the
    written spec parses to the candidate's tables and its comments hold the header's text."""
    answer = _plan()
    answer = attrs.evolve(answer, prices=attrs.evolve(answer.prices, source=source, date=date),
                          target=attrs.evolve(answer.target, model=model))
    candidate = answer.candidates[0]
    spec = {**candidate.spec, "build": {**candidate.spec["build"], "name": name}}
    candidate = attrs.evolve(candidate, spec=spec)
    written = spec_toml(candidate, answer)

    assert tomllib.loads(written) == json.loads(json.dumps(spec))
    assert _visible("".join(line[2:] for line in _comment_lines(written))) == _visible(
        "".join(escape_comment(text) for text in _header(answer)))


def test_plan_write_keeps_a_hostile_source_in_its_comment(tmp_path: Path) -> None:
    """`plan --write` with a price list whose source holds a [checks.params] table writes a
    spec without that table: PWR001's limit stays the rule's."""
    prices = tmp_path / "prices.toml"
    prices.write_text(tomli_w.dumps({"currency": "USD", "source": INJECTION, "price": PRICES}))
    result = invoke(["plan", "--model", "deepseek-r1", "--context", "4096", "--top", "1",
                     "--prices", str(prices), "--write", str(tmp_path / "out"),
                     "--format", "json"])
    written = tomllib.loads((tmp_path / "out" / "plan-01.toml").read_text(encoding="utf-8"))

    assert result.exit_code == 0, result.output
    assert written == json.loads(result.stdout)["candidates"][0]["spec"]
    assert "checks" not in written


# --- init ----------------------------------------------------------------------------------------


def _starter_data(name: str, template: str = "server") -> dict[str, Any]:
    from hwspec.tools.scaffold import TEMPLATES

    data: dict[str, Any] = {}
    for _, table in TEMPLATES[template]:
        data.update(table)
    data["build"] = {**data["build"], "name": name}
    return data


@given(name=writable_text, path=hostile_text,
       template=st.sampled_from(["server", "gpu-rig", "unified"]))
@example(name='x"\n[checks]\nignore = ["ALL"]', path="a\nb = 1", template="server")
def test_the_starter_reads_back_as_its_tables(name: str, path: str, template: str) -> None:
    """Whatever the build's name and the path named in the header, each starter spec parses to
    its tables with that name, and its comments hold their text, the path escaped."""
    written = starter_spec(name, path=path, template=template)

    from hwspec.tools.scaffold import HEADER, SCHEMA_URL, TEMPLATES

    meant = [f"schema {SCHEMA_URL}", *(line.format(path=path) for line in HEADER),
             *(text for comments, _ in TEMPLATES[template] for text in comments)]
    assert tomllib.loads(written) == _starter_data(name, template)
    assert _visible("".join(line[2:] for line in _comment_lines(written))) == _visible(
        "".join(escape_comment(text) for text in meant))


def test_init_with_a_name_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    """`init --name` with bytes that are not UTF-8 exits 2 naming the option; nothing is
    written."""
    result = invoke(["init", str(tmp_path / "b.toml"), "--name", "\udcff"])

    assert (result.exit_code, "--name" in result.output, (tmp_path / "b.toml").exists()) == (
        2, True, False)


# --- model import ----------------------------------------------------------------------------

LLAMA = ROOT / "tests" / "data" / "hf-configs" / "llama-3.1-8b-instruct.json"


@functools.cache
def _llama_fields() -> dict[str, Any]:
    return dict(import_hf_config(LLAMA, name="llama").fields)


@given(name=writable_text.filter(bool), source=hostile_text.filter(bool))
@example(name='x"\n[checks]', source="config.json\n[checks.params]\npsu_max_load = 10")
def test_an_imported_table_reads_back_as_its_fields(name: str, source: str) -> None:
    """Whatever the model's name and the source path, the imported table parses to
    {workload: {arch: fields}} with that name, the first comment names the source (escaped) and
    every field's derivation is in the comments."""
    imported = import_hf_config(LLAMA, name=name)
    written = arch_toml(imported, source=source)

    comments = _visible("".join(line[2:] for line in _comment_lines(written)))
    assert tomllib.loads(written) == {"workload": {"arch": {**_llama_fields(), "name": name}}}
    assert comments.startswith(_visible(escape_comment(
        f"Imported from {source} by `hwspec model import`.")))
    assert [_visible(escape_comment(imported.derivations[field])) in comments
            for field in imported.fields if imported.derivations.get(field)] == [
        True for field in imported.fields if imported.derivations.get(field)]
