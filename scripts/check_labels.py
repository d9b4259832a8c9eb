"""Check hand-label files against their reports and print a per-report count table.

Usage: python scripts/check_labels.py [--labels evals/labels] [--reports seeds]

Checks what tests/test_labels.py checks (pydantic shape, quotes verbatim and short, metric value
and change written inside the quote, one label file per report, the version-2 figure fields of
every metric: present, consistent with each other and with what the quote writes) and prints
every failure, so a labeller can fix a new file in one pass. Exit status 1 when anything fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.lexicon.numbers import (
    BOUND_ABOUT_AFTER,
    BOUND_ABOUT_BEFORE,
    BOUND_AT_LEAST_AFTER,
    BOUND_AT_LEAST_BEFORE,
    BOUND_AT_MOST_AFTER,
    BOUND_AT_MOST_BEFORE,
    CHANGE_DOWN,
    CHANGE_UP,
    number_forms,
    value_in_quote,
)
from summarizer.models import LabelFile, LabelMetric
from summarizer.read.source import read_report

__all__ = [
    "FIGURE_KEYS",
    "MAX_QUOTE_CHARS",
    "check_label_file",
    "figure_errors",
    "main",
    "wrapped_tail",
]

ROOT = Path(__file__).resolve().parent.parent
MAX_QUOTE_CHARS = 200
ITEM_KEYS = ("achievements", "problems", "plans")
# The version-2 fields every labelled metric writes out, null included: a key left out would be
# scored as null without anyone having decided it.
FIGURE_KEYS = ("measure", "direction", "bound", "low", "high", "span", "reference_year")
# A bound is written beside its figure (左右, 以上, 突破, 控制在 …): the lexicon's words, either side.
_BOUND_WORDS = {
    "about": (BOUND_ABOUT_BEFORE, BOUND_ABOUT_AFTER),
    "at_least": (BOUND_AT_LEAST_BEFORE, BOUND_AT_LEAST_AFTER),
    "at_most": (BOUND_AT_MOST_BEFORE, BOUND_AT_MOST_AFTER),
}
_CHANGE_WORD = re.compile(f"(?P<up>{CHANGE_UP})|(?P<down>{CHANGE_DOWN})")
# How far a labelled figure may lie from the year under review: five-year targets (到2025年 in a
# 2020 report) are the farthest, in either direction.
MAX_YEARS_AWAY = 5


def _bound_written(bound: str, quote: str) -> bool:
    before, after = _BOUND_WORDS[bound]
    return re.search(f"{before}|{after}", quote) is not None


def _direction_before_value(metric: LabelMetric) -> str | None:
    """The change word last written before the figure ("下降3.2%" → down), or None."""
    starts = [metric.quote.find(form) for form in number_forms(metric.value)]
    at = min((i for i in starts if i >= 0), default=-1)
    words = list(_CHANGE_WORD.finditer(metric.quote, 0, max(at, 0)))
    return None if not words else ("up" if words[-1].group("up") else "down")


def _change_errors(metric: LabelMetric) -> list[str]:
    if metric.direction is None:
        return ["a change figure needs a direction"]
    errors = []
    # Only a contradiction counts: a rise written with a word the lexicon does not list (净增)
    # is no error of the label.
    written = _direction_before_value(metric)
    if written not in (None, metric.direction):
        errors.append(f"direction {metric.direction} but the quote writes {written} before it")
    if metric.unit.replace("％", "%") == "%":
        # Version 2: a % change carries its own signed figure (增长-7.8% stays -7.8, up).
        want = metric.value if metric.direction == "up" else -metric.value
        if metric.change_pct is None or abs(metric.change_pct - want) > 1e-9:
            errors.append(f"change_pct {metric.change_pct} should be {want:g}")
    elif metric.change_pct is not None:
        errors.append("change_pct is a % change: null for a change in 个百分点, 元, 亿元 …")
    return errors


def _range_errors(metric: LabelMetric) -> list[str]:
    if metric.bound != "range":
        return [] if metric.low is None and metric.high is None else ["low/high without a range"]
    low, high = metric.low, metric.high
    if low is None or high is None or not low < high or low != metric.value:
        return [f"a range needs value == low < high (low {low}, high {high})"]
    if not value_in_quote(high, metric.quote):
        return [f"range end {high:g} not written in the quote"]
    return []


def _year_errors(metric: LabelMetric, year: int | None) -> list[str]:
    ref = metric.reference_year
    if ref is None:
        return []
    if year is None:
        return [] if 1949 <= ref <= 2100 else [f"reference_year {ref} is not a plausible year"]
    if abs(ref - year) > MAX_YEARS_AWAY:
        return [f"reference_year {ref} is far from the year reviewed ({year})"]
    if metric.status == "actual" and ref > year:
        return [f"an actual figure for {ref}, after the year reviewed ({year})"]
    if metric.status == "target" and ref < year:
        return [f"a target for {ref}, before the year reviewed ({year})"]
    return []


def wrapped_tail(text: str, quote: str) -> str:
    """The start of the next line when `quote` ends where the report's hard wrap cuts its clause
    ("地区生产总值增长6%左" + "右，…"): labels never quote across a line break, so a bound word
    may sit there. Empty when the quote does not end at a line break."""
    at = text.find(quote)
    rest = text[at + len(quote) :] if at >= 0 else ""
    if not rest.startswith("\n"):
        return ""
    return rest.lstrip("\n \u200b\u3000")[:4]


def figure_errors(metric: LabelMetric, year: int | None, tail: str = "") -> list[str]:
    """What a labelled metric's version-2 fields get wrong, checked against each other, its quote
    (and `tail`, the `wrapped_tail` after it) and the label's year under review; empty when right,
    or when the metric has no `measure`."""
    if metric.measure is None:
        return []
    if metric.measure == "change":
        errors = _change_errors(metric)
    else:
        errors = [] if metric.direction is None else ["a level has no direction"]
    errors += _range_errors(metric)
    if metric.bound in _BOUND_WORDS and not _bound_written(metric.bound, metric.quote + tail):
        errors.append(f"bound {metric.bound} but no word of it in the quote")
    return errors + _year_errors(metric, year)


def _missing_figure_keys(label_path: Path) -> list[str]:
    raw = json.loads(label_path.read_text(encoding="utf-8"))
    errors = []
    for i, metric in enumerate(raw.get("metrics", [])):
        missing = [key for key in FIGURE_KEYS if key not in metric]
        if missing:
            errors.append(f"{label_path.name}: metrics[{i}]: no {', '.join(missing)}")
    return errors


def check_label_file(label_path: Path, reports_dir: Path) -> tuple[list[str], LabelFile | None]:
    """Every problem found in one label file, as one-line messages (empty when it is clean)."""
    errors: list[str] = []
    try:
        labels = LabelFile.model_validate_json(label_path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        return [f"{label_path.name}: invalid label file: {exc.error_count()} error(s): {exc}"], None
    if labels.report != label_path.stem:
        errors.append(f"{label_path.name}: report field {labels.report!r} != file name")
    errors += _missing_figure_keys(label_path)
    report_path = reports_dir / f"{label_path.stem}.txt"
    try:
        text = read_report(report_path).text
    except InputError as exc:
        return [*errors, f"{label_path.name}: {exc}"], labels
    quoted: list[tuple[str, int, str]] = [
        ("metrics", i, m.quote) for i, m in enumerate(labels.metrics)
    ]
    for key in ITEM_KEYS:
        quoted += [(key, i, item.quote) for i, item in enumerate(getattr(labels, key))]
    for key, i, quote in quoted:
        where = f"{label_path.name}: {key}[{i}]"
        if not quote.strip():
            errors.append(f"{where}: empty quote")
        elif quote not in text:
            errors.append(f"{where}: quote not in report: {quote[:40]!r}")
        if len(quote) > MAX_QUOTE_CHARS:
            errors.append(f"{where}: quote has {len(quote)} chars (> {MAX_QUOTE_CHARS})")
    for i, metric in enumerate(labels.metrics):
        where = f"{label_path.name}: metrics[{i}] {metric.name}"
        if not value_in_quote(metric.value, metric.quote):
            errors.append(f"{where}: value {metric.value:g} not written in its quote")
        if metric.change_pct is not None and not value_in_quote(
            abs(metric.change_pct), metric.quote
        ):
            errors.append(f"{where}: change {metric.change_pct:g} not written in its quote")
        tail = wrapped_tail(text, metric.quote)
        errors += [f"{where}: {e}" for e in figure_errors(metric, labels.meta.year, tail)]
    for key in ITEM_KEYS:
        for i, item in enumerate(getattr(labels, key)):
            if not item.text.strip():
                errors.append(f"{label_path.name}: {key}[{i}]: empty text")
    return errors, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "evals" / "labels")
    parser.add_argument("--reports", type=Path, default=ROOT / "seeds")
    args = parser.parse_args(argv)
    errors: list[str] = []
    label_files = sorted(args.labels.glob("*.json"))
    labelled = {p.stem for p in label_files}
    for report in sorted(args.reports.glob("*.txt")):
        if report.stem not in labelled:
            errors.append(f"{report.name}: no label file in {args.labels}")
    print(f"{'report':<24} {'metrics':>7} {'achiev':>6} {'probl':>5} {'plans':>5}  meta")
    for path in label_files:
        found, labels = check_label_file(path, args.reports)
        errors += found
        if labels is not None:
            meta = labels.meta
            print(
                f"{labels.report:<24} {len(labels.metrics):>7} {len(labels.achievements):>6} "
                f"{len(labels.problems):>5} {len(labels.plans):>5}  "
                f"{meta.entity} {meta.year} {meta.kind}"
            )
    for line in errors:
        print("ERROR", line, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
