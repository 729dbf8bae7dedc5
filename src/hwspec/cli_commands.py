"""Every command but ``validate``: report, diff, fit, plan, model import, schema, init, rules,
explain, test-rules, parts and facts.

``hwspec.cli`` loads this module when a command line names one of them, lists the commands
(``hwspec --help``) or completes them: a validate run, which a pre-commit hook starts on every
commit, never builds their options. Like ``hwspec.cli``, this is click only: each command parses
its options and calls the library.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hwspec import completion as complete
from hwspec import escape
from hwspec.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    PATH,
    Choice,
    F,
    Refused,
    _emit,
    _json,
    _output_options,
    _parse_param,
    _refuse_existing,
    _refuse_inputs,
    _rules_option,
    _say,
    _settings,
    _utf8_text,
    catalog_option,
    cli,
    isolated_option,
    rules_option,
    with_version,
)
from hwspec.output import DIFF_FORMATS, REPORT_FORMATS
from hwspec.spec.vocab import NUMA_MODES, PLAN_OFFLOADS


class _FiniteRange(click.FloatRange):
    """click's ``FloatRange`` that refuses NaN and infinity too, as the library's arguments
    do: its bounds let both through (no comparison with NaN is true, and nothing bounds it
    above), and ``--min-decode nan`` or ``--budget inf`` planned as if they meant something."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


_ABOVE_ZERO = _FiniteRange(min=0, min_open=True)
_ZERO_OR_MORE = _FiniteRange(min=0)


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
@click.option("--min-decode", type=_ABOVE_ZERO, metavar="TOKENS_S",
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
@click.option("--min-decode", type=_ABOVE_ZERO, metavar="TOKENS_S",
              help="Decode speed at the full context the build must reach, tokens/s (on "
                   "--basis).")
@click.option("--min-prefill", type=_ABOVE_ZERO, metavar="TOKENS_S",
              help="Prompt processing the build must reach, tokens/s (on --basis).")
@click.option("--max-ttft", type=_ABOVE_ZERO, metavar="SECONDS",
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
@click.option("--budget", type=_ZERO_OR_MORE, help="Most the build may cost.")
@click.option("--max-power", type=_ABOVE_ZERO, metavar="W",
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


with_version(cli)
