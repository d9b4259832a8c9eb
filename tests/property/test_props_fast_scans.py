"""The fast scans find exactly what the plain regex searches they replace find.

The metric and structure readers skip ahead to the few characters a match can start or end on
(see extract.rules.metrics_scan, read.headings.problem_opening, extract.rules.metrics_names.clean_name); each law
below pins one of these shortcuts to its reference search on text built from the characters
that matter to it, so a later edit of a pattern cannot leave its shortcut behind silently.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.extract.rules import metrics_names as names
from summarizer.extract.rules import metrics_scan as scan
from summarizer.lexicon.numbers import number_forms, value_in_quote
from summarizer.read import headings

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text(words: str, *extra: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Strings joined from `words` (split on spaces) and the `extra` pieces (whitespace)."""
    return st.lists(st.sampled_from([*words.split(), *extra]), max_size=max_size).map("".join)


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
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    expected = [m.span() for m in scan.FIGURE.finditer(text, start, end)]
    assert [m.span() for m in scan.figures(text, start, end)] == expected


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


def _reference_period(text: str, a: int, b: int, *, opening: bool = False) -> str | None:
    found = None
    for m in scan._PERIOD.finditer(text, a, b):
        if opening and m.start() - a > scan._OPENING_PERIOD:
            break
        if text.startswith("的", m.end()) or scan._DATE_USE.match(text, m.end()):
            continue
        found = m.group(0)
        if opening:
            break
    if not found:
        return None
    found = re.sub(r"\s*[—–~～至到]\s*", "-", found.replace("“", "").replace("”", ""))
    return found.replace(" ", "")


period_text = _text(
    "0 1 2 3 4 5 6 7 8 9 年 月 份 全年 上半年 下半年 前三季度 一季度 第二季度 “ ” 十四五 期间 时期"
    " 的 出台 - 至 收入 ， 实现 过去五年 这五年 近五年 五年来 五年累计 五年增长 过去 这 五年 来",
    " ",
)


@SETTINGS
@given(period_text, st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_period_in_is_the_period_search(text: str, a: int, b: int, opening: bool) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    expected = _reference_period(text, start, end, opening=opening)
    assert scan.period_in(text, start, end, opening=opening) == expected


problem_text = _text(
    "清醒 客观 地 看到 认识到 意识到 在 肯定 成绩的同时 也 要 必须 问题 不足 短板 困难 矛盾 ， 。 ；"
    " 但 然而 同时 与此同时 仍 仍然 依然 还 存在 面临 有 着 当前 的 主要 ： 我们",
    max_size=14,
)


@SETTINGS
@given(problem_text)
def test_problem_opening_finds_what_the_full_search_finds(para: str) -> None:
    ref = headings._PROBLEM_OPEN.search(para)
    found = headings._may_open_problems(para) and (
        headings._PROBLEM_OPEN.match(para) or headings._PROBLEM_OPEN_INNER.search(para, 1)
    )
    assert (found.span() if found else None) == (ref.span() if ref else None)


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


@SETTINGS
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.text(st.sampled_from(list("0123456789.-e")), max_size=12),
)
def test_value_in_quote_matches_its_definition(value: float, quote: str) -> None:
    first = value_in_quote(value, quote)
    assert first == any(f in quote for f in number_forms(float(value)))
    assert value_in_quote(value, quote) == first  # the cached forms give the same answer
