"""Offline extraction of achievements: one per key result of the review, with its key figure.

How a review is built, and what each of its parts gives:

- a review part ("一、2023年工作回顾") opens with an overview: a paragraph of headline figures
  ("全省生产总值增长5.4%，…，主要经济指标增速高于全国平均水平。") and, in national, province and
  many city reports, dash paragraphs ("——经济总体回升向好。国内生产总值超过126万亿元…"). The
  overview gives one item (its headline figure); each dash paragraph is an item.
- then its items: numbered sections （一）/一、, inline 一是…, paragraph leads ("综合实力稳步提升。"),
  inside an item's paragraph sub-items opened by a short lead sentence ("协同发展纵深推进。"), and
  after the numbered items a lone lead paragraph ("一年来，中国特色大国外交全面推进。").
- an item whose head states no figure before its sub-items gives its heading; the figures are its
  sub-items'. An item gives its key result: the first sentence stating a figure (the genre states
  the headline result first), else one stating an outcome (建成, 获评…). A numbered item or
  paragraph lead with neither gives its lead sentence; an in-paragraph sub-lead with neither is
  no result ("自觉依法接受监督。" is one more task done, not an achievement).
- a long item (a province report's paragraph of 1,000 characters) reports several results: one
  per block of about 300 characters.

Titles never describe a neighbouring sentence: a numbered item, dash or paragraph lead is titled
by its own lead sentence (the genre's summary of the evidence sentences under it; `detail` keeps
the whole lead); every other item — an in-paragraph sub-item, whose short "lead" may be a mere
fact ("全省人均预期寿命持续提高。") — is titled from its quote: the clause holding its key figure or
outcome. Study sections, appendices ("other"), web debris and plans parts give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from summarizer.extract.rules.categories import category_of
from summarizer.extract.rules.items import _evidence, _first_line_end, _kind, _next_sentence, _Tree
from summarizer.extract.rules.text import (
    QUOTE_LIMIT,
    clip,
    compact_title,
    dash_starts,
    enumerated_starts,
    figure_sentence,
    lead_starts,
    paragraphs,
    result_sentence,
    result_title,
    sentence_end,
    sub_lead_starts,
    title_at,
    trim,
)
from summarizer.models import Achievement
from summarizer.read.structure import Section, Structure

__all__ = ["extract_achievements"]

_FRAME_TITLE = re.compile(
    r"工作(?:总结|回顾)|回顾|总结$|主要(?:成绩|成效|工作)$|工作情况|完成情况|进展情况|发展主要成绩"
)


@dataclass(frozen=True)
class _Item:
    """A review item's span and how it is opened, which decides what it may quote and how it is
    titled: "lead" (a numbered heading, 一是, a dash or a paragraph lead: its lead sentence is a
    title, and is quoted when nothing under it states a figure or an outcome), "heading" (a lead
    whose results are all in its sub-items: its lead sentence is quoted), "sub" (an in-paragraph
    sub-lead, or a later block of a long item: only a figure or an outcome makes it a result,
    titled from its quote), "overview" (a review part's opening paragraphs: only a figure)."""

    start: int
    end: int
    opening: str


def _is_frame(sec: Section) -> bool:
    """A heading that only announces a review part ("一、2025年工作回顾"), not an item."""
    if _kind(sec) == "part":
        return True
    return sec.level <= 2 and bool(_FRAME_TITLE.search(sec.title))


def _in_plans(tree: _Tree, i: int) -> bool:
    """Section i lies inside a plans part (a task heading read as a review, "…取得新成效")."""
    p = tree.parent[i]
    while p is not None:
        if tree.sections[p].role == "plans":
            return True
        p = tree.parent[p]
    return False


def _own_segments(tree: _Tree, i: int) -> list[tuple[int, int]]:
    """The parts of section i no subsection covers: its head, then any gaps between and after."""
    sec = tree.sections[i]
    segments, pos = [], sec.start
    for k in tree.children[i]:
        kid = tree.sections[k]
        if kid.start > pos:
            segments.append((pos, kid.start))
        elif not segments:
            segments.append((pos, pos))  # keep the head slot, even when empty
        pos = max(pos, kid.end)
    if sec.end > pos or not segments:
        segments.append((pos, sec.end))
    return segments


def _segment_items(
    text: str, a: int, b: int, *, head: bool, frame: bool, has_children: bool
) -> list[_Item]:
    """The items of one own segment of a review section. Items start at paragraph leads, dash
    paragraphs and 一是…. The head segment of an item section is itself an item; that of a frame
    opens with its overview (a frame with nothing else in it is one item)."""
    # after a frame's items, a paragraph lead stands alone ("一年来，中国特色大国外交全面推进。")
    series = 1 if frame and not head else 2
    starts = set(
        lead_starts(text, a, b, skip_first=head, heading_owns_body=not frame, min_count=series)
    )
    starts.update(enumerated_starts(text, a, b, ("shi",)))
    starts.update(dash_starts(text, a, b))
    ordered = sorted(s for s in starts if a <= s < b)
    first = trim(text, a, b)[0]
    items: list[_Item] = []
    if head and not frame:
        ordered = sorted({first, *ordered})
    elif head and not ordered and not has_children:
        ordered = [first]
    elif head:
        items.append(
            _Item(_first_line_end(text, first, b), ordered[0] if ordered else b, "overview")
        )
    bounds = [*ordered, b]
    items += [_Item(bounds[j], bounds[j + 1], "lead") for j in range(len(ordered))]
    return items


def _section_items(tree: _Tree, i: int) -> list[_Item]:
    """The items a review section holds itself (outside its subsections), each split at its
    in-paragraph sub-leads and, when long, into blocks."""
    text = tree.structure.text
    sec = tree.sections[i]
    frame = _is_frame(sec)
    has_children = bool(tree.children[i])
    items: list[_Item] = []
    for n, (a, b) in enumerate(_own_segments(tree, i)):
        if b <= a:
            continue
        segment = _segment_items(text, a, b, head=n == 0, frame=frame, has_children=has_children)
        for item in segment:
            for part in _split_at_sub_leads(text, item):
                items += _split_long(text, part)
    return items


def _split_at_sub_leads(text: str, item: _Item) -> list[_Item]:
    """An item and the sub-items its paragraph opens with short lead sentences. The item keeps
    what its head sentences state before the first sub-lead; when they state no figure it is a
    mere heading, its results being its sub-items'."""
    if item.opening == "overview":
        return [item]
    subs = sub_lead_starts(text, item.start, item.end)
    if not subs:
        return [item]
    a = trim(text, item.start, item.end)[0]
    lead_end = sentence_end(text, a, min(item.end, _first_line_end(text, a, item.end)))
    stated = figure_sentence(text, lead_end, subs[0]) is not None
    head = _Item(item.start, subs[0], item.opening if stated else "heading")
    bounds = [*subs, item.end]
    return [head, *(_Item(bounds[j], bounds[j + 1], "sub") for j in range(len(subs)))]


# An item this long reports several results: one key result per this many characters (the
# real reports' labels hold one per 200-280 characters of review; a town report's item of
# 200-470 characters holds one).
_RESULT_SPAN = 300
_BLOCK_END = re.compile(r"[。！？!?；;]")


def _split_long(text: str, item: _Item) -> list[_Item]:
    """A long item cut at sentence ends into blocks of about _RESULT_SPAN characters: the first
    keeps the item's opening, each later one is a result of its own."""
    n = (item.end - item.start) // _RESULT_SPAN
    if n < 2 or item.opening not in ("lead", "sub"):
        return [item]
    size = (item.end - item.start) / n
    bounds = [item.start]
    for k in range(1, n):
        m = _BLOCK_END.search(text, item.start + round(k * size), item.end)
        if m and bounds[-1] < m.end() < item.end:
            bounds.append(m.end())
    bounds.append(item.end)
    return [
        _Item(bounds[0], bounds[1], item.opening),
        *(_Item(bounds[j], bounds[j + 1], "sub") for j in range(1, len(bounds) - 1)),
    ]


def _key_result(text: str, item: _Item, lead_end: int) -> tuple[int, int, int] | None:
    """(start, end, focus) of the sentence carrying the item's key result, or None."""
    if item.opening == "heading":
        return None  # its results are its sub-items'
    fig = figure_sentence(text, item.start, item.end)
    if fig is not None or item.opening == "overview":
        return fig
    return result_sentence(text, lead_end if item.opening == "lead" else item.start, item.end)


def _achievement(text: str, item: _Item, context: str) -> Achievement | None:
    a, b = trim(text, item.start, item.end)
    if b <= a:
        return None
    lead_end = sentence_end(text, a, min(b, _first_line_end(text, a, b)))
    lead = clip(text, a, lead_end)
    found = _key_result(text, item, lead_end)
    if found is not None:
        qs, qe, focus = found
        quote = clip(text, qs, qe, focus=focus)
        own_lead = item.opening == "lead" and quote[0] >= lead_end
        if own_lead:
            title = compact_title(title_at(text, a, b))
        else:
            title = result_title(text, quote[0], quote[1], focus)
        detail = text[lead[0] : lead[1]] if own_lead else ""
    elif item.opening in ("lead", "heading"):
        quote = lead
        title = compact_title(title_at(text, a, b))
        detail = _next_sentence(text, lead_end, b)
    else:
        return None
    if len(title) < 2 or quote[1] <= quote[0] or quote[1] - quote[0] > QUOTE_LIMIT:
        return None
    if item.opening == "lead" and found is None and b - a < len(title) + 6:
        return None  # a bare title line with nothing under it
    q = text[quote[0] : quote[1]]
    return Achievement(
        title=title,
        detail=detail,
        category=category_of(title, q + context),
        evidence=_evidence(text, quote),
    )


def _review_sections(tree: _Tree) -> Iterator[int]:
    structure = tree.structure
    for i, sec in enumerate(tree.sections):
        if sec.role != "review" or _kind(sec) == "passage" or _in_plans(tree, i):
            continue
        if structure.role_at(sec.start) == "boilerplate":
            continue
        yield i


def _unstructured_items(structure: Structure) -> list[_Item]:
    """A report with no review section at all (plain paragraphs, no headings): every paragraph
    outside problems, plans and debris that states a figure is a review item."""
    text = structure.text
    return [
        _Item(a, b, "lead")
        for a, b in paragraphs(text, 0, len(text))
        if structure.role_at(a) == "other"
        and structure.innermost(a) is None
        and figure_sentence(text, a, b) is not None
    ]


def extract_achievements(structure: Structure) -> list[Achievement]:
    text = structure.text
    tree = _Tree(structure)
    if not any(sec.role == "review" for sec in tree.sections):
        found = [_achievement(text, item, "") for item in _unstructured_items(structure)]
        return [a for a in found if a is not None]
    out = []
    for i in _review_sections(tree):
        context = " ".join(tree.sections[i].path[:-1])
        for item in _section_items(tree, i):
            ach = _achievement(text, item, context)
            if ach is not None:
                out.append(ach)
    return out
