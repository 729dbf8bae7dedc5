"""A team's own catalog: --catalog and `catalog = [...]` in configuration add parts and replace
built-in ones with a notice; a broken catalog file is a usage error naming file, entry and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import SPECS, invoke

from hwspec.cli import EXIT_OK, EXIT_USAGE

TEAM = textwrap.dedent("""\
    [[cpu]]
    id = "amd-epyc-9655"
    name = "AMD EPYC 9655 at our cTDP"
    platform = "sp5-turin"
    socket = "sp5"
    cores = 96
    tdp_w = 320
    max_sockets = 2
    source = "https://intranet.example/quotes/2026-11"

    [[memory]]
    id = "acme-ddr5-6400-96gb"
    name = "ACME 96 GB DDR5-6400 RDIMM"
    generation = "DDR5"
    kind = "RDIMM"
    ecc = true
    capacity_gib = 96
    speed_mts = 6400
    source = "https://intranet.example/parts/acme-96"
""")

SPEC = textwrap.dedent("""\
    [build]
    name = "Team build"

    [cpu]
    part = "amd-epyc-9655"
    count = 2

    [[memory]]
    part = "acme-ddr5-6400-96gb"
    count = 24
""")


def _invoke(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


def _facts(result: Result) -> dict[str, object]:
    import json

    facts: dict[str, object] = json.loads(result.stdout)["files"][0]["facts"]
    return facts


def _findings_of(result: Result) -> list[dict[str, object]]:
    import json

    findings: list[dict[str, object]] = json.loads(result.stdout)["files"][0]["findings"]
    return findings


def test_catalog_option_adds_parts_and_replaces_builtin_ones(tmp_path: Path) -> None:
    """The team's 96 GiB module is found, and its 320 W EPYC replaces the built-in 400 W one."""
    (tmp_path / "team.toml").write_text(TEAM)
    (tmp_path / "spec.toml").write_text(SPEC)
    result = _invoke("validate", "--format", "json", "--catalog", str(tmp_path / "team.toml"),
                     str(tmp_path / "spec.toml"))
    facts = _facts(result)

    assert (result.exit_code, facts["memory.capacity_gib"], facts["power.cpu_w"]) == (
        EXIT_OK, 2304, 640), result.stdout + result.stderr


def test_a_replaced_builtin_entry_is_announced(tmp_path: Path) -> None:
    """Replacing a built-in id prints a notice naming the file and the entry replaced."""
    (tmp_path / "team.toml").write_text(TEAM)
    result = _invoke("validate", "--catalog", str(tmp_path / "team.toml"), str(SPECS / "am5.toml"))

    assert result.stderr == (f"hwspec: notice: {tmp_path / 'team.toml'}: cpu 'amd-epyc-9655' "
                             "replaces the entry from catalog/cpus.toml\n")


def test_config_catalog_is_relative_to_the_config(tmp_path: Path) -> None:
    """catalog = ["parts/"] in hwspec.toml loads the folder beside the config file."""
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "team.toml").write_text(TEAM)
    (tmp_path / "hwspec.toml").write_text('catalog = ["parts"]\n')
    (tmp_path / "spec.toml").write_text(SPEC)
    result = _invoke("validate", "--format", "json", str(tmp_path / "spec.toml"))

    assert (result.exit_code, _facts(result)["memory.capacity_gib"]) == (EXIT_OK, 2304), (
        result.stdout + result.stderr)


def test_a_field_of_the_wrong_type_is_a_usage_error(tmp_path: Path) -> None:
    """cores = "96" in a team catalog stops the run with exit 2, naming file, entry and field."""
    (tmp_path / "team.toml").write_text(TEAM.replace("cores = 96", 'cores = "96"'))
    result = _invoke("validate", "--catalog", str(tmp_path / "team.toml"), str(SPECS / "am5.toml"))

    assert (result.exit_code, result.stderr) == (EXIT_USAGE, (
        f"hwspec: {tmp_path / 'team.toml'}: cpu 'amd-epyc-9655': cores: expected a whole number, "
        "got a string ('96')\n"))


def test_an_unknown_field_gets_a_did_you_mean(tmp_path: Path) -> None:
    """A misspelt field is refused with the closest field name."""
    (tmp_path / "team.toml").write_text(TEAM.replace("tdp_w = 320", "tdp = 320"))
    result = _invoke("validate", "--catalog", str(tmp_path / "team.toml"), str(SPECS / "am5.toml"))

    assert result.exit_code == EXIT_USAGE
    assert "unknown field 'tdp' for a cpu; did you mean 'tdp_w'?" in result.stderr


def test_an_entry_without_a_source_is_refused(tmp_path: Path) -> None:
    """Every catalog entry, the team's too, needs a source URL."""
    (tmp_path / "team.toml").write_text(TEAM.replace(
        'source = "https://intranet.example/parts/acme-96"\n', ""))
    result = _invoke("validate", "--catalog", str(tmp_path / "team.toml"), str(SPECS / "am5.toml"))

    assert (result.exit_code, "every entry needs a source URL" in result.stderr) == (
        EXIT_USAGE, True)


