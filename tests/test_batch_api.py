"""--batch-api and `summarizer batch-api` against the scripted server's Files and Batches API.

Everything travels over real HTTP: the server counts live chat completions (`requests`),
batch lines (`batch_requests`) and batch creations, and scripts per-line and per-batch faults.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, nullcontext
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.batch import list_reports, run_batch
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.batchapi.book import CallBook
from summarizer.extract.llm.batchapi.collect import Tally
from summarizer.extract.llm.batchapi.lines import Limits, read_results, split_lines
from summarizer.extract.llm.batchapi.run import BatchOptions, batch_backend
from summarizer.extract.llm.batchapi.state import state_path

from .conftest import ROOT, SEEDS
from .openai_server import BatchScript, Row, ScriptedServer, request_chunk
from .test_openai_backend import KEY, make_settings


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def settings_for(server: ScriptedServer, cache: Path, **changes: Any) -> Settings:
    """The openai settings of the backend tests at the usual chunk size, caching in `cache`."""
    return make_settings(server, cache, chunk_size=2500, **changes).with_(cache_dir=cache)


FAST = BatchOptions(poll=0.01, poll_max=0.05)


def batch_run(
    settings: Settings, out: Path, options: BatchOptions = FAST, folder: Path = SEEDS
) -> Tally:
    tallies: list[Tally] = []
    with batch_backend(list_reports(folder), settings, options, on_done=tallies.append) as b:
        result = run_batch(folder, out, settings, backend=b)
    assert result.ok, [f.reason for f in result.failures]
    return tallies[0]


def without_timings(text: str) -> str:
    """A JSON summary or summaries.jsonl line with the run's timings and batch ids blanked."""

    def blank(summary: dict[str, Any]) -> dict[str, Any]:
        for field in ("seconds", "created", "batches"):
            summary["run"][field] = None
        return summary

    if text.lstrip().startswith("{") and "\n{" not in text.strip():
        return json.dumps(blank(json.loads(text)), ensure_ascii=False, indent=1)
    return "\n".join(json.dumps(blank(json.loads(x))) for x in text.splitlines() if x.strip())


# When a summary was made, as the pages print it (run.created to the minute).
CREATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _items_in(db_path: Path) -> list[str]:
    """A database's rows as SQL, but for the reports' own rows (their summary JSON holds the
    run's timings and batch ids, compared above in the JSON files) and the steps' state."""
    with closing(sqlite3.connect(db_path)) as db:
        skip = ('INSERT INTO "reports"', 'INSERT INTO "batch_state"')
        return [line for line in db.iterdump() if not line.startswith(skip)]


def assert_same_outputs(live: Path, batch: Path) -> None:
    """Every file byte-identical, apart from the run's timings (and batch ids)."""
    names = sorted(p.name for p in live.iterdir())
    assert names == sorted(p.name for p in batch.iterdir()) and len(names) > 10
    for name in names:
        if name.endswith(".sqlite"):
            assert _items_in(live / name) == _items_in(batch / name), name
            continue
        a, b = (live / name).read_text(encoding="utf-8"), (batch / name).read_text("utf-8")
        if name.endswith(".json") or name.endswith(".jsonl"):
            a, b = without_timings(a), without_timings(b)
        a, b = CREATED.sub("(created)", a), CREATED.sub("(created)", b)
        assert a == b, name


def call_texts(settings: Settings) -> list[str]:
    backend = OpenAIBackend(settings)
    try:
        book = CallBook(backend, settings).plan(list_reports(SEEDS))
        return [planned.call.text for planned in book.calls.values()]
    finally:
        backend.close()


def phrase_of(texts: list[str], n: int) -> str:
    """A phrase found in the n-th call text and in no other: a Row aimed at that call."""
    text = texts[n]
    for start in range(0, len(text) - 16):
        phrase = text[start : start + 16]
        if "\n" not in phrase and sum(phrase in t for t in texts) == 1:
            return phrase
    raise AssertionError("no phrase of its own")


