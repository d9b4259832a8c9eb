"""Status (actual / target / forecast) and period of the figures the metric extractor reads.

Both are read from the text before a figure: its clause, the opening of its sentence and of its
paragraph. A paragraph that opens with a period ("今年1-10月实现…") lends it to the later actual
figures of that paragraph that state none; that carry makes a figure's period depend on the
figures read before it, so `resolve` reads the figures in document order.

Most figures the extractor reads are dropped (not indicators), so `resolve` reads status and
period only for the kept ones and for the earlier figures a carried period may come from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from summarizer.extract.rules.metrics_scan import period_in
from summarizer.models import Status

__all__ = ["CLAUSE_END", "COMPLETION", "Breaks", "StatusReader", "breaks_of", "last_before"]

COMPLETION = re.compile(r"完成(?:了)?(?:年初|年度|全年)?(?:计划|目标|任务)|完成率|计划的|目标的")
# "到2027年" unless a change verb comes before 到 ("增长到2025年的…" is a past level). The
# lookbehind sits after 到 so that every branch opens with a literal: the regex engine then skips
# ahead to those characters instead of trying every branch at every position (3x faster).
_TARGET = re.compile(
    r"计划|力争|目标|确保|预期"
    r"|到(?<!增加到|提高到|提升到|增长到|上升到|扩大到|下降到|减少到|降低到|缩小到)20[0-9]{2}年"
)
# 争取 is both "strive for" (a target) and "obtain" (上级资金, 扶持资金): in a review it reports
# what was obtained ("全年争取上级各类项目资金1.36亿元"); it is a target only in a plans section
# or in a sentence looking ahead ("明年争取…", "下一步将争取…").
_FUTURE = re.compile(r"明年|今后|下一步|下阶段|未来|来年|新的一年|将|要")
_OPENING_TARGET = re.compile(r"预期目标|主要目标|目标是|目标为|力争|确保")
_ACTUAL_MARK = re.compile(r"已|完成了|实现了|达到了|去年|上年|过去")
# A paragraph looking back ("这五年，…") inside a plans section (a 规划纲要 说明 reviews first).
_PAST = re.compile(r"这五年|五年来|一年来|过去一年|过去五年|回顾")
# A period naming a five-year term, as period_in reads one.
_TERM = re.compile(
    r"(?:过去的?|这|近)五年|五年(?:来|间|内)|“?十[一二三四五六七八九]五”?(?:期间|时期)"
)

# Breaks, each kind within the next: a paragraph (newline) ends a sentence, a sentence ends a
# segment (；), a segment ends a clause (，、：).
CLAUSE_END = re.compile(r"[，,；;：:。！？!?\n、]")
_SENTENCE_MARKS = "。！？!?"
_SEGMENT_MARKS = "；;"
_CLAUSE_MARKS = "，,：:、"


@dataclass(slots=True)
class Breaks:
    """Offsets of the clause, segment, sentence and paragraph breaks in a span of the text."""

    clauses: list[int]
    segments: list[int]
    sentences: list[int]
    paragraphs: list[int]


def _offsets(text: str, chars: str, start: int, end: int) -> list[int]:
    """Offsets of each of `chars` in text[start:end], character by character (unsorted)."""
    out: list[int] = []
    find = text.find
    for c in chars:
        i = find(c, start, end)
        while i >= 0:
            out.append(i)
            i = find(c, i + 1, end)
    return out


def breaks_of(text: str, start: int, end: int) -> Breaks:
    """The breaks in text[start:end]. Each kind adds its marks to the kind within it. `str.find`
    per mark and a sort of the merged runs cost about half a regex character-class scan, which
    tries every character and makes a match object per break."""
    paragraphs = _offsets(text, "\n", start, end)
    sentences = sorted(_offsets(text, _SENTENCE_MARKS, start, end) + paragraphs)
    segments = sorted(_offsets(text, _SEGMENT_MARKS, start, end) + sentences)
    clauses = sorted(_offsets(text, _CLAUSE_MARKS, start, end) + segments)
    return Breaks(clauses, segments, sentences, paragraphs)


def last_before(bounds: list[int], pos: int, floor: int) -> int:
    """Index just after the last boundary before `pos` (or `floor`)."""
    i = bisect_right(bounds, pos - 1)
    return max(floor, bounds[i - 1] + 1) if i else floor


def _status(
    clause: str, opening: str, sentence: str, role: str, paragraph: Callable[[], str]
) -> Status:
    """预计 → forecast; 计划/力争/目标 in the clause, or a "主要预期目标是：" sentence → target;
    in a plans section target unless the clause or its paragraph is clearly looking back.
    (Plain `in` tests before the regexes: this runs for every figure.)"""
    clause_cues = COMPLETION.sub("", clause) if "完成" in clause or "的" in clause else clause
    if "预计" in clause_cues:
        return "forecast"
    if _TARGET.search(clause_cues):
        return "target"
    if "争取" in clause_cues and (role == "plans" or _FUTURE.search(sentence)):
        return "target"
    if "预计" in opening or "预计" in sentence:
        # 预计 governs the figures after it in its sentence, across "；" and "，" ("预计半年度
        # 收入完成3.5亿元；规上工业总产值完成135.7亿元；…").
        return "forecast"
    if ("目标" in sentence or "力争" in sentence or "确保" in sentence) and _OPENING_TARGET.search(
        sentence
    ):
        return "target"
    if role == "plans" and not _ACTUAL_MARK.search(clause) and not _PAST.search(paragraph()):
        return "target"
    return "actual"


def _sentence_head(text: str, sent: int, floor: int) -> int:
    """Where the sentence really starts: a line opening with "是：" continues the line before
    (web copies break "主要预期目标\n是：地区生产总值增长…" after the heading-like words)."""
    if sent > floor and text[sent - 1] == "\n" and text[sent : sent + 2] in ("是：", "是:", "为："):
        return max(floor, text.rfind("\n", floor, sent - 1) + 1)
    return sent


class FigureAt(NamedTuple):
    """Where a figure was read: its start, and its sentence and clause starts when known."""

    fig_start: int
    sent: int | None = None
    clause: int | None = None


class _Reading(NamedTuple):
    """A figure's own status and period (before any carry), and its paragraph and sentence."""

    status: Status
    period: str | None
    para: int
    sent: int


