"""The command line: parse options, call the library, print what a reporter renders, exit.

Exit codes: 0 nothing at error severity (nor warnings with --strict); 1 findings at error severity,
including specs that do not parse or structure; 2 usage errors, unreadable rule packs or config.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hwspec import completion as complete
from hwspec import escape
from hwspec.output import FORMATS
from hwspec.spec.vocab import NUMA_MODES, PLAN_OFFLOADS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])

PATH = click.Path(path_type=Path)
"""The type of every option and argument that names a path. One instance serves them all:
click looks its name up in the message catalogs each time a path type is made (gettext: the
environment and a file per language), 0.6 % of the start-up of every command."""


def _output_options(what: str) -> Callable[[F], F]:
    """--output FILE and --force, as every command that writes a file takes them."""
    def apply(command: F) -> F:
        command = click.option("--force", is_flag=True,
                               help="Let --output replace an existing file.")(command)
        return click.option("--output", "-o", "output_path", type=PATH,
                            metavar="FILE",
                            help=f"Write {what} to FILE (atomically) instead of standard "
                                 "output.")(command)

    return apply


def _rules_option(help_text: str = "Extra rule pack file or folder. Repeatable.",
                  ) -> Callable[[F], F]:
    """--rules PATH, as every command that checks or lists rules takes it."""
    return click.option("--rules", "rule_paths", multiple=True,
                        type=PATH, metavar="PATH", help=help_text)


rules_option = _rules_option()


class Refused(click.ClickException):
    """An input or setting hwspec cannot use: ``hwspec: MESSAGE`` on standard error, exit 2
    (nothing is written)."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        _say(self.format_message())


def _say(message: str) -> None:
    """``hwspec: MESSAGE`` on standard error, the message on one line with what came from an
    input (a path, a pack's or catalog's text) escaped by :func:`hwspec.escape.text`."""
    click.echo(f"hwspec: {escape.text(message)}", err=True)


def _json(data: Any) -> str:
    """``data`` as indented JSON, valid UTF-8 and safe to print
    (:func:`hwspec.escape.json_document`)."""
    import json

    return escape.json_document(json.dumps(data, indent=2, ensure_ascii=False))


isolated_option = click.option(
    "--isolated", is_flag=True,
    help="Read no configuration file (hwspec.toml, [tool.hwspec]): the options given only.")

catalog_option = click.option(
    "--catalog", "catalog_paths", multiple=True, type=PATH, metavar="PATH",
    help="Your own catalog file or folder of parts (docs/catalog.md). Repeatable.")


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--param")
    name, _, raw = text.partition("=")
    import tomli

    from hwspec.spec.load import parse_toml

    try:
        value = parse_toml(f"v = {raw.strip()}")["v"]
    except tomli.TOMLDecodeError:
        value = raw.strip()  # a bare word is a string
    if isinstance(value, list | dict):
        raise click.BadParameter(f"{text!r}: value must be a number, boolean or string",
                                 param_hint="--param")
    return name.strip(), value


if TYPE_CHECKING:
    _ChoiceBase = click.Choice[str]
else:  # click before 8.2 (pyproject allows 8.1) has no generic Choice
    _ChoiceBase = click.Choice


class Choice(_ChoiceBase):
    """click's Choice whose refusal ends with hwspec's did-you-mean, as every other name hwspec
    refuses does: ``--template gpu_rig`` is answered with ``did you mean 'gpu-rig'?``."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            from hwspec.findings import did_you_mean

            hint = did_you_mean(str(value), [str(c) for c in self.choices])
            if not hint:
                raise
            self.fail(error.message.rstrip(".") + hint, param, ctx)


def _utf8_text(value: str | None, option: str) -> str | None:
    """An option's text that goes into a written file: it must be UTF-8 (an argument that is not
    reaches Python as lone surrogates, which no TOML file can hold)."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise click.BadParameter(f"{value!r} is not UTF-8 text", param_hint=option) from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hwspec", prog_name="hwspec")
def cli() -> None:
    """Check hardware builds for running large language models before buying them."""
    if click.get_current_context().invoked_subcommand != "validate":
        gc.enable()  # off during start-up (``main``): only validate's runs are bounded
    else:
        _RUN["validate"] = True  # its exit needs no teardown (``main``)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=PATH)
@click.option("--format", "output_format", type=Choice(FORMATS), default=None,
              help="Output format [default: $HWSPEC_OUTPUT_FORMAT, else github when "
                   "GITHUB_ACTIONS=true, else text].")
@_output_options("the output")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings fail the check (2 still means a usage error).")
@click.option("--quiet", "-q", is_flag=True,
              help="Text: print the findings only (no figures, verdicts or summary).")
@click.option("--verbose", "-v", is_flag=True,
              help="Text: list the rules that did not run, grouped by why (by default one line "
                   "counts them).")
@click.option("--color", "color_mode", type=Choice(("auto", "always", "never")),
              default="auto", show_default=True,
              help="Colour rule ids and severities: auto colours a terminal unless NO_COLOR is "
                   "set (FORCE_COLOR colours a pipe too); an --output file is never coloured.")
@click.option("--statistics", "show_statistics", is_flag=True,
              help="Print the findings counted by rule instead of the findings.")
