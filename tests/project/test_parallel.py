"""One file never stops the others: an unexpected error (a bug) in one file's load, resolve,
derive, check or render is a SPEC005 finding for that file, in one process and in workers, and
every other file is checked and reported as usual."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import invoke

import hwspec.checker
import hwspec.output.json
import hwspec.output.text
from hwspec.checker import failed_report
from hwspec.cli import EXIT_FINDINGS
from hwspec.project import parallel
from hwspec.project.parallel import Settings, check_files

SPEC = """\
[build]
name = "{name}"

[cpu]
part = "amd-epyc-9655"
count = 2

[psu]
capacity_w = 2000
"""

NAMES = ("first", "boom", "third")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three specs that pass; the one named "boom" is the one a stage fails on."""
    for index, name in enumerate(NAMES):
        (tmp_path / f"{index}-{name}.toml").write_text(SPEC.format(name=name), encoding="utf-8")
    return tmp_path


def _explode_on_boom(real: Any) -> Any:
    def stage(first: Any, *args: Any) -> Any:
        spec = getattr(first, "spec", first)  # resolve takes the spec, derive the build
        if spec.build.name == "boom":
            raise ZeroDivisionError("a bug met in the boom build")
        return real(first, *args)

    return stage


@pytest.fixture(params=["resolve", "derive"])
def broken_stage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The checker's resolve or derive raises for the "boom" spec (workers are forked, so they
    inherit the patch)."""
    name: str = request.param
    monkeypatch.setattr(hwspec.checker, name, _explode_on_boom(getattr(hwspec.checker, name)))
    return name


@pytest.mark.usefixtures("broken_stage")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stage_that_raises_on_one_file_fails_that_file_only(folder: Path, jobs: str) -> None:
    """The file a stage raised on gets a SPEC005 error with the error's type and message, exit
    1; the other two are checked and reported; no traceback is printed."""
    result = invoke(["validate", "-j", jobs, "--format", "json", str(folder)])
    files = json.loads(result.stdout)["files"]
    rules = {Path(f["path"]).name: [x["rule"] for x in f["findings"]] for f in files}
    boom = next(f for f in files if f["path"].endswith("boom.toml"))["findings"][0]
    assert (result.exit_code, rules) == (EXIT_FINDINGS, {
        "0-first.toml": [], "1-boom.toml": ["SPEC005"], "2-third.toml": []})
    assert boom["message"] == ("hwspec failed on this file: ZeroDivisionError: a bug met in "
                               "the boom build")
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("broken_stage")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_text_output_reports_the_failed_file_among_the_others(folder: Path,
                                                                  jobs: str) -> None:
    """In the text output (rendered as each file is checked) the failed file has its SPEC005
    line and verdict, and the summary counts all three files."""
    result = invoke(["validate", "-j", jobs, str(folder)])
    assert result.exit_code == EXIT_FINDINGS
    assert (f"{folder / '1-boom.toml'}: SPEC005 error hwspec failed on this file: "
            "ZeroDivisionError: a bug met in the boom build") in result.stdout
    assert result.stdout.endswith("3 files checked, 1 failed: 1 error, 0 warnings\n")


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_files_returns_a_report_for_every_file_when_one_raises(
        folder: Path, jobs: int, broken_stage: str) -> None:
    """The library's batch call (``check_files``, which the command line uses) gives every
    file its report, the failed one a single SPEC005 finding."""
    checked = check_files(sorted(folder.glob("*.toml")), Settings(), jobs)
    assert [[f.rule for f in r.findings] for r in checked.reports] == [[], ["SPEC005"], []]
    assert [r.spec is not None for r in checked.reports] == [True, False, True]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_renderer_that_raises_on_one_file_fails_that_file_only(
        folder: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering is a stage too: the text renderer raising on one file's report gives that
    file a SPEC005 finding "while it rendered it", and the others render as usual."""
    real = hwspec.output.text.render_report

    def render_report(report: Any, options: Any) -> str:
        if report.path.endswith("boom.toml") and report.spec is not None:
            raise KeyError("build.name")
        return real(report, options)

    monkeypatch.setattr(hwspec.output.text, "render_report", render_report)
    result = invoke(["validate", "-j", jobs, str(folder)])
    assert result.exit_code == EXIT_FINDINGS
    assert ("SPEC005 error hwspec failed on this file while it rendered it: KeyError: "
            "'build.name'") in result.stdout
    assert result.stdout.count("result     ok: 0 errors, 0 warnings") == 2
    assert result.stdout.endswith("3 files checked, 1 failed: 1 error, 0 warnings\n")


