"""The metric failure classes of real province, city and county reports (issue 14, item 4), one
general rule each: units kept whole, figures cut by a wrap, lists for a pair of subjects, a
figure several names share, names without the words of status or period, figures that close
on 安排/新台阶/的…计划, changes stated in a unit, and the headline vocabulary. Sentences are
taken from evals/real/reports and ../shared/corpus (quoted here) or written in the genre."""

from __future__ import annotations

import pytest

from summarizer.extract.rules.metrics import extract_metrics
from summarizer.lexicon.numbers import value_in_quote
from summarizer.models import Metric
from summarizer.pipeline import summarize

from .conftest import ROOT

Row = tuple[str, float, str, float | None]


def _all(text: str, **kw: object) -> list[Metric]:
    metrics = extract_metrics(text, 0, len(text), **kw)  # type: ignore[arg-type]
    for m in metrics:
        assert text[m.evidence.start : m.evidence.end] == m.evidence.quote
        assert value_in_quote(m.value, m.evidence.quote), m
    return metrics


def _rows(text: str, **kw: object) -> list[Row]:
    return [(m.name, m.value, m.unit, m.change_pct) for m in _all(text, **kw)]


def _one(text: str, **kw: object) -> Metric:
    metrics = _all(text, **kw)
    assert len(metrics) == 1, [(m.name, m.value, m.unit) for m in metrics]
    return metrics[0]


# --- units kept whole -------------------------------------------------------------------------

UNITS = [
    ("PM2.5平均浓度降至20.6微克/立方米。", "PM2.5平均浓度", 20.6, "微克/立方米"),  # 广东 2025
    ("全年PM2.5平均浓度68微克/立方米、同比下降5.56%。", "PM2.5平均浓度", 68, "微克/立方米"),
    ("全员劳动生产率提高到42万元/人以上。", "全员劳动生产率", 42, "万元/人"),  # 上海 2026
    ("生产安全事故死亡率降至0.03人/百亿元。", "生产安全事故死亡率", 0.03, "人/百亿元"),
    ("新增污水处理规模30万吨/日。", "新增污水处理规模", 30, "万吨/日"),
    ("算力规模达到1.2万P。", "算力规模", 1.2, "万P"),
    ("全社会用电量12.1亿度，增长7.5%。", "全社会用电量", 12.1, "亿度"),  # 高阳 2017
    ("优良天数达到176天。", "优良天数", 176, "天"),  # 顺平 2020
    ("粮食总产781.8亿斤，创历史最高水平。", "粮食总产", 781.8, "亿斤"),  # 河北 2025
]


@pytest.mark.parametrize(("text", "name", "value", "unit"), UNITS)
def test_compound_and_genre_units_are_read_whole(
    text: str, name: str, value: float, unit: str
) -> None:
    m = _one(text)
    assert (m.name, m.value, m.unit) == (name, value, unit)


def test_a_change_in_points_is_a_figure_of_its_own_never_a_percent_change() -> None:
    # 嘉兴 2024: "空气质量优良天数比例提高2.8个百分点"
    m = _one("空气质量优良天数比例提高2.8个百分点。")
    assert (m.canonical_name, m.value, m.unit, m.change_pct) == (
        "空气质量优良天数比例",
        2.8,
        "个百分点",
        None,
    )
    # 六盘水 2024: the points after a share say how much it rose; nothing is named 提高
    rows = _rows("民生类重点支出占比达78.73%、提高1.28个百分点。")
    assert rows == [("民生类重点支出占比", 78.73, "%", None)]
    assert _all("地区生产总值增速高于全国0.7个百分点。", level="all") == []


# --- hard-wrapped text: a figure and its name cut by a line break ------------------------------


def test_blanks_left_by_an_unwrapped_line_stand_inside_a_figure_and_a_name() -> None:
    # the reader's layout text blanks a wrap: "城镇新增就业4.3\n\n万人" reaches us so
    m = _one("确保零就业家庭动态清零，城镇新增就业4.3  万人。")
    assert (m.name, m.value, m.unit) == ("城镇新增就业", 4.3, "万人")
    m = _one("新增规上工业  企业50家。")
    assert m.name == "新增规上工业企业"
    m = _one("全市PM2.5  平均浓度23微克，达到历史最好水平。")
    assert (m.canonical_name, m.value, m.unit) == ("PM2.5平均浓度", 23, "微克")


