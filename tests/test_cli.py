"""The command line: formats, exit codes, many files, bad files among good ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import SPECS, invoke

from hwspec.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def _invoke(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


def _show(result: Result) -> str:
    return f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_text_output_has_one_line_per_finding() -> None:
    """The text format starts each finding with file:line: RULE severity path: message."""
    result = _invoke("validate", str(SPECS / "epyc-dual.toml"))
    first = result.stdout.splitlines()[2]

    assert first.startswith(f"{SPECS / 'epyc-dual.toml'}:20:1: MEM001 error memory[0].kind: "
                            "UDIMM (DDR5) is not supported on sp5-turin"), _show(result)


def test_findings_exit_one() -> None:
    """A spec with an error-severity finding exits 1."""
    result = _invoke("validate", str(SPECS / "epyc-dual.toml"))

    assert result.exit_code == EXIT_FINDINGS, _show(result)


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    """--strict turns a warnings-only spec (exit 0 without it) into exit 1."""
    plain = _invoke("validate", str(SPECS / "epyc-dual-fixed.toml"))
    result = _invoke("validate", "--strict", str(SPECS / "epyc-dual-fixed.toml"))

    assert (plain.exit_code, result.exit_code) == (EXIT_OK, EXIT_FINDINGS), _show(result)


def test_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """A file that does not parse is reported, and the good file after it is still checked."""
    bad = tmp_path / "a-bad.toml"
    bad.write_text("[build\n")
    good = tmp_path / "b-good.toml"
    good.write_text((SPECS / "epyc-dual-fixed.toml").read_text())
    result = _invoke("validate", "--format", "json", str(tmp_path))
    files = json.loads(result.stdout)["files"]

    assert (EXIT_FINDINGS, [(str(bad), False), (str(good), True)]) == (
        result.exit_code, [(f["path"], f["ok"]) for f in files])


def test_folder_skips_toml_that_is_not_a_spec(tmp_path: Path) -> None:
    """In a folder, TOML files without a [build] table (pyproject.toml) are skipped."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "spec.toml").write_text((SPECS / "epyc-dual-fixed.toml").read_text())
    result = _invoke("validate", "--format", "json", str(tmp_path))

    assert [str(tmp_path / "spec.toml")] == [f["path"] for f in json.loads(result.stdout)["files"]]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    """A path that does not exist is exit 2 with a message on stderr."""
    result = _invoke("validate", str(tmp_path / "nope.toml"))

    assert (
        result.exit_code, result.stderr.strip().split(": ")[-1]) == (EXIT_USAGE, "no such file or directory"), _show(result)


def test_unknown_param_is_a_usage_error() -> None:
    """--param with an undeclared name is exit 2 with a did-you-mean."""
    result = _invoke("validate", "--param", "psu_max_lod=0.7", str(SPECS / "epyc-dual.toml"))

    assert result.exit_code == EXIT_USAGE
    assert "did you mean 'psu_max_load'?" in result.stderr


def test_param_override_changes_the_verdict() -> None:
    """Lowering psu_max_load makes PWR001 fail on the seed build's 67 % load."""
    result = _invoke("validate", "--format", "json", "--param", "psu_max_load=0.5",
                     str(SPECS / "epyc-dual.toml"))
    rules = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]

    assert "PWR001" in rules, _show(result)


def test_ignore_removes_the_finding() -> None:
    """--ignore MEM001 --ignore PWR001 removes the seed's two errors: it then exits 0."""
    result = _invoke("validate", "--ignore", "MEM001", "--ignore", "PWR001",
                     str(SPECS / "epyc-dual.toml"))

    assert result.exit_code == EXIT_OK, _show(result)


def test_json_findings_have_the_documented_keys() -> None:
    """Each JSON finding has rule, name, severity, message, hint, path, line and column."""
    result = _invoke("validate", "--format", "json", str(SPECS / "epyc-dual.toml"))
    finding = json.loads(result.stdout)["files"][0]["findings"][0]

    assert sorted(
        finding) == ["column", "hint", "line", "message", "name", "path", "rule", "severity"]


def test_json_has_a_version() -> None:
    """The JSON document carries its format version."""
    result = _invoke("validate", "--format", "json", str(SPECS / "epyc-dual.toml"))

    assert json.loads(result.stdout)["version"] == 1


def test_non_utf8_file_is_a_finding(tmp_path: Path) -> None:
    """A non-UTF-8 file is a SPEC001 finding, not a crash."""
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"[build]\nname = \"\xff\xfe\"\n")
    result = _invoke("validate", "--format", "json", str(binary))
    findings = json.loads(result.stdout)["files"][0]["findings"]

    assert (result.exit_code, [f["rule"] for f in findings]) == (EXIT_FINDINGS, ["SPEC001"])