@click.option("--select", multiple=True, metavar="RULE", shell_complete=complete.rule_ids,
              help="Run only these rules (id, id prefix such as MEM, name, or ALL). Repeatable.")
@click.option("--ignore", multiple=True, metavar="RULE", shell_complete=complete.rule_ids,
              help="Skip these rules (id, id prefix, name). Repeatable.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Override a rule parameter, e.g. psu_max_load=0.7. Repeatable.")
@rules_option
@click.option("--no-facts", is_flag=True, help="Leave the derived figures out of the output.")
@click.option("--skip-non-specs", is_flag=True,
              help="Skip named TOML files without a [build] table (as folders do); for hooks "
                   "that pass every TOML file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes that check the files, this one among them [default: one per "
                   "core for 200 files or more, else 1].")
@click.option("--stdin-filename", type=PATH, metavar="PATH",
              help="With PATHS '-': the path the spec read from standard input is reported "
                   "under, and whose folder's configuration applies.")
@catalog_option
@isolated_option
def validate(paths: tuple[Path, ...], output_format: str | None, output_path: Path | None,
             force: bool, strict: bool, exit_zero: bool, quiet: bool, verbose: bool,
             color_mode: str, show_statistics: bool, select: tuple[str, ...],
             ignore: tuple[str, ...],
             params: tuple[str, ...], rule_paths: tuple[Path, ...], no_facts: bool,
             skip_non_specs: bool, jobs: int | None, stdin_filename: Path | None,
             catalog_paths: tuple[Path, ...], isolated: bool) -> None:
    """Check spec files, or every spec in the given folders; '-' reads one spec from standard
    input."""
    from functools import partial

    from attrs import evolve

    from hwspec.errors import CatalogError, ConfigError, PackError
    from hwspec.output import RenderOptions, file_renderer, render_all, render_part
    from hwspec.project.discover import folders_without_specs, spec_files
    from hwspec.project.parallel import check_files, default_jobs

    if output_format is None:
        output_format = _default_format()
    overrides = tuple(_parse_param(p) for p in params)
    _refuse_existing(output_path, force)
    stdin = Path("-") in paths
    if stdin and len(paths) > 1:
        raise click.UsageError("'-' (standard input) cannot be mixed with other paths")
    if stdin_filename is not None and not stdin:
        raise click.UsageError("--stdin-filename applies only when PATHS is '-'")
    files, problems = ([], []) if stdin else spec_files(paths, skip_non_specs=skip_non_specs)
    _refuse_inputs(output_path, (f.path for f in files))
    for problem in problems:
        _say(problem)
    settings = _settings(isolated)(rule_paths=rule_paths, params=overrides, select=select,
                                   ignore=ignore, catalog_paths=catalog_paths)
    options = RenderOptions(strict=strict, show_facts=not no_facts, quiet=quiet,
                            color=_color(output_path, color_mode), verbose=verbose)
    # A format that renders file by file is rendered as each file is checked (in its worker).
    by_file = not show_statistics and file_renderer(output_format) is not None
    try:
        if stdin:
            checked = _check_stdin(settings, stdin_filename)
        else:
            with _progress(len(files)) as progress:
                checked = check_files(files, settings, jobs or default_jobs(len(files)),
                                      progress, partial(render_part, output_format, options)
                                      if by_file else None)
    except (PackError, ConfigError, CatalogError) as error:
        raise Refused(str(error)) from None
    for notice in checked.notices:
        _say(notice)
    reports = checked.reports
    for warning in folders_without_specs(paths, (r.path for r in reports)):
        _say(f"warning: {warning}")
    options = evolve(options, rules=checked.rules)
    if problems and output_path is not None and str(output_path) != "-":
        # Exit 2 writes nothing: a partial result must not replace a good one.
        _say(f"{output_path}: not written, as some paths could not be used")
        sys.exit(EXIT_USAGE)
    if show_statistics:
        from hwspec.output.text import statistics

        _emit(statistics(reports), output_path, force)
    else:
        output, reports = render_all(output_format, reports, options, checked.parts)
        _emit(output, output_path, force, color=options.color or None)
    if problems:
        sys.exit(EXIT_USAGE)
    passed = exit_zero or all(r.passes(strict=strict) for r in reports)
    sys.exit(EXIT_OK if passed else EXIT_FINDINGS)


def _check_stdin(settings: Any, stdin_filename: Path | None) -> Any:
    """Check the one spec on standard input (read up to the spec size limit), reported under
    --stdin-filename and checked with that path's folder's configuration."""
    from hwspec.project.parallel import check_bytes
    from hwspec.spec.load import MAX_SPEC_BYTES

    raw = sys.stdin.buffer.read(MAX_SPEC_BYTES + 1)
    name = str(stdin_filename) if stdin_filename is not None else "<stdin>"
    if len(raw) > MAX_SPEC_BYTES:
        raise click.UsageError(escape.text(
            f"{name}: standard input holds more than {MAX_SPEC_BYTES:,} bytes; hwspec reads at "
            "most that of a spec"))
    return check_bytes(raw, name, settings, stdin_filename)


PROGRESS_MIN_FILES = 200
"""Runs this long show a progress bar on a terminal."""


