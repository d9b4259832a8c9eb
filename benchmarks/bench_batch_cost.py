"""Batch API cost per 1,000 reports (not a test), measured on a folder against the scripted
server of the test suite.

    .venv/bin/python benchmarks/bench_batch_cost.py [--folder seeds] [--mode tools]
        [--input-price 0.075] [--output-price 0.30]

Runs `summarizer batch --batch-api` in process over FOLDER and reads the token counts of the
run accounting (`run.input_tokens`, `run.output_tokens` of each report; the server counts
them with `estimate_tokens`: one token per CJK character, four other characters per token).
Prints the tokens per report and per 1,000 report characters, and the cost per 1,000 reports
at the given batch prices (dollars per million tokens; the defaults are an example, half of
$0.15 / $0.60 list prices). The output tokens are the scripted server's answers, which a
real model's may exceed: read them as a lower bound.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from summarizer.batch import list_reports, run_batch
    from summarizer.config import Settings
    from summarizer.extract.llm.batchapi.run import BatchOptions, batch_backend
    from tests.openai_server import ScriptedServer

    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, default=ROOT / "seeds")
    parser.add_argument("--mode", default="tools")
    parser.add_argument("--input-price", type=float, default=0.075)
    parser.add_argument("--output-price", type=float, default=0.30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ScriptedServer() as server:
        settings = Settings(
            backend="openai",
            model="m",
            base_url=server.url,
            mode=args.mode,
            cache_dir=Path(tmp) / "cache",
        )
        paths = list_reports(args.folder)
        options = BatchOptions(poll=0.01, poll_max=0.05)
        with batch_backend(paths, settings, options) as backend:
            result = run_batch(args.folder, Path(tmp) / "out", settings, backend=backend)
        runs = [s.run for s in result.summaries]
        chars = sum(s.report.chars for s in result.summaries)
        assert not server.requests, "the batch path made a live call"
        print(json.dumps({"reports": len(runs), "chars": chars, "batches": runs[0].batches}))
    n = len(runs)
    tokens_in = sum(r.input_tokens for r in runs)
    tokens_out = sum(r.output_tokens for r in runs)
    calls = sum(r.llm_calls for r in runs)
    print(f"{n} reports, {chars} characters, {calls} calls in one batch")
    print(
        f"input  tokens: {tokens_in} ({tokens_in / n:.0f}/report, {1000 * tokens_in / chars:.0f} per 1,000 chars)"
    )
    print(
        f"output tokens: {tokens_out} ({tokens_out / n:.0f}/report, {1000 * tokens_out / chars:.0f} per 1,000 chars)"
    )
    per_1000 = 1000 * (tokens_in * args.input_price + tokens_out * args.output_price) / n / 1e6
    print(
        f"cost per 1,000 reports at ${args.input_price}/M in, ${args.output_price}/M out: "
        f"${per_1000:.2f}"
    )


if __name__ == "__main__":
    main()
