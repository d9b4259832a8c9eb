"""Structure parsing: the section trees, roles, horizons and metadata a careful reader sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.read.source import read_report
from summarizer.read.structure import Section, Structure, parse_structure

from .conftest import ROOT, SAMPLES, SEEDS, seed_path


def _parse(prefix: str) -> Structure:
    return parse_structure(read_report(seed_path(prefix)).text)


def _top(st: Structure) -> list[Section]:
    return [s for s in st.sections if s.depth == 0]


def _children(st: Structure, parent: Section) -> list[Section]:
    return [
        s
        for s in st.sections
        if s.depth == parent.depth + 1 and parent.start < s.start < parent.end
    ]


def _naive_innermost(st: Structure, offset: int) -> Section | None:
    best = None
    for s in st.sections:
        if s.start <= offset < s.end and (best is None or s.depth >= best.depth):
            best = s
    return best


# --- the five seeds ------------------------------------------------------------------------


def test_seed_000_six_review_sections_problem_passage_then_plans() -> None:
    st = _parse("000")
    level1 = [s for s in st.sections if s.level == 1]
    numbers = "一二三四五六"
    assert [s.marker for s in level1] == [f"{c}、" for c in numbers + numbers[:4]]
    assert all(s.role == "review" for s in level1[:6])
    assert all(s.role == "plans" for s in level1[6:])
    assert level1[0].title == "突出有效投入“着力点”，增强经济发展支撑力"
    passages = [s for s in st.sections if s.kind == "passage"]
    assert len(passages) == 1 and passages[0].role == "problems"
    assert passages[0].title.startswith("但经济社会发展仍然存在不少短板")
    assert level1[5].end <= passages[0].start or passages[0].end <= level1[5].end
    assert level1[5].start < passages[0].start < level1[6].start
    # the five problems (一是…五是) all lie in the passage
    text = st.text
    for item in ("一是产业结构不优", "二是实体经济困难增多", "五是"):
        at = text.index(item, passages[0].start)
        assert st.role_at(at) == "problems"
    # 展望“十四五” is a five-year plan part, the numbered 2021 plans come after it
    parts = [s for s in st.sections if s.kind == "part"]
    assert [p.horizon for p in parts] == ["multi_year", "next_year"]
    assert parts[0].title.startswith("展望“十四五”")
    assert st.plan_horizon_at(level1[6].start) == "next_year"
    assert (st.entity, st.year, st.period, st.kind) == ("新闸街道", 2020, "2020年", "annual")


def test_seed_001_review_then_2018_plans() -> None:
    st = _parse("001")
    level1 = [s for s in st.sections if s.level == 1]
    assert [s.role for s in level1] == ["review"] * 5 + ["plans"] * 5
    assert level1[0].title == "抓发展、提效益,综合实力稳步提升"
    assert {st.plan_horizon_at(s.start) for s in level1[5:]} == {"next_year"}
    assert st.role_at(0) == "other"  # the preamble
    assert (st.entity, st.year, st.kind) == (None, 2017, "annual")  # "园区(街道)" names nobody


def test_seed_002_study_section_half_year_review_and_second_half_plans() -> None:
    st = _parse("002")
    top = [s for s in _top(st) if s.level == 1]
    assert [s.marker for s in top] == ["一、", "二、", "三、"]
    assert [s.role for s in top] == ["other", "review", "plans"]
    assert top[1].title == "上半年工作总结" and top[2].title == "下半年工作计划"
    assert [c.role for c in _children(st, top[0])] == ["other", "other"]  # (一)学习情况 (二)…
    review_items = [c for c in _children(st, top[1]) if c.level == 1]
    plan_items = [c for c in _children(st, top[2]) if c.level == 1]
    assert len(review_items) == 6 and len(plan_items) == 5
    # body text on the heading line is not part of the title
    assert review_items[0].title == "着力拉动经济增长,运行支撑强劲有力"
    assert review_items[0].path == ("上半年工作总结", "着力拉动经济增长,运行支撑强劲有力")
    assert {st.plan_horizon_at(c.start) for c in plan_items} == {"second_half"}
    passages = [s for s in st.sections if s.kind == "passage"]
    assert len(passages) == 1 and top[1].start < passages[0].start < top[2].start
    # web debris: the breadcrumb and "(此件公开发布)"
    assert [st.text[a:b] for a, b in st.boilerplate] == [
        "您当前的位置:首页 > 内容",
        "(此件公开发布)",
    ]
    assert st.role_at(st.boilerplate[-1][0]) == "boilerplate"
    assert (st.entity, st.year, st.period, st.kind) == (
        "雕庄街道",
        2025,
        "2025年上半年",
        "half_year",
    )


def test_seed_003_half_year_2022() -> None:
    st = _parse("003")
    top = _top(st)
    assert [(s.title, s.role) for s in top] == [
        ("2022年上半年工作总结", "review"),
        ("2022年下半年工作打算", "plans"),
    ]
    assert top[1].horizon == "second_half"
    passage = next(s for s in st.sections if s.kind == "passage")
    assert passage.title.startswith("同时,街道经济社会发展还面临一些问题和挑战")
    assert passage.path[0] == "2022年上半年工作总结"
    assert (st.entity, st.year, st.period, st.kind) == (None, 2022, "2022年上半年", "half_year")


def test_seed_004_paragraph_lead_structure_without_plans() -> None:
    st = _parse("004")
    leads = [s for s in st.sections if s.kind == "lead"]
    assert len(leads) == 6 and all(s.title.startswith("过去一年") for s in leads)
    assert [s.number for s in leads] == [1, 2, 3, 4, 5, 6]
    assert {s.role for s in st.sections} == {"review"}
    assert not any(st.role_at(i) == "plans" for i in range(0, len(st.text), 50))
    assert (st.entity, st.year, st.period, st.kind) == (None, 2020, "2020年", "annual")


# --- province 政府工作报告 samples -----------------------------------------------------------

PROVINCES = {
    "p26_guangdong.txt": "广东省",
    "p26_hainan.txt": "海南省",
    "p26_hebei.txt": "河北省",
    "p26_shanghai.txt": "上海市",
    "p26_sichuan.txt": "四川省",
    "p26_xizang.txt": "西藏自治区",
}


@pytest.mark.parametrize("name", sorted(PROVINCES))
def test_province_report_review_multi_year_plans_next_year_plans(name: str) -> None:
    st = parse_structure(read_report(SAMPLES / name).text)
    assert (st.entity, st.year, st.period, st.kind) == (PROVINCES[name], 2025, "2025年", "annual")
    top = [s for s in _top(st) if s.level == 1]
    assert [s.marker for s in top[:3]] == ["一、", "二、", "三、"]
    assert [s.role for s in top[:3]] == ["review", "plans", "plans"]
    assert [s.horizon for s in top[1:3]] == ["multi_year", "next_year"]
    # the review ends with a "清醒看到/认识到 … 困难和挑战" problems passage
    passages = [s for s in st.sections if s.kind == "passage"]
    assert len(passages) == 1
    assert top[0].start < passages[0].start < passages[0].end <= top[1].start
    assert st.role_at(passages[0].start) == "problems"
    # the closing appeal and the glossary/appendix are "other"
    tail = st.text.rstrip()
    last_text = max(i for i in range(len(tail)) if not st.in_boilerplate(i))
    assert st.role_at(last_text) in ("other", "plans")
    assert any(s.kind == "part" and s.role == "other" for s in st.sections)


@pytest.mark.parametrize(
    "name", ["p26_hebei.txt", "p26_shanghai.txt", "p26_sichuan.txt", "p26_xizang.txt"]
)
def test_province_web_debris_is_boilerplate(name: str) -> None:
    st = parse_structure(read_report(SAMPLES / name).text)
    debris = "\n".join(st.text[a:b] for a, b in st.boilerplate)
    assert "来源" in debris
    assert "政府工作报告" not in debris.split("\n")[0]
    for a, _ in st.boilerplate:
        assert st.role_at(a) == "boilerplate"
    # no heading is found inside debris and the report body is not swallowed
    assert sum(b - a for a, b in st.boilerplate) < len(st.text) // 20
    assert not any(st.in_boilerplate(s.start) for s in st.sections)


def test_sichuan_footer_after_print_and_close_links_is_boilerplate() -> None:
    st = parse_structure(read_report(SAMPLES / "p26_sichuan.txt").text)
    a, b = st.boilerplate[-1]
    assert b == len(st.text.rstrip("\n")) or b >= len(st.text) - 1
    assert "责任编辑" in st.text[a:b] and "关闭窗口" in st.text[a:b]


# --- headings: false positives and forms ----------------------------------------------------


def test_false_headings_are_not_sections() -> None:
    text = (
        "一、二季度经济运行平稳。\n"
        "1.5亿元的项目已经开工。\n"
        "2022.6月完成验收。\n"
        "全年完成一、二、三产业增加值。\n"
        "正文里的 二、不是标题 （三）也不是。\n"
    )
    assert parse_structure(text).sections == []


def test_heading_forms_and_nesting_with_fullwidth_indent() -> None:
    text = (
        "前言。\n"
        "\u3000\u3000一、经济发展\n"
        "\u3000\u3000（一）工业\n"
        "\u3000\u30001.规上工业\n"
        "产值增长。\n"
        "\u3000\u30002、技改\n"
        "（1）设备更新\n"
        "一是完成技改。二是加快数字化。\n"
        "(二)服务业\n"
        "二、社会事业\n"
    )
    st = parse_structure(text)
    got = [(s.level, s.marker, s.title, s.depth) for s in st.sections]
    assert got == [
        (1, "一、", "经济发展", 0),
        (2, "（一）", "工业", 1),
        (3, "1.", "规上工业", 2),
        (3, "2、", "技改", 2),
        (3, "（1）", "设备更新", 3),
        (4, "一是", "完成技改", 4),
        (2, "(二)", "服务业", 1),
        (1, "二、", "社会事业", 0),
    ]
    first = st.sections[0]
    assert text[first.start : first.start + 2] == "一、"
    assert st.path_at(text.index("产值增长")) == ("经济发展", "工业", "规上工业")


def test_restarted_numbering_after_plan_lead_nests_in_a_plans_part() -> None:
    text = (
        "2023年，街道坚持稳中求进。\n一、抓经济\n产值增长。\n二、抓民生\n办实事。\n"
        "2024年，街道将围绕目标，重点抓好以下工作。\n一、抓项目\n开工十个。\n二、抓治理\n完善网格。\n"
    )
    st = parse_structure(text)
    level1 = [s for s in st.sections if s.level == 1]
    assert [s.role for s in level1] == ["review", "review", "plans", "plans"]
    assert st.plan_horizon_at(text.index("开工十个")) == "next_year"
    assert (st.year, st.kind) == (2023, "annual")


def test_problem_heading_and_problem_passages_in_any_position() -> None:
    text = (
        "一、2023年工作回顾\n全年增长5%。\n"
        "在肯定成绩的同时，我们也要看到，工作中还存在一些问题和不足：一是项目储备不足；\n"
        "二是人才短缺。\n"
        "三、存在的问题\n招商难度加大。\n"
        "四、2024年工作计划\n一是抓项目。\n但是，基层治理仍存在薄弱环节，需要加强。\n"
    )
    st = parse_structure(text)
    assert st.role_at(text.index("全年增长")) == "review"
    assert st.role_at(text.index("一是项目储备")) == "problems"
    assert st.role_at(text.index("二是人才短缺")) == "problems"  # continuation item
    assert st.role_at(text.index("招商难度")) == "problems"
    assert st.role_at(text.index("一是抓项目")) == "plans"
    assert st.role_at(text.index("基层治理")) == "problems"
    assert st.plan_horizon_at(text.index("一是抓项目")) == "next_year"


def test_lookups_bisect_agree_with_a_scan_on_every_offset() -> None:
    st = _parse("002")
    for offset in range(0, len(st.text), 7):
        naive = _naive_innermost(st, offset)
        assert st.innermost(offset) == naive
        assert st.path_at(offset) == (naive.path if naive else ())


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_sections_nest_and_lie_in_bounds(prefix: str) -> None:
    st = _parse(prefix)
    for s in st.sections:
        assert 0 <= s.start < s.end <= len(st.text)
        assert s.path[-1] == s.title and len(s.path) == s.depth + 1
    for a in st.sections:
        for b in st.sections:
            overlap = a.start < b.end and b.start < a.end
            nested = (a.start <= b.start and b.end <= a.end) or (
                b.start <= a.start and a.end <= b.end
            )
            assert not overlap or nested


def test_empty_and_headingless_text() -> None:
    assert parse_structure("").sections == []
    st = parse_structure("只有一段话，没有标题。")
    assert st.sections == [] and st.role_at(0) == "other" and st.plan_horizon_at(0) == "unspecified"


def test_town_entity_from_title_line() -> None:
    text = "XX镇2023年工作总结和2024年工作思路\n2023年，全镇上下共同努力。\n一、工作回顾\n增长。\n"
    assert parse_structure(text.replace("XX", "柳营")).entity == "柳营镇"


def test_report_pasted_as_one_line_still_has_its_sections() -> None:
    text = read_report(seed_path("002")).text.replace("\n", "")
    st = parse_structure(text)
    level1 = [s for s in st.sections if s.level == 1]
    assert [(s.marker, s.depth, s.role) for s in level1] == (
        [("一、", 0, "other"), ("二、", 0, "review")]
        + [(f"{c}、", 1, "review") for c in "一二三四五六"]
        + [("三、", 0, "plans")]
        + [(f"{c}、", 1, "plans") for c in "一二三四五"]
    )
    assert st.kind == "half_year"
    # a lone "。二、" in running text is not cut out as a heading
    lone = parse_structure("一年来成绩显著。" * 50 + "二、三产业协调发展。" + "继续努力。" * 30)
    assert lone.sections == []


def test_plans_without_a_named_horizon_follow_the_report_kind() -> None:
    annual = (
        "城关镇2023年工作总结及2024年工作打算\n2023年，城关镇党委、政府在县委的领导下，全镇经济稳中向好。\n"
        "一、2023年工作成效\n完成产值10亿元。\n二、存在的问题和不足\n一是招商难。\n"
        "三、下一步工作打算\n（一）抓招商\n引进项目。\n"
    )
    st = parse_structure(annual)
    assert (st.entity, st.year, st.period, st.kind) == ("城关镇", 2023, "2023年", "annual")
    assert [s.role for s in st.sections if s.level == 1] == ["review", "problems", "plans"]
    assert st.plan_horizon_at(annual.index("引进项目")) == "next_year"
    half = "2023年上半年工作总结\n一、上半年工作回顾\n增长。\n二、下一步工作安排\n抓项目。\n"
    st = parse_structure(half)
    assert (st.year, st.kind, st.period) == (2023, "half_year", "2023年上半年")
    assert st.plan_horizon_at(half.index("抓项目")) == "second_half"


def test_five_year_review_without_a_single_year_is_multi_year() -> None:
    text = (
        "“十三五”工作总结和“十四五”工作思路\n一、“十三五”时期工作回顾\n五年来，我们攻坚克难。\n"
        "二、存在的主要问题\n产业结构不优。\n三、“十四五”工作思路\n一是抓项目。\n"
    )
    st = parse_structure(text)
    assert (st.year, st.kind, st.period) == (None, "multi_year", "“十三五”时期")
    assert st.plan_horizon_at(text.index("抓项目")) == "multi_year"


def test_county_government_report_variant() -> None:
    text = (
        "平和县人民政府工作报告\n——2024年1月10日在平和县第十八届人民代表大会第三次会议上\n各位代表：\n"
        "一、2023年政府工作回顾\n过去一年，全县地区生产总值增长6%。\n"
        "在肯定成绩的同时，我们也清醒看到，发展不平衡问题仍然突出。\n"
        "二、2024年工作安排\n（一）抓发展\n下一步，我们将继续努力。\n"
    )
    st = parse_structure(text)
    assert (st.entity, st.year, st.kind) == ("平和县", 2023, "annual")
    assert st.role_at(text.index("发展不平衡")) == "problems"
    # "下一步" inside a next-year plans section does not start a new part
    assert not [s for s in st.sections if s.kind == "part"]
    assert st.plan_horizon_at(text.index("继续努力")) == "next_year"


def test_second_half_mentioned_in_a_yearly_review_is_not_a_plan() -> None:
    text = "2022年，街道稳步发展。\n一、经济发展\n上半年增长3%。\n下半年，面对疫情反弹，街道及时应对，全年增长5%。\n"
    st = parse_structure(text)
    assert {st.role_at(i) for i in range(text.index("一、"), len(text) - 1)} == {"review"}


# --- against the hand labels: seeds and the held-out varied corpus ---------------------------

LABELLED = [
    (label, SEEDS / f"{label.stem}.txt")
    for label in sorted((ROOT / "evals" / "labels").glob("*.json"))
] + [
    (label, ROOT / "evals" / "varied" / "reports" / f"{label.stem}.txt")
    for label in sorted((ROOT / "evals" / "varied" / "labels").glob("*.json"))
]
ROLE_OF_LABEL = {"problems": "problems", "plans": "plans", "achievements": "review"}


@pytest.mark.parametrize(("label", "report"), LABELLED, ids=[lbl.stem[:24] for lbl, _ in LABELLED])
def test_labelled_quotes_lie_in_sections_of_their_role(label: Path, report: Path) -> None:
    data = json.loads(label.read_text(encoding="utf-8"))
    text = read_report(report).text
    st = parse_structure(text)
    meta = data["meta"]
    assert (st.entity, st.year, st.kind) == (meta["entity"], meta["year"], meta["kind"])
    for key, role in ROLE_OF_LABEL.items():
        for item in data[key]:
            at = text.index(item["quote"])
            end = at + len(item["quote"]) - 1
            assert (st.role_at(at), st.role_at(end)) == (role, role), (key, item["quote"])
    horizons = {st.plan_horizon_at(text.index(p["quote"])) for p in data["plans"]}
    assert "unspecified" not in horizons  # seed 000 has 十四五 and 2021 plans: two horizons


def test_hand_built_structure_answers_lookups() -> None:
    # other modules' tests build a Structure by hand, with default depths and unsorted debris
    st = Structure(
        text="一、回顾（一）计划正文。【打印】",
        sections=[
            Section(1, "一、", "回顾", 0, 12, "review", ("回顾",)),
            Section(2, "（一）", "计划", 5, 10, "plans", ("回顾", "计划"), horizon="next_year"),
        ],
        boilerplate=[(12, 16), (0, 1)],
    )
    assert [st.role_at(i) for i in (0, 3, 6, 11, 13)] == [
        "boilerplate",
        "review",
        "plans",
        "review",
        "boilerplate",
    ]
    assert st.path_at(6) == ("回顾", "计划") and st.plan_horizon_at(6) == "next_year"
    assert st.plan_horizon_at(3) == "unspecified" and st.innermost(15) is None


def test_saved_web_page_header_and_footer_are_boilerplate() -> None:
    header = [
        "当前位置：首页>政务公开>规划计划",
        "发布时间：2023-01-05 10:30  来源：镇政府办  字号：[大 中 小]  浏览次数：2315",
    ]
    body = [
        "柳营镇2022年工作总结",
        "一、2022年工作回顾",
        "全年完成产值12亿元。",
        "二、2023年工作打算",
        "抓项目。",
    ]
    footer = [
        "（此件公开发布）",
        "【打印本页】【关闭窗口】",
        "分享到：",
        "扫一扫在手机打开当前页",
        "主办单位：柳营镇人民政府  地址：人民路1号",
        "网站标识码：3300000001  浙ICP备12345678号",
    ]
    text = "\n".join(header + body + footer) + "\n"
    st = parse_structure(text)
    debris = [line for a, b in st.boilerplate for line in text[a:b].split("\n")]
    assert debris == header + footer
    assert (st.entity, st.year, st.kind) == ("柳营镇", 2022, "annual")
    assert [s.role for s in st.sections if s.level == 1] == ["review", "plans"]


def test_a_report_on_a_year_after_2049_parses() -> None:
    # The plan after 2050 is the twentieth (二十五), past what the plan-name helper once named.
    st = parse_structure(
        "2050年工作总结\n2050年，全区经济平稳运行。\n“十九五”时期，我们将加快发展。\n"
    )
    assert st.year == 2050


@pytest.mark.parametrize("pad", ["\u3000\u3000", "\xa0\xa0", "\ufeff"])
def test_title_padded_with_any_blank_names_the_entity(pad: str) -> None:
    # A page copied from the web indents with no-break spaces where a document has 　.
    text = f"{pad}柳塘镇2023年工作总结\n{pad}2023年，柳塘镇各项工作稳步推进。\n一、2023年工作回顾\n"
    assert parse_structure(text).entity == "柳塘镇"


# --- parts that open (or not) without a numbered heading ---------------------------------


def test_closing_appeal_after_the_address_alone_is_no_plan() -> None:
    # "各位代表！" on its own line, then the appeal: the closing part opens at the address.
    text = "\n".join(
        [
            "一、2014年工作回顾",
            "全年国内生产总值增长7.4%，城镇新增就业1322万人，居民收入稳步增长。" * 8,
            "二、2015年重点工作",
            "（一）扩大国内需求。推动消费持续恢复，稳定和扩大有效投资，全年新增就业1000万人。" * 8,
            "各位代表！",
            "",
            "时代赋予我们历史机遇。让我们紧密团结，开拓创新，为实现中国梦作出新的更大贡献！",
        ]
    )
    st = parse_structure(text)
    parts = [(s.title, s.role, s.start) for s in st.sections if s.kind == "part"]
    assert parts == [("各位代表", "other", text.index("各位代表！"))]
    assert st.role_at(text.index("时代赋予")) == "other"
    assert st.role_at(text.index("（一）扩大")) == "plans"


def test_the_address_alone_in_the_first_half_opens_nothing() -> None:
    text = "\n".join(
        [
            "各位代表！",
            "让我们回顾过去一年的工作。",
            "一、2014年工作回顾",
            "全年国内生产总值增长7.4%，城镇新增就业1322万人，居民收入稳步增长。" * 8,
        ]
    )
    assert not any(s.kind == "part" for s in parse_structure(text).sections)


def test_a_plan_name_alone_on_its_line_opens_no_part() -> None:
    # A scraped page leaves a linked word on a line of its own, inside a sentence of the review.
    review = "全年国内生产总值增长6.7%，城镇新增就业1314万人，居民收入稳步增长。" * 4
    text = "\n".join(
        [
            "一、2016年工作回顾",
            f"{review}全年经济社会发展主要目标任务圆满完成，“",
            "十三五",
            f"”实现了良好开局。{review}",
            "二、2017年工作总体部署",
            "“十三五”时期，我们将坚持稳中求进，推动经济社会持续健康发展。",
        ]
    )
    st = parse_structure(text)
    assert st.role_at(text.index("”实现")) == "review"
    parts = [(s.start, s.role) for s in st.sections if s.kind == "part"]
    assert parts == [(text.index("“十三五”时期"), "plans")]  # the sentence that plans does


def test_real_review_with_a_plan_name_cut_out_by_a_link_stays_review() -> None:
    text = read_report(ROOT / "evals" / "real" / "reports" / "national_guowuyuan_2017.txt").text
    st = parse_structure(text)
    assert not any(s.kind == "part" and "十三五" in s.title for s in st.sections)
    for item in ("经济运行缓中趋稳、稳中向好", "就业增长超出预期", "推进政府建设和治理创新"):
        assert st.role_at(text.index(item)) == "review", item


def test_a_term_review_with_plans_after_it_is_multi_year_on_the_terms_last_year() -> None:
    # a government's last report (March) and a new term's first session (July): both review the
    # five years only, so neither is a report on one year; each is on the term's last year
    march = (
        "政府工作报告\n——2018年3月5日在第十三届全国人民代表大会第一次会议上\n各位代表：\n"
        "一、过去五年工作回顾\n五年来，经济实力跃上新台阶。国内生产总值年均增长7.1%。\n"
        "二、对2018年政府工作的建议\n今年发展的主要预期目标是：国内生产总值增长6.5%左右。\n"
    )
    st = parse_structure(march)
    assert (st.year, st.kind, st.period) == (2017, "multi_year", "2013—2017年")
    assert st.plan_horizon_at(march.index("今年发展")) == "next_year"
    july = (
        "政 府 工 作 报 告\n2021年7月28日在某县第十八届人民代表大会第一次会议上\n各位代表：\n"
        "一、过去五年工作回顾\n——五年来，我们凝心聚力抓发展，综合实力稳步提升。\n"
        "二、今后五年任务目标\n地区生产总值年均增长7%左右。\n"
        "三、2021年下半年重点工作\n下半年，城镇新增就业800人。\n"
    )
    st = parse_structure(july)
    assert (st.year, st.kind, st.period) == (2020, "multi_year", "2016—2020年")
    assert st.plan_horizon_at(july.index("下半年，")) == "second_half"
    # a review of the year as well as the term is the year's: by its heading, or by a
    # paragraph of the term's review opening on the year (never a half-year report)
    both = march.replace("一、过去五年工作回顾", "一、过去一年和五年工作回顾")
    assert parse_structure(both).kind == "annual"
    both = march.replace("一、过去五年工作回顾", "一、2017年和“十二五”时期工作回顾")
    assert parse_structure(both).kind == "annual"
    both = march.replace("\n二、", "\n刚刚过去的2017年，主要目标任务全面完成。\n二、")
    assert (parse_structure(both).year, parse_structure(both).kind) == (2017, "annual")
    both = july.replace("\n二、", "\n2020年，面对突如其来的疫情，我们迎难而上。\n二、")
    assert (parse_structure(both).year, parse_structure(both).period) == (2020, "2020年")
    # the year a plan names is not the year reviewed
    later = july.replace("\n二、", "\n2021年是开局之年。\n二、")
    assert parse_structure(later).kind == "multi_year"


@pytest.mark.parametrize(
    ("name", "year", "kind"),
    [
        ("national_guowuyuan_2013", 2012, "multi_year"),  # 一、过去五年工作回顾
        ("county_yixian_2021", 2020, "multi_year"),  # 一、“十三五”时期经济社会发展回顾
        # 过去五年工作回顾 with a paragraph on the year: 刚刚过去的2017年，… / 2020年，面对…
        ("national_guowuyuan_2018", 2017, "annual"),
        ("county_shunping_2021", 2020, "annual"),  # July, with 2021年下半年重点工作
        ("national_guowuyuan_2014", 2013, "annual"),
        ("national_guowuyuan_2021", 2020, "annual"),  # 2020年工作回顾 and “十三五” achievements
        ("county_yixian_2022", 2021, "annual"),
    ],
)
def test_real_term_reviews_are_on_the_terms_last_year(name: str, year: int, kind: str) -> None:
    text = read_report(ROOT / "evals" / "tracking" / "reports" / f"{name}.txt").text
    st = parse_structure(text)
    assert (st.year, st.kind) == (year, kind)
