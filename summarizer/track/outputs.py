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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from summarizer.render.format import format_number
from summarizer.render.outputs import atomic_write_text, make_outdir
from summarizer.render.pages import render_template
from summarizer.render.tables import csv_document, csv_text
from summarizer.track.chart import VERDICT_COLOURS, indicator_chart
from summarizer.track.figures import Figure
from summarizer.track.link import Link, TrackResult
from summarizer.track.series import Series

__all__ = [
    "TRACKING_CSV_COLUMNS",
    "VERDICT_LABELS",
    "figure_text",
    "page_name",
    "page_names",
    "render_tracking_csv",
    "render_tracking_json",
    "render_tracking_page",
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


def _num(v: float | None) -> str:
    return "" if v is None else format_number(v)


def _figure_cells(prefix: str, f: Figure | None) -> dict[str, str | int]:
    if f is None:
        return {}
    cells: dict[str, str | int] = {
        f"{prefix}_value": format_number(f.value),
        f"{prefix}_unit": csv_text(f.unit),
        f"{prefix}_direction": f.direction or "",
        f"{prefix}_report": csv_text(f.report_id),
        f"{prefix}_quote": csv_text(f.quote),
        f"{prefix}_start": f.start,
        f"{prefix}_end": f.end,
    }
    if prefix == "target":
        cells |= {"target_bound": f.bound or "", "target_low": _num(f.low)}
        cells["target_high"] = _num(f.high)
    else:
        cells["actual_status"] = f.status
    return cells


def render_tracking_csv(result: TrackResult) -> str:
    """One row per link, in entity, year and report order."""
    rows = []
    for link in result.links:
        row: dict[str, str | int] = dict.fromkeys(TRACKING_CSV_COLUMNS, "")
        row |= {
            "entity": csv_text(link.entity),
            "year": link.year,
            "indicator": csv_text(link.indicator),
            "measure": link.measure,
            "verdict": link.verdict,
            "note": csv_text(link.note),
        }
        row |= _figure_cells("target", link.target) | _figure_cells("actual", link.actual)
        rows.append(row)
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


def _charts(links: list[Link], href: Callable[[Figure], str], tol: float) -> list[dict[str, str]]:
    """One chart per indicator and measure, in the order the indicators first appear."""
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        groups.setdefault((link.indicator, link.measure), []).append(link)
    charts = []
    for n, ((indicator, measure), group) in enumerate(groups.items()):
        title = f"{indicator}（{'增速' if measure == 'change' else '数值'}）"
        svg = indicator_chart(group, href, f"c{n}", tol)
        charts.append({"title": title, "svg": svg, "anchor": f"chart-{n}"})
    return charts


def render_tracking_page(
    series: Series, result: TrackResult, source_base: str, *, charts: bool = True
) -> str:
    links = result.of(series.entity)

    def href(f: Figure) -> str:
        return f"{source_base}{quote(f.report_id)}.source.html#{f.anchor}"

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
        charts=_charts(links, href, result.tolerance_pp) if charts else [],
        tolerance=format_number(result.tolerance_pp),
        reports=[x.report.id for y in series.years for x in series.by_year[y]],
    )


def write_tracking_outputs(result: TrackResult, outdir: Path, source_base: str = "") -> list[Path]:
    """tracking.csv, tracking.json and one page per entity; everything rendered before the
    first file is written."""
    make_outdir(outdir)
    pages = page_names(result)
    files = {
        outdir / "tracking.csv": render_tracking_csv(result),
        outdir / "tracking.json": render_tracking_json(result, pages),
    }
    for s in result.series:
        files[outdir / pages[s.entity]] = render_tracking_page(s, result, source_base)
    for path, content in files.items():
        atomic_write_text(path, content)
    return list(files)
