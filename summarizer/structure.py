"""Structure of a report: heading hierarchy, section roles, web boilerplate and metadata.

Sections come from the numbered headings the genre is built on (level 1 一、, 2 （一）, 3 1./（1）,
4 一是 and repeated paragraph leads such as "过去一年，我们…"), from unnumbered paragraphs that open
a new part ("展望“十四五”，…", "2021年，…街道将…", 附件/名词解释, the closing "让我们…"; level 0)
and from problem passages inside other sections ("同时我们也清醒看到…存在…问题", level 5).

Roles: a heading's own words decide (工作总结 → review, 存在问题 → problems, 下半年工作计划 →
plans, 学习…精神 → other); otherwise a section inherits its parent's role, and a top-level section
the role of the part it is in. Numbering that restarts at 一 under a frame heading such as
"二、上半年工作总结" nests; after an item heading it starts a new group.

Lookups (role_at, path_at, innermost, plan_horizon_at) bisect precomputed segments, so the
parse and every query stay linear-ish on 100k-char reports.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from .boilerplate import find_boilerplate
from .headings import Horizon, heading_role, horizon_of, match_heading, problem_opening, title_of
from .structure_meta import guess_entity, guess_kind_period, guess_year, upcoming_plan_name

__all__ = ["Horizon", "Role", "Section", "Structure", "parse_structure"]

Role = Literal["review", "problems", "plans", "other", "boilerplate"]
SectionKind = Literal["heading", "lead", "part", "passage"]


@dataclass(frozen=True)
class Section:
    """A heading and the body under it. Offsets index the report text; end is exclusive."""

    level: int  # 0 part lead, 1 一、, 2 （一）, 3 1., 4 一是 / paragraph lead, 5 passage
    marker: str  # the numbering as written, e.g. "一、" ("" for leads, parts, passages)
    title: str  # the heading text (up to its first sentence end)
    start: int  # where the heading starts
    end: int  # where the section (with its subsections) ends
    role: Role
    path: tuple[str, ...]  # titles of the enclosing sections, outermost first, then this one
    depth: int = 0  # nesting depth in the section tree (0 = outermost)
    number: int | None = None  # the numeral's value (一 → 1); None for parts and passages
    horizon: Horizon | None = None  # plans sections: next_year | second_half | multi_year | ...
    kind: SectionKind = "heading"


@dataclass
class Structure:
    text: str
    sections: list[Section] = field(default_factory=list)  # document order, every level
    boilerplate: list[tuple[int, int]] = field(default_factory=list)  # spans never extracted
    entity: str | None = None
    year: int | None = None
    period: str | None = None
    kind: str = "other"
    _seg_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _seg_inner: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _bp_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _indexed: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def _index(self) -> None:
        """Piecewise-constant innermost-section map: one sweep over the (nested) sections."""
        key = (id(self.sections), len(self.sections))
        if self._indexed == key:
            return
        order = sorted(range(len(self.sections)), key=lambda i: (self.sections[i].start, -i))
        order.sort(key=lambda i: (self.sections[i].start, self.sections[i].depth))
        starts, inner = [0], [-1]

        def mark(pos: int, idx: int) -> None:
            if starts[-1] == pos:
                inner[-1] = idx
            else:
                starts.append(pos)
                inner.append(idx)

        stack: list[int] = []
        for i in order:
            s = self.sections[i]
            while stack and self.sections[stack[-1]].end <= s.start:
                j = stack.pop()
                mark(self.sections[j].end, stack[-1] if stack else -1)
            stack.append(i)
            mark(s.start, i)
        while stack:
            j = stack.pop()
            mark(self.sections[j].end, stack[-1] if stack else -1)
        self._seg_starts, self._seg_inner = starts, inner
        self._bp_starts = [a for a, _ in self.boilerplate]
        self._indexed = key

    def innermost(self, offset: int) -> Section | None:
        """The deepest section containing `offset`, or None in the preamble."""
        self._index()
        i = bisect.bisect_right(self._seg_starts, offset) - 1
        idx = self._seg_inner[i] if i >= 0 else -1
        return self.sections[idx] if idx >= 0 else None

    def in_boilerplate(self, offset: int) -> bool:
        self._index()
        i = bisect.bisect_right(self._bp_starts, offset) - 1
        return i >= 0 and offset < self.boilerplate[i][1]

    def role_at(self, offset: int) -> Role:
        if self.in_boilerplate(offset):
            return "boilerplate"
        sec = self.innermost(offset)
        return sec.role if sec else "other"

    def path_at(self, offset: int) -> tuple[str, ...]:
        sec = self.innermost(offset)
        return sec.path if sec else ()

    def plan_horizon_at(self, offset: int) -> Horizon:
        """The horizon of the plans section at `offset`; "unspecified" elsewhere or if unknown."""
        sec = self.innermost(offset)
        if sec is None or sec.role != "plans":
            return "unspecified"
        return sec.horizon or "unspecified"

    def role_boundaries(self) -> list[int]:
        """Offsets where role_at changes value, in order (excluding 0)."""
        self._index()
        points = set(self._seg_starts)
        for a, b in self.boilerplate:
            points.update((a, b))
        out, prev = [], self.role_at(0) if self.text else "other"
        for p in sorted(points):
            if 0 < p < len(self.text):
                r = self.role_at(p)
                if r != prev:
                    out.append(p)
                    prev = r
        return out


# --- parsing -------------------------------------------------------------------------------
_WS = " \t\u3000\xa0\ufeff"
_LEAD_PREFIX = re.compile(r"^([^，,。：:；;、\s]{2,6})[，,]")
_LEAD_TIME = re.compile(r"(?:年|来|期间|时期)$|^(?:过去|这)")
_PAST_LEAD = re.compile(r"来$|以来|过去|^这一?年|^这五年")
_CONTINUES_LIST = re.compile(r"^(?:[一二三四五六七八九十]是|其次|再次|此外|另外|还有|最后|与此同时)")
_APPENDIX = re.compile(r"^(?:附件\s*\d*|附录|附表|名词解释|注释|注解)[:：]?$")
_CLOSING = re.compile(r"^(?:各位代表|同志们|让我们)")
_PLAN_LEAD = re.compile(
    r"^(?:展望|下一步|下半年|明年|新的一年|今后(?:一个时期|一段时期|五年)?|未来五年)"
    r"|^(20\d\d)年[，,]?(?:是|我们将|[^。]{0,16}将)"
    r"|^“?(十[一二三四五六七八九]五)”?(?:时期|期间|规划)?"
)


@dataclass
class _Open:
    level: int
    kind: SectionKind
    number: int | None
    marker: str
    title: str
    start: int
    role: Role
    horizon: Horizon | None
    frame: bool
    path: tuple[str, ...]
    end: int = -1
    para_end: int | None = None  # a one-paragraph item ("一是…。…") closes at its paragraph end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(_WS))


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _repeated_leads(lines: list[str]) -> set[str]:
    """Line-opening phrases ("过去一年", "半年来") a report uses as its item structure."""
    counts: Counter[str] = Counter()
    for line in lines:
        m = _LEAD_PREFIX.match(line.lstrip(_WS))
        if m and _LEAD_TIME.search(m.group(1)) and not match_heading(line):
            counts[m.group(1)] += 1
    return {p for p, c in counts.items() if c >= 3}


def _plan_lead(para: str, year: int | None) -> Horizon | None:
    """The horizon of a paragraph that opens a plans part, or None if it opens none."""
    m = _PLAN_LEAD.match(para)
    if not m:
        return None
    if m.group(1) and (year is None or int(m.group(1)) <= year):
        return None  # "2020年，…" in a report on 2020 is review
    if m.group(2) and m.group(2) != upcoming_plan_name(year):
        return None  # "“十四五”时期，…" in a 2025 report looks back
    return horizon_of(title_of(para), year) or "unspecified"


def parse_structure(text: str) -> Structure:
    """Parse `text` into sections, boilerplate spans and metadata. Never raises on any string."""
    boilerplate = find_boilerplate(text)
    spans = _line_spans(text)
    lines = [text[a:b] for a, b in spans]
    bp_starts = [a for a, _ in boilerplate]

    def is_bp(a: int) -> bool:
        i = bisect.bisect_right(bp_starts, a) - 1
        return i >= 0 and a < boilerplate[i][1]

    body = [i for i, (a, b) in enumerate(spans) if lines[i].strip(_WS) and not is_bp(a)]
    heads = {i: match_heading(lines[i]) for i in body}
    leads = _repeated_leads([lines[i] for i in body])

    # Metadata that roles and horizons depend on: the year reviewed.
    first_heading = next((i for i, h in heads.items() if h and h.level <= 2), len(lines))
    preamble = [lines[i].strip(_WS) for i in body if i < first_heading]
    review_titles: list[str] = []
    plan_titles: list[str] = []
    for i in body:
        h = heads[i]
        if h and h.level <= 2:
            t = title_of(lines[i][h.body :])
            r = heading_role(t, top_level=True)
            (review_titles if r == "review" else plan_titles if r == "plans" else []).append(t)
    body_lines = [lines[i] for i in body]
    year, stated = guess_year(body_lines, review_titles, plan_titles, preamble)

    out: list[_Open] = []
    stack: list[_Open] = []
    passage: _Open | None = None
    passage_absorbs_l3 = False
    root_role: Role = "review"
    root_horizon: Horizon | None = None
    last_root: tuple[int, str, int | None] | None = None

    def close_to(depth: int, pos: int) -> None:
        while len(stack) > depth:
            stack.pop().end = pos

    def push(sec: _Open) -> None:
        nonlocal root_role, root_horizon, last_root
        parent = stack[-1] if stack else None
        sec.path = (*parent.path, sec.title) if parent else (sec.title,)
        if not stack and sec.kind != "part":
            last_root = (sec.level, sec.kind, sec.number)
        if not stack and sec.frame and sec.role in ("review", "plans", "problems"):
            root_role, root_horizon = sec.role, sec.horizon
        stack.append(sec)
        out.append(sec)

    def inherit(own: str | None, own_h: Horizon | None) -> tuple[Role, Horizon | None]:
        parent = stack[-1] if stack else None
        role: Role = own or (parent.role if parent else root_role)  # type: ignore[assignment]
        base_h = parent.horizon if parent else root_horizon
        horizon = own_h or base_h if role == "plans" else None
        return role, horizon or ("unspecified" if role == "plans" else None)

    def place_heading(level: int, kind: SectionKind, number: int | None) -> int:
        """How deep the stack stays before a new heading is pushed."""
        same = [j for j in range(len(stack) - 1, -1, -1) if (stack[j].level, stack[j].kind) == (level, kind)]
        for j in same:
            prev = stack[j].number
            if number is not None and prev is not None and number == prev + 1:
                return j
        if (
            stack
            and stack[0].kind == "part"
            and last_root == (level, kind, None if number is None else number - 1)
        ):
            return 0  # "二、" after "一、" resumes the top-level sequence and ends the part
        if same:
            j = same[0]
            return j + 1 if number == 1 and stack[j].frame else j
        depth = len(stack)
        while depth and stack[depth - 1].level > level and stack[depth - 1].kind != "part":
            depth -= 1
        return depth

    prev_body, last_body = 0, 0
    for i in body:
        prev_body, last_body = last_body, i
        a, b = spans[i]
        line = lines[i]
        para = line.strip(_WS)
        indent = a + _indent(line)
        h = heads[i]
        lead = None if h else _LEAD_PREFIX.match(para)
        is_lead = lead is not None and lead.group(1) in leads

        if passage is not None:
            absorbs = (h is not None and (h.level == 4 or (h.level == 3 and passage_absorbs_l3))) or (
                h is None and not is_lead and _CONTINUES_LIST.match(para) is not None
            )
            if absorbs:
                passage.end = b
                continue
            passage = None

        if h is not None or is_lead:
            level = h.level if h else 4
            kind: SectionKind = "heading" if h else "lead"
            number = h.number if h else None
            if kind == "lead":
                prev_same = [s for s in stack if s.kind == "lead"]
                number = (prev_same[-1].number or 0) + 1 if prev_same else 1
            title = title_of(line[h.body :] if h else para, 60 if h else 40)
            depth = place_heading(level, kind, number)
            close_to(depth, indent)
            own = heading_role(title, top_level=not stack)
            if kind == "lead" and own is None and lead and _PAST_LEAD.search(lead.group(1)):
                own = "review"
            if stack and stack[-1].role == "other" and own not in ("review", "plans", "problems"):
                own = "other"  # items of a study section or an appendix stay "other"
            role, horizon = inherit(own, horizon_of(title, year))
            frame = own is not None and level <= 2
            sec = _Open(level, kind, number, h.marker if h else "", title, indent, role, horizon, frame, ())
            if level == 4 and len(para) > len(title) + 24:
                sec.para_end = b
            push(sec)
            continue

        if stack and stack[-1].para_end is not None:
            close_to(len(stack) - 1, stack[-1].para_end)  # the item was its own paragraph
        if (
            stack
            and stack[-1].kind == "part"
            and stack[-1].role == "other"
            and stack[-1].start == spans[prev_body][0] + _indent(lines[prev_body])
            and len(para) <= 30
            and horizon_of(para, year) == "next_year"
        ):
            stack[-1].role, stack[-1].horizon = "plans", "next_year"  # 附件 "2026年十件民生实事"

        current = stack[-1] if stack else None
        cur_role = current.role if current else "other"
        plan_h = _plan_lead(para, year)
        closing = (
            _CLOSING.match(para) is not None and "让我们" in para and a > len(text) // 2
        )
        if _APPENDIX.match(para) or closing:
            close_to(0, indent)
            push(_Open(0, "part", None, "", title_of(para, 24), indent, "other", None, True, ()))
            continue
        in_appendix = current is not None and current.role == "other" and current.kind == "part"
        if (
            plan_h is not None
            and not in_appendix
            and (cur_role != "plans" or (current and current.horizon != plan_h))
        ):
            close_to(0, indent)
            push(_Open(0, "part", None, "", title_of(para, 24), indent, "plans", plan_h, True, ()))
            continue
        if cur_role not in ("problems", "boilerplate"):
            at = problem_opening(para)
            if at is not None:
                start = indent + at
                parent = stack[-1] if stack else None
                passage = _Open(
                    5,
                    "passage",
                    None,
                    "",
                    title_of(para[at:], 40),
                    start,
                    "problems",
                    None,
                    False,
                    (*parent.path, title_of(para[at:], 40)) if parent else (title_of(para[at:], 40),),
                    end=b,
                )
                passage_absorbs_l3 = para.rstrip("。").endswith(("：", ":"))
                out.append(passage)

    close_to(0, len(text))
    depth_of: dict[int, int] = {}
    sections: list[Section] = []
    for sec in out:
        depth = len(sec.path) - 1
        depth_of[id(sec)] = depth
        sections.append(
            Section(
                sec.level,
                sec.marker,
                sec.title,
                sec.start,
                max(sec.end, sec.start + 1),
                sec.role,
                sec.path,
                depth,
                sec.number,
                sec.horizon,
                sec.kind,
            )
        )
    sections.sort(key=lambda s: (s.start, s.depth))

    head = "\n".join(body_lines[:15])
    all_review = review_titles + [s.title for s in sections if s.kind == "lead" and s.role == "review"]
    horizons = [s.horizon for s in sections if s.role == "plans" and s.horizon]
    kind_, period = guess_kind_period(year, stated, head, all_review, horizons)
    return Structure(
        text=text,
        sections=sections,
        boilerplate=boilerplate,
        entity=guess_entity(body_lines),
        year=year,
        period=period,
        kind=kind_,
    )
