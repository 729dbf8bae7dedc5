"""Every command and format renders every spec that loads, whatever optional facts are absent."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.conftest import invoke

from hwspec.cli import EXIT_FINDINGS, EXIT_OK

# Specs that load but leave facts out which a renderer could expect beside others: an inline
# model with no name, a build with no memory, one with nothing but its name.
SPARSE = {
    "inline-model-no-name": """\
        [build]
        name = "Inline model without a name"

        [cpu]
        part = "amd-epyc-9655"

        [workload]
        precision = "q4_k_m"

        [workload.arch]
        params_b = 70
        layers = 80
        """,
    "name-only": """\
        [build]
        name = "Only a name"
        """,
    "model-no-board": """\
        [build]
        name = "A model and memory, no board"

        [[memory]]
        part = "micron-mtc20f2085s1rc64br"
        count = 12

        [workload]
        model = "deepseek-r1"
        precision = "q4_k_m"
        """,
}

COMMANDS = [
    *(["validate", "--format", fmt] for fmt in ("text", "json", "sarif", "github", "junit")),
    ["validate", "--no-facts"],
    *(["report", "--format", fmt] for fmt in ("text", "markdown", "json")),
]


@pytest.fixture(params=sorted(SPARSE))
def sparse_spec(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.toml"
    path.write_text(textwrap.dedent(SPARSE[request.param]))
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_format_renders_a_sparse_spec(command: list[str], sparse_spec: Path) -> None:
    """validate in every format and report in every format render the spec and exit 0 or 1."""
    result = invoke([*command, str(sparse_spec)], catch_exceptions=False)

    assert result.exit_code in (EXIT_OK, EXIT_FINDINGS), result.output
    assert result.stdout.strip(), result.output


def test_diff_renders_two_sparse_specs(tmp_path: Path) -> None:
    """diff between two sparse specs renders and exits 0 or 1."""
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(textwrap.dedent(SPARSE["name-only"]))
    new.write_text(textwrap.dedent(SPARSE["inline-model-no-name"]))
    result = invoke(["diff", str(old), str(new)], catch_exceptions=False)

    assert result.exit_code in (EXIT_OK, EXIT_FINDINGS), result.output
    assert result.stdout.strip(), result.output


def test_an_inline_model_without_a_name_is_named_the_model(tmp_path: Path) -> None:
    """The text figures call an unnamed inline model 'the model' instead of failing."""
    path = tmp_path / "spec.toml"
    path.write_text(textwrap.dedent(SPARSE["inline-model-no-name"]))
    result = invoke(["validate", str(path)], catch_exceptions=False)

    assert "  model      the model at q4_k_m: weights 39.9 GiB (43 GB)" in result.stdout
