"""Law: a socket, memory generation or platform id has one spelling, whatever case, spaces or
hyphens a spec or catalog writes it with; spelling it canonically again changes nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hwspec.spec.vocab import (
    PRECISIONS,
    canonical_generation,
    canonical_id,
    canonical_precision,
    canonical_socket,
)

SPELLERS = (canonical_socket, canonical_generation, canonical_id, canonical_precision)

_SEPARATORS = st.sampled_from(["", " ", "-", "_"])


@given(st.sampled_from(SPELLERS), st.text(max_size=20))
def test_canonical_spelling_is_idempotent(spell: object, name: str) -> None:
    assert callable(spell)
    once = spell(name)
    assert spell(once) == once


@given(st.sampled_from(["sp5", "lga4677", "str5", "am5", "lga7529"]), st.data())
def test_socket_spellings_of_one_socket_are_one_value(socket: str, data: st.DataObject) -> None:
    """Upper case, mixed case and separators between characters all name the same socket."""
    variant = "".join(
        (c.upper() if data.draw(st.booleans()) else c) + data.draw(_SEPARATORS) for c in socket)
    assert canonical_socket(variant) == socket


@given(st.sampled_from(["DDR4", "DDR5"]), st.booleans(), _SEPARATORS)
def test_generation_spellings_are_one_value(generation: str, lower: bool, sep: str) -> None:
    variant = (generation[:3] + sep + generation[3:])
    assert canonical_generation(variant.lower() if lower else variant) == generation


@given(st.sampled_from(PRECISIONS), st.booleans(), st.sampled_from(["", " "]))
def test_precision_spellings_of_one_word_are_that_word(word: str, upper: bool, pad: str) -> None:
    """A vocabulary precision in upper case (as GGUF file names write it), padded or not, is the
    word itself."""
    assert canonical_precision(pad + (word.upper() if upper else word) + pad) == word
