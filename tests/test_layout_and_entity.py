"""Literal "\\r\\n" line breaks read as breaks, and the entity found wherever a report names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.lexicon.places import count_places
from summarizer.pipeline import summarize_report
from summarizer.read.layout import layout_text
from summarizer.read.meta import guess_entity
from summarizer.read.source import Report
from summarizer.read.structure import parse_structure

REAL = Path(__file__).resolve().parent.parent / "evals" / "real" / "reports"

ESCAPED = (
    "各位代表：\\r\\n现在，我代表县人民政府向大会报告工作。\\r\\n"
    "一、2023年工作回顾\\r\\n全县地区生产总值完成120亿元，增长5.1%。青山县工业稳步增长。\\r\\n"
    "（一）项目建设扎实推进。新开工项目42个。\\r\\n"
    "二、存在的问题\\r\\n一是产业结构不优；二是财政收支矛盾突出。\\r\\n"
    "三、2024年工作安排\\r\\n（一）抓项目促投资。青山县全力推进项目建设。\\r\\n"
    "（二）抓民生补短板。青山县办好民生实事。"
)


def test_layout_keeps_every_offset_and_turns_escapes_into_breaks() -> None:
    laid = layout_text(ESCAPED)
    assert len(laid) == len(ESCAPED)
    assert "\\r\\n" not in laid and laid.count("\n") == ESCAPED.count("\\r\\n")
    # Outside the escapes nothing moved: every other character is where it was.
    assert all(a == b for a, b in zip(laid, ESCAPED, strict=True) if b not in "\\rn")


@pytest.mark.parametrize(
    "text",
    [
        "路径C:\\new\\report.txt 中的一个反斜杠。\n第二行。\n第三行。",  # a stray escape is text
        "第一行\\n第二行",  # too few escapes to be the line breaks
    ],
)
def test_layout_leaves_text_without_escaped_lines_alone(text: str) -> None:
    assert layout_text(text) is text


def test_escaped_report_gets_its_sections_and_verbatim_quotes() -> None:
    summary = summarize_report(Report(id="x", source="x.txt", text=ESCAPED, encoding="utf-8"))
    structure = parse_structure(layout_text(ESCAPED))
    roles = [s.role for s in structure.sections if s.level == 1]
    assert roles == ["review", "problems", "plans"]
    assert summary.problems and all(
        "产业结构不优" in p.evidence.quote for p in summary.problems[:1]
    )
    assert len(summary.plans) == 2
    evidence = [a.evidence for a in summary.achievements] + [m.evidence for m in summary.metrics]
    evidence += [p.evidence for p in summary.problems] + [p.evidence for p in summary.plans]
    for ev in evidence:
        assert ESCAPED[ev.start : ev.end] == ev.quote
    assert summary.report.entity == "青山县" or summary.report.entity is None  # not in the table


def test_places_counts_full_and_short_names_at_the_longest_match() -> None:
    counts = {
        p.name: n for p, n in count_places("柳州市经济增长。柳州入选百强。柳城县稳步发展。").items()
    }
    assert counts["柳州市"] == 2
    assert counts["柳城县"] == 1
    assert "市辖区" not in counts


@pytest.mark.parametrize(
    ("lines", "entity"),
    [
        (["各位代表：", "现在，我代表国务院，向大会报告政府工作。"], "国务院"),
        (["各位代表：", "现在，我代表易县人民政府，向大会报告工作。", "行水镇坚持发展。"], "易县"),
        # A city that calls itself 市人民政府 and writes its own name short.
        (
            [
                "现在，我代表市人民政府向大会报告工作。",
                "柳州入选百强。柳州工业增长。柳州市新增企业。",
                "三江县、柳城县稳步发展。",
            ],
            "柳州市",
        ),
        # No 我代表: the lowest level named as 全X is the report's own.
        (
            [
                "全市上下、全省一道。",
                "全市经济增长。全市就业稳定。全省同步。",
                "嘉兴创新。嘉兴开放。嘉兴港。",
            ],
            "嘉兴市",
        ),
        # A 街道 report that names its district (全区) is still the 街道's.
        (
            [
                "雕庄街道党工委坚持发展，全区第一。",
                "全区排名前列，全区表彰。街道工作稳步推进。",
                *("街道党工委", "街道办事处", "街道社区", "雕庄街道坚持"),
            ],
            "雕庄街道",
        ),
        # A county named by one character, in each title form (易县, 雄县, 蠡县, 滑县)
        (["2019年易县人民政府工作报告", "各位代表："], "易县"),
        (["政府工作报告", "——2019年1月10日在雄县第十七届人民代表大会第三次会议上"], "雄县"),
        (["政府工作报告", "蠡县人民政府县长 张三", "各位代表："], "蠡县"),
        (["滑县2023年工作总结", "一、主要成效"], "滑县"),
    ],
)
def test_entity_from_how_reports_name_themselves(lines: list[str], entity: str) -> None:
    assert guess_entity(lines) == entity


def test_town_named_in_passing_is_not_the_entity() -> None:
    lines = [
        "现在，我代表县人民政府向大会报告工作。",
        "行水镇坚持发展。",
        "易县经济增长，易县就业稳定，易县开放。",
    ]
    assert guess_entity(lines) == "易县"


@pytest.mark.parametrize(
    ("report", "entity"),
    [
        ("national_guowuyuan_2017", "国务院"),
        ("city_jiaxing_2024", "嘉兴市"),
        ("city_liuzhou_2024", "柳州市"),
        ("county_yixian_2019", "易县"),
    ],
)
def test_real_reports_name_their_government(report: str, entity: str) -> None:
    from summarizer import summarize

    assert summarize(REAL / f"{report}.txt").report.entity == entity


def test_real_report_with_escaped_breaks_has_plans_and_an_annual_kind() -> None:
    from summarizer import summarize

    s = summarize(REAL / "county_yixian_2019.txt")
    assert s.report.kind == "annual" and s.report.year == 2018
    assert len(s.plans) >= 5 and s.problems
    text = (REAL / "county_yixian_2019.txt").read_text(encoding="utf-8")
    assert all(text[p.evidence.start : p.evidence.end] == p.evidence.quote for p in s.plans)


def _wrapped(paragraphs: list[str], width: int = 28) -> str:
    """Paragraphs hard-wrapped at `width` characters with blank lines and a page number between
    lines, as a PDF's text comes out."""
    lines: list[str] = []
    for para in paragraphs:
        lines += [para[i : i + width] for i in range(0, len(para), width)]
    lines.insert(len(lines) // 2, "— 3 —")
    return "\n\n".join(lines)


def test_hard_wrapped_text_is_read_as_its_sentences() -> None:
    review = "一、2023年工作回顾"
    body = "全市地区生产总值完成1500亿元，增长6.1%，规模以上工业增加值增长8.3%。" * 6
    problems = (
        "同时，我们也清醒看到，我市经济社会发展还面临不少困难和挑战：经济总量小、产业层级低；"
        "有效需求不足，社会预期偏弱；科技创新能力不够强；营商环境仍需优化。对此，我们一定高度"
        "重视，下大力加以解决。"
    )
    text = _wrapped([review, body, body, problems, "二、2024年目标任务", body])
    laid = layout_text(text)
    assert len(laid) == len(text)
    assert "— 3 —" not in laid  # a page number inside a wrapped sentence is blanked
    assert "一、2023年工作回顾\n" in laid  # a heading line keeps its break
    s = summarize_report(Report(id="w", source="w.txt", text=text, encoding="utf-8"))
    titles = [p.title.replace(" ", "").replace("\n", "") for p in s.problems]
    expected = ["经济总量小、产业层级低", "有效需求不足，社会预期偏弱", "科技创新能力不够强"]
    assert titles == [*expected, "营商环境仍需优化"]
    for p in s.problems:
        assert text[p.evidence.start : p.evidence.end] == p.evidence.quote


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("财政收支矛盾较大，经\n\u200b\n济金融风险隐患不容忽视。\n下一段。", "经   济金融"),
        ("推动《\n巴黎协定\n》生效。\n下一段。\n再一段。", "推动《 巴黎协定 》生效"),
    ],
)
def test_breaks_no_paragraph_can_have_are_wraps(text: str, joined: str) -> None:
    assert joined in layout_text(text)


