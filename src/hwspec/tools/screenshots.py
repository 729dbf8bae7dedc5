"""Regenerate docs/report.md's screenshots of the HTML report, at desktop and phone width.

``python -m hwspec.tools.screenshots`` checks a spec (docs/examples/report-gpu-rig.toml by
default), renders its HTML report and has headless Chromium draw the top of the page at each
width into a PNG under docs/images/ (``report-desktop.png``, ``report-phone.png``)::

    python -m hwspec.tools.screenshots                       # both, from the example rig
    python -m hwspec.tools.screenshots --width phone         # one of them
    python -m hwspec.tools.screenshots --spec specs/epyc-dual.toml --out /tmp/shots

Chromium is looked up as ``chromium`` or ``chromium-browser`` on the PATH, or given with
``--browser``. Exit 0 when every picture was written, 2 on a usage error (no browser, a spec
that does not exist).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

ROOT = Path(__file__).resolve().parents[3]
"""The repository's root, where docs/ is (in a checkout)."""


@frozen
class Shot:
    """One picture: its name, the window it is taken in (CSS pixels) and its file."""

    name: str
    width: int
    height: int
    file: str


SHOTS: dict[str, Shot] = {
    "desktop": Shot("desktop", 1100, 1500, "report-desktop.png"),
    "phone": Shot("phone", 390, 1900, "report-phone.png"),
}
"""The pictures docs/report.md shows: the top of the page, a desktop's and a phone's width."""

SPEC = Path("docs/examples/report-gpu-rig.toml")
OUT = Path("docs/images")


def find_browser() -> str | None:
    """Chromium on the PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_command(browser: str, page: Path, shot: Shot, out: Path) -> list[str]:
    """The command that draws ``page`` in a ``shot``-sized window into ``out``."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--force-device-scale-factor=1", "--force-color-profile=srgb",
            f"--window-size={shot.width},{shot.height}", f"--screenshot={out}", page.as_uri()]


def report_page(spec: Path) -> str:
    """The HTML report of ``spec``, checked as ``hwspec report`` checks it."""
    from hwspec.checker import Checker
    from hwspec.output.report import render_report
    from hwspec.views.report import build_report

    return render_report(build_report(Checker().check_file(spec)), "html")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's options (argparse exits 2 on a bad one)."""
    parser = argparse.ArgumentParser(
        prog="python -m hwspec.tools.screenshots",
        description="Draw the HTML report at desktop and phone width into PNG files.")
    parser.add_argument("--spec", type=Path, default=SPEC, help=f"the spec (default {SPEC})")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the folder (default {OUT})")
    parser.add_argument("--width", choices=sorted(SHOTS), action="append",
                        help="a picture to take (default: all)")
    parser.add_argument("--browser", help="Chromium's executable (default: found on the PATH)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Take the pictures; 0 when each was written, 2 on a usage error."""
    options = parse(argv)
    browser = options.browser or find_browser()
    if browser is None:
        print("error: Chromium is not on the PATH (apt-get install chromium), or give "
              "--browser", file=sys.stderr)
        return 2
    if not options.spec.is_file():
        print(f"error: {options.spec}: no such spec file", file=sys.stderr)
        return 2
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_page(options.spec), encoding="utf-8")
        for name in options.width or sorted(SHOTS):
            shot = SHOTS[name]
            out = (options.out / shot.file).resolve()
            done = subprocess.run(browser_command(browser, page, shot, out),
                                  capture_output=True, text=True, timeout=120, check=False)
            if done.returncode != 0 or not out.is_file():
                print(f"error: {browser} did not draw {out}: {done.stderr[-500:]}",
                      file=sys.stderr)
                return 1
            print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
