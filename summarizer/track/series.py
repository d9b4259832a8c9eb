"""Reports grouped into series: one entity's annual reports, by the year each reviews.

An entity is named many ways (保定市清苑区, 清苑区, 清苑区人民政府): `entity_key` drops the
government's title and any province or city written before a place of its own, so they fall
into one series. A user's `--meta` table has already set entity and year where the text does
not say them (the pipeline applies it; `apply_meta` does the same for summaries read back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from summarizer.lexicon.places import place_named
from summarizer.models import Summary
from summarizer.read.meta import guess_level
from summarizer.read.meta_table import MetaTable

__all__ = ["Series", "apply_meta", "entity_key", "group_series"]

_TITLES = ("人民政府", "政府")
# The reports on a whole year: an annual one, and a five-year review (on its term's last year,
# the first report after that year ended). A half-year report is on no whole year.
_WHOLE_YEARS = ("annual", "multi_year")


def entity_key(entity: str) -> str:
    """The entity without its title and the divisions above it: 河北省保定市清苑区 → 清苑区."""
    name = "".join(entity.split())
    for title in _TITLES:
        if name.endswith(title) and len(name) > len(title) + 1:
            name = name[: -len(title)]
            break
    changed = True
    while changed:
        changed = False
        for n in range(len(name) - 2, 1, -1):  # the longest leading division first
            head, rest = name[:n], name[n:]
            place = place_named(head)
            if place is not None and place.level != "county" and len(rest) >= 2:
                name, changed = rest, True
                break
    return name


@dataclass
class Series:
    """One entity's annual reports, by the year each reviews (two reports on one year: both)."""

    entity: str
    by_year: dict[int, list[Summary]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    @property
    def consecutive(self) -> bool:
        """Two reports on consecutive years: something to link."""
        return any(y + 1 in self.by_year for y in self.by_year)


def apply_meta(s: Summary, meta: MetaTable | None) -> Summary:
    """`s` with the entity, year and kind a `--meta` row gives for its report."""
    row = meta.get(s.report.id) if meta else None
    if row is None:
        return s
    update: dict[str, object] = {}
    if row.entity:
        update |= {"entity": row.entity, "level": guess_level(row.entity)}
    if row.year:
        update["year"] = row.year
    if row.kind:
        update["kind"] = row.kind
    return s.model_copy(update={"report": s.report.model_copy(update=update)})


def group_series(summaries: Iterable[Summary]) -> list[Series]:
    """The annual reports with an entity and a year, grouped by entity; series of two or more
    reports only, in order of entity name."""
    groups: dict[str, Series] = {}
    for s in summaries:
        r = s.report
        if r.kind not in _WHOLE_YEARS or not r.entity or r.year is None:
            continue
        key = entity_key(r.entity)
        series = groups.setdefault(key, Series(key))
        series.by_year.setdefault(r.year, []).append(s)
    return [
        groups[k] for k in sorted(groups) if sum(len(v) for v in groups[k].by_year.values()) > 1
    ]
