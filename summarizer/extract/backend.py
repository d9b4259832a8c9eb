"""Extraction backends. A backend turns chunks into items with grounded evidence.

The registry maps a name to "module:attr" and imports late, so `summarizer --help` and the
rules backend never import openai or instructor.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from summarizer.errors import ConfigError
from summarizer.models import Achievement, Metric, Plan, Problem

if TYPE_CHECKING:
    from summarizer.config import Settings
    from summarizer.read.chunking import Chunk
    from summarizer.read.structure import Structure

__all__ = ["REGISTRY", "Backend", "ChunkResult", "ExtractionStats", "get_backend", "open_backend"]


@dataclass
class ChunkResult:
    """Items found in one chunk; every evidence offset indexes the whole report text."""

    chunk_index: int
    achievements: list[Achievement] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)


@dataclass
class ExtractionStats:
    llm_calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    items_dropped: int = 0
    batches: list[str] = field(default_factory=list)  # Batch API batches that answered calls

    def add(self, other: ExtractionStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


OnChunkDone = Callable[[int], None]


class Backend(Protocol):
    name: str
    model: str | None
    mode: str | None
    prompt_version: str
    # Calls the backend runs at once in the background; 0 when it extracts in the caller's
    # thread (rules), so reading reports ahead of the one being finished gains nothing.
    concurrency: int

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        """Extract every chunk; results in chunk order."""
        ...

    def prefetch(self, chunks: Sequence[Chunk], last: bool = False) -> None:
        """Start on `chunks` now (a report read ahead), so `extract` later finds them under
        way; `last`: no report follows in this run."""
        ...

    def waiting(self) -> int:
        """Calls started and not finished: how much work the backend still has queued."""
        ...

    def close(self) -> None:
        """Cancel what is still queued and release the backend's threads and files."""
        ...


REGISTRY: dict[str, str] = {
    "rules": "summarizer.extract.rules.backend:RulesBackend",
    "openai": "summarizer.extract.llm.backend:OpenAIBackend",
}


def get_backend(settings: Settings) -> Backend:
    target = REGISTRY.get(settings.backend)
    if target is None:
        raise ConfigError(
            f"unknown backend {settings.backend!r}: choose one of {', '.join(REGISTRY)}"
        )
    module_name, attr = target.split(":")
    cls = getattr(importlib.import_module(module_name), attr)
    backend: Backend = cls(settings)
    return backend


@contextmanager
def open_backend(settings: Settings, backend: Backend | None = None) -> Iterator[Backend]:
    """`backend` as given (its owner closes it), or a new one for `settings`, closed on the
    way out however the run ends: done, failed, or stopped by Ctrl-C, when closing cancels
    the queued calls so that none is sent (and paid for) afterwards."""
    if backend is not None:
        yield backend
        return
    own = get_backend(settings)
    try:
        yield own
    finally:
        own.close()
