"""`hwspec report --format html`: one self-contained page, findings first, SVG charts with size
and content, rendered by a real browser with nothing logged to its console."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import SPECS, invoke

from hwspec.checker import Checker
from hwspec.output.report import render_report
from hwspec.views.report import build_report

CHECKER = Checker()
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
CHARTS = ("Memory budget per device", "Memory bandwidth per socket", "Power budget",
          "Cost by line of the bill", "Decode speed")


def _html(spec: str) -> str:
    return render_report(build_report(CHECKER.check_file(SPECS / spec)), "html")


def test_the_page_loads_nothing_from_elsewhere() -> None:
    """No script, stylesheet, image or font comes from outside the file; links to the rules'
    docs are links a reader follows, not loads."""
    page = _html("epyc-dual.toml")
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import", page)
    assert "default-src 'none'" in page


def test_findings_come_first_with_hints_and_rule_links() -> None:
    page = _html("epyc-dual.toml")
    assert page.index("<h2>Findings</h2>") < page.index("<h2>Budgets</h2>")
    assert ('<a href="https://github.com/hwspec/hwspec/blob/main/docs/rules.md#mem001">MEM001'
            "</a>") in page
    assert "<div class=hint>Choose modules of a kind the platform lists" in page


def test_each_chart_is_drawn_for_the_seed() -> None:
    page = _html("epyc-dual.toml")
    assert [c for c in CHARTS if f"<figcaption>{c}" not in page] == []
    assert "target 5 tokens/s" in page
    assert "limit 80% = 960 W" in page


def test_spec_text_is_escaped(tmp_path: Path) -> None:
    """A build name with markup stays text: no element of the spec's making."""
    text = (SPECS / "am5.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^name = ".*"$', 'name = "<img src=x onerror=alert(1)>"', text, count=1)
    page = render_report(build_report(CHECKER.check_text(text)), "html")
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.toml")))
def test_every_spec_renders(spec: str) -> None:
    page = _html(spec)
    assert page.startswith("<!DOCTYPE html>")
    assert page.endswith("</html>\n")


def test_the_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke(["report", "--format", "html", "-o", str(out), str(SPECS / "am5.toml")])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_has_no_html_format() -> None:
    result = invoke(["diff", "--format", "html", str(SPECS / "am5.toml"),
                     str(SPECS / "am5.toml")])
    assert result.exit_code == 2


MEASURE = ("<script>document.body.dataset.charts = JSON.stringify([...document.querySelectorAll("
           "'svg')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height, "
           "s.querySelectorAll('rect').length, s.querySelectorAll('text').length]; }));"
           "</script></body>")


def _browser(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                           "--enable-logging=stderr", "--v=0", *extra, "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None and not os.environ.get("HWSPEC_REQUIRE_BROWSER"),
                    reason="needs Chromium (apt-get install chromium); CI requires it")
@pytest.mark.parametrize("spec", ["epyc-dual.toml", "strix-halo.toml", "dgx-spark.toml"])
def test_a_browser_renders_the_charts_with_nothing_on_its_console(spec: str,
                                                                  tmp_path: Path) -> None:
    """Headless Chromium loads the page as written and logs nothing to its console (a blocked
    load or a broken element would be logged); a copy with a measuring script (and without the
    policy that blocks scripts) reports each chart's drawn size and the bars and labels in it."""
    page = tmp_path / "report.html"
    html = _html(spec)
    page.write_text(html, encoding="utf-8")
    plain = _browser(page)
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert [line for line in plain.stderr.splitlines() if ":CONSOLE" in line] == []
    measured = tmp_path / "measured.html"
    measured.write_text(re.sub(r"<meta http-equiv=Content-Security-Policy[^>]*>", "",
                               html).replace("</body>", MEASURE), encoding="utf-8")
    dom = _browser(measured).stdout
    found = re.search(r'data-charts="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    charts = json.loads(found.group(1).replace("&quot;", '"'))
    assert len(charts) >= 3
    assert all(width >= 700 and height >= 30 and rects >= 1 and texts >= 1
               for width, height, rects, texts in charts), charts
