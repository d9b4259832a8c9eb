"""The source view's content: the report text cut into segments by the evidence spans.

Evidence spans overlap (a metric inside an achievement's quote, two metrics from one clause),
so the text is cut at every span boundary; each segment knows every item that covers it and
takes its colour from the innermost one. An empty anchor marks where each item's span starts,
so that the briefing's link `#ev-…` lands on the first character of the quote.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from summarizer.models import Achievement, Metric, Plan, Problem, Summary
from summarizer.render.format import (
    CATEGORY_LABELS,
    KIND_PREFIX,
    anchor_id,
    level_change,
    metric_value,
    span_label,
    status_label,
)
from summarizer.render.versions import as_version_2

__all__ = ["Segment", "SourceItem", "source_items", "source_segments"]

KIND_LABELS_ZH = {"achievement": "成绩", "metric": "指标", "problem": "问题", "plan": "计划"}


@dataclass(frozen=True)
class SourceItem:
    anchor: str
    kind: str
    start: int
    end: int
    tip: str  # the extracted item in one line, for the tooltip


@dataclass
class Segment:
    text: str
    kind: str | None = None  # colour: the innermost covering item's kind
    items: list[SourceItem] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # items whose span starts here

    @property
    def tip(self) -> str:
        return "\n".join(it.tip for it in self.items)

    @property
    def ids(self) -> str:
        return " ".join(it.anchor for it in self.items)


def _tip(kind: str, item: Achievement | Metric | Problem | Plan) -> str:
    if isinstance(item, Metric):
        change = level_change(item)
        status = status_label(item)
        written = span_label(item) if item.span == "multi_year" else item.period
        period = f"{written}，" if written else ""
        return (
            f"指标｜{item.name} {metric_value(item)[0]}"
            + (f" {change}" if change else "")
            + f"（{period}{status}）"
        )
    if isinstance(item, Achievement):
        return f"成绩｜{CATEGORY_LABELS.get(item.category, item.category)}｜{item.title}"
    return f"{KIND_LABELS_ZH[kind]}｜{item.title}"


def source_items(summary: Summary, text: str) -> list[SourceItem]:
    """Every grounded evidence span of `summary`. A span that does not match `text` is left
    out (the source view shows what is there; the pipeline already refuses ungrounded output)."""
    summary = as_version_2(summary)
    out: list[SourceItem] = []
    lists: list[tuple[str, Sequence[Achievement | Metric | Problem | Plan]]] = [
        ("metric", summary.metrics),
        ("achievement", summary.achievements),
        ("problem", summary.problems),
        ("plan", summary.plans),
    ]
    for kind, items in lists:
        for i, item in enumerate(items):
            ev = item.evidence
            if 0 <= ev.start < ev.end <= len(text) and text[ev.start : ev.end] == ev.quote:
                anchor = anchor_id(KIND_PREFIX[kind], i, item.id)
                out.append(SourceItem(anchor, kind, ev.start, ev.end, _tip(kind, item)))
    return out


def source_segments(text: str, items: list[SourceItem]) -> Iterator[Segment]:
    """`text` cut at every span boundary, in order; the segments' texts concatenate to `text`.
    Made one at a time as the page is written: all at once they are a copy of the report."""
    cuts = {0, len(text)}
    for it in items:
        cuts.update((it.start, it.end))
    bounds = sorted(cuts)
    starts: dict[int, list[SourceItem]] = {}
    for it in sorted(items, key=lambda x: (x.start, -x.end)):
        starts.setdefault(it.start, []).append(it)
    active: list[SourceItem] = []
    for a, b in itertools.pairwise(bounds):
        active = [it for it in active if it.end > a] + starts.get(a, [])
        if a == b:
            continue
        covering = sorted(active, key=lambda it: it.end - it.start)
        yield Segment(
            text=text[a:b],
            kind=covering[0].kind if covering else None,
            items=covering,
            anchors=[it.anchor for it in starts.get(a, [])],
        )
