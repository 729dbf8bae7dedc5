"""The generated module of shipped TOML is current, equals the files, and never hides an edit."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hwspec import shipped
from hwspec.spec.read import shipped_toml
from hwspec.tools.ship import shipped_files, shipped_source

PACKAGE = Path(shipped.__file__).parent


def test_the_module_is_current() -> None:
    """Regenerate with `python -m hwspec.tools.ship` after editing the catalog or a pack."""
    assert (PACKAGE / "shipped.py").read_text(encoding="utf-8") == shipped_source()


@pytest.mark.parametrize(("name", "path"), shipped_files().items(), ids=list(shipped_files()))
def test_each_file_reads_as_tomllib_reads_it(name: str, path: Path) -> None:
    assert shipped_toml(name, path) == tomllib.loads(path.read_text(encoding="utf-8"))


def test_a_file_of_another_size_is_parsed_from_its_toml(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit not yet regenerated is read from the file, not from the stale module."""
    edited = tmp_path / "psus.toml"
    edited.write_text('[[psu]]\nid = "x"\nsource = "https://example.com"\n')
    monkeypatch.setitem(shipped.SIZES, "catalog/psus.toml", edited.stat().st_size + 1)
    assert shipped_toml("catalog/psus.toml", edited) == {
        "psu": [{"id": "x", "source": "https://example.com"}]}


def test_checking_writes_nothing_outside_its_output(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """No cache folder in the user's home: a pre-commit hook leaves the machine as it was."""
    import hwspec

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    hwspec.validate(Path(__file__).resolve().parents[1] / "specs" / "am5.toml")
    assert list(tmp_path.iterdir()) == []
