"""The offline extractor: deterministic rules over the report's structure. No network, no model.

Metrics are read chunk by chunk (one role at a time, web debris and study/appendix sections
skipped; the preamble is read because reports put headline figures there). Achievements,
problems and plans are read section by section from the whole structure, so an item never
depends on where a chunk boundary falls; each item is then handed to the chunk holding its
evidence start, and the merge step sees every item exactly once.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from summarizer.config import Settings
from summarizer.errors import InternalError
from summarizer.extract.backend import ChunkResult, ExtractionStats, OnChunkDone
from summarizer.extract.rules.achievements import extract_achievements
from summarizer.extract.rules.items import extract_plans, extract_problems
from summarizer.extract.rules.metrics import extract_metrics
from summarizer.models import Achievement, Plan, Problem
from summarizer.read.chunking import Chunk
from summarizer.read.structure import Structure

__all__ = ["RulesBackend"]


def _role_runs(
    structure: Structure, boundaries: list[int], a: int, b: int
) -> list[tuple[int, int, str]]:
    """[a, b) cut where the role changes (`boundaries`, sorted): (start, end, role) runs."""
    lo, hi = bisect.bisect_right(boundaries, a), bisect.bisect_left(boundaries, b)
    bounds = [a, *boundaries[lo:hi], b]
    runs: list[tuple[int, int, str]] = []
    for s, e in itertools.pairwise(bounds):
        if e > s:
            runs.append((s, e, structure.role_at(s)))
    return runs


def _skipped_spans(structure: Structure) -> list[tuple[int, int]]:
    """Spans metrics are not read from: web debris and "other" sections (study, appendix,
    closing). The preamble is not a section, so it stays readable."""
    spans = list(structure.boilerplate)
    spans += [(s.start, s.end) for s in structure.sections if s.role == "other"]
    return sorted(spans)


class RulesBackend:
    name = "rules"
    model: str | None = None
    mode: str | None = None
    prompt_version = "rules-2"
    concurrency = 0  # extracts in the caller's thread: nothing runs in the background

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def prefetch(self, chunks: Sequence[Chunk], last: bool = False) -> None:
        pass  # nothing to start early: `extract` does all the work

    def waiting(self) -> int:
        return 0

    def close(self) -> None:
        pass  # holds no threads, connections or files

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        text = structure.text
        results = [ChunkResult(chunk.index) for chunk in chunks]
        if not chunks:
            return results, ExtractionStats()
        starts = [chunk.start for chunk in chunks]

        def home(offset: int) -> ChunkResult:
            return results[max(0, bisect.bisect_right(starts, offset) - 1)]

        for ach in extract_achievements(structure):
            home(ach.evidence.start).achievements.append(ach)
        for prob in extract_problems(structure):
            home(prob.evidence.start).problems.append(prob)
        for plan in extract_plans(structure):
            home(plan.evidence.start).plans.append(plan)
        _check_grounded(text, results)

        skip = _skipped_spans(structure)
        boundaries = structure.role_boundaries()
        for chunk, result in zip(chunks, results, strict=True):
            for a, b, role in _role_runs(structure, boundaries, chunk.start, chunk.end):
                if role in ("boilerplate", "other") and structure.innermost(a) is not None:
                    continue
                metric_role = "review" if role in ("other", "boilerplate") else role
                if role == "problems" and structure.plans_at(a):
                    metric_role = "plans"  # a plan item's reason, and the task after it
                result.metrics.extend(extract_metrics(text, a, b, role=metric_role, skip=skip))
            if on_chunk_done:
                on_chunk_done(1)
        return results, ExtractionStats()


def _check_grounded(text: str, results: list[ChunkResult]) -> None:
    items: list[Achievement | Problem | Plan] = []
    for r in results:
        items += [*r.achievements, *r.problems, *r.plans]
    for item in items:
        ev = item.evidence
        if text[ev.start : ev.end] != ev.quote:  # built from offsets: a bug if it ever happens
            raise InternalError(f"rules backend: ungrounded quote at {ev.start}:{ev.end}")
