"""What a figure means: one reading of every metric, whichever backend found it (SPEC version 2).

From a metric's quote and its place in the report this decides what the text decides:
- `measure`: a change when the figure follows a change word (增长5.3%, 下降3.2%, 提高0.5个百分点,
  降低税负5700亿元), else a level (4.01亿元, 研发投入强度3.6%, 回落至3.2% — a level reached);
- `direction` of a change, and `change_pct` signed: the figure itself for a % change (下降3.2% →
  −3.2), the change stated beside a level as the extractor read it;
- `bound` and `low`/`high`: 左右/约/近 about, 以上/超过/突破/多 at least, 以内/不超过 at most, a
  range 4.5%—5% (value = low);
- `span`: the period as written (全年, 上半年, 1-10月, 五年来, 年均, 十四五期间 …), a plan's
  five years for targets of a five-year plans part, else a year — or none for a stock counted at
  a point (余额, 总数, 保有量);
- `reference_year`: a year written with the figure; the last year of a five-year span; the year
  after the one reviewed for the targets of an annual report's plans (主要预期目标); else the
  year reviewed.
The backends judge name, status and period as written; nothing here reads a model's answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from summarizer.lexicon.numbers import (
    BOUND_ABOUT_AFTER,
    BOUND_ABOUT_BEFORE,
    BOUND_AT_LEAST_AFTER,
    BOUND_AT_LEAST_BEFORE,
    BOUND_AT_MOST_AFTER,
    BOUND_AT_MOST_BEFORE,
    CHANGE_DOWN,
    CHANGE_UP,
    NUMBER,
    number_forms,
    to_ascii,
)
from summarizer.lexicon.periods import (
    BASE_BEFORE,
    FROM_TO,
    HALF_YEAR_WORDS,
    MONTHS_WORDS,
    MULTI_YEAR_WORDS,
    PLAN_PERIOD,
    QUARTER_WORDS,
    STOCK_WORDS,
    YEAR_WORDS,
    plan_last_year,
)
from summarizer.models import Bound, Direction, Horizon, Kind, Measure, Metric, Span, Status

__all__ = ["FigureContext", "read_figure"]


@dataclass(frozen=True)
class FigureContext:
    """Where a figure stands: the report's year and kind, and the part it is in."""

    year: int | None  # the year reviewed
    kind: Kind
    in_plans: bool  # inside a plans part (主要预期目标, 2026年工作安排 …)
    horizon: Horizon | None  # that part's horizon
    # inside a review part whose heading names a five-year term (一、过去五年工作回顾,
    # “十三五”时期经济社会发展回顾): a flow stating no year of its own is the term's
    five_year_review: bool = False


# A change word right before the figure (增长5.3%, 下降了3.2%), or before a short object of it
# (降低企业税负5700亿元, 减少农村贫困人口1000万) — but not 增加值 (value added) nor 提高到/降至
# (a level reached).
_CHANGE_BEFORE = re.compile(
    rf"(?:({CHANGE_UP}|净增)|({CHANGE_DOWN}|净减))(?!值)[^\d，,。；;：:到至值]{{0,6}}?"
    r"(?:了|为|达到?|约|近|超过|逾)?\s*$"
    # a bare 降 right before the figure is a fall too: "平均资费再降10%" (降水, 降至 are not)
    r"|降\s*$"
)
# "\s*(?:%|％)?\s*" would split a run of blanks between its two repeats in every way (cubic
# time on a long run); the blanks after the sign are read only after the sign.
_RANGE_DASH = r"\s*(?:[%％]\s*)?[—–\-~～至到]\s*"
_YEAR_IN = re.compile(r"((?:19|20)\d\d)年")
# Parts of a year, as a period names them, most specific first.
_PART_SPANS: tuple[tuple[str, Span], ...] = (
    (HALF_YEAR_WORDS, "half_year"),
    (QUARTER_WORDS, "quarter"),
    (MONTHS_WORDS, "months"),
)


_CLAUSE_BREAK = re.compile(r"[；;。！？]")
_REACHED = re.compile(r"(?:到|至|达到?)\s*$")
# A level reached from a dated start: "从2015年的87.55亿元增长到118.32亿元" (易县 2021), "从2021年的
# 46503元…分别提高到58794元" (西藏 2026), "从2007年的639亿元增加到2012年的1923亿元" (national 2013).
# The start's year is no year of the level reached, which is the year's (or the one written
# after 到).
_BASE_YEAR = re.compile(rf"[{BASE_BEFORE}]((?:19|20)\d\d)年")
_FROM_YEAR = re.compile(r"[从由](?:19|20)\d\d年[底末]?的")
_REACHED_FROM = re.compile(
    rf"{FROM_TO}(?:(?:19|20)\d\d年[底末]?的)?"
    r"(?:[\d.]+[^\d，,；;。和、]{0,4}[和、])*\s*$"  # a list's later levels: "分别提高到58794元和"
)