def test_wrapped_figures_of_a_real_report_are_read() -> None:
    # 承德 2024 is hard-wrapped at ~30 characters with blank lines between the lines
    summary = summarize(ROOT / "evals/real/reports/city_chengde_2024.txt")
    got = {(m.canonical_name, m.value, m.unit) for m in summary.metrics}
    assert ("城镇新增就业", 4.3, "万人") in got
    assert ("PM2.5平均浓度", 23, "微克") in got


# --- lists for a pair of subjects -------------------------------------------------------------

LISTS: list[tuple[str, list[Row]]] = [
    (  # the example: 城乡 names both subjects, whatever stands between it and 居民
        "城乡常住居民人均可支配收入分别完成37820元、28104元。",
        [
            ("城镇常住居民人均可支配收入", 37820, "元", None),
            ("农村常住居民人均可支配收入", 28104, "元", None),
        ],
    ),
    (  # 易县 2022: one change both share
        "城乡居民人均可支配收入分别完成31098元、12347元，均增长8.5%。",
        [
            ("城镇居民人均可支配收入", 31098, "元", 8.5),
            ("农村居民人均可支配收入", 12347, "元", 8.5),
        ],
    ),
    (  # 高阳 2018: no 分别 before the figures
        "城乡居民人均可支配收入完成2.57万元和1.68万元，分别增长9%和9.8%。",
        [
            ("城镇居民人均可支配收入", 2.57, "万元", 9),
            ("农村居民人均可支配收入", 1.68, "万元", 9.8),
        ],
    ),
    (  # 顺平 2020: changes with no 分别
        "城乡居民人均可支配收入分别达到29520元和8840元，增长8.5%和10%。",
        [("城镇居民人均可支配收入", 29520, "元", 8.5), ("农村居民人均可支配收入", 8840, "元", 10)],
    ),
    (  # 高阳 2017: changes in a unit are figures of their own, named with their change word
        "城乡居民人均可支配收入达到2.36万元和1.53万元，分别比2011年增加8129元和7091元。",
        [
            ("城镇居民人均可支配收入", 2.36, "万元", None),
            ("农村居民人均可支配收入", 1.53, "万元", None),
            ("城镇居民人均可支配收入增加", 8129, "元", None),
            ("农村居民人均可支配收入增加", 7091, "元", None),
        ],
    ),
    (  # 西藏 2026: from the base to the level reached, the levels
        "城乡居民人均可支配收入从2021年的46503元和16935元分别提高到58794元和23184元。",
        [
            ("城镇居民人均可支配收入", 58794, "元", None),
            ("农村居民人均可支配收入", 23184, "元", None),
        ],
    ),
    (  # 广东 2025: heads sharing 制造业 share what follows it in the last name
        "先进制造业、高技术制造业增加值占规模以上工业比重分别提高到56.7%、31.6%。",
        [
            ("先进制造业增加值占规模以上工业比重", 56.7, "%", None),
            ("高技术制造业增加值占规模以上工业比重", 31.6, "%", None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LISTS)
def test_lists_pair_each_subject_with_its_figure(text: str, expected: list[Row]) -> None:
    assert _rows(text) == [(n, v, u, c) for n, v, u, c in expected]


def test_a_scope_before_cheng_xiang_keeps_each_income_its_canonical_name() -> None:
    # 四川 2025: "全省城乡…" — 全省城镇… is the urban income, not the all-resident one
    metrics = _all("全省城乡居民人均可支配收入分别增长4.7%、6.6%。")
    assert [m.canonical_name for m in metrics] == [
        "城镇居民人均可支配收入",
        "农村居民人均可支配收入",
    ]


def test_a_list_of_whole_names_lends_none_of_them_the_last_ending() -> None:
    # 海南 2026: 进口货值 is not 进口货值销售额
    text = "进口货值、免签入境游客、离岛免税销售额分别增长38.9%、64%、46.8%。"
    assert [m.name for m in _all(text, level="all")] == [
        "进口货值",
        "免签入境游客",
        "离岛免税销售额",
    ]


SHARED: list[tuple[str, list[Row]]] = [
    (  # 柳州 2024
        "12345热线办结率和满意率均为100%。",
        [("12345热线办结率", 100, "%", None), ("满意率", 100, "%", None)],
    ),
    (  # 顺平 2021
        "城乡居民养老保险参保率、代缴率、发放率均为100%。",
        [
            ("城乡居民养老保险参保率", 100, "%", None),
            ("代缴率", 100, "%", None),
            ("发放率", 100, "%", None),
        ],
    ),
    (  # 国务院 2013: 水耗 is no indicator of the table; 能耗 is
        "单位国内生产总值能耗、水耗均下降20%以上。",
        [("单位国内生产总值能耗", 20, "%", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHARED)
def test_a_figure_all_the_names_share_goes_to_each(text: str, expected: list[Row]) -> None:
    assert _rows(text) == [(n, v, u, c) for n, v, u, c in expected]


def test_jun_of_an_average_is_no_sharing() -> None:
    # 年均 is a span, not "each": the figure is not given to every name of the list
    names = [m.name for m in _all("地区生产总值、一般公共预算收入年均增长7%。")]
    assert "地区生产总值" not in names


# --- names without the words of status, period and measure -----------------------------------

NAMES = [
    ("全国居民人均可支配收入实际增长6.3%。", "全国居民人均可支配收入", 6.3),  # 国务院 2017
    ("一般公共预算收入可比增长6%。", "一般公共预算收入", 6),  # 易县 2019
    ("五年累计实际利用外资5528亿美元。", "实际利用外资", 5528),  # 国务院 2013
    ("城镇累计新增就业超700万人。", "城镇新增就业", 700),  # 广东 2026
    ("今年中央预算内投资拟安排7000亿元。", "中央预算内投资", 7000),  # 国务院 2024
    ("今年再完成棚户区住房改造600万套。", "棚户区住房改造", 600),  # 国务院 2017
    ("年末城镇调查失业率降到5.2%。", "城镇调查失业率", 5.2),  # 国务院 2023
    ("规模以上工业增加值增速完成8.2%。", "规模以上工业增加值", 8.2),
    ("“新三样”产品出口增长近30%。", "“新三样”产品出口", 30),
    ("高新技术企业增至10家。", "高新技术企业", 10),  # 高阳 2017: a level reached, no change
    ("省级科技型中小企业发展到480家。", "省级科技型中小企业", 480),
    ("支持科技创新和制造业发展减税降费及退税超600亿元。", "减税降费及退税", 600),  # 河北
    ("全社会研发经费支出与国内生产总值之比达到2.08%。", "研发经费支出与国内生产总值之比", 2.08),
]


@pytest.mark.parametrize(("text", "name", "value"), NAMES)
def test_names_keep_only_the_indicator(text: str, name: str, value: float) -> None:
    m = _one(text)
    assert (m.name, m.value) == (name, value)


def test_the_period_of_a_five_year_sum_stays_its_period() -> None:
    m = _one("五年累计实际利用外资5528亿美元。")
    assert m.period is not None and "五年" in m.period


# --- figures that close on 安排, 新台阶, 大关 or a plan -----------------------------------------

CLOSING = [
    ("今年赤字率拟按3%安排。", "赤字率", 3, "%"),  # 国务院 2017
    ("预计全省地区生产总值迈上14万亿元新台阶。", "全省地区生产总值", 14, "万亿元"),  # 广东
    ("全部财政收入突破10亿大关。", "全部财政收入", 10, "亿"),  # 易县 2019
    ("全年圆满完成796人的减贫任务。", "减贫", 796, "人"),  # 易县 2018
]


@pytest.mark.parametrize(("text", "name", "value", "unit"), CLOSING)
def test_a_figure_closing_on_a_noun_of_its_own_is_read(
    text: str, name: str, value: float, unit: str
) -> None:
    m = _one(text)
    assert (m.name, m.value, m.unit) == (name, value, unit)


def test_a_plan_completed_is_named_by_its_subject() -> None:
    metrics = _all("重点项目17个，全年完成37.8亿元的年度投资计划。")
    assert ("重点项目投资", 37.8) in [(m.name, m.value) for m in metrics]
    assert _all("实现4%的目标仍然不容易。", level="all") == []  # no completion, no name


def test_a_forecast_on_a_new_level_keeps_its_status() -> None:
    m = _one("预计全省地区生产总值迈上14万亿元新台阶。")
    assert (m.status, m.canonical_name) == ("forecast", "地区生产总值")


# --- a change stated in a unit, a share, a figure right after another --------------------------


def test_a_change_in_a_unit_is_named_with_its_change_word() -> None:
    # 国务院 2017, 2024: the figure is the change, so no table may read it as the level
    m = _all("农村贫困人口减少1240万，易地扶贫搬迁人口超过240万。")[0]
    assert (m.name, m.value, m.unit, m.canonical_name) == ("农村贫困人口减少", 1240, "万", None)
    m = _one("居民医保人均财政补助标准提高30元。")
    assert (m.name, m.value, m.unit) == ("居民医保人均财政补助标准提高", 30, "元")
    # a change with no name of its own says nothing readable
    assert [m.value for m in _all("全年城镇新增就业1.2万人，增加1500人。")] == [1.2]
    assert _all("开展文体活动增加3场。") == []  # not an indicator, changed or not


def test_a_share_after_an_amount_is_the_share_of_that_amount() -> None:
    # 柳州 2024
    metrics = _all("财政民生资金支出304.3亿元，占一般公共预算支出80.2%。")
    assert ("财政民生资金支出占一般公共预算支出", 80.2, "%") in [
        (m.name, m.value, m.unit) for m in metrics
    ]


def test_a_figure_right_after_another_in_another_unit_shares_its_name() -> None:
    # 顺平 2020: households, then people
    metrics = _all("全年实际脱贫1157户2376人。")
    assert [(m.canonical_name, m.value, m.unit) for m in metrics] == [
        ("脱贫人口", 1157, "户"),
        ("脱贫人口", 2376, "人"),
    ]


def test_a_base_dated_by_a_relative_year_is_a_base() -> None:
    # 国务院 2015: the level reached is the 赤字率's, not a rate of 财政赤字
    metrics = _all(
        "今年拟安排财政赤字1.62万亿元，比去年增加2700亿元，赤字率从去年的2.1%提高到2.3%。"
    )
    assert [(m.name, m.value, m.unit) for m in metrics] == [
        ("财政赤字", 1.62, "万亿元"),
        ("赤字率", 2.3, "%"),
    ]


def test_a_rate_then_the_level_it_reaches_share_a_name() -> None:
    # 顺平 2021: "地区生产总值年均增长7%左右，达到110亿元"
    metrics = _all("地区生产总值年均增长7%左右，达到110亿元。")
    assert [(m.canonical_name, m.value, m.unit) for m in metrics] == [
        ("地区生产总值", 7, "%"),
        ("地区生产总值", 110, "亿元"),
    ]


def test_an_attribute_takes_its_subject_before_it_is_judged() -> None:
    # seed 000: "列入市区重点项目17个，年度计划总投资29.745亿元"
    metrics = _all("今年安排省重点建设项目1500个、年度计划投资1万亿元。")
    assert ("省重点建设项目年度计划投资", 1) in [(m.name, m.value) for m in metrics]
    assert _all("年度计划投资1万亿元。", level="all") == []  # alone it names a plan


def test_a_nameless_figure_never_skips_back_over_an_unnamed_subject() -> None:
    # 国务院 2021: 15万元 is the 起征点's, which is too long to name, not the 税率's
    text = "将涉及行业广泛的税率从17%降至13%，阶段性将小规模纳税人增值税起征点从月销售额3万元提高到15万元。"
    assert [(m.name, m.value) for m in _all(text)] == [("涉及行业广泛的税率", 13)]
