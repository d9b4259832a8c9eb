"""Writing a tracking run: tracking.csv and tracking.json (one row per link), and one HTML page
per entity with its table of targets and outcomes by year and a chart per indicator.

The CSV follows render/tables: UTF-8 with a BOM, text cells formula-neutralised, numbers as
written. Every link to a sentence goes to `<report_id>.source.html#<anchor>` under `source_base`
(the folder, relative to the output, holding the reports' source views).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from summarizer.corpus.database import DB_NAME, write_table
from summarizer.pool import Failed
from summarizer.render.format import format_number
from summarizer.render.outputs import atomic_write_text, make_outdir
from summarizer.render.pages import render_template
from summarizer.render.tables import csv_document, csv_text
from summarizer.track.chart import VERDICT_COLOURS
from summarizer.track.charts import ChartJob, draw_charts, source_href
from summarizer.track.figures import Figure
from summarizer.track.link import Link, TrackResult
from summarizer.track.series import Series

__all__ = [
    "TRACKING_CSV_COLUMNS",
    "VERDICT_LABELS",
    "TrackingFiles",
    "chart_jobs",
    "figure_text",
    "page_name",
    "page_names",
    "render_tracking_csv",
    "render_tracking_json",
    "render_tracking_page",
    "tracking_rows",
    "write_tracking_outputs",
]

VERDICT_LABELS = {
    "met": "达成",
    "missed": "未达成",
    "not_reported": "未再提及",
    "unclear": "无法判断",
}
_BOUND_WORDS = {"about": "左右", "at_least": "以上", "at_most": "以内"}
TRACKING_CSV_COLUMNS = (
    "entity",
    "year",
    "indicator",
    "measure",
    "verdict",
    "target_value",
    "target_unit",
    "target_bound",
    "target_low",
    "target_high",
    "target_direction",
    "target_report",
    "target_quote",
    "target_start",
    "target_end",
    "actual_value",
    "actual_unit",
    "actual_direction",
    "actual_status",
    "actual_report",
    "actual_quote",
    "actual_start",
    "actual_end",
    "note",
)


def figure_text(f: Figure) -> str:
    """A figure in the report's words: 增长7.5%左右, 增长6.5—7%, 下降3.4%以上, 1000万人以上."""
    if f.bound == "range" and f.low is not None and f.high is not None:
        number = f"{format_number(f.low)}—{format_number(f.high)}{f.unit}"
    else:
        number = f"{format_number(f.value)}{f.unit}"
    word = "" if f.measure == "level" else "下降" if f.direction == "down" else "增长"
    return f"{word}{number}{_BOUND_WORDS.get(f.bound or '', '')}"


def _figure_fields(prefix: str, f: Figure | None) -> dict[str, Any]:
    if f is None:
        return {}
    fields: dict[str, Any] = {
        f"{prefix}_value": f.value,
        f"{prefix}_unit": f.unit,
        f"{prefix}_direction": f.direction,
        f"{prefix}_report": f.report_id,
        f"{prefix}_quote": f.quote,
        f"{prefix}_start": f.start,
        f"{prefix}_end": f.end,
    }
    if prefix == "target":
        fields |= {"target_bound": f.bound, "target_low": f.low, "target_high": f.high}
    else:
        fields["actual_status"] = f.status
    return fields


def tracking_rows(result: TrackResult) -> list[dict[str, Any]]:
    """One row per link, in entity, year and report order, by TRACKING_CSV_COLUMNS: numbers
    as numbers, None where there is nothing (the database's `tracking` table; tracking.csv
    writes them as cells)."""
    rows = []
    for link in result.links:
        row: dict[str, Any] = dict.fromkeys(TRACKING_CSV_COLUMNS)
        row |= {
            "entity": link.entity,
            "year": link.year,
            "indicator": link.indicator,
            "measure": link.measure,
            "verdict": link.verdict,
            "note": link.note,
        }
        row |= _figure_fields("target", link.target) | _figure_fields("actual", link.actual)
        rows.append(row)
    return rows


def _cell(v: Any) -> str | int:
    """A CSV cell: text neutralised for spreadsheets, a float as the report writes it."""
    if v is None:
        return ""
    if isinstance(v, float):
        return format_number(v)
    return csv_text(v) if isinstance(v, str) else int(v)


def render_tracking_csv(result: TrackResult) -> str:
    """One row per link, in entity, year and report order."""
    rows = [{k: _cell(v) for k, v in row.items()} for row in tracking_rows(result)]
    return csv_document(TRACKING_CSV_COLUMNS, rows)