@contextlib.contextmanager
def _progress(files: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error for a long run at a terminal; never in a pipe, under
    CI (CI set, as GitHub Actions, GitLab and most runners set it) or with NO_COLOR's cousin
    HWSPEC_NO_PROGRESS."""
    if (files < PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("CI")
            or os.environ.get("HWSPEC_NO_PROGRESS")):
        yield None
        return
    with click.progressbar(length=files, label="checking", file=sys.stderr) as bar:
        yield bar.update


def _color(output_path: Path | None, mode: str = "auto") -> bool:
    """Colour for a terminal: never into an --output file; ``always`` and ``never`` as asked
    (an explicit choice beats the environment, as no-color.org asks); ``auto``: not with
    NO_COLOR set, always with FORCE_COLOR set, else when standard output is a terminal."""
    if mode == "never" or not (output_path is None or str(output_path) == "-"):
        return False  # a file never gets escape sequences
    if mode == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _default_format() -> str:
    """$HWSPEC_OUTPUT_FORMAT where set (as ruff reads RUFF_OUTPUT_FORMAT), else github under
    GitHub Actions, else text; an unknown value is a usage error, not a silent fallback."""
    chosen = os.environ.get("HWSPEC_OUTPUT_FORMAT")
    if chosen:
        if chosen not in FORMATS:
            raise click.UsageError(f"HWSPEC_OUTPUT_FORMAT={chosen!r} is not a format; expected "
                                   f"one of {', '.join(FORMATS)}")
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _refuse_existing(output_path: Path | None, force: bool) -> None:
    """Stop before any work when --output names an existing file and --force is not given."""
    if output_path is not None and not force and (output_path.exists() or output_path.is_symlink()):
        raise click.UsageError(escape.text(
            f"{output_path} already exists; pass --force to overwrite it"))


def _refuse_inputs(output_path: Path | None, inputs: Iterable[Path]) -> None:
    """Stop before any work when --output names a file the run reads (a spec, a config.json):
    the report would replace its own input, even with --force."""
    if output_path is None or str(output_path) == "-" or not output_path.exists():
        return
    for path in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(output_path, path):
                raise click.UsageError(escape.text(
                    f"{output_path} is one of the inputs; hwspec never writes over a file it "
                    "reads"))


def _emit(text: str, output_path: Path | None, force: bool, *, color: bool | None = None) -> None:
    """Print ``text``, or write it atomically to ``output_path`` (exit 2 if that is refused).
    ``color`` keeps the text's styles on standard output even when it is not a terminal."""
    if output_path is None or str(output_path) == "-":
        click.echo(text, nl=False, color=color)
        return
    from hwspec.errors import WriteRefused
    from hwspec.tools.write import write_atomic

    try:
        write_atomic(output_path, text, force=force)
    except WriteRefused as error:
        raise Refused(str(error)) from None


# The report's formats, as hwspec.output.report lists them (named here so that parsing the
# options does not import the renderers).
REPORT_FORMATS = ("text", "markdown", "json", "html")
DIFF_FORMATS = ("text", "markdown", "json")


def _report_options(formats: tuple[str, ...], formats_help: str) -> Callable[[F], F]:
    """The options ``report`` and ``diff`` share."""
    def apply(command: F) -> F:
        for option in reversed((
            click.option("--format", "output_format", type=Choice(formats),
                         default="text", show_default=True, help=formats_help),
            _output_options("the report"),
            click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                         help="Override a rule parameter, e.g. psu_max_load=0.7. Repeatable."),
            rules_option,
            catalog_option,
            isolated_option,
        )):
            command = option(command)
        return command

    return apply


def _settings(isolated: bool) -> Any:
    """The settings class: ``IsolatedSettings`` (no configuration file) under --isolated."""
    if isolated:
        from hwspec.project.isolated import IsolatedSettings

        return IsolatedSettings
    from hwspec.project.parallel import Settings

    return Settings


def _checked(paths: tuple[Path, ...], params: tuple[str, ...], rule_paths: tuple[Path, ...],
             catalog_paths: tuple[Path, ...] = (), isolated: bool = False,
             ) -> list[tuple[Any, Any]]:
    """Check the named spec files (each with its folder's configuration, none under
    --isolated): (report, checker)."""
    from hwspec.errors import ConfigError, PackError
    from hwspec.project.discover import path_problem

    for path in paths:
        problem = path_problem(path)
        if problem is not None:
            raise click.UsageError(escape.text(f"{path}: {problem}"))
    from hwspec.errors import CatalogError
    from hwspec.project.parallel import catalog_notices

    settings = _settings(isolated)(rule_paths=rule_paths,
                                   params=tuple(_parse_param(p) for p in params),
                                   catalog_paths=catalog_paths)
    try:
        plan = settings.plan(paths)
    except (PackError, ConfigError, CatalogError) as error:
        raise Refused(str(error)) from None
    for notice in catalog_notices(checker.catalog for _, checker in plan):
        _say(notice)
    return [(checker.check_file(file), checker) for file, checker in plan]


@cli.command()
@click.argument("spec", type=PATH)
@_report_options(REPORT_FORMATS, "text with bar charts, markdown for a pull-request comment, "
                 "json, or html: one self-contained page with SVG charts.")