def test_a_document_format_that_raises_on_one_report_writes_the_others(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A format rendered as one document (JSON) that raises on one report writes that file's
    SPEC005 finding in its place, and the other files as usual."""
    real = hwspec.output.json._file

    def file_entry(report: Any, options: Any) -> Any:
        if report.path.endswith("boom.toml") and report.spec is not None:
            raise TypeError("not serialisable")
        return real(report, options)

    monkeypatch.setattr(hwspec.output.json, "_file", file_entry)
    result = invoke(["validate", "--format", "json", str(folder)])
    files = json.loads(result.stdout)["files"]
    assert (result.exit_code, [[x["message"] for x in f["findings"]] for f in files]) == (
        EXIT_FINDINGS, [[], ["hwspec failed on this file while it rendered it: TypeError: not "
                             "serialisable"], []])


@pytest.fixture
def slow_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk this process checks starts 0.2 s late: long enough for a worker to take the
    chunks left (workers are forked, so a worker's own checks are slowed too, but the workers
    these tests use never check)."""
    real_checked = parallel._checked

    def slow_checked(*args: Any) -> Any:
        time.sleep(0.2)
        return real_checked(*args)

    monkeypatch.setattr(parallel, "_checked", slow_checked)


def _worker_dies(settings: Any, names: list[Any], render: Any) -> Any:
    """A worker that takes every chunk left and exits before it reports any."""
    list(parallel._taken(parallel._SHARED, len(names)))
    os._exit(3)


@pytest.mark.usefixtures("slow_here")
def test_a_worker_that_dies_has_its_files_checked_by_the_parent(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process that exits mid-run (its results lost) does not end the run: this
    process checks that worker's files itself, and every file is reported."""
    monkeypatch.setattr(parallel, "chunk_bounds", lambda files, jobs: [(0, 1), (1, 2), (2, 3)])
    monkeypatch.setattr(parallel, "_check_taken", _worker_dies)
    result = invoke(["validate", "-j", "2", str(folder)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0, "3 files checked, 0 failed: 0 errors, 0 warnings")


def test_the_finding_names_the_stage_of_the_innermost_hwspec_frame() -> None:
    """An error raised in a derive module is reported "while it derived the figures of it"."""
    namespace: dict[str, Any] = {"__name__": "hwspec.facts"}
    exec("def fact(): return 1 / 0", namespace)  # a function whose module is hwspec.facts
    with pytest.raises(ZeroDivisionError) as caught:
        namespace["fact"]()
    report = failed_report("x.toml", caught.value)
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [
        ("SPEC005", "error", "hwspec failed on this file while it derived the figures of it: "
                             "ZeroDivisionError: division by zero")]


@given(st.integers(min_value=0, max_value=5_000), st.integers(min_value=1, max_value=64))
def test_chunks_cover_every_file_once_in_order_and_never_grow(files: int, jobs: int) -> None:
    """The chunks given to workers are the files in order, each once, in chunks that never grow
    and hold at least MIN_CHUNK files but the last."""
    bounds = parallel.chunk_bounds(files, jobs)
    sizes = [end - start for start, end in bounds]
    assert (list(range(files)), sorted(sizes, reverse=True), True) == (
        [i for start, end in bounds for i in range(start, end)], sizes,
        all(size >= parallel.MIN_CHUNK for size in sizes[:-1]))


@pytest.fixture
def forty(tmp_path: Path) -> list[Path]:
    """Forty specs: three chunks for two processes (16, 16 and 8 files)."""
    paths = [tmp_path / f"{index:02}.toml" for index in range(40)]
    for path in paths:
        path.write_text(SPEC.format(name=path.stem), encoding="utf-8")
    return paths


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_progress_counts_every_file_once(forty: list[Path], jobs: int) -> None:
    """The progress callback is told of every file once, in steps that are never empty,
    whichever process checked it, and the reports come back in file order."""
    told: list[int] = []
    checked = check_files(forty, Settings(), jobs, told.append)
    assert (sum(told), min(told) > 0) == (40, True)
    assert [report.path for report in checked.reports] == [str(path) for path in forty]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_run_holds_its_checkers_for_the_workers_only_while_it_runs(
        forty: list[Path], jobs: int) -> None:
    """The checkers a run builds are kept where forked workers find them while it runs, and
    let go when it ends: a program that checks folders in a loop does not keep each run's."""
    settings = Settings()
    check_files(forty, settings, jobs)

    assert settings not in parallel._WORKER_CHECKERS


def _worker_counts_and_dies(settings: Any, names: list[Any], render: Any) -> Any:
    """A worker that takes every chunk left, counts their files as checked, and exits before
    it reports any of them."""
    for index in parallel._taken(parallel._SHARED, len(names)):
        parallel._add_checked(parallel._SHARED, len(names[index]))
    os._exit(3)


@pytest.mark.usefixtures("slow_here")
def test_progress_ends_at_the_total_when_a_worker_dies_after_counting(
        forty: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a dead worker counted and this process then checked again are told once: the
    progress ends at the number of files, and every file has its report."""
    monkeypatch.setattr(parallel, "_check_taken", _worker_counts_and_dies)
    told: list[int] = []
    checked = check_files(forty, Settings(), 2, told.append)
    assert (sum(told), len(checked.reports)) == (40, 40)
