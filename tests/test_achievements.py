"""Achievements a reader can trust, on the labelled real reports and the seeds: each title says
what its own evidence says (never a neighbouring sentence's), one item per key result of the
review, with its key figure. Each rule is shown on two or more reports."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from summarizer.config import Settings
from summarizer.extract.rules.categories import category_of
from summarizer.extract.rules.text import (
    figure_sentence,
    lead_starts,
    result_title,
    sub_lead_starts,
    title_at,
)
from summarizer.models import Achievement, Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from tests.conftest import ROOT, SEEDS

REAL = ROOT / "evals" / "real" / "reports"
REAL_REPORTS = sorted(REAL.glob("*.txt"))
SEED_REPORTS = sorted(SEEDS.glob("*.txt"))


@cache
def _run(path: Path) -> Summary:
    return summarize(path, Settings())


@cache
def _text(path: Path) -> str:
    return read_report(path).text


def _real(name: str) -> tuple[str, list[Achievement]]:
    path = REAL / f"{name}.txt"
    return _text(path), _run(path).achievements


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _quotes(items: list[Achievement]) -> list[str]:
    return [_compact(a.evidence.quote) for a in items]


def _quoted(items: list[Achievement], phrase: str) -> list[Achievement]:
    return [a for a in items if _compact(phrase) in _compact(a.evidence.quote)]


# --- titles ------------------------------------------------------------------------------------
def _pieces_in_order(title: str, quote: str) -> bool:
    """Each "…"-separated piece of the title is written in the quote, in order."""
    pos = 0
    for piece in _compact(title).split("…"):
        found = quote.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


_ITEM_MARKER = re.compile(
    r"[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)]|——|[一二三四五六七八九十]+、"
)


def _is_own_lead(text: str, item: Achievement, starts: list[int]) -> bool:
    """The title is the lead of the item its quote belongs to: the lead sentence (`detail`) opens a
    paragraph or a numbered item, is written before the quote, and no other achievement's
    evidence lies between the two."""
    lead = item.detail
    if not lead or _compact(item.title) not in _compact(lead):
        return False
    # the lead is read from the layout text, which may have a blank where the text breaks a line
    written = re.compile(r"\s*".join(map(re.escape, _compact(lead))))
    found = [m.start() for m in written.finditer(text, 0, item.evidence.end)]
    at = max((s for s in found if s <= item.evidence.start), default=-1)
    if at < 0:
        return False
    opens_paragraph = text[:at].rstrip(" \t\u3000\u200b").endswith("\n") or at == 0
    if not (opens_paragraph or _ITEM_MARKER.match(lead)):
        return False
    return not any(at < s < item.evidence.start for s in starts)


@pytest.mark.parametrize("path", REAL_REPORTS + SEED_REPORTS, ids=lambda p: p.stem)
def test_titles_are_drawn_from_their_own_quote(path: Path) -> None:
    text = _text(path)
    items = _run(path).achievements
    starts = [a.evidence.start for a in items]
    for item in items:
        quote = _compact(item.evidence.quote)
        assert _pieces_in_order(item.title, quote) or _is_own_lead(text, item, starts), (
            item.title,
            item.detail,
            item.evidence.quote,
        )


def test_an_in_paragraph_sub_lead_does_not_title_the_next_sentence() -> None:
    # "食品药品安全整治力度持续加大。深入开展燃气、矿山、消防等领域专项整治，生产安全事故起数…"
    # and "全省人均预期寿命持续提高。中国古动物馆…建成投用。": the short sentence is a fact, not
    # the heading of the sentence after it.
    _, items = _real("province_hebei_2025")
    (safety,) = _quoted(items, "生产安全事故起数、死亡人数下降17.6%")
    assert "17.6%" in safety.title and "食品药品" not in safety.title
    assert not any("人均预期寿命" in a.title for a in items)
    # the same in a national report: "强化困难群众兜底保障。有效应对…灾害。…成都大运会…成功举办"
    _, items = _real("national_guowuyuan_2024")
    (games,) = _quoted(items, "成都大运会、杭州亚运会和亚残运会成功举办")
    assert games.title == "成都大运会、杭州亚运会和亚残运会成功举办"


def test_result_titles() -> None:
    text = "坚持以项目论英雄，全年实施市级以上重点项目86个，完成投资142亿元；新签约项目37个。"
    focus = text.index("86个") + 3
    assert result_title(text, 0, len(text), focus) == "全年实施市级以上重点项目86个"
    # a bare clause ("增长5.2%") takes its subject with it
    text = "国内生产总值超过126万亿元，增长5.2%，增速居世界主要经济体前列。"
    assert (
        result_title(text, 0, len(text), text.index("5.2%") + 4)
        == "国内生产总值超过126万亿元，增长5.2%"
    )
    # a list too long for a title keeps its first and last items around an ellipsis
    text = "六大优势产业、高技术制造业、绿色低碳优势产业增加值分别增长6.8%、12.3%、7.8%。"
    title = result_title(text, 0, len(text), text.index("6.8%") + 4)
    assert title == "六大优势产业…绿色低碳优势产业增加值分别增长6.8%"
    # never half a number; the padding of a hard-wrapped line is not part of a title
    text = "完全化解了历史上承担的国有商业银行和农村信用社等14486亿元金融改革成本。"
    title = result_title(text, 0, len(text), text.index("亿元") + 2)
    assert title.endswith("…") and not re.search(r"\d…", title) and len(title) <= 30
    text = "引进科大讯飞等10余家头部  企业落地运营。"
    assert (
        result_title(text, 0, len(text), text.index("10") + 2)
        == "引进科大讯飞等10余家头部企业落地运营"
    )


def test_a_connective_is_no_title() -> None:
    text = "与此同时，其他各方面工作都取得了新进展新成效。国防动员工作迈出新步伐。"
    assert title_at(text, 0, len(text)) == "其他各方面工作都取得了新进展新成效"


# --- the review's overview ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "opening"),
    [
        ("national_guowuyuan_2024", "一、2023年工作回顾"),
        ("city_jiaxing_2024", "一、2023年工作回顾"),
        ("province_guangdong_2025", "一、2024年工作回顾"),
    ],
)
def test_each_dash_paragraph_of_the_overview_is_an_item(name: str, opening: str) -> None:
    text, items = _real(name)
    start = text.index(opening)
    first_item = re.search(r"\n\s*(?:一是|（一）)", text[start:])
    assert first_item is not None
    dashes = [
        (m.start(), text.find("\n", m.start()))
        for m in re.finditer(r"(?m)^[ \t\u3000]*——", text[: start + first_item.start()])
        if m.start() > start
    ]
    assert len(dashes) >= 3
    for a, b in dashes:
        assert any(a <= item.evidence.start < b for item in items), text[a : a + 30]


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("province_hebei_2025", "全省生产总值增长5.4%"),
        ("county_gaoyang_2017", "全县生产总值完成96.3亿元"),
    ],
)
def test_the_overview_gives_its_headline_figure(name: str, headline: str) -> None:
    _, items = _real(name)
    (overview,) = _quoted(items, headline)
    assert headline in overview.title


# --- items and their sub-items -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "plans_part", "count", "quoted"),
    [
        ("city_liuzhou_2024", "2024年工作安排", 8, 8),
        ("city_chengde_2024", "二、2024年目标任务", 7, 5),
        ("province_hebei_2025", "二、2025年目标任务", 6, 5),
    ],
)
def test_an_item_with_sub_items_gives_its_heading(
    name: str, plans_part: str, count: int, quoted: int
) -> None:
    """（一）着力转方式、调结构，产业转型步伐持续加快。创新能力持续增强。…: every numbered item
    titles an achievement; one whose head states no figure before its sub-items quotes its
    heading (up to its end, or to the end of its line when wrapped) — the figures are its
    sub-items'."""
    text, items = _real(name)
    review = _compact(text[: text.index(plans_part)])
    headings = re.findall(r"（[一二三四五六七八九十]）[^。]+。", review)
    assert len(headings) == count
    for heading in headings:
        assert any(len(a.title) >= 4 and _compact(a.title) in heading for a in items), heading
    quotes = _quotes(items)
    heading_quotes = [h for h in headings if any(len(q) >= 10 and h.startswith(q) for q in quotes)]
    assert len(heading_quotes) == quoted


