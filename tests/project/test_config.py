"""Configuration files and per-spec [checks]: found by walking up, merged, CLI wins."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import Result
from tests.conftest import ROOT, SPECS, invoke

from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def _validate(*args: str) -> Result:
    return invoke(["validate", "--format", "json", *args],
                              catch_exceptions=False)


def _rules(result: Result) -> list[str]:
    return [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]


def _seed(folder: Path) -> Path:
    spec = folder / "specs" / "seed.toml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text((SPECS / "epyc-dual.toml").read_text())
    return spec


def test_hwspec_toml_above_the_spec_applies(tmp_path: Path) -> None:
    """An hwspec.toml in a parent folder ignores MEM001 for the spec below it."""
    (tmp_path / "hwspec.toml").write_text('ignore = ["MEM001"]\n')

    assert "MEM001" not in _rules(_validate(str(_seed(tmp_path))))


def test_pyproject_tool_table_applies(tmp_path: Path) -> None:
    """[tool.hwspec] in pyproject.toml sets parameters."""
    (tmp_path / "pyproject.toml").write_text("[tool.hwspec]\nparams = { psu_max_load = 0.5 }\n")

    assert "PWR001" in _rules(_validate(str(_seed(tmp_path))))


def test_severity_override(tmp_path: Path) -> None:
    """severity = {MEM001 = "warning", PWR001 = "warning"} turns the seed build's two errors
    into warnings."""
    (tmp_path / "hwspec.toml").write_text('severity = { MEM001 = "warning", PWR001 = "warning" }\n')
    result = _validate(str(_seed(tmp_path)))

    assert (
        result.exit_code,
        next(f["severity"] for f in json.loads(result.stdout)["files"][0]["findings"]
             if f["rule"] == "MEM001")) == (EXIT_OK, "warning")


def test_extend_inherits(tmp_path: Path) -> None:
    """extend = "base.toml" inherits the base's ignores and adds its own."""
    (tmp_path / "base.toml").write_text('ignore = ["MEM001", "PWR001"]\n')
    (tmp_path / "hwspec.toml").write_text('extend = "base.toml"\nignore = ["PWR003", "CST002"]\n')

    assert _rules(_validate(str(_seed(tmp_path)))) == []


def test_config_rules_load_relative_to_the_config(tmp_path: Path) -> None:
    """rules = ["policy.toml"] loads a pack beside the config file."""
    (tmp_path / "policy.toml").write_text(
        (ROOT / "docs" / "examples" / "policy.toml").read_text())
    (tmp_path / "hwspec.toml").write_text('rules = ["policy.toml"]\n')

    assert "ACME001" in _rules(_validate(str(_seed(tmp_path))))


def test_cli_select_wins_over_config(tmp_path: Path) -> None:
    """--select on the command line replaces the config's select."""
    (tmp_path / "hwspec.toml").write_text('select = ["PWR"]\n')

    assert _rules(_validate("--select", "MEM001", str(_seed(tmp_path)))) == ["MEM001"]


def test_unknown_config_key_is_exit_2(tmp_path: Path) -> None:
    """A misspelt config key stops the run with exit 2 and a did-you-mean."""
    (tmp_path / "hwspec.toml").write_text('ignroe = ["MEM001"]\n')
    result = _validate(str(_seed(tmp_path)))

    assert result.exit_code == EXIT_USAGE
    assert "unknown key 'ignroe'; did you mean 'ignore'?" in result.stderr


def test_config_naming_no_rule_is_exit_2(tmp_path: Path) -> None:
    """An ignore that matches no rule is a configuration error."""
    (tmp_path / "hwspec.toml").write_text('ignore = ["MEMX01"]\n')
    result = _validate(str(_seed(tmp_path)))

    assert (result.exit_code, "'MEMX01' match no rule" in result.stderr) == (EXIT_USAGE, True)


def _with_checks(checks: str) -> str:
    return (SPECS / "epyc-dual.toml").read_text() + "\n" + textwrap.dedent(checks)


def test_spec_ignore_with_reason_silences(tmp_path: Path) -> None:
    """[checks] ignore with a reason drops the rule's findings."""
    spec = tmp_path / "s.toml"
    spec.write_text(_with_checks('''
        [checks]
        ignore = [{ rule = "PWR003", reason = "measured at the wall: 1,050 W peak" }]
    '''))

    assert _rules(_validate(str(spec))) == ["CST002", "MEM001", "PWR001"]


def test_spec_ignore_without_reason_is_an_error(tmp_path: Path) -> None:
    """An ignore in a spec must say why."""
    spec = tmp_path / "s.toml"
    spec.write_text(_with_checks('[checks]\nignore = ["PWR003"]\n'))
    result = _validate(str(spec))

    assert (result.exit_code, "SPEC002" in _rules(result)) == (EXIT_FINDINGS, True)


def test_unused_spec_ignore_is_reported(tmp_path: Path) -> None:
    """An ignore that silenced nothing is a SPEC004 warning."""
    spec = tmp_path / "s.toml"
    spec.write_text(_with_checks('''
        [checks]
        ignore = [{ rule = "CST001", reason = "over budget is fine" }]
    '''))

    assert "SPEC004" in _rules(_validate(str(spec)))


def test_misspelt_config_parameter_is_exit_2(tmp_path: Path) -> None:
    """A parameter in the config that no rule declares stops the run with a did-you-mean."""
    (tmp_path / "hwspec.toml").write_text("params = { psu_max_lod = 0.7 }\n")
    result = _validate(str(_seed(tmp_path)))

    assert (result.exit_code,
                                  "did you mean 'psu_max_load'?" in result.stderr) == (EXIT_USAGE, True)
