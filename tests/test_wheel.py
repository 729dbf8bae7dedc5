"""The built wheel carries the rule packs, the catalog, the spec data files and the reference price
list: install it in a fresh venv, validate, and read the prices."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from tests.conftest import ROOT, SPECS

from hwspec.search.prices import reference_prices


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a new venv with the wheel built from the tree installed in it."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(dist.glob("hwspec-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True)
    return bin_dir


@pytest.mark.slow
def test_installed_wheel_validates_the_seed_build(installed: Path, tmp_path: Path) -> None:
    """A wheel built from the tree, installed in a new venv, finds MEM001 in the seed build."""
    result = subprocess.run(
        [str(installed / "hwspec"), "validate", str(SPECS / "epyc-dual.toml")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )

    assert (result.returncode, "MEM001 error memory[0].kind" in result.stdout) == (1, True), (
        result.stdout + result.stderr)


def _printed(installed: Path, tmp_path: Path, code: str) -> list[str]:
    """The words the installed package's Python prints running ``code`` (its error output
    too, so a failing assertion shows why)."""
    result = subprocess.run([str(installed / "python"), "-c", code], capture_output=True,
                            text=True, cwd=tmp_path, check=False)
    return result.stdout.split() + ([f"stderr: {result.stderr}"] if result.stderr else [])


@pytest.mark.slow
def test_installed_wheel_reads_the_reference_prices(installed: Path, tmp_path: Path) -> None:
    """The installed package reads its reference price list through its package data."""
    code = ("from hwspec.search.prices import reference_prices as r; p = r(); "
            "print(p.currency, p.date, len(p.prices) > 0)")

    assert _printed(installed, tmp_path, code) == ["USD", reference_prices().date, "True"]


@pytest.mark.slow
def test_installed_wheel_holds_each_topics_facts_file(installed: Path, tmp_path: Path) -> None:
    """The facts TOML beside each topic module is package data: derive checks each file's size
    at start against the copy hwspec.shipped holds."""
    code = ("import hwspec.facts.record as r; "
            "print(*sorted(p.name for p in r.FOLDER.glob('*.toml')))")

    assert _printed(installed, tmp_path, code) == sorted(
        p.name for p in (ROOT / "src" / "hwspec" / "facts").glob("*.toml"))


@pytest.mark.slow
def test_installed_wheel_carries_the_spec_data_files(installed: Path, tmp_path: Path) -> None:
    """The spec fields' documentation and the currency list are package data of the wheel."""
    code = ("import pathlib, hwspec.spec.model as m; folder = pathlib.Path(m.__file__).parent; "
            "print(*((folder / name).is_file() for name in ('fields.toml', 'currencies.toml')))")

    assert _printed(installed, tmp_path, code) == ["True", "True"]
