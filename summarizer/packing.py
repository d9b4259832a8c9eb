"""Which chunks the LLM reads together: consecutive chunks packed into calls of bounded size.

The chunker cuts at every change of role, so a report yields small chunks too (a title line,
a problems passage of a few hundred characters), and every call repeats the same fixed system
prompt and response schema. Packing consecutive chunks into one call, up to a character budget,
pays that overhead once per call instead of once per chunk.

A call's chunks are contiguous, so its text is the report slice `text[start:end]`: a quote found
in it grounds at `start + index`, and the item belongs to the chunk holding the quote's first
character. Boilerplate chunks (web debris, where nothing may be extracted) are never sent, and
they end a run, so that every call stays one contiguous slice.

A run of chunks is split into the fewest calls the budget allows and, among those splits, into
the one whose largest call is smallest: calls of one report then take about as long as each
other on a pool of workers, and none is needlessly near the model's output limit.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from .chunking import Chunk

__all__ = ["LLMCall", "plan_calls"]


@dataclass(frozen=True)
class LLMCall:
    """Consecutive chunks sent in one request; `text` is `report[start:end]`."""

    chunks: tuple[Chunk, ...]

    @property
    def start(self) -> int:
        return self.chunks[0].start

    @property
    def end(self) -> int:
        return self.chunks[-1].end

    @cached_property
    def text(self) -> str:
        return "".join(chunk.text for chunk in self.chunks)

    @property
    def label(self) -> str:
        """How messages name the call: its chunk indexes and report offsets."""
        first, last = self.chunks[0].index, self.chunks[-1].index
        which = f"chunk {first}" if first == last else f"chunks {first}-{last}"
        return f"{which} ({self.start}-{self.end})"

    def owner(self, offset: int) -> int:
        """Position in `chunks` of the chunk that holds report offset `offset`."""
        starts = [chunk.start for chunk in self.chunks]
        return max(0, bisect.bisect_right(starts, offset) - 1)


def plan_calls(chunks: Sequence[Chunk], budget: int) -> list[LLMCall]:
    """The calls for `chunks` (document order), each at most `budget` characters unless a
    single chunk is longer. Boilerplate and whitespace-only runs get no call."""
    calls: list[LLMCall] = []
    for run in _runs(chunks):
        if any(chunk.text.strip() for chunk in run):
            calls.extend(LLMCall(tuple(part)) for part in _balanced(run, budget))
    return calls


def _runs(chunks: Sequence[Chunk]) -> Iterator[list[Chunk]]:
    """Maximal runs of contiguous chunks that are not boilerplate."""
    run: list[Chunk] = []
    for chunk in chunks:
        if chunk.role == "boilerplate" or (run and run[-1].end != chunk.start):
            if run:
                yield run
            run = []
        if chunk.role != "boilerplate":
            run.append(chunk)
    if run:
        yield run


def _greedy(sizes: list[int], cap: int) -> list[int]:
    """Part lengths (in chunks) from filling each part up to `cap` characters; a chunk longer
    than `cap` is a part of its own. No split under that rule has fewer parts."""
    parts: list[int] = []
    total = count = 0
    for size in sizes:
        if count and total + size > cap:
            parts.append(count)
            total = count = 0
        total += size
        count += 1
    if count:
        parts.append(count)
    return parts


def _balanced(run: list[Chunk], budget: int) -> list[list[Chunk]]:
    sizes = [len(chunk.text) for chunk in run]
    fewest = len(_greedy(sizes, budget))
    # The smallest cap that still needs no more parts (the part count only falls as the cap
    # grows, so binary search); no part can be smaller than the largest chunk within budget.
    lo, hi = min(max(sizes), budget), budget
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_greedy(sizes, mid)) <= fewest:
            hi = mid
        else:
            lo = mid + 1
    parts, i = [], 0
    for count in _greedy(sizes, lo):
        parts.append(run[i : i + count])
        i += count
    return parts