def test_a_missing_catalog_path_is_a_usage_error(tmp_path: Path) -> None:
    """--catalog naming nothing exits 2."""
    result = _invoke("validate", "--catalog", str(tmp_path / "none.toml"), str(SPECS / "am5.toml"))

    assert (result.exit_code, result.stderr) == (
        EXIT_USAGE, f"hwspec: {tmp_path / 'none.toml'}: no such catalog file or folder\n")


def test_schema_lists_the_teams_part_ids(tmp_path: Path) -> None:
    """hwspec schema --catalog puts the team's ids into the part-id enums."""
    (tmp_path / "team.toml").write_text(TEAM)
    result = _invoke("schema", "--catalog", str(tmp_path / "team.toml"))

    assert '"acme-ddr5-6400-96gb"' in result.stdout


def test_parts_lists_the_teams_entries(tmp_path: Path) -> None:
    """hwspec parts --catalog shows the team's parts beside the built-in ones."""
    (tmp_path / "team.toml").write_text(TEAM)
    result = _invoke("parts", "memory", "--catalog", str(tmp_path / "team.toml"), "--search",
                     "acme")

    assert result.stdout.splitlines()[1].split() == [
        "acme-ddr5-6400-96gb", "DDR5", "RDIMM", "96", "6400", "-", "-", "ACME", "96", "GB",
        "DDR5-6400", "RDIMM"]


def test_report_and_fit_take_the_catalog(tmp_path: Path) -> None:
    """report and fit resolve the team's parts too."""
    (tmp_path / "team.toml").write_text(TEAM)
    (tmp_path / "spec.toml").write_text(SPEC + '\n[workload]\nmodel = "deepseek-r1"\n'
                                        'precision = "q4_k_m"\ncontext_tokens = 8192\n')
    report = _invoke("report", "--catalog", str(tmp_path / "team.toml"),
                     str(tmp_path / "spec.toml"))
    fit = _invoke("fit", "--catalog", str(tmp_path / "team.toml"), str(tmp_path / "spec.toml"))

    assert ("2,304 GiB" in report.stdout, fit.exit_code) == (True, EXIT_OK), fit.stdout


PLATFORM = textwrap.dedent("""\
    [[platform]]
    id = "acme-sp5"
    name = "ACME SP5 platform"
    socket = "sp5"
    channels_per_socket = 12
    module_kinds = ["RDIMM"]
    max_mts_1dpc = 6000
    source = "https://intranet.example/platforms/acme-sp5"
""")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('name = "ACME SP5 platform"\n', "", "name: required key is missing"),
    ("channels_per_socket = 12", "channels_per_socket = 0",
     "channels_per_socket: expected a whole number of at least 1, got 0"),
    ("channels_per_socket = 12", "channels_per_socket = -12",
     "channels_per_socket: expected a whole number of at least 1, got -12"),
    ("channels_per_socket = 12", "channels_per_socket = nan",
     "channels_per_socket: expected a whole number, got a number (nan)"),
    ("channels_per_socket = 12", 'channels_per_socket = "12"',
     "channels_per_socket: expected a whole number, got a string ('12')"),
    ("max_mts_1dpc = 6000", 'max_mts_1dpc = "fast"',
     "max_mts_1dpc: expected a number, got a string ('fast')"),
    ('module_kinds = ["RDIMM"]', "module_kinds = 5", "module_kinds: expected an array"),
])
def test_a_platform_entry_is_checked_like_a_part(tmp_path: Path, old: str, new: str,
                                                 expected: str) -> None:
    """A team's [[platform]] entry is structured as spec parts are: a missing name, a count
    below 1, nan, a string for a number or a number for a list stops the run with exit 2,
    naming file, entry and field, never a traceback."""
    assert old in PLATFORM
    (tmp_path / "team.toml").write_text(PLATFORM.replace(old, new))
    result = _invoke("validate", "--catalog", str(tmp_path / "team.toml"), str(SPECS / "am5.toml"))

    assert (result.exit_code, result.stderr.startswith(
        f"hwspec: {tmp_path / 'team.toml'}: platform 'acme-sp5': ")) == (EXIT_USAGE, True)
    assert expected in result.stderr


def test_a_valid_platform_entry_is_taken(tmp_path: Path) -> None:
    """The well-formed platform entry loads, and the catalog reads it back as a Platform."""
    from hwspec.catalog.user import load_user_catalog

    (tmp_path / "team.toml").write_text(PLATFORM)
    platform = load_user_catalog([tmp_path / "team.toml"]).platform("acme-sp5")

    assert platform is not None
    assert (platform.channels_per_socket, platform.module_kinds, platform.max_mts_1dpc) == (
        12, ("RDIMM",), 6000)