def report(spec: Path, output_format: str, output_path: Path | None, force: bool,
           params: tuple[str, ...], rule_paths: tuple[Path, ...],
           catalog_paths: tuple[Path, ...], isolated: bool) -> None:
    """Print a build's bill of materials, derived figures, memory and power budgets, findings.

    Exit 1 when the spec has a finding at error severity, as validate does.
    """
    from hwspec.output.report import render_report
    from hwspec.views.report import build_report

    _refuse_existing(output_path, force)
    _refuse_inputs(output_path, (spec,))
    ((checked, _),) = _checked((spec,), params, rule_paths, catalog_paths, isolated)
    data = build_report(checked)
    _emit(render_report(data, output_format), output_path, force)
    sys.exit(EXIT_OK if checked.ok else EXIT_FINDINGS)


@cli.command()
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
@_report_options(DIFF_FORMATS, "text with bar charts, markdown for a pull-request comment, or "
                 "json.")
def diff(old: Path, new: Path, output_format: str, output_path: Path | None, force: bool,
         params: tuple[str, ...], rule_paths: tuple[Path, ...],
         catalog_paths: tuple[Path, ...], isolated: bool) -> None:
    """Show how two builds differ: capacity, bandwidth, fit margin, PSU load, cost, decode
    bound, and the findings that appeared or went away.

    Exit 1 when the NEW spec has a finding at error severity.
    """
    from hwspec.output.report import render_diff
    from hwspec.views.report import diff_reports

    _refuse_existing(output_path, force)
    _refuse_inputs(output_path, (old, new))
    (before, _), (after, _) = _checked((old, new), params, rule_paths, catalog_paths,
                                       isolated)
    data = diff_reports(before, after)
    _emit(render_diff(data, output_format), output_path, force)
    sys.exit(EXIT_OK if after.ok else EXIT_FINDINGS)


@cli.command()
@click.argument("spec", type=PATH)
@click.option("--format", "output_format", type=Choice(("text", "json")), default="text",
              show_default=True)
@click.option("--models", "rank", is_flag=True,
              help="Rank every catalog model (and each --model-file) on the build: the widest "
                   "precision that fits, the largest context, decode and prefill, the launch "
                   "command of the top answer (docs/fit.md).")
@click.option("--model-file", "model_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="With --models: a config.json or GGUF file to rank beside the catalog "
                   "(repeatable).")
@click.option("--min-decode", type=click.FloatRange(min=0, min_open=True), metavar="TOKENS_S",
              help="With --models: leave out models that decode slower at the full context, "
                   "tokens/s (and rank by it).")
@click.option("--gpu-only", is_flag=True,
              help="With --models: every layer in GPU memory (the [system]'s GPU share on a "
                   "unified-memory machine).")
@click.option("--family", metavar="NAME",
              callback=lambda _c, _p, v: _utf8_text(v, "--family"),
              shell_complete=complete.model_families,
              help="With --models: one model family (qwen, llama, deepseek; or the start of an "
                   "id: qwen3, gpt-oss).")
@catalog_option
@isolated_option
def fit(spec: Path, output_format: str, rank: bool, model_files: tuple[Path, ...],
        min_decode: float | None, gpu_only: bool, family: str | None,
        catalog_paths: tuple[Path, ...], isolated: bool) -> None:
    """Answer what fits: the largest context, the best precision, and how many more units of
    the spec's memory would make the model fit (with what that does to memory speed).

    With --models: every catalog model on the build, ranked by a rule the output states.

    Exit 1 when the spec does not load, the model does not fit as specified, or the facts to
    tell are missing (the output says which input would supply them); with --models, when no
    model fits.
    """
    if not rank and (model_files or min_decode is not None or gpu_only or family is not None):
        raise click.UsageError("--model-file, --min-decode, --gpu-only and --family go with "
                               "--models")
    from hwspec.output.fit import render_fit
    from hwspec.search.fit import answer

    ((checked, checker),) = _checked((spec,), (), (), catalog_paths, isolated)
    if checked.spec is None:
        from hwspec.output import RenderOptions, reporter

        click.echo(reporter("text")([checked], RenderOptions(show_facts=False)), nl=False)
        sys.exit(EXIT_FINDINGS)
    if rank:
        _fit_models(spec, checked, checker, output_format, model_files, min_decode, gpu_only,
                    family)
    result = answer(checked, checker)
    click.echo(render_fit(str(spec), result, output_format), nl=False)
    # A verdict that cannot be told is no pass: a script gating on fit must not read it as one.
    sys.exit(EXIT_OK if result.fits else EXIT_FINDINGS)


def _fit_models(spec: Path, checked: Any, checker: Any, output_format: str,
                model_files: tuple[Path, ...], min_decode: float | None, gpu_only: bool,
                family: str | None) -> None:
    """``fit --models``: rank the models, print the ranking and exit (1 when none fits)."""
    from hwspec.errors import ConfigImportError
    from hwspec.output.models import render_models
    from hwspec.search.models import Candidate, LeftOut, ModelsError, rank_models
    from hwspec.tools.gguf import import_gguf, is_gguf
    from hwspec.tools.hf_config import import_hf_config

    files: list[Candidate] = []
    unreadable: list[LeftOut] = []
    for path in model_files:  # a file that cannot be read is named; the others are ranked
        try:
            gguf_file = path.suffix.lower() == ".gguf" or is_gguf(path)
            imported = import_gguf(path) if gguf_file else import_hf_config(path)
            files.append(Candidate(str(path), imported.arch(), from_file=True))
        except (ConfigImportError, OSError, TypeError, ValueError) as error:
            unreadable.append(LeftOut(str(path), f"cannot be read: {error}"))
    try:
        ranking = rank_models(checked, checker, files=files, min_decode=min_decode,
                              gpu_only=gpu_only, family=family)
    except ModelsError as error:
        raise click.UsageError(str(error)) from None
    if unreadable:
        from attrs import evolve

        ranking = evolve(ranking, left_out=(*ranking.left_out, *unreadable))
    click.echo(render_models(str(spec), ranking, output_format), nl=False)
    sys.exit(EXIT_OK if ranking.ranked else EXIT_FINDINGS)


