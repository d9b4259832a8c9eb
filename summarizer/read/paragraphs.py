"""Paragraph-level recognisers for the structure parser: line spans (splitting reports pasted
as one long line before their run-in headings), repeated paragraph leads ("过去一年，我们…"),
paragraphs that open a plans part ("展望“十四五”，…", "2021年，…将…"), appendices and closings.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from summarizer.lexicon.periods import PLAN_PERIOD, upcoming_plan_name
from summarizer.lexicon.spaces import SPACES
from summarizer.models import Horizon
from summarizer.read.headings import heading_role, horizon_of, match_heading, title_of

__all__ = [
    "APPENDIX",
    "CLOSING",
    "CONTINUES_LIST",
    "LEAD_PREFIX",
    "PAST_LEAD",
    "SALUTATION",
    "SIGNATURE",
    "indent_of",
    "line_spans",
    "part_heading",
    "plan_lead",
    "repeated_leads",
]

LEAD_PREFIX = re.compile(r"^([^，,。：:；;、\s]{2,6})[，,]")
LEAD_TIME = re.compile(r"(?:年|来|期间|时期)$|^(?:过去|这)")
PAST_LEAD = re.compile(r"来$|以来|过去|^这一?年|^这五年")
CONTINUES_LIST = re.compile(r"^(?:[一二三四五六七八九十]是|其次|再次|此外|另外|还有|最后|与此同时)")
APPENDIX = re.compile(r"^(?:附件\s*\d*|附录|附表|名词解释|注释|注解)[:：]?$")
CLOSING = re.compile(r"^(?:各位代表|同志们|让我们)")
# The address alone on its line ("各位代表！"), before the closing appeal's paragraph.
SALUTATION = re.compile(r"^(?:各位代表|同志们)[！!：:，,]?$")
# The sign-off under a report: the issuing body and the date, each on its own short line.
SIGNATURE = re.compile(
    r"^(?:[\u4e00-\u9fff（）()]{2,30}(?:人民政府|办事处|党工委|党委|管委会|委员会|街道|镇|乡)"
    r"|(?:19|20)\d\d年\d{1,2}月\d{1,2}日)$"
)
_PLAN_LEAD = re.compile(
    r"^(?:展望|下一步)"
    # "下半年，面对…" can look back inside a yearly review; a plan says what will be done
    r"|^(?:下半年|明年|新的一年|今后(?:一个时期|一段时期|五年)?|未来五年)[^。]{0,30}?"
    r"(?:将|要|力争|计划|确保|努力)"
    r"|^(20\d\d)年[，,]?(?:是|我们将|[^。]{0,16}将)"
    rf"|^“?({PLAN_PERIOD})”?(?:时期|期间|规划)?"
)


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(SPACES))


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line; long lines split before run-in numbered headings."""
    spans, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if len(line) > _LONG_LINE:
            cuts = _inline_heading_cuts(text, pos, end)
            for a, b in zip([pos, *cuts], [*cuts, end], strict=True):
                spans.append((a, b))
        else:
            spans.append((pos, end))
        pos = end + 1
    return spans


_LONG_LINE = 300
_INLINE_HEADING = re.compile(
    r"[。！？；!?;：:]”?(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
)


def _inline_heading_cuts(text: str, start: int, end: int) -> list[int]:
    """Where a report pasted as one long line runs headings in ("…增长。二、抓民生。…").

    Only level 1/2 markers right after a sentence end count, and only when the line holds a
    consecutive pair of them (一、…二、), so a stray "。二、" in running text is left alone.
    """
    found: list[tuple[int, int, int]] = []
    for m in _INLINE_HEADING.finditer(text, start, end):
        h = match_heading(text[m.end() : min(end, m.end() + 40)])
        if h is not None and h.level <= 2:
            found.append((m.end(), h.level, h.number))
    numbers = {(level, n) for _, level, n in found}
    return [at for at, level, n in found if (level, n - 1) in numbers or (level, n + 1) in numbers]


def repeated_leads(lines: list[str]) -> set[str]:
    """Line-opening phrases ("过去一年", "半年来") a report uses as its item structure."""
    counts: Counter[str] = Counter()
    for line in lines:
        m = LEAD_PREFIX.match(line.lstrip(SPACES))
        if m and LEAD_TIME.search(m.group(1)) and not match_heading(line):
            counts[m.group(1)] += 1
    return {p for p, c in counts.items() if c >= 3}


def plan_lead(para: str, year: int | None) -> Horizon | None:
    """The horizon of a paragraph that opens a plans part, or None if it opens none."""
    m = _PLAN_LEAD.match(para)
    if not m:
        return None
    if m.group(1) and (year is None or int(m.group(1)) <= year):
        return None  # "2020年，…" in a report on 2020 is review
    if m.group(2) and m.group(2) != upcoming_plan_name(year):
        return None  # "“十四五”时期，…" in a 2025 report looks back
    if m.group(2) and not para[m.end() :].strip(SPACES):
        return None  # the name alone says nothing will be done (a link cut out of a sentence)
    return horizon_of(title_of(para), year) or "unspecified"


# An unnumbered heading opens a part: a short line with no sentence in it that names its period
# ("2025年工作安排建议", "“十四五”时期发展成就和2025年工作回顾") and a review, problems or plans.
# Without a period ("主要目标") such a line is a sub-heading inside the part it stands in; a period
# alone ("十三五", a link left on its own line by a scraped page) names no part, although a plan's
# name is itself a plan word: the role must come from the other words.
_PERIOD_NAMED = re.compile(rf"20\d\d年|{PLAN_PERIOD}|五年")
_PART_HEADING_MAX = 30
_SENTENCE_MARK = re.compile(r"[，,。；;！!？?：:]")


PartRole = Literal["review", "problems", "plans"]
_PART_ROLES: dict[str, PartRole] = {"review": "review", "problems": "problems", "plans": "plans"}


def part_heading(para: str) -> PartRole | None:
    """The role of a paragraph that is an unnumbered part heading, or None."""
    if len(para) > _PART_HEADING_MAX or _SENTENCE_MARK.search(para):
        return None
    if not _PERIOD_NAMED.search(para):
        return None
    role = heading_role(_PERIOD_NAMED.sub("", para), top_level=True)
    return _PART_ROLES.get(role) if role else None
