"""Offline extraction of achievements from a parsed report: one per review item.

Works section by section on the structure, like `items` (whose section tree helpers it shares):
one achievement per review item (a review section that is not a mere frame such as
"一、2025年工作回顾", an inline 一是 item, a paragraph lead such as "综合实力稳步提升。"), quoting
the sentence that carries its key figure, or its lead sentence. Study sections, appendices
("other") and web debris ("boilerplate") give nothing.
"""

from __future__ import annotations

import itertools
import re

from summarizer.extract.rules.categories import category_of
from summarizer.extract.rules.items import _evidence, _first_line_end, _kind, _next_sentence, _Tree
from summarizer.extract.rules.text import (
    QUOTE_LIMIT,
    clip,
    enumerated_starts,
    figure_sentence,
    lead_starts,
    paragraphs,
    result_sentence,
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


def _is_frame(sec: Section) -> bool:
    """A heading that only announces a review part ("一、2025年工作回顾"), not an item."""
    if _kind(sec) == "part":
        return True
    return sec.level <= 2 and bool(_FRAME_TITLE.search(sec.title))


def _achievement(text: str, a: int, b: int, context: str) -> Achievement | None:
    a, b = trim(text, a, b)
    title = title_at(text, a, b)
    if len(title) < 2 or b - a < len(title) + 6:
        return None
    lead_end = sentence_end(text, a, min(b, _first_line_end(text, a, b)))
    fig = figure_sentence(text, a, b)
    if fig is not None:
        fs, fe, focus = fig
        quote = clip(text, fs, fe, focus=focus)
        lead = clip(text, a, lead_end)
        detail = text[lead[0] : lead[1]] if fs > lead_end else ""
    elif (res := result_sentence(text, lead_end, b)) is not None:
        rs, re_, focus = res
        quote = clip(text, rs, re_, focus=focus)
        lead = clip(text, a, lead_end)
        detail = text[lead[0] : lead[1]]
    else:
        quote = clip(text, a, lead_end)
        detail = _next_sentence(text, lead_end, b)
    if quote[1] - quote[0] > QUOTE_LIMIT or quote[1] <= quote[0]:
        return None
    q = text[quote[0] : quote[1]]
    return Achievement(
        title=title,
        detail=detail,
        category=category_of(title, q + context),
        evidence=_evidence(text, quote),
    )


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


def _review_pieces(tree: _Tree, i: int) -> list[tuple[int, int]]:
    """The item spans a review section holds itself, outside its subsections."""
    text = tree.structure.text
    sec = tree.sections[i]
    frame = _is_frame(sec)
    pieces: list[tuple[int, int]] = []
    for n, (a, b) in enumerate(_own_segments(tree, i)):
        if b <= a:
            continue
        starts = set(lead_starts(text, a, b, skip_first=n == 0, heading_owns_body=not frame))
        starts.update(enumerated_starts(text, a, b, ("shi",)))
        if n == 0 and (not frame or (not starts and not tree.children[i])):
            starts.add(trim(text, a, b)[0])
        ordered = sorted(s for s in starts if a <= s < b)
        bounds = [*ordered, b]
        pieces += [(bounds[j], bounds[j + 1]) for j in range(len(ordered))]
    return pieces


def _unstructured_pieces(structure: Structure) -> list[tuple[int, int]]:
    """A report with no review section at all (plain paragraphs, no headings): every paragraph
    outside problems, plans and debris that states a figure is a review item."""
    text = structure.text
    return [
        (a, b)
        for a, b in paragraphs(text, 0, len(text))
        if structure.role_at(a) == "other"
        and structure.innermost(a) is None
        and figure_sentence(text, a, b) is not None
    ]


def extract_achievements(structure: Structure) -> list[Achievement]:
    text = structure.text
    tree = _Tree(structure)
    out = []
    if not any(sec.role == "review" for sec in tree.sections):
        for a, b in _unstructured_pieces(structure):
            item = _achievement(text, a, b, "")
            if item is not None:
                out.append(item)
        return out
    for i, sec in enumerate(tree.sections):
        if sec.role != "review" or _kind(sec) == "passage":
            continue
        if structure.role_at(sec.start) == "boilerplate":
            continue
        context = " ".join(sec.path[:-1])
        for a, b in _review_pieces(tree, i):
            # the item itself, then each in-paragraph sub-item ("经济引擎持续发力。…")
            bounds = [a, *sub_lead_starts(text, a, b), b]
            for s, e in itertools.pairwise(bounds):
                item = _achievement(text, s, e, context)
                if item is not None:
                    out.append(item)
    return out
