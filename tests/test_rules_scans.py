"""The offline extractor's fast scans give exactly what their plain versions give.

Each fast path (one scan for all breaks, a sentence walk over one terminator scan, a walk that
starts at the first figure's sentence, regexes rewritten so the engine can skip ahead, status
and period read only for the metrics kept) is checked against a straightforward reference
written here, on generated text built from the characters that matter to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.extract.rules import metrics_status as status_mod
from summarizer.extract.rules import text as rules_text
from summarizer.extract.rules.metrics_scan import FIGURE
from summarizer.extract.rules.metrics_status import FigureAt, StatusReader, breaks_of
from summarizer.read.meta import _ANY_YEAR

from .conftest import seed_path

# Break marks, whitespace, digits, units and words the scans look at, plus filler.
_ALPHABET = "，,；;：:。！？!?\n、 \u3000　0123456789.%亿万元个是年月全上半预计完成到增长2０一二"
texts = st.text(alphabet=_ALPHABET, max_size=120)


def _reference_breaks(text: str, a: int, b: int) -> tuple[list[int], ...]:
    def scan(pattern: str) -> list[int]:
        return [m.start() for m in re.finditer(pattern, text[a:b])]

    shifted = [
        [a + i for i in scan(p)]
        for p in (r"[，,；;：:。！？!?\n、]", r"[；;。！？!?\n]", r"[。！？!?\n]", r"\n")
    ]
    return tuple(shifted)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 130), st.integers(0, 130))
def test_breaks_match_one_regex_scan_per_kind(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    found = breaks_of(text, a, b)
    assert (found.clauses, found.segments, found.sentences, found.paragraphs) == (
        _reference_breaks(text, a, b)
    )


def _reference_sentences(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """The walk as first written: a `sentence_end` search per sentence."""
    pos = a
    while pos < b:
        e = rules_text.sentence_end(text, pos, b)
        s, t = rules_text.trim(text, pos, e)
        if t > s:
            yield s, t
        pos = e + 1 if e < b and text[e] == "\n" else max(e, pos + 1)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 130), st.integers(0, 130))
def test_sentence_walk_matches_search_per_sentence(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    assert list(rules_text._sentences(text, a, b)) == list(_reference_sentences(text, a, b))


_ORIGINAL_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|‰|倍|(?:万亿|亿|万|千)?(?:元|美元|人次|人|户|家|个|项|件|次|平方米"
    r"|平方公里|公里|千米|亩|吨|辆|套|座|所|张|台|场|条|处|栋|间|名|批|万|亿))"
)


def _reference_figure_sentence(text: str, a: int, b: int) -> tuple[int, int, int] | None:
    """`figure_sentence` as first written: every sentence from the span start."""
    for s, e in _reference_sentences(text, a, b):
        for m in _ORIGINAL_FIGURE.finditer(text, s, e):
            return s, e, m.end()
    return None


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 130), st.integers(0, 130))
def test_figure_sentence_skips_only_sentences_without_figures(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    assert rules_text.figure_sentence(text, a, b) == _reference_figure_sentence(text, a, b)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="增加提高到长上降2019年0一 ，计划目标预期", max_size=16))
def test_target_regex_keeps_its_meaning(clause: str) -> None:
    original = re.compile(
        r"计划|力争|目标|确保|预期|(?<!增加|提高|提升|增长|上升|扩大|下降|减少|降低|缩小)到20[0-9]{2}年"
    )
    got, want = status_mod._TARGET.search(clause), original.search(clause)
    assert (got and got.span()) == (want and want.span())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="20１２3年a٣ 9", max_size=16))
def test_year_regex_keeps_its_meaning(line: str) -> None:
    original = re.compile(r"(?<!\d)(20\d\d)年")
    assert [(m.span(), m.group(1)) for m in _ANY_YEAR.finditer(line)] == [
        (m.span(), m.group(1)) for m in original.finditer(line)
    ]


def _eager(
    reader: StatusReader, figures: list[FigureAt], carried: list[int] | None = None
) -> list[tuple[str, str | None]]:
    """Every figure read in order, the last actual figure with a period carrying it along its
    paragraph: the reading `resolve` must reproduce for the figures it is asked for. The
    indices of the figures given a carried period go to `carried`."""
    carry: tuple[int, str] | None = None
    out: list[tuple[str, str | None]] = []
    for i, at in enumerate(figures):
        r = reader._read(at)
        period = r.period
        if r.status == "actual":
            if period is None and carry and carry[0] == r.para:
                period = carry[1]
                if carried is not None:
                    carried.append(i)
            elif period:
                carry = (r.para, period)
        if period is None and r.para < r.sent:
            period = reader._paragraph_period(r.para, r.sent)
        out.append((r.status, period))
    return out


_SEED_TEXT = seed_path("000").read_text(encoding="utf-8")
_SEED_FIGURES = [m.start() for m in FIGURE.finditer(_SEED_TEXT, 0, 6000)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_SEED_FIGURES), min_size=1, max_size=40),
    st.data(),
    st.sampled_from(["review", "plans"]),
)
def test_resolve_reads_the_kept_figures_as_an_eager_reading_would(
    starts: list[int], data: st.DataObject, role: str
) -> None:
    figures = [FigureAt(s) for s in starts]  # any order: resolve must not assume one
    wanted = data.draw(st.lists(st.booleans(), min_size=len(starts), max_size=len(starts)))
    reader = StatusReader(_SEED_TEXT, 0, role, breaks_of(_SEED_TEXT, 0, 6000))
    eager = _eager(StatusReader(_SEED_TEXT, 0, role, breaks_of(_SEED_TEXT, 0, 6000)), figures)
    assert reader.resolve(figures, wanted) == {i: eager[i] for i, w in enumerate(wanted) if w}


def test_resolve_carries_a_paragraph_period_to_later_figures() -> None:
    # Seed 000 opens a paragraph with "今年1-10月实现…" and omits the period afterwards: a kept
    # figure later in that paragraph still gets it when the figure stating it is not kept.
    starts = sorted(_SEED_FIGURES)
    reader = StatusReader(_SEED_TEXT, 0, "review", breaks_of(_SEED_TEXT, 0, 6000))
    figures = [FigureAt(s) for s in starts]
    carried: list[int] = []
    eager = _eager(reader, figures, carried)
    assert carried, "seed 000 has figures whose period is carried"
    only_last = [i == carried[-1] for i in range(len(figures))]
    assert reader.resolve(figures, only_last) == {carried[-1]: eager[carried[-1]]}
