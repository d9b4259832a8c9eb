"""A hostile or broken OpenAI-compatible server, over real HTTP: the key it echoes never lands
anywhere, a trickled answer ends at the call's deadline, a bad Retry-After still backs off,
and an endless field is cut."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from summarizer.config import Settings, load_settings
from summarizer.errors import BackendError, ConfigError
from summarizer.extract.llm.deadline import _http as httpx
from summarizer.extract.llm.endpoint import MAX_RETRY_AFTER, retry_after
from summarizer.extract.llm.redact import MASK, redact
from summarizer.pipeline import summarize

from .conftest import seed_path
from .openai_server import Row, ScriptedServer, default_extraction, request_chunk
from .test_openai_backend import (  # the scripted server, its report and settings
    FIGURE,
    make_settings,
    planned,
    report,
    server,
    times_of,
)
from .test_secrets import openai_flags, run_cli

_FIXTURES = (report, server)  # used by name as fixtures

# As long as a real project key: a message cut at 120 characters would hold a piece of it.
KEY = "sk-h19-" + "Zq8vT3xLm9Pw2RbN4kYc7HdJ5sFgA1eU6oI0" * 3
PREFIXES = [KEY[:n] for n in range(8, len(KEY) + 1)]  # each holds KEY[:8]: one needle finds all
REJECTED = "请求被拒测试"  # a report holding this gets an HTTP 400 echoing the key after padding
FAILING = "服务出错测试"  # … and this one an HTTP 500 that does the same


class EchoingServer(ScriptedServer):
    """Echoes the key it is sent into every title, detail and name, and into its errors after
    100 characters of padding (a cut at 120 characters keeps 19 of the key's)."""

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        super().answer(body, headers)  # records the request
        key = headers.get("authorization", "").removeprefix("Bearer ")
        chunk = request_chunk(body)
        for marker, status in ((REJECTED, 400), (FAILING, 500)):
            if marker in chunk:
                message = f"{'x' * 100} {key} (starts {key[:12]})"
                return status, {}, json.dumps({"error": {"message": message}}).encode()
        payload = default_extraction(chunk)
        for kind in ("achievements", "problems", "plans"):
            for item in payload[kind]:
                item["title"] = f"{key[:10]}标题"
                item["detail"] = f"详见{key}，又见{key[:30]}"
        for metric in payload["metrics"]:
            metric["name"] = f"{key[:9]}{metric['name']}"
            metric["period"] = key[:16]
        return 200, {}, json.dumps(self._completion(body, json.dumps(payload))).encode()


@pytest.fixture
def echoing() -> Iterator[EchoingServer]:
    srv = EchoingServer()
    with srv:
        yield srv


def files_holding(needle: bytes, *folders: Path) -> list[Path]:
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    assert files, "nothing was written: the check would be vacuous"
    return [p for p in files if needle in p.read_bytes()]


def test_redact_masks_the_key_and_every_prefix_of_eight_or_more() -> None:
    for prefix in PREFIXES:
        shown = redact(f"a{prefix}。", [KEY])
        assert shown == f"a{MASK}。" and KEY[:8] not in shown
    assert redact(f"x{KEY[:7]}y", [KEY]) == f"x{KEY[:7]}y"  # 7 characters identify nothing
    assert redact("short key abc!", ["abc"]) == f"short key {MASK}!"


def test_a_server_echoing_the_key_leaves_it_in_no_cache_output_or_terminal_line(
    echoing: EchoingServer, tmp_path: Path
) -> None:
    folder, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "cache"
    folder.mkdir()
    for prefix in ("000", "003"):
        seed = seed_path(prefix)
        (folder / seed.name).write_bytes(seed.read_bytes())
    for name, marker in (("rejected.txt", REJECTED), ("failing.txt", FAILING)):
        text = f"{marker}街道2023年工作总结\n一、工作回顾\n全年完成税收12.5亿元。\n"
        (folder / name).write_text(text, encoding="utf-8")
    flags = openai_flags(echoing.url, cache)
    runs = [
        run_cli("batch", str(folder), "-o", str(out), *flags, env_key=KEY),
        run_cli("batch", str(folder), "-o", str(out), *flags, env_key=KEY),  # from the cache
        run_cli(
            "brief", str(folder / "rejected.txt"), "-o", str(out), *flags, "--debug", env_key=KEY
        ),
        run_cli("brief", str(seed_path("000")), "--format", "md", *flags, env_key=KEY),
    ]
    assert echoing.headers and all(h["authorization"] == f"Bearer {KEY}" for h in echoing.headers)
    for done in runs:
        printed = done.stdout + done.stderr
        assert KEY[:8] not in printed, printed[printed.find(KEY[:8]) - 200 :][:400]
    assert [done.returncode for done in runs] == [1, 1, 1, 0]
    assert "HTTP 400" in runs[0].stderr and "HTTP 500" in runs[0].stderr
    assert "Traceback" in runs[2].stderr  # --debug showed its traceback, masked too
    assert not files_holding(KEY[:8].encode(), out, cache)
    # not vacuous: the hostile strings reached the outputs, masked
    page = (out / "000_d690860a6c90c664.json").read_text(encoding="utf-8")
    assert f"{MASK}标题" in page and f"详见{MASK}，又见{MASK}" in page


def test_reply_fields_are_cut_to_their_caps(tmp_path: Path) -> None:
    from summarizer.extract.llm.replies import MAX_FIELD_CHARS, ChunkExtraction, checked_against

    quote = "全年完成税收12.5亿元"
    payload = {
        "achievements": [{"title": "长" * 10_000, "detail": "细" * 3_500_000, "quote": quote}],
        "metrics": [
            {"name": "税" * 500, "value": 12.5, "unit": "亿元", "period": "年" * 99, "quote": quote}
        ],
    }
    with checked_against(quote):
        got = ChunkExtraction.model_validate(payload)
    achievement, metric = got.achievements[0], got.metrics[0]
    assert len(achievement.title) == MAX_FIELD_CHARS["title"] and achievement.title[-1] == "…"
    assert len(achievement.detail) == MAX_FIELD_CHARS["detail"]
    assert len(metric.name) == MAX_FIELD_CHARS["name"]
    assert metric.period is not None and len(metric.period) == MAX_FIELD_CHARS["period"]
    assert achievement.quote == quote  # a quote is never cut: it must stay verbatim


# --- a server that trickles, and one that asks for nonsense waits ----------------------------


def test_a_trickling_answer_ends_at_the_deadline_is_retried_then_one_line(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    # Headers at once, then a byte every 0.2 s (the read timeout is 5 s): a reply of ~1 kB
    # would take minutes.
    server.enqueue(Row(trickle=0.2, sticky=True, match=FIGURE))
    settings = make_settings(server, tmp_path, deadline=1.0, max_attempts=2)
    with pytest.raises(BackendError) as info:
        summarize(report, settings)
    message = str(info.value)
    assert len(times_of(server, FIGURE)) == 2, "the expired call was retried once, as a timeout"
    assert "deadline of 1s" in message and "after 2 attempts" in message
    assert "\n" not in message


def test_a_trickling_answer_within_the_deadline_is_taken(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(trickle=0.0005, sticky=True))  # ~1 kB in about half a second
    settings = make_settings(server, tmp_path, deadline=30.0)
    summary = summarize(report, settings)
    assert len(server.requests) == len(planned(report, settings))
    assert 4.01 in [m.value for m in summary.metrics]


def test_deadline_is_a_setting_from_flag_or_environment() -> None:
    assert load_settings({}).deadline == Settings.deadline
    assert load_settings({"SUMMARIZER_DEADLINE": "12.5"}).deadline == 12.5
    assert load_settings({"SUMMARIZER_DEADLINE": "12.5"}, deadline=3.0).deadline == 3.0
    for bad in ("soon", "0", "-1", "nan"):
        with pytest.raises(ConfigError, match=r"SUMMARIZER_DEADLINE|deadline"):
            load_settings({"SUMMARIZER_DEADLINE": bad})


def _rate_limited(headers: dict[str, str]) -> openai.RateLimitError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(429, headers=headers, request=request)
    return openai.RateLimitError("rate limited", response=response, body=None)


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "-5"}, None),  # nonsense: the ordinary backoff, not none at all
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({"retry-after-ms": "-1"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "1e12"}, MAX_RETRY_AFTER),  # a day-long wait is capped
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),  # a date in the past
        ({}, None),
    ],
)
def test_retry_after_is_honoured_only_when_sane_and_bounded(
    headers: dict[str, str], wait: float | None
) -> None:
    assert retry_after(_rate_limited(headers)) == wait


