"""Merging chunk results: duplicates dropped however far apart, document order, stable ids.

The rule (summarizer.extract.merge): an item whose span lies inside the span of another item
of the same kind (for metrics, also the same value, unit and name) that comes earlier — by
start, the longer first, then as given — is a duplicate. The property test states it as what
the output must be, checked pair by pair, not as the implementation's single pass.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import InternalError
from summarizer.extract.backend import ChunkResult
from summarizer.extract.merge import merge_results
from summarizer.models import Achievement, Evidence, Metric, Problem

# One sentence of a real-looking review paragraph holding nine figures, as a model quotes it.
SENTENCE = (
    "全年完成一般公共预算收入4.01亿元，税收总额12.5亿元，固定资产投资20亿元，"
    "新增市场主体526户，新建口袋公园3个，改造老旧小区12个，组织志愿服务活动86场，"
    "帮助困难人员就业158人，排查整改隐患216处。"
)
TEXT = "一、工作回顾\n" + SENTENCE + "\n二、存在的问题\n社区治理精细化水平还有差距。\n"
FIGURES = [
    ("一般公共预算收入", 4.01, "亿元"),
    ("税收总额", 12.5, "亿元"),
    ("固定资产投资", 20.0, "亿元"),
    ("新增市场主体", 526.0, "户"),
    ("新建口袋公园", 3.0, "个"),
    ("改造老旧小区", 12.0, "个"),
    ("组织志愿服务活动", 86.0, "场"),
    ("帮助困难人员就业", 158.0, "人"),
    ("排查整改隐患", 216.0, "处"),
]


def ev(quote: str, text: str = TEXT, nth: int = 0) -> Evidence:
    """The evidence of the `nth` occurrence of `quote` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def metric(name: str, value: float, unit: str, quote: str = SENTENCE) -> Metric:
    return Metric(name=name, value=value, unit=unit, evidence=ev(quote))


def test_a_figure_repeated_nine_kept_figures_later_is_dropped() -> None:
    # Two calls quote the same sentence; between the two copies of its first figure lie the
    # eight other figures of that sentence, all kept (other figures, same span).
    first = ChunkResult(0, metrics=[metric(*f) for f in FIGURES])
    again = ChunkResult(1, metrics=[metric(*FIGURES[0])])
    merged = merge_results([first, again], TEXT)
    assert [(m.name, m.value) for m in merged.metrics] == [(n, v) for n, v, _ in FIGURES]


def test_the_same_figure_inside_a_longer_quote_is_dropped_another_figure_kept() -> None:
    short = "一般公共预算收入4.01亿元"
    merged = merge_results(
        [
            ChunkResult(0, metrics=[metric(*FIGURES[0], quote=short)]),
            ChunkResult(1, metrics=[metric(*FIGURES[0]), metric("税收", 4.01, "亿元", short)]),
        ],
        TEXT,
    )
    # the sentence comes first (same start, longer); the short quote of the same figure lies
    # inside it; "税收" is another name, so another figure, and stays
    assert [(m.name, m.evidence.quote) for m in merged.metrics] == [
        ("一般公共预算收入", SENTENCE),
        ("税收", short),
    ]


def test_items_inside_an_earlier_item_are_dropped_overlapping_ones_kept() -> None:
    whole = "新增市场主体526户，新建口袋公园3个"
    inner = "新建口袋公园3个"
    overlapping = "新建口袋公园3个，改造老旧小区12个"
    items = [
        Achievement(title="口袋公园", evidence=ev(inner)),
        Achievement(title="市场主体与公园", evidence=ev(whole)),
        Achievement(title="公园与小区", evidence=ev(overlapping)),
        Achievement(title="同一段再给一次", evidence=ev(whole)),
    ]
    merged = merge_results([ChunkResult(0, achievements=items)], TEXT)
    assert [a.title for a in merged.achievements] == ["市场主体与公园", "公园与小区"]


def test_kinds_are_merged_apart_and_put_in_document_order() -> None:
    problem_quote = "社区治理精细化水平还有差距。"
    later = ChunkResult(
        3,
        achievements=[Achievement(title="治理", evidence=ev(problem_quote))],
        problems=[Problem(title="治理差距", evidence=ev(problem_quote))],
    )
    earlier = ChunkResult(1, achievements=[Achievement(title="收入", evidence=ev(SENTENCE))])
    merged = merge_results([later, earlier], TEXT)
    assert [a.title for a in merged.achievements] == ["收入", "治理"]
    assert [p.title for p in merged.problems] == ["治理差距"]  # not a duplicate of an achievement


