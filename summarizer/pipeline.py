"""The pipeline a Python user calls: report → structure → chunks → backend → merge → Summary.

    >>> from summarizer import summarize
    >>> s = summarize("seeds/000_d690860a6c90c664.txt")
    >>> s.metrics[0].value

`iter_summaries` runs it over many reports (a batch, an eval), reading ahead for an LLM backend.
No rich, no typer here: the CLI and console are layers on top.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from summarizer.config import Settings
from summarizer.extract.backend import Backend, ChunkResult, OnChunkDone, open_backend
from summarizer.extract.figures import FigureContext, read_figure
from summarizer.extract.merge import merge_results
from summarizer.models import Achievement, Metric, Plan, Problem, ReportMeta, RunInfo, Summary
from summarizer.read.chunking import Chunk, chunk_report
from summarizer.read.five_years import FiveYearParts
from summarizer.read.layout import layout_text
from summarizer.read.meta import guess_level
from summarizer.read.source import Report, read_report
from summarizer.read.structure import Structure, parse_structure

__all__ = ["iter_summaries", "prepare", "summarize", "summarize_report"]

Prepared = tuple[Structure, list[Chunk]]

_MAX_AHEAD = 8  # reports held in memory ahead of the one being finished


def prepare(report: Report, settings: Settings) -> Prepared:
    structure = parse_structure(layout_text(report.text))
    return structure, chunk_report(structure, settings.chunk_size)


def summarize_report(
    report: Report,
    settings: Settings | None = None,
    backend: Backend | None = None,
    *,
    on_chunks: Callable[[int], None] | None = None,
    on_chunk_done: OnChunkDone | None = None,
    prepared: Prepared | None = None,
) -> Summary:
    """Summarise an already decoded report. `on_chunks(n)` is told the chunk count first;
    `prepared` is `prepare(report, settings)` when the caller has already made it. Without a
    `backend`, one is made for `settings` and closed before returning, however it ends."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    with open_backend(settings, backend) as backend:  # made first: a bad setting fails at once
        structure, chunks = prepared or prepare(report, settings)
        del prepared  # the chunks' texts (a copy of the report) go once they are extracted
        n_chunks = len(chunks)
        if on_chunks:
            on_chunks(n_chunks)
        results, stats = backend.extract(structure, chunks, on_chunk_done)
        del chunks
        if structure.text is not report.text:
            _restore_quotes(results, report.text)
    merged = merge_results(results, report.text)
    del results  # the merged items are all that is kept: the chunks' lists let go of the rest
    given = settings.meta.get(report.id) if settings.meta else None
    entity = given.entity if given and given.entity else structure.entity
    meta = ReportMeta(
        id=report.id,
        source=report.source,
        entity=entity,
        year=given.year if given and given.year else structure.year,
        period=structure.period,
        kind=given.kind if given and given.kind else structure.kind,
        level=guess_level(entity),
        chars=len(report.text),
        sha256=report.sha256,
    )
    run = RunInfo(
        backend=backend.name,
        model=backend.model,
        mode=backend.mode,
        prompt_version=backend.prompt_version,
        chunks=n_chunks,
        llm_calls=stats.llm_calls,
        cache_hits=stats.cache_hits,
        input_tokens=stats.input_tokens,
        output_tokens=stats.output_tokens,
        retries=stats.retries,
        reasks=stats.reasks,
        items_dropped=stats.items_dropped,
        batches=sorted(set(stats.batches)),
        seconds=round(time.perf_counter() - t0, 4),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    terms = FiveYearParts.of(structure)
    metrics = merged.metrics
    for i, m in enumerate(metrics):  # each metric replaced by its figure, freed as it goes
        metrics[i] = read_figure(m, _figure_context(m, structure, meta, terms))
    return Summary(
        report=meta,
        achievements=merged.achievements,
        metrics=metrics,
        problems=merged.problems,
        plans=merged.plans,
        run=run,
    )


def _figure_context(
    m: Metric, structure: Structure, meta: ReportMeta, terms: FiveYearParts
) -> FigureContext:
    at = m.evidence.start
    in_plans = structure.plans_at(at)
    return FigureContext(
        year=meta.year,
        kind=meta.kind,
        in_plans=in_plans,
        horizon=structure.plan_horizon_at(at) if in_plans else None,
        five_year_review=not in_plans and at in terms,
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


def iter_summaries(
    paths: Sequence[Path],
    settings: Settings,
    backend: Backend,
    *,
    read: Callable[[Path], Report] | None = None,
    on_report_start: Callable[[Path, int], None] | None = None,
    on_chunk_done: OnChunkDone | None = None,
) -> Iterator[tuple[Path, Report | None, Summary | Exception]]:
    """Summarise `paths` in order: `(path, report, summary)`, or the exception that stopped
    that report in place of its summary (`report` None when it was not read), so that one
    report's failure never stops the others; the caller decides what a failure means. Ctrl-C
    is not caught. `read` reads a report (default `read_report` within --max-mb);
    `on_report_start(path, chunks)` is called as each report starts.

    While report i is finished, the next reports are read, chunked and handed to the backend
    (`prefetch`), so its calls for report i+1 run while report i's last calls finish: reports
    are read ahead while fewer than two rounds of calls (2 × `backend.concurrency`) are
    queued, at most _MAX_AHEAD of them. A backend that works in the caller's thread
    (concurrency 0) gets no report ahead of time."""
    read = read or functools.partial(read_report, max_bytes=settings.max_bytes)

    def load(i: int) -> tuple[Report, Prepared] | Exception:
        try:
            report = read(paths[i])
            prepared = prepare(report, settings)
            backend.prefetch(prepared[1], last=i == len(paths) - 1)
        except Exception as exc:  # this report's failure, not the run's
            return exc
        return report, prepared

    ahead: dict[int, tuple[Report, Prepared] | Exception] = {}
    for i, path in enumerate(paths):
        loaded = ahead.pop(i) if i in ahead else load(i)
        j = i + 1 + len(ahead)
        while (
            j < len(paths) and j <= i + _MAX_AHEAD and backend.waiting() < 2 * backend.concurrency
        ):
            ahead[j] = load(j)
            j += 1
        if isinstance(loaded, Exception):
            yield path, None, loaded
            continue
        report, prepared = loaded
        on_chunks = functools.partial(on_report_start, path) if on_report_start else None
        try:
            summary = summarize_report(
                report,
                settings,
                backend,
                on_chunks=on_chunks,
                on_chunk_done=on_chunk_done,
                prepared=prepared,
            )
        except Exception as exc:
            yield path, report, exc
            continue
        yield path, report, summary