def test_platform_entry_fields_are_the_platforms() -> None:
    """The structuring class for platform entries takes exactly the fields Platform has."""
    import attrs

    from hwspec.catalog import Platform
    from hwspec.catalog.user import PlatformEntry

    assert {a.name for a in attrs.fields(PlatformEntry)} == {
        a.name for a in attrs.fields(Platform)} - {"id"}


def test_a_teams_spellings_are_the_catalogs(tmp_path: Path) -> None:
    """A team writing "SP5", "ddr5" and "SP5-Turin" means the catalog's "sp5", "DDR5" and
    "sp5-turin": the CPU seats in a catalog SP5 board and the modules match the platform, with
    no message showing two spellings of one socket."""
    (tmp_path / "team.toml").write_text(
        TEAM.replace('platform = "sp5-turin"', 'platform = "SP5-Turin"')
        .replace('socket = "sp5"', 'socket = "SP5"').replace('generation = "DDR5"',
                                                             'generation = "ddr5"')
        + PLATFORM.replace('socket = "sp5"', 'socket = "SP5"')
        + 'memory_generation = "ddr5"\n')
    (tmp_path / "spec.toml").write_text(SPEC.replace(
        "[cpu]", '[board]\npart = "gigabyte-mz73-lm0"\n\n[cpu]'))
    result = _invoke("validate", "--format", "json", "--catalog", str(tmp_path / "team.toml"),
                     str(tmp_path / "spec.toml"))
    facts = _facts(result)
    rules = [finding["rule"] for finding in _findings_of(result)]

    assert (facts["cpu.socket"], facts["board.socket"], facts["cpu.platform"], "CPU001" in rules,
            "MEM001" in rules) == ("sp5", "sp5", "sp5-turin", False, False)

    from hwspec.catalog.user import load_user_catalog

    platform = load_user_catalog([tmp_path / "team.toml"]).platform("acme-sp5")
    assert platform is not None
    assert (platform.socket, platform.memory_generation) == ("sp5", "DDR5")


def _platform_example() -> str:
    page = (SPECS.parent / "docs" / "catalog.md").read_text()
    section = page.split("### A platform of your own", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


DDR4_SPEC = textwrap.dedent("""\
    [build]
    name = "Used DDR4 EPYC"

    [cpu]
    {cpu}

    [[memory]]
    name = "64 GB DDR4-3200 RDIMM"
    generation = "DDR4"
    kind = "RDIMM"
    capacity_gib = 64
    speed_mts = 3200
    count = 8
""")


def test_the_documented_platform_example_gives_the_build_its_memory_tables(
        tmp_path: Path) -> None:
    """docs/catalog.md's [[platform]] example loads with --catalog, and a CPU on it gets the
    platform's channels and speed: the memory figures are derived, nothing is unknown."""
    (tmp_path / "team.toml").write_text(_platform_example())
    (tmp_path / "spec.toml").write_text(DDR4_SPEC.format(cpu='part = "team-epyc-7763"'))
    result = _invoke("validate", "--format", "json", "--catalog", str(tmp_path / "team.toml"),
                     str(tmp_path / "spec.toml"))
    facts = _facts(result)

    assert (result.exit_code, facts["memory.channels"], facts["memory.effective_mts"],
            [f["rule"] for f in _findings_of(result)]) == (EXIT_OK, 8, 3200, [])


def test_an_unknown_platform_is_never_matched_to_another_generation(tmp_path: Path) -> None:
    """A DDR4 CPU on an Ampere Altra platform the catalog lacks gets no DDR5 suggestion: the
    message says the catalog has no such platform, and the hint points at a [[platform]]
    entry."""
    (tmp_path / "spec.toml").write_text(DDR4_SPEC.format(
        cpu='name = "Ampere Altra Q80-30"\nplatform = "altra"\nsocket = "lga4926"'))
    result = _invoke("validate", "--format", "json", str(tmp_path / "spec.toml"))
    spec003 = [f for f in _findings_of(result) if f["rule"] == "SPEC003"]

    assert [(f["message"], f["hint"]) for f in spec003] == [(
        "unknown platform id 'altra'; the catalog has no DDR4 socket lga4926 platform",
        "Declare it as a [[platform]] entry in a catalog file passed with --catalog "
        "(docs/catalog.md), or list the catalog's platform ids with `hwspec parts platform`.")]


def test_a_misspelt_platform_is_matched_within_its_socket_and_generation(tmp_path: Path) -> None:
    """A typo of a DDR5 SP5 platform suggests the SP5 DDR5 platforms only."""
    (tmp_path / "spec.toml").write_text(DDR4_SPEC.format(
        cpu='name = "EPYC"\nplatform = "sp5-turrin"\nsocket = "sp5"').replace("DDR4", "DDR5"))
    result = _invoke("validate", "--format", "json", str(tmp_path / "spec.toml"))

    assert [f["message"] for f in _findings_of(result) if f["rule"] == "SPEC003"] == [
        "unknown platform id 'sp5-turrin'; did you mean 'sp5-turin' or 'sp5-genoa'?"]