def test_ids_depend_on_the_item_not_on_the_order_it_came_in() -> None:
    def ids(results: list[ChunkResult]) -> list[str]:
        return [m.id for m in merge_results(results, TEXT).metrics]

    forward = ids([ChunkResult(0, metrics=[metric(*f) for f in FIGURES])])
    backward = ids([ChunkResult(0, metrics=[metric(*f) for f in reversed(FIGURES)])])
    assert len(set(forward)) == len(FIGURES)
    assert sorted(forward) == sorted(backward)
    assert all(i.startswith("m-") for i in forward)


def test_an_item_that_already_has_an_id_is_copied_not_relabelled() -> None:
    old = metric(*FIGURES[0]).model_copy(update={"id": "m-from-another-summary"})
    (new,) = merge_results([ChunkResult(0, metrics=[old])], TEXT).metrics
    assert old.id == "m-from-another-summary" and new.id != old.id


def test_canonical_names_are_filled_in() -> None:
    (m,) = merge_results([ChunkResult(0, metrics=[metric("固投", 20.0, "亿元")])], TEXT).metrics
    assert m.canonical_name == "固定资产投资"


def test_the_table_names_every_backend_s_metric_by_its_name_and_unit() -> None:
    # whatever a backend put there: the same figure gets the same name from either backend
    given = [
        metric("税收总额", 12.5, "亿元").model_copy(update={"canonical_name": "地区生产总值"}),
        metric("新增市场主体", 526.0, "户").model_copy(update={"canonical_name": None}),
        metric("固定资产投资", 20.0, "个"),  # a count is no investment
    ]
    merged = merge_results([ChunkResult(0, metrics=given)], TEXT).metrics
    assert [m.canonical_name for m in merged] == ["税收收入", "新增经营主体", None]


def test_an_ungrounded_quote_is_an_internal_error() -> None:
    wrong = Evidence(quote="这句话不在原文里", start=0, end=8)
    with pytest.raises(InternalError, match="ungrounded"):
        merge_results([ChunkResult(0, problems=[Problem(title="x", evidence=wrong)])], TEXT)


# --- the rule as a law, for any spans and figures ----------------------------------------------

SPANS_TEXT = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
span = st.tuples(st.integers(0, len(SPANS_TEXT) - 1), st.integers(1, 6)).map(
    lambda t: (t[0], min(len(SPANS_TEXT), t[0] + t[1]))
)
# few names and values, so that copies of one figure meet, and enough to fill the old window of 8
figure = st.tuples(st.sampled_from("甲乙丙丁戊己"), st.sampled_from([1.0, 2.0]), st.just("个"))


def inside(a: Metric, b: Metric) -> bool:
    return b.evidence.start <= a.evidence.start and a.evidence.end <= b.evidence.end


def same_figure(a: Metric, b: Metric) -> bool:
    return (a.name, a.value, a.unit) == (b.name, b.value, b.unit)


@pytest.mark.property
@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(span, figure), max_size=12), max_size=4))
def test_merge_keeps_exactly_the_outermost_copy_of_each_figure(
    chunks: list[list[tuple[tuple[int, int], tuple[str, float, str]]]],
) -> None:
    given_items = [
        [
            Metric(
                name=name,
                value=value,
                unit=unit,
                evidence=Evidence(quote=SPANS_TEXT[s:e], start=s, end=e),
            )
            for (s, e), (name, value, unit) in chunk
        ]
        for chunk in chunks
    ]
    results = [ChunkResult(i, metrics=items) for i, items in enumerate(given_items)]
    everything = [m for items in given_items for m in items]
    kept = merge_results(results, SPANS_TEXT).metrics

    def key(m: Metric) -> tuple[int, int, str, float, str]:
        return (m.evidence.start, m.evidence.end, m.name, m.value, m.unit)

    # kept items are given items, in document order (by start, the longer span first)
    assert {key(k) for k in kept} <= {key(m) for m in everything}
    order = [(k.evidence.start, -k.evidence.end) for k in kept]
    assert order == sorted(order)
    # no kept item lies inside another kept one of the same figure
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            assert not (same_figure(a, b) and (inside(a, b) or inside(b, a)))
    # every given item is kept or lies inside a kept item of the same figure
    for m in everything:
        assert any(same_figure(k, m) and inside(m, k) for k in kept)