def test_without_figures_each_verdict_names_its_file() -> None:
    """With --no-facts (the pre-commit hook's mode) every result line says which file it is for."""
    fixed, am5 = SPECS / "epyc-dual-fixed.toml", SPECS / "am5.toml"
    result = _invoke("validate", "--no-facts", str(fixed), str(am5))
    verdicts = [line for line in result.stdout.splitlines() if " result " in line]

    assert verdicts == [f"{fixed}: result ok: 0 errors, 1 warning",
                        f"{am5}: result ok: 0 errors, 0 warnings"], _show(result)


def test_a_folder_with_no_spec_warns_on_stderr(tmp_path: Path) -> None:
    """A folder argument holding no spec says so on stderr, and the run still exits 0."""
    (tmp_path / "pyproject.toml").write_text("[tool.other]\n")
    result = invoke(["validate", str(tmp_path)], catch_exceptions=False)

    assert result.exit_code == EXIT_OK, _show(result)
    assert result.stderr == (f"hwspec: warning: {tmp_path}: no spec files found (a spec is a "
                             "TOML file with a [build] table)\n")


def test_a_folder_with_specs_gives_no_warning() -> None:
    """specs/ holds specs, so nothing is said on stderr about it."""
    result = _invoke("validate", "--no-facts", str(SPECS))

    assert "no spec files found" not in result.stderr, _show(result)


def test_parts_reads_the_configurations_catalog(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`catalog = ["parts/"]` in hwspec.toml adds its parts to `hwspec parts` as it does to
    validate; --isolated leaves them out."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "team.toml").write_text(
        (Path(__file__).parent.parent / "docs" / "examples" / "parts.toml").read_text())
    (tmp_path / "hwspec.toml").write_text('catalog = ["parts/"]\n')
    monkeypatch.chdir(tmp_path)
    listed = _invoke("parts", "memory", "--search", "acme")
    isolated = _invoke("parts", "memory", "--search", "acme", "--isolated")
    assert (listed.exit_code, listed.stdout.splitlines()[1].split()[:1]) == (
        EXIT_OK, ["acme-ddr5-6400-96gb"]), _show(listed)
    assert (isolated.exit_code, isolated.stdout) == (EXIT_FINDINGS, ""), _show(isolated)


