"""Briefing selection and rendering: content, order, the page budget, links, escaping, CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.extract.figures import FigureContext, read_figure
from summarizer.models import Achievement, Category, Evidence, Metric, Plan, Problem, Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from summarizer.render.briefing import LAYOUT, build_briefing
from summarizer.render.format import clip, format_change, metric_value, text_width
from summarizer.render.pages import (
    md_escape,
    render_html,
    render_index_html,
    render_jsonl,
    render_markdown,
    render_source_html,
)
from summarizer.render.tables import METRICS_CSV_COLUMNS, csv_text, render_metrics_csv
from tests.conftest import ROOT, SEEDS, seed_path
from tests.render_fixtures import (
    HOSTILE,
    TextBuilder,
    dense_summary,
    hostile_summary,
    small_summary,
)

BUDGET_MM = LAYOUT["page_h"] - 2 * LAYOUT["margin_y"] - LAYOUT["safety"]


# --- helpers ---------------------------------------------------------------------------------


class _SourceView(HTMLParser):
    """Reads a source view: the text inside #text, and where each anchor id sits in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_text = 0
        self.text: list[str] = []
        self.anchors: dict[str, int] = {}
        self.tips: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id") == "text":
            self.in_text = 1
        elif self.in_text:
            self.in_text += 1
            if a.get("class") == "anchor" and a.get("id"):
                self.anchors[a["id"] or ""] = len("".join(self.text))
            if tag == "mark":
                self.tips.append(a.get("title") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.in_text:
            self.in_text -= 1

    def handle_data(self, data: str) -> None:
        if self.in_text:
            self.text.append(data)


def parse_source_view(html: str) -> _SourceView:
    p = _SourceView()
    p.feed(html)
    return p


def briefing_links(html: str) -> list[str]:
    return re.findall(r'href="[^"#]*\.source\.html#([^"]+)"', html)


def metric_rows(html: str) -> list[str]:
    """Each body <tr> of the metrics table (the five-year block's too) as its visible text,
    cells joined by '|'."""
    body = html.split("</thead>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        "|".join(
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)
        )
        for r in rows
    ]


def section_titles(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)<span", html)


# --- selection -------------------------------------------------------------------------------


def test_metrics_table_shows_value_unit_change_period_and_marks_forecasts() -> None:
    s, _ = small_summary()
    html = render_html(s)
    rows = metric_rows(html)
    assert rows[0] == "公共财政预算收入|4.01亿元|−14.4%|1-10月|实际"
    # The forecast of the same indicator sits right under its actual figure, visibly marked.
    assert rows[1] == "公共财政预算收入|4.3亿元|−13.3%|全年|预计"
    assert 'class="forecast secondary"' in html
    assert '<span class="badge forecast">预计</span>' in html


def test_headline_indicators_come_before_others_whatever_the_document_order() -> None:
    t = TextBuilder()
    names = [
        ("新增市场主体", "家"),
        ("固定资产投资", "亿元"),
        ("地区生产总值", "亿元"),
        ("垃圾分类覆盖率", "%"),
    ]
    metrics = [
        Metric(name=n, value=10 + i, unit=u, evidence=t.add(f"{n}{10 + i}{u}。"))
        for i, (n, u) in enumerate(names)
    ]
    s, _ = small_summary()
    s = s.model_copy(update={"metrics": metrics})
    order = [m.metric.name for m in build_briefing(s).metrics]
    assert order[:2] == ["地区生产总值", "固定资产投资"]
    assert set(order[2:]) == {"新增市场主体", "垃圾分类覆盖率"}


def test_shares_and_per_head_figures_are_not_the_headline_itself() -> None:
    from summarizer.render.format import headline_rank

    gdp = headline_rank("地区生产总值")
    assert gdp == 0 and headline_rank("全省生产总值") == 0
    assert (
        headline_rank("对GDP综合贡献率") > gdp
        and headline_rank("四大主导产业占地区生产总值比重") > gdp
    )
    assert headline_rank("人均地区生产总值") > gdp
    assert headline_rank("税收占一般公共预算收入比重") > headline_rank("一般公共预算收入")
    assert headline_rank("城镇居民人均可支配收入") < headline_rank("新增市场主体")


