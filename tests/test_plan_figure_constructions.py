"""Constructions of the genre behind quantified targets and actuals (issue 16): a count written
before its noun, a rate after a verb phrase, one figure two indicators share, a standard raised
"统一由X提高到Y". Every sentence is copied from the reports in evals/tracking/reports (national
and county), each construction from two or more of them."""

from __future__ import annotations

import pytest

from summarizer.extract.figures import FigureContext, read_figure
from summarizer.extract.rules.metrics import extract_metrics
from summarizer.models import Metric

_PLANS = FigureContext(year=2020, kind="annual", in_plans=True, horizon="next_year")

Reading = tuple[str, float, str, str, str | None, str | None, str]


def _read(sentence: str, role: str = "plans") -> list[Reading]:
    """(canonical name, else the name as written; value, unit, measure, direction, bound, quote)
    of each metric."""
    out: list[Reading] = []
    for m in extract_metrics(sentence, 0, len(sentence), role=role):
        v2: Metric = read_figure(m, _PLANS)
        assert sentence[m.evidence.start : m.evidence.end] == m.evidence.quote
        out.append(
            (
                v2.canonical_name or v2.name,
                v2.value,
                v2.unit,
                v2.measure,
                v2.direction,
                v2.bound,
                m.evidence.quote,
            )
        )
    return out


# --- a count written before the noun it counts --------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 顺平 2021 (a note mark after the quoted noun) and 2023
        (
            "完成桃源西大街和肠衣城路口改造提升，建成2个“口袋公园”[24]，不断提升人民群众的生活品质。",
            ("口袋公园", 2.0, "个", "建成2个“口袋公园”[24]"),
        ),
        (
            "实施城市更新工程，建成27个“口袋公园”和仙洲路生态慢行步道，整治提升背街小巷。",
            ("口袋公园", 27.0, "个", "建成27个“口袋公园”"),
        ),
        # 顺平 2021: a length counts the road programme it names
        (
            "创建美丽庭院1.5万个。年底前完成41.8公里“四好农村路”[25]建设。",
            ("农村公路", 41.8, "公里", "年底前完成41.8公里“四好农村路”[25]"),
        ),
        # 顺平 2022: an aside in brackets inside the noun
        (
            "加强与保定青年路幼儿园等名校深度合作，打造12家名师（名校长）工作室。",
            ("名师工作室", 12.0, "家", "打造12家名师（名校长）工作室"),
        ),
        # 易县 2022: a task's remainder after a known indicator
        (
            "加快补齐城市容貌短板，20个老旧小区改造任务全部完成，清真食品市场投入使用。",
            ("老旧小区改造", 20.0, "个", "20个老旧小区改造任务"),
        ),
        # 易县 2021 and 六盘水 2024: a known noun right before 任务 is what the task counts
        (
            "加强矿山恢复治理，完成1600亩湿地修复任务。推行林长制。",
            ("湿地修复", 1600.0, "亩", "完成1600亩湿地修复"),
        ),
        (
            "坚持稳面积、增单产两手发力，全面完成12.5万亩高标准农田建设任务，粮食单产236公斤。",
            ("高标准农田建设", 12.5, "万亩", "全面完成12.5万亩高标准农田建设"),
        ),
        # 易县 2018: the people of a task completed
        (
            "完成今年1470人贫困退出任务，贫困发生率降到0.5%。",
            ("脱贫人口", 1470.0, "人", "完成今年1470人贫困退出任务"),
        ),
        # 易县 2020
        (
            "实施扶贫协作项目22个。1374名贫困人口稳定脱贫，贫困发生率下降到0.17%。",
            ("脱贫人口", 1374.0, "名", "1374名贫困人口稳定脱贫"),
        ),
    ],
)
def test_a_count_before_its_noun_names_a_known_indicator(
    sentence: str, expected: tuple[str, float, str, str]
) -> None:
    name, value, unit, quote = expected
    got = [(r[0], r[1], r[2], r[6]) for r in _read(sentence)]
    assert (name, value, unit, quote) in got, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # national 2014 (target) and 2015, 2016 (actuals): a bare 万 of people and the problem
        # solved for them
        (
            "今年再解决6000万农村人口的饮水安全问题，经过今明两年努力。",
            ("农村饮水安全", 6000.0, "万", None, "今年再解决6000万农村人口的饮水安全问题"),
        ),
        (
            "农村贫困人口减少1232万人；6600多万农村人口饮水安全问题得到解决；",
            ("农村饮水安全", 6600.0, "万", "at_least", "6600多万农村人口饮水安全问题"),
        ),
        # national 2019 (actual) and 2017 (a unit of its own): people settled in towns
        (
            "新型城镇化扎实推进，近1400万农业转移人口在城镇落户。",
            ("农业转移人口落户城镇", 1400.0, "万", "about", "近1400万农业转移人口在城镇落户"),
        ),
    ],
)
def test_a_bare_magnitude_counts_the_people_a_known_indicator_names(
    sentence: str, expected: tuple[str, float, str, str | None, str]
) -> None:
    name, value, unit, bound, quote = expected
    got = [(r[0], r[1], r[2], r[5], r[6]) for r in _read(sentence, role="review")]
    assert got[-1] == (name, value, unit, bound, quote), got


