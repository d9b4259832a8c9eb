"""The batch files, written from the summaries and the failures: by a batch at its end, and by
`summarizer merge` over the shards of one (summarizer.shards). One place, so that both write
the same files: index.html, metrics.csv, panel.csv, summaries.jsonl, failures.jsonl and, when
the reports hold two consecutive years of one entity, the tracking files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from summarizer.errors import InputError, OutputError
from summarizer.models import Summary
from summarizer.render.outputs import atomic_write_text, write_batch_outputs
from summarizer.track.run import track_batch

__all__ = ["FAILURES_FILE", "read_failures", "write_batch_files"]

FAILURES_FILE = "failures.jsonl"  # one {"path", "reason"} a line: what a merge lists again

Failed = tuple[Path, str]  # a report file that failed and its one-line reason


class TrackingSteps(Protocol):
    """Remembers the files a step over all the summaries wrote (corpus.store.BatchStore)."""

    def unchanged_since(self, step: str) -> list[Path] | None: ...
    def ran(self, step: str, files: list[Path]) -> None: ...


def write_batch_files(
    summaries: Sequence[Summary],
    failures: Sequence[Failed],
    outdir: Path,
    *,
    tracked: TrackingSteps | None = None,
    jobs: int = 1,
    chart_cache: Path | None = None,
) -> tuple[list[Path], str | None]:
    """Write the batch files for `summaries` and `failures` (both in the folder's order) into
    `outdir`, where the reports' own files already are. Return the tracking files written, and
    the line naming the files that could not be (a full disk, a chart that failed), which cost
    only themselves. With `tracked`, tracking (whose charts take a while) runs again only when
    the summaries changed since it last ran; its charts are drawn in `jobs` processes, those in
    the chart cache `chart_cache` taken from it (track.charts)."""
    errors: list[str] = []
    tracking: list[Path] = []
    try:
        write_batch_outputs(summaries, outdir, [reason for _, reason in failures])
    except OutputError as exc:
        errors.append(str(exc))
    try:
        _write_failures(outdir, failures)
    except OutputError as exc:
        errors.append(str(exc))
    try:
        # Two consecutive years of one entity: targets against actuals, and the scorecard lines
        last = tracked.unchanged_since("track") if tracked is not None else None
        if last is not None:
            tracking = last
        else:
            written = track_batch(summaries, outdir, jobs=jobs, cache_dir=chart_cache)
            tracking = written.files
            errors += written.failures
            if tracked is not None and not written.failures:  # else the next run tries again
                tracked.ran("track", tracking)
    except OutputError as exc:
        errors.append(str(exc))
    return tracking, "; ".join(errors) or None


def _write_failures(outdir: Path, failures: Sequence[Failed]) -> None:
    """failures.jsonl, empty when every report succeeded, so that a rerun never leaves an
    earlier run's failures behind."""
    lines = [
        json.dumps({"path": str(path), "reason": reason}, ensure_ascii=False) + "\n"
        for path, reason in failures
    ]
    atomic_write_text(outdir / FAILURES_FILE, "".join(lines))


def read_failures(outdir: Path) -> list[Failed]:
    """What _write_failures wrote in `outdir` (nothing for a batch older than the file)."""
    path = outdir / FAILURES_FILE
    if not path.exists():
        return []
    failures = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
            failures.append((Path(entry["path"]), str(entry["reason"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"line {n}: not a failure entry ({exc})") from None
    return failures
