"""The fast scans, each against an independent statement of what it must find.

The metric and structure readers skip ahead to the few characters a match can start or end on
(extract.rules.metrics_scan, read.headings.problem_opening, extract.rules.metrics_names). Two
kinds of check pin them, neither a copy of the code: the law that a shortcut finds what the one
plain regex search it stands for finds (that search is its definition, in its docstring), on
text built from the characters that matter to it; and hand-written tables of report phrases with
the answer a reader expects, for what a scan does on top of its search.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.extract.rules import metrics_names as names
from summarizer.extract.rules import metrics_scan as scan
from summarizer.lexicon import indicators
from summarizer.lexicon.numbers import value_in_quote
from summarizer.read import headings

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text(words: str, *extra: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Strings joined from `words` (split on spaces) and the `extra` pieces (whitespace)."""
    return st.lists(st.sampled_from([*words.split(), *extra]), max_size=max_size).map("".join)


def _span(text: str, a: int, b: int) -> tuple[int, int]:
    return min(a, b, len(text)), min(max(a, b), len(text))


# --- figures -----------------------------------------------------------------------------------

# Figure-like tokens ("-4.01亿元", "3-5%", "1,234万", "2023年") between other pieces.
figure_token = st.from_regex(
    r"[-－−]?[0-9]{1,4}(,[0-9]{3})?(\.[0-9]{1,2})?([%％]?[-—~][0-9]{1,3})?(余|多)?(万|亿)?"
    r"(元|个|人次|%|％|年|月)?",
    fullmatch=True,
)
figure_text = st.lists(
    figure_token
    | st.sampled_from(
        ["第", "前", "a", "增长", "，", "。", "-", ".", ",", "余", " ", "\n", "\u200b"]
    ),
    max_size=12,
).map("".join)


@SETTINGS
@given(figure_text, st.integers(0, 40), st.integers(0, 40))
def test_figures_are_the_figure_regex_matches(text: str, a: int, b: int) -> None:
    start, end = _span(text, a, b)
    expected = [m.span() for m in scan.FIGURE.finditer(text, start, end)]
    assert [m.span() for m in scan.figures(text, start, end)] == expected


# (phrase, the figures a reader sees in it as (number, unit)): the SPEC's "value as written".
FIGURE_TABLE = [
    ("全年完成一般公共预算收入4.01亿元，同比下降14.4%。", [("4.01", "亿元"), ("14.4", "%")]),
    ("新增市场主体1,234户", [("1,234", "户")]),
    ("预期增长4.5%-5%左右", [("4.5", "%")]),  # a range: its first number
    ("帮助3.2万余人就业", [("3.2", "人")]),
    ("第3个", []),  # an ordinal, not a count
    ("编号A3个", []),  # part of a code
    ("2023年", []),  # a year is no figure
]


@pytest.mark.parametrize(("phrase", "expected"), FIGURE_TABLE)
def test_figures_in_report_phrases(phrase: str, expected: list[tuple[str, str]]) -> None:
    found = [(m.group("num"), m.group("unit")) for m in scan.figures(phrase, 0, len(phrase))]
    assert found == expected


# --- the change word before a figure -----------------------------------------------------------

change_text = _text(
    "同比 比上年 年均 分别 增长 增长率 下降 减少 扩大 负增长 增 降 了 为 达到 达 至 收入 元 ，",
    " ",
    "\n",
    "\u3000",
    max_size=8,
)


@SETTINGS
@given(change_text)
def test_change_tail_is_the_change_tail_search(prefix: str) -> None:
    ref = scan._CHANGE_TAIL.search(prefix)
    got = scan.change_tail(prefix)
    assert (got and (got.span(), got.group("dir"))) == (ref and (ref.span(), ref.group("dir")))


@pytest.mark.parametrize(
    ("prefix", "word"),
    [
        ("收入4.01亿元，同比增长", "增长"),
        ("比上年下降了", "下降"),
        ("年均增长 ", "增长"),
        ("分别减少", "减少"),
        ("税收总额", None),  # no change word before the figure
        ("增长的收入", None),  # a change word, but not right before the figure
    ],
)
def test_change_tail_in_report_phrases(prefix: str, word: str | None) -> None:
    m = scan.change_tail(prefix)
    assert (m.group("dir") if m else None) == word


# --- periods -----------------------------------------------------------------------------------