@dataclass(frozen=True)
class _Place:
    """The figure inside its quote: before it, the number itself, and after its unit."""

    before: str
    after: str
    high: float | None  # the upper end when the figure is a range
    many: bool  # 多/余 between number and unit: "600多万套"

    @cached_property  # read by measure, span and year: split once
    def clause(self) -> str:
        """The clause the figure stands in: what a period or lead-in word there governs."""
        return _CLAUSE_BREAK.split(self.before)[-1]

    @cached_property  # read by span and year
    def reached_from(self) -> bool:
        """Whether the figure is a level reached from a start ("从…增长到" it)."""
        return _REACHED_FROM.search(self.before) is not None

    def written(self, m: Metric) -> str:
        """The figure's period as written, then its clause: where period words are read."""
        return f"{m.period or ''} {self.clause}"


# What may follow the number: a range's dash and high end, or 多/余 — then the unit. Patterns
# fixed here and matched at a position: a pattern per figure value would fill the regex cache
# and push out every other module's patterns (2-4x slower batches).
_RANGE_TAIL = re.compile(rf"{_RANGE_DASH}({NUMBER})\s*")
_MANY_TAIL = re.compile(r"(?![\d.])\s*(?:([多余])\s*)?")


def _starts(q: str, form: str) -> list[int]:
    """Where `form` is written in `q` as a whole number's start (not inside 13.2 or 2.5)."""
    out, i = [], q.find(form)
    while i >= 0:
        if not i or not (q[i - 1].isdigit() or q[i - 1] == "."):
            out.append(i)
        i = q.find(form, i + 1)
    return out


def _place(m: Metric) -> _Place:
    q = to_ascii(m.evidence.quote)  # same length; full-width digits read as the figure
    unit = to_ascii(m.unit)
    for form in sorted(number_forms(m.value), key=len, reverse=True):
        starts = _starts(q, form)
        for i in starts:
            ranged = _RANGE_TAIL.match(q, i + len(form))
            if ranged and q.startswith(unit, ranged.end()):
                high = float(ranged.group(1).replace(",", ""))
                if high > m.value:  # not "2020-2025"
                    return _Place(q[:i], q[ranged.end() + len(unit) :], high, False)
        for i in starts:
            tail = _MANY_TAIL.match(q, i + len(form))
            if tail and q.startswith(unit, tail.end()):
                return _Place(q[:i], q[tail.end() + len(unit) :], None, bool(tail.group(1)))
    return _Place(q, "", None, False)  # value written apart from its unit: read the whole quote


# A later figure of a list its change word governs: "分别增长3.4%、5.2%" (5.2 is a rise too;
# so is the 5元 of "补助标准分别再增加30元和5元").
_FIGURE_IN_LIST = r"[\d.]+\s*(?:%|％|个百分点|元)?(?:左右|以上|以内)?"  # 分别减少3%左右和5%左右
_CHANGE_LIST_BEFORE = re.compile(
    rf"(?:({CHANGE_UP}|净增)|({CHANGE_DOWN}|净减))(?:了|为)?\s*{_FIGURE_IN_LIST}"
    rf"(?:\s*[、和]\s*{_FIGURE_IN_LIST})*\s*[、和]\s*$"
)


def _measure(m: Metric, place: _Place) -> tuple[Measure, Direction | None]:
    change = _CHANGE_BEFORE.search(place.before[-8:]) or _CHANGE_LIST_BEFORE.search(place.clause)
    if change is None:
        return "level", None
    return "change", "up" if change.group(1) else "down"


_ABOUT_AFTER = re.compile(BOUND_ABOUT_AFTER)
_AT_LEAST_AFTER = re.compile(BOUND_AT_LEAST_AFTER)
_AT_MOST_AFTER = re.compile(BOUND_AT_MOST_AFTER)
_AT_MOST_BEFORE = re.compile(rf"(?:{BOUND_AT_MOST_BEFORE})\s*$")
_AT_LEAST_BEFORE = re.compile(rf"(?:{BOUND_AT_LEAST_BEFORE})\s*$")
_ABOUT_BEFORE = re.compile(rf"(?:{BOUND_ABOUT_BEFORE})\s*$")


