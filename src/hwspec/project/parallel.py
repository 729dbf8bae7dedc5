"""Checking many spec files, in one process or spread over worker processes.

The result is the same list of reports in the same order either way: files are split into
contiguous chunks, checked by this process and ``jobs - 1`` forked workers, each taking the next
chunk as it finishes one, and the chunks are joined back in file order. A forked worker starts
with this process's checkers (rule packs compile once per run); a spawned one builds its own from
the same plain settings.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from attrs import define, frozen

from hwspec.catalog import Catalog
from hwspec.checker import Checker, Options, Report, failed_report
from hwspec.engine.packs import Rule
from hwspec.facts import Facts, FactValue
from hwspec.findings import Finding
from hwspec.project.checkers import checkers_for
from hwspec.project.discover import Candidate

PARALLEL_MIN_FILES = 200
"""Below this many files, a worker process saves too little to be worth starting: on two cores,
with this process checking beside one worker, 80 and 150 files took as long as in one process
(medians of 15 interleaved runs each), 300 files 1.3 times less (11 runs). Before this process
checked too, two workers were 25 % slower than one at 80 files."""


@frozen
class Settings:
    """The command line's checking settings, as plain data a worker process can rebuild from."""

    rule_paths: tuple[Path, ...] = ()
    params: tuple[tuple[str, FactValue], ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    catalog_paths: tuple[Path, ...] = ()

    def options(self) -> Options:
        """The command line's options: its rule packs and catalog files read, its values set."""
        from hwspec.engine.packs import load_packs

        catalog = None
        if self.catalog_paths:
            from hwspec.catalog.user import load_user_catalog

            catalog = load_user_catalog(self.catalog_paths)
        return Options(packs=load_packs(self.rule_paths), params=dict(self.params),
                       select=self.select, ignore=self.ignore, catalog=catalog)

    def plan(self, files: Sequence[Path], by_config: dict[Path | None, Checker] | None = None,
             base: Options | None = None) -> list[tuple[Path, Checker]]:
        """Each file with the checker of its nearest configuration (see ``checkers_for``);
        ``by_config`` and ``base`` reuse what an earlier call with these settings built."""
        base = base or self.options()
        return checkers_for(files, base, cli_select=bool(self.select), by_config=by_config)


def default_jobs(files: int) -> int:
    """One worker per available core for large runs; one process for small ones."""
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


@frozen
class Checked:
    """The reports of a run, in file order, and every rule that ran on any of them."""

    reports: list[Report]
    rules: tuple[Rule, ...]
    notices: tuple[str, ...] = ()
    """Things to tell the user beside the results: built-in catalog entries a team's replaced."""
    parts: tuple[str, ...] | None = None
    """Each report's part of the output, rendered as it was checked (``check_files``'s
    ``render``); the reports are then slim: path, findings, time and configuration only."""


FileRender = Callable[[Report, tuple[Rule, ...]], str]
"""Renders one file's part of the output from its report and the rules its checker ran. It
goes to worker processes, so it must pickle: a module-level function, or a
``functools.partial`` of one (``hwspec.output.render_part``)."""


def check_files(files: Sequence[Path | Candidate], settings: Settings,
                jobs: int = 1, progress: Callable[[int], None] | None = None,
                render: FileRender | None = None) -> Checked:
    """Check every file, in order; with ``jobs`` > 1, in that many processes: this one and
    ``jobs - 1`` workers.

    A ``Candidate`` to confirm (found in a folder) that turns out not to be a spec has no report.
    Configuration and rule-pack errors are raised before any spec is read, in the calling process.
    An unexpected error (a bug) while one file is checked or rendered is a SPEC005 finding for
    that file (``failed_report``), and the others are checked as usual.

    With ``render``, each file's part of the output is rendered as soon as it is checked (by
    the worker that checked it) and only a slim report comes back: workers send little, and a
    large run keeps no facts or outcomes in memory.
    """
    candidates = [f if isinstance(f, Candidate) else Candidate(f) for f in files]
    base, by_config = settings.options(), dict[Path | None, Checker]()
    plan = settings.plan([c.path for c in candidates], by_config, base)
    # Forked workers start with what this run built: the rule packs read and compiled, the
    # catalog loaded, a checker for each configuration; only a spawned one builds its own. This
    # process holds them for the run only.
    _WORKER_CHECKERS[settings] = (base, by_config)
    # Each checker once (a run has a few, one for each configuration, and thousands of files),
    # in the order of its last file, so an id's rule is the one the last file that ran it ran.
    last_first = {id(checker): checker for _, checker in reversed(plan)}
    rules = {rule.id: rule for checker in reversed(last_first.values())
             for rule in checker.rules}
    ran = tuple(rules[rule_id] for rule_id in sorted(rules))
    try:
        with _batch_gc(len(candidates)):
            results = _run(plan, candidates, settings, jobs, progress, render)
    finally:
        del _WORKER_CHECKERS[settings]
    notices = catalog_notices(checker.catalog for _, checker in plan)
    reports = [report for report, _ in results]
    if render is None:
        return Checked(reports, ran, notices)
    return Checked(reports, ran, notices, tuple(part or "" for _, part in results))


GC_MIN_FILES = 50
"""From this many files a run changes the garbage collector's settings while it checks."""

GC_THRESHOLD = 50_000
"""Allocations between collections of the youngest generation during a batch (default 700)."""


@contextlib.contextmanager
def _batch_gc(files: int) -> Iterator[None]:
    """The collector set for a batch, then put back: what is alive before the batch (modules,
    the catalog, compiled rules) is frozen out of every collection (``gc.freeze``), and the
    youngest generation is collected every ``GC_THRESHOLD`` allocations (and the collector is
    on, if the caller had it off, as the command line's start-up does). Checking a spec
    makes few reference cycles, so the default threshold runs the collector thousands of times
    over a large folder for little; forked workers also leave the frozen objects' memory pages
    unwritten, so they stay shared."""
    if files < GC_MIN_FILES:
        yield
        return
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    gc.enable()  # the command line starts with it off
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if not enabled:
            gc.disable()


def check_bytes(raw: bytes, name: str, settings: Settings, config_from: Path | None) -> Checked:
    """Check one spec given as bytes (standard input), reported under ``name`` and checked with
    the configuration found from ``config_from``'s folder (the working folder when None). Bytes
    that are not UTF-8 text are a finding, as for a file."""
    from hwspec.spec.load import decode_spec

    ((_, checker),) = settings.plan([config_from or Path("stdin.toml")])
    text = decode_spec(raw)
    try:
        report = (Report(name, None, (text,)) if isinstance(text, Finding)
                  else checker.check_text(text, path=name))
    except Exception as error:  # a bug: a finding for this spec, as for a file
        report = failed_report(name, error)
    return Checked([report], checker.rules, catalog_notices([checker.catalog]))


def catalog_notices(catalogs: Iterable[Catalog]) -> tuple[str, ...]:
    """One line for each built-in catalog entry a user catalog replaced, each said once."""
    seen: dict[str, None] = {}
    for catalog in {id(c): c for c in catalogs}.values():
        for old, new in catalog.overridden:
            seen[f"notice: {new.origin}: {new.kind} {new.id!r} replaces the entry from "
                 f"{old.origin}"] = None
    return tuple(seen)


Result = tuple[Report, str | None]
"""A file's report and, when rendering as it goes, its part of the output."""


def _run(plan: list[tuple[Path, Checker]], files: Sequence[Candidate], settings: Settings,
         jobs: int, progress: Callable[[int], None] | None = None,
         render: FileRender | None = None) -> list[Result]:
    """Check the files in order; ``progress`` is told how many more are done as they finish."""
    checkers = [checker for _, checker in plan]
    jobs = min(jobs, len(files))
    if jobs <= 1:
        return _checked(files, checkers, progress, render)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    chunks = chunk_bounds(len(files), jobs)
    names = [[(str(f.path), f.confirm) for f in files[start:end]] for start, end in chunks]
    context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    # Every process, this one among them, takes the next chunk nobody has taken as it finishes
    # one: this process starts checking while the workers are still forking, its results need
    # no pickling, and no worker holds chunks queued for it while another process runs dry.
    shared = context.Array("i", 2)  # [the next chunk to take, the files checked so far]
    parts: dict[int, list[Result]] = {}
    with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context,
                             initializer=_share, initargs=(shared,)) as pool:
        # Each file goes to the workers as its name and whether to confirm it: plain data, which
        # pickles in a fraction of the time a path object and a record take.
        futures = [pool.submit(_check_taken, settings, names, render) for _ in range(jobs - 1)]
        told = _Told(progress, shared)
        for index in _taken(shared, len(chunks)):
            start, end = chunks[index]
            parts[index] = _checked(files[start:end], checkers[start:end], None, render)
            _add_checked(shared, end - start)
            told.update()
        for future in futures:
            while not future.done():
                wait([future], timeout=_PROGRESS_SECONDS)
                told.update()
            with contextlib.suppress(Exception):  # the worker died, or its results could not
                parts.update(future.result())  # be sent back: its chunks are checked below
        told.update()
    results: list[Result] = []
    for index, (start, end) in enumerate(chunks):
        if index not in parts:  # taken by a worker that did not report it: checked here, each
            parts[index] = _checked(files[start:end], checkers[start:end], None, render)  # file
        results.extend(parts[index])  # contained
    # A worker that died may have counted files it never reported: the bar ends at the total.
    told.tell(len(files) - told.files)
    return results


