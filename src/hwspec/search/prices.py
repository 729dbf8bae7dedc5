"""The reference price list ``hwspec plan`` uses when the user gives none.

A minimal list for now: the cited prices of docs/examples/prices-usd.toml (whole machines, CPUs
and GPUs), kept in ``hwspec/catalog/prices/reference.toml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hwspec.search.plan import PriceList

REFERENCE = Path(__file__).parent.parent / "catalog" / "prices" / "reference.toml"
"""The shipped reference list."""


@cache
def reference_prices() -> PriceList:
    """The shipped reference price list (read once per process)."""
    from hwspec.search.plan import load_prices

    return load_prices(REFERENCE)
