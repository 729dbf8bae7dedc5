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


class _Commands(click.Group):
    """hwspec's commands. ``validate`` is defined in this module and every other command in
    ``hwspec.cli_commands``, loaded when a command line names one, lists them (``--help``) or
    completes them: a validate run never builds their options (4 % of its cold start)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            _all_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _all_commands()
        return super().list_commands(ctx)


def _all_commands() -> None:
    import hwspec.cli_commands  # noqa: F401 - defining its commands adds them to ``cli``


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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


def _settings(isolated: bool) -> Any:
    """The settings class: ``IsolatedSettings`` (no configuration file) under --isolated."""
    if isolated:
        from hwspec.project.isolated import IsolatedSettings

        return IsolatedSettings
    from hwspec.project.parallel import Settings

    return Settings


def with_version(group: click.Group) -> None:
    """``--version`` on every command of the group that lacks it, as on the group: `hwspec
    validate --version` answers too, as ruff's subcommands do. Its message and help are click's
    own, looked up in the message catalogs once rather than twice for each command (the lookup
    reads the environment and a file per language: 0.3 % of the start-up of every command)."""
    from gettext import gettext as _  # as click looks its texts up

    message, help_text = _("%(prog)s, version %(version)s"), _("Show the version and exit.")
    for command in group.commands.values():
        if not any(param.name == "version" for param in command.params):
            click.version_option(package_name="hwspec", prog_name="hwspec", message=message,
                                 help=help_text)(command)
        if isinstance(command, click.Group):
            with_version(command)


with_version(cli)


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
