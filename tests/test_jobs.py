"""--jobs N: reports in worker processes give the very files of one process, a report that
raises or a worker that dies fails alone, and Ctrl-C stops the workers leaving whole files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import pool
from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.config import load_settings
from summarizer.errors import ConfigError, SummarizerError
from summarizer.evaluate.run import run_eval
from summarizer.models import Summary
from summarizer.render import outputs
from summarizer.render.pages import render_html

from .batch_outputs import TRACKED, assert_same_outputs, reports_folder
from .conftest import ROOT, SAMPLE_REPORTS, SEEDS

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork, SIGKILL, SIGINT")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seeds and the province samples, a file that is no report, and two files of one id."""
    d = reports_folder(tmp_path / "reports")
    seed = next(SEEDS.glob("*.txt")).read_bytes()
    (d / "twice.txt").write_bytes(seed)
    (d / "twice.text").write_bytes(seed)
    return d


def test_two_jobs_write_the_files_of_one_process(folder: Path, tmp_path: Path) -> None:
    one = run_batch(folder, tmp_path / "one", load_settings(), jobs=1)
    two = run_batch(folder, tmp_path / "two", load_settings(), jobs=2)
    assert_same_outputs(tmp_path / "one", tmp_path / "two")
    assert [s.report.id for s in two.summaries] == [s.report.id for s in one.summaries]
    assert [f.reason for f in two.failures] == [f.reason for f in one.failures]
    reasons = " | ".join(f.reason for f in two.failures)
    assert "000_broken.txt" in reasons and "same report id 'twice'" in reasons
    assert len(two.summaries) == len(SAMPLE_REPORTS) + len(TRACKED) + 5 + 1
    assert (tmp_path / "two" / "tracking.csv").is_file()  # written after the workers


def test_the_cli_runs_every_core_by_default_with_the_same_files(
    folder: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    one = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "one"), "--jobs", "1"])
    default = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "all")])
    assert one.exit_code == default.exit_code == 1  # the broken file and the second "twice"
    assert_same_outputs(tmp_path / "one", tmp_path / "all")


def test_a_report_that_raises_in_a_worker_fails_alone_with_its_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = "p26_hainan"

    def flaky(summary: Summary, *a: Any, **kw: Any) -> str:
        if summary.report.id == victim:
            raise RuntimeError("boom")
        return render_html(summary, *a, **kw)

    monkeypatch.setattr(outputs, "render_html", flaky)  # the forked workers inherit it
    out = tmp_path / "out"
    result = run_batch(folder, out, load_settings(), jobs=2)
    (reason,) = [f.reason for f in result.failures if victim in f.reason]
    assert reason.startswith(str(folder / f"{victim}.txt"))
    assert "internal error (RuntimeError: boom)" in reason and "\n" not in reason
    assert not list(out.glob(f"{victim}*")) and not list(out.glob(".*.tmp"))
    assert len(result.summaries) == len(SAMPLE_REPORTS) + len(TRACKED) - 1 + 5 + 1


def test_a_worker_that_dies_fails_only_the_report_it_held(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = "p26_hebei"

    def killed(summary: Summary, *a: Any, **kw: Any) -> str:
        if summary.report.id == victim:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return render_html(summary, *a, **kw)

    monkeypatch.setattr(outputs, "render_html", killed)
    out = tmp_path / "out"
    result = run_batch(folder, out, load_settings(), jobs=2)
    (reason,) = [f.reason for f in result.failures if victim in f.reason]
    assert reason == (
        f"{folder / victim}.txt: the worker process died (killed by signal 9); rerun with --jobs 1"
    )
    assert len(result.summaries) == len(SAMPLE_REPORTS) + len(TRACKED) - 1 + 5 + 1  # the rest
    assert {s.report.id for s in result.summaries} >= {p.stem for p in SEEDS.glob("*.txt")}
    assert victim not in (out / "index.html").read_text("utf-8").split("</tbody>")[0]


def test_jobs_are_for_the_rules_backend(tmp_path: Path) -> None:
    llm = ["--backend", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"]
    result = CliRunner().invoke(
        app, ["batch", str(SEEDS), "-o", str(tmp_path / "o"), "--jobs", "2", *llm]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert "--jobs is for the rules backend" in line and "--concurrency" in line
    assert not (tmp_path / "o").exists()
    with pytest.raises(ConfigError, match="at least 1"):
        run_batch(SEEDS, tmp_path / "o", load_settings(), jobs=0)


def test_ctrl_c_stops_every_worker_and_leaves_only_whole_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    # Enough work that Ctrl-C lands while workers are busy, on a loaded machine too: the batch
    # is killed at its first report, whatever the size, and 40 copies take seconds to finish.
    copies = 40
    for i in range(copies):
        for p in SAMPLE_REPORTS:
            shutil.copy(p, folder / f"{i:02d}_{p.name}")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "summarizer.cli", "batch", str(folder), "-o", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*.json")) and proc.poll() is None:
            assert time.monotonic() < deadline, "no report was written"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: every process of the group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0 and b"Traceback" not in err, err
    with pytest.raises(ProcessLookupError):  # no worker left behind
        os.killpg(proc.pid, 0)
    assert not list(out.glob(".*.tmp"))
    assert not (out / "index.html").exists()  # the run did not finish
    written = list(out.glob("*.json"))
    assert 0 < len(written) < copies * len(SAMPLE_REPORTS)
    for path in written:
        json.loads(path.read_text("utf-8"))


def test_eval_in_workers_scores_as_one_process() -> None:
    labels, reports = ROOT / "evals" / "real" / "labels", ROOT / "evals" / "real" / "reports"
    one = run_eval(labels, reports, load_settings(), jobs=1)
    two = run_eval(labels, reports, load_settings(), jobs=2)
    assert two.reports == one.reports and two.totals == one.totals
    assert len(two.reports) == len(list(labels.glob("*.json"))) > 1


def test_eval_in_workers_stops_at_a_report_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*a: Any, **kw: Any) -> Summary:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(pool, "summarize_report", broken)  # the forked workers inherit it
    with pytest.raises(SummarizerError, match=r"\.txt: internal error \(RuntimeError: extractor"):
        run_eval(ROOT / "evals" / "labels", SEEDS, load_settings(), jobs=2)
