"""Structure of a report: heading hierarchy, section roles, web boilerplate and metadata.

Sections come from the numbered headings the genre is built on (level 1 一、, 2 （一）, 3 1./（1）,
4 一是 and repeated paragraph leads such as "过去一年，我们…"), from unnumbered paragraphs that open
a new part ("展望“十四五”，…", "2021年，…街道将…", 附件/名词解释, the closing "让我们…"; level 0)
and from problem passages inside other sections ("同时我们也清醒看到…存在…问题", level 5).

Roles: a heading's own words decide (工作总结 → review, 存在问题 → problems, 下半年工作计划 →
plans, 学习…精神 → other); otherwise a section inherits its parent's role, and a top-level section
the role of the part it is in. Numbering that restarts at 一 under a frame heading such as
"二、上半年工作总结" nests; after an item heading it starts a new group.

Plan horizons come from the heading or lead (下半年 → second_half, "十五五"/五年 → multi_year,
the year after the one reviewed → next_year); plans that name none follow the report's kind
(annual → next_year, half_year → second_half). A report pasted as one long line is split before
its run-in headings ("…增长。二、抓民生。…") so it still gets its top-level sections.

Lookups (role_at, path_at, innermost, plan_horizon_at) bisect precomputed segments, so the
parse and every query stay linear-ish on 100k-char reports.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from summarizer.lexicon.spaces import SPACES
from summarizer.models import Horizon, Kind
from summarizer.read.boilerplate import find_boilerplate
from summarizer.read.headings import (
    Role,
    heading_role,
    horizon_of,
    match_heading,
    problem_opening,
    title_of,
)
from summarizer.read.meta import guess_entity, guess_kind_period, guess_year
from summarizer.read.paragraphs import (
    APPENDIX,
    CLOSING,
    CONTINUES_LIST,
    LEAD_PREFIX,
    PAST_LEAD,
    SIGNATURE,
    indent_of,
    line_spans,
    part_heading,
    plan_lead,
    repeated_leads,
)

__all__ = ["Section", "Structure", "parse_structure"]

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
    """A parsed report. Treat it as read-only once queried: lookups index it on first use."""

    text: str
    sections: list[Section] = field(default_factory=list)  # document order, every level
    boilerplate: list[tuple[int, int]] = field(default_factory=list)  # spans never extracted
    entity: str | None = None
    year: int | None = None
    period: str | None = None
    kind: Kind = "other"
    _seg_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _seg_inner: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _bp_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _bp_sorted: list[tuple[int, int]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    _indexed: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def _index(self) -> None:
        """Piecewise-constant innermost-section map: one sweep over the (nested) sections."""
        key = (id(self.sections), len(self.sections))
        if self._indexed == key:
            return
        secs = self.sections
        order = sorted(range(len(secs)), key=lambda i: (secs[i].start, secs[i].depth, -secs[i].end))
        starts, inner = [0], [-1]

        def mark(pos: int, idx: int) -> None:
            if pos < starts[-1]:
                return  # only overlapping (not nested) sections built by hand get here
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
        self._bp_sorted = sorted(self.boilerplate)
        self._bp_starts = [a for a, _ in self._bp_sorted]
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
        return i >= 0 and offset < self._bp_sorted[i][1]

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
_BODY_LINE = 60


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
    style: str = "plain"
    para_end: int | None = None  # a one-paragraph item ("一是…。…") closes at its paragraph end


def parse_structure(text: str) -> Structure:
    """Parse `text` into sections, boilerplate spans and metadata. Never raises on any string."""
    boilerplate = find_boilerplate(text)
    spans = line_spans(text)
    lines = [text[a:b] for a, b in spans]
    bp_starts = [a for a, _ in boilerplate]

    def is_bp(a: int) -> bool:
        i = bisect.bisect_right(bp_starts, a) - 1
        return i >= 0 and a < boilerplate[i][1]

    body = [i for i, (a, b) in enumerate(spans) if lines[i].strip(SPACES) and not is_bp(a)]
    heads = {i: match_heading(lines[i]) for i in body}
    leads = repeated_leads([lines[i] for i in body])

    # Metadata that roles and horizons depend on: the year reviewed.
    first_heading = next((i for i, h in heads.items() if h and h.level <= 2), len(lines))
    preamble = [lines[i].strip(SPACES) for i in body if i < first_heading]
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

    def inherit(own: Role | None, own_h: Horizon | None) -> tuple[Role, Horizon | None]:
        parent = stack[-1] if stack else None
        role = own or (parent.role if parent else root_role)
        base_h = parent.horizon if parent else root_horizon
        horizon = own_h or base_h if role == "plans" else None
        return role, horizon or ("unspecified" if role == "plans" else None)

    def place_heading(level: int, kind: SectionKind, number: int | None, style: str) -> int:
        """How deep the stack stays before a new heading is pushed."""
        key = (level, kind, style)
        same = [
            j
            for j in range(len(stack) - 1, -1, -1)
            if (stack[j].level, stack[j].kind, stack[j].style) == key
        ]
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

    sign_from = len(lines)
    for i in reversed(body):
        if not SIGNATURE.match(lines[i].strip(SPACES)):
            break
        sign_from = i
    prev_body, last_body = 0, 0
    seen_body = False  # a title line above the first paragraph of text is no part heading

    def open_passage(seg: str, seg_start: int, line_end: int) -> _Open | None:
        """A problems passage opening in `seg` (text at `seg_start`), recorded and returned."""
        nonlocal passage_absorbs_l3
        at = problem_opening(seg, window=len(seg))
        if at is None or seg_start + at >= line_end:
            return None
        parent = stack[-1] if stack else None
        title = title_of(seg[at:], 40)
        found = _Open(5, "passage", None, "", title, seg_start + at, "problems", None, False, ())
        found.path = (*parent.path, title) if parent else (title,)
        found.end = line_end
        passage_absorbs_l3 = seg.rstrip("。").endswith(("：", ":"))
        out.append(found)
        return found

    for i in body:
        prev_body, last_body = last_body, i
        a, b = spans[i]
        line = lines[i]
        para = line.strip(SPACES)
        indent = a + indent_of(line)
        h = heads[i]
        lead = None if h else LEAD_PREFIX.match(para)
        is_lead = lead is not None and lead.group(1) in leads

        if passage is not None:
            absorbs = (
                h is not None and (h.level == 4 or (h.level == 3 and passage_absorbs_l3))
            ) or (h is None and not is_lead and CONTINUES_LIST.match(para) is not None)
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
            style = h.style if h else "lead"
            depth = place_heading(level, kind, number, style)
            close_to(depth, indent)
            own = heading_role(title, top_level=not stack)
            if kind == "lead" and own is None and lead and PAST_LEAD.search(lead.group(1)):
                own = "review"
            if own is None and not stack and horizon_of(title, year) == "next_year":
                own = "plans"  # "二、2024年…" in a report on 2023
            if stack and stack[-1].role == "other" and own not in ("review", "plans", "problems"):
                own = "other"  # items of a study section or an appendix stay "other"
            role, horizon = inherit(own, horizon_of(title, year))
            frame = own is not None and level <= 2
            sec = _Open(
                level, kind, number, h.marker if h else "", title, indent, role, horizon, frame, ()
            )
            sec.style = style
            if level == 4 and len(para) > len(title) + 24:
                sec.para_end = b
            push(sec)
            if h is not None and role != "problems" and len(para) > len(title) + 24:
                passage = open_passage(line[h.body :], a + h.body, b)  # run-in body text
            continue

        if stack and stack[-1].para_end is not None:
            close_to(len(stack) - 1, stack[-1].para_end)  # the item was its own paragraph
        if (
            stack
            and stack[-1].kind == "part"
            and stack[-1].role == "other"
            and APPENDIX.match(stack[-1].title)
            and stack[-1].start == spans[prev_body][0] + indent_of(lines[prev_body])
            and len(para) <= 30
            and horizon_of(para, year) == "next_year"
        ):
            stack[-1].role, stack[-1].horizon = "plans", "next_year"  # 附件 "2026年十件民生实事"

        current = stack[-1] if stack else None
        cur_role = current.role if current else "other"
        plan_h = plan_lead(para, year)
        closing = CLOSING.match(para) is not None and "让我们" in para and a > len(text) // 2
        if APPENDIX.match(para) or closing or i == sign_from:
            close_to(0, indent)
            push(_Open(0, "part", None, "", title_of(para, 24), indent, "other", None, True, ()))
            continue
        in_appendix = current is not None and current.role == "other" and current.kind == "part"
        part_role = part_heading(para) if seen_body and not in_appendix else None
        if part_role is not None:
            close_to(0, indent)
            part_h = (horizon_of(para, year) or "unspecified") if part_role == "plans" else None
            title = title_of(para, 24)
            push(_Open(0, "part", None, "", title, indent, part_role, part_h, True, ()))
            continue
        seen_body = seen_body or len(para) > _BODY_LINE
        if (
            plan_h is not None
            and not in_appendix
            and (
                cur_role != "plans"
                or (plan_h != "unspecified" and current is not None and current.horizon != plan_h)
            )
        ):
            close_to(0, indent)
            push(_Open(0, "part", None, "", title_of(para, 24), indent, "plans", plan_h, True, ()))
            continue
        if cur_role not in ("problems", "boilerplate"):
            passage = open_passage(para, indent, b)

    close_to(0, len(text))
    head = "\n".join(body_lines[:15])
    all_review = review_titles + [s.title for s in out if s.kind == "lead" and s.role == "review"]
    horizons = [s.horizon for s in out if s.role == "plans" and s.horizon]
    kind_, period = guess_kind_period(year, stated, head, all_review, horizons)
    # Plans that name no horizon are, in a yearly report, for next year; in a half-year
    # report, for the second half ("下一步工作打算" in a 2023年工作总结 is 2024's work).
    kind_horizon: dict[Kind, Horizon] = {"annual": "next_year", "half_year": "second_half"}
    default_h = kind_horizon.get(kind_, "unspecified")
    sections = [
        Section(
            sec.level,
            sec.marker,
            sec.title,
            sec.start,
            max(sec.end, sec.start + 1),
            sec.role,
            sec.path,
            len(sec.path) - 1,
            sec.number,
            default_h if sec.horizon == "unspecified" else sec.horizon,
            sec.kind,
        )
        for sec in out
    ]
    sections.sort(key=lambda s: (s.start, s.depth))
    return Structure(
        text=text,
        sections=sections,
        boilerplate=boilerplate,
        entity=guess_entity(body_lines),
        year=year,
        period=period,
        kind=kind_,
    )
