"""A mixture of experts that states no active count reads between its shared part and its whole
(formulas.moe_active_params_b), all of it when every expert runs, more as more experts run."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas as f

sizes = st.floats(min_value=1, max_value=2000)
share = st.floats(min_value=0.01, max_value=0.99)
experts = st.integers(min_value=2, max_value=512)


@given(sizes, share, experts, st.data())
def test_active_lies_between_the_shared_part_and_the_whole(params: float, part: float, n: int,
                                                           data: st.DataObject) -> None:
    expert = params * part
    k = data.draw(st.integers(min_value=1, max_value=n))
    active = f.moe_active_params_b(params, expert, n, k)
    assert params - expert - 1e-9 <= active <= params + 1e-9


@given(sizes, share, experts)
def test_every_expert_running_reads_the_whole_model(params: float, part: float, n: int) -> None:
    assert abs(f.moe_active_params_b(params, params * part, n, n) - params) <= 1e-9 * params


@given(sizes, share, experts, st.data())
def test_more_experts_per_token_read_more(params: float, part: float, n: int,
                                          data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=1, max_value=n - 1))
    expert = params * part
    assert f.moe_active_params_b(params, expert, n, k) < f.moe_active_params_b(params, expert,
                                                                              n, k + 1)
