"""The tracking page in headless Chromium, as the briefing is checked (test_print_onepage):
it prints, its Chinese (the table's and the charts' own text) comes out as text with embedded
fonts, and a screenshot of it is not blank."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from summarizer.track.run import run_track
from tests.test_print_onepage import CHROMIUM_FLAGS, _run, _tool, print_pdf

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data" / "tracking"


def screenshot(html: Path, png: Path, width: int = 1000, height: int = 2600) -> Path:
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return png


def test_tracking_page_prints_with_its_charts_text_and_fonts(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(DATA.glob("national_guowuyuan_*.txt")):
        shutil.copy(path, folder)
    run = run_track(folder, tmp_path / "out")
    html = tmp_path / "out" / "tracking_national_guowuyuan.html"
    assert html in run.files
    pdf = print_pdf(html)
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+\w+\s+yes\b", f) for f in fonts), fonts
    text = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    assert "国务院·目标与实际" in text and "2015年目标" in text
    # a chart's own axis label (变化（%）, vertical: extracted in either order): the SVG's CJK
    # text was drawn as text, in an embedded font
    assert re.search("变化|化变", text)
    assert "6.9" in text and "2016" in text

    from PIL import Image

    png = screenshot(html, tmp_path / "page.png")
    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # not a blank page