def test_nan_retry_after_still_backs_off_and_recovers(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(status=429, headers={"Retry-After": "nan"}, match=FIGURE))
    summary = summarize(report, make_settings(server, tmp_path))
    assert len(times_of(server, FIGURE)) == 2 and summary.run.retries == 1
    assert 4.01 in [m.value for m in summary.metrics]


class EchoingBatchServer(ScriptedServer):
    """Answers batch lines (which carry no header of their own) with the key the client
    uploaded them with in every title and detail: the Batch API path must mask them as the
    live path does."""

    def _reply(
        self, body: dict[str, Any], chunk: str, row: Row
    ) -> tuple[int, dict[str, str], bytes]:
        if FAILING in chunk:  # an error line, then the live retry's error, both echoing the key
            message = f"{'x' * 100} {KEY} (starts {KEY[:12]})"
            return 500, {}, json.dumps({"error": {"message": message}}).encode()
        payload = default_extraction(chunk)
        for kind in ("achievements", "problems", "plans"):
            for item in payload[kind]:
                item["title"] = f"{KEY[:10]}标题"
                item["detail"] = f"详见{KEY}"
        return 200, {}, json.dumps(self._completion(body, json.dumps(payload))).encode()


def test_batch_api_replies_echoing_the_key_are_masked_before_cache_and_outputs(
    tmp_path: Path,
) -> None:
    folder, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "cache"
    folder.mkdir()
    seed = seed_path("000")
    (folder / seed.name).write_bytes(seed.read_bytes())
    text = f"{FAILING}街道2023年工作总结\n一、工作回顾\n全年完成税收12.5亿元。\n"
    (folder / "failing.txt").write_text(text, encoding="utf-8")
    with EchoingBatchServer() as srv:
        flags = [*openai_flags(srv.url, cache), "--batch-api", "--batch-poll", "0.01"]
        done = run_cli("batch", str(folder), "-o", str(out), *flags, env_key=KEY)
        assert srv.batch_requests, "no line went through the Batch API"
    printed = done.stdout + done.stderr
    assert done.returncode == 1 and "failing.txt" in printed  # the error line failed its report
    assert KEY[:8] not in printed
    assert not files_holding(KEY[:8].encode(), out, cache)
    page = (out / f"{seed.stem}.json").read_text(encoding="utf-8")
    assert f"{MASK}标题" in page and f"详见{MASK}" in page  # the strings arrived, masked
