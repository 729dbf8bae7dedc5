"""Law: a population is balanced across sockets exactly when every socket gets an equal share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas

sockets = st.integers(1, 8)
share = st.integers(0, 48)


@given(sockets, share)
def test_equal_shares_are_balanced(n: int, per_socket: int) -> None:
    """n sockets holding the same number of modules each are balanced."""
    assert formulas.sockets_balanced(per_socket * n, n)


@given(st.data(), st.integers(2, 8), share)
def test_a_remainder_unbalances_the_sockets(data: st.DataObject, n: int, per_socket: int) -> None:
    """Modules beyond an equal share, fewer than one per socket, leave one socket fuller."""
    extra = data.draw(st.integers(1, n - 1))

    assert not formulas.sockets_balanced(per_socket * n + extra, n)


def test_twenty_three_modules_on_two_sockets_are_unbalanced() -> None:
    """23 modules on two sockets are 12 and 11: unequal NUMA nodes."""
    assert formulas.sockets_balanced(23, 2) is False
