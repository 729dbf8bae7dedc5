"""The methods attrs writes for hwspec's classes, and for attrs' own, compiled ahead of time.

attrs writes each class's ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` ... as Python
source when the class is defined, and compiles it: at every start, for every class the run
imports (about 15 ms of a cold ``hwspec validate``), and for the thirty classes attrs defines
for itself as it is imported (21 M instructions, 5 % of a cold validate). ``hwspec/compiled.py``,
written by ``python -m hwspec.tools.precompile``, holds that source and its compiled code for
each class; ``install`` makes attrs use the stored code when the source it has just written is
exactly the stored one, and compile as usual otherwise (another class, a changed class, another
attrs or Python version). Nothing about a class changes but the time it takes to define.

``__hash__`` source names the class's own hash seed, ``hash`` of a string, which differs in every
process (the interpreter salts string hashes): the stored source has the name ``HASH_SEED`` in
its place and ends by setting that global to the same ``hash`` of the same string, so the stored
code gives each process its own seed.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

HASH_SEED = "_hwspec_attrs_hash_seed"
"""The global that stands for the salted hash seed in stored ``__hash__`` source."""

_PREFIX = "<attrs generated "
"""How the name attrs compiles a class's methods under starts: ``<attrs generated methods
hwspec.findings.Finding>``, ``<attrs generated __hash__ attr._make.Attribute>``."""

_HWSPEC = _PREFIX + "methods hwspec."

misses: list[str] = []
"""The hwspec classes whose methods were compiled in this process rather than taken from
``compiled.py`` (a test asks for none)."""


def normalized(script: str, filename: str) -> tuple[str, int | None]:
    """``script`` as stored: with its class's salted hash seed replaced by ``HASH_SEED`` and a
    last statement that sets ``HASH_SEED`` to that seed, worked out as attrs works it out; and
    the seed (None when the script writes no ``__hash__``, and is stored as it is)."""
    if "def __hash__(" not in script:
        return script, None
    qualified = filename.removesuffix(">").rsplit(" ", 1)[-1]
    key = f"<attrs generated hash {qualified}>"
    seed = hash(key)
    return (script.replace(f" {seed},\n", f" {HASH_SEED},\n")
            + f"\nglobal {HASH_SEED}\n{HASH_SEED} = hash({key!r})\n"), seed


def install() -> None:
    """Let attrs take hwspec's classes' methods from ``compiled.py``, and its own classes'
    while it is imported here. Does nothing where the stored code cannot be used (another
    Python) or attrs no longer compiles through ``_compile_and_eval``."""
    from hwspec import compiled

    if sys.implementation.cache_tag != compiled.CACHE_TAG or not compiled.CODE:
        return
    # attrs defines its own classes as it is first imported: served here only if that is now.
    first = "attr._make" not in sys.modules
    try:
        with _compiling_from(compiled.CODE) if first else contextlib.nullcontext():
            from attr import _make
    except ImportError:  # pragma: no cover - attrs without its private module
        return
    original = getattr(_make, "_compile_and_eval", None)
    if original is None or getattr(original, "hwspec_code", None) is not None:
        return
    _make._compile_and_eval = _compile_from(compiled.CODE, original)


def _stored(table: Mapping[str, tuple[str, bytes]], script: str, filename: str) -> Any:
    """The stored code of a script attrs has just written, or None when there is none for its
    name or the script differs from the stored one."""
    import marshal

    stored = table.get(filename)
    if stored is None or normalized(script, filename)[0] != stored[0]:
        return None
    return marshal.loads(stored[1])  # attrs' own code, stored


@contextlib.contextmanager
def _compiling_from(table: Mapping[str, tuple[str, bytes]]) -> Iterator[None]:
    """``builtins.compile`` takes the stored code of the scripts attrs writes for its own
    classes while ``attr`` is imported inside the block, and is the builtin again after it:
    attrs defines those classes before ``install`` could reach ``_compile_and_eval``. Any other
    call to ``compile`` meanwhile is passed through unchanged."""
    import builtins

    original = builtins.compile

    def compile(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        if (not args and not kwargs and mode == "exec" and isinstance(source, str)
                and isinstance(filename, str) and filename.startswith(_PREFIX)):
            code = _stored(table, source, filename)
            if code is not None:
                return code
        return original(source, filename, mode, *args, **kwargs)

    builtins.compile = compile
    try:
        yield
    finally:
        builtins.compile = original


def _compile_from(table: Mapping[str, tuple[str, bytes]],
                  original: Callable[..., None]) -> Callable[..., None]:
    def compile_and_eval(script: str, globs: dict[str, Any] | None,
                         locs: Mapping[str, object] | None = None, filename: str = "") -> None:
        code = _stored(table, script, filename)
        if code is not None:
            eval(code, {} if globs is None else globs, locs)
            return
        if filename.startswith(_HWSPEC):
            misses.append(filename)
        original(script, globs, locs, filename)

    compile_and_eval.hwspec_code = table  # type: ignore[attr-defined]
    return compile_and_eval
