"""The pre-commit hook, run by the real pre-commit tool on a repository of specs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS

GIT_IDENTITY = ["-c", "user.name=hwspec tests", "-c", "user.email=tests@hwspec.invalid",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
SNAPSHOT_SKIPS = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info",
                                        ".pytest_cache", ".hypothesis", ".mypy_cache",
                                        ".ruff_cache", "build", "dist")


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, check=True,
                            capture_output=True, text=True)
    return result.stdout.strip()


def _snapshot_of_this_repository(target: Path) -> str:
    """Copy the working tree into a fresh git repository and return its commit: pre-commit
    installs hooks from a commit, and the tree under test may not be committed yet."""
    shutil.copytree(ROOT, target, ignore=SNAPSHOT_SKIPS)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "snapshot")
    return _git(target, "rev-parse", "HEAD")


def _pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                          cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    """This repository as pre-commit installs it: its URL, its commit, and pre-commit's cache."""
    base = tmp_path_factory.mktemp("pre-commit")
    rev = _snapshot_of_this_repository(base / "hwspec")
    return (base / "hwspec").as_uri(), rev, base / "cache"


def _new_spec_repo(repo: Path, hook_source: tuple[str, str, Path]) -> None:
    """A git repository at ``repo`` whose .pre-commit-config.yaml points at this repository."""
    url, rev, _ = hook_source
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {url}\n"
        f"    rev: {rev}\n"
        f"    hooks:\n"
        f"      - id: hwspec-validate\n")


@pytest.fixture(scope="module")
def spec_repo(hook_source: tuple[str, str, Path],
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A repository holding a good spec and a pyproject.toml, and pre-commit's cache."""
    repo = tmp_path_factory.mktemp("repos") / "specs"
    _new_spec_repo(repo, hook_source)
    shutil.copy(SPECS / "epyc-dual-fixed.toml", repo / "good.toml")
    (repo / "pyproject.toml").write_text('[project]\nname = "team-builds"\nversion = "1"\n')
    _git(repo, "add", "-A")
    return repo, hook_source[2]


@pytest.mark.slow
def test_hook_passes_on_good_specs_and_skips_other_toml(spec_repo: tuple[Path, Path]) -> None:
    """pre-commit passes a repository holding a good spec and a pyproject.toml."""
    repo, home = spec_repo
    result = _pre_commit(repo, home)

    assert (result.returncode, "hwspec validate" in result.stdout, "Passed" in result.stdout) == (
        0, True, True), result.stdout + result.stderr


@pytest.mark.slow
def test_hook_fails_on_a_bad_spec_and_shows_the_finding(spec_repo: tuple[Path, Path]) -> None:
    """Adding the seed build makes pre-commit fail and print its MEM001 finding with the line."""
    repo, home = spec_repo
    shutil.copy(SPECS / "epyc-dual.toml", repo / "seed.toml")
    _git(repo, "add", "seed.toml")
    result = _pre_commit(repo, home)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "seed.toml:20:1: MEM001 error memory[0].kind: UDIMM (DDR5) is not supported" in (
        result.stdout), result.stdout
    assert [line for line in result.stdout.splitlines()
            if line.startswith("good.toml") and " error " in line] == [], result.stdout


@pytest.mark.slow
def test_file_names_that_look_like_options_are_checked_as_specs(
        hook_source: tuple[str, str, Path], tmp_path: Path) -> None:
    """Committed files named like options are files: the failing spec `--catalog=parts.toml`
    fails the hook with its finding, `--output=report.toml` writes no report, `-rf.toml` is
    checked like any spec (the hook's entry ends with `--`)."""
    repo = tmp_path / "specs"
    _new_spec_repo(repo, hook_source)
    shutil.copy(SPECS / "epyc-dual.toml", repo / "--catalog=parts.toml")
    shutil.copy(SPECS / "am5.toml", repo / "--output=report.toml")
    shutil.copy(SPECS / "am5.toml", repo / "-rf.toml")
    _git(repo, "add", "-A", "--", ".")
    result = _pre_commit(repo, hook_source[2])

    assert (result.returncode, sorted(p.name for p in repo.iterdir() if p.name != ".git")) == (
        1, ["--catalog=parts.toml", "--output=report.toml", "-rf.toml",
            ".pre-commit-config.yaml"]), result.stdout + result.stderr
    assert "--catalog=parts.toml:20:1: MEM001 error memory[0].kind" in result.stdout, (
        result.stdout)
    assert ("no such file" not in result.stdout + result.stderr), result.stdout + result.stderr
