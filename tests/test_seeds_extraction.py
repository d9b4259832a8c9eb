"""What a careful reader checks by hand in the rules backend's output on the real reports:
every listed problem, every top-level plan with its horizon, one achievement per review item."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from summarizer.config import Settings
from summarizer.models import Achievement, Metric, Plan, Problem, Summary
from summarizer.pipeline import summarize
from summarizer.read.source import read_report
from summarizer.read.structure import parse_structure
from tests.conftest import SAMPLE_REPORTS, SAMPLES, assert_grounded, seed_path


@cache
def _run(path: Path) -> Summary:
    return summarize(path, Settings())


def _seed(prefix: str) -> tuple[str, Summary]:
    path = seed_path(prefix)
    return read_report(path).text, _run(path)


def _quotes(items: Sequence[Achievement | Metric | Problem | Plan]) -> list[str]:
    return [item.evidence.quote for item in items]


def _one_item_with(items: Sequence[Achievement | Metric | Problem | Plan], phrase: str) -> None:
    hits = [q for q in _quotes(items) if phrase in q]
    assert len(hits) == 1, (phrase, _quotes(items))


ALL_REPORTS = sorted(Path(seed_path("000")).parent.glob("*.txt")) + SAMPLE_REPORTS


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.stem)
def test_every_item_is_grounded_short_and_titled(path: Path) -> None:
    text = read_report(path).text
    summary = _run(path)
    assert_grounded(text, summary)
    for key in ("achievements", "problems", "plans"):
        for item in getattr(summary, key):
            assert len(item.evidence.quote) <= 120, (key, item.evidence.quote)
            assert 2 <= len(item.title) <= 30, (key, item.title)
            assert item.title.strip() == item.title


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.stem)
def test_nothing_from_study_appendix_or_debris(path: Path) -> None:
    text = read_report(path).text
    structure = parse_structure(text)
    summary = _run(path)
    for key in ("achievements", "problems", "plans"):
        for item in getattr(summary, key):
            assert structure.role_at(item.evidence.start) not in ("other", "boilerplate"), (
                key,
                item.evidence.quote,
            )


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.stem)
def test_metrics_only_from_report_text_and_preamble(path: Path) -> None:
    structure = parse_structure(read_report(path).text)
    for m in _run(path).metrics:
        at = m.evidence.start
        assert not structure.in_boilerplate(at), m.evidence.quote
        inner = structure.innermost(at)
        assert inner is None or inner.role != "other", (m.evidence.quote, inner.title)


def test_seed_000_five_problems() -> None:
    _, s = _seed("000")
    assert len(s.problems) == 5
    for phrase in (
        "产业结构不优",
        "实体经济困难增多",
        "优质公共服务供给不足",
        "城市环境较差",
        "治理体系现代化水平",
    ):
        _one_item_with(s.problems, phrase)
    # neither the opening formula nor the closing resolution is a problem
    assert not any("存在不少短板" in q or "着力解决这些问题" in q for q in _quotes(s.problems))


def test_seed_002_three_problem_groups() -> None:
    _, s = _seed("002")
    assert len(s.problems) == 3
    assert all(q.startswith("如") for q in _quotes(s.problems))
    for phrase in ("经济持续向好的基础", "城市承载能级", "社会治理水平的提升"):
        _one_item_with(s.problems, phrase)
    assert not any("清醒" in q for q in _quotes(s.problems))


def test_seed_003_semicolon_problems() -> None:
    _, s = _seed("003")
    assert len(s.problems) == 6
    for phrase in (
        "重点项目储备不足",
        "商圈客流量",
        "长效管理运行机制",
        "安全监管体系",
        "干部队伍建设",
    ):
        _one_item_with(s.problems, phrase)
    assert not any("主要表现为" in q for q in _quotes(s.problems))


def test_seed_004_has_no_plans_and_no_problems() -> None:
    _, s = _seed("004")
    assert s.plans == []
    assert s.problems == []


def test_seed_002_plans_are_the_five_second_half_items() -> None:
    _, s = _seed("002")
    assert len(s.plans) == 5
    assert {p.horizon for p in s.plans} == {"second_half"}
    assert [q[:2] for q in _quotes(s.plans)] == ["一、", "二、", "三、", "四、", "五、"]
    # the study section's "(二)贯彻落实的思路举措 一是…" items are not plans
    assert not any("聚焦产业创新" in q for q in _quotes(s.plans))


def test_seed_000_plans_top_level_items_with_horizons() -> None:
    _, s = _seed("000")
    next_year = [p for p in s.plans if p.horizon == "next_year"]
    multi_year = [p for p in s.plans if p.horizon == "multi_year"]
    assert len(next_year) == 4  # 2021年 一、…四、 (their inline 一是 items are not top level)
    assert len(multi_year) == 4  # 展望“十四五” 一是…四是
    assert len(s.plans) == 8
    assert "加速扩张经济总量" in next_year[0].evidence.quote


def test_seed_001_and_003_plans() -> None:
    _, s1 = _seed("001")
    assert len(s1.plans) == 5 and {p.horizon for p in s1.plans} == {"next_year"}
    _, s3 = _seed("003")
    assert len(s3.plans) == 5 and {p.horizon for p in s3.plans} == {"second_half"}
    assert all(p.title.startswith("进一步") for p in s3.plans)


def _review_items(prefix: str, level: int, depth: int) -> list[tuple[int, int, str]]:
    text = read_report(seed_path(prefix)).text
    return [
        (sec.start, sec.end, sec.title)
        for sec in parse_structure(text).sections
        if sec.role == "review" and sec.level == level and len(sec.path) == depth + 1
    ]


@pytest.mark.parametrize(
    ("prefix", "level", "depth", "count"),
    [("000", 4, 1, 18), ("004", 4, 0, 6), ("002", 1, 1, 6)],
)
def test_an_achievement_per_review_item(prefix: str, level: int, depth: int, count: int) -> None:
    _, s = _seed(prefix)
    items = _review_items(prefix, level, depth)
    assert len(items) == count
    for start, end, title in items:
        inside = [a for a in s.achievements if start <= a.evidence.start < end]
        assert inside, title
        assert any(a.title in title or title in a.title for a in inside), (title, inside[0].title)


def test_achievement_quotes_carry_the_key_figure() -> None:
    _, s = _seed("004")
    economy = [a for a in s.achievements if "综合实力" in a.title]
    assert len(economy) == 1
    assert "35.68亿元" in economy[0].evidence.quote
    assert economy[0].category == "economy"


def test_seed_000_five_year_review_paragraph_leads() -> None:
    _, s = _seed("000")
    titles = [a.title for a in s.achievements]
    for lead in ("综合实力稳步提升", "先进制造业加快发展", "创新人才不断集聚"):
        assert lead in titles
    strength = next(a for a in s.achievements if a.title == "综合实力稳步提升")
    assert "4.88亿元" in strength.evidence.quote


@pytest.mark.parametrize("path", SAMPLE_REPORTS, ids=lambda p: p.stem)
def test_province_reports(path: Path) -> None:
    s = _run(path)
    # One problem per shortfall clause (the real labels' grain): a passage lists up to ~20.
    assert 5 <= len(s.problems) <= 20
    assert not any("清醒" in q or "对此" in q for q in _quotes(s.problems))
    horizons = {p.horizon for p in s.plans}
    assert "next_year" in horizons and "multi_year" in horizons
    assert len([p for p in s.plans if p.horizon == "next_year"]) >= 6
    assert len(s.achievements) >= 6


def test_hebei_comma_list_problems() -> None:
    s = _run(SAMPLES / "p26_hebei.txt")
    assert len(s.problems) == 10
    for phrase in ("创新能力不够强", "资源环境约束", "形式主义、官僚主义"):
        _one_item_with(s.problems, phrase)
