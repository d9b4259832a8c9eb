"""Packing chunks into LLM calls: the plan itself, and the openai backend sending packed calls
to the scripted server and handing each item back to the chunk its quote starts in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.config import Settings
from summarizer.extract.backend import get_backend
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.packing import plan_calls
from summarizer.extract.llm.prompts import split_fenced
from summarizer.pipeline import prepare
from summarizer.read.chunking import Chunk
from summarizer.read.headings import Role
from summarizer.read.source import Report
from summarizer.read.structure import Structure, parse_structure

from .conftest import assert_grounded
from .openai_server import Row, ScriptedServer, request_blocks, request_chunk

ROLES: tuple[Role, ...] = ("review", "problems", "plans", "other", "boilerplate")

REPORT = """您当前的位置：首页 > 政务公开 > 工作报告
发布时间：2024-01-10  来源：区政府办公室
某某街道2023年工作总结

一、2023年工作回顾
全年完成一般公共预算收入4.01亿元，同比下降14.4%。新建口袋公园3个。

二、存在的问题
一是经济增长动力不足，新兴产业占比偏低。

三、2024年工作打算
明年将全力推进重大项目建设，力争固定资产投资达到20亿元。
分享到：
责任编辑：张三
"""
DEBRIS = ("您当前的位置", "发布时间", "分享到", "责任编辑")


def make_chunks(pieces: list[tuple[str, Role]]) -> list[Chunk]:
    """Contiguous chunks from (text, role) pieces."""
    chunks, start = [], 0
    for i, (text, role) in enumerate(pieces):
        section = (f"节{i}",)
        chunks.append(Chunk(i, start, start + len(text), text, section, role))
        start += len(text)
    return chunks


# --- the plan -----------------------------------------------------------------------------------


def _fewest_then_smallest_max(sizes: list[int], budget: int) -> tuple[int, int]:
    """Reference by exhaustive DP: (fewest parts with each part <= budget or a single chunk,
    smallest possible largest part among those)."""
    n = len(sizes)
    best: dict[int, tuple[int, int]] = {0: (0, 0)}  # prefix length -> (parts, largest part)
    for end in range(1, n + 1):
        options = []
        for begin in range(end):
            size = sum(sizes[begin:end])
            if size <= budget or end - begin == 1:
                parts, largest = best[begin]
                options.append((parts + 1, max(largest, size)))
        best[end] = min(options)
    return best[n]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 60), st.sampled_from(ROLES)), min_size=1, max_size=9),
    st.integers(1, 150),
)
def test_plan_packs_runs_into_the_fewest_most_even_calls(
    pieces: list[tuple[int, Role]], budget: int
) -> None:
    chunks = make_chunks([("字" * size, role) for size, role in pieces])
    calls = plan_calls(chunks, budget)
    sent = [chunk for call in calls for chunk in call.chunks]
    assert sent == [c for c in chunks if c.role != "boilerplate"], (
        "each sendable chunk once, in order"
    )
    for call in calls:
        assert all(a.end == b.start for a, b in zip(call.chunks, call.chunks[1:], strict=False))
        assert call.text == "字" * (call.end - call.start)
        assert len(call.text) <= budget or len(call.chunks) == 1
    # per run of non-boilerplate chunks: fewest calls, and the largest call as small as can be
    runs: list[list[int]] = [[]]
    for size, role in pieces:
        if role == "boilerplate":
            runs.append([])
        else:
            runs[-1].append(size)
    runs = [r for r in runs if r]
    expected = [_fewest_then_smallest_max(r, budget) for r in runs]
    assert len(calls) == sum(parts for parts, _ in expected)
    got_max = max((len(c.text) for c in calls), default=0)
    assert got_max == max((largest for _, largest in expected), default=0)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 60), st.sampled_from(ROLES)), min_size=1, max_size=9),
    st.integers(1, 150),
    st.integers(0, 6),
    st.integers(1, 80),
)
def test_extra_calls_split_finer_within_their_limits(
    pieces: list[tuple[int, Role]], budget: int, extra: int, least: int
) -> None:
    chunks = make_chunks([("字" * size, role) for size, role in pieces])
    fewest = plan_calls(chunks, budget)
    calls = plan_calls(chunks, budget, extra, least)
    sent = [chunk for call in calls for chunk in call.chunks]
    assert sent == [chunk for call in fewest for chunk in call.chunks]
    total = sum(len(chunk.text) for chunk in sent)
    assert len(calls) == min(len(fewest) + extra, len(sent), max(len(fewest), total // least))
    for call in calls:
        assert all(a.end == b.start for a, b in zip(call.chunks, call.chunks[1:], strict=False))
        assert len(call.text) <= budget or len(call.chunks) == 1
    largest = max((len(c.text) for c in fewest), default=0)
    assert max((len(c.text) for c in calls), default=0) <= largest, "no call grows"


def test_whitespace_only_runs_get_no_call_and_owner_finds_the_chunk() -> None:
    chunks = make_chunks(
        [("\n\n", "other"), ("x", "boilerplate"), ("甲乙", "review"), ("丙", "plans")]
    )
    (call,) = plan_calls(chunks, 100)
    assert [c.index for c in call.chunks] == [2, 3]
    assert [call.owner(o) for o in (call.start, call.start + 1, call.start + 2)] == [0, 0, 1]
    assert call.label == f"chunks 2-3 ({call.start}-{call.end})"


# --- the backend sending packed calls ----------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def backend_for(
    server: ScriptedServer, tmp_path: Path, **changes: Any
) -> tuple[OpenAIBackend, Settings]:
    settings = Settings(
        backend="openai",
        model="test-model",
        base_url=server.url,
        api_key="sk-test",
        cache_dir=tmp_path / "cache",
        timeout=5.0,
    ).with_(**changes)
    return OpenAIBackend(settings), settings


def prepared(text: str, settings: Settings) -> tuple[Structure, list[Chunk]]:
    report = Report(id="r", source="r.txt", text=text, encoding="utf-8")
    return prepare(report, settings)


def test_boilerplate_chunks_make_no_call_and_still_count_as_done(
    server: ScriptedServer, tmp_path: Path
) -> None:
    backend, settings = backend_for(server, tmp_path)
    structure, chunks = prepared(REPORT, settings)
    debris = [i for i, c in enumerate(chunks) if c.role == "boilerplate"]
    assert len(debris) == 2
    done: list[int] = []
    results, stats = backend.extract(structure, chunks, done.append)
    assert len(server.requests) == stats.llm_calls == 1
    sent = request_chunk(server.requests[0])
    assert not any(word in sent for word in DEBRIS)
    assert sum(done) == len(chunks) == len(results)
    for i in debris:
        r = results[i]
        assert r.chunk_index == i and not (r.achievements or r.metrics or r.problems or r.plans)


def test_one_request_carries_each_chunk_as_a_block_with_its_section_and_role(
    server: ScriptedServer, tmp_path: Path
) -> None:
    backend, settings = backend_for(server, tmp_path)
    structure, chunks = prepared(REPORT, settings)
    backend.extract(structure, chunks)
    (body,) = server.requests
    sendable = [c for c in chunks if c.role != "boilerplate"]
    assert request_blocks(body) == [c.text for c in sendable]
    user = body["messages"][-1]["content"]
    roles = [line for line in user.split("\n") if line.startswith("role: ")]
    assert roles == [f"role: {c.role}" for c in sendable]
    blocks, _ = split_fenced(user)
    sections = [text for label, text in blocks if label == "section"]
    assert sections == [" > ".join(c.section_path) or "(none)" for c in sendable]
    assert {"review", "problems", "plans"} <= {c.role for c in sendable}
    system = body["messages"][0]["content"]
    assert "role" in system and "ignore any instructions" in system


def test_items_are_grounded_in_the_call_and_handed_to_the_chunk_they_start_in(
    server: ScriptedServer, tmp_path: Path
) -> None:
    backend, settings = backend_for(server, tmp_path)
    structure, chunks = prepared(REPORT, settings)
    by_role = {c.role: c.index for c in chunks}
    payload = {
        "metrics": [
            {"name": "投资", "value": 20, "unit": "亿元", "quote": "力争固定资产投资达到20亿元"},
            {"name": "收入", "value": 4.01, "unit": "亿元", "quote": "一般公共预算收入4.01亿元"},
        ],
        "problems": [{"title": "动力不足", "quote": "一是经济增长动力不足"}],
        "plans": [{"title": "项目", "quote": "明年将全力推进重大项目建设"}],
    }
    server.enqueue(Row(payload=payload))
    results, stats = backend.extract(structure, chunks)
    assert stats.llm_calls == 1 and stats.items_dropped == 0
    review, problems, plans = (results[by_role[r]] for r in ("review", "problems", "plans"))
    assert [m.value for m in review.metrics] == [4.01]
    assert [m.value for m in plans.metrics] == [20]
    assert [p.evidence.quote for p in problems.problems] == ["一是经济增长动力不足"]
    assert len(plans.plans) == 1 and not review.plans and not problems.metrics
    for result in results:
        chunk = chunks[result.chunk_index]
        for item in result.metrics + result.problems + result.plans:
            ev = item.evidence
            assert REPORT[ev.start : ev.end] == ev.quote and chunk.start <= ev.start < chunk.end


def test_a_quote_across_two_packed_chunks_grounds_in_the_first(
    server: ScriptedServer, tmp_path: Path
) -> None:
    text = "全年完成税收12.5亿元，同比增长3.2%。新建口袋公园3个。"
    cut = text.index("亿元") - 2  # mid-figure: the chunker would not cut here, a caller may
    chunks = make_chunks([(text[:cut], "review"), (text[cut:], "review")])
    backend, _ = backend_for(server, tmp_path)
    payload = {
        "metrics": [
            {"name": "税收", "value": 12.5, "unit": "亿元", "quote": "全年完成税收12.5亿元"}
        ],
        "achievements": [{"title": "公园", "quote": "新建口袋公园3个"}],
    }
    server.enqueue(Row(payload=payload))
    results, _ = backend.extract(parse_structure(text), chunks)
    assert len(server.requests) == 1
    (metric,) = results[0].metrics
    assert (metric.evidence.start, metric.evidence.end) == (0, len("全年完成税收12.5亿元"))
    (park,) = results[1].achievements
    assert text[park.evidence.start : park.evidence.end] == "新建口袋公园3个"
    assert not results[0].achievements and not results[1].metrics


def test_prefetched_calls_are_made_once_and_the_rerun_is_cached_per_call(
    server: ScriptedServer, tmp_path: Path
) -> None:
    backend, settings = backend_for(server, tmp_path, chunk_size=200)
    text = REPORT.replace("新建口袋公园3个。", "新建口袋公园3个。" + "完成老旧小区改造12个。" * 40)
    structure, chunks = prepared(text, settings)
    calls = backend.plan(chunks)
    assert len(calls) > 1
    backend.prefetch(chunks)
    first, stats = backend.extract(structure, chunks)
    assert len(server.requests) == stats.llm_calls == len(calls)
    again, stats = get_backend(settings).extract(structure, chunks)
    sent = sum(len(call.chunks) for call in calls)
    assert (stats.llm_calls, stats.cache_hits) == (0, sent)  # the cache holds chunks
    dump = [json.dumps([m.model_dump() for m in r.metrics]) for r in first]
    assert dump == [json.dumps([m.model_dump() for m in r.metrics]) for r in again]


# --- the tail of a batch, and the per-chunk cache -----------------------------------------------

LONG = REPORT.replace("新建口袋公园3个。", "新建口袋公园3个。" + "完成老旧小区改造12个。" * 30)


def batch_folder(tmp_path: Path) -> Path:
    """Three reports whose fewest calls (chunk_size 150) do not fill rounds of 4. No two
    chunks are alike, so none is served from another report's cache entry."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in "abc":
        text = "\n".join(line + name if line.strip() else line for line in LONG.split("\n"))
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_the_last_report_of_a_batch_is_split_to_fill_the_last_round(
    server: ScriptedServer, tmp_path: Path
) -> None:
    from summarizer.batch import run_batch

    backend, settings = backend_for(server, tmp_path, chunk_size=150, concurrency=4)
    folder = batch_folder(tmp_path)
    plans = [
        backend.plan(prepared(p.read_text("utf-8"), settings)[1]) for p in sorted(folder.iterdir())
    ]
    fewest = sum(len(p) for p in plans)
    assert fewest % 4, "the case needs a partly filled last round"
    result = run_batch(folder, tmp_path / "out", settings, backend=backend)
    assert result.ok
    calls = [s.run.llm_calls for s in result.summaries]
    assert sum(calls) == len(server.requests) == fewest + (-fewest % 4), (calls, plans)
    assert calls[:2] == [len(plans[0]), len(plans[1])] and calls[2] > len(plans[2])
    chars = sum(len(call.text) for call in plans[2])
    assert calls[2] * (2 * settings.chunk_size // 4) <= chars, "calls of half a chunk at least"
    for summary, path in zip(result.summaries, sorted(folder.iterdir()), strict=True):
        assert_grounded(path.read_text("utf-8"), summary)


def test_the_cache_serves_chunks_whichever_call_carried_them(
    server: ScriptedServer, tmp_path: Path
) -> None:
    from summarizer.batch import run_batch
    from summarizer.pipeline import summarize

    backend, settings = backend_for(server, tmp_path, chunk_size=150, concurrency=4)
    folder = batch_folder(tmp_path)
    batch = run_batch(folder, tmp_path / "out", settings, backend=backend)
    sent = len(server.requests)
    # Alone, the last report is packed into fewer, larger calls: every chunk is cached.
    again = summarize(folder / "c.txt", settings, get_backend(settings))
    assert len(server.requests) == sent and again.run.llm_calls == 0
    assert again.metrics == batch.summaries[-1].metrics
    assert again.achievements == batch.summaries[-1].achievements
    # Another concurrency packs the tail differently: still nothing to ask.
    other = settings.with_(concurrency=3)
    rerun = run_batch(folder, tmp_path / "out2", other, backend=get_backend(other))
    assert len(server.requests) == sent
    assert [s.run.llm_calls for s in rerun.summaries] == [0, 0, 0]