@cli.command("plan")
@click.option("--model", "model_id", required=True, metavar="ID", help="A catalog model id.",
              shell_complete=complete.model_ids)
@click.option("--precision", default="q4_k_m", show_default=True,
              shell_complete=complete.precisions,
              help="Weight precision, or 'best' for the widest any build fits.")
@click.option("--context", "context_tokens", type=click.IntRange(min=1), default=4096,
              show_default=True, help="Context length to plan memory for, in tokens.")
@click.option("--min-decode", type=click.FloatRange(min=0, min_open=True), metavar="TOKENS_S",
              help="Decode speed at the full context the build must reach, tokens/s (on "
                   "--basis).")
@click.option("--min-prefill", type=click.FloatRange(min=0, min_open=True), metavar="TOKENS_S",
              help="Prompt processing the build must reach, tokens/s (on --basis).")
@click.option("--max-ttft", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Longest wait for the first token at --prompt-tokens, in s (on --basis).")
@click.option("--prompt-tokens", type=click.IntRange(min=1), metavar="N",
              help="The prompt --max-ttft is timed for (default 4,096, or the context).")
@click.option("--basis", type=Choice(("expected", "low", "bound")), default="expected",
              show_default=True,
              help="The figure a speed target is held to: the expected one, the low end of "
                   "its range, or the bound.")
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True,
              help="Sequences decoded together.")
@click.option("--engine", help="Inference engine (decides the KV-cache layout).")
@click.option("--prices", "prices_path", type=PATH,
              metavar="FILE", help="Your price list (docs/plan.md): it replaces the shipped "
                                   "reference list. Parts without a price are not candidates.")
@click.option("--extend", is_flag=True,
              help="With --prices: add your prices to the reference list instead.")
@click.option("--from", "from_spec", type=PATH, metavar="SPEC",
              help="Start from a build you have: its parts, as many as it has, cost nothing.")
@click.option("--owned", "owned_path", type=PATH, metavar="FILE",
              help="Parts you already own (parts = [ids, {part, count}]): so many cost "
                   "nothing.")
@click.option("--budget", type=click.FloatRange(min=0), help="Most the build may cost.")
@click.option("--max-power", type=click.FloatRange(min=0, min_open=True), metavar="W",
              help="Most the estimated load may be, in W.")
@click.option("--platform", "platforms", multiple=True, metavar="ID",
              shell_complete=complete.platform_ids,
              help="Only this platform id or socket (sp5, sp3-milan). Repeatable.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many candidates to show.")
@click.option("--gpus", "gpus", multiple=True, metavar="none|any|ID",
              shell_complete=complete.gpu_choices,
              help="GPUs a build may add: none (default), any priced GPU, or these ids. "
                   "Repeatable.")
@click.option("--max-gpus", type=click.IntRange(min=1, max=16), default=4, show_default=True,
              help="Most cards of one GPU a build may take.")
@click.option("--objective", type=Choice(("cost", "speed", "pareto")), default="cost",
              show_default=True,
              help="cost: cheapest first; speed: fastest expected decoding first; pareto: "
                   "each build faster than every cheaper one.")
@click.option("--numa", type=Choice(NUMA_MODES),
              default=None, help="How builds of two sockets place the weights (default "
                                 "interleave).")
@click.option("--offload", type=Choice(PLAN_OFFLOADS), default=None,
              help="With GPUs: keep the routed experts in system memory (default: every layer "
                   "on the GPUs).")
@click.option("--format", "output_format", type=Choice(("text", "json")), default="text",
              show_default=True)
@click.option("--write", "write_dir", type=PATH, metavar="DIR",
              help="Also write each candidate as a spec file in DIR.")
