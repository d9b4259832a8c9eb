"""index.html in a real browser: the search box and the entity, level and year filters show the
right rows, offline; without JavaScript the full table shows; hostile report text runs nothing.

Playwright drives the system Chromium (no browser download; scripts/test.sh installs chromium
with apt). Skipped, with the reason, only where no Chromium is installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from summarizer.batch import run_batch
from summarizer.models import Summary
from summarizer.render.pages import render_index_html
from tests.conftest import ROOT
from tests.index_fixtures import HOSTILE_NAME, corpus, report

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium: scripts/test.sh installs it (apt)"),
]
REAL_REPORTS = ROOT / "evals" / "real" / "reports"  # ten corpus reports: 2 national, 2 province …


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class IndexPage:
    """One index.html open in a tab; records script errors and dialogs (alert …)."""

    def __init__(self, browser: Browser, url: str, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript)
        self.context.route("http*://**", lambda route: route.abort())  # offline
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)

    def _dialog(self, dialog: Dialog) -> None:
        self.errors.append(f"dialog {dialog.message}")
        dialog.dismiss()

    def visible(self) -> list[str]:
        """The report ids of the rows shown, top to bottom."""
        ids: list[str] = self.page.eval_on_selector_all(
            "#reports tbody tr",
            """rows => rows.filter(r => !r.hidden && r.offsetParent !== null)
                .map(r => r.querySelector("a.src").getAttribute("href").replace(".source.html", ""))""",
        )
        return ids

    def search(self, query: str) -> list[str]:
        self.page.fill("#q", query)
        return self.visible()

    def select(self, name: str, value: str) -> list[str]:
        self.page.select_option(f"#f-{name}", value)
        return self.visible()

    def shown(self) -> str:
        return self.page.inner_text("#shown")


def _write(tmp_path: Path, summaries: list[Summary]) -> str:
    page = tmp_path / "index.html"
    page.write_text(render_index_html(summaries), encoding="utf-8")
    return page.as_uri()


@pytest.fixture
def index(browser: Browser, tmp_path: Path) -> Iterator[IndexPage]:
    page = IndexPage(browser, _write(tmp_path, corpus()))
    yield page
    page.context.close()


ALL = [
    "city_jia_2023",
    "county_yi_2023",
    "county_yi_2024",
    "county_bing_2024",
    "province_ding_2024",
    "untitled",
]


def test_typing_a_query_shows_the_reports_that_name_it(index: IndexPage) -> None:
    assert index.visible() == ALL and index.shown() == "6 / 6 份"
    # a problem's quote, a plan's detail
    assert index.search("债务") == ["city_jia_2023", "county_yi_2023"]
    assert index.shown() == "2 / 6 份"
    hit = index.page.locator("tr:not([hidden]) .hits a").first
    assert hit.inner_text().startswith("问题")
    assert hit.locator("mark").inner_text() == "债务"
    assert hit.get_attribute("href") == "city_jia_2023.source.html#ev-p-city_jia_2023"
    assert index.search("失业") == ["county_yi_2024"]  # only in a problem's quote
    assert index.search("gdp") == ["county_bing_2024"]  # a metric name, any case
    assert index.search("ＧＤＰ") == ["county_bing_2024"]  # full-width letters fold
    assert index.search("救灾") == ["city_jia_2023"]  # an achievement's title
    assert index.search("转移群众") == []  # an achievement's quote is not indexed
    assert index.page.is_visible("#none")
    assert index.search("乙县 就业") == ["county_yi_2024"]  # every word, in any field
    assert index.search("province_") == ["province_ding_2024"]  # the file name
    assert index.search("") == ALL
    assert not index.page.locator(".hits:not([hidden])").count()
    assert index.errors == [] and not [u for u in index.requests if not u.startswith("file:")]


def test_filters_combine_with_the_query_and_the_count_follows(index: IndexPage) -> None:
    assert index.select("level", "county") == [
        "county_yi_2023",
        "county_yi_2024",
        "county_bing_2024",
    ]
    assert index.select("year", "2024") == ["county_yi_2024", "county_bing_2024"]
    assert index.shown() == "2 / 6 份"
    assert index.search("债务") == []
    assert index.shown() == "0 / 6 份" and index.page.is_visible("#none")
    assert index.select("year", "") == ["county_yi_2023"]
    index.page.click("#reset")
    assert index.visible() == ALL and index.page.input_value("#q") == ""
    assert index.select("entity", "乙县") == ["county_yi_2023", "county_yi_2024"]
    index.page.click("#reset")
    assert index.select("level", "?") == ["untitled"]  # 未知: a report that names no level
    assert index.errors == []


def test_the_view_is_kept_in_the_address_and_restored(browser: Browser, index: IndexPage) -> None:
    index.select("level", "county")
    index.search("风险")
    url = index.page.url
    assert "level=county" in url and "q=" in url
    again = IndexPage(browser, url)  # a new tab opened at the address
    assert again.visible() == ["county_yi_2023"]
    assert again.page.input_value("#q") == "风险" and again.page.input_value("#f-level") == "county"
    again.context.close()


def test_search_after_sorting_still_matches_each_row_with_its_report(index: IndexPage) -> None:
    index.page.click("#reports th:text-is('年份')")  # ascending: the unknown year first
    assert index.visible()[0] == "untitled"
    assert index.search("债务") == ["city_jia_2023", "county_yi_2023"]
    assert index.search("交通") == ["province_ding_2024"]


def test_without_javascript_the_full_table_shows(browser: Browser, tmp_path: Path) -> None:
    page = IndexPage(browser, _write(tmp_path, corpus()), javascript=False)
    rows = page.page.locator("#reports tbody tr")
    assert rows.count() == len(ALL)
    assert all(rows.nth(i).is_visible() for i in range(len(ALL)))
    assert not page.page.is_visible("#finder")  # no controls that could not work
    page.context.close()


def test_hostile_report_text_breaks_nothing_and_runs_nothing(
    browser: Browser, tmp_path: Path
) -> None:
    hostile = report(
        "hostile",
        HOSTILE_NAME,
        "township",
        2024,
        problem=(f"问题{HOSTILE_NAME}", f"问题{HOSTILE_NAME}，<!-- 注释 --> 与 ]]> 未闭合"),
        plan=(f"计划{HOSTILE_NAME}", "</SCRIPT ><script>window.__pwned=3</script>"),
        metric=f"指标{HOSTILE_NAME}",
    )
    page = IndexPage(browser, _write(tmp_path, [*corpus(), hostile]))
    assert page.errors == []
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.locator("img").count() == 0
    assert page.visible() == [*ALL, "hostile"]  # the page parsed to its end
    entity = page.page.locator("#reports tbody tr").last.locator("a.entity")
    assert entity.inner_text() == HOSTILE_NAME  # shown as text, whole
    assert page.search("</script>") == ["hostile"]
    assert page.search("window.__pwned=3") == ["hostile"]
    assert page.page.locator(".hits:not([hidden]) mark").first.inner_text() == "window.__pwned=3"
    assert page.select("entity", HOSTILE_NAME) == ["hostile"]
    page.page.click("#reset")
    assert page.select("level", "township") == ["hostile"]
    assert page.errors == [] and page.page.evaluate("typeof window.__pwned") == "undefined"
    page.context.close()


def test_batch_index_of_real_reports_filters_by_level_and_finds_an_entity(
    browser: Browser, tmp_path: Path
) -> None:
    result = run_batch(REAL_REPORTS, tmp_path / "out")
    assert not result.failures
    page = IndexPage(browser, (tmp_path / "out" / "index.html").as_uri())
    assert len(page.visible()) == len(list(REAL_REPORTS.glob("*.txt")))
    national = sorted(p.stem for p in REAL_REPORTS.glob("national_*.txt"))
    assert sorted(page.select("level", "national")) == national
    assert sorted(page.select("level", "province")) == sorted(
        p.stem for p in REAL_REPORTS.glob("province_*.txt")
    )
    page.page.click("#reset")
    assert page.search("承德") == ["city_chengde_2024"]
    assert page.errors == []
    page.context.close()
