"""Afforestation, restoration and groundwater targets (issue 16): outcomes in the land, followed
like 高标准农田建设 even when the next report is silent; 造林 against only its parts is unclear; a
paragraph opening on a five-year term keeps its figures off the year. Sentences are copied from
the reports in evals/tracking/reports (河北 2025, 易县 2019–2022, 顺平 2020–2024)."""

from __future__ import annotations

import pytest

from summarizer.lexicon.indicators import canonical_name, parts_of
from summarizer.models import Summary
from summarizer.pipeline import summarize_report
from summarizer.read.source import Report
from summarizer.track import track_summaries
from summarizer.track.link import Link


def _summary(rid: str, text: str) -> Summary:
    return summarize_report(Report(rid, f"{rid}.txt", text, "utf-8"))


def _report(entity: str, year: int, review: str, plans: str) -> Summary:
    text = (
        f"各位代表：\n现在，我代表{entity}人民政府，向大会报告工作。\n一、{year - 1}年工作回顾\n{review}\n"
        f"二、{year}年工作安排\n{plans}\n"
    )
    return _summary(f"{entity}_{year}", text)


def _links(*summaries: Summary, indicator: str) -> list[Link]:
    return [x for x in track_summaries(list(summaries)).links if x.indicator == indicator]


@pytest.mark.parametrize(
    "written",
    [
        "营造林",  # 河北 2025, 易县 2022
        "植树造林",  # 顺平 2020, 2024
        "造林绿化",  # 易县 2019
    ],
)
def test_afforestation_is_one_indicator_however_written(written: str) -> None:
    assert canonical_name(written) == "造林"


def test_an_afforestation_target_is_followed_when_the_next_report_is_silent() -> None:
    # 顺平 2021 plans 压采地下水735万立方米; 顺平 2022 reviews the year with no figure of it.
    # 河北 2025 plans 完成营造林600万亩 and 河北 2026 gives only the five-year total.
    plan = _report(
        "顺平县",
        2021,
        "地区生产总值增长6%。",
        "压采地下水735万立方米，关停城区自备井30眼。抓好重大生态工程，完成营造林600万亩。",
    )
    review = _report("顺平县", 2022, "地区生产总值增长7%。", "地区生产总值增长6%。")
    for indicator in ("压减地下水开采量", "造林"):
        (link,) = _links(plan, review, indicator=indicator)
        assert (link.verdict, link.actual) == ("not_reported", None), indicator


def test_afforestation_against_only_its_parts_is_unclear() -> None:
    # 易县 2019 plans 完成造林绿化9万亩; 易县 2020 reports 人工造林 and 封山育林 apart
    assert set(parts_of("造林")) == {"人工造林", "封山育林"}
    plan = _report(
        "易县", 2019, "地区生产总值增长6%。", "完成造林绿化9万亩，林木绿化率达到56.56%。"
    )
    review = _report(
        "易县",
        2020,
        "完成人工造林6.5万亩、封山育林6万亩，林木绿化率达到56.26%。",
        "完成造林4万亩。",
    )
    (link,) = [x for x in _links(plan, review, indicator="造林") if x.year == 2019]
    assert link.verdict == "unclear" and link.actual is not None and link.actual.value == 6.5
    assert "人工造林" in link.note and "封山育林" in link.note


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        (
            "地表水国考断面水质优良比例保持在80%以上，地下水开采量压减1.77亿立方米，营造林638万亩。",
            1.77,
        ),
        ("完成营造林600万亩，修复退化草原50万亩，压减地下水开采量1.57亿立方米。", 1.57),
        ("建设开发区污水处理厂。完成地下水压采367万立方米，关停城区自备井10眼。", 367.0),
        (
            "完成98个傍水村生活污水治理任务，压减地下水超采411万立方米，完成河湖生态补水2亿立方米。",
            411.0,
        ),
    ],
)
def test_the_groundwater_cut_is_one_indicator_in_its_four_wordings(
    sentence: str, value: float
) -> None:
    s = _report("顺平县", 2021, sentence, "地区生产总值增长6%。")
    got = [m.value for m in s.metrics if m.canonical_name == "压减地下水开采量"]
    assert got == [value]


def test_a_paragraph_opening_on_the_term_keeps_a_later_figure_off_the_year() -> None:
    # 易县 2021: a year's figure (全年空气优良天数) inside the five years' paragraph lends its
    # 全年 to no later figure: 完成造林27.3万亩 is the five years' total
    review = (
        "过去的五年是生态环境明显改善的五年。“十三五”末，全年空气优良天数达到258天，比2016年增加"
        "80天。以白洋淀上游流域综合治理为重点，投资5.36亿元，完成河道清理整治27公里。修复治理责任"
        "主体灭失矿山49处，完成造林27.3万亩，林木绿化率达到56.38%。"
    )
    s = _report("易县", 2021, review, "地区生产总值增长6%。")
    (forest,) = [m for m in s.metrics if m.canonical_name == "造林"]
    assert forest.value == 27.3 and forest.span == "multi_year"