def _figure_json(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    out: dict[str, Any] = {
        "report": f.report_id,
        "quote": f.quote,
        "start": f.start,
        "end": f.end,
        "value": f.value,
        "unit": f.unit,
        "status": f.status,
    }
    if f.measure == "change":
        out["direction"] = f.direction
    if f.status == "target":
        out |= {"bound": f.bound, "low": f.low, "high": f.high}
    if f.beside:
        out["beside"] = True  # the change stated beside a level
    return out


def render_tracking_json(result: TrackResult, pages: dict[str, str]) -> str:
    """The series (entity, reports, page) and every link, as in the label files' format."""
    doc = {
        "tolerance_pp": result.tolerance_pp,
        "series": [
            {
                "entity": s.entity,
                "years": s.years,
                "reports": [x.report.id for y in s.years for x in s.by_year[y]],
                "page": pages.get(s.entity),
            }
            for s in result.series
        ],
        "links": [
            {
                "entity": link.entity,
                "indicator": link.indicator,
                "measure": link.measure,
                "year": link.year,
                "target": _figure_json(link.target),
                "actual": _figure_json(link.actual),
                "verdict": link.verdict,
                "note": link.note or None,
            }
            for link in result.links
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- the entity pages --------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def page_name(series: Series) -> str:
    """tracking_<reports' common id stem>.html (national_guowuyuan_2013 … → national_guowuyuan),
    else a hash of the entity: a file name without Chinese travels in any URL."""
    ids = [x.report.id for y in series.years for x in series.by_year[y]]
    stem = re.sub(r"[_-]?\d{4}$", "", ids[0])
    stem = _UNSAFE.sub("", stem)[:40] if all(i.startswith(stem) for i in ids) else ""
    digest = hashlib.sha1(series.entity.encode("utf-8")).hexdigest()[:8]
    return f"tracking_{stem or digest}.html"


def page_names(result: TrackResult) -> dict[str, str]:
    """Each series' page file name, by entity (two entities of one stem: one gets a _)."""
    pages: dict[str, str] = {}
    for s in result.series:
        name = page_name(s)
        while name in pages.values():
            name = name.replace(".html", "_.html")
        pages[s.entity] = name
    return pages


@dataclass(frozen=True)
class _Row:
    link: Link
    target: str
    actual: str
    target_href: str
    actual_href: str


def chart_jobs(links: list[Link], source_base: str, tol: float) -> list[tuple[str, ChartJob]]:
    """An entity's charts: one per indicator and measure, in the order the indicators first
    appear, each with its title."""
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        groups.setdefault((link.indicator, link.measure), []).append(link)
    return [
        (
            f"{indicator}（{'增速' if measure == 'change' else '数值'}）",
            ChartJob(tuple(group), f"c{n}", source_base, tol),
        )
        for n, ((indicator, measure), group) in enumerate(groups.items())
    ]


def render_tracking_page(
    series: Series, result: TrackResult, source_base: str, charts: Sequence[tuple[str, str]] = ()
) -> str:
    """An entity's page: its scorecards, its table and its `charts`, each a title and the SVG
    of its `chart_jobs` entry (none: a page without charts)."""
    links = result.of(series.entity)
    href = partial(source_href, source_base)
    rows = [
        _Row(
            link,
            figure_text(link.target),
            figure_text(link.actual) if link.actual else "",
            href(link.target),
            href(link.actual) if link.actual else "",
        )
        for link in links
    ]
    years = sorted({link.year for link in links})
    cards = {y: result.scorecard(series.entity, y) for y in years}
    return render_template(
        "tracking.html.j2",
        entity=series.entity,
        years=years,
        rows=rows,
        cards=cards,
        labels=VERDICT_LABELS,
        colours=VERDICT_COLOURS,
        charts=[
            {"title": title, "svg": svg, "anchor": f"chart-{n}"}
            for n, (title, svg) in enumerate(charts)
        ],
        tolerance=format_number(result.tolerance_pp),
        reports=[x.report.id for y in series.years for x in series.by_year[y]],
    )


@dataclass
class TrackingFiles:
    """What write_tracking_outputs wrote, and the entity pages it could not."""

    files: list[Path]  # written
    failures: list[str]  # one line per entity page not written, naming it and why


def write_tracking_outputs(
    result: TrackResult,
    outdir: Path,
    source_base: str = "",
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> TrackingFiles:
    """tracking.csv, tracking.json and one page per entity; everything rendered before the
    first file is written. The charts are drawn in `jobs` processes, or taken from the chart
    cache in `cache_dir` (track.charts); an entity whose chart fails loses its page alone. In a
    batch's OUT, also the `tracking` table of summaries.sqlite."""
    make_outdir(outdir)
    pages = page_names(result)
    files = {
        outdir / "tracking.csv": render_tracking_csv(result),
        outdir / "tracking.json": render_tracking_json(result, pages),
    }
    planned = {
        s.entity: chart_jobs(result.of(s.entity), source_base, result.tolerance_pp)
        for s in result.series
    }
    drawn = iter(draw_charts([job for js in planned.values() for _, job in js], jobs, cache_dir))
    failures = []
    for s in result.series:
        charts = [(title, next(drawn)) for title, _ in planned[s.entity]]
        failed = [(n, svg) for n, (_, svg) in enumerate(charts) if isinstance(svg, Failed)]
        if failed:
            n, why = failed[0]
            failures.append(
                f"{outdir / pages[s.entity]}: not written ({s.entity}): chart {n + 1} could "
                f"not be drawn ({why.reason})"
            )
            continue
        svgs = [(title, str(svg)) for title, svg in charts]
        files[outdir / pages[s.entity]] = render_tracking_page(s, result, source_base, svgs)
    for path, content in files.items():
        atomic_write_text(path, content)
    if (outdir / DB_NAME).is_file():  # a batch's OUT: the links as its `tracking` table too
        rows = tracking_rows(result)
        write_table(outdir, "tracking", rows, indexes=[("entity", "year"), ("verdict",)])
    return TrackingFiles(list(files), failures)
