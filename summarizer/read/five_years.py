"""The parts of a report that review a five-year term rather than the year.

A report delivered at the end of a government's term reviews the five years, and a figure
there that states no period of its own is the term's, not the year's. The genre marks such a
part in one of two ways:

- its heading names the term: "一、过去五年工作回顾", "一、“十三五”时期经济社会发展回顾" (not
  one naming the year too: "一、2025年和“十四五”时期工作回顾" reviews both, each where it says);
- a lead paragraph naming the term introduces its numbered sections: "五年来，我们…主要做了
  以下工作。" right before "（一）创新宏观调控…" under "一、过去一年和五年工作回顾";
- under a heading naming the year and then the term ("一、2025年和“十四五”时期工作回顾"), the
  address that turns to the term ("各位代表！经过五年接续奋斗，我省“十四五”顺利收官。五年来，…":
  广东 2026; "各位代表！2025年主要目标的完成，标志着“十四五”圆满收官。回首过去五年，…": 西藏
  2026; "各位代表！“十四五”时期是…关键五年。": 海南 2026) opens the term's review, to the
  part's end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from summarizer.lexicon.periods import MULTI_YEAR_WORDS
from summarizer.read.structure import Section, Structure

__all__ = ["FiveYearParts"]

_TERM = re.compile(MULTI_YEAR_WORDS)
_YEAR_TOO = re.compile(r"20\d\d年|一年")
# A paragraph that opens on the term: 五年来 / 过去五年 / 这五年 (a period, not 年均增长).
_TERM_OPENING = re.compile(r"(?:过去的?|这)五年|五年来")
# The address that turns a review of the year and the term to the term.
_TERM_ADDRESS = re.compile(
    rf"^[ \t\u3000]*各位代表[！!，,](?=.*?(?:{MULTI_YEAR_WORDS}))", re.MULTILINE
)


def _paragraph_before(text: str, at: int) -> str:
    """The last non-blank paragraph before offset `at`."""
    for para in reversed(text[max(0, at - 2000) : at].split("\n")):
        if para.strip():
            return para.strip()
    return ""


def _children(sections: list[Section], parent: Section) -> list[Section]:
    return [
        s
        for s in sections
        if s.depth == parent.depth + 1 and parent.start < s.start and s.end <= parent.end
    ]


@dataclass(frozen=True)
class FiveYearParts:
    """The spans of `structure` that review a five-year term (outside its plans parts)."""

    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, structure: Structure) -> FiveYearParts:
        spans = []
        for sec in structure.sections:
            if sec.role == "plans":
                continue
            if _TERM.search(sec.title) and not _YEAR_TOO.search(sec.title):
                spans.append((sec.start, sec.end))
                continue
            if sec.depth == 0 and _TERM.search(sec.title):
                turn = _TERM_ADDRESS.search(structure.text, sec.start, sec.end)
                if turn:
                    spans.append((turn.start(), sec.end))
            kids = _children(structure.sections, sec)
            if kids and _TERM_OPENING.match(_paragraph_before(structure.text, kids[0].start)):
                spans.append((kids[0].start, sec.end))
        return cls(tuple(sorted(spans)))

    def __contains__(self, offset: int) -> bool:
        # spans nest or follow one another: any that starts before `offset` may hold it
        i = bisect_right(self.spans, (offset, float("inf")))
        return any(a <= offset < b for a, b in self.spans[:i])
