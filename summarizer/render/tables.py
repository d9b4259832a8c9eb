"""The batch's tables: `metrics.csv` (every figure of every report, SPEC version 2 columns)
and `panel.csv` (one figure per entity × reference year × indicator × measure × status).

Both are UTF-8 with a BOM so that Excel reads the Chinese. Text cells go through `csv_text`,
which neutralises spreadsheet formulas; numeric cells stay numbers (a negative change too).

The panel is what an analyst loads to compare reports: only figures with a canonical name (so
that one indicator has one name across reports), keyed by

    entity × reference_year × canonical_name × measure × status

(the entity is the report id when the report names none). When several figures share a key,
one is kept, by `_preference`: a figure of the whole year before a stock counted at a point,
a part of the year (上半年, 1-10月) or a five-year figure (年均, 五年来); for a change, a %
change before one in other units (提高0.5个百分点); then the first report in the batch, then
the first figure in its text. Its `figures` column says how many figures shared the key.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from summarizer.models import Metric, Summary
from summarizer.render.format import format_number
from summarizer.render.versions import as_version_2

__all__ = [
    "METRICS_CSV_COLUMNS",
    "PANEL_CSV_COLUMNS",
    "csv_document",
    "csv_text",
    "render_metrics_csv",
    "render_panel_csv",
]

METRICS_CSV_COLUMNS = (  # SPEC, in SPEC order
    "report_id",
    "entity",
    "level",
    "year",
    "canonical_name",
    "name",
    "measure",
    "value",
    "unit",
    "bound",
    "low",
    "high",
    "change_pct",
    "direction",
    "status",
    "span",
    "reference_year",
    "period",
    "quote",
    "start",
    "end",
)
PANEL_CSV_COLUMNS = (
    # the key
    "entity",
    "reference_year",
    "canonical_name",
    "measure",
    "status",
    # the figure
    "value",
    "unit",
    "bound",
    "low",
    "high",
    "change_pct",
    "direction",
    "span",
    "period",
    # where it comes from
    "name",
    "quote",
    "level",
    "report_id",
    "report_year",
    "start",
    "end",
    "figures",
)


# A cell a spreadsheet may run as a formula (OWASP CSV injection; ASVS 1.2.10): one starting with
# = + - @, or with a tab, CR, LF or NUL, or with one of = + - @ after characters a spreadsheet
# may drop or not see first (spaces of any width, zero-width characters, a BOM, controls), in
# ASCII or in the full-width and small forms an East Asian input method types and a CJK locale
# reads as the same operator (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫).
_IGNORED_FIRST = r"\s\x00-\x1f\u200b-\u200f\u2060-\u2064\ufeff"
_OPERATORS = r"=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
_FORMULA_START = re.compile(f"[{_IGNORED_FIRST}]*[{_OPERATORS}]")


def csv_text(s: str | None) -> str:
    """A text cell a spreadsheet will not run: one that could start a formula (above) gets a
    leading apostrophe, which spreadsheets read as "this cell is text"."""
    if not s:
        return ""
    return "'" + s if s[0] in "\t\r\n\x00" or _FORMULA_START.match(s) else s


def _num(v: float | int | None) -> str | int:
    if v is None:
        return ""
    return v if isinstance(v, int) else format_number(v)


def _figure_cells(m: Metric) -> dict[str, str | int]:
    """The cells both tables take from a metric, by column name."""
    return {
        "canonical_name": csv_text(m.canonical_name),
        "name": csv_text(m.name),
        "measure": m.measure,
        "value": format_number(m.value),
        "unit": csv_text(m.unit),
        "bound": m.bound or "",
        "low": _num(m.low),
        "high": _num(m.high),
        "change_pct": _num(m.change_pct),
        "direction": m.direction or "",
        "status": m.status,
        "span": m.span or "",
        "reference_year": _num(m.reference_year),
        "period": csv_text(m.period),
        "quote": csv_text(m.evidence.quote),
        "start": m.evidence.start,
        "end": m.evidence.end,
    }


def _report_cells(s: Summary) -> dict[str, str | int]:
    r = s.report
    return {
        "report_id": csv_text(r.id),
        "entity": csv_text(r.entity),
        "level": r.level or "",
        "year": _num(r.year),
        "report_year": _num(r.year),
    }


def csv_document(columns: Sequence[str], rows: Iterable[dict[str, str | int]]) -> str:
    """A CSV file's text: UTF-8 BOM (Excel reads the Chinese), a header, CRLF lines."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    w.writerows([row[c] for c in columns] for row in rows)
    return "\ufeff" + buf.getvalue()


def render_metrics_csv(summaries: Sequence[Summary]) -> str:
    """One row per metric across all reports, in report and document order."""
    rows = []
    for s in map(as_version_2, summaries):
        report = _report_cells(s)
        rows += [report | _figure_cells(m) for m in s.metrics]
    return csv_document(METRICS_CSV_COLUMNS, rows)


# --- the panel -------------------------------------------------------------------------------

_Key = tuple[str, int | None, str, str, str]
_SPAN_RANK = {"year": 0, None: 1, "half_year": 2, "quarter": 2, "months": 2, "multi_year": 3}
_STATUS_ORDER = {"actual": 0, "forecast": 1, "target": 2}


def _key(s: Summary, m: Metric, canonical: str) -> _Key:
    return (s.report.entity or s.report.id, m.reference_year, canonical, m.measure, m.status)


def _preference(m: Metric, report_order: int) -> tuple[int, int, int, int]:
    """Lower is kept: the whole year's figure first; a % change before another change; then
    the batch's first report and the text's first figure."""
    other_units = m.measure == "change" and m.change_pct is None
    return (_SPAN_RANK.get(m.span, 1), int(other_units), report_order, m.evidence.start)


def render_panel_csv(summaries: Sequence[Summary]) -> str:
    """One row per entity × reference_year × canonical indicator × measure × status."""
    best: dict[_Key, tuple[tuple[int, int, int, int], Summary, Metric]] = {}
    counts: dict[_Key, int] = {}
    for order, s in enumerate(map(as_version_2, summaries)):
        for m in s.metrics:
            if not m.canonical_name:
                continue
            key = _key(s, m, m.canonical_name)
            counts[key] = counts.get(key, 0) + 1
            rank = _preference(m, order)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, s, m)

    def sort_key(key: _Key) -> tuple[str, int, str, str, int]:
        entity, year, canonical, measure, status = key
        return entity, year or 0, canonical, measure, _STATUS_ORDER.get(status, 3)

    rows = []
    for key in sorted(best, key=sort_key):
        _, s, m = best[key]
        rows.append(_report_cells(s) | _figure_cells(m) | {"figures": counts[key]})
    return csv_document(PANEL_CSV_COLUMNS, rows)
