"""Batch runs: every report done despite failures, the batch files, atomic writes, exit status."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.batch import list_reports, run_batch
from summarizer.cli import app
from summarizer.config import load_settings
from summarizer.errors import BackendError, OutputError
from summarizer.models import Summary
from summarizer.render import outputs
from summarizer.render.outputs import atomic_write_text
from summarizer.render.pages import render_html
from tests.backends import RecordingBackend, install
from tests.conftest import SEEDS

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
PER_REPORT = (".json", ".md", ".html", ".source.html")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The five seeds plus a broken file that sorts first, so the others run after it."""
    d = tmp_path / "reports"
    d.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, d / p.name)
    (d / "000_broken.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02 binary junk")
    return d


def test_batch_finishes_the_seeds_and_exits_non_zero_naming_the_broken_file(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "000_broken.txt" in result.output and "not a text report" in result.output
    for rid in SEED_IDS:
        for ext in PER_REPORT:
            assert (out / f"{rid}{ext}").stat().st_size > 0, f"{rid}{ext}"
    assert not (out / "000_broken.json").exists()
    # The closing table counts the reports and items.
    assert "reports ok" in result.output and "failed" in result.output

    summaries = [json.loads(x) for x in (out / "summaries.jsonl").read_text("utf-8").splitlines()]
    assert [s["report"]["id"] for s in summaries] == SEED_IDS

    raw = (out / "metrics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(len(s["metrics"]) for s in summaries)
    assert {r["report_id"] for r in rows} <= set(SEED_IDS)

    index = (out / "index.html").read_text("utf-8")
    body = index.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr ") == len(SEED_IDS)  # a row per report, with its filter keys
    for rid in SEED_IDS:
        assert f'href="{rid}.html"' in body and f'href="{rid}.source.html"' in body
    assert "000_broken.txt" in index.split("</tbody>")[1]  # the failure is listed too
    assert not list(out.glob(".*.tmp"))


def test_every_source_view_of_a_batch_is_highlighted(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(folder, out, load_settings())
    assert len(result.summaries) == len(SEED_IDS)
    for s in result.summaries:
        view = (out / f"{s.report.id}.source.html").read_text("utf-8")
        items = len(s.metrics) + len(s.achievements) + len(s.problems) + len(s.plans)
        assert view.count('class="anchor"') == items, s.report.id
        briefing = (out / f"{s.report.id}.html").read_text("utf-8")
        for anchor in set(re.findall(r'\.source\.html#(ev-[\w-]+)"', briefing)):
            assert f'id="{anchor}"' in view, (s.report.id, anchor)


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "workers"])
def test_callbacks_count_reports_and_chunks(folder: Path, tmp_path: Path, jobs: int) -> None:
    started: list[tuple[str, int]] = []
    chunks_done: list[int] = []
    done: list[tuple[str, bool]] = []
    result = run_batch(
        folder,
        tmp_path / "out",
        load_settings(),
        jobs=jobs,
        on_report_start=lambda p, n: started.append((p.name, n)),
        on_chunk_done=chunks_done.append,
        on_report_done=lambda p, s, reason: done.append((p.name, reason is None)),
    )
    assert len(done) == len(SEED_IDS) + 1 and ("000_broken.txt", False) in done
    assert sum(n for _, n in started) == sum(s.run.chunks for s in result.summaries)
    assert sum(chunks_done) == sum(n for _, n in started)
    assert len(result.failures) == 1 and "000_broken.txt" in result.failures[0].reason
    assert not result.ok


def test_a_rendering_fault_fails_one_report_and_leaves_no_partial_files(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = render_html
    victim = SEED_IDS[2]

    def flaky(summary: Summary, *a: Any, **kw: Any) -> str:
        if summary.report.id == victim:
            raise RuntimeError("boom")
        return real(summary, *a, **kw)

    monkeypatch.setattr(outputs, "render_html", flaky)
    out = tmp_path / "out"
    result = run_batch(folder, out, load_settings())
    assert {f.path.name for f in result.failures} == {"000_broken.txt", f"{victim}.txt"}
    reason = next(f.reason for f in result.failures if victim in f.reason)
    assert "internal error" in reason and "boom" in reason and "\n" not in reason
    assert not list(out.glob(f"{victim}*"))  # nothing half-written for the failed report
    assert len(result.summaries) == len(SEED_IDS) - 1


def test_two_files_with_one_report_id_do_not_overwrite_each_other(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    text = (SEEDS / f"{SEED_IDS[3]}.txt").read_bytes()
    (d / "report.txt").write_bytes(text)
    (d / "report.text").write_bytes(text)
    result = run_batch(d, tmp_path / "out", load_settings())
    assert len(result.summaries) == 1 and len(result.failures) == 1
    assert "same report id 'report'" in result.failures[0].reason


def test_atomic_write_keeps_the_old_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "index.html"
    atomic_write_text(target, "old")

    def fail(*a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("summarizer.render.outputs.os.replace", fail)
    with pytest.raises(OutputError, match=r"index\.html: cannot write: No space left"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temp file left


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: None, "nope: no such folder"),
        (lambda d: d.write_text("一份报告", "utf-8"), "nope: is a file, not a folder"),
        (lambda d: d.mkdir(), "no reports found in"),
        (lambda d: (d.mkdir(), (d / "README.md").write_text("# notes")), "no reports found in"),
    ],
    ids=["missing", "a-file", "empty", "only-notes"],
)
def test_a_folder_without_reports_is_a_usage_error_that_writes_nothing(
    tmp_path: Path, make: Callable[[Path], object], needle: str
) -> None:
    folder, out = tmp_path / "nope", tmp_path / "o"
    make(folder)
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("error: ") and needle in line
    assert not out.exists()  # no empty index or CSV that would pass for a finished run


def test_notes_and_earlier_outputs_in_the_folder_are_not_reports(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    shutil.copy(SEEDS / f"{SEED_IDS[4]}.txt", d / "a.txt")
    (d / "README.md").write_text("# notes", encoding="utf-8")
    first = run_batch(d, d, load_settings())  # OUTDIR is the folder itself
    assert first.ok and len(first.summaries) == 1
    second = run_batch(d, d, load_settings())  # its outputs are not taken for reports
    assert second.ok and [s.report.id for s in second.summaries] == ["a"]
    assert [p.name for p in list_reports(d)] == ["a.txt"]


@pytest.mark.parametrize(
    "fail",
    [None, BackendError("endpoint gone"), ZeroDivisionError("a bug, under --debug")],
    ids=["done", "reports-failed", "run-failed"],
)
def test_run_batch_closes_the_backend_it_made(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: Exception | None
) -> None:
    backend = install(monkeypatch, RecordingBackend(fail))
    settings = load_settings(debug=True)  # a bug stops the run instead of failing one report
    if isinstance(fail, ZeroDivisionError):
        with pytest.raises(ZeroDivisionError):
            run_batch(folder, tmp_path / "out", settings)
    else:
        result = run_batch(folder, tmp_path / "out", settings)
        assert len(result.failures) == (1 if fail is None else len(SEED_IDS) + 1)
    assert backend.closed == 1


def test_ctrl_c_closes_the_batchs_backend(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Closing is what cancels the calls still queued, so that none is sent after Ctrl-C.
    backend = install(monkeypatch, RecordingBackend(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        run_batch(folder, tmp_path / "out", load_settings())
    # The broken file fails unread; Ctrl-C in the first report read stops the run there.
    assert [event for event, _ in backend.events] == ["prefetch", "extract", "close"]


def test_run_batch_leaves_a_callers_backend_open(folder: Path, tmp_path: Path) -> None:
    backend = RecordingBackend()
    assert len(run_batch(folder, tmp_path / "out", load_settings(), backend=backend).summaries)
    assert backend.closed == 0


def test_an_out_that_is_a_file_fails_the_batch_before_any_report_is_extracted(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = install(monkeypatch, RecordingBackend())
    blocker = tmp_path / "x.json"
    blocker.write_text("{}", "utf-8")
    with pytest.raises(OutputError, match=r"x\.json: is a file, not a folder$"):
        run_batch(folder, blocker, load_settings())
    assert backend.events == []
    assert blocker.read_text("utf-8") == "{}"