_PROGRESS_SECONDS = 0.1
"""How often the progress bar moves while this process waits for the workers' last chunks."""


def _taken(shared: Any, chunks: int) -> Iterator[int]:
    """The chunks this process takes, one at a time, until every chunk is taken."""
    while True:
        with shared.get_lock():
            index = shared[0]
            shared[0] = index + 1
        if index >= chunks:
            return
        yield index


def _add_checked(shared: Any, files: int) -> None:
    with shared.get_lock():
        shared[1] += files


@define
class _Told:
    """Tells ``progress`` how many more files every process has checked since it last told."""

    progress: Callable[[int], None] | None
    shared: Any
    files: int = 0

    def update(self) -> None:
        if self.progress is not None:
            self.tell(self.shared[1] - self.files)

    def tell(self, files: int) -> None:
        if self.progress is not None and files > 0:
            self.files += files
            self.progress(files)


MIN_CHUNK = 16
"""The fewest files a chunk given to a worker holds (but the last): about 16 ms of work, so
sending it and its results costs little beside checking it."""


def chunk_bounds(files: int, jobs: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of the files given to workers, in file order. Each chunk is
    a ``2 * jobs``-th of the files left (at least ``MIN_CHUNK``): large chunks first, then
    smaller ones, so the workers, each taking the next chunk as it finishes one, finish
    within a small chunk of each other (equal chunks left one worker idle for up to a
    chunk's difference in time at the end: 28 ms of 630 on 1,000 specs)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < files:
        size = max(MIN_CHUNK, -(-(files - start) // (2 * jobs)))
        bounds.append((start, min(files, start + size)))
        start += size
    return bounds


_WORKER_CHECKERS: dict[Settings, tuple[Options, dict[Path | None, Checker]]] = {}
"""In a worker process: the options and checkers of each settings, so its packs and catalog
files are read, and its rules compiled, once however many chunks the worker is given."""


_SHARED: Any = None
"""In a worker process: the run's shared counters (``_run``), set as the worker starts."""


def _share(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _check_taken(settings: Settings, names: list[list[tuple[str, bool]]],
                 render: FileRender | None) -> dict[int, list[Result]]:
    """In a worker: check the chunks it takes until every chunk is taken, by their index."""
    if settings not in _WORKER_CHECKERS:
        _WORKER_CHECKERS[settings] = (settings.options(), {})
    base, by_config = _WORKER_CHECKERS[settings]
    parts: dict[int, list[Result]] = {}
    for index in _taken(_SHARED, len(names)):
        files = [Candidate(Path(name), confirm) for name, confirm in names[index]]
        plan = settings.plan([f.path for f in files], by_config, base)
        parts[index] = _checked(files, [checker for _, checker in plan], None, render)
        _add_checked(_SHARED, len(files))
    return parts


def _checked(files: Sequence[Candidate], checkers: Sequence[Checker],
             progress: Callable[[int], None] | None = None,
             render: FileRender | None = None) -> list[Result]:
    results: list[Result] = []
    for candidate, checker in zip(files, checkers, strict=True):
        try:
            report = (checker.check_found(candidate.path) if candidate.confirm
                      else checker.check_file(candidate.path))
        except Exception as error:  # a bug: this file's finding, not the run's end
            report = failed_report(str(candidate.path), error)
        if report is not None:
            results.append((report, None) if render is None
                           else _rendered(report, render, checker.rules))
        if progress is not None:
            progress(1)
    return results


def _rendered(report: Report, render: FileRender, rules: tuple[Rule, ...]) -> Result:
    """A report's part of the output, and the report slimmed to what the end of the output
    and the exit code read (path, findings, time, and the configuration the summary names)."""
    try:
        part = render(report, rules)
    except Exception as error:  # a bug in rendering this report
        report = failed_report(report.path, error, "render")
        part = render(report, rules)
    return Report(report.path, None, report.findings, _NO_FACTS, seconds=report.seconds,
                  config=report.config), part


_NO_FACTS = Facts({})
"""The facts of every slim report: none. One record for all, so a worker's results pickle it
once rather than once per file (a tenth of what the parent unpickles)."""