period_text = _text(
    "0 1 2 3 4 5 6 7 8 9 年 月 份 全年 上半年 下半年 前三季度 一季度 第二季度 “ ” 十四五 期间 时期"
    " 的 出台 - 至 收入 ， 实现 过去五年 这五年 近五年 五年来 五年累计 五年增长 过去 这 五年 来",
    " ",
)


@SETTINGS
@given(period_text, st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_period_matches_are_the_period_regex_matches(text: str, a: int, b: int, last: int) -> None:
    start, end = _span(text, a, b)
    expected = [m.span() for m in scan._PERIOD.finditer(text, start, end) if m.start() <= last]
    assert [m.span() for m in scan._period_matches(text, start, end, last)] == expected


# (text before a figure, the period a reader gives that figure). SPEC: the period as written; a
# range is written with "-" (1-10月), the quotes of “十三五”期间 stay.
PERIOD_TABLE = [
    ("1—10月，完成一般公共预算收入", "1-10月"),
    ("1至10月份，实现税收", "1-10月份"),
    ("全年实现地区生产总值", "全年"),
    ("2023年上半年，完成投资", "2023年上半年"),
    ("前三季度，规上工业增加值", "前三季度"),
    ("“十三五”期间，累计完成投资", "“十三五”期间"),
    ("十三五”期间，累计完成投资", "十三五期间"),  # an unpaired mark goes
    ("过去五年，地区生产总值年均增长", "过去五年"),
    ("财政收入五年增长", "五年"),
    ("2022年全年完成投资4亿元，2023年1—6月完成投资", "2023年1-6月"),  # the last one
    ("总量比2020年的", None),  # a year that qualifies a noun is a date
    ("2020年出台的方案带动投资", None),
    ("新增市场主体", None),
]


@pytest.mark.parametrize(("before", "period"), PERIOD_TABLE)
def test_period_of_a_figure_in_report_phrases(before: str, period: str | None) -> None:
    assert scan.period_in(before, 0, len(before)) == period


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("刚刚过去的2025年，全省生产总值增长5.4%", "2025年"),
        ("我们坚持稳中求进工作总基调，全力推动2025年经济增长5.4%", None),  # too far in
    ],
)
def test_period_that_opens_a_sentence(sentence: str, period: str | None) -> None:
    assert scan.period_in(sentence, 0, len(sentence), opening=True) == period


# --- where a problems passage opens ------------------------------------------------------------

problem_text = _text(
    "清醒 客观 地 看到 认识到 意识到 在 肯定 成绩的同时 也 要 必须 问题 不足 短板 困难 矛盾 ， 。 ；"
    " 但 然而 同时 与此同时 仍 仍然 依然 还 存在 面临 有 着 当前 的 主要 ： 我们",
    max_size=14,
)
PROBLEM_WORDS = ("问题", "不足", "短板", "困难", "挑战", "差距", "薄弱", "短处", "矛盾")


@SETTINGS
@given(problem_text)
def test_problem_opening_is_found_where_the_full_search_finds_the_formula(para: str) -> None:
    # The plain statement: a paragraph opens a problems passage when it names a problem and the
    # formula occurs; the word prefilter and the split pattern must change nothing.
    formula = any(w in para for w in PROBLEM_WORDS) and headings._PROBLEM_OPEN.search(para)
    assert (headings.problem_opening(para) is not None) == bool(formula)


# (paragraph, the words its problems passage opens with): the whole sentence holding the
# formula, or from 但/然而 when the formula turns a sentence round. From the seeds and samples.
OPENING_TABLE = [
    ("同时我们清醒地看到，我省经济社会发展中老问题、新挑战仍然不少。", "同时我们清醒地看到"),
    ("各位代表！我们也清醒地认识到，我区经济社会发展还存在不少老问题。", "我们也清醒地认识到"),
    (
        "为社会秩序全面恢复提供有力保障，但经济社会发展仍然存在不少短板：一是产业结构不优。",
        "但经济社会发展",
    ),
    ("在总结成绩的同时,我们也清醒地认识到,当前仍然面临着不少困难和挑战。", "在总结成绩的同时"),
    ("同时,街道经济社会发展还面临一些问题和挑战,主要表现为:重点项目储备不足。", "同时,街道"),
    ("当前存在的主要问题：一是项目储备不足。", "当前存在的主要问题"),
    ("着力解决群众反映强烈的突出问题，办结群众来信来访310件。", None),
    ("全面完成年度目标任务，清醒看到形势变化。", None),  # the formula, but no problem named
]


