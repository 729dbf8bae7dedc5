"""`hwspec report --format html`: one self-contained page, findings first, SVG charts with size
and content, rendered by a real browser with nothing logged to its console."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT, SPECS, invoke

from hwspec.checker import Checker
from hwspec.output.report import render_report
from hwspec.views.report import build_report

CHECKER = Checker()
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
RIG = ROOT / "docs" / "examples" / "report-gpu-rig.toml"
"""A priced mixed GPU rig with targets: every chart and every summary answer has a figure."""
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


def test_the_summary_comes_first_then_findings_charts_and_the_bill() -> None:
    """The page answers before it explains: summary, findings, charts, bill, figures."""
    page = _html("epyc-dual.toml")
    order = [page.index(f"<section id={s}>") for s in ("summary", "findings", "budgets", "bill",
                                                        "figures", "workings")]
    assert order == sorted(order)


def test_the_summary_shows_each_answer_with_its_state() -> None:
    """Each answer is a card whose class is its state; a failed one links its rule."""
    page = render_report(build_report(CHECKER.check_file(RIG)), "html")
    states = re.findall(r'<div class="answer s-(\w+)" data-key="(\w+)">', page)
    assert states == [("error", "verdict"), ("ok", "fit"), ("ok", "decode"), ("ok", "prefill"),
                      ("error", "cost"), ("ok", "power")]
    assert ("budget 6,000 USD: 160 USD over; see <a href=\"https://github.com/hwspec/hwspec/"
            "blob/main/docs/rules.md#cst001\">CST001</a>") in page


def test_gpu_memory_is_drawn_per_card_against_its_own_vram() -> None:
    page = render_report(build_report(CHECKER.check_file(RIG)), "html")
    figure = page[page.index("<figcaption>GPU memory per card"):]
    figure = figure[:figure.index("</figure>")]
    labels = re.findall(r"<title>(GPU \d: [^<]*)</title>", figure)
    assert labels == ["GPU 1: NVIDIA GeForce RTX 3090", "GPU 2: NVIDIA GeForce RTX 3090",
                      "GPU 3: NVIDIA GeForce RTX 5090"]
    assert re.findall(r"of (\d+) GiB</text>", figure) == ["24", "24", "32"]


@pytest.mark.parametrize("spec", [RIG, SPECS / "epyc-dual.toml", SPECS / "dgx-spark.toml"])
def test_each_colour_class_a_chart_draws_is_in_its_legend(spec: Path) -> None:
    """Read from the markup: a chart's bars and lines use meaning classes its legend lists."""
    page = render_report(build_report(CHECKER.check_file(spec)), "html")
    for figure in re.findall(r"<figure>.*?</figure>", page):
        chart, legend = figure.split("<ul class=legend")
        drawn = set(re.findall(r'<(?:rect|line) class="m-([\w-]+)"', chart))
        keyed = set(re.findall(r'class="swatch m-([\w-]+)', legend))
        assert drawn != set(), figure[:120]
        assert drawn == keyed, figure[:120]


def test_every_meaning_has_its_own_colour_in_light_and_dark() -> None:
    """No two meanings share a colour, in either scheme, and the page switches with the
    reader's preference."""
    from hwspec.output.report_html import MEANINGS, STYLE

    light = [colour for _, colour, _ in MEANINGS.values()]
    dark = [colour for _, _, colour in MEANINGS.values()]
    assert len(set(light)) == len(light)
    assert len(set(dark)) == len(dark)
    assert "@media (prefers-color-scheme: dark)" in STYLE
    assert all(f"--{key}: {colour};" in STYLE for key, (_, _, colour) in MEANINGS.items())


def test_print_keeps_each_chart_with_its_caption() -> None:
    from hwspec.output.report_html import STYLE

    assert "@media print" in STYLE
    assert re.search(r"figure \{[^}]*break-inside: avoid", STYLE)


