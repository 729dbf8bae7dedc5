"""Coverage-guided fuzzing of spec loading and checking with atheris (not run in CI).

Each input is the bytes of a spec file. ``TestOneInput`` runs them through the same steps as
``hwspec validate`` (decode, parse, structure, resolve, derive, check) and raises when a law is
broken; see fuzz/README.md for how to run it and what counts as a crash. The function needs
nothing but hwspec, so the test suite runs it on a few inputs without atheris installed.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hwspec.checker import Checker
    from hwspec.findings import Finding

RULE_ID = re.compile(r"[A-Z]{2,8}[0-9]{3}")
SEVERITIES = frozenset({"error", "warning", "info"})
LOAD_RULES = frozenset({"SPEC001", "SPEC002"})

_checker: list[Checker] = []


class LawError(AssertionError):
    """A finding or report that breaks one of the laws hostile input must keep."""


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris and libFuzzer expect
    """Check one input as ``hwspec validate`` checks a file's bytes; raise if a law is broken."""
    from hwspec.findings import Finding
    from hwspec.spec.load import decode_spec

    text = decode_spec(data)
    if isinstance(text, Finding):
        check_finding(text)
        if text.rule != "SPEC001":
            raise LawError(f"an undecodable file must be SPEC001, got {text}")
        return
    report = checker().check_text(text, path="fuzz.toml")
    for finding in report.findings:
        check_finding(finding)
    if report.spec is None:
        if not report.findings:
            raise LawError("a spec that does not load must say why")
        if any(f.rule not in LOAD_RULES or f.severity != "error" for f in report.findings):
            raise LawError(f"a spec that does not load has only SPEC001/SPEC002 errors: "
                            f"{report.findings}")
    elif any(f.rule == "SPEC001" for f in report.findings):
        raise LawError(f"a spec that loaded cannot have a syntax finding: {report.findings}")


def check_finding(finding: Finding) -> None:
    """Raise unless the finding has the one shape every finding takes."""
    if not RULE_ID.fullmatch(finding.rule):
        raise LawError(f"rule id {finding.rule!r} is not letters and three digits")
    if finding.severity not in SEVERITIES:
        raise LawError(f"severity {finding.severity!r} is not one of {sorted(SEVERITIES)}")
    if not finding.message.strip():
        raise LawError(f"finding {finding.rule} has no message")
    for position in (finding.line, finding.column):
        if position is not None and position < 1:
            raise LawError(f"finding {finding.rule} has a position below 1: {finding}")


def checker() -> Checker:
    """The one checker, built on first use (after atheris has instrumented the imports)."""
    if not _checker:
        from hwspec.checker import Checker

        _checker.append(Checker())
    return _checker[0]


def main() -> None:
    """Run libFuzzer on ``TestOneInput``; the command line takes libFuzzer's options."""
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["hwspec", "tomllib", "cattrs"]):
        pass

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
