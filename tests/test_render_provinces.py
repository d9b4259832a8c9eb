"""The province samples as an analyst reads them: the year's own figures lead the briefing, a
target carries its bound and its year, five-year figures stand apart, and a fall reads as a
fall in every output (briefing, Markdown, index, source view, metrics.csv, panel.csv).

Guangdong: the 2026 GDP target is 增长4.5%—5%, not the 十五五 average 年均增长5%左右.
Hebei: the year's 全省生产总值增长5.6% shows, the five-year totals apart from it.
Hainan: the 2026 target 增长6%左右 under GDP, the 十五五 年均增长6%以上 never in its place;
以内 kept; 森林火灾数下降80% a fall.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from summarizer.extract.figures import FigureContext, read_figure
from summarizer.models import Evidence, Metric, Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from summarizer.render.briefing import Briefing, MetricRow, build_briefing
from summarizer.render.pages import (
    render_html,
    render_index_html,
    render_markdown,
    render_source_html,
)
from summarizer.render.tables import render_metrics_csv, render_panel_csv
from tests.conftest import SAMPLES, seed_path


@pytest.fixture(scope="module")
def province() -> dict[str, tuple[Summary, str]]:
    out = {}
    for name in ("guangdong", "hebei", "hainan"):
        path = SAMPLES / f"p26_{name}.txt"
        out[name] = (summarize(path), read_report(path).text)
    return out


def _rows(rows: list[MetricRow], canonical: str) -> list[tuple[str, str, str]]:
    return [
        (r.value, r.status_label, r.period) for r in rows if r.metric.canonical_name == canonical
    ]


def _csv_rows(raw: str) -> list[dict[str, str]]:
    assert raw.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(raw[1:])))


def _by_quote(rows: list[dict[str, str]], quote: str) -> dict[str, str]:
    (row,) = [r for r in rows if r["quote"] == quote]
    return row


def _html_metric_rows(html: str) -> list[str]:
    """The metrics table's rows as visible text, cells joined by '|'."""
    table = html.split('<section class="s-metrics">', 1)[1].split("</table>", 1)[0]
    return [
        "|".join(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r))
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    ]


def _only_year_figures_among_the_year_rows(b: Briefing) -> None:
    assert all(r.metric.span != "multi_year" for r in b.metrics)
    assert all(r.metric.span == "multi_year" for r in b.five_years)


# --- Guangdong -------------------------------------------------------------------------------


