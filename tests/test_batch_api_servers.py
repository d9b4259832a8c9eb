"""--batch-api against independent servers of the OpenAI Files and Batches API.

Llama Stack (PyPI llama-stack): its own Files provider (inline::localfs) stores the uploads and
its reference Batches provider runs each batch: it validates the lines, moves the batch through
validating → in_progress → completed, sends each line to its inference router and writes the
output and error files. Its inference provider (remote::openai) is the scripted model of
tests/openai_server.py, so the same request gets the same answer live and inside a batch, and
faults are scripted per request. Every request the scripted model receives is either one of our
client's live calls, forwarded by Llama Stack, or one batch line: a batch run that makes no live
call makes the scripted model see exactly its lines.

llmock (PyPI): a mock of ten providers whose batches answer every line in canned prose.

Both run from .venv-batch-servers (Python >= 3.12, pinned by tests/batch_servers/
requirements.txt), which scripts/test.sh installs. Without it these tests skip, but fail in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import run_batch
from summarizer.config import Settings
from summarizer.extract.llm.batchapi.run import BatchOptions

from .conftest import ROOT, SEEDS
from .openai_server import Row, ScriptedServer, request_chunk
from .test_batch_api import (
    assert_same_outputs,
    batch_run,
    call_texts,
    kill_9_when,
    phrase_of,
)
from .test_openai_backend import KEY
from .test_search_explore import free_port

SERVERS_BIN = ROOT / ".venv-batch-servers" / "bin"
LLAMA_STACK_CONFIG = ROOT / "tests" / "batch_servers" / "llamastack.yaml"
MODEL = "scripted/test-model"  # Llama Stack names a model by its provider
POLL = BatchOptions(poll=0.2, poll_max=0.5)


@dataclass
class Stack:
    url: str  # Llama Stack's OpenAI-compatible base URL
    model: ScriptedServer  # the model behind it

    def batches(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/batches?limit=100", timeout=10) as answer:
            data: list[dict[str, Any]] = json.loads(answer.read())["data"]
        return data

    def file_lines(self, file_id: str) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/files/{file_id}/content", timeout=10) as answer:
            text = answer.read().decode("utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def server_program(name: str) -> Path:
    """A program of .venv-batch-servers; the test skips without it, but fails in CI."""
    program = SERVERS_BIN / name
    if not program.exists():
        reason = f"{program} is missing: bash scripts/test.sh installs the servers"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return program


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until GET `url` answers (the server is up), or fail with the end of its log."""
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            started = proc.poll() is None and time.monotonic() < deadline
            assert started, log.read_text("utf-8", "replace")[-3000:]
            time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- Llama Stack ----------------------------------------------------------------------------


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    llama = server_program("llama")
    state = tmp_path / "llama-stack"
    state.mkdir()
    log = (state / "server.log").open("wb")
    with ScriptedServer() as model:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(state),
            "LLAMA_STACK_CONFIG_DIR": str(state),
            "SCRIPTED_URL": model.url,
            "STATE_DIR": str(state),
            "LLAMA_STACK_LOGGING": "all=warning",
            # plain log lines: Rich's rendering of a traceback (a 500 from the model) stalls
            # the server for seconds and drops the next request's connection
            "LLAMA_STACK_LOG_FORMAT": "json",
        }
        port = free_port()
        args = [str(llama), "stack", "run", str(LLAMA_STACK_CONFIG), "--port", str(port)]
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/v1"
        try:
            wait_for(f"{url}/models", proc, state / "server.log")
            yield Stack(url, model)
        finally:
            stop(proc)
            log.close()


def settings_for(stack: Stack, cache: Path, **changes: Any) -> Settings:
    base = Settings(
        backend="openai",
        model=MODEL,
        base_url=stack.url,
        api_key=KEY,
        cache_dir=cache,
        timeout=30.0,
        max_wait=20.0,
    )
    return base.with_(**changes)