# --- the request lines ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_each_line_is_the_request_the_live_path_sends(
    server: ScriptedServer, tmp_path: Path, mode: str
) -> None:
    live = settings_for(server, tmp_path / "live", mode=mode)
    run_batch(SEEDS, tmp_path / "out-live", live)
    batch_run(settings_for(server, tmp_path / "batch", mode=mode), tmp_path / "out-batch")

    def key(body: dict[str, Any]) -> str:
        return json.dumps(body, sort_keys=True)

    assert sorted(map(key, server.batch_requests)) == sorted(map(key, server.requests))
    assert server.batch_creations == 1


def test_split_lines_keeps_each_file_within_both_limits() -> None:
    lines = [f'{{"n": {i}, "pad": "{"x" * (i % 7)}"}}\n' for i in range(23)]
    files = split_lines(lines, Limits(lines=5, bytes=60))
    assert [line for part in files for line in part] == lines
    assert all(len(part) <= 5 and sum(len(x) for x in part) <= 60 for part in files)
    assert len(split_lines(lines, Limits(lines=10))) == 3
    with pytest.raises(ValueError, match="over the file limit"):
        split_lines(["x" * 100], Limits(bytes=50))


def test_result_lines_of_both_forms_are_read() -> None:
    ok = {"choices": [], "id": "c", "created": 0, "model": "m", "object": "chat.completion"}
    text = "\n".join(
        [
            json.dumps({"custom_id": "a", "response": {"status_code": 200, "body": ok}}),
            json.dumps({"custom_id": "b", "response": None, "error": {"code": "batch_expired"}}),
            json.dumps(
                {"custom_id": "c", "response": {"status_code": 500, "body": {"error": "boom"}}}
            ),
            "not json",
        ]
    )
    outcomes, unreadable = read_results(text)
    assert outcomes["a"].completion is not None and unreadable == 1
    assert outcomes["b"].error == "batch_expired:" and not outcomes["b"].answered
    assert outcomes["c"].error == "HTTP 500: boom" and outcomes["c"].answered


def test_result_lines_of_llama_stack_are_read() -> None:
    """Llama Stack's reference Batches provider writes the body as JSON text, and a request
    its model failed as an error with no response: the request ran, an attempt."""
    ok = {"choices": [], "id": "c", "created": 0, "model": "m", "object": "chat.completion"}
    failed = {"type": "request_failed", "message": "Error code: 500 - boom"}
    text = "\n".join(
        [
            json.dumps(
                {"custom_id": "a", "response": {"status_code": 200, "body": json.dumps(ok)}}
            ),
            json.dumps({"custom_id": "b", "response": {"status_code": 200, "body": "{not json"}}),
            json.dumps({"custom_id": "c", "error": failed}),
        ]
    )
    outcomes, unreadable = read_results(text)
    assert unreadable == 0 and outcomes["a"].completion is not None
    assert outcomes["a"].completion.id == "c"
    assert outcomes["b"].completion is None and outcomes["b"].answered
    assert outcomes["c"].error == "request_failed: Error code: 500 - boom"
    assert outcomes["c"].answered and outcomes["c"].completion is None


# --- the whole round trip -----------------------------------------------------------------------


