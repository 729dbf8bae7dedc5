"""A parse cache for the TOML that ships with hwspec (catalog data, built-in rule packs).

Parsing about 120 kB of catalog TOML is the largest single cost of a cold ``hwspec validate``
(a pre-commit hook starts a new process on every commit). The parsed data of a text is kept in
marshal form under the user's cache folder, named by a digest of the text and of the Python
version, so an edited file or another interpreter never reads a stale entry. Specs are never
cached. Set ``HWSPEC_NO_CACHE=1`` to turn it off; ``HWSPEC_CACHE_DIR`` moves it. A cache that
cannot be read or written is skipped silently: it only ever saves time.
"""

from __future__ import annotations

import marshal
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

try:  # the C module behind hashlib.blake2b, without hashlib's 2 ms OpenSSL import at start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

_SALT = f"toml-{sys.version_info[0]}.{sys.version_info[1]}-{marshal.version}".encode()


def cache_dir() -> Path | None:
    """Where parsed data is kept, or None when caching is turned off."""
    if os.environ.get("HWSPEC_NO_CACHE"):
        return None
    explicit = os.environ.get("HWSPEC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "hwspec")


def loads_cached(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, from the cache when this exact text was parsed before.

    A text that does not parse raises ``tomllib.TOMLDecodeError`` as usual, and is not cached.
    """
    folder = cache_dir()
    if folder is None:
        return tomllib.loads(text)
    digest = blake2b(text.encode("utf-8"), digest_size=20, salt=_SALT[:16]).hexdigest()
    entry = folder / f"{digest}.marshal"
    try:
        data = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        data = None
    if isinstance(data, dict):
        return data
    data = tomllib.loads(text)
    try:
        blob = marshal.dumps(data)
    except ValueError:  # dates and times do not marshal: parse such files each time
        return data
    _store(entry, blob)
    return data


def _store(entry: Path, blob: bytes) -> None:
    import tempfile

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temporary, entry)
    except OSError:
        return
