"""Structure-aware chunks: bounded size, never cutting a sentence, covering the text exactly.

INTERIM VERSION: a first cut to fix the interface; to be refined.
"""

from __future__ import annotations

from dataclasses import dataclass

from .structure import Role, Structure

__all__ = ["DEFAULT_CHUNK_SIZE", "Chunk", "chunk_report"]

DEFAULT_CHUNK_SIZE = 2500


@dataclass(frozen=True)
class Chunk:
    """A slice `text[start:end]` of the report with the section it belongs to."""

    index: int
    start: int
    end: int
    text: str
    section_path: tuple[str, ...]
    role: Role


def chunk_report(structure: Structure, max_chars: int = DEFAULT_CHUNK_SIZE) -> list[Chunk]:
    text = structure.text
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind("。", start, end))
            if cut > start:
                end = cut + 1
        chunks.append(
            Chunk(
                len(chunks),
                start,
                end,
                text[start:end],
                structure.path_at(start),
                structure.role_at(start),
            )
        )
        start = end
    return chunks
