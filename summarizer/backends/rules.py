"""The offline extractor: deterministic rules over the report's structure.

INTERIM VERSION: returns nothing yet; to be built.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..chunking import Chunk
from ..config import Settings
from ..structure import Structure
from . import ChunkResult, ExtractionStats, OnChunkDone

__all__ = ["RulesBackend"]


class RulesBackend:
    name = "rules"
    model: str | None = None
    mode: str | None = None
    prompt_version = "rules-1"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def extract(
        self,
        structure: Structure,
        chunks: Sequence[Chunk],
        on_chunk_done: OnChunkDone | None = None,
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        results = []
        for chunk in chunks:
            results.append(ChunkResult(chunk.index))
            if on_chunk_done:
                on_chunk_done(1)
        return results, ExtractionStats()