@pytest.mark.parametrize(("para", "opening"), OPENING_TABLE)
def test_problem_opening_in_report_paragraphs(para: str, opening: str | None) -> None:
    at = headings.problem_opening(para)
    assert (None if at is None else para[at : at + len(opening or "")]) == opening


# --- trailing filler of an indicator name ------------------------------------------------------

trail_text = _text(
    "完成了 实现 达到 为 突破 超过 增至 控制在 稳定 累计 约 共计 平均 分别 首次 预计 全年 同比 以上"
    " 不少于 ， ： 收入 项目 元 总额",
    " ",
    "\n",
    max_size=8,
)


@SETTINGS
@given(trail_text)
def test_trail_skip_only_skips_names_trail_leaves_alone(name: str) -> None:
    if not name or not (name[-1] in names._TRAIL_LAST or name[-1].isspace()):
        assert names.TRAIL.sub("", name) == name


# --- a value written in its quote --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quote", "written"),
    [
        (4.01, "完成一般公共预算收入4.01亿元", True),
        (4.01, "完成一般公共预算收入4.010亿元", True),  # a trailing zero is the same number
        (5.0, "地区生产总值增长5%", True),
        (5.0, "地区生产总值增长5.0%", True),
        (12.5, "实现税收总额12.50亿元", True),
        (4.01, "完成一般公共预算收入4.1亿元", False),
        (4.01, "完成一般公共预算收入四亿元", False),
    ],
)
def test_value_in_quote_in_report_phrases(value: float, quote: str, written: bool) -> None:
    assert value_in_quote(value, quote) == written


@SETTINGS
@given(st.integers(0, 99_999), st.integers(0, 99), st.sampled_from(["亿元", "%", "个"]))
def test_a_value_as_a_report_writes_it_is_in_its_quote(whole: int, cents: int, unit: str) -> None:
    written = f"{whole}.{cents:02d}".rstrip("0").rstrip(".")  # 4.01, 4.1, 4 as a report writes
    value = float(written)
    assert value_in_quote(value, f"完成{written}{unit}")
    assert value_in_quote(value, f"完成{whole}.{cents:02d}0{unit}")  # 4.010: trailing zeros


# --- names a clause's subject may complete ---------------------------------------------------------

# The clause-subject search (extract.rules.metrics) tries canonical_name on every stretch of a
# clause before a name; may_grow_into_name lets it skip them all. Its law: when it says no, no
# text before the name makes a known indicator's name of it. Text here is built from pieces of
# the table's own written forms (a form split anywhere), lead words, places and scopes, and
# characters that NFKC or the cleaning changes (full-width letters, quotes, brackets, a
# combining accent, Hangul jamo that compose with what precedes them).
_FORMS = sorted(indicators._table().forms)
_form_piece = st.sampled_from(_FORMS).flatmap(
    lambda f: st.tuples(st.integers(0, len(f)), st.integers(0, len(f))).map(
        lambda ab: f[min(ab) : max(ab)]
    )
)
_other_piece = st.sampled_from(
    [
        *("全市", "完成", "新闸街道", "规模以上", "全年", "财政", "补助", "标准", "新开工"),
        *("锅炉", "人均", "“", "”", "（", "）", "(", ")", "Ｇ", "ＤＰ", "双", "30", " "),
        *("\u0301", "\u1100", "\u1161", "가"),
    ]
)
_name_text = st.lists(_form_piece | _other_piece, max_size=5).map("".join)


# A form split in two, with text around: the name an earlier clause completes, and its subject.
_split_form = st.tuples(_name_text, st.sampled_from(_FORMS), st.integers(1, 30), _name_text).map(
    lambda t: (t[0] + t[1][: t[2]], t[1][t[2] :] + t[3])
)


@SETTINGS
@given(st.tuples(_name_text, _name_text) | _split_form)
def test_no_text_before_a_name_the_shortcut_rejects_makes_it_an_indicator(
    pair: tuple[str, str],
) -> None:
    before, name = pair
    if not indicators.may_grow_into_name(name):
        assert indicators.canonical_name(before + name) is None


def test_every_ending_of_a_written_form_may_grow_into_its_name() -> None:
    # the endings a clause-subject completes ("补助标准" ← "城乡居民基本医保财政补助标准") are kept
    assert all(indicators.may_grow_into_name(f[i:]) for f in _FORMS for i in range(len(f)))
    # and the shortcut does skip names no indicator ends with
    assert not any(map(indicators.may_grow_into_name, ["锅炉", "人均", "新建学校"]))
