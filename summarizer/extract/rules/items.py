"""Offline extraction of problems and plans from a parsed report.

Works section by section on the structure (so an item never depends on where a chunk boundary
falls) and returns items with absolute offsets; the backend hands each to the chunk holding its
evidence start.

- problems: every item of every problems passage or section ("…存在一些问题和不足：一是…二是…",
  "如…。如…。", "A；B；C。", a "存在问题" heading with （一）… under it). Formula and resolution
  sentences are not problems.
- plans: every top-level item of every plans section (the direct subsections; without any, its
  title-like paragraph leads or its 一是/二是 list). A plans section with none of those gives no
  plans: a lone "下一步，将…" paragraph is a remark, not a work plan.
Achievements live in `achievements`, which shares the section tree helpers below.
Study sections, appendices ("other") and web debris ("boilerplate") give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.extract.rules.text import (
    DETAIL_LIMIT,
    clip,
    enumerated_starts,
    lead_starts,
    paragraphs,
    problem_item_spans,
    sentence_end,
    title_at,
    trim,
)
from summarizer.models import Evidence, Horizon, Plan, Problem
from summarizer.read.headings import problem_opening
from summarizer.read.paragraphs import APPENDIX
from summarizer.read.structure import Section, Structure

__all__ = ["extract_plans", "extract_problems"]


# --- structure helpers ---------------------------------------------------------------------
def _parents(sections: Sequence[Section]) -> list[int | None]:
    """Index of each section's enclosing section (sections are in document order)."""
    parents: list[int | None] = []
    stack: list[int] = []
    for i, sec in enumerate(sections):
        while stack and not (
            sections[stack[-1]].start <= sec.start < sections[stack[-1]].end
            and _depth(sections[stack[-1]]) < _depth(sec)
        ):
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    return parents


def _depth(sec: Section) -> int:
    return getattr(sec, "depth", len(sec.path) - 1)


def _kind(sec: Section) -> str:
    return getattr(sec, "kind", "heading")


class _Tree:
    """Parent / children lookups over a structure's sections."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.sections = list(structure.sections)
        self.parent = _parents(self.sections)
        self.children: list[list[int]] = [[] for _ in self.sections]
        for i, p in enumerate(self.parent):
            if p is not None:
                self.children[p].append(i)

    def outermost(self, role: str) -> list[int]:
        """Sections of `role` whose parent has another role, outside web debris."""
        out = []
        for i, sec in enumerate(self.sections):
            p = self.parent[i]
            if sec.role != role or (p is not None and self.sections[p].role == role):
                continue
            if self.structure.role_at(sec.start) == "boilerplate":
                continue
            out.append(i)
        return out


def _evidence(text: str, span: tuple[int, int]) -> Evidence:
    a, b = span
    return Evidence(quote=text[a:b], start=a, end=b)


def _first_line_end(text: str, a: int, b: int) -> int:
    nl = text.find("\n", a, b)
    return b if nl < 0 else nl


def _next_sentence(text: str, after: int, b: int, limit: int = 200) -> str:
    """The sentence following `after` within [after, b), clipped; "" when there is none."""
    s, _ = trim(text, after, b)
    if s >= b:
        return ""
    e = sentence_end(text, s, b)
    qs, qe = clip(text, s, e, limit=limit)
    return text[qs:qe]


# --- problems ------------------------------------------------------------------------------
def _problem(text: str, a: int, b: int) -> Problem | None:
    a, b = trim(text, a, b)
    if a >= b:
        return None
    quote = clip(text, a, b)
    title = title_at(text, a, b)
    if not title:
        return None
    detail = ""
    if quote != (a, b):
        ds, de = clip(text, a, b, limit=DETAIL_LIMIT)
        detail = text[ds:de]
    return Problem(title=title, detail=detail, evidence=_evidence(text, quote))


def _problem_spans_of_section(tree: _Tree, i: int) -> list[tuple[int, int]]:
    text = tree.structure.text
    sec = tree.sections[i]
    kids = [k for k in tree.children[i] if _kind(tree.sections[k]) != "passage"]
    if kids:
        spans = []
        for k in kids:
            kid = tree.sections[k]
            first = paragraphs(text, kid.start, kid.end)
            if first:
                spans.append(first[0])
        return spans
    start = sec.start
    if _kind(sec) != "passage":
        start = _first_line_end(text, sec.start, sec.end)  # the heading line names the section
    return problem_item_spans(text, start, sec.end)


_PROBLEM_HINT = re.compile(r"问题|不足|短板|困难|挑战|差距|薄弱|矛盾")


def _loose_problem_passages(structure: Structure) -> list[tuple[int, int]]:
    """Problem passages inside review paragraphs that the structure did not mark."""
    text = structure.text
    out = []
    for a, b in paragraphs(text, 0, len(text)):
        if not _PROBLEM_HINT.search(text, a, min(b, a + 400)) or structure.role_at(a) != "review":
            continue
        at = problem_opening(text[a:b])
        if at is not None and structure.role_at(a + at) == "review":
            out.append((a + at, b))
    return out


def _in_plan_item(tree: _Tree, i: int) -> bool:
    """A passage inside a plan item ("加快农业结构调整。…但也面临库存大幅增加等问题。") gives the
    reason for a task; the report's problems passage stands in its review or a part of its own."""
    return tree.structure.plans_at(tree.sections[i].start)


