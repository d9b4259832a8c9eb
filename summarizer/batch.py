"""Summarise every report in a folder. A report that fails never stops the others."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.config import Settings
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.extract.backend import Backend, open_backend
from summarizer.models import Summary
from summarizer.pipeline import iter_summaries
from summarizer.read.source import Report, read_report
from summarizer.render.outputs import make_outdir, write_batch_outputs, write_report_outputs
from summarizer.track.run import track_batch

__all__ = ["NOT_REPORTS", "BatchResult", "Failure", "list_reports", "run_batch"]


@dataclass
class Failure:
    path: Path
    reason: str  # one line, already names the file


@dataclass
class BatchResult:
    summaries: list[Summary] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the whole run, from listing the folder to the index
    tracking: list[Path] = field(default_factory=list)  # summarizer track's files, if any

    @property
    def ok(self) -> bool:
        return not self.failures


# Files that sit next to reports but are not reports: notes, and summarizer's own outputs (so
# that a folder can be its own OUTDIR). Anything else is tried, so that a PDF or a binary
# dropped in by mistake is named as a failure rather than skipped in silence.
NOT_REPORTS = frozenset({".md", ".json", ".jsonl", ".csv", ".tmp"})


def list_reports(folder: Path) -> list[Path]:
    """The report files of `folder` (not recursive), sorted by name: every visible file except
    README/LICENSE notes and summarizer's outputs (.md .json .jsonl .csv, and the .html pages
    of a batch: index.html, <id>.source.html, <id>.html next to <id>.json)."""
    if not folder.is_dir():  # a wrong argument: a usage error
        if folder.exists():
            raise ConfigError(f"{folder}: is a file, not a folder (one report: summarizer brief)")
        raise ConfigError(f"{folder}: no such folder")
    try:
        names = sorted(folder.iterdir())
    except OSError as exc:
        raise InputError(folder, f"cannot list the folder: {exc.strerror or exc}") from None
    entries = []
    for p in names:
        if p.name.startswith(".") or p.suffix.lower() in NOT_REPORTS:
            continue
        if p.stem.upper() in ("README", "LICENSE", "CHANGELOG"):
            continue
        if p.suffix.lower() == ".html" and (
            p.name in ("index.html",)
            or p.name.endswith(".source.html")
            or p.with_suffix(".json").exists()
        ):
            continue
        try:
            if p.is_dir():
                continue
        except OSError:
            pass  # a symlink loop and the like: let read_report name the reason
        entries.append(p)
    return entries


def run_batch(
    folder: str | Path,
    outdir: str | Path,
    settings: Settings | None = None,
    *,
    backend: Backend | None = None,
    on_report_start: Callable[[Path, int], None] | None = None,
    on_chunk_done: Callable[[int], None] | None = None,
    on_report_done: Callable[[Path, Summary | None, str | None], None] | None = None,
) -> BatchResult:
    """Summarise each report of `folder` into `outdir`, then write the batch files. Without a
    `backend`, one is made for `settings` and closed at the end, however the run ends."""
    t0 = time.perf_counter()
    settings = settings or Settings()
    folder, outdir = Path(folder), Path(outdir)  # a notebook passes strings
    paths = list_reports(folder)
    if not paths:  # before any output: an empty index would look like a run that found nothing
        raise ConfigError(
            f"no reports found in {folder} (hidden files, notes such as README, and "
            ".md .json .jsonl .csv files are not taken for reports)"
        )
    make_outdir(outdir)  # an unusable OUT fails the run here, not each report after its work
    result = BatchResult()
    seen: dict[str, Path] = {}  # report id -> file, since <id>.* outputs would collide

    def read(path: Path) -> Report:
        report = read_report(path, max_bytes=settings.max_bytes)
        if report.id in seen:
            raise InputError(path, f"same report id {report.id!r} as {seen[report.id].name}")
        seen[report.id] = path
        return report

    with open_backend(settings, backend) as backend:
        outcomes = iter_summaries(
            paths,
            settings,
            backend,
            read=read,
            on_report_start=on_report_start,
            on_chunk_done=on_chunk_done,
        )
        for path, report, outcome in outcomes:
            if isinstance(outcome, Summary) and report is not None:
                try:
                    write_report_outputs(outcome, report.text, outdir)
                except Exception as exc:  # fails this report only
                    outcome = exc
            summary: Summary | None = None
            reason: str | None = None
            if isinstance(outcome, Exception):
                reason = _failure_line(path, outcome, settings.debug)
                result.failures.append(Failure(path, reason))
            else:
                summary = outcome
                result.summaries.append(summary)
            if on_report_done:
                on_report_done(path, summary, reason)
    write_batch_outputs(result.summaries, outdir, [f.reason for f in result.failures])
    # Two consecutive years of one entity: targets against actuals, and the scorecard lines
    result.tracking = track_batch(result.summaries, outdir)
    result.seconds = time.perf_counter() - t0
    return result


def _failure_line(path: Path, exc: Exception, debug: bool) -> str:
    """One line naming the file. A bug must not cost the user the rest of the batch, so it
    becomes a line too; with --debug it is raised instead, to show its traceback."""
    if isinstance(exc, SummarizerError):
        return str(exc) if str(path) in str(exc) else f"{path}: {exc}"
    if debug:
        raise exc
    return f"{path}: internal error ({type(exc).__name__}: {exc}); rerun with --debug"