def test_achievements_are_shown_grouped_by_area_in_a_fixed_order() -> None:
    t = TextBuilder()
    cats: list[Category] = ["party", "economy", "environment", "economy", "livelihood", "party"]
    items = [
        Achievement(title=f"成绩{i}", category=c, evidence=t.add(f"第{i}项成绩。"))
        for i, c in enumerate(cats)
    ]
    s, _ = small_summary()
    b = build_briefing(s.model_copy(update={"achievements": items}))
    assert [it.title for it in b.achievements] == [
        "成绩1",
        "成绩3",
        "成绩2",
        "成绩4",
        "成绩0",
        "成绩5",
    ]
    assert [it.tag for it in b.achievements] == ["经济", "经济", "生态", "民生", "党建", "党建"]


def test_round_robin_picks_every_area_first_under_a_tight_limit() -> None:
    from summarizer.render.briefing import _pick_achievements

    t = TextBuilder()
    cats: list[Category] = ["economy", "economy", "economy", "economy", "economy", "urban", "party"]
    items = [
        Achievement(title=f"成绩{i}", category=c, evidence=t.add(f"第{i}项成绩。"))
        for i, c in enumerate(cats)
    ]
    picked = _pick_achievements(items, 4)
    assert sorted(items[i].category for i in picked) == ["economy", "economy", "party", "urban"]


def test_dense_report_keeps_every_problem_within_the_page_budget() -> None:
    s, _ = dense_summary()
    b = build_briefing(s)
    assert b.height_mm <= BUDGET_MM
    assert len(b.problems) == len(s.problems) == 14
    assert 6 <= len(b.metrics) <= 14 and len(b.plans) >= 3 and len(b.achievements) >= 3
    html = render_html(s)
    for i in range(len(s.problems)):
        assert f"#ev-p{i}" in html
    # What was left out is said, not hidden.
    assert f"另有 {len(s.plans) - len(b.plans)} 项未列出" in html


@pytest.mark.parametrize("n_problems", [0, 1, 6, 13, 30, 80])
def test_any_amount_of_content_is_budgeted_to_one_page(n_problems: int) -> None:
    s, _ = dense_summary(n_problems=n_problems, n_plans=40)
    b = build_briefing(s)
    assert b.height_mm <= BUDGET_MM
    assert len(b.problems) == n_problems if n_problems <= 30 else len(b.problems) < n_problems
    for it in b.achievements + b.problems + b.plans:
        width = LAYOUT["page_w"] - 2 * LAYOUT["margin_x"]
        assert text_width(it.text) * LAYOUT["font_pt"] * 0.3528 < width


@pytest.mark.parametrize(("n_problems", "five_years"), [(0, 20), (14, 6), (30, 20), (80, 3)])
def test_five_year_figures_are_budgeted_with_the_rest(n_problems: int, five_years: int) -> None:
    s, _ = dense_summary(n_problems=n_problems, n_plans=40, five_years=five_years)
    b = build_briefing(s)
    assert b.height_mm <= BUDGET_MM
    # the table's rows, the five-year heading row included, are what the page planned
    rows = len(b.metrics) + len(b.five_years) + (1 if b.five_years else 0)
    assert rows <= 18 and len(metric_rows(render_html(s))) == rows
    # five-year figures get a share of a table of ten rows or more, never all of it
    assert bool(b.five_years) == (rows >= 10)
    assert len(b.metrics) > len(b.five_years)


def test_five_year_figures_stand_apart_in_every_form() -> None:
    s, _ = dense_summary(five_years=6)
    b = build_briefing(s)
    assert [r.metric.span for r in b.five_years] == ["multi_year"] * len(b.five_years)
    assert all(r.metric.span != "multi_year" for r in b.metrics)
    assert all(r.period == "“十四五”时期" and r.value.startswith("年均增长") for r in b.five_years)
    assert "年均" not in b.overview
    html = render_html(s)
    year_part, five_part = html.split('<tbody class="five-years">')
    assert "年均增长" not in year_part.split("<tbody>")[1] and "年均增长" in five_part
    assert "五年期指标" in five_part.split("</tr>")[0]  # a heading row opens the block
    assert f'<span class="count">{b.metrics_shown}/{len(s.metrics)}</span>' in html
    md = render_markdown(s)
    assert md.index("**五年期指标**") > max(md.index(r.value) for r in b.metrics)
    assert all(md.index(r.value) > md.index("**五年期指标**") for r in b.five_years)
    index = render_index_html([s]).split("<tbody>")[1]
    assert "年均增长" not in index  # the index's headline figures are the year's


