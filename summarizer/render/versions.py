"""Summaries of schema version 1 (the project's older outputs: a summaries.jsonl or <id>.json
written before version 2) rendered as version 2.

Version 1 has no measure, direction, bound, span or reference year, and gives a figure stated
only as a rate (下降3.2%) no sign. Rendered as they are, its defaults (measure "level", no
span) would show such a fall as a bare 3.2% and file every target under no year. So each
metric is read again by the one reader of what a figure means (extract.figures), from its
quote and the report's year and kind — what the pipeline decides today, except that a
version-1 file no longer says which part of the report a figure stood in.
"""

from __future__ import annotations

from summarizer.extract.figures import FigureContext, read_figure
from summarizer.models import Summary

__all__ = ["as_version_2"]


def as_version_2(s: Summary) -> Summary:
    """`s` itself when it is version 2; else a copy with every metric's version-2 fields read."""
    if s.schema_version != "1":
        return s
    ctx = FigureContext(year=s.report.year, kind=s.report.kind, in_plans=False, horizon=None)
    metrics = [read_figure(m, ctx) for m in s.metrics]
    return s.model_copy(update={"schema_version": "2", "metrics": metrics})
