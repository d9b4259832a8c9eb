"""Canonical indicator names: the spellings reports use map to one name; others stay apart."""

from __future__ import annotations

import pytest

from summarizer.lexicon.indicators import canonical_name, is_indicator

SAME = {
    "一般公共预算收入": [
        "公共财政预算收入",
        "一般公共预算收入",
        "一般公共财政预算收入",
        "公共财政收入",
        "地方一般公共预算收入",
        "地方财政收入",
        "街道年度一般公共财政预算收入",
        "半年度一般公共预算收入",
    ],
    "规上工业总产值": ["规模工业总产值", "规上工业总产值", "规模以上工业总产值", "规模工业产值"],
    "规上工业增加值": ["规上工业增加值", "规模以上工业增加值", "工业增加值"],
    "地区生产总值": [
        *("地区生产总值", "GDP", "全市生产总值", "全省生产总值", "生产总值"),
        *("国内生产总值", "全省地区生产总值"),  # a national report's GDP is the country's
    ],
    "社会消费品零售总额": ["社会消费品零售总额", "社零额", "全省社会消费品零售总额"],
    "限额以上社会消费品零售总额": ["限额以上社会消费品零售总额", "限上社会消费品零售总额"],
    "固定资产投资": ["固定资产投资", "全社会固定资产投资"],
    "实际利用外资": ["实际利用外资", "实际使用外资", "到位外资", "实际到账外资"],
    "进出口总额": ["进出口总额", "外贸进出口总额", "货物进出口总额", "外贸进出口"],
    "出口总额": ["自营出口", "出口"],
    "实际到位内资": ["实到内资总额", "到位内资"],
    "居民人均可支配收入": ["居民人均可支配收入", "居民可支配收入"],
    "城镇居民人均可支配收入": ["城镇居民人均可支配收入", "城镇居民可支配收入"],
    "农村居民人均可支配收入": ["农村居民人均可支配收入", "农民人均纯收入"],
    "重点项目数": ["列入市区重点项目", "重点项目", "省重点项目"],
    "重点项目投资": ["省重点项目完成投资", "重点项目完成投资"],
    "研发经费支出": ["R&D经费支出", "研发经费投入"],
    # the headline vocabulary of national, province and city reports
    "单位地区生产总值能耗": ["单位国内生产总值能耗", "单位GDP能耗", "单位地区生产总值能耗"],
    "单位地区生产总值二氧化碳排放": ["单位国内生产总值二氧化碳排放", "单位GDP二氧化碳排放"],
    "PM2.5平均浓度": [
        "PM2.5平均浓度",
        "PM2.5年均浓度",
        "细颗粒物（PM2.5）平均浓度",
        "全市PM2.5平均浓度",
    ],
    "空气质量优良天数比例": ["空气质量优良天数比例", "市区空气质量优良天数比例", "优良天数比例"],
    "粮食产量": ["粮食产量", "粮食总产", "粮食总产量", "全省粮食产量"],
    "全员劳动生产率": ["全员劳动生产率"],
    "服务贸易进出口总额": ["服务贸易", "服务贸易进出口", "服务进出口总额"],
    "高新技术企业": ["高新技术企业", "高新技术企业数量", "国家高新技术企业"],
    "城镇调查失业率": ["城镇调查失业率", "调查失业率", "全国城镇调查失业率"],
    "城镇登记失业率": ["城镇登记失业率", "登记失业率"],
    "居民消费价格": [
        "居民消费价格",
        "居民消费价格涨幅",
        "居民消费价格指数涨幅",
        "消费价格指数涨幅",
        "CPI",
    ],
    "研发经费投入强度": [
        "研发投入强度",
        "全社会研发经费投入强度",
        "研发经费支出与国内生产总值之比",
    ],
    "减税降费": [
        "减税降费",
        "新增减税降费",
        "减税降费及退税",
        "为经营主体新增减免税费",
        "降低企业税负",
    ],
}


@pytest.mark.parametrize(
    ("name", "canonical"), [(n, c) for c, names in SAME.items() for n in names]
)
def test_spellings_share_a_canonical_name(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical


@pytest.mark.parametrize(
    "name",
    [
        "税收占一般公共预算收入比重",  # a share, not the revenue
        "四大主导产业占地区生产总值比重",
        "单位生产总值能耗",
        "对GDP综合贡献率",
        "泸州经济总量",  # a sub-area's output, not the report area's GDP
        "服务进出口总额",  # services only
        "城乡居民人均可支配收入",  # "分别增长a%和b%": two figures, neither the all-resident one
        "人均地区生产总值",  # distinct from the total …
        "全省城镇居民人均可支配收入",  # 城镇 is no town (…镇) in front of the all-resident income
        "海洋生产总值",  # a sector's output
        "锅炉",
        "",
    ],
)
def test_lookalikes_are_not_merged_into_headline_totals(name: str) -> None:
    got = canonical_name(name)
    assert got not in {"一般公共预算收入", "地区生产总值", "进出口总额", "居民人均可支配收入"}


def test_per_capita_gdp_has_its_own_name() -> None:
    assert canonical_name("人均地区生产总值") == "人均地区生产总值"


def test_is_indicator() -> None:
    assert is_indicator("限上批发业销售额", "亿元")
    assert is_indicator("新增规上工业企业", "家")
    assert is_indicator("城镇化率", "%")
    assert is_indicator("涉毒警情", "%", has_change=True)
    assert not is_indicator("锅炉", "台")
    assert not is_indicator("开展主题活动", "场")
    # a sum of money named as an amount (…额) is one, whatever the noun before it
    assert is_indicator("合同引资额", "亿元")
    assert is_indicator("新签约项目合同额", "万美元")
    assert not is_indicator("合同引资额", "个")  # not money: the name alone does not decide
