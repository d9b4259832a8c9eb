"""Tracking's reading of scope and status (issue 16): a plans part's sub-headings, a list's
additions word, a zone opening a sentence, the projects an investment is of, an attribute's
shared subject, a term's average, the parts of 减税降费, the 省市 list.
The sentences are copied from the corpus reports named beside them."""

from __future__ import annotations

import pytest

from summarizer.lexicon.indicators import canonical_name, indicator, parts_of
from summarizer.read.headings import heading_role
from summarizer.track import track_summaries
from tests.test_track import _one, _Report
from tests.test_track_recall import _summarise


def _names(sentence: str) -> list[tuple[str, str | None, float]]:
    return [(m.name, m.canonical_name, m.value) for m in _summarise(sentence).metrics]


# --- the plans part's sub-headings --------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "巩固治理成效，持续改善生态环境",  # 顺平 2020
        "在实施创新驱动发展上做文章、见成效",  # 顺平 2023
        "全面优化布局，推进新型城镇化取得新成效",  # 易县 2021
    ],
)
def test_an_aim_in_a_plans_sub_heading_is_no_review(title: str) -> None:
    assert heading_role(title, top_level=False) == "review"  # alone, the words read as a review
    assert heading_role(title, top_level=False, in_plans=True) is None  # under plans: inherits


def test_a_plans_lead_looking_back_stays_a_review() -> None:
    # national 2025, in its plans part
    assert (
        heading_role("过去一年，国防和军队建设取得新的重要进展", False, in_plans=True) == "review"
    )


SHUNPING_2020 = (
    "2020年顺平县政府工作报告\n"
    "一、2019年工作回顾\n"
    "全年地区生产总值增长6.5%。\n"
    "二、2020年目标任务\n"
    "(一)决胜完胜脱贫攻坚，全面建成小康社会。全年城镇新增就业1500人。\n"
    "(二)巩固治理成效，持续改善生态环境。坚持方向不变、力度不减。完成植树造林3.5万亩，"
    "森林覆盖率提高到44.8%。\n"
)


def test_a_figure_under_an_aim_heading_of_the_plans_is_a_target() -> None:
    (forest,) = [m for m in _summarise(SHUNPING_2020).metrics if m.name == "森林覆盖率"]
    assert (forest.status, forest.reference_year) == ("target", 2020)


# --- names: a list's additions word, a zone, projects, a shared subject -------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # 顺平 2024
            "全力推进创新创业，纳统“规上”企业11家，新增“专精特新”企业8家、高新技术企业11家、"
            "科技型中小企业80家，科技创新能力在全省实现C类向B类跃升跨越。",
            [("新增高新技术企业", 11.0), ("新增科技型中小企业", 80.0)],
        ),
        (  # 顺平 2022: 培育 is an additions word too
            "紧抓京津冀协同创新共同体政策机遇，培育省级技术创新中心1家、高新技术企业8家、"
            "科技型中小企业45家，确保县域科技创新能力升至全省B类。",
            [("新增高新技术企业", 8.0), ("新增科技型中小企业", 45.0)],
        ),
        (  # 易县 2022
            "新增科技型中小企业60家、高新技术企业11家，列入省级技改项目8个。",
            [("新增科技型中小企业", 60.0), ("新增高新技术企业", 11.0)],
        ),
    ],
)
def test_an_additions_word_opening_a_list_names_every_item(
    sentence: str, expected: list[tuple[str, float]]
) -> None:
    found = [(c, v) for _, c, v in _names(sentence) if c and "企业" in c]
    assert found[-len(expected) :] == expected


def test_a_comma_ends_the_list_an_additions_word_opens() -> None:
    names = [(c, v) for _, c, v in _names("新增科技型中小企业60家，高新技术企业11家。")]
    assert names == [("新增科技型中小企业", 60.0), ("高新技术企业", 11.0)]


def test_a_zone_opening_a_sentence_names_its_later_figures() -> None:
    # 顺平 2023: the zone's foreign investment, not the county's
    names = _names("开发区营业收入增长65.8%，税收收入增长29%，实际利用外资增长91.6%，创历史新高。")
    assert ("开发区实际利用外资", None, 91.6) in names
    county = _names("全县实际利用外资增长5%，开发区营业收入增长10%。")
    assert ("实际利用外资", "实际利用外资", 5.0) in county