def test_batch_over_the_seeds_makes_no_live_call_and_writes_the_live_outputs(
    server: ScriptedServer, tmp_path: Path
) -> None:
    live = settings_for(server, tmp_path / "live")
    run_batch(SEEDS, tmp_path / "out-live", live)
    calls = len(server.requests)
    settings = settings_for(server, tmp_path / "batch")
    tally = batch_run(settings, tmp_path / "out-batch")
    assert len(server.requests) == calls, "no live chat completion"
    assert len(server.batch_requests) == tally.sent == tally.answered == calls
    assert server.batch_creations == 1 and tally.batches == ["batch_0001"]
    assert_same_outputs(tmp_path / "out-live", tmp_path / "out-batch")
    runs = [
        json.loads(p.read_text("utf-8"))["run"] for p in (tmp_path / "out-batch").glob("0*.json")
    ]
    assert all(r["batches"] == ["batch_0001"] and r["llm_calls"] > 0 for r in runs)
    assert sum(r["input_tokens"] for r in runs) == tally.input_tokens > 0
    # the answers are in the cache: the same run again sends nothing and reads cache hits
    again = batch_run(settings, tmp_path / "out-again")
    assert (again.sent, server.batch_creations, len(server.requests)) == (0, 1, calls)
    runs = [
        json.loads(p.read_text("utf-8"))["run"] for p in (tmp_path / "out-again").glob("0*.json")
    ]
    assert all(r["llm_calls"] == 0 and r["cache_hits"] > 0 and not r["batches"] for r in runs)


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_failed_lines_go_to_live_retry_and_outputs_match_the_live_run(
    server: ScriptedServer, tmp_path: Path, mode: str
) -> None:
    texts = call_texts(settings_for(server, tmp_path / "plan", mode=mode))
    error, invalid = phrase_of(texts, 0), phrase_of(texts, 3)

    def faults() -> None:
        server.enqueue(Row(status=500, match=error), Row(bad_quote=True, match=invalid))

    faults()
    run_batch(SEEDS, tmp_path / "out-live", settings_for(server, tmp_path / "live", mode=mode))
    calls = len(server.requests)
    live_reask = [b for b in server.requests if invalid in request_chunk(b)][-1]
    faults()
    tally = batch_run(settings_for(server, tmp_path / "batch", mode=mode), tmp_path / "out-batch")
    retried = [request_chunk(body) for body in server.requests[calls:]]
    assert len(retried) == 2 == tally.live and (tally.errors, tally.invalid) == (1, 1)
    assert sum(error in t for t in retried) == 1
    (reask,) = [b for b in server.requests[calls:] if invalid in request_chunk(b)]
    sent = json.dumps(reask["messages"], ensure_ascii=False)
    assert "not a verbatim part of the text" in sent and "这句话不在原文里出现过" in sent
    assert json.dumps(reask, sort_keys=True) == json.dumps(live_reask, sort_keys=True)
    assert tally.failed == 0 and tally.answered == len(texts)
    # A live run meets the same 500 and the same invented quote: the outputs agree, and so
    # does the accounting (attempts, retries, re-asks) of the calls that met them.
    live_out, batch_out = tmp_path / "out-live", tmp_path / "out-batch"
    assert_same_outputs(live_out, batch_out)


def test_batch_retries_send_failures_in_another_batch_not_live(
    server: ScriptedServer, tmp_path: Path
) -> None:
    texts = call_texts(settings_for(server, tmp_path / "plan"))
    invalid, error = phrase_of(texts, 1), phrase_of(texts, 2)
    server.enqueue(Row(bad_quote=True, match=invalid), Row(status=503, match=error))
    options = BatchOptions(retries=1, poll=0.01, poll_max=0.05)
    tally = batch_run(settings_for(server, tmp_path / "c"), tmp_path / "out", options)
    assert not server.requests, "no live call"
    assert server.batch_creations == 2 and tally.sent == len(texts) + 2
    second = server.batch_requests[len(texts) - 1 :]  # the first batch answered all but one
    reask = [b for b in second if invalid in request_chunk(b)][-1]
    assert "not a verbatim part of the text" in json.dumps(reask["messages"], ensure_ascii=False)
    assert tally.answered == len(texts) and tally.live == 0


@pytest.mark.parametrize(
    ("script", "live"),
    [(BatchScript(outcome="expired", answered=4), "rest"), (BatchScript(outcome="failed"), "all")],
)
def test_expired_and_failed_batches_leave_no_call_unanswered(
    server: ScriptedServer, tmp_path: Path, script: BatchScript, live: str
) -> None:
    texts = call_texts(settings_for(server, tmp_path / "plan"))
    server.batch_scripts.append(script)
    tally = batch_run(settings_for(server, tmp_path / "c"), tmp_path / "out")
    expected = len(texts) - 4 if live == "rest" else len(texts)
    assert len(server.requests) == tally.live == expected
    assert tally.answered == len(texts) and tally.failed == 0


def test_a_batch_cancelled_elsewhere_sends_its_calls_live(
    server: ScriptedServer, tmp_path: Path
) -> None:
    """Cancelled from the provider's dashboard while we poll: nothing is answered, so every
    call goes to the live retry and the run still completes."""
    import openai

    texts = call_texts(settings_for(server, tmp_path / "plan"))
    server.hold.set()
    dashboard = openai.OpenAI(base_url=server.url, api_key="other")

    def cancel_once(batches: Any, _: float) -> None:
        if batches[0].status == "in_progress":
            dashboard.batches.cancel(batches[0].id)
            server.hold.clear()

    def watch() -> nullcontext[Any]:
        return nullcontext(cancel_once)

    settings = settings_for(server, tmp_path / "c")
    tallies: list[Tally] = []
    with batch_backend(list_reports(SEEDS), settings, FAST, watch, tallies.append) as backend:
        result = run_batch(SEEDS, tmp_path / "out", settings, backend=backend)
    (batch,) = server.batches.values()
    assert batch["status"] == "cancelled" and result.ok
    assert len(server.requests) == tallies[0].live == len(texts)


