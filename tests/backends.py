"""A rules backend that records what the pipeline asks of it, and can fail on request."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from summarizer.extract import backend as backend_module
from summarizer.extract.backend import ChunkResult, ExtractionStats, OnChunkDone
from summarizer.extract.rules.backend import RulesBackend
from summarizer.read.chunking import Chunk
from summarizer.read.structure import Structure


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


class RecordingBackend(RulesBackend):
    """Extracts like the rules backend and logs `events`: ("prefetch" | "extract", the
    report's first line) and ("close", ""). `fail` is raised by every `extract`; `queued` is
    what `waiting()` answers, and `concurrency` may be set to act like an LLM backend."""

    def __init__(self, fail: BaseException | None = None, concurrency: int = 0) -> None:
        super().__init__()
        self.fail = fail
        self.concurrency = concurrency
        self.queued = 0
        self.events: list[tuple[str, str]] = []

    @property
    def closed(self) -> int:
        return self.events.count(("close", ""))

    def prefetch(self, chunks: Sequence[Chunk], last: bool = False) -> None:
        self.events.append(("prefetch", first_line(chunks[0].text)))

    def waiting(self) -> int:
        return self.queued

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        self.events.append(("extract", first_line(structure.text)))
        if self.fail is not None:
            raise self.fail
        return super().extract(structure, chunks, on_chunk_done)

    def close(self) -> None:
        self.events.append(("close", ""))


def install(monkeypatch: pytest.MonkeyPatch, backend: RecordingBackend) -> RecordingBackend:
    """Make `backend` the one every `get_backend(settings)` returns."""
    monkeypatch.setattr(backend_module, "get_backend", lambda settings: backend)
    return backend
