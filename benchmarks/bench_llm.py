"""LLM-path benchmark (not a test) against the scripted server of the test suite.

    .venv/bin/python benchmarks/bench_llm.py [--folder seeds] [--latency 0.2] [--concurrency 4]
        [--call-chars N]

The backend packs consecutive chunks into one call (up to --call-chars, by default twice
--chunk-size) and sends no boilerplate. Every call to the server takes --latency seconds, however
long. Prints, for `batch FOLDER`:
- wall time / ideal, where ideal = calls × latency / concurrency (aim ≤ 1.15), for the batch as
  `run_batch` runs it (each report's calls in parallel, the next report's prefetched) and with
  every report prefetched up front (all calls of the batch in one pool); also wall / rounds,
  where rounds = ceil(calls / concurrency) × latency is the least any schedule can take;
- prompt tokens sent / tokens of report text (aim ≤ 1.3), both estimated the same way
  (`estimate_tokens`: one per CJK character, four other characters per token);
- the warm rerun's call count (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.backends import get_backend  # noqa: E402
from summarizer.batch import list_reports, run_batch  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.pipeline import prepare  # noqa: E402
from summarizer.source import read_report  # noqa: E402
from tests.openai_server import estimate_tokens  # noqa: E402


@contextmanager
def server_process(latency: float, record: Path) -> Iterator[str]:
    """The scripted server in its own process, so its CPU does not compete with ours."""
    cmd = [
        sys.executable,
        str(ROOT / "tests" / "openai_server.py"),
        "--latency",
        str(latency),
        "--record",
        str(record),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def recorded(record: Path) -> list[dict]:
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return [json.loads(line) for line in lines]


def sent_tokens(body: dict) -> float:
    """What the model reads: messages plus the tool schema or response format."""
    sent = [body.get("messages"), body.get("tools"), body.get("response_format")]
    return estimate_tokens(json.dumps(sent, ensure_ascii=False, separators=(",", ":")))


def timed_batch(
    folder: Path, settings: Settings, prefetch: bool, call_chars: int | None = None
) -> tuple[float, int]:
    backend = get_backend(settings)  # outside the clock: imports openai and instructor
    if call_chars:
        backend.call_chars = call_chars  # type: ignore[attr-defined]
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    t0 = time.perf_counter()
    if prefetch:  # what run_batch could do: queue every report's chunks up front
        for path in list_reports(folder):
            backend.prefetch(prepare(read_report(path), settings)[1])  # type: ignore[attr-defined]
    result = run_batch(folder, out, settings, backend=backend)
    seconds = time.perf_counter() - t0
    if result.failures:
        raise SystemExit(f"batch failed: {result.failures}")
    return seconds, sum(s.run.llm_calls for s in result.summaries)


def main() -> None:
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "seeds")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--mode", default="tools")
    parser.add_argument("--chunk-size", type=int, default=Settings.chunk_size)
    parser.add_argument("--call-chars", type=int, default=None, help="characters per call")
    args = parser.parse_args()

    report_tokens = sum(estimate_tokens(read_report(p).text) for p in list_reports(args.folder))
    record = Path(tempfile.mkdtemp(prefix="bench-rec-")) / "requests.jsonl"
    with server_process(args.latency, record) as url:
        for prefetch in (False, True):
            settings = Settings(
                backend="openai",
                model="bench",
                base_url=url,
                api_key="sk-bench",
                mode=args.mode,
                concurrency=args.concurrency,
                chunk_size=args.chunk_size,
                cache_dir=Path(tempfile.mkdtemp(prefix="bench-cache-")),
            )
            before = len(recorded(record))
            seconds, calls = timed_batch(args.folder, settings, prefetch, args.call_chars)
            requests = recorded(record)[before:]
            sent = sum(sent_tokens(b) for b in requests)
            ideal = calls * args.latency / args.concurrency
            rounds = -(-calls // args.concurrency) * args.latency
            label = "prefetched" if prefetch else "per-report"
            print(
                f"[{label}] cold: {calls} calls in {seconds:.2f}s; ideal {ideal:.2f}s; "
                f"wall/ideal = {seconds / ideal:.2f} (aim <= 1.15); "
                f"wall/rounds = {seconds / rounds:.2f}"
            )
            print(
                f"[{label}] prompt tokens sent / report tokens = {sent:.0f} / "
                f"{report_tokens:.0f} = {sent / report_tokens:.2f} (aim <= 1.3); "
                f"overhead per call {(sent - report_tokens) / len(requests):.0f} tokens"
            )
            before = len(recorded(record))
            warm_seconds, warm_calls = timed_batch(args.folder, settings, prefetch, args.call_chars)
            made = len(recorded(record)) - before
            print(
                f"[{label}] warm rerun: {made} server calls ({warm_calls} recorded in run) "
                f"in {warm_seconds:.2f}s (must be 0)"
            )


if __name__ == "__main__":
    main()
