"""Provincial reports (广东, 河北) against the tracking rules: outcome targets under names the
indicator table lacks (the name's last word tells an output, a standard, an industry's size from
a count of things delivered), a school stage's own 学位, a plan heading aiming at a result,
standards raised per head and month, livestock output. Sentences copied from the reports, each
rule shown on a second report (national, 顺平, 易县, or a city's)."""

from __future__ import annotations

import pytest

from summarizer.lexicon.indicators import indicator, is_outcome_name
from summarizer.models import Metric
from summarizer.read.headings import heading_role
from summarizer.read.structure import parse_structure
from summarizer.track import track_summaries
from tests.test_track import _Report
from tests.test_track_recall import _summarise


def _metrics(sentence: str) -> list[Metric]:
    return _summarise(sentence).metrics


@pytest.mark.parametrize(
    ("sentence", "name", "outcome"),
    [
        ("推进金鲳、海鲈、生蚝等品种全链条发展，水产品总产量1020万吨以上。", "水产品总产量", True),
        ("加快发展现代设施农业，设施农业总产值实现2810亿元。", "设施农业总产值", True),
        ("完成“四肉”产量15万吨以上。", "“四肉”产量", True),
        ("高端装备产业规模突破1.2万亿元，电子信息产业规模突破5000亿元。", "电子信息产业规模", True),
        (
            "深化水生态环境系统治理，县级以上饮用水源水质达标率达到100%。",
            "县级以上饮用水源水质达标率",
            True,
        ),
        # a count of things delivered, a service rate: tasks, not outcomes
        ("开发储备超5000个公益性岗位，募集就业见习岗位超6万个。", "公益性岗位", False),
        ("65岁及以上老年人医养结合服务率超过40%。", "65岁及以上老年人医养结合服务率", False),
        # a sum of investment is no industry's size
        ("在建重大水利工程投资规模超过8000亿元。", "在建重大水利工程投资规模", False),
    ],
)
def test_an_outcome_is_told_by_the_last_word_of_its_name(
    sentence: str, name: str, outcome: bool
) -> None:
    names = [m.name for m in _metrics(sentence) if m.canonical_name is None]
    assert name in names
    assert is_outcome_name(name) is outcome


def test_an_outcome_the_table_lacks_is_not_reported_when_the_next_report_is_silent() -> None:
    fruit = {"name": "水产品总产量", "unit": "万吨", "bound": "at_least"}
    jobs = {"name": "公益性岗位", "unit": "个", "bound": "at_least"}
    a = _Report("a_2025", 2025).target("水产品总产量1020万吨以上", value=1020, **fruit)
    a.target("开发储备超5000个公益性岗位", value=5000, **jobs)
    b = _Report("a_2026", 2026)
    links = track_summaries([a.summary(), b.summary()]).links
    assert [(x.indicator, x.verdict) for x in links] == [("水产品总产量", "not_reported")]
    b.actual("水产品总产量1050万吨", value=1050, name="水产品总产量", unit="万吨")
    links = track_summaries([a.summary(), b.summary()]).links
    assert [(x.indicator, x.verdict) for x in links] == [("水产品总产量", "met")]


def test_a_school_stage_before_places_is_an_indicator_of_its_own() -> None:
    # 广东 2025 reviews one and plans the other; 柳州 2024 and 顺平 write the stage and none
    reviewed = _metrics("持续扩大学前教育资源供给，新增基础教育公办学位52万个。")
    planned = _metrics("巩固学前教育“5085”攻坚成果，新增义务教育学位40万个。")
    city = _metrics("社会事业全面进步。新增义务教育学位1.3万个。")
    bare = _metrics("新增学位3200个。")
    names = [m.canonical_name for m in (*reviewed, *planned, *city, *bare)]
    assert names == ["新增基础教育学位", "新增义务教育学位", "新增义务教育学位", "新增学位"]


