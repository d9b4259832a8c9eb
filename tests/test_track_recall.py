"""Extractor and linking rules that raised tracking recall: the forms the plans write targets
in (standards raised per head, lists sharing a figure, areas, building stages), five-year
reviews read as the term's, task counts followed only when reported."""

from __future__ import annotations

import pytest

from summarizer.config import Settings
from summarizer.extract.backend import open_backend
from summarizer.lexicon.indicators import indicator
from summarizer.models import Summary
from summarizer.pipeline import summarize_report
from summarizer.read.five_years import FiveYearParts
from summarizer.read.source import Report
from summarizer.read.structure import parse_structure
from summarizer.track import track_summaries
from tests.test_track import _one, _Report


def _summarise(text: str) -> Summary:
    settings = Settings()
    with open_backend(settings, None) as backend:
        return summarize_report(Report("r", "r.txt", text, "utf-8"), settings, backend)


def _named(sentence: str) -> list[tuple[str | None, float]]:
    return [(m.canonical_name, m.value) for m in _summarise(sentence).metrics]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a target's bare 要 before a change: the list of names shares the figure
        (
            "今年二氧化硫、氮氧化物排放量要下降3%。",
            [("二氧化硫排放量", 3.0), ("氮氧化物排放量", 3.0)],
        ),
        # the pollutant alone names its emissions in a list
        (
            "化学需氧量、氨氮排放都要减少2%左右。",
            [("化学需氧量排放量", 2.0), ("氨氮排放量", 2.0)],
        ),
        # a list's changes in 元, each named with its standard
        (
            "居民医保和基本公共卫生服务经费人均财政补助标准分别再增加30元和5元。",
            [("居民医保人均财政补助标准", 30.0), ("人均基本公共卫生服务经费标准", 5.0)],
        ),
        # a plan's 再 before its change word
        ("城乡居民基础养老金最低标准再提高20元。", [("城乡居民基础养老金最低标准", 20.0)]),
        # a standard's base per head, and the level per head
        (
            "今年新农合和城镇居民基本医疗保险财政补助标准由每人每年240元提高到280元。",
            [("居民医保人均财政补助标准", 280.0)],
        ),
        ("城乡居民基本医保财政补助标准提高到人均320元。", [("居民医保人均财政补助标准", 320.0)]),
        # an enumeration's ordinal is no part of the name
        ("一是城镇新增就业4000人。", [("城镇新增就业", 4000.0)]),
        # an area names the noun after it, as a count does
        ("打造2万亩高标准农田。", [("高标准农田建设", 2.0)]),
        ("新建1亿亩高标准农田。", [("高标准农田建设", 1.0)]),
        # a bare building stage takes its sentence's subject
        (
            "新开工保障性安居工程666万套，基本建成544万套。",
            [("保障性安居工程新开工", 666.0), ("保障性安居工程基本建成", 544.0)],
        ),
        (
            "今年城镇保障性住房基本建成470万套、新开工630万套。",
            [("保障性安居工程基本建成", 470.0), ("保障性安居工程新开工", 630.0)],
        ),
        # 综合效益 after the visitors is tourism's
        (
            "全年接待游客873万人次，综合效益43.65亿元。",
            [("接待游客", 873.0), ("旅游总收入", 43.65)],
        ),
    ],
)
def test_plan_forms_are_read(sentence: str, expected: list[tuple[str, float]]) -> None:
    assert _named(sentence) == expected


def test_a_list_change_in_yuan_is_a_change() -> None:
    text = "居民医保和基本公共卫生服务经费人均财政补助标准分别再提高30元和5元。"
    metrics = _summarise(text).metrics
    assert [(m.measure, m.direction) for m in metrics] == [("change", "up")] * 2


def _summary(text: str) -> list[tuple[str, float, str | None]]:
    return [(m.name, m.value, m.span) for m in _summarise(text).metrics]


FIVE_YEAR_HEADING = (
    "某县政府工作报告\n"
    "一、过去五年工作回顾\n"
    "新建改建农村公路127万公里，居民医保人均财政补助标准由240元提高到450元。\n"
    "二、2018年工作安排\n"
    "新建改建农村公路20万公里。\n"
)
FIVE_YEAR_LEAD = (
    "某县政府工作报告\n"
    "一、过去一年和五年工作回顾\n"
    "去年城镇新增就业1206万人。\n"
    "五年来，我们主要做了以下工作。\n"
    "（一）坚持稳中求进。新建改建农村公路127万公里。\n"
    "（二）保障民生。新建高标准农田4.56亿亩。\n"
    "二、2023年工作安排\n"
    "新建改建农村公路20万公里。\n"
)


def test_a_five_year_review_is_the_terms_by_its_heading() -> None:
    got = _summary(FIVE_YEAR_HEADING)
    review = [x for x in got if x[1] == 127.0]
    plan = [x for x in got if x[1] == 20.0]
    assert review and review[0][2] == "multi_year"  # a flow over the five years
    assert plan and plan[0][2] == "year"  # the plan's, untouched
    assert [x[2] for x in got if x[1] == 450.0] == ["year"]  # a level reached: the last year's


def test_a_five_year_review_is_the_terms_by_the_lead_before_its_sections() -> None:
    parts = FiveYearParts.of(parse_structure(FIVE_YEAR_LEAD))
    assert FIVE_YEAR_LEAD.index("127万") in parts and FIVE_YEAR_LEAD.index("4.56亿") in parts
    assert FIVE_YEAR_LEAD.index("1206万") not in parts  # the year's, before the lead
    assert FIVE_YEAR_LEAD.index("20万公里") not in parts  # the plans part


