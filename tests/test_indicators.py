"""Canonical indicator names: the spellings reports use map to one name; others stay apart; a
figure of another indicator never takes one; the table is data, documented in the README, and
names the headline figures of every label set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.evaluate.run import find_report, load_labels
from summarizer.evaluate.scoring import score_report
from summarizer.lexicon.indicators import (
    TABLE_PATH,
    PatternError,
    canonical_name,
    figure_indicator,
    indicators,
    is_indicator,
    markdown_table,
    read_table,
)
from summarizer.models import Metric
from summarizer.pipeline import summarize
from summarizer.read.source import read_report

from .conftest import ROOT

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
    "重点项目数": [
        *("列入市区重点项目", "重点项目", "省重点项目", "省、市重点项目"),
        *("实施市级以上重点项目", "争列省重点项目", "千万元以上重点项目"),
    ],
    "重点项目投资": [
        *("省重点项目完成投资", "重点项目完成投资", "谋划实施省市重点项目投资"),
        *("重点项目年度计划总投资", "重点项目当年完成投资"),  # the year's, however written
    ],
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
    # the headline vocabulary of county, township and park reports
    "重点项目总投资": ["重点项目总投资", "省市重点项目计划总投资"],  # the projects' lifetime
    "储备项目": ["市重点储备项目", "谋划储备重大项目"],
    "签约项目总投资": ["新签约项目协议总投资", "协议总投资"],
    "新引进亿元以上项目": ["新引进亿元以上项目", "新签约引进亿元以上工业项目"],
    "限额以上批零住餐营业额": ["限额以上批零住餐营业额", "限上批零住餐业营业额"],
    "规上服务业营业收入": ["规模以上服务业企业实现营业收入", "规上服务业营业收入"],
    "民生支出": ["财政民生支出", "财政用于民生支出", "财政民生资金支出"],
    "民生支出比重": ["民生投入占财政支出", "财政民生资金支出占一般公共预算支出"],
    "村级集体经济收入": ["村级集体总收入", "村集体经济收入"],
    "新增经营主体": ["新增各类市场主体", "新增市场经营主体"],
    "经营主体": ["市场经营主体", "经营主体净增"],  # 净增 is its change
    "新三样出口": ["“新三样”出口", "光伏产品“新三样”出口"],
    "港口货物吞吐量": ["港口货物吞吐量", "嘉兴港货物吞吐量"],  # a port is a place
    "社会融资规模余额": ["和社会融资规模余额"],  # the tail of "M2和社会融资规模余额"
    "林木绿化率": ["林木绿化率", "林木覆盖率"],
    "旅游总收入": ["旅游总收入", "旅游综合收入", "旅游总消费"],
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
        "服务业增加值占国内生产总值比重",  # a share of GDP, not GDP
        "本外币存贷款余额",  # deposits and loans together, neither of them alone
        "金融机构企业贷款余额",  # loans to firms only
        "锅炉",
        "",
    ],
)
def test_lookalikes_are_not_merged_into_headline_totals(name: str) -> None:
    got = canonical_name(name)
    assert got not in {
        *("一般公共预算收入", "地区生产总值", "进出口总额", "居民人均可支配收入"),
        *("服务业增加值", "存款余额", "贷款余额"),
    }


@pytest.mark.parametrize(
    ("name", "apart"),
    [
        ("工业产值", "规上工业总产值"),  # all industry, not the 规模以上 figure
        ("重点项目总投资", "重点项目投资"),  # what the projects will invest, not the year's
        ("新增市场主体", "经营主体"),  # a yearly flow, not the stock
        ("新设外资企业", "实际利用外资"),  # firms, not capital
        ("高新技术企业", "高新技术产业增加值"),
        ("农业科技进步贡献率", "科技进步贡献率"),
    ],
)
def test_neighbouring_indicators_stay_apart(name: str, apart: str) -> None:
    assert canonical_name(name) not in {apart, None}


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


# --- figures: a name and a unit --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "canonical"),
    [
        # a count of firms, projects or places under an amount indicator's words
        ("规模以上工业企业", "万家", "规上工业企业"),
        ("规模以上工业增加值", "万家", None),
        ("工业增加值", "个", None),
        ("新设外资企业", "万户", "新设外资企业"),
        ("实际利用外资", "家", None),
        ("棚户区改造", "个", None),  # 7个棚户区改造: projects, not homes
        ("固定资产投资", "个", None),
        ("地区生产总值", "万人", None),
        ("居民消费价格", "亿元", None),
        ("研发经费投入强度", "亿元", None),  # an intensity is a share, never an amount
        ("城镇调查失业率", "万人", None),
        # the units the reports write each in, with any magnitude
        ("地区生产总值", "万亿元", "地区生产总值"),
        ("实际利用外资", "亿美元", "实际利用外资"),
        ("粮食产量", "亿斤", "粮食产量"),
        ("全社会用电量", "亿千瓦时", "全社会用电量"),
        ("PM2.5平均浓度", "微克/立方米", "PM2.5平均浓度"),
        ("全员劳动生产率", "万元/人", "全员劳动生产率"),
        ("高校毕业生", "万名", "高校毕业生"),
        ("空气质量优良天数比例", "个百分点", "空气质量优良天数比例"),
    ],
)
def test_a_figure_is_named_only_in_a_unit_its_indicator_takes(
    name: str, unit: str, canonical: str | None
) -> None:
    assert figure_indicator(name, unit) == canonical


@pytest.mark.parametrize(
    ("name", "unit", "canonical"),
    [
        ("农村贫困人口减少", "万", "农村贫困人口"),  # a bare 万 is the indicator's own unit
        ("减少农村贫困人口", "万人", "农村贫困人口"),
        ("城镇居民人均可支配收入增加", "元", "城镇居民人均可支配收入"),
        ("地区生产总值增长", "%", "地区生产总值"),
        ("一般公共预算收入年均增长", "%", "一般公共预算收入"),
        ("居民医保人均财政补助标准提高", "元", "居民医保人均财政补助标准"),
        ("城乡居民人均可支配收入增长", "%", None),  # two figures still
    ],
)
def test_a_change_word_before_or_after_a_name_leaves_its_indicator(
    name: str, unit: str, canonical: str | None
) -> None:
    assert figure_indicator(name, unit) == canonical
    assert canonical_name(name) is None or canonical is None  # the name alone is no indicator


def _summary_of(tmp_path: Path, text: str) -> list[Metric]:
    path = tmp_path / "report.txt"
    path.write_text("2024年某省政府工作报告\n一、过去一年工作回顾\n" + text + "\n", "utf-8")
    return summarize(path).metrics


def test_firms_are_never_named_as_the_output_they_make(tmp_path: Path) -> None:
    # 广东 2025: "规模以上工业企业7.6万家"
    metrics = _summary_of(tmp_path, "全省规模以上工业企业7.6万家，规模以上工业增加值增长4.2%。")
    named = {(m.value, m.unit): m.canonical_name for m in metrics}
    assert named[(7.6, "万家")] == "规上工业企业"
    assert named[(4.2, "%")] == "规上工业增加值"


def test_a_level_and_a_change_of_one_indicator_share_its_name(tmp_path: Path) -> None:
    metrics = _summary_of(
        tmp_path, "地区生产总值5000亿元，增长5.2%。农村贫困人口减少1240万，贫困发生率降至1.7%。"
    )
    got = {(m.canonical_name, m.measure) for m in metrics}
    assert {("地区生产总值", "level"), ("农村贫困人口", "change")} <= got
    gdp = [m for m in metrics if m.canonical_name == "地区生产总值"]
    assert [(m.value, m.unit) for m in gdp] == [(5000, "亿元")]  # the rate rides on the level
    assert gdp[0].change_pct == 5.2


# --- the table as data -------------------------------------------------------------------------------

MINIMAL = """
[lead]
words = ["全市"]
place_endings = ["街道"]
not_places = []