@pytest.mark.parametrize(
    "heading",
    [
        "（二）深入实施“百县千镇万村高质量发展工程”，奋力实现“三年初见成效”目标。",  # 广东 2025
        "（二）巩固治理成效，持续改善生态环境。",  # 顺平 2020
    ],
)
def test_a_result_aimed_at_heads_a_section_of_the_plans(heading: str) -> None:
    text = (
        "某省政府工作报告\n一、2024年工作回顾\n全省地区生产总值增长3.5%。\n"
        "二、2025年工作安排\n（一）扩大内需。社会消费品零售总额增长5%。\n"
        f"{heading}统筹推进新型城镇化，力争规模化供水工程覆盖率超90%。\n"
    )
    structure = parse_structure(text)
    assert structure.role_at(text.index("力争")) == "plans"
    assert structure.role_at(text.index("3.5%")) == "review"


def test_a_review_heading_stays_a_review() -> None:
    # outside a plans part (广东 2025 reviews its year so) a result is reviewed
    for title in ("推进新型城镇化取得新成效", "加强生态环境保护治理，绿美广东生态建设成效彰显"):
        assert heading_role(title, top_level=False) == "review"


@pytest.mark.parametrize(
    ("sentence", "name", "value"),
    [
        # per head and month (广东 2025), per student and year (广东 2025), per head and year
        # (national 2013): the base after 从/由 is the standard's, the level reached its value
        (
            "集中供养孤儿基本生活保障省定最低标准从每人每月2295元提高到2375元。",
            "集中供养孤儿基本生活保障省定最低标准",
            2375.0,
        ),
        (
            "将义务教育阶段特殊教育生均公用经费最低标准从每生每年6000元提高至7000元。",
            "义务教育阶段特殊教育生均公用经费最低标准",
            7000.0,
        ),
        (
            "今年新农合和城镇居民基本医疗保险财政补助标准由每人每年240元提高到280元。",
            "新农合和城镇居民基本医疗保险财政补助标准",
            280.0,
        ),
    ],
)
def test_a_standard_raised_per_head_and_period_is_its_new_level(
    sentence: str, name: str, value: float
) -> None:
    assert [(m.name, m.value) for m in _metrics(sentence)] == [(name, value)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # 广东 2026: a list sharing its measure, each figure its own
            "生猪、家禽年出栏量分别稳定在3900万头、13.5亿只以上。",
            [("生猪出栏", 3900.0), ("家禽出栏", 13.5)],
        ),
        ("产量稳定在340万吨以上、生猪出栏190万头以上。", [("生猪出栏", 190.0)]),  # 柳州 2024
        ("生猪出栏稳定在660万头以上。", [("生猪出栏", 660.0)]),  # 赣州 2024
    ],
)
def test_livestock_output_is_an_indicator(sentence: str, expected: list[tuple[str, float]]) -> None:
    found = [(m.canonical_name, m.value) for m in _metrics(sentence) if m.canonical_name]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "name", "outcome"),
    [
        # a share in % named 比例: 广东 2025 and 2026 (a standard's share, a rate of villages)
        (
            "逐步缩小城乡社会救助差距，农村低保标准占城镇低保标准的比例达到77%以上，"
            "城乡低保补差水平不低于当地上年度城乡低保补差水平。",
            "农村低保标准占城镇低保标准的比例",
            True,
        ),
        (
            "深化人居环境整治和风貌提升，整县建成美丽乡村比例提高到40%，整体提升省际边界发展水平。",
            "整县建成美丽乡村比例",
            True,
        ),
        # a city's (赣州 2024; 广东 2026's 农村规模化供水工程覆盖人口比例 is now the table's)
        (
            "推进“无实体印章”“无纸质证明”城市等改革，力争高频政务服务“一网通办”比例达100%。",
            "高频政务服务“一网通办”比例",
            True,
        ),
        # a rule the state applies is no outcome: national 2022, 2023
        (
            "加大研发费用加计扣除政策实施力度，将科技型中小企业加计扣除比例从75%提高到100%。",
            "科技型中小企业加计扣除比例",
            False,
        ),
        ("将养老保险单位缴费比例从20%降至16%。", "养老保险单位缴费比例", False),
    ],
)
def test_a_share_named_bili_is_a_figure_and_a_rule_no_outcome(
    sentence: str, name: str, outcome: bool
) -> None:
    names = [m.name for m in _metrics(sentence) if m.canonical_name is None and m.unit == "%"]
    assert name in names
    assert is_outcome_name(name) is outcome


