"""Laws of fit --models and the launch command: the binary search over a precision ladder finds
what a scan finds, every id belongs to its own family, and the server's context holds every
sequence's."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import given

import hwspec
from hwspec.search.models import GGUF_LADDER, _widest, family_of, in_family

ARCH = {"name": "m", "params_b": 8, "layers": 32, "hidden_size": 4096, "attention": "gqa",
        "heads": 32, "kv_heads": 8, "head_dim": 128}


@given(st.integers(0, len(GGUF_LADDER)))
def test_widest_is_the_first_that_fits_on_a_monotone_ladder(first_fit: int) -> None:
    """On a ladder that fails above some width and fits below it, the search returns the first
    precision that fits, as a scan from the widest would."""
    def fits(name: str) -> bool:
        return GGUF_LADDER.index(name) >= first_fit

    expected = GGUF_LADDER[first_fit] if first_fit < len(GGUF_LADDER) else None
    assert _widest(GGUF_LADDER, fits) == expected


@given(st.from_regex(r"[a-z][a-z0-9.]{0,8}(-[a-z0-9.]{1,6}){0,3}", fullmatch=True))
def test_every_id_is_in_its_own_family(model_id: str) -> None:
    """An id's own family always selects it."""
    assert in_family(model_id, family_of(model_id))


@given(st.integers(1, 65536), st.integers(1, 16))
def test_the_servers_context_holds_every_sequence(context: int, batch: int) -> None:
    """llama-server's -c is the context of one sequence times the sequences (its -np slots)."""
    facts = hwspec.validate({
        "build": {"name": "c"}, "cpu": {"part": "amd-epyc-9655"},
        "memory": [{"part": "micron-mtc20f2085s1rc64br", "count": 12}],
        "workload": {"arch": ARCH, "precision": "q4_k_m", "context_tokens": context,
                     "batch": batch}}).facts
    assert facts is not None
    words = str(facts["launch.command"]).split()
    assert int(words[words.index("-c") + 1]) == context * batch
