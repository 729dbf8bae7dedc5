"""A GGUF file's import gives, as weight_bytes, exactly the bytes of its tensors: whatever
their shapes and element types, and with experts apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwspec.tools.gguf import import_gguf

gguf = pytest.importorskip("gguf")
np = pytest.importorskip("numpy")

shapes = st.lists(st.tuples(st.integers(min_value=1, max_value=64),
                            st.integers(min_value=1, max_value=64)), min_size=1, max_size=6)
dtypes = st.sampled_from(["float32", "float16"])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shapes, st.lists(dtypes, min_size=6, max_size=6), st.booleans())
def test_weight_bytes_are_the_sum_of_the_tensors(tmp_path: Path, dims: list[tuple[int, int]],
                                                 kinds: list[str], experts: bool) -> None:
    path = tmp_path / "model.gguf"
    path.unlink(missing_ok=True)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    total = expert_total = 0
    for index, (rows, cols) in enumerate(dims):
        data = np.zeros((rows, cols), dtype=kinds[index])
        expert = experts and index == 0
        name = "blk.0.ffn_up_exps.weight" if expert else f"blk.0.t{index}.weight"
        writer.add_tensor(name, data)
        total += data.nbytes
        expert_total += data.nbytes if expert else 0
    if experts:
        writer.add_expert_count(4)
        writer.add_expert_used_count(2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    fields = import_gguf(path).fields
    assert fields["weight_bytes"] == total
    assert fields.get("expert_weight_bytes", 0) == expert_total