@pytest.mark.parametrize(
    "sentence",
    [
        "培育更多隐形冠军、单项冠军，新增省级专精特新企业600家。",  # 河北 2025, a target
        "全年净增“四上”企业207户、新增省级“专精特新”企业42户，均超额完成年度目标任务。",  # 六盘水
        "力争全年新增国家高新技术企业80家、自治区专精特新企业30家以上。",  # 柳州 2024
    ],
)
def test_the_specialised_firms_roll_is_counted_by_its_additions(sentence: str) -> None:
    names = [m.canonical_name for m in _metrics(sentence) if m.unit in ("家", "户")]
    assert "专精特新中小企业" in names


def test_afforestation_written_yingzaolin_is_zaolin() -> None:
    # 承德 2024 and 河北 2025 (营造林), 易县 2018 (造林): one indicator, a task of the table
    for sentence in ("完成营造林140万亩，修复退化草地15万亩。", "完成营造林600万亩。"):
        assert [m.canonical_name for m in _metrics(sentence)][:1] == ["造林"]


def test_a_population_of_firms_named_by_its_total_is_an_outcome() -> None:
    # 河北 2025's roll the table lacks, read as 六盘水 2024's 市场主体总量 (the table's 经营主体) is
    provincial = _metrics("争创一批国家中小企业特色产业集群，“领跑者”企业总量保持在650家以上。")
    city = _metrics("支持民营经济高质量发展，力争市场主体总量突破35万户。")
    assert [m.name for m in provincial] == ["“领跑者”企业总量"]
    assert is_outcome_name("“领跑者”企业总量")
    table = indicator(city[0].canonical_name or "")
    assert table is not None and table.name == "经营主体" and table.outcome and not table.task


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 广东 2025 and 2026 plan forest areas worked, whose names end in a change word
        (
            "持续优化林分、改善林相，今年再完成林分优化提升200万亩、森林抚育提升200万亩任务。",
            [("林分优化提升", 200.0), ("森林抚育提升", 200.0)],
        ),
        (
            "全面开展绿美广东生态建设“六大行动”，累计完成林分优化1105万亩、森林抚育1111万亩。",
            [("林分优化提升", 1105.0), ("森林抚育提升", 1111.0)],
        ),
        # grassland restored: 河北 2025, 承德 2024, 西藏 2026
        ("完成营造林600万亩，修复退化草原50万亩。", [("造林", 600.0), ("修复退化草原", 50.0)]),
        ("完成营造林140万亩，修复退化草地15万亩。", [("造林", 140.0), ("修复退化草原", 15.0)]),
        ("修复治理退化草原220万亩、治理水土流失25万亩。", [("修复退化草原", 220.0)]),
    ],
)
def test_forest_and_grassland_areas_worked_are_indicators(
    sentence: str, expected: list[tuple[str, float]]
) -> None:
    found = [(m.canonical_name, m.value) for m in _metrics(sentence) if m.unit == "万亩"]
    assert [f for f in found if f[0] != "水土流失治理面积"] == expected
    for name, _ in expected:
        table = indicator(name)
        assert table is not None and (name == "造林" or (table.outcome and not table.task))


