"""Loading specs: every bad input is a SPEC00x finding with a key path and a line, never a
traceback."""

from __future__ import annotations

import textwrap

import pytest

import hwspec
from hwspec.checker import Checker
from hwspec.spec.load import load_text


def _findings(text: str) -> list[tuple[str, str, int | None, str]]:
    report = Checker().check_text(textwrap.dedent(text))
    return [(f.rule, f.path, f.line, f.message) for f in report.findings
            if f.rule.startswith("SPEC")]


def test_toml_syntax_error_has_line_and_column() -> None:
    """TOML that does not parse is SPEC001 with the line and column of the error."""
    report = Checker().check_text('[build]\nname = "x"\ncount = = 2\n')

    assert [(f.rule, f.line, f.column) for f in report.findings] == [("SPEC001", 3, 9)]


@pytest.mark.parametrize(("line", "column"), [
    ('gpus = {a = 1, b = 2,}', 22),  # a trailing comma in an inline table
    ('note = "\\e[1m"', 11),  # the \e escape (the parser points past it)
    ('note = "caf\\xE9"', 14),  # the \xHH escape
])
def test_toml_1_1_syntax_is_refused_as_toml_1_0_readers_refuse_it(line: str,
                                                                 column: int) -> None:
    """A spec is TOML 1.0: what only TOML 1.1 allows is SPEC001 at its position, since a spec
    hwspec accepts must read the same in Python's tomllib and other TOML 1.0 readers."""
    report = Checker().check_text(f'[build]\nname = "x"\n[extra]\n{line}\n')

    assert [(f.rule, f.line, f.column) for f in report.findings] == [("SPEC001", 4, column)]


def test_unknown_key_has_did_you_mean() -> None:
    """An unknown key is SPEC002 at its own line with the closest known key."""
    assert (
        _findings("""\
            [build]
            name = "x"
            budgett = 3
        """)
    ) == [("SPEC002", "build.budgett", 3, "unknown key 'budgett'; did you mean 'budget'?")]


def test_missing_required_key() -> None:
    """A spec without [build] name is SPEC002 at build.name."""
    assert _findings("[build]\n") == [("SPEC002", "build.name", 1, "required key is missing")]


def test_string_where_number_expected() -> None:
    """A quoted number is a type error, not silently converted."""
    assert (
        _findings("""\
            [build]
            name = "x"
            [cpu]
            count = "2"
        """)
    ) == [("SPEC002", "cpu.count", 4, "expected a whole number, got a string ('2')")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "expected a whole number of at least 1, got 0"),
        ("-3", "expected a whole number of at least 1, got -3"),
        ("2.5", "expected a whole number, got a number (2.5)"),
        ("true", "expected a whole number, got a boolean (True)"),
    ],
)
def test_bad_counts(value: str, message: str) -> None:
    """Zero, negative, fractional and boolean counts are refused with what was expected."""
    assert [("SPEC002", "memory[0].count", 5, message)] == _findings(f"""\
        [build]
        name = "x"
        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = {value}
    """)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "expected a finite number, got nan"),
        ("inf", "expected a finite number, got inf"),
        ("-1", "expected a number greater than 0, got -1"),
        ("0", "expected a number greater than 0, got 0"),
        ('"cheap"', "expected a number, got a string ('cheap')"),
    ],
)
def test_bad_prices(value: str, message: str) -> None:
    """NaN, infinite, negative, zero and non-numeric prices are refused."""
    assert [("SPEC002", "cpu.price", 4, message)] == _findings(f"""\
        [build]
        name = "x"
        [cpu]
        price = {value}
    """)


def test_module_kind_with_wrong_case_suggests_the_right_one() -> None:
    """A module kind in the wrong case names the right spelling."""
    assert _findings("""\
        [build]
        name = "x"
        [[memory]]
        kind = "rdimm"
    """) == [("SPEC002", "memory[0].kind", 4,
             "'rdimm' is not one of RDIMM, 3DS-RDIMM, LRDIMM, 3DS-LRDIMM, MRDIMM, UDIMM, CUDIMM, "
             "SODIMM; did you mean 'RDIMM'?")]


def test_table_where_array_expected() -> None:
    """[memory] written as a table instead of [[memory]] says an array was expected."""
    assert (
        _findings("""\
            [build]
            name = "x"
            [memory]
            count = 2
        """)
    ) == [("SPEC002", "memory", 3, "expected an array, got a table ({'count': 2})")]


def test_unknown_part_id_suggests_close_ids() -> None:
    """An unknown part id is SPEC003 naming the closest catalog ids."""
    found = [f for f in _findings("""\
        [build]
        name = "x"
        [cpu]
        part = "amd-epyc-9656"
    """) if f[0] == "SPEC003"]

    assert [
        (rule, path, line,
         message.startswith("unknown cpu id 'amd-epyc-9656'; did you mean ")
         and "'amd-epyc-9655'" in message)
        for rule, path, line, message in found
    ] == [("SPEC003", "cpu.part", 4, True)]


def test_every_problem_is_reported_at_once() -> None:
    """Several problems in one spec are all reported, sorted by line (a missing key at its
    table)."""
    found = _findings("""\
        [build]
        nam = "x"
        [cpu]
        count = 0
    """)

    assert [line for _, _, line, _ in found] == [1, 2, 4]


