"""Output names that cannot collide: a report's files never take the batch's own names, nor
another report's.

A report id is its file name without the extension (SPEC), and a report writes <id>.json,
<id>.md, <id>.html and <id>.source.html. Two ways that goes wrong:

- the batch's own files: `index.txt` would write index.html over the batch index. The stems of
  the batch's files (index, metrics, panel, summaries, tracking) are reserved as report ids,
  and so is the prefix of the tracking pages (`tracking_<entity>.html`);
- one report's files over another's: `x.source.txt` would write x.source.html, which is the
  source page of `x.txt`.

The rule: reports claim their names shortest id first (then by file name), so `x` keeps its
name before `x.source`. Then each report whose id is reserved, or whose files another report
has claimed, takes its whole file name with the extension's dot made `_` (index.txt →
index_txt, x.source.txt → x.source_txt; a name without extension adds `_report`), then `_2`,
`_3` … while that is taken too; a new name that would start with `tracking_` gets `report_`
in front. Names are compared case-folded, as a case-insensitive file
system would. Two files with one id (x.txt beside x.text) are not renamed: the batch names
the second as a failure. The renamed id is the report's id everywhere: its files, `report.id` in the JSON,
the index and the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REPORT_SUFFIXES", "RESERVED_IDS", "RESERVED_PREFIX", "Renamed", "output_ids"]

REPORT_SUFFIXES = (".json", ".md", ".html", ".source.html")
# the stems of the files a batch writes itself: index.html, metrics.csv, panel.csv,
# summaries.jsonl, summaries.sqlite and the tracking tables
RESERVED_IDS = frozenset({"index", "metrics", "panel", "summaries", "tracking"})
RESERVED_PREFIX = "tracking_"  # summarizer.track's entity pages: tracking_<entity>.html


def _reserved(rid: str) -> bool:
    folded = rid.casefold()
    return folded in RESERVED_IDS or folded.startswith(RESERVED_PREFIX)


@dataclass(frozen=True)
class Renamed:
    """A report whose id is not its file name's stem, and why."""

    path: Path
    id: str
    reason: str


def _files(rid: str) -> list[str]:
    return [(rid + suffix).casefold() for suffix in REPORT_SUFFIXES]


def _candidates(path: Path) -> list[str]:
    base = f"{path.stem}_{path.suffix[1:]}" if path.suffix else f"{path.name}_report"
    if _reserved(base):
        base = f"report_{base}"
    return [base, *(f"{base}_{n}" for n in range(2, 10_000))]


def output_ids(paths: Sequence[Path]) -> tuple[dict[Path, str], list[Renamed]]:
    """The report id of each path, and the reports renamed to keep every output name unique."""
    owner: dict[str, tuple[str, bool]] = {}  # output name -> (id that writes it, renamed?)
    ids: dict[Path, str] = {}
    renamed: list[Renamed] = []

    def clash(rid: str) -> str | None:
        """The first file of `rid` another report writes (the same id, not renamed, is a
        duplicate the batch reports, not a clash)."""
        for name in _files(rid):
            if name in owner and (owner[name][1] or owner[name][0] != rid.casefold()):
                return name
        return None

    def claim(rid: str, was_renamed: bool) -> None:
        for name in _files(rid):
            owner.setdefault(name, (rid.casefold(), was_renamed))

    # Own names first, so that a renamed report never takes the name of one that keeps its own.
    later: list[tuple[Path, str]] = []
    for path in sorted(paths, key=lambda p: (len(p.stem), p.name)):
        rid = path.stem
        if _reserved(rid):
            later.append((path, f"{rid}.* are the batch's own files"))
        elif (taken := clash(rid)) is not None:
            later.append((path, f"{taken} is written for another report"))
        else:
            claim(rid, False)
            ids[path] = rid
    for path, reason in later:
        rid = next(
            c
            for c in _candidates(path)
            if not _reserved(c) and not any(f in owner for f in _files(c))
        )
        claim(rid, True)
        ids[path] = rid
        renamed.append(Renamed(path, rid, reason))
    return {p: ids[p] for p in paths}, renamed
