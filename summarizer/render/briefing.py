"""What goes on the one-page briefing: a deliberate selection, sized to fit one A4 page.

The HTML, Markdown and terminal briefings all show the same `Briefing`, built here from the
Summary alone (whichever backend made it). Selection rules:

- metrics: the year's figures (SPEC span year or a part of it, or a stock), headline
  indicators first (GDP, fiscal revenue, industry, investment, retail …); each indicator leads
  with the report year's own actual figure, its forecast and its target (with the year it is
  set for: 2026年目标) right under it. Five-year figures (span multi_year: 年均增长, 五年来,
  “十五五”目标) stand apart below, labelled with their span, and never take a year figure's
  place;
- achievements: one per area (category) before a second from the same area; quantified first;
- problems: every one (titles shortened and set in two columns when there are many);
- plans: top-level plans first (quotes opening 一、/一是), in document order.

The page is budgeted in millimetres with the same constants the HTML template's CSS uses, so
the estimate is the layout (every briefing line is a fixed-height, no-wrap line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from summarizer.lexicon.numbers import is_count_unit
from summarizer.lexicon.periods import FROM_TO, PLAN_PERIOD
from summarizer.models import CATEGORIES, Achievement, Metric, Plan, Problem, Summary
from summarizer.render.format import (
    CATEGORY_LABELS,
    CORE_HEADLINES,
    COUNTED_HEADLINES,
    HEADLINES,
    HORIZON_LABELS,
    KIND_LABELS,
    KIND_PREFIX,
    anchor_id,
    clip,
    headline_rank,
    level_change,
    metric_value,
    span_label,
    status_label,
    text_width,
)
from summarizer.render.versions import as_version_2

__all__ = ["FIVE_YEAR_NOTE", "LAYOUT", "Briefing", "ItemLine", "MetricRow", "build_briefing"]

# Page geometry in mm, shared with templates/briefing.html.j2 (passed in as `L`).
LAYOUT: dict[str, float] = {
    "page_w": 210.0,
    "page_h": 297.0,
    "margin_x": 12.0,
    "margin_y": 10.0,
    "font_pt": 9.5,
    "line": 5.0,  # one list line (line-height)
    "row": 5.0,  # one metrics-table row
    "h1": 9.0,
    "meta": 4.5,
    "head_gap": 3.0,  # header bottom border + gap
    "h2": 8.0,  # section heading incl. its top margin
    "footer": 7.0,
    "safety": 10.0,  # never plan the last centimetre
}
_EM_MM = LAYOUT["font_pt"] * 0.3528
_CONTENT_W = LAYOUT["page_w"] - 2 * LAYOUT["margin_x"]
LINE_EM = _CONTENT_W / _EM_MM - 3.0  # list bullet and padding
OVERVIEW_EM = _CONTENT_W / _EM_MM - 1.5  # the overview paragraph, slightly bold
NAME_EM = 0.40 * _CONTENT_W / (8.8 * 0.3528) - 2.0  # metrics table's name column (8.8pt)
_BUDGET = LAYOUT["page_h"] - 2 * LAYOUT["margin_y"] - LAYOUT["safety"]

_TOP_LEVEL = re.compile(r"^\s*[一二三四五六七八九十]+[、是]")
_NUM = re.compile(r"\d")
# Heading numbers and punctuation left at the head of a detail once its title is taken out.
_LEAD_MARKS = re.compile(r"^[\s一二三四五六七八九十\d（）()、.．，。；：,;:是]+")


@dataclass(frozen=True)
class MetricRow:
    anchor: str
    name: str
    value: str  # number and unit: 4.01亿元
    change: str  # −14.4% or ''
    direction: int  # -1, 0, 1
    period: str
    status: str
    status_label: str  # 实际, 预计, 2026年目标
    secondary: bool  # a forecast/target under the same indicator's actual figure
    metric: Metric


@dataclass(frozen=True)
class ItemLine:
    anchor: str
    kind: str  # achievement | problem | plan
    title: str  # as extracted
    detail: str
    tag: str  # category or horizon label, may be ''
    line_title: str  # the title, clipped to the line (HTML/terminal)
    line_detail: str  # what of the detail still fits on that line, may be ''

    @property
    def text(self) -> str:
        return f"{self.line_title}　{self.line_detail}" if self.line_detail else self.line_title


@dataclass
class Briefing:
    report_id: str
    heading: str
    entity: str
    period: str
    kind_label: str
    source_name: str
    backend_label: str
    created: str
    overview: str
    metrics: list[MetricRow] = field(default_factory=list)  # the year's figures
    five_years: list[MetricRow] = field(default_factory=list)  # apart: 年均, 五年来, 规划目标
    achievements: list[ItemLine] = field(default_factory=list)
    problems: list[ItemLine] = field(default_factory=list)
    plans: list[ItemLine] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    problem_columns: int = 1
    height_mm: float = 0.0
    # How last year's targets came out (summarizer track), when the folder held that report too
    scorecard: str = ""
    scorecard_href: str = ""

    @property
    def metrics_shown(self) -> int:
        return len(self.metrics) + len(self.five_years)

    def hidden(self, key: str) -> int:
        """How many items of `key` the page leaves out (the JSON and source view hold all)."""
        shown = self.metrics_shown if key == "metrics" else len(getattr(self, key))
        return self.totals.get(key, 0) - shown


# --- metrics ---------------------------------------------------------------------------------

# Said over the five-year figures in every form of the briefing.
FIVE_YEAR_NOTE = "年均、累计或规划期数，不与单年数比较"

_Member = tuple[int, Metric]  # a metric and its index in summary.metrics
_Groups = list[tuple[tuple[int, int, int], list[_Member]]]
_PART_SPANS = ("half_year", "quarter", "months")
# A level told as the end of a development ("从2020年的3.68万亿元增长到2025年的4.93万亿元", how a
# five-year review opens) is the year's, but the year's own statement of it leads.
_FROM_START = re.compile(FROM_TO)


def _member_order(members: list[_Member], year: int | None, whole_year: bool) -> list[_Member]:
    """One indicator's figures in display order: the year's own actual figure (the report's
    year; for an annual report the whole year before a part of it, a stock as good as the
    year; then document order), then its forecast, then its targets by the year they are set
    for, then every other actual figure (another year, a sub-period)."""

    def own_rank(m: Metric) -> int:
        part = whole_year and m.span in _PART_SPANS
        return 1 if part or _FROM_START.search(m.evidence.quote) else 0

    own = [
        im
        for im in members
        if im[1].status == "actual" and (year is None or im[1].reference_year in (None, year))
    ]
    lead = min(own, key=lambda im: (own_rank(im[1]), im[0])) if own else None
    order = {"forecast": 1, "target": 2}

    def key(im: _Member) -> tuple[int, int, int]:
        rank = 0 if im is lead else order.get(im[1].status, 3)
        return rank, im[1].reference_year or 0, im[0]

    return sorted(members, key=key)


def _metric_groups(members: list[_Member], year: int | None, whole_year: bool) -> _Groups:
    """The figures grouped by indicator (canonical name, else name as written), groups in
    display order: headline indicators first, then those with a change; each group's members
    in `_member_order`."""
    groups: dict[str, list[_Member]] = {}
    for i, m in members:
        groups.setdefault(m.canonical_name or m.name, []).append((i, m))
    ordered: _Groups = []
    for key, group in groups.items():
        members_ = _member_order(group, year, whole_year)
        rank = min(headline_rank(key), headline_rank(members_[0][1].name))
        # A count under an amount indicator's words is not that indicator: "规模以上工业企业
        # 7.6万家", "新设外资企业3.6万家" are firms.
        counted = all(is_count_unit(m.unit) for _, m in members_)
        if counted and rank < len(HEADLINES) and rank not in COUNTED_HEADLINES:
            rank = len(HEADLINES)
        has_change = any(m.change_pct is not None for _, m in members_)
        ordered.append(((rank, 0 if has_change else 1, members_[0][0]), members_))
    ordered.sort(key=lambda g: g[0])
    return ordered


def _choose(ordered: _Groups, limit: int) -> set[int]:
    """Up to `limit` figures: headline indicators first, each with its forecast/target, and
    then the rest of the indicators with a change before bare counts."""
    core, headline = CORE_HEADLINES, len(HEADLINES)
    # Fill in passes: the core indicators (GDP … income) with their forecast or target, then
    # the other headline indicators, then indicators with a change, then anything else.
    chosen: set[int] = set()
    passes = [
        # GDP's figure and its target before anything else: the one pair every reader looks for.
        [im for k, ms in ordered if k[0] == 0 for im in ms[:2]],
        [ms[0] for k, ms in ordered if k[0] < core],
        [ms[1] for k, ms in ordered if k[0] < core and len(ms) > 1],
        [ms[0] for k, ms in ordered if core <= k[0] < headline],
        [ms[0] for k, ms in ordered if k[0] >= headline and k[1] == 0],
        [ms[0] for k, ms in ordered if k[0] >= headline],
        [im for _, ms in ordered for im in ms[1:]],
    ]
    for candidates in passes:
        for i, _m in candidates:
            if len(chosen) >= limit:
                return chosen
            chosen.add(i)
    return chosen


def _rows(ordered: _Groups, chosen: set[int], period: Callable[[Metric], str]) -> list[MetricRow]:
    rows: list[MetricRow] = []
    for _, members in ordered:
        first = True
        for i, m in members:
            if i not in chosen:
                continue
            value, direction = metric_value(m)
            rows.append(
                MetricRow(
                    anchor=anchor_id("m", i, m.id),
                    name=clip(m.name, NAME_EM),
                    value=value,
                    change=level_change(m),
                    direction=direction,
                    period=period(m),
                    status=m.status,
                    status_label=status_label(m),
                    secondary=not first,
                    metric=m,
                )
            )
            first = False
    return rows


def _of_a_plan(m: Metric) -> bool:
    """A five-year figure, or one dated by its plan ("至“十三五”末…4.88亿元，年均增长8.2%":
    the plan's last year, beside a five-year average) — shown with the plan's figures."""
    return m.span == "multi_year" or bool(m.period and re.search(PLAN_PERIOD, m.period))


@dataclass(frozen=True)
class _MetricTable:
    """The metrics split as the page shows them: the year's figures, and apart from them the
    five-year figures (span multi_year: 年均, 五年来, “十四五”期间, a plan's targets)."""

    year: int | None
    years: _Groups
    five_years: _Groups

    @classmethod
    def of(cls, s: Summary) -> _MetricTable:
        whole_year = s.report.kind in ("annual", "multi_year")
        year_figures = [(i, m) for i, m in enumerate(s.metrics) if not _of_a_plan(m)]
        five = [(i, m) for i, m in enumerate(s.metrics) if _of_a_plan(m)]
        return cls(
            s.report.year,
            _metric_groups(year_figures, s.report.year, whole_year),
            _metric_groups(five, s.report.year, whole_year),
        )

    def max_rows(self) -> int:
        """Every figure, plus the five-year block's heading row when there is one."""
        n = sum(len(ms) for _, ms in self.years) + sum(len(ms) for _, ms in self.five_years)
        return n + (1 if self.five_years else 0)

    def year_period(self, m: Metric) -> str:
        """The period as written; a figure of another year than the report's says which (a
        target's year is in its status label)."""
        ref = m.reference_year
        if m.period or ref is None or self.year is None or ref == self.year:
            return m.period or ""
        return "" if m.status == "target" else f"{ref}年"

    def rows(self, limit: int) -> tuple[list[MetricRow], list[MetricRow]]:
        """Up to `limit` table rows, the five-year block's heading row included: the year's
        figures first; the five-year figures get a share of the rows (a quarter, less the
        heading), never a year figure's place, and what the year's figures leave."""
        n_five = sum(len(ms) for _, ms in self.five_years)
        reserve = min(n_five, max(0, (limit - 2) // 4)) if self.years else n_five
        year_chosen = _choose(self.years, limit - reserve - (1 if reserve else 0))
        room = limit - len(year_chosen) - 1  # the heading row
        five_chosen = _choose(self.five_years, room) if room > 0 else set()
        return (
            _rows(self.years, year_chosen, self.year_period),
            _rows(self.five_years, five_chosen, span_label),
        )


# --- achievements, problems, plans -----------------------------------------------------------


def _line(
    kind: str, index: int, item: Achievement | Problem | Plan, tag: str, em: float
) -> ItemLine:
    title = " ".join(item.title.split())
    # No detail: the quote itself says more than the bare title (and is verbatim).
    detail = " ".join((item.detail or item.evidence.quote).split())
    if title and title in detail:
        # Details often repeat the title ("过去一年，我们<title>。"): keep only what is new.
        rest = _LEAD_MARKS.sub("", detail.replace(title, "", 1)).rstrip("，。；：,;:.、 ")
        detail = rest if len(rest) >= 8 else ""
    room = em - (text_width(tag) + 1.2 if tag else 0.0)
    line_title = clip(title, room)
    line_detail = ""
    if detail and not line_title.endswith("…") and text_width(line_title) + 4 < room:
        line_detail = clip(detail, room - text_width(line_title) - 1.5)
    return ItemLine(
        anchor_id(KIND_PREFIX[kind], index, item.id),
        kind,
        title,
        detail,
        tag,
        line_title,
        line_detail,
    )


def _pick_achievements(items: list[Achievement], limit: int) -> list[int]:
    """Round robin over areas: one achievement per area before a second from any area.
    Within an area, quantified achievements (a figure in the title or quote) come first."""
    by_area: dict[str, list[int]] = {}
    for i, a in enumerate(items):
        by_area.setdefault(a.category, []).append(i)
    for members in by_area.values():
        members.sort(
            key=lambda i: (0 if _NUM.search(items[i].title + items[i].evidence.quote) else 1, i)
        )
    areas = [c for c in CATEGORIES if c in by_area]
    picked: list[int] = []
    depth = 0
    while len(picked) < limit and any(depth < len(by_area[area]) for area in areas):
        for area in areas:
            if depth < len(by_area[area]) and len(picked) < limit:
                picked.append(by_area[area][depth])
        depth += 1
    # Shown grouped by area (in the fixed area order), then in document order.
    order = {area: n for n, area in enumerate(CATEGORIES)}
    return sorted(picked, key=lambda i: (order[items[i].category], i))


def _pick_plans(items: list[Plan], limit: int) -> list[int]:
    """Top-level plans (一、… / 一是…) first, then the rest; shown in document order."""
    ranked = sorted(
        range(len(items)), key=lambda i: (0 if _TOP_LEVEL.match(items[i].evidence.quote) else 1, i)
    )
    return sorted(ranked[:limit])


# --- the page budget -------------------------------------------------------------------------


@dataclass
class _Plan:
    metrics: int
    achievements: int
    problems: int
    plans: int
    problem_columns: int = 1


def _height(p: _Plan, totals: dict[str, int], overview_lines: int) -> float:
    L = LAYOUT
    h = L["h1"] + L["meta"] + L["head_gap"] + overview_lines * L["line"] + L["footer"]
    if p.metrics:
        h += L["h2"] + L["row"] * (p.metrics + 1)
    for key in ("achievements", "plans"):
        n = getattr(p, key)
        if n:
            h += L["h2"] + L["line"] * (n + (1 if n < totals[key] else 0))
    if p.problems:
        rows = -(-p.problems // p.problem_columns)
        h += L["h2"] + L["line"] * (rows + (1 if p.problems < totals["problems"] else 0))
    if not any((p.metrics, p.achievements, p.problems, p.plans)):
        h += L["h2"] + L["line"]
    return h


# Shrink steps in order: (list, down to). Problems stay whole as long as anything else can give.
_SHRINK = (
    ("metrics", 14),
    ("plans", 6),
    ("achievements", 6),
    ("metrics", 10),
    ("plans", 4),
    ("achievements", 4),
    ("metrics", 6),
    ("plans", 3),
    ("achievements", 3),
    ("metrics", 4),
)


def _fit(totals: dict[str, int], overview_lines: int, metric_rows: int) -> tuple[_Plan, float]:
    """Largest selection that fits the page, shrinking in a fixed order of importance.
    `metric_rows`: the metrics table's rows if every figure were shown (headings included)."""
    p = _Plan(
        metrics=min(metric_rows, 18),
        achievements=min(totals["achievements"], 10),
        problems=totals["problems"],
        plans=min(totals["plans"], 10),
    )
    if p.problems > 12:
        p.problem_columns = 2

    def over() -> bool:
        return _height(p, totals, overview_lines) > _BUDGET

    for key, floor in _SHRINK:
        while over() and getattr(p, key) > floor:
            setattr(p, key, getattr(p, key) - 1)
    if over() and p.problems > 6:
        p.problem_columns = 2
    # Still too much: a very long list of problems; show what fits and say how many more.
    while over() and p.problems > 6:
        p.problems -= 1
    for key in ("plans", "achievements", "metrics"):
        while over() and getattr(p, key) > 1:
            setattr(p, key, getattr(p, key) - 1)
    return p, _height(p, totals, overview_lines)


# --- the briefing ----------------------------------------------------------------------------


def _overview(s: Summary, totals: dict[str, int], rows: list[MetricRow]) -> str:
    """One line (two at most) a reader gets the gist from: what report, how much was found,
    and the first headline figures that still fit."""
    r = s.report
    who = f"{r.entity or ''}{r.period or (f'{r.year}年' if r.year else '')}"
    kinds = {"annual": "年度工作报告", "half_year": "半年工作报告", "multi_year": "规划期工作报告"}
    text = (
        f"{who}{kinds.get(r.kind, '工作报告')}：提取指标{totals['metrics']}项、"
        f"成绩{totals['achievements']}项、问题{totals['problems']}项、计划{totals['plans']}项"
    )
    room = 2 * OVERVIEW_EM - 2
    heads = [row for row in rows if not row.secondary][:3]
    for n, h in enumerate(heads):
        name = clip(h.name, 16)
        notes = [x for x in (h.change, "" if h.status == "actual" else h.status_label) if x]
        piece = f"{name}{h.value}" + (f"（{'，'.join(notes)}）" if notes else "")
        piece = ("；" if n == 0 else "，") + piece
        if text_width(text + piece) > room:
            break
        text += piece
    return clip(text, room) + "。"


def build_briefing(summary: Summary, scorecard: str = "", scorecard_href: str = "") -> Briefing:
    """Select and order the briefing's content for `summary` so that it fits one A4 page.
    `scorecard`: a line on how the report's year's targets came out (its own line under the
    overview), with `scorecard_href` the tracking page it links to."""
    summary = as_version_2(summary)  # an older output: its figures read as version 2
    r, run = summary.report, summary.run
    totals = {k: len(getattr(summary, k)) for k in ("metrics", "achievements", "problems", "plans")}
    table = _MetricTable.of(summary)
    rows14 = table.rows(14)
    overview = _overview(summary, totals, rows14[0])  # the year's figures, never five years'
    overview_lines = 1 if text_width(overview) <= OVERVIEW_EM else 2
    overview_lines += 1 if scorecard else 0  # planned as one more overview line
    plan, height = _fit(totals, overview_lines, table.max_rows())
    em = LINE_EM if plan.problem_columns == 1 else LINE_EM / 2 - 1.5

    model = f" · {run.model}" if run.model else ""
    created = (run.created or "").replace("T", " ")[:16]
    b = Briefing(
        report_id=r.id,
        heading=clip(" ".join(x for x in (r.entity or r.id, r.period or "") if x), 34),
        entity=r.entity or "",
        period=r.period or (f"{r.year}年" if r.year else ""),
        kind_label=KIND_LABELS.get(r.kind, r.kind),
        source_name=PurePath(r.source).name,
        backend_label=f"{run.backend}{model}",
        created=created,
        overview=overview,
        totals=totals,
        problem_columns=plan.problem_columns,
        height_mm=round(height, 1),
        scorecard=scorecard,
        scorecard_href=scorecard_href,
    )
    # rows14 are the same rows when 14 fit: no need to build them twice
    b.metrics, b.five_years = rows14 if plan.metrics == 14 else table.rows(plan.metrics)
    b.achievements = []
    for i in _pick_achievements(summary.achievements, plan.achievements):
        item = summary.achievements[i]
        tag = CATEGORY_LABELS.get(item.category, item.category)
        b.achievements.append(_line("achievement", i, item, tag, LINE_EM))
    b.problems = [
        _line("problem", i, p, "", em) for i, p in enumerate(summary.problems[: plan.problems])
    ]
    b.plans = [
        _line(
            "plan", i, summary.plans[i], HORIZON_LABELS.get(summary.plans[i].horizon, ""), LINE_EM
        )
        for i in _pick_plans(summary.plans, plan.plans)
    ]
    return b
