"""`hwspec report` and `hwspec diff` on the command line: formats, exit codes, files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from tests.conftest import ROOT, SPECS, invoke

from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

SEED, FIXED = str(SPECS / "epyc-dual.toml"), str(SPECS / "epyc-dual-fixed.toml")


def _invoke(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


def _show(result: Result) -> str:
    return f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_report_prints_the_seed_bill_and_its_total() -> None:
    """The seed report lists the CPU line as 2 x 49,000 = 98,000 and the 128,445 CNY total."""
    result = _invoke("report", SEED)
    lines = result.stdout.splitlines()
    cpu_line = " cpu          2 \u00d7 49,000 =  98,000"

    assert (result.exit_code, any(cpu_line in line for line in lines),
            "  total                     128,445 CNY" in lines) == (EXIT_FINDINGS, True, True), (
        _show(result))


def test_report_shows_the_stated_total_it_got_wrong() -> None:
    """The seed report puts the post's 128,455 beside the lines' sum."""
    result = _invoke("report", SEED)

    assert "  stated total              128,455 CNY, 10 CNY more than the lines" in (
        result.stdout.splitlines()), _show(result)


def test_report_exits_0_on_a_passing_build() -> None:
    """A spec with no error finding reports with exit 0."""
    assert _invoke("report", FIXED).exit_code == EXIT_OK


def test_report_json_has_a_version() -> None:
    """--format json prints one document with its format version."""
    document = json.loads(_invoke("report", "--format", "json", SEED).stdout)

    assert (document["version"], document["kind"]) == (1, "report")


def test_report_markdown_has_a_bill_table() -> None:
    """--format markdown renders tables a pull-request comment shows."""
    assert "|---" in _invoke("report", "--format", "markdown", SEED).stdout


HYBRID = str(SPECS / "hybrid-n-cpu-moe.toml")
HYBRID_COMMAND = "llama-server -m MODEL.gguf -c 8192 -ngl 999 --n-cpu-moe 27 -t 16"


def test_report_text_shows_the_launch_command() -> None:
    """The text report prints the engine's command for the placement checked."""
    assert f"  {HYBRID_COMMAND}" in _invoke("report", HYBRID).stdout.splitlines()


def test_report_json_has_the_launch_command() -> None:
    """The JSON report holds the command under launch, with its engine and placeholders."""
    launch = json.loads(_invoke("report", "--format", "json", HYBRID).stdout)["launch"]

    assert (launch["engine"], launch["command"], launch["placeholders"]) == (
        "llama.cpp", HYBRID_COMMAND,
        ["MODEL.gguf: the path of a GGUF file of gpt-oss-120b at mxfp4"])


def test_report_html_has_a_launch_section() -> None:
    """The HTML report shows the command in a Launch section."""
    page = _invoke("report", "--format", "html", HYBRID).stdout

    assert (f"<h2>Launch (llama.cpp)</h2><div class=scroll><pre><code>{HYBRID_COMMAND}</code>"
            "</pre></div>") in page


def test_report_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A spec path that does not exist exits 2 with the reason."""
    result = _invoke("report", str(tmp_path / "none.toml"))

    assert (result.exit_code, "no such file or directory" in result.stderr) == (EXIT_USAGE, True)


def test_report_output_refuses_an_existing_file(tmp_path: Path) -> None:
    """report --output onto an existing file exits 2 and keeps the file."""
    out = tmp_path / "bill.md"
    out.write_text("mine\n")
    result = _invoke("report", "--output", str(out), SEED)

    assert (result.exit_code, out.read_text()) == (EXIT_USAGE, "mine\n"), _show(result)


def test_diff_names_the_findings_that_went_away() -> None:
    """Seed to fixed: MEM001 and PWR001 go away, and the new build passes (exit 0)."""
    result = _invoke("diff", "--format", "json", SEED, FIXED)
    document = json.loads(result.stdout)

    assert (result.exit_code, sorted(f["rule"] for f in document["findings"]["disappeared"])) == (
        EXIT_OK, ["CST002", "MEM001", "PWR001"]), _show(result)


def test_diff_exits_1_when_the_new_build_fails() -> None:
    """Fixed to seed: the new side has MEM001, so the diff exits 1."""
    assert _invoke("diff", FIXED, SEED).exit_code == EXIT_FINDINGS


def test_the_diff_docs_list_every_figure_a_diff_compares() -> None:
    """docs/report.md's table of diff figures names every fact views.report.CHANGES compares."""
    from hwspec.views.report import CHANGES

    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    table = text.split("## What the diff shows", 1)[1].split("A figure one of the builds", 1)[0]
    assert [key for key in CHANGES if f"`{key}`" not in table] == []