def test_parts_refuses_a_configuration_it_cannot_read(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken hwspec.toml stops `hwspec parts` with exit 2 naming it, as it stops validate."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "hwspec.toml").write_text("catalog = [\n")
    monkeypatch.chdir(tmp_path)
    result = _invoke("parts", "cpu")
    assert (result.exit_code, "hwspec.toml: does not parse" in result.stderr) == (
        EXIT_USAGE, True), _show(result)


def test_parts_says_when_nothing_matches() -> None:
    """A search that matches nothing says so on stderr and exits 1, instead of printing
    nothing and passing."""


    result = invoke(["parts", "cpu", "--search", "w5-3425"])

    assert (result.exit_code, result.stdout, result.stderr.startswith(
        "hwspec: no cpu entry matches 'w5-3425'")) == (1, "", True)


def test_quiet_prints_the_findings_only() -> None:
    """-q: each finding and its hint, no figures, verdicts or summary line."""
    result = _invoke("validate", "-q", str(SPECS / "epyc-dual.toml"))
    lines = result.stdout.splitlines()
    assert result.exit_code == EXIT_FINDINGS
    assert [line.split()[1] for line in lines if not line.startswith("    hint:")] == [
        "CST002", "MEM001", "PWR001", "PWR003"]
    assert all(":" in line.split()[0] for line in lines if not line.startswith("    "))


def test_statistics_count_the_findings_by_rule() -> None:
    """--statistics over the seed and its fix: PWR003 twice (each leaves the case uncounted),
    the seed's three others once, then the total."""
    result = _invoke("validate", "--statistics", str(SPECS / "epyc-dual.toml"),
                     str(SPECS / "epyc-dual-fixed.toml"))
    assert result.stdout.splitlines() == [
        "2  PWR003  warning", "1  CST002  warning", "1  MEM001  error", "1  PWR001  error",
        "5 findings in 2 files"]


def test_exit_zero_passes_a_failing_build_but_not_a_usage_error(tmp_path: Path) -> None:
    """--exit-zero: findings no longer fail the run; a missing path still exits 2."""
    failing = _invoke("validate", "--exit-zero", str(SPECS / "epyc-dual.toml"))
    missing = _invoke("validate", "--exit-zero", str(tmp_path / "nope.toml"))
    assert (failing.exit_code, missing.exit_code) == (EXIT_OK, 2)


def test_the_environment_sets_the_default_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """HWSPEC_OUTPUT_FORMAT=json is the default --format; --format still wins; an unknown
    value is a usage error naming the formats."""
    monkeypatch.setenv("HWSPEC_OUTPUT_FORMAT", "json")
    by_env = _invoke("validate", str(SPECS / "am5.toml"))
    explicit = _invoke("validate", "--format", "text", str(SPECS / "am5.toml"))
    monkeypatch.setenv("HWSPEC_OUTPUT_FORMAT", "xml")
    bad = _invoke("validate", str(SPECS / "am5.toml"))
    assert json.loads(by_env.stdout)["summary"]["files"] == 1
    assert (explicit.stdout.startswith("{"), "result" in explicit.stdout) == (False, True)
    assert (bad.exit_code, "expected one of text, concise, json" in bad.output) == (2, True)


def test_a_spec_on_standard_input_is_checked_under_its_stdin_filename(tmp_path: Path) -> None:
    """`validate - --stdin-filename PATH`: the spec from stdin is reported under PATH, and the
    hwspec.toml beside PATH applies (here it ignores MEM001 and PWR001)."""
    (tmp_path / "hwspec.toml").write_text('ignore = ["MEM001", "PWR001"]\n')
    text = (SPECS / "epyc-dual.toml").read_text()
    result = invoke(["validate", "-q", "-", "--stdin-filename",
                                      str(tmp_path / "seed.toml")], input=text)
    rules = [line.split()[1] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert (result.exit_code, rules) == (EXIT_OK, ["CST002", "PWR003"])
    assert result.stdout.startswith(f"{tmp_path / 'seed.toml'}:8:1:")


def test_standard_input_without_a_name_and_mixed_with_paths() -> None:
    """Unnamed, it reports as <stdin>; '-' beside other paths is a usage error."""
    text = (SPECS / "am5.toml").read_text()
    alone = invoke(["validate", "-"], input=text)
    mixed = invoke(["validate", "-", str(SPECS / "am5.toml")], input=text)
    assert (alone.exit_code, "<stdin>: " in alone.stdout, mixed.exit_code) == (EXIT_OK, True, 2)


def test_concise_prints_a_line_a_finding_and_the_summary() -> None:
    """--format concise over specs/: the seed's four findings, the fix's one, the partial
    offload's MEM004, the storage-backed build's FIT005, the 96 GB Strix Halo's FIG001 (its
    report states no power) and the dual-3090 rig's MEM005 (four DIMMs on AM5), no hints, no
    figures, and a passing spec prints nothing."""
    result = _invoke("validate", "--format", "concise", str(SPECS))
    lines = result.stdout.splitlines()
    assert (len(lines), lines[-1]) == (10, "26 files checked, 1 failed: 2 errors, 7 warnings")
    assert not any("hint:" in line or "am5.toml" in line for line in lines)


def test_force_color_styles_rule_ids_and_severities(monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR=1: the rule id bold, the severity coloured (an error red); NO_COLOR=1 wins
    over it, as no-color.org asks."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = _invoke("validate", "-q", str(SPECS / "epyc-dual.toml")).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _invoke("validate", "-q", str(SPECS / "epyc-dual.toml")).stdout
    assert "\x1b[1mMEM001\x1b[0m \x1b[31m\x1b[1merror\x1b[0m" in coloured
    assert "\x1b[" not in plain


def test_color_never_beats_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """--color never prints no escape sequence even with FORCE_COLOR set."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    plain = _invoke("validate", "-q", "--color", "never", str(SPECS / "epyc-dual.toml")).stdout
    assert "\x1b[" not in plain


def test_color_always_beats_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """--color always styles the findings even into a pipe with NO_COLOR set: the flag is the
    user's explicit choice, which no-color.org lets win over the variable."""
    monkeypatch.setenv("NO_COLOR", "1")
    coloured = _invoke("validate", "-q", "--color", "always",
                       str(SPECS / "epyc-dual.toml")).stdout
    assert "\x1b[1mMEM001\x1b[0m \x1b[31m\x1b[1merror\x1b[0m" in coloured


def test_verbose_lists_the_rules_that_did_not_run() -> None:
    """validate -v lists the rules that did not run a line per reason; without it one line
    counts them."""
    spec = str(SPECS / "epyc-dual.toml")
    short = [line for line in _invoke("validate", spec).stdout.splitlines()
             if line.startswith("  not run")]
    listed = [line for line in _invoke("validate", "-v", spec).stdout.splitlines()
              if line.startswith("  not run")]
    assert short == ["  not run    5 rules need inputs this build does not give, 8 do not "
                     "apply to it; -v lists them"]
    assert listed[:2] == ["  not run    FIT006 needs workload.max_ttft_s",
                          "  not run    PWR002 needs psu.eps_connectors"]
    assert len(listed) == 12


def test_colour_never_reaches_a_file_or_a_specs_own_text(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With FORCE_COLOR an --output file is still plain, and an escape sequence in a build's
    name is shown escaped, never passed to the terminal."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = tmp_path / "out.txt"
    _invoke("validate", "--output", str(out), str(SPECS / "epyc-dual.toml"))
    spec = tmp_path / "s.toml"
    spec.write_text('[build]\nname = "x\\u001b]0;pwned\\u0007"\n[cpu]\nname = "c"\ntdp_w = 100\n'
                    '[psu]\ncapacity_w = 100\n')
    shown = _invoke("validate", str(spec)).stdout
    assert "\x1b[" not in out.read_text()
    assert ("\x1b]0;" in shown, "\\x1b]0;pwned" in shown) == (False, True)


def test_shell_completion_completes_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The completion the README documents: `hwspec val<TAB>` offers validate."""
    monkeypatch.setenv("_HWSPEC_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "hwspec val")
    monkeypatch.setenv("COMP_CWORD", "1")
    result = invoke([], prog_name="hwspec", complete_var="_HWSPEC_COMPLETE")
    assert "plain,validate" in result.output


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_file_checked(jobs: int) -> None:
    """The progress callback of a run (the terminal's progress bar) adds up to the files, in
    one process and in workers."""
    from hwspec.project.parallel import Settings, check_files

    files = sorted(SPECS.glob("*.toml"))
    done: list[int] = []
    checked = check_files(files, Settings(), jobs, done.append)
    assert (sum(done), len(checked.reports)) == (len(files), len(files))


@pytest.mark.parametrize("command", [["validate"], ["plan"], ["model", "import"], ["report"]])
def test_every_command_answers_version(command: list[str]) -> None:
    """`hwspec validate --version` (and every other command) prints the version, as the group
    does."""
    from hwspec import __version__

    result = _invoke(*command, "--version")
    assert (result.exit_code, result.stdout.strip()) == (EXIT_OK, f"hwspec, version {__version__}")


def test_standard_input_that_is_not_utf8_is_a_finding_as_for_a_file() -> None:
    """UTF-16 on standard input gets the SPEC001 finding a UTF-16 file gets (exit 1)."""
    result = invoke(["validate", "-"], input=b"\xff\xfe[\x00")
    assert (result.exit_code, "SPEC001 error the file is UTF-16 text" in result.stdout) == (
        EXIT_FINDINGS, True)


@pytest.mark.parametrize(("args", "suggested"), [
    (("init", "--template", "gpu_rig", "-"), "gpu-rig"),
    (("validate", "--format", "jsn", str(SPECS / "am5.toml")), "json"),
    (("plan", "--model", "gpt-oss-20b", "--objective", "speeed"), "speed"),
])
def test_a_mistyped_choice_is_answered_with_the_closest(args: tuple[str, ...],
                                                        suggested: str) -> None:
    """An option value that is not one of its choices exits 2 naming the closest choice."""
    result = _invoke(*args)

    assert result.exit_code == EXIT_USAGE, _show(result)
    assert f"; did you mean '{suggested}'?" in result.stderr, _show(result)


def test_a_choice_nothing_is_close_to_names_the_choices_only() -> None:
    """A value close to no choice is refused with the list of choices and no suggestion."""
    result = _invoke("init", "--template", "epyc", "-")

    assert result.exit_code == EXIT_USAGE, _show(result)
    assert "'epyc' is not one of 'server', 'gpu-rig', 'unified'." in result.stderr, _show(result)
    assert "did you mean" not in result.stderr, _show(result)


@pytest.mark.parametrize("arguments", [
    ["plan", "--model", "deepseek-r1", "--min-decode", "nan"],
    ["plan", "--model", "deepseek-r1", "--budget", "inf"],
    ["plan", "--model", "deepseek-r1", "--max-power", "inf"],
    ["plan", "--model", "deepseek-r1", "--max-ttft", "nan"],
    ["plan", "--model", "deepseek-r1", "--min-prefill", "inf"],
    ["fit", str(SPECS / "am5.toml"), "--models", "--min-decode", "nan"],
])
def test_a_number_option_refuses_nan_and_infinity(arguments: list[str]) -> None:
    """``--budget inf`` or ``--min-decode nan`` is exit 2 naming the option, as the library
    refuses them, rather than a plan "at most inf USD" or models "below nan" tokens/s."""
    result = invoke(arguments)

    assert (result.exit_code, "is not a finite number" in result.output) == (2, True)
