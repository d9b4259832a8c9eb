"""List the tracking links `summarizer track` gets wrong on the labelled series, by cause.

    .venv/bin/python scripts/track_misses.py [SERIES ...] [--labels DIR] [--reports DIR]

For every labelled link not predicted right it says which side failed and why, as far as the
summaries show it: the target (or actual) figure not extracted at all, or extracted with
another status, year, span, indicator, measure or value; and it lists the predicted links no
label matches. Causes are counted per series so the largest groups can be fixed first.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from summarizer.config import Settings
from summarizer.extract.backend import open_backend
from summarizer.models import Metric, Summary
from summarizer.pipeline import summarize_report
from summarizer.read.source import read_report
from summarizer.render.versions import as_version_2
from summarizer.track.link import Link, track_summaries
from summarizer.track.scoring import (
    LabelFigure,
    LabelLink,
    load_series_labels,
    quote_spans,
    same_actual,
    score_links,
)


def _near(s: Summary, text: str, fig: LabelFigure) -> list[Metric]:
    """The summary's metrics overlapping the label's quote, those of its value first."""
    spans = quote_spans(text, fig.quote)
    found = [
        m for m in s.metrics if any(a < m.evidence.end and m.evidence.start < b for a, b in spans)
    ]
    return sorted(found, key=lambda m: fig.number is None or abs(m.value - fig.number) > 1e-9)


def _describe(m: Metric) -> str:
    return (
        f"{m.name}→{m.canonical_name} {m.value}{m.unit} {m.measure}/{m.direction}"
        f" status={m.status} year={m.reference_year} span={m.span} bound={m.bound}"
    )


def _side_cause(
    side: str, label: LabelLink, fig: LabelFigure, s: Summary, text: str
) -> tuple[str, str]:
    if not quote_spans(text, fig.quote):
        return f"{side}: quote not in text", ""
    near = _near(s, text, fig)
    if not near:
        return f"{side}: figure not extracted", ""
    m = near[0]
    if fig.number is None or abs(m.value - fig.number) > 1e-9:
        return f"{side}: value differs", _describe(m)
    want_status = "target" if side == "target" else "actual"
    if m.status != want_status and not (side == "actual" and m.status == "forecast"):
        return f"{side}: status {m.status}", _describe(m)
    if m.reference_year != label.year:
        return f"{side}: year {m.reference_year}", _describe(m)
    if m.span not in ("year", None):
        return f"{side}: span {m.span}", _describe(m)
    if m.measure != label.measure and not (m.change_pct is not None and label.measure == "change"):
        return f"{side}: measure {m.measure}", _describe(m)
    if (m.canonical_name or m.name) != label.indicator:
        return f"{side}: indicator", _describe(m)
    return f"{side}: extracted, not linked", _describe(m)


def _cause(
    label: LabelLink,
    found: Link | None,
    by_id: dict[str, Summary],
    texts: dict[str, str],
) -> tuple[str, str]:
    t = label.target
    if found is None:
        cause, detail = _side_cause("target", label, t, by_id[t.report], texts[t.report])
        if cause != "target: extracted, not linked" or label.actual is None:
            return cause, detail
        a = label.actual
        return _side_cause("actual", label, a, by_id[a.report], texts[a.report])
    if label.actual is None:
        got = found.actual
        return "actual: extra (labelled none)", f"{got.quote if got else ''} [{found.verdict}]"
    a = label.actual
    return _side_cause("actual", label, a, by_id[a.report], texts[a.report])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("series", nargs="*", help="series names (default: all)")
    ap.add_argument("--labels", type=Path, default=Path("evals/tracking"))
    ap.add_argument("--reports", type=Path, default=Path("evals/tracking/reports"))
    args = ap.parse_args()
    settings = Settings()
    totals: Counter[str] = Counter()
    with open_backend(settings, None) as backend:
        for path in sorted(args.labels.glob("*.json")):
            labels = load_series_labels(path)
            if args.series and labels.series not in args.series:
                continue
            texts: dict[str, str] = {}
            by_id: dict[str, Summary] = {}
            for rid in labels.reports:
                report = read_report(sorted(args.reports.glob(f"{rid}.*"))[0])
                texts[rid] = report.text
                by_id[rid] = as_version_2(summarize_report(report, settings, backend))
            result = track_summaries(list(by_id.values()), labels.tolerance_pp)
            score = score_links(labels.links, result.links, texts)
            rows: list[tuple[str, str]] = []
            for label in score.missed_links:
                cause, detail = _cause(label, None, by_id, texts)
                rows.append(
                    (
                        cause,
                        f"{label.year} {label.indicator} «{label.target.quote}» "
                        f"→ «{label.actual.quote if label.actual else ''}» "
                        f"[{label.verdict}] {detail}",
                    )
                )
            for label, link in score.wrong:
                cause, detail = _cause(label, link, by_id, texts)
                if same_actual(label, link):
                    cause = f"verdict {link.verdict} vs {label.verdict}"
                rows.append(
                    (
                        cause,
                        f"{label.year} {label.indicator} «{label.target.quote}» "
                        f"→ «{label.actual.quote if label.actual else ''}» "
                        f"[{label.verdict}] got «{link.actual.quote if link.actual else ''}»"
                        f" [{link.verdict}] {link.note} {detail}",
                    )
                )
            for link in score.extra_links:
                rows.append(
                    (
                        "extra link",
                        f"{link.year} {link.indicator} «{link.target.quote}» "
                        f"→ «{link.actual.quote if link.actual else ''}» [{link.verdict}]",
                    )
                )
            counts = Counter(c for c, _ in rows)
            totals.update(counts)
            print(
                f"## {labels.series}: {len(score.missed_links)} missed, "
                f"{len(score.wrong)} wrong, {len(score.extra_links)} extra"
            )
            for cause, n in counts.most_common():
                print(f"### {cause} ({n})")
                for c, line in rows:
                    if c == cause:
                        print("  ", line)
            print()
    print("## all series")
    for cause, n in totals.most_common():
        print(f"{n:4d}  {cause}")


if __name__ == "__main__":
    main()
