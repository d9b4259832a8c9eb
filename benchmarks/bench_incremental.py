"""Incremental batch benchmark (not a test): a re-run over an unchanged folder of 1,000 reports.

    .venv/bin/python benchmarks/bench_incremental.py [--reports 1000] [--source DIR]

Copies the reports of --source (default: ../shared/corpus beside the checkout, else seeds/)
under distinct names into a temp folder until it holds --reports files, runs a full batch
(printing its time), then the same batch again, with nothing changed (aim: seconds), and again
after editing one report (one summarised). Prints each figure, and the split of the re-run.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_source() -> Path:
    corpus = ROOT.parent / "shared" / "corpus"
    return corpus if corpus.is_dir() else ROOT / "seeds"


def make_folder(source: Path, n: int, folder: Path) -> int:
    """`n` copies of the reports of `source` under distinct names; returns their bytes."""
    reports = sorted(p for p in source.glob("*.txt") if p.stem.upper() != "README")
    size = 0
    for i in range(n):
        src = reports[i % len(reports)]
        dst = folder / f"{i:04d}_{src.name}"
        shutil.copy(src, dst)
        size += dst.stat().st_size
    return size


def timed_batch(folder: Path, out: Path) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of a batch, reports done and reused. CPU time is also printed:
    on a shared machine the wall time includes waiting for a core."""
    from summarizer.batch import run_batch

    t0, c0 = time.perf_counter(), time.process_time()
    result = run_batch(folder, out)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert result.ok, [f.reason for f in result.failures]
    return seconds, cpu, len(result.summaries), result.reused


def rerun_split(folder: Path, out: Path) -> dict[str, float]:
    """Where an unchanged re-run spends its time: planning (listing, hashing, the database),
    reading the stored summaries, writing the batch files."""
    from summarizer.batch import list_reports
    from summarizer.config import Settings
    from summarizer.corpus.database import DB_NAME, CorpusDB
    from summarizer.corpus.incremental import Fingerprint, plan_batch
    from summarizer.extract.rules.backend import RulesBackend
    from summarizer.render.outputs import write_batch_outputs

    split = {}
    t0 = time.perf_counter()
    paths = list_reports(folder)
    with CorpusDB(out / DB_NAME) as db:
        fingerprint = Fingerprint.of(Settings(), RulesBackend())
        plan = plan_batch(paths, db.stored(), out, fingerprint)
        split["plan (list, hash, compare)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        summaries = list(db.summaries(plan.reused.values()).values())
        split["read summaries from the database"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_batch_outputs(summaries, out)
    split["write index, CSV, JSONL"] = time.perf_counter() - t0
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--source", type=Path, default=default_source())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "reports", Path(tmp) / "out"
        folder.mkdir()
        size = make_folder(args.source, args.reports, folder)
        print(f"{args.reports} reports ({size / 1e6:.1f} MB) copied from {args.source}")
        for label in ("full batch", "unchanged re-run", "one report edited"):
            if label == "one report edited":
                edited = sorted(folder.glob("*.txt"))[args.reports // 2]
                edited.write_text(edited.read_text("utf-8") + "\n", "utf-8")
            seconds, cpu, n, reused = timed_batch(folder, out)
            print(
                f"{label + ':':22}{seconds:7.2f} s wall, {cpu:6.2f} s CPU "
                f"({n - reused} summarised, {reused} reused)"
            )
        db = out / "summaries.sqlite"
        print(f"database:             {db.stat().st_size / 1e6:7.1f} MB")
        for step, secs in rerun_split(folder, out).items():
            print(f"  re-run, {step}: {secs:.2f} s")


if __name__ == "__main__":
    main()