@pytest.mark.parametrize(
    ("name", "tasks"),
    [
        ("national_guowuyuan_2024", ["自觉依法接受监督。", "推进重点行业超低排放改造。"]),
        ("city_jiaxing_2024", ["加强政治建设。", "坚定勤廉追求。"]),
    ],
)
def test_a_sub_lead_without_figure_or_outcome_is_no_achievement(
    name: str, tasks: list[str]
) -> None:
    _, items = _real(name)
    for task in tasks:
        assert not _quoted(items, task), task


def test_sub_leads_read_through_quotes_padding_and_a_numbered_heading() -> None:
    # "“老字号”产业加速升级。" is a sub-lead, and so is the sentence right after a numbered heading
    text = (
        "（一）着力转方式、调结构，产业转型步伐持续加快。创新能力持续增强。新增国家高新技术企业90家。"
        "“老字号”产业加速升级。上汽通用五菱精益智造工厂竣工投产，钢材产量实现双提升。"
    )
    subs = [text[s : s + 4] for s in sub_lead_starts(text, 0, len(text))]
    assert subs == ["创新能力", "“老字号"]
    # the blanks a hard-wrapped line leaves inside a sentence are no length
    text = (
        "大力度推进招商引资。累计签约项目403个、总投资1298亿元。全方位融         入协同发展。"
        "新增央企京企合作项目81个、总投资764.8亿元。"
    )
    assert [text[s : s + 3] for s in sub_lead_starts(text, 0, len(text))] == ["全方位"]
    lead = "坚持以人民为中心，时刻把保障和改善民生的责任放在心上" + " " * 8 + "。"
    text = f"甲\n{lead}投入4亿元。\n生态环境不断改善。治理河道3条。\n"
    assert len(lead_starts(text, 0, len(text))) == 2


