"""Extractor rules the tracking needed: targets as the national plans write them."""

from __future__ import annotations

import pytest

from summarizer.extract.rules.metrics import extract_metrics
from summarizer.read.layout import layout_text
from summarizer.track import track_summaries
from tests.test_track import GDP_UP, _Report


def _named(sentence: str) -> list[tuple[str | None, float]]:
    return [(m.canonical_name, m.value) for m in extract_metrics(sentence, 0, len(sentence))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a target's modal words are no part of the name
        ("今年能源消耗强度要降低3.9%以上。", [("单位地区生产总值能耗", 3.9)]),
        ("今年粮食产量要稳定在5.5亿吨以上。", [("粮食产量", 5.5)]),
        ("移动网络流量资费年内至少降低30%。", [("移动网络流量资费", 30.0)]),
        ("今年企业退休人员基本养老金继续提高10%。", [("企业退休人员基本养老金", 10.0)]),
        ("城镇登记失业率低于4.6%。", [("城镇登记失业率", 4.6)]),
        # one figure two names share, and a shared tail
        (
            "二氧化硫、化学需氧量排放量都要减少2%。",
            [("二氧化硫排放量", 2.0), ("化学需氧量排放量", 2.0)],
        ),
        (
            "二氧化硫、氮氧化物排放要分别减少3%左右和5%左右。",
            [("二氧化硫排放量", 3.0), ("氮氧化物排放量", 5.0)],
        ),
        ("国内生产总值增长6%－6.5%；", [("地区生产总值", 6.0)]),  # a full-width dash: a range
    ],
)
def test_national_targets_are_read(sentence: str, expected: list[tuple[str, float]]) -> None:
    assert _named(sentence) == expected


def test_a_subscript_on_its_own_line_joins_its_letter() -> None:
    text = "广义货币M\n2\n增长13.6%，符合调控要求。\n2\n"
    laid = layout_text(text)
    assert laid == "广义货币M 2 增长13.6%，符合调控要求。\n2\n" and len(laid) == len(text)
    assert _named(laid) == [("广义货币M2余额", 13.6)]


def test_urban_and_rural_income_is_two_indicators() -> None:
    income = {"name": "城乡居民人均可支配收入", "measure": "change", "direction": "up", "unit": "%"}
    a = _Report("y_2019", 2019).target("城乡居民人均可支配收入增长9%", value=9, **income)
    a.target("地区生产总值增长6%", value=6, **GDP_UP)
    b = _Report("y_2020", 2020).actual("城乡居民人均可支配收入均增长9.5%", value=9.5, **income)
    links = track_summaries([a.summary(), b.summary()]).links
    got = {(x.indicator, x.verdict) for x in links}
    assert ("城镇居民人均可支配收入", "met") in got and ("农村居民人均可支配收入", "met") in got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # national 2014 and 2018: what is built is named in the clause before the stage
        (
            "加大保障性安居工程建设力度，今年新开工700万套以上，其中各类棚户区470万套以上。",
            # a count of 棚户区 in homes is their rebuilding (the labels' 棚户区改造 of 2014)
            [("保障性安居工程新开工", 700.0), ("棚户区改造", 470.0)],
        ),
        ("启动新的三年棚改攻坚计划，今年开工580万套。", [("棚户区改造", 580.0)]),
        # national 2015 and 2016: the standard's scheme is the clause before it
        (
            "完善城乡居民基本医保，财政补助标准由每人每年320元提高到380元。",
            [("居民医保人均财政补助标准", 380.0)],
        ),
        (
            "整合城乡居民基本医保制度，财政补助由每人每年380元提高到420元。",
            [("居民医保人均财政补助标准", 420.0)],
        ),
        # a subject that makes no known indicator with it is not taken
        ("加强配套设施建设，今年新开工700万套以上。", []),
        # nor one of another sentence
        ("加大保障性安居工程建设力度。今年新开工700万套以上。", []),
    ],
)
def test_a_bare_attribute_takes_the_subject_of_an_earlier_clause(
    sentence: str, expected: list[tuple[str, float]]
) -> None:
    assert _named(sentence) == expected


def test_a_rate_at_a_level_is_read_and_a_share_is_not() -> None:
    # national 2019 and 2023: "稳定在X%左右的较低水平" states the level itself
    sentence = "城镇新增就业1361万人、调查失业率稳定在5%左右的较低水平。"
    assert _named(sentence) == [("城镇新增就业", 1361.0), ("城镇调查失业率", 5.0)]
    metrics = extract_metrics(sentence, 0, len(sentence))
    assert metrics[1].evidence.quote == "调查失业率稳定在5%左右"
    sentence = "居民消费价格涨幅稳定在2%左右的较低水平。"
    assert _named(sentence) == [("居民消费价格", 2.0)]
    # a figure qualifying a noun after 的 stays out
    assert _named("消费对经济增长的贡献达到76.2%的新高，投资增长24.1%的增量。") == []
