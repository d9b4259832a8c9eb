"""The figures tracking compares, read from a summary's metrics (SPEC version 2 fields).

A *target* for year Y is a figure of status target with reference_year Y, set by the report on
Y−1 for the year after it: never a five-year figure (span multi_year) nor a part of a year. An
*actual* for Y is a figure of the report on Y with reference_year Y for the whole year (span
year, or a level counted at the year's end); a 预计 (forecast) figure is kept apart, used only
when the report gives no actual. A level stated with its change ("国内生产总值达到56.9万亿元，
比上年增长7.7%") is also an actual of the change: its `change_pct`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.lexicon.indicators import Better, figure_indicator, indicator, is_outcome_name
from summarizer.lexicon.numbers import is_count_unit, to_ascii
from summarizer.lexicon.periods import FROM_TO, MULTI_YEAR_WORDS
from summarizer.models import Bound, Direction, Measure, Metric, Summary
from summarizer.render.format import KIND_PREFIX, anchor_id
from summarizer.track.verdict import Target

__all__ = ["Figure", "actuals_for", "targets_for"]

_MAGNITUDES = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))
_POINT_UNITS = ("%", "个百分点")
_WHOLE_YEAR = ("year", None)  # a stock counted at a point is the year's end
_AVERAGE = re.compile(MULTI_YEAR_WORDS)
_FROM_START = re.compile(FROM_TO)


# Counters of one thing: people are 人 or 名 ("剩余未脱贫77户168人", "对剩余77户、168名贫困人口",
# 顺平 2020; 易县 plans 减贫1186人 and reviews 1374名贫困人口稳定脱贫).
_SAME_BASE = {"名": "人"}


def _scale(unit: str) -> tuple[float, str]:
    """A unit as (magnitude, base): 万亿元 → (1e12, 元), 万人 → (1e4, 人), 万 → (1e4, '');
    万名 → (1e4, 人)."""
    u = to_ascii(unit).strip()
    factor = 1.0
    for prefix, magnitude in _MAGNITUDES:
        if u.startswith(prefix) and not u.startswith(f"{prefix}分"):
            factor, u = magnitude, u[len(prefix) :]
            break
    return factor, _SAME_BASE.get(u, u)


@dataclass(frozen=True)
class Figure:
    """One target or actual, where it is written, and how it compares."""

    report_id: str
    index: int  # its place in summary.metrics: the source view's anchor
    anchor: str
    indicator: str  # the canonical name, else the name as written
    canonical: bool
    measure: Measure
    value: float  # as written (a fall's rate unsigned: 下降3.9% → 3.9)
    unit: str
    direction: Direction | None
    bound: Bound | None
    low: float | None
    high: float | None
    status: str
    quote: str
    start: int
    end: int
    beside: bool = False  # the change stated beside a level (its change_pct), not a figure
    name: str = ""  # the name as written (with its scope: 省市重点项目投资)

    @property
    def sign(self) -> int:
        return -1 if self.measure == "change" and self.direction == "down" else 1

    @property
    def signed(self) -> float:
        return self.sign * self.value

    @property
    def better(self) -> Better:
        ind = indicator(self.indicator) if self.canonical else None
        return ind.better if ind else "higher"

    @property
    def outcome(self) -> bool:
        """An outcome to reach (not a sum allotted, nor a headcount the year brings)."""
        ind = indicator(self.indicator) if self.canonical else None
        return ind.outcome if ind else True

    @property
    def tracked_always(self) -> bool:
        """Whether a target is followed even when the next report is silent (not_reported): an
        outcome of the table that is no task count, or a name the table lacks whose last word is
        a measure of a result (水产品总产量, 护理补贴标准) — see `is_outcome_name`."""
        if self.canonical:
            return self.outcome and not self.task
        return is_outcome_name(self.indicator)

    @property
    def task(self) -> bool:
        """A task count (农村公路 km, 易地扶贫搬迁): a next report states it only at will."""
        ind = indicator(self.indicator) if self.canonical else None
        return ind.task if ind else False

    @property
    def part_of(self) -> str | None:
        """The indicator this one is a part of (减税 of 减税降费), if any."""
        ind = indicator(self.indicator) if self.canonical else None
        return ind.part_of if ind else None

    def comparable(self, other: Figure) -> bool:
        """Whether the two are in units one can be put in the other's: the same base unit (万人
        and 人, 亿元 and 万亿元), or two counters of the indicator; a bare magnitude (减少1240万)
        is any count's."""
        (_, mine), (_, theirs) = _scale(self.unit), _scale(other.unit)
        if mine in _POINT_UNITS or theirs in _POINT_UNITS:
            return mine == theirs
        if mine == theirs or not mine or not theirs:
            return True
        # two counters the indicator takes (重点项目 个 and 项, firms 家 and 户) count one thing
        ind = indicator(self.indicator) if self.canonical else None
        return bool(
            ind
            and is_count_unit(mine)
            and is_count_unit(theirs)
            and ind.takes(mine, self.measure)
            and ind.takes(theirs, self.measure)
        )

    def in_unit_of(self, other: Figure) -> float:
        """This figure's signed value in `other`'s unit (both `comparable`)."""
        return self.signed * _scale(self.unit)[0] / _scale(other.unit)[0]

    def as_target(self) -> Target:
        return Target(
            value=self.signed,
            bound=self.bound,
            low=None if self.low is None else self.sign * self.low,
            high=None if self.high is None else self.sign * self.high,
            falls=self.sign < 0,
            in_points=_scale(self.unit)[1] in _POINT_UNITS,
        )


