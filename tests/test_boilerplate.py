"""Page chrome recognised by its shape: header fields, link lists and licence footers."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.read.boilerplate import find_boilerplate
from summarizer.read.layout import layout_text
from summarizer.read.source import read_report
from summarizer.read.structure import parse_structure

REAL = Path(__file__).resolve().parent.parent / "evals" / "real" / "reports"

SPEECH = [
    "各位代表：",
    "现在，我代表县人民政府，向大会报告工作，请予审议，并请县政协委员提出意见。",
    "一、2019年工作回顾",
    "全年生产总值完成62.7亿元，增长7.5%，固定资产投资完成38.9亿元，增长7.5%，财政收入稳步增长。",
    "二、2020年工作安排",
    "（一）抓项目建设。全年实施重点项目30个。",
    "各位代表，新的一年已经开始。让我们团结奋进，向党和人民交一份满意答卷!",
]


def _debris_lines(text: str) -> list[str]:
    return [
        line.strip()
        for a, b in find_boilerplate(text)
        for line in text[a:b].split("\n")
        if line.strip()
    ]


# --- the header: label：value fields -------------------------------------------------------


def test_collectors_header_of_fields_is_boilerplate() -> None:
    header = [
        "标题：临河县2017年政府工作报告",
        "发文单位：临河县人民政府",
        "发文时间：2017-02-23",
        "报告人：临河县人民政府县长 王某",
        "来源URL：https://example.gov.cn/info_show.asp?infoid=5664",
        "正文：",
    ]
    text = "\n".join([*header, "政 府 工 作 报 告", *SPEECH])
    assert _debris_lines(text) == header


def test_page_header_counts_and_teaser_are_boilerplate() -> None:
    chrome = [
        "时间：2022-12-01\t\t作者：县域网\t\t来源：政府官网\t\t阅读：",
        "182",
        "评论：",
        "0",
        "内容摘要：",
        "2020年1月10日在临河县第十七届人民代表大会第四次会议上各位代表：现在，我代表县人......",
    ]
    text = "\n".join(["工作报告", "2020年临河县政府工作报告", *chrome, *SPEECH])
    assert _debris_lines(text) == chrome  # the title lines and the speech are kept


def test_the_address_before_the_speech_is_no_field() -> None:
    text = "\n".join(
        ["2020年临河县政府工作报告", "来源：临河日报", "发布时间：2020-01-12", *SPEECH]
    )
    assert _debris_lines(text) == ["来源：临河日报", "发布时间：2020-01-12"]


@pytest.mark.parametrize(
    ("name", "chrome", "kept", "meta"),
    [
        (
            "county_gaoyang_2017",
            ["标题：", "发文单位：", "发文时间：", "报告人：", "来源URL：", "正文："],
            ["政 府 工 作 报 告"],
            ("高阳县", 2016),
        ),
        (
            "county_shunping_2020",
            ["时间：", "182", "评论：", "0", "内容摘要：", "2020年1月10日在顺平县"],
            ["工作报告", "2020年顺平县政府工作报告", "顺平县人民政府县长 邓艳学", "各位代表："],
            ("顺平县", 2019),
        ),
    ],
)
def test_real_page_headers_are_boilerplate(
    name: str, chrome: list[str], kept: list[str], meta: tuple[str, int]
) -> None:
    text = layout_text(read_report(REAL / f"{name}.txt").text)
    st = parse_structure(text)
    head = text[: text.index("一、")].split("\n")
    starts = [sum(len(line) + 1 for line in head[:k]) for k in range(len(head))]
    rows = [(line.strip(), st.in_boilerplate(at)) for line, at in zip(head, starts, strict=True)]
    debris = [line for line, bp in rows if line and bp]
    assert len(debris) == len(chrome)
    assert all(line.startswith(start) for line, start in zip(debris, chrome, strict=True))
    assert all((line, False) in rows for line in kept)
    assert (st.entity, st.year) == meta  # the title lines still name the report


# --- the footer: link lists and licences ----------------------------------------------------


def test_link_lists_at_the_end_are_boilerplate() -> None:
    links = [
        "分享到：",
        "QQ空间",
        "新浪微博",
        "上一篇：",
        "2020年盐山县政府工作报告",
        "下一篇：",
        "2020年曲阳县政府工作报告",
        "相关文章",
        "12-01",
        "2020年易县政府工作报告",
        "阅读排行",
        "2022年兰州市政府工作报告",
        "标签云",
        "政府工作报告",
        "统计公报",
    ]
    text = "\n".join([*SPEECH * 3, *links])
    assert _debris_lines(text) == links


def test_short_lines_ending_a_report_are_no_link_list_without_page_furniture() -> None:
    projects = [
        "附件：2020年重点项目",
        "城东污水处理厂",
        "北环路改造",
        "县医院迁建",
        "体育中心",
        "临河县人民政府",
    ]
    text = "\n".join([*SPEECH * 3, *projects])
    assert _debris_lines(text) == []


WIKI_FOOTER = [
    "本作品是中华人民共和国的",
    "法律 、",
    "法规 ，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，及其官方正式译文。"
    "根据《 中华人民共和国著作权法 》第五条第一项，本作品不适用于该法，在",
    "中国大陆 ，也可能在其他管辖区，属于",
    "公有领域 。",
    "Public domain",
    "false",
]


def test_licence_footer_is_boilerplate() -> None:
    text = "\n".join([*SPEECH * 10, "各位代表！", "", "", *WIKI_FOOTER])
    assert _debris_lines(text) == WIKI_FOOTER


def test_licence_words_in_the_report_are_no_footer() -> None:
    plan = "（二）加强版权保护。推动修改著作权法，发展版权产业，版权所有人的权益得到保障。"
    text = "\n".join([*SPEECH * 3, plan, "版权保护"])
    assert _debris_lines(text) == []


def test_real_licence_footer_is_boilerplate_and_no_section_runs_into_it() -> None:
    for name in ("national_guowuyuan_2017", "national_guowuyuan_2024"):
        text = layout_text(read_report(REAL / f"{name}.txt").text)
        st = parse_structure(text)
        footer = text.index("本作品是中华人民共和国的")
        assert st.in_boilerplate(footer) and st.in_boilerplate(text.rindex("Public domain"))
        assert not st.in_boilerplate(footer - 10)
        assert max(s.end for s in st.sections) <= footer, name
