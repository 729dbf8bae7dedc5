"""Law: any valid spec written back with tomli-w loads to an equal Spec."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from tests.strategies import spec_data, spec_text

import hwspec


@given(spec_data())
def test_dump_then_load_is_identity(data: dict[str, Any]) -> None:
    """load(dumps(load(text))) equals load(text)."""
    spec = hwspec.loads(spec_text(data))

    assert spec == hwspec.loads(hwspec.dumps(spec))