def test_unknown_rule_parameter_in_checks() -> None:
    """A [checks] params key that no rule declares is SPEC002 with a did-you-mean."""
    assert _findings("""\
        [build]
        name = "x"
        [checks]
        params = { psu_max_lod = 0.7 }
    """) == [("SPEC002", "checks.params.psu_max_lod", 4,
             "unknown rule parameter 'psu_max_lod'; did you mean 'psu_max_load'?")]


def test_load_raises_spec_error_with_findings() -> None:
    """The library's load raises SpecError carrying the findings."""
    with pytest.raises(hwspec.SpecError, match=r"SPEC002 build.name: required key is missing"):
        hwspec.loads("[build]\n")


def test_load_text_never_raises_on_non_table_values() -> None:
    """A build given as a string instead of a table is a finding."""
    loaded = load_text('build = "x"\n')

    assert [f.rule for f in loaded.findings] == ["SPEC002"]


@pytest.mark.parametrize(("key", "value", "line"), [
    ("active_params_b", 700, 8),
    ("expert_params_b", 672, 8),
])
def test_a_part_of_the_model_above_its_total_is_a_structure_error(key: str, value: int,
                                                                    line: int) -> None:
    """Active or routed-expert parameters above params_b are SPEC002 at the key that says so."""
    findings = _findings(f"""\
        [build]
        name = "Typo in the model"

        [workload.arch]
        params_b = 671
        layers = 61
        hidden_size = 7168
        {key} = {value}
        """)

    assert findings == [("SPEC002", f"workload.arch.{key}", line,
                         f"expected at most params_b (671 B params), got {value}; a part of the "
                         "model cannot hold more parameters than the whole")]


def test_parts_of_the_model_equal_to_its_total_load() -> None:
    """A dense model's active parameters equal its total and are accepted."""
    assert _findings("""\
        [build]
        name = "Dense"

        [workload.arch]
        params_b = 70
        active_params_b = 70
        layers = 80
        """) == []


def test_sockets_generations_and_platform_ids_load_in_one_spelling() -> None:
    """An inline board's "SP5", a module's "ddr5" and a platform id "SP5-Turin" are stored as the
    catalog writes them, so CPU001, MEM001 and BRD checks compare one spelling with itself."""
    report = Checker().check_text(textwrap.dedent("""\
        [build]
        name = "x"
        [board]
        name = "Some SP5 board"
        socket = "SP5"
        sockets = 1
        dimm_slots = 12
        channels_per_socket = 12
        platforms = ["SP5-Turin"]
        [cpu]
        part = "amd-epyc-9655"
        [[memory]]
        name = "Some RDIMM"
        generation = "ddr5"
        kind = "RDIMM"
        capacity_gib = 64
        speed_mts = 6400
        count = 12
        """))
    spec = report.spec
    assert spec is not None
    assert spec.board is not None
    assert (spec.board.socket, spec.board.platforms, spec.memory[0].generation,
            report.findings) == ("sp5", ("sp5-turin",), "DDR5", ())


def test_an_empty_socket_is_refused() -> None:
    """A socket that is only spaces names no socket."""
    assert _findings("""\
        [build]
        name = "x"
        [board]
        socket = "  "
    """) == [("SPEC002", "board.socket", 4, "expected a non-empty string")]


@pytest.mark.parametrize(("written", "stored"), [
    ("Q4_K_M", "q4_k_m"), ("IQ2_XXS", "iq2_xxs"), ("UD-Q2_K_XL", "ud-q2_k_xl"), ("F16", "fp16"),
    (" BF16 ", "bf16"),
])
def test_precisions_load_as_gguf_file_names_spell_them(written: str, stored: str) -> None:
    """A precision pasted from a GGUF file name is stored as the vocabulary's word."""
    report = Checker().check_text(textwrap.dedent(f"""\
        [build]
        name = "x"
        [workload]
        model = "deepseek-r1"
        precision = "{written}"
        kv_precision = "Q8_0"
        """))
    workload = report.spec.workload if report.spec is not None else None
    assert workload is not None
    assert (workload.precision, workload.kv_precision,
            [f.rule for f in report.findings if f.rule.startswith("SPEC")]) == (stored, "q8_0", [])


def test_an_unsourced_unsloth_mix_says_what_to_give_instead() -> None:
    """A UD- name with no sourced figure is refused, saying bits_per_weight comes from the file."""
    assert _findings("""\
        [build]
        name = "x"
        [workload]
        precision = "UD-Q4_K_XL"
    """) == [("SPEC002", "workload.precision", 4,
             "'UD-Q4_K_XL' is an Unsloth dynamic mix, chosen per model, with no sourced bits per "
             "weight in hwspec; give workload.bits_per_weight from the file's size "
             "(bytes x 8 / parameters)")]


def test_an_unknown_precision_names_what_was_written_and_the_closest_word() -> None:
    """A misspelt precision is quoted as written, with the closest vocabulary word."""
    ((rule, path, _, message),) = _findings("""\
        [build]
        name = "x"
        [workload]
        precision = "Q4_K_N"
    """)
    assert (rule, path, message.startswith("'Q4_K_N' is not a known precision; expected one of"),
            message.endswith("did you mean 'q4_k_s'?")) == ("SPEC002", "workload.precision",
                                                             True, True)
