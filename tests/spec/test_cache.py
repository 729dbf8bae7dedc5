"""The parse cache gives exactly what tomllib gives, and never gets in the way."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hwspec.spec.cache import loads_cached

TEXT = '[[cpu]]\nid = "x"\ncores = 96\nghz = 2.6\nkinds = ["RDIMM", "3DS-RDIMM"]\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for one test."""
    monkeypatch.setenv("HWSPEC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HWSPEC_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_cached_parse_equals_tomllib(cache: Path) -> None:
    """The first (parsed) and second (cached) answers both equal tomllib's."""
    first, second = loads_cached(TEXT), loads_cached(TEXT)

    assert (first, second, len(list(cache.iterdir()))) == (tomllib.loads(TEXT),) * 2 + (1,)


def test_an_edited_text_is_parsed_again(cache: Path) -> None:
    """A changed text has its own entry: a stale parse is never returned."""
    loads_cached(TEXT)

    assert loads_cached(TEXT.replace("96", "64"))["cpu"][0]["cores"] == 64


def test_a_corrupt_entry_is_ignored(cache: Path) -> None:
    """Garbage in a cache file is ignored and the text is parsed."""
    loads_cached(TEXT)
    for entry in cache.iterdir():
        entry.write_bytes(b"\x00not marshal")

    assert loads_cached(TEXT) == tomllib.loads(TEXT)


def test_an_unwritable_cache_folder_is_skipped(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache path that cannot be a folder (it is a file) costs nothing but time."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HWSPEC_CACHE_DIR", str(blocker / "cache"))

    assert loads_cached(TEXT) == tomllib.loads(TEXT)


def test_no_cache_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HWSPEC_NO_CACHE=1 parses every time and writes nothing."""
    monkeypatch.setenv("HWSPEC_NO_CACHE", "1")
    loads_cached(TEXT)

    assert cache.exists() is False


def test_dates_are_parsed_but_not_cached(cache: Path) -> None:
    """TOML dates do not marshal: the text is parsed each time, correctly."""
    text = "checked = 2025-01-31\n"

    assert (loads_cached(text), cache.exists() and any(cache.iterdir())) == (
        tomllib.loads(text), False)


def test_bad_toml_still_raises(cache: Path) -> None:
    """A text that does not parse raises tomllib's error, as without the cache."""
    with pytest.raises(tomllib.TOMLDecodeError):
        loads_cached("x = \n")
