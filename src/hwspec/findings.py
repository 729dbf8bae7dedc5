"""The one shape every problem takes, from a TOML syntax error to a failed rule: ``Finding``,
its ``Severity``, key paths, the one did-you-mean, and the records of the spec codes
(SPEC001-SPEC004), which the loader, resolver and checker report about the spec file itself."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from attrs import field, frozen


class Severity(enum.StrEnum):
    """How much a finding matters. A ``str``, so ``finding.severity == "error"`` holds and JSON
    writes the plain word."""

    ERROR = "error"
    """The build does not work as specified: exit 1."""
    WARNING = "warning"
    """Worth a look; fails only with ``--strict``."""
    INFO = "info"
    """A note, never a failure."""


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

Path = tuple[str | int, ...]
"""A key path into a spec: ``("memory", 0, "kind")``."""


BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
"""A key TOML reads without quotes: ``memory``, ``max_mts_1dpc`` (the key scanner of
``spec.locate`` reads them with it too)."""
_PATH_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|([^."\[\]]+)|\[(\d+)\]')


def format_path(path: Path) -> str:
    """Write a key path the way a person reads it: ``memory[0].kind``.

    A key that TOML would not accept bare (empty, or with a dot, space or quote) is quoted as
    TOML quotes it: ``checks.params."a.b"``.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        if BARE_KEY.fullmatch(part):
            key = part
        else:  # rare: json (its import) only when a key needs quoting
            import json

            key = json.dumps(part, ensure_ascii=False)
        out += f".{key}" if out else key
    return out


def parse_path(text: str) -> Path:
    """Read a key path written by ``format_path`` back: ``memory[0].kind`` gives
    ``("memory", 0, "kind")``."""
    path: list[str | int] = []
    for quoted, bare, index in _PATH_PART.findall(text):
        if index:
            path.append(int(index))
        elif bare:
            path.append(bare)
        else:
            import json

            path.append(json.loads(f'"{quoted}"'))
    return tuple(path)


@frozen(order=False)
class Finding:
    """One thing wrong (or worth a look) in one spec file.

    ``path`` is the spec key it blames (``memory[0].kind``, or ``""`` for the whole file);
    ``line`` and ``column`` are 1-based positions of that key in the TOML text, where known.
    """

    rule: str
    severity: Severity = field(converter=Severity)
    message: str = field()
    name: str = ""
    hint: str = ""
    path: str = ""
    line: int | None = None
    column: int | None = None

    def sort_key(self) -> tuple[int, int, str, str, str]:
        """Order findings by line, column, rule id, path and message, so output is deterministic."""
        return (self.line or 0, self.column or 0, self.rule, self.path, self.message)


