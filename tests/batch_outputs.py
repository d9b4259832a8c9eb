"""Helpers for batch outputs made two ways (in workers, in shards) and compared."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from .conftest import ROOT, SAMPLE_REPORTS, SEEDS

# What differs between two runs of the same reports: the clock.
_TIMINGS = re.compile(
    r'("seconds": ?)[0-9.e-]+|("created": ?)"[^"]*"|(生成于 )\d{4}-\d\d-\d\d \d\d:\d\d'
)


_CREATED = re.compile(r"'\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d)?'")


def without_timings(data: bytes) -> str:
    return _TIMINGS.sub(lambda m: next(g for g in m.groups() if g is not None), data.decode())


def comparable_text(path: Path) -> str:
    """A file's text; a database's as its SQL dump (its pages' layout may differ)."""
    if path.suffix == ".sqlite":
        with closing(sqlite3.connect(path)) as db:
            # a row's `created` time is the clock too; batch_state records which steps a batch
            # ran (a merge runs none against a database), not data
            lines = db.iterdump()
            dump = "\n".join(x for x in lines if not x.startswith('INSERT INTO "batch_state"'))
            return without_timings(_CREATED.sub("'T'", dump).encode())
    return without_timings(path.read_bytes())


def assert_same_outputs(a: Path, b: Path) -> None:
    """Every file of `a` is in `b` with the same bytes but for timings, and none is extra."""
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert comparable_text(a / name) == comparable_text(b / name), name


# Three years of one county: the batch files then include the tracking files, and the briefings
# of the later years their scorecard lines.
TRACKED = [
    ROOT / "evals" / "tracking" / "reports" / f"county_yixian_{y}.txt" for y in (2018, 2019, 2020)
]


def reports_folder(d: Path) -> Path:
    """`d` made with the seeds, the province samples, three years of one county and a file
    that is no report."""
    d.mkdir()
    for p in [*SEEDS.glob("*.txt"), *SAMPLE_REPORTS, *TRACKED]:
        shutil.copy(p, d / p.name)
    (d / "000_broken.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02 binary junk")
    return d
