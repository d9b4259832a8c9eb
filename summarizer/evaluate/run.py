"""The eval harness: run the normal pipeline over labelled reports, score, record, compare.

    labels (evals/labels/<report_id>.json) + reports (seeds/) → EvalRun → evals/runs/*.json
                                                              → evals/baseline.json (the gate)

Scoring itself lives in `scoring` (pure); this module does the reading, running and writing.
No rich here: `evaluate.console` prints.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from summarizer.config import Settings
from summarizer.errors import InputError, SummarizerError
from summarizer.evaluate.scoring import (
    CATEGORY_KEYS,
    FIGURE_FIELDS,
    EvalTotals,
    ReportScore,
    UnlocatedQuote,
    aggregate,
    score_report,
)
from summarizer.extract.backend import Backend, open_backend
from summarizer.models import LabelFile, Summary
from summarizer.pipeline import iter_summaries
from summarizer.pool import check_jobs, summarize_in_workers
from summarizer.read.source import Report, read_report
from summarizer.render.outputs import atomic_write_text

__all__ = [
    "DEFAULT_BASELINE",
    "GATED_MEASURES",
    "BaselineComparison",
    "Delta",
    "EvalRun",
    "compare_to_baseline",
    "find_report",
    "load_baseline",
    "load_label_file",
    "load_labels",
    "run_eval",
    "run_filename",
    "save_baseline",
    "write_run",
]

DEFAULT_BASELINE = Path("evals/baseline.json")  # where --save-baseline writes without --baseline
# The gate: per category, these may not fall by more than the tolerance.
GATED_MEASURES: tuple[str, ...] = ("f1", "recall")


class EvalRun(BaseModel):
    """One eval: who extracted, against which labels, and the scores (per report and total)."""

    created: str
    backend: str
    model: str | None = None
    mode: str | None = None
    prompt_version: str
    labels_dir: str
    reports_dir: str
    # report id → first 12 hex of the label file's SHA-256: shows when labels changed.
    label_digests: dict[str, str]
    llm_calls: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    totals: EvalTotals
    reports: list[ReportScore]


# --- labels and reports --------------------------------------------------------------------------


def _pydantic_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "top level"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"invalid label file: {where}: {first['msg']}{more}"


def load_label_file(path: Path) -> LabelFile:
    """Parse one label file; InputError names the file and the first problem in one line."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read label file: {exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    try:
        labels = LabelFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, _pydantic_reason(exc)) from None
    if labels.report != path.stem:
        raise InputError(
            path,
            f"label file names report {labels.report!r}; the file should be {labels.report}.json",
        )
    return labels


def load_labels(labels_dir: Path) -> list[tuple[Path, LabelFile]]:
    if not labels_dir.is_dir():
        raise InputError(labels_dir, "label folder not found (pass --labels DIR)")
    paths = sorted(labels_dir.glob("*.json"))
    if not paths:
        raise InputError(labels_dir, "no label files (*.json) in the label folder")
    return [(p, load_label_file(p)) for p in paths]


