"""The index page's search records, row keys and filter options (render.corpus_index); the page
itself is driven in a browser by tests/test_index_browser.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from summarizer.render.corpus_index import (
    UNKNOWN,
    Option,
    filter_options,
    row_keys,
    search_index,
    search_record,
)
from summarizer.render.pages import render_index_html, render_source_html
from tests.index_fixtures import corpus, report
from tests.render_fixtures import dense_summary, small_summary


def _texts(rid: str) -> list[str]:
    (s,) = [s for s in corpus() if s.report.id == rid]
    return [text for _, _, text in search_record(s)["i"]]


def test_a_problem_is_found_by_its_quote_and_a_plan_by_its_detail() -> None:
    # The problem's title is inside its quote: the quote alone says both.
    assert _texts("city_jia_2023")[0] == "财政收支矛盾突出，地方政府债务风险不容忽视"
    assert _texts("county_yi_2023") == [
        "防范化解重点领域风险：稳妥化解存量隐性债务，守住不发生系统性风险底线"
    ]


def test_an_achievement_is_found_by_its_title_not_its_quote() -> None:
    texts = _texts("city_jia_2023")
    assert "抢险救灾有力有序" in texts
    assert not [t for t in texts if "转移群众" in t]  # the quote is left out of the index


def test_metric_names_are_indexed_once_with_their_canonical_name() -> None:
    # 公共财政预算收入 twice (actual and forecast), canonical 一般公共预算收入
    s, _ = small_summary()
    metrics = [it for it in search_record(s)["i"] if it[0] == "m"]
    names = [text for _, _, text in metrics]
    assert names.count("公共财政预算收入（一般公共预算收入）") == 1
    assert len(names) == len(set(names)) == len({m.name for m in s.metrics})


def test_every_indexed_item_links_to_its_evidence_in_the_source_view() -> None:
    s, text = dense_summary(n_problems=4, n_plans=4, five_years=2)
    ids = set(re.findall(r'id="(ev-[^"]+)"', render_source_html(s, text)))
    record = search_record(s)
    assert record["f"] == "dense_report_with_a_rather_long_identifier.txt"
    anchors = [anchor for _, anchor, _ in record["i"]]
    assert anchors and set(anchors) <= ids
    kinds = search_index([s])["kinds"]
    assert {kind for kind, _, _ in record["i"]} == set(kinds) == {"a", "m", "p", "n"}


def test_filter_options_list_every_value_with_its_count_unknown_last() -> None:
    options = filter_options(corpus())
    assert options.levels == [
        Option("province", "省级", 1),
        Option("city", "市级", 1),
        Option("county", "县级", 3),
        Option(UNKNOWN, "未知", 1),
    ]
    assert options.years == [
        Option("2024", "2024", 3),
        Option("2023", "2023", 2),
        Option(UNKNOWN, "未知", 1),
    ]
    # entities by level, national first, then by name
    assert [(o.value, o.count) for o in options.entities] == [
        ("丁省", 1),
        ("甲市", 1),
        ("丙县", 1),
        ("乙县", 2),
        (UNKNOWN, 1),
    ]


class _Page(HTMLParser):
    """The rows' filter keys and the select boxes' option values of an index page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str | None]] = []
        self.options: dict[str, list[str]] = {}
        self._select = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-level" in a:
            self.rows.append({k[5:]: v for k, v in a.items() if k.startswith("data-")})
        elif tag == "select":
            self._select = a["id"] or ""
            self.options[self._select] = []
        elif tag == "option":
            self.options[self._select].append(a["value"] or "")


def test_each_row_carries_the_keys_its_filters_compare() -> None:
    summaries = [*corpus(), report("x", '乙"县<b>', "county", 2024)]
    page = _Page(render_index_html(summaries))
    keys = [row_keys(s) for s in summaries]
    assert page.rows == [{"entity": k.entity, "level": k.level, "year": k.year} for k in keys]
    assert page.rows[-1]["entity"] == '乙"县<b>'  # an attribute value, escaped and read back
    options = filter_options(summaries)
    assert page.options == {
        "f-entity": ["", *(o.value for o in options.entities)],
        "f-level": ["", *(o.value for o in options.levels)],
        "f-year": ["", *(o.value for o in options.years)],
    }


def test_the_search_data_is_compact_utf8_json_in_row_order() -> None:
    summaries = corpus()
    html = render_index_html(summaries)
    data = re.search(r'<script type="application/json" id="search-index">(.*?)</script>', html)
    assert data
    assert "甲市" in data.group(1) and "\\u" not in data.group(1)  # Chinese as UTF-8
    assert ", " not in data.group(1) and '": ' not in data.group(1)
    assert json.loads(data.group(1)) == search_index(summaries)


def test_a_title_is_not_repeated_where_its_quote_breaks_its_line() -> None:
    s = report(
        "x", "甲市", "city", 2023, problem=("民 生领域还有短板", "民\n生领域还有短板，风险较多")
    )
    assert search_record(s)["i"][0][2] == "民\n生领域还有短板，风险较多"
