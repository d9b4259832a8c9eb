"""Reports in worker processes (`--jobs N`) for the offline rules backend, and any other
batch work that splits into tasks (`map_in_workers`: the tracking charts).

Each worker reads, summarises and, given an OUTDIR, renders and writes one report's files, so
the parent only collects summaries for the batch files and drives the progress bar. A report
that raises fails alone with its one line; a worker that dies (a segfault, the OOM killer) fails
only the report it held, and the pool starts another worker (pebble's ProcessPool does both).

Ctrl-C: workers ignore SIGINT; the parent stops them, removes the temp files they were writing
(a rename is all or nothing, so no output is ever half written) and raises KeyboardInterrupt.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

from summarizer.config import Settings
from summarizer.errors import ConfigError, failure_line, same_id, shown
from summarizer.extract.backend import Backend, get_backend
from summarizer.models import Summary
from summarizer.pipeline import summarize_report
from summarizer.read.source import read_report, with_id
from summarizer.render.outputs import remove_stale_temp_files, write_report_outputs

__all__ = [
    "Failed",
    "Outcome",
    "check_jobs",
    "default_jobs",
    "map_in_workers",
    "summarize_in_workers",
]

Task = TypeVar("Task")
Result = TypeVar("Result")


def default_jobs() -> int:
    """The cores this process may run on (a cgroup or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Outcome:
    """One report's end: its summary (files written), or the one-line reason it failed."""

    index: int  # its place in the paths given
    summary: Summary | None
    reason: str | None


@dataclass(frozen=True)
class Failed:
    """A task that failed, and why in one line (a worker's exception, or the worker's death)."""

    reason: str


def check_jobs(jobs: int, settings: Settings, backend: Backend | None = None) -> None:
    """Worker processes are for the offline backend: an LLM backend already runs
    `--concurrency` calls at once, and a caller's backend object cannot enter other processes."""
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")
    if jobs > 1 and settings.backend != "rules":
        raise ConfigError(
            f"--jobs is for the rules backend; the {settings.backend} backend runs "
            "--concurrency calls at once (leave --jobs out)"
        )
    if jobs > 1 and backend is not None:
        raise ConfigError("jobs > 1 makes a backend in each worker process: pass no backend")


# --- in the worker -------------------------------------------------------------------------------

# Set once per worker by _start_worker: the settings travel once, not with every report.
_worker: tuple[Settings, Backend, Path | None] | None = None


def _start_worker(settings: Settings, outdir: Path | None) -> None:
    global _worker
    _worker = (settings, get_backend(settings), outdir)


def _summarize_group(named: Sequence[tuple[Path, str]]) -> list[Summary | str]:
    """For each (path, report id) of `named` (files of one id, in batch order), its summary
    with its files written, or the line naming why it failed. As in one process, the first file
    read claims the id and the others fail: run in one worker, no two write the same files."""
    assert _worker is not None, "the pool's initializer sets up every worker"
    settings, backend, outdir = _worker
    claimed: Path | None = None
    done: list[Summary | str] = []
    for path, rid in named:
        try:
            report = with_id(read_report(path, max_bytes=settings.max_bytes), rid)
            if claimed is not None:
                raise same_id(path, report.id, claimed)
            claimed = path
            summary = summarize_report(report, settings, backend)
            if outdir is not None:
                write_report_outputs(summary, report.text, outdir, durable=False)
        except Exception as exc:  # this report's failure: a line, since not every error pickles
            done.append(failure_line(path, exc))
            continue
        done.append(summary)
    return done


# --- in the parent -------------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one: workers start at once with every module imported and every
    pattern compiled, instead of importing summarizer again each (spawn: ~0.5 s a worker)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def summarize_in_workers(
    named: Sequence[tuple[Path, str]],
    settings: Settings,
    jobs: int,
    outdir: Path | None = None,
) -> Generator[Outcome, None, None]:
    """Summarise the reports `named` (each a file and its report id) in `jobs` worker
    processes, writing each report's files into `outdir` (none when it is None); yield each
    report's Outcome as it finishes, in no fixed order."""
    groups: dict[str, list[int]] = {}  # report id (case-folded) -> its files' places
    for i, (_, rid) in enumerate(named):
        groups.setdefault(rid.casefold(), []).append(i)
    paths = [path for path, _ in named]
    with ProcessPool(
        max_workers=max(1, min(jobs, len(groups))),  # no idle worker for a short batch
        initializer=_start_worker,
        initargs=(settings, outdir),
        context=_context(),
    ) as pool:
        futures: dict[Future[list[Summary | str]], list[int]] = {
            pool.schedule(_summarize_group, ([named[i] for i in places],)): places
            for places in groups.values()
        }
        with _stopped_on_exit(pool, outdir):
            for future in as_completed(futures):
                places = futures[future]
                for i, done in zip(
                    places, _results(future, [paths[i] for i in places]), strict=True
                ):
                    if isinstance(done, str):
                        yield Outcome(i, None, done)
                    else:
                        yield Outcome(i, done, None)


def map_in_workers(
    func: Callable[[Task], Result], tasks: Sequence[Task], jobs: int
) -> Iterator[tuple[int, Result | Failed]]:
    """`func(task)` for each of `tasks` in `jobs` worker processes: yield each task's place and
    its result, or why it failed (it raised, its worker died, its result would not pickle), in
    no fixed order. `func` must be a module's function (it travels by name)."""
    with ProcessPool(max_workers=max(1, min(jobs, len(tasks))), context=_context()) as pool:
        futures: dict[Future[Result], int] = {
            pool.schedule(func, (task,)): i for i, task in enumerate(tasks)
        }
        with _stopped_on_exit(pool):
            for future in as_completed(futures):
                done: Result | Failed = _result_or_reason(future)
                yield futures[future], done


@contextmanager
def _stopped_on_exit(pool: ProcessPool, outdir: Path | None = None) -> Iterator[None]:
    """Ctrl-C, or the caller stopped reading: stop every worker now, and remove the temp files
    they were writing into `outdir`."""
    try:
        yield
    except BaseException:
        pool.stop()  # type: ignore[no-untyped-call]
        pool.join()
        if outdir is not None:
            remove_stale_temp_files(outdir)
        raise


def _result_or_reason(future: Future[Result]) -> Result | Failed:
    try:
        return future.result()
    except ProcessExpired as exc:
        return Failed(_died(exc))
    except Exception as exc:
        return Failed(f"{type(exc).__name__}: {exc}")


def _results(future: Future[list[Summary | str]], paths: list[Path]) -> list[Summary | str]:
    """What a worker returned for `paths`, or for each a line saying why the worker failed."""
    try:
        done: list[Summary | str] = future.result()
    except ProcessExpired as exc:
        return [f"{shown(path)}: {_died(exc)}" for path in paths]
    except Exception as exc:  # the pool's own fault (a result that would not pickle)
        return [failure_line(path, exc) for path in paths]
    return done


def _died(exc: ProcessExpired) -> str:
    """Why the tasks a worker held failed when it died."""
    code = exc.exitcode
    how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return f"the worker process died ({how}); rerun with --jobs 1"
