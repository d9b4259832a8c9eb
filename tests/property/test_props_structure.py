"""Laws of structure parsing and chunking for any text, and for generated report-like text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.read.chunking import chunk_report
from summarizer.read.structure import Structure, parse_structure

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROLES = {"review", "problems", "plans", "other", "boilerplate"}
HORIZONS = {"next_year", "second_half", "multi_year", "unspecified"}

# Pieces reports are made of, so that generated text hits headings, leads, passages and debris.
MARKERS = [
    "一、",
    "二、",
    "三、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2、",
    "（1）",
    "一是",
    "二是",
    "①",
]
TITLES = [
    "2023年工作回顾",
    "上半年工作总结",
    "存在的问题",
    "下半年工作计划",
    "2024年工作打算",
    "“十五五”时期主要目标",
    "学习贯彻会议精神",
    "抓经济促发展",
    "名词解释",
    "附件1",
]
SENTENCES = [
    "全年地区生产总值增长5.3%。",
    "过去一年，我们聚焦发展，成效显著。",
    "1.5亿元项目开工，",
    "一、二季度平稳运行。",
    "同时我们也清醒看到，发展还存在不少困难和问题：",
    "但仍存在短板。",
    "展望“十五五”，我们将继续努力。",
    "2024年，街道将抓好项目。",
    "下半年，重点抓好以下工作。",
    "来源：区政府",
    "【打印】",
    "您当前的位置：首页 > 内容",
    "各位代表！让我们团结奋斗。",
    "\u3000\u3000",
    " ",
    "\r",
    "！",
    "；",
    "，",
]
line = st.one_of(
    st.builds(
        lambda m, t, s: m + t + s,
        st.sampled_from(MARKERS),
        st.sampled_from(TITLES),
        st.sampled_from(["", "。", "，正文继续。"]),
    ),
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map("".join),
    st.text(max_size=40),
)
report_like = st.lists(line, max_size=40).map("\n".join)
any_text = st.text(max_size=600)


def _laws(s: Structure) -> None:
    text = s.text
    n = len(text)
    for sec in s.sections:
        assert 0 <= sec.start < sec.end <= n
        assert sec.role in ROLES - {"boilerplate"}
        assert sec.path and sec.path[-1] == sec.title and len(sec.path) == sec.depth + 1
        assert sec.horizon is None or sec.horizon in HORIZONS
    starts = [sec.start for sec in s.sections]
    assert starts == sorted(starts)
    for a, b in s.boilerplate:
        assert 0 <= a < b <= n
    for (_, b1), (a2, _) in zip(s.boilerplate, s.boilerplate[1:], strict=False):
        assert b1 < a2
    # lookups agree with a scan over all sections
    step = max(1, n // 60)
    for off in range(0, n, step):
        inside = [sec for sec in s.sections if sec.start <= off < sec.end]
        deepest = max(inside, key=lambda x: x.depth) if inside else None
        assert s.innermost(off) == deepest
        assert s.role_at(off) in ROLES
        assert s.plan_horizon_at(off) in HORIZONS
    # sections nest: two sections either are disjoint or one contains the other
    for x in s.sections:
        for y in s.sections:
            if x.start < y.end and y.start < x.end:
                assert (x.start <= y.start and y.end <= x.end) or (
                    y.start <= x.start and x.end <= y.end
                )


def _chunk_laws(s: Structure, max_chars: int) -> None:
    chunks = chunk_report(s, max_chars)
    assert "".join(c.text for c in chunks) == s.text
    pos = 0
    for i, c in enumerate(chunks):
        assert c.index == i and c.start == pos and c.end > c.start
        assert s.text[c.start : c.end] == c.text
        assert len(c.text) <= max_chars
        assert c.role in ROLES
        pos = c.end
    assert pos == len(s.text)
    # a chunk never mixes two roles (whitespace aside)
    for c in chunks:
        roles = {s.role_at(i) for i in range(c.start, c.end) if not s.text[i].isspace()}
        assert len(roles) <= 1


@SETTINGS
@given(any_text)
def test_parse_never_raises_and_keeps_its_laws_on_any_text(text: str) -> None:
    _laws(parse_structure(text))


@SETTINGS
@given(report_like)
def test_parse_laws_on_report_like_text(text: str) -> None:
    _laws(parse_structure(text))


@SETTINGS
@given(any_text, st.integers(min_value=1, max_value=300))
def test_chunks_tile_any_text(text: str, max_chars: int) -> None:
    _chunk_laws(parse_structure(text), max_chars)


@SETTINGS
@given(report_like, st.integers(min_value=20, max_value=400))
def test_chunks_tile_report_like_text(text: str, max_chars: int) -> None:
    _chunk_laws(parse_structure(text), max_chars)
