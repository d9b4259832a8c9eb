"""Summarise every report in a folder. A report that fails never stops the others."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.config import Settings
from summarizer.errors import InputError, SummarizerError
from summarizer.extract.backend import Backend, get_backend
from summarizer.models import Summary
from summarizer.pipeline import prepare, summarize_report
from summarizer.read.chunking import Chunk
from summarizer.read.source import Report, read_report
from summarizer.read.structure import Structure
from summarizer.render.outputs import write_batch_outputs, write_report_outputs

__all__ = ["NOT_REPORTS", "BatchResult", "Failure", "list_reports", "run_batch"]


Loaded = tuple[Report, tuple[Structure, list[Chunk]]]  # a read report, structured and chunked


_MAX_AHEAD = 8  # reports held in memory ahead of the one being finished


@dataclass
class Failure:
    path: Path
    reason: str  # one line, already names the file


@dataclass
class BatchResult:
    summaries: list[Summary] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

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
    if not folder.is_dir():
        raise InputError(folder, "not a folder")
    entries = []
    for p in sorted(folder.iterdir()):
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
    folder: Path,
    outdir: Path,
    settings: Settings,
    *,
    backend: Backend | None = None,
    on_report_start: Callable[[Path, int], None] | None = None,
    on_chunk_done: Callable[[int], None] | None = None,
    on_report_done: Callable[[Path, Summary | None, str | None], None] | None = None,
) -> BatchResult:
    """Summarise each report of `folder` into `outdir`, then write the batch files."""
    t0 = time.perf_counter()
    own_backend = backend is None
    backend = backend or get_backend(settings)
    result = BatchResult()
    seen: dict[str, Path] = {}  # report id -> file, since <id>.* outputs would collide
    # An LLM backend can start on reports ahead of the one being finished (`prefetch`) and
    # says how many of its calls are still unfinished (`waiting`).
    prefetch = getattr(backend, "prefetch", None)
    waiting = getattr(backend, "waiting", None)
    width = settings.concurrency

    def load(path: Path) -> Loaded | SummarizerError:
        """Read and chunk a report, and let an LLM backend start on its chunks already, so
        the pool is busy with report N+1 while report N's last calls finish."""
        try:
            report = read_report(path, max_bytes=settings.max_bytes)
            if report.id in seen:
                raise InputError(path, f"same report id {report.id!r} as {seen[report.id].name}")
            seen[report.id] = path
            prepared = prepare(report, settings)
        except SummarizerError as exc:
            return exc
        if prefetch is not None:
            prefetch(prepared[1], last=path == paths[-1])
        return report, prepared

    paths = list_reports(folder)
    ahead: dict[int, Loaded | SummarizerError] = {}
    for i, path in enumerate(paths):
        summary: Summary | None = None
        reason: str | None = None
        try:
            loaded = ahead.pop(i) if i in ahead else load(path)
            if waiting is not None:  # keep about two rounds of calls queued behind report i
                j = i + 1 + len(ahead)
                while j < len(paths) and j <= i + _MAX_AHEAD and waiting() < 2 * width:
                    ahead[j] = load(paths[j])
                    j += 1
            if isinstance(loaded, SummarizerError):
                raise loaded
            report, prepared = loaded
            on_chunks: Callable[[int], None] | None = None
            if on_report_start is not None:
                on_chunks = functools.partial(on_report_start, path)
            summary = summarize_report(
                report,
                settings,
                backend,
                on_chunks=on_chunks,
                on_chunk_done=on_chunk_done,
                prepared=prepared,
            )
            write_report_outputs(summary, report.text, outdir)
            result.summaries.append(summary)
        except KeyboardInterrupt:
            close = getattr(backend, "close", None)
            if own_backend and close is not None:
                close()  # cancels the queued calls: none is sent (and paid for) after Ctrl-C
            raise
        except SummarizerError as exc:
            reason = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            result.failures.append(Failure(path, reason))
        except Exception as exc:  # a bug must not cost the user the rest of the batch
            if settings.debug:
                raise
            reason = f"{path}: internal error ({type(exc).__name__}: {exc}); rerun with --debug"
            result.failures.append(Failure(path, reason))
        if on_report_done:
            on_report_done(path, summary, reason)
    write_batch_outputs(result.summaries, outdir, [f.reason for f in result.failures])
    result.seconds = time.perf_counter() - t0
    return result