def test_an_area_named_with_a_change_word_is_tracked_as_the_area() -> None:
    # 广东 2025: "林分优化提升200万亩" reads 提升 as a change, but the area worked has no change
    forest = {"canonical_name": "林分优化提升", "name": "林分优化提升", "unit": "万亩"}
    quote = "今年再完成林分优化提升200万亩"
    a = _Report("a_2025", 2025).target(quote, value=200, measure="change", direction="up", **forest)
    b = _Report("a_2026", 2026)
    link = track_summaries([a.summary(), b.summary()]).links[0]
    assert (link.indicator, link.measure, link.verdict) == ("林分优化提升", "level", "not_reported")
    b.actual("完成林分优化提升210万亩", value=210, **forest)
    link = track_summaries([a.summary(), b.summary()]).links[0]
    assert (link.measure, link.verdict) == ("level", "met")


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("江海堤防达标率", True),  # 广东 2026: 江海堤防达标率提高到80%以上
        ("县级以上饮用水源水质达标率", True),  # 河北 2025
        ("农贸市场“禁塑”达标率", True),  # 海南 2026
        ("净美达标村达标率", False),  # 顺平 2024: the share of the programme's own 达标村
    ],
)
def test_a_standard_met_is_an_outcome_unless_it_is_a_programmes_grade(
    name: str, outcome: bool
) -> None:
    assert is_outcome_name(name) is outcome


def test_rural_water_works_coverage_is_one_indicator_as_a_rate_or_a_share() -> None:
    # 广东 2025 reviews and plans the rate, 广东 2026 reports the share of people covered
    reviewed = _metrics("自然村生活污水治理率提高到75%以上，农村规模化供水工程覆盖率提高到87%。")
    planned = _metrics("基本完成自然村生活污水新建治理任务，力争规模化供水工程覆盖率超90%。")
    shares = _metrics("行政村通双车道公路覆盖率达94%，农村规模化供水工程覆盖人口比例达90.5%。")
    found = [(m.canonical_name, m.value) for m in (*reviewed, *planned, *shares)]
    name = "农村规模化供水工程覆盖率"
    assert [f for f in found if f[0] == name] == [(name, 87.0), (name, 90.0), (name, 90.5)]


# The 2026 provincial reports review the year and the term under one heading; an address turns
# to the term (广东 2026, and in the same words 西藏 2026: "各位代表！2025年主要目标的完成，标志着
# “十四五”圆满收官。回首过去五年，…"; 海南 2026: "各位代表！“十四五”时期是…关键五年。").
YEAR_AND_TERM = (
    "广东省政府工作报告\n"
    "一、2025年和“十四五”时期工作回顾\n"
    "2025年是很不平凡的一年。\n"
    "六是全力保障和改善民生。\n"
    "十件民生实事全面完成。城镇新增就业149.4万人、超额完成国家下达任务。\n"
    "各位代表！{address}\n"
    "这是绿美广东生态建设绘就新画卷的五年。\n"
    "全面开展绿美广东生态建设“六大行动”，累计完成林分优化1105万亩、森林抚育1111万亩，"
    "乡村绿化植树3900万株。行政村通双车道公路覆盖率达94%，农村规模化供水工程覆盖人口比例达90.5%。\n"
    "二、2026年工作安排\n"
    "完成林分优化提升200万亩、森林抚育提升200万亩。\n"
)


@pytest.mark.parametrize(
    "address",
    [
        "经过五年接续奋斗，我省“十四五”顺利收官。五年来，我们有效应对百年变局和世纪疫情。",
        "2025年主要目标的完成，标志着“十四五”圆满收官。回首过去五年，我们汇聚力量。",
        "“十四五”时期是海南自由贸易港建设成型起势的关键五年。",
    ],
)
def test_an_address_turning_to_the_term_opens_its_review(address: str) -> None:
    text = YEAR_AND_TERM.format(address=address)
    spans = {m.value: m.span for m in _summarise(text).metrics}
    assert spans[149.4] == "year"  # the year's, before the address
    assert spans[1105.0] == spans[1111.0] == "multi_year"  # the term's totals
    assert spans[90.5] == spans[94.0] == "year"  # levels reached (达): the term's last year's
    assert spans[200.0] == "year"  # the plan, untouched


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 广东 2025 and 2026 (附件1): a standard raised for one group, then for a second group of
        # the same noun with the head left off
        (
            "集中供养孤儿基本生活保障省定最低标准从每人每月2295元提高到2375元，散居孤儿（含艾滋病"
            "病毒感染儿童）从每人每月1484元提高到1536元，集中供养、散居事实无人抚养儿童分别按照"
            "集中供养、散居孤儿的保障标准执行。",
            [
                ("集中供养孤儿基本生活保障省定最低标准", 2375.0),
                ("散居孤儿基本生活保障省定最低标准", 1536.0),
            ],
        ),
        (
            "集中供养孤儿基本生活保障省定最低标准从每人每月2375元提高到2423元，散居孤儿（含艾滋病"
            "病毒感染儿童）从每人每月1536元提高到1567元，集中供养、散居事实无人抚养儿童分别按照"
            "集中供养、散居孤儿的保障标准执行，儿童福利机构照料护理水平逐步提高。",
            [
                ("集中供养孤儿基本生活保障省定最低标准", 2423.0),
                ("散居孤儿基本生活保障省定最低标准", 1567.0),
            ],
        ),
    ],
)
def test_a_standard_list_shares_its_head_with_a_group_named_alone(
    sentence: str, expected: list[tuple[str, float]]
) -> None:
    found = [(m.name, m.value) for m in _metrics(sentence)]
    assert found == expected
    assert all(is_outcome_name(name) for name, _ in found)


