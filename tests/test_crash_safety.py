"""Crash safety: a batch killed with SIGKILL or stopped with Ctrl-C, and broken, misplaced or
locked cache folders.

A killed run must leave only whole files, the rerun must finish and reuse every reply the
killed run had cached, Ctrl-C sends no further LLM call, and a cache that cannot be used gives
one clear line or a rebuild — never a wrong answer.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.config import Settings
from summarizer.errors import CacheError
from summarizer.extract.backend import get_backend
from summarizer.extract.llm.cache import LLMCache, clear_cache
from summarizer.models import Summary
from summarizer.pipeline import prepare
from summarizer.read.source import read_report
from summarizer.render.outputs import remove_stale_temp_files

from .conftest import ROOT, SEEDS, assert_grounded
from .openai_server import ScriptedServer, request_chunk

CLI = [sys.executable, "-m", "summarizer.cli"]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL, SIGINT, pid checks")


class HoldingServer(ScriptedServer):
    """Can hold every answer after the first `hold_after` until `release` is set, so a test
    knows which calls are in flight; quiet about the connections a killed client resets."""

    def __init__(self, latency: float = 0.0, hold_after: int | None = None) -> None:
        super().__init__(latency=latency)
        self.hold_after = hold_after
        self.release = threading.Event()
        self._arrivals = 0
        report_error = self.httpd.handle_error

        def quiet(request: Any, client_address: Any) -> None:
            # the killed client's open connections reset: expected here, not worth a traceback
            if not isinstance(sys.exc_info()[1], ConnectionError):
                report_error(request, client_address)

        self.httpd.handle_error = quiet  # type: ignore[method-assign]

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            arrival = self._arrivals
            self._arrivals += 1
        out = super().answer(body, headers)  # recorded in self.requests from here on
        if self.hold_after is not None and arrival >= self.hold_after:
            self.release.wait(timeout=120)
        return out


def batch_cmd(folder: Path, out: Path, url: str, cache: Path, *extra: str) -> list[str]:
    return [
        *CLI,
        "batch",
        str(folder),
        "-o",
        str(out),
        "--backend",
        "openai",
        "--model",
        "m",
        "--base-url",
        url,
        "--cache-dir",
        str(cache),
        *extra,
    ]


def run_cli(cmd: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_here(cmd: list[str]) -> Ran:
    """A CLI run inside this process (the cache tests need no separate process and so skip
    the ~2 s import of the LLM libraries); an escaped exception would be a bug."""
    result = CliRunner().invoke(app, cmd[len(CLI) :])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def content(path: Path) -> dict[str, Any]:
    """A summary file without its run block (timings and cache counts differ between runs)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("run")
    return data


