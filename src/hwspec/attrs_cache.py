"""The methods attrs writes for hwspec's classes, compiled ahead of time.

attrs writes each class's ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` ... as Python
source when the class is defined, and compiles it: at every start, for every class the run
imports (about 15 ms of a cold ``hwspec validate``). ``hwspec/compiled.py``, written by
``python -m hwspec.tools.precompile``, holds that source and its compiled code for each class;
``install`` makes attrs use the stored code when the source it has just written is exactly the
stored one, and compile as usual otherwise (another class, a changed class, another attrs or
Python version). Nothing about a class changes but the time it takes to define.

``__hash__`` source names the class's own hash seed, ``hash`` of a string, which differs in every
process (the interpreter salts string hashes): the stored source and code have the name
``HASH_SEED`` in its place, and each process supplies its own value.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

HASH_SEED = "_hwspec_attrs_hash_seed"
"""The global that stands for the salted hash seed in stored ``__hash__`` source."""

_PREFIX = "<attrs generated methods "

misses: list[str] = []
"""The hwspec classes whose methods were compiled in this process rather than taken from
``compiled.py`` (a test asks for none)."""


def normalized(script: str, filename: str) -> tuple[str, int | None]:
    """``script`` with its class's salted hash seed replaced by ``HASH_SEED``, and the seed (None
    when the script writes no ``__hash__``)."""
    if "def __hash__(" not in script:
        return script, None
    qualified = filename.removeprefix(_PREFIX).removesuffix(">")
    seed = hash(f"<attrs generated hash {qualified}>")
    return script.replace(f" {seed},\n", f" {HASH_SEED},\n"), seed


def install() -> None:
    """Let attrs take hwspec's classes' methods from ``compiled.py``. Does nothing where the
    stored code cannot be used (another Python) or attrs no longer compiles through
    ``_compile_and_eval``."""
    from hwspec import compiled

    if sys.implementation.cache_tag != compiled.CACHE_TAG or not compiled.CODE:
        return
    try:
        from attr import _make
    except ImportError:  # pragma: no cover - attrs without its private module
        return
    original = getattr(_make, "_compile_and_eval", None)
    if original is None or getattr(original, "hwspec_code", None) is not None:
        return
    _make._compile_and_eval = _compile_from(compiled.CODE, original)


def _compile_from(table: Mapping[str, tuple[str, bytes]],
                  original: Callable[..., None]) -> Callable[..., None]:
    import marshal

    def compile_and_eval(script: str, globs: dict[str, Any] | None,
                         locs: Mapping[str, object] | None = None, filename: str = "") -> None:
        stored = table.get(filename)
        if stored is not None:
            source, seed = normalized(script, filename)
            if source == stored[0]:
                globs = {} if globs is None else globs
                if seed is not None:
                    globs[HASH_SEED] = seed
                eval(marshal.loads(stored[1]), globs, locs)  # attrs' own code, stored
                return
        if filename.startswith(_PREFIX + "hwspec."):
            misses.append(filename)
        original(script, globs, locs, filename)

    compile_and_eval.hwspec_code = table  # type: ignore[attr-defined]
    return compile_and_eval
