"""Printed widths, clipping and the headline order, against hand-written tables and laws.

No test here recomputes a result the way the code does: widths are given per character class,
clipping is stated as "the longest prefix that leaves an em for the ellipsis", and the
headline order as a table of indicator names a briefing meets.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.models import Evidence, Metric
from summarizer.render.format import (
    HEADLINES,
    clip,
    headline_rank,
    metric_value,
    span_label,
    status_label,
    text_width,
)

# --- printed width -----------------------------------------------------------------------------

# (character, width in em): CJK and full-width forms 1, an ASCII space 0.3, anything else 0.58.
WIDTH_TABLE = [
    ("地", 1.0),
    ("，", 1.0),  # full-width comma
    ("％", 1.0),
    ("Ａ", 1.0),
    ("\u3000", 1.0),  # ideographic space
    ("😀", 1.0),  # emoji are wide
    (" ", 0.3),
    ("a", 0.58),
    ("X", 0.58),
    ("0", 0.58),
    (".", 0.58),
    ("%", 0.58),
    ("…", 0.58),  # ambiguous width: narrow
    ("é", 0.58),
    ("\t", 0.58),
    ("\u0301", 0.58),  # a combining mark
]


@pytest.mark.parametrize(("ch", "em"), WIDTH_TABLE)
def test_width_of_each_kind_of_character(ch: str, em: float) -> None:
    assert text_width(ch) == em


@pytest.mark.parametrize(
    ("text", "em"),
    [("", 0.0), ("地区生产总值", 6.0), ("GDP 5.3%", 7 * 0.58 + 0.3), ("增长6.8%", 2 + 4 * 0.58)],
)
def test_width_of_report_strings(text: str, em: float) -> None:
    assert text_width(text) == pytest.approx(em)


# Report-like text: CJK, full-width and Latin punctuation, digits, spaces and other whitespace,
# plus arbitrary code points (combining marks, emoji, controls) so no width class is missed.
_REPORT_CHARS = st.sampled_from(
    list("地区生产总值增长亿元，、；：。（）%％ＡＢ１２ abcXYZ0123.,;:-\t\n\u3000…")
)
TEXT = st.one_of(
    st.text(_REPORT_CHARS, max_size=120),
    st.text(max_size=120),
    st.lists(st.one_of(_REPORT_CHARS, st.characters()), max_size=120).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_width_adds_up_over_concatenation(a: str, b: str) -> None:
    assert text_width(a + b) == pytest.approx(text_width(a) + text_width(b))


@settings(max_examples=200, deadline=None)
@given(st.characters())
def test_every_character_is_one_em_a_space_or_a_narrow_glyph(ch: str) -> None:
    assert text_width(ch) in (1.0, 0.3, 0.58)
    if "\u4e00" <= ch <= "\u9fff":
        assert text_width(ch) == 1.0


# --- clipping ----------------------------------------------------------------------------------

CLIP_TABLE = [
    ("  地区 生产\n总值 ", 20, "地区 生产 总值"),  # fits: whitespace runs become one space
    ("地区生产总值", 6, "地区生产总值"),  # exactly as wide as allowed
    ("地区生产总值", 5.9, "地区生产…"),  # 4 characters + 1 em for the ellipsis
    ("规模以上工业增加值增长6.8%", 8, "规模以上工业增…"),
    ("一二三四五六，七八九十", 8, "一二三四五六…"),  # no comma before the ellipsis
    ("GDP growth 5.3 percent", 5, "GDP gro…"),  # 1 + 0.58 × 6 + 0.3 = 4.78 em
    ("地区", 0.5, "…"),
]


@pytest.mark.parametrize(("text", "max_em", "clipped"), CLIP_TABLE)
def test_clip_report_strings(text: str, max_em: float, clipped: str) -> None:
    assert clip(text, max_em) == clipped


EM = st.one_of(
    st.floats(min_value=-2, max_value=80, allow_nan=False),
    st.integers(min_value=0, max_value=80).map(float),
    # widths that land exactly on a character boundary (the `>` vs `>=` edge)
    st.integers(min_value=0, max_value=60).map(lambda n: 1.0 + 0.58 * n),
)
_CUT_PUNCT = "，、；：,;: "
_EPS = 1e-9  # the sums are in floats: a boundary may fall one rounding either way


@settings(max_examples=300, deadline=None)
@given(TEXT, EM)
def test_clip_keeps_the_longest_prefix_that_leaves_an_em_for_the_ellipsis(
    s: str, max_em: float
) -> None:
    line = " ".join(s.split())
    out = clip(s, max_em)
    if text_width(line) <= max_em:
        assert out == line
        return
    assert out.endswith("…")
    # the longest prefixes that fit with one em to spare, at either rounding of the boundary
    fits = [k for k in range(len(line) + 1) if 1.0 + text_width(line[:k]) <= max_em + _EPS]
    surely = [k for k in fits if 1.0 + text_width(line[:k]) <= max_em - _EPS]
    longest = {max(fits, default=0), max(surely, default=0)}
    assert out[:-1] in {line[:k].rstrip(_CUT_PUNCT) for k in longest}


# --- the headline order ------------------------------------------------------------------------

# (indicator name, its place among the headlines: 0 GDP, 1 fiscal revenue, … 14 not a headline)
RANK_TABLE = [
    ("地区生产总值", 0),
    ("GDP", 0),
    ("人均地区生产总值", 14),  # per head: not the GDP
    ("一般公共预算收入", 1),
    ("一般公共预算收入中税收收入", 1),  # the first headline named wins
    ("规模以上工业增加值", 2),
    ("固定资产投资", 3),
    ("社会消费品零售总额", 4),
    ("外贸进出口总额", 5),
    ("实际使用外资", 6),
    ("城镇居民人均可支配收入", 7),  # 人均 blocks only the GDP
    ("重点项目", 8),
    ("服务业营业收入", 9),
    ("服务业税收", 9),
    ("税收总额", 10),
    ("招商引资到位资金", 11),
    ("城镇新增就业", 12),
    ("高新技术企业", 13),
    ("第三产业占地区生产总值比重", 14),  # a share of the GDP is not the GDP
    ("工业增加值占比", 14),
    ("研发投入强度", 13),
    ("粮食产量", 14),
]


@pytest.mark.parametrize(("name", "rank"), RANK_TABLE)
def test_headline_rank_of_indicator_names(name: str, rank: int) -> None:
    assert len(HEADLINES) == 14
    assert headline_rank(name) == rank


@pytest.mark.parametrize(
    ("key", "rank"), [(key, rank) for rank, keys in enumerate(HEADLINES) for key in keys]
)
def test_each_headline_word_alone_has_its_own_rank(key: str, rank: int) -> None:
    assert headline_rank(key) == rank


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([k for keys in HEADLINES for k in keys] + ["人均", "全市"])),
    st.sampled_from(["占", "比重", "贡献率", "比例", "覆盖率", "达标率"]),
)
def test_a_share_or_ratio_is_never_a_headline(parts: list[str], ratio: str) -> None:
    assert headline_rank("".join(parts) + ratio) == len(HEADLINES)


# --- labels of a figure ------------------------------------------------------------------------


def _figure(quote: str, value: float, unit: str, fields: dict[str, object]) -> Metric:
    ev = Evidence(quote=quote, start=0, end=len(quote))
    return Metric.model_validate(
        {"name": "地区生产总值", "value": value, "unit": unit, "evidence": ev} | fields
    )


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"status": "actual", "reference_year": 2025}, "实际"),
        ({"status": "forecast", "reference_year": 2025}, "预计"),
        ({"status": "target", "reference_year": 2026}, "2026年目标"),
        ({"status": "target", "reference_year": None}, "目标"),  # no year known: none invented
        # a five-year target's years are its span's, shown apart (span_label)
        ({"status": "target", "reference_year": 2030, "span": "multi_year"}, "目标"),
    ],
)
def test_a_target_says_the_year_it_is_set_for(fields: dict[str, object], label: str) -> None:
    assert status_label(_figure("增长5%", 5, "%", fields)) == label


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"period": "这五年", "reference_year": 2025}, "这五年"),  # as written
        ({"period": "“十五五”时期", "reference_year": 2030}, "“十五五”时期"),
        ({"period": "2025年", "reference_year": 2025}, "“十四五”时期"),  # one year: not the span
        ({"reference_year": 2025}, "“十四五”时期"),  # the plan that ends in it
        ({"reference_year": 2030, "status": "target"}, "“十五五”时期"),
        ({"reference_year": 2023}, "截至2023年"),  # no plan ends in 2023
        ({"reference_year": 2028, "status": "target"}, "到2028年"),
        ({}, "五年"),
    ],
)
def test_a_five_year_figure_is_labelled_with_its_span(
    fields: dict[str, object], label: str
) -> None:
    assert span_label(_figure("年均增长5%", 5, "%", {"span": "multi_year"} | fields)) == label


@pytest.mark.parametrize(
    ("quote", "value", "unit", "fields", "shown"),
    [
        ("增长4.5%—5%", 4.5, "%", {"bound": "range", "low": 4.5, "high": 5}, "增长4.5%—5%"),
        (
            "投资100—120亿元",
            100,
            "亿元",
            {"bound": "range", "high": 120, "measure": "level"},
            "100—120亿元",
        ),
        ("年均增长5%左右", 5, "%", {"bound": "about"}, "年均增长5%左右"),
        ("累计下降27.4%", 27.4, "%", {"direction": "down"}, "累计下降27.4%"),
        ("控制在5.5%以内", 5.5, "%", {"bound": "at_most", "measure": "level"}, "5.5%以内"),
    ],
)
def test_a_figure_is_shown_with_its_bound_range_and_change_word(
    quote: str, value: float, unit: str, fields: dict[str, object], shown: str
) -> None:
    m = _figure(quote, value, unit, {"measure": "change", "direction": "up"} | fields)
    assert metric_value(m)[0] == shown