@click.option("--force", is_flag=True, help="Let --write replace existing files.")
@_rules_option("Extra rule pack file or folder a candidate must pass. Repeatable.")
@catalog_option
def plan_command(model_id: str, precision: str, context_tokens: int, min_decode: float | None,
                 min_prefill: float | None, max_ttft: float | None,
                 prompt_tokens: int | None, basis: str,
                 batch: int, engine: str | None, prices_path: Path | None, extend: bool,
                 from_spec: Path | None, owned_path: Path | None, budget: float | None,
                 max_power: float | None, platforms: tuple[str, ...], top: int,
                 gpus: tuple[str, ...], max_gpus: int, objective: str, numa: str | None,
                 offload: str | None,
                 output_format: str,
                 write_dir: Path | None, force: bool,
                 rule_paths: tuple[Path, ...], catalog_paths: tuple[Path, ...]) -> None:
    """Find the cheapest builds from the catalog that meet a target: a board, CPUs, memory in
    a balanced population and a PSU, each priced from your list and checked in full.

    Exit 0 with candidates, 1 when no build meets the target (the output says which
    constraint excluded the most), 2 for a price list or option that cannot be used.
    """
    from hwspec.checker import Options
    from hwspec.engine.packs import load_packs
    from hwspec.errors import PackError, PlanError
    from hwspec.output.plan import render_plan
    from hwspec.search.plan import Target, owned_parts, plan, plan_prices

    catalog = _user_catalog(catalog_paths)
    try:
        packs = tuple(load_packs(rule_paths))
        if extend and prices_path is None:
            raise PlanError("--extend adds the prices of a --prices FILE to the reference "
                            "list: give the file")
        prices = plan_prices(prices_path, extend=extend)
        owned = owned_parts(owned_path, from_spec)
        target = Target(model=model_id, precision=precision, context_tokens=context_tokens,
                        min_decode_tokens_per_s=min_decode, batch=batch, engine=engine,
                        budget=budget, max_power_w=max_power, platforms=platforms, top=top,
                        gpus=gpus, max_gpus=max_gpus, offload=offload, objective=objective,
                        numa=numa, min_prefill_tokens_per_s=min_prefill, max_ttft_s=max_ttft,
                        prompt_tokens=prompt_tokens, basis=basis, owned=owned)
        answer = plan(target, prices, catalog=catalog, options=Options(packs=packs))
    except (PlanError, PackError) as error:
        raise Refused(str(error)) from None
    if write_dir is not None and answer.candidates:
        from hwspec.errors import WriteRefused
        from hwspec.search.plan import candidate_files
        from hwspec.tools.write import write_atomic

        try:
            files = candidate_files(answer, write_dir, force=force)
            write_dir.mkdir(parents=True, exist_ok=True)
            for path, text in files.items():
                write_atomic(path, text, force=force)
        except (WriteRefused, OSError) as error:
            raise Refused(str(error)) from None
    click.echo(render_plan(answer, output_format), nl=False)
    sys.exit(EXIT_OK if answer.candidates else EXIT_FINDINGS)


@cli.group()
def model() -> None:
    """Models: turn a Hugging Face config.json into a [workload.arch] table."""


@model.command("import")
@click.argument("config", type=PATH)
@click.option("--name", callback=lambda _c, _p, v: _utf8_text(v, "--name"),
              help="The model's name in the table (default: from the config).")
@_output_options("the table")
def model_import(config: Path, name: str | None, output_path: Path | None, force: bool) -> None:
    """Read a local config.json or GGUF file (nothing is downloaded) and print the
    [workload.arch] table hwspec reads, each value with where it came from; from a GGUF file,
    with the exact weight bytes of its tensor table."""
    from hwspec.errors import ConfigImportError
    from hwspec.tools.gguf import import_gguf, is_gguf
    from hwspec.tools.hf_config import arch_toml, import_hf_config

    _refuse_existing(output_path, force)
    _refuse_inputs(output_path, (config,))
    try:
        gguf_file = config.suffix.lower() == ".gguf" or is_gguf(config)
        imported = (import_gguf(config, name=name) if gguf_file
                    else import_hf_config(config, name=name))
    except ConfigImportError as error:
        raise Refused(f"{config}: {error}") from None
    for warning in imported.warnings:
        _say(f"{config}: {warning}")
    _emit(escape.toml_document(arch_toml(imported, source=str(config))), output_path, force)


@cli.command()
@_output_options("the schema")
@catalog_option
def schema(output_path: Path | None, force: bool, catalog_paths: tuple[Path, ...]) -> None:
    """Print the JSON Schema (draft 2020-12) of the spec format, for editors and other checkers."""
    from hwspec.views.schema import schema_json

    _refuse_existing(output_path, force)
    _emit(escape.json_document(schema_json(_user_catalog(catalog_paths))), output_path, force)


def _user_catalog(catalog_paths: tuple[Path, ...]) -> Any:
    """The built-in catalog with the user's files added (None when there are none); a bad
    catalog file is exit 2, and each built-in entry it replaces is a notice."""
    if not catalog_paths:
        return None
    from hwspec.catalog.user import load_user_catalog
    from hwspec.errors import CatalogError
    from hwspec.project.parallel import catalog_notices

    try:
        catalog = load_user_catalog(catalog_paths)
    except CatalogError as error:
        raise Refused(str(error)) from None
    for notice in catalog_notices([catalog]):
        _say(notice)
    return catalog


@cli.command()
@click.argument("path", required=False, default="build.toml", type=PATH)
@click.option("--name", default="My LLM build", show_default=True,
              callback=lambda _c, _p, v: _utf8_text(v, "--name"), help="The build's name.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.option("--template", type=Choice(["server", "gpu-rig", "unified"]),
              default="server", show_default=True,
              help="The starter: one EPYC socket, a two-GPU desktop rig, or a unified-memory "
                   "machine.")
@click.option("--detect", is_flag=True,
              help="Describe this machine from what the operating system reports "
                   "(docs/detect.md); figures it cannot read are named, never guessed.")
