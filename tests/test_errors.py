"""One root for every error hwspec raises, and each one reachable where users catch it."""

from __future__ import annotations

import pickle
import tomllib
from pathlib import Path

import pytest
import tomli

import hwspec
from hwspec import errors


@pytest.mark.parametrize("name", [n for n in errors.__all__ if n != "HwspecError"])
def test_every_error_has_the_one_root(name: str) -> None:
    assert issubclass(getattr(errors, name), errors.HwspecError)


def test_errors_that_wrap_standard_ones_are_those_too() -> None:
    """Code that catches OSError or a TOML parse error keeps catching them."""
    assert issubclass(errors.TooLargeError, OSError)
    assert issubclass(errors.NotRegularFileError, OSError)
    assert issubclass(errors.TomlLimitError, tomllib.TOMLDecodeError)
    assert issubclass(errors.TomlLimitError, tomli.TOMLDecodeError)


def test_the_toml_limit_error_is_one_class_however_it_is_imported() -> None:
    """The class is made when first asked for (keeping tomllib off the cold start), once."""
    from hwspec.errors import TomlLimitError

    namespace: dict[str, object] = {}
    exec("from hwspec.errors import *", namespace)  # the star import is the subject
    assert errors.TomlLimitError is TomlLimitError is namespace["TomlLimitError"]
    assert (TomlLimitError.__module__, TomlLimitError.__qualname__) == (
        "hwspec.errors", "TomlLimitError")
    error = TomlLimitError("nested too deeply", 3, 7)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.msg, again.lineno, again.colno) == (
        TomlLimitError, "nested too deeply", 3, 7)


def test_the_public_errors_are_the_errors_modules(tmp_path: Path) -> None:
    for name in ("CatalogError", "ConfigError", "HwspecError", "PackError", "PlanError",
                 "SpecError"):
        assert getattr(hwspec, name) is getattr(errors, name)


def test_one_except_catches_a_bad_spec_a_bad_pack_and_a_bad_catalog(tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text("[pack\n")
    catalog = tmp_path / "parts.toml"
    catalog.write_text("[[cpu]]\nid = 5\n")
    caught = []
    for call in (lambda: hwspec.loads("[build\n"), lambda: hwspec.load_pack(pack),
                 lambda: hwspec.validate("specs/am5.toml", catalog=catalog)):
        with pytest.raises(hwspec.HwspecError) as info:
            call()
        caught.append(type(info.value).__name__)
    assert caught == ["SpecError", "PackError", "ConfigError"]  # a catalog given to validate is a setting
