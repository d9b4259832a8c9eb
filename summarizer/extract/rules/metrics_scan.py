"""The scans behind the metric extractor: figures, change words before a figure, and periods.

Each is exactly a regex search (the docstrings say which), made fast for the report sizes this
runs on: a scan of every position with a pattern opening in a lookaround is slow in Python's
regex engine, so these jump between the few characters a match can start or end on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP, NUMBER, UNIT, UNITS
from summarizer.lexicon.periods import BASE_BEFORE, PLAN_PERIOD
from summarizer.lexicon.spaces import SPACES

__all__ = ["FIGURE", "change_tail", "figures", "period_in"]

FIGURE = re.compile(
    rf"(?<![0-9.A-Za-z第前])(?<![0-9],)(?P<sign>[-－−])?(?P<num>{NUMBER})(?P<mid>余|多)?"
    rf"(?:(?P<u1>%|％)?[-－—–~～](?P<num2>[0-9]+(?:\.[0-9]+)?)(?:余|多)?)?"
    # A hard-wrapped text breaks lines anywhere, between a figure and its unit too ("城镇新增就业
    # 4.3\n\n万人"; a web copy leaves a zero-width space on the blank line): the reader's layout
    # text has blanked such a wrap, so blanks may stand between a figure and its unit.
    rf"(?:[{SPACES}\u200b]+)?"
    rf"(?:(?P<mag>万亿|亿|万)(?:余|多))?(?P<unit>{UNIT}|％)"
    rf"(?P<post>左右|以上|以下|以内|上下)?"
)
# Where a figure can start: a run of digits and signs. Scanning with FIGURE alone is slow (its
# leading lookbehinds defeat the regex engine's fast scan), so `figures` jumps between runs.
# Written "c c*", not "c+": Python's regex engine skips ahead to a pattern's first character
# only when the pattern opens with a plain character set, not with a repeat (2x faster scan).
_DIGIT_RUN = re.compile(r"[-－−0-9][-－−0-9]*")
_SIGNS = frozenset("-－−")
# What FIGURE can read right after a run of digits and signs: a decimal point, a thousands
# comma, 余/多, a percent sign, a range dash, a magnitude, the first character of a unit, or
# a blank inside the figure.
_AFTER_DIGITS = frozenset(".,余多%％－—–~～万亿\u200b" + SPACES) | {u[0] for u in UNITS}
# "2013年以来新增的…" dates a since, not a year a later figure of the paragraph is of.
_DATE_USE = re.compile(r"[0-9]{1,2}月|出台|印发|发布|制定|提出|颁布|以来")
_BASE_BEFORE = frozenset(BASE_BEFORE)

# A change word right before a figure, with what qualifies it: the base (同比, 比上年 …), the
# span (年均, 五年), the measure (实际, 可比, 名义: "收入实际增长6.3%" is the income's change, and
# 实际 no part of its name) and the status (预期, 预计: read apart, from the clause). A change word
# followed by 到/至 ("提高到51.6%", "降至20.6微克/立方米") states the level reached: no change.
_CHANGE_TAIL = re.compile(
    r"(?:同比|比上年同期|比去年同期|较去年同期|较上年同期|比上年|较上年|比去年|较去年|较同期|比同期"
    r"|五年|年均|分别|平均|均|实际|可比|名义|预期|预计"
    # "人数连续两年增长10%以上": each year's rise, the last year's too
    r"|连续[两三四五]年)*"
    rf"(?P<dir>{CHANGE_UP}|{CHANGE_DOWN}|增|降)"
    # "M2预期增长目标拟定为13%左右", "经济增长目标定为7.5%左右": the target a plan sets for a rate
    r"(?:了|均为|为|达到|达|完成|实现|保持在|稳定在|目标(?:拟|确)?定为)?"
    r"(?:近|约|超过|超|逾)?\s*$"
)
# The characters a _CHANGE_TAIL match can end on before its trailing whitespace: the last
# character of a change word, of the verb after it (了, 为, 达到, 完成 …: "增速完成8%" is the rate,
# 完成 no part of the name) or of 近/约/超过/超/逾. Prefixes ending otherwise skip the regex.
_CHANGE_TAIL_LAST = frozenset(
    w[-1] for w in (*CHANGE_UP.split("|"), *CHANGE_DOWN.split("|"), "增", "降", "了", "为", "达")
) | set("到近约过超逾成现在")
# A five-year review ("过去五年，…", "这五年，…", "五年来…": how a 政府工作报告 that closes a
# plan period opens; "收入五年增长30.8%") gives its figures that period, not the report's year.
_PERIOD = re.compile(
    r"(?=[0-9全上下半前一二三四第“十过这近五今])"  # fail fast: the scan runs for every figure
    r"(?:(?:[0-9]{4}年)?[0-9]{1,2}\s*[-—–~～至到]\s*[0-9]{1,2}月(?:份)?"
    r"|(?:[0-9]{4}年)?(?:全年|上半年|下半年|半年度|前三季度|[一二三四]季度|第[一二三四]季度)"
    rf"|“?{PLAN_PERIOD}”?(?:期间|时期|末)"
    r"|(?:过去的?|这|近)五年|五年(?:来|间|内|累计)|五年(?=增长|提高|增加|下降)"
    # "今后一个时期，着重解决好…，促进约1亿农业转移人口落户城镇": years ahead, not this one
    r"|今后一[个段]时期"
    r"|[0-9]{4}年(?:度)?)"
)
_PERIOD_START = re.compile(r"[0-9全上下半前一二三四第“十过这近五今]")  # _PERIOD's lookahead
# "1—10月", "1 至 10 月" are written "1-10月".
_RANGE_DASH = re.compile(r"\s*[—–~～至到]\s*")
_RANGE_DASH_CHARS = frozenset("—–~～至到")
_OPENING_PERIOD = (
    12  # "刚刚过去的2025年，…": how far into a sentence or paragraph its period starts
)


def figures(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Exactly `FIGURE.finditer(text, start, end)`, faster: a match starts at a digit or sign
    not preceded by a digit (the lookbehind), i.e. at a run's start or right after a sign in it,
    and it ends past its run (on a unit), so runs it covered are skipped."""
    match = FIGURE.match
    pos = start
    for run in _DIGIT_RUN.finditer(text, start, end):
        r0, r1 = run.span()
        if r0 < pos or r1 >= end or text[r1] not in _AFTER_DIGITS:
            continue  # a figure goes on past its run, and only with one of _AFTER_DIGITS
        m = match(text, r0, end)
        if m is None:
            digits = run.group()
            if not _SIGNS.isdisjoint(digits):
                for i, c in enumerate(digits[:-1]):
                    if c in _SIGNS:
                        m = match(text, r0 + i + 1, end)
                        if m is not None:
                            break
        if m is not None:
            pos = m.end()
            yield m


