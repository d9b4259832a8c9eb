"""Run the offline pipeline over folders of real reports and flag what a reader would notice.

Usage: python scripts/corpus_check.py [FOLDER ...] [--meta FILE]
(default: ../shared/corpus, ../shared/samples and seeds/)

One line per report: entity, year, kind, and the count of each category. A report is flagged for
- an empty category (no achievements, metrics, problems or plans),
- no entity,
- a year that is not the delivery year - 1, where the file name gives the delivery year
  (`national_guowuyuan_2024.txt` → 2024; `p26_hebei.txt` → 2026),
- a problem whose quote is a closing resolution ("我们要直面问题挑战、有效应对解决。").

A report with a hand label (evals/labels, evals/varied/labels, evals/real/labels) is not flagged for
what its label says is absent: seed 004 has no problems passage, seed 001 never names its 街道.

This is a measuring tool, not a test: exit status 1 when anything is flagged. The closing-resolution
test here is written independently of the extractor's own rules, so it can catch them failing.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from summarizer import summarize
from summarizer.errors import SummarizerError
from summarizer.models import LabelFile, Summary

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = (
    ROOT.parent / "shared" / "corpus",
    ROOT.parent / "shared" / "samples",
    ROOT / "seeds",
)
CATEGORIES = ("achievements", "metrics", "problems", "plans")
LABEL_DIRS = (
    ROOT / "evals" / "labels",
    ROOT / "evals" / "varied" / "labels",
    ROOT / "evals" / "real" / "labels",
)

# A year in the file name is the delivery year: 4 digits, or the samples' "p26_" prefix.
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"^p(\d\d)_")
# A resolution closes a problems passage: it says what will be done about "these problems".
_RESOLUTION = re.compile(
    r"^(?:对此|对于?这些|针对(?:这些|上述)|这些问题)"
    r"|(?:直面|正视|高度重视|重视|认真|切实|着力|努力|下大力气|采取有效措施|有效应对)"
    r"[^。；]{0,12}(?:解决|改进|加以|应对|化解|克服)"
)


@dataclass
class Row:
    report: str
    summary: Summary | None
    flags: list[str]


def delivery_year(stem: str) -> int | None:
    if m := _NAME_YEAR.search(stem):
        return int(m.group(1))
    if m := _SHORT_YEAR.match(stem):
        return 2000 + int(m.group(1))
    return None


def label_of(stem: str) -> LabelFile | None:
    for folder in LABEL_DIRS:
        path = folder / f"{stem}.json"
        if path.is_file():
            return LabelFile.model_validate_json(path.read_text(encoding="utf-8"))
    return None


def flags_of(stem: str, s: Summary) -> list[str]:
    label = label_of(stem)
    absent = {key for key in CATEGORIES if label is not None and not getattr(label, key)}
    flags = [f"no {key}" for key in CATEGORIES if not getattr(s, key) and key not in absent]
    if not s.report.entity and not (label is not None and label.meta.entity is None):
        flags.append("no entity")
    delivered = delivery_year(stem)
    if delivered is not None and s.report.year != delivered - 1:
        flags.append(f"year {s.report.year} (delivered {delivered})")
    flags += [
        f"resolution as problem: {p.evidence.quote[:30]!r}"
        for p in s.problems
        if _RESOLUTION.search(p.evidence.quote)
    ]
    return flags


def check_folder(folder: Path) -> list[Row]:
    rows = []
    for path in sorted(folder.glob("*.txt")):
        try:
            s = summarize(path)
        except SummarizerError as exc:
            rows.append(Row(path.stem, None, [f"failed: {exc}"]))
            continue
        rows.append(Row(path.stem, s, flags_of(path.stem, s)))
    return rows


def line_of(row: Row) -> str:
    if row.summary is None:
        return f"{row.report:30} FLAG {'; '.join(row.flags)}"
    r = row.summary.report
    counts = " ".join(f"{key[:4]} {len(getattr(row.summary, key)):3}" for key in CATEGORIES)
    flag = f"  FLAG {'; '.join(row.flags)}" if row.flags else ""
    return f"{row.report:30} {r.entity or '-':10} {r.year or '-':>4} {r.kind:10} {counts}{flag}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    args = parser.parse_args(argv)
    flagged = total = 0
    for folder in args.folders:
        if not folder.is_dir():
            print(f"{folder}: not a folder, skipped", file=sys.stderr)
            continue
        print(f"== {folder}")
        for row in check_folder(folder):
            total += 1
            flagged += bool(row.flags)
            print(line_of(row))
    print(f"{flagged} of {total} reports flagged")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
