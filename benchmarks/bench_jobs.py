"""Batch benchmark (not a test): a whole offline batch, every file written, against a floor.

    .venv/bin/python benchmarks/bench_jobs.py [--repeat 3] [--jobs N] [FOLDER ...]

Copies the reports of the FOLDERs (default: ../shared/corpus, ../shared/samples and
../shared/seeds) into a temp folder, then measures in this one run, best of --repeat:
- the floor: read each file, decode it and run one simple regex over it (a figure with its
  unit), the least any reader of these files does;
- cold: `run_batch` with --jobs 1 and with --jobs N (default: the cores), each into a fresh
  output folder with a fresh (empty) chart cache: listing, reading, extracting, rendering and
  writing every report's four files and the batch files, drawing every tracking chart;
- warm, --jobs N: into a fresh output folder again, with the chart cache a cold run filled
  (every chart taken from it), and a rerun into the same output folder after one report was
  edited (a sentence added at its end: that report summarised again, tracking run again);
and prints MB/s of input for each and its ratio to the floor (aim: --jobs N within 5×), for
the best run and for the median one, with the host's load average before and after (the
machine may be shared: load only ever adds time).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_FOLDERS = (SHARED / "corpus", SHARED / "samples", SHARED / "seeds")

# A figure with its unit: one pass of the regex engine over the text, as simple as reading it.
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|亿元|万元|元|个|家|万人)")


def copy_reports(folders: list[Path], into: Path) -> list[Path]:
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            shutil.copy(path, into / path.name)
    return sorted(into.glob("*.txt"))


def floor(paths: list[Path]) -> None:
    for path in paths:
        _FIGURE.findall(path.read_bytes().decode("utf-8"))


def cpu_seconds() -> float:
    """User and system time of this process and of its finished children (the workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(repeat: int, run: Callable[[int], object]) -> list[tuple[float, float]]:
    """The wall time of each of `repeat` runs, shortest first, with the CPU seconds each used
    (which load changes less)."""
    times = []
    for i in range(repeat):
        t0, c0 = time.perf_counter(), cpu_seconds()
        run(i)
        times.append((time.perf_counter() - t0, cpu_seconds() - c0))
    return sorted(times)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(label: str, runs: list[tuple[float, float]], mb: float, floors: list[float]) -> None:
    (seconds, cpu), median = runs[0], statistics.median(t for t, _ in runs)
    base, mid = floors[0], statistics.median(floors)
    print(
        f"{label:<34}{mb / seconds:7.2f} MB/s  {seconds / base:6.1f}× the floor"
        f"  ({cpu:.2f} s CPU in {seconds:.2f} s); median {median:.2f} s,"
        f" {median / mid:.1f}× the median floor"
    )


def main() -> int:
    from summarizer.batch import run_batch
    from summarizer.config import Settings
    from summarizer.pool import default_jobs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        reports = tmp / "reports"
        reports.mkdir()
        paths = copy_reports(args.folders, reports)
        if not paths:
            sys.exit(f"no .txt reports in {', '.join(map(str, args.folders))}")
        mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{len(paths)} reports, {mb:.2f} MB, best of {args.repeat}")
        print(load())

        def settings(cache: str) -> Settings:
            return Settings(cache_dir=tmp / f"cache-{cache}")  # the chart cache

        run_batch(reports, tmp / "warm", settings("warm"))  # imports, tables, templates
        floors = [t for t, _ in timed(args.repeat, lambda i: floor(paths))]
        base, mid = floors[0], statistics.median(floors)
        print(f"floor (read + one regex)          {mb / base:7.1f} MB/s  (median {mb / mid:.1f})")
        for jobs in dict.fromkeys((1, args.jobs)):

            def cold(i: int, jobs: int = jobs) -> object:
                out = tmp / f"out-{jobs}-{i}"
                return run_batch(reports, out, settings(f"{jobs}-{i}"), jobs=jobs)

            report(f"cold batch --jobs {jobs:<2d} all files", timed(args.repeat, cold), mb, floors)
        jobs = args.jobs
        filled = settings(f"{jobs}-0")  # by the first cold run

        def warm(i: int) -> object:
            return run_batch(reports, tmp / f"warm-{i}", filled, jobs=jobs)

        report(
            f"warm batch --jobs {jobs:<2d} (charts cached)", timed(args.repeat, warm), mb, floors
        )

        def rerun(i: int) -> object:
            edited = paths[0]
            edited.chmod(0o644)  # a copy keeps the corpus's read-only mode
            with edited.open("a", encoding="utf-8") as fh:
                fh.write(f"\n（第{i + 1}次修订。）\n")
            return run_batch(reports, tmp / f"out-{jobs}-0", filled, jobs=jobs)

        report(f"rerun after one edit --jobs {jobs:<2d}", timed(args.repeat, rerun), mb, floors)
        print(load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
