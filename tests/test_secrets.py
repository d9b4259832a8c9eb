"""The API key never lands in a file or a printed line: batch, brief, eval, 401/400 runs.

Every run is a real CLI process with OPENAI_API_KEY set, against a local OpenAI-protocol server;
the tests check the server received the key (so they are not vacuous), and on an error the
server echoes the key back in its error body, the way some servers do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SEEDS
from .openai_server import Row, ScriptedServer

CLI = [sys.executable, "-m", "summarizer.cli"]
KEY = "sk-test-SECRET-h10-7f3e"
NEEDLES = [KEY.encode(), b"SECRET", KEY[-12:].encode()]  # whole, the word, the tail


class EchoingServer(ScriptedServer):
    """Every error names the key it was given: the worst a server can do with our secret."""

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        status, out_headers, data = super().answer(body, headers)
        if status >= 400:
            given = headers.get("authorization", "")
            message = f"Incorrect API key provided: {given.removeprefix('Bearer ')}"
            error = {"error": {"message": message, "type": "invalid_request_error"}}
            return status, out_headers, json.dumps(error).encode()
        return status, out_headers, data


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with EchoingServer() as srv:
        yield srv


def run_cli(*args: str, env_key: str = KEY) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": env_key}
    env.pop("SUMMARIZER_DEBUG", None)
    return subprocess.run(
        [*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def openai_flags(url: str, cache: Path) -> list[str]:
    return ["--backend", "openai", "--model", "m", "--base-url", url, "--cache-dir", str(cache)]


def leaks_in_files(*folders: Path) -> list[str]:
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    assert files, "nothing was written: the check would be vacuous"
    return [str(p) for p in files if any(n in p.read_bytes() for n in NEEDLES)]


def leaks_in_output(done: subprocess.CompletedProcess[str]) -> list[str]:
    lines = (done.stdout + done.stderr).splitlines()
    return [line for line in lines if any(n.decode() in line for n in NEEDLES)]


def assert_key_was_sent(server: ScriptedServer) -> None:
    assert server.headers and all(h["authorization"] == f"Bearer {KEY}" for h in server.headers)


def test_batch_brief_and_cached_rerun_keep_the_key_out_of_files_and_output(
    server: EchoingServer, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    runs = [
        run_cli("batch", str(SEEDS), "-o", str(out), *openai_flags(server.url, cache)),
        # --force: summarised again (not reused from summaries.sqlite), from the cache
        run_cli("batch", str(SEEDS), "-o", str(out), *openai_flags(server.url, cache), "--force"),
        run_cli(
            "brief",
            str(next(SEEDS.glob("000_*.txt"))),
            "-o",
            str(tmp_path / "brief"),
            *openai_flags(server.url, cache),
            "--debug",
        ),
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert not leaks_in_output(done)
    assert_key_was_sent(server)
    rerun = json.loads((out / "000_d690860a6c90c664.json").read_text(encoding="utf-8"))["run"]
    assert rerun["cache_hits"] > 0, "the second batch read the cache the first one wrote"
    assert not leaks_in_files(out, cache, tmp_path / "brief")


def test_eval_with_openai_keeps_the_key_out_of_records_baseline_and_output(
    server: EchoingServer, tmp_path: Path
) -> None:
    runs_dir, cache = tmp_path / "evals" / "runs", tmp_path / "cache"
    baseline = tmp_path / "evals" / "baseline.json"
    done = run_cli(
        "eval",
        "--record",
        "--runs-dir",
        str(runs_dir),
        "--save-baseline",
        "--baseline",
        str(baseline),
        "--show",
        "-1",
        *openai_flags(server.url, cache),
    )
    assert done.returncode == 0, done.stderr
    assert_key_was_sent(server)
    assert list(runs_dir.glob("*")) and baseline.exists()
    assert not leaks_in_output(done)
    assert not leaks_in_files(runs_dir, baseline.parent, cache)


def test_rejected_key_runs_name_the_variable_but_never_the_key(
    server: EchoingServer, tmp_path: Path
) -> None:
    # 401 for the seeds; 400 for one small report, whose error detail we do print (redacted)
    server.enqueue(Row(status=400, match="请求被拒测试", sticky=True), Row(status=401, sticky=True))
    small = tmp_path / "small.txt"
    small.write_text(
        "请求被拒测试街道2023年工作总结\n一、工作回顾\n全年完成税收12.5亿元。\n", "utf-8"
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    seed = str(next(SEEDS.glob("001_*.txt")))
    flags = openai_flags(server.url, cache)
    runs = {
        "batch": run_cli("batch", str(SEEDS), "-o", str(out), *flags),
        # --debug prints the traceback: frames and the exception chain must not show it either
        "brief --debug": run_cli("brief", seed, "-o", str(out), *flags, "--debug"),
        "brief 400 --debug": run_cli("brief", str(small), "-o", str(out), *flags, "--debug"),
    }
    for name, done in runs.items():
        assert done.returncode == 1, name
        assert not leaks_in_output(done), (name, leaks_in_output(done))
    for name in ("batch", "brief --debug"):
        assert "OPENAI_API_KEY" in runs[name].stderr and "401" in runs[name].stderr, name
    assert runs["batch"].stderr.count("401") >= len(list(SEEDS.glob("*.txt")))
    assert "Traceback" in runs["brief --debug"].stderr
    rejected = runs["brief 400 --debug"].stderr
    assert "HTTP 400" in rejected and "Incorrect API key provided: ***" in rejected
    assert_key_was_sent(server)
    assert (out / "index.html").exists(), "the failures were written to the index"
    assert not leaks_in_files(out, cache)


def test_key_in_the_base_url_stays_out_of_files_and_output(
    server: EchoingServer, tmp_path: Path
) -> None:
    # some gateways take the key as URL userinfo; it must be treated as the secret it is
    url = server.url.replace("http://", f"http://user:{KEY}@")
    out, cache = tmp_path / "out", tmp_path / "cache"
    folder = tmp_path / "in"
    folder.mkdir()
    seed = next(SEEDS.glob("001_*.txt"))
    (folder / seed.name).write_bytes(seed.read_bytes())
    done = run_cli("batch", str(folder), "-o", str(out), *openai_flags(url, cache), env_key="x")
    assert done.returncode == 0, done.stderr
    assert server.requests and "authorization" in server.headers[0]
    assert not leaks_in_output(done)
    assert not leaks_in_files(out) and (not cache.exists() or not leaks_in_files(cache))
