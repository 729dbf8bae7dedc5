"""The methods attrs writes for hwspec's classes are served from the generated module
``hwspec/compiled.py``: it is current, its code is its source compiled, and a class defined from
it behaves as one attrs compiled, its hash following the process's own hash salt."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys

import attr
import pytest

from hwspec import compiled
from hwspec.tools.precompile import ROOT, scripts

GENERATED_FOR = (compiled.CACHE_TAG, compiled.ATTRS_VERSION)
SAME_BUILD = pytest.mark.skipif(
    (sys.implementation.cache_tag, attr.__version__) != GENERATED_FOR,
    reason="compiled.py was generated for another Python or attrs version; it is not used here")


@SAME_BUILD
def test_the_module_is_current() -> None:
    """Regenerate with `python -m hwspec.tools.precompile` after changing an attrs class."""
    assert {name: source for name, (source, _) in compiled.CODE.items()} == scripts()


@SAME_BUILD
def test_each_entry_is_its_source_compiled() -> None:
    """The stored code of every class is what compiling its stored source gives."""
    wrong = [name for name, (source, code) in compiled.CODE.items()
             if marshal.loads(code) != compile(source, name, "exec")]
    assert wrong == []


WITHOUT_STORED_CODE = ('import types; sys.modules["hwspec.compiled"] = '
                       'types.SimpleNamespace(CACHE_TAG=None, CODE={})')
"""Run first in a new process, it leaves the stored code out: attrs compiles every class."""

HASHES = """\
import sys
{disable}
from hwspec.findings import Finding
from hwspec import attrs_cache
print(hash(Finding("MEM001", "error", "x", path="memory[0]", line=3, column=1)),
      attrs_cache.misses)
"""


def _run(code: str, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()


@SAME_BUILD
def test_hashes_are_those_attrs_compiles_under_each_hash_salt() -> None:
    """Under one hash seed, a class from the stored code hashes as the class attrs compiles
    itself does (for values whose hash is not their address: no None on Python 3.11) (no class compiled on the way); under another seed, both hash differently, as
    a salted hash must: no salted value is baked into the stored code."""
    stored = [_run(HASHES.format(disable=""), seed) for seed in ("1", "2")]
    own = [_run(HASHES.format(disable=WITHOUT_STORED_CODE), seed) for seed in ("1", "2")]
    assert (stored, stored[0] != stored[1]) == ([own[0], own[1]], True)
    assert stored[0].endswith(" []")


ATTRS_OWN = """\
import builtins, sys
{disable}
compiled_here = []
builtin_compile = builtins.compile
def counting(source, filename, mode, *args, **kwargs):
    if str(filename).startswith("<attrs generated "):
        compiled_here.append(filename)
    return builtin_compile(source, filename, mode, *args, **kwargs)
builtins.compile = counting
import hwspec
import attr
print(builtins.compile is counting, hash(attr.validators.in_(("a", "b"))),
      hash(attr.Factory(1)), len(compiled_here))
"""


@SAME_BUILD
def test_attrs_own_classes_come_from_the_stored_code_and_hash_as_attrs_compiles_them() -> None:
    """Imported by hwspec, attrs defines its own classes from the stored code (none compiled),
    with builtins.compile the caller's again afterwards; the classes hash as the ones attrs
    compiles itself, under each hash salt."""
    stored = [_run(ATTRS_OWN.format(disable=""), seed).split() for seed in ("1", "2")]
    own = [_run(ATTRS_OWN.format(disable=WITHOUT_STORED_CODE), seed).split() for seed in ("1", "2")]
    assert [line[0] for line in stored] == ["True", "True"]
    assert [line[3] for line in stored] == ["0", "0"]
    assert int(own[0][3]) > 20  # what attrs compiles for itself without the stored code
    assert [line[1:3] for line in stored] == [line[1:3] for line in own]
    assert stored[0][1:3] != stored[1][1:3]
