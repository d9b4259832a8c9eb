"""Formatting shared by every briefing form: labels, printed widths, numbers, anchors.

Kept apart from the selection (briefing.py) so that the source view, the CSV and the
terminal use the very same number forms and anchor ids as the page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP, number_forms, to_ascii
from summarizer.lexicon.periods import PLAN_PERIOD, plan_last_year, upcoming_plan_name
from summarizer.models import Metric

__all__ = [
    "CATEGORY_LABELS",
    "CORE_HEADLINES",
    "COUNTED_HEADLINES",
    "HEADLINES",
    "HORIZON_LABELS",
    "KIND_LABELS",
    "KIND_PREFIX",
    "LEVEL_LABELS",
    "STATUS_LABELS",
    "anchor_id",
    "clip",
    "format_change",
    "format_number",
    "headline_rank",
    "level_change",
    "metric_value",
    "span_label",
    "status_label",
    "text_width",
]

KIND_LABELS = {"annual": "年度", "half_year": "半年", "multi_year": "规划期", "other": "其他"}
LEVEL_LABELS = {
    "national": "国家",
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇街道",
    "park": "园区",
}
STATUS_LABELS = {"actual": "实际", "forecast": "预计", "target": "目标"}
HORIZON_LABELS = {
    "next_year": "下年",
    "second_half": "下半年",
    "multi_year": "中长期",
    "unspecified": "",
}
CATEGORY_LABELS = {
    "economy": "经济",
    "innovation": "创新",
    "urban": "城建",
    "environment": "生态",
    "livelihood": "民生",
    "governance": "治理",
    "party": "党建",
    "other": "其他",
}


def _char_width(ch: str) -> float:
    """Printed width of one character in em (the rule `text_width` sums)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return 0.3 if ch == " " else 0.58


class _WidthTable(dict[str, float]):
    """Character → width, filled on first sight. Capped so that hostile text with every
    code point cannot grow it without bound; past the cap widths are computed, not stored."""

    def __missing__(self, ch: str) -> float:
        w = _char_width(ch)
        if len(self) < 65536:
            self[ch] = w
        return w


_WIDTHS = _WidthTable()


# Widths are summed left to right from 0.0 in plain float steps, exactly as the per-character
# rule reads (not sum()/fsum, whose rounding differs across Python versions): a width is the
# same float on every run. A briefing clips and measures the same strings again and again (the
# page, the index, the terminal), hence the caches.
@lru_cache(maxsize=4096)
def text_width(s: str) -> float:
    """Printed width in em: CJK and full-width forms are 1 em, Latin and digits ~0.55 em."""
    widths = _WIDTHS
    w = 0.0
    for ch in s:
        w += widths[ch]
    return w


@lru_cache(maxsize=4096)
def clip(s: str, max_em: float) -> str:
    """`s` on one line, cut with … so that it is at most `max_em` wide."""
    s = " ".join(s.split())
    if text_width(s) <= max_em:
        return s
    widths = _WIDTHS
    w = 1.0  # room for the ellipsis
    keep = len(s)
    for i, ch in enumerate(s):
        cw = widths[ch]
        if w + cw > max_em:
            keep = i
            break
        w += cw
    return s[:keep].rstrip("，、；：,;: ") + "…"


def format_number(v: float) -> str:
    """The number as a report writes it: 4.01, 138, 44198 (no exponent, no trailing zeros)."""
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def format_change(pct: float | None) -> str:
    """Signed change with a true minus sign: +6.8%, −14.4%; '' when unknown."""
    if pct is None:
        return ""
    sign = "+" if pct > 0 else ("−" if pct < 0 else "±")
    return f"{sign}{format_number(abs(pct))}%"


_RATE_UNITS = ("%", "％", "个百分点")
# The change word (with 年均/累计 before it: a five-year figure says which it is), then at most
# a particle or an "about", right before the figure.
_RATE_WORD = re.compile(
    rf"((?:年均|累计)?(?:{CHANGE_UP}|{CHANGE_DOWN}))(?:了|约|近|超过|达到|达)?\s*$"
)


def rate_word(m: Metric) -> str:
    """For a change figure (下降3.2%: measure change), the change word the quote writes right
    before it: 下降, 增长 …; '' for a level. Without it a briefing would show a fall as 3.2%."""
    if m.measure != "change":
        return ""
    quote = to_ascii(m.evidence.quote)  # same length: positions stay those of the quote
    for form in sorted(number_forms(m.value), key=len, reverse=True):
        at = quote.find(form)
        while at >= 0:  # str.find, not a regex per value: that would fill the regex cache
            end, at_next = at + len(form), quote.find(form, at + 1)
            before, after = quote[:at], quote[end : end + 1]
            at = at_next
            if before[-1:].isdigit() or before[-1:] == "." or after.isdigit():
                continue  # part of a longer number (3.2 inside 13.2 or 3.25)
            word = _RATE_WORD.search(before[-8:])
            if word:
                return word.group(1)
    return "下降" if m.direction == "down" else "增长" if m.direction == "up" else ""


