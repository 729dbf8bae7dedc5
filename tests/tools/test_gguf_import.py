"""hwspec model import FILE.gguf: the architecture from a GGUF file's metadata and the exact
weight bytes of its tensor table, with hostile files refused by a message. The files are
written with the gguf package's own writer."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from tests.conftest import invoke

gguf = pytest.importorskip("gguf")
np = pytest.importorskip("numpy")


def _write(path: Path, *, moe: bool = False) -> int:
    """A two-layer model; with moe, 4 routed experts (2 used) in each layer. Returns the bytes
    of its tensors."""
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("Tiny test model")
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_context_length(2048)
    tensors = {"token_embd.weight": np.zeros((100, 64), dtype=np.float32)}
    for i in range(2):
        tensors[f"blk.{i}.attn_q.weight"] = np.zeros((64, 64), dtype=np.float16)
        tensors[f"blk.{i}.attn_k.weight"] = np.zeros((32, 64), dtype=np.float16)
        if moe:
            tensors[f"blk.{i}.ffn_up_exps.weight"] = np.zeros((4, 128, 64), dtype=np.float16)
    if moe:
        writer.add_expert_count(4)
        writer.add_expert_used_count(2)
    for name, data in tensors.items():
        writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return sum(t.nbytes for t in tensors.values())


def _import(path: Path) -> tuple[int, str]:
    result = invoke(["model", "import", str(path)])
    return result.exit_code, result.output


def test_the_table_has_the_architecture_and_the_tensor_bytes(tmp_path: Path) -> None:
    """Layers, heads and context from the metadata; weight_bytes the tensors' bytes (100 x 64
    x 4 + 2 x (64 x 64 + 32 x 64) x 2 = 50,176)."""
    path = tmp_path / "tiny.gguf"
    total = _write(path)
    code, text = _import(path)
    assert (code, total) == (0, 50176)
    for line in ('layers = 2', 'heads = 4', 'kv_heads = 2', 'attention = "gqa"',
                 'max_context_tokens = 2048', f'weight_bytes = {total}'):
        assert f"\n{line}\n" in text


def test_a_spec_with_the_table_weighs_the_tensor_bytes(tmp_path: Path) -> None:
    """The imported table under [workload] gives model.weights_gib = the tensors' bytes, and
    the bits per weight the file's average, whatever precision the spec names."""
    import hwspec

    path = tmp_path / "tiny.gguf"
    total = _write(path)
    _, table = _import(path)
    spec = ('[build]\nname = "x"\n[[memory]]\nname = "m"\ngeneration = "DDR5"\nkind = "UDIMM"\n'
            'capacity_gib = 16\nspeed_mts = 5600\n[workload]\nprecision = "q4_k_m"\n'
            'context_tokens = 512\n' + table)
    facts = hwspec.validate(hwspec.loads(spec)).facts
    assert facts is not None
    assert facts["model.weights_gib"] == pytest.approx(total / 2**30)
    assert facts["model.bits_per_weight"] == pytest.approx(total * 8 / 18688)


def test_routed_experts_are_split_out(tmp_path: Path) -> None:
    """ffn_*_exps tensors give expert_params_b and expert_weight_bytes (2 layers x 4 x 128 x 64
    weights, 2 bytes each), and active_params_b counts 2 of the 4 experts."""
    path = tmp_path / "moe.gguf"
    _write(path, moe=True)
    code, text = _import(path)
    experts = 2 * 4 * 128 * 64
    assert code == 0
    assert f"\nexpert_weight_bytes = {experts * 2}\n" in text
    assert ("\nexperts = 4\n" in text, "\nexperts_per_token = 2\n" in text) == (True, True)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_text('{"not": "gguf"}'), "not a GGUF file"),
    (lambda p: p.write_bytes(b"GGUF" + struct.pack("<I", 3)), "too short for a GGUF header"),
    (lambda p: p.write_bytes(b"GGUF" + struct.pack("<IQQ", 9, 1, 1)), "GGUF version 9"),
    (lambda p: p.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 10**12, 10**12)),
     "claims 1,000,000,000,000 tensors"),
])
def test_hostile_or_broken_files_are_a_message(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    """Each is exit 2 with a line saying why, never a traceback."""
    path = tmp_path / "bad.gguf"
    make(path)
    code, text = _import(path)
    assert (code, message in text, "Traceback" in text) == (2, True, False)


def test_a_truncated_file_is_a_message(tmp_path: Path) -> None:
    """A file cut inside its metadata: the reader's failure becomes a message."""
    path = tmp_path / "cut.gguf"
    _write(path)
    path.write_bytes(path.read_bytes()[:40])
    code, text = _import(path)
    assert (code, "could not be read" in text) == (2, True)


def test_a_fifo_is_refused_unread(tmp_path: Path) -> None:
    """A named pipe would block a reader: it is refused before anything is read."""
    path = tmp_path / "pipe.gguf"
    os.mkfifo(path)
    code, text = _import(path)
    assert (code, "not a regular file" in text) == (2, True)


def test_metadata_no_real_model_has_is_refused_with_its_key() -> None:
    """A GGUF whose metadata gives 2,490,370 KV heads (the fuzzer's find) is refused, naming the
    metadata key, rather than imported into an arch no spec accepts."""
    path = Path(__file__).resolve().parents[2] / "fuzz" / "regressions" / "gguf" / (
        "bug-implausible-kv-heads.gguf")
    code, output = _import(path)
    assert code == 2
    assert ("the file's metadata gives kv_heads: expected at most 10,000 (a plausible number of "
            "heads), got 2490370 (from llama.attention.head_count_kv)") in output