def _key(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json"])
def test_batch_through_llama_stack_makes_no_live_call_and_writes_the_live_outputs(
    stack: Stack, tmp_path: Path, mode: str
) -> None:
    model = stack.model
    run_batch(SEEDS, tmp_path / "out-live", settings_for(stack, tmp_path / "live", mode=mode))
    live = list(model.requests)
    assert live, "the live run reached the model through Llama Stack"
    tally = batch_run(
        settings_for(stack, tmp_path / "batch", mode=mode), tmp_path / "out-batch", POLL
    )
    in_batch = model.requests[len(live) :]
    # Each request the model saw in the batch run is one of Llama Stack's batch lines: none
    # is a live call, and they are the live run's requests, one for one.
    assert len(in_batch) == tally.sent == tally.answered == len(live)
    assert sorted(map(_key, in_batch)) == sorted(map(_key, live))
    (batch,) = stack.batches()
    assert tally.batches == [batch["id"]] and batch["status"] == "completed"
    assert batch["request_counts"] == {"total": len(live), "completed": len(live), "failed": 0}
    assert (tally.live, tally.errors, tally.invalid, tally.failed) == (0, 0, 0, 0)
    assert_same_outputs(tmp_path / "out-live", tmp_path / "out-batch")


# Llama Stack's client of the model makes 3 attempts (openai's default max_retries=2): a line
# meets its error only when all 3 do.
LLAMA_STACK_ATTEMPTS = 3


@pytest.mark.slow
def test_llama_stack_error_lines_and_invalid_answers_go_to_live_retry(
    stack: Stack, tmp_path: Path
) -> None:
    model = stack.model
    texts = call_texts(settings_for(stack, tmp_path / "plan"))
    error, invalid = phrase_of(texts, 0), phrase_of(texts, 3)

    def faults() -> None:
        model.enqueue(*[Row(status=500, match=error)] * LLAMA_STACK_ATTEMPTS)
        model.enqueue(Row(bad_quote=True, match=invalid))

    faults()
    run_batch(SEEDS, tmp_path / "out-live", settings_for(stack, tmp_path / "live"))
    calls = len(model.requests)
    faults()
    tally = batch_run(settings_for(stack, tmp_path / "batch"), tmp_path / "out-batch", POLL)
    (batch,) = stack.batches()
    counts = batch["request_counts"]
    assert batch["status"] == "completed" and (counts["completed"], counts["failed"]) == (
        len(texts) - 1,
        1,
    )
    (error_line,) = stack.file_lines(batch["error_file_id"])
    assert error in request_chunk(_line_body(stack, batch, error_line["custom_id"]))
    assert (tally.errors, tally.invalid, tally.live, tally.failed) == (1, 1, 2, 0)
    # After the batch, the model saw exactly two live calls: the failed line and the re-ask
    after = model.requests[calls + len(texts) - 1 + LLAMA_STACK_ATTEMPTS :]
    assert len(after) == 2
    assert sum(error in request_chunk(b) for b in after) == 1
    (reask,) = [b for b in after if invalid in request_chunk(b)]
    assert "not a verbatim part of the text" in json.dumps(reask["messages"], ensure_ascii=False)
    # A live run that met the same 500s and the same invented quote writes the same outputs,
    # down to the accounting (attempts, retries, re-asks) of the calls that met them.
    assert_same_outputs(tmp_path / "out-live", tmp_path / "out-batch")


def _line_body(stack: Stack, batch: dict[str, Any], custom_id: str) -> dict[str, Any]:
    """The request body of the batch's input line `custom_id`, as Llama Stack stores it."""
    for line in stack.file_lines(batch["input_file_id"]):
        if line["custom_id"] == custom_id:
            body: dict[str, Any] = line["body"]
            return body
    raise AssertionError(f"no input line {custom_id}")


@pytest.mark.slow
def test_kill_9_while_llama_stack_runs_the_batch_then_the_rerun_makes_no_second_batch(
    stack: Stack, tmp_path: Path
) -> None:
    model = stack.model
    cache, out = tmp_path / "cache", tmp_path / "out"
    lines = len(call_texts(settings_for(stack, tmp_path / "plan")))
    cli = [sys.executable, "-m", "summarizer.cli", "batch", str(SEEDS), "-o", str(out)]
    cli += ["--backend", "openai", "--model", MODEL, "--base-url", stack.url]
    cli += ["--cache-dir", str(cache), "--batch-api", "--batch-poll", "0.1"]
    env = {**os.environ, "OPENAI_API_KEY": KEY}
    model.latency = 1.0  # each line takes a second: the batch stays in_progress while we poll

    def running() -> bool:
        return any(b["status"] == "in_progress" for b in stack.batches())

    kill_9_when(cli, env, running)
    assert not list(out.glob("0*.json"))
    model.latency = 0.0
    done = subprocess.run(cli, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    (batch,) = stack.batches()
    assert batch["status"] == "completed", "the rerun polled the batch it had and made none"
    assert len(model.requests) == lines, "every request the model saw was a batch line"
    assert len(list(out.glob("0*.json"))) == 5
    assert f"1 batches ({batch['id']})" in done.stderr and KEY not in done.stdout + done.stderr


# --- llmock ---------------------------------------------------------------------------------


@pytest.fixture
def llmock(tmp_path: Path) -> Iterator[str]:
    """llmock serving on 127.0.0.1; its batches answer every line with canned text after
    about 3 s."""
    python = server_program("python")
    port = free_port()
    code = "from llmock.cli import app; app()"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    log_path = tmp_path / "llmock.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(python), "-c", code, *args], stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}/v1"
        try:
            wait_for(f"{url}/batches", proc, log_path)
            yield url
        finally:
            stop(proc)


@pytest.mark.slow
def test_against_llmock_every_line_is_sent_collected_validated_and_retried(
    llmock: str, tmp_path: Path
) -> None:
    """llmock's batch lines are answered in canned prose, never the extraction asked for, so
    every line fails validation and goes to the live re-ask: nothing is dropped in silence,
    every report is written. (Outputs cannot equal a live run's: llmock scripts no answers.)"""
    settings = Settings(
        backend="openai", model="gpt-4o", base_url=llmock, cache_dir=tmp_path / "c", timeout=10
    )
    tally = batch_run(settings, tmp_path / "out", BatchOptions(poll=0.5, poll_max=1.0))
    with urllib.request.urlopen(f"{llmock}/batches", timeout=5) as answer:
        (batch,) = json.loads(answer.read())["data"]
    assert batch["status"] == "completed" and tally.batches == [batch["id"]]
    assert batch["request_counts"]["total"] == tally.sent == tally.invalid == tally.live > 5
    assert tally.answered == tally.sent and tally.failed == 0
    assert tally.input_tokens > 0
    assert len(list((tmp_path / "out").glob("0*.json"))) == 5