@pytest.mark.parametrize(
    "sentence",
    [
        # 易县 2018 and national 2021: people lifted out of poverty are not the poor
        "全县162个贫困村脱贫出列，3.33万贫困人口实现脱贫，今年将迎接省和国家审定验收。",
        "加强易返贫致贫人口监测和帮扶。年初剩余的551万农村贫困人口全部脱贫。",
        # national 2023: people resettled
        "全国832个贫困县全部摘帽，960多万贫困人口实现易地搬迁，历史性地解决了绝对贫困问题。",
        # national 2016: a threshold-like 以上 before the noun, and a task to the clause end
        "今年要完成1000万以上农村贫困人口脱贫任务，继续推进贫困农户危房改造。",
        # 顺平 2020: a noun opening on a verb counts the bare 项目 (no indicator)
        "对金龙汽车、立亚包装新材料等6个新签约项目，以优化审批环节为突破口。",
        # 易县 2019: a known name inside a longer noun (firms settled, no stock of them)
        "污水处理厂建成投运，北京君光伟业等5家科技型中小企业落户园区。",
    ],
)
def test_a_count_before_a_noun_that_is_no_stock_of_it_is_not_read(sentence: str) -> None:
    got = extract_metrics(sentence, 0, len(sentence), role="plans", level="all")
    assert [m for m in got if m.canonical_name is not None] == []


def test_a_count_before_an_unknown_noun_keeps_its_verb() -> None:
    # the plain reading of a count is unchanged: the verb before the figure opens its name
    got = extract_metrics("全年新开工10个重点项目。", 0, 12, level="all")
    assert [(m.name, m.value) for m in got] == [("新开工重点项目", 10.0)]


# --- a rate after a verb phrase, a fall written 降 ----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # national 2013: a plan's rate target "增长目标(拟)定为"
        (
            "发挥货币政策逆周期调节作用。广义货币M2预期增长目标拟定为13%左右。",
            ("广义货币M2余额", 13.0, "%", "change", "up", "about"),
        ),
        # national 2021 and 2019: a bare 降 is a fall, as 降低 is
        (
            "中小企业宽带和专线平均资费再降10%。",
            ("中小企业宽带资费", 10.0, "%", "change", "down", None),
        ),
        (
            "今年中小企业宽带平均资费再降低15%。",
            ("中小企业宽带资费", 15.0, "%", "change", "down", None),
        ),
        # national 2015 and 2014: 连续两年增长 is each year's rise
        (
            "贫困地区农村学生上重点高校人数连续两年增长10%以上。",
            ("贫困地区农村学生上重点高校人数", 10.0, "%", "change", "up", "at_least"),
        ),
    ],
)
def test_a_rate_after_a_verb_phrase(
    sentence: str, expected: tuple[str, float, str, str, str | None, str | None]
) -> None:
    assert [r[:6] for r in _read(sentence)] == [expected]


def test_the_economic_growth_target_is_read_with_its_verb_phrase() -> None:
    # national 2013: "目标定为" before the rate, as in "M2预期增长目标拟定为13%左右"
    sentence = "综合权衡，今年的经济增长目标定为7.5%左右是必要的、适宜的。"
    got = extract_metrics(sentence, 0, len(sentence), role="plans", level="all")
    assert [(m.value, m.unit) for m in got] == [(7.5, "%")]
    assert read_figure(got[0], _PLANS).measure == "change"


def test_a_standard_raised_for_all_names_the_level_reached() -> None:
    # national 2015: 统一 is no part of the name; 70 is the standard, 55 its base
    sentence = "企业退休人员基本养老金标准提高10%。城乡居民基础养老金标准统一由55元提高到70元。"
    got = _read(sentence)
    assert (got[-1][0], got[-1][1], got[-1][3]) == ("城乡居民基础养老金最低标准", 70.0, "level")
    assert all(r[1] != 55 for r in got)