def init(path: Path, name: str, force: bool, template: str, detect: bool) -> None:
    """Write a commented starter spec to PATH (default build.toml) that validates as it is.

    PATH "-" prints it instead. An existing file is never replaced without --force.
    """
    from hwspec.tools.scaffold import starter_spec

    if detect:
        from hwspec.tools.detect import detect_text

        _refuse_existing(None if str(path) == "-" else path, force)
        named = click.get_current_context().get_parameter_source("name")
        text, detected = detect_text(
            name=None if named is click.core.ParameterSource.DEFAULT else name)
        for gap in detected.gaps:
            _say(f"detect: not read: {gap.line()}")
    else:
        text = starter_spec(name, path="build.toml" if str(path) == "-" else str(path),
                            template=template)
    _refuse_existing(None if str(path) == "-" else path, force)
    _emit(escape.toml_document(text), None if str(path) == "-" else path, force)
    if str(path) != "-":
        click.echo(escape.text(f"wrote {path}; check it with: hwspec validate {path}"),
                   err=True)


@cli.command("rules")
@click.option("--format", "output_format", type=Choice(["text", "json"]), default="text",
              show_default=True)
@rules_option
def list_rules(output_format: str, rule_paths: tuple[Path, ...]) -> None:
    """List every rule, after the spec codes (SPEC001-SPEC004): id, name, severity, pack and
    summary."""
    from hwspec.views.docs import rules_table

    rows = rules_table(_all_rules(rule_paths))
    if output_format == "json":
        keys = ("id", "name", "severity", "pack", "summary")
        click.echo(_json([dict(zip(keys, row, strict=True)) for row in rows]))
        return
    for row in rows:
        rule_id, name, severity, pack, summary = (escape.text(x) for x in row)
        click.echo(f"{rule_id}  {name:<34} {severity:<8} {pack:<8} {summary}")


@cli.command()
@click.argument("rule", shell_complete=complete.rule_ids)
@rules_option
def explain(rule: str, rule_paths: tuple[Path, ...]) -> None:
    """Explain one rule or spec code (by id or name): why, check, facts and formulas, parameters,
    examples."""
    from hwspec.findings import SPEC_CODES, did_you_mean
    from hwspec.views.docs import explain as explain_rule
    from hwspec.views.docs import explain_spec_code

    code = next((c for c in SPEC_CODES if rule in (c.id, c.name) or rule.upper() == c.id), None)
    if code is not None:
        click.echo(explain_spec_code(code), nl=False)
        return
    rules = _all_rules(rule_paths)
    found = [r for r in rules if rule in (r.id, r.name, *r.aliases) or rule.upper() == r.id]
    if not found:
        names = [*(c.id for c in SPEC_CODES), *(r.id for r in rules), *(r.name for r in rules)]
        raise click.UsageError(escape.text(f"no rule {rule!r}" + did_you_mean(rule, names)))
    click.echo(explain_rule(found[0]), nl=False)