def change_tail(prefix: str) -> re.Match[str] | None:
    """`_CHANGE_TAIL.search(prefix)`, skipped when the prefix cannot end in a change word."""
    tail = prefix.rstrip()
    if not tail or tail[-1] not in _CHANGE_TAIL_LAST:
        return None
    return _CHANGE_TAIL.search(prefix)


def _period_matches(text: str, a: int, b: int, last_start: int) -> Iterator[re.Match[str]]:
    """`_PERIOD.finditer(text, a, b)`, stopping before a match that starts after `last_start`. The
    scan jumps between characters a period can start with (a fast charset search), so a long
    span with no period near its start costs little."""
    pos = a
    while True:
        c = _PERIOD_START.search(text, pos, b)
        if c is None or c.start() > last_start:
            return
        m = _PERIOD.match(text, c.start(), b)
        if m is None:
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def period_in(text: str, a: int, b: int, *, opening: bool = False) -> str | None:
    """The period written in text[a:b]: the last one before the figure, or with `opening` one
    that opens the span ("刚刚过去的2025年，…"). A year qualifying a noun ("2020年的3.68万亿元",
    "2020年出台的方案") is a date, not a period."""
    found = None
    for m in _period_matches(text, a, b, a + _OPENING_PERIOD if opening else b):
        if opening and m.start() - a > _OPENING_PERIOD:
            break
        if text.startswith("的", m.end()) or _DATE_USE.match(text, m.end()):
            continue
        if m.start() > a and text[m.start() - 1] in _BASE_BEFORE:
            continue  # "比2016年增加80天", "较2020年增长90%": the base compared with
        found = m.group(0)
        if opening:
            break
    if not found:
        return None
    # SPEC: the period as written — "“十三五”期间" keeps its quotes; only an unpaired mark at an
    # edge (a match starting inside the quotes) goes.
    if found.count("“") != found.count("”"):
        found = found.replace("“", "").replace("”", "")
    if _RANGE_DASH_CHARS.isdisjoint(found):  # most periods ("全年", "2025年") have no range
        return found.replace(" ", "")
    return _RANGE_DASH.sub("-", found).replace(" ", "")