class _Balance(HTMLParser):
    """Every element but the void ones closed, in the order opened; ids used once."""

    VOID = frozenset({"meta", "br", "img", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


@pytest.mark.parametrize("spec", [RIG, *sorted(SPECS.glob("*.toml"))], ids=lambda p: p.stem)
def test_the_markup_is_balanced(spec: Path) -> None:
    """Each element is closed where it was opened, nothing is left open, and no id repeats."""
    checker = _Balance()
    checker.feed(render_report(build_report(CHECKER.check_file(spec)), "html"))
    checker.close()
    assert checker.errors == []
    assert checker.open == []
    assert len(checker.ids) == len(set(checker.ids))


def test_the_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke(["report", "--format", "html", "-o", str(out), str(SPECS / "am5.toml")])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_has_no_html_format() -> None:
    result = invoke(["diff", "--format", "html", str(SPECS / "am5.toml"),
                     str(SPECS / "am5.toml")])
    assert result.exit_code == 2



WIDTHS = {"phone": 390, "desktop": 1100}
CONSOLE_SPECS = ("epyc-dual.toml", "strix-halo.toml", "dgx-spark.toml")
"""Pages loaded as written (their content policy kept) in an 800-pixel frame, as a default
browser window is wide."""
LAYOUT_SPECS = {"epyc-dual": SPECS / "epyc-dual.toml", "gpu-rig": RIG,
                "strix-halo": SPECS / "strix-halo.toml",
                "hybrid": SPECS / "hybrid-n-cpu-moe.toml"}

MEASURE = """<script>
addEventListener('load', () => {
  const out = {};
  for (const frame of document.querySelectorAll('iframe')) {
    const d = frame.contentDocument, w = frame.contentWindow;
    const colour = e => { const s = w.getComputedStyle(e);
                          return e.tagName.toLowerCase() === 'line' ? s.stroke : s.fill; };
    const top = id => { const e = d.getElementById(id);
                        return e ? e.getBoundingClientRect().top : null; };
    const figures = [...d.querySelectorAll('figure')].map(fig => {
      const svg = fig.querySelector('svg'), r = svg.getBoundingClientRect();
      return {caption: fig.querySelector('figcaption').textContent, width: r.width,
              height: r.height, rects: svg.querySelectorAll('rect').length,
              texts: svg.querySelectorAll('text').length,
              used: [...svg.querySelectorAll('rect, line')].map(colour),
              overlaps: (() => {
                const boxes = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect());
                const hit = [];
                boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, j) => {
                  if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
                      && b.top < a.bottom - 1) hit.push([i, i + 1 + j]); }));
                return hit; })(),
              outside: [...svg.querySelectorAll('text')].filter(t => {
                const b = t.getBoundingClientRect();
                return b.left < r.left - 1 || b.right > r.right + 1; }).map(t => t.textContent),
              legend: [...fig.querySelectorAll('.legend li')].map(li => [
                w.getComputedStyle(li.querySelector('.swatch')).backgroundColor,
                li.textContent])};
    });
    const body = w.getComputedStyle(d.body);
    out[frame.id] = {viewport: w.innerWidth, scroll: d.documentElement.scrollWidth, figures,
                     text: d.body.clientWidth - parseFloat(body.paddingLeft)
                           - parseFloat(body.paddingRight),
                     summary: top('summary'), findings: top('findings')};
  }
  document.body.dataset.layout = JSON.stringify(out);
});
</script>"""
"""Measures each framed page once it has loaded: its scroll width against its viewport, each
chart's box, the colours drawn in it and its legend's, and where the summary and findings are."""


def _frame(frame_id: str, page: str, width: int) -> str:
    return (f'<iframe id="{frame_id}" width="{width}" height="6000" style="border:0" '
            f'srcdoc="{html.escape(page, quote=True)}"></iframe>')


@pytest.fixture(scope="module")
def browser_run(tmp_path_factory: pytest.TempPathFactory,
                ) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """One headless Chromium run over every page this module measures, each in a frame: the
    console-checked pages as written (content policy kept), the layout pages at phone and
    desktop width; the run's output and each frame's measurements by frame id."""
    frames = [_frame(f"console:{spec}", _html(spec), 800) for spec in CONSOLE_SPECS]
    for name, spec in LAYOUT_SPECS.items():
        page = render_report(build_report(CHECKER.check_file(spec)), "html")
        frames += [_frame(f"{name}:{width}", page, pixels) for width, pixels in WIDTHS.items()]
    harness = tmp_path_factory.mktemp("browser") / "pages.html"
    harness.write_text("<!DOCTYPE html><html><head><meta charset=utf-8></head><body>"
                       + "".join(frames) + MEASURE + "</body></html>", encoding="utf-8")
    done = _browser(harness, "--hide-scrollbars")
    found = re.search(r'data-layout="([^"]*)"', done.stdout)
    assert found is not None, (done.stdout[-2000:], done.stderr[-2000:])
    return done, json.loads(html.unescape(found.group(1)))


def _browser(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                           "--enable-logging=stderr", "--v=0", *extra, "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120,
                          check=False)


needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("HWSPEC_REQUIRE_BROWSER"),
    reason="needs Chromium (apt-get install chromium); CI requires it")


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("spec", CONSOLE_SPECS)
def test_a_browser_renders_the_charts_with_nothing_on_its_console(
        spec: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """Headless Chromium loads the page as written and logs nothing to its console (a blocked
    load or a broken element would be logged); measured in the page, each chart has its drawn
    size and the bars and labels in it."""
    done, layout = browser_run
    assert done.returncode == 0, done.stderr[-2000:]
    assert [line for line in done.stderr.splitlines() if ":CONSOLE" in line] == []
    charts = [(f["width"], f["height"], f["rects"], f["texts"])
              for f in layout[f"console:{spec}"]["figures"]]
    assert len(charts) >= 3
    assert all(width >= 700 and height >= 30 and rects >= 1 and texts >= 1
               for width, height, rects, texts in charts), charts


LAYOUT_FRAMES = [f"{name}:{width}" for name in LAYOUT_SPECS for width in WIDTHS]


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_the_page_never_scrolls_sideways(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """At a phone's 390 pixels as at a desktop's width, the page is no wider than the screen:
    tables scroll in their own box and charts fit the width."""
    measured = browser_run[1][frame]
    assert measured["scroll"] <= measured["viewport"], measured["scroll"]


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_every_chart_is_visible(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """Each chart is drawn in a box of its own, as wide as the page's text, with bars in it."""
    measured = browser_run[1][frame]
    empty = [f["caption"] for f in measured["figures"]
             if not (abs(f["width"] - measured["text"]) < 1 and f["height"] > 30
                     and f["rects"] >= 1)]
    assert measured["figures"] != []
    assert empty == []


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_a_charts_labels_neither_overlap_nor_leave_it(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """Each label and note of a chart is whole and apart from the others, at any width."""
    figures = browser_run[1][frame]["figures"]
    assert {f["caption"]: f["overlaps"] for f in figures if f["overlaps"]} == {}
    assert {f["caption"]: f["outside"] for f in figures if f["outside"]} == {}


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_every_colour_in_a_chart_has_a_legend_entry_beside_it(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """Every colour a chart draws, as the browser computes it, is a swatch of that chart's
    legend."""
    missing = {f["caption"]: sorted(set(f["used"]) - {c for c, _ in f["legend"]})
               for f in browser_run[1][frame]["figures"]}
    assert {caption: colours for caption, colours in missing.items() if colours} == {}


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_a_colour_means_one_thing_on_the_whole_page(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """No two legends on a page give one colour different names, nor one name two colours."""
    pairs = {(colour, label) for f in browser_run[1][frame]["figures"]
             for colour, label in f["legend"]}
    by_colour: dict[str, set[str]] = {}
    by_label: dict[str, set[str]] = {}
    for colour, label in pairs:
        by_colour.setdefault(colour, set()).add(label)
        by_label.setdefault(label, set()).add(colour)
    assert {c: n for c, n in by_colour.items() if len(n) > 1} == {}
    assert {n: c for n, c in by_label.items() if len(c) > 1} == {}


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("frame", LAYOUT_FRAMES)
def test_the_summary_is_above_the_findings(
        frame: str, browser_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    """The reader meets the answers before the findings, on a phone as on a desktop."""
    measured = browser_run[1][frame]
    assert measured["summary"] is not None
    assert measured["findings"] is not None
    assert measured["summary"] < measured["findings"]