def closest(word: str, candidates: Iterable[object], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The candidates (strings among them) that look most like ``word``, best first. One that
    differs from ``word`` only in case is the answer alone (``DeepSeek-R1`` is
    ``deepseek-r1``, not also its near namesakes)."""
    import difflib

    words = [c for c in candidates if isinstance(c, str)]
    same = [c for c in words if c.casefold() == word.casefold() and c != word]
    if same:
        return same[:n]
    return difflib.get_close_matches(word, words, n=n, cutoff=cutoff)


def did_you_mean(word: str, candidates: Iterable[object], n: int = 1,
                 cutoff: float = 0.6) -> str:
    """A '; did you mean ...?' suffix naming the closest candidate (or the ``n`` closest), or ''
    when none is close: every suggestion hwspec makes reads this way.

    >>> did_you_mean("capacity_gb", ["capacity_gib", "speed_mts"])
    "; did you mean 'capacity_gib'?"
    """
    return suggestion(closest(word, candidates, n=n, cutoff=cutoff))


def suggestion(close: Iterable[str]) -> str:
    """The did-you-mean suffix for candidates already chosen (a catalog's closest ids, a word
    that differs only in case): '; did you mean 'a' or 'b'?', or '' for none."""
    names = [repr(c) for c in close]
    return f"; did you mean {' or '.join(names)}?" if names else ""


@frozen
class SpecCode:
    """A finding hwspec reports about the spec file itself rather than the build: it is not a
    rule in a pack, but ``explain``, ``rules``, the docs and SARIF describe it as one."""

    id: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    hint: str
    ignorable: bool = False
    """Whether ``--ignore``, ``[checks] ignore`` and a severity override may reach it. A spec
    that does not parse, has the wrong structure or names a part that does not exist cannot be
    checked as written, so only SPEC004 may be."""

    def finding(self, message: str, *, path: str = "", hint: str = "", line: int | None = None,
                column: int | None = None) -> Finding:
        """A finding of this code, with its id, severity and name: the one way the loader,
        resolver and checker report a problem with the spec file itself."""
        return Finding(self.id, self.severity, message, name=self.name, hint=hint, path=path,
                       line=line, column=column)


SPEC_CODES: tuple[SpecCode, ...] = (
    SpecCode(
        "SPEC001", "toml-syntax", ERROR,
        "The file is TOML that parses, in UTF-8.",
        "A file that does not parse cannot be checked at all: the finding gives the line and "
        "column the TOML parser stopped at. A file that is not UTF-8 text, is larger than the "
        "size limit, or is not a regular file (a pipe, a device) is reported the same way; "
        "docs/robustness.md lists the limits.",
        "Fix the TOML at the line given; `hwspec init` writes a spec that parses."),
    SpecCode(
        "SPEC002", "spec-structure", ERROR,
        "The spec has the structure the format asks for: known keys, right types, valid values.",
        "A wrong type (\"2\" where a number belongs), a missing required key, an unknown key "
        "(with a did-you-mean), a zero, negative, NaN or infinite count, capacity, speed or "
        "price, a module kind or precision that does not exist, an unknown rule parameter, or a "
        "value beyond any real part (docs/schema.md lists the plausibility limits). The finding "
        "names the key path and its line.",
        "See docs/spec-format.md for the key and its type; `hwspec schema` gives an editor "
        "completion and hover text."),
    SpecCode(
        "SPEC003", "unknown-part", ERROR,
        "Every part, platform and model id names a catalog entry.",
        "A part id the catalog does not have leaves every figure of that part unknown, so the "
        "finding names the closest ids. A team's own parts go in a catalog file "
        "(`--catalog`, or `catalog` in the configuration).",
        "Pick an id from `hwspec parts KIND`, or add the part to a team catalog."),
    SpecCode(
        "SPEC004", "unused-ignore", WARNING,
        "Every ignore in [checks] silences a finding.",
        "An ignore that silences nothing hides the next real finding of that rule: the build "
        "changed, or the rule was fixed, and the ignore outlived its reason.",
        "Remove the ignore: the rule passes (or does not apply) on this spec.",
        ignorable=True),
    SpecCode(
        "SPEC005", "internal-error", ERROR,
        "hwspec checks the file without failing itself.",
        "An unexpected error inside hwspec (a bug) while it loaded, resolved, derived, checked "
        "or rendered this file. The finding names the stage, the error's type and its message; "
        "the file is reported as failed (exit 1) and every other file is still checked and "
        "reported.",
        "Report it at https://github.com/hwspec/hwspec/issues with the file (or the smallest "
        "part of it that still fails)."),
)
"""The spec codes, in id order."""

SPEC_CODE_BY_ID = {code.id: code for code in SPEC_CODES}

TOML_SYNTAX, SPEC_STRUCTURE, UNKNOWN_PART, UNUSED_IGNORE, INTERNAL_ERROR = SPEC_CODES
"""The spec codes by what they report, for the stages that report them."""

REPOSITORY = "https://github.com/hwspec/hwspec"
RULES_DOC = f"{REPOSITORY}/blob/main/docs/rules.md"
"""Each built-in rule and spec code has a section here, anchored by its lower-case id."""


def rule_section(rule_id: str) -> str:
    """The address of a built-in rule's or spec code's section of docs/rules.md."""
    return f"{RULES_DOC}#{rule_id.lower()}"