def find_report(reports_dir: Path, report_id: str, label_path: Path) -> Path:
    """The report file a label file refers to: `<id>.txt`, else any `<id>.*` file."""
    exact = reports_dir / f"{report_id}.txt"
    if exact.is_file():
        return exact
    others = sorted(p for p in reports_dir.glob(f"{report_id}.*") if p.is_file())
    if others:
        return others[0]
    raise InputError(
        label_path, f"report {report_id!r} not found in {reports_dir} (pass --reports DIR)"
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# --- running -------------------------------------------------------------------------------------


def labelled_reports(labels_dir: Path, reports_dir: Path) -> list[Path]:
    """The report file of each hand label, in the labels' order."""
    return [find_report(reports_dir, lab.report, lp) for lp, lab in load_labels(labels_dir)]


def run_eval(
    labels_dir: Path,
    reports_dir: Path,
    settings: Settings,
    backend: Backend | None = None,
    *,
    on_report: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> EvalRun:
    """Summarise every labelled report with the normal pipeline and score it; `jobs` > 1 runs
    the rules backend's reports in that many worker processes (summarizer.pool)."""
    t0 = time.perf_counter()
    check_jobs(jobs, settings, backend)
    labelled = load_labels(labels_dir)
    if not reports_dir.is_dir():
        raise InputError(reports_dir, "reports folder not found (pass --reports DIR)")
    paths = [find_report(reports_dir, lab.report, lp) for lp, lab in labelled]
    # Every report is read before the first call: a missing or unreadable one costs nothing.
    reports = {p: read_report(p, max_bytes=settings.max_bytes) for p in paths}
    report_ids = {p: lab.report for p, (_, lab) in zip(paths, labelled, strict=True)}

    def started(path: Path, _chunks: int) -> None:
        if on_report is not None:
            on_report(report_ids[path])

    scores: list[ReportScore] = []
    llm_calls = cache_hits = 0
    with open_backend(settings, backend) as backend:
        if jobs > 1:
            outcomes = _in_workers(paths, settings, jobs, started)
        else:
            outcomes = iter_summaries(
                paths, settings, backend, read=reports.__getitem__, on_report_start=started
            )
        for (label_path, labels), (path, _, summary) in zip(labelled, outcomes, strict=True):
            if isinstance(summary, Exception):
                raise summary  # an eval stops at the first report that fails
            llm_calls += summary.run.llm_calls
            cache_hits += summary.run.cache_hits
            try:
                scores.append(score_report(summary, labels, reports[path].text))
            except UnlocatedQuote as exc:
                raise InputError(label_path, str(exc)) from None
    return EvalRun(
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        backend=backend.name,
        model=backend.model,
        mode=backend.mode,
        prompt_version=backend.prompt_version,
        labels_dir=str(labels_dir),
        reports_dir=str(reports_dir),
        label_digests={lab.report: _digest(lp) for lp, lab in labelled},
        llm_calls=llm_calls,
        cache_hits=cache_hits,
        seconds=round(time.perf_counter() - t0, 3),
        totals=aggregate(scores),
        reports=scores,
    )


def _in_workers(
    paths: list[Path], settings: Settings, jobs: int, started: Callable[[Path, int], None]
) -> Iterator[tuple[Path, Report | None, Summary | Exception]]:
    """iter_summaries' outcomes, made in worker processes: every summary in `paths` order, or
    the first failure as it comes (an eval stops there, and so do the workers)."""
    done: dict[int, Summary] = {}
    named = [(path, path.stem) for path in paths]
    with closing(summarize_in_workers(named, settings, jobs)) as outcomes:
        for outcome in outcomes:
            if outcome.summary is None:
                yield paths[outcome.index], None, SummarizerError(str(outcome.reason))
                return
            started(paths[outcome.index], outcome.summary.run.chunks)
            done[outcome.index] = outcome.summary
    for i, path in enumerate(paths):
        yield path, None, done[i]


# --- recording -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def run_filename(run: EvalRun) -> str:
    """`<UTC time>_<backend>_<model>_<prompt version>.json`, safe on any file system."""
    stamp = datetime.fromisoformat(run.created).strftime("%Y%m%dT%H%M%SZ")
    parts = [stamp, run.backend, run.model or "none", run.prompt_version]
    return "_".join(_UNSAFE.sub("-", p).strip("-") or "x" for p in parts) + ".json"


def _run_json(run: EvalRun) -> str:
    return json.dumps(run.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_run(run: EvalRun, runs_dir: Path) -> Path:
    path = runs_dir / run_filename(run)
    n = 1
    while path.exists():  # two runs in the same second: keep both
        n += 1
        path = runs_dir / run_filename(run).replace(".json", f"-{n}.json")
    atomic_write_text(path, _run_json(run))
    return path


def save_baseline(run: EvalRun, path: Path) -> Path:
    atomic_write_text(path, _run_json(run))
    return path


def load_baseline(path: Path) -> EvalRun:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "baseline not found (create it with --save-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot read baseline: {exc}") from None
    try:
        return EvalRun.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(path, f"invalid baseline: {where}: {first['msg']}") from None


# --- comparing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delta:
    """One measure before (baseline) and after (this run)."""

    name: str  # "metrics", "faithfulness", "meta.year" …
    measure: str  # "f1", "recall", "precision", "rate"
    before: float
    after: float
    gated: bool

    @property
    def change(self) -> float:
        return self.after - self.before

    def failed(self, tolerance: float) -> bool:
        # A tiny epsilon so that a drop of exactly the tolerance passes despite float noise.
        return self.gated and self.change < -tolerance - 1e-9


@dataclass
class BaselineComparison:
    tolerance: float
    deltas: list[Delta] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why the comparison may be unfair

    @property
    def failures(self) -> list[Delta]:
        return [d for d in self.deltas if d.failed(self.tolerance)]

    @property
    def ok(self) -> bool:
        return not self.failures


def compare_to_baseline(run: EvalRun, baseline: EvalRun, tolerance: float) -> BaselineComparison:
    """Deltas of every headline measure; F1 and recall per category are gated."""
    cmp = BaselineComparison(tolerance=tolerance)
    for key in CATEGORY_KEYS:
        before = baseline.totals.categories.get(key)
        after = run.totals.categories.get(key)
        if before is None or after is None:
            continue
        for measure in ("f1", "recall", "precision"):
            cmp.deltas.append(
                Delta(
                    key,
                    measure,
                    getattr(before, measure),
                    getattr(after, measure),
                    gated=measure in GATED_MEASURES,
                )
            )
    ratios = [
        ("faithfulness", baseline.totals.faithfulness, run.totals.faithfulness),
        ("grounding", baseline.totals.grounding, run.totals.grounding),
    ]
    for key, before_r in baseline.totals.meta.items():
        if key in run.totals.meta and before_r.total:
            ratios.append((f"meta.{key}", before_r, run.totals.meta[key]))
    for name, before_r, after_r in ratios:
        cmp.deltas.append(Delta(name, "rate", before_r.rate, after_r.rate, gated=False))
    # What a matched figure means (measure, bound, year …) is gated like recall: a rule that
    # misreads 下降 or 左右 must show. A baseline from before a field existed gates nothing.
    for key in FIGURE_FIELDS:
        before_f = baseline.totals.metric_fields.get(key)
        after_f = run.totals.metric_fields.get(key)
        if before_f and before_f.total and after_f is not None:
            cmp.deltas.append(
                Delta(f"metrics.{key}", "rate", before_f.rate, after_f.rate, gated=True)
            )
    # So is the share of headline figures with a canonical name: a table change that loses
    # names must show.
    before_n, after_n = baseline.totals.named, run.totals.named
    if before_n.total:
        cmp.deltas.append(Delta("metrics.named", "rate", before_n.rate, after_n.rate, gated=True))

    gone = sorted(set(baseline.label_digests) - set(run.label_digests))
    new = sorted(set(run.label_digests) - set(baseline.label_digests))
    changed = sorted(
        r
        for r in set(baseline.label_digests) & set(run.label_digests)
        if baseline.label_digests[r] != run.label_digests[r]
    )
    for what, ids in (
        ("not labelled now", gone),
        ("newly labelled", new),
        ("labels changed", changed),
    ):
        if ids:
            cmp.notes.append(
                f"{what} since the baseline: {', '.join(ids)} — re-save it with --save-baseline"
            )
    if (baseline.backend, baseline.model) != (run.backend, run.model):
        cmp.notes.append(
            f"baseline was made with {baseline.backend}/{baseline.model or '-'}, "
            f"this run with {run.backend}/{run.model or '-'}"
        )
    return cmp