# --- one figure two indicators share ------------------------------------------------------------


def test_two_indicators_share_a_rate_after_their_change_word() -> None:
    # national 2017 (hard-wrapped, the subscript on a line of its own) and 2016 (one indicator)
    text = "货币政策要保持稳健中性。今年广义货币M\n2\n和社会融资规模余额预期增长均为12%左右。要综合运用"
    got = _read(text)
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in got] == [
        ("广义货币M2余额", 12.0, "change", "up", "about"),
        ("社会融资规模余额", 12.0, "change", "up", "about"),
    ]
    one = _read("今年广义货币M2预期增长13%左右。")
    assert [(r[0], r[1], r[5]) for r in one] == [("广义货币M2余额", 13.0, "about")]


def test_a_shared_rate_without_a_change_word_is_a_level() -> None:
    # 易县 2018: "办结率均为100%" shares a level, not a change
    got = _read("人大代表建议151件，政协提案239件，办结率、满意率均为100%。", role="review")
    assert {(r[1], r[3]) for r in got if r[2] == "%"} == {(100.0, "level")}


# --- sums cut, named in the table ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # national 2019, 2016 and 2022
        ("全年减轻企业税收和社保缴费负担近2万亿元。", ("减税降费", 2.0, "万亿元", "about")),
        (
            "实施上述政策，今年将比改革前减轻企业和个人负担5000多亿元。",
            ("减税降费", 5000.0, "亿元", "at_least"),
        ),
        (
            "增值税留抵退税力度显著加大。其中留抵退税约1.5万亿元，",
            ("留抵退税", 1.5, "万亿元", "about"),
        ),
        # national 2017
        (
            "全年再减少企业税负3500亿元左右、涉企收费约2000亿元，",
            ("减少涉企收费", 2000.0, "亿元", "about"),
        ),
    ],
)
def test_sums_cut_are_known_indicators_with_their_bound(
    sentence: str, expected: tuple[str, float, str, str]
) -> None:
    got = [(r[0], r[1], r[2], r[5]) for r in _read(sentence)]
    assert got[-1] == expected, got


def test_a_period_years_ahead_is_no_year_of_the_report() -> None:
    # national 2014: "今后一个时期" governs the 1亿 of its sentence
    sentence = "今后一个时期，着重解决好现有“三个1亿人”问题，促进约1亿农业转移人口落户城镇，"
    got = extract_metrics(sentence, 0, len(sentence), role="plans")
    assert [(m.canonical_name, m.period) for m in got] == [("农业转移人口落户城镇", "今后一个时期")]
    assert read_figure(got[0], _PLANS).span == "multi_year"


def test_what_each_one_reaches_is_no_level_of_the_indicator() -> None:
    # 顺平 2022 and 2023: a floor for every village's income
    for sentence in (
        "大力发展村级集体经济，237个村集体收入全部突破5万元。",
        "力争村集体收入全部突破10万元。",
    ):
        assert extract_metrics(sentence, 0, len(sentence), role="plans") == []
    # a level of the indicator itself is still read
    sentence = "村级集体经济收入达到486万元。"
    got = extract_metrics(sentence, 0, len(sentence), role="review")
    assert [(m.canonical_name, m.value) for m in got] == [("村级集体经济收入", 486.0)]


@pytest.mark.parametrize(
    "sentence",
    [
        # 顺平 2022: after a figure of the same subject in the sentence
        "建设高标准农田2万亩，确保粮食播种面积稳定在33万亩以上，年产量12.6万吨以上。",
        # 易县 2021: after a clause with no figure
        "保障粮食安全，年产量保持在20万吨左右。",
    ],
)
def test_a_bare_output_takes_the_subject_named_before_it(sentence: str) -> None:
    got = _read(sentence)
    assert got[-1][0] == "粮食产量" and got[-1][6].startswith("年产量"), got


@pytest.mark.parametrize(
    ("sentence", "bound"),
    [
        # 易县 2019 and 2018: 不低于 is at least, though it ends in 低于
        ("力争项目库储备不低于80个。", "at_least"),
        ("全年储备重点项目不低于80个。", "at_least"),
        # national 2013: 低于 alone is at most
        ("城镇登记失业率低于4.6%。", "at_most"),
    ],
)
def test_a_bound_word_is_read_whole(sentence: str, bound: str) -> None:
    assert [r[5] for r in _read(sentence)] == [bound]
