"""Merge chunk results: drop duplicates across chunk boundaries, order by position, stable ids.

Both backends go through here, so the rules and LLM outputs obey the same laws, and every
metric takes its canonical name here (`figure_indicator`: the indicator table in lexicon/).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from summarizer.errors import InternalError
from summarizer.extract.backend import ChunkResult
from summarizer.lexicon.indicators import figure_indicator
from summarizer.models import Achievement, Metric, Plan, Problem

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
    # Only metrics have a name and value (isinstance, not getattr: a missing attribute on a
    # pydantic model costs an exception each time).
    if isinstance(item, Metric):
        key = f"{ev.start}:{ev.end}:{item.name}:{item.value}"
    else:
        key = f"{ev.start}:{ev.end}::"
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def _with_id(item: T, item_id: str) -> T:
    """`item` with its id. A fresh item (no id yet: the backends hand them over and drop them)
    takes it in place — copying every kept item cost as much memory again as all the items on a
    large report. An item that already has an id may belong to an earlier summary, so it is
    copied, never relabelled."""
    if item.id:
        return item.model_copy(update={"id": item_id})
    item.id = item_id
    return item


def _dedupe(items: list[T], prefix: str, text: str) -> list[T]:
    """Document order; an item whose span lies inside an earlier kept one of the same kind
    (and, for metrics, the same value, unit and name) is a duplicate.

    Items are visited by start, longer first, so every kept item starts at or before the
    current one: the current span lies inside some kept span exactly when the furthest end
    among the kept items (of the same figure, for metrics) reaches its end. One number per
    figure therefore stands for every kept item, however far back: linear after the sort.
    """
    items = sorted(items, key=lambda it: (it.evidence.start, -it.evidence.end))
    kept: list[T] = []
    # furthest kept end per figure; a metric's figure is (value, unit, name), other kinds
    # have one figure (None). Read once per item: pydantic attribute reads add up.
    furthest: dict[tuple[float, str, str] | None, int] = {}
    for item in items:
        ev = item.evidence
        start, end = ev.start, ev.end
        if text[start:end] != ev.quote:
            raise InternalError(f"ungrounded evidence at {start}:{end}: {ev.quote[:30]!r}")
        key = (item.value, item.unit, item.name) if isinstance(item, Metric) else None
        if end <= furthest.get(key, -1):  # inside a kept span (an equal span is inside too)
            continue
        kept.append(_with_id(item, _item_id(prefix, item)))
        furthest[key] = end
    return kept


def _with_canonical(metric: Metric) -> Metric:
    """The metric with the canonical name the indicator table gives its name and unit — for
    both backends, whatever a backend set (no copy when there is nothing to change)."""
    canonical = figure_indicator(metric.name, metric.unit)
    if canonical == metric.canonical_name:
        return metric
    return metric.model_copy(update={"canonical_name": canonical})


def merge_results(results: Sequence[ChunkResult], text: str) -> Merged:
    merged = Merged()
    merged.achievements = _dedupe([a for r in results for a in r.achievements], "a", text)
    metrics = [_with_canonical(m) for r in results for m in r.metrics]
    merged.metrics = _dedupe(metrics, "m", text)
    merged.problems = _dedupe([p for r in results for p in r.problems], "p", text)
    merged.plans = _dedupe([p for r in results for p in r.plans], "n", text)
    return merged
