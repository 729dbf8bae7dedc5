"""What the command line writes and where: --output, --force, init, GitHub auto-format, hooks."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import SPECS, invoke

from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return invoke(list(args), catch_exceptions=False, env=env)


def _show(result: Result) -> str:
    return f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_output_writes_the_report_to_a_file(tmp_path: Path) -> None:
    """--output FILE writes what stdout would have shown, and prints nothing."""
    out = tmp_path / "report.json"
    result = _invoke("validate", "--format", "json", "--output", str(out),
                     str(SPECS / "epyc-dual.toml"))
    shown = _invoke("validate", "--format", "json", str(SPECS / "epyc-dual.toml"))

    assert (result.exit_code, result.stdout, out.read_text()) == (
        EXIT_FINDINGS, "", shown.stdout), _show(result)


def test_output_refuses_an_existing_file(tmp_path: Path) -> None:
    """--output onto an existing file is a usage error that leaves the file as it was."""
    out = tmp_path / "report.json"
    out.write_text("keep me\n")
    result = _invoke("validate", "--output", str(out), str(SPECS / "am5.toml"))

    assert (result.exit_code, out.read_text()) == (EXIT_USAGE, "keep me\n"), _show(result)
    assert f"{out} already exists; pass --force to overwrite it" in result.stderr


def test_output_with_force_replaces_the_file(tmp_path: Path) -> None:
    """--output with --force replaces an existing file."""
    out = tmp_path / "report.txt"
    out.write_text("old\n")
    result = _invoke("validate", "--output", str(out), "--force", str(SPECS / "am5.toml"))

    assert (result.exit_code, out.read_text().endswith(
        "1 file checked, 0 failed: 0 errors, 0 warnings\n")) == (EXIT_OK, True), _show(result)


def test_missing_path_is_a_usage_error_after_the_rest_is_checked(tmp_path: Path) -> None:
    """A path that does not exist exits 2, and the good spec beside it is still reported."""
    result = _invoke("validate", "--no-facts", str(tmp_path / "nope.toml"),
                     str(SPECS / "am5.toml"))

    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        EXIT_USAGE, "1 file checked, 0 failed: 0 errors, 0 warnings"), _show(result)
    assert result.stderr == f"hwspec: {tmp_path / 'nope.toml'}: no such file or directory\n"


def test_skip_non_specs_skips_named_toml_without_a_build_table(tmp_path: Path) -> None:
    """--skip-non-specs leaves out a named pyproject.toml; without it, the file is checked."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n')
    skipped = _invoke("validate", "--skip-non-specs", str(pyproject), str(SPECS / "am5.toml"))
    checked = _invoke("validate", str(pyproject))

    assert (skipped.exit_code, skipped.stdout.splitlines()[-1], checked.exit_code) == (
        EXIT_OK, "1 file checked, 0 failed: 0 errors, 0 warnings", EXIT_FINDINGS), _show(skipped)


def test_init_writes_a_starter_spec_that_validates(tmp_path: Path) -> None:
    """hwspec init PATH writes a spec that parses and passes every rule."""
    path = tmp_path / "build.toml"
    written = _invoke("init", str(path), "--name", 'Rack "A" box')
    checked = _invoke("validate", "--strict", str(path))

    assert (written.exit_code, checked.exit_code) == (EXIT_OK, EXIT_OK), _show(checked)
    assert tomllib.loads(path.read_text())["build"]["name"] == 'Rack "A" box'


@pytest.mark.parametrize("template", ["server", "gpu-rig", "unified"])
def test_each_init_template_validates_with_no_finding(tmp_path: Path, template: str) -> None:
    """hwspec init --template T writes a spec that passes every rule, warnings too."""
    path = tmp_path / "build.toml"
    written = _invoke("init", str(path), "--template", template)
    checked = _invoke("validate", "--strict", str(path))

    assert (written.exit_code, checked.exit_code) == (EXIT_OK, EXIT_OK), _show(checked)


def test_init_templates_differ_in_what_they_build() -> None:
    """The server starter has an EPYC, the GPU rig its cards, the unified one a [system]."""
    tables = {t: tomllib.loads(_invoke("init", "-", "--template", t).stdout)
              for t in ("server", "gpu-rig", "unified")}

    assert (tables["server"]["cpu"]["part"], tables["gpu-rig"]["gpu"],
            tables["unified"]["system"]["part"], "board" in tables["unified"]) == (
        "amd-epyc-9355p", [{"part": "nvidia-rtx-3090", "count": 2}],
        "framework-desktop-ryzen-ai-max-395-128gb", False)


