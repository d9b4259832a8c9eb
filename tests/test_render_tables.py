"""metrics.csv (SPEC version 2 columns) and panel.csv (one figure per entity × reference year ×
indicator × measure × status): columns, the panel's choice among figures of one key, version-1
summaries, and the README's account of both."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from summarizer.batch import run_batch
from summarizer.models import Metric, ReportMeta, RunInfo, Summary
from summarizer.render.briefing import build_briefing
from summarizer.render.tables import (
    METRICS_CSV_COLUMNS,
    PANEL_CSV_COLUMNS,
    render_metrics_csv,
    render_panel_csv,
)
from tests.conftest import ROOT, SEEDS
from tests.render_fixtures import TextBuilder

# SPEC "Output JSON, schema_version 2": the metrics.csv columns, in this order.
SPEC_COLUMNS = [
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
]


def _rows(raw: str) -> list[dict[str, str]]:
    assert raw.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(raw[1:])))


def _summary(
    rid: str, entity: str | None, figures: list[tuple[str, dict[str, Any]]], **meta: Any
) -> Summary:
    """A report whose metrics are `figures`: (sentence, Metric fields), in document order."""
    t = TextBuilder()
    metrics = [Metric(evidence=t.add(sentence), **fields) for sentence, fields in figures]
    report = ReportMeta(
        id=rid,
        source=f"{rid}.txt",
        entity=entity,
        year=meta.pop("year", 2025),
        kind=meta.pop("kind", "annual"),
        level=meta.pop("level", "province"),
        chars=len(t.text),
        sha256="0" * 64,
        **meta,
    )
    return Summary(report=report, metrics=metrics, run=RunInfo(backend="rules", prompt_version="x"))


def _gdp(value: float, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "地区生产总值",
        "canonical_name": "地区生产总值",
        "value": value,
        "unit": "%",
        "measure": "change",
        "direction": "up",
        "change_pct": value,
        "span": "year",
        "reference_year": 2025,
    }
    return base | fields


# --- metrics.csv -----------------------------------------------------------------------------


def test_metrics_csv_has_the_spec_columns_in_spec_order() -> None:
    assert list(METRICS_CSV_COLUMNS) == SPEC_COLUMNS
    s = _summary(
        "r", "甲省", [("地区生产总值增长4.5%—5%。", _gdp(4.5, bound="range", low=4.5, high=5))]
    )
    (row,) = _rows(render_metrics_csv([s]))
    assert list(row) == SPEC_COLUMNS
    assert row == {
        "report_id": "r",
        "entity": "甲省",
        "level": "province",
        "year": "2025",
        "canonical_name": "地区生产总值",
        "name": "地区生产总值",
        "measure": "change",
        "value": "4.5",
        "unit": "%",
        "bound": "range",
        "low": "4.5",
        "high": "5",
        "change_pct": "4.5",
        "direction": "up",
        "status": "actual",
        "span": "year",
        "reference_year": "2025",
        "period": "",
        "quote": "地区生产总值增长4.5%—5%。",
        "start": "0",
        "end": "16",
    }


def test_unknown_fields_are_empty_cells_not_words() -> None:
    level = {"name": "高新技术企业", "value": 3, "unit": "万家"}  # a stock: no span, no year
    s = _summary("r", None, [("高新技术企业达到3万家。", level)], year=None, level=None)
    (row,) = _rows(render_metrics_csv([s]))
    assert row["measure"] == "level"
    for col in ("entity", "level", "year", "bound", "low", "high", "change_pct", "direction"):
        assert row[col] == "", col
    assert row["span"] == row["reference_year"] == row["canonical_name"] == ""


# --- panel.csv -------------------------------------------------------------------------------


def _panel(*summaries: Summary) -> list[dict[str, str]]:
    rows = _rows(render_panel_csv(list(summaries)))
    assert all(list(r) == list(PANEL_CSV_COLUMNS) for r in rows)
    return rows


def test_panel_has_one_row_per_key_and_only_named_indicators() -> None:
    s = _summary(
        "r",
        "甲省",
        [
            ("地区生产总值增长5%。", _gdp(5)),
            ("地区生产总值1.2万亿元。", _gdp(1.2, unit="万亿元", measure="level", direction=None)),
            ("2026年地区生产总值增长5%左右。", _gdp(5, status="target", reference_year=2026)),
            ("无人机产量增长39%。", _gdp(39, name="无人机产量", canonical_name=None)),
        ],
    )
    rows = _panel(s)
    assert [(r["reference_year"], r["measure"], r["status"], r["value"]) for r in rows] == [
        ("2025", "change", "actual", "5"),
        ("2025", "level", "actual", "1.2"),
        ("2026", "change", "target", "5"),
    ]
    assert {r["figures"] for r in rows} == {"1"}
    assert all(r["entity"] == "甲省" and r["report_year"] == "2025" for r in rows)


def test_panel_keeps_the_whole_year_over_a_part_a_stock_or_five_years() -> None:
    s = _summary(
        "r",
        "甲省",
        [
            ("“十四五”时期地区生产总值年均增长6%。", _gdp(6, span="multi_year")),
            ("上半年地区生产总值增长4%。", _gdp(4, span="half_year")),
            ("地区生产总值增长5.1%。", _gdp(5.1)),
            ("全年地区生产总值增长5.2%。", _gdp(5.2)),
        ],
    )
    (row,) = _panel(s)
    # the first whole-year figure in the text; four figures shared the key
    assert (row["value"], row["span"], row["figures"]) == ("5.1", "year", "4")
    only_parts = _summary(
        "r",
        "甲省",
        [
            ("“十四五”时期地区生产总值年均增长6%。", _gdp(6, span="multi_year")),
            ("上半年地区生产总值增长4%。", _gdp(4, span="half_year")),
        ],
    )
    assert [r["value"] for r in _panel(only_parts)] == ["4"]


def test_panel_keeps_a_percent_change_over_one_in_points() -> None:
    points = _gdp(0.5, unit="个百分点", change_pct=None)
    s = _summary("r", "甲省", [("提高0.5个百分点。", points), ("增长5%。", _gdp(5))])
    assert [(r["value"], r["unit"]) for r in _panel(s)] == [("5", "%")]


def test_panel_keeps_the_first_report_of_the_batch_and_keys_by_entity() -> None:
    first = _summary("a", "甲省", [("地区生产总值增长5%。", _gdp(5))])
    second = _summary("b", "甲省", [("地区生产总值增长6%。", _gdp(6))])
    other = _summary("c", "乙省", [("地区生产总值增长7%。", _gdp(7))])
    nameless = _summary("d", None, [("地区生产总值增长8%。", _gdp(8))])
    rows = _panel(second, other, first, nameless)
    assert [(r["entity"], r["report_id"], r["value"], r["figures"]) for r in rows] == [
        ("", "d", "8", "1"),  # no entity named: keyed by its report, never merged with others
        ("乙省", "c", "7", "1"),
        ("甲省", "b", "6", "2"),  # the batch's first report of 甲省
    ]


def test_a_fall_is_signed_in_both_tables() -> None:
    fall = _gdp(3.2, name="能耗强度", canonical_name="能耗强度", direction="down", change_pct=-3.2)
    s = _summary("r", "甲省", [("能耗强度下降3.2%。", fall)])
    for row in (_rows(render_metrics_csv([s]))[0], _panel(s)[0]):
        assert (row["value"], row["direction"], row["change_pct"]) == ("3.2", "down", "-3.2")


def test_panel_text_cells_are_neutralised() -> None:
    hostile = _gdp(5, name="=HYPERLINK(1)", canonical_name="@SUM(1)", period="-1+2")
    (row,) = _panel(_summary("r", "+甲省", [("=HYPERLINK(1)增长5%。", hostile)]))
    for col in ("entity", "canonical_name", "name", "period", "quote"):
        assert row[col].startswith("'"), col
    assert row["change_pct"] == "5"


def test_batch_writes_both_tables(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    result = run_batch(folder, tmp_path / "out")
    metrics = _rows((tmp_path / "out" / "metrics.csv").read_text("utf-8"))
    panel = _rows((tmp_path / "out" / "panel.csv").read_text("utf-8"))
    assert len(metrics) == sum(len(s.metrics) for s in result.summaries)
    named = {m.canonical_name for s in result.summaries for m in s.metrics if m.canonical_name}
    assert panel and {r["canonical_name"] for r in panel} == named


# --- version 1 -------------------------------------------------------------------------------


def test_a_version_1_summary_is_shown_and_tabled_as_version_2() -> None:
    """An older output: no measure, direction or year, and a rate-only fall unsigned."""
    quote = "规上工业增加值下降3.2%"
    v1 = Summary.model_validate(
        {
            "schema_version": "1",
            "report": {
                "id": "old",
                "source": "old.txt",
                "entity": "甲市",
                "year": 2020,
                "kind": "annual",
                "chars": len(quote),
                "sha256": "0" * 64,
            },
            "metrics": [
                {
                    "name": "规上工业增加值",
                    "canonical_name": "规上工业增加值",
                    "value": 3.2,
                    "unit": "%",
                    "status": "actual",
                    "change_pct": None,
                    "evidence": {"quote": quote, "start": 0, "end": len(quote)},
                }
            ],
            "run": {"backend": "rules", "prompt_version": "x"},
        }
    )
    row = build_briefing(v1).metrics[0]
    assert (row.value, row.direction) == ("下降3.2%", -1)
    (line,) = _rows(render_metrics_csv([v1]))
    assert (line["measure"], line["direction"], line["change_pct"]) == ("change", "down", "-3.2")
    assert line["reference_year"] == "2020"


# --- the README ------------------------------------------------------------------------------


def _readme_columns(title: str) -> list[str]:
    """The column names of the README table that follows the line naming `title`."""
    text = (ROOT / "README.md").read_text("utf-8")
    block = text.split(f"`{title}` columns", 1)[1].split("\n\n", 2)[1]
    return re.findall(r"^\| `([a-z_]+)` \|", block, flags=re.M)


def test_the_readme_documents_both_tables_column_by_column() -> None:
    assert _readme_columns("metrics.csv") == list(METRICS_CSV_COLUMNS)
    assert _readme_columns("panel.csv") == list(PANEL_CSV_COLUMNS)
