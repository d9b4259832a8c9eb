"""The calls a run makes, found by custom_id: planned as the live path plans them, or rebuilt
from a report path and chunk indexes (a batch made by an earlier command, an export)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.packing import LLMCall
from summarizer.pipeline import prepare
from summarizer.read.chunking import Chunk
from summarizer.read.source import read_report

__all__ = ["CallBook", "Planned"]


@dataclass(frozen=True)
class Planned:
    call: LLMCall
    report: Path
    text: str  # the report text the chunks cover, against which cached items are checked

    def where(self) -> dict[str, Any]:
        """How the state file finds the call again."""
        return {"report": str(self.report), "chunks": [c.index for c in self.call.chunks]}


@dataclass
class CallBook:
    """Every call of a run by custom_id, and which of them the cache cannot serve yet."""

    backend: OpenAIBackend
    settings: Settings
    calls: dict[str, Planned] = field(default_factory=dict)
    needed: list[str] = field(default_factory=list)  # not cached, in plan order
    chunks: int = 0  # chunks of the planned reports

    def plan(self, paths: Sequence[Path]) -> CallBook:
        """Plan `paths` as `iter_summaries` does: in order, the last one rounding the run's
        calls up to a multiple of --concurrency; a report that cannot be read is skipped
        here and named when the reports are assembled."""
        planned, seen = 0, set()
        for i, path in enumerate(paths):
            try:
                report = read_report(path, max_bytes=self.settings.max_bytes)
                if report.id in seen:
                    continue
                seen.add(report.id)
                chunks = prepare(report, self.settings)[1]
            except SummarizerError:
                continue
            calls = self.backend.plan_report(chunks, i == len(paths) - 1, planned)
            planned += len(calls)
            self.chunks += len(chunks)
            self._add(path, chunks, calls, check_cache=True)
        return self

    def _add(
        self, path: Path, chunks: Sequence[Chunk], calls: Sequence[LLMCall], check_cache: bool
    ) -> None:
        text = "".join(chunk.text for chunk in chunks)
        for call in calls:
            cid = self.backend.call_id(call)
            if cid in self.calls:
                continue  # the same text twice (a copied report): asked once
            self.calls[cid] = Planned(call, path, text)
            if check_cache and not self.backend.is_cached(call, text):
                self.needed.append(cid)

    def find(self, cid: str, where: dict[str, Any] | None) -> Planned | None:
        """The call `cid`, rebuilt from `where` (`Planned.where`) when this run did not plan
        it; None when its report is gone or has changed."""
        if cid in self.calls or not where:
            return self.calls.get(cid)
        try:
            path = Path(where["report"])
            wanted = set(where["chunks"])
            chunks = prepare(read_report(path, max_bytes=self.settings.max_bytes), self.settings)[1]
        except (SummarizerError, KeyError, TypeError):
            return None
        call = LLMCall(tuple(c for c in chunks if c.index in wanted))
        if call.chunks:
            self._add(path, chunks, [call], check_cache=False)
        return self.calls.get(cid)
