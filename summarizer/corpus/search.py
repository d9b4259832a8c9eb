"""Full-text search across every report of a batch: `summarizer search OUT "债务"`.

The query is matched as a phrase of its characters in the full-text tables (rows.py says why),
over titles, details and quotes; each hit points at its evidence in `<id>.source.html`.
The database is opened read-only: searching never changes OUT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from summarizer.corpus.database import open_readonly
from summarizer.corpus.rows import fts_phrase
from summarizer.corpus.schema import FTS_TABLES
from summarizer.errors import ConfigError

__all__ = ["CATEGORIES", "Hit", "SearchResult", "match_spans", "search"]

# What can be searched, in the order hits are listed within a report.
CATEGORIES = ("problems", "plans", "achievements", "metrics")
_TITLE_COLUMN = {"problems": "title", "plans": "title", "achievements": "title", "metrics": "name"}


@dataclass(frozen=True)
class Hit:
    report_id: str
    entity: str | None
    year: int | None
    category: str  # problems | plans | achievements | metrics
    title: str
    detail: str
    quote: str
    start: int
    end: int
    link: str  # <OUT>/<id>.source.html#<anchor>: the quote in the source view
    matched_in: str  # quote | detail | title: the first of them that holds the query
    marks: tuple[tuple[int, int], ...]  # where the query stands in that field

    @property
    def matched_text(self) -> str:
        text: str = getattr(self, self.matched_in)
        return text

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["marks"] = [list(m) for m in self.marks]
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int  # hits before --limit
    reports: int  # reports with a hit


def match_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where `query` (its spaces left out, any case) stands in `text`, left to right."""
    needle = "".join(query.split()).casefold()
    if not needle:
        return ()
    hay = text.casefold()
    if len(hay) != len(text):  # casefold changed lengths (ß → ss): offsets would drift
        hay = text
    spans, at = [], hay.find(needle)
    while at >= 0:
        spans.append((at, at + len(needle)))
        at = hay.find(needle, at + len(needle))
    return tuple(spans)


def _query_sql(table: str, entity: str | None, year: int | None) -> str:
    where = [f"[{table}_fts] MATCH :phrase"]
    if entity:
        where.append("instr(coalesce(r.entity, ''), :entity) > 0")
    if year is not None:
        where.append("r.year = :year")
    return (
        f"SELECT r.id, r.entity, r.year, r.file_name, i.[{_TITLE_COLUMN[table]}], "
        f"{'i.detail' if table != 'metrics' else 'NULL'}, i.quote, "
        f'i.start, i."end", i.anchor FROM [{table}_fts] AS f '
        f"JOIN [{table}] AS i ON i.id = f.rowid JOIN reports AS r ON r.id = i.report_id "
        f"WHERE {' AND '.join(where)}"
    )


def search(
    outdir: Path,
    query: str,
    *,
    within: Sequence[str] = CATEGORIES,
    entity: str | None = None,
    year: int | None = None,
    limit: int | None = None,
) -> SearchResult:
    """Items of OUT's reports whose title, detail or quote holds `query`, listed by report
    (file-name order, as the batch lists them), then category, then place in the text.
    `entity` keeps reports whose entity contains it; `year`, those reviewing that year."""
    if not query.strip():
        raise ConfigError("the search query is empty")
    unknown = [c for c in within if c not in FTS_TABLES]
    if unknown:
        raise ConfigError(f"--in must be one of {', '.join(CATEGORIES)}, got {unknown[0]!r}")
    params = {"phrase": fts_phrase(query), "entity": entity, "year": year}
    found: list[tuple[tuple[str, int, int], Hit]] = []
    conn = open_readonly(outdir)
    try:
        for category in within:
            sql = _query_sql(category, entity, year)
            for rid, ent, yr, file_name, title, detail, quote, start, end, anchor in conn.execute(
                sql, params
            ):
                fields = {"quote": quote, "detail": detail or "", "title": title}
                matched_in, marks = next(
                    (
                        (name, spans)
                        for name, text in fields.items()
                        if (spans := match_spans(text, query))
                    ),
                    ("quote", ()),
                )
                hit = Hit(
                    report_id=rid,
                    entity=ent,
                    year=yr,
                    category=category,
                    title=title,
                    detail=detail or "",
                    quote=quote,
                    start=start,
                    end=end,
                    link=f"{outdir / f'{rid}.source.html'}#{anchor}",
                    matched_in=matched_in,
                    marks=marks,
                )
                found.append(((file_name, CATEGORIES.index(category), start), hit))
    finally:
        conn.close()
    found.sort(key=lambda pair: pair[0])
    hits = [hit for _, hit in found]
    return SearchResult(
        query=query,
        hits=hits[:limit] if limit else hits,
        total=len(hits),
        reports=len({h.report_id for h in hits}),
    )