@pytest.mark.parametrize(
    ("flags", "message"),
    [(["--backend", "rules"], "needs --backend openai"), (["--no-cache"], "drop --no-cache")],
)
def test_batch_api_without_its_needs_is_one_line(
    server: ScriptedServer, tmp_path: Path, flags: list[str], message: str
) -> None:
    base = ["batch", str(SEEDS), "-o", str(tmp_path / "out"), "--batch-api"]
    openai_flags = ["--backend", "openai", "--model", "m", "--base-url", server.url]
    done = CliRunner().invoke(app, [*base, *openai_flags, *flags])
    assert done.exit_code == 2 and message in done.output
    assert not server.batch_creations and not (tmp_path / "out").exists()


def test_files_are_split_at_the_line_limit(server: ScriptedServer, tmp_path: Path) -> None:
    options = BatchOptions(poll=0.01, limits=Limits(lines=5))
    tally = batch_run(settings_for(server, tmp_path / "c"), tmp_path / "out", options)
    total = tally.sent
    assert server.batch_creations == len(tally.batches) == -(-total // 5) >= 3
    sizes = sorted(b["request_counts"]["total"] for b in server.batches.values())
    assert sum(sizes) == total and max(sizes) == 5


def test_a_call_with_no_valid_answer_fails_its_report_only(
    server: ScriptedServer, tmp_path: Path
) -> None:
    texts = call_texts(settings_for(server, tmp_path / "plan"))
    server.enqueue(Row(status=401, sticky=True, match=phrase_of(texts, 0)))
    settings = settings_for(server, tmp_path / "c")
    with batch_backend(list_reports(SEEDS), settings, FAST) as backend:
        result = run_batch(SEEDS, tmp_path / "out", settings, backend=backend)
    assert len(result.failures) == 1 and len(result.summaries) == 4
    assert "HTTP 401" in result.failures[0].reason and "run the same command again" in (
        result.failures[0].reason
    )
    assert KEY not in result.failures[0].reason
    assert len(server.requests) == 1, "one live retry, no live call while assembling"


# --- resuming -------------------------------------------------------------------------------------


def cli(server: ScriptedServer, cache: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "summarizer.cli",
        "batch",
        str(SEEDS),
        "-o",
        str(out),
        "--backend",
        "openai",
        "--model",
        "test-model",
        "--base-url",
        server.url,
        "--cache-dir",
        str(cache),
        "--batch-api",
        "--batch-poll",
        "0.05",
        *extra,
    ]


def kill_9_when(args: list[str], env: dict[str, str], polled: Callable[[], bool]) -> None:
    """Start the CLI `args`, and kill -9 it once `polled()`: its batch is in progress."""
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not polled():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the CLI never polled an in-progress batch"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.slow
def test_kill_9_while_polling_then_the_same_command_resumes_without_a_second_batch(
    server: ScriptedServer, tmp_path: Path
) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    env = {**os.environ, "OPENAI_API_KEY": KEY}
    server.hold.set()  # the batch stays in_progress: the CLI polls

    def polled() -> bool:
        batches = list(server.batches.values())
        return bool(batches) and batches[0]["status"] == "in_progress"

    kill_9_when(cli(server, cache, out), env, polled)
    assert server.batch_creations == 1 and not list(out.glob("*.json"))
    saved = state_path(cache, server.url).read_text("utf-8")
    assert list(json.loads(saved)["batches"]) == ["batch_0001"] and KEY not in saved
    server.hold.clear()
    done = subprocess.run(
        cli(server, cache, out), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert server.batch_creations == 1, "the rerun polled the batch it had, and made none"
    assert not server.requests and len(list(out.glob("0*.json"))) == 5
    assert "1 batches (batch_0001)" in done.stderr and KEY not in done.stdout + done.stderr


def test_a_batch_created_but_not_recorded_is_found_not_created_again(
    server: ScriptedServer, tmp_path: Path
) -> None:
    """The window between creating a batch and saving its id: the state holds the upload,
    and the rerun finds the batch made of that file."""
    settings = settings_for(server, tmp_path / "c")
    server.hold.set()
    seen: list[str] = []

    def stop(batches: Any, _: float) -> None:
        seen.append(batches[0].status)
        raise KeyboardInterrupt  # Ctrl-C while polling

    def watch() -> nullcontext[Any]:
        return nullcontext(stop)

    with (
        pytest.raises(KeyboardInterrupt),
        batch_backend(list_reports(SEEDS), settings, FAST, watch),
    ):
        pass
    path = state_path(settings.cache_dir, server.url)
    state = json.loads(path.read_text("utf-8"))
    (bid, batch), *_ = state["batches"].items()
    state["uploads"] = {batch["file"]: batch["calls"]}  # as if killed before recording it
    state["batches"] = {}
    for entry in state["calls"].values():
        entry["batch"] = None
    path.write_text(json.dumps(state), encoding="utf-8")
    server.hold.clear()
    tally = batch_run(settings, tmp_path / "out")
    assert server.batch_creations == 1 and tally.batches == [bid] and not server.requests


# --- export / import (vLLM run-batch) -------------------------------------------------------


def run_batch_file(server: ScriptedServer, requests: Path, results: Path, spoil: str) -> None:
    """What `vllm run-batch -i requests -o results` does, against the scripted server; the
    call holding `spoil` gets an answer that is not JSON."""
    lines = []
    for line in requests.read_text("utf-8").splitlines():
        item = json.loads(line)
        if spoil in request_chunk(item["body"]):
            server.enqueue(Row(malformed=True, match=spoil))
        sent = urllib.request.Request(
            f"{server.url}/chat/completions",
            data=json.dumps(item["body"]).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(sent, timeout=10) as answer:
            body = json.loads(answer.read())
        response = {"status_code": 200, "request_id": "r", "body": body}
        lines.append(json.dumps({"id": "x", "custom_id": item["custom_id"], "response": response}))
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_export_then_import_fills_the_cache_and_invalid_lines_are_asked_again(
    server: ScriptedServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    flags = ["--backend", "openai", "--model", "test-model", "--base-url", server.url]
    flags += ["--cache-dir", str(cache)]
    runner = CliRunner()
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    done = runner.invoke(app, ["batch-api", "export", str(SEEDS), "-o", str(requests), *flags])
    assert done.exit_code == 0, done.output
    texts = call_texts(settings_for(server, tmp_path / "plan"))
    assert len(requests.read_text("utf-8").splitlines()) == len(texts)
    spoil = phrase_of(texts, 2)
    run_batch_file(server, requests, results, spoil)
    done = runner.invoke(app, ["batch-api", "import", str(results), *flags])
    assert done.exit_code == 0, done.output
    assert f"{len(texts) - 1} answers cached, 1 invalid" in done.output
    # the invalid one is exported again, alone
    done = runner.invoke(app, ["batch-api", "export", str(SEEDS), "-o", str(requests), *flags])
    (line,) = requests.read_text("utf-8").splitlines()
    assert spoil in request_chunk(json.loads(line)["body"])
    run_batch_file(server, requests, results, spoil="never")
    runner.invoke(app, ["batch-api", "import", str(results), *flags])
    sent = len(server.requests)
    done = runner.invoke(app, ["batch", str(SEEDS), "-o", str(tmp_path / "out"), *flags])
    assert done.exit_code == 0 and len(server.requests) == sent, "every call was cached"


def test_eval_with_batch_api_scores_from_batch_answers(
    server: ScriptedServer, tmp_path: Path
) -> None:
    flags = ["--backend", "openai", "--model", "test-model", "--base-url", server.url]
    flags += ["--cache-dir", str(tmp_path / "cache"), "--no-record"]
    labels, reports = str(ROOT / "evals" / "labels"), str(SEEDS)
    args = ["eval", "--labels", labels, "--reports", reports, *flags, "--show", "0"]
    done = CliRunner().invoke(app, [*args, "--batch-api", "--batch-poll", "0.01"])
    assert done.exit_code == 0, done.output
    assert not server.requests and server.batch_creations == 1 and server.batch_requests
