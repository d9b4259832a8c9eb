"""Summarise every report in a folder. A report that fails never stops the others."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.batch_files import write_batch_files
from summarizer.config import Settings
from summarizer.corpus.store import BatchStore, NoDatabase, open_store
from summarizer.errors import (
    ConfigError,
    InputError,
    OutputError,
    SummarizerError,
    failure_line,
    same_id,
    shown,
)
from summarizer.extract.backend import Backend, open_backend
from summarizer.models import Summary
from summarizer.pipeline import iter_summaries
from summarizer.pool import check_jobs, summarize_in_workers
from summarizer.read.source import Report, read_report, with_id
from summarizer.render.names import Renamed, output_ids
from summarizer.render.outputs import make_outdir, write_report_outputs

if TYPE_CHECKING:
    from summarizer.shards import Shard

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
    unstored: list[str] = field(default_factory=list)  # why summaries.sqlite missed a report
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
    jobs: int = 1,
    shard: Shard | None = None,
    on_report_start: Callable[[Path, int], None] | None = None,
    on_chunk_done: Callable[[int], None] | None = None,
    on_report_done: Callable[[Path, Summary | None, str | None], None] | None = None,
    force: bool = False,
) -> BatchResult:
    """Summarise each report of `folder` into `outdir`, then write the batch files. Without a
    `backend`, one is made for `settings` and closed at the end, however the run ends.
    `jobs` > 1 runs the rules backend's reports in that many worker processes (summarizer.pool);
    the outputs are the same. `shard` keeps only that shard's reports (summarizer.shards).

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
    # Decided over the whole folder before any file is written, so every shard names alike.
    ids, renamed = output_ids(paths)
    if shard is not None:  # may leave none: an empty shard writes an empty index, to merge
        paths = shard.select(paths)
        renamed = [r for r in renamed if shard.holds(r.path)]
    check_jobs(jobs, settings, backend)
    make_outdir(outdir)  # an unusable OUT fails the run here, not each report after its work
    result = BatchResult(renamed=renamed)
    with open_backend(settings, backend) as backend, ExitStack() as stack:
        try:
            store: BatchStore | NoDatabase = stack.enter_context(
                open_store(outdir, paths, settings, backend, ids=ids, force=force)
            )
        except OutputError as exc:  # no database (a full disk): the run goes on without it
            store = NoDatabase(paths, ids)
            result.unstored.append(str(exc))
        for path in store.plan.reused:
            if on_report_done:
                on_report_done(path, store.reused_summary(path), None)
        outcomes = _clashing_with_reused(store.plan.todo, store.plan.reused, ids)
        todo = [path for path in store.plan.todo if path not in outcomes]
        finished = stack.enter_context(
            closing(
                _summarise(
                    todo, ids, outdir, settings, backend, jobs, on_report_start, on_chunk_done
                )
            )
        )
        # The folder's order, however the workers finish; each report as soon as those before
        # it are done, so the database takes them while the workers still run the later ones.
        for path, outcome in _in_order(store.plan.todo, outcomes, finished):
            if isinstance(outcome, Exception):
                outcome = _failure_line(path, outcome, settings.debug)
            _keep(store, path, outcome, result)
            if on_report_done:
                summary = outcome if isinstance(outcome, Summary) else None
                on_report_done(path, summary, None if summary else str(outcome))
        result.summaries = store.finish()
        result.reused, result.removed = len(store.plan.reused), store.plan.removed
        failed = [(f.path, f.reason) for f in result.failures]
        result.tracking, result.output_error = write_batch_files(
            result.summaries,
            failed,
            outdir,
            tracked=store,
            jobs=jobs,
            chart_cache=settings.cache_dir if settings.use_cache else None,
        )
        if result.unstored:  # a full disk: the files are whole, the database is behind
            errors = [result.output_error, *result.unstored]
            result.output_error = "; ".join(e for e in errors if e)
    result.seconds = time.perf_counter() - t0
    return result


def _clashing_with_reused(
    todo: list[Path], reused: dict[Path, str], ids: dict[Path, str]
) -> dict[Path, Outcome]:
    """The files of `todo` whose report id a reused report holds: each fails as the duplicate
    it is in a full run (the reader's check sees only the reports it reads)."""
    held = {rid.casefold(): path for path, rid in reused.items()}
    clashes: dict[Path, Outcome] = {}
    for path in todo:
        other = held.get(ids[path].casefold())
        if other is not None:
            clashes[path] = same_id(path, ids[path], other)
    return clashes