def test_an_investment_is_of_the_projects_counted_nearest_before_it() -> None:
    # 顺平 2024: 40亿元 for all 124 projects, 14亿元 for the 27 listed by province and city
    names = _names(
        "全力抓好124个重点项目建设，力争年内完成投资40亿元以上，突出抓好27个省市重点项目，"
        "全年完成投资14亿元以上。"
    )
    assert ("省市重点项目投资", "重点项目投资", 14.0) in names
    assert ("省市重点项目投资", "重点项目投资", 40.0) not in names
    # 易县 2020: after 其中 (a part) the investment is the whole's, as before
    yixian = _names(
        "2020年，谋划实施县级重点项目44项，其中，申报省市重点23项，总投资311.7亿元，"
        "计划完成投资21.6亿元。"
    )
    assert ("谋划实施县级重点项目投资", "重点项目投资", 21.6) in yixian
    # 易县 2019: a rate (项目开工率) counts no projects
    rate = _names(
        "2018年列入省市重点项目19项，总投资834.59亿元，项目开工率100%，完成投资50.03亿元。"
    )
    assert ("列入省市重点项目投资", "重点项目投资", 50.03) in rate


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("确保粮食播种面积稳定在33万亩以上，年产量12.6万吨以上。", ("粮食产量", 12.6)),  # 顺平 2022
        ("粮食播种面积稳定在427万亩以上，总产量29亿斤以上。", ("粮食产量", 29.0)),  # 承德 2024
        ("全年清洁能源并网367万千瓦，总装机达到1400万千瓦。", ("清洁能源装机", 1400.0)),
    ],
)
def test_an_attribute_shares_the_subject_of_the_figure_before_it(
    sentence: str, expected: tuple[str, float]
) -> None:
    assert expected in [(c, v) for _, c, v in _names(sentence)]


def test_a_noun_after_a_figure_takes_no_subject_from_it() -> None:
    # varied report: the 18 firms are of 产值过10亿元, not new 规上 firms
    names = _names("新增规上工业企业35家，总数达到312家，其中产值过10亿元企业18家。")
    assert all(v != 18.0 for n, _, v in names if n == "新增规上工业企业")


def test_a_terms_average_rise_is_no_years_figure() -> None:
    # national 2023 reviews 2022 and the five years: 2.1% is the five years' average
    spans = [
        (m.value, m.span)
        for m in _summarise("居民消费价格上涨2%。居民消费价格年均上涨2.1%。").metrics
    ]
    assert spans == [(2.0, "year"), (2.1, "multi_year")]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("招引落地项目", "新引进项目"),  # 顺平 2022
        ("为企业和个人减税", "减税"),  # national 2018
        ("减轻非税负担", "降费"),
        ("为企业和个人减税降费", "减税降费"),  # national 2019
    ],
)
def test_table_names(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical


# --- linking ------------------------------------------------------------------------------------

CUT = {"measure": "level", "unit": "亿元", "value": 8000.0, "bound": "at_least"}


def test_a_part_with_only_its_whole_reported_is_unclear() -> None:
    cut = indicator("减税")
    assert cut is not None and cut.part_of == "减税降费"
    plan = _Report("a", 2017).target(
        "全年再为企业和个人减税8000多亿元", canonical_name="减税", **CUT
    )
    review = _Report("b", 2018).actual(
        "全年为企业和个人减税降费约1.3万亿元",
        canonical_name="减税降费",
        measure="level",
        unit="万亿元",
        value=1.3,
        bound="about",
    )
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "减税")
    assert link.verdict == "unclear" and link.actual.value == 1.3
    assert "减税降费" in link.note


def test_the_whole_reported_for_a_whole_is_judged() -> None:
    plan = _Report("a", 2017).target(
        "全年减税降费8000亿元", canonical_name="减税降费", **{**CUT, "bound": None}
    )
    review = _Report("b", 2018).actual(
        "全年减税降费约1.3万亿元",
        canonical_name="减税降费",
        measure="level",
        unit="万亿元",
        value=1.3,
    )
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "减税降费")
    assert link.verdict == "met"