def test_a_plan_period_review_shows_its_figures_under_their_span() -> None:
    """A 十三五 review (report kind multi_year): every figure a five-year one, all shown."""
    s, _ = dense_summary(five_years=5)
    s = s.model_copy(update={"metrics": s.metrics[-5:]})
    b = build_briefing(s)
    assert b.metrics == [] and len(b.five_years) == 5
    html = render_html(s)
    assert "关键指标" in html and html.count("年均增长") == 5
    assert "**五年期指标**" in render_markdown(s)


def test_empty_sections_have_no_heading() -> None:
    s, _ = small_summary()
    s = s.model_copy(update={"plans": [], "metrics": []})
    html, md = render_html(s), render_markdown(s)
    assert section_titles(html) == ["主要成绩", "存在问题"]
    assert "计划" not in "".join(re.findall(r"^## .*$", md, flags=re.M))
    assert "关键指标" not in html and "关键指标" not in md


def test_header_names_entity_period_kind_source_backend_and_date() -> None:
    s, _ = small_summary()
    html = render_html(s)
    head = html.split("</header>")[0]
    for part in ("新闸街道", "2020年", "年度", "000_small.txt", "rules", "2026-11-23 21:00"):
        assert part in head


def test_clip_and_change_format() -> None:
    assert clip("短标题", 10) == "短标题"
    long = "这是一个非常非常长的标题" * 5
    assert clip(long, 12).endswith("…") and text_width(clip(long, 12)) <= 12
    assert (
        format_change(-14.4) == "−14.4%"
        and format_change(6.8) == "+6.8%"
        and format_change(None) == ""
    )


# --- links and the source view ---------------------------------------------------------------


def _evidence_by_anchor(s: Summary) -> dict[str, Evidence]:
    """Each item's evidence under the anchor the pages link it by (its id, else kind and index)."""
    groups: list[tuple[str, Sequence[Metric | Achievement | Problem | Plan]]] = [
        ("m", s.metrics),
        ("a", s.achievements),
        ("p", s.problems),
        ("n", s.plans),
    ]
    return {
        f"ev-{it.id}" if it.id else f"ev-{kind}{i}": it.evidence
        for kind, items in groups
        for i, it in enumerate(items)
    }


@pytest.mark.parametrize("make", [small_summary, dense_summary])
def test_every_briefing_link_lands_on_its_quote_in_the_source_view(
    make: Callable[[], tuple[Summary, str]],
) -> None:
    s, text = make()
    view = parse_source_view(render_source_html(s, text))
    assert "".join(view.text) == text  # the full report, nothing lost or added
    quotes = {anchor: ev.quote for anchor, ev in _evidence_by_anchor(s).items()}
    links = briefing_links(render_html(s)) + re.findall(
        r"\.source\.html#([^)]+)\)", render_markdown(s)
    )
    assert links
    for anchor in links:
        at = view.anchors[anchor]
        assert text[at : at + len(quotes[anchor])] == quotes[anchor], anchor


def test_source_view_tooltips_describe_the_extracted_items() -> None:
    s, text = small_summary()
    view = parse_source_view(render_source_html(s, text))
    assert any("指标｜公共财政预算收入 4.01亿元 −14.4%（1-10月，实际）" in t for t in view.tips)
    assert any(t.startswith("问题｜产业结构不优") for t in view.tips)
    assert any(t.startswith("成绩｜生态｜") for t in view.tips)


def test_overlapping_spans_are_all_anchored() -> None:
    t = TextBuilder()
    ev = t.add("全年实现地区生产总值58亿元，增长6%，完成年度目标。")
    at = t.text.index("58亿元")
    inner = Evidence(quote="58亿元", start=at, end=at + len("58亿元"))
    s, _ = small_summary()
    s = s.model_copy(
        update={
            "metrics": [Metric(name="地区生产总值", value=58, unit="亿元", evidence=inner)],
            "achievements": [Achievement(title="经济稳定增长", evidence=ev)],
            "problems": [],
            "plans": [],
        }
    )
    view = parse_source_view(render_source_html(s, t.text))
    assert "".join(view.text) == t.text
    assert view.anchors["ev-m0"] == inner.start and view.anchors["ev-a0"] == ev.start


