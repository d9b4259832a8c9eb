"""`summarizer eval` end to end: tables, recorded runs, baselines and the regression gate, and
one-line errors for bad label files. A scripted backend stands in for extraction, so the scores
are known; one test runs the real offline backend on a seed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.extract.backend import REGISTRY, ChunkResult, ExtractionStats, OnChunkDone
from summarizer.extract.rules.backend import RulesBackend
from summarizer.models import Evidence, Metric, Problem

from .conftest import seed_path

REPORT_ID = "100_test_report"
REPORT = (
    "2020年新河街道工作总结\n"
    "一、经济运行\n"
    "今年实现一般公共预算收入4.01亿元，同比增长3.1%。完成固定资产投资25.7亿元，同比增长7.3%。\n"
    "二、存在的问题\n"
    "一是经济下行压力较大，部分企业生产经营困难。二是城市管理精细化水平不高，老旧小区改造任务重。\n"
)
LABELS: dict[str, Any] = {
    "report": REPORT_ID,
    "meta": {"entity": "新河街道", "year": 2020, "kind": "annual"},
    "metrics": [
        {
            "name": "一般公共预算收入",
            "value": 4.01,
            "unit": "亿元",
            "quote": "一般公共预算收入4.01亿元",
        },
        {
            "name": "固定资产投资",
            "value": 25.7,
            "unit": "亿元",
            "quote": "完成固定资产投资25.7亿元",
        },
    ],
    "problems": [
        {"text": "经济下行压力较大", "quote": "一是经济下行压力较大，部分企业生产经营困难。"},
        {
            "text": "城市管理精细化水平不高",
            "quote": "二是城市管理精细化水平不高，老旧小区改造任务重。",
        },
    ],
}

REVENUE = (
    "metric",
    {"name": "一般公共预算收入", "value": 40100, "unit": "万元"},
    "一般公共预算收入4.01亿元",
)
INVEST = (
    "metric",
    {"name": "固定资产投资", "value": 25.7, "unit": "亿元"},
    "完成固定资产投资25.7亿元",
)
PRESSURE = ("problem", {"title": "经济下行压力较大"}, "一是经济下行压力较大")
CITY = ("problem", {"title": "城市管理水平不高"}, "城市管理精细化水平不高")


class ScriptedBackend(RulesBackend):
    """Predicts exactly `script` (kind, fields, quote), wherever each quote is in the report;
    the rest of the backend protocol (prefetch, waiting, close) is the rules backend's."""

    name = "scripted"
    model: str | None = "script-v1"
    mode: str | None = None
    prompt_version = "p-test"
    script: ClassVar[list[tuple[str, dict[str, Any], str]]] = []
    reports_extracted: ClassVar[int] = 0

    def extract(
        self, structure: Any, chunks: Sequence[Any], on_chunk_done: OnChunkDone | None = None
    ) -> tuple[list[ChunkResult], ExtractionStats]:
        type(self).reports_extracted += 1
        result = ChunkResult(0)
        for kind, fields, quote in self.script:
            start = structure.text.find(quote)
            if start < 0:
                continue
            evidence = Evidence(quote=quote, start=start, end=start + len(quote))
            if kind == "metric":
                result.metrics.append(Metric(evidence=evidence, **fields))
            else:
                result.problems.append(Problem(evidence=evidence, **fields))
        return [result], ExtractionStats()


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> type[ScriptedBackend]:
    monkeypatch.setitem(REGISTRY, "rules", f"{__name__}:ScriptedBackend")
    monkeypatch.setattr(ScriptedBackend, "script", [REVENUE, INVEST, PRESSURE, CITY])
    monkeypatch.setattr(ScriptedBackend, "reports_extracted", 0)
    return ScriptedBackend


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    reports = tmp_path / "reports"
    labels = tmp_path / "labels"
    reports.mkdir()
    labels.mkdir()
    (reports / f"{REPORT_ID}.txt").write_text(REPORT, encoding="utf-8")
    (labels / f"{REPORT_ID}.json").write_text(json.dumps(LABELS, ensure_ascii=False), "utf-8")
    return {"reports": reports, "labels": labels, "runs": tmp_path / "runs", "tmp": tmp_path}