INVEST = {"canonical_name": "重点项目投资", "measure": "level", "unit": "亿元", "bound": "at_least"}


def test_of_two_scopes_the_provincial_and_city_list_is_the_target() -> None:
    # 顺平 2024 plans both; the next reports count the 省市 list
    plan = (
        _Report("a", 2023)
        .target("力争年内完成投资40亿元以上", name="重点项目建设投资", value=40.0, **INVEST)
        .target("全年完成投资14亿元以上", name="省市重点项目投资", value=14.0, **INVEST)
    )
    review = _Report("b", 2024).actual(
        "省市重点项目完成投资15亿元",
        name="省市重点项目投资",
        value=15.0,
        **{**INVEST, "bound": None},
    )
    (link,) = track_summaries([plan.summary(), review.summary()]).links
    assert (link.target.value, link.verdict) == (14.0, "met")
    (last,) = track_summaries([plan.summary(), _Report("c", 2022).summary()]).links
    assert (last.target.value, last.verdict) == (14.0, "unclear")


def test_a_whole_with_only_its_parts_reported_is_unclear() -> None:
    # national 2022 plans 退税减税约2.5万亿元; national 2023 gives its two parts apart
    assert set(parts_of("退税减税")) == {"减税降费", "留抵退税"}
    money = {"measure": "level", "unit": "万亿元", "bound": "about"}
    plan = _Report("a", 2021).target(
        "预计全年退税减税约2.5万亿元", canonical_name="退税减税", value=2.5, **money
    )
    review = (
        _Report("b", 2022)
        .actual("全年增值税留抵退税超过2.4万亿元", canonical_name="留抵退税", value=2.4, **money)
        .actual("新增减税降费超过1万亿元", canonical_name="减税降费", value=1.0, **money)
    )
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "退税减税")
    assert link.verdict == "unclear" and link.actual.value == 2.4
    assert "留抵退税" in link.note and "减税降费" in link.note


def test_people_counted_as_ren_or_ming_are_one_count() -> None:
    # 易县 2019 plans 完成减贫1186人; 易县 2020 reviews 1374名贫困人口稳定脱贫
    people = {"canonical_name": "脱贫人口", "measure": "level"}
    plan = _Report("a", 2018).target("完成减贫1186人", value=1186.0, unit="人", **people)
    review = _Report("b", 2019).actual("1374名贫困人口稳定脱贫", value=1374.0, unit="名", **people)
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "脱贫人口")
    assert (link.verdict, link.actual.value) == ("met", 1374.0)


NATIONAL_2022 = (
    "2022年国务院政府工作报告\n"
    "一、2021年工作回顾\n"
    "全年国内生产总值增长8.1%。\n"
    "二、2022年经济社会发展总体要求和政策取向\n"
    "实施新的组合式税费支持政策。预计全年退税减税约2.5万亿元，其中留抵退税约1.5万亿元。\n"
)


def test_what_the_plans_part_expects_is_of_the_year_planned() -> None:
    # national 2022: 预计 in the plans part is said of 2022, and tracked as its plan figure
    metrics = {m.canonical_name: m for m in _summarise(NATIONAL_2022).metrics}
    refunds = metrics["留抵退税"]
    assert (refunds.status, refunds.reference_year) == ("forecast", 2022)
    assert metrics["地区生产总值"].reference_year == 2021


def test_a_plan_years_forecast_is_tracked_as_its_target() -> None:
    money = {"canonical_name": "留抵退税", "measure": "level", "unit": "万亿元"}
    plan = _Report("a", 2021).add(
        "预计全年退税减税约2.5万亿元，其中留抵退税约1.5万亿元。",
        "其中留抵退税约1.5万亿元",
        status="forecast",
        reference_year=2022,
        value=1.5,
        bound="about",
        **money,
    )
    review = _Report("b", 2022).actual("全年增值税留抵退税超过2.4万亿元", value=2.4, **money)
    link = _one(track_summaries([plan.summary(), review.summary()]).links, "留抵退税")
    assert (link.target.value, link.verdict) == (1.5, "met")