# --- escaping --------------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every element and attribute name of a page, the text of its scripts, and the text of
    its JSON data blocks (<script type="application/json">, which a browser never runs: listed
    as "json" among the tags, not as a script)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        is_data = tag == "script" and dict(attrs).get("type") == "application/json"
        self.tags.append("json" if is_data else tag)
        self.attrs += [name for name, _ in attrs]
        self._into = self.data_blocks if is_data else self.scripts if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into.append(data)


def test_report_text_is_escaped_in_every_html_output() -> None:
    s, text = hostile_summary()
    outputs = {
        "briefing": (render_html(s), 0),
        "source": (render_source_html(s, text), 1),
        "index": (render_index_html([s], failures=[f"bad{HOSTILE}.txt: broken"]), 1),
    }
    for name, (html, own_scripts) in outputs.items():
        page = _Elements()
        page.feed(html)
        assert "img" not in page.tags, name
        assert not [a for a in page.attrs if a.startswith("on")], name
        assert page.tags.count("script") == own_scripts, name  # only the page's own script
        assert not any("alert" in js for js in page.scripts), name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in html, name
        assert len(page.data_blocks) == (name == "index"), name
    # The index's search data holds the report's strings exactly, and no "<" that could end
    # its element: the hostile entity and titles come back whole from the JSON.
    index = _Elements()
    index.feed(outputs["index"][0])
    (data,) = index.data_blocks
    assert "<" not in data and ">" not in data and "&" not in data
    record = json.loads(data)["reports"][0]
    assert record["e"] == s.report.entity and record["f"] == "x_hostile.txt"
    texts = [it[2] for it in record["i"]]
    assert f"成绩{HOSTILE}" in texts and all(HOSTILE in t for t in texts)
    # The source view still shows the text exactly, as text.
    assert "".join(parse_source_view(outputs["source"][0]).text) == text


def test_markdown_is_inert() -> None:
    s, _ = hostile_summary()
    md = render_markdown(s)
    assert "<script" not in md and "<img" not in md
    assert md_escape("a|b*c<d>") == r"a\|b\*c&lt;d&gt;"
    # Block markers only at the start of a line; figures stay as written mid-line.
    assert md_escape("# 标题") == r"\# 标题" and md_escape("1. 第一") == r"1\. 第一"
    assert md_escape("4.01亿元") == "4.01亿元" and md_escape("+6.8%") == "+6.8%"
    # A title cannot open a link or image, or break out of a table cell.
    assert "](" not in md_escape("[x](javascript:alert(1))").replace(r"\](", "")


def test_csv_neutralises_formulas_in_text_but_keeps_numbers_numeric() -> None:
    s, _ = hostile_summary()
    raw = render_metrics_csv([s])
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw[1:])))
    assert list(rows[0]) == list(METRICS_CSV_COLUMNS)
    row = rows[0]
    assert row["canonical_name"].startswith("'=")
    assert row["period"].startswith("'@")
    assert row["change_pct"] == "-3" and float(row["change_pct"]) == -3.0
    assert row["value"] == "5" and row["year"] == "2020"
    assert int(row["end"]) - int(row["start"]) == len(s.metrics[0].evidence.quote)
    assert csv_text("-1+2") == "'-1+2" and csv_text("收入") == "收入" and csv_text(None) == ""


def test_metrics_csv_has_one_row_per_metric_across_reports() -> None:
    a, _ = small_summary()
    b, _ = dense_summary()
    rows = list(csv.DictReader(io.StringIO(render_metrics_csv([a, b])[1:])))
    assert len(rows) == len(a.metrics) + len(b.metrics)
    first = rows[0]
    assert (first["report_id"], first["entity"], first["name"], first["value"], first["unit"]) == (
        "000_small",
        "新闸街道",
        "公共财政预算收入",
        "4.01",
        "亿元",
    )
    assert first["canonical_name"] == "一般公共预算收入" and first["change_pct"] == "-14.4"


