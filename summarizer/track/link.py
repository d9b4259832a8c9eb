"""Linking each target for year Y to the actual for Y in the entity's report on Y.

Nothing is linked on a guess. A target and an actual are linked only when they are of the same
indicator (canonical name; a name the indicator table lacks must be written the same) and the
same measure (a growth rate to a growth rate, a level to a level), in units one converts to the
other. Then:

- one indicator planned at two scopes, all projects and those the province and city list
  (省市重点项目): the listed one is the target, the one next reports count;
- no report on Y in the folder (the series' last year, a gap), two reports on one year, two
  different targets of one indicator in one report, an actual only in another unit, or two
  different actual figures → `unclear`, with the reason in `note`;
- no actual of a part (减税 of 减税降费) but one of its whole, or of a whole (退税减税) but ones of
  its parts → `unclear`: a figure of another scope says nothing of the target's;
- no actual: `not_reported` for an indicator of the table. A target under a name the table
  lacks, or of a figure the table says is no outcome (a sum allotted: 赤字, 专项债券; a
  headcount: 高校毕业生) or a task count (农村公路 km), is tracked only when its outcome is
  found — its absence under one wording proves nothing;
- else `met` or `missed` by the rules of `verdict`. A 预计 figure stands in for an actual only
  when there is none, and the note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.lexicon.indicators import parts_of
from summarizer.models import Measure, Summary
from summarizer.render.format import format_number
from summarizer.render.versions import as_version_2
from summarizer.track.figures import Figure, actuals_for, targets_for
from summarizer.track.series import Series, group_series
from summarizer.track.verdict import DEFAULT_TOLERANCE_PP, Verdict, judge

__all__ = ["Link", "TrackResult", "link_series", "track_summaries"]


@dataclass(frozen=True)
class Link:
    """A target for `year` and what the next report says of it."""

    entity: str
    indicator: str
    measure: Measure
    year: int  # the target year Y
    target: Figure
    actual: Figure | None
    verdict: Verdict
    note: str = ""


@dataclass
class TrackResult:
    series: list[Series]
    links: list[Link]
    tolerance_pp: float = DEFAULT_TOLERANCE_PP

    def of(self, entity: str) -> list[Link]:
        return [link for link in self.links if link.entity == entity]

    def scorecard(self, entity: str, year: int) -> dict[Verdict, int]:
        """How the targets of `entity` for `year` came out, by verdict."""
        counts: dict[Verdict, int] = {"met": 0, "missed": 0, "not_reported": 0, "unclear": 0}
        for link in self.links:
            if link.entity == entity and link.year == year:
                counts[link.verdict] += 1
        return counts


def _written(f: Figure) -> str:
    """A figure as a note shows it: −3.9% for 下降3.9%."""
    return f"{format_number(f.signed)}{f.unit}"


def _distinct(figures: Iterable[Figure], unit_of: Figure) -> list[Figure]:
    """One figure per distinct value (in `unit_of`'s unit), a figure's own before a change
    read beside a level."""
    out: dict[float, Figure] = {}
    for f in sorted(figures, key=lambda f: (f.beside, f.start)):
        out.setdefault(round(f.in_unit_of(unit_of), 9), f)
    return list(out.values())


# Projects "listed" by the province and the city (省市重点项目): the list a county's next report
# counts, where its plan also names all its own (易县 2020 县级重点项目44项，其中申报省市重点23项;
# 顺平 2024 124个重点项目…40亿元, 27个省市重点项目…14亿元).
_LISTED = re.compile(r"省、?市")


def _listed_scope(group: list[Figure]) -> list[Figure]:
    """Of one indicator's targets at two scopes, those of the 省市 list; else all."""
    listed = [f for f in group if _LISTED.search(f.name)]
    return listed if listed and len(listed) < len(group) else group


def _same_target(a: Figure, b: Figure) -> bool:
    return (a.signed, a.bound, a.low, a.high) == (b.signed, b.bound, b.low, b.high) and (
        a.comparable(b) and abs(a.in_unit_of(b) - b.signed) < 1e-9
    )


@dataclass
class _Year:
    """Linking the targets one report sets for `year` to the report on `year`."""

    entity: str
    year: int
    source: list[Summary]  # the report(s) on year − 1
    next_reports: list[Summary]  # the report(s) on year
    tolerance_pp: float
    links: list[Link] = field(default_factory=list)
    # the next reports' figures of the year by status, read once, not once per target
    _read: dict[str, list[Figure]] = field(default_factory=dict, init=False, repr=False)

    def run(self) -> list[Link]:
        groups: dict[tuple[str, str], list[Figure]] = {}
        for s in self.source:
            for t in targets_for(s, self.year):
                groups.setdefault((t.indicator, t.measure), []).append(t)
        for group in groups.values():
            self._link(group)
        return self.links

    def _add(self, t: Figure, actual: Figure | None, verdict: Verdict, note: str = "") -> None:
        self.links.append(
            Link(self.entity, t.indicator, t.measure, self.year, t, actual, verdict, note)
        )

    def _candidates(
        self, t: Figure, status: str, of: str | None = None
    ) -> tuple[list[Figure], list[Figure]]:
        """The next report's figures of t's indicator (or of the indicator `of`) and measure: in
        a comparable unit, and not."""
        if status not in self._read:
            self._read[status] = [
                a for s in self.next_reports for a in actuals_for(s, self.year, status)
            ]
        same = [
            a
            for a in self._read[status]
            if (a.indicator, a.measure) == (of or t.indicator, t.measure)
        ]
        return [a for a in same if a.comparable(t)], [a for a in same if not a.comparable(t)]

    def _other_scope(self, t: Figure) -> bool:
        """No actual of t's indicator, but one of its whole (减税 of 减税降费) or of its parts
        (退税减税's 留抵退税 and 减税降费): another scope, which says nothing of t's → unclear."""
        if t.part_of:
            whole, _ = self._candidates(t, "actual", t.part_of)
            if whole:
                values = "、".join(_written(a) for a in _distinct(whole, t))
                note = f"the report gives only {t.part_of} ({values}), which covers more"
                self._add(t, whole[0], "unclear", note)
                return True
        parts = sorted(
            (a for part in parts_of(t.indicator) for a in self._candidates(t, "actual", part)[0]),
            key=lambda a: a.start,
        )
        if parts:
            values = "、".join(f"{a.indicator} {_written(a)}" for a in parts)
            self._add(t, parts[0], "unclear", f"the report gives only its parts: {values}")
            return True
        return False

    def _link(self, group: list[Figure]) -> None:
        group = _listed_scope(group)
        t = group[0]
        tracked_always = t.tracked_always
        if len(self.source) > 1:
            self._add(t, None, "unclear", f"{len(self.source)} reports on {self.year - 1}")
            return
        if not self.next_reports:
            if tracked_always:
                self._add(t, None, "unclear", f"no report on {self.year} in the folder")
            return
        if any(not _same_target(t, other) for other in group[1:]):
            values = "、".join(sorted({_written(f) for f in group}))
            self._add(t, None, "unclear", f"the report sets different targets: {values}")
            return
        if len(self.next_reports) > 1:
            self._add(t, None, "unclear", f"{len(self.next_reports)} reports on {self.year}")
            return
        actuals, other_units = self._candidates(t, "actual")
        note = ""
        if not actuals and not other_units:
            actuals, other_units = self._candidates(t, "forecast")
            note = "预计 figure: the report gives no actual" if actuals else ""
        if not actuals and not other_units and self._other_scope(t):
            return
        if not actuals:
            if other_units:
                units = "、".join(sorted({a.unit for a in other_units}))
                self._add(t, other_units[0], "unclear", f"the actual is in other units ({units})")
            elif tracked_always:
                self._add(t, None, "not_reported")
            return
        distinct = _distinct(actuals, t)
        if len(distinct) > 1:
            values = "、".join(_written(a) for a in distinct)
            self._add(t, distinct[0], "unclear", f"the report gives different figures: {values}")
            return
        actual = distinct[0]
        verdict = judge(t.as_target(), actual.in_unit_of(t), t.better, self.tolerance_pp)
        self._add(t, actual, verdict, note)


def link_series(series: Series, tolerance_pp: float = DEFAULT_TOLERANCE_PP) -> list[Link]:
    """Every target of the series linked to its year's report (or judged unclear without one)."""
    links: list[Link] = []
    for y in series.years:
        links += _Year(
            series.entity, y + 1, series.by_year[y], series.by_year.get(y + 1, []), tolerance_pp
        ).run()
    return links


def track_summaries(
    summaries: Sequence[Summary], tolerance_pp: float = DEFAULT_TOLERANCE_PP
) -> TrackResult:
    """Group `summaries` into series and link every target in them."""
    if tolerance_pp < 0:
        raise ValueError(f"tolerance must be 0 or more percentage points, got {tolerance_pp}")
    series = group_series(as_version_2(s) for s in summaries)
    links = [link for s in series for link in link_series(s, tolerance_pp)]
    return TrackResult(series, links, tolerance_pp)