def status_label(m: Metric) -> str:
    """实际, 预计, or a target with the year it is set for (2026年目标). A five-year target's
    years are its span's (span_label), not one year's."""
    if m.status == "target" and m.reference_year is not None and m.span != "multi_year":
        return f"{m.reference_year}年目标"
    return STATUS_LABELS.get(m.status, m.status)


# A period as written that already names a stretch of years: 这五年, “十四五”时期, 2021年以来.
_YEARS_WRITTEN = re.compile(rf"五年|{PLAN_PERIOD}|以来|期间|时期|累计")


def span_label(m: Metric) -> str:
    """What a five-year figure (span multi_year) covers: its period when that names the years
    (这五年, “十五五”时期), else the plan that ends in its reference year (“十四五”时期), else
    the year it runs to (截至2023年; 到2030年 for a target)."""
    if m.period and _YEARS_WRITTEN.search(m.period):
        return m.period
    year = m.reference_year
    if year is None:
        return "五年"
    plan = upcoming_plan_name(year - 1)  # the plan `year` falls in
    if plan and plan_last_year(plan) == year:
        return f"“{plan}”时期"
    return f"到{year}年" if m.status == "target" else f"截至{year}年"


# How a bound reads after the figure, as the genre writes it.
_BOUND_SUFFIX = {"about": "左右", "at_least": "以上", "at_most": "以内"}


def metric_value(m: Metric) -> tuple[str, int]:
    """The value as the briefing prints it — 4.01亿元; 下降3.2%; 6%左右; 增长4.5%—5%; 年均增长5%
    — and its direction: 1 up, -1 down, 0 unknown (a change's own, else the change beside a
    level)."""
    number = format_number(m.value)
    if m.bound == "range" and m.high is not None:
        # A % range is written with both signs (增长4.5%—5%), others with the unit once.
        low_unit = m.unit if to_ascii(m.unit) == "%" else ""
        number = f"{number}{low_unit}—{format_number(m.high)}"
    text = f"{rate_word(m)}{number}{m.unit}{_BOUND_SUFFIX.get(m.bound or '', '')}"
    if m.measure == "change":
        return text, 1 if m.direction == "up" else -1 if m.direction == "down" else 0
    if m.change_pct:
        return text, 1 if m.change_pct > 0 else -1
    return text, 0


def level_change(m: Metric) -> str:
    """The change stated beside a level (完成4.01亿元，下降14.4% → −14.4%); '' for a change
    figure, whose own value already says it."""
    return format_change(m.change_pct) if m.measure == "level" else ""


# Per-kind prefix of fallback anchors (items built by hand may have no id).
KIND_PREFIX = {"achievement": "a", "metric": "m", "problem": "p", "plan": "n"}
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def anchor_id(kind: str, index: int, item_id: str) -> str:
    """Fragment id of an item's evidence in the source view (same rule everywhere)."""
    clean = _SAFE_ID.sub("", item_id)[:40]
    return f"ev-{clean}" if clean else f"ev-{kind}{index}"


# Headline indicators in the order a reader looks for them; matched as substrings.
HEADLINES: tuple[tuple[str, ...], ...] = (
    ("地区生产总值", "生产总值", "GDP"),
    ("一般公共预算收入", "公共财政预算收入", "财政收入", "公共预算收入", "财政总收入"),
    ("规模以上工业", "规上工业", "规模工业", "工业总产值", "工业增加值", "工业产值"),
    ("固定资产投资",),
    ("社会消费品零售", "消费品零售"),
    ("进出口", "外贸", "出口"),
    ("外资", "外商投资"),
    ("可支配收入",),
    ("重点项目",),
    ("服务业", "营业额", "营业收入", "批零住餐"),
    ("税收",),
    ("招商", "引进项目", "签约"),
    ("城镇新增就业", "就业"),
    ("研发", "高新技术企业", "高企"),
)
_RATIO_WORDS = ("占", "比重", "贡献率", "比例", "覆盖率", "达标率")
CORE_HEADLINES = 8  # the first eight: GDP … disposable income
# The headline indicators that are counts (projects, jobs, firms); the others are amounts and
# rates, so a count under their words ("服务业项目4个") is not them.
COUNTED_HEADLINES = frozenset(
    rank
    for rank, keys in enumerate(HEADLINES)
    if keys[0] in ("重点项目", "招商", "城镇新增就业", "研发")
)


# HEADLINES flattened to (key, rank) in rank order: the first key found gives the lowest rank.
_HEADLINE_KEYS = tuple((key, rank) for rank, keys in enumerate(HEADLINES) for key in keys)


@lru_cache(maxsize=4096)
def headline_rank(name: str) -> int:
    """0 for the first headline indicator, … len(HEADLINES) for every other indicator.
    A share or ratio of a headline figure (占…比重, 贡献率) is not that figure, nor is a
    per-head GDP the GDP."""
    for word in _RATIO_WORDS:
        if word in name:
            return len(HEADLINES)
    per_head = "人均" in name
    for key, rank in _HEADLINE_KEYS:
        if key in name and not (rank == 0 and per_head):
            return rank
    return len(HEADLINES)