def test_a_part_counted_after_its_whole_keeps_its_own_name() -> None:
    # 易县 2021: the parts of a count share no head (only a standard raised 从…到 does)
    sentence = "全年谋划实施省市重点项目39个，其中省重点2个，市重点37个，总投资531.38亿元。"
    names = [m.name for m in _metrics(sentence)]
    assert "省重点项目" not in names and "市重点项目" not in names


def test_firms_grown_into_the_scaled_roll_are_the_new_scaled_firms() -> None:
    # 广东 2025 counts the flow by the drive's name (小升规: 承德 2024, 广东 2026, seed 002 name it)
    found = _metrics("提升质量基础设施技术支撑能力。推动5500家企业“小升规”，加快培育更多一流企业。")
    assert [(m.canonical_name, m.value, m.unit) for m in found] == [
        ("新增规上工业企业", 5500.0, "家")
    ]
    table = indicator("新增规上工业企业")
    assert table is not None and table.outcome and not table.task


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 广东 2025 plans and 广东 2026 reports one count, with and without the verb 开展
        (
            "推广“链式改造”，推动超1万家工业企业开展技术改造和数字化转型，推进国家制造业新型技术改造、",
            ("工业企业技术改造", 1.0, "万家"),
        ),
        (
            "推动1万家工业企业技术改造和数字化转型，东莞入选国家制造业新型技术改造城市试点，",
            ("工业企业技术改造", 1.0, "万家"),
        ),
        # 承德 2024 (a line of the hard-wrapped text)
        (
            "业，推动230家重点企业扩能升级，全产业链产值达到1100亿元以",
            ("重点企业扩能升级", 230.0, "家"),
        ),
    ],
)
def test_firms_counted_by_the_work_upgrading_them_are_one_figure(
    sentence: str, expected: tuple[str, float, str]
) -> None:
    assert expected in [(m.name, m.value, m.unit) for m in _metrics(sentence)]


def test_some_firms_deed_is_no_figure() -> None:
    # 易县 2020, 承德 2024: firms counted by what befalls them are no indicator
    for sentence in ("推进37家矿山企业整合，确保矿权减量30%。", "8家企业上市工作有序推进。"):
        assert [m.name for m in _metrics(sentence) if m.unit == "家"] == []


def test_graduates_drawn_to_a_place_are_no_count_of_the_graduates() -> None:
    # 广东 2025 (and 2026, 引导超2万名…): those drawn to the province's north, east and west; the
    # graduates a programme takes in across the province stay a figure of them (广东 2026)
    drawn = _metrics(
        "募集就业见习岗位超6万个。吸引超2万名高校毕业生等青年到粤东粤西粤北地区稳定就业。"
    )
    taken = _metrics("深入实施“百万英才汇南粤”行动计划，吸纳超100万名高校毕业生在粤就业创业。")
    assert [m.canonical_name for m in drawn if m.unit == "万名"] == []
    assert [(m.canonical_name, m.value) for m in taken] == [("高校毕业生", 100.0)]
