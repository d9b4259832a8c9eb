"""What a figure means (SPEC schema version 2), read from its quote and place: a table of the
genre's own phrasings and what each must give."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.extract.figures import FigureContext, read_figure
from summarizer.models import Evidence, Metric, Status

REVIEW = FigureContext(year=2024, kind="annual", in_plans=False, horizon=None)
PLANS = FigureContext(year=2024, kind="annual", in_plans=True, horizon="next_year")
FIVE_YEAR_PLANS = FigureContext(year=2024, kind="annual", in_plans=True, horizon="multi_year")


def _read(
    quote: str,
    value: float,
    unit: str,
    ctx: FigureContext = REVIEW,
    status: Status = "actual",
    change_pct: float | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    m = Metric(
        name="指标",
        value=value,
        unit=unit,
        status=status,
        change_pct=change_pct,
        period=period,
        evidence=Evidence(quote=quote, start=0, end=len(quote)),
    )
    out = read_figure(m, ctx)
    keys = ("measure", "direction", "change_pct", "bound", "low", "high", "span", "reference_year")
    return {k: getattr(out, k) for k in keys}


@pytest.mark.parametrize(
    ("quote", "value", "unit", "change_pct", "expected"),
    [
        # A level, with the change stated beside it: the extractor's change is kept.
        (
            "完成一般公共预算收入4.01亿元，同比下降14.4%",
            4.01,
            "亿元",
            -14.4,
            {"measure": "level", "direction": None, "change_pct": -14.4, "bound": None},
        ),
        # A change figure: value as written, change_pct signed, direction from the word.
        (
            "规上工业增加值下降3.2%",
            3.2,
            "%",
            None,
            {"measure": "change", "direction": "down", "change_pct": -3.2},
        ),
        (
            "地区生产总值增长5.3%",
            5.3,
            "%",
            None,
            {"measure": "change", "direction": "up", "change_pct": 5.3},
        ),
        (
            "工业用电量下降了１２．５％",
            12.5,
            "%",
            None,
            {"measure": "change", "direction": "down", "change_pct": -12.5},
        ),
        # Not a % change: a change all the same, with no change_pct.
        (
            "空气质量优良天数比例提高2.8个百分点",
            2.8,
            "个百分点",
            None,
            {"measure": "change", "direction": "up", "change_pct": None},
        ),
        (
            "降低企业税负5700多亿元",
            5700,
            "亿元",
            None,
            {"measure": "change", "direction": "down", "change_pct": None, "bound": "at_least"},
        ),
        # Levels reached, shares and intensities.
        ("地区生产总值增速回落至3.2%", 3.2, "%", None, {"measure": "level", "direction": None}),
        ("研发投入强度3.6%", 3.6, "%", None, {"measure": "level", "change_pct": None}),
        ("闲置率下降10%", 10, "%", None, {"measure": "change", "change_pct": -10}),
    ],
)
def test_measure_direction_and_signed_change(
    quote: str, value: float, unit: str, change_pct: float | None, expected: dict[str, Any]
) -> None:
    got = _read(quote, value, unit, change_pct=change_pct)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("quote", "value", "unit", "bound", "low", "high"),
    [
        ("地区生产总值增长6%左右", 6, "%", "about", None, None),
        ("城镇新增就业1200万人以上", 1200, "万人", "at_least", None, None),
        ("居民消费价格涨幅控制在3%以内", 3, "%", "at_most", None, None),
        ("赤字率约3%", 3, "%", "about", None, None),
        ("经营主体突破1900万户", 1900, "万户", "at_least", None, None),
        ("地区生产总值增长4.5%—5%", 4.5, "%", "range", 4.5, 5.0),
        ("增长4.5-5%", 4.5, "%", "range", 4.5, 5.0),
        ("迈上14万亿元新台阶", 14, "万亿元", "at_least", None, None),
        ("全年完成138亿元", 138, "亿元", None, None, None),
        ("2020-2025年累计完成投资500亿元", 500, "亿元", None, None, None),  # years, not a range
    ],
)
def test_bound_and_range(
    quote: str, value: float, unit: str, bound: str | None, low: float | None, high: float | None
) -> None:
    got = _read(quote, value, unit)
    assert (got["bound"], got["low"], got["high"]) == (bound, low, high)


def test_a_range_change_is_signed_by_its_low_end() -> None:
    got = _read("地区生产总值增长4.5%—5%", 4.5, "%", ctx=PLANS, status="target")
    assert (got["measure"], got["change_pct"], got["reference_year"]) == ("change", 4.5, 2025)


@pytest.mark.parametrize(
    ("quote", "value", "unit", "period", "ctx", "status", "span", "year"),
    [
        ("全年地区生产总值增长5.4%", 5.4, "%", "全年", REVIEW, "actual", "year", 2024),
        ("上半年完成投资25.7亿元", 25.7, "亿元", "上半年", REVIEW, "actual", "half_year", 2024),
        ("1-10月实现收入4.01亿元", 4.01, "亿元", "1-10月", REVIEW, "actual", "months", 2024),
        (
            "过去五年，地区生产总值年均增长5.9%",
            5.9,
            "%",
            "过去五年",
            REVIEW,
            "actual",
            "multi_year",
            2024,
        ),
        (
            "“十三五”期间累计完成投资500亿元",
            500,
            "亿元",
            "“十三五”期间",
            REVIEW,
            "actual",
            "multi_year",
            2020,
        ),
        # Targets of an annual report's plans are for the next year; a five-year plan's run
        # to its last year.
        ("地区生产总值增长5%左右", 5, "%", None, PLANS, "target", "year", 2025),
        ("地区生产总值年均增长5%左右", 5, "%", None, FIVE_YEAR_PLANS, "target", "multi_year", 2029),
        (
            "到2030年，研发投入强度达到3%",
            3,
            "%",
            None,
            FIVE_YEAR_PLANS,
            "target",
            "multi_year",
            2030,
        ),
        # A stock at a point in time.
        ("存贷款余额突破1万亿元", 1, "万亿元", None, REVIEW, "actual", None, 2024),
    ],
)
def test_span_and_reference_year(
    quote: str,
    value: float,
    unit: str,
    period: str | None,
    ctx: FigureContext,
    status: Status,
    span: str | None,
    year: int,
) -> None:
    got = _read(quote, value, unit, ctx=ctx, status=status, period=period)
    assert (got["span"], got["reference_year"]) == (span, year)


def test_value_added_and_a_level_reached_are_no_change() -> None:
    got = _read("全市工业增加值108亿元", 108, "亿元")
    assert (got["measure"], got["direction"]) == ("level", None)
    assert _read("城镇化率提高到63.2%", 63.2, "%")["measure"] == "level"


@pytest.mark.parametrize(
    "text",
    [
        # 预计 in a later clause of the sentence governs the figures after it, across "；" and "，".
        "一、上半年工作总结\n大力实施产业发展计划,预计半年度一般公共预算收入完成3.5亿元,同比增长18%;"
        "规上工业总产值完成135.7亿元,同比增长8.4%;进出口总额完成10.2亿元,同比增长9%。\n",
        "一、2023年工作回顾\n加快建设科技创新中心，预计全社会研发投入5350亿元、增长4.9%，"
        "研发投入强度达3.6%，科技型中小企业达5.6万家。\n",
    ],
)
def test_a_forecast_governs_the_figures_after_it_in_its_sentence(text: str) -> None:
    from summarizer.pipeline import summarize_report
    from summarizer.read.source import Report

    s = summarize_report(Report(id="f", source="f.txt", text=text, encoding="utf-8"))
    assert len(s.metrics) >= 3
    assert {m.status for m in s.metrics} == {"forecast"}


def test_figures_before_the_forecast_word_stay_actual() -> None:
    from summarizer.pipeline import summarize_report
    from summarizer.read.source import Report

    text = (
        "一、2023年工作回顾\n全年完成固定资产投资25.7亿元，增长7.3%，预计全年地区生产总值增长6%。\n"
    )
    s = summarize_report(Report(id="f", source="f.txt", text=text, encoding="utf-8"))
    assert [(m.value, m.status) for m in s.metrics] == [(25.7, "actual"), (6.0, "forecast")]


def test_every_figure_of_a_change_list_is_a_change() -> None:
    got = _read("城镇、农村居民人均可支配收入分别增长3.4%、5.2%", 5.2, "%")
    assert (got["measure"], got["direction"], got["change_pct"]) == ("change", "up", 5.2)
    got = _read("死亡人数分别下降38.3%和17.9%", 17.9, "%")
    assert (got["measure"], got["direction"], got["change_pct"]) == ("change", "down", -17.9)


def test_a_five_year_change_is_multi_year() -> None:
    got = _read("居民人均可支配收入五年增长30.8%", 30.8, "%", period="五年")
    assert (got["span"], got["reference_year"]) == ("multi_year", 2024)


def test_a_target_named_in_the_review_is_the_reviewed_year_s() -> None:
    # "完成年初计划4.96亿元的80.9%": the year's own target, looked back on.
    got = _read("完成年初计划4.96亿元的80.9%", 4.96, "亿元", ctx=REVIEW, status="target")
    assert got["reference_year"] == 2024
    got = _read("地区生产总值增长5%左右", 5, "%", ctx=PLANS, status="target")
    assert got["reference_year"] == 2025


def test_a_second_half_target_is_of_the_year_after_a_whole_year_or_term_review() -> None:
    half = FigureContext(year=2021, kind="half_year", in_plans=True, horizon="second_half")
    term = FigureContext(year=2020, kind="multi_year", in_plans=True, horizon="second_half")
    quote = "城镇新增就业800人"
    assert _read(quote, 800, "人", half, "target")["reference_year"] == 2021
    assert _read(quote, 800, "人", term, "target")["reference_year"] == 2021
    # what the review reports stays the year reviewed
    assert _read(quote, 800, "人", term, "actual")["reference_year"] == 2020
