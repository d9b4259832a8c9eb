"""Incremental batches: a re-run summarises only new and changed reports, rebuilds the batch
files from the database byte for byte, removes what left the folder, and a killed run leaves a
database of whole reports that the next run completes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.corpus.database import DB_NAME
from summarizer.read.meta_table import load_meta_table
from summarizer.render.outputs import report_output_paths
from tests.backends import RecordingBackend
from tests.conftest import ROOT, SEEDS

BATCH_FILES = ("index.html", "metrics.csv", "panel.csv", "summaries.jsonl")
REAL = ROOT / "evals" / "real" / "reports"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, d / p.name)
    return d


def extracted(backend: RecordingBackend) -> int:
    return sum(1 for kind, _ in backend.events if kind == "extract")


def batch_files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in BATCH_FILES}


def stored_ids(out: Path) -> list[str]:
    with sqlite3.connect(out / DB_NAME) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY id")]


def without_run(out: Path) -> list[dict[str, object]]:
    """summaries.jsonl less each run's clock (created, seconds), which differs between runs."""
    lines = (out / "summaries.jsonl").read_text("utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    for d in docs:
        d["run"].pop("created")
        d["run"].pop("seconds")
    return docs


def test_rerun_of_an_unchanged_folder_summarises_nothing_and_rebuilds_the_same_bytes(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run_batch(folder, out)
    before = batch_files(out)
    per_report = {p: p.stat().st_mtime_ns for p in out.glob("*.json")}
    backend = RecordingBackend()
    again = run_batch(folder, out, backend=backend)
    assert extracted(backend) == 0
    assert again.reused == len(again.summaries) == len(first.summaries) == 5
    assert batch_files(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.json")} == per_report
    assert again.summaries == first.summaries


def test_an_edited_report_is_the_only_one_summarised_again(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    edited = sorted(folder.glob("*.txt"))[2]
    edited.write_text(edited.read_text("utf-8") + "\n全年完成固定资产投资12.5亿元。\n", "utf-8")
    backend = RecordingBackend()
    result = run_batch(folder, out, backend=backend)
    assert extracted(backend) == 1 and result.reused == 4
    assert any("12.5" in line for line in (out / f"{edited.stem}.md").read_text("utf-8").split())
    fresh = tmp_path / "fresh"
    run_batch(folder, fresh)
    assert without_run(out) == without_run(fresh)


def test_force_and_changed_settings_summarise_every_report(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    forced = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    backend = RecordingBackend()
    result = run_batch(folder, out, Settings(chunk_size=1200), backend=backend)
    assert extracted(backend) == 5 and result.reused == 0
    backend = RecordingBackend()
    assert run_batch(folder, out, Settings(chunk_size=1200), backend=backend).reused == 5


def test_a_meta_row_redoes_only_the_report_it_names(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    target = sorted(folder.glob("*.txt"))[0]
    table = tmp_path / "meta.csv"
    table.write_text(f"file,entity\n{target.name},测试街道\n", "utf-8")
    backend = RecordingBackend()
    settings = Settings(meta=load_meta_table(table))
    result = run_batch(folder, out, settings, backend=backend)
    assert extracted(backend) == 1 and result.reused == 4
    assert json.loads((out / f"{target.stem}.json").read_text("utf-8"))["report"]["entity"] == (
        "测试街道"
    )


def test_a_removed_report_leaves_the_outputs_and_the_database(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    gone = sorted(folder.glob("*.txt"))[1]
    gone.unlink()
    result = run_batch(folder, out)
    assert result.removed == [gone.stem] and result.reused == 4
    assert not any(p.exists() for p in report_output_paths(out, gone.stem))
    assert gone.stem not in stored_ids(out)
    assert gone.stem not in (out / "summaries.jsonl").read_text("utf-8")
    assert gone.stem not in (out / "index.html").read_text("utf-8")


def test_a_report_deleted_from_out_is_summarised_again(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    rid = sorted(folder.glob("*.txt"))[3].stem
    (out / f"{rid}.json").unlink()
    backend = RecordingBackend()
    assert run_batch(folder, out, backend=backend).reused == 4
    assert extracted(backend) == 1 and (out / f"{rid}.json").is_file()


def test_a_report_that_now_fails_leaves_the_database_and_the_index(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    broken = sorted(folder.glob("*.txt"))[0]
    broken.write_bytes(b"%PDF-1.4 not a report")
    result = run_batch(folder, out)
    assert [f.path for f in result.failures] == [broken] and result.reused == 4
    assert broken.stem not in stored_ids(out)
    assert broken.stem not in (out / "summaries.jsonl").read_text("utf-8")


def test_a_second_file_of_a_reused_id_fails_as_in_a_full_run(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    first = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first, first.with_suffix(".text"))  # sorts before .txt: it takes the id
    result = run_batch(folder, out)
    fresh = tmp_path / "fresh"
    full = run_batch(folder, fresh)
    assert [f.path.name for f in result.failures] == [f.path.name for f in full.failures]
    assert [f.path for f in result.failures] == [first]
    assert without_run(out) == without_run(fresh)
    assert stored_ids(out) == stored_ids(fresh)


def test_a_later_file_of_a_reused_id_fails_and_leaves_the_reused_files(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    first = sorted(folder.glob("*.txt"))[0]
    later = first.with_suffix(".xyz")  # sorts after .txt: the reused report keeps the id
    later.write_text("另一份报告\n一、工作回顾\n全年完成税收12.5亿元。\n", encoding="utf-8")
    before = (out / f"{first.stem}.json").read_bytes()
    result = run_batch(folder, out)
    fresh = tmp_path / "fresh"
    full = run_batch(folder, fresh)
    assert [f.path for f in result.failures] == [f.path for f in full.failures] == [later]
    assert "same report id" in result.failures[0].reason
    assert (out / f"{first.stem}.json").read_bytes() == before  # not overwritten by the later
    assert without_run(out) == without_run(fresh)
    assert stored_ids(out) == stored_ids(fresh)


def test_batch_table_says_how_many_were_reused(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    CliRunner().invoke(app, ["batch", str(folder), "-o", str(out)])
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out)])
    assert result.exit_code == 0
    (row,) = (line for line in result.output.splitlines() if "│" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[:2] == ["5", "0"]  # reports ok, failed
    assert "reused: 5 of 5 reports unchanged" in " ".join(result.output.split())


# --- kill -9 in the middle of a batch -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_batch_leaves_whole_reports_and_the_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    sources = sorted(REAL.glob("*.txt"))
    for i in range(40):  # enough work that the kill lands mid-run
        src = sources[i % len(sources)]
        shutil.copy(src, folder / f"{i:02d}_{src.name}")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "summarizer.cli", "batch", str(folder), "-o", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / DB_NAME).exists() and len(_stored_quietly(out)) >= 3:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(out / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for table in ("metrics", "achievements", "problems", "plans"):
        conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('integrity-check')")
        # every stored report is whole: as many rows as its JSON has items
        for rid, n in conn.execute(f"SELECT id, n_{table} FROM reports"):
            (rows,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE report_id = ?", [rid]
            ).fetchone()
            fts = conn.execute(
                f"SELECT count(*) FROM {table}_fts WHERE rowid IN "
                f"(SELECT id FROM {table} WHERE report_id = ?)",
                [rid],
            ).fetchone()[0]
            saved = json.loads((out / f"{rid}.json").read_text("utf-8"))
            assert rows == n == fts == len(saved[table]), (rid, table)
    stored = {r[0] for r in conn.execute("SELECT id FROM reports")}
    conn.close()
    assert 3 <= len(stored) < 40, "the kill landed too late to leave work for the rerun"

    rerun = run_batch(folder, out)
    assert rerun.ok and rerun.reused == len(stored) and len(rerun.summaries) == 40
    assert len(stored_ids(out)) == 40


def _stored_quietly(out: Path) -> list[str]:
    """Report ids stored so far, or none while the database is being created or locked."""
    try:
        with sqlite3.connect(f"{(out / DB_NAME).as_uri()}?mode=ro", uri=True, timeout=0.1) as c:
            return [r[0] for r in c.execute("SELECT id FROM reports")]
    except sqlite3.Error:
        return []


def test_a_stored_summary_that_no_longer_validates_is_made_again(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch(folder, out)
    rid = sorted(folder.glob("*.txt"))[2].stem
    with sqlite3.connect(out / DB_NAME) as conn:
        conn.execute("UPDATE reports SET summary = '{\"broken\": true}' WHERE id = ?", [rid])
    backend = RecordingBackend()
    result = run_batch(folder, out, backend=backend)
    assert extracted(backend) == 1 and result.reused == 4
    assert [s.report.id for s in result.summaries] == sorted(p.stem for p in folder.glob("*.txt"))


def test_tracking_is_made_again_only_when_the_summaries_change(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(ROOT / "tests" / "data" / "tracking", folder)
    (folder / "verdicts.csv").unlink()
    out = tmp_path / "out"
    first = run_batch(folder, out)
    assert first.tracking
    stamps = {p: p.stat().st_mtime_ns for p in first.tracking}
    again = run_batch(folder, out)
    assert again.tracking == first.tracking and again.reused == 3
    assert {p: p.stat().st_mtime_ns for p in again.tracking} == stamps  # not written again
    (out / "tracking.csv").unlink()
    assert run_batch(folder, out).tracking == first.tracking  # a missing file: made again
    assert (out / "tracking.csv").is_file()
    last = sorted(folder.glob("*.txt"))[-1]
    last.unlink()  # two reports left: the links of the last year go
    fewer = run_batch(folder, out)
    assert fewer.tracking and fewer.removed == [last.stem]
    assert last.stem not in (out / "tracking.csv").read_text("utf-8-sig")
