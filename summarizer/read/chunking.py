"""Structure-aware chunks of bounded size that cover the text exactly.

Each chunk is `text[start:end]`; consecutive chunks touch and together they are the whole text.
A chunk never spans a change of role (review / problems / plans / other / boilerplate), so an
extractor that reads a chunk sees one role. Inside a role, a chunk ends at the best place before
the size bound: a section start, else a paragraph end, else a sentence end (。！？；), and only
when a single sentence is longer than the bound at a clause mark (，、：) or, last, anywhere.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from summarizer.models import Horizon
from summarizer.read.headings import Role
from summarizer.read.structure import Structure

__all__ = ["DEFAULT_CHUNK_SIZE", "Chunk", "chunk_report"]

DEFAULT_CHUNK_SIZE = 2500

_SENTENCE_ENDS = "。！？；!?;"
_CLAUSE_ENDS = "，、,：:"
_CLOSERS = "”’」』）)"


@dataclass(frozen=True)
class Chunk:
    """A slice `text[start:end]` of the report with the section it belongs to."""

    index: int
    start: int
    end: int
    text: str
    section_path: tuple[str, ...]
    role: Role
    horizon: Horizon = "unspecified"  # plan horizon of the section (plans chunks only)


def _line_start(text: str, pos: int) -> int:
    """`pos` moved back to its line start when only indentation lies between."""
    p = text.rfind("\n", 0, pos) + 1
    return p if text[p:pos].strip() == "" else pos


def _last_in(cuts: list[int], lo: int, hi: int) -> int | None:
    """The largest cut c with lo < c <= hi, or None."""
    i = bisect.bisect_right(cuts, hi) - 1
    return cuts[i] if i >= 0 and cuts[i] > lo else None


def _last_after(text: str, marks: str, lo: int, hi: int) -> int | None:
    """The largest cut lo < c <= hi just after one of `marks` (and any closing quotes after it).

    str.rfind per mark keeps this in C: chunking a report costs a few scans of each window.
    """
    best = None
    for mark in marks:
        p = text.rfind(mark, lo, hi)
        if p >= 0:
            cut = p + 1
            while cut < hi and text[cut] in _CLOSERS:
                cut += 1
            best = cut if best is None else max(best, cut)
    return best


def chunk_report(structure: Structure, max_chars: int = DEFAULT_CHUNK_SIZE) -> list[Chunk]:
    """Cut the report into chunks of at most `max_chars` characters (see module doc)."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    text = structure.text
    n = len(text)
    if n == 0:
        return []
    hard = sorted({_line_start(text, p) for p in structure.role_boundaries()} - {0, n})
    section_cuts = sorted({_line_start(text, s.start) for s in structure.sections} - {0})

    spans: list[tuple[int, int]] = []
    start = 0
    while start < n:
        k = bisect.bisect_right(hard, start)
        next_hard = hard[k] if k < len(hard) else n
        limit = min(start + max_chars, next_hard)
        end = limit
        if limit < next_hard:
            fill = start + max_chars // 3  # structural cuts only once the chunk is a third full
            for marks, lo in (
                (None, fill),
                ("\n", fill),
                (_SENTENCE_ENDS, fill),
                ("\n", start),
                (_SENTENCE_ENDS, start),
                (_CLAUSE_ENDS, start),
            ):
                if marks is None:
                    cut = _last_in(section_cuts, lo, limit)
                else:
                    cut = _last_after(text, marks, lo, limit)
                if cut is not None:
                    end = cut
                    break
        spans.append((start, end))
        start = end

    # A whitespace-only sliver (the blank line after a role change) joins its neighbour.
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and text[a:b].strip() == "" and b - merged[-1][0] <= max_chars:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))

    chunks: list[Chunk] = []
    for a, b in merged:
        piece = text[a:b]
        anchor = a + (len(piece) - len(piece.lstrip())) if piece.strip() else a
        chunks.append(
            Chunk(
                index=len(chunks),
                start=a,
                end=b,
                text=piece,
                section_path=structure.path_at(anchor),
                role=structure.role_at(anchor),
                horizon=structure.plan_horizon_at(anchor),
            )
        )
    return chunks
