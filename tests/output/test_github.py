"""The GitHub format: one workflow command a finding, escaped, then the summary line."""

from __future__ import annotations

import textwrap

import pytest
from tests.conftest import SPECS

from hwspec.checker import Checker, Report
from hwspec.findings import Finding
from hwspec.output import RenderOptions, reporter
from hwspec.output.github import command, escape_data, escape_property

SEED_OUTPUT = textwrap.dedent("""\
    ::warning file=specs/epyc-dual.toml,line=8,col=1,title=CST002 quoted-total-matches-lines::\
build.quoted_total: the stated total 128,455 CNY is not the sum of the lines, 128,445 CNY%0A\
hint: Add the lines again; correct the quote, or the line whose price or count is wrong.
    ::error file=specs/epyc-dual.toml,line=20,col=1,title=MEM001 memory-kind-supported::\
memory[0].kind: UDIMM (DDR5) is not supported on sp5-turin (takes DDR5 RDIMM, 3DS-RDIMM)%0A\
hint: Choose modules of a kind the platform lists; on SP5 that is registered ECC DDR5 \
(RDIMM or 3DS RDIMM).
    ::error file=specs/epyc-dual.toml,line=24,col=1,title=PWR001 psu-headroom::\
psu: estimated load 1,001 W is 83.38%25 of the 1,200 W PSU (limit 80%25); not counted: case%0A\
hint: Choose a PSU of at least load / psu_max_load watts, or lower the load.
    ::warning file=specs/epyc-dual.toml,line=24,col=1,title=PWR003 power-estimate-complete::\
psu: no power figure for case; the 1,001 W estimate leaves it out%0Ahint: Add power_w to each \
listed part (from its datasheet), or the fans of a case or cooling (fans = N), so PWR001 sees \
the whole load.
    1 file checked, 1 failed: 2 errors, 2 warnings
""")


def _seed() -> Report:
    text = (SPECS / "epyc-dual.toml").read_text(encoding="utf-8")
    return Checker().check_text(text, path="specs/epyc-dual.toml")


def test_seed_output() -> None:
    """The seed spec gives one annotation a finding, at its line and column, then the summary."""
    assert reporter("github")([_seed()], RenderOptions()) == SEED_OUTPUT


def test_broken_file_is_an_error_annotation_at_the_syntax_error() -> None:
    """A file that does not parse is annotated at the line and column of the error."""
    report = Checker().check_text("[build\nname = 'x'\n", path="specs/broken.toml")
    first = reporter("github")([report], RenderOptions()).splitlines()[0]
    assert first.startswith("::error file=specs/broken.toml,line=1,col=7,"
                            "title=SPEC001 toml-syntax::TOML does not parse")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("100% sure", "100%25 sure"),
        ("a\r\nb", "a%0D%0Ab"),
        ("%0A", "%250A"),
        ("key: a, b", "key: a, b"),
    ],
)
def test_escape_data(text: str, expected: str) -> None:
    """A message escapes %, carriage return and line feed, and nothing else."""
    assert expected == escape_data(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("specs/x.toml", "specs/x.toml"),
        ("C:/specs/a,b.toml", "C%3A/specs/a%2Cb.toml"),
        ("50%\r\n", "50%25%0D%0A"),
        ("MEM001 memory-kind-supported", "MEM001 memory-kind-supported"),
    ],
)
def test_escape_property(text: str, expected: str) -> None:
    """A property value escapes %, carriage return, line feed, colon and comma."""
    assert expected == escape_property(text)


def test_command_escapes_file_title_and_message() -> None:
    """Every part of a command is escaped, so a path or message cannot break the command."""
    finding = Finding("SPEC002", "error", "value 'a,b: 100%'\nis bad", name="spec-structure",
                      path="build.name", line=3, column=8)
    assert command(finding, "odd:dir/a,b.toml") == (
        "::error file=odd%3Adir/a%2Cb.toml,line=3,col=8,title=SPEC002 spec-structure::"
        "build.name: value 'a,b: 100%25'%0Ais bad")


def test_finding_without_line_names_the_file_only() -> None:
    """A finding with no line gets file= and no line or col."""
    finding = Finding("SPEC001", "error", "the file is a directory, not a spec file",
                      name="toml-syntax")
    assert command(finding, "specs") == (
        "::error file=specs,title=SPEC001 toml-syntax::the file is a directory, not a spec file")


def test_line_without_column() -> None:
    """A finding with a line but no column gets line= and no col=."""
    finding = Finding("MEM003", "warning", "unbalanced", name="memory-channels-balanced", line=5)
    assert (command(finding, "x.toml")
            == "::warning file=x.toml,line=5,title=MEM003 memory-channels-balanced::unbalanced")


def test_info_finding_is_a_notice() -> None:
    """A severity other than error or warning is a notice."""
    finding = Finding("ACME001", "info", "worth a look")
    assert command(finding, "x.toml") == "::notice file=x.toml,title=ACME001::worth a look"


def test_windows_path_uses_forward_slashes() -> None:
    """A path with backslashes is given to GitHub with forward slashes."""
    finding = Finding("ACME001", "info", "worth a look")
    assert command(finding, "specs\\x.toml").startswith("::notice file=specs/x.toml,")
