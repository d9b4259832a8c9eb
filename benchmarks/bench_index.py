"""Index page benchmark (not a test): how big and how quick index.html is as a corpus grows.

    .venv/bin/python benchmarks/bench_index.py [--folder ../shared/corpus] [--reports 1000]
        [--query 债务] [--level county] [--screenshot PATH]

Batches FOLDER (the rules backend) into a temporary folder, then prints:
- index.html's size for the folder's reports: the whole page, its search data, per report;
- the same for --reports reports (the folder's summaries repeated under new ids), measured,
  with the time to render it;
- with a chromium installed: the seconds the browser takes to open that page (parse, and the
  script's set-up of the search) and to show the rows of --query typed (the script's work).
--screenshot PATH: a PNG of the folder's index with --query typed and --level chosen.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.batch import run_batch  # noqa: E402
from summarizer.models import Summary  # noqa: E402
from summarizer.render.pages import render_index_html  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus"
_DATA = re.compile(r'<script type="application/json" id="search-index">(.*?)</script>', re.S)


def sizes(html: str, reports: int) -> str:
    page = len(html.encode("utf-8"))
    found = _DATA.search(html)
    data = len(found.group(1).encode("utf-8")) if found else 0
    return (
        f"{reports} reports: page {page / 1024:,.0f} KiB, of which search data "
        f"{data / 1024:,.0f} KiB ({data / page:.0%}); {page / reports / 1024:.1f} KiB a report"
    )


def scaled(summaries: list[Summary], n: int) -> list[Summary]:
    """`n` summaries: the given ones over and over, each copy under its own id."""
    out = []
    for i in range(n):
        s = summaries[i % len(summaries)]
        rid = f"{s.report.id}_{i}"
        report = s.report.model_copy(update={"id": rid, "source": f"copies/{rid}.txt"})
        out.append(s.model_copy(update={"report": report}))
    return out


def browser_times(page: Path, query: str) -> tuple[float, float, str]:
    """Seconds to open `page` (until its script has run) and to apply `query`; the count shown."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        tab = browser.new_page()
        t0 = time.perf_counter()
        tab.goto(page.as_uri(), wait_until="load")
        opened = time.perf_counter() - t0
        ms: float = tab.evaluate(
            """q => { const box = document.getElementById("q"); const t0 = performance.now();
                box.value = q; box.dispatchEvent(new Event("input"));
                return performance.now() - t0; }""",
            query,
        )
        shown = tab.inner_text("#shown")
        browser.close()
    return opened, ms / 1000, shown


def screenshot(page: Path, query: str, level: str, path: Path) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1360, "height": 900})
        tab.goto(page.as_uri())
        tab.fill("#q", query)
        if level:
            tab.select_option("#f-level", level)
        tab.screenshot(path=str(path), full_page=True)
        shown = tab.inner_text("#shown")
        browser.close()
    return shown


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--query", default="债务")
    ap.add_argument("--level", default="")
    ap.add_argument("--screenshot", type=Path)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        result = run_batch(args.folder, out)
        summaries = list(result.summaries)
        print(f"{args.folder}: {sizes((out / 'index.html').read_text('utf-8'), len(summaries))}")
        t0 = time.perf_counter()
        big_html = render_index_html(scaled(summaries, args.reports))
        seconds = time.perf_counter() - t0
        print(f"{sizes(big_html, args.reports)}; rendered in {seconds:.2f} s")
        if shutil.which("chromium") is None:
            print("no chromium: browser times not measured")
        else:
            big = Path(tmp) / "big.html"
            big.write_text(big_html, encoding="utf-8")
            opened, query_s, shown = browser_times(big, args.query)
            print(
                f"chromium, {args.reports} reports: opened in {opened:.2f} s; "
                f"{args.query!r} applied in {query_s * 1000:.0f} ms ({shown})"
            )
        if args.screenshot:
            shown = screenshot(out / "index.html", args.query, args.level, args.screenshot)
            print(f"screenshot: {args.screenshot} ({shown})")


if __name__ == "__main__":
    main()
