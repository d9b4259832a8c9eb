"""Check hand-label files against their reports and print a per-report count table.

Usage: python scripts/check_labels.py [--labels evals/labels] [--reports seeds]

Checks what tests/test_labels.py checks (pydantic shape, quotes verbatim and short, metric value
and change written inside the quote, one label file per report) and prints every failure, so a
labeller can fix a new file in one pass. Exit status 1 when anything fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.lexicon.numbers import value_in_quote
from summarizer.models import LabelFile
from summarizer.read.source import read_report

__all__ = ["MAX_QUOTE_CHARS", "check_label_file", "main"]

ROOT = Path(__file__).resolve().parent.parent
MAX_QUOTE_CHARS = 200
ITEM_KEYS = ("achievements", "problems", "plans")


def check_label_file(label_path: Path, reports_dir: Path) -> tuple[list[str], LabelFile | None]:
    """Every problem found in one label file, as one-line messages (empty when it is clean)."""
    errors: list[str] = []
    try:
        labels = LabelFile.model_validate_json(label_path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        return [f"{label_path.name}: invalid label file: {exc.error_count()} error(s): {exc}"], None
    if labels.report != label_path.stem:
        errors.append(f"{label_path.name}: report field {labels.report!r} != file name")
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
