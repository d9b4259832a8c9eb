"""Summarise every report in a folder. A report that fails never stops the others."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.config import Settings
from summarizer.corpus.store import open_store
from summarizer.errors import ConfigError, InputError, OutputError, SummarizerError, shown
from summarizer.extract.backend import Backend, open_backend
from summarizer.models import Summary
from summarizer.pipeline import iter_summaries
from summarizer.read.source import Report, read_report, with_id
from summarizer.render.names import Renamed, output_ids
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
    reused: int = 0  # summaries taken from OUT/summaries.sqlite: report and settings unchanged
    removed: list[str] = field(default_factory=list)  # ids gone from the folder, and from OUT
    tracking: list[Path] = field(default_factory=list)  # summarizer track's files, if any
    output_error: str | None = None  # the batch files (index …) that could not be written
    renamed: list[Renamed] = field(default_factory=list)  # ids changed to keep names apart

    @property
    def ok(self) -> bool:
        return not self.failures and self.output_error is None


# Files that sit next to reports but are not reports: notes, and summarizer's own outputs (so
# that a folder can be its own OUTDIR). Anything else is tried, so that a PDF or a binary
# dropped in by mistake is named as a failure rather than skipped in silence.
NOT_REPORTS = frozenset(
    {
        ".md",
        ".json",
        ".jsonl",
        ".csv",
        ".tmp",
        ".sqlite",
        ".sqlite-journal",
        ".sqlite-wal",
        ".sqlite-shm",
    }
)


def list_reports(folder: Path) -> list[Path]:
    """The report files of `folder` (not recursive), sorted by name: every visible file except
    README/LICENSE notes and summarizer's outputs (.md .json .jsonl .csv .sqlite, the .html pages
    of a batch: index.html, <id>.source.html, <id>.html next to <id>.json)."""
    if not folder.is_dir():  # a wrong argument: a usage error
        if folder.exists():
            raise ConfigError(
                f"{shown(folder)}: is a file, not a folder (one report: summarizer brief)"
            )
        raise ConfigError(f"{shown(folder)}: no such folder")
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
    force: bool = False,
) -> BatchResult:
    """Summarise each report of `folder` into `outdir`, then write the batch files. Without a
    `backend`, one is made for `settings` and closed at the end, however the run ends.

    Incremental: a report whose file and settings are those of its summary in
    OUT/summaries.sqlite is not summarised again (`force`: every report is); the batch files
    are rebuilt from the database, and a report gone from the folder leaves OUT."""
    t0 = time.perf_counter()
    settings = settings or Settings()
    folder, outdir = Path(folder), Path(outdir)  # a notebook passes strings
    paths = list_reports(folder)
    if not paths:  # before any output: an empty index would look like a run that found nothing
        raise ConfigError(
            f"no reports found in {shown(folder)} (hidden files, notes such as README, and "
            ".md .json .jsonl .csv files are not taken for reports)"
        )
    make_outdir(outdir)  # an unusable OUT fails the run here, not each report after its work
    ids, renamed = output_ids(paths)  # decided before any file is written
    result = BatchResult(renamed=renamed)
    seen: dict[str, Path] = {}  # report id (case-folded) -> file, since <id>.* would collide

    def read(path: Path) -> Report:
        report = with_id(read_report(path, max_bytes=settings.max_bytes), ids[path])
        key = report.id.casefold()
        if key in seen:
            raise InputError(path, f"same report id {report.id!r} as {shown(seen[key].name)}")
        seen[key] = path
        return report

    with (
        open_backend(settings, backend) as backend,
        open_store(outdir, paths, settings, backend, ids=ids, force=force) as store,
    ):
        for path, rid in store.plan.reused.items():
            seen[rid.casefold()] = path
            if on_report_done:
                on_report_done(path, store.reused_summary(path), None)
        outcomes = iter_summaries(
            store.plan.todo,
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
                    store.put(path, outcome)
                except Exception as exc:  # fails this report only
                    outcome = exc
            summary: Summary | None = None
            reason: str | None = None
            if isinstance(outcome, Exception):
                reason = _failure_line(path, outcome, settings.debug)
                result.failures.append(Failure(path, reason))
                store.forget(path)
            else:
                summary = outcome
            if on_report_done:
                on_report_done(path, summary, reason)
        result.summaries = store.finish()
        result.reused, result.removed = len(store.plan.reused), store.plan.removed
        # A full disk: the results are still reported, failure by failure, and what was not
        # written
        errors = []
        try:
            write_batch_outputs(result.summaries, outdir, [f.reason for f in result.failures])
        except OutputError as exc:
            errors.append(str(exc))
        try:
            # Two consecutive years of one entity: targets against actuals, and the scorecard
            # lines; made again only when the summaries changed (its charts take a while)
            tracked = store.unchanged_since("track")
            if tracked is None:
                tracked = track_batch(result.summaries, outdir)
                store.ran("track", tracked)
            result.tracking = tracked
        except OutputError as exc:
            errors.append(str(exc))
        result.output_error = "; ".join(errors) or None
    result.seconds = time.perf_counter() - t0
    return result


def _failure_line(path: Path, exc: Exception, debug: bool) -> str:
    """One line naming the file. A bug must not cost the user the rest of the batch, so it
    becomes a line too; with --debug it is raised instead, to show its traceback."""
    if isinstance(exc, SummarizerError):
        return str(exc) if shown(path) in str(exc) else f"{shown(path)}: {exc}"
    if debug:
        raise exc
    return f"{shown(path)}: internal error ({type(exc).__name__}: {exc}); rerun with --debug"
