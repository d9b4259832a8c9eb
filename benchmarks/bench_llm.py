"""LLM-path benchmark (not a test) against the scripted server of the test suite.

    .venv/bin/python benchmarks/bench_llm.py [--folder seeds] [--latency 0.2] [--concurrency 4]
        [--repeat 5]

Every call to the server takes --latency seconds after it arrives, however long. Prints, for
`run_batch(FOLDER)` (what `summarizer batch` runs, in process):
- wall time / ideal, where ideal = calls × latency / concurrency (aim ≤ 1.15): first for the
  process's first batch (it also pays one-time set-up: template compilation, the SDK's first
  use), then the median of --repeat further batches, each with an empty cache; the backend
  is built outside the clock (it imports openai and instructor);
- for scale, the same number of bare `openai` SDK calls on the same pool (no instructor, no
  pipeline): the floor this machine and SDK set;
- prompt tokens sent / tokens of report text (aim ≤ 1.3), both estimated the same way
  (`estimate_tokens`: one per CJK character, four other characters per token);
- the warm rerun's call count (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.batch import list_reports, run_batch  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.extract.backend import get_backend  # noqa: E402
from summarizer.read.source import read_report  # noqa: E402
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


def recorded(record: Path) -> list[dict[str, Any]]:
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return [json.loads(line) for line in lines]


def sent_tokens(body: dict[str, Any]) -> float:
    """What the model reads: messages plus the tool schema or response format."""
    sent = [body.get("messages"), body.get("tools"), body.get("response_format")]
    return estimate_tokens(json.dumps(sent, ensure_ascii=False, separators=(",", ":")))


def timed_batch(folder: Path, settings: Settings) -> tuple[float, int]:
    backend = get_backend(settings)  # outside the clock: imports openai and instructor
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    t0 = time.perf_counter()
    result = run_batch(folder, out, settings, backend=backend)
    seconds = time.perf_counter() - t0
    backend.close()  # ours, not the batch's: it only closes a backend it made
    if result.failures:
        raise SystemExit(f"batch failed: {result.failures}")
    return seconds, sum(s.run.llm_calls for s in result.summaries)


def sdk_floor(url: str, calls: int, concurrency: int) -> float:
    """Seconds for `calls` bare chat completions on a pool of `concurrency` threads."""
    import openai

    client = openai.OpenAI(base_url=url, api_key="sk-bench", max_retries=0)
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "全年完成一般公共预算收入4.01亿元。" * 100}
    ]
    client.chat.completions.create(model="bench", messages=messages)  # first use, unclocked
    with ThreadPoolExecutor(concurrency) as pool:
        t0 = time.perf_counter()
        list(
            pool.map(
                lambda _: client.chat.completions.create(model="bench", messages=messages),
                range(calls),
            )
        )
        return time.perf_counter() - t0


def main() -> None:
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "seeds")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--mode", default="tools")
    parser.add_argument("--chunk-size", type=int, default=Settings.chunk_size)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    report_tokens = sum(estimate_tokens(read_report(p).text) for p in list_reports(args.folder))
    record = Path(tempfile.mkdtemp(prefix="bench-rec-")) / "requests.jsonl"

    def settings() -> Settings:  # a fresh, empty cache each time
        return Settings(
            backend="openai",
            model="bench",
            base_url=url,
            api_key="sk-bench",
            mode=args.mode,
            concurrency=args.concurrency,
            chunk_size=args.chunk_size,
            cache_dir=Path(tempfile.mkdtemp(prefix="bench-cache-")),
        )

    with server_process(args.latency, record) as url:
        ratios = []
        for i in range(1 + args.repeat):
            before = len(recorded(record))
            seconds, calls = timed_batch(args.folder, settings())
            ideal = calls * args.latency / args.concurrency
            ratios.append(seconds / ideal)
            if i == 0:
                requests = recorded(record)[before:]
                print(
                    f"first batch in the process: {calls} calls in {seconds:.2f}s; ideal "
                    f"{ideal:.2f}s; wall/ideal = {seconds / ideal:.2f}"
                )
        runs = sorted(ratios[1:])
        print(
            f"wall/ideal, median of {len(runs)} more batches = {statistics.median(runs):.2f} "
            f"(aim <= 1.15; range {runs[0]:.2f}-{runs[-1]:.2f})"
        )
        floor = sdk_floor(url, calls, args.concurrency)
        print(
            f"bare openai SDK, {calls} calls on the same pool: {floor:.2f}s = "
            f"{floor / ideal:.2f} x ideal (the floor; instructor and the pipeline add the rest)"
        )
        sent = sum(sent_tokens(b) for b in requests)
        print(
            f"prompt tokens sent / report tokens = {sent:.0f} / {report_tokens:.0f} = "
            f"{sent / report_tokens:.2f} (aim <= 1.3); overhead per call "
            f"{(sent - report_tokens) / len(requests):.0f} tokens"
        )
        warm = settings()
        timed_batch(args.folder, warm)
        before = len(recorded(record))
        warm_seconds, warm_calls = timed_batch(args.folder, warm)
        made = len(recorded(record)) - before
        print(
            f"warm rerun: {made} server calls ({warm_calls} in run) in {warm_seconds:.2f}s (must be 0)"
        )


if __name__ == "__main__":
    main()
