"""`summarizer eval-track`: run tracking on the labelled series and score it (see `scoring`),
per series and in total, with a baseline to gate on.

Each label file names its series' reports; they are read from the reports folder (<id>.txt),
summarised with the normal pipeline and tracked as a folder of their own would be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.config import Settings
from summarizer.errors import ConfigError, InputError
from summarizer.extract.backend import open_backend
from summarizer.pipeline import summarize_report
from summarizer.read.source import read_report
from summarizer.render.outputs import atomic_write_text
from summarizer.track.link import track_summaries
from summarizer.track.scoring import TrackScore, load_series_labels, score_links

__all__ = [
    "GATED",
    "TrackEval",
    "compare_track_baseline",
    "load_track_baseline",
    "run_track_eval",
    "save_track_baseline",
]

GATED = ("recall", "precision", "verdict_accuracy")


@dataclass
class TrackEval:
    series: dict[str, TrackScore] = field(default_factory=dict)
    total: TrackScore = field(default_factory=TrackScore)

    def figures(self) -> dict[str, object]:
        return {
            "series": {name: s.figures() for name, s in self.series.items()},
            "total": self.total.figures(),
        }


def _report_path(reports: Path, report_id: str) -> Path:
    found = sorted(reports.glob(f"{report_id}.*"))
    if not found:
        raise InputError(reports / report_id, "labelled report not found in the reports folder")
    return found[0]


def run_track_eval(
    labels_dir: Path, reports_dir: Path, settings: Settings | None = None
) -> TrackEval:
    settings = settings or Settings()
    files = sorted(labels_dir.glob("*.json"))
    if not files:
        raise ConfigError(f"{labels_dir}: no tracking label files (<series>.json)")
    out = TrackEval()
    with open_backend(settings, None) as backend:
        for path in files:
            labels = load_series_labels(path)
            texts, summaries = {}, []
            for rid in labels.reports:
                report = read_report(_report_path(reports_dir, rid), max_bytes=settings.max_bytes)
                texts[rid] = report.text
                summaries.append(summarize_report(report, settings, backend))
            result = track_summaries(summaries, labels.tolerance_pp)
            score = score_links(labels.links, result.links, texts)
            out.series[labels.series] = score
            out.total.add(score)
    return out


def save_track_baseline(run: TrackEval, path: Path) -> Path:
    atomic_write_text(path, json.dumps(run.figures(), ensure_ascii=False, indent=2) + "\n")
    return path


def load_track_baseline(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        series = {name: dict(v) for name, v in data["series"].items()}
        return series | {"total": dict(data["total"])}
    except FileNotFoundError:
        raise InputError(path, "baseline not found (create it with --save-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(path, f"cannot read baseline: {exc}") from None


def compare_track_baseline(
    run: TrackEval, baseline: dict[str, dict[str, float]], tolerance: float
) -> list[str]:
    """What regressed, one line each: a gated measure down by more than `tolerance`, or more
    not_reported targets judged met or missed than the baseline's."""
    now = {name: s.figures() for name, s in run.series.items()} | {"total": run.total.figures()}
    failures = []
    for name, before in baseline.items():
        after = now.get(name)
        if after is None:
            continue
        for measure in GATED:
            if measure in before and float(after[measure]) < float(before[measure]) - tolerance:
                failures.append(f"{name} {measure} {before[measure]:.3f} → {after[measure]:.3f}")
    # The aim is none; more than the baseline's is a regression at once, whatever the tolerance
    allowed = int(baseline.get("total", {}).get("not_reported_judged", 0))
    if run.total.not_reported_judged > allowed:
        failures.append(
            f"{run.total.not_reported_judged} not_reported target(s) judged met/missed"
            f" (baseline {allowed})"
        )
    return failures