Outcome = Summary | Exception | str  # a report's summary (files written) or what stopped it


def _summarise(
    todo: list[Path],
    ids: dict[Path, str],
    outdir: Path,
    settings: Settings,
    backend: Backend,
    jobs: int,
    on_report_start: Callable[[Path, int], None] | None,
    on_chunk_done: Callable[[int], None] | None,
) -> Generator[tuple[Path, Outcome], None, None]:
    """Each report of `todo` with its outcome, as each finishes."""
    if min(jobs, len(todo)) > 1:
        named = [(path, ids[path]) for path in todo]
        with closing(summarize_in_workers(named, settings, jobs, outdir)) as outcomes:
            for o in outcomes:
                if o.summary is not None:
                    _report_progress(todo[o.index], o.summary, on_report_start, on_chunk_done)
                yield todo[o.index], o.summary if o.summary is not None else str(o.reason)
    else:
        for i, outcome in _in_process(
            todo, ids, outdir, settings, backend, on_report_start, on_chunk_done
        ):
            yield todo[i], outcome


def _in_order(
    order: list[Path], known: dict[Path, Outcome], finished: Iterator[tuple[Path, Outcome]]
) -> Iterator[tuple[Path, Outcome]]:
    """Each path of `order` with its outcome (`known` already, or `finished` in any order), in
    that order, as soon as it and every path before it have one."""
    at = 0

    def ready() -> Iterator[tuple[Path, Outcome]]:
        nonlocal at
        while at < len(order) and order[at] in known:
            yield order[at], known.pop(order[at])
            at += 1

    yield from ready()
    for path, outcome in finished:
        known[path] = outcome
        yield from ready()


def _keep(
    store: BatchStore | NoDatabase, path: Path, outcome: Summary | str, result: BatchResult
) -> None:
    """A summary goes into the database (its files are written); a failure is listed, and
    the summary an earlier run stored for it is dropped (a full run would not show it). A
    database that cannot take a summary costs the report nothing but its reuse next time."""
    if isinstance(outcome, Summary):
        try:
            store.put(path, outcome)
        except SummarizerError as exc:
            result.unstored.append(str(exc))
        return
    result.failures.append(Failure(path, outcome))
    store.forget(path)


def _in_process(
    paths: list[Path],
    ids: dict[Path, str],
    outdir: Path,
    settings: Settings,
    backend: Backend,
    on_report_start: Callable[[Path, int], None] | None,
    on_chunk_done: Callable[[int], None] | None,
) -> Iterator[tuple[int, Summary | Exception]]:
    """Each report's place in `paths` and its summary, files written, or what stopped it."""
    seen: dict[str, Path] = {}  # report id (case-folded) -> file, since <id>.* would collide

    def read(path: Path) -> Report:
        report = with_id(read_report(path, max_bytes=settings.max_bytes), ids[path])
        key = report.id.casefold()
        if key in seen:
            raise same_id(path, report.id, seen[key])
        seen[key] = path
        return report

    outcomes = iter_summaries(
        paths,
        settings,
        backend,
        read=read,
        on_report_start=on_report_start,
        on_chunk_done=on_chunk_done,
    )
    for i, (_, report, outcome) in enumerate(outcomes):
        if isinstance(outcome, Summary) and report is not None:
            try:
                write_report_outputs(outcome, report.text, outdir, durable=False)
            except Exception as exc:  # fails this report only
                outcome = exc
        yield i, outcome


def _report_progress(
    path: Path,
    summary: Summary,
    on_report_start: Callable[[Path, int], None] | None,
    on_chunk_done: Callable[[int], None] | None,
) -> None:
    """A worker's report counts its chunks once it is done: the bar moves by whole reports."""
    if on_report_start:
        on_report_start(path, summary.run.chunks)
    if on_chunk_done:
        on_chunk_done(summary.run.chunks)


def _failure_line(path: Path, exc: Exception, debug: bool) -> str:
    """One line naming the file (errors.failure_line); with --debug a bug is raised instead,
    to show its traceback."""
    if debug and not isinstance(exc, SummarizerError):
        raise exc
    return failure_line(path, exc)