def _measure(m: Metric) -> tuple[Measure, Direction | None]:
    """The figure's measure; a rate of an indicator that has no level (居民消费价格, 能耗强度)
    written as a level reached ("涨幅回落到2.6%") is its rise."""
    ind = indicator(m.canonical_name) if m.canonical_name else None
    if m.measure == "level" and ind is not None and not ind.level and ind.takes(m.unit, "change"):
        return "change", "up"
    # …and a sum cut in money ("降低企业税负5700多亿元": 减税降费) is the sum itself, as is a
    # change of what has no change: an area worked whose name holds a change word ("林分优化
    # 提升200万亩", "森林抚育提升200万亩") is the area
    if (
        m.measure == "change"
        and ind is not None
        and (ind.cut or not ind.change)
        and ind.takes(m.unit, "level")
    ):
        return "level", None
    return m.measure, m.direction


def _figure(s: Summary, i: int, m: Metric) -> Figure:
    measure, direction = _measure(m)
    return Figure(
        report_id=s.report.id,
        index=i,
        anchor=anchor_id(KIND_PREFIX["metric"], i, m.id),
        indicator=m.canonical_name or m.name,
        canonical=m.canonical_name is not None,
        measure=measure,
        value=m.value,
        unit=m.unit,
        direction=direction,
        bound=m.bound,
        low=m.low,
        high=m.high,
        status=m.status,
        quote=m.evidence.quote,
        start=m.evidence.start,
        end=m.evidence.end,
        name=m.name,
    )


def _change_beside(base: Figure, m: Metric) -> Figure | None:
    """A level's stated % change as a change figure: 达到56.9万亿元，比上年增长7.7% → 7.7%."""
    if m.measure != "level" or m.change_pct is None:
        return None
    if _AVERAGE.search(m.evidence.quote):  # "增长到6.89亿元，年均增长7.56%": five years' rate
        return None
    # "由3.2亿元增长到5.5亿元，累计增长71%": a change since the start
    if _FROM_START.search(m.evidence.quote):
        return None
    return Figure(
        **{
            **base.__dict__,
            "measure": "change",
            "value": abs(m.change_pct),
            "unit": "%",
            "direction": "down" if m.change_pct < 0 else "up",
            "bound": None,
            "low": None,
            "high": None,
            "beside": True,
        }
    )


def _urban_and_rural(f: Figure, m: Metric) -> list[Figure]:
    """ "城乡居民人均可支配收入增长9%" is one figure of two indicators, 城镇… and 农村… (when both
    are in the table); any other figure is itself."""
    if f.canonical or "城乡" not in m.name:
        return [f]
    names = [figure_indicator(m.name.replace("城乡", side, 1), m.unit) for side in ("城镇", "农村")]
    if None in names:
        return [f]
    return [Figure(**{**f.__dict__, "indicator": n, "canonical": True}) for n in names]


def _figures(s: Summary, i: int, m: Metric) -> list[Figure]:
    return _urban_and_rural(_figure(s, i, m), m)


def _tracked(m: Metric, status: str, year: int) -> bool:
    """A figure of `status` for the whole of `year`."""
    return m.status == status and m.reference_year == year and m.span in _WHOLE_YEAR


def targets_for(s: Summary, year: int) -> list[Figure]:
    """The report's targets for `year` (a single year's, never a five-year plan's), and what its
    plans part expects of that year (预计): the year's plan figure."""
    return [
        f
        for i, m in enumerate(s.metrics)
        if _tracked(m, "target", year) or _tracked(m, "forecast", year)
        for f in _figures(s, i, m)
    ]


def actuals_for(s: Summary, year: int, status: str = "actual") -> list[Figure]:
    """The report's whole-year figures of `year` with `status` (actual, or forecast), each
    level with a stated change also as that change."""
    out: list[Figure] = []
    for i, m in enumerate(s.metrics):
        if not _tracked(m, status, year):
            continue
        for f in _figures(s, i, m):
            out.append(f)
            beside = _change_beside(f, m)
            if beside is not None:
                out.append(beside)
    return out
