"""What a batch's index.html finds and filters reports by: a compact search record per report,
the row keys its entity, level and year filters compare, and the options of those filters.

The page searches and filters in the browser, offline (templates/index.html.j2); this module
decides what text each report is found by. A record holds what a reader looks for, at a size a
page can carry for a thousand reports: the entity, the file name, every metric's name, and each
problem, plan and achievement by its title and detail. A problem is also found by its quote (one
short sentence whose detail is often empty: without it 债务 or 养老 is missed in a third of the
reports that name it); the quotes of plans and achievements are left out, as they would add half
again to the page (figures: benchmarks/bench_index.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.models import Summary
from summarizer.render.format import KIND_PREFIX, LEVEL_LABELS, anchor_id
from summarizer.render.source_view import KIND_LABELS_ZH

__all__ = [
    "UNKNOWN",
    "FilterOptions",
    "Option",
    "RowKeys",
    "filter_options",
    "row_keys",
    "search_index",
    "search_record",
]

UNKNOWN = "?"  # a filter key for a report whose entity, level or year is not known

# The kinds a record lists, in the order a search shows their hits: what a reader searches for
# first (which reports name 债务 among their problems) before what they report done.
_ITEM_KINDS = (("problem", "problems"), ("plan", "plans"), ("achievement", "achievements"))


@dataclass(frozen=True)
class RowKeys:
    """The values a report's row is filtered by (data attributes of its <tr>)."""

    entity: str
    level: str
    year: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int  # reports with this value


@dataclass(frozen=True)
class FilterOptions:
    entities: list[Option]
    levels: list[Option]
    years: list[Option]


def row_keys(s: Summary) -> RowKeys:
    r = s.report
    return RowKeys(
        entity=r.entity or UNKNOWN,
        level=r.level or UNKNOWN,
        year=str(r.year) if r.year is not None else UNKNOWN,
    )


def filter_options(summaries: Sequence[Summary]) -> FilterOptions:
    """Every value present, with its number of reports: entities by level (national first)
    then name, levels from national down, years newest first; an unknown value last."""
    keys = [row_keys(s) for s in summaries]
    level_rank = {level: i for i, level in enumerate(LEVEL_LABELS)}
    entity_level = {k.entity: k.level for k in keys}

    def options(values: Counter[str], order: list[str], label: dict[str, str]) -> list[Option]:
        known = [Option(v, label.get(v, v), values[v]) for v in order if v != UNKNOWN]
        if UNKNOWN in values:
            known.append(Option(UNKNOWN, "未知", values[UNKNOWN]))
        return known

    entities = Counter(k.entity for k in keys)
    levels = Counter(k.level for k in keys)
    years = Counter(k.year for k in keys)
    return FilterOptions(
        entities=options(
            entities,
            sorted(entities, key=lambda e: (level_rank.get(entity_level[e], 99), e)),
            {},
        ),
        levels=options(levels, sorted(levels, key=lambda v: level_rank.get(v, 99)), LEVEL_LABELS),
        years=options(years, sorted(years, reverse=True), {}),
    )


def _distinct_text(*parts: str) -> str:
    """The parts worth searching, once each: a part written inside another is left out (a
    title repeated in its quote), compared without white space (a quote keeps the report's
    line breaks, a title has them as spaces), so the record says each thing once."""
    bare = ["".join(p.split()) for p in parts]

    def said_elsewhere(i: int) -> bool:  # inside another part, or the same as an earlier one
        return any(bare[i] in b and (bare[i] != b or j < i) for j, b in enumerate(bare) if j != i)

    return "：".join(p.strip() for i, p in enumerate(parts) if bare[i] and not said_elsewhere(i))


def search_record(s: Summary) -> dict[str, Any]:
    """One report's entry of the page's search index: `e` entity, `f` file name, `i` items as
    [kind prefix, anchor in <id>.source.html, text]. Keys are one letter: the page may carry
    a thousand of these."""
    items: list[list[str]] = []
    for kind, attr in _ITEM_KINDS:
        for i, item in enumerate(getattr(s, attr)):
            quote = item.evidence.quote if kind == "problem" else ""
            text = _distinct_text(item.title, item.detail, quote)
            items.append([KIND_PREFIX[kind], anchor_id(KIND_PREFIX[kind], i, item.id), text])
    seen: set[str] = set()
    for i, m in enumerate(s.metrics):  # a name once, at its first figure
        name = m.name if m.canonical_name in (None, m.name) else f"{m.name}（{m.canonical_name}）"
        if name not in seen:
            seen.add(name)
            items.append([KIND_PREFIX["metric"], anchor_id(KIND_PREFIX["metric"], i, m.id), name])
    return {"e": s.report.entity or "", "f": Path(s.report.source).name, "i": items}


def search_index(summaries: Sequence[Summary]) -> dict[str, Any]:
    """The page's search index: a record per report, in row order, and the kinds' labels."""
    return {
        "kinds": {KIND_PREFIX[k]: label for k, label in KIND_LABELS_ZH.items()},
        "reports": [search_record(s) for s in summaries],
    }
