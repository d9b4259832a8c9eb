"""Offline metric extraction on hand-checked sentences from the seeds, the province samples,
variants written for the genre, and negative cases; plus a grounding property on any text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.extract.rules.metrics import extract_metrics
from summarizer.lexicon.numbers import value_in_quote
from summarizer.models import Metric
from summarizer.read.source import read_report

from .conftest import SAMPLES, seed_path


def _all(text: str, **kw: Any) -> list[Metric]:
    return extract_metrics(text, 0, len(text), **kw)


def _find(metrics: list[Metric], name: str, value: float) -> Metric:
    hits = [m for m in metrics if m.name == name and m.value == pytest.approx(value)]
    assert hits, f"no {name} {value} in {[(m.name, m.value) for m in metrics]}"
    return hits[0]


def _grounded(text: str, metrics: list[Metric]) -> None:
    for m in metrics:
        ev = m.evidence
        assert text[ev.start : ev.end] == ev.quote
        assert value_in_quote(m.value, ev.quote), m
        assert len(ev.quote) <= 120, ev.quote


@pytest.fixture(scope="module")
def seed_text() -> dict[str, str]:
    return {p: read_report(seed_path(p)).text for p in ("000", "001", "002", "003", "004")}


# --- seeds ------------------------------------------------------------------------------------

SEED_CASES = [
    # seed, name, value, unit, period, status, change_pct, canonical
    ("000", "公共财政预算收入", 4.01, "亿元", "1-10月", "actual", -14.4, "一般公共预算收入"),
    ("000", "公共财政预算收入", 4.3, "亿元", "全年", "forecast", -13.3, "一般公共预算收入"),
    ("000", "规模工业总产值", 112.71, "亿元", "1-10月", "actual", 6.8, "规上工业总产值"),
    ("000", "规模工业总产值", 138, "亿元", "全年", "forecast", 6.5, "规上工业总产值"),
    ("000", "固定资产投资", 25.7, "亿元", "1-10月", "actual", 7.3, "固定资产投资"),
    (
        "000",
        "限额以上批零住餐营业额",
        25.63,
        "亿元",
        "1-10月",
        "actual",
        -7.8,
        "限额以上批零住餐营业额",
    ),
    ("000", "居民可支配收入", 44198, "元", "1-10月", "actual", 3.3, "居民人均可支配收入"),
    ("000", "实际到账外资", 8666, "万美元", "“十三五”期间", "actual", None, "实际利用外资"),
    ("000", "一般公共财政预算收入", 4.88, "亿元", "“十三五”末", "actual", 8.2, "一般公共预算收入"),
    ("001", "地区生产总值", 138.05, "亿元", "全年", "actual", 8, "地区生产总值"),
    ("001", "固定资产投资", 44.03, "亿元", "全年", "actual", 5, "固定资产投资"),
    ("001", "公共财政收入", 12.9, "亿元", "全年", "actual", 33, "一般公共预算收入"),
    # 预计 earlier in their sentence governs them (the label says forecast).
    ("002", "规上工业总产值", 135.7, "亿元", None, "forecast", 8.4, "规上工业总产值"),
    ("002", "进出口总额", 10.2, "亿元", None, "forecast", 9, "进出口总额"),
    ("003", "规模工业产值", 0.96, "亿元", "1-5月", "actual", 23.36, "规上工业总产值"),
    ("004", "一般公共预算收入", 1.04, "亿元", "2020年", "actual", 11, "一般公共预算收入"),
    ("004", "规上工业总产值", 35.68, "亿元", "全年", "actual", 16.57, "规上工业总产值"),
    ("004", "自营出口", 11.2, "亿元", "全年", "actual", 17.8, "出口总额"),
    ("004", "实到内资总额", 1.97, "亿元", "全年", "actual", None, "实际到位内资"),
]


@pytest.mark.parametrize(
    ("seed", "name", "value", "unit", "period", "status", "change", "canonical"), SEED_CASES
)
def test_seed_headline_metrics(
    seed_text: dict[str, str],
    seed: str,
    name: str,
    value: float,
    unit: str,
    period: str | None,
    status: str,
    change: float | None,
    canonical: str | None,
) -> None:
    text = seed_text[seed]
    m = _find(_all(text), name, value)
    assert (m.unit, m.period, m.status, m.canonical_name) == (unit, period, status, canonical)
    assert m.change_pct == (pytest.approx(change) if change is not None else None)
    if change is not None:  # the quote carries the change it reports
        assert f"{abs(change):g}%" in m.evidence.quote


def test_seed_quotes_stay_short_and_start_at_the_clause(seed_text: dict[str, str]) -> None:
    metrics = _all(seed_text["000"])
    m = _find(metrics, "公共财政预算收入", 4.01)
    assert m.evidence.quote.startswith("今年1-10月实现公共财政预算收入4.01亿元")
    assert m.evidence.quote.endswith("同比减少14.4%")
    f = _find(metrics, "公共财政预算收入", 4.3)
    assert f.evidence.quote == "预计全年完成4.3亿元，同比下降13.3%"


def test_completion_rate_and_plan_figure_are_not_metrics(seed_text: dict[str, str]) -> None:
    values = {m.value for m in _all(seed_text["000"], level="all")}
    assert 80.9 not in values and 4.96 not in values


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seeds_ground_every_metric(seed_text: dict[str, str], seed: str) -> None:
    text = seed_text[seed]
    for level in ("headline", "indicator", "all"):
        _grounded(text, _all(text, level=level))


# --- province samples -------------------------------------------------------------------------


def _sample(name: str) -> str:
    return read_report(SAMPLES / f"p26_{name}.txt").text


def test_sample_rate_only_gdp_is_value_not_change() -> None:
    metrics = _all(_sample("guangdong"))
    gdp = _find(metrics, "地区生产总值", 3.9)
    assert (gdp.unit, gdp.change_pct, gdp.status) == ("%", None, "actual")
    fdi = _find(metrics, "实际使用外资", 1126.6)
    assert (fdi.unit, fdi.change_pct, fdi.canonical_name) == ("亿元", 11.3, "实际利用外资")


def test_sample_target_range_gives_first_number() -> None:
    # "主要预期目标\n是：地区生产总值增长4.5%—5%" — the heading line break must not lose the cue.
    m = _find(_all(_sample("guangdong")), "地区生产总值", 4.5)
    assert (m.unit, m.status, m.change_pct) == ("%", "target", None)


def test_sample_targets_in_plans() -> None:
    metrics = [m for m in _all(_sample("hebei")) if m.status == "target"]
    got = {(m.canonical_name, m.value) for m in metrics}
    assert ("地区生产总值", 5) in got
    assert ("一般公共预算收入", 2) in got
    assert ("固定资产投资", 5.5) in got
    assert ("城镇调查失业率", 5.5) in got


def test_sample_shanghai_levels_with_growth() -> None:
    metrics = _all(_sample("shanghai"))
    gdp = _find(metrics, "全市生产总值", 5.67)
    assert (gdp.unit, gdp.change_pct, gdp.canonical_name) == ("万亿元", 5.4, "地区生产总值")
    inc = _find(metrics, "居民人均可支配收入", 9.2)
    assert (inc.unit, inc.change_pct) == ("万元", 4.1)


_GDP, _REV, _FAI, _RETAIL = "地区生产总值", "一般公共预算收入", "固定资产投资", "社会消费品零售总额"


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("guangdong", {_GDP, _REV, _RETAIL, "进出口总额", "实际利用外资", "居民人均可支配收入"}),
        ("hainan", {_GDP, _FAI, _RETAIL, "规上工业增加值", "实际利用外资"}),  # states no revenue
        ("hebei", {_GDP, _REV, _FAI, _RETAIL, "规上工业增加值", "居民人均可支配收入"}),
        ("shanghai", {_GDP, _REV, _FAI, _RETAIL, "进出口总额", "实际利用外资"}),
        ("sichuan", {_GDP, _REV, _RETAIL, "重点项目投资", "进出口总额"}),
        ("xizang", {_GDP, _REV, _FAI, _RETAIL, "规上工业增加值", "重点项目投资"}),
    ],
)
def test_samples_ground_and_find_headlines(name: str, headline: set[str]) -> None:
    text = _sample(name)
    metrics = _all(text)
    _grounded(text, metrics)
    found = {m.canonical_name for m in metrics}
    assert headline <= found, headline - found


# --- written variants -------------------------------------------------------------------------

VARIANTS = [
    # text, name, value, unit, period, status, change
    ("今年1—10月实现税收收入3.2亿元，同比增长5%。", "税收收入", 3.2, "亿元", "1-10月", "actual", 5),
    (
        "上半年完成固定资产投资12亿元，同比下降3.5%。",
        "固定资产投资",
        12,
        "亿元",
        "上半年",
        "actual",
        -3.5,
    ),
    ("前三季度地区生产总值增长5.3%。", "地区生产总值", 5.3, "%", "前三季度", "actual", None),
    ("力争全年地区生产总值增长6%左右。", "地区生产总值", 6, "%", "全年", "target", None),
    ("计划完成固定资产投资30亿元。", "固定资产投资", 30, "亿元", None, "target", None),
    (
        "预计全年一般公共预算收入5.1亿元，增长2%。",
        "一般公共预算收入",
        5.1,
        "亿元",
        "全年",
        "forecast",
        2,
    ),
    (
        "“十四五”时期实际利用外资累计达到3.5亿美元。",
        "实际利用外资",
        3.5,
        "亿美元",
        "“十四五”时期",  # as written (SPEC): the quotes stay
        "actual",
        None,
    ),
    ("外贸进出口总额8.6亿元、下降4.2%。", "外贸进出口总额", 8.6, "亿元", None, "actual", -4.2),
    ("规上工业增加值增长-2.1%。", "规上工业增加值", -2.1, "%", None, "actual", None),
    (
        "全年社会消费品零售总额突破20亿元，比上年增长7%。",
        "社会消费品零售总额",
        20,
        "亿元",
        "全年",
        "actual",
        7,
    ),
    (
        "城镇居民人均可支配收入达到5.2万元，增长4.6%。",
        "城镇居民人均可支配收入",
        5.2,
        "万元",
        None,
        "actual",
        4.6,
    ),
    ("新增规上工业企业12家。", "新增规上工业企业", 12, "家", None, "actual", None),
    ("全年实施重点项目25个，完成投资18.6亿元。", "实施重点项目", 25, "个", "全年", "actual", None),
    (
        "全年实施重点项目25个，完成投资18.6亿元。",
        "实施重点项目投资",
        18.6,
        "亿元",
        "全年",
        "actual",
        None,
    ),
    ("实现GDP 120亿元，同比增长6%。", "GDP", 120, "亿元", None, "actual", 6),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "period", "status", "change"), VARIANTS)
def test_written_variants(
    text: str,
    name: str,
    value: float,
    unit: str,
    period: str | None,
    status: str,
    change: float | None,
) -> None:
    metrics = _all(text)
    _grounded(text, metrics)
    m = _find(metrics, name, value)
    assert (m.unit, m.period, m.status) == (unit, period, status)
    if "重点项目" in name:
        assert m.canonical_name in {"重点项目数", "重点项目投资"}
    assert m.change_pct == (pytest.approx(change) if change is not None else None)


def test_role_plans_makes_targets_unless_achieved() -> None:
    text = "新增规上工业企业5家。已建成标准厂房3万平方米。"
    metrics = _all(text, role="plans", level="all")
    assert _find(metrics, "新增规上工业企业", 5).status == "target"
    assert _find(metrics, "建成标准厂房", 3).status == "actual"
    assert _find(_all(text, level="all"), "新增规上工业企业", 5).status == "actual"


@pytest.mark.parametrize(
    ("text", "name", "value", "unit"),
    [
        ("全市生产总值从4.16万亿元增加到5.67万亿元，居全国前列。", "全市生产总值", 5.67, "万亿元"),
        ("城市天然气普及率从45.8%提升至77.3%。", "城市天然气普及率", 77.3, "%"),
        ("一般公共预算收入从3826.5亿元增长到4398.6亿元。", "一般公共预算收入", 4398.6, "亿元"),
    ],
)
def test_from_to_reports_the_level_reached(text: str, name: str, value: float, unit: str) -> None:
    metrics = _all(text, level="all")
    _grounded(text, metrics)
    expected: list[tuple[object, ...]] = [(name, pytest.approx(value), unit, None)]
    assert [(m.name, m.value, m.unit, m.change_pct) for m in metrics] == expected
    assert "从" in metrics[0].evidence.quote  # the quote shows the base too


def test_period_opening_the_paragraph_applies_to_its_figures() -> None:
    text = "刚刚过去的2025年，我们稳中求进。全省生产总值增长5.6%。\n全年新增就业岗位3万个。"
    got = [(m.name, m.period) for m in _all(text)]
    assert got == [("全省生产总值", "2025年"), ("新增就业岗位", "全年")]
    # a year deep inside the paragraph's first sentence is a date, not the paragraph's period
    text = "我们认真落实2020年出台的方案，一般公共预算收入增长5%。"
    assert [m.period for m in _all(text)] == [None]


def test_plans_section_looking_back_stays_actual() -> None:
    text = "这五年，综合实力再攀新高峰。全市生产总值达到5.67万亿元。\n今后五年，全市生产总值年均增长5%左右。"
    metrics = _all(text, role="plans")
    assert [(m.value, m.status) for m in metrics] == [(5.67, "actual"), (5, "target")]


def test_window_and_skip_spans_are_respected() -> None:
    a = "一般公共预算收入1.2亿元。"
    b = "固定资产投资3.4亿元。"
    text = a + b + a
    inner = extract_metrics(text, len(a), len(a) + len(b))
    assert [(m.name, m.value) for m in inner] == [("固定资产投资", 3.4)]
    assert inner[0].evidence.start >= len(a)
    skipped = extract_metrics(text, 0, len(text), skip=[(len(a), len(a) + len(b))])
    assert [m.value for m in skipped] == [1.2, 1.2]
    assert extract_metrics(text, 5, 5) == []


def test_levels_nest() -> None:
    text = "地区生产总值增长5%。新增物流企业12家。拆除违建锅炉4台。"
    names = {
        lvl: {m.name for m in _all(text, level=lvl)} for lvl in ("headline", "indicator", "all")
    }
    assert names["headline"] == {"地区生产总值"}
    assert names["indicator"] == {"地区生产总值", "新增物流企业"}
    assert names["headline"] <= names["indicator"] <= names["all"]
    assert any("锅炉" in n for n in names["all"])


# --- 分别 groups -------------------------------------------------------------------------------

GROUPS = [
    (
        "城镇、农村居民人均可支配收入分别增长3.4%、5.2%。",
        [("城镇居民人均可支配收入", 3.4, "%", None), ("农村居民人均可支配收入", 5.2, "%", None)],
    ),
    (
        "城乡居民人均可支配收入分别增长6%和7.4%。",
        [("城镇居民人均可支配收入", 6, "%", None), ("农村居民人均可支配收入", 7.4, "%", None)],
    ),
    (
        "机场旅客和货邮吞吐量分别达到1.35亿人次、453.8万吨，分别增长8.3%、7.9%。",
        [("机场旅客吞吐量", 1.35, "亿人次", 8.3), ("货邮吞吐量", 453.8, "万吨", 7.9)],
    ),
    (
        "刑事治安、涉毒警情分别下降17.7%、68%。",
        [("刑事治安警情", 17.7, "%", None), ("涉毒警情", 68, "%", None)],
    ),
    (
        "金融业、软件和信息服务业增加值分别增长9.7%、15.3%。",
        [("金融业增加值", 9.7, "%", None), ("软件和信息服务业增加值", 15.3, "%", None)],
    ),
    # counts disagree, or before/after pairs: nothing rather than a mispairing
    ("银行机构本外币存贷款余额分别达38.7万亿元、29.9万亿元。", []),
    ("地区总部、外资研发中心分别从771家、481家增加到1076家、636家。", []),
    ("甲、乙、丙增加值分别增长1%、2%。", []),
    ("补贴标准分别从每人每月209元、280元提高到217元、290元。", []),
    (
        "接待国内游客4.16亿人次、入境游客936万人次，分别增长6.7%、39.6%。",
        [("接待国内游客", 4.16, "亿人次", 6.7), ("入境游客", 936, "万人次", 39.6)],
    ),
    # three figures, two changes: which pair is unclear, so none is attached
    (
        "新增企业5家、项目8个、人才20名，分别增长10%、20%。",
        [("新增企业", 5, "家", None), ("人才", 20, "名", None)],  # bare 项目 is no name
    ),
]


@pytest.mark.parametrize(("text", "expected"), GROUPS)
def test_respectively_groups_pair_names_and_figures(
    text: str, expected: list[tuple[str, float, str, float | None]]
) -> None:
    metrics = _all(text, level="all")
    _grounded(text, metrics)
    got = [(m.name, m.value, m.unit, m.change_pct) for m in metrics]
    want: list[tuple[object, ...]] = [(n, pytest.approx(v), u, c) for n, v, u, c in expected]
    assert got == want


def test_group_canonicals_for_income_split() -> None:
    metrics = _all("城乡居民人均可支配收入分别增长5%左右和6%左右。", role="plans")
    assert [(m.canonical_name, m.value, m.status) for m in metrics] == [
        ("城镇居民人均可支配收入", 5, "target"),
        ("农村居民人均可支配收入", 6, "target"),
    ]


# --- negative cases ---------------------------------------------------------------------------

NEGATIVES = [
    "2020年，是全面建成小康社会和“十三五”规划收官之年，也是谋划“十四五”规划的关键之年。",
    "11月6日至10日，习近平总书记亲临广东视察。",
    "扎实做好“六稳”工作，落实“六保”任务。",
    "优化12345热线运行管理机制。",
    "揭阳潮汕机场成为全省第4个吞吐量超千万人次的机场。",
    "新签约引进亿元以上工业项目，2000万元以上工业项目正在洽谈。",
    "贡献了全国24.1%的增量。",
    "完成年初计划4.96亿元（调整）的80.9%。",
    "地区生产总值增速高于全国0.7个百分点。",  # a comparison, not a change
    "一般公共预算收入1,234.5万元。",
    "一般公共预算收入１２亿元。",
    "居住在3号楼2单元。",
    "全面落实省委“1310”具体部署。",
    "华润微电子12英寸产线建成投产。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_yield_no_metric(text: str) -> None:
    assert _all(text, level="all") == []


def test_5g_is_not_a_value() -> None:
    metrics = _all("建成5G基站超25万个。", level="all")
    assert [m.value for m in metrics] == [25]


# --- property ---------------------------------------------------------------------------------

_PIECES = [
    "地区生产总值",
    "一般公共预算收入",
    "完成",
    "实现",
    "预计",
    "力争",
    "同比",
    "增长",
    "下降",
    "-",
    "—",
    "%",
    "％",
    "亿元",
    "万元",
    "个",
    "家",
    "左右",
    "以上",
    "余",
    "，",
    "、",
    "。",
    "；",
    "：",
    "\n",
    "是：",
    "今年1-10月",
    "全年",
    "“十四五”",
    "2020年",
    "的",
    "１２",
    "1,234",
    " ",
]
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.from_regex(r"[0-9]{1,5}(\.[0-9]{1,2})?", fullmatch=True),
        st.text(max_size=3),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, data=st.data())
def test_never_raises_and_always_grounds(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    role = data.draw(st.sampled_from(["review", "plans", "problems", "other"]))
    for level in ("headline", "indicator", "all"):
        metrics = extract_metrics(text, start, end, role=role, level=level)
        for m in metrics:
            ev = m.evidence
            assert start <= ev.start < ev.end <= end
            assert text[ev.start : ev.end] == ev.quote
            assert value_in_quote(m.value, ev.quote)
            assert m.unit and m.name


# --- held-out report errors (evals/varied): hand-written sentences in the genre's shapes ---


@pytest.mark.parametrize(
    ("text", "role", "name", "value", "status"),
    [
        # a review reports what 争取 obtained ...
        (
            "全年争取上级各类项目资金1.36亿元，同比增长22.8%。",
            "review",
            "上级各类项目资金",
            1.36,
            "actual",
        ),
        ("帮助企业争取各级扶持资金620万元。", "review", "各级扶持资金", 620, "actual"),
        # ... a plan, or a sentence looking ahead, strives for it
        ("明年争取上级资金2亿元以上。", "review", "上级资金", 2, "target"),
        ("争取上级专项资金3亿元。", "plans", "上级专项资金", 3, "target"),
    ],
)
def test_zhengqu_is_obtained_in_a_review_and_a_target_ahead(
    text: str, role: str, name: str, value: float, status: str
) -> None:
    metrics = _all(text, role=role, level="all")
    _grounded(text, metrics)
    assert _find(metrics, name, value).status == status


def test_count_of_places_is_not_the_value_of_their_income() -> None:
    text = "全镇12个行政村村级集体经济收入均达到30万元，总收入达到486万元，同比增长15.2%。"
    metrics = _all(text, level="all")
    _grounded(text, metrics)
    assert all(m.unit != "个" for m in metrics), [(m.name, m.value, m.unit) for m in metrics]
    # 30万元 is what each village reaches, no level of the indicator; the total is named by
    # the clause before it
    assert all(m.value != 30 for m in metrics)
    total = _find(metrics, "村级集体经济总收入", 486)
    assert (total.unit, total.change_pct) == ("万元", 15.2)
    # a count of projects is still a count
    assert _find(_all("全年新开工10个重点项目。"), "新开工重点项目", 10).unit == "个"


@pytest.mark.parametrize(
    ("text", "name", "value", "unit", "period", "change"),
    [
        (
            "地区生产总值由2015年的418亿元增加到2020年的612亿元，年均增长7.8%；",
            "地区生产总值",
            612,
            "亿元",
            "2020年",
            7.8,  # the rate the sentence gives, as SPEC's "X亿元，增长Y%" and the labels read it
        ),
        (
            "高新技术企业由2016年的40家增加到2021年的95家。",
            "高新技术企业",
            95,
            "家",
            "2021年",
            None,
        ),
        ("一般公共预算收入由3.2亿元增加到4.5亿元。", "一般公共预算收入", 4.5, "亿元", None, None),
    ],
)
def test_from_year_to_year_reports_the_level_now(
    text: str, name: str, value: float, unit: str, period: str | None, change: float | None
) -> None:
    metrics = _all(text, level="all")
    _grounded(text, metrics)
    expected: list[tuple[object, ...]] = [
        (name, pytest.approx(value), unit, period, "actual", change)
    ]
    assert [
        (m.name, m.value, m.unit, m.period, m.status, m.change_pct) for m in metrics
    ] == expected


@pytest.mark.parametrize(
    ("text", "role", "name"),
    [
        ("明年地区生产总值力争增长6%。", "review", "地区生产总值"),
        ("全市实现地区生产总值2000亿元，同比增长5%。", "review", "地区生产总值"),
        ("主要目标是一般公共预算收入增长5%，", "plans", "一般公共预算收入"),
        ("社会消费品零售总额2020年达到300亿元。", "review", "社会消费品零售总额"),
        ("到2025年固定资产投资达到900亿元。", "plans", "固定资产投资"),
        ("城镇居民居民人均可支配收入4.5万元。", "review", "城镇居民人均可支配收入"),
    ],
)
def test_names_lose_status_verb_and_period_words(text: str, role: str, name: str) -> None:
    metrics = _all(text, role=role, level="all")
    _grounded(text, metrics)
    assert [m.name for m in metrics] == [name]


def test_periods_keep_their_quotes_as_written() -> None:
    text = "“十三五”期间，全区地区生产总值年均增长7.8%。十三五末，常住人口达到120万人。"
    assert [m.period for m in _all(text, level="all")] == ["“十三五”期间", "十三五末"]


# --- a report closing a plan period reviews five years, then its own year -------------------

FIVE_YEARS_THEN_ONE = (
    "一、“十四五”时期发展回顾\n"
    "过去五年，全县经济实力跃上新台阶。地区生产总值年均增长6.2%，进出口总额增长48.5%。\n"
    "五年来，我们持续改善民生，城镇新增就业3.6万人。\n"
    "这五年，生态环境明显改善，森林覆盖率提高到63.8%。居民人均可支配收入五年增长30.8%。\n"
    "刚刚过去的2025年，地区生产总值增长5.4%，城镇新增就业7260人。\n"
)


@pytest.mark.parametrize(
    ("name", "value", "period"),
    [
        ("地区生产总值", 6.2, "过去五年"),
        ("进出口总额", 48.5, "过去五年"),
        ("城镇新增就业", 3.6, "五年来"),
        ("森林覆盖率", 63.8, "这五年"),
        ("居民人均可支配收入", 30.8, "五年"),  # stated inline
        ("地区生产总值", 5.4, "2025年"),  # the year itself
        ("城镇新增就业", 7260, "2025年"),
    ],
)
def test_figures_of_a_five_year_review_carry_that_period(
    name: str, value: float, period: str
) -> None:
    metrics = _all(FIVE_YEARS_THEN_ONE)
    _grounded(FIVE_YEARS_THEN_ONE, metrics)
    assert _find(metrics, name, value).period == period