def test_the_hard_wrapped_sub_item_keeps_its_figure() -> None:
    _, items = _real("city_chengde_2024")
    assert _quoted(items, "新增央企京企合作项目81个、总投资764.8亿元")


@pytest.mark.parametrize(
    ("name", "first_figure"),
    [
        ("city_jiaxing_2024", "116个项目列入省“千项万亿”工程"),
        ("city_liuzhou_2024", "等129个项目实现开工"),
    ],
)
def test_an_item_quotes_its_first_figure(name: str, first_figure: str) -> None:
    """The genre states an item's headline result first: "项目投资发力见效。…116个项目列入省
    “千项万亿”工程，…新增重大项目能耗指标353万吨标煤、增长28.3%…"."""
    _, items = _real(name)
    assert _quoted(items, first_figure)


def test_approximate_figures_are_figures() -> None:
    for sentence in ("全年降低企业税负5700多亿元。", "2012年以来共发放各类救助资金8300余万元。"):
        assert figure_sentence(sentence, 0, len(sentence)) is not None


@pytest.mark.parametrize(
    ("name", "opening", "at_least"),
    [
        ("province_guangdong_2025", "一是纵深推进新阶段粤港澳大湾区建设", 3),
        ("province_guangdong_2025", "二是加力提速实施", 3),
        ("county_gaoyang_2017", "（二）转型升级持续发力", 4),
    ],
)
def test_a_long_item_reports_several_results(name: str, opening: str, at_least: int) -> None:
    text, items = _real(name)
    a = text.index(opening)
    b = re.compile(r"\n\s*(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）)").search(
        text, a + 1
    )
    assert b is not None and b.start() - a > 1000
    inside = [item for item in items if a <= item.evidence.start < b.start()]
    assert len(inside) >= at_least


@pytest.mark.parametrize(
    ("name", "lone_lead", "result"),
    [
        ("national_guowuyuan_2024", "中国特色大国外交全面推进", "成功举办中国－中亚峰会"),
        ("province_guangdong_2025", "企业是经济发展的主体", "新增减免税费超1500亿元"),
    ],
)
def test_a_lead_paragraph_after_the_numbered_items(name: str, lone_lead: str, result: str) -> None:
    """After the numbered items, a paragraph opened by a lead sentence is an item even alone
    ("一年来，中国特色大国外交全面推进。…")."""
    _, items = _real(name)
    assert any(a.title == lone_lead for a in items)
    assert _quoted(items, result)


@pytest.mark.parametrize(
    ("name", "plans_part"),
    [("province_guangdong_2025", "二、2025年工作安排"), ("county_shunping_2020", "2020年目标任务")],
)
def test_nothing_from_a_plans_part(name: str, plans_part: str) -> None:
    """A task heading in a plans part may read like a result ("巩固治理成效，持续改善生态环境"):
    it is still a plan."""
    text, items = _real(name)
    start = text.index(plans_part)
    assert items and all(a.evidence.start < start for a in items)


def test_category_words_of_result_titles() -> None:
    assert category_of("森林覆盖率达到24%") == "environment"
    assert category_of("累计建成5G基站9330座") == "innovation"
    assert category_of("每年惠及3700多万学生") == "livelihood"
    assert category_of("粮食总产781.8亿斤") == "economy"
    assert category_of("办理人大代表建议137件、政协提案198件") == "governance"
