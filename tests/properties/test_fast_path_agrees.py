"""Law: the fast path of loading builds exactly what the cattrs converter builds, or steps
aside; it never accepts data the converter refuses."""

from __future__ import annotations

from typing import Any

import cattrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies import spec_data

from hwspec.spec.fast import fast_structure
from hwspec.spec.load import converter
from hwspec.spec.model import Spec


def _slow(data: Any) -> Spec | None:
    try:
        spec: Spec = converter().structure(data, Spec)
    except (cattrs.errors.ClassValidationError, cattrs.errors.IterableValidationError,
            TypeError, ValueError):
        return None
    return spec


@example({"build": {"name": "x"}, "checks": {"ignore": ["MEM004", {"rule": "MEM005"}]}})
@example({"build": {"name": "x"}, "workload": {"precision": "UD-Q2_K_XL", "kv_precision": "Q8_0",
                                               "precisions": {"experts": "IQ2_XXS"}}})
@given(spec_data())
def test_valid_specs_build_the_same_spec(data: dict[str, Any]) -> None:
    """For every generated valid spec both paths give equal objects."""
    fast = fast_structure(data, Spec)

    assert fast is not None
    assert fast == _slow(data)


SCALARS = st.one_of(st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
                    st.text(max_size=5))
"""What TOML can hold where a table or a field belongs (it has no null)."""


@given(spec_data(), st.sampled_from(["build", "cpu", "memory", "workload", "checks"]), SCALARS)
def test_a_table_replaced_by_a_scalar_is_left_to_the_converter(
        data: dict[str, Any], key: str, junk: Any) -> None:
    """A table given as a scalar is refused by the converter and never built by the fast path."""
    broken = {**data, key: junk}

    assert (fast_structure(broken, Spec), _slow(broken)) == (None, None)


FIELDS = st.sampled_from([("cpu", "count"), ("cpu", "cores"), ("build", "budget"),
                          ("psu", "capacity_w"), ("workload", "context_tokens"),
                          ("workload", "precision"), ("board", "name")])


@given(spec_data(), FIELDS, SCALARS)
def test_one_changed_field_is_built_alike_or_left_to_the_converter(
        data: dict[str, Any], where: tuple[str, str], value: Any) -> None:
    """With one field inside a table set to any scalar, the fast path either builds what the
    converter builds or steps aside."""
    table, key = where
    changed = {**data, table: {**data.get(table, {}), key: value}}
    fast, slow = fast_structure(changed, Spec), _slow(changed)

    assert fast is None or fast == slow


@pytest.mark.parametrize("data", [
    {"build": {"name": "x"}, "cpu": {"count": 0}},
    {"build": {"name": "x"}, "cpu": {"count": "2"}},
    {"build": {"name": "x"}, "memory": {"count": 1}},
    {"build": {"name": "x"}, "psu": {"capacity_w": 1e30}},
    {"build": {"name": "x"}, "extra": 1},
    {"build": {}},
    {"build": {"name": "x"}, "workload": {"precision": "FP9"}},
    {"build": {"name": "x"}, "workload": {"precision": "UD-Q4_K_XL"}},
])
def test_invalid_data_takes_the_slow_path(data: dict[str, Any]) -> None:
    """Each known-invalid spec is left to the converter, which refuses it."""
    assert (fast_structure(data, Spec), _slow(data)) == (None, None)
