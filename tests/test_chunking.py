"""Chunking: exact cover, bounded size, cuts at structure, one role per chunk."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.read.chunking import DEFAULT_CHUNK_SIZE, Chunk, chunk_report
from summarizer.read.source import read_report
from summarizer.read.structure import Structure, parse_structure

from .conftest import SAMPLE_REPORTS, SEEDS

REPORTS = sorted(SEEDS.glob("*.txt")) + SAMPLE_REPORTS
SENTENCE_END = "。！？；!?;”’」』）)"


def _check_cover(st: Structure, chunks: list[Chunk], max_chars: int) -> None:
    text = st.text
    assert "".join(c.text for c in chunks) == text
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for i, c in enumerate(chunks):
        assert c.index == i
        assert c.text == text[c.start : c.end] and c.text
        assert len(c.text) <= max_chars
        if i:
            assert chunks[i - 1].end == c.start


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name[:12])
@pytest.mark.parametrize("max_chars", [DEFAULT_CHUNK_SIZE, 800])
def test_real_reports_chunk_exactly_with_one_role_each(path: Path, max_chars: int) -> None:
    st = parse_structure(read_report(path).text)
    chunks = chunk_report(st, max_chars)
    _check_cover(st, chunks, max_chars)
    for c in chunks:
        roles = {st.role_at(i) for i in range(c.start, c.end) if not c.text[i - c.start].isspace()}
        assert roles <= {c.role}, (c.index, roles)
        assert c.section_path == st.path_at(c.start + len(c.text) - len(c.text.lstrip()))
        if c.role == "plans":
            assert c.horizon != "unspecified" or path.name.startswith("p26")
    # cuts fall at paragraph or sentence ends (or role changes), never mid-sentence here
    boundaries = {0, *st.role_boundaries()}
    for c in chunks[1:]:
        before = st.text[: c.start].rstrip(" \t\u3000")
        assert c.start in boundaries or before.endswith(("\n", *SENTENCE_END)) or before == ""
        assert c.start in boundaries or st.text[c.start - 1] in "\n" + SENTENCE_END


def test_seed_chunks_keep_review_problems_and_plans_apart() -> None:
    st = parse_structure(read_report(sorted(SEEDS.glob("000_*.txt"))[0]).text)
    chunks = chunk_report(st)
    problems = [c for c in chunks if c.role == "problems"]
    assert len(problems) == 1 and problems[0].text.startswith("但经济社会发展仍然存在不少短板")
    roles = [c.role for c in chunks]
    assert roles.index("plans") > roles.index("problems") > roles.index("review")
    assert {c.horizon for c in chunks if c.role == "plans"} == {"multi_year", "next_year"}


def test_prefers_section_start_over_a_later_paragraph_end() -> None:
    body = "项目建设加快推进。" * 20 + "\n"  # 181 chars a paragraph
    text = "一、经济\n" + body * 2 + "二、民生\n" + body * 3
    st = parse_structure(text)
    chunks = chunk_report(st, max_chars=600)
    _check_cover(st, chunks, 600)
    assert text.index("二、民生") in {c.start for c in chunks}


def test_long_sentence_is_cut_at_a_clause_then_hard() -> None:
    clause = "推进重点项目建设，"
    text = "一、经济\n" + clause * 100 + "完成。\n"
    st = parse_structure(text)
    chunks = chunk_report(st, max_chars=200)
    _check_cover(st, chunks, 200)
    assert all(c.text.endswith(("，", "。\n", "\n")) for c in chunks[:-1])
    hard = parse_structure("字" * 1000)
    pieces = chunk_report(hard, max_chars=300)
    _check_cover(hard, pieces, 300)
    assert [len(c.text) for c in pieces] == [300, 300, 300, 100]


def test_role_change_forces_a_cut_even_in_a_small_report() -> None:
    text = "一、2023年工作回顾\n增长5%。\n二、存在问题\n招商难。\n三、2024年工作打算\n抓项目。\n"
    st = parse_structure(text)
    chunks = chunk_report(st, max_chars=2500)
    assert [c.role for c in chunks] == ["review", "problems", "plans"]
    assert chunks[1].text == "二、存在问题\n招商难。\n"


def test_boilerplate_gets_its_own_chunks() -> None:
    text = "您当前的位置：首页 > 政务公开\n来源：区政府办\n一、2023年工作回顾\n增长。\n【打印】\n"
    st = parse_structure(text)
    chunks = chunk_report(st)
    assert [c.role for c in chunks] == ["boilerplate", "review", "boilerplate"]


def test_empty_text_and_bad_size() -> None:
    assert chunk_report(parse_structure("")) == []
    with pytest.raises(ValueError):
        chunk_report(parse_structure("正文。"), max_chars=0)