def test_index_has_a_sortable_row_per_report_with_links_and_headlines() -> None:
    a, _ = small_summary()
    b, _ = dense_summary()
    html = render_index_html([a, b])
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr ") == 2
    assert 'href="000_small.html"' in html and 'href="000_small.source.html"' in html
    assert "公共财政预算收入" in body and "4.01亿元" in body
    assert "aria-sort" in html  # the sorting script
    lines = render_jsonl([a, b]).splitlines()
    assert [json.loads(x)["report"]["id"] for x in lines] == ["000_small", b.report.id]


# --- the seeds, through the real pipeline ----------------------------------------------------


@pytest.fixture(scope="module")
def seed_summaries() -> dict[str, tuple[Summary, str]]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        out[path.name[:3]] = (summarize(path), read_report(path).text)
    return out


def test_seed_000_key_metrics_show_fiscal_revenue_with_its_decline(
    seed_summaries: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = seed_summaries["000"]
    rows = metric_rows(render_html(s))
    assert any(r.startswith("公共财政预算收入|4.01亿元|−14.4%") for r in rows), rows
    md = render_markdown(s)
    assert re.search(r"公共财政预算收入\]\([^)]*\) \| 4\.01亿元 \| −14\.4%", md)


def test_seed_000_shows_every_problem(seed_summaries: dict[str, tuple[Summary, str]]) -> None:
    s, text = seed_summaries["000"]
    labels = json.loads(
        (ROOT / "evals/labels" / f"{seed_path('000').stem}.json").read_text("utf-8")
    )
    html = render_html(s)
    b = build_briefing(s)
    assert len(b.problems) == len(s.problems) >= len(labels["problems"])
    links = set(briefing_links(html))
    for it in b.problems:
        assert it.anchor in links and it.line_title[:6] in html
    shown = [(p.evidence.start, p.evidence.end) for p in s.problems]
    for lab in labels["problems"]:
        start = text.index(lab["quote"])
        end = start + len(lab["quote"])
        assert any(a < end and start < b_ for a, b_ in shown), lab["text"]


def test_seed_004_has_no_plans_section(seed_summaries: dict[str, tuple[Summary, str]]) -> None:
    s, _ = seed_summaries["004"]
    html, md = render_html(s), render_markdown(s)
    assert s.plans == []
    assert "主要计划" not in html and "主要计划" not in md
    assert section_titles(html)  # but the page is not empty: there are other sections


def test_seed_links_land_on_their_quotes(seed_summaries: dict[str, tuple[Summary, str]]) -> None:
    for key, (s, text) in seed_summaries.items():
        view = parse_source_view(render_source_html(s, text))
        assert "".join(view.text) == text, key
        ev = _evidence_by_anchor(s)
        for anchor in briefing_links(render_html(s)):
            e = ev[anchor]
            assert view.anchors[anchor] == e.start and text[e.start : e.end] == e.quote, (
                key,
                anchor,
            )


def test_items_without_ids_still_get_working_anchors() -> None:
    # Items without ids (as a third-party backend might send) still get working anchors.
    s, text = small_summary()
    s = s.model_copy(
        update={
            "problems": [p.model_copy(update={"id": ""}) for p in s.problems],
            "plans": [Plan(title="计划", evidence=s.plans[0].evidence)],
        }
    )
    html = render_html(s)
    view = parse_source_view(render_source_html(s, text))
    assert "#ev-p0" in html and "ev-p0" in view.anchors and "ev-n0" in view.anchors
    assert isinstance(s.problems[0], Problem)


# --- laws for any input string ---------------------------------------------------------------

_any_text = st.text(
    st.sampled_from(list("<>\"'&=+-@|*_[]()#!`\\ \n\t收入亿元问题计划"))
    | st.characters(codec="utf-8", exclude_categories=["Cs"]),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


@pytest.mark.property
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_any_text, name=_any_text, unit=_any_text, entity=_any_text)
def test_html_and_csv_stay_inert_for_any_report_string(
    title: str, name: str, unit: str, entity: str
) -> None:
    t = TextBuilder(f"{title}\n")
    ev = t.add(f"{name}5{unit}")
    s, _ = small_summary()
    s = s.model_copy(
        update={
            "report": s.report.model_copy(update={"entity": entity, "period": title}),
            "metrics": [
                Metric(
                    name=name,
                    canonical_name=title,
                    value=-5,
                    unit=unit,
                    period=title,
                    change_pct=-1.5,
                    evidence=ev,
                )
            ],
            "achievements": [Achievement(title=title, detail=name, evidence=ev)],
            "problems": [Problem(title=name, detail=title, evidence=ev)],
            "plans": [Plan(title=unit, detail=entity, evidence=ev)],
        }
    )
    for html, own_scripts in (
        (render_html(s), 0),
        (render_source_html(s, t.text), 1),
        (render_index_html([s], [title]), 1),
    ):
        page = _Elements()
        page.feed(html)
        assert page.tags.count("script") == own_scripts
        assert "img" not in page.tags and not [a for a in page.attrs if a.startswith("on")]
    view = parse_source_view(render_source_html(s, t.text))
    assert "".join(view.text) == t.text
    (row,) = csv.reader(io.StringIO(render_metrics_csv([s])[1:].split("\r\n", 1)[1]))
    text_cells = [
        row[i]
        for i, col in enumerate(METRICS_CSV_COLUMNS)
        if col not in ("value", "change_pct", "year", "start", "end")
    ]
    assert not [c for c in text_cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert float(row[METRICS_CSV_COLUMNS.index("value")]) == -5.0
    assert float(row[METRICS_CSV_COLUMNS.index("change_pct")]) == -1.5


# --- compiled templates kept between processes ----------------------------------------------


def _render_all(s: Summary, text: str) -> list[str]:
    return [render_html(s), render_source_html(s, text), render_index_html([s], failures=[])]


@pytest.fixture
def fresh_template_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A process-like start: an empty temp directory and no environment built yet."""
    import tempfile

    from summarizer.render import pages as render

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    render._env.cache_clear()
    yield tmp_path
    render._env.cache_clear()


def _cached_files(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("_jinja2-cache-*/__summarizer_*.cache"))


def test_compiled_templates_are_reused_by_the_next_process(
    fresh_template_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from summarizer.render import pages as render

    s, text = hostile_summary()
    first = _render_all(s, text)
    assert len(_cached_files(fresh_template_cache)) == 3  # briefing, source, index

    render._env.cache_clear()  # as a new process would start

    def no_compiling(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("template compiled although its compiled code was cached")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    assert _render_all(s, text) == first


def test_a_damaged_or_unwritable_template_cache_only_costs_compiling(
    fresh_template_cache: Path,
) -> None:
    import shutil

    from summarizer.render import pages as render

    s, text = hostile_summary()
    first = _render_all(s, text)
    for f in _cached_files(fresh_template_cache):
        f.write_bytes(b"j2 not what jinja wrote")
    render._env.cache_clear()
    assert _render_all(s, text) == first

    render._env.cache_clear()
    render._env()  # the cache directory is chosen here …
    for d in fresh_template_cache.glob("_jinja2-cache-*"):
        shutil.rmtree(d)  # … and is gone by the time templates are compiled and stored
    assert _render_all(s, text) == first


def test_template_cache_files_are_named_after_the_environment_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summarizer.render import pages as render

    cache = render._bytecode_cache()
    assert cache is not None
    monkeypatch.setitem(render._ENV_OPTIONS, "trim_blocks", False)
    other = render._bytecode_cache()
    assert other is not None
    assert cache.pattern != other.pattern  # code compiled with other options is not reused


# --- a figure given only as a rate keeps its direction --------------------------------------


def _rate(quote: str, value: float, unit: str = "%", change_pct: float | None = None) -> Metric:
    """A metric as the pipeline hands it to rendering: its figure read (measure, direction …)."""
    metric = Metric(
        id="m-r",
        name="规上工业增加值",
        value=value,
        unit=unit,
        status="actual",
        change_pct=change_pct,
        evidence=Evidence(quote=quote, start=0, end=len(quote)),
    )
    return read_figure(
        metric, FigureContext(year=2024, kind="annual", in_plans=False, horizon=None)
    )


@pytest.mark.parametrize(
    ("quote", "value", "shown", "direction"),
    [
        ("规上工业增加值下降3.2%", 3.2, "下降3.2%", -1),
        ("固定资产投资同比减少8.6%", 8.6, "减少8.6%", -1),
        ("社会消费品零售总额增长5.1%", 5.1, "增长5.1%", 1),
        ("工业用电量下降了１２．５％", 12.5, "下降12.5%", -1),  # full-width digits, a particle
        ("地区生产总值增速回落至3.2%", 3.2, "3.2%", 0),  # fell TO 3.2%: a level, not a change
        ("城镇化率达到63.2%", 63.2, "63.2%", 0),
        ("出口增长13.2%，进口3.2%", 3.2, "3.2%", 0),  # 3.2 inside 13.2 is not this figure
    ],
)
def test_a_bare_rate_is_shown_with_the_change_word_its_quote_writes(
    quote: str, value: float, shown: str, direction: int
) -> None:
    assert metric_value(_rate(quote, value)) == (shown, direction)


def test_a_figure_with_its_own_change_or_another_unit_is_shown_as_a_number() -> None:
    assert metric_value(_rate("收入4.01亿元，同比下降14.4%", 4.01, "亿元", -14.4)) == (
        "4.01亿元",
        -1,
    )
    assert metric_value(_rate("增长5.3%", 5.3, "%", 5.3)) == ("增长5.3%", 1)  # a change figure


def test_a_falling_rate_reads_as_a_fall_in_every_briefing_form(tmp_path: Path) -> None:
    text = (
        "某某街道2024年工作总结\n一、2024年工作回顾\n"
        "全年完成一般公共预算收入4.01亿元，同比下降14.4%。规上工业增加值下降3.2%。\n"
    )
    path = tmp_path / "rates.txt"
    path.write_text(text, encoding="utf-8")
    s = summarize(path)
    md, html = render_markdown(s), render_html(s)
    headline = next(line for line in md.splitlines() if line.startswith("某某街道"))
    assert "规上工业增加值下降3.2%" in headline  # the one-line summary
    assert "| 下降3.2% |" in md
    assert "下降3.2%" in html and ">3.2%<" not in html
    assert "下降3.2%" in render_source_html(s, text)  # the source view's tooltip


def test_the_year_s_own_figure_leads_and_the_five_years_before_it_stand_apart(
    tmp_path: Path,
) -> None:
    text = (
        "某县2026年政府工作报告\n一、“十四五”时期发展回顾\n"
        "过去五年，全县地区生产总值年均增长5.9%，城乡面貌焕然一新。\n"
        "刚刚过去的2025年，全县地区生产总值238亿元、增长5.4%，一般公共预算收入12.6亿元。\n"
        "二、2026年工作安排\n地区生产总值增长5%左右。\n"
    )
    path = tmp_path / "county.txt"
    path.write_text(text, encoding="utf-8")
    b = build_briefing(summarize(path))
    rows = [r for r in b.metrics if r.metric.name == "地区生产总值"]
    assert [(r.value, r.change, r.status_label) for r in rows] == [
        ("238亿元", "+5.4%", "实际"),  # the year reviewed, then its target, with its year
        ("增长5%左右", "", "2026年目标"),  # and its bound
    ]
    # the five-year average is not a year figure: apart, labelled with its span
    assert [(r.value, r.period) for r in b.five_years] == [("年均增长5.9%", "过去五年")]


def test_a_count_of_firms_is_not_ranked_as_the_indicator_its_words_name(tmp_path: Path) -> None:
    text = (
        "某市2025年政府工作报告\n一、2025年工作回顾\n"
        "全市规模以上工业企业达到1.2万家。新设外资企业360家。"
        "城镇新增就业2.6万人。全市规上工业增加值增长6.1%。新开工服务业项目4个。\n"
    )
    path = tmp_path / "city.txt"
    path.write_text(text, encoding="utf-8")
    names = [r.metric.name for r in build_briefing(summarize(path)).metrics]
    # the industrial indicator first; the counts after every headline indicator
    # jobs are a counted headline; firms and projects under amount indicators' words are not
    assert names == [
        "全市规上工业增加值",
        "城镇新增就业",
        "全市规模以上工业企业",
        "新设外资企业",
        "新开工服务业项目",
    ]