def extract_problems(structure: Structure) -> list[Problem]:
    text = structure.text
    tree = _Tree(structure)
    spans: list[tuple[int, int]] = []
    for i in tree.outermost("problems"):
        if not _in_plan_item(tree, i):
            spans.extend(_problem_spans_of_section(tree, i))
    for a, b in _loose_problem_passages(structure):
        spans.extend(problem_item_spans(text, a, b))
    out = []
    for a, b in spans:
        item = _problem(text, a, b)
        if item is not None:
            out.append(item)
    return out


# --- plans ---------------------------------------------------------------------------------
def _plan(text: str, a: int, b: int, horizon: Horizon) -> Plan | None:
    a, b = trim(text, a, b)
    if a >= b:
        return None
    lead_end = sentence_end(text, a, min(b, _first_line_end(text, a, b)))
    quote = clip(text, a, lead_end)
    title = title_at(text, a, b)
    if not title or quote[1] <= quote[0]:
        return None
    heading = text[quote[0] : quote[1]]
    detail = _next_sentence(text, lead_end, b)
    if not detail and len(heading) > len(title) + 2:
        detail = heading
    return Plan(
        title=title,
        detail=detail,
        horizon=horizon,
        evidence=_evidence(text, quote),
    )


def _plan_spans_of_section(tree: _Tree, i: int) -> list[tuple[int, int, Section]]:
    """(start, end, section giving the horizon) of each top-level item of plans section i."""
    text = tree.structure.text
    sec = tree.sections[i]
    kids = [
        tree.sections[k]
        for k in tree.children[i]
        if _kind(tree.sections[k]) != "passage" and tree.sections[k].role == "plans"
    ]
    if kids:
        return [*_intro_items(text, sec, kids[0].start), *((k.start, k.end, k) for k in kids)]
    starts = lead_starts(text, sec.start, sec.end)
    if not starts:
        body = sec.start if _kind(sec) == "part" else _first_line_end(text, sec.start, sec.end)
        starts = enumerated_starts(text, body, sec.end, ("shi", "paren", "digit", "circled", "di"))
        if starts and _NOT_WORK_LIST.search(_paragraph_before(text, body, starts[0])):
            starts = []
    if not starts:
        return [(a, b, sec) for a, b in _announced_clause_list(text, sec.start, sec.end)]
    bounds = [*starts, sec.end]
    return [(bounds[j], bounds[j + 1], sec) for j in range(len(starts))]


# The sentence before a list that gives the reasons for the year's targets.
# A numbered list in a plans part that is no work to do: the reasons for the year's targets
# ("这些目标的设定…。一是坚持实事求是") or an assessment of the ground ("我们有三个优势，一是…").
_NOT_WORK_LIST = re.compile(
    r"目标[^。]{0,30}(?:设定|确定|安排|考虑)|(?:考虑|依据)[：:]?$|[几两三四五六七八九十]个优势|有利条件"
)


def _sentence_before(text: str, a: int, at: int) -> str:
    start = max(text.rfind(c, a, at - 1) for c in "。！？\n") + 1
    return text[max(a, start) : at]


def _paragraph_before(text: str, a: int, at: int) -> str:
    return text[max(a, text.rfind("\n", a, at) + 1) : at]


def _intro_items(text: str, sec: Section, first_kid: int) -> list[tuple[int, int, Section]]:
    """Items a plans section numbers 一是…二是… in its own text before its sub-sections (the
    guiding points of 2024年目标任务, then （一）…): top-level items of the plans too."""
    body = _first_line_end(text, sec.start, first_kid)
    starts = enumerated_starts(text, body, first_kid, ("shi",), min_count=3)
    if starts and _NOT_WORK_LIST.search(_sentence_before(text, body, starts[0])):
        return []  # "这些目标的设定…。一是坚持实事求是…": why the targets, not work to do
    bounds = [*starts, first_kid]
    return [(bounds[j], bounds[j + 1], sec) for j in range(len(starts))]


_ANNOUNCED_LIST = re.compile(r"[：:]([^。：:\n]+；[^。：:\n]+)[。\n]?")


def _announced_clause_list(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A plan paragraph that lists its items in one sentence after a colon: "重点抓好四个方面
    工作：着力…；着力…；着力…。" — each "；" clause is an item. Only colon-announced lists count,
    so an ordinary sentence with a "；" stays whole. A list of targets ("主要预期目标：地区生产
    总值增长6%左右；…") holds metrics, not work plans."""
    spans: list[tuple[int, int]] = []
    for m in _ANNOUNCED_LIST.finditer(text, a, b):
        clause_start = max(text.rfind(c, a, m.start()) for c in "，,。\n")
        if re.search(r"目标|指标", text[clause_start + 1 : m.start()]):
            continue
        pos = m.start(1)
        for part in m.group(1).split("；"):
            if len(part.strip()) >= 4:
                spans.append((pos, pos + len(part)))
            pos += len(part) + 1
    return spans


def _horizon(structure: Structure, sec: Section, at: int) -> Horizon:
    """The item's own section horizon (its heading's, else inherited from the plans part)."""
    if sec.horizon and sec.horizon != "unspecified":
        return sec.horizon
    return structure.plan_horizon_at(at)


def extract_plans(structure: Structure) -> list[Plan]:
    text = structure.text
    tree = _Tree(structure)
    out = []
    for i in tree.outermost("plans"):
        sec = tree.sections[i]
        if _kind(sec) == "passage" or (_kind(sec) == "part" and APPENDIX.match(sec.title)):
            continue  # an appendix's list (十件民生实事) details an item of the plans, is none
        for a, b, owner in _plan_spans_of_section(tree, i):
            item = _plan(text, a, b, _horizon(structure, owner, a))
            if item is not None:
                out.append(item)
    return out
