"""Laws of llama.cpp's compute buffers: they never shrink as the context or the micro-batch
grows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec import formulas

shapes = st.tuples(st.integers(1000, 300_000), st.integers(256, 16384), st.integers(1, 128))


@given(shapes, st.integers(1, 1_000_000), st.integers(1, 1_000_000), st.integers(1, 8192),
       st.booleans())
def test_the_buffer_grows_with_the_context(shape: tuple[int, int, int], a: int, b: int,
                                           ubatch: int, flash: bool) -> None:
    """A longer context never needs a smaller compute buffer."""
    short, long = min(a, b), max(a, b)
    assert (formulas.llama_cpp_compute_buffer_bytes(*shape, short, ubatch, flash)
            <= formulas.llama_cpp_compute_buffer_bytes(*shape, long, ubatch, flash))


@given(shapes, st.integers(1, 1_000_000), st.integers(1, 8192), st.integers(1, 8192),
       st.booleans())
def test_the_buffer_grows_with_the_micro_batch(shape: tuple[int, int, int], context: int,
                                               a: int, b: int, flash: bool) -> None:
    """A larger micro-batch (-ub) never needs a smaller compute buffer, on the device or the
    host."""
    small, large = min(a, b), max(a, b)
    assert (formulas.llama_cpp_compute_buffer_bytes(*shape, context, small, flash)
            <= formulas.llama_cpp_compute_buffer_bytes(*shape, context, large, flash))
    assert (formulas.llama_cpp_host_compute_buffer_bytes(shape[1], context, small)
            <= formulas.llama_cpp_host_compute_buffer_bytes(shape[1], context, large))


@given(st.floats(0.5, 1024), st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_vllm_leaves_less_free_the_larger_its_share(vram: float, a: float, b: float) -> None:
    """A larger gpu_memory_utilization never leaves more VRAM free, and what it leaves lies
    between none and all of it."""
    low, high = min(a, b), max(a, b)
    assert formulas.vllm_unreserved_gib(vram, high) <= formulas.vllm_unreserved_gib(vram, low)
    assert 0 <= formulas.vllm_unreserved_gib(vram, high) <= vram
