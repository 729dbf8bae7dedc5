"""Law: every command and every format renders every spec that loads, whatever optional tables
and fields it leaves out (validate in each format, report and diff in each format, fit)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from tests.strategies import sparse_spec_data, spec_text

from hwspec.checker import Checker
from hwspec.output import FORMATS, RenderOptions, reporter
from hwspec.output.fit import FIT_FORMATS, render_fit
from hwspec.output.report import DIFF_FORMATS, REPORT_FORMATS, render_diff, render_report
from hwspec.search.fit import answer
from hwspec.views.report import build_report, diff_reports

CHECKER = Checker()
SEED = CHECKER.check_text('[build]\nname = "Only a name"\n', path="name-only.toml")


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_spec_data())
def test_validate_report_and_diff_render_any_spec(data: dict[str, object]) -> None:
    """Each validate format, each report format and each diff format gives output for it."""
    checked = CHECKER.check_text(spec_text(data), path="spec.toml")
    assert checked.spec is not None, checked.findings
    for fmt in FORMATS:
        for show_facts in (True, False):
            assert reporter(fmt)([checked], RenderOptions(show_facts=show_facts)).strip()
    built = build_report(checked)
    for fmt in REPORT_FORMATS:
        assert render_report(built, fmt).strip()
    for fmt in DIFF_FORMATS:
        for old, new in ((SEED, checked), (checked, SEED), (checked, checked)):
            assert render_diff(diff_reports(old, new), fmt).strip()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_spec_data())
def test_fit_renders_any_spec(data: dict[str, object]) -> None:
    """fit answers and renders, as text and JSON, for any spec that loads."""
    checked = CHECKER.check_text(spec_text(data), path="spec.toml")
    assert checked.spec is not None
    result = answer(checked, CHECKER)
    for fmt in FIT_FORMATS:
        assert render_fit("spec.toml", result, fmt).strip()
