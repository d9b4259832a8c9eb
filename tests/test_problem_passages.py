"""Problem passages by their shape: opened by any sentence that admits problems and starts a
numbered list, closed by what will be done about them or a comment on them as a whole."""

from __future__ import annotations

import pytest

from summarizer.models import Summary
from summarizer.pipeline import summarize_report
from summarizer.read.headings import problem_opening
from summarizer.read.source import Report

REVIEW = "一、2020年工作回顾\n全县生产总值增长6.5%，财政收入增长8%，民生持续改善，社会和谐稳定。\n"
PLANS = "\n二、2021年工作安排\n（一）抓项目建设。\n（二）抓民生改善。"


def _summary(text: str) -> Summary:
    return summarize_report(Report(id="p", source="p.txt", text=text, encoding="utf-8"))


def _problems(passage: str) -> list[str]:
    return [p.evidence.quote for p in _summary(REVIEW + passage + PLANS).problems]


@pytest.mark.parametrize(
    "opening",
    [
        "成绩来之不易，我们也深知经济社会发展中还有不少问题。",
        "成绩尤为可贵，我们的问题和短板也不能忽视。",
        "成绩固然可喜，问题也不容忽视：",
    ],
)
def test_any_sentence_admitting_problems_before_a_numbered_list_opens_the_passage(
    opening: str,
) -> None:
    quotes = _problems(f"{opening}一是经济发展效益还不高。二是生态治理任务依然艰巨。")
    assert quotes == ["一是经济发展效益还不高。", "二是生态治理任务依然艰巨。"]


@pytest.mark.parametrize(
    "para",
    [
        # A plan that acts on problems, then lists its measures, opens no problems passage.
        "着力解决群众反映强烈的突出问题。一是抓好就业。二是办好教育。",
        "聚焦短板弱项。首先，补齐基础设施短板。",
    ],
)
def test_a_sentence_acting_on_problems_opens_no_passage(para: str) -> None:
    assert problem_opening(para) is None


@pytest.mark.parametrize(
    "closing",
    [
        "这些问题，有些是长期积累的，有些是发展过程中出现的。",
        "要直面问题挑战，尽心竭力改进政府工作，不负人民重托。",
        "我们一定正视问题，全力以赴做好工作。",
    ],
)
def test_a_closing_comment_or_resolution_is_never_a_problem(closing: str) -> None:
    passage = (
        f"我们也清醒地看到，发展中还存在不少困难和问题。产业结构不优。财政收支矛盾突出。{closing}"
    )
    assert _problems(passage) == ["产业结构不优。", "财政收支矛盾突出。"]


def test_a_long_run_of_shortfall_clauses_is_a_list_even_with_one_plainly_worded_clause() -> None:
    passage = (
        "我们也清醒看到，经济社会发展中还存在不少困难和问题。经济增长内生动力仍需增强，部分行业产能"
        "过剩严重，一些企业生产经营困难较多，地区经济走势分化，财政收支矛盾较大。"
    )
    assert _problems(passage) == [
        "经济增长内生动力仍需增强",
        "部分行业产能过剩严重",
        "一些企业生产经营困难较多",
        "地区经济走势分化",
        "财政收支矛盾较大。",
    ]


def test_two_clauses_one_plainly_worded_stay_one_problem() -> None:
    passage = "我们也清醒看到，发展中还存在不少困难和问题。有的干部缺乏担当实干精神，消极避责、做表面文章。"
    assert _problems(passage) == ["有的干部缺乏担当实干精神，消极避责、做表面文章。"]


# A plan item that names the problem its task answers (national 2016)
PLAN_ITEM_NAMING_A_PROBLEM = (
    "二、2021年工作安排\n（一）加快农业结构调整。粮食连续增产，但也面临库存大幅增加、"
    "市场价格下跌等问题。{task}\n（二）抓民生改善。"
)


def test_a_problem_named_inside_a_plan_item_is_no_problem() -> None:
    text = (
        REVIEW
        + "我们也清醒看到，发展中还存在不少困难和问题。产业结构不优。财政收支矛盾突出。\n"
        + PLAN_ITEM_NAMING_A_PROBLEM.format(task="要完善农产品价格形成机制。")
    )
    assert [p.evidence.quote for p in _summary(text).problems] == [
        "产业结构不优。",
        "财政收支矛盾突出。",
    ]


def test_a_figure_after_the_problem_a_plan_item_names_is_the_plans() -> None:
    # the item's task, after the problem it answers, is a target of the year planned
    task = "要多措并举消化粮食库存；制定新一轮退耕还林还草方案，今年退耕还林还草1500万亩以上，这件事一举多得。"
    s = _summary(REVIEW + PLAN_ITEM_NAMING_A_PROBLEM.format(task=task))
    (m,) = [m for m in s.metrics if m.value == 1500.0]
    assert (m.status, m.reference_year) == ("target", 2021)
