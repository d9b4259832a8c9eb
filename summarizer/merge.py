"""Merge chunk results: drop duplicates across chunk boundaries, order by position, stable ids.

Both backends go through here, so the rules and LLM outputs obey the same laws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from .backends import ChunkResult
from .errors import InternalError
from .indicators import canonical_name
from .models import Achievement, Metric, Plan, Problem

__all__ = ["Merged", "merge_results"]

T = TypeVar("T", Achievement, Metric, Plan, Problem)


class Merged:
    def __init__(self) -> None:
        self.achievements: list[Achievement] = []
        self.metrics: list[Metric] = []
        self.problems: list[Problem] = []
        self.plans: list[Plan] = []


def _item_id(prefix: str, item: Achievement | Metric | Plan | Problem) -> str:
    ev = item.evidence
    key = f"{ev.start}:{ev.end}:{getattr(item, 'name', '')}:{getattr(item, 'value', '')}"
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def _dedupe(items: list[T], prefix: str, text: str) -> list[T]:
    """Document order; an item whose span lies inside an earlier kept one of the same kind
    (and, for metrics, the same value and unit) is a duplicate."""
    items = sorted(items, key=lambda it: (it.evidence.start, -it.evidence.end))
    kept: list[T] = []
    for item in items:
        ev = item.evidence
        if text[ev.start : ev.end] != ev.quote:
            raise InternalError(f"ungrounded evidence at {ev.start}:{ev.end}: {ev.quote[:30]!r}")
        dup = False
        for other in reversed(kept[-8:]):
            oe = other.evidence
            inside = oe.start <= ev.start and ev.end <= oe.end
            if isinstance(item, Metric) and isinstance(other, Metric):
                same = (item.value, item.unit, item.name) == (other.value, other.unit, other.name)
                dup = same and (inside or (ev.start, ev.end) == (oe.start, oe.end))
            else:
                dup = inside
            if dup:
                break
        if not dup:
            kept.append(item.model_copy(update={"id": _item_id(prefix, item)}))
    return kept


def merge_results(results: Sequence[ChunkResult], text: str) -> Merged:
    merged = Merged()
    merged.achievements = _dedupe([a for r in results for a in r.achievements], "a", text)
    metrics = [
        m if m.canonical_name else m.model_copy(update={"canonical_name": canonical_name(m.name)})
        for r in results
        for m in r.metrics
    ]
    merged.metrics = _dedupe(metrics, "m", text)
    merged.problems = _dedupe([p for r in results for p in r.problems], "p", text)
    merged.plans = _dedupe([p for r in results for p in r.plans], "n", text)
    return merged
