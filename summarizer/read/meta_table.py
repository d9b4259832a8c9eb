"""Metadata the user supplies for what a report's text does not say (`--meta FILE`).

A CSV with a header row: `file` (or `id`) names the report — its file name, with or without the
extension — and `entity`, `year` and `kind` give what to use instead of what the text yields.
An empty cell overrides nothing. Collectors' exports often name the entity and year only in the
file or a spreadsheet column; this is where that knowledge enters.

    file,entity,year
    county_yixian_2019.txt,易县,2018
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from summarizer.errors import ConfigError
from summarizer.models import Kind

__all__ = ["MetaOverride", "MetaTable", "load_meta_table"]

_KINDS: dict[str, Kind] = {k: k for k in get_args(Kind)}
_YEARS = range(1949, 2101)


@dataclass(frozen=True)
class MetaOverride:
    entity: str | None = None
    year: int | None = None
    kind: Kind | None = None


@dataclass(frozen=True)
class MetaTable:
    """Overrides by report id (the file name without its extension)."""

    source: str
    rows: Mapping[str, MetaOverride]

    def __hash__(self) -> int:  # Settings is hashable; the table is fixed once loaded
        return hash(self.source)

    def get(self, report_id: str) -> MetaOverride | None:
        return self.rows.get(report_id)


def load_meta_table(path: str | Path) -> MetaTable:
    """Read a `--meta` CSV; any problem is one ConfigError naming the file and the row."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in reader.fieldnames or []]
            key = "file" if "file" in header else "id" if "id" in header else None
            if key is None or not {"entity", "year", "kind"} & set(header):
                raise ConfigError(
                    f"{p}: --meta needs a header with file (or id) and entity, year or kind"
                )
            rows: dict[str, MetaOverride] = {}
            for n, raw in enumerate(reader, start=2):
                row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
                report_id = Path(row[key]).stem if row[key] else ""
                if not report_id:
                    raise ConfigError(f"{p}: row {n}: no {key}")
                if report_id in rows:
                    raise ConfigError(f"{p}: row {n}: {row[key]!r} is listed twice")
                rows[report_id] = _override(p, n, row)
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read --meta file: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{p}: not a UTF-8 CSV file: {exc}") from None
    return MetaTable(str(p), rows)


def _override(p: Path, n: int, row: dict[str, str]) -> MetaOverride:
    year_text, kind = row.get("year", ""), row.get("kind", "")
    year = None
    if year_text:
        if not year_text.isdigit() or int(year_text) not in _YEARS:
            raise ConfigError(f"{p}: row {n}: year {year_text!r} is not a year")
        year = int(year_text)
    if kind and kind not in _KINDS:
        raise ConfigError(f"{p}: row {n}: kind {kind!r}: choose one of {', '.join(_KINDS)}")
    return MetaOverride(row.get("entity") or None, year, _KINDS.get(kind))
