"""Structure of a report: heading hierarchy, section roles, web boilerplate and metadata.

Sections are found from the numbered headings these reports are built on (一、 / （一） / 1. /
一是 / "过去一年，我们…" paragraph leads). Each section gets a role — review, problems, plans or
other — from its heading and the formulaic phrases that open problem and plan passages.
Boilerplate (web page debris) spans are recorded so extraction can skip them; the text itself is
never changed.

INTERIM VERSION: a first cut to fix the interface; to be refined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Role", "Section", "Structure", "parse_structure"]

Role = Literal["review", "problems", "plans", "other", "boilerplate"]

_CN_NUM = "一二三四五六七八九十"
_HEADING_RES: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[ \t\u3000]*([{_CN_NUM}]+、)")),
    (2, re.compile(rf"^[ \t\u3000]*([（(][{_CN_NUM}]+[）)])")),
    (3, re.compile(r"^[ \t\u3000]*(\d{1,2}[\.．、](?!\d))")),
]


@dataclass(frozen=True)
class Section:
    """A heading and the body under it. Offsets index the report text; end is exclusive."""

    level: int  # 1 一、  2 （一）  3 1.  4 一是 / paragraph lead
    marker: str  # the numbering as written, e.g. "一、"
    title: str  # the heading text (up to its first sentence end)
    start: int  # where the heading starts
    end: int  # where the section (with its subsections) ends
    role: Role
    path: tuple[str, ...]  # titles of the enclosing sections, outermost first, then this one


@dataclass
class Structure:
    text: str
    sections: list[Section] = field(default_factory=list)  # document order, every level
    boilerplate: list[tuple[int, int]] = field(default_factory=list)  # spans never extracted
    entity: str | None = None
    year: int | None = None
    period: str | None = None
    kind: str = "other"

    def innermost(self, offset: int) -> Section | None:
        """The deepest section containing `offset`, or None in the preamble."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    def role_at(self, offset: int) -> Role:
        for a, b in self.boilerplate:
            if a <= offset < b:
                return "boilerplate"
        sec = self.innermost(offset)
        return sec.role if sec else "other"

    def path_at(self, offset: int) -> tuple[str, ...]:
        sec = self.innermost(offset)
        return sec.path if sec else ()


def _role_of(title: str, parent: Role | None) -> Role:
    if re.search(r"问题|不足|短板|困难|挑战|差距", title):
        return "problems"
    if re.search(r"打算|思路|计划|安排|明年|下半年|展望|目标任务", title):
        return "plans"
    return parent or "review"


def parse_structure(text: str) -> Structure:
    found: list[tuple[int, int, str, str]] = []  # start, level, marker, title
    pos = 0
    for line in text.split("\n"):
        for level, rx in _HEADING_RES:
            m = rx.match(line)
            if m:
                rest = line[m.end() :]
                title = re.split(r"[。；!！?？]", rest, maxsplit=1)[0].strip()[:60]
                found.append((pos + m.start(1), level, m.group(1), title or rest[:30]))
                break
        pos += len(line) + 1
    sections: list[Section] = []
    for i, (start, level, marker, title) in enumerate(found):
        end = len(text)
        for start2, level2, _, _ in found[i + 1 :]:
            if level2 <= level:
                end = start2
                break
        parents = [s for s in sections if s.start < start < s.end and s.level < level]
        parent = parents[-1] if parents else None
        role = _role_of(title, parent.role if parent else None)
        path = (*parent.path, title) if parent else (title,)
        sections.append(Section(level, marker, title, start, end, role, path))
    return Structure(text=text, sections=sections)
