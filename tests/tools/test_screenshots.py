"""docs/report.md's screenshots: they exist, are small PNGs of the right widths, and the tool
that regenerates them reads its options and refuses what it cannot do, with no browser run
(the page it draws is checked in a browser by tests/output/test_report_html.py)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from tests.conftest import ROOT

from hwspec.tools import screenshots
from hwspec.tools.screenshots import SHOTS, browser_command, main, parse

IMAGES = ROOT / "docs" / "images"


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_each_screenshot_is_a_small_png_of_its_width(name: str) -> None:
    """The picture docs/report.md shows, taken at its window's width and kept under 300 KB."""
    shot = SHOTS[name]
    path = IMAGES / shot.file
    assert _png_size(path) == (shot.width, shot.height)
    assert path.stat().st_size < 300_000


def test_docs_show_both_screenshots() -> None:
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    assert all(f"(images/{shot.file})" in text for shot in SHOTS.values())


def test_the_defaults_draw_both_from_the_example_rig() -> None:
    options = parse([])
    assert (options.spec, options.out, options.width) == (
        Path("docs/examples/report-gpu-rig.toml"), Path("docs/images"), None)
    assert (ROOT / options.spec).is_file()


def test_width_takes_one_picture_at_a_time() -> None:
    assert parse(["--width", "phone", "--width", "desktop"]).width == ["phone", "desktop"]


def test_an_unknown_width_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(["--width", "tablet"])
    assert exited.value.code == 2
    assert "invalid choice: 'tablet'" in capsys.readouterr().err


def test_no_browser_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(screenshots, "find_browser", lambda: None)
    assert main([]) == 2
    assert "Chromium is not on the PATH" in capsys.readouterr().err


def test_a_missing_spec_is_a_usage_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--browser", "chromium", "--spec", str(tmp_path / "none.toml"),
                 "--out", str(tmp_path)]) == 2
    assert "none.toml: no such spec file" in capsys.readouterr().err


def test_the_browser_draws_in_a_window_of_the_shots_size(tmp_path: Path) -> None:
    """Headless, at one device pixel per CSS pixel, into the named file."""
    command = browser_command("chromium", tmp_path / "r.html", SHOTS["phone"], tmp_path / "p.png")
    assert command[0] == "chromium"
    assert "--window-size=390,1900" in command
    assert "--force-device-scale-factor=1" in command
    assert f"--screenshot={tmp_path / 'p.png'}" in command
    assert command[-1] == (tmp_path / "r.html").as_uri()


@pytest.mark.slow
@pytest.mark.skipif(screenshots.find_browser() is None
                    and not os.environ.get("HWSPEC_REQUIRE_BROWSER"),
                    reason="needs Chromium (apt-get install chromium); CI requires it")
def test_the_tool_draws_a_picture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One picture, the phone's, drawn by the browser from the example rig."""
    assert main(["--width", "phone", "--spec", str(ROOT / "docs" / "examples"
                                                   / "report-gpu-rig.toml"),
                 "--out", str(tmp_path)]) == 0
    assert _png_size(tmp_path / "report-phone.png") == (390, 1900)
    assert capsys.readouterr().out == f"wrote {tmp_path / 'report-phone.png'}\n"
