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

from summarizer.read.chunking import Chunk

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


def plan_calls(
    chunks: Sequence[Chunk], budget: int, extra: int = 0, least: int = 1
) -> list[LLMCall]:
    """The calls for `chunks` (document order), each at most `budget` characters unless a
    single chunk is longer. Boilerplate and whitespace-only runs get no call.

    `extra` asks for up to that many calls more than the fewest, none (on average) under
    `least` characters and never more than one per chunk: the calls are then smaller and
    finish sooner, which is what the last report of a batch wants when workers are idle."""
    runs = [run for run in _runs(chunks) if any(chunk.text.strip() for chunk in run)]
    sizes = [[len(chunk.text) for chunk in run] for run in runs]
    counts = [len(_greedy(s, budget)) for s in sizes]
    target = sum(counts)
    if extra > 0 and runs:
        most = min(sum(map(len, sizes)), max(target, sum(map(sum, sizes)) // max(least, 1)))
        target = min(target + extra, most)
        cap = _smallest_cap(sizes, target, budget)
        counts = [len(_greedy(s, cap)) for s in sizes]
    parts: list[list[Chunk]] = []
    for run, run_sizes, count in zip(runs, sizes, counts, strict=True):
        i = 0
        for n in _greedy(run_sizes, _smallest_cap([run_sizes], count, budget)):
            parts.append(run[i : i + n])
            i += n
    while len(parts) < target:  # the cap stepped past `target`: halve the largest parts
        part = max((p for p in parts if len(p) > 1), key=_size)
        at = parts.index(part)
        parts[at : at + 1] = _halves(part)
    return [LLMCall(tuple(part)) for part in parts]


def _size(part: Sequence[Chunk]) -> int:
    return sum(len(chunk.text) for chunk in part)


def _halves(part: list[Chunk]) -> list[list[Chunk]]:
    """`part` cut at the chunk boundary that makes the larger half smallest."""
    cut = min(range(1, len(part)), key=lambda i: max(_size(part[:i]), _size(part[i:])))
    return [part[:cut], part[cut:]]


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
    than `cap` is a part of its own. No split under that rule has fewer parts, and the count
    only falls as `cap` grows."""
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


def _smallest_cap(runs: list[list[int]], parts: int, budget: int) -> int:
    """The smallest cap in 1..budget with which `_greedy` cuts `runs` into at most `parts`
    parts in all (it does at `budget`, and the count only falls as the cap grows): the most
    even split into that many parts."""
    lo, hi = 1, budget
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(len(_greedy(sizes, mid)) for sizes in runs) <= parts:
            hi = mid
        else:
            lo = mid + 1
    return lo
