"""Rendering a Summary: Markdown, HTML briefing, source view, batch index, metrics CSV.

INTERIM VERSION: minimal forms to fix the interface; to be built.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence

from .models import Summary

__all__ = [
    "render_html",
    "render_index_html",
    "render_markdown",
    "render_metrics_csv",
    "render_source_html",
]


def render_markdown(summary: Summary) -> str:
    r = summary.report
    lines = [f"# {r.entity or r.id} {r.period or ''}", ""]
    for m in summary.metrics:
        lines.append(f"- {m.name} {m.value:g}{m.unit}")
    return "\n".join(lines) + "\n"


def render_html(summary: Summary) -> str:
    body = html.escape(render_markdown(summary))
    return f"<!doctype html><meta charset='utf-8'><pre>{body}</pre>\n"


def render_source_html(summary: Summary, text: str) -> str:
    return f"<!doctype html><meta charset='utf-8'><pre>{html.escape(text)}</pre>\n"


def render_index_html(summaries: Sequence[Summary]) -> str:
    rows = "".join(
        f"<li>{html.escape(s.report.entity or s.report.id)}</li>" for s in summaries
    )
    return f"<!doctype html><meta charset='utf-8'><ul>{rows}</ul>\n"


def render_metrics_csv(summaries: Sequence[Summary]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["report_id", "name", "value", "unit"])
    for s in summaries:
        for m in s.metrics:
            w.writerow([s.report.id, m.name, m.value, m.unit])
    return "\ufeff" + buf.getvalue()
