"""Rendering a Summary: Markdown and HTML briefings, source view, batch index and JSONL.

Every string that comes from a report reaches HTML through jinja2 autoescaping (templates
under summarizer/render/templates/) and Markdown through `md_escape`. What the briefing shows
is chosen in render.briefing; the CSV tables are render.tables.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from summarizer.models import Summary
from summarizer.render.briefing import (
    FIVE_YEAR_NOTE,
    LAYOUT,
    Briefing,
    ItemLine,
    MetricRow,
    build_briefing,
)
from summarizer.render.corpus_index import filter_options, row_keys, search_index
from summarizer.render.format import LEVEL_LABELS, clip
from summarizer.render.source_view import source_items, source_segments

__all__ = [
    "md_escape",
    "render_html",
    "render_index_html",
    "render_jsonl",
    "render_markdown",
    "render_source_html",
    "render_template",
    "stream_source_html",
]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between processes (jinja's per-user temp directory, 0700):
    compiling ours costs ~60 ms, paid by every run otherwise. Entries carry the template
    source's checksum, so an edited template is recompiled. A cache that cannot be written
    (read-only disk, full disk) only costs that time again."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


_ENV_OPTIONS: dict[str, Any] = {
    "autoescape": True,  # every template is HTML: escape everything not marked safe
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _bytecode_cache() -> jinja2.FileSystemBytecodeCache | None:
    # Compiled code depends on the options too, which jinja's key (template name and path)
    # leaves out: they are part of the file name.
    options = hashlib.sha256(repr(sorted(_ENV_OPTIONS.items())).encode()).hexdigest()[:12]
    try:
        return _BytecodeCache(pattern=f"__summarizer_{options}_%s.cache")
    except (OSError, RuntimeError):  # no safe per-user temp directory
        return None


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        **_ENV_OPTIONS,
    )
    # For `|tojson` (the index's search data), which escapes < > & ' whatever these say:
    # Chinese as UTF-8 and no spaces, as \uXXXX escapes would double the page's size.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env


def render_template(name: str, **context: Any) -> str:
    """One of templates/ rendered with autoescaping (for pages other modules build)."""
    return _env().get_template(name).render(**context)


# --- Markdown -------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:(#{1,6}|[+=-]+)|(\d+)([.)]))(?=\s|$)")


def md_escape(s: str) -> str:
    """One line of inert Markdown: inline specials backslashed, `& < >` as entities (so raw
    HTML from a report stays text in any viewer), newlines folded, and a leading block marker
    (# + - = 1.) escaped in case the string starts a line."""
    s = " ".join(s.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_INLINE.sub(r"\\\1", s)
    return _MD_LINE_START.sub(_escape_block_marker, s)


def _escape_block_marker(m: re.Match[str]) -> str:
    if m.group(2):  # "# x" "- x" "+ x" "= x" → "\# x" …
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"  # "1. x" → "1\. x"


def _md_item(it: ItemLine, src: str) -> str:
    tag = f"〔{md_escape(it.tag)}〕" if it.tag else ""
    detail = f"：{md_escape(clip(it.detail, 80))}" if it.detail else ""
    return f"- {tag}**{md_escape(it.title)}**{detail} [↗]({src}#{it.anchor})"


def _md_metric_table(rows: list[MetricRow], src: str) -> list[str]:
    out = ["| 指标 | 数值 | 同比 | 时期 | 口径 |", "|---|---:|---:|---|---|"]
    for m in rows:
        label = md_escape(m.status_label)
        status = label if m.status == "actual" else f"**{label}**"
        name = ("↳ " if m.secondary else "") + md_escape(m.metric.name)
        out.append(
            f"| [{name}]({src}#{m.anchor}) | {md_escape(m.value)} | {m.change or '—'} "
            f"| {md_escape(m.period) or '—'} | {status} |"
        )
    return out


def render_markdown(summary: Summary, briefing: Briefing | None = None) -> str:
    """The one-page briefing as Markdown: same selection as the HTML, full titles.
    `briefing`: build_briefing(summary) if the caller already has it (saves building it twice)."""
    b = briefing or build_briefing(summary)
    src = quote(f"{b.report_id}.source.html")
    out = [
        f"# {md_escape(b.heading)}（{b.kind_label}）",
        "",
        f"> 来源 {md_escape(b.source_name)} · 提取 {md_escape(b.backend_label)}"
        + (f" · 生成于 {b.created}" if b.created else ""),
        "",
        md_escape(b.overview),
        "",
    ]
    if b.scorecard:  # how last year's targets came out (summarizer track)
        line = md_escape(b.scorecard)
        if b.scorecard_href:
            line = f"[{line}]({quote(b.scorecard_href)})"
        out += [f"**{line}**", ""]
    if b.metrics or b.five_years:
        out += [f"## 关键指标（{b.metrics_shown}/{b.totals['metrics']}）", ""]
        if b.metrics:
            out += [*_md_metric_table(b.metrics, src), ""]
        if b.five_years:
            out += [f"**五年期指标**（{FIVE_YEAR_NOTE}）", ""]
            out += [*_md_metric_table(b.five_years, src), ""]
    for key, label in (
        ("achievements", "主要成绩"),
        ("problems", "存在问题"),
        ("plans", "主要计划"),
    ):
        items: list[ItemLine] = getattr(b, key)
        if not items:
            continue  # no heading over an empty section
        out += [f"## {label}（{len(items)}/{b.totals[key]}）", ""]
        out += [_md_item(it, src) for it in items]
        if b.hidden(key) > 0:
            out.append(f"- 另有 {b.hidden(key)} 项未列出，见原文标注与 JSON")
        out.append("")
    if not (b.metrics or b.achievements or b.problems or b.plans):
        out += ["*该报告未提取到指标、成绩、问题或计划。*", ""]
    rid = md_escape(b.report_id)
    out.append(f"<sub>每条链接至原文证据（{rid}.source.html）· 完整数据见 {rid}.json</sub>")
    return "\n".join(out) + "\n"


# --- HTML -----------------------------------------------------------------------------------


def render_html(summary: Summary, briefing: Briefing | None = None) -> str:
    """The one-page briefing as HTML; prints on exactly one A4 page."""
    b = briefing or build_briefing(summary)
    src = quote(f"{b.report_id}.source.html")
    return (
        _env()
        .get_template("briefing.html.j2")
        .render(b=b, L=LAYOUT, src=src, five_year_note=FIVE_YEAR_NOTE)
    )


def render_source_html(summary: Summary, text: str) -> str:
    """The full report text with every evidence span highlighted by kind, with tooltips."""
    return "".join(stream_source_html(summary, text))


def stream_source_html(summary: Summary, text: str) -> Iterator[str]:
    """render_source_html in pieces, as the template makes them: a large report's page is
    written out as it is made instead of being held whole (twice: as text, then as bytes)."""
    items = source_items(summary, text)
    counts = {
        k: sum(1 for it in items if it.kind == k)
        for k in ("metric", "achievement", "problem", "plan")
    }
    r = summary.report
    heading = " ".join(x for x in (r.entity or r.id, r.period or "") if x)
    return (
        _env()
        .get_template("source.html.j2")
        .generate(
            heading=heading,
            briefing_href=quote(f"{r.id}.html"),
            source_name=Path(r.source).name,
            counts=counts,
            segments=source_segments(text, items),
        )
    )


def render_index_html(summaries: Sequence[Summary], failures: Sequence[str] = ()) -> str:
    """One sortable row per report (entity, level, year, kind, counts, headline metrics,
    links), with a search box and entity, level and year filters that work in the page,
    offline (render.corpus_index); without JavaScript the full table shows."""
    rows = []
    for s in summaries:
        b = build_briefing(s)
        rows.append(
            {
                "id": s.report.id,
                "entity": s.report.entity or s.report.id,
                "level": LEVEL_LABELS.get(s.report.level or "", ""),
                "level_rank": list(LEVEL_LABELS).index(s.report.level) if s.report.level else "",
                "year": s.report.year,
                "kind": b.kind_label,
                "counts": b.totals,
                "heads": [m for m in b.metrics if not m.secondary][:3],
                "filter": row_keys(s),
            }
        )
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            rows=rows,
            failures=list(failures),
            options=filter_options(summaries),
            search=search_index(summaries),
        )
    )


# --- JSONL ------------------------------------------------------------------------------------


def render_jsonl(summaries: Sequence[Summary]) -> str:
    """One Summary per line, as in <id>.json but compact."""
    return "".join(s.model_dump_json() + "\n" for s in summaries)
