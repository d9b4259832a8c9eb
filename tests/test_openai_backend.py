"""The openai backend against a scripted OpenAI-compatible server on 127.0.0.1.

No SDK or instructor internals are patched: every fault travels over real HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, ExtractionError
from summarizer.extract.backend import get_backend
from summarizer.extract.llm.backend import OpenAIBackend
from summarizer.extract.llm.endpoint import default_mode
from summarizer.extract.llm.packing import LLMCall
from summarizer.extract.llm.prompts import load_prompts
from summarizer.models import Summary
from summarizer.pipeline import prepare, summarize
from summarizer.read.source import read_report

from .conftest import ROOT, assert_grounded
from .openai_server import Row, ScriptedServer, request_chunk

KEY = "sk-test-SECRET-4f9c2a"
FIGURE = "一般公共预算收入"  # in exactly one call: scripted faults aim at that call

REPORT = """某某街道2023年工作总结

一、2023年工作回顾
全年完成一般公共预算收入4.01亿元，同比下降14.4%。实现税收总额12.5亿元，同比增长3.2%。
新建口袋公园3个，完成老旧小区改造12个。
深入开展文明创建活动，组织志愿服务活动86场，参与群众3200余人次。持续优化营商环境，新增市场主体526户，帮助企业解决难题43个。
扎实推进垃圾分类，居民小区分类覆盖率达到100%。加强安全生产检查，排查整改隐患216处，全年未发生较大安全事故。
完善社区养老服务，新建社区食堂2家，为辖区老人提供助餐服务1.2万人次。开展就业援助，帮助困难人员就业158人。
推进文化惠民工程，举办社区文化活动120场，建成24小时城市书房1处。加强社区卫生服务，家庭医生签约率达到45%。
强化基层党建引领，建成党群服务阵地14个，发展党员32名。开展作风建设专项行动，办结群众来信来访310件。

二、存在的问题
一是经济增长动力不足，新兴产业占比偏低。二是社区治理精细化水平还有差距。

