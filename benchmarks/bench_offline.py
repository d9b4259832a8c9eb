"""Offline benchmark (not a test): throughput, CLI start-up and peak memory.

    .venv/bin/python benchmarks/bench_offline.py [--repeat 5] [--big-mb 30]

Prints:
- throughput of the rules pipeline (read → structure → chunks → extract → merge) on the seeds
  and on ../shared/samples, in MB/s of UTF-8 input on one core (aim ≥ 2 MB/s);
- `summarizer --help` start-up time, median of several runs (aim < 0.3 s);
- peak RSS of `summarizer brief` on a generated report of --big-mb MB, as a multiple of the
  file size (aim < 10×).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The console script installed with the interpreter running this file, whichever environment
# that is (.venv, a CI virtualenv, a conda env): not resolved, since a venv's python is a link.
CLI = Path(sys.executable).parent / "summarizer"


def throughput(folder: Path, repeat: int) -> tuple[float, float]:
    from summarizer.config import Settings
    from summarizer.extract.rules.backend import RulesBackend
    from summarizer.pipeline import summarize_report
    from summarizer.read.source import read_report

    reports = [read_report(p) for p in sorted(folder.glob("*.txt"))]
    size = sum(len(r.text.encode("utf-8")) for r in reports)
    settings, backend = Settings(), RulesBackend()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for r in reports:
            summarize_report(r, settings, backend)
        times.append(time.perf_counter() - t0)
    best = statistics.median(times)
    return size / 1e6, size / 1e6 / best


def startup(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([str(CLI), "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_ratio(big_mb: float) -> tuple[float, float]:
    seed = next((ROOT / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        target = int(big_mb * 1e6)
        reps = target // len(seed.encode("utf-8")) + 1
        big.write_text(seed * reps, encoding="utf-8")
        size = big.stat().st_size
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [
                str(CLI),
                "brief",
                str(big),
                "-o",
                str(Path(tmp) / "out"),
                "--format",
                "json",
                "--max-mb",
                str(big_mb * 2),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if peak_kb <= before:
            print("(peak RSS not measurable: an earlier child was larger)")
        return size / 1e6, peak_kb * 1024 / size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big-mb", type=float, default=30.0)
    args = ap.parse_args()
    if not CLI.is_file():
        sys.exit(f"{CLI}: not found; install summarizer for {sys.executable} (pip install -e .)")
    sys.path.insert(0, str(ROOT))
    # Memory first: the largest child must be the one we measure.
    mb, ratio = peak_rss_ratio(args.big_mb)
    print(f"peak RSS on a {mb:.1f} MB report: {ratio:.1f}× the file size (aim < 10×)")
    for name, folder in (
        ("seeds", ROOT / "seeds"),
        ("samples", ROOT.parent / "shared" / "samples"),
    ):
        if folder.is_dir():
            size, mbps = throughput(folder, args.repeat)
            print(f"throughput {name:8s} {size:6.2f} MB: {mbps:6.2f} MB/s on one core (aim ≥ 2)")
    print(f"summarizer --help: {startup(args.repeat) * 1000:.0f} ms median (aim < 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
