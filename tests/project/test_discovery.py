"""Finding the configuration: the walk up stops at the repository's root, every run names the
configuration it applied, and --isolated applies none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, SPECS, invoke

import hwspec
from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from hwspec.project.config import find_config

SILENCE = 'ignore = ["ALL"]\n'
"""A configuration that turns every rule off."""


def _repository(folder: Path, git: str = "dir") -> Path:
    """A repository under ``folder`` (``.git`` a folder, or a file as in a worktree) holding the
    seed build, which fails two rules; returns the spec's path."""
    repo = folder / "repo"
    (repo / "specs").mkdir(parents=True)
    if git == "dir":
        (repo / ".git").mkdir()
    else:
        (repo / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n")
    spec = repo / "specs" / "seed.toml"
    spec.write_text((SPECS / "epyc-dual.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return spec


def _json(*args: str) -> tuple[Result, dict[str, object]]:
    result = invoke(["validate", "--format", "json", "--no-facts", *args])
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("git", ["dir", "file"])
def test_a_configuration_above_the_repository_does_not_apply(tmp_path: Path, git: str) -> None:
    """`ignore = ["ALL"]` one folder above a repository (.git a folder or a worktree's file)
    leaves every rule on for the specs inside it."""
    (tmp_path / "hwspec.toml").write_text(SILENCE)
    spec = _repository(tmp_path, git)
    result, data = _json(str(spec))

    assert (result.exit_code, data["configs"]) == (EXIT_FINDINGS, []), result.output


def test_a_configuration_at_the_repository_root_applies(tmp_path: Path) -> None:
    """The repository root's own hwspec.toml is found from a spec two folders down."""
    spec = _repository(tmp_path)
    (spec.parents[1] / "hwspec.toml").write_text(SILENCE)

    assert find_config(spec) == (spec.parents[1] / "hwspec.toml").resolve()


def test_a_pyproject_above_the_repository_does_not_apply(tmp_path: Path) -> None:
    """[tool.hwspec] in a pyproject.toml above the repository is not read either."""
    (tmp_path / "pyproject.toml").write_text("[tool.hwspec]\n" + SILENCE)

    assert find_config(_repository(tmp_path)) is None


def test_outside_any_repository_the_walk_goes_on_up(tmp_path: Path) -> None:
    """With no .git anywhere on the way, a configuration in a parent folder still applies."""
    (tmp_path / "hwspec.toml").write_text(SILENCE)
    spec = tmp_path / "a" / "b" / "seed.toml"
    spec.parent.mkdir(parents=True)
    spec.write_text("")

    assert find_config(spec) == (tmp_path / "hwspec.toml").resolve()


def test_the_json_document_names_the_configuration(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The configuration applied is in the top-level configs and in the file's config, relative
    to the working folder."""
    spec = _repository(tmp_path)
    (spec.parents[1] / "hwspec.toml").write_text('ignore = ["MEM001"]\n')
    monkeypatch.chdir(tmp_path)
    _, data = _json("repo/specs/seed.toml")

    assert (data["configs"], [f["config"] for f in data["files"]]) == (  # type: ignore[union-attr]
        ["repo/hwspec.toml"], ["repo/hwspec.toml"])


def test_the_json_document_says_null_without_a_configuration(tmp_path: Path) -> None:
    """No configuration: configs is empty and the file's config is null."""
    _, data = _json(str(_repository(tmp_path)))

    assert (data["configs"], data["files"][0]["config"]) == ([], None)  # type: ignore[index]


def test_the_text_summary_names_the_configuration(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The text format's summary line ends with the configuration applied."""
    spec = _repository(tmp_path)
    (spec.parents[1] / "pyproject.toml").write_text("[tool.hwspec]\n" + SILENCE)
    monkeypatch.chdir(spec.parents[1])
    result = invoke(["validate", "--no-facts", "specs/seed.toml"])

    assert result.stdout.splitlines()[-1] == (
        "1 file checked, 0 failed: 0 errors, 0 warnings (configuration: pyproject.toml)")


def test_two_configurations_are_both_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Specs under two configurations: the summary names both, in the order of the files."""
    for team in ("a", "b"):
        spec = _repository(tmp_path / team)
        (spec.parents[1] / "hwspec.toml").write_text(SILENCE)
    monkeypatch.chdir(tmp_path)
    result = invoke(["validate", "--format", "concise", "a/repo/specs", "b/repo/specs"])

    assert result.stdout.splitlines()[-1] == (
        "2 files checked, 0 failed: 0 errors, 0 warnings "
        "(configurations: a/repo/hwspec.toml, b/repo/hwspec.toml)")


@pytest.mark.parametrize("command", ["validate", "report"])
def test_isolated_reads_no_configuration(tmp_path: Path, command: str) -> None:
    """--isolated checks a spec as if no configuration file existed: the rules a config
    silences fail again."""
    spec = _repository(tmp_path)
    (spec.parent / "hwspec.toml").write_text(SILENCE)
    configured = invoke([command, str(spec)])
    isolated = invoke([command, "--isolated", str(spec)])

    assert (configured.exit_code, isolated.exit_code) == (EXIT_OK, EXIT_FINDINGS)
    assert ("MEM001" in configured.stdout, "MEM001" in isolated.stdout) == (False, True)


@pytest.mark.parametrize("command", ["validate", "report", "fit"])
def test_isolated_ignores_a_configuration_that_cannot_be_read(tmp_path: Path,
                                                              command: str) -> None:
    """--isolated does not even read a broken configuration: no exit 2."""
    spec = _repository(tmp_path)
    (spec.parent / "hwspec.toml").write_text("ignore = [\n")

    assert (invoke([command, str(spec)]).exit_code,
            invoke([command, "--isolated", str(spec)]).exit_code) == (
        EXIT_USAGE, EXIT_OK if command == "fit" else EXIT_FINDINGS)


def test_isolated_diff_reads_no_configuration(tmp_path: Path) -> None:
    """diff --isolated compares the two builds' findings without the configuration's ignore."""
    spec = _repository(tmp_path)
    (spec.parent / "hwspec.toml").write_text(SILENCE)

    assert (invoke(["diff", str(spec), str(spec)]).exit_code,
            invoke(["diff", "--isolated", str(spec), str(spec)]).exit_code) == (
        EXIT_OK, EXIT_FINDINGS)


def test_isolated_standard_input_reads_no_configuration(tmp_path: Path) -> None:
    """validate - --stdin-filename PATH --isolated ignores PATH's folder's configuration."""
    spec = _repository(tmp_path)
    (spec.parent / "hwspec.toml").write_text(SILENCE)
    text = spec.read_text(encoding="utf-8")
    args = ["validate", "--no-facts", "--stdin-filename", str(spec), "-"]

    assert (invoke(args, input=text).exit_code,
            invoke([*args[:1], "--isolated", *args[1:]], input=text).exit_code) == (
        EXIT_OK, EXIT_FINDINGS)


def test_the_library_report_names_its_configuration(tmp_path: Path) -> None:
    """hwspec.validate(path) gives the configuration it applied in Report.config; config=False
    none."""
    spec = _repository(tmp_path)
    (spec.parent / "hwspec.toml").write_text('ignore = ["MEM001"]\n')

    assert Path(hwspec.validate(spec).config or "").resolve() == (spec.parent / "hwspec.toml")
    assert hwspec.validate(spec, config=False).config is None


def test_a_path_with_a_nul_byte_is_a_problem_not_an_exception() -> None:
    """path_problem names a NUL byte in a path instead of raising ValueError."""
    from hwspec.project.discover import path_problem

    assert path_problem(Path("specs/a\0b.toml")) == (
        "the path holds a NUL byte, which no file name can")


def test_isolated_holds_in_worker_processes(tmp_path: Path) -> None:
    """validate -j 2 --isolated: the workers, which rebuild the settings, read no
    configuration either."""
    spec = _repository(tmp_path)
    (spec.parent / "other.toml").write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    (spec.parent / "hwspec.toml").write_text(SILENCE)
    args = ["validate", "-j", "2", "--format", "concise", str(spec.parent)]

    assert (invoke(args).exit_code, invoke([*args[:1], "--isolated", *args[1:]]).exit_code) == (
        EXIT_OK, EXIT_FINDINGS)


def test_a_catalog_named_by_the_configuration_and_the_command_line_replaces_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One catalog file named both in hwspec.toml and with --catalog is one catalog: no entry is
    said to replace itself."""
    folder = tmp_path / "cat"
    folder.mkdir()
    for name in ("parts.toml", "team-build.toml"):
        (folder / name).write_text((ROOT / "docs" / "examples" / name).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (folder / "hwspec.toml").write_text('catalog = ["parts.toml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    result = invoke(["validate", "--no-facts", "--catalog", "cat/parts.toml",
                     "cat/team-build.toml"])

    assert "replaces" not in result.output