def run(corpus: dict[str, Path], *args: str) -> Any:
    argv = ["eval", "--labels", str(corpus["labels"]), "--reports", str(corpus["reports"])]
    argv += ["--runs-dir", str(corpus["runs"]), *args]
    return CliRunner().invoke(app, argv, env={"COLUMNS": "200"})


def test_eval_prints_scores_and_records_the_run(corpus: dict[str, Path], scripted: Any) -> None:
    scripted.script = [REVENUE, PRESSURE]
    result = run(corpus)
    assert result.exit_code == 0, result.output
    assert "missed metrics (1): 固定资产投资 25.7亿元" in result.output
    assert "missed problems (1): 城市管理精细化水平不高" in result.output
    (recorded,) = corpus["runs"].glob("*.json")
    assert "_scripted_script-v1_p-test" in recorded.name
    data = json.loads(recorded.read_text("utf-8"))
    assert data["totals"]["categories"]["metrics"] == {
        "matched": 1,
        "predicted": 1,
        "labelled": 2,
        "precision": 1.0,
        "recall": 0.5,
        "f1": pytest.approx(2 / 3),
    }
    assert data["reports"][0]["report"] == REPORT_ID
    assert (data["backend"], data["prompt_version"]) == ("scripted", "p-test")


def test_no_record_writes_no_run(corpus: dict[str, Path], scripted: Any) -> None:
    result = run(corpus, "--no-record")
    assert result.exit_code == 0, result.output
    assert not corpus["runs"].exists() or not list(corpus["runs"].iterdir())


def test_save_baseline_defaults_to_evals_baseline(
    corpus: dict[str, Path], scripted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus["tmp"])
    result = run(corpus, "--no-record", "--save-baseline")
    assert result.exit_code == 0, result.output
    saved = json.loads((corpus["tmp"] / "evals" / "baseline.json").read_text("utf-8"))
    assert saved["totals"]["categories"]["problems"]["f1"] == 1.0


def test_gate_fails_on_a_regression_and_respects_the_tolerance(
    corpus: dict[str, Path], scripted: Any
) -> None:
    baseline = corpus["tmp"] / "baseline.json"
    assert run(corpus, "--no-record", "--save-baseline", "--baseline", str(baseline)).exit_code == 0
    same = run(corpus, "--no-record", "--baseline", str(baseline))
    assert same.exit_code == 0, same.output

    scripted.script = [REVENUE, INVEST, PRESSURE]  # one problem fewer: recall 1.0 → 0.5
    worse = run(corpus, "--no-record", "--baseline", str(baseline))
    assert worse.exit_code == 1
    assert "problems recall -0.500" in worse.output and "problems f1" in worse.output
    assert "metrics" not in worse.output.split("regressed")[-1]
    lenient = run(corpus, "--no-record", "--baseline", str(baseline), "--tolerance", "0.6")
    assert lenient.exit_code == 0, lenient.output


def test_gate_fails_when_headline_figures_lose_their_canonical_names(
    corpus: dict[str, Path], scripted: Any
) -> None:
    baseline = corpus["tmp"] / "baseline.json"
    saved = run(corpus, "--no-record", "--save-baseline", "--baseline", str(baseline))
    assert "matched metrics with a canonical name" in saved.output
    assert "1.000 (2/2)" in saved.output

    # the same figure under a name the indicator table does not know still matches its label
    unknown = ("metric", {"name": "固定资产投资总量", "value": 25.7, "unit": "亿元"}, INVEST[2])
    scripted.script = [REVENUE, unknown, PRESSURE, CITY]
    worse = run(corpus, "--no-record", "--baseline", str(baseline))
    assert worse.exit_code == 1, worse.output
    assert "0.500 (1/2)" in worse.output and "metrics.named rate" in worse.output
    assert "metrics recall" not in worse.output.split("regressed")[-1]


