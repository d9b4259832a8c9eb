"""OUT/summaries.sqlite: the same data as the JSON files, keys, full-text tables, the panel view
equal to panel.csv, a generic table writer, and a clear line for a database that is not one."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.corpus.database import DB_NAME, CorpusDB, write_table
from summarizer.corpus.rows import fts_phrase
from summarizer.models import Summary
from summarizer.render.tables import PANEL_CSV_COLUMNS
from tests.conftest import ROOT

REAL = ROOT / "evals" / "real" / "reports"  # ten reports of the corpus, in the repository
ITEM_LISTS = ("metrics", "achievements", "problems", "plans")


@pytest.fixture(scope="module")
def real_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch over the ten real reports."""
    out = tmp_path_factory.mktemp("real") / "out"
    result = run_batch(REAL, out)
    assert result.ok and len(result.summaries) == 10
    return out


def connect(out: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(out / DB_NAME)
    conn.row_factory = sqlite3.Row
    return conn


def json_summaries(out: Path) -> dict[str, Summary]:
    return {
        p.stem: Summary.model_validate_json(p.read_text("utf-8"))
        for p in out.glob("*.json")
        if not p.name.startswith(".")
    }


def test_database_holds_every_report_and_item_of_the_json_files(real_out: Path) -> None:
    summaries = json_summaries(real_out)
    conn = connect(real_out)
    reports = {r["id"]: r for r in conn.execute("SELECT * FROM reports")}
    assert set(reports) == set(summaries)
    for rid, s in summaries.items():
        row = reports[rid]
        assert (row["entity"], row["year"], row["level"], row["kind"]) == (
            s.report.entity,
            s.report.year,
            s.report.level,
            s.report.kind,
        )
        assert row["sha256"] == s.report.sha256 and row["chars"] == s.report.chars
        assert Summary.model_validate_json(row["summary"]) == s
        for table in ITEM_LISTS:
            items = getattr(s, table)
            rows = conn.execute(
                f"SELECT * FROM {table} WHERE report_id = ? ORDER BY seq", [rid]
            ).fetchall()
            assert len(rows) == len(items) == row[f"n_{table}"], (rid, table)
            for item, r in zip(items, rows, strict=True):
                ev = item.evidence
                assert (r["quote"], r["start"], r["end"]) == (ev.quote, ev.start, ev.end)
                assert r["item_id"] == item.id
        for m, r in zip(
            s.metrics,
            conn.execute("SELECT * FROM metrics WHERE report_id = ? ORDER BY seq", [rid]),
            strict=True,
        ):
            got = {k: r[k] for k in ("name", "canonical_name", "value", "unit", "status")}
            assert got == {
                "name": m.name,
                "canonical_name": m.canonical_name,
                "value": m.value,
                "unit": m.unit,
                "status": m.status,
            }
            assert (r["measure"], r["change_pct"], r["reference_year"]) == (
                m.measure,
                m.change_pct,
                m.reference_year,
            )


def test_anchors_lead_into_the_source_view(real_out: Path) -> None:
    conn = connect(real_out)
    for table in ITEM_LISTS:
        rid, anchor = conn.execute(f"SELECT report_id, anchor FROM {table} LIMIT 1").fetchone()
        page = (real_out / f"{rid}.source.html").read_text("utf-8")
        assert f'id="{anchor}"' in page, (table, anchor)


def test_full_text_tables_find_a_two_character_word_wherever_the_json_has_it(
    real_out: Path,
) -> None:
    summaries = json_summaries(real_out)
    conn = connect(real_out)
    assert conn.execute("INSERT INTO problems_fts(problems_fts) VALUES('integrity-check')")
    for word in ("债务", "就业", "营商环境"):
        expected = {
            (rid, p.evidence.start)
            for rid, s in summaries.items()
            for p in s.problems
            if word in p.title or word in p.detail or word in p.evidence.quote
        }
        found = {
            (r["report_id"], r["start"])
            for r in conn.execute(
                "SELECT p.report_id, p.start FROM problems_fts JOIN problems AS p "
                "ON p.id = problems_fts.rowid WHERE problems_fts MATCH ?",
                [fts_phrase(word)],
            )
        }
        assert found == expected and found, word
    plans = conn.execute(
        "SELECT count(DISTINCT p.report_id) FROM plans_fts JOIN plans AS p "
        "ON p.id = plans_fts.rowid WHERE plans_fts MATCH ?",
        [fts_phrase("风险")],
    ).fetchone()[0]
    assert plans >= 3  # across reports


def _panel_csv(out: Path) -> list[dict[str, str]]:
    text = (out / "panel.csv").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def test_panel_view_has_the_rows_of_panel_csv(real_out: Path) -> None:
    rows = _panel_csv(real_out)
    view = [dict(r) for r in connect(real_out).execute("SELECT * FROM panel")]
    assert len(view) == len(rows) > 100
    for want, got in zip(rows, view, strict=True):
        got["reference_year"] = got.pop("year")
        for column in PANEL_CSV_COLUMNS:
            if column in ("value", "low", "high", "change_pct") and want[column]:
                assert float(want[column]) == got[column], column
            else:
                assert want[column].lstrip("'") == _cell(got[column]), (column, want)


def test_panel_gives_one_gdp_row_per_report_year_and_measure(real_out: Path) -> None:
    rows = connect(real_out).execute(
        "SELECT entity, year, measure, status, value FROM panel "
        "WHERE canonical_name = '地区生产总值'"
    )
    keys = [(r["entity"], r["year"], r["measure"], r["status"]) for r in rows]
    assert len(keys) == len(set(keys)) >= 8


def test_write_table_replaces_a_table_and_refuses_the_batch_tables(tmp_path: Path) -> None:
    rows = [{"entity": "易县", "year": 2019, "indicator": "地区生产总值", "verdict": "missed"}]
    write_table(tmp_path, "tracking", rows, indexes=[("entity", "year")])
    write_table(tmp_path, "tracking", [*rows, {**rows[0], "year": 2020, "verdict": "met"}])
    conn = connect(tmp_path)
    got = [tuple(r) for r in conn.execute("SELECT year, verdict FROM tracking ORDER BY year")]
    assert got == [(2019, "missed"), (2020, "met")]
    with pytest.raises(ValueError, match="batch's own"):
        write_table(tmp_path, "metrics", rows)


def test_a_file_that_is_no_database_is_one_line_and_force_rebuilds_it(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL / "county_yixian_2019.txt", folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / DB_NAME).write_bytes(b"not a database, but long enough to be read as one" * 40)
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{out / DB_NAME}: not a usable SQLite database" in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    ids = [tuple(r) for r in connect(out).execute("SELECT id FROM reports")]
    assert ids == [("county_yixian_2019",)]


def test_a_database_of_another_layout_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = sqlite3.connect(out / DB_NAME)
    old.execute("CREATE TABLE reports (id TEXT PRIMARY KEY, whatever TEXT)")
    old.execute("INSERT INTO reports VALUES ('x', 'y')")
    old.commit()
    old.close()
    with CorpusDB(out / DB_NAME) as db:
        assert db.stored() == {}
        assert "panel" in db.db.view_names()


def test_summaries_jsonl_lists_the_stored_summaries(real_out: Path) -> None:
    lines = (real_out / "summaries.jsonl").read_text("utf-8").splitlines()
    stored = {r[0]: r[1] for r in connect(real_out).execute("SELECT id, summary FROM reports")}
    for line in lines:
        s = json.loads(line)
        assert json.loads(stored[s["report"]["id"]]) == s


def test_a_batch_that_tracks_stores_tracking_csv_as_its_tracking_table(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(
        ROOT / "tests" / "data" / "tracking", folder, ignore=shutil.ignore_patterns("*.csv")
    )
    out = tmp_path / "out"
    assert run_batch(folder, out).tracking
    text = (out / "tracking.csv").read_text("utf-8-sig")
    want = list(csv.DictReader(io.StringIO(text)))
    rows = [dict(r) for r in connect(out).execute("SELECT * FROM tracking ORDER BY rowid")]
    assert len(rows) == len(want) > 5
    assert {r["verdict"] for r in rows} >= {"met", "missed"}
    for w, got in zip(want, rows, strict=True):
        assert list(got) == list(w)
        for column, cell in w.items():
            value = got[column]
            assert (float(cell) == value) if isinstance(value, float) else cell == _cell(value)


def test_ctrl_c_while_indexing_stops_the_run_and_is_no_database_fault(
    real_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The full-text rows are made for every item stored. A Ctrl-C landing in a Python function
    # SQLite called reached sqlite3's caller as "user-defined function raised exception", read
    # as a fault of the database: the batch went on without it and wrote index.html.
    summary = next(iter(json_summaries(real_out).values()))
    stored = {"file_name": "r.txt", "file_sha256": "0" * 64, "settings": "{}", "settings_hash": "0"}

    def interrupted(text: str | None) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("summarizer.corpus.database.search_form", interrupted)
    with CorpusDB(tmp_path / DB_NAME) as db:
        with pytest.raises(KeyboardInterrupt):
            db.put(summary, **stored)
        monkeypatch.undo()
        with sqlite3.connect(tmp_path / DB_NAME) as conn:  # nothing half stored
            assert conn.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        db.put(summary, **stored)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (1,)
