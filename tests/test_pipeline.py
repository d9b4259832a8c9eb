"""The pipeline: `summarize` closes the backend it made however it ends; `iter_summaries`
reads ahead only for a backend that works in the background, and yields failures in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.config import Settings
from summarizer.errors import BackendError, SummarizerError
from summarizer.models import Summary
from summarizer.pipeline import iter_summaries

from .backends import RecordingBackend, install
from .conftest import seed_path

ENDINGS = [None, BackendError("endpoint gone"), KeyboardInterrupt()]


@pytest.mark.parametrize("fail", ENDINGS, ids=["done", "failed", "ctrl-c"])
def test_summarize_closes_the_backend_it_made(
    monkeypatch: pytest.MonkeyPatch, fail: BaseException | None
) -> None:
    backend = install(monkeypatch, RecordingBackend(fail))
    if fail is None:
        assert summarize(seed_path("003")).metrics
    else:
        with pytest.raises(type(fail)):
            summarize(seed_path("003"))
    assert backend.closed == 1


def test_summarize_leaves_a_callers_backend_open() -> None:
    backend = RecordingBackend()
    summarize(seed_path("003"), backend=backend)
    summarize(seed_path("004"), backend=backend)  # still usable: its owner closes it
    assert backend.closed == 0
    assert [e for e, _ in backend.events] == ["extract", "extract"]


def _reports(folder: Path, n: int) -> list[Path]:
    paths = []
    for k in range(n):
        path = folder / f"r{k}.txt"
        path.write_text(f"报告{k}\n一、工作回顾\n全年完成地区生产总值{k + 1}亿元。\n", "utf-8")
        paths.append(path)
    return paths


def _events(backend: RecordingBackend, paths: list[Path]) -> list[tuple[str, str]]:
    outcomes = list(iter_summaries(paths, Settings(), backend))
    assert all(isinstance(summary, Summary) for _, _, summary in outcomes)
    return backend.events


def test_a_backend_working_in_the_callers_thread_gets_no_report_ahead(tmp_path: Path) -> None:
    paths = _reports(tmp_path, 3)
    events = _events(RecordingBackend(), paths)
    assert events == [(e, f"报告{k}") for k in range(3) for e in ("prefetch", "extract")]


def test_reports_are_read_ahead_while_the_backends_queue_is_short(tmp_path: Path) -> None:
    paths = _reports(tmp_path, 12)
    events = _events(RecordingBackend(concurrency=2), paths)
    # Nothing queued: the first report and the next eight (the most held in memory) are
    # handed over before the first is finished, then one more per finished report.
    assert events[:10] == [("prefetch", f"报告{k}") for k in range(9)] + [("extract", "报告0")]
    assert events[10:12] == [("prefetch", "报告9"), ("extract", "报告1")]
    assert [r for e, r in events if e == "prefetch"] == [f"报告{k}" for k in range(12)]


def test_no_report_is_read_ahead_while_two_rounds_of_calls_are_queued(tmp_path: Path) -> None:
    backend = RecordingBackend(concurrency=2)
    backend.queued = 4  # two rounds of two calls
    events = _events(backend, _reports(tmp_path, 3))
    assert events == [(e, f"报告{k}") for k in range(3) for e in ("prefetch", "extract")]


def test_a_failure_is_yielded_in_place_and_the_others_go_on(tmp_path: Path) -> None:
    paths = _reports(tmp_path, 3)
    paths[1].write_bytes(b"%PDF-1.4\n\x00\x01 binary")
    outcomes = list(iter_summaries(paths, Settings(), RecordingBackend()))
    assert [p for p, _, _ in outcomes] == paths
    _, report, error = outcomes[1]
    assert report is None and isinstance(error, SummarizerError) and "r1.txt" in str(error)
    assert all(isinstance(s, Summary) for _, _, s in (outcomes[0], outcomes[2]))