def test_gate_passes_an_improvement(corpus: dict[str, Path], scripted: Any) -> None:
    baseline = corpus["tmp"] / "baseline.json"
    scripted.script = [REVENUE]
    assert run(corpus, "--no-record", "--save-baseline", "--baseline", str(baseline)).exit_code == 0
    scripted.script = [REVENUE, INVEST, PRESSURE, CITY]
    better = run(corpus, "--no-record", "--baseline", str(baseline))
    assert better.exit_code == 0, better.output
    assert "+0.500" in better.output


def test_changed_labels_are_noted_against_the_baseline(
    corpus: dict[str, Path], scripted: Any
) -> None:
    baseline = corpus["tmp"] / "baseline.json"
    assert run(corpus, "--no-record", "--save-baseline", "--baseline", str(baseline)).exit_code == 0
    edited = dict(LABELS, problems=LABELS["problems"][:1])
    (corpus["labels"] / f"{REPORT_ID}.json").write_text(
        json.dumps(edited, ensure_ascii=False), "utf-8"
    )
    result = run(corpus, "--no-record", "--baseline", str(baseline))
    assert f"labels changed since the baseline: {REPORT_ID}" in result.output


def test_missing_baseline_fails_before_any_extraction(
    corpus: dict[str, Path], scripted: Any
) -> None:
    result = run(corpus, "--no-record", "--baseline", str(corpus["tmp"] / "nope.json"))
    assert result.exit_code != 0
    assert "nope.json" in result.stderr and "--save-baseline" in result.stderr
    assert scripted.reports_extracted == 0


def _one_error_line(result: Any) -> str:
    assert result.exit_code not in (0, None), result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("error:") == 1, result.stderr
    # One message; rich may wrap it to the terminal width, so undo the wrapping.
    return "".join(result.stderr.splitlines())


def test_invalid_label_file_names_file_and_field(corpus: dict[str, Path], scripted: Any) -> None:
    bad = json.loads(json.dumps(LABELS))
    bad["metrics"][0]["value"] = "四亿"
    (corpus["labels"] / f"{REPORT_ID}.json").write_text(
        json.dumps(bad, ensure_ascii=False), "utf-8"
    )
    line = _one_error_line(run(corpus))
    assert f"{REPORT_ID}.json" in line and "metrics.0.value" in line


def test_label_file_that_is_not_json(corpus: dict[str, Path], scripted: Any) -> None:
    (corpus["labels"] / "200_other.json").write_text('{"report": "200_other",', "utf-8")
    line = _one_error_line(run(corpus))
    assert "200_other.json" in line and "invalid JSON" in line


def test_label_whose_report_is_missing(corpus: dict[str, Path], scripted: Any) -> None:
    other = dict(LABELS, report="300_absent")
    (corpus["labels"] / "300_absent.json").write_text(
        json.dumps(other, ensure_ascii=False), "utf-8"
    )
    line = _one_error_line(run(corpus))
    assert "300_absent" in line and "not found" in line
    assert scripted.reports_extracted == 0  # checked before extracting anything


def test_label_quote_missing_from_the_report(corpus: dict[str, Path], scripted: Any) -> None:
    bad = json.loads(json.dumps(LABELS))
    bad["problems"][1]["quote"] = "三是根本没有这句话"
    (corpus["labels"] / f"{REPORT_ID}.json").write_text(
        json.dumps(bad, ensure_ascii=False), "utf-8"
    )
    line = _one_error_line(run(corpus))
    assert f"{REPORT_ID}.json" in line and "problems[1]" in line and "三是根本没有这句话" in line


