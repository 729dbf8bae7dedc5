"""The one-walk limits check agrees with the walks that name what is over the limits: a spec
it passes has nothing too deep, too long or out of range, and one it stops has something."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hwspec.spec.load import (
    MAX_ITEMS,
    MAX_NESTING,
    TOML_INT_MAX,
    TOML_INT_MIN,
    _over_limits,
    _plainly_within_limits,
    _too_deep_path,
)

_SCALARS = st.one_of(
    st.integers(min_value=TOML_INT_MIN - 2, max_value=TOML_INT_MAX + 2), st.booleans(),
    st.floats(allow_nan=False), st.text(max_size=3),
    st.sampled_from([TOML_INT_MIN, TOML_INT_MAX, TOML_INT_MIN - 1, TOML_INT_MAX + 1]))


def _nested(depth: int) -> Any:
    """A table ``depth`` tables deep."""
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


_DATA = st.recursive(
    st.dictionaries(st.text(max_size=2), _SCALARS, max_size=3),
    lambda inner: st.one_of(st.dictionaries(st.text(max_size=2), inner, max_size=3),
                            st.lists(inner, max_size=3)),
    max_leaves=12,
).filter(lambda d: isinstance(d, dict))


@given(st.one_of(_DATA, st.builds(_nested, st.integers(MAX_NESTING - 2, MAX_NESTING + 2)),
                 st.builds(lambda n: {"a": list(range(n))},
                           st.integers(MAX_ITEMS - 1, MAX_ITEMS + 1))))
def test_the_one_walk_passes_exactly_what_the_naming_walks_pass(data: dict[str, Any]) -> None:
    """Within the limits by the one walk exactly when neither naming walk finds anything."""
    named = _too_deep_path(data) is not None or bool(list(_over_limits(data)))

    assert _plainly_within_limits(data) is not named