三、2024年工作打算
明年将全力推进重大项目建设，力争固定资产投资达到20亿元。
"""


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "r001.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def make_settings(server: ScriptedServer, tmp_path: Path, **changes: Any) -> Settings:
    base = Settings(
        backend="openai",
        model="test-model",
        base_url=server.url,
        api_key=KEY,
        cache_dir=tmp_path / "cache",
        max_wait=10.0,
        timeout=5.0,
        chunk_size=200,  # REPORT then makes 6 chunks packed into 2 calls
    )
    return base.with_(**changes)


def planned(path: Path, settings: Settings) -> list[LLMCall]:
    """The calls the backend makes for `path`: consecutive chunks packed, boilerplate left out."""
    return OpenAIBackend(settings).plan(prepare(read_report(path), settings)[1])


def run(path: Path, settings: Settings) -> Summary:
    summary = summarize(path, settings, get_backend(settings))
    assert_grounded(read_report(path).text, summary)
    return summary


def sent_chunks(server: ScriptedServer) -> list[str]:
    return [request_chunk(body) for body in server.requests]


def times_of(server: ScriptedServer, phrase: str) -> list[float]:
    return [t for t, c in zip(server.times, sent_chunks(server), strict=True) if phrase in c]


def quotes(summary: Summary) -> list[str]:
    items = summary.achievements + summary.metrics + summary.problems + summary.plans
    return [item.evidence.quote for item in items]


# --- modes and the request shape -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_each_mode_yields_grounded_items_with_one_call_per_pack(
    server: ScriptedServer, report: Path, tmp_path: Path, mode: str
) -> None:
    settings = make_settings(server, tmp_path, mode=mode)
    calls = planned(report, settings)
    summary = run(report, settings)
    assert len(server.requests) == summary.run.llm_calls == len(calls)
    assert 1 < len(calls) < summary.run.chunks, "several chunks share a call"
    assert sorted(sent_chunks(server)) == sorted(call.text for call in calls)
    body = server.requests[0]
    assert body["model"] == "test-model"
    assert body["temperature"] == 0
    assert bool(body.get("tools")) == (mode == "tools")
    fmt = (body.get("response_format") or {}).get("type")
    assert fmt == {"json_schema": "json_schema", "json": "json_object"}.get(mode)
    assert [m.value for m in summary.metrics] == [4.01, 12.5, 20.0]
    assert summary.problems and summary.plans and summary.achievements
    assert summary.run.mode == mode and summary.run.prompt_version.startswith("p1:")
    assert summary.run.input_tokens > 0 and summary.run.output_tokens > 0
    # the user message tells the model the section path and role of each chunk
    user = body["messages"][-1]["content"]
    assert "<<<< section\n" in user and "role: " in user and request_chunk(body) in REPORT


@pytest.mark.parametrize(
    ("url", "mode"),
    [
        (None, "tools"),
        ("https://api.deepseek.com/v1", "tools"),
        ("http://localhost:11434/v1", "json"),
        ("http://ollama:8000/v1", "json"),
        ("http://127.0.0.1:8080/v1", "json_schema"),
        ("http://llama-server/v1", "json_schema"),
        ("http://gpu-box:8000/v1", "tools"),
    ],
)
def test_default_mode_follows_the_endpoint(url: str, mode: str) -> None:
    assert default_mode(url) == mode


def test_the_schema_sent_keeps_fields_and_enums_and_nothing_else(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    from summarizer.models import CATEGORIES

    run(report, make_settings(server, tmp_path))
    function = server.requests[0]["tools"][0]["function"]
    text = json.dumps(function, ensure_ascii=False)
    assert "$ref" not in text and "$defs" not in text and '"title": {"type"' in text
    items = {k: v["items"] for k, v in function["parameters"]["properties"].items()}
    assert set(items) == {"achievements", "metrics", "problems", "plans"}
    metric = items["metrics"]
    assert set(metric["required"]) == {"quote", "name", "value", "unit"}
    assert metric["properties"]["status"]["enum"] == ["actual", "forecast", "target"]
    assert items["achievements"]["properties"]["category"]["enum"] == list(CATEGORIES)
    assert "next_year" in items["plans"]["properties"]["horizon"]["enum"]
    for item in items.values():  # no titles, defaults or descriptions repeated from the prompt
        for spec in item["properties"].values():
            assert not {"title", "default", "description"} & set(spec)


def test_prompt_version_changes_with_mode(server: ScriptedServer, tmp_path: Path) -> None:
    a = get_backend(make_settings(server, tmp_path, mode="tools"))
    b = get_backend(make_settings(server, tmp_path, mode="json"))
    assert a.prompt_version != b.prompt_version


# --- transport faults -------------------------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(status=429, headers={"Retry-After": "1"}, match=FIGURE))
    settings = make_settings(server, tmp_path)
    summary = run(report, settings)
    assert len(server.requests) == len(planned(report, settings)) + 1 == summary.run.llm_calls
    assert summary.run.retries == 1 and summary.metrics
    first, second = times_of(server, FIGURE)
    assert second - first >= 0.95


@pytest.mark.parametrize(
    ("headers", "least"),
    [({"retry-after-ms": "600"}, 0.55), ({"Retry-After": "0.7"}, 0.65)],
)
def test_other_retry_after_forms_are_honoured(
    server: ScriptedServer, report: Path, tmp_path: Path, headers: dict[str, str], least: float
) -> None:
    server.enqueue(Row(status=429, headers=headers, match=FIGURE))
    summary = run(report, make_settings(server, tmp_path))
    first, second = times_of(server, FIGURE)
    assert second - first >= least and summary.run.retries == 1


def test_500_is_retried(server: ScriptedServer, report: Path, tmp_path: Path) -> None:
    server.enqueue(Row(status=500, match=FIGURE))
    settings = make_settings(server, tmp_path)
    summary = run(report, settings)
    assert len(server.requests) == len(planned(report, settings)) + 1
    assert summary.run.retries == 1 and 4.01 in [m.value for m in summary.metrics]


def test_persistent_500_stops_after_max_attempts(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(status=503, sticky=True, match=FIGURE))
    with pytest.raises(BackendError) as info:
        run(report, make_settings(server, tmp_path, max_attempts=3))
    assert len(times_of(server, FIGURE)) == 3 and info.value.status == 503
    assert "HTTP 503" in str(info.value) and "\n" not in str(info.value)


def test_slow_answer_times_out_and_is_retried(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(sleep=3.0, match=FIGURE))
    settings = make_settings(server, tmp_path, timeout=0.4)
    summary = summarize(report, settings, get_backend(settings))
    # Had the client waited for the slow answer, it would have had a valid reply and no reason
    # to ask again: the second request for the figure is the timeout at work.
    assert len(times_of(server, FIGURE)) == 2
    assert len(server.requests) == len(planned(report, settings)) + 1
    assert summary.run.retries == 1
    assert 4.01 in [m.value for m in summary.metrics]


@pytest.mark.parametrize(
    ("status", "hint"),
    [(401, "OPENAI_API_KEY"), (403, "HTTP 403"), (404, "--model"), (400, "HTTP 400")],
)
def test_client_errors_fail_at_once_with_a_clear_line(
    server: ScriptedServer, report: Path, tmp_path: Path, status: int, hint: str
) -> None:
    server.enqueue(Row(status=status, sticky=True))
    with pytest.raises(BackendError) as info:
        run(report, make_settings(server, tmp_path))
    message = str(info.value)
    sent = sent_chunks(server)
    assert sent and len(set(sent)) == len(sent), "no retry for a client error"
    assert hint in message and "\n" not in message and KEY not in message
    assert info.value.status == status


def test_missing_key_without_base_url_names_the_variable(tmp_path: Path) -> None:
    settings = Settings(backend="openai", model="m", cache_dir=tmp_path / "c")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_backend(settings)
    remote = settings.with_(base_url="https://api.example.com/v1")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_backend(remote)


def test_local_server_needs_no_key(server: ScriptedServer, report: Path, tmp_path: Path) -> None:
    settings = Settings(backend="openai", model="m", base_url=server.url, cache_dir=tmp_path)
    summary = run(report, settings)
    assert summary.metrics and server.headers[0]["authorization"].startswith("Bearer ")


# --- validation re-asks -----------------------------------------------------------------------


def test_malformed_json_is_reasked(server: ScriptedServer, report: Path, tmp_path: Path) -> None:
    server.enqueue(Row(malformed=True, match=FIGURE))
    settings = make_settings(server, tmp_path)
    summary = run(report, settings)
    assert len(server.requests) == len(planned(report, settings)) + 1
    assert summary.run.reasks == 1
    first, second = [
        b for b, c in zip(server.requests, sent_chunks(server), strict=True) if FIGURE in c
    ]
    assert len(second["messages"]) > len(first["messages"])
    assert 4.01 in [m.value for m in summary.metrics]


def test_invented_quote_is_reasked_with_an_instruction(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(bad_quote=True, match=FIGURE))
    settings = make_settings(server, tmp_path)
    summary = run(report, settings)
    assert len(server.requests) == len(planned(report, settings)) + 1
    assert summary.run.reasks == 1
    last = [b for b, c in zip(server.requests, sent_chunks(server), strict=True) if FIGURE in c][-1]
    reask = json.dumps(last["messages"], ensure_ascii=False)
    assert "not a verbatim part of the text" in reask
    assert "这句话不在原文里出现过" not in quotes(summary)
    assert summary.run.items_dropped == 0


def test_never_valid_items_are_dropped_counted_and_the_rest_kept(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(bad_quote=True, sticky=True))
    settings = make_settings(server, tmp_path, max_retries=2)
    summary = run(report, settings)
    calls = len(planned(report, settings))
    assert len(server.requests) == 3 * calls and summary.run.reasks == 2 * calls
    assert summary.run.items_dropped == calls  # one invented item per call
    assert [m.value for m in summary.metrics] == [4.01, 12.5, 20.0]


def test_metric_value_not_in_its_quote_is_dropped(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    payload = {
        "metrics": [
            {"name": "税收", "value": 99.9, "unit": "亿元", "quote": "实现税收总额12.5亿元"},
            {"name": "税收", "value": 12.5, "unit": "亿元", "quote": "实现税收总额12.5亿元"},
        ]
    }
    server.enqueue(Row(payload=payload, sticky=True, match="实现税收总额"))
    settings = make_settings(server, tmp_path, max_retries=1)
    summary = run(report, settings)
    values = [m.value for m in summary.metrics]
    assert 12.5 in values and 99.9 not in values
    assert summary.run.items_dropped == 1
    assert len(server.requests) == len(planned(report, settings)) + 1


def test_never_parseable_reply_is_an_extraction_error(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    server.enqueue(Row(malformed=True, sticky=True, match=FIGURE))
    with pytest.raises(ExtractionError, match="no parseable JSON"):
        run(report, make_settings(server, tmp_path, max_retries=1))
    assert len(times_of(server, FIGURE)) == 2


# --- concurrency and order --------------------------------------------------------------------


class GatheringServer(ScriptedServer):
    """Holds the answers until `gather` requests have been in flight at once, and records the
    most it ever had. A client that does not run its calls together never gets there: after
    20 s the server gives up holding, and the test sees the count."""

    def __init__(self, gather: int) -> None:
        super().__init__()
        self.gather = gather
        self.in_flight = 0
        self.most_at_once = 0
        self.gave_up = False
        self.gathered = threading.Condition()

    def answer(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        with self.gathered:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
            self.gathered.notify_all()

            def ready() -> bool:
                return self.most_at_once >= self.gather or self.gave_up

            if not self.gathered.wait_for(ready, timeout=20):
                self.gave_up = True
        try:
            return super().answer(body, headers)
        finally:
            with self.gathered:
                self.in_flight -= 1


def test_calls_run_in_parallel_and_come_back_in_document_order(tmp_path: Path) -> None:
    text = "\n".join(f"第{i}项工作完成投资{i}.5亿元，同比增长{i}%。" * 8 for i in range(1, 17))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    srv = GatheringServer(gather=4)
    with srv:
        settings = make_settings(srv, tmp_path, chunk_size=250, concurrency=4)
        summary = summarize(path, settings, get_backend(settings))
    assert_grounded(read_report(path).text, summary)
    calls = summary.run.llm_calls
    assert calls == len(planned(path, settings)) >= 4 and summary.run.chunks > calls
    assert srv.most_at_once == 4, "the calls were not all in flight together"
    starts = [m.evidence.start for m in summary.metrics]
    assert starts == sorted(starts) and len(summary.metrics) >= 8


# --- cache --------------------------------------------------------------------------------------


def test_second_run_is_served_from_cache_and_no_cache_bypasses(
    server: ScriptedServer, report: Path, tmp_path: Path
) -> None:
    settings = make_settings(server, tmp_path)
    first = run(report, settings)
    n = first.run.llm_calls
    calls = planned(report, settings)
    assert n == len(calls) > 1
    second = run(report, settings)
    assert len(server.requests) == n
    sent = sum(len(call.chunks) for call in calls)
    assert (second.run.llm_calls, second.run.cache_hits) == (0, sent)  # one hit per chunk
    assert second.metrics == first.metrics and second.plans == first.plans
    run(report, settings.with_(use_cache=False))
    assert len(server.requests) == 2 * n
    run(report, settings.with_(temperature=0.3))  # a sampling change is a new key
    assert len(server.requests) == 3 * n


@pytest.mark.slow
def test_cli_batch_cache_is_shared_across_processes_and_holds_no_secret(
    server: ScriptedServer, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT.replace("4.01", "5.02"), encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out"
    env = {**os.environ, "OPENAI_API_KEY": KEY, "SUMMARIZER_CACHE_DIR": str(cache)}
    cmd = [
        sys.executable,
        "-m",
        "summarizer.cli",
        "batch",
        str(folder),
        "-o",
        str(out),
        "--backend",
        "openai",
        "--model",
        "test-model",
        "--base-url",
        server.url,
    ]
    calls = []
    for again in ([], ["--force"]):  # --force: summarised again, not reused from the database
        done = subprocess.run(
            [*cmd, *again], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert KEY not in done.stdout + done.stderr
        calls.append(len(server.requests))
    assert calls[0] == calls[1] == len(set(sent_chunks(server))), "the second process made no call"
    reruns = [json.loads((out / f"{n}.json").read_text(encoding="utf-8"))["run"] for n in "ab"]
    assert all(r["llm_calls"] == 0 for r in reruns)
    settings = Settings(backend="openai", model="m", base_url=server.url)
    sent = {  # the cache holds one entry per distinct chunk, as the model was shown it
        n: [load_prompts().block(c) for c in prepare(read_report(folder / f"{n}.txt"), settings)[1]]
        for n in "ab"
    }
    assert [r["cache_hits"] for r in reruns] == [len(sent["a"]), len(sent["b"])]
    files = [p for p in [*cache.rglob("*"), *out.rglob("*")] if p.is_file()]
    assert files and all(KEY.encode() not in p.read_bytes() for p in files)
    from typer.testing import CliRunner

    from summarizer.cli import app

    stats = CliRunner().invoke(app, ["cache", "stats", "--cache-dir", str(cache)])
    assert f"{len(set(sent['a'] + sent['b']))} entries" in stats.output


def test_rules_cli_does_not_import_openai(tmp_path: Path) -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from summarizer.cli import app;"
        f"r = CliRunner().invoke(app, ['brief', {str(ROOT / 'seeds' / '001_cc94938a8e691cbc.txt')!r},"
        f" '-o', {str(tmp_path)!r}]); assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in ('openai', 'instructor', 'tenacity', 'diskcache') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_salvage_keeps_only_items_that_validate() -> None:
    from summarizer.extract.llm.replies import salvage

    chunk = "全年完成税收12.5亿元。社区治理还有差距。"
    payload = {
        "achievements": [
            {"title": "税收", "category": "bogus", "quote": "全年完成税收12.5亿元"},
            {"title": "税收", "category": "economy", "quote": " 全年完成税收12.5亿元 "},
        ],
        "metrics": [{"name": "税收", "value": 12.5, "unit": "亿元", "quote": "全年完成税收"}],
        "problems": [{"title": "治理", "quote": "社区治理还有差距"}],
        "plans": "not a list",
    }
    kept = salvage(payload, chunk)
    assert kept is not None and kept.dropped == 3  # bad enum, figure not in quote, bad list
    assert [a.quote for a in kept.extraction.achievements] == ["全年完成税收12.5亿元"]
    assert len(kept.extraction.problems) == 1 and not kept.extraction.metrics
    assert salvage("not an object", chunk) is None


@pytest.mark.parametrize(
    "content",
    ['```json\n{"plans": []}\n```', 'Here you go: {"plans": []} hope it helps', '{"plans": []}'],
)
def test_reply_payload_reads_fenced_and_embedded_json(content: str) -> None:
    from types import SimpleNamespace

    from summarizer.extract.llm.replies import reply_payload

    message = SimpleNamespace(tool_calls=None, content=content)
    completion = SimpleNamespace(choices=[SimpleNamespace(message=message)])
    assert reply_payload(completion) == {"plans": []}
    assert reply_payload(None) is None