def test_guangdong_gdp_target_is_the_year_s_range_with_its_year(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = province["guangdong"]
    b = build_briefing(s)
    _only_year_figures_among_the_year_rows(b)
    assert _rows(b.metrics, "地区生产总值")[:2] == [
        ("增长3.9%", "实际", ""),
        ("增长4.5%—5%", "2026年目标", ""),
    ]
    # the 十五五 average is a five-year figure: apart, labelled with its span
    assert ("年均增长5%左右", "目标", "“十五五”时期") in _rows(b.five_years, "地区生产总值")
    assert "年均增长5%左右" not in [r.value for r in b.metrics]


def test_guangdong_gdp_target_reads_the_same_in_every_form(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, text = province["guangdong"]
    html_rows = _html_metric_rows(render_html(s))
    target = "地区生产总值|增长4.5%—5%|—|—|2026年目标"
    assert target in html_rows
    # the five-year rows come after the heading of their own block, after every year row
    head = next(i for i, r in enumerate(html_rows) if r.startswith("五年期指标"))
    assert html_rows.index(target) < head
    assert "地区生产总值|年均增长5%左右|—|“十五五”时期|目标" in html_rows[head:]
    md = render_markdown(s)
    assert re.search(r"地区生产总值\]\([^)]*\) \| 增长4\.5%—5% \| — \| — \| \*\*2026年目标\*\*", md)
    assert md.index("增长4.5%—5%") < md.index("**五年期指标**") < md.index("年均增长5%左右")
    assert "地区生产总值 增长4.5%—5%（2026年目标）" in render_source_html(s, text)


def test_guangdong_gdp_target_in_the_csv_and_the_panel(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = province["guangdong"]
    rows = _csv_rows(render_metrics_csv([s]))
    year = _by_quote(rows, "地区生产总值增长4.5%—5%")
    assert (year["measure"], year["bound"], year["low"], year["high"]) == (
        "change",
        "range",
        "4.5",
        "5",
    )
    assert (year["status"], year["span"], year["reference_year"]) == ("target", "year", "2026")
    five = _by_quote(rows, "地区生产总值年均增长5%左右")
    assert (five["bound"], five["span"], five["reference_year"]) == ("about", "multi_year", "2030")
    assert (year["level"], year["entity"], year["year"]) == ("province", "广东省", "2025")

    panel = _csv_rows(render_panel_csv([s]))
    gdp_targets = [
        (r["reference_year"], r["value"], r["bound"], r["span"])
        for r in panel
        if (r["canonical_name"], r["measure"], r["status"]) == ("地区生产总值", "change", "target")
    ]
    assert gdp_targets == [("2026", "4.5", "range", "year"), ("2030", "5", "about", "multi_year")]


# --- Hebei -----------------------------------------------------------------------------------


def test_hebei_shows_the_year_s_growth_with_five_year_totals_apart(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = province["hebei"]
    b = build_briefing(s)
    _only_year_figures_among_the_year_rows(b)
    assert b.metrics[0].metric.name == "全省生产总值"
    assert (b.metrics[0].value, b.metrics[0].status_label) == ("增长5.6%", "实际")
    assert "全省生产总值增长5.6%" in b.overview
    assert b.five_years, "the five-year review's figures are shown, apart"
    assert ("年均增长6.5%", "实际", "这五年") in _rows(b.five_years, "规上工业增加值")
    heads = render_index_html([s]).split("<tbody>", 1)[1]
    assert '全省生产总值 <b class="up">增长5.6%</b>' in heads
    assert "4.93万亿元" not in heads  # a five-year total never heads the report


def test_hebei_panel_keeps_the_year_s_growth_for_2025(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = province["hebei"]
    panel = _csv_rows(render_panel_csv([s]))
    (gdp,) = [
        r
        for r in panel
        if (r["reference_year"], r["canonical_name"], r["measure"], r["status"])
        == ("2025", "地区生产总值", "change", "actual")
    ]
    assert (gdp["value"], gdp["change_pct"], gdp["span"], gdp["quote"]) == (
        "5.6",
        "5.6",
        "year",
        "全省生产总值增长5.6%",
    )


# --- Hainan ----------------------------------------------------------------------------------


def test_hainan_gdp_target_is_the_year_s_not_the_plan_s(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, _ = province["hainan"]
    b = build_briefing(s)
    _only_year_figures_among_the_year_rows(b)
    assert _rows(b.metrics, "地区生产总值")[:2] == [
        ("增长4%", "实际", ""),
        ("增长6%左右", "2026年目标", ""),
    ]
    assert "年均增长6%以上" not in [r.value for r in b.metrics]
    rows = _csv_rows(render_metrics_csv([s]))
    plan = _by_quote(rows, "全省生产总值年均增长6%以上")
    assert (plan["bound"], plan["span"], plan["reference_year"]) == (
        "at_least",
        "multi_year",
        "2030",
    )
    cap = _by_quote(rows, "城镇调查失业率控制在5.5%以内")
    assert (cap["measure"], cap["bound"], cap["value"]) == ("level", "at_most", "5.5")


def _fall(text: str, quote: str, value: float, name: str) -> Metric:
    """A metric on `quote` in the sample text, read as the pipeline reads every metric."""
    start = text.index(quote)
    metric = Metric(
        id="m-fall",
        name=name,
        canonical_name=name,
        value=value,
        unit="%",
        evidence=Evidence(quote=quote, start=start, end=start + len(quote)),
    )
    return read_figure(
        metric, FigureContext(year=2025, kind="annual", in_plans=False, horizon=None)
    )


def test_hainan_fall_reads_as_a_fall_everywhere(
    province: dict[str, tuple[Summary, str]],
) -> None:
    s, text = province["hainan"]
    fall = _fall(text, "森林火灾数下降80%", 80, "森林火灾数")
    s = s.model_copy(update={"metrics": [fall]})
    row = _csv_rows(render_metrics_csv([s]))[0]
    assert (row["measure"], row["value"], row["direction"], row["change_pct"]) == (
        "change",
        "80",
        "down",
        "-80",
    )
    (panel,) = _csv_rows(render_panel_csv([s]))
    assert (panel["direction"], panel["change_pct"]) == ("down", "-80")
    b = build_briefing(s)
    assert (b.metrics[0].value, b.metrics[0].direction) == ("下降80%", -1)
    assert "森林火灾数|下降80%|—|—|实际" in _html_metric_rows(render_html(s))
    assert '<td class="num value down">下降80%</td>' in render_html(s)
    assert "| 下降80% |" in render_markdown(s)
    assert "森林火灾数 下降80%" in render_source_html(s, text)
    assert '<b class="down">下降80%</b>' in render_index_html([s])


def test_a_seed_s_fall_loads_as_a_fall_from_the_csv() -> None:
    """The issue's case: 闲置率下降10% loaded as +10 with nothing to mark the fall."""
    s = summarize(seed_path("002"))
    row = _by_quote(_csv_rows(render_metrics_csv([s])), "闲置率下降10%")
    assert (row["measure"], row["direction"], row["change_pct"]) == ("change", "down", "-10")
