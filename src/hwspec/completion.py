"""Shell completion of the ids the command line takes: rule ids and names, catalog part ids,
model ids, platforms, GPUs and precisions.

Click completes options and file paths itself (``eval "$(_HWSPEC_COMPLETE=bash_source
hwspec)"``, README "Shell completion"); these callbacks add the values only hwspec knows. Each
reads the built-in catalog or rule packs when the shell asks, never when a command runs, so
they cost the hook nothing. Ids complete by prefix, case-insensitively, each with its name as
the help a shell shows beside it (zsh, fish).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # click.shell_completion loads only when a shell asks: the hook never does
    import click
    from click.shell_completion import CompletionItem


def _matching(pairs: Iterable[tuple[str, str]], incomplete: str) -> list[CompletionItem]:
    """The (value, help) pairs whose value starts with ``incomplete``, in the given order, each
    value once."""
    from click.shell_completion import CompletionItem

    start = incomplete.lower()
    seen: set[str] = set()
    items: list[CompletionItem] = []
    for value, help_text in pairs:
        if value.lower().startswith(start) and value not in seen:
            seen.add(value)
            items.append(CompletionItem(value, help=help_text or None))
    return items


def _catalog_pairs(kind: str | None) -> list[tuple[str, str]]:
    """(id, name) of every built-in catalog entry of one kind (every kind for None)."""
    from hwspec.catalog import builtin_catalog

    return [(e.id, str(e.fields.get("name", ""))) for e in builtin_catalog().entries(kind)]


def rule_ids(_ctx: click.Context, _param: click.Parameter,
             incomplete: str) -> list[CompletionItem]:
    """Spec codes, then built-in rule ids, then rule names: what ``explain``, ``--select`` and
    ``--ignore`` take."""
    from hwspec.engine.packs import builtin_packs
    from hwspec.findings import SPEC_CODES

    rules = [r for pack in builtin_packs() for r in pack.rules]
    pairs = [*((c.id, c.name) for c in SPEC_CODES), *((r.id, r.summary) for r in rules),
             *((r.name, r.id) for r in rules)]
    return _matching(pairs, incomplete)


def model_ids(_ctx: click.Context, _param: click.Parameter,
              incomplete: str) -> list[CompletionItem]:
    """The catalog's model ids."""
    return _matching(_catalog_pairs("model"), incomplete)


def platform_ids(_ctx: click.Context, _param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
    """The catalog's platform ids."""
    return _matching(_catalog_pairs("platform"), incomplete)


def gpu_choices(_ctx: click.Context, _param: click.Parameter,
                incomplete: str) -> list[CompletionItem]:
    """``none``, ``any`` and the catalog's GPU ids: what ``plan --gpus`` takes."""
    pairs = [("none", "CPU-only builds"), ("any", "any catalog GPU"), *_catalog_pairs("gpu")]
    return _matching(pairs, incomplete)


def precisions(_ctx: click.Context, _param: click.Parameter,
               incomplete: str) -> list[CompletionItem]:
    """The canonical precision names (a GGUF spelling such as ``Q4_K_M`` is accepted too)."""
    from hwspec.spec.vocab import PRECISIONS

    return _matching(((p, "") for p in PRECISIONS), incomplete)


def parts_words(ctx: click.Context, _param: click.Parameter,
                incomplete: str) -> list[CompletionItem]:
    """``parts``' words: ``list``, ``show`` or a kind first; a kind after ``list``; any part id
    after ``show``."""
    from hwspec.catalog import KINDS

    given = tuple(ctx.params.get("words") or ())
    if given[:1] == ("show",):
        return _matching(_catalog_pairs(None), incomplete) if len(given) == 1 else []
    if given == ("list",):
        return _matching(((k, "") for k in KINDS), incomplete)
    if given:
        return []
    return _matching([("list", "list a kind's entries"), ("show", "every field of one entry"),
                      *((k, "") for k in KINDS)], incomplete)