def test_init_without_a_template_writes_the_server_starter() -> None:
    """--template defaults to server: the output is the same with and without it."""
    assert _invoke("init", "-").stdout == _invoke("init", "-", "--template", "server").stdout


def test_init_points_editors_at_the_schema_the_repository_keeps(tmp_path: Path) -> None:
    """The starter's first line is a #:schema directive naming docs/hwspec.schema.json, which is
    what `hwspec schema` prints for the built-in catalog."""
    from hwspec.tools.scaffold import SCHEMA_URL

    result = _invoke("init", "-", "--name", "x")
    first = result.stdout.splitlines()[0]
    assert first == f"#:schema {SCHEMA_URL}"
    assert SCHEMA_URL.endswith("/main/docs/hwspec.schema.json")
    kept = (SPECS.parent / "docs" / "hwspec.schema.json").read_text(encoding="utf-8")
    assert kept == _invoke("schema").stdout


def test_init_comments_each_table(tmp_path: Path) -> None:
    """Each table of the starter spec has a comment line right above its header."""
    path = tmp_path / "build.toml"
    _invoke("init", str(path))
    lines = path.read_text().splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("[")]

    assert [lines[i - 1].startswith("# ") for i in headers] == [True] * len(headers)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    """hwspec init onto an existing file exits 2 and leaves it alone; --force replaces it."""
    path = tmp_path / "build.toml"
    path.write_text("mine\n")
    refused = _invoke("init", str(path))
    kept = path.read_text()
    forced = _invoke("init", str(path), "--force")

    assert (refused.exit_code, kept, forced.exit_code, path.read_text().startswith("#:schema ")
            ) == (EXIT_USAGE, "mine\n", EXIT_OK, True), _show(refused)


def test_init_dash_prints_the_spec() -> None:
    """hwspec init - prints the starter spec instead of writing a file."""
    result = _invoke("init", "-")

    assert tomllib.loads(result.stdout)["build"]["name"] == "My LLM build", _show(result)
def test_github_format_is_chosen_on_github_actions() -> None:
    """With GITHUB_ACTIONS=true and no --format, findings come out as workflow commands."""
    result = _invoke("validate", str(SPECS / "epyc-dual.toml"), env={"GITHUB_ACTIONS": "true"})

    assert any(line.startswith("::error file=") for line in result.stdout.splitlines()), (
        _show(result))




def test_model_import_prints_an_arch_table_hwspec_reads(tmp_path: Path) -> None:
    """hwspec model import turns a config.json into a [workload.arch] table that loads."""
    config = SPECS.parent / "tests" / "data" / "hf-configs" / "llama-3.1-70b-instruct.json"
    result = _invoke("model", "import", str(config), "--name", "Llama 3.1 70B")
    spec = f'[build]\nname = "x"\n[workload]\nprecision = "q4_k_m"\n{result.stdout}'

    path = tmp_path / "imported.toml"
    path.write_text(spec)

    assert (result.exit_code, tomllib.loads(spec)["workload"]["arch"]["layers"]) == (EXIT_OK, 80)
    assert _invoke("validate", str(path)).exit_code == EXIT_OK


def test_model_import_of_a_file_that_is_not_json_is_a_usage_error(tmp_path: Path) -> None:
    """A config that is not JSON exits 2 with the reason on stderr."""
    bad = tmp_path / "config.json"
    bad.write_text("not json")
    result = _invoke("model", "import", str(bad))

    assert (result.exit_code, result.stderr) == (
        EXIT_USAGE, f"hwspec: {bad}: the file is not JSON: Expecting value at line 1, column 1\n")


def test_after_double_dash_option_like_names_are_files(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate -- --catalog=parts.toml --output=report.toml -rf.toml` checks three specs
    (the failing one fails) and writes no report: after `--` every name is a file, as the
    pre-commit hook's entry passes them."""
    monkeypatch.chdir(tmp_path)
    for name, spec in (("--catalog=parts.toml", "epyc-dual.toml"),
                       ("--output=report.toml", "am5.toml"), ("-rf.toml", "am5.toml")):
        (tmp_path / name).write_text((SPECS / spec).read_text())
    result = _invoke("validate", "--no-facts", "--", "--catalog=parts.toml",
                     "--output=report.toml", "-rf.toml")

    assert (result.exit_code, result.stdout.splitlines()[-1], sorted(os.listdir(tmp_path))) == (
        EXIT_FINDINGS, "3 files checked, 1 failed: 2 errors, 2 warnings",
        ["--catalog=parts.toml", "--output=report.toml", "-rf.toml"]), _show(result)