def test_label_report_field_must_match_file_name(corpus: dict[str, Path], scripted: Any) -> None:
    (corpus["labels"] / f"{REPORT_ID}.json").rename(corpus["labels"] / "wrong_name.json")
    line = _one_error_line(run(corpus))
    assert "wrong_name.json" in line and REPORT_ID in line


def test_empty_label_folder(corpus: dict[str, Path], scripted: Any) -> None:
    (corpus["labels"] / f"{REPORT_ID}.json").unlink()
    assert "no label files" in _one_error_line(run(corpus))


def test_eval_runs_the_offline_backend_on_a_seed(tmp_path: Path) -> None:
    seed = seed_path("000")
    labels = tmp_path / "labels"
    labels.mkdir()
    label = {
        "report": seed.stem,
        "metrics": [
            {
                "name": "固定资产投资",
                "value": 25.7,
                "unit": "亿元",
                "quote": "完成固定资产投资25.7亿元",
            }
        ],
        "problems": [],
    }
    (labels / f"{seed.stem}.json").write_text(json.dumps(label, ensure_ascii=False), "utf-8")
    argv = ["eval", "--labels", str(labels), "--reports", str(seed.parent)]
    result = CliRunner().invoke(app, [*argv, "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    (recorded,) = (tmp_path / "runs").glob("*_rules_*.json")
    data = json.loads(recorded.read_text("utf-8"))
    assert data["backend"] == "rules" and data["llm_calls"] == 0
    assert data["totals"]["categories"]["metrics"]["labelled"] == 1
    assert data["totals"]["grounding"]["rate"] == 1.0  # the pipeline only emits grounded evidence


def test_eval_with_the_openai_backend_reuses_the_cache(corpus: dict[str, Path]) -> None:
    from .openai_server import ScriptedServer, request_blocks

    # A second labelled report, so the next report's chunks are prefetched while one is scored.
    second = REPORT.replace("新河街道", "新桥街道")
    (corpus["reports"] / "101_second.txt").write_text(second, encoding="utf-8")
    label = dict(LABELS, report="101_second", meta={"entity": "新桥街道"})
    (corpus["labels"] / "101_second.json").write_text(
        json.dumps(label, ensure_ascii=False), "utf-8"
    )
    cache = corpus["tmp"] / "llm-cache"
    with ScriptedServer() as server:
        argv = ["--backend", "openai", "--model", "test-model", "--base-url", server.url]
        argv += ["--cache-dir", str(cache), "--mode", "tools"]
        first = run(corpus, *argv)
        assert first.exit_code == 0, first.output
        calls = len(server.requests)
        sent_chunks = sum(len(request_blocks(body)) for body in server.requests)
        assert calls > 0
        again = run(corpus, *argv)  # e.g. after a scorer change: no new calls
        assert again.exit_code == 0, again.output
        assert len(server.requests) == calls
    runs = sorted(corpus["runs"].glob("*_openai_test-model_*.json"))
    assert len(runs) == 2
    # Both runs may fall in the same second: tell them apart by what they did.
    after, before = sorted(
        (json.loads(p.read_text("utf-8")) for p in runs), key=lambda r: r["llm_calls"]
    )
    assert before["llm_calls"] == calls and after["llm_calls"] == 0
    # Every chunk of the re-run comes from the cache: the ones the first run sent, and the
    # ones it already found there.
    assert after["cache_hits"] == sent_chunks + before["cache_hits"]
    assert after["mode"] == "tools"
    assert after["totals"] == before["totals"]  # same extraction, same scores
    assert before["totals"]["reports"] == 2


def test_missing_reports_folder(corpus: dict[str, Path], scripted: Any) -> None:
    argv = ["eval", "--labels", str(corpus["labels"]), "--reports", str(corpus["tmp"] / "nope")]
    line = _one_error_line(CliRunner().invoke(app, argv))
    assert "nope" in line and "reports folder not found" in line