def test_paragraph_breaks_of_ordinary_text_stay() -> None:
    text = "一、工作回顾\n经济运行平稳，全年增长5%。\n民生持续改善。\n二、工作安排\n抓好项目建设。"
    assert layout_text(text) == text


def test_problem_sentences_of_shortfall_clauses_list_one_problem_each() -> None:
    text = (
        "一、2024年工作回顾\n全省经济增长5.4%。\n"
        "同时，我们也清醒地看到面临的困难和挑战：有效需求不足，科技创新能力不强，部分市县财力紧张，"
        "政府部门形式主义仍不同程度存在。我们一定直面问题，尽心竭力做好工作！\n"
        "二、2025年目标任务\n（一）扩大有效需求。\n（二）推动科技创新。"
    )
    s = summarize_report(Report(id="p", source="p.txt", text=text, encoding="utf-8"))
    assert [p.evidence.quote for p in s.problems] == [
        "有效需求不足",
        "科技创新能力不强",
        "部分市县财力紧张",
        "政府部门形式主义仍不同程度存在。",
    ]


def test_unnumbered_part_heading_opens_the_plans() -> None:
    body = "全省地区生产总值增长5.7%，高质量发展扎实推进，民生保障持续加强，社会大局保持稳定。" * 2
    text = (
        "2024年工作总结和2025年工作打算\n"  # a title line above the text is no part heading
        f"各位代表：\n{body}\n"
        "同时，我们也清醒认识到，经济社会发展还面临不少困难、问题和挑战。\n"
        "2025年工作安排建议\n"
        "今年发展主要预期目标是：地区生产总值增长5.5%以上。\n"
        "（一）全方位扩大内需，稳住经济大盘。\n（二）以科技创新引领新质生产力发展。"
    )
    structure = parse_structure(text)
    parts = [(s.title, s.role) for s in structure.sections if s.kind == "part"]
    assert parts == [("2025年工作安排建议", "plans")]
    assert structure.role_at(text.index("全省地区")) != "plans"
    s = summarize_report(Report(id="s", source="s.txt", text=text, encoding="utf-8"))
    assert [p.title for p in s.plans] == [
        "全方位扩大内需，稳住经济大盘",
        "以科技创新引领新质生产力发展",
    ]


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # The opening sentence carries the list: its formula clause is cut, the list kept.
        (
            "我们也清醒地看到，产业层次相对不高，经济增长缺乏后劲；财政收支矛盾突出，改善民生任务"
            "艰巨；城市建设管理还很滞后。",
            ["产业层次相对不高，经济增长缺乏后劲", "财政收支矛盾突出，改善民生任务艰巨"],
        ),
        # The opening sentence only announces the list: it is no problem itself.
        (
            "我们也清醒看到，发展中还存在一些问题。一是产业结构不优。二是财政收支矛盾突出。",
            ["一是产业结构不优", "二是财政收支矛盾突出"],
        ),
    ],
)
def test_problems_opening_sentence(opening: str, expected: list[str]) -> None:
    text = (
        "一、2014年工作回顾\n全县生产总值增长6.5%，财政收入增长8%，民生持续改善，社会和谐稳定。\n"
        f"{opening}\n二、2015年工作安排\n（一）抓项目建设。\n（二）抓民生改善。"
    )
    s = summarize_report(Report(id="o", source="o.txt", text=text, encoding="utf-8"))
    quotes = [p.evidence.quote.rstrip("。；") for p in s.problems]
    assert quotes[: len(expected)] == expected
    assert not any("清醒" in q for q in quotes)
