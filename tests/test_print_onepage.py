"""The one-page promise: each briefing prints on exactly one A4 page, with nothing cut off.

Prints with headless Chromium (Debian packages chromium, fonts-noto-cjk, poppler-utils;
scripts/test.sh installs them when missing) and reads the PDF back with poppler:
- pdfinfo: exactly one page, A4;
- fc-list/pdffonts: a Chinese font is installed and every PDF font is embedded with a
  Unicode map (and the extracted text holds the Chinese heading and items);
- pdftotext: the last item of every section and the footer are on the page. The page has a
  CSS overflow cap as a safety net, and Chromium leaves clipped text out of the PDF, so the
  footer (the last element) being there proves nothing above it was cut.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from summarizer.models import Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from summarizer.render.briefing import build_briefing
from summarizer.render.outputs import write_report_outputs
from tests.conftest import SAMPLES, SEEDS
from tests.render_fixtures import dense_summary

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        f"{names[0]} not found: run scripts/test.sh (installs chromium, fonts-noto-cjk and "
        "poppler-utils) or apt-get install them"
    )


def print_pdf(html: Path) -> Path:
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    pdf = html.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert pdf.exists() and pdf.stat().st_size > 1000, f"chromium wrote no PDF for {html}"
    return pdf


def _run(tool: str, *args: str) -> str:
    return subprocess.run(
        [_tool(tool), *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def assert_prints_on_one_page(summary: Summary, text: str, outdir: Path) -> None:
    write_report_outputs(summary, text, outdir)
    pdf = print_pdf(outdir / f"{summary.report.id}.html")
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+1$", info, flags=re.M), info
    assert re.search(r"Page size:.*\(A4\)", info), info
    # Chinese glyphs: a Chinese font is installed, and every font in the PDF is embedded with
    # a Unicode map (Skia embeds the CJK OpenType fonts as Type 3, so their names are gone).
    assert _run("fc-list", ":lang=zh", "family").strip(), "no Chinese font installed"
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+\w+\s+yes\b", f) for f in fonts), fonts
    page = _squash(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    b = build_briefing(summary)
    expected = [b.heading, "summarizer一页简报"]  # the first and the last thing on the page
    for rows in (b.metrics, b.five_years):
        if rows:
            expected.append(rows[-1].name)
    for key in ("achievements", "problems", "plans"):
        items = getattr(b, key)
        if items:
            expected.append(items[-1].line_title.rstrip("…"))
    for snippet in expected:
        assert _squash(snippet)[:24] in page, f"{snippet!r} missing from the printed page"


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_briefing_prints_on_one_a4_page(seed: str, tmp_path: Path) -> None:
    path = SEEDS / seed
    assert_prints_on_one_page(summarize(path), read_report(path).text, tmp_path)


def test_dense_report_prints_on_one_a4_page(tmp_path: Path) -> None:
    # 40 metrics with long names and 8 five-year ones, 24 achievements, 14 long problems,
    # 15 plans, a long id.
    summary, text = dense_summary(n_problems=14, n_plans=15, five_years=8)
    assert summary.metrics[-1].span == "multi_year"
    assert_prints_on_one_page(summary, text, tmp_path)


@pytest.mark.parametrize("name", ["guangdong", "hebei", "hainan"])
def test_province_briefing_prints_on_one_a4_page(name: str, tmp_path: Path) -> None:
    # the year's figures with their targets, and the five-year figures apart
    path = SAMPLES / f"p26_{name}.txt"
    summary = summarize(path)
    assert build_briefing(summary).five_years
    assert_prints_on_one_page(summary, read_report(path).text, tmp_path)


def test_index_sorts_by_a_clicked_column_in_a_browser(tmp_path: Path) -> None:
    """index.html is sortable: clicking 指标 twice orders the rows by metric count, descending."""
    from summarizer.render.pages import render_index_html
    from tests.render_fixtures import small_summary

    small, _ = small_summary()
    dense, _ = dense_summary()
    mid = dense.model_copy(
        update={
            "report": dense.report.model_copy(update={"id": "mid", "entity": "中"}),
            "metrics": dense.metrics[:9],
        }
    )
    probe = """<script>
var th = Array.prototype.slice.call(document.querySelectorAll("#reports th"));
var col = th.findIndex(function (h) { return h.textContent === "指标"; });
th[col].click(); th[col].click();
document.body.dataset.order = Array.prototype.map.call(
  document.querySelectorAll("#reports tbody tr"), function (r) { return r.cells[col].textContent; }).join(",");
</script></body>"""
    page = tmp_path / "index.html"
    page.write_text(render_index_html([small, dense, mid]).replace("</body>", probe), "utf-8")
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    order = re.search(r'data-order="([^"]*)"', dom)
    assert order, "the sorting script did not run"
    assert order.group(1) == f"{len(dense.metrics)},9,{len(small.metrics)}"