def test_a_later_sentence_opening_on_the_term_governs_its_paragraph() -> None:
    text = (
        "某县政府工作报告\n一、2015年工作回顾\n"
        "2015年是“十二五”收官之年。过去五年，我们攻坚克难。一是发展较快。"
        "城镇新增就业人数超过6400万人。\n"
    )
    assert [x[2] for x in _summary(text) if x[1] == 6400.0] == ["multi_year"]


def test_a_task_count_is_followed_only_when_the_next_report_states_it() -> None:
    assert indicator("农村公路") is not None and indicator("农村公路").task  # type: ignore[union-attr]
    road = {"canonical_name": "农村公路", "name": "新建改建农村公路", "unit": "万公里"}
    a = _Report("a_2016", 2016).target("新建改建农村公路20万公里", value=20, **road)
    b = _Report("a_2017", 2017)
    assert track_summaries([a.summary(), b.summary()]).links == []
    b.actual("新建改建农村公路29万公里", value=29, **road)
    assert _one(track_summaries([a.summary(), b.summary()]).links, "农村公路").verdict == "met"


def test_a_sum_cut_is_a_level_of_its_indicator() -> None:
    cut = {"canonical_name": "减税降费", "unit": "亿元"}
    a = _Report("a_2016", 2016).target(
        "减轻企业和个人负担5000多亿元", value=5000, name="减轻企业和个人负担", **cut
    )
    b = _Report("a_2017", 2017).actual(
        "降低企业税负5700多亿元",
        value=5700,
        name="降低企业税负",
        measure="change",
        direction="down",
        **cut,
    )
    link = _one(track_summaries([a.summary(), b.summary()]).links, "减税降费")
    assert (link.measure, link.verdict) == ("level", "met")


def test_a_heading_naming_the_year_too_is_not_the_terms() -> None:
    text = "某省政府工作报告\n一、2025年和“十四五”时期工作回顾\n全省生产总值增长3.9%。\n"
    assert text.index("3.9%") not in FiveYearParts.of(parse_structure(text))
    assert [x[2] for x in _summary(text) if x[1] == 3.9] == ["year"]


FROM_A_DATED_START = (
    "某县政府工作报告\n"
    "一、2020年工作回顾\n"
    # 易县 2021 (a five-year paragraph) and 西藏 2026: the start's year is not the level's
    "过去的五年，全县生产总值从2015年的87.55亿元增长到118.32亿元，年均增长5.02%。"
    "城乡居民人均可支配收入从2016年的46503元和16935元分别提高到58794元和23184元。"
    # national 2013: the end's own year
    "补贴资金从2007年的639亿元增加到2012年的1923亿元。"
    # national 2023: a stock reached is the point's
    "制造业贷款余额从16.3万亿元增加到27.4万亿元。\n"
    "二、2021年工作安排\n"
    "地区生产总值增长6%。\n"
)


@pytest.mark.parametrize(
    ("value", "span", "year"),
    [
        (118.32, "year", 2020),
        (58794.0, "year", 2020),
        (23184.0, "year", 2020),
        (1923.0, "year", 2012),
    ],
)
def test_a_level_reached_from_a_dated_start_is_the_years(
    value: float, span: str, year: int
) -> None:
    (m,) = [m for m in _summarise(FROM_A_DATED_START).metrics if m.value == value]
    assert (m.span, m.reference_year) == (span, year)


def test_a_stock_reached_from_a_start_is_the_points() -> None:
    (m,) = [m for m in _summarise(FROM_A_DATED_START).metrics if m.value == 27.4]
    assert m.span is None


def test_the_change_beside_a_level_reached_from_a_start_is_no_change_of_the_year() -> None:
    # 顺平 2020 plans 一般公共预算收入增长10%; 顺平 2021 (a five-year review) gives only the level
    # reached and the five years' 累计增长71%
    plan = _Report("a_2020", 2020).target(
        "一般公共预算收入增长10%",
        canonical_name="一般公共预算收入",
        value=10,
        unit="%",
        measure="change",
        direction="up",
    )
    review = _Report("a_2021", 2021).actual(
        "一般公共预算收入由3.2亿元增长到5.5亿元，累计增长71%",
        canonical_name="一般公共预算收入",
        value=5.5,
        unit="亿元",
        measure="level",
        change_pct=71.0,
    )
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "一般公共预算收入")
    assert (link.verdict, link.actual) == ("not_reported", None)


def _review_of(year: int, sentences: str) -> Summary:
    text = f"某县政府工作报告\n一、{year}年工作回顾\n{sentences}\n二、{year + 1}年工作安排\n地区生产总值增长6%。\n"
    return _summarise(text)


@pytest.mark.parametrize(
    ("year", "sentences", "value", "span"),
    [
        # national 2013: a change since a base year five years back
        (
            2012,
            "城镇和农村人均住房面积32.9平方米、37.1平方米，分别比2007年增加2.8平方米和5.5平方米。",
            5.5,
            "multi_year",
        ),
        # 顺平 2021
        (2020, "空气质量持续改善，与2015年相比综合指数下降34.6%。", 34.6, "multi_year"),
        # 海南 2026: a base in the sentence before lends its year to no later figure
        (
            2025,
            "2025年外国人来琼工作人数较2020年增长90%。全职或全时在琼两院院士增至10人。"
            "新增技能人才39.87万人次。",
            39.87,
            "year",
        ),
    ],
)
def test_a_base_year_is_no_year_of_the_figure(
    year: int, sentences: str, value: float, span: str
) -> None:
    (m,) = [m for m in _review_of(year, sentences).metrics if m.value == value]
    assert (m.reference_year, m.span) == (year, span)