[endings]
indicator = ["收入"]
money = ["额"]

[[indicator]]
name = "地区生产总值"
names = ["{地区|国内}生产总值", "GDP"]
level = ["元"]
change = ["%"]
"""


def test_a_table_reads_its_pattern_syntax() -> None:
    table = read_table(MINIMAL)
    assert set(table.forms) == {"地区生产总值", "国内生产总值", "GDP"}
    (gdp,) = table.indicators
    assert gdp.takes("万亿元") and gdp.takes("%", "change") and not gdp.takes("%", "level")
    assert not gdp.takes("亿吨")


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('name = "税收收入"\nnames = ["GDP"]\nlevel = ["元"]', "both 地区生产总值 and 税收收入"),
        ('name = "税收收入"\nnames = ["税收[收入"]\nlevel = ["元"]', "never closed"),
        ('name = "税收收入"\nnames = ["税收}收入"]\nlevel = ["元"]', "unbalanced"),
        ('name = "税收收入"\nnames = ["…税收"]\nlevel = ["元"]', "scopes only"),
        ('name = "税收收入"\nnames = ["[税收]"]\nlevel = ["元"]', "may not be empty"),
        ('name = "税收收入"\nnames = ["税收"]\nlevel = []', "takes no unit"),
        ('name = "税收收入"\nnames = ["税收"]\nlevel = ["元"]\nunit = "元"', "unknown field"),
        ('name = "地区生产总值"\nnames = ["GDP总量"]\nlevel = ["元"]', "named twice"),
        (
            'name = "减税"\nnames = ["减税"]\nlevel = ["元"]\npart_of = "减税降费"',
            "part_of names no",
        ),
        ('name = "减税"\nnames = ["减税"]\nlevel = ["元"]\npart_of = 1', "part_of must be"),
    ],
)
def test_a_table_that_is_not_valid_says_why(entry: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        read_table(MINIMAL + "\n[[indicator]]\n" + entry + "\n")


def test_pattern_errors_are_value_errors() -> None:
    assert issubclass(PatternError, ValueError)


def test_the_package_table_is_valid_and_every_indicator_is_written_somehow() -> None:
    table = read_table(TABLE_PATH.read_text("utf-8"))
    assert len(table.indicators) >= 150
    # each indicator is its own written form or reached from one of its spellings
    named = {ind.name for ind in table.forms.values()}
    assert named == {ind.name for ind in table.indicators}


def test_the_readme_shows_the_table_as_the_file_holds_it() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert markdown_table() in readme
    assert len(markdown_table().splitlines()) == len(indicators()) + 2


# --- the label sets ---------------------------------------------------------------------------------

LABEL_SETS = {
    "seeds": (ROOT / "evals" / "labels", ROOT / "seeds"),
    "varied": (ROOT / "evals" / "varied" / "labels", ROOT / "evals" / "varied" / "reports"),
    "real": (ROOT / "evals" / "real" / "labels", ROOT / "evals" / "real" / "reports"),
}


def test_labelled_figures_fit_the_units_and_measures_their_indicators_take() -> None:
    by_name = {ind.name: ind for ind in indicators()}
    unfit = []
    for labels_dir, _ in LABEL_SETS.values():
        for path in sorted(labels_dir.glob("*.json")):
            for m in json.loads(path.read_text("utf-8"))["metrics"]:
                canonical = figure_indicator(m["name"], m["unit"])
                measure = m.get("measure")
                if canonical and measure and not by_name[canonical].takes(m["unit"], measure):
                    unfit.append((path.stem, m["name"], m["unit"], measure))
    assert unfit == []


# Figures named by the table as the extractor names them, while the label reads otherwise:
# "力争全年新增“四上”企业30家、高新技术企业40家" — the list's 新增 is not carried to its second name.
EXTRACTOR_NAMES = {("002_45b5c495d0af0b39", "高新技术企业")}


@pytest.mark.parametrize("label_set", sorted(LABEL_SETS))
def test_headline_figures_get_canonical_names_and_only_their_own(label_set: str) -> None:
    labels_dir, reports_dir = LABEL_SETS[label_set]
    matched = named = 0
    disagree = set()
    for label_path, labels in load_labels(labels_dir):
        path = find_report(reports_dir, labels.report, label_path)
        summary = summarize(path)
        score = score_report(summary, labels, read_report(path).text)
        for pair in score.matches["metrics"]:
            pred, label = summary.metrics[pair.pred], labels.metrics[pair.label]
            matched += 1
            named += pred.canonical_name is not None
            # the label's name, read by the same table, never says another indicator
            said = figure_indicator(label.name, label.unit)
            if said and pred.canonical_name and said != pred.canonical_name:
                disagree.add((labels.report, pred.name))
    assert named / matched >= 0.9, (named, matched)
    assert disagree <= EXTRACTOR_NAMES