def _bound(place: _Place) -> Bound | None:
    if place.high is not None:
        return "range"
    after, before = place.after[:6], place.before[-6:]
    if _ABOUT_AFTER.match(after):
        return "about"
    if _AT_LEAST_AFTER.match(after) or place.many:
        return "at_least"
    if _AT_MOST_AFTER.match(after):
        return "at_most"
    if _AT_MOST_BEFORE.search(before):
        return "at_most"
    if _AT_LEAST_BEFORE.search(before):
        return "at_least"
    if _ABOUT_BEFORE.search(before):
        return "about"
    return None


def _span(m: Metric, place: _Place, ctx: FigureContext) -> Span | None:
    written = place.written(m)
    if not ctx.in_plans and place.reached_from:
        # a level reached at the end of a span is the year's (a stock's, the point's)
        return None if _is_stock(m, place) else "year"
    if re.search(MULTI_YEAR_WORDS, written):
        return "multi_year"  # (a plan's end, “十三五”末, is a point in its last year)
    base = _BASE_YEAR.search(written)
    if base and ctx.year is not None and int(base.group(1)) < ctx.year - 1:
        return "multi_year"  # "分别比2011年增加8129元": a change over the years since the base
    for words, span in _PART_SPANS:
        if re.search(words, m.period or ""):
            return span
    if ctx.in_plans and ctx.horizon == "multi_year":
        return "multi_year"
    if re.search(YEAR_WORDS, m.period or ""):
        return "year"
    if _is_stock(m, place):
        return None
    # a level reached ("由240元提高到450元", "覆盖人口比例达90.5%") is the term's last year's, as elsewhere
    if ctx.five_year_review and not ctx.in_plans and not _REACHED.search(place.before):
        return "multi_year"
    # A flow a report states with no period covers what the report covers: its half-year in
    # a half-year summary (a target there is for the whole year: 力争全年…).
    return "half_year" if ctx.kind == "half_year" and m.status != "target" else "year"


def _is_stock(m: Metric, place: _Place) -> bool:
    return re.search(STOCK_WORDS, f"{m.name}{place.clause[-6:]}") is not None


def _reference_year(m: Metric, place: _Place, span: Span | None, ctx: FigureContext) -> int | None:
    written = place.written(m)
    if place.reached_from:
        written = _FROM_YEAR.sub("", written)
    written = _BASE_YEAR.sub("", written)  # "与2015年相比…下降34.6%": the base's year
    years = [int(y) for y in _YEAR_IN.findall(written)]
    if years:
        return years[-1]  # "到2025年…达到": the year nearest the figure
    plan = re.search(PLAN_PERIOD, written)
    if plan:  # “十三五”期间 / “十三五”末: the plan's last year
        return plan_last_year(plan.group())
    if ctx.year is None:
        return None
    if span == "multi_year":
        # 五年来 reviews up to the year reviewed; 今后五年 targets run five years past it.
        return ctx.year + 5 if m.status == "target" and ctx.in_plans else ctx.year
    if _is_plan_target(m.status, ctx):
        # the second half is of the year a half-year report reviews; after a review of a whole
        # year or term (a new term's session in July), of the year after it
        same_year = ctx.horizon == "second_half" and ctx.kind == "half_year"
        return ctx.year if same_year else ctx.year + 1
    return ctx.year


def _is_plan_target(status: Status, ctx: FigureContext) -> bool:
    """A target of the plans part, or what it expects (预计): set for the year after the one
    reviewed (or its second half). "预计全年退税减税约2.5万亿元" (national 2022) and "预计今年高校
    毕业生超过1170万人" (national 2024) are of the year planned, not of the one reviewed."""
    return status in ("target", "forecast") and ctx.in_plans


def _change_pct(m: Metric, measure: Measure, direction: Direction | None) -> float | None:
    if measure == "level":
        return m.change_pct
    if to_ascii(m.unit) != "%":
        return None  # 提高0.5个百分点, 降低税负5700亿元: a change, but not a % change
    return m.value if direction == "up" else -m.value


def read_figure(m: Metric, ctx: FigureContext) -> Metric:
    """`m` with its version-2 fields read from its quote and place (every other field kept)."""
    place = _place(m)
    measure, direction = _measure(m, place)
    bound = _bound(place)
    span = _span(m, place, ctx)
    return m.model_copy(
        update={
            "measure": measure,
            "direction": direction,
            "change_pct": _change_pct(m, measure, direction),
            "bound": bound,
            "low": m.value if bound == "range" else None,
            "high": place.high if bound == "range" else None,
            "span": span,
            "reference_year": _reference_year(m, place, span, ctx),
        }
    )
