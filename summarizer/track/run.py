"""`summarizer track DIR -o OUT` and the batch's tracking step, as functions.

DIR holds either summaries (the <id>.json files a batch writes: their source views are in DIR
beside them) or reports (summarised here, each one's source view written to OUT). A file that
cannot be read is one line naming it and why; the others are tracked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pydantic import ValidationError

from summarizer.config import Settings
from summarizer.errors import ConfigError, InputError, failure_line
from summarizer.extract.backend import open_backend
from summarizer.models import Summary
from summarizer.pipeline import iter_summaries
from summarizer.read.source import read_capped
from summarizer.render.briefing import build_briefing
from summarizer.render.outputs import atomic_write_text, make_outdir
from summarizer.render.pages import render_html, render_markdown, render_source_html
from summarizer.track.link import TrackResult, track_summaries
from summarizer.track.outputs import TrackingFiles, page_names, write_tracking_outputs
from summarizer.track.series import apply_meta
from summarizer.track.verdict import DEFAULT_TOLERANCE_PP

__all__ = ["TrackRun", "run_track", "scorecard_line", "track_batch"]

# What a batch writes beside the summaries that is JSON but no summary.
_NOT_SUMMARIES = frozenset({"tracking.json"})


@dataclass
class TrackRun:
    result: TrackResult
    files: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line each, naming the file


def _summary_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(
            f"{folder}: no such folder"
            if not folder.exists()
            else f"{folder}: is a file, not a folder"
        )
    return sorted(
        p
        for p in folder.glob("*.json")
        if p.name not in _NOT_SUMMARIES and not p.name.startswith(".")
    )


def _read_summaries(paths: Sequence[Path], run: TrackRun, settings: Settings) -> list[Summary]:
    out = []
    for p in paths:
        try:
            # a FIFO or device named *.json is refused, not read for ever
            s = Summary.model_validate_json(read_capped(p, settings.max_bytes))
        except InputError as exc:
            run.failures.append(str(exc))
            continue
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            run.failures.append(f"{p}: not a summary ({where}: {first['msg']})")
            continue
        out.append(apply_meta(s, settings.meta))
    return out


def _summarise_reports(
    folder: Path, outdir: Path, run: TrackRun, settings: Settings
) -> list[Summary]:
    """Summarise every report of `folder`, writing each one's source view into `outdir`."""
    from summarizer.batch import list_reports

    out = []
    paths = list_reports(folder)
    with open_backend(settings, None) as backend:
        for path, report, outcome in iter_summaries(paths, settings, backend):
            if isinstance(outcome, Exception):
                run.failures.append(failure_line(path, outcome))
                continue
            assert report is not None  # iter_summaries gives a summary only with its report
            atomic_write_text(
                outdir / f"{report.id}.source.html", render_source_html(outcome, report.text)
            )
            out.append(outcome)
    return out


def run_track(
    folder: str | Path,
    outdir: str | Path,
    settings: Settings | None = None,
    tolerance_pp: float = DEFAULT_TOLERANCE_PP,
) -> TrackRun:
    """Track the targets of the reports (or summaries) in `folder`; write the outputs to `outdir`."""
    settings = settings or Settings()
    folder, outdir = Path(folder), Path(outdir)
    if tolerance_pp < 0:
        raise ConfigError(f"--tolerance must be 0 or more percentage points, got {tolerance_pp:g}")
    make_outdir(outdir)
    run = TrackRun(TrackResult([], [], tolerance_pp))
    json_files = _summary_files(folder)
    if json_files:
        summaries = _read_summaries(json_files, run, settings)
        base = os.path.relpath(folder.resolve(), outdir.resolve())
        source_base = "" if base == "." else quote(Path(base).as_posix()) + "/"
    else:
        summaries = _summarise_reports(folder, outdir, run, settings)
        source_base = ""
    run.result = track_summaries(summaries, tolerance_pp)
    cache_dir = settings.cache_dir if settings.use_cache else None
    written = write_tracking_outputs(run.result, outdir, source_base, cache_dir=cache_dir)
    run.files = written.files
    run.failures += written.failures
    return run


def scorecard_line(result: TrackResult, entity: str, year: int) -> str:
    """2024年目标 7 项：达成 4，未达成 2，未再提及 1 (，无法判断 n when some could not be)."""
    c = result.scorecard(entity, year)
    n = sum(c.values())
    if not n:
        return ""
    line = (
        f"{year}年目标 {n} 项：达成 {c['met']}，未达成 {c['missed']}，未再提及 {c['not_reported']}"
    )
    return line + (f"，无法判断 {c['unclear']}" if c["unclear"] else "")


def track_batch(
    summaries: Sequence[Summary], outdir: Path, *, jobs: int = 1, cache_dir: Path | None = None
) -> TrackingFiles:
    """The batch's step: when the batch holds two consecutive years of one entity, write the
    tracking outputs (charts drawn in `jobs` processes or taken from the chart cache in
    `cache_dir`) and give each later report's briefing its scorecard line. Nothing
    otherwise."""
    result = track_summaries(summaries)
    if not any(s.consecutive for s in result.series):
        return TrackingFiles([], [])
    written = write_tracking_outputs(result, outdir, jobs=jobs, cache_dir=cache_dir)
    pages = page_names(result)
    for series in result.series:
        page = pages[series.entity]
        for year in series.years:
            line = scorecard_line(result, series.entity, year)
            if not line or year - 1 not in series.by_year:
                continue
            for s in series.by_year[year]:
                b = build_briefing(s, scorecard=line, scorecard_href=page)
                rid = s.report.id
                # not durable, as the batch writes a report's files: a rerun rewrites them
                atomic_write_text(outdir / f"{rid}.md", render_markdown(s, b), durable=False)
                atomic_write_text(outdir / f"{rid}.html", render_html(s, b), durable=False)
    return written
