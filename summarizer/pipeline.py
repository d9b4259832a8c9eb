"""The pipeline a Python user calls: report → structure → chunks → backend → merge → Summary.

    >>> from summarizer import summarize
    >>> s = summarize("seeds/000_d690860a6c90c664.txt")
    >>> s.metrics[0].value

No rich, no typer here: the CLI and console are layers on top.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from summarizer.config import Settings
from summarizer.extract.backend import Backend, ChunkResult, OnChunkDone, get_backend
from summarizer.extract.merge import merge_results
from summarizer.models import Achievement, Metric, Plan, Problem, ReportMeta, RunInfo, Summary
from summarizer.read.chunking import Chunk, chunk_report
from summarizer.read.layout import layout_text
from summarizer.read.source import Report, read_report
from summarizer.read.structure import Structure, parse_structure

__all__ = ["prepare", "summarize", "summarize_report"]


def prepare(report: Report, settings: Settings) -> tuple[Structure, list[Chunk]]:
    structure = parse_structure(layout_text(report.text))
    return structure, chunk_report(structure, settings.chunk_size)


def summarize_report(
    report: Report,
    settings: Settings | None = None,
    backend: Backend | None = None,
    *,
    on_chunks: Callable[[int], None] | None = None,
    on_chunk_done: OnChunkDone | None = None,
    prepared: tuple[Structure, list[Chunk]] | None = None,
) -> Summary:
    """Summarise an already decoded report. `on_chunks(n)` is told the chunk count first;
    `prepared` is `prepare(report, settings)` when the caller has already made it."""
    settings = settings or Settings()
    backend = backend or get_backend(settings)
    t0 = time.perf_counter()
    structure, chunks = prepared or prepare(report, settings)
    if on_chunks:
        on_chunks(len(chunks))
    results, stats = backend.extract(structure, chunks, on_chunk_done)
    if structure.text is not report.text:
        _restore_quotes(results, report.text)
    merged = merge_results(results, report.text)
    meta = ReportMeta(
        id=report.id,
        source=report.source,
        entity=structure.entity,
        year=structure.year,
        period=structure.period,
        kind=structure.kind,
        chars=len(report.text),
        sha256=report.sha256,
    )
    run = RunInfo(
        backend=backend.name,
        model=backend.model,
        mode=backend.mode,
        prompt_version=backend.prompt_version,
        chunks=len(chunks),
        llm_calls=stats.llm_calls,
        cache_hits=stats.cache_hits,
        input_tokens=stats.input_tokens,
        output_tokens=stats.output_tokens,
        retries=stats.retries,
        reasks=stats.reasks,
        items_dropped=stats.items_dropped,
        seconds=round(time.perf_counter() - t0, 4),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    return Summary(
        report=meta,
        achievements=merged.achievements,
        metrics=merged.metrics,
        problems=merged.problems,
        plans=merged.plans,
        run=run,
    )


def _restore_quotes(results: Sequence[ChunkResult], text: str) -> None:
    """Quotes read from the layout text, taken back from the decoded text (same offsets)."""
    for result in results:
        items: list[Achievement | Metric | Problem | Plan] = [
            *result.achievements,
            *result.metrics,
            *result.problems,
            *result.plans,
        ]
        for item in items:
            item.evidence.quote = text[item.evidence.start : item.evidence.end]


def summarize(
    path: str | Path, settings: Settings | None = None, backend: Backend | None = None
) -> Summary:
    """Read one report file and summarise it."""
    settings = settings or Settings()
    return summarize_report(read_report(path, max_bytes=settings.max_bytes), settings, backend)