def assert_outputs_whole(out: Path, reports: list[Path]) -> list[Summary]:
    """Every file of a finished batch parses, validates and is complete; no temp file is left."""
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    summaries = []
    for report in reports:
        summary = Summary.model_validate_json((out / f"{report.stem}.json").read_bytes())
        assert_grounded(report.read_text(encoding="utf-8").replace("\r\n", "\n"), summary)
        summaries.append(summary)
        for suffix in (".html", ".source.html"):
            html = (out / f"{report.stem}{suffix}").read_text(encoding="utf-8")
            assert html.rstrip().endswith("</html>"), suffix
        assert (out / f"{report.stem}.md").read_text(encoding="utf-8").strip()
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Summary.model_validate_json(line).report.id for line in lines] == [
        r.stem for r in reports
    ]
    rows = (out / "metrics.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + sum(len(s.metrics) for s in summaries)
    return summaries


def assert_killed_run_left_whole_files(out: Path) -> None:
    """Whatever a killed run wrote under its final name is complete (temp files aside)."""
    for path in out.glob("*") if out.exists() else []:
        if path.name.endswith((".tmp", ".sqlite-journal", ".sqlite-wal", ".sqlite-shm")):
            continue
        if path.suffix == ".sqlite":  # the database: whole by its own journal
            with sqlite3.connect(path) as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            continue
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".json":
            Summary.model_validate_json(text)
        elif path.suffix == ".html":
            assert text.rstrip().endswith("</html>"), path.name
        elif path.suffix == ".jsonl":
            for line in text.splitlines():
                Summary.model_validate_json(line)


# --- kill -9 in the middle of a batch -----------------------------------------------------------


def wait_until(ready: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    """Poll until `ready()` while the batch runs (a minute at most: a hang is a bug too)."""
    deadline = time.monotonic() + 60
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch ended before the test could stop it"
    assert ready(), "the batch made no progress in a minute"


def planned_calls(folder: Path, url: str) -> int:
    """How many calls the reports of `folder` plan for at the CLI's default settings."""
    settings = Settings(backend="openai", model="m", base_url=url, use_cache=False)
    backend = get_backend(settings)  # planning sends nothing and starts no worker
    plans = [
        backend.plan(prepare(read_report(path), settings)[1])  # type: ignore[attr-defined]
        for path in sorted(folder.glob("*.txt"))
    ]
    return sum(len(plan) for plan in plans)


@pytest.mark.slow
def test_killed_batch_reruns_to_whole_files_reusing_every_cached_reply(tmp_path: Path) -> None:
    reports = sorted(SEEDS.glob("*.txt"))
    out, cache = tmp_path / "out", tmp_path / "cache"
    small = ("--chunk-size", "600")  # ~40 calls for the seeds: the kill lands mid-run
    width = 2
    server = HoldingServer(latency=0.15)
    with server:
        cmd = batch_cmd(SEEDS, out, server.url, cache, "--concurrency", str(width), *small)
        quiet = subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=quiet, stderr=quiet)
        try:
            wait_until(lambda: len(server.requests) >= 14, proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL
        assert_killed_run_left_whole_files(out)
        started = {request_chunk(body) for body in server.requests}
        first_run = len(server.requests)

        cached = LLMCache(cache).stats().entries  # a killed writer leaves an openable cache
        server.latency = 0.0
        rerun = run_cli(cmd)
        assert rerun.returncode == 0, rerun.stderr
        again = [request_chunk(body) for body in server.requests[first_run:]]

    # A worker stores a call's replies before it starts its next call, so at the kill at most
    # one call per worker was unfinished: only those, and calls never started, are asked again.
    assert len(started & set(again)) <= width, "a call finished before the kill was asked again"
    assert len(again) >= 5, "the kill landed too late to leave work for the rerun"
    assert len(again) == len(set(again)), "the rerun asked for a chunk twice"
    summaries = assert_outputs_whole(out, reports)
    assert cached and sum(s.run.cache_hits for s in summaries) == cached  # every reply reused
    assert sum(s.run.llm_calls for s in summaries) == len(again)

    # the rerun's answers equal those of a run that was never interrupted
    with ScriptedServer() as clean_server:
        clean_out = tmp_path / "clean"
        clean_cmd = batch_cmd(SEEDS, clean_out, clean_server.url, tmp_path / "cache2", *small)
        clean = run_here(clean_cmd)
        assert clean.returncode == 0, clean.stderr
    for report in reports:
        name = f"{report.stem}.json"
        assert content(out / name) == content(clean_out / name)


@pytest.mark.slow
def test_ctrl_c_sends_no_queued_call_and_leaves_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    width = 2
    # The first round is answered at once; the second is held at the server, so Ctrl-C surely
    # lands while every worker waits on a call and more calls are queued behind them.
    server = HoldingServer(hold_after=width)
    with server:
        cmd = batch_cmd(SEEDS, out, server.url, tmp_path / "cache", "--concurrency", str(width))
        quiet = subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=quiet, stderr=quiet)
        try:
            wait_until(lambda: len(server.requests) == 2 * width, proc)
            sent = len(server.requests)
            proc.send_signal(signal.SIGINT)
            # The held answers go out after a grace that lets the client take the signal (no
            # duration is asserted): a client that kept its queue sends the queued calls once
            # its workers are free, however long the grace was.
            time.sleep(2.0)
            server.release.set()
            proc.wait(timeout=60)
        finally:
            server.release.set()
            if proc.poll() is None:
                proc.kill()
        after = len(server.requests) - sent
    assert proc.returncode != 0
    assert planned_calls(SEEDS, server.url) > sent, "no call was queued: the test proves nothing"
    assert after == 0, f"{after} calls were sent after Ctrl-C"
    assert_killed_run_left_whole_files(out)


def test_temp_files_of_a_killed_writer_are_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".a.json.{dead.pid}.k3j_x9q2.tmp"
    live = tmp_path / f".b.json.{os.getpid()}.abcdefgh.tmp"
    other = tmp_path / ".notes.tmp"  # not ours: never touched
    for path in (stale, live, other):
        path.write_text("{half a fi", encoding="utf-8")
    assert remove_stale_temp_files(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and other.exists()


def test_rerun_of_a_batch_clears_a_half_written_temp_file(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    report = sorted(SEEDS.glob("*.txt"))[0]
    (folder / report.name).write_bytes(report.read_bytes())
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    # what kill -9 between mkstemp and the rename leaves behind
    (out / f".{report.stem}.json.{dead.pid}.q1w2e3r4.tmp").write_text('{"schema', "utf-8")
    done = run_cli([*CLI, "batch", str(folder), "-o", str(out)])
    assert done.returncode == 0, done.stderr
    assert_outputs_whole(out, [folder / report.name])
    # the temp file's owner-only mode must not stick to the output (the CLI shares our umask)
    mask = os.umask(0o022)
    os.umask(mask)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in out.iterdir()}
    assert set(modes.values()) == {oct(0o666 & ~mask)}, modes


# --- cache folders that cannot be used ----------------------------------------------------------

REPORT = """某某街道2023年工作总结
一、2023年工作回顾
全年完成一般公共预算收入4.01亿元，同比下降14.4%。实现税收总额12.5亿元，同比增长3.2%。
二、存在的问题
一是经济增长动力不足，新兴产业占比偏低。
三、2024年工作打算
明年将全力推进重大项目建设，力争固定资产投资达到20亿元。
"""


@pytest.fixture
def one_report(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.txt").write_text(REPORT, encoding="utf-8")
    return folder


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def assert_one_clear_cache_line(done: Ran, cache: Path) -> None:
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert str(cache) in done.stderr and "cache" in done.stderr
    assert "internal error" not in done.stderr


def test_garbage_cache_db_is_a_clear_line_then_clear_rebuilds_it(
    one_report: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run_here(batch_cmd(one_report, out, server.url, cache)).returncode == 0
    good = content(out / "r.json")
    (cache / "cache.db").write_bytes(os.urandom(64 * 1024))
    broken = run_here(batch_cmd(one_report, tmp_path / "out2", server.url, cache))
    assert_one_clear_cache_line(broken, cache)
    assert "cache clear" in broken.stderr
    assert not (tmp_path / "out2" / "r.json").exists(), "nothing is written from a broken cache"
    assert run_here([*CLI, "cache", "clear", "--cache-dir", str(cache)]).returncode == 0
    fixed = run_here(batch_cmd(one_report, tmp_path / "out3", server.url, cache))
    assert fixed.returncode == 0, fixed.stderr
    assert content(tmp_path / "out3" / "r.json") == good


def test_truncated_cache_db_gives_the_right_answer_or_a_clear_line(
    one_report: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run_here(batch_cmd(one_report, out, server.url, cache)).returncode == 0
    good = content(out / "r.json")
    db = cache / "cache.db"
    for name in ("cache.db-wal", "cache.db-shm"):
        (cache / name).unlink(missing_ok=True)
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])  # a disk that lost the tail
    again = run_here(batch_cmd(one_report, tmp_path / "out2", server.url, cache))
    if again.returncode == 0:
        assert content(tmp_path / "out2" / "r.json") == good
    else:
        assert_one_clear_cache_line(again, cache)
        assert "cache clear" in again.stderr


def test_cache_dir_under_a_file_is_a_clear_line(
    one_report: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    # we run as root, so chmod cannot make a folder unwritable; a path under a file can
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = blocker / "cache"
    done = run_here(batch_cmd(one_report, tmp_path / "out", server.url, cache))
    assert_one_clear_cache_line(done, cache)
    assert not server.requests, "no LLM call is paid for when its reply cannot be kept"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


LOCK_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # held until the test writes a line (or ends)
db.execute("ROLLBACK")
"""


def hold_lock(db: Path) -> subprocess.Popen[str]:
    """A process holding `db`'s write lock until a line is written to its stdin."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_briefly_locked_cache_is_waited_for_and_answers_right(
    one_report: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run_here(batch_cmd(one_report, out, server.url, cache)).returncode == 0
    good, calls = content(out / "r.json"), len(server.requests)
    holder = hold_lock(cache / "cache.db")
    done: list[Ran] = []
    rerun = threading.Thread(
        target=lambda: done.append(
            run_here(batch_cmd(one_report, tmp_path / "out2", server.url, cache))
        )
    )
    try:
        rerun.start()
        rerun.join(timeout=1.0)  # a pause, not a measure: the run cannot end while locked
        waited = rerun.is_alive()
        assert holder.stdin is not None
        holder.stdin.write("release\n")
        holder.stdin.flush()
        rerun.join(timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert waited, "the run ended while another process held the cache's lock"
    assert done and done[0].returncode == 0, done and done[0].stderr
    assert content(tmp_path / "out2" / "r.json") == good
    assert len(server.requests) == calls, "served from the cache once the lock was gone"


def test_lock_held_too_long_is_a_clear_line_and_clear_deletes_nothing(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path, timeout=0.5)
    cache.set("k", {"v": 1})
    holder = hold_lock(tmp_path / "cache.db")
    try:
        with pytest.raises(CacheError) as info:
            cache.set("k2", {"v": 2})  # diskcache's own Timeout must not leak out
        assert "locked by another process" in str(info.value) and str(tmp_path) in str(info.value)
        with pytest.raises(CacheError, match="locked by another process"):
            LLMCache(tmp_path, timeout=0.5)
        with pytest.raises(CacheError, match="locked by another process"):
            clear_cache(tmp_path, timeout=0.5)  # in use, not corrupt: its files must stay
        assert (tmp_path / "cache.db").exists()
    finally:
        holder.kill()
        holder.wait()
    assert cache.get("k") == {"v": 1}
    cache.close()
