"""Top-level plan items by the genre's construction: a plans section's own 一是…五是 before its
numbered sub-sections, never the reasons given for the year's targets, never an appendix list."""

from __future__ import annotations

from summarizer.pipeline import summarize_report
from summarizer.read.source import Report

REVIEW = "一、2023年工作回顾\n全市生产总值增长6.5%，财政收入增长8%，民生持续改善，社会和谐稳定。\n"
TASKS = "（一）大力发展新质生产力。加快产业升级。\n（二）持续扩大有效需求。抓好项目建设。\n"


def _plans(plans_part: str) -> list[str]:
    text = REVIEW + plans_part
    s = summarize_report(Report(id="p", source="p.txt", text=text, encoding="utf-8"))
    return [p.evidence.quote for p in s.plans]


def test_guiding_points_before_the_numbered_tasks_are_plan_items() -> None:
    intro = (
        "二、2024年目标任务和主要工作\n落实总体要求，最根本的是坚持高质量发展。一是坚定不移把推进"
        "现代化作为最大的政治。二是毫不动摇把绿色发展作为最大的责任。三是坚定不移把项目建设作为"
        "最大的抓手。\n"
    )
    assert _plans(intro + TASKS) == [
        "一是坚定不移把推进现代化作为最大的政治。",
        "二是毫不动摇把绿色发展作为最大的责任。",
        "三是坚定不移把项目建设作为最大的抓手。",
        "（一）大力发展新质生产力。",
        "（二）持续扩大有效需求。",
    ]


def test_the_reasons_for_the_targets_are_no_plan_items() -> None:
    intro = (
        "二、2024年目标任务和主要工作\n今年主要预期目标是：地区生产总值增长4%以上。这些目标的设定"
        "兼顾了需要与可能。一是坚持实事求是。二是为化债工作预留空间。三是引导干部转作风。\n"
    )
    assert _plans(intro + TASKS) == ["（一）大力发展新质生产力。", "（二）持续扩大有效需求。"]


def test_an_appendix_list_details_the_plans_and_is_none_of_them() -> None:
    part = (
        "二、2024年主要工作\n" + TASKS + "附件1\n2024年十件民生实事\n"
        "一、为老年人提供健康管理服务。\n二、提升困难群众兜底保障水平。\n"
    )
    assert _plans(part) == ["（一）大力发展新质生产力。", "（二）持续扩大有效需求。"]


def test_an_assessment_of_the_ground_is_no_plan_list() -> None:
    part = (
        "二、2020年总体思路\n当前，我们处在重要战略机遇期。从自身看，我们有三个优势，一是我们的工作"
        "基础扎实，稳扎稳打推进。二是我们的发展后劲充足，建设空间大。三是我们的政治生态良好，"
        "干部队伍作风务实。\n三、2020年目标任务\n" + TASKS
    )
    assert _plans(part) == ["（一）大力发展新质生产力。", "（二）持续扩大有效需求。"]
