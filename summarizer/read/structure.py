"""Structure of a report: heading hierarchy, section roles, web boilerplate and metadata.

Sections come from the numbered headings the genre is built on (level 1 一、, 2 （一）, 3 1./（1）,
4 一是 and repeated paragraph leads such as "过去一年，我们…"), from unnumbered paragraphs that open
a new part ("展望“十四五”，…", "2021年，…街道将…", 附件/名词解释, the closing appeal "各位代表！
…让我们…", its address on a line of its own or not; level 0) and from problem passages inside
other sections ("同时我们也清醒看到…存在…问题", level 5). No section runs on into the page's
footer (link lists, a licence): the last ones end where the report does.

Roles: a heading's own words decide (工作总结 → review, 存在问题 → problems, 下半年工作计划 →
plans, 学习…精神 → other); otherwise a section inherits its parent's role, and a top-level section
the role of the part it is in. Numbering that restarts at 一 under a frame heading such as
"二、上半年工作总结" nests; after an item heading it starts a new group.

Plan horizons come from the heading or lead (下半年 → second_half, "十五五"/五年 → multi_year,
the year after the one reviewed → next_year); plans that name none follow the report's kind
(annual → next_year, half_year → second_half). A report pasted as one long line is split before
its run-in headings ("…增长。二、抓民生。…") so it still gets its top-level sections.

Parsing reads the page first (`_read_page`: body lines without web debris, the year reviewed),
then `_Parser` takes each line to one rule: a line that continues a problems passage, a numbered
heading or lead (placed in the open stack), a paragraph that opens a part, or one that opens a
problems passage.

Lookups (role_at, path_at, innermost, plan_horizon_at) bisect precomputed segments, so the
parse and every query stay linear-ish on 100k-char reports.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from summarizer.lexicon.spaces import SPACES
from summarizer.models import Horizon, Kind
from summarizer.read.boilerplate import find_boilerplate
from summarizer.read.headings import (
    LineHeading,
    Role,
    heading_role,
    horizon_of,
    match_heading,
    problem_opening,
    title_of,
)
from summarizer.read.meta import guess_entity, guess_kind_period, guess_year, reviews_the_year
from summarizer.read.paragraphs import (
    APPENDIX,
    CLOSING,
    CONTINUES_LIST,
    LEAD_PREFIX,
    PAST_LEAD,
    SALUTATION,
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

    def plans_at(self, offset: int) -> bool:
        """Whether what is written at `offset` is planned: in a plans section, or in a problems
        passage a plans section holds. A plan item may name the problem its task answers ("加快农业
        结构调整。…但也面临库存大幅增加等问题。要…今年退耕还林还草1500万亩以上"): the passage is
        the task's reason, and its figures are the plan's."""
        sec = self.innermost(offset)
        if sec is None or self.in_boilerplate(offset):
            return False
        if sec.role == "plans":
            return True
        return sec.kind == "passage" and self._holder_role(sec) == "plans"

    def _holder_role(self, sec: Section) -> Role | None:
        """The role of the section right above `sec` (asked only for passages: few)."""
        holders = [
            h
            for h in self.sections
            if h is not sec and h.start <= sec.start and sec.end <= h.end and h.depth < sec.depth
        ]
        return max(holders, key=lambda h: h.depth).role if holders else None

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
# A paragraph this long is report text: a short line above the first one is a title line.
_BODY_LINE = 60
# A heading line this much longer than its title runs its body text on after the title.
_RUN_ON = 24


@dataclass
class _Open:
    """A section being read: its end is set when a later line closes it."""

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


@dataclass(frozen=True)
class _Line:
    """A non-blank line outside the web debris, as the parser reads it."""

    start: int  # where the line starts
    end: int  # where it ends (before its newline)
    text: str  # the line as written
    para: str  # the line without its surrounding blanks
    indent: int  # where its first visible character is: sections start there
    heading: LineHeading | None
    lead: re.Match[str] | None  # the lead phrase of a line without a heading ("过去一年，")
    is_lead: bool  # the lead is one the report repeats as its item structure

    def runs_on(self, title: str) -> bool:
        return len(self.para) > len(title) + _RUN_ON


@dataclass(frozen=True)
class _Page:
    """The report's body lines and what is read off them before the sections."""

    text: str
    boilerplate: list[tuple[int, int]]
    lines: list[_Line]
    end: int  # where the report ends: before the page's footer, if it has one
    review_titles: list[str]  # top-level headings whose words make them a review
    year: int | None
    stated: bool  # the text states the year it reviews

    @property
    def body_lines(self) -> list[str]:
        return [line.text for line in self.lines]


def _read_page(text: str) -> _Page:
    """The body lines (blank lines and web debris left out) and the year reviewed."""
    boilerplate = find_boilerplate(text)
    bp_starts = [a for a, _ in boilerplate]

    def is_bp(a: int) -> bool:
        i = bisect.bisect_right(bp_starts, a) - 1
        return i >= 0 and a < boilerplate[i][1]

    raw = [(a, b, text[a:b]) for a, b in line_spans(text)]
    raw = [(a, b, s) for a, b, s in raw if s.strip(SPACES) and not is_bp(a)]
    heads = [match_heading(s) for _, _, s in raw]
    leads = repeated_leads([s for _, _, s in raw])
    lines = []
    for (a, b, s), h in zip(raw, heads, strict=True):
        para = s.strip(SPACES)
        lead = None if h else LEAD_PREFIX.match(para)
        is_lead = lead is not None and lead.group(1) in leads
        lines.append(_Line(a, b, s, para, a + indent_of(s), h, lead, is_lead))
    review_titles, plan_titles = _top_titles(lines)
    first_heading = next((k for k, h in enumerate(heads) if h and h.level <= 2), len(lines))
    preamble = [line.para for line in lines[:first_heading]]
    body_lines = [line.text for line in lines]
    year, stated = guess_year(body_lines, review_titles, plan_titles, preamble)
    end = _report_end(text, boilerplate, lines)
    return _Page(text, boilerplate, lines, end, review_titles, year, stated)


def _report_end(text: str, boilerplate: list[tuple[int, int]], lines: list[_Line]) -> int:
    """The start of the debris after the last body line (a footer, link lists, a licence):
    no section runs on into it. The end of the text when there is none."""
    last = lines[-1].end if lines else 0
    return next((a for a, _ in boilerplate if a >= last), len(text))


def _top_titles(lines: list[_Line]) -> tuple[list[str], list[str]]:
    """Titles of the level 1/2 headings whose words make them a review, and a plan."""
    review: list[str] = []
    plans: list[str] = []
    for line in lines:
        h = line.heading
        if h and h.level <= 2:
            title = title_of(line.text[h.body :])
            role = heading_role(title, top_level=True)
            (review if role == "review" else plans if role == "plans" else []).append(title)
    return review, plans


def _signature_start(lines: list[_Line]) -> int:
    """Index of the first line of the sign-off under the report (len(lines) when none)."""
    start = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        if not SIGNATURE.match(lines[k].para):
            break
        start = k
    return start


class _Parser:
    """Reads the body lines in order, keeping the stack of sections the current line is in.

    Every section read goes into `opened` in the order it opened; a problems passage is recorded
    there but never stacked (it only runs over the list that follows its opening).
    """

    def __init__(self, page: _Page) -> None:
        self.text = page.text
        self.year = page.year
        self.opened: list[_Open] = []
        self.stack: list[_Open] = []
        self.passage: _Open | None = None  # the problems passage the next line may continue
        self.passage_takes_l3 = False  # it ends in "：", so its "1." items are its own
        self.root_role: Role = "review"  # the role of a top-level section with no words of its own
        self.root_horizon: Horizon | None = None
        self.last_root: tuple[int, SectionKind, int | None] | None = None
        self.prev_line: _Line | None = None  # the body line before this one
        self.seen_body = False  # a title line above the first paragraph of text is no part heading

    def read(self, lines: list[_Line], end: int) -> list[_Open]:
        sign_from = _signature_start(lines)
        for k, line in enumerate(lines):
            self.feed(line, signs_off=k == sign_from)
            self.prev_line = line
        self.close_to(0, end)
        return self.opened

    def feed(self, line: _Line, signs_off: bool) -> None:
        if self.passage is not None and self._continues_passage(line):
            self.passage.end = line.end
            return
        self.passage = None
        if line.heading is not None or line.is_lead:
            self._open_heading(line)
        else:
            self._read_paragraph(line, signs_off)

    # --- the stack ---------------------------------------------------------------------------
    @property
    def current(self) -> _Open | None:
        return self.stack[-1] if self.stack else None

    def close_to(self, depth: int, pos: int) -> None:
        """Close every open section deeper than `depth` at `pos`."""
        while len(self.stack) > depth:
            self.stack.pop().end = pos

    def push(self, sec: _Open) -> None:
        parent = self.current
        sec.path = (*parent.path, sec.title) if parent else (sec.title,)
        if not self.stack and sec.kind != "part":
            self.last_root = (sec.level, sec.kind, sec.number)
        if not self.stack and sec.frame and sec.role in ("review", "plans", "problems"):
            # a top-level frame ("二、上半年工作总结") gives its role to the groups after it
            self.root_role, self.root_horizon = sec.role, sec.horizon
        self.stack.append(sec)
        self.opened.append(sec)

    def open_part(self, line: _Line, role: Role, horizon: Horizon | None) -> None:
        """An unnumbered paragraph that opens a new part of the report (level 0)."""
        self.close_to(0, line.indent)
        title = title_of(line.para, 24)
        self.push(_Open(0, "part", None, "", title, line.indent, role, horizon, True, ()))

    def inherit(self, own: Role | None, own_h: Horizon | None) -> tuple[Role, Horizon | None]:
        """A section's role and horizon: its own words', else its parent's, else the root's."""
        parent = self.current
        role = own or (parent.role if parent else self.root_role)
        base_h = parent.horizon if parent else self.root_horizon
        horizon = own_h or base_h if role == "plans" else None
        return role, horizon or ("unspecified" if role == "plans" else None)

    # --- numbered headings and repeated leads ------------------------------------------------
    def _open_heading(self, line: _Line) -> None:
        h = line.heading
        level = h.level if h else 4
        kind: SectionKind = "heading" if h else "lead"
        number = h.number if h else self._next_lead_number()
        title = title_of(line.text[h.body :] if h else line.para, 60 if h else 40)
        style = h.style if h else "lead"
        self.close_to(self._depth_before(level, kind, number, style), line.indent)
        own = self._own_role(line, kind, title)
        role, horizon = self.inherit(own, horizon_of(title, self.year))
        frame = own is not None and level <= 2
        marker = h.marker if h else ""
        sec = _Open(level, kind, number, marker, title, line.indent, role, horizon, frame, ())
        sec.style = style
        if level == 4 and line.runs_on(title):
            sec.para_end = line.end
        self.push(sec)
        if h is not None and role != "problems" and line.runs_on(title):
            # the heading's run-in body text may open a problems passage itself
            self.passage = self._open_passage(line.text[h.body :], line.start + h.body, line.end)

    def _next_lead_number(self) -> int:
        """Leads carry no numeral: they count on from the last lead open."""
        leads = [s for s in self.stack if s.kind == "lead"]
        return (leads[-1].number or 0) + 1 if leads else 1

    def _depth_before(self, level: int, kind: SectionKind, number: int | None, style: str) -> int:
        """How deep the stack stays before a new heading is pushed."""
        key = (level, kind, style)
        stack = self.stack
        same = [
            j
            for j in range(len(stack) - 1, -1, -1)
            if (stack[j].level, stack[j].kind, stack[j].style) == key
        ]
        for j in same:
            prev = stack[j].number
            if number is not None and prev is not None and number == prev + 1:
                return j  # the next numeral of an open sequence: its sibling
        if (
            stack
            and stack[0].kind == "part"
            and self.last_root == (level, kind, None if number is None else number - 1)
        ):
            return 0  # "二、" after "一、" resumes the top-level sequence and ends the part
        if same:
            j = same[0]
            # numbering that restarts at 1 under a frame heading nests; elsewhere it is a sibling
            return j + 1 if number == 1 and stack[j].frame else j
        depth = len(stack)
        while depth and stack[depth - 1].level > level and stack[depth - 1].kind != "part":
            depth -= 1
        return depth

    def _own_role(self, line: _Line, kind: SectionKind, title: str) -> Role | None:
        """The role a heading's own words (or its place) give it; None to inherit."""
        current = self.current
        in_plans = current is not None and current.role == "plans"
        own = heading_role(title, top_level=not self.stack, in_plans=in_plans)
        lead = line.lead
        if kind == "lead" and own is None and lead and PAST_LEAD.search(lead.group(1)):
            own = "review"
        if own is None and not self.stack and horizon_of(title, self.year) == "next_year":
            own = "plans"  # "二、2024年…" in a report on 2023
        if current and current.role == "other" and own not in ("review", "plans", "problems"):
            own = "other"  # items of a study section or an appendix stay "other"
        return own

    # --- unnumbered paragraphs -----------------------------------------------------------------
    def _read_paragraph(self, line: _Line, signs_off: bool) -> None:
        current = self.current
        if current is not None and current.para_end is not None:
            self.close_to(len(self.stack) - 1, current.para_end)  # the item was its own paragraph
        self._appendix_of_plans(line)
        if self._opens_other_part(line, signs_off) or self._opens_headed_part(line):
            return
        self.seen_body = self.seen_body or len(line.para) > _BODY_LINE
        if self._opens_plans_part(line):
            return
        if self._role_here not in ("problems", "boilerplate"):
            self.passage = self._open_passage(line.para, line.indent, line.end)

    @property
    def _role_here(self) -> Role:
        current = self.current
        return current.role if current else "other"

    @property
    def _in_appendix(self) -> bool:
        current = self.current
        return current is not None and current.role == "other" and current.kind == "part"

    def _appendix_of_plans(self, line: _Line) -> None:
        """An appendix titled on its next line by the coming year ("附件" / "2026年十件民生实事")
        lists plans."""
        current = self.current
        if (
            current is not None
            and current.kind == "part"
            and current.role == "other"
            and APPENDIX.match(current.title)
            and self.prev_line is not None
            and current.start == self.prev_line.indent
            and len(line.para) <= 30
            and horizon_of(line.para, self.year) == "next_year"
        ):
            current.role, current.horizon = "plans", "next_year"

    def _opens_other_part(self, line: _Line, signs_off: bool) -> bool:
        """An appendix, the closing appeal or the sign-off."""
        if APPENDIX.match(line.para) or signs_off:
            self.open_part(line, "other", None)
            return True
        opening = self._closing_appeal(line)
        if opening is not None:
            self.open_part(opening, "other", None)
            return True
        return False

    def _closing_appeal(self, line: _Line) -> _Line | None:
        """The line that opens the closing appeal ("各位代表！…让我们…", in the second half), when
        `line` is its paragraph: `line` itself, or the address alone on the line before it."""
        para = line.para
        if "让我们" not in para or line.start <= len(self.text) // 2:
            return None
        if CLOSING.match(para):
            return line
        prev = self.prev_line
        if prev is not None and SALUTATION.match(prev.para) and not self._opened_after(prev):
            return prev
        return None

    def _opened_after(self, line: _Line) -> bool:
        """A section opened at or after `line` (so the part cannot start there)."""
        return bool(self.opened) and self.opened[-1].start >= line.indent

    def _opens_headed_part(self, line: _Line) -> bool:
        """An unnumbered part heading after the text has begun ("2024年工作安排")."""
        if not self.seen_body or self._in_appendix:
            return False
        role = part_heading(line.para)
        if role is None:
            return False
        horizon = (horizon_of(line.para, self.year) or "unspecified") if role == "plans" else None
        self.open_part(line, role, horizon)
        return True

    def _opens_plans_part(self, line: _Line) -> bool:
        """A paragraph that turns to what will be done ("展望“十四五”，…", "2021年，…将…"),
        unless the report is already in a plans section of the same horizon."""
        horizon = plan_lead(line.para, self.year)
        if horizon is None or self._in_appendix:
            return False
        current = self.current
        same_plans = self._role_here == "plans" and (
            horizon == "unspecified" or current is None or current.horizon == horizon
        )
        if same_plans:
            return False
        self.open_part(line, "plans", horizon)
        return True

    # --- problem passages ----------------------------------------------------------------------
    def _continues_passage(self, line: _Line) -> bool:
        """The passage's list goes on: 一是/其次… items (and "1." items after a "：")."""
        h = line.heading
        if h is not None:
            return h.level == 4 or (h.level == 3 and self.passage_takes_l3)
        return not line.is_lead and CONTINUES_LIST.match(line.para) is not None

    def _open_passage(self, seg: str, seg_start: int, line_end: int) -> _Open | None:
        """A problems passage opening in `seg` (text at `seg_start`), recorded and returned."""
        at = problem_opening(seg, window=len(seg))
        if at is None or seg_start + at >= line_end:
            return None
        parent = self.current
        title = title_of(seg[at:], 40)
        found = _Open(5, "passage", None, "", title, seg_start + at, "problems", None, False, ())
        found.path = (*parent.path, title) if parent else (title,)
        found.end = line_end
        self.passage_takes_l3 = seg.rstrip("。").endswith(("：", ":"))
        self.opened.append(found)
        return found


def _section(sec: _Open, default_h: Horizon) -> Section:
    """The finished section; a plans section that names no horizon gets the report's."""
    return Section(
        level=sec.level,
        marker=sec.marker,
        title=sec.title,
        start=sec.start,
        end=max(sec.end, sec.start + 1),
        role=sec.role,
        path=sec.path,
        depth=len(sec.path) - 1,
        number=sec.number,
        horizon=default_h if sec.horizon == "unspecified" else sec.horizon,
        kind=sec.kind,
    )


# Plans that name no horizon are, in a yearly report, for next year; in a half-year report,
# for the second half ("下一步工作打算" in a 2023年工作总结 is 2024's work).
# A five-year review delivered at a term's start plans, where it names no horizon, the next year.
_KIND_HORIZON: dict[Kind, Horizon] = {
    "annual": "next_year",
    "multi_year": "next_year",
    "half_year": "second_half",
}


def parse_structure(text: str) -> Structure:
    """Parse `text` into sections, boilerplate spans and metadata. Never raises on any string."""
    page = _read_page(text)
    opened = _Parser(page).read(page.lines, page.end)
    body_lines = page.body_lines
    head = "\n".join(body_lines[:15])
    leads = [s.title for s in opened if s.kind == "lead" and s.role == "review"]
    horizons = [s.horizon for s in opened if s.role == "plans" and s.horizon]
    review_text = "\n".join(
        text[s.start : s.end] for s in opened if s.role == "review" and len(s.path) == 1
    )
    kind, period = guess_kind_period(
        page.year,
        page.stated,
        head,
        page.review_titles + leads,
        horizons,
        year_reviewed=reviews_the_year(review_text, page.year),
    )
    default_h = _KIND_HORIZON.get(kind, "unspecified")
    sections = [_section(sec, default_h) for sec in opened]
    sections.sort(key=lambda s: (s.start, s.depth))
    return Structure(
        text=text,
        sections=sections,
        boilerplate=page.boilerplate,
        entity=guess_entity(body_lines),
        year=page.year,
        period=period,
        kind=kind,
    )
