"""Law: a key path written by format_path reads back as the same path, whatever its keys."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from hwspec.findings import format_path, parse_path

KEY_PATHS = st.lists(st.one_of(st.text(max_size=12), st.integers(min_value=0, max_value=10**6)),
                     min_size=1, max_size=6).filter(lambda p: isinstance(p[0], str))


@example(["checks", "params", "a.b"])
@example([""])
@example(["memory", 0, 'say "hi"'])
@given(KEY_PATHS)
def test_format_then_parse_is_the_identity(path: list[str | int]) -> None:
    """parse_path(format_path(p)) == p, so a finding's path always names the key it blames."""
    assert tuple(path) == parse_path(format_path(tuple(path)))