@cli.command("test-rules")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
def test_rules(paths: tuple[Path, ...]) -> None:
    """Run the examples of the rules in these packs: each failing example must fail its rule,
    each passing example must pass it. Exit 1 if any does not."""
    from hwspec.checker import Checker, Options, check_examples
    from hwspec.engine.packs import builtin_packs, load_packs
    from hwspec.errors import PackError

    try:
        packs = load_packs(paths)
        # The built-in packs themselves (rules/ in a checkout) are already loaded: add only others.
        builtin = {(r.id, r.check.source, r.message) for b in builtin_packs() for r in b.rules}
        extra = tuple(p for p in packs
                      if not all((r.id, r.check.source, r.message) in builtin for r in p.rules))
        checker = Checker(Options(packs=extra))
        checker.rules  # noqa: B018 - compile now: id clashes with built-in rules are exit 2
    except PackError as error:
        raise Refused(str(error)) from None
    results = check_examples([r for p in packs for r in p.rules], checker)
    for r in results:
        mark = "ok  " if r.ok else "FAIL"
        detail = f": {escape.text(r.detail)}" if r.detail else ""
        click.echo(f"{mark} {escape.text(r.rule)} {r.verdict}ing example {r.index + 1}{detail}")
    failed = sum(not r.ok for r in results)
    click.echo(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@cli.command()
@click.argument("words", nargs=-1, metavar="[list] [KIND] | show ID",
                shell_complete=complete.parts_words)
@click.option("--search", metavar="TEXT", help="Only entries whose id or name contains TEXT.")
@click.option("--sort", "sort_field", metavar="FIELD",
              help="Sort a KIND's entries on FIELD (a column name, or any field of the kind): "
                   "numbers numerically; entries without it last.")
@click.option("--reverse", is_flag=True, help="Largest first (entries without the field stay "
                                              "last).")
@click.option("--format", "output_format", type=Choice(["text", "json"]), default="text",
              show_default=True)
@catalog_option
@isolated_option
def parts(words: tuple[str, ...], search: str | None, sort_field: str | None, reverse: bool,
          output_format: str, catalog_paths: tuple[Path, ...], isolated: bool) -> None:
    """List catalog entries (`parts list KIND`, or `parts KIND`: cpu, board, memory, psu, gpu,
    platform, model ...) in the columns that decide a choice, or `parts show ID` to print every
    field of one entry with its source. The configuration's `catalog` applies, as it does to
    validate."""
    from hwspec.catalog import KINDS, builtin_catalog
    from hwspec.findings import did_you_mean
    from hwspec.views.parts import SortFieldError, parts_table, render_json_rows, render_text

    config_paths = () if isolated else _config_catalog(Path.cwd())
    catalog = _user_catalog((*config_paths, *catalog_paths)) or builtin_catalog()
    if words[:1] == ("show",):
        if len(words) != 2:
            raise click.UsageError("usage: hwspec parts show ID")
        _show_part(catalog, words[1])
        return
    if words[:1] == ("list",):
        words = words[1:]
    if len(words) > 1:
        raise click.UsageError("give at most one KIND")
    kind = words[0] if words else None
    if kind is not None and kind not in KINDS:
        raise click.UsageError(escape.text(f"no catalog kind {kind!r}; kinds: {', '.join(KINDS)}"
                                           + did_you_mean(kind, KINDS)))
    try:
        table = parts_table(catalog, kind, search, sort_field, reverse)
    except SortFieldError as error:
        raise click.UsageError(escape.text(str(error))) from None
    if output_format == "json":
        click.echo(_json(render_json_rows(table)))
    else:
        click.echo(render_text(table, escape.text), nl=False)
    if not table.entries:
        # Nothing found is an answer, not silence (grep's convention: exit 1).
        what = f"{kind} entry" if kind else "catalog entry"
        _say(f"no {what} matches {search!r}; the catalog holds only sourced parts, so declare "
             "the part inline with `name` and its fields, or in a --catalog file")
        sys.exit(EXIT_FINDINGS)


def _config_catalog(folder: Path) -> tuple[Path, ...]:
    """The catalog files of the configuration that applies in ``folder`` (the one validate
    finds for a spec there), before the command line's, so that --catalog entries replace its
    entries as they do in validate; a configuration that cannot be read is exit 2."""
    from hwspec.errors import ConfigError
    from hwspec.project.config import find_config, load_config

    try:
        config_path = find_config(folder)
        return load_config(config_path).catalog if config_path is not None else ()
    except ConfigError as error:
        raise Refused(str(error)) from None


def _show_part(catalog: Any, part_id: str) -> None:
    from hwspec.catalog import KINDS
    from hwspec.findings import suggestion

    found = [e for e in catalog.entries() if e.id == part_id]
    if not found:
        close = sorted({c for k in KINDS for c in catalog.closest(k, part_id)})
        raise click.UsageError(escape.text(f"no catalog entry {part_id!r}{suggestion(close[:3])}"))
    for e in found:
        click.echo(escape.text(f"{e.kind} {e.id}"))
        for key, value in e.fields.items():
            click.echo(f"  {escape.text(key):<22} {escape.text(repr(value)):<30} "
                       f"{escape.text(str(e.source_of(key)))}")
        if e.notes:
            click.echo(f"  notes: {escape.text(e.notes)}")


@cli.command()
def facts() -> None:
    """List every fact: name, unit, type, meaning and formula."""
    from hwspec.views.docs import facts_text

    click.echo(facts_text(), nl=False)


def _all_rules(rule_paths: tuple[Path, ...]) -> tuple[Any, ...]:
    from hwspec.engine.packs import builtin_packs, combine, load_packs
    from hwspec.errors import PackError

    try:
        return combine((*builtin_packs(), *load_packs(rule_paths)))
    except PackError as error:
        raise Refused(str(error)) from None


def _with_version(group: click.Group) -> None:
    """``--version`` on every command, as on the group: `hwspec validate --version` answers
    too, as ruff's subcommands do. Its message and help are click's own, looked up in the
    message catalogs once rather than twice for each command (the lookup reads the
    environment and a file per language: 0.3 % of the start-up of every command)."""
    from gettext import gettext as _  # as click looks its texts up

    message, help_text = _("%(prog)s, version %(version)s"), _("Show the version and exit.")
    for command in group.commands.values():
        click.version_option(package_name="hwspec", prog_name="hwspec", message=message,
                             help=help_text)(command)
        if isinstance(command, click.Group):
            _with_version(command)


_with_version(cli)


_RUN: dict[str, bool] = {}
"""What ``main`` needs to know of the command that ran: ``validate`` when it was that one."""


def main() -> None:
    """Console-script entry point."""
    # Start-up makes many objects (modules, the catalog, compiled rules) and no garbage worth
    # collecting: the collector stays off until a command starts its work (``cli``), and a
    # validate run of many files sets it for the batch (``project.parallel``).
    gc.disable()
    try:
        # One completion variable however hwspec is started (``hwspec``, ``python -m hwspec``).
        cli(complete_var="_HWSPEC_COMPLETE")
    except SystemExit as done:
        if _RUN.get("validate"):
            _exit_without_teardown(done)
        raise


def _exit_without_teardown(done: SystemExit) -> None:
    """End a validate run as ``sys.exit`` would, without the interpreter freeing every object
    it holds first (35 M instructions, 6.5 % of a cold ``hwspec validate``; more after a
    folder): the exit handlers run and the standard streams are flushed, which is all of the
    teardown a run's output and exit code depend on (validate writes its files through
    ``write_atomic``, which closes them). Where that cannot be said (another thread still
    running, an exit code that is not a number, a stream that cannot be flushed, such as a
    closed pipe) it returns, and the interpreter exits as usual: what it prints and returns
    stays its own."""
    import atexit
    import threading

    code = done.code
    if (code is not None and not isinstance(code, int)) or threading.active_count() > 1:
        return
    try:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except Exception:  # the usual exit says what went wrong, as it would have
        return
    os._exit(code or 0)