class StatusReader:
    """Status and period of the figures in text[start:end] (`breaks` = its breaks)."""

    def __init__(self, text: str, start: int, role: str, breaks: Breaks) -> None:
        self.text, self.start, self.role, self.breaks = text, start, role, breaks
        # The figures of a sentence share its opening and paragraph lead-in: read each once.
        self._periods: dict[tuple[int, int, bool], str | None] = {}

    def _period_in(self, a: int, b: int, opening: bool = False) -> str | None:
        key = (a, b, opening)
        if key not in self._periods:
            self._periods[key] = period_in(self.text, a, b, opening=opening)
        return self._periods[key]

    def _read(self, at: FigureAt) -> _Reading:
        text, start, fig_start = self.text, self.start, at.fig_start
        clauses = self.breaks.clauses
        sent = (
            at.sent if at.sent is not None else last_before(self.breaks.sentences, fig_start, start)
        )
        clause = at.clause if at.clause is not None else last_before(clauses, fig_start, start)
        para = last_before(self.breaks.paragraphs, fig_start, start)
        i = bisect_left(clauses, sent)
        opening_end = min(clauses[i] if i < len(clauses) else fig_start, fig_start)
        head = text[_sentence_head(text, sent, start) : fig_start]
        status = _status(
            text[clause:fig_start],
            text[sent:opening_end],
            head,
            self.role,
            lambda: text[max(para, fig_start - 400) : fig_start],
        )
        period = period_in(text, clause, fig_start) or self._period_in(
            sent, opening_end, opening=True
        )
        return _Reading(status, period, para, sent)

    def resolve(
        self, figures: Sequence[FigureAt], wanted: Sequence[bool]
    ) -> dict[int, tuple[Status, str | None]]:
        """(status, period) of each wanted figure, by index; `figures` in the order read.

        An actual figure stating no period takes the period of the last actual figure before it
        that states one, when that one is in the same paragraph (seed 000: "今年1-10月实现…"
        opens a paragraph whose later sentences omit the period). Walking backwards, a figure is
        read only when it is wanted or when a wanted figure after it still looks for that period
        and some figure at or before it is in that figure's paragraph.
        """
        paras = [last_before(self.breaks.paragraphs, f.fig_start, self.start) for f in figures]
        first_in_para: dict[int, int] = {}
        for i, para in enumerate(paras):
            first_in_para.setdefault(para, i)
        readings: dict[int, _Reading] = {}
        carried: dict[int, tuple[int, str]] = {}  # wanted index → (paragraph, period) before it
        waiting: list[int] = []  # wanted actual figures with no period, looking back for one
        for i in range(len(figures) - 1, -1, -1):
            if waiting:  # a period from a figure before its paragraph's first one never applies
                waiting = [k for k in waiting if first_in_para[paras[k]] <= i]
            if not (wanted[i] or waiting):
                continue
            r = readings[i] = self._read(figures[i])
            if r.status == "actual" and r.period:
                for k in waiting:
                    carried[k] = (r.para, r.period)
                waiting = []
            elif wanted[i] and r.status == "actual":
                waiting.append(i)
        out: dict[int, tuple[Status, str | None]] = {}
        for i, r in readings.items():
            if not wanted[i]:
                continue
            period = r.period
            if period is None and r.para < r.sent:
                # "过去的五年是…的五年。…完成造林27.3万亩": a paragraph opening on a five-year
                # term is the term's, whatever year a figure between says ("全年空气优良天数…").
                term = self._period_in(r.para, r.sent, opening=True)
                period = term if term and _TERM.match(term) else None
            carry = carried.get(i)
            if period is None and carry and carry[0] == r.para:
                period = carry[1]
            if period is None and r.para < r.sent:
                # "“十四五”时期，上海发展…。…全市生产总值从…增加到…": a period opening the paragraph.
                period = self._paragraph_period(r.para, r.sent)
            out[i] = (r.status, period)
        return out

    def _paragraph_period(self, para: int, sent: int) -> str | None:
        """The period opening the paragraph or, when a later sentence before `sent` opens on a
        five-year term, that term: "2015年是“十二五”收官之年。过去五年，…" looks back over it."""
        sentences = self.breaks.sentences
        lo, hi = bisect_right(sentences, para - 1), bisect_left(sentences, sent - 1)
        for b in reversed(sentences[lo:hi]):
            if para <= b + 1 < sent:
                period = self._period_in(b + 1, sent, opening=True)
                if period and _TERM.match(period):
                    return period
        return self._period_in(para, sent, opening=True)
